"""Start-up time of the command line (issue #3 goal: ``klimafotavtrykk --help`` ≤ 0.6 s).

Each round starts a fresh interpreter, as a user's shell does, so the figure
includes Python's own start-up. ``--help`` must not import numpy, pandas,
pint or openpyxl (tests/test_cli.py checks that); this measures what is left.
Run with ``pytest benchmarks/test_cli_startup.py --benchmark-only``.
"""

import shutil
import subprocess
import sys

import pytest


def _command() -> list[str]:
    script = shutil.which("klimafotavtrykk")   # the installed console script, as users run it
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
