"""klimafotavtrykk: whole-life climate footprint of Norwegian construction projects.

The package root re-exports a few entry points lazily, so that importing it
loads neither numpy nor pandas::

    import klimafotavtrykk as kf
    lines, meta = kf.read_boq("examples/skole.xlsx")
    result = kf.calculate(lines, profile="tek17", bta_m2=2400)
"""

from __future__ import annotations

import importlib

__version__ = "0.1.0"

_EXPORTS = {
    "calculate": "klimafotavtrykk.assessment",
    "Assessment": "klimafotavtrykk.assessment",
    "read_boq": "klimafotavtrykk.quantities",
    "read_epd": "klimafotavtrykk.epd",
    "read_epds": "klimafotavtrykk.epd",
    "load_factors": "klimafotavtrykk.factors",
    "load_profile": "klimafotavtrykk.profiles",
    "calculate_site": "klimafotavtrykk.site",
    "compare": "klimafotavtrykk.alternatives",
    "substitute": "klimafotavtrykk.alternatives",
    "uncertainty": "klimafotavtrykk.uncertainty",
    "score_bids": "klimafotavtrykk.tender",
    "load_competition": "klimafotavtrykk.tender",
    "follow_up": "klimafotavtrykk.followup.status",
    "to_lcax": "klimafotavtrykk.exchange",
    "read_lcax": "klimafotavtrykk.exchange",
}

__all__ = ["__version__", "plot", *_EXPORTS]


#: Modules reachable as attributes, e.g. ``kf.plot.waterfall(...)``.
_MODULES = {"plot": "klimafotavtrykk.plotting"}


def __getattr__(name: str):
    if name in _MODULES:
        return importlib.import_module(_MODULES[name])
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'klimafotavtrykk' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)


def __dir__():
    return sorted(__all__)
