"""From a sheet's grid of cell values to item lines and per-cell findings.

The reading side (:mod:`klimafotavtrykk.quantities.excel`) hands over the grid
below the header; this module decides which rows are item lines, types their
columns, and records every cell that was not a plain value (text numbers,
formulas, hidden rows, float item codes, duplicate option blocks) and every
non-blank row that is not an item, with its reason.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Collection
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from klimafotavtrykk._string_storage import none_cells
from klimafotavtrykk.errors import InputError
from klimafotavtrykk.provenance import cell_ref, column_letter, source_refs
from klimafotavtrykk.quantities._metadata import CELLS_COLUMNS, SKIPPED_COLUMNS, Note
from klimafotavtrykk.quantities.headers import HeaderMatch, header_aliases, normalise_header
from klimafotavtrykk.quantities.numbers import (
    NumberCells,
    _type_codes,
    read_numbers,
    strip_texts,
)
from klimafotavtrykk.vocabulary import LINE_COLUMNS, OPTIONAL_LINE_COLUMNS

if TYPE_CHECKING:
    from klimafotavtrykk.quantities.excel import _Features

_TEXT_COLUMNS = ("post_number", "item_code", "description", "building_part", "unit",
                 "factor_id", "transport_mode")
_NUMBER_COLUMNS = ("quantity", "transport_km", "waste_rate")
#: Optional numeric columns (layer thickness): read when the sheet has them, else absent.
_OPTIONAL_NUMBER_COLUMNS = tuple(OPTIONAL_LINE_COLUMNS)
_CODE_COLUMNS = ("post_number", "item_code")
_SUBTOTAL = re.compile(
    r"(?i)\s*(?:sum\b|sum\w*:|delsum|subtotal|sub-total|total\b|totalt|til sammen|"
    r"å overføre|overført|samlet|sammendrag)")
_OPTION = re.compile(r"(?i)\b(?:opsjon|option|alternativ)")
_DECIMAL_CODE = re.compile(r"\d+(?:\.\d+)?")
_DETAIL_CHARS = 200

def _blank(values: np.ndarray, kinds: np.ndarray | None = None) -> np.ndarray:
    """True where a cell is empty or whitespace-only text."""
    values = np.asarray(values, dtype=object).reshape(-1)
    kinds = _type_codes(values) if kinds is None else kinds
    blank = np.zeros(values.size, dtype=bool)
    text = np.flatnonzero(kinds == 1)
    if text.size:
        blank[text] = strip_texts(values[text]) == ""
    return blank


def _number_text(values: np.ndarray) -> np.ndarray:
    """Shortest text of numbers: ``231.0`` -> ``"231"``, ``2.3`` -> ``"2.3"``.

    Each distinct number is formatted once (building parts repeat a handful of codes).
    """
    values = np.asarray(values, dtype=float).reshape(-1)
    codes, uniques = pd.factorize(values, use_na_sentinel=False)
    uniques = np.asarray(uniques, dtype=float)
    text = np.frompyfunc(repr, 1, 1)(uniques).astype(object) if uniques.size else np.empty(
        0, dtype=object)
    whole = np.isfinite(uniques) & (uniques == np.round(uniques)) & (np.abs(uniques) < 1e15)
    if whole.any():
        text[whole] = uniques[whole].astype(np.int64).astype(str).astype(object)
    return text[codes]


def _texts(values: np.ndarray, kinds: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Cell values as stripped text (None when blank) and a mask of numeric cells."""
    out, numeric, _ = _text_cells(values, kinds)
    return out, numeric


def _text_cells(values: np.ndarray, kinds: np.ndarray | None = None
                ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """:func:`_texts`, and a mask of the text cells that strip to nothing (blank)."""
    values = np.asarray(values, dtype=object).reshape(-1)
    kinds = _type_codes(values) if kinds is None else kinds
    if values.size and (kinds == kinds[0]).all() and kinds[0] <= 1:  # one kind: no gathering
        if kinds[0] == 1 and values[0] == "" and (values == "").all():
            # a column left empty (a bid's item codes, factor ids, transport modes): what
            # stripping gives, without stripping every cell (0.03 ms where that is 0.14 ms)
            blank = np.ones(values.size, dtype=bool)
            return np.full(values.size, None, dtype=object), ~blank, blank
        if kinds[0] == 1:
            out = strip_texts(values)
            blank = out == ""
            out[blank] = None
            return out, np.zeros(values.size, dtype=bool), blank
        return (_number_text(values.astype(float)), np.ones(values.size, dtype=bool),
                np.zeros(values.size, dtype=bool))
    out = values.copy()
    blank = np.zeros(values.size, dtype=bool)
    text = np.flatnonzero(kinds == 1)
    if text.size:
        stripped = strip_texts(values[text])
        empty = stripped == ""
        stripped[empty] = None
        out[text] = stripped
        blank[text[empty]] = True
    numeric = kinds == 0
    if numeric.any():
        out[numeric] = _number_text(values[numeric].astype(float))
    other = kinds >= 2
    if other.any():
        out[other] = np.frompyfunc(str, 1, 1)(values[other])
    return out, numeric, blank


def _joined(*parts) -> np.ndarray:
    """Element-wise concatenation of strings and object arrays of str."""
    out = None
    for part in parts:
        piece = np.asarray(part, dtype=object)
        out = piece if out is None else np.frompyfunc(str.__add__, 2, 1)(
            out.astype(object) if isinstance(out, np.ndarray) else out, piece)
    return np.asarray(out, dtype=object)


class _Findings:
    """Per-cell findings, kept as (row, column) arrays; references are built once."""

    def __init__(self, file, sheet):
        self.file, self.sheet = file, sheet
        self.parts: list[tuple[np.ndarray, ...]] = []

    def add(self, rows, col, kind, found, detail) -> None:
        """Add findings at 1-based ``rows`` and 0-based ``col`` (scalar or per row)."""
        rows = np.asarray(rows, dtype=np.int64).reshape(-1)
        n = rows.size
        if not n:
            return

        def full(x, dtype=object):
            arr = np.asarray(x, dtype=dtype)
            return np.full(n, x, dtype=dtype) if arr.ndim == 0 else arr.reshape(-1)

        self.parts.append((rows, full(col, np.int64), full(kind), full(found), full(detail)))

    def frame(self) -> pd.DataFrame:
        if not self.parts:
            return _object_frame(dict.fromkeys(CELLS_COLUMNS, ()), 0)
        rows, cols, kind, found, detail = (np.concatenate([p[i] for p in self.parts])
                                           for i in range(5))
        error = kind == "error_value"
        if error.any():  # an error value reads as an empty cell: report the error only
            at_error = set(zip(rows[error].tolist(), cols[error].tolist(), strict=True))
            empty = np.flatnonzero(kind == "empty")
            drop = [i for i in empty if (rows[i], cols[i]) in at_error]  # error cells, few
            keep = np.setdiff1d(np.arange(rows.size), drop)
            rows, cols, kind, found, detail = (a[keep] for a in (rows, cols, kind, found, detail))
        order = np.lexsort((cols, rows))
        refs = source_refs(self.file, self.sheet, rows[order], cols[order])
        return _object_frame(dict(zip(
            CELLS_COLUMNS, (refs, kind[order], found[order], detail[order]), strict=True)),
            rows.size)


def _object_frame(columns: dict[str, object], n: int) -> pd.DataFrame:
    """A frame of object columns of length ``n`` (no text inference), on a RangeIndex.

    Built in one constructor call with ``dtype=object``: no Series per column
    (each would be realigned and copied on its own index), which costs more
    than the rest of a small frame.
    """
    return pd.DataFrame(columns, index=pd.RangeIndex(n), dtype=object)


# ------------------------------------------------------------ the reading
def _row_detail(grid_rows: np.ndarray) -> list[str]:
    """Text of each row's non-empty cells, joined, for meta.skipped."""
    out = []
    for row in grid_rows:  # skipped rows only (headings, sums): not line items
        text = " | ".join(str(v).strip() for v in row if not (isinstance(v, str) and not v.strip()))
        out.append(text[:_DETAIL_CHARS])
    return out


def _grid(rows: list[list]) -> np.ndarray:
    """The sheet as a 2-D object array (rows from calamine are all equally long)."""
    width = len(rows[0]) if rows else 0
    if not rows or not width:
        return np.empty((len(rows), width), dtype=object)
    lengths = set(map(len, rows))  # one C-level pass over the row lists
    if lengths == {width}:
        # One flat pass, no shape discovery: about 3 times faster than np.array(rows).
        cells = itertools.chain.from_iterable(rows)
        return np.fromiter(cells, dtype=object, count=len(rows) * width).reshape(
            len(rows), width)
    width = max(lengths)  # ragged: fill by row
    grid = np.full((len(rows), width), "", dtype=object)
    for r, row in enumerate(rows):  # only for unusual input; calamine rows are rectangular
        grid[r, :len(row)] = row
    return grid


def _lines(grid: np.ndarray, merged, header: HeaderMatch, file, sheet: str,
           number_locale, features: _Features, extra_columns: dict[str, int] | None = None,
           untyped: Collection[str] = ()):
    """Item lines and findings of one sheet below its header (see the module docstring).

    The extra columns (``extra_columns``: name -> 0-based column) are the cells as read, blanks
    None; those named in ``untyped`` stay ``object``, the others are typed as a new column is.
    """
    start = header.data_start
    body = grid[start:]
    n_body = len(body)
    cols = header.columns
    qcol = cols["quantity"]
    findings = _Findings(file, sheet)
    notes: list[str] = []

    def column(name):
        return body[:, cols[name]]

    texts: dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]] = {}

    def text_of(name):
        """Stripped text (None where blank), numeric mask and blank mask of a text column, once."""
        if name not in texts:
            texts[name] = _text_cells(column(name))
        return texts[name]

    # which rows are item lines
    q_raw = column("quantity")
    q_kinds = _type_codes(q_raw)
    q_blank = _blank(q_raw, q_kinds)
    if "unit" in cols:
        u_blank = text_of("unit")[2]  # text that strips to nothing
    else:
        u_blank = np.ones(n_body, dtype=bool)
    candidate = ~q_blank | ~u_blank
    others = np.flatnonzero(~candidate)
    row_filled = np.zeros(n_body, dtype=bool)
    first_col = np.zeros(n_body, dtype=np.int64)
    if others.size and body.shape[1]:
        sub = body[others]
        filled = ~_blank(sub.reshape(-1)).reshape(sub.shape)  # whitespace-only counts as blank
        row_filled[others] = filled.any(axis=1)
        first_col[others] = filled.argmax(axis=1)

    code_blank = np.ones(n_body, dtype=bool)
    for name in _CODE_COLUMNS:
        if name in cols:
            code_blank &= column(name) == ""
    subtotal = np.zeros(n_body, dtype=bool)
    label_name = "description" if "description" in cols else (
        "post_number" if "post_number" in cols else None)
    maybe = np.flatnonzero(candidate & code_blank)
    if maybe.size and label_name is not None:
        label = text_of(label_name)[0][maybe]
        subtotal[maybe] = pd.Series(label, dtype=object).str.match(_SUBTOTAL).fillna(
            False).to_numpy(dtype=bool)
    repeated_header = np.zeros(n_body, dtype=bool)
    maybe = np.flatnonzero(candidate & (q_kinds == 1) & ~q_blank)
    if maybe.size:
        aliases = header_aliases()
        keys = pd.Series(q_raw[maybe], dtype=object).map(
            lambda v: aliases.get(normalise_header(v)))  # text quantity cells only
        repeated_header[maybe] = (keys == "quantity").to_numpy(dtype=bool)
    item = candidate & ~subtotal & ~repeated_header
    reason = np.full(n_body, None, dtype=object)
    reason[row_filled] = "heading"
    reason[subtotal] = "subtotal"
    reason[repeated_header] = "repeated_header"
    extra = np.flatnonzero(subtotal | repeated_header)
    if extra.size:
        sub = body[extra]
        first_col[extra] = (~_blank(sub.reshape(-1)).reshape(sub.shape)).argmax(axis=1)

    idx = np.flatnonzero(item)
    n = idx.size
    sheet_rows = start + idx + 1  # 1-based
    refs = source_refs(file, sheet, sheet_rows, qcol)

    data: dict[str, object] = {"row_id": np.arange(n, dtype=np.int64), "source_ref": refs}
    for name in _TEXT_COLUMNS:
        if name not in cols:
            data[name] = np.full(n, None, dtype=object)
            continue
        full_text, full_numeric, _ = text_of(name)
        text, numeric = full_text[idx], full_numeric[idx]
        data[name] = text
        if not numeric.any():  # the raw cells matter only for numbers in a text column
            continue
        raw = column(name)[idx]
        if name in _CODE_COLUMNS:
            _code_findings(findings, text, numeric, raw, sheet_rows, cols[name], name)
        elif name == "building_part":
            values = raw[numeric].astype(float)
            odd = values != np.round(values)
            findings.add(sheet_rows[numeric][odd], cols[name], "float_item_code",
                         _number_text(values[odd]), "building part stored as a number with "
                         "decimals; read as that text")
    for name in _NUMBER_COLUMNS:
        if name not in cols:
            data[name] = np.full(n, np.nan)
            continue
        kinds = q_kinds[idx] if name == "quantity" else None
        parsed = read_numbers(column(name)[idx], number_locale, percent=(name == "waste_rate"),
                              kinds=kinds)
        data[name] = parsed.values
        _number_findings(findings, parsed, sheet_rows, cols[name], name)
    optional = [name for name in _OPTIONAL_NUMBER_COLUMNS if name in cols]
    for name in optional:
        parsed = read_numbers(column(name)[idx], number_locale, percent=False, kinds=None)
        data[name] = parsed.values
        _number_findings(findings, parsed, sheet_rows, cols[name], name)
    q = data["quantity"]
    negative = q < 0
    findings.add(sheet_rows[negative], qcol, "negative_quantity", _number_text(q[negative]),
                 "negative quantity kept as written")
    if "unit" in cols:
        _unit_findings(findings, data["unit"], sheet_rows, cols["unit"])
    else:
        notes.append(Note("no_unit_column", "no unit column was found; every line lacks a unit"))

    skipped, skipped_rows = _skipped(grid, start, header, reason, first_col, file, sheet)
    _formula_findings(findings, features, header, start, file, sheet)
    _hidden_findings(findings, features, header, sheet_rows, qcol, skipped_rows)
    _merged_findings(findings, merged, header, start)
    separators = np.flatnonzero(~none_cells(reason))  # reason: str or None
    notes.extend(_duplicate_blocks(findings, data, idx, separators, body, sheet_rows, qcol))
    if header.unmapped:
        listed = ", ".join(f"{column_letter(c)} ({t!r})" for c, t in header.unmapped)
        notes.append(Note("unmapped_columns", f"columns {listed} are not read", columns=listed))
    if header.repeated:
        listed = ", ".join(f"{column_letter(c)} ({t!r} = {k})" for c, t, k in header.repeated)
        shown = ", ".join(f"{column_letter(c)} ({t!r})" for c, t, _ in header.repeated)
        notes.append(Note("repeated_columns", f"columns {listed} repeat a column already read "
                          "and are not read", columns=shown))

    index = pd.RangeIndex(n)  # one index object: the Series on it are not realigned (copied)
    columns: dict[str, object] = {
        c: (pd.Series(data[c], dtype=object, copy=False, index=index)
            if c in _TEXT_COLUMNS or c == "source_ref"
            else np.asarray(data[c], dtype=np.int64 if c == "row_id" else np.float64))
        for c in (*LINE_COLUMNS, *optional)}
    for name, col in (extra_columns or {}).items():  # extra columns: cell values as read
        values = body[idx, col]  # a copy (fancy indexing)
        values[values == ""] = None
        # typed as a new column is (text columns infer str), unless the caller types it itself
        columns[name] = (pd.Series(values, dtype=object, copy=False, index=index)
                         if name in untyped else values)
    items = pd.DataFrame(columns, index=index, copy=False)  # once, every column
    return items, {"skipped": skipped, "cells": findings.frame(), "notes": notes}


def _skipped(grid, start, header, reason, first_col, file, sheet):
    """meta.skipped and the 1-based rows it lists."""
    top = grid[:start]
    top_filled = (~_blank(top.reshape(-1)).reshape(top.shape) if top.size
                  else np.zeros(top.shape, dtype=bool))
    top_rows = (np.flatnonzero(top_filled.any(axis=1)) if top.size
                else np.zeros(0, dtype=np.int64))
    top_reason = np.where(top_rows >= header.row, "header", "title_block").astype(object)
    body_rows = np.flatnonzero(~none_cells(reason))  # reason: str or None
    at = np.concatenate([top_rows, start + body_rows]).astype(np.int64)
    cols = np.concatenate([
        top_filled[top_rows].argmax(axis=1) if top_rows.size else np.zeros(0, np.int64),
        first_col[body_rows]]).astype(np.int64)
    why = np.concatenate([top_reason, reason[body_rows]]).astype(object)
    detail = _row_detail(grid[at]) if at.size else []
    frame = _object_frame(dict(zip(SKIPPED_COLUMNS, (
        source_refs(file, sheet, at + 1, cols), why, detail), strict=True)), at.size)
    return frame, (at + 1, cols)


def _number_findings(findings: _Findings, parsed: NumberCells, rows, col, name: str) -> None:
    kinds = parsed.kind
    reported = ~none_cells(kinds)  # kind: str or None, told apart by address
    if name != "quantity":
        reported &= kinds != "empty"
    if not reported.any():
        return
    detail = parsed.detail[reported]
    if name != "quantity":
        detail = _joined(f"{name}: ", detail)
    findings.add(rows[reported], col, kinds[reported], parsed.found[reported], detail)


def _code_findings(findings, text, numeric, raw, rows, col, name) -> None:
    """Item and post numbers stored as numbers, and collisions such as 7.1 and 7.10."""
    values = raw[numeric].astype(float)
    shown = text[numeric]
    exact = np.frompyfunc(lambda v: f"{v:.15g}", 1, 1)(values)
    artefact = shown != exact
    detail = _joined(f"{name} stored as a number; read as text ", shown)
    if artefact.any():
        detail[artefact] = _joined(f"{name} stored as a number with a floating-point artefact; "
                                   "read as ", shown[artefact], ", probably meant ",
                                   exact[artefact].astype(object))
    findings.add(rows[numeric], col, "float_item_code", shown, detail)
    # a number loses trailing zeros: 7.10 stored as a number reads 7.1
    series = pd.Series(text, dtype=object)
    decimal = series.str.fullmatch(_DECIMAL_CODE).fillna(False).to_numpy(dtype=bool)
    at = np.flatnonzero(decimal)
    if at.size < 2:
        return
    frame = pd.DataFrame({"text": text[at], "key": series[decimal].astype(float).to_numpy(),
                          "numeric": numeric[at]})
    by_key = frame.groupby("key")
    spellings = by_key["text"].transform("nunique").to_numpy()
    has_number = by_key["numeric"].transform("any").to_numpy(dtype=bool)
    numbers_twice = by_key["numeric"].transform("sum").to_numpy() > 1
    collide = has_number & ((spellings > 1) | numbers_twice)
    if collide.any():
        sub = frame[collide]
        group = sub.groupby("key")["text"]
        spelled = group.agg(lambda s: ", ".join(dict.fromkeys(s))).reindex(sub["key"])
        counts = group.size().reindex(sub["key"]).astype(str)
        detail = _joined(f"{name} ", sub["text"].to_numpy(dtype=object), " is one of ",
                         counts.to_numpy(dtype=object), " lines with the number ",
                         spelled.to_numpy(dtype=object), "; a number stored in a cell loses "
                         "trailing zeros (7.10 reads 7.1), so these may be different posts")
        findings.add(rows[at[collide]], col, "item_code_collision",
                     sub["text"].to_numpy(dtype=object), detail)


#: Unit spelling -> known to the unit table (:func:`klimafotavtrykk.units.parse_units`, whose
#: alias table is read once per process), for the spellings this process has met.
_KNOWN_UNITS: dict[str, bool] = {}
#: Most spellings remembered (a hostile file may hold a new one in every cell).
_KNOWN_UNITS_MAX = 10_000


def _unit_findings(findings, units, rows, col) -> None:
    from klimafotavtrykk.units import parse_units

    if not len(units):
        return
    codes, distinct = pd.factorize(np.asarray(units, dtype=object))
    if not len(distinct):
        return
    new = [d for d in distinct if d not in _KNOWN_UNITS]  # distinct spellings, not lines
    parsed = {}
    if new:
        parsed = dict(zip(new, parse_units(new)["known"].to_numpy(dtype=bool).tolist(),
                          strict=True))
        if len(_KNOWN_UNITS) + len(new) <= _KNOWN_UNITS_MAX:
            _KNOWN_UNITS.update(parsed)
    known = np.array([parsed[d] if d in parsed else _KNOWN_UNITS[d] for d in distinct],
                     dtype=bool)
    unknown = (codes >= 0) & ~np.append(known, True)[codes]
    findings.add(rows[unknown], col, "unknown_unit", units[unknown],
                 "unit spelling not in data/units/aliases.csv")


def _formula_findings(findings, features, header, start, file, sheet) -> None:
    inverse = {i: c for c, i in header.columns.items()}
    read = [f for f in features.formulas  # formula cells only
            if f.row is not None and f.row - 1 >= start and f.col in inverse]
    _refuse_formulas_without_value([f for f in read if not f.has_value], file, sheet)
    for f in read:
        name = inverse[f.col]
        if f.cell_type == "e":
            findings.add([f.row], f.col, "error_value", f.value or "#ERROR",
                         f"{name}: the formula {f.text} gives an error; not read")
        elif f.external:
            findings.add([f.row], f.col, "external_reference", f.text,
                         f"{name}: refers to another workbook; cached value {f.value!r} "
                         "used, link not followed")
        else:
            findings.add([f.row], f.col, "formula", f.text,
                         f"{name}: cached value {f.value!r} used")


#: Most cells an error names one by one; the rest are counted.
_LISTED_CELLS = 50


def _refuse_formulas_without_value(missing, file, sheet) -> None:
    """One error naming every formula cell read that has no cached value (the first as its cell)."""
    if not missing:
        return
    first = missing[0]
    listed = ", ".join(f"{cell_ref(f.row, f.col)} ({f.text})" for f in missing[:_LISTED_CELLS])
    more = (f" and {len(missing) - _LISTED_CELLS} more" if len(missing) > _LISTED_CELLS else "")
    cells = "the cell holds" if len(missing) == 1 else f"{len(missing)} cells hold"
    raise InputError(
        f"{cells} a formula without a cached value: {listed}{more}; open and save the file in "
        "Excel to store the values", file=file, sheet=sheet, cell=cell_ref(first.row, first.col),
        expected="a formula with its cached value",
        found=first.text if len(missing) == 1 else listed + more, code="formula_without_value")


def _hidden_findings(findings, features, header, item_rows, qcol, skipped_rows) -> None:
    if features.hidden_rows:
        hidden = np.fromiter(features.hidden_rows, dtype=np.int64)
        on_item = np.isin(item_rows, hidden)
        findings.add(item_rows[on_item], qcol, "hidden_row", "hidden",
                     "row hidden in Excel; read")
        rows, cols = skipped_rows
        on_skip = np.isin(rows, hidden)
        findings.add(rows[on_skip], cols[on_skip], "hidden_row", "hidden",
                     "row hidden in Excel; read (not an item line)")
    inverse = {i: c for c, i in header.columns.items()}
    for lo, hi in features.hidden_cols:  # hidden <col> ranges, few
        for col in sorted(c for c in inverse if lo <= c <= hi):
            findings.add([header.row + 1], col, "hidden_column", "hidden",
                         f"column {column_letter(col)} ({inverse[col]}) is hidden in Excel; read")


def _merged_findings(findings, merged, header, start) -> None:
    inverse = {i: c for c, i in header.columns.items()}
    for (r0, c0), (r1, c1) in merged:  # merged ranges, few
        if r1 <= r0 or r1 < start:
            continue
        for col in sorted(c for c in inverse if c0 <= c <= c1):
            findings.add([r0 + 1], col, "merged_cell", "merged",
                         f"{inverse[col]}: merged over rows {max(r0, start) + 1}-{r1 + 1}; only "
                         f"row {r0 + 1} holds the value")


def _duplicate_blocks(findings, data, idx, separators, body, sheet_rows, qcol) -> list[str]:
    """Blocks of item lines between headings that repeat an earlier block."""
    if idx.size < 2 or not separators.size:
        return []
    block = np.searchsorted(separators, idx)
    bounds = np.flatnonzero(np.diff(block)) + 1
    if not bounds.size:
        return []
    starts = np.concatenate([[0], bounds])
    ends = np.concatenate([bounds, [idx.size]])
    # A block repeats another only if its first line's description does: look at those first.
    firsts, _ = pd.factorize(pd.Series(data["description"][starts], dtype=object))
    if np.unique(firsts).size == firsts.size:
        return []
    # Descriptions first; item codes and units only where the descriptions already repeat.
    key, _ = pd.factorize(pd.Series(data["description"], dtype=object))
    key = key.astype(np.int64)
    signatures = [key[a:b].tobytes() for a, b in zip(starts, ends, strict=True)]  # per block
    if len(set(signatures)) == len(signatures):
        return []
    for name in ("item_code", "unit"):
        codes, uniques = pd.factorize(pd.Series(data[name], dtype=object))
        key = key * (len(uniques) + 1) + (codes + 1)  # exact while the product fits
    signatures = [key[a:b].tobytes() for a, b in zip(starts, ends, strict=True)]
    first_seen: dict[bytes, int] = {}
    notes = []

    def heading(i):
        b = block[starts[i]]
        if b == 0:
            return ""
        texts = [str(v).strip() for v in body[separators[b - 1]] if str(v).strip()]
        return texts[0] if texts else ""

    def rows(i):
        title = heading(i)  # "under" is the same word in bokmål and English
        return (f"{sheet_rows[starts[i]]}-{sheet_rows[ends[i] - 1]}"
                + (f" under {title!r}" if title else ""))

    def span(i):
        return "rows " + rows(i)

    for i, signature in enumerate(signatures):  # one step per block, not per line
        j = first_seen.setdefault(signature, i)
        if j == i:
            continue
        size = ends[i] - starts[i]
        if size < 2 and not (_OPTION.search(heading(i)) and _OPTION.search(heading(j))):
            continue
        orig = span(j)
        notes.append(Note("duplicate_block", f"{span(i)} repeat the lines of {orig}; both are "
                          "kept and both count unless you choose one", rows=rows(i),
                          orig=rows(j)))
        findings.add(sheet_rows[starts[i]:ends[i]], qcol, "duplicate_block", "repeated block",
                     f"same lines as {orig}")
    return notes
