"""Coding a text column by its objects first gives exactly what coding it by value gives.

:func:`klimafotavtrykk._string_storage.object_groups` groups rows by the object each holds;
:func:`klimafotavtrykk.units.unit_codes` and :func:`klimafotavtrykk._frames.text_codes`
code one row per group and spread the codes back. The references are pandas' own
``pd.factorize`` and ``_frames.text_codes_by_value`` of the whole column, on columns where the
rows share objects, hold equal texts in objects of their own, or mix the two, with every kind
of missing value and blank.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from klimafotavtrykk._frames import text_codes, text_codes_by_value
from klimafotavtrykk._string_storage import factorize_texts, object_groups, one_object
from klimafotavtrykk.units import unit_codes

#: Values a bill's text column holds: texts, blanks, numbers read as text, every missing marker.
POOL = ["kg", "m3", "tonn", " 231", "231", "231.0", "", "  ", "Kg", "epd_0001", None, np.nan,
        pd.NA, 231, 231.0]


def _fresh(value):
    """An equal value in an object of its own (a text rebuilt from its characters)."""
    return "".join(list(value)) if isinstance(value, str) else value


@st.composite
def columns(draw):
    """An object column of 1 000-3 000 rows over a few pool values, some rows in new objects."""
    kinds = draw(st.lists(st.sampled_from(range(len(POOL))), min_size=1, max_size=8, unique=True))
    n = draw(st.integers(1_000, 3_000))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    values = np.empty(n, dtype=object)
    values[:] = [POOL[kinds[k]] for k in rng.integers(0, len(kinds), n)]
    fresh = rng.random(n) < draw(st.sampled_from([0.0, 0.01, 0.5, 1.0]))
    values[fresh] = [_fresh(v) for v in values[fresh]]
    return values


def _by_groups(values):
    grouped = object_groups(values)
    if grouped is None:
        return pd.factorize(values, use_na_sentinel=True)
    group, first = grouped
    codes, uniques = pd.factorize(values[first], use_na_sentinel=True)
    return codes[group], uniques


@settings(max_examples=60, deadline=None)
@given(columns())
def test_coding_by_groups_equals_factorize(values):
    codes, uniques = _by_groups(values)
    expected_codes, expected_uniques = pd.factorize(values, use_na_sentinel=True)
    np.testing.assert_array_equal(codes, expected_codes)
    assert len(uniques) == len(expected_uniques)
    assert all(a is b for a, b in zip(uniques, expected_uniques, strict=True))  # the same objects


@settings(max_examples=60, deadline=None)
@given(columns())
def test_unit_codes_equal_factorize(values):
    codes, table = unit_codes(values)
    expected_codes, expected_uniques = pd.factorize(values, use_na_sentinel=True)
    np.testing.assert_array_equal(codes, expected_codes)
    assert table.index.tolist() == list(expected_uniques)


@settings(max_examples=60, deadline=None)
@given(columns(), st.sampled_from(["object", "str", "category"]))
def test_text_codes_by_groups_equal_text_codes_by_value(values, dtype):
    if dtype == "str" and any(not isinstance(v, str) and not pd.isna(v) for v in values):
        dtype = "object"  # numbers are no str
    column = pd.Series(values, dtype=dtype if dtype != "category" else object)
    if dtype == "category":
        column = column.where(column.notna(), None).astype(str).where(column.notna(), None)
        column = column.astype("category")
    codes, uniques = text_codes(column)
    expected_codes, expected_uniques = text_codes_by_value(column)
    np.testing.assert_array_equal(codes, expected_codes)
    assert uniques.dtype == expected_uniques.dtype == object
    assert uniques.tolist() == expected_uniques.tolist()


def test_rows_sharing_objects_form_one_group_each():
    kg, m3 = "kg", "m3"
    values = np.array([kg, m3, kg, None] * 300, dtype=object)
    group, first = object_groups(values)
    # four distinct objects (kg, m3, None), first seen at rows 0, 1, 3: groups 0, 1, 0, 2
    assert group[:4].tolist() == [0, 1, 0, 2]
    assert [values[i] for i in first] == [kg, m3, None]


@pytest.mark.parametrize("values", [
    np.array(["kg"] * 999, dtype=object),  # too short to pay
    np.array([f"{i}" for i in range(1_200)], dtype=object),  # every row its own value
    np.array(["kg", "m3"] * 600, dtype="U2").astype(object),  # a new object on every row
    # 5 000 ids over 2 000 rows, each row its own object: the first 1 000 rows hold about 900
    # ids, so objects are not twice the values; but of their ~100 repeated ids none shares
    # an object (a column converted row by row from Arrow)
    np.array([f"EPD {i % 5_000:05d}" for i in np.random.default_rng(3).integers(0, 5_000, 2_000)],
             dtype=object),
])
def test_grouping_declines_where_it_does_not_pay(values):
    assert object_groups(values) is None


def test_ids_repeated_in_shared_objects_are_grouped():
    ids = np.array([f"EPD {i:05d}" for i in range(5_000)], dtype=object)  # one object per id
    rows = np.random.default_rng(3).integers(0, 5_000, 20_000)
    group, first = object_groups(ids[rows])
    # groups numbered as the rows first show the ids; each group's row holds its id
    expected, _ = pd.factorize(rows)
    assert group.tolist() == expected.tolist()
    assert ids[rows][first].tolist() == [ids[r] for r in pd.unique(rows)]


def test_categorical_column_is_coded_by_its_codes():
    column = pd.Series(pd.Categorical([" 231", "231.0", None, "251", " "] * 400))
    codes, uniques = text_codes(column)
    # " 231" and "231.0" clean to "231" (code 0); None and " " are missing; "251" is code 1
    assert codes[:5].tolist() == [0, 0, -1, 1, -1]
    assert uniques.tolist() == ["231", "251"]


def test_one_object_compares_addresses_not_values():
    kg = "kg"
    assert one_object(np.array([kg] * 5, dtype=object))
    assert one_object(np.broadcast_to(np.array([None], dtype=object), (4,)))
    assert not one_object(np.array([kg, "".join(["k", "g"])], dtype=object))  # equal, two objects
    assert not one_object(np.array([], dtype=object))


@pytest.mark.parametrize("value", ["factor_id", None, 1.5])
def test_a_column_of_one_object_is_typed_as_pandas_types_it(value):
    from klimafotavtrykk._frames import typed
    from klimafotavtrykk.lifecycle.lines import _one_value

    values = np.empty(3_000, dtype=object)
    values.fill(value)
    fast, scanned = typed(_one_value(values)), typed(values)
    assert fast.dtype == scanned.dtype
    pd.testing.assert_series_equal(pd.Series(fast), pd.Series(scanned), check_exact=True)


@pytest.mark.parametrize("storage", ["python", "pyarrow"])
@pytest.mark.parametrize("value", ["factor_id", "", "Ø 110", pd.NA, np.nan, None])
def test_one_text_seen_on_every_row_is_typed_as_pandas_types_it(value, storage):
    """The one stored object n times, in the array type pandas gives the scanned column;
    the column is its own (not a view of the values, writable where pandas' is)."""
    from klimafotavtrykk._frames import typed
    from klimafotavtrykk.lifecycle.lines import _one_value

    if storage == "pyarrow":
        pytest.importorskip("pyarrow")
    values = np.empty(3_000, dtype=object)
    values.fill(value)
    with pd.option_context("mode.string_storage", storage):
        fast, scanned = typed(_one_value(values)), typed(values)
    assert type(fast) is type(scanned) and fast.dtype == scanned.dtype
    pd.testing.assert_series_equal(pd.Series(fast), pd.Series(scanned), check_exact=True)
    assert not np.may_share_memory(np.asarray(fast), values)
    if hasattr(fast, "_ndarray"):
        assert fast._ndarray.flags.writeable == scanned._ndarray.flags.writeable


#: Texts whose cleaning matters: white space of every kind around them, whole numbers read as
#: text, blanks, and texts that clean to the same value.
_TEXTS = st.text(alphabet=st.sampled_from([" ", "\t", "\n", "\u00a0", "\u2003", "2", "3", "1",
                                           ".", "0", "k", "g", "Ø", "\u0301"]), max_size=8)


@settings(max_examples=200, deadline=None)
@given(st.lists(_TEXTS, min_size=0, max_size=40, unique=True))
def test_few_texts_are_cleaned_as_the_pandas_text_methods_clean_them(texts):
    from klimafotavtrykk._frames import _codes_of_clean_texts, _codes_of_cleaned

    raw = np.empty(len(texts), dtype=object)
    raw[:] = texts
    codes = np.arange(-1, len(texts), dtype=np.intp)  # every distinct text once, and a missing line
    got_codes, got_uniques = _codes_of_clean_texts(codes, raw)
    expected_codes, expected_uniques = _codes_of_cleaned(codes, raw)
    np.testing.assert_array_equal(got_codes, expected_codes)
    assert got_codes.dtype == expected_codes.dtype == np.int64
    assert got_uniques.dtype == expected_uniques.dtype == object
    assert got_uniques.tolist() == expected_uniques.tolist()


@pytest.mark.parametrize("storage", ["python", "pyarrow"])
@pytest.mark.parametrize("kind", ["one object", "equal texts", "two texts", "none", "numbers",
                                  "text and none"])
def test_factor_columns_of_the_per_line_frame_are_typed_take(kind, storage):
    """The per-line frame's factor columns (one pass for all of them) equal typed_take's."""
    from klimafotavtrykk._frames import typed_take
    from klimafotavtrykk.lifecycle.lines import _PerFactor

    if storage == "pyarrow":
        pytest.importorskip("pyarrow")
    shared = "synthetic EPD"
    values = np.empty(6, dtype=object)
    values[:] = {"one object": [shared] * 6,
                 "equal texts": ["".join(["k", "g"]) for _ in range(6)],
                 "two texts": ["kg", "m3"] * 3,
                 "none": [None] * 6,
                 "numbers": [1.5, 2.5] * 3,
                 "text and none": ["kg", None] * 3}[kind]
    factor = np.random.default_rng(5).integers(0, 4, 2_000)  # rows 4 and 5 unused
    with pd.option_context("mode.string_storage", storage):
        got, expected = _PerFactor(len(values), factor).take(values), typed_take(values, factor)
    assert type(got) is type(expected) and got.dtype == expected.dtype
    pd.testing.assert_series_equal(pd.Series(got), pd.Series(expected), check_exact=True)


@settings(max_examples=60, deadline=None)
@given(columns(), st.booleans())
def test_factorize_with_a_small_table_equals_factorize(values, ordered_tail):
    """The hash table's starting size changes the time only: the same codes, the same objects."""
    from klimafotavtrykk._string_storage import factorize_repeated

    if ordered_tail:  # more distinct values after the first rows than they show: the table grows
        values = np.concatenate([values, np.array([f"t{i}" for i in range(3_000)], dtype=object)])
    codes, uniques = factorize_repeated(values, use_na_sentinel=True)
    expected_codes, expected_uniques = pd.factorize(values, use_na_sentinel=True)
    np.testing.assert_array_equal(codes, expected_codes)
    assert all(a is b for a, b in zip(uniques, expected_uniques, strict=True))
    assert len(uniques) == len(expected_uniques)


@pytest.mark.parametrize("dtype", ["str", pd.StringDtype("python"), object])
@pytest.mark.parametrize("kind", ["equal texts", "one object", "two texts", "text and missing",
                                  "missing only", "one and one point zero"])
def test_taken_gives_the_values_of_the_plain_take(kind, dtype):
    """Filling one value where the distinct values are one text gives what ``take`` gives."""
    from klimafotavtrykk._frames import taken

    values = {"equal texts": ["".join(["g", "w", "p"]) for _ in range(4)],
              "one object": ["gwp"] * 4,
              "two texts": ["kg", "m3", "kg", "kg"],
              "text and missing": ["kg", None, "kg", "kg"],
              "missing only": [None] * 4,
              "one and one point zero": [1, 1.0, 1, 1]}[kind]
    if kind == "one and one point zero" and dtype is not object:
        pytest.skip("numbers are no text")
    with pd.option_context("mode.string_storage", "python"):
        kinds = pd.Series(values, dtype=dtype).array
        positions = np.random.default_rng(3).integers(0, 4, 500)
        got, expected = taken(kinds, positions), kinds.take(positions)
    got_series, expected_series = pd.Series(got), pd.Series(expected)
    assert got_series.dtype == expected_series.dtype
    pd.testing.assert_series_equal(got_series, expected_series, check_exact=True)
    assert [type(v) for v in got_series] == [type(v) for v in expected_series]


_TEXT_OR_MISSING = st.one_of(st.sampled_from(["kg", "m3", "215", "", " kg", "Kg", "ø", "\ud800",
                                              "'\\ud800'"]),
                             st.text(max_size=4), st.sampled_from([None, np.nan, pd.NA]))


@settings(max_examples=150, deadline=None)
@given(st.lists(_TEXT_OR_MISSING, max_size=30), st.integers(0, 80), st.booleans())
def test_factorize_texts_is_pandas_factorize(values, repeat, own_objects):
    """Text or missing values, few or many, shared objects or one per row: pandas' codes."""

    values = values * (1 + repeat)
    if own_objects:
        values = [(v + "x")[:-1] if isinstance(v, str) else v for v in values]
    array = np.array(values, dtype=object)
    codes, uniques = factorize_texts(array)
    expected_codes, expected = pd.factorize(array, use_na_sentinel=True)
    np.testing.assert_array_equal(codes, expected_codes)
    assert codes.dtype == expected_codes.dtype
    assert uniques.dtype == object and uniques.tolist() == expected.tolist()


def test_factorize_texts_worked_example():
    # first seen first; missing values (None, NaN) are -1; "Kg" and "kg" are two texts
    array = np.array(["kg", None, "m3", "Kg", np.nan, "kg"] * 400, dtype=object)

    codes, uniques = factorize_texts(array)
    assert uniques.tolist() == ["kg", "m3", "Kg"]
    assert codes[:6].tolist() == [0, -1, 1, 2, -1, 0]
