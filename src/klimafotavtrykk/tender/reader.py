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

from klimafotavtrykk.errors import InputError
from klimafotavtrykk.messages import LANGUAGES, t
from klimafotavtrykk.tender.schema import (
    DECLARATION_FIELDS,
    MATERIAL_COLUMNS,
    SITE_CATEGORIES,
    SITE_COLUMNS,
    bid_aliases,
    fold,
    lookup_folded,
    parse_dataset_type,
    parse_yes_no,
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
        sheet, items, metas[key] = _read_named(book, key, aliases)
        tables[key] = _with_columns(items, columns)
        notes += [f"{path.name}: {sheet}: {w}" if str(w).startswith("unmapped_columns") else str(w)
                  for w in metas[key].warnings]
    declaration = _read_declaration(book, path.name)
    materials, site, findings = bid_frames(tables["materials"], tables["site"])
    cells = [_reader_cells(m) for m in metas.values()]
    findings = pd.concat([findings, *cells, _other_materials_sheets(book, metas["materials"].sheet)],
                         ignore_index=True)
    letters = {**getattr(metas["materials"], "columns", {}),
               **getattr(metas["materials"], "extra_columns", {})}  # for findings at a field's cell
    return Bid(file=path.name, sha256=book.sha256, materials=materials, site=site,
               declaration=declaration, findings=findings, warnings=tuple(dict.fromkeys(notes)),
               columns=letters)


def _read_named(book, key: str, aliases: dict[str, str]):
    """Read the sheet of ``key`` under its bokmål or English name: (name, items, meta)."""
    names = sheet_names(key)
    last = None
    for name in names:
        try:
            items, meta = book.read(name, extra_aliases=aliases)
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
        return pd.DataFrame(columns=["source_ref", "kind", "reason", "detail"])
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
    from klimafotavtrykk.provenance import source_ref

    stems = {fold(name)[:8] for name in sheet_names("materials")}  # "material" in nb and en
    others = [name for name in book.sheet_names
              if name != read and any(stem in fold(name) for stem in stems)]
    return pd.DataFrame({"source_ref": [source_ref(book.file, name, "A1") for name in others],
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
    from klimafotavtrykk.units import parse_units, unit_codes

    q = np.asarray(quantity, dtype=float)
    codes, parsed = unit_codes(pd.Series(unit, dtype=object))
    reference = parse_units(list(_AMOUNT_UNITS.values()))["scale"].to_numpy(dtype=float)
    per_column = dict(zip(_AMOUNT_UNITS, reference, strict=True))  # base units per column unit
    column = parsed["dimension"].map(_AMOUNT_BY_DIMENSION).where(parsed["known"].astype(bool))
    line_column = np.append(column.to_numpy(dtype=object), None)[codes]
    line_scale = np.append(parsed["scale"].to_numpy(dtype=float), np.nan)[codes]
    out = {}
    for name, unit_scale in per_column.items():  # six amount columns, not rows
        rows = line_column == name
        out[name] = np.where(rows, q * line_scale / unit_scale, np.nan)
    known = pd.notna(line_column) & (codes >= 0)
    return pd.DataFrame({**out, "unit_known": known.astype(bool)})


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
    m["line_key"] = _clean_text(m["line_key"]) if "line_key" in m.columns else None  # tender key
    m["transport_mode"] = _choice(m["transport_mode"], "transport_modes")
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
        "carrier": _choice(s["carrier"], "carriers").str.casefold(),
        **{c: amounts[c].to_numpy() for c in ("litres", "kwh", "nm3", "kg", "machine_hours",
                                               "tonne_km")},
        "rated_power_kw": s["rated_power_kw"],
        "vehicle_class": _choice(s["vehicle_class"], "transport_modes"),
        "scope": np.where(category == "mass_transport", "mass_transport", "site"),
        "quantity": s["quantity"].to_numpy(dtype=float),  # as written, for the evaluation
        "unit": s["unit"].to_numpy(dtype=object),
        "committed": committed.to_numpy(),
        "category": category,
    })
    findings = pd.concat([f for f in found if len(f)], ignore_index=True) if any(
        len(f) for f in found) else pd.DataFrame(columns=["source_ref", "kind", "detail"])
    return m, activities, findings


def _finding(frame: pd.DataFrame, mask, kind: str, values) -> pd.DataFrame:
    mask = np.asarray(mask, dtype=bool)
    if not mask.any():  # nothing found (the usual case): no columns to gather
        return pd.DataFrame(columns=["source_ref", "kind", "detail"])
    refs = frame["source_ref"] if "source_ref" in frame.columns else pd.Series(None, index=frame.index)
    return pd.DataFrame({"source_ref": refs[mask].to_numpy(dtype=object), "kind": kind,
                         "detail": pd.Series(values)[mask].astype(str).to_numpy(dtype=object)})


def _clean_text(values) -> pd.Series:
    """Strip text, blanks to None; numbers written as text lose a trailing ``.0``."""
    series = pd.Series(values, dtype=object)
    codes, distinct = pd.factorize(series)
    cleaned = np.array([(d.strip() if type(d) is str else plain_text(d).strip()) or None
                        for d in distinct] + [None], dtype=object)  # distinct values only
    return pd.Series(cleaned[codes], index=series.index, dtype=object)


def _numbers(values) -> np.ndarray:
    """Numbers from numeric cells, or from text with a decimal comma and blank thousands."""
    if isinstance(values, pd.Series) and values.dtype.kind == "f":  # typed already: as is
        return values.to_numpy(dtype=float)
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


@functools.cache
def _choice_ids(key: str) -> dict[str, str]:
    """:func:`~klimafotavtrykk.tender.schema.choice_ids`, built once per process (shipped data)."""
    from klimafotavtrykk.tender.schema import choice_ids

    return choice_ids(key)


def _choice(values, key: str) -> pd.Series:
    """Names from a dropdown (either language) or ids -> ids; other text kept for the model to report."""
    text = _clean_text(values)
    hit = lookup_folded(text, _choice_ids(key))
    return hit.where(hit.notna(), text).astype(object)


@functools.cache
def _site_categories() -> dict[str, str]:
    """Folded category name (either language) or key -> key, built once per process."""
    known = {fold(t(f"bid.category.{k}", lang)): k for k in SITE_CATEGORIES for lang in LANGUAGES}
    return known | {k: k for k in SITE_CATEGORIES}


def _site_category(values: pd.Series) -> np.ndarray:
    hit = lookup_folded(values, _site_categories()).to_numpy(dtype=object)
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


def _machine_class(values: pd.Series) -> pd.Series:
    """Machine-class names in either language (or keys) -> keys; unknown text kept for the model to report."""
    hit = lookup_folded(values, _machine_classes())
    out = hit.where(hit.notna(), values).astype(object)
    return out.where(out.notna(), np.nan)  # blanks NaN, as Series.map leaves them


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
        _, items, meta = _read_named(book, "site", bid_aliases())
    except InputError as exc:
        if exc.code == "sheet_not_found":
            return None
        raise
    items = _with_columns(items, SITE_COLUMNS)
    empty = pd.DataFrame(columns=items.columns[:0])
    _, site, findings = bid_frames(empty, items)
    cells = _reader_cells(meta)
    return site, pd.concat([findings, cells], ignore_index=True)
