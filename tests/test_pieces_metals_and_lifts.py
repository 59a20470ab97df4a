"""Zinc flashings, stainless steel and lifts (BR18 table 7 #G0015, #G0273, #G0460, #G0763; Boverket).

Expected numbers are worked out by hand in the comments from the cited table rows, never
copied from the code's output.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from _one_line import compute, read

DATA = Path(__file__).parents[1] / "data"
PIECES = DATA / "emission_factors" / "materials_pieces.csv"


# ------------------------------------------------------------------ zinc


def test_zinc_flashing_per_metre_by_hand():
    """40 m of zinc flashing: 0.300 m girth × 0.0007 m × 7 134 kg/m³ = 1.49814 kg/m → 59.93 kg.

    A1-A3 = 59.9256 kg × 2.09 kg CO2e/kg (T7 #G0015) × 1.25 (the ns3720 profile's 25 % markup
    on generic data) = 156.56 kg CO2e.
    """
    r = compute("Vindskibeslag og mønebeslag, titanzink 0,7 mm", 40.0, "lm")
    assert r.unmatched.empty
    line = r.lines.iloc[0]
    assert line["factor_id"] == "zinc_flashing_girth_300"
    assert line["mass"] == pytest.approx(40 * 0.3 * 0.0007 * 7134)
    assert r.lines["A1-A3"].sum() == pytest.approx(59.9256 * 2.09 * 1.25, rel=1e-6)


def test_zinc_roofing_per_m2_takes_the_written_thickness():
    """100 m² of 0.8 mm zinc sheet: 100 × 0.0008 m × 7 134 kg/m³ = 570.72 kg."""
    r = compute("Taktekking sinkplater 0,8 mm, dobbeltfals", 100.0, "m2")
    assert r.lines.iloc[0]["factor_id"] == "zinc_flashing_girth_300"
    assert r.lines.iloc[0]["mass"] == pytest.approx(570.72)


@pytest.mark.parametrize(
    "description",
    [
        "Beslag ved pipe, sink",
        "Takrenner i titansink, 125 mm",
        "Nedløp titanzink Ø100",
        "Sinkbeslag over vinduer",
        "Inndekning av gesims med zink 0,7 mm",
    ],
)
def test_zinc_alias_matches_other_phrasings(description, best_alias):
    """Other ways of writing a zinc flashing, gutter or downpipe find the zinc row."""
    assert best_alias(description) == {"zinc_flashing_girth_300"}


@pytest.mark.parametrize(
    "description",
    [
        "Varmforsinket stålbeslag",
        "Sinkrik maling på stålbjelker",
        "Forsinket stålplate 0,7 mm",
        "Beslag i aluzink",
        "Grunning med sinkstøvmaling",
    ],
)
def test_zinc_alias_leaves_galvanised_steel_and_paint_alone(description, best_alias):
    """Galvanised steel and zinc-rich paint are not titanium-zinc sheet."""
    assert "zinc_flashing_girth_300" not in best_alias(description)


# ------------------------------------------------------------------ stainless steel


def test_stainless_sheet_per_m2_by_hand():
    """3 m² of 1.2 mm stainless sheet: 3 × 0.0012 m × 7 900 kg/m³ (Boverket 6000000158) = 28.44 kg.

    A1-A3 = 28.44 × 3.4 kg CO2e/kg × 1.25 (ns3720 generic markup) = 120.87 kg CO2e.
    """
    r = compute("Beslag på benk, syrefast stål 1,2 mm", 3.0, "m2")
    line = r.lines.iloc[0]
    assert line["factor_id"] == "stainless_steel_sheet"
    assert line["mass"] == pytest.approx(28.44)
    assert line["A1-A3"] == pytest.approx(28.44 * 3.4 * 1.25)


def test_a_stainless_drain_per_piece_asks_for_its_mass_with_the_stainless_row():
    """No piece mass of a roof drain is known: not computed, and the hint names stainless steel."""
    r = compute("Sluk og nedløp, rustfritt stål Ø110", 6.0, "stk")
    assert r.lines.empty
    row = r.unmatched.iloc[0]
    assert (row["reason"], row["hint"], row["hint_factor"]) == (
        "incompatible_unit",
        "add_piece_mass",
        "stainless_steel_sheet",
    )


@pytest.mark.parametrize(
    "description",
    [
        "Nedløpsrør i rustfritt stål",
        "Takrenne syrefast stål",
        "Rustfrie plater på vegg i storkjøkken",
        "Benkeplate inox",
    ],
)
def test_stainless_alias_matches_other_phrasings(description, best_alias):
    """Stainless and acid-proof steel items find the stainless row."""
    assert best_alias(description) == {"stainless_steel_sheet"}


@pytest.mark.parametrize(
    ("description", "expected"),
    [
        ("Rustfri armering B500, kantbjelke", "rebar_scrap"),
        ("Glassrekkverk, håndløper i rustfritt stål", "glass_balustrade_laminated_12mm"),
    ],
)
def test_stainless_alias_leaves_rebar_and_glass_railings_alone(description, expected, best_alias):
    """Stainless rebar is rebar; a glass balustrade with a stainless handrail stays glass."""
    got = best_alias(description)
    assert "stainless_steel_sheet" not in got and expected in got


# ------------------------------------------------------------------ lifts


def test_lift_per_piece_by_hand():
    """One lift = T7 base set + 4 floor sets.

    Mass 1 603 + 4 × 333 = 2 935 kg; A1-A3 5 193 + 4 × 969.289 = 9 070.156 kg CO2e, × 1.25
    (the ns3720 profile's 25 % markup on generic data); D -1 579.64 + 4 × -493.136 =
    -3 552.184 kg CO2e (beside the total).
    """
    r = compute("Heis for 8 personer, maskinromsløs", 2.0, "stk")
    assert r.unmatched.empty
    line = r.lines.iloc[0]
    assert line["factor_id"] == "lift_passenger_4_stops"
    assert line["mass"] == pytest.approx(2 * 2935.0)
    modules = r.lines
    assert modules["A1-A3"].sum() == pytest.approx(2 * 9070.156 * 1.25, rel=1e-5)
    assert modules["D"].sum() == pytest.approx(2 * -3552.184, rel=1e-5)


@pytest.mark.parametrize(
    "description",
    [
        "Personheis, komplett levert",
        "Vareheis 1000 kg",
        "Heiser, 2 stk, 630 kg",
        "Sykehusheis/båreheis",
        "Heisanlegg med 5 stopp",
    ],
)
def test_lift_alias_matches_other_phrasings(description, best_alias):
    """Passenger, goods and bed lifts find the lift row."""
    assert best_alias(description) == {"lift_passenger_4_stops"}


@pytest.mark.parametrize(
    "description",
    [
        "Heissjakt i plasstøpt betong",
        "Heisgrube, forskaling og armering",
        "Heisdør EI60",
        "Trappeheis langs vegg",
        "Byggeheis, leie pr mnd",
        "Løfteplattform for rullestol",
    ],
)
def test_lift_alias_leaves_shafts_doors_and_hoists_alone(description, best_alias):
    """Shafts, pits, doors, stair lifts and site hoists are not a passenger lift."""
    assert "lift_passenger_4_stops" not in best_alias(description)


def test_new_rows_cite_their_table_rows_and_say_the_defaults():
    """The rows name the T7 records and the reasoned girth and number of stops."""
    rows = read(PIECES).set_index("factor_id")
    zinc, lift = rows.loc["zinc_flashing_girth_300"], rows.loc["lift_passenger_4_stops"]
    assert "#G0015" in zinc["source_detail"] and "rsc-zinc" in zinc["source_detail"]
    assert "300 mm" in zinc["default_reason"] and "0.7 mm" in zinc["default_reason"]
    assert "#G0273" in lift["source_detail"] and "#G0460" in lift["source_detail"]
    assert "4 stops" in lift["default_reason"]
    assert "rsc-zinc" in set(read(DATA / "sources.csv")["source_id"])
