"""B2 of windows, doors, cladding and roofing, and the paint line's re-application in B4.

The treatment follows LCAbyg (``lcabyg-b4-fixtures``): surfaces are re-treated by a separate
paint product with a 15-year life, replaced in B4, and the product under it declares B2 = 0;
roofing membranes are renewed by replacement in B4. Floor coverings keep B2 undeclared (their
maintenance takes material that needs project data), so only they keep the coverage warning.

Shipped rows used (``data/emission_factors/materials.csv``): ``paint_acrylic`` (Boverket
6000000144: A1-A3 2.5, A4 0.0348 kg CO2e/kg, waste rate 0.04, 0.1 kg/m², service life 15 a).
The TEK17 profile: 50-year period, 25 % generic markup on A1-A3.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest

import klimafotavtrykk as kf


def run(rows, profile="tek17"):
    """Calculate a few lines given as (description, quantity, unit, building part)."""
    items = pd.DataFrame(rows, columns=["description", "quantity", "unit", "building_part"])
    return kf.calculate(items, profile=profile)


def test_paint_line_is_reapplied_three_times_in_fifty_years():
    """A paint line is replaced ceil(50 / 15) - 1 = 3 times in B4, by hand."""
    r = run([("Maling av utvendig kledning, to strøk", 100.0, "m2", "23")])
    line = r.lines.iloc[0]
    assert line["factor_id"] == "paint_acrylic"
    assert line["replacements"] == math.ceil(50 / 15) - 1 == 3
    # 100 m² x 0.1 kg/m² = 10 kg; A1-A3 = 10 x 2.5 x 1.25 = 31.25; A4 = 10 x 0.0348 = 0.348;
    # A5 (waste) = 0.04 x (31.25 + 0.348) = 1.26392; one replacement = 32.86192; B4 = 3 x = 98.58576
    assert line["A1-A3"] == pytest.approx(31.25)
    assert line["B4"] == pytest.approx(3 * (31.25 + 0.348 + 0.04 * (31.25 + 0.348)))
    assert line["B4"] == pytest.approx(98.58576)


@pytest.mark.parametrize(("description", "unit", "part"), [
    ("Vinduer i tre, 3-lags glass, faste og åpningsbare", "m2", "23"),
    ("Vindu PVC 3-lags", "m2", "23"),
    ("Ytterdør i tre, tett, M10x21", "stk", "23"),
    ("Trekledning 22x148 mm, stående, grunnet", "m2", "23"),
    ("Tekking med asfalt takbelegg, to lag SBS", "m2", "26"),
    ("Takfolie PVC 1,2 mm, mekanisk festet", "m2", "26"),
])
def test_envelope_rows_declare_b2_zero(description, unit, part):
    """Windows, doors, cladding and roofing declare B2 = 0: the module is covered, not missing."""
    r = run([(description, 10.0, unit, part)])
    assert len(r.lines) == 1, r.unmatched
    assert r.lines.iloc[0]["B2"] == 0.0
    assert r.coverage["B2"] == 1.0


def test_floor_covering_keeps_b2_undeclared():
    """Ceramic tiles still lack B2: the coverage shows it for that line only."""
    r = run([("Keramiske fliser på gulv i våtrom", 10.0, "m2", "25"),
             ("Vinduer i tre, 3-lags glass", 10.0, "m2", "23")])
    assert len(r.lines) == 2, r.unmatched
    # one of two computed lines lacks B2
    assert r.coverage["B2"] == pytest.approx(0.5)


def test_coverage_warning_names_b2_only_when_a_line_lacks_it():
    """The run's one coverage warning leaves B2 out when every line declares it."""
    from klimafotavtrykk.commands import _coverage_warnings

    declared = run([("Vinduer i tre, 3-lags glass", 10.0, "m2", "23"),
                    ("Maling av utvendig kledning, to strøk", 100.0, "m2", "23")])
    assert all("B2" not in text for text in _coverage_warnings(declared.coverage, "nb"))
    missing = run([("Keramiske fliser på gulv i våtrom", 10.0, "m2", "25")])
    warnings_ = _coverage_warnings(missing.coverage, "nb")
    assert len(warnings_) == 1
    assert "B2 100 %" in warnings_[0]


def test_warning_names_the_factors_that_lack_the_module_most_lines_first():
    """The warning says where B2 is missing: the factor ids, most lines first, then by id."""
    from klimafotavtrykk.commands import _coverage_warnings

    r = run([("Vinylbelegg i korridor", 10.0, "m2", "25"),
             ("Keramiske fliser på gulv i våtrom", 10.0, "m2", "25"),
             ("Keramiske fliser på vegg i våtrom", 10.0, "m2", "24"),
             ("Vinduer i tre, 3-lags glass", 10.0, "m2", "23")])
    assert len(r.lines) == 4, r.unmatched
    # two tile lines, one vinyl line lack B2; the window declares it
    assert r.coverage.attrs["undeclared_factors"]["B2"] == ["ceramic_tiles_glazed",
                                                            "vinyl_flooring"]
    text = _coverage_warnings(r.coverage, "en")[0]
    assert "B2 75% (ceramic_tiles_glazed, vinyl_flooring)" in text


def test_long_lists_of_factors_are_cut_after_three():
    """More than three ids: the first three and how many more."""
    from klimafotavtrykk.commands import _factor_names

    assert _factor_names([]) == ""
    assert _factor_names(["a"]) == " (a)"
    assert _factor_names(["a", "b", "c", "d", "e"]) == " (a, b, c +2)"
