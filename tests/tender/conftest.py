"""Fixtures shared by the tender tests.

A filled bid workbook, and factors and mappings made up for hand calculation
(see tests/tender/test_evaluation.py).
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from klimafotavtrykk.factors import factor_table_from_frame
from klimafotavtrykk.matching import mappings_from_frames


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


@pytest.fixture
def factors():
    return factor_table_from_frame(pd.DataFrame({
        "factor_id": ["concrete", "rebar"],
        "declared_unit": ["m3", "kg"],
        "A1-A3": ["300", "1.0"],
        "dataset_type": ["generic", "generic"],
        "material_group": ["concrete", "steel"],
        "density_kg_m3": ["2400", ""],
        "source": ["hand example", "hand example"],
    }), name="hand")


@pytest.fixture
def mappings():
    return mappings_from_frames(
        pd.DataFrame({"pattern": ["betong", "armering"], "factor_id": ["concrete", "rebar"],
                      "priority": ["1", "1"]}),
        pd.DataFrame(columns=["item_code_prefix", "factor_id"]))
