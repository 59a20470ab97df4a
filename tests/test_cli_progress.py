"""Progress of ``anbud score`` on stderr: a bar on a terminal, plain lines otherwise, none if quiet.

The terminal path is forced by making the captured stderr claim to be a
terminal (``isatty``); tqdm then draws its bar into the captured text.
"""

import sys
from pathlib import Path

import pytest

from klimafotavtrykk.cli import build_parser, main
from klimafotavtrykk.commands import _bid_progress

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
SCORE = ["anbud", "score", str(EXAMPLES / "anbud" / "konkurranse.toml"),
         str(EXAMPLES / "anbud" / "bud"), "--kvalitet", str(EXAMPLES / "anbud" / "kvalitet.csv")]
BIDS = ["a_gronn_betong.xlsx", "b_tradisjonsbygg.xlsx", "c_fjordbygg.xlsx", "d_nordlys.xlsx",
        "e_rask_og_rimelig.xlsx"]  # the shipped folder, read in name order


def _terminal(monkeypatch):
    """Make the current (captured) stderr claim to be a terminal."""
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)


def test_quiet_parses_in_both_spellings():
    parser = build_parser()
    assert parser.parse_args(SCORE + ["--stille"]).quiet is True
    assert parser.parse_args(SCORE + ["--quiet"]).quiet is True
    assert parser.parse_args(SCORE).quiet is False


def test_not_a_terminal_gives_one_plain_line_per_bid(capsys):
    assert main(SCORE) == 0
    err = capsys.readouterr().err
    lines = [line for line in err.splitlines() if line.startswith("Leser tilbud")]
    assert lines == [f"Leser tilbud {i}/5: {name}" for i, name in enumerate(BIDS, start=1)]
    assert "\r" not in err and "%|" not in err  # no bar in a log


def test_quiet_prints_no_progress_and_the_same_result(capsys, monkeypatch):
    assert main(SCORE) == 0
    shown = capsys.readouterr().out
    _terminal(monkeypatch)  # quiet wins even on a terminal
    assert main(SCORE + ["--stille"]) == 0
    captured = capsys.readouterr()
    assert captured.out == shown
    assert "Leser tilbud" not in captured.err and "tilbud/s" not in captured.err
    assert "/5" not in captured.err


def test_terminal_gets_a_bar_with_count_rate_and_file(capsys, monkeypatch):
    _terminal(monkeypatch)
    assert main(SCORE + ["--lang", "en"]) == 0
    err = capsys.readouterr().err
    assert "Reading bids:" in err
    assert "5/5" in err and "100%|" in err  # count and the bar at its end
    assert "bid/s" in err  # the rate
    assert "e_rask_og_rimelig.xlsx" in err  # the file just read
    assert "Reading bid 1/5:" not in err  # not the plain lines
    assert err.endswith("\n")  # the bar is left on its own line, the prompt comes after it


def test_bar_shows_time_left_and_no_control_characters_from_a_file_name(capsys, monkeypatch):
    _terminal(monkeypatch)
    progress, close = _bid_progress("nb")
    progress(1, 4, "a.xlsx")
    progress(2, 4, "b\x1b[2J.xlsx")  # a bidder's file name with an escape sequence
    close()
    close()  # safe twice (the CLI closes in a finally block)
    err = capsys.readouterr().err
    assert "2/4" in err and "<" in err  # "[elapsed<left, rate]"
    assert "\x1b[2J" not in err and "b?[2J.xlsx" in err


@pytest.mark.parametrize("tty", [False, True])
def test_quiet_callback_is_none(tty, monkeypatch):
    if tty:
        _terminal(monkeypatch)
    progress, close = _bid_progress("nb", quiet=True)
    assert progress is None
    close()
