"""Use stage: B4 replacements and B6 operational energy."""

from __future__ import annotations

import numpy as np

__all__ = ["replacements", "operational_energy"]


def replacements(reference_study_period, service_life):
    """Number of replacements within the study period.

    ``n = max(0, ceil(P / L) - 1)``; a product without a service life
    (NaN) is not replaced.

    Parameters
    ----------
    reference_study_period : float
        P. [a]
    service_life : numeric
        L, positive; NaN where not given. [a]

    Returns
    -------
    numpy.ndarray of int64
        Replacements. [-]

    Notes
    -----
    The ratio is rounded to 9 decimals before ``ceil``, so that a ratio that
    is mathematically whole (60 / 20, or 50 / 12.5) is never pushed up by
    floating-point noise.

    References
    ----------
    .. [1] LCAbyg result files (ocni-dtu/lcax, datafixtures @921bc3ca): the
       formula holds for 188 product instances at P = 50.

    Examples
    --------
    >>> replacements(50, np.array([15.0, 25.0, 50.0, 60.0])).tolist()
    [3, 1, 0, 0]
    """
    life = np.asarray(service_life, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        ratio = np.round(reference_study_period / life, 9)
        n = np.ceil(ratio) - 1.0
    return np.where(np.isfinite(n) & (n > 0), n, 0.0).astype(np.int64)


def operational_energy(annual_use, factor, reference_study_period):
    """B6: operational energy use over the study period.

    Parameters
    ----------
    annual_use : numeric
        Energy delivered per year. [kWh a⁻¹]
    factor : float or array-like
        Emission factor of the energy carrier: a constant, or one value per
        year of the period (grid factors fall over 50-60 years).
        [kg CO₂e kWh⁻¹]
    reference_study_period : int
        Years in the period. [a]

    Returns
    -------
    float
        B6 emissions. [kg CO₂e]

    Examples
    --------
    10 000 kWh a year at a constant 0.015 kg CO₂e/kWh for 50 years:

    >>> operational_energy(10_000.0, 0.015, 50)
    7500.0
    """
    series = np.asarray(factor, dtype=float)
    years = int(round(reference_study_period))
    if series.ndim == 0:
        return float(annual_use * series * years)
    if len(series) != years:
        raise ValueError(f"a per-year factor series needs {years} values, got {len(series)}")
    return float(annual_use * series.sum())
