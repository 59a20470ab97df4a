"""read_epd: one EPD file of each format into the user factor schema, with published values.

The builders and the EPDs their values come from are in conftest.py.
"""

from __future__ import annotations

import math
import pickle
import zipfile

import pytest

import klimafotavtrykk as kf
from klimafotavtrykk.epd import EpdLimits
from klimafotavtrykk.errors import InputError, UnsafeWorkbookError
from klimafotavtrykk.factors import factor_table_from_frame

AREA = "93a60a56-a3c8-19da-a746-0800200c9a66"
MASS = "93a60a56-a3c8-11da-a746-0800200b9a66"
VOLUME = "93a60a56-a3c8-22da-a746-0800200c9a66"
GWP_TOTAL = "6a37f984-a4b3-458a-a20a-64418c145fa2"
GWP_GHG = "fb774615-0575-45de-9a89-1ded92f19770"


@pytest.fixture
def values():
    """The published values of conftest.py, through the fixture (conftest is not importable)."""
    import importlib.util
    from pathlib import Path

    spec = importlib.util.spec_from_file_location("epd_conftest",
                                                  Path(__file__).with_name("conftest.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_concrete_gives_a1_a2_a3_only_and_gets_their_sum(tmp_path, build, values):
    path = tmp_path / "concrete.json"
    path.write_text(build.soda_json(
        uuid="0aa8b645", name="Ready-mix concrete", registration="NEPD-4945-3957-DK",
        unit_property=VOLUME, reference_unit="m3", flow_value=1.0, mass=2265.0,
        results={GWP_TOTAL: values.CONCRETE_TOTAL, GWP_GHG: values.CONCRETE_GHG}))
    frame, meta = kf.read_epd(path)
    row = frame.iloc[0]
    # 256.723356887539 + 8.485777018525 + 3.385395098948 = 268.594529005012 kg CO2e per m3
    # (the four-decimal roundings would add to 268.5946: the sum is of the values as published)
    assert row["A1-A3"] == pytest.approx(268.594529005012, abs=1e-9)
    assert round(row["A1-A3"], 4) == 268.5945
    assert (row["declared_unit"], row["density_kg_m3"]) == ("m3", 2265.0)
    assert (row["factor_id"], row["epd_id"], row["indicator"]) == (
        "NEPD-4945-3957-DK", "NEPD-4945-3957-DK", "gwp-total")
    assert row["dataset_type"] == "product_epd" and row["standard"] == "EN 15804+A2"
    assert math.isnan(row["A4"]) and math.isnan(row["D"])  # not in the file: not declared
    assert row["valid_until"] == "2028-12-31"  # the year only, read as its last day
    assert "A1-A3 is the sum of A1, A2 and A3" in meta["notes"]
    # IOBC, as TEK17 asks: 250.445928870866 + 8.485650043387 + 4.532739627165 = 263.464318541418
    ghg, _ = kf.read_epd(path, indicator="IOBC")
    assert ghg.iloc[0]["A1-A3"] == pytest.approx(263.464318541418, abs=1e-9)
    assert ghg.iloc[0]["indicator"] == "gwp-ghg"


def test_hot_rolled_coil_per_1000_kg_is_per_kg_and_nd_is_not_zero(tmp_path, build, values):
    flow = "0ff35a98"
    path = tmp_path / "coil.zip"
    build.ilcd_zip(path, build.ilcd_process(
        uuid="459392b1", name="Hot Rolled Coil", flow=flow, registration="EPD-IES-0006676",
        results={GWP_TOTAL: values.COIL_TOTAL, GWP_GHG: values.COIL_GHG}),
        flow, build.ilcd_flow(uuid=flow, properties=[(MASS, "1000.0")]))
    frame, meta = kf.read_epd(path)
    row = frame.iloc[0]
    assert meta["declared_as"] == "1000 kg"
    # 1895.7 kg CO2e per 1000 kg = 1.8957 per kg; D 588.77 / 1000 = 0.58877
    assert (row["declared_unit"], row["A1-A3"], row["D"]) == ("kg", pytest.approx(1.8957),
                                                             pytest.approx(0.58877))
    assert row["C3"] == pytest.approx(0.02055)
    assert all(math.isnan(row[f"B{i}"]) for i in range(1, 8))  # ND: not declared, never 0
    ghg, _ = kf.read_epd(path, indicator="GWP-GHG")
    assert ghg.iloc[0]["A1-A3"] == pytest.approx(1.86464)  # 1864.64 / 1000


def test_the_1000_may_sit_in_the_exchange_amount(tmp_path, build, values):
    flow = "efa83769"
    path = tmp_path / "rod.zip"
    build.ilcd_zip(path, build.ilcd_process(
        uuid="a6ef2d29", name="Hot rolled wire rod", flow=flow, registration="EPDITALY0091",
        exchange_amount="1000", results={GWP_TOTAL: values.ROD_TOTAL}),
        flow, build.ilcd_flow(uuid=flow, properties=[(MASS, "1.0")]))
    row = kf.read_epd(path)[0].iloc[0]
    # 539.5 + 40.4 + 106.7 = 686.6 kg CO2e per 1000 kg = 0.6866 per kg
    assert row["A1-A3"] == pytest.approx(0.6866)


def test_glass_with_parts_and_aggregate_is_not_counted_twice(tmp_path, build, values):
    path = tmp_path / "glass.json"
    path.write_text(build.soda_json(
        uuid="881b28b9", name="Coated glass", unit_property=AREA, reference_unit="m2",
        flow_value=1.0, results={GWP_TOTAL: values.GLASS_TOTAL}))
    frame, meta = kf.read_epd(path)
    # A1 0 + A2 0 + A3 40.3 = 40.3 and A1-A3 40.3: one of them, 40.3, never 80.6
    assert frame.iloc[0]["A1-A3"] == pytest.approx(40.3)
    assert frame.iloc[0]["factor_id"] == "881b28b9"  # no registration number: the dataset id
    assert "A1-A3 given as an aggregate: A1, A2 and A3 not added again" in meta["notes"]


def test_parquet_scenarios_default_first_and_chosen(tmp_path, build, values):
    flow = "f4334466"
    path = tmp_path / "parquet.zip"
    build.ilcd_zip(path, build.ilcd_process(
        uuid="2eb43850", name="2-layer parquet", flow=flow,
        registration="EPD-HAM-20220202-ICD1-DE", results={GWP_TOTAL: values.PARQUET_TOTAL},
        scenarios=("S1", "S2"), valid_year="2027"),
        flow, build.ilcd_flow(uuid=flow, properties=[(AREA, "1")]))
    row = kf.read_epd(path)[0].iloc[0]
    # no default marked: the first scenario the file lists, S1; S2 named in the row
    assert (row["C3"], row["D"]) == (pytest.approx(11.88), pytest.approx(-4.877))
    assert (row["scenario"], row["other_scenarios"]) == ("C3: S1; D: S1", "S2")
    assert (row["A1-A3"], row["C2"], row["C4"]) == (pytest.approx(6.529), 0.08151, 0.0)
    assert row["valid_until"] == "2027-12-31"
    s2 = kf.read_epd(path, scenario="S2")[0].iloc[0]
    assert (s2["C3"], s2["D"], s2["other_scenarios"]) == (pytest.approx(11.76),
                                                          pytest.approx(-0.2187), "S1")
    with pytest.raises(InputError, match="no scenario 'S3'") as caught:
        kf.read_epd(path, scenario="S3")
    assert (caught.value.code, caught.value.expected) == ("epd_scenario", "S1, S2")


def test_the_file_marks_the_default_scenario(tmp_path, build):
    flow = "f1"
    process = build.ilcd_process(
        uuid="u1", name="Panel", flow=flow, registration="X-1",
        results={GWP_TOTAL: [("A1-A3", None, "5"), ("C3", "recycling", "1"),
                             ("C3", "incineration", "3")]},
        scenarios=("recycling", "incineration"))
    process = process.replace('epd:name="incineration"', 'epd:name="incineration" '
                              'epd:default="true"')
    build.ilcd_zip(tmp_path / "p.zip", process, flow,
                   build.ilcd_flow(uuid=flow, properties=[(AREA, "1")]))
    row = kf.read_epd(tmp_path / "p.zip")[0].iloc[0]
    assert (row["C3"], row["other_scenarios"]) == (3.0, "recycling")


def test_a_scenario_of_one_group_leaves_the_other_groups_at_their_default(tmp_path, build):
    # as the ILCD+EPD v1.3 sample: transport scenarios for A4, end-of-life ones for C3 and D
    flow = "f2"
    process = build.ilcd_process(
        uuid="u2", name="Wood panel", flow=flow, registration="X-2",
        results={GWP_TOTAL: [("A1-A3", None, "6"), ("A4", "Gdansk", "4"), ("A4", "Berlin", "2"),
                             ("C3", "recycling", "1"), ("C3", "incineration", "3"),
                             ("D", "recycling", "-2")]},
        scenarios=("Gdansk", "Berlin", "recycling", "incineration"))
    for name, group in (("Gdansk", "Transport"), ("Berlin", "Transport"),
                        ("recycling", "EoL"), ("incineration", "EoL")):
        process = process.replace(f'epd:name="{name}"', f'epd:name="{name}" epd:group="{group}"')
    build.ilcd_zip(tmp_path / "w.zip", process, flow,
                   build.ilcd_flow(uuid=flow, properties=[(AREA, "1")]))
    row, meta = kf.read_epd(tmp_path / "w.zip", scenario="incineration")
    row = row.iloc[0]
    # A4 keeps its first transport scenario; D has no incineration value: not declared, and
    # never the recycling D beside the incineration C3
    assert (row["A4"], row["C3"]) == (4.0, 3.0) and math.isnan(row["D"])
    assert row["scenario"] == "A4: Gdansk; C3: incineration"
    assert "D: no value under scenario 'incineration', not declared" in meta["notes"]


def test_iso22057_json_from_epd_norge(tmp_path, build, values):
    path = tmp_path / "iso.json"
    path.write_text(build.iso22057_json(
        name="Concrete", registration="NEPD-4945-3957-DK", quantities={"volume": "1"},
        mass="2265", gwp_total={**values.CONCRETE_TOTAL, "B1": "MND", "C1": "INA",
                                "D1": "-1.5"}), encoding="utf-8")
    row = kf.read_epd(path)[0].iloc[0]
    assert row["A1-A3"] == pytest.approx(268.594529005012, abs=1e-9)
    assert (row["declared_unit"], row["density_kg_m3"], row["D"]) == ("m3", 2265.0, -1.5)
    assert math.isnan(row["B1"]) and math.isnan(row["C1"])  # MND, INA: not declared
    assert (row["valid_until"], row["standard"]) == ("2029-04-19", "EN 15804+A2")


def test_iso22057_with_two_reference_quantities_has_no_unit(tmp_path, build, values):
    # as in the pilot's Leca Isoblokk file: length 1 and volume 1 both filled
    path = tmp_path / "leca.json"
    path.write_text(build.iso22057_json(
        name="Isoblokk", registration="NEPD-2808-1506", quantities={"length": "1", "volume": "1"},
        mass="361", gwp_total={"A1-A3": "210"}), encoding="utf-8")
    with pytest.raises(InputError, match=r"Isoblokk \(NEPD-2808-1506\): the declared unit "
                                         "cannot be derived") as caught:
        kf.read_epd(path)
    assert caught.value.code == "epd_declared_unit" and caught.value.file == "leca.json"


def test_openepd_with_eol_scenarios(tmp_path, build):
    path = tmp_path / "coil.json"
    path.write_text(build.openepd_json(
        id_="ec3abc", name="Hot Rolled Coil", registration="EPD-IES-0006676",
        declared_unit={"qty": 1, "unit": "t"}, kg_per_unit=None,
        impacts={"EF 3.1": {
            "gwp": {"A1A2A3": {"mean": 1895.7, "unit": "kgCO2e"}, "A4": {"mean": 201.22},
                    "C_scenarios": [{"name": "recycling", "C3": {"mean": 20.55},
                                     "D": {"mean": 588.77}},
                                    {"name": "landfill", "C3": {"mean": 1.0}}]},
            "GWP_GHG": {"A1A2A3": {"mean": 1864.64}}}}))
    row = kf.read_epd(path)[0].iloc[0]
    # 1 t = 1000 kg: 1.8957 per kg; the first C scenario: C3 20.55 / 1000, D 588.77 / 1000
    assert (row["declared_unit"], row["A1-A3"]) == ("kg", pytest.approx(1.8957))
    assert (row["C3"], row["D"]) == (pytest.approx(0.02055), pytest.approx(0.58877))
    assert row["other_scenarios"] == "landfill" and math.isnan(row["B1"])
    assert row["valid_until"] == "2028-10-16"
    landfill = kf.read_epd(path, scenario="landfill")[0].iloc[0]
    assert landfill["C3"] == pytest.approx(0.001) and math.isnan(landfill["D"])
    assert kf.read_epd(path, indicator="GWP-GHG")[0].iloc[0]["A1-A3"] == pytest.approx(1.86464)


def test_rows_are_a_factor_table_the_engine_takes(tmp_path, build, values):
    path = tmp_path / "concrete.json"
    path.write_text(build.soda_json(
        uuid="0aa8b645", name="Concrete", registration="NEPD-4945-3957-DK",
        unit_property=VOLUME, reference_unit="m3", flow_value=1.0, mass=2265.0,
        results={GWP_TOTAL: values.CONCRETE_TOTAL}))
    table = factor_table_from_frame(kf.read_epd(path)[0])
    assert list(table.ids) == ["NEPD-4945-3957-DK"]
    assert table.modules[0, 0] == pytest.approx(268.594529005012)


def test_a_process_file_alone_cannot_say_its_unit(tmp_path, build):
    path = tmp_path / "single.xml"
    path.write_text(build.ilcd_process(uuid="daa1778e", name="Plasterboard", flow="47e70177",
                                       results={GWP_TOTAL: {"A1-A3": "2.5"}}))
    with pytest.raises(InputError, match=r"Plasterboard \(daa1778e\): the declared unit cannot "
                                         "be derived: the reference flow dataset 47e70177") as err:
        kf.read_epd(path)
    assert err.value.code == "epd_declared_unit"
    assert pickle.loads(pickle.dumps(err.value)).problem == err.value.problem


def test_a_broken_reference_flow_is_an_error_naming_the_dataset(tmp_path, build):
    flow = "f9"
    build.ilcd_zip(tmp_path / "broken.zip", build.ilcd_process(
        uuid="u9", name="Brick", flow=flow, registration="NEPD-1-2", reference="7",
        results={GWP_TOTAL: {"A1-A3": "200"}}), flow,
        build.ilcd_flow(uuid=flow, properties=[(MASS, "1")]))
    with pytest.raises(InputError, match=r"Brick \(NEPD-1-2\): the reference flow 7 names no "
                                         "exchange") as caught:
        kf.read_epd(tmp_path / "broken.zip")
    assert caught.value.code == "epd_reference_flow"
    # a reference flow property of no known dimension (here: an energy property)
    build.ilcd_zip(tmp_path / "energy.zip", build.ilcd_process(
        uuid="u9", name="Brick", flow=flow, registration="NEPD-1-2",
        results={GWP_TOTAL: {"A1-A3": "200"}}), flow,
        build.ilcd_flow(uuid=flow, properties=[("93a60a56-a3c8-11da-a746-0800200c9a99", "1")]))
    with pytest.raises(InputError, match="not mass, volume, area, length or items") as caught:
        kf.read_epd(tmp_path / "energy.zip")
    assert caught.value.code == "epd_declared_unit"
    build.ilcd_zip(tmp_path / "zero.zip", build.ilcd_process(
        uuid="u9", name="Brick", flow=flow, registration="NEPD-1-2", exchange_amount="0",
        results={GWP_TOTAL: {"A1-A3": "200"}}), flow,
        build.ilcd_flow(uuid=flow, properties=[(MASS, "1")]))
    with pytest.raises(InputError, match="not a positive number") as caught:
        kf.read_epd(tmp_path / "zero.zip")


def test_no_product_stage_unknown_indicator_and_bad_value(tmp_path, build):
    path = tmp_path / "x.json"
    path.write_text(build.soda_json(uuid="u", name="Board", unit_property=AREA,
                                    reference_unit="m2", flow_value=1.0,
                                    results={GWP_TOTAL: {"A1": "1", "A2": "ND", "A3": "2"}}))
    with pytest.raises(InputError, match="A1-A3 is not declared") as caught:
        kf.read_epd(path)
    assert (caught.value.code, caught.value.found) == ("epd_no_product_stage", "A1, A3")
    with pytest.raises(InputError, match="no gwp-ghg values") as caught:
        kf.read_epd(path, indicator="GWP-GHG")
    assert caught.value.found == "gwp-total"
    with pytest.raises(InputError, match="unknown indicator 'ODP'"):
        kf.read_epd(path, indicator="ODP")
    path.write_text(build.soda_json(uuid="u", name="Board", unit_property=AREA,
                                    reference_unit="m2", flow_value=1.0,
                                    results={GWP_TOTAL: {"A1-A3": "about 3"}}))
    with pytest.raises(InputError, match="module A1-A3 holds 'about 3', not a number"):
        kf.read_epd(path)


def test_xml_with_a_doctype_is_refused_alone_and_in_a_zip(tmp_path, build):
    doctype = '<!DOCTYPE p [<!ENTITY lol "lol">]>'
    process = build.ilcd_process(uuid="u", name="Bomb", flow="f", doctype=doctype,
                                 results={GWP_TOTAL: {"A1-A3": "&lol;"}})
    (tmp_path / "bomb.xml").write_text(process)
    with pytest.raises(UnsafeWorkbookError) as caught:
        kf.read_epd(tmp_path / "bomb.xml")
    assert caught.value.code == "xml_entities"
    build.ilcd_zip(tmp_path / "bomb.zip", process, "f", None)
    with pytest.raises(UnsafeWorkbookError) as caught:
        kf.read_epd(tmp_path / "bomb.zip")
    assert caught.value.code == "xml_entities"


def test_zip_and_document_caps(tmp_path, build):
    # a member inflating 1000-fold: refused by the workbook caps before any parse
    with zipfile.ZipFile(tmp_path / "big.zip", "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("ILCD/processes/p.xml", b"<a>" + b" " * 3_000_000 + b"</a>")
    with pytest.raises(UnsafeWorkbookError) as caught:
        kf.read_epd(tmp_path / "big.zip")
    assert caught.value.code == "archive_too_large"
    (tmp_path / "long.json").write_text('{"impacts": {}, "x": "' + "a" * 2000 + '"}')
    with pytest.raises(InputError) as caught:
        kf.read_epd(tmp_path / "long.json", limits=EpdLimits(max_document_bytes=1000))
    assert caught.value.code == "file_too_large"
    (tmp_path / "two.zip").write_bytes(b"")
    with zipfile.ZipFile(tmp_path / "two.zip", "w") as archive:
        archive.writestr("a/processes/1.xml", "<a/>")
        archive.writestr("a/processes/2.xml", "<a/>")
    with pytest.raises(InputError, match="holds 2 ILCD process datasets") as caught:
        kf.read_epd(tmp_path / "two.zip")
    (tmp_path / "deep.json").write_text("[" * 100_000 + "]" * 100_000)
    with pytest.raises(InputError) as caught:
        kf.read_epd(tmp_path / "deep.json")
    assert caught.value.code == "epd_unreadable"
    (tmp_path / "other.json").write_text('{"name": "not an EPD"}')
    with pytest.raises(InputError, match="no EPD format read here") as caught:
        kf.read_epd(tmp_path / "other.json")
    assert caught.value.code == "epd_format"
