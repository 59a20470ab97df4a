"""Bills of quantities in: Excel workbooks and NS 3459 XML, as one frame in the canonical vocabulary.

::

    from klimafotavtrykk.quantities import read_boq
    items, meta = read_boq("skole.xlsx")
    meta.skipped      # every non-blank row that is not an item line, with its reason
    meta.cells        # every cell the reader did not take as a plain value
    meta.sha256       # of the file as read

The format is chosen from the file's first bytes, then its suffix:

=================================  ==============================================
file                               read by
=================================  ==============================================
zip archive (.xlsx, .xlsm)         :func:`klimafotavtrykk.quantities.excel.read_excel`
XML (.xml)                         :func:`klimafotavtrykk.quantities.ns3459.read_ns3459`
OLE2 (.xls, password-protected)    refused: save as .xlsx
anything else                      refused
=================================  ==============================================

Importing this package loads neither pandas nor a parser.
"""

from __future__ import annotations

from pathlib import Path

from klimafotavtrykk._string_storage import python_strings
from klimafotavtrykk.errors import InputError
from klimafotavtrykk.quantities._metadata import BoqMetadata, Note

__all__ = ["read_boq", "open_workbook", "BoqMetadata", "Note", "ReadLimits"]

_XML_SUFFIXES = (".xml",)
_EXCEL_SUFFIXES = (".xlsx", ".xlsm")


def __getattr__(name: str):
    if name == "ReadLimits":
        from klimafotavtrykk.quantities.safety import ReadLimits

        return ReadLimits
    raise AttributeError(f"module 'klimafotavtrykk.quantities' has no attribute {name!r}")


@python_strings
def open_workbook(path, limits=None):
    """Open an .xlsx workbook once, after the safety checks, to read several sheets of it.

    See :func:`klimafotavtrykk.quantities.excel.open_workbook`.

    Returns
    -------
    CheckedWorkbook
        ``.read(sheet, extra_aliases=...)`` gives ``(items, meta)`` as
        :func:`read_boq` does; ``.rows(sheet)`` the raw cell values of a form.
    """
    from klimafotavtrykk.quantities.excel import open_workbook as _open_workbook

    return _open_workbook(path, limits)


@python_strings
def read_boq(path, sheet=None, *, header_row: int | None = None, include_hidden: bool = False,
             number_locale: str | None = "nb-NO", limits=None, options=None, progress=None):
    """Read a bill of quantities: item lines in the canonical vocabulary, and where they came from.

    Parameters
    ----------
    path : str or os.PathLike
        An .xlsx/.xlsm workbook or an NS 3459 XML file.
    sheet : str or int, optional
        Excel only: sheet name or 0-based index; by default the first
        visible worksheet with a header row.
    header_row : int, optional
        Excel only: 1-based header row; found by keyword when omitted.
    include_hidden : bool
        Excel only: also consider hidden sheets.
    number_locale : {"nb-NO", None}
        Excel only: rule for numbers written as text.
    limits : ReadLimits, optional
        Safety caps (:class:`klimafotavtrykk.quantities.safety.ReadLimits`).
    options : {"main", "all"} or list of str, optional
        NS 3459 only: which option parts (``Delmengder``) the quantity counts;
        ``"main"`` by default.
    progress : callable, optional
        Called as ``progress(done, total)`` while the file is read: percent
        done and 100. For a progress bar on large files.

    Returns
    -------
    items : pandas.DataFrame
        Every column of :data:`klimafotavtrykk.vocabulary.LINE_COLUMNS`.
    meta : BoqMetadata or Ns3459Metadata
        File, sheet, SHA-256, header found, skipped rows, per-cell findings,
        warnings.

    Raises
    ------
    InputError
        Every failure, with file, sheet, cell, what was expected and found,
        and a stable ``code`` (:class:`~klimafotavtrykk.errors.UnsafeWorkbookError`
        for files refused for safety).
    """
    from klimafotavtrykk.quantities import safety
    from klimafotavtrykk.quantities.excel import read_bytes

    limits = limits if limits is not None else safety.ReadLimits()
    name, data = read_bytes(path, limits)
    kind = safety.sniff(data[:8])
    suffix = Path(str(path)).suffix.lower()
    if kind == "ole2":
        raise safety.refuse_ole2(data, name)
    if kind == "zip":
        if options is not None:
            raise InputError("options= applies to NS 3459 XML only", file=name,
                             expected="options=None for a workbook", found=repr(options),
                             code="bad_options")
        from klimafotavtrykk.quantities.excel import read_workbook

        return read_workbook(data, name, sheet, header_row=header_row,
                             include_hidden=include_hidden, number_locale=number_locale,
                             limits=limits, progress=progress)
    if kind == "xml" or suffix in _XML_SUFFIXES:
        if sheet is not None or header_row is not None:
            raise InputError("NS 3459 XML has no sheets or header rows", file=name,
                             expected="sheet=None and header_row=None",
                             found=f"sheet={sheet!r}, header_row={header_row!r}",
                             code="sheet_not_found")
        from klimafotavtrykk.quantities.ns3459 import read_ns3459

        return read_ns3459(path, options="main" if options is None else options, limits=limits,
                           progress=progress)
    if suffix in _EXCEL_SUFFIXES:
        raise InputError("the file is not an .xlsx workbook (not a zip archive)", file=name,
                         expected="an .xlsx workbook", found="bytes " + data[:8].hex(" "),
                         code="not_a_zip")
    raise InputError("unsupported file format; use .xlsx or NS 3459 XML", file=name,
                     expected=".xlsx, .xlsm or NS 3459 .xml",
                     found=suffix or "bytes " + data[:8].hex(" "), code="unsupported_format")
