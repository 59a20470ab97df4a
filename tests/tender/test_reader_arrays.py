"""The bid reader's column helpers on arrays agree with the public Series helpers.

:func:`klimafotavtrykk.tender.reader.bid_frames` types each column as one array; these tests
hold the array helpers against :func:`~klimafotavtrykk.tender.schema.parse_yes_no` and the
frames' dtypes, on values worked out by hand.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from klimafotavtrykk.tender.reader import (
    _choice_array,
    _clean_array,
    _read_numbers,
    _yes_no_array,
    bid_frames,
)
from klimafotavtrykk.tender.schema import parse_yes_no


def test_yes_no_with_unknown_spellings_is_object_with_na():
    text = np.array(["ja", "Nei", None, "kanskje", "X"], dtype=object)
    values, known = _yes_no_array(text)
    # ja -> True, Nei -> False, blank and "kanskje" unknown (<NA>), X -> True
    assert values.dtype == object
    assert values[0] is True and values[1] is False and values[4] is True
    assert values[2] is pd.NA and values[3] is pd.NA
    assert known.tolist() == [True, True, False, False, True]
    expected = parse_yes_no(text).to_numpy()
    assert [v is pd.NA for v in values] == [v is pd.NA for v in expected]


def test_yes_no_all_understood_is_bool():
    values, known = _yes_no_array(np.array(["ja", "nei", "yes"], dtype=object))
    assert values.dtype == bool and values.tolist() == [True, False, True] and known.all()
    assert parse_yes_no(["ja", "nei", "yes"]).to_numpy().dtype == bool


def test_clean_text_strips_and_drops_a_whole_numbers_point_zero():
    cells = np.array([" a ", "", None, 7.0, 2.5, "a"], dtype=object)
    assert _clean_array(cells).tolist() == ["a", None, None, "7", "2.5", "a"]
    assert _clean_array(np.array(["x", "  "], dtype=object)).tolist() == ["x", None]



def test_clean_text_of_text_only_cells_as_when_coded_first():
    """Text in every cell (the stripped-cell path): the values coding the cells first gives."""
    cells = np.array([" 1.01#ab ", "1.02#cd", " ", "", "1.01#ab", "\t2\n", np.str_(" x ")],
                     dtype=object)
    # by hand: ends stripped, blank -> None, numpy's str_ -> str
    expected = ["1.01#ab", "1.02#cd", None, None, "1.01#ab", "2", "x"]
    got = _clean_array(cells)
    assert got.dtype == object and got.tolist() == expected
    assert [type(v) for v in got.tolist()] == [str, str, type(None), type(None), str, str, str]
    mixed = np.append(cells, None)  # a None among them: the coded path, the same values
    assert _clean_array(mixed).tolist() == [*expected, None]

def test_a_column_left_empty_stays_empty():
    # None in every cell (the reader's empty column): None out, an object array of its own
    cells = np.array([None, None, None], dtype=object)
    got = _clean_array(cells)
    assert got.dtype == object and got.tolist() == [None, None, None] and got is not cells
    assert _choice_array(cells, "transport_modes").tolist() == [None, None, None]
    # cells filled: the lookup runs (the template's dropdown name in bokmål -> its id; text
    # it does not know is kept for the model to report)
    assert _choice_array(np.array([None, " Skip, importlegg ", "lastebil"], dtype=object),
                         "transport_modes").tolist() == [None, "ship", "lastebil"]
    assert _clean_array(np.array([], dtype=object)).tolist() == []


def test_numbers_of_float_and_blank_cells_are_the_floats():
    # worked by hand: None -> NaN, each float as it is, nothing unreadable
    values, unreadable = _read_numbers(np.array([1.5, None, -0.0, float("inf"), None],
                                                dtype=object))
    assert values.dtype == float and unreadable.dtype == bool
    np.testing.assert_array_equal(values, [1.5, np.nan, -0.0, np.inf, np.nan])
    assert np.signbit(values[2]) and not unreadable.any()
    values, unreadable = _read_numbers(np.array([None, None], dtype=object))
    assert np.isnan(values).all() and not unreadable.any()
    # a text cell among them: read with the comma rule, "x" unreadable
    values, unreadable = _read_numbers(np.array([2.0, None, "1,5", "x"], dtype=object))
    np.testing.assert_array_equal(values, [2.0, np.nan, 1.5, np.nan])
    assert unreadable.tolist() == [False, False, False, True]


_CELLS = st.one_of(st.none(), st.floats(allow_nan=True, allow_infinity=True),
                   st.integers(-10, 10), st.booleans(), st.sampled_from(["", " ", "1,5", "x", "2"]),
                   st.builds(np.float64, st.floats(-1e3, 1e3)))


@settings(max_examples=300, deadline=None)
@given(cells=st.lists(_CELLS, max_size=30), floats_only=st.booleans())
def test_numbers_are_what_to_numeric_gives(cells, floats_only):
    # the plain way: pandas parses every cell, text once more with the comma rule
    if floats_only:
        cells = [c for c in cells if c is None or type(c) is float]
    array = np.array(cells + [None], dtype=object)[:-1]  # an object array even of lists
    values, unreadable = _read_numbers(array)
    plain = np.asarray(pd.to_numeric(array, errors="coerce"), dtype=float)
    text = np.isnan(plain) & ~pd.isna(array)
    if text.any():
        cleaned = (pd.Series(array[text], dtype=object).astype(str).str.replace(" ", "")
                   .str.replace(",", "."))
        plain[text] = np.asarray(pd.to_numeric(cleaned, errors="coerce"), dtype=float)
    np.testing.assert_array_equal(values, plain)
    assert values.dtype == float and len(unreadable) == len(cells)


def test_bid_frames_types_the_columns_and_lists_what_it_cannot_read():
    materials = pd.DataFrame({
        "source_ref": ["[b.xlsx]M!E2", "[b.xlsx]M!E3"], "quantity": [1.0, 2.0],
        "epd_gwp_a1a3": ["1,5", 3],  # text with a decimal comma; a number cell
        "dataset_type": ["Produkt-EPD", "noe annet"],
        "epd_valid_until": [dt.datetime(2029, 12, 31), "31.05.2026"],
        "committed": ["ja", "tja"]})
    site = pd.DataFrame({"source_ref": ["[b.xlsx]S!F2"], "quantity": ["1 000"],
                         "unit": ["l"], "carrier": ["Diesel"], "committed": ["nei"]})
    m, s, found = bid_frames(materials, site)
    assert m["epd_gwp_a1a3"].tolist() == [1.5, 3.0]
    assert m["epd_valid_until"].dtype.kind == "M"
    assert m["epd_valid_until"].tolist() == [pd.Timestamp(2029, 12, 31), pd.Timestamp(2026, 5, 31)]
    assert m["dataset_type"].tolist() == ["product_epd", None]
    assert m["committed"][0] is True and m["committed"][1] is pd.NA
    assert len(m) == 2 and list(m.index) == [0, 1]
    # 1 000 l of diesel: litres 1000, nothing in the other amount columns
    assert s["litres"].tolist() == [1000.0] and np.isnan(s["kwh"]).all()
    assert s["carrier"].tolist() == ["diesel"] and s["committed"].tolist() == [False]
    assert found[["source_ref", "kind", "detail"]].values.tolist() == [
        ["[b.xlsx]M!E3", "bad_dataset_type", "noe annet"],
        ["[b.xlsx]M!E3", "bad_committed", "tja"]]


_READ_AS_IS = {  # per bid column: the cells of two material rows, as a bidder may fill them
    "filled": {},
    "text": {"epd_id": [" NEPD-1 ", "  "], "epd_gwp_a1a3": ["215,5", "x"],
             "dataset_type": ["Produkt-EPD ", "noe annet"], "epd_valid_until": ["31.05.2026", "snart"],
             "mass_per_unit": ["2 400", None], "committed": ["ja", "kanskje"],
             "epd_declared_unit": [" m3", None], "product": ["B30", None]},
    "text_in_every_cell": {"epd_id": ["A", "B"], "epd_valid_until": ["2026-01-01", "2027-01-01"],
                           "committed": ["ja", "nei"], "dataset_type": ["x", "y"],
                           "epd_declared_unit": ["m3", "kg"], "product": ["P", "Q"]},
    "numbers_in_text_columns": {"epd_id": [123, 4.5], "dataset_type": [1, None],
                                "committed": [1, 0], "epd_declared_unit": [3, None]},
    "blank": {"epd_id": [None, None], "epd_gwp_a1a3": [None, None], "dataset_type": [None, None],
              "epd_valid_until": [None, None], "mass_per_unit": [None, None],
              "committed": [None, None], "epd_declared_unit": [None, None],
              "product": [None, None]},
}
_SITE_AS_IS = {"filled": {}, "text": {"rated_power_kw": ["12,5", "abc"], "committed": ["yes", "?"],
                                      "category": [" maskin", "noe"], "carrier": ["HVO100 ", None]},
               "text_in_every_cell": {"rated_power_kw": ["1", "2"], "machine": ["a", "b"]},
               "numbers_in_text_columns": {"carrier": [1, 2.5], "committed": [1, None]},
               "blank": {"category": [None, None], "committed": [None, None]}}


@pytest.mark.filterwarnings("ignore:Parsing dates:UserWarning")  # the writer, on text dates
@pytest.mark.parametrize("case", sorted(_READ_AS_IS))
def test_bid_columns_read_as_object_give_the_frames_of_columns_typed_first(
        tmp_path, filled, monkeypatch, case):
    """The bid's own columns typed by ``bid_frames`` from object cells (``untyped``) give the
    frames, findings and warnings that typing them as new columns first (text inferred) gave."""
    from pandas.testing import assert_frame_equal

    from klimafotavtrykk.tender import reader
    from klimafotavtrykk.tender.template import write_template

    rows, site, declaration = filled
    rows = rows.astype(object).assign(**{k: pd.Series(v, dtype=object)
                                         for k, v in _READ_AS_IS[case].items()})
    site = site.astype(object).assign(**{k: pd.Series(v, dtype=object)
                                         for k, v in _SITE_AS_IS[case].items()})
    path = write_template(tmp_path / "bud.xlsx", rows=rows, site=site, declaration=declaration)
    got = reader.read_bid(path)
    monkeypatch.setattr(reader, "_TYPED_HERE", {"materials": frozenset(), "site": frozenset()})
    expected = reader.read_bid(path)
    for name in ("materials", "site", "findings"):
        a, b = getattr(got, name), getattr(expected, name)
        assert_frame_equal(a, b, check_exact=True)
        assert list(a.dtypes) == list(b.dtypes)
        assert [[type(v) for v in a[c].tolist()] for c in a.columns] == [
            [type(v) for v in b[c].tolist()] for c in b.columns]
    assert got.warnings == expected.warnings and got.columns == expected.columns
    if case == "text_in_every_cell":  # read as is, typed where bid_frames does not type it
        assert str(got.materials["epd_declared_unit"].dtype) == "str"
