"""Reading a filled bid workbook back: frames, findings, safety."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from klimafotavtrykk.errors import InputError, UnsafeWorkbookError
from klimafotavtrykk.tender.reader import bid_frames, read_bid, site_amounts
from klimafotavtrykk.tender.template import write_template


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_filled_bid_reads_back(tmp_path, filled, lang):
    rows, site, declaration = filled
    path = write_template(tmp_path / "bud.xlsx", lang=lang, rows=rows, site=site,
                          declaration=declaration)
    bid = read_bid(path)
    m = bid.materials
    assert list(m["epd_id"]) == ["NEPD-434-305-EN", None]
    assert m.loc[0, "epd_gwp_a1a3"] == 215.5 and np.isnan(m.loc[1, "epd_gwp_a1a3"])
    assert list(m["dataset_type"]) == ["product_epd", None]
    assert m.loc[0, "epd_valid_until"] == pd.Timestamp("2027-06-30")
    assert m.loc[0, "mass_per_unit"] == 2_400.0
    assert m.loc[0, "transport_km"] == 25.0 and m.loc[0, "waste_rate"] == 0.02
    assert list(m["committed"].astype(object)) == [True, pd.NA]
    sheet = "Materialer" if lang == "nb" else "Materials"
    assert m.loc[0, "source_ref"] == f"[bud.xlsx]{sheet}!E2"       # the quantity cell
    s = bid.site
    assert s.loc[0, "litres"] == 1_200.0 and s.loc[0, "machine_class"] == "excavator"
    assert s.loc[1, "tonne_km"] == 40_000.0 and s.loc[1, "scope"] == "mass_transport"
    assert list(s["committed"].astype(object)) == [True, False]
    assert bid.declaration["bidder"] == "Bygg AS"
    assert bid.declaration["price_nok"] == 12_500_000.0
    assert bid.declaration["org_number"] == "999 888 777"
    assert bid.sha256 and len(bid.sha256) == 64
    assert bid.findings.empty


def test_legacy_xls_is_refused(tmp_path):
    path = tmp_path / "gammel.xls"
    path.write_bytes(bytes.fromhex("D0CF11E0A1B11AE1") + b"\0" * 504)
    with pytest.raises(UnsafeWorkbookError) as info:
        read_bid(path)
    assert info.value.code == "legacy_xls"


def test_workbook_without_bid_sheets_is_an_input_error(tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["Beskrivelse", "Mengde", "Enhet"])
    book.active.append(["Betong", 1, "m3"])
    book.save(tmp_path / "feil.xlsx")
    with pytest.raises(InputError, match="Materialer or Materials") as info:
        read_bid(tmp_path / "feil.xlsx")
    assert info.value.code == "sheet_not_found"


def test_site_amounts_by_unit():
    # 2.5 m3 of a liquid is 2 500 L; 3 t of fuel is 3 000 kg; "timer" are hours
    out = site_amounts([2.5, 10.0, 7.0, 3.0, 1.5, 500.0, 1.0],
                       ["m3", "kWh", "Nm3", "tonn", "timer", "tonnkm", "furlong"])
    assert out["litres"][0] == pytest.approx(2_500.0)
    assert out["kwh"][1] == 10.0 and out["nm3"][2] == 7.0
    assert out["kg"][3] == pytest.approx(3_000.0)
    assert out["machine_hours"][4] == pytest.approx(1.5)
    assert out["tonne_km"][5] == 500.0
    assert list(out["unit_known"]) == [True] * 6 + [False]


def test_site_amounts_same_for_a_spelling_met_again_and_for_a_number_as_unit():
    # The second call meets "l" and "kWh" again (looked up once a process): 4 L and 6 kWh as
    # given. A unit cell holding a number (3.0) is no unit: NaN everywhere and not known.
    first = site_amounts([1.0, 2.0], ["l", "kWh"])
    again = site_amounts([4.0, 6.0, 5.0, 1.0], ["l", "kWh", 3.0, None])
    assert first["litres"][0] == 1.0 and first["kwh"][1] == 2.0
    assert again["litres"][0] == 4.0 and again["kwh"][1] == 6.0
    assert again.iloc[2:, :6].isna().all().all()
    assert list(again["unit_known"]) == [True, True, False, False]


def test_cells_not_understood_are_findings():
    rows = pd.DataFrame({"source_ref": ["[b.xlsx]Materialer!E2"], "quantity": [1.0],
                         "unit": ["m3"], "dataset_type": ["egen EPD"],
                         "epd_valid_until": ["31. juni"], "committed": ["kanskje"]})
    site = pd.DataFrame({"source_ref": ["[b.xlsx]Byggeplass!F2"], "quantity": [1.0],
                         "unit": ["fat"], "carrier": ["diesel"]})
    _, s, findings = bid_frames(rows, site)
    assert list(findings["kind"]) == ["bad_dataset_type", "bad_date", "bad_committed",
                                      "unknown_site_unit"]
    assert list(findings["detail"]) == ["egen EPD", "31. juni", "kanskje", "fat"]
    assert np.isnan(s.loc[0, "litres"]) and s.loc[0, "scope"] == "site"


def test_a_bid_file_is_checked_and_opened_once(tmp_path, filled, monkeypatch):
    # Three sheets are read (materials, site, declaration); the archive scan and the
    # calamine open run once for the file, not once per sheet.
    from klimafotavtrykk.quantities import excel, safety

    rows, site, declaration = filled
    path = write_template(tmp_path / "bud.xlsx", rows=rows, site=site, declaration=declaration)
    calls = {"check": 0, "open": 0}
    check, open_ = safety.check_archive, excel._open

    def counted_check(*args, **kwargs):
        calls["check"] += 1
        return check(*args, **kwargs)

    def counted_open(*args, **kwargs):
        calls["open"] += 1
        return open_(*args, **kwargs)

    monkeypatch.setattr(excel, "check_archive", counted_check)
    monkeypatch.setattr(excel, "_open", counted_open)
    bid = read_bid(path)
    assert calls == {"check": 1, "open": 1}
    assert bid.declaration["bidder"] == "Bygg AS"


def test_unknown_bid_column_is_named_with_file_and_sheet(tmp_path, filled):
    # A column neither the reader nor the template knows is not read, and the note says
    # where: file, sheet, column letter and header text. The template's own columns are
    # A..R (18 columns), so the added one is S.
    from openpyxl import load_workbook

    rows, site, declaration = filled
    path = write_template(tmp_path / "bud.xlsx", rows=rows, site=site, declaration=declaration)
    book = load_workbook(path)
    book["Materialer"]["S1"] = "Leverandørens kommentar"
    book["Materialer"]["S2"] = "levert fra Bergen"
    book.save(path)
    bid = read_bid(path)
    assert ("bud.xlsx: Materialer: unmapped_columns: columns S ('Leverandørens kommentar') "
            "are not read") in bid.warnings
    assert "Leverandørens kommentar" not in bid.materials.columns
    assert list(bid.materials["epd_id"]) == ["NEPD-434-305-EN", None]
