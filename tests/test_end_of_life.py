"""End of life (C1-C4, D) and maintenance (B2) of the shipped factor tables.

The expected values are worked by hand from the published figures, never read
from the tables' output:

- C3, C4, D: BR18 Bilag 2, Tabel 7 (2023), per declared unit with the row's
  mass factor (``br18-tabel7-2023`` in ``data/sources.csv``);
- C1 = 3 % × 0.116 kg/kg: the EeBGuide C-01 ratio for concrete × Boverket's
  C30/37 A1-A3, applied per kg demolished (reasoned default);
- C2 = 30 km × 0.17375 kg CO₂e/tkm: EeBGuide C-06 distance × the
  ``truck_distribution`` factor of ``transport_modes.csv`` (reasoned default);
- timber under GWP-GHG: fossil C3 = 1.82315 − (1 / 1.12) × 0.5 × 44 / 12
  (T7 #G0765 waste-wood incineration minus EN 16449 biogenic CO₂ at 12 % moisture).

Stored values are rounded to six significant digits, hence ``rel=1e-5``.
"""

from pathlib import Path

import pandas as pd
import pytest

import klimafotavtrykk as kf

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
TABLES = sorted((DATA / "emission_factors").glob("materials*.csv"))
EOL = ["C1", "C2", "C3", "C4", "D"]

C1_PER_KG = 0.03 * 0.116  # 0.00348
C2_PER_KG = 30.0 * 0.17375 / 1000.0  # 0.0052125
WOOD_FOSSIL_C3 = 1.82315 - (1.0 / 1.12) * 0.5 * 44.0 / 12.0  # 0.1862452...


def read(path):
    """Read a data file as text, empty cells as ''."""
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")


def shipped():
    """Every shipped factor table as one frame."""
    return pd.concat([read(p) for p in TABLES], ignore_index=True)


def sources():
    """Known source ids of data/sources.csv."""
    return set(read(DATA / "sources.csv")["source_id"])


# ------------------------------------------------------------------------- data


@pytest.mark.parametrize("path", TABLES, ids=lambda p: p.name)
def test_every_row_declares_c1_to_c4_and_d(path):
    """Every shipped row gives C1, C2, C3, C4 and D as numbers."""
    rows = read(path)
    for module in EOL:
        assert (rows[module] != "").all(), f"{module} missing in {path.name}"
        assert pd.to_numeric(rows[module]).notna().all()


@pytest.mark.parametrize("path", TABLES, ids=lambda p: p.name)
def test_every_end_of_life_value_names_its_scenario_and_source(path):
    """A row with any C1-C4/D value names its scenario and a known eol_source_id."""
    rows = read(path)
    has_eol = (rows[EOL] != "").any(axis=1)
    cited = rows.loc[has_eol, "eol_source_id"]
    assert (cited != "").all()
    assert set(cited) <= sources()
    assert (rows.loc[has_eol, "eol_scenario"].str.strip() != "").all()


@pytest.mark.parametrize("path", TABLES, ids=lambda p: p.name)
def test_b2_is_zero_or_not_declared(path):
    """B2 is a declared 0 or left open, and the scenario text says which."""
    rows = read(path)
    assert rows["B2"].isin(["", "0"]).all()
    # a row left not declared says why; a declared zero cites its reason
    assert rows.loc[rows["B2"] == "", "eol_scenario"].str.contains("B2 not declared").all()
    assert rows.loc[rows["B2"] == "0", "eol_scenario"].str.contains("B2 = 0").all()


def test_maintenance_is_left_open_where_it_is_real():
    """Floor coverings, lifts and green roofs keep B2 open; the envelope follows LCAbyg."""
    rows = shipped().set_index("factor_id")
    for factor_id in ("linoleum_2_5mm", "ceramic_tiles_glazed", "lift_passenger_4_stops",
                      "green_roof_extensive_sedum_proxy"):
        assert rows.at[factor_id, "B2"] == ""
    for factor_id in ("concrete_c30_37", "glulam", "gypsum_board_standard", "paint_acrylic"):
        assert rows.at[factor_id, "B2"] == "0"
    # windows, wooden doors, cladding and roofing: re-treatment and renewal are B4 (LCAbyg)
    for factor_id in ("window_wood", "window_pvc", "door_external_wood", "planed_timber",
                      "bitumen_membrane", "pvc_roofing_membrane"):
        assert rows.at[factor_id, "B2"] == "0"
        assert "lcabyg-b4-fixtures" in rows.at[factor_id, "eol_scenario"]


def test_timber_keeps_only_the_fossil_part_of_c3():
    """Wood rows under GWP-GHG carry the fossil C3 only."""
    rows = shipped().set_index("factor_id")
    assert WOOD_FOSSIL_C3 == pytest.approx(0.186245, rel=1e-5)
    for factor_id in ("sawn_timber", "glulam", "clt", "lvl", "plywood", "osb", "particle_board"):
        assert rows.at[factor_id, "indicator"] == "gwp-ghg"
        assert float(rows.at[factor_id, "C3"]) == pytest.approx(WOOD_FOSSIL_C3, rel=1e-5)
    # glulam in T7 (#B1339): C3 incl. biogenic 743 kg/m3 / 500 kg = 1.486 kg/kg, not shipped
    assert float(rows.at["glulam", "C3"]) < 743.0 / 500.0 / 5


def test_c1_and_c2_are_the_stated_defaults_per_kg():
    """Rows per kg carry the C1 and C2 defaults unchanged."""
    rows = shipped()
    per_kg = rows[rows["declared_unit"] == "kg"]
    assert pd.to_numeric(per_kg["C1"]).tolist() == pytest.approx([C1_PER_KG] * len(per_kg))
    assert pd.to_numeric(per_kg["C2"]).tolist() == pytest.approx([C2_PER_KG] * len(per_kg))


def test_low_carbon_concrete_per_m3_from_the_per_kg_values():
    """A row per m³ converts the T7 values with its own density."""
    row = shipped().set_index("factor_id").loc["concrete_lowcarbon_b_b30"]
    # declared per m3 at 2 400 kg/m3; T7 #B1477 C30/37: C3 6.72, C4 4.97, D -4.60 per m3 of 2 255 kg
    assert float(row["C3"]) == pytest.approx(6.72 / 2255 * 2400, rel=1e-5)  # 7.15211
    assert float(row["C4"]) == pytest.approx(4.97 / 2255 * 2400, rel=1e-5)  # 5.28958
    assert float(row["D"]) == pytest.approx(-4.60 / 2255 * 2400, rel=1e-5)  # -4.89579
    assert float(row["C1"]) == pytest.approx(C1_PER_KG * 2400, rel=1e-9)  # 8.352
    assert float(row["C2"]) == pytest.approx(C2_PER_KG * 2400, rel=1e-9)  # 12.51


# ----------------------------------------------------------------------- engine


def one_line(description, quantity, unit, profile):
    """Calculate one line with the shipped data; the result and its line."""
    lines = pd.DataFrame({"description": [description], "quantity": [quantity], "unit": [unit]})
    result = kf.calculate(lines, profile=profile)
    return result, result.lines.iloc[0]


def test_ten_cubic_metres_of_c30_37_under_ns3720():
    """10 m³ of C30/37 under NS 3720, worked by hand from BR18 Tabel 7."""
    result, out = one_line("Plasstøpt betong B30", 10.0, "m3", "ns3720")
    assert out["factor_id"] == "concrete_c30_37"
    mass = 10.0 * 2350.0  # Boverket density 2 350 kg/m3: 23 500 kg
    # T7 #B1477 Fabriksbeton C30/37: 6.72 (C3), 4.97 (C4), -4.60 (D) per m3 of 2 255 kg
    assert out["C3"] == pytest.approx(mass * 6.72 / 2255, rel=1e-5)  # 70.0310
    assert out["C4"] == pytest.approx(mass * 4.97 / 2255, rel=1e-5)  # 51.7938
    assert out["C1"] == pytest.approx(mass * C1_PER_KG)  # 81.78
    assert out["C2"] == pytest.approx(mass * C2_PER_KG)  # 122.49375
    # 100-year service life in 60 years: one cycle, D counted once
    assert out["D"] == pytest.approx(mass * -4.60 / 2255, rel=1e-5)  # -47.9379
    assert result.coverage[["C1", "C2", "C3", "C4", "D"]].eq(1.0).all()


def test_a_cubic_metre_of_glulam_counts_only_fossil_c3():
    """1 m³ of glulam under NS 3720: fossil C3 only."""
    _, out = one_line("Limtre GL30c", 1.0, "m3", "ns3720")
    assert out["factor_id"] == "glulam"
    # Boverket density 434 kg/m3: C3 = 434 × 0.1862452 = 80.83 kg, not the 434 × 1.486 = 644.9 kg
    # of T7 #B1339 (GWP with biogenic carbon)
    assert out["C3"] == pytest.approx(434.0 * WOOD_FOSSIL_C3, rel=1e-5)
    assert out["C4"] == 0.0


def test_tek17_no_longer_misses_b2_where_there_is_no_maintenance():
    """TEK17 coverage of B2 is full for products without maintenance."""
    lines = pd.DataFrame({
        "description": ["Plasstøpt betong B30", "Limtre GL30c", "Gipsplate 13 mm"],
        "quantity": [10.0, 1.0, 100.0],
        "unit": ["m3", "m3", "m2"],
        "building_part": ["251", "222", "242"],
    })
    result = kf.calculate(lines, profile="tek17")
    assert result.coverage["B2"] == 1.0
    # B2 declared 0: it adds nothing, and C is outside the TEK17 scope
    assert result.by_module["B2"] == 0.0
    assert result.by_module[["C1", "C2", "C3", "C4"]].eq(0.0).all()


@pytest.mark.parametrize("profile", ["ns3720", "en15978"])
def test_the_example_school_counts_its_end_of_life(profile):
    """The example school's whole-life totals include C1-C4 on every computed line."""
    lines, _ = kf.read_boq(ROOT / "examples" / "skole.xlsx")
    result = kf.calculate(lines, profile=profile, bta_m2=2400)
    assert result.coverage[EOL].eq(1.0).all()
    by = result.by_module
    assert (by[["C1", "C2", "C3", "C4"]] > 0).all()
    # C1 and C2 are both per kg demolished (per declared unit = per kg × mass), so on any bill
    # C2 / C1 = 0.0052125 / 0.00348 = 1.497845 exactly
    assert by["C2"] / by["C1"] == pytest.approx(C2_PER_KG / C1_PER_KG)
    assert result.total == pytest.approx(by.drop("D").sum())
