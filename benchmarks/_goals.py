"""The goals of issue #13, each read off a benchmark and the reference timed in the same run.

At the end of a benchmark session the table of :func:`goal_rows` is printed (see
``conftest.py``): for each goal whose two benchmarks ran, our best time, the reference's,
their ratio, the goal and whether it is met. The goals are the issue's own figures; the
references are the peers and floors each benchmark module times beside our code.
"""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class Goal:
    """One row of the issue's table.

    Exactly one of the three goal fields is set:

    - ``at_most_ratio``: our time at most this multiple of the reference's;
    - ``times_faster``: the reference at least this many times our time;
    - ``at_most_seconds``: our time at most this [s] (the reference is shown as the floor).

    ``ours`` and ``reference`` are test ids as pytest prints them, without the directory
    (``test_calculate.py::test_calculate_user_factors[1000000]``).
    """

    label: str
    ours: str
    reference: str
    at_most_ratio: float | None = None
    times_faster: float | None = None
    at_most_seconds: float | None = None

    def __post_init__(self) -> None:
        given = [g for g in (self.at_most_ratio, self.times_faster, self.at_most_seconds)
                 if g is not None]
        if len(given) != 1:
            raise ValueError(f"{self.label}: give exactly one goal, not {len(given)}")

    def judge(self, ours: float, reference: float) -> tuple[float, str, bool]:
        """The ratio shown, the goal as text and whether it is met, from two best times [s]."""
        if self.times_faster is not None:
            ratio = reference / ours
            return ratio, f">= {self.times_faster:g} x faster", ratio >= self.times_faster
        ratio = ours / reference
        if self.at_most_ratio is not None:
            return ratio, f"<= {self.at_most_ratio:g} x reference", ratio <= self.at_most_ratio
        return ratio, f"<= {self.at_most_seconds:g} s", ours <= self.at_most_seconds


#: Issue #13, "Fast at every size": its table of goals, row by row.
GOALS = (
    Goal("calculate, 1M lines x 5 000 user factors",
         ours="test_calculate.py::test_calculate_user_factors[1000000]",
         reference="test_calculate.py::test_reference_user_factors_pandas[1000000]",
         at_most_ratio=0.3),
    Goal("LCAx case, frame in -> per-line and per-module out",
         ours="test_lcax.py::test_ours_frame_in_results_out",
         reference="test_lcax.py::test_lcax_end_to_end",
         times_faster=100),
    Goal("read_boq, 100k-line .xlsx",
         ours="test_read_boq.py::test_read_boq_100k_lines",
         reference="test_read_boq.py::test_calamine_values_only_100k_lines",
         at_most_seconds=0.4),
    Goal("report workbook, 100k lines",
         ours="test_report_workbook.py::test_write_report[100000]",
         reference="test_report_workbook.py::test_floor_deflate[100000]",
         at_most_seconds=1.5),
    Goal("anbud score, 200 bids x 5 000 lines, 2 processes",
         ours="test_score_bids.py::test_score_bids_into_summary_workbook[200-pool2]",
         reference="test_score_bids.py::test_reference_reading_the_same_sheets[200-pool2-calamine]",
         at_most_seconds=2.0),
    Goal("NS 3459, 100k posts",
         ours="test_ns3459.py::test_read_ns3459[100000_posts]",
         reference="test_ns3459.py::test_expat_no_handlers[100000_posts]",
         at_most_seconds=0.8),
)


def goal_rows(best: dict[str, float], goals=GOALS) -> list[tuple[str, float, float, float, str, bool]]:
    """The goals whose two benchmarks both have a time in ``best``.

    Parameters
    ----------
    best : dict of str to float
        Best (minimum) time of each benchmark that ran, by test id. [s]
    goals : sequence of Goal

    Returns
    -------
    list of tuple
        ``(label, ours, reference, ratio, goal, met)`` per goal, in the issue's order.
    """
    rows = []
    for goal in goals:
        ours, reference = best.get(goal.ours), best.get(goal.reference)
        if ours is None or reference is None or not (ours > 0 and reference > 0):
            continue
        rows.append((goal.label, ours, reference, *goal.judge(ours, reference)))
    return rows


def _seconds(value: float) -> str:
    if value >= 1:
        return f"{value:.2f} s"
    return f"{value * 1e3:.1f} ms" if value >= 1e-3 else f"{value * 1e6:.0f} us"


def format_rows(rows) -> str:
    """The rows of :func:`goal_rows` as a plain-text table, one goal a line."""
    header = ("goal (issue #13)", "ours", "reference", "ratio", "goal", "met")
    cells = [header] + [(label, _seconds(ours), _seconds(ref),
                         f"{ratio:.4g}" if math.isfinite(ratio) else "-", goal,
                         "yes" if met else "no")
                        for label, ours, ref, ratio, goal, met in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(header))]
    return "\n".join("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)
                               ).rstrip() for row in cells)
