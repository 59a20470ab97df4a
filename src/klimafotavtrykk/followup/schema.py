"""The monthly report workbook (*månedsrapport*): its sheets, columns and lists.

The one description of the workbook a contractor fills in every month, taken
by both the writer (:mod:`~klimafotavtrykk.followup.template`) and the reader
(:mod:`~klimafotavtrykk.followup.reader`). Four sheets (bokmål names; English
with ``lang="en"``; names and headers are ``messages`` keys
``followup.template.*``):

``Veiledning``
    How to fill it in.
``Månedserklæring``
    The contract, the month reported (``2025-09``), the contractor, the date
    and a contact person.
``Energi og maskiner``
    One row per machine, heating or drying job, or mass-transport job: the
    contract's machine id, category, activity, machine, machine class, energy
    carrier, amount and unit (l, kWh, Nm3, kg, tonne-km), machine hours,
    emission-free yes/no as the contractor reports it, EU engine stage, rated
    power and vehicle class.
``Materialer levert``
    One row per product delivered in the month: the tender line it delivers
    against (line key, item number, description), the product, EPD number,
    declared unit, GWP A1-A3 per declared unit, and the quantity as built.

The lists are the bid workbook's where they mean the same
(:func:`klimafotavtrykk.tender.schema.validation_lists`: carriers, units,
categories, machine classes, yes/no, vehicle classes), so a contract's
promise and a month's report use one vocabulary. Which columns follow DFØ's
harmonised contractor report and which are ours is recorded in
``docs/design/followup_report.md``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from klimafotavtrykk.messages import LANGUAGES, t
from klimafotavtrykk.tender.schema import (
    Column,
    fold,
    header_aliases,
    plain_text,
    validation_lists,
)

__all__ = ["SHEETS", "DECLARATION_FIELDS", "SITE_COLUMNS", "MATERIAL_COLUMNS", "EU_STAGES",
           "report_aliases", "sheet_names", "declaration_labels", "report_lists", "clean_text", "numbers"]

#: Sheet keys in workbook order; names come from ``messages`` (``followup.template.sheet.<key>``).
SHEETS: tuple[str, ...] = ("guide", "declaration", "site", "materials")

#: Fields of the declaration sheet, in row order: contract name, month reported
#: (``YYYY-MM``), contractor, date of the report, contact person.
DECLARATION_FIELDS: tuple[str, ...] = ("contract", "month", "contractor", "date", "contact")

#: EU engine stages of non-road mobile machinery, as written in the dropdown:
#: stages I, II, IIIA, IIIB and IV of Directive 97/68/EC and stage V of
#: Regulation (EU) 2016/1628. Names, not numbers; anything else is read as
#: written and reported as a finding.
EU_STAGES: tuple[str, ...] = ("I", "II", "IIIA", "IIIB", "IV", "V")

#: Columns of the energy and machines sheet, in order. ``machine_id`` is the
#: contract's id of the machine (:func:`klimafotavtrykk.followup.contract.promised_machines`),
#: locked where pre-filled; ``machine_hours`` are the hours reported beside
#: the energy amount (``reported_hours`` in the frame read).
SITE_COLUMNS: tuple[Column, ...] = (
    Column("machine_id", width=10, prefilled=True),
    Column("category", "list", "categories", width=20),
    Column("activity", width=28),
    Column("machine", width=24),
    Column("machine_class", "list", "machine_classes", width=22),
    Column("carrier", "list", "carriers", width=22),
    Column("quantity", "number", width=11),
    Column("unit", "list", "site_units", width=9),
    Column("machine_hours", "number", width=11),
    Column("emission_free", "list", "yes_no", width=12),
    Column("eu_stage", "list", "eu_stages", width=10),
    Column("rated_power_kw", "number", width=11),
    Column("vehicle_class", "list", "transport_modes", width=22),
)

#: Columns of the materials-delivered sheet, in order; the tender line's key,
#: item number and description are locked where pre-filled from the contract.
MATERIAL_COLUMNS: tuple[Column, ...] = (
    Column("line_key", width=18, prefilled=True),
    Column("post_number", width=10, prefilled=True),
    Column("description", width=44, prefilled=True),
    Column("product", width=28),
    Column("epd_id", width=22),
    Column("epd_declared_unit", "list", "units", width=11),
    Column("epd_gwp_a1a3", "number", width=16),
    Column("quantity", "number", width=12),
    Column("unit", "list", "units", width=8),
)


def sheet_names(key: str) -> tuple[str, ...]:
    """Names of one sheet (a key of :data:`SHEETS`) in every language, bokmål first."""
    return tuple(dict.fromkeys(t(f"followup.template.sheet.{key}", lang) for lang in LANGUAGES))


def report_aliases() -> dict[str, str]:
    """Normalised header -> canonical name, for every report column in either language.

    The reader of untrusted workbooks maps the line columns it knows itself
    (quantity, unit, item number, description: ``data/headers/aliases.csv``);
    this table adds the report's own columns.
    """
    return header_aliases((*SITE_COLUMNS, *MATERIAL_COLUMNS), "followup.template.header")


def report_lists(lang: str) -> dict[str, list[str]]:
    """Choices of every list column: the bid workbook's lists plus the EU stages.

    Parameters
    ----------
    lang : {"nb", "en"}
        Language of the labels.

    Returns
    -------
    dict
        List key -> the labels offered, in order.
    """
    wanted = ("units", "site_units", "yes_no", "transport_modes", "carriers", "machine_classes",
              "categories")
    lists = validation_lists(lang)
    return {**{key: lists[key] for key in wanted}, "eu_stages": list(EU_STAGES)}


def clean_text(values) -> pd.Series:
    """Strip text, blanks to None; numbers written as text lose a trailing ``.0``.

    Each distinct value is cleaned once.
    """
    series = pd.Series(values, dtype=object)
    codes, distinct = pd.factorize(series)
    cleaned = np.array([plain_text(d).strip() or None for d in distinct] + [None], dtype=object)
    return pd.Series(cleaned[codes], index=series.index, dtype=object)


def numbers(values) -> np.ndarray:
    """Numbers from numeric cells, or from text with a decimal comma and blank thousands.

    Returns
    -------
    numpy.ndarray of float
        NaN where blank or not a number.
    """
    series = pd.Series(values, dtype=object)
    numeric = pd.to_numeric(series, errors="coerce").astype(float)
    text = series.where(numeric.isna() & series.notna())
    if text.notna().any():
        codes, distinct = pd.factorize(text)
        parsed = np.array([_number(d) for d in distinct] + [np.nan], dtype=float)
        numeric = numeric.fillna(pd.Series(parsed[codes], index=series.index))
    return numeric.to_numpy(dtype=float)


def _number(text) -> float:
    cleaned = str(text).replace("\u00a0", "").replace(" ", "").replace(",", ".")
    try:
        return float(cleaned)
    except ValueError:
        return float("nan")


def declaration_labels() -> dict[str, str]:
    """Folded label of the declaration sheet (either language) -> field name."""
    return {fold(t(f"followup.template.declaration.{name}", lang)): name
            for name in DECLARATION_FIELDS for lang in LANGUAGES}
