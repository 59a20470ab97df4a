"""NS 3420 part V (ventilation) in the code table: named as a family, never a fallback factor."""

from __future__ import annotations

import pandas as pd
import pytest

import klimafotavtrykk as kf
from klimafotavtrykk._data import data_path


def table():
    """The building code table as text."""
    return pd.read_csv(data_path("mappings", "ns3420.csv"), dtype=str, keep_default_na=False)


@pytest.mark.parametrize(("prefix", "family"), [
    ("V", "ventilation"), ("VB", "ventilation_ducts"), ("VV", "ventilation_ducts"),
    ("VE", "ventilation_terminals"), ("VH", "ventilation_units"), ("BM", "ventilation"),
])
def test_ventilation_prefixes_name_a_family_and_no_factor(prefix, family):
    """Each ventilation prefix documents its family and gives no fallback factor."""
    rows = table().set_index("item_code_prefix")
    assert rows.at[prefix, "material_group"] == family
    assert rows.at[prefix, "factor_id"] == ""
    assert rows.at[prefix, "source_id"] != ""


def test_no_row_claims_k_for_steel():
    """K is landscaping (NS 3420-K Anleggsgartnerarbeider), never steel, in either table."""
    civil = pd.read_csv(data_path("mappings", "ns3420_civil.csv"), dtype=str, keep_default_na=False)
    both = pd.concat([table(), civil])
    k = both[both["item_code_prefix"].str.startswith("K")]
    assert not k["material_group"].str.contains("steel").any()


def test_a_duct_line_with_a_v_code_is_not_matched_by_its_code():
    """A duct with no material word in its text is reported, not guessed from VB."""
    items = pd.DataFrame({"description": ["Kanal Ø200 m/ pakning"], "quantity": [40.0],
                          "unit": ["m"], "item_code": ["VB3.11"]})
    result = kf.calculate(items, profile="ns3720")
    assert result.lines.empty
    assert result.unmatched["reason"].tolist() == ["no_factor"]
