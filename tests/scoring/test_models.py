"""Point models and the CO2-price add-on (klimafotavtrykk.scoring.models).

Expected values are worked by hand in the comments, or taken from the worked
examples of the project's procurement notes (procurement.md § 4.1 and § 4.2,
which use DFØ's formulas and Statens vegvesen's CO2 price).
"""

import pickle
import warnings

import numpy as np
import pandas as pd
import pytest

from klimafotavtrykk.errors import InputError, WeightWarning
from klimafotavtrykk.scoring import (
    ScoringRule,
    co2_price_addon,
    dfo_linear,
    dfo_proportional,
    implied_climate_weight,
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
