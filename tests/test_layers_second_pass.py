"""Second pass on build-ups and accessories (issue #11, item 1).

- A line that only *includes* a product (``inkl. ... filterduk``) is not that product.
- Insulation named by its thickness alone (``50 mm isolasjon``) is read as mineral
  wool, through a factor row that says it is a reasoned default.
- The steel-stud layer of a partition wall takes whatever factor row the matching
  gives ``stålstender``: with a per-m² row the whole wall computes.

Expected numbers are worked by hand from the factor rows' published values
(Boverket 02.06.000, typical A1-A3); generic rows are marked up by 1.25 under the
building profiles, a user's own row is not.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import pandas as pd
import pytest

import klimafotavtrykk as kf
from klimafotavtrykk.matching import match_factors

ROOT = Path(__file__).resolve().parents[1]
MARKUP = 1.25
SYSTEM_WALL = "Systemvegg stålstender 70 mm, 2x12,5 mm gips pr side, 50 mm isolasjon"


def matched(descriptions: list[str]) -> list[str | None]:
    """Factor id the shipped mappings give each description (None where none)."""
    table = kf.load_factors()
    idx = match_factors(pd.DataFrame({"description": descriptions}), table.ids).factor_idx
    return [table.ids[i] if i >= 0 else None for i in idx]


def run(descriptions, quantities, units, factors=None):
    """Compute lines in building part 25 under NS 3720 without showing warnings."""
    lines = pd.DataFrame({"description": descriptions, "quantity": quantities, "unit": units,
                          "building_part": ["25"] * len(descriptions)})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return kf.calculate(lines, "ns3720", factors=factors)


# ------------------------------------------------------------ what a line includes


@pytest.mark.parametrize("text", [
    "Grønt tak, sedum, inkl. drenslag og filterduk",
    "Sedumtak på takterrasse inklusive filterduk og drensmatte",
    "Vegetasjonstak, ekstensivt, inkludert fiberduk",
    "Grønt tak, sedummatter, medregnet geotekstil",
])
def test_an_included_fabric_is_not_the_product(text):
    # the roof is the product: since the fourth coverage pass a green-roof row exists
    assert matched([text]) == ["green_roof_extensive_sedum_proxy"]


@pytest.mark.parametrize(("text", "factor_id"), [
    # a geotextile per m2 of no stated class: the street row (0.15 kg/m2), merged from cov-civil
    ("Filterduk, inkl. skjøting og omlegg", "civil_geotextile_per_m2"),
    ("Fiberduk klasse 3 inkl. omlegg", "civil_geotextile_class3"),
    ("Geotekstil mellom masser", "civil_geotextile_per_m2"),
    # an included accessory never outranks the line's own material
    ("Plasstøpt betong B30, inkl. armering", "concrete_c30_37"),
])
def test_the_product_itself_still_matches(text, factor_id):
    assert matched([text]) == [factor_id]


def test_a_green_roof_computes_as_its_system_not_as_a_fabric_per_kg():
    # before: incompatible_unit on the filter fabric row, then no_factor; 300 m2 x 25.2 x 1.25
    r = run(["Grønt tak, sedum, inkl. drenslag og filterduk"], [300.0], ["m2"])
    assert r.unmatched.empty
    assert r.lines.iloc[0]["factor_id"] == "green_roof_extensive_sedum_proxy"
    assert r.lines.iloc[0]["A1-A3"] == pytest.approx(300 * 25.2 * 1.25)


# ------------------------------------------------------------ insulation with no material


@pytest.mark.parametrize("text", ["50 mm isolasjon", "Isolasjon 100 mm", "150 mm isolering",
                                  "isolasjon 70 mm."])
def test_bare_insulation_reads_as_mineral_wool(text):
    assert matched([text]) == ["mineral_wool_unnamed_insulation"]


@pytest.mark.parametrize(("text", "factor_id"), [
    ("100 mm isolasjon under gulv på grunn", None),   # EPS/XPS is usual there: no guess
    ("Isolering av rør 30 mm", None),                 # pipe insulation
    ("Isolasjonsglass 24 mm", None),                  # insulating glass, not insulation
    ("50 mm isolasjon, XPS", "xps_board"),            # a named material wins
    ("Isolasjon glassull 100 mm", "glass_wool_batts"),
])
def test_insulation_with_more_said_is_not_the_default(text, factor_id):
    assert matched([text]) == [factor_id]


def test_the_default_row_says_it_is_a_reasoned_default_with_stone_wool_values():
    finishes = pd.read_csv(ROOT / "data" / "emission_factors" / "materials_finishes.csv",
                           dtype=str, keep_default_na=False).set_index("factor_id")
    shipped = pd.read_csv(ROOT / "data" / "emission_factors" / "materials.csv",
                          dtype=str, keep_default_na=False).set_index("factor_id")
    row = finishes.loc["mineral_wool_unnamed_insulation"]
    assert row["is_default"] == "true"
    assert "mineral wool" in row["default_reason"] and "isolasjon" in row["default_reason"]
    for column in ("A1-A3", "A4", "C3", "C4", "density_kg_m3", "indicator", "source_id"):
        assert row[column] == shipped.at["stone_wool_batts", column]


# ------------------------------------------------------------ the steel-stud partition


def test_the_steel_stud_layer_takes_the_row_the_matching_gives():
    # a user's own row for the light-gauge steel id, declared per m2 of wall: 4 kg CO2e/m2
    # A1-A3, no A4/A5 (given as 0), so the studs layer needs no conversion at all
    own = pd.DataFrame({
        "factor_id": ["steel_light_gauge"], "name_nb": ["Stålstendere, per m2 vegg (test)"],
        "name_en": ["Light-gauge steel studs per m2 of wall (test)"], "material_group": ["steel"],
        "declared_unit": ["m2"], "A1-A3": [4.0], "A4": [0.0], "A5": [0.0],
        "indicator": ["gwp-ghg"], "source_id": ["library-default"], "source_detail": ["test row"]})
    r = run([SYSTEM_WALL], [100.0], ["m2"], factors=own)
    assert r.unmatched.empty
    line = r.lines.iloc[0]
    assert line["factor_id"] == ("steel_light_gauge + gypsum_board_standard"
                                 " + mineral_wool_unnamed_insulation")
    studs = 100 * 4.0                                   # 400 kg CO2e, the user's row as given
    gypsum = 100 * 2 * 0.025 * 710 * 0.227 * MARKUP     # 2 x 12.5 mm on 2 sides: 1 007.3125
    wool = 100 * 0.050 * 29 * 1.28 * MARKUP             # 50 mm at 29 kg/m3: 232.0
    assert line["A1-A3"] == pytest.approx(studs + gypsum + wool, rel=1e-9)  # 1 639.3125
    assert "Systemvegg stålstender 70 mm → steel_light_gauge" in line["layers"]
    assert "50 mm isolasjon → mineral_wool_unnamed_insulation" in line["layers"]


def test_with_the_shipped_rows_only_the_studs_can_hold_the_wall_back():
    # the shipped light-gauge row is per kg; the stud mass per m2 comes from another branch
    # (light steel studs laid out per m2). Either the wall computes, or its studs alone stop it.
    r = run([SYSTEM_WALL], [100.0], ["m2"])
    if r.unmatched.empty:
        assert r.lines["factor_id"].iloc[0].endswith("mineral_wool_unnamed_insulation")
        return
    detail = r.unmatched["detail"].iloc[0]
    assert r.unmatched["reason"].iloc[0] == "assembly"
    assert "50 mm isolasjon: computable (mineral_wool_unnamed_insulation)" in detail
    assert "2x12,5 mm gips pr side: computable (gypsum_board_standard)" in detail
    assert "Systemvegg stålstender 70 mm: incompatible_unit (steel_light_gauge)" in detail


# ------------------------------------------------------------ the report workbook


def test_the_line_sheet_shows_the_layers_and_keeps_them_inert(tmp_path):
    import openpyxl

    from klimafotavtrykk.reports import write_workbook

    # a build-up whose first layer starts like a formula: the cell must stay text
    wall = "Vegg: =1+2 48x98 stender, 2x13 mm gips hver side, 100 mm mineralull"
    r = run([wall, "Plasstøpt betong B30"], [100.0, 10.0], ["m2", "m3"])
    assert r.unmatched.empty
    said = r.lines["layers"].iloc[0]
    assert said.startswith("=1+2 48x98 stender → sawn_timber")
    book = openpyxl.load_workbook(write_workbook(r, tmp_path / "rapport.xlsx", lang="en"))
    sheet = book["Lines"]
    header = [c.value for c in sheet[1]]
    assert header[-1] == "Layers of the build-up (material → factor: kg CO2e)"
    assert header[-2] == "Total excl. D [kg CO2e]"  # the long text comes after the numbers
    column = header.index(header[-1]) + 1
    cell = sheet.cell(row=2, column=column)
    assert cell.data_type == "s" and cell.value == "'" + said
    assert sheet.cell(row=3, column=column).value is None  # an ordinary line has no layers
    assert not [c.coordinate for row in sheet.iter_rows() for c in row if c.data_type == "f"]


# ------------------------------------------------------------ implausible quantities


def test_an_implausible_build_up_is_named_once_by_the_users_row():
    wall = "Innervegg type IV1: 48x98 stender, 2x13 mm gips hver side, 100 mm mineralull"
    lines = pd.DataFrame({
        "description": ["Plasstøpt betong B30", wall, wall], "quantity": [10.0, -420.0, 1e9],
        "unit": ["m3", "m2", "m2"], "building_part": ["25"] * 3,
        "source_ref": ["[x.xlsx]Mengder!E7", "[x.xlsx]Mengder!E9", None]})
    with pytest.warns(kf.errors.PlausibilityWarning) as caught:
        r = kf.calculate(lines, "ns3720")
    said = [str(w.message) for w in caught if "implausible" in str(w.message)]
    # two walls of three layers each: two lines flagged, not six layers
    assert len(said) == 1 and said[0].startswith("2 line(s) with an implausible quantity")
    assert "e.g. [x.xlsx]Mengder!E9, row 2;" in said[0]  # the cell, else the line's id
    found = r.metadata["implausible_lines"]
    assert [(f["row"], f["source_ref"], f["check"], f["quantity"]) for f in found] == [
        (1, "[x.xlsx]Mengder!E9", "negative_quantity", -420.0),
        (2, None, "quantity_too_large", 1e9)]
