"""Finishes, boards, renders and build-up data: factor rows, aliases and the board rule.

Rows of ``data/emission_factors/materials_finishes.csv`` and their aliases in
``data/mappings/material_aliases_finishes.csv`` (issue 11, item 2). Expected
numbers are worked by hand from the cited figures (arithmetic in the comments),
never read from the tables under test.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import klimafotavtrykk as kf
from _one_line import compute as compute_line
from klimafotavtrykk.matching import match_factors

ROOT = Path(__file__).resolve().parents[1]
FINISHES = ROOT / "data" / "emission_factors" / "materials_finishes.csv"
#: Generic data are marked up by 25 % under the building profiles (tek17, ns3720).
MARKUP = 1.25


def rows() -> pd.DataFrame:
    """The finishes table as text, indexed by factor id."""
    return pd.read_csv(FINISHES, dtype=str, keep_default_na=False).set_index("factor_id")


def value(factor_id: str, column: str) -> float:
    """One number of the finishes table."""
    return float(rows().at[factor_id, column])


def matched(descriptions: list[str]) -> list[str | None]:
    """Factor id the shipped mappings give each description (None where none)."""
    table = kf.load_factors()
    lines = pd.DataFrame({"description": descriptions})
    idx = match_factors(lines, table.ids).factor_idx
    return [table.ids[i] if i >= 0 else None for i in idx]


def compute(description: str, quantity: float, unit: str, profile: str = "ns3720"):
    """Compute one line in building part 25 under ``profile``; no warnings shown."""
    return compute_line(description, quantity, unit, profile, building_part="25")


# ------------------------------------------------------------------ factor rows


def test_parquet_takes_the_wood_s_biogenic_carbon_out_of_a1_a3_and_c3():
    # BR18 T7 #G1166 multilayer parquet, 6.5 kg/m2: A1-A3 -4.45326, C3 11.8038 incl. biogenic.
    # EN 16449 at 12 % moisture: 6.5 / 1.12 x 0.5 x 44/12 = 10.63988 kg CO2 per m2
    biogenic = 6.5 / 1.12 * 0.5 * 44.0 / 12.0
    assert biogenic == pytest.approx(10.63988, rel=1e-6)
    assert value("parquet_multilayer", "A1-A3") == pytest.approx(-4.45326 + 10.63988, rel=1e-5)  # 6.18662
    assert value("parquet_multilayer", "C3") == pytest.approx(11.8038 - 10.63988, rel=1e-4)  # 1.16392
    assert rows().at["parquet_multilayer", "indicator"] == "gwp-ghg"


def test_fossil_products_are_read_as_gwp_fossil_with_the_reason():
    table = rows()
    for factor_id in ("vinyl_flooring", "acoustic_ceiling_mineral_fibre", "carpet_tile_polyamide"):
        assert table.at[factor_id, "indicator"] == "gwp-fossil"
        assert "gwp-fossil" in table.at[factor_id, "default_reason"]
    # linoleum has no sourced fossil or GHG value: it stays GWP-total and refused by NS 3720
    assert table.at["linoleum_2_5mm", "indicator"] == "gwp-total"


def test_groups_of_tiles_and_ceilings():
    table = rows()
    assert table.at["ceramic_tiles_glazed", "material_group"] == "ceramic"  # wall tiles too
    assert table.at["acoustic_ceiling_mineral_fibre", "material_group"] == "acoustic_ceiling"
    assert table.at["raised_floor_calcium_sulphate_panel", "material_group"] == "raised_floor"


def test_carpet_tile_row_from_its_epd():
    # EPD 4789471078.142.1: 12 kg CO2e/m2 A1-A3, 4.065 kg/m2
    assert value("carpet_tile_polyamide", "A1-A3") == 12.0
    assert value("carpet_tile_polyamide", "area_mass_kg_m2") == 4.065
    # C1 4.065 x 0.00348 = 0.0141462; C2 4.065 x 0.0052125 = 0.0211888
    assert value("carpet_tile_polyamide", "C1") == pytest.approx(0.0141462, rel=1e-5)
    assert value("carpet_tile_polyamide", "C2") == pytest.approx(0.0211888, rel=1e-5)
    # T7 #G0858 per kg: 10.8467 / 3.3 = 3.286879 and -2.20199 / 3.3 = -0.667270; x 4.065 kg
    assert value("carpet_tile_polyamide", "C3") == pytest.approx(13.3612, rel=1e-4)
    assert value("carpet_tile_polyamide", "D") == pytest.approx(-2.71245, rel=1e-4)


def test_walls_renders_and_pieces_carry_their_masses():
    # half-brick wall 0.108 m x 1800 kg/m3 = 194.4 kg/m2; one-brick 0.228 x 1800 = 410.4
    assert value("brick_wall_half_brick", "area_mass_kg_m2") == pytest.approx(194.4)
    assert value("brick_wall_one_brick", "area_mass_kg_m2") == pytest.approx(410.4)
    # render 10 mm x 1600 kg/m3 = 16 kg/m2 per side, 32 for both sides
    assert value("render_mortar_10mm", "area_mass_kg_m2") == pytest.approx(16.0)
    assert value("render_mortar_10mm_two_sides", "area_mass_kg_m2") == pytest.approx(32.0)
    assert value("firestop_sealant_piece", "piece_mass_kg") == pytest.approx(0.5)
    for factor_id in ("brick_wall_half_brick", "render_mortar_10mm", "firestop_sealant_piece",
                      "wood_fibreboard_porous_bitumen", "intumescent_coating_proxy",
                      "wet_room_membrane_liquid_proxy", "raised_floor_calcium_sulphate_panel"):
        assert rows().at[factor_id, "is_default"] == "true"


# ---------------------------------------------------------------------- aliases


@pytest.mark.parametrize(
    ("description", "expected"),
    [
        ("Teppefliser 50x50, nålefilt", "carpet_tile_polyamide"),
        ("Tekstilbelegg, nålefilt, møterom", "carpet_tile_polyamide"),
        ("Teppe på rull, kontorer", "carpet_tile_polyamide"),
        ("Brannstopp ved gjennomføringer, brannmasse og mansjett", "firestop_sealant_piece"),
        ("Branntetting av rørgjennomføringer i betongdekke", "firestop_sealant_piece"),
        ("Brannfugemasse rundt kabelføringer", "firestop_sealant_piece"),
        ("Murt teglvegg rundt peis i fellesrom, ½-stein", "brick_wall_half_brick"),
        ("Halvsteins teglvegg, fuget", "brick_wall_half_brick"),
        ("Teglforblending 1/2-stein på fasade", "brick_wall_half_brick"),
        ("Murvegg av tegl, 1-stein, bærende", "brick_wall_one_brick"),
        ("Pussing av Leca-vegg, 2 sider", "render_mortar_10mm_two_sides"),
        ("Puss på blokkvegg, begge sider", "render_mortar_10mm_two_sides"),
        ("Pussing av grunnmur, utvendig", "render_mortar_10mm"),
        ("Vindsperre, asfaltimpregnert trefiberplate 12 mm", "wood_fibreboard_porous_bitumen"),
        ("Hunton Vindtett 12 mm på yttervegg", "wood_fibreboard_porous_bitumen"),
        ("Porøs trefiberplate som vindsperre", "wood_fibreboard_porous_bitumen"),
        ("Brannmaling stålkonstruksjoner R60, intumescent", "intumescent_coating_proxy"),
        ("Brannbeskyttende maling på stålbjelker, R30", "intumescent_coating_proxy"),
        ("Smøremembran våtrom, 2 strøk, inkl. mansjetter", "wet_room_membrane_liquid_proxy"),
        ("Membran for våtrom, påstrykbar", "wet_room_membrane_liquid_proxy"),
        ("Hevet gulv (datagulv), kalsiumsulfatplater 38 mm på stålstendere, h=300",
         "raised_floor_calcium_sulphate_panel"),
        ("Installasjonsgulv, plater 40 mm", "raised_floor_calcium_sulphate_panel"),
        ("Membran mot grunn, radon/fukt, 0,5 mm", "plastic_film"),
        ("Radonmembran under plate på mark", "plastic_film"),
    ],
)
def test_aliases_find_other_phrasings(description, expected):
    assert matched([description]) == [expected]


@pytest.mark.parametrize(
    ("description", "not_expected"),
    [
        ("Rensesone ved inngang, teppe", "carpet_tile_polyamide"),
        ("Teppelim for teppefliser", "carpet_tile_polyamide"),
        ("Brannmaling av stålsøyler", "firestop_sealant_piece"),
        ("Teglvegg 108 mm", "brick_wall_half_brick"),
        ("Betongstein 1/2", "brick_wall_half_brick"),
        ("Pussing av parkett, 2 strøk lakk", "render_mortar_10mm"),
        ("Pussing av parkett, 2 strøk lakk", "render_mortar_10mm_two_sides"),
        ("Puss på vegg, 15 mm", "render_mortar_10mm"),
        ("Trefiberisolasjon, plater 100 mm", "wood_fibreboard_porous_bitumen"),
        ("Vindsperre, duk, diffusjonsåpen", "wood_fibreboard_porous_bitumen"),
        ("Takmembran, smøremembran på betongtak", "wet_room_membrane_liquid_proxy"),
        ("Hevet gulv av sponplater på stålbukker", "raised_floor_calcium_sulphate_panel"),
        ("Radonbrønn med sugerør og vifte", "plastic_film"),
        ("Fliser 300x600 porselensfliser i toaletter, inkl. membran", "wet_room_membrane_liquid_proxy"),
    ],
)
def test_aliases_leave_near_misses_alone(description, not_expected):
    assert matched([description]) != [not_expected]


def test_tiles_with_a_membrane_in_their_context_stay_tiles():
    # the membrane is named only after "inkl." and "på vegg": the tile is the line's own material
    assert matched(["Flis på vegg i toaletter 200x400, inkl. smøremembran"]) == ["ceramic_tiles_glazed"]


# -------------------------------------------------------------- through the engine


def test_parquet_and_ceiling_now_count_under_ns3720():
    r = compute("Parkett eik 3-stav 14 mm, resepsjon", 100.0, "m2")
    assert r.unmatched.empty
    # 100 m2 x 6.18662 kg CO2e/m2 x 1.25 (generic markup) = 773.33
    assert r.lines.iloc[0]["A1-A3"] == pytest.approx(100 * (-4.45326 + 10.63988) * MARKUP, rel=1e-5)
    r = compute("Akustisk himling, 20 mm glassull plater 600x1200", 100.0, "m2")
    # 100 m2 x 3.4872 x 1.25 = 435.9
    assert r.lines.iloc[0]["A1-A3"] == pytest.approx(435.9)


def test_linoleum_is_still_refused_under_ns3720():
    r = compute("Linoleum 2,5 mm, kontorlandskap", 100.0, "m2")
    assert r.unmatched["reason"].tolist() == ["indicator_not_accepted"]


def test_carpet_tiles_are_a_product_epd_without_markup():
    r = compute("Teppefliser 50x50, nålefilt", 10.0, "m2")
    # 10 m2 x 12 kg CO2e/m2 = 120 (a product EPD: no generic markup)
    assert r.lines.iloc[0]["A1-A3"] == pytest.approx(120.0)


def test_fire_stops_per_piece_and_brick_walls_per_m2():
    r = compute("Brannstopp ved gjennomføringer, brannmasse og mansjett", 45.0, "stk")
    # 45 x 0.5 kg = 22.5 kg x 3.25 kg CO2e/kg x 1.25 = 91.40625
    assert r.lines.iloc[0]["mass"] == pytest.approx(22.5)
    assert r.lines.iloc[0]["A1-A3"] == pytest.approx(91.40625)
    r = compute("Murt teglvegg rundt peis i fellesrom, ½-stein", 14.0, "m2")
    # 14 m2 x 194.4 kg/m2 = 2721.6 kg x 0.251 x 1.25 = 853.902
    assert r.lines.iloc[0]["mass"] == pytest.approx(2721.6)
    assert r.lines.iloc[0]["A1-A3"] == pytest.approx(853.902)


def test_boards_get_their_thickness_from_the_description():
    r = compute("Vindsperre, asfaltimpregnert trefiberplate 12 mm", 780.0, "m2")
    # 780 m2 x 0.012 m x 300 kg/m3 = 2808 kg
    assert r.lines.iloc[0]["mass"] == pytest.approx(2808.0)
    r = compute("Hevet gulv (datagulv), kalsiumsulfatplater 38 mm på stålstendere, h=300", 100.0, "m2")
    # 100 m2 x 0.038 m x 1180 kg/m3 = 4484 kg (panels only)
    assert r.lines.iloc[0]["mass"] == pytest.approx(4484.0)
    r = compute("Membran mot grunn, radon/fukt, 0,5 mm", 820.0, "m2")
    # 820 m2 x 0.0005 m x 900 kg/m3 = 369 kg
    assert r.lines.iloc[0]["mass"] == pytest.approx(369.0)


# ------------------------------------------------------------------- board rule


def test_a_board_section_on_an_area_line_is_its_thickness():
    r = compute("Kledning, stående dobbeltfals 19x148, grunnet, furu", 720.0, "m2")
    line = r.lines.iloc[0]
    # 720 m2 x 0.019 m (the section's smaller side) x 455 kg/m3 = 6224.4 kg
    assert line["mass"] == pytest.approx(6224.4)
    assert "19x148" in line["conversion"] and "19 mm" in line["conversion"]


def test_a_stud_wall_keeps_the_framing_rule():
    r = compute("Bindingsverk av heltre C24, 48x198 mm c/c 600", 100.0, "m2")
    line = r.lines.iloc[0]
    assert line["conversion"].startswith("framed wall")
    # (1/0.6 + 2/2.4) x 0.048 x 0.198 x 1.15 = 0.0273240 m3/m2 x 100 m2 x 455 kg/m3 = 1243.24 kg
    assert line["mass"] == pytest.approx((1 / 0.6 + 2 / 2.4) * 0.048 * 0.198 * 1.15 * 100 * 455,
                                         rel=1e-9)
