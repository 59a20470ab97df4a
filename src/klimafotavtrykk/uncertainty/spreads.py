"""Spreads of emission factors and quantities as data: load, validate, look up.

``data/uncertainty/factor_uncertainty.csv`` gives a lognormal spread (``gsd``)
per dataset type and material group, ``quantity_uncertainty.csv`` one per
design stage; a user's rows replace or add to them (:func:`_as_table`).
:func:`factor_gsd` finds the spread of each factor row by index look-ups.
"""

from __future__ import annotations

import functools
from pathlib import Path

import numpy as np
import pandas as pd

from klimafotavtrykk._data import data_path
from klimafotavtrykk.errors import DataError, InputError

__all__ = ["load_factor_uncertainty", "load_quantity_uncertainty", "load_age_uncertainty",
           "load_energy_uncertainty", "energy_uncertainty_from_frame",
           "factor_uncertainty_from_frame", "quantity_uncertainty_from_frame", "factor_gsd",
           "gsd_source", "age_sigma", "data_years"]

_DATASET_TYPES = ("generic", "industry_epd", "product_epd")


@functools.cache
def load_factor_uncertainty() -> pd.DataFrame:
    """The shipped spreads of emission factors by data quality.

    Returns
    -------
    pandas.DataFrame
        :func:`factor_uncertainty_from_frame` of
        ``data/uncertainty/factor_uncertainty.csv``.
    """
    path = data_path("uncertainty", "factor_uncertainty.csv")
    return factor_uncertainty_from_frame(_read(path), name=path.name)


@functools.cache
def load_quantity_uncertainty() -> pd.DataFrame:
    """The shipped spreads of quantities by design stage.

    Returns
    -------
    pandas.DataFrame
        :func:`quantity_uncertainty_from_frame` of
        ``data/uncertainty/quantity_uncertainty.csv``.
    """
    path = data_path("uncertainty", "quantity_uncertainty.csv")
    return quantity_uncertainty_from_frame(_read(path), name=path.name)


@functools.cache
def load_energy_uncertainty() -> pd.DataFrame:
    """The shipped spreads of contributions beside the lines (operational energy, B6).

    Returns
    -------
    pandas.DataFrame
        :func:`energy_uncertainty_from_frame` of
        ``data/uncertainty/energy_uncertainty.csv``.
    """
    path = data_path("uncertainty", "energy_uncertainty.csv")
    return energy_uncertainty_from_frame(_read(path), name=path.name)


def energy_uncertainty_from_frame(table: pd.DataFrame, name: str = "<frame>") -> pd.DataFrame:
    """Validate a table of spreads of contributions beside the lines.

    Parameters
    ----------
    table : pandas.DataFrame
        ``contribution`` (unique: a row of :attr:`Assessment.other
        <klimafotavtrykk.assessment.Assessment>`, e.g. ``operational_energy``),
        ``gsd`` [-] (≥ 1) and a source (``source_id`` or ``source``).
    name : str
        Used in error messages.

    Returns
    -------
    pandas.DataFrame
        ``gsd`` and ``source`` indexed by ``contribution``.

    Raises
    ------
    DataError
        As :func:`factor_uncertainty_from_frame`.
    """
    out = _spread_table(table, name, ("contribution",), "contribution")
    return out.set_index("contribution")


def factor_uncertainty_from_frame(table: pd.DataFrame, name: str = "<frame>") -> pd.DataFrame:
    """Validate a table of factor spreads.

    Parameters
    ----------
    table : pandas.DataFrame
        ``dataset_type`` (``generic``, ``industry_epd`` or ``product_epd``),
        ``material_group`` (empty: any group), ``gsd`` (geometric standard
        deviation of a lognormal with median 1, ≥ 1) [-] and a source
        (``source_id`` or ``source``). Optional ``factor_id``: a row for one
        factor row, which wins over its dataset type and group;
        ``distribution`` must be ``lognormal`` where given.
    name : str
        Used in error messages.

    Returns
    -------
    pandas.DataFrame
        ``factor_id``, ``dataset_type``, ``material_group`` (``""`` for
        none), ``gsd`` [-] and ``source``, one row per key.

    Raises
    ------
    DataError
        Naming the file and row, when a column is missing, a value is out of
        range, a source is missing, or a key appears twice.
    """
    return _spread_table(table, name, ("dataset_type", "material_group", "factor_id"), "dataset_type")


def quantity_uncertainty_from_frame(table: pd.DataFrame, name: str = "<frame>") -> pd.DataFrame:
    """Validate a table of quantity spreads by design stage.

    Parameters
    ----------
    table : pandas.DataFrame
        ``design_stage`` (unique), ``gsd`` [-] (≥ 1) and a source
        (``source_id`` or ``source``).
    name : str
        Used in error messages.

    Returns
    -------
    pandas.DataFrame
        ``gsd`` and ``source`` indexed by ``design_stage``.

    Raises
    ------
    DataError
        As :func:`factor_uncertainty_from_frame`.
    """
    out = _spread_table(table, name, ("design_stage",), "design_stage")
    return out.set_index("design_stage")


def _spread_table(table: pd.DataFrame, name: str, keys: tuple[str, ...], required: str) -> pd.DataFrame:
    if not isinstance(table, pd.DataFrame):
        raise InputError(f"a spread table must be a DataFrame, got {type(table).__name__}",
                         code="not_a_frame")
    missing = [c for c in (required, "gsd") if c not in table.columns]
    if "source_id" not in table.columns and "source" not in table.columns:
        missing.append("source_id or source")
    if missing:
        raise DataError(f"missing columns {missing}", file=name)
    out = pd.DataFrame(index=table.index)
    for key in keys:
        out[key] = (table[key].fillna("").astype(str).str.strip() if key in table.columns
                    else "")
    gsd = pd.to_numeric(table["gsd"], errors="coerce").to_numpy(dtype=float)
    bad = ~(np.isfinite(gsd) & (gsd >= 1.0))
    if bad.any():
        raise DataError("gsd must be a number >= 1 (1 = no spread)", file=name,
                        row=int(np.flatnonzero(bad)[0]) + 2)
    out["gsd"] = gsd
    if "distribution" in table.columns:
        dist = table["distribution"].fillna("lognormal").astype(str).str.strip()
        wrong = ~dist.isin(["lognormal", ""])
        if wrong.any():
            raise DataError(f"distribution {dist[wrong].iloc[0]!r}; only lognormal is sampled",
                            file=name, row=int(np.flatnonzero(wrong)[0]) + 2)
    if required == "dataset_type":
        wrong = ~out["dataset_type"].isin(_DATASET_TYPES) & (out["factor_id"] == "")
        if wrong.any():
            raise DataError(f"dataset_type {out['dataset_type'][wrong].iloc[0]!r}; valid: "
                            f"{list(_DATASET_TYPES)}", file=name, row=int(np.flatnonzero(wrong)[0]) + 2)
    elif (out[required] == "").any():
        raise DataError(f"{required} is empty", file=name,
                        row=int(np.flatnonzero((out[required] == "").to_numpy())[0]) + 2)
    out["source"] = _sources(table, name)
    dup = out.duplicated(list(keys))
    if dup.any():
        raise DataError(f"the key {tuple(out.loc[dup, list(keys)].iloc[0])} appears twice", file=name,
                        row=int(np.flatnonzero(dup.to_numpy())[0]) + 2)
    return out.reset_index(drop=True)


def _sources(table: pd.DataFrame, name: str) -> pd.Series:
    """Readable source per row: ``source``, else ``source_id`` (and ``source_detail``)."""
    text = (table["source"].fillna("").astype(str).str.strip() if "source" in table.columns
            else pd.Series("", index=table.index))
    if "source_id" in table.columns:
        ids = table["source_id"].fillna("").astype(str).str.strip()
        text = text.where(text != "", ids)
    missing = (text == "").to_numpy()
    if missing.any():
        raise DataError("row has no source (fill 'source' or 'source_id')", file=name,
                        row=int(np.flatnonzero(missing)[0]) + 2)
    return text


def _read(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")


def _as_table(value, loader, validate, what: str) -> pd.DataFrame:
    """The shipped table, or the user's frame or CSV path, validated; user rows win by key."""
    if value is None:
        return loader()
    if isinstance(value, str | Path):
        value = validate(_read(Path(value)), name=Path(value).name)
    elif isinstance(value, pd.DataFrame):
        value = validate(value if "gsd" in value.columns and isinstance(value.index, pd.RangeIndex)
                         else value.reset_index(), name=f"<{what}>")
    else:
        raise InputError(f"{what} must be a DataFrame or a CSV path, got {type(value).__name__}",
                         code="not_a_frame")
    shipped = loader()
    if shipped.index.name in ("design_stage", "contribution"):
        return pd.concat([shipped[~shipped.index.isin(value.index)], value])
    keys = ["dataset_type", "material_group", "factor_id"]
    kept = shipped[~pd.MultiIndex.from_frame(shipped[keys]).isin(pd.MultiIndex.from_frame(value[keys]))]
    return pd.concat([kept, value], ignore_index=True)


def factor_gsd(factor_id, dataset_type, material_group, table: pd.DataFrame) -> np.ndarray:
    """Geometric standard deviation of each factor row from its data quality.

    A row of ``table`` for the factor id wins; else the row for its dataset
    type and material group; else the row for its dataset type and any group.

    Parameters
    ----------
    factor_id, dataset_type, material_group : array-like of str
        Per factor row (``""`` or None for no group).
    table : pandas.DataFrame
        :func:`factor_uncertainty_from_frame`.

    Returns
    -------
    numpy.ndarray
        gsd per factor row [-].

    Raises
    ------
    DataError
        When a dataset type has no row for "any group".

    Examples
    --------
    >>> table = factor_uncertainty_from_frame(pd.DataFrame({
    ...     "dataset_type": ["generic", "generic", "product_epd"],
    ...     "material_group": ["", "concrete", ""], "gsd": [1.2, 1.3, 1.03],
    ...     "source": ["a", "b", "c"]}))
    >>> factor_gsd(["x", "y", "z"], ["generic", "generic", "product_epd"],
    ...            ["steel", "concrete", ""], table).tolist()
    [1.2, 1.3, 1.03]
    """
    return table["gsd"].to_numpy(dtype=float)[_spread_rows(factor_id, dataset_type, material_group,
                                                           table)]


def _spread_rows(factor_id, dataset_type, material_group, table: pd.DataFrame) -> np.ndarray:
    """Row of ``table`` each factor row takes (see :func:`factor_gsd`); keys looked up, not looped."""
    def text(values):
        return pd.Series(np.asarray(values, dtype=object)).fillna("").astype(str).to_numpy(dtype=object)

    ids, kind, group = text(factor_id), text(dataset_type), text(material_group)
    t_id, t_kind, t_group = (table[c].to_numpy(dtype=object)
                             for c in ("factor_id", "dataset_type", "material_group"))
    rows = np.arange(len(table))
    typed = t_id == ""
    anyg = typed & (t_group == "")
    absent = sorted(set(kind) - set(t_kind[anyg]))
    if absent:
        raise DataError(f"no spread for dataset type {absent[0]!r} (a row with an empty material_group)",
                        file="factor uncertainty")
    out = rows[anyg][pd.Index(t_kind[anyg]).get_indexer(kind)]
    pair = pd.Index(t_kind[typed] + "\x1f" + t_group[typed]).get_indexer(kind + "\x1f" + group)
    out = np.where(pair >= 0, rows[typed][pair], out)
    own = pd.Index(t_id[~typed]).get_indexer(ids) if (~typed).any() else np.full(len(ids), -1)
    return np.where(own >= 0, rows[~typed][np.maximum(own, 0)] if (~typed).any() else -1, out)


def gsd_source(ids, kind, group, table: pd.DataFrame) -> np.ndarray:
    """Source of the spread row each factor row took, as :func:`factor_gsd` chooses it.

    Parameters
    ----------
    ids, kind, group : array-like of str
        Factor id, dataset type and material group per factor row.
    table : pandas.DataFrame
        :func:`factor_uncertainty_from_frame`.

    Returns
    -------
    numpy.ndarray of object
    """
    return table["source"].to_numpy(dtype=object)[_spread_rows(ids, kind, group, table)]


@functools.cache
def load_age_uncertainty() -> pd.DataFrame:
    """Spread added by the age of a factor's data (``data/uncertainty/age_uncertainty.csv``).

    Returns
    -------
    pandas.DataFrame
        ``min_age_years`` [a], ``max_age_years`` [a] (inf for the last bin)
        and ``factor`` (a 95 % factor of the pedigree matrix) per score, in
        order of age.
    """
    path = data_path("uncertainty", "age_uncertainty.csv")
    table = _read(path)
    out = pd.DataFrame({
        "min_age_years": pd.to_numeric(table["min_age_years"]).to_numpy(dtype=float),
        "max_age_years": pd.to_numeric(table["max_age_years"].replace("", "inf")).to_numpy(dtype=float),
        "factor": pd.to_numeric(table["factor"]).to_numpy(dtype=float),
    }, index=pd.Index(table["score"].astype(int).to_numpy(), name="score"))
    if not (out["factor"] >= 1).all() or not out["min_age_years"].is_monotonic_increasing:
        raise DataError("age bins must rise and factors be >= 1", file=path.name)
    return out


def age_sigma(age_years, table: pd.DataFrame | None = None) -> np.ndarray:
    """Log-space standard deviation added by the age of each factor's data.

    The pedigree rule: a 95 % factor ``U`` adds ``ln(U) / 2``. A factor of
    unknown age (NaN) gets none.

    Parameters
    ----------
    age_years : array-like of float
        Years between the data and the assessment; NaN unknown. [a]
    table : pandas.DataFrame, optional
        :func:`load_age_uncertainty` (default).

    Returns
    -------
    numpy.ndarray
        [-]

    Examples
    --------
    >>> [round(float(v), 6) for v in age_sigma([1.0, 16.0, np.nan])]
    [0.0, 0.127321, 0.0]
    """
    table = load_age_uncertainty() if table is None else table
    age = np.asarray(age_years, dtype=float)
    edges = table["min_age_years"].to_numpy(dtype=float)
    at = np.clip(np.searchsorted(edges, np.nan_to_num(age, nan=0.0), side="right") - 1, 0, len(edges) - 1)
    sigma = np.log(table["factor"].to_numpy(dtype=float))[at] / 2.0
    return np.where(np.isnan(age), 0.0, sigma)


def data_years(frame: pd.DataFrame, rows: np.ndarray) -> np.ndarray:
    """Year of the data of each factor row: its ``data_year`` column, else its source's year.

    Parameters
    ----------
    frame : pandas.DataFrame
        A factor table's frame (``FactorTable.frame``), in row order.
    rows : numpy.ndarray of int
        Factor rows asked for.

    Returns
    -------
    numpy.ndarray
        [a]; NaN where neither is known.
    """
    from klimafotavtrykk.factors import load_sources

    frame = frame.reset_index(drop=True)
    out = np.full(len(rows), np.nan)
    if "source_id" in frame.columns:
        years = pd.to_numeric(load_sources()["year"], errors="coerce")
        ids = frame["source_id"].fillna("").astype(str).to_numpy(dtype=object)[rows]
        out = pd.Series(ids, dtype=object).map(years).to_numpy(dtype=float)
    if "data_year" in frame.columns:
        own = pd.to_numeric(frame["data_year"], errors="coerce").to_numpy(dtype=float)[rows]
        out = np.where(np.isnan(own), out, own)
    return out
