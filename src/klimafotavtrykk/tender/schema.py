"""The bid climate workbook (*klimaskjema*): its sheets, columns and lists.

The one description of the workbook that both the writer
(:mod:`~klimafotavtrykk.tender.template`) and the reader
(:mod:`~klimafotavtrykk.tender.reader`) take. It has four sheets (bokmål
names; English with ``lang="en"``; names and headers come from
:mod:`klimafotavtrykk.messages`):

``Veiledning``
    How to fill it in.
``Materialer``
    One row per product line: the tender's quantities (pre-filled from a bill
    of quantities) and the bidder's product, EPD number, EPD declared unit,
    GWP A1-A3 per declared unit, dataset type, EPD valid-until date,
    transport, waste and whether the bidder commits to it.
``Byggeplass``
    One row per machine, heating/drying job or mass-transport job: category,
    energy carrier, amount and unit (litres, kWh, Nm³, kg, hours or
    tonne-km), rated power, vehicle class, committed yes/no.
``Erklæring``
    Bidder, organisation number, date and offered price.

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
line_key : str
    The tender line's key (:func:`~klimafotavtrykk.tender.reference.line_keys`,
    ``216.01#5c0e9a1f``), pre-filled and locked: how a bid line is matched to
    the tender's line.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
import pandas as pd

from klimafotavtrykk.messages import LANGUAGES, t

__all__ = ["SHEETS", "MATERIAL_COLUMNS", "SITE_COLUMNS", "DECLARATION_FIELDS", "DATASET_TYPES",
           "SITE_CATEGORIES", "Column", "template_headers", "sheet_names", "bid_aliases",
           "validation_lists", "named_choices", "choice_ids", "SITE_SCOPE", "parse_yes_no",
           "parse_dataset_type", "dataset_type_labels", "plain_text", "fold", "lookup_folded",
           "YES_WORDS", "NO_WORDS"]

#: Sheet keys in workbook order; names come from ``messages`` (``bid.sheet.<key>``).
SHEETS: tuple[str, ...] = ("guide", "materials", "site", "declaration")
#: Dataset types a bid may declare (as in factor tables).
DATASET_TYPES: tuple[str, ...] = ("product_epd", "industry_epd", "generic")
#: Fields of the declaration sheet, in row order.
DECLARATION_FIELDS: tuple[str, ...] = ("bidder", "org_number", "date", "price_nok")
#: Categories of a site row (``messages``: ``bid.category.<key>``); anything else is ``other``.
SITE_CATEGORIES: tuple[str, ...] = ("machine", "heating", "mass_transport", "other")

#: Folded spellings :func:`parse_yes_no` reads as yes and as no.
YES_WORDS: tuple[str, ...] = ("ja", "j", "yes", "y", "true", "1", "x")
NO_WORDS: tuple[str, ...] = ("nei", "n", "no", "false", "0")
_YES, _NO = YES_WORDS, NO_WORDS


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
        For ``list``: which list (:func:`validation_lists`).
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
    # the tender line's key (tender.reference.line_keys): locked, read back to match the line
    Column("line_key", width=18, prefilled=True),
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
        Language of the headers.

    Returns
    -------
    dict
        ``{"materials": [...], "site": [...]}`` in column order.
    """
    return {"materials": [t(f"bid.header.{c.name}", lang) for c in MATERIAL_COLUMNS],
            "site": [t(f"bid.header.{c.name}", lang) for c in SITE_COLUMNS]}


def sheet_names(key: str) -> tuple[str, ...]:
    """Names of one sheet (a key of :data:`SHEETS`) in every language, bokmål first."""
    return tuple(dict.fromkeys(t(f"bid.sheet.{key}", lang) for lang in LANGUAGES))


def bid_aliases() -> dict[str, str]:
    """Normalised header -> canonical name, for every bid column in either language."""
    return header_aliases((*MATERIAL_COLUMNS, *SITE_COLUMNS), "bid.header")


def header_aliases(columns, header_key: str) -> dict[str, str]:
    """Normalised header -> canonical name: each column's header in every language, and its name.

    Parameters
    ----------
    columns : iterable of Column
    header_key : str
        Message key prefix of the headers (``bid.header``: ``bid.header.<name>``).

    Returns
    -------
    dict
    """
    from klimafotavtrykk.quantities.headers import normalise_header

    out = {}
    for column in columns:
        for lang in LANGUAGES:
            out[normalise_header(t(f"{header_key}.{column.name}", lang))] = column.name
        out[normalise_header(column.name)] = column.name
    return out


def validation_lists(lang: str) -> dict[str, list[str]]:
    """Choices of every list column (:attr:`Column.choices`), from the shipped tables where one exists.

    Parameters
    ----------
    lang : {"nb", "en"}
        Language of the labels.

    Returns
    -------
    dict
        List key -> the labels offered, in order.
    """
    from klimafotavtrykk.site import load_machinery

    machinery = load_machinery().drop_duplicates("machine_class")
    return {
        "units": ["m3", "m2", "m", "kg", "tonn", "stk"],
        "site_units": [t(f"bid.site_unit.{u}", lang) for u in ("l", "kwh", "nm3", "kg", "hours", "tkm")],
        "dataset_types": [t(f"bid.dataset_type.{d}", lang) for d in DATASET_TYPES],
        "yes_no": [t("bid.yes", lang), t("bid.no", lang)],
        "transport_modes": list(named_choices("transport_modes", lang).values()),
        "carriers": list(named_choices("carriers", lang).values()),
        "machine_classes": machinery[f"name_{lang}"].astype(str).tolist(),
        "categories": [t(f"bid.category.{c}", lang) for c in SITE_CATEGORIES],
    }


#: Scope of the carrier factors the tender evaluation computes site rows in
#: (:func:`klimafotavtrykk.site.calculate_site`): the template offers only carriers with a
#: factor in it (hydrogen, with a tank-to-wheel factor only, is not offered).
SITE_SCOPE = "wtw"


def named_choices(key: str, lang: str) -> dict[str, str]:
    """Id -> name of each choice of a list shown by name: ``transport_modes`` or ``carriers``.

    The dropdowns show names ("Lastebil, norsk gjennomsnitt (kun forbrenning)",
    "HVO100 (hydrogenert vegetabilsk olje)"), never ids; :func:`choice_ids`
    maps them back.

    Parameters
    ----------
    key : {"transport_modes", "carriers"}
    lang : {"nb", "en"}

    Returns
    -------
    dict
        In table order; carriers only those with a :data:`SITE_SCOPE` factor.
    """
    from klimafotavtrykk.factors import load_transport_modes
    from klimafotavtrykk.site import load_energy_carriers

    if key == "transport_modes":
        frame = load_transport_modes().frame  # indexed by id
        return dict(zip(frame.index, frame[f"name_{lang}"].astype(str), strict=True))
    table = load_energy_carriers()
    table = table[table["scope"] == SITE_SCOPE].drop_duplicates("carrier")
    return dict(zip(table["carrier"], table[f"name_{lang}"].astype(str), strict=True))


@functools.cache
def choice_ids(key: str) -> dict[str, str]:
    """Folded name (either language) or id -> id, for reading a list column back.

    Built once per process from shipped data; the dict is shared, so callers
    only read it.

    Carriers also take ``electricity`` (the competition's electricity scenario)
    and the names of carriers the template does not offer, so that such a row
    is reported by the site model with its reason rather than as unknown text.
    """
    from klimafotavtrykk.site import load_energy_carriers

    out: dict[str, str] = {}
    for lang in LANGUAGES:
        for ident, name in named_choices(key, lang).items():
            out[fold(name)] = ident
            out[fold(ident)] = ident
    if key == "carriers":
        table = load_energy_carriers()
        for lang in LANGUAGES:
            for ident, name in zip(table["carrier"], table[f"name_{lang}"], strict=True):
                out.setdefault(fold(name), ident)
                out.setdefault(fold(ident), ident)
        out.setdefault("electricity", "electricity")
    return out


# ============================================================================ cell values

def plain_text(value) -> str:
    """Write a cell value as text; a whole float without its ``.0`` (``7.0`` -> ``"7"``)."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def fold(text) -> str:
    """Fold a label for comparison: inner blanks collapsed, case folded."""
    return " ".join(str(text).split()).casefold()


def lookup_folded(values, known: dict[str, str]) -> pd.Series:
    """``known[fold(value)]`` per value, None when blank or unknown; each distinct value folded once."""
    series = pd.Series(values, dtype=object)
    codes, distinct = pd.factorize(series)
    hits = np.array([known.get(fold(d)) for d in distinct] + [None], dtype=object)
    return pd.Series(hits[codes], index=series.index, dtype=object)


def parse_yes_no(values) -> pd.Series:
    """``ja``/``nei`` (or ``yes``/``no``, ``x``, ``1``/``0``) as a boolean Series; blank and other text <NA>.

    Each distinct spelling is folded once.
    """
    series = pd.Series(values, dtype=object)
    codes, distinct = pd.factorize(series.astype(str).where(series.notna()))
    folded = [d.strip().casefold() for d in distinct]  # each distinct spelling, not each row
    mapped = pd.array([True if d in _YES else False if d in _NO else pd.NA for d in folded],
                      dtype="boolean")
    out = pd.array(np.full(len(series), pd.NA), dtype="boolean")
    hit = codes >= 0
    out[hit] = mapped[codes[hit]]
    return pd.Series(out, index=series.index, name="committed")


def parse_dataset_type(values) -> pd.Series:
    """Dataset-type labels in either language (or canonical) -> ``product_epd`` ... ; others None."""
    return lookup_folded(values, dataset_type_labels())


def dataset_type_labels() -> dict[str, str]:
    """Folded dataset-type label (either language, canonical, or with spaces) -> dataset type."""
    known = {fold(d): d for d in DATASET_TYPES}
    known |= {fold(t(f"bid.dataset_type.{d}", lang)): d for d in DATASET_TYPES for lang in LANGUAGES}
    known |= {fold(d.replace("_", " ")): d for d in DATASET_TYPES}
    return known
