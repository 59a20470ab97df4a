"""Steel sections, mesh names and door modules read from descriptions; hand-worked values."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from klimafotavtrykk.designations import hollow_section_area, mesh_area_mass, parse_designations
from klimafotavtrykk.dimensions import parse_dimensions
from klimafotavtrykk.lifecycle.geometry import load_steel_sections


def test_rolled_and_hollow_sections_are_read():
    got = parse_designations(pd.Series(["Bjelker HEA 260, kantdragere", "Søyle hup 150 x 150 x 8 mm",
                                        "VKR 120x80x6,3", "IPE300"]))
    assert list(got["steel_series"]) == ["HEA", "HUP", "VKR", "IPE"]
    assert list(got["steel_size"]) == ["260", "150x150x8", "120x80x6,3", "300"]
    assert got.loc[2, "hollow_t_mm"] == pytest.approx(6.3)
    assert math.isnan(got.loc[0, "hollow_b_mm"])


def test_mesh_only_where_the_text_names_reinforcement():
    got = parse_designations(pd.Series(["Armeringsnett K131 i påstøp", "Kabel K131", None]))
    assert got.loc[0, "mesh_area_mm2_m"] == 131
    assert math.isnan(got.loc[1, "mesh_area_mm2_m"]) and math.isnan(got.loc[2, "mesh_area_mm2_m"])


def test_door_modules_are_100_mm():
    got = parse_designations(pd.Series(["Innerdør M9x21", "Mørtel M5"])).iloc[0]
    assert (got["module_width_mm"], got["module_height_mm"]) == (900.0, 2100.0)


def test_hollow_area_cold_formed_and_hot_finished():
    # cold-formed 150x150x8: ro = 2.5·8 = 20, ri = 12; 2·8·284 − (4 − π)(400 − 144) = 4324.25 mm²
    # hot-finished 150x150x8: ro = 12, ri = 8; 4544 − (4 − π)(144 − 64) = 4475.33 mm²
    got = hollow_section_area(np.array([150.0, 150.0]), 150.0, 8.0, np.array([False, True]))
    assert got == pytest.approx([4324.25, 4475.33], abs=0.01)


def test_hollow_area_thick_wall_uses_3t():
    # 200x200x12,5 cold-formed: ro = 37.5, ri = 25; 2·12.5·375 − (4 − π)(1406.25 − 625) = 8704.37 mm²
    assert float(hollow_section_area(200, 200, 12.5, False)) == pytest.approx(8704.37, abs=0.01)


def test_mesh_mass_matches_its_bars():
    # K189 = Ø6 c/c 150: π/4·36/0.15 = 188.5 mm²/m; 2 × 189e-6 × 7850 = 2.9673 kg/m²
    assert float(mesh_area_mass(189)) == pytest.approx(2.9673)
    assert np.pi / 4 * 36 / 0.150 == pytest.approx(189, abs=0.6)


def test_steel_section_table_spot_values():
    # EN 10365 / ArcelorMittal sales programme: HE A 260 68.2, HE B 240 83.2, IPE 300 42.2 kg/m
    table = load_steel_sections()
    assert table.loc["HEA|260", "linear_mass"] == 68.2
    assert table.loc["HEB|240", "linear_mass"] == 83.2
    assert table.loc["IPE|300", "linear_mass"] == 42.2
    assert table["source_id"].notna().all()


@pytest.mark.parametrize(("text", "column", "value"), [
    ("Steinull 200 mm (2x100) i yttervegg", "thickness_mm", 200.0),
    ("Isolasjon tak, mineralull 300 mm (2x150)", "thickness_mm", 300.0),
    ("Kantisolasjon XPS 100 mm, h=600 mm", "thickness_mm", 100.0),
    ("Kantisolasjon XPS 100 mm, h=600 mm", "height_mm", 600.0),
    ("XPS 50 mm, bredde 1,2 m", "height_mm", 1200.0),
    ("Limtresøyle 140x140, L=3,2 m", "length_mm", 3200.0),
    ("Søyle, lengde 3200 mm", "length_mm", 3200.0),
    ("Avretting 10-30 mm", "range_low_mm", 10.0),
    ("Avretting 10-30 mm", "range_high_mm", 30.0),
])
def test_new_dimension_readings(text, column, value):
    assert parse_dimensions(pd.Series([text])).loc[0, column] == pytest.approx(value)


def test_build_up_unequal_to_the_thickness_reads_none():
    # 200 mm beside 2x150 (300 mm) is two layers of different sizes: no thickness
    assert math.isnan(parse_dimensions(pd.Series(["Isolasjon 200 mm (2x150)"])).loc[0, "thickness_mm"])


_DESIGNATION_FRAGMENTS = ["HEA 200", "IPE300", "HUP 100x100x5", "KKR 80x80x4 mm", "RHS 120x60x5",
                          "CHS 114,3x5", "Ø 60,3x4", "HD 265", "HD/F 320", "K131", "K 189", "nett",
                          "armering", "M10x21", "M 9x21", "dør", "stål", "×", "x", "ſ", "ı", ","]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(st.sampled_from(_DESIGNATION_FRAGMENTS), min_size=1, max_size=5)
                .map(" ".join), min_size=1, max_size=15))
def test_texts_skipped_by_their_words_read_as_when_every_text_is_tried(texts):
    """Each pattern tried only where the text holds its words: the same frame as trying every text."""
    import klimafotavtrykk.designations as designations

    column = pd.Series(texts)
    fast = designations.parse_designations(column)
    plain_index = designations.texts_index
    try:
        designations.texts_index = lambda text: None  # every pattern on every text
        plain = designations.parse_designations(column)
    finally:
        designations.texts_index = plain_index
    pd.testing.assert_frame_equal(fast, plain, check_exact=True)
