"""The bid climate workbook (*klimaskjema*): write the template, read a filled bid.

A client attaches the template to a tender; each bidder returns it filled in.
It has four sheets (bokmål names; English with ``lang="en"``):

``Veiledning``
    How to fill it in.
``Materialer``
    One row per product line: the tender's quantities (pre-filled from a bill
    of quantities with ``quantities=``) and the bidder's product, EPD number,
    EPD declared unit, GWP A1-A3 per declared unit, dataset type, EPD
    valid-until date, transport, waste and whether the bidder commits to it.
``Byggeplass``
    One row per machine, heating/drying job or mass-transport job: category,
    energy carrier, amount and unit (litres, kWh, Nm³, kg, hours or
    tonne-km), rated power, vehicle class, committed yes/no.
``Erklæring``
    Bidder, organisation number, date and offered price.

Header rows are locked (sheet protection without a password: it guards
against slips, not against a determined bidder); input cells are unlocked and
carry data validation (lists, numbers only where numbers belong).

Reading lives in :mod:`klimafotavtrykk.tender.reader` (:func:`read_bid`,
:func:`bid_frames` ...; importable from here too): it goes through the
library's reader for untrusted workbooks, which refuses hostile files and maps
the headers through ``data/headers/aliases.csv``, and turns the sheets into
the frames the engine and the site model take.

Bid columns beyond :data:`~klimafotavtrykk.vocabulary.LINE_COLUMNS`
--------------------------------------------------------------------
product : str
    Product name as offered.
epd_id : str
    EPD registration number as written (``NEPD-434-305-EN``).
epd_declared_unit : str
    Unit the EPD declares per (``m3``, ``kg``, ``tonn`` ...).
epd_gwp_a1a3 : float64
    GWP of modules A1-A3 per declared unit. [kg CO2e per declared unit]
dataset_type : str
    ``product_epd``, ``industry_epd`` or ``generic``.
epd_valid_until : datetime64
    Last day the EPD is valid.
mass_per_unit : float64
    Mass of one unit of the line's quantity, for conversions. [kg per unit]
committed : boolean
    The bidder commits to the line (``ja``/``nei``); <NA> when blank.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from klimafotavtrykk.messages import t
from klimafotavtrykk.provenance import column_letter

#: Reading lives in :mod:`klimafotavtrykk.tender.reader`; these names stay importable from here.
_READER_NAMES: tuple[str, ...] = ("Bid", "read_bid", "read_site_sheet", "bid_aliases",
                                  "bid_frames", "parse_yes_no", "parse_dataset_type",
                                  "site_amounts")

__all__ = ["SHEETS", "MATERIAL_COLUMNS", "SITE_COLUMNS", "DECLARATION_FIELDS", "DATASET_TYPES",
           "Column", "template_headers", "write_template", *_READER_NAMES]

#: Sheet keys in workbook order; names come from ``messages`` (``bid.sheet.<key>``).
SHEETS: tuple[str, ...] = ("guide", "materials", "site", "declaration")
#: Dataset types a bid may declare (as in factor tables).
DATASET_TYPES: tuple[str, ...] = ("product_epd", "industry_epd", "generic")
#: Fields of the declaration sheet, in row order.
DECLARATION_FIELDS: tuple[str, ...] = ("bidder", "org_number", "date", "price_nok")

_FIRST_DATA_ROW = 2      # header on row 1
_INPUT_ROWS = 300        # empty input rows prepared below pre-filled ones
_LISTS_SHEET = "Lister"  # hidden sheet holding the validation lists


@dataclass(frozen=True)
class Column:
    """One column of a bid sheet.

    Attributes
    ----------
    name : str
        Canonical column name; the header text is ``messages`` key ``bid.header.<name>``.
    kind : str
        ``text``, ``number`` (>= 0), ``share`` (0 <= x < 1), ``date`` or ``list``.
    choices : str, optional
        For ``list``: which list (:func:`_lists`).
    width : float
        Column width. [characters]
    prefilled : bool
        Filled from the tender's bill of quantities (locked when pre-filled).
    """

    name: str
    kind: str = "text"
    choices: str | None = None
    width: float = 14.0
    prefilled: bool = False


#: Columns of the materials sheet, in order.
MATERIAL_COLUMNS: tuple[Column, ...] = (
    Column("post_number", width=10, prefilled=True),
    Column("item_code", width=14, prefilled=True),
    Column("building_part", width=12, prefilled=True),
    Column("description", width=50, prefilled=True),
    Column("quantity", "number", width=11, prefilled=True),
    Column("unit", "list", "units", width=8, prefilled=True),
    Column("thickness_mm", "number", width=11, prefilled=True),
    Column("product", width=30),
    Column("epd_id", width=20),
    Column("epd_declared_unit", "list", "units", width=11),
    Column("epd_gwp_a1a3", "number", width=16),
    Column("dataset_type", "list", "dataset_types", width=14),
    Column("epd_valid_until", "date", width=13),
    Column("mass_per_unit", "number", width=13),
    Column("transport_km", "number", width=12),
    Column("transport_mode", "list", "transport_modes", width=18),
    Column("waste_rate", "share", width=10),
    Column("committed", "list", "yes_no", width=12),
)

#: Columns of the site sheet, in order.
SITE_COLUMNS: tuple[Column, ...] = (
    Column("category", "list", "categories", width=20),
    Column("activity", width=30),
    Column("machine", width=24),
    Column("machine_class", "list", "machine_classes", width=24),
    Column("carrier", "list", "carriers", width=18),
    Column("quantity", "number", width=11),
    Column("unit", "list", "site_units", width=10),
    Column("rated_power_kw", "number", width=12),
    Column("vehicle_class", "list", "transport_modes", width=18),
    Column("committed", "list", "yes_no", width=12),
)

def template_headers(lang: str = "nb") -> dict[str, list[str]]:
    """Header texts of the two tables, by sheet key.

    Parameters
    ----------
    lang : {"nb", "en"}

    Returns
    -------
    dict
        ``{"materials": [...], "site": [...]}`` in column order.
    """
    return {"materials": [t(f"bid.header.{c.name}", lang) for c in MATERIAL_COLUMNS],
            "site": [t(f"bid.header.{c.name}", lang) for c in SITE_COLUMNS]}


# ============================================================================ writing

def _lists(lang: str) -> dict[str, list[str]]:
    """Validation lists, from the shipped tables where one exists."""
    from klimafotavtrykk.factors import load_transport_modes
    from klimafotavtrykk.site_data import load_energy_carriers, load_machinery

    machinery = load_machinery().drop_duplicates("machine_class")
    carriers = list(dict.fromkeys(load_energy_carriers()["carrier"]))
    return {
        "units": ["m3", "m2", "m", "kg", "tonn", "stk"],
        "site_units": [t(f"bid.site_unit.{u}", lang) for u in ("l", "kwh", "nm3", "kg", "hours", "tkm")],
        "dataset_types": [t(f"bid.dataset_type.{d}", lang) for d in DATASET_TYPES],
        "yes_no": [t("bid.yes", lang), t("bid.no", lang)],
        "transport_modes": list(load_transport_modes().ids),
        "carriers": ["electricity", *carriers],
        "machine_classes": machinery[f"name_{lang}"].astype(str).tolist(),
        "categories": [t(f"bid.category.{c}", lang) for c in ("machine", "heating", "mass_transport",
                                                              "other")],
    }


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
    rows, site : DataFrame, optional
        Filled-in material rows and site rows (canonical column names of
        :data:`MATERIAL_COLUMNS` / :data:`SITE_COLUMNS`), written unlocked: how
        the examples and tests build filled bids from the same writer.
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
    lists = _lists(lang)
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
        hidden.cell(row=1, column=j, value=key)
        for i, value in enumerate(values, start=2):
            hidden.cell(row=i, column=j, value=value)
        ranges[key] = f"'{_LISTS_SHEET}'!${letter}$2:${letter}${len(values) + 1}"
    hidden.sheet_state = "hidden"

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
    """Data validation for a column, or None for free text."""
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
    frame = quantities.reset_index(drop=True)
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
        from klimafotavtrykk.tender.reader import parse_yes_no

        flags = parse_yes_no(values)
        return [None if pd.isna(v) else t("bid.yes" if v else "bid.no", lang) for v in flags]
    if column.choices == "dataset_types":
        labels = {d: t(f"bid.dataset_type.{d}", lang) for d in DATASET_TYPES}
        return [labels.get(v, v) for v in values]
    return [None if v is None else _plain_text(v) for v in values]


def _plain_text(value) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def __getattr__(name: str):
    if name in _READER_NAMES:
        from klimafotavtrykk.tender import reader

        return getattr(reader, name)
    raise AttributeError(f"module 'klimafotavtrykk.tender.template' has no attribute {name!r}")
