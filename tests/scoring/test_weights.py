"""Weighted total and effective climate weights (klimafotavtrykk.scoring.weights).

Expected values are worked by hand in the comments, or taken from the worked
examples of the project's procurement notes (procurement.md § 4.1 and § 4.2,
which use DFØ's formulas and Statens vegvesen's CO2 price).
"""

import pandas as pd
import pytest

from klimafotavtrykk.errors import WeightWarning
from klimafotavtrykk.scoring import (
    ScoringRule,
    effective_weights,
    score,
)


def bids(*values, names="ABCDEFGH"):
    return pd.Series(values, index=list(names[: len(values)]), dtype=float)


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
