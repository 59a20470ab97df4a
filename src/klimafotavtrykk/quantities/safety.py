r"""Checks a workbook passes before any parser sees it.

Bidders' and consultants' files are untrusted. An .xlsx is a zip archive of
XML parts; the hostile ones are zip bombs (declared or actual), parts whose
names climb out of the archive, XML with entity declarations (billion laughs,
quadratic blow-up, external entities) and worksheets whose two cells sit at
``A1`` and ``XFD1048576``: the calamine parser allocates the whole rectangle
between them (5.5e11 bytes) and the process aborts — a two-cell file, no
bomb needed. So, on the bytes in memory, in this order:

1. the file is a zip (OLE2 files are old ``.xls`` or password-protected
   workbooks: refused with advice to save as .xlsx), its central directory
   lists at most :attr:`ReadLimits.max_members` members, none encrypted,
   none compressed other than stored or deflated, none named with ``..``, a
   leading ``/`` or a drive letter, none twice, and no two whose names differ
   only in case or in ``/`` against ``\`` (calamine finds a part by a lenient
   match and reads the last one, so ``XL/worksheets/sheet1.xml`` would
   replace the sheet the scan checked);
2. the declared sizes are within :attr:`ReadLimits.max_inflated_bytes` and
   each member's ratio within :attr:`ReadLimits.max_ratio`;
3. every member is inflated **streaming**, its actual size counted as it
   comes and the inflation stopped at the cap (never beyond what the member
   declares), and every part is scanned: any ``<!DOCTYPE`` or ``<!ENTITY``
   (any case) refuses the file; XML in UTF-16/32 is refused (the byte scan
   would not see a declaration in it); shared strings are counted;
4. in every worksheet part the extent of the cell references is bounded: a
   fast scan proves that every cell lies inside the rectangle of the cells
   seen so far, and anything unusual (a cell without ``r``, attributes in an
   unusual order, a namespace prefix, a duplicate ``r``) switches to an exact
   pass that follows the parser's own rules. ``rows x columns`` must stay
   within :attr:`ReadLimits.max_cells`.

The scan also notes, per worksheet, whether it holds formulas and hidden rows
or columns, so that the reader looks for them only where they are.

Each member is inflated once. The rare markers (``<!``, a namespace prefix on a
cell, ``</f>``, ``hidden=``, ...) are looked for with memchr on one of their
bytes that is rare in workbook XML, and checked where it occurs; only the cell
extent looks at every cell tag.

Formulas are never evaluated and external links never followed: the reader
uses the values Excel cached.
"""

from __future__ import annotations

import functools
import io
import re
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, fields

from klimafotavtrykk.errors import InputError, UnsafeWorkbookError
from klimafotavtrykk.provenance import MAX_COLUMNS, MAX_ROWS, column_index, column_letter

__all__ = [
    "ReadLimits",
    "MemberScan",
    "Archive",
    "sniff",
    "refuse_ole2",
    "check_archive",
    "worksheet_extent",
]

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
_LOCAL_HEADER = b"PK\x03\x04"
_EOCD = b"PK\x05\x06"
_CENTRAL = b"PK\x01\x02"
# "EncryptedPackage" in UTF-16LE: the stream an encrypted OOXML file keeps in its OLE2 container.
_ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")

# Small pieces inflate faster than large ones (fewer large buffer allocations).
_IN_CHUNK = 64 << 10  # compressed bytes fed to zlib at a time
_OUT_CHUNK = 256 << 10  # most inflated bytes produced per call
_PART_BYTES = 2 << 20  # inflated bytes scanned at a time

_DTD = re.compile(rb"<!(?i:doctype|entity)")
_PREFIXED_CELL = re.compile(rb":c[\s/>]")
_LAST_CELL = re.compile(rb'<c r="([A-Z]{1,3})([1-9][0-9]{0,6})"')
# A cell start tag as Excel, LibreOffice and openpyxl write it: r first, then known attributes.
_NORMAL_TAG = re.compile(
    rb'<c r="([A-Z]{1,3})([1-9][0-9]{0,6})"(?: (?:s|t|cm|vm|ph)="[^"<>]*")*/?>'
)
_MAX_WIDENINGS = 64
# Rare markers are found with memchr on one of their bytes that is rare in workbook XML; after
# this many hits of that byte the rest of the range is checked at once (numpy), not hit by hit.
_FEW_HITS = 64
_CELL_END = b" \t\n\r\x0b\x0c/>"  # what may follow "<c" in a cell start tag (regex [\s/>])
# A worksheet's ranges kept for the exact pass when the fast extent gives up part-way, so that
# the part is inflated once; a longer part is inflated again instead.
_KEEP_BYTES = 8 << 20


@dataclass(frozen=True)
class ReadLimits:
    """Caps that keep a hostile or broken workbook from exhausting time or memory.

    Defaults admit any real bill of quantities (a 100 000-line workbook is
    about 4 MB on disk, 31 MB inflated and 600 000 cells) with a wide margin,
    and keep any input under 30 s and 1 GB of memory (a sheet of 2 000 000
    cells reads in about 3 s at about 700 MB). Make variants with
    :func:`dataclasses.replace`.

    Parameters
    ----------
    max_file_bytes : int
        Largest file read. [byte]
    max_inflated_bytes : int
        Largest total inflated size of all members, declared and actual. [byte]
    max_ratio : float
        Largest inflated/compressed ratio of a member larger than
        ``ratio_floor_bytes``. [-]
    ratio_floor_bytes : int
        Members that inflate to less than this are not ratio-checked (small
        repetitive XML compresses very well). [byte]
    max_members : int
        Most members in the archive. [-]
    max_cells : int
        Largest worksheet extent read, rows x columns from ``A1`` to the last
        cell (the parser allocates that whole rectangle). [-]
    max_total_cells : int
        Largest sum of the extents of all worksheets (the reader may open
        each visible sheet to find the header). [-]
    max_shared_strings : int
        Most entries in the shared-string table. [-]
    max_cell_chars : int
        Longest text read in one cell: Excel's own limit (32 767 characters,
        "Excel specifications and limits"), so longer text was not written
        by Excel and is refused at its cell. [character]
    """

    max_file_bytes: int = 100_000_000
    max_inflated_bytes: int = 200_000_000
    max_ratio: float = 200.0
    ratio_floor_bytes: int = 1_048_576
    max_members: int = 10_000
    max_cells: int = 2_000_000
    max_total_cells: int = 4_000_000
    max_shared_strings: int = 2_000_000
    max_cell_chars: int = 32_767

    def __post_init__(self):
        for f in fields(self):
            value = getattr(self, f.name)
            numeric = isinstance(value, (int, float)) and not isinstance(value, bool)
            if not numeric or value <= 0 or value != value:
                raise InputError(
                    f"limit {f.name} must be a positive number",
                    expected="positive number",
                    found=repr(value),
                    code="bad_limits",
                )


@dataclass(frozen=True)
class MemberScan:
    """What the scan found in one archive member.

    Attributes
    ----------
    name : str
        Member path in the archive.
    compressed, inflated : int
        Compressed and actual inflated size. [byte]
    worksheet : bool
        The part holds ``sheetData`` (cells).
    rows, cols : int
        Upper bound of the last row (1-based) and last column (1-based) of
        its cells; 0 when it has none.
    formulas : bool
        The part holds formula elements.
    hidden : bool
        The part marks rows or columns hidden.
    exact : bool
        The extent came from the exact pass (unusual markup).
    long_text : bool
        The part holds a stretch of more than ``max_cell_chars`` bytes
        without markup: a cell's text may be longer than the cell limit
        (UTF-8 needs at least a byte per character, so shorter stretches
        cannot hold such a text).
    """

    name: str
    compressed: int
    inflated: int
    worksheet: bool = False
    rows: int = 0
    cols: int = 0
    formulas: bool = False
    hidden: bool = False
    exact: bool = False
    long_text: bool = False

    @property
    def cells(self) -> int:
        """Extent rows x columns the parser will allocate [-]."""
        return self.rows * self.cols


class Archive:
    """A checked workbook archive: its bytes, members and per-member scan results.

    Build it with :func:`check_archive`; :meth:`read` inflates a member again
    under the same caps.
    """

    def __init__(self, data: bytes, file: str | None, limits: ReadLimits, infos: dict,
                 scans: dict[str, MemberScan]):
        self.data = data
        self.file = file
        self.limits = limits
        self._infos = infos
        self.members: dict[str, MemberScan] = scans

    @property
    def names(self) -> tuple[str, ...]:
        """Member names in archive order."""
        return tuple(self.members)

    def read(self, name: str) -> bytes:
        """Inflate one member (already checked) and return its bytes.

        Raises
        ------
        InputError
            When the archive has no such member (code ``not_xlsx``).
        """
        info = self._infos.get(name)
        if info is None:
            raise InputError(f"the workbook has no part {name!r}", file=self.file,
                             code="not_xlsx")
        budget = min(self.limits.max_inflated_bytes, info.file_size)
        return b"".join(_inflate(self.data, info, budget, self.file, self.limits))


# ------------------------------------------------------------------ sniffing
def sniff(head: bytes) -> str:
    """Kind of file from its first bytes.

    Parameters
    ----------
    head : bytes
        The first bytes of the file (8 or more).

    Returns
    -------
    str
        ``"empty"``, ``"zip"``, ``"ole2"`` (old .xls or an encrypted
        workbook), ``"xml"`` or ``"unknown"``.
    """
    if not head:
        return "empty"
    if head.startswith(_ZIP_MAGICS):
        return "zip"
    if head.startswith(OLE2_MAGIC):
        return "ole2"
    text = head
    for bom in (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff"):
        if text.startswith(bom):
            return "xml"
    if text.lstrip(b" \t\r\n").startswith(b"<"):
        return "xml"
    return "unknown"


def refuse_ole2(data: bytes, file: str | None) -> UnsafeWorkbookError:
    """The error for an OLE2 file: password-protected workbook or old .xls."""
    if _ENCRYPTED_PACKAGE in data:
        return UnsafeWorkbookError(
            "the workbook is password-protected; save a copy without a password as .xlsx",
            file=file, expected="an .xlsx workbook without password",
            found="encrypted workbook", code="encrypted")
    return UnsafeWorkbookError(
        "old Excel format (.xls, OLE2) is not read; save the file as .xlsx",
        file=file, expected="an .xlsx workbook", found="legacy .xls (OLE2)", code="legacy_xls")


# ---------------------------------------------------------------- inflation
def _data_offset(data: bytes, info, file: str | None) -> int:
    """Offset of a member's compressed bytes, from its local file header."""
    start = info.header_offset
    header = data[start:start + 30]
    if len(header) < 30 or not header.startswith(_LOCAL_HEADER):
        raise InputError(f"damaged zip archive: bad local header of {info.filename!r}",
                         file=file, code="unreadable_file")
    name_len = int.from_bytes(header[26:28], "little")
    extra_len = int.from_bytes(header[28:30], "little")
    offset = start + 30 + name_len + extra_len
    if offset + info.compress_size > len(data):
        raise InputError(f"truncated file: member {info.filename!r} runs past the end",
                         file=file, code="unreadable_file")
    return offset


def _too_large(file, problem, found) -> UnsafeWorkbookError:
    return UnsafeWorkbookError(problem, file=file, expected="a workbook within the size caps",
                               found=found, code="archive_too_large")


def _inflate(data: bytes, info, budget: int, file: str | None,
             limits: ReadLimits) -> Iterator[bytes]:
    """Inflate one member in pieces, never producing more than ``budget`` bytes.

    Stops as soon as the output passes the budget (the member's declared
    size or the remaining total), or the ratio cap.
    """
    start = _data_offset(data, info, file)
    end = start + info.compress_size
    view = memoryview(data)
    produced = 0
    ratio_cap = max(limits.ratio_floor_bytes, limits.max_ratio * max(info.compress_size, 1))
    if info.compress_type == 0:  # stored
        if info.compress_size != info.file_size:
            raise UnsafeWorkbookError(
                f"stored member {info.filename!r} declares {info.file_size} bytes but holds "
                f"{info.compress_size}", file=file, expected=f"{info.file_size} bytes",
                found=f"{info.compress_size} bytes", code="unsafe_member")
        if info.compress_size > budget:
            raise _too_large(file, f"member {info.filename!r} is larger than the cap",
                             f"{info.compress_size} bytes")
        for pos in range(start, end, _OUT_CHUNK):
            yield bytes(view[pos:min(end, pos + _OUT_CHUNK)])
        return
    inflater = zlib.decompressobj(-15)
    pos = start
    pending = b""
    try:
        while not inflater.eof:
            if not pending:
                if pos >= end:
                    break
                pending = view[pos:min(end, pos + _IN_CHUNK)]
                pos += len(pending)
            out = inflater.decompress(pending, _OUT_CHUNK)
            pending = inflater.unconsumed_tail
            produced += len(out)
            if produced > budget:
                raise _too_large(
                    file, f"member {info.filename!r} inflates to more than it declares or the "
                          "cap allows", f"more than {budget} bytes")
            if produced > ratio_cap:
                raise _too_large(
                    file, f"member {info.filename!r} inflates more than {limits.max_ratio:g} "
                          "times its compressed size", f"more than {int(ratio_cap)} bytes")
            if out:
                yield out
    except zlib.error:
        raise InputError(f"damaged zip archive: member {info.filename!r} does not inflate",
                         file=file, code="unreadable_file") from None
    if not inflater.eof:
        raise InputError(f"truncated file: member {info.filename!r} ends early",
                         file=file, code="unreadable_file")
    if produced != info.file_size:
        raise UnsafeWorkbookError(
            f"member {info.filename!r} inflates to {produced} bytes but declares "
            f"{info.file_size}", file=file, expected=f"{info.file_size} bytes",
            found=f"{produced} bytes", code="unsafe_member")


# ------------------------------------------------------- worksheet extents
def _le_digits(limit: int) -> bytes:
    """Regex for the integers 1..limit written without leading zeros."""
    text = str(limit)
    n = len(text)
    options = []
    if n > 1:
        options.append(b"[1-9][0-9]{0,%d}" % (n - 2))
    for i, char in enumerate(text):
        digit = int(char)
        low = 1 if i == 0 else 0
        if digit > low:
            rest = n - i - 1
            tail = b"[0-9]{%d}" % rest if rest else b""
            options.append(text[:i].encode() + b"[%d-%d]" % (low, digit - 1) + tail)
    options.append(text.encode())
    # Longest spellings first: most rows of a large sheet have as many digits as its last one,
    # and a shorter option tried first fails on each of them after backtracking (a 5 000-line
    # sheet's extent scan 9.3 -> 6.7 ms). The order does not change what the pattern matches.
    return b"(?:" + b"|".join(reversed(options)) + b")"


def _le_letters(limit: int) -> bytes:
    """Regex for the column letters of columns 1..limit (1-based)."""
    text = column_letter(limit - 1)
    n = len(text)
    options = []
    if n > 1:
        options.append(b"[A-Z]{1,%d}" % (n - 1))
    for i, char in enumerate(text):
        if char > "A":
            rest = n - i - 1
            tail = b"[A-Z]{%d}" % rest if rest else b""
            options.append(text[:i].encode() + b"[A-" + chr(ord(char) - 1).encode() + b"]"
                           + tail)
    options.append(text.encode())
    return b"(?:" + b"|".join(options) + b")"


@functools.lru_cache(maxsize=256)
def _outside(cols: int, rows: int, styled: bool = False) -> re.Pattern:
    """Regex matching any cell start tag that is *not* a normal tag inside cols x rows.

    A normal tag has ``r`` first and then only ``s``, ``t``, ``cm``, ``vm``,
    ``ph``: a second ``r`` (the parser keeps the last) or any other spelling
    is matched and sent to the exact pass. ``styled`` tries a styled cell's
    attributes first (:data:`_STYLED_TAILS`): the same tags match, sooner where
    most cells carry a style.
    """
    tails = _STYLED_TAILS if styled else _COMMON_TAILS
    inside = b' r="' + _le_letters(cols) + _le_digits(rows) + b'"' + tails
    return re.compile(b"<c(?!" + inside + b")[\\s/>]")


# The attributes after r in a normal tag: any one- or two-letter name but r, a quoted value.
_TAIL = b'(?: [a-qs-z][a-z]?="[^"<>]*+")*+/?>'
# The tails Excel, openpyxl and the bid template write most, tried first as near-literals
# (about a quarter faster than _TAIL alone; openpyxl's numbers, t="n", a tenth more on a
# bid's sheet); each is a case of _TAIL, which stays last, so the tags accepted are the same.
_COMMON_TAILS = (b'(?:>| t="s">| s="[0-9]{1,4}"(?:>| t="s">| t="inlineStr">| t="n">|/>)|/>|'
                 + _TAIL + b")")
# The same options, a styled cell's first: in a sheet whose cells carry a style (a bid
# template's, 32 000 tags of a 5 000-line bid: 4.4 -> 3.8 ms) each option tried before it
# fails on every tag; in one without styles (the 100 000-line benchmark sheet) trying it
# first costs as much the other way (43 -> 47 ms). Which one a sheet gets is decided by its
# last cell (:class:`_SheetExtent`); the order of the options does not change what they match.
_STYLED_TAILS = (b'(?: s="[0-9]{1,4}"(?: t="inlineStr">|>| t="s">| t="n">|/>)|>| t="s">|/>|'
                 + _TAIL + b")")


class _SheetExtent:
    """Fast extent check of a worksheet, fed with ranges that end just before a ``<``."""

    def __init__(self):
        self.rows = 0
        self.cols = 0
        self.exact = False
        self.widenings = 0
        self.styled = False  # the last cell seen carries a style: see _STYLED_TAILS

    def feed(self, buf: bytes, start: int, end: int) -> None:
        if self.exact or start >= end:
            return
        if _prefixed_cell(buf, start, end):
            self.exact = True
            return
        last = buf.rfind(b'<c r="', start, end)
        rows, cols = self.rows, self.cols
        if last >= 0:
            match = _LAST_CELL.match(buf, last, end)
            if match is None:
                self.exact = True
                return
            rows = max(rows, int(match.group(2)))
            cols = max(cols, column_index(match.group(1).decode()) + 1)
            self.styled = buf.startswith(b' s="', match.end(), end)
            if self.cols == 0:  # first cells: take the width of the first rows as well
                letters = set(_HEAD_COLUMNS.findall(buf, start, min(end, start + 65_536)))
                cols = max([cols, *(column_index(x.decode()) + 1 for x in letters)])
        pos = start
        while True:
            pattern = _ANY_CELL if rows == 0 else _outside(cols, rows, self.styled)
            found = pattern.search(buf, pos, end)
            if found is None:
                break
            tag = _NORMAL_TAG.match(buf, found.start(), end)
            if tag is None or self.widenings >= _MAX_WIDENINGS:
                self.exact = True
                return
            col = column_index(tag.group(1).decode()) + 1
            row = int(tag.group(2))
            if col > MAX_COLUMNS or row > MAX_ROWS:
                self.exact = True
                return
            self.widenings += 1
            cols, rows = max(cols, col), max(rows, row)
            pos = found.start()
        self.rows, self.cols = rows, cols


_ANY_CELL = re.compile(rb"<c(?=[\s/>])")
_HEAD_COLUMNS = re.compile(rb'<c r="([A-Z]{1,3})[0-9]')
_TAG = re.compile(rb"<(/?)(?:[A-Za-z_][\w.\-]*:)?(row|c|sheetData)(?=[\s/>])([^>]*)>")
_ATTR = re.compile(rb"""([\w.:\-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_REF = re.compile(rb"([A-Za-z]{1,3})([0-9]{1,7})")
_ROW = re.compile(rb"[0-9]{1,7}")


class _ExactExtent:
    """Cell extent following the parser's rules: ``r`` when present, else running positions.

    Rows take the largest ``r`` they carry, cells the largest of theirs, so the
    result bounds what the parser computes even for duplicate attributes.
    """

    def __init__(self, file, name, limits):
        self.file, self.name, self.limits = file, name, limits
        self.in_data = False
        self.done = False
        self.row_index = 0  # 0-based, as the parser counts
        self.col_index = 0
        self.rows = 0
        self.cols = 0
        self.cells = 0

    def _refuse(self, what: bytes) -> UnsafeWorkbookError:
        return UnsafeWorkbookError(
            f"part {self.name!r} has a cell reference outside the worksheet grid",
            file=self.file, expected="a cell reference A1..XFD1048576",
            found=what[:40].decode("latin-1"), code="malformed_xml")

    @staticmethod
    def _values(attrs: bytes) -> list[bytes]:
        return [m.group(2) if m.group(2) is not None else m.group(3)
                for m in _ATTR.finditer(attrs) if m.group(1) == b"r"]

    def _row(self, attrs: bytes) -> None:
        values = self._values(attrs)
        if values:
            numbers = []
            for value in values:
                if not _ROW.fullmatch(value) or not 0 < int(value) <= MAX_ROWS:
                    raise self._refuse(value)
                numbers.append(int(value))
            self.row_index = max(numbers) - 1

    def _cell(self, attrs: bytes) -> None:
        values = self._values(attrs)
        if values:
            rows, cols = [], []
            for value in values:
                ref = _REF.fullmatch(value)
                if ref is None:
                    raise self._refuse(value)
                row = int(ref.group(2))
                col = column_index(ref.group(1).decode())
                if not 0 < row <= MAX_ROWS or col >= MAX_COLUMNS:
                    raise self._refuse(value)
                rows.append(row - 1)
                cols.append(col)
            row, col = max(rows), max(cols)
            self.col_index = col
        else:
            row, col = self.row_index, self.col_index
        self.col_index += 1
        self.cells += 1
        self.rows = max(self.rows, row + 1)
        self.cols = max(self.cols, col + 1)
        if self.cells > self.limits.max_cells:
            raise _too_many_cells(self.file, self.name,
                                  f"more than {self.limits.max_cells} cells")

    def feed(self, buf: bytes, start: int, end: int) -> None:
        for match in _TAG.finditer(buf, start, end):
            if self.done:
                return
            closing, name, attrs = match.group(1), match.group(2), match.group(3)
            empty = attrs.endswith(b"/")
            if name == b"sheetData":
                if closing:
                    self.done = self.in_data or self.done
                elif not empty:
                    self.in_data = True
            elif not self.in_data:
                continue
            elif name == b"row":
                if closing:
                    self.row_index += 1
                    self.col_index = 0
                elif not empty:
                    self._row(attrs)
            elif not (closing or empty):  # </c>, and <c/> which the parser ignores
                self._cell(attrs)


def _too_many_cells(file, name, found) -> UnsafeWorkbookError:
    return UnsafeWorkbookError(
        f"worksheet part {name!r} has too many cells to read safely", file=file,
        expected="a worksheet within the cell cap", found=found, code="too_many_cells")


def _coalesced(chunks: Iterable[bytes], size: int = _PART_BYTES) -> Iterator[bytes]:
    """Join small inflated chunks into pieces of about ``size`` bytes (fewer, larger scans)."""
    pending: list[bytes] = []
    held = 0
    for chunk in chunks:
        pending.append(chunk)
        held += len(chunk)
        if held >= size:
            yield pending[0] if len(pending) == 1 else b"".join(pending)
            pending, held = [], 0
    if pending:
        yield pending[0] if len(pending) == 1 else b"".join(pending)


def _parts(chunks: Iterable[bytes]) -> Iterator[tuple[bytes, int, int]]:
    """Re-cut inflated chunks into ranges ``(buf, start, end)`` that end just before a ``<``.

    No tag is split between two ranges, so patterns that start with ``<`` are
    seen whole and nothing is scanned twice. Only the short seam between two
    pieces is copied.
    """
    carry = b""
    for chunk in _coalesced(chunks):
        first = chunk.find(b"<")
        if first < 0:  # a long text run: no tag starts here
            carry = carry + chunk
            yield carry, 0, len(carry)
            carry = b""
            continue
        if carry or first:
            seam = carry + chunk[:first]
            yield seam, 0, len(seam)
        last = chunk.rfind(b"<")
        yield chunk, first, last
        carry = chunk[last:]
    if carry:
        yield carry, 0, len(carry)


def worksheet_extent(chunks, file: str | None = None, name: str = "",
                     limits: ReadLimits | None = None) -> tuple[int, int]:
    """Exact extent of a worksheet part's cells, as the parser positions them.

    Parameters
    ----------
    chunks : iterable of bytes
        The part's XML, in pieces.
    file, name : str, optional
        For error messages.
    limits : ReadLimits, optional

    Returns
    -------
    tuple of int
        ``(rows, cols)``: the last row (1-based) and last column (1-based) of
        any cell with content or formula; ``(0, 0)`` for no cells.

    Raises
    ------
    UnsafeWorkbookError
        A reference outside the grid (``malformed_xml``) or more cells than
        :attr:`ReadLimits.max_cells` (``too_many_cells``).
    """
    exact = _ExactExtent(file, name, limits or ReadLimits())
    for buf, start, end in _parts(chunks):
        exact.feed(buf, start, end)
    return exact.rows, exact.cols


# --------------------------------------------------------------- the check
def _eocd_entries(data: bytes, file: str | None, limits: ReadLimits) -> None:
    """Refuse an archive whose end record lists too many members, before listing them."""
    pos = data.rfind(_EOCD, max(0, len(data) - 65_557))
    if pos < 0 or pos + 22 > len(data):
        raise InputError("damaged or truncated zip archive (no end of central directory)",
                         file=file, expected="a complete .xlsx file",
                         found="truncated or damaged file", code="unreadable_file")
    entries = int.from_bytes(data[pos + 10:pos + 12], "little")
    if entries == 0xFFFF:  # zip64: count the central directory records instead
        entries = data.count(_CENTRAL)
    if entries > limits.max_members:
        raise UnsafeWorkbookError(
            "the workbook has too many parts to open safely", file=file,
            expected=f"at most {limits.max_members} members", found=f"{entries} members",
            code="too_many_members")


def _check_name(name: str, file: str | None) -> None:
    parts = re.split(r"[/\\]", name)
    if (name.startswith(("/", "\\")) or re.match(r"[A-Za-z]:", name) or ".." in parts
            or "\x00" in name):
        raise UnsafeWorkbookError(
            f"member name {name!r} points outside the archive", file=file,
            expected="a relative member path", found=name, code="path_traversal")


def _folded_name(name: str) -> str:
    r"""A member name as a lenient parser may look it up: ``\`` read as ``/``, case folded."""
    return name.replace("\\", "/").casefold()


def check_archive(data: bytes, file: str | None = None,
                  limits: ReadLimits | None = None, progress=None, *, workbook: bool = True) -> Archive:
    """Check a workbook's bytes before any parser sees them.

    Parameters
    ----------
    data : bytes
        The whole file.
    file : str, optional
        File name, for messages.
    limits : ReadLimits, optional
        Caps; :class:`ReadLimits` defaults when omitted.
    progress : callable, optional
        Called as ``progress(done, total)`` after each member is scanned:
        compressed bytes of the members scanned so far and of all members. [byte]
    workbook : bool
        Require ``xl/workbook.xml`` (True). False checks any zip of XML
        parts under the same caps, e.g. an ILCD+EPD export with its flows
        and unit groups (:mod:`klimafotavtrykk.epd`).

    Returns
    -------
    Archive
        The checked archive with one :class:`MemberScan` per member.

    Raises
    ------
    UnsafeWorkbookError
        Codes ``file_too_large``, ``too_many_members``, ``path_traversal``,
        ``unsafe_member``, ``ambiguous_member``, ``archive_too_large``, ``xml_entities``,
        ``malformed_xml``, ``too_many_cells``, ``legacy_xls``, ``encrypted``.
    InputError
        Codes ``empty_file``, ``not_a_zip``, ``unreadable_file`` (damaged or
        truncated), ``not_xlsx`` (a zip but no workbook in it).
    """
    import zipfile

    limits = limits or ReadLimits()
    if not data:
        raise InputError("the file is empty", file=file, expected="an .xlsx workbook",
                         found="0 bytes", code="empty_file")
    if len(data) > limits.max_file_bytes:
        raise UnsafeWorkbookError(
            "the file is too large to open safely", file=file,
            expected=f"at most {limits.max_file_bytes} bytes", found=f"{len(data)} bytes",
            code="file_too_large")
    kind = sniff(data[:8])
    if kind == "ole2":
        raise refuse_ole2(data, file)
    if kind != "zip":
        raise InputError("the file is not an .xlsx workbook (not a zip archive)", file=file,
                         expected="an .xlsx workbook", found=_describe(data[:8]),
                         code="not_a_zip")
    _eocd_entries(data, file, limits)
    try:
        infos = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except Exception as exc:  # zipfile raises BadZipFile, ValueError, OSError, ...
        raise InputError(f"damaged or truncated zip archive ({type(exc).__name__})", file=file,
                         expected="a complete .xlsx file", found="damaged zip archive",
                         code="unreadable_file") from None
    if len(infos) > limits.max_members:
        raise UnsafeWorkbookError(
            "the workbook has too many parts to open safely", file=file,
            expected=f"at most {limits.max_members} members", found=f"{len(infos)} members",
            code="too_many_members")
    by_name: dict[str, object] = {}
    folded: dict[str, str] = {}
    declared = 0
    for info in infos:
        _check_name(info.orig_filename, file)
        _check_name(info.filename, file)
        if info.filename in by_name:
            raise UnsafeWorkbookError(
                f"member {info.filename!r} is listed twice", file=file,
                expected="unique member names", found=info.filename, code="unsafe_member")
        key = _folded_name(info.filename)
        if key in folded:  # the parser may take either: the scan would check the other one
            raise UnsafeWorkbookError(
                f"members {folded[key]!r} and {info.filename!r} differ only in case or in / and "
                "\\", file=file, expected="unique member names",
                found=f"{folded[key]} | {info.filename}", code="ambiguous_member")
        folded[key] = info.filename
        if info.flag_bits & 0x1:
            raise UnsafeWorkbookError(
                f"member {info.filename!r} is encrypted", file=file,
                expected="unencrypted members", found="zip encryption", code="unsafe_member")
        if info.compress_type not in (0, 8):
            raise UnsafeWorkbookError(
                f"member {info.filename!r} uses compression method {info.compress_type}",
                file=file, expected="stored or deflated members",
                found=f"method {info.compress_type}", code="unsafe_member")
        ratio_cap = max(limits.ratio_floor_bytes, limits.max_ratio * max(info.compress_size, 1))
        if info.file_size > ratio_cap:
            raise _too_large(file, f"member {info.filename!r} declares a size more than "
                                   f"{limits.max_ratio:g} times its compressed size",
                             f"{info.file_size} bytes from {info.compress_size}")
        declared += info.file_size
        by_name[info.filename] = info
    if declared > limits.max_inflated_bytes:
        raise _too_large(file, "the workbook unpacks to more than is safe to open",
                         f"{declared} bytes declared")
    if workbook and "xl/workbook.xml" not in by_name:
        found = ("binary workbook (.xlsb)" if "xl/workbook.bin" in by_name else
                 "OpenDocument file" if "content.xml" in by_name else "zip archive")
        raise InputError("the zip archive holds no Excel workbook (xl/workbook.xml)",
                         file=file, expected="an .xlsx workbook", found=found, code="not_xlsx")

    scans: dict[str, MemberScan] = {}
    remaining = limits.max_inflated_bytes
    shared_strings = 0
    total_cells = 0
    compressed = sum(info.compress_size for info in by_name.values())
    scanned = 0
    for name, info in by_name.items():
        budget = min(remaining, info.file_size)
        scan, strings, pending = _scan_member(data, info, budget, file, limits)
        if pending:  # a long part that turned unusual late: inflate it again for the exact pass
            rows, cols = worksheet_extent(_inflate(data, info, budget, file, limits),
                                          file, name, limits)
            scan = MemberScan(name, scan.compressed, scan.inflated, True, rows, cols,
                              scan.formulas, scan.hidden, True, scan.long_text)
        if scan.worksheet and scan.cells > limits.max_cells:
            raise _too_many_cells(file, name, f"{scan.rows} rows x {scan.cols} columns")
        total_cells += scan.cells if scan.worksheet else 0
        if total_cells > limits.max_total_cells:
            raise UnsafeWorkbookError(
                "the worksheets together have too many cells to read safely", file=file,
                expected=f"at most {limits.max_total_cells} cells in all sheets",
                found=f"more than {limits.max_total_cells}", code="too_many_cells")
        shared_strings += strings
        if shared_strings > limits.max_shared_strings:
            raise UnsafeWorkbookError(
                "the workbook has too many shared strings to read safely", file=file,
                expected=f"at most {limits.max_shared_strings}", found=f"{shared_strings}",
                code="too_many_cells")
        remaining -= scan.inflated
        scans[name] = scan
        if progress is not None:
            scanned += info.compress_size
            progress(scanned, compressed)
    return Archive(data, file, limits, by_name, scans)


def _describe(head: bytes) -> str:
    return "bytes " + head.hex(" ") if head else "nothing"


def _scan_member(data, info, budget, file, limits) -> tuple[MemberScan, int, bool]:
    """Inflate one member streaming and scan it; see the module docstring.

    Returns the scan, the count of shared-string entries, and whether the
    exact extent pass is still to be run (the fast extent gave up after more
    than ``_KEEP_BYTES`` of the part had gone by; else the exact pass ran here,
    on the same inflated bytes, and the scan holds its extent).
    """
    chunks = _inflate(data, info, budget, file, limits)
    inflated = 0
    worksheet = formulas = hidden = False
    strings = 0
    extent = _SheetExtent()
    exact = _ExactExtent(file, info.filename, limits)
    kept: list[tuple[bytes, int, int]] | None = []  # the worksheet's ranges, for the exact pass
    held = 0
    refusal: UnsafeWorkbookError | None = None  # of the exact pass, raised after the scan
    first = True
    long_text = False
    block = max(1, (limits.max_cell_chars + 1) // 2)
    for buf, start, end in _parts(_sizes(chunks, counter := [0])):
        if not long_text and end - start > limits.max_cell_chars:
            long_text = _has_long_run(buf, start, end, block)
        if first:
            first = False
            head = buf[start:start + 4]
            if head[:2] in (b"\xff\xfe", b"\xfe\xff") or (b"\x00" in head and b"<" in head):
                raise UnsafeWorkbookError(
                    f"XML part {info.filename!r} is not UTF-8; only UTF-8 XML is read",
                    file=file, expected="UTF-8 XML", found="UTF-16 or UTF-32",
                    code="malformed_xml")
        if _declares_dtd(buf, start, end):
            raise UnsafeWorkbookError(
                f"part {info.filename!r} declares a DOCTYPE or XML entities; such files are "
                "not read (entity expansion)", file=file, expected="XML without DOCTYPE",
                found="<!DOCTYPE or <!ENTITY", code="xml_entities")
        if not worksheet and _contains(buf, b"sheetData", start, end, 5):
            worksheet = True
            hidden = _contains(buf, b"zeroHeight", start, end, 0)  # rows hidden by default
        if worksheet:
            extent.feed(buf, start, end)
            if kept is not None:
                kept.append((buf, start, end))
                held += end - start
                if extent.exact:  # the exact pass takes over: from the start of the part
                    refusal = refusal or _exact_feed(exact, kept)
                    kept, held = [], 0
                elif held > _KEEP_BYTES:
                    kept = None
            formulas = formulas or _contains(buf, b"</f>", start, end, 2) or (
                extent.exact and _contains(buf, b":f>", start, end, 1))
            hidden = hidden or _contains(buf, b"hidden=", start, end, 0)
        else:
            strings += _shared_strings(buf, start, end)
    if refusal is not None:
        raise refusal
    inflated = counter[0]
    pending = extent.exact and kept is None
    rows, cols = (exact.rows, exact.cols) if extent.exact and not pending else (extent.rows,
                                                                                 extent.cols)
    scan = MemberScan(info.filename, info.compress_size, inflated, worksheet, rows, cols,
                      formulas, hidden, extent.exact, long_text)
    return scan, strings, pending


def _exact_feed(exact: _ExactExtent, ranges) -> UnsafeWorkbookError | None:
    """Feed ranges to the exact pass; its refusal is returned, to be raised after the scan."""
    try:
        for buf, start, end in ranges:
            exact.feed(buf, start, end)
    except UnsafeWorkbookError as error:
        return error
    return None


def _contains(buf: bytes, needle: bytes, start: int, end: int, rare: int) -> bool:
    """Whether ``needle`` lies wholly inside ``buf[start:end]`` (``buf.find(...) >= 0``).

    ``needle[rare]`` is a byte seldom seen in workbook XML: ``find`` of that
    one byte is a memchr, many times faster than a search for the whole
    needle, and each hit is checked in place. Where the byte is common after
    all, the rest of the range is checked in one vectorised step.
    """
    lo = start + rare  # needle[rare] of a needle that starts at or after start
    hi = end - len(needle) + 1 + rare  # ... and ends at or before end
    if hi <= lo:  # the range is shorter than the needle (a negative hi would count from the end)
        return False
    byte = needle[rare:rare + 1]
    at = buf.find(byte, lo, hi)
    for _ in range(_FEW_HITS):
        if at < 0:
            return False
        if buf.startswith(needle, at - rare):
            return True
        at = buf.find(byte, at + 1, hi)
    return at >= 0 and _any_at(buf, needle, rare, at, hi)


def _any_at(buf: bytes, needle: bytes, rare: int, lo: int, hi: int) -> bool:
    """Whether ``needle`` starts ``rare`` bytes before any ``needle[rare]`` in ``buf[lo:hi]``."""
    import numpy as np

    whole = np.frombuffer(buf, np.uint8)
    starts = np.flatnonzero(whole[lo:hi] == needle[rare]) + (lo - rare)
    found = np.ones(starts.size, bool)
    for offset, byte in enumerate(needle):
        if offset != rare:
            found &= whole[starts + offset] == byte
    return bool(found.any())


def _declares_dtd(buf: bytes, start: int, end: int) -> bool:
    """Whether ``_DTD`` matches in ``buf[start:end]``, looking only where a ``!`` is (memchr)."""
    at = buf.find(b"!", start + 1, end)
    for _ in range(_FEW_HITS):
        if at < 0:
            return False
        if buf[at - 1] == 0x3C and _DTD.match(buf, at - 1, end):  # "<!"
            return True
        at = buf.find(b"!", at + 1, end)
    return at >= 0 and _DTD.search(buf, at - 1, end) is not None


def _prefixed_cell(buf: bytes, start: int, end: int) -> bool:
    """Whether ``_PREFIXED_CELL`` (``:c``, then white space, ``/`` or ``>``) matches in the range."""
    if end - 2 <= start:  # no room for ":c" and its end (a negative stop counts from the end)
        return False
    at = buf.find(b":", start, end - 2)
    for _ in range(_FEW_HITS):
        if at < 0:
            return False
        if buf[at + 1] == 0x63 and buf[at + 2] in _CELL_END:  # "c"
            return True
        at = buf.find(b":", at + 1, end - 2)
    if at < 0:
        return False
    import numpy as np

    whole = np.frombuffer(buf, np.uint8)
    colons = np.flatnonzero(whole[at:end - 2] == 0x3A) + at
    after = whole[colons + 2]
    tail = np.zeros(colons.size, bool)
    for byte in _CELL_END:
        tail |= after == byte
    return bool((tail & (whole[colons + 1] == 0x63)).any())


def _shared_strings(buf: bytes, start: int, end: int) -> int:
    """Count of ``<si`` and ``:si`` in ``buf[start:end]`` (as two ``bytes.count``)."""
    if end - start < 65_536:
        return buf.count(b"<si", start, end) + buf.count(b":si", start, end)
    import numpy as np

    seg = np.frombuffer(buf, np.uint8, end - start, start)
    lead = seg[:-2]
    si = (seg[1:-1] == 0x73) & (seg[2:] == 0x69)  # "si"
    return int(np.count_nonzero(si & ((lead == 0x3C) | (lead == 0x3A))))  # "<" or ":"


def _has_long_run(buf: bytes, start: int, end: int, block: int) -> bool:
    """Whether ``buf[start:end]`` may hold more than ``2 * block - 1`` bytes without a ``<``.

    Any such run covers one whole block of ``block`` bytes aligned to
    ``start``, so looking for a block without ``<`` (one ``find`` per block,
    a memchr in C) bounds it without visiting every tag.
    """
    for at in range(start, end - block + 1, block):  # len // block steps, not one per tag
        if buf.find(b"<", at, at + block) < 0:
            return True
    return False


def _sizes(chunks: Iterable[bytes], counter: list[int]) -> Iterator[bytes]:
    """Pass chunks through, adding their sizes to ``counter[0]``."""
    for chunk in chunks:
        counter[0] += len(chunk)
        yield chunk
