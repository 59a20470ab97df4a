"""Contributions that are no bill-of-quantities line: site energy, mass transport, B6.

Each is one row of module values (:data:`~klimafotavtrykk.vocabulary.MODULES`), counted
only where the profile counts it; :func:`~klimafotavtrykk.calculate` adds them to the
lines' totals and reports them as ``Assessment.other``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from klimafotavtrykk.assessment.result import _empty_other
from klimafotavtrykk.errors import (
    InputError,
)
from klimafotavtrykk.lifecycle.use import operational_energy
from klimafotavtrykk.profiles import Profile
from klimafotavtrykk.vocabulary import (
    MODULE_INDEX,
    MODULES,
)


def _site_result(site, electricity: str):
    """The site calculation of ``site`` (activities or an existing result), or None."""
    if site is None:
        return None
    from klimafotavtrykk.site import SiteResult, calculate_site

    if isinstance(site, SiteResult):
        return site
    if not isinstance(site, pd.DataFrame):
        raise InputError(f"site must be a DataFrame of activities or a SiteResult, got {type(site).__name__}",
                         code="not_a_frame")
    return calculate_site(site, electricity=electricity)


def _other_contributions(profile: Profile, site_result, operational_energy, electricity: str,
                         energy_factors=None) -> pd.DataFrame:
    """Rows of contributions beside the lines (site, mass transport, B6), × module [kg CO2e]."""
    rows: dict[str, np.ndarray] = {}
    if site_result is not None and profile.site_energy:
        if "A5" in profile.modules:
            rows["site"] = _module_row("A5", site_result.total)
        if "A4" in profile.modules:
            rows["mass_transport"] = _module_row("A4", site_result.mass_transport)
    if operational_energy and "B6" in profile.modules:
        rows["operational_energy"] = _module_row(
            "B6", _b6(operational_energy, profile.reference_study_period, electricity,
                      energy_factors))
    if not rows:
        return _empty_other()
    return pd.DataFrame(list(rows.values()), index=pd.Index(list(rows), name="contribution"),
                        columns=pd.Index(MODULES, name="module"))


def _module_row(module: str, value: float) -> np.ndarray:
    row = np.zeros(len(MODULES))
    row[MODULE_INDEX[module]] = value
    return row


def _b6(annual: Mapping[str, float], period: float, electricity: str,
        energy_factors: Mapping[str, Any] | None = None) -> float:
    """B6 over the period from annual energy by carrier [kg CO2e].

    Factors per kWh come from the shipped life-cycle carriers, replaced or
    extended by ``energy_factors`` (a constant or one value per year).
    """
    from klimafotavtrykk.site import load_energy_carriers

    carriers = load_energy_carriers()
    per_kwh = carriers[(carriers["scope"] == "wtw") & (carriers["unit_dimension"] == "energy")]
    factor: dict[str, Any] = dict(zip(per_kwh["carrier"], per_kwh["kg_co2e_per_unit"].astype(float)
                                      / per_kwh["unit_scale"].astype(float), strict=True))
    factor.update(energy_factors or {})
    years = int(round(period))
    total = 0.0
    for carrier, kwh in annual.items():  # a few carriers per building
        key = electricity if carrier == "electricity" and carrier not in factor else carrier
        if key not in factor:
            raise InputError(f"no life-cycle factor per kWh for energy carrier {carrier!r}",
                             expected=", ".join(sorted(factor)), found=str(carrier),
                             code="unknown_carrier")
        if not (math.isfinite(float(kwh)) and float(kwh) >= 0):
            raise InputError(f"the energy use of {carrier!r} must be a number ≥ 0 kWh per year",
                             expected="kWh per year ≥ 0", found=str(kwh), code="bad_energy_use")
        series = np.asarray(factor[key], dtype=float)
        if series.ndim > 1 or (series.ndim == 1 and len(series) != years):
            raise InputError(f"the factor series of {carrier!r} needs one value per year",
                             expected=f"{years} values (the study period)",
                             found=f"{series.size} values", code="bad_energy_series")
        total += operational_energy(float(kwh), series, period)
    return total
