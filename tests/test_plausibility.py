"""Plausibility limits: a source on every row, and the checks worked by hand."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from klimafotavtrykk._data import data_path
from klimafotavtrykk.plausibility import implausible_lines, implausible_masks, load_quantity_limits
from klimafotavtrykk.vocabulary import DIMENSIONS


def test_every_dimension_has_a_flagged_reasoned_limit():
    table = pd.read_csv(data_path("units", "plausible_quantities.csv"))
    assert sorted(table["dimension"]) == sorted(DIMENSIONS)
    assert table["is_default"].all() and table["default_reason"].str.len().gt(20).all()
    assert np.isfinite(load_quantity_limits()).all()


def test_checks_by_hand():
    limits = np.array([1e9, 1e6, 1e7, 1e6, 1e7])           # kg, m3, m2, m, piece
    quantity = np.array([2e6, 2e6, 999_999.0, -0.5, 5.0, np.nan, 1e20])
    scale = np.array([1000.0, 1.0, 1.0, 1.0, 1.0, 1.0, np.nan])
    dim = np.array([0, 1, 3, 2, -1, 1, 0])
    # 2e6 t = 2e9 kg > 1e9; 2e6 m3 > 1e6; 999 999 m <= 1e6; negative; lump sum: no limit;
    # missing quantity and unknown unit are not judged here
    assert implausible_lines(quantity, scale, dim, limits).tolist() == [
        "quantity_too_large", "quantity_too_large", None, "negative_quantity", None, None, None]


def test_plausible_bills_are_cleared_by_bounds_as_line_by_line():
    """Bills below every limit, where bounds alone clear them, worked by hand.

    500 t (5e5 kg, limit 1e9) and 3 m3 (1e6): the largest |q| is 500 (of -500), the largest
    scale 1000, 5e5 <= the smallest limit spanned (dimensions 0-1: 1e6). At the limit
    itself (1e6 m3, not above it) and one step above it.
    """
    limits = np.array([1e9, 1e6, 1e7, 1e6, 1e7])
    negative, too_large = implausible_masks(np.array([500.0, -500.0, 3.0, np.nan]),
                                            np.array([1000.0, 1000.0, 1.0, 1.0]),
                                            np.array([0, 0, 1, 1]), limits)
    assert negative.tolist() == [False, True, False, False]
    assert too_large.tolist() == [False] * 4
    at_limit = implausible_masks(np.array([1e6, 2.0]), np.broadcast_to(1.0, (2,)),
                                 np.array([1, 1]), limits)[1]
    above = implausible_masks(np.array([np.nextafter(1e6, 2e6), 2.0]),
                              np.broadcast_to(1.0, (2,)), np.array([1, 1]), limits)[1]
    assert at_limit.tolist() == [False, False] and above.tolist() == [True, False]
    # a credit of 2e6 m3 is as large as a delivery of 2e6 m3: its size counts, not its sign
    credit = implausible_masks(np.array([-2e6, 3.0]), np.array([1.0, 1.0]), np.array([1, 1]),
                               limits)
    assert credit[0].tolist() == [True, False] and credit[1].tolist() == [True, False]


FLOATS = st.one_of(st.floats(allow_nan=True, allow_infinity=True, width=64),
                   st.sampled_from([0.0, -0.0, 1e6, 1e9, 1e7, 999_999.9, 1000.0]))


@pytest.mark.filterwarnings("ignore:overflow encountered:RuntimeWarning")
@settings(max_examples=400, deadline=None)
@given(data=st.data(), n=st.integers(1, 40), one_scale=st.booleans())
def test_masks_are_the_line_by_line_comparison(data, n, one_scale):
    """Any quantities, scales (NaN, inf, 0, negative), dimensions and limits: the masks are
    ``q < 0`` and ``|q| * scale > limit`` of each line's dimension (none for -1)."""
    q = np.array(data.draw(st.lists(FLOATS, min_size=n, max_size=n)))
    if one_scale:
        scale = np.broadcast_to(np.float64(data.draw(FLOATS)), (n,))
    else:
        scale = np.array(data.draw(st.lists(FLOATS, min_size=n, max_size=n)))
    dim = np.array(data.draw(st.lists(st.integers(-1, 4), min_size=n, max_size=n)))
    limits = np.array(data.draw(st.lists(st.sampled_from([1e6, 1e7, 1e9, 0.0, -1.0, np.inf]),
                                         min_size=5, max_size=5)))
    negative, too_large = implausible_masks(q, scale, dim, limits)
    with np.errstate(invalid="ignore", over="ignore"):
        expected = np.abs(q) * scale > np.append(limits, np.inf)[dim]
    assert negative.tolist() == (q < 0).tolist()
    assert too_large.tolist() == expected.tolist()
