"""Line typing on whole columns: the one-kind shortcuts give what the cell-by-cell path gives.

The reader types each column of a sheet as one array (:mod:`klimafotavtrykk.quantities._lines`).
A column holding one kind of cell (all text, all numbers, all empty) skips the gathering of
cells by kind; these tests hold such columns beside mixed ones, worked out by hand.
"""

from __future__ import annotations

import io
import warnings

import numpy as np
import openpyxl

from klimafotavtrykk.errors import DataQualityWarning
from klimafotavtrykk.quantities._lines import _text_cells, _texts
from klimafotavtrykk.quantities.excel import read_workbook
from klimafotavtrykk.quantities.numbers import read_numbers

HEADER = ["Postnr", "NS 3420", "Beskrivelse", "Enhet", "Mengde", "Bygningsdel"]


def _xlsx(rows) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "M"
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _read(rows):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataQualityWarning)
        return read_workbook(_xlsx(rows), "bud.xlsx")


def test_text_column_is_stripped_and_blank_text_is_none():
    cells = np.array([" Betong ", "", "  ", "m3"], dtype=object)
    text, numeric = _texts(cells)
    assert text.tolist() == ["Betong", None, None, "m3"]
    assert numeric.tolist() == [False, False, False, False]


def test_number_column_is_written_as_its_shortest_text():
    # 231.0 is a whole number -> "231"; 2.5 keeps its decimals; 1e15 is not < 1e15, so repr
    cells = np.array([231.0, 2.5, 7, 1e15], dtype=object)
    text, numeric = _texts(cells)
    assert text.tolist() == ["231", "2.5", "7", "1000000000000000.0"]
    assert numeric.all()


def test_mixed_column_takes_each_cell_by_its_kind():
    cells = np.array([" a", 3.0, True, ""], dtype=object)
    text, numeric = _texts(cells)
    assert text.tolist() == ["a", "3", "True", None]
    assert numeric.tolist() == [False, True, False, False]


def test_a_text_column_left_empty_is_blank_in_every_cell():
    # every cell "" (a bid's item codes left empty): None, not numeric, blank; a column that
    # starts empty but holds text further down, or holds only spaces, takes the full path
    text, numeric, blank = _text_cells(np.array(["", "", ""], dtype=object))
    assert text.dtype == object and text.tolist() == [None, None, None]
    assert numeric.tolist() == [False] * 3 and blank.tolist() == [True] * 3
    text, numeric, blank = _text_cells(np.array(["", " b ", ""], dtype=object))
    assert text.tolist() == [None, "b", None] and blank.tolist() == [True, False, True]
    text, numeric, blank = _text_cells(np.array(["  ", ""], dtype=object))
    assert text.tolist() == [None, None] and blank.tolist() == [True, True]


def test_an_empty_column_reads_as_empty_cells():
    got = read_numbers(np.array(["", "", ""], dtype=object))
    assert np.isnan(got.values).all()
    assert got.kind.tolist() == ["empty"] * 3
    assert got.found.tolist() == ["", "", ""] and got.detail.tolist() == ["empty cell"] * 3


def test_unit_cell_of_blanks_only_does_not_make_an_item_line():
    # row 3: a unit cell holding two spaces and no quantity is blank: a heading, not an item
    rows = [HEADER, ["1", "X", "Betong", "m3", 2.0], [None, None, "Kapittel 2", "  ", None],
            ["2", "X", "Stål", " tonn ", 1.5]]
    items, meta = _read(rows)
    assert items["description"].tolist() == ["Betong", "Stål"]
    assert items["unit"].tolist() == ["m3", "tonn"]
    assert items["quantity"].tolist() == [2.0, 1.5]
    assert meta.skipped["reason"].tolist() == ["header", "heading"]
    assert meta.skipped["source_ref"].tolist() == ["[bud.xlsx]M!A1", "[bud.xlsx]M!C3"]


def test_blocks_with_other_first_lines_are_not_repeats():
    # the blocks share their second line only: no block repeats another
    rows = [HEADER, ["Opsjon 1"], ["1", "X", "Maling", "m2", 5.0], ["2", "X", "Gulv", "m2", 7.0],
            ["Opsjon 2"], ["3", "X", "Tapet", "m2", 5.0], ["4", "X", "Gulv", "m2", 7.0]]
    items, meta = _read(rows)
    assert len(items) == 4
    assert not (meta.cells["kind"] == "duplicate_block").any()
    assert not any(w.startswith("duplicate_block") for w in meta.warnings)


def test_items_frame_has_its_dtypes():
    rows = [HEADER, ["1", "X", "Betong", "m3", 2.0, 216]]
    items, _ = _read(rows)
    assert items["row_id"].dtype == np.int64
    assert items["quantity"].dtype == np.float64 and items["transport_km"].dtype == np.float64
    assert items["description"].dtype == object and items["source_ref"].dtype == object
    assert items["building_part"].tolist() == ["216"]  # a number cell read as its text
