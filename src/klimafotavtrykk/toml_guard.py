"""Refuse a TOML text nested too deeply before :mod:`tomllib` reads it.

The competition file and the contract file are TOML. tomllib recurses once
per nested array or inline table (a ``RecursionError`` at about a thousand
levels), and its time grows with the square of a dotted key's length, in a
key or a table header alike (10,000 parts take about a second, 100,000 parts
minutes). :func:`nesting_exceeds` counts, in one pass over the text's tokens
with strings and comments skipped, the open brackets and the dots of the key
or table header being read (not the dots of numbers or quoted keys), and
says whether the count ever passes a limit.
"""

from __future__ import annotations

import re

__all__ = ["nesting_exceeds"]

#: Strings (basic, literal, multi-line) and comments, which are skipped whole, and the one-character
#: tokens that open or close a level, separate key parts, end a key or a line.
_TOKENS = re.compile(r'"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\'|"(?:[^"\\\n]|\\.)*"|\'[^\'\n]*\'|#[^\n]*'
                     r"|[\[\]{}.=,\n]")


def nesting_exceeds(text: str, limit: int) -> bool:
    r"""Whether open arrays, tables and the parts of a dotted key ever nest deeper than ``limit``.

    Parameters
    ----------
    text : str
        The TOML text, as read from the file.
    limit : int
        Deepest nesting accepted [levels]: open brackets plus the dots of
        the key or table header being read.

    Returns
    -------
    bool
        True as soon as the count passes ``limit``.

    Examples
    --------
    >>> nesting_exceeds("[a.b]\nx = [1.5, 2.5]\n", 2)
    False
    >>> nesting_exceeds("[a.b.c.d]\n", 2)
    True
    """
    stack: list[str] = []
    in_key, dots = True, 0
    for token in _TOKENS.findall(text):
        if token in ("[", "{"):
            stack.append(token)
            if token == "{":  # an inline table starts with a key; an array or a header keeps its state
                in_key, dots = True, 0
        elif token in ("]", "}"):
            if stack:
                stack.pop()
        elif token == "=":
            in_key, dots = False, 0
        elif token == "," and stack and stack[-1] == "{":
            in_key, dots = True, 0
        elif token == "\n" and not stack:
            in_key, dots = True, 0
        elif token == "." and in_key:
            dots += 1
        if len(stack) + dots > limit:
            return True
    return False
