"""The content fingerprint hashes columns as arrays and tells the same cells apart as before.

:func:`content_fingerprint` hashes each column of a bid's frames as a whole
(numbers as their array's bytes, text as codes and distinct values). These
tests pin what counts as the same content: the same cells under another file
name and bidder are the same; any one changed cell, including a cell whose
only change is its type (``1`` against ``1.0``), is not.
"""

import numpy as np
import pandas as pd

from klimafotavtrykk.tender.duplicates import content_fingerprint
from klimafotavtrykk.tender.reader import Bid


def bid(file="a.xlsx", materials=None, site=None, price=1e6, bidder="A AS") -> Bid:
    m = materials if materials is not None else pd.DataFrame({
        "source_ref": [f"[{file}]Materialer!E2", f"[{file}]Materialer!E3"],
        "description": ["Betong B30", "Armering"],
        "quantity": [10.0, 2.5],
        "epd_gwp_a1a3": [200.0, np.nan],
        "epd_valid_until": pd.to_datetime(["2030-01-01", None]),
        "committed": pd.Series([True, None], dtype=object),
        "product": pd.Series([None, None], dtype=object),
    })
    s = site if site is not None else pd.DataFrame({
        "source_ref": [f"[{file}]Byggeplass!D2"], "carrier": ["diesel"], "litres": [8000.0]})
    return Bid(file=file, sha256=None, materials=m, site=s,
               declaration={"bidder": bidder, "price_nok": price}, findings=pd.DataFrame())


def test_same_cells_under_another_name_and_bidder_are_the_same_content():
    assert content_fingerprint(bid("a.xlsx")) == content_fingerprint(bid("b.xlsx", bidder="B AS"))


def test_a_copy_renamed_with_a_bracket_is_still_the_same_content():
    # A bidder who copies another bid and names the file "kopi]x.xlsx" made the reference
    # "[kopi]x.xlsx]Materialer!E2"; stripping only up to the first "]" left "x.xlsx]" in every
    # reference, so the copy's fingerprint differed and the copy went unflagged.
    assert content_fingerprint(bid("kopi]x.xlsx")) == content_fingerprint(bid("a.xlsx"))
    assert content_fingerprint(bid("[a]].xlsx")) == content_fingerprint(bid("a.xlsx"))


def test_one_changed_cell_or_price_is_other_content():
    base = content_fingerprint(bid())
    changed = bid().materials.copy()
    changed.loc[1, "quantity"] = 2.6
    assert content_fingerprint(bid(materials=changed)) != base
    text = bid().materials.copy()
    text.loc[0, "description"] = "Betong B35"
    assert content_fingerprint(bid(materials=text)) != base
    assert content_fingerprint(bid(price=1e6 + 1)) != base
    cell = bid().materials.copy()
    cell["source_ref"] = ["[a.xlsx]Materialer!E2", "[a.xlsx]Materialer!E4"]  # another row
    assert content_fingerprint(bid(materials=cell)) != base


def test_missing_values_are_one_value_however_spelled():
    # None, NaN and pd.NA in a text column are all an empty cell, as they were in the CSV text
    a = bid().materials.assign(product=pd.Series([None, None], dtype=object))
    b = bid().materials.assign(product=pd.Series([np.nan, pd.NA], dtype=object))
    assert content_fingerprint(bid(materials=a)) == content_fingerprint(bid(materials=b))


def test_cells_that_factorize_alike_but_differ_are_told_apart():
    # factorizing equates 1, 1.0 and True; the fingerprint writes such columns cell by cell
    one = bid().materials.assign(product=pd.Series([1, "x"], dtype=object))
    one_float = bid().materials.assign(product=pd.Series([1.0, "x"], dtype=object))
    assert content_fingerprint(bid(materials=one)) != content_fingerprint(bid(materials=one_float))
    zero = bid().materials.assign(product=pd.Series([0.0, 1.0], dtype=object))
    minus_zero = bid().materials.assign(product=pd.Series([-0.0, 1.0], dtype=object))
    assert content_fingerprint(bid(materials=zero)) != content_fingerprint(bid(materials=minus_zero))


def test_a_value_moved_to_the_next_column_is_other_content():
    # the column boundaries are in the hash: "ab" + "" is not "a" + "b"
    a = bid().materials.assign(description=["ab", "Armering"], product=["", None])
    b = bid().materials.assign(description=["a", "Armering"], product=["b", None])
    assert content_fingerprint(bid(materials=a)) != content_fingerprint(bid(materials=b))


def test_an_empty_text_and_a_column_of_blanks_are_blank_cells_whatever_the_dtype():
    # "" and None were both the empty CSV cell; so was a column of NaN, of None or of NaT
    a = bid().materials.assign(product=pd.Series(["", "x"], dtype=object),
                               epd_gwp_a1a3=np.nan)
    b = bid().materials.assign(product=pd.Series([None, "x"], dtype=object),
                               epd_gwp_a1a3=pd.Series([None, None], dtype=object))
    assert content_fingerprint(bid(materials=a)) == content_fingerprint(bid(materials=b))
    c = bid().materials.assign(product=pd.Series(["x", "x"], dtype=object))
    assert content_fingerprint(bid(materials=a)) != content_fingerprint(bid(materials=c))


def test_empty_text_is_missing_wherever_it_first_appears():
    # Blanks found among the distinct values: "" before, between or after texts, and a
    # column of only "" and None, hash as the same cells with None there.
    for cells in (["", "x", "y", ""], ["x", "", "y", None], ["x", "y", "", ""], ["", None, "", None]):
        given = bid().materials.iloc[[0, 1, 0, 1]].reset_index(drop=True)
        blanks = given.assign(product=pd.Series(cells, dtype=object))
        nones = given.assign(product=pd.Series([c or None for c in cells], dtype=object))
        assert content_fingerprint(bid(materials=blanks)) == content_fingerprint(bid(materials=nones))
    other = bid().materials.iloc[[0, 1, 0, 1]].reset_index(drop=True)
    a = other.assign(product=pd.Series(["", "x", "y", ""], dtype=object))
    b = other.assign(product=pd.Series(["", "y", "x", ""], dtype=object))
    assert content_fingerprint(bid(materials=a)) != content_fingerprint(bid(materials=b))


def test_file_part_removed_as_the_pattern_removes_it():
    # The fast removal (one prefix, replaced) must give what the regex gives, on the usual
    # references and on every shape where the two could part: other files, "]" or NUL
    # inside a file part, a reference without one, an empty file part.
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from klimafotavtrykk.tender.duplicates import _FILE_PART, _without_file_part

    usual = "\x00" + "\x00".join(f"[bud_0001.xlsx]Materialer!E{i}" for i in range(2, 50))
    assert _without_file_part(usual) == "\x00" + "\x00".join(
        f"Materialer!E{i}" for i in range(2, 50))  # the file part gone from each, by hand
    for joined in ("\x00[a]x\x00[b]y", "\x00[a]x\x00y", "\x00[a]]x\x00[a]]y", "\x00[]x\x00[]y",
                   "\x00[a\x00[a]x", "\x00x]\x00x]", "\x00[a]x\x00[a]", "\x00[a]x[a]\x00[a]y"):
        assert _without_file_part(joined) == _FILE_PART.sub("\x00", joined), repr(joined)

    texts = st.lists(st.text(alphabet="[]a!\x00", max_size=6), min_size=1, max_size=6)

    @settings(max_examples=400, deadline=None)
    @given(texts, st.text(alphabet="[]ab\x00", max_size=4))
    def same(refs, file):
        joined = "\x00" + "\x00".join(f"[{file}]{r}" for r in refs)
        assert _without_file_part(joined) == _FILE_PART.sub("\x00", joined)
        plain = "\x00" + "\x00".join(refs)
        assert _without_file_part(plain) == _FILE_PART.sub("\x00", plain)

    same()


def test_a_column_of_none_gives_the_bytes_factorizing_gives(monkeypatch):
    """The all-None shortcut gives each column the bytes of the coding it skips."""
    from klimafotavtrykk.tender import duplicates

    columns = [
        pd.Series([None] * 3, dtype=object),  # the shortcut: no distinct value
        pd.Series([None, pd.NA, None], dtype=object),  # NA: coded, one missing value too
        pd.Series([pd.NA, True, None], dtype=object),  # first cell NA: coded
        pd.Series([None, "", None], dtype=object),  # an empty text is a missing cell
        pd.Series([None, "Betong"], dtype=object),
        pd.Series([], dtype=object),
    ]
    shortcut = [duplicates._column_bytes(c) for c in columns]
    monkeypatch.setattr(duplicates, "_all_none", lambda array: False)
    assert shortcut == [duplicates._column_bytes(c) for c in columns]
    assert shortcut[0] == shortcut[1] == shortcut[3]  # all three: 3 missing cells, "none"
    assert shortcut[0][0] == "none"
