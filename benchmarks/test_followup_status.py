"""The status of a long contract: many months of many machines in one site calculation.

A contract of ``n_months`` months; each monthly report has 100 site rows (machines on diesel,
HVO and electricity, each with fuel and hours) and 20 deliveries against 20 promised lines. The
whole status (A5, shares per month and cumulative, carriers, machines, materials, findings) is
timed. Run ``pytest benchmarks/test_followup_status.py --benchmark-enable``.

Measured on the shared 2-core machine (mean of 5): 0.70 s for 12 months, 0.90 s for 60 months
(6 000 site rows, 1 200 deliveries). The shares per month and cumulative were first computed with
two ``energy_class_shares`` calls per month: 1.73 s and 5.60 s; one pass over all months
(``monthly_class_totals``, binned by month and class) removed the growth with the months.
"""

import numpy as np
import pandas as pd
import pytest

from klimafotavtrykk.followup import Contract, MonthlyReport
from klimafotavtrykk.followup.status import follow_up
from klimafotavtrykk.tender.findings import empty_findings
from klimafotavtrykk.tender.reader import Bid

CARRIERS = np.array(["diesel", "hvo100", "electricity_no"], dtype=object)
COLUMN = {"diesel": "litres", "hvo100": "litres", "electricity_no": "kwh"}


def _site(n, rng, file):
    carrier = CARRIERS[np.arange(n) % 3]
    amount = rng.random(n) * 500.0
    frame = pd.DataFrame({
        "machine_id": [f"M{i}" for i in range(n)], "machine": [f"Maskin {i}" for i in range(n)],
        "machine_class": "excavator", "carrier": carrier, "category": "machine", "scope": "site",
        "litres": np.where(carrier != "electricity_no", amount, np.nan),
        "kwh": np.where(carrier == "electricity_no", amount * 10.0, np.nan),
        "reported_hours": rng.random(n) * 100.0, "emission_free": carrier == "electricity_no",
        "rated_power_kw": 100.0,
    })
    frame["source_ref"] = [f"[{file}]Byggeplass!F{i + 2}" for i in range(n)]
    frame["row_id"] = np.arange(n)
    return frame


def _materials(n, rng):
    return pd.DataFrame({
        "row_id": np.arange(n), "source_ref": None, "line_key": [f"L{i}" for i in range(n)],
        "post_number": None, "description": "Betong B30", "product": "B30",
        "epd_id": [f"NEPD-{i}" for i in range(n)], "epd_declared_unit": "m3",
        "epd_gwp_a1a3": 150.0 + rng.random(n) * 50.0, "quantity": rng.random(n) * 20.0, "unit": "m3"})


def synthetic_contract(n_months, n_rows=100, n_materials=20, seed=3):
    rng = np.random.default_rng(seed)
    bid_site = _site(n_rows, rng, "bud.xlsx").drop(columns=["machine_id", "reported_hours"])
    machines = pd.DataFrame({"machine_id": [f"M{i}" for i in range(n_rows)],
                             "carrier": bid_site["carrier"], "emission_free": bid_site["emission_free"]})
    start = pd.Period("2025-01", "M")
    contract = Contract(file="k.toml", name="Lang kontrakt",
                        bid=Bid(file="bud.xlsx", sha256=None, materials=pd.DataFrame(), site=bid_site,
                                declaration={}, findings=empty_findings()),
                        contract_sum_nok=1e9, start=start, end=start + (n_months - 1),
                        machines=machines, materials=_materials(n_materials, rng))
    reports = [MonthlyReport(file=f"r{m}.xlsx", sha256=None, month=start + m, contractor=None,
                             site=_site(n_rows, rng, f"r{m}.xlsx"), materials=_materials(n_materials, rng),
                             findings=empty_findings()) for m in range(n_months)]
    return contract, reports


@pytest.mark.parametrize("n_months", [12, 60])
def test_follow_up(benchmark, n_months):
    contract, reports = synthetic_contract(n_months)
    result = benchmark(follow_up, contract, reports)
    assert len(result.by_month) == n_months
    assert result.summary["months_reported"] == n_months
