"""Writing the bid climate workbook: sheets, protection, validation, reproducible bytes."""

from __future__ import annotations

import pandas as pd
import pytest
from openpyxl import load_workbook

from klimafotavtrykk.tender.schema import MATERIAL_COLUMNS, template_headers
from klimafotavtrykk.tender.template import write_template


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_template_sheets_headers_protection_and_validation(tmp_path, lang):
    path = write_template(tmp_path / "mal.xlsx", lang=lang)
    book = load_workbook(path)
    names = {"nb": ["Veiledning", "Materialer", "Byggeplass", "Erklæring", "Lister"],
             "en": ["Instructions", "Materials", "Site", "Declaration", "Lister"]}[lang]
    assert book.sheetnames == names
    assert book["Lister"].sheet_state == "hidden"
    materials, site = book[names[1]], book[names[2]]
    headers = template_headers(lang)
    assert [c.value for c in materials[1]] == headers["materials"]
    assert [c.value for c in site[1]] == headers["site"]
    assert materials.protection.sheet and site.protection.sheet
    assert materials["A1"].protection.locked and materials["I1"].protection.locked  # headers
    # input columns are unlocked by column style (empty cells are not written)
    assert not materials.column_dimensions["I"].protection.locked
    rules = {str(v.sqref).split(":")[0]: v for v in materials.data_validations.dataValidation}
    committed = MATERIAL_COLUMNS.index(next(c for c in MATERIAL_COLUMNS if c.name == "committed"))
    gwp = [c.name for c in MATERIAL_COLUMNS].index("epd_gwp_a1a3")
    letter = {i: chr(ord("A") + i) for i in range(26)}
    assert rules[f"{letter[committed]}2"].type == "list"
    assert rules[f"{letter[committed]}2"].formula1.startswith("'Lister'!")
    assert rules[f"{letter[gwp]}2"].type == "decimal"
    assert rules[f"{letter[gwp]}2"].operator == "greaterThanOrEqual"


def test_prefilled_quantities_are_locked_and_text_made_safe(tmp_path):
    quantities = pd.DataFrame({"post_number": ["1"], "description": ['=HYPERLINK("x")'],
                               "quantity": [3.0], "unit": ["m3"], "building_part": ["251"]})
    path = write_template(tmp_path / "mal.xlsx", quantities=quantities)
    sheet = load_workbook(path)["Materialer"]
    assert sheet["D2"].value == "'=HYPERLINK(\"x\")" and sheet["D2"].data_type == "s"
    assert sheet["E2"].value == 3.0 and sheet["E2"].protection.locked
    assert not sheet.column_dimensions["I"].protection.locked   # the bidder's EPD column is open
    assert not sheet.column_dimensions["E"].protection.locked   # so are rows below for additions


def test_template_is_byte_for_byte_reproducible(tmp_path, filled):
    rows, site, declaration = filled
    one = write_template(tmp_path / "1.xlsx", rows=rows, site=site, declaration=declaration)
    two = write_template(tmp_path / "2.xlsx", rows=rows, site=site, declaration=declaration)
    assert one.read_bytes() == two.read_bytes()
