"""What the value parser does not tell: formulas, hidden rows and columns, the sheet-to-part map.

The values come from calamine; this module reads the few things it does not
expose straight from a worksheet's XML, which :mod:`.safety` has already
checked (no DOCTYPE, size and extent within the caps). It runs only on the
sheet being read and only when the safety scan saw formulas or hidden marks,
and it looks only at those elements, found by literal search, never at every
cell.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from xml.sax.saxutils import unescape

from klimafotavtrykk.errors import InputError
from klimafotavtrykk.provenance import column_index

__all__ = ["Formula", "formulas", "hidden_rows_and_columns", "sheet_parts"]

_ATTR = re.compile(rb"""([\w.:\-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_F = re.compile(rb"<f\b([^>]*?)(/?)>")
_F_PREFIXED = re.compile(rb"<(?:[A-Za-z_][\w.\-]*:)?f(?=[\s/>])([^>]*?)(/?)>")
_F_END = re.compile(rb"</(?:[A-Za-z_][\w.\-]*:)?f>")
_CELL_START = re.compile(rb"<(?:[A-Za-z_][\w.\-]*:)?c(?=[\s/>])([^>]*)>")
_VALUE = re.compile(rb"\s*<(?:[A-Za-z_][\w.\-]*:)?v(?:\s[^>]*)?(/?)>([^<]*)")
_HIDDEN = re.compile(rb"""hidden\s*=\s*["'](?:1|true)["']""")
_REF = re.compile(r"([A-Za-z]{1,3})([0-9]{1,7})")
_EXTERNAL = re.compile(r"\[\d+\]")


@dataclass(frozen=True)
class Formula:
    """One formula cell.

    Attributes
    ----------
    row : int or None
        1-based row; None when the cell carries no reference.
    col : int or None
        0-based column.
    text : str
        Formula text as Excel shows it, with a leading ``=``; for a shared
        formula's dependent cell, its group's formula and where it is.
    has_value : bool
        A cached value is stored.
    cell_type : str
        The cell's ``t`` attribute (``"n"`` when absent): ``str`` text result,
        ``b`` boolean, ``e`` error.
    value : str
        The cached value as written (``#DIV/0!`` for an error).
    external : bool
        The formula refers to another workbook (``[1]Sheet!A1``).
    """

    row: int | None
    col: int | None
    text: str
    has_value: bool
    cell_type: str
    value: str
    external: bool


def _attrs(raw: bytes) -> dict[str, str]:
    out = {}
    for m in _ATTR.finditer(raw):
        value = m.group(2) if m.group(2) is not None else m.group(3)
        out[m.group(1).decode("utf-8", "replace")] = unescape(
            value.decode("utf-8", "replace"), {"&quot;": '"', "&apos;": "'"})
    return out


def formulas(xml: bytes, prefixed: bool = False) -> list[Formula]:
    """Every formula in a worksheet part, in document order.

    Parameters
    ----------
    xml : bytes
        The worksheet part.
    prefixed : bool
        The part uses namespace prefixes on element names (slower search).

    Returns
    -------
    list of Formula
    """
    pattern = _F_PREFIXED if prefixed else _F
    shared: dict[str, tuple[str, str]] = {}
    out: list[Formula] = []
    pos = 0
    while True:
        m = pattern.search(xml, pos)
        if m is None:
            break
        f_attrs = _attrs(m.group(1))
        if m.group(2):  # <f .../>
            text, end = "", m.end()
        else:
            close = _F_END.search(xml, m.end())
            end = close.end() if close else m.end()
            body = xml[m.end():close.start()] if close else b""
            text = unescape(body.decode("utf-8", "replace"), {"&quot;": '"', "&apos;": "'"})
        pos = end
        start = xml.rfind(b"<", 0, m.start())
        cell = _CELL_START.match(xml, start) if start >= 0 else None
        for _ in range(4):  # <f> is normally the first child of <c>; allow a few before it
            if cell is not None or start <= 0:
                break
            start = xml.rfind(b"<", 0, start)
            cell = _CELL_START.match(xml, start)
        c_attrs = _attrs(cell.group(1)) if cell else {}
        ref = _REF.fullmatch(c_attrs.get("r", ""))
        row = int(ref.group(2)) if ref else None
        col = column_index(ref.group(1)) if ref else None
        value_match = _VALUE.match(xml, end)
        cell_type = c_attrs.get("t", "n")
        raw_value = value_match.group(2).decode("utf-8", "replace") if value_match else ""
        if value_match and value_match.group(1):  # <v/>
            has_value = cell_type == "str"
        elif value_match:
            has_value = cell_type == "str" or raw_value.strip() != ""
        else:
            has_value = False
        si = f_attrs.get("si")
        if f_attrs.get("t") == "shared" and si is not None:
            if text:
                shared[si] = (text, ref.group(0) if ref else "?")
            elif si in shared:
                master_text, master_ref = shared[si]
                text = f"{master_text} (shared formula from {master_ref})"
        out.append(Formula(row, col, "=" + text if text else "=?", has_value, cell_type,
                           unescape(raw_value), bool(_EXTERNAL.search(text))))
    return out


def hidden_rows_and_columns(xml: bytes) -> tuple[set[int], list[tuple[int, int]], bool]:
    """Rows and columns a worksheet part marks hidden.

    Returns
    -------
    rows : set of int
        1-based hidden rows (rows without ``r`` cannot be located and are left out).
    cols : list of (int, int)
        0-based inclusive column ranges of hidden ``<col>`` elements.
    zero_height : bool
        ``sheetFormatPr zeroHeight``: rows are hidden unless marked otherwise.
    """
    rows: set[int] = set()
    cols: list[tuple[int, int]] = []
    for m in _HIDDEN.finditer(xml):
        start = xml.rfind(b"<", 0, m.start())
        tag = re.match(rb"<(?:[A-Za-z_][\w.\-]*:)?(\w+)", xml[start:start + 64])
        if tag is None:
            continue
        end = xml.find(b">", m.end())
        attrs = _attrs(xml[start:end])
        name = tag.group(1)
        try:
            if name == b"row" and "r" in attrs:
                rows.add(int(attrs["r"]))
            elif name == b"col":
                lo, hi = int(attrs.get("min", "0")), int(attrs.get("max", "0"))
                if 1 <= lo <= hi:
                    cols.append((lo - 1, hi - 1))
        except ValueError:
            continue
    head = xml[:65_536]
    zero = re.search(rb"""<(?:[A-Za-z_][\w.\-]*:)?sheetFormatPr\b[^>]*zeroHeight\s*=\s*["'](?:1|true)""",
                     head)
    return rows, cols, zero is not None


def sheet_parts(workbook_xml: bytes, rels_xml: bytes | None, file: str | None = None
                ) -> dict[str, str]:
    """Sheet name -> archive member of its part, from ``xl/workbook.xml`` and its rels.

    Raises
    ------
    InputError
        Code ``malformed_xml`` when either part does not parse.
    """
    from defusedxml import ElementTree

    try:
        workbook = ElementTree.fromstring(workbook_xml)
        rels = ElementTree.fromstring(rels_xml) if rels_xml else None
    except Exception:  # ParseError and defusedxml's refusals alike
        raise InputError("xl/workbook.xml or its relationships cannot be parsed", file=file,
                         expected="well-formed XML", found="malformed XML",
                         code="malformed_xml") from None
    targets: dict[str, str] = {}
    if rels is not None:
        for rel in rels.iter():
            if rel.tag.rsplit("}", 1)[-1] == "Relationship" and rel.get("Id"):
                targets[rel.get("Id")] = rel.get("Target", "")
    out: dict[str, str] = {}
    for node in workbook.iter():
        if node.tag.rsplit("}", 1)[-1] != "sheet":
            continue
        rid = next((v for k, v in node.attrib.items() if k.rsplit("}", 1)[-1] == "id"
                    and k.startswith("{")), None)
        target = targets.get(rid or "", "")
        if not target:
            continue
        path = target.lstrip("/") if target.startswith("/") else posixpath.join("xl", target)
        out[node.get("name", "")] = posixpath.normpath(path)
    return out
