"""Write the bid climate workbook (*klimaskjema*) that a client attaches to a tender.

Each bidder returns it filled in; :mod:`klimafotavtrykk.tender.reader` reads
it back. The sheets, columns and lists are those of
:mod:`klimafotavtrykk.tender.schema`.

Header rows are locked (sheet protection without a password: it guards
against slips, not against a determined bidder); input cells are unlocked and
carry data validation (lists, numbers only where numbers belong).
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pandas as pd

from klimafotavtrykk.messages import t
from klimafotavtrykk.provenance import column_letter
from klimafotavtrykk.tender.schema import (
    DATASET_TYPES,
    DECLARATION_FIELDS,
    MATERIAL_COLUMNS,
    SITE_COLUMNS,
    Column,
    named_choices,
    parse_yes_no,
    plain_text,
    validation_lists,
)

__all__ = ["write_template"]

_FIRST_DATA_ROW = 2      # header on row 1
_INPUT_ROWS = 300        # empty input rows prepared below pre-filled ones
_LISTS_SHEET = "Lister"  # hidden sheet holding the validation lists


def write_template(path: str | Path, lang: str = "nb", quantities: pd.DataFrame | None = None,
                   rows: pd.DataFrame | None = None, site: pd.DataFrame | None = None,
                   declaration: dict[str, Any] | None = None) -> Path:
    """Write the bid climate workbook.

    Parameters
    ----------
    path : str or Path
        Target ``.xlsx``; replaced if it exists.
    lang : {"nb", "en"}
        Language of sheet names, headers, lists and instructions.
    quantities : DataFrame, optional
        The tender's bill of quantities (as :func:`~klimafotavtrykk.quantities.read_boq`
        returns it) to pre-fill the materials sheet; pre-filled cells are locked.
        Each line gets its key (:func:`~klimafotavtrykk.tender.reference.line_keys`)
        in the locked last column, the key a competition naming the same bill
        (``tender_quantities``) matches the bid's lines by.
    rows, site : DataFrame, optional
        Filled-in material rows and site rows (canonical column names of
        :data:`MATERIAL_COLUMNS` / :data:`SITE_COLUMNS`), written unlocked: how
        the examples and tests build filled bids from the same writer. Rows
        keep the ``line_key`` they carry (e.g. from
        :func:`~klimafotavtrykk.tender.reference.with_line_keys`).
    declaration : dict, optional
        Values for :data:`DECLARATION_FIELDS`.

    Returns
    -------
    pathlib.Path
        The file written. The bytes depend only on the arguments (fixed
        timestamps), so the same call gives the same file.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill, Protection
    from openpyxl.worksheet.datavalidation import DataValidation

    from klimafotavtrykk.reports import FIXED_TIME, pin_zip_times, safe_text

    path = Path(path)
    lists = validation_lists(lang)
    book = Workbook()
    guide = book.active
    guide.title = t("bid.sheet.guide", lang)
    guide.column_dimensions["A"].width = 110
    guide.append([t("bid.guide.title", lang)])
    guide["A1"].font = Font(bold=True, size=14)
    for i in range(1, 13):
        guide.append([t(f"bid.guide.{i}", lang)])
        guide.cell(row=i + 1, column=1).alignment = Alignment(wrap_text=True, vertical="top")

    hidden = book.create_sheet(_LISTS_SHEET)
    ranges = {}
    for j, (key, values) in enumerate(lists.items(), start=1):
        letter = column_letter(j - 1)
        hidden.cell(row=1, column=j, value=t(f"bid.list.{key}", lang))
        for i, value in enumerate(values, start=2):
            hidden.cell(row=i, column=j, value=value)
        ranges[key] = f"'{_LISTS_SHEET}'!${letter}$2:${letter}${len(values) + 1}"
    hidden.sheet_state = "hidden"
    _protect(hidden)  # the lists feed every dropdown: not to be edited by a bidder

    bold, head_fill = Font(bold=True), PatternFill("solid", fgColor="DDEBF7")
    unlocked = Protection(locked=False)
    tables = (("materials", MATERIAL_COLUMNS, _prefill(quantities, rows)),
              ("site", SITE_COLUMNS, _frame_or_empty(site, SITE_COLUMNS)))
    for key, columns, (filled, locked_rows) in tables:
        sheet = book.create_sheet(t(f"bid.sheet.{key}", lang), index=len(book.sheetnames) - 1)
        for j, column in enumerate(columns, start=1):
            cell = sheet.cell(row=1, column=j, value=t(f"bid.header.{column.name}", lang))
            cell.font, cell.fill = bold, head_fill
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            sheet.column_dimensions[column_letter(j - 1)].width = column.width
        sheet.row_dimensions[1].height = 45
        sheet.freeze_panes = "A2"
        n_rows = len(filled) + _INPUT_ROWS
        last = _FIRST_DATA_ROW + n_rows - 1
        for j, column in enumerate(columns, start=1):
            letter = column_letter(j - 1)
            lock = column.prefilled and key == "materials" and locked_rows > 0
            # input columns are unlocked by their column style: empty cells need no element
            sheet.column_dimensions[letter].protection = unlocked
            for i, value in enumerate(_column_values(filled, column, lang)):  # cells with content
                if value is None and not (lock and i < locked_rows):
                    continue
                cell = sheet.cell(row=_FIRST_DATA_ROW + i, column=j,
                                  value=safe_text(value) if isinstance(value, str) else value)
                if isinstance(value, str):
                    cell.data_type = "s"
                if column.kind == "date":
                    cell.number_format = "yyyy-mm-dd"
                if not (lock and i < locked_rows):
                    cell.protection = unlocked
            span = f"{letter}{_FIRST_DATA_ROW}:{letter}{last}"
            check = _validation(column, ranges, lang, DataValidation)
            if check is not None:
                sheet.add_data_validation(check)
                check.add(span)
        _protect(sheet)

    decl = book.create_sheet(t("bid.sheet.declaration", lang), index=len(book.sheetnames) - 1)
    decl.column_dimensions["A"].width, decl.column_dimensions["B"].width = 36, 40
    decl.cell(row=1, column=1, value=t("bid.declaration.title", lang)).font = Font(bold=True, size=13)
    given = declaration or {}
    for i, name in enumerate(DECLARATION_FIELDS, start=3):
        decl.cell(row=i, column=1, value=t(f"bid.declaration.{name}", lang)).font = bold
        value = given.get(name)
        cell = decl.cell(row=i, column=2, value=safe_text(value) if isinstance(value, str) else value)
        if isinstance(value, str):
            cell.data_type = "s"
        if name == "date":
            cell.number_format = "yyyy-mm-dd"
        cell.protection = unlocked
    price = DataValidation(type="decimal", operator="greaterThan", formula1="0", allow_blank=True)
    decl.add_data_validation(price)
    price.add(f"B{2 + len(DECLARATION_FIELDS)}")
    decl.cell(row=4 + len(DECLARATION_FIELDS), column=1, value=t("bid.declaration.note", lang))
    _protect(decl)
    _protect(guide)
    book.active = 1
    book.properties.creator = "klimafotavtrykk"
    book.properties.created = FIXED_TIME
    buffer = io.BytesIO()
    book.save(buffer)
    path.write_bytes(pin_zip_times(buffer.getvalue(), FIXED_TIME))
    return path


def _protect(sheet) -> None:
    """Lock the sheet without a password; users may still format and resize."""
    protection = sheet.protection
    protection.sheet = True
    protection.formatColumns = False
    protection.formatRows = False
    protection.autoFilter = False
    protection.sort = False


def _validation(column: Column, ranges: dict[str, str], lang: str, cls):
    """Build the data validation of a column; None for free text."""
    text = {"title": t(f"bid.header.{column.name}", lang), "msg": t(f"bid.hint.{column.kind}", lang)}
    if column.kind == "list":
        # a warning, not a stop: an unlisted unit or carrier is read and reported, not refused
        check = cls(type="list", formula1=ranges[column.choices], allow_blank=True,
                    errorStyle="warning")
    elif column.kind == "number":
        check = cls(type="decimal", operator="greaterThanOrEqual", formula1="0", allow_blank=True)
    elif column.kind == "share":
        check = cls(type="decimal", operator="between", formula1="0", formula2="0.99",
                    allow_blank=True)
    elif column.kind == "date":
        check = cls(type="date", operator="greaterThan", formula1="1", allow_blank=True)
    else:
        return None
    check.error, check.errorTitle = text["msg"], text["title"]
    check.prompt, check.promptTitle = text["msg"], text["title"]
    check.showErrorMessage = check.showInputMessage = True
    return check


def _frame_or_empty(frame, columns) -> tuple[pd.DataFrame, int]:
    if frame is None:
        return pd.DataFrame(columns=[c.name for c in columns]), 0
    return frame.reset_index(drop=True), 0


def _prefill(quantities, rows) -> tuple[pd.DataFrame, int]:
    """Material rows to write and how many of them are locked (the tender's own)."""
    if rows is not None:
        return rows.reset_index(drop=True), 0
    if quantities is None:
        return pd.DataFrame(columns=[c.name for c in MATERIAL_COLUMNS]), 0
    from klimafotavtrykk.tender.reference import with_line_keys

    frame = with_line_keys(quantities.reset_index(drop=True))
    return frame, len(frame)


def _column_values(frame: pd.DataFrame, column: Column, lang: str) -> list:
    """Values of one column as cells take them: text, float, date or None."""
    if column.name not in frame.columns:
        return [None] * len(frame)
    values = frame[column.name].astype(object).where(frame[column.name].notna(), None)
    if column.kind in ("number", "share"):
        numeric = pd.to_numeric(values, errors="coerce")
        return [None if pd.isna(v) else float(v) for v in numeric]
    if column.kind == "date":
        stamps = pd.to_datetime(values, errors="coerce")
        return [None if pd.isna(v) else v.to_pydatetime() for v in stamps]
    if column.choices == "yes_no":
        flags = parse_yes_no(values)
        return [None if pd.isna(v) else t("bid.yes" if v else "bid.no", lang) for v in flags]
    if column.choices == "dataset_types":
        labels = {d: t(f"bid.dataset_type.{d}", lang) for d in DATASET_TYPES}
        return [labels.get(v, v) for v in values]
    if column.choices in ("transport_modes", "carriers"):  # ids written as the dropdown's names
        labels = named_choices(column.choices, lang)
        return [None if v is None else labels.get(v, plain_text(v)) for v in values]
    return [None if v is None else plain_text(v) for v in values]
