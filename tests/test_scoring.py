"""Scoring of tender bids: point models, CO2-price add-on, gates, weights, ranking.

Expected values are worked by hand in the comments, or taken from the worked
examples of the project's procurement notes (procurement.md § 4.1 and § 4.2,
which use DFØ's formulas and Statens vegvesen's CO2 price).
"""

import pickle
import tomllib
import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from klimafotavtrykk._data import data_path
from klimafotavtrykk.errors import InputError, WeightWarning
from klimafotavtrykk.scoring import (
    EXPLANATIONS,
    ScoringRule,
    co2_price_addon,
    committed_emissions,
    dfo_linear,
    dfo_proportional,
    effective_weights,
    frame_gate,
    implied_climate_weight,
    load_procurement_defaults,
    product_limit_gate,
    rank_bids,
    reduction_points,
    reduction_share,
    score,
    zero_emission_share_points,
)


def bids(*values, names="ABCDEFGH"):
    return pd.Series(values, index=list(names[: len(values)]), dtype=float)


# ------------------------------------------------------------------ point models


def test_dfo_linear_worked_example():
    # procurement.md § 4.1: 100 -> 10; 120 -> 10 - 10 x 20/100 = 8; 250 -> 10 - 10 x 150/100 = -5
    assert dfo_linear(np.array([100.0, 120.0, 250.0])).tolist() == pytest.approx([10, 8, -5])


def test_dfo_proportional_worked_example():
    # procurement.md § 4.1: 10 x 100/100 = 10; 10 x 100/120 = 8.333; 10 x 100/250 = 4
    assert dfo_proportional([100.0, 120.0, 250.0]).tolist() == pytest.approx([10, 8.3333333, 4])


def test_series_keep_their_bidders_and_nan_stays_nan():
    points = dfo_linear(bids(100, np.nan, 120))
    assert list(points.index) == ["A", "B", "C"]
    assert np.isnan(points["B"]) and points["C"] == pytest.approx(8)


def test_best_given_and_negative_points_clipped():
    # best 100 from a bid outside the array: 120 -> 8, 250 -> -5, clipped to 0
    assert dfo_linear([120.0, 250.0], best=100.0).tolist() == pytest.approx([8, -5])
    assert dfo_linear([120.0, 250.0], best=100.0, allow_negative=False).tolist() == pytest.approx([8, 0])


def test_relative_models_refuse_a_zero_best_value():
    with pytest.raises(InputError, match="must be positive") as info:
        dfo_proportional([0.0, 10.0])
    assert info.value.code == "scoring.non_positive_best"
    assert pickle.loads(pickle.dumps(info.value)).found == "0.0"


def test_reduction_points_on_an_absolute_scale():
    # reference 300; full points at 50 % reduction
    # 300 -> 0 %  -> 0;  240 -> 20 % -> 10 x 0.2/0.5 = 4;  150 -> 50 % -> 10;
    # 120 -> 60 % -> capped at 10;  330 -> -10 % (an increase) -> 0, not negative
    e = np.array([300.0, 240.0, 150.0, 120.0, 330.0])
    assert reduction_share(e, 300.0).tolist() == pytest.approx([0, 0.2, 0.5, 0.6, -0.1])
    assert reduction_points(e, 300.0, 0.5).tolist() == pytest.approx([0, 4, 10, 10, 0])


def test_zero_emission_share_points():
    # relative: 10 x share / 0.8 -> 10, 5, 0;  absolute: 10 x share -> 8, 4, 0
    share = np.array([0.8, 0.4, 0.0])
    assert zero_emission_share_points(share).tolist() == pytest.approx([10, 5, 0])
    assert zero_emission_share_points(share, "absolute").tolist() == pytest.approx([8, 4, 0])
    assert zero_emission_share_points(np.zeros(2)).tolist() == [0, 0]  # nobody has any: no division
    with pytest.raises(InputError, match="between 0 and 1"):
        zero_emission_share_points([0.5, 80.0])  # a percentage where a share belongs


# ------------------------------------------------------------------ CO2-price add-on


TWO_BIDS_E = bids(500_000, 540_000)  # 500 t and 540 t [kg CO2e]
TWO_BIDS_P = bids(10.0e6, 9.8e6)  # NOK 10.0 M and 9.8 M


def test_co2_price_addon_worked_example():
    # procurement.md § 4.2: B emits 40 000 kg more; 40 000 x 7.50 = NOK 300 000
    addon = co2_price_addon(TWO_BIDS_E, 7.5)
    assert addon.tolist() == pytest.approx([0, 300_000])
    # implied climate weight: spread(add-on) / (spread(price) + spread(add-on))
    # = 300 000 / (200 000 + 300 000) = 0.6
    assert implied_climate_weight(TWO_BIDS_P, addon) == pytest.approx(0.6)


def test_score_co2_price_model_a_wins():
    # Evaluated sums: A 10.0 M + 0 = 10.0 M; B 9.8 M + 0.3 M = 10.1 M. Linear price points on
    # evaluated sums: A 10; B 10 - 10 x 0.1/10.0 = 9.9. Price is the only criterion: A wins.
    rule = ScoringRule(price_weight=1.0, climate_model="co2_price", co2_price_nok_per_kg=7.5)
    with warnings.catch_warnings():
        warnings.simplefilter("error", WeightWarning)  # 60 % is above 30 %: no warning
        out = score(rule, TWO_BIDS_E, TWO_BIDS_P)
    assert out["evaluated_price_nok"].tolist() == pytest.approx([10.0e6, 10.1e6])
    assert out["points_price"].tolist() == pytest.approx([10, 9.9])
    assert out["rank"].tolist() == [1, 2]
    assert out.attrs["effective_climate_weight"] == pytest.approx(0.6)
    assert "co2_addon" in out.loc["B", "explanation"]


def test_a_weak_co2_price_warns():
    # At 0.50 NOK/kg the add-on is 40 000 x 0.5 = 20 000; 20 000 / (200 000 + 20 000) = 0.0909
    rule = ScoringRule(price_weight=1.0, climate_model="co2_price", co2_price_nok_per_kg=0.5)
    with pytest.warns(WeightWarning, match="effective climate weight 9.1%"):
        out = score(rule, TWO_BIDS_E, TWO_BIDS_P)
    assert out.attrs["effective_climate_weight"] == pytest.approx(20_000 / 220_000)
    assert out["rank"].tolist() == [2, 1]  # B: 9.8 M + 20 000 < 10.0 M


def test_co2_price_default_comes_from_the_data():
    # Statens vegvesen, contracts from 2024: 7.50 NOK/kg (data/procurement/defaults.toml)
    rule = ScoringRule(price_weight=1.0, climate_model="co2_price")
    assert rule.co2_price_nok_per_kg == 7.5 and rule.basis == "kg_co2e"


# ------------------------------------------------------------------ weights


def test_effective_climate_weight_below_30_percent_warns():
    # Emissions 100 and 101 kg: climate points 10 and 10 - 10 x 1/100 = 9.9, spread 0.1.
    # Prices 1.0 M and 1.5 M: price points 10 and 10 - 10 x 0.5 = 5, spread 5.
    # effective climate = 0.3 x 0.1 / (0.7 x 5 + 0.3 x 0.1) = 0.03 / 3.53 = 0.0085
    rule = ScoringRule(price_weight=0.7, climate_weight=0.3, basis="kg_co2e")
    with pytest.warns(WeightWarning, match="effective") as caught:
        out = score(rule, bids(100, 101), bids(1.0e6, 1.5e6))
    assert len(caught) == 1  # the nominal 30 % is fine
    assert out.attrs["effective_climate_weight"] == pytest.approx(0.03 / 3.53)
    assert out.attrs["effective_weights"]["price"] == pytest.approx(3.5 / 3.53)


def test_nominal_climate_weight_below_30_percent_warns():
    rule = ScoringRule(price_weight=0.8, climate_weight=0.2, basis="kg_co2e")
    with pytest.warns(WeightWarning, match="nominal climate weight 20.0%"):
        score(rule, bids(100, 200), bids(1.0e6, 1.0e6))


def test_effective_weights_definition():
    # spreads: price 10 - 5 = 5, climate 10 - 8 = 2; weighted 0.5 x 5 = 2.5 and 0.5 x 2 = 1
    points = pd.DataFrame({"price": [10.0, 5.0], "climate": [8.0, 10.0]})
    eff = effective_weights(points, {"price": 0.5, "climate": 0.5})
    assert eff.to_dict() == pytest.approx({"price": 2.5 / 3.5, "climate": 1 / 3.5})


# ------------------------------------------------------------------ gates


def test_frame_gate_per_period_and_per_year():
    # BTA 1 000 m2: 250 000 kg -> 250 kg/m2, 320 000 -> 320; frame 300 over the period,
    # or 6 per year over 50 years (250/50 = 5 <= 6; 320/50 = 6.4 > 6)
    e = np.array([250_000.0, 320_000.0, np.nan])
    assert frame_gate(e, 1000.0, 300.0).tolist() == [True, False, False]
    assert frame_gate(e, 1000.0, 6.0, period_years=50.0).tolist() == [True, False, False]


def test_a_failed_gate_rejects_the_bid_and_the_best_comes_from_valid_bids():
    # BTA 1 000; frame 300 kg/m2; minimum emission-free share 0.2.
    # A 250 (ok), B 320 (frame exceeded), C 280 (ok), D 200 but share 0.1 (rejected).
    # Emin among valid bids = 250 (A), not 200 (D): A 10; C 10 - 10 x 30/250 = 8.8
    rule = ScoringRule(climate_weight=1.0, bta_m2=1000.0, frame_kg_co2e_per_m2=300.0,
                       min_zero_emission_share=0.2)
    out = score(rule, bids(250_000, 320_000, 280_000, 200_000),
                zero_emission_share=bids(0.5, 0.5, 0.5, 0.1))
    assert out["points_climate"].tolist()[::2] == pytest.approx([10, 8.8])
    assert out["status"].tolist() == ["ranked", "rejected", "ranked", "rejected"]
    assert out["rank"].tolist() == [1, pd.NA, 2, pd.NA]
    assert out.loc["B", "explanation"] == "frame_exceeded"
    assert out.loc["D", "explanation"] == "zero_emission_share_below_minimum"
    assert out.attrs["best_climate_value"] == 250.0


def test_product_limits_by_group_and_factor_id():
    limits = pd.DataFrame({
        "key_column": ["material_group", "factor_id"],
        "key": ["concrete", "special_concrete"],
        "declared_unit": ["m3", "m3"],
        "limit_kg_co2e": [240.0, 260.0],
    })
    lines = pd.DataFrame({
        "bidder": ["A", "B", "C", "C", "D"],
        "factor_id": ["c1", "c2", "c3", "rebar", "special_concrete"],
        "material_group": ["concrete", "concrete", "concrete", "steel", "concrete"],
        "declared_unit": ["m3", "m3", "kg", "kg", "M3"],
        "A1-A3": [230.0, 250.0, 0.1, 0.5, 250.0],
    })
    per_line, per_bidder = product_limit_gate(lines, limits)
    # A 230 <= 240; B 250 > 240; C concrete per kg against a limit per m3; rebar has no limit;
    # D 250 <= 260: its own factor-id limit wins over the group's 240
    assert per_line["gate"].tolist() == ["pass", "product_limit_exceeded", "product_limit_unit_mismatch",
                                         "no_limit", "pass"]
    assert per_line["limit_kg_co2e"].tolist()[:3] == [240.0, 240.0, 240.0]
    assert per_bidder.to_dict() == {"A": "", "B": "product_limit_exceeded",
                                    "C": "product_limit_unit_mismatch", "D": ""}
    rule = ScoringRule(climate_weight=1.0, basis="kg_co2e")
    out = score(rule, bids(100, 90, 80, 120), rejected=per_bidder)
    # B and C rejected: Emin = 100 (A); D 10 - 10 x 20/100 = 8
    assert out["points_climate"].dropna().tolist() == pytest.approx([10, 8])
    assert out.loc["B", "explanation"] == "product_limit_exceeded"


# ------------------------------------------------------------------ committed claims


def test_uncommitted_claims_take_the_fallback():
    # line 1 committed: 100; line 2 not committed: max(100, 125) = 125;
    # line 3 not committed with a lower fallback: max(100, 80) = 100 (not committing never helps);
    # line 4 commitment missing and no claim: fallback 125
    out = committed_emissions([100.0, 100.0, 100.0, np.nan], [125.0, 125.0, 80.0, 125.0],
                              [True, False, False, None])
    assert out.tolist() == [100, 125, 100, 125]


def test_an_uncommitted_claim_earns_no_points():
    # A claims 80 kg on an uncommitted electric excavator; fossil diesel would be 130 kg.
    # Lines: A = 100 (committed) + 80 (not) -> 100 + 130 = 230; B = 200 (committed).
    lines = pd.DataFrame({"bidder": ["A", "A", "B"], "claimed": [100.0, 80.0, 200.0],
                          "fallback": [125.0, 130.0, 250.0], "committed": [True, False, True]})
    lines["scored"] = committed_emissions(lines["claimed"], lines["fallback"], lines["committed"])
    per_bid = lines.groupby("bidder")["scored"].sum()
    assert per_bid.to_dict() == {"A": 230.0, "B": 200.0}
    out = score(ScoringRule(climate_weight=1.0, basis="kg_co2e"), per_bid)
    # as claimed A (180) would win; as scored B wins: B 10, A 10 - 10 x 30/200 = 8.5
    assert out["rank"].to_dict() == {"A": 2, "B": 1}
    assert out.loc["A", "points_climate"] == pytest.approx(8.5)


# ------------------------------------------------------------------ score and ranking


def test_score_linear_and_proportional_on_the_worked_example():
    e = bids(100, 120, 250)
    linear = score(ScoringRule(climate_weight=1.0, basis="kg_co2e"), e)
    prop = score(ScoringRule(climate_weight=1.0, basis="kg_co2e", climate_model="dfo_proportional"), e)
    assert linear["points_climate"].tolist() == pytest.approx([10, 8, -5])
    assert prop["points_climate"].tolist() == pytest.approx([10, 8.3333333, 4])
    assert linear.loc["C", "explanation"] == "negative_points"
    assert linear.loc["A", "explanation"] == "best_climate"


def test_score_on_reduction_against_the_reference():
    # reference 150 kg; full points at 50 %: A 100 -> 33.3 % -> 10 x 0.333/0.5 = 6.667;
    # B 120 -> 20 % -> 10 x 0.2/0.5 = 4
    rule = ScoringRule(climate_weight=1.0, climate_model="reduction", basis="kg_co2e",
                       reference=150.0, full_points_reduction=0.5)
    assert score(rule, bids(100, 120))["points_climate"].tolist() == pytest.approx([20 / 3, 4])


def test_score_on_the_emission_free_share_needs_no_emissions():
    # shares 0.5 / 0.25 / 0.5, relative: 10, 5, 10; A and C tie, emissions unknown, name decides
    rule = ScoringRule(climate_weight=1.0, climate_model="zero_emission_share")
    out = score(rule, bids(np.nan, np.nan, np.nan), zero_emission_share=bids(0.5, 0.25, 0.5))
    assert out["points_climate"].tolist() == pytest.approx([10, 5, 10])
    assert out["rank"].tolist() == [1, 3, 2]
    assert out.attrs["basis"] == "zero_emission_share"
    assert out.attrs["zero_emission_basis"] == "energy"  # default, data/procurement/defaults.toml


def test_per_m2_basis_gives_the_same_points_when_bta_is_shared():
    e = bids(100_000, 120_000, 250_000)
    per_m2 = score(ScoringRule(climate_weight=1.0, bta_m2=2400.0), e)
    per_kg = score(ScoringRule(climate_weight=1.0, basis="kg_co2e"), e)
    assert per_m2["points_climate"].tolist() == pytest.approx(per_kg["points_climate"].tolist())
    assert per_m2.attrs["basis"] == "kg_co2e_per_m2"
    assert per_m2["climate_value"]["A"] == pytest.approx(100_000 / 2400)


def test_weighted_total_with_price_quality_and_climate():
    # price 1.0 M / 1.2 M -> 10 / 8;  quality 6 / 9;  emissions 120 / 100 -> 8 / 10
    # A: 0.6 x 10 + 0.1 x 6 + 0.3 x 8 = 6 + 0.6 + 2.4 = 9.0
    # B: 0.6 x 8 + 0.1 x 9 + 0.3 x 10 = 4.8 + 0.9 + 3.0 = 8.7
    # Effective climate weight: spreads price 2, quality 3, climate 2;
    # 0.3 x 2 / (0.6 x 2 + 0.1 x 3 + 0.3 x 2) = 0.6 / 2.1 = 0.2857 < 0.30: a warning
    rule = ScoringRule(price_weight=0.6, quality_weight=0.1, climate_weight=0.3, basis="kg_co2e")
    with pytest.warns(WeightWarning, match="effective climate weight 28.6%"):
        out = score(rule, bids(120, 100), bids(1.0e6, 1.2e6), quality=bids(6, 9))
    assert out["total"].tolist() == pytest.approx([9.0, 8.7])
    assert out["rank"].tolist() == [1, 2]
    assert out.attrs["effective_climate_weight"] == pytest.approx(0.6 / 2.1)


def test_ties_rank_deterministically():
    # weights 0.5/0.5. Y: price 120 -> 8, E 100 -> 10: total 9.  X: price 100 -> 10, E 120 -> 8: 9.
    # a and b: price 110 -> 9, E 110 -> 9: total 9. All tie at 9:
    # lower emissions first (Y 100, then a and b 110, then X 120); a before b by name.
    prices = pd.Series({"X": 100.0, "b": 110.0, "Y": 120.0, "a": 110.0})
    emissions = pd.Series({"X": 120.0, "b": 110.0, "Y": 100.0, "a": 110.0})
    rule = ScoringRule(price_weight=0.5, climate_weight=0.5, basis="kg_co2e")
    out = score(rule, emissions, prices)
    assert out["total"].tolist() == pytest.approx([9, 9, 9, 9])
    assert out["rank"].to_dict() == {"X": 4, "b": 3, "Y": 1, "a": 2}
    assert out.loc["a", "explanation"].endswith("tie_bidder")
    assert out.loc["X", "explanation"].endswith("tie_emissions")
    shuffled = score(rule, emissions.iloc[::-1], prices.iloc[[2, 0, 3, 1]])
    assert shuffled["rank"].to_dict() == out["rank"].to_dict()


def test_missing_input_rejects_only_that_bid():
    rule = ScoringRule(price_weight=0.7, climate_weight=0.3, basis="kg_co2e")
    out = score(rule, bids(100, np.nan, 110), bids(1.0e6, 1.0e6, np.nan))
    assert out["status"].tolist() == ["ranked", "rejected", "rejected"]
    assert out["explanation"].tolist()[1:] == ["invalid_emissions", "missing_price"]
    assert out.attrs["n_valid"] == 1


def test_every_explanation_code_is_documented():
    rule = ScoringRule(price_weight=0.5, climate_weight=0.5, basis="kg_co2e")
    out = score(rule, bids(100, 300, 100), bids(1.0e6, 1.0e6, 1.0e6))
    codes = {c for text in out["explanation"] for c in text.split(";") if c}
    assert codes and codes <= set(EXPLANATIONS)


def test_inputs_must_name_the_same_bidders():
    rule = ScoringRule(price_weight=0.7, climate_weight=0.3, basis="kg_co2e")
    with pytest.raises(InputError, match="one value per bidder") as info:
        score(rule, bids(100, 110), pd.Series([1.0, 2.0], index=["A", "Z"]))
    assert info.value.code == "scoring.bidders_differ"


def test_rank_bids_leaves_invalid_bids_unranked():
    rank, tie = rank_bids(bids(5, 9, 7), bids(1, 1, 1), valid=[True, False, True])
    assert rank.tolist() == [2, pd.NA, 1] and tie.tolist() == ["", "", ""]


@settings(max_examples=40, deadline=None)
@given(st.lists(st.floats(1.0, 1e6), min_size=2, max_size=12), st.randoms(use_true_random=False))
def test_ranking_ignores_input_order_and_effective_weights_add_up(values, rnd):
    e = pd.Series(values, index=[f"bid{i:02d}" for i in range(len(values))])
    p = pd.Series(values[::-1], index=e.index)
    rule = ScoringRule(price_weight=0.5, climate_weight=0.5, basis="kg_co2e")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", WeightWarning)
        out = score(rule, e, p)
        order = list(e.index)
        rnd.shuffle(order)
        again = score(rule, e[order], p[order])
    assert again["rank"].to_dict() == out["rank"].to_dict()
    assert sorted(out["rank"]) == list(range(1, len(values) + 1))
    eff = out.attrs["effective_weights"]
    if not np.isnan(eff["climate"]):
        assert sum(eff.values()) == pytest.approx(1.0)


# ------------------------------------------------------------------ the rule


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"price_weight": 0.5, "climate_weight": 0.3}, "weights must add up to 1"),
        ({"climate_weight": 1.0, "climate_model": "dfo_logarithmic"}, "climate_model: unknown choice"),
        ({"price_weight": 0.7, "climate_weight": 0.3, "climate_model": "co2_price"}, "climate_weight"),
        ({"climate_weight": 1.0, "climate_model": "reduction", "basis": "kg_co2e"}, "reference"),
        ({"climate_weight": 1.0}, "bta_m2: a per-m² basis"),
        ({"climate_weight": 1.0, "basis": "kg_co2e", "co2_price_nok_per_kg": 7.5}, "only used by"),
        ({"price_weight": -0.5, "climate_weight": 1.5, "basis": "kg_co2e"}, "price_weight"),
        ({"climate_weight": 1.0, "basis": "kg_co2e", "bta_m2": 10.0, "frame_kg_co2e_per_m2": 6.0,
          "frame_period": "year"}, "reference_study_period"),
    ],
)
def test_invalid_rules_are_refused(kwargs, match):
    with pytest.raises(InputError, match=match) as info:
        ScoringRule(**kwargs)
    assert pickle.loads(pickle.dumps(info.value)).problem == info.value.problem


def test_rule_defaults_come_from_the_data_file():
    defaults = load_procurement_defaults()
    rule = ScoringRule(climate_weight=1.0, bta_m2=100.0)
    assert rule.climate_model == defaults["climate_model"]
    assert rule.max_points == defaults["max_points"] == 10  # DFØ's 0-10 scale
    assert rule.min_climate_weight == 0.30  # anskaffelsesforskriften § 7-9 (2)
    assert pickle.loads(pickle.dumps(rule)) == rule


def test_every_default_cites_a_known_source():
    raw = tomllib.loads(data_path("procurement", "defaults.toml").read_text(encoding="utf-8"))
    known = set(pd.read_csv(data_path("sources.csv"))["source_id"])
    parameters = [k for k in raw if k not in ("sources", "notes")]
    for name in parameters:
        assert raw["sources"].get(name) in known, f"{name} has no known source"
        if raw["sources"][name] == "library-default":
            assert raw["notes"].get(name), f"default {name} unexplained"


def test_share_bases_match_the_site_model():
    from klimafotavtrykk import site
    from klimafotavtrykk.scoring import ZERO_EMISSION_BASES

    assert ZERO_EMISSION_BASES == site.SHARE_BASES
