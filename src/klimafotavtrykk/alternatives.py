"""Design alternatives: substitute factors without editing spreadsheets, and compare results.

Early planning decides the big cuts: DFØ's criterion for selected building
parts asks for alternatives for the load-bearing system (NS 3451 part 22),
external walls (23) and floors (25), and a demonstration of how they
influenced the choice.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pandas as pd

from klimafotavtrykk._string_storage import python_strings
from klimafotavtrykk.assessment import Assessment, calculate, prepare_lines
from klimafotavtrykk.errors import InputError, SelectionWarning, user_stacklevel
from klimafotavtrykk.factors import FactorTable, load_factors
from klimafotavtrykk.matching import Mappings, match_factors
from klimafotavtrykk.vocabulary import MODULES, TOTAL_MODULES

__all__ = ["substitute", "compare"]


@python_strings
def substitute(
    lines: pd.DataFrame,
    to_factor: str,
    *,
    factor: str | None = None,
    building_part: str | None = None,
    item_code: str | None = None,
    description: str | None = None,
    factors: FactorTable | None = None,
    mappings: Mappings | None = None,
) -> pd.DataFrame:
    """Replace the factor of every line that matches all the given conditions.

    Parameters
    ----------
    lines : pandas.DataFrame
        Bill of quantities in the canonical vocabulary; left untouched.
    to_factor : str
        Factor id the selected lines should use, e.g. ``"concrete_lowcarbon_a_b35"``.
    factor : str, optional
        Select lines whose factor *as matched now* is this id (e.g. every
        line that resolves to ``"concrete_c35_45"``, whatever its text says).
    building_part : str, optional
        Select lines whose NS 3451 code starts with this (``"22"``).
    item_code : str, optional
        Select lines whose NS 3420 code starts with this (``"LB"``).
    description : str, optional
        Regular expression searched case-insensitively in the description.
    factors : FactorTable, optional
        Table the ids refer to; default the shipped one.
    mappings : Mappings, optional
        Mapping tables used to find each line's current factor.

    Returns
    -------
    pandas.DataFrame
        A copy with ``factor_id`` set to ``to_factor`` on the selected lines
        and a ``substituted_from`` column naming the factor each replaced
        line had before its first substitution (None for lines never
        replaced), so chained calls keep their history. How many lines this
        call changed is in ``attrs["substituted_lines"]``.

    Raises
    ------
    InputError
        When ``to_factor`` or ``factor`` is not in the table, or no condition
        is given.

    Warns
    -----
    SelectionWarning
        When the conditions select no line: nothing was changed.

    Examples
    --------
    >>> lowcarbon = substitute(lines, "concrete_lowcarbon_a_b35",
    ...                        factor="concrete_c35_45")          # doctest: +SKIP
    """
    if not any(c is not None for c in (factor, building_part, item_code, description)):
        raise InputError("give at least one selection: factor, building_part, item_code or description",
                         code="no_selection")
    table = factors or load_factors()
    for given in (to_factor, factor):
        if given is not None and given not in table.ids:
            raise InputError(f"factor {given!r} is not in the factor table", expected="a factor id",
                             found=given, code="unknown_factor")
    items = prepare_lines(lines)
    match = match_factors(items, table.ids, mappings)
    current = np.where(match.factor_idx >= 0, table.ids.to_numpy(dtype=object)[match.factor_idx], None)

    selected = np.ones(len(items), dtype=bool)
    if factor is not None:
        selected &= current == factor
    for column, prefix in (("building_part", building_part), ("item_code", item_code)):
        if prefix is not None:
            text = items[column].astype(object).where(items[column].notna(), "").astype(str)
            selected &= text.str.strip().str.upper().str.startswith(str(prefix).upper()).to_numpy()
    if description is not None:
        try:
            pattern = re.compile(description, re.IGNORECASE)
        except (re.error, TypeError) as exc:
            raise InputError(f"description is not a valid regular expression: {exc}",
                             expected="a regular expression", found=repr(description),
                             code="bad_pattern") from None
        text = items["description"].astype(object).where(items["description"].notna(), "").astype(str)
        selected &= text.str.contains(pattern, regex=True).to_numpy()

    out = lines.copy()
    previous = out["factor_id"].astype(object) if "factor_id" in out.columns else pd.Series(
        None, index=out.index, dtype=object)
    out["factor_id"] = previous.where(~selected, to_factor)
    earlier = (out["substituted_from"].astype(object) if "substituted_from" in out.columns
               else pd.Series(None, index=out.index, dtype=object))
    # a line swapped twice keeps the factor it had first; lines not selected keep their history
    before = earlier.to_numpy(dtype=object)
    known = pd.notna(before)
    first = np.where(known, before, current)
    out["substituted_from"] = pd.Series(np.where(selected, first, np.where(known, before, None)),
                                        index=out.index, dtype=object)
    out.attrs["substituted_lines"] = int(selected.sum())
    if not selected.any():
        warnings.warn("substitute: the conditions select no line; nothing was changed",
                      SelectionWarning, stacklevel=user_stacklevel())
    return out


@python_strings
def compare(
    alternatives: Mapping[str, Assessment | pd.DataFrame | str | Path],
    reference: str | None = None,
    *,
    profile="tek17",
    bta_m2: float | None = None,
    uncertainty: bool = False,
    n_samples: int = 1000,
    seed=None,
    factor_uncertainty=None,
    **calculate_kw,
) -> pd.DataFrame:
    """Tidy comparison of alternatives by module and building part.

    Parameters
    ----------
    alternatives : mapping of name -> Assessment, line frame or BoQ path
        Frames and paths are calculated with ``profile``, ``bta_m2`` and
        ``calculate_kw``; results are used as they are.
    reference : str, optional
        Name of the alternative the others are compared against; default the first.
    profile, bta_m2, **calculate_kw
        Passed to :func:`~klimafotavtrykk.assessment.calculate`.
    uncertainty : bool
        Also sample every alternative over the spreads of its factors
        (:func:`klimafotavtrykk.uncertainty.sample_together`), all with the
        same draws: a factor two alternatives share moves both alike, so
        the probability below reflects only what differs.
    n_samples : int
        Number of samples, with ``uncertainty``.
    seed : int, optional
        Seed of the samples: the same seed gives the same probabilities.
    factor_uncertainty : DataFrame or path, optional
        Spreads to use beside the shipped ones
        (:func:`klimafotavtrykk.uncertainty.result_cells`).

    Returns
    -------
    pandas.DataFrame
        One row per alternative × building part × module (D included, with
        ``in_total`` False): ``alternative``, ``building_part``, ``module``,
        ``in_total``, ``kg_co2e``, ``reference_kg_co2e``, ``difference_kg_co2e``,
        ``difference_pct`` (NaN where the reference is 0) and, when an area is
        known, ``kg_co2e_per_m2_year``. Contributions that are not lines
        (``site``, ``mass_transport``, ``operational_energy``; see
        ``Assessment.other``) appear as building parts of those names, so that
        totals per alternative,
        ``frame[frame.in_total].groupby("alternative").kg_co2e.sum()``, equal
        each ``Assessment.total``. With ``uncertainty``, also
        ``probability_lower``: per alternative, the probability that its total
        is lower than the reference's (NaN on the reference's rows) [-]; and
        ``attrs["uncertainty"]``, a dict of alternative name to
        :class:`~klimafotavtrykk.uncertainty.Uncertainty` (percentiles and
        samples, for :func:`klimafotavtrykk.plotting.distribution`).
    """
    if not isinstance(alternatives, Mapping):
        raise InputError("alternatives must be a mapping of name to result, line frame or path",
                         expected="{name: alternative}", found=type(alternatives).__name__,
                         code="not_a_mapping")
    if not alternatives:
        raise InputError("no alternatives to compare", code="no_alternatives")
    unnamed = [name for name in alternatives if not isinstance(name, str)]
    if unnamed:
        raise InputError(f"each alternative is named by a text, got {unnamed!r}",
                         expected="text names", found=repr(unnamed), code="alternative_name")
    results = {name: _as_result(value, profile, bta_m2, calculate_kw)
               for name, value in alternatives.items()}  # a handful of alternatives
    reference = reference or next(iter(results))
    if reference not in results:
        raise InputError(f"reference {reference!r} is not among the alternatives",
                         expected=", ".join(results), found=reference, code="unknown_reference")

    # every alternative gets every building part (outer join), so that a part only one of
    # them has still shows as a difference
    wides = {name: _parts_and_other(result) for name, result in results.items()}
    parts = sorted(set().union(*(w.index for w in wides.values())))
    frames = []
    for name, part_table in wides.items():
        wide = part_table.reindex(index=parts, columns=list(MODULES), fill_value=0.0)
        long = wide.rename_axis(index="building_part", columns="module").stack()
        frames.append(long.rename("kg_co2e").reset_index().assign(alternative=name))
    tidy = pd.concat(frames, ignore_index=True)
    ref = tidy[tidy["alternative"] == reference].set_index(["building_part", "module"])["kg_co2e"]
    keys = pd.MultiIndex.from_frame(tidy[["building_part", "module"]])
    tidy["reference_kg_co2e"] = ref.reindex(keys).fillna(0.0).to_numpy()
    tidy["difference_kg_co2e"] = tidy["kg_co2e"] - tidy["reference_kg_co2e"]
    with np.errstate(divide="ignore", invalid="ignore"):
        pct = 100.0 * tidy["difference_kg_co2e"] / tidy["reference_kg_co2e"]
    tidy["difference_pct"] = pct.where(tidy["reference_kg_co2e"] != 0)
    tidy["in_total"] = tidy["module"].isin(TOTAL_MODULES)
    tidy["module"] = pd.Categorical(tidy["module"], categories=list(MODULES), ordered=True)
    area = {n: r.bta_m2 for n, r in results.items()}
    period = {n: r.profile.reference_study_period for n, r in results.items()}
    if any(area.values()):
        denominator = tidy["alternative"].map(area).astype(float) * tidy["alternative"].map(period)
        tidy["kg_co2e_per_m2_year"] = tidy["kg_co2e"] / denominator
    columns = ["alternative", "building_part", "module", "in_total", "kg_co2e", "reference_kg_co2e",
               "difference_kg_co2e", "difference_pct"]
    columns += ["kg_co2e_per_m2_year"] if "kg_co2e_per_m2_year" in tidy.columns else []
    spread = None
    if uncertainty:
        from klimafotavtrykk.uncertainty import probability_lower, sample_together

        spread = sample_together(results, n_samples, seed, factor_uncertainty=factor_uncertainty)
        reference_samples = spread[reference].samples
        lower = {name: (np.nan if name == reference
                        else probability_lower(u.samples, reference_samples))
                 for name, u in spread.items()}
        tidy["probability_lower"] = tidy["alternative"].map(lower).astype(float)
        columns.append("probability_lower")
    out = tidy[columns].sort_values(["alternative", "building_part", "module"], kind="stable",
                                    key=lambda c: c.map(list(results).index) if c.name == "alternative" else c
                                    ).reset_index(drop=True)
    if spread is not None:
        out.attrs["uncertainty"] = spread
    return out


def _parts_and_other(result: Assessment) -> pd.DataFrame:
    """Building parts × modules, with the non-line contributions as extra rows [kg CO2e]."""
    other = result.other.rename_axis(index="building_part")
    if other.empty:
        return result.by_building_part
    return pd.concat([result.by_building_part, other.reindex(columns=result.by_building_part.columns)])


def _as_result(value, profile, bta_m2, calculate_kw) -> Assessment:
    if isinstance(value, Assessment):
        return value
    if isinstance(value, str | Path):
        from klimafotavtrykk.quantities import read_boq  # readers load only when a path is given

        value, _ = read_boq(value)
    return calculate(value, profile=profile, bta_m2=bta_m2, **calculate_kw)
