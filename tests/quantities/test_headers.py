"""Header aliases and the header search."""

import csv

import pytest

from klimafotavtrykk._data import data_path
from klimafotavtrykk.errors import DataError
from klimafotavtrykk.quantities.headers import (
    MAPPABLE,
    find_header,
    header_aliases,
    map_headers,
    normalise_header,
)
from klimafotavtrykk.vocabulary import LINE_COLUMNS, OPTIONAL_LINE_COLUMNS

ALIASES = data_path("headers", "aliases.csv")


def _rows():
    with open(ALIASES, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_alias_file_schema():
    rows = _rows()
    assert rows and set(rows[0]) == {"header", "canonical", "lang"}
    assert {r["lang"] for r in rows} <= {"nb", "en"}
    assert {r["canonical"] for r in rows} <= set(LINE_COLUMNS + OPTIONAL_LINE_COLUMNS) - {"row_id", "source_ref"}
    assert set(MAPPABLE) == {r["canonical"] for r in rows}  # every column has a spelling


def test_spellings_named_in_the_issue_map_as_required():
    # issue #3 and the reader brief list these spellings
    required = {
        "Postnr": "post_number", "Post nr.": "post_number", "Post": "post_number",
        "NS 3420": "item_code", "NS-kode": "item_code", "Kode": "item_code",
        "Item": "item_code", "Item code": "item_code",
        "Beskrivelse": "description", "Tekst": "description", "Description": "description",
        "Enhet": "unit", "Enh.": "unit", "Unit": "unit",
        "Mengde": "quantity", "Antall": "quantity", "Quantity": "quantity", "Qty": "quantity",
        "Bygningsdel": "building_part", "NS 3451": "building_part",
        "Building part": "building_part",
        "Faktor-ID": "factor_id", "Factor id": "factor_id",
        "Transportavstand (km)": "transport_km", "Transport km": "transport_km",
        "Transportmåte": "transport_mode", "Transport mode": "transport_mode",
        "Svinn": "waste_rate", "Svinnandel": "waste_rate", "Waste rate": "waste_rate",
    }
    assert map_headers(list(required)) == list(required.values())


@pytest.mark.parametrize(("written", "key"), [
    (" Post nr. ", "postnr"),
    ("POSTNR:", "postnr"),
    ("Post\nnr", "postnr"),
    ("Transport\u00a0mode", "transportmode"),
    ("ＭＥＮＧＤＥ", "mengde"),   # full-width letters, NFKC
    (12.0, ""),
    (None, ""),
])
def test_normalise_header(written, key):
    assert normalise_header(written) == key


def test_matching_is_exact_after_normalising():
    assert map_headers(["Mengde opsjon", "Svinn (%)", "Mengder"]) == [None, None, None]
    assert map_headers(["mengde", "ENHET", "post nr"]) == ["quantity", "unit", "post_number"]


def test_alias_table_errors(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("header,canonical,lang\nMengde,quantity,nb\nmengde ,unit,nb\n", encoding="utf-8")
    with pytest.raises(DataError, match="maps to both"):
        header_aliases(str(bad))
    bad.write_text("header,canonical,lang\nMengde,kvantum,nb\n", encoding="utf-8")
    with pytest.raises(DataError, match="unknown canonical"):
        header_aliases(str(bad))
    bad.write_text("head,canonical\nMengde,quantity\n", encoding="utf-8")
    with pytest.raises(DataError, match="needs columns"):
        header_aliases(str(bad))


HEADER = ["Postnr", "NS 3420", "Beskrivelse", "Enhet", "Mengde", "Bygningsdel"]


def test_header_below_a_title_block():
    rows = [["Prosjekt:", "Skole", "", "", "", ""],
            ["Mengdebeskrivelse", "", "", "", "", ""],
            ["", "", "", "", "", ""],
            HEADER,
            ["01", "LB2", "Betong", "m3", 12.0, "23"]]
    got = find_header(rows)
    assert (got.row, got.n_rows, got.data_start) == (3, 1, 4)
    assert got.columns == {"post_number": 0, "item_code": 1, "description": 2, "unit": 3,
                           "quantity": 4, "building_part": 5}
    assert got.written["item_code"] == "NS 3420"


def test_header_needs_quantity_and_another_column():
    assert find_header([["Mengde", "Pris"], [1.0, 2.0]]) is None
    assert find_header([["Beskrivelse", "Enhet"], ["x", "m"]]) is None
    assert find_header([["Mengde", "Enhet"], [1.0, "m"]]).row == 0


def test_most_columns_wins_and_the_earliest_on_a_tie():
    rows = [["Mengde", "Enhet", ""], ["Mengde", "Enhet", "Beskrivelse"],
            ["Mengde", "Enhet", "Beskrivelse"]]
    assert find_header(rows).row == 1


def test_unmapped_and_repeated_columns_are_reported():
    got = find_header([["Postnr", "Mengde", "Enhet", "Enhetspris", "Antall"]])
    assert got.unmapped == ((3, "Enhetspris"),)
    assert got.repeated == ((4, "Antall", "quantity"),)
    assert got.columns["quantity"] == 1


def test_header_spanning_two_merged_rows():
    # "Mengde" is merged over C2:D2 above "Enhet" and "Antall"; "Post" and "Beskrivelse"
    # are merged down over two rows; "Transport" over "km" and "måte".
    rows = [["Mengdebeskrivelse", "", "", "", "", ""],
            ["Post", "Beskrivelse", "Mengde", "", "Transport", ""],
            ["", "", "Enhet", "Antall", "km", "måte"],
            ["1", "Betong", "m3", 12.0, 40.0, "lastebil"]]
    merged = [((1, 0), (2, 0)), ((1, 1), (2, 1)), ((1, 2), (1, 3)), ((1, 4), (1, 5))]
    got = find_header(rows, merged)
    assert (got.row, got.n_rows, got.data_start) == (1, 2, 3)
    assert got.columns == {"post_number": 0, "description": 1, "unit": 2, "quantity": 3,
                           "transport_km": 4, "transport_mode": 5}


def test_a_row_of_numbers_is_never_a_sub_header():
    rows = [["Beskrivelse", "Mengde", "Enhet"], ["Betong", 12.0, "m3"]]
    got = find_header(rows)
    assert (got.row, got.n_rows) == (0, 1)


def test_given_header_row():
    rows = [["Mengde", "Enhet"], ["x", "y"], ["Quantity", "Unit"], [1.0, "m"]]
    assert find_header(rows, header_row=3).row == 2
    assert find_header(rows, header_row=2) is None
    assert find_header(rows, header_row=9) is None


def test_header_beyond_the_search_window_is_not_found():
    rows = [[""] * 2] * 60 + [["Mengde", "Enhet"]]
    assert find_header(rows) is None
    assert find_header(rows, search_rows=70).row == 60
