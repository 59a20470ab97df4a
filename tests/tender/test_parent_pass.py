"""The parent's pass over many bids: per-pass helpers give each bid what it gets alone."""

import types
import warnings

import numpy as np
import pandas as pd
from hypothesis import example, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from klimafotavtrykk.tender.claims import _dates, _distinct_texts
from klimafotavtrykk.tender.epd_checks import _mapped
from klimafotavtrykk.tender.findings import empty_findings
from klimafotavtrykk.tender.materials import (
    _NOT_TOTAL,
    _TOTAL,
    _plain_line_totals,
    chosen_rows,
    line_totals,
    not_computed,
)
from klimafotavtrykk.tender.uncertainty import (
    bid_contributions,
    contribution_kinds,
    contributions_many,
)


def _lines(status, computed, scored, factor_id, index, epd_ids, dataset_type):
    match = types.SimpleNamespace(index=np.array(index), factor_id=np.array(factor_id, dtype=object))
    state = types.SimpleNamespace(status=np.array(status, dtype=object),
                                  computed=np.array(computed), scored=np.array(scored))
    claims = types.SimpleNamespace(dataset_type=np.array(dataset_type, dtype=object))
    return claims, match, np.array(epd_ids, dtype=object), state


def test_contributions_of_many_bids_are_each_bids_own():
    generic = types.SimpleNamespace(frame=pd.DataFrame({"material_group": ["betong", "stål"]}))
    # bid 0 (lines 0-3): EPD "E1" 10 + 20 kg -> epd|E1 30 kg; g1 5 kg; g1 not computed (left out).
    # bid 1 (lines 4-7): g2 1.5 + 2.5 kg -> generic|g2 4 kg ("stål"); E1 again, but an
    # industry EPD of bid 1 -> epd|E1 7 kg; a line without a factor (dropped).
    # bid 2 (line 8): not computed -> no contribution (None: made alone).
    claims, match, epd_ids, scored = _lines(
        status=["epd", "epd", "generic", "generic", "generic", "generic", "epd", "generic",
                "not_computed"],
        computed=[True, True, True, False, True, True, True, True, False],
        scored=[10.0, 20.0, 5.0, 7.0, 1.5, 2.5, 7.0, 3.0, np.nan],
        factor_id=["g1", "g1", "g1", "g1", "g2", "g2", "g1", None, "g1"],
        index=[0, 0, 0, 0, 1, 1, 0, -1, 0],
        epd_ids=["E1", "E1", None, None, None, None, "E1", None, None],
        dataset_type=["product_epd", "product_epd", None, None, None, None, "industry_epd",
                      None, None])
    bid = np.array([0, 0, 0, 0, 1, 1, 1, 1, 2])
    out = contributions_many(None, claims, match, epd_ids, scored, generic, bid, 3)
    assert out[0]["key"].tolist() == ["epd|E1", "generic|g1"]
    assert out[0]["kg_co2e"].tolist() == [30.0, 5.0]
    assert out[1]["key"].tolist() == ["epd|E1", "generic|g2"]
    assert out[1]["dataset_type"].tolist() == ["industry_epd", "generic"]
    assert out[1]["material_group"].tolist() == ["betong", "stål"]
    assert out[1]["kg_co2e"].tolist() == [7.0, 4.0]
    assert out[2] is None
    for j, rows in ((0, slice(0, 4)), (1, slice(4, 8))):  # the same frame as the bid alone
        alone = bid_contributions(
            None, types.SimpleNamespace(dataset_type=claims.dataset_type[rows]),
            types.SimpleNamespace(index=match.index[rows], factor_id=match.factor_id[rows]),
            epd_ids[rows], types.SimpleNamespace(status=scored.status[rows],
                                                 computed=scored.computed[rows],
                                                 scored=scored.scored[rows]), generic)
        pd.testing.assert_frame_equal(out[j], alone, check_exact=True)


def test_dates_converted_once_per_distinct_value_as_to_datetime_converts_them():
    column = pd.Series([pd.Timestamp("2029-12-31"), None, pd.Timestamp("2029-12-31"),
                        pd.Timestamp("2024-01-15"), np.nan], dtype=object, name="epd_valid_until",
                       index=[5, 6, 7, 8, 9])
    out = _dates(column)
    pd.testing.assert_series_equal(out, pd.to_datetime(column, errors="coerce"), check_exact=True)
    assert out.tolist()[0] == pd.Timestamp("2029-12-31") and out.isna().tolist() == [
        False, True, False, False, True]
    blank = pd.Series([None, None], dtype=object)
    pd.testing.assert_series_equal(_dates(blank), pd.to_datetime(blank, errors="coerce"))


def test_distinct_texts_are_the_texts_astype_str_makes():
    values = np.array(["m3", None, "m2", np.nan, "m3"], dtype=object)
    codes, texts = _distinct_texts(values)
    # "m3" and "m2" made once (codes 0 and 1); the two blanks get their own texts (2 and 3)
    assert codes.tolist() == [0, 2, 1, 3, 0]
    pd.testing.assert_series_equal(texts.iloc[codes].reset_index(drop=True),
                                   pd.Series(values, dtype=object).astype(str))


def test_mapped_looks_each_value_up_as_series_map():
    values = np.array(["a", None, "b", "a"], dtype=object)
    out = _mapped(values, {"a": 1})
    # "a" -> 1; a blank and a value the table lacks -> NaN
    assert np.array_equal(out, [1.0, np.nan, np.nan, 1.0], equal_nan=True)
    series_map = pd.Series(values, dtype=object).map({"a": 1}).to_numpy(dtype=float)
    assert np.array_equal(out, series_map, equal_nan=True)


def test_empty_findings_are_copies():
    first = empty_findings()
    first.loc[0] = ["a.xlsx", None, "uncommitted", "", "", 1.0, 2.0]
    again = empty_findings()
    assert len(again) == 0 and list(again.columns) == list(first.columns)
    assert again["kg_co2e"].dtype == float and again["kind"].dtype == object


def test_mass_per_base_of_lines_with_blank_units_as_each_line_alone():
    from klimafotavtrykk.factors import load_factors
    from klimafotavtrykk.tender.claims import claim_mass_per_base

    generic = load_factors()
    # a blank unit (None or NaN) has no dimension: the generic conversions stay as they are,
    # the bid's own mass per unit is not used; "m3" with 2 400 kg/m3 sets the volume mass.
    m = pd.DataFrame({"unit": np.array(["m3", None, "m3", np.nan], dtype=object),
                      "mass_per_unit": [2400.0, 50.0, np.nan, 10.0],
                      "thickness_mm": [np.nan] * 4})
    gidx = np.zeros(4, dtype=np.int64)
    together = claim_mass_per_base(generic, m, np.arange(4), gidx)
    for i in range(4):
        alone = claim_mass_per_base(generic, m.iloc[[i]].reset_index(drop=True), np.arange(1),
                                    gidx[:1])
        assert np.array_equal(together[i], alone[0], equal_nan=True)
    volume = 1  # DIMENSIONS: mass, volume, area, length, piece
    assert together[0, volume] == 2400.0
    expected = generic.mass_per_base[0].copy()  # the generic conversions, mass per kg 1
    expected[0] = 1.0
    assert np.array_equal(together[1], expected, equal_nan=True)
    assert np.array_equal(together[3], expected, equal_nan=True)


def test_committed_converted_once_per_distinct_value_as_astype_boolean():
    import pytest

    from klimafotavtrykk.tender.materials import _committed

    column = pd.Series([True, None, False, np.nan, True], dtype=object)
    # blanks are not committed
    assert _committed(column).tolist() == [True, False, False, False, True]
    for odd in ([True, 1], ["ja", True]):  # not bool-like: refused as astype("boolean") refuses
        with pytest.raises(TypeError):
            pd.Series(odd, dtype=object).astype("boolean")
        with pytest.raises(TypeError):
            _committed(pd.Series(odd, dtype=object))


def test_committed_of_python_and_numpy_booleans_and_every_blank_as_astype_boolean():
    from klimafotavtrykk.tender.materials import _committed

    # True, numpy True -> committed; False, numpy False and the four blanks (None, NaN, pd.NA,
    # NaT is not boolean-like so left out) -> not committed: what astype("boolean") and
    # fillna(False) give, written out by hand
    column = pd.Series([True, np.True_, False, np.False_, None, np.nan, pd.NA, True], dtype=object)
    assert _committed(column).tolist() == [True, True, False, False, False, False, False, True]
    assert _committed(column).tolist() == column.astype("boolean").fillna(False).tolist()
    assert _committed(pd.Series([None, None], dtype=object)).tolist() == [False, False]
    assert _committed(pd.Series([], dtype=object)).tolist() == []


def test_sorted_findings_by_kind_order_unknown_and_missing_first():
    from klimafotavtrykk.tender.findings import FINDING_KINDS, sorted_findings

    # FINDING_KINDS starts duplicate_file, duplicate_content, invalid_price; "reader" is last.
    # An unknown kind ("zzz") and a missing kind (None) sort before every known one, as a
    # category code of -1 did; within equal keys the order given stays (stable).
    assert FINDING_KINDS[:3] == ("duplicate_file", "duplicate_content", "invalid_price")
    assert FINDING_KINDS[-1] == "reader"
    frame = pd.DataFrame({"source_ref": ["r1", "r2", "r3", "r4", "r5", "r6"],
                          "kind": ["reader", "invalid_price", "zzz", "duplicate_file", None,
                                   "invalid_price"]})
    out = sorted_findings([frame, frame.iloc[:0]], "bud.xlsx")
    assert out["source_ref"].tolist() == ["r3", "r5", "r4", "r2", "r6", "r1"]
    assert out["file"].tolist() == ["bud.xlsx"] * 6
    assert list(out.columns) == list(empty_findings().columns)


def _plain_totals(k):
    """The plain sum: NaN as 0 in an F-ordered copy of the total's modules, NaN where all are NaN."""
    part = np.asfortranarray(k[:, _TOTAL])
    part[np.isnan(part)] = 0.0
    none = np.isnan(k).all(axis=1)
    with np.errstate(over="ignore", invalid="ignore"):
        return np.where(none, np.nan, np.nansum(part, axis=1))


def test_line_totals_worked_out_by_hand():
    # line 0: modules 1, 2 and 3.5 -> 6.5; line 1: every module NaN -> NaN; line 2: only the
    # module outside the total given -> 0 (the line is computed, its total modules are not);
    # line 3: -0.0 and NaN elsewhere -> +0.0 (summed onto a zero, as np.nansum does)
    k = np.full((4, len(_TOTAL) + len(_NOT_TOTAL)), np.nan)
    k[0, _TOTAL[:3]] = [1.0, 2.0, 3.5]
    k[0, _NOT_TOTAL] = 100.0
    k[2, _NOT_TOTAL] = 4.0
    k[3, _TOTAL[0]] = -0.0
    out = line_totals(k)
    assert out[0] == 6.5 and np.isnan(out[1]) and out[2] == 0.0
    assert out[3] == 0.0 and not np.signbit(out[3])


_VALUES = st.sampled_from([np.nan, -0.0, 0.0, np.inf, -np.inf]) | st.floats(-1e12, 1e12)


@settings(max_examples=200, deadline=None)
@example(k=np.full((1, len(_TOTAL) + len(_NOT_TOTAL)), 0.1))  # one line: numpy sums it pairwise
@given(k=hnp.arrays(np.float64, st.tuples(st.integers(0, 9000),
                                          st.just(len(_TOTAL) + len(_NOT_TOTAL))),
                    elements=_VALUES, fill=st.sampled_from([np.nan, 1.0, 0.1, -0.0])))
def test_line_totals_are_the_plain_sums_bit_for_bit(k):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        got = line_totals(k)
    with warnings.catch_warnings(record=True) as plain_caught:
        warnings.simplefilter("always")
        plain = _plain_line_totals(k)
    assert np.array_equal(got.view(np.int64), _plain_totals(k).view(np.int64))
    assert np.array_equal(got.view(np.int64), plain.view(np.int64))
    # an infinite sum warns as the plain sum does (the bid's notes carry the text)
    assert [str(w.message) for w in caught] == [str(w.message) for w in plain_caught]


def test_chosen_rows_worked_out_by_hand():
    base = np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
    fb = np.array([[10.0, 20.0], [30.0, 40.0], [50.0, 60.0]])
    gen = np.array([[-1.0, -2.0], [-3.0, -4.0], [-5.0, -6.0]])
    # line 0 from the fallback, line 2 from both (the last pair wins), line 1 left as it is
    out = chosen_rows(base, (np.array([True, False, True]), fb), (np.array([False, False, True]), gen))
    assert out.tolist() == [[10.0, 20.0], [3.0, 4.0], [-5.0, -6.0]]
    assert base.tolist() == [[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]  # not changed


@settings(max_examples=100, deadline=None)
@given(data=st.data(), n=st.integers(0, 50), k=st.integers(1, 5))
def test_chosen_rows_are_the_nested_where(data, n, k):
    arrays = [data.draw(hnp.arrays(np.float64, (n, k), elements=_VALUES)) for _ in range(3)]
    masks = [data.draw(hnp.arrays(np.bool_, n)) for _ in range(2)]
    plain = np.where(masks[1][:, None], arrays[2], np.where(masks[0][:, None], arrays[1], arrays[0]))
    got = chosen_rows(arrays[0], (masks[0], arrays[1]), (masks[1], arrays[2]))
    assert got.flags.c_contiguous and np.array_equal(got.view(np.int64), plain.view(np.int64))


@settings(max_examples=100, deadline=None)
@given(computed=st.lists(st.booleans(), max_size=30), data=st.data())
def test_not_computed_is_the_plain_test_on_every_line(computed, data):
    reason = np.array(data.draw(st.lists(st.sampled_from([None, "", "out_of_scope", "labour_only",
                                                          "no_factor", np.nan]),
                                         min_size=len(computed), max_size=len(computed))),
                      dtype=object)
    scored = types.SimpleNamespace(computed=np.array(computed, dtype=bool))
    emissions = types.SimpleNamespace(reason=reason)
    plain = ~scored.computed & (reason != "out_of_scope") & (reason != "labour_only")
    got = not_computed(emissions, scored)
    assert got.dtype == bool and got.tolist() == plain.tolist()


def test_contribution_kinds_worked_out_by_hand():
    epd = np.array([True, True, True, False, True])
    types = np.array(["product_epd", "industry_epd", "generic_data", "product_epd", None],
                     dtype=object)
    # a standing claim keeps a product or industry EPD; anything else, or no claim, is generic
    assert contribution_kinds(epd, types).tolist() == [
        "product_epd", "industry_epd", "generic", "generic", "generic"]


@settings(max_examples=150, deadline=None)
@given(data=st.data(), n=st.integers(0, 40))
def test_contribution_kinds_are_the_plain_wheres(data, n):
    epd = data.draw(hnp.arrays(np.bool_, n))
    types = np.array(data.draw(st.lists(st.sampled_from(
        ["product_epd", "industry_epd", "generic", "sector_epd", "", None, np.nan]),
        min_size=n, max_size=n)), dtype=object)
    generic_kind = np.array("generic", dtype=object)
    kind = np.where(epd, types, generic_kind).astype(object)
    known = (kind == "product_epd") | (kind == "industry_epd")
    plain = np.where(known, kind, generic_kind).astype(object)
    got = contribution_kinds(epd, types)
    assert got.dtype == object and got.tolist() == plain.tolist()
