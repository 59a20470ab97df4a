"""Bids with the same content: :func:`content_fingerprint` and :func:`duplicate_groups`.

Two bid files are duplicates when they are the same file (equal SHA-256 of
the bytes) or hold the same evaluated content: the same materials and site
sheets, cell by cell, and the same price. A re-saved copy has other bytes
(Excel stamps the time of saving) but the same content. Bidder name,
organisation number and date are left out of the content, so that the same
bid handed in under two names is found too.

Duplicates are flagged, not rejected: whether a copy is a mistake, a second
submission or collusion is the client's to judge.
"""

from __future__ import annotations

import hashlib
import math
import re

import numpy as np
import pandas as pd

__all__ = ["content_fingerprint", "duplicate_groups", "DUPLICATE_NAMES_SHOWN"]

#: How many other file names a duplicate finding lists before ``(+N)``.
DUPLICATE_NAMES_SHOWN = 10


def content_fingerprint(bid) -> str:
    """SHA-256 of what a bid is evaluated on, without its file name.

    Parameters
    ----------
    bid : klimafotavtrykk.tender.Bid
        As :func:`~klimafotavtrykk.tender.read_bid` returns it.

    Returns
    -------
    str
        Hex digest over the materials and site frames (every column, by name
        and dtype; the ``source_ref`` without its ``[file]`` part, so the cell
        stays) and the declared price. Columns are hashed as arrays
        (:func:`_column_bytes`), never row by row.
    """
    digest = hashlib.sha256()
    for name, frame in (("materials", bid.materials), ("site", bid.site)):
        digest.update(f"{name}:{len(frame)}\n".encode())
        by_name: dict[str, list[pd.Series]] = {}
        for column, values in frame.items():
            by_name.setdefault(str(column), []).append(values)
        for column in sorted(map(str, frame.columns)):
            for values in by_name[column]:  # a repeated column name: each column in turn
                _update(digest, column, values)
    price = bid.declaration.get("price_nok")
    digest.update(f"price:{price!r}".encode())
    return digest.hexdigest()


def _update(digest, name: str, values: pd.Series) -> None:
    tag, chunks = _column_bytes(values, strip_file=name == "source_ref")
    digest.update(f"\x00{name}:{tag}:{len(chunks)}\x00".encode())
    for chunk in chunks:
        digest.update(len(chunk).to_bytes(8, "little"))
        digest.update(chunk)


def _column_bytes(values: pd.Series, strip_file: bool = False) -> tuple[str, list[bytes]]:
    """One column as a tag and bytes: a number column's array, codes and distinct texts otherwise.

    Numbers (float, int, bool, datetime) are their array's bytes, every NaN
    written the same, tagged with their dtype (``1`` and ``1.0`` were ``1``
    and ``1.0`` in the CSV text too). A column with no value is only that,
    whatever its dtype. Other columns are factorized: the code of every row
    (a missing value or an empty text, however spelled, is one code: they
    were all the empty CSV cell) and each distinct value once, as text.
    Factorizing equates ``1``, ``1.0`` and ``True`` (and ``0.0`` and
    ``-0.0``), so a column whose distinct values are not all text or all
    booleans is written cell by cell instead, each cell's ``str``: cells the
    CSV text told apart stay apart.
    """
    array = values.to_numpy()
    none = ("none", [len(array).to_bytes(8, "little")])
    if array.dtype.kind in "fiubmM":
        if array.dtype.kind in "fmM" and pd.isna(array).all():
            return none
        if array.dtype.kind == "f":
            array = np.where(np.isnan(array), np.nan, array)
        elif array.dtype.kind in "mM":
            array = array.view("i8")
        return values.dtype.str, [np.ascontiguousarray(array).tobytes()]
    array = np.asarray(array, dtype=object)
    if _all_none(array):  # a column the bid left empty (most of the optional ones): no coding
        return none
    # missing values are the sentinel (-1); an empty text was an empty CSV cell too, so it
    # joins them: found among the distinct values, not cell by cell
    codes, distinct = pd.factorize(array, use_na_sentinel=True)  # the array: no Series made
    distinct = np.asarray(distinct, dtype=object)
    empty = distinct == ""
    if empty.any():  # codes as if the empty texts had been missing: first seen first, still
        renumbered = np.append(np.cumsum(~empty) - 1, -1)
        renumbered[:-1][empty] = -1
        codes, distinct = renumbered[codes], distinct[~empty]
    if not len(distinct):
        return none
    kind = pd.api.types.infer_dtype(distinct, skipna=False)  # one C pass over the distinct values
    if kind in ("string", "boolean", "empty"):
        values = distinct.tolist()
        # str() of a str is the str itself: joined as they are when every value is exactly str
        # (a fifth of the time over 5 000 references), else each through str() as before
        text = "\x00".join(values if set(map(type, values)) == {str} else map(str, values))
        tag = "text"
    else:  # mixed or numeric cells in a text column: every cell as written, missing as ""
        blank = pd.isna(array)
        blank[~blank] = array[~blank] == ""
        array = np.where(blank, None, array)
        missing = pd.isna(array)
        cells = np.where(missing, "", array.astype(str))  # str() of each cell, in numpy's loop
        text = "\x00".join(cells.tolist())
        codes = missing.astype(np.int8)
        tag = "cells"
    if strip_file:  # "[bid.xlsx]Materialer!E2" -> "Materialer!E2"
        text = _without_file_part("\x00" + text)
    codes = np.ascontiguousarray(codes, dtype=np.int64)
    return tag, [codes.tobytes(), text.encode("utf-8", "surrogatepass")]


def _all_none(array: np.ndarray) -> bool:
    """Every cell of an object array holds None, compared by address (no cell is asked).

    Such a column factorizes to no distinct value, so :func:`_column_bytes` gives it the same
    bytes as before. The addresses are compared, not the values, so a cell whose ``==``
    cannot answer (``pd.NA``) costs nothing.
    """
    from klimafotavtrykk._string_storage import none_cells

    if not len(array) or array[0] is not None:
        return False
    return bool(none_cells(array).all())


#: The ``[file]`` part at the start of every NUL-separated reference.
# Up to the last "]" of a reference: a sheet name cannot hold "]" (Excel refuses it, and the
# reader's references name the template's sheets), but a file name can ("bud]2.xlsx").
_FILE_PART = re.compile(r"\x00\[[^\x00]*\]")


def _without_file_part(joined: str) -> str:
    """``_FILE_PART.sub(NUL, joined)``: NUL-separated references without their ``[file]`` part.

    A bid's references all start with the same ``[file]`` (the reader writes them so), and
    the pattern removes from each NUL up to the reference's last ``]``. Take that prefix
    from the first reference: when it occurs as often as NUL does, each NUL begins one
    occurrence of it (it holds one NUL, its first character); when, with every occurrence
    removed (one C pass, 2.5 times faster than the regex on 5 000 references), no ``]`` is
    left, the prefix ended at each reference's last ``]``, so the result is exactly the
    pattern's. Otherwise the pattern is used.
    """
    first_end = joined.find("\x00", 1)
    end = joined.rfind("]", 0, len(joined) if first_end < 0 else first_end)
    prefix = joined[:end + 1]
    if end > 1 and prefix.startswith("\x00[") and joined.count(prefix) == joined.count("\x00"):
        stripped = joined.replace(prefix, "\x00")
        if "]" not in stripped:
            return stripped
    return _FILE_PART.sub("\x00", joined)


def duplicate_groups(files, sha256, content) -> pd.DataFrame:
    """Group bids that are the same file or hold the same content.

    Parameters
    ----------
    files : sequence of str
        Bid file names, unique.
    sha256, content : sequence of str or None
        Per bid: hash of the file and :func:`content_fingerprint`; None where
        unknown (such a bid is grouped by the other key only).

    Returns
    -------
    DataFrame
        Indexed by file: ``group`` (the first file name of the bid's group in
        sort order; ``""`` for a bid with no duplicate), ``same_file`` and
        ``same_content`` (the other files of the group with the same SHA-256,
        and with other bytes but the same content, as lists).
    """
    files = [str(f) for f in files]
    parent = list(range(len(files)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for keys in (sha256, content):  # one pass per key over the bids, not over lines
        first: dict[str, int] = {}
        for i, key in enumerate(keys):
            if key is None or (isinstance(key, float) and math.isnan(key)):
                continue
            j = first.setdefault(str(key), i)
            a, b = root(i), root(j)
            if a != b:
                parent[max(a, b)] = min(a, b)
    roots = [root(i) for i in range(len(files))]
    members: dict[int, list[int]] = {}
    for i, r in enumerate(roots):
        members.setdefault(r, []).append(i)
    group, same_file, same_content = [], [], []
    for i, r in enumerate(roots):
        others = [j for j in members[r] if j != i]
        group.append(min(files[j] for j in members[r]) if others else "")
        same = [files[j] for j in others if sha256[j] is not None and sha256[j] == sha256[i]]
        same_file.append(sorted(same))
        same_content.append(sorted(files[j] for j in others if files[j] not in same))
    return pd.DataFrame({"group": group, "same_file": same_file, "same_content": same_content},
                        index=pd.Index(files, name="file"))


def names_text(names) -> str:
    """File names joined by ``, ``; after :data:`DUPLICATE_NAMES_SHOWN` of them, ``(+N)``."""
    names = list(names)
    shown = ", ".join(names[:DUPLICATE_NAMES_SHOWN])
    rest = len(names) - DUPLICATE_NAMES_SHOWN
    return f"{shown} (+{rest})" if rest > 0 else shown
