"""Gates and committed claims (klimafotavtrykk.scoring.gates).

Expected values are worked by hand in the comments, or taken from the worked
examples of the project's procurement notes (procurement.md § 4.1 and § 4.2,
which use DFØ's formulas and Statens vegvesen's CO2 price).
"""

import numpy as np
import pandas as pd
import pytest

from klimafotavtrykk.scoring import (
    ScoringRule,
    committed_emissions,
    frame_gate,
    product_limit_gate,
    score,
)


def bids(*values, names="ABCDEFGH"):
    return pd.Series(values, index=list(names[: len(values)]), dtype=float)


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
