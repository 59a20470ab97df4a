"""The tender package's public names, loaded on first use (tender/__init__.py)."""

from __future__ import annotations

import importlib
import subprocess
import sys


def test_every_public_name_resolves_from_the_module_it_is_mapped_to():
    import klimafotavtrykk.tender as tender

    assert sorted(tender._EXPORTS) == sorted(tender.__all__)
    for name, module in tender._EXPORTS.items():
        assert getattr(tender, name) is getattr(importlib.import_module(module), name)


def test_reading_a_site_sheet_does_not_load_the_batch():
    """``beregn`` imports read_site_sheet; the batch, the scoring and the site model stay unloaded."""
    code = ("import sys; from klimafotavtrykk.tender import read_site_sheet; "
            "print(sorted(m for m in ('klimafotavtrykk.tender.batch', 'klimafotavtrykk.scoring', "
            "'klimafotavtrykk.site') if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
