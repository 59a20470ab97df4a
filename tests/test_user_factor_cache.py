"""A user's factor frame is validated once per content, and a changed frame never reuses it."""

import pandas as pd
import pytest

import klimafotavtrykk as kf
from klimafotavtrykk import user_factors
from klimafotavtrykk.errors import DataError


def _epds(a1a3=100.0):
    return pd.DataFrame({"factor_id": ["EPD A", "EPD B"], "declared_unit": ["kg", "kg"],
                         "A1-A3": [a1a3, 2.0], "source": ["test EPD A", "test EPD B"],
                         "transport_km": [0.0, 0.0], "transport_mode": ["truck", "truck"],
                         "waste_rate": [0.0, 0.0]})


def _lines():
    return pd.DataFrame({"factor_id": ["EPD A", "EPD B"], "quantity": [3.0, 5.0],
                         "unit": ["kg", "kg"], "building_part": ["231", "231"]})


def test_same_content_composed_once(monkeypatch):
    user_factors._COMPOSED.clear()
    built = []
    real = user_factors._compose_frame
    monkeypatch.setattr(user_factors, "_compose_frame",
                        lambda *a: built.append(1) or real(*a))
    first = kf.calculate(_lines(), "en15978", factors=_epds(), extend=False)
    again = kf.calculate(_lines(), "en15978", factors=_epds(), extend=False)  # a new, equal frame
    assert len(built) == 1
    # A1-A3: 3 kg × 100 + 5 kg × 2 = 310 kg CO2e, both times
    assert first.by_module["A1-A3"] == again.by_module["A1-A3"] == 310.0
    assert first.metadata == again.metadata
    # each result owns its metadata lists: changing one leaves the next call's alone
    first.metadata["factor_tables"].append({"name": "x"})
    third = kf.calculate(_lines(), "en15978", factors=_epds(), extend=False)
    assert third.metadata["factor_tables"] == again.metadata["factor_tables"]


def test_changed_value_is_validated_again():
    user_factors._COMPOSED.clear()
    kf.calculate(_lines(), "en15978", factors=_epds(), extend=False)
    changed = kf.calculate(_lines(), "en15978", factors=_epds(a1a3=10.0), extend=False)
    # 3 kg × 10 + 5 kg × 2 = 40 kg CO2e
    assert changed.by_module["A1-A3"] == 40.0
    with pytest.raises(DataError, match="A1-A3"):
        kf.calculate(_lines(), "en15978", factors=_epds(a1a3=float("nan")), extend=False)


def test_same_text_of_another_type_is_another_key():
    as_number = _epds().astype({"A1-A3": object})
    as_text = as_number.copy()
    as_text.loc[0, "A1-A3"] = "100.0"
    assert user_factors._content_key(as_number, True) != user_factors._content_key(as_text, True)
    assert user_factors._content_key(_epds(), True) != user_factors._content_key(_epds(), False)
