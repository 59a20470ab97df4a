"""Progress of ``beregn`` on stderr: bars for reading and report writing on a terminal.

Bars are drawn only for large input files (``PROGRESS_MIN_BYTES``), only when
stderr is a terminal, and never with ``--stille``/``--quiet``. The tests lower
the size threshold to 0 so that the shipped example counts as large, and make
the captured stderr claim to be a terminal (tqdm then draws into it). The
callbacks themselves are tested on the readers and the writer.
"""

import io
import sys
import warnings
import zipfile
from pathlib import Path

import pytest

from klimafotavtrykk import commands
from klimafotavtrykk.cli import build_parser, main
from klimafotavtrykk.quantities import read_boq
from klimafotavtrykk.xlsx_writer import Table, write_xlsx

ROOT = Path(__file__).resolve().parents[1]
SKOLE = ROOT / "examples" / "skole.xlsx"
NS3459 = ROOT / "tests" / "fixtures" / "ns3459" / "make_ns3459.py"
BEREGN = ["beregn", str(SKOLE), "--bta", "2400"]


def _terminal(monkeypatch):
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)


@pytest.fixture
def large(monkeypatch):
    """Every file counts as large."""
    monkeypatch.setattr(commands, "PROGRESS_MIN_BYTES", 0)


def test_quiet_parses_in_both_spellings():
    parser = build_parser()
    assert parser.parse_args(BEREGN + ["--stille"]).quiet is True
    assert parser.parse_args(BEREGN + ["--quiet"]).quiet is True
    assert parser.parse_args(BEREGN).quiet is False


def test_terminal_shows_a_read_bar_and_a_write_bar(capsys, monkeypatch, large, tmp_path):
    _terminal(monkeypatch)
    assert main(BEREGN + ["-o", str(tmp_path / "r.xlsx"), "--lang", "en"]) == 0
    err = capsys.readouterr().err
    assert "Reading quantities:" in err and "100%|" in err
    assert "Writing report:" in err and "cell/s" in err  # count and rate of the cells written
    assert "<" in err  # [elapsed<left]


def test_no_bar_when_quiet_or_not_a_terminal_and_the_same_output(capsys, monkeypatch, large):
    assert main(BEREGN) == 0  # captured stderr is no terminal
    plain = capsys.readouterr()
    assert "Leser mengder" not in plain.err
    _terminal(monkeypatch)
    assert main(BEREGN + ["--stille"]) == 0
    quiet = capsys.readouterr()
    assert "Leser mengder" not in quiet.err and "%|" not in quiet.err
    assert quiet.out == plain.out and quiet.err == plain.err


def test_small_file_gets_no_bar(capsys, monkeypatch):
    _terminal(monkeypatch)  # the example (about 20 kB) is far below the threshold
    assert main(BEREGN) == 0
    assert "Leser mengder" not in capsys.readouterr().err


def test_bar_on_json_output_leaves_stdout_pure_json(capsys, monkeypatch, large):
    import json

    _terminal(monkeypatch)
    assert main(BEREGN + ["--json"]) == 0
    captured = capsys.readouterr()
    json.loads(captured.out)
    assert "Leser mengder" in captured.err


def _steps():
    seen = []
    return seen, lambda done, total: seen.append((done, total))


def test_excel_read_reports_percent_rising_to_100():
    seen, progress = _steps()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        items, _ = read_boq(SKOLE, progress=progress)
        plain, _ = read_boq(SKOLE)
    assert items.equals(plain)
    done = [d for d, _ in seen]
    assert {t for _, t in seen} == {100}
    assert done == sorted(done) and done[-1] == 100
    # archive check up to 25 %, the sheet parse up to 75 %, the lines to 100 %
    assert 25 in done and 75 in done


def test_ns3459_read_reports_bytes_then_100(tmp_path):
    import importlib.util

    spec = importlib.util.spec_from_file_location("make_ns3459", NS3459)
    mk = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("make_ns3459", mk)
    spec.loader.exec_module(mk)
    path = tmp_path / "t.xml"
    post = mk.Post("01.1", "LB2", "Betong", "m3", "2", "10", "20")
    path.write_bytes(mk.make_ns3459([post], root="Pristilbud"))
    seen, progress = _steps()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        read_boq(path, progress=progress)
    # one piece fed (the file is smaller than a chunk): 90 % parsed, then done
    assert seen == [(90.0, 100), (100, 100)]


def test_writer_counts_cells_per_column():
    import datetime as dt

    import pandas as pd

    seen, progress = _steps()
    tables = [Table("a", pd.DataFrame({"x": [1.0, 2.0, 3.0], "y": ["p", "q", "r"]}), [8, 8],
                    [None, None]),
              Table("b", pd.DataFrame({"z": [1, 2]}), [8], [None])]
    when = dt.datetime(2026, 1, 1)
    data = write_xlsx(tables, lambda v: v, when, progress=progress)
    # 3 rows x 2 columns, then 2 rows x 1 column: 8 cells, reported after each column
    assert seen == [(3, 8), (6, 8), (8, 8)]
    assert data == write_xlsx(tables, lambda v: v, when)  # the same bytes with or without
    assert zipfile.ZipFile(io.BytesIO(data)).testzip() is None
