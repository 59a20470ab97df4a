"""Pieces of the locked input workbooks others fill in for us.

The bid climate workbook (:mod:`klimafotavtrykk.tender.template`) and the
monthly follow-up report (:mod:`klimafotavtrykk.followup.template`) are built
the same way: a guide sheet, a declaration, one table sheet per kind of row
with a locked header and unlocked, validated input cells, and a hidden sheet
holding the lists every dropdown reads. What they share lives here; what each
sheet holds stays with its template.

Sheet protection has no password: it guards against slips, not against a
determined user. Text is written through :func:`~klimafotavtrykk.reports.safe_text`
so that a spreadsheet never reads it as a formula, and the saved bytes
depend only on the content (fixed timestamps).
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from klimafotavtrykk.provenance import column_letter
from klimafotavtrykk.reports import FIXED_TIME, pin_zip_times, safe_text

__all__ = ["guide_sheet", "header_row", "list_ranges", "lists_sheet", "protect",
           "save_workbook", "text_or_value", "validation"]

#: Height of a header row [points]: room for three wrapped lines.
HEADER_HEIGHT = 45


def protect(sheet) -> None:
    """Lock a sheet without a password; users may still format, resize, sort and filter."""
    protection = sheet.protection
    protection.sheet = True
    protection.formatColumns = False
    protection.formatRows = False
    protection.autoFilter = False
    protection.sort = False


def guide_sheet(book, name: str, title: str, lines: Iterable[str]):
    """Turn the workbook's first sheet into the guide: a bold title and wrapped lines.

    Parameters
    ----------
    book : openpyxl.Workbook
        A new workbook; its active sheet becomes the guide.
    name, title : str
        Sheet name and the title on its first row.
    lines : iterable of str
        One paragraph per row below the title.

    Returns
    -------
    openpyxl.worksheet.worksheet.Worksheet
        The guide sheet (not yet protected).
    """
    from openpyxl.styles import Alignment, Font

    guide = book.active
    guide.title = name
    guide.column_dimensions["A"].width = 110
    guide.append([title])
    guide["A1"].font = Font(bold=True, size=14)
    for row, line in enumerate(lines, start=2):
        guide.append([line])
        guide.cell(row=row, column=1).alignment = Alignment(wrap_text=True, vertical="top")
    return guide


def header_row(sheet, labels: Sequence[str], widths: Sequence[float], fill: str) -> None:
    """Write a table's header on row 1: bold, filled, wrapped, frozen above the input rows.

    Parameters
    ----------
    sheet : openpyxl.worksheet.worksheet.Worksheet
    labels : sequence of str
        Column headers, in order.
    widths : sequence of float
        Column widths [Excel character units].
    fill : str
        Background colour of the header cells, hex RGB (``"DDEBF7"``).
    """
    from openpyxl.styles import Alignment, Font, PatternFill

    bold, head_fill = Font(bold=True), PatternFill("solid", fgColor=fill)
    for j, (label, width) in enumerate(zip(labels, widths, strict=True), start=1):
        cell = sheet.cell(row=1, column=j, value=label)
        cell.font, cell.fill = bold, head_fill
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.column_dimensions[column_letter(j - 1)].width = width
    sheet.row_dimensions[1].height = HEADER_HEIGHT
    sheet.freeze_panes = "A2"


def list_ranges(lists: Mapping[str, Sequence], sheet_name: str) -> dict[str, str]:
    """Cell range of each list on the lists sheet, as a dropdown's formula names it.

    Parameters
    ----------
    lists : mapping of str to sequence
        List key -> its values, in the column order of the lists sheet.
    sheet_name : str
        Name of the (hidden) lists sheet.

    Returns
    -------
    dict
        List key -> ``'Lister'!$A$2:$A$7``: the values below the list's title.
    """
    out = {}
    for j, (key, values) in enumerate(lists.items()):
        letter = column_letter(j)
        out[key] = f"'{sheet_name}'!${letter}$2:${letter}${len(values) + 1}"
    return out


def lists_sheet(sheet, titles: Sequence[str], lists: Mapping[str, Sequence]) -> None:
    """Fill the sheet every dropdown reads: a title, then the values, one list per column; hide and lock it."""
    for j, (title, values) in enumerate(zip(titles, lists.values(), strict=True), start=1):
        sheet.cell(row=1, column=j, value=title)
        for i, value in enumerate(values, start=2):
            sheet.cell(row=i, column=j, value=value)
    sheet.sheet_state = "hidden"
    protect(sheet)


def text_or_value(sheet, row: int, column: int, value):
    """Write one cell; text is stored as a string cell that never becomes a formula.

    Returns
    -------
    openpyxl.cell.Cell
    """
    cell = sheet.cell(row=row, column=column,
                      value=safe_text(value) if isinstance(value, str) else value)
    if isinstance(value, str):
        cell.data_type = "s"
    return cell


def validation(kind: str, hint: str, title: str, choices: str | None = None):
    """Data validation of an input column; None for free text.

    Parameters
    ----------
    kind : {"list", "number", "share", "date", "text"}
        What the column takes: a value of a list (a warning, not a stop: an
        unlisted value is read and reported, not refused), a number >= 0, a
        share 0-0.99, a date, or free text.
    hint, title : str
        Message and title shown on entry and on a wrong value.
    choices : str, optional
        For ``list``: the range of its values (:func:`list_ranges`).

    Returns
    -------
    openpyxl.worksheet.datavalidation.DataValidation or None
    """
    from openpyxl.worksheet.datavalidation import DataValidation

    if kind == "list":
        check = DataValidation(type="list", formula1=choices, allow_blank=True,
                               errorStyle="warning")
    elif kind == "number":
        check = DataValidation(type="decimal", operator="greaterThanOrEqual", formula1="0",
                               allow_blank=True)
    elif kind == "share":
        check = DataValidation(type="decimal", operator="between", formula1="0", formula2="0.99",
                               allow_blank=True)
    elif kind == "date":
        check = DataValidation(type="date", operator="greaterThan", formula1="1",
                               allow_blank=True)
    else:
        return None
    check.error, check.errorTitle = hint, title
    check.prompt, check.promptTitle = hint, title
    check.showErrorMessage = check.showInputMessage = True
    return check


def save_workbook(book, path: str | Path, active: int) -> Path:
    """Save with fixed timestamps, so the same content gives the same bytes.

    Parameters
    ----------
    book : openpyxl.Workbook
    path : str or Path
        Target ``.xlsx``; replaced if it exists.
    active : int
        Index of the sheet the workbook opens on.

    Returns
    -------
    pathlib.Path
        The file written.
    """
    path = Path(path)
    book.active = active
    book.properties.creator = "klimafotavtrykk"
    book.properties.created = FIXED_TIME
    buffer = io.BytesIO()
    book.save(buffer)
    path.write_bytes(pin_zip_times(buffer.getvalue(), FIXED_TIME))
    return path
