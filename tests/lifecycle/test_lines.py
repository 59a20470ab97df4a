"""The per-line frame (``result.lines``): built from whole columns, equal to building it step by step."""

import warnings

import numpy as np
import pandas as pd
import pytest

import klimafotavtrykk as kf
from klimafotavtrykk.assemblies import LAYER_COLUMNS
from klimafotavtrykk.assessment import Assessment
from klimafotavtrykk.lifecycle.lines import _modules_and_total
from klimafotavtrykk.vocabulary import MODULES, TOTAL_MODULES

OWN = pd.DataFrame({"factor_id": ["EPD A", "EPD B", "EPD C"], "name_nb": ["A", None, "C"],
                    "declared_unit": ["kg", "kg", "m3"], "A1-A3": [2.0, 0.5, 100.0],
                    "material_group": ["concrete", "concrete", "concrete"],
                    "source": ["test", "test", "test 2"]})
LINES = pd.DataFrame({"factor_id": ["EPD A", "EPD B", "EPD A", "nope", "EPD C"],
                      "quantity": [10.0, 2.0, 1.0, 5.0, 3.0],
                      "unit": ["kg", "tonn", "kg", "kg", "m3"],
                      "building_part": ["231", "251", "999", "231", "221"]})
SHAPES = {
    "every line computed": LINES.iloc[[0, 1, 4]],
    "some lines not computed": LINES,
    "factor names all missing": LINES.iloc[[1]],
    "columns the frame also adds": LINES.iloc[[0, 1, 4]].assign(mass=1.0, match_method=3),
    "a column named like a module": LINES.iloc[[0, 1]].assign(kg_co2e=5.0),
    "a layers column": LINES.iloc[[0, 1]].assign(layers=5),
    "an index of its own": LINES.set_axis(pd.Index([10, 20, 30, 40, 50])),
    "nothing computed": LINES.iloc[[3]],
}


def _source(lines):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = kf.calculate(lines, "tek17", factors=OWN)
    return result, Assessment.__dict__["lines"].source(result)


def _by_steps(source):
    """The frame built column by column with assign and concat (how it used to be built)."""
    ok = source.ok
    items = source.items if ok.all() else source.items.loc[ok]
    added = source._added_columns()
    layered = bool((items[LAYER_COLUMNS[0]].to_numpy(dtype=np.int64) >= 0).any())
    per_line = _modules_and_total(source.row, source.quantity, source.intensities)
    return source._frame_by_steps(items, added, per_line, layered)


@pytest.mark.parametrize("shape", SHAPES)
def test_frame_equals_the_frame_built_step_by_step(shape):
    _, source = _source(SHAPES[shape])
    got, expected = source.frame(), _by_steps(source)
    pd.testing.assert_frame_equal(got, expected, check_exact=True)
    assert list(got.dtypes) == list(expected.dtypes)
    assert got.columns.dtype == expected.columns.dtype and isinstance(got.index, pd.RangeIndex)


def test_frame_keeps_its_columns_in_order_and_types_factor_texts_as_text():
    result, _ = _source(LINES.iloc[[0, 1, 4]])
    lines = result.lines
    assert list(lines.columns[:4]) == ["factor_id", "quantity", "unit", "building_part"]
    assert list(lines.columns[-len(MODULES) - 2:]) == [*MODULES, "kg_co2e", "layers"]
    # EPD A, B, C: names "A", None, "C" -> text; every source given -> text
    assert lines["factor_name"].tolist()[0::2] == ["A", "C"] and pd.isna(lines["factor_name"][1])
    assert lines["factor_name"].dtype == lines["factor_source"].dtype == pd.Series(["a"]).dtype
    # 3 m3 × 100 kg CO2e/m3 = 300 in A1-A3 of the third line
    assert lines["A1-A3"].tolist() == pytest.approx([20.0, 1_000.0, 300.0])


def test_writing_into_the_frame_leaves_the_calculation_as_it_was():
    lines = LINES.iloc[[0, 1, 4]].copy()
    result, source = _source(lines)
    before = source.frame()
    frame = result.lines
    for column in ("quantity", "factor_id", "match_method", "declared_quantity", "A1-A3",
                   "kg_co2e", "layers", "dimension_source", "row_id"):
        frame.loc[0, column] = frame.loc[1, column]
    pd.testing.assert_frame_equal(source.frame(), before, check_exact=True)
    assert lines["quantity"].tolist() == [10.0, 2.0, 3.0]


def test_modules_and_total_by_hand():
    intensities = np.zeros((2, len(MODULES)))
    col = {m: j for j, m in enumerate(MODULES)}
    intensities[0, col["A1-A3"]], intensities[0, col["A4"]], intensities[0, col["D"]] = 2.0, 0.5, -1.0
    intensities[1, col["A1-A3"]] = 10.0
    out = _modules_and_total(np.array([1, 0, 0]), np.array([3.0, 4.0, 1.0]), intensities)
    assert out.shape == (3, len(MODULES) + 1)
    # line 0: row 1 × 3 = 30 in A1-A3; line 1: row 0 × 4 = 8 + 2 = 10, D -4 outside the total
    assert out[:, col["A1-A3"]].tolist() == [30.0, 8.0, 2.0]
    assert out[:, col["D"]].tolist() == [0.0, -4.0, -1.0]
    assert out[:, -1].tolist() == [30.0, 10.0, 2.5]


def test_modules_and_total_adds_the_modules_left_to_right():
    rng = np.random.default_rng(5)
    intensities = rng.random((9, len(MODULES))) * 10.0 ** rng.integers(-6, 6, (9, len(MODULES)))
    row, qty = rng.integers(0, 9, 1000), rng.random(1000) * 1e3
    out = _modules_and_total(row, qty, intensities)
    expected = intensities[row] * qty[:, None]
    assert np.array_equal(out[:, :-1], expected)
    total = expected[:, MODULES.index(TOTAL_MODULES[0])].copy()
    for module in TOTAL_MODULES[1:]:
        total += expected[:, MODULES.index(module)]
    assert np.array_equal(out[:, -1], total)  # bit for bit, not only close


def test_modules_and_total_refuses_a_row_out_of_range():
    with pytest.raises(IndexError):
        _modules_and_total(np.array([0, 2]), np.array([1.0, 1.0]), np.ones((2, len(MODULES))))
