"""Read the contractor's monthly report workbooks into the frames the follow-up takes.

:func:`read_report` opens a file once through the library's reader for
untrusted workbooks (:func:`klimafotavtrykk.quantities.open_workbook`: size
caps, no XML entities, cached values only, formulas never evaluated), reads
the month from the declaration sheet, the energy and machines sheet into the
columns of a bid's site rows (through :func:`klimafotavtrykk.tender.reader.bid_frames`,
so a promise and a month are computed by one site model) plus
:data:`~klimafotavtrykk.followup.model.REPORT_SITE_COLUMNS`, and the materials
delivered into :data:`~klimafotavtrykk.followup.model.REPORT_MATERIAL_COLUMNS`.
Every cell it cannot understand becomes a finding with its cell.

:func:`read_reports` reads a folder: a file that cannot be read, or is
hostile, is listed with its reason and never stops the rest.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import stat
from pathlib import Path

import numpy as np
import pandas as pd

from klimafotavtrykk.errors import InputError
from klimafotavtrykk.followup.model import REPORT_MATERIAL_COLUMNS, MonthlyReport
from klimafotavtrykk.followup.schema import (
    EU_STAGES,
    MATERIAL_COLUMNS,
    SITE_COLUMNS,
    clean_text,
    declaration_labels,
    numbers,
    report_aliases,
    sheet_names,
)
from klimafotavtrykk.tender.findings import FINDING_COLUMNS
from klimafotavtrykk.tender.schema import fold, parse_yes_no, plain_text

__all__ = ["read_report", "read_reports", "REFUSED_COLUMNS", "FOLLOWUP_FINDINGS"]

#: Columns of the frame of reports not read: file name, error code, what was wrong
#: (with the place), and the sheet and cell when the error names them.
REFUSED_COLUMNS: tuple[str, ...] = ("file", "reason", "detail", "sheet", "cell")
#: Finding kinds of the reader (messages: ``followup.reader.finding.<kind>``).
FOLLOWUP_FINDINGS: tuple[str, ...] = (
    "other_contract", "month_outside_contract", "unknown_machine_id", "no_amount", "no_quantity",
    "bad_emission_free", "unknown_eu_stage", "bad_number", "bad_date", "unknown_site_unit",
    "mass_transport_metered", "reader")
_MONTH_ISO = re.compile(r"\s*(\d{4})\s*[-/.]\s*(\d{1,2})\s*")
_MONTH_NO = re.compile(r"\s*(\d{1,2})\s*[-/.]\s*(\d{4})\s*")
#: Bid site columns the site frame is built from (tender.reader.bid_frames takes them).
_BID_SITE = ("category", "activity", "machine", "machine_class", "carrier", "quantity", "unit",
             "rated_power_kw", "vehicle_class", "committed")


def read_report(path: str | Path, contract=None) -> MonthlyReport:
    """Read one filled monthly report workbook.

    Parameters
    ----------
    path : str or Path
        The report ``.xlsx``.
    contract : Contract, optional
        When given, machine ids are checked against the machines promised
        (an unknown id becomes NaN and a finding ``unknown_machine_id``), and
        the contract's name and period against the declaration (findings
        ``other_contract``, ``month_outside_contract``).

    Returns
    -------
    MonthlyReport
        ``site``: one row per machine or job with an amount or hours (a
        pre-filled machine left blank was not used that month; a row of the
        contractor's own without either is a finding ``no_amount``);
        ``materials``: one row per line with a quantity (a pre-filled line
        left blank was not delivered; an added line without one is a finding
        ``no_quantity``); ``findings``: cells read but not understood.

    Raises
    ------
    InputError
        (or a subclass such as ``UnsafeWorkbookError``) when the file cannot
        be read safely, lacks a sheet, or gives no valid month (code
        ``followup.no_month``, naming the cell).

    Notes
    -----
    The energy amount sits in the column of its unit (``litres``, ``kwh``,
    ``nm3``, ``kg``; ``tonne_km`` for mass transport), as for a bid. The
    hours reported beside it are ``reported_hours``; a row that gives hours
    and no amount also has them as ``machine_hours``, so the site model
    estimates its fuel from rated power and machine class, as for a bid's
    hour rows.
    """
    from klimafotavtrykk.quantities import open_workbook

    path = Path(path)
    book = open_workbook(path)
    aliases = report_aliases()
    month, declaration, found = _declaration(book, path.name)
    site_sheet, site_items, site_meta = _read_named(book, "site", aliases)
    mat_sheet, mat_items, mat_meta = _read_named(book, "materials", aliases)
    site, site_found = _site(site_items, contract)
    materials, mat_found = _materials(mat_items)
    found += [site_found, mat_found, _reader_cells(site_meta), _reader_cells(mat_meta)]
    report_date = _date(declaration.get("date"))
    if declaration.get("date") is not None and report_date is None:
        found.append(pd.DataFrame({"source_ref": [declaration["refs"].get("date")],
                                   "kind": "bad_date", "detail": [str(declaration["date"])]}))
    if contract is not None:
        found.append(_contract_checks(contract, month, declaration))
    return MonthlyReport(file=path.name, sha256=book.sha256, month=month,
                         contractor=declaration.get("contractor"), site=site, materials=materials,
                         findings=_findings(found, path.name),
                         report_date=report_date)


def read_reports(paths, contract=None) -> tuple[list[MonthlyReport], pd.DataFrame]:
    """Read every monthly report of a folder (or a list of files); one bad file never stops the rest.

    Parameters
    ----------
    paths : str, Path or iterable of them
        A folder (every entry but subfolders, hidden files and Excel lock
        files ``~$…``), one file, or several files and folders.
    contract : Contract, optional
        As for :func:`read_report`.

    Returns
    -------
    reports : list of MonthlyReport
        The reports read, in file-name order.
    refused : DataFrame
        :data:`REFUSED_COLUMNS`: one row per file not read, with the error's
        code as ``reason`` (``xml_entities``, ``not_a_zip``,
        ``followup.no_month`` …) and the problem with its place as ``detail``.
    """
    from klimafotavtrykk.tender.batch import bid_paths

    reports, refused = [], []
    for path in bid_paths(paths):
        kind = _not_regular(path)
        if kind is not None:
            refused.append((path.name, *kind, None, None))
            continue
        try:
            reports.append(read_report(path, contract))
        except Exception as exc:  # noqa: BLE001 - the folder boundary: a bad file is listed
            code = getattr(exc, "code", None) or type(exc).__name__
            detail = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            refused.append((path.name, str(code), detail, getattr(exc, "sheet", None),
                            getattr(exc, "cell", None)))
    return reports, pd.DataFrame(refused, columns=list(REFUSED_COLUMNS), dtype=object)


# ----------------------------------------------------------------------------- sheets

def _not_regular(path: Path) -> tuple[str, str] | None:
    """``(reason, detail)`` for a path that is no regular file, checked by stat and never opened."""
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return "file_not_found", str(path)
    except OSError as exc:
        return "unreadable_file", exc.strerror or type(exc).__name__
    if stat.S_ISREG(mode):
        return None
    return "not_regular_file", ("fifo" if stat.S_ISFIFO(mode) else "directory"
                                if stat.S_ISDIR(mode) else "other")


def _read_named(book, key: str, aliases: dict[str, str]):
    """Read the sheet of ``key`` under its bokmål or English name: (name, items, meta)."""
    names = sheet_names(key)
    for name in names:
        if name in book.sheet_names:
            items, meta = book.read(name, extra_aliases=aliases)
            return name, _with_text_rows(book, name, items, meta), meta
    raise InputError(f"sheet {' or '.join(names)} not found", file=book.file, sheet=names[0],
                     expected=" | ".join(names), code="sheet_not_found")


def _with_text_rows(book, sheet: str, items: pd.DataFrame, meta) -> pd.DataFrame:
    """Add back the rows the bill-of-quantities reader set aside as headings.

    That reader keeps a row when it has a quantity or a unit; a report row of
    the contractor's own with only hours, or only a product, is text to it (a
    heading). Here every such row is a report row without a quantity: its
    cells are taken from the sheet (the archive checks already passed) by the
    columns the header mapped, and it is read and checked like the others.
    """
    from klimafotavtrykk.provenance import column_index

    skipped = meta.skipped
    heads = skipped[skipped["reason"].astype(str) == "heading"]
    if not len(heads):
        return items
    letters = {**getattr(meta, "columns", {}), **getattr(meta, "extra_columns", {})}
    refs = heads["source_ref"].astype(str).tolist()
    numbers_ = _row_numbers(refs)
    width = max(column_index(letter) for letter in letters.values()) + 1
    grid = book.rows(sheet)
    block = np.full((len(refs), width), None, dtype=object)
    for i, row in enumerate(numbers_):  # the heading rows only, each cut to the mapped columns
        cells = grid[row - 1][:width]
        block[i, :len(cells)] = cells
    block[block == ""] = None
    added = pd.DataFrame({name: block[:, column_index(letter)] for name, letter in letters.items()})
    added["source_ref"] = refs
    item_rows = _row_numbers(items["source_ref"]) if "source_ref" in items.columns else np.zeros(
        len(items), dtype=int)
    order = np.argsort(np.concatenate([item_rows, numbers_]), kind="stable")
    both = pd.concat([items, added], ignore_index=True)
    return both.iloc[order].reset_index(drop=True)


def _row_numbers(refs) -> np.ndarray:
    """Sheet row of each ``source_ref`` (the digits that end its cell reference)."""
    rows = pd.Series(refs, dtype=object).astype(str).str.extract(r"(\d+)$", expand=False)
    return pd.to_numeric(rows, errors="coerce").fillna(0).to_numpy(dtype=int)


def _declaration(book, file: str):
    """The month reported and the declaration's fields, by their labels in column A."""
    from klimafotavtrykk.provenance import source_ref

    names = [n for n in sheet_names("declaration") if n in book.sheet_names]
    if not names:
        names = sheet_names("declaration")
        raise InputError(f"sheet {' or '.join(names)} not found", file=file, sheet=names[0],
                         expected=" | ".join(names), code="sheet_not_found")
    sheet = names[0]
    labels = declaration_labels()
    values, refs = {}, {}
    for i, row in enumerate(book.rows(sheet)[:50], start=1):  # a label column of a few rows
        if len(row) < 2 or not isinstance(row[0], str):
            continue
        name = labels.get(fold(row[0]))
        if name and name not in values:
            values[name], refs[name] = (row[1] if row[1] != "" else None), i
    cell = f"B{refs['month']}" if "month" in refs else None
    month = _month(values.get("month"))
    if month is None:
        raise InputError("the report gives no valid month", file=file, sheet=sheet, cell=cell,
                         expected="yyyy-mm, e.g. 2025-09",
                         found=None if values.get("month") is None else str(values["month"]),
                         code="followup.no_month")
    out = {name: (plain_text(v).strip() or None) if v is not None and not isinstance(
        v, dt.datetime | dt.date) else v for name, v in values.items()}
    out["refs"] = {name: source_ref(file, sheet, f"B{i}") for name, i in refs.items()}
    return month, out, []


def _date(value) -> dt.date | None:
    """The declaration's date: a date cell, or ISO (2025-10-05) or Norwegian (05.10.2025) text."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    for fmt in ("%Y-%m-%d", "%d.%m.%Y"):
        try:
            return dt.datetime.strptime(str(value).strip(), fmt).date()
        except ValueError:
            continue
    return None


def _month(value) -> pd.Period | None:
    """A month cell: ``2025-09`` (also ``2025/9``, ``09.2025``) or a date; None otherwise."""
    if isinstance(value, dt.datetime | dt.date):
        return pd.Period(year=value.year, month=value.month, freq="M")
    if value is None or isinstance(value, bool | int | float):
        return None
    text = str(value)
    hit = _MONTH_ISO.fullmatch(text)
    year, month = (hit.group(1), hit.group(2)) if hit else (None, None)
    if hit is None and (hit := _MONTH_NO.fullmatch(text)):
        year, month = hit.group(2), hit.group(1)
    if year is None or not 1 <= int(month) <= 12:
        return None
    return pd.Period(year=int(year), month=int(month), freq="M")


def _site(items: pd.DataFrame, contract) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Site rows in the bid's site columns plus the report's own, and their findings."""
    from klimafotavtrykk.tender.reader import bid_frames

    items = items.reset_index(drop=True)
    for column in SITE_COLUMNS:
        if column.name not in items.columns:
            items[column.name] = None
    if "committed" not in items.columns:
        items["committed"] = None
    refs = items["source_ref"] if "source_ref" in items.columns else pd.Series(None, index=items.index)
    machine_id = clean_text(items["machine_id"])
    hours_raw = clean_text(items["machine_hours"])
    hours = numbers(items["machine_hours"])
    raw_free = clean_text(items["emission_free"])
    free = parse_yes_no(raw_free).astype("boolean")
    stage = clean_text(items["eu_stage"])
    amount_given = ~np.isnan(numbers(items["quantity"]))
    used = amount_given | ~np.isnan(hours)
    found = [_finding(refs, ~used & machine_id.isna().to_numpy() & _has_text(items),
                      "no_amount", items["machine"].where(items["machine"].notna(),
                                                          items["activity"])),
             _finding(refs, hours_raw.notna().to_numpy() & np.isnan(hours), "bad_number",
                      hours_raw),
             _finding(refs, raw_free.notna().to_numpy() & free.isna().to_numpy(),
                      "bad_emission_free", raw_free)]
    known_stage = _lookup_stage(stage)
    found.append(_finding(refs, stage.notna().to_numpy() & known_stage.isna().to_numpy(),
                          "unknown_eu_stage", stage))
    if contract is not None:
        promised = set(contract.machines["machine_id"].astype(str))
        unknown = machine_id.notna() & ~machine_id.isin(promised)
        found.append(_finding(refs, unknown.to_numpy(), "unknown_machine_id", machine_id))
        machine_id = machine_id.where(~unknown)
    keep = np.flatnonzero(used)
    empty = pd.DataFrame(columns=["quantity"])
    columns = [*_BID_SITE, *(["source_ref"] if "source_ref" in items.columns else [])]
    _, site, bid_found = bid_frames(empty, items.iloc[keep][columns])
    bid_found = bid_found[bid_found["kind"] != "bad_committed"]  # no committed column here
    site = site.assign(
        machine_id=machine_id.to_numpy(dtype=object)[keep],
        emission_free=free.to_numpy()[keep],
        eu_stage=known_stage.where(known_stage.notna(), stage).to_numpy(dtype=object)[keep],
        reported_hours=hours[keep])
    site["emission_free"] = site["emission_free"].astype("boolean")
    amounts = site[["litres", "kwh", "nm3", "kg", "machine_hours", "tonne_km"]].to_numpy(float)
    only_hours = np.isnan(amounts).all(axis=1) & ~np.isnan(site["reported_hours"].to_numpy(float))
    site.loc[only_hours, "machine_hours"] = site.loc[only_hours, "reported_hours"]
    # hours alone are a machine's, as fuel or energy is (tender.reader.bid_frames): site energy
    relabelled = only_hours & (site["scope"] == "mass_transport").to_numpy(dtype=bool)
    site.loc[relabelled, "scope"] = "site"
    found.append(_finding(site["source_ref"] if "source_ref" in site.columns else pd.Series(None, index=site.index),
                          relabelled, "mass_transport_metered", site["reported_hours"]))
    return site.reset_index(drop=True), pd.concat([*found, bid_found], ignore_index=True)


def _lookup_stage(stage: pd.Series) -> pd.Series:
    """EU stage as written -> the stage of :data:`~klimafotavtrykk.followup.schema.EU_STAGES`.

    ``"V"``, ``"Stage V"``, ``"trinn v"`` and ``"steg 5"`` are not all
    recognised: only the stage name, with or without the word *trinn*,
    *steg* or *stage* before it. None where blank or unknown.
    """
    known = {fold(s): s for s in EU_STAGES}
    codes, distinct = pd.factorize(stage)
    hits = [known.get(re.sub(r"^(trinn|steg|stage)\s*", "", fold(d))) for d in distinct]
    return pd.Series(np.array([*hits, None], dtype=object)[codes], index=stage.index, dtype=object)


def _materials(items: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Materials delivered, typed; rows without a quantity left out (added ones as findings)."""
    items = items.reset_index(drop=True)
    for column in MATERIAL_COLUMNS:
        if column.name not in items.columns:
            items[column.name] = None
    refs = items["source_ref"] if "source_ref" in items.columns else pd.Series(None, index=items.index)
    text = {name: clean_text(items[name]) for name in ("line_key", "post_number", "description",
                                                       "product", "epd_id", "epd_declared_unit",
                                                       "unit")}
    gwp_raw = clean_text(items["epd_gwp_a1a3"])
    gwp = numbers(items["epd_gwp_a1a3"])
    quantity = numbers(items["quantity"])
    delivered = ~np.isnan(quantity)
    added = text["line_key"].isna().to_numpy() & _has_text(items)
    found = [_finding(refs, ~delivered & added, "no_quantity",
                      text["product"].where(text["product"].notna(), text["description"])),
             _finding(refs, gwp_raw.notna().to_numpy() & np.isnan(gwp), "bad_number", gwp_raw)]
    keep = np.flatnonzero(delivered)
    frame = pd.DataFrame({
        "row_id": np.arange(len(keep)),
        "source_ref": refs.to_numpy(dtype=object)[keep],
        **{name: text[name].to_numpy(dtype=object)[keep] for name in
           ("line_key", "post_number", "description", "product", "epd_id", "epd_declared_unit")},
        "epd_gwp_a1a3": gwp[keep],
        "quantity": quantity[keep],
        "unit": text["unit"].to_numpy(dtype=object)[keep],
    }, columns=list(REPORT_MATERIAL_COLUMNS))
    return frame, pd.concat(found, ignore_index=True)


def _has_text(items: pd.DataFrame) -> np.ndarray:
    """Rows holding anything in a column other than the quantity and its place."""
    columns = [c for c in items.columns if c not in ("row_id", "source_ref", "quantity")]
    if not columns:
        return np.zeros(len(items), dtype=bool)
    filled = items[columns].notna() & (items[columns].astype(str).apply(
        lambda col: col.str.strip()) != "")  # per column, not per row
    return filled.any(axis=1).to_numpy()


def _contract_checks(contract, month: pd.Period, declaration: dict) -> pd.DataFrame:
    refs = declaration.get("refs", {})
    rows = []
    named = declaration.get("contract")
    if named is not None and fold(named) != fold(contract.name):
        rows.append((refs.get("contract"), "other_contract", f"{named} | {contract.name}"))
    if not contract.start <= month <= contract.end:
        rows.append((refs.get("month"), "month_outside_contract",
                     f"{month} | {contract.start}–{contract.end}"))
    return pd.DataFrame(rows, columns=["source_ref", "kind", "detail"])


def _finding(refs: pd.Series, mask, kind: str, values) -> pd.DataFrame:
    mask = np.asarray(mask, dtype=bool)
    shown = pd.Series(values).reset_index(drop=True)
    return pd.DataFrame({"source_ref": refs.reset_index(drop=True)[mask].to_numpy(dtype=object),
                         "kind": kind,
                         "detail": shown[mask].fillna("").astype(str).to_numpy(dtype=object)})


def _reader_cells(meta) -> pd.DataFrame:
    """The reader's per-cell findings (text in a number cell, a formula without value …).

    An empty quantity cell is no finding here: a blank row means not used or
    not delivered, and a row of the contractor's own without a quantity has
    its own finding.
    """
    cells = getattr(meta, "cells", None)
    if cells is None or not len(cells):
        return pd.DataFrame(columns=["source_ref", "kind", "reason", "detail"])
    cells = cells[cells["kind"].astype(str) != "empty"]
    return pd.DataFrame({"source_ref": cells["source_ref"].to_numpy(dtype=object), "kind": "reader",
                         "reason": cells["kind"].astype(str).to_numpy(dtype=object),
                         "detail": cells["found"].fillna("").astype(str).to_numpy(dtype=object)})


def _findings(frames, file: str) -> pd.DataFrame:
    """One finding frame in the columns of the tender's findings, ordered by kind."""
    frames = [f for f in frames if f is not None and len(f)]
    out = (pd.concat(frames, ignore_index=True) if frames
           else pd.DataFrame(columns=["source_ref", "kind", "detail"]))
    out = out.reindex(columns=list(FINDING_COLUMNS)).astype(
        {c: float if c.startswith("kg") else object for c in FINDING_COLUMNS})
    out["file"] = file
    out["reason"] = out["reason"].where(out["reason"].notna(), "")
    order = pd.Categorical(out["kind"], categories=list(FOLLOWUP_FINDINGS)).codes
    return out.iloc[np.argsort(order, kind="stable")].reset_index(drop=True)
