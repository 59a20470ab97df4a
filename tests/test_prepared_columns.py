"""The line columns a bill lacks are made as ``items[name] = value`` made them, one by one.

:func:`klimafotavtrykk.assessment.prepare_lines` adds every absent column of the line
vocabulary in one step; the reference is the plain loop that sets them one at a time.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from klimafotavtrykk.assessment import prepare_lines
from klimafotavtrykk.vocabulary import LINE_COLUMNS, OPTIONAL_LINE_COLUMNS

NUMERIC = ("quantity", "transport_km", "waste_rate", "thickness", "thickness_mm")


def _one_by_one(lines: pd.DataFrame) -> pd.DataFrame:
    items = lines.copy()
    for column in (*LINE_COLUMNS, *OPTIONAL_LINE_COLUMNS):
        if column in items.columns:
            continue
        if column == "row_id":
            items[column] = np.arange(len(items))
        elif column in NUMERIC:
            items[column] = np.nan
        else:
            items[column] = None
    return items


@pytest.mark.parametrize("index", [None, [7, 7, 3], ["a", "b", "c"]])
@pytest.mark.parametrize("extra", [{}, {"note": ["x", None, "z"]}, {3: [1, 2, 3]}])
def test_absent_columns_as_set_one_by_one(index, extra):
    lines = pd.DataFrame({"quantity": [1.0, 2.5, 4.0], "unit": ["m3", "kg", "m2"], **extra},
                         index=index)
    got = prepare_lines(lines)
    expected = _one_by_one(lines)
    pd.testing.assert_frame_equal(got, expected, check_exact=True, check_column_type=True)
    assert got["row_id"].tolist() == [0, 1, 2]
    assert got["source_ref"].dtype == object and got["source_ref"].isna().all()
    assert got["waste_rate"].dtype == np.float64 and got["waste_rate"].isna().all()
