"""Transport to site, module A4."""

from __future__ import annotations

__all__ = ["a4"]


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
    return mass / 1000.0 * distance * kg_co2e_per_tkm
