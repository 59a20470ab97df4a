"""Aggregate-first kernel: module intensities per factor row, then one multiply.

The engine works per factor row, not per line. :func:`module_intensities`
builds a matrix (rows × modules, kg CO₂e per declared unit) from the factor
table, the profile and the transport and waste scenario of each row. A line
adds only a row index, a group and a quantity; :func:`totals_by_group` bins
quantities by (group, row) and multiplies once. Per-line results
(:func:`line_results`) only on request.
"""

from __future__ import annotations

import numpy as np

from klimafotavtrykk.lifecycle.construction import site_waste
from klimafotavtrykk.lifecycle.end_of_life import d_over_cycles
from klimafotavtrykk.lifecycle.product import a1a3
from klimafotavtrykk.vocabulary import MODULE_INDEX, MODULES

__all__ = ["module_intensities", "totals_by_group", "line_results", "scope_mask"]

#: Lines per block in :func:`line_results` (4096 × 15 float64 ≈ 0.5 MB, fits in L2).
BLOCK = 4096

_COL = MODULE_INDEX  # the column of each module in the intensity arrays
_C = [_COL[m] for m in ("C1", "C2", "C3", "C4")]
_DECLARED_ONLY = [_COL[m] for m in ("B1", "B2", "B3", "B5", "B6", "B7", "C1", "C2", "C3", "C4")]


def scope_mask(modules) -> np.ndarray:
    """1.0 for each module of :data:`MODULES` in ``modules``, else 0.0."""
    wanted = set(modules)
    return np.array([1.0 if m in wanted else 0.0 for m in MODULES])


def module_intensities(declared, is_generic, generic_markup, a4, waste_rate, n_replacements,
                       in_scope, waste_end_of_life=False):
    """Emissions per declared unit and module, for each factor row.

    Parameters
    ----------
    declared : numpy.ndarray
        Declared module values, shape (rows, len(MODULES)); NaN = not declared.
        [kg CO₂e per declared unit]
    is_generic : numpy.ndarray of bool
        Rows holding generic data (markup applies to A1-A3).
    generic_markup : float
        Markup on generic data. [-]
    a4 : numpy.ndarray
        A4 of each row, resolved from the declared value or mass × distance
        × mode factor; NaN where it cannot be known. [kg CO₂e per declared unit]
    waste_rate : numpy.ndarray
        Site waste share of each row; NaN = none. [-]
    n_replacements : numpy.ndarray of int
        Replacements in the study period (B4). [-]
    in_scope : numpy.ndarray
        :func:`scope_mask` of the profile's modules.
    waste_end_of_life : bool
        Whether site waste also carries C1-C4 of the lost material.

    Returns
    -------
    numpy.ndarray
        Shape (rows, len(MODULES)). Out-of-scope modules are 0. D holds D over
        every product cycle and is not part of any total. [kg CO₂e per declared unit]

    Notes
    -----
    A replacement carries the product's in-scope A1-A3, A4, A5 (site waste)
    and C1-C4 again, booked under B4; D counts once per cycle. A row that
    declares B4 (an EPD's replacement scenario, or a product read from an
    LCAx project whose B4 is already the study period's) keeps that value,
    as a declared A4 is kept: replacements from service life fill B4 only
    where it is not declared, so nothing is counted twice.
    """
    rows = declared.shape[0]
    out = np.zeros((rows, len(MODULES)))
    clean = np.nan_to_num(declared, nan=0.0)
    out[:, _DECLARED_ONLY] = clean[:, _DECLARED_ONLY]
    out *= in_scope  # before B4 and A5, which carry only in-scope modules

    product = a1a3(clean[:, _COL["A1-A3"]], is_generic, generic_markup) * in_scope[_COL["A1-A3"]]
    transport = np.nan_to_num(a4, nan=0.0) * in_scope[_COL["A4"]]
    end_of_life = out[:, _C].sum(axis=1)
    waste = site_waste(np.nan_to_num(waste_rate, nan=0.0), product, transport,
                       end_of_life if waste_end_of_life else 0.0)
    installation = clean[:, _COL["A5"]] + waste
    out[:, _COL["A1-A3"]] = product
    out[:, _COL["A4"]] = transport
    out[:, _COL["A5"]] = installation * in_scope[_COL["A5"]]
    carried = product + transport + waste * in_scope[_COL["A5"]] + end_of_life
    declared_b4 = declared[:, _COL["B4"]]
    computed_b4 = n_replacements * carried
    out[:, _COL["B4"]] = np.where(np.isnan(declared_b4), computed_b4, declared_b4) * in_scope[_COL["B4"]]
    out[:, _COL["D"]] = d_over_cycles(clean[:, _COL["D"]], n_replacements) * in_scope[_COL["D"]]
    return out


def totals_by_group(group, row, quantity, intensities, n_groups):
    """Emissions per group and module, aggregating quantities first.

    Parameters
    ----------
    group : numpy.ndarray of int64
        Group of each line (e.g. building part code), 0 .. n_groups-1.
    row : numpy.ndarray of int64
        Row of ``intensities`` for each line, 0 .. rows-1.
    quantity : numpy.ndarray
        Quantity of each line in its row's declared unit. [declared unit]
    intensities : numpy.ndarray
        :func:`module_intensities`, shape (rows, modules). [kg CO₂e per declared unit]
    n_groups : int
        Number of groups.

    Returns
    -------
    numpy.ndarray
        Shape (n_groups, modules). [kg CO₂e]

    Examples
    --------
    Two lines of one factor in group 0 and one line in group 1:

    >>> m = np.array([[2.0, 1.0]])
    >>> totals_by_group(np.array([0, 0, 1]), np.array([0, 0, 0]),
    ...                 np.array([1.0, 2.0, 5.0]), m, 2).tolist()
    [[6.0, 3.0], [10.0, 5.0]]
    """
    n_rows = intensities.shape[0]
    key = np.multiply(group, n_rows, dtype=np.intp)
    key += row
    amount = np.bincount(key, weights=quantity, minlength=n_groups * n_rows)
    return amount.reshape(n_groups, n_rows) @ intensities


def line_results(row, quantity, intensities, out=None):
    """Emissions per line and module.

    Parameters
    ----------
    row : numpy.ndarray of int64
        Row of ``intensities`` for each line; every value valid (no -1).
    quantity : numpy.ndarray
        Quantity of each line in its row's declared unit. [declared unit]
    intensities : numpy.ndarray
        Shape (rows, modules). [kg CO₂e per declared unit]
    out : numpy.ndarray, optional
        Preallocated (lines, modules) buffer.

    Returns
    -------
    numpy.ndarray
        Shape (lines, modules). [kg CO₂e]

    Notes
    -----
    Works in blocks of :data:`BLOCK` lines so that gather and multiply happen
    while the block is in cache: about half the memory traffic of a
    whole-array gather followed by a whole-array multiply. The rows are
    checked once, then gathered straight into ``out`` (numpy's checking
    mode would gather into a temporary buffer and copy it).

    Raises
    ------
    IndexError
        When a row is outside ``intensities`` (negative rows count from the end).
    """
    n = len(row)
    if out is None:
        out = np.empty((n, intensities.shape[1]))
    rows = intensities.shape[0]
    if n and (row.min() < -rows or row.max() >= rows):
        raise IndexError(f"intensity rows must lie in [-{rows}, {rows})")
    for start in range(0, n, BLOCK):  # blocks of lines, not lines
        stop = min(start + BLOCK, n)
        block = out[start:stop]
        np.take(intensities, row[start:stop], axis=0, out=block, mode="wrap")  # in range: as is
        np.multiply(block, quantity[start:stop, None], out=block)
    return out
