import pandas as pd
import pytest

from klimafotavtrykk.errors import DataError
from klimafotavtrykk.matching import mappings_from_frames, match_factors

IDS = pd.Index(["concrete_c30_37", "concrete_lowcarbon_b_b30", "glulam", "rebar"], dtype=object)


@pytest.fixture
def mappings():
    aliases = pd.DataFrame({
        "pattern": [r"\bB30\b", r"\bB30\b.*lavkarbon\s*B", "limtre", "betong"],
        "factor_id": ["concrete_c30_37", "concrete_lowcarbon_b_b30", "glulam", "not_in_table"],
        "priority": ["20", "30", "10", "99"],
    })
    codes = pd.DataFrame({"item_code_prefix": ["LB", "LB2", "QB"],
                          "factor_id": ["concrete_c30_37", "concrete_lowcarbon_b_b30", "glulam"]})
    return mappings_from_frames(aliases, codes)


def test_order_explicit_then_alias_then_code(mappings):
    lines = pd.DataFrame({
        "factor_id": ["rebar", None, None, None, None, "ghost", ""],
        "description": ["Plasstøpt betong B30", "Plasstøpt betong B30, lavkarbon B",
                        "Plasstøpt betong B30", "Søyler i LIMTRE", "Ukjent", None, "Ukjent"],
        "item_code": [None, None, "LB2.1", None, "LB2.11", None, "XY1"],
    })
    r = match_factors(lines, IDS, mappings)
    assert IDS[r.factor_idx[:5]].tolist() == [
        "rebar",                      # the line names its factor
        "concrete_lowcarbon_b_b30",   # higher priority alias wins
        "concrete_c30_37",            # alias beats the item code
        "glulam",                     # case-insensitive
        "concrete_lowcarbon_b_b30",   # no alias: longest code prefix LB2
    ]
    assert r.method.tolist() == ["factor_id", "alias", "alias", "alias", "item_code", "factor_id", None]
    assert r.reason.tolist() == [None] * 5 + ["unknown_factor", "no_factor"]


def test_alias_to_a_factor_missing_from_the_table_is_skipped(mappings):
    r = match_factors(pd.DataFrame({"description": ["betong"]}), IDS, mappings)
    assert r.reason.tolist() == ["no_factor"]


def test_bad_pattern_is_a_data_error():
    with pytest.raises(DataError, match="does not compile"):
        mappings_from_frames(pd.DataFrame({"pattern": ["(unclosed"], "factor_id": ["x"], "priority": ["1"]}),
                             pd.DataFrame(columns=["item_code_prefix", "factor_id"]))
