"""The Excel reader: every line kept with its cell, every quirk reported, every failure ours.

Workbooks are written here, either with openpyxl or from raw XML parts (openpyxl cannot
store a formula's cached value, hidden sheets with stale values and such as Excel does).
"""

import hashlib
import io
import pickle
import warnings
import zipfile
from xml.sax.saxutils import escape

import numpy as np
import openpyxl
import pandas as pd
import pytest

from _zips import zip_bytes
from klimafotavtrykk.errors import (
    DataQualityWarning,
    InputError,
    KlimafotavtrykkError,
    UnsafeWorkbookError,
)
from klimafotavtrykk.provenance import (
    cell_ref,
    column_index,
    column_letter,
    parse_source_ref,
    source_ref,
    source_refs,
    split_cell_ref,
)
from klimafotavtrykk.quantities import BoqMetadata, read_boq
from klimafotavtrykk.quantities.excel import read_workbook
from klimafotavtrykk.vocabulary import LINE_COLUMNS

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
HEADER = ["Postnr", "NS 3420", "Beskrivelse", "Enhet", "Mengde", "Bygningsdel"]


class F:
    """A formula cell: text, cached value (None: not stored), error result."""

    def __init__(self, formula, cached=None, error=False):
        self.formula, self.cached, self.error = formula, cached, error


def _sheet_xml(rows, strings, hidden_rows=(), hidden_cols=(), merged=()):
    out = [f'<worksheet xmlns="{MAIN}">']
    if hidden_cols:
        out.append("<cols>" + "".join(f'<col min="{c + 1}" max="{c + 1}" hidden="1"/>'
                                      for c in hidden_cols) + "</cols>")
    out.append("<sheetData>")
    for r, row in enumerate(rows, start=1):
        cells = []
        for c, v in enumerate(row or ()):
            ref = cell_ref(r, c)
            if v is None or v == "":
                continue
            if isinstance(v, F):
                kind = ' t="e"' if v.error else ' t="str"' if isinstance(v.cached, str) else ""
                value = "" if v.cached is None else f"<v>{escape(str(v.cached))}</v>"
                cells.append(f'<c r="{ref}"{kind}><f>{escape(v.formula)}</f>{value}</c>')
            elif isinstance(v, bool):
                cells.append(f'<c r="{ref}" t="b"><v>{int(v)}</v></c>')
            elif isinstance(v, (int, float)):
                cells.append(f'<c r="{ref}"><v>{v!r}</v></c>')
            else:
                cells.append(f'<c r="{ref}" t="s"><v>{strings.setdefault(v, len(strings))}</v>'
                             "</c>")
        hidden = ' hidden="1"' if r in hidden_rows else ""
        out.append(f'<row r="{r}"{hidden}>' + "".join(cells) + "</row>")
    out.append("</sheetData>")
    if merged:
        out.append(f'<mergeCells count="{len(merged)}">'
                   + "".join(f'<mergeCell ref="{m}"/>' for m in merged) + "</mergeCells>")
    return ("".join(out) + "</worksheet>").encode()


def xlsx(*sheets, extra=None) -> bytes:
    """A workbook from raw parts, shared strings as Excel writes them.

    Each sheet is a dict: ``name``, ``rows`` and optionally ``state`` ("hidden"),
    ``hidden_rows`` (1-based), ``hidden_cols`` (0-based), ``merged`` (A1 ranges).
    """
    strings: dict[str, int] = {}
    members = {}
    for i, s in enumerate(sheets, start=1):
        members[f"xl/worksheets/sheet{i}.xml"] = _sheet_xml(
            s["rows"], strings, s.get("hidden_rows", ()), s.get("hidden_cols", ()),
            s.get("merged", ()))
    listed = "".join(f'<sheet name="{escape(s["name"])}" sheetId="{i}"'
                     + (f' state="{s["state"]}"' if s.get("state") else "") + f' r:id="rId{i}"/>'
                     for i, s in enumerate(sheets, start=1))
    n = len(sheets)
    rels = "".join(f'<Relationship Id="rId{i}" Type="{REL}/worksheet" '
                   f'Target="worksheets/sheet{i}.xml"/>' for i in range(1, n + 1))
    rels += f'<Relationship Id="rId{n + 1}" Type="{REL}/sharedStrings" Target="sharedStrings.xml"/>'
    sst = "".join(f'<si><t xml:space="preserve">{escape(s)}</t></si>' for s in strings)
    members.update({
        "[Content_Types].xml": b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/'
                               b'content-types"><Default Extension="xml" ContentType="'
                               b'application/xml"/></Types>',
        "_rels/.rels": f'<Relationships xmlns="{PKG}"><Relationship Id="rId1" Type="{REL}/'
                       'officeDocument" Target="xl/workbook.xml"/></Relationships>'.encode(),
        "xl/workbook.xml": f'<workbook xmlns="{MAIN}" xmlns:r="{REL}"><sheets>{listed}</sheets>'
                           "</workbook>".encode(),
        "xl/_rels/workbook.xml.rels": f'<Relationships xmlns="{PKG}">{rels}</Relationships>'
                                      .encode(),
        "xl/sharedStrings.xml": f'<sst xmlns="{MAIN}">{sst}</sst>'.encode(),
        **(extra or {}),
    })
    return zip_bytes(members)


def read(data: bytes, file="bud.xlsx", **kw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataQualityWarning)
        return read_workbook(data, file, **kw)


def cells_of(meta, kind):
    return meta.cells[meta.cells["kind"] == kind]


# ------------------------------------------------------------------ provenance
def test_cell_references_and_source_refs():
    assert [column_letter(i) for i in (0, 25, 26, 701, 702, 16383)] == [
        "A", "Z", "AA", "ZZ", "AAA", "XFD"]
    assert column_index("xfd") == 16383 and cell_ref(14, 4) == "E14"
    assert split_cell_ref("$E$14") == (14, 4)
    with pytest.raises(ValueError):
        split_cell_ref("E0")
    assert source_ref("skole.xlsx", "Mengder", "E14") == "[skole.xlsx]Mengder!E14"
    quoted = source_ref("skole.xlsx", "Mengder 2", "E14")
    assert quoted == "'[skole.xlsx]Mengder 2'!E14"
    assert parse_source_ref(quoted) == ("skole.xlsx", "Mengder 2", "E14")
    assert parse_source_ref(source_ref("a.xlsx", "Bob's", "A1")) == ("a.xlsx", "Bob's", "A1")
    assert parse_source_ref("[a.xlsx]M!B2") == ("a.xlsx", "M", "B2")
    assert source_refs("a.xlsx", "M", [2, 3], [0, 27]).tolist() == ["[a.xlsx]M!A2",
                                                                    "[a.xlsx]M!AB3"]
    assert source_refs("a.xlsx", "M", [], 0).size == 0


# ------------------------------------------------------------------- phase 1
def _openpyxl_boq(path, title_rows=3):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Mengder"
    sheet.append(["Prosjekt:", "Eksempelskole"])
    for _ in range(title_rows - 1):
        sheet.append([])
    sheet.append(HEADER)
    sheet.append(["01.1", "LB2.1121", "Forskaling", "m2", 380, 216])
    sheet.append(["01.2", "LD1.1141", "Betong B30", "m3", 26.356, 216.0])
    sheet.append([])
    sheet.append(["02", None, "Bæresystemer", None, None, None])  # a heading
    sheet.append(["02.1", "QB3.111", "Limtre GL30c", "m3", "1,5", "222"])
    sheet.append([None, None, "Sum", None, 407.856, None])  # a subtotal
    book.save(path)
    return path


def test_reads_the_lines_below_a_title_block(tmp_path):
    path = _openpyxl_boq(tmp_path / "skole.xlsx")
    items, meta = read_boq(path)
    assert list(items.columns) == list(LINE_COLUMNS)
    assert items["row_id"].tolist() == [0, 1, 2] and items["row_id"].dtype == np.int64
    # the header is on row 4 (title, 2 blank rows), lines on 5, 6 and 9
    assert meta.header_row == 4 and meta.sheet == "Mengder"
    assert items["source_ref"].tolist() == ["[skole.xlsx]Mengder!E5", "[skole.xlsx]Mengder!E6",
                                            "[skole.xlsx]Mengder!E9"]
    assert items["quantity"].tolist() == [380.0, 26.356, 1.5]
    assert items["quantity"].dtype == np.float64
    assert items["item_code"].tolist() == ["LB2.1121", "LD1.1141", "QB3.111"]
    assert items["building_part"].tolist() == ["216", "216", "222"]  # 216.0 -> "216"
    assert items["unit"].tolist() == ["m2", "m3", "m3"]
    for column in ("factor_id", "transport_mode"):
        assert items[column].isna().all() and items[column].dtype == object
    for column in ("transport_km", "waste_rate"):
        assert items[column].isna().all() and items[column].dtype == np.float64
    assert meta.header_map == {"Postnr": "post_number", "NS 3420": "item_code",
                               "Beskrivelse": "description", "Enhet": "unit",
                               "Mengde": "quantity", "Bygningsdel": "building_part"}
    assert meta.columns["quantity"] == "E"
    assert meta.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert meta.file == "skole.xlsx" and isinstance(meta, BoqMetadata)


def test_every_non_blank_row_is_an_item_or_skipped_with_a_reason(tmp_path):
    _, meta = read_boq(_openpyxl_boq(tmp_path / "skole.xlsx"))
    skipped = dict(zip(meta.skipped["source_ref"], meta.skipped["reason"], strict=True))
    assert skipped == {"[skole.xlsx]Mengder!A1": "title_block",
                       "[skole.xlsx]Mengder!A4": "header",
                       "[skole.xlsx]Mengder!A8": "heading",
                       "[skole.xlsx]Mengder!C10": "subtotal"}
    assert meta.skipped.set_index("source_ref").loc["[skole.xlsx]Mengder!A8", "detail"] == (
        "02 | Bæresystemer")
    # sheet rows 1-10: 3 items + 4 skipped + 3 blank rows (2, 3, 7)
    assert list(meta.skipped.columns) == ["source_ref", "reason", "detail"]


def test_text_number_is_reported_at_its_cell(tmp_path):
    _, meta = read_boq(_openpyxl_boq(tmp_path / "skole.xlsx"))
    found = cells_of(meta, "text_number")
    assert found["source_ref"].tolist() == ["[skole.xlsx]Mengder!E9"]
    assert found["found"].tolist() == ["1,5"]


def test_unit_only_lines_are_kept_and_the_empty_quantity_reported():
    rows = [HEADER, ["1", "X", "Rigg", "RS", None], ["2", "Y", "Kran", None, 3.0],
            ["3", "Z", "Tekstlinje", None, "  "]]
    items, meta = read(xlsx({"name": "M", "rows": rows}))
    assert items["description"].tolist() == ["Rigg", "Kran"]
    assert np.isnan(items["quantity"].iloc[0])
    empty = cells_of(meta, "empty")
    assert empty["source_ref"].tolist() == ["[bud.xlsx]M!E2"]
    assert meta.skipped["reason"].tolist() == ["header", "heading"]


def test_blank_and_whitespace_rows_are_not_reported():
    rows = [HEADER, ["1", "X", "Rigg", "RS", 1.0], [" ", "", "\u00a0"], [], ["2", "", "", "m", 2]]
    items, meta = read(xlsx({"name": "M", "rows": rows}))
    assert len(items) == 2 and meta.skipped["reason"].tolist() == ["header"]


def test_a_repeated_header_below_the_header_is_skipped():
    rows = [HEADER, ["1", "X", "Rigg", "RS", 1.0], HEADER, ["2", "Y", "Kran", "uke", 3.0]]
    items, meta = read(xlsx({"name": "M", "rows": rows}))
    assert items["post_number"].tolist() == ["1", "2"]
    assert meta.skipped["reason"].tolist() == ["header", "repeated_header"]


def test_english_headers_and_absent_columns():
    rows = [["Item", "Description", "Unit", "Qty"], ["QB3.111", "Glulam", "m3", 28]]
    items, meta = read(xlsx({"name": "Quantities", "rows": rows}))
    assert items.loc[0, "item_code"] == "QB3.111" and items.loc[0, "quantity"] == 28.0
    assert items["post_number"].isna().all() and items["building_part"].isna().all()


def test_the_header_row_can_be_given():
    rows = [["Mengde", "Enhet"], ["x", "y"], ["Quantity", "Unit"], [4.0, "m"]]
    items, meta = read(xlsx({"name": "M", "rows": rows}), header_row=3)
    assert meta.header_row == 3 and items["quantity"].tolist() == [4.0]
    with pytest.raises(InputError) as info:
        read(xlsx({"name": "M", "rows": rows}), header_row=2)
    assert info.value.code == "no_header"
    with pytest.raises(InputError):
        read(xlsx({"name": "M", "rows": rows}), header_row=0)


def test_no_header_is_an_error_naming_file_and_sheet():
    with pytest.raises(InputError) as info:
        read(xlsx({"name": "Ark1", "rows": [["a", "b"], [1, 2]]}))
    error = info.value
    assert (error.code, error.file, error.sheet) == ("no_header", "bud.xlsx", "Ark1")
    assert "Mengde" in error.expected
    assert pickle.loads(pickle.dumps(error)).code == "no_header"


def test_sheet_selection():
    rows = [HEADER, ["1", "X", "Rigg", "RS", 1.0]]
    data = xlsx({"name": "Forside", "rows": [["Tilbud"]]}, {"name": "Mengder", "rows": rows})
    assert read(data)[1].sheet == "Mengder"  # the first sheet with a header
    assert read(data, sheet="mengder")[1].sheet == "Mengder"
    assert read(data, sheet=1)[1].sheet == "Mengder"
    with pytest.raises(InputError) as info:
        read(data, sheet="Nei")
    assert info.value.code == "sheet_not_found" and "'Mengder'" in info.value.expected
    with pytest.raises(InputError):
        read(data, sheet=5)


def test_other_sheets_with_a_header_are_named():
    rows = [HEADER, ["1", "X", "Rigg", "RS", 1.0]]
    data = xlsx({"name": "A", "rows": rows}, {"name": "B", "rows": rows})
    with pytest.warns(DataQualityWarning, match="other_sheets"):
        _, meta = read_workbook(data, "to.xlsx")
    assert meta.sheet == "A" and any(w.startswith("other_sheets") for w in meta.warnings)
    assert meta.sheets == ("A", "B")


# ------------------------------------------------------------------- phase 2
def test_formula_cached_value_is_used_and_its_text_kept():
    rows = [HEADER, ["1", "X", "Betong", "m3", F("B2*C2", 26.356)]]
    items, meta = read(xlsx({"name": "M", "rows": rows}))
    assert items["quantity"].tolist() == [26.356]
    formula = cells_of(meta, "formula")
    assert formula["source_ref"].tolist() == ["[bud.xlsx]M!E2"]
    assert formula["found"].tolist() == ["=B2*C2"]
    assert "26.356" in formula["detail"].iloc[0]


def test_formula_without_cached_value_is_an_error_at_its_cell_never_zero():
    rows = [HEADER, ["1", "X", "Betong", "m3", 4.0], ["2", "Y", "Stål", "tonn", F("E2*2")]]
    with pytest.raises(InputError) as info:
        read(xlsx({"name": "M", "rows": rows}))
    error = info.value
    assert (error.code, error.sheet, error.cell) == ("formula_without_value", "M", "E3")
    assert error.found == "=E2*2"
    assert str(error).startswith("[bud.xlsx]M!E3: ")


def test_formula_without_value_outside_the_columns_read_is_harmless():
    rows = [HEADER + ["Sum"], ["1", "X", "Betong", "m3", 4.0, "23", F("E2*100")]]
    items, _ = read(xlsx({"name": "M", "rows": rows}))
    assert items["quantity"].tolist() == [4.0]


def test_error_values_and_external_references():
    rows = [HEADER, ["1", "X", "A", "m3", F("1/0", "#DIV/0!", error=True)],
            ["2", "Y", "B", "m3", F("[1]Ark1!B2", 7.5)]]
    items, meta = read(xlsx({"name": "M", "rows": rows}))
    assert np.isnan(items["quantity"].iloc[0]) and items["quantity"].iloc[1] == 7.5
    assert cells_of(meta, "error_value")["found"].tolist() == ["#DIV/0!"]
    assert cells_of(meta, "empty").empty  # the error is reported, not an "empty" cell
    assert cells_of(meta, "external_reference")["source_ref"].tolist() == ["[bud.xlsx]M!E3"]


def test_shared_formula_children_name_their_group():
    sheet_xml = (f'<worksheet xmlns="{MAIN}"><sheetData>'
                 '<row r="1"><c r="A1" t="inlineStr"><is><t>Mengde</t></is></c>'
                 '<c r="B1" t="inlineStr"><is><t>Enhet</t></is></c></row>'
                 '<row r="2"><c r="A2"><f t="shared" ref="A2:A3" si="0">C2*2</f><v>4</v></c>'
                 '<c r="B2" t="inlineStr"><is><t>m</t></is></c></row>'
                 '<row r="3"><c r="A3"><f t="shared" si="0"/><v>6</v></c>'
                 '<c r="B3" t="inlineStr"><is><t>m</t></is></c></row>'
                 "</sheetData></worksheet>").encode()
    data = xlsx({"name": "M", "rows": []}, extra={"xl/worksheets/sheet1.xml": sheet_xml})
    items, meta = read(data)
    assert items["quantity"].tolist() == [4.0, 6.0]
    assert cells_of(meta, "formula")["found"].tolist() == [
        "=C2*2", "=C2*2 (shared formula from A2)"]


def test_hidden_sheets_are_skipped_with_a_warning_and_can_be_chosen():
    rows = [HEADER, ["1", "X", "Betong", "m3", 10.0]]
    stale = [HEADER, ["1", "X", "Betong", "m3", 99.0]]
    data = xlsx({"name": "Gammel", "rows": stale, "state": "hidden"},
                {"name": "Mengder", "rows": rows})
    with pytest.warns(DataQualityWarning, match="hidden_sheet"):
        items, meta = read_workbook(data, "bud.xlsx")
    assert meta.sheet == "Mengder" and items["quantity"].tolist() == [10.0]
    assert meta.hidden_sheets == ("Gammel",)
    items, meta = read(data, sheet="Gammel")
    assert items["quantity"].tolist() == [99.0]
    assert any(w.startswith("hidden_sheet_read") for w in meta.warnings)
    assert read(data, include_hidden=True)[1].sheet == "Gammel"
    only_hidden = xlsx({"name": "Gammel", "rows": stale, "state": "hidden"})
    with pytest.raises(InputError) as info:
        read(only_hidden)
    assert info.value.code == "sheet_not_found" and "Gammel" in info.value.found


def test_hidden_rows_and_columns_are_read_and_reported():
    rows = [HEADER, ["1", "X", "Betong", "m3", 10.0], ["2", "Y", "Stål", "tonn", 2.0],
            ["3", "Z", "Tre", "m3", 5.0]]
    items, meta = read(xlsx({"name": "M", "rows": rows, "hidden_rows": {3},
                             "hidden_cols": {1}}))
    assert items["quantity"].tolist() == [10.0, 2.0, 5.0]  # nothing dropped
    assert cells_of(meta, "hidden_row")["source_ref"].tolist() == ["[bud.xlsx]M!E3"]
    hidden_column = cells_of(meta, "hidden_column")
    assert hidden_column["source_ref"].tolist() == ["[bud.xlsx]M!B1"]
    assert "item_code" in hidden_column["detail"].iloc[0]


def test_header_spanning_two_merged_rows():
    rows = [["Mengdebeskrivelse"], ["Post", "Beskrivelse", "Mengde", None, "Transport"],
            [None, None, "Enhet", "Antall", "km"], ["1", "Betong", "m3", 12, 40]]
    items, meta = read(xlsx({"name": "M", "rows": rows,
                             "merged": ["A2:A3", "B2:B3", "C2:D2", "E2:E2"]}))
    assert (meta.header_row, meta.header_rows) == (2, 2)
    assert items.loc[0, ["post_number", "unit", "quantity", "transport_km"]].tolist() == [
        "1", "m3", 12.0, 40.0]
    assert items.loc[0, "source_ref"] == "[bud.xlsx]M!D4"
    assert meta.skipped["reason"].tolist() == ["title_block", "header", "header"]


@pytest.mark.parametrize(("written", "value", "kind"), [
    ("1,25", 1.25, "text_number"),
    ("1 250", 1250.0, "text_number"),
    ("1\u00a0250", 1250.0, "text_number"),
    ("1.250", None, "ambiguous_number"),
    ("RO", None, "not_a_number"),
    ("R.O.", None, "not_a_number"),
    ("ca. 40", None, "not_a_number"),
])
def test_text_quantities_under_the_nb_no_rule(written, value, kind):
    items, meta = read(xlsx({"name": "M", "rows": [HEADER, ["1", "X", "Y", "m", written]]}))
    got = items.loc[0, "quantity"]
    assert np.isnan(got) if value is None else got == value
    assert cells_of(meta, kind)["found"].tolist() == [written]


def test_no_text_numbers_without_a_locale():
    items, meta = read(xlsx({"name": "M", "rows": [HEADER, ["1", "X", "Y", "m", "1,25"]]}),
                       number_locale=None)
    assert np.isnan(items.loc[0, "quantity"])
    assert meta.number_locale is None
    with pytest.raises(InputError) as info:
        read(xlsx({"name": "M", "rows": [HEADER]}), number_locale="sv-SE")
    assert info.value.code == "bad_locale"


def test_negative_quantities_are_kept_and_reported():
    items, meta = read(xlsx({"name": "M", "rows": [HEADER, ["1", "X", "Fradrag", "m2", -5.5]]}))
    assert items["quantity"].tolist() == [-5.5]
    assert cells_of(meta, "negative_quantity")["found"].tolist() == ["-5.5"]


def test_float_item_numbers_and_collisions():
    rows = [HEADER, [2.3000000000000003, "X", "A", "m", 1.0], [7.1, "X", "B", "m", 1.0],
            ["7.10", "X", "C", "m", 1.0], ["7.2", "X", "D", "m", 1.0]]
    items, meta = read(xlsx({"name": "M", "rows": rows}))
    assert items["post_number"].tolist() == ["2.3000000000000003", "7.1", "7.10", "7.2"]
    floats = cells_of(meta, "float_item_code")
    assert floats["source_ref"].tolist() == ["[bud.xlsx]M!A2", "[bud.xlsx]M!A3"]
    assert "probably meant 2.3" in floats["detail"].iloc[0]
    collisions = cells_of(meta, "item_code_collision")
    assert collisions["source_ref"].tolist() == ["[bud.xlsx]M!A3", "[bud.xlsx]M!A4"]
    assert collisions["found"].tolist() == ["7.1", "7.10"]


def test_text_item_numbers_alone_do_not_collide():
    rows = [HEADER, ["7.1", "X", "B", "m", 1.0], ["7.10", "X", "C", "m", 1.0]]
    _, meta = read(xlsx({"name": "M", "rows": rows}))
    assert cells_of(meta, "item_code_collision").empty


def test_repeated_option_blocks_are_flagged_not_dropped():
    block = [["1", "LB2", "Maling", "m2", 5.0], ["2", "LC2", "Gulv", "m2", 7.0]]
    rows = [HEADER, ["0", "AJ1", "Rigg", "RS", 1.0], ["Opsjon 1"], *block, ["Opsjon 2"], *block]
    data = xlsx({"name": "M", "rows": rows})
    with pytest.warns(DataQualityWarning, match="duplicate_block"):
        items, meta = read_workbook(data, "bud.xlsx")
    assert len(items) == 5  # every line kept
    flagged = cells_of(meta, "duplicate_block")
    assert flagged["source_ref"].tolist() == ["[bud.xlsx]M!E7", "[bud.xlsx]M!E8"]
    assert "rows 4-5 under 'Opsjon 1'" in flagged["detail"].iloc[0]
    note = [w for w in meta.warnings if w.startswith("duplicate_block")]
    assert note == ["duplicate_block: rows 7-8 under 'Opsjon 2' repeat the lines of rows 4-5 "
                    "under 'Opsjon 1'; both are kept and both count unless you choose one"]


def test_unknown_units_are_reported_at_their_cell():
    rows = [HEADER, ["1", "X", "A", "m3", 1.0], ["2", "X", "B", "furlong", 1.0],
            ["3", "X", "C", "Sq. Mtr.", 1.0]]
    _, meta = read(xlsx({"name": "M", "rows": rows}))
    unknown = cells_of(meta, "unknown_unit")
    assert unknown["source_ref"].tolist() == ["[bud.xlsx]M!D3"]
    assert unknown["found"].tolist() == ["furlong"]


def test_merged_quantity_cells_are_reported():
    rows = [HEADER, ["1", "X", "A", "m3", 9.0], ["2", "X", "B", "m3", None]]
    _, meta = read(xlsx({"name": "M", "rows": rows, "merged": ["E2:E3"]}))
    merged = cells_of(meta, "merged_cell")
    assert merged["source_ref"].tolist() == ["[bud.xlsx]M!E2"]


def test_transport_and_waste_columns():
    rows = [HEADER + ["Transportavstand (km)", "Transportmåte", "Svinn"],
            ["1", "X", "A", "m3", 1.0, "23", 120, "lastebil", "5 %"],
            ["2", "X", "B", "m3", 1.0, "23", "", "", 0.03]]
    items, meta = read(xlsx({"name": "M", "rows": rows}))
    assert items["transport_km"].tolist()[0] == 120.0 and np.isnan(items["transport_km"][1])
    assert items["waste_rate"].tolist() == pytest.approx([0.05, 0.03])  # 5 % = 0.05
    assert items["transport_mode"].tolist() == ["lastebil", None]
    assert cells_of(meta, "empty")["source_ref"].tolist() == []  # empty optional cells: no noise
    assert cells_of(meta, "text_number")["detail"].iloc[0].startswith("waste_rate: ")


def test_unmapped_columns_are_listed():
    _, meta = read(xlsx({"name": "M", "rows": [HEADER + ["Enhetspris"], ["1"] * 4 + [1.0]]}))
    assert "unmapped_columns: columns G ('Enhetspris') are not read" in meta.warnings


# ---------------------------------------------------------- files and errors
def test_read_boq_dispatch_and_refusals(tmp_path):
    cases = {
        "gammel.xls": (bytes.fromhex("d0cf11e0a1b11ae1") + bytes(600), "legacy_xls"),
        "tom.xlsx": (b"", "empty_file"),
        "tekst.xlsx": (b"Postnr;Mengde", "not_a_zip"),
        "notat.pdf": (b"%PDF-1.7", "unsupported_format"),
        "kort.xlsx": (xlsx({"name": "M", "rows": [HEADER]})[:300], "unreadable_file"),
    }
    for name, (data, code) in cases.items():
        path = tmp_path / name
        path.write_bytes(data)
        with pytest.raises(InputError) as info:
            read_boq(path)
        assert info.value.code == code, name
        assert info.value.file == name
    with pytest.raises(InputError) as info:
        read_boq(tmp_path / "mangler.xlsx")
    assert info.value.code == "file_not_found"
    with pytest.raises(InputError) as info:
        read_boq(tmp_path)
    assert info.value.code == "bad_path"
    with pytest.raises(InputError) as info:
        read_boq(12)
    assert info.value.code == "bad_path"


def test_xml_goes_to_the_ns3459_reader(tmp_path, monkeypatch):
    import klimafotavtrykk.quantities.ns3459 as ns3459

    seen = {}

    def fake(path, **kw):
        seen.update(path=path, **kw)
        return "items", "meta"

    monkeypatch.setattr(ns3459, "read_ns3459", fake)
    path = tmp_path / "tilbud.xml"
    path.write_bytes(b'<?xml version="1.0"?><NS3459/>')
    assert read_boq(path, options="all") == ("items", "meta")
    assert seen["path"] == path and seen["options"] == "all"
    with pytest.raises(InputError):
        read_boq(path, sheet="Ark1")


def test_the_file_size_cap_applies_before_reading(tmp_path):
    from klimafotavtrykk.quantities.safety import ReadLimits

    path = tmp_path / "stor.xlsx"
    path.write_bytes(xlsx({"name": "M", "rows": [HEADER, ["1", "x", "y", "m", 1.0]]}))
    with pytest.raises(UnsafeWorkbookError) as info:
        read_boq(path, limits=ReadLimits(max_file_bytes=100))
    assert info.value.code == "file_too_large"


def test_malformed_xml_is_our_error():
    broken = f'<worksheet xmlns="{MAIN}"><sheetData><row r="1"><c r="A1"><v>1</v></row>'.encode()
    data = xlsx({"name": "M", "rows": []}, extra={"xl/worksheets/sheet1.xml": broken})
    with pytest.raises(KlimafotavtrykkError) as info:
        read(data)
    assert isinstance(info.value, InputError)


def test_password_protected_member_error_is_ours():
    # the checks refuse a zip-encrypted member before calamine sees it
    data = bytearray(xlsx({"name": "M", "rows": [HEADER]}))
    at = data.find(b"PK\x01\x02")
    data[at + 8] |= 0x01
    with pytest.raises(UnsafeWorkbookError):
        read(bytes(data))


def test_items_frame_for_a_sheet_with_only_a_header():
    items, meta = read(xlsx({"name": "M", "rows": [HEADER]}))
    assert items.empty and list(items.columns) == list(LINE_COLUMNS)
    assert items["quantity"].dtype == np.float64 and items["row_id"].dtype == np.int64
    assert list(meta.cells.columns) == ["source_ref", "kind", "found", "detail"]


def test_pandas_friendly_text_columns():
    items, _ = read(xlsx({"name": "M", "rows": [HEADER, ["1", "", "A", "m", 1.0]]}))
    assert items["item_code"].tolist() == [None]
    assert pd.isna(items.loc[0, "item_code"])


def test_optional_thickness_columns_are_read_when_present(tmp_path):
    from openpyxl import Workbook

    from klimafotavtrykk.quantities import read_boq

    wb = Workbook()
    ws = wb.active
    ws.title = "Mengder"
    ws.append(["Beskrivelse", "Enhet", "Mengde", "Tykkelse (mm)"])
    ws.append(["Gipsplate 12,5 mm", "m2", 100, 12.5])
    ws.append(["Dør", "stk", 2, None])
    path = tmp_path / "tykkelse.xlsx"
    wb.save(path)
    items, meta = read_boq(path)
    assert items["thickness_mm"].tolist()[0] == 12.5
    assert np.isnan(items["thickness_mm"].tolist()[1])
    assert meta.header_map["Tykkelse (mm)"] == "thickness_mm"
    plain = tmp_path / "uten.xlsx"
    wb2 = Workbook()
    wb2.active.append(["Beskrivelse", "Enhet", "Mengde"])
    wb2.active.append(["Dør", "stk", 2])
    wb2.save(plain)
    assert "thickness_mm" not in read_boq(plain)[0].columns


# ------------------------------------------------- hostile workbooks (issue #12, item 5)
def test_every_formula_without_a_cached_value_is_named_in_one_error():
    # Three quantity cells (E2, E3, E5) and one unit cell (D4) lack a cached value; a fix-one,
    # rerun, fix-the-next loop would take four runs: the one error names all four cells.
    rows = [HEADER, ["1", "X", "Betong", "m3", F("B2*2")], ["2", "Y", "Stål", "tonn", F("C3")],
            ["3", "Z", "Gips", F("D1"), 4.0], ["4", "W", "Tre", "m3", F("E2+E3")]]
    with pytest.raises(InputError) as info:
        read(xlsx({"name": "M", "rows": rows}))
    error = info.value
    assert (error.code, error.cell) == ("formula_without_value", "E2")
    for cell, text in (("E2", "=B2*2"), ("E3", "=C3"), ("D4", "=D1"), ("E5", "=E2+E3")):
        assert f"{cell} ({text})" in error.problem and f"{cell} ({text})" in error.found
    assert error.problem.startswith("4 cells hold")
    again = pickle.loads(pickle.dumps(error))
    assert str(again) == str(error)


def test_text_longer_than_excels_cell_limit_is_refused_at_its_cell_without_copying_it():
    # Excel stores at most 32 767 characters in a cell; 5 MB of text compresses to a few hundred
    # kB and used to keep the matcher busy for minutes. The cell is named, the text not copied.
    words = np.random.default_rng(1).choice(["betong", "stål", "armering", "gips", "B30", "m3"],
                                              size=1_000_000)
    text = " ".join(words)[:5_000_000]  # varied enough not to look like a zip bomb
    rows = [HEADER, ["1", "X", "Betong", "m3", 4.0], ["2", "Y", text, "m3", 2.0]]
    data = xlsx({"name": "M", "rows": rows})
    assert len(data) < 1_000_000
    with pytest.raises(UnsafeWorkbookError) as info:
        read(data)
    error = info.value
    assert (error.code, error.sheet, error.cell) == ("cell_text_too_long", "M", "C3")
    assert error.found == "5000000"
    assert "betong" not in str(error) and len(str(error)) < 500
    # one character under the limit is read
    fits = [HEADER, ["2", "Y", "x" * 32_767, "m3", 2.0]]
    items, _ = read(xlsx({"name": "M", "rows": fits}))
    assert items["description"].str.len().tolist() == [32_767]


def test_a_long_text_in_an_inline_string_is_refused_too():
    long = "x" * 40_000
    sheet_xml = (f'<worksheet xmlns="{MAIN}"><sheetData>'
                 '<row r="1"><c r="A1" t="inlineStr"><is><t>Mengde</t></is></c>'
                 '<c r="B1" t="inlineStr"><is><t>Enhet</t></is></c></row>'
                 f'<row r="2"><c r="A2"><v>4</v></c><c r="B2" t="inlineStr"><is><t>{long}</t>'
                 "</is></c></row></sheetData></worksheet>").encode()
    data = xlsx({"name": "M", "rows": []}, extra={"xl/worksheets/sheet1.xml": sheet_xml})
    with pytest.raises(UnsafeWorkbookError) as info:
        read(data)
    assert (info.value.code, info.value.cell) == ("cell_text_too_long", "B2")


def test_a_case_twin_of_the_sheet_is_refused_before_it_can_replace_it():
    # The forged twin holds 1000 x the quantity; calamine would read it, the scan the original.
    rows = [HEADER, ["1", "X", "Betong", "m3", 4.0]]
    honest = xlsx({"name": "M", "rows": rows})
    forged = _sheet_xml([HEADER, ["1", "X", "Betong", "m3", 4000.0]], {})
    with zipfile.ZipFile(io.BytesIO(honest)) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    members["XL/worksheets/sheet1.xml"] = forged
    with pytest.raises(UnsafeWorkbookError) as info:
        read(zip_bytes(members))
    assert info.value.code == "ambiguous_member"
