"""Reading dimensions from descriptions: once per distinct text, against a per-row reference.

A bill of 100 000 lines with 2 000 distinct descriptions. The reference is one plain
``Series.str.extract`` of a thickness on every row, the least a per-row reader would do;
:func:`parse_dimensions` applies all its rules, but to the distinct texts only.
Run ``pytest benchmarks/test_dimensions.py --benchmark-only``.
"""

import numpy as np
import pandas as pd

from klimafotavtrykk.dimensions import parse_dimensions

TEMPLATES = [
    "Bindingsverk av heltre C24, 48x{d} mm c/c {s}",
    "Gipsplater {t} mm, lettvegger",
    "2 lag gips 2x{t} mm",
    "Plasstøpt betong dekke {d} mm, B30",
    "PE100 SDR11 Ø{o}",
    "PVC SN8 Ø{o} spillvann",
    "Betongrør DN{dn}",
    "Kantstein granitt 12x{t} cm",
    "Forsterkningslag 0-150 mm knust fjell, tykkelse {d} mm",
    "Isolasjon {d} mm mineralull, post {i}",
]


def synthetic_descriptions(n_lines, n_distinct, seed=3):
    """Build n_lines descriptions drawn from n_distinct texts."""
    rng = np.random.default_rng(seed)
    distinct = [TEMPLATES[i % len(TEMPLATES)].format(
        d=98 + i % 200, s=(300, 400, 600)[i % 3], t=9 + i % 20, o=32 + i % 300, dn=100 + i % 900, i=i)
        for i in range(n_distinct)]
    return pd.Series(np.asarray(distinct, dtype=object)[rng.integers(0, n_distinct, n_lines)])


CASE = {}


def case():
    """Build the benchmark series once."""
    if not CASE:
        CASE["s"] = synthetic_descriptions(100_000, 2_000)
    return CASE["s"]


def test_parse_dimensions_100k_lines_2k_distinct(benchmark):
    """Time parse_dimensions on 100k lines with 2k distinct texts."""
    s = case()
    out = benchmark(parse_dimensions, s)
    assert len(out) == len(s)
    assert out["thickness_mm"].notna().sum() > 0


def test_reference_str_extract_every_row(benchmark):
    """Time one str.extract on every row, the reference."""
    s = case()
    out = benchmark(s.str.extract, r"(\d+(?:[.,]\d+)?)\s*mm\b")
    assert len(out) == len(s)
