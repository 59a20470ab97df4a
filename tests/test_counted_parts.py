"""Stairs by their steps and wardrobes by their places (fourth coverage pass).

A piece of a row that ``data/conversions/part_masses.csv`` gives a mass per step or per
place takes the count its description writes: ``4 trinn``, ``25 plasser``. Expected numbers
are worked out by hand in the comments from the rows' stated parts, never copied from the
code's output.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from _one_line import compute
from klimafotavtrykk.lifecycle.parts import load_part_masses, parse_part_counts

DATA = Path(__file__).parents[1] / "data"
PARTS = DATA / "conversions" / "part_masses.csv"
PIECES = DATA / "emission_factors" / "materials_pieces.csv"


# ------------------------------------------------------------------ counts in the text


@pytest.mark.parametrize(
    ("text", "part", "count", "source"),
    [
        ("Utvendig trapp, impregnert tre, 4 trinn", "step", 4.0, "4 trinn"),
        ("Trapp til terrasse, 5-trinns, furu", "step", 5.0, "5-trinns"),
        ("Innvendig trapp i eik med 14 inntrinn", "step", 14.0, "14 inntrinn"),
        ("Trapp i tre, antall trinn: 6", "step", 6.0, "antall trinn: 6"),
        # the riser and going written as sizes are no count; the count is still read
        ("Trapp, opptrinn 180 mm, inntrinn 280 mm, 3 trinn", "step", 3.0, "3 trinn"),
        ("Garderobeskap barn, 25 plasser, laminert spon", "place", 25.0, "25 plasser"),
        ("Garderobe, 12-plassers, melaminbelagt spon", "place", 12.0, "12-plassers"),
        ("Garderobeinnredning, 30 garderobeplasser", "place", 30.0, "30 garderobeplasser"),
        ("Garderobe for 18 barn, laminert spon", "place", 18.0, "for 18 barn"),
    ],
)
def test_a_count_written_before_its_word_is_read_with_its_text(text, part, count, source):
    """The count and the fragment that gave it."""
    got = parse_part_counts(pd.Series([text]), part).iloc[0]
    assert got["count"] == count
    assert got["count_source"] == source


@pytest.mark.parametrize(
    ("text", "part"),
    [
        ("Trapp, opptrinn 180 mm, inntrinn 280 mm", "step"),  # sizes, not a count
        ("Trinnlydplate 20 mm under parkett", "step"),
        ("Trapp i tre, 4,5 trinn", "step"),  # not a whole number
        ("Trapp, trinn 40 mm eik", "step"),  # a tread thickness
        ("Plasstøpt betong B30, 25 plasstøpte søyler", "place"),
        ("Garderobeskap, plass til 25", "place"),  # the count is not before its word
        ("Garderobe med 25 knagger", "place"),
    ],
)
def test_near_misses_give_no_count(text, part):
    """Sizes, other words starting with the part's word, and counts of other things: no count."""
    assert np.isnan(parse_part_counts(pd.Series([text]), part).iloc[0]["count"])


def test_counts_are_read_once_per_distinct_text_and_keep_the_index():
    """Repeated texts give the same count, aligned to the input index."""
    texts = pd.Series(["Trapp, 4 trinn", None, "Trapp, 4 trinn", "Trapp"], index=[9, 3, 5, 1])
    got = parse_part_counts(texts, "step")
    assert list(got.index) == [9, 3, 5, 1]
    assert got["count"].tolist()[0] == 4.0 and got["count"].tolist()[2] == 4.0
    assert got["count"].isna().tolist()[1] and got["count"].isna().tolist()[3]


# ------------------------------------------------------------------ the rows


def test_step_mass_is_built_from_its_stated_parts():
    """Reference step: tread 2 × 0.036 × 0.148 × 1.0 = 0.010656 m³; stringers: per step each
    is √(0.28² + 0.18²) = √0.1108 = 0.332866 m long, 2 × 0.048 × 0.223 × 0.332866 = 0.0071261 m³;
    total 0.0177821 m³ × 455 kg/m³ (Boverket 6000000007) = 8.0909 → 8.091 kg per step."""
    rows = load_part_masses()
    assert rows.loc["timber_stair_per_step", "part"] == "step"
    assert rows.loc["timber_stair_per_step", "mass_per_part_kg"] == pytest.approx(8.091)
    assert (0.010656 + 2 * 0.048 * 0.223 * (0.28**2 + 0.18**2) ** 0.5) * 455 == pytest.approx(8.091,
                                                                                           abs=5e-4)


def test_place_mass_is_built_from_its_stated_parts():
    """Reference place of 16 mm chipboard: side 0.40 × 1.60 = 0.64 m², back 0.30 × 1.60 = 0.48,
    top 0.30 × 0.40 = 0.12, two shelves 0.24: 1.48 m² × 0.016 m = 0.02368 m³ × 700 kg/m³
    (Boverket 6000000000) = 16.576 → 16.58 kg per place."""
    rows = load_part_masses()
    assert rows.loc["wardrobe_chipboard_per_place", "part"] == "place"
    assert rows.loc["wardrobe_chipboard_per_place", "mass_per_part_kg"] == pytest.approx(16.58)


def test_counted_rows_are_flagged_reasoned_defaults_with_their_sizes():
    """Both the part masses and the factor rows say they are the library's choice, and how."""
    parts = pd.read_csv(PARTS, dtype=str, keep_default_na=False).set_index("factor_id")
    rows = pd.read_csv(PIECES, dtype=str, keep_default_na=False).set_index("factor_id")
    assert (parts["is_default"] == "true").all()
    stair, wardrobe = rows.loc["timber_stair_per_step"], rows.loc["wardrobe_chipboard_per_place"]
    assert stair["is_default"] == "true" and "36x148" in stair["default_reason"]
    assert "48x223" in stair["default_reason"]
    assert wardrobe["is_default"] == "true" and "16 mm chipboard" in wardrobe["default_reason"]
    assert set(parts.index) <= set(rows.index)


# ------------------------------------------------------------------ computed by hand


def test_stairs_per_piece_by_hand():
    """2 stairs of 4 steps: 2 × 4 × 8.091 kg = 64.728 kg.

    A1-A3 = 64.728 kg × 0.064 kg CO2e/kg (Boverket 6000000007 sawn timber) × 1.25 (the
    ns3720 profile's 25 % markup on generic data) = 5.17824 kg CO2e.
    """
    r = compute("Utvendig trapp, impregnert tre, 4 trinn", 2.0, "stk")
    assert r.unmatched.empty
    line = r.lines.iloc[0]
    assert line["factor_id"] == "timber_stair_per_step"
    assert line["mass"] == pytest.approx(64.728)
    assert line["A1-A3"] == pytest.approx(5.17824)
    assert line["dimension_source"] == "4 trinn"
    assert "4 steps" in line["conversion"] and "8.091 kg per step" in line["conversion"]


def test_wardrobes_per_piece_by_hand():
    """3 wardrobes of 25 places: 3 × 25 × 16.58 kg = 1 243.5 kg.

    A1-A3 = 1 243.5 kg × 0.39 kg CO2e/kg (Boverket 6000000000 particle board) × 1.25 (ns3720
    markup) = 606.20625 kg CO2e.
    """
    r = compute("Garderobeskap barn, 25 plasser, laminert spon", 3.0, "stk")
    assert r.unmatched.empty
    line = r.lines.iloc[0]
    assert line["factor_id"] == "wardrobe_chipboard_per_place"
    assert line["mass"] == pytest.approx(1243.5)
    assert line["A1-A3"] == pytest.approx(606.20625)
    assert line["dimension_source"] == "25 plasser"


def test_a_count_wins_over_a_size_and_length_in_the_text():
    """A section and a length beside the count do not make the stair a bar: 4 × 8.091 = 32.364 kg."""
    r = compute("Utvendig trapp, impregnert tre, 4 trinn, vanger 48x198, L=1,2 m", 1.0, "stk")
    assert r.lines.iloc[0]["mass"] == pytest.approx(32.364)


def test_a_stair_without_its_count_asks_for_it():
    """No count, no mass: the line is reported with the row's mass per step and what to write."""
    r = compute("Utvendig trapp, impregnert tre", 2.0, "stk")
    assert r.lines.empty
    row = r.unmatched.iloc[0]
    assert row["reason"] == "incompatible_unit"
    assert row["hint"] == "add_part_count"
    assert "8.091 kg per step" in row["dimension_note"] and "4 trinn" in row["dimension_note"]
    from klimafotavtrykk.messages import hint_text

    assert "4 trinn" in hint_text(r.unmatched, "nb").iloc[0]


def test_a_stair_with_its_own_piece_mass_keeps_it():
    """A precast stair has a piece mass (BR18 table 7 reference stair, 1 965 kg): "4 trinn" is not read."""
    r = compute("Trappeløp av betong, prefab, 4 trinn", 1.0, "stk")
    line = r.lines.iloc[0]
    assert line["factor_id"] == "precast_stair_piece"
    assert line["mass"] == pytest.approx(1965.0)


def test_a_users_row_with_a_piece_mass_wins_over_the_count():
    """A user row of the same id giving 50 kg per piece: 2 × 50 = 100 kg, the count unused."""
    user = pd.DataFrame([{"factor_id": "timber_stair_per_step", "declared_unit": "kg",
                          "A1-A3": 0.1, "piece_mass_kg": 50.0, "source": "supplier's data sheet"}])
    r = compute("Utvendig trapp, impregnert tre, 4 trinn", 2.0, "stk", factors=user)
    assert r.lines.iloc[0]["mass"] == pytest.approx(100.0)


def test_a_count_of_places_on_a_row_without_a_place_mass_is_not_read():
    """A bicycle stand of galvanised steel with "10 plasser" is no wardrobe: it needs its own mass."""
    r = compute("Sykkelstativ, varmforsinket stål, 10 plasser", 2.0, "stk")
    assert r.lines.empty
    assert r.unmatched.iloc[0]["factor_id"] != "wardrobe_chipboard_per_place"
    assert r.unmatched.iloc[0]["hint"] == "add_piece_mass"


def test_stairs_in_kg_and_m3_compute_as_sawn_timber():
    """The per-step row keeps the record's density: 0.5 m³ × 455 kg/m³ = 227.5 kg."""
    r = compute("Utvendig trapp i trykkimpregnert tre", 0.5, "m3")
    assert r.lines.iloc[0]["mass"] == pytest.approx(227.5)


# ------------------------------------------------------------------ aliases


@pytest.mark.parametrize(
    "description",
    ["Utvendig trapp i trykkimpregnert tre, 5 trinn", "Trapp til terrasse, impregnert furu, 3 trinn",
     "Innvendig trapp i heltre eik, 14 trinn", "Trapp av tre, 6-trinns, til inngangsparti"],
)
def test_stair_alias_matches_other_phrasings(description, best_alias):
    """Other ways of writing a timber stair find the per-step row."""
    assert best_alias(description) == {"timber_stair_per_step"}


@pytest.mark.parametrize(
    "description",
    ["Trapp av stål, varmforsinket, 4 trinn", "Trappetrinn av betong", "Rekkverk i tre langs trapp",
     "Plasstøpt betongtrapp, 12 trinn", "Trapp med glassrekkverk, 4 trinn"],
)
def test_stair_alias_leaves_near_misses_alone(description, best_alias):
    """Steel, concrete and glass stairs, and railings along a stair: not the timber stair."""
    assert "timber_stair_per_step" not in best_alias(description)


@pytest.mark.parametrize(
    "description",
    ["Garderobeskap, laminert spon, 10 plasser", "Garderobeinnredning barnehage, hvit melamin",
     "Garderobe for 12 barn, hyller og knagger", "Garderobebenker med hattehylle, 8 plasser",
     "Garderobe, 15 plasser, sponplate"],
)
def test_wardrobe_alias_matches_other_phrasings(description, best_alias):
    """Other ways of writing a cloakroom wardrobe find the per-place row."""
    assert best_alias(description) == {"wardrobe_chipboard_per_place"}


@pytest.mark.parametrize(
    "description",
    ["Garderobeskap i stål, 2-delt", "Gulvbelegg i garderobe, linoleum", "Skyvedør garderobe, laminat",
     "Maling av vegger i garderobe", "Garderobeskap, kompaktlaminat (HPL), 10 plasser",
     "Sykkelparkering, 25 plasser", "Parkeringsplasser, asfalt, 25 plasser",
     "Kjøkkeninnredning, melaminbelagt spon"],
)
def test_wardrobe_alias_leaves_near_misses_alone(description, best_alias):
    """Steel lockers, a cloakroom's floor, door and paint, compact laminate, parking and bicycle
    places, kitchen units: not the chipboard wardrobe."""
    assert "wardrobe_chipboard_per_place" not in best_alias(description)
