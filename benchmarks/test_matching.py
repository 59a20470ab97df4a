"""Matching the line texts of a bill whose texts are all distinct, as a real bill's are.

Run ``pytest benchmarks/test_matching.py --benchmark-only``.

The other benchmarks repeat the example school's 110 texts, so the matcher, which works once
per distinct text, had little to do in them. In a real bill of quantities nearly every post has
its own text (its axis, floor or room). Here the school's texts are each made distinct by a
suffix (``…, akse 12-3``), 20 000 lines, and one in five upper-cased. Cases:

- ``calculate``: ``kf.calculate`` with the TEK17 profile, everything matched from the texts;
- ``kernel_prefiltered``: every shipped alias pattern on every distinct text, each searched
  only where the text holds one of the pattern's words (``_regex_literals.LiteralIndex``), as
  the matcher now does;
- ``kernel_plain``: the same searches on every text, as the matcher did before: the reference.
  (The matcher stops searching a text once it has its factor, so its own work lies below
  this.)

Measured (2026-12-08, 2 cores shared with two helpers' benchmarks, CPU time, min of 3):
``calculate`` on 20 000 distinct texts 11.8 s before, 1.46 s after (5 000 texts: 2.88 s ->
0.41 s); the kernel on 20 000 texts 1.03 s prefiltered beside 18.6 s plain (18 x). The results
are identical (``result.lines`` and ``unmatched`` compared exactly on 300, 5 000 and 20 000
lines, with texts in upper case and with the dotless i, the long s and the Kelvin sign in them).
The kernel's index is built anew over the texts still open once they are fewer than half.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from _sizes import skip_full_size

FULL, SMOKE = 20_000, 500


def distinct_texts_project(n_lines: int):
    """The school's lines repeated to ``n_lines``, each text made distinct, one in five upper case."""
    import pandas as pd

    import klimafotavtrykk as kf

    items = kf.read_boq(Path(__file__).resolve().parents[1] / "examples" / "skole.xlsx")[0]
    rng = np.random.default_rng(7)
    lines = items.iloc[rng.integers(0, len(items), n_lines)].reset_index(drop=True)
    texts = lines["description"].astype(object).to_numpy()
    upper = rng.random(n_lines) < 0.2
    lines["description"] = pd.Series([f"{t.upper() if u else t}, akse {i % 97}-{i // 97}"
                                      for i, (t, u) in enumerate(zip(texts, upper, strict=True))],
                                     dtype=object)
    lines["row_id"] = np.arange(n_lines)
    return lines


@pytest.mark.parametrize("n_lines", [SMOKE, FULL])
def test_calculate(benchmark, n_lines):
    skip_full_size(benchmark, n_lines > SMOKE)
    import klimafotavtrykk as kf

    lines = distinct_texts_project(n_lines)
    kf.calculate(lines.head(50), profile="tek17", bta_m2=2400)  # patterns compiled, tables loaded
    result = benchmark.pedantic(kf.calculate, args=(lines,), kwargs={"profile": "tek17",
                                                                     "bta_m2": 2400},
                                rounds=1 if benchmark.disabled else 3, iterations=1)
    assert len(result.lines) + len(result.unmatched) == n_lines


@pytest.mark.parametrize("case", ["kernel_prefiltered", "kernel_plain"])
@pytest.mark.parametrize("n_lines", [SMOKE, FULL])
def test_search_kernel(benchmark, n_lines, case):
    skip_full_size(benchmark, n_lines > SMOKE)
    from klimafotavtrykk._regex_literals import LiteralIndex, required_literals
    from klimafotavtrykk.matching import _search_pattern, load_mappings

    texts = distinct_texts_project(n_lines)["description"].to_numpy(dtype=object)
    patterns = list(load_mappings().aliases["pattern"])
    compiled = [_search_pattern(p) for p in patterns]

    def prefiltered():
        index, hits = LiteralIndex(texts), 0
        for pattern, rx in zip(patterns, compiled, strict=True):
            words = required_literals(pattern)
            todo = np.flatnonzero(index.containing(words)) if words else range(len(texts))
            hits += sum(rx.search(texts[i]) is not None for i in todo)
        return hits

    def plain():
        return sum(rx.search(t) is not None for rx in compiled for t in texts)

    hits = benchmark.pedantic(prefiltered if case == "kernel_prefiltered" else plain,
                              rounds=1 if benchmark.disabled else 3, iterations=1)
    assert hits == plain() if benchmark.disabled else hits > 0
