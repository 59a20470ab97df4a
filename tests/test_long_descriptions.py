"""Untrusted item texts are read only as far as ``DESCRIPTION_CHARS_READ`` characters.

A bid or bill may hold item texts of Excel's full 32 767 characters. Matching, the
labour-only and build-up checks and the size parsers read only the start of the text,
so the work per text is bounded; what is written further in is not read, and the
line says so through its reason rather than being dropped.
"""

import warnings

import pandas as pd

import klimafotavtrykk as kf
from klimafotavtrykk.vocabulary import DESCRIPTION_CHARS_READ

FILLER = " ord" * 10_000  # 40 000 characters that name nothing


def _calculate(texts, units):
    lines = pd.DataFrame({"description": texts, "quantity": 10.0, "unit": units,
                          "building_part": "25"})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return kf.calculate(lines, "tek17")


def test_the_start_of_a_long_text_is_read_and_what_follows_is_not():
    assert DESCRIPTION_CHARS_READ == 500
    result = _calculate(
        ["Plasstøpt betong B30, dekke" + FILLER + " riving av eksisterende vegg",  # labour words far in
         "Leveranse" + FILLER + " betong B30"],                                       # material far in
        ["m3", "m3"])
    # line 1: concrete, the labour words after 40 000 characters are not read
    assert result.lines["factor_id"].tolist() == ["concrete_c30_37"]
    assert result.lines["description"].str.len().iloc[0] > 40_000  # the text itself is kept whole
    # line 2: the material named only after 40 000 characters is not read: unmatched, with a reason
    assert result.unmatched["reason"].tolist() == ["no_factor"]


def test_a_layer_list_far_into_a_long_text_is_not_a_build_up():
    text = "Innervegg" + FILLER + ", 48x98 stender, 2x13 mm gips hver side, 100 mm mineralull"
    result = _calculate([text], ["m2"])
    assert result.unmatched["reason"].tolist() != ["assembly"]
