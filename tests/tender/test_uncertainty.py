"""How sure a bid ranking is (klimafotavtrykk.tender.uncertainty); values worked by hand."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import klimafotavtrykk as kf
from klimafotavtrykk.scoring import ScoringRule, score
from klimafotavtrykk.tender.batch import evaluate_summaries, score_bid
from klimafotavtrykk.tender.evaluation import BidSummary
from klimafotavtrykk.tender.uncertainty import ranking_uncertainty, sampled_points

ROOT = Path(__file__).parents[2]
CLIMATE_ONLY = ScoringRule(climate_weight=1.0, climate_model="dfo_linear", basis="kg_co2e",
                           min_climate_weight=0.0)


def summary(file, parts):
    """A valid bid whose scored materials are ``parts``: (key, dataset_type, kg CO2e) each."""
    contributions = pd.DataFrame({
        "key": [p[0] for p in parts], "factor_id": [p[0].split("|")[1] for p in parts],
        "dataset_type": [p[1] for p in parts], "material_group": "", "kg_co2e": [p[2] for p in parts]})
    return BidSummary(file=file, ok=True, kg_co2e=float(sum(p[2] for p in parts)),
                      contributions=contributions)


def scored(rule, summaries):
    emissions = pd.Series({s.file: s.kg_co2e for s in summaries})
    return score(rule, emissions)


def test_bids_far_apart_are_surely_ranked():
    # 100 t of a product EPD (gsd 1.0289) against 200 t of another: ln(200/100) = 0.693 is
    # about 17 standard deviations of ln(A/B) (sqrt(2) x ln 1.0289 = 0.0403): P = 1
    bids = [summary("a.xlsx", [("epd|A", "product_epd", 100_000.0)]),
            summary("b.xlsx", [("epd|B", "product_epd", 200_000.0)])]
    u = ranking_uncertainty(CLIMATE_ONLY, scored(CLIMATE_ONLY, bids), bids, n=2_000, seed=1)
    assert u.pairs[["better", "worse"]].values.tolist() == [["a.xlsx", "b.xlsx"]]
    assert u.pairs.loc[0, "probability_lower"] == 1.0
    assert not u.pairs.loc[0, "within_uncertainty"]
    assert (u.winner, u.winner_probability, u.within_uncertainty) == ("a.xlsx", 1.0, False)
    assert u.matrix.loc["b.xlsx", "a.xlsx"] == 0.0
    assert u.samples.shape == (2_000, 2)


def test_equal_bids_are_an_even_chance():
    # two equal totals of two generic factors drawn apart: by symmetry P = 0.5
    bids = [summary("a.xlsx", [("generic|x", "generic", 100_000.0)]),
            summary("b.xlsx", [("generic|y", "generic", 100_000.0)])]
    u = ranking_uncertainty(CLIMATE_ONLY, scored(CLIMATE_ONLY, bids), bids, n=20_000, seed=2)
    assert u.matrix.loc["a.xlsx", "b.xlsx"] == pytest.approx(0.5, abs=0.02)
    assert u.pairs.loc[0, "within_uncertainty"]
    assert u.winner is None  # equal totals: a tie the client decides, no winner to keep
    # the same generic factor in both: every sample is a tie, counted one half
    same = [summary("a.xlsx", [("generic|x", "generic", 100_000.0)]),
            summary("b.xlsx", [("generic|x", "generic", 100_000.0)])]
    u = ranking_uncertainty(CLIMATE_ONLY, scored(CLIMATE_ONLY, same), same, n=500, seed=2)
    assert u.matrix.loc["a.xlsx", "b.xlsx"] == 0.5


def test_a_shared_generic_factor_moves_both_bids_alike():
    # both bids hold 80 t of the same generic concrete; they differ by 2 t of product EPDs
    # (10 t against 12 t, gsd 1.0289): the concrete's wide spread cancels in the difference,
    # so the 2 t decide: ln(12/10) = 0.182 against sqrt(2) x 0.0285 = 0.0403 -> P ≈ 1
    bids = [summary("a.xlsx", [("generic|c", "generic", 80_000.0), ("epd|A", "product_epd", 10_000.0)]),
            summary("b.xlsx", [("generic|c", "generic", 80_000.0), ("epd|B", "product_epd", 12_000.0)])]
    u = ranking_uncertainty(CLIMATE_ONLY, scored(CLIMATE_ONLY, bids), bids, n=5_000, seed=3)
    assert u.matrix.loc["a.xlsx", "b.xlsx"] == 1.0


def test_sampled_points_use_the_rules_formula_per_sample():
    e = np.array([[100.0, 120.0], [130.0, 100.0]])
    fixed = pd.DataFrame({"points_price": [np.nan, np.nan], "points_quality": [np.nan, np.nan],
                          "points_climate": [10.0, 8.0]})
    # dfo_linear, best per sample: row 1 best 100 -> 10, 10 - 10 x 20/100 = 8;
    # row 2 best 100 -> 10 - 10 x 30/100 = 7, 10
    points = sampled_points(CLIMATE_ONLY, e, np.array([np.nan, np.nan]), fixed)
    np.testing.assert_allclose(points, [[10.0, 8.0], [7.0, 10.0]])
    # CO2-price add-on 7.5 NOK/kg on prices 1000 and 1100, price weight 1:
    # row 1: add-on 0 and 20 x 7.5 = 150 -> 1000, 1250 -> 10, 10 - 10 x 250/1000 = 7.5
    # row 2: add-on 30 x 7.5 = 225 and 0 -> 1225, 1100 -> 10 - 10 x 125/1100 = 8.863636, 10
    co2 = ScoringRule(price_weight=1.0, climate_model="co2_price", basis="kg_co2e",
                      co2_price_nok_per_kg=7.5, min_climate_weight=0.0)
    points = sampled_points(co2, e, np.array([1000.0, 1100.0]), fixed)
    np.testing.assert_allclose(points, [[10.0, 7.5], [8.863636, 10.0]], rtol=1e-6)


def test_the_example_tender_says_how_sure_its_ranking_is():
    competition = kf.load_competition(ROOT / "examples" / "anbud" / "konkurranse.toml")
    quality = pd.read_csv(ROOT / "examples" / "anbud" / "kvalitet.csv").set_index("fil")["poeng"]
    bids = sorted((ROOT / "examples" / "anbud" / "bud").glob("*.xlsx"))
    summaries = [score_bid(path, competition) for path in bids]  # read once, scored thrice
    plain = evaluate_summaries(competition, summaries, quality=quality)
    evaluation = evaluate_summaries(competition, summaries, quality=quality, uncertainty=True)
    assert plain.uncertainty is None
    pd.testing.assert_frame_equal(plain.ranking, evaluation.ranking)  # points unchanged
    u = evaluation.uncertainty
    ranked = evaluation.ranking[evaluation.ranking["status"] == "ranked"]
    assert list(u.matrix.index) == list(ranked.index)
    assert u.winner == ranked.index[0]
    assert 0.0 <= u.winner_probability <= 1.0
    # the samples' medians lie near each bid's scored total (within the spread of its data)
    np.testing.assert_allclose(u.percentiles[50.0], ranked["kg_co2e"], rtol=0.05)
    again = evaluate_summaries(competition, summaries, quality=quality, uncertainty=True).uncertainty
    pd.testing.assert_frame_equal(u.matrix, again.matrix)  # a fixed seed: the same numbers


def test_the_evaluation_says_it_in_a_sheet_and_a_notice_only_when_asked(tmp_path, capsys):
    from klimafotavtrykk.cli import main
    from klimafotavtrykk.messages import t
    from klimafotavtrykk.reports import evaluation_frames

    anbud = ROOT / "examples" / "anbud"
    code = main(["anbud", "score", str(anbud / "konkurranse.toml"), str(anbud / "bud"),
                 "--kvalitet", str(anbud / "kvalitet.csv"), "--usikkerhet", "--stille",
                 "-o", str(tmp_path / "evaluering.xlsx")])
    out = capsys.readouterr().out
    assert code == 0
    # the shipped bids: the winner (d_nordlys) has more kg CO2e than the runner-up and wins on
    # price and quality; on climate the two are within the uncertainty of their data
    assert "Rangeringen på klima er innenfor usikkerheten" in out
    assert "Nordlys Totalentreprise AS (d_nordlys.xlsx) (plass 1) og Grønn Betong" in out
    import openpyxl

    sheets = openpyxl.load_workbook(tmp_path / "evaluering.xlsx").sheetnames
    assert t("eval.sheet.uncertainty", "nb") in sheets
    competition = kf.load_competition(anbud / "konkurranse.toml")
    quality = pd.read_csv(anbud / "kvalitet.csv").set_index("fil")["poeng"]
    summaries = [score_bid(path, competition) for path in sorted((anbud / "bud").glob("*.xlsx"))]
    plain = evaluate_summaries(competition, summaries, quality=quality)
    assert t("eval.sheet.uncertainty", "en") not in evaluation_frames(plain, "en")
    assert not [k for k, _ in plain.notices if k.startswith("eval.notice.uncertainty")]
    frames = evaluation_frames(evaluate_summaries(competition, summaries, quality=quality,
                                                  uncertainty=True), "en")
    sheet = frames[t("eval.sheet.uncertainty", "en")]
    assert list(sheet.iloc[:, 0]) == ["d_nordlys.xlsx", "d_nordlys.xlsx", "a_gronn_betong.xlsx"]
    assert list(sheet.iloc[:, -1]) == ["yes", "no", "no"]
