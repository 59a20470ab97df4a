"""The report and evaluation workbooks hold the same cells as before the new writer.

``tests/fixtures/reports/*.json`` record, cell by cell, the shipped examples' report
(``examples/skole.xlsx``, bokmål and English) and evaluation workbook (``examples/anbud``)
as openpyxl's write-only mode wrote them before ``klimafotavtrykk.xlsx_writer`` replaced it
(commit d037ee3): sheet names in order; per cell its value, type ("s" text, "n" number),
number format (when not General) and "bold" for a bold cell; column widths and frozen panes. The tests write the
same workbooks now and compare. openpyxl wrote numbers with 16 significant digits; the new
writer stores the exact float, so numbers are compared at openpyxl's 16 digits.

When results change on purpose (new data, a changed method), rewrite a fixture with
``python tests/test_report_workbook.py NAME.xlsx tests/fixtures/reports/NAME.json``
and review the diff.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import math
import sys
import zipfile
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from klimafotavtrykk.cli import main
from klimafotavtrykk.reports import MAX_CELL_TEXT, safe_text, safe_texts
from klimafotavtrykk.xlsx_writer import Table, write_xlsx

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).parent / "fixtures" / "reports"
ANBUD = ROOT / "examples" / "anbud"


def workbook_cells(path) -> dict:
    """Everything a reader sees in a workbook, as JSON-ready data."""
    book = openpyxl.load_workbook(path)  # not read-only: data types and styles are kept
    out: dict = {"sheets": book.sheetnames}
    for sheet in book:
        rows = []
        for row in sheet.iter_rows():
            cells = [_cell(c) for c in row]
            while cells and cells[-1] is None:
                cells.pop()
            rows.append(cells)
        while rows and not rows[-1]:
            rows.pop()
        widths = {k: v.width for k, v in sheet.column_dimensions.items() if v.customWidth}
        out[sheet.title] = {"rows": rows, "freeze": sheet.freeze_panes, "widths": widths}
    return json.loads(json.dumps(out))  # lists, not tuples, as read back from a fixture


def _cell(cell):
    if cell.value is None:
        return None
    value = cell.value
    if isinstance(value, float):
        value = float(f"{value:.16g}")  # openpyxl's precision
    # value and type; then the number format unless General, then "bold" for a bold cell
    return ([value, cell.data_type] + ([cell.number_format] if cell.number_format != "General" else [])
            + (["bold"] if cell.font.b else []))


def _compare(path, fixture):
    expected = json.loads((FIXTURES / fixture).read_text(encoding="utf-8"))
    got = workbook_cells(path)
    assert got["sheets"] == expected["sheets"]
    for name in expected["sheets"]:
        assert got[name]["freeze"] == expected[name]["freeze"], name
        assert got[name]["widths"] == expected[name]["widths"], name
        assert len(got[name]["rows"]) == len(expected[name]["rows"]), name
        for i, (row, want) in enumerate(zip(got[name]["rows"], expected[name]["rows"], strict=True)):
            assert row == want, (name, i + 1)


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_shipped_report_has_the_same_cells(tmp_path, lang):
    out = tmp_path / "rapport.xlsx"
    code = main(["beregn", str(ROOT / "examples" / "skole.xlsx"), "--bta", "2400", "--lang", lang,
                 "-o", str(out)])
    assert code == 0
    _compare(out, f"skole_rapport_{lang}.json")


def test_shipped_evaluation_has_the_same_cells(tmp_path):
    out = tmp_path / "evaluering.xlsx"
    code = main(["anbud", "score", str(ANBUD / "konkurranse.toml"), str(ANBUD / "bud"),
                 "--kvalitet", str(ANBUD / "kvalitet.csv"), "-o", str(out)])
    assert code == 0
    _compare(out, "anbud_evaluering_nb.json")


# ----------------------------------------------------------------------------- the writer

def _written(tmp_path, frame, formats=None, name="Ark"):
    table = Table(name=name, frame=frame, widths=[10.0] * frame.shape[1],
                  formats=formats or [None] * frame.shape[1])
    path = tmp_path / "book.xlsx"
    path.write_bytes(write_xlsx([table], safe_texts, when=dt.datetime(2025, 1, 1)))
    return path


def test_values_types_and_empty_cells(tmp_path):
    frame = pd.DataFrame({
        "tall": [1.5, math.nan, -2.0, math.inf, 0.1 + 0.2],
        "heltall": np.array([3, -4, 0, 7, 2**40], dtype=np.int64),
        "tekst": ["a & b <c>", None, "  ledende", "=1+1", ""],
        "blandet": pd.Series([1, "x", True, None, 2.5], dtype=object),
    })
    path = _written(tmp_path, frame, formats=["#,##0", None, None, "0.00"])
    sheet = openpyxl.load_workbook(path)["Ark"]
    rows = [[(c.value, c.data_type) if c.value is not None else None for c in row]
            for row in sheet.iter_rows(min_row=2, max_col=4)]
    assert rows == [
        [(1.5, "n"), (3, "n"), ("a & b <c>", "s"), (1, "n")],
        [None, (-4, "n"), None, ("x", "s")],
        [(-2.0, "n"), (0, "n"), ("  ledende", "s"), ("True", "s")],  # bool: text, as before
        [None, (7, "n"), ("'=1+1", "s"), None],                         # inf: empty
        [(0.30000000000000004, "n"), (2**40, "n"), None, (2.5, "n")],   # exact float; "" empty
    ]
    assert sheet["A2"].number_format == "#,##0" and sheet["D6"].number_format == "0.00"
    assert sheet["B2"].number_format == "General"
    assert [c.font.b for c in sheet[1]] == [True] * 4 and sheet.freeze_panes == "A2"


def test_text_is_never_a_formula(tmp_path):
    frame = pd.DataFrame({"x": ['=HYPERLINK("http://x","y")', "+1", "@SUM(A1)", "\tx"]})
    path = _written(tmp_path, frame)
    with zipfile.ZipFile(path) as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml")
    assert b"<f>" not in sheet and b"<f " not in sheet
    values = [c.value for c in openpyxl.load_workbook(path)["Ark"]["A"][1:]]
    assert values == ["'" + v for v in frame["x"]]


def test_same_content_and_time_give_the_same_bytes(tmp_path):
    frame = pd.DataFrame({"a": ["x", "y"], "b": [1.0, 2.0]})
    table = Table(name="Ark", frame=frame, widths=[5.0, 5.0], formats=[None, None])
    when = dt.datetime(2025, 1, 1)
    first = write_xlsx([table], safe_texts, when=when)
    assert write_xlsx([table], safe_texts, when=when) == first
    with zipfile.ZipFile(io.BytesIO(first)) as archive:
        assert {info.date_time for info in archive.infolist()} == {(2025, 1, 1, 0, 0, 0)}
        assert b"2025-01-01T00:00:00Z" in archive.read("docProps/core.xml")


@given(st.lists(st.one_of(st.text(), st.none(), st.floats(), st.integers(), st.booleans()),
                max_size=20))
def test_safe_texts_is_safe_text_element_by_element(values):
    array = np.array([*values, "=x", " \t@y", "a\x01b", "x" * (MAX_CELL_TEXT + 5)], dtype=object)
    assert safe_texts(array).tolist() == [safe_text(v) for v in array]


def test_empty_table_keeps_its_header(tmp_path):
    frame = pd.DataFrame({"a": pd.Series([], dtype=object), "b": pd.Series([], dtype=float)})
    sheet = openpyxl.load_workbook(_written(tmp_path, frame))["Ark"]
    assert sheet.max_row == 1 and [c.value for c in sheet[1]] == ["a", "b"]


def _fixture_text(cells: dict) -> str:
    """JSON with one row of cells per line, so that a changed cell shows as one changed line."""
    def dump(value):
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))

    parts = [f'{{"sheets":{dump(cells["sheets"])}']
    for name in cells["sheets"]:
        sheet = cells[name]
        rows = ",\n".join(dump(row) for row in sheet["rows"])
        parts.append(f'{dump(name)}:{{"freeze":{dump(sheet["freeze"])},'
                     f'"widths":{dump(sheet["widths"])},"rows":[\n{rows}]}}')
    return ",\n".join(parts) + "}\n"


if __name__ == "__main__":  # rewrite a fixture: python tests/test_report_workbook.py BOOK JSON
    Path(sys.argv[2]).write_text(_fixture_text(workbook_cells(sys.argv[1])), encoding="utf-8")


# texts made of what the checks look at, so a column is often wholly safe (the one-search
# path of safe_texts) and often has one risky text among safe ones, next to line breaks
_PIECES = st.sampled_from(["a", "B30", " ", "\n", "\t", "\r", "=", "+", "-", "@", "\uff1d",
                           "\x01", "\x0b", "1,5"])


@given(st.lists(st.one_of(st.lists(_PIECES, max_size=6).map("".join), st.none(), st.floats(),
                          st.integers()), max_size=20))
def test_safe_texts_of_mostly_safe_columns_is_safe_text_element_by_element(values):
    array = np.array(values, dtype=object)
    assert safe_texts(array).tolist() == [safe_text(v) for v in array]


@pytest.mark.parametrize("risky", ["=1+1", "  -2", "\tx", "\rx", "@SUM(A1)", "\uff0bx", "a\x01",
                                   "x" * (MAX_CELL_TEXT + 1)])
def test_one_risky_text_after_safe_ones_is_still_changed(risky):
    # joined by line breaks, "ok\n" then the risky text: found at its line start
    array = np.array(["ok", "Betong B30\nhvit", " ", risky], dtype=object)
    assert safe_texts(array).tolist() == ["ok", "Betong B30\nhvit", " ", safe_text(risky)]
    assert safe_texts(array)[-1] != risky
