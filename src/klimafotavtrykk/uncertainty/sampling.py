"""Sampling kernels: lognormal multipliers per factor, drawn in chunks, gathered, multiplied once.

Outputs linear in the factor multipliers are sampled as
``multipliers (samples × factors) @ contributions (factors × outputs)``;
:func:`sample_shared` lets several groups (alternatives, bids) share the
draws of the factors they share; :func:`fenton_wilkinson` turns a cell of
lines with their own quantity spreads into one lognormal.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from klimafotavtrykk.errors import InputError

__all__ = ["CHUNK_VALUES", "fenton_wilkinson", "sample_outputs", "sample_shared", "probability_lower"]

#: Largest number of multipliers drawn at once (samples × factors or cells): bounds memory.
CHUNK_VALUES = 1 << 20


def fenton_wilkinson(weight, sigma, cell, n_cells: int) -> tuple[np.ndarray, np.ndarray]:
    """One lognormal per cell for the weighted sum of its lines' lognormal multipliers.

    Each line ``l`` has a multiplier ``exp(sigma_l Z_l)`` (median 1) and a
    weight ``w_l`` (its quantity); a cell's relative multiplier
    ``sum(w_l m_l) / sum(w_l)`` is drawn as ``exp(mu + s Z)`` with the same
    mean and variance (Fenton-Wilkinson).

    Parameters
    ----------
    weight : numpy.ndarray
        Weight of each line, ≥ 0. [declared unit]
    sigma : numpy.ndarray
        Log-space standard deviation of each line's multiplier. [-]
    cell : numpy.ndarray of int
        Cell of each line, 0 .. n_cells-1.
    n_cells : int

    Returns
    -------
    mu, s : numpy.ndarray
        Log-space location and scale per cell. [-]

    References
    ----------
    .. [1] Fenton, L. F. (1960). The sum of log-normal probability
       distributions in scatter transmission systems. IRE Transactions on
       Communications Systems 8(1), 57-67.

    Examples
    --------
    One line: the cell is that line's own lognormal.

    >>> mu, s = fenton_wilkinson(np.array([2.0]), np.array([0.3]), np.array([0]), 1)
    >>> round(float(mu[0]), 12), round(float(s[0]), 12)
    (0.0, 0.3)
    """
    var = sigma * sigma
    mean_l = np.exp(var / 2.0)
    total = np.bincount(cell, weights=weight, minlength=n_cells)
    mean = np.bincount(cell, weights=weight * mean_l, minlength=n_cells)
    second = np.bincount(cell, weights=weight * weight * np.exp(var) * np.expm1(var), minlength=n_cells)
    with np.errstate(invalid="ignore", divide="ignore"):
        m = mean / total
        v = second / (total * total)
        s2 = np.log1p(v / (m * m))
    s2 = np.where(total > 0, s2, 0.0)
    mu = np.where(total > 0, np.log(np.where(total > 0, m, 1.0)) - s2 / 2.0, 0.0)
    return mu, np.sqrt(s2)


def sample_outputs(contributions, sigma, n: int, rng, *, constant=None, cell_factor=None,
                   cell_mu=None, cell_sigma=None, chunk_values: int = CHUNK_VALUES) -> np.ndarray:
    """Samples of outputs that are linear in lognormal factor multipliers.

    Parameters
    ----------
    contributions : numpy.ndarray
        Shape (rows, outputs): each factor's contribution to each output
        (with ``cell_factor``: each cell's). [kg CO2e]
    sigma : numpy.ndarray
        Log-space standard deviation of each factor's multiplier
        (``ln(gsd)``); shape (factors,). [-]
    n : int
        Number of samples.
    rng : numpy.random.Generator
        Draws: per chunk of samples, first the factors' standard normals
        (samples × factors), then the cells'.
    constant : numpy.ndarray, optional
        Added to every sample, shape (outputs,). [kg CO2e]
    cell_factor : numpy.ndarray of int, optional
        Factor of each row of ``contributions``: the rows are cells, each
        with its own lognormal quantity multiplier ``exp(cell_mu + cell_sigma Z)``.
    cell_mu, cell_sigma : numpy.ndarray, optional
        Per cell (:func:`fenton_wilkinson`). [-]
    chunk_values : int
        Largest number of draws held at once.

    Returns
    -------
    numpy.ndarray
        Shape (n, outputs). [kg CO2e]
    """
    contributions = np.asarray(contributions, dtype=float)
    sigma = np.asarray(sigma, dtype=float)
    k = len(sigma)
    out = np.empty((n, contributions.shape[1]))
    width = k + (0 if cell_factor is None else len(cell_factor))
    step = max(1, min(n, chunk_values // max(width, 1)))
    for start in range(0, n, step):  # chunks of samples, not lines
        stop = min(start + step, n)
        z = rng.standard_normal((stop - start, k))
        z *= sigma
        np.exp(z, out=z)
        if cell_factor is not None:
            q = rng.standard_normal((stop - start, len(cell_factor)))
            q *= cell_sigma
            q += cell_mu
            np.exp(q, out=q)
            q *= z[:, cell_factor]
            z = q
        np.matmul(z, contributions, out=out[start:stop])
    if constant is not None:
        out += constant
    return out


def probability_lower(a, b) -> np.ndarray:
    """Share of samples in which ``a`` is lower than ``b`` (a tie counts one half).

    Parameters
    ----------
    a, b : numpy.ndarray
        Samples, same shape (samples, ...); compared sample by sample.

    Returns
    -------
    numpy.ndarray or float
        Probability per trailing position. [-]

    Examples
    --------
    >>> probability_lower(np.array([1.0, 2.0, 3.0, 4.0]), np.array([2.0, 2.0, 2.0, 2.0]))
    0.375
    """
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    p = (a < b).mean(axis=0) + 0.5 * (a == b).mean(axis=0)
    return float(p) if np.ndim(p) == 0 else p


def sample_shared(groups, n: int, rng, *, chunk_values: int = CHUNK_VALUES) -> dict[str, np.ndarray]:
    """Samples of several outputs that share factors: one draw per distinct factor key.

    A factor key that two groups share (an alternative's concrete and the
    reference's, or two bids' generic steel) gets the same multiplier in
    both, sample by sample (common random numbers), so a difference between
    groups reflects only what differs.

    Parameters
    ----------
    groups : mapping of str to tuple
        Per group: ``(keys, sigma, contributions, constant)``: factor keys
        (str, one per row), log-space standard deviations [-], contributions
        of shape (rows, outputs) [kg CO2e] and a constant per output
        [kg CO2e]. A key must have the same sigma in every group.
    n : int
        Number of samples.
    rng : numpy.random.Generator
        Per chunk of samples, one standard normal per sample and distinct
        key, keys in order of first appearance.
    chunk_values : int
        Largest number of draws held at once.

    Returns
    -------
    dict of str to numpy.ndarray
        Per group, shape (n, outputs). [kg CO2e]

    Raises
    ------
    InputError
        When a key has different sigmas in two groups.
    """
    keys = [np.asarray(g[0], dtype=object) for g in groups.values()]
    sigmas = [np.asarray(g[1], dtype=float) for g in groups.values()]
    all_keys = np.concatenate(keys) if keys else np.empty(0, dtype=object)
    union = pd.Index(pd.unique(all_keys))
    sigma = np.full(len(union), np.nan)
    where = [union.get_indexer(k) for k in keys]
    for idx, sig in zip(where, sigmas, strict=True):  # a few groups
        clash = ~np.isnan(sigma[idx]) & ~np.isclose(sigma[idx], sig)
        if clash.any():
            raise InputError(f"factor {union[idx[clash][0]]!r} has two different spreads",
                             code="uncertainty.spread_clash")
        sigma[idx] = sig
    contributions = [np.asarray(g[2], dtype=float) for g in groups.values()]
    out = {name: np.empty((n, c.shape[1])) for name, c in zip(groups, contributions, strict=True)}
    step = max(1, min(n, chunk_values // max(len(union), 1)))
    for start in range(0, n, step):  # chunks of samples
        stop = min(start + step, n)
        z = rng.standard_normal((stop - start, len(union)))
        z *= sigma
        np.exp(z, out=z)
        for name, idx, c in zip(groups, where, contributions, strict=True):
            np.matmul(z[:, idx], c, out=out[name][start:stop])
    for name, group in groups.items():
        out[name] += np.asarray(group[3], dtype=float)
    return out
