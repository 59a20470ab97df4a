"""Start-up time of the command line (issue #3 goal: ``klimafotavtrykk --help`` ≤ 0.6 s).

Each round starts a fresh interpreter, as a user's shell does, so the figure
includes Python's own start-up. ``--help`` must not import numpy, pandas,
pint or openpyxl (tests/test_cli.py checks that); this measures what is left.
Run with ``pytest benchmarks/test_cli_startup.py --benchmark-only``.

A short job is start-up too: ``beregn`` on the shipped example (110 lines) is timed beside its
floor in the same run, a fresh interpreter that imports pandas and reads the same sheet with
calamine, and nothing else.

Measured (2026-12-08, 2 cores shared with two helpers' work, farm-bench, 10 pairs, median):
``beregn examples/skole.xlsx --bta 2400`` before (60980f4) 1.29 s wall, 1.27 s CPU, 135 MiB;
after (the tender package's names loaded on first use, so ``beregn`` no longer imports the batch
and the scoring; the canonical units' scales read from ``data/units/scales.csv``, so pint is
neither imported nor its registry built) 0.86 s wall, 0.85 s CPU, 121 MiB: 0.68 x, pair by
pair. This file in the same window: ``beregn`` 834 ms (min) beside its floor 340 ms, 2.45 x.
"""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest


def _command() -> list[str]:
    """The console script of the environment running the benchmarks, as users run it.

    Looked for beside this interpreter, not on ``PATH``: a ``PATH`` found another
    environment's script (a pyenv shim) and timed, or failed on, an install that was not
    the one under test. Without a script there, the module is run by this interpreter.
    """
    script = shutil.which("klimafotavtrykk", path=str(Path(sys.executable).parent))
    return [script] if script else [sys.executable, "-m", "klimafotavtrykk.cli"]


@pytest.mark.parametrize("argv", [["--help"], ["beregn", "--help"], ["--version"]],
                         ids=["help", "beregn-help", "version"])
def test_cli_startup(benchmark, argv):
    command = _command() + argv
    done = benchmark.pedantic(subprocess.run, args=(command,),
                              kwargs={"capture_output": True, "check": True},
                              rounds=10, iterations=1, warmup_rounds=1)
    assert done.returncode == 0
    assert done.stdout


EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "skole.xlsx"
_FLOOR = ("import pandas; from python_calamine import CalamineWorkbook; "
          f"CalamineWorkbook.from_path({str(EXAMPLE)!r}).get_sheet_by_name('Mengder').to_python()")


@pytest.mark.parametrize("case", ["beregn", "floor"])
def test_a_short_job(benchmark, case):
    """``beregn`` on the shipped example, beside a fresh interpreter that only imports and reads."""
    command = (_command() + ["beregn", str(EXAMPLE), "--bta", "2400"] if case == "beregn"
               else [sys.executable, "-c", _FLOOR])
    done = benchmark.pedantic(subprocess.run, args=(command,),
                              kwargs={"capture_output": True, "check": True},
                              rounds=10, iterations=1, warmup_rounds=1)
    assert done.returncode == 0
