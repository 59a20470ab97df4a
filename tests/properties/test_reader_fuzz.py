"""Fuzzing the Excel reader: damaged workbooks raise only the library's own errors.

A valid bill of quantities is written once with openpyxl; hypothesis then flips,
inserts and deletes bytes, truncates the file, and damages the XML inside the
archive before zipping it again (so that the parser itself, not only the zip
layer, meets the damage). Whatever comes out, ``read_workbook`` either returns
lines or raises a :class:`~klimafotavtrykk.errors.KlimafotavtrykkError`; never a
library's own exception, never a crash.
"""

import io
import warnings
import zipfile

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from _zips import zip_bytes
from klimafotavtrykk.errors import KlimafotavtrykkError
from klimafotavtrykk.quantities.excel import read_workbook
from klimafotavtrykk.vocabulary import LINE_COLUMNS

FUZZ = settings(max_examples=60, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def _workbook() -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Mengder"
    sheet.append(["Prosjekt:", "Fuzzskole"])
    sheet.append([])
    sheet.append(["Postnr", "NS 3420", "Beskrivelse", "Enhet", "Mengde", "Bygningsdel"])
    for i in range(12):
        sheet.append([f"0{i}.1", f"LB2.{i}", f"Linje {i}", ["m3", "m2", "stk"][i % 3],
                      1.5 * i - 2, 231 if i % 2 else "23"])
    sheet.append(["", "", "Opsjon 1"])
    sheet.append(["7.10", "X", "Maling", "m2", "1,25", 25])
    hidden = book.create_sheet("Gammel")
    hidden.sheet_state = "hidden"
    hidden.append(["Mengde", "Enhet"])
    hidden.append([3, "m"])
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


VALID = _workbook()
with zipfile.ZipFile(io.BytesIO(VALID)) as _archive:
    MEMBERS = {info.filename: _archive.read(info) for info in _archive.infolist()}


def _stored(members: dict) -> bytes:
    return zip_bytes(members, zipfile.ZIP_STORED)


STORED = _stored(MEMBERS)


def _read_or_our_error(data: bytes) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            items, meta = read_workbook(data, "fuzz.xlsx")
        except KlimafotavtrykkError:
            return
    assert list(items.columns) == list(LINE_COLUMNS)
    assert meta.file == "fuzz.xlsx"


def test_the_unfuzzed_workbook_reads():
    with pytest.warns(Warning, match="hidden_sheet"):
        items, meta = read_workbook(VALID, "fuzz.xlsx")
        stored, _ = read_workbook(STORED, "fuzz.xlsx")
    assert len(items) == len(stored) == 13 and meta.hidden_sheets == ("Gammel",)


@FUZZ
@given(base=st.sampled_from([VALID, STORED]), data=st.data())
def test_byte_flips(base, data):
    damaged = bytearray(base)
    for _ in range(data.draw(st.integers(1, 8))):
        at = data.draw(st.integers(0, len(damaged) - 1))
        damaged[at] = data.draw(st.integers(0, 255))
    _read_or_our_error(bytes(damaged))


@FUZZ
@given(base=st.sampled_from([VALID, STORED]), data=st.data())
def test_insertions_deletions_and_truncations(base, data):
    damaged = bytearray(base)
    for _ in range(data.draw(st.integers(1, 4))):
        at = data.draw(st.integers(0, len(damaged)))
        if data.draw(st.booleans()):
            damaged[at:at] = data.draw(st.binary(min_size=1, max_size=16))
        else:
            del damaged[at:at + data.draw(st.integers(1, 64))]
    damaged = damaged[:data.draw(st.integers(0, len(damaged)))]
    _read_or_our_error(bytes(damaged))


_XML_PIECES = [b"<", b">", b"/>", b'"', b"&", b"&amp;", b"<c>", b'<c r="XFD1048576">', b"<v>",
               b"</row>", b'r="A0"', b"<f>", b"]]>", b"<![CDATA[", b"\xff\xfe", b"\x00",
               b't="e"', b't="s"', b"<v>99999999</v>", b'<row r="1048576">', b"<!--"]


@FUZZ
@given(member=st.sampled_from(sorted(MEMBERS)), data=st.data())
def test_damaged_xml_inside_the_archive(member, data):
    text = bytearray(MEMBERS[member])
    for _ in range(data.draw(st.integers(1, 6))):
        at = data.draw(st.integers(0, len(text)))
        if data.draw(st.booleans()):
            text[at:at] = data.draw(st.sampled_from(_XML_PIECES))
        else:
            del text[at:at + data.draw(st.integers(1, 40))]
    _read_or_our_error(_stored({**MEMBERS, member: bytes(text)}))
