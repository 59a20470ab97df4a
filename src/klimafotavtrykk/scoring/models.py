"""Point models for one criterion, one function per published model, vectorised over bids.

DFØ's linear and proportional models (price or emissions), points for the
reduction against a client's reference, points for the share of
emission-free site energy, and Statens vegvesen's CO2-price add-on to the
evaluated price. Lower emissions are better.
"""

from __future__ import annotations

import math

import numpy as np

from klimafotavtrykk.errors import InputError
from klimafotavtrykk.scoring._arrays import _like, _values

__all__ = [
    "dfo_linear",
    "dfo_proportional",
    "reduction_share",
    "reduction_points",
    "zero_emission_share_points",
    "co2_price_addon",
]


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
