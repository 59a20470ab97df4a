"""Reading a 100 000-line bill of quantities from .xlsx, with and without the safety checks.

The workbook is generated once per session in a temporary folder, laid out as Excel
saves it (shared strings, ``spans`` on rows, numbers as numbers): a title block, a header,
100 000 item lines and a chapter heading every 500 lines. Goal (issue #3): 0.4 s with
every check on; the checks should cost less than 20 % (issue #4).

Run ``pytest benchmarks/test_read_boq.py --benchmark-only``; the test run executes each
once as a smoke test.

Issue #13 asks for 0.4 s where calamine's values alone (``calamine_values_only``) take
0.49 s: below the floor of the parser the reader uses. fastexcel 0.21 was measured again
(lead, 2026-12-07, this workbook, 2 cores under load, min of 5, calamine beside it): with the
header row given and ``dtype_coercion="strict"`` it types each column in one pass and refuses a
column that mixes number and text cells, so a number cell and a text cell stay apart (the
reader's findings on text numbers and item codes stored as numbers need that; a refused sheet
would go back to calamine). Read into Arrow and converted to numpy through pyarrow it took
0.47-0.63 s where calamine ``to_python`` took 0.85-1.06 s: 0.55-0.59 x. It was not taken: it
needs pyarrow as a runtime dependency (a 55 MB wheel) to reach numpy, and even then the read
(about 0.34 s on the quiet machine where calamine took 0.59 s, by that ratio) plus the archive
check (0.15 s, its own inflate included) is about 0.49 s before any line is typed. What is left above calamine is the archive check (inflate,
DOCTYPE scan, cell-extent bound: about a quarter of it is the inflate floor) and the line typing.

Line typing on whole columns (issue #13, item 3, branch perf-typing): each text column is
stripped and typed once for the whole sheet (the item-line test, the subtotal labels and the
unit check reuse it), a column of one kind skips gathering its cells by kind, the items frame
is built once with every column, the duplicate-block check compares the blocks' first lines
before factorizing every description, and each unit spelling is checked once per process.
The typing of this workbook (``_lines`` after the grid, CPU time, min of 15, the code before
and after run back to back on the same loaded machine) 210 ms -> 143 ms (176 -> 124 ms in an
earlier pair); header search and grid 30 -> 21 ms. In one run of this file each (2 cores
shared with other helpers, load 4-8, calamine at 1.6-1.9 s instead of 0.49 s quiet, 5 rounds):
before ``read_boq`` / calamine 1.48 x (min), 1.53 x (median); after 1.16 x, 1.28 x; a second
pair 1.58 x / 1.68 x before, 1.60 x / 1.59 x after: under such load the runs differ more than
the typing saves (about 0.07 s of CPU). The floor stays calamine's: ``get_sheet_by_name``
parses every cell of the sheet into its own cells before ``to_python`` makes a Python object
of each, so reading only the mapped columns saves nothing with it; what is left above it is
the archive check (not this branch's), freeing the row lists, and about 0.14 s of typing, of
which building the 100 000 cell references (``provenance.source_refs``) is about 0.03 s.

Going below calamine with numpy was tried and not merged (issue #13, branch ``sheet-fast``,
2026-12-07): a reader of the worksheet XML the archive check had already inflated, every
``<`` located at once, tags classified and checked against the sheet grammar pair by pair,
numbers converted by numpy, shared strings parsed once, anything unusual left to calamine,
and proven equal to calamine over the whole test suite, every workbook in the repository and
thirteen public ones. In CPU time (min / median of 5, two back-to-back pairs) it read this
sheet in 641 / 712 and 622 / 726 ms where calamine's ``to_python`` took 591 / 599 and
602 / 691 ms: 1.03-1.19 x calamine, no gain, so ``read_boq`` stayed at 1.4-1.7 x calamine
either way. Each step is a numpy pass over 2.6 million tags or 600 000 cells (3-10 ms a
pass here), and about a hundred of them cost what calamine's whole parse does. Going below
calamine needs a compiled kernel; numpy passes are not one.

The shared reader's own typing (issue #13, worker4, 2026-12-07): the cell references
(``provenance.source_refs``) are made by ``str`` concatenation driven by ``map`` and filled by
``numpy.fromiter``, not numpy's fixed-width ``char.add`` and a conversion back to objects:
100 000 references 26 -> 19 ms. Where this sheet's time goes now (CPU, min of 5, load 2-3):
calamine 492 ms (workbook open 62, sheet parse and Python rows 430), the archive check
128 ms, line typing (``_lines``) 99 ms (stripping and classifying the five text columns
39 ms, the references 22 ms, units 5 ms), the grid 15 ms. In CPU time (pytest-benchmark
with ``--benchmark-timer=time.process_time``, min / median of 5, two pairs, the code before
and after in turn at load 3-5): ``read_boq`` 798 / 813 and 808 / 810 ms before, 787 / 796
and 794 / 799 ms after, beside calamine's 579-613 ms: 1.32-1.36 x calamine either way. The
gain (about 1 %) is below this machine's noise; what is above calamine is the archive check
and per-cell work on Python objects (stripping, ``== ""``, type inference), each near its
per-object floor.
"""

import io
import random
import warnings
import zipfile

import pytest

from _workbooks import xlsx_package
from klimafotavtrykk.quantities import read_boq
from klimafotavtrykk.quantities.excel import read_workbook
from klimafotavtrykk.quantities.safety import check_archive

N_LINES = 100_000
UNITS = ("m3", "m2", "stk", "tonn", "lm", "kg")
MATERIALS = ("Plasstøpt betong B30", "Armering B500NC", "Limtre GL30c", "Mineralull 200 mm",
             "Gipsplate 12,5 mm", "Stålbjelke HEA 240", "Vindu 3-lags", "Takbelegg")


def _workbook(n_lines: int, seed: int = 7) -> tuple[bytes, float]:
    """The workbook's bytes and the sum of its quantities, worked out while writing them."""
    rnd = random.Random(seed)
    strings: dict[str, int] = {}

    def s(text):
        return strings.setdefault(text, len(strings))

    rows = [f'<row r="1" spans="1:6"><c r="A1" t="s"><v>{s("Prosjekt:")}</v></c>'
            f'<c r="B1" t="s"><v>{s("Benchmarkskolen")}</v></c></row>']
    header = ("Postnr", "NS 3420", "Beskrivelse", "Enhet", "Mengde", "Bygningsdel")
    rows.append('<row r="3" spans="1:6">' + "".join(
        f'<c r="{c}3" t="s"><v>{s(h)}</v></c>' for c, h in zip("ABCDEF", header, strict=True))
        + "</row>")
    total = 0.0
    r = 3
    for i in range(n_lines):
        if i % 500 == 0:
            r += 1
            rows.append(f'<row r="{r}" spans="1:6"><c r="A{r}" t="s"><v>{s(f"Kapittel {i // 500}")}'
                        "</v></c></row>")
        r += 1
        quantity = round(rnd.uniform(0.5, 2000.0), 3)
        total += quantity
        material = MATERIALS[i % len(MATERIALS)]
        rows.append(
            f'<row r="{r}" spans="1:6"><c r="A{r}" t="s"><v>{s(f"{i // 500:03d}.{i % 500:03d}")}'
            f'</v></c><c r="B{r}" t="s"><v>{s(f"LB{i % 9}.{1000 + i % 700}")}</v></c>'
            f'<c r="C{r}" t="s"><v>{s(f"{material}, post {i}")}</v></c>'
            f'<c r="D{r}" t="s"><v>{s(UNITS[i % len(UNITS)])}</v></c>'
            f'<c r="E{r}"><v>{quantity!r}</v></c><c r="F{r}"><v>{20 + i % 80}</v></c></row>')
    data = xlsx_package(rows, strings, r)
    return data, total


@pytest.fixture(scope="session")
def boq_100k(tmp_path_factory):
    data, total = _workbook(N_LINES)
    path = tmp_path_factory.mktemp("boq") / "mengder_100k.xlsx"
    path.write_bytes(data)
    return path, data, total


def _check(result, total):
    items, meta = result
    assert len(items) == N_LINES
    assert items["quantity"].sum() == pytest.approx(total, rel=1e-12)
    assert (meta.skipped["reason"] == "heading").sum() == N_LINES // 500


def test_read_boq_100k_lines(benchmark, boq_100k):
    """The public call, every check on (goal: 0.4 s)."""
    path, _, total = boq_100k
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = benchmark(read_boq, path)
    _check(result, total)


def test_read_100k_lines_without_checks(benchmark, boq_100k):
    """The same read with the archive checks off: the checks cost the difference."""
    path, data, total = boq_100k
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = benchmark(read_workbook, data, path.name, _checked=False)
    _check(result, total)


def test_archive_checks_100k_lines(benchmark, boq_100k):
    """The checks alone: streaming inflate, DOCTYPE scan, cell-extent bound."""
    _, data, _ = boq_100k
    archive = benchmark(check_archive, data, "mengder_100k.xlsx")
    scan = archive.members["xl/worksheets/sheet1.xml"]
    assert (scan.rows, scan.cols) == (3 + N_LINES + N_LINES // 500, 6) and not scan.exact


def test_calamine_values_only_100k_lines(benchmark, boq_100k):
    """The floor: calamine's values as Python lists, nothing else."""
    import python_calamine

    _, data, _ = boq_100k

    def values():
        book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        return book.get_sheet_by_name("Mengder").to_python(skip_empty_area=False)

    rows = benchmark(values)
    assert len(rows) == 3 + N_LINES + N_LINES // 500


def test_inflate_only_100k_lines(benchmark, boq_100k):
    """The lower floor (issue #13): inflating every member, no XML looked at."""
    _, data, _ = boq_100k

    def inflate():
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return sum(len(archive.read(name)) for name in archive.namelist())

    assert benchmark(inflate) > len(data)


def test_fastexcel_six_columns_100k_lines(benchmark, boq_100k):
    """The peer (issue #13): fastexcel loading the sheet's 6 columns into Arrow arrays.

    fastexcel is no dependency; the case runs where it is installed. Its
    arrays are built through the Arrow C interface, so no pyarrow is needed.
    """
    fastexcel = pytest.importorskip("fastexcel")
    _, data, _ = boq_100k

    def columns():
        sheet = fastexcel.read_excel(data).load_sheet("Mengder", header_row=None)
        sheet.__arrow_c_array__()  # the Arrow arrays, as a consumer would take them
        return sheet

    sheet = benchmark(columns)
    assert (sheet.height, sheet.width) == (3 + N_LINES + N_LINES // 500, 6)
