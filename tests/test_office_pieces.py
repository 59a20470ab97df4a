"""Office items counted per piece: the galvanised steel stair (issue 11, item 1).

Covers the row ``steel_stair_galvanised_flight_piece`` in
``data/emission_factors/materials_pieces.csv`` and its alias in
``data/mappings/material_aliases_pieces.csv``. Expected numbers are worked out by hand in
the comments from the cited component sizes, never copied from the code's output.
"""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from _one_line import compute, read

DATA = Path(__file__).parents[1] / "data"
PIECES = DATA / "emission_factors" / "materials_pieces.csv"
STAIR = "steel_stair_galvanised_flight_piece"


def test_reference_flight_mass_adds_up_from_its_published_parts():
    """The piece mass is the sum of stringers, treads and railings, as written in the row.

    Flight: 17 risers x 0.180 m = 3.06 m high, 16 goings x 0.270 m = 4.32 m long;
    sloped length sqrt(3.06² + 4.32²) = sqrt(9.3636 + 18.6624) = sqrt(28.026) = 5.29396 m.
    Stringer WUC 170/4, centre-line girth (170-4) + 2(55-4) + 2(25-2) = 166 + 102 + 46 = 314 mm,
    x 4 mm = 1256 mm² x 7850 kg/m³ = 9.8596 kg/m; two stringers: 2 x 5.29396 x 9.8596 = 104.393 kg.
    Treads: 16 x 9.1 kg (DIN 24531-1 tread 1000 x 270, bar 30x3) = 145.6 kg.
    Railings: 2 x 5.29396 m x 19.02 kg/m = 201.382 kg. Sum 451.375 kg, stored 451.37.
    """
    length = math.sqrt(3.06**2 + 4.32**2)
    assert length == pytest.approx(5.29396, abs=1e-5)
    total = 2 * length * 9.8596 + 16 * 9.1 + 2 * length * 19.02
    row = read(PIECES).set_index("factor_id").loc[STAIR]
    assert float(row["piece_mass_kg"]) == pytest.approx(total, abs=0.01)
    assert float(row["piece_mass_kg"]) == pytest.approx(451.37)
    # the climate value is the galvanised-steel record, as the railing row
    assert row["source_id"] == "boverket-klimatdatabas-2025" and float(row["A1-A3"]) == 2.66
    assert row["is_default"] == "true" and "landings" in row["default_reason"]
    sources = set(read(DATA / "sources.csv")["source_id"])
    assert {"lichtgitter-sp-stair-treads", "weland-rette-trapper"} <= sources
    assert "lichtgitter-sp-stair-treads" in row["source_detail"]
    assert "weland-rette-trapper" in row["source_detail"]


def test_escape_stair_per_piece_computes():
    """One escape stair in stk: 451.37 kg x 2.66 kg CO2e/kg x 1.25 (NS 3720 generic markup).

    451.37 x 2.66 = 1 200.6442; x 1.25 = 1 500.80525 kg CO2e in A1-A3.
    """
    r = compute("Utvendig trapp, galvanisert stål, rømningsvei", 1.0, "stk")
    assert r.unmatched.empty, r.unmatched[["reason"]].to_dict("records")
    line = r.lines.iloc[0]
    assert line["factor_id"] == STAIR
    assert line["mass"] == pytest.approx(451.37)
    assert line["A1-A3"] == pytest.approx(1_500.80525, rel=1e-9)


def test_two_stairs_double():
    """Two pieces: 2 x 451.37 = 902.74 kg."""
    r = compute("Rømningstrapp i stål, varmforsinket", 2.0, "stk")
    assert r.lines.iloc[0]["factor_id"] == STAIR
    assert r.lines.iloc[0]["mass"] == pytest.approx(902.74)


def test_a_stair_given_in_kg_keeps_its_own_mass():
    """A line in kg is computed from its own mass: 600 kg x 2.66 x 1.25 = 1 995 kg CO2e."""
    r = compute("Ståltrapp, varmforsinket", 600.0, "kg")
    line = r.lines.iloc[0]
    assert line["factor_id"] == STAIR
    assert line["A1-A3"] == pytest.approx(1_995.0)


@pytest.mark.parametrize(
    "description",
    [
        "Utvendig trapp, galvanisert stål, rømningsvei",
        "Rømningstrapp i stål, varmforsinket",
        "Ståltrapp, varmforsinket, 1 løp",
        "Trappeløp i stål, galvanisert",
    ],
)
def test_steel_stair_phrasings_find_the_row(description, best_alias):
    """Ways of writing a galvanised steel stair find the per-piece row."""
    assert best_alias(description) == {STAIR}


@pytest.mark.parametrize(
    "description",
    [
        "Trapperekkverk i stål, pulverlakkert",
        "Trappetrinn av gitterrist, varmforsinket",
        "Stålsøyler i trappehus, varmforsinket",
        "Prefabrikkerte betongtrapper inkl. repos",
        "Trapp i stål med trinn i eik",
        "Spiraltrapp i stål, varmforsinket",
        "Trapp i rustfritt stål",
        "Armering rampe og trapp, B500NC",
        "Utvendig trapp, impregnert tre, 4 trinn",
    ],
)
def test_near_misses_do_not_take_the_stair(description, best_alias):
    """Railings, treads, stairwells, concrete, timber, spiral and stainless stairs stay apart."""
    assert STAIR not in best_alias(description)
