"""A small winning bid and its contract file, built here for the follow-up input tests.

The bid has three machines (one on electricity, one on HVO100, one on diesel),
a mass-transport job, one concrete line with an EPD and one rebar line without.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from klimafotavtrykk.tender.template import write_template

CONTRACT = """\
name = "Testskolen"
bid = "bud.xlsx"
contract_sum_nok = 50000000
start = "2025-06"
end = "2025-09"

[[rules]]
kind = "budget_share"
[rules.parameters]
bonus_rate = 0.10
cap_nok = 1000000
[rules.sources]
bonus_rate = "Statens vegvesen, klimabonus 2020 (bygg.no)"
cap_nok = "client: stated in the tender documents"
"""


def write_bid(path) -> None:
    """Write the bid workbook."""
    rows = pd.DataFrame({
        "post_number": ["251.01", "251.02"], "description": ["Påstøp, betong B30", "Armering"],
        "quantity": [92.0, 5.5], "unit": ["m3", "tonn"], "product": ["Lavkarbon B30", None],
        "epd_id": ["NEPD-434-305-EN", None], "epd_declared_unit": ["m3", None],
        "epd_gwp_a1a3": [215.5, None], "dataset_type": ["product_epd", None],
        "committed": [True, None], "line_key": ["251.01#aaaa", "251.02#bbbb"],
    })
    site = pd.DataFrame({
        "category": ["maskin", "maskin", "maskin", "massetransport"],
        "activity": ["Graving", "Lasting", "Graving", "Masser ut"],
        "machine": ["Gravemaskin el", "Hjullaster", "Gravemaskin diesel", None],
        "machine_class": ["Gravemaskin", None, "Gravemaskin", None],
        "carrier": ["electricity_no", "hvo100", "diesel", None],
        "quantity": [2_000.0, 500.0, 300.0, 40_000.0], "unit": ["kWh", "l", "timer", "tonnkm"],
        "rated_power_kw": [None, None, 90.0, None],
        "vehicle_class": [None, None, None, "truck_long_haul"],
        "committed": [True, True, True, True],
    })
    write_template(path, rows=rows, site=site,
                   declaration={"bidder": "Bygg AS", "org_number": "999 888 777",
                                "date": dt.datetime(2025, 3, 28), "price_nok": 50_000_000.0})


def write_contract(folder, text: str = CONTRACT):
    """The bid and a contract file naming it, in ``folder``; returns the contract path."""
    write_bid(folder / "bud.xlsx")
    path = folder / "kontrakt.toml"
    path.write_text(text, encoding="utf-8")
    return path
