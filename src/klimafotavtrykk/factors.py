"""Emission-factor tables: load, validate, and hold them as arrays for the engine.

A factor table is wide: one row per factor, one column per declared module
(kg CO₂e per declared unit; empty means "not declared", never zero). The
shipped tables live in ``data/emission_factors/``; a user's own EPD values in
the same schema load with :func:`load_factors` (a table of those rows alone);
rows in that schema extend a table through :func:`add_factor_rows`, with the
same checks. :func:`~klimafotavtrykk.assessment.calculate` given a user's
frame or file extends the shipped table this way
(:mod:`klimafotavtrykk.user_factors`).

Minimum user schema: ``factor_id``, ``declared_unit``, module columns named
by their codes (``A1-A3``, ``A4`` ... ``D``), ``source`` (or ``source_id``),
and for conversions between kg, m³, m² and m: ``density_kg_m3``,
``area_mass_kg_m2``, ``linear_mass_kg_m`` or ``piece_mass_kg``. Optional:
``service_life_years``, ``waste_rate``, ``transport_km``, ``transport_mode``,
``indicator``, ``dataset_type`` (``generic`` rows get the profile's markup;
a user table without the column is taken as product EPDs). ``eol_scenario`` and
``eol_source_id`` (the source of C1-C4 and D, a key of ``data/sources.csv``) are
carried with the row; an unknown ``eol_source_id`` is an error.

Every row declares ``A1-A3`` (EN 15804 makes the product stage mandatory), and
no module but ``B1`` (carbonation) and ``D`` is negative unless the row's
``indicator`` is ``gwp-total`` or ``gwp-biogenic`` (biogenic uptake): a row breaking either is
refused with a :class:`~klimafotavtrykk.errors.DataError` naming file and row,
so an impossible value cannot replace a shipped one.
"""

from __future__ import annotations

import functools
import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from klimafotavtrykk._data import data_path
from klimafotavtrykk._frames import refuse_repeated_columns
from klimafotavtrykk._string_storage import python_strings
from klimafotavtrykk.errors import DataError
from klimafotavtrykk.units import parse_units
from klimafotavtrykk.vocabulary import DIMENSION_INDEX, DIMENSIONS, MODULES

if TYPE_CHECKING:
    from collections.abc import Iterable

__all__ = [
    "FactorTable",
    "TransportModes",
    "load_factors",
    "load_transport_modes",
    "factor_table_from_frame",
    "add_factor_rows",
    "ScenarioDefaults",
    "load_scenario_defaults",
    "scenario_defaults_from_frame",
    "declarable_units",
    "transport_modes_from_frame",
    "load_sources",
    "MASS_COLUMNS",
]

#: Mass per base unit of each dimension, and the column that gives it. [kg per kg, m³, m², m, piece]
MASS_COLUMNS: dict[str, str | None] = {
    "mass": None,
    "volume": "density_kg_m3",
    "area": "area_mass_kg_m2",
    "length": "linear_mass_kg_m",
    "piece": "piece_mass_kg",
}

_DATASET_TYPES = ("generic", "industry_epd", "product_epd")
_OPTIONAL_NUMERIC = ("service_life_years", "waste_rate", "transport_km",
                     *[c for c in MASS_COLUMNS.values() if c])
_NOT_DECLARED = ("", "nd", "mna", "ina", "not declared")
#: Indicators that count biogenic uptake, so that any module may be negative.
_BIOGENIC_INDICATORS = ("gwp-total", "gwp-biogenic")
#: Modules that may be negative whatever the indicator: carbonation (B1), benefits (D).
_MAY_BE_NEGATIVE = ("B1", "D")


@dataclass(frozen=True, eq=False)
class FactorTable:
    """A validated factor table, as a frame and as arrays for the engine.

    Attributes
    ----------
    frame : pandas.DataFrame
        The table as read, indexed by ``factor_id``, with a ``source`` column.
    ids : pandas.Index
        Factor ids, in row order.
    modules : numpy.ndarray
        Declared values, shape (n, len(MODULES)); NaN = not declared.
        [kg CO₂e per declared unit]
    declared_dimension : numpy.ndarray of int64
        Index into :data:`~klimafotavtrykk.vocabulary.DIMENSIONS` of each declared unit.
    declared_scale : numpy.ndarray
        Base units (kg, m³, m², m, piece) per declared unit.
    mass_per_base : numpy.ndarray
        Shape (n, len(DIMENSIONS)): kg per base unit of each dimension; NaN when
        the table gives no conversion. [kg per kg, m³, m², m, piece]
    service_life : numpy.ndarray
        Service life; NaN = not given (no replacement). [a]
    waste_rate, transport_km : numpy.ndarray
        Defaults for lines that give none. [-], [km]
    transport_mode : numpy.ndarray of object
        Default transport-mode key (None = none).
    is_generic : numpy.ndarray of bool
        Dataset type ``generic`` (the profile's markup applies).
    indicator : numpy.ndarray of object
        GWP indicator the row is declared in ("" = unspecified).
    sha256 : str
        Hash of the table's content, for the audit trail.
    name : str
        Where the table came from.
    """

    frame: pd.DataFrame
    ids: pd.Index
    modules: np.ndarray
    declared_dimension: np.ndarray
    declared_scale: np.ndarray
    mass_per_base: np.ndarray
    service_life: np.ndarray
    waste_rate: np.ndarray
    transport_km: np.ndarray
    transport_mode: np.ndarray
    is_generic: np.ndarray
    indicator: np.ndarray
    sha256: str
    name: str

    def __len__(self) -> int:
        return len(self.ids)

    @property
    def mass_per_declared_unit(self) -> np.ndarray:
        """Mass of one declared unit; NaN when unknown [kg]."""
        rows = np.arange(len(self.ids))
        return self.declared_scale * self.mass_per_base[rows, self.declared_dimension]


@dataclass(frozen=True, eq=False)
class TransportModes:
    """Transport modes and their factors.

    Attributes
    ----------
    frame : pandas.DataFrame
        The table, indexed by ``transport_mode``.
    ids : pandas.Index
        Mode keys.
    kg_co2e_per_tkm : numpy.ndarray
        Emissions per tonne-kilometre. [kg CO₂e t⁻¹ km⁻¹]
    """

    frame: pd.DataFrame
    ids: pd.Index
    kg_co2e_per_tkm: np.ndarray


@dataclass(frozen=True, eq=False)
class ScenarioDefaults:
    """Transport and site-waste scenarios per material group, for rows that give neither.

    Attributes
    ----------
    frame : pandas.DataFrame
        The table, indexed by ``material_group``; ``row`` is the row number in
        the file (header = row 1) and ``source`` the readable citation.
    name : str
        File the table came from.
    """

    frame: pd.DataFrame
    name: str


# ----------------------------------------------------------------------------- loading

@functools.cache
def load_sources() -> pd.DataFrame:
    """The shipped source registry ``data/sources.csv``, indexed by ``source_id``."""
    path = data_path("sources.csv")
    table = _read_csv(path)
    _require(table, ("source_id", "title", "year"), path)
    return table.set_index("source_id")


@python_strings
def load_factors(path: str | Path | Iterable[str | Path] | None = None) -> FactorTable:
    """Load and validate a factor table.

    Parameters
    ----------
    path : str, Path, list of them, or None
        A CSV (or .xlsx, first sheet) in the factor schema; several are
        concatenated. None loads the shipped tables
        (``data/emission_factors/materials*.csv``).

    Returns
    -------
    FactorTable

    Raises
    ------
    DataError
        Naming file and row, when a required column is missing, a row has no
        source, a factor id repeats, a number does not parse, or a declared
        unit is unknown.
    """
    if path is None:
        return _shipped_factors()
    paths = [path] if isinstance(path, str | Path) else list(path)
    frames = [_read_table(Path(p)) for p in paths]
    name = ", ".join(Path(p).name for p in paths)
    return factor_table_from_frame(pd.concat(frames, ignore_index=True), name=name)


@functools.cache
def _shipped_factors() -> FactorTable:
    paths = sorted(data_path("emission_factors").glob("materials*.csv"))
    if not paths:
        raise DataError("no shipped factor tables found", file=str(data_path("emission_factors")))
    frames = [_read_table(p) for p in paths]
    return factor_table_from_frame(pd.concat(frames, ignore_index=True),
                                   name=", ".join(p.name for p in paths))


@functools.cache
def load_transport_modes() -> TransportModes:
    """The shipped transport-mode table ``data/emission_factors/transport_modes.csv``."""
    path = data_path("emission_factors", "transport_modes.csv")
    return transport_modes_from_frame(_read_csv(path), name=str(path))


def transport_modes_from_frame(table: pd.DataFrame, name: str = "<frame>") -> TransportModes:
    """Validate a transport-mode table (``transport_mode``, ``kg_co2e_per_tkm``, a source)."""
    _require(table, ("transport_mode", "kg_co2e_per_tkm"), name)
    if "source_id" not in table.columns and "source" not in table.columns:
        raise DataError("missing columns ['source_id' or 'source']", file=name)
    values = _numeric(table["kg_co2e_per_tkm"].astype(str), "kg_co2e_per_tkm", name)
    if np.isnan(values).any():
        raise DataError("kg_co2e_per_tkm missing", file=name,
                        row=int(np.flatnonzero(np.isnan(values))[0]) + 2)
    frame = table.set_index("transport_mode")
    return TransportModes(frame=frame, ids=pd.Index(frame.index, dtype=object), kg_co2e_per_tkm=values)


@functools.cache
def load_scenario_defaults() -> ScenarioDefaults:
    """Load the shipped group scenarios ``data/emission_factors/scenario_defaults.csv``."""
    path = data_path("emission_factors", "scenario_defaults.csv")
    return scenario_defaults_from_frame(_read_csv(path), name=path.name,
                                        modes=load_transport_modes())


def scenario_defaults_from_frame(table: pd.DataFrame, name: str = "<frame>",
                                 modes: TransportModes | None = None) -> ScenarioDefaults:
    """Validate a table of group scenarios.

    Parameters
    ----------
    table : pandas.DataFrame
        ``material_group`` (unique), ``transport_km`` [km], ``transport_mode``
        (a key of ``modes``), ``waste_rate`` [-] and ``source_id`` (a key of
        ``data/sources.csv``); ``source_detail`` optional.
    name : str
        Name used in error messages and in the result's metadata.
    modes : TransportModes, optional
        Transport modes the table may name; default the shipped ones.

    Returns
    -------
    ScenarioDefaults

    Raises
    ------
    DataError
        Naming file and row, when a column is missing, a group repeats, a
        number does not parse or is out of range, a mode or source is unknown.
    """
    table = table.copy()
    _require(table, ("material_group", "transport_km", "transport_mode", "waste_rate", "source_id"),
             name)
    group = table["material_group"].astype(str).str.strip()
    dup = group.duplicated() | (group == "")
    if dup.any():
        raise DataError(f"material_group {group[dup].iloc[0]!r} is empty or appears twice", file=name,
                        row=int(np.flatnonzero(dup)[0]) + 2)
    km = _numeric(table["transport_km"], "transport_km", name)
    waste = _numeric(table["waste_rate"], "waste_rate", name)
    bad = np.isnan(km) | (km < 0) | np.isnan(waste) | (waste < 0) | (waste >= 1)
    if bad.any():
        raise DataError("transport_km must be >= 0 and waste_rate a share in [0, 1)", file=name,
                        row=int(np.flatnonzero(bad)[0]) + 2)
    mode = table["transport_mode"].astype(str).str.strip()
    known = (modes or load_transport_modes()).ids
    unknown = ~mode.isin(known)
    if unknown.any():
        raise DataError(f"transport_mode {mode[unknown].iloc[0]!r}; valid: {list(known)}", file=name,
                        row=int(np.flatnonzero(unknown)[0]) + 2)
    frame = pd.DataFrame({
        "transport_km": km, "transport_mode": mode.to_numpy(dtype=object), "waste_rate": waste,
        "source_id": table["source_id"].astype(str).str.strip().to_numpy(dtype=object),
        "source": _source_text(table.drop(columns="source", errors="ignore"), name).to_numpy(),
        "row": np.arange(len(table)) + 2,
    }, index=pd.Index(group.to_numpy(dtype=object), name="material_group"))
    return ScenarioDefaults(frame=frame, name=name)


def declarable_units(units: pd.DataFrame) -> np.ndarray:
    """Tell which parsed units a factor may be declared per: known, and of a material dimension.

    Parameters
    ----------
    units : pandas.DataFrame
        :func:`~klimafotavtrykk.units.parse_units` of distinct spellings.

    Returns
    -------
    numpy.ndarray of bool
        Per row of ``units``: known, with a dimension of
        :data:`~klimafotavtrykk.vocabulary.DIMENSIONS` (``m3``, ``tonn``,
        ``stk`` yes; ``timer``, ``RS``, ``furlong`` no).
    """
    return (units["known"].astype(bool) & units["dimension"].isin(DIMENSIONS)).to_numpy(dtype=bool)


def factor_table_from_frame(table: pd.DataFrame, name: str = "<frame>") -> FactorTable:
    """Validate a factor table given as a frame and build its arrays.

    Parameters
    ----------
    table : pandas.DataFrame
        Columns as described in the module docstring.
    name : str
        Name used in error messages.

    Returns
    -------
    FactorTable
    """
    refuse_repeated_columns(table, DataError, file=name)
    table = table.copy()
    table.columns = [str(c).strip() for c in table.columns]
    _require(table, ("factor_id", "declared_unit"), name)
    if not any(m in table.columns for m in MODULES):
        raise DataError(f"no module column; expected some of {list(MODULES)}", file=name)
    table["factor_id"] = table["factor_id"].astype(str).str.strip()
    dup = table["factor_id"].duplicated()
    if dup.any():
        raise DataError(f"factor_id {table['factor_id'][dup].iloc[0]!r} appears twice",
                        file=name, row=int(np.flatnonzero(dup)[0]) + 2)
    table["source"] = _source_text(table, name)
    _check_eol_sources(table, name)

    n = len(table)
    modules = np.full((n, len(MODULES)), np.nan)
    for j, module in enumerate(MODULES):
        if module in table.columns:
            modules[:, j] = _numeric(table[module], module, name, allow_not_declared=True)

    indicator = (table["indicator"].fillna("").astype(str).str.strip().str.lower()
                 if "indicator" in table.columns else pd.Series("", index=table.index))
    _check_module_values(modules, indicator.to_numpy(dtype=object), name)

    units = parse_units(pd.unique(table["declared_unit"].astype(str)))
    unknown = units.index[~declarable_units(units)]
    if len(unknown):
        bad = table["declared_unit"].astype(str).isin(unknown)
        raise DataError(f"declared_unit {unknown[0]!r} is not a unit of {list(DIMENSIONS)}",
                        file=name, row=int(np.flatnonzero(bad)[0]) + 2)
    per_row = units.loc[table["declared_unit"].astype(str)]
    declared_dimension = per_row["dimension"].map(DIMENSION_INDEX)
    declared_scale = per_row["scale"].to_numpy(dtype=float)

    mass_per_base = np.full((n, len(DIMENSIONS)), np.nan)
    for j, column in enumerate(MASS_COLUMNS[d] for d in DIMENSIONS):
        if column is None:
            mass_per_base[:, j] = 1.0  # kg per kg
        elif column in table.columns:
            values = _numeric(table[column], column, name)
            _positive(values, column, name)
            mass_per_base[:, j] = values

    optional = {c: (_numeric(table[c], c, name) if c in table.columns else np.full(n, np.nan))
                for c in ("service_life_years", "waste_rate", "transport_km")}
    _positive(optional["service_life_years"], "service_life_years", name)
    waste = optional["waste_rate"]
    bad_waste = (waste < 0) | (waste >= 1)
    if bad_waste.any():
        raise DataError("waste_rate must be a share in [0, 1) (0.12 = 12 % waste)", file=name,
                        row=int(np.flatnonzero(bad_waste)[0]) + 2)

    dataset_type = (table["dataset_type"].fillna("").astype(str).str.strip()
                    if "dataset_type" in table.columns else pd.Series("product_epd", index=table.index))
    bad_type = ~dataset_type.isin(_DATASET_TYPES)
    if bad_type.any():
        raise DataError(f"dataset_type {dataset_type[bad_type].iloc[0]!r}; valid: {list(_DATASET_TYPES)}",
                        file=name, row=int(np.flatnonzero(bad_type)[0]) + 2)
    mode = (table["transport_mode"].astype(object).where(table["transport_mode"].notna(), None)
            if "transport_mode" in table.columns else pd.Series(None, index=table.index, dtype=object))
    mode_text = mode.astype(str).str.strip()
    mode = mode_text.where(mode.notna() & (mode_text != ""), None)

    frame = table.set_index("factor_id", drop=False)
    digest = hashlib.sha256(pd.util.hash_pandas_object(table.astype(str), index=False)
                            .to_numpy().tobytes()).hexdigest()
    return FactorTable(
        frame=frame,
        ids=pd.Index(table["factor_id"].to_numpy(dtype=object)),
        modules=modules,
        declared_dimension=declared_dimension.to_numpy(dtype=np.int64),
        declared_scale=declared_scale,
        mass_per_base=mass_per_base,
        service_life=optional["service_life_years"],
        waste_rate=waste,
        transport_km=optional["transport_km"],
        transport_mode=mode.to_numpy(dtype=object),
        is_generic=(dataset_type == "generic").to_numpy(),
        indicator=indicator.to_numpy(dtype=object),
        sha256=digest,
        name=name,
    )


def add_factor_rows(table: FactorTable, rows: pd.DataFrame | FactorTable, *,
                    name: str | None = None, replace: bool = False) -> FactorTable:
    """Add factor rows given in the user schema to a factor table, validated as a file's rows are.

    The rows pass exactly the checks of :func:`factor_table_from_frame`
    (columns, sources, numbers, declared units, waste rates, dataset types),
    so a row that would be refused in a user's CSV is refused here too.

    Parameters
    ----------
    table : FactorTable
        The table to extend; it is not changed.
    rows : pandas.DataFrame or FactorTable
        New rows: ``factor_id``, ``declared_unit``, module columns, a source
        and the optional columns of the module docstring; or a table already
        validated (:func:`load_factors` of a user's file).
    name : str, optional
        Name of the rows in error messages and in the new table's name;
        default ``"<rows>"``, or the name of a FactorTable given as ``rows``.
    replace : bool
        What a ``factor_id`` that ``table`` already has means: False raises
        :class:`~klimafotavtrykk.errors.DataError`; True lets the new row win
        (the old row is dropped).

    Returns
    -------
    FactorTable
        The rows of ``table`` (less the replaced ones), then ``rows`` in the
        order given. ``frame`` has the columns of both; ``sha256`` covers both.

    Raises
    ------
    DataError
        Naming ``name`` and the row (header = row 1) when a row breaks the
        schema, or repeats a factor id of ``table`` without ``replace``.

    Examples
    --------
    >>> base = factor_table_from_frame(pd.DataFrame({
    ...     "factor_id": ["concrete"], "declared_unit": ["m3"], "A1-A3": ["300"],
    ...     "source": ["hand example"]}))
    >>> epd = pd.DataFrame({"factor_id": ["EPD 1"], "declared_unit": ["tonn"],
    ...                     "A1-A3": [95.0], "source": ["EPD 1, bid.xlsx"]})
    >>> both = add_factor_rows(base, epd, name="bid.xlsx")
    >>> list(both.ids), both.declared_scale.tolist()
    (['concrete', 'EPD 1'], [1.0, 1000.0])
    """
    if isinstance(rows, FactorTable):
        added, name = rows, name or rows.name
    else:
        name = name or "<rows>"
        added = factor_table_from_frame(rows, name=name)
    clash = added.ids.isin(table.ids)
    if clash.any() and not replace:
        first = int(np.flatnonzero(clash)[0])
        raise DataError(f"factor_id {added.ids[first]!r} is already in {table.name}", file=name,
                        row=first + 2)
    keep = ~table.ids.isin(added.ids)

    def joined(old: np.ndarray, new: np.ndarray) -> np.ndarray:
        return np.concatenate([old[keep], new])

    return FactorTable(
        frame=pd.concat([table.frame[keep], added.frame]),
        ids=pd.Index(joined(table.ids.to_numpy(dtype=object), added.ids.to_numpy(dtype=object))),
        modules=joined(table.modules, added.modules),
        declared_dimension=joined(table.declared_dimension, added.declared_dimension),
        declared_scale=joined(table.declared_scale, added.declared_scale),
        mass_per_base=joined(table.mass_per_base, added.mass_per_base),
        service_life=joined(table.service_life, added.service_life),
        waste_rate=joined(table.waste_rate, added.waste_rate),
        transport_km=joined(table.transport_km, added.transport_km),
        transport_mode=joined(table.transport_mode, added.transport_mode),
        is_generic=joined(table.is_generic, added.is_generic),
        indicator=joined(table.indicator, added.indicator),
        sha256=hashlib.sha256((table.sha256 + added.sha256).encode()).hexdigest(),
        name=f"{table.name} + {name}",
    )


# ----------------------------------------------------------------------------- helpers

def _read_table(path: Path) -> pd.DataFrame:
    if not path.is_file():
        raise DataError("factor table not found", file=str(path))
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        try:
            return pd.read_excel(path, dtype=str, engine="openpyxl").fillna("")
        except Exception as exc:  # openpyxl raises many unrelated classes
            raise DataError(f"cannot read workbook: {exc}", file=str(path)) from None
    return _read_csv(path)


def _read_csv(path: Path) -> pd.DataFrame:
    try:
        return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError, pd.errors.ParserError) as exc:
        raise DataError(f"cannot read CSV: {exc}", file=str(path)) from None


def _require(table: pd.DataFrame, columns: Iterable[str], name) -> None:
    missing = [c for c in columns if c not in table.columns]
    if missing:
        raise DataError(f"missing columns {missing}", file=str(name))


def _numeric(column: pd.Series, label: str, name, allow_not_declared: bool = False) -> np.ndarray:
    if column.dtype == np.float64:
        values = column.to_numpy(dtype=float)
        if not np.isinf(values).any():
            # what the text path gives a float column: its numbers, NaN as "not declared"
            # (each float's text reads back as the same float); an infinity takes that
            # path to be refused with its text
            return values.copy()
    text = column.astype(str).str.strip()
    blank = text.str.lower().isin(_NOT_DECLARED) | column.isna()
    values = pd.to_numeric(text.where(~blank), errors="coerce")
    bad = (values.isna() | np.isinf(values)) & ~blank  # "NaN" and "inf" are no values
    if bad.any():
        what = "a number or empty (not declared)" if allow_not_declared else "a number or empty"
        raise DataError(f"{label} must be {what}, found {text[bad].iloc[0]!r}",
                        file=str(name), row=int(np.flatnonzero(bad)[0]) + 2)
    return values.to_numpy(dtype=float)


def _positive(values: np.ndarray, label: str, name) -> None:
    bad = values <= 0
    if bad.any():
        raise DataError(f"{label} must be positive", file=str(name), row=int(np.flatnonzero(bad)[0]) + 2)


def _check_module_values(modules: np.ndarray, indicator: np.ndarray, name) -> None:
    """Refuse a row without A1-A3, or with a negative value its indicator cannot have."""
    missing = np.isnan(modules[:, MODULES.index("A1-A3")])
    if missing.any():
        raise DataError("A1-A3 is not declared: every factor row needs its product stage "
                        "(EN 15804 makes A1-A3 mandatory)", file=str(name),
                        row=int(np.flatnonzero(missing)[0]) + 2)
    fixed = [j for j, m in enumerate(MODULES) if m not in _MAY_BE_NEGATIVE]
    negative = (modules[:, fixed] < 0) & ~np.isin(indicator, _BIOGENIC_INDICATORS)[:, None]
    if negative.any():
        at, col = (int(v[0]) for v in np.nonzero(negative))
        raise DataError(f"{MODULES[fixed[col]]} is negative ({modules[at, fixed[col]]:g}): only a "
                        f"row with indicator {' or '.join(_BIOGENIC_INDICATORS)} (biogenic "
                        "uptake) may have negative values outside B1 and D", file=str(name),
                        row=at + 2)


def _source_text(table: pd.DataFrame, name: str) -> pd.Series:
    """Readable source per row, from a ``source`` column or ``source_id`` in sources.csv."""
    text = (table["source"].fillna("").astype(str).str.strip() if "source" in table.columns
            else pd.Series("", index=table.index))
    if "source_id" in table.columns:
        ids = table["source_id"].fillna("").astype(str).str.strip()
        sources = load_sources()
        unknown = (ids != "") & ~ids.isin(sources.index)
        if unknown.any():
            raise DataError(f"source_id {ids[unknown].iloc[0]!r} is not in data/sources.csv",
                            file=name, row=int(np.flatnonzero(unknown)[0]) + 2)
        cited = {k: _cite(sources, k) for k in ids.unique() if k}  # distinct sources
        titled = ids.map(cited).fillna("")
        detail = (table["source_detail"].fillna("").astype(str).str.strip()
                  if "source_detail" in table.columns else pd.Series("", index=table.index))
        titled = titled.where(detail == "", titled + ", " + detail)
        text = text.where(text != "", titled)
    missing = text == ""
    if missing.any():
        raise DataError("row has no source (fill 'source' or 'source_id')", file=name,
                        row=int(np.flatnonzero(missing)[0]) + 2)
    return text


def _check_eol_sources(table: pd.DataFrame, name: str) -> None:
    """Check that each ``eol_source_id`` (source of C1-C4 and D), where given, is in sources.csv."""
    if "eol_source_id" not in table.columns:
        return
    ids = table["eol_source_id"].fillna("").astype(str).str.strip()
    unknown = (ids != "") & ~ids.isin(load_sources().index)
    if unknown.any():
        raise DataError(f"eol_source_id {ids[unknown].iloc[0]!r} is not in data/sources.csv",
                        file=name, row=int(np.flatnonzero(unknown)[0]) + 2)


def _cite(sources: pd.DataFrame, key: str) -> str:
    row = sources.loc[key]
    return f"{row['title']} ({row['year']})"
