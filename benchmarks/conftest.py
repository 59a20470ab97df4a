"""Benchmark session set-up, and the table of issue #13's goals printed at its end."""

import sys
from pathlib import Path

import pandas as pd
import pytest

# text stored as the library's entry points store it (klimafotavtrykk._string_storage), so
# the references beside them (pandas merge, groupby) do the same work where pyarrow is installed
pd.set_option("mode.string_storage", "python")

# shared helper modules of the benchmarks (``_workbooks``) import by name under
# --import-mode=importlib
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _goals import format_rows, goal_rows  # noqa: E402  (found through the path above)

#: Best time of each benchmark that ran this session, by test id (file::name[params]). [s]
_BEST: dict[str, float] = {}


@pytest.fixture(autouse=True)
def _best_time(request):
    """Keep each benchmark's best time for the goals table (none where benchmarks are disabled)."""
    yield
    stats = getattr(request.node.funcargs.get("benchmark"), "stats", None)
    if stats is not None and len(stats.stats.data):  # a benchmark that failed has no rounds
        _BEST[f"{request.node.path.name}::{request.node.name}"] = stats.stats.min


@pytest.hookimpl(trylast=True)  # after pytest-benchmark's own tables
def pytest_terminal_summary(terminalreporter):
    """Each goal of issue #13 whose benchmark and reference both ran: times, ratio, met or not."""
    rows = goal_rows(_BEST)
    if rows:
        terminalreporter.write_sep("-", "issue #13: goals, each beside its reference in this run")
        terminalreporter.write_line(format_rows(rows))
