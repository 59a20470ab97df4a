"""Data flows one way: readers sit on the bottom layer, the engine never imports readers or reports.

The rules are checked on the source text (ast), so a new import that breaks
them fails here.
"""

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "klimafotavtrykk"
BOTTOM = {"vocabulary", "errors", "units", "provenance", "_data", "_frames"}
PRESENTATION = {"quantities", "reports", "cli", "commands", "plotting", "messages"}


def _module_name(path: Path) -> str:
    return ".".join(path.relative_to(PACKAGE).with_suffix("").parts)


def _imports(path: Path) -> set[str]:
    """First component under klimafotavtrykk of every import in a file."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("klimafotavtrykk"):
            parts = node.module.split(".")
            if len(parts) > 1:
                found.add(parts[1])
            else:
                found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.Import):
            for alias in node.names:
                parts = alias.name.split(".")
                if parts[0] == "klimafotavtrykk" and len(parts) > 1:
                    found.add(parts[1])
    return found


MODULES = sorted(p for p in PACKAGE.rglob("*.py"))


@pytest.mark.parametrize("path", MODULES, ids=_module_name)
def test_layering(path):
    name = _module_name(path)
    top = name.split(".")[0]
    imported = _imports(path) - {top, "__version__"}
    if top == "dimensions":  # pure text and geometry, beside the bottom layer
        assert imported <= BOTTOM, f"{name} imports {sorted(imported - BOTTOM)}"
    elif top in BOTTOM:
        assert imported <= BOTTOM, f"{name} (bottom layer) imports {sorted(imported - BOTTOM)}"
    elif top == "quantities":
        assert imported <= BOTTOM, f"reader {name} imports {sorted(imported - BOTTOM)}"
    elif top in {"lifecycle", "matching", "factors", "profiles", "assessment", "site", "scoring"}:
        bad = imported & PRESENTATION
        assert not bad, f"engine module {name} imports {sorted(bad)}"
