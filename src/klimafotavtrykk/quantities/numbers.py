"""Numbers in bill-of-quantities cells: numeric cells as they are, text only under an explicit rule.

A numeric cell is locale-free: its value is used as stored. A text cell is
read as a number only under the rule of ``number_locale``; everything else
is reported per cell and becomes NaN, never coerced.

The ``"nb-NO"`` rule (Norwegian bokmål, as Språkrådet writes numbers [1]_):

========================  ============  =======================================
text                      value         why
========================  ============  =======================================
``1,25``                  1.25          comma is the decimal sign
``1 250`` / ``1 250``     1250          space (also no-break, thin) groups
``1 250,5``               1250.5        both
``−40`` (U+2212)          -40           typographic minus
``1.250,5``               1250.5        point groups thousands, comma decimals
``12.5``, ``0.250``       12.5, 0.25    a point that cannot be a thousands
                                        separator is a decimal point
``1.250``, ``12.500``     NaN           ambiguous: 1.25 or 1250? reported
``5 %`` (rates only)      0.05          per cent
``RO``, ``R.O.``, ``RS``  NaN           lump sum / by account: no quantity
``ca. 40``, ``~40``       NaN           approximate: no quantity
``40 m3``, ``40-50``      NaN           text around a number, a range
``1e3``                   NaN           scientific notation in text
========================  ============  =======================================

With ``number_locale=None`` no text is read as a number.

Findings are ``kind`` codes: ``text_number`` (read under the rule),
``ambiguous_number``, ``not_a_number``, ``empty``; ``None`` for a plain
numeric cell.

References
----------
.. [1] Språkrådet, "Tall og tallord" (skrivemåte av tall: mellomrom mellom
   tusengrupper, komma som desimaltegn), https://sprakradet.no (accessed 2025).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from klimafotavtrykk._frames import filled
from klimafotavtrykk.errors import InputError

__all__ = ["LOCALES", "NumberCells", "check_locale", "parse_text_numbers", "read_numbers",
           "strip_texts"]

#: Text-number rules: ``"nb-NO"``, or None for "numeric cells only".
LOCALES: tuple[str | None, ...] = ("nb-NO", None)

_SPACES = "[ \u00a0\u202f\u2009]"
_PLAIN = re.compile(r"[+-]?\d+(?:,\d+)?")
_GROUPED = re.compile(rf"[+-]?\d{{1,3}}(?:{_SPACES}\d{{3}})+(?:,\d+)?")
_POINT_GROUPS_COMMA = re.compile(r"[+-]?\d{1,3}(?:\.\d{3})+,\d+")
_AMBIGUOUS = re.compile(r"[+-]?[1-9]\d{0,2}(?:\.\d{3})+")
_POINT_DECIMAL = re.compile(r"[+-]?\d+\.\d+")
_WHY = (
    ("approximate quantity (ca.) is not read as a number; state the quantity",
     re.compile(r"(?i)(?:ca\b\.?|cirka|omtr\.?|omtrent|appr(?:ox)?\.?|~|≈|\+/-|±).*\d.*|"
                r".*\d.*(?:ca\.?|cirka)")),
    ("lump sum or by account (RO/RS) has no quantity",
     re.compile(r"(?i)r\.?\s*[os]\.?")),
    ("a range, not one number", re.compile(r"[+-]?\d+(?:[.,]\d+)?\s*[-–]\s*\d+(?:[.,]\d+)?")),
    ("scientific notation in text is not read", re.compile(r"[+-]?\d+(?:[.,]\d+)?[eE][+-]?\d+")),
    ("a number with text around it", re.compile(r".*\d.*")),
)


@dataclass(frozen=True, eq=False)
class NumberCells:
    """Numbers read from a column of cells, with a finding per cell.

    Attributes
    ----------
    values : numpy.ndarray of float64
        The number, NaN where empty or not read.
    kind : numpy.ndarray of object
        None for a plain numeric cell, else ``text_number``,
        ``ambiguous_number``, ``not_a_number`` or ``empty``.
    found : numpy.ndarray of object
        The cell as found (text), for findings; None for plain numbers.
    detail : numpy.ndarray of object
        Why, for findings; None for plain numbers.
    """

    values: np.ndarray
    kind: np.ndarray
    found: np.ndarray
    detail: np.ndarray


def check_locale(locale: str | None) -> str | None:
    """Return ``locale`` if it is one of :data:`LOCALES`.

    Raises
    ------
    InputError
        Code ``bad_locale`` for any other value.
    """
    if locale not in LOCALES:
        raise InputError(f"unknown number locale {locale!r}",
                         expected=" or ".join(repr(x) for x in LOCALES), found=repr(locale),
                         code="bad_locale")
    return locale


def _full(series: pd.Series, pattern: re.Pattern) -> np.ndarray:
    return series.str.fullmatch(pattern).fillna(False).to_numpy(dtype=bool)


def parse_text_numbers(texts, locale: str | None = "nb-NO", *,
                       percent: bool = False) -> NumberCells:
    """Read texts as numbers under an explicit rule (see the module docstring).

    Parameters
    ----------
    texts : array-like of str
        Cell texts, already stripped; none empty.
    locale : {"nb-NO", None}
        Text-number rule; None reads no text.
    percent : bool
        Also read ``"5 %"`` as 0.05 (for rates).

    Returns
    -------
    NumberCells
        ``kind`` is ``text_number``, ``ambiguous_number`` or ``not_a_number``.
    """
    check_locale(locale)
    raw = pd.Series(np.asarray(texts, dtype=object), dtype=object)
    n = len(raw)
    values = np.full(n, np.nan)
    kind = filled(n, "not_a_number")
    detail = filled(n, "not a number")
    if n == 0:
        return NumberCells(values, kind, raw.to_numpy(dtype=object), detail)
    if locale is None:
        detail[:] = "text is not read as a number (number_locale=None)"
        return NumberCells(values, kind, raw.to_numpy(dtype=object), detail)
    text = raw.str.replace("\u2212", "-", regex=False)
    scale = np.ones(n)
    note = filled(n, "")
    if percent:
        is_pct = text.str.match(r".*\d\s*%$").fillna(False).to_numpy(dtype=bool)
        text = text.where(~is_pct, text.str.replace(r"\s*%$", "", regex=True))
        scale[is_pct] = 0.01
        note[is_pct] = ", per cent"
    plain = _full(text, _PLAIN) | _full(text, _GROUPED)
    point_groups = _full(text, _POINT_GROUPS_COMMA) & ~plain
    ambiguous = _full(text, _AMBIGUOUS) & ~plain & ~point_groups
    point = _full(text, _POINT_DECIMAL) & ~ambiguous & ~plain & ~point_groups
    cleaned = text.str.replace(_SPACES, "", regex=True)
    for mask, series, why in (
        (plain, cleaned.str.replace(",", ".", regex=False),
         "comma decimal sign, space thousands"),
        (point_groups, cleaned.str.replace(".", "", regex=False).str.replace(",", ".", regex=False),
         "point thousands, comma decimal sign"),
        (point, cleaned, "point as decimal sign (cannot be a thousands separator)"),
    ):
        if mask.any():
            values[mask] = series[mask].astype(float).to_numpy() * scale[mask]
            kind[mask] = "text_number"
            detail[mask] = ("read as " + pd.Series(values[mask]).map(repr).astype(object)
                            + f" (nb-NO: {why}" + pd.Series(note[mask]) + ")").to_numpy()
    if ambiguous.any():
        kind[ambiguous] = "ambiguous_number"
        detail[ambiguous] = ("ambiguous under nb-NO: the point may group thousands or mark "
                             "decimals; write 1250 or 1,25")
    rest = kind == "not_a_number"
    if rest.any():
        undecided = rest.copy()
        for why, pattern in _WHY:
            hit = undecided & _full(text, pattern)
            detail[hit] = why
            undecided &= ~hit
    return NumberCells(values, kind, raw.to_numpy(dtype=object), detail)


_TYPE_CODES = {float: 0, int: 0, np.float64: 0, str: 1, bool: 2, dt.datetime: 3, dt.date: 3,
               dt.time: 3, dt.timedelta: 3}


def _type_code(value) -> int:
    return _TYPE_CODES.get(type(value), 4)


_type_code_ufunc = np.frompyfunc(_type_code, 1, 1)


_BY_INFERRED = {"string": 1, "floating": 0, "integer": 0, "mixed-integer-float": 0,
                "boolean": 2}


def _type_codes(cells: np.ndarray) -> np.ndarray:
    """Per cell: 0 number, 1 text, 2 boolean, 3 date or time, 4 anything else.

    A column of one type (often with empty cells, which calamine gives as
    ``""``) is classified without looking at each cell.
    """
    if not cells.size:
        return np.empty(cells.shape, dtype=np.int8)
    whole = _BY_INFERRED.get(pd.api.types.infer_dtype(cells, skipna=False))
    if whole is not None:  # one type throughout: no per-cell look
        return np.full(cells.shape, whole, dtype=np.int8)
    empty = cells == ""
    if empty.any():
        rest = cells[~empty]
        whole = _BY_INFERRED.get(pd.api.types.infer_dtype(rest, skipna=False))
        if whole is not None:
            codes = np.full(cells.shape, whole, dtype=np.int8)
            codes[empty] = 1
            return codes
    return _type_code_ufunc(cells).astype(np.int8)


_strip = np.frompyfunc(str.strip, 1, 1)


def strip_texts(values: np.ndarray) -> np.ndarray:
    """``str.strip`` of every element of an object array of str."""
    return _strip(values) if values.size else values.copy()


def read_numbers(cells, locale: str | None = "nb-NO", *, percent: bool = False,
                 kinds: np.ndarray | None = None) -> NumberCells:
    """Numbers from a column of cells as the workbook holds them.

    Parameters
    ----------
    cells : array-like of object
        Cell values: float or int (numeric cells), str (text, ``""`` for
        empty), bool, date/time, or anything else.
    locale : {"nb-NO", None}
        Text-number rule (see the module docstring).
    percent : bool
        Also read ``"5 %"`` texts as 0.05.
    kinds : numpy.ndarray of int8, optional
        Type codes of ``cells`` when already known (see ``_type_codes``).

    Returns
    -------
    NumberCells
        Numeric cells keep their value (kind None; ``not_a_number`` if not
        finite); empty and whitespace-only text gives kind ``empty``; booleans
        and dates are ``not_a_number``.
    """
    check_locale(locale)
    obj = np.asarray(cells, dtype=object).reshape(-1)
    n = obj.size
    codes = _type_codes(obj) if kinds is None else kinds
    if n and codes[0] == 1 and (codes == 1).all() and (obj == "").all():
        # a column left empty (often: the optional columns of a form)
        return NumberCells(np.full(n, np.nan), filled(n, "empty"), obj.copy(),
                           filled(n, "empty cell"))
    values = np.full(n, np.nan)
    kind = np.full(n, None, dtype=object)
    found = np.full(n, None, dtype=object)
    detail = np.full(n, None, dtype=object)

    number = codes == 0
    if number.any():
        values[number] = obj[number].astype(float)
        bad = number & ~np.isfinite(values)
        kind[bad], found[bad], detail[bad] = "not_a_number", "NaN", "not a finite number"
        values[bad] = np.nan

    text_at = np.flatnonzero(codes == 1)
    if text_at.size:
        stripped = strip_texts(obj[text_at])
        blank = stripped == ""
        kind[text_at[blank]] = "empty"
        found[text_at[blank]] = obj[text_at[blank]]
        detail[text_at[blank]] = "empty cell"
        written = text_at[~blank]
        if written.size:
            parsed = parse_text_numbers(stripped[~blank], locale, percent=percent)
            values[written] = parsed.values
            kind[written] = parsed.kind
            found[written] = obj[written]
            detail[written] = parsed.detail

    for code, why in ((2, "a TRUE/FALSE cell is not a quantity"),
                      (3, "a date or time cell is not a quantity (check the cell format)"),
                      (4, "not a number")):
        at = codes == code
        if at.any():
            kind[at] = "not_a_number"
            found[at] = pd.Series(obj[at], dtype=object).map(str).to_numpy(dtype=object)
            detail[at] = why
    return NumberCells(values, kind, found, detail)
