"""Extensive green (sedum) roofs per m² as one system (fourth coverage pass).

The row takes the published production figure of a modular extensive green-roof system
(Kuronuma et al. 2018: 25.2 kg CO2 per m²). Expected numbers are worked out by hand in the
comments.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from _one_line import compute as compute_line

DATA = Path(__file__).parents[1] / "data"
ENVELOPE = DATA / "emission_factors" / "materials_envelope.csv"
ROW = "green_roof_extensive_sedum_proxy"


def compute(description: str, quantity: float, unit: str, profile: str = "ns3720"):
    """Compute one line in building part 26; return the result."""
    return compute_line(description, quantity, unit, profile, building_part="26")


def test_row_carries_the_published_figure_its_mass_and_its_reasons():
    """A1-A3 25.2 per m², 30 kg/m²; C1 = 0.00348 × 30 = 0.1044, C2 = 0.0052125 × 30 = 0.156375,
    C4 = 0.0150055 × 30 = 0.450165; flagged, with the indicator and end of life reasoned."""
    rows = pd.read_csv(ENVELOPE, dtype=str, keep_default_na=False).set_index("factor_id")
    row = rows.loc[ROW]
    assert row["material_group"] == "green_roof" and row["declared_unit"] == "m2"
    assert float(row["A1-A3"]) == 25.2
    assert float(row["area_mass_kg_m2"]) == 30.0
    assert float(row["C1"]) == pytest.approx(0.00348 * 30)
    assert float(row["C2"]) == pytest.approx(0.0052125 * 30)
    assert float(row["C4"]) == pytest.approx(0.0150055 * 30)
    assert row["indicator"] == "gwp-fossil" and "gwp-fossil" in row["default_reason"]
    assert row["is_default"] == "true" and "proxy" in row["default_reason"]
    assert row["B2"] == "" and "B2 not declared" in row["eol_scenario"]
    assert row["source_id"] == "kuronuma-2018-green-roof"


def test_green_roof_by_hand():
    """240 m² under NS 3720: A1-A3 = 240 × 25.2 × 1.25 (markup on generic data) = 7 560 kg CO2e;
    mass 240 × 30 = 7 200 kg; C4 = 240 × 0.450165 = 108.0396 kg CO2e."""
    r = compute("Grønt tak, sedum, inkl. drenslag og filterduk", 240.0, "m2")
    assert r.unmatched.empty
    line = r.lines.iloc[0]
    assert line["factor_id"] == ROW
    assert line["A1-A3"] == pytest.approx(7560.0)
    assert line["mass"] == pytest.approx(7200.0)
    assert line["C4"] == pytest.approx(108.0396)


def test_tek17_counts_the_row():
    """TEK17 accepts the gwp-fossil row (it would refuse a gwp-total one)."""
    r = compute("Sedumtak, ferdigdyrkede matter", 10.0, "m2", profile="tek17")
    assert r.unmatched.empty
    assert r.lines.iloc[0]["factor_id"] == ROW


@pytest.mark.parametrize(
    "description",
    ["Grønt tak, sedum, inkl. drenslag og filterduk", "Sedumtak med drensplate og substrat",
     "Ekstensivt grønt tak, 60 mm", "Grøntak på terrassedekke", "Sedummatter på drensplate",
     "Vegetasjonstak, sedum/urter, m/ fiberduk", "Grønne tak, komplett system"],
)
def test_green_roof_alias_matches_other_phrasings(description, best_alias):
    """Green and sedum roofs, whatever they include or lie on, find the green-roof row."""
    assert best_alias(description) == {ROW}


@pytest.mark.parametrize(
    "description",
    ["Filterduk under sedumtak", "Drensplate for grønt tak", "Rotsperre for grønt tak",
     "Takbelegg under grønt tak, 2 lag", "Isolasjon under grønt tak, XPS 200 mm",
     "Sluk i grønt tak", "Vegetasjonsdekke, såing av plen inkl. 20 cm matjord", "Torvtak",
     "Beslag rundt grønt tak"],
)
def test_green_roof_alias_leaves_its_layers_and_other_vegetation_alone(description, best_alias):
    """A line whose own product is a layer of the roof, a turf roof or ground vegetation: not the system."""
    assert ROW not in best_alias(description)
