r"""Skip the texts a regular expression cannot match, by the literal text every match holds.

Matching a bill of quantities tries a couple of hundred alias patterns on each distinct line
text (:mod:`klimafotavtrykk.matching`). A real bill's texts are nearly all distinct (each post
has its own), and Python's regex engine tries a case-insensitive pattern at every position of a
text, so those searches were almost the whole of ``calculate`` on such a bill (2.7 of 2.9 s for
5 000 distinct texts).

Most patterns name words: ``hulldekke|fugebetong``, ``\bB30\b.*lavkarbon``. Every match of
such a pattern contains one of a few literal strings (here ``hulldekke`` or ``fugebetong``;
``lavkarbon``). :func:`required_literals` reads them from the pattern's parse tree.
:class:`LiteralIndex` joins the texts once, each character replaced by the one the engine's
case-insensitive comparison equates it with (:func:`fold`), and finds the texts that hold one
of the literals with a plain-text search, which is fast. Only those texts are then searched with
the pattern itself, so the answer is the pattern's own: a text without any of the literals
cannot match it.
"""

from __future__ import annotations

import functools
import re

import numpy as np
import pandas as pd

__all__ = ["parse_tree", "required_literals", "LiteralIndex", "fold", "texts_index", "may_match", "first_match",
           "contains"]

#: Separates the texts in the joined string; no literal holds it, so no hit spans two texts.
_SEPARATOR = "\x00"


@functools.lru_cache(maxsize=4096)
def parse_tree(pattern: str, flags: int = re.IGNORECASE):
    """The parse tree of ``pattern`` (CPython's ``re._parser``), read once per process; None if unreadable.

    :func:`required_literals` and the matcher's anchoring of lookahead patterns both read
    it; parsing is most of what compiling costs, and each shipped alias pattern was parsed
    for each reader. The tree is shared: read it, never change it.

    Parameters
    ----------
    pattern : str
        A regular expression (Python syntax).
    flags : int
        The flags it is compiled with.

    Returns
    -------
    re._parser.SubPattern or None
        None where the private parser is missing or refuses the pattern.
    """
    try:
        import re._parser as sre_parse

        return sre_parse.parse(pattern, flags)
    except Exception:  # noqa: BLE001 - a private parser: on any change, the callers do without
        return None


@functools.lru_cache(maxsize=4096)
def required_literals(pattern: str, flags: int = re.IGNORECASE) -> frozenset[str] | None:
    r"""Literal strings one of which every match of ``pattern`` contains, or None.

    Read from the parse tree: a run of literal characters in sequence is
    required; a group, a repeat done at least once and a lookaround that must
    hold require what their contents require; a branch requires one of what
    its alternatives require (when each requires something). Of the choices a
    sequence offers, the one whose shortest string is longest is kept (the
    one that leaves the fewest texts).

    Parameters
    ----------
    pattern : str
        A regular expression (Python syntax).
    flags : int
        The flags it is compiled with.

    Returns
    -------
    frozenset of str or None
        None when no literal is required (``\d+``, ``a?``), or the pattern
        cannot be read.
    """
    tree = parse_tree(pattern, flags)
    if tree is None:
        return None
    try:
        found = _sequence(tree)
    except Exception:  # noqa: BLE001 - a pattern this reader cannot follow is simply searched
        return None
    if not found or any(s == "" or _SEPARATOR in s for s in found):
        return None
    return frozenset(found)


def _sequence(items) -> frozenset[str] | None:
    """What a sequence of parsed items requires: its most selective choice, or None."""
    import re._constants as c

    best: frozenset[str] | None = None
    run: list[str] = []

    def consider(choice: frozenset[str] | None) -> None:
        nonlocal best
        if choice and (best is None or _score(choice) > _score(best)):
            best = choice

    for op, av in items:
        if op is c.LITERAL:
            run.append(chr(av))
            continue
        if run:
            consider(frozenset(["".join(run)]))
            run = []
        if op is c.SUBPATTERN:
            consider(_sequence(av[-1]))
        elif op is c.ATOMIC_GROUP:
            consider(_sequence(av))
        elif op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT) and av[0] >= 1:
            consider(_sequence(av[2]))
        elif op is c.ASSERT:  # (?=...) and (?<=...): its text is in the searched text too
            consider(_sequence(av[1]))
        elif op is c.BRANCH:
            alternatives = [_sequence(a) for a in av[1]]
            if all(alternatives):
                consider(frozenset().union(*alternatives))
        # anything else (classes, any character, anchors, negative lookarounds,
        # references) requires no particular text and ends the run
    if run:
        consider(frozenset(["".join(run)]))
    return best


def _score(choice: frozenset[str]) -> tuple[int, int]:
    """Longer shortest string first, then fewer strings."""
    return min(map(len, choice)), -len(choice)


def fold(text: str) -> str:
    """``text`` with each character replaced by one of the characters a regex equates it with.

    Two characters that Python's regex engine matches to each other under
    ``re.IGNORECASE`` fold to the same character: the engine compares the
    simple lower case of the text's character with that of the pattern's,
    and treats a few sets of lower-case characters as one (``i`` and the
    dotless ``ı``, ``s`` and the long ``ſ``, the Greek ``θ`` and ``ϑ`` ...);
    each character becomes the least of its set. So a text that a
    case-insensitive literal matches contains the literal's fold, as plain
    text (``tests/test_regex_literals.py`` checks this against the engine
    for every case-sensitive character, searched among every character of
    the Basic Multilingual Plane and the case-sensitive ones beyond it).

    Parameters
    ----------
    text : str

    Returns
    -------
    str
        Of the same length, position for position.
    """
    chars = frozenset(text)
    if all(map(_folds_as_lower, chars)):  # nearly always: str.lower gives the same, faster
        return text.lower()
    return text.translate(_fold_table(chars))


@functools.lru_cache(maxsize=65536)
def _folds_as_lower(ch: str) -> bool:
    """Whether :func:`fold` of ``ch`` is ``ch.lower()`` (not for ``İ``, ``ı``, ``ſ``, ``ϑ`` ...)."""
    return ch.lower() == chr(_folded_code(ord(ch)))


def _fold_table(chars: frozenset[str]) -> dict[int, int]:
    """The :func:`fold` of each of ``chars`` that changes, as a ``str.translate`` table."""
    table = {}
    for ch in chars:
        code = ord(ch)
        folded = _folded_code(code)
        if folded != code:
            table[code] = folded
    return table


@functools.lru_cache(maxsize=65536)
def _folded_code(code: int) -> int:
    """The least character code of the engine's case-insensitive class of ``code``."""
    lower = _tolower(code)
    return min((lower, *_EXTRA_CASES.get(lower, ())))


def _engine_case_rules():
    """The regex engine's lower-case function and its sets of equal lower-case characters.

    Both are CPython's own (``re._compiler`` compiles ``IGNORECASE`` with
    them); where they cannot be read, None, and :class:`LiteralIndex` keeps
    every text.
    """
    try:
        import _sre
        import re._casefix as casefix

        return _sre.unicode_tolower, dict(casefix._EXTRA_CASES)
    except (ImportError, AttributeError):
        return None, {}


_tolower, _EXTRA_CASES = _engine_case_rules()


class LiteralIndex:
    """Distinct texts joined and folded once, to find those that contain one of some literals.

    Parameters
    ----------
    texts : sequence of str
        The texts, each a ``str``.
    positions : numpy.ndarray of int64, optional
        What the caller numbers each text (ascending); default 0, 1, 2 ...

    Attributes
    ----------
    n : int
        Number of texts.
    positions : numpy.ndarray of int64
    """

    def __init__(self, texts, positions: np.ndarray | None = None):
        texts = list(texts)
        self.n = len(texts)
        self.positions = (np.arange(self.n, dtype=np.int64) if positions is None
                          else np.asarray(positions, dtype=np.int64))
        lengths = np.fromiter(map(len, texts), dtype=np.int64, count=self.n)
        self.starts = np.concatenate([[0], np.cumsum(lengths + 1)[:-1]]).astype(np.int64)
        self.joined = fold(_SEPARATOR.join(texts)) if _tolower is not None else None

    def containing(self, literals: frozenset[str]) -> np.ndarray:
        """Whether each text may contain one of ``literals``, compared case-insensitively.

        A text counts when it contains a literal's :func:`fold`: every text
        that a pattern requiring these literals can match, with or without
        ``re.IGNORECASE``, by the engine's own case rules (and a few more,
        which the pattern's own search then turns down).

        Returns
        -------
        numpy.ndarray of bool
            One value per text.
        """
        if self.joined is None:  # the engine's case rules are unknown here: no text is left out
            return np.ones(self.n, dtype=bool)
        found = np.zeros(self.n, dtype=bool)
        joined, hits = self.joined, []
        for literal in map(fold, literals):  # str.find: a fast plain-text search, in C
            at = joined.find(literal)
            while at >= 0:
                hits.append(at)
                at = joined.find(literal, at + 1)
        if hits:
            found[np.searchsorted(self.starts, np.asarray(hits, dtype=np.int64), "right") - 1] = True
        return found


# ----------------------------------------------------------- over a column of distinct texts


def texts_index(text: pd.Series) -> LiteralIndex | None:
    """A :class:`LiteralIndex` of a column of texts, or None where one cannot serve.

    None when a value is not a ``str`` (a missing text) or the column's index
    repeats a label: the functions below then try every text.
    """
    values = text.to_numpy(dtype=object)
    if not text.index.is_unique or not all(type(v) is str for v in values):
        return None
    return LiteralIndex(values)


def may_match(index: LiteralIndex | None, pattern: str, cut: str | None = None
              ) -> np.ndarray | None:
    """Positions of the indexed texts that ``pattern`` may match; None where any text may.

    Parameters
    ----------
    index : LiteralIndex or None
    pattern : str
        Searched case-insensitively.
    cut : str, optional
        The mark matches have been replaced with in the texts since they were
        indexed (with blanks around it). A word without blanks and without its
        characters that occurs in a cut text occurs in the text before the
        cuts; a word with them is not used.
    """
    words = required_literals(pattern) if index is not None else None
    if words is None or (cut is not None and any(ch.isspace() or ch in cut
                                                 for word in words for ch in word)):
        return None
    return np.flatnonzero(index.containing(words))


def first_match(text: pd.Series, at: np.ndarray | None, pattern: str) -> pd.DataFrame:
    """``text.str.extract(pattern, flags=re.IGNORECASE)``, searched only at positions ``at``.

    The others hold no match: their rows are NaN, as ``extract`` leaves them.
    """
    if at is None:
        return text.str.extract(pattern, flags=re.IGNORECASE)
    return text.iloc[at].str.extract(pattern, flags=re.IGNORECASE).reindex(text.index)


def contains(text: pd.Series, at: np.ndarray | None, pattern: str) -> pd.Series:
    """``text.str.contains(pattern, case=False, regex=True)``, searched only at positions ``at``."""
    if at is None:
        return text.str.contains(pattern, case=False, regex=True)
    found = np.zeros(len(text), dtype=bool)
    found[at] = text.iloc[at].str.contains(pattern, case=False, regex=True).to_numpy(dtype=bool)
    return pd.Series(found, index=text.index, name=text.name)
