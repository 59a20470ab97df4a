"""Read a bill of quantities from an .xlsx workbook: safely, fast, and without losing a line.

The workbook's bytes pass :func:`klimafotavtrykk.quantities.safety.check_archive`
before any parser sees them. Values come from calamine (Rust), which reads a
100 000-line sheet about ten times faster than openpyxl; formulas, hidden rows
and columns and the sheet-to-part map, which calamine does not expose, come
from :mod:`klimafotavtrykk.quantities._sheetxml`, only where the safety scan
saw them. Formulas are never evaluated: Excel's cached values are used.

What counts as an item line: a row below the header with something in its
quantity or unit cell. Every other non-blank row goes to
:attr:`BoqMetadata.skipped` with a reason; every cell that was not a plain
value goes to :attr:`BoqMetadata.cells`. See
:data:`~klimafotavtrykk.quantities._metadata.SKIP_REASONS` and
:data:`~klimafotavtrykk.quantities._metadata.CELL_KINDS`.
"""

from __future__ import annotations

import dataclasses
import io
import os
import warnings
from collections.abc import Collection
from pathlib import Path

import pandas as pd

from klimafotavtrykk.errors import (
    DataQualityWarning,
    InputError,
    UnsafeWorkbookError,
    user_stacklevel,
)
from klimafotavtrykk.gc_pause import collector_paused
from klimafotavtrykk.provenance import column_letter, sha256_bytes
from klimafotavtrykk.quantities._lines import _grid, _lines
from klimafotavtrykk.quantities._metadata import BoqMetadata, Note
from klimafotavtrykk.quantities._sheetxml import formulas, hidden_rows_and_columns, sheet_parts
from klimafotavtrykk.quantities.headers import (
    HeaderMatch,
    find_header,
    header_aliases,
    normalise_header,
)
from klimafotavtrykk.quantities.numbers import (
    check_locale,
)
from klimafotavtrykk.quantities.safety import Archive, ReadLimits, check_archive

__all__ = ["read_excel", "read_workbook", "read_bytes", "open_workbook", "CheckedWorkbook"]

# Notes kept in meta.warnings without a Python warning: they describe, they do not warn.
_QUIET = frozenset({"unmapped_columns"})
# Most cells an error lists by name (the rest are counted).
_LISTED = 20
# Share of a read's progress [%] at the end of each stage: archive check, sheet parse, line
# typing; from the issue #13 profile of a 100 000-line read (0.19 s, 0.44 s, 0.17 s).
_CHECKED, _PARSED, _DONE = 25, 75, 100


def _report(progress, done: float) -> None:
    """Tell ``progress`` how far the read is, in percent (nothing when it is None)."""
    if progress is not None:
        progress(done, _DONE)


# -------------------------------------------------------------- file access
def read_bytes(path, limits: ReadLimits | None = None) -> tuple[str, bytes]:
    """Read a file whole, refusing it before reading when it is larger than the cap.

    Parameters
    ----------
    path : str or os.PathLike
    limits : ReadLimits, optional

    Returns
    -------
    name : str
        File name without directory.
    data : bytes

    Raises
    ------
    InputError
        Codes ``bad_path``, ``file_not_found``, ``unreadable_file``,
        ``empty_file``.
    UnsafeWorkbookError
        Code ``file_too_large``.
    """
    limits = limits or ReadLimits()
    if not isinstance(path, (str, os.PathLike)):
        raise InputError("the path must be a file name", expected="str or path",
                         found=type(path).__name__, code="bad_path")
    path = Path(path)
    name = path.name
    try:
        size = path.stat().st_size
        if path.is_dir():
            raise InputError("the path is a folder, not a file", file=name,
                             expected="a file", found="folder", code="bad_path")
        if size > limits.max_file_bytes:
            raise UnsafeWorkbookError(
                "the file is too large to open safely", file=name,
                expected=f"at most {limits.max_file_bytes} bytes", found=f"{size} bytes",
                code="file_too_large")
        with open(path, "rb") as handle:
            data = handle.read(limits.max_file_bytes + 1)
    except FileNotFoundError:
        raise InputError("file not found", file=name, expected="an existing file",
                         found=str(path), code="file_not_found") from None
    except OSError as exc:
        raise InputError(f"the file cannot be read ({exc.strerror or type(exc).__name__})",
                         file=name, code="unreadable_file") from None
    if len(data) > limits.max_file_bytes:
        raise UnsafeWorkbookError(
            "the file is too large to open safely", file=name,
            expected=f"at most {limits.max_file_bytes} bytes", found="a growing file",
            code="file_too_large")
    if not data:
        raise InputError("the file is empty", file=name, expected="an .xlsx workbook",
                         found="0 bytes", code="empty_file")
    return name, data


# --------------------------------------------------------------- calamine
def _parser_error(exc: BaseException, file, sheet=None) -> InputError:
    kind = type(exc).__name__
    if kind == "PasswordError":
        return UnsafeWorkbookError(
            "the workbook is password-protected; save a copy without a password as .xlsx",
            file=file, sheet=sheet, code="encrypted")
    return InputError(f"the workbook cannot be read ({kind}: {str(exc)[:200]})", file=file,
                      sheet=sheet, expected="a well-formed .xlsx workbook",
                      found="malformed workbook", code="malformed_xml")


def _calamine(call, file, sheet=None):
    """Run a calamine call; every failure, Rust panics included, becomes an InputError."""
    try:
        return call()
    except (KeyboardInterrupt, SystemExit, MemoryError):
        raise
    except BaseException as exc:  # calamine raises CalamineError subclasses and PanicException
        raise _parser_error(exc, file, sheet) from None


def _open(data: bytes, file):
    import python_calamine

    return _calamine(lambda: python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data)),
                     file)


def _sheet_rows(workbook, name: str, file, max_chars: int | None = None
                ) -> tuple[list[list], list]:
    """Cell values and merged ranges of one sheet.

    With ``max_chars`` (the safety scan saw a stretch of text that long), a
    cell holding more characters than that refuses the sheet, naming every
    such cell but copying none of the text.
    """
    sheet = _calamine(lambda: workbook.get_sheet_by_name(name), file, name)
    with collector_paused():  # the row lists: see klimafotavtrykk.gc_pause
        rows = _calamine(lambda: sheet.to_python(skip_empty_area=False), file, name)
    if max_chars is not None:
        _refuse_long_text(rows, max_chars, file, name)
    merged = _calamine(lambda: sheet.merged_cell_ranges, file, name) or []
    return rows, merged


def _refuse_long_text(rows: list[list], max_chars: int, file, sheet: str) -> None:
    """Raise when a cell holds more than ``max_chars`` characters (Excel's cell limit)."""
    from klimafotavtrykk.provenance import cell_ref

    # Runs only when the archive scan saw such a stretch: one length per cell, no text copied.
    long = [(r, c, len(v)) for r, row in enumerate(rows, start=1) for c, v in enumerate(row)
            if type(v) is str and len(v) > max_chars]
    if not long:
        return
    r, c, n = long[0]
    listed = ", ".join(f"{cell_ref(rr, cc)} ({nn} characters)" for rr, cc, nn in long[:_LISTED])
    more = f" and {len(long) - _LISTED} more" if len(long) > _LISTED else ""
    raise UnsafeWorkbookError(
        f"cells hold more text than Excel allows in a cell: {listed}{more}", file=file,
        sheet=sheet, cell=cell_ref(r, c), expected=f"at most {max_chars} characters per cell",
        found=str(n), code="cell_text_too_long")


# ---------------------------------------------------------- sheet choice
def _resolve_sheet(sheet, names: list[str], file) -> str:
    if isinstance(sheet, bool) or not isinstance(sheet, (str, int)):
        raise InputError("sheet must be a sheet name or a 0-based index", file=file,
                         expected="str or int", found=repr(sheet), code="sheet_not_found")
    if isinstance(sheet, int):
        if 0 <= sheet < len(names):
            return names[sheet]
    elif sheet in names:
        return sheet
    else:
        folded = [n for n in names if n.casefold() == sheet.strip().casefold()]
        if len(folded) == 1:
            return folded[0]
    raise InputError("sheet not found", file=file, sheet=str(sheet),
                     expected=", ".join(repr(n) for n in names),
                     found=repr(sheet), code="sheet_not_found")


def _sheet_list(workbook) -> list[tuple[str, bool, bool]]:
    """(name, is a worksheet, is hidden) per sheet, in workbook order."""
    out = []
    for meta in workbook.sheets_metadata:
        typ = str(getattr(meta, "typ", "WorkSheet"))
        visible = str(getattr(meta, "visible", "Visible"))
        out.append((meta.name, typ.endswith("WorkSheet"), not visible.endswith(".Visible")
                    and visible != "Visible"))
    return out


# ------------------------------------------------------------ cell helpers
def read_excel(path, sheet=None, *, header_row: int | None = None,
               include_hidden: bool = False, number_locale: str | None = "nb-NO",
               limits: ReadLimits | None = None, progress=None
               ) -> tuple[pd.DataFrame, BoqMetadata]:
    """Read the item lines of a bill of quantities from an .xlsx or .xlsm workbook.

    Parameters
    ----------
    path : str or os.PathLike
        The workbook.
    sheet : str or int, optional
        Sheet name (exact, else case-insensitive) or 0-based index. By
        default the first visible worksheet with a header row.
    header_row : int, optional
        1-based header row; found by keyword when omitted.
    include_hidden : bool
        Also consider hidden sheets when ``sheet`` is not given.
    number_locale : {"nb-NO", None}
        Rule for numbers written as text (see :mod:`.numbers`).
    limits : ReadLimits, optional
        Safety caps.
    progress : callable, optional
        Called as ``progress(done, total)`` while the file is read: percent
        done and 100. For a progress bar on large files.

    Returns
    -------
    items : pandas.DataFrame
        Every column of :data:`~klimafotavtrykk.vocabulary.LINE_COLUMNS`,
        one row per item line in sheet order. ``quantity``,
        ``transport_km``, ``waste_rate`` are float64 (NaN when empty or not a
        number); text columns are object with None for empty.
    meta : BoqMetadata

    Raises
    ------
    InputError
        Not found, empty, not a workbook, damaged, no header row, sheet not
        found, a formula without a cached value in a column read.
    UnsafeWorkbookError
        Any refusal of :func:`~klimafotavtrykk.quantities.safety.check_archive`.
    """
    limits = limits or ReadLimits()
    check_locale(number_locale)
    file, data = read_bytes(path, limits)
    return read_workbook(data, file, sheet, header_row=header_row,
                         include_hidden=include_hidden, number_locale=number_locale,
                         limits=limits, progress=progress)


def read_workbook(data: bytes, file: str | None = None, sheet=None, *,
                  header_row: int | None = None, include_hidden: bool = False,
                  number_locale: str | None = "nb-NO", limits: ReadLimits | None = None,
                  progress=None, _checked: bool = True) -> tuple[pd.DataFrame, BoqMetadata]:
    """:func:`read_excel` on a workbook's bytes already in memory.

    ``_checked=False`` skips the safety checks; it exists only so that the
    benchmark can measure what they cost. Never use it on a file you did not
    make yourself.
    """
    limits = limits or ReadLimits()
    _check_read_options(header_row, number_locale, file)
    book = CheckedWorkbook(data, file, limits, _checked=_checked, _progress=progress)
    with collector_paused():  # until the row lists are gone: see klimafotavtrykk.gc_pause
        return book._read(sheet, header_row=header_row, include_hidden=include_hidden,
                          number_locale=number_locale, extra_aliases=None,
                          progress=progress)


def open_workbook(path, limits: ReadLimits | None = None) -> CheckedWorkbook:
    """Open an .xlsx workbook once, after the safety checks, to read several of its sheets.

    The file is read whole, hashed and passed through
    :func:`~klimafotavtrykk.quantities.safety.check_archive` once; every
    sheet read from the returned object then costs only its own parsing.

    Parameters
    ----------
    path : str or os.PathLike
        An .xlsx/.xlsm workbook.
    limits : ReadLimits, optional
        Safety caps.

    Returns
    -------
    CheckedWorkbook

    Raises
    ------
    InputError
        As :func:`read_excel` (code ``not_a_zip`` for a file that is no zip
        archive); :class:`~klimafotavtrykk.errors.UnsafeWorkbookError` for
        files refused for safety.
    """
    from klimafotavtrykk.quantities import safety

    limits = limits or ReadLimits()
    file, data = read_bytes(path, limits)
    kind = safety.sniff(data[:8])
    if kind == "ole2":
        raise safety.refuse_ole2(data, file)
    if kind != "zip":
        raise InputError("the file is not an .xlsx workbook (not a zip archive)", file=file,
                         expected="an .xlsx workbook", found="bytes " + data[:8].hex(" "),
                         code="not_a_zip")
    return CheckedWorkbook(data, file, limits)


def _check_read_options(header_row, number_locale, file) -> None:
    check_locale(number_locale)
    if header_row is not None and (isinstance(header_row, bool) or not isinstance(header_row, int)
                                   or header_row < 1):
        raise InputError("header_row must be a 1-based row number", file=file,
                         expected="an integer >= 1", found=repr(header_row), code="bad_header_row")


class CheckedWorkbook:
    """A workbook whose archive has passed the safety checks, open for reading its sheets.

    Made by :func:`open_workbook`; one archive check and one parser open
    serve every sheet read from it.

    Attributes
    ----------
    file : str or None
        File name, for findings and errors.
    sha256 : str
        Hash of the file as read.
    sheet_names : tuple of str
        Every sheet, in workbook order.
    """

    def __init__(self, data: bytes, file: str | None = None, limits: ReadLimits | None = None,
                 *, _checked: bool = True, _progress=None):
        self.file = file
        self.sha256 = sha256_bytes(data)
        self._data = data
        limits = limits or ReadLimits()
        checked = None if _progress is None else (
            lambda done, total: _report(_progress, _CHECKED * done / max(total, 1)))
        self._archive = check_archive(data, file, limits, checked) if _checked else None
        long_text = self._archive is not None and any(
            scan.long_text for scan in self._archive.members.values())
        self._max_chars = limits.max_cell_chars if long_text else None
        self._book = _open(data, file)
        self._sheets = _sheet_list(self._book)
        self.sheet_names = tuple(name for name, _, _ in self._sheets)

    def read(self, sheet=None, *, header_row: int | None = None, include_hidden: bool = False,
             number_locale: str | None = "nb-NO", extra_aliases: dict[str, str] | None = None,
             untyped: Collection[str] = ()) -> tuple[pd.DataFrame, BoqMetadata]:
        """Item lines of one sheet, as :func:`read_excel` reads them.

        Parameters
        ----------
        sheet, header_row, include_hidden, number_locale
            As for :func:`read_excel`.
        extra_aliases : dict, optional
            Normalised header text (:func:`~.headers.normalise_header`) ->
            column name, for columns the reader itself does not map (a bid's
            own columns). Such a column is kept as the cells' values, as read
            (empty cells None), after the line columns; it is listed in
            ``meta.extra_columns`` and not among the unmapped columns.
        untyped : collection of str, optional
            Extra columns kept as ``object`` cells: no text type is inferred
            for them (a caller that types them itself skips that pass, and
            the conversion back). The others get the type a new column is
            inferred to have.

        Returns
        -------
        items : pandas.DataFrame
        meta : BoqMetadata
        """
        _check_read_options(header_row, number_locale, self.file)
        with collector_paused():  # until the row lists are gone: see klimafotavtrykk.gc_pause
            return self._read(sheet, header_row=header_row, include_hidden=include_hidden,
                              number_locale=number_locale, extra_aliases=extra_aliases,
                              progress=None, untyped=untyped)

    def rows(self, sheet) -> list[list]:
        """Every cell value of a sheet, row by row, as read (empty cells ``""``).

        For small forms beside the bill of quantities (a declaration sheet);
        nothing is mapped or checked beyond the archive checks.

        Parameters
        ----------
        sheet : str or int
            Sheet name or 0-based index.

        Returns
        -------
        list of list
        """
        name = _resolve_sheet(sheet, list(self.sheet_names), self.file)
        rows, _ = _sheet_rows(self._book, name, self.file, self._max_chars)
        return rows

    def _read(self, sheet, *, header_row, include_hidden, number_locale, extra_aliases,
              progress, untyped: Collection[str] = ()):
        file, sha, archive, data = self.file, self.sha256, self._archive, self._data
        workbook, sheets = self._book, self._sheets
        names = [name for name, _, _ in sheets]
        notes: list[str] = []
        explicit = sheet is not None
        if explicit:
            target = _resolve_sheet(sheet, names, file)
            if not dict((n, ws) for n, ws, _ in sheets)[target]:
                raise InputError("the sheet is not a worksheet (a chart or macro sheet)", file=file,
                                 sheet=target, expected="a worksheet with cells",
                                 found="chart or macro sheet", code="sheet_not_found")
            candidates = [target]
        else:
            candidates = [name for name, is_ws, hidden in sheets
                          if is_ws and (include_hidden or not hidden)]
        hidden = {name for name, _, is_hidden in sheets if is_hidden}
        hidden_skipped = tuple(name for name, is_ws, is_hidden in sheets
                               if is_hidden and is_ws and name not in candidates)
        if not explicit:
            for name in hidden_skipped:
                notes.append(Note("hidden_sheet", f"sheet {name!r} is hidden and was not read "
                                  f"(hidden sheets often hold stale quantities); read it with "
                                  f"sheet={name!r}", sheet=name))
        if not candidates:
            raise InputError("the workbook has no visible worksheet", file=file,
                             expected="a visible worksheet (or include_hidden=True)",
                             found="hidden sheets " + ", ".join(repr(n) for n in hidden_skipped),
                             code="sheet_not_found")

        aliases = header_aliases()
        chosen = None
        also: list[str] = []
        for at, name in enumerate(candidates, start=1):
            rows, merged = _sheet_rows(workbook, name, file, self._max_chars)
            _report(progress, _CHECKED + (_PARSED - _CHECKED) * at / len(candidates))
            header = find_header(rows, merged, aliases=aliases, header_row=header_row)
            if header is None:
                continue
            if chosen is None:
                chosen = (name, _grid(rows), merged, header)  # the lists go; the grid stays
            else:
                also.append(name)
        if chosen is None:
            where = candidates[0] if len(candidates) == 1 else None
            searched = (f"row {header_row}" if header_row is not None
                        else "sheets " + ", ".join(repr(n) for n in candidates))
            raise InputError(
                "no header row with known column names found", file=file, sheet=where,
                expected="a header with Mengde/Quantity and another known column (Enhet, "
                         "Beskrivelse, Postnr, NS 3420 ...)", found=f"none in {searched}",
                code="no_header")
        name, grid, merged, header = chosen
        del chosen, rows
        header, extra = _split_extra(header, extra_aliases or {})
        if also:
            listed = ", ".join(repr(n) for n in also)
            notes.append(Note("other_sheets", f"sheets {listed} also have a bill-of-quantities "
                              "header and were not read; read each with sheet=", sheets=listed))
        if name in hidden:
            notes.append(Note("hidden_sheet_read", f"sheet {name!r} is hidden in Excel; read "
                              "because it was asked for", sheet=name))
        features = _features(archive, data, name, file)
        items, meta_parts = _lines(grid, merged, header, file, name, number_locale, features,
                                   extra, untyped)
        notes.extend(features.notes)
        notes.extend(meta_parts.pop("notes"))
        meta = BoqMetadata(
            file=file or "", sheet=name, sha256=sha, header_row=header.row + 1,
            header_map={written: canonical for canonical, written in header.written.items()},
            skipped=meta_parts["skipped"], cells=meta_parts["cells"],
            hidden_sheets=hidden_skipped, warnings=notes, header_rows=header.n_rows,
            columns={c: column_letter(i) for c, i in header.columns.items()},
            sheets=tuple(names), number_locale=number_locale,
            extra_columns={c: column_letter(i) for c, i in extra.items()})
        _report(progress, _DONE)
        for text in notes:
            if text.partition(":")[0] not in _QUIET:
                warnings.warn(f"[{file}] {text}", DataQualityWarning, stacklevel=user_stacklevel())
        return items, meta


def _split_extra(header: HeaderMatch, extra_aliases: dict[str, str]
                 ) -> tuple[HeaderMatch, dict[str, int]]:
    """Unmapped header columns that ``extra_aliases`` knows: name -> 0-based column."""
    if not extra_aliases or not header.unmapped:
        return header, {}
    extra: dict[str, int] = {}
    unmapped = []
    for col, text in header.unmapped:  # header cells, one row
        name = extra_aliases.get(normalise_header(text))
        if name is None:
            unmapped.append((col, text))
        elif name not in header.columns and name not in extra:
            extra[name] = col
    return dataclasses.replace(header, unmapped=tuple(unmapped)), extra


class _Features:
    """Formulas and hidden rows and columns of the sheet read."""

    def __init__(self):
        self.formulas = []
        self.hidden_rows: set[int] = set()
        self.hidden_cols: list[tuple[int, int]] = []
        self.zero_height = False
        self.notes: list[str] = []


def _features(archive: Archive | None, data: bytes, sheet: str, file) -> _Features:
    out = _Features()
    if archive is not None:
        read = archive.read
        members = archive.names
    else:  # unchecked (benchmark only)
        import zipfile

        zipped = zipfile.ZipFile(io.BytesIO(data))
        read = zipped.read
        members = tuple(zipped.namelist())
    if any(m.startswith("xl/externalLinks/") for m in members):
        out.notes.append(Note("external_links", "the workbook links to other workbooks; links "
                              "are not followed, cached values are used"))
    rels = "xl/_rels/workbook.xml.rels"
    try:
        parts = sheet_parts(read("xl/workbook.xml"), read(rels) if rels in members else None,
                            file)
    except InputError:  # calamine read the values; without the map only the extras are lost
        parts = {}
    part = parts.get(sheet)
    if part is None or part not in members:
        out.notes.append(Note("sheet_part_unknown", f"the part of sheet {sheet!r} was not found; "
                              "formulas and hidden rows are not reported", sheet=sheet))
        return out
    if archive is not None:
        scan = archive.members[part]
        has_formulas, has_hidden, prefixed = scan.formulas, scan.hidden, scan.exact
        xml = read(part) if (has_formulas or has_hidden) else b""
    else:
        xml = read(part)
        has_formulas = b"</f>" in xml
        has_hidden = b"hidden=" in xml or b"zeroHeight" in xml[:65_536]
        prefixed = b":f>" in xml
    if has_formulas:
        out.formulas = formulas(xml, prefixed=prefixed)
        if any(f.row is None for f in out.formulas):
            out.notes.append(Note("formulas_not_located", "some formula cells carry no cell "
                                  "reference; they are not listed in meta.cells"))
    if has_hidden:
        out.hidden_rows, out.hidden_cols, out.zero_height = hidden_rows_and_columns(xml)
    if out.zero_height:
        out.notes.append(Note("zero_height_rows", "the sheet hides rows by default "
                              "(sheetFormatPr zeroHeight); every row was read"))
    return out
