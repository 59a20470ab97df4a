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
    "[" + ".".join(["a"] * DEPTH) + "]\nx = 1",         # a table header: the same
], ids=["arrays", "inline_tables", "dotted_key", "table_header"])
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


# ------------------------------------------------ control characters in names (item 5)
EXAMPLES = __import__("pathlib").Path(__file__).resolve().parents[2] / "examples"
RAW = ("\x1b", "\r", "\x07", "\u202e")  # escape, carriage return, bell, right-to-left override


def _rewrite(source, target, old: bytes, new: bytes) -> None:
    """Copy a workbook, replacing bytes in every XML part (a hostile bidder edits the XML)."""
    import zipfile

    with zipfile.ZipFile(source) as src, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            out.writestr(info.filename, src.read(info.filename).replace(old, new))


def test_control_characters_in_file_and_bidder_names_never_reach_the_terminal_raw(tmp_path,
                                                                                   capsys):
    from klimafotavtrykk.cli import main

    folder = tmp_path / "bud"
    folder.mkdir()
    bids = EXAMPLES / "anbud" / "bud"
    # a bidder name that clears the screen and overwrites its own line
    _rewrite(bids / "d_nordlys.xlsx", folder / "d_nordlys.xlsx", b"Nordlys Totalentreprise AS",
             "Nordlys\x1b[2J\rFalsk\u202e AS".encode())
    # a file name with an escape sequence and a bell
    (folder / "a\x1b[31mgronn\x07.xlsx").write_bytes((bids / "a_gronn_betong.xlsx").read_bytes())
    quality = tmp_path / "kvalitet.csv"
    quality.write_text("tilbud,poeng\nGrønn Betong og Bygg AS,8\nd_nordlys.xlsx,6\n",
                       encoding="utf-8")
    code = main(["anbud", "score", str(EXAMPLES / "anbud" / "konkurranse.toml"), str(folder),
                 "--kvalitet", str(quality)])
    out, err = capsys.readouterr()
    assert code == 0
    for raw in RAW:
        assert raw not in out and raw not in err
    assert "Nordlys\\x1b[2J\\x0aFalsk\\u202e AS" in out  # XML reads the CR as a line feed
    assert "a\\x1b[31mgronn\\x07.xlsx" in out + err


def test_control_characters_in_a_sheet_name_are_escaped_in_errors(tmp_path, capsys):
    from klimafotavtrykk.cli import main

    source = tmp_path / "ren.xlsx"
    import openpyxl

    book = openpyxl.Workbook()
    book.active.title = "Ark1"
    book.active.append(["ingen", "overskrift"])
    book.save(source)
    hostile = tmp_path / "mengder.xlsx"
    _rewrite(source, hostile, b'name="Ark1"', b'name="Ark\x1b[2J1"')
    assert main(["beregn", str(hostile), "--ark", "Ark1"]) == 1
    out, err = capsys.readouterr()
    for raw in RAW:
        assert raw not in out and raw not in err
    assert "Ark\\x1b[2J1" in err


# ------------------------------------------- a second materials-like sheet (item 4)
def test_a_second_materials_sheet_before_the_real_one_is_a_finding_never_ignored(tmp_path,
                                                                                 filled):
    import openpyxl

    from klimafotavtrykk.tender.reader import read_bid
    from klimafotavtrykk.tender.template import write_template

    rows, site, declaration = filled
    path = write_template(tmp_path / "bud.xlsx", rows=rows, site=site, declaration=declaration)
    book = openpyxl.load_workbook(path)
    shadow = book.create_sheet("Materials", index=1)  # before "Materialer", as in the issue
    shadow.append(["Beskrivelse", "Mengde", "Enhet"])
    shadow.append(["Påstøp, betong B30", 0.92, "m3"])  # the same job at 1/100 of the quantity
    book.create_sheet("materialer (2)")
    book.save(path)
    bid = read_bid(path)
    assert bid.materials["quantity"].tolist() == [92.0, 5.5]  # "Materialer" is what is read
    found = bid.findings[bid.findings["kind"] == "second_materials_sheet"]
    assert found["source_ref"].tolist() == ["[bud.xlsx]Materials!A1",
                                            "'[bud.xlsx]materialer (2)'!A1"]
    assert found["detail"].tolist() == ["Materials | Materialer", "materialer (2) | Materialer"]


def test_a_bid_with_one_materials_sheet_has_no_such_finding(tmp_path, filled):
    from klimafotavtrykk.tender.reader import read_bid
    from klimafotavtrykk.tender.template import write_template

    rows, site, declaration = filled
    bid = read_bid(write_template(tmp_path / "bud.xlsx", rows=rows, site=site,
                                  declaration=declaration))
    assert not (bid.findings["kind"] == "second_materials_sheet").any()


# -------------------------------- quantities from another workbook, per cell (item 5)
def test_beregn_names_every_cell_taken_from_another_workbook(tmp_path, capsys):
    import sys

    from klimafotavtrykk.cli import main

    sys.path.insert(0, str(EXAMPLES.parent / "tests" / "quantities"))
    from test_excel import HEADER, F, xlsx  # the raw-part workbook builder

    rows = [HEADER, ["1", "LD1.1191", "Plasstøpt betong B30", "m3", F("[1]Ark1!B2", 40.0), "251"],
            ["2", "LC2.117", "Armering B500NC", "tonn", 2.0, "251"],
            ["3", "LD1.1191", "Plasstøpt betong B30", "m3", F("'[2]Mengder'!E9", 12.5), "251"]]
    path = tmp_path / "mengder.xlsx"
    path.write_bytes(xlsx({"name": "Mengder", "rows": rows}))
    assert main(["beregn", str(path)]) == 0
    err = capsys.readouterr().err
    for ref, formula in (("E2", "=[1]Ark1!B2"), ("E4", "='[2]Mengder'!E9")):
        assert (f"Merknad: [mengder.xlsx]Mengder!{ref} er hentet fra en annen arbeidsbok "
                f"({formula})") in err
    assert "E3 er hentet" not in err
