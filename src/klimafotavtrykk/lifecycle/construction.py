"""Construction stage, module A5: losses on site.

Site energy and machinery (the other part of A5) live in :mod:`klimafotavtrykk.site`.
"""

from __future__ import annotations

__all__ = ["site_waste"]


def site_waste(waste_rate, a1a3, a4, end_of_life=0.0):
    """A5 site waste: making, moving and disposing of material lost on site.

    Parameters
    ----------
    waste_rate : numeric
        Material lost on site as a share of the installed quantity
        (Boverket's waste factor minus one: 1.12 -> 0.12). [-]
    a1a3, a4 : numeric
        A1-A3 and A4 of the installed quantity. [kg CO₂e]
    end_of_life : numeric, optional
        C1-C4 of the installed quantity, counted for the lost share when the
        profile asks for it (EN 15978); 0 under Boverket's formula. [kg CO₂e]

    Returns
    -------
    numeric
        A5 site-waste emissions. [kg CO₂e]

    References
    ----------
    .. [1] Boverket, Klimatdatabas 02.06.000 (2025): A5.1 = (A1-A3 + A4) ×
       (waste factor - 1), which holds for every resource that carries A5.1.

    Examples
    --------
    Gypsum board, waste factor 1.12, A1-A3 0.284 and A4 0.0243 kg CO₂e per kg
    installed: 0.12 × 0.3083 = 0.036996.

    >>> round(site_waste(0.12, 0.284, 0.0243), 6)
    0.036996
    """
    return waste_rate * (a1a3 + a4 + end_of_life)
