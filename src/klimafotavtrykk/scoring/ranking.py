"""Score and rank the bids of one competition: :func:`score`, and :func:`rank_bids` for ties.

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
    1 is best; <NA> for rejected bids. Bids with equal totals that no tie
    rule of the competition separates share a rank.
tie_rule : str
    For a bid whose total equals another's: the tie rule that decided
    (``price``, ``quality``, ``climate``) or ``manual`` (the client must
    decide); ``""`` otherwise.
status : str
    ``"ranked"`` or ``"rejected"``.
explanation : str
    Codes of :data:`EXPLANATIONS` joined by ``;``; reports render them.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from klimafotavtrykk.errors import InputError
from klimafotavtrykk.scoring._arrays import _join_codes
from klimafotavtrykk.scoring.gates import frame_gate, minimum_share_gate
from klimafotavtrykk.scoring.models import (
    co2_price_addon,
    dfo_linear,
    dfo_proportional,
    reduction_points,
    zero_emission_share_points,
)
from klimafotavtrykk.scoring.rule import ScoringRule
from klimafotavtrykk.scoring.weights import (
    check_climate_weight,
    effective_weights,
    implied_climate_weight,
    weighted_total,
)

__all__ = ["EXPLANATIONS", "rank_bids", "score", "tie_keys"]

#: Codes of the ``explanation`` column and what they mean (reports translate them).
EXPLANATIONS: dict[str, str] = {
    "invalid_emissions": "emissions missing, not a number or negative: bid rejected",
    "missing_price": "price missing: bid rejected",
    "missing_quality": "quality points missing: bid rejected",
    "missing_zero_emission_share": "share of emission-free site energy missing: bid rejected",
    "frame_exceeded": "emissions per m² BTA above the competition's frame: bid rejected",
    "zero_emission_share_below_minimum": "emission-free share below the minimum: bid rejected",
    "product_limit_exceeded": "a product's A1-A3 exceeds its limit: bid rejected",
    "product_limit_unit_mismatch": "a limited product is declared in another unit than the limit: bid rejected",
    "site_energy_missing": "the competition counts site energy and the bid states none that can be computed: bid rejected",
    "site_energy_incomplete": "the competition counts site energy and a site row states an amount that cannot be computed: bid rejected",
    "best_climate": "best climate value among valid bids",
    "best_price": "lowest evaluated price among valid bids",
    "negative_points": "linear model gave negative points (allowed, KOFA 2015/60)",
    "points_clipped_at_zero": "linear model would give negative points; clipped at 0 by the rule",
    "co2_addon": "CO2-price add-on added to the evaluated price",
    "invalid_price": "price not a finite positive amount the scoring can hold: bid rejected",
    "tie_price": "equal total as another bid: the lower offered price decided (tie rule)",
    "tie_quality": "equal total as another bid: more quality points decided (tie rule)",
    "tie_climate": "equal total as another bid: the better climate value decided (tie rule)",
    "tie_manual": "equal total as another bid and no tie rule decides: needs the client's manual decision",
}

#: Totals equal to this many decimals of a point count as tied.
_TIE_DECIMALS_POINTS = 9
#: Tie-rule values equal to this many significant digits count as equal.
_TIE_DIGITS = 12


# ---------------------------------------------------------------- ranking


def rank_bids(total, tie_keys: pd.DataFrame | None = None, valid=None
              ) -> tuple[pd.Series, pd.Series]:
    """Rank bids by total; equal totals by the tie rules given, else shared.

    Totals equal to 1e-9 points count as equal, and tie values equal to 12
    significant digits, so that rounding noise never decides. Neither the
    bidder's name nor the input order ever decides: bids still equal after
    every tie rule share the best rank of their group (1, 1, 3) and are
    marked ``tie_manual``. The result is the same in any input order.

    Parameters
    ----------
    total : Series
        Total points, indexed by bidder. [points]
    tie_keys : DataFrame, optional
        One column per tie rule, in the order they apply, named after the rule
        (``price``, ``quality``, ``climate``), same index as ``total``; lower
        is better (negate a value where more is better). NaN ranks after any
        number. None: no tie rule.
    valid : array-like of bool, optional
        Bids to rank; the others get <NA>.

    Returns
    -------
    rank : Series of Int64
        1 is best; tied bids share a rank.
    tie : Series of str
        ``tie_<rule>`` for a bid whose tie with another was decided by that
        rule (the rule at which it parted from the last bid still equal to
        it), ``tie_manual`` when no rule decides, ``""`` without a tie.
    """
    valid = np.ones(len(total), bool) if valid is None else np.asarray(valid, bool)
    tie_keys = pd.DataFrame(index=total.index) if tie_keys is None else tie_keys.reindex(total.index)
    rules = [str(c) for c in tie_keys.columns]
    keys = pd.DataFrame({"t": -np.round(total.to_numpy(dtype=float), _TIE_DECIMALS_POINTS)},
                        index=np.arange(len(total)))
    for i, rule in enumerate(rules):
        keys[f"k{i}"] = _significant(tie_keys[rule].to_numpy(dtype=float))
    columns = list(keys.columns)
    keys = keys[valid]
    ordered = keys.sort_values(columns, kind="mergesort", na_position="last")
    first = ~ordered.duplicated(subset=columns, keep="first").to_numpy()
    position = np.arange(1, len(ordered) + 1)
    shared = np.maximum.accumulate(np.where(first, position, 0)) if len(ordered) else position
    rank = pd.Series(pd.NA, index=total.index, dtype="Int64")
    rank.iloc[ordered.index.to_numpy()] = shared
    tie = np.full(len(total), "", dtype=object)
    if len(keys):
        sizes = [keys.groupby(columns[: k + 1], dropna=False)["t"].transform("size").to_numpy()
                 for k in range(len(columns))]
        decided = np.where(sizes[-1] > 1, "tie_manual", "")
        for k in range(len(rules), 0, -1):  # the first rule at which the bid stands alone
            decided = np.where((sizes[k - 1] > 1) & (sizes[k] == 1), f"tie_{rules[k - 1]}", decided)
        tie[np.flatnonzero(valid)] = np.where(sizes[0] > 1, decided, "")
    return rank.rename("rank"), pd.Series(tie, index=total.index, name="tie").astype(str)


def _significant(values: np.ndarray, digits: int = _TIE_DIGITS) -> np.ndarray:
    """Values rounded to ``digits`` significant digits (NaN and infinities kept)."""
    return np.array([float(f"{v:.{digits}g}") for v in values], dtype=float)  # one per bid


def tie_keys(rule: ScoringRule, price, quality, climate_value) -> pd.DataFrame:
    """The values the competition's tie rules compare, lower is better.

    Parameters
    ----------
    rule : ScoringRule
        Its :attr:`~ScoringRule.tie_rules`, in order.
    price : Series
        Offered price. [NOK]; ``price``: the lower wins.
    quality : Series
        Quality points. [points]; ``quality``: more wins.
    climate_value : Series
        The value the climate criterion scores (emissions, per m², or the
        emission-free share); ``climate``: the better wins (lower emissions,
        higher share).

    Returns
    -------
    DataFrame
        One column per tie rule, in the rule's order.
    """
    higher_is_better = rule.climate_model == "zero_emission_share"
    values = {"price": price, "quality": -quality,
              "climate": -climate_value if higher_is_better else climate_value}
    return pd.DataFrame({r: values[r] for r in rule.tie_rules}, index=price.index)

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
            "missing_price": needs["prices"] & np.isnan(price),
            "invalid_price": needs["prices"] & ~np.isnan(price) & ~(
                (price > 0) & (price <= rule.max_price_nok)),
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
    keys = tie_keys(rule, pd.Series(price, index=index), pd.Series(qual, index=index),
                    pd.Series(value, index=index))
    rank, tie = rank_bids(total, keys, valid)

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
        "tie_rule": tie.str.removeprefix("tie_").to_numpy(dtype=object),
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
