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

Reading goes through the library's reader for untrusted workbooks,
:func:`klimafotavtrykk.quantities.read_boq`, which refuses hostile files and
maps the headers through ``data/headers/aliases.csv``; :func:`bid_frames`
then turns the sheets into the frames the engine and the site model take.

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

import datetime as dt
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from klimafotavtrykk.errors import InputError
from klimafotavtrykk.messages import t

__all__ = [
    "SHEETS",
    "MATERIAL_COLUMNS",
    "SITE_COLUMNS",
    "DECLARATION_FIELDS",
    "DATASET_TYPES",
    "Column",
    "Bid",
    "template_headers",
    "write_template",
    "read_bid",
    "bid_aliases",
    "bid_frames",
    "parse_yes_no",
    "parse_dataset_type",
    "site_amounts",
]

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

_YES = ("ja", "j", "yes", "y", "true", "1", "x")
_NO = ("nei", "n", "no", "false", "0")
# Site-sheet units that the unit registry does not know, by meaning (spellings only).
_NM3 = ("nm3", "nm³", "sm3", "sm³", "normalkubikkmeter")
_TKM = ("tonnkm", "tonn-km", "tonnkilometer", "tkm", "tonne-km", "tonne km", "t km", "t*km")
_AMOUNT_BY_DIMENSION = {"volume": "litres", "energy": "kwh", "mass": "kg", "time": "machine_hours"}


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
        letter = _letter(j)
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
            sheet.column_dimensions[_letter(j)].width = column.width
        sheet.row_dimensions[1].height = 45
        sheet.freeze_panes = "A2"
        n_rows = len(filled) + _INPUT_ROWS
        last = _FIRST_DATA_ROW + n_rows - 1
        for j, column in enumerate(columns, start=1):
            letter = _letter(j)
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


def _letter(j: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(j)


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


# ============================================================================ reading

@dataclass(frozen=True, eq=False)
class Bid:
    """A filled bid workbook, read into frames.

    Attributes
    ----------
    file : str
        File name.
    sha256 : str
        Hash of the file as read, for the audit trail.
    materials : DataFrame
        :data:`~klimafotavtrykk.vocabulary.LINE_COLUMNS` plus the bid columns
        of the module glossary.
    site : DataFrame
        Activity table for :func:`~klimafotavtrykk.site.calculate_site`, plus
        ``committed`` and ``category``.
    declaration : dict
        ``bidder``, ``org_number``, ``date``, ``price_nok`` [NOK] and
        ``source_ref`` of each (``<name>_ref``).
    findings : DataFrame
        Cells that were read but not understood: ``source_ref``, ``kind``, ``detail``.
    warnings : tuple of str
        The reader's warnings.
    """

    file: str
    sha256: str | None
    materials: pd.DataFrame
    site: pd.DataFrame
    declaration: dict[str, Any]
    findings: pd.DataFrame
    warnings: tuple[str, ...] = field(default_factory=tuple)


def _sheet_names(key: str) -> tuple[str, ...]:
    from klimafotavtrykk.messages import LANGUAGES

    return tuple(dict.fromkeys(t(f"bid.sheet.{key}", lang) for lang in LANGUAGES))


def read_bid(path: str | Path) -> Bid:
    """Read a filled bid workbook.

    The materials and site sheets are read with
    :func:`~klimafotavtrykk.quantities.read_boq` (size caps, no XML entities,
    cached values only, headers through ``data/headers/aliases.csv``), under
    their bokmål or English names. The bid's own columns (EPD number, GWP,
    dataset type ...) are then taken from the same rows of the file the
    reader has accepted, by header (:func:`bid_aliases`); the declaration
    sheet likewise.

    Parameters
    ----------
    path : str or Path
        The bid ``.xlsx``.

    Returns
    -------
    Bid

    Raises
    ------
    InputError
        (or a subclass such as ``UnsafeWorkbookError``) when the file cannot
        be read safely or lacks a sheet.
    """
    from klimafotavtrykk.quantities import read_boq

    path = Path(path)
    tables, metas, sheets, notes = {}, {}, {}, []
    for key in ("materials", "site"):
        sheets[key], tables[key], metas[key] = _read_named(read_boq, path, key)
    book = _vetted_book(path)
    for key, columns in (("materials", MATERIAL_COLUMNS), ("site", SITE_COLUMNS)):
        tables[key], unread = _with_bid_columns(book, sheets[key], tables[key], metas[key], columns)
        if unread:
            notes.append(f"{path.name}: {sheets[key]}: columns not read: {', '.join(unread)}")
    declaration = _read_declaration(book, path.name)
    materials, site, findings = bid_frames(tables["materials"], tables["site"])
    cells = [_reader_cells(m, site_units=key == "site") for key, m in metas.items()]
    findings = pd.concat([findings, *cells], ignore_index=True)
    notes += [str(w) for m in metas.values() for w in getattr(m, "warnings", ())
              if not str(w).startswith("unmapped_columns")]  # bid columns are mapped here
    return Bid(file=path.name, sha256=getattr(metas["materials"], "sha256", None),
               materials=materials, site=site, declaration=declaration, findings=findings,
               warnings=tuple(dict.fromkeys(notes)))


def _reader_cells(meta, site_units: bool = False) -> pd.DataFrame:
    """The reader's per-cell findings (text numbers, unknown units ...) as bid findings.

    On the site sheet, units the site sheet knows (Nm3, tonne-km) are not reported.
    """
    cells = getattr(meta, "cells", None)
    if cells is None or not len(cells):
        return pd.DataFrame(columns=["source_ref", "kind", "detail"])
    if site_units:
        known = site_amounts(np.ones(len(cells)), cells["found"].astype(object))["unit_known"]
        cells = cells[~((cells["kind"] == "unknown_unit").to_numpy() & known.to_numpy())]
    return pd.DataFrame({"source_ref": cells["source_ref"].to_numpy(dtype=object), "kind": "reader",
                         "detail": (cells["kind"].astype(str) + ": "
                                    + cells["found"].astype(str)).to_numpy(dtype=object)})


def bid_aliases() -> dict[str, str]:
    """Normalised header -> canonical name, for every bid column in either language."""
    from klimafotavtrykk.messages import LANGUAGES
    from klimafotavtrykk.quantities.headers import normalise_header

    out = {}
    for column in (*MATERIAL_COLUMNS, *SITE_COLUMNS):
        for lang in LANGUAGES:
            out[normalise_header(t(f"bid.header.{column.name}", lang))] = column.name
        out[normalise_header(column.name)] = column.name
    return out


def _read_named(read_boq, path: Path, key: str):
    """Read the sheet of ``key`` under its bokmål or English name: (name, items, meta)."""
    import warnings

    names = _sheet_names(key)
    last = None
    for name in names:
        try:
            with warnings.catch_warnings():
                # columns the reader does not know are the bid's own: mapped by _with_bid_columns
                warnings.filterwarnings("ignore", message=".*unmapped_columns")
                items, meta = read_boq(path, sheet=name)
            return name, items, meta
        except InputError as exc:
            if exc.code != "sheet_not_found":
                raise
            last = exc
    raise InputError(f"sheet {' or '.join(names)} not found", file=path.name, sheet=names[0],
                     expected=" | ".join(names), code=getattr(last, "code", "sheet_not_found"))


def _vetted_book(path: Path):
    """The workbook opened for cell values, after :func:`read_boq` has accepted the file."""
    from python_calamine import CalamineWorkbook

    try:
        return CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # noqa: BLE001 - calamine has its own error classes
        raise InputError(f"cannot read workbook: {exc}", file=path.name,
                         code="unreadable_file") from None


def _sheet_rows(book, sheet: str) -> list[list]:
    try:
        return book.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
    except Exception as exc:  # noqa: BLE001 - calamine has its own error classes
        raise InputError(f"cannot read sheet: {exc}", sheet=sheet, code="unreadable_file") from None


def _with_bid_columns(book, sheet: str, items: pd.DataFrame, meta, columns
                      ) -> tuple[pd.DataFrame, list[str]]:
    """Add the bid columns the reader did not map, from the same rows of the vetted file.

    Rows are aligned through each item's ``source_ref`` (its row number), so
    no row is added or lost; a bid column missing from the sheet stays empty.

    Returns
    -------
    items : DataFrame
        With every column of ``columns``.
    unread : list of str
        Header texts that neither the reader nor the bid template knows.
    """
    from klimafotavtrykk.quantities.headers import normalise_header

    mapped = set(getattr(meta, "columns", {}) or {})
    wanted = [c.name for c in columns if c.name not in mapped]
    out = items.copy()
    rows = _sheet_rows(book, sheet)
    header_row = int(getattr(meta, "header_row", 1) or 1)  # 1-based
    header = rows[header_row - 1] if len(rows) >= header_row else []
    aliases = bid_aliases()
    where, unread = {}, []
    known = {normalise_header(h) for h in (getattr(meta, "header_map", {}) or {})}
    for j, cell in enumerate(header):  # header cells, one row
        key = normalise_header(cell)
        name = aliases.get(key)
        if name in wanted and name not in where:
            where[name] = j
        elif key and name is None and key not in known:
            unread.append(str(cell))
    row_index = _row_numbers(items["source_ref"]) - 1
    inside = (row_index >= 0) & (row_index < len(rows))
    picked = [c for c in wanted if c in where]
    if picked and inside.any():
        take = [where[c] for c in picked]
        width = max(take) + 1
        chosen = [rows[i] for i in row_index[inside]]  # the item rows only
        block = np.array([(r + [None] * (width - len(r)))[:width] if len(r) < width else r[:width]
                          for r in chosen], dtype=object)[:, take]
    for name in wanted:
        values = np.full(len(items), None, dtype=object)
        if name in picked and inside.any():
            values[inside] = block[:, picked.index(name)]
            values[values == ""] = None
        out[name] = values
    return out, unread


def _row_numbers(refs: pd.Series) -> np.ndarray:
    """1-based row number of each ``source_ref`` (``[f.xlsx]Ark!E14`` -> 14); 0 when none."""
    text = refs.astype(str)
    if not len(text):
        return np.zeros(0, dtype=np.int64)
    first = text.iloc[0]
    prefix = first.rstrip("0123456789")
    same = text.str.startswith(prefix).to_numpy() & (text.str.len() > len(prefix)).to_numpy()
    if same.all():  # one quantity column: the common prefix, then digits
        numbers = pd.to_numeric(text.str.slice(len(prefix)), errors="coerce")
    else:
        numbers = pd.to_numeric(text.str.extract(r"(\d+)$")[0], errors="coerce")
    return numbers.fillna(0).astype(np.int64).to_numpy()


def _read_declaration(book, file: str) -> dict[str, Any]:
    """Bidder, organisation number, date and price from the declaration sheet.

    The labels in column A are matched in either language; a missing sheet
    or label leaves the value None (a missing price rejects the bid later).
    """
    from klimafotavtrykk.messages import LANGUAGES
    from klimafotavtrykk.provenance import source_ref

    labels = {_fold(t(f"bid.declaration.{name}", lang)): name
              for name in DECLARATION_FIELDS for lang in LANGUAGES}
    out: dict[str, Any] = dict.fromkeys(DECLARATION_FIELDS)
    names = [n for n in _sheet_names("declaration") if n in book.sheet_names]
    if not names:
        return out
    rows = _sheet_rows(book, names[0])
    for i, row in enumerate(rows[:50], start=1):  # a label column of a few rows, not line items
        if len(row) < 2 or not isinstance(row[0], str):
            continue
        name = labels.get(_fold(row[0]))
        if name:
            out[name] = row[1] if row[1] != "" else None
            out[f"{name}_ref"] = source_ref(file, names[0], f"B{i}")
    out["price_nok"] = _to_float(out["price_nok"])
    for name in ("bidder", "org_number"):
        if out[name] is not None:
            out[name] = _plain_text(out[name]).strip() or None
    if isinstance(out["date"], dt.datetime):
        out["date"] = out["date"].date()
    return out


def _fold(text: str) -> str:
    return " ".join(str(text).split()).casefold()


def _to_float(value) -> float:
    if value is None or isinstance(value, bool):
        return float("nan")
    if isinstance(value, int | float):
        return float(value)
    text = str(value).replace("\u00a0", "").replace(" ", "").replace(",", ".")
    try:
        return float(text)
    except ValueError:
        return float("nan")


def parse_yes_no(values) -> pd.Series:
    """``ja``/``nei`` (or ``yes``/``no``, ``x``, ``1``/``0``) as a boolean Series; blank and other text <NA>.

    Each distinct spelling is folded once.
    """
    series = pd.Series(values, dtype=object)
    codes, distinct = pd.factorize(series.astype(str).str.strip().str.casefold().where(series.notna()))
    mapped = pd.array([True if d in _YES else False if d in _NO else pd.NA for d in distinct],
                      dtype="boolean")
    out = pd.array(np.full(len(series), pd.NA), dtype="boolean")
    hit = codes >= 0
    out[hit] = mapped[codes[hit]]
    return pd.Series(out, index=series.index, name="committed")


def parse_dataset_type(values) -> pd.Series:
    """Dataset-type labels in either language (or canonical) -> ``product_epd`` ... ; others None."""
    from klimafotavtrykk.messages import LANGUAGES

    known = {_fold(d): d for d in DATASET_TYPES}
    known |= {_fold(t(f"bid.dataset_type.{d}", lang)): d for d in DATASET_TYPES for lang in LANGUAGES}
    known |= {_fold(d.replace("_", " ")): d for d in DATASET_TYPES}
    series = pd.Series(values, dtype=object)
    folded = series.where(series.isna(), series.astype(str).map(_fold))
    return folded.map(known).astype(object).where(folded.map(known).notna(), None)


def site_amounts(quantity, unit) -> pd.DataFrame:
    """Site amounts by unit: litres, kWh, Nm³, kg, machine hours or tonne-km.

    Each distinct unit spelling is parsed once (the unit registry, plus the
    site-only spellings of Nm³ and tonne-km).

    Parameters
    ----------
    quantity : array-like of float
        Amount in ``unit``.
    unit : array-like of str
        Unit as written.

    Returns
    -------
    DataFrame
        Columns ``litres`` [L], ``kwh`` [kWh], ``nm3`` [m³], ``kg`` [kg],
        ``machine_hours`` [h], ``tonne_km`` [t km] (NaN where not that unit)
        and ``unit_known`` (bool).
    """
    from klimafotavtrykk.units import parse_units

    q = np.asarray(quantity, dtype=float)
    texts = pd.Series(unit, dtype=object)
    codes, distinct = pd.factorize(texts.where(texts.notna(), None))
    folded = pd.Series(distinct, dtype=object).astype(str).str.strip()
    parsed = parse_units(folded.tolist()) if len(folded) else pd.DataFrame(
        columns=["dimension", "scale", "known"])
    lower = folded.str.casefold()
    reference = parse_units(["l", "kWh", "kg", "h"])["scale"].to_numpy(float)  # per column unit
    per_column = dict(zip(("volume", "energy", "mass", "time"), reference, strict=True))
    out = {c: np.full(len(q), np.nan) for c in ("litres", "kwh", "nm3", "kg", "machine_hours",
                                                "tonne_km")}
    known = np.zeros(len(q), dtype=bool)
    for k, spelling in enumerate(folded):  # distinct unit spellings, a handful
        rows = codes == k
        if lower[k] in _NM3:
            out["nm3"][rows], known[rows] = q[rows], True
            continue
        if lower[k] in _TKM:
            out["tonne_km"][rows], known[rows] = q[rows], True
            continue
        info = parsed.loc[spelling]
        column = _AMOUNT_BY_DIMENSION.get(info["dimension"]) if bool(info["known"]) else None
        if column:
            out[column][rows] = q[rows] * float(info["scale"]) / per_column[info["dimension"]]
            known[rows] = True
    return pd.DataFrame({**out, "unit_known": known})


def bid_frames(materials: pd.DataFrame, site: pd.DataFrame
               ) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Turn the read sheets into engine frames, keeping every row.

    Parameters
    ----------
    materials : DataFrame
        The materials sheet as the reader returns it (canonical names).
    site : DataFrame
        The site sheet as the reader returns it (canonical names).

    Returns
    -------
    materials : DataFrame
        Line columns plus the bid columns (module glossary), typed.
    site : DataFrame
        Activity table (columns of :data:`klimafotavtrykk.site.ACTIVITY_COLUMNS`
        that apply) with ``committed`` and ``category``.
    findings : DataFrame
        ``source_ref``, ``kind`` (``bad_dataset_type``, ``bad_date``,
        ``bad_committed``, ``unknown_site_unit``), ``detail`` (the value found).
    """
    from klimafotavtrykk.vocabulary import LINE_COLUMNS

    m = materials.reset_index(drop=True).copy()
    found = []
    for name in (*LINE_COLUMNS, "thickness_mm"):
        if name not in m.columns:
            m[name] = np.arange(len(m)) if name == "row_id" else None
    for name in ("product", "epd_id", "epd_declared_unit", "dataset_type", "committed"):
        if name not in m.columns:
            m[name] = None
    for name in ("epd_gwp_a1a3", "mass_per_unit", "epd_valid_until"):
        if name not in m.columns:
            m[name] = np.nan
    for name in ("epd_gwp_a1a3", "mass_per_unit"):
        m[name] = _numbers(m[name])
    m["epd_id"] = _clean_text(m["epd_id"])
    raw_type = _clean_text(m["dataset_type"])
    m["dataset_type"] = parse_dataset_type(raw_type)
    found.append(_finding(m, raw_type.notna() & m["dataset_type"].isna(), "bad_dataset_type", raw_type))
    raw_date = m["epd_valid_until"]
    m["epd_valid_until"] = _dates(raw_date)
    found.append(_finding(m, raw_date.notna() & m["epd_valid_until"].isna() & (_clean_text(raw_date).notna()),
                          "bad_date", raw_date))
    raw_committed = _clean_text(m["committed"])
    m["committed"] = parse_yes_no(raw_committed).to_numpy()
    found.append(_finding(m, raw_committed.notna() & m["committed"].isna(), "bad_committed",
                          raw_committed))

    s = site.reset_index(drop=True).copy()
    if "source_ref" not in s.columns:
        s["source_ref"] = None
    for name in ("quantity", "rated_power_kw"):
        s[name] = _numbers(s[name]) if name in s.columns else np.nan
    for name in ("unit", "category", "carrier", "machine_class", "vehicle_class", "activity",
                 "machine", "committed"):
        s[name] = _clean_text(s[name]) if name in s.columns else pd.Series(None, index=s.index,
                                                                             dtype=object)
    amounts = site_amounts(s["quantity"], s["unit"])
    unknown = s["unit"].notna() & ~amounts["unit_known"]
    found.append(_finding(s, unknown, "unknown_site_unit", s["unit"]))
    raw_site_committed = s["committed"]
    committed = parse_yes_no(raw_site_committed)
    found.append(_finding(s, raw_site_committed.notna() & committed.isna(), "bad_committed",
                          raw_site_committed))
    category = _site_category(s["category"])
    activities = pd.DataFrame({
        "row_id": np.arange(len(s)),
        "source_ref": s["source_ref"] if "source_ref" in s.columns else None,
        "activity": s["activity"].where(s["activity"].notna(), s["category"]),
        "machine": s["machine"],
        "machine_class": _machine_class(s["machine_class"]),
        "carrier": s["carrier"].str.casefold(),
        **{c: amounts[c].to_numpy() for c in ("litres", "kwh", "nm3", "kg", "machine_hours",
                                               "tonne_km")},
        "rated_power_kw": s["rated_power_kw"],
        "vehicle_class": s["vehicle_class"],
        "scope": np.where(category == "mass_transport", "mass_transport", "site"),
        "committed": committed.to_numpy(),
        "category": category,
    })
    findings = pd.concat([f for f in found if len(f)], ignore_index=True) if any(
        len(f) for f in found) else pd.DataFrame(columns=["source_ref", "kind", "detail"])
    return m, activities, findings


def _finding(frame: pd.DataFrame, mask, kind: str, values) -> pd.DataFrame:
    mask = np.asarray(mask, dtype=bool)
    refs = frame["source_ref"] if "source_ref" in frame.columns else pd.Series(None, index=frame.index)
    return pd.DataFrame({"source_ref": refs[mask].to_numpy(dtype=object), "kind": kind,
                         "detail": pd.Series(values)[mask].astype(str).to_numpy(dtype=object)})


def _clean_text(values) -> pd.Series:
    """Stripped text with blanks as None; numbers written as text without a trailing ``.0``."""
    series = pd.Series(values, dtype=object)
    codes, distinct = pd.factorize(series)
    cleaned = np.array([_plain_text(d).strip() or None for d in distinct] + [None], dtype=object)
    return pd.Series(cleaned[codes], index=series.index, dtype=object)


def _numbers(values) -> np.ndarray:
    """Numbers from numeric cells, or from text with a decimal comma and blank thousands."""
    series = pd.Series(values, dtype=object)
    numeric = pd.to_numeric(series, errors="coerce").astype(float)
    text = series.where(numeric.isna() & series.notna())
    if text.notna().any():
        cleaned = (text.astype(str).str.replace("\u00a0", "", regex=False)
                   .str.replace(" ", "", regex=False).str.replace(",", ".", regex=False))
        numeric = numeric.fillna(pd.to_numeric(cleaned.where(text.notna()), errors="coerce"))
    return numeric.to_numpy(dtype=float)


def _dates(values) -> pd.Series:
    """Dates from date cells, ISO text (2026-05-31) or Norwegian text (31.05.2026)."""
    series = pd.Series(values, dtype=object)
    codes, distinct = pd.factorize(series)
    parsed = [_one_date(d) for d in distinct] + [pd.NaT]  # distinct values only
    return pd.Series(pd.to_datetime(np.array(parsed, dtype=object)[codes]), index=series.index)


def _one_date(value):
    if isinstance(value, dt.datetime | dt.date | pd.Timestamp):
        return pd.Timestamp(value).normalize()
    text = str(value).strip()
    for fmt in ("%Y-%m-%d", "%d.%m.%Y", "%Y-%m-%d %H:%M:%S"):
        try:
            return pd.Timestamp(dt.datetime.strptime(text, fmt))
        except ValueError:
            continue
    return pd.NaT


def _site_category(values: pd.Series) -> np.ndarray:
    from klimafotavtrykk.messages import LANGUAGES

    keys = ("machine", "heating", "mass_transport", "other")
    known = {_fold(t(f"bid.category.{k}", lang)): k for k in keys for lang in LANGUAGES}
    known |= {k: k for k in keys}
    folded = values.where(values.isna(), values.astype(str).map(_fold))
    return folded.map(known).fillna("other").to_numpy(dtype=object)


def _machine_class(values: pd.Series) -> pd.Series:
    """Machine-class names in either language (or keys) -> keys; unknown text kept for the model to report."""
    from klimafotavtrykk.site_data import load_machinery

    table = load_machinery().drop_duplicates("machine_class")
    known = {_fold(k): k for k in table["machine_class"]}
    for lang in ("nb", "en"):
        known |= {_fold(n): k for n, k in zip(table[f"name_{lang}"], table["machine_class"],
                                              strict=True)}
    folded = values.where(values.isna(), values.astype(str).map(_fold))
    return folded.map(known).where(folded.map(known).notna(), values).astype(object)


def read_site_sheet(path: str | Path) -> tuple[pd.DataFrame, pd.DataFrame] | None:
    """Read the site sheet (*Byggeplass* / *Site*) of a workbook, if it has one.

    The sheet has the columns of the bid template's site sheet (machine or
    activity, energy carrier, amount and unit, rated power, committed ...),
    so a project team can describe its site in the same workbook as its bill
    of quantities. The file passes the reader's safety checks first.

    Parameters
    ----------
    path : str or Path
        An ``.xlsx`` workbook.

    Returns
    -------
    (site, findings) or None
        ``site``: activity table for :func:`klimafotavtrykk.site.calculate_site`;
        ``findings``: cells read but not understood (``source_ref``, ``kind``,
        ``detail``). None when the workbook has no site sheet.
    """
    from klimafotavtrykk.quantities import read_boq

    path = Path(path)
    try:
        sheet, items, meta = _read_named(read_boq, path, "site")
    except InputError as exc:
        if exc.code == "sheet_not_found":
            return None
        raise
    book = _vetted_book(path)
    items, _ = _with_bid_columns(book, sheet, items, meta, SITE_COLUMNS)
    empty = pd.DataFrame(columns=items.columns[:0])
    _, site, findings = bid_frames(empty, items)
    cells = _reader_cells(meta, site_units=True)
    return site, pd.concat([findings, cells], ignore_index=True)
