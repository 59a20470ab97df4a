"""The contract's bonus and deduction rules: pure functions on numbers.

One function per kind of :data:`~klimafotavtrykk.followup.model.RULE_KINDS`.
Each takes emissions, quantities and the rule's parameters as numbers (scalars
or arrays) and returns a mapping of the amount and the intermediate values the
status workbook shows beside it. A positive amount is a bonus paid to the
contractor, a negative one a deduction. [NOK]

No rule and no parameter has a default: a contract names its rules and every
parameter with its source (docs/design/followup_rules.md records what public
sources say about each kind).

:func:`budget_share`
    A share of the contract sum per percent the climate result beats the
    climate budget (bonus), or misses it (deduction); each side with its own
    rate and cap (Statens vegvesen's climate bonus is of this kind).
:func:`per_tonne_below_threshold`
    An amount per tonne of an EPD-documented product (concrete, asphalt) whose
    declared A1-A3 lies below a threshold.
:func:`advantage_multiple`
    A multiple of the advantage the promise earned at award, recomputed with
    the emissions as built (Rijkswaterstaat's DuboCalc practice).
"""

from __future__ import annotations

import math

import numpy as np

from klimafotavtrykk.errors import InputError

__all__ = ["RULE_PARAMETERS", "budget_share", "per_tonne_below_threshold", "advantage_multiple",
           "nok_per_climate_point"]

#: Parameters each rule kind requires (``required``) and accepts (``optional``).
RULE_PARAMETERS: dict[str, dict[str, tuple[str, ...]]] = {
    "budget_share": {
        "required": ("bonus_share_per_percent", "deduction_share_per_percent"),
        "optional": ("bonus_cap_share", "deduction_cap_share"),
    },
    "per_tonne_below_threshold": {
        "required": ("match", "threshold_kg_co2e", "declared_unit", "nok_per_tonne"),
        "optional": ("tonnes_per_declared_unit", "cap_nok"),
    },
    "advantage_multiple": {
        "required": ("multiple",),
        "optional": ("co2_price_nok_per_kg", "points_model", "best_kg", "max_points",
                     "nok_per_point", "promised_kg"),
    },
}


def budget_share(emissions, budget, contract_sum_nok, bonus_share_per_percent,
                 deduction_share_per_percent, bonus_cap_share=None, deduction_cap_share=None):
    """Bonus or deduction as a share of the contract sum per percent against the climate budget.

    ``improvement = 100 × (budget − emissions) / budget`` [%]. A positive
    improvement earns ``contract_sum × bonus_share_per_percent × improvement``,
    at most ``bonus_cap_share × contract_sum``; a negative one costs
    ``contract_sum × deduction_share_per_percent × |improvement|``, at most
    ``deduction_cap_share × contract_sum``. The two rates may differ (an
    asymmetric rule: Statens vegvesen keeps the deduction smaller than the
    bonus). A cap left as None does not limit that side.

    Parameters
    ----------
    emissions : numeric
        The climate result as built (or projected to completion). [kg CO2e]
    budget : numeric
        The contract's climate budget; positive. [kg CO2e]
    contract_sum_nok : numeric
        [NOK]
    bonus_share_per_percent, deduction_share_per_percent : float
        Share of the contract sum per percent better or worse; non-negative. [-]
    bonus_cap_share, deduction_cap_share : float, optional
        Largest bonus or deduction as a share of the contract sum. [-]

    Returns
    -------
    dict
        ``amount_nok`` (bonus positive, deduction negative) [NOK],
        ``uncapped_nok`` [NOK], ``improvement_percent`` [%] and ``capped``
        (bool); arrays when the inputs are arrays.

    Raises
    ------
    InputError
        When the budget is not positive or a rate or cap is negative.

    Examples
    --------
    Statens vegvesen's published example, read as 0.1 % of the contract sum
    per percent: a NOK 100 M contract 20 % better than its budget earns NOK 2 M.

    >>> out = budget_share(80.0, 100.0, 100e6, 0.001, 0.0005)
    >>> round(float(out["amount_nok"]))
    2000000
    """
    budget = np.asarray(budget, dtype=float)
    if not np.all(budget > 0):
        raise InputError("the climate budget must be positive", expected="> 0", found=str(budget))
    for name, value in (("bonus_share_per_percent", bonus_share_per_percent),
                        ("deduction_share_per_percent", deduction_share_per_percent),
                        ("bonus_cap_share", bonus_cap_share),
                        ("deduction_cap_share", deduction_cap_share)):
        _non_negative(name, value)
    total = np.asarray(contract_sum_nok, dtype=float)
    improvement = 100.0 * (budget - np.asarray(emissions, dtype=float)) / budget
    rate = np.where(improvement >= 0, float(bonus_share_per_percent),
                    float(deduction_share_per_percent))
    uncapped = total * rate * improvement
    high = np.inf if bonus_cap_share is None else float(bonus_cap_share) * total
    low = -np.inf if deduction_cap_share is None else -float(deduction_cap_share) * total
    amount = np.clip(uncapped, low, high)
    return _out(amount_nok=amount, uncapped_nok=uncapped, improvement_percent=improvement,
                capped=amount != uncapped)


def per_tonne_below_threshold(tonnes, gwp, threshold_kg_co2e, nok_per_tonne, cap_nok=None):
    """An amount per tonne of product whose declared GWP lies below a threshold.

    ``amount = nok_per_tonne × Σ tonnes where gwp < threshold``, at most
    ``cap_nok``. Rows with a NaN tonnage or GWP earn nothing.

    Parameters
    ----------
    tonnes : array-like of float
        Delivered mass per delivery. [t]
    gwp : array-like of float
        Declared GWP A1-A3 of each delivery, in the unit of the threshold.
        [kg CO2e per declared unit]
    threshold_kg_co2e : float
        [kg CO2e per declared unit]
    nok_per_tonne : float
        Non-negative. [NOK t⁻¹]
    cap_nok : float, optional
        Largest amount. [NOK]

    Returns
    -------
    dict
        ``amount_nok`` [NOK], ``uncapped_nok`` [NOK], ``tonnes_below`` [t],
        ``tonnes`` (all counted) [t] and ``capped`` (bool).

    Examples
    --------
    >>> out = per_tonne_below_threshold([10.0, 5.0], [90.0, 120.0], 100.0, 50.0)
    >>> float(out["amount_nok"]), float(out["tonnes_below"])
    (500.0, 10.0)
    """
    _non_negative("nok_per_tonne", nok_per_tonne)
    _non_negative("cap_nok", cap_nok)
    t = np.asarray(tonnes, dtype=float)
    below = np.asarray(gwp, dtype=float) < float(threshold_kg_co2e)  # NaN compares False
    tonnes_below = float(np.nansum(np.where(below, t, 0.0)))
    uncapped = float(nok_per_tonne) * tonnes_below
    amount = uncapped if cap_nok is None else min(uncapped, float(cap_nok))
    return _out(amount_nok=amount, uncapped_nok=uncapped, tonnes_below=tonnes_below,
                tonnes=float(np.nansum(t)), capped=amount != uncapped)


def advantage_multiple(as_built_kg, promised_kg, multiple, *, co2_price_nok_per_kg=None,
                       points_model=None, best_kg=None, max_points=None, nok_per_point=None):
    """A multiple of the award advantage the promise earned and the work as built lost.

    Two ways the award priced the promise:

    - a CO2-price competition (``co2_price_nok_per_kg``): the add-on grew by
      ``(as_built − promised) × price``, so the advantage lost is that;
    - a points competition (``points_model`` ``dfo_linear`` or
      ``dfo_proportional``, with ``best_kg`` and ``max_points``): the climate
      points are recomputed with the emissions as built against the same best
      bid, and the points lost are converted at ``nok_per_point`` (see
      :func:`nok_per_climate_point`).

    The deduction is ``multiple × advantage lost``; doing better than promised
    earns nothing (the rule is a sanction). Rijkswaterstaat's DuboCalc FAQ
    names 1.5 as the usual multiple; the contract states its own.

    Parameters
    ----------
    as_built_kg, promised_kg : float
        Emissions as built (or projected) and as promised at award, in the
        scope the competition scored. [kg CO2e]
    multiple : float
        Non-negative. [-]
    co2_price_nok_per_kg : float, optional
        [NOK kg⁻¹ CO2e]
    points_model : {"dfo_linear", "dfo_proportional"}, optional
    best_kg : float, optional
        The lowest emissions among valid bids at award. [kg CO2e]
    max_points : float, optional
        Top of the point scale. [points]
    nok_per_point : float, optional
        Price of one climate point at award. [NOK point⁻¹]

    Returns
    -------
    dict
        ``amount_nok`` (zero or negative) [NOK], ``advantage_nok`` [NOK],
        ``points_lost`` [points; NaN for a CO2-price competition] and
        ``excess_kg`` (as built − promised) [kg CO2e].

    Raises
    ------
    InputError
        When neither a CO2 price nor a complete points model is given.

    Examples
    --------
    10 t CO2e over the promise in a NOK 2 per kg competition, multiple 1.5:

    >>> out = advantage_multiple(110_000.0, 100_000.0, 1.5, co2_price_nok_per_kg=2.0)
    >>> float(out["amount_nok"])
    -30000.0
    """
    from klimafotavtrykk.scoring import dfo_linear, dfo_proportional

    _non_negative("multiple", multiple)
    excess = float(as_built_kg) - float(promised_kg)
    if co2_price_nok_per_kg is not None:
        _non_negative("co2_price_nok_per_kg", co2_price_nok_per_kg)
        points_lost = math.nan
        advantage = max(excess, 0.0) * float(co2_price_nok_per_kg)
    elif points_model is not None and None not in (best_kg, max_points, nok_per_point):
        models = {"dfo_linear": dfo_linear, "dfo_proportional": dfo_proportional}
        if points_model not in models:
            raise InputError("unknown points model", expected=" | ".join(models),
                             found=str(points_model))
        points = models[points_model](np.array([float(promised_kg), float(as_built_kg)]),
                                      best=float(best_kg), max_points=float(max_points))
        points_lost = max(float(points[0] - points[1]), 0.0)
        advantage = points_lost * float(nok_per_point)
    else:
        raise InputError("advantage_multiple needs co2_price_nok_per_kg, or points_model with "
                         "best_kg, max_points and nok_per_point",
                         expected="co2_price_nok_per_kg | points_model", found="neither")
    return _out(amount_nok=-float(multiple) * advantage, advantage_nok=advantage,
                points_lost=points_lost, excess_kg=excess)


def nok_per_climate_point(lowest_price_nok, price_weight, climate_weight, max_points):
    """Price of one climate point in a competition scoring price with DFØ's linear model.

    The linear price model gives ``max_points / lowest_price`` price points
    per NOK, weighted by ``price_weight``; one climate point weighs
    ``climate_weight``. A climate point is so worth
    ``climate_weight × lowest_price / (price_weight × max_points)`` NOK.

    Parameters
    ----------
    lowest_price_nok : float
        The lowest evaluated price at award. [NOK]
    price_weight, climate_weight : float
        Award weights. [-]
    max_points : float
        Top of the point scale. [points]

    Returns
    -------
    float
        [NOK point⁻¹]

    Examples
    --------
    >>> nok_per_climate_point(100e6, 0.7, 0.3, 10.0)
    4285714.285714285
    """
    if not (price_weight > 0 and max_points > 0):
        raise InputError("price weight and max points must be positive", expected="> 0",
                         found=f"{price_weight}, {max_points}")
    return float(climate_weight) * float(lowest_price_nok) / (float(price_weight) * float(max_points))


def _non_negative(name: str, value) -> None:
    if value is None:
        return
    try:
        ok = math.isfinite(float(value)) and float(value) >= 0
    except (TypeError, ValueError):
        ok = False
    if not ok:
        raise InputError(f"{name} must be a non-negative number", expected=">= 0", found=str(value))


def _out(**values) -> dict:
    """Plain floats and bools for scalars, arrays for arrays."""
    return {k: (v.item() if isinstance(v, np.generic) or (isinstance(v, np.ndarray) and v.ndim == 0)
                else v) for k, v in values.items()}
