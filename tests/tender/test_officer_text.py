"""What the officer reads is bokmål (English with --lang en), never an internal code (issue #12, 6).

The outputs of ``anbud score``, ``anbud mal`` and ``beregn`` in both languages, for the shipped
example and a bid built to hit the codes that used to leak (hydrogen without a life-cycle factor,
machine hours without power, a quantity written as text, a second materials sheet), are scanned
for every internal code: site and line reasons, cell kinds, finding kinds, and the English
phrases the issue quotes.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from klimafotavtrykk.cli import main
from klimafotavtrykk.quantities._metadata import CELL_KINDS
from klimafotavtrykk.site import SITE_REASONS
from klimafotavtrykk.tender.findings import FINDING_KINDS
from klimafotavtrykk.tender.reader import read_bid
from klimafotavtrykk.tender.schema import choice_ids, named_choices, validation_lists
from klimafotavtrykk.tender.template import write_template
from klimafotavtrykk.vocabulary import REASONS

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
#: Codes that are snake_case identifiers (plain words such as "formula" are English text).
CODES = sorted({c for c in (*SITE_REASONS, *CELL_KINDS, *REASONS, *FINDING_KINDS) if "_" in c})
PHRASES = ("has no wtw factor", "text_number:", "Forventet: an", "carrier '", "machine_class '")
#: English the bokmål outputs used to show (fine in the English ones).
ENGLISH = ("an existing file", "at most", "not computed", "cached value")
#: Workbook columns that hold ids on purpose (the factor row, its source, the file hash).
ID_HEADERS = {"Faktor-ID", "Factor ID", "Kilde for faktoren", "Factor source", "Kilde",
              "Source", "SHA-256 for fila", "SHA-256 of the file", "Parameter"}


def _hostile_bid(path: Path) -> Path:
    rows = pd.DataFrame({
        "post_number": ["251.01", "251.02"], "building_part": ["251", "251"],
        "description": ["Påstøp, betong B30", "Armering"], "quantity": [92.0, 5.5],
        "unit": ["m3", "tonn"], "product": ["Lavkarbon B30", None],
        "epd_id": ["NEPD-434-305-EN", None], "epd_declared_unit": ["m3", None],
        "epd_gwp_a1a3": [215.5, None], "dataset_type": ["product_epd", None],
        "epd_valid_until": [dt.datetime(2027, 6, 30), None],
        "transport_km": [25.0, None], "transport_mode": ["truck_no_avg_ttw", None],
        "committed": [True, None]})
    site = pd.DataFrame({
        "category": ["maskin", "maskin", "oppvarming og tørking"],
        "activity": ["Graving", "Løfting", "Tørking"], "machine": ["Gravemaskin 1", "Kran", None],
        "machine_class": ["Gravemaskin", "Kran", None],
        "carrier": ["diesel", "hydrogen", "district_heating_no"],
        "quantity": [300.0, 1_000.0, 5_000.0], "unit": ["timer", "kWh", "kWh"],
        "rated_power_kw": [None, None, None], "vehicle_class": [None, None, None],
        "committed": [True, True, True]})
    write_template(path, rows=rows, site=site,
                   declaration={"bidder": "Lekk AS", "price_nok": 95_000_000.0})
    book = openpyxl.load_workbook(path)
    book["Materialer"]["E3"] = "5,5"              # a quantity written as text
    book.create_sheet("Materials").append(["Mengde", "Enhet"])  # a second materials-like sheet
    book.save(path)
    return path


def _workbook_texts(path: Path) -> list[str]:
    out = []
    book = openpyxl.load_workbook(path, read_only=True)
    for sheet in book.worksheets:
        rows = list(sheet.iter_rows(values_only=True))
        if not rows:
            continue
        header = rows[0]
        for row in rows:
            for head, value in zip(header, row, strict=False):
                if isinstance(value, str) and head not in ID_HEADERS:
                    out.append(value)
    return out


def _leaks(texts, lang: str) -> list[str]:
    found = []
    for text in texts:
        for code in CODES:
            if re.search(rf"(?<![\w.-]){re.escape(code)}(?![\w.-])", text):
                found.append(f"{code!r} in {text[:120]!r}")
        phrases = PHRASES + (ENGLISH if lang == "nb" else ())
        found += [f"{p!r} in {text[:120]!r}" for p in phrases if p in text]
    return found


@pytest.fixture(scope="module")
def outputs(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("officer")
    folder = tmp / "bud"
    folder.mkdir()
    shutil.copy(EXAMPLES / "anbud" / "bud" / "a_gronn_betong.xlsx", folder)
    _hostile_bid(folder / "lekk.xlsx")
    quality = tmp / "kvalitet.csv"
    quality.write_text("tilbud,poeng\na_gronn_betong.xlsx,8\nlekk.xlsx,7\n", encoding="utf-8")
    texts: dict[str, list[str]] = {}
    for lang in ("nb", "en"):
        runs = {
            "score": ["anbud", "score", str(EXAMPLES / "anbud" / "konkurranse.toml"), str(folder),
                      "--kvalitet", str(quality), "-o", str(tmp / f"eval_{lang}.xlsx")],
            "mal": ["anbud", "mal", "-o", str(tmp / f"mal_{lang}.xlsx"), "--mengder",
                    str(EXAMPLES / "skole.xlsx")],
            "beregn": ["beregn", str(EXAMPLES / "skole.xlsx"), "--bta", "2400", "-o",
                       str(tmp / f"beregn_{lang}.xlsx")],
            "missing": ["beregn", str(tmp / "finnes_ikke.xlsx")],
        }
        for name, argv in runs.items():
            capture = _Capture()
            with capture:
                code = main([*argv, "--lang", lang])
            assert code == (1 if name == "missing" else 0), capture.err
            texts[f"{name}_{lang}"] = [capture.out, capture.err]
        for name in ("eval", "mal", "beregn"):
            texts[f"{name}_{lang}.xlsx"] = _workbook_texts(tmp / f"{name}_{lang}.xlsx")
    return texts


class _Capture:
    """Capture sys.stdout and sys.stderr (the CLI writes to them directly)."""

    def __enter__(self):
        import io
        import sys

        self._saved = sys.stdout, sys.stderr
        sys.stdout, sys.stderr = io.StringIO(), io.StringIO()
        return self

    def __exit__(self, *exc):
        import sys

        self.out, self.err = sys.stdout.getvalue(), sys.stderr.getvalue()
        sys.stdout, sys.stderr = self._saved
        return False


@pytest.mark.parametrize("output", [
    f"{name}_{lang}{ext}" for lang in ("nb", "en") for name, ext in (
        ("score", ""), ("mal", ""), ("beregn", ""), ("missing", ""), ("eval", ".xlsx"),
        ("mal", ".xlsx"), ("beregn", ".xlsx"))])
def test_no_internal_code_reaches_the_officer(outputs, output):
    assert _leaks(outputs[output], "nb" if "_nb" in output else "en") == []


def test_the_hostile_bid_is_reported_in_words(outputs):
    texts = "\n".join(outputs["eval_nb.xlsx"])
    # hydrogen: the reason in bokmål, the carrier by name; machine hours without power likewise
    assert "energibæreren har ingen utslippsfaktor for livsløpet" in texts
    assert "maskintimer uten merkeeffekt (kW)" in texts
    assert "tall skrevet som tekst, lest som tall" in texts       # the text quantity at E3
    assert "arbeidsboken har et annet ark som ligner materialarket" in texts
    english = "\n".join(outputs["eval_en.xlsx"])
    assert "the energy carrier has no well-to-wheel emission factor" in english
    assert "Forventet: en fil som finnes" in outputs["missing_nb"][1]


def test_site_lines_show_quantity_and_unit_and_every_line_not_computed_has_its_reason(tmp_path):
    from klimafotavtrykk.tender.competition import load_competition
    from klimafotavtrykk.tender.site_energy import evaluate_site

    bid = read_bid(_hostile_bid(tmp_path / "lekk.xlsx"))
    site = evaluate_site(bid, load_competition(EXAMPLES / "anbud" / "konkurranse.toml"),
                         detail=True)
    lines = site.lines
    assert lines["quantity"].tolist() == [300.0, 1_000.0, 5_000.0]
    assert lines["unit"].tolist() == ["timer", "kWh", "kWh"]
    reasons = [None if pd.isna(r) else r for r in lines["reason"]]
    assert reasons == ["missing_power", "no_factor_for_scope", None]
    # hydrogen has no well-to-wheel factor: scored on the competition's fallback carrier
    assert lines["line_status"].tolist() == ["not_computed", "fallback", "site"]
    found = site.findings.set_index("reason")["detail"].to_dict()
    assert found == {"missing_power": "Gravemaskin 1", "no_factor_for_scope": "Hydrogen"}


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_dropdowns_show_names_and_the_reader_maps_them_back(tmp_path, lang):
    lists = validation_lists(lang)
    assert all("_" not in v for v in lists["transport_modes"] + lists["carriers"])
    nb = validation_lists("nb")
    assert "Lastebil, norsk gjennomsnitt (kun forbrenning)" in nb["transport_modes"]
    assert "HVO100 (hydrogenert vegetabilsk olje)" in nb["carriers"]
    assert "Fjernvarme, norsk gjennomsnitt" in nb["carriers"]
    # hydrogen has no well-to-wheel factor, so the scorer cannot compute it: not offered
    assert not any("ydrogen" in v and "HVO" not in v for v in lists["carriers"])
    path = write_template(tmp_path / "bud.xlsx", lang=lang, rows=pd.DataFrame({
        "description": ["Betong"], "quantity": [10.0], "unit": ["m3"],
        "transport_mode": ["truck_no_avg_ttw"]}), site=pd.DataFrame({
            "category": ["maskin"], "carrier": ["hvo100"], "quantity": [100.0], "unit": ["l"],
            "vehicle_class": [None], "committed": [True]}))
    book = openpyxl.load_workbook(path)
    materials, site = book.worksheets[1], book.worksheets[2]
    assert materials["P2"].value == named_choices("transport_modes", lang)["truck_no_avg_ttw"]
    assert site["E2"].value == named_choices("carriers", lang)["hvo100"]
    assert book.worksheets[-1].protection.sheet and book.worksheets[-1].sheet_state == "hidden"
    bid = read_bid(path)
    assert bid.materials["transport_mode"].tolist() == ["truck_no_avg_ttw"]
    assert bid.site["carrier"].tolist() == ["hvo100"]


def test_names_in_either_language_and_ids_read_as_ids():
    ids = choice_ids("carriers")
    for text in ("Fjernvarme, norsk gjennomsnitt", "District heating, Norwegian average",
                 "district_heating_no", "  fjernvarme,  NORSK gjennomsnitt "):
        assert ids[" ".join(text.split()).casefold()] == "district_heating_no"
    assert choice_ids("transport_modes")["lastebil, norsk gjennomsnitt (kun forbrenning)"] == (
        "truck_no_avg_ttw")


def test_every_site_reason_and_cell_kind_has_words_in_both_languages():
    from klimafotavtrykk.messages import MESSAGES

    assert all(f"site_reason.{k}" in MESSAGES for k in SITE_REASONS)
    assert all(f"cell.{k}" in MESSAGES for k in CELL_KINDS)


NOTE_KEYS = ("hidden_sheet", "other_sheets", "hidden_sheet_read", "external_links",
             "unmapped_columns", "duplicate_block")


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_reader_notes_are_written_in_the_users_language(tmp_path, lang):
    import sys

    sys.path.insert(0, str(EXAMPLES.parent / "tests" / "quantities"))
    from test_excel import HEADER, xlsx  # the raw-part workbook builder

    rows = [[*HEADER, "Pris"], ["1", "LD1.1191", "Plasstøpt betong B30", "m3", 40.0, "251", 99]]
    stale = [HEADER, ["1", "LD1.1191", "Plasstøpt betong B30", "m3", 400.0, "251"]]
    path = tmp_path / "mengder.xlsx"
    path.write_bytes(xlsx({"name": "Mengder", "rows": rows},
                          {"name": "Gammel", "rows": stale, "state": "hidden"}))
    capture = _Capture()
    with capture:
        assert main(["beregn", str(path), "--lang", lang]) == 0
    words = {"nb": ("Merknad: arket «Gammel» er skjult og ble ikke lest",
                    "Merknad: kolonnene G ('Pris') er ikke lest"),
             "en": ("Note: sheet 'Gammel' is hidden and was not read",
                    "Note: columns G ('Pris') are not read")}[lang]
    for text in words:
        assert text in capture.err
    assert not [k for k in NOTE_KEYS if k in capture.err]
    assert _leaks([capture.out, capture.err], lang) == []
