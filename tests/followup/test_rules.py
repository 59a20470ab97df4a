"""The bonus and deduction rules on numbers worked out by hand."""

import pickle

import numpy as np
import pytest

from klimafotavtrykk.errors import InputError
from klimafotavtrykk.followup.rules import (
    advantage_multiple,
    budget_share,
    nok_per_climate_point,
    per_tonne_below_threshold,
)


def test_budget_share_reproduces_the_published_svv_example():
    """NOK 100 M contract, 20 % better than budget, 10 % of the climate result: NOK 2 M.

    Read as 0.1 % of the contract sum per percent: 100e6 × 0.001 × 20 = 2e6
    (bygg.no 2020, see docs/design/followup_rules.md).
    """
    out = budget_share(80.0, 100.0, 100e6, bonus_share_per_percent=0.001,
                       deduction_share_per_percent=0.0005)
    assert out["improvement_percent"] == pytest.approx(20.0)
    assert out["amount_nok"] == pytest.approx(2e6)
    assert out["capped"] is False


def test_budget_share_bonus_is_capped():
    """40 % better: 100e6 × 0.001 × 40 = 4e6 before the cap; cap 3 % of 100e6 = 3e6."""
    out = budget_share(60.0, 100.0, 100e6, 0.001, 0.0005, bonus_cap_share=0.03)
    assert out["uncapped_nok"] == pytest.approx(4e6)
    assert out["amount_nok"] == pytest.approx(3e6)
    assert out["capped"] is True


def test_budget_share_deduction_is_asymmetric_and_capped():
    """10 % worse: −100e6 × 0.0005 × 10 = −500 000 (half the bonus rate); cap 0.2 % → −200 000."""
    out = budget_share(110.0, 100.0, 100e6, 0.001, 0.0005)
    assert out["improvement_percent"] == pytest.approx(-10.0)
    assert out["amount_nok"] == pytest.approx(-500_000.0)
    capped = budget_share(110.0, 100.0, 100e6, 0.001, 0.0005, deduction_cap_share=0.002)
    assert capped["amount_nok"] == pytest.approx(-200_000.0)
    assert capped["capped"] is True


def test_budget_share_works_on_arrays():
    """Three results at once: 20 % better, on budget, 10 % worse."""
    out = budget_share(np.array([80.0, 100.0, 110.0]), 100.0, 100e6, 0.001, 0.0005)
    assert out["amount_nok"] == pytest.approx([2e6, 0.0, -500_000.0])


@pytest.mark.parametrize("kwargs", [dict(budget=0.0), dict(bonus_share_per_percent=-0.1),
                                    dict(deduction_cap_share=float("nan"))])
def test_budget_share_refuses_bad_parameters(kwargs):
    """A budget must be positive; rates and caps non-negative numbers; the error pickles."""
    args = dict(emissions=90.0, budget=100.0, contract_sum_nok=1e6, bonus_share_per_percent=0.001,
                deduction_share_per_percent=0.0005) | kwargs
    with pytest.raises(InputError) as info:
        budget_share(**args)
    assert str(pickle.loads(pickle.dumps(info.value))) == str(info.value)


def test_per_tonne_below_threshold():
    """50 NOK/t for deliveries below 100: 10 t at 90 counts, 5 t at 120 and 3 t without a value do not."""
    out = per_tonne_below_threshold([10.0, 5.0, 3.0], [90.0, 120.0, np.nan], 100.0, 50.0)
    assert out["tonnes_below"] == pytest.approx(10.0)
    assert out["amount_nok"] == pytest.approx(500.0)
    assert per_tonne_below_threshold([10.0], [90.0], 100.0, 50.0, cap_nok=300.0)["amount_nok"] == 300.0


def test_advantage_multiple_co2_price():
    """10 t over the promise at NOK 2/kg: advantage 20 000; × 1.5 = −30 000. Better earns nothing."""
    out = advantage_multiple(110_000.0, 100_000.0, 1.5, co2_price_nok_per_kg=2.0)
    assert out["advantage_nok"] == pytest.approx(20_000.0)
    assert out["amount_nok"] == pytest.approx(-30_000.0)
    assert advantage_multiple(90_000.0, 100_000.0, 1.5, co2_price_nok_per_kg=2.0)["amount_nok"] == 0.0


def test_advantage_multiple_points_linear():
    """DFØ linear, best bid 80 t, 10 points: promised 100 t → 10 − 10 × 20/80 = 7.5 points;
    as built 110 t → 10 − 10 × 30/80 = 6.25; 1.25 points lost × NOK 1 M = 1.25 M; × 1.5 = −1.875 M.
    """
    out = advantage_multiple(110.0, 100.0, 1.5, points_model="dfo_linear", best_kg=80.0,
                             max_points=10.0, nok_per_point=1e6)
    assert out["points_lost"] == pytest.approx(1.25)
    assert out["amount_nok"] == pytest.approx(-1.875e6)


def test_advantage_multiple_points_proportional():
    """DFØ proportional: 10 × 80/100 = 8 points promised, 10 × 80/110 = 7.2727 as built."""
    out = advantage_multiple(110.0, 100.0, 2.0, points_model="dfo_proportional", best_kg=80.0,
                             max_points=10.0, nok_per_point=1000.0)
    assert out["points_lost"] == pytest.approx(8.0 - 800.0 / 110.0)
    assert out["amount_nok"] == pytest.approx(-2.0 * 1000.0 * (8.0 - 800.0 / 110.0))


def test_advantage_multiple_needs_a_way_to_price_the_promise():
    with pytest.raises(InputError, match="needs co2_price_nok_per_kg"):
        advantage_multiple(110.0, 100.0, 1.5, points_model="dfo_linear")


def test_nok_per_climate_point():
    """Lowest price 100 M, weights 0.7/0.3, 10 points: 0.3 × 100e6 / (0.7 × 10) = 4.2857 M per point."""
    assert nok_per_climate_point(100e6, 0.7, 0.3, 10.0) == pytest.approx(0.3 * 100e6 / 7.0)
