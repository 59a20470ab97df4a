"""One calculation sampled: its lines binned into cells, then percentiles per output.

:func:`result_cells` bins an :class:`~klimafotavtrykk.assessment.Assessment`'s
lines into cells (factor row, intensity row, building part) with their
emissions per output; :func:`uncertainty` samples them; :func:`sample_together`
samples several calculations with the same factor draws.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from klimafotavtrykk._frames import text_codes
from klimafotavtrykk._string_storage import python_strings
from klimafotavtrykk.errors import InputError
from klimafotavtrykk.uncertainty.sampling import fenton_wilkinson, sample_outputs, sample_shared
from klimafotavtrykk.uncertainty.spreads import (
    _as_table,
    age_sigma,
    data_years,
    energy_uncertainty_from_frame,
    factor_gsd,
    factor_uncertainty_from_frame,
    gsd_source,
    load_energy_uncertainty,
    load_factor_uncertainty,
    load_quantity_uncertainty,
    quantity_uncertainty_from_frame,
)
from klimafotavtrykk.vocabulary import MODULES, TOTAL_MODULES

__all__ = ["PERCENTILES", "Cells", "Uncertainty", "result_cells", "uncertainty", "summarise",
           "sample_together"]

#: Percentiles reported by default. [%]
PERCENTILES = (2.5, 5.0, 50.0, 95.0, 97.5)

_TOTAL = [MODULES.index(m) for m in TOTAL_MODULES]


@dataclass(frozen=True, eq=False)
class Cells:
    """A calculation binned for sampling: factor rows and cells with their contributions.

    Attributes
    ----------
    factors : pandas.DataFrame
        One row per factor row used: ``factor_id``, ``dataset_type``,
        ``material_group``, ``age_years`` (NaN: no
        age term) [a], ``gsd`` (with the age term) [-], ``source`` (of the spread) and
        ``kg_co2e`` (its part of the total) [kg CO2e]; then one row per sampled
        contribution beside the lines (``factor_id`` and ``dataset_type`` its
        name, e.g. ``operational_energy``).
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
        Contributions that are not sampled (site, mass transport), per output. [kg CO2e]
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
                 design_stage: str | None = None, year: float | None = None,
                 energy_uncertainty=None) -> Cells:
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
    year : float, optional
        Year of the assessment. Given, each factor row's spread widens by the
        age of its data (``year`` minus the row's ``data_year``, else the year
        of its ``source_id`` in ``data/sources.csv``), by the pedigree bins of
        ``data/uncertainty/age_uncertainty.csv``; a row of unknown age gets no
        age term. None: no age term.
    energy_uncertainty : DataFrame or path, optional
        Rows in the schema of :func:`energy_uncertainty_from_frame` that
        replace the shipped spread of a contribution beside the lines
        (``operational_energy``: the gap between energy use calculated and
        measured) or add one; a contribution with none (site, mass
        transport) is added as calculated.

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
    age = (float(year) - data_years(frame, f_rows) if year is not None
           else np.full(len(f_rows), np.nan))
    gsd = np.exp(np.sqrt(np.log(gsd) ** 2 + age_sigma(age) ** 2))

    line_sigma = _quantity_sigma(items, stages, design_stage)
    if line_sigma is None:
        mu = s = np.zeros(n_cells)
    else:
        mu, s = fenton_wilkinson(np.abs(qty), line_sigma, codes, n_cells)

    per_factor_total = np.bincount(f_codes, weights=in_total, minlength=len(f_rows))
    factors = pd.DataFrame({
        "factor_id": ids, "dataset_type": kind, "material_group": group, "age_years": age,
        "gsd": gsd, "source": gsd_source(ids, kind, group, spreads), "kg_co2e": per_factor_total})
    energy = _as_table(energy_uncertainty, load_energy_uncertainty, energy_uncertainty_from_frame,
                       "energy_uncertainty")
    rows, constant, sampled = _other_rows(other, energy, len(columns), len(parts))
    if len(sampled):  # each sampled contribution is one more factor with one cell of its own
        first_new = len(factors)
        factors = pd.concat([factors, sampled], ignore_index=True)
        contributions = np.vstack([contributions, rows])
        f_codes = np.concatenate([f_codes, first_new + np.arange(len(rows))])
        mu, s = np.concatenate([mu, np.zeros(len(rows))]), np.concatenate([s, np.zeros(len(rows))])
    return Cells(factors=factors, columns=columns, contributions=contributions,
                 cell_factor=f_codes.astype(np.int64), cell_mu=mu, cell_sigma=s, constant=constant)


def _other_rows(other: pd.DataFrame, spreads: pd.DataFrame, width: int, n_parts: int):
    """The contributions beside the lines as outputs: sampled rows, the rest as a constant.

    Returns
    -------
    rows : numpy.ndarray
        Shape (sampled, width): each sampled contribution's outputs. [kg CO2e]
    constant : numpy.ndarray
        Shape (width,): the others summed. [kg CO2e]
    sampled : pandas.DataFrame
        The factor rows of the sampled contributions (as :attr:`Cells.factors`).
    """
    outputs = np.zeros((len(other), width))
    if len(other):
        values = other.reindex(columns=list(MODULES)).fillna(0.0).to_numpy(dtype=float)
        outputs[:, 1:1 + len(MODULES)] = values
        outputs[:, 0] = values[:, _TOTAL].sum(axis=1)
        outputs[np.arange(len(other)), 1 + len(MODULES) + n_parts + np.arange(len(other))] = \
            values[:, _TOTAL].sum(axis=1)
    names = other.index.astype(str)
    sampled = np.asarray(names.isin(spreads.index), dtype=bool) & (outputs[:, 0] != 0)
    rows = outputs[sampled]
    chosen = names[sampled]
    factors = pd.DataFrame({
        "factor_id": chosen.to_numpy(dtype=object), "dataset_type": chosen.to_numpy(dtype=object),
        "material_group": "", "age_years": np.nan,
        "gsd": spreads["gsd"].reindex(chosen).to_numpy(dtype=float),
        "source": spreads["source"].reindex(chosen).to_numpy(dtype=object),
        "kg_co2e": rows[:, 0]})
    return rows, outputs[~sampled].sum(axis=0), factors


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
        ``material_group``, ``age_years`` (NaN: no
        age term) [a], ``gsd`` (with the age term) [-], ``source`` of the spread and
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


@python_strings
def uncertainty(result, n: int = 1000, seed=None, *, percentiles=PERCENTILES,
                factor_uncertainty=None, quantity_uncertainty=None,
                design_stage: str | None = None, year: float | None = None,
                energy_uncertainty=None) -> Uncertainty:
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
    factor_uncertainty, quantity_uncertainty, design_stage, year, energy_uncertainty
        Spreads to use instead of or beside the shipped ones, the design
        stage of the quantities, the year of the assessment for the age
        of each factor's data, and the spread of operational energy (see
        :func:`result_cells`).

    Returns
    -------
    Uncertainty

    Notes
    -----
    One multiplier per factor row multiplies every module the row gives
    (A1-A3 and the transport, waste, replacement and end-of-life modules
    computed from it), with median 1: the value as evaluated (with the
    profile's generic markup) is the median. Operational energy (B6) gets
    one multiplier with median 1 for the gap between energy use calculated
    and measured (``data/uncertainty/energy_uncertainty.csv``); site energy
    and mass transport beside the lines are added as calculated.

    Examples
    --------
    >>> import klimafotavtrykk as kf
    >>> spread = kf.uncertainty(result, n=1000, seed=1)   # doctest: +SKIP
    >>> spread.total[[2.5, 97.5]]                         # doctest: +SKIP
    """
    n = _positive_int(n)
    cells = result_cells(result, factor_uncertainty=factor_uncertainty,
                         quantity_uncertainty=quantity_uncertainty, design_stage=design_stage,
                         year=year, energy_uncertainty=energy_uncertainty)
    rng = _generator(seed)
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
    samples = sample_shared(groups, n, _generator(seed))
    return {name: summarise(samples[name], cells[name], percentiles, float(results[name].total), seed)
            for name in results}


def _positive_int(n) -> int:
    if isinstance(n, bool) or not isinstance(n, int | np.integer) or n < 1:
        raise InputError("the number of samples must be a whole number >= 1", expected="n >= 1",
                         found=str(n), code="uncertainty.bad_n")
    return int(n)


def _generator(seed) -> np.random.Generator:
    """The random generator for ``seed``; a seed numpy cannot take is refused by name."""
    try:
        return np.random.default_rng(seed)
    except (TypeError, ValueError):
        raise InputError("the seed must be a whole number >= 0, a numpy SeedSequence or None",
                         expected="seed >= 0", found=repr(seed), code="uncertainty.bad_seed") from None
