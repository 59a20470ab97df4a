"""Plausibility of line quantities: negative amounts and sizes no single line can have.

A bill of quantities with a typo (1e12 tonnes), a sign error or a credit line
still computes, but the user must see it: :func:`implausible_lines` flags
each such line, and :func:`klimafotavtrykk.calculate` warns and lists them.
The largest plausible amount per line and unit dimension is data
(``data/units/plausible_quantities.csv``), each limit with its reason.
"""

from __future__ import annotations

import functools

import numpy as np
import pandas as pd

from klimafotavtrykk._data import data_path
from klimafotavtrykk.errors import DataError
from klimafotavtrykk.vocabulary import DIMENSIONS

__all__ = ["CHECKS", "implausible_lines", "implausible_masks", "failed_checks", "load_quantity_limits"]

#: Names of the checks, in the order they are tried on a line.
CHECKS: tuple[str, ...] = ("negative_quantity", "quantity_too_large")


@functools.cache
def load_quantity_limits() -> np.ndarray:
    """Largest plausible amount of one line, per unit dimension.

    Returns
    -------
    numpy.ndarray
        One limit per entry of :data:`~klimafotavtrykk.vocabulary.DIMENSIONS`,
        in that dimension's base unit (kg, m³, m², m, piece); inf where the
        table gives none.

    Raises
    ------
    DataError
        When the table names an unknown dimension or a limit that is not a
        positive number.
    """
    path = data_path("units", "plausible_quantities.csv")
    table = pd.read_csv(path, dtype={"dimension": str})
    unknown = sorted(set(table["dimension"]) - set(DIMENSIONS))
    if unknown:
        raise DataError(f"unknown dimensions {unknown}", file=str(path))
    limit = pd.to_numeric(table["max_per_line"], errors="coerce").to_numpy(dtype=float)
    if not (np.isfinite(limit) & (limit > 0)).all():
        raise DataError("max_per_line must be a positive number on every row", file=str(path))
    out = np.full(len(DIMENSIONS), np.inf)
    out[[DIMENSIONS.index(d) for d in table["dimension"]]] = limit
    return out


def implausible_lines(quantity, scale, dimension, limits=None) -> np.ndarray:
    """Which check each line fails, if any.

    Parameters
    ----------
    quantity : numpy.ndarray
        Amount as written on each line. [line unit]
    scale : numpy.ndarray
        Base units per line unit (NaN where the unit is unknown). [base unit per line unit]
    dimension : numpy.ndarray of int
        Index into :data:`~klimafotavtrykk.vocabulary.DIMENSIONS` of each
        line's unit; -1 for lump sums and unknown units.
    limits : numpy.ndarray, optional
        Largest plausible amount per dimension [base unit]; default
        :func:`load_quantity_limits`.

    Returns
    -------
    numpy.ndarray of object
        The first failed check of each line (one of :data:`CHECKS`), None
        where the line is plausible. Missing quantities are not judged here.

    Examples
    --------
    >>> implausible_lines(np.array([-2.0, 5.0, 1e12]), np.array([1.0, 1.0, 1000.0]),
    ...                   np.array([1, 1, 0]), np.array([1e9, 1e6, 1e7, 1e6, 1e7])).tolist()
    ['negative_quantity', None, 'quantity_too_large']
    """
    return failed_checks(*implausible_masks(quantity, scale, dimension, limits))


def implausible_masks(quantity, scale, dimension, limits=None) -> tuple[np.ndarray, np.ndarray]:
    """The lines each check fails, as masks: :func:`implausible_lines` before it names them.

    Most bills fail no check; a caller can ask ``negative.any() or too_large.any()`` before
    it makes the names (an object per line).

    Parameters
    ----------
    quantity, scale, dimension, limits
        As for :func:`implausible_lines`.

    Returns
    -------
    negative : numpy.ndarray of bool
        Lines whose quantity is below 0.
    too_large : numpy.ndarray of bool
        Lines whose quantity, in its dimension's base unit, exceeds that dimension's limit.

    Examples
    --------
    >>> negative, too_large = implausible_masks(np.array([-2.0, 5.0, 1e12]),
    ...     np.array([1.0, 1.0, 1000.0]), np.array([1, 1, 0]),
    ...     np.array([1e9, 1e6, 1e7, 1e6, 1e7]))
    >>> negative.tolist(), too_large.tolist()
    ([True, False, False], [False, False, True])
    """
    q = np.asarray(quantity, dtype=float)
    dim = np.asarray(dimension, dtype=np.int64)
    table = np.append(load_quantity_limits() if limits is None else np.asarray(limits, float),
                      np.inf)                           # dimension -1 -> no limit
    scale = np.asarray(scale, dtype=float)
    if _below_every_limit(q, scale, dim, table):  # most bills: bounds say it, no pass per line
        return q < 0, np.zeros(q.shape, dtype=bool)
    limit = table[dim]
    with np.errstate(invalid="ignore"):
        base = np.abs(q)
        if base.shape == np.broadcast_shapes(base.shape, scale.shape):
            base *= scale  # the same product, in the array abs made
        else:
            base = base * scale
        too_large = base > limit
    return q < 0, too_large


def _below_every_limit(q: np.ndarray, scale: np.ndarray, dim: np.ndarray, table: np.ndarray
                       ) -> bool:
    """Whether no line's ``|q| * scale`` can exceed its limit, shown from four bounds.

    Rounding is monotonic: for ``0 <= a <= A`` and ``0 <= b <= B``, ``fl(a * b) <=
    fl(A * B)``. So the largest ``|q|`` times the largest scale, at most the smallest limit
    of the dimensions the lines span, proves every line's product at most its own limit,
    which is what the comparison line by line finds. A missing quantity or scale (NaN) is
    never too large there, and is left out of the bounds (``fmax``, ``fmin``); where the
    bounds prove nothing (no value, a NaN bound, a bound above a limit) False is returned
    and the lines are compared one by one.

    Parameters
    ----------
    q : numpy.ndarray of float
        Quantities as given.
    scale : numpy.ndarray of float
        Each line's unit scale to its dimension's base unit (a view of one value, or one
        per line); broadcast against ``q``.
    dim : numpy.ndarray of int64
        Each line's dimension, -1 for none.
    table : numpy.ndarray of float
        Limit per dimension, ``inf`` last (read for -1).

    Returns
    -------
    bool
    """
    if not q.size or dim.shape != q.shape or q.shape != np.broadcast_shapes(q.shape, scale.shape):
        return False
    largest = max(np.fmax.reduce(q, axis=None), -np.fmin.reduce(q, axis=None))
    if all(stride == 0 for stride in scale.strides):  # one value seen on every line
        widest = float(scale.flat[0])
    else:
        widest = float(np.fmax.reduce(scale, axis=None))
    low, high = int(dim.min()), int(dim.max())
    if low < -1 or high >= len(table) - 1:
        return False  # a dimension the table lacks: the lines are looked up as they are
    spanned = np.append(table[max(low, 0):high + 1], np.inf)
    with np.errstate(invalid="ignore", over="ignore"):
        return bool(largest * max(widest, 0.0) <= spanned.min())


def failed_checks(negative: np.ndarray, too_large: np.ndarray) -> np.ndarray:
    """The first failed check of each line, by name (see :data:`CHECKS`); None where none fails.

    Parameters
    ----------
    negative, too_large : numpy.ndarray of bool
        :func:`implausible_masks`.

    Returns
    -------
    numpy.ndarray of object
    """
    out = np.full(negative.shape, None, dtype=object)
    out[too_large] = "quantity_too_large"
    out[negative] = "negative_quantity"
    return out
