"""Build-ups on one line, computed layer by layer (klimafotavtrykk.assemblies).

Expected numbers are worked by hand from the factor rows' published values
(Boverket 02.06.000, typical A1-A3) and the framing rule of
data/geometry/framing.toml; the generic markup of the building profiles is 1.25.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

import klimafotavtrykk as kf
from klimafotavtrykk.assemblies import (
    LAYER_COLUMNS,
    expand_layers,
    refuse_incomplete,
    split_layers,
)
from klimafotavtrykk.vocabulary import MODULES

WALL = "Innervegg type IV1: 48x98 stender, 2x13 mm gips hver side, 100 mm mineralull"
MARKUP = 1.25
# framed wall 48x98 at the default c/c 600: (1/0.6 + 2 plates / 2.4 m) x 0.048 x 0.098 x 1.15
STUDS_M3_PER_M2 = (1 / 0.6 + 2 / 2.4) * 0.048 * 0.098 * 1.15  # 0.0135240


def run(descriptions, quantities, units, parts=None, profile="ns3720"):
    """Compute lines (building part 25 unless given) without showing warnings."""
    lines = pd.DataFrame({"description": descriptions, "quantity": quantities, "unit": units,
                          "building_part": parts or ["25"] * len(descriptions)})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return kf.calculate(lines, profile)


# ------------------------------------------------------------------ layer 1 functions


def test_split_layers_drops_the_heading_and_counts_sides():
    layers = split_layers(pd.Series([WALL, "Gips 13 mm"]))
    assert layers["text"].tolist() == [0, 0, 0, 1]
    assert layers["layer"].tolist() == ["48x98 stender", "2x13 mm gips hver side",
                                        "100 mm mineralull", "Gips 13 mm"]
    assert layers["sides"].tolist() == [1, 2, 1, 1]


@pytest.mark.parametrize(
    ("text", "sides"),
    [("2x12,5 mm gips pr side", 2), ("13 mm gips på begge sider", 2), ("13 mm gips per side", 2),
     ("gips 13 mm 2 sider", 2), ("13 mm gips mot korridor", 1), ("13 mm gips, én side", 1)],
)
def test_sides_words(text, sides):
    layers = split_layers(pd.Series([f"Vegg: 48x98 stender, {text}"]))
    assert layers["sides"].tolist()[-1] == sides


def test_the_decimal_comma_does_not_split_a_layer():
    layers = split_layers(pd.Series(["Systemvegg stålstender 70 mm, 2x12,5 mm gips pr side"]))
    assert layers["layer"].tolist() == ["Systemvegg stålstender 70 mm", "2x12,5 mm gips pr side"]


def test_context_clauses_and_parts_without_a_size_are_no_layers():
    layers = split_layers(pd.Series(["Vegg: 48x98 stender, 13 mm gips, sparklet og malt, "
                                     "inkl. 50 mm lydlist"]))
    assert layers["layer"].tolist() == ["48x98 stender", "13 mm gips"]


def test_expand_layers_keeps_order_and_multiplies_sides():
    items = pd.DataFrame({"description": ["Betong B30", WALL, "Gips 13 mm"],
                          "quantity": [5.0, 10.0, 7.0], "unit": ["m3", "m2", "m2"]})
    rows = expand_layers(items, np.array([False, True, False]))
    line, layer, sides = LAYER_COLUMNS
    assert rows["description"].tolist() == ["Betong B30", "48x98 stender", "2x13 mm gips hver side",
                                            "100 mm mineralull", "Gips 13 mm"]
    assert rows["quantity"].tolist() == [5.0, 10.0, 20.0, 10.0, 7.0]  # gypsum on two sides
    assert rows[line].tolist() == [-1, 1, 1, 1, -1]
    assert rows[sides].tolist() == [1, 1, 2, 1, 1]


def test_expand_layers_is_a_no_op_without_build_ups():
    items = pd.DataFrame({"description": ["Betong B30"], "quantity": [5.0], "unit": ["m3"]})
    rows = expand_layers(items, np.array([False]))
    assert rows["description"].tolist() == ["Betong B30"]
    assert rows[LAYER_COLUMNS[0]].tolist() == [-1]


def test_refuse_incomplete_refuses_every_layer_of_a_failing_build_up():
    reason = np.array([None, None, "no_factor", None, None, None], dtype=object)
    line = np.array([-1, 1, 1, 3, 3, -1])
    out = refuse_incomplete(reason, line)
    assert out.tolist() == [None, "assembly", "no_factor", None, None, None]


# ------------------------------------------------------------------ through the engine


def test_a_wall_build_up_is_the_sum_of_its_layers():
    r = run([WALL], [420.0], ["m2"])
    assert r.unmatched.empty and len(r.lines) == 1
    line = r.lines.iloc[0]
    studs = 420 * STUDS_M3_PER_M2 * 455       # 2 584.4 kg of sawn timber
    gypsum = 420 * 2 * 0.026 * 710           # 2 x 13 mm on each of 2 sides: 15 506.4 kg
    wool = 420 * 0.100 * 29                  # 1 218 kg of stone wool (mineralull)
    assert line["mass"] == pytest.approx(studs + gypsum + wool, rel=1e-9)
    # A1-A3: 0.064, 0.227 and 1.28 kg CO2e/kg (Boverket), x 1.25
    a13 = (studs * 0.064 + gypsum * 0.227 + wool * 1.28) * MARKUP
    assert line["A1-A3"] == pytest.approx(a13, rel=1e-9)  # 206.75 + 4 399.94 + 1 948.80
    assert line["factor_id"] == "sawn_timber + gypsum_board_standard + stone_wool_batts"
    assert line["match_method"] == "assembly"
    assert "2x13 mm gips hver side (× 2) → gypsum_board_standard" in line["layers"]
    assert line["description"] == WALL  # the line as written, not a layer


def test_totals_reconcile_with_the_lines_and_parts():
    r = run([WALL, "Plasstøpt betong B30", WALL], [420.0, 10.0, 100.0], ["m2", "m3", "m2"],
            parts=["25", "25", "24"])
    assert len(r.lines) == 3 and r.unmatched.empty
    assert r.by_module.to_numpy() == pytest.approx(r.lines[list(MODULES)].sum().to_numpy())
    assert r.by_building_part.sum().to_numpy() == pytest.approx(r.by_module.to_numpy())
    # lines come back in input order; the second wall is 100/420 of the first
    assert r.lines["quantity"].tolist() == [420.0, 10.0, 100.0]
    assert r.lines["kg_co2e"].iloc[2] == pytest.approx(r.lines["kg_co2e"].iloc[0] * 100 / 420)


def test_a_build_up_with_a_layer_that_fails_is_not_counted_at_all():
    wall = "Vegg: 48x98 stender, 2x13 mm gips hver side, 30 mm hampeplate"  # no hemp-board row
    r = run([wall, "Plasstøpt betong B30"], [1450.0, 10.0], ["m2", "m3"])
    assert r.lines["description"].tolist() == ["Plasstøpt betong B30"]
    out = r.unmatched.iloc[0]
    assert (out["description"], out["reason"], out["hint"]) == (wall, "assembly", "assembly")
    assert "30 mm hampeplate: no_factor" in out["detail"]
    assert "48x98 stender: computable (sawn_timber)" in out["detail"]
    assert "2x13 mm gips hver side: computable" in out["detail"]
    # nothing of the wall reaches the totals: only the concrete line
    assert r.total == pytest.approx(r.lines["kg_co2e"].sum())


def test_a_reason_of_the_whole_line_is_kept():
    r = run([WALL], [420.0], ["RS"])
    assert r.unmatched["reason"].tolist() == ["lump_sum"]
    r = run([WALL], [420.0], ["m2"], parts=["73"], profile="tek17")
    assert r.unmatched["reason"].tolist() == ["out_of_scope"]


def test_a_factor_id_on_the_line_wins_over_the_layers():
    lines = pd.DataFrame({"description": [WALL], "quantity": [10.0], "unit": ["m2"],
                          "building_part": ["25"], "factor_id": ["gypsum_board_standard"]})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        r = kf.calculate(lines, "ns3720")
    assert r.lines["factor_id"].tolist() == ["gypsum_board_standard"]
    assert r.lines["layers"].isna().all()


def test_every_line_is_kept_once():
    texts = [WALL, "Systemvegg stålstender 70 mm, 2x12,5 mm gips pr side, 50 mm isolasjon",
             "Gipsplater 13 mm", "Noe ukjent", WALL]
    r = run(texts, [1.0, 2.0, 3.0, 4.0, 5.0], ["m2"] * 5)
    assert len(r.lines) + len(r.unmatched) == len(texts)
    assert sorted(r.lines["quantity"].tolist() + r.unmatched["quantity"].tolist()) == [1, 2, 3, 4, 5]
    assert not set(LAYER_COLUMNS) & (set(r.lines.columns) | set(r.unmatched.columns))
    assert r.metadata["input_lines"] == 5
