"""End-to-end engine tests on hand-solvable tables (see conftest.hand_factors).

Expected values are worked out by hand in the comments.
"""

import dataclasses

import numpy as np
import pandas as pd
import pytest

import klimafotavtrykk as kf
from klimafotavtrykk.errors import InputError, MissingColumnError
from klimafotavtrykk.factors import factor_table_from_frame
from klimafotavtrykk.profiles import load_profile
from klimafotavtrykk.vocabulary import MODULES


@pytest.fixture
def calc(hand_factors, truck, no_mappings):
    def run(lines, profile="en15978", **kw):
        return kf.calculate(pd.DataFrame(lines), profile=profile, factors=hand_factors,
                            transport_modes=truck, mappings=no_mappings, **kw)
    return run


THREE_LINES = {
    "factor_id": ["concrete", "paint", "window"],
    "quantity": [10.0, 5.0, 3.0],
    "unit": ["m3", "kg", "m2"],
    "building_part": ["251", "232", "234"],
}


def test_three_lines_whole_life(calc):
    r = calc(THREE_LINES, profile="en15978")   # P = 60, every module, +25 % on generic data
    by = r.by_module
    # concrete 10 m3: A1-A3 200 × 1.25 × 10 = 2 500; A4 2.4 t × 50 km × 0.1 × 10 = 120;
    #   A5 0.03 × (250 + 12 + 10) × 10 = 81.6; C3 100; D -50; life 100 a -> no B4
    # paint 5 kg: A1-A3 10; A4 0.001 × 100 × 0.1 × 5 = 0.05; A5 0.04 × 2.01 × 5 = 0.402;
    #   life 15 a at P 60 -> 3 replacements: B4 3 × (2 + 0.01 + 0.0804) × 5 = 31.356
    # window 3 m2: A1-A3 300; declared A4 2 × 3 = 6; no waste; life 40 -> 1 replacement:
    #   B4 1 × (100 + 2) × 3 = 306
    assert by["A1-A3"] == pytest.approx(2500 + 10 + 300)
    assert by["A4"] == pytest.approx(120 + 0.05 + 6)
    assert by["A5"] == pytest.approx(81.6 + 0.402)
    assert by["B4"] == pytest.approx(31.356 + 306)
    assert by["C3"] == pytest.approx(100)
    assert r.d == pytest.approx(-50)
    assert r.total == pytest.approx(2801.6 + 41.808 + 612)
    assert r.lines["replacements"].tolist() == [0, 3, 1]


def test_tek17_scope(calc):
    lines = {k: [*v, v[0], v[0]] for k, v in THREE_LINES.items()}
    lines["building_part"] = ["251", "232", "234", "31", None]
    r = calc(lines, profile="tek17")   # P = 50; A1-A3, A4, A5 (waste), B2, B4; parts 215, 216, 22-26
    # concrete: 2 500 + 120 + A5 0.03 × (250 + 12) × 10 = 78.6 -> 2 698.6 (no C3, no D)
    # paint: 15 a at P 50 -> 3 replacements, same 41.808; window: 40 a -> 1 replacement, 612
    assert r.total == pytest.approx(2698.6 + 41.808 + 612)
    assert r.d == 0.0
    assert r.by_module["C3"] == 0.0
    assert r.unmatched["reason"].tolist() == ["out_of_scope", "missing_building_part"]
    assert list(r.by_building_part.index) == ["23", "25"]
    assert r.by_building_part.loc["23"].sum() == pytest.approx(41.808 + 612)


def test_units_convert_through_density(calc):
    # 24 tonn of concrete at 2 400 kg/m3 = 10 m3; 10 000 l = 10 m3: same A1-A3 as 10 m3
    r = calc({"factor_id": ["concrete"] * 3, "quantity": [10.0, 24.0, 10_000.0],
              "unit": ["m3", "tonn", "l"], "building_part": ["251"] * 3})
    np.testing.assert_allclose(r.lines["A1-A3"], [2500.0] * 3)
    np.testing.assert_allclose(r.lines["mass"], [24_000.0] * 3)


def test_users_own_epd_published_ready_mix(truck, no_mappings):
    # Danish ready-mix 35 MPa, ILCD 0aa8b645…: A1-A3 = 268.5945 kg CO2e/m3 (GWP-total).
    # 26.356 m3 × 268.5945 = 7 079.0766 kg CO2e
    mine = pd.DataFrame({"factor_id": ["rmc35"], "declared_unit": ["m3"], "A1-A3": [268.5945],
                         "density_kg_m3": [2265], "source": ["ILCD 0aa8b645 (lcax fixture)"]})
    r = kf.calculate(pd.DataFrame({"factor_id": ["rmc35"], "quantity": [26.356], "unit": ["m3"]}),
                     profile="en15978", factors=mine, transport_modes=truck, mappings=no_mappings)
    assert r.by_module["A1-A3"] == pytest.approx(7079.08, abs=0.005)


def test_hot_rolled_coil_per_tonne(truck, no_mappings):
    # EPD-IES-0006676: 1 895.7 kg CO2e per 1 000 kg; 10 t -> 18 957 kg CO2e
    coil = pd.DataFrame({"factor_id": ["hrc"], "declared_unit": ["tonne"], "A1-A3": [1895.7],
                         "source": ["EPD-IES-0006676"]})
    r = kf.calculate(pd.DataFrame({"factor_id": ["hrc", "hrc"], "quantity": [10.0, 10_000.0],
                                   "unit": ["tonn", "kg"]}),
                     profile="en15978", factors=coil, transport_modes=truck, mappings=no_mappings)
    np.testing.assert_allclose(r.lines["A1-A3"], [18_957.0, 18_957.0])


def test_tonnes_of_a_product_declared_per_kg(truck, no_mappings):
    # every factor declared per kg (scale 1), lines in tonnes and kg: 2.5 t = 2 500 kg and
    # 40 kg, at 2.0 kg CO2e/kg -> 5 000 and 80 kg CO2e
    per_kg = pd.DataFrame({"factor_id": ["rebar"], "declared_unit": ["kg"], "A1-A3": [2.0],
                           "source": ["made up for hand calculation"]})
    r = kf.calculate(pd.DataFrame({"factor_id": ["rebar", "rebar"], "quantity": [2.5, 40.0],
                                   "unit": ["tonn", "kg"]}),
                     profile="en15978", factors=per_kg, extend=False, transport_modes=truck,
                     mappings=no_mappings)
    assert r.lines["declared_quantity"].tolist() == [2500.0, 40.0]
    assert r.lines["A1-A3"].tolist() == [5000.0, 80.0]


def test_lcabyg_worked_example(truck, no_mappings):
    # LCAbyg «Test eksempel» (ocni-dtu/lcax lcabyg_project.json): 25 kg of steel, factor
    # 818 kg CO2e/m3 at 7 850 kg/m3 -> 25 / 7 850 = 0.0031847 m3 -> A1-A3 2.6051;
    # service life 80 at P 50 -> 0 replacements; 100 m2 -> 2.6051 / 100 / 50 = 5.21e-4 /m2/yr
    steel = pd.DataFrame({"factor_id": ["steel"], "declared_unit": ["m3"], "A1-A3": [818.0],
                          "density_kg_m3": [7850.0], "service_life_years": [80],
                          "source": ["ÖKOBAUDAT 5aa09d72 via LCAbyg"]})
    profile = dataclasses.replace(load_profile("en15978"), reference_study_period=50)
    r = kf.calculate(pd.DataFrame({"factor_id": ["steel"], "quantity": [25.0], "unit": ["kg"]}),
                     profile=profile, factors=steel, transport_modes=truck, mappings=no_mappings,
                     bta_m2=100)
    assert r.lines["declared_quantity"].iloc[0] == pytest.approx(0.0031847, abs=5e-8)
    assert r.total == pytest.approx(2.6051, abs=5e-5)
    assert r.per_m2_year == pytest.approx(5.21e-4, abs=5e-7)


def test_every_line_is_computed_or_reported(calc, hand_factors, truck, no_mappings):
    lines = {
        "factor_id": ["concrete", "concrete", "concrete", "ghost", None, "concrete", "paint", "concrete"],
        "description": [None, None, None, None, "ukjent produkt", None, None, None],
        "quantity": [1.0, np.nan, 1.0, 1.0, 1.0, 1.0, 1.0, 2.0],
        "unit": ["stk", "m3", "furlong", "m3", "m3", "RS", "kg", "m3"],
        "transport_mode": [None, None, None, None, None, None, "zeppelin", None],
        "building_part": ["251"] * 8,
    }
    r = calc(lines)
    assert r.unmatched["reason"].tolist() == [
        "incompatible_unit", "missing_quantity", "unknown_unit", "unknown_factor", "no_factor",
        "lump_sum", "unknown_transport_mode"]
    assert len(r.lines) == 1 and r.lines["row_id"].tolist() == [7]
    assert sorted([*r.lines["row_id"], *r.unmatched["row_id"]]) == list(range(8))


def test_an_infinite_quantity_is_reported_as_missing(calc):
    # A frame can hold ±inf (Excel cannot): such a line has no quantity, so it is reported
    # as missing_quantity, the reason the user can act on, not as a unit problem; the finite
    # line computes alone: paint 5 kg × A1-A3 2 kg CO2e/kg = 10 (conftest.hand_factors).
    r = calc({"factor_id": ["paint", "paint", "paint"], "quantity": [np.inf, -np.inf, 5.0],
              "unit": ["kg", "kg", "kg"], "building_part": ["232"] * 3})
    assert r.unmatched["reason"].tolist() == ["missing_quantity", "missing_quantity"]
    assert r.lines["row_id"].tolist() == [2]
    assert r.lines["A1-A3"].tolist() == [10.0]


def test_a_repeated_column_name_is_refused_by_name(calc, truck, no_mappings):
    # After a concat or merge a frame can hold "unit" twice; frame["unit"] is then a frame,
    # and one of the two would be read, the other ignored. The caller is told which name.
    lines = pd.DataFrame(THREE_LINES)
    twice = pd.concat([lines, lines[["unit"]]], axis=1)
    with pytest.raises(InputError, match=r"columns occur more than once: \['unit'\]") as info:
        calc(twice)
    assert info.value.code == "repeated_column" and info.value.found == "unit"
    # names are compared as they are read, stripped: "quantity " is "quantity"
    with pytest.raises(InputError, match="quantity"):
        calc(lines.assign(**{"quantity ": lines["quantity"]}))
    # the same for a factor table handed in as a frame
    factors = pd.DataFrame({"factor_id": ["x"], "declared_unit": ["kg"], "A1-A3": [1.0],
                            "source": ["hand"]})
    with pytest.raises(kf.errors.DataError, match=r"more than once: \['A1-A3'\]"):
        kf.calculate(pd.DataFrame({"factor_id": ["x"], "quantity": [1.0], "unit": ["kg"]}),
                     profile="en15978", factors=pd.concat([factors, factors[["A1-A3"]]], axis=1),
                     transport_modes=truck, mappings=no_mappings)


def test_a_line_in_hours_is_not_computed_as_mass(calc):
    # 10 timer of paint (declared per kg): hours have no mass, so the line is reported as
    # incompatible_unit; before, it was read as 10 kg.
    r = calc({"factor_id": ["paint"], "quantity": [10.0], "unit": ["timer"],
              "building_part": ["232"]})
    assert r.unmatched["reason"].tolist() == ["incompatible_unit"]
    assert r.lines.empty
    # the same for the site units Nm3 and tonne-km on a bill-of-quantities line
    r = calc({"factor_id": ["paint", "paint"], "quantity": [10.0, 10.0], "unit": ["Nm3", "tonnkm"],
              "building_part": ["232", "232"]})
    assert r.unmatched["reason"].tolist() == ["incompatible_unit", "incompatible_unit"]


def test_indicator_not_accepted(truck, no_mappings):
    total = pd.DataFrame({"factor_id": ["x"], "declared_unit": ["kg"], "A1-A3": [1.0],
                          "indicator": ["gwp-total"], "source": ["hand"]})
    r = kf.calculate(pd.DataFrame({"factor_id": ["x"], "quantity": [1.0], "unit": ["kg"],
                                   "building_part": ["22"]}),
                     profile="tek17", factors=total, transport_modes=truck, mappings=no_mappings)
    assert r.unmatched["reason"].tolist() == ["indicator_not_accepted"]


def test_line_overrides_transport_and_waste(calc):
    # concrete with its own 100 km: A4 = 2.4 × 100 × 0.1 = 24 per m3; waste 0 means none
    r = calc({"factor_id": ["concrete", "concrete"], "quantity": [1.0, 1.0], "unit": ["m3", "m3"],
              "transport_km": [100.0, np.nan], "waste_rate": [0.0, np.nan], "building_part": ["25", "25"]})
    assert r.lines["A4"].tolist() == pytest.approx([24.0, 12.0])
    assert r.lines["A5"].tolist() == pytest.approx([0.0, 0.03 * (250 + 12 + 10)])


def test_module_totals_reconcile_with_lines(calc):
    r = calc(THREE_LINES)
    np.testing.assert_allclose(r.lines[list(MODULES)].sum().to_numpy(), r.by_module.to_numpy())
    np.testing.assert_allclose(r.by_building_part.sum().to_numpy(), r.by_module.to_numpy())
    assert r.lines["kg_co2e"].sum() == pytest.approx(r.total)


def test_coverage_shows_undeclared_modules(calc):
    r = calc(THREE_LINES)
    # C3 is declared by 1 of 3 factors; C1 by none
    assert r.coverage["C3"] == pytest.approx(1 / 3)
    assert r.coverage["C1"] == 0.0


def test_json_shape(calc):
    out = calc(THREE_LINES, bta_m2=100).to_dict()
    assert set(out["by_module"]) == set(MODULES)
    assert out["lines"] == 3 and out["unmatched"] == 0
    assert out["kg_co2e_per_m2_year"] == pytest.approx(out["total_kg_co2e"] / 100 / 60)


def test_bad_input_is_a_clear_error(calc):
    with pytest.raises(MissingColumnError, match="unit"):
        calc({"quantity": [1.0]})
    with pytest.raises(InputError, match="waste rate"):
        calc({"factor_id": ["paint"], "quantity": [1.0], "unit": ["kg"], "waste_rate": [1.5]})
    with pytest.raises(InputError, match="DataFrame"):
        kf.calculate([1, 2, 3])


def test_factor_table_rejects_rows_without_source():
    from klimafotavtrykk.errors import DataError
    with pytest.raises(DataError, match="no source"):
        factor_table_from_frame(pd.DataFrame({"factor_id": ["a"], "declared_unit": ["kg"],
                                              "A1-A3": [1.0], "source": [""]}))


def test_area_with_thickness_converts_through_density(truck, no_mappings):
    # Asphalt declared per tonne, 2 400 kg/m3 (a hand value): 1 000 m2 × 0.04 m × 2 400 kg/m3
    # = 96 000 kg = 96 t; at 50 kg CO2e/t -> 4 800 kg CO2e
    asphalt = pd.DataFrame({"factor_id": ["asphalt"], "declared_unit": ["tonne"], "A1-A3": [50.0],
                            "density_kg_m3": [2400.0], "source": ["hand"]})
    r = kf.calculate(pd.DataFrame({"factor_id": ["asphalt", "asphalt"], "quantity": [1000.0, 1000.0],
                                   "unit": ["m2", "m2"], "thickness": [0.04, np.nan]}),
                     profile="en15978", factors=asphalt, transport_modes=truck, mappings=no_mappings)
    assert r.lines["declared_quantity"].tolist() == pytest.approx([96.0])
    assert r.by_module["A1-A3"] == pytest.approx(4800.0)
    assert r.unmatched["reason"].tolist() == ["incompatible_unit"]   # m2 without thickness


def test_site_counts_under_ns3720_but_not_tek17(calc):
    # 1 000 L fossil diesel in an excavator, life-cycle factor of the shipped table
    # (Boverket 6000000011: 0.0951 kg/MJ × 35.2 MJ/l = 3.34752 kg/l) -> 3 347.52 kg in A5;
    # 10 000 t km of masses by long-haul truck at 0.0695 kg/tkm -> 695 kg in A4, listed apart
    site = pd.DataFrame({"activity": ["graving", "massetransport"], "machine": ["gravemaskin", "lastebil"],
                         "carrier": ["diesel", None], "litres": [1000.0, np.nan],
                         "tonne_km": [np.nan, 10_000.0], "vehicle_class": [None, "truck_long_haul"],
                         "scope": ["site", "mass_transport"]})
    whole = calc(THREE_LINES, profile="ns3720", site=site)
    plain = calc(THREE_LINES, profile="ns3720")
    assert whole.by_module["A5"] - plain.by_module["A5"] == pytest.approx(3347.52)
    assert whole.by_module["A4"] - plain.by_module["A4"] == pytest.approx(695.0)
    assert whole.other.loc["site", "A5"] == pytest.approx(3347.52)
    np.testing.assert_allclose(whole.lines[list(MODULES)].sum().to_numpy() + whole.other.sum().to_numpy(),
                               whole.by_module.to_numpy())
    tek = calc(THREE_LINES, profile="tek17", site=site)
    assert tek.total == pytest.approx(calc(THREE_LINES, profile="tek17").total)
    assert tek.site is not None and tek.site.total == pytest.approx(3347.52)
    assert tek.metadata["site_counted"] is False


def test_operational_energy_b6(calc):
    # 10 000 kWh/a of Norwegian delivered electricity (NVE 2023: 15 g/kWh) over 60 a = 9 000 kg;
    # the European mix (ZEB/SIMIEN 130 g/kWh) gives 78 000 kg
    no = calc(THREE_LINES, profile="ns3720", operational_energy={"electricity": 10_000})
    eu = calc(THREE_LINES, profile="ns3720", operational_energy={"electricity": 10_000},
              electricity="electricity_eu")
    assert no.by_module["B6"] == pytest.approx(9_000.0)
    assert eu.by_module["B6"] == pytest.approx(78_000.0)
    assert calc(THREE_LINES, profile="tek17", operational_energy={"electricity": 10_000}).by_module["B6"] == 0
    with pytest.raises(InputError, match="no life-cycle factor"):
        calc(THREE_LINES, profile="ns3720", operational_energy={"coal": 1.0})


def test_b6_with_a_yearly_grid_series_and_a_users_own_carrier(calc):
    period50 = dataclasses.replace(load_profile("ns3720"), reference_study_period=50)
    # grid factor falling by 1 g/kWh a year from 50 g/kWh: sum over 50 years
    # = 50 x 0.050 - 0.001 x (0 + 1 + ... + 49) = 2.5 - 1.225 = 1.275 kg/kWh;
    # x 10 000 kWh a year = 12 750 kg CO2e
    series = [0.050 - 0.001 * year for year in range(50)]
    b6 = calc(THREE_LINES, profile=period50, operational_energy={"electricity": 10_000},
              energy_factors={"electricity": series})
    assert b6.by_module["B6"] == pytest.approx(12_750.0)
    # a carrier of the user's own: 2 000 kWh a year at 0.020 kg/kWh for 50 years = 2 000 kg
    own = calc(THREE_LINES, profile=period50, operational_energy={"heat_pump_x": 2_000},
               energy_factors={"heat_pump_x": 0.020})
    assert own.by_module["B6"] == pytest.approx(2_000.0)
    with pytest.raises(InputError, match="one value per year") as err:
        calc(THREE_LINES, profile=period50, operational_energy={"electricity": 1.0},
             energy_factors={"electricity": series[:49]})
    assert err.value.expected == "50 values (the study period)"
    # an unknown carrier names the known ones
    with pytest.raises(InputError) as err:
        calc(THREE_LINES, profile=period50, operational_energy={"electrcity_no": 1.0})
    assert "electricity_no" in err.value.expected and "district_heating_no" in err.value.expected
    with pytest.raises(InputError, match="≥ 0 kWh"):
        calc(THREE_LINES, profile=period50, operational_energy={"electricity": -5.0})


@pytest.mark.parametrize("bta", [0.0, -100.0, float("nan")])
def test_gross_area_must_be_positive(calc, bta):
    with pytest.raises(InputError, match="positive number") as err:
        calc(THREE_LINES, bta_m2=bta)
    assert err.value.code == "bad_area"


def test_implausible_quantities_are_warned_listed_and_still_computed(calc):
    from klimafotavtrykk.errors import PlausibilityWarning

    lines = {"factor_id": ["concrete", "paint", "concrete"],
             "quantity": [-1_000.0, 1e12, 10.0],          # a credit line; 1e12 tonnes of paint
             "unit": ["m3", "tonn", "m3"],
             "building_part": ["251", "232", "251"]}
    with pytest.warns(PlausibilityWarning, match="2 line"):
        result = calc(lines)
    found = {r["row"]: r["check"] for r in result.metadata["implausible_lines"]}
    assert found == {0: "negative_quantity", 1: "quantity_too_large"}   # 1e15 kg > 1e9 kg
    assert len(result.lines) == 3
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        calc(THREE_LINES)      # nothing to say about plausible lines


# ------------------------------------------------------------- the user's own factor table

def _own_factors():
    # concrete_c30_37 replaces the shipped row (Boverket 0.116 kg/kg) with an EPD at 0.080 kg/kg;
    # my_insulation is new (3.0 kg CO2e per m2). No dataset_type: product EPDs, no markup.
    return pd.DataFrame({
        "factor_id": ["concrete_c30_37", "my_insulation"], "declared_unit": ["kg", "m2"],
        "A1-A3": [0.080, 3.0], "density_kg_m3": [2350.0, np.nan],
        "material_group": ["concrete", "insulation"], "source": ["EPD A", "EPD B"]})


OWN_LINES = pd.DataFrame({
    "description": ["Plasstøpt betong B30", "Isolasjon, egen EPD", "Gipsplater"],
    "factor_id": [None, "my_insulation", None],
    "quantity": [10.0, 100.0, 500.0], "unit": ["m3", "m2", "kg"],
    "building_part": ["251", "232", "232"]})


def _product_stage_only():
    return dataclasses.replace(load_profile("tek17"), modules=("A1-A3",))


def test_own_factors_extend_the_shipped_table():
    r = kf.calculate(OWN_LINES, _product_stage_only(), factors=_own_factors())
    # B30 by alias -> concrete_c30_37, now the user's: 10 m3 × 2 350 kg/m3 × 0.080 = 1 880
    # my_insulation named on the line: 100 m2 × 3.0 = 300
    # Gipsplater by alias -> shipped gypsum_board_standard (generic, tek17 markup 25 %):
    #   500 kg × 0.227 × 1.25 = 141.875
    assert r.unmatched.empty
    assert r.lines["factor_id"].tolist() == ["concrete_c30_37", "my_insulation",
                                             "gypsum_board_standard"]
    assert r.lines["A1-A3"].tolist() == pytest.approx([1880.0, 300.0, 141.875])
    assert r.total == pytest.approx(2321.875)
    meta = r.metadata
    assert meta["user_factor_ids"] == ["concrete_c30_37", "my_insulation"]
    assert meta["replaced_factor_ids"] == ["concrete_c30_37"]
    shipped, own = meta["factor_tables"]
    assert shipped["sha256"] == kf.load_factors().sha256 and "materials.csv" in shipped["name"]
    assert own["name"] == "<frame>" and len(own["sha256"]) == 64


def test_own_factor_file_is_named_with_its_hash(tmp_path):
    path = tmp_path / "mine_epd.csv"
    _own_factors().to_csv(path, index=False)
    r = kf.calculate(OWN_LINES, _product_stage_only(), factors=path)
    import hashlib

    assert r.metadata["factor_tables"][1] == {
        "name": "mine_epd.csv", "sha256": hashlib.sha256(path.read_bytes()).hexdigest()}
    assert r.total == pytest.approx(2321.875)


def test_own_factors_alone_on_request(tmp_path):
    # extend=False, or a FactorTable loaded from the file: only the user's rows. The alias
    # still points at concrete_c30_37 (now the user's); Gipsplater finds nothing.
    for kw in ({"factors": _own_factors(), "extend": False},
               {"factors": kf.load_factors(_write(tmp_path, _own_factors()))}):
        r = kf.calculate(OWN_LINES, _product_stage_only(), **kw)
        assert r.lines["A1-A3"].tolist() == pytest.approx([1880.0, 300.0])
        assert r.unmatched["reason"].tolist() == ["no_factor"]


def _write(folder, frame):
    path = folder / "own.csv"
    frame.to_csv(path, index=False)
    return path


def _one_concrete(**columns):
    return pd.DataFrame({"factor_id": ["my_concrete"], "declared_unit": ["kg"], "A1-A3": [0.080],
                         "density_kg_m3": [2350.0], "source": ["EPD A"], **columns})


CONCRETE_LINE = pd.DataFrame({"factor_id": ["my_concrete"], "quantity": [10.0], "unit": ["m3"],
                              "building_part": ["251"]})


def test_own_row_without_scenario_gets_its_group_default():
    with pytest.warns(kf_errors().DefaultValueWarning, match="1 own factor row"):
        r = kf.calculate(CONCRETE_LINE, "tek17", factors=_one_concrete(material_group=["concrete"]))
    # 10 m3 × 2 350 kg/m3 = 23 500 kg; A1-A3 = 23 500 × 0.080 = 1 880
    # A4: scenario_defaults.csv, concrete: 35 km by truck_concrete, 0.10425 kg CO2e/tkm
    #     (transport_modes.csv) -> 23.5 t × 35 km × 0.10425 = 85.745625
    # A5: waste 3 % of (A1-A3 + A4) (lifecycle.construction.site_waste, Boverket A5.1)
    #     = 0.03 × 1 965.745625 = 58.97236875
    line = r.lines.iloc[0]
    assert line["A1-A3"] == pytest.approx(1880.0)
    assert line["A4"] == pytest.approx(85.745625)
    assert line["A5"] == pytest.approx(58.97236875)
    assert r.total == pytest.approx(1880.0 + 85.745625 + 58.97236875)
    (applied,) = r.metadata["defaults_applied"]
    assert applied["factor_id"] == "my_concrete" and applied["material_group"] == "concrete"
    assert applied["filled"] == "transport_km, transport_mode, waste_rate"
    assert applied["source"].startswith("scenario_defaults.csv row 2: ")
    assert r.metadata["no_default_factor_ids"] == []


def test_own_distance_keeps_and_only_the_mode_is_filled():
    with pytest.warns(kf_errors().DefaultValueWarning):
        r = kf.calculate(CONCRETE_LINE, "tek17", factors=_one_concrete(
            material_group=["concrete"], transport_km=[100.0], waste_rate=[0.0]))
    # 23.5 t × 100 km × 0.10425 = 244.9875; the row's own waste rate 0 -> A5 = 0
    assert r.lines["A4"].iloc[0] == pytest.approx(244.9875)
    assert r.lines["A5"].iloc[0] == pytest.approx(0.0)
    assert r.metadata["defaults_applied"][0]["filled"] == "transport_mode"


def test_own_row_without_group_is_named_never_a_silent_zero():
    with pytest.warns(kf_errors().DefaultValueWarning, match="A4/A5 are not computed") as caught:
        r = kf.calculate(CONCRETE_LINE, "tek17", factors=_one_concrete())
    assert len(caught) == 1 and "material_group" in str(caught[0].message)
    assert r.metadata["no_default_factor_ids"] == ["my_concrete"]
    assert r.metadata["defaults_applied"] == []
    assert r.lines["A4"].iloc[0] == 0.0 and r.coverage["A4"] == 0.0


def test_no_default_where_the_profile_leaves_a4_a5_out():
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        r = kf.calculate(CONCRETE_LINE, _product_stage_only(),
                         factors=_one_concrete(material_group=["concrete"]))
    assert r.metadata["defaults_applied"] == [] and r.total == pytest.approx(1880.0)


def test_own_row_declaring_a4_and_a5_takes_no_default():
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")  # nothing filled: no DefaultValueWarning
        r = kf.calculate(CONCRETE_LINE, "tek17", factors=_one_concrete(
            material_group=["concrete"], A4=[0.002], A5=[0.004]))
    # 10 m3 × 2 350 kg/m3 = 23 500 kg; A4 = 23 500 × 0.002 = 47; A5 = 23 500 × 0.004 = 94
    assert r.lines["A4"].iloc[0] == pytest.approx(47.0)
    assert r.lines["A5"].iloc[0] == pytest.approx(94.0)
    assert r.metadata["defaults_applied"] == [] and r.metadata["no_default_factor_ids"] == []


def test_own_row_declaring_a4_only_takes_the_group_waste_rate():
    with pytest.warns(kf_errors().DefaultValueWarning, match="1 own factor row"):
        r = kf.calculate(CONCRETE_LINE, "tek17", factors=_one_concrete(
            material_group=["concrete"], A4=[0.002]))
    # A4 as declared: 23 500 kg × 0.002 = 47; A5: concrete's 3 % waste (scenario_defaults.csv)
    # of (A1-A3 + A4) = 0.03 × (1 880 + 47) = 57.81
    assert r.lines["A4"].iloc[0] == pytest.approx(47.0)
    assert r.lines["A5"].iloc[0] == pytest.approx(57.81)
    assert r.metadata["defaults_applied"][0]["filled"] == "waste_rate"


def kf_errors():
    from klimafotavtrykk import errors

    return errors
