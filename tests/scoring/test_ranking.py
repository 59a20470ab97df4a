"""score() and rank_bids() on one competition (klimafotavtrykk.scoring.ranking).

Expected values are worked by hand in the comments, or taken from the worked
examples of the project's procurement notes (procurement.md § 4.1 and § 4.2,
which use DFØ's formulas and Statens vegvesen's CO2 price).
"""

import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from klimafotavtrykk.errors import InputError, WeightWarning
from klimafotavtrykk.scoring import (
    EXPLANATIONS,
    ScoringRule,
    rank_bids,
    score,
)


def bids(*values, names="ABCDEFGH"):
    return pd.Series(values, index=list(names[: len(values)]), dtype=float)


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
    # shares 0.5 / 0.25 / 0.5, relative: 10, 5, 10; A and C tie and no rule decides (the
    # default): they share rank 1 and need the client's decision; B is third
    rule = ScoringRule(climate_weight=1.0, climate_model="zero_emission_share")
    out = score(rule, bids(np.nan, np.nan, np.nan), zero_emission_share=bids(0.5, 0.25, 0.5))
    assert out["points_climate"].tolist() == pytest.approx([10, 5, 10])
    assert out["rank"].tolist() == [1, 3, 1]
    assert out["tie_rule"].tolist() == ["manual", "", "manual"]
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


def test_ties_are_never_decided_by_name_or_order():
    # weights 0.5/0.5. Y: price 120 -> 10 - 10 x 20/100 = 8, E 100 -> 10: total 9.
    # X: price 100 -> 10, E 120 -> 8: total 9.  a and b: price 110 -> 9, E 110 -> 9: total 9.
    # All four tie at 9. Default rule ("manual"): all share rank 1, the client decides.
    prices = pd.Series({"X": 100.0, "b": 110.0, "Y": 120.0, "a": 110.0})
    emissions = pd.Series({"X": 120.0, "b": 110.0, "Y": 100.0, "a": 110.0})
    rule = ScoringRule(price_weight=0.5, climate_weight=0.5, basis="kg_co2e")
    out = score(rule, emissions, prices)
    assert out["total"].tolist() == pytest.approx([9, 9, 9, 9])
    assert out["rank"].to_dict() == {"X": 1, "b": 1, "Y": 1, "a": 1}
    assert set(out["tie_rule"]) == {"manual"}
    assert all(e.endswith("tie_manual") for e in out["explanation"])
    shuffled = score(rule, emissions.iloc[::-1], prices.iloc[[2, 0, 3, 1]])
    assert shuffled["rank"].to_dict() == out["rank"].to_dict()


def test_tie_rules_decide_in_the_competitions_order():
    # Same four bids, all at 9 points (see above).
    # tie_break = price, climate: X 100 NOK first (price decided); a and b 110 NOK, then both
    # 110 kg: still equal, they share rank 2 (manual); Y 120 NOK last, rank 4 (price decided).
    prices = pd.Series({"X": 100.0, "b": 110.0, "Y": 120.0, "a": 110.0})
    emissions = pd.Series({"X": 120.0, "b": 110.0, "Y": 100.0, "a": 110.0})
    rule = ScoringRule(price_weight=0.5, climate_weight=0.5, basis="kg_co2e",
                       tie_break=("price", "climate"))
    out = score(rule, emissions, prices)
    assert out["rank"].to_dict() == {"X": 1, "a": 2, "b": 2, "Y": 4}
    assert out["tie_rule"].to_dict() == {"X": "price", "a": "manual", "b": "manual", "Y": "price"}
    assert out.loc["X", "explanation"].endswith("tie_price")
    # tie_break = climate: Y 100 kg first; a and b 110 kg share rank 2; X 120 kg rank 4
    rule = ScoringRule(price_weight=0.5, climate_weight=0.5, basis="kg_co2e", tie_break=["climate"])
    out = score(rule, emissions, prices)
    assert out["rank"].to_dict() == {"Y": 1, "a": 2, "b": 2, "X": 4}
    assert out["tie_rule"].to_dict() == {"Y": "climate", "a": "manual", "b": "manual",
                                         "X": "climate"}


def test_rank_bids_names_the_rule_at_which_each_bid_parted():
    # All total 8. price: A 100, B 110, C 110 -> A alone after price (rank 1, price decided);
    # B and C equal on price, climate 3 < 4 -> B rank 2, C rank 3, both decided by climate.
    total = bids(8.0, 8.0, 8.0)
    keys = pd.DataFrame({"price": [100.0, 110.0, 110.0], "climate": [5.0, 3.0, 4.0]},
                        index=total.index)
    rank, tie = rank_bids(total, keys)
    assert rank.tolist() == [1, 2, 3]
    assert tie.tolist() == ["tie_price", "tie_climate", "tie_climate"]


def test_tie_break_is_validated():
    with pytest.raises(InputError, match="tie_break: unknown choice") as info:
        ScoringRule(climate_weight=1.0, basis="kg_co2e", tie_break=("name",))
    assert info.value.code == "scoring.invalid_rule"
    with pytest.raises(InputError, match="only be the last"):
        ScoringRule(climate_weight=1.0, basis="kg_co2e", tie_break=("manual", "climate"))
    with pytest.raises(InputError, match="award criterion"):
        ScoringRule(climate_weight=1.0, basis="kg_co2e", tie_break=("price",))    # price does not weigh here
    with pytest.raises(InputError, match="listed twice"):
        ScoringRule(climate_weight=1.0, basis="kg_co2e", tie_break=("climate", "climate"))
    assert ScoringRule(climate_weight=1.0, basis="kg_co2e").tie_break == ("manual",)  # defaults


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
    rank, tie = rank_bids(bids(5, 9, 7), valid=[True, False, True])
    assert rank.tolist() == [2, pd.NA, 1] and tie.tolist() == ["", "", ""]


@settings(max_examples=40, deadline=None)
@given(st.lists(st.floats(1.0, 1e6), min_size=2, max_size=12), st.randoms(use_true_random=False))
def test_ranking_ignores_input_order_and_effective_weights_add_up(values, rnd):
    e = pd.Series(values, index=[f"bid{i:02d}" for i in range(len(values))])
    p = pd.Series(values[::-1], index=e.index)
    rule = ScoringRule(price_weight=0.5, climate_weight=0.5, basis="kg_co2e",
                       tie_break=("climate",))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", WeightWarning)
        out = score(rule, e, p)
        order = list(e.index)
        rnd.shuffle(order)
        again = score(rule, e[order], p[order])
    assert again["rank"].to_dict() == out["rank"].to_dict()
    assert again["tie_rule"].to_dict() == out["tie_rule"].to_dict()
    distinct = {f"{v:.12g}" for v in values}   # values equal to 12 digits count as equal
    if len(distinct) == len(values):  # bids i and n-1-i tie on total, never on emissions
        assert sorted(out["rank"]) == list(range(1, len(values) + 1))
    else:  # equal values can make equal bids: they share the best rank of their group
        assert out["rank"].min() == 1 and out["rank"].max() <= len(values)
    eff = out.attrs["effective_weights"]
    if not np.isnan(eff["climate"]):
        assert sum(eff.values()) == pytest.approx(1.0)
