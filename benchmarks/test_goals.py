"""The goals table: ratios and verdicts worked by hand."""

import pytest

from _goals import GOALS, Goal, format_rows, goal_rows


def test_each_goal_reads_its_ratio_the_way_the_issue_states_it():
    calc = Goal("c", ours="a", reference="b", at_most_ratio=0.3)
    lcax = Goal("l", ours="a", reference="b", times_faster=100)
    read = Goal("r", ours="a", reference="b", at_most_seconds=0.4)
    # 0.125 s against pandas' 0.4 s: 0.3125 x, just over 0.3
    assert calc.judge(0.125, 0.4) == (0.3125, "<= 0.3 x reference", False)
    assert calc.judge(0.1, 0.4) == (0.25, "<= 0.3 x reference", True)
    # LCAx 2.0 s, ours 0.02 s: 100 x faster, met; ours 0.025 s: 80 x, not met
    assert lcax.judge(0.02, 2.0) == (100.0, ">= 100 x faster", True)
    assert lcax.judge(0.025, 2.0) == (80.0, ">= 100 x faster", False)
    # an absolute goal: ours 0.64 s against calamine's 0.43 s; the ratio is shown, 0.4 s judged
    ratio, text, met = read.judge(0.64, 0.43)
    assert (round(ratio, 4), text, met) == (1.4884, "<= 0.4 s", False)
    assert read.judge(0.4, 0.43)[2]


def test_a_goal_names_exactly_one_target():
    with pytest.raises(ValueError, match="exactly one"):
        Goal("x", ours="a", reference="b")
    with pytest.raises(ValueError, match="exactly one"):
        Goal("x", ours="a", reference="b", at_most_ratio=0.3, at_most_seconds=1.0)


def test_rows_only_for_goals_whose_two_benchmarks_ran():
    calc, lcax = GOALS[0], GOALS[1]
    best = {calc.ours: 0.13, calc.reference: 0.42, lcax.ours: 0.02}  # LCAx itself did not run
    rows = goal_rows(best)
    assert [row[0] for row in rows] == [calc.label]
    label, ours, reference, ratio, goal, met = rows[0]
    assert (ours, reference, goal, met) == (0.13, 0.42, "<= 0.3 x reference", False)
    assert ratio == pytest.approx(0.13 / 0.42)
    table = format_rows(rows).splitlines()
    assert table[0].split()[:3] == ["goal", "(issue", "#13)"]
    assert "130.0 ms" in table[1] and "420.0 ms" in table[1] and table[1].endswith("no")


def test_every_goal_names_a_benchmark_that_exists():
    from pathlib import Path

    here = Path(__file__).resolve().parent
    for goal in GOALS:
        for test_id in (goal.ours, goal.reference):
            module, name = test_id.split("::")
            function = name.split("[")[0]
            assert f"def {function}(" in (here / module).read_text(encoding="utf-8"), test_id
