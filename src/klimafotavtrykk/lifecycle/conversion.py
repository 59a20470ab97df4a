"""Quantities in a line's unit -> the factor's declared unit, through mass where needed."""

from __future__ import annotations

import numpy as np

__all__ = ["declared_quantity"]


def declared_quantity(quantity, scale, mass_per_line_base, declared_scale, mass_per_declared_base,
                      same_dimension):
    """Convert quantities to the declared unit of their factor.

    Within one dimension the unit scales convert; across dimensions the
    quantity goes through its mass (kg ÷ kg/m³ -> m³, never the reverse).

    Parameters
    ----------
    quantity : numpy.ndarray
        Quantity in the unit as written. [unit as written]
    scale : numpy.ndarray
        Base units per unit as written (1000 for tonn -> kg). [base unit]
    mass_per_line_base : numpy.ndarray
        Mass per base unit of the line's dimension (density for m³, area mass
        for m², 1 for kg); NaN when the factor gives none. [kg per base unit]
    declared_scale : numpy.ndarray
        Base units per declared unit. [base unit]
    mass_per_declared_base : numpy.ndarray
        Mass per base unit of the declared unit's dimension. [kg per base unit]
    same_dimension : numpy.ndarray of bool
        Whether line unit and declared unit share a dimension.

    Returns
    -------
    numpy.ndarray
        Quantity in declared units; NaN where no conversion exists. [declared unit]

    Examples
    --------
    47.92 kg of a product declared per m³ with density 1 800 kg/m³ is
    47.92 / 1 800 = 0.026622 m³:

    >>> round(float(declared_quantity(np.array([47.92]), np.array([1.0]), np.array([1.0]),
    ...       np.array([1.0]), np.array([1800.0]), np.array([False]))[0]), 6)
    0.026622
    """
    base = quantity * scale
    with np.errstate(invalid="ignore", divide="ignore"):
        across = base * mass_per_line_base / mass_per_declared_base
    return np.where(same_dimension, base, across) / declared_scale
