"""calculate() reads thicknesses, sections and pipe sizes from the description.

Every expected value is worked by hand below from the shipped factor rows
(data/emission_factors/*.csv: A1-A3 per kg and density) and the cited
conversion tables, never copied from the engine's output. The profile is
tek17, whose generic markup adds 25 % to A1-A3 of generic data (all rows used
here are ``dataset_type`` generic), so A1-A3 = kg × A1-A3 per kg × 1.25.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

import klimafotavtrykk as kf
from klimafotavtrykk.dimensions import (
    FramingAllowance,
    framing_volume_per_area,
    load_framing_allowance,
    parse_dimensions,
    stud_volume_per_area,
)

MARKUP = 1.25  # tek17 generic_markup 0.25 on A1-A3 (data/profiles/tek17.toml)


def run(descriptions, quantities, units, **columns):
    """Calculate lines under tek17, building part 23 (in scope)."""
    lines = pd.DataFrame({"description": descriptions, "quantity": quantities, "unit": units,
                          "building_part": "23", **columns})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return kf.calculate(lines, profile="tek17")


def one(result):
    """The single computed line."""
    assert len(result.unmatched) == 0, result.unmatched[["description", "reason"]]
    assert len(result.lines) == 1
    return result.lines.iloc[0]


def test_stud_wall_in_m2_becomes_timber_volume_with_plates():
    # sawn_timber: A1-A3 0.064 kg CO2e/kg, density 455 kg/m3 (materials.csv).
    # Studs only: 0.048 x 0.198 / 0.6 = 0.01584 m3/m2 -> 1050 m2 = 16.632 m3.
    # Studs + 2 plates / 2.4 m: 0.01584 + 2 x 0.009504 / 2.4 = 0.02376 m3/m2 -> 24.948 m3.
    # The engine uses the full allowance of data/geometry/framing.toml (2 plates,
    # 2.4 m, +15 %): 0.02376 x 1.15 = 0.027324 m3/m2 -> 1050 x 0.027324 = 28.6902 m3.
    # 28.6902 m3 x 455 = 11 476.08 + 1 577.961 = 13 054.041 kg; x 0.064 = 835.4586 kg CO2e;
    # x 1.25 = 1 044.3233.
    assert 1050 * stud_volume_per_area(48, 198, 600) == pytest.approx(16.632)
    line = one(run(["Bindingsverk av heltre C24, 48x198 mm, c/c 600"], [1050.0], ["m2"]))
    assert line["factor_id"] == "sawn_timber"
    assert line["mass"] == pytest.approx(13_054.041, rel=1e-6)
    assert line["A1-A3"] == pytest.approx(1_044.3233, rel=1e-6)
    assert line["dimension_source"] == "48x198 mm; c/c 600"
    assert "plates" in line["conversion"] and "framing.toml" in line["conversion"]


def test_stud_wall_without_spacing_takes_the_default_c_c_and_says_so():
    # No c/c in the text: data/geometry/framing.toml's default c/c 600 mm, so the same
    # 13 054.041 kg and 1 044.3233 kg CO2e as the wall above; the conversion says it was assumed.
    line = one(run(["Bindingsverk av heltre C24, 48x198 mm, yttervegger"], [1050.0], ["m2"]))
    assert line["mass"] == pytest.approx(13_054.041, rel=1e-6)
    assert line["A1-A3"] == pytest.approx(1_044.3233, rel=1e-6)
    assert "no c/c in the text" in line["conversion"]
    # boards laid edge to edge are no stud wall: no default spacing without a framing word
    boards = run(["Kledning, liggende panel 19x148 mm, furu"], [100.0], ["m2"])
    assert "c/c" not in str(boards.lines.get("conversion", pd.Series(dtype=object)).tolist())


def test_gypsum_in_m2_takes_thickness_times_density():
    # "Gipsplater" matches gypsum_board_standard: A1-A3 0.227 kg CO2e/kg, density
    # 710 kg/m3 and no area mass of its own, so the 13 mm of the text is used:
    # 300 m2 x 0.013 m = 3.9 m3 x 710 = 2 769 kg; x 0.227 = 628.563; x 1.25 = 785.704.
    line = one(run(["Gipsplater 13 mm"], [300.0], ["m2"]))
    assert line["factor_id"] == "gypsum_board_standard"
    assert line["mass"] == pytest.approx(2_769.0)
    assert line["A1-A3"] == pytest.approx(785.70375)
    assert line["conversion"] == "thickness 13 mm from text × density 710 kg/m³"


def test_factor_with_its_own_area_mass_keeps_it():
    # pvc_roofing_membrane gives 1.5 kg/m2 (and 1250 kg/m3): 100 m2 -> 150 kg,
    # not 100 x 0.002 x 1250 = 250 kg from the "2 mm" of the text.
    line = one(run(["PVC takfolie 2 mm"], [100.0], ["m2"], factor_id=["pvc_roofing_membrane"]))
    assert line["mass"] == pytest.approx(150.0)
    assert line["conversion"] is None or pd.isna(line["conversion"])


@pytest.mark.parametrize("description, factor_id", [
    ("Plasstøpt betong B30 dekke 250 mm", None),  # matched through its strength class
    ("Plasstøpt betong dekke 250 mm", "concrete_c30_37"),  # no class: factor given on the line
])
def test_cast_slab_in_m2(description, factor_id):
    # concrete_c30_37: A1-A3 0.116 kg CO2e/kg, density 2350 kg/m3.
    # 100 m2 x 0.25 m = 25 m3 x 2350 = 58 750 kg; x 0.116 = 6 815; x 1.25 = 8 518.75.
    line = one(run([description], [100.0], ["m2"], factor_id=[factor_id]))
    assert line["factor_id"] == "concrete_c30_37"
    assert line["mass"] / 2350.0 == pytest.approx(25.0)
    assert line["A1-A3"] == pytest.approx(8_518.75)


def test_pvc_pipe_sn8_d110():
    # The text matches pvc_sn8_d110, whose own linear mass (1.50314 kg/m, A1-A3
    # 4.55 kg CO2e/kg) it keeps: 110 m x 1.50314 = 165.3454 kg; x 4.55 x 1.25 = 940.402.
    line = one(run(["PVC SN8 Ø110"], [110.0], ["m"]))
    assert line["factor_id"] == "pvc_sn8_d110"
    assert line["mass"] == pytest.approx(165.3454)
    assert line["A1-A3"] == pytest.approx(940.40196, rel=1e-6)
    # The size-less proxy has no linear mass: the pipe table's published mass for
    # OD 110 SN 8 (1.71 kg/m, Plastmec, coverage_data.md 3b) wins over the derived
    # 1.503: 110 x 1.71 = 188.1 kg; x 4.55 = 855.855; x 1.25 = 1 069.819.
    line = one(run(["PVC SN8 Ø110"], [110.0], ["m"], factor_id=["civil_pvc_pipe_proxy"]))
    assert line["mass"] == pytest.approx(188.1)
    assert line["A1-A3"] == pytest.approx(1_069.81875)
    assert "published 1.71 kg/m" in line["conversion"]


def test_pvc_pipe_size_not_tabulated_uses_sn_to_sdr():
    # OD 140 is not in pipe_masses.csv; SN 8 is the SDR 34 series (EN 1401-1,
    # coverage_data.md 3b): e = 140 / 34 = 4.1176 mm; pi x (140 - 4.1176) x 4.1176 mm2
    # = 1 757.77 mm2 = 0.00175777 m2; x 1400 kg/m3 = 2.46088 kg/m; 10 m -> 24.6088 kg.
    line = one(run(["PVC Ø140 SN8"], [10.0], ["m"], factor_id=["civil_pvc_pipe_proxy"]))
    assert line["mass"] == pytest.approx(24.6088, rel=1e-5)
    assert "SDR 34" in line["conversion"]


def test_batten_section_in_m():
    # sawn_timber 455 kg/m3: 100 m x 0.036 x 0.048 m2 = 0.1728 m3 -> 78.624 kg.
    line = one(run(["Lekter 36x48 mm"], [100.0], ["m"], factor_id=["sawn_timber"]))
    assert line["mass"] == pytest.approx(78.624)
    assert line["dimension_source"] == "36x48 mm"


def test_explicit_thickness_column_beats_the_text():
    # stone_wool_batts 29 kg/m3: the column says 150 mm, the text 200 mm.
    # 100 m2 x 0.150 x 29 = 435 kg (the text would give 580 kg).
    line = one(run(["Isolasjon steinull 200 mm"], [100.0], ["m2"], thickness_mm=[150.0],
                   factor_id=["stone_wool_batts"]))
    assert line["mass"] == pytest.approx(435.0)
    assert line["conversion"] is None or pd.isna(line["conversion"])
    line = one(run(["Isolasjon steinull 200 mm"], [100.0], ["m2"], factor_id=["stone_wool_batts"]))
    assert line["mass"] == pytest.approx(580.0)


def test_grading_range_is_no_thickness():
    assert np.isnan(parse_dimensions(pd.Series(["Pukk 0-32 mm forsterkningslag"]))
                    .loc[0, "thickness_mm"])
    result = run(["Pukk 0-32 mm forsterkningslag"], [100.0], ["m2"],
                 factor_id=["crushed_rock_aggregate"])
    assert len(result.lines) == 0
    row = result.unmatched.iloc[0]  # not computed (under tek17 its gwp-total row is refused too)
    assert "0-32 mm read as a grading" in row["dimension_note"]


def test_concrete_pipe_by_dn_takes_the_wall_b_mass():
    # DN is the inner diameter; ASTM C76 Wall B: t = 400/12 + 25 = 58.333 mm, outer 516.667 mm.
    # pi/4 x (516.667^2 - 400^2) mm2 = pi/4 x 106 944.4 = 83 993.5 mm2 = 0.0839935 m2
    # x 2400 kg/m3 = 201.584 kg/m; 50 m -> 10 079.2 kg.
    line = one(run(["Betongrør DN400"], [50.0], ["m"], factor_id=["civil_concrete_pipe_proxy"]))
    assert line["mass"] == pytest.approx(10079.2, rel=1e-4)
    assert "DN400 concrete" in line["conversion"] and "pipe_masses.csv" in line["conversion"]


def test_concrete_pipe_of_unlisted_dn_stays_unmatched_with_its_reason():
    # pipe_masses.csv lists DN300-1000 for concrete; DN2000 is not there.
    result = run(["Betongrør DN2000"], [50.0], ["m"], factor_id=["civil_concrete_pipe_proxy"])
    assert len(result.lines) == 0
    note = result.unmatched.iloc[0]["dimension_note"]
    assert "concrete pipe DN2000" in note and "pipe_masses.csv" in note


@pytest.mark.parametrize("width, depth, height, no_extra, with_extra", [
    # coverage_data.md section 6, table of stud walls (2 plates, +15 %)
    (48, 198, 2.4, 0.0238, 0.0273),
    (48, 198, 2.7, 0.0229, 0.0263),
    (48, 148, 2.4, 0.0178, 0.0204),
    (48, 98, 2.4, 0.0118, 0.0135),
])
def test_framing_formula_reproduces_the_reference_table(width, depth, height, no_extra, with_extra):
    # Replaces data/conversions/timber_framing.csv, which tabulated the same formula.
    bare = FramingAllowance(plates=2, wall_height_m=height, extra_share=0.0, sources={})
    full = FramingAllowance(plates=2, wall_height_m=height, extra_share=0.15, sources={})
    assert framing_volume_per_area(width, depth, 600, bare) == pytest.approx(no_extra, abs=5e-5)
    assert framing_volume_per_area(width, depth, 600, full) == pytest.approx(with_extra, abs=5e-5)


def test_shipped_framing_allowance_is_the_reference_default():
    allowance = load_framing_allowance()
    assert (allowance.plates, allowance.wall_height_m, allowance.extra_share) == (2, 2.4, 0.15)


def test_kerb_section_without_unit_is_in_cm():
    # civil_concrete_kerb_proxy 2400 kg/m3; "15x25" on a kerb is 15 x 25 cm:
    # 310 m x 0.15 x 0.25 m2 = 11.625 m3 x 2400 = 27 900 kg.
    line = one(run(["Kantstein betong 15x25, rett, bakstøp B25"], [310.0], ["m"],
                   factor_id=["civil_concrete_kerb_proxy"]))
    assert line["mass"] == pytest.approx(27_900.0)


def test_metal_profile_height_is_no_solid_layer():
    # steel_sheet 7850 kg/m3: 0.9 mm sheet is a layer, 620 m2 x 0.0009 x 7850 = 4 380.3 kg;
    # "stålstender 70 mm" on light-gauge steel is a profile height, not 70 mm of solid steel
    # (100 m2 x 0.07 x 7850 = 54 950 kg): a stud wall is its studs, (1/0.6 + 2/2.4) x 1.15 =
    # 2.875 m/m2 x (70 + 2 x 50) mm x 0.6 mm x 7850 kg/m3 = 0.8007 kg/m -> 230.2 kg; a profile
    # height with no stud wall named is not computed.
    line = one(run(["Stålplatedekke 0,9 mm"], [620.0], ["m2"], factor_id=["steel_sheet"]))
    assert line["mass"] == pytest.approx(4_380.3)
    line = one(run(["Systemvegg stålstender 70 mm"], [100.0], ["m2"], factor_id=["steel_light_gauge"]))
    assert line["mass"] == pytest.approx(100 * 2.875 * 0.8007)
    result = run(["Lette stålprofiler 70 mm"], [100.0], ["m2"], factor_id=["steel_light_gauge"])
    assert len(result.lines) == 0
    assert "profile size" in result.unmatched.iloc[0]["dimension_note"]
