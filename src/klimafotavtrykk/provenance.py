"""Where a number came from: cell references, ``source_ref`` strings and file hashes.

Every line the readers return carries a ``source_ref`` written the way Excel
writes an external reference, ``[skole.xlsx]Mengder!E14``: the file name in
brackets, the sheet, ``!`` and the cell. A sheet name that Excel would quote
(spaces, punctuation, a leading digit) is quoted the same way,
``'[skole.xlsx]Mengder 2'!E14``, so that the reference can be pasted into a
formula bar. Rows are 1-based, as Excel shows them; columns are 0-based
integers in code and letters (``A`` … ``XFD``) in text.

This module is on the bottom layer: it imports only the standard library and
numpy (numpy only inside the vectorised helpers).
"""

from __future__ import annotations

import hashlib
import os
import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

__all__ = [
    "MAX_ROWS",
    "MAX_COLUMNS",
    "column_letter",
    "column_letters",
    "column_index",
    "cell_ref",
    "split_cell_ref",
    "quote_sheet",
    "source_ref",
    "source_refs",
    "parse_source_ref",
    "sha256_bytes",
    "file_sha256",
]

#: Largest row number an .xlsx worksheet can have (Excel 2007 and later).
MAX_ROWS = 1_048_576
#: Largest column number an .xlsx worksheet can have (column ``XFD``).
MAX_COLUMNS = 16_384

_CELL = re.compile(r"\$?([A-Za-z]{1,3})\$?([0-9]{1,7})")
# Sheet names Excel writes without quotes in a reference.
_PLAIN_SHEET = re.compile(r"[A-Za-z_\u00c0-\uffff][\w.\u00c0-\uffff]*")
_SOURCE_REF = re.compile(r"(?:'\[(?P<qfile>[^\]]*)\](?P<qsheet>(?:[^']|'')*)'|\[(?P<file>[^\]]*)\](?P<sheet>[^!]*))!(?P<cell>[A-Z]{1,3}[0-9]{1,7})")


def column_letter(index: int) -> str:
    """Column letters of a 0-based column index: ``0`` -> ``"A"``, ``27`` -> ``"AB"``.

    Parameters
    ----------
    index : int
        0-based column index, from 0 to :data:`MAX_COLUMNS` - 1.

    Returns
    -------
    str

    Raises
    ------
    ValueError
        For a negative index.
    """
    index = int(index)
    if index < 0:
        raise ValueError(f"column index must be >= 0, got {index}")
    letters = ""
    number = index + 1
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def column_letters(indices) -> np.ndarray:
    """Vectorised :func:`column_letter` for an array of 0-based column indices.

    Parameters
    ----------
    indices : array-like of int

    Returns
    -------
    numpy.ndarray of object (str)
    """
    import numpy as np

    idx = np.asarray(indices, dtype=np.int64)
    uniques, inverse = np.unique(idx, return_inverse=True)
    names = np.array([column_letter(i) for i in uniques], dtype=object)
    return names[inverse.reshape(idx.shape)] if idx.size else np.empty(idx.shape, dtype=object)


def column_index(letters: str) -> int:
    """0-based column index of column letters: ``"A"`` -> 0, ``"xfd"`` -> 16383.

    Raises
    ------
    ValueError
        When ``letters`` is not 1-3 letters.
    """
    if not re.fullmatch(r"[A-Za-z]{1,3}", letters or ""):
        raise ValueError(f"not column letters: {letters!r}")
    number = 0
    for char in letters.upper():
        number = number * 26 + (ord(char) - 64)
    return number - 1


def cell_ref(row: int, col: int) -> str:
    """Cell reference as Excel writes it: 1-based ``row``, 0-based ``col`` -> ``"E14"``."""
    return f"{column_letter(col)}{int(row)}"


def split_cell_ref(ref: str) -> tuple[int, int]:
    """Row (1-based) and column (0-based) of a reference such as ``"E14"`` or ``"$E$14"``.

    Raises
    ------
    ValueError
        When ``ref`` is not a single-cell A1 reference.
    """
    match = _CELL.fullmatch(ref or "")
    if not match or int(match.group(2)) < 1:
        raise ValueError(f"not a cell reference: {ref!r}")
    return int(match.group(2)), column_index(match.group(1))


def quote_sheet(sheet: str, file: str | None = None) -> str:
    """``[file]sheet`` as Excel writes it before ``!``, quoted when Excel would quote it.

    Parameters
    ----------
    sheet : str
        Sheet name.
    file : str, optional
        Workbook file name (no directory).

    Returns
    -------
    str
        ``[skole.xlsx]Mengder``, or ``'[skole.xlsx]Mengder 2'`` with ``'``
        doubled inside a quoted name.
    """
    prefix = f"[{file}]" if file is not None else ""
    if _PLAIN_SHEET.fullmatch(sheet) and not _CELL.fullmatch(sheet):
        return prefix + sheet
    return "'" + prefix + sheet.replace("'", "''") + "'"


def source_ref(file: str | None, sheet: str, cell: str) -> str:
    """One ``source_ref``: ``[skole.xlsx]Mengder!E14``.

    Parameters
    ----------
    file : str or None
        Workbook file name (no directory).
    sheet : str
        Sheet name.
    cell : str
        Cell reference, e.g. ``"E14"``.
    """
    return f"{quote_sheet(sheet, file)}!{cell}"


def source_refs(file: str | None, sheet: str, rows, cols) -> np.ndarray:
    """Vectorised :func:`source_ref` for arrays of rows (1-based) and columns (0-based).

    Parameters
    ----------
    file : str or None
        Workbook file name.
    sheet : str
        Sheet name.
    rows : array-like of int
        1-based row numbers.
    cols : int or array-like of int
        0-based column indices (a scalar applies to every row).

    Returns
    -------
    numpy.ndarray of object (str)
    """
    import numpy as np

    rows = np.asarray(rows, dtype=np.int64).reshape(-1)
    if rows.size == 0:
        return np.empty(0, dtype=object)
    prefix = quote_sheet(sheet, file) + "!"
    cols = np.asarray(cols, dtype=np.int64)
    numbers = map(str, rows.tolist())  # each row number's text, made in C (no Python frame a row)
    if cols.ndim == 0 or bool((cols == cols.flat[0]).all()):
        heads = prefix + column_letter(int(cols.flat[0]))
        refs = map(heads.__add__, numbers)
    else:
        letters = column_letters(np.broadcast_to(cols, rows.shape)).tolist()
        refs = map(str.__add__, map(prefix.__add__, letters), numbers)
    # str concatenation driven by map and filled by fromiter: a third faster than numpy's
    # fixed-width char.add and its conversion back to objects (100 000 refs: 19 vs 26 ms)
    return np.fromiter(refs, dtype=object, count=rows.size)


def parse_source_ref(ref: str) -> tuple[str, str, str]:
    """Split a ``source_ref`` into file, sheet and cell.

    Parameters
    ----------
    ref : str
        ``[skole.xlsx]Mengder!E14`` or ``'[skole.xlsx]Mengder 2'!E14``.

    Returns
    -------
    tuple of str
        ``(file, sheet, cell)``.

    Raises
    ------
    ValueError
        When ``ref`` is not in that form.
    """
    match = _SOURCE_REF.fullmatch(ref or "")
    if not match:
        raise ValueError(f"not a source reference: {ref!r}")
    if match.group("qsheet") is not None:
        return match.group("qfile"), match.group("qsheet").replace("''", "'"), match.group("cell")
    return match.group("file"), match.group("sheet"), match.group("cell")


def sha256_bytes(data: bytes) -> str:
    """SHA-256 of ``data``, hex."""
    return hashlib.sha256(data).hexdigest()


def file_sha256(path: str | os.PathLike, chunk_size: int = 1 << 20) -> str:
    """SHA-256 of a file's bytes, hex, read in chunks of ``chunk_size`` bytes."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(chunk_size), b""):
            digest.update(block)
    return digest.hexdigest()
