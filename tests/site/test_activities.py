"""The activity table read as clean arrays (``site.activities``)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from klimafotavtrykk.site import (
    ACTIVITY_COLUMNS,
    AMOUNT_COLUMNS,
    NUMERIC_COLUMNS,
    activity_numbers,
    activity_text,
)


def test_numeric_columns_are_activity_columns():
    assert set(NUMERIC_COLUMNS) <= set(ACTIVITY_COLUMNS)
    assert list(AMOUNT_COLUMNS) == ["litres", "nm3", "kg", "kwh"]   # the order amounts are tried


def test_activity_numbers_read_decimal_commas_and_flag_text():
    frame = pd.DataFrame({"litres": ["1 000,5", "ca. 200", "", None, "12\u00a0345"],
                          "machine_hours": [1.0, 2.0, np.nan, 4.0, 5.0]})
    numbers, not_a_number = activity_numbers(frame)
    assert set(numbers) == set(NUMERIC_COLUMNS)
    # "1 000,5" = 1 000.5; "12 345" with a no-break space = 12 345; blank and None are missing
    np.testing.assert_array_equal(numbers["litres"], [1_000.5, np.nan, np.nan, np.nan, 12_345.0])
    np.testing.assert_array_equal(numbers["machine_hours"], [1.0, 2.0, np.nan, 4.0, 5.0])
    assert np.isnan(numbers["tonne_km"]).all()                     # a missing column
    assert not_a_number.tolist() == ["", "litres", "", "", ""]


def test_activity_numbers_flag_infinite_numbers_in_the_first_column():
    frame = pd.DataFrame({"kwh": [np.inf, 1.0], "litres": ["x", "y"]})
    numbers, not_a_number = activity_numbers(frame)
    # litres comes before kwh in NUMERIC_COLUMNS, so it is named first
    assert not_a_number.tolist() == ["litres", "litres"]
    assert np.isnan(numbers["kwh"][0]) and numbers["kwh"][1] == 1.0


def test_activity_text_strips_and_folds_keys_only():
    frame = pd.DataFrame({"carrier": [" Diesel ", "HVO100", "", None, "diesel"]})
    assert activity_text(frame, "carrier").tolist() == ["diesel", "hvo100", None, None, "diesel"]
    assert activity_text(frame, "carrier", fold=False).tolist() == [
        "Diesel", "HVO100", None, None, "diesel"]
    assert activity_text(frame, "machine").tolist() == [None] * 5   # a missing column
