"""Many bids computed together (tender.many) give each bid exactly what it gets alone.

The shared pass computes every line of every bid at once and cuts the
results back into bids; these tests compare it, field by field and frame by
frame with exact values, with each bid computed by itself
(:func:`~klimafotavtrykk.tender.evaluation.evaluate_bid`). The bids are the
shipped examples (EPD claims that pass, fail a check, expire or exceed a
product limit; uncommitted lines and site rows; tender lines changed and
deleted) and bids built here for what they lack.
"""

import dataclasses
import math
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from klimafotavtrykk.errors import WeightWarning
from klimafotavtrykk.tender import batch as batch_module
from klimafotavtrykk.tender import (
    evaluate_bid,
    load_competition,
    many,
    read_bid,
    score_bids,
)
from klimafotavtrykk.tender.many import evaluate_many, prepare_bid
from klimafotavtrykk.tender.quality import read_quality
from klimafotavtrykk.tender.template import write_template

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "anbud"


def same(a, b) -> bool:
    """Equal, NaN equal to NaN, frames with the same values, types and index."""
    if isinstance(a, pd.DataFrame):
        pd.testing.assert_frame_equal(a, b, check_exact=True)
        return True
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, tuple):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a):
        return math.isnan(b)
    return a == b


def assert_same_summary(together, alone):
    for f in dataclasses.fields(alone):
        assert same(getattr(together, f.name), getattr(alone, f.name)), f.name


@pytest.fixture(scope="module")
def example():
    return load_competition(EXAMPLES / "konkurranse.toml")


@pytest.mark.parametrize("detail", [False, True])
def test_example_bids_together_are_each_bid_alone(example, detail):
    files = sorted((EXAMPLES / "bud").glob("*.xlsx"))
    bids = [read_bid(f) for f in files]
    together = evaluate_many([prepare_bid(b, example) for b in bids], example, detail=detail)
    for bid, summary in zip(bids, together, strict=True):
        assert_same_summary(summary, evaluate_bid(bid, example, detail=detail))


def _site_bid(path, site):
    rows = pd.DataFrame({"description": ["Betong B30"], "quantity": [10.0], "unit": ["m3"],
                         "building_part": ["251"]})
    return write_template(path, rows=rows, site=site,
                          declaration={"bidder": path.stem, "price_nok": 1e6})


def test_a_site_warning_is_the_warned_bids_own(tmp_path, example):
    # machine hours without a machine class warn (the default class is assumed): the warning
    # counts that bid's rows only, as when it is computed alone; the other bid has none
    hours = pd.DataFrame({"category": ["maskin"], "machine": ["G1"], "carrier": ["diesel"],
                          "quantity": [100.0], "unit": ["h"], "rated_power_kw": [150.0],
                          "committed": ["ja"]})
    litres = pd.DataFrame({"category": ["maskin"], "machine": ["G2"], "carrier": ["diesel"],
                           "quantity": [800.0], "unit": ["l"], "committed": ["nei"]})
    comp = dataclasses.replace(example, tender_quantities=None)
    bids = [read_bid(_site_bid(tmp_path / "a.xlsx", hours)),
            read_bid(_site_bid(tmp_path / "b.xlsx", litres))]
    together = evaluate_many([prepare_bid(b, comp) for b in bids], comp)
    alone = [evaluate_bid(b, comp) for b in bids]
    assert any("machine_class" in w for w in alone[0].warnings)
    assert not any("machine_class" in w for w in alone[1].warnings)
    for t, a in zip(together, alone, strict=True):
        assert_same_summary(t, a)


def test_a_bid_that_breaks_the_shared_pass_is_computed_alone(tmp_path, example, monkeypatch):
    bids = [read_bid(f) for f in sorted((EXAMPLES / "bud").glob("*.xlsx"))[:2]]
    read = [prepare_bid(b, example) for b in bids]

    def broken(*args, **kwargs):
        raise RuntimeError("shared pass failed")

    monkeypatch.setattr(many, "line_emissions", broken)  # the shared pass only: alone is unchanged
    alone_calls = []
    real = many.alone
    monkeypatch.setattr(many, "alone", lambda r, *a, **k: alone_calls.append(r) or real(r, *a, **k))
    together = evaluate_many(read, example)
    assert len(alone_calls) == 2
    for t, b in zip(together, bids, strict=True):
        assert_same_summary(t, evaluate_bid(b, example))


def test_passes_of_any_size_give_the_same_evaluation(example, monkeypatch):
    quality = read_quality(EXAMPLES / "kvalitet.csv", example.rule.max_points)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", WeightWarning)
        one = score_bids(example, EXAMPLES / "bud", quality=quality, detail=True)
        monkeypatch.setattr(batch_module, "LINES_PER_PASS", 1)  # a pass per bid
        each = score_bids(example, EXAMPLES / "bud", quality=quality, detail=True)
    for name in ("ranking", "points", "rejected", "findings", "lines", "by_module"):
        pd.testing.assert_frame_equal(getattr(one, name), getattr(each, name), check_exact=True)
    assert one.warnings == each.warnings and one.notices == each.notices


def test_cut_rows_of_a_material_state_number_from_zero():
    from klimafotavtrykk.tender.materials import _cut

    series = pd.Series([1.0, 2.0, 3.0, 4.0])
    assert _cut(series, 1, 3).index.tolist() == [0, 1]
    assert _cut(series, 1, 3).tolist() == [2.0, 3.0]
    assert _cut({"a": np.arange(4)}, 2, 4)["a"].tolist() == [2, 3]


def test_generic_matcher_matches_each_text_once_and_as_generic_match(factors, mappings,
                                                                    monkeypatch):
    # "Betong" and "Armering" match the hand factors by alias (tests/tender/conftest.py);
    # "Maling" matches nothing; a blank description and a missing code count as no text
    lines = pd.DataFrame({"description": ["Betong B30", "Armering", None, "Maling", "Betong B30"],
                          "item_code": [None, "LC2.117", None, None, None]})
    calls = []
    real = many.generic_match
    monkeypatch.setattr(many, "generic_match", lambda m, *a: calls.append(len(m)) or real(m, *a))
    matcher = many.GenericMatcher(factors, mappings)
    first = matcher(lines)
    again = matcher(lines.iloc[::-1].reset_index(drop=True))
    assert calls == [4]  # four distinct (description, code) pairs, matched once for both calls
    expected = real(lines, factors, mappings)
    assert first.index.tolist() == expected.index.tolist() == [0, 1, -1, -1, 0]
    assert first.factor_id.tolist() == ["concrete", "rebar", None, None, "concrete"]
    assert again.index.tolist() == expected.index.tolist()[::-1]


def test_site_rows_of_many_bids_are_each_bids_alone():
    # Bid 0: a committed diesel row and an uncommitted one (its fallback row is row 2 of its
    # own calculation); bid 1: one uncommitted row; bid 2: one committed row. Cut back from
    # the one calculation, every bid has the rows, numbers and choices it has alone.
    from klimafotavtrykk.tender.reader import bid_frames
    from klimafotavtrykk.tender.site_energy import site_rows, site_rows_many

    def site(*rows):
        frame = pd.DataFrame(rows, columns=["category", "machine", "carrier", "quantity", "unit",
                                            "committed"])
        frame.insert(0, "source_ref", [f"[b.xlsx]Byggeplass!F{i + 2}" for i in range(len(frame))])
        return bid_frames(pd.DataFrame({"source_ref": [], "quantity": []}), frame)[1]

    bids = [site(("maskin", "G1", "diesel", 100.0, "l", "ja"),
                 ("maskin", "G1", "HVO100", 50.0, "l", "nei")),
            site(("energi", None, "elektrisitet", 1000.0, "kWh", "nei")),
            site(("maskin", "G1", "diesel", 20.0, "l", "ja"),
                 ("maskin", "G2", "tryllestøv", 30.0, "l", "ja"))]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        together = site_rows_many(bids, "diesel")
        alone = [site_rows(b, "diesel") for b in bids]
    # claimed rows + fallbacks, computed or not (diesel in kWh is not: bid 1's fallback); a
    # carrier no table knows has a fallback row though committed (bid 2's second row)
    assert [len(s.result.lines) + len(s.result.unmatched) for s in together] == [3, 2, 3]
    assert together[2].no_carrier.tolist() == [False, True]
    for shared, own in zip(together, alone, strict=True):
        for part in ("lines", "unmatched"):
            pd.testing.assert_frame_equal(getattr(shared.result, part).reset_index(drop=True),
                                          getattr(own.result, part).reset_index(drop=True),
                                          check_exact=True, check_dtype=part == "lines")
    # (the unmatched rows' text columns are object alone and str in a shared calculation,
    # as before this test; their values are equal)
        for name in ("committed", "claimed", "scored", "use_fallback", "chosen", "computed",
                     "no_carrier", "counted"):
            np.testing.assert_array_equal(getattr(shared, name), getattr(own, name))


def test_own_values_accepted_by_row_are_the_same_together_and_alone(tmp_path, example):
    # Two bids type 0 km on both their lines; the client accepts bid a's row 3 only (by the
    # cell the finding names) and bid b whole. In one pass, every bid is what it is alone.
    rows = pd.DataFrame({"description": ["Plasstøpt betong B30", "Plasstøpt betong B30"],
                         "quantity": [10.0, 20.0], "unit": ["m3", "m3"], "building_part": ["251", "251"],
                         "transport_km": [0.0, 0.0], "committed": ["ja", "ja"]})
    site = pd.DataFrame({"category": ["maskin"], "machine": ["G1"], "carrier": ["diesel"],
                         "quantity": [100.0], "unit": ["l"], "committed": ["ja"]})
    files = [write_template(tmp_path / f"{name}.xlsx", rows=rows, site=site,
                            declaration={"bidder": name, "price_nok": 1e6}) for name in ("a", "b")]
    comp = dataclasses.replace(example, tender_quantities=None,
                               accepted_scenarios=("[a.xlsx]Materialer!O3", "b.xlsx"))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        bids = [read_bid(f) for f in files]
        together = evaluate_many([prepare_bid(b, comp) for b in bids], comp)
        alone = [evaluate_bid(b, comp) for b in bids]
    for summary, own in zip(together, alone, strict=True):
        assert_same_summary(summary, own)
    kinds = {s.file: s.findings["kind"].tolist() for s in together}
    assert kinds["a.xlsx"].count("scenario_accepted") == 1 and kinds["a.xlsx"].count("scenario_not_counted") == 1
    assert kinds["b.xlsx"].count("scenario_accepted") == 2
