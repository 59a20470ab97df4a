"""Invariants of the engine on random bills of quantities (hypothesis)."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import klimafotavtrykk as kf
from klimafotavtrykk.vocabulary import MODULES

UNITS = ["m3", "kg", "tonn", "l", "m2", "stk", "RS", "furlong", None]
FACTORS = ["concrete", "paint", "window", "ghost", None]
PARTS = ["251", "232", "234", "31", None]


@st.composite
def boq_frames(draw):
    n = draw(st.integers(0, 40))
    quantity = draw(st.lists(st.one_of(st.floats(0.001, 1e5), st.just(float("nan"))),
                             min_size=n, max_size=n))
    return pd.DataFrame({
        "factor_id": draw(st.lists(st.sampled_from(FACTORS), min_size=n, max_size=n)),
        "quantity": quantity,
        "unit": draw(st.lists(st.sampled_from(UNITS), min_size=n, max_size=n)),
        "building_part": draw(st.lists(st.sampled_from(PARTS), min_size=n, max_size=n)),
    })


SETTINGS = settings(max_examples=40, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])


@pytest.mark.parametrize("profile", ["tek17", "ns3720"])
@SETTINGS
@given(items=boq_frames(), k=st.floats(0.1, 1e3))
def test_rows_are_kept_totals_reconcile_and_scale(hand_factors, truck, no_mappings, profile, items, k):
    def run(frame):
        return kf.calculate(frame, profile=profile, factors=hand_factors, transport_modes=truck,
                            mappings=no_mappings)

    base = run(items)
    assert len(base.lines) + len(base.unmatched) == len(items)
    assert sorted([*base.lines["row_id"], *base.unmatched["row_id"]]) == list(range(len(items)))
    np.testing.assert_allclose(base.lines[list(MODULES)].sum().to_numpy(), base.by_module.to_numpy(),
                               rtol=1e-9, atol=1e-6)
    scaled = run(items.assign(quantity=items["quantity"] * k))
    assert scaled.total == pytest.approx(k * base.total, rel=1e-9, abs=1e-6)


@SETTINGS
@given(q=st.floats(0.001, 1e4))
def test_cubic_metres_and_litres_agree(hand_factors, truck, no_mappings, q):
    frame = pd.DataFrame({"factor_id": ["concrete", "concrete"], "quantity": [q, q * 1000.0],
                          "unit": ["m3", "l"], "building_part": ["251", "251"]})
    r = kf.calculate(frame, profile="ns3720", factors=hand_factors, transport_modes=truck,
                     mappings=no_mappings)
    a, b = r.lines["kg_co2e"]
    assert a == pytest.approx(b, rel=1e-12)
