"""Whole calculation on a synthetic bill of quantities: matching, units, engine, per-line results."""

import numpy as np
import pandas as pd
import pytest

import klimafotavtrykk as kf
from klimafotavtrykk.factors import load_factors


def synthetic_boq(n_lines, seed=11):
    rng = np.random.default_rng(seed)
    table = load_factors()
    per_kg = table.frame.index[table.frame["declared_unit"] == "kg"].to_numpy()
    return pd.DataFrame({
        "factor_id": rng.choice(per_kg, n_lines),
        "quantity": rng.random(n_lines) * 1000.0,
        "unit": rng.choice(np.array(["kg", "tonn", "t"]), n_lines),
        "building_part": rng.choice(np.array(["215", "216", "221", "231", "241", "251", "261"]), n_lines),
    })


@pytest.mark.parametrize("n_lines", [1_000, 100_000])
def test_calculate_tek17(benchmark, n_lines):
    lines = synthetic_boq(n_lines)
    kf.calculate(lines.head(10))  # load data files once, outside the timing
    result = benchmark(kf.calculate, lines, profile="tek17")
    assert len(result.lines) + len(result.unmatched) == n_lines
