"""The fast paths of the Excel reader: the cell grid and the paused garbage collector.

Both change only how fast a sheet is read, never what is read: the grid must hold
every cell where the row lists had it, and the collector must be left as it was found.
"""

import gc
import warnings
from pathlib import Path

import numpy as np
import pytest

from klimafotavtrykk.gc_pause import collector_paused
from klimafotavtrykk.quantities import read_boq
from klimafotavtrykk.quantities._lines import _grid
from klimafotavtrykk.quantities.excel import open_workbook

SKOLE = Path(__file__).resolve().parents[2] / "examples" / "skole.xlsx"


def test_grid_keeps_every_cell_in_place():
    # Three rows of three cells, of the kinds calamine gives: text, float, int, bool, "".
    rows = [["Postnr", "Mengde", ""], ["01.1", 12.5, 3], ["", True, "m2"]]
    grid = _grid(rows)
    assert grid.dtype == object and grid.shape == (3, 3)
    assert grid[1, 1] == 12.5 and type(grid[1, 2]) is int and grid[2, 1] is True
    assert grid.tolist() == rows


def test_grid_pads_ragged_rows_with_empty_text():
    # Widest row 3 cells: the short rows are filled with "" on the right.
    grid = _grid([["a"], ["b", 2.0, "c"], []])
    assert grid.tolist() == [["a", "", ""], ["b", 2.0, "c"], ["", "", ""]]


def test_grid_of_a_cell_that_is_itself_a_sequence_stays_one_cell():
    grid = _grid([[(1, 2), "x"], ["y", (3,)]])
    assert grid.shape == (2, 2) and grid[0, 0] == (1, 2) and grid[1, 1] == (3,)


def test_grid_of_no_rows_or_no_columns():
    assert _grid([]).shape == (0, 0)
    assert _grid([[], []]).shape == (2, 0)


@pytest.mark.parametrize("enabled", [True, False])
def test_pause_restores_the_collector_as_found(enabled):
    was = gc.isenabled()
    try:
        gc.enable() if enabled else gc.disable()
        with collector_paused():
            assert not gc.isenabled()
            with collector_paused():  # nested: the inner pause must not switch it back on
                pass
            assert not gc.isenabled()
        assert gc.isenabled() is enabled
        with pytest.raises(KeyError), collector_paused():
            raise KeyError("a read that fails half-way")
        assert gc.isenabled() is enabled
    finally:
        gc.enable() if was else gc.disable()


@pytest.mark.parametrize("enabled", [True, False])
def test_reading_leaves_the_collector_as_found(enabled):
    was = gc.isenabled()
    try:
        gc.enable() if enabled else gc.disable()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            items, _ = read_boq(SKOLE)
            book = open_workbook(SKOLE)
            again, _ = book.read()
            book.rows(0)
        assert gc.isenabled() is enabled
        assert len(items) == len(again) > 0
        assert np.array_equal(items["quantity"].to_numpy(), again["quantity"].to_numpy(),
                              equal_nan=True)
    finally:
        gc.enable() if was else gc.disable()
