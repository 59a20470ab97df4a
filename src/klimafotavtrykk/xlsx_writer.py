"""A small streamed SpreadsheetML (``.xlsx``) writer for report tables, column at a time.

Reports and tender evaluations are a few tables: one header row, then rows of
numbers and text. This writer turns each *column* of a frame into cell XML
with numpy and pandas (every distinct text is converted once, numbers are
formatted as whole arrays by orjson, in the notation of ``repr``), joins the
columns into rows with one join per sheet and deflates the
sheets into an Office Open XML package. It writes only what a report needs:
string and number cells, a bold header, one number format per column, column
widths and a frozen first row. It never writes a formula: text is always a
shared-string cell (``t="s"``), whatever it starts with.

Why our own writer (issue 13): openpyxl builds a Python object per cell
(≈ 20 s for a 100 000-line report); xlsxwriter and pyexcelerate still make at
least one Python call per cell and were slower still; rustpy-xlsxwriter (Rust)
took 11.5 s on the same frames where this writer took 1.3 s (separate runs),
and has no per-column number format. The figures are in ``benchmarks/test_report_workbook.py``.

The package follows ECMA-376 Part 1 (SpreadsheetML); cells carry no ``r``
reference, which the standard allows: a cell's column is its position in the
row, and an empty cell is written as ``<c/>``.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import numbers
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import orjson
import pandas as pd

__all__ = ["Table", "write_xlsx"]

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_DOC_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_EMPTY = "<c/>"
# Number formats Excel knows by id (ECMA-376 Part 1, 18.8.30); others get ids from 164 up.
_BUILTIN_FORMATS = {"General": 0, "0": 1, "0.00": 2, "#,##0": 3, "#,##0.00": 4, "0%": 9}
_FIRST_CUSTOM_FORMAT = 164
# Python's repr writes a float in exponent form when its decimal exponent is below -4 or at
# least 16 (``float_repr_style`` 'short'); between, it writes plain digits as orjson does.
_PLAIN_FROM, _PLAIN_BELOW = 1e-4, 1e16
# Deflate level: the sheets are long and repetitive; level 1 is several times faster than
# zlib's default and the file only slightly larger.
_COMPRESS_LEVEL = 1


@dataclass(frozen=True)
class Table:
    """One worksheet: a frame, its column widths and number formats.

    Parameters
    ----------
    name : str
        Sheet name (at most 31 characters, checked by the caller).
    frame : pandas.DataFrame
        Header row from the column labels, then one row per frame row.
    widths : sequence of float
        Column widths [characters], one per column.
    formats : sequence of str or None
        Number format of each column's numbers (None: General).
    """

    name: str
    frame: pd.DataFrame
    widths: Sequence[float]
    formats: Sequence[str | None]


def write_xlsx(
    tables: Sequence[Table],
    text: Callable[[np.ndarray], np.ndarray],
    when: dt.datetime,
    creator: str = "klimafotavtrykk",
    progress: Callable[[int, int], None] | None = None,
) -> bytes:
    """An ``.xlsx`` package holding ``tables``, with a bold frozen header row on each sheet.

    Parameters
    ----------
    tables : sequence of Table
        Sheets in order.
    text : callable
        Turns an object array of values that are not numbers into an object array of
        the texts stored, element by element (each distinct value is passed once); an
        empty text leaves the cell empty.
    when : datetime.datetime
        Time put in the document properties and on every zip entry, so that the
        same content and time always give the same bytes.
    creator : str
        Document author recorded in ``docProps/core.xml``.
    progress : callable, optional
        Called as ``progress(done, total)`` after each column is built: cells
        made so far and in all tables (header rows not counted). [-]

    Returns
    -------
    bytes
        The workbook file.
    """
    strings = _SharedStrings()
    styles = _Styles()
    cells = [len(table.frame) for table in tables for _ in table.formats]  # per column
    done = np.cumsum(cells, dtype=np.int64).tolist()
    total = done[-1] if done else 0
    steps = iter(done)

    def advance() -> None:
        if progress is not None:
            progress(next(steps), total)

    sheets = [_sheet_xml(table, text, strings, styles, advance) for table in tables]
    stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ")
    parts: list[tuple[str, bytes]] = [
        ("[Content_Types].xml", _content_types(len(tables))),
        ("_rels/.rels", _ROOT_RELS.encode()),
        ("docProps/app.xml", _APP.encode()),
        ("docProps/core.xml", _core(creator, stamp)),
        ("xl/workbook.xml", _workbook([t.name for t in tables])),
        ("xl/_rels/workbook.xml.rels", _workbook_rels(len(tables))),
        ("xl/styles.xml", styles.xml()),
        ("xl/sharedStrings.xml", strings.xml()),
    ]
    parts += [(f"xl/worksheets/sheet{i}.xml", xml) for i, xml in enumerate(sheets, start=1)]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, content in parts:
            entry = zipfile.ZipInfo(name, date_time=when.timetuple()[:6])
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            archive.writestr(entry, content, compresslevel=_COMPRESS_LEVEL)
    return out.getvalue()


# ----------------------------------------------------------------------------- cells


class _SharedStrings:
    """The workbook's shared-string table: each distinct text stored once, by index."""

    def __init__(self) -> None:
        self.index: dict[str, int] = {}

    def add(self, value: str) -> int:
        return self.index.setdefault(value, len(self.index))

    def add_many(self, values: np.ndarray) -> np.ndarray:
        """Indices of ``values`` (distinct texts), adding the new ones."""
        index = self.index
        return np.fromiter(
            (index.setdefault(v, len(index)) for v in values.tolist()),
            dtype=np.int64,
            count=len(values),
        )

    def xml(self) -> bytes:
        # texts hold no control characters (the caller's ``text`` replaced them), so NUL
        # separates them while all are escaped in one pass: escaping commutes with joining
        opened = '<si><t xml:space="preserve">'
        joined = _escape("\x00".join(self.index)).replace("\x00", "</t></si>" + opened)
        items = f"{opened}{joined}</t></si>" if self.index else ""
        return (f'<sst xmlns="{_MAIN}" uniqueCount="{len(self.index)}">{items}</sst>').encode()


class _Styles:
    """Cell formats: 0 plain, 1 bold header, then one per distinct number format."""

    def __init__(self) -> None:
        self.formats: dict[str, int] = {}

    def number(self, code: str | None) -> int:
        """Style index of numbers in format ``code`` (0 for General)."""
        if code is None or code == "General":
            return 0
        return 2 + self.formats.setdefault(code, len(self.formats))

    def xml(self) -> bytes:
        custom, xfs = [], []
        for code in self.formats:
            number_id = _BUILTIN_FORMATS.get(code)
            if number_id is None:
                number_id = _FIRST_CUSTOM_FORMAT + len(custom)
                custom.append(f'<numFmt numFmtId="{number_id}" formatCode="{_escape_attr(code)}"/>')
            xfs.append(
                f'<xf numFmtId="{number_id}" fontId="0" fillId="0" borderId="0" xfId="0" '
                'applyNumberFormat="1"/>'
            )
        font = '<sz val="11"/><name val="Calibri"/><family val="2"/><scheme val="minor"/>'
        return (
            f'<styleSheet xmlns="{_MAIN}">'
            + (f'<numFmts count="{len(custom)}">{"".join(custom)}</numFmts>' if custom else "")
            + f'<fonts count="2"><font>{font}</font><font><b/>{font}</font></fonts>'
            '<fills count="2"><fill><patternFill patternType="none"/></fill>'
            '<fill><patternFill patternType="gray125"/></fill></fills>'
            '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
            '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
            f'<cellXfs count="{2 + len(xfs)}">'
            '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
            '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
            + "".join(xfs)
            + "</cellXfs>"
            '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
            "</styleSheet>"
        ).encode()


def _escape(value: str) -> str:
    return (
        value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")
    )


def _escape_attr(value: str) -> str:
    return _escape(value).replace('"', "&quot;")


def _number_cell(value: float | int, style: str) -> str | None:
    """One number cell, or None for NaN and infinities (left empty)."""
    if isinstance(value, numbers.Integral):
        return f"<c{style}><v>{int(value)}</v></c>"
    number = float(value)
    if not math.isfinite(number):
        return None
    return f"<c{style}><v>{number!r}</v></c>"


def _float_texts(values: np.ndarray) -> np.ndarray:
    """``repr`` of each number in ``values``, made for the whole array in one call.

    Parameters
    ----------
    values : numpy.ndarray
        Floats of any width up to 64 bits, one dimension; each is written as the double
        it equals. [-]

    Returns
    -------
    numpy.ndarray
        Object array of str: for each value, exactly ``repr(float(value))``.

    Notes
    -----
    orjson writes each double as the shortest text that reads back as the same double,
    as ``repr`` does, and in the same plain notation (``0.1``, ``123.0``, ``-0.0001``)
    for magnitudes in [1e-4, 1e16). Outside that range repr switches to exponent form
    (``1e-05``, ``1e+16``) where orjson writes ``0.00001`` (and, in orjson 3.10,
    ``1e16``), and orjson writes NaN and infinities as ``null``. Those values, and
    zeros, are given ``repr`` itself. ``tests/test_xlsx_writer_floats.py`` checks the
    result against ``repr`` over arbitrary doubles.
    """
    doubles = np.ascontiguousarray(values, dtype=np.float64)
    if doubles.size == 0:
        return np.empty(0, dtype=object)
    dumped = orjson.dumps(doubles, option=orjson.OPT_SERIALIZE_NUMPY)
    texts = np.array(dumped[1:-1].decode().split(","), dtype=object)
    magnitude = np.abs(doubles)
    with np.errstate(invalid="ignore"):
        plain = (magnitude >= _PLAIN_FROM) & (magnitude < _PLAIN_BELOW)  # False for NaN
    other = np.flatnonzero(~plain)
    if other.size:
        texts[other] = list(map(repr, doubles[other].tolist()))
    return texts


def _int_texts(values: np.ndarray) -> list[str]:
    """``str`` of each integer in ``values`` (signed or unsigned, up to 64 bits), in one call.

    orjson writes an integer as its decimal digits with a leading ``-`` when negative,
    as ``str`` does; ``tests/test_xlsx_writer_floats.py`` checks it over the whole
    int64 and uint64 ranges.
    """
    wide = np.ascontiguousarray(values, dtype=np.uint64 if values.dtype.kind == "u" else np.int64)
    if wide.size == 0:
        return []
    return orjson.dumps(wide, option=orjson.OPT_SERIALIZE_NUMPY)[1:-1].decode().split(",")


def _one_text(value: object, text) -> str:
    return text(np.array([value], dtype=object))[0]


def _value_cell(value: object, style: str, text, strings: _SharedStrings) -> str:
    """One cell for any value: numbers as numbers, anything else as a shared string."""
    if value is None or value is pd.NA or value is pd.NaT:
        return _EMPTY
    if isinstance(value, numbers.Real) and not isinstance(value, bool | np.bool_):
        return _number_cell(value, style) or _EMPTY
    shown = _one_text(value, text)
    if not shown:
        return _EMPTY
    return f'<c t="s"><v>{strings.add(shown)}</v></c>'


def _column_cells(
    column: pd.Series, number_format: str | None, text, strings: _SharedStrings, styles: _Styles
) -> list[np.ndarray | str]:
    """Cell XML of every value in ``column``, built per column, not per cell.

    Returns slots, each an object array (one text per row) or a str (the same text in
    every row); joined in order, row by row, they make the cells. Float, integer and
    text columns give the cell's start, its value and its end, so no per-cell string
    is built; where every row has a cell, start and end are one str each, and a column
    with no cell at all is the one str ``<c/>``. The text of each distinct number is
    made once, as ``repr`` writes it (the shortest text that reads back as the same
    float; float64, float32 and float16 columns through :func:`_float_texts`), or as
    ``str`` for integers (:func:`_int_texts`). Other columns are converted value by
    value and give one slot.
    """
    index = styles.number(number_format)
    style = f' s="{index}"' if index else ""
    dtype = column.dtype
    if isinstance(dtype, np.dtype) and dtype.kind in "iuf":
        codes, distinct = pd.factorize(column.to_numpy(), use_na_sentinel=True)
        digits = np.full(len(distinct) + 1, "", dtype=object)  # the last for code -1 (NaN)
        if dtype.kind == "f":
            finite = np.isfinite(distinct)
            if dtype.itemsize <= 8:
                digits[:-1] = _float_texts(distinct)
            else:  # long double: repr of its own scalar type, as before
                digits[:-1] = list(map(repr, distinct.tolist()))
        else:
            finite = np.ones(len(distinct), dtype=bool)
            digits[:-1] = _int_texts(distinct)
        valid = np.append(finite, False)  # code -1 (NaN) indexes the last entry
        digits[~valid] = ""
        return _cell_slots(codes, valid, digits, f"<c{style}><v>")
    values = column.to_numpy(dtype=object)
    if pd.api.types.infer_dtype(values, skipna=True) in ("string", "empty"):
        # text only: factorize never merges values of different types here (True == 1)
        codes, distinct = pd.factorize(values, use_na_sentinel=True)
        shown = np.asarray(text(np.asarray(distinct, dtype=object)), dtype=object)
        valid = np.append(shown != "", False)  # empty text, and code -1 (missing): no cell
        digits = np.full(len(valid), "", dtype=object)
        digits[valid] = _int_texts(strings.add_many(shown[valid[:-1]]))
        return _cell_slots(codes, valid, digits, '<c t="s"><v>')
    # mixed numbers and text (summary and parameter tables): value by value
    return [np.array([_value_cell(v, style, text, strings) for v in values], dtype=object)]


def _cell_slots(
    codes: np.ndarray, valid: np.ndarray, digits: np.ndarray, start: str
) -> list[np.ndarray | str]:
    """Slots of a column's cells: ``start``, the value's text and ``</v></c>``, or ``<c/>``.

    ``codes`` index ``valid`` and ``digits`` (-1: their last entry); a row whose entry is
    not valid gets an empty cell. A column with no cell is the one str ``<c/>``; a column
    of few distinct values (at most half as many as rows) gives one slot, each distinct
    cell made whole once; otherwise start and end are a str each when every row has a
    cell, and arrays when some rows have none.
    """
    present = np.zeros(len(valid), dtype=bool)
    present[codes] = True
    used = valid[present]
    if not used.any():
        return [_EMPTY]
    if len(valid) <= len(codes) // 2:
        cells = np.where(valid, start + digits + "</v></c>", _EMPTY)
        return [cells[codes]]
    if used.all():
        return [start, digits[codes], "</v></c>"]
    starts = np.where(valid, start, _EMPTY).astype(object)
    ends = np.where(valid, "</v></c>", "").astype(object)
    return [starts[codes], digits[codes], ends[codes]]


# ----------------------------------------------------------------------------- parts


def _sheet_xml(
    table: Table,
    text,
    strings: _SharedStrings,
    styles: _Styles,
    advance: Callable[[], None] = lambda: None,
) -> bytes:
    frame = table.frame
    n_rows = len(frame)
    header = "".join(
        f'<c t="s" s="1"><v>{strings.add(shown)}</v></c>'
        if (shown := _one_text(label, text))
        else _EMPTY
        for label in frame.columns
    )
    # slots of each row: its start tag, each column's slots, "</row>"; a single join of
    # the row-major grid makes the sheet, with no intermediate row or cell strings
    slots: list[np.ndarray | str] = ['<row r="', _int_texts(np.arange(2, n_rows + 2)), '">']
    for position, fmt in enumerate(table.formats):
        slots += _column_cells(frame.iloc[:, position], fmt, text, strings, styles)
        advance()
    slots.append("</row>")
    cols = "".join(
        f'<col min="{i}" max="{i}" width="{w:g}" customWidth="1"/>'
        for i, w in enumerate(table.widths, start=1)
    )
    head = (
        f'<worksheet xmlns="{_MAIN}" xmlns:r="{_REL}">'
        '<sheetViews><sheetView workbookViewId="0">'
        '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
        '<selection pane="bottomLeft" activeCell="A2" sqref="A2"/></sheetView></sheetViews>'
        '<sheetFormatPr defaultRowHeight="15"/>'
        + (f"<cols>{cols}</cols>" if cols else "")
        + f'<sheetData><row r="1">{header}</row>'
    )
    return _joined_rows(slots, n_rows, head, "</sheetData></worksheet>").encode()


def _joined_rows(
    slots: Sequence[np.ndarray | Sequence[str] | str],
    n_rows: int,
    before: str = "",
    after: str = "",
) -> str:
    """``before``, then ``slots`` joined in order row after row, then ``after``: one join.

    Each slot is one text per row, or a str that every row has; neighbouring str slots
    are merged first, and a row's last str slot with the next row's first, so the grid
    joined holds only one item per row for each run of constant text. ``before`` and
    ``after`` go into the grid's first and last item, so the sheet's text is made by
    the one join, with no copy of it to add its head and end.
    """
    merged: list = []
    for slot in slots:
        if isinstance(slot, str) and merged and isinstance(merged[-1], str):
            merged[-1] += slot
        else:
            merged.append(slot)
    if n_rows == 0 or not merged:
        return before + after
    lead = tail = ""
    if len(merged) > 1 and isinstance(merged[0], str) and isinstance(merged[-1], str):
        # "</row>" and the next row's '<row r="': one item; the first row's lead goes before
        lead, tail = merged[0], merged[-1]
        merged = [*merged[1:-1], tail + lead]
    grid = np.empty((n_rows, len(merged)), dtype=object)
    for position, slot in enumerate(merged):
        grid[:, position] = slot
    grid[0, 0] = before + lead + grid[0, 0]
    grid[-1, -1] = (tail if lead else grid[-1, -1]) + after
    return "".join(grid.ravel().tolist())


_ROOT_RELS = (
    f'<Relationships xmlns="{_PKG_REL}">'
    f'<Relationship Id="rId1" Type="{_DOC_REL}/officeDocument" Target="xl/workbook.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/'
    'metadata/core-properties" Target="docProps/core.xml"/>'
    f'<Relationship Id="rId3" Type="{_DOC_REL}/extended-properties" Target="docProps/app.xml"/>'
    "</Relationships>"
)
_APP = (
    '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
    'extended-properties"><Application>klimafotavtrykk</Application></Properties>'
)


def _core(creator: str, stamp: str) -> bytes:
    return (
        '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/'
        'core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:dcterms="http://purl.org/dc/terms/" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f"<dc:creator>{_escape(creator)}</dc:creator>"
        f'<dcterms:created xsi:type="dcterms:W3CDTF">{stamp}</dcterms:created>'
        f'<dcterms:modified xsi:type="dcterms:W3CDTF">{stamp}</dcterms:modified>'
        "</cp:coreProperties>"
    ).encode()


def _content_types(n_sheets: int) -> bytes:
    office = "application/vnd.openxmlformats-officedocument"
    sheets = "".join(
        f'<Override PartName="/xl/worksheets/sheet{i}.xml" '
        f'ContentType="{office}.spreadsheetml.worksheet+xml"/>'
        for i in range(1, n_sheets + 1)
    )
    return (
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/xl/workbook.xml" ContentType="{office}.spreadsheetml.sheet.main+xml"/>'
        f'<Override PartName="/xl/styles.xml" ContentType="{office}.spreadsheetml.styles+xml"/>'
        f'<Override PartName="/xl/sharedStrings.xml" '
        f'ContentType="{office}.spreadsheetml.sharedStrings+xml"/>'
        '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-'
        'package.core-properties+xml"/>'
        f'<Override PartName="/docProps/app.xml" ContentType="{office}.extended-properties+xml"/>'
        f"{sheets}</Types>"
    ).encode()


def _workbook(names: Sequence[str]) -> bytes:
    sheets = "".join(
        f'<sheet name="{_escape_attr(name)}" sheetId="{i}" r:id="rId{i}"/>'
        for i, name in enumerate(names, start=1)
    )
    return (
        f'<workbook xmlns="{_MAIN}" xmlns:r="{_REL}"><bookViews><workbookView/></bookViews>'
        f"<sheets>{sheets}</sheets></workbook>"
    ).encode()


def _workbook_rels(n_sheets: int) -> bytes:
    rels = [
        f'<Relationship Id="rId{i}" Type="{_DOC_REL}/worksheet" Target="worksheets/sheet{i}.xml"/>'
        for i in range(1, n_sheets + 1)
    ]
    rels.append(
        f'<Relationship Id="rId{n_sheets + 1}" Type="{_DOC_REL}/styles" Target="styles.xml"/>'
    )
    rels.append(
        f'<Relationship Id="rId{n_sheets + 2}" Type="{_DOC_REL}/sharedStrings" '
        'Target="sharedStrings.xml"/>'
    )
    return f'<Relationships xmlns="{_PKG_REL}">{"".join(rels)}</Relationships>'.encode()
