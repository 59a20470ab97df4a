"""Find the header row of a bill of quantities and map its headers onto canonical names.

Norwegian and English spellings map through ``data/headers/aliases.csv``
(see its README for the matching rule). The header is searched by keyword in
the first rows of a sheet, below any title block; it may span two rows (a
merged group title above sub-headers such as ``Mengde`` over ``Enhet`` and
``Antall``).

A row qualifies as the header when it maps ``quantity`` and at least one
other column. Of the qualifying candidates the one mapping most columns wins,
the earliest on a tie; a two-row header wins only when it maps more columns
than either of its rows alone.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from klimafotavtrykk._data import data_path
from klimafotavtrykk.errors import DataError
from klimafotavtrykk.vocabulary import LINE_COLUMNS, OPTIONAL_LINE_COLUMNS

__all__ = [
    "HEADER_SEARCH_ROWS",
    "HeaderMatch",
    "normalise_header",
    "header_aliases",
    "map_headers",
    "find_header",
]

#: Rows searched for the header, from the top of the sheet.
HEADER_SEARCH_ROWS = 50
#: Canonical columns a header may name (``row_id`` and ``source_ref`` are the reader's).
MAPPABLE = tuple(c for c in (*LINE_COLUMNS, *OPTIONAL_LINE_COLUMNS) if c not in ("row_id", "source_ref"))

_BLANK = re.compile(r"[\s\u00a0\u200b\u2009\u202f]+")


def normalise_header(text: object) -> str:
    """Key under which a header is matched.

    Parameters
    ----------
    text : object
        A header cell as read.

    Returns
    -------
    str
        NFKC-normalised, case-folded text with all whitespace removed and
        trailing ``.`` and ``:`` stripped; ``""`` for anything but non-empty
        text.

    Examples
    --------
    >>> normalise_header(" Post nr. ")
    'postnr'
    """
    if not isinstance(text, str):
        return ""
    key = _BLANK.sub("", unicodedata.normalize("NFKC", text)).casefold()
    return key.rstrip(".:")


#: :func:`normalise_header` of header-search texts, remembered: the same texts (a bid template's
#: headers and first lines) come back in every sheet and every bid a process reads.
_header_key = functools.lru_cache(maxsize=1 << 14)(normalise_header)


@functools.cache
def header_aliases(path: str | None = None) -> dict[str, str]:
    """The alias table: normalised header -> canonical column name.

    Parameters
    ----------
    path : str, optional
        An alias CSV with columns ``header, canonical, lang``; the shipped
        ``data/headers/aliases.csv`` by default.

    Raises
    ------
    DataError
        Missing columns, a canonical name not in :data:`MAPPABLE`, or two
        spellings that normalise alike but map to different columns.
    """
    import csv

    source = Path(path) if path else data_path("headers", "aliases.csv")
    with open(source, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    if not rows or not {"header", "canonical", "lang"} <= set(rows[0]):
        raise DataError("needs columns header, canonical, lang", file=str(source))
    table: dict[str, str] = {}
    for number, row in enumerate(rows, start=2):
        key = normalise_header(row["header"])
        canonical = (row["canonical"] or "").strip()
        if not key:
            raise DataError("empty header", file=str(source), row=number)
        if canonical not in MAPPABLE:
            raise DataError(f"unknown canonical column {canonical!r}", file=str(source),
                            row=number)
        if table.setdefault(key, canonical) != canonical:
            raise DataError(f"header {row['header']!r} maps to both {table[key]!r} and "
                            f"{canonical!r}", file=str(source), row=number)
    return table


def map_headers(cells, aliases: dict[str, str] | None = None) -> list[str | None]:
    """Canonical name of each header cell, None where it maps to nothing.

    Parameters
    ----------
    cells : sequence
        Header cells as read.
    aliases : dict, optional
        From :func:`header_aliases`; the shipped table by default.
    """
    aliases = header_aliases() if aliases is None else aliases
    return [aliases.get(normalise_header(cell)) for cell in cells]


@dataclass(frozen=True)
class HeaderMatch:
    """Where the header is and what each column means.

    Attributes
    ----------
    row : int
        0-based index of the (first) header row.
    n_rows : int
        1, or 2 for a header spanning two rows.
    columns : dict
        Canonical name -> 0-based column index (first column when a name repeats).
    written : dict
        Canonical name -> header as written (two-row headers joined by a space).
    unmapped : tuple of (int, str)
        Columns with a header text that maps to nothing.
    repeated : tuple of (int, str, str)
        Columns that map to a name already taken: (column, written, canonical).
    """

    row: int
    n_rows: int
    columns: dict[str, int] = field(default_factory=dict)
    written: dict[str, str] = field(default_factory=dict)
    unmapped: tuple[tuple[int, str], ...] = ()
    repeated: tuple[tuple[int, str, str], ...] = ()

    @property
    def data_start(self) -> int:
        """0-based index of the first row below the header."""
        return self.row + self.n_rows


def _text(value: object) -> str:
    return value.strip() if isinstance(value, str) else ""


def _match_row(labels: list[list[str]], aliases: dict[str, str]):
    """Map one header candidate; ``labels[col]`` lists the texts to try, best first."""
    columns: dict[str, int] = {}
    written: dict[str, str] = {}
    unmapped, repeated = [], []
    for col, options in enumerate(labels):
        options = [o for o in options if o]
        if not options:
            continue
        hit = next(((o, aliases[key]) for o in options
                    if (key := _header_key(o)) in aliases), None)
        if hit is None:
            unmapped.append((col, " ".join(dict.fromkeys(options))))
        elif hit[1] in columns:
            repeated.append((col, hit[0], hit[1]))
        else:
            columns[hit[1]] = col
            written[hit[1]] = hit[0]
    return columns, written, tuple(unmapped), tuple(repeated)


def _filled(rows: list[list], merged, n: int) -> list[list[str]]:
    """Text of the first ``n`` rows, each merged range filled with its top-left text."""
    grid = [[_text(v) for v in row] for row in rows[:n]]
    for (r0, c0), (r1, c1) in merged or ():
        if r0 >= len(grid) or c0 >= len(grid[r0]):
            continue
        value = grid[r0][c0]
        for r in range(r0, min(r1, len(grid) - 1) + 1):
            for c in range(c0, min(c1, len(grid[r]) - 1) + 1):
                grid[r][c] = grid[r][c] or value
    return grid


def find_header(rows: list[list], merged=None, *, search_rows: int = HEADER_SEARCH_ROWS,
                aliases: dict[str, str] | None = None, header_row: int | None = None
                ) -> HeaderMatch | None:
    """Find the header row (or two rows) of a sheet.

    Parameters
    ----------
    rows : list of list
        Cell values from row 1 (index 0), as the reader has them.
    merged : iterable of ((r0, c0), (r1, c1)), optional
        Merged ranges, 0-based and inclusive.
    search_rows : int
        How many rows from the top to search.
    aliases : dict, optional
        From :func:`header_aliases`.
    header_row : int, optional
        1-based row given by the caller: only that row is tried.

    Returns
    -------
    HeaderMatch or None
        None when no row qualifies.
    """
    aliases = header_aliases() if aliases is None else aliases
    if header_row is not None:
        grid = _filled(rows, merged, header_row)
        if len(grid) < header_row:
            return None
        columns, written, unmapped, repeated = _match_row(
            [[t] for t in grid[header_row - 1]], aliases)
        if "quantity" not in columns:
            return None
        return HeaderMatch(header_row - 1, 1, columns, written, unmapped, repeated)

    grid = _filled(rows, merged, search_rows + 1)
    best: HeaderMatch | None = None
    singles: list[int] = []
    for r, row in enumerate(grid):
        columns, written, unmapped, repeated = _match_row([[t] for t in row], aliases)
        singles.append(len(columns) if "quantity" in columns else 0)
        if r < search_rows and "quantity" in columns and len(columns) >= 2:
            if best is None or len(columns) > len(best.columns):
                best = HeaderMatch(r, 1, columns, written, unmapped, repeated)
    for r in range(min(search_rows, len(grid) - 1)):
        top, bottom = grid[r], grid[r + 1]
        if any(not isinstance(v, str) and v != "" for v in rows[r + 1]):
            continue  # a row holding numbers is data, not a sub-header
        width = max(len(top), len(bottom))
        labels = []
        for c in range(width):
            t = top[c] if c < len(top) else ""
            b = bottom[c] if c < len(bottom) else ""
            joined = f"{t} {b}".strip() if t != b else t
            labels.append([joined, b, t])
        columns, written, unmapped, repeated = _match_row(labels, aliases)
        if "quantity" not in columns or len(columns) < 2:
            continue
        if len(columns) <= max(singles[r], singles[r + 1] if r + 1 < len(singles) else 0):
            continue
        if best is None or len(columns) > len(best.columns) or (
                len(columns) == len(best.columns) and r < best.row):
            best = HeaderMatch(r, 2, columns, written, unmapped, repeated)
    return best
