"""Road marking lines (issue 11 item 2), worked by hand with the shipped data.

Rows used (``data/emission_factors/materials_civil.csv``), both proxies for a road-marking
material that no EPD read gives (the rows say so in ``default_reason``):

- ``civil_road_marking_thermoplastic_3mm_proxy``: Boverket 6000000144 (water-borne acrylic paint),
  2.5 kg CO2e/kg; density 1 980 kg/m³; 3 mm → 5.94 kg/m²; a 0.10 m line → 0.594 kg/m
- ``civil_road_marking_spray_plastic_proxy``: same record; density 2 000 kg/m³; 1.5 mm → 3.0 kg/m²;
  a 0.10 m line → 0.30 kg/m

The EN 17472 profile adds the generic-data markup of 25 % to A1-A3 (2.5 × 1.25 = 3.125).
Descriptions are written for these tests: other phrasings, and near-misses that must not match.
"""

from __future__ import annotations

import pandas as pd
import pytest

import klimafotavtrykk as kf

THERMO = "civil_road_marking_thermoplastic_3mm_proxy"
SPRAY = "civil_road_marking_spray_plastic_proxy"


def run(rows, profile="en17472"):
    """Calculate a few lines given as dicts, with the shipped data."""
    return kf.calculate(pd.DataFrame(rows), profile=profile)


def factor_of(description, unit="m"):
    """Factor id a one-line bill gets, or None when the line is not matched."""
    r = run([{"description": description, "quantity": 1.0, "unit": unit}])
    return None if r.lines.empty else r.lines.iloc[0]["factor_id"]


@pytest.mark.parametrize(
    ("description", "expected"),
    [
        ("Vegoppmerking, kjørefeltlinjer, termoplast 3 mm", THERMO),
        ("Kantlinje i termoplast, ekstrudert", THERMO),
        ("Oppmerking av sperrelinje, termoplastisk masse", THERMO),
        ("Gangfelt, termoplast 3 mm, hvit", THERMO),
        ("Vegoppmerking gangfelt, sprøyteplast", SPRAY),
        ("Midtlinje, sprøytet termoplast", SPRAY),
        ("Vegmerking kantlinjer, termoplast sprøytet 1,5 mm", SPRAY),
    ],
)
def test_marking_lines_take_their_rows(description, expected):
    """A marking word and the material choose the row."""
    assert factor_of(description) == expected


@pytest.mark.parametrize(
    ("description", "unit"),
    [
        ("TPO takbelegg, termoplastisk polyolefin", "m2"),  # roofing, no marking word
        ("Taktile heller, betong, oppmerksomhetsfelt", "m2"),  # 'oppmerksomhet' is not 'oppmerking'
        ("Vegoppmerking, kaldplast 3 mm", "m2"),  # cold plastic: no row
        ("Vegoppmerking med vegmaling", "m2"),  # paint: the paint row, not the plastic proxies
        ("Termoplastrør PE 110", "m"),
    ],
)
def test_near_misses_do_not_take_the_marking_rows(description, unit):
    assert factor_of(description, unit) not in (THERMO, SPRAY)


def test_lane_lines_per_metre():
    r = run(
        [
            {
                "description": "Vegoppmerking, kjørefeltlinjer, termoplast 3 mm",
                "quantity": 500.0,
                "unit": "m",
            }
        ]
    )
    out = r.lines.iloc[0]
    # 500 m x 0.10 m x 0.003 m = 0.15 m3 x 1 980 kg/m3 = 297 kg
    assert out["mass"] == pytest.approx(297.0)
    # 297 kg x 2.5 kg CO2e/kg = 742.5, x 1.25 (generic-data markup) = 928.125 kg CO2e
    assert out["A1-A3"] == pytest.approx(928.125)


def test_thermoplastic_area_takes_the_thickness_column():
    r = run(
        [
            {
                "description": "Sperreflate, oppmerking termoplast",
                "quantity": 50.0,
                "unit": "m2",
                "thickness_mm": 4.0,
            },
            {
                "description": "Sperreflate, oppmerking termoplast 4 mm",
                "quantity": 50.0,
                "unit": "m2",
            },
        ]
    )
    mass = r.lines["mass"].to_numpy()
    # the layer rule with the column: 50 m2 x 0.004 m = 0.2 m3 x 1 980 kg/m3 = 396 kg
    assert mass[0] == pytest.approx(396.0)
    # a thickness only in the text is not read for this row: 50 m2 x 5.94 kg/m2 (3 mm) = 297 kg
    assert mass[1] == pytest.approx(297.0)


def test_spray_plastic_crossing_per_m2_without_thickness():
    r = run(
        [{"description": "Vegoppmerking gangfelt, sprøyteplast", "quantity": 90.0, "unit": "m2"}]
    )
    out = r.lines.iloc[0]
    # 90 m2 x 0.0015 m x 2 000 kg/m3 = 270 kg; 270 x 2.5 x 1.25 = 843.75 kg CO2e
    assert out["mass"] == pytest.approx(270.0)
    assert out["A1-A3"] == pytest.approx(843.75)


def test_marking_rows_are_flagged_proxies_with_sources():
    table = kf.load_factors().frame.set_index("factor_id")
    for fid in (THERMO, SPRAY):
        row = table.loc[fid]
        assert row["material_group"] == "paint_sealant"
        assert row["source_id"] == "boverket-klimatdatabas-2025"
        assert "6000000144" in row["source_detail"]
        assert bool(row["is_default"])
        assert "proxy" in row["default_reason"]
