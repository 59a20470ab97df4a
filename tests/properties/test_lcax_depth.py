"""The nesting cap of read_lcax agrees with the true depth of any JSON (hypothesis)."""

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from klimafotavtrykk.errors import InputError
from klimafotavtrykk.exchange import _check_depth

# text full of what could fool a byte scan: brackets, quotes, backslashes, non-ASCII
TRICKY = st.text(alphabet='[]{}"\\aø\u2028 ', max_size=8)
VALUES = st.recursive(
    st.one_of(st.none(), st.integers(), TRICKY),
    lambda inner: st.one_of(st.lists(inner, max_size=3),
                            st.dictionaries(TRICKY, inner, max_size=3)),
    max_leaves=20)


def _depth(value) -> int:
    if isinstance(value, dict):
        return 1 + max(map(_depth, value.values()), default=0)
    if isinstance(value, list):
        return 1 + max(map(_depth, value), default=0)
    return 0


@settings(max_examples=300, deadline=None)
@given(VALUES, st.booleans())
def test_depth_cap_matches_the_true_depth(value, ascii_only):
    data = json.dumps(value, ensure_ascii=ascii_only).encode()
    depth = _depth(value)
    _check_depth(data, "f.json", max(depth, 1))  # at the true depth: accepted
    if depth > 1:
        with pytest.raises(InputError, match="nested too deeply"):
            _check_depth(data, "f.json", depth - 1)
