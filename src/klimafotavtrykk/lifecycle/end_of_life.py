"""End of life (C1-C4) and benefits beyond the system boundary (D)."""

from __future__ import annotations

__all__ = ["d_over_cycles"]


def d_over_cycles(d, n_replacements):
    """Module D over every product cycle in the period.

    D is counted once per installed product: the original and each
    replacement. It is reported beside the total, never in it.

    Parameters
    ----------
    d : numeric
        D per declared unit of one product cycle. [kg CO₂e per declared unit]
    n_replacements : numeric
        Replacements within the period. [-]

    Returns
    -------
    numeric
        D over the period. [kg CO₂e per declared unit]

    References
    ----------
    .. [1] LCAbyg result files (ocni-dtu/lcax): D total = D per unit × (1 + n).

    Examples
    --------
    >>> d_over_cycles(-2.0, 3)
    -8.0
    """
    return d * (1.0 + n_replacements)
