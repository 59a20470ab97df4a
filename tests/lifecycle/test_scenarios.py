"""Group scenarios for factor rows without transport or waste (lifecycle.scenarios)."""

import numpy as np
import pandas as pd

from klimafotavtrykk.lifecycle.scenarios import group_scenarios

# two made-up groups: concrete 35 km by truck, 3 % waste; steel 1 000 km, 5 %
GROUPS = pd.DataFrame({"transport_km": [35.0, 1000.0], "transport_mode": ["truck", "truck"],
                       "waste_rate": [0.03, 0.05], "source_id": ["s", "s"], "row": [2, 3]},
                      index=["concrete", "steel"])


def _rows():
    nan = np.nan
    return pd.DataFrame({
        "material_group": ["concrete", "steel", None, "concrete", "unknown"],
        "A4": [nan, 2.0, nan, nan, nan],          # steel declares its A4
        "A5": [nan, nan, nan, 1.0, nan],          # the 4th declares its A5
        "transport_km": [nan, nan, nan, 50.0, nan],
        "transport_mode": [None, None, None, "ship", None],
        "waste_rate": [nan, nan, nan, nan, 0.1],
    }, index=["a", "b", "c", "d", "e"])


def test_only_what_is_missing_is_filled():
    filled, record = group_scenarios(_rows(), GROUPS)
    # a: everything from concrete; b: A4 declared -> only waste; c: no group; d: complete;
    # e: unknown group, own waste rate
    assert filled.loc["a"].tolist() == [35.0, "truck", 0.03]
    assert np.isnan(filled.at["b", "transport_km"]) and filled.at["b", "waste_rate"] == 0.05
    assert np.isnan(filled.at["c", "transport_km"]) and filled.at["c", "transport_mode"] is None
    assert filled.at["d", "transport_km"] == 50.0 and filled.at["d", "transport_mode"] == "ship"
    assert np.isnan(filled.at["d", "waste_rate"])  # A5 declared: no waste rate added
    assert list(record.index) == ["a", "b", "c", "e"]
    assert record["filled"].tolist() == ["transport_km, transport_mode, waste_rate", "waste_rate",
                                         "", ""]
    assert record["missing"].tolist() == ["", "", "A4, A5", "A4"]
    assert record["source_row"].tolist()[:2] == [2, 3]


def test_modules_the_profile_leaves_out_are_not_filled():
    filled, record = group_scenarios(_rows(), GROUPS, transport=False)
    assert np.isnan(filled.at["a", "transport_km"]) and filled.at["a", "waste_rate"] == 0.03
    assert record.at["a", "filled"] == "waste_rate"
    _, none = group_scenarios(_rows(), GROUPS, transport=False, waste=False)
    assert none.empty
