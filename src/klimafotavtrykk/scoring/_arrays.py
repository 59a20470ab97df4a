"""Array helpers shared by the scoring modules: values as floats, results shaped like their input."""

from __future__ import annotations

import numpy as np
import pandas as pd


def _values(values) -> np.ndarray:
    return np.asarray(values, dtype=float)


def _like(template, result: np.ndarray, name: str | None = None):
    """Return ``result`` shaped like ``template``: Series, scalar or array."""
    if isinstance(template, pd.Series):
        return pd.Series(result, index=template.index, name=name)
    if np.ndim(template) == 0:
        return float(result)
    return result


def _join_codes(columns) -> pd.Series:
    """Join parallel code Series (``""`` for none) with ``;``, vectorised."""
    out = columns[0].astype(object)
    for col in columns[1:]:
        out = np.where((out != "") & (col != ""), out + ";" + col, out + col)
        out = pd.Series(out, index=columns[0].index)
    return out.astype(str)
