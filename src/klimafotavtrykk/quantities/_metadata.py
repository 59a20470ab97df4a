"""What a bill-of-quantities reader found and did: :class:`BoqMetadata`.

Kept apart from the readers so that importing it loads neither pandas nor a parser.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["Note", "BoqMetadata", "SKIPPED_COLUMNS", "CELLS_COLUMNS", "SKIP_REASONS", "CELL_KINDS"]

#: Columns of :attr:`BoqMetadata.skipped`.
SKIPPED_COLUMNS = ("source_ref", "reason", "detail")
#: Columns of :attr:`BoqMetadata.cells`.
CELLS_COLUMNS = ("source_ref", "kind", "found", "detail")

#: Why a non-blank row is not an item line.
SKIP_REASONS: dict[str, str] = {
    "title_block": "above the header row",
    "header": "the header row",
    "repeated_header": "the header repeated below the header row",
    "subtotal": "a sum or subtotal line",
    "heading": "text without quantity and unit (a heading, an option title, a note)",
}

#: Kinds of per-cell findings in :attr:`BoqMetadata.cells`.
CELL_KINDS: dict[str, str] = {
    "empty": "a quantity or unit cell of an item line is empty",
    "text_number": "text read as a number under the number_locale rule",
    "ambiguous_number": "text that could be two different numbers (1.250); not read",
    "not_a_number": "text, a date or TRUE/FALSE where a number belongs; not read",
    "negative_quantity": "a negative quantity, kept as written",
    "formula": "a formula; its cached value is used and its text kept here",
    "error_value": "a formula or cell with an error value (#DIV/0!, #REF! ...); not read",
    "external_reference": "a formula referring to another workbook; the cached value is used",
    "float_item_code": "an item or post number stored as a number, converted to text",
    "item_code_collision": "item or post numbers that differ as text but are one number "
                           "(7.1 and 7.10), or a number stored twice",
    "hidden_row": "a row hidden in Excel, read",
    "hidden_column": "a column hidden in Excel, read",
    "merged_cell": "a merged cell across item lines: only its first line holds the value",
    "duplicate_block": "a line of a block that repeats an earlier block (e.g. Opsjon 2 = Opsjon 1)",
    "unknown_unit": "a unit spelling the unit table does not know",
}


class Note(str):
    """A file-level note of a reader: its English text, and the key and fields to say it again.

    It is the string ``"<key>: <English text>"`` (what ``meta.warnings`` always
    held), and carries ``key`` and ``fields`` so that the front end can write
    it in the user's language (``messages`` key ``out.note.<key>``).

    Examples
    --------
    >>> note = Note("hidden_sheet", "sheet 'Gammel' is hidden", sheet="Gammel")
    >>> note.startswith("hidden_sheet: "), note.key, note.fields
    (True, 'hidden_sheet', {'sheet': 'Gammel'})
    """

    key: str
    fields: dict

    def __new__(cls, key: str, text: str, **fields: object) -> Note:
        note = super().__new__(cls, f"{key}: {text}")
        note.key, note.fields = key, fields
        return note

    def __reduce__(self):  # survives worker pools
        return _note, (self.key, str(self)[len(self.key) + 2:], self.fields)


def _note(key: str, text: str, fields: dict) -> Note:
    return Note(key, text, **fields)


@dataclass(frozen=True, eq=False)
class BoqMetadata:
    """Where a bill of quantities came from and what the reader found in it.

    Attributes
    ----------
    file : str
        File name as given (no directory).
    sheet : str
        Sheet read.
    sha256 : str
        SHA-256 of the file's bytes as read, for the audit trail.
    header_row : int
        1-based row of the header (its first row when it spans two).
    header_map : dict
        Header as written -> canonical column name.
    skipped : pandas.DataFrame
        Every non-blank row that is not an item line: ``source_ref``,
        ``reason`` (see :data:`SKIP_REASONS`), ``detail`` (the row's text).
    cells : pandas.DataFrame
        Per-cell findings: ``source_ref``, ``kind`` (see :data:`CELL_KINDS`),
        ``found`` (the cell as written), ``detail``.
    hidden_sheets : tuple of str
        Hidden sheets that were not read.
    warnings : list of str
        File-level findings, each starting with its code (``hidden_sheet: ...``).
    header_rows : int
        1 or 2.
    columns : dict
        Canonical column name -> column letter in the sheet.
    sheets : tuple of str
        Every sheet in the workbook, in order.
    number_locale : str or None
        The text-number rule used.
    extra_columns : dict
        Columns kept as read because the caller named them
        (:meth:`~klimafotavtrykk.quantities.excel.CheckedWorkbook.read`,
        ``extra_aliases``): name -> column letter.
    """

    file: str
    sheet: str
    sha256: str
    header_row: int
    header_map: dict[str, str]
    skipped: pd.DataFrame
    cells: pd.DataFrame
    hidden_sheets: tuple[str, ...] = ()
    warnings: list[str] = field(default_factory=list)
    header_rows: int = 1
    columns: dict[str, str] = field(default_factory=dict)
    sheets: tuple[str, ...] = ()
    number_locale: str | None = "nb-NO"
    extra_columns: dict[str, str] = field(default_factory=dict)
