"""Whole calculation on a synthetic bill of quantities: matching, units, engine, per-line results."""

import numpy as np
import pandas as pd
import pytest

import klimafotavtrykk as kf
from klimafotavtrykk.factors import load_factors


def synthetic_boq(n_lines, seed=11):
    rng = np.random.default_rng(seed)
    table = load_factors()
    per_kg = table.frame.index[table.frame["declared_unit"] == "kg"].to_numpy()
    return pd.DataFrame({
        "factor_id": rng.choice(per_kg, n_lines),
        "quantity": rng.random(n_lines) * 1000.0,
        "unit": rng.choice(np.array(["kg", "tonn", "t"]), n_lines),
        "building_part": rng.choice(np.array(["215", "216", "221", "231", "241", "251", "261"]), n_lines),
    })


@pytest.mark.parametrize("n_lines", [1_000, 100_000])
def test_calculate_tek17(benchmark, n_lines):
    lines = synthetic_boq(n_lines)
    kf.calculate(lines.head(10))  # load data files once, outside the timing
    result = benchmark(kf.calculate, lines, profile="tek17")
    assert len(result.lines) + len(result.unmatched) == n_lines


def _merge_groupby(lines, factors):
    """Reference: the same lines joined to their factors and summed by part, in plain pandas.

    Units are the three mass spellings of :func:`synthetic_boq` (kg, tonn, t), scaled by a
    dict lookup; A1-A3 only. This is the floor a whole calculation is read against: no
    matching, scope, scenarios, checks or per-line audit.
    """
    scale = lines["unit"].map({"kg": 1.0, "tonn": 1000.0, "t": 1000.0})
    joined = lines.assign(kg=lines["quantity"] * scale).merge(
        factors, left_on="factor_id", right_index=True, how="left")
    joined["kg_co2e"] = joined["kg"] * joined["A1-A3"]
    return joined.groupby(joined["building_part"].str[:2])["kg_co2e"].sum()


@pytest.mark.parametrize("n_lines", [100_000])
def test_reference_pandas_merge_groupby(benchmark, n_lines):
    """Timed beside test_calculate_tek17[100000]: the ratio of the two is the engine's overhead."""
    lines = synthetic_boq(n_lines)
    factors = load_factors().frame[["A1-A3"]].apply(pd.to_numeric)
    totals = benchmark(_merge_groupby, lines, factors)
    assert totals.notna().all()


def described_boq(n_lines, n_texts=2_000, seed=12):
    """Lines in m² and m whose thickness, section or pipe size is in the description."""
    rng = np.random.default_rng(seed)
    kinds = [("Isolasjon steinull {} mm", "m2", "stone_wool_batts"),
             ("Bindingsverk 48x{} C24 c/c 600", "m2", "sawn_timber"),
             ("Lekter 36x{} mm", "m", "sawn_timber"),
             ("PVC SN8 Ø{}", "m", "civil_pvc_pipe_proxy")]
    sizes = np.array([48, 98, 110, 148, 160, 198, 200, 250])
    pick = rng.integers(0, len(kinds), n_texts)
    texts = np.array([kinds[k][0].format(sizes[i % len(sizes)]) + f", pos {i}" for i, k in enumerate(pick)])
    line_text = rng.integers(0, n_texts, n_lines)
    return pd.DataFrame({
        "description": texts[line_text],
        "factor_id": np.array([kinds[k][2] for k in pick])[line_text],
        "quantity": rng.random(n_lines) * 100.0,
        "unit": np.array([kinds[k][1] for k in pick])[line_text],
        "building_part": "231",
    })


@pytest.mark.parametrize("n_lines", [100_000])
def test_calculate_dimensions_from_text(benchmark, n_lines):
    lines = described_boq(n_lines)
    kf.calculate(lines.head(10))
    result = benchmark(kf.calculate, lines, profile="tek17")
    assert len(result.lines) + len(result.unmatched) == n_lines
