"""Street furniture, paving and groundworks lines, worked by hand with the shipped data.

Rows used (``data/emission_factors/materials_civil.csv`` and ``materials_groundworks.csv``):

- ``civil_asphalt_milled_in_situ``: A1-A3 0 per tonne, density 2 400 kg/m³
- ``civil_sand_trap_d650``: Boverket 6000000077, 0.198 kg CO2e/kg, piece mass from geometry
- ``civil_manhole_cover_cast_iron_d400``: BR18 table 7 #G0203 1.63536 kg CO2e/kg × 100 kg per piece
- ``civil_bitumen_emulsion_tack_coat``: BR18 #G0439 0.356326 kg CO2e/kg, 0.3 kg/m²
- ``kerb_granite_section_not_stated``: BR18 #G1102 per kg 0.0275742, 81 kg/m (12 x 25 cm)
- ``concrete_paving_{60,80,100}mm``: Boverket 6000000077, 0.198 kg CO2e/kg, thickness × 2 400 kg/m³
- ``granite_paving_80mm``: BR18 #G1102 5.73544 kg CO2e per m² of 208 kg
- ``civil_sign_post_d60``, ``civil_pedestrian_railing_steel``: Boverket 6000000221 2.66 kg CO2e/kg
- ``civil_bicycle_stand_stainless``: Boverket 6000000157 3.6 kg CO2e/kg

The EN 17472 profile adds the generic-data markup of 25 % to A1-A3. Descriptions below are
written for these tests: other phrasings of each item, and near-misses that must not match.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest

import klimafotavtrykk as kf


def run(rows, profile="en17472"):
    """Calculate a few lines given as dicts, with the shipped data."""
    return kf.calculate(pd.DataFrame(rows), profile=profile)


def factor_of(description, unit="kg"):
    """Factor id a one-line bill gets, or None when the line is not matched."""
    r = run([{"description": description, "quantity": 1.0, "unit": unit}])
    return None if r.lines.empty else r.lines.iloc[0]["factor_id"]


# ------------------------------------------------------------------ which row a line takes


@pytest.mark.parametrize(("description", "expected"), [
    # excavation of masses is soil from the site, like 'Graving av jordmasser'
    ("Utgraving av byggegrop, masser kjøres bort", "civil_soil_in_situ"),
    ("Bortgraving av torv og leire under fylling", "civil_soil_in_situ"),
    ("Graving av kabelgrøft, dybde 0,8 m", "civil_soil_in_situ"),
    # milled or broken-up asphalt: masses without a product stage
    ("Oppfresing av gammelt slitelag, 40 mm, masser til gjenvinning", "civil_asphalt_milled_in_situ"),
    ("Oppbryting av asfalt i fortau", "civil_asphalt_milled_in_situ"),
    # water and valve manholes without a material are Basal-type concrete manholes
    ("Ventilkum DN1600 med 2 ventiler", "civil_concrete_manhole_dn1600"),
    ("Vannkum Ø1200, prefabrikkert", "civil_concrete_manhole_dn1200"),
    ("Sandfangskum Ø650 med dykket utløp", "civil_sand_trap_d650"),
    ("Kumlokk D400 Ø650, flytende ramme", "civil_manhole_cover_cast_iron_d400"),
    ("Lokk og ramme for sandfang, klasse D400", "civil_manhole_cover_cast_iron_d400"),
    ("Klebing av bærelag før slitelag, bitumenemulsjon", "civil_bitumen_emulsion_tack_coat"),
    ("Granittkantstein, kurvet", "kerb_granite_section_not_stated"),
    ("Betongheller 400x400x80 mm på settesand", "concrete_paving_80mm"),
    ("Belegningsstein av betong, 8 cm, sildebein", "concrete_paving_80mm"),
    ("Betongstein for kjørbare flater, 100 mm", "concrete_paving_100mm"),
    ("Belegningsstein, rød", "concrete_paving_60mm"),
    ("Gatestein, granitt, storgatestein i vifte", "granite_paving_80mm"),
    ("Heller av naturstein (granitt), flammet", "granite_paving_80mm"),
    ("Skiltmast stål, varmforsinket", "civil_sign_post_d60"),
    ("Gelender i varmforsinket stål langs trapp i park", "civil_pedestrian_railing_steel"),
    ("Sykkelbøyle syrefast stål, innstøpt", "civil_bicycle_stand_stainless"),
    # draining fill is a delivered crushed-rock fraction
    ("Drensmasser 8-16 mm rundt drensledning", "crushed_rock_aggregate"),
])
def test_street_items_take_their_rows(description, expected):
    """Other phrasings of each street item find the intended row."""
    assert factor_of(description) == expected


@pytest.mark.parametrize(("description", "not_expected"), [
    ("Graving i fjell med pigghammer", "civil_soil_in_situ"),
    ("Oppgraving av asfalt og bærelag i grøftetrasé", "civil_soil_in_situ"),
    ("Levert grus, utlegging og graving inkludert", "civil_soil_in_situ"),
    ("Asfaltdekke Ab 11 på frest flate, 40 mm", "civil_asphalt_milled_in_situ"),
    ("Fresing av spor i betonggulv", "civil_asphalt_milled_in_situ"),
    ("Vannkum av PE Ø1200", "civil_concrete_manhole_dn1200"),
    ("Sandfang av plast Ø650", "civil_sand_trap_d650"),
    ("Betongkum DN1200 inkl. lokk og ramme", "civil_manhole_cover_cast_iron_d400"),
    ("Kumlokk av kompositt, klasse B125", "civil_manhole_cover_cast_iron_d400"),
    ("Asfaltpapp, klebes på underlag", "civil_bitumen_emulsion_tack_coat"),
    ("Kantstein granitt 15 x 25 cm", "kerb_granite_section_not_stated"),
    ("Kantstein av betong, uten mål", "kerb_granite_section_not_stated"),
    ("Heller av granitt 60 mm", "concrete_paving_60mm"),
    ("Kantstein av betong 12 x 30 cm", "concrete_paving_60mm"),
    ("Gatestein av betong, 60 mm", "granite_paving_80mm"),
    ("Skiltstolpe aluminium Ø60", "civil_sign_post_d60"),
    ("Skiltstolpe stål Ø89", "civil_sign_post_d60"),
    ("Rekkverk glass, herdet, med håndlist i stål", "civil_pedestrian_railing_steel"),
    ("Vegrekkverk stål, W-profil, H2", "civil_pedestrian_railing_steel"),
    ("Sykkelstativ, varmforsinket stål, 5 plasser", "civil_bicycle_stand_stainless"),
    ("Fiberduk mellom stedlige masser og drensmasser", "crushed_rock_aggregate"),
    ("Drensrør PE 110 omfylt med drenerende masser", "crushed_rock_aggregate"),
])
def test_near_misses_do_not_take_the_row(description, not_expected):
    """Another material, size or product does not take the street row."""
    assert factor_of(description) != not_expected


# ---------------------------------------------------------------- worked through calculate


def test_milled_asphalt_area_times_thickness_to_haul():
    r = run([{"description": "Fresing av asfaltdekke, 40 mm", "quantity": 500.0, "unit": "m2",
              "transport_km": 20.0}])
    out = r.lines.iloc[0]
    # 500 m2 x 0.040 m x 2 400 kg/m3 = 48 000 kg = 48 t; no product stage
    assert out["mass"] == pytest.approx(48_000.0)
    assert out["A1-A3"] == 0.0
    # A4 = 48 t x 20 km x 0.17375 kg CO2e/tkm (truck_distribution) = 166.8 kg CO2e
    assert out["A4"] == pytest.approx(166.8)


def test_sand_trap_per_piece_is_rings_and_base():
    r = run([{"description": "Sandfang Ø650, betong", "quantity": 3.0, "unit": "stk"}])
    # inner 0.65 m, wall 0.065 m, outer 0.78 m; rings pi/4 x (0.78^2 - 0.65^2) x 2.0 m
    # = pi/4 x 0.1859 x 2.0 = 0.292011 m3; base pi/4 x 0.6084 x 0.15 = 0.071675 m3;
    # 0.363686 m3 x 2 400 kg/m3 = 872.85 kg, stored as 872.8; 3 pieces = 2 618.4 kg
    rings = math.pi / 4 * (0.78**2 - 0.65**2) * 2.0
    base = math.pi / 4 * 0.78**2 * 0.15
    assert (rings + base) * 2400 == pytest.approx(872.85, abs=0.01)
    assert r.lines.iloc[0]["mass"] == pytest.approx(2618.4)


def test_cast_iron_cover_per_piece():
    r = run([{"description": "Kumlokk m/ ramme, støpejern D400", "quantity": 18.0, "unit": "stk"}])
    out = r.lines.iloc[0]
    # 18 x 100 kg = 1 800 kg; A1-A3 = 18 x 1.63536 kg CO2e/kg x 100 kg = 2 943.648, x 1.25 = 3 679.56
    assert out["mass"] == pytest.approx(1800.0)
    assert out["A1-A3"] == pytest.approx(3679.56)
    # D = 18 x (-0.393 x 100) = -707.4 kg CO2e, outside the total
    assert out["D"] == pytest.approx(-707.4)


def test_tack_coat_per_m2():
    r = run([{"description": "Klebing, bitumenemulsjon", "quantity": 1000.0, "unit": "m2"}])
    out = r.lines.iloc[0]
    # 1 000 m2 x 0.3 kg/m2 = 300 kg; 300 x 0.356326 x 1.25 = 133.62225 kg CO2e
    assert out["mass"] == pytest.approx(300.0)
    assert out["A1-A3"] == pytest.approx(133.62225)


def test_granite_kerb_without_a_section_takes_12_by_25():
    r = run([{"description": "Kantstein, granitt, rett", "quantity": 50.0, "unit": "m"}])
    out = r.lines.iloc[0]
    # 50 m x 0.12 m x 0.25 m x 2 700 kg/m3 = 4 050 kg; x 0.0275742 x 1.25 = 139.594 kg CO2e
    assert out["mass"] == pytest.approx(4050.0)
    assert out["A1-A3"] == pytest.approx(139.594, rel=1e-5)


def test_concrete_pavers_by_thickness_and_default():
    r = run([
        {"description": "Belegningsstein 100x200x80 mm", "quantity": 200.0, "unit": "m2"},
        {"description": "Betongheller, grå", "quantity": 100.0, "unit": "m2"},
    ])
    mass = r.lines.set_index("description")["mass"]
    # 200 m2 x 0.08 m x 2 400 kg/m3 = 38 400 kg
    assert mass["Belegningsstein 100x200x80 mm"] == pytest.approx(38_400.0)
    # no thickness: 60 mm (reasoned default) -> 100 x 0.06 x 2 400 = 14 400 kg
    assert mass["Betongheller, grå"] == pytest.approx(14_400.0)


def test_granite_setts_per_m2_as_declared():
    r = run([{"description": "Smågatestein granitt", "quantity": 40.0, "unit": "m2"}])
    out = r.lines.iloc[0]
    # BR18 #G1102: 5.73544 kg CO2e per m2 of 208 kg; 40 m2 -> 8 320 kg, 40 x 5.73544 x 1.25 = 286.772
    assert out["mass"] == pytest.approx(8320.0)
    assert out["A1-A3"] == pytest.approx(286.772)


def test_sign_posts_railing_and_bicycle_stands():
    r = run([
        {"description": "Skiltstolpe Ø60, varmforsinket", "quantity": 12.0, "unit": "stk"},
        {"description": "Gangrekkverk stål med spiler, varmforsinket", "quantity": 100.0, "unit": "m"},
        {"description": "Sykkelstativ i rustfritt stål", "quantity": 10.0, "unit": "stk"},
    ])
    mass = r.lines.set_index("factor_id")["mass"]
    # post: tube 60.3 x 3.2: pi x 57.1 x 3.2 = 574.03 mm2 x 7 850 kg/m3 = 4.5062 kg/m x 3.5 m
    # = 15.77 kg; 12 posts = 189.24 kg
    assert 3.5 * math.pi * 57.1 * 3.2 * 1e-6 * 7850 == pytest.approx(15.77, abs=0.005)
    assert mass["civil_sign_post_d60"] == pytest.approx(189.24)
    # railing: 2 rails 48.3 x 3.2 (2 x 3.5591) + posts 60.3 x 3.2, 1.3 m at c/c 2 m (2.9290)
    # + balusters Ø12 every 120 mm, 0.9 m long (8.333 x 0.9 x 0.88781 = 6.6586) = 16.71 kg/m
    rails = 2 * math.pi * 45.1 * 3.2 * 1e-6 * 7850
    posts = math.pi * 57.1 * 3.2 * 1e-6 * 7850 * 1.3 / 2.0
    bars = (1 / 0.12) * 0.9 * math.pi / 4 * 144 * 1e-6 * 7850
    assert rails + posts + bars == pytest.approx(16.71, abs=0.005)
    assert mass["civil_pedestrian_railing_steel"] == pytest.approx(1671.0)
    # hoop: tube 48.3 x 2.0: pi x 46.3 x 2.0 = 290.9 mm2 x 7 900 kg/m3 = 2.2983 kg/m x 2.6 m
    # = 5.98 kg; 10 stands = 59.8 kg
    assert mass["civil_bicycle_stand_stainless"] == pytest.approx(59.8)


def test_new_rows_carry_their_sources_and_flag_the_reasoned_masses():
    table = kf.load_factors().frame
    for fid in ("civil_asphalt_milled_in_situ", "civil_sand_trap_d650",
                "civil_manhole_cover_cast_iron_d400", "civil_bitumen_emulsion_tack_coat",
                "civil_sign_post_d60", "civil_pedestrian_railing_steel",
                "civil_bicycle_stand_stainless", "kerb_granite_section_not_stated",
                "concrete_paving_60mm", "granite_paving_80mm"):
        row = table.loc[fid]
        assert str(row["is_default"]).lower() == "true", fid
        assert str(row["default_reason"]).strip(), fid
        assert str(row["eol_scenario"]).strip(), fid


def test_pvc_pipe_without_a_class_is_read_as_sn8():
    r = run([
        {"description": "Drensrør PVC Ø110, slisset", "quantity": 100.0, "unit": "m"},
        {"description": "Avløpsrør PVC Ø140", "quantity": 10.0, "unit": "m"},
        {"description": "Avløpsrør PVC SN4 Ø125", "quantity": 10.0, "unit": "m"},
    ])
    out = r.lines.set_index("description")
    # Ø110 SN 8 (assumed): the manufacturer's published 1.71 kg/m (plastmec-en1401) x 100 m = 171 kg
    assert out.loc["Drensrør PVC Ø110, slisset", "mass"] == pytest.approx(171.0)
    assert "SN8 assumed" in out.loc["Drensrør PVC Ø110, slisset", "conversion"]
    # Ø140 is not in the pipe table: SN 8 = SDR 34, e = 140 / 34 = 4.1176 mm,
    # pi x (140 - 4.1176) x 4.1176 = 1 757.8 mm2 x 1 400 kg/m3 = 2.4609 kg/m x 10 m = 24.609 kg
    e = 140 / 34
    assert math.pi * (140 - e) * e * 1e-6 * 1400 * 10 == pytest.approx(24.609, abs=1e-3)
    assert out.loc["Avløpsrør PVC Ø140", "mass"] == pytest.approx(24.609, abs=1e-3)
    # a class in the text wins: SN 4 Ø125 published 1.95 kg/m (not SN 8's 2.22) x 10 m = 19.5 kg
    assert out.loc["Avløpsrør PVC SN4 Ø125", "mass"] == pytest.approx(19.5)


@pytest.mark.parametrize(("description", "expected"), [
    ("Filterduk rundt drensgrøft, bruksklasse N2", "civil_geotextile_per_m2"),
    ("Geotekstil under gangvei", "civil_geotextile_per_m2"),
    ("Fiberduk bruksklasse 4 mot bløt leire", "civil_geotextile_per_m2"),
    ("Fiberduk klasse 3 under forsterkningslag", "civil_geotextile_class3"),
])
def test_geotextile_lines_in_m2_take_an_area_mass(description, expected):
    r = run([{"description": description, "quantity": 400.0, "unit": "m2"}])
    out = r.lines.iloc[0]
    assert out["factor_id"] == expected
    # 400 m2 x 0.15 kg/m2 (reasoned default, both rows) = 60 kg
    assert out["mass"] == pytest.approx(60.0)


@pytest.mark.parametrize("description", [
    "Sedumtak inkl. drenslag og filterduk",
    "Drenering med drensplate, med fiberduk på baksiden",
])
def test_a_product_that_includes_a_geotextile_is_not_read_as_one(description):
    assert factor_of(description, unit="m2") != "civil_geotextile_per_m2"


def test_aluminium_cable_counts_its_conductors():
    r = run([
        {"description": "Jordkabel TFXP 4X16 Al til lysmaster", "quantity": 250.0, "unit": "m"},
        {"description": "Kraftkabel 3x240 mm² aluminium", "quantity": 10.0, "unit": "m"},
    ])
    out = r.lines.set_index("description")
    # 4 x 16 mm2 = 64 mm2 = 0.000064 m2 x 2 700 kg/m3 = 0.1728 kg/m x 250 m = 43.2 kg of aluminium;
    # A1-A3 = 43.2 x 6.0 kg CO2e/kg (Boverket 6000000159) x 1.25 = 324.0 kg CO2e
    cable = out.loc["Jordkabel TFXP 4X16 Al til lysmaster"]
    assert cable["mass"] == pytest.approx(43.2)
    assert cable["A1-A3"] == pytest.approx(324.0)
    assert "insulation and sheath not counted" in cable["conversion"]
    # 3 x 240 mm2 = 720 mm2 x 2 700 kg/m3 = 1.944 kg/m x 10 m = 19.44 kg
    assert out.loc["Kraftkabel 3x240 mm² aluminium", "mass"] == pytest.approx(19.44)


@pytest.mark.parametrize("description", [
    "Kabel 4x16 Cu, PFSP",
    "Trekkerør for kabel, Ø110",
    "Kabelgrøft for Al-kabel, graving",
    "Fiberkabel 24 fiber",
])
def test_copper_cables_ducts_and_trenches_are_not_aluminium_cable(description):
    assert factor_of(description, unit="m") != "civil_power_cable_al_conductors"
