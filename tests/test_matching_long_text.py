"""Long item texts: matching looks at their start, and a long text costs no more than a short one.

Several alias patterns are lookaheads whose search time grows with the square of the text: a
30 000-character description (still within Excel's cell limit) took minutes before the search
was bounded to the first ``matching._MATCH_CHARS`` characters. Without the bound these tests run
for hours instead of failing, which is how they guard it (speed itself is a benchmark matter).
"""

import warnings

import numpy as np
import pandas as pd

import klimafotavtrykk as kf
from klimafotavtrykk import matching

# Neutral words, and the parts of the slowest lookahead patterns (kerbs, membranes) in an order
# that makes them search the whole text.
FILLER = " ".join(np.random.default_rng(7).choice(
    ["utføres", "iht.", "tegning", "og", "beskrivelse", "kant", "stein", "12", "x", "0,2", "mm"],
    size=8_000))[:32_000]


def _lines(descriptions):
    n = len(descriptions)
    return pd.DataFrame({"row_id": np.arange(n), "source_ref": [f"[t.xlsx]M!E{i + 2}" for i in
                                                                range(n)],
                         "post_number": None, "item_code": None, "description": descriptions,
                         "building_part": "23", "quantity": 10.0, "unit": "m3",
                         "factor_id": None, "transport_mode": None, "transport_km": np.nan,
                         "waste_rate": np.nan})


def test_a_long_text_is_matched_by_what_its_start_names():
    short = "Plasstøpt betong B30, søyler"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = kf.calculate(_lines([short, short + ", " + FILLER]), profile="tek17")
    ids = result.lines.sort_values("row_id")["factor_id"].tolist()
    assert len(ids) == 2 and ids[0] == ids[1]  # the long text matches as its first words do


def test_a_material_named_only_after_the_bound_is_unmatched_with_its_reason():
    late = "x" * matching._MATCH_CHARS + " plasstøpt betong B30"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = kf.calculate(_lines([late]), profile="tek17")
    assert len(result.lines) == 0
    assert result.unmatched["reason"].tolist() == ["no_factor"]


def test_anchored_patterns_give_the_search_answer_on_every_shipped_description():
    # Every alias pattern, compiled for search, agrees with a plain case-insensitive search on
    # every description of the shipped examples and the held-out bills, and on texts built from
    # the parts of the lookahead patterns in both orders.
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    texts = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for path in [root / "examples" / "skole.xlsx", root / "examples" / "veg.xlsx",
                     *sorted((root / "tests" / "fixtures" / "heldout").glob("*.xlsx"))]:
            items, _ = kf.read_boq(path)
            texts += items["description"].dropna().tolist()
    texts += ["kantstein betong 12x30", "12 x 30 betongkantstein", "betong 15x30 kantstein",
              "dampsperre 0,20 mm", "0,15 mm byggfolie", "lysmast 8 m aluminium", ""]
    patterns = matching.load_mappings().aliases["pattern"]
    anchored = 0
    for pattern in patterns:
        fast = matching._search_pattern(pattern)
        anchored += fast.pattern != pattern
        plain = re.compile(pattern, re.IGNORECASE)
        for text in texts:
            assert bool(fast.search(text)) == bool(plain.search(text)), (pattern, text)
    assert anchored > 0  # the kerb and membrane patterns are among them
