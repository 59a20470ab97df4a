"""Whole calculation on a synthetic bill of quantities: matching, units, engine, per-line results.

Measured (issue 13, 2-core machine shared with other jobs, load 4-6, min of 3-5 rounds,
``--benchmark-only --benchmark-min-rounds=3``; before = main at 4e13cc8, run in the same window
right after; the last window is the branch's final code):

=========================================  ============  ============  ============  ============
case                                       before 13:11  after 13:10   before 13:31  after 13:29
=========================================  ============  ============  ============  ============
calculate, 1M lines x 5,000 user factors   1.571 s       0.742 s       1.309 s       0.762 s
  pandas merge + groupby, same run         1.598 s       1.516 s       1.311 s       1.285 s
  numpy factorize + bincount + matmul      0.596 s       0.595 s       0.524 s       0.482 s
  ratio to pandas / to the numpy floor     0.98 / 2.64   0.49 / 1.25   1.00 / 2.50   0.59 / 1.58
same, result.lines read once               3.514 s       2.319 s       3.583 s       1.491 s
calculate_tek17[100000] / pandas ref       1.72 x        1.28 x        1.89 x        1.00 x
calculate_tek17[1000]                      23.8 ms       15.8 ms       26.2 ms       12.7 ms
=========================================  ============  ============  ============  ============

perf-lcax2 (the per-line frame from whole columns; matching without per-call pandas for None
columns): before = main at 6510f22, after = the branch, back to back, load 3-4, CPU time
(``--benchmark-timer=time.process_time``), min of 3-5 rounds:

=========================================  ============  ============
case                                       before 15:41  after 15:41
=========================================  ============  ============
calculate, 1M lines x 5,000 user factors   449 ms        362 ms
  pandas merge + groupby, same run         514 ms        550 ms
  numpy factorize + bincount + matmul      210 ms        236 ms
  ratio to pandas / to the numpy floor     0.87 / 2.14   0.66 / 1.53
same, result.lines read once               670 ms        647 ms
calculate_tek17[100000]                    60.2 ms       60.1 ms
calculate_tek17[1000]                      6.76 ms       7.05 ms
=========================================  ============  ============

At 1M lines the per-line frame's own CPU, built again from the same calculation, went from
0.32 to 0.17 s; read once after a new calculation it is mostly first-touch of its ~350 MB of
new columns, which both versions pay, so the "read once" row moves little.

engine3 (text coded by its objects, constant columns seen as such, no copies where every line
computes, fewer full-length passes): before = main at 773c717, after = the branch, three
pairs back to back, load 3-4, CPU time, min of 5 rounds:

=========================================  ===============  ===============  ===============  ===============
case                                       pair 1 bef/aft   pair 2 bef/aft   pair 3 bef/aft   pair 4 bef/aft
=========================================  ===============  ===============  ===============  ===============
calculate, 1M lines x 5,000 user factors   323 / 282 ms     368 / 315 ms     373 / 289 ms
  pandas merge + groupby, same run         555 / 517 ms     524 / 535 ms     535 / 509 ms
  numpy factorize + bincount + matmul      240 / 210 ms     220 / 233 ms     224 / 211 ms
  ratio to pandas                          0.58 / 0.55      0.70 / 0.59      0.70 / 0.57
  ratio to the numpy floor                 1.34 / 1.34      1.68 / 1.35      1.67 / 1.37
=========================================  ===============  ===============  ===============

The goal, 0.3 x pandas, lies under the numpy floor (0.41-0.44 x pandas in these runs), which
itself factorizes the three text columns; two of them here (unit, building part) hold a new
text object on every line, so they are hashed by value in both. Peak memory of a 1M
calculate: 0.55 GB (0.67 GB with ``result.lines`` read), the input made 0.29 GB of it.

lcax4 (fewer pandas calls and per-line passes; per-line match fields made when read; absent
text columns made only in the frames): before = main at bff387e, after = the branch, pairs
back to back, load 2-3, CPU time, min of 3-5 rounds (tek17: 23-202 rounds); pairs 1-3 before
the branch's last two commits, pair 4 with the final code:

=========================================  ===============  ===============  ===============  ===============
case                                       pair 1 bef/aft   pair 2 bef/aft   pair 3 bef/aft   pair 4 bef/aft
=========================================  ===============  ===============  ===============  ===============
calculate, 1M lines x 5,000 user factors   258 / 225 ms     274 / 233 ms     273 / 250 ms     256 / 204 ms
  pandas merge + groupby, same run         505 / 492 ms     522 / 495 ms     500 / 494 ms     500 / 496 ms
  numpy factorize + bincount + matmul      222 / 205 ms     222 / 204 ms     206 / 204 ms     218 / 202 ms
  ratio to pandas                          0.51 / 0.46      0.53 / 0.47      0.55 / 0.51      0.51 / 0.41
  ratio to the numpy floor                 1.16 / 1.10      1.24 / 1.14      1.32 / 1.22      1.17 / 1.01
same, result.lines read once               378 / 330 ms     409 / 347 ms     524 / 368 ms     366 / 326 ms
calculate_tek17[100000]                    35.8 / 35.0 ms   39.8 / 36.8 ms   42.2 / 38.3 ms   34.6 / 26.6 ms
calculate_tek17[1000]                      6.32 / 4.72 ms   6.86 / 5.04 ms   6.67 / 4.97 ms   6.32 / 4.29 ms
=========================================  ===============  ===============  ===============  ===============

Profile of the 1M case before the last commit (per statement, CPU, min of 5): matching 47 ms
(the factor ids grouped by object, 1M addresses hashed), coding the building parts 43 and the
units 37 ms (each line holds its own text object: hashed by value, as the numpy floor hashes
them), preparing the lines 26 ms (most of it making the five absent text columns, 1M
references to None each, which the last commit makes only in the frames), the user rows'
default scenarios 12 ms (per factor row), the plausibility check 11 ms, and the rest under 8
ms each. With the final code ``calculate`` is at the numpy floor (1.01 x in pair 4); the goal
(0.3 x pandas) stays under that floor (0.41-0.44 x pandas).

lcax6 (fewer per-line arrays, text coded per key; see ``test_lcax.py``): before = 60980f4,
after = the branch, two pairs back to back, load 2.5-3.4, CPU time, min of 3-300 rounds:
1M lines × 5,000 user factors 196.8 / 126.2 and 185.5 / 138.5 ms (0.48 / 0.31 and 0.47 / 0.35
x pandas, 1.31 / 0.82 and 1.25 / 0.90 x the numpy floor: now below it, which codes its text
columns with pandas' scan for text and makes its own per-line arrays); ``calculate_tek17[100000]`` 17.2 / 10.2 and
15.3 / 10.3 ms; ``calculate_tek17[1000]`` 3.82 / 2.84 and 3.70 / 2.60 ms (the fixed cost of a
call); with ``result.lines`` read once 300 / 218 and 289 / 389 ms (min of 3: first touch of
350 MB moves it by 100 ms). ``calculate_dimensions_from_text`` took 276.5 / 283.1 and
275.3 / 285.7 ms; run alone, four times alternating, it took 276.7 and 295.1 before, 290.4
and 273.1 after: within the noise of the machine.
"""

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


# ---------------------------------------------------------------- 1M lines × 5,000 user factors
# Issue #13's row: calculate against the plain-pandas and plain-numpy ways of summing the same
# lines by part, all three timed in one run. The full size runs only with --benchmark-only; the
# suite's smoke run (--benchmark-disable) takes a small size.

def user_factor_boq(n_lines, n_factors=5_000, seed=13):
    """Lines naming one of ``n_factors`` user factors (per kg, A1-A3 only), and those factors."""
    rng = np.random.default_rng(seed)
    ids = np.array([f"EPD {i:05d}" for i in range(n_factors)], dtype=object)
    factors = pd.DataFrame({"factor_id": ids, "name_nb": ids, "declared_unit": "kg",
                            "A1-A3": rng.random(n_factors), "material_group": "concrete",
                            "source": "benchmark"})
    lines = pd.DataFrame({
        "factor_id": rng.choice(ids, n_lines),
        "quantity": rng.random(n_lines) * 1000.0,
        "unit": rng.choice(np.array(["kg", "tonn", "t"]), n_lines),
        "building_part": rng.choice(np.array(["215", "216", "221", "231", "241", "251", "261"]),
                                    n_lines),
    })
    return lines, factors


def _numpy_kernel(lines, per_kg):
    """Reference: codes for ids, units and parts, one bincount by (part, factor), one matmul.

    ``per_kg`` is the A1-A3 column indexed by id. The floor a whole calculation is read
    against when it does the least possible: no matching, scope, scenarios or checks.
    """
    f_codes, f_uniques = pd.factorize(lines["factor_id"])
    factor = per_kg.index.get_indexer(f_uniques)[f_codes]
    u_codes, u_uniques = pd.factorize(lines["unit"])
    scale = pd.Index(u_uniques).map({"kg": 1.0, "tonn": 1000.0, "t": 1000.0}).to_numpy(float)
    p_codes, p_uniques = pd.factorize(lines["building_part"])
    two, part = np.unique(pd.Series(p_uniques).str[:2].to_numpy(object), return_inverse=True)
    key = part[p_codes] * len(per_kg) + factor
    kg = lines["quantity"].to_numpy(float) * scale[u_codes]
    binned = np.bincount(key, weights=kg, minlength=len(two) * len(per_kg))
    return pd.Series(binned.reshape(len(two), len(per_kg)) @ per_kg.to_numpy(float), index=two)


def _size(benchmark, n_lines):
    return n_lines if not benchmark.disabled else 2_000


@pytest.mark.parametrize("n_lines", [1_000_000])
def test_calculate_user_factors(benchmark, n_lines):
    """1M lines × 5,000 user factors, totals by part (``result.lines`` not read)."""
    lines, factors = user_factor_boq(_size(benchmark, n_lines))
    kf.calculate(lines.head(10), factors=factors)
    result = benchmark.pedantic(kf.calculate, args=(lines,), kwargs={"factors": factors},
                                rounds=5, iterations=1, warmup_rounds=1)
    assert len(result.unmatched) == 0 and result.to_dict()["lines"] == len(lines)


@pytest.mark.parametrize("n_lines", [1_000_000])
def test_calculate_user_factors_with_lines(benchmark, n_lines):
    """The same, and the per-line frame read once (what a report or export pays)."""
    lines, factors = user_factor_boq(_size(benchmark, n_lines))
    kf.calculate(lines.head(10), factors=factors)
    result = benchmark.pedantic(lambda: kf.calculate(lines, factors=factors).lines,
                                rounds=3, iterations=1)
    assert len(result) == len(lines)


def _arrow_text(lines):
    """``lines`` with its text stored in Arrow, as pandas 3 stores it where pyarrow is installed."""
    pytest.importorskip("pyarrow")
    text = {c: pd.StringDtype("pyarrow", na_value=np.nan) for c in ("factor_id", "unit",
                                                                     "building_part")}
    return lines.astype(text)


@pytest.mark.parametrize("n_lines", [1_000_000])
def test_calculate_user_factors_arrow_text(benchmark, n_lines):
    """As ``test_calculate_user_factors``, the text in Arrow: its conversion is timed too."""
    lines, factors = user_factor_boq(_size(benchmark, n_lines))
    arrow = _arrow_text(lines)
    kf.calculate(arrow.head(10), factors=factors)
    result = benchmark.pedantic(kf.calculate, args=(arrow,), kwargs={"factors": factors},
                                rounds=5, iterations=1, warmup_rounds=1)
    expected = kf.calculate(lines, factors=factors).by_building_part
    pd.testing.assert_frame_equal(result.by_building_part, expected, check_exact=True)


@pytest.mark.parametrize("n_lines", [1_000_000])
def test_reference_user_factors_pandas_arrow_text(benchmark, n_lines):
    """Timed beside the Arrow case: pandas merge + groupby on the same Arrow-stored frame."""
    lines, factors = user_factor_boq(_size(benchmark, n_lines))
    arrow = _arrow_text(lines)
    per_kg = factors.astype({"factor_id": arrow["factor_id"].dtype}).set_index(
        "factor_id")[["A1-A3"]]
    totals = benchmark.pedantic(_merge_groupby, args=(arrow, per_kg), rounds=5, iterations=1,
                                warmup_rounds=1)
    assert totals.notna().all()


@pytest.mark.parametrize("n_lines", [1_000_000])
def test_reference_user_factors_pandas(benchmark, n_lines):
    """Timed beside test_calculate_user_factors: pandas merge + groupby."""
    lines, factors = user_factor_boq(_size(benchmark, n_lines))
    per_kg = factors.set_index("factor_id")[["A1-A3"]]
    totals = benchmark.pedantic(_merge_groupby, args=(lines, per_kg), rounds=5, iterations=1,
                                warmup_rounds=1)
    assert totals.notna().all()


@pytest.mark.parametrize("n_lines", [1_000_000])
def test_reference_user_factors_numpy(benchmark, n_lines):
    """Timed beside test_calculate_user_factors: factorize + bincount + matmul."""
    lines, factors = user_factor_boq(_size(benchmark, n_lines))
    per_kg = factors.set_index("factor_id")["A1-A3"]
    totals = benchmark.pedantic(_numpy_kernel, args=(lines, per_kg), rounds=5, iterations=1,
                                warmup_rounds=1)
    expected = _merge_groupby(lines, factors.set_index("factor_id")[["A1-A3"]])
    assert np.allclose(totals.to_numpy(), expected.to_numpy(), rtol=1e-9)


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
