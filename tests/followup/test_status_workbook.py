"""The status workbook: its sheets in both languages, numbers as numbers, no formula anywhere."""

import openpyxl
import pytest

from klimafotavtrykk.followup.status import follow_up
from klimafotavtrykk.followup.status_workbook import status_frames, write_status_workbook

SHEETS_NB = ["Sammendrag", "Per måned", "Per energibærer", "Per maskin", "Materialer", "Funn",
             "Bonus og trekk", "Parametere"]


@pytest.fixture
def result(fu):
    """The hand example, with a hostile machine name in January and a capped budget rule."""
    reports = fu.three_months()
    reports[0] = fu.make_report("2025-01", [
        fu.machine_row("M1", 1000.0, 50), fu.machine_row("M2", 100.0, 40),
        fu.machine_row("M3", 200.0, 60),
        {"machine": '=HYPERLINK("http://x","klikk")', "carrier": "diesel", "litres": 10.0}])
    rule = fu.budget_rule(bonus_share_per_percent=0.001, deduction_share_per_percent=0.0005,
                          deduction_cap_share=0.001)
    return follow_up(fu.make_contract(rules=[rule]), reports)


def test_sheets_in_both_languages(result):
    assert list(status_frames(result, "nb")) == SHEETS_NB
    assert list(status_frames(result, "en")) == ["Summary", "By month", "By carrier", "By machine",
                                                 "Materials", "Findings", "Bonus and deduction",
                                                 "Parameters"]


def test_workbook_holds_numbers_and_no_formula(result, tmp_path):
    path = write_status_workbook(result, tmp_path / "oppfolging.xlsx")
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == SHEETS_NB
    cells = [c for ws in book.worksheets for row in ws.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    texts = [c.value for c in cells if isinstance(c.value, str)]
    assert not [v for v in texts if v.startswith(("=", "+", "-", "@"))]
    assert "'=HYPERLINK(\"http://x\",\"klikk\")" in texts       # the hostile name, made inert
    months = book["Per måned"]
    header = [c.value for c in months[1]]
    assert header[:4] == ["Måned", "Rapportert", "Filer", "Utslipp [kg CO2e]"]
    kg = header.index("Kumulativt [kg CO2e]")
    # January: 740.264 + the hostile row's 10 L of diesel × 3.34752 = 33.4752 → 773.7392
    assert months.cell(row=2, column=kg + 1).value == pytest.approx(773.7392)
    findings = [c.value for c in book["Funn"]["D"]]
    assert "maskinen er ikke blant maskinene i tilbudet" in findings
    bonus = book["Bonus og trekk"]
    assert [c.value for c in bonus[1]][:3] == ["Regel", "Regeltype", "Beløp [kr]"]
    assert bonus["B2"].value == "andel av kontraktssummen per prosent mot klimabudsjettet"
    # the deduction is capped at 0.1 % of NOK 100 M
    assert bonus["C2"].value == pytest.approx(-100_000.0)


def test_same_status_same_bytes(result, tmp_path):
    a = write_status_workbook(result, tmp_path / "a.xlsx", lang="en").read_bytes()
    b = write_status_workbook(result, tmp_path / "b.xlsx", lang="en").read_bytes()
    assert a == b


def test_reader_findings_pass_through_with_their_text(fu, tmp_path):
    """A cell the report reader could not read reaches the findings sheet, its reason in words."""
    import pandas as pd

    jan = fu.three_months()[0]
    cell = pd.DataFrame({"source_ref": ["[rapport_2025-01.xlsx]Energi og maskiner!G3"],
                         "kind": ["reader"], "reason": ["not_a_number"], "detail": ["ca. 200"]})
    jan = type(jan)(**{**{f: getattr(jan, f) for f in jan.__dataclass_fields__}, "findings": cell})
    result = follow_up(fu.make_contract(), [jan])
    frame = result.findings[result.findings["kind"] == "reader"]
    assert frame[["month", "file", "source_ref"]].values.tolist() == [
        ["2025-01", "rapport_2025-01.xlsx", "[rapport_2025-01.xlsx]Energi og maskiner!G3"]]
    sheet = status_frames(result, "nb")["Funn"]
    assert "tekst, dato eller SANN/USANN der det skal stå et tall; ikke lest" in sheet["Årsak"].tolist()
