"""Paths that keep calculate's fixed cost low give the frames the full path gives."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

import klimafotavtrykk as kf
from klimafotavtrykk import assessment
from klimafotavtrykk.assessment import calculation, declared, reasons


def _lines(**extra):
    lines = pd.DataFrame({"factor_id": ["concrete_c30_37", "concrete_c30_37"],
                          "quantity": [2.0, 3.0], "unit": ["m3", "m3"],
                          "building_part": ["251", "231"]})
    return lines.assign(**extra)


LAYOUTS = [
    {},
    {"note": pd.Series(["a", "b"], dtype=object)},
    {"note": pd.Categorical(["a", "b"])},
    {"note": pd.Categorical(["a", "c"])},
    {"description": ["Plasstøpt betong", None]},
]


@pytest.mark.parametrize("profile", ["tek17", "en15978"])
def test_no_unmatched_frame_is_the_one_built_for_it(monkeypatch, profile):
    fast = [kf.calculate(_lines(**extra), profile).unmatched for extra in LAYOUTS]
    monkeypatch.setattr(calculation, "_none_unmatched", lambda items, build, *layout: build())
    for extra, cached in zip(LAYOUTS, fast, strict=True):
        built = kf.calculate(_lines(**extra), profile).unmatched
        assert len(built) == 0
        pd.testing.assert_frame_equal(cached, built, check_exact=True)
        assert list(cached.dtypes) == list(built.dtypes)


def test_cached_empty_frame_is_a_copy():
    first = kf.calculate(_lines(), "tek17").unmatched
    first["reason"] = "changed"  # a caller's own frame
    again = kf.calculate(_lines(), "tek17").unmatched
    assert "changed" not in again["reason"].tolist()


def test_part_scope_by_prefix():
    # tek17 counts parts starting 215, 216, 22 ... 26 (data/profiles/tek17.toml): 251 is in
    # scope; 311 (technical installations) and 211 (starts with 21, but not 215 or 216) are not
    lines = pd.concat([_lines(), _lines().iloc[:1]], ignore_index=True).assign(
        building_part=["251", "311", "211"])
    result = kf.calculate(lines, "tek17")
    assert result.unmatched["reason"].tolist() == ["out_of_scope", "out_of_scope"]
    # the one line in scope: 2 m3 of concrete, all of it in part 25
    assert list(result.by_building_part.index) == ["25"]
    assert np.isfinite(result.total)


def test_nothing_derived_read_only_equals_the_written_frame():
    from klimafotavtrykk.factors import load_factors
    from klimafotavtrykk.lifecycle.geometry import derive_dimensions

    table = load_factors()
    texts = pd.Series(["Betong", "Stål"])
    factor = np.array([0, 1])
    mass = np.array([0, 0])  # lines in kg: nothing to read from their texts
    written = derive_dimensions(texts, factor, mass, np.full(2, np.nan), table)
    shared = derive_dimensions(texts, factor, mass, np.full(2, np.nan), table, read_only=True)
    pd.testing.assert_frame_equal(written, shared, check_exact=True)
    written.loc[0, "thickness"] = 0.1  # the default frame is the caller's to change
    assert written.loc[0, "thickness"] == 0.1


#: Bills lacking some of the text columns calculate makes only when a frame shows them, with
#: the given columns in other orders (row_id given last, before them, none; an empty bill).
DEFERRED_LAYOUTS = [
    _lines(),
    _lines(row_id=[7, 8]),
    _lines(row_id=[7, 8])[["row_id", "quantity", "unit", "building_part", "factor_id"]],
    _lines(description=["Plasstøpt betong B30", None]),
    _lines(transport_mode=["truck_concrete", None], post_number=["1.1", "1.2"]),
    _lines(source_ref=["a.xlsx!A1", None], item_code=[None, "LB2"])[
        ["unit", "source_ref", "quantity", "factor_id", "item_code", "building_part"]],
    _lines().iloc[0:0],
]


@pytest.mark.parametrize("lines", DEFERRED_LAYOUTS, ids=range(len(DEFERRED_LAYOUTS)))
def test_deferred_columns_complete_to_the_prepared_lines(lines):
    """The prepared lines without the absent text columns, completed, are prepare_lines'."""
    from klimafotavtrykk.assessment.lines_in import _prepared_lines

    lean, deferred = _prepared_lines(lines, defer=True)
    expected = assessment.prepare_lines(lines)
    assert set(deferred.names) == ({"source_ref", "post_number", "item_code", "description",
                                    "transport_mode"} - set(lines.columns))
    assert not set(deferred.names) & set(lean.columns)  # not made
    completed = deferred.complete(lean)
    pd.testing.assert_frame_equal(completed, expected, check_exact=True)
    assert list(completed.dtypes) == list(expected.dtypes)
    assert list(lean.columns) == [c for c in expected.columns if c not in deferred.names]


@pytest.mark.parametrize("lines", DEFERRED_LAYOUTS[:-1], ids=range(len(DEFERRED_LAYOUTS) - 1))
def test_frames_of_a_bill_with_deferred_columns_hold_them_in_place(lines):
    """result.lines and result.unmatched show every line column, where prepare_lines puts it,
    whether the line computes or not (the second line's part, 311, is out of tek17's scope)."""
    lines = lines.assign(building_part=["251", "311"])
    result = kf.calculate(lines, "tek17")
    prepared = list(assessment.prepare_lines(lines).columns)
    for frame in (result.lines, result.unmatched):
        assert len(frame) == 1
        assert list(frame.columns[:len(prepared)]) == prepared
        absent = {"source_ref", "post_number", "item_code", "description",
                  "transport_mode"} - set(lines.columns)
        for name in absent:
            assert frame[name].dtype == object and frame[name].isna().all()


@pytest.mark.parametrize("index", [pd.RangeIndex(3), pd.Index([5, 2, 9])], ids=["range", "own"])
def test_nothing_derived_is_what_derive_dimensions_gives_lines_in_mass_and_volume(index):
    from klimafotavtrykk.factors import load_factors
    from klimafotavtrykk.lifecycle.geometry import (
        derive_dimensions,
        dimensions_may_be_read,
        nothing_derived,
    )
    from klimafotavtrykk.vocabulary import DIMENSIONS

    table = load_factors()
    texts = pd.Series(["Plate 200 mm", "Rør 110 mm", "Bjelke HEB 240"], index=index)
    dims = np.array([DIMENSIONS.index("mass"), DIMENSIONS.index("volume"), -1])
    assert not dimensions_may_be_read(dims)
    expected = derive_dimensions(texts, np.array([0, 1, -1]), dims, np.full(3, np.nan), table,
                                 read_only=True)
    for _ in range(2):  # made, then given again
        pd.testing.assert_frame_equal(nothing_derived(index), expected, check_exact=True)
    for unit in ("area", "length", "piece"):  # lines whose text may be read
        assert dimensions_may_be_read(np.append(dims, DIMENSIONS.index(unit)))


def test_calculate_without_a_unit_to_read_texts_for_reads_none(monkeypatch):
    """Lines in m3 and kg only: the texts are never parsed (each 'mm' here would be read)."""
    called = []
    monkeypatch.setattr(declared, "derive_dimensions", lambda *a, **k: called.append(1))
    lines = _lines(description=["Vegg 200 mm", "Dekke 250 mm"])
    result = kf.calculate(lines, "tek17")
    assert not called
    assert result.lines["dimension_source"].isna().all()


@given(st.lists(st.sampled_from(["215", "216", "22", "231", "2", "3111", ""]), min_size=1,
                max_size=6, unique=True),
       st.lists(st.integers(-1, 5), max_size=40), st.booleans())
def test_two_digit_groups_without_counting_lines_is_the_counted_result(parts, picks, blank):
    """When every part is some line's, saying whether a line has none gives the same groups."""
    parts = np.array([p for p in parts if p or blank] or ["215"], dtype=object)
    # every part used once, then lines picked at random (-1: a line without a part)
    codes = np.array([*range(len(parts)), *(p for p in picks if p < len(parts))], dtype=np.int64)
    counted = reasons._two_digit_groups(codes, parts)
    told = reasons._two_digit_groups(codes, parts, some_without=bool((codes < 0).any()))
    np.testing.assert_array_equal(told[0], counted[0])
    assert told[1].tolist() == counted[1].tolist()


def test_two_digit_groups_worked_example():
    # parts 215 and 216 fall in group 21, 231 in 23; a line without a part is group ""
    parts = np.array(["215", "231", "216"], dtype=object)
    codes = np.array([0, 1, 2, -1, 0])
    for some_without in (None, True):
        group, labels = reasons._two_digit_groups(codes, parts, some_without=some_without)
        assert labels.tolist() == ["", "21", "23"]
        assert group.tolist() == [1, 2, 1, 0, 1]


def test_cached_empty_frame_keeps_its_names_when_the_callers_change():
    first = kf.calculate(_lines(), "tek17").unmatched
    first.index.name, first.columns.name = "mine", "also mine"
    first.attrs["note"] = "the caller's"
    again = kf.calculate(_lines(), "tek17").unmatched
    assert again.index.name is None and again.columns.name is None
    assert "note" not in again.attrs
