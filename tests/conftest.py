"""Shared fixtures: small hand-solvable factor, transport and mapping tables.

Every value here is made up for hand calculation, except where a comment cites
a published example.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import settings

from klimafotavtrykk.factors import factor_table_from_frame, transport_modes_from_frame
from klimafotavtrykk.matching import mappings_from_frames

# The suite computes with pandas text stored in Python objects, as every entry point of the
# library does (klimafotavtrykk._string_storage), also where pyarrow is installed (it is in the
# test extra); tests/test_string_storage.py calls the entry points with Arrow-stored text.
pd.set_option("mode.string_storage", "python")

# Property tests have no deadline: speed is measured in benchmarks/, never asserted in a test,
# and a shared 2-core CI machine could fail a property for the time one example took.
settings.register_profile("klimafotavtrykk", deadline=None)
settings.load_profile("klimafotavtrykk")

# shared helper modules of the tests (``_one_line``) import by name under --import-mode=importlib
sys.path.insert(0, str(Path(__file__).resolve().parent))


@pytest.fixture
def truck():
    """One transport mode at 0.1 kg CO2e per tonne-km."""
    return transport_modes_from_frame(pd.DataFrame(
        {"transport_mode": ["truck"], "kg_co2e_per_tkm": ["0.1"], "source": ["hand example"]}))


@pytest.fixture
def no_mappings():
    return mappings_from_frames(pd.DataFrame(columns=["pattern", "factor_id", "priority"]),
                                pd.DataFrame(columns=["item_code_prefix", "factor_id"]))


@pytest.fixture
def hand_factors():
    """Three factors with round numbers.

    - ``concrete``: 200 kg CO2e/m3 A1-A3, 2 400 kg/m3, generic, 3 % waste, 50 km by truck,
      C3 10 per m3, D -5 per m3, service life 100 a.
    - ``paint``: 2 kg CO2e/kg A1-A3, product EPD, 4 % waste, service life 15 a, 100 km by truck.
    - ``window``: 100 kg CO2e/m2, declared A4 2 per m2, area mass 40 kg/m2, service life 40 a.
    """
    return factor_table_from_frame(pd.DataFrame({
        "factor_id": ["concrete", "paint", "window"],
        "declared_unit": ["m3", "kg", "m2"],
        "A1-A3": ["200", "2", "100"],
        "A4": ["", "", "2"],
        "C3": ["10", "", ""],
        "D": ["-5", "", ""],
        "indicator": ["gwp-ghg", "gwp-ghg", "gwp-ghg"],
        "dataset_type": ["generic", "product_epd", "product_epd"],
        "density_kg_m3": ["2400", "", ""],
        "area_mass_kg_m2": ["", "", "40"],
        "service_life_years": ["100", "15", "40"],
        "waste_rate": ["0.03", "0.04", ""],
        "transport_km": ["50", "100", ""],
        "transport_mode": ["truck", "truck", ""],
        "source": ["hand example"] * 3,
    }), name="hand")


@pytest.fixture(scope="session")
def best_alias():
    """Factor ids of the highest-priority shipped alias patterns that match a description.

    The shipped ``data/mappings/material_aliases*.csv`` are read once per test
    session; the returned function searches every pattern (``re.search``, any
    case), as the alias tests of the coverage rows need.
    """
    import re
    from pathlib import Path

    folder = Path(__file__).parents[1] / "data" / "mappings"
    table = pd.concat([pd.read_csv(p, dtype=str, keep_default_na=False, encoding="utf-8")
                       for p in sorted(folder.glob("material_aliases*.csv"))], ignore_index=True)
    patterns = [re.compile(p, re.IGNORECASE) for p in table["pattern"]]
    priority = table["priority"].astype(int).to_numpy()
    factor_ids = table["factor_id"].to_numpy()

    def best(description: str) -> set[str]:
        hit = [p.search(description) is not None for p in patterns]
        if not any(hit):
            return set()
        top = priority[hit].max()
        return set(factor_ids[hit][priority[hit] == top])

    return best
