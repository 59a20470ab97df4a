"""read_epds and `klimafotavtrykk epd les`: a folder of EPDs into a factor table the engine uses."""

from __future__ import annotations

import json

import openpyxl
import pandas as pd
import pytest

import klimafotavtrykk as kf
from klimafotavtrykk.cli import main
from klimafotavtrykk.errors import InputError


def test_a_folder_is_read_file_by_file_with_what_was_refused(epd_folder):
    factors, summary = kf.read_epds(epd_folder)
    assert list(factors["factor_id"]) == ["NEPD-4945-3957-DK-ISO", "EPD-IES-0006676",
                                          "NEPD-4945-3957-DK", "EPD-IES-0009809"]
    assert [e["file"] for e in summary["read"]] == ["blocks.json", "coil.zip", "concrete.json",
                                                    "glass.json"]
    assert [e["format"] for e in summary["read"]] == ["iso22057", "ilcd", "soda4lca", "openepd"]
    refused = summary["refused"]
    assert [e["file"] for e in refused] == ["process_only.xml"]
    assert refused[0]["error"].code == "epd_declared_unit"
    assert summary["skipped"] == ["epd.pdf"]
    assert (factors["indicator"] == "gwp-total").all()
    # hand-worked per declared unit: 268.594529005012 (m3), 1895.7/1000 (kg), 40.3 (m2)
    by_id = factors.set_index("factor_id")["A1-A3"]
    assert by_id["NEPD-4945-3957-DK"] == pytest.approx(268.594529005012)
    assert by_id["EPD-IES-0006676"] == pytest.approx(1.8957)
    assert by_id["EPD-IES-0009809"] == pytest.approx(40.3)


def test_the_same_epd_twice_is_refused_the_second_time(epd_folder):
    (epd_folder / "zz_copy.json").write_bytes((epd_folder / "concrete.json").read_bytes())
    _, summary = kf.read_epds(epd_folder)
    copy = [e for e in summary["refused"] if e["file"] == "zz_copy.json"][0]["error"]
    assert copy.code == "epd_duplicate" and "already read from concrete.json" in copy.problem


def test_files_of_an_unexpected_shape_are_refused_and_the_rest_read(epd_folder):
    (epd_folder / "list_impacts.json").write_text(
        '{"declared_unit": {"qty": 1, "unit": "m2"}, "impacts": ["gwp"]}')
    (epd_folder / "odd_soda.json").write_text(
        '{"processInformation": {"dataSetInformation": []}, "exchanges": 3}')
    (epd_folder / "odd_iso.json").write_text('{"subScenarios": [3], "subIndicators": [null]}')
    factors, summary = kf.read_epds(epd_folder)
    assert len(factors) == 4
    refused = {e["file"]: e["error"] for e in summary["refused"]}
    assert set(refused) == {"process_only.xml", "list_impacts.json", "odd_soda.json",
                            "odd_iso.json"}
    assert all(isinstance(e, ValueError) for e in refused.values())
    assert refused["list_impacts.json"].code == "epd_unreadable"
    with pytest.raises(ValueError, match="unreadable EPD file"):
        kf.read_epd(epd_folder / "list_impacts.json")
    with pytest.raises(ValueError, match=r"odd_soda.json: the reference flow None"):
        kf.read_epd(epd_folder / "odd_soda.json")


def test_a_missing_folder_and_an_unknown_indicator(tmp_path):
    with pytest.raises(InputError) as caught:
        kf.read_epds(tmp_path / "nothing")
    assert caught.value.code == "epd_folder"
    with pytest.raises(ValueError, match="unknown indicator"):
        kf.read_epds(tmp_path, indicator="ODP")


def _boq(path):
    """A bill of quantities: 10 tonn of the hot-rolled coil EPD, by its factor id."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Mengder"
    sheet.append(["Postnr", "Beskrivelse", "Mengde", "Enhet", "Faktor-ID", "Bygningsdel"])
    sheet.append(["1", "Stålplater, varmvalset", 10, "tonn", "EPD-IES-0006676", "22"])
    book.save(path)


def test_cli_reads_the_folder_and_beregn_uses_the_csv(epd_folder, tmp_path, capsys):
    csv = tmp_path / "faktorer.csv"
    assert main(["epd", "les", str(epd_folder), "-o", str(csv)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert "Lest coil.zip: EPD-IES-0006676 per 1000 kg (ilcd)" in out
    refused = [line for line in out if line.startswith("Avvist process_only.xml: ")]
    assert len(refused) == 1 and "Den deklarerte enheten kan ikke utledes" in refused[0]
    assert "Hoppet over epd.pdf: ikke en EPD-filtype (.xml, .zip, .json)" in out
    assert "4 EPD-er lest, 1 avvist, 1 hoppet over (indikator gwp-total)" in out
    assert pd.read_csv(csv)["factor_id"].tolist()[1] == "EPD-IES-0006676"
    boq = tmp_path / "mengder.xlsx"
    _boq(boq)
    assert main(["beregn", str(boq), "--faktorer", str(csv), "--profil", "en15978",
                 "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    # EN 15978 takes GWP-total: 10 tonn = 10 000 kg x 1.8957 kg CO2e/kg = 18 957 kg CO2e (a
    # product EPD: no markup); A4 as the EPD declares it: 10 000 kg x 201.22 / 1000 = 2 012.2
    assert data["by_module"]["A1-A3"] == pytest.approx(18_957.0)
    assert data["by_module"]["A4"] == pytest.approx(2_012.2)
    assert (data["lines"], data["unmatched"]) == (1, 0)
    # TEK17 takes GWP-GHG (IOBC): read the folder again with that indicator
    ghg = tmp_path / "ghg.csv"
    assert main(["epd", "les", str(epd_folder), "-o", str(ghg), "--indikator", "GWP-GHG"]) == 0
    out = capsys.readouterr().out
    assert "2 EPD-er lest, 3 avvist, 1 hoppet over (indikator gwp-ghg)" in out
    assert main(["beregn", str(boq), "--faktorer", str(ghg), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    # 10 000 kg x 1864.64 / 1000 = 18 646.4 kg CO2e
    assert data["by_module"]["A1-A3"] == pytest.approx(18_646.4)


def test_cli_in_english_and_with_nothing_to_read(tmp_path, capsys):
    empty = tmp_path / "empty"
    empty.mkdir()
    assert main(["epd", "read", str(empty), "--lang", "en"]) == 1
    captured = capsys.readouterr()
    assert "0 EPDs read, 0 refused, 0 skipped (indicator gwp-total)" in captured.out
    assert "No EPD was read; no factor table written." in captured.err
    assert main(["epd", "les", str(tmp_path / "gone")]) == 1
    assert "Fant ikke mappen med EPD-filer." in capsys.readouterr().err
