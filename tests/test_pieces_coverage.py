"""Building items counted per piece, per metre or per tonne: data, aliases and sizes.

Covers ``data/emission_factors/materials_pieces.csv``, ``data/mappings/material_aliases_pieces.csv``,
the ``pr stk`` unit spellings, and the sizes read from item texts for them (tubes ``Ø219x12,5``,
hollow-core ``HD 265``). Expected numbers are worked out by hand in the comments, from the cited
records, never copied from the code's output.
"""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest

from _one_line import compute, read
from klimafotavtrykk.designations import circular_hollow_area, parse_designations
from klimafotavtrykk.units import parse_units

DATA = Path(__file__).parents[1] / "data"
PIECES = DATA / "emission_factors" / "materials_pieces.csv"


# ------------------------------------------------------------------ units


@pytest.mark.parametrize("spelling", ["pr stk", "Pr. stk", "PR STK", "per stk", "pr.stk", "pr stykk"])
def test_per_piece_spellings_are_pieces(spelling):
    """'pr stk' written in the unit column is a piece, as 'stk' is."""
    parsed = parse_units([spelling]).iloc[0]
    assert parsed["known"] and parsed["dimension"] == "piece" and parsed["scale"] == 1.0


def test_a_price_unit_of_another_kind_stays_unknown():
    """Only the piece spelling was added: 'pr time' is not read as a piece or as hours."""
    assert not parse_units(["pr time"]).iloc[0]["known"]


# ------------------------------------------------------------------ designations


def test_tubes_and_circular_hollow_sections_are_read_with_their_wall():
    """Ø d x t and CHS d x t give the series CHS, the outside diameter and the wall."""
    got = parse_designations(pd.Series(["Stålrørspeler Ø219x12,5 mm", "Søyle CHS 168,3 x 8",
                                        "PE100 SDR11 Ø110", "Stålstag Ø16", "Stålrør Ø60x4x3000"]))
    assert got.loc[0, "steel_series"] == "CHS"
    assert got.loc[0, "hollow_b_mm"] == pytest.approx(219.0)
    assert got.loc[0, "hollow_t_mm"] == pytest.approx(12.5)
    assert got.loc[1, "hollow_b_mm"] == pytest.approx(168.3)
    assert got.loc[1, "hollow_t_mm"] == pytest.approx(8.0)
    # a diameter without a wall is no section; three numbers are not a tube's d x t
    assert got.loc[2:4, "steel_series"].isna().all()


def test_hollow_core_type_gives_the_slab_depth():
    """HD 265 and HD/F 320 name the depth of a hollow-core unit; HDPE does not."""
    got = parse_designations(pd.Series(["Hulldekker HD 265", "Hulldekke HD/F 320, fuget", "HDPE-rør"]))
    assert got["slab_depth_mm"].tolist()[:2] == [265.0, 320.0]
    assert math.isnan(got.loc[2, "slab_depth_mm"])


def test_circular_hollow_area_by_hand():
    """A = π t (D − t): Ø219 x 12.5 → π × 12.5 × 206.5 = 8 109.25 mm²."""
    assert float(circular_hollow_area(219, 12.5)) == pytest.approx(math.pi * 12.5 * 206.5)


# ------------------------------------------------------------------ through the engine


def test_steel_tube_piles_per_metre():
    """10 m of Ø219x12,5 tube: 8 109.25 mm² × 7850 kg/m³ = 63.658 kg/m → 636.58 kg."""
    r = compute("Stålrørspeler Ø219x12,5, rammet til fjell", 10.0, "m")
    assert r.unmatched.empty
    assert r.lines.iloc[0]["mass"] == pytest.approx(10 * math.pi * 12.5 * 206.5 * 1e-6 * 7850)


def test_hollow_core_per_m2_from_its_type():
    """100 m² of HD 265: 100 × 0.265 m × 1350 kg/m³ (Boverket 6000000059) = 35 775 kg."""
    r = compute("Hulldekker HD 265, levert og montert", 100.0, "m2")
    assert r.unmatched.empty
    assert r.lines.iloc[0]["factor_id"] == "precast_hollow_core"
    assert r.lines.iloc[0]["mass"] == pytest.approx(35_775.0)


def test_hollow_section_in_tonnes_is_structural_steel():
    """A bracing line in tonnes naming HUP 150x150x8: 2.5 t = 2 500 kg of structural steel."""
    r = compute("Vindkryss, HUP 150x150x8", 2.5, "tonn")
    assert r.lines.iloc[0]["factor_id"] == "steel_structural"
    assert r.lines.iloc[0]["mass"] == pytest.approx(2_500.0)


def test_a_column_without_its_length_is_not_guessed():
    """Pieces of HUP 100x100x5 without a length stay uncomputed, and the note says what to add."""
    r = compute("Søyler HUP 100x100x5 m/ fotplate", 6.0, "stk")
    assert r.lines.empty
    row = r.unmatched.iloc[0]
    assert row["reason"] == "incompatible_unit"
    # cold-formed 100x100x5: 1835.6 mm² × 7850 kg/m³ = 14.41 kg/m (designations docstring)
    assert "14.41 kg/m" in row["dimension_note"] and "length" in row["dimension_note"]
    assert row["hint"] == "add_piece_length"
    from klimafotavtrykk.messages import hint_text

    assert "L=3.2 m" in hint_text(r.unmatched, "en").iloc[0]


@pytest.mark.parametrize(
    ("description", "hint"),
    [("Kjøkkeninnredning, melaminbelagt spon", "add_piece_mass"),
     # rows with a mass per place or step ask for the count (tests/test_counted_parts.py)
     ("Garderobeskap, laminert spon", "add_part_count"),
     ("Utvendig trapp i trykkimpregnert tre", "add_part_count"),
     # the snow-guard row has a mass per metre, but "3 m" alone is no piece length
     ("Snøfangere, 3 m, stål", "add_piece_length")],
)
def test_items_without_a_piece_mass_name_their_material_and_ask_for_the_mass(description, hint):
    """Furniture, timber stairs and snow guards per piece: matched to their material, not computed.

    No source gives a mass per piece of these items, so none is invented: the line is
    reported as needing a piece mass (hint ``add_piece_mass``), or, where the row has a mass
    per metre, the length of one piece (``add_piece_length``), or, where it has a mass per step
    or place, their count (``add_part_count``); never as an unknown material.
    """
    r = compute(description, 2.0, "stk")
    assert r.lines.empty
    assert r.unmatched.iloc[0]["reason"] == "incompatible_unit"
    assert r.unmatched.iloc[0]["hint"] == hint


def test_a_tie_rod_per_piece_says_what_is_missing():
    """A steel rod is matched to steel, and a piece of it needs a mass: not computed, with a hint."""
    r = compute("Strekkstag rundstål Ø20 med strammer", 8.0, "stk")
    assert r.unmatched.iloc[0]["reason"] == "incompatible_unit"
    assert r.unmatched.iloc[0]["hint"] == "add_piece_mass"


@pytest.mark.parametrize(
    ("description", "quantity", "unit", "factor_id", "mass"),
    [
        # BR18 table 7 #G0420 reference stair: 2 × 1 965 kg
        ("Trappeløp av betong, prefab, med repos", 2.0, "stk", "precast_stair_piece", 3_930.0),
        # 1.5 × 3.0 × 0.20 m × 2 400 kg/m³ = 2 160 kg per balcony, × 4
        ("Balkongplater, prefabrikkert betong", 4.0, "stk", "precast_balcony_piece", 8_640.0),
        # 1.0 m × 0.012 m × 2 500 kg/m³ = 30 kg/m, × 12 m
        ("Glassrekkverk, laminert glass, på terrasse", 12.0, "m", "glass_balustrade_laminated_12mm", 360.0),
        # two M10x21 leaves: 2 × 2.1 m² × 39.6 kg/m² (Boverket 6000000187) = 166.32 kg
        ("Automatisk skyvedør, hovedinngang", 1.0, "stk", "door_sliding_entrance_aluminium_piece", 166.32),
        # rails 2 × 3.3035 + posts 5.4542/1.2 + balusters 1.0495 × 0.9/0.12 = 19.02 kg/m, × 10 m
        ("Trapperekkverk i stål, pulverlakkert", 10.0, "m", "steel_railing_galvanised_per_m", 190.2),
        # 0.012 × 0.058 m × 455 kg/m³ = 0.31668 kg/m, × 100 m
        ("Gulvlister furu, hvitmalt", 100.0, "lm", "timber_moulding_12x58", 31.668),
        # π/4 × 0.045² m² × 455 kg/m³ = 0.72365 kg/m, × 10 m
        ("Håndlist i bjørk langs trapp", 10.0, "m", "timber_handrail_d45", 7.2365),
        # 1.2 × 1.2 m = 1.44 m² × 39.2 kg/m² (Boverket 6000000225), × 3
        ("Røykluker med glass, 1200x1200", 3.0, "stk", "window_aluminium", 169.344),
        # 0.6 × 0.6 m = 0.36 m² × 39.2 kg/m² (wood/aluminium window 6000000103), × 5, unit 'pr stk'
        ("Vinduer 600x600, faste", 5.0, "pr stk", "window_wood_aluminium", 70.56),
    ],
)
def test_items_per_piece_and_per_metre_compute(description, quantity, unit, factor_id, mass):
    """Each new row converts the unit it was added for, with the mass worked out by hand."""
    r = compute(description, quantity, unit)
    assert r.unmatched.empty, r.unmatched[["reason", "dimension_note"]].to_dict("records")
    line = r.lines.iloc[0]
    assert line["factor_id"] == factor_id
    assert line["mass"] == pytest.approx(mass, rel=1e-4)


# ------------------------------------------------------------------ aliases


@pytest.mark.parametrize(
    ("description", "expected"),
    [
        ("Stag HUP 120x120x6 mellom søyler", "steel_structural"),
        ("Søyler RHS 100x100x6,3", "steel_structural"),
        ("Stålrør CHS 168,3x8, utkraget", "steel_structural"),
        ("Aluminium RHS 50x50x3, fasadestolper", "aluminium_profile"),
        ("Strekkstag M20 med strammer", "steel_structural"),
        ("Rundstål Ø20, vindavstivning i tak", "steel_structural"),
        ("Røykluke med glass 1000x1000", "window_aluminium"),
        ("Takluke i glass for adkomst til tak", "window_aluminium"),
        ("Automatisk skyvedør, hovedinngang", "door_sliding_entrance_aluminium_piece"),
        ("Inngangsparti i aluminium og glass", "door_sliding_entrance_aluminium_piece"),
        ("Betongtrapper, prefabrikkerte, 2 løp", "precast_stair_piece"),
        ("Prefab balkongelementer, 1,6 m utkraging", "precast_balcony_piece"),
        ("Balkongrekkverk, varmforsinket stål", "steel_railing_galvanised_per_m"),
        ("Rekkverk med glassfylling, trapp", "glass_balustrade_laminated_12mm"),
        ("Gerikter rundt dører, furu", "timber_moulding_12x58"),
        ("Listverk, hvitmalt", "timber_moulding_12x58"),
        ("Håndløper i eik, Ø50, på vegg", "timber_handrail_d45"),
        ("Innvendig trapp i heltre eik, 14 trinn", "timber_stair_per_step"),
        ("Kjøkkeninnredning, melaminbelagt spon", "particle_board"),
        ("Snøfangerrør, 2 rør, på konsoller", "snow_guard_tube_steel_per_m"),
    ],
)
def test_piece_aliases_match_other_phrasings(description, expected, best_alias):
    """Other ways of writing the same item find the same row."""
    assert best_alias(description) == {expected}


@pytest.mark.parametrize(
    ("description", "not_expected"),
    [
        ("Skråstag i tre 48x98", "steel_structural"),
        ("Takluke, isolert stål, 800x800", "window_aluminium"),
        ("Skyvedør i glass mot terrasse", "door_sliding_entrance_aluminium_piece"),
        ("Skyvedør innvendig, tre", "door_sliding_entrance_aluminium_piece"),
        ("Plasstøpt betongtrapp B30", "precast_stair_piece"),
        ("Rekkverk i betongtrapp, stål", "precast_stair_piece"),
        ("Balkongdør tre/aluminium", "precast_balcony_piece"),
        ("Balkong i stål, hengt på fasade", "precast_balcony_piece"),
        ("Glassull 200 mm i vegg", "glass_balustrade_laminated_12mm"),
        ("Overgangslist aluminium", "timber_moulding_12x58"),
        ("Lister i PVC, våtrom", "timber_moulding_12x58"),
        ("Liste over dører", "timber_moulding_12x58"),
        ("Håndløper rustfritt stål", "timber_handrail_d45"),
        ("Rekkverk i tre, terrasse", "steel_railing_galvanised_per_m"),
        ("Rekkverk glass med stålstolper", "steel_railing_galvanised_per_m"),
        ("Hulldekker HD 265", "steel_structural"),
        ("Glasstak over inngangsparti, aluminium", "door_sliding_entrance_aluminium_piece"),
        ("Gulvbelegg på betongtrapp, inkl. trinnlister", "precast_stair_piece"),
        ("Fliser på balkong i betong", "precast_balcony_piece"),
        ("Tettelister i dører", "timber_moulding_12x58"),
        ("Snøfangere i aluminium", "snow_guard_tube_steel_per_m"),
        ("Trapp i stål med trinn i eik", "timber_stair_per_step"),
        ("Sponplater 22 mm, gulv", "sawn_timber"),
    ],
)
def test_piece_aliases_leave_near_misses_alone(description, not_expected, best_alias):
    """Texts that share a word but name another product do not take the row."""
    assert not_expected not in best_alias(description)


# ------------------------------------------------------------------ the rows themselves


def test_piece_rows_have_every_column_filled_as_the_other_tables():
    """Sources resolve, defaults carry reasons, end of life is declared, masses convert."""
    rows = read(PIECES)
    known = set(read(DATA / "sources.csv")["source_id"])
    assert set(rows["source_id"]) <= known and set(rows["eol_source_id"]) <= known
    assert rows["factor_id"].is_unique
    assert (rows["is_default"] == "true").all() and (rows["default_reason"] != "").all()
    assert rows["confidence"].isin(["C", "S"]).all()
    assert (rows[["C1", "C2", "C3", "C4", "D", "eol_scenario"]] != "").all().all()
    # B2: 0 where no planned maintenance exists, else not declared and the scenario says why
    open_b2 = rows["B2"] != "0"
    assert (rows.loc[open_b2, "B2"] == "").all()
    assert rows.loc[open_b2, "eol_scenario"].str.contains("B2 not declared").all()
    per_unit = rows[["density_kg_m3", "area_mass_kg_m2", "linear_mass_kg_m", "piece_mass_kg"]] != ""
    assert per_unit.any(axis=1).all()


def test_glass_balustrade_cites_its_railing_height():
    """The 1.0 m glass height is a stated default with the TEK17 section it reads."""
    row = read(PIECES).set_index("factor_id").loc["glass_balustrade_laminated_12mm"]
    assert "dibk-tek17-12-15" in row["default_reason"]
    assert "dibk-tek17-12-15" in set(read(DATA / "sources.csv")["source_id"])
