"""Roof trusses by their span and snow guards by their length (third coverage pass).

A piece of a row that gives a mass per metre takes the length its description writes:
``spenn 12,4 m`` for a truss, ``3 m lengder`` for a snow guard. Expected numbers are worked
out by hand in the comments from the rows' stated parts, never copied from the code's output.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from _one_line import compute
from klimafotavtrykk.dimensions import parse_dimensions

DATA = Path(__file__).parents[1] / "data"
PIECES = DATA / "emission_factors" / "materials_pieces.csv"


# ------------------------------------------------------------------ lengths in the text


@pytest.mark.parametrize(
    ("text", "length_mm"),
    [
        ("Takstoler, spenn 12,4 m, c/c 1200", 12400.0),
        ("Fagverk, spennvidde 9 m", 9000.0),
        ("Bjelke, spenn: 7200 mm", 7200.0),
        ("Snøfangere, 3 m lengder", 3000.0),
        ("Rekkverk levert i 2,4 m lengde", 2400.0),
        # an L= or lengde written beside a span wins: it is the piece's own length
        ("Limtrebjelke, spenn 8 m, L=8,3 m", 8300.0),
        ("lengde 3 m, i 6 m lengder", 3000.0),
    ],
)
def test_a_span_or_a_length_written_before_its_word_is_a_piece_length(text, length_mm):
    """``spenn 12,4 m`` and ``3 m lengder`` give length_mm; the text that gave it is recorded."""
    parsed = parse_dimensions(pd.Series([text])).iloc[0]
    assert parsed["length_mm"] == pytest.approx(length_mm)
    assert parsed["dimension_source"]


@pytest.mark.parametrize(
    "text",
    ["Rør 3 m", "3 lengder", "Snøfangere, 3 m, stål", "Lengder og bredder etter tegning",
     "Spennarmering 12 stk"],
)
def test_numbers_without_a_length_word_and_unit_are_not_a_length(text):
    """A bare ``3 m``, ``3 lengder`` without a unit, or a word merely starting with spenn: no length."""
    assert np.isnan(parse_dimensions(pd.Series([text])).iloc[0]["length_mm"])


# ------------------------------------------------------------------ trusses


def test_truss_row_states_its_member_sizes_and_mass_per_metre_of_span():
    """W truss at 25°, per metre of span (the row's derivation, redone here).

    Top chords 1/cos 25° = 1.103378 m, bottom chord 1.0 m: 2.103378 m of 36x148 (0.005328 m²).
    Webs: apex height 0.5 tan 25° = 0.233154; from the third point (1/3, 0) to the top chord's
    midpoint (0.25, 0.116577): √(0.083333² + 0.116577²) = 0.143299; to the apex (0.5, 0.233154):
    √(0.166667² + 0.233154²) = 0.286598; four webs 2 × 0.429897 = 0.859794 m of 36x98 (0.003528 m²).
    Volume 0.011207 + 0.003033 = 0.0142402 m³/m × 455 kg/m³ = 6.4793 → 6.479 kg per m of span.
    """
    rows = pd.read_csv(PIECES, dtype=str, keep_default_na=False).set_index("factor_id")
    row = rows.loc["timber_truss_w_per_m_span"]
    assert float(row["linear_mass_kg_m"]) == pytest.approx(6.479)
    assert row["is_default"] == "true"
    assert "36x148" in row["default_reason"] and "36x98" in row["default_reason"]
    assert float(row["density_kg_m3"]) == 455.0


def test_trusses_per_piece_by_hand():
    """10 trusses of 9.6 m span: 10 × 9.6 m × 6.479 kg/m = 621.984 kg.

    A1-A3 = 621.984 kg × 0.064 kg CO2e/kg (Boverket 6000000007 sawn timber) × 1.25 (the
    ns3720 profile's 25 % markup on generic data) = 49.75872 kg CO2e.
    """
    r = compute("Takstoler W, fagverk C24, spenn 9,6 m, c/c 1200", 10.0, "stk")
    assert r.unmatched.empty
    line = r.lines.iloc[0]
    assert line["factor_id"] == "timber_truss_w_per_m_span"
    assert line["mass"] == pytest.approx(621.984)
    assert line["A1-A3"] == pytest.approx(621.984 * 0.064 * 1.25)
    assert "9600 mm" in line["conversion"]


def test_a_truss_without_its_span_asks_for_the_length():
    """No span, no mass: the line is reported, asking for the length of one piece."""
    r = compute("Prefabrikkerte takstoler", 24.0, "stk")
    assert r.lines.empty
    row = r.unmatched.iloc[0]
    assert row["reason"] == "incompatible_unit"
    assert row["hint"] == "add_piece_length"
    assert "6.479 kg/m" in row["dimension_note"]


@pytest.mark.parametrize(
    "description",
    ["Prefabrikkerte takstoler, spenn 10 m", "W-takstoler c/c 1200", "Takstol med loft",
     "Fagverkstakstoler av konstruksjonsvirke C24", "Fagverk i tre, C24, spenn 8 m",
     "Sperretakstoler, saltak"],
)
def test_truss_alias_matches_other_phrasings(description, best_alias):
    """Other ways of writing a timber truss find the truss row."""
    assert best_alias(description) == {"timber_truss_w_per_m_span"}


@pytest.mark.parametrize(
    "description",
    ["Lekter 36x48 på takstoler", "Takstolbeslag, varmforsinket", "Limtre fagverk GL30c",
     "Stålfagverk, HEA 200", "Undertak på takstoler", "Isolasjon mellom takstoler 250 mm",
     "Fagverksbjelke av stål"],
)
def test_truss_alias_leaves_near_misses_alone(description, best_alias):
    """Battens, fixings, underlays and insulation on trusses, glulam and steel trusses: not the truss."""
    assert "timber_truss_w_per_m_span" not in best_alias(description)


# ------------------------------------------------------------------ snow guards


def test_snow_guard_pieces_by_hand():
    """10 snow guards of 3 m: tubes 2 × π × 1.5 × (25 − 1.5) mm² = 221.48 mm² × 7850 kg/m³ =
    1.73864 kg/m, plus one bracket 0.04 × 0.005 × 0.35 m × 7850 = 0.5495 kg per m: 2.288 kg/m.

    Mass 10 × 3 m × 2.288 = 68.64 kg; A1-A3 = 68.64 × 2.66 (Boverket 6000000221 galvanised
    steel) × 1.25 (ns3720 markup) = 228.228 kg CO2e.
    """
    r = compute("Snøfangere, 3 m lengder, på konsoller", 10.0, "stk")
    assert r.unmatched.empty
    line = r.lines.iloc[0]
    assert line["factor_id"] == "snow_guard_tube_steel_per_m"
    assert line["mass"] == pytest.approx(68.64)
    assert line["A1-A3"] == pytest.approx(68.64 * 2.66 * 1.25)


def test_snow_guards_per_metre_by_hand():
    """45 m of snow guard: 45 × 2.288 = 102.96 kg."""
    r = compute("Rørsnøfanger, varmforsinket", 45.0, "m")
    assert r.unmatched.empty
    assert r.lines.iloc[0]["mass"] == pytest.approx(102.96)


@pytest.mark.parametrize(
    ("description", "expected"),
    [("Snøfangere type rør, L=2,4 m", "snow_guard_tube_steel_per_m"),
     ("Snøfanger, 2 rør, svart", "snow_guard_tube_steel_per_m")],
)
def test_snow_guard_alias_matches_other_phrasings(description, expected, best_alias):
    """Other ways of writing a snow guard find the snow-guard row."""
    assert best_alias(description) == {expected}


@pytest.mark.parametrize("description", ["Snøfangere i aluminium", "Snøfanger av tre, plank"])
def test_snow_guard_alias_leaves_other_materials_alone(description, best_alias):
    """Aluminium and timber snow guards are not the steel row."""
    assert "snow_guard_tube_steel_per_m" not in best_alias(description)


# ------------------------------------------------------------------ spans of beams


def test_a_steel_beam_per_piece_takes_its_span_as_its_length():
    """4 × HEB 240 of span 6.0 m: 83.2 kg/m (EN 10365) × 6.0 m = 499.2 kg each, 1 996.8 kg."""
    r = compute("Stålbjelke HEB 240, spenn 6,0 m", 4.0, "stk")
    assert r.lines.iloc[0]["factor_id"] == "steel_structural"
    assert r.lines.iloc[0]["mass"] == pytest.approx(4 * 83.2 * 6.0)


def test_a_glulam_beam_per_piece_takes_its_span_as_its_length():
    """4 × glulam 140x450 of span 8 m: 0.14 × 0.45 m × 8 m × 434 kg/m³ = 218.736 kg each."""
    r = compute("Limtrebjelke GL30c 140x450, spenn 8 m", 4.0, "stk")
    assert r.lines.iloc[0]["factor_id"] == "glulam"
    assert r.lines.iloc[0]["mass"] == pytest.approx(4 * 0.14 * 0.45 * 8.0 * 434)
