"""Engine kernels on synthetic projects: aggregate-first totals and per-line results.

Run ``pytest benchmarks --benchmark-only``; CI runs these once with
``--benchmark-disable`` as a smoke test.

Issue 13 (engine round) left these kernels as they were; same window, min: totals 1M lines
29.0 ms (main) / 19.0 ms, per-line results 1M 82.7 / 85.3 ms, 100k unit strings 4.30 / 3.33 ms
(machine noise; the code is unchanged).
"""

import numpy as np
import pandas as pd
import pytest

from klimafotavtrykk.lifecycle.engine import line_results, totals_by_group
from klimafotavtrykk.units import unit_codes
from klimafotavtrykk.vocabulary import MODULES


def synthetic_project(n_lines, n_factors, n_groups=60, seed=7):
    rng = np.random.default_rng(seed)
    intensities = rng.random((n_factors, len(MODULES)))
    row = rng.integers(0, n_factors, n_lines)
    group = rng.integers(0, n_groups, n_lines)
    quantity = rng.random(n_lines) * 100.0
    return group, row, quantity, intensities, n_groups


@pytest.mark.parametrize("n_lines", [10_000, 1_000_000])
def test_totals_by_building_part(benchmark, n_lines):
    group, row, quantity, intensities, n_groups = synthetic_project(n_lines, 5_000)
    totals = benchmark(totals_by_group, group, row, quantity, intensities, n_groups)
    # the total equals quantity-weighted intensities summed directly
    expected = (quantity[:, None] * intensities[row]).sum()
    assert totals.sum() == pytest.approx(expected, rel=1e-9)


@pytest.mark.parametrize("n_lines", [10_000, 1_000_000])
def test_per_line_results(benchmark, n_lines):
    group, row, quantity, intensities, _ = synthetic_project(n_lines, 5_000)
    out = np.empty((n_lines, len(MODULES)))
    result = benchmark(line_results, row, quantity, intensities, out)
    assert result.shape == (n_lines, len(MODULES))
    assert result[0, 0] == pytest.approx(quantity[0] * intensities[row[0], 0])


def test_parse_100k_unit_strings(benchmark):
    rng = np.random.default_rng(1)
    spellings = np.array(["m3", "m2", "lm", "stk", "tonn", "kg", "RS", "M2", "m³", "Stk."])
    units = pd.Series(spellings[rng.integers(0, len(spellings), 100_000)])
    codes, table = benchmark(unit_codes, units)
    assert len(table) == len(spellings) and codes.min() >= 0
