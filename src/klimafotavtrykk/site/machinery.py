"""Site machinery, layer 1: shaft energy, fuel burned, load factor and SFC of a machine.

A machine run for some hours delivers

    shaft energy [kWh] = hours [h] × rated power [kW] × load factor [-]

and a diesel engine burns shaft energy × brake-specific fuel consumption (SFC)
[kg kWh⁻¹] of fuel. Load factors and SFC by machine class and power band come
from the machinery table (:func:`~klimafotavtrykk.site.tables.load_machinery`).
Every function works on scalars and on whole arrays alike.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["machine_fuel", "machine_fuel_mass", "machine_parameters", "shaft_energy"]


def shaft_energy(machine_hours, rated_power, load_factor):
    """Mechanical energy a machine delivers over its operating hours.

    Parameters
    ----------
    machine_hours : numeric
        Operating hours. [h]
    rated_power : numeric
        Rated engine or motor power. [kW]
    load_factor : numeric
        Average share of rated power over the hours. [-]

    Returns
    -------
    numeric
        Shaft energy; for an electric machine, the energy drawn. [kWh]
    """
    return machine_hours * rated_power * load_factor


def machine_fuel_mass(machine_hours, rated_power, load_factor, sfc):
    """Mass of fuel a diesel engine burns over its operating hours.

    Parameters
    ----------
    machine_hours : numeric
        Operating hours. [h]
    rated_power : numeric
        Rated engine power. [kW]
    load_factor : numeric
        Average share of rated power. [-]
    sfc : numeric
        Brake-specific fuel consumption. [kg kWh⁻¹]

    Returns
    -------
    numeric
        Fuel burned. [kg]

    References
    ----------
    .. [1] US EPA (2010), NONROAD2008a data: load factors (ACTIVITY.DAT, report
       NR-005) and BSFC (EMSFAC/BSFC.EMF, report NR-009d, EPA-420-R-10-018).

    Examples
    --------
    100 h × 150 kW × 0.5 × 0.2 kg/kWh = 1 500 kg.

    >>> machine_fuel_mass(100.0, 150.0, 0.5, 0.2)
    1500.0
    """
    return shaft_energy(machine_hours, rated_power, load_factor) * sfc


def machine_fuel(machine_hours, rated_power, load_factor, sfc, fuel_density):
    """Volume of fuel a diesel engine burns over its operating hours.

    Parameters
    ----------
    machine_hours : numeric
        Operating hours. [h]
    rated_power : numeric
        Rated engine power. [kW]
    load_factor : numeric
        Average share of rated power. [-]
    sfc : numeric
        Brake-specific fuel consumption. [kg kWh⁻¹]
    fuel_density : numeric
        Fuel density. [kg L⁻¹]

    Returns
    -------
    numeric
        Fuel burned. [L]

    References
    ----------
    .. [1] US EPA (2010), NONROAD2008a data: load factors (ACTIVITY.DAT, report
       NR-005) and BSFC (EMSFAC/BSFC.EMF, report NR-009d, EPA-420-R-10-018).

    Examples
    --------
    100 h × 150 kW × 0.5 × 0.2 kg/kWh ÷ 0.8 kg/L = 1 875 L.

    >>> machine_fuel(100.0, 150.0, 0.5, 0.2, 0.8)
    1875.0
    """
    return machine_fuel_mass(machine_hours, rated_power, load_factor, sfc) / fuel_density


def machine_parameters(machinery, machine_class, rated_power, load_factor=None,
                       default_class="other_construction"):
    """Load factor and SFC of each machine from the machinery table.

    Parameters
    ----------
    machinery : pandas.DataFrame
        As returned by :func:`~klimafotavtrykk.site.tables.load_machinery`.
    machine_class : array-like of str or None
        Machine-class key per row; None uses ``default_class``.
    rated_power : array-like of float
        Rated power, to pick the power band. [kW]
    load_factor : array-like of float, optional
        Load factor given per row; NaN takes the table's. [-]
    default_class : str
        Class for rows without one.

    Returns
    -------
    pandas.DataFrame
        Columns ``band`` (row of ``machinery``; -1 when none), ``load_factor``
        [-], ``sfc_kg_per_kwh`` [kg kWh⁻¹], ``machine_class`` (used),
        ``class_assumed`` (bool) and ``class_known`` (bool).
    """
    cls = pd.Series(np.asarray(machine_class, dtype=object), dtype=object)
    assumed = cls.isna().to_numpy()
    used = cls.where(~assumed, default_class)
    power = np.asarray(rated_power, dtype=float)
    left = pd.DataFrame({"machine_class": used, "power": power, "row": np.arange(len(power))})
    right = machinery.reset_index(drop=True).assign(band=lambda f: np.arange(len(f)))
    pairs = left.merge(right[["machine_class", "power_min_kw", "power_max_kw", "band"]],
                       on="machine_class", how="inner")
    inside = ((pairs["power"] > pairs["power_min_kw"].fillna(-np.inf))
              & (pairs["power"] <= pairs["power_max_kw"].fillna(np.inf)))
    hit = pairs[inside].drop_duplicates("row")
    band = np.full(len(power), -1, dtype=np.int64)
    band[hit["row"].to_numpy()] = hit["band"].to_numpy()
    table_lf = np.append(right["load_factor"].to_numpy(float), np.nan)[band]
    table_sfc = np.append(right["sfc_kg_per_kwh"].to_numpy(float), np.nan)[band]
    given = (np.full(len(power), np.nan) if load_factor is None
             else np.asarray(load_factor, dtype=float))
    return pd.DataFrame({
        "band": band,
        "load_factor": np.where(np.isnan(given), table_lf, given),
        "sfc_kg_per_kwh": table_sfc,
        "machine_class": used.to_numpy(dtype=object),
        "class_assumed": assumed,
        "class_known": used.isin(set(machinery["machine_class"])).to_numpy(),
    })
