"""The lint rules, docstring rules included, hold for the library, tests and benchmarks.

Runs ``ruff check src tests benchmarks`` with the configuration in
pyproject.toml, through this interpreter (ruff is in the ``[test]`` extra), so
the README's test command is also the lint command.
"""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_ruff_check():
    done = subprocess.run([sys.executable, "-m", "ruff", "check", "--no-cache",
                           "src", "tests", "benchmarks"],
                          cwd=ROOT, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
