"""Product stage, modules A1-A3."""

from __future__ import annotations

import numpy as np

__all__ = ["a1a3"]


def a1a3(declared, is_generic, generic_markup):
    """A1-A3 per declared unit, with the markup on generic data.

    Parameters
    ----------
    declared : numeric
        Declared A1-A3; NaN where not declared. [kg CO₂e per declared unit]
    is_generic : bool or array of bool
        Whether the value is generic data (not a product or industry EPD).
    generic_markup : float
        Markup on generic data, e.g. 0.25 for +25 %. [-]

    Returns
    -------
    numeric
        A1-A3 as counted. [kg CO₂e per declared unit]

    References
    ----------
    .. [1] Nordic Council of Ministers (2024), us2024-437: Norwegian rules add
       25 % to third-party generic data.

    Examples
    --------
    Boverket's typical C30/37 ready-mix, 0.116 kg CO₂e/kg, with +25 % gives
    Boverket's own conservative value 0.116 × 1.25 = 0.145 (rounded to hide the
    binary floating-point residue); an EPD value is counted as declared:

    >>> round(float(a1a3(0.116, True, 0.25)), 6)
    0.145
    >>> float(a1a3(0.116, False, 0.25))
    0.116
    """
    return np.asarray(declared, dtype=float) * (1.0 + generic_markup * np.asarray(is_generic, dtype=float))
