"""Pass/fail gates and the emissions a bid is held to.

The emission frame, a minimum share of emission-free site energy, per-product
A1-A3 limits, and :func:`committed_emissions`: uncommitted claims replaced by
their fallback (KOFA 2024/1940). A bid that fails a gate is rejected, not
scored.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from klimafotavtrykk.errors import InputError
from klimafotavtrykk.scoring._arrays import _join_codes, _like, _values

__all__ = [
    "committed_emissions",
    "frame_gate",
    "minimum_share_gate",
    "product_limit_gate",
]


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
