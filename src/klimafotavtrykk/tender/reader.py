"""Read a filled bid climate workbook (*klimaskjema*) into the frames the engine takes.

:func:`read_bid` opens the file once through the library's reader for
untrusted workbooks (:func:`klimafotavtrykk.quantities.open_workbook`: one
archive check, one parser open), reads the materials and site sheets as bills
of quantities with the bid's own columns kept (:func:`bid_aliases`), and the
declaration sheet; :func:`bid_frames` then types the columns and lists every
cell it could not understand. The sheets and columns are those of
:mod:`klimafotavtrykk.tender.schema`.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from klimafotavtrykk._frames import COPY_ON_WRITE, empty_once, shape
from klimafotavtrykk._string_storage import none_cells, python_strings
from klimafotavtrykk.errors import InputError
from klimafotavtrykk.messages import LANGUAGES, t
from klimafotavtrykk.tender.schema import (
    DECLARATION_FIELDS,
    MATERIAL_COLUMNS,
    NO_WORDS,
    SITE_CATEGORIES,
    SITE_COLUMNS,
    YES_WORDS,
    bid_aliases,
    choice_ids,
    fold,
    plain_text,
    sheet_names,
)

__all__ = ["Bid", "read_bid", "read_site_sheet", "bid_frames", "site_amounts"]

#: Column of the site activity table that takes an amount, by the dimension of its unit.
_AMOUNT_BY_DIMENSION = {"volume": "litres", "energy": "kwh", "normal_volume": "nm3", "mass": "kg",
                        "time": "machine_hours", "transport_work": "tonne_km"}
#: Unit of each amount column, as spelled in ``data/units/aliases.csv``.
_AMOUNT_UNITS = {"litres": "l", "kwh": "kWh", "nm3": "Nm3", "kg": "kg", "machine_hours": "h",
                 "tonne_km": "tkm"}


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
    columns : dict
        Column name -> column letter of the materials sheet as read, so that
        a finding can name the cell of the field it is about.
    """

    file: str
    sha256: str | None
    materials: pd.DataFrame
    site: pd.DataFrame
    declaration: dict[str, Any]
    findings: pd.DataFrame
    warnings: tuple[str, ...] = field(default_factory=tuple)
    columns: dict[str, str] = field(default_factory=dict)


@python_strings
def read_bid(path: str | Path) -> Bid:
    """Read a filled bid workbook.

    The file passes the reader's safety checks once
    (:func:`~klimafotavtrykk.quantities.open_workbook`: size caps, no XML
    entities, cached values only); the materials and site sheets are then read
    as bills of quantities, under their bokmål or English names, with headers
    through ``data/headers/aliases.csv`` and the bid's own columns (EPD
    number, GWP, dataset type ...) kept from the same rows by header
    (:func:`bid_aliases`); the declaration sheet likewise.

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
    from klimafotavtrykk.quantities import open_workbook

    path = Path(path)
    book = open_workbook(path)
    aliases = bid_aliases()
    tables, metas, notes = {}, {}, []
    for key, columns in (("materials", MATERIAL_COLUMNS), ("site", SITE_COLUMNS)):
        sheet, items, metas[key] = _read_named(book, key, aliases, _TYPED_HERE[key])
        tables[key] = _with_columns(items, columns)
        notes += [f"{path.name}: {sheet}: {w}" if str(w).startswith("unmapped_columns") else str(w)
                  for w in metas[key].warnings]
    declaration = _read_declaration(book, path.name)
    materials, site, findings = bid_frames(tables["materials"], tables["site"])
    cells = [_reader_cells(m) for m in metas.values()]
    parts = [findings, *cells, _other_materials_sheets(book, metas["materials"].sheet)]
    if any(len(part) for part in parts):
        findings = pd.concat(parts, ignore_index=True)
    else:  # nothing found (the usual bid): the concat's frame, made once per process
        found = shape(*parts)
        findings = empty_once(None if found is None else ("read_bid.findings", found),
                              lambda: pd.concat(parts, ignore_index=True))
    letters = {**getattr(metas["materials"], "columns", {}),
               **getattr(metas["materials"], "extra_columns", {})}  # for findings at a field's cell
    return Bid(file=path.name, sha256=book.sha256, materials=materials, site=site,
               declaration=declaration, findings=findings, warnings=tuple(dict.fromkeys(notes)),
               columns=letters)


#: The bid's own columns of each sheet that :func:`bid_frames` types itself from the cells: read
#: as ``object`` (``untyped`` of :meth:`~klimafotavtrykk.quantities.excel.CheckedWorkbook.read`),
#: without a text type inferred first and converted back (0.6 ms of a 5 000-line bid). The
#: materials sheet's ``product`` and ``epd_declared_unit`` go into the frame as read: typed there.
_TYPED_HERE: dict[str, frozenset[str]] = {
    "materials": frozenset({"epd_id", "epd_gwp_a1a3", "dataset_type", "epd_valid_until",
                            "mass_per_unit", "committed", "line_key"}),
    "site": frozenset(c.name for c in SITE_COLUMNS),
}


def _read_named(book, key: str, aliases: dict[str, str], untyped: frozenset[str] = frozenset()):
    """Read the sheet of ``key`` under its bokmål or English name: (name, items, meta)."""
    names = sheet_names(key)
    last = None
    for name in names:
        try:
            items, meta = book.read(name, extra_aliases=aliases, untyped=untyped)
            return name, items, meta
        except InputError as exc:
            if exc.code != "sheet_not_found":
                raise
            last = exc
    raise InputError(f"sheet {' or '.join(names)} not found", file=book.file, sheet=names[0],
                     expected=" | ".join(names), code=getattr(last, "code", "sheet_not_found"))


def _with_columns(items: pd.DataFrame, columns) -> pd.DataFrame:
    """Every column of ``columns`` present (None where the sheet lacks it), template order last."""
    missing = {c.name: np.full(len(items), None, dtype=object) for c in columns
               if c.name not in items.columns}
    return items.assign(**missing) if missing else items


def _reader_cells(meta) -> pd.DataFrame:
    """Turn the reader's per-cell findings (text numbers, unknown units ...) into bid findings."""
    cells = getattr(meta, "cells", None)
    if cells is None or not len(cells):
        return empty_once("read_bid.no_reader_cells",
                          lambda: pd.DataFrame(columns=["source_ref", "kind", "reason", "detail"]))
    # the cell's kind is the reason (messages: cell.<kind>), what it held the detail
    return pd.DataFrame({"source_ref": cells["source_ref"].to_numpy(dtype=object), "kind": "reader",
                         "reason": cells["kind"].astype(str).to_numpy(dtype=object),
                         "detail": cells["found"].fillna("").astype(str).to_numpy(dtype=object)})


def _other_materials_sheets(book, read: str) -> pd.DataFrame:
    """A finding per sheet besides the one read that looks like a materials sheet.

    A bid with *Materials* and *Materialer*, or *Materialer (2)*, holds two
    versions of its lines; only one is read, so the other is named, never
    silently ignored. Looks like: its name, folded, contains the stem of a
    materials-sheet name in any language (``material``).
    """
    stems = {fold(name)[:8] for name in sheet_names("materials")}  # "material" in nb and en
    others = [name for name in book.sheet_names
              if name != read and any(stem in fold(name) for stem in stems)]
    if not others:  # one materials sheet (the usual bid): the frame without rows, made once
        return empty_once("read_bid.no_other_sheets", lambda: _sheets_frame(book.file, [], read))
    return _sheets_frame(book.file, others, read)


def _sheets_frame(file, others: list[str], read: str) -> pd.DataFrame:
    """The findings of :func:`_other_materials_sheets`, one row per other sheet."""
    from klimafotavtrykk.provenance import source_ref

    return pd.DataFrame({"source_ref": [source_ref(file, name, "A1") for name in others],
                         "kind": "second_materials_sheet", "reason": "",
                         "detail": [f"{name} | {read}" for name in others]},
                        columns=["source_ref", "kind", "reason", "detail"])


def _read_declaration(book, file: str) -> dict[str, Any]:
    """Bidder, organisation number, date and price from the declaration sheet.

    The labels in column A are matched in either language; a missing sheet
    or label leaves the value None (a missing price rejects the bid later).
    """
    from klimafotavtrykk.provenance import source_ref

    labels = {fold(t(f"bid.declaration.{name}", lang)): name
              for name in DECLARATION_FIELDS for lang in LANGUAGES}
    out: dict[str, Any] = dict.fromkeys(DECLARATION_FIELDS)
    names = [n for n in sheet_names("declaration") if n in book.sheet_names]
    if not names:
        return out
    rows = book.rows(names[0])
    for i, row in enumerate(rows[:50], start=1):  # a label column of a few rows, not line items
        if len(row) < 2 or not isinstance(row[0], str):
            continue
        name = labels.get(fold(row[0]))
        if name:
            out[name] = row[1] if row[1] != "" else None
            out[f"{name}_ref"] = source_ref(file, names[0], f"B{i}")
    out["price_nok"] = _to_float(out["price_nok"])
    for name in ("bidder", "org_number"):
        if out[name] is not None:
            out[name] = plain_text(out[name]).strip() or None
    if isinstance(out["date"], dt.datetime):
        out["date"] = out["date"].date()
    return out


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


def site_amounts(quantity, unit) -> pd.DataFrame:
    """Sort site amounts by unit into litres, kWh, Nm³, kg, machine hours or tonne-km.

    Each distinct unit spelling is parsed once, through ``data/units/aliases.csv``
    and the unit registry (:func:`klimafotavtrykk.units.unit_codes`), and
    converted to its column's unit.

    Parameters
    ----------
    quantity : array-like of float
        Amount in ``unit``.
    unit : array-like of str
        Unit as written.

    Returns
    -------
    DataFrame
        Columns ``litres`` [L], ``kwh`` [kWh], ``nm3`` [Nm³], ``kg`` [kg],
        ``machine_hours`` [h], ``tonne_km`` [t km] (NaN where not that unit)
        and ``unit_known`` (bool: the unit is known and of one of these).
    """
    from klimafotavtrykk.units import unit_codes

    q = np.asarray(quantity, dtype=float)
    codes, distinct = pd.factorize(np.asarray(unit, dtype=object), use_na_sentinel=True)
    if all(type(u) is str for u in distinct):  # the usual case: each spelling parsed once a process
        looked_up = [_amount_unit(u) for u in distinct]
        column = np.array([c for c, _ in looked_up] + [None], dtype=object)
        scale = np.array([s for _, s in looked_up] + [np.nan], dtype=float)
    else:  # a number or date in a unit cell: parsed here, as it is
        codes, parsed = unit_codes(pd.Series(unit, dtype=object))
        column = np.append(parsed["dimension"].map(_AMOUNT_BY_DIMENSION).where(
            parsed["known"].astype(bool)).to_numpy(dtype=object), None)
        scale = np.append(parsed["scale"].to_numpy(dtype=float), np.nan)
    per_column = _amount_scales()  # base units per column unit
    line_column = column[codes]
    line_scale = scale[codes]
    out = {}
    for name, unit_scale in per_column.items():  # six amount columns, not rows
        rows = line_column == name
        out[name] = np.where(rows, q * line_scale / unit_scale, np.nan)
    known = pd.notna(line_column) & (codes >= 0)
    return pd.DataFrame({**out, "unit_known": known.astype(bool)})


@functools.lru_cache(maxsize=1024)
def _amount_unit(spelling: str) -> tuple[str | None, float]:
    """Amount column (None: not an amount unit or unknown) and base units per unit of a spelling.

    Parsed through :func:`klimafotavtrykk.units.parse_units`, once per distinct
    spelling and process: a bid's site sheet has a handful of rows, and a
    parse costs a frame.
    """
    from klimafotavtrykk.units import parse_units

    parsed = parse_units([spelling])
    known = bool(parsed["known"].iloc[0])
    column = _AMOUNT_BY_DIMENSION.get(parsed["dimension"].iloc[0]) if known else None
    return column, float(parsed["scale"].iloc[0])


@functools.cache
def _amount_scales() -> dict[str, float]:
    """Base units per unit of each amount column (the unit registry's scales), once per process."""
    from klimafotavtrykk.units import parse_units

    reference = parse_units(list(_AMOUNT_UNITS.values()))["scale"].to_numpy(dtype=float)
    return dict(zip(_AMOUNT_UNITS, reference.tolist(), strict=True))


def bid_frames(materials: pd.DataFrame, site: pd.DataFrame
               ) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Turn the read sheets into engine frames, keeping every row.

    Each column is typed as one array (each distinct value parsed once), and
    each frame is built once with all its columns.

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
        ``bad_committed``, ``unknown_site_unit``, ``mass_transport_metered``: a mass-transport
        row given as fuel, energy or hours, counted as site energy), ``detail`` (the value found).
    """
    m, found = _material_frame(materials)
    activities = _site_frame(site, found)
    found = [f for f in found if f is not None]
    findings = pd.concat(found, ignore_index=True) if found else empty_once(
        "bid_frames.no_findings", lambda: pd.DataFrame(columns=["source_ref", "kind", "detail"]))
    return m, activities, findings


def _material_frame(materials: pd.DataFrame) -> tuple[pd.DataFrame, list]:
    """The typed materials frame (built once) and its findings (None where none)."""
    from klimafotavtrykk.vocabulary import LINE_COLUMNS

    n = len(materials)
    index = pd.RangeIndex(n)
    # the columns as read, in order (as Series: their dtypes stay), then what is added
    if not isinstance(materials.index, pd.RangeIndex) or materials.index.start != 0 or (
            materials.index.step != 1):
        materials = materials.reset_index(drop=True)
    columns: dict[str, Any] = dict(materials.items())
    for name in (*LINE_COLUMNS, "thickness_mm"):
        if name not in columns:
            columns[name] = np.arange(n) if name == "row_id" else None
    for name in ("product", "epd_id", "epd_declared_unit", "dataset_type", "committed"):
        columns.setdefault(name, None)
    for name in ("epd_gwp_a1a3", "mass_per_unit", "epd_valid_until"):
        columns.setdefault(name, np.nan)
    refs = _array(columns["source_ref"], n)
    for name in ("epd_gwp_a1a3", "mass_per_unit"):
        columns[name] = _numbers(_column(columns[name], n))
    columns["epd_id"] = _object_series(_clean_array(_array(columns["epd_id"], n)))
    columns["line_key"] = (_object_series(_clean_array(_array(columns["line_key"], n)))
                           if "line_key" in materials.columns else None)  # tender key
    columns["transport_mode"] = _object_series(_choice_array(_array(columns["transport_mode"], n),
                                                             "transport_modes"))
    found = []
    raw_type = _clean_array(_array(columns["dataset_type"], n))
    dataset_type = _lookup_array(raw_type, _dataset_types())
    columns["dataset_type"] = _object_series(dataset_type)
    found.append(_found(refs, _present(raw_type) & ~_present(dataset_type), "bad_dataset_type",
                        raw_type))
    raw_date = _array(columns["epd_valid_until"], n)
    dates = _date_array(raw_date)
    columns["epd_valid_until"] = pd.Series(dates, copy=False)
    bad = _present(raw_date) & np.isnat(dates)
    if bad.any():  # text that is no date: not blank text
        bad &= _present(_clean_array(raw_date))
    found.append(_found(refs, bad, "bad_date", raw_date))
    raw_committed = _clean_array(_array(columns["committed"], n))
    committed, known = _yes_no_array(raw_committed)
    columns["committed"] = committed
    found.append(_found(refs, _present(raw_committed) & ~known, "bad_committed", raw_committed))
    # the reader's columns as they are, not copied again (0.6 ms over 5 000 lines): with
    # copy on write a later change to either frame copies first
    return pd.DataFrame(columns, index=index, copy=not COPY_ON_WRITE), found


def _site_frame(site: pd.DataFrame, found: list) -> pd.DataFrame:
    """The site activity table (built once); its findings are appended to ``found``."""
    n = len(site)
    index = pd.RangeIndex(n)
    refs = site["source_ref"].to_numpy(dtype=object) if "source_ref" in site.columns else (
        np.full(n, None, dtype=object))
    number, unreadable = {}, {}
    for name in ("quantity", "rated_power_kw"):
        number[name], unreadable[name] = (_read_numbers(site[name]) if name in site.columns
                                          else (np.full(n, np.nan), np.zeros(n, dtype=bool)))
        found.append(_found(refs, unreadable[name], "bad_site_number",
                            site[name].to_numpy(dtype=object) if name in site.columns else None))
    text = {name: (_clean_array(site[name].to_numpy(dtype=object)) if name in site.columns
                   else np.full(n, None, dtype=object))
            for name in ("unit", "category", "carrier", "machine_class", "vehicle_class",
                         "activity", "machine", "committed")}
    amounts = site_amounts(number["quantity"], text["unit"])
    unit_known = amounts["unit_known"].to_numpy(dtype=bool)
    found.append(_found(refs, _present(text["unit"]) & ~unit_known, "unknown_site_unit",
                        text["unit"]))
    committed, known = _yes_no_array(text["committed"])
    found.append(_found(refs, _present(text["committed"]) & ~known, "bad_committed",
                        text["committed"]))
    category = _site_category(text["category"])
    # mass transport is transport work (tonne-km and a vehicle class, outside A5); a row of that
    # category metered as fuel, energy or machine hours is site energy: counted in A5, and found
    metered = np.zeros(n, dtype=bool)
    for name in ("litres", "kwh", "nm3", "kg", "machine_hours"):
        metered |= np.isfinite(amounts[name].to_numpy(dtype=float))
    relabelled = (category == "mass_transport") & metered
    found.append(_found(refs, relabelled, "mass_transport_metered", text["unit"]))
    activity = text["activity"]
    carrier = _choice_array(text["carrier"], "carriers")
    codes, distinct = pd.factorize(carrier)  # clean text or None: each distinct text folded once
    carrier = np.array([d.casefold() for d in distinct] + [None], dtype=object)[codes]
    return pd.DataFrame({
        "row_id": np.arange(n),
        "source_ref": (site["source_ref"].reset_index(drop=True) if "source_ref" in site.columns
                       else None),
        "activity": _object_series(np.where(_present(activity), activity, text["category"])),
        "machine": _object_series(text["machine"]),
        "machine_class": _object_series(_machine_class(text["machine_class"])),
        "carrier": _object_series(carrier),
        **{c: amounts[c].to_numpy() for c in ("litres", "kwh", "nm3", "kg", "machine_hours",
                                               "tonne_km")},
        "rated_power_kw": pd.Series(number["rated_power_kw"], copy=False),
        "vehicle_class": _object_series(_choice_array(text["vehicle_class"], "transport_modes")),
        "scope": np.where((category == "mass_transport") & ~relabelled, "mass_transport", "site"),
        "quantity": number["quantity"],  # as written, for the evaluation
        "unit": text["unit"],
        "committed": committed,
        "category": category,
    }, index=index)


def _column(values, n: int):
    """A column as given (Series), or a scalar filled to ``n`` rows (float NaN stays float)."""
    if isinstance(values, pd.Series | np.ndarray):
        return values
    return np.full(n, values, dtype=float if isinstance(values, float) else object)


def _array(values, n: int) -> np.ndarray:
    """A column's values as an object array of ``n`` rows."""
    if isinstance(values, pd.Series | np.ndarray):
        return np.asarray(values, dtype=object) if isinstance(values, np.ndarray) else (
            values.to_numpy(dtype=object))
    return np.full(n, values, dtype=object)


def _object_series(values: np.ndarray) -> pd.Series:
    return pd.Series(values, dtype=object, copy=False)


def _present(values: np.ndarray) -> np.ndarray:
    """Per cell: not missing (None, NaN, NaT)."""
    return ~pd.isna(values)


def _found(refs: np.ndarray, mask: np.ndarray, kind: str, values: np.ndarray):
    """A finding per cell of ``mask`` (the value found as text); None when there is none."""
    if not mask.any():  # nothing found (the usual case): no frame
        return None
    return pd.DataFrame({"source_ref": refs[mask], "kind": kind,
                         "detail": pd.Series(values[mask], dtype=object).astype(str).to_numpy(
                             dtype=object)})


def _finding(frame: pd.DataFrame, mask, kind: str, values) -> pd.DataFrame:
    mask = np.asarray(mask, dtype=bool)
    if not mask.any():  # nothing found (the usual case): no columns to gather
        return pd.DataFrame(columns=["source_ref", "kind", "detail"])
    refs = frame["source_ref"] if "source_ref" in frame.columns else pd.Series(None, index=frame.index)
    return pd.DataFrame({"source_ref": refs[mask].to_numpy(dtype=object), "kind": kind,
                         "detail": pd.Series(values)[mask].astype(str).to_numpy(dtype=object)})


def _clean_array(values: np.ndarray) -> np.ndarray:
    """:func:`_clean_text` on an object array, as an object array."""
    from klimafotavtrykk.quantities.numbers import strip_texts

    if len(values) and values[0] is None and none_cells(values).all():
        # a column the bid left empty (as the reader gives it: None in every cell), found by
        # address: what coding it gives, without coding it
        return np.full(len(values), None, dtype=object)
    if len(values) and pd.api.types.infer_dtype(values, skipna=False) == "string":
        # text in every cell (a bid's line keys: 5 000 distinct): each cell stripped in one C
        # loop gives the values coding them first gave, without the coding (0.6 -> 0.25 ms)
        cleaned = strip_texts(np.asarray(values, dtype=object))
        cleaned[cleaned == ""] = None
        return cleaned
    codes, distinct = pd.factorize(values)
    distinct = np.asarray(distinct, dtype=object)
    if pd.api.types.infer_dtype(distinct, skipna=False) == "string":  # text only: one C loop
        cleaned = np.append(strip_texts(distinct), None)
        cleaned[cleaned == ""] = None
    else:
        cleaned = np.array([(d.strip() if type(d) is str else plain_text(d).strip()) or None
                            for d in distinct] + [None], dtype=object)  # distinct values only
    return cleaned[codes]


def _clean_text(values) -> pd.Series:
    """Strip text, blanks to None; numbers written as text lose a trailing ``.0``."""
    series = pd.Series(values, dtype=object)
    return pd.Series(_clean_array(series.to_numpy(dtype=object)), index=series.index,
                     dtype=object)


def _numbers(values) -> np.ndarray:
    """Numbers from numeric cells, or from text with a decimal comma and blank thousands."""
    return _read_numbers(values)[0]


def _read_numbers(values) -> tuple[np.ndarray, np.ndarray]:
    """:func:`_numbers`, and where a cell held text that is no number (NaN there).

    Returns
    -------
    numbers : numpy.ndarray of float
    unreadable : numpy.ndarray of bool
        The cell holds text (not blank) that reads as no number.
    """
    if isinstance(values, pd.Series | np.ndarray) and values.dtype.kind == "f":  # typed already
        return np.asarray(values, dtype=float), np.zeros(len(values), dtype=bool)
    cells = values.to_numpy(dtype=object) if isinstance(values, pd.Series) else np.asarray(
        values, dtype=object)
    floats = _float_cells(cells)
    if floats is not None:  # number cells and blanks only (a bid's own number columns)
        return floats, np.zeros(len(cells), dtype=bool)
    numeric = np.asarray(pd.to_numeric(cells, errors="coerce"), dtype=float)
    text = np.isnan(numeric) & ~pd.isna(cells)
    if text.any():  # text cells (few): read once more with the comma rule
        cleaned = (pd.Series(cells[text], dtype=object).astype(str)
                   .str.replace("\u00a0", "", regex=False).str.replace(" ", "", regex=False)
                   .str.replace(",", ".", regex=False))
        numeric[text] = np.asarray(pd.to_numeric(cleaned, errors="coerce"), dtype=float)
        written = np.zeros(len(cells), dtype=bool)
        written[text] = (cleaned.str.strip() != "").to_numpy(dtype=bool)  # a blank cell is no text
        text = written & np.isnan(numeric)
    return numeric, text


def _float_cells(cells: np.ndarray) -> np.ndarray | None:
    """An object array that holds only ``float`` and None as float64 (None as NaN), else None.

    What :func:`pandas.to_numeric` gives such an array, without its per-cell parse (0.3 ms
    over a bid's 5 000 cells, against a few hundredths): the None cells are found by address,
    the rest must be exactly ``float`` (``type(x) is float``; not a subclass, bool or int).

    Parameters
    ----------
    cells : numpy.ndarray of object
        One-dimensional.

    Returns
    -------
    numpy.ndarray of float64 or None
        None where any cell is something else (text, int, bool, date ...).
    """
    if cells.ndim != 1 or cells.dtype != object:
        return None
    blank = none_cells(cells)
    rest = cells[~blank]
    if len(rest) and not _only_floats(rest):
        return None
    out = np.full(len(cells), np.nan)
    out[~blank] = rest.astype(float)
    return out


def _only_floats(values: np.ndarray) -> bool:
    """Every element of a non-empty object array is exactly ``float`` (one C pass to rule out most)."""
    if pd.api.types.infer_dtype(values, skipna=False) != "floating":
        return False  # text, numbers of other kinds, or a mixture
    return set(map(type, values.tolist())) == {float}  # not numpy float32/64 scalars


def _date_array(values: np.ndarray) -> np.ndarray:
    """:func:`_dates` on an object array: a datetime64 array."""
    codes, distinct = pd.factorize(values)
    parsed = [_one_date(d) for d in distinct] + [pd.NaT]  # distinct values only
    return pd.to_datetime(np.array(parsed, dtype=object)).to_numpy()[codes]


def _dates(values) -> pd.Series:
    """Dates from date cells, ISO text (2026-05-31) or Norwegian text (31.05.2026)."""
    series = pd.Series(values, dtype=object)
    return pd.Series(_date_array(series.to_numpy(dtype=object)), index=series.index)


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


def _lookup_array(values: np.ndarray, known: dict[str, str]) -> np.ndarray:
    """:func:`~klimafotavtrykk.tender.schema.lookup_folded` on an object array, as one."""
    codes, distinct = pd.factorize(values)
    hits = np.array([known.get(fold(d)) for d in distinct] + [None], dtype=object)
    return hits[codes]


def _yes_no_array(text: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """:func:`~klimafotavtrykk.tender.schema.parse_yes_no` of clean text (str or None).

    Returns the values as ``parse_yes_no(...).to_numpy()`` gives them (bool
    when every cell is yes or no, else object with ``pd.NA``) and where a
    cell was understood.
    """
    codes, distinct = pd.factorize(text)  # clean text: str(d) is d
    folded = [d.strip().casefold() for d in distinct]  # each distinct spelling, not each row
    known = np.array([d in YES_WORDS or d in NO_WORDS for d in folded] + [False])[codes]
    value = np.array([d in YES_WORDS for d in folded] + [False])[codes]
    if known.all():
        return value, known
    out = value.astype(object)
    out[~known] = pd.NA
    return out, known


@functools.cache
def _dataset_types() -> dict[str, str]:
    """Folded dataset-type labels -> type, as :func:`parse_dataset_type` knows them, once."""
    from klimafotavtrykk.tender.schema import dataset_type_labels

    return dataset_type_labels()


def _choice(values, key: str) -> pd.Series:
    """Names from a dropdown (either language) or ids -> ids; other text kept for the model to report."""
    series = pd.Series(values, dtype=object)
    return pd.Series(_choice_array(series.to_numpy(dtype=object), key), index=series.index,
                     dtype=object)


def _choice_array(values: np.ndarray, key: str) -> np.ndarray:
    """:func:`_choice` on an object array, as one."""
    text = _clean_array(values)
    if len(text) and text[0] is None and none_cells(text).all():  # nothing chosen: no lookup
        return text
    hit = _lookup_array(text, choice_ids(key))
    return np.where(pd.isna(hit), text, hit).astype(object)


@functools.cache
def _site_categories() -> dict[str, str]:
    """Folded category name (either language) or key -> key, built once per process."""
    known = {fold(t(f"bid.category.{k}", lang)): k for k in SITE_CATEGORIES for lang in LANGUAGES}
    return known | {k: k for k in SITE_CATEGORIES}


def _site_category(values) -> np.ndarray:
    hit = _lookup_array(np.asarray(values, dtype=object), _site_categories())
    return np.where(pd.isna(hit), "other", hit).astype(object)


@functools.cache
def _machine_classes() -> dict[str, str]:
    """Folded machine-class name (either language) or key -> key, from the shipped table, once."""
    from klimafotavtrykk.site import load_machinery

    table = load_machinery().drop_duplicates("machine_class")
    known = {fold(k): k for k in table["machine_class"]}
    for lang in ("nb", "en"):
        known |= {fold(n): k for n, k in zip(table[f"name_{lang}"], table["machine_class"],
                                              strict=True)}
    return known


def _machine_class(values) -> np.ndarray:
    """Machine-class names in either language (or keys) -> keys; unknown text kept for the model to report."""
    values = np.asarray(values, dtype=object)
    hit = _lookup_array(values, _machine_classes())
    out = np.where(pd.isna(hit), values, hit).astype(object)
    out[pd.isna(out)] = np.nan  # blanks NaN, as Series.map leaves them
    return out


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
    from klimafotavtrykk.quantities import open_workbook

    book = open_workbook(Path(path))
    try:
        _, items, meta = _read_named(book, "site", bid_aliases(), _TYPED_HERE["site"])
    except InputError as exc:
        if exc.code == "sheet_not_found":
            return None
        raise
    items = _with_columns(items, SITE_COLUMNS)
    empty = pd.DataFrame(columns=items.columns[:0])
    _, site, findings = bid_frames(empty, items)
    cells = _reader_cells(meta)
    return site, pd.concat([findings, cells], ignore_index=True)
