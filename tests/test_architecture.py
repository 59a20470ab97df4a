"""The package layout and its layering rules, checked on the source text (ast).

Layers
------
Every module of ``src/klimafotavtrykk`` belongs to the layer of its top-level
name (``klimafotavtrykk.site`` and ``klimafotavtrykk.site.power`` are both
``site``), so the rules hold whether a concept is one module or a package.
``LAYERS`` below is the table; ``ALLOWED`` says which layers each may import,
counting imports inside functions too. docs/design/layout.md explains it.

- bottom (vocabulary, errors, units, provenance, _data, _frames, _string_storage,
  _regex_literals): only bottom.
- readers (quantities, epd): only bottom and readers.
- scoring: only bottom; it scores numbers, not files or assessments.
- engine (lifecycle, matching, factors, profiles, site, assessment, hints,
  alternatives): bottom and engine. One exception, ``ENGINE_READS``:
  ``alternatives`` calls the reader when it is given a path (lazily).
- presentation: ``messages`` only bottom (every layer above may use it);
  ``reports`` and ``plotting`` bottom, engine, scoring and messages; never
  readers, tender or the front end, so reports take results, not files.
- tender: bottom, readers, engine, scoring, reports, messages, tender; never
  plotting or the front end.
- front end (cli, commands): anything. ``cli`` imports at module level only
  ``messages`` and ``__version__``; the rest loads inside functions, so
  ``--help`` stays fast (tests/test_cli.py checks the modules actually loaded).
- the package root (``__init__``) re-exports lazily by name and imports nothing.

Private names
-------------
A name starting with one underscore (dunders such as ``__version__`` are not
private) may be used only inside its own package:

- ``from klimafotavtrykk.a.b import _y``, ``import klimafotavtrykk.a._b`` and
  ``b._y`` on an imported module are allowed only when importer and target
  share a top-level *package* (``quantities/excel.py`` using
  ``quantities._lines._grid``, ``scoring/gates.py`` using
  ``scoring._arrays._values``);
- the top-level directory is not such a package: two top-level modules never
  share private names (``site_power`` may not use ``site._numbers``);
- ``_data``, ``_frames``, ``_string_storage`` and ``_regex_literals`` are private *modules* of the whole package that
  export public names; any module may import those public names.

Tests are not checked for private names: they may test internals.

Known violations
----------------
``KNOWN_VIOLATIONS`` lists what the current code breaks and is being rewritten;
each entry must still occur, so the list cannot go stale.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "klimafotavtrykk"

# a violation being fixed elsewhere may be listed here for a while; it must still occur
KNOWN_VIOLATIONS: set[str] = set()

BOTTOM, READERS, ENGINE, SCORING = "bottom", "readers", "engine", "scoring"
TENDER, PRESENTATION, MESSAGES, FRONT, ROOT_LAYER = (
    "tender", "presentation", "messages", "front end", "package root")

#: Layer of every top-level name: a module, or a package whose modules share its layer.
LAYERS = {
    "__init__": ROOT_LAYER,
    "vocabulary": BOTTOM, "errors": BOTTOM, "units": BOTTOM, "provenance": BOTTOM,
    "_data": BOTTOM, "_frames": BOTTOM, "_string_storage": BOTTOM, "toml_guard": BOTTOM, "gc_pause": BOTTOM,
    "_regex_literals": BOTTOM,
    "quantities": READERS,
    "epd": READERS,
    "lifecycle": ENGINE, "matching": ENGINE, "factors": ENGINE, "profiles": ENGINE,
    "site": ENGINE,
    "assessment": ENGINE, "alternatives": ENGINE, "plausibility": ENGINE, "dimensions": ENGINE, "designations": ENGINE,
    "assemblies": ENGINE,
    "hints": ENGINE,
    "user_factors": ENGINE,
    "uncertainty": ENGINE,
    "scoring": SCORING,
    "tender": TENDER,
    "followup": TENDER,
    "reports": PRESENTATION, "plotting": PRESENTATION, "xlsx_writer": PRESENTATION,
    "input_workbook": PRESENTATION,
    "exchange": PRESENTATION,
    "messages": MESSAGES,
    "cli": FRONT, "commands": FRONT,
}

ALLOWED = {
    BOTTOM: {BOTTOM},
    READERS: {BOTTOM, READERS},
    SCORING: {BOTTOM, SCORING},
    ENGINE: {BOTTOM, ENGINE},
    MESSAGES: {BOTTOM, MESSAGES},
    PRESENTATION: {BOTTOM, ENGINE, SCORING, MESSAGES, PRESENTATION},
    TENDER: {BOTTOM, READERS, ENGINE, SCORING, MESSAGES, PRESENTATION, TENDER},
    FRONT: set(LAYERS.values()),
    ROOT_LAYER: set(),
}
#: Engine modules that may import the readers (lazily: only when given a path).
ENGINE_READS = {"alternatives"}
#: What cli.py may import at module level; everything else inside functions.
CLI_MODULE_LEVEL = {"__version__", "messages"}
#: Private modules of the whole package: their public names are for every module.
PACKAGE_PRIVATE_MODULES = {"_data", "_frames", "_string_storage", "_regex_literals"}


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _top(dotted: str) -> str:
    parts = dotted.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def _is_package(dotted: str) -> bool:
    return (PACKAGE.parent.joinpath(*dotted.split(".")) / "__init__.py").is_file()


def _is_module(dotted: str) -> bool:
    path = PACKAGE.parent.joinpath(*dotted.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def _private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


def _resolve(node: ast.ImportFrom, importer: str, is_package: bool) -> str | None:
    """Absolute module of a from-import, relative ones resolved; None if not ours."""
    if node.level:
        base = importer.split(".")
        base = base if is_package else base[:-1]
        base = base[: len(base) - (node.level - 1)]
        module = ".".join(base + ([node.module] if node.module else []))
    else:
        module = node.module or ""
    return module if module.split(".")[0] == "klimafotavtrykk" else None


def _parse(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def _imported_modules(path: Path, tree: ast.Module | None = None,
                      module_level: bool = False) -> set[str]:
    """Dotted names of our modules (or root names such as __version__) a file imports."""
    importer = _module_name(path)
    nodes = (tree or _parse(path)).body if module_level else ast.walk(tree or _parse(path))
    found = set()
    for node in nodes:
        if isinstance(node, ast.ImportFrom):
            module = _resolve(node, importer, path.name == "__init__.py")
            if module is None:
                continue
            for alias in node.names:
                dotted = f"{module}.{alias.name}"
                found.add(dotted if module == "klimafotavtrykk" or _is_module(dotted) else module)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.split(".")[0] == "klimafotavtrykk")
    return found


MODULES = sorted(PACKAGE.rglob("*.py"))
IDS = [_module_name(p) for p in MODULES]


def test_every_module_has_a_layer():
    undeclared = sorted({_top(name) for name in IDS} - LAYERS.keys())
    assert not undeclared, (
        f"top-level modules or packages {undeclared} belong to no layer: add them to LAYERS "
        "in tests/test_architecture.py and to the layers table in docs/design/layout.md")


@pytest.mark.parametrize("path", MODULES, ids=IDS)
def test_layering(path):
    name = _module_name(path)
    if _top(name) not in LAYERS:
        pytest.fail(f"{name} belongs to no layer: see test_every_module_has_a_layer")
    layer = LAYERS[_top(name)]
    allowed = ALLOWED[layer]
    bad = []
    for target in sorted(_imported_modules(path)):
        top = _top(target)
        if top == _top(name) or target == "klimafotavtrykk.__version__":
            continue
        if top not in LAYERS:
            bad.append(f"{target} (no layer)")
        elif LAYERS[top] not in allowed and not (
                _top(name) in ENGINE_READS and LAYERS[top] == READERS):
            bad.append(f"{target} ({LAYERS[top]})")
    assert not bad, (f"{name} ({layer} layer) imports {', '.join(bad)}; "
                     f"{layer} may import only: {', '.join(sorted(allowed)) or 'nothing'}")


def test_cli_imports_nothing_heavy_at_module_level():
    path = PACKAGE / "cli.py"
    imported = {m.removeprefix("klimafotavtrykk.") for m in
                _imported_modules(path, module_level=True)}
    assert imported <= CLI_MODULE_LEVEL, (
        f"cli.py imports {sorted(imported - CLI_MODULE_LEVEL)} at module level; "
        "import them inside the function that needs them")


def _private_uses(path: Path, importer: str | None = None) -> set[str]:
    """Every private module or name of another package that a file uses, as a finding."""
    importer = importer or _module_name(path)
    tree = _parse(path)
    findings = set()

    def check(target_module: str, name: str | None) -> None:
        """``name`` of ``target_module`` (or the module itself when name is None)."""
        full = f"{target_module}.{name}" if name else target_module
        if _is_module(full):                         # a module, possibly private
            parts = full.split(".")
            private = [i for i, p in enumerate(parts) if _private(p)]
            if not private:
                return
            owner = ".".join(parts[:private[0]])      # package the private module lives in
            if owner == "klimafotavtrykk":
                if parts[1] in PACKAGE_PRIVATE_MODULES and len(private) == 1:
                    return
            elif _top(importer) == _top(owner) and _is_package(owner):
                return
            findings.add(f"private: {importer} uses {full}")
            return
        check(target_module, None)                    # the module must be usable itself
        if name and _private(name):
            top = _top(target_module)
            if top == _top(importer) and top != "__init__" and _is_package(f"klimafotavtrykk.{top}"):
                return
            findings.add(f"private: {importer} uses {full}")

    modules_by_name: dict[str, str] = {}              # local name -> our module it is bound to
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            module = _resolve(node, importer, path.name == "__init__.py")
            if module is None:
                continue
            for alias in node.names:
                check(module, alias.name)
                if _is_module(f"{module}.{alias.name}"):
                    modules_by_name[alias.asname or alias.name] = f"{module}.{alias.name}"
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == "klimafotavtrykk":
                    check(alias.name, None)
                    if alias.asname:
                        modules_by_name[alias.asname] = alias.name
                    else:
                        modules_by_name["klimafotavtrykk"] = "klimafotavtrykk"

    def module_of(node: ast.expr) -> str | None:
        if isinstance(node, ast.Name):
            return modules_by_name.get(node.id)
        if isinstance(node, ast.Attribute):
            parent = module_of(node.value)
            if parent and _is_module(f"{parent}.{node.attr}"):
                return f"{parent}.{node.attr}"
        return None

    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and _private(node.attr):
            module = module_of(node.value)
            if module:
                check(module, node.attr)
    return findings


PRIVATE_USES = {path: _private_uses(path) for path in MODULES}


@pytest.mark.parametrize("path", MODULES, ids=IDS)
def test_no_private_names_across_packages(path):
    found = sorted(PRIVATE_USES[path] - KNOWN_VIOLATIONS)
    assert not found, ("; ".join(found) + ". A private name is for its own package: make it "
                       "public (no underscore, in __all__ if the module has one) or move it.")


# -- skips that could hide a broken import of our own code ---------------------------------

def _is_ours(node: ast.expr) -> bool:
    return (isinstance(node, ast.Constant) and isinstance(node.value, str)
            and node.value.split(".")[0] == "klimafotavtrykk")


def _imports_ours(nodes: list[ast.stmt]) -> bool:
    for node in (n for stmt in nodes for n in ast.walk(stmt)):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("klimafotavtrykk"):
            return True
        if isinstance(node, ast.Import) and any(
                a.name.split(".")[0] == "klimafotavtrykk" for a in node.names):
            return True
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and node.func.attr == "import_module" and node.args and _is_ours(node.args[0])):
            return True
    return False


def _catches_import_error(handler: ast.ExceptHandler) -> bool:
    if handler.type is None:
        return True
    types = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
    names = {t.id if isinstance(t, ast.Name) else getattr(t, "attr", "") for t in types}
    return bool(names & {"ImportError", "ModuleNotFoundError", "Exception", "BaseException"})


def _import_skips(path: Path, root: Path = ROOT) -> set[str]:
    """``importorskip`` of our modules, and our imports inside ``try ... except ImportError``."""
    rel = path.relative_to(root).as_posix()
    found = set()
    for node in ast.walk(_parse(path)):
        if (isinstance(node, ast.Call) and node.args and _is_ours(node.args[0])
                and getattr(node.func, "attr", getattr(node.func, "id", None)) == "importorskip"):
            found.add(f"skip: {rel} importorskip({node.args[0].value!r})")
        elif isinstance(node, ast.Try) and _imports_ours(node.body) and any(
                _catches_import_error(h) for h in node.handlers):
            found.add(f"skip: {rel}:{node.lineno} an import of klimafotavtrykk in a try that "
                      "catches ImportError")
    return found


TEST_FILES = sorted([*ROOT.joinpath("tests").rglob("*.py"), *ROOT.joinpath("benchmarks").rglob("*.py")])
IMPORT_SKIPS = {path: _import_skips(path) for path in TEST_FILES}


@pytest.mark.parametrize("path", TEST_FILES, ids=[p.relative_to(ROOT).as_posix() for p in TEST_FILES])
def test_no_skip_on_a_broken_import_of_our_code(path):
    found = sorted(IMPORT_SKIPS[path] - KNOWN_VIOLATIONS)
    assert not found, ("; ".join(found) + ". A broken import of klimafotavtrykk must fail, "
                       "not skip: import it plainly.")


def test_known_violations_still_occur():
    """An entry that no longer occurs is removed here, so the list cannot go stale."""
    occurring = set().union(*PRIVATE_USES.values(), *IMPORT_SKIPS.values())
    stale = sorted(KNOWN_VIOLATIONS - occurring)
    assert not stale, f"remove from KNOWN_VIOLATIONS (fixed): {stale}"


def test_the_checks_see_a_violation(tmp_path):
    """The scanners themselves: each finds the violations it is written for."""
    module = tmp_path / "reports.py"
    module.write_text("from klimafotavtrykk.quantities._lines import lines\n"
                      "from klimafotavtrykk.scoring.models import _like\n"
                      "from klimafotavtrykk._data import data_path, _manifest\n"
                      "from klimafotavtrykk import units\n"
                      "units._alias_table()\n", encoding="utf-8")
    assert _private_uses(module, importer="klimafotavtrykk.reports") == {
        "private: klimafotavtrykk.reports uses klimafotavtrykk.quantities._lines",
        "private: klimafotavtrykk.reports uses klimafotavtrykk.scoring.models._like",
        "private: klimafotavtrykk.reports uses klimafotavtrykk._data._manifest",
        "private: klimafotavtrykk.reports uses klimafotavtrykk.units._alias_table"}
    assert _private_uses(module, importer="klimafotavtrykk.quantities.excel") == {
        "private: klimafotavtrykk.quantities.excel uses klimafotavtrykk.scoring.models._like",
        "private: klimafotavtrykk.quantities.excel uses klimafotavtrykk._data._manifest",
        "private: klimafotavtrykk.quantities.excel uses klimafotavtrykk.units._alias_table"}
    test = tmp_path / "test_fake.py"
    test.write_text("import pytest\nq = pytest.importorskip('klimafotavtrykk.quantities')\n"
                    "try:\n    from klimafotavtrykk import reports\nexcept ImportError:\n"
                    "    reports = None\n", encoding="utf-8")
    assert _import_skips(test, root=tmp_path) == {
        "skip: test_fake.py importorskip('klimafotavtrykk.quantities')",
        "skip: test_fake.py:3 an import of klimafotavtrykk in a try that catches ImportError"}
