"""The site package: one import path for every site name, and modules that use only public names."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

import klimafotavtrykk as kf
from klimafotavtrykk import site

PACKAGE = Path(site.__file__).resolve().parent

#: Public names of the former modules site.py, site_data.py and site_power.py.
FORMER_NAMES = [
    "ACTIVITY_COLUMNS", "ENERGY_CLASSES", "FACTOR_SCOPES", "SHARE_BASES", "SITE_REASONS",
    "SitePower", "SiteResult", "calculate_site", "carriers_from_frame", "energy_class_shares",
    "load_energy_carriers", "load_machinery", "machine_fuel", "machine_parameters",
    "machinery_from_frame", "peak_power", "shaft_energy", "site_power",
]


def test_every_former_name_is_exported_from_the_package():
    assert set(FORMER_NAMES) <= set(site.__all__)
    assert all(hasattr(site, name) for name in site.__all__)
    assert kf.calculate_site is site.calculate_site


def test_the_former_modules_are_gone():
    """site_data and site_power were removed once the tender package stopped using them."""
    for former in ("klimafotavtrykk.site_data", "klimafotavtrykk.site_power"):
        with pytest.raises(ModuleNotFoundError):
            importlib.import_module(former)


def _site_modules():
    return sorted(PACKAGE.glob("*.py"))


@pytest.mark.parametrize("path", _site_modules(), ids=lambda p: p.name)
def test_no_private_name_crosses_modules(path):
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("klimafotavtrykk"):
            private = [a.name for a in node.names if a.name.startswith("_")]
            assert not private, f"{path.name} imports {private} from {node.module}"


def test_share_bases_are_defined_once():
    defined = [path.name for path in _site_modules()
               for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
               if isinstance(node, ast.AnnAssign | ast.Assign)
               and any(getattr(t, "id", None) == "SHARE_BASES"
                       for t in (node.targets if isinstance(node, ast.Assign) else [node.target]))]
    assert defined == ["emissions.py"]
    assert site.SHARE_BASES == ("energy", "machine_hours", "machine_count")
