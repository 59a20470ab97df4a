"""Which factor each bill-of-quantities line uses.

Three ways, tried in this order for each line:

1. ``factor_id``: the line names its factor (a user's own EPD, a bid's choice).
2. ``alias``: a regular expression in ``data/mappings/material_aliases.csv``
   matches the line's description (``"Plasstøpt betong B30"`` -> C30/37);
   the highest priority wins.
3. ``item_code``: the longest prefix in ``data/mappings/ns3420.csv`` of the
   line's NS 3420 item code.

Work is done per distinct description and per distinct code, never per line.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from klimafotavtrykk._data import data_path
from klimafotavtrykk._frames import clean_text
from klimafotavtrykk.errors import DataError

__all__ = ["Mappings", "load_mappings", "match_factors", "MatchResult"]


@dataclass(frozen=True, eq=False)
class Mappings:
    """Reviewable mapping tables.

    Attributes
    ----------
    aliases : pandas.DataFrame
        ``pattern``, ``factor_id``, ``priority``, sorted by priority (highest first).
    item_codes : pandas.DataFrame
        ``item_code_prefix``, ``factor_id``, sorted by prefix length (longest first).
    """

    aliases: pd.DataFrame
    item_codes: pd.DataFrame


@dataclass(frozen=True, eq=False)
class MatchResult:
    """Factor row per line.

    Attributes
    ----------
    factor_idx : numpy.ndarray of int64
        Row in the factor table; -1 where unmatched.
    method : numpy.ndarray of object
        ``"factor_id"``, ``"alias"``, ``"item_code"`` or None.
    reason : numpy.ndarray of object
        ``"unknown_factor"`` or ``"no_factor"`` where unmatched, else None.
    detail : numpy.ndarray of object
        The factor id asked for, the alias pattern or the code prefix that matched.
    """

    factor_idx: np.ndarray
    method: np.ndarray
    reason: np.ndarray
    detail: np.ndarray


@functools.cache
def load_mappings() -> Mappings:
    """The shipped mapping tables: ``data/mappings/material_aliases*.csv`` and ``ns3420*.csv``."""
    folder = data_path("mappings")
    alias_paths = sorted(folder.glob("material_aliases*.csv"))
    code_paths = sorted(folder.glob("ns3420*.csv"))
    aliases = pd.concat([pd.read_csv(p, dtype=str, keep_default_na=False) for p in alias_paths],
                        ignore_index=True)
    codes = pd.concat([pd.read_csv(p, dtype=str, keep_default_na=False) for p in code_paths],
                      ignore_index=True)
    names = (", ".join(p.name for p in alias_paths), ", ".join(p.name for p in code_paths))
    return mappings_from_frames(aliases, codes, names=names)


def mappings_from_frames(aliases: pd.DataFrame, item_codes: pd.DataFrame,
                         names: tuple[str, str] = ("aliases", "item codes")) -> Mappings:
    """Validate mapping frames (``pattern, factor_id, priority`` and ``item_code_prefix, factor_id``)."""
    for frame, columns, name in ((aliases, ("pattern", "factor_id", "priority"), names[0]),
                                 (item_codes, ("item_code_prefix", "factor_id"), names[1])):
        missing = [c for c in columns if c not in frame.columns]
        if missing:
            raise DataError(f"missing columns {missing}", file=name)
    aliases = aliases.assign(priority=pd.to_numeric(aliases["priority"], errors="coerce"))
    if aliases["priority"].isna().any():
        raise DataError("priority must be a number", file=names[0],
                        row=int(np.flatnonzero(aliases["priority"].isna())[0]) + 2)
    for i, pattern in enumerate(aliases["pattern"]):  # data rows, not line items
        try:
            re.compile(pattern)
        except re.error as exc:
            raise DataError(f"pattern {pattern!r} does not compile: {exc}", file=names[0], row=i + 2) from None
    aliases = aliases.sort_values("priority", ascending=False, kind="stable").reset_index(drop=True)
    item_codes = item_codes.assign(item_code_prefix=item_codes["item_code_prefix"].str.strip().str.upper())
    order = item_codes["item_code_prefix"].str.len().sort_values(ascending=False, kind="stable").index
    return Mappings(aliases=aliases, item_codes=item_codes.loc[order].reset_index(drop=True))


def match_factors(lines: pd.DataFrame, factor_ids: pd.Index, mappings: Mappings | None = None
                  ) -> MatchResult:
    """Find the factor row of every line.

    Parameters
    ----------
    lines : pandas.DataFrame
        With ``factor_id``, ``description`` and ``item_code`` columns (any may be empty).
    factor_ids : pandas.Index
        Ids of the factor table, in row order.
    mappings : Mappings, optional
        Defaults to the shipped tables.

    Returns
    -------
    MatchResult
    """
    mappings = mappings or load_mappings()
    n = len(lines)
    factor_idx = np.full(n, -1, dtype=np.int64)
    method = np.full(n, None, dtype=object)
    detail = np.full(n, None, dtype=object)

    explicit = _text(lines, "factor_id")
    has_explicit = explicit.notna().to_numpy()
    if has_explicit.any():
        codes, uniques = pd.factorize(explicit[has_explicit])
        found = factor_ids.get_indexer(pd.Index(uniques, dtype=object))[codes]
        factor_idx[has_explicit] = found
        method[has_explicit] = "factor_id"
        detail[has_explicit] = explicit[has_explicit].to_numpy(dtype=object)

    todo = ~has_explicit
    for column, resolver in (("description", _by_alias), ("item_code", _by_code)):
        if not todo.any():
            break
        values = _text(lines, column)[todo]
        codes, uniques = pd.factorize(values)  # -1 for missing text
        if len(uniques) == 0:
            continue
        idx_u, detail_u = resolver(pd.Series(uniques, dtype=object), factor_ids, mappings)
        idx_u = np.append(idx_u, -1)       # code -1 -> no match
        detail_u = np.append(detail_u, None)
        hit_idx = idx_u[codes]
        rows = np.flatnonzero(todo)
        hit = hit_idx >= 0
        factor_idx[rows[hit]] = hit_idx[hit]
        method[rows[hit]] = "alias" if column == "description" else "item_code"
        detail[rows[hit]] = detail_u[codes][hit]
        todo[rows[hit]] = False

    reason = np.full(n, None, dtype=object)
    reason[(factor_idx < 0) & has_explicit] = "unknown_factor"
    reason[(factor_idx < 0) & ~has_explicit] = "no_factor"
    return MatchResult(factor_idx=factor_idx, method=method, reason=reason, detail=detail)


def _text(lines: pd.DataFrame, column: str) -> pd.Series:
    """A text column with blanks as missing; an absent column is all missing."""
    if column not in lines.columns:
        return pd.Series(np.full(len(lines), None, dtype=object), index=lines.index, dtype=object)
    return clean_text(lines[column])


def _by_alias(descriptions: pd.Series, factor_ids: pd.Index, mappings: Mappings):
    """Factor row and matching pattern per distinct description (highest priority first)."""
    idx = np.full(len(descriptions), -1, dtype=np.int64)
    detail = np.full(len(descriptions), None, dtype=object)
    open_ = np.ones(len(descriptions), dtype=bool)
    targets = factor_ids.get_indexer(pd.Index(mappings.aliases["factor_id"], dtype=object))
    flat = descriptions.str.replace(r"\s+", " ", regex=True)  # multi-line cell texts read as one line
    for pattern, target in zip(mappings.aliases["pattern"], targets, strict=True):
        if target < 0 or not open_.any():
            continue  # mapping to a factor this table does not have
        hit = open_ & flat.str.contains(pattern, case=False, regex=True).to_numpy(dtype=bool)
        idx[hit] = target
        detail[hit] = pattern
        open_ &= ~hit
    return idx, detail


def _by_code(codes: pd.Series, factor_ids: pd.Index, mappings: Mappings):
    """Factor row and matching prefix per distinct item code (longest prefix first)."""
    idx = np.full(len(codes), -1, dtype=np.int64)
    detail = np.full(len(codes), None, dtype=object)
    open_ = np.ones(len(codes), dtype=bool)
    upper = codes.str.strip().str.upper()
    targets = factor_ids.get_indexer(pd.Index(mappings.item_codes["factor_id"], dtype=object))
    for prefix, target in zip(mappings.item_codes["item_code_prefix"], targets, strict=True):
        if target < 0 or not open_.any():
            continue
        hit = open_ & upper.str.startswith(prefix).to_numpy(dtype=bool)
        idx[hit] = target
        detail[hit] = prefix
        open_ &= ~hit
    return idx, detail
