"""House rule: no factor, density, service life or rate is typed into the code.

Such numbers live in ``data/`` with a source on every row. This test reads every
module of ``src/klimafotavtrykk`` (ast) and lists its float literals. Physical
values are almost always written as floats, so a new float literal fails here
until it is either moved to a data file with its source, or shown below to be
no such value (arithmetic of units, a tolerance, a file-format constant, a
reading rule) with the reason.

Integers are not checked: they count things (columns, bytes, rows) far more
often than they measure them. ``plotting.py`` is left out: its floats are figure
layout (sizes, margins, alphas).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "klimafotavtrykk"

#: Floats that are no data, anywhere: identities, halves, and the unit prefixes.
PLAIN = {0.0, 1.0, -1.0, 0.5, 2.0, 10.0, 100.0, 1000.0, 1e-6}

#: (module, value): why the float is not a number that needs a source.
ALLOWED = {
    ("commands.py", 0.01): "the text shows a share below 1 % with one decimal",
    ("dimensions.py", 3.0): "the Norwegian word 'tre' (three) as a count of layers",
    ("dimensions.py", 4.0): "the Norwegian word 'fire' (four) as a count of layers",
    ("lifecycle/geometry.py", 300.0): "reading rule: a window or door side is at least 300 mm, "
                                      "smaller pairs of sizes are sections",
    ("quantities/_lines.py", 1e15): "numbers at or above 1e15 are not read as whole item codes "
                                    "(float precision)",
    ("quantities/ns3459.py", 5e-7): "tolerance: option parts summing to the post's quantity",
    ("quantities/ns3459.py", 1e-9): "tolerance: option parts summing to the post's quantity",
    ("quantities/numbers.py", 0.01): "a percent sign: 1 % is 0.01",
    ("quantities/safety.py", 200.0): "safety cap: the largest inflate ratio of an archive member "
                                     "(ReadLimits.max_ratio)",
    ("scoring/rule.py", 1e-9): "tolerance: the weights sum to 1",
    ("tender/reference.py", 1e-9): "tolerance: a bid's number equal to the tender's",
    ("tender/schema.py", 14.0): "column width of the bid template [characters]",
    ("uncertainty/footprint.py", 2.5): "PERCENTILES: a percentile reported by default [%]",
    ("uncertainty/footprint.py", 5.0): "PERCENTILES: a percentile reported by default [%]",
    ("uncertainty/footprint.py", 50.0): "PERCENTILES: a percentile reported by default [%]",
    ("uncertainty/footprint.py", 95.0): "PERCENTILES: a percentile reported by default [%]",
    ("uncertainty/footprint.py", 97.5): "PERCENTILES: a percentile reported by default [%]",
    ("xlsx_writer.py", 1e-4): "file format: Excel writes numbers from 1e-4 without an exponent",
    ("xlsx_writer.py", 1e16): "file format: Excel writes numbers below 1e16 without an exponent",
}


def _floats(path: Path) -> list[tuple[float, int]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [(node.value, node.lineno) for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and type(node.value) is float]


def _modules() -> list[Path]:
    return sorted(p for p in SRC.rglob("*.py") if p.name != "plotting.py")


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(SRC)))
def test_no_float_typed_into_the_code(path):
    module = str(path.relative_to(SRC))
    found = [(value, line) for value, line in _floats(path)
             if value not in PLAIN and (module, value) not in ALLOWED]
    assert not found, (
        f"{module}: float literals {found} (value, line). Move a factor, density, service life, "
        "rate or scenario value to data/ with its source; or add (module, value) to ALLOWED in "
        "this test with the reason it is none of those.")


def test_every_allowed_float_is_still_there():
    """An entry of ALLOWED whose float left the code is removed from the list too."""
    stale = [(module, value) for module, value in ALLOWED
             if value not in {v for v, _ in _floats(SRC / module)}]
    assert not stale


def test_the_check_sees_a_typed_factor(tmp_path):
    """A diesel factor typed into a function is caught."""
    module = tmp_path / "emissions.py"
    module.write_text("def kg(litres):\n    return litres * 2.66\n", encoding="utf-8")
    assert [v for v, _ in _floats(module) if v not in PLAIN] == [2.66]
