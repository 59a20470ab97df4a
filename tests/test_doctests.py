"""The examples in the docstrings run, and show what the code returns.

Every module of the package is imported by its dotted name (so the test does
not depend on pytest's import mode or on where the tests are collected from)
and its docstring examples run with :mod:`doctest`. A module without examples
still has to import. Examples marked ``# doctest: +SKIP`` need files or
figures and are read, not run.
"""

import doctest
import importlib
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "klimafotavtrykk"


def _dotted(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = sorted(_dotted(p) for p in PACKAGE.rglob("*.py"))


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    module = importlib.import_module(name)
    finder = doctest.DocTestFinder(exclude_empty=True)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    report = []
    for test in finder.find(module, name):
        runner.run(test, out=report.append)
    assert runner.failures == 0, "".join(report)


def test_examples_exist():
    """Guards the test above: a finder that found nothing would pass everywhere."""
    finder = doctest.DocTestFinder(exclude_empty=True)
    found = sum(len(t.examples) for name in MODULES
                for t in finder.find(importlib.import_module(name), name))
    assert found >= 30
