"""Column helpers that work on distinct values, never per line."""

from __future__ import annotations

import functools
import re

import numpy as np
import pandas as pd

from klimafotavtrykk._string_storage import (
    factorize_repeated,
    factorize_texts,
    groups_by_key,
    object_groups,
    one_object,
    per_group,
)
from klimafotavtrykk.errors import InputError

__all__ = ["text_codes", "text_code_parts", "text_codes_by_value", "factorized", "row_codes", "clean_text",
           "short_numbers", "filled", "typed", "typed_take", "taken", "refuse_repeated_columns",
           "COPY_ON_WRITE", "constant_columns", "empty_once", "shape", "by_code"]

#: pandas 3 always copies on write; pandas 2 when the option is on. Columns of a frame may then
#: share one array: a write into one of them copies it first.
COPY_ON_WRITE = (int(pd.__version__.split(".")[0]) >= 3
                 or pd.get_option("mode.copy_on_write") is True)


def refuse_repeated_columns(frame: pd.DataFrame, error: type[Exception] = InputError,
                            **where) -> None:
    """Raise when a column name occurs more than once in ``frame``.

    A repeated name (after ``concat`` or ``merge``, or ``"unit"`` beside ``"unit "``) makes
    ``frame[name]`` a frame instead of a column: one of the two would be read and the other
    ignored without a word, or the step would fail deep inside pandas. Names are compared as
    the library reads them: as text, stripped.

    Parameters
    ----------
    frame : pandas.DataFrame
        A frame handed to a public function.
    error : type
        The error to raise: :class:`~klimafotavtrykk.errors.InputError` for a caller's lines,
        :class:`~klimafotavtrykk.errors.DataError` for a data table.
    **where
        Passed to ``error`` (``file=`` for a data table's name).

    Raises
    ------
    InputError or DataError
        Naming each repeated column once, in the order of the frame.
    """
    names = pd.Index([str(c).strip() for c in frame.columns], dtype=object)
    if names.is_unique:
        return
    repeated = list(dict.fromkeys(names[names.duplicated()]))
    problem = f"columns occur more than once: {repeated}"
    if issubclass(error, InputError):
        raise error(problem, expected="each column name once", found=", ".join(repeated),
                    code="repeated_column", **where)
    raise error(problem, **where)


def text_codes(column: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Integer code per line and the distinct cleaned texts.

    Each distinct value is read once: the rows are grouped first without reading their
    texts, a Categorical by its codes, text in Python objects by the object each row holds
    (:func:`~klimafotavtrykk._string_storage.object_groups`); one row per group is then coded
    and cleaned, and the codes go back to the rows by group. The groups come in the order
    the rows first show them, so the result is the same as coding every row by value.

    Parameters
    ----------
    column : pandas.Series or numpy.ndarray
        Any dtype; values are read as text, stripped, and blanks count as missing.

    Returns
    -------
    codes : numpy.ndarray of int64
        Index into ``uniques`` per line; -1 where the text is missing or blank.
    uniques : numpy.ndarray of object
        Distinct stripped texts; a trailing ``.0`` (a whole number read from a
        number cell, e.g. building part ``231.0``) is dropped.
    """
    grouped = _line_groups(column)
    take, back = per_group(grouped)
    codes, uniques = text_codes_by_value(
        column.iloc[take] if isinstance(column, pd.Series) else column[take])
    return back(codes), uniques


def _line_groups(column):
    """The lines of ``column`` grouped as :func:`text_codes` groups them, or None.

    By Categorical code (-1, missing, a group of its own), or by the object each line holds
    (object or Python-stored ``str`` columns); None for any other storage.
    """
    if isinstance(column.dtype, pd.CategoricalDtype):
        return groups_by_key(column.array.codes)
    if column.dtype == object or (isinstance(column.dtype, pd.StringDtype)
                                  and column.dtype.storage == "python"):
        return object_groups(np.asarray(column, dtype=object))
    return None


def text_code_parts(column: pd.Series) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """:func:`text_codes` in two steps: a key per line, and the code of each key.

    The lines are keyed as :func:`text_codes` groups them (by Categorical code, by the
    object each holds) or, where they are not grouped, by their raw value; each key is then
    coded once. A caller that works per key (a scope, a group per building part) gathers its
    result per line once, instead of gathering the codes per line first.

    Parameters
    ----------
    column : pandas.Series or numpy.ndarray
        As for :func:`text_codes`.

    Returns
    -------
    keys : numpy.ndarray of int
        Key of each line, 0 .. k-1 in the order the lines first show them, or -1 (a missing
        raw value); each key 0 .. k-1 is some line's.
    key_codes : numpy.ndarray of int64
        Code of each key into ``uniques``; -1 where its text is missing or blank.
    uniques : numpy.ndarray of object
        As :func:`text_codes` gives them.

    Notes
    -----
    ``np.append(key_codes, -1)[keys]`` and ``uniques`` are ``text_codes(column)``.

    Examples
    --------
    >>> keys, key_codes, uniques = text_code_parts(np.array([" 231", "231.0", None, "215"],
    ...                                                     dtype=object))
    >>> keys.tolist(), key_codes.tolist(), uniques.tolist()
    ([0, 1, -1, 2], [0, 0, 1], ['231', '215'])
    """
    grouped = _line_groups(column)
    if grouped is not None:
        group, first = grouped
        codes, uniques = text_codes_by_value(
            column.iloc[first] if isinstance(column, pd.Series) else column[first])
        return group, codes, uniques
    if _all_missing(column):
        return (np.full(len(column), -1, dtype=np.int64), np.array([], dtype=np.int64),
                np.array([], dtype=object))
    if isinstance(column, pd.Series) and isinstance(column.dtype, pd.StringDtype):
        # text or missing on every line (pandas checked it): coded without a scan for that
        keys, raw = factorize_texts(column.to_numpy(dtype=object))
    else:
        keys, raw = factorize_repeated(column, use_na_sentinel=True)
    mapping, uniques = _clean_mapping(raw)
    return keys, mapping[:-1], uniques


def text_codes_by_value(column: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """:func:`text_codes` with every row's text hashed: no grouping by object first."""
    if _all_missing(column):  # a column given empty, or absent and filled with None
        return np.full(len(column), -1, dtype=np.int64), np.array([], dtype=object)
    if isinstance(column, pd.Series) and isinstance(column.dtype, pd.StringDtype):
        # the same values as an object array: factorized about twice as fast
        column = column.to_numpy(dtype=object)
    codes, raw = factorize_repeated(column, use_na_sentinel=True)
    if len(raw) <= _FEW_TEXTS and all(type(v) is str for v in raw):
        return _codes_of_clean_texts(codes, raw)
    return _codes_of_cleaned(codes, raw)


def _clean_mapping(raw) -> tuple[np.ndarray, np.ndarray]:
    """Code of each distinct raw value, then -1 (a missing line), and the cleaned texts.

    ``mapping[codes]`` is what :func:`text_codes_by_value` gives lines of raw ``codes``:
    :func:`_codes_of_clean_texts` or :func:`_codes_of_cleaned`, as it chooses.
    """
    if len(raw) <= _FEW_TEXTS and all(type(v) is str for v in raw):
        return _clean_texts_mapping(raw)
    return _cleaned_mapping(raw)


def _codes_of_cleaned(codes: np.ndarray, raw) -> tuple[np.ndarray, np.ndarray]:
    """Codes per line after cleaning the distinct values ``raw`` (see :func:`text_codes`)."""
    mapping, uniques = _cleaned_mapping(raw)
    return mapping[codes], uniques


def _cleaned_mapping(raw) -> tuple[np.ndarray, np.ndarray]:
    """:func:`_codes_of_cleaned` per distinct value: its code, then -1; and the texts."""
    cleaned = pd.Series(raw, dtype=object).astype(str).str.strip().str.replace(r"\.0$", "", regex=True)
    # distinct texts that clean to the same value (" 231", "231.0") share one code
    keep = (cleaned != "").to_numpy()
    codes2, uniques = pd.factorize(cleaned.where(keep, None), use_na_sentinel=True)
    return np.append(codes2, -1).astype(np.int64), np.asarray(uniques, dtype=object)


#: Up to this many distinct texts, :func:`text_codes_by_value` cleans them in a plain loop: the
#: pandas text methods' fixed cost per call is then most of the work (a unit, a building part).
_FEW_TEXTS = 1_000

_WHOLE_NUMBER_TAIL = re.compile(r"\.0$")


def _codes_of_clean_texts(codes: np.ndarray, raw: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """:func:`_codes_of_cleaned` of a few distinct Python texts, in a loop.

    The same steps as the pandas text methods there (``str.strip``, the trailing ``.0``
    removed with the same pattern, blanks missing, equal cleaned texts one code, in the
    order first seen), on each distinct text once.
    """
    code_of, uniques = _clean_texts_mapping(raw)
    return code_of[codes], uniques


def _clean_texts_mapping(raw: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """:func:`_codes_of_clean_texts` per distinct text: its code, then -1; and the texts."""
    first: dict[str, int] = {}
    code_of = np.empty(len(raw) + 1, dtype=np.int64)
    code_of[-1] = -1  # a missing line
    for i, text in enumerate(raw):  # distinct texts, not lines
        text = text.strip()
        if text.endswith(".0"):  # stripped: the pattern's end is the text's end
            text = _WHOLE_NUMBER_TAIL.sub("", text)
        code_of[i] = -1 if text == "" else first.setdefault(text, len(first))
    uniques = np.empty(len(first), dtype=object)
    uniques[:] = list(first)
    return code_of, uniques


def factorized(values) -> tuple[np.ndarray, object]:
    """``pd.factorize(values)``, an object array's rows grouped by the object they hold first.

    Rows that hold one object hold one value, so each object is coded once
    (:func:`~klimafotavtrykk._string_storage.object_groups`): the same codes and
    the same distinct values, in the same order, as coding every row.

    Parameters
    ----------
    values : numpy.ndarray or array-like
        Anything :func:`pandas.factorize` takes; only object arrays are grouped.

    Returns
    -------
    codes : numpy.ndarray
        -1 for a missing value.
    uniques : numpy.ndarray or Index
    """
    grouped = object_groups(values) if isinstance(values, np.ndarray) else None
    if grouped is None:
        return pd.factorize(values)
    take, back = per_group(grouped)
    codes, uniques = pd.factorize(values[take])
    return back(codes), uniques


def row_codes(columns: list) -> tuple[np.ndarray, np.ndarray]:
    """One code per row for its values in ``columns`` together, first seen first.

    Each column is factorized alone and the codes combined into one integer
    per row, factorized once more: no tuple is made per row. Missing values
    (None, NaN) are one value of their own.

    Parameters
    ----------
    columns : list of array-like
        Parallel columns of equal length (at least one).

    Returns
    -------
    codes : numpy.ndarray of int64
        0, 1, ... per row, in the order rows first show each combination.
    first : numpy.ndarray of int64
        The first row of each code.
    """
    combined = np.zeros(len(columns[0]), dtype=np.int64)
    for values in columns:
        codes, uniques = factorized(values)
        combined = combined * (len(uniques) + 1) + (codes + 1)
    code, _ = pd.factorize(combined)
    code = code.astype(np.int64)
    # codes are 0 .. k-1 first seen first: a row starts its code when it exceeds every code before
    seen = np.maximum.accumulate(np.concatenate([[-1], code[:-1]]))
    return code, np.flatnonzero(code > seen).astype(np.int64)


def by_code(per_code: np.ndarray, codes: np.ndarray, missing) -> np.ndarray:
    """Each line's value by its code: ``np.append(per_code, missing)[codes]``, code -1 ``missing``.

    Where every line gets one value (every code holds it, and it is ``missing`` too or no line
    has code -1), that value is given as a read-only view of one element: the same values,
    without an array of a line each (most bills: every unit known, every part in scope).

    Parameters
    ----------
    per_code : numpy.ndarray
        One value per code (a distinct unit, a part's key, a factor row).
    codes : numpy.ndarray of int
        Code of each line; -1 where it has none.
    missing : scalar
        Value of a line with code -1.

    Returns
    -------
    numpy.ndarray
        One value per line; read only where it is one value.

    Examples
    --------
    >>> by_code(np.array([True, True]), np.array([0, 1, 1]), False).strides
    (0,)
    >>> by_code(np.array([True, True]), np.array([0, -1, 1]), False).tolist()
    [True, False, True]
    """
    if len(per_code) and (per_code == per_code[0]).all():
        one = per_code[0]
        if one == missing or not len(codes) or codes.min() >= 0:
            return np.broadcast_to(one, np.shape(codes))
    return np.append(per_code, missing)[codes]


def filled(n: int, value: object) -> np.ndarray:
    """An object array of ``n`` references to ``value``.

    ``np.full(n, "text", dtype=object)`` makes a new str per element (it goes
    through a fixed-width string array): about 15 times slower on 1M lines.
    """
    out = np.empty(n, dtype=object)
    out.fill(value)
    return out


def constant_columns(index: pd.Index, value: object = None):
    """A maker of columns holding ``value`` on every row of ``index``, for one frame.

    None gives object columns (``n`` references to None: making one and freeing it again
    costs about 0.3 ms per 100k rows), a float float64 columns. With copy-on-write every
    call gives the same Series, made at the first, so the columns of a frame made from it
    share its one array (pandas copies a column before a write into it); without
    copy-on-write each call makes its own.

    Parameters
    ----------
    index : pandas.Index
        The rows of the frame.
    value : None or float
        The value of every row.

    Returns
    -------
    callable
        Without arguments, returning a :class:`pandas.Series` (dtype object for None,
        float64 for a float).

    Examples
    --------
    >>> none = constant_columns(pd.RangeIndex(3))
    >>> none().tolist(), none().dtype
    ([None, None, None], dtype('O'))
    >>> constant_columns(pd.RangeIndex(2), np.nan)().dtype
    dtype('float64')
    """
    def made() -> pd.Series:
        values = filled(len(index), None) if value is None else np.full(len(index), float(value))
        return pd.Series(values, index=index, dtype=values.dtype, copy=False)

    return functools.cache(made) if COPY_ON_WRITE else made  # made on the first call only


def shape(*frames: pd.DataFrame) -> tuple | None:
    """What a frame without rows made from ``frames`` can depend on: a key for :func:`empty_once`.

    Per frame its column labels (with their types: ``1`` and ``"1"`` differ), the name of
    its columns, its dtypes and the type of its index; None where a frame has ``attrs``
    (which pandas carries into frames made from it).

    Parameters
    ----------
    *frames : pandas.DataFrame

    Returns
    -------
    tuple or None
    """
    if any(frame.attrs for frame in frames):
        return None
    return tuple((tuple((type(c), c) for c in f.columns), f.columns.name, tuple(f.dtypes),
                  type(f.index)) for f in frames)


def empty_once(key, build) -> pd.DataFrame:
    """``build()``, a frame without rows, built once per ``key`` and then handed out as a copy.

    Readers and the reconciliation make frames without rows (no findings, no line left
    out) for nearly every bid, the same columns and dtypes each time: each takes a pandas
    constructor, a selection or a concat (0.1-0.4 ms). Made the first time, each later call
    gets a shallow copy (``copy(deep=False)``, a few microseconds): a frame of its own, equal
    to a new build. No change to one touches another (a frame without rows has no value to
    write to, and a column set or added lands in that copy only).

    Parameters
    ----------
    key : hashable or None
        Everything ``build``'s result depends on (with :func:`shape` of the frames it reads);
        the pandas text storage in effect is added to it. None builds every time.
    build : callable
        Makes the frame; it must have no rows.

    Returns
    -------
    pandas.DataFrame

    Examples
    --------
    >>> make = lambda: pd.DataFrame({"kind": pd.Series(dtype=object)})
    >>> a, b = empty_once("example", make), empty_once("example", make)
    >>> a is b, a.equals(b), list(b.dtypes)
    (False, True, [dtype('O')])
    """
    if key is None:
        return build()
    key = (key, pd.get_option("mode.string_storage"))  # text columns take its dtype
    frame = _EMPTY.get(key)
    if frame is None:
        frame = build()
        if len(frame):
            raise ValueError("empty_once builds frames without rows only")
        if len(_EMPTY) < _EMPTY_MAX:
            _EMPTY[key] = frame.copy(deep=False)
        return frame
    return frame.copy(deep=False)


#: Frames without rows by what they depend on (see :func:`empty_once`).
_EMPTY: dict[tuple, pd.DataFrame] = {}
#: Most frames remembered (a batch makes a handful).
_EMPTY_MAX = 256


def typed_take(values: np.ndarray, codes: np.ndarray):
    """``values[codes]`` as pandas stores it in a new column, typed from the values used once each.

    A frame given an object array scans every element to choose the column's
    type (``str`` where each is text or missing, else object, ...) and then
    converts each element. Here the type is chosen from the distinct values
    ``codes`` uses (a factor table's few hundred rows, not 100k lines), and
    the result taken from those: the dtype and values pandas would give
    ``values[codes]``, in a fraction of the time.

    Parameters
    ----------
    values : numpy.ndarray
        One value per code (e.g. a factor table's column).
    codes : numpy.ndarray of int
        Index into ``values`` per element, each valid (no -1).

    Returns
    -------
    numpy.ndarray or pandas.api.extensions.ExtensionArray
        Newly made. Give it to a frame as ``pd.Series(a, dtype=a.dtype)``
        so that pandas does not scan it again.

    Examples
    --------
    >>> typed_take(np.array(["kg", None, "m3"], dtype=object), np.array([2, 0, 2])).tolist()
    ['m3', 'kg', 'm3']
    """
    used = np.zeros(len(values), dtype=bool)
    used[codes] = True
    position = np.cumsum(used, dtype=np.intp) - 1  # of each used value among the used ones
    kinds = pd.Series(values[used]).array  # pandas chooses the type from these values
    return taken(kinds, position[codes])


def taken(kinds, positions: np.ndarray):
    """``kinds.take(positions)`` as a new column: a plain ndarray where pandas wraps one.

    Where ``kinds`` stores one value only (``str`` in Python objects: a source, indicator or
    match method every line shares), its first object is filled in ``len(positions)`` times
    and put in the same array type: the values the take makes, without gathering.

    Parameters
    ----------
    kinds : pandas.api.extensions.ExtensionArray
        Typed distinct values (``pd.Series(values).array``).
    positions : numpy.ndarray of intp
        Index into ``kinds`` per element, each valid.
    """
    backing = getattr(kinds, "_ndarray", None)
    if (isinstance(backing, np.ndarray) and hasattr(kinds, "_from_backing_data")
            and (one_object(backing) or _one_text(kinds, backing))):
        return _unwrapped(kinds._from_backing_data(filled(len(positions), backing[0])))
    return _unwrapped(kinds.take(positions))


def _one_text(kinds, backing: np.ndarray) -> bool:
    """Whether a ``str`` array's objects are one text (equal texts in objects of their own).

    Only text is compared: objects of other kinds can be equal and still differ (``1`` and
    ``1.0``). An array holding a missing value is not one text (and ``pd.NA`` is not compared).
    """
    return (isinstance(kinds.dtype, pd.StringDtype) and len(backing) > 0
            and isinstance(backing[0], str) and not pd.isna(backing).any()
            and bool((backing == backing[0]).all()))


def typed(values: np.ndarray):
    """``values`` as pandas stores it in a new column (see :func:`typed_take`), never shared.

    An array of one value seen ``n`` times (a view of stride 0) is typed from
    that one value; any other array is typed as pandas types it, by a scan.
    """
    if values.ndim == 1 and len(values) > 1 and values.strides[0] == 0:
        kind = pd.Series(values[:1]).array
        if type(kind) is pd.arrays.NumpyExtensionArray and kind.dtype == object:
            return filled(len(values), values[0])  # one reference n times, as pandas keeps it
        return taken(kind, np.zeros(len(values), dtype=np.intp))  # one object: filled
    column = _unwrapped(pd.Series(values, copy=False).array)
    if np.may_share_memory(np.asarray(column), values):
        column = column.copy()  # the frame owns its column, as a frame given the array would
    return column


def _unwrapped(array):
    """A pandas wrapper of a plain ndarray as that ndarray; any other array (``str``, ...) as it is."""
    return array.to_numpy() if type(array) is pd.arrays.NumpyExtensionArray else array


def _all_missing(column) -> bool:
    """Whether every value is missing; a column whose first value is present is not scanned."""
    if not len(column):
        return False
    first = column[0] if isinstance(column, np.ndarray) else column.iloc[0]
    return pd.api.types.is_scalar(first) and pd.isna(first) and bool(pd.isna(column).all())


def clean_text(column: pd.Series) -> pd.Series:
    """Stripped text per line, None where missing or blank (see :func:`text_codes`)."""
    codes, uniques = text_codes(column)
    values = np.append(uniques, None).astype(object)[codes]
    return pd.Series(values, index=column.index, dtype=object)


def short_numbers(values: pd.Series) -> pd.Series:
    """Numbers as short text (4 significant digits) for notes and conversions; NaN kept."""
    return values.astype(float).map(lambda v: f"{v:.4g}", na_action="ignore").astype(object)
