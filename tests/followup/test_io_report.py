"""The monthly report workbook: template, round trip, findings, hostile files and folders."""

from __future__ import annotations

import datetime as dt
import io
import sys
import warnings
import zipfile
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest

from klimafotavtrykk.errors import DataQualityWarning, InputError
from klimafotavtrykk.followup.contract import load_contract
from klimafotavtrykk.followup.model import REPORT_MATERIAL_COLUMNS, REPORT_SITE_COLUMNS
from klimafotavtrykk.followup.reader import REFUSED_COLUMNS, read_report, read_reports
from klimafotavtrykk.followup.template import write_report_template
from klimafotavtrykk.messages import render_error
from klimafotavtrykk.tender.reader import read_bid

sys.path.insert(0, str(Path(__file__).parent))
from io_cases import write_contract  # noqa: E402

SITE, MATERIALS, DECLARATION = "Energi og maskiner", "Materialer levert", "Månedserklæring"


@pytest.fixture
def contract(tmp_path):
    return load_contract(write_contract(tmp_path))


def _fill(path, month="2025-08", site=None, materials=None, declaration=None, target=None):
    """Type values into a written template as a contractor would (openpyxl, by cell)."""
    book = openpyxl.load_workbook(path)
    names = book.sheetnames
    decl = book[names[1]]
    decl["B4"] = month
    decl["B5"] = "Bygg AS"
    for cell, value in (declaration or {}).items():
        decl[cell] = value
    for sheet, values in ((names[2], site or {}), (names[3], materials or {})):
        for cell, value in values.items():
            book[sheet][cell] = value
    target = target or path
    book.save(target)
    return target


def _read(path, contract=None):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataQualityWarning)
        return read_report(path, contract)


# ----------------------------------------------------------------------------- template

@pytest.mark.parametrize("lang", ["nb", "en"])
def test_template_sheets_locked_headers_and_lists(tmp_path, contract, lang):
    path = write_report_template(tmp_path / "mal.xlsx", lang=lang, contract=contract)
    book = openpyxl.load_workbook(path)
    expected = {"nb": ["Veiledning", DECLARATION, SITE, MATERIALS, "Lister"],
                "en": ["Instructions", "Monthly declaration", "Energy and machines",
                       "Materials delivered", "Lister"]}[lang]
    assert book.sheetnames == expected
    assert book["Lister"].sheet_state == "hidden"
    site = book[expected[2]]
    assert site.protection.sheet and site["A1"].protection.locked
    assert site["A2"].value == "M1" and site["A2"].protection.locked   # the contract's id
    assert not site["F2"].protection.locked                            # the carrier may change
    headers = [c.value for c in site[1]]
    assert headers[0] == {"nb": "Maskin-ID (kontrakt)", "en": "Machine ID (contract)"}[lang]
    lists = {tuple(v.sqref.ranges)[0].coord.split(":")[0][0]: v.formula1
             for v in site.data_validations.dataValidation if v.type == "list"}
    assert set(lists) == {"B", "E", "F", "H", "J", "K", "M"}  # every list column has its list
    materials = book[expected[3]]
    assert materials["A2"].value == "251.01#aaaa" and materials["A2"].protection.locked
    assert materials["E2"].value == "NEPD-434-305-EN" and not materials["E2"].protection.locked
    assert materials["H2"].value is None                                  # quantity: theirs


def test_template_without_contract_has_empty_tables(tmp_path):
    path = write_report_template(tmp_path / "mal.xlsx")
    book = openpyxl.load_workbook(path)
    assert book[SITE].max_row == 1 and book[MATERIALS].max_row == 1


def test_template_is_byte_for_byte_reproducible(tmp_path, contract):
    first = write_report_template(tmp_path / "a.xlsx", contract=contract).read_bytes()
    assert write_report_template(tmp_path / "b.xlsx", contract=contract).read_bytes() == first


def test_text_from_the_bid_never_becomes_a_formula(tmp_path, contract):
    import dataclasses

    machines = contract.machines.assign(machine=["=HYPERLINK(\"http://x\")", "+1", "@SUM(A1)",
                                                 "-2"])
    hostile = dataclasses.replace(contract, name="=cmd|' /C calc'!A0", machines=machines)
    book = openpyxl.load_workbook(write_report_template(tmp_path / "mal.xlsx", contract=hostile))
    written = [book[SITE][f"D{r}"].value for r in range(2, 6)] + [book[DECLARATION]["B3"].value]
    assert all(isinstance(v, str) and v.startswith("'") for v in written)
    assert book[DECLARATION]["B3"].data_type == "s"


def test_cli_writes_the_template_from_the_contract(tmp_path, capsys):
    from klimafotavtrykk.cli import main

    path = write_contract(tmp_path)
    target = tmp_path / "rapportmal.xlsx"
    assert main(["oppfolging", "mal", "-o", str(target), "--kontrakt", str(path)]) == 0
    assert "Skrev månedsrapportmalen" in capsys.readouterr().out
    assert openpyxl.load_workbook(target)[SITE]["A5"].value == "M4"
    assert main(["followup", "template", "-o", str(tmp_path / "en.xlsx"), "--lang", "en"]) == 0
    assert "Materials delivered" in openpyxl.load_workbook(tmp_path / "en.xlsx").sheetnames


# ----------------------------------------------------------------------------- round trip

def test_template_round_trip_gives_the_values_typed_in(tmp_path, contract):
    path = write_report_template(tmp_path / "2025-08.xlsx", contract=contract)
    _fill(path, month="2025-08", declaration={"B6": "05.09.2025"},
          site={"G2": 1_850, "I2": 142, "J2": "ja", "K2": "V",       # M1: electricity, kWh
                "G3": 410.5, "I3": 98, "J3": "nei", "K3": "Stage IV",  # M2: HVO, litres
                "F4": "Diesel (fossil)", "I4": 120, "J4": "nei",      # M3: hours only
                "G5": 38_000,                                          # M4: tonne-km
                "C7": "Strøm til brakker", "B7": "annet energibruk",  # a row of their own
                "F7": "Strøm, norsk fysisk levert (NVE 2023)", "G7": "2 400,5", "H7": "kWh"},
          materials={"H2": 31.5, "E2": "NEPD-999-1-NO", "G2": 240})
    report = _read(path, contract)
    assert report.month == pd.Period("2025-08", "M") and report.contractor == "Bygg AS"
    assert report.file == "2025-08.xlsx" and len(report.sha256) == 64
    assert report.report_date == dt.date(2025, 9, 5)
    site = report.site
    bid_columns = list(read_bid(tmp_path / "bud.xlsx").site.columns)
    assert list(site.columns) == bid_columns + list(REPORT_SITE_COLUMNS)
    assert site["machine_id"].tolist()[:4] == ["M1", "M2", "M3", "M4"]
    assert pd.isna(site["machine_id"].iloc[4])
    # amounts in the column of their unit: 1 850 kWh, 410.5 l, 38 000 tkm, "2 400,5" kWh
    assert site["kwh"].tolist()[0] == 1_850.0 and site["kwh"].tolist()[4] == 2_400.5
    assert site["litres"].tolist()[1] == 410.5 and site["tonne_km"].tolist()[3] == 38_000.0
    assert site["carrier"].tolist() == ["electricity_no", "hvo100", "diesel", None,
                                        "electricity_no"]
    # the diesel excavator gave 120 h and no fuel: its hours are the amount the site model uses
    assert site["machine_hours"].tolist()[2] == 120.0 and np.isnan(site["machine_hours"].iloc[0])
    assert site["reported_hours"].tolist()[:3] == [142.0, 98.0, 120.0]
    assert site["emission_free"].tolist()[:3] == [True, False, False]
    assert site["eu_stage"].tolist()[:2] == ["V", "IV"]
    assert site["category"].tolist() == ["machine", "machine", "machine", "mass_transport", "other"]
    assert site["source_ref"].iloc[0] == "'[2025-08.xlsx]Energi og maskiner'!G2"
    materials = report.materials
    assert tuple(materials.columns) == REPORT_MATERIAL_COLUMNS
    assert materials[["line_key", "epd_id", "epd_gwp_a1a3", "quantity", "unit"]].values.tolist() == [
        ["251.01#aaaa", "NEPD-999-1-NO", 240.0, 31.5, "m3"]]
    # the one finding: a number typed as text, read under the nb-NO rule and named at its cell
    assert report.findings[["source_ref", "kind", "reason", "detail"]].values.tolist() == [
        ["'[2025-08.xlsx]Energi og maskiner'!G7", "reader", "text_number", "2 400,5"]]


def test_the_english_template_reads_back(tmp_path, contract):
    path = write_report_template(tmp_path / "en.xlsx", lang="en", contract=contract)
    _fill(path, month="2025-07", site={"G3": 100, "J3": "no"}, materials={"H2": 10})
    report = _read(path, contract)
    assert report.month == pd.Period("2025-07", "M")
    assert report.site[["machine_id", "litres", "emission_free"]].values.tolist() == [
        ["M2", 100.0, False]]
    assert report.materials["quantity"].tolist() == [10.0]


def test_cells_not_understood_are_findings_with_their_cell(tmp_path, contract):
    path = write_report_template(tmp_path / "r.xlsx", contract=contract)
    _fill(path, month="2025-12",   # after the contract's last month (2025-09)
          declaration={"B3": "Annen kontrakt", "B6": "i går"},
          site={"G2": 10, "J2": "kanskje", "K2": "Euro 6", "I2": "mange",
                "A3": "M9", "G3": 5,
                "C8": "Glemt", "F8": "diesel"},
          materials={"D9": "Stål levert", "G9": "lav"})
    report = _read(path, contract)
    found = report.findings.set_index("kind")
    where = {kind: found.loc[[kind], "source_ref"].tolist() for kind in found.index.unique()}
    sheet = "'[r.xlsx]Energi og maskiner'"
    assert where == {
        "other_contract": ["[r.xlsx]Månedserklæring!B3"],
        "month_outside_contract": ["[r.xlsx]Månedserklæring!B4"],
        "unknown_machine_id": [f"{sheet}!G3"],
        "no_amount": [f"{sheet}!C8"],
        "no_quantity": ["'[r.xlsx]Materialer levert'!D9"],
        "bad_emission_free": [f"{sheet}!G2"],
        "unknown_eu_stage": [f"{sheet}!G2"],
        "bad_number": [f"{sheet}!G2", "'[r.xlsx]Materialer levert'!D9"],
        "bad_date": ["[r.xlsx]Månedserklæring!B6"],
    }
    assert report.report_date is None
    assert found.loc["unknown_machine_id", "detail"] == "M9"
    assert pd.isna(report.site["machine_id"].iloc[1])           # not promised: NaN
    assert report.site["eu_stage"].iloc[0] == "Euro 6"          # kept as written
    assert (report.findings["file"] == "r.xlsx").all()


# ----------------------------------------------------------------------------- hostile files

def _entity_bomb() -> bytes:
    buffer = io.BytesIO()
    entities = "".join(f'<!ENTITY e{i} "&e{i - 1};&e{i - 1};">' for i in range(1, 12))
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", f'<?xml version="1.0"?><!DOCTYPE w [<!ENTITY e0 "x">'
                                            f"{entities}]><workbook>&e11;</workbook>")
    return buffer.getvalue()


def test_a_formula_without_a_value_is_refused_at_its_cell_never_evaluated(tmp_path, contract):
    path = write_report_template(tmp_path / "r.xlsx", contract=contract)
    _fill(path, site={"G2": "=1/0+WEBSERVICE(\"http://x\")"})  # openpyxl stores no cached value
    with pytest.raises(InputError) as info:
        _read(path)
    error = info.value
    assert (error.code, error.file, error.sheet, error.cell) == (
        "formula_without_value", "r.xlsx", SITE, "G2")


def test_a_report_without_a_month_is_refused_at_the_month_cell(tmp_path):
    path = write_report_template(tmp_path / "r.xlsx")
    _fill(path, month="september")
    with pytest.raises(InputError) as info:
        _read(path)
    error = info.value
    assert (error.code, error.sheet, error.cell, error.found) == (
        "followup.no_month", DECLARATION, "B4", "september")
    assert "ingen gyldig måned" in render_error(error, "nb")


@pytest.mark.parametrize(("written", "month"), [
    ("2025-9", "2025-09"), ("09.2025", "2025-09"), (pd.Timestamp("2025-10-01"), "2025-10")])
def test_month_spellings(tmp_path, written, month):
    path = write_report_template(tmp_path / "r.xlsx")
    _fill(path, month=written.to_pydatetime() if isinstance(written, pd.Timestamp) else written)
    assert _read(path).month == pd.Period(month, "M")


def test_a_bid_workbook_is_not_a_report(tmp_path):
    write_contract(tmp_path)
    with pytest.raises(InputError) as info:
        _read(tmp_path / "bud.xlsx")
    assert info.value.code == "sheet_not_found" and info.value.sheet == DECLARATION


def test_a_folder_with_hostile_reports_reads_the_others_and_lists_the_refused(tmp_path, contract):
    folder = tmp_path / "rapporter"
    folder.mkdir()
    template = write_report_template(tmp_path / "mal.xlsx", contract=contract)
    for month in ("2025-06", "2025-07"):
        _fill(template, month=month, site={"G2": 100}, target=folder / f"{month}.xlsx")
    (folder / "2025-08.xlsx").write_bytes(b"PK\x03\x04 this is not a workbook")
    (folder / "bombe.xlsx").write_bytes(_entity_bomb())
    (folder / "gammel.xls").write_bytes(bytes.fromhex("D0CF11E0A1B11AE1") + b"\0" * 504)
    _fill(template, month="2025-09", site={"G2": "=A1*2"}, target=folder / "formel.xlsx")
    (folder / "~$2025-06.xlsx").write_bytes(b"lock")  # Excel's lock file: not a report
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataQualityWarning)
        reports, refused = read_reports(folder, contract)
    assert [r.file for r in reports] == ["2025-06.xlsx", "2025-07.xlsx"]
    assert [str(r.month) for r in reports] == ["2025-06", "2025-07"]
    assert tuple(refused.columns) == REFUSED_COLUMNS
    got = refused.set_index("file")
    assert got["reason"].to_dict() == {"2025-08.xlsx": "unreadable_file", "bombe.xlsx": "xml_entities",
                                       "formel.xlsx": "formula_without_value",
                                       "gammel.xls": "legacy_xls"}
    assert got.loc["formel.xlsx", ["sheet", "cell"]].tolist() == [SITE, "G2"]
    assert got.loc["formel.xlsx", "detail"].startswith("[formel.xlsx]Energi og maskiner!G2: ")


def test_a_fifo_in_the_folder_is_listed_without_being_opened(tmp_path, contract):
    import os

    folder = tmp_path / "rapporter"
    folder.mkdir()
    _fill(write_report_template(tmp_path / "mal.xlsx"), target=folder / "2025-06.xlsx")
    os.mkfifo(folder / "rør.xlsx")  # opening it for reading would block forever
    reports, refused = read_reports(folder)
    assert [r.file for r in reports] == ["2025-06.xlsx"]
    assert refused[["file", "reason", "detail"]].values.tolist() == [
        ["rør.xlsx", "not_regular_file", "fifo"]]


def test_cheat_machine_energy_reported_as_mass_transport_counts_on_site(tmp_path, contract):
    """Mass transport is counted outside A5, in tonne-km. A diesel machine's 300 l, or its 50
    hours alone, typed on rows of category "massetransport" are site energy: scope ``site``,
    each with a finding at its row. The promised mass transport in tonne-km (M4) stays outside."""
    path = write_report_template(tmp_path / "r.xlsx", contract=contract)
    _fill(path, month="2025-08",
          site={"G5": 38_000,                                                        # M4: tonne-km
                "B7": "massetransport", "C7": "Graving", "F7": "Diesel (fossil)", "G7": 300, "H7": "l",
                "B8": "massetransport", "C8": "Graving", "F8": "Diesel (fossil)", "I8": 50})
    report = _read(path, contract)
    site = report.site.set_index("source_ref")
    sheet = "'[r.xlsx]Energi og maskiner'"
    assert site.loc[f"{sheet}!G5", "scope"] == "mass_transport"
    # a row without a quantity is named at its first cell
    assert site.loc[[f"{sheet}!G7", f"{sheet}!B8"], "scope"].tolist() == ["site", "site"]
    found = report.findings[report.findings["kind"] == "mass_transport_metered"]
    assert sorted(found["source_ref"]) == [f"{sheet}!B8", f"{sheet}!G7"]
