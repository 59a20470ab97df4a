"""Write the bid climate workbook (*klimaskjema*) that a client attaches to a tender.

Each bidder returns it filled in; :mod:`klimafotavtrykk.tender.reader` reads
it back. The sheets, columns and lists are those of
:mod:`klimafotavtrykk.tender.schema`.

Header rows are locked (sheet protection without a password: it guards
against slips, not against a determined bidder); input cells are unlocked and
carry data validation (lists, numbers only where numbers belong).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from klimafotavtrykk.input_workbook import (
    guide_sheet,
    header_row,
    list_ranges,
    lists_sheet,
    protect,
    save_workbook,
    text_or_value,
    validation,
)
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
    from openpyxl.styles import Font, Protection
    from openpyxl.worksheet.datavalidation import DataValidation

    lists = validation_lists(lang)
    book = Workbook()
    guide = guide_sheet(book, t("bid.sheet.guide", lang), t("bid.guide.title", lang),
                        (t(f"bid.guide.{i}", lang) for i in range(1, 13)))

    hidden = book.create_sheet(_LISTS_SHEET)
    ranges = list_ranges(lists, _LISTS_SHEET)
    # the lists feed every dropdown: hidden and locked, not to be edited by a bidder
    lists_sheet(hidden, [t(f"bid.list.{key}", lang) for key in lists], lists)

    unlocked = Protection(locked=False)
    tables = (("materials", MATERIAL_COLUMNS, _prefill(quantities, rows)),
              ("site", SITE_COLUMNS, _frame_or_empty(site, SITE_COLUMNS)))
    for key, columns, (filled, locked_rows) in tables:
        sheet = book.create_sheet(t(f"bid.sheet.{key}", lang), index=len(book.sheetnames) - 1)
        header_row(sheet, [t(f"bid.header.{c.name}", lang) for c in columns],
                   [c.width for c in columns], fill="DDEBF7")
        last = _FIRST_DATA_ROW + len(filled) + _INPUT_ROWS - 1
        for j, column in enumerate(columns, start=1):
            letter = column_letter(j - 1)
            lock = column.prefilled and key == "materials" and locked_rows > 0
            # input columns are unlocked by their column style: empty cells need no element
            sheet.column_dimensions[letter].protection = unlocked
            for i, value in enumerate(_column_values(filled, column, lang)):  # cells with content
                if value is None and not (lock and i < locked_rows):
                    continue
                cell = text_or_value(sheet, _FIRST_DATA_ROW + i, j, value)
                if column.kind == "date":
                    cell.number_format = "yyyy-mm-dd"
                if not (lock and i < locked_rows):
                    cell.protection = unlocked
            title = t(f"bid.header.{column.name}", lang)
            check = validation(column.kind, t(f"bid.hint.{column.kind}", lang), title,
                               ranges.get(column.choices))
            if check is not None:
                sheet.add_data_validation(check)
                check.add(f"{letter}{_FIRST_DATA_ROW}:{letter}{last}")
        protect(sheet)

    decl = book.create_sheet(t("bid.sheet.declaration", lang), index=len(book.sheetnames) - 1)
    decl.column_dimensions["A"].width, decl.column_dimensions["B"].width = 36, 40
    decl.cell(row=1, column=1, value=t("bid.declaration.title", lang)).font = Font(bold=True, size=13)
    given = declaration or {}
    for i, name in enumerate(DECLARATION_FIELDS, start=3):
        decl.cell(row=i, column=1, value=t(f"bid.declaration.{name}", lang)).font = Font(bold=True)
        cell = text_or_value(decl, i, 2, given.get(name))
        if name == "date":
            cell.number_format = "yyyy-mm-dd"
        cell.protection = unlocked
    price = DataValidation(type="decimal", operator="greaterThan", formula1="0", allow_blank=True)
    decl.add_data_validation(price)
    price.add(f"B{2 + len(DECLARATION_FIELDS)}")
    decl.cell(row=4 + len(DECLARATION_FIELDS), column=1, value=t("bid.declaration.note", lang))
    protect(decl)
    protect(guide)
    return save_workbook(book, path, active=1)


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
