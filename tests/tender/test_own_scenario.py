"""A bid's own transport distance, mode and waste rate (tender.materials.own_scenario_counts).

Shipped data, read by hand: "Plasstøpt betong B30" matches ``concrete_c30_37``
(data/emission_factors/materials.csv): A1-A3 0.116 and A4 0.0036 kg CO2e/kg (Boverket's
scenario), 2 350 kg/m3. The profile counts A1-A3 and A4; TEK17's 25 % markup on generic data
applies to A1-A3 only (lifecycle.product.a1a3). 10 m3 is 23 500 kg:

- default scenario: 0.116 x 23 500 x 1.25 + 0.0036 x 23 500 = 3 407.5 + 84.6 = 3 492.1 kg;
- 0 km typed: A4 = 0, so 3 407.5 kg.
"""

import dataclasses
import sys
from pathlib import Path

import pandas as pd
import pytest

from klimafotavtrykk.profiles import Profile
from klimafotavtrykk.tender import evaluate_bid
from klimafotavtrykk.tender.epd_checks import cell_refs, template_columns
from klimafotavtrykk.tender.reader import Bid, bid_frames

sys.path.insert(0, str(Path(__file__).parent))
from test_epd_checks import competition, materials  # noqa: E402

DEFAULT = 0.116 * 23_500 * 1.25 + 0.0036 * 23_500
ZERO_KM = 0.116 * 23_500 * 1.25
PROFILE = Profile(name="a1a4", reference_study_period=50.0, modules=("A1-A3", "A4"),
                  generic_markup=0.25)


def evaluate(extra, accepted_scenarios=()):
    rows = materials(("Plasstøpt betong B30", 10.0, None, None, None, None)).assign(**extra)
    m, s, found = bid_frames(rows, pd.DataFrame(columns=["quantity", "unit"]))
    bid = Bid(file="bid.xlsx", sha256=None, materials=m, site=s,
              declaration={"bidder": "bid", "price_nok": 1e6}, findings=found)
    comp = dataclasses.replace(competition(), profile=PROFILE, accepted_scenarios=accepted_scenarios)
    return evaluate_bid(bid, comp)


def test_cheat_zero_km_and_zero_waste_count_nothing_unless_accepted():
    """0 km and 0 % waste on a committed line, the bid not accepted: the default counts, and the
    finding names the transport_km cell and what was typed."""
    honest = evaluate({})
    cheat = evaluate({"transport_km": 0.0, "waste_rate": 0.0})
    assert honest.kg_co2e == pytest.approx(DEFAULT)
    assert cheat.kg_co2e == pytest.approx(DEFAULT)
    found = cheat.findings[cheat.findings["kind"] == "scenario_not_counted"]
    assert found["detail"].tolist() == ["transport_km=0; waste_rate=0"]
    assert found["source_ref"].tolist() == list(
        cell_refs(["[bid.xlsx]Materialer!E2"], template_columns()["transport_km"]))
    assert "scenario_not_counted" not in honest.findings["kind"].tolist()


def test_an_accepted_bids_own_distance_counts_on_committed_lines_only():
    """Named in accepted_scenarios: 0 km counts on the committed line (3 407.5 kg), not on an
    uncommitted one (KOFA 2024/1940: an uncommitted measure earns nothing)."""
    committed = evaluate({"transport_km": 0.0}, accepted_scenarios=("bid.xlsx",))
    uncommitted = evaluate({"transport_km": 0.0, "committed": "nei"}, accepted_scenarios=("bid.xlsx",))
    assert committed.kg_co2e == pytest.approx(ZERO_KM)
    # the audit trail shows the own value that moved the score
    assert committed.findings[["kind", "detail"]].values.tolist() == [["scenario_accepted", "transport_km=0"]]
    assert uncommitted.kg_co2e == pytest.approx(DEFAULT)
    assert "scenario_not_counted" in uncommitted.findings["kind"].tolist()


def test_the_competition_file_names_the_accepted_bids(tmp_path):
    from klimafotavtrykk.tender import load_competition

    example = Path(__file__).parents[2] / "examples" / "anbud" / "konkurranse.toml"
    text = example.read_text(encoding="utf-8").replace(
        'tender_quantities = "../skole.xlsx"', f'tender_quantities = "{(example.parent.parent / "skole.xlsx").as_posix()}"')
    path = tmp_path / "konkurranse.toml"
    text = text.replace("tender_date = 2025-04-01", 'tender_date = 2025-04-01\naccepted_scenarios = ["b_tradisjonsbygg.xlsx"]', 1)
    path.write_text(text, encoding="utf-8")
    assert load_competition(path).accepted_scenarios == ("b_tradisjonsbygg.xlsx",)


def test_the_client_accepts_own_values_line_by_line_by_the_cell_the_finding_names():
    """accepted_scenarios may name a line by the cell the finding scenario_not_counted gives
    (any column of its row, $ allowed): 0 km counts on that row (3 407.5 kg), not on a row the
    client has not checked, nor in another bid whose row has the same number."""
    cell = cell_refs(["[bid.xlsx]Materialer!E2"], template_columns()["transport_km"])[0]
    row = evaluate({"transport_km": 0.0}, accepted_scenarios=(cell,))
    absolute = evaluate({"transport_km": 0.0}, accepted_scenarios=("[bid.xlsx]Materialer!$Q$2",))
    other_row = evaluate({"transport_km": 0.0}, accepted_scenarios=("[bid.xlsx]Materialer!O3",))
    other_bid = evaluate({"transport_km": 0.0}, accepted_scenarios=("[annen.xlsx]Materialer!O2",))
    assert row.kg_co2e == pytest.approx(ZERO_KM) and absolute.kg_co2e == pytest.approx(ZERO_KM)
    assert other_row.kg_co2e == pytest.approx(DEFAULT) and other_bid.kg_co2e == pytest.approx(DEFAULT)
    assert row.findings["kind"].tolist() == ["scenario_accepted"]


def test_scenario_accepted_by_bid_and_by_row():
    from klimafotavtrykk.tender.materials import scenario_accepted

    files = ["a.xlsx", "a.xlsx", "b].xlsx", "b].xlsx", "c.xlsx"]
    refs = ["[a.xlsx]Materialer!E2", "[a.xlsx]Materialer!E3", "[b].xlsx]Materialer!E2",
            "[b].xlsx]Materialer!E3", "[c.xlsx]Materialer!E2"]
    accepted = ["a.xlsx", "[b].xlsx]Materialer!O3", " [c.xlsx]Byggeplass!O2 "]
    assert scenario_accepted(files, refs, accepted).tolist() == [True, True, False, True, False]
