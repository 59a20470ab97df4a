"""Plausibility limits: a source on every row, and the checks worked by hand."""

import numpy as np
import pandas as pd

from klimafotavtrykk._data import data_path
from klimafotavtrykk.plausibility import implausible_lines, load_quantity_limits
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
