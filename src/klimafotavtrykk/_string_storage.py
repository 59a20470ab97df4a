"""The one pandas text storage the library computes with, whatever else is installed.

pandas 3 keeps text columns in its ``str`` dtype, stored either in Python objects or, when
pyarrow is installed, in Arrow arrays (the option ``mode.string_storage``, ``"auto"`` by
default). The two storages are meant to behave alike, but they do not mix with object
columns the same way (``arrow_str + object_series`` raises), and Arrow's regular
expressions (RE2) lack look-arounds. Analysts commonly have pyarrow in their environment;
without this module a frame they built, or a table the library read, would take the Arrow
storage there and the calculation would fail where it passes elsewhere.

So every public entry point runs under :func:`python_strings`: inside it, frames the library
makes keep Python storage, and frames handed in with Arrow-backed columns are converted
first (:func:`python_storage`). Nothing is changed for the caller outside the call: the
option is restored when the call returns, and the caller's own frames are not modified.

Text stored in Python objects is then coded (factorized) by the engine. A bill's text column
holds few distinct texts, and most often few distinct *objects*: a reader, a ``take`` or an
Arrow conversion (:func:`python_storage`) puts one object at every row with that text.
:func:`object_groups` groups the rows by the object they hold, with integer hashing only, so
that the texts themselves are hashed and compared once per object, not once per row.
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Callable
from typing import Any, TypeVar

_OPTION = "mode.string_storage"

#: Below this many rows pandas codes a column as fast as grouping its objects first.
_GROUPING_PAYS = 1_000

#: Rows at the start of an Arrow text array that decide how it is converted
#: (:func:`_python_texts`): 5 000 ids over 1M rows show 900 distinct in the first 1 000
#: rows, too many to call them repeats, but 4 300 in the first 10 000.
_ARROW_SAMPLE = 10_000

#: Slots :func:`groups_by_key` starts its hash table with (pandas grows it when more keys
#: come): 1 MB of keys, in cache, where a table sized for every row of a 1M-row column is not.
_KEY_TABLE_SLOTS = 1 << 16

F = TypeVar("F", bound=Callable[..., Any])


def python_strings(func: F) -> F:
    """Run ``func`` with Python-stored text, converting Arrow-backed frames handed to it.

    Parameters
    ----------
    func : callable
        A public entry point of the library.

    Returns
    -------
    callable
        ``func`` wrapped: called inside ``pd.option_context("mode.string_storage",
        "python")``, with every :class:`pandas.DataFrame`, :class:`pandas.Series` or
        :class:`pandas.Index` among its arguments (also one level inside a list, tuple or
        dict) passed through :func:`python_storage`.
    """

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        import pandas as pd  # here, not at import: ``--help`` loads no pandas

        already = pd.get_option(_OPTION) == "python"  # inside another entry point, or the caller's
        with contextlib.nullcontext() if already else pd.option_context(_OPTION, "python"):
            return func(
                *(_converted(a) for a in args), **{k: _converted(v) for k, v in kwargs.items()}
            )

    return wrapper  # type: ignore[return-value]


def python_storage(obj):
    """``obj`` with every Arrow-backed column or index as the library computes with it.

    Text (pandas ``str`` stored in Arrow, or an ``ArrowDtype`` string) becomes ``str`` stored
    in Python objects, with the same missing-value marker. Arrow numbers become numpy
    numbers (``float64`` where a value is missing), Arrow booleans numpy booleans (objects
    where one is missing). Other columns are left as they are; an object with nothing
    Arrow-backed is returned itself, not copied.

    Parameters
    ----------
    obj : DataFrame, Series, Index or any
        Anything else is returned unchanged.
    """
    import pandas as pd

    if isinstance(obj, pd.DataFrame):
        columns = {
            i: _array(obj.iloc[:, i].array)
            for i, dtype in enumerate(obj.dtypes)
            if _arrow_backed(dtype)
        }
        index = python_storage(obj.index)
        labels = python_storage(obj.columns)
        if not columns and index is obj.index and labels is obj.columns:
            return obj
        out = obj.copy(deep=False)
        for position, values in columns.items():
            out.isetitem(position, values)
        out.index = index
        out.columns = labels
        return out
    if isinstance(obj, pd.Series):
        values = _array(obj.array) if _arrow_backed(obj.dtype) else None
        index = python_storage(obj.index)
        if values is None and index is obj.index:
            return obj
        return pd.Series(
            obj.array if values is None else values, index=index, name=obj.name, copy=False
        )
    if isinstance(obj, pd.Index) and not isinstance(obj, pd.MultiIndex):
        if _arrow_backed(obj.dtype):
            return pd.Index(_array(obj.array), name=obj.name)
    return obj


def _converted(obj):
    if isinstance(obj, list | tuple):
        items = [python_storage(item) for item in obj]
        if all(new is old for new, old in zip(items, obj, strict=True)):
            return obj
        return type(obj)(items) if isinstance(obj, list) else tuple(items)
    if isinstance(obj, dict):
        items = {key: python_storage(value) for key, value in obj.items()}
        if all(items[key] is value for key, value in obj.items()):
            return obj
        return items
    return python_storage(obj)


def _arrow_backed(dtype) -> bool:
    import pandas as pd

    if isinstance(dtype, pd.StringDtype):
        return dtype.storage == "pyarrow"
    return isinstance(dtype, pd.ArrowDtype)


def _array(values):
    """Python-stored copy of one Arrow-backed array (see :func:`python_storage`)."""
    import numpy as np
    import pandas as pd

    dtype = values.dtype
    if isinstance(dtype, pd.StringDtype):
        python = pd.StringDtype("python", na_value=dtype.na_value)
        texts = _python_texts(values, python)
        return values.astype(python) if texts is None else texts
    kind = dtype.kind  # ArrowDtype
    missing = np.asarray(pd.isna(values), dtype=bool)
    if kind in "OSU":
        python = pd.StringDtype("python", na_value=np.nan)
        texts = _python_texts(values, python)
        return pd.array(values.to_numpy(dtype=object, na_value=np.nan),
                        dtype=python) if texts is None else texts
    if kind in "iuf":
        if missing.any() or kind == "f":
            return values.to_numpy(dtype="float64", na_value=np.nan)
        return values.to_numpy(dtype=dtype.numpy_dtype)
    if kind == "b":
        if missing.any():
            return values.to_numpy(dtype=object, na_value=None)
        return values.to_numpy(dtype=bool)
    return values


def _python_texts(values, python):
    """The texts of an Arrow text array stored in Python objects, one object per distinct text.

    Arrow codes the array (``dictionary_encode``); the distinct texts become Python objects,
    and are checked as text, once each; each row then takes its text's object, the
    missing-value marker of ``python`` where it is missing (a ``take``: no row is looked at
    again). The same values as converting row by row, in less than half the time where texts
    repeat, and the rows then share objects (:func:`object_groups` codes them the faster).

    Parameters
    ----------
    values : pandas.api.extensions.ExtensionArray
        Arrow-backed text.
    python : pandas.StringDtype
        The Python-stored dtype to convert to.

    Returns
    -------
    pandas.arrays.StringArray or None
        None for an array that is not Arrow text, or whose first 10 000 rows are more than
        half distinct texts (converting row by row is then faster).
    """
    import numpy as np
    import pandas as pd
    import pyarrow as pa
    import pyarrow.compute as pc

    arrow = pa.array(values)
    if isinstance(arrow, pa.ChunkedArray):
        arrow = arrow.combine_chunks()
    if not (pa.types.is_string(arrow.type) or pa.types.is_large_string(arrow.type)):
        return None
    start = arrow.slice(0, _ARROW_SAMPLE)
    if 2 * pc.count_distinct(start, mode="all").as_py() > len(start):
        return None
    encoded = pc.dictionary_encode(arrow)
    distinct = pd.array(np.asarray(encoded.dictionary.to_numpy(zero_copy_only=False),
                                   dtype=object), dtype=python)
    return distinct.take(encoded.indices.fill_null(-1).to_numpy(), allow_fill=True)


def object_groups(values):
    """Rows of an object array grouped by the object each holds, or None where that does not pay.

    Two rows that hold the same object hold equal values, so coding one row per group
    (``pd.factorize(values[first])``) and spreading the codes back by group
    (``codes[group]``) gives exactly ``pd.factorize(values)``: the same codes, and the same
    distinct values (the very objects) in the same order. The groups are found from the
    objects' addresses, which the array stores, by integer hashing; no value is hashed or
    compared.

    Parameters
    ----------
    values : numpy.ndarray of object
        One-dimensional.

    Returns
    -------
    tuple of numpy.ndarray or None
        ``group`` (int64 per row: 0, 1, ... in the order the rows first show each object) and
        ``first`` (intp per group: a row that holds its object); None for fewer than
        1 000 rows, or where most rows hold objects of their own (coding them by value
        directly is then as fast): where the first 1 000 rows hold more than twice as many
        objects as values, or repeat values mostly in objects of their own (fewer than half
        of their repeats share an object), or the whole holds more objects than half its rows.

    Examples
    --------
    >>> import numpy as np
    >>> kg, m3 = "kg", "m3"
    >>> group, first = object_groups(np.array([kg, m3, kg] * 400, dtype=object))
    >>> group[:4].tolist(), len(first)
    ([0, 1, 0, 0], 2)
    """
    import numpy as np
    import pandas as pd

    n = len(values)
    if values.ndim != 1 or values.dtype != object or n < _GROUPING_PAYS:
        return None
    addresses = _addresses(values)
    if (addresses == addresses[0]).all():  # one object on every row: a column given as a constant
        return np.zeros(n, dtype=np.int64), np.zeros(1, dtype=np.intp)
    # a column made from a numpy text array holds a new object on every row: seen at its
    # start as many more objects than values
    start = len(pd.unique(values[:_GROUPING_PAYS]))
    objects = len(pd.unique(addresses[:_GROUPING_PAYS]))
    if objects > 2 * start:
        return None
    # texts seen again at the start, but mostly in objects of their own (a column converted
    # row by row from a numpy or Arrow text array): no grouping by object can pay, however
    # few objects the first rows happen to show
    sample = min(n, _GROUPING_PAYS)
    if 2 * (sample - objects) < sample - start:
        return None
    # no object seen twice at the start: perhaps one per row, and a table sized for them all
    # is then the fastest (one grown step by step rehashes them again and again)
    group, first = groups_by_key(addresses, size_hint=n if objects == sample else None)
    return None if 2 * len(first) > n else (group, first)


def factorize_repeated(values, **kwargs):
    """``pd.factorize(values, **kwargs)``, its hash table sized for the values the first rows show.

    pandas sizes the table for one value per row: for 100k rows of a handful of units or
    building parts, the table is 100k slots for a few values, allocated and cleared on every
    call (0.1-0.7 of 1.9 ms, measured alone, depending on what the allocator has at hand).
    Where the first 1 000 rows are mostly repeats, the table starts at four times the values
    they hold and grows if more come. The codes and distinct values are the same either way
    (first seen first); only the time differs.

    Parameters
    ----------
    values : array-like
        Anything :func:`pandas.factorize` takes.
    **kwargs
        Passed on (``use_na_sentinel``).

    Returns
    -------
    codes : numpy.ndarray
    uniques : numpy.ndarray or Index

    Examples
    --------
    >>> import numpy as np
    >>> codes, uniques = factorize_repeated(np.array(["kg", "m3", "kg"] * 500, dtype=object))
    >>> codes[:4].tolist(), uniques.tolist()
    ([0, 1, 0, 0], ['kg', 'm3'])
    """
    import pandas as pd

    start = values[:_GROUPING_PAYS]
    if len(values) > _GROUPING_PAYS:
        distinct = len(pd.unique(start))
        if 2 * distinct <= len(start):  # mostly repeats: a small table, grown when needed
            return pd.factorize(values, size_hint=4 * distinct, **kwargs)
    return pd.factorize(values, **kwargs)


def factorize_texts(values):
    """:func:`factorize_repeated` of an object array known to hold only ``str`` and missing values.

    The values of a ``str`` column stored in Python objects (pandas validates them when the
    column is made). :func:`pandas.factorize` first scans such an array to learn that every
    value is text, then codes it with its text hash table; here the table is used directly,
    without the scan (on 100k rows each holding its own object the scan reads every object
    once more from memory). Missing values get code -1, as with ``use_na_sentinel=True``.

    Where pandas' internals are not as expected, or a text may not be UTF-8 (a lone
    surrogate: the text table codes it by its ``repr``, which another text may equal), the
    result is :func:`factorize_repeated`'s.

    Parameters
    ----------
    values : numpy.ndarray of object
        One-dimensional; each element a ``str`` or missing (None, NaN, ``pd.NA``).

    Returns
    -------
    codes : numpy.ndarray of intp
    uniques : numpy.ndarray of object
        The same as ``pd.factorize(values, use_na_sentinel=True)``.

    Examples
    --------
    >>> import numpy as np
    >>> codes, uniques = factorize_texts(np.array(["kg", None, "m3", "kg"], dtype=object))
    >>> codes.tolist(), uniques.tolist()
    ([0, -1, 1, 0], ['kg', 'm3'])
    """
    import numpy as np
    import pandas as pd

    size = len(values)
    if len(values) > _GROUPING_PAYS:
        distinct = len(pd.unique(values[:_GROUPING_PAYS]))
        if 2 * distinct <= _GROUPING_PAYS:  # mostly repeats: a small table, grown when needed
            size = 4 * distinct
    try:
        from pandas._libs import hashtable

        uniques, codes = hashtable.StringHashTable(size).factorize(
            values, na_sentinel=-1, na_value=None, mask=None, ignore_na=True)
    except (ImportError, AttributeError, TypeError):  # pandas' internals differ
        return factorize_repeated(values, use_na_sentinel=True)
    # a lone surrogate is kept, or its repr is, as the first of its code: a distinct text
    # that is no UTF-8, or holds such a repr's escape, is looked at again (texts, not rows)
    if not all("\\ud" not in text and (text.isascii() or _utf8(text)) for text in uniques):
        return factorize_repeated(values, use_na_sentinel=True)
    return np.asarray(codes, dtype=np.intp), np.asarray(uniques, dtype=object)


def _utf8(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def groups_by_key(keys, size_hint: int | None = None):
    """Rows grouped by an integer key, groups numbered in the order the rows first show them.

    Parameters
    ----------
    keys : numpy.ndarray of integers
        One key per row (an object's address, a Categorical's code).
    size_hint : int, optional
        Slots the hash table starts with; by default at most ``_KEY_TABLE_SLOTS`` (grown as
        keys come). Only the time depends on it.

    Returns
    -------
    group : numpy.ndarray of int64
        Group of each row.
    first : numpy.ndarray of intp
        A row of each group (rows of one group hold one value, so any of them will do).
    """
    import numpy as np
    import pandas as pd

    # pandas sizes its table for one key per row: for 1M rows of 5 000 addresses a 1M-slot
    # table, whose every probe leaves the cache (25 ms); started small, it grows as keys come
    if size_hint is None:
        size_hint = min(len(keys), _KEY_TABLE_SLOTS)
    group, distinct = pd.factorize(keys, size_hint=size_hint)
    first = np.empty(len(distinct), dtype=np.intp)
    # the positions in 4 bytes where they fit: half the memory of a temporary made per call
    small = len(keys) <= np.iinfo(np.int32).max
    first[group] = np.arange(len(keys), dtype=np.int32 if small else np.intp)
    return group.astype(np.int64, copy=False), first


def per_group(grouped):
    """Rows to compute on and the way back to every row, for a grouping or none.

    Parameters
    ----------
    grouped : tuple or None
        ``(group, first)`` from :func:`object_groups` or :func:`groups_by_key`; None where
        there is no grouping.

    Returns
    -------
    take : numpy.ndarray or slice
        One row per group (every row, as ``slice(None)``, without a grouping).
    back : callable
        ``back(result)`` spreads a result per taken row to every row.

    Examples
    --------
    >>> take, back = per_group(object_groups(values))          # doctest: +SKIP
    >>> codes, uniques = pd.factorize(values[take]); codes = back(codes)   # doctest: +SKIP
    """
    if grouped is None:
        return slice(None), lambda result: result
    group, first = grouped
    return first, lambda result: result[group]


def one_object(values) -> bool:
    """Whether every element of a one-dimensional object array is the same object.

    Such an array (a column given as one value, a match method every line shares) holds one
    value: pandas types it from its first element alone. No element is read, only compared
    by address.

    Parameters
    ----------
    values : numpy.ndarray of object

    Returns
    -------
    bool
        False for an empty array.
    """
    if values.ndim != 1 or values.dtype != object or not len(values):
        return False
    if values.strides[0] == 0:  # a view of one element
        return True
    addresses = _addresses(values)
    return bool((addresses == addresses[0]).all())


def none_cells(values):
    """Per element of a one-dimensional object array: whether it is None, compared by address.

    No element is asked anything: a cell whose ``==`` cannot answer (``pd.NA``) or answers
    oddly costs the same integer comparison as any other.

    Parameters
    ----------
    values : numpy.ndarray of object

    Returns
    -------
    numpy.ndarray of bool

    Examples
    --------
    >>> import numpy as np
    >>> none_cells(np.array([None, "a", None], dtype=object)).tolist()
    [True, False, True]
    """
    return _addresses(values) == id(None)

def _addresses(values):
    """The addresses of an object array's elements, as unsigned integers: a read-only view.

    The array's buffer holds them. The view keeps the array alive (and with it every
    object), so no address can be reused while it is read; no copy is made.
    """
    import ctypes

    import numpy as np

    values = np.ascontiguousarray(values)
    if not len(values):
        return np.empty(0, dtype=np.uintp)
    buffer = (ctypes.c_char * (len(values) * values.itemsize)).from_address(values.ctypes.data)
    buffer.values = values  # the view holds the buffer, the buffer the array
    addresses = np.frombuffer(buffer, dtype=np.uintp)
    addresses.flags.writeable = False
    return addresses
