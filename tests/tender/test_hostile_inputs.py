"""Hostile inputs to the tender commands (issue #12, items 4 and 5), each built here.

A competition file nested 100,000 deep, control characters in file, sheet and bidder names,
and a bid with a second materials-like sheet.
"""

from __future__ import annotations

import pytest

from klimafotavtrykk.errors import InputError
from klimafotavtrykk.messages import render_error
from klimafotavtrykk.tender.competition import load_competition

DEPTH = 100_000


@pytest.mark.parametrize("body", [
    "name = " + "[" * DEPTH + "]" * DEPTH,           # arrays: RecursionError in tomllib
    "name = " + "{a=" * DEPTH + "1" + "}" * DEPTH,   # inline tables: the same
    "[sources]\n" + ".".join(["a"] * DEPTH) + " = 1",  # a dotted key: minutes in tomllib
], ids=["arrays", "inline_tables", "dotted_key"])
def test_a_competition_file_nested_100000_deep_gets_a_clear_error_naming_it(tmp_path, body):
    path = tmp_path / "konkurranse.toml"
    path.write_text(body + "\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_competition(path)
    error = info.value
    assert error.code == "competition.too_deep" and error.file == str(path)
    text = render_error(error, "nb")
    assert "nestet for dypt" in text and "konkurranse.toml" in text
    assert "Recursion" not in text and "more than" not in text


def test_numbers_and_quoted_keys_are_not_counted_as_nesting(tmp_path):
    # 40 decimals in one array and a quoted key with 40 dots are flat: they must not be refused
    # as deep (the refusal would come from a later check, not from the nesting guard).
    values = ", ".join(f"{i}.5" for i in range(40))
    path = tmp_path / "konkurranse.toml"
    path.write_text(f'name = "x"\nbuilding_parts = [{values}]\n[sources]\n'
                    f'"{".".join(["a"] * 40)}" = "x"\n', encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_competition(path)
    assert info.value.code != "competition.too_deep"
