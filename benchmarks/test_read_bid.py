"""One 5 000-line bid as a batch's worker reads it, beside calamine reading the same sheets.

``anbud score`` hands each bid file to a worker process
(:func:`klimafotavtrykk.tender.batch.read_for_batch`): the archive check, the three sheets
read and typed, the lines matched to the tender's (``reconcile``), the content fingerprint,
and the read bid pickled back to the parent. The bid is the one ``test_score_bids.py``
writes (the bid template, 5 000 lines, EPD claims on half the concrete lines), so the
figures here are the per-bid part of that benchmark's 200-bid case. The floor beside it is
calamine reading the same workbook's sheets into Python rows (the same reference as that
benchmark's); each piece is timed on its own as well, so that a change shows where it acts.

Run ``pytest benchmarks/test_read_bid.py --benchmark-only``; the test run executes each
case once as a smoke test.

Issue #13, worker4 (2026-12-07; 2 cores shared with three other sessions, load 4-5; CPU time,
``--benchmark-timer=time.process_time --benchmark-min-rounds=10``, min, the code before
(bff387e) and after in turn, two pairs):

===============================  ==============  ==============
case                             before          after
===============================  ==============  ==============
``read_for_batch`` (the task)    85.5 / 83.2 ms  81.9 / 81.8 ms
``read_bid``                     71.1 / 66.9 ms  66.9 / 68.7 ms
``prepare_bid``                  14.9 / 14.1 ms  12.4 / 12.5 ms
pickle there and back            5.97 / 5.94 ms  5.31 / 5.22 ms
calamine, same sheets (floor)    35.5 / 34.2 ms  34.0 / 34.7 ms
===============================  ==============  ==============

The task is 2.41 / 2.43 x calamine before and 2.41 / 2.36 x after: the matching and the
fingerprint lost about a sixth of their cost, the reading did not move beyond the noise.
Where one bid's time goes now (CPU, min of 7 passes over 10 bids, load 2-3): calamine's read
of the materials sheet 34 ms; the archive check 11.5 ms (inflating about 2.6 ms, the
regular-expression scan of every cell tag about 5.5 ms); the rest of the materials sheet's
reading 12.5 ms (line typing 9.5, of which building the typed frames about 2.3, stripping the
text columns 2, the cell references 1; the grid 2; the header search 0.8); the site sheet
1.4 ms and its frame 1.8 ms for one row; the typed materials frame 4.5 ms; ``reconcile``
about 7 ms (key lookup 1.0, comparing the seven key fields 1.5, the evaluated frame 2.3);
the fingerprint about 5.5 ms (the three columns of distinct texts, cell references, post
numbers and line keys, 3 ms of it); pickling the read bid (790 kB) about 3 ms and unpickling
it in the parent about 3.5 ms. Each of these is made of steps of 0.2-1.5 ms, most of them
pandas' fixed costs or one pass over Python objects. Sending the text columns as codes and
distinct objects was measured and not taken: the per-row unique columns (cell references,
post numbers, line keys) dominate the pickle, and coding the others cost more than it saved
(dumps + loads 4.7 -> 5.2 ms).

Issue #13, worker7 (2026-12-08; load 1.7-2.9 from other sessions, so each change was timed in
one process against the code before, alternating, on bids just read): ``reconcile`` takes the
tender's side of every comparison and of the matched lines from a per-tender cache and knows
once per tender that its keys are clean: 6.29 / 6.56 -> 5.22 / 5.71 ms (min of 40; median
7.08 / 7.31 -> 6.07 / 6.41). ``read_bid`` reads the bid columns ``bid_frames`` types itself as
object cells, without a text type inferred first and converted back: 55.6 / 59.5 -> 54.2 /
57.4 ms (min; median 59.4 / 62.1 -> 58.6 / 61.6). The whole task, 40 bids three times in four
alternating pairs: min 63.9 / 62.6 / 62.0 / 67.2 -> 60.8 / 62.3 / 62.4 / 60.6 ms, median
68.4 / 65.4 / 68.6 / 71.7 -> 64.6 / 65.1 / 66.4 / 67.8 ms. Coding a column of distinct text
from a set instead of factorizing it (the fingerprint's references, post numbers, keys) saved
0.17 ms a column on strings whose hashes were cached but nothing on a bid's fresh strings
(6.27 -> 6.58 ms): reverted. Frames without rows for the sheet's cells and skipped rows made
once: not measurable (read_bid 54.0 / 53.3 -> 54.2 / 52.2 ms): not kept.
"""

import pickle
import shutil
import warnings

import pytest

from klimafotavtrykk.tender.batch import python_tender_lines, read_for_batch
from klimafotavtrykk.tender.duplicates import content_fingerprint
from klimafotavtrykk.tender.many import ReadBid, prepare_bid
from klimafotavtrykk.tender.reader import read_bid
from test_score_bids import N_LINES, _calamine_sheets, competition, tender_lines, write_variants


@pytest.fixture(scope="module")
def one_bid(tmp_path_factory):
    """A 5 000-line bid file and the competition it answers (tender text in Python objects)."""
    folder = tmp_path_factory.mktemp("one_bid")
    tender = tender_lines()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        variant = write_variants(folder, tender)[0]
    path = folder / "bud_0000.xlsx"
    shutil.copyfile(variant, path)
    return path, python_tender_lines(competition(tender))


def _quiet(call, *args):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return call(*args)


def test_read_for_batch_one_bid(benchmark, one_bid):
    """The worker's whole task for one bid."""
    path, comp = one_bid
    read = benchmark(_quiet, read_for_batch, path, comp)
    assert isinstance(read, ReadBid) and read.n_lines == N_LINES


def test_calamine_same_sheets_one_bid(benchmark, one_bid):
    """The floor: calamine reading the bid's sheets into Python rows, nothing else."""
    path, _ = one_bid
    assert benchmark(_calamine_sheets, path) >= N_LINES


def test_read_bid_one_bid(benchmark, one_bid):
    """Reading and typing the sheets (archive check included): ``read_bid``."""
    path, _ = one_bid
    bid = benchmark(_quiet, read_bid, path)
    assert len(bid.materials) == N_LINES


def test_prepare_bid_one_bid(benchmark, one_bid):
    """Matching the lines to the tender's and the content fingerprint: ``prepare_bid``."""
    path, comp = one_bid
    bid = _quiet(read_bid, path)
    read = benchmark(prepare_bid, bid, comp)
    assert read.n_lines == N_LINES and read.content_sha256 == content_fingerprint(bid)


def test_pickle_read_bid_one_bid(benchmark, one_bid):
    """The read bid pickled as it crosses back to the parent, and unpickled there."""
    path, comp = one_bid
    read = _quiet(read_for_batch, path, comp)

    def there_and_back():
        return pickle.loads(pickle.dumps(read, protocol=pickle.HIGHEST_PROTOCOL))

    assert benchmark(there_and_back).n_lines == N_LINES
