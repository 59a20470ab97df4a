import pandas as pd
import pytest

import klimafotavtrykk as kf
from klimafotavtrykk.alternatives import compare, substitute
from klimafotavtrykk.errors import InputError, SelectionWarning


@pytest.fixture
def lines():
    return pd.DataFrame({
        "factor_id": ["concrete", "paint", None],
        "description": ["Betong dekke", "Maling vegger", "Betong vegg"],
        "quantity": [10.0, 5.0, 2.0],
        "unit": ["m3", "kg", "m3"],
        "building_part": ["251", "232", "221"],
    })


def test_substitute_selects_by_part_and_leaves_input(lines, hand_factors, no_mappings):
    out = substitute(lines, "window", building_part="25", factors=hand_factors, mappings=no_mappings)
    assert out["factor_id"].tolist()[:2] == ["window", "paint"]
    assert out["substituted_from"].tolist() == ["concrete", None, None]
    assert lines["factor_id"].tolist()[0] == "concrete"     # input untouched


def test_substitute_by_description_and_unknown_target(lines, hand_factors, no_mappings):
    out = substitute(lines, "concrete", description="vegg$", factors=hand_factors, mappings=no_mappings)
    # "Maling vegger" does not end in "vegg"; "Betong vegg" does
    assert out["factor_id"].tolist() == ["concrete", "paint", "concrete"]
    with pytest.raises(InputError, match="not in the factor table"):
        substitute(lines, "ghost", building_part="2", factors=hand_factors, mappings=no_mappings)
    with pytest.raises(InputError, match="at least one"):
        substitute(lines, "concrete", factors=hand_factors, mappings=no_mappings)


def test_compare_against_reference(lines, hand_factors, truck, no_mappings):
    kw = dict(factors=hand_factors, transport_modes=truck, mappings=no_mappings)
    base = kf.calculate(lines.iloc[:2], profile="tek17", bta_m2=100, **kw)
    # alternative: the same 10 m3 concrete without generic markup -> A1-A3 2 000 instead of 2 500
    alt_lines = lines.iloc[:2].assign(factor_id=["concrete", "paint"])
    half = substitute(alt_lines, "paint", factor="paint", factors=hand_factors, mappings=no_mappings)
    alt = kf.calculate(half.assign(quantity=[8.0, 5.0]), profile="tek17", bta_m2=100, **kw)
    table = compare({"Referanse": base, "Mindre betong": alt})
    a1a3 = table[(table.module == "A1-A3") & (table.building_part == "25")].set_index("alternative")
    # 8 m3 × 250 = 2 000 against 10 m3 × 250 = 2 500: −500 kg, −20 %
    assert a1a3.loc["Mindre betong", "difference_kg_co2e"] == pytest.approx(-500.0)
    assert a1a3.loc["Mindre betong", "difference_pct"] == pytest.approx(-20.0)
    assert a1a3.loc["Referanse", "difference_kg_co2e"] == 0.0
    totals = table[table.in_total].groupby("alternative", sort=False).kg_co2e.sum()
    assert totals["Referanse"] == pytest.approx(base.total)
    assert "kg_co2e_per_m2_year" in table.columns


def test_compare_joins_parts_missing_from_an_alternative(hand_factors, truck, no_mappings):
    kw = dict(factors=hand_factors, transport_modes=truck, mappings=no_mappings, profile="tek17")
    both = pd.DataFrame({"factor_id": ["paint", "paint"], "quantity": [10.0, 5.0], "unit": ["kg", "kg"],
                         "building_part": ["22", "23"]})
    ref = kf.calculate(both, **kw)
    alt = kf.calculate(both.iloc[:1], **kw)          # part 23 dropped
    table = compare({"ref": ref, "alt": alt})
    alt_rows = table[(table.alternative == "alt") & table.in_total]
    # the alternative's differences add up to the whole change: alt total − ref total
    assert alt_rows.difference_kg_co2e.sum() == pytest.approx(alt.total - ref.total)
    assert set(alt_rows.building_part) == {"22", "23"}


def test_compare_counts_site_contributions(lines, hand_factors, truck, no_mappings):
    kw = dict(factors=hand_factors, transport_modes=truck, mappings=no_mappings, profile="ns3720")
    site = pd.DataFrame({"carrier": ["diesel"], "litres": [100.0], "machine": ["graver"]})
    with_site = kf.calculate(lines.iloc[:2], site=site, **kw)
    table = compare({"uten": kf.calculate(lines.iloc[:2], **kw), "med": with_site})
    totals = table[table.in_total].groupby("alternative", sort=False).kg_co2e.sum()
    assert totals["med"] == pytest.approx(with_site.total)
    # 100 L × 3.34752 kg/l (shipped life-cycle diesel factor) = 334.752 kg more
    assert totals["med"] - totals["uten"] == pytest.approx(334.752)


def test_chained_substitutions_keep_history(lines, hand_factors, no_mappings):
    once = substitute(lines, "window", building_part="25", factors=hand_factors, mappings=no_mappings)
    twice = substitute(once, "concrete", building_part="23", factors=hand_factors, mappings=no_mappings)
    assert twice["substituted_from"].tolist() == ["concrete", "paint", None]
    thrice = substitute(twice, "paint", building_part="25", factors=hand_factors, mappings=no_mappings)
    assert thrice["substituted_from"].tolist()[0] == "concrete"   # the factor it had first


def test_substitute_refuses_a_mistyped_selection_and_counts_changes(lines, hand_factors, no_mappings):
    # a typo in the factor to select used to change nothing and say nothing
    with pytest.raises(InputError, match="'concrte' is not in the factor table"):
        substitute(lines, "window", factor="concrte", factors=hand_factors, mappings=no_mappings)
    out = substitute(lines, "window", building_part="2", factors=hand_factors, mappings=no_mappings)
    assert out.attrs["substituted_lines"] == 3        # 251, 232 and 221 all start with "2"
    with pytest.warns(SelectionWarning, match="select no line"):
        none = substitute(lines, "window", building_part="9", factors=hand_factors, mappings=no_mappings)
    assert none.attrs["substituted_lines"] == 0
    assert none["factor_id"].tolist()[:2] == ["concrete", "paint"]


def test_mistaken_arguments_are_refused_by_name(lines, hand_factors, truck, no_mappings):
    # each of these stopped inside pandas, re or str.join; now the error says what was expected
    with pytest.raises(InputError, match="not a valid regular expression") as info:
        substitute(lines, "concrete", description="vegg(", factors=hand_factors,
                   mappings=no_mappings)
    assert info.value.code == "bad_pattern"
    with pytest.raises(InputError, match="mapping of name to result") as info:
        compare([lines, lines], factors=hand_factors, transport_modes=truck, mappings=no_mappings)
    assert info.value.found == "list"
    with pytest.raises(InputError, match=r"named by a text, got \[1, 2\]"):
        compare({1: lines, 2: lines}, factors=hand_factors, transport_modes=truck,
                 mappings=no_mappings)
