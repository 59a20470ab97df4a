"""Where the shipped data files are.

In an installed wheel the repository's ``data/`` folder is packaged as
``klimafotavtrykk/data``; in a source checkout (editable install) it sits at
the repository root, two levels above this package.
"""

from __future__ import annotations

import functools
from pathlib import Path

__all__ = ["data_dir", "data_path"]


@functools.cache
def data_dir() -> Path:
    """Folder holding the shipped data (factor tables, profiles, units, headers)."""
    packaged = Path(__file__).resolve().parent / "data"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "data"


def data_path(*parts: str) -> Path:
    """Path of a shipped data file, e.g. ``data_path("units", "aliases.csv")``."""
    return data_dir().joinpath(*parts)
