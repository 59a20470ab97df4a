"""Column helpers of klimafotavtrykk._frames."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from klimafotavtrykk._frames import row_codes, text_code_parts, text_codes, typed, typed_take


def test_row_codes_number_combinations_first_seen_first():
    # rows: (a, 1) (b, 1) (a, 1) (a, None) (b, 1): combinations in order of first sight
    # (a, 1) -> 0 at row 0, (b, 1) -> 1 at row 1, (a, None) -> 2 at row 3
    codes, first = row_codes([np.array(["a", "b", "a", "a", "b"], dtype=object),
                              np.array([1, 1, 1, None, 1], dtype=object)])
    assert codes.tolist() == [0, 1, 0, 2, 1]
    assert first.tolist() == [0, 1, 3]


def _row_codes_by_value(columns):
    """The reference: every column factorized row by row, first rows by np.unique."""
    combined = np.zeros(len(columns[0]), dtype=np.int64)
    for values in columns:
        codes, uniques = pd.factorize(values)
        combined = combined * (len(uniques) + 1) + (codes + 1)
    code, _ = pd.factorize(combined)
    _, first = np.unique(code, return_index=True)
    return code, first


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 2_500), st.integers(0, 2**32 - 1), st.booleans())
def test_row_codes_grouped_by_object_are_the_codes_by_value(n, seed, own_objects):
    # long enough (>= 1 000 rows) that object columns are grouped by object first; with
    # own_objects some rows hold equal texts in objects of their own, some blanks are NaN
    rng = np.random.default_rng(seed)
    texts = np.array(["kg", "m3", "stk", None, np.nan], dtype=object)
    first_column = texts[rng.integers(0, 5, n)]
    if own_objects and n:
        at = rng.integers(0, n, n // 3)
        first_column[at] = ["".join(["k", "g"]) for _ in at]
    second = np.array(["a", "b"], dtype=object)[rng.integers(0, 2, n)]
    numbers = rng.integers(0, 3, n)
    columns = [first_column, second, numbers]
    codes, first = row_codes(columns)
    expected_codes, expected_first = _row_codes_by_value(columns)
    assert codes.tolist() == expected_codes.tolist()
    assert first.tolist() == expected_first.tolist()
    assert codes.dtype == np.int64 and first.dtype == np.int64


def _as_pandas_types(values):
    """What a frame given ``values`` holds: pandas' own typing of the whole array (the reference)."""
    return pd.Series(values).array


_MIXES = {
    "texts": ["kg", "m3", "kg"],
    "texts and None": ["kg", None, "m3"],
    "texts and NaN": ["kg", np.nan, "m3"],
    "None only": [None, None, None],
    "NaN only": [np.nan, np.nan, np.nan],
    "texts and a number": ["kg", 3, "m3"],
    "numbers": [1, 2.5, 3],
    "booleans": [True, False, True],
    "booleans and None": [True, None, False],
    "timestamps": [pd.Timestamp("2025-01-01"), pd.Timestamp("2026-06-30"), None],
}


@pytest.mark.parametrize("mix", _MIXES)
@pytest.mark.parametrize("codes", [[0, 1, 2, 1, 0], [2, 2], [1, 1, 1], [0], []])
def test_typed_take_types_as_pandas_types_the_whole_column(mix, codes):
    values = np.array(_MIXES[mix], dtype=object)
    codes = np.array(codes, dtype=np.int64)
    got = pd.Series(typed_take(values, codes))
    expected = pd.Series(_as_pandas_types(values[codes]))
    pd.testing.assert_series_equal(got, expected, check_exact=True)


def test_typed_take_of_texts_is_a_text_column_with_missing_as_nan():
    # codes 2, 0, 1: "m3", "kg", None; the used values are all text or missing -> str,
    # and a str column holds a missing value as NaN
    got = typed_take(np.array(["kg", None, "m3"], dtype=object), np.array([2, 0, 1]))
    assert pd.Series(got).dtype == pd.Series(["kg", None]).dtype
    assert got[0] == "m3" and got[1] == "kg" and pd.isna(got[2])


def test_typed_take_types_only_from_the_values_used():
    # row 1 (a number) is never used: the column is text, as pandas types ["kg", "m3"]
    values = np.array(["kg", 3, "m3"], dtype=object)
    got = typed_take(values, np.array([0, 2, 2]))
    assert pd.Series(got).dtype == pd.Series(np.array(["kg", "m3"], dtype=object)).dtype


@pytest.mark.parametrize("mix", _MIXES)
def test_typed_types_as_pandas_and_never_shares_the_array(mix):
    values = np.array(_MIXES[mix] * 2, dtype=object)
    got = typed(values)
    pd.testing.assert_series_equal(pd.Series(got), pd.Series(_as_pandas_types(values)),
                                   check_exact=True)
    assert not np.may_share_memory(np.asarray(got), values)


@pytest.mark.parametrize("value", [None, "thickness 12.5 mm from text", np.nan])
def test_typed_types_a_view_of_one_value_by_that_value(value):
    view = np.broadcast_to(np.array(value, dtype=object), (6,))  # stride 0, read-only
    assert view.strides == (0,)
    got = typed(view)
    expected = _as_pandas_types(np.array([value] * 6, dtype=object))
    pd.testing.assert_series_equal(pd.Series(got), pd.Series(expected), check_exact=True)
    assert np.asarray(got).flags.writeable


def test_a_frame_without_rows_is_built_once_and_each_caller_gets_its_own():
    from klimafotavtrykk._frames import empty_once

    calls = []

    def build():
        calls.append(1)
        return pd.DataFrame({"kind": pd.Series(dtype=object), "n": pd.Series(dtype="int64")})

    first, second = empty_once("test.once", build), empty_once("test.once", build)
    assert len(calls) == 1 and first is not second
    pd.testing.assert_frame_equal(first, build())
    pd.testing.assert_frame_equal(second, build())
    first["extra"] = pd.Series(dtype=float)  # a column added to one frame ...
    second["n"] = second["n"].astype(float)  # ... or retyped in another
    third = empty_once("test.once", build)
    assert list(third.columns) == ["kind", "n"] and third["n"].dtype == np.dtype("int64")
    assert len(calls) == 3  # once for the key, and the two builds compared above
    empty_once(None, build)  # no key: built every time
    assert len(calls) == 4
    with pytest.raises(ValueError, match="without rows"):
        empty_once("test.rows", lambda: pd.DataFrame({"a": [1]}))


def test_the_shape_of_frames_tells_labels_dtypes_and_attrs_apart():
    from klimafotavtrykk._frames import shape

    ints = pd.DataFrame({1: pd.Series(dtype=object)})
    texts = pd.DataFrame({"1": pd.Series(dtype=object)})
    floats = pd.DataFrame({"1": pd.Series(dtype=float)})
    assert shape(ints) != shape(texts) != shape(floats)
    assert shape(texts) == shape(pd.DataFrame({"1": pd.Series(dtype=object)}))
    texts.attrs["source"] = "x"  # pandas carries attrs into frames made from this one
    assert shape(texts) is None and shape(floats, texts) is None


_PART_TEXTS = st.sampled_from(["231", " 231", "231.0", "215", "", "  ", None, np.nan, "21 ", 231.0,
                               "Betong", "betong"])


@settings(max_examples=150, deadline=None)
@given(st.lists(_PART_TEXTS, max_size=40), st.integers(0, 60), st.sampled_from(
    ["shared", "own", "str", "category", "numpy"]))
def test_text_code_parts_put_together_are_text_codes(values, repeat, storage):
    """Keys per line and a code per key give text_codes' codes and texts, however stored."""
    values = values * (1 + repeat)  # long enough (1 000 rows and more) to be grouped
    if storage == "own":  # a new object on every row, as a numpy text array makes
        values = [(v + "x")[:-1] if isinstance(v, str) else v for v in values]
    column = {
        "shared": lambda: pd.Series(values, dtype=object),
        "own": lambda: pd.Series(values, dtype=object),
        "str": lambda: pd.Series([v if isinstance(v, str) else None for v in values], dtype="str"),
        "category": lambda: pd.Series(values, dtype=object).astype("category"),
        "numpy": lambda: np.array(values, dtype=object),
    }[storage]()
    keys, key_codes, uniques = text_code_parts(column)
    codes, expected = text_codes(column)
    assert key_codes.dtype == np.int64 and len(keys) == len(column)
    np.testing.assert_array_equal(np.append(key_codes, -1)[keys], codes)
    assert uniques.tolist() == expected.tolist()
    assert set(keys[keys >= 0].tolist()) == set(range(len(key_codes)))  # each key a line's


def test_text_code_parts_worked_example():
    # " 231" and "231.0" are part 231 (stripped, a number cell's ".0" dropped); None is missing
    column = pd.Series([" 231", "231.0", None, "215", " 231"], dtype=object)
    keys, key_codes, uniques = text_code_parts(column)
    assert uniques.tolist() == ["231", "215"]
    assert np.append(key_codes, -1)[keys].tolist() == [0, 0, -1, 1, 0]
