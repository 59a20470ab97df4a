"""Power planning for an electric (zero-emission) site.

Before tendering a zero-emission requirement, check that the grid connection
can carry the electric machine list: the peak power of the electric machines
running together, the average power over the working hours, and the shortfall
against the connection the grid owner offers. The machine list is the same
activity table as :func:`klimafotavtrykk.site.calculate_site` reads.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from klimafotavtrykk.errors import InputError
from klimafotavtrykk.site.activities import activity_numbers, activity_text
from klimafotavtrykk.site.emissions import calculate_site
from klimafotavtrykk.site.machinery import machine_parameters
from klimafotavtrykk.site.tables import machinery_table

__all__ = ["SitePower", "peak_power", "site_power"]


def peak_power(rated_power, load_factor, simultaneity=None):
    """Peak electric power of machines running at the same time.

    Parameters
    ----------
    rated_power : array-like of float
        Rated motor power of each machine; NaN is left out. [kW]
    load_factor : array-like of float
        Average share of rated power of each machine. [-]
    simultaneity : float, optional
        Share of the summed rated power drawn at once (an electrical
        designer's coincidence factor). None assumes every machine runs at
        its load factor at the same time. [-]

    Returns
    -------
    float
        Peak power. [kW]

    Examples
    --------
    Two machines of 100 kW and 50 kW at load factors 0.5 and 0.4:
    50 + 20 = 70 kW together, or 0.8 × 150 = 120 kW with simultaneity 0.8.

    >>> float(peak_power([100.0, 50.0], [0.5, 0.4]))
    70.0
    >>> float(peak_power([100.0, 50.0], [0.5, 0.4], simultaneity=0.8))
    120.0
    """
    rated = np.asarray(rated_power, dtype=float)
    if simultaneity is None:
        return np.nansum(rated * np.asarray(load_factor, dtype=float))
    return simultaneity * np.nansum(rated)


@dataclass(frozen=True, eq=False)
class SitePower:
    """Electric power a site needs, against its grid connection.

    Attributes
    ----------
    peak_kw : float
        Peak power of the electric machines. [kW]
    average_kw : float
        Electric energy over the working hours; NaN without working hours. [kW]
    grid_connection_kw : float
        Power the grid connection delivers. [kW]
    shortfall_kw : float
        Peak power the connection cannot deliver (0 when it suffices). [kW]
    energy_kwh : float
        Electric energy of the site rows (metered or from hours). [kWh]
    working_hours : float or None
        Hours the average is taken over. [h]
    machines : pandas.DataFrame
        Electric site rows: ``row_id``, ``activity``, ``machine``,
        ``rated_power_kw`` [kW], ``load_factor_used`` [-], ``power_kw``
        (rated × load factor; rated power in full where no load factor is
        known) [kW] and ``energy_kwh`` [kWh].
    rows_without_power : int
        Electric rows with energy but no rated power: in the average, not in
        the peak.
    """

    peak_kw: float
    average_kw: float
    grid_connection_kw: float
    shortfall_kw: float
    energy_kwh: float
    working_hours: float | None
    machines: pd.DataFrame
    rows_without_power: int


def site_power(activities: pd.DataFrame, grid_connection_kw: float, *,
               working_hours: float | None = None, simultaneity: float | None = None,
               carriers=None, machinery=None, electricity: str = "electricity_no",
               default_machine_class: str = "other_construction") -> SitePower:
    """Peak and average electric power of a site, and the shortfall against its grid connection.

    Parameters
    ----------
    activities : pandas.DataFrame
        Activity table; rows whose carrier drives an electric motor
        (``machine_drive`` in the energy-carrier table) and whose scope is
        ``site`` count.
    grid_connection_kw : float
        Power the grid connection delivers. [kW]
    working_hours : float, optional
        Hours over which the electric energy is drawn, for the average. [h]
    simultaneity : float, optional
        See :func:`peak_power`. [-]
    carriers, machinery, electricity, default_machine_class
        As for :func:`klimafotavtrykk.site.calculate_site`.

    Returns
    -------
    SitePower

    Raises
    ------
    InputError
        When the grid connection, working hours or simultaneity is not a
        positive number (simultaneity at most 1).
    """
    _positive("grid_connection_kw", grid_connection_kw, allow_zero=True)
    if working_hours is not None:
        _positive("working_hours", working_hours)
    if simultaneity is not None:
        _positive("simultaneity", simultaneity)
        if simultaneity > 1:
            raise InputError("simultaneity above 1", expected="a share in (0, 1]",
                             found=str(simultaneity))
    lines = calculate_site(activities, scope="wtw", carriers=carriers, machinery=machinery,
                           electricity=electricity,
                           default_machine_class=default_machine_class).lines
    electric = lines[(lines["machine_drive"] == "electric_motor") & (lines["scope"] == "site")]
    numbers = activity_numbers(electric)[0]
    rated, given = numbers["rated_power_kw"], numbers["load_factor"]
    classes = activity_text(electric, "machine_class", fold=True)
    load_factor = machine_parameters(machinery_table(machinery), classes, rated, given,
                                     default_machine_class)["load_factor"].to_numpy()
    with_power = rated > 0
    # no known load factor (class unknown, power outside its bands): rated power in full
    power = np.where(with_power, np.where(np.isnan(load_factor), rated, rated * load_factor),
                     np.nan)
    peak = float(peak_power(np.where(with_power, rated, np.nan),
                            np.where(np.isnan(load_factor), 1.0, load_factor), simultaneity))
    energy = float(np.nansum(electric["energy_kwh"].to_numpy(float)))
    machines = pd.DataFrame({
        "row_id": electric["row_id"].to_numpy(),
        "activity": electric.get("activity", pd.Series(None, index=electric.index, dtype=object)),
        "machine": electric.get("machine", pd.Series(None, index=electric.index, dtype=object)),
        "rated_power_kw": rated,
        "load_factor_used": load_factor,
        "power_kw": power,
        "energy_kwh": electric["energy_kwh"].to_numpy(float),
    }, index=electric.index)
    return SitePower(
        peak_kw=peak,
        average_kw=energy / working_hours if working_hours else float("nan"),
        grid_connection_kw=float(grid_connection_kw),
        shortfall_kw=max(0.0, peak - float(grid_connection_kw)),
        energy_kwh=energy,
        working_hours=working_hours,
        machines=machines,
        rows_without_power=int((~with_power).sum()),
    )


def _positive(name: str, value, allow_zero: bool = False) -> None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise InputError(f"{name} must be a number", expected="a number",
                         found=repr(value)) from None
    if not np.isfinite(number) or number < 0 or (number == 0 and not allow_zero):
        raise InputError(f"{name} must be {'non-negative' if allow_zero else 'positive'}",
                         expected="a positive number", found=repr(value))
