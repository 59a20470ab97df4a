"""Builders for contracts and monthly reports, constructed directly (no workbook read).

The hand example used across the follow-up tests: a three-month contract
(2025-01 .. 2025-03) whose winning bid promised three machines, each reported
monthly:

==  ==================  ================  ====================================
id  machine             carrier           promised over the contract
==  ==================  ================  ====================================
M1  Gravemaskin el      electricity_no    3 000 kWh (1 000 a month)
M2  Hjullaster HVO      hvo100            300 L (100 a month)
M3  Dumper diesel       diesel            600 L (200 a month)
==  ==================  ================  ====================================

Factors (data/emission_factors/energy_carriers.csv, scope wtw, read by hand):
electricity_no 0.015 kg CO2e/kWh; hvo100 0.5576 kg CO2e/L and 9.44444 kWh/L;
diesel 3.34752 kg CO2e/L and 9.77778 kWh/L.
"""

from __future__ import annotations

from types import SimpleNamespace

import pandas as pd
import pytest

from klimafotavtrykk.followup import Contract, MonthlyReport, Rule
from klimafotavtrykk.tender.findings import empty_findings
from klimafotavtrykk.tender.reader import Bid

# the promise, per machine: (id, name, class, carrier, amount column, amount over the contract)
PROMISED = [("M1", "Gravemaskin el", "excavator", "electricity_no", "kwh", 3000.0),
            ("M2", "Hjullaster HVO", "wheel_loader", "hvo100", "litres", 300.0),
            ("M3", "Dumper diesel", "site_dumper", "diesel", "litres", 600.0)]


def site_rows(rows, file="bud.xlsx"):
    """A site frame (bid or report) from dicts; missing columns left empty."""
    frame = pd.DataFrame(rows)
    frame["source_ref"] = [f"[{file}]Byggeplass!F{i + 2}" for i in range(len(frame))]
    frame["scope"] = frame.get("scope", "site")
    frame["category"] = frame.get("category", "machine")
    frame["row_id"] = range(len(frame))
    return frame


def make_bid(site, materials=None, file="bud.xlsx"):
    return Bid(file=file, sha256=None, site=site, declaration={}, findings=empty_findings(),
               materials=materials if materials is not None else pd.DataFrame())


def promise_site():
    return site_rows([{"machine": name, "machine_class": cls, "carrier": carrier, amount: value,
                       "committed": True} for _, name, cls, carrier, amount, value in PROMISED])


def promised_machines():
    return pd.DataFrame({"machine_id": [p[0] for p in PROMISED], "machine": [p[1] for p in PROMISED],
                         "machine_class": [p[2] for p in PROMISED],
                         "carrier": [p[3] for p in PROMISED], "category": "machine",
                         "emission_free": [True, False, False]})


def material_rows(rows):
    frame = pd.DataFrame(rows)
    for column in ("row_id", "source_ref", "line_key", "post_number", "description", "product",
                   "epd_id", "epd_declared_unit", "epd_gwp_a1a3", "quantity", "unit"):
        if column not in frame:
            frame[column] = None
    frame["row_id"] = range(len(frame))
    return frame


def make_contract(*, rules=(), climate_budget_kg=None, materials=None, contract_sum_nok=100e6,
                  start="2025-01", end="2025-03", site=None, machines=None):
    return Contract(file="kontrakt.toml", name="Testkontrakt", bid=make_bid(site if site is not None
                                                                           else promise_site()),
                    contract_sum_nok=contract_sum_nok, start=pd.Period(start, "M"),
                    end=pd.Period(end, "M"),
                    machines=machines if machines is not None else promised_machines(),
                    materials=materials if materials is not None else material_rows([]),
                    rules=tuple(rules), climate_budget_kg=climate_budget_kg)


def make_report(month, rows, materials=None, file=None):
    file = file or f"rapport_{month}.xlsx"
    return MonthlyReport(file=file, sha256=None, month=pd.Period(month, "M"), contractor="Entreprenør AS",
                         site=site_rows(rows, file) if rows else site_rows([{"carrier": None}], file)
                         .iloc[:0], materials=materials if materials is not None else material_rows([]),
                         findings=empty_findings())


def machine_row(machine_id, amount, hours, **extra):
    """A report row for promised machine ``machine_id`` with ``amount`` in its promised unit."""
    _, name, cls, carrier, column, _ = next(p for p in PROMISED if p[0] == machine_id)
    return {"machine_id": machine_id, "machine": name, "machine_class": cls, "carrier": carrier,
            column: amount, "reported_hours": hours, "emission_free": carrier == "electricity_no",
            **extra}


def three_months(m3_march=180.0):
    """The hand example's reports: January as promised, February and March off it.

    ====  ===========  ======  ======  =====================
    month M1 kWh (h)   M2 L    M3 L    hours M1 / M2 / M3
    ====  ===========  ======  ======  =====================
    01    1 000        100     200     50 / 40 / 60
    02    1 200        80      250     60 / 30 / 70
    03    800          120     180     40 / 50 / 60
    ====  ===========  ======  ======  =====================
    """
    plan = {"2025-01": (1000.0, 100.0, 200.0, (50, 40, 60)),
            "2025-02": (1200.0, 80.0, 250.0, (60, 30, 70)),
            "2025-03": (800.0, 120.0, m3_march, (40, 50, 60))}
    return [make_report(month, [machine_row("M1", a, h[0]), machine_row("M2", b, h[1]),
                                machine_row("M3", c, h[2])])
            for month, (a, b, c, h) in plan.items()]


@pytest.fixture
def contract():
    return make_contract()


@pytest.fixture
def reports():
    return three_months()


def budget_rule(**parameters):
    source = {k: "hand example" for k in parameters}
    return Rule(kind="budget_share", parameters=parameters, sources=source)


@pytest.fixture
def fu():
    """The builders above, for test modules (conftest is not importable under importlib mode)."""
    return SimpleNamespace(site_rows=site_rows, make_bid=make_bid, promise_site=promise_site,
                           promised_machines=promised_machines, material_rows=material_rows,
                           make_contract=make_contract, make_report=make_report,
                           machine_row=machine_row, three_months=three_months,
                           budget_rule=budget_rule)
