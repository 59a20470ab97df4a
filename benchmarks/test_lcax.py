"""Issue #13, LCAx row: a 100k-product project, frame in -> per-line and per-module results out.

Run ``pytest benchmarks/test_lcax.py --benchmark-only --benchmark-min-rounds=5``.

The same project is computed two ways in one run:

- ours: ``calculate(lines, profile, factors=frame, extend=False)`` and its per-line frame
  (``result.lines``, built on request) and per-module totals; once with the EPDs as a frame
  (validated on every call) and once as a :class:`~klimafotavtrykk.factors.FactorTable` built
  before;
- LCAx's own calculation (the ``lcax`` package, Rust): the same project as LCAx JSON, as
  :func:`klimafotavtrykk.to_lcax` writes it, loaded, computed (``calculate_project``) and its
  results written out (``dumps``): end to end, as a user of LCAx goes from a file to results;
  and ``calculate_project`` alone on a project already loaded.

Both give the same module totals (checked in each case). Beside them, our ``to_lcax`` and
``read_lcax`` of the 100k products, each against plain ``json.dumps`` / ``json.loads`` of the
same structure, their floor: as a user runs them, and with the cyclic garbage collector paused
as our two functions run (it makes the plain calls slower than ours on a large heap).

The full size runs only with ``--benchmark-only``; the suite's smoke run
(``--benchmark-disable``) takes 2,000 products.

Measured (issue 13, shared 2-core machine, load 4-6, min of 3-8 rounds; before = main at
4e13cc8 in the same window, the last pair with the branch's final code):

======================================  ======  =======  =======  =======  =======
case, 100k products                     main    branch   main     main     branch
                                        12:40   13:06    13:16    13:32    13:30
======================================  ======  =======  =======  =======  =======
ours, frame in -> results out           188 ms  93.7 ms  451 ms   294 ms   198 ms
ours, FactorTable built once            92 ms   74.0 ms  323 ms   207 ms   178 ms
lcax end to end, same run               4.62 s  4.33 s   5.78 s   4.74 s   6.26 s
lcax calculate_project alone            0.93 s  2.48 s   1.69 s   1.11 s   1.86 s
lcax end to end / ours (frame in)       24.6 x  46.2 x   12.8 x   16.1 x   31.7 x
======================================  ======  =======  =======  =======  =======

Load moves every figure by 2-3 x between windows; compare ratios within a column.

perf-lcax2 (the per-line frame from whole columns, each typed once): before = main at 6510f22,
after = the branch, run back to back with ``--benchmark-min-rounds=5``, load 3-7. CPU time
(``--benchmark-timer=time.process_time``, min) is the steadier figure on a shared machine:

======================================  =========  =========  =========  =========  =========  =========
case, 100k products                     CPU bef.   CPU aft.   CPU bef.   CPU aft.   wall bef.  wall aft.
                                        15:37      15:38      15:52      15:53      15:33      15:35
======================================  =========  =========  =========  =========  =========  =========
ours, frame in -> results out           92.2 ms    62.3 ms    111.7 ms   77.7 ms    173 ms     135 ms
ours, FactorTable built once            88.7 ms    67.1 ms    80.0 ms    68.9 ms    171 ms     146 ms
ours, the per-line frame alone          32.4 ms    14.1 ms    31.8 ms    16.5 ms    58.9 ms    27.3 ms
floor: pd.DataFrame of its arrays       6.2 ms     5.8 ms     5.7 ms     5.9 ms     8.2 ms     9.1 ms
lcax end to end, same run               2.53 s     2.52 s     2.83 s     2.66 s     4.95 s     3.65 s
lcax end to end / ours (frame in)       27.4 x     40.4 x     25.3 x     34.2 x     28.6 x     27.0 x
======================================  =========  =========  =========  =========  =========  =========

engine3 (text coded by its objects, Arrow text converted through Arrow's coding, fewer passes
in ``calculate``): before = main at 773c717, after = the branch, three pairs run back to back,
load 3-4 on the shared 2 cores, CPU time (``--benchmark-timer=time.process_time``),
min of 5-121 rounds; lcax end to end / ours in brackets:

======================================  ===============  ===============  ===============  ===============
case, 100k products                     pair 1 bef/aft   pair 2 bef/aft   pair 3 bef/aft   pair 4 bef/aft
======================================  ===============  ===============  ===============  ===============
ours, frame in -> results out           56.2 / 83.7 ms   75.7 / 68.9 ms   54.1 / 55.1 ms
  lcax end to end / ours                44.4 / 30.4 x    32.6 / 37.1 x    43.8 / 44.7 x
ours, text stored in Arrow              81.9 / 77.6 ms   122.4 / 92.9 ms  77.0 / 67.6 ms
  lcax end to end / ours                30.5 / 32.8 x    20.2 / 27.5 x    30.8 / 36.4 x
ours, the per-line frame alone          13.6 / 12.7 ms   16.2 / 15.2 ms   12.9 / 14.4 ms
floor: pd.DataFrame of its arrays       5.9 / 5.8 ms     6.2 / 6.2 ms     5.7 / 6.0 ms
lcax end to end                         2.50 / 2.54 s    2.47 / 2.56 s    2.37 / 2.46 s
======================================  ===============  ===============  ===============

With text in Python objects the row did not move beyond the noise of the machine (profiled,
``calculate`` coding its text columns went from 35 to 26 ms of 141 -> 110 ms per run under
cProfile). With text in Arrow, as pandas 3 stores it where pyarrow is installed, the
conversion that every call pays is about half of what it was.

100 x is not reached: it would mean about 25 ms of CPU for the whole of ours. ``calculate``
alone takes about 45 ms of it (prepare, match and code 100k lines: three string columns
factorized, about 3.5 ms each in pandas, units, scope, reasons), and the per-line frame about
14 ms, of which making its 42 columns of 100k values (six text columns taken per factor row,
the 16 module columns, the rest) is most, and pandas' floor for putting the same arrays
together with ``copy=False`` is 6 ms.

lcax4 (fewer pandas calls and per-line passes in ``calculate``; the floors added): before =
main at bff387e, after = the branch, pairs back to back, load 2-3 on the shared 2 cores, CPU
time (``--benchmark-timer=time.process_time``), min of 5-29 rounds. Pairs 1-3 ran before the
branch's last two commits (``_frames.taken``; absent text columns made only in the frames),
pair 4 with the final code:

======================================  ===============  ===============  ===============  ===============
case, 100k products                     pair 1 bef/aft   pair 2 bef/aft   pair 3 bef/aft   pair 4 bef/aft
======================================  ===============  ===============  ===============  ===============
ours, frame in -> results out           53.8 / 41.5 ms   55.8 / 44.4 ms   59.0 / 48.4 ms   51.6 / 38.3 ms
  lcax end to end / ours                42.7 / 55.1 x    40.3 / 51.5 x    39.4 / 47.8 x    43.3 / 57.3 x
ours, FactorTable built once            51.2 / 33.3 ms   53.8 / 37.4 ms   56.7 / 49.8 ms   47.0 / 41.9 ms
  lcax end to end / ours                44.9 / 68.9 x    41.8 / 61.1 x    41.0 / 46.5 x    47.6 / 52.4 x
ours, text stored in Arrow              53.9 / 53.1 ms   63.4 / 48.5 ms   63.4 / 59.0 ms   48.1 / 51.1 ms
ours, the per-line frame alone          11.8 / 11.0 ms   11.9 / 11.0 ms   13.5 / 12.5 ms   11.3 / 11.8 ms
floor (a): numpy totals                 20.2 / 19.2 ms   21.2 / 19.7 ms   20.6 / 21.7 ms   19.2 / 19.2 ms
floor (b): (a) + per-line frame         22.6 / 22.5 ms   23.7 / 22.8 ms   24.5 / 25.2 ms   22.4 / 21.7 ms
floor (b), text factorized as objects   10.8 / 10.8 ms   11.2 / 11.8 ms   13.2 / 14.5 ms   11.2 / 10.8 ms
floor: pd.DataFrame of its arrays       5.7 / 5.4 ms     5.9 / 5.3 ms     6.0 / 5.8 ms     5.3 / 5.6 ms
lcax end to end                         2.30 / 2.29 s    2.25 / 2.28 s    2.32 / 2.31 s    2.23 / 2.20 s
======================================  ===============  ===============  ===============  ===============

The floor. 100 x is 22.0-23.1 ms of CPU in these runs. Floor (b), the 1M case's numpy
reference (``_numpy_kernel`` of ``test_calculate.py``: the three key columns factorized, one
bincount, one matmul) with the per-line result as a pandas frame of its arrays, took 21.7-25.2
ms in the same runs: 100 x asks ours to cost what that reference costs, with nothing of
matching, scope, unit checks, reasons, coverage or the per-line audit columns. The lowest
floor found is the same reference factorizing the columns' Python objects (pandas 3
factorizes a ``str`` column about three times slower than its objects), 10.8-14.5 ms; ours
is 3.3-3.9 x that in pairs 1-3 and 3.5 x in pair 4 (the FactorTable case 3.1-3.9 x).

Where ours goes (lcax4's profile, per statement, CPU, min of 30 runs, load about 2): of
``calculate``'s 22.5 ms, coding the three text columns is about 7 (factor id 1.3-1.9,
grouped by object; unit and building part about 2 each: each line holds its own text object,
made from a numpy text array, so each is hashed by value as the floor hashes it), matching
the rest about 2, preparing the lines 2.9 (of which 2.2 making the ten absent line columns
the per-line frame shows: five of them 100k references to None, 0.28 ms each, now made only
in the frames), and some forty steps of 0.2-0.9 ms each (checks, scenarios, groups,
coverage, the small frames), about 6 ms of which is the fixed cost of a call
(``calculate`` of 2 000 lines: 6 ms). The
per-line frame's 11 ms: the factor, match and audit text columns 5 (each 100k object
references, 0.25-0.65 ms a column), the modules and their total 2.4-3.2, putting the 42
columns together 2-3 (its floor 5.4-6 for the same arrays given as 42 separate columns).

lcax5 (the per-line frame's columns of None share one array; fewer per-line arrays in
``calculate``): before = ae28fb3, after = the branch, six pairs run back to back with
``--benchmark-min-rounds=5 --benchmark-timer=time.process_time``, load 1.2-2.1 on the shared
2 cores (another helper running), CPU min, before / after. Pairs 1-2 ran at ee890e2, 3-4 at
251e61c, 5-6 with the final code (the same work; it differs in when an array of None is made):

====  ===============  =============  ==============  ===============  ==============  =============  =============
pair  ours, frame in   lcax e2e/ours  ours/floor (b)  FactorTable      per-line frame  floor (b)      lcax e2e
                                                      built once       alone
====  ===============  =============  ==============  ===============  ==============  =============  =============
1     38.2 / 29.5 ms   51.9 / 70.3 x  2.38 / 1.94 x   42.0 / 30.5 ms   11.3 / 6.1 ms   16.1 / 15.2    1.98 / 2.07 s
2     40.8 / 32.8 ms   48.8 / 61.2 x  2.71 / 2.22 x   40.2 / 24.3 ms   9.8 / 5.9 ms    15.1 / 14.8    1.99 / 2.00 s
3     35.7 / 31.2 ms   54.5 / 66.5 x  2.34 / 2.06 x   40.6 / 31.1 ms   9.6 / 6.7 ms    15.3 / 15.2    1.95 / 2.07 s
4     43.0 / 29.0 ms   46.0 / 69.8 x  2.73 / 1.90 x   41.3 / 29.0 ms   9.5 / 6.1 ms    15.7 / 15.2    1.98 / 2.02 s
5     35.2 / 33.3 ms   56.0 / 61.9 x  2.22 / 2.13 x   42.8 / 32.7 ms   10.6 / 6.9 ms   15.8 / 15.7    1.97 / 2.06 s
6     38.7 / 34.7 ms   50.4 / 56.9 x  2.39 / 2.22 x   42.0 / 33.4 ms   10.5 / 6.6 ms   16.2 / 15.6    1.95 / 1.98 s
====  ===============  =============  ==============  ===============  ==============  =============  =============

Floor (a) took 12.9-13.6 ms and floor (b) with the text factorized as objects 7.9-9.0 in the
same runs, before and after alike. The frame-in row moves most between runs (35-43 ms before,
29-35 after) and can even come out below the FactorTable row it contains; the FactorTable
row (40-43 -> 24-33 ms) and the per-line frame alone (9.5-11.3 -> 5.9-6.9 ms) are steadier.

What changed, measured alone at 100k lines: the per-line frame's ten columns of None on
every line (the five deferred line columns, ``factor_name``, the three audit columns,
``layers``) are one array under copy-on-write, pandas copying a column before a write into
it: made and freed once instead of ten times (building the frame 8.8 -> 5.9 ms, freeing it
2.2 -> 0.7 ms). The absent line columns are added in one concatenation, their NaN columns
sharing one array too (1.9 -> 0.7 ms). Object addresses are read in place, not copied (a
dozen 100k copies a call); a column of one text in distinct objects (the indicator) is
filled, not gathered; the plausibility names are made only where a line fails; quantities
in their factor's dimension are scaled without the conversion through a mass; no gather of
all -1 for an absent ``transport_mode``; pandas' hash table sized for the few values the
first rows of a column show.

Part of what varies between runs is the allocator: pytest-benchmark drops the result
inside the timing, glibc then returns the freed heap top to the system when it exceeds its
trim threshold, and the next call faults its pages in again (5 200 minor faults a call
before, 0-1 750 after, in a loop that drops the result). With trimming switched off
(``MALLOC_TRIM_THRESHOLD_``) ours took 26.0 ms against floor (b) 15.8 in one run; peak
traced memory of a call is 28 MB (39 before), the per-line frame 22 of it.

100 x is not reached: it means 19.5-20.7 ms in these runs, 1.3 x floor (b), and ours is
1.9-2.2 x floor (b). ``calculate`` takes 13-17 ms of ours: coding the three text columns about 4.5 (factor id by object 1.0;
unit and building part each hold a new text object per line, so each is hashed by value,
1.2-2 ms, the floor's own cost), and some fifty steps of 0.1-0.5 ms each (checks, scenario
rows, groups, coverage, the small frames; ``calculate`` of 1 000 lines still takes 6 ms).
The per-line frame takes about 6: the 18 module columns 1.8 (written once, 14 MB), nine
other columns of 100k object references or numbers 0.15-0.4 each, pandas putting them
together about 1.

lcax6 (``calculate`` without the per-line arrays it only read, text coded per key): before =
60980f4, after = the branch, two pairs run back to back with ``--benchmark-min-rounds=5
--benchmark-timer=time.process_time``, load 2.5-3.4 on the shared 2 cores (another engineer
running), CPU min, before / after:

====  ===============  ==============  ==============  ===============  ==============  =============  =============
pair  ours, frame in   lcax e2e/ours   ours/floor (b)  FactorTable      per-line frame  floor (b)      lcax e2e
                                                       built once       alone
====  ===============  ==============  ==============  ===============  ==============  =============  =============
1     35.4 / 22.4 ms   61.9 / 93.7 x   1.97 / 1.23 x   36.7 / 22.1 ms   7.9 / 8.0 ms    17.9 / 18.3    2.19 / 2.10 s
2     32.5 / 18.9 ms   65.7 / 109.6 x  1.99 / 1.27 x   31.3 / 17.5 ms   7.2 / 6.4 ms    16.3 / 14.8    2.13 / 2.07 s
====  ===============  ==============  ==============  ===============  ==============  =============  =============

With the EPDs as a FactorTable lcax end to end / ours was 59.7 / 95.3 x and 68.1 / 118.4 x;
text stored in Arrow took 42.7 / 39.5 and 35.2 / 28.0 ms. 100 x (20.7-21.9 ms in these runs)
is reached in pair 2 and missed by 1.4 ms in pair 1: the row moves by 3-4 ms between runs.

Most of what went was not arithmetic but fresh memory: a new array of 100k float64 or int64
is 0.8 MB, which glibc maps anew once it has trimmed its heap, and the kernel then faults in
and zeroes each page on first touch. Run with trimming and mapping switched off
(``MALLOC_TRIM_THRESHOLD_``, ``MALLOC_MMAP_THRESHOLD_``) ``calculate`` of this project took 13
ms instead of 20 before this work. So ``calculate`` now makes fewer such arrays: lines that all
name a known factor read their match method, reason and rule lines as views of one value
(``MatchResult.read_only``; the attributes still make the arrays when read); the build-up
columns of plain lines, an absent transport mode and a scale of 1 are views of one value;
quantities already in their base and declared units (kg, m³) are read as they are, not
multiplied by 1 and divided by 1; declared dimensions take one byte a line; the factor row of
each line, the building part's scope and two-digit group are gathered once through a key per
line (``_frames.text_code_parts``: the lines keyed by object or raw value, each key coded
once) instead of through a code per line first; the factor rows made safe for gathering are
made once, not twice. Steps skipped where their input is already final: no description is
read when no unit of the bill is an area, a length or a piece (asked of the distinct units),
and the empty frame of the derived dimensions is made once per size; the waste rate,
thickness and distance checks skip columns the lines did not have (NaN); unit spellings are
parsed into arrays, not a frame read back as arrays; the unmatched frame of lines that all
compute is a shallow copy under copy-on-write. Text columns in pandas' ``str`` dtype are coded
with pandas' text hash table without its scan that every value is text
(``_string_storage.factorize_texts``, which falls back to ``pd.factorize`` where a text is no
UTF-8), 0.2-0.5 ms a column when the objects are out of cache.

What is left (line profile, 100k products): ``calculate`` about 12-13 ms of the 19-22, of
which coding the three text columns is most (reading 200k text objects of unit and building
part from memory, and grouping the factor ids by object), and the per-line frame 6-8 ms,
most of it its 14 MB of module columns and five columns of 100k object references.
"""

import gc
import json

import numpy as np
import pandas as pd
import pytest

import klimafotavtrykk as kf
from klimafotavtrykk.factors import factor_table_from_frame
from klimafotavtrykk.vocabulary import MODULES

PROFILE = "en15978"  # every module, no building-part scope: LCAx computes every product too
DECLARED = [m for m in MODULES if m != "B6"]  # B6 is operational energy, not a product's


def synthetic_project(n_products, n_epds=500, seed=17):
    """Lines naming one of ``n_epds`` user EPDs (per kg or per m3, every module declared)."""
    rng = np.random.default_rng(seed)
    ids = np.array([f"epd_{i:04d}" for i in range(n_epds)], dtype=object)
    unit = np.where(np.arange(n_epds) % 2 == 0, "kg", "m3")
    factors = pd.DataFrame({"factor_id": ids, "declared_unit": unit,
                            "dataset_type": "product_epd", "indicator": "gwp-total",
                            "source": "synthetic EPD for the benchmark"})
    for module in DECLARED:
        factors[module] = rng.random(n_epds) * (-1.0 if module == "D" else 1.0)
    pick = rng.integers(0, n_epds, n_products)
    lines = pd.DataFrame({
        "factor_id": ids[pick],
        "quantity": rng.random(n_products) * 100.0,
        "unit": unit[pick],
        "building_part": rng.choice(np.array(["215", "216", "221", "231", "241", "251"]),
                                    n_products),
    })
    return lines, factors


@pytest.fixture(scope="module")
def project(request):
    """Lines, factors, our result and its LCAx text, at the size the run asks for."""
    cache = {}

    def make(n_products):
        if n_products not in cache:
            lines, factors = synthetic_project(n_products)
            result = kf.calculate(lines, PROFILE, factors=factors, extend=False)
            doc = kf.to_lcax(result, project={"name": "benchmark", "id": "benchmark"})
            cache[n_products] = lines, factors, result, doc, json.dumps(_as_input(doc))
        return cache[n_products]

    return make


def _as_input(doc):
    """The project as LCAx's input: without the results and metaData to_lcax adds to it.

    LCAx computes from products, quantities and EPDs; results and our metaData would only
    make its parse slower, so the peer gets the lean file.
    """
    lean = json.loads(json.dumps(doc))
    lean["results"] = lean["metaData"] = None
    for assembly in lean["assemblies"]:
        assembly["results"] = None
        for product in assembly["products"]:
            product["results"] = product["metaData"] = None
            for epd in product["impactData"]:
                epd["metaData"] = None
    return lean


def _size(benchmark):
    return 2_000 if benchmark.disabled else 100_000


def _ours(lines, factors):
    result = kf.calculate(lines, PROFILE, factors=factors, extend=False)
    return result.lines, result.by_module


def test_ours_frame_in_results_out(benchmark, project):
    lines, factors, result, _, _ = project(_size(benchmark))
    per_line, by_module = benchmark(_ours, lines, factors)
    assert len(per_line) == len(lines)
    np.testing.assert_allclose(by_module.to_numpy(), result.by_module.to_numpy(), rtol=1e-12)


def test_ours_frame_in_results_out_arrow_text(benchmark, project):
    """As above, with the bill's text stored in Arrow (pandas 3 where pyarrow is installed):
    the conversion of its three text columns to Python-stored text is timed too."""
    pytest.importorskip("pyarrow")
    lines, factors, result, _, _ = project(_size(benchmark))
    text = {c: pd.StringDtype("pyarrow", na_value=np.nan) for c in ("factor_id", "unit",
                                                                     "building_part")}
    arrow_lines = lines.astype(text)
    assert all(arrow_lines[c].dtype.storage == "pyarrow" for c in text)
    per_line, by_module = benchmark(_ours, arrow_lines, factors)
    assert len(per_line) == len(lines)
    np.testing.assert_allclose(by_module.to_numpy(), result.by_module.to_numpy(), rtol=1e-12)


def test_ours_factor_table_built_once(benchmark, project):
    """As above, with the EPDs validated once into a FactorTable (a project re-run after a change)."""
    lines, factors, result, _, _ = project(_size(benchmark))
    table = factor_table_from_frame(factors, name="benchmark EPDs")
    per_line, by_module = benchmark(_ours, lines, table)
    assert len(per_line) == len(lines)
    np.testing.assert_allclose(by_module.to_numpy(), result.by_module.to_numpy(), rtol=1e-12)


def test_ours_per_line_frame_only(benchmark, project):
    """The per-line frame alone (``result.lines``), built from a calculation's arrays."""
    lines, factors, result, _, _ = project(_size(benchmark))
    computed = kf.calculate(lines, PROFILE, factors=factors, extend=False)
    source = type(computed).__dict__["lines"].source(computed)
    frame = benchmark(source.frame)
    pd.testing.assert_frame_equal(frame, result.lines, check_exact=True)


def test_floor_frame_of_the_same_arrays(benchmark, project):
    """Floor of the per-line frame: pandas putting the finished columns of ``result.lines``
    together (``pd.DataFrame`` of a dict of its arrays, ``copy=False``); no column is made."""
    _, _, result, _, _ = project(_size(benchmark))
    arrays = {name: result.lines[name].array for name in result.lines.columns}
    frame = benchmark(pd.DataFrame, arrays, copy=False)
    assert frame.shape == result.lines.shape


def _numpy_totals(lines, factors, factorize=pd.factorize):
    """Floor (a): the 1M case's numpy reference (``test_calculate._numpy_kernel``) on this input.

    The three keys coded (factor id, unit, building part), quantities scaled per unit
    spelling, one bincount by (two-digit part, factor) and one matmul with the EPDs' module
    values: totals per part and module, summed to per-module totals. No matching, scope,
    scenarios, checks or per-line audit. Returns the totals and what a per-line result needs.
    """
    ids = pd.Index(factors["factor_id"])
    f_codes, f_uniques = factorize(lines["factor_id"])
    factor = ids.get_indexer(f_uniques)[f_codes]
    u_codes, u_uniques = factorize(lines["unit"])
    scale = pd.Index(u_uniques).map({"kg": 1.0, "m3": 1.0}).to_numpy(float)
    p_codes, p_uniques = factorize(lines["building_part"])
    two, part = np.unique(pd.Series(p_uniques).str[:2].to_numpy(object), return_inverse=True)
    key = part[p_codes] * len(ids) + factor
    quantity = lines["quantity"].to_numpy(float) * scale[u_codes]
    binned = np.bincount(key, weights=quantity, minlength=len(two) * len(ids))
    per_factor = np.nan_to_num(factors[DECLARED].to_numpy(float))
    by_part = binned.reshape(len(two), len(ids)) @ per_factor
    return pd.Series(by_part.sum(axis=0), index=DECLARED), factor, quantity, per_factor


def _numpy_per_line(lines, factors, factorize=pd.factorize):
    """Floor (b): floor (a) and the per-line result, a pandas frame of the lines and their
    module values (gathered per factor and multiplied by the quantities)."""
    by_module, factor, quantity, per_factor = _numpy_totals(lines, factors, factorize)
    per_line = per_factor.take(factor, axis=0)
    per_line *= quantity[:, None]
    frame = pd.concat([lines, pd.DataFrame(per_line, columns=DECLARED, copy=False)], axis=1)
    return frame, by_module


def _factorize_objects(column):
    """``pd.factorize`` of a text column's Python objects: about three times faster than of
    the ``str`` column itself (pandas 3), the same codes."""
    return pd.factorize(column.to_numpy(dtype=object))


def test_floor_numpy_totals(benchmark, project):
    """Floor (a): the numpy reference of the 1M case, per-module totals, on the same input."""
    lines, factors, result, _, _ = project(_size(benchmark))
    by_module, *_ = benchmark(_numpy_totals, lines, factors)
    np.testing.assert_allclose(by_module.to_numpy(), result.by_module[DECLARED].to_numpy(),
                               rtol=1e-12)


def test_floor_numpy_per_line_frame(benchmark, project):
    """Floor (b): floor (a) and the per-line result as a pandas frame of those arrays."""
    lines, factors, result, _, _ = project(_size(benchmark))
    frame, by_module = benchmark(_numpy_per_line, lines, factors)
    assert len(frame) == len(lines)
    np.testing.assert_allclose(frame[DECLARED].to_numpy(), result.lines[DECLARED].to_numpy(),
                               rtol=1e-12)
    np.testing.assert_allclose(by_module.to_numpy(), result.by_module[DECLARED].to_numpy(),
                               rtol=1e-12)


def test_floor_numpy_per_line_frame_objects(benchmark, project):
    """Floor (b), with the text columns factorized as Python objects (the faster way)."""
    lines, factors, result, _, _ = project(_size(benchmark))
    frame, by_module = benchmark(_numpy_per_line, lines, factors, _factorize_objects)
    assert len(frame) == len(lines)
    np.testing.assert_allclose(by_module.to_numpy(), result.by_module[DECLARED].to_numpy(),
                               rtol=1e-12)


def test_lcax_end_to_end(benchmark, project):
    lcax = pytest.importorskip("lcax", reason="the lcax package is not installed")
    _, _, result, _, text = project(_size(benchmark))

    def run():
        return lcax.calculate_project(lcax.Project.loads(text)).dumps()

    out = json.loads(benchmark(run))["results"]["gwp"]
    for module in DECLARED:
        assert out[module.lower().replace("-", "")] == pytest.approx(result.by_module[module],
                                                                     rel=1e-9)


def test_lcax_calculate_only(benchmark, project):
    lcax = pytest.importorskip("lcax", reason="the lcax package is not installed")
    _, _, result, _, text = project(_size(benchmark))
    loaded = lcax.Project.loads(text)
    computed = benchmark(lcax.calculate_project, loaded)
    total = json.loads(computed.dumps())["results"]["gwp"]["a1a3"]
    assert total == pytest.approx(result.by_module["A1-A3"], rel=1e-9)


def test_to_lcax(benchmark, project, tmp_path):
    _, _, result, _, _ = project(_size(benchmark))
    assert len(result.lines)  # built by the fixture, outside the timing: the writer's own cost
    path = tmp_path / "p.json"
    doc = benchmark(kf.to_lcax, result, path, project={"name": "benchmark", "id": "benchmark"})
    assert len(doc["assemblies"]) == 5  # 21 (215, 216), 22, 23, 24, 25


def test_floor_json_dumps(benchmark, project, tmp_path):
    """Floor of to_lcax: the same structure through json.dumps into a file."""
    _, _, _, doc, _ = project(_size(benchmark))
    path = tmp_path / "p.json"

    def write():
        path.write_text(json.dumps(doc, ensure_ascii=False, allow_nan=False), encoding="utf-8")

    benchmark(write)
    assert path.stat().st_size > 0


def test_read_lcax(benchmark, project, tmp_path):
    lines, _, _, doc, _ = project(_size(benchmark))
    path = tmp_path / "p.json"
    path.write_text(json.dumps(doc), encoding="utf-8")  # as to_lcax writes it
    read, factors, _ = benchmark(kf.read_lcax, path)
    assert len(read) == len(lines) and len(factors) <= 500


def test_floor_json_loads(benchmark, project, tmp_path):
    """Floor of read_lcax: the same file through json.loads."""
    _, _, _, doc, _ = project(_size(benchmark))
    path = tmp_path / "p.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    doc = benchmark(lambda: json.loads(path.read_bytes()))
    assert len(doc["assemblies"]) == 5  # 21 (215, 216), 22, 23, 24, 25


@pytest.fixture
def collector_paused():
    """Run a floor as to_lcax and read_lcax run: with the cyclic garbage collector paused."""
    enabled = gc.isenabled()
    gc.disable()
    yield
    if enabled:
        gc.enable()


def test_floor_json_dumps_collector_paused(benchmark, project, tmp_path, collector_paused):
    """Floor of to_lcax as it runs: json.dumps into a file, the collector paused."""
    _, _, _, doc, _ = project(_size(benchmark))
    path = tmp_path / "p.json"

    def write():
        path.write_text(json.dumps(doc, ensure_ascii=False, allow_nan=False), encoding="utf-8")

    benchmark(write)
    assert path.stat().st_size > 0


def test_floor_json_loads_collector_paused(benchmark, project, tmp_path, collector_paused):
    """Floor of read_lcax as it runs: json.loads of the file, the collector paused."""
    _, _, _, doc, _ = project(_size(benchmark))
    path = tmp_path / "p.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    loaded = benchmark(lambda: json.loads(path.read_bytes()))
    assert len(loaded["assemblies"]) == 5
