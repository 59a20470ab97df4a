"""calculate() converts lines whose size is written in the text (issue 11).

Each expected mass is worked by hand from the shipped factor row named on the
line (``factor_id`` given, so matching is not under test) and the cited table
or formula; none is copied from the engine's output.
"""

from __future__ import annotations

import warnings

import pandas as pd
import pytest

import klimafotavtrykk as kf


def run(description, quantity, unit, factor_id):
    """Calculate one line under ns3720, building part 23, with the factor named."""
    lines = pd.DataFrame({"description": [description], "quantity": [quantity], "unit": [unit],
                          "building_part": ["23"], "factor_id": [factor_id]})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return kf.calculate(lines, profile="ns3720")


def computed(description, quantity, unit, factor_id):
    """The single line, which must be computed."""
    result = run(description, quantity, unit, factor_id)
    assert result.unmatched.empty, result.unmatched[["reason", "dimension_note"]].to_dict("records")
    return result.lines.iloc[0]


def test_window_by_width_times_height():
    # window_wood_aluminium: 39.2 kg/m² (data/emission_factors/materials.csv);
    # 1200x1400 mm = 1.68 m² per window; 10 windows = 10 × 1.68 × 39.2 = 658.56 kg
    line = computed("Vinduer tre/alu, 1200x1400, U-verdi 0,8", 10, "stk", "window_wood_aluminium")
    assert line["mass"] == pytest.approx(658.56)
    assert "1200x1400 mm" in line["conversion"] and "1.68 m²" in line["conversion"]


def test_door_in_modules():
    # door_external_wood: 27.7 kg/m², no piece mass; M10x21 = 1.0 × 2.1 m = 2.1 m²;
    # 3 doors = 3 × 2.1 × 27.7 = 174.51 kg
    line = computed("Ytterdør tre M10x21", 3, "stk", "door_external_wood")
    assert line["mass"] == pytest.approx(174.51)
    assert "modules of 100 mm" in line["conversion"]


def test_small_pair_is_not_a_window_size():
    # 200x200 is under 300 mm a side: not a window, the line stays unconverted
    result = run("Vindu 200x200", 2, "stk", "window_wood_aluminium")
    assert len(result.unmatched) == 1


def test_hea_beam_in_running_metres():
    # HE A 260: 68.2 kg/m (ArcelorMittal / EN 10365); 100 lm = 6 820 kg
    line = computed("Bjelker HEA 260, kantdragere", 100, "lm", "steel_structural")
    assert line["mass"] == pytest.approx(6820.0)


def test_hollow_section_in_running_metres():
    # HUP 150x150x8, cold-formed (EN 10219-2: ro = 2.5t = 20, ri = 12 mm):
    # A = 2·8·(300 − 16) − (4 − π)(400 − 144) = 4544 − 219.75 = 4324.25 mm²,
    # × 7850 kg/m³ = 33.945 kg/m; 10 m = 339.45 kg
    line = computed("Stålsøyle HUP 150x150x8", 10, "lm", "steel_structural")
    assert line["mass"] == pytest.approx(339.45, rel=1e-4)


def test_column_in_pieces_with_its_length():
    # HUP 100x100x5 (ro = 10, ri = 5): A = 1900 − (4 − π)·75 = 1835.62 mm², 14.4096 kg/m;
    # L = 3,2 m: 46.111 kg per column; 5 columns = 230.55 kg
    line = computed("Stålsøyle HUP 100x100x5, L=3,2 m", 5, "stk", "steel_structural")
    assert line["mass"] == pytest.approx(230.55, rel=1e-4)


def test_column_length_in_millimetres():
    # IPE 300: 42.2 kg/m (EN 10365); lengde 3200 mm: 135.04 kg; 2 pieces = 270.08 kg
    line = computed("Søyle IPE 300, lengde 3200 mm", 2, "stk", "steel_structural")
    assert line["mass"] == pytest.approx(270.08)


def test_glulam_column_section_times_length():
    # glulam 434 kg/m³ (materials.csv); 140x140 mm = 0.0196 m², L = 3,2 m:
    # 0.0196 × 3.2 × 434 = 27.2205 kg per column; 2 columns = 54.441 kg
    line = computed("Limtresøyle GL30c 140x140, L=3,2 m", 2, "stk", "glulam")
    assert line["mass"] == pytest.approx(54.441, rel=1e-4)


def test_mesh_by_its_k_number():
    # K189: 189 mm²/m each way; 2 × 189e-6 m³/m² × 7850 kg/m³ = 2.9673 kg/m²; 100 m² = 296.73 kg
    line = computed("Armeringsnett K189 i plate på mark", 100, "m2", "rebar_scrap")
    assert line["mass"] == pytest.approx(296.73)


def test_build_up_in_brackets_restates_the_thickness():
    # stone_wool_batts 29 kg/m³; 200 mm (2x100) = 0.2 m; 100 m² × 0.2 × 29 = 580 kg
    line = computed("Steinull 200 mm (2x100) i yttervegg", 100, "m2", "stone_wool_batts")
    assert line["mass"] == pytest.approx(580.0)


def test_edge_insulation_thickness_times_height():
    # xps_board 32 kg/m³ (materials_envelope.csv); 100 mm × 600 mm = 0.06 m² per m; 10 lm × 0.06 × 32 = 19.2 kg
    line = computed("Kantisolasjon XPS 100 mm, h=600 mm", 10, "lm", "xps_board")
    assert line["mass"] == pytest.approx(19.2)


def test_screed_range_takes_the_mean():
    # screed 1750 kg/m³; 10-30 mm -> mean 20 mm; 100 m² × 0.02 × 1750 = 3 500 kg
    line = computed("Avretting gulv 10-30 mm, sementbasert", 100, "m2", "screed")
    assert line["mass"] == pytest.approx(3500.0)
    assert "mean 20 mm" in line["conversion"] and "reasoned default" in line["conversion"]


def test_grading_on_aggregate_stays_a_grading():
    # a range on a non-mortar factor is a grading: no thickness, the line stays unconverted
    result = run("Pukk 16-32 mm under gulv", 50, "m2", "xps_board")
    assert len(result.unmatched) == 1
