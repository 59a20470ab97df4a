"""Fast path of the NS 3459 parser: posts read by compiled patterns, no Python per element.

Files exported by ISY programs write every ``Post`` in one shape: a run of
flat ``Post`` elements in a fixed order of children (``ID``, ``Postnr``,
``Postnrdeler``, ``Kode``, ``Tekst``, ``Prisinfo`` with ``Delmengder``).
:func:`read_posts` reads such a run with one :func:`re.findall` over the
bytes, the ``Postnrdel`` and ``Delmengde`` records with one more each, and
decodes each distinct text once. What is outside the run (the prolog, the
root, the header's ``Postnrplan``, what follows the posts) goes through the
full parser as before, with the run replaced by one empty ``Post``.

The fast path takes a file only when it can read it exactly as the full
parser does, and returns None otherwise (the caller then parses the whole
file the full way, so refusals and their messages do not change):

- UTF-8 (or no encoding declared), no comment, CDATA section, processing
  instruction or DOCTYPE (``<!``, ``<?`` after the declaration) outside the
  run; the run's pattern admits none of them;
- the posts form one run in the shape above: no attribute, namespace prefix,
  nested ``Post``, repeated or unknown child, text between elements, or
  anything else the pattern does not spell out;
- no cap of :class:`~klimafotavtrykk.quantities._ns3459_xml.Ns3459Limits`
  comes near (posts, ``Delmengde``, elements, depth, text length).

Why a file the fast path takes is one expat takes, with the same content
(no separate expat pass over the whole file is needed):

1. The file is cut in three: ``head`` (byte 0 up to the first ``<Post>``),
   the run (up to the end of the last ``</Post>``) and ``tail`` (the rest).
   ``head`` and ``tail`` must be strict UTF-8 without NUL, so expat's
   encoding detection (BOM, UTF-16 byte patterns, the declaration, which
   may only say UTF-8) takes the file as UTF-8, as this module does.
2. Expat (in defusedxml, DOCTYPE and entity declarations refused) parses
   the skeleton ``head + <Post/> + tail``. It accepts that only if the
   prolog, the root with its namespace declarations, the header and what
   follows the root (whitespace only) are well-formed, and if the point
   where ``<Post/>`` stands is element content: a start tag is recognised
   nowhere else (not in a comment, CDATA section, PI, DOCTYPE, tag or
   attribute value, and not after the root element).
3. The run is consumed whole, each match starting where the last ended
   (the pattern's last alternative takes any byte that begins no ``Post``,
   and such a byte sends the file away). Each match is a ``Post`` element
   whose tags are fixed names without attributes or prefixes, each end tag
   the name of its start tag, properly nested; between elements only XML
   whitespace. Text content holds no ``<``, and :func:`_character_data`
   proves of the whole run: strict UTF-8 (no surrogate, overlong form or
   code point over U+10FFFF), no byte below 0x20 other than tab, LF and CR,
   no U+FFFE or U+FFFF, no ``]]>``, and each ``&`` begins one of the five
   predefined references or a character reference naming an XML ``Char``.
   Those are the well-formedness rules XML 1.0 sets for content with no
   DTD, and the ones expat enforces (it takes C1 controls, DEL and
   non-characters other than U+FFFE/U+FFFF, as XML 1.0 does).
4. A well-formed run of elements that declares no namespace, in place of
   one well-formed element in element content, leaves the document
   well-formed and namespace-well-formed: so expat accepts the whole file.
   It then reports the header the skeleton's parse reports, and in the run
   the texts the patterns capture, with line ends normalised and references
   replaced as :func:`_text` does.

Any byte the patterns do not consume, any failed check, or a skeleton the
full parser does not accept sends the whole file the full way.
"""

from __future__ import annotations

import codecs
import re

import numpy as np
import pandas as pd

__all__ = ["read_posts"]

_WS = rb"[ \t\r\n]*+"  # whitespace as XML defines it (possessive: never given back)
_TEXT = rb"[^<]*+"


def _leaf(tag: bytes) -> bytes:
    """Optional element holding text only; its text captured."""
    return rb"(?:" + _WS + b"<" + tag + rb">(" + _TEXT + rb")</" + tag + rb">)?"


def _marked(tag: bytes) -> bytes:
    """Like :func:`_leaf`, the text captured after its ``>``, so that absent and empty differ."""
    return rb"(?:" + _WS + b"<" + tag + rb"(>" + _TEXT + rb")</" + tag + rb">)?"


def _flagged(tag: bytes) -> bytes:
    """Like :func:`_leaf`, with a group before the text holding ``>`` when the element is there."""
    return rb"(?:" + _WS + b"<" + tag + rb"(>)(" + _TEXT + rb")</" + tag + rb">)?"


def _ignored(tag: bytes) -> bytes:
    """Optional element holding text only, which the reader does not use."""
    return rb"(?:" + _WS + b"<" + tag + rb">" + _TEXT + rb"</" + tag + rb">)?"


def _postnrdel(leaf) -> bytes:
    return b"<Postnrdel>" + leaf(b"Type") + leaf(b"Kode") + _WS + b"</Postnrdel>"


def _delmengde(leaf) -> bytes:
    return b"<Delmengde>" + leaf(b"ID") + leaf(b"Mengde") + leaf(b"Tekst") + _WS + b"</Delmengde>"


# One Post as ISY programs write it. Groups: Postnr, Postnrdeler content, Kode content,
# Uformatert, Mengderegel, Enhet, Mengde (">" if there, then its text), Enhetspris,
# Sum, Delmengder content, and last the first character that begins no such Post
# (anything but whitespace between posts); that match takes the rest of the run, so a
# file in another shape costs one match, not one per character.
_POST = re.compile(
    _WS
    + rb"(?:<Post>"
    + _ignored(b"ID")
    + _leaf(b"Postnr")
    + rb"(?:" + _WS + rb"<Postnrdeler>((?:" + _WS + _postnrdel(_ignored) + rb")*+)" + _WS
    + rb"</Postnrdeler>)?"
    + rb"(?:" + _WS + rb"<Kode(>" + _TEXT + rb"(?:<ID>" + _TEXT + rb"</ID>" + _WS
    + rb")?)</Kode>)?"
    + rb"(?:" + _WS + rb"<Tekst>" + _leaf(b"Uformatert") + _ignored(b"RTF") + _WS
    + rb"</Tekst>)?"
    + rb"(?:" + _WS + rb"<Prisinfo>"
    + _leaf(b"Mengderegel") + _leaf(b"Enhet") + _flagged(b"Mengde") + _leaf(b"Enhetspris")
    + _leaf(b"Sum")
    + rb"(?:" + _WS + rb"<Delmengder>((?:" + _WS + _delmengde(_ignored) + rb")*+)" + _WS
    + rb"</Delmengder>)?"
    + _WS + rb"</Prisinfo>)?"
    + _WS + rb"</Post>|(.).*+)",
    re.DOTALL,
)  # fmt: skip
_POSTNRDELS = re.compile(_WS + _postnrdel(_marked))
_DELMENGDER = re.compile(_WS + _delmengde(_marked))
_KODE = re.compile(rb">(" + _TEXT + rb")(?:<ID>(" + _TEXT + rb")</ID>(" + _WS + rb"))?")
# How deep the pattern's elements go below Post: Prisinfo/Delmengder/Delmengde/Mengde.
_DEPTH_BELOW_POST = 4
# Most elements one Post of the pattern holds, besides its Postnrdel and Delmengde
# (Post, ID, Postnr, Postnrdeler, Kode, ID, Tekst, Uformatert, RTF, Prisinfo, five
# price fields, Delmengder), and per Postnrdel (3) and Delmengde (4).
_ELEMENTS_PER_POST, _PER_POSTNRDEL, _PER_DELMENGDE = 16, 3, 4
_DECLARATION = re.compile(
    rb"<\?xml[ \t\r\n]+version[ \t\r\n]*=[ \t\r\n]*([\"'])1\.0\1"
    rb"(?:[ \t\r\n]+encoding[ \t\r\n]*=[ \t\r\n]*([\"'])([A-Za-z0-9._-]*)\2)?"
    rb"(?:[ \t\r\n]+standalone[ \t\r\n]*=[ \t\r\n]*([\"'])(?:yes|no)\4)?[ \t\r\n]*\?>"
)
_UTF8_BOM = b"\xef\xbb\xbf"
# the references an XML parser replaces without a DTD: the five predefined, and characters
_REFERENCE = re.compile(r"&(?:(amp|lt|gt|quot|apos)|#([0-9]+)|#x([0-9a-fA-F]+));")
_PREDEFINED = {"amp": "&", "lt": "<", "gt": ">", "quot": '"', "apos": "'"}
_SEPARATOR = "\x00"  # never in XML text: expat refuses it, escaped or not
# the same grammar over the raw bytes: without a DTD each "&" must begin one of these
_REFERENCE_BYTES = re.compile(_REFERENCE.pattern.encode("ascii"))
_MOST_DIGITS = 7  # of a legal character number, leading zeros left out (1114111 = 0x10FFFF)
# bytes that are no XML character: C0 controls other than tab, LF and CR
_NOT_CHAR = np.zeros(256, dtype=bool)
_NOT_CHAR[:0x20] = True
_NOT_CHAR[[0x09, 0x0A, 0x0D]] = False
_CHECK_STEP = 1 << 16  # bytes checked at a time: a piece stays in the CPU cache
_FIND_STEP = 1 << 20  # bytes searched at a time for tags
# A column whose first _SAMPLE texts hold at most _FEW distinct ones is decoded text by text.
_SAMPLE, _FEW = 256, 16


class _Refused(Exception):
    """The file holds something the fast path does not read; parse it the full way."""


def _replace(match: re.Match) -> str:
    name, decimal, hexadecimal = match.groups()
    if name:
        return _PREDEFINED[name]
    # leading zeros dropped: int() refuses texts of more than 4 300 digits
    return chr(
        int(decimal.lstrip("0") or "0") if decimal else int(hexadecimal.lstrip("0") or "0", 16)
    )


def _text(text: str) -> str:
    """Decoded text as an XML parser reports it: line ends as LF, references replaced."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "&" in text:
        text = _REFERENCE.sub(_replace, text)
    return text


def _column(raws, max_text: int) -> list[str]:
    """Stripped text of each captured element text, decoded together at C speed.

    A column whose texts repeat a few (a unit, a quantity rule; judged on its
    first texts, then on all) has each distinct text decoded once instead. Raises :class:`_Refused` when one is
    longer than ``max_text`` bytes (the full parser then decides, counting characters).
    """
    if not raws:
        return []
    texts = dict.fromkeys(raws) if len(set(raws[:_SAMPLE])) <= _FEW else {}
    if 0 < len(texts) <= len(raws) // _FEW:  # and they stay few to the end
        for raw in texts:
            if len(raw) > max_text:
                raise _Refused
            texts[raw] = _text(raw.decode("utf-8")).strip()
        return list(map(texts.__getitem__, raws))
    together = b"\x00".join(raws)
    # no text is longer than all of them together (the NULs between them left out)
    if len(together) - (len(raws) - 1) > max_text and max(map(len, raws)) > max_text:
        raise _Refused
    joined = _text(together.decode("utf-8"))
    return list(map(str.strip, joined.split(_SEPARATOR)))


def _marked_column(raws, max_text: int, empty=None) -> list:
    """Like :func:`_column` for values captured after their ``>``: b"" (absent) gives None.

    Each distinct value is decoded once; ``empty`` is what an element without
    text gives (``""`` or None).
    """
    texts = dict.fromkeys(raws)
    for raw in texts:
        if len(raw) > max_text:
            raise _Refused
        texts[raw] = (_text(raw[1:].decode("utf-8")).strip() or empty) if raw else None
    return list(map(texts.__getitem__, raws))


def _codes(raws, max_text: int) -> tuple[list, list]:
    """``Kode`` content -> (text directly in Kode, stripped; text of Kode/ID), per post."""
    direct, code = {}, {}
    for raw in dict.fromkeys(raws):
        if not raw:
            direct[raw] = code[raw] = None
            continue
        if len(raw) > max_text:
            raise _Refused
        before, inner, after = _KODE.fullmatch(raw).groups()
        direct[raw] = (_text(before.decode("utf-8")) + (after or b"").decode("ascii")).strip()
        code[raw] = None if inner is None else _text(inner.decode("utf-8")).strip()
    return list(map(direct.__getitem__, raws)), list(map(code.__getitem__, raws))


def _records(blocks, tag: bytes, leaves: tuple[bytes, ...], pattern, max_text: int, *, coded=False):
    """Owner and leaf texts of the records (``Postnrdel``, ``Delmengde``) in each post's block.

    When every record writes every leaf once (the usual case) the texts are cut
    out by position (:func:`_text_positions`); otherwise each record is matched by ``pattern``
    and a leaf it does not write gives None. With ``coded``, the texts of records
    cut out by position come as a :class:`pandas.Categorical` (:func:`_coded`), else
    as a list of str.
    """
    opening = b"<" + tag + b">"
    joined = b"".join(blocks)
    # every "<" in the blocks begins a tag (no text holds one), and no tag spans two blocks
    tags = _where_byte(joined, ord("<"))
    if not len(tags):
        return np.zeros(0, dtype=np.int64), [[] for _ in leaves]
    located = _text_positions(joined, tags, tag, leaves, max_text)
    if located is not None:
        starts, lengths, firsts = located
        read = _coded if coded else _texts
        # the post of each record: the block its first byte lies in (the records starting
        # before each block's end, counted block by block)
        ends = np.cumsum(np.fromiter(map(len, blocks), dtype=np.int64, count=len(blocks)))
        counts = np.diff(np.searchsorted(firsts, ends, side="left"), prepend=0)
        owner = np.repeat(np.arange(len(blocks), dtype=np.int64), counts)
        return owner, [read(joined, starts[:, i], lengths[:, i]) for i in range(len(leaves))]
    counts = np.fromiter(map(bytes.count, blocks, [opening] * len(blocks)), np.int64)
    owner = np.repeat(np.arange(len(blocks), dtype=np.int64), counts)
    found = pattern.findall(joined)
    if len(found) != joined.count(opening):
        raise _Refused
    return owner, [_marked_column(col, max_text, "") for col in zip(*found, strict=True)]


def _where_byte(data: bytes, byte: int) -> np.ndarray:
    """Offsets of ``byte`` in ``data`` [byte], found piece by piece (each piece stays in the CPU cache).

    As 32-bit integers when ``data`` is shorter than 1 GiB (half the memory; offsets a few
    words past these still fit), else 64-bit.
    """
    codes = np.frombuffer(data, dtype=np.uint8)
    kind = np.int32 if len(codes) < 2**30 else np.int64
    found = [
        np.flatnonzero(codes[at : at + _FIND_STEP] == byte).astype(kind) + kind(at)
        for at in range(0, len(codes), _FIND_STEP)
    ]
    return np.concatenate(found) if found else np.zeros(0, dtype=kind)


def _text_positions(joined: bytes, tags: np.ndarray, tag: bytes, leaves, max_text: int):
    """Where the leaf texts lie when every record ``<tag>`` writes every leaf once; or None.

    ``tags`` is where each tag in ``joined`` begins. The pattern already let each
    record write its leaves in order, each at most once, and no text holds a ``<``:
    a record's tags are its opening tag, each leaf it writes opened and closed, and
    its end tag. Cut in rows of as many tags as a complete record has, every row
    is one complete record when each row opens the record and then every leaf in
    its place (told by the letter after ``<``, which differs between the record
    and its leaves, and from the ``/`` of end tags): the leaf after an opened
    leaf's end tag is the next leaf or the record's end, and the end tag follows the last leaf.

    Returns
    -------
    starts, lengths : ndarray of int, shape (records, leaves)
        Offset of each text in ``joined`` and its length. [byte]
    firsts : ndarray of int
        Offset of each record's opening tag. [byte]
    """
    per_record = 2 + 2 * len(leaves)
    letters = [tag[0]] + [leaf[0] for leaf in leaves]  # at places 0, 1, 3, 5 ... of a row
    if len(tags) % per_record or len(set(letters)) < len(letters):
        return None
    at = tags.reshape(-1, per_record)
    data = np.frombuffer(joined, dtype=np.uint8)
    places = [0, *range(1, per_record - 1, 2)]
    if not all((data[at[:, p] + 1] == c).all() for p, c in zip(places, letters, strict=True)):
        return None
    skip = np.array([len(leaf) + 2 for leaf in leaves], dtype=tags.dtype)  # "<Leaf>"
    starts = at[:, 1:-1:2] + skip
    lengths = at[:, 2:-1:2] - starts
    if lengths.max() > max_text:
        return None
    return starts, lengths, at[:, 0]


def _texts(joined: bytes, starts: np.ndarray, lengths: np.ndarray) -> list[str]:
    """Stripped text at each ``joined[start : start + length]``, decoded together at C speed.

    The texts are cut out with array indexing, NUL between them, and decoded
    in one piece; ``starts`` and ``lengths`` in bytes.
    """
    if not len(starts):
        return []
    data = np.frombuffer(joined, dtype=np.uint8)
    room = lengths + 1  # each text and the NUL after it
    offsets = np.cumsum(room) - room
    taken = data[np.repeat(starts - offsets, room) + np.arange(int(room.sum()), dtype=starts.dtype)]
    taken[offsets + lengths] = 0  # where the byte after the text was taken
    texts = _text(taken.tobytes().decode("utf-8")).split(_SEPARATOR)[:-1]
    return list(map(str.strip, texts))


# Texts of at most this many 8-byte words are told apart by their bytes read as integers.
_KEY_WORDS = 4
_WORD = 8  # bytes
# the low ``k`` bytes of a little-endian word: _LOW_BYTES[k]
_LOW_BYTES = np.array([(1 << (8 * k)) - 1 for k in range(_WORD + 1)], dtype=np.uint64)


def _coded(joined: bytes, starts: np.ndarray, lengths: np.ndarray):
    """Stripped texts at ``joined[start : start + length]`` as a :class:`pandas.Categorical`.

    Each distinct text is decoded once: the raw texts are told apart by their
    bytes read as little-endian 8-byte words, zero beyond the text's end (no
    text holds a NUL, :func:`_character_data`, so the words of two different
    texts differ), numbered by :func:`pandas.factorize`; only the first of each
    number is cut out and decoded (:func:`_texts`). Raw texts that decode to the
    same text (``" 30"``, ``"30"``) share a category. Texts longer than
    ``_KEY_WORDS`` words, or none, come as a list of str. ``starts`` and ``lengths``
    in bytes.
    """
    if not len(starts):
        return []
    words = max(1, -(-int(lengths.max()) // _WORD))
    if words > _KEY_WORDS:
        return _texts(joined, starts, lengths)
    # a little-endian 8-byte word at every offset of ``joined`` (a view, no copy); each text
    # is followed by its end tag and its record's, more than 8 bytes, so no word a text
    # needs is cut short, and a word past the text's end, masked to 0, may be read anywhere
    every = np.ndarray((len(joined) - _WORD + 1,), dtype="<u8", buffer=joined, strides=(1,))
    last = len(every) - 1
    number = np.zeros(len(starts), dtype=np.int64)
    for word in range(words):
        at = np.minimum(starts + word * _WORD, last)
        held = np.clip(lengths - word * _WORD, 0, _WORD)
        word_number, distinct = pd.factorize(every[at] & _LOW_BYTES[held])
        number = pd.factorize(number * len(distinct) + word_number)[0] if word else word_number
    # pandas.factorize numbers values in order of first appearance: a first appearance is
    # where the number exceeds all before it
    first = np.flatnonzero(np.r_[True, number[1:] > np.maximum.accumulate(number)[:-1]])
    texts = np.asarray(_texts(joined, starts[first], lengths[first]), dtype=object)
    text_number, categories = pd.factorize(texts)
    return pd.Categorical.from_codes(
        text_number[number], categories=pd.Index(categories, dtype=object)
    )


def _is_char(code: int) -> bool:
    """Whether ``code`` is a character XML 1.0 allows (its production ``Char``)."""
    return (
        code in (0x9, 0xA, 0xD)
        or 0x20 <= code <= 0xD7FF
        or 0xE000 <= code <= 0xFFFD
        or 0x10000 <= code <= 0x10FFFF
    )


def _references(data: bytes, start: int, end: int) -> None:
    """Each ``&`` in ``data[start:end]`` begins a reference XML allows without a DTD; else _Refused."""
    if data.find(b"&", start, end) < 0:
        return
    found = _REFERENCE_BYTES.findall(data, start, end)
    if len(found) != data.count(b"&", start, end):
        raise _Refused  # a lone "&", an entity of a DTD, "&#X41;" ...
    for _, decimal, hexadecimal in set(found):
        if not (decimal or hexadecimal):
            continue  # one of the five predefined
        digits = (decimal or hexadecimal).lstrip(b"0")
        if len(digits) > _MOST_DIGITS or not _is_char(int(digits or b"0", 10 if decimal else 16)):
            raise _Refused


def _character_data(data: bytes, start: int, end: int) -> None:
    """``data[start:end]`` holds only what XML 1.0 allows in content; else _Refused.

    Strict UTF-8, no control character but tab, LF and CR, no U+FFFE or
    U+FFFF, no ``]]>`` and only references XML allows without a DTD (the
    caller's patterns already keep ``<`` to tags). Checked in pieces that
    stay in the CPU cache, at C speed.
    """
    if data.find(b"]", start, end) >= 0 and data.find(b"]]>", start, end) >= 0:
        raise _Refused
    if data.find(b"\xef", start, end) >= 0 and (
        data.find(b"\xef\xbf\xbe", start, end) >= 0 or data.find(b"\xef\xbf\xbf", start, end) >= 0
    ):
        raise _Refused  # in valid UTF-8 these bytes are U+FFFE and U+FFFF, nothing else
    _references(data, start, end)
    decoder = codecs.getincrementaldecoder("utf-8")("strict")
    view = memoryview(data)[start:end]
    codes = np.frombuffer(data, dtype=np.uint8, count=end - start, offset=start)
    try:
        for at in range(0, end - start, _CHECK_STEP):
            decoder.decode(view[at : at + _CHECK_STEP])
            piece = codes[at : at + _CHECK_STEP]
            low = piece < 0x20
            if (
                np.count_nonzero(low) != np.count_nonzero(piece == 0x0A)
                and _NOT_CHAR[piece[low]].any()
            ):
                raise _Refused
        decoder.decode(b"", True)
    except UnicodeDecodeError:
        raise _Refused from None


def _utf8(*parts: bytes) -> None:
    """Each part is strict UTF-8 without NUL (so expat cannot take it for UTF-16); else _Refused."""
    for part in parts:
        if b"\x00" in part:
            raise _Refused
        try:
            part.decode("utf-8")
        except UnicodeDecodeError:
            raise _Refused from None


def _plain(head: bytes, tail: bytes) -> None:
    """UTF-8 without comments, CDATA, DOCTYPE or processing instructions; else _Refused.

    ``head`` and ``tail`` are the file before and after the run of posts (the
    posts' pattern admits none of these).
    """
    body = head[3:] if head.startswith(_UTF8_BOM) else head
    if body.startswith(b"<?xml"):
        declaration = _DECLARATION.match(body)
        if declaration is None:
            raise _Refused
        encoding = declaration.group(3)
        if encoding is not None and encoding.lower() != b"utf-8":
            raise _Refused
        body = body[declaration.end() :]
    if b"<!" in body or b"<?" in body or b"<!" in tail or b"<?" in tail:
        raise _Refused


def read_posts(data: bytes, limits, skeleton):
    """Read the posts of ``data`` by pattern, the rest by ``skeleton``; None if not possible.

    Parameters
    ----------
    data : bytes
        The whole file.
    limits : Ns3459Limits
        The caps; a file near one goes the full way.
    skeleton : callable
        ``skeleton(data)`` runs the full parser over the bytes given and returns
        its collector, or None if it fails; it is called with the file in which
        the run of posts is one empty ``Post``.

    Returns
    -------
    collector or None
        The full parser's collector for the header, with the posts filled in;
        None when the file must be parsed the full way. Text fields of a post
        that the element does not give are ``""`` where the reader takes
        empty and absent alike (all but ``Mengde``, which is None when absent).
    """
    try:
        return _read_posts(data, limits, skeleton)
    except _Refused:
        return None


def _read_posts(data: bytes, limits, skeleton):
    start = data.find(b"<Post>")
    if start < 0:
        raise _Refused
    end = data.rfind(b"</Post>") + len(b"</Post>")
    head, tail = data[:start], data[end:]
    _plain(head, tail)
    rows = _POST.findall(data, start, end)
    n = len(rows)
    if not n or n > limits.max_posts:
        raise _Refused
    (postnr, pnr_blocks, kode, text, rule, unit, has_qty, qty, price, total, part_blocks, other) = (
        zip(*rows, strict=True)
    )
    del rows
    if any(other):
        raise _Refused
    # the run holds well-formed elements only (see the module docstring) ...
    _character_data(data, start, end)
    _utf8(head, tail)
    # ... and expat checks the rest: the header through the full parser, with the run of
    # posts as one empty Post
    got = skeleton(head + b"<Post/>" + tail)
    if got is None or len(got.parent) != 1:
        raise _Refused
    max_text = limits.max_text
    pnr_owner, (pnr_type, pnr_code) = _records(
        pnr_blocks, b"Postnrdel", (b"Type", b"Kode"), _POSTNRDELS, max_text, coded=True
    )
    part_owner, (part_id, part_qty, part_name) = _records(
        part_blocks, b"Delmengde", (b"ID", b"Mengde", b"Tekst"), _DELMENGDER, max_text
    )
    n_parts = len(part_owner)
    elements = limits.max_elements - got.budget - 1 + _ELEMENTS_PER_POST * n
    elements += _PER_POSTNRDEL * len(pnr_owner) + _PER_DELMENGDE * n_parts
    if (
        elements > limits.max_elements
        or got.post_depth + _DEPTH_BELOW_POST > limits.max_depth
        or n_parts > limits.max_posts
    ):
        raise _Refused
    code_text, code = _codes(kode, max_text)
    got.cols = {
        "post_number": _column(postnr, max_text),
        "code_text": code_text,
        "code": code,
        "text": _column(text, max_text),
        "rule": _column(rule, max_text),
        "unit": _column(unit, max_text),
        "qty": _absent_as_none(_column(qty, max_text), np.fromiter(map(len, has_qty), bool, n)),
        "price": _column(price, max_text),
        "total": _column(total, max_text),
        "bpart_text": [None] * n,
        "bpart": [None] * n,
    }
    got.parent = np.full(n, -1, dtype=np.int64)  # no post encloses another
    got.pnr_owner, got.pnr_type, got.pnr_code = pnr_owner, pnr_type, pnr_code
    counts = np.bincount(part_owner, minlength=n)
    got.part_owner = part_owner
    got.part_index = np.arange(n_parts, dtype=np.int64) - np.repeat(
        np.cumsum(counts) - counts, counts
    )
    got.part_qty = part_qty
    got.part_id = _absent_as_none(part_id, np.fromiter(map(bool, part_id), bool, n_parts))
    got.part_name = _absent_as_none(part_name, np.fromiter(map(bool, part_name), bool, n_parts))
    return got


def _absent_as_none(texts: list, present: np.ndarray) -> np.ndarray:
    """``texts`` as an object array with None where not ``present``."""
    out = np.array(texts, dtype=object)
    out[~present] = None
    return out
