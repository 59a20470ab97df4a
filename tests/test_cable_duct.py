"""PE cable ducts (trekkerør, kabelrør) per metre, worked by hand with the shipped data.

Row used: ``civil_pe_cable_duct`` in ``data/emission_factors/materials_civil.csv`` (Boverket
6000000210, 2.22 kg CO2e/kg A1-A3, density 950 kg/m³). A duct whose text names no class is
read as SN 8 (``data/conversions/pipe_default_class.csv``), and SN 8 for a PE duct is the
SDR 21 series (``pipe_ring_stiffness.csv``: Pipelife's PE SDR 11 = SN 64, scaled by the cube
rule). The EN 17472 profile adds the generic-data markup of 25 % to A1-A3. The descriptions
below are written for these tests: other phrasings of the item, and near-misses that must not
take the duct row.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest

import klimafotavtrykk as kf


def run(rows, profile="en17472"):
    """Calculate a few lines given as dicts, with the shipped data."""
    return kf.calculate(pd.DataFrame(rows), profile=profile)


def factor_of(description, unit="m"):
    """Factor id a one-line bill gets, or None when the line is not matched."""
    r = run([{"description": description, "quantity": 1.0, "unit": unit}])
    return None if r.lines.empty else r.lines.iloc[0]["factor_id"]


@pytest.mark.parametrize("description", [
    "Trekkerør PE 110 mm, rød, med trekkesnor",
    "Kabelrør PE Ø160 for høyspent",
    "Levering og legging av trekkerør i PE, Ø 110",
    "Trekkerør polyeten Ø50 for fiber",
])
def test_pe_cable_ducts_take_the_duct_row(description):
    """Other phrasings of a PE cable duct take the duct row."""
    assert factor_of(description) == "civil_pe_cable_duct"


@pytest.mark.parametrize(("description", "not_expected"), [
    # PVC and PP ducts keep their own pipe rows
    ("Trekkerør PVC Ø110", "civil_pe_cable_duct"),
    ("Kabelrør PP SN8 Ø110", "civil_pe_cable_duct"),
    # a PE water main is not a duct
    ("Vannledning PE100 Ø110", "civil_pe_cable_duct"),
    # pulling or blowing a cable is work, not a duct
    ("Trekking av kabel i eksisterende trekkerør PE", "civil_pe_cable_duct"),
    ("Innblåsing av fiber i kabelrør PE Ø40", "civil_pe_cable_duct"),
])
def test_near_misses_do_not_take_the_duct_row(description, not_expected):
    """Ducts of other plastics, water pipes and cable work do not take the duct row."""
    assert factor_of(description) != not_expected


def test_pe_duct_without_class_is_sn8_sdr21():
    """100 m of a PE duct Ø110 with no class: SDR 21 wall, by hand."""
    r = run([{"description": "Trekkerør PE Ø110 for belysningskabel", "quantity": 100.0,
              "unit": "m"}])
    line = r.lines.iloc[0]
    # e = 110 / 21 = 5.238095 mm; wall area = pi x (110 - 5.238095) x 5.238095 = 1723.958 mm²
    # kg/m = 1723.958e-6 m² x 950 kg/m³ = 1.637760 kg/m; 100 m -> 163.7760 kg
    wall = 110.0 / 21.0
    kg = math.pi * (110.0 - wall) * wall * 1e-6 * 950.0 * 100.0
    assert kg == pytest.approx(163.776, rel=1e-5)
    assert line["mass"] == pytest.approx(kg, rel=1e-9)
    # A1-A3 = 163.776 kg x 2.22 x 1.25 (EN 17472 generic markup) = 454.478 kg CO2e
    assert line["A1-A3"] == pytest.approx(163.776 * 2.22 * 1.25, rel=1e-5)
    assert "SN8 assumed" in line["conversion"]
    assert "SDR 21" in line["conversion"]


def test_pe_duct_with_a_class_keeps_it():
    """A duct that writes its class is computed with that class, not the default."""
    r = run([{"description": "Kabelrør PE Ø110 SDR 17", "quantity": 10.0, "unit": "m"}])
    line = r.lines.iloc[0]
    # nominal wall of the written series: e = 110 / 17 = 6.470588 mm;
    # pi x (110 - 6.470588) x 6.470588 mm² = 2104.52 mm² x 950 kg/m³ = 1.99931 kg/m; 10 m -> 19.9931 kg
    wall = 110.0 / 17.0
    assert line["mass"] == pytest.approx(math.pi * (110.0 - wall) * wall * 1e-6 * 950.0 * 10.0, rel=1e-9)
    assert line["mass"] == pytest.approx(19.9931, rel=1e-5)
    assert "assumed" not in line["conversion"]
