"""``klimafotavtrykk oppfolging status`` on the shipped example, end to end.

The example (examples/oppfolging/README.md) was built with three deviations from the winning
bid: October's report signed late (2026-01-08), a diesel excavator on the line of the electric
M1 in August, and September's concrete under another EPD number than the bid's. The status
must list exactly these three, count all eight months, and write the workbook and two figures.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd

import klimafotavtrykk as kf
from klimafotavtrykk.cli import main

EXAMPLE = Path(__file__).parents[2] / "examples" / "oppfolging"
CONTRACT = EXAMPLE / "kontrakt.toml"
REPORTS = EXAMPLE / "rapporter"


def test_status_writes_text_workbook_and_figures(tmp_path, capsys):
    target = tmp_path / "oppfolging.xlsx"
    assert main(["oppfolging", "status", str(CONTRACT), str(REPORTS), "-o", str(target)]) == 0
    out = capsys.readouterr().out
    assert "status 2026-01 (8 av 8 måneder, 8 rapportert)" in out
    assert "Funn: 3" in out
    assert target.is_file()
    assert (tmp_path / "oppfolging_utslipp.png").is_file()
    assert (tmp_path / "oppfolging_utslippsfri_andel.png").is_file()


def test_status_as_json_lists_the_three_designed_deviations(capsys):
    assert main(["oppfolging", "status", str(CONTRACT), str(REPORTS), "--json"]) == 0
    status = json.loads(capsys.readouterr().out)
    assert status["summary"]["months_reported"] == 8
    kinds = sorted(f["kind"] for f in status["findings"])
    assert kinds == ["epd_differs", "fossil_instead_of_emission_free", "report_late"]


def test_status_in_english(capsys):
    assert main(["followup", "status", str(CONTRACT), str(REPORTS), "--lang", "en"]) == 0
    assert "Findings: 3" in capsys.readouterr().out


def test_an_unreadable_report_is_a_finding_and_the_rest_still_count(tmp_path, capsys):
    folder = tmp_path / "rapporter"
    shutil.copytree(REPORTS, folder)
    (folder / "rapport_2026-02.xlsx").write_bytes(b"not a workbook")
    assert main(["oppfolging", "status", str(CONTRACT), str(folder), "--json"]) == 0
    status = json.loads(capsys.readouterr().out)
    assert status["summary"]["months_reported"] == 8          # the eight readable months
    refused = [f for f in status["findings"] if f["kind"] == "report_refused"]
    assert [(f["file"], f["reason"]) for f in refused] == [("rapport_2026-02.xlsx", "not_a_zip")]


def test_follow_up_takes_paths_as_a_user_would_type_them():
    by_path = kf.follow_up(str(CONTRACT), str(REPORTS))
    assert by_path.summary["months_reported"] == 8
    assert len(by_path.findings) == 3
    assert isinstance(by_path.by_month, pd.DataFrame) and len(by_path.by_month) == 8
