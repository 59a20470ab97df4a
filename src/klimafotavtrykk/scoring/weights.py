"""Weights of the award criteria: the weighted total, and the weight climate actually carries.

Effective weights from the spread of points among the bids at hand, the
climate weight implied by a CO2-price add-on, and the check against the
minimum of anskaffelsesforskriften § 7-9.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Mapping

import numpy as np
import pandas as pd

from klimafotavtrykk.errors import WeightWarning, user_stacklevel
from klimafotavtrykk.scoring._arrays import _values

__all__ = [
    "weighted_total",
    "spread",
    "effective_weights",
    "implied_climate_weight",
    "check_climate_weight",
]


# ---------------------------------------------------------------- weights


def weighted_total(points: pd.DataFrame, weights: Mapping[str, float]) -> pd.Series:
    """Σ weight × points over the criteria with a positive weight [points]."""
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
                      "(anskaffelsesforskriften § 7-9)", WeightWarning, stacklevel=user_stacklevel())
        return False
    return True
