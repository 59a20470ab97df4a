"""Scoring of tender bids on climate: point models, CO2-price add-on, gates, weights.

Layer 1 is pure functions on arrays or Series, one per published model and
vectorised over bids: :func:`dfo_linear`, :func:`dfo_proportional`,
:func:`reduction_points`, :func:`zero_emission_share_points`,
:func:`co2_price_addon`, the gates, :func:`committed_emissions`,
:func:`effective_weights` and :func:`rank_bids`. Layer 2 is
:class:`ScoringRule`, a frozen, validated set of parameters whose defaults come
from ``data/procurement/defaults.toml``; :func:`score` applies a rule to the
bids of one competition.

Lower emissions are better. Bids are the index of every Series (bidder names);
*valid* bids are those not rejected by a gate or for missing input, and every
"best" value is taken over valid bids only.

Glossary of the columns :func:`score` returns
----------------------------------------------
kg_co2e : float64
    Emissions scored (after the committed-claim fallback). [kg CO2e]
kg_co2e_per_m2 : float64
    The same per m² BTA, when the rule knows the BTA. [kg CO2e m⁻²]
climate_value : float64
    The value the climate model scored: kg CO2e or kg CO2e/m² (``basis``) or
    the share of emission-free site energy. [basis unit]
zero_emission_share : float64
    Share of emission-free site energy, when given. [-]
price_nok : float64
    Price as offered. [NOK]
co2_addon_nok : float64
    CO2-price add-on, zero unless the climate model is ``co2_price``. [NOK]
evaluated_price_nok : float64
    Price the price points are computed on: price + add-on. [NOK]
points_price, points_quality, points_climate : float64
    Points per criterion, NaN for rejected bids and unused criteria. [points]
total : float64
    Σ weight × points. [points]
rank : Int64
    1 is best; <NA> for rejected bids.
status : str
    ``"ranked"`` or ``"rejected"``.
explanation : str
    Codes of :data:`EXPLANATIONS` joined by ``;``; reports render them.
"""

from __future__ import annotations

import copy
import functools
import math
import tomllib
import warnings
from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any

import numpy as np
import pandas as pd

from klimafotavtrykk._data import data_path
from klimafotavtrykk.errors import DataError, InputError, WeightWarning

__all__ = [
    "CLIMATE_MODELS",
    "PRICE_MODELS",
    "BASES",
    "ZERO_EMISSION_BASES",
    "CRITERIA",
    "EXPLANATIONS",
    "load_procurement_defaults",
    "dfo_linear",
    "dfo_proportional",
    "reduction_share",
    "reduction_points",
    "zero_emission_share_points",
    "co2_price_addon",
    "committed_emissions",
    "frame_gate",
    "minimum_share_gate",
    "product_limit_gate",
    "weighted_total",
    "spread",
    "effective_weights",
    "implied_climate_weight",
    "check_climate_weight",
    "rank_bids",
    "ScoringRule",
    "score",
]

#: Point models for the climate criterion.
CLIMATE_MODELS: tuple[str, ...] = (
    "dfo_linear", "dfo_proportional", "reduction", "zero_emission_share", "co2_price")
#: Point models for price.
PRICE_MODELS: tuple[str, ...] = ("dfo_linear", "dfo_proportional")
#: What the emission models are computed on.
BASES: tuple[str, ...] = ("kg_co2e", "kg_co2e_per_m2")
#: What an emission-free share is counted on (the bases of ``site.SHARE_BASES``).
ZERO_EMISSION_BASES: tuple[str, ...] = ("energy", "machine_hours", "machine_count")
#: Award criteria, in report order.
CRITERIA: tuple[str, ...] = ("price", "quality", "climate")

#: Codes of the ``explanation`` column and what they mean (reports translate them).
EXPLANATIONS: dict[str, str] = {
    "invalid_emissions": "emissions missing, not a number or negative: bid rejected",
    "missing_price": "price missing or not positive: bid rejected",
    "missing_quality": "quality points missing: bid rejected",
    "missing_zero_emission_share": "share of emission-free site energy missing: bid rejected",
    "frame_exceeded": "emissions per m² BTA above the competition's frame: bid rejected",
    "zero_emission_share_below_minimum": "emission-free share below the minimum: bid rejected",
    "product_limit_exceeded": "a product's A1-A3 exceeds its limit: bid rejected",
    "product_limit_unit_mismatch": "a limited product is declared in another unit than the limit: bid rejected",
    "best_climate": "best climate value among valid bids",
    "best_price": "lowest evaluated price among valid bids",
    "negative_points": "linear model gave negative points (allowed, KOFA 2015/60)",
    "points_clipped_at_zero": "linear model would give negative points; clipped at 0 by the rule",
    "co2_addon": "CO2-price add-on added to the evaluated price",
    "tie_emissions": "equal total as another bid: lower emissions rank first",
    "tie_bidder": "equal total and emissions as another bid: bidder name decides",
}

#: Totals equal to this many decimals of a point count as tied; emissions to this many of a kg.
_TIE_DECIMALS_POINTS = 9
_TIE_DECIMALS_KG = 6
#: Weights must add up to one within this tolerance.
_WEIGHT_TOLERANCE = 1e-9


# ---------------------------------------------------------------- defaults


def load_procurement_defaults() -> dict[str, Any]:
    """Default scoring parameters from ``data/procurement/defaults.toml``.

    Returns
    -------
    dict
        Parameter name -> value, plus ``"sources"`` (name -> ``source_id``) and
        ``"notes"`` (name -> reasoning).

    Raises
    ------
    DataError
        When the file cannot be read or a parameter has no source.
    """
    return copy.deepcopy(_read_defaults())


@functools.cache
def _read_defaults() -> dict[str, Any]:
    path = data_path("procurement", "defaults.toml")
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise DataError(f"cannot read procurement defaults: {exc}", file=str(path)) from None
    sources = raw.get("sources", {})
    missing = sorted(k for k in raw if k not in ("sources", "notes") and k not in sources)
    if missing:
        raise DataError(f"parameters without a source: {missing}", file=str(path))
    return raw


def _default(name: str) -> Any:
    return _read_defaults()[name]


# ---------------------------------------------------------------- helpers


def _values(values) -> np.ndarray:
    return np.asarray(values, dtype=float)


def _like(template, result: np.ndarray, name: str | None = None):
    """Return ``result`` shaped like ``template``: Series, scalar or array."""
    if isinstance(template, pd.Series):
        return pd.Series(result, index=template.index, name=name)
    if np.ndim(template) == 0:
        return float(result)
    return result


def _best_low(v: np.ndarray, best) -> float:
    """Lowest finite value (or the one given); must be positive for relative models."""
    if best is None:
        finite = v[np.isfinite(v)]
        best = finite.min() if finite.size else math.nan
    best = float(best)
    if not best > 0:
        raise InputError("relative point models divide by the best value, which must be positive",
                         expected="> 0", found=str(best), code="scoring.non_positive_best")
    return best


# ---------------------------------------------------------------- point models


def dfo_linear(values, best=None, max_points: float = 10.0, allow_negative: bool = True):
    """DFØ linear model: points fall in step with the relative gap to the best bid.

    ``points = max_points − max_points × (value − best) / best``, lower values
    being better. Used by DFØ for price; the same formula scores emissions.

    Parameters
    ----------
    values : numeric
        Evaluated price [NOK] or emissions [kg CO2e or kg CO2e m⁻²] per bid;
        NaN for bids not scored.
    best : float, optional
        The lowest value among valid bids. Default: the lowest finite value.
        [unit of ``values``]
    max_points : float, default 10
        Top of the scale: DFØ writes the formula on 0-10. [points]
    allow_negative : bool, default True
        Keep points below zero (values above twice the best), as KOFA 2015/60
        allowed; False clips them at 0.

    Returns
    -------
    numeric
        Points per bid, NaN where the value is NaN. [points]

    Raises
    ------
    InputError
        When the best value is not positive.

    References
    ----------
    .. [1] DFØ, *Veileder i evaluering av tilbud*: Regne om pris til poeng.
    .. [2] KOFA 2015/60, negative price points.

    Examples
    --------
    >>> dfo_linear([100.0, 120.0, 250.0]).tolist()
    [10.0, 8.0, -5.0]
    """
    v = _values(values)
    b = _best_low(v, best)
    points = max_points - max_points * (v - b) / b
    if not allow_negative:
        points = np.where(points < 0, 0.0, points)
    return _like(values, points, "points")


def dfo_proportional(values, best=None, max_points: float = 10.0):
    """DFØ proportional (*forholdsmessig*) model: ``points = max_points × best / value``.

    Point gaps shrink as the gaps between bids grow; never negative.

    Parameters
    ----------
    values : numeric
        Evaluated price [NOK] or emissions [kg CO2e or kg CO2e m⁻²] per bid.
    best : float, optional
        The lowest value among valid bids. Default: the lowest finite value.
    max_points : float, default 10
        Top of the scale. [points]

    Returns
    -------
    numeric
        Points per bid. [points]

    References
    ----------
    .. [1] DFØ, *Veileder i evaluering av tilbud*: Regne om pris til poeng.
    """
    v = _values(values)
    b = _best_low(v, best)
    with np.errstate(divide="ignore"):
        points = max_points * b / v
    return _like(values, points, "points")


def reduction_share(emissions, reference):
    """Reduction against the client's reference: ``(reference − E) / reference``.

    Parameters
    ----------
    emissions : numeric
        Bid emissions. [kg CO2e or kg CO2e m⁻²]
    reference : float
        The client's reference in the same unit; positive.

    Returns
    -------
    numeric
        Reduction; negative for an increase. [-]
    """
    if not float(reference) > 0:
        raise InputError("the reference for a reduction must be positive",
                         expected="> 0", found=str(reference), code="scoring.non_positive_reference")
    e = _values(emissions)
    return _like(emissions, (reference - e) / reference, "reduction")


def reduction_points(emissions, reference, full_points_reduction, max_points: float = 10.0):
    """Points for the reduction against a reference, on an absolute linear scale.

    ``points = max_points × clip(reduction / full_points_reduction, 0, 1)``:
    0 points at no reduction, full points at ``full_points_reduction`` and
    beyond. An increase earns 0, not negative points: the scale is absolute,
    so there is no best bid to fall behind.

    Parameters
    ----------
    emissions : numeric
        Bid emissions. [kg CO2e or kg CO2e m⁻²]
    reference : float
        The client's reference in the same unit. [kg CO2e or kg CO2e m⁻²]
    full_points_reduction : float
        Reduction that earns full points, in (0, 1]. [-]
    max_points : float, default 10
        [points]

    Returns
    -------
    numeric
        [points]
    """
    if not 0 < float(full_points_reduction) <= 1:
        raise InputError("full_points_reduction must be a share in (0, 1]",
                         expected="0 < share <= 1", found=str(full_points_reduction),
                         code="scoring.bad_share")
    share = _values(reduction_share(emissions, reference))
    points = max_points * np.clip(share / full_points_reduction, 0.0, 1.0)
    return _like(emissions, points, "points")


def zero_emission_share_points(share, scale: str = "relative", max_points: float = 10.0):
    """Points for the share of emission-free site energy.

    ``relative``: ``max_points × share / best share`` (the proportional model
    turned round, higher is better; all 0 when no bid has any emission-free
    share). ``absolute``: ``max_points × share``.

    Parameters
    ----------
    share : numeric
        Emission-free share on the competition's basis (energy, machine hours
        or machine count), in [0, 1]. [-]
    scale : {"relative", "absolute"}
    max_points : float, default 10
        [points]

    Returns
    -------
    numeric
        [points]
    """
    s = _values(share)
    finite = s[np.isfinite(s)]
    if ((finite < 0) | (finite > 1)).any():
        raise InputError("emission-free shares must lie between 0 and 1", expected="0 <= share <= 1",
                         found=str(finite[(finite < 0) | (finite > 1)][0]), code="scoring.bad_share")
    if scale == "absolute":
        points = max_points * s
    elif scale == "relative":
        best = finite.max() if finite.size else math.nan
        points = max_points * s / best if best > 0 else np.where(np.isfinite(s), 0.0, np.nan)
    else:
        raise InputError("unknown scale for the emission-free share", expected="relative or absolute",
                         found=str(scale), code="scoring.bad_choice")
    return _like(share, points, "points")


def co2_price_addon(emissions, co2_price_nok_per_kg, best=None):
    """Statens vegvesen's CO2-price add-on: ``(E − E_min) × CO2 price``.

    Added to the price to give the evaluated sum; the lowest-emission bid gets
    no add-on.

    Parameters
    ----------
    emissions : numeric
        Bid emissions. [kg CO2e]
    co2_price_nok_per_kg : float
        [NOK kg⁻¹ CO2e]
    best : float, optional
        Lowest emissions among valid bids. Default: the lowest finite value. [kg CO2e]

    Returns
    -------
    numeric
        Add-on. [NOK]

    References
    ----------
    .. [1] Statens vegvesen (2023), press release on the CO2 price in asphalt
       contracts: 5 NOK/kg in 2019-2023, 7.50 NOK/kg from 2024.
    """
    e = _values(emissions)
    if best is None:
        finite = e[np.isfinite(e)]
        best = finite.min() if finite.size else math.nan
    return _like(emissions, (e - best) * co2_price_nok_per_kg, "co2_addon_nok")


# ---------------------------------------------------------------- committed claims and gates


def committed_emissions(claimed, fallback, committed):
    """Emissions to score when uncommitted claims earn nothing (KOFA 2024/1940).

    A committed line keeps its claimed emissions. An uncommitted line is scored
    at ``max(claimed, fallback)``: the fallback (generic value with markup,
    fossil diesel) replaces the claim, and not committing can never score
    better than the bid's own figure. A missing claim takes the fallback.

    Parameters
    ----------
    claimed : numeric
        Per-line emissions as the bid claims them. [kg CO2e]
    fallback : numeric
        Per-line emissions with the fallback. [kg CO2e]
    committed : array-like of bool
        Whether the bidder committed to the line; missing counts as not committed.

    Returns
    -------
    numeric
        Per-line emissions to score. [kg CO2e]
    """
    c = _values(claimed)
    f = _values(fallback)
    ok = np.asarray(committed)
    if ok.dtype != bool:  # None / NA count as not committed
        ok = pd.array(ok.astype(object), dtype="boolean").fillna(False).to_numpy(dtype=bool)
    return _like(claimed, np.where(ok, c, np.fmax(c, f)), "kg_co2e")


def frame_gate(kg_co2e, bta_m2, frame_kg_co2e_per_m2, period_years=None):
    """Pass/fail against the emission frame (*utslippsramme*).

    Parameters
    ----------
    kg_co2e : numeric
        Bid emissions over the reference study period. [kg CO2e]
    bta_m2 : float
        Gross floor area. [m²]
    frame_kg_co2e_per_m2 : float
        The frame: over the whole period, or per year when ``period_years`` is
        given. [kg CO2e m⁻²] or [kg CO2e m⁻² a⁻¹]
    period_years : float, optional
        Reference study period, for a frame written per year. [a]

    Returns
    -------
    bool or ndarray or Series
        True where the bid keeps the frame; False where it exceeds it or its
        emissions are missing.
    """
    value = _values(kg_co2e) / bta_m2
    if period_years is not None:
        value = value / period_years
    with np.errstate(invalid="ignore"):
        ok = value <= frame_kg_co2e_per_m2
    return pd.Series(ok, index=kg_co2e.index) if isinstance(kg_co2e, pd.Series) else ok


def minimum_share_gate(share, minimum):
    """Pass/fail on a minimum share of emission-free site energy (missing fails)."""
    with np.errstate(invalid="ignore"):
        ok = _values(share) >= minimum
    return pd.Series(ok, index=share.index) if isinstance(share, pd.Series) else ok


def product_limit_gate(lines: pd.DataFrame, limits: pd.DataFrame) -> tuple[pd.DataFrame, pd.Series]:
    """Per-product A1-A3 limits, checked line by line and summed up per bidder.

    A line's limit is looked up by ``factor_id`` first, then by
    ``material_group``. A line declared in another unit than its limit fails
    (``product_limit_unit_mismatch``): the bid does not document the product
    the way the tender asks, so compliance cannot be verified.

    Parameters
    ----------
    lines : DataFrame
        Columns ``bidder``, ``A1-A3`` (GWP per declared unit, [kg CO2e per
        declared unit]), ``declared_unit``, and ``factor_id`` and/or
        ``material_group``.
    limits : DataFrame
        Columns ``key_column`` (``"factor_id"`` or ``"material_group"``),
        ``key``, ``declared_unit`` and ``limit_kg_co2e`` [kg CO2e per declared
        unit]; one row per key.

    Returns
    -------
    per_line : DataFrame
        Index of ``lines``; ``limit_kg_co2e`` (NaN: no limit) and ``gate``
        (categorical): ``"pass"``, ``"no_limit"``, ``"product_limit_exceeded"`` or
        ``"product_limit_unit_mismatch"``.
    per_bidder : Series
        Indexed by bidder: the failure codes joined by ``;``, ``""`` if passed.
    """
    if limits.duplicated(["key_column", "key"]).any():
        raise InputError("a product limit is given twice for the same key",
                         code="scoring.duplicate_limit")
    # work on distinct spellings (factorize once), then gather per line
    row = np.full(len(lines), -1)
    positions = np.arange(len(limits))
    for column in ("material_group", "factor_id"):  # factor_id last: it wins
        if column not in lines:
            continue
        chosen = (limits["key_column"] == column).to_numpy()
        if not chosen.any():  # no limit keyed on this column
            continue
        codes, distinct = pd.factorize(lines[column])
        hit = pd.Index(limits.loc[chosen, "key"].astype(str)).get_indexer(distinct.astype(str))
        hit = np.append(np.where(hit >= 0, positions[chosen][np.maximum(hit, 0)], -1), -1)[codes]
        row = np.where(hit >= 0, hit, row)
    has = row >= 0
    at = np.maximum(row, 0)
    limit_values = np.append(limits["limit_kg_co2e"].to_numpy(dtype=float), np.nan)
    limit = np.where(has, limit_values[at] if len(limits) else np.nan, np.nan)
    limit_units = _normal_units(limits["declared_unit"])
    codes, distinct = pd.factorize(lines["declared_unit"])
    line_units = np.append(_normal_units(pd.Series(distinct)), "")[codes]
    unit_ok = ~has | (line_units == (limit_units[at] if len(limits) else ""))
    value = lines["A1-A3"].to_numpy(dtype=float)
    with np.errstate(invalid="ignore"):
        exceeded = has & unit_ok & ~(value <= limit)
    gate = pd.Categorical.from_codes(
        np.select([~has, ~unit_ok, exceeded], [1, 2, 3], 0).astype(np.int8),
        categories=["pass", "no_limit", "product_limit_unit_mismatch", "product_limit_exceeded"])
    per_line = pd.DataFrame({"limit_kg_co2e": limit, "gate": gate}, index=lines.index)
    bidder_code, bidders = pd.factorize(lines["bidder"].astype(str), sort=True)
    columns = []
    for code, mask in (("product_limit_exceeded", exceeded), ("product_limit_unit_mismatch", has & ~unit_ok)):
        failed = np.bincount(bidder_code, weights=mask, minlength=len(bidders)) > 0
        columns.append(pd.Series(np.where(failed, code, ""), index=pd.Index(bidders, name="bidder")))
    return per_line, _join_codes(columns).rename("rejected")


def _normal_units(units: pd.Series) -> np.ndarray:
    """Unit spellings compared case- and space-insensitively."""
    return units.astype(str).str.strip().str.lower().to_numpy(dtype=object)


def _join_codes(columns) -> pd.Series:
    """Join parallel code Series (``""`` for none) with ``;``, vectorised."""
    out = columns[0].astype(object)
    for col in columns[1:]:
        out = np.where((out != "") & (col != ""), out + ";" + col, out + col)
        out = pd.Series(out, index=columns[0].index)
    return out.astype(str)


# ---------------------------------------------------------------- weights


def weighted_total(points: pd.DataFrame, weights: Mapping[str, float]) -> pd.Series:
    """Σ weight × points over the criteria with a positive weight. [points]"""
    used = [c for c, w in weights.items() if w > 0]
    w = np.array([weights[c] for c in used], dtype=float)
    return pd.Series(points[used].to_numpy(dtype=float) @ w, index=points.index, name="total")


def spread(values) -> float:
    """Max − min over the finite values; NaN when there are none."""
    v = _values(values)
    v = v[np.isfinite(v)]
    return float(v.max() - v.min()) if v.size else math.nan


def effective_weights(points: pd.DataFrame, weights: Mapping[str, float]) -> pd.Series:
    """The weight each criterion actually carries among the bids at hand.

    ``effective_c = w_c × spread(points_c) / Σ_i w_i × spread(points_i)``,
    where spread is max − min over the bids given (pass valid bids only). A
    criterion on which all bids score alike decides nothing, whatever its
    nominal weight. NaN when no criterion separates the bids.

    Parameters
    ----------
    points : DataFrame
        Points per bid (rows) and criterion (columns). [points]
    weights : mapping
        Nominal weight per criterion. [-]

    Returns
    -------
    Series
        Effective weight per criterion; they add up to 1. [-]
    """
    w = pd.Series(weights, dtype=float)
    spreads = pd.Series({c: spread(points[c]) if weights[c] > 0 else 0.0 for c in w.index})
    weighted = w * spreads.fillna(0.0)
    total = weighted.sum()
    return weighted / total if total > 0 else weighted * math.nan


def implied_climate_weight(prices, addon) -> float:
    """Climate weight implied by a CO2-price add-on on the actual bids.

    ``spread(add-on) / (spread(price) + spread(add-on))``, spreads in NOK over
    the valid bids: the share of the evaluated sum's variation that comes from
    emissions. Anskaffelsesforskriften § 7-9 (2) asks for 30 %; DFØ's climate
    guide (annex 1) requires a price-setting model to be justified as
    equivalent.

    Parameters
    ----------
    prices : numeric
        Offered prices of the valid bids. [NOK]
    addon : numeric
        Their CO2-price add-ons. [NOK]

    Returns
    -------
    float
        [-]; NaN when neither varies.
    """
    sp, sa = spread(prices), spread(addon)
    return sa / (sp + sa) if sp + sa > 0 else math.nan


def check_climate_weight(weight: float, minimum: float, what: str = "effective") -> bool:
    """Warn with :class:`~klimafotavtrykk.errors.WeightWarning` below the minimum.

    Returns True when the weight reaches the minimum (NaN: True, nothing to judge).
    """
    if weight < minimum:
        warnings.warn(f"{what} climate weight {weight:.1%} is below the minimum {minimum:.0%} "
                      "(anskaffelsesforskriften § 7-9)", WeightWarning, stacklevel=3)
        return False
    return True


# ---------------------------------------------------------------- ranking


def rank_bids(total, emissions, valid=None) -> tuple[pd.Series, pd.Series]:
    """Rank bids: higher total first, then lower emissions, then bidder name.

    Totals equal to 1e-9 points and emissions equal to 1e-6 kg count as equal,
    so that rounding noise never decides. The order is the same for the same
    inputs, in any input order.

    Parameters
    ----------
    total : Series
        Total points, indexed by bidder. [points]
    emissions : Series
        Emissions, same index. [kg CO2e]; NaN ranks after any number.
    valid : array-like of bool, optional
        Bids to rank; the others get <NA>.

    Returns
    -------
    rank : Series of Int64
        1 is best.
    tie : Series of str
        ``"tie_bidder"``, ``"tie_emissions"`` or ``""``.
    """
    valid = np.ones(len(total), bool) if valid is None else np.asarray(valid, bool)
    keys = pd.DataFrame({
        "t": -np.round(total.to_numpy(dtype=float), _TIE_DECIMALS_POINTS),
        "e": np.round(emissions.reindex(total.index).to_numpy(dtype=float), _TIE_DECIMALS_KG),
        "b": total.index.astype(str),
    })[valid]
    order = keys.sort_values(["t", "e", "b"], kind="mergesort", na_position="last").index
    rank = pd.Series(pd.NA, index=total.index, dtype="Int64")
    rank.iloc[order.to_numpy()] = np.arange(1, len(order) + 1)
    same_t = keys.groupby("t", dropna=False)["b"].transform("size").to_numpy() > 1
    same_te = keys.groupby(["t", "e"], dropna=False)["b"].transform("size").to_numpy() > 1
    tie = np.full(len(total), "", dtype=object)
    tie[np.flatnonzero(valid)] = np.where(same_te, "tie_bidder", np.where(same_t, "tie_emissions", ""))
    return rank.rename("rank"), pd.Series(tie, index=total.index, name="tie").astype(str)


# ---------------------------------------------------------------- the rule


@dataclass(frozen=True)
class ScoringRule:
    """How bids are scored: models, weights, parameters and gates.

    Fields left as None take their value from ``data/procurement/defaults.toml``
    (see :func:`load_procurement_defaults`); model-specific parameters only
    when the model needs them.

    Attributes
    ----------
    price_weight, quality_weight, climate_weight : float
        Nominal weights; non-negative, adding up to 1. With the ``co2_price``
        model climate is priced into the price criterion, so its weight is 0. [-]
    climate_model : str
        One of :data:`CLIMATE_MODELS`.
    price_model : str
        One of :data:`PRICE_MODELS`.
    basis : str
        ``"kg_co2e"`` or ``"kg_co2e_per_m2"``; the ``co2_price`` model works on kg.
    bta_m2 : float, optional
        Gross floor area; needed for the per-m² basis and the frame. [m²]
    max_points : float
        Top of the point scale. [points]
    allow_negative_points : bool
        Keep negative points from the linear models (KOFA 2015/60).
    co2_price_nok_per_kg : float, optional
        For ``co2_price``. [NOK kg⁻¹ CO2e]
    reference : float, optional
        The client's reference, in the basis unit, for ``reduction``.
        [kg CO2e or kg CO2e m⁻²]
    full_points_reduction : float, optional
        Reduction earning full points, for ``reduction``. [-]
    zero_emission_basis : str
        ``"energy"``, ``"machine_hours"`` or ``"machine_count"``: what the shares given to
        :func:`score` are counted on (recorded, not computed here).
    zero_emission_scale : str
        ``"relative"`` or ``"absolute"``, for ``zero_emission_share``.
    frame_kg_co2e_per_m2 : float, optional
        Emission frame as a pass/fail gate. [kg CO2e m⁻²] over the period, or
        [kg CO2e m⁻² a⁻¹] when ``frame_period == "year"``.
    frame_period : str
        ``"study_period"`` or ``"year"``.
    reference_study_period : float, optional
        Needed for a frame per year. [a]
    min_zero_emission_share : float, optional
        Gate on the emission-free share. [-]
    min_climate_weight : float
        Warn below this effective (and nominal) climate weight. [-]
    """

    price_weight: float = 0.0
    quality_weight: float = 0.0
    climate_weight: float = 0.0
    climate_model: str | None = None
    price_model: str | None = None
    basis: str | None = None
    bta_m2: float | None = None
    max_points: float | None = None
    allow_negative_points: bool | None = None
    co2_price_nok_per_kg: float | None = None
    reference: float | None = None
    full_points_reduction: float | None = None
    zero_emission_basis: str | None = None
    zero_emission_scale: str | None = None
    frame_kg_co2e_per_m2: float | None = None
    frame_period: str | None = None
    reference_study_period: float | None = None
    min_zero_emission_share: float | None = None
    min_climate_weight: float | None = None

    def __post_init__(self):
        put = functools.partial(object.__setattr__, self)
        for name in ("climate_model", "price_model", "max_points", "allow_negative_points",
                     "zero_emission_basis", "zero_emission_scale", "frame_period",
                     "min_climate_weight"):
            if getattr(self, name) is None:
                put(name, _default(name))
        if self.basis is None:
            put("basis", "kg_co2e" if self.climate_model == "co2_price" else _default("basis"))
        if self.climate_model == "co2_price" and self.co2_price_nok_per_kg is None:
            put("co2_price_nok_per_kg", _default("co2_price_nok_per_kg"))
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, int | float) and not isinstance(value, bool):
                put(f.name, float(value))
        self._validate()

    def _validate(self):
        _choice("climate_model", self.climate_model, CLIMATE_MODELS)
        _choice("price_model", self.price_model, PRICE_MODELS)
        _choice("basis", self.basis, BASES)
        _choice("zero_emission_basis", self.zero_emission_basis, ZERO_EMISSION_BASES)
        _choice("zero_emission_scale", self.zero_emission_scale, ("relative", "absolute"))
        _choice("frame_period", self.frame_period, ("study_period", "year"))
        w = self.weights
        for name, value in w.items():
            _number(f"{name}_weight", value, low=0.0)
        if abs(sum(w.values()) - 1.0) > _WEIGHT_TOLERANCE:
            raise _rule_error("weights", "weights must add up to 1", "sum = 1", sum(w.values()))
        _number("max_points", self.max_points, low=0.0, strict=True)
        _number("min_climate_weight", self.min_climate_weight, low=0.0, high=1.0)
        model = self.climate_model
        if model == "co2_price":
            if self.climate_weight != 0 or self.price_weight == 0:
                raise _rule_error("climate_weight", "the co2_price model prices climate into the "
                                  "price criterion: climate_weight must be 0 and price_weight > 0",
                                  "climate_weight = 0", self.climate_weight)
            if self.basis != "kg_co2e":
                raise _rule_error("basis", "the co2_price model works on kg CO2e", "kg_co2e", self.basis)
            _number("co2_price_nok_per_kg", self.co2_price_nok_per_kg, low=0.0, strict=True)
        elif self.co2_price_nok_per_kg is not None:
            raise _rule_error("co2_price_nok_per_kg", "only used by climate_model = 'co2_price'",
                              None, self.co2_price_nok_per_kg)
        if model == "reduction":
            _number("reference", self.reference, low=0.0, strict=True)
            _number("full_points_reduction", self.full_points_reduction, low=0.0, high=1.0, strict=True)
        else:
            for name in ("reference", "full_points_reduction"):
                if getattr(self, name) is not None:
                    raise _rule_error(name, "only used by climate_model = 'reduction'", None,
                                      getattr(self, name))
        if self.bta_m2 is not None:
            _number("bta_m2", self.bta_m2, low=0.0, strict=True)
        needs_bta = (self.basis == "kg_co2e_per_m2" and model not in ("zero_emission_share",)) \
            or self.frame_kg_co2e_per_m2 is not None
        if needs_bta and self.bta_m2 is None:
            raise _rule_error("bta_m2", "a per-m² basis or an emission frame needs the BTA",
                              "a positive area in m2", None)
        if self.frame_kg_co2e_per_m2 is not None:
            _number("frame_kg_co2e_per_m2", self.frame_kg_co2e_per_m2, low=0.0, strict=True)
            if self.frame_period == "year":
                _number("reference_study_period", self.reference_study_period, low=0.0, strict=True)
        if self.min_zero_emission_share is not None:
            _number("min_zero_emission_share", self.min_zero_emission_share, low=0.0, high=1.0)

    @property
    def weights(self) -> dict[str, float]:
        """Nominal weight per criterion. [-]"""
        return {"price": self.price_weight, "quality": self.quality_weight,
                "climate": self.climate_weight}

    @property
    def needs_emissions(self) -> bool:
        """Whether emissions take part in points or gates (else only in tie-breaks)."""
        return self.climate_model != "zero_emission_share" or self.frame_kg_co2e_per_m2 is not None

    @property
    def needs_share(self) -> bool:
        """Whether the emission-free share takes part in points or gates."""
        return self.climate_model == "zero_emission_share" or self.min_zero_emission_share is not None


def _rule_error(name, problem, expected, found) -> InputError:
    return InputError(f"{name}: {problem}", expected=expected,
                      found=None if found is None else str(found), code="scoring.invalid_rule")


def _choice(name, value, valid):
    if value not in valid:
        raise _rule_error(name, "unknown choice", " | ".join(valid), value)


def _number(name, value, low=None, high=None, strict=False):
    ok = isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)
    if ok and low is not None:
        ok = value > low if strict else value >= low
    if ok and high is not None:
        ok = value <= high
    if not ok:
        bound = f"{'>' if strict else '>='} {low:g}" if low is not None else "a number"
        bound += f" and <= {high:g}" if high is not None else ""
        raise _rule_error(name, "must be a finite number", bound, value)


# ---------------------------------------------------------------- orchestration of one competition


def _aligned(name, series, index) -> pd.Series:
    """``series`` reindexed to ``index``; refuses different bidders (no silent alignment)."""
    if not isinstance(series, pd.Series):
        raise InputError(f"{name} must be a pandas Series indexed by bidder",
                         found=type(series).__name__, code="scoring.not_series")
    if series.index.has_duplicates or set(series.index) != set(index):
        raise InputError(f"{name} must have exactly one value per bidder of the emissions",
                         expected=", ".join(map(str, index)), found=", ".join(map(str, series.index)),
                         code="scoring.bidders_differ")
    return series.reindex(index)


def _climate_points(rule: ScoringRule, e, share, valid):
    """Value scored, climate points, CO2 add-on and best value, over the valid bids."""
    n = len(e)
    if rule.climate_model == "zero_emission_share":
        value = np.where(valid, share, np.nan)
    else:
        value = np.where(valid, e, np.nan)
        if rule.basis == "kg_co2e_per_m2":
            value = value / rule.bta_m2
    nan, addon = np.full(n, np.nan), np.zeros(n)
    if not valid.any():
        return value, nan, addon, math.nan
    model, top = rule.climate_model, rule.max_points
    if model == "zero_emission_share":
        return value, zero_emission_share_points(value, rule.zero_emission_scale, top), addon, \
            float(np.nanmax(value))
    best = float(np.nanmin(value))
    if model == "dfo_linear":
        climate = dfo_linear(value, max_points=top, allow_negative=rule.allow_negative_points)
    elif model == "dfo_proportional":
        climate = dfo_proportional(value, max_points=top)
    elif model == "reduction":
        climate = reduction_points(value, rule.reference, rule.full_points_reduction, top)
    else:  # co2_price: no climate points; the add-on goes into the evaluated price
        climate = nan
        addon = np.where(valid, co2_price_addon(value, rule.co2_price_nok_per_kg), np.nan)
    return value, climate, addon, best


def score(rule: ScoringRule, emissions: pd.Series, prices: pd.Series | None = None, *,
          quality: pd.Series | None = None, zero_emission_share: pd.Series | None = None,
          rejected: pd.Series | None = None) -> pd.DataFrame:
    """Score and rank the bids of one competition under a rule.

    Steps: reject bids with missing input or a failed gate (frame, minimum
    emission-free share, and any codes passed in ``rejected``, e.g. from
    :func:`product_limit_gate`); find the best values among the valid bids;
    compute points per criterion; total them with the nominal weights; rank
    (:func:`rank_bids`); compute the effective weights (:func:`effective_weights`,
    for ``co2_price`` also :func:`implied_climate_weight`) and warn with
    :class:`~klimafotavtrykk.errors.WeightWarning` when the climate weight,
    nominal or effective, is below ``rule.min_climate_weight``.

    With ``co2_price``, the price criterion is scored on price + add-on, and
    the effective climate weight is the price criterion's effective weight
    times the add-on's share of the evaluated sum's spread.

    Parameters
    ----------
    rule : ScoringRule
    emissions : Series
        Emissions per bid over the study period, indexed by bidder, with
        uncommitted claims already replaced (:func:`committed_emissions`). [kg CO2e]
    prices : Series, optional
        Offered prices; needed when price weighs. [NOK]
    quality : Series, optional
        Quality points already awarded; needed when quality weighs. [points]
    zero_emission_share : Series, optional
        Share of emission-free site energy on ``rule.zero_emission_basis``. [-]
    rejected : Series of str, optional
        Further rejection codes per bidder (``""`` or NA for none).

    Returns
    -------
    DataFrame
        Indexed by bidder, in the input order, with the columns of the module
        glossary. ``attrs`` holds ``effective_weights`` (dict),
        ``effective_climate_weight``, ``nominal_climate_weight``,
        ``best_climate_value``, ``best_price``, ``climate_model``, ``basis``,
        ``zero_emission_basis`` and ``n_valid``.

    Raises
    ------
    InputError
        When inputs do not share the same bidders, a needed input is absent, or
        the best emissions are zero under a relative model.
    """
    if not isinstance(emissions, pd.Series):
        raise InputError("emissions must be a pandas Series indexed by bidder",
                         found=type(emissions).__name__, code="scoring.not_series")
    if emissions.index.has_duplicates:
        raise InputError("bidder names must be unique", code="scoring.duplicate_bidder")
    index = emissions.index
    n = len(index)
    nan = np.full(n, np.nan)
    e = emissions.to_numpy(dtype=float)
    needs = {"prices": rule.price_weight > 0, "quality": rule.quality_weight > 0,
             "zero_emission_share": rule.needs_share}
    given = {"prices": prices, "quality": quality, "zero_emission_share": zero_emission_share}
    for name, needed in needs.items():
        if needed and given[name] is None:
            raise InputError(f"the rule needs {name}", code="scoring.missing_input")
    price = _aligned("prices", prices, index).to_numpy(dtype=float) if prices is not None else nan
    qual = _aligned("quality", quality, index).to_numpy(dtype=float) if quality is not None else nan
    share = (_aligned("zero_emission_share", zero_emission_share, index).to_numpy(dtype=float)
             if zero_emission_share is not None else nan)
    extra = (_aligned("rejected", rejected, index).fillna("").astype(str)
             if rejected is not None else pd.Series("", index=index))

    per_m2 = e / rule.bta_m2 if rule.bta_m2 else nan
    with np.errstate(invalid="ignore"):
        bad_e = ~np.isfinite(e) | (e < 0)
        reasons = {
            "invalid_emissions": bad_e & rule.needs_emissions,
            "missing_price": needs["prices"] & ~(price > 0),
            "missing_quality": needs["quality"] & ~np.isfinite(qual),
            "missing_zero_emission_share": needs["zero_emission_share"] & ~np.isfinite(share),
        }
    if rule.frame_kg_co2e_per_m2 is not None:
        period = rule.reference_study_period if rule.frame_period == "year" else None
        reasons["frame_exceeded"] = ~bad_e & ~frame_gate(e, rule.bta_m2, rule.frame_kg_co2e_per_m2,
                                                         period)
    if rule.min_zero_emission_share is not None:
        reasons["zero_emission_share_below_minimum"] = (
            np.isfinite(share) & ~minimum_share_gate(share, rule.min_zero_emission_share))
    valid = ~np.logical_or.reduce(list(reasons.values())) & (extra == "").to_numpy()

    model, top = rule.climate_model, rule.max_points
    value, climate, addon, best_climate = _climate_points(rule, e, share, valid)
    evaluated = np.where(valid, price + addon, np.nan)
    price_points, best_price = nan, math.nan
    if needs["prices"] and valid.any():
        best_price = float(np.nanmin(evaluated))
        price_points = (dfo_linear(evaluated, max_points=top, allow_negative=rule.allow_negative_points)
                        if rule.price_model == "dfo_linear"
                        else dfo_proportional(evaluated, max_points=top))
    points = pd.DataFrame({
        "price": price_points if needs["prices"] else nan,
        "quality": np.where(valid, qual, np.nan) if needs["quality"] else nan,
        "climate": climate if rule.climate_weight > 0 else nan,
    }, index=index)
    total = weighted_total(points.fillna(0.0), rule.weights).where(valid)
    rank, tie = rank_bids(total, emissions, valid)

    eff = effective_weights(points[valid], rule.weights)
    if model == "co2_price":
        implied = implied_climate_weight(price[valid], addon[valid])
        eff = pd.Series({"price": eff["price"] * (1 - implied), "quality": eff["quality"],
                         "climate": eff["price"] * implied})
    nominal = math.nan if model == "co2_price" else rule.climate_weight
    check_climate_weight(nominal, rule.min_climate_weight, "nominal")
    check_climate_weight(float(eff["climate"]), rule.min_climate_weight, "effective")

    notes = {code: mask for code, mask in reasons.items()}
    notes["best_climate"] = valid & (value == best_climate) if model != "co2_price" else valid & (addon == 0)
    notes["best_price"] = valid & (evaluated == best_price)
    linear = (model == "dfo_linear" and rule.climate_weight > 0,
              rule.price_model == "dfo_linear" and needs["prices"])
    raw_negative = valid & ((linear[0] & (value > 2 * best_climate))
                            | (linear[1] & (evaluated > 2 * best_price)))
    notes["negative_points" if rule.allow_negative_points else "points_clipped_at_zero"] = raw_negative
    notes["co2_addon"] = valid & (addon > 0)
    columns = [extra] + [pd.Series(np.where(m, c, ""), index=index) for c, m in notes.items()] + [tie]
    out = pd.DataFrame({
        "kg_co2e": e,
        "kg_co2e_per_m2": per_m2,
        "climate_value": value,
        "zero_emission_share": share,
        "price_nok": price,
        "co2_addon_nok": addon if model == "co2_price" else np.where(valid, 0.0, np.nan),
        "evaluated_price_nok": evaluated,
        "points_price": points["price"],
        "points_quality": points["quality"],
        "points_climate": points["climate"],
        "total": total,
        "rank": rank,
        "status": np.where(valid, "ranked", "rejected"),
        "explanation": _join_codes(columns),
    }, index=index)
    out.attrs.update({
        "effective_weights": {k: float(v) for k, v in eff.items()},
        "effective_climate_weight": float(eff["climate"]),
        "nominal_climate_weight": nominal,
        "best_climate_value": best_climate,
        "best_price": best_price,
        "climate_model": model,
        "basis": "zero_emission_share" if model == "zero_emission_share" else rule.basis,
        "zero_emission_basis": rule.zero_emission_basis,
        "n_valid": int(valid.sum()),
    })
    return out
