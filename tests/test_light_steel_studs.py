"""Light steel stud walls in m²: studs and tracks per m² × the mass per metre of a C stud.

The layout per m² is the timber wall's (``data/geometry/framing.toml``: 2 tracks over a 2.4 m
storey, 15 % extra); a C stud is a strip of web + 2 × 50 mm flanges of 0.6 mm sheet at
7 850 kg/m³ (``data/geometry/steel.toml``). Expected numbers are worked out by hand below.
"""

from __future__ import annotations

import warnings

import pandas as pd
import pytest

import klimafotavtrykk as kf
from _one_line import compute as compute_line
from klimafotavtrykk.designations import light_stud_line_mass


def compute(description: str, quantity: float, unit: str = "m2"):
    """Compute one line with the ns3720 profile; return the result."""
    return compute_line(description, quantity, unit)


def test_stud_mass_per_metre_by_hand():
    """(web + 2 × 50) mm × 0.6 mm × 7 850 kg/m³: 150 → 1.1775 kg/m, 70 → 0.8007 kg/m."""
    assert light_stud_line_mass(150.0) == pytest.approx(250 * 0.6 * 1e-6 * 7850)
    assert light_stud_line_mass(70.0) == pytest.approx(0.8007)


def test_steel_stud_wall_at_cc600_by_hand():
    """100 m² of C 150 at c/c 600.

    Metres per m²: (1/0.6 + 2/2.4) × 1.15 = 2.5 × 1.15 = 2.875; × 1.1775 kg/m = 3.3853 kg/m²;
    × 100 m² = 338.53 kg of light-gauge steel.
    """
    r = compute("Bindingsverk i stål, C-profil 150 mm c/c 600, bak fasadeplater", 100.0)
    assert r.unmatched.empty
    line = r.lines.iloc[0]
    assert line["factor_id"] == "steel_light_gauge"
    assert line["mass"] == pytest.approx(100 * 2.875 * 1.1775)
    assert "c/c 600 mm from text" in line["conversion"]


def test_steel_stud_wall_at_cc400_by_hand():
    """10 m² of 120 mm studs at c/c 400: (2.5 + 0.8333) × 1.15 = 3.8333 m/m².

    × (120 + 100) × 0.6 × 1e-6 × 7 850 = 1.0362 kg/m → 3.9721 kg/m² → 39.72 kg.
    """
    r = compute("Stålstendere 120 mm c/c 400, innvendig sjaktvegg", 10.0)
    assert r.lines.iloc[0]["mass"] == pytest.approx(
        10 * (1 / 0.4 + 2 / 2.4) * 1.15 * 1.0362, rel=1e-4
    )


def test_steel_stud_wall_without_cc_takes_the_default_and_says_so():
    """No c/c written: the 600 mm of framing.toml, named in the conversion column."""
    r = compute("Stenderverk av stål, C-profil 95 mm", 50.0)
    line = r.lines.iloc[0]
    # 2.875 m/m² × (95 + 100) × 0.6e-6 × 7850 = 2.875 × 0.91845 = 2.64054 kg/m², × 50 m²
    assert line["mass"] == pytest.approx(50 * 2.875 * 0.91845)
    assert "reasoned default" in line["conversion"]


@pytest.mark.parametrize(
    "description",
    ["Lette stålprofiler 100 mm, diverse", "Stålbjelker HEA 200 c/c 1200, bjelkelag"],
)
def test_profiles_that_are_no_stud_wall_stay_uncomputed(description):
    """A profile height without a stud wall, or a rolled beam, is not turned into studs per m²."""
    r = compute(description, 10.0)
    assert r.lines.empty


def test_thin_steel_sheet_keeps_its_thickness():
    """0.7 mm steel sheet in m² is a layer: 10 m² × 0.0007 m × 7 850 kg/m³ = 54.95 kg."""
    r = compute("Stålplater 0,7 mm, stående", 10.0)
    assert r.lines.iloc[0]["mass"] == pytest.approx(54.95)


def test_a_board_thickness_beside_steel_studs_is_no_stud_height():
    """'kalsiumsulfatplater 38 mm på stålstendere': 38 mm is the board, not a 38 mm stud."""
    lines = pd.DataFrame(
        [
            {
                "description": "Hevet gulv, kalsiumsulfatplater 38 mm på stålstendere",
                "quantity": 10.0,
                "unit": "m2",
                "factor_id": "steel_light_gauge",
            }
        ]
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        r = kf.calculate(lines, profile="ns3720")
    assert r.lines.empty
