"""Text-number rules: numeric cells as stored, text only under the nb-NO rule, the rest reported.

Expected values are the numbers as a Norwegian reader reads the text (Språkrådet:
space groups thousands, comma is the decimal sign), worked out by hand.
"""

import datetime as dt
import math
import pickle

import numpy as np
import pytest

from klimafotavtrykk.errors import InputError
from klimafotavtrykk.quantities.numbers import (
    LOCALES,
    check_locale,
    parse_text_numbers,
    read_numbers,
)


@pytest.mark.parametrize(("text", "value"), [
    ("1,25", 1.25),
    ("1 250", 1250.0),
    ("1\u00a0250", 1250.0),         # no-break space
    ("1\u202f250", 1250.0),         # narrow no-break space
    ("1 250,5", 1250.5),
    ("12 345 678,125", 12345678.125),
    ("\u221240", -40.0),            # typographic minus sign
    ("-3", -3.0),
    ("+7", 7.0),
    ("0,5", 0.5),
    ("1.250,5", 1250.5),            # point groups thousands, comma decimals
    ("12.5", 12.5),                 # a point that cannot group thousands is a decimal point
    ("0.250", 0.25),                # leading 0: not a thousands group
    ("1234.567", 1234.567),         # four digits before the point: not a group
    ("40", 40.0),
])
def test_nb_no_text_numbers(text, value):
    got = parse_text_numbers([text])
    assert got.values[0] == pytest.approx(value, rel=0, abs=1e-12)
    assert got.kind[0] == "text_number"
    assert "read as" in got.detail[0]


@pytest.mark.parametrize("text", ["1.250", "12.500", "1.250.000", "-1.250"])
def test_point_with_three_digits_is_ambiguous(text):
    got = parse_text_numbers([text])
    assert math.isnan(got.values[0])
    assert got.kind[0] == "ambiguous_number"


@pytest.mark.parametrize(("text", "why"), [
    ("RO", "lump sum"),
    ("R.O.", "lump sum"),
    ("RS", "lump sum"),
    ("ca. 40", "approximate"),
    ("ca 40", "approximate"),
    ("Ca. 1 250", "approximate"),
    ("~40", "approximate"),
    ("40-50", "range"),
    ("1e3", "scientific"),
    ("40 m3", "text around"),
    ("1,250.5", "text around"),     # English grouping is not the nb-NO rule
    ("abc", "not a number"),
    ("1 25", "text around"),        # a space that does not group three digits
])
def test_non_numbers_are_reported_never_coerced(text, why):
    got = parse_text_numbers([text])
    assert math.isnan(got.values[0])
    assert got.kind[0] == "not_a_number"
    assert why in got.detail[0]
    assert got.found[0] == text


def test_per_cent_only_when_asked():
    # 5 % = 5 / 100 = 0.05; 12,5 % = 12.5 / 100 = 0.125
    got = parse_text_numbers(["5 %", "12,5%"], percent=True)
    assert got.values.tolist() == pytest.approx([0.05, 0.125])
    assert parse_text_numbers(["5 %"]).kind[0] == "not_a_number"


def test_no_locale_reads_no_text():
    got = parse_text_numbers(["1,25", "40"], locale=None)
    assert np.isnan(got.values).all()
    assert list(got.kind) == ["not_a_number", "not_a_number"]


def test_numeric_cells_are_locale_free_and_unreported():
    got = read_numbers([1.5, 3, -2.0, 1e-9], locale=None)
    assert got.values.tolist() == [1.5, 3.0, -2.0, 1e-9]
    assert list(got.kind) == [None, None, None, None]


def test_mixed_column_as_calamine_gives_it():
    cells = [26.356, "", "  ", "1,25", True, dt.date(2024, 3, 1), "RO", float("nan")]
    got = read_numbers(cells)
    assert got.values[0] == 26.356 and got.values[3] == 1.25
    assert np.isnan(got.values[[1, 2, 4, 5, 6, 7]]).all()
    assert list(got.kind) == [None, "empty", "empty", "text_number", "not_a_number",
                              "not_a_number", "not_a_number", "not_a_number"]
    assert got.found[4] == "True" and got.found[5] == "2024-03-01"
    assert "TRUE/FALSE" in got.detail[4] and "date" in got.detail[5]


def test_all_text_and_all_number_columns_take_the_fast_path():
    assert read_numbers(["1", "2,5"]).values.tolist() == [1.0, 2.5]
    assert read_numbers(np.array([1.0, 2.0], dtype=object)).values.tolist() == [1.0, 2.0]
    assert read_numbers([]).values.size == 0


def test_bad_locale_is_an_input_error_that_pickles():
    with pytest.raises(InputError) as info:
        check_locale("en-US")
    assert info.value.code == "bad_locale"
    again = pickle.loads(pickle.dumps(info.value))
    assert again.code == "bad_locale" and str(again) == str(info.value)
    assert LOCALES == ("nb-NO", None)
