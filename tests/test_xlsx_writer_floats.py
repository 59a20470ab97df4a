"""The report writer's number text and row assembly, made for whole columns at once.

``klimafotavtrykk.xlsx_writer._float_texts`` takes the digits from orjson and keeps
``repr`` wherever the two notations may differ. These tests hold it to ``repr`` on
hand-picked edge values, on arbitrary doubles and on arbitrary 64-bit patterns, and
hold a float column's cells to the one-cell writer that formats with ``repr``.
``_int_texts`` is held to ``str``; ``_cell_slots`` and ``_joined_rows``, which write a
text that every row shares once instead of once per row, are held to the row-by-row
text they stand for.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from klimafotavtrykk.xlsx_writer import (
    _cell_slots,
    _column_cells,
    _float_texts,
    _int_texts,
    _joined_rows,
    _number_cell,
    _SharedStrings,
    _Styles,
)

# Each value with the text Python's repr gives it, written out by hand: plain digits for
# magnitudes in [1e-4, 1e16), exponent form outside (two exponent digits at least, a sign).
EDGES = [
    (0.0, "0.0"),
    (-0.0, "-0.0"),
    (5e-324, "5e-324"),  # the smallest subnormal, 2**-1074
    (-5e-324, "-5e-324"),
    (2.225073858507201e-308, "2.225073858507201e-308"),  # the largest subnormal
    (2.2250738585072014e-308, "2.2250738585072014e-308"),  # the smallest normal
    (1.7976931348623157e308, "1.7976931348623157e+308"),  # the largest double
    (-1.7976931348623157e308, "-1.7976931348623157e+308"),
    (1e16, "1e+16"),  # 10**16: the first plain-digit magnitude repr writes with an exponent
    (-1e16, "-1e+16"),
    (9999999999999998.0, "9999999999999998.0"),  # the double just below 1e16
    (1e15, "1000000000000000.0"),
    (1e22, "1e+22"),
    (1e-4, "0.0001"),  # the smallest magnitude repr writes plainly
    (0.0001, "0.0001"),
    (-1e-4, "-0.0001"),
    (9.999999999999999e-05, "9.999999999999999e-05"),  # the double just below 1e-4
    (0.00010000000000000002, "0.00010000000000000002"),  # the double just above 1e-4
    (1.0000000000000002e16, "1.0000000000000002e+16"),  # the double just above 1e16
    (1e-05, "1e-05"),
    (1e-07, "1e-07"),
    (1.0, "1.0"),  # integral floats keep ".0"
    (-3.0, "-3.0"),
    (100.0, "100.0"),
    (123456789.0, "123456789.0"),
    (0.1 + 0.2, "0.30000000000000004"),
    (0.1, "0.1"),
    (2.5, "2.5"),
    (1 / 3, "0.3333333333333333"),
    (float("nan"), "nan"),
    (float("inf"), "inf"),
    (float("-inf"), "-inf"),
]


def _doubles_from_bits(bits: list[int]) -> np.ndarray:
    return np.array(bits, dtype=np.uint64).view(np.float64)


@pytest.mark.parametrize(("value", "text"), EDGES)
def test_edge_values_are_written_as_repr(value, text):
    assert repr(value) == text  # the table above is what repr gives
    assert _float_texts(np.array([value])).tolist() == [text]


def test_edge_values_together_are_written_as_repr():
    values = np.array([value for value, _ in EDGES])
    assert _float_texts(values).tolist() == [text for _, text in EDGES]


def test_empty_array_gives_no_texts():
    assert _float_texts(np.array([], dtype=np.float64)).tolist() == []


@settings(max_examples=300)
@given(st.lists(st.floats(allow_nan=False, allow_infinity=False), max_size=60))
def test_arbitrary_doubles_are_written_as_repr(values):
    texts = _float_texts(np.array(values, dtype=np.float64))
    assert texts.tolist() == [repr(v) for v in values]


@settings(max_examples=300)
@given(st.lists(st.integers(0, 2**64 - 1), min_size=1, max_size=60))
def test_arbitrary_bit_patterns_are_written_as_repr(bits):
    # every 64-bit pattern is a double: subnormals, both zeros, NaNs with any payload, inf
    values = _doubles_from_bits(bits)
    assert _float_texts(values).tolist() == [repr(v) for v in values.tolist()]


def test_many_random_bit_patterns_are_written_as_repr():
    # about half of all patterns have magnitude >= 1e16 or < 1e-4; this exercises both
    # notations and the boundaries in volume, as a report column would
    rng = np.random.default_rng(2026)
    values = rng.integers(0, 2**64 - 1, 20_000, dtype=np.uint64, endpoint=True).view(np.float64)
    assert _float_texts(values).tolist() == [repr(v) for v in values.tolist()]


def test_values_near_the_notation_boundaries_are_written_as_repr():
    # the 100 doubles on each side of 1e-4 and of 1e16, both signs
    values = []
    for boundary in (1e-4, 1e16):
        for towards in (0.0, np.inf):
            value = boundary
            for _ in range(100):
                value = np.nextafter(value, towards)
                values += [value, -value]
    values = np.array(values)
    assert _float_texts(values).tolist() == [repr(v) for v in values.tolist()]


@given(st.lists(st.floats(width=32, allow_nan=False, allow_infinity=False), max_size=40))
def test_float32_values_are_written_as_the_double_they_equal(values):
    # a float32 column's cells hold repr of the double each value equals, as before
    narrow = np.array(values, dtype=np.float32)
    assert _float_texts(narrow).tolist() == [repr(v) for v in narrow.tolist()]


def _cells(column: pd.Series, number_format: str | None = None) -> str:
    slots = _column_cells(column, number_format, lambda v: v, _SharedStrings(), _Styles())
    return "".join(_rows(slots, len(column)))


@settings(max_examples=200)
@given(
    st.lists(
        st.one_of(
            st.floats(),  # with NaN and infinities: empty cells
            st.integers(0, 2**64 - 1).map(lambda b: _doubles_from_bits([b])[0].item()),
            st.sampled_from([value for value, _ in EDGES]),
        ),
        max_size=50,
    )
)
def test_float_column_cells_are_the_one_cell_writer_cells(values):
    # the column writer and the one-cell writer (which formats with repr) agree cell by cell;
    # the column writer formats each distinct number once, so equal numbers (0.0 and -0.0)
    # share the text of the first of them, as they always have
    column = pd.Series(values, dtype=np.float64)
    first = [next(u for u in values if u == v) if v == v else v for v in values]
    expected = "".join(_number_cell(v, ' s="2"') or "<c/>" for v in first)
    assert _cells(column, "0.00") == expected


@pytest.mark.parametrize(
    ("values", "dtype", "texts"),
    [
        ([0, -1, 7, 120], np.int8, ["0", "-1", "7", "120"]),
        ([-(2**63), 2**63 - 1], np.int64, ["-9223372036854775808", "9223372036854775807"]),
        ([0, 2**64 - 1], np.uint64, ["0", "18446744073709551615"]),
        ([], np.int64, []),
    ],
)
def test_int_texts_of_hand_picked_values(values, dtype, texts):
    assert _int_texts(np.array(values, dtype=dtype)) == texts


@given(st.lists(st.integers(-(2**63), 2**63 - 1), max_size=60))
def test_int_texts_are_str_over_int64(values):
    assert _int_texts(np.array(values, dtype=np.int64)) == [str(v) for v in values]


@given(st.lists(st.integers(0, 2**64 - 1), max_size=60))
def test_int_texts_are_str_over_uint64(values):
    assert _int_texts(np.array(values, dtype=np.uint64)) == [str(v) for v in values]


def _rows(slots, n_rows: int) -> list[str]:
    """Each row's text, slot by slot: the row-by-row meaning of a list of slots."""
    return ["".join(s if isinstance(s, str) else s[r] for s in slots) for r in range(n_rows)]


@settings(max_examples=300)
@given(st.data())
def test_cell_slots_are_the_cells_row_by_row(data):
    n_distinct = data.draw(st.integers(0, 4))
    valid = np.array(
        [*data.draw(st.lists(st.booleans(), min_size=n_distinct, max_size=n_distinct)), False]
    )
    digits = np.array([f"{i}" if ok else "" for i, ok in enumerate(valid)], dtype=object)
    codes = np.array(
        data.draw(st.lists(st.integers(-1, n_distinct - 1), max_size=12)), dtype=np.intp
    )
    # each row: a cell with start, digits and end where its entry is valid, else <c/>
    expected = ["<c><v>" + digits[c] + "</v></c>" if valid[c] else "<c/>" for c in codes]
    assert _rows(_cell_slots(codes, valid, digits, "<c><v>"), len(codes)) == expected


def test_cell_slots_of_a_full_column_are_constant_start_and_end():
    valid = np.array([True, True, False])
    slots = _cell_slots(np.array([0, 1, 0]), valid, np.array(["4", "5", ""], dtype=object), "<c>")
    assert slots[0] == "<c>" and slots[2] == "</v></c>"
    assert slots[1].tolist() == ["4", "5", "4"]


def test_cell_slots_of_few_distinct_values_are_whole_cells():
    # 3 entries (two values and "missing") for 6 rows: each row's whole cell in one slot
    valid = np.array([True, True, False])
    digits = np.array(["4", "5", ""], dtype=object)
    slots = _cell_slots(np.array([0, 0, 1, -1, 0, 1]), valid, digits, "<c>")
    assert len(slots) == 1
    assert slots[0].tolist() == [
        "<c>4</v></c>",
        "<c>4</v></c>",
        "<c>5</v></c>",
        "<c/>",
        "<c>4</v></c>",
        "<c>5</v></c>",
    ]


def test_cell_slots_of_an_empty_column_are_one_empty_cell():
    slots = _cell_slots(np.array([-1, -1]), np.array([False]), np.array([""], dtype=object), "<c>")
    assert slots == ["<c/>"]


@settings(max_examples=300)
@given(st.data())
def test_joined_rows_are_the_rows_in_order(data):
    n_rows = data.draw(st.integers(0, 5))
    texts = st.sampled_from(["", "a", "<row>", "</row>", "12"])
    slot = st.one_of(
        texts,
        st.lists(texts, min_size=n_rows, max_size=n_rows).map(lambda v: np.array(v, dtype=object)),
    )
    slots = data.draw(st.lists(slot, max_size=6))
    before, after = data.draw(texts), data.draw(texts)
    expected = before + "".join(_rows(slots, n_rows)) + after
    assert _joined_rows(slots, n_rows, before, after) == expected


def test_joined_rows_keep_the_first_row_start_and_the_last_row_end():
    # '<row r="' + number + '">' ... "</row>": the row-crossing merge must not move text
    # between the first and the last row
    slots = ['<row r="', np.array(["2", "3"], dtype=object), '">', "<c/>", "</row>"]
    assert _joined_rows(slots, 2) == '<row r="2"><c/></row><row r="3"><c/></row>'
    one_row = ['<row r="', np.array(["2"], dtype=object), '">', "<c/>", "</row>"]
    assert _joined_rows(one_row, 1, "<s>", "</s>") == '<s><row r="2"><c/></row></s>'
    assert _joined_rows([np.array(["x"], dtype=object)], 1, "<s>", "</s>") == "<s>x</s>"
    assert _joined_rows(slots[:1], 0, "<s>", "</s>") == "<s></s>"


@settings(max_examples=300)
@given(
    st.lists(st.sampled_from("abcde"), max_size=6),
    st.lists(st.lists(st.sampled_from("abcdefg"), max_size=8), max_size=4),
)
def test_add_many_numbers_texts_as_add_does_one_by_one(before, batches):
    # add_many gives each text the index add() would give it, in turn
    bulk, one_by_one = _SharedStrings(), _SharedStrings()
    for text in before:
        bulk.add(text)
        one_by_one.add(text)
    for batch in batches:
        indices = bulk.add_many(np.array(batch, dtype=object)).tolist()
        assert indices == [one_by_one.add(text) for text in batch]
        assert list(bulk.index.items()) == list(one_by_one.index.items())


def test_add_many_by_hand():
    # "x" is known as 0; "y" then "z" are new: 1 and 2, in order of first appearance
    strings = _SharedStrings()
    strings.add("x")
    assert strings.add_many(np.array(["y", "x", "z", "y"], dtype=object)).tolist() == [1, 0, 2, 1]
