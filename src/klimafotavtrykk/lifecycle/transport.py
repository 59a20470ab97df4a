"""Transport to site, module A4."""

from __future__ import annotations

import functools

from klimafotavtrykk.units import parse_units

__all__ = ["a4"]


@functools.cache
def _kg_per_tonne() -> float:
    """Mass of one tonne from the unit registry [kg]."""
    return float(parse_units(["tonne"])["scale"].iloc[0])


def a4(mass, distance, kg_co2e_per_tkm):
    """A4 from mass, distance and the transport mode's factor.

    Parameters
    ----------
    mass : numeric
        Mass transported. [kg]
    distance : numeric
        One-way distance from factory to site. [km]
    kg_co2e_per_tkm : numeric
        Emissions per tonne-kilometre of the mode. [kg CO₂e t⁻¹ km⁻¹]

    Returns
    -------
    numeric
        A4 emissions. [kg CO₂e]

    Examples
    --------
    1 t of ready-mix over 35 km by concrete truck at 0.104 kg CO₂e/tkm:

    >>> round(a4(1000.0, 35.0, 0.104), 2)
    3.64
    """
    return mass / _kg_per_tonne() * distance * kg_co2e_per_tkm
