"""The smoke run's rule for full-size cases, shared by the benchmark modules.

The suite runs the benchmarks with ``--benchmark-disable`` as a smoke run (CI on 2 cores,
under 20 minutes); their full sizes run only with ``--benchmark-only``.
"""

import pytest


def skip_full_size(benchmark, full: bool) -> None:
    """Skip this case in the smoke run when it is a full-size one (``full``)."""
    if full and benchmark.disabled:
        pytest.skip("the full size runs with --benchmark-only")
