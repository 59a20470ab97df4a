"""The NS 3459 fast path reads exactly what the full parser reads, or hands the file over.

Each case builds a file, reads it as the reader does (fast path where it can)
and again with the fast path switched off (the full defusedxml parser for the
whole file), and compares everything the reader returns: items, every frame
and field of the metadata, the warnings, or the error (class, code, message).
The cases also say which files the fast path takes and which it leaves to
the full parser (comments, CDATA, prefixes, attributes, other encodings ...).
"""

from __future__ import annotations

import dataclasses
import importlib.util
import sys
import warnings
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from klimafotavtrykk.errors import KlimafotavtrykkError
from klimafotavtrykk.quantities import _ns3459_xml
from klimafotavtrykk.quantities.ns3459 import read_ns3459

_FIXTURE = Path(__file__).parents[1] / "fixtures" / "ns3459" / "make_ns3459.py"
_spec = importlib.util.spec_from_file_location("make_ns3459", _FIXTURE)
mk = importlib.util.module_from_spec(_spec)
sys.modules["make_ns3459"] = mk
_spec.loader.exec_module(mk)


def _offer() -> bytes:
    """ISY-shaped priced offer: building-part levels, options, codes inherited by number."""
    posts = [
        *mk.option_request(),
        mk.Post("30.36.362.7", "VV2", "Kanaler", "m", "100", "50", "5000", "Lengde",
                levels=("Type1", "Type2", "Type3", "Hovedlopenr")),
        mk.Post("30.36.362.7.9", None, "Kanal uten kode", "m", "3.5", "50", "175",
                levels=mk.SUB_LEVEL_POST),
    ]  # fmt: skip
    return mk.make_ns3459(posts, root="Pristilbud", plan=mk.PLAN_WITH_SUB_LEVELS)


OFFER = _offer()


def _outcome(path: Path, **kwargs):
    """Everything the reader gives for a file: result and warnings, or the error."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            items, meta = read_ns3459(path, **kwargs)
        except KlimafotavtrykkError as exc:
            return ("error", type(exc), getattr(exc, "code", None), str(exc))
    fields = {f.name: getattr(meta, f.name) for f in dataclasses.fields(meta)}
    return ("read", items, fields, [str(w.message) for w in caught])


def _same(fast, full) -> None:
    assert fast[0] == full[0], (fast, full)
    if fast[0] == "error":
        assert fast == full
        return
    pd.testing.assert_frame_equal(fast[1], full[1], check_exact=True)
    for name, value in fast[2].items():
        if isinstance(value, pd.DataFrame):
            pd.testing.assert_frame_equal(value, full[2][name], check_exact=True)
        else:
            assert value == full[2][name], name
    assert fast[3] == full[3]


def _both_ways(monkeypatch, path: Path, **kwargs) -> bool:
    """Compare the two readings of ``path``; return whether the fast path took the file."""
    taken = []
    read_posts = _ns3459_xml.read_posts

    def spy(*args):
        got = read_posts(*args)
        taken.append(got is not None)
        return got

    with monkeypatch.context() as patch:
        patch.setattr(_ns3459_xml, "read_posts", spy)
        fast = _outcome(path, **kwargs)
    with monkeypatch.context() as patch:
        patch.setattr(_ns3459_xml, "read_posts", lambda *args: None)
        full = _outcome(path, **kwargs)
    _same(fast, full)
    return any(taken)


def _write(tmp_path, data: bytes, name: str = "tilbud.xml") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def _replace(data: bytes, old: bytes, new: bytes) -> bytes:
    assert old in data, old
    return data.replace(old, new, 1)


# (variant, how the bytes change, whether the fast path reads it)
_POST_TEXT = b"<Uformatert>Kanal \xc3\xb8160</Uformatert>"
_VARIANTS = [
    ("as_written", lambda d: d, True),
    ("comment_inside_a_post",
     lambda d: _replace(d, b"<Prisinfo>", b"<!-- fra ISY --><Prisinfo>"), False),
    ("comment_in_the_header", lambda d: _replace(d, b"<Generelt>", b"<!-- x --><Generelt>"),
     False),
    ("cdata_in_a_description",
     lambda d: _replace(d, _POST_TEXT, b"<Uformatert><![CDATA[Kanal <160> & co]]></Uformatert>"),
     False),
    ("references_in_a_description",
     lambda d: _replace(d, _POST_TEXT,
                        b"<Uformatert> Kanal &#248;160 &amp; &lt;b&gt; &#x2013; &quot;&apos; "
                        b"&#32;</Uformatert>"), True),
    ("reference_in_a_quantity",
     lambda d: _replace(d, b"<Mengde>40</Mengde>", b"<Mengde>&#52;0</Mengde>"), True),
    ("another_prefix_for_the_namespace",
     lambda d: _replace(d, b"<Mengde>62</Mengde>",
                        b'<n:Mengde xmlns:n="http://www.standard.no/ns3459">62</n:Mengde>'),
     False),
    ("element_in_another_namespace",
     lambda d: _replace(d, b"<Mengde>62</Mengde>",
                        b'<Mengde>62</Mengde><x:Mengde xmlns:x="urn:other">9</x:Mengde>'), False),
    ("attribute_on_a_field", lambda d: _replace(d, b"<Enhet>m</Enhet>", b'<Enhet k="1">m</Enhet>'),
     False),
    ("unknown_element_in_a_post",
     lambda d: _replace(d, b"<Prisinfo>", b"<Merknad>ny</Merknad><Prisinfo>"), False),
    ("unknown_element_in_every_post",
     lambda d: d.replace(b"<Prisinfo>", b"<Merknad/><Prisinfo>"), False),
    ("repeated_quantity",
     lambda d: _replace(d, b"<Mengde>62</Mengde>", b"<Mengde>62</Mengde><Mengde>3</Mengde>"),
     False),
    ("processing_instruction_in_a_post",
     lambda d: _replace(d, b"<Prisinfo>", b"<?isy x?><Prisinfo>"), False),
    ("windows_line_ends", lambda d: d.replace(b"\n", b"\r\n"), True),
    ("line_ends_inside_a_text",
     lambda d: _replace(d, _POST_TEXT, b"<Uformatert>Kanal\r\n\xc3\xb8160\rmm\n</Uformatert>"),
     True),
    ("indented_records",
     lambda d: d.replace(b"<Postnrdel>", b"<Postnrdel>\n   ").replace(
         b"<Delmengde>", b"<Delmengde>\t"), True),
    ("a_part_without_its_name",
     lambda d: _replace(d, b"<Tekst>Opsjon 3 - kjeller</Tekst>", b""), True),
    ("a_level_without_its_type", lambda d: _replace(d, b"<Type>Type3</Type>", b""), True),
    ("empty_and_absent_quantities",
     lambda d: _replace(_replace(d, b"<Mengde>40</Mengde>", b"<Mengde> </Mengde>"),
                        b"<Mengde>-9</Mengde>", b""), True),
    ("latin1_encoding",
     lambda d: d.decode("utf-8").replace('encoding="UTF-8"', 'encoding="ISO-8859-1"')
     .encode("latin-1"), False),
    ("byte_order_mark", lambda d: b"\xef\xbb\xbf" + d, True),
    ("no_xml_declaration", lambda d: d.split(b"\n", 1)[1], True),
]  # fmt: skip


@pytest.mark.parametrize(("change", "fast"), [v[1:] for v in _VARIANTS],
                         ids=[v[0] for v in _VARIANTS])  # fmt: skip
def test_fast_path_reads_what_the_full_parser_reads(tmp_path, monkeypatch, change, fast):
    path = _write(tmp_path, change(OFFER))
    for options in ("main", "all", ["3"]):
        assert _both_ways(monkeypatch, path, options=options) is fast


def test_the_benchmark_shape_is_read_by_the_fast_path(tmp_path, monkeypatch):
    """The first ISY-shaped post holds what the reader needs (sanity check of the spy)."""
    path = _write(tmp_path, OFFER)
    assert _both_ways(monkeypatch, path)
    items, meta = read_ns3459(path)
    # 30.36.362.3.4: Mengde 62 with options -5 -9 -3 +3 -> base contract 76 (docs/ns3459.md)
    assert items.loc[items["post_number"] == "30.36.362.3.4", "quantity"].tolist() == [76.0]
    # 30.36.362.7.9 has no Kode -> 30.36.362.7 by its number (VV2)
    assert items["item_code"].tolist()[-1] == "VV2"


def test_nested_posts_go_the_full_way(tmp_path, monkeypatch):
    path = mk.write_ns3459(tmp_path / "f.xml", mk.nested_request())
    assert not _both_ways(monkeypatch, path)


@pytest.mark.parametrize(
    "limits",
    [{"max_text": 4}, {"max_posts": 3}, {"max_elements": 60}, {"max_depth": 7},
     {"max_posts": 7}],
)  # fmt: skip
def test_caps_within_reach_go_the_full_way(tmp_path, monkeypatch, limits):
    """Refused or not, a file near a cap reads (or fails) exactly as the full parser says."""
    assert not _both_ways(monkeypatch, _write(tmp_path, OFFER), limits=limits)


@pytest.mark.parametrize(
    "text",
    [b"&#1;", b"&#xFFFE;", b"&nbsp;", b"\xff", b"\x01", b"a]]>b", b"&amp", b"\xef\xbf\xbe"],
)
def test_bad_text_in_a_post_is_refused_as_before(tmp_path, monkeypatch, text):
    data = _replace(OFFER, _POST_TEXT, b"<Uformatert>" + text + b"</Uformatert>")
    assert not _both_ways(monkeypatch, _write(tmp_path, data))


def test_doctype_is_refused_as_before(tmp_path, monkeypatch):
    data = _replace(OFFER, b"<NS3459", b'<!DOCTYPE NS3459 [<!ENTITY e "x">]>\n<NS3459')
    data = _replace(data, b"Kanal \xc3\xb8160", b"&e;")
    assert not _both_ways(monkeypatch, _write(tmp_path, data))


_SETTINGS = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
_BYTES = st.sampled_from(list(b"<>/&;#x\"'=!?- \r\n\t0123456789\xc3\xb8\xff\x00"))


@st.composite
def _mutated(draw):
    data = bytearray(OFFER)
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["flip", "cut", "duplicate", "insert"]))
        at = draw(st.integers(0, len(data) - 1))
        if kind == "flip":
            data[at] = draw(_BYTES)
        elif kind == "insert":
            data[at:at] = draw(st.sampled_from([b"<!--c-->", b"&amp;", b"&#60;", b" ", b"\r",
                                                b"<Post></Post>", b"<x/>", b"]]>"]))  # fmt: skip
        else:
            stop = min(len(data), at + draw(st.integers(1, 200)))
            piece = data[at:stop]
            data[at:stop] = b"" if kind == "cut" else piece + piece
    return bytes(data)


@_SETTINGS
@given(data=_mutated())
def test_mutated_files_read_the_same_both_ways(tmp_path, monkeypatch, data):
    _both_ways(monkeypatch, _write(tmp_path, data), options="all")
