"""NS 3459 XML parser behind :func:`klimafotavtrykk.quantities.ns3459.read_ns3459`.

The full parser feeds the file in chunks to
:class:`defusedxml.ElementTree.DefusedXMLParser` (DOCTYPE, entity declarations
and external references refused) with a target that keeps only the text of
the elements the reader uses, in flat per-post lists. No element tree is
built; the RTF copy of each text is never kept.

Files whose posts are written the way ISY programs write them take a fast
path (:mod:`klimafotavtrykk.quantities._ns3459_fast`): compiled patterns read
the posts and, with checks at C speed, prove them well-formed, and the full
parser reads only what is outside them. It gives the same collector; any
file it cannot read exactly as the full parser would goes the full way.
"""

from __future__ import annotations

import hashlib
import itertools
import os
import threading
from collections.abc import Mapping
from dataclasses import dataclass, fields
from pathlib import Path
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser

from klimafotavtrykk.errors import InputError, KlimafotavtrykkError, UnsafeWorkbookError
from klimafotavtrykk.gc_pause import collector_paused
from klimafotavtrykk.quantities._ns3459_fast import read_posts

__all__ = [
    "NAMESPACE", "DOCUMENT_TYPES", "Ns3459Limits", "as_limits", "parse_ns3459",
]  # fmt: skip

#: XML namespace of NS 3459 files.
NAMESPACE = "http://www.standard.no/ns3459"
#: Document types this reader accepts (price request, priced offer).
DOCUMENT_TYPES = ("Prisforesporsel", "Pristilbud")

_RAW_NS = NAMESPACE + "}"
_POST_RAW = _RAW_NS + "Post"
_WRAPPER = "NS3459"
_CHUNK = 1 << 20  # bytes fed to the parser at a time
_DIRECT_HANDLERS = True  # False: go through the parser-target protocol


@dataclass(frozen=True)
class Ns3459Limits:
    """Caps that keep a hostile or broken file from exhausting time or memory.

    The defaults keep the worst case each cap allows well inside 30 s and 1 GB
    (measured on the development machine: 500 000 minimal posts in a 100 MB
    file, about 8 s and 0.25 GB; 5 M ignored elements, about 3.5 s).

    Parameters
    ----------
    max_bytes : int
        Largest file accepted. [byte]
    max_elements : int
        Largest number of XML elements parsed (about 15 per post in real files). [-]
    max_posts : int
        Largest number of ``Post`` and of ``Delmengde`` elements, each. [-]
    max_depth : int
        Deepest element nesting accepted. [-]
    max_text : int
        Longest text kept from one element (``Uformatert``, ``Mengde`` ...). [character]
    """

    max_bytes: int = 200_000_000
    max_elements: int = 10_000_000
    max_posts: int = 500_000
    max_depth: int = 1_000
    max_text: int = 1_000_000

    def __post_init__(self):
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise InputError(
                    f"limit {f.name} must be a positive integer",
                    expected="positive integer",
                    found=repr(value),
                    code="bad_limits",
                )


def as_limits(limits) -> Ns3459Limits:
    """Accept None, :class:`Ns3459Limits`, a mapping or any object with limit attributes."""
    if limits is None or isinstance(limits, Ns3459Limits):
        return limits or Ns3459Limits()
    names = {f.name for f in fields(Ns3459Limits)}
    if isinstance(limits, Mapping):
        unknown = set(limits) - names
        if unknown:
            raise InputError(
                "unknown limit", expected=", ".join(sorted(names)),
                found=", ".join(sorted(map(str, unknown))), code="bad_limits",
            )  # fmt: skip
        return Ns3459Limits(**limits)
    # another reader's limits object (e.g. the Excel ReadLimits): take what applies
    values = {n: getattr(limits, n) for n in names if hasattr(limits, n)}
    for alias in ("max_xml_bytes", "max_file_bytes"):
        if "max_bytes" not in values and hasattr(limits, alias):
            values["max_bytes"] = getattr(limits, alias)
    return Ns3459Limits(**values)


# ---------------------------------------------------------------- element map
# Tags arrive as expat reports them with "}" as namespace separator:
# "http://www.standard.no/ns3459}Post" (no leading "{").
def _q(local: str) -> str:
    return _RAW_NS + local


class _Node:
    """Where an element sits: the text field it holds, its children, the record it opens.

    ``record`` is ``"post"``, ``"part"`` (a ``Delmengde``), ``"level"`` (a
    ``PostnrdelType`` of the header's post-number plan) or ``"pnr"`` (one
    ``Postnrdel`` of a post's number); the element's end closes that record.
    """

    __slots__ = ("field", "children", "record")

    def __init__(self, field=None, children=None, *, record=None):
        self.field = field
        self.children = {_q(k): v for k, v in (children or {}).items()}
        self.record = record


# Delmengde as ISY programs write it: <ID>, <Mengde>, <Tekst> ("Hovedprosjekt",
# "Opsjon 1 - ..."); Navn and Beskrivelse are accepted as the part's name too.
_PART = _Node(
    children={
        "ID": _Node("part_id"),
        "Mengde": _Node("part_qty"),
        "Tekst": _Node("part_name"),
        "Navn": _Node("part_name"),
        "Beskrivelse": _Node("part_name"),
    },
    record="part",
)
_PARTS = {"Delmengder": _Node(children={"Delmengde": _PART})}
_PRICE_FIELDS = {
    "Mengderegel": _Node("rule"),
    "Enhet": _Node("unit"),
    "Mengde": _Node("qty"),
    "Enhetspris": _Node("price"),
    "Sum": _Node("total"),
}
_POST_NUMBER_PARTS = _Node(
    children={
        "Postnrdel": _Node(
            children={"Type": _Node("pnr_type"), "Kode": _Node("pnr_code")}, record="pnr"
        )
    }
)
_POST = _Node(
    children={
        "Postnr": _Node("post_number"),
        "Postnrdeler": _POST_NUMBER_PARTS,
        "Kode": _Node("code_text", {"ID": _Node("code")}),
        "Tekst": _Node(children={"Uformatert": _Node("text")}),
        "Prisinfo": _Node(children={**_PRICE_FIELDS, **_PARTS}),
        "Bygningsdel": _Node("bpart_text", {"ID": _Node("bpart"), "Kode": _Node("bpart")}),
        **_PARTS,  # tolerated directly under Post, as are the Prisinfo fields
        **_PRICE_FIELDS,
    },
    record="post",
)
# Header: ProsjektNS/Postnrplan/PostnrdelTyper/PostnrdelType with Type and Navn.
_PLAN = _Node(
    children={
        "PostnrdelTyper": _Node(
            children={
                "PostnrdelType": _Node(
                    children={"Type": _Node("level_type"), "Navn": _Node("level_name")},
                    record="level",
                )
            }
        )
    }
)
_DOCUMENT = _Node(
    children={"ProsjektNS": _Node(children={"Postnrplan": _PLAN}), "Postnrplan": _PLAN}
)
_POST_FIELDS = (
    "post_number", "code_text", "code", "text", "rule", "unit", "qty", "price", "total",
    "bpart_text", "bpart",
)  # fmt: skip
_FIELD_PATH = {
    "post_number": "Postnr", "code": "Kode/ID", "text": "Tekst/Uformatert",
    "rule": "Prisinfo/Mengderegel", "unit": "Prisinfo/Enhet", "qty": "Prisinfo/Mengde",
    "price": "Prisinfo/Enhetspris", "total": "Prisinfo/Sum", "bpart": "Bygningsdel/ID",
}  # fmt: skip


def _attribute(attrs, name: str) -> str | None:
    """Attribute value from expat's ordered list or from a dict."""
    if isinstance(attrs, dict):
        return attrs.get(name)
    pairs = dict(zip(attrs[::2], attrs[1::2], strict=False))
    return pairs.get(name)


class _Collector:
    """Expat handlers that keep the wanted text of each post in flat lists.

    ``start``, ``end`` and ``data`` are bound straight to the expat parser
    inside defusedxml's parser (tags as ``namespace}Local``); a post is a
    row in :attr:`cols`, a ``Delmengde`` a row in the ``part_*`` lists, a
    ``Postnrdel`` a row in the ``pnr_*`` lists and a ``PostnrdelType`` of the
    header a row in the ``level_*`` lists.
    """

    def __init__(self, file: str, limits: Ns3459Limits):
        self.file = file
        self.max_depth = limits.max_depth
        self.max_posts = limits.max_posts
        self.max_elements = limits.max_elements
        self.max_text = limits.max_text
        self.text_left = 0  # characters the current field may still take
        self.reported: set[tuple[int, str]] = set()  # (post, field) whose repeat is reported
        self.budget = limits.max_elements  # elements still allowed
        self.depth = 0
        self.nodes: list[_Node | None] = []
        self.open_posts: list[int] = []
        self.post_depth = 0  # deepest Post element opened
        self.collect_depth = -1  # depth whose text is being kept ...
        self.field = ""  # ... for this field ...
        self.chunks: list[str] = []  # ... in these pieces
        self.saved: list[tuple[int, str, list[str]]] = []  # enclosing fields being kept
        self.doc_state = 0  # 0 before, 1 inside, 2 after the document element
        self.doc_depth = -1
        self.root_started = False
        self.root = ""
        self.version: str | None = None
        self.seen: list[str] = []
        self.cols: dict[str, list] = {name: [] for name in _POST_FIELDS}
        self.parent: list[int] = []
        self.parts: list[dict] = []  # open Delmengde elements
        self.part_count: dict[int, int] = {}
        self.part_owner: list[int] = []
        self.part_index: list[int] = []
        self.part_qty: list[str | None] = []
        self.part_id: list[str | None] = []
        self.part_name: list[str | None] = []
        self.pnrs: list[dict] = []  # open Postnrdel elements
        self.pnr_owner: list[int] = []
        self.pnr_type: list[str | None] = []
        self.pnr_code: list[str | None] = []
        self.levels: list[dict] = []  # open PostnrdelType elements
        self.level_type: list[str | None] = []
        self.level_name: list[str | None] = []
        self.findings_at: list[int] = []  # duplicate elements: post, value, path
        self.findings_found: list[str] = []
        self.findings_path: list[str] = []

    def _error(self, problem, code, expected=None, found=None, cls=InputError):
        return cls(problem, file=self.file, expected=expected, found=found, code=code)

    def _outside(self, tag: str, attrs) -> None:
        """Elements outside the document element: check root, find the document."""
        ns, _, local = tag.rpartition("}")
        if self.depth == 1:
            self.root_started = True
            known = local in (_WRAPPER, *DOCUMENT_TYPES)
            if known and ns != NAMESPACE:
                raise self._error(
                    "root element is not in the NS 3459 namespace",
                    "wrong_namespace", expected=NAMESPACE, found=ns or "(no namespace)",
                )  # fmt: skip
            if not known:
                raise self._error(
                    "not an NS 3459 price request or priced offer", "wrong_root",
                    expected=f"{' or '.join(DOCUMENT_TYPES)} in namespace {NAMESPACE}",
                    found=local,
                )  # fmt: skip
            self.version = _attribute(attrs, "Versjon")
        if ns == NAMESPACE and local in DOCUMENT_TYPES and self.depth <= 2:
            if self.doc_state == 2:
                raise self._error(
                    "more than one price request or offer in one file",
                    "multiple_documents", expected="one document", found=local,
                )  # fmt: skip
            self.doc_state, self.doc_depth, self.root = 1, self.depth, local
            self.version = _attribute(attrs, "Versjon") or self.version
        elif self.depth == 2 and len(self.seen) < 10:
            self.seen.append(local)

    # -- expat handlers
    def start(self, tag: str, attrs) -> None:
        self.budget -= 1
        depth = self.depth = self.depth + 1
        if self.budget < 0 or depth > self.max_depth:
            self._too_much(depth)
        if self.doc_state != 1:
            self._outside(tag, attrs)
            self.nodes.append(_DOCUMENT if self.doc_state == 1 else None)
        elif tag == _POST_RAW:
            self._open_post()
            self.nodes.append(_POST)
        else:
            node = self.nodes[-1]
            child = None if node is None else node.children.get(tag)
            self.nodes.append(child)
            if child is not None:
                record = child.record
                if record == "part" and self.open_posts:
                    self.parts.append({"owner": self.open_posts[-1]})
                elif record == "pnr" and self.open_posts:
                    self.pnrs.append({"owner": self.open_posts[-1]})
                elif record == "level":
                    self.levels.append({})
                if child.field is not None:
                    self.saved.append((self.collect_depth, self.field, self.chunks))
                    self.collect_depth, self.field, self.chunks = depth, child.field, []
                    self.text_left = self.max_text

    def data(self, text: str) -> None:
        if self.depth == self.collect_depth:
            self.chunks.append(text)
            self.text_left -= len(text)
            if self.text_left < 0:
                raise self._error(
                    "text too long in one element", "text_too_long",
                    expected=f"at most {self.max_text} characters", cls=UnsafeWorkbookError,
                )  # fmt: skip

    def end(self, tag: str) -> None:
        depth = self.depth
        self.depth = depth - 1
        if depth == self.collect_depth:
            name, text = self.field, "".join(self.chunks).strip()
            self.collect_depth, self.field, self.chunks = self.saved.pop()
            self._store(name, text)
        node = self.nodes.pop()
        record = None if node is None else node.record
        if record == "post":
            self.open_posts.pop()
        elif record == "part" and self.parts:
            self._close_part()
        elif record == "pnr" and self.pnrs:
            pnr = self.pnrs.pop()
            self.pnr_owner.append(pnr["owner"])
            self.pnr_type.append(pnr.get("pnr_type"))
            self.pnr_code.append(pnr.get("pnr_code"))
        elif record == "level" and self.levels:
            level = self.levels.pop()
            self.level_type.append(level.get("level_type"))
            self.level_name.append(level.get("level_name"))
        if depth == self.doc_depth:
            self.doc_state, self.doc_depth = 2, -1

    def close(self) -> None:
        if self.doc_state == 0:
            raise self._error(
                "no price request or priced offer in the file", "wrong_root",
                expected=" or ".join(DOCUMENT_TYPES),
                found=", ".join(self.seen) or "(nothing)",
            )  # fmt: skip

    # -- bookkeeping
    def _too_much(self, depth: int) -> None:
        if depth > self.max_depth:
            raise self._error(
                "XML nested too deeply", "xml_too_deep",
                expected=f"at most {self.max_depth} levels", cls=UnsafeWorkbookError,
            )  # fmt: skip
        raise self._error(
            "too many XML elements", "too_many_elements",
            expected=f"at most {self.max_elements}", cls=UnsafeWorkbookError,
        )  # fmt: skip

    def _open_post(self) -> None:
        index = len(self.parent)
        if index >= self.max_posts:
            raise self._error(
                "too many posts", "too_many_posts",
                expected=f"at most {self.max_posts}", cls=UnsafeWorkbookError,
            )  # fmt: skip
        self.parent.append(self.open_posts[-1] if self.open_posts else -1)
        self.post_depth = max(self.post_depth, self.depth)
        for col in self.cols.values():
            col.append(None)
        self.open_posts.append(index)

    def _store(self, name: str, value: str) -> None:
        prefix = name.partition("_")[0]
        if prefix in ("part", "pnr", "level"):
            open_records = {"part": self.parts, "pnr": self.pnrs, "level": self.levels}[prefix]
            if open_records:
                open_records[-1].setdefault(name, value)
            return
        if not self.open_posts:
            return
        post = self.open_posts[-1]
        col = self.cols[name]
        if col[post] is None:
            col[post] = value
        elif name in _FIELD_PATH and (post, name) not in self.reported:
            # a second Mengde, Enhet ... in one post: the first is kept, the second reported once
            self.reported.add((post, name))
            self.findings_at.append(post)
            self.findings_found.append(value)
            self.findings_path.append(_FIELD_PATH[name])

    def _close_part(self) -> None:
        part = self.parts.pop()
        owner = part["owner"]
        if len(self.part_owner) >= self.max_posts:
            raise self._error(
                "too many Delmengde elements", "too_many_posts",
                expected=f"at most {self.max_posts}", cls=UnsafeWorkbookError,
            )  # fmt: skip
        self.part_index.append(self.part_count.get(owner, 0))
        self.part_count[owner] = self.part_index[-1] + 1
        self.part_owner.append(owner)
        self.part_qty.append(part.get("part_qty"))
        self.part_id.append(part.get("part_id") or None)
        self.part_name.append(part.get("part_name") or None)


class _TreeTarget:
    """Parser-target adapter, used only if the expat parser cannot be reached directly."""

    def __init__(self, collector: _Collector):
        self.collector = collector
        self.data = collector.data

    def start(self, tag, attrib):
        self.collector.start(tag[1:] if tag[:1] == "{" else tag, attrib)

    def end(self, tag):
        self.collector.end(tag)

    def close(self):
        self.collector.close()


# ------------------------------------------------------------------- reading


def _parser(collector: _Collector) -> DefusedXMLParser:
    """A defusedxml parser (DTD, entities, external references refused) feeding ``collector``."""
    parser = DefusedXMLParser(
        target=_TreeTarget(collector), forbid_dtd=True, forbid_entities=True,
        forbid_external=True,
    )  # fmt: skip
    # Bind the handlers straight to expat: skips a Python layer per element
    # (about 1/3 of the time); defusedxml's DTD and entity guards stay in place.
    raw = getattr(parser, "parser", None) if _DIRECT_HANDLERS else None
    if raw is not None:
        raw.StartElementHandler = collector.start
        raw.EndElementHandler = collector.end
    return parser


def _skeleton(data: bytes, name: str, limits: Ns3459Limits) -> _Collector | None:
    """The full parser over ``data`` (the file minus its posts); None if it fails in any way."""
    collector = _Collector(name, limits)
    try:
        parser = _parser(collector)
        parser.feed(data)
        parser.close()
    except Exception:  # noqa: BLE001 (any failure: the whole file goes the full way)
        return None
    return collector


def parse_ns3459(path: Path, limits: Ns3459Limits, progress=None) -> tuple[_Collector, str]:
    """Read the file, then parse it: the fast path if it can, else the full parser.

    The posts of a file in the shape ISY programs write are read by
    :func:`klimafotavtrykk.quantities._ns3459_fast.read_posts` (patterns and
    checks at C speed prove the posts well-formed and read them); any other file is streamed
    through defusedxml into a collector, as are the header and what is outside
    the posts. Both give the same collector; every failure is mapped to ours.
    The file's bytes are held in memory while it is read (at most ``max_bytes``).

    ``progress``, when given, is called as ``progress(done, size)`` after each
    piece of the file is parsed: bytes parsed so far and the file's size. [byte]
    """
    name = path.name
    try:
        handle = open(path, "rb")  # closed by the with-block below
    except FileNotFoundError:
        raise InputError("file not found", file=name, code="file_not_found") from None
    except OSError as exc:
        raise InputError(
            f"cannot read the file ({exc.strerror or type(exc).__name__})",
            file=name, code="unreadable_file",
        ) from None  # fmt: skip
    too_large = UnsafeWorkbookError(
        "file too large to read safely", file=name,
        expected=f"at most {limits.max_bytes} bytes", code="file_too_large",
    )  # fmt: skip
    chunks: list[bytes] = []
    stop = None  # raised after the pieces read so far are parsed, as when streaming
    size = 0
    with handle:
        try:
            size = os.fstat(handle.fileno()).st_size
            if size > limits.max_bytes:
                raise too_large
            # the file in one piece as its size says (no copy to join pieces), then in pieces
            # whatever was added since; fed to the full parser in pieces all the same
            try:
                whole = handle.read(size) if size else b""
            except OSError:  # read it again in pieces: those before the failing one are kept
                handle.seek(0)
                whole = b""
            chunks += [whole] if whole else []
            total = len(whole)
            while chunk := handle.read(_CHUNK):
                total += len(chunk)
                if total > limits.max_bytes:
                    stop = too_large
                    break
                chunks.append(chunk)
        except KlimafotavtrykkError:
            raise
        except OSError as exc:
            stop = InputError(
                f"cannot read the file ({exc.strerror or type(exc).__name__})",
                file=name, code="unreadable_file",
            )  # fmt: skip
    ends = _piece_ends(list(map(len, chunks)))  # where each piece read ends
    data = chunks[0] if len(chunks) == 1 else b"".join(chunks)
    chunks.clear()  # the file is held once
    digest = _Digest(data)  # hashed beside the parse: hashlib lets go of the GIL
    got = None
    try:
        with collector_paused():
            if stop is None and data:
                got = read_posts(data, limits, lambda skeleton: _skeleton(skeleton, name, limits))
            if got is None:
                got = _parse_full(data, ends, name, limits, stop, size, progress)
            elif progress is not None:
                for done in ends:
                    progress(done, max(size, done))
    finally:
        hexdigest = digest.result()
    return got, hexdigest


def _piece_ends(lengths: list[int]) -> list[int]:
    """Where each piece of the file ends when read ``_CHUNK`` bytes at a time.

    ``lengths`` are the reads made [byte]; the first, which may be the whole
    file, is counted as the ``_CHUNK``-sized reads it stands for (as the file
    was once read), so that the full parser is fed and reports progress as
    before. Returns the end offsets [byte].
    """
    if not lengths:
        return []
    first = list(range(_CHUNK, lengths[0], _CHUNK)) + [lengths[0]]
    return first + [lengths[0] + end for end in itertools.accumulate(lengths[1:])]


#: From this size [byte] a file's SHA-256 is computed on a thread while it is parsed; below
#: it, starting the thread costs more than it saves.
_THREADED_HASH_BYTES = 1 << 20


class _Digest:
    """SHA-256 of ``data``, on a thread beside the caller's work when ``data`` is large."""

    def __init__(self, data: bytes):
        self._hex: str | None = None
        self._thread = None
        if len(data) < _THREADED_HASH_BYTES:
            self._hex = hashlib.sha256(data).hexdigest()
            return
        self._thread = threading.Thread(target=self._hash, args=(data,), daemon=True)
        self._thread.start()

    def _hash(self, data: bytes) -> None:
        self._hex = hashlib.sha256(data).hexdigest()

    def result(self) -> str:
        """The hex digest, once the thread is done."""
        if self._thread is not None:
            self._thread.join()
            self._thread = None
        return self._hex


def _parse_full(data, ends, name, limits, stop, size, progress) -> _Collector:
    """Feed the file through defusedxml piece by piece as read (``data[:ends[0]]`` ...).

    ``stop``, if given, is raised after the pieces, as when the file was
    streamed: a read that failed or went past ``max_bytes``.
    """
    collector = _Collector(name, limits)
    at_end = False
    try:
        parser = _parser(collector)
        total = 0
        for end in ends:
            parser.feed(data[total:end])
            total = end
            if progress is not None:
                progress(total, max(size, total))
        if stop is not None:
            raise stop
        if total == 0:
            raise InputError("the file is empty", file=name, code="empty_file")
        at_end = True
        parser.close()
    except KlimafotavtrykkError:
        raise
    except DefusedXmlException as exc:
        raise UnsafeWorkbookError(
            f"XML declares a DOCTYPE, entities or external references ({type(exc).__name__});"
            " NS 3459 files need none, and they can expand to gigabytes: refused",
            file=name, expected="XML without DOCTYPE", found=type(exc).__name__,
            code="xml_entities",
        ) from None  # fmt: skip
    except ParseError as exc:
        raise _parse_error(exc, name, at_end, collector.root_started) from None
    except (ValueError, LookupError, UnicodeError, OverflowError) as exc:
        raise InputError(
            "the file is not well-formed XML", file=name,
            expected="well-formed NS 3459 XML", found=f"{type(exc).__name__}: {exc}"[:200],
            code="malformed_xml",
        ) from None  # fmt: skip
    return collector


def _parse_error(exc: ParseError, name: str, at_end: bool, root_started: bool) -> InputError:
    line, column = getattr(exc, "position", (0, 0))
    found = f"{str(exc).split(':')[0]} at line {line}, column {column}"
    if at_end and root_started:
        problem, code = "the file ends before the XML is complete (truncated?)", "truncated"
    elif not root_started:
        problem, code = "the file is not XML", "not_xml"
    else:
        problem, code = "the file is not well-formed XML", "malformed_xml"
    return InputError(
        problem, file=name, expected="well-formed NS 3459 XML", found=found, code=code
    )
