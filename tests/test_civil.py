"""Civil works under the EN 17472 profile, worked by hand with the shipped data.

Values used, as shipped (row -> value):

- ``data/emission_factors/materials_civil.csv``
  - ``civil_soil_in_situ``: A1-A3 0 per tonne, density 1 900 kg/m³, mode ``truck_distribution``
  - ``civil_rock_in_situ``: A1-A3 0 per tonne, density 2 700 kg/m³, mode ``truck_distribution``
  - ``civil_asphalt_svv_2023``: A1-A3 44 kg CO2e per tonne (Statens vegvesen 2023), density 2 400 kg/m³
  - ``civil_pe100_sdr11_d160``: A1-A3 2.22 and A4 0.0487 kg CO2e/kg (Boverket 6000000210),
    waste 0.10, linear mass 6.31 kg/m, service life 100 a
  - ``civil_pvc_sn8_d200``: A1-A3 4.55 and A4 0.0417 kg CO2e/kg (Boverket 6000000224),
    waste 0.05, linear mass 5.02 kg/m, service life 100 a
- ``data/emission_factors/transport_modes.csv``: ``truck_distribution`` 0.17375 kg CO2e/tkm
  (2.5 MJ/tkm × 0.0695 kg CO2e/MJ)
- ``data/profiles/en17472.toml``: 100 a, every module, generic markup 0.25, no building parts

Lines are built as frames here; the workbook reader is not used.
"""

from __future__ import annotations

import csv
import dataclasses
import importlib.util
import math
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

import klimafotavtrykk as kf
from klimafotavtrykk.profiles import load_profile

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
CIVIL = DATA / "emission_factors" / "materials_civil.csv"
EXAMPLE = ROOT / "examples" / "veg.xlsx"
EXAMPLE_SCRIPT = ROOT / "examples" / "build_road_example.py"


def run(rows, profile="en17472"):
    """Calculate a few lines given as dicts, with the shipped data."""
    return kf.calculate(pd.DataFrame(rows), profile=profile)


def line(result, i=0):
    return result.lines.iloc[i]


def read_csv(path):
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


# ------------------------------------------------------------------------ earthworks


def test_earthworks_volume_to_tonnes_to_haul():
    r = run([{"description": "Graving av jordmasser i vegkropp, kjøres til deponi",
              "quantity": 500.0, "unit": "pfm3", "transport_km": 12.0}])
    assert r.unmatched.empty
    out = line(r)
    assert out["factor_id"] == "civil_soil_in_situ"
    # 500 pfm3 × 1 900 kg/m3 = 950 000 kg = 950 t
    assert out["mass"] == pytest.approx(950_000.0)
    # A4 = 950 t × 12 km × 0.17375 kg CO2e/tkm = 1 980.75 kg CO2e; no product stage
    assert out["A4"] == pytest.approx(1980.75)
    assert out["A1-A3"] == 0.0
    assert r.total == pytest.approx(1980.75)


def test_earthworks_in_tonnes_give_the_same_haul():
    # the same 950 t written in tonnes: 950 × 12 × 0.17375 = 1 980.75
    r = run([{"description": "Transport av overskuddsmasser (jord) til mottak",
              "quantity": 950.0, "unit": "tonn", "transport_km": 12.0}])
    assert line(r)["A4"] == pytest.approx(1980.75)


def test_blasted_rock_haul():
    r = run([{"description": "Utlasting og transport av sprengt fjell til knuseverk",
              "quantity": 100.0, "unit": "pfm3", "transport_km": 8.0}])
    out = line(r)
    assert out["factor_id"] == "civil_rock_in_situ"
    # 100 pfm3 × 2 700 kg/m3 = 270 t; A4 = 270 × 8 × 0.17375 = 375.3 kg CO2e
    assert out["A4"] == pytest.approx(375.3)


def test_masses_moved_without_a_distance_carry_nothing():
    # no haul given and no default distance: A4 cannot be known, the line counts 0 and
    # the coverage of A4 says so
    r = run([{"description": "Gjenfylling av grøft med stedlige masser", "quantity": 300.0, "unit": "m3"}])
    assert line(r)["factor_id"] == "civil_soil_in_situ"
    assert r.total == 0.0
    assert r.coverage["A4"] == 0.0


# --------------------------------------------------------------------------- asphalt


def test_asphalt_area_times_thickness_times_density():
    r = run([{"description": "Asfaltdekke Ab 11, slitelag 40 mm", "quantity": 1000.0, "unit": "m2",
              "thickness": 0.04}])
    out = line(r)
    assert out["factor_id"] == "civil_asphalt_svv_2023"
    # 1 000 m2 × 0.04 m × 2 400 kg/m3 = 96 000 kg = 96 t
    assert out["declared_quantity"] == pytest.approx(96.0)
    # generic data +25 %: 96 t × 44 kg/t × 1.25 = 5 280 kg CO2e
    assert out["A1-A3"] == pytest.approx(5280.0)


def test_asphalt_in_tonnes_and_without_markup():
    no_markup = dataclasses.replace(load_profile("en17472"), generic_markup=0.0)
    r = run([{"description": "Asfalt Agb 16", "quantity": 96.0, "unit": "tonn", "transport_km": 25.0}],
            profile=no_markup)
    out = line(r)
    # 96 t × 44 kg/t = 4 224 kg CO2e; A4 = 96 t × 25 km × 0.17375 = 417 kg CO2e
    assert out["A1-A3"] == pytest.approx(4224.0)
    assert out["A4"] == pytest.approx(417.0)


# ------------------------------------------------------------------------------ pipes


def test_pe_pipe_in_metres():
    r = run([{"description": "Vannledning PE100 SDR11 Ø160, buttsveiset", "quantity": 250.0, "unit": "m"}])
    out = line(r)
    assert out["factor_id"] == "civil_pe100_sdr11_d160"
    # 250 m × 6.31 kg/m = 1 577.5 kg
    assert out["mass"] == pytest.approx(1577.5)
    # A1-A3 = 1 577.5 × 2.22 × 1.25 = 4 377.5625
    assert out["A1-A3"] == pytest.approx(4377.5625)
    # A4 as declared: 1 577.5 × 0.0487 = 76.82425
    assert out["A4"] == pytest.approx(76.82425)
    # End of life per kg (materials_civil.csv, eol_scenario): C1 = 3 % × 0.116 = 0.00348
    # (EeBGuide C-01 ratio × Boverket C30/37); C2 = 30 km × 0.17375 kg/tkm / 1000 = 0.0052125
    # (EeBGuide C-06); C3 = 3.45444 (BR18 Tabel 7 #G0267 HDPE sewer pipe, incineration); C4 = 0.
    # C per kg = 0.00348 + 0.0052125 + 3.45444 = 3.4631325
    assert out["C1"] == pytest.approx(1577.5 * 0.00348)  # 5.4897
    assert out["C2"] == pytest.approx(1577.5 * 0.0052125)  # 8.22271875
    assert out["C3"] == pytest.approx(1577.5 * 3.45444)  # 5 449.3791
    assert out["C4"] == 0.0
    # D = 1 577.5 × −1.70559 = −2 690.568225, beside the total
    assert out["D"] == pytest.approx(-2690.568225)
    # A5 waste carries C1-C4 of the lost share (EN 15978, profile waste_end_of_life):
    # 0.10 × (2.22 × 1.25 + 0.0487 + 3.4631325) × 1 577.5 = 0.62868325 × 1 577.5 = 991.747826875
    assert out["A5"] == pytest.approx(991.747826875)
    # service life 100 a in a 100-year period: no replacement
    assert out["B4"] == 0.0
    # C1-C4 = 1 577.5 × 3.4631325 = 5 463.09151875
    assert out["kg_co2e"] == pytest.approx(4377.5625 + 76.82425 + 991.747826875 + 5463.09151875)


def test_pvc_pipe_in_metres():
    r = run([{"description": "Spillvannsledning PVC SN8 Ø200", "quantity": 100.0, "unit": "m"}])
    out = line(r)
    assert out["factor_id"] == "civil_pvc_sn8_d200"
    # 100 m × 5.02 kg/m = 502 kg; A1-A3 = 502 × 4.55 × 1.25 = 2 855.125
    assert out["A1-A3"] == pytest.approx(2855.125)


def test_pipe_size_from_the_text_or_reported():
    r = run([{"description": "Stikkledning vann PE100 SDR11 Ø75", "quantity": 80.0, "unit": "m"},
             {"description": "Betongrør DN400", "quantity": 24.0, "unit": "m"},
             {"description": "Betongrør DN2000", "quantity": 24.0, "unit": "m"}])
    # PE100 OD 75 SDR 11 from data/conversions/pipe_masses.csv (wall 6.8 mm, vesbo-pe100):
    # π × (75 − 6.8) × 6.8 mm² × 950 kg/m³ = 1.3841 kg/m; 80 m -> 110.73 kg
    # concrete DN400, ASTM C76 Wall B t = 400/12 + 25 = 58.33 mm:
    # π/4 × (516.67² − 400²) mm² × 2400 kg/m³ = 201.58 kg/m; 24 m -> 4 838.0 kg
    assert r.lines["mass"].tolist() == pytest.approx([110.73, 4838.0], abs=0.1)
    # DN2000 is not in the table: not computed, and the note says why
    assert r.unmatched["reason"].tolist() == ["incompatible_unit"]
    assert "concrete pipe DN2000" in r.unmatched["dimension_note"].iloc[0]


@pytest.mark.parametrize(("factor_id", "expected"), [
    # e = 110 / 11 = 10.0 mm: π × (0.110 − 0.010) × 0.010 × 950 = 2.9845 kg/m
    ("civil_pe100_sdr11_d110", 2.9845),
    # e = 160 / 11 = 14.545 mm: π × 0.145455 × 0.0145455 × 950 = 6.3143 kg/m
    ("civil_pe100_sdr11_d160", 6.3143),
    # e = 200 / 34 = 5.882 mm: π × 0.194118 × 0.0058824 × 1 400 = 5.0222 kg/m
    ("civil_pvc_sn8_d200", 5.0222),
])
def test_linear_masses_follow_from_the_nominal_wall(factor_id, expected):
    row = next(r for r in read_csv(CIVIL) if r["factor_id"] == factor_id)
    assert float(row["linear_mass_kg_m"]) == pytest.approx(expected, abs=0.005)


# ------------------------------------------------------------------------- matching


@pytest.mark.parametrize(("description", "expected"), [
    ("Graving av VA-grøft i løsmasser, overskuddsmasser til deponi", "civil_soil_in_situ"),
    ("Forsterkningslag av stedlig sprengstein", "civil_rock_in_situ"),
    ("Asfaltdekke Agb 16, bærelag 50 mm", "civil_asphalt_svv_2023"),
    ("Trykkledning PE100 SDR11 Ø225", "civil_pe100_sdr11_d225"),
    ("Overvannsledning PVC SN8 Ø315", "civil_pvc_sn8_d315"),
    ("Rørdeler PE100, sveisebend", "civil_pe_pipe_proxy"),
    ("Betongkum DN1200 for spillvann", "civil_concrete_manhole_dn1200"),
    ("Betongkum DN1600 for vannkum med ventiler", "civil_concrete_manhole_dn1600"),
    ("Kum betong Ø1000, komplett", "civil_concrete_manhole_dn1000"),
    # a manhole of another size, or a single ring, stays on the per-kg proxy
    ("Betongkum DN2000 for spillvann", "civil_concrete_manhole_proxy"),
    ("Kumring betong DN1200, 1 m", "civil_concrete_manhole_proxy"),
    ("Fiberduk, geotekstil bruksklasse 3, på planum", "civil_geotextile_class3"),
    ("Geotekstil N3 under forsterkningslag", "civil_geotextile_class3"),
    # another class (or none) takes the per-m2 row with the same reasoned area mass
    ("Fiberduk klasse 2 mellom stedlige masser og drensmasser", "civil_geotextile_per_m2"),
    ("Fiberduk klasse 3x, spesial", "civil_geotextile_per_m2"),
    ("Gatelysmaster, varmforsinket stål, 8 m", "civil_lighting_column_8m"),
    # another height stays on galvanised steel per kg
    ("Gatelysmaster, varmforsinket stål, 10 m", "steel_galvanised"),
    ("Kantstein av betong, 15 x 25 cm", "civil_concrete_kerb_proxy"),
    # blasting: explosive per pfm3 at a medium-rock specific charge (materials_groundworks.csv)
    ("Sprenging av fjell i vegskjæring", "blasting_explosives_surface"),
    ("Grøftesprenging for VA-ledninger", "blasting_explosives_surface"),
    # building texts keep their own factors
    ("Fundament på fjell, plasstøpt betong B30", "concrete_c30_37"),
    ("Armering, kamstål B500NC", "rebar_scrap"),
])
def test_civil_aliases(description, expected):
    r = run([{"description": description, "quantity": 1.0, "unit": "kg"}])
    assert line(r)["factor_id"] == expected


@pytest.mark.parametrize("description", [
    # delivered topsoil: no citable climate value (data/emission_factors/README.md)
    "Innkjøring av matjord, levert",
    # a cast-iron cover now has a factor per piece (civil_manhole_cover_cast_iron_d400) and
    # thermoplastic road marking a proxy row; cold-plastic marking has none
    "Sperrelinje, kaldplast, hvit",
])
def test_blasting_and_products_without_factor_are_reported_never_zero(description):
    r = run([{"description": description, "quantity": 10.0, "unit": "m3"}])
    assert r.lines.empty
    assert r.unmatched["reason"].tolist() == ["no_factor"]


def test_concrete_manhole_per_piece_is_rings_and_base():
    # DN1200, wall 120 mm (DN/10, reasoned default), outer 1.44 m, depth 2.5 m (reasoned default),
    # base 150 mm (loe-ror-basal-vannkum): rings pi/4 x (1.44^2 - 1.2^2) x 2.5 = pi/4 x 0.6336 x 2.5
    # = 1.24407 m3; base pi/4 x 1.44^2 x 0.15 = pi/4 x 2.0736 x 0.15 = 0.24429 m3;
    # 1.48836 m3 x 2400 kg/m3 = 3572.1 kg per manhole; 7 manholes -> 25 004.6 kg.
    r = run([{"description": "Betongkum DN1200 for spillvann, komplett med kjegle",
              "quantity": 7.0, "unit": "stk"}])
    assert line(r)["mass"] == pytest.approx(25004.6, rel=1e-4)


def test_geotextile_class3_per_m2():
    # 2 900 m2 x 0.15 kg/m2 (reasoned default area mass) = 435 kg
    r = run([{"description": "Fiberduk, geotekstil bruksklasse 3, på planum",
              "quantity": 2900.0, "unit": "m2"}])
    assert line(r)["mass"] == pytest.approx(435.0)


def test_lighting_column_8m_per_piece():
    # tube Ø114.3 x 4 mm over 8 m: pi x 110.3 x 4 mm2 = 1386.07 mm2 x 7850 kg/m3 x 8 m = 87.05 kg;
    # foot plate 0.3 x 0.3 x 0.02 m3 x 7850 = 14.13 kg; 101.2 kg per column; 11 columns -> 1113.2 kg
    r = run([{"description": "Gatelysmaster, varmforsinket stål, 8 m", "quantity": 11.0, "unit": "stk"}])
    assert line(r)["mass"] == pytest.approx(1113.2, abs=0.1)


def test_removing_asphalt_is_not_new_asphalt():
    r = run([{"description": "Fresing av eksisterende asfalt", "quantity": 10.0, "unit": "tonn"}])
    assert "civil_asphalt_svv_2023" not in r.lines.get("factor_id", pd.Series(dtype=object)).tolist()


# --------------------------------------------------------------------------- profile


def test_en17472_profile():
    p = load_profile("en17472")
    assert p.building_parts == ()
    assert p.reference_study_period == 100
    assert "D" in p.modules and "B4" in p.modules
    # the period is a reasoned default that the user should set
    assert p.sources["reference_study_period"] == "library-default"
    assert "must be set by the user" in p.notes["reference_study_period"]
    # a line without any building part counts
    r = run([{"description": "Asfalt Agb 11", "quantity": 1.0, "unit": "tonn"}])
    assert len(r.lines) == 1


# ------------------------------------------------------------------------ data files


def test_civil_factor_table_schema_and_sources():
    building = read_csv(DATA / "emission_factors" / "materials.csv")
    civil = read_csv(CIVIL)
    with open(CIVIL, encoding="utf-8") as fh:
        header = fh.readline().strip().split(",")
    assert header == list(building[0])
    ids = [r["factor_id"] for r in civil]
    assert all(i.startswith("civil_") for i in ids)
    assert not set(ids) & {r["factor_id"] for r in building}
    sources = {r["source_id"] for r in read_csv(DATA / "sources.csv")}
    for row in civil:
        assert row["source_id"] in sources
        assert row["service_life_source_id"] in sources | {""}
        assert row["confidence"] in {"C", "S"}
        assert row["is_default"] == "false" or row["default_reason"]
    aliases = read_csv(DATA / "mappings" / "material_aliases_civil.csv")
    # civil aliases may point at any shipped factor table (groundworks rows: kerbs, pavers, aggregate)
    known = {r["factor_id"] for f in sorted((DATA / "emission_factors").glob("materials*.csv"))
             for r in read_csv(f)}
    assert {a["factor_id"] for a in aliases} <= known


# ------------------------------------------------------------------- road example


def load_example_script():
    spec = importlib.util.spec_from_file_location("build_road_example", EXAMPLE_SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_road_example_layout():
    wb = load_workbook(EXAMPLE, read_only=True)
    rows = list(wb["Mengder"].iter_rows(min_row=6, values_only=True))
    wb.close()
    assert rows[0] == ("Postnr", "NS 3420", "Beskrivelse", "Enhet", "Mengde", "Bygningsdel",
                       "Tykkelse (m)", "Transportavstand (km)")
    body = rows[1:]
    assert 40 <= len(body) <= 70
    assert [r[3] for r in body].count("RS") == 1
    assert {r[3] for r in body} <= {"RS", "m", "m2", "m3", "pfm3", "tonn", "kg", "stk"}
    assert all(r[5] is None for r in body)  # no NS 3451 building parts in civil works


def test_road_example_is_reproducible(tmp_path):
    rebuilt = load_example_script().build_workbook(tmp_path / "veg.xlsx")
    with zipfile.ZipFile(EXAMPLE) as old, zipfile.ZipFile(rebuilt) as new:
        assert old.namelist() == new.namelist()
        for name in old.namelist():
            assert old.read(name) == new.read(name), name


def test_road_example_runs_and_keeps_every_line():
    script = load_example_script()
    lines = pd.DataFrame(script.LINES, columns=["post_number", "item_code", "description", "unit",
                                                "quantity", "thickness", "transport_km"])
    r = kf.calculate(lines, profile="en17472")
    assert len(r.lines) + len(r.unmatched) == len(lines)
    reasons = r.unmatched.set_index("post_number")["reason"]
    assert reasons["01.1"] == "lump_sum"
    assert "02.6" not in reasons.index             # blasting now converts (explosive per pfm3)
    assert "06.11" not in reasons.index            # concrete pipe DN400 converts by its DN
    computed = r.lines.set_index("post_number")
    # 06.11: 24 m × 201.58 kg/m (DN400, ASTM C76 Wall B t = 58.33 mm, 2400 kg/m3) = 4 838.0 kg
    assert computed.loc["06.11", "mass"] == pytest.approx(4838.0, abs=0.1)
    # concrete kerb 12 x 30 cm in metres converts through its section (0.12 x 0.30 x 2400 = 86.4 kg/m)
    assert computed.loc["05.1", "factor_id"] == "kerb_concrete_12x30"
    assert computed.loc["02.6", "factor_id"] == "blasting_explosives_surface"
    # 04.1: 1 950 m2 × 0.05 m × 2 400 kg/m3 = 234 t; A4 = 234 × 25 × 0.17375 = 1 016.4375
    assert computed.loc["04.1", "A4"] == pytest.approx(1016.4375)
    # module totals equal the sum over the computed lines
    assert r.total == pytest.approx(computed["kg_co2e"].sum())
    assert math.isfinite(r.total) and r.total > 0
