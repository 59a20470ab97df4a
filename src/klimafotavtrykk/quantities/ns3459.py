"""Bills of quantities in NS 3459:2012 XML (price requests and priced offers).

NS 3459 is the Norwegian exchange format for descriptions, price requests,
priced offers and settlements between description and estimating software
[1]_. This reader takes a ``Prisforesporsel`` (price request) or a
``Pristilbud`` (priced offer) in the namespace :data:`NAMESPACE` and returns
the same ``(items, meta)`` pair as the Excel reader: one line per ``Post``,
every line traceable to its post number, nothing dropped silently.

The file is streamed through :mod:`defusedxml` (DTDs, entity declarations and
external references refused) by :mod:`klimafotavtrykk.quantities._ns3459_xml`,
with its size, element count and nesting capped (:class:`Ns3459Limits`). Element
names and the option rule are documented in ``docs/ns3459.md``.

References
----------
.. [1] Standard Norge, *Digital prisforespørsel – NS 3459*,
   https://standard.no/fagomrader/ns-3420-/ns-3459/ (accessed 2025).
"""

from __future__ import annotations

import itertools
import operator
import os
import re
import warnings
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from klimafotavtrykk.errors import DataQualityWarning, InputError, user_stacklevel
from klimafotavtrykk.gc_pause import collector_paused
from klimafotavtrykk.quantities._ns3459_xml import (
    DOCUMENT_TYPES,
    NAMESPACE,
    Ns3459Limits,
    as_limits,
    parse_ns3459,
)
from klimafotavtrykk.vocabulary import LINE_COLUMNS

__all__ = [
    "NAMESPACE", "DOCUMENT_TYPES", "BASE_CONTRACT_NAMES", "BUILDING_PART_LEVELS", "Ns3459Limits",
    "Ns3459Metadata", "read_ns3459",
]  # fmt: skip

#: Edition whose structure this reader was written for.
SUPPORTED_VERSION = "2012"

# xs:decimal as NS 3459 writes it: "." as decimal separator, no exponent, no grouping.
_DECIMAL = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)")
# The characters of decimals written with ASCII digits: no space, exponent, "_", inf or nan.
_DECIMAL_CHARACTERS = re.compile(r"[0-9.+-]*")
# Parts are checked against Mengde to half a unit in the 6th decimal, the finest
# quantity NS 3459:2012 allows (standard.no NS 3459 page: "maksimale antall
# desimaler for mengder er 6"), plus float round-off.
_PARTS_ATOL = 5e-7
_PARTS_RTOL = 1e-9
_NUMERIC_COLUMNS = ("quantity", "transport_km", "waste_rate")
# Share of a read's progress [%] when the XML is parsed, and at the end (the typing after it).
_PARSED, _DONE = 90, 100

#: ``Delmengde`` names that mark the base contract, compared without case and
#: with runs of spaces as one. ISY programs name it "Hovedprosjekt" (ID 1);
#: evidence and the rule in ``docs/ns3459.md``.
BASE_CONTRACT_NAMES = ("Hovedprosjekt",)
#: Names the header's ``Postnrplan`` gives the post-number levels that hold
#: NS 3451 building parts (``PostnrdelType/Navn``), compared like the above.
BUILDING_PART_LEVELS = ("Bygningsdel", "Under bygningsdel")
# NS 3451 codes as they look: first digit 2-7 (0, 1, 8 and 9 are not used at
# the first level), then one digit; a third digit 1-9 (no third-level code ends
# in 0). Source: the NS 3451:2009 code set as published in bSDD
# (github.com/buildingsmart-norway/ns3451-bsdd-MLG, ns3451-skos.ttl).
_NS3451_2 = r"[2-7][0-9]"
_NS3451_3 = r"[2-7][0-9][1-9]"
_NS3451_3_GENERAL = r"[2-7][0-9]0"  # 300, 360: "... generelt" -> its 2-digit part
# A chapter numbered 0x or 1x (Generelt, Diverse ytelser, Rigg og drift,
# Regningsarbeider ...): its posts are general items, not building parts.
_GENERAL_CHAPTER = r"[01][0-9]*"


@dataclass(frozen=True, eq=False)
class Ns3459Metadata:
    """What the NS 3459 reader found and did; shaped like the Excel reader's metadata.

    Attributes
    ----------
    file : str
        File name as given (no directory).
    sheet : None
        Always None (XML has no sheets).
    sha256 : str
        SHA-256 of the bytes read, for the audit trail.
    root : str
        ``"Prisforesporsel"`` or ``"Pristilbud"``.
    version : str or None
        ``Versjon`` attribute as written (``"2012"``).
    option_rule : str
        ``"main"``, ``"all"`` or ``"main+<id>,<id>..."``: which Delmengde parts
        the ``quantity`` column counts, as applied (``"all"`` when ``"main"``
        was asked for in a file whose parts name no base contract).
    base_contract : str
        How the base contract was found: ``"named"`` (parts named as in
        :data:`BASE_CONTRACT_NAMES`), ``"not_named"`` (the file has parts but
        none is so named; warning ``no_base_contract``) or ``"no_parts"``.
    base_part_ids : tuple of str
        ``ID`` of the parts read as base contract (``("1",)`` in ISY files).
    building_part_levels : tuple of str
        ``PostnrdelType/Type`` of the header levels named as in
        :data:`BUILDING_PART_LEVELS` (``("Type2", "Type3")``); empty when the
        plan names none (warning ``no_building_part_level``).
    options : pandas.DataFrame
        One row per ``Delmengde``: ``row_id``, ``source_ref``, ``post_number``,
        ``part_id`` (its ``ID``), ``option_id`` (the id to choose it by: ``ID``,
        else its name; None for a base-contract part), ``option_name`` (its
        ``Tekst``), ``quantity`` (in the post's unit), ``is_option``, ``included``.
    prices : pandas.DataFrame
        One row per post: ``row_id``, ``source_ref``, ``post_number``,
        ``quantity_rule`` (Mengderegel), ``quantity_written`` (Mengde as
        written), ``unit_price`` [currency per unit], ``sum`` [currency].
    skipped : pandas.DataFrame
        ``source_ref``, ``reason``, ``detail``; posts are never skipped, so
        this is empty unless a later version adds reasons.
    cells : pandas.DataFrame
        Per-element findings: ``source_ref``, ``kind``, ``found``, ``detail``
        (the element path, e.g. ``Prisinfo/Mengde``).
    warnings : list of str
        File-level findings, each starting with its code (``zero_prices: ...``).
    header_map, header_row, hidden_sheets
        Empty: kept so that callers can treat Excel and XML metadata alike.
    """

    file: str
    sha256: str
    root: str
    version: str | None
    option_rule: str
    base_contract: str
    base_part_ids: tuple[str, ...]
    building_part_levels: tuple[str, ...]
    options: pd.DataFrame
    prices: pd.DataFrame
    skipped: pd.DataFrame
    cells: pd.DataFrame
    warnings: list[str]
    sheet: None = None
    header_map: dict[str, str] = field(default_factory=dict)
    header_row: None = None
    hidden_sheets: tuple[str, ...] = ()


# ----------------------------------------------------------- layer-1 helpers
def _parse_decimals(values) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Parse NS 3459 decimals ("." separator); nothing else is coerced.

    Returns
    -------
    numbers : ndarray of float64
        The values, NaN where missing or not a number.
    missing, bad : ndarray of bool
        Empty or absent; present but not a decimal.
    """
    raw = np.asarray(values, dtype=object).reshape(-1)
    missing = pd.isna(raw) | (raw == "")
    numbers = np.full(len(raw), np.nan)
    present = raw[~missing]
    parsed = None
    if _DECIMAL_CHARACTERS.fullmatch("".join(present.tolist())):  # the usual case, at C speed:
        # over these characters float() reads exactly the texts _DECIMAL matches
        try:
            parsed = present.astype(float)
        except ValueError:
            parsed = None
    if parsed is not None:
        ok = np.ones(len(present), dtype=bool)
        numbers[~missing] = parsed
    else:
        present = pd.Series(present, dtype=object)
        ok = present.str.fullmatch(_DECIMAL).to_numpy(dtype=bool, na_value=False)
        numbers[np.flatnonzero(~missing)[ok]] = present[ok].astype(float).to_numpy()
    bad = np.zeros(len(raw), dtype=bool)
    bad[np.flatnonzero(~missing)[~ok]] = True
    return numbers, missing, bad


def _prefix_posts(numbers: np.ndarray, todo: np.ndarray) -> np.ndarray:
    """For each post in ``todo``, the post whose number is the longest proper prefix of its own.

    A proper prefix ends before one of the number's dots (``01.12`` and ``01``
    for ``01.12.2``); a prefix matches the first post with that number, empty
    numbers match nothing. A number with ``k`` dots can only equal a prefix with
    ``k`` dots, so only the dot counts that post numbers have are tried, most
    first, each prefix cut out at C speed (:meth:`str.rsplit`); a file whose
    posts all have as many dots tries none.

    Parameters
    ----------
    numbers : ndarray of str
        Post number of every post, ``""`` where it has none.
    todo : ndarray of int64
        The posts to look up.

    Returns
    -------
    ndarray of int64
        Per post in ``todo``, the index of that post, -1 where there is none.
    """
    found = np.full(len(todo), -1, dtype=np.int64)
    dots = np.fromiter(
        map(str.count, numbers, itertools.repeat(".")), dtype=np.int64, count=len(numbers)
    )
    own = dots[todo]
    most = own.max() if len(todo) else 0
    candidate = (numbers != "") & (dots < most)
    if not candidate.any():
        return found
    first = pd.Series(numbers[candidate], index=np.flatnonzero(candidate), dtype=object)
    first = first.drop_duplicates()
    index = pd.Index(first.to_numpy(dtype=object), dtype=object)
    for depth in np.unique(dots[candidate])[::-1]:  # the longest prefix first
        left = np.flatnonzero((found < 0) & (own > depth))
        cuts = (own[left] - depth).tolist()  # how many levels to cut off each number
        pieces = map(str.rsplit, numbers[todo[left]], itertools.repeat("."), cuts)
        prefix = np.fromiter(map(operator.itemgetter(0), pieces), dtype=object, count=len(left))
        at = index.get_indexer(prefix)
        hit = at >= 0
        found[left[hit]] = first.index.to_numpy()[at[hit]]
    return found


def _inherit_codes(post_numbers, codes, parent) -> tuple[np.ndarray, np.ndarray]:
    """Give each post without ``Kode`` the code of its nearest coded parent post.

    The parent is the enclosing ``Post`` element; a post that no ``Post``
    encloses takes the post whose number is its longest proper prefix
    (``01.12`` for ``01.12.2``, :func:`_prefix_posts`). The chain is followed
    upwards until a post with a code (at most as many steps as there are posts,
    so a loop of posts without codes ends uncoded). Returns the resolved codes
    and, per post, the index of the post the code came from (-1: own code or none).

    Vectorised: the chains are followed by pointer doubling, coded posts standing
    still, until no step moves any further.
    """
    numbers = pd.Series(post_numbers, dtype=object).fillna("").to_numpy(dtype=object)
    codes = np.asarray(codes, dtype=object)
    n = len(codes)
    coded = ~pd.isna(codes)
    parent = np.asarray(parent, dtype=np.int64)
    up = np.where(coded, np.arange(n), parent)  # coded posts stand still
    todo = np.flatnonzero(~coded & (parent < 0))
    up[todo] = _prefix_posts(numbers, todo)
    # follow the chains: n stands for "no parent"
    step = np.append(np.where(up < 0, n, up), n)
    start = step[:n].copy()
    start[coded] = n  # a coded post keeps its own code
    for _ in range(max(n, 1).bit_length()):
        further = step[step]
        if np.array_equal(further, step):  # every chain at its end (at once in a flat file)
            break
        step = further
    end = step[start]
    got = end < n
    got[got] = coded[end[got]]
    resolved = codes.copy()
    resolved[got] = codes[end[got]]
    return resolved, np.where(got, end, -1)


def _option_rule(options) -> tuple[str, tuple[str, ...] | None]:
    """Validate ``options``; return the rule text and the chosen ids (None = all parts)."""
    if isinstance(options, str):
        if options in ("main", "all"):
            return options, (None if options == "all" else ())
        raise InputError(
            f"unknown option rule {options!r}", expected="'main', 'all' or a list of option ids",
            found=options, code="bad_options",
        )  # fmt: skip
    if not isinstance(options, Iterable) or isinstance(options, bytes | Mapping):
        raise InputError(
            "options must be 'main', 'all' or a list of option ids",
            expected="'main', 'all' or a list of option ids", found=repr(options),
            code="bad_options",
        )  # fmt: skip
    chosen = []
    for item in options:
        if isinstance(item, bool) or not isinstance(item, str | int):
            raise InputError(
                "option ids must be text", expected="str", found=repr(item), code="bad_options"
            )
        text = str(item).strip()
        if text not in chosen:
            chosen.append(text)
    return ("main+" + ",".join(chosen) if chosen else "main"), tuple(chosen)


def _or_none(values) -> np.ndarray:
    """Texts as an object array, None where absent or empty (``text or None``)."""
    out = np.array(values, dtype=object)
    out[out == ""] = None
    return out


def _first_given(first, second) -> np.ndarray:
    """Per post the text ``first`` gives, else the text ``second`` gives; None where neither does.

    A text is given when present and not empty (:func:`_or_none`); ``second`` is
    looked at only when it gives any text.
    """
    given = _or_none(first)
    missing = pd.isna(given)
    if missing.any() and any(second):
        given = np.where(missing, _or_none(second), given)
    return given


def _text_series(values) -> pd.Series:
    return pd.Series(values, dtype=object)


def _option_quantities(written, owner, part_qty, included):
    """Quantity per post under an option rule, and where the parts disagree with Mengde.

    Parameters
    ----------
    written : ndarray of float64
        ``Mengde`` per post, as written. [post unit]
    owner : ndarray of int64
        Post index of each ``Delmengde``.
    part_qty : ndarray of float64
        Quantity of each part. [post unit]
    included : ndarray of bool
        Whether the rule counts the part.

    Returns
    -------
    quantity : ndarray of float64
        ``Mengde`` minus the parts left out (NaN if a left-out part has none).
    parts_sum : ndarray of float64
        Sum of all parts per post (0 for posts without parts).
    mismatch : ndarray of bool
        Posts with parts that do not add up to ``Mengde``.
    """
    n = len(written)
    left_out = ~included
    quantity = written - np.bincount(owner[left_out], weights=part_qty[left_out], minlength=n)
    parts_sum = np.bincount(owner, weights=part_qty, minlength=n)
    has_parts = np.bincount(owner, minlength=n) > 0
    checkable = has_parts & ~np.isnan(parts_sum) & ~np.isnan(written)
    close = np.isclose(parts_sum, written, rtol=_PARTS_RTOL, atol=_PARTS_ATOL)
    return quantity, parts_sum, checkable & ~close


def _folded_distinct(values) -> tuple[np.ndarray, np.ndarray]:
    """Each text's number and the distinct texts folded (see :func:`_folded`); None reads as ``""``."""
    number, distinct = pd.factorize(pd.Series(values, dtype=object).fillna("").to_numpy(dtype=object))
    folded = pd.Series(distinct, dtype=object).str.split().str.join(" ").str.casefold()
    return number, folded.to_numpy(dtype=object)


def _folded(values) -> pd.Series:
    """Text compared without case, surrounding space or repeated inner space; each distinct once."""
    number, folded = _folded_distinct(values)
    return pd.Series(folded[number], dtype=object)


def _base_parts(part_id: pd.Series, part_name: pd.Series) -> np.ndarray:
    """Which ``Delmengde`` parts are the base contract.

    A part is the base contract when its name is one of
    :data:`BASE_CONTRACT_NAMES`, or when it has no name and its ``ID`` is the
    ``ID`` of a part so named elsewhere in the file. Each distinct name is folded
    and compared once.
    """
    number, folded = _folded_distinct(part_name)
    base_names = [n.casefold() for n in BASE_CONTRACT_NAMES]
    named = pd.Series(folded, dtype=object).isin(base_names).to_numpy(dtype=bool)[number]
    base_ids = set(part_id[named].dropna())
    same_id = part_id.isin(base_ids).to_numpy(dtype=bool) & (folded == "")[number]
    return named | same_id


def _fullmatch(values: pd.Series, pattern: str) -> np.ndarray:
    """Whether each text matches ``pattern`` in full; each distinct text is tested once."""
    codes, uniques = pd.factorize(values)  # missing values get code -1 ...
    hits = pd.Series(uniques, dtype=object).str.fullmatch(pattern).to_numpy(dtype=bool)
    return np.append(hits, False)[codes]  # ... and -1 picks the appended False


def _factorized(values) -> tuple[np.ndarray, np.ndarray]:
    """Texts as integers and the distinct texts: ``values == distinct[number]``, -1 for None.

    ``values`` is a sequence of str or None, or a :class:`pandas.Categorical`
    (taken as it is, its categories unique and without None).
    """
    if isinstance(values, pd.Categorical):  # numbers as small as the categories allow
        return values.codes, np.asarray(values.categories, dtype=object)
    number, distinct = pd.factorize(np.asarray(values, dtype=object))
    return number, np.asarray(distinct, dtype=object)


def _firsts(grouped: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each distinct value of a sorted array, and where it first occurs (``np.unique`` without sorting)."""
    at = np.flatnonzero(np.r_[True, grouped[1:] != grouped[:-1]]) if len(grouped) else grouped
    return grouped[at], at


def _building_parts(level_type, level_name, pnr_owner, pnr_type, pnr_code, n):
    """NS 3451 building part of each post from its post number and the header's level names.

    The levels the header names as in :data:`BUILDING_PART_LEVELS` are read
    in the order the post writes them. The first one present gives the part:
    a 2-digit NS 3451 code as is, a 3-digit one as is, or its 2-digit part
    when it ends in 0 (``300``, ``360``: "generelt"). A 2-digit part is
    refined by the first later level holding a 3-digit code that extends it
    (``36`` then ``362``); other codes on later levels are ignored. No part
    when the first level's code is not an NS 3451 code, or when a level
    above it is a general chapter (numbered ``0x`` or ``1x``).

    Parameters
    ----------
    level_type, level_name : list of str or None
        ``Type`` and ``Navn`` of each header ``PostnrdelType``.
    pnr_owner : list of int
        Post index of each ``Postnrdel``.
    pnr_type, pnr_code : list of str or None, or pandas.Categorical
        ``Type`` and ``Kode`` of each ``Postnrdel`` (see :func:`_factorized`).
    n : int
        Number of posts.

    Returns
    -------
    parts : ndarray of object
        Building part per post, None where there is none.
    levels : tuple of str
        The level types used.
    refused : tuple of (ndarray of int64, ndarray of object, ndarray of object)
        Posts whose first building-part level holds no NS 3451 code: index,
        code as written, why.
    """
    parts = np.full(n, None, dtype=object)
    wanted = [name.casefold() for name in BUILDING_PART_LEVELS]
    level_types = pd.Series(level_type, dtype=object)
    named = level_types[_folded(level_name).isin(wanted).to_numpy(dtype=bool)].dropna()
    levels = tuple(dict.fromkeys(named))
    level_of = dict(zip(level_type, level_name, strict=True))
    none = np.zeros(0, dtype=np.int64), np.zeros(0, dtype=object), np.zeros(0, dtype=object)
    if not levels or not len(pnr_owner):
        return parts, levels, none
    # Postnrdel rows grouped by post, each post's in document order; each distinct type
    # and code tested once
    own = np.asarray(pnr_owner, dtype=np.int64)
    type_id, type_names = _factorized(pnr_type)
    code_id, written = _factorized(pnr_code)
    written = np.append(written, "")  # an absent Kode (-1) reads as empty
    if len(own) > 1 and (own[1:] < own[:-1]).any():  # nested posts: group them
        order = np.argsort(own, kind="stable")
        own, type_id, code_id = own[order], type_id[order], code_id[order]
    uniques = pd.Series(written, dtype=object)
    u_code = written
    u_two, u_three = _fullmatch(uniques, _NS3451_2), _fullmatch(uniques, _NS3451_3)
    u_general_three = _fullmatch(uniques, _NS3451_3_GENERAL)
    u_chapter = _fullmatch(uniques, _GENERAL_CHAPTER)
    u_head = uniques.str[:2].to_numpy(dtype=object)
    group_start = np.flatnonzero(np.r_[True, own[1:] != own[:-1]])
    seq = np.arange(len(own)) - np.repeat(group_start, np.diff(np.r_[group_start, len(own)]))
    u_named = pd.Series(type_names, dtype=object).isin(levels).to_numpy(dtype=bool)
    named = np.append(u_named, False)[type_id]  # an absent Type (-1) names no level
    named_rows = np.flatnonzero(named)
    if not len(named_rows):
        return parts, levels, none
    owner, at = _firsts(own[named_rows])
    first = named_rows[at]  # each post's first Postnrdel on a building-part level
    first_code = code_id[first]
    two, three = u_two[first_code], u_three[first_code]
    general_three = u_general_three[first_code]
    code = u_code[first_code]
    found = np.where(two | three, code, None)
    found[general_three] = u_head[first_code][general_three]
    first_seq = np.full(n, -1, dtype=np.int64)
    first_seq[owner] = seq[first]
    # each row's place after its post's first building-part level (> 0 in posts with none)
    after_first = seq - first_seq[own]
    # a general chapter above the first building-part level
    chapter = ~named & u_chapter[code_id] & (after_first < 0)
    in_general = np.isin(owner, own[chapter])
    found[in_general] = None
    # refine a 2-digit part with the first later 3-digit code that extends it
    refine = two & ~in_general
    base = np.full(n, None, dtype=object)
    base[owner[refine]] = found[refine]
    has_base = np.zeros(n, dtype=bool)
    has_base[owner[refine]] = True
    later = np.flatnonzero(named & has_base[own] & (after_first > 0) & u_three[code_id])
    later = later[u_head[code_id[later]] == base[own[later]]]
    refined, at = _firsts(own[later])
    parts[owner] = found
    parts[refined] = u_code[code_id[later[at]]]
    bad = found == None  # noqa: E711 (element-wise)
    why = np.where(
        in_general[bad],
        "under a general chapter (0x or 1x), not a building part",
        "not an NS 3451 code",
    )
    kind = pd.Series(type_names[type_id[first][bad]], dtype=object).astype(str)
    detail = "Postnrdel " + kind + " (" + kind.map(level_of).astype(str) + "): " + why
    refused = owner[bad], code[bad], detail.to_numpy(dtype=object)
    return parts, levels, refused


def _cells(pieces, source_ref) -> pd.DataFrame:
    """Stack findings ``(post index, kind, found, detail)`` into the ``cells`` frame.

    Each piece holds an index array and, for ``found`` and ``detail``, either
    one value for all or one per index; rows are ordered by post.
    """
    idx, kind, found, detail = [], [], [], []
    for at, what, value, where in pieces:
        at = np.asarray(at, dtype=np.int64)
        idx.append(at)
        for out, item in ((kind, what), (found, value), (detail, where)):
            if isinstance(item, str) or item is None:
                out.append(np.full(len(at), item, dtype=object))
            else:
                out.append(np.asarray(item, dtype=object).reshape(len(at)))
    at = np.concatenate(idx) if idx else np.zeros(0, dtype=np.int64)
    order = np.argsort(at, kind="stable")
    refs = np.asarray(source_ref, dtype=object)
    columns = {"source_ref": refs[at]}
    for name, parts in (("kind", kind), ("found", found), ("detail", detail)):
        columns[name] = np.concatenate(parts) if parts else np.zeros(0, dtype=object)
    return pd.DataFrame({k: _text_series(v[order]) for k, v in columns.items()})


def _part_paths(index: np.ndarray) -> np.ndarray:
    """Path of the ``Mengde`` of the ``Delmengde`` at each 0-based ``index`` in its post."""
    return "Delmengde[" + (index + 1).astype(str).astype(object) + "]/Mengde"


def _file_warnings(root, version, n, price, total, duplicated, mismatch) -> list[str]:
    """File-level findings, each led by its code."""
    found = []
    if duplicated.any():
        found.append(f"duplicate_post_number: {int(duplicated.sum())} posts share a post number")
    if mismatch.any():
        found.append(
            f"parts_mismatch: on {int(mismatch.sum())} posts the Delmengde parts"
            " do not add up to Mengde"
        )
    if root == "Pristilbud" and n and not (np.nansum(np.abs(price)) or np.nansum(np.abs(total))):
        found.append("zero_prices: the priced offer has no non-zero unit price or sum")
    if version != SUPPORTED_VERSION:
        found.append(
            f"untested_version: Versjon {version!r}; the reader follows NS 3459:{SUPPORTED_VERSION}"
        )
    return found


def read_ns3459(
    path, *, options="main", limits=None, progress=None
) -> tuple[pd.DataFrame, Ns3459Metadata]:
    """Read an NS 3459 price request or priced offer into bill-of-quantities lines.

    Parameters
    ----------
    path : str or os.PathLike
        The ``.xml`` file.
    options : {"main", "all"} or list of str, default "main"
        Which ``Delmengde`` parts the ``quantity`` column counts. ``"main"``:
        the base contract (the parts named as in :data:`BASE_CONTRACT_NAMES`),
        ``Mengde`` minus every other part; ``"all"``: ``Mengde`` as written;
        a list of option ids (``Delmengde/ID``): the base contract plus those
        options. Posts without parts always give ``Mengde``. In a file whose
        parts name no base contract, ``"main"`` counts every part (warning
        ``no_base_contract``) and a list counts exactly the parts listed.
    limits : Ns3459Limits, mapping or object, optional
        Caps on file size, elements, posts and nesting (defaults:
        :class:`Ns3459Limits`).
    progress : callable, optional
        Called as ``progress(done, total)`` while the file is read: percent
        done and 100. For a progress bar on large files.

    Returns
    -------
    items : pandas.DataFrame
        One row per ``Post`` in document order, with every column of
        :data:`klimafotavtrykk.vocabulary.LINE_COLUMNS`; ``quantity`` in the
        post's ``unit`` as written, NaN when absent or not a number;
        ``building_part`` from the post number (see :func:`_building_parts`).
    meta : Ns3459Metadata
        Options, base contract, building-part levels, prices, per-element
        findings and warnings.

    Raises
    ------
    InputError
        Not found, empty, not XML, truncated, wrong root or namespace, bad
        ``options`` or an option id the file does not have.
    UnsafeWorkbookError
        DOCTYPE, entities or external references (code ``xml_entities``), or a
        limit exceeded.

    Examples
    --------
    >>> items, meta = read_ns3459("tilbud.xml", options=["2"])  # doctest: +SKIP
    >>> meta.option_rule, meta.base_part_ids  # doctest: +SKIP
    ('main+2', ('1',))
    """
    limits = as_limits(limits)
    rule, chosen = _option_rule(options)
    try:
        path = Path(os.fspath(path))
    except TypeError:
        raise InputError(
            "path must be a file path", expected="str or os.PathLike",
            found=type(path).__name__, code="bad_path",
        ) from None  # fmt: skip
    parsed = (
        None
        if progress is None
        else (lambda done, size: progress(_PARSED * done / max(size, 1), _DONE))
    )
    with collector_paused():  # no cycle collection while the file's objects are made
        got, sha256 = parse_ns3459(path, limits, parsed)
        name, cols, n = path.name, got.cols, len(got.parent)

        post_number = pd.Series(_or_none(cols["post_number"]), dtype=object)
        # "Post 01.12", or "Post #7" for the 7th post when it has no number
        label = "Post " + post_number.fillna("").to_numpy(dtype=object)
        unnumbered = np.flatnonzero(post_number.isna().to_numpy(dtype=bool))
        label[unnumbered] = "Post #" + (unnumbered + 1).astype(str).astype(object)
        source_ref = f"[{name}]" + label
        own = _first_given(cols["code"], cols["code_text"])
        codes, came_from = _inherit_codes(post_number, own, got.parent)
        inherited = np.flatnonzero(came_from >= 0)

        written, q_missing, q_bad = _parse_decimals(cols["qty"])
        price, _, price_bad = _parse_decimals(cols["price"])
        total, _, total_bad = _parse_decimals(cols["total"])
        owner = np.asarray(got.part_owner, dtype=np.int64)
        part_qty, part_missing, part_bad = _parse_decimals(got.part_qty)
        part_id = _text_series(got.part_id)
        part_name = _text_series(got.part_name)
        is_base = _base_parts(part_id, part_name)
        is_option = ~is_base
        part_key = part_id.where(part_id.notna(), part_name)
        if chosen:
            named = pd.DataFrame({"key": part_key, "name": part_name}).dropna(subset="key")
            named = named.drop_duplicates("key")
            unknown = [c for c in chosen if c not in set(named["key"])]
            if unknown:
                listed = named["key"] + (" (" + named["name"] + ")").fillna("")
                raise InputError(
                    f"option {', '.join(unknown)} is not in the file", file=name,
                    expected=", ".join(listed) or "(the file has no options)",
                    found=", ".join(unknown), code="unknown_option",
                )  # fmt: skip
        base_contract = "named" if is_base.any() else "not_named" if len(owner) else "no_parts"
        if base_contract == "not_named" and chosen == ():
            rule, chosen = "all", None  # nothing marks the base: count every part, and say so
        included = np.ones(len(owner), dtype=bool) if chosen is None else is_base.copy()
        if chosen:
            included |= part_key.isin(chosen).to_numpy(dtype=bool)
        quantity, parts_sum, mismatch = _option_quantities(written, owner, part_qty, included)
        derived, bpart_levels, refused = _building_parts(
            got.level_type, got.level_name, got.pnr_owner, got.pnr_type, got.pnr_code, n
        )
        explicit = _first_given(cols["bpart"], cols["bpart_text"])
        building_part = _text_series(explicit).where(lambda s: s.notna(), _text_series(derived))

        unit = _text_series(_or_none(cols["unit"]))
        duplicated = (post_number.notna() & post_number.duplicated(keep=False)).to_numpy(dtype=bool)
        qty_raw = np.asarray(cols["qty"], dtype=object)
        part_raw = np.asarray(got.part_qty, dtype=object)
        part_index = np.asarray(got.part_index, dtype=np.int64)
        at = np.flatnonzero
        pieces = [
            (got.findings_at, "duplicate_element", got.findings_found, got.findings_path),
            (inherited, "code_inherited", codes[inherited],
             "Kode from " + f"[{name}]".partition("]")[2] + label[came_from[inherited]]),
            (at(q_missing), "missing_quantity", qty_raw[q_missing], "Prisinfo/Mengde"),
            (at(q_bad), "not_a_number", qty_raw[q_bad], "Prisinfo/Mengde"),
            (at(price_bad), "not_a_number", np.asarray(cols["price"], dtype=object)[price_bad],
             "Prisinfo/Enhetspris"),
            (at(total_bad), "not_a_number", np.asarray(cols["total"], dtype=object)[total_bad],
             "Prisinfo/Sum"),
            (owner[part_missing], "missing_quantity", part_raw[part_missing],
             _part_paths(part_index[part_missing])),
            (owner[part_bad], "not_a_number", part_raw[part_bad], _part_paths(part_index[part_bad])),
            (at(mismatch), "parts_mismatch", [f"{v:g}" for v in parts_sum[mismatch]],
             [f"Delmengder sum vs Prisinfo/Mengde {v:g}" for v in written[mismatch]]),
            (at(quantity < 0), "negative_quantity", [f"{v:g}" for v in quantity[quantity < 0]],
             f"quantity under option rule {rule}"),
            (at(unit.isna().to_numpy() & ~np.isnan(written)), "missing_unit", None, "Prisinfo/Enhet"),
            (at(duplicated), "duplicate_post_number", post_number[duplicated], "Postnr"),
            (refused[0], "not_a_building_part", refused[1], refused[2]),
        ]  # fmt: skip
        warn = _file_warnings(got.root, got.version, n, price, total, duplicated, mismatch)
        if base_contract == "not_named":
            warn.append(
                "no_base_contract: no Delmengde is named "
                + " or ".join(repr(b) for b in BASE_CONTRACT_NAMES)
                + f"; quantities count the parts under rule {rule!r}"
                + (
                    " (Mengde as written); choose parts with options=[...]"
                    if chosen is None
                    else ""
                )
            )
        if n and not bpart_levels and building_part.isna().any():
            warn.append(
                "no_building_part_level: the header's Postnrplan names no post-number level "
                + " or ".join(repr(b) for b in BUILDING_PART_LEVELS)
                + "; building_part is empty"
            )
        for text in warn:
            warnings.warn(f"[{name}] {text}", DataQualityWarning, stacklevel=user_stacklevel())

        refs = _text_series(source_ref)
        given = {
            "row_id": np.arange(n, dtype=np.int64),
            "source_ref": refs,
            "post_number": post_number,
            "item_code": _text_series(codes),
            "description": _text_series(_or_none(cols["text"])),
            "building_part": building_part,
            "quantity": quantity,
            "unit": unit,
        }
        empty_text, empty_number = _text_series([None] * n), np.full(n, np.nan)
        items = pd.DataFrame(
            {
                c: given.get(c, empty_number if c in _NUMERIC_COLUMNS else empty_text)
                for c in LINE_COLUMNS
            }
        )
        options_frame = pd.DataFrame(
            {
                "row_id": owner,
                "source_ref": _text_series(refs.to_numpy()[owner]),
                "post_number": _text_series(post_number.to_numpy()[owner]),
                "part_id": part_id,
                "option_id": part_key.where(is_option, None),
                "option_name": part_name,
                "quantity": part_qty,
                "is_option": is_option,
                "included": included,
            }
        )
        prices = pd.DataFrame(
            {
                "row_id": given["row_id"],
                "source_ref": refs,
                "post_number": post_number,
                "quantity_rule": _text_series(_or_none(cols["rule"])),
                "quantity_written": written,
                "unit_price": price,
                "sum": total,
            }
        )
        meta = Ns3459Metadata(
            file=name, sha256=sha256, root=got.root, version=got.version, option_rule=rule,
            base_contract=base_contract, base_part_ids=tuple(dict.fromkeys(part_id[is_base].dropna())),
            building_part_levels=bpart_levels, options=options_frame, prices=prices, cells=_cells(pieces, source_ref), warnings=warn,
            skipped=pd.DataFrame({c: _text_series([]) for c in ("source_ref", "reason", "detail")}),
        )  # fmt: skip
        if progress is not None:
            progress(_DONE, _DONE)
        return items, meta
