"""reconcile compares cells as written first and cleans only what differs: same findings as cleaning all.

The fast paths of :func:`klimafotavtrykk.tender.reference.reconcile` (keys
looked up as written; text compared as written before it is cleaned and
folded) must find exactly what cleaning every cell finds. Each case is a
three-line tender (posts 1, 2, 3; 10 m3 of "Betong B30") and a bid frame
built by hand, so the expected findings can be counted by eye.
"""

import numpy as np
import pandas as pd
import pytest

from klimafotavtrykk.tender.reference import reconcile, tender_quantities

TENDER = tender_quantities(pd.DataFrame({
    "source_ref": [f"[anbud.xlsx]Mengder!E{r}" for r in (2, 3, 4)],
    "post_number": ["1", "2", "3"], "item_code": None, "building_part": "23",
    "description": "Betong B30", "quantity": 10.0, "unit": "m3", "thickness_mm": np.nan}),
    file="anbud.xlsx")
KEYS = TENDER.lines["line_key"].tolist()


def bid(**changes) -> pd.DataFrame:
    frame = pd.DataFrame({
        "source_ref": [f"[b.xlsx]Materialer!E{r}" for r in (2, 3, 4)],
        "post_number": pd.Series(["1", "2", "3"], dtype=object),
        "item_code": pd.Series([None, None, None], dtype=object),
        "building_part": pd.Series(["23"] * 3, dtype=object),
        "description": pd.Series(["Betong B30"] * 3, dtype=object), "quantity": 10.0,
        "unit": pd.Series(["m3"] * 3, dtype=object), "thickness_mm": np.nan,
        "line_key": pd.Series(KEYS, dtype=object)})
    for column, (row, value) in changes.items():
        frame[column] = frame[column].astype(object)
        frame.loc[row, column] = value
    return frame


def kinds(frame) -> list[str]:
    return sorted(reconcile(frame, TENDER, file="b.xlsx").findings["kind"])


def test_a_key_with_stray_blanks_still_finds_its_line():
    # " <key>\t" cleans to the key: matched, nothing added or deleted
    assert kinds(bid(line_key=(1, f" {KEYS[1]}\t"))) == []


def test_text_that_differs_only_in_case_and_blanks_is_the_same():
    # "  betong   b30 " folds to "betong b30", as the tender's "Betong B30": no finding
    assert kinds(bid(description=(0, "  betong   b30 "), unit=(2, "M3"))) == []


def test_a_number_where_the_tender_has_text_is_compared_as_text():
    # building part 23.0 (a number cell) is written "23": the same; 24.0 is "24": changed
    assert kinds(bid(building_part=(0, 23.0))) == []
    assert kinds(bid(building_part=(0, 24.0))) == ["changed_building_part"]


def test_true_is_not_the_text_1():
    # True == 1 in Python, but a cell True is written "True", not the tender's post "1"
    assert kinds(bid(post_number=(0, True))) == ["changed_line"]


def test_a_changed_unknown_and_repeated_key():
    # row 0 carries an unknown key (added; tender line 1 deleted), row 2 repeats row 1's
    # key (duplicate; tender line 3 deleted): added 1, duplicate 1, deleted 2
    frame = bid(line_key=(0, "9#00000000"))
    frame.loc[2, "line_key"] = KEYS[1]
    assert kinds(frame) == ["added_line", "deleted_line", "deleted_line", "duplicate_line"]


def _cells(frame: pd.DataFrame) -> list:
    """Every cell's Python type and repr, column by column (NaN and None told apart)."""
    return [[(type(v).__name__, repr(v)) for v in frame[c].tolist()] for c in frame.columns]


def test_stacking_without_added_lines_is_the_concat():
    """No line added: the lines get the dtypes and values ``pd.concat`` gives them, cell for cell."""
    from pandas.testing import assert_frame_equal

    from klimafotavtrykk.tender.reference import _stacked

    first = pd.DataFrame({
        "row_id": np.array([4, 7], dtype=np.int64),  # beside float: float64 (4.0, 7.0)
        "small": np.array([1, 2], dtype=np.int32),  # beside int64: int64
        "flag": np.array([True, False]),  # beside int64: object holding the bools
        "text": pd.Series(["a", None], dtype="str"),  # beside object: object, NaN for None
        "obj": pd.Series(["x", None], dtype=object),
        "when": np.array(["2026-01-02", "NaT"], dtype="datetime64[s]"),  # beside object
        "same": pd.Series(["u", "v"], dtype="str"),  # beside str: stays str
        "num": np.array([0.5, np.nan]),
    }, index=[3, 9])  # not a RangeIndex: the result's is
    added = pd.DataFrame({
        "row_id": np.array([], dtype=float), "small": np.array([], dtype=np.int64),
        "flag": np.array([], dtype=np.int64), "text": pd.Series([], dtype=object),
        "obj": pd.Series([], dtype=object), "when": pd.Series([], dtype=object),
        "same": pd.Series([], dtype="str"), "num": np.array([], dtype=float)})
    expected = pd.concat([first, added], ignore_index=True)
    for _ in range(2):  # the second time from the remembered dtypes
        got = _stacked(first, added)
        assert_frame_equal(got, expected, check_exact=True)
        assert list(got.dtypes) == list(expected.dtypes)
        assert _cells(got) == _cells(expected)
    assert first["row_id"].dtype == np.int64  # the caller's frame is not changed
    one = first.iloc[:1]  # a line added: the concat itself
    assert_frame_equal(_stacked(first, one), pd.concat([first, one], ignore_index=True),
                       check_exact=True)


def test_none_among_equal_cells_found_as_pd_isna_finds_it():
    """Among cells equal to themselves, the cells found None are those ``pd.isna`` finds."""
    import datetime as dt

    from klimafotavtrykk._string_storage import none_cells as _is_none  # what _equal_cells calls

    cells = np.array(["Betong", None, 1, 1.5, True, "", dt.date(2026, 1, 2), None, "None"],
                     dtype=object)
    assert (cells == cells).all()  # each equal to itself, as the cells compared equal are
    assert _is_none(cells).tolist() == pd.isna(cells).tolist()
    assert _is_none(cells[:0]).tolist() == []


def test_every_blank_but_the_space_is_not_printable():
    """The key check's shortcut: printable text holds no blank that cleaning would change."""
    import re
    import sys

    from klimafotavtrykk.tender.reference import _not_clean

    blank = re.compile(r"[^\S ]")  # what str.split splits on, but the plain space
    printable_blanks = [c for c in map(chr, range(sys.maxunicode + 1))
                        if blank.match(c) and c.isprintable()]
    assert printable_blanks == []
    assert not _not_clean(["1.01#ab", "2 x#cd"])
    assert _not_clean(["1.01#ab", "2\u00a0x#cd"])  # a no-break space inside
    assert _not_clean(["1.01#ab", "2\tx#cd"])
    assert _not_clean(["1.01#ab", "2  x#cd"])  # doubled
    assert _not_clean([" 1.01#ab"])  # at an end
    assert not _not_clean(["2\u00e6x#cd", "\u2212"])  # other non-ASCII text: printable


def test_frames_without_rows_are_the_same_for_every_bid_and_each_its_own():
    # a bid that adds and deletes nothing: no row excluded, no finding. By hand: the bid's nine
    # columns and "exclusion" (object), no rows; findings source_ref, kind, detail (object)
    columns = [*bid().columns, "exclusion"]
    first = reconcile(bid(), TENDER, file="b.xlsx")
    second = reconcile(bid(), TENDER, file="b.xlsx")  # built once before: the same again
    for got in (first, second):
        assert list(got.excluded.columns) == columns and len(got.excluded) == 0
        assert list(got.excluded.dtypes) == [*bid().dtypes, np.dtype(object)]
        assert isinstance(got.excluded.index, pd.RangeIndex)
        assert list(got.findings.columns) == ["source_ref", "kind", "detail"]
        assert list(got.findings.dtypes) == [np.dtype(object)] * 3 and len(got.findings) == 0
    pd.testing.assert_frame_equal(first.excluded, second.excluded)
    # each bid its own frames: changing one changes no other
    first.excluded["note"] = pd.Series(dtype=object)
    first.findings["kind"] = first.findings["kind"].astype("category")
    third = reconcile(bid(), TENDER, file="b.xlsx")
    assert "note" not in second.excluded.columns and "note" not in third.excluded.columns
    assert third.findings["kind"].dtype == np.dtype(object)
    assert second.findings["kind"].dtype == np.dtype(object)
    # a bid that adds a line still lists it (row 2's key is none of the tender's)
    added = reconcile(bid(line_key=(2, "9.99#x")), TENDER, file="b.xlsx")
    assert added.excluded["exclusion"].tolist() == ["added_line"]
    assert added.excluded["source_ref"].tolist() == ["[b.xlsx]Materialer!E4"]


def _frame_of(column) -> pd.DataFrame:
    return pd.DataFrame({"x": column}, index=pd.RangeIndex(len(column)))


def test_tender_columns_given_as_a_frame_infers_them_from_their_values():
    """A matched line's tender column (``_restored``) is what ``iloc[rows].to_numpy()`` became.

    Text columns are given as their own text array where the frame would infer that type from
    the values again: a column with a value (python storage) at rows in order and shuffled;
    not a column with no value (inferred as float, not text), nor one in Arrow storage (the
    frame infers python storage from the values), nor an object column.
    """
    from pandas.testing import assert_frame_equal

    from klimafotavtrykk._string_storage import python_strings
    from klimafotavtrykk.tender.reference import TenderQuantities, _reference, _restored

    @python_strings
    def check():
        lines = pd.DataFrame({
            "line_key": ["1#a", "2#b", "3#c", "4#d"],
            "post_number": pd.Series(["1", None, "3", "4"], dtype="str"),
            "item_code": pd.Series([None] * 4, dtype="str"),  # no value: not a text array
            "building_part": pd.Series(["23", "24", "23", None],
                                       dtype=pd.StringDtype("pyarrow", na_value=np.nan)),
            "description": pd.Series(["a", None, 3, "d"], dtype=object),
            "quantity": [1.0, np.nan, 3.0, 4.0], "unit": pd.Series(["m3"] * 4, dtype="str"),
            "thickness_mm": np.nan, "source_ref": None})
        tender = TenderQuantities(file="t.xlsx", sha256=None, lines=lines)
        reference = _reference(tender)
        # worked out from the dtypes above: Arrow storage is text too, used only under its own storage
        assert set(reference.strings) == {"post_number", "building_part", "unit"}
        assert _reference(tender) is reference  # once per tender
        for rows, in_order in ((np.arange(4), True), (np.array([3, 0, 2]), False),
                               (np.array([1, 1]), False),  # no value among them: not text
                               (np.array([], dtype=np.int64), False)):  # no row: not text
            for name in ("post_number", "item_code", "building_part", "description",
                         "quantity", "unit", "thickness_mm"):
                got = _frame_of(_restored(reference, lines, name, rows, in_order))
                expected = _frame_of(lines[name].iloc[rows].to_numpy())
                assert_frame_equal(got, expected, check_exact=True)
                assert _cells(got) == _cells(expected)
                assert got.dtypes.iloc[0] == expected.dtypes.iloc[0]
        with pytest.raises(ValueError):  # the shared arrays are read-only
            reference.values["quantity"][0] = 2.0

    check()


def test_a_bid_in_the_tenders_order_and_shuffled_evaluates_the_same_lines():
    """Lines matched in order (no rows taken) and out of order (rows taken) give the same lines."""
    from pandas.testing import assert_frame_equal

    from klimafotavtrykk._string_storage import python_strings

    @python_strings
    def evaluated(frame):
        return reconcile(frame, TENDER, file="b.xlsx").evaluated

    in_order = evaluated(bid())
    shuffled = evaluated(bid().iloc[[2, 0, 1]].reset_index(drop=True))
    assert_frame_equal(shuffled, in_order.iloc[[2, 0, 1]].reset_index(drop=True),
                       check_exact=True)
    assert _cells(shuffled) == _cells(in_order.iloc[[2, 0, 1]])
    assert in_order["line_key"].dtype == object and in_order["line_key"].tolist() == KEYS
    assert in_order["post_number"].tolist() == ["1", "2", "3"]
    one_deleted = reconcile(bid().iloc[:2], TENDER, file="b.xlsx").evaluated  # a line stacked
    assert one_deleted["origin"].tolist() == ["bid", "bid", "tender"]
    assert one_deleted["line_key"].tolist() == KEYS


def test_keys_found_among_clean_tender_keys_are_not_checked_again():
    """Where every tender key is clean, keys found as written are; where one is not, all are cleaned.

    Worked out by hand: tender keys ``1#a`` and ``2 x#b`` are clean; a bid key `` 1#a`` is not
    found as written, cleaned to ``1#a`` (row 0), ``2 x#b`` is found (row 1). With a tender key
    ``2  x#b`` (doubled blank, a tender built by hand) the same key as written is found, but not
    clean: every key is cleaned, ``2 x#b`` is then no tender key (-1).
    """
    from klimafotavtrykk.tender.reference import (
        TenderQuantities,
        _key_index,
        _key_positions,
        _keys_clean,
    )

    def tender(keys):
        return TenderQuantities(file="t.xlsx", sha256=None,
                                lines=pd.DataFrame({"line_key": pd.Series(keys, dtype=object)}))

    clean, doubled = tender(["1#a", "2 x#b"]), tender(["1#a", "2  x#b"])
    assert _keys_clean(clean) and not _keys_clean(doubled)
    assert _keys_clean(TENDER)  # keys made by line_keys
    bid_keys = pd.Series([" 1#a", "2 x#b"], dtype=object)
    for flag in (True, False):  # the answer does not depend on the flag where the keys are clean
        assert _key_positions(bid_keys, _key_index(clean), flag).tolist() == [0, 1]
    assert _key_positions(pd.Series(["1#a", "2  x#b"], dtype=object), _key_index(doubled),
                          _keys_clean(doubled)).tolist() == [0, -1]
