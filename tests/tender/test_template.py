"""The bid climate workbook: writing the template, reading a filled bid back."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from openpyxl import load_workbook

from klimafotavtrykk.errors import InputError, UnsafeWorkbookError
from klimafotavtrykk.quantities.headers import header_aliases, normalise_header
from klimafotavtrykk.tender.template import (
    MATERIAL_COLUMNS,
    SITE_COLUMNS,
    bid_aliases,
    bid_frames,
    parse_dataset_type,
    parse_yes_no,
    read_bid,
    site_amounts,
    template_headers,
    write_template,
)


@pytest.fixture
def filled():
    rows = pd.DataFrame({
        "post_number": ["251.01", "251.02"], "item_code": ["LD1.1191", "LC2.117"],
        "building_part": ["251", "251"], "description": ["Påstøp, betong B30", "Armering"],
        "quantity": [92.0, 5.5], "unit": ["m3", "tonn"], "product": ["Lavkarbon B30", None],
        "epd_id": ["NEPD-434-305-EN", None], "epd_declared_unit": ["m3", None],
        "epd_gwp_a1a3": [215.5, None], "dataset_type": ["product_epd", None],
        "epd_valid_until": [dt.datetime(2027, 6, 30), None], "mass_per_unit": [2_400.0, None],
        "transport_km": [25.0, None], "transport_mode": ["truck_concrete", None],
        "waste_rate": [0.02, None], "committed": [True, None],
    })
    site = pd.DataFrame({
        "category": ["maskin", "massetransport"], "activity": ["Graving", "Masser ut"],
        "machine": ["Gravemaskin 1", None], "machine_class": ["Gravemaskin", None],
        "carrier": ["hvo100", None], "quantity": [1_200.0, 40_000.0], "unit": ["l", "tonnkm"],
        "rated_power_kw": [None, None], "vehicle_class": [None, "truck_long_haul"],
        "committed": [True, False],
    })
    declaration = {"bidder": "Bygg AS", "org_number": "999 888 777",
                   "date": dt.datetime(2025, 3, 28), "price_nok": 12_500_000.0}
    return rows, site, declaration


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_template_sheets_headers_protection_and_validation(tmp_path, lang):
    path = write_template(tmp_path / "mal.xlsx", lang=lang)
    book = load_workbook(path)
    names = {"nb": ["Veiledning", "Materialer", "Byggeplass", "Erklæring", "Lister"],
             "en": ["Instructions", "Materials", "Site", "Declaration", "Lister"]}[lang]
    assert book.sheetnames == names
    assert book["Lister"].sheet_state == "hidden"
    materials, site = book[names[1]], book[names[2]]
    headers = template_headers(lang)
    assert [c.value for c in materials[1]] == headers["materials"]
    assert [c.value for c in site[1]] == headers["site"]
    assert materials.protection.sheet and site.protection.sheet
    assert materials["A1"].protection.locked and materials["I1"].protection.locked  # headers
    # input columns are unlocked by column style (empty cells are not written)
    assert not materials.column_dimensions["I"].protection.locked
    rules = {str(v.sqref).split(":")[0]: v for v in materials.data_validations.dataValidation}
    committed = MATERIAL_COLUMNS.index(next(c for c in MATERIAL_COLUMNS if c.name == "committed"))
    gwp = [c.name for c in MATERIAL_COLUMNS].index("epd_gwp_a1a3")
    letter = {i: chr(ord("A") + i) for i in range(26)}
    assert rules[f"{letter[committed]}2"].type == "list"
    assert rules[f"{letter[committed]}2"].formula1.startswith("'Lister'!")
    assert rules[f"{letter[gwp]}2"].type == "decimal"
    assert rules[f"{letter[gwp]}2"].operator == "greaterThanOrEqual"


def test_every_template_header_maps_to_a_column():
    line = header_aliases()
    bid = bid_aliases()
    for lang in ("nb", "en"):
        for header, column in zip(template_headers(lang)["materials"] + template_headers(lang)["site"],
                                  [*MATERIAL_COLUMNS, *SITE_COLUMNS], strict=True):
            key = normalise_header(header)
            assert bid.get(key) == column.name
            if key in line:        # where the reader maps it too, it must agree
                assert line[key] == column.name


def test_prefilled_quantities_are_locked_and_text_made_safe(tmp_path):
    quantities = pd.DataFrame({"post_number": ["1"], "description": ['=HYPERLINK("x")'],
                               "quantity": [3.0], "unit": ["m3"], "building_part": ["251"]})
    path = write_template(tmp_path / "mal.xlsx", quantities=quantities)
    sheet = load_workbook(path)["Materialer"]
    assert sheet["D2"].value == "'=HYPERLINK(\"x\")" and sheet["D2"].data_type == "s"
    assert sheet["E2"].value == 3.0 and sheet["E2"].protection.locked
    assert not sheet.column_dimensions["I"].protection.locked   # the bidder's EPD column is open
    assert not sheet.column_dimensions["E"].protection.locked   # so are rows below for additions


def test_template_is_byte_for_byte_reproducible(tmp_path, filled):
    rows, site, declaration = filled
    one = write_template(tmp_path / "1.xlsx", rows=rows, site=site, declaration=declaration)
    two = write_template(tmp_path / "2.xlsx", rows=rows, site=site, declaration=declaration)
    assert one.read_bytes() == two.read_bytes()


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


# ----------------------------------------------------------------------------- parsing

def test_yes_no_in_both_languages():
    flags = parse_yes_no(["ja", "Nei", "yes", "NO", "x", "", None, "kanskje"])
    assert list(flags.astype(object)) == [True, False, True, False, True, pd.NA, pd.NA, pd.NA]


def test_dataset_types_in_both_languages():
    found = parse_dataset_type(["produkt-EPD", "Industry EPD", "generisk", "product_epd", "x", None])
    assert list(found) == ["product_epd", "industry_epd", "generic", "product_epd", None, None]


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
