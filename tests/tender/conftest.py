"""Fixtures shared by the tests of the bid workbook (template, reader)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest


@pytest.fixture
def filled():
    """Two material rows, two site rows and a declaration, as a bidder fills them in."""
    rows = pd.DataFrame({
        "post_number": ["251.01", "251.02"], "item_code": ["LD1.1191", "LC2.117"],
        "building_part": ["251", "251"], "description": ["Påstøp, betong B30", "Armering"],
        "quantity": [92.0, 5.5], "unit": ["m3", "tonn"], "product": ["Lavkarbon B30", None],
        "epd_id": ["NEPD-434-305-EN", None], "epd_declared_unit": ["m3", None],
        "epd_gwp_a1a3": [215.5, None], "dataset_type": ["product_epd", None],
        "epd_valid_until": [dt.datetime(2027, 6, 30), None], "mass_per_unit": [2_400.0, None],
        "transport_km": [25.0, None], "transport_mode": ["truck_concrete", None],
        "waste_rate": [0.02, None], "committed": [True, None],
    })
    site = pd.DataFrame({
        "category": ["maskin", "massetransport"], "activity": ["Graving", "Masser ut"],
        "machine": ["Gravemaskin 1", None], "machine_class": ["Gravemaskin", None],
        "carrier": ["hvo100", None], "quantity": [1_200.0, 40_000.0], "unit": ["l", "tonnkm"],
        "rated_power_kw": [None, None], "vehicle_class": [None, "truck_long_haul"],
        "committed": [True, False],
    })
    declaration = {"bidder": "Bygg AS", "org_number": "999 888 777",
                   "date": dt.datetime(2025, 3, 28), "price_nok": 12_500_000.0}
    return rows, site, declaration
