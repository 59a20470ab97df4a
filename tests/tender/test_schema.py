"""The bid workbook's schema: headers in both languages, lists and their parsing."""

from __future__ import annotations

import pandas as pd

from klimafotavtrykk.quantities.headers import header_aliases, normalise_header
from klimafotavtrykk.tender.schema import (
    MATERIAL_COLUMNS,
    SITE_CATEGORIES,
    SITE_COLUMNS,
    bid_aliases,
    parse_dataset_type,
    parse_yes_no,
    sheet_names,
    template_headers,
    validation_lists,
)


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


def test_yes_no_in_both_languages():
    flags = parse_yes_no(["ja", "Nei", "yes", "NO", "x", "", None, "kanskje"])
    assert list(flags.astype(object)) == [True, False, True, False, True, pd.NA, pd.NA, pd.NA]


def test_dataset_types_in_both_languages():
    found = parse_dataset_type(["produkt-EPD", "Industry EPD", "generisk", "product_epd", "x", None])
    assert list(found) == ["product_epd", "industry_epd", "generic", "product_epd", None, None]


def test_sheet_names_in_both_languages():
    assert sheet_names("materials") == ("Materialer", "Materials")
    assert sheet_names("site") == ("Byggeplass", "Site")


def test_every_list_column_has_its_list():
    for lang in ("nb", "en"):
        lists = validation_lists(lang)
        for column in (*MATERIAL_COLUMNS, *SITE_COLUMNS):
            if column.kind == "list":
                assert lists[column.choices], column.name
        assert len(lists["categories"]) == len(SITE_CATEGORIES)
        assert len(lists["yes_no"]) == 2
    assert validation_lists("en")["yes_no"] == ["yes", "no"]
