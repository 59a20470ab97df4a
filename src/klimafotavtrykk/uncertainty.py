"""How sure is a footprint: Monte Carlo over emission factors and quantities.

Each factor row gets a lognormal multiplier with median 1 whose geometric
standard deviation (gsd) follows the row's data quality
(``data/uncertainty/factor_uncertainty.csv``: product EPD, industry EPD or
generic data, by material group); each line may carry a spread of its
quantity by design stage (``data/uncertainty/quantity_uncertainty.csv``).
Lines that share a factor row share its multiplier: one draw per distinct
factor row, gathered per line, so that two lines of one EPD move together.

The footprint is linear in the multipliers, so the engine works per factor,
not per line (as the calculation does): the lines are binned once into
*cells* (factor row, intensity row, building part) with their emissions per
output (total, each module, each building part), and a chunk of samples is
``multipliers (samples × factors) @ contributions (factors × outputs)``.
Quantity spreads add one draw per cell: the sum of a cell's lines, each with
its own lognormal multiplier, is drawn as one lognormal with the same mean
and variance (Fenton 1960), exact for a cell of one line.

:func:`uncertainty` samples one :class:`~klimafotavtrykk.assessment.Assessment`;
:func:`sample_outputs` is the kernel, fed by :func:`result_cells` or by a
caller's own per-factor contributions (alternatives, bids) so that several
totals can share the same factor draws (common random numbers).
"""

from __future__ import annotations

import functools
import sys
import types
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from klimafotavtrykk._data import data_path
from klimafotavtrykk._frames import text_codes
from klimafotavtrykk.errors import DataError, InputError
from klimafotavtrykk.vocabulary import MODULES, TOTAL_MODULES

__all__ = [
    "PERCENTILES",
    "Cells",
    "Uncertainty",
    "load_factor_uncertainty",
    "load_quantity_uncertainty",
    "factor_uncertainty_from_frame",
    "quantity_uncertainty_from_frame",
    "factor_gsd",
    "fenton_wilkinson",
    "result_cells",
    "sample_outputs",
    "probability_lower",
    "sample_shared",
    "sample_together",
    "summarise",
    "uncertainty",
]

#: Percentiles reported by default. [%]
PERCENTILES = (2.5, 5.0, 50.0, 95.0, 97.5)
#: Largest number of multipliers drawn at once (samples × factors or cells): bounds memory.
CHUNK_VALUES = 1 << 20

_TOTAL = [MODULES.index(m) for m in TOTAL_MODULES]
_DATASET_TYPES = ("generic", "industry_epd", "product_epd")


# ============================================================================ data

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
    if shipped.index.name == "design_stage":
        return pd.concat([shipped[~shipped.index.isin(value.index)], value])
    keys = ["dataset_type", "material_group", "factor_id"]
    kept = shipped[~pd.MultiIndex.from_frame(shipped[keys]).isin(pd.MultiIndex.from_frame(value[keys]))]
    return pd.concat([kept, value], ignore_index=True)


# ============================================================================ layer 1

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


def fenton_wilkinson(weight, sigma, cell, n_cells: int) -> tuple[np.ndarray, np.ndarray]:
    """One lognormal per cell for the weighted sum of its lines' lognormal multipliers.

    Each line ``l`` has a multiplier ``exp(sigma_l Z_l)`` (median 1) and a
    weight ``w_l`` (its quantity); a cell's relative multiplier
    ``sum(w_l m_l) / sum(w_l)`` is drawn as ``exp(mu + s Z)`` with the same
    mean and variance (Fenton-Wilkinson).

    Parameters
    ----------
    weight : numpy.ndarray
        Weight of each line, ≥ 0. [declared unit]
    sigma : numpy.ndarray
        Log-space standard deviation of each line's multiplier. [-]
    cell : numpy.ndarray of int
        Cell of each line, 0 .. n_cells-1.
    n_cells : int

    Returns
    -------
    mu, s : numpy.ndarray
        Log-space location and scale per cell. [-]

    References
    ----------
    .. [1] Fenton, L. F. (1960). The sum of log-normal probability
       distributions in scatter transmission systems. IRE Transactions on
       Communications Systems 8(1), 57-67.

    Examples
    --------
    One line: the cell is that line's own lognormal.

    >>> mu, s = fenton_wilkinson(np.array([2.0]), np.array([0.3]), np.array([0]), 1)
    >>> round(float(mu[0]), 12), round(float(s[0]), 12)
    (0.0, 0.3)
    """
    var = sigma * sigma
    mean_l = np.exp(var / 2.0)
    total = np.bincount(cell, weights=weight, minlength=n_cells)
    mean = np.bincount(cell, weights=weight * mean_l, minlength=n_cells)
    second = np.bincount(cell, weights=weight * weight * np.exp(var) * np.expm1(var), minlength=n_cells)
    with np.errstate(invalid="ignore", divide="ignore"):
        m = mean / total
        v = second / (total * total)
        s2 = np.log1p(v / (m * m))
    s2 = np.where(total > 0, s2, 0.0)
    mu = np.where(total > 0, np.log(np.where(total > 0, m, 1.0)) - s2 / 2.0, 0.0)
    return mu, np.sqrt(s2)


def sample_outputs(contributions, sigma, n: int, rng, *, constant=None, cell_factor=None,
                   cell_mu=None, cell_sigma=None, chunk_values: int = CHUNK_VALUES) -> np.ndarray:
    """Samples of outputs that are linear in lognormal factor multipliers.

    Parameters
    ----------
    contributions : numpy.ndarray
        Shape (rows, outputs): each factor's contribution to each output
        (with ``cell_factor``: each cell's). [kg CO2e]
    sigma : numpy.ndarray
        Log-space standard deviation of each factor's multiplier
        (``ln(gsd)``); shape (factors,). [-]
    n : int
        Number of samples.
    rng : numpy.random.Generator
        Draws: per chunk of samples, first the factors' standard normals
        (samples × factors), then the cells'.
    constant : numpy.ndarray, optional
        Added to every sample, shape (outputs,). [kg CO2e]
    cell_factor : numpy.ndarray of int, optional
        Factor of each row of ``contributions``: the rows are cells, each
        with its own lognormal quantity multiplier ``exp(cell_mu + cell_sigma Z)``.
    cell_mu, cell_sigma : numpy.ndarray, optional
        Per cell (:func:`fenton_wilkinson`). [-]
    chunk_values : int
        Largest number of draws held at once.

    Returns
    -------
    numpy.ndarray
        Shape (n, outputs). [kg CO2e]
    """
    contributions = np.asarray(contributions, dtype=float)
    sigma = np.asarray(sigma, dtype=float)
    k = len(sigma)
    out = np.empty((n, contributions.shape[1]))
    width = k + (0 if cell_factor is None else len(cell_factor))
    step = max(1, min(n, chunk_values // max(width, 1)))
    for start in range(0, n, step):  # chunks of samples, not lines
        stop = min(start + step, n)
        z = rng.standard_normal((stop - start, k))
        z *= sigma
        np.exp(z, out=z)
        if cell_factor is not None:
            q = rng.standard_normal((stop - start, len(cell_factor)))
            q *= cell_sigma
            q += cell_mu
            np.exp(q, out=q)
            q *= z[:, cell_factor]
            z = q
        np.matmul(z, contributions, out=out[start:stop])
    if constant is not None:
        out += constant
    return out


def probability_lower(a, b) -> np.ndarray:
    """Share of samples in which ``a`` is lower than ``b`` (a tie counts one half).

    Parameters
    ----------
    a, b : numpy.ndarray
        Samples, same shape (samples, ...); compared sample by sample.

    Returns
    -------
    numpy.ndarray or float
        Probability per trailing position. [-]

    Examples
    --------
    >>> probability_lower(np.array([1.0, 2.0, 3.0, 4.0]), np.array([2.0, 2.0, 2.0, 2.0]))
    0.375
    """
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    p = (a < b).mean(axis=0) + 0.5 * (a == b).mean(axis=0)
    return float(p) if np.ndim(p) == 0 else p


# ============================================================================ a result as cells

@dataclass(frozen=True, eq=False)
class Cells:
    """A calculation binned for sampling: factor rows and cells with their contributions.

    Attributes
    ----------
    factors : pandas.DataFrame
        One row per factor row used: ``factor_id``, ``dataset_type``,
        ``material_group``, ``gsd`` [-], ``source`` (of the spread) and
        ``kg_co2e`` (its part of the total). [kg CO2e]
    columns : pandas.MultiIndex
        Outputs, as (level, name): ``("total", "total")``, ``("module", m)``
        for each module and ``("building_part", p)`` for each part and each
        contribution beside the lines (``site`` ...).
    contributions : numpy.ndarray
        Shape (cells, outputs). [kg CO2e]
    cell_factor : numpy.ndarray of int
        Row of ``factors`` of each cell.
    cell_mu, cell_sigma : numpy.ndarray
        Log-space parameters of each cell's quantity multiplier (0 without
        a quantity spread). [-]
    constant : numpy.ndarray
        Contributions that are not sampled (site, mass transport, B6), per output. [kg CO2e]
    """

    factors: pd.DataFrame
    columns: pd.MultiIndex
    contributions: np.ndarray
    cell_factor: np.ndarray
    cell_mu: np.ndarray
    cell_sigma: np.ndarray
    constant: np.ndarray

    @property
    def quantity_spread(self) -> bool:
        """Whether any cell has a quantity spread."""
        return bool((self.cell_sigma > 0).any())

    def per_factor(self) -> np.ndarray:
        """Contributions summed per factor row, shape (factors, outputs) [kg CO2e]."""
        k, width = len(self.factors), self.contributions.shape[1]
        out = np.empty((k, width))
        for j in range(width):  # a column at a time: outputs are few
            out[:, j] = np.bincount(self.cell_factor, weights=self.contributions[:, j], minlength=k)
        return out


def result_cells(result, *, factor_uncertainty=None, quantity_uncertainty=None,
                 design_stage: str | None = None) -> Cells:
    """Bin a calculation's lines into cells for :func:`sample_outputs`.

    Parameters
    ----------
    result : Assessment
        From :func:`~klimafotavtrykk.assessment.calculate`.
    factor_uncertainty : DataFrame or path, optional
        Rows in the schema of :func:`factor_uncertainty_from_frame` that
        replace the shipped rows with the same key (dataset type, group,
        factor id) or add to them; a ``factor_id`` row sets one factor.
    quantity_uncertainty : DataFrame or path, optional
        Rows in the schema of :func:`quantity_uncertainty_from_frame`,
        replacing or adding design stages.
    design_stage : str, optional
        Stage of every line without its own (``skisse``, ``forprosjekt``,
        ``detaljprosjekt``, ``bygget``). None: quantities are exact unless a
        line says otherwise. A line's ``design_stage`` column wins, and its
        ``quantity_gsd`` column (≥ 1) wins over both.

    Returns
    -------
    Cells

    Raises
    ------
    InputError
        When the result keeps no per-line arrays (an Assessment built from a
        frame), or a design stage is unknown, or a ``quantity_gsd`` is below 1.
    """
    from klimafotavtrykk.assessment import Assessment

    source = Assessment.__dict__["lines"].source(result)
    if source is None:
        raise InputError("this result keeps no per-line arrays to sample (it was built from a "
                         "frame): compute it with calculate()", code="uncertainty.no_line_arrays")
    spreads = _as_table(factor_uncertainty, load_factor_uncertainty, factor_uncertainty_from_frame,
                        "factor_uncertainty")
    stages = _as_table(quantity_uncertainty, load_quantity_uncertainty, quantity_uncertainty_from_frame,
                       "quantity_uncertainty")
    items = source.items.loc[source.ok]
    line_f, line_row, qty = source.factor, source.row, source.quantity

    # outputs: total, modules, building parts (as the result labels them), then other rows
    parts = [str(p) for p in result.by_building_part.index]
    other = result.other
    columns = pd.MultiIndex.from_tuples(
        [("total", "total"), *[("module", m) for m in MODULES],
         *[("building_part", p) for p in parts], *[("building_part", str(o)) for o in other.index]],
        names=["level", "name"])
    part_codes, part_names = text_codes(items["building_part"])
    two = np.append(pd.Series(part_names, dtype=object).str.slice(0, 2).to_numpy(dtype=object), "")
    line_part = pd.Index(parts, dtype=object).get_indexer(two)[part_codes]
    if (line_part < 0).any():
        raise InputError("a building part of the lines is not in the result", code="uncertainty.parts")

    # cells: distinct (intensity row, part); the factor follows the row
    n_parts = max(len(parts), 1)
    key = line_row.astype(np.int64) * n_parts + line_part
    codes, cell_keys = pd.factorize(key, sort=True)
    n_cells = len(cell_keys)
    cell_row = (cell_keys // n_parts).astype(np.int64)
    cell_part = (cell_keys % n_parts).astype(np.int64)
    first = np.full(n_cells, -1, dtype=np.int64)
    first[codes[::-1]] = np.arange(len(codes))[::-1]  # first line of each cell
    f_codes, f_rows = pd.factorize(line_f[first] if n_cells else np.empty(0, dtype=np.int64), sort=True)
    amount = np.bincount(codes, weights=qty, minlength=n_cells)
    modules = amount[:, None] * source.intensities[cell_row]
    contributions = np.zeros((n_cells, len(columns)))
    contributions[:, 1:1 + len(MODULES)] = modules
    in_total = modules[:, _TOTAL].sum(axis=1)
    contributions[:, 0] = in_total
    contributions[np.arange(n_cells), 1 + len(MODULES) + cell_part] = in_total

    table = source.table
    frame = table.frame.reset_index(drop=True)
    ids = table.ids.to_numpy(dtype=object)[f_rows]
    kind = np.where(table.is_generic[f_rows], "generic",
                    frame["dataset_type"].fillna("product_epd").astype(str).to_numpy(dtype=object)[f_rows]
                    if "dataset_type" in frame.columns else "product_epd")
    group = (frame["material_group"].fillna("").astype(str).to_numpy(dtype=object)[f_rows]
             if "material_group" in frame.columns else np.full(len(f_rows), "", dtype=object))
    gsd = factor_gsd(ids, kind, group, spreads)

    line_sigma = _quantity_sigma(items, stages, design_stage)
    if line_sigma is None:
        mu = s = np.zeros(n_cells)
    else:
        mu, s = fenton_wilkinson(np.abs(qty), line_sigma, codes, n_cells)

    constant = np.zeros(len(columns))
    if len(other):
        values = other.reindex(columns=list(MODULES)).fillna(0.0).to_numpy(dtype=float)
        constant[1:1 + len(MODULES)] = values.sum(axis=0)
        constant[0] = values[:, _TOTAL].sum()
        constant[1 + len(MODULES) + len(parts):] = values[:, _TOTAL].sum(axis=1)
    per_factor_total = np.bincount(f_codes, weights=in_total, minlength=len(f_rows))
    factors = pd.DataFrame({
        "factor_id": ids, "dataset_type": kind, "material_group": group, "gsd": gsd,
        "source": _gsd_source(ids, kind, group, spreads), "kg_co2e": per_factor_total})
    return Cells(factors=factors, columns=columns, contributions=contributions,
                 cell_factor=f_codes.astype(np.int64), cell_mu=mu, cell_sigma=s, constant=constant)


def _quantity_sigma(items: pd.DataFrame, stages: pd.DataFrame, design_stage: str | None):
    """Log-space standard deviation of each computed line's quantity; None when all are exact."""
    n = len(items)
    has_stage = "design_stage" in items.columns
    has_gsd = "quantity_gsd" in items.columns
    if design_stage is None and not has_stage and not has_gsd:
        return None
    stage = np.full(n, design_stage if design_stage is not None else None, dtype=object)
    if has_stage:
        own = items["design_stage"].astype(object).where(items["design_stage"].notna(), None)
        own = own.map(lambda v: v.strip() if isinstance(v, str) and v.strip() else None)
        stage = np.where(pd.isna(own.to_numpy(dtype=object)), stage, own.to_numpy(dtype=object))
    codes, names = pd.factorize(pd.Series(stage, dtype=object))
    unknown = sorted(set(map(str, names)) - set(stages.index))
    if unknown:
        raise InputError(f"unknown design stage {unknown[0]!r}", expected=", ".join(stages.index),
                         found=unknown[0], code="uncertainty.unknown_stage")
    gsd = np.append(stages["gsd"].reindex(names).to_numpy(dtype=float), 1.0)[codes]
    if has_gsd:
        own = pd.to_numeric(items["quantity_gsd"], errors="coerce").to_numpy(dtype=float)
        if (own < 1).any():
            raise InputError("quantity_gsd must be >= 1 (1 = exact)", expected=">= 1",
                             found=str(own[own < 1][0]), code="uncertainty.bad_gsd")
        gsd = np.where(np.isnan(own), gsd, own)
    return np.log(gsd)


def _gsd_source(ids, kind, group, table: pd.DataFrame) -> np.ndarray:
    """Source of the spread row each factor row took (as :func:`factor_gsd` chooses)."""
    return table["source"].to_numpy(dtype=object)[_spread_rows(ids, kind, group, table)]


# ============================================================================ one result

@dataclass(frozen=True, eq=False)
class Uncertainty:
    """Percentiles of a footprint sampled over its factors and quantities.

    Attributes
    ----------
    total : pandas.Series
        Percentiles of the total (D excluded), indexed by percentile [%]. [kg CO2e]
    by_module : pandas.DataFrame
        Module × percentile. [kg CO2e]
    by_building_part : pandas.DataFrame
        Building part (and ``site`` ... beside the lines) × percentile. [kg CO2e]
    samples : numpy.ndarray
        The total of each sample, shape (n,). [kg CO2e]
    deterministic : float
        The total as calculated. [kg CO2e]
    factors : pandas.DataFrame
        Each factor row sampled: ``factor_id``, ``dataset_type``,
        ``material_group``, ``gsd`` [-], ``source`` of the spread and
        ``kg_co2e`` (its part of the total). [kg CO2e]
    n : int
        Number of samples.
    seed : object
        The seed given (None: not reproducible).
    quantity_spread : bool
        Whether quantities were sampled too.
    """

    total: pd.Series
    by_module: pd.DataFrame
    by_building_part: pd.DataFrame
    samples: np.ndarray
    deterministic: float
    factors: pd.DataFrame
    n: int
    seed: Any = None
    quantity_spread: bool = False
    metadata: dict[str, Any] = field(default_factory=dict)


def uncertainty(result, n: int = 1000, seed=None, *, percentiles=PERCENTILES,
                factor_uncertainty=None, quantity_uncertainty=None,
                design_stage: str | None = None) -> Uncertainty:
    """Sample a footprint over the data quality of its factors and quantities.

    Parameters
    ----------
    result : Assessment
        From :func:`~klimafotavtrykk.assessment.calculate`.
    n : int
        Number of samples.
    seed : int, numpy.random.SeedSequence or None
        Seed of the numpy Generator: the same seed gives the same numbers.
    percentiles : sequence of float
        Percentiles to report. [%]
    factor_uncertainty, quantity_uncertainty, design_stage
        Spreads to use instead of or beside the shipped ones, and the design
        stage of the quantities (see :func:`result_cells`).

    Returns
    -------
    Uncertainty

    Notes
    -----
    One multiplier per factor row multiplies every module the row gives
    (A1-A3 and the transport, waste, replacement and end-of-life modules
    computed from it), with median 1: the value as evaluated (with the
    profile's generic markup) is the median. Contributions that are not
    lines (site, mass transport, B6) are not sampled.

    Examples
    --------
    >>> import klimafotavtrykk as kf
    >>> spread = kf.uncertainty(result, n=1000, seed=1)   # doctest: +SKIP
    >>> spread.total[[2.5, 97.5]]                         # doctest: +SKIP
    """
    n = _positive_int(n)
    cells = result_cells(result, factor_uncertainty=factor_uncertainty,
                         quantity_uncertainty=quantity_uncertainty, design_stage=design_stage)
    rng = np.random.default_rng(seed)
    sigma = np.log(cells.factors["gsd"].to_numpy(dtype=float))
    if cells.quantity_spread:
        samples = sample_outputs(cells.contributions, sigma, n, rng, constant=cells.constant,
                                 cell_factor=cells.cell_factor, cell_mu=cells.cell_mu,
                                 cell_sigma=cells.cell_sigma)
    else:
        samples = sample_outputs(cells.per_factor(), sigma, n, rng, constant=cells.constant)
    return summarise(samples, cells, percentiles, float(result.total), seed)


def summarise(samples: np.ndarray, cells: Cells, percentiles, deterministic: float, seed=None
              ) -> Uncertainty:
    """Percentiles of sampled outputs, as an :class:`Uncertainty`.

    Parameters
    ----------
    samples : numpy.ndarray
        Shape (n, outputs) from :func:`sample_outputs`. [kg CO2e]
    cells : Cells
        What was sampled.
    percentiles : sequence of float
        [%]
    deterministic : float
        The total as calculated. [kg CO2e]
    seed : object

    Returns
    -------
    Uncertainty
    """
    q = [float(p) for p in percentiles]
    table = pd.DataFrame(np.percentile(samples, q, axis=0).T, index=cells.columns,
                         columns=pd.Index(q, name="percentile"))
    level = cells.columns.get_level_values("level")
    by_module = table[level == "module"].droplevel("level").rename_axis("module")
    by_part = table[level == "building_part"].droplevel("level").rename_axis("building_part")
    return Uncertainty(total=table.loc[("total", "total")].rename("kg_co2e"), by_module=by_module,
                       by_building_part=by_part, samples=samples[:, 0].copy(),
                       deterministic=deterministic, factors=cells.factors, n=len(samples), seed=seed,
                       quantity_spread=cells.quantity_spread)


def sample_shared(groups, n: int, rng, *, chunk_values: int = CHUNK_VALUES) -> dict[str, np.ndarray]:
    """Samples of several outputs that share factors: one draw per distinct factor key.

    A factor key that two groups share (an alternative's concrete and the
    reference's, or two bids' generic steel) gets the same multiplier in
    both, sample by sample (common random numbers), so a difference between
    groups reflects only what differs.

    Parameters
    ----------
    groups : mapping of str to tuple
        Per group: ``(keys, sigma, contributions, constant)``: factor keys
        (str, one per row), log-space standard deviations [-], contributions
        of shape (rows, outputs) [kg CO2e] and a constant per output
        [kg CO2e]. A key must have the same sigma in every group.
    n : int
        Number of samples.
    rng : numpy.random.Generator
        Per chunk of samples, one standard normal per sample and distinct
        key, keys in order of first appearance.
    chunk_values : int
        Largest number of draws held at once.

    Returns
    -------
    dict of str to numpy.ndarray
        Per group, shape (n, outputs). [kg CO2e]

    Raises
    ------
    InputError
        When a key has different sigmas in two groups.
    """
    keys = [np.asarray(g[0], dtype=object) for g in groups.values()]
    sigmas = [np.asarray(g[1], dtype=float) for g in groups.values()]
    all_keys = np.concatenate(keys) if keys else np.empty(0, dtype=object)
    union = pd.Index(pd.unique(all_keys))
    sigma = np.full(len(union), np.nan)
    where = [union.get_indexer(k) for k in keys]
    for idx, sig in zip(where, sigmas, strict=True):  # a few groups
        clash = ~np.isnan(sigma[idx]) & ~np.isclose(sigma[idx], sig)
        if clash.any():
            raise InputError(f"factor {union[idx[clash][0]]!r} has two different spreads",
                             code="uncertainty.spread_clash")
        sigma[idx] = sig
    contributions = [np.asarray(g[2], dtype=float) for g in groups.values()]
    out = {name: np.empty((n, c.shape[1])) for name, c in zip(groups, contributions, strict=True)}
    step = max(1, min(n, chunk_values // max(len(union), 1)))
    for start in range(0, n, step):  # chunks of samples
        stop = min(start + step, n)
        z = rng.standard_normal((stop - start, len(union)))
        z *= sigma
        np.exp(z, out=z)
        for name, idx, c in zip(groups, where, contributions, strict=True):
            np.matmul(z[:, idx], c, out=out[name][start:stop])
    for name, group in groups.items():
        out[name] += np.asarray(group[3], dtype=float)
    return out


def sample_together(results, n: int = 1000, seed=None, *, percentiles=PERCENTILES,
                    factor_uncertainty=None) -> dict[str, Uncertainty]:
    """Sample several calculations with the same factor draws (common random numbers).

    Parameters
    ----------
    results : mapping of str to Assessment
        E.g. design alternatives.
    n : int
        Number of samples.
    seed : int or None
        Seed of the numpy Generator.
    percentiles : sequence of float
        [%]
    factor_uncertainty : DataFrame or path, optional
        As for :func:`result_cells`. Quantities are not sampled: alternatives
        of one bill of quantities share its quantities.

    Returns
    -------
    dict of str to Uncertainty
        In the order given; one alternative alone gives what
        :func:`uncertainty` gives with the same seed.
    """
    n = _positive_int(n)
    cells = {name: result_cells(r, factor_uncertainty=factor_uncertainty)
             for name, r in results.items()}
    # the same factor id with the same spread is one key; a user's row of another quality is not
    groups = {name: ((c.factors["factor_id"].astype(str) + "|" + c.factors["gsd"].map(repr))
                     .to_numpy(dtype=object), np.log(c.factors["gsd"].to_numpy(dtype=float)), c.per_factor(), c.constant)
              for name, c in cells.items()}
    samples = sample_shared(groups, n, np.random.default_rng(seed))
    return {name: summarise(samples[name], cells[name], percentiles, float(results[name].total), seed)
            for name in results}


def _positive_int(n) -> int:
    if isinstance(n, bool) or not isinstance(n, int | np.integer) or n < 1:
        raise InputError("the number of samples must be a whole number >= 1", expected="n >= 1",
                         found=str(n), code="uncertainty.bad_n")
    return int(n)



class _CallableModule(types.ModuleType):
    """The module, callable as :func:`uncertainty`.

    ``kf.uncertainty`` is the function while the module is not imported, and
    the module once it is (Python binds an imported submodule to its
    package's attribute); calling either gives the same result.
    """

    def __call__(self, *args, **kwargs) -> Uncertainty:
        return uncertainty(*args, **kwargs)


sys.modules[__name__].__class__ = _CallableModule
