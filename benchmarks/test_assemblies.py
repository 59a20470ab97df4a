"""Build-ups on one line: splitting into layers and folding back, per distinct text.

A bill of 20 000 lines, one in ten a wall build-up drawn from 200 distinct texts.
:func:`calculate` is timed with and without the build-ups (the same lines with the
build-up texts replaced by a plain gypsum line). Most of the difference is matching the 200
extra distinct texts and their layers against the aliases (per distinct text, as for any
line); expanding and folding the 2 000 build-ups is array work (about 0.2 s of 2.7 s when
written). Run ``pytest benchmarks/test_assemblies.py --benchmark-enable``.
"""

import warnings

import numpy as np
import pandas as pd

import klimafotavtrykk as kf

PLAIN = ["Gipsplater 13 mm", "Plasstøpt betong B30", "Isolasjon 200 mm mineralull"]
PLAIN_UNITS = ["m2", "m3", "m2"]


def synthetic_bill(n_lines, n_walls, share, seed=5, with_walls=True):
    """Lines of plain materials with a share of build-up walls (or gypsum in their place)."""
    rng = np.random.default_rng(seed)
    walls = np.array([f"Innervegg type {i}: 48x{98 + i % 100} stender, 2x13 mm gips hver side, "
                      f"{50 + i % 150} mm mineralull" for i in range(n_walls)], dtype=object)
    pick = rng.integers(0, len(PLAIN), n_lines)
    text = np.array(PLAIN, dtype=object)[pick]
    unit = np.array(PLAIN_UNITS, dtype=object)[pick]
    wall = rng.random(n_lines) < share
    text[wall] = walls[rng.integers(0, n_walls, wall.sum())] if with_walls else PLAIN[0]
    unit[wall] = "m2"
    return pd.DataFrame({"description": text, "quantity": rng.random(n_lines) * 100.0,
                         "unit": unit, "building_part": "25"})


def _calculate(lines):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return kf.calculate(lines, "ns3720")


def test_calculate_20k_lines_with_build_ups(benchmark):
    """Time calculate on 20k lines, 10 % of them build-ups of 200 distinct texts."""
    lines = synthetic_bill(20_000, 200, 0.1)
    result = benchmark(_calculate, lines)
    assert len(result.lines) + len(result.unmatched) == len(lines)
    assert (result.lines["match_method"] == "assembly").sum() > 0


def test_calculate_20k_lines_without_build_ups(benchmark):
    """Time calculate on the same 20k lines with plain gypsum in place of the build-ups."""
    lines = synthetic_bill(20_000, 200, 0.1, with_walls=False)
    result = benchmark(_calculate, lines)
    assert len(result.lines) + len(result.unmatched) == len(lines)
