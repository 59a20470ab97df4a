"""The literal prefilter of the alias search: it may keep too many texts, never too few."""

from __future__ import annotations

import re
import sys

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from klimafotavtrykk._regex_literals import LiteralIndex, fold, parse_tree, required_literals


def _all_characters(planes: range) -> str:
    return "".join(chr(c) for c in range(planes.start, planes.stop) if not 0xD800 <= c <= 0xDFFF)


def test_every_character_the_engine_equates_folds_the_same():
    """For each case-sensitive character, every character ``re.IGNORECASE`` matches it with folds alike.

    The engine is asked directly: each character is searched for, case-insensitively, in a
    string of every character of the Basic Multilingual Plane and every case-sensitive one
    beyond it (an uncased character matches only itself).
    """
    from klimafotavtrykk._regex_literals import _EXTRA_CASES

    everything = _all_characters(range(0x10000))
    cased = [ch for ch in _all_characters(range(sys.maxunicode + 1))
             if ch.lower() != ch or ch.upper() != ch]
    text = everything + "".join(ch for ch in cased if ord(ch) >= 0x10000)
    patterns = set(cased) | {chr(c) for c in _EXTRA_CASES}
    differ = [(p, m.group()) for p in sorted(patterns)
              for m in re.finditer(re.escape(p), text, re.IGNORECASE) if fold(m.group()) != fold(p)]
    assert differ == []


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from("aAbBİıIiſsSΣσςΟΔϑθµΜǅǄßKk \u00e6Æ0,.-"), max_size=30)
       | st.text(max_size=30))
def test_fold_is_character_by_character(text):
    """However the text is folded (str.lower when that agrees), each character folds by itself."""
    assert fold(text) == "".join(fold(ch) for ch in text)


def test_fold_keeps_positions():
    text = "Plasstøpt BETONG ſtål \u212aelvin ı İ"
    assert len(fold(text)) == len(text)
    assert fold("BETONG") == "betong"
    assert fold("ſtål") == fold("stål")          # long s is s to the engine
    assert fold("\u212aelvin") == fold("kelvin")  # the Kelvin sign is k
    assert fold("ı") == fold("i") == fold("I")    # dotless i and i are one set
    assert fold("ΟΔΟΣ") == fold("οδος")           # str.lower would end it with a final sigma


@pytest.mark.parametrize(("pattern", "expected"), [
    ("hulldekke|fugebetong", {"hulldekke", "fugebetong"}),
    (r"\bB30\b.*lavkarbon", {"lavkarbon"}),              # the longer of two required runs
    (r"(?=.*kantstein)(?=.*betong)", {"kantstein"}),     # a lookahead's text is in the text
    (r"(?:ab)+c?", {"ab"}),                              # done at least once
    (r"[ab]cd", {"cd"}),                                 # a class ends the run
    (r"(?!foo)bar", {"bar"}),                            # a negative lookahead requires nothing
    (r"stål(?:bjelke|søyle)", {"bjelke", "søyle"}),      # shortest 5 letters beats "stål"'s 4
    (r"(?:bjelke|søyle)r", {"bjelke", "søyle"}),
    (r"\d+", None),
    (r"a?", None),
    (r"x|\d", None),                                     # one alternative requires nothing
    (r"(", None),                                        # not a pattern: searched as before
])
def test_required_literals(pattern, expected):
    found = required_literals(pattern)
    assert (found if found is None else set(found)) == expected


def test_texts_without_a_literal_are_left_out():
    texts = ["Plasstøpt BETONG B30", "ſtålbjelke", "Kantstein, granitt", "tre", ""]
    index = LiteralIndex(texts)
    assert index.containing(frozenset({"betong"})).tolist() == [True, False, False, False, False]
    assert index.containing(frozenset({"stål"})).tolist() == [False, True, False, False, False]
    assert index.containing(frozenset({"tre", "granitt"})).tolist() == [False, False, True, True,
                                                                         False]
    assert index.containing(frozenset({"B30 ſ"})).tolist() == [False] * 5  # never across texts
    some = LiteralIndex(texts[1:3], positions=np.array([1, 2]))  # the texts still open
    assert some.positions[some.containing(frozenset({"granitt"}))].tolist() == [2]


def _alias_patterns() -> list[str]:
    """Every pattern the matching searches with the prefilter: the aliases' and the labour rules'."""
    from klimafotavtrykk.matching import load_labour_patterns, load_mappings

    return [*load_mappings().aliases["pattern"], *load_labour_patterns()["pattern"]]


_PATTERNS = _alias_patterns()
_WORDS = sorted({w for p in _PATTERNS for w in (required_literals(p) or ())})
_ODD = ["ı", "İ", "ſ", "\u212a", "ß", "ẞ", "ϑ", "µ", "ǅ", "Ω", " ", ",", "-", "/", "0", "3", "B"]
_pieces = st.one_of(st.sampled_from(_WORDS), st.sampled_from(_ODD),
                    st.text(alphabet="abcdefghijklmnopqrstuvwxyzæøåABCDEFGHIJKLMNOPQRSTUVWXYZÆØÅ ",
                            max_size=6))


@settings(max_examples=200, deadline=None)
@given(texts=st.lists(st.builds(lambda parts, upper: ("".join(parts).upper() if upper
                                                      else "".join(parts)),
                                st.lists(_pieces, max_size=6), st.booleans()),
                      min_size=1, max_size=25),
       rows=st.lists(st.integers(0, len(_PATTERNS) - 1), min_size=1, max_size=8))
def test_no_text_a_shipped_alias_matches_is_left_out(texts, rows):
    """Against the plain search: every text a shipped pattern finds is among those the index keeps."""
    index = LiteralIndex(texts)
    for row in rows:
        pattern = _PATTERNS[row]
        words = required_literals(pattern)
        kept = index.containing(words) if words is not None else np.ones(len(texts), bool)
        found = np.array([re.search(pattern, t, re.IGNORECASE) is not None for t in texts])
        assert not (found & ~kept).any(), (pattern, [t for t, f, k in zip(texts, found, kept,
                                                                          strict=True) if f and not k])


def test_a_pattern_is_parsed_once_for_every_reader():
    """The tree is read once per pattern and flags (cached), shared by its readers; a pattern
    the parser refuses gives None, and no literals."""
    assert parse_tree("hulldekke|fugebetong") is parse_tree("hulldekke|fugebetong")
    assert parse_tree("(unclosed") is None
    assert required_literals("(unclosed") is None
