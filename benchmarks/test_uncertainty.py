"""Monte Carlo of a footprint: kf.uncertainty beside a plain numpy reference, in one run.

Issue 16's goal: 1,000 samples × 100k lines in at most 0.3 s and 100 MB on a 2-core machine.
The reference draws the same lognormal multipliers (one per factor) and does one matmul with
contributions already summed per factor: the floor the library is read against (no binning of
lines, no percentiles). The ratio of the two medians is the library's overhead. The peak of
memory traced while sampling (numpy reports its buffers to tracemalloc) goes into extra_info.
The full size runs only with --benchmark-only; the suite's smoke run takes a small size.
"""

import tracemalloc

import numpy as np
import pandas as pd
import pytest

import klimafotavtrykk as kf
from klimafotavtrykk.uncertainty import result_cells

N_SAMPLES = 1_000


def user_factor_project(n_lines, n_factors=5_000, seed=16):
    """A calculated project: ``n_lines`` lines over ``n_factors`` user factors (product EPDs)."""
    rng = np.random.default_rng(seed)
    ids = np.array([f"EPD {i:05d}" for i in range(n_factors)], dtype=object)
    factors = pd.DataFrame({"factor_id": ids, "declared_unit": "kg", "A1-A3": rng.random(n_factors),
                            "material_group": "concrete", "source": "benchmark"})
    lines = pd.DataFrame({
        "factor_id": rng.choice(ids, n_lines),
        "quantity": rng.random(n_lines) * 1000.0,
        "unit": "kg",
        "building_part": rng.choice(np.array(["215", "216", "221", "231", "241", "251", "261"]),
                                    n_lines),
    })
    return kf.calculate(lines, factors=factors)


def _size(benchmark, n_lines):
    return n_lines if not benchmark.disabled else 2_000


def _peak_mb(function, *args, **kwargs):
    tracemalloc.start()
    try:
        function(*args, **kwargs)
        return tracemalloc.get_traced_memory()[1] / 1e6
    finally:
        tracemalloc.stop()


def _numpy_reference(per_factor, sigma, n, seed):
    """The same draws as the library, one matmul: samples × outputs."""
    rng = np.random.default_rng(seed)
    return np.exp(rng.standard_normal((n, len(sigma))) * sigma) @ per_factor


@pytest.mark.parametrize("n_lines", [100_000])
def test_uncertainty_factors(benchmark, n_lines):
    """kf.uncertainty: 1,000 samples of a 100k-line project, factors varying."""
    result = user_factor_project(_size(benchmark, n_lines))
    kf.uncertainty(result, n=10, seed=1)  # data files read once, outside the timing
    spread = benchmark.pedantic(kf.uncertainty, args=(result,), kwargs={"n": N_SAMPLES, "seed": 1},
                                rounds=5, iterations=1, warmup_rounds=1)
    benchmark.extra_info["peak_mb"] = _peak_mb(kf.uncertainty, result, n=N_SAMPLES, seed=1)
    assert spread.samples.shape == (N_SAMPLES,)
    assert spread.total[2.5] < result.total < spread.total[97.5]


@pytest.mark.parametrize("n_lines", [100_000])
def test_reference_uncertainty_numpy(benchmark, n_lines):
    """Timed beside test_uncertainty_factors: lognormal draws and one matmul."""
    result = user_factor_project(_size(benchmark, n_lines))
    cells = result_cells(result)
    per_factor = np.ascontiguousarray(cells.per_factor()[:, :1])  # the total only
    sigma = np.log(cells.factors["gsd"].to_numpy())
    samples = benchmark.pedantic(_numpy_reference, args=(per_factor, sigma, N_SAMPLES, 1),
                                 rounds=5, iterations=1, warmup_rounds=1)
    benchmark.extra_info["peak_mb"] = _peak_mb(_numpy_reference, per_factor, sigma, N_SAMPLES, 1)
    # the library draws the same numbers: its samples of the total are the reference's
    np.testing.assert_allclose(kf.uncertainty(result, n=N_SAMPLES, seed=1).samples, samples[:, 0],
                               rtol=1e-9)


@pytest.mark.parametrize("n_lines", [100_000])
def test_uncertainty_factors_and_quantities(benchmark, n_lines):
    """The same project with a quantity spread (design stage) on every line."""
    result = user_factor_project(_size(benchmark, n_lines))
    spread = benchmark.pedantic(kf.uncertainty, args=(result,),
                                kwargs={"n": N_SAMPLES, "seed": 1, "design_stage": "forprosjekt"},
                                rounds=3, iterations=1)
    benchmark.extra_info["peak_mb"] = _peak_mb(kf.uncertainty, result, n=N_SAMPLES, seed=1,
                                               design_stage="forprosjekt")
    assert spread.quantity_spread
