"""Why a line is not computed, which building parts count, and what the factors declare.

Per line, the first reason that applies (a fixed order, see
:data:`~klimafotavtrykk.vocabulary.REASONS`), coded once; per distinct building part, its
scope and two-digit group; per factor row, the modules it declares (coverage). Everything
is worked per distinct value or per factor row and gathered per line once.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from klimafotavtrykk._frames import by_code, text_code_parts
from klimafotavtrykk._string_storage import one_object
from klimafotavtrykk.assemblies import refuse_incomplete
from klimafotavtrykk.factors import FactorTable
from klimafotavtrykk.lifecycle.lines import any_layer
from klimafotavtrykk.profiles import Profile
from klimafotavtrykk.vocabulary import (
    MODULE_INDEX,
)

if TYPE_CHECKING:
    from klimafotavtrykk.assessment.calculation import _Rows


def _reason_masks(reason: np.ndarray):
    """A function giving, for a reason name, the lines whose ``reason`` is that name.

    The lines with a reason are coded once (most lines have none); each name
    is then compared on the codes.
    """
    if one_object(reason) and reason[0] is None:  # every line found its factor: no reason
        given = np.empty(0, dtype=np.intp)
    else:
        given = np.flatnonzero(pd.notna(reason))
    codes, names = pd.factorize(reason[given])

    def said(name: str) -> np.ndarray:
        out = np.zeros(len(reason), dtype=bool)
        out[given] = (names == name)[codes]
        return out

    return said


def _reasons(*rules) -> tuple[np.ndarray, np.ndarray]:
    """First reason that applies to each line, in the order given; None where none does.

    Returns the names (None first, then each rule's) and, per line, the number of its first
    rule (0: none, it computes): ``names[first]`` is the reason of each line. The caller
    makes that object array only for the lines it needs it for.
    """
    n = len(rules[0][0])
    first = np.zeros(n, dtype=np.int8)  # 0: no reason; k: rules[k - 1]
    for k in range(len(rules), 0, -1):  # a dozen rules, last first: the first rule wins
        mask = np.asarray(rules[k - 1][0], dtype=bool)
        if mask.any():  # most rules apply to no line: asked once, not written line by line
            first[mask] = k
    names = np.array([None, *(name for _, name in rules)], dtype=object)
    return names, first


@dataclass(frozen=True)
class Computed:
    """Which lines compute, and why the others do not.

    Attributes
    ----------
    ok : numpy.ndarray of bool
        Per line: it computes.
    every : bool
        Every line computes.
    names : numpy.ndarray of object
        None, then each rule's reason, in the order :func:`_reasons` was given them.
    first_rule : numpy.ndarray of int8
        Per line, its first rule that applies (0: none).
    reason : numpy.ndarray of object or None
        Per line, its reason where a build-up refused layers that would compute alone
        (:func:`~klimafotavtrykk.assemblies.refuse_incomplete`); else None, and the reason of
        a line is ``names[first_rule]``.
    """

    ok: np.ndarray
    every: bool
    names: np.ndarray
    first_rule: np.ndarray
    reason: np.ndarray | None

    def of(self, values: np.ndarray) -> np.ndarray:
        """``values`` of the computed lines; the array itself (only read from then on) when all are."""
        return values if self.every else values[self.ok]

    def why(self) -> np.ndarray:
        """The reason of each line that does not compute, in line order."""
        return (self.names[self.first_rule[~self.ok]] if self.reason is None
                else self.reason[~self.ok])


def computed_lines(rules, layer_line: np.ndarray) -> Computed:
    """Which lines compute: none of ``rules`` applies, and no layer of its build-up fails.

    Parameters
    ----------
    rules : sequence of (numpy.ndarray of bool, str)
        A mask per line and its reason, in the order of
        :data:`~klimafotavtrykk.vocabulary.REASONS`: the first that applies is the line's.
    layer_line : numpy.ndarray of int64
        The build-up line of each row; -1 for a plain line. A build-up computes all its
        layers or none.

    Returns
    -------
    Computed
    """
    names, first_rule = _reasons(*rules)
    ok = first_rule == 0
    reason = None  # the reason per line, made where needed (one object per line costs a pass)
    if any_layer(layer_line):  # a build-up: all its layers compute, or none does
        reason = refuse_incomplete(names[first_rule], layer_line)
        ok = pd.isna(reason)  # reason is None or a name
    return Computed(ok=ok, every=bool(ok.all()), names=names, first_rule=first_rule,
                    reason=reason)


@dataclass(frozen=True)
class PartKeys:
    """Each line's NS 3451 building part, worked per key and gathered per line once.

    Attributes
    ----------
    keys : numpy.ndarray of int
        Key of each line (:func:`~klimafotavtrykk._frames.text_code_parts`); -1 a missing
        raw value.
    key_codes : numpy.ndarray of int64
        Code of each key into ``names``; -1 where its text is blank.
    names : numpy.ndarray of object
        The distinct parts, as text.
    has_part : numpy.ndarray of bool
        Per line: it names a part.
    in_scope : numpy.ndarray of bool
        Per line: its part counts under the profile (every line where the profile names
        no parts).
    """

    keys: np.ndarray
    key_codes: np.ndarray
    names: np.ndarray
    has_part: np.ndarray
    in_scope: np.ndarray

    def groups(self, computed: Computed) -> tuple[np.ndarray, np.ndarray]:
        """Two-digit group of each computed line, and the groups ("" for lines without a part)."""
        if computed.every:  # each distinct part is some line's; "" is used where one has none
            key_group, groups = _two_digit_groups(np.append(self.key_codes, -1), self.names,
                                                  some_without=not bool(self.has_part.all()))
            return key_group[self.keys], groups  # a key -1 reads the last: the group of no part
        return _two_digit_groups(np.append(self.key_codes, -1)[self.keys][computed.ok],
                                 self.names)


def part_keys(column: pd.Series, profile: Profile) -> PartKeys:
    """Code the lines' building parts once per key, and find each key's scope under ``profile``.

    Parameters
    ----------
    column : pandas.Series
        ``building_part`` of each line.
    profile : Profile

    Returns
    -------
    PartKeys
    """
    keys, key_codes, names = text_code_parts(column)
    in_scope, has_part = _part_scope(key_codes, names, profile)  # per key
    # a key -1 is a line without a part; most bills: every line has one, every part in scope
    return PartKeys(keys=keys, key_codes=key_codes, names=names,
                    has_part=by_code(has_part, keys, False),
                    in_scope=(by_code(in_scope, keys, False) if profile.building_parts
                              else np.broadcast_to(True, keys.shape)))


def _part_scope(codes: np.ndarray, parts: np.ndarray, profile: Profile
                ) -> tuple[np.ndarray, np.ndarray]:
    """Per line: whether its NS 3451 part counts under the profile, and whether it has one.

    ``codes`` and ``parts`` are :func:`~klimafotavtrykk._frames.text_codes` of the parts (or
    the codes per key of :func:`~klimafotavtrykk._frames.text_code_parts`: per key, then).
    """
    distinct = pd.Series(parts, dtype=object)
    has = np.append(np.ones(len(distinct), dtype=bool), False)[codes]
    if not profile.building_parts:
        return np.ones(len(codes), dtype=bool), has
    prefixes = tuple(profile.building_parts)  # a handful of profile codes, any of them
    inside = np.fromiter((p.startswith(prefixes) for p in distinct), dtype=bool,
                         count=len(distinct))  # the distinct parts (text), not the lines
    return np.append(inside, False)[codes], has


def _two_digit_groups(codes: np.ndarray, parts: np.ndarray, some_without: bool | None = None
                      ) -> tuple[np.ndarray, np.ndarray]:
    """Group of each line by NS 3451 two-digit part, and the sorted parts ("" for none).

    Works on the distinct parts: only the two-digit parts some line uses are groups.
    ``some_without``, where the caller knows that every part in ``parts`` is some line's
    (``codes`` are all the lines ``parts`` was coded from), says whether a line has no part
    (code -1); the lines are then not counted per part. None: they are.
    """
    if all(type(p) is str for p in parts):  # text_codes' texts: a few, sliced in a loop
        two = np.array([*(p[:2] for p in parts), ""], dtype=object)
    else:
        two = np.append(pd.Series(parts, dtype=object).str.slice(0, 2).to_numpy(dtype=object), "")
    labels, label_of = np.unique(two.astype(object), return_inverse=True)
    # which labels the lines use, counted per part code (code -1 is the trailing "" slot)
    if some_without is None:
        per_code = np.bincount(codes + 1, minlength=len(two))
    else:  # slot 0 is code -1; every part is used
        per_code = np.append(int(some_without), np.ones(len(two) - 1, dtype=np.int64))
    code_of_slot = np.append(len(two) - 1, np.arange(len(two) - 1))  # slot 0 is code -1
    used = np.bincount(label_of[code_of_slot], weights=per_code, minlength=len(labels)) > 0
    group_of_code = (np.cumsum(used) - 1)[label_of].astype(np.int64)
    return group_of_code[codes], labels[used]  # code -1 reads the trailing ""


def _coverage(table: FactorTable, rows: _Rows, line_row: np.ndarray, profile: Profile) -> pd.Series:
    """Share of computed lines whose factor declares each in-scope module."""
    declared = ~np.isnan(table.modules[rows.factor])
    declared[:, MODULE_INDEX["A4"]] = ~np.isnan(rows.a4)
    declared[:, MODULE_INDEX["A5"]] |= ~np.isnan(rows.waste_rate)
    declared[:, MODULE_INDEX["B4"]] = ~np.isnan(table.service_life[rows.factor])
    modules = [m for m in profile.modules if m != "B6"]  # B6 is project-level energy use
    if len(line_row) == 0:
        return pd.Series(np.nan, index=pd.Index(modules, name="module"), name="coverage")
    lines_per_row = np.bincount(line_row, minlength=len(declared)).astype(float)
    share = (lines_per_row @ declared) / len(line_row)  # counts of whole lines: exact sums
    coverage = pd.Series(share[[MODULE_INDEX[m] for m in modules]], index=pd.Index(modules, name="module"),
                         name="coverage")
    coverage.attrs["undeclared_factors"] = _undeclared_factors(table, rows, declared,
                                                               lines_per_row, modules)
    return coverage


def _undeclared_factors(table: FactorTable, rows: _Rows, declared: np.ndarray,
                        lines_per_row: np.ndarray, modules: list[str]) -> dict[str, list[str]]:
    """Factor ids whose computed lines leave each in-scope module undeclared.

    Per module the ids are ordered by their number of lines (most first, then by id), so a
    warning can name where the data are missing. Works per scenario row, not per line.
    """
    lines_per_factor_missing = {}
    for module in modules:  # a handful of modules over the rows, never over the lines
        missing = ~declared[:, MODULE_INDEX[module]] & (lines_per_row > 0)
        if not missing.any():
            continue
        counts = np.bincount(rows.factor[missing], weights=lines_per_row[missing],
                             minlength=len(table))
        used = np.flatnonzero(counts)
        ids = np.asarray(table.ids, dtype=object)[used]
        order = np.lexsort((ids.astype(str), -counts[used]))
        lines_per_factor_missing[module] = [str(i) for i in ids[order]]
    return lines_per_factor_missing
