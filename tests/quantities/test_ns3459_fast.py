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

import numpy as np
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


# ------------------------------------------------ the run's own well-formedness checks
# The fast path no longer lets expat read the whole file: the posts' patterns and
# _character_data prove the run of posts well-formed, expat reads the rest. Each
# trigger below goes into every kind of text a post holds, the ones the reader keeps
# and the ones it skips (Post/ID, RTF, Postnrdel/Type); the file must read exactly as
# the full parser reads it (the same frames, or the same refusal), and the fast path
# must take it only when XML allows it.
_SLOTS = {  # where in the first posts the trigger goes: after this text
    "post_id": b"<ID>00000000-",
    "post_number": b"<Postnr>30.36",
    "postnrdel_type": b"<Postnrdel><Type>Type",
    "postnrdel_code": b"<Type>Type2</Type><Kode>3",
    "code_text": b"<Kode>",
    "code_id": b"<Kode><ID>VV",
    "description": b"<Uformatert>Kanal",
    "rtf": b"<RTF>{\\rtf1",
    "unit": b"<Enhet>st",
    "quantity": b"<Mengde>6",
    "part_name": b"<Tekst>Opsjon 1",
    "part_id": b"<Delmengde><ID>",
    "between_elements": b"</Tekst>",
}
# (trigger, whether XML allows it in content: the fast path then takes the file)
_TRIGGERS = [
    (b"\x00", False), (b"\x01", False), (b"\x0b", False), (b"\x1f", False),  # C0 controls
    (b"\x7f", True), (b"\xc2\x85", True),  # DEL and a C1 control: XML 1.0 Chars
    (b"&", False), (b"& ", False), (b"&amp", False), (b"&nbsp;", False), (b"&AMP;", False),
    (b"&#;", False), (b"&#x;", False), (b"&#12a;", False), (b"&#X41;", False),
    (b"&#0;", False), (b"&#x0;", False), (b"&#1;", False), (b"&#xD800;", False),
    (b"&#xdfff;", False), (b"&#xFFFE;", False), (b"&#xFFFF;", False), (b"&#x110000;", False),
    (b"&#1114112;", False), (b"&#99999999999999999999;", False),
    (b"&amp;&lt;&gt;&quot;&apos;", True), (b"&#9;&#10;&#13;&#x20;", True),
    (b"&#xFFFD;&#x10FFFF;&#xE000;&#xD7FF;", True), (b"&#0065;&#x000041;", True),
    (b"]]>", False), (b"]] >", True), (b"]]", True), (b">", True),
    (b"<", False), (b"</x>", False),
    (b"\xff", False), (b"\xc3", False), (b"\xc3(", False), (b"\x80", False),
    (b"\xed\xa0\x80", False),  # a surrogate
    (b"\xc0\xaf", False), (b"\xe0\x80\x80", False),  # overlong forms
    (b"\xf4\x90\x80\x80", False),  # beyond U+10FFFF
    (b"\xef\xbf\xbe", False), (b"\xef\xbf\xbf", False),  # U+FFFE, U+FFFF
    (b"\xef\xb7\x90", True), (b"\xf0\x9f\x98\x80", True),  # U+FDD0, U+1F600
    (b"\r\n", True), (b"\r", True), (b"\t", True),
]  # fmt: skip


def _after(data: bytes, marker: bytes, text: bytes) -> bytes:
    """``data`` with ``text`` put after the first ``marker`` inside the run of posts."""
    at = data.index(marker, data.index(b"<Post>")) + len(marker)
    return data[:at] + text + data[at:]


@pytest.mark.parametrize(("trigger", "allowed"), _TRIGGERS, ids=[repr(t[0]) for t in _TRIGGERS])
def test_every_trigger_in_every_text_reads_as_the_full_parser_reads(
    tmp_path, monkeypatch, trigger, allowed
):
    for slot, marker in _SLOTS.items():
        if slot == "between_elements" and trigger.strip(b" \t\r\n"):
            continue  # text between elements leaves the ISY shape: a case of its own below
        path = _write(tmp_path, _after(OFFER, marker, trigger))
        assert _both_ways(monkeypatch, path) is allowed, slot


@pytest.mark.parametrize(
    "change",
    [
        lambda d: _replace(d, b"<Mengde>62</Mengde>", b"<Mengde>62</Enhet>"),  # end tag
        lambda d: _replace(d, b"</Prisinfo>\n      </Post>", b"</Prisinfo>\n      </Pos>"),
        lambda d: d[: d.rindex(b"</Post>") + 3] + d[d.rindex(b"</Post>") + 7 :],  # last end
        lambda d: d.replace(b"</Post>", b"</Post >", 1),  # legal, not the ISY shape
        lambda d: _after(d, b"</Post>", b"x"),  # text between posts
        lambda d: _after(d, b"</Post>", b"&amp;"),
        lambda d: _after(d, b"</Post>", b"\xc2\xa0"),  # no-break space is no XML space
        lambda d: _after(d, b"</Post>", b"<"),
        lambda d: _after(d, b"</Post>", b"<!DOCTYPE x>"),
        lambda d: _after(d, b"<Prisinfo>", b'<!ENTITY e "x">'),
    ],
    ids=["mismatched_end_tag", "mismatched_post_end", "cut_last_post_end", "space_in_end_tag",
         "text_between_posts", "reference_between_posts", "nbsp_between_posts",
         "stray_lt_between_posts", "doctype_between_posts", "entity_in_a_post"],
)  # fmt: skip
def test_structure_the_run_does_not_prove_goes_the_full_way(tmp_path, monkeypatch, change):
    assert not _both_ways(monkeypatch, _write(tmp_path, change(OFFER)))


_ROOT_END = OFFER.rindex(b"</NS3459>") + len(b"</NS3459>")
_PROLOG = OFFER[: OFFER.index(b"<NS3459")]


@pytest.mark.parametrize(
    ("data", "fast"),
    [
        (OFFER[:_ROOT_END] + b" \r\n\t", True),  # whitespace after the root
        (OFFER[:_ROOT_END], True),
        (OFFER[:_ROOT_END] + b"\n<!--c-->\n", False),
        (OFFER[:_ROOT_END] + b"\n<?pi x?>\n", False),
        (OFFER[:_ROOT_END] + b"\n<x/>\n", False),
        (OFFER[:_ROOT_END] + b"\nx\n", False),
        (OFFER[:_ROOT_END] + b"\n\x00", False),
        (OFFER[:_ROOT_END] + b"\n&amp;", False),
        (OFFER[:_ROOT_END] + b"\n<!DOCTYPE x>", False),
        (b"\xef\xbb\xbf" + OFFER, True),  # a BOM
        (b"\xef\xbb\xbf\xef\xbb\xbf" + OFFER, False),  # two
        (b" " + OFFER, False),  # before the declaration
        (OFFER.replace(b"\n", b"\r\n"), True),
        (OFFER.replace(b"\n", b"\r"), True),
        (OFFER.replace(b'encoding="UTF-8"', b"encoding='utf-8' standalone='yes'"), True),
        (OFFER.replace(b'encoding="UTF-8"', b'encoding="UTF-16"'), False),
        (OFFER.decode().replace('encoding="UTF-8"', 'encoding="UTF-16"').encode("utf-16"), False),
        (OFFER.decode().replace('"UTF-8"', '"ISO-8859-1"').encode("latin-1"), False),
        (OFFER.replace(b'version="1.0"', b'version="1.1"'), False),
        (OFFER.replace(b"<NS3459", b"<!DOCTYPE NS3459>\n<NS3459", 1), False),
        (OFFER.replace(b"<NS3459", b'<!DOCTYPE NS3459 SYSTEM "file:///etc/passwd">\n<NS3459', 1),
         False),
        (_replace(_replace(OFFER, b"<NS3459", b'<!DOCTYPE NS3459 [<!ENTITY e "x">]>\n<NS3459'),
                  b"Kanal \xc3\xb8160", b"&e;"), False),
        (_replace(OFFER, b"Kanal \xc3\xb8160", b"&e;"), False),  # undeclared entity
        (_replace(OFFER, b"<Generelt>", b"<!DOCTYPE x><Generelt>"), False),
        (_replace(OFFER, b"<Generelt>", b"<Generelt>\x01"), False),  # in the header
        (_replace(OFFER, b"<Generelt>", b"<Generelt>\xff"), False),
        (_PROLOG + b"\x00" + OFFER[len(_PROLOG) :], False),
    ],
    ids=["whitespace_after_root", "nothing_after_root", "comment_after_root", "pi_after_root",
         "element_after_root", "text_after_root", "nul_after_root", "reference_after_root",
         "doctype_after_root", "bom", "two_boms", "space_before_declaration", "crlf", "cr",
         "standalone", "utf16_declared", "utf16", "latin1", "xml_1_1", "doctype",
         "doctype_system", "doctype_with_entity", "undeclared_entity", "doctype_in_header",
         "control_in_header", "bad_utf8_in_header", "nul_in_prolog"],
)  # fmt: skip
def test_prolog_and_epilogue_read_as_the_full_parser_reads(tmp_path, monkeypatch, data, fast):
    assert _both_ways(monkeypatch, _write(tmp_path, data)) is fast


@pytest.mark.parametrize("cut", range(0, len(OFFER), 97))
def test_truncated_files_read_as_the_full_parser_reads(tmp_path, monkeypatch, cut):
    _both_ways(monkeypatch, _write(tmp_path, OFFER[:cut]))


def test_character_reference_with_many_leading_zeros(tmp_path, monkeypatch):
    """&#0…065; names "A" however many zeros lead (int() alone refuses over 4 300 digits)."""
    data = _replace(OFFER, b"Kanal \xc3\xb8160", b"&#" + b"0" * 5_000 + b"65;")
    path = _write(tmp_path, data)
    assert _both_ways(monkeypatch, path)
    items, _ = read_ns3459(path)
    assert "A" in items["description"].tolist()


_TARGETED = st.sampled_from(
    [t for t, _ in _TRIGGERS] + [b"<!DOCTYPE x>", b"\xef\xbb\xbf", b"</Post>", b"<Post>"]
)


@st.composite
def _aimed(draw):
    """OFFER with triggers of the run's checks put anywhere, and maybe cut short."""
    data = bytearray(OFFER)
    for _ in range(draw(st.integers(1, 3))):
        at = draw(st.integers(0, len(data)))
        data[at:at] = draw(_TARGETED)
    if draw(st.booleans()):
        data = data[: draw(st.integers(0, len(data)))]
    return bytes(data)


@_SETTINGS
@given(data=_aimed())
def test_files_with_aimed_mutations_read_the_same_both_ways(tmp_path, monkeypatch, data):
    _both_ways(monkeypatch, _write(tmp_path, data), options="all")


# Postnrdel texts as the fast path meets them: short and long, with spaces to strip,
# references, line ends and non-ASCII letters (which make raw texts that read the same).
_RAW_TEXT = st.lists(
    st.sampled_from(["3", "0", "Type1", " ", "\t", "\r\n", "&#51;", "&amp;", "ø", "Hovedlopenr"]),
    max_size=6,
).map("".join)


@st.composite
def _near_texts(draw):
    """Texts up to five 8-byte words long that differ from one another in one byte, or in length."""
    base = draw(st.text(alphabet="12 ", min_size=1, max_size=40))
    texts = []
    for _ in range(draw(st.integers(0, 30))):
        at, end = draw(st.integers(0, len(base) - 1)), draw(st.integers(0, len(base)))
        texts.append((base[:at] + draw(st.sampled_from("12 ")) + base[at + 1 :])[:end])
    return texts


@settings(max_examples=200, deadline=None)
@given(texts=st.one_of(st.lists(_RAW_TEXT, max_size=40), _near_texts()))
def test_coded_postnrdel_texts_are_the_texts_one_by_one(texts):
    """The Postnrdel texts as categories, each distinct raw text read once, are each text read alone."""
    from klimafotavtrykk.quantities._ns3459_fast import _coded, _text

    raws = [t.encode() for t in texts]
    # each text followed by the end tags that follow it in a file
    joined = b"".join(b"<Kode>" + r + b"</Kode></Postnrdel>" for r in raws)
    starts, at = [], 0
    for r in raws:
        starts.append(at + len(b"<Kode>"))
        at += len(b"<Kode>") + len(r) + len(b"</Kode></Postnrdel>")
    coded = _coded(joined, np.array(starts, dtype=np.int32), np.array(list(map(len, raws)), dtype=np.int32))
    expected = [_text(r.decode()).strip() for r in raws]
    assert list(coded) == expected
    if isinstance(coded, pd.Categorical):
        assert coded.categories.is_unique and not coded.isna().any()


_LEAF_TEXT = st.sampled_from(["", "30", " 2 ", "Type1", "&#51;"])


@settings(max_examples=200, deadline=None)
@given(
    posts=st.lists(
        st.lists(st.tuples(st.none() | _LEAF_TEXT, st.none() | _LEAF_TEXT), max_size=4), max_size=6
    ),
    space=st.sampled_from(["", "\n  "]),
)
def test_postnrdel_records_are_read_record_by_record(posts, space):
    """Each post's Postnrdel records, whether every record writes both leaves (cut out by
    position) or not (matched record by record): the post, and each leaf's text or None."""
    from klimafotavtrykk.quantities._ns3459_fast import _POSTNRDELS, _records, _text

    def leaf(name, text):
        return "" if text is None else f"{space}<{name}>{text}</{name}>"

    blocks = [
        "".join(f"{space}<Postnrdel>{leaf('Type', t)}{leaf('Kode', k)}{space}</Postnrdel>"
                for t, k in records).encode()
        for records in posts
    ]  # fmt: skip
    owner, (types, codes) = _records(blocks, b"Postnrdel", (b"Type", b"Kode"), _POSTNRDELS, 1_000)
    flat = [(i, t, k) for i, records in enumerate(posts) for t, k in records]
    assert owner.tolist() == [i for i, _, _ in flat]

    def read(text):
        return None if text is None else _text(text).strip()

    assert list(types) == [read(t) for _, t, _ in flat]
    assert list(codes) == [read(k) for _, _, k in flat]


@settings(max_examples=100, deadline=None)
@given(
    raws=st.lists(
        st.sampled_from([b"m3", b" m3 ", b"&#109;3", b"Volum\r\n", b"", b"\xc3\xb8"]), max_size=80
    ).flatmap(lambda few: st.lists(st.sampled_from(few), min_size=100, max_size=300) if few else st.just([]))
    | st.lists(st.binary(max_size=3).map(lambda b: b.hex().encode()), max_size=80)
)
def test_columns_read_as_each_text_alone(raws):
    """Post texts, repeating a few (decoded once each) or not (decoded together), read as each alone."""
    from klimafotavtrykk.quantities._ns3459_fast import _column, _text

    assert _column(tuple(raws), 1_000) == [_text(r.decode()).strip() for r in raws]
