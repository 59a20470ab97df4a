"""The fast scan finds exactly what the byte-by-byte scan found, and inflates each part once.

The rare markers are looked for with memchr on one of their bytes and a vectorised check
where that byte is common; each finder is compared here with the plain search it replaces
(``bytes.find``, ``bytes.count``, the regular expressions) on generated text, at range
edges, and with many hits of the rare byte.
"""

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from _zips import zip_bytes
from klimafotavtrykk.errors import UnsafeWorkbookError
from klimafotavtrykk.quantities import safety
from klimafotavtrykk.quantities.safety import check_archive

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
NEEDLES = [(b"</f>", 2), (b":f>", 1), (b"hidden=", 0), (b"zeroHeight", 0), (b"sheetData", 5)]
# text made of the needles' pieces, so that near-misses and overlaps are common
PIECES = [b"<", b"/", b"f", b">", b":", b"c", b" ", b"\n", b"hidden", b"=", b"zero", b"Height",
          b"sheet", b"Data", b"D", b"!", b"<!", b"DOCTYPE", b"doctype", b"ENTITY", b"si", b"x",
          b"\x0b", b"\x0c", b"\t"]
texts = st.lists(st.sampled_from(PIECES), max_size=300).map(b"".join)


def _bounds(data, a, b):
    start = min(a, len(data))
    return start, max(start, min(len(data), b))


@settings(max_examples=300, deadline=None)
@given(data=texts, a=st.integers(0, 40), b=st.integers(0, 4000))
def test_the_finders_agree_with_the_plain_searches(data, a, b):
    start, end = _bounds(data, a, b)
    for needle, rare in NEEDLES:
        assert safety._contains(data, needle, start, end, rare) == (
            data.find(needle, start, end) >= 0), needle
    assert safety._declares_dtd(data, start, end) == bool(safety._DTD.search(data, start, end))
    assert safety._prefixed_cell(data, start, end) == bool(
        safety._PREFIXED_CELL.search(data, start, end))
    assert safety._shared_strings(data, start, end) == (
        data.count(b"<si", start, end) + data.count(b":si", start, end))


@pytest.mark.parametrize("filler", [b"f", b"h", b":", b"!", b"D", b"z"])
@pytest.mark.parametrize("where", ["start", "middle", "end", "absent"])
def test_many_hits_of_the_rare_byte_go_to_the_vectorised_check(filler, where):
    # 100 000 hits of the rare byte before (or around) the marker: past the hits checked one by
    # one, numpy checks the rest of the range; markers at the range's very edges are found
    # only when wholly inside it.
    body = filler * 100_000
    for needle, rare in [*NEEDLES, (b"<!DOCTYPE", None), (b":c ", None), (b"<si", None)]:
        data = {"start": needle + body, "middle": body + needle + body,
                "end": body + needle, "absent": body}[where]
        for start, end in ((0, len(data)), (1, len(data)), (0, len(data) - 1)):
            if rare is not None:
                got = safety._contains(data, needle, start, end, rare)
                assert got == (data.find(needle, start, end) >= 0), (needle, start, end)
        assert safety._declares_dtd(data, 0, len(data)) == bool(safety._DTD.search(data))
        assert safety._prefixed_cell(data, 0, len(data)) == bool(
            safety._PREFIXED_CELL.search(data))
        assert safety._shared_strings(data, 0, len(data)) == (
            data.count(b"<si") + data.count(b":si"))
        assert safety._shared_strings(data, 1, len(data) - 1) == (
            data.count(b"<si", 1, len(data) - 1) + data.count(b":si", 1, len(data) - 1))


def test_a_lower_case_entity_after_many_exclamation_marks_is_refused():
    text = b"<sst>" + b"<si><t>Merk!</t></si>" * 20_000 + b"<!eNtItY x 'y'></sst>"
    data = _zipped({"xl/sharedStrings.xml": text})
    with pytest.raises(UnsafeWorkbookError) as info:
        check_archive(data, "bud.xlsx")
    assert info.value.code == "xml_entities"


def _zipped(extra: dict) -> bytes:
    members = {
        "[Content_Types].xml": b"<Types/>",
        "xl/workbook.xml": f'<workbook xmlns="{MAIN}"><sheets/></workbook>'.encode(),
        **extra,
    }
    return zip_bytes(members)


def _sheet(rows: int, unusual_at: int, ref: str | None = None) -> bytes:
    """Rows of two cells; at row ``unusual_at`` one cell spelled with r last (exact pass)."""
    cells = []
    for r in range(1, rows + 1):
        second = (f'<c t="n" r="{ref or f"B{r}"}"><v>2</v></c>' if r == unusual_at
                  else f'<c r="B{r}" t="n"><v>2</v></c>')
        cells.append(f'<row r="{r}"><c r="A{r}" s="1"><v>{r}</v></c>{second}</row>')
    return (f'<worksheet xmlns="{MAIN}"><sheetData>' + "".join(cells)
            + "</sheetData></worksheet>").encode()


@pytest.mark.parametrize("unusual_at", [1, 30_000, 59_999])
def test_the_exact_pass_runs_on_the_same_inflated_bytes(monkeypatch, unusual_at):
    # 60 000 rows (about 5 MB, three scan ranges): the fast extent gives up at the unusual cell
    # and the exact pass takes the part from its start, without inflating it again.
    data = _zipped({"xl/worksheets/sheet1.xml": _sheet(60_000, unusual_at)})
    inflated = []
    inflate = safety._inflate

    def counted(data, info, *args):
        inflated.append(info.filename)
        return inflate(data, info, *args)

    monkeypatch.setattr(safety, "_inflate", counted)
    scan = check_archive(data, "bud.xlsx").members["xl/worksheets/sheet1.xml"]
    assert scan.exact and (scan.rows, scan.cols) == (60_000, 2)
    assert inflated.count("xl/worksheets/sheet1.xml") == 1
    # beyond the bytes kept for the exact pass, the part is inflated again, with the same result
    monkeypatch.setattr(safety, "_KEEP_BYTES", 1000)
    inflated.clear()
    again = check_archive(data, "bud.xlsx").members["xl/worksheets/sheet1.xml"]
    assert again == scan
    assert inflated.count("xl/worksheets/sheet1.xml") == (1 if unusual_at == 1 else 2)


@pytest.mark.parametrize("keep", [safety._KEEP_BYTES, 1000])
@pytest.mark.parametrize(("rows", "at"), [(30_000, 5), (60_000, 59_999)])
def test_a_refusal_of_the_exact_pass_comes_after_the_scans_own(monkeypatch, keep, rows, at):
    # The exact pass refuses the reference A0; a DOCTYPE later in the same part is the scan's
    # refusal and wins, as when the exact pass ran after the scan.
    monkeypatch.setattr(safety, "_KEEP_BYTES", keep)
    sheet = _sheet(rows, at, ref="A0")
    late = sheet.replace(b"</sheetData>", b"</sheetData><!DOCTYPE x>")
    with pytest.raises(UnsafeWorkbookError) as info:
        check_archive(_zipped({"xl/worksheets/sheet1.xml": late}), "bud.xlsx")
    assert info.value.code == "xml_entities"
    with pytest.raises(UnsafeWorkbookError) as info:
        check_archive(_zipped({"xl/worksheets/sheet1.xml": sheet}), "bud.xlsx")
    assert (info.value.code, info.value.found) == ("malformed_xml", "A0")


TAG_PIECES = ["<c", "<c ", "<x:c ", ' r="', "r=", "'", '"', "A", "B", "Z", "AB", "XFD", "1", "0",
              "9", "99", "1048576", " ", "  ", "\t", "\n", " s=", " t=", " t=\"s\"", " s=\"3\"",
              " t=\"inlineStr\"", " t=\"n\"", " cm=", " rr=", " abc=", "=", "/", ">", "/>", " />",
              "<", "x", "inlineStr", "s", "n"]
tags = st.lists(st.sampled_from(TAG_PIECES), max_size=40).map(lambda x: "".join(x).encode())


@settings(max_examples=500, deadline=None)
@given(xml=tags, cols=st.integers(1, 40), rows=st.integers(1, 2000), styled=st.booleans())
def test_the_common_tails_accept_the_same_tags_as_the_general_rule(xml, cols, rows, styled):
    # the near-literal tails tried first (in either order) are cases of the general one: the
    # same tags are sent to the exact pass
    general = re.compile(b"<c(?! r=\"" + safety._le_letters(cols) + safety._le_digits(rows)
                         + b'"' + safety._TAIL + b")[\\s/>]")
    fast = safety._outside(cols, rows, styled)
    for text in (xml, b'<c r="A1"' + xml, b'<c r="B2" s="12"' + xml, b'<c r="A1" t="s"' + xml,
                 b'<c r="A1" s="3" t="n"' + xml):
        got, want = fast.search(text), general.search(text)
        assert (got and got.start()) == (want and want.start()), text


@pytest.mark.parametrize(("tail", "styled"), [(b' s="3" t="inlineStr"', True), (b' t="s"', False),
                                             (b"", False), (b' t="inlineStr"', False)])
def test_a_sheet_is_scanned_with_its_last_cells_tails_first(tail, styled):
    # the last cell's attributes after r decide which order of the tails is tried: s= first
    # where that cell has a style
    xml = (b'<worksheet><sheetData><row r="1"><c r="A1"' + tail + b'><v>1</v></c><c r="B2"'
           + tail + b"><v>2</v></c></row></sheetData></worksheet>")
    extent = safety._SheetExtent()
    extent.feed(xml, 0, len(xml))
    assert (extent.rows, extent.cols, extent.exact, extent.styled) == (2, 2, False, styled)


@pytest.mark.parametrize("limit", [1, 7, 10, 99, 100, 101, 999, 1000, 5001, 10_000, 12_345])
def test_the_row_pattern_matches_exactly_one_to_the_limit(limit):
    # 1..limit written without leading zeros, and nothing else (its options are tried longest
    # first, which must not change what it matches): every number up to twice the limit
    pattern = re.compile(safety._le_digits(limit))
    for k in range(2 * limit + 2):
        assert bool(pattern.fullmatch(str(k).encode())) == (1 <= k <= limit), k
    assert not pattern.fullmatch(b"01")
    assert not pattern.fullmatch(b"")


@pytest.mark.parametrize("needle,rare", [*NEEDLES])
def test_a_range_shorter_than_the_needle_finds_nothing(needle, rare):
    # found by hypothesis: with end < len(needle) the last search position was negative and
    # bytes.find read it from the end of the buffer, so a needle after the range was "found"
    data = b"xx" + needle
    for end in range(len(needle)):
        assert not safety._contains(data, needle, 0, end, rare)
    assert not safety._prefixed_cell(b"x:c>" + b":c>", 0, 1)
