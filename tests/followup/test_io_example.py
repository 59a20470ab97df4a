"""The follow-up example (examples/oppfolging): the contract, eight reports, rebuilt byte for byte."""

from __future__ import annotations

import datetime as dt
import importlib.util
from pathlib import Path

import pandas as pd
import pytest

from klimafotavtrykk.followup.contract import load_contract
from klimafotavtrykk.followup.reader import read_reports

FOLDER = Path(__file__).resolve().parents[2] / "examples" / "oppfolging"


@pytest.fixture(scope="module")
def example():
    contract = load_contract(FOLDER / "kontrakt.toml")
    reports, refused = read_reports(FOLDER / "rapporter", contract)
    return contract, reports, refused


def test_the_contract_is_the_winning_bid_with_a_sourced_rule(example):
    contract, _, _ = example
    assert contract.bid.file == "d_nordlys.xlsx" and contract.contract_sum_nok == 94_000_000.0
    assert contract.machines["machine_id"].tolist() == ["M1", "M2", "M3", "M4", "M5"]
    # electricity, diesel, electricity, district heating, a truck: classes in energy_carriers.csv
    assert contract.machines["emission_free"].tolist() == [True, False, True, True, False]
    (rule,) = contract.rules
    assert rule.kind == "budget_share" and set(rule.sources) == set(rule.parameters)
    assert all("client's choice" in rule.sources[k] for k in ("bonus_cap_share",
                                                               "deduction_cap_share"))


def test_eight_months_read_one_of_them_late(example):
    _, reports, refused = example
    assert refused.empty
    by_month = {str(r.month): r for r in reports}
    assert sorted(by_month) == [str(p) for p in pd.period_range("2025-06", "2026-01", freq="M")]
    late = by_month["2025-10"]
    assert late.file == "rapport_2025-10_levert_2026-01.xlsx"
    assert late.report_date == dt.date(2026, 1, 8)
    assert by_month["2025-09"].report_date == dt.date(2025, 10, 5)
    assert all(r.findings.empty for r in reports)


def test_the_diesel_excavator_and_the_other_concrete(example):
    _, reports, _ = example
    by_month = {str(r.month): r for r in reports}
    m1 = by_month["2025-08"].site.set_index("machine_id").loc["M1"]
    assert (m1["carrier"], m1["litres"], m1["emission_free"]) == ("diesel", 1_450.0, False)
    concrete = by_month["2025-09"].materials.set_index("post_number").loc["224.01"]
    assert (concrete["epd_id"], concrete["epd_gwp_a1a3"], concrete["quantity"]) == (
        "NEPD-00777-00777-NO", 245.0, 25.0)


def test_the_script_rebuilds_the_reports_byte_for_byte(tmp_path):
    spec = importlib.util.spec_from_file_location("lag_rapporter", FOLDER / "lag_rapporter.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.main([str(tmp_path)]) == 0
    built = sorted(p.name for p in tmp_path.iterdir())
    assert built == sorted(p.name for p in (FOLDER / "rapporter").iterdir())
    for name in built:
        assert (tmp_path / name).read_bytes() == (FOLDER / "rapporter" / name).read_bytes(), name
