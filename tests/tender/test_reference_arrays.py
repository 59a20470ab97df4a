"""reconcile compares cells as written first and cleans only what differs: same findings as cleaning all.

The fast paths of :func:`klimafotavtrykk.tender.reference.reconcile` (keys
looked up as written; text compared as written before it is cleaned and
folded) must find exactly what cleaning every cell finds. Each case is a
three-line tender (posts 1, 2, 3; 10 m3 of "Betong B30") and a bid frame
built by hand, so the expected findings can be counted by eye.
"""

import numpy as np
import pandas as pd

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
