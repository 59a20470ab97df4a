"""Helpers the data tests share: one bill line computed alone, a data file read as text."""

from __future__ import annotations

import warnings
from pathlib import Path

import pandas as pd

import klimafotavtrykk as kf


def compute(description: str, quantity: float, unit: str, profile: str = "ns3720",
            factors=None, **columns):
    """Compute one line (with any further ``columns``, e.g. ``building_part``), warnings hidden."""
    lines = pd.DataFrame([{"description": description, "quantity": quantity, "unit": unit,
                           **columns}])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return kf.calculate(lines, profile=profile, factors=factors)


def read(path: Path) -> pd.DataFrame:
    """Read a data file as text, empty cells as empty strings."""
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
