"""ScoringRule validation and defaults from the data (klimafotavtrykk.scoring.rule).

Expected values are worked by hand in the comments, or taken from the worked
examples of the project's procurement notes (procurement.md § 4.1 and § 4.2,
which use DFØ's formulas and Statens vegvesen's CO2 price).
"""

import pickle
import tomllib

import pandas as pd
import pytest

from klimafotavtrykk._data import data_path
from klimafotavtrykk.errors import InputError
from klimafotavtrykk.scoring import (
    ScoringRule,
    load_procurement_defaults,
)


def bids(*values, names="ABCDEFGH"):
    return pd.Series(values, index=list(names[: len(values)]), dtype=float)


# ------------------------------------------------------------------ the rule


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"price_weight": 0.5, "climate_weight": 0.3}, "weights must add up to 1"),
        ({"climate_weight": 1.0, "climate_model": "dfo_logarithmic"}, "climate_model: unknown choice"),
        ({"price_weight": 0.7, "climate_weight": 0.3, "climate_model": "co2_price"}, "climate_weight"),
        ({"climate_weight": 1.0, "climate_model": "reduction", "basis": "kg_co2e"}, "reference"),
        ({"climate_weight": 1.0}, "bta_m2: a per-m² basis"),
        ({"climate_weight": 1.0, "basis": "kg_co2e", "co2_price_nok_per_kg": 7.5}, "only used by"),
        ({"price_weight": -0.5, "climate_weight": 1.5, "basis": "kg_co2e"}, "price_weight"),
        ({"climate_weight": 1.0, "basis": "kg_co2e", "bta_m2": 10.0, "frame_kg_co2e_per_m2": 6.0,
          "frame_period": "year"}, "reference_study_period"),
    ],
)
def test_invalid_rules_are_refused(kwargs, match):
    with pytest.raises(InputError, match=match) as info:
        ScoringRule(**kwargs)
    assert pickle.loads(pickle.dumps(info.value)).problem == info.value.problem


def test_rule_defaults_come_from_the_data_file():
    defaults = load_procurement_defaults()
    rule = ScoringRule(climate_weight=1.0, bta_m2=100.0)
    assert rule.climate_model == defaults["climate_model"]
    assert rule.max_points == defaults["max_points"] == 10  # DFØ's 0-10 scale
    assert rule.min_climate_weight == 0.30  # anskaffelsesforskriften § 7-9 (2)
    assert pickle.loads(pickle.dumps(rule)) == rule


def test_every_default_cites_a_known_source():
    raw = tomllib.loads(data_path("procurement", "defaults.toml").read_text(encoding="utf-8"))
    known = set(pd.read_csv(data_path("sources.csv"))["source_id"])
    parameters = [k for k in raw if k not in ("sources", "notes")]
    for name in parameters:
        assert raw["sources"].get(name) in known, f"{name} has no known source"
        if raw["sources"][name] == "library-default":
            assert raw["notes"].get(name), f"default {name} unexplained"


def test_share_bases_match_the_site_model():
    from klimafotavtrykk import site
    from klimafotavtrykk.scoring import ZERO_EMISSION_BASES

    assert ZERO_EMISSION_BASES == site.SHARE_BASES
