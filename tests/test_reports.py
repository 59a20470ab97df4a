"""Report frames and workbook, on a hand-built Assessment, and formula-safe text."""

import ast
import math
import types
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

import klimafotavtrykk.reports as reports
from klimafotavtrykk.assessment import Assessment
from klimafotavtrykk.reports import (
    MAX_CELL_TEXT,
    report_modules,
    safe_text,
    summary_frames,
    write_workbook,
)
from klimafotavtrykk.vocabulary import MODULES

INJECTIONS = [
    '=HYPERLINK("http://x","y")',
    "=cmd|' /C calc'!A0",
    "+1",
    "-2+3",
    "@SUM(A1)",
]


def hand_assessment(descriptions=("Plasstøpt betong", "Vindu"), item_codes=("LB2.1", "QB1"),
                    unmatched_text="Rigg og drift"):
    """Two computed lines and one lump-sum line, with round numbers.

    Line 1 (part 22): A1-A3 600, A4 30, D -20 -> total 630 (D beside it)
    Line 2 (part 23): A1-A3 400, A4 20        -> total 420
    by module: A1-A3 1 000, A4 50 -> total 1 050; D -20
    per m² per year: 1 050 / 100 m² / 50 a = 0.21 kg CO2e/(m² a)
    """
    profile = types.SimpleNamespace(
        name="tek17", title_nb="TEK17 prøveprofil", title_en="TEK17 test profile",
        reference_study_period=50, modules=("A1-A3", "A4", "A5", "B2", "B4"),
        building_parts=(), generic_markup=0.25, sources={})
    lines = pd.DataFrame({
        "row_id": [0, 1], "source_ref": ["[s.xlsx]Mengder!E5", "[s.xlsx]Mengder!E6"],
        "post_number": ["1.1", "1.2"], "item_code": list(item_codes),
        "description": list(descriptions), "building_part": ["221", "234"],
        "quantity": [10.0, -2.0], "unit": ["m3", "m2"], "factor_id": ["c", "w"],
        "factor_source": ["Boverket 2025", "EPD NEPD-1"],
        "A1-A3": [600.0, 400.0], "A4": [30.0, 20.0], "A5": [0.0, 0.0], "D": [-20.0, 0.0],
        "kg_co2e": [630.0, 420.0],
    })
    by_module = pd.Series(0.0, index=list(MODULES))
    by_module[["A1-A3", "A4", "D"]] = [1_000.0, 50.0, -20.0]
    by_part = pd.DataFrame(0.0, index=pd.Index(["22", "23"], name="building_part"),
                           columns=list(MODULES))
    by_part.loc["22", ["A1-A3", "A4", "D"]] = [600.0, 30.0, -20.0]
    by_part.loc["23", ["A1-A3", "A4"]] = [400.0, 20.0]
    unmatched = pd.DataFrame({
        "row_id": [2], "source_ref": ["[s.xlsx]Mengder!E7"], "item_code": [None],
        "description": [unmatched_text], "building_part": ["21"], "quantity": [1.0],
        "unit": ["RS"], "reason": ["lump_sum"], "detail": [None], "hint": ["lump_sum"]})
    coverage = pd.Series({"A1-A3": 1.0, "A4": 1.0, "A5": 0.5, "B2": 0.0, "B4": 1.0})
    return Assessment(lines=lines, unmatched=unmatched, by_module=by_module,
                      by_building_part=by_part, profile=profile, coverage=coverage, bta_m2=100.0,
                      metadata={"version": "0.1.0", "factor_table": "materials.csv",
                                "indicators": ["gwp-ghg"], "input_file": "s.xlsx",
                                "input_sheet": "Mengder"})


# ----------------------------------------------------------------------------- safe_text

@pytest.mark.parametrize("text", INJECTIONS + [
    " =1+1",            # after leading whitespace
    "\t=1+1",
    "\tplain",          # a leading tab or CR alone is enough
    "\rplain",
    "\uff1dSUM(A1)",    # full-width equals sign
])
def test_risky_text_gets_an_apostrophe(text):
    assert safe_text(text) == "'" + text


@pytest.mark.parametrize("text", ["Plasstøpt betong B30", "2+3", "e-post", "LB2.1121", "'sitat"])
def test_plain_text_is_unchanged(text):
    assert safe_text(text) == text


def test_safe_text_of_other_values():
    assert safe_text(None) == ""
    assert safe_text(float("nan")) == ""
    assert safe_text(-2.5) == "'-2.5"    # as text; write_workbook keeps numbers as numbers
    assert safe_text("a\x07b") == "a\ufffdb"  # xlsx cannot hold control characters
    long = "x" * (MAX_CELL_TEXT + 10)
    assert len(safe_text(long)) == MAX_CELL_TEXT and safe_text(long).endswith("…")


# ----------------------------------------------------------------------------- frames

def test_report_modules_are_scope_plus_non_zero():
    # tek17 scope A1-A3, A4, A5, B2, B4; D is out of scope but non-zero (-20)
    assert report_modules(hand_assessment()) == ["A1-A3", "A4", "A5", "B2", "B4", "D"]


def test_summary_sheet_worked_values():
    frames = summary_frames(hand_assessment(), lang="nb")
    assert list(frames) == ["Sammendrag", "Bygningsdeler", "Linjer", "Ikke beregnet"]
    summary = frames["Sammendrag"].set_index("Felt")["Verdi"]
    assert summary["Fil"] == "s.xlsx"
    assert summary["Profil"] == "TEK17 prøveprofil"
    assert summary["Analyseperiode [år]"] == 50
    assert summary["Totalt uten D [kg CO2e]"] == pytest.approx(1_050.0)   # 1 000 + 50
    assert summary["Modul D, utenfor totalen [kg CO2e]"] == pytest.approx(-20.0)
    assert summary["Per m² BTA per år [kg CO2e/(m² år)]"] == pytest.approx(0.21)  # 1 050/100/50
    assert summary["Beregnede linjer"] == 2
    assert summary["Ikke beregnede linjer"] == 1
    assert summary["Andel linjer med data for A5 [-]"] == pytest.approx(0.5)
    assert summary["Programversjon (klimafotavtrykk)"] == "0.1.0"
    assert summary["Faktortabell"] == "materials.csv"
    assert summary["GWP-indikatorer brukt"] == "gwp-ghg"


def test_building_part_sheet_worked_values():
    parts = summary_frames(hand_assessment(), lang="en")["Building parts"]
    parts = parts.set_index("Building part (NS 3451)")
    # part 22: 600 + 30 = 630; part 23: 400 + 20 = 420; totals 1 000, 50 -> 1 050; D -20
    assert parts.loc["22", "Total excl. D [kg CO2e]"] == pytest.approx(630.0)
    assert parts.loc["23", "Total excl. D [kg CO2e]"] == pytest.approx(420.0)
    assert parts.loc["Total", "A1-A3 [kg CO2e]"] == pytest.approx(1_000.0)
    assert parts.loc["Total", "Total excl. D [kg CO2e]"] == pytest.approx(1_050.0)
    assert parts.loc["Total", "D [kg CO2e]"] == pytest.approx(-20.0)
    assert list(parts.columns)[-2:] == ["Total excl. D [kg CO2e]", "D [kg CO2e]"]


def test_lines_and_unmatched_sheets():
    frames = summary_frames(hand_assessment(), lang="en")
    lines, unmatched = frames["Lines"], frames["Not computed"]
    assert len(lines) == 2
    for header in ("Origin (file, sheet, cell)", "NS 3420 code", "Description", "Quantity",
                   "Unit", "Factor id", "Factor source", "A1-A3 [kg CO2e]",
                   "Total excl. D [kg CO2e]"):
        assert header in lines.columns
    assert lines["Total excl. D [kg CO2e]"].tolist() == [630.0, 420.0]
    assert unmatched["Reason"].tolist() == ["lump sum (RS): no physical quantity"]
    assert unmatched["Origin (file, sheet, cell)"].tolist() == ["[s.xlsx]Mengder!E7"]
    nb = summary_frames(hand_assessment(), lang="nb")["Ikke beregnet"]
    assert nb["Årsak"].tolist() == ["rund sum (RS): ingen fysisk mengde"]
    # the hint of the lump sum, after the reason and before the analyst's detail
    assert list(unmatched.columns[-3:]) == ["Reason", "What to do", "Detail"]
    assert unmatched["What to do"].tolist() == [
        "a lump sum has no quantity to compute with: if the line is material, give the quantity "
        "in m3, m2, m, kg or pcs; otherwise it is rightly left out"]
    assert nb["Hva du kan gjøre"].tolist() == [
        "en rund sum har ingen mengde å regne på: er linjen materiale, oppgi mengden i m3, m2, m, "
        "kg eller stk; ellers er det riktig at den ikke regnes med"]


# ----------------------------------------------------------------------------- workbook

def _cells(path):
    book = openpyxl.load_workbook(path)  # not read-only: data_type is kept
    return book, [cell for sheet in book for row in sheet.iter_rows() for cell in row]


def test_formula_injection_round_trip(tmp_path):
    result = hand_assessment(descriptions=INJECTIONS[:2], item_codes=INJECTIONS[2:4],
                             unmatched_text=INJECTIONS[4])
    path = write_workbook(result, tmp_path / "rapport.xlsx", lang="nb")
    book, cells = _cells(path)
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    texts = {c.value for c in cells if isinstance(c.value, str)}
    for text in INJECTIONS:
        assert "'" + text in texts          # kept, visibly inert
        assert text not in texts
    # negative numbers stay numbers: quantity -2 and D -20
    lines = book["Linjer"]
    header = [c.value for c in lines[1]]
    quantity = lines.cell(row=3, column=header.index("Mengde") + 1)
    assert quantity.data_type == "n" and quantity.value == -2
    d = lines.cell(row=2, column=header.index("D [kg CO2e]") + 1)
    assert d.data_type == "n" and d.value == -20


def test_workbook_sheets_and_numbers(tmp_path):
    path = write_workbook(hand_assessment(), tmp_path / "report.xlsx", lang="en")
    book, cells = _cells(path)
    assert book.sheetnames == ["Summary", "Building parts", "Lines", "Not computed"]
    summary = {row[0].value: row[1] for row in book["Summary"].iter_rows(min_row=2)}
    total = summary["Total excl. D [kg CO2e]"]
    assert total.data_type == "n" and total.value == pytest.approx(1_050.0)
    assert summary["Per m² BTA per year [kg CO2e/(m² a)]"].value == pytest.approx(0.21)
    # building-part codes stay text ("22", not 22)
    parts = [row[0].value for row in book["Building parts"].iter_rows(min_row=2)]
    assert parts == ["22", "23", "Total"]
    assert all(c.data_type != "f" for c in cells)


def test_workbook_with_nothing_computed(tmp_path):
    empty = hand_assessment()
    empty = Assessment(lines=empty.lines.iloc[0:0], unmatched=empty.unmatched,
                       by_module=empty.by_module * 0.0,
                       by_building_part=empty.by_building_part.iloc[0:0],
                       profile=empty.profile, coverage=pd.Series(math.nan, index=["A1-A3"]))
    path = write_workbook(empty, tmp_path / "tom.xlsx")
    book = openpyxl.load_workbook(path)
    assert book["Linjer"].max_row == 1   # header only
    assert book["Ikke beregnet"].max_row == 2


# ----------------------------------------------------------------------------- data flow

def test_reports_take_results_not_files():
    """reports imports no reader and no engine: it works on an Assessment only."""
    tree = ast.parse(Path(reports.__file__).read_text(encoding="utf-8"))
    imported = {node.module for node in ast.walk(tree)
                if isinstance(node, ast.ImportFrom) and node.module}
    imported |= {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import)
                 for alias in node.names}
    ours = {name for name in imported if name.startswith("klimafotavtrykk")}
    # xlsx_writer writes tables it is given: it reads no file and computes nothing
    assert ours <= {"klimafotavtrykk.messages", "klimafotavtrykk.vocabulary",
                    "klimafotavtrykk.xlsx_writer"}


def test_report_lists_site_rows_and_site_contributions(tmp_path):
    from pathlib import Path

    from openpyxl import load_workbook

    from klimafotavtrykk.cli import main

    road = Path(__file__).resolve().parents[1] / "examples" / "veg.xlsx"
    out = tmp_path / "rapport.xlsx"
    assert main(["beregn", str(road), "--profil", "en17472", "--periode", "60", "-o", str(out)]) == 0
    book = load_workbook(out, read_only=True)
    assert "Byggeplass" in book.sheetnames
    site_rows = list(book["Byggeplass"].iter_rows(min_row=2, values_only=True))
    assert len(site_rows) == 6  # the road example's site sheet has six rows, none dropped
    parts = [row[0] for row in book["Bygningsdeler"].iter_rows(min_row=2, values_only=True)]
    assert {"Byggeplass", "Massetransport"} <= set(parts)


def test_summary_names_the_users_factor_table_and_its_defaults():
    import dataclasses

    result = hand_assessment()
    meta = {**result.metadata,
            "factor_tables": [{"name": "materials.csv", "sha256": "a" * 64},
                              {"name": "mine.csv", "sha256": "b" * 64}],
            "user_factor_ids": ["concrete_c30_37", "my_board"],
            "replaced_factor_ids": ["concrete_c30_37"], "no_default_factor_ids": [],
            "defaults_applied": [{"factor_id": "concrete_c30_37", "material_group": "concrete",
                                  "filled": "waste_rate", "source": "scenario_defaults.csv row 2"}]}
    frame = summary_frames(dataclasses.replace(result, metadata=meta), lang="en")["Summary"]
    rows = list(frame.itertuples(index=False, name=None))
    assert ("Factor tables (SHA-256)", f"mine.csv ({'b' * 64})") in rows
    assert ("Own factors (id)", "concrete_c30_37, my_board") in rows
    assert ("Shipped factors replaced by own (id)", "concrete_c30_37") in rows
    assert ("Own factors given the material group's default transport/waste",
            "concrete_c30_37: waste_rate (scenario_defaults.csv row 2)") in rows
    # an empty list is left out, not shown as an empty cell
    assert not any(label.startswith("Own factors without") for label, _ in rows)
