"""Hostile and broken workbooks are refused before any parser sees them.

Every fixture is built here from bytes (zipfile), never committed.
"""

import io
import pickle
import struct
import time
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from klimafotavtrykk.errors import InputError, KlimafotavtrykkError, UnsafeWorkbookError
from klimafotavtrykk.quantities.safety import (
    ReadLimits,
    check_archive,
    sniff,
    worksheet_extent,
)

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG = "http://schemas.openxmlformats.org/package/2006/relationships"


def sheet(cells: str, head: str = "") -> bytes:
    return (f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN}">{head}'
            f"<sheetData>{cells}</sheetData></worksheet>").encode()


ONE_CELL = sheet('<row r="1"><c r="A1"><v>1</v></c></row>')


def parts(sheet_xml: bytes = ONE_CELL, **extra) -> dict:
    return {
        "[Content_Types].xml": b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/'
                               b'content-types"><Default Extension="xml" ContentType="'
                               b'application/xml"/></Types>',
        "_rels/.rels": f'<Relationships xmlns="{PKG}"><Relationship Id="rId1" Type="{REL}/'
                       'officeDocument" Target="xl/workbook.xml"/></Relationships>'.encode(),
        "xl/workbook.xml": f'<workbook xmlns="{MAIN}" xmlns:r="{REL}"><sheets><sheet name="M" '
                           'sheetId="1" r:id="rId1"/></sheets></workbook>'.encode(),
        "xl/_rels/workbook.xml.rels": f'<Relationships xmlns="{PKG}"><Relationship Id="rId1" '
                                      f'Type="{REL}/worksheet" Target="worksheets/sheet1.xml"/>'
                                      "</Relationships>".encode(),
        "xl/worksheets/sheet1.xml": sheet_xml,
        **extra,
    }


def zipped(members: dict, method=zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", method) as archive:
        for name, data in members.items():
            archive.writestr(zipfile.ZipInfo(name), data, compress_type=method)
    return buf.getvalue()


def refused(data: bytes, code: str, limits=None, cls=InputError):
    with pytest.raises(cls) as info:
        check_archive(data, "bud.xlsx", limits)
    assert info.value.code == code, str(info.value)
    assert info.value.file == "bud.xlsx"
    again = pickle.loads(pickle.dumps(info.value))
    assert (type(again), again.code, str(again)) == (type(info.value), code, str(info.value))
    return info.value


# ------------------------------------------------------------------ basics
def test_a_plain_workbook_passes_and_is_scanned():
    archive = check_archive(zipped(parts()), "ok.xlsx")
    scan = archive.members["xl/worksheets/sheet1.xml"]
    assert scan.worksheet and (scan.rows, scan.cols) == (1, 1) and not scan.exact
    assert not scan.formulas and not scan.hidden
    assert archive.read("xl/worksheets/sheet1.xml") == ONE_CELL
    assert not archive.members["xl/workbook.xml"].worksheet


def test_limits_are_validated():
    with pytest.raises(InputError) as info:
        ReadLimits(max_cells=0)
    assert info.value.code == "bad_limits"
    with pytest.raises(InputError):
        ReadLimits(max_ratio=True)
    assert ReadLimits().max_inflated_bytes == 200_000_000


@pytest.mark.parametrize(("head", "kind"), [
    (b"", "empty"), (b"PK\x03\x04rest", "zip"), (b"PK\x05\x06", "zip"),
    (bytes.fromhex("d0cf11e0a1b11ae1"), "ole2"), (b"<?xml v", "xml"),
    (b"\xef\xbb\xbf<?xml", "xml"), (b"  <Pris", "xml"), (b"%PDF-1.7", "unknown"),
])
def test_sniff(head, kind):
    assert sniff(head) == kind


# ----------------------------------------------------------- not a workbook
def test_empty_file():
    refused(b"", "empty_file")


def test_not_a_zip():
    refused(b"Postnr;Mengde\n1;2\n", "not_a_zip")


def test_truncated_file():
    data = zipped(parts())
    for cut in (len(data) // 2, len(data) - 10, 40):
        refused(data[:cut], "unreadable_file")


def test_a_zip_without_a_workbook():
    refused(zipped({"word/document.xml": b"<w/>"}), "not_xlsx")
    error = refused(zipped({"xl/workbook.bin": b"\x00"}), "not_xlsx")
    assert error.found == "binary workbook (.xlsb)"


def test_legacy_xls_and_password_protected_files():
    ole = bytes.fromhex("d0cf11e0a1b11ae1") + bytes(504)
    error = refused(ole, "legacy_xls", cls=UnsafeWorkbookError)
    assert "save the file as .xlsx" in str(error)
    encrypted = ole + "EncryptedPackage".encode("utf-16-le") + bytes(64)
    error = refused(encrypted, "encrypted", cls=UnsafeWorkbookError)
    assert "without a password" in str(error)


# ------------------------------------------------------------------ archive
def test_too_many_members():
    members = parts(**{f"xl/media/image{i}.png": b"x" for i in range(20)})
    refused(zipped(members), "too_many_members", ReadLimits(max_members=10), UnsafeWorkbookError)
    check_archive(zipped(members), "ok.xlsx", ReadLimits(max_members=25))


@pytest.mark.parametrize("name", ["../evil.xml", "xl/../../evil.xml", "/etc/passwd",
                                  "\\windows\\evil", "C:/evil.xml", "xl\\..\\..\\evil"])
def test_member_names_that_climb_out(name):
    refused(zipped(parts(**{name: b"<x/>"})), "path_traversal", cls=UnsafeWorkbookError)


def test_a_member_listed_twice():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as archive, pytest.warns(UserWarning, match="Duplicate"):
        for name, data in parts().items():
            archive.writestr(name, data)
        archive.writestr("xl/worksheets/sheet1.xml", sheet('<row r="1"><c r="B2"><v>2</v></c>'
                                                           "</row>"))
    refused(buf.getvalue(), "unsafe_member", cls=UnsafeWorkbookError)


def test_unsupported_compression_and_zip_encryption():
    bz = zipped(parts(), method=zipfile.ZIP_BZIP2)
    refused(bz, "unsafe_member", cls=UnsafeWorkbookError)
    data = bytearray(zipped(parts()))
    at = data.find(b"PK\x01\x02")  # first central directory record: set the encryption bit
    data[at + 8] |= 0x01
    refused(bytes(data), "unsafe_member", cls=UnsafeWorkbookError)


def test_zip_bomb_by_declared_ratio():
    # 5 MiB of zeros deflate to about 5 kB: a ratio near 1 000, over the cap of 200
    bomb = zipped(parts(**{"xl/media/zeros.bin": bytes(5 << 20)}))
    refused(bomb, "archive_too_large", cls=UnsafeWorkbookError)


def test_zip_bomb_by_declared_total():
    refused(zipped(parts()), "archive_too_large", ReadLimits(max_inflated_bytes=500),
            UnsafeWorkbookError)


def _lie_about_size(data: bytes, name: bytes, size: int) -> bytes:
    """Rewrite a member's uncompressed size in its local header and central record."""
    out = bytearray(data)
    local = out.find(b"PK\x03\x04" + b"\x14\x00")
    while local >= 0:
        name_len = struct.unpack_from("<H", out, local + 26)[0]
        if bytes(out[local + 30:local + 30 + name_len]) == name:
            struct.pack_into("<I", out, local + 22, size)
        local = out.find(b"PK\x03\x04", local + 4)
    central = out.find(b"PK\x01\x02")
    while central >= 0:
        name_len = struct.unpack_from("<H", out, central + 28)[0]
        if bytes(out[central + 46:central + 46 + name_len]) == name:
            struct.pack_into("<I", out, central + 24, size)
        central = out.find(b"PK\x01\x02", central + 4)
    return bytes(out)


def test_zip_bomb_that_lies_about_its_size_is_stopped_while_inflating():
    # 3 MiB of text declared as 1 000 bytes: the declared checks pass, the actual size does not;
    # inflation stops right after the declared size, long before the 3 MiB.
    big = b"<a>" + b"x" * (3 << 20) + b"</a>"
    data = _lie_about_size(zipped(parts(**{"xl/media/big.xml": big})), b"xl/media/big.xml", 1000)
    error = refused(data, "archive_too_large", cls=UnsafeWorkbookError)
    assert "more than it declares" in str(error)


def test_a_member_that_inflates_to_less_than_it_declares():
    data = _lie_about_size(zipped(parts()), b"xl/workbook.xml", 5000)
    refused(data, "unsafe_member", cls=UnsafeWorkbookError)


def test_damaged_deflate_stream():
    data = bytearray(zipped(parts(**{"xl/media/a.xml": b"<a>" + b"abc" * 5000 + b"</a>"})))
    at = data.find(b"xl/media/a.xml") + len("xl/media/a.xml") + 20
    data[at:at + 40] = bytes(range(40))
    with pytest.raises(KlimafotavtrykkError):
        check_archive(bytes(data), "bud.xlsx")


# -------------------------------------------------------------- XML entities
BILLION_LAUGHS = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
                  b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
                  b'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
                  b"<sst><si><t>&lol3;</t></si></sst>")
QUADRATIC = (b'<?xml version="1.0"?><!DOCTYPE q [<!ENTITY a "' + b"A" * 50_000 + b'">]><sst>'
             + b"<si><t>&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;</t></si>" * 10 + b"</sst>")
EXTERNAL = (b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
            b"<sst><si><t>&e;</t></si></sst>")


@pytest.mark.parametrize("payload", [BILLION_LAUGHS, QUADRATIC, EXTERNAL,
                                     b'<!doctype x><sst/>', b"<sst/><!ENTITY e 'x'>"],
                         ids=["billion_laughs", "quadratic", "external_entity", "lower_case",
                              "entity_outside"])
@pytest.mark.parametrize("member", ["xl/sharedStrings.xml", "xl/worksheets/sheet1.xml",
                                    "docProps/custom.xml"])
def test_entity_declarations_are_refused_in_any_part(payload, member):
    refused(zipped(parts(**{member: payload})), "xml_entities", cls=UnsafeWorkbookError)


def test_a_doctype_after_a_long_prefix_is_found_across_chunks():
    payload = b"<sst>" + b"<si><t>x</t></si>" * 40_000 + b"<!DOCTYPE x []></sst>"
    refused(zipped(parts(**{"xl/sharedStrings.xml": payload})), "xml_entities",
            cls=UnsafeWorkbookError)


def test_utf16_xml_is_refused():
    payload = '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE x><sst/>'.encode("utf-16")
    refused(zipped(parts(**{"xl/sharedStrings.xml": payload})), "malformed_xml",
            cls=UnsafeWorkbookError)


def test_too_many_shared_strings():
    payload = b"<sst>" + b"<si><t>x</t></si>" * 50 + b"</sst>"
    refused(zipped(parts(**{"xl/sharedStrings.xml": payload})), "too_many_cells",
            ReadLimits(max_shared_strings=20), UnsafeWorkbookError)


# --------------------------------------------------------- worksheet extent
FAR = {
    "far_cell": '<row r="1"><c r="A1"><v>1</v></c></row><row r="1048576"><c r="XFD1048576">'
                "<v>2</v></c></row>",
    "duplicate_r": '<row r="1"><c r="A1" r="XFD1048576"><v>1</v></c></row>',
    "duplicate_r_no_space": '<row r="1"><c r="A1"r="XFD1048576"><v>1</v></c></row>',
    "r_not_first": '<row r="1"><c s="0" r="XFD1048576"><v>1</v></c></row>',
    "single_quotes": "<row r='1'><c r='XFD1048576'><v>1</v></c></row>",
    "spaces_around_equals": '<row r="1"><c r = "XFD1048576"><v>1</v></c></row>',
    "lower_case_ref": '<row r="1"><c r="xfd1048576"><v>1</v></c></row>',
    "prefixed": '<row r="1"><x:c xmlns:x="urn:any" r="XFD1048576"><x:v>1</x:v></x:c></row>',
    "no_r_far_row": '<row r="1048576"><c><v>1</v></c></row><row r="1"><c r="XFD1"><v>1</v>'
                    "</c></row>",
    "newline_before_r": '<row r="1"><c\nr="XFD1048576"><v>1</v></c></row>',
    "late_far_cell": "".join(f'<row r="{i}"><c r="A{i}"><v>{i}</v></c></row>'
                             for i in range(1, 3000)) + '<row r="3000"><c r="XFD3000"><v>1</v>'
                                                        "</c></row>",
}


@pytest.mark.parametrize("cells", FAR.values(), ids=FAR.keys())
def test_cells_far_apart_are_refused_before_the_parser_allocates_them(cells):
    # calamine allocates rows x columns between the outermost cells: 1 048 576 x 16 384 cells
    # (5.5e11 bytes) from two cells aborts the process. Each spelling the parser accepts must
    # be caught.
    started = time.perf_counter()
    error = refused(zipped(parts(sheet(cells))), "too_many_cells", cls=UnsafeWorkbookError)
    assert "rows x" in error.found or "cells" in error.found
    assert time.perf_counter() - started < 5


@pytest.mark.parametrize("ref", ["A0", "A99999999", "ABCD1", "1A", "$A$1", "A1:B2"])
def test_malformed_references_are_refused(ref):
    cells = f'<row r="1"><c r="{ref}"><v>1</v></c></row>'
    refused(zipped(parts(sheet(cells))), "malformed_xml", cls=UnsafeWorkbookError)


def test_cell_cap_applies_to_rows_times_columns():
    # 3 rows x 4 columns = 12 cells
    cells = "".join(f'<row r="{r}">' + "".join(f'<c r="{c}{r}"><v>1</v></c>' for c in "ABCD")
                    + "</row>" for r in (1, 2, 3))
    data = zipped(parts(sheet(cells)))
    assert check_archive(data, "ok.xlsx", ReadLimits(max_cells=12)).members[
        "xl/worksheets/sheet1.xml"].cells == 12
    refused(data, "too_many_cells", ReadLimits(max_cells=11), UnsafeWorkbookError)


def test_formulas_and_hidden_marks_are_noted():
    cells = ('<row r="1" hidden="1"><c r="A1"><f>1+1</f><v>2</v></c></row>'
             '<row r="2"><c r="B2" t="s"><v>0</v></c></row>')
    scan = check_archive(zipped(parts(sheet(cells))), "f.xlsx").members["xl/worksheets/sheet1.xml"]
    assert scan.formulas and scan.hidden and (scan.rows, scan.cols) == (2, 2)


# Cell spellings the parser accepts, for the property below: (tag, uses r)
def _cell_xml(style: str, row: int, col: int) -> str:
    letters = ""
    number = col + 1
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    ref = f"{letters}{row + 1}"
    return {
        "plain": f'<c r="{ref}" t="n"><v>1</v></c>',
        "styled": f'<c r="{ref}" s="3"><v>1</v></c>',
        "r_last": f'<c t="n" r="{ref}"><v>1</v></c>',
        "lower": f'<c r="{ref.lower()}"><v>1</v></c>',
        "quoted": f"<c r='{ref}'><v>1</v></c>",
        "prefixed": f'<x:c r="{ref}"><x:v>1</x:v></x:c>',
        "dup": f'<c r="A1" r="{ref}"><v>1</v></c>',
        "empty": f'<c r="{ref}" s="1"/>',
    }[style]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cells=st.lists(st.tuples(st.integers(0, 300), st.integers(0, 60),
                                st.sampled_from(["plain", "styled", "r_last", "lower", "quoted",
                                                 "prefixed", "dup", "empty"])),
                      min_size=1, max_size=25),
       rless=st.booleans())
def test_the_bound_covers_what_the_parser_allocates(cells, rless):
    """The scanned extent is never smaller than the range calamine builds."""
    import python_calamine

    rows: dict[int, list[str]] = {}
    for row, col, style in cells:
        rows.setdefault(row, []).append(_cell_xml(style, row, col))
    xml = "".join(f'<row r="{r + 1}">' + "".join(c) + "</row>" for r, c in sorted(rows.items()))
    if rless:
        xml += "<row>" + "<c><v>1</v></c>" * 3 + "</row>"
    data = zipped(parts(sheet(xml).replace(b"<worksheet ", b'<worksheet xmlns:x="' + MAIN.encode()
                                           + b'" ')))
    scan = check_archive(data, "p.xlsx").members["xl/worksheets/sheet1.xml"]
    book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    got = book.get_sheet_by_index(0)
    if got.end is not None:
        assert scan.rows >= got.end[0] + 1
        assert scan.cols >= got.end[1] + 1


def test_fast_and_exact_extents_agree_on_ordinary_sheets():
    cells = "".join(f'<row r="{r}" spans="1:3"><c r="A{r}" s="1" t="s"><v>0</v></c>'
                    f'<c r="C{r}"><v>{r}.5</v></c></row>' for r in range(1, 5000))
    xml = sheet(cells)
    scan = check_archive(zipped(parts(xml)), "o.xlsx").members["xl/worksheets/sheet1.xml"]
    assert not scan.exact
    assert (scan.rows, scan.cols) == (4999, 3) == worksheet_extent([xml])


def test_exact_extent_follows_running_positions():
    # row 3 holds two cells without r (A3, B3); the next row has no r either (row 4)
    xml = sheet('<row r="3"><c><v>1</v></c><c><v>2</v></c></row><row><c><v>3</v></c></row>')
    assert worksheet_extent([xml[:40], xml[40:]]) == (4, 2)
    scan = check_archive(zipped(parts(xml)), "r.xlsx").members["xl/worksheets/sheet1.xml"]
    assert scan.exact and (scan.rows, scan.cols) == (4, 2)


def test_a_cell_cap_stops_the_exact_pass_early():
    xml = sheet("<row>" + "<c><v>1</v></c>" * 50 + "</row>")
    refused(zipped(parts(xml)), "too_many_cells", ReadLimits(max_cells=20), UnsafeWorkbookError)


def test_stored_members_are_checked_too():
    data = zipped(parts(sheet(FAR["far_cell"])), method=zipfile.ZIP_STORED)
    refused(data, "too_many_cells", cls=UnsafeWorkbookError)


def test_zip64_end_record_counts_members():
    # an end record that claims 0xFFFF entries makes the check count central records instead
    data = bytearray(zipped(parts()))
    eocd = data.rfind(b"PK\x05\x06")
    struct.pack_into("<HH", data, eocd + 8, 0xFFFF, 0xFFFF)
    refused(bytes(data), "too_many_members", ReadLimits(max_members=3), UnsafeWorkbookError)


# --------------------------------------------- look-alike member names (issue #12)
@pytest.mark.parametrize("twin", ["XL/worksheets/sheet1.xml", "xl\\worksheets\\sheet1.xml",
                                  "xl/Worksheets/SHEET1.xml", "xl\\WORKSHEETS/sheet1.xml"])
def test_members_whose_names_differ_only_in_case_or_slashes_are_refused(twin):
    # calamine looks a part up leniently and reads the last match: the twin, holding 1000 x the
    # quantity in the scanned sheet, would replace the sheet the safety scan checked.
    forged = sheet('<row r="1"><c r="A1"><v>1000</v></c></row>')
    data = zipped(parts(**{twin: forged}))
    error = refused(data, "ambiguous_member", cls=UnsafeWorkbookError)
    assert "xl/worksheets/sheet1.xml" in error.found and twin in error.found


def test_members_that_only_look_alike_are_refused_in_either_order():
    members = parts()
    first = {"XL/worksheets/sheet1.xml": members.pop("xl/worksheets/sheet1.xml")}
    data = zipped({**first, **members, "xl/worksheets/sheet1.xml": ONE_CELL})
    refused(data, "ambiguous_member", cls=UnsafeWorkbookError)
