import pickle

import numpy as np
import pandas as pd
import pytest

from klimafotavtrykk.errors import DataError
from klimafotavtrykk.factors import (
    add_factor_rows,
    declarable_units,
    factor_table_from_frame,
    load_factors,
)
from klimafotavtrykk.units import parse_units

MINIMAL = "factor_id,declared_unit,A1-A3,A4,C4,D,service_life_years,density_kg_m3,source\n"


def test_user_csv_in_the_issue_schema(tmp_path):
    path = tmp_path / "mine.csv"
    path.write_text(MINIMAL + "rmc,m3,268.5945,ND,,,60,2265,EPD X\n", encoding="utf-8")
    table = load_factors(path)
    row = table.modules[0]
    assert row[0] == pytest.approx(268.5945)
    assert np.isnan(row[1]) and np.isnan(row[2])   # ND and empty mean "not declared", never 0
    assert table.mass_per_declared_unit[0] == pytest.approx(2265.0)
    assert not table.is_generic[0]                  # a user's table is taken as product EPDs


@pytest.mark.parametrize(
    ("row", "match"),
    [
        ("a,m3,abc,,,,,,EPD X", "A1-A3 must be a number"),
        ("a,furlong,1,,,,,,EPD X", "declared_unit 'furlong'"),
        ("a,m3,1,,,,0,,EPD X", "service_life_years must be positive"),
        ("a,m3,1,,,,,,", "no source"),
    ],
)
def test_bad_rows_name_file_and_row(tmp_path, row, match):
    path = tmp_path / "bad.csv"
    path.write_text(MINIMAL + row + "\n", encoding="utf-8")
    with pytest.raises(DataError, match=match) as info:
        load_factors(path)
    assert info.value.row == 2 and "bad.csv" in info.value.file
    assert str(pickle.loads(pickle.dumps(info.value))) == str(info.value)


def test_duplicate_ids_are_refused():
    frame = pd.DataFrame({"factor_id": ["a", "a"], "declared_unit": ["kg", "kg"], "A1-A3": [1, 2],
                          "source": ["x", "y"]})
    with pytest.raises(DataError, match="twice"):
        factor_table_from_frame(frame)


def test_shipped_table_loads_and_every_row_has_a_source():
    table = load_factors()
    assert len(table) >= 40
    assert (table.frame["source"].str.len() > 0).all()


def test_end_of_life_source_must_be_known(tmp_path):
    """An eol_source_id outside sources.csv is a data error naming file and row."""
    path = tmp_path / "eol.csv"
    head = "factor_id,declared_unit,A1-A3,C3,source,eol_scenario,eol_source_id\n"
    path.write_text(head + "a,kg,1,0.5,EPD X,landfill,br18-tabel7-2023\n"
                    + "b,kg,1,0.5,EPD X,landfill,no-such-source\n", encoding="utf-8")
    with pytest.raises(DataError, match="eol_source_id 'no-such-source'") as info:
        load_factors(path)
    assert info.value.row == 3 and "eol.csv" in info.value.file


def test_shipped_rows_carry_their_end_of_life_scenario():
    """The shipped table keeps eol_scenario and eol_source_id with each row."""
    frame = load_factors().frame
    assert frame.at["concrete_c30_37", "eol_source_id"] == "br18-tabel7-2023"
    assert "#B1477" in frame.at["concrete_c30_37", "eol_scenario"]


# ----------------------------------------------------------------------------- add_factor_rows

def _base():
    # concrete per m3 (A1-A3 300, 2 400 kg/m3) and rebar per kg (A1-A3 1.0), both generic
    return factor_table_from_frame(pd.DataFrame({
        "factor_id": ["concrete", "rebar"], "declared_unit": ["m3", "kg"], "A1-A3": ["300", "1.0"],
        "density_kg_m3": ["2400", ""], "dataset_type": ["generic", "generic"],
        "source": ["hand example", "hand example"]}), name="base")


def test_added_rows_are_appended_with_their_arrays():
    base = _base()
    rows = pd.DataFrame({"factor_id": ["EPD 1"], "declared_unit": ["tonn"], "A1-A3": [95.0],
                         "C3": [2.5], "source": ["EPD 1, bid.xlsx"]})
    table = add_factor_rows(base, rows, name="bid")
    assert list(table.ids) == ["concrete", "rebar", "EPD 1"]
    assert list(base.ids) == ["concrete", "rebar"]                   # the base is not changed
    assert table.modules[2, 0] == 95.0                                # A1-A3 per tonne
    assert table.declared_scale.tolist() == [1.0, 1.0, 1000.0]         # 1 tonn = 1 000 kg
    assert table.mass_per_declared_unit[2] == pytest.approx(1_000.0)
    assert table.mass_per_declared_unit[0] == pytest.approx(2_400.0)  # 1 m3 x 2 400 kg/m3
    assert table.is_generic.tolist() == [True, True, False]          # no dataset_type: product EPD
    assert table.frame.loc["EPD 1", "source"] == "EPD 1, bid.xlsx"
    assert table.name == "base + bid" and table.sha256 != base.sha256


def test_added_rows_pass_the_same_checks_as_a_file():
    rows = pd.DataFrame({"factor_id": ["EPD 1"], "declared_unit": ["furlong"], "A1-A3": [95.0],
                         "source": ["EPD 1"]})
    with pytest.raises(DataError) as direct:
        factor_table_from_frame(rows, name="bid")
    with pytest.raises(DataError, match="declared_unit 'furlong'") as added:
        add_factor_rows(_base(), rows, name="bid")
    assert str(added.value) == str(direct.value)
    assert (added.value.file, added.value.row) == ("bid", 2)
    with pytest.raises(DataError, match="no source"):
        add_factor_rows(_base(), rows.assign(declared_unit="kg", source=""), name="bid")


def test_a_known_factor_id_is_refused_unless_replaced():
    rows = pd.DataFrame({"factor_id": ["rebar"], "declared_unit": ["kg"], "A1-A3": [0.4],
                         "source": ["own EPD"]})
    with pytest.raises(DataError, match="'rebar' is already in base") as info:
        add_factor_rows(_base(), rows, name="mine")
    assert info.value.row == 2
    table = add_factor_rows(_base(), rows, name="mine", replace=True)
    # the user's row wins: rebar now 0.4 and a product EPD; the other row stays first
    assert list(table.ids) == ["concrete", "rebar"]
    assert table.modules[1, 0] == pytest.approx(0.4)
    assert table.is_generic.tolist() == [True, False]
    assert table.frame.loc["rebar", "source"] == "own EPD"


def test_declarable_units():
    # a factor is declared per an amount of material: m3, tonne, piece; not per hour,
    # lump sum, Nm3 of gas or an unknown spelling
    units = parse_units(["m3", "tonn", "stk", "timer", "RS", "Nm3", "furlong"])
    assert declarable_units(units).tolist() == [True, True, True, False, False, False, False]


def test_a_validated_table_can_be_added_as_rows():
    own = factor_table_from_frame(pd.DataFrame({
        "factor_id": ["rebar", "glulam"], "declared_unit": ["kg", "m3"], "A1-A3": ["0.4", "150"],
        "density_kg_m3": ["", "430"], "source": ["own EPD", "own EPD"]}), name="mine.csv")
    table = add_factor_rows(_base(), own, replace=True)
    assert list(table.ids) == ["concrete", "rebar", "glulam"]
    assert table.modules[:, 0].tolist() == pytest.approx([300.0, 0.4, 150.0])
    assert table.name == "base + mine.csv"


# ----------------------------------------------------- impossible values cannot win

CHEAT = "factor_id,declared_unit,A1-A3,C3,indicator,source\n"


@pytest.mark.parametrize(
    ("row", "match"),
    [
        # a bidder claims a negative product stage for a shipped id: no fossil GWP is negative
        ("concrete_c30_37,kg,-5,,gwp-ghg,EPD X", r"A1-A3 is negative \(-5\)"),
        ("concrete_c30_37,kg,-5,,,EPD X", r"A1-A3 is negative"),     # no indicator: refused too
        ("concrete_c30_37,kg,0.1,-2,gwp-ghg,EPD X", r"C3 is negative"),
        ("concrete_c30_37,kg,NaN,,gwp-ghg,EPD X", "A1-A3 must be a number"),
        ("concrete_c30_37,kg,,,gwp-ghg,EPD X", "A1-A3 is not declared"),
        ("concrete_c30_37,kg,inf,,gwp-ghg,EPD X", "A1-A3 must be a number"),
    ],
)
def test_impossible_values_are_refused_naming_file_and_row(tmp_path, row, match):
    import klimafotavtrykk as kf

    path = tmp_path / "bid_epd.csv"
    path.write_text(CHEAT + "my_ok,kg,0.2,,gwp-ghg,EPD Y\n" + row + "\n", encoding="utf-8")
    lines = pd.DataFrame({"description": ["Plasstøpt betong B30"], "quantity": [1.0],
                          "unit": ["m3"], "building_part": ["251"]})
    with pytest.raises(DataError, match=match) as info:
        kf.calculate(lines, "tek17", factors=path)
    assert info.value.row == 3 and info.value.file.endswith("bid_epd.csv")


def test_impossible_values_in_a_frame_are_refused_too():
    rows = pd.DataFrame({"factor_id": ["concrete_c30_37"], "declared_unit": ["kg"],
                         "A1-A3": [np.nan], "source": ["EPD X"]})
    with pytest.raises(DataError, match="A1-A3 is not declared") as info:
        add_factor_rows(load_factors(), rows, name="EPDs of bid.xlsx", replace=True)
    assert (info.value.file, info.value.row) == ("EPDs of bid.xlsx", 2)


def test_biogenic_uptake_may_be_negative_under_gwp_total():
    # parquet under GWP-total: carbon uptake makes A1-A3 negative (shipped row parquet_multilayer)
    table = factor_table_from_frame(pd.DataFrame({
        "factor_id": ["wood"], "declared_unit": ["m3"], "A1-A3": [-700.0], "B1": [-1.0],
        "D": [-50.0], "indicator": ["gwp-total"], "source": ["EPD W"]}))
    assert table.modules[0, 0] == -700.0


def test_shipped_scenario_defaults_load():
    from klimafotavtrykk.factors import load_scenario_defaults

    defaults = load_scenario_defaults().frame
    # data/emission_factors/scenario_defaults.csv, row 2: ready-mix concrete, 35 km, 3 % waste
    assert defaults.loc["concrete", ["transport_km", "transport_mode", "waste_rate", "row"]].tolist() \
        == [35.0, "truck_concrete", 0.03, 2]


def test_scenario_defaults_refuse_an_unknown_mode():
    from klimafotavtrykk.factors import scenario_defaults_from_frame

    frame = pd.DataFrame({"material_group": ["steel"], "transport_km": ["100"],
                          "transport_mode": ["zeppelin"], "waste_rate": ["0.05"],
                          "source_id": ["boverket-klimatdatabas-2025"]})
    with pytest.raises(DataError, match="transport_mode 'zeppelin'") as info:
        scenario_defaults_from_frame(frame, name="groups.csv")
    assert (info.value.file, info.value.row) == ("groups.csv", 2)
