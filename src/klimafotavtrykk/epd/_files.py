"""Open an EPD file as untrusted input: size caps, zip checks, XML without DTDs, JSON.

A zip (an ILCD+EPD export with its flows, flow properties and unit groups)
passes the same archive checks as a workbook
(:func:`klimafotavtrykk.quantities.safety.check_archive`: member count,
declared and actual inflated size, ratio, names, and no ``<!DOCTYPE`` or
``<!ENTITY`` in any member). XML is parsed with :mod:`defusedxml`, DTDs and
entities refused; JSON with the standard library, its size capped first.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, fields
from pathlib import Path
from xml.etree.ElementTree import Element, ParseError

from klimafotavtrykk.errors import InputError
from klimafotavtrykk.quantities.safety import ReadLimits, check_archive, sniff

__all__ = ["EpdLimits", "Source", "open_source", "parse_xml", "parse_json", "local"]

_PROCESS = re.compile(r"(?:^|/)processes/[^/]+\.xml$", re.IGNORECASE)


@dataclass(frozen=True)
class EpdLimits:
    """Caps on one EPD file.

    Parameters
    ----------
    max_document_bytes : int
        Largest XML or JSON document read, alone or inside a zip. Real EPD
        documents are 50-200 kB (the ILCD+EPD and soda4LCA files read for
        docs/design/epd_formats.md); 20 MB leaves a wide margin and keeps
        parsing under a second. [byte]
    archive : ReadLimits
        Caps of a zip export, as for workbooks.
    """

    max_document_bytes: int = 20_000_000
    archive: ReadLimits = ReadLimits()

    def __post_init__(self):
        for f in fields(self):
            value = getattr(self, f.name)
            if f.name == "max_document_bytes" and (
                    isinstance(value, bool) or not isinstance(value, int) or value <= 0):
                raise InputError(f"limit {f.name} must be a positive integer",
                                 expected="positive integer", found=repr(value), code="bad_limits")


@dataclass(frozen=True)
class Source:
    """An EPD file checked and ready to parse.

    Attributes
    ----------
    file : str
        File name, for messages.
    sha256 : str
        Hash of the file's bytes.
    kind : str
        ``xml``, ``json`` or ``zip``.
    document : bytes
        The XML or JSON document (for a zip: its one process dataset).
    member : str
        For a zip, the process dataset's member name; else empty.
    read_member : callable or None
        For a zip, ``read_member(name)`` returns a member's bytes (checked).
    members : tuple of str
        For a zip, all member names.
    """

    file: str
    sha256: str
    kind: str
    document: bytes
    member: str = ""
    read_member: Callable[[str], bytes] | None = None
    members: tuple[str, ...] = ()


def open_source(path, limits: EpdLimits | None = None) -> Source:
    """Read and check an EPD file's bytes.

    Parameters
    ----------
    path : str or path-like
    limits : EpdLimits, optional

    Returns
    -------
    Source

    Raises
    ------
    InputError
        ``empty_file``, ``file_too_large``, ``epd_format`` (not XML, JSON or
        zip; a zip without exactly one process dataset), and the archive
        codes of :func:`~klimafotavtrykk.quantities.safety.check_archive`.
    FileNotFoundError
        When the file does not exist.
    """
    limits = limits or EpdLimits()
    path = Path(path)
    name = path.name
    size = path.stat().st_size
    cap = max(limits.archive.max_file_bytes, limits.max_document_bytes)
    if size > cap:
        raise InputError("the file is too large to open safely", file=name,
                         expected=f"at most {cap} bytes", found=f"{size} bytes",
                         code="file_too_large")
    data = path.read_bytes()
    if not data:
        raise InputError("the file is empty", file=name, found="0 bytes", code="empty_file")
    digest = hashlib.sha256(data).hexdigest()
    kind = sniff(data[:8])
    if kind == "zip":
        archive = check_archive(data, name, limits.archive, workbook=False)
        processes = [m for m in archive.names if _PROCESS.search(m.replace("\\", "/"))]
        if len(processes) != 1:
            raise InputError(
                f"the zip holds {len(processes)} ILCD process datasets; one EPD per file is read",
                file=name, expected="one processes/*.xml", found=f"{len(processes)}",
                code="epd_format")
        document = archive.read(processes[0])
        _check_size(document, name, limits)
        return Source(name, digest, "zip", document, processes[0], archive.read, archive.names)
    _check_size(data, name, limits)
    head = data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    if head == b"<":
        return Source(name, digest, "xml", data)
    if head in (b"{", b"["):
        return Source(name, digest, "json", data)
    raise InputError("not an EPD file: expected ILCD+EPD XML, a zip of it, or JSON "
                     "(soda4LCA, ISO 22057, openEPD)", file=name,
                     expected="XML, zip or JSON", found=data[:8].hex(" "), code="epd_format")


def _check_size(document: bytes, name: str, limits: EpdLimits) -> None:
    if len(document) > limits.max_document_bytes:
        raise InputError("the EPD document is too large to read safely", file=name,
                         expected=f"at most {limits.max_document_bytes} bytes",
                         found=f"{len(document)} bytes", code="file_too_large")


def parse_xml(document: bytes, file: str) -> Element:
    """Parse XML with DTDs, entities and external references refused.

    Raises
    ------
    UnsafeWorkbookError
        Code ``xml_entities``: the document declares a DOCTYPE or entities.
    InputError
        Code ``epd_unreadable``: not well-formed XML.
    """
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import fromstring

    from klimafotavtrykk.errors import UnsafeWorkbookError

    try:
        return fromstring(document, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException:
        raise UnsafeWorkbookError(
            "the XML declares a DOCTYPE or entities; such files are not read (entity expansion)",
            file=file, expected="XML without DOCTYPE", found="<!DOCTYPE or <!ENTITY",
            code="xml_entities") from None
    except ParseError as exc:
        raise InputError(f"not well-formed XML ({exc})", file=file, code="epd_unreadable",
                         found=str(exc)) from None


def parse_json(document: bytes, file: str):
    """Parse JSON (UTF-8, a BOM allowed).

    Raises
    ------
    InputError
        Code ``epd_unreadable``: not valid JSON, or nested too deeply.
    """
    try:
        return json.loads(document.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise InputError(f"not valid JSON ({type(exc).__name__})", file=file,
                         code="epd_unreadable", found=type(exc).__name__) from None


def local(tag: str) -> str:
    """An element or attribute name without its namespace: ``{ns}amount`` -> ``amount``."""
    return tag.rsplit("}", 1)[-1]
