"""The tender's own bill of quantities as the reference every bid is checked against.

A competition names the client's bill of quantities (``tender_quantities``
in ``konkurranse.toml``: an ``.xlsx`` bill or NS 3459 XML, read through
:func:`klimafotavtrykk.quantities.read_boq`). Each of its lines gets a
stable *line key* (:func:`line_keys`): the line's post number (or its sheet
row when the post number is missing or not unique) and a short hash of what
the client wrote on the line, e.g. ``216.01#5c0e9a1f``. The bid template
carries the key in a locked column; :func:`reconcile` matches every bid line
to its tender line by that key and lists what differs:

=====================  ======================================================
finding                what happened
=====================  ======================================================
``changed_quantity``   the bid's quantity differs from the tender's
``changed_unit``       the unit differs
``changed_building_part``  the NS 3451 building part differs
``changed_line``       the post number, NS 3420 code, description or
                       thickness differs
``deleted_line``       a tender line has no bid line with its key
``added_line``         a bid line has no known key
``duplicate_line``     a second bid line with the same key
``negative_quantity``  a negative quantity (refused: never a credit)
=====================  ======================================================

The competition's ``quantity_rule`` decides what follows:

``"tender"`` (default)
    Every matched line is evaluated with the tender's quantity, unit,
    building part and text (a bidder cannot shrink the job); a deleted
    tender line is evaluated at the tender's quantity with the generic value
    (as a line without an EPD: the profile's markup on generic data, so that
    deleting a line never pays); added and duplicate lines are not counted.
``"reject"``
    The same evaluation, and the bid is rejected (gate code
    ``quantity_deviation``) when any of the findings above occurs.

Lines a bidder adds are never counted, neither as a credit nor as extra
emissions: the evaluation compares every bid on the same job, the tender's.

Without a tender bill of quantities only negative quantities are refused.
"""

from __future__ import annotations

import functools
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from klimafotavtrykk._frames import empty_once, shape
from klimafotavtrykk._string_storage import none_cells
from klimafotavtrykk.errors import InputError
from klimafotavtrykk.tender.schema import plain_text

__all__ = ["QUANTITY_RULES", "KEY_FIELDS", "QUANTITY_FINDINGS", "TenderQuantities", "Reconciled",
           "line_keys", "with_line_keys", "tender_quantities", "read_tender_quantities",
           "reconcile"]

#: What a competition may do with a bid whose lines differ from the tender's.
QUANTITY_RULES: tuple[str, ...] = ("tender", "reject")
#: The tender's columns a bid line must keep; hashed into the key and restored from the tender.
KEY_FIELDS: tuple[str, ...] = ("post_number", "item_code", "building_part", "description",
                               "quantity", "unit", "thickness_mm")
#: Finding kinds of the reconciliation (messages: ``finding.<kind>``).
QUANTITY_FINDINGS: tuple[str, ...] = (
    "changed_quantity", "changed_unit", "changed_building_part", "changed_line", "deleted_line",
    "added_line", "duplicate_line", "negative_quantity")
#: Gate code of a bid rejected under ``quantity_rule = "reject"``.
GATE_CODE = "quantity_deviation"

_NUMBER_FIELDS = ("quantity", "thickness_mm")
_TEXT_FIELDS = tuple(f for f in KEY_FIELDS if f not in _NUMBER_FIELDS)
# field -> finding kind when it differs
_FIELD_KIND = {"quantity": "changed_quantity", "unit": "changed_unit",
               "building_part": "changed_building_part", "post_number": "changed_line",
               "item_code": "changed_line", "description": "changed_line",
               "thickness_mm": "changed_line"}
_HASH_BYTES = 4  # 8 hex digits: enough to show an edit, short enough to read


@dataclass(frozen=True, eq=False)
class TenderQuantities:
    """The tender's bill of quantities, keyed line by line.

    Attributes
    ----------
    file : str
        File name of the bill (no directory).
    sha256 : str or None
        Hash of the file as read, for the audit trail.
    lines : DataFrame
        ``line_key``, the columns of :data:`KEY_FIELDS` (``quantity`` and
        ``thickness_mm`` float, the others text) and ``source_ref`` (the
        tender's quantity cell), one row per tender line.
    """

    file: str
    sha256: str | None
    lines: pd.DataFrame

    def __str__(self) -> str:
        """File name and the start of its hash, as the parameter list shows it."""
        return self.file if not self.sha256 else f"{self.file} (sha256 {self.sha256[:16]})"


@dataclass(frozen=True, eq=False)
class Reconciled:
    """A bid's material lines matched to the tender's.

    Attributes
    ----------
    evaluated : DataFrame
        The lines to compute: the bid's matched lines (with the tender's
        :data:`KEY_FIELDS`) and the deleted tender lines (no EPD claim), with
        a column ``origin``: ``"bid"`` or ``"tender"`` (a deleted line).
        Without a tender reference: the bid's lines, less the refused ones.
    excluded : DataFrame
        Bid lines not counted, with ``exclusion`` (``added_line``,
        ``duplicate_line`` or ``negative_quantity``).
    findings : DataFrame
        ``source_ref``, ``kind``, ``detail`` per finding.
    gate : str
        :data:`GATE_CODE` when the rule rejects the bid, else ``""``.
    """

    evaluated: pd.DataFrame
    excluded: pd.DataFrame
    findings: pd.DataFrame
    gate: str


# ============================================================================ keys

def _text(values) -> pd.Series:
    """Text as compared and hashed: inner blanks collapsed, ends stripped; blank -> ""."""
    series = pd.Series(values, dtype=object)
    codes, distinct = pd.factorize(series)
    cleaned = [" ".join(plain_text(d).split()) for d in distinct] + [""]  # distinct values only
    return pd.Series(np.array(cleaned, dtype=object)[codes], index=series.index, dtype=object)


def _number_text(values) -> pd.Series:
    """Numbers as hashed: 10 significant digits; NaN -> ""."""
    numbers = pd.to_numeric(pd.Series(values, dtype=object), errors="coerce").astype(float)
    codes, distinct = pd.factorize(numbers)
    text = [format(float(d), ".10g") for d in distinct] + [""]
    return pd.Series(np.array(text, dtype=object)[codes], index=numbers.index, dtype=object)


def line_keys(quantities: pd.DataFrame) -> pd.Series:
    """Stable key of every tender line: its post number or sheet row, and a hash of its content.

    Parameters
    ----------
    quantities : DataFrame
        The tender's lines as :func:`~klimafotavtrykk.quantities.read_boq`
        returns them; the columns of :data:`KEY_FIELDS` that are missing
        count as blank.

    Returns
    -------
    Series of str
        ``<post number>#<8 hex digits>`` (``216.01#5c0e9a1f``); where the
        post number is blank or not unique in the tender, ``r<sheet row>``
        (from ``source_ref``) or ``n<position>`` takes its place. The hash
        (BLAKE2b over the :data:`KEY_FIELDS` as written) changes when any of
        them changes, and is the same for the same line on every machine and
        library version.
    """
    frame = quantities.reset_index(drop=True)
    n = len(frame)
    parts = {f: (_number_text(frame[f]) if f in _NUMBER_FIELDS else _text(frame[f]))
             if f in frame.columns else pd.Series("", index=frame.index, dtype=object)
             for f in KEY_FIELDS}
    joined = parts[KEY_FIELDS[0]]
    for name in KEY_FIELDS[1:]:
        joined = joined + "\x1f" + parts[name]
    # one hash per tender line, made once per tender: hashlib keeps keys stable across versions
    digests = [hashlib.blake2b(s.encode("utf-8"), digest_size=_HASH_BYTES).hexdigest()
               for s in joined]
    post = parts["post_number"]
    usable = (post != "") & ~post.duplicated(keep=False)
    refs = frame["source_ref"] if "source_ref" in frame.columns else pd.Series(None, index=frame.index)
    row = pd.Series(refs, dtype=object).astype(str).str.extract(r"(\d+)$", expand=False)
    row_label = ("r" + row).where(row.notna() & ~row.duplicated(keep=False),
                                  "n" + pd.Series(np.arange(1, n + 1), index=frame.index).astype(str))
    label = post.where(usable, row_label)
    return pd.Series(label + "#" + pd.Series(digests, index=frame.index, dtype=object),
                     index=quantities.index, name="line_key", dtype=object)


def with_line_keys(quantities: pd.DataFrame) -> pd.DataFrame:
    """The tender's lines with a ``line_key`` column (:func:`line_keys`), as the template pre-fills them."""
    return quantities.assign(line_key=line_keys(quantities).to_numpy(dtype=object))


def tender_quantities(quantities: pd.DataFrame, file: str = "", sha256: str | None = None
                      ) -> TenderQuantities:
    """Build the reference from the tender's lines (a frame from :func:`~klimafotavtrykk.quantities.read_boq`).

    Parameters
    ----------
    quantities : DataFrame
        The tender's lines.
    file : str
        File name, for findings.
    sha256 : str, optional
        Hash of the file.

    Returns
    -------
    TenderQuantities
    """
    frame = quantities.reset_index(drop=True)
    lines = pd.DataFrame({"line_key": line_keys(frame).to_numpy(dtype=object)})
    for name in KEY_FIELDS:
        values = frame[name] if name in frame.columns else pd.Series(None, index=frame.index)
        lines[name] = (pd.to_numeric(values, errors="coerce").astype(float).to_numpy()
                       if name in _NUMBER_FIELDS else _text(values).replace("", None).to_numpy())
    lines["source_ref"] = (frame["source_ref"].to_numpy(dtype=object) if "source_ref" in frame
                           else None)
    return TenderQuantities(file=file, sha256=sha256, lines=lines)


def read_tender_quantities(path: str | Path) -> TenderQuantities:
    """Read the tender's bill of quantities (``.xlsx`` or NS 3459 XML) and key its lines.

    Parameters
    ----------
    path : str or Path

    Returns
    -------
    TenderQuantities

    Raises
    ------
    InputError
        When the file cannot be read (as :func:`~klimafotavtrykk.quantities.read_boq`).
    """
    from klimafotavtrykk.quantities import read_boq

    path = Path(path)
    items, meta = read_boq(path)
    return tender_quantities(items, file=path.name, sha256=getattr(meta, "sha256", None))


# ============================================================================ matching

def _cells(source_ref: pd.Series, letter: str | None) -> np.ndarray:
    """The same rows' cells in column ``letter`` (the quantity cell when no letter is known)."""
    refs = pd.Series(source_ref, dtype=object).astype(str)
    if not letter:
        return refs.to_numpy(dtype=object)
    return refs.str.replace(r"!\$?[A-Z]+\$?(\d+)$", rf"!{letter}\1", regex=True).to_numpy(dtype=object)


def _shown(values, number: bool) -> np.ndarray:
    """Values as a finding shows them (language-neutral): numbers with ``:g``, blanks as ``–``.

    A minus sign is written as U+2212, so that a report cell never starts with ``-`` (which a
    spreadsheet would read as a formula, and the report would have to escape).
    """
    if number:
        text = _number_text(values).str.replace("-", "\u2212", regex=False).to_numpy(dtype=object)
    else:
        text = _text(values).to_numpy(dtype=object)
    return np.where(text == "", "–", text).astype(object)


def _tender_line(lines: pd.DataFrame) -> np.ndarray:
    """How a finding names a tender line: ``216.01 [skole.xlsx]Mengder!E11``."""
    label = lines["line_key"].astype(str).str.split("#").str[0]
    ref = lines["source_ref"].astype(object).where(lines["source_ref"].notna(), "")
    return (label + " " + ref.astype(str)).str.strip().to_numpy(dtype=object)


def _frame(refs, kind: str, detail) -> pd.DataFrame:
    return pd.DataFrame({"source_ref": np.asarray(refs, dtype=object), "kind": kind,
                         "detail": np.asarray(detail, dtype=object)})


def _differs(bid: pd.Series, tender: pd.Series, number: bool) -> np.ndarray:
    """Per line: the bid's value is not the tender's (blanks equal blanks; text folded).

    Text is compared as written first, in one array comparison: a cell equal
    to the tender's is the same after cleaning and folding too, so only the
    cells that differ as written are cleaned and folded (:func:`_text`).
    """
    if number:
        return _numbers_differ(pd.to_numeric(bid, errors="coerce").to_numpy(dtype=float),
                               pd.to_numeric(tender, errors="coerce").to_numpy(dtype=float))
    return _texts_differ(np.asarray(bid, dtype=object), np.asarray(tender, dtype=object))


def _numbers_differ(b: np.ndarray, t: np.ndarray) -> np.ndarray:
    """:func:`_differs` of numbers, both already float arrays (NaN: blank)."""
    both_nan = np.isnan(b) & np.isnan(t)
    with np.errstate(invalid="ignore"):
        same = np.isclose(b, t, rtol=1e-9, atol=0.0)
    return ~(same | both_nan)


def _texts_differ(b: np.ndarray, t: np.ndarray) -> np.ndarray:
    """:func:`_differs` of text, both object arrays as ``np.asarray(..., dtype=object)`` gives them."""
    out = np.zeros(len(b), dtype=bool)
    rest = ~_equal_cells(b, t)
    if rest.any():
        out[rest] = (_text(b[rest]).str.casefold().to_numpy(dtype=object)
                     != _text(t[rest]).str.casefold().to_numpy(dtype=object))
    return out


def _equal_cells(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Per cell: ``a`` and ``b`` hold equal text, or both None (one array comparison).

    A cell counts as equal only when both are ``str`` (or both None), so that
    no two values that :func:`_text` writes differently (``True`` and ``1``)
    pass as equal; every other cell is left to the full comparison.
    """
    try:
        equal = np.asarray(a == b, dtype=bool)
    except (TypeError, ValueError):  # a cell that cannot say (pd.NA): compare all in full
        return np.zeros(len(a), dtype=bool)
    if equal.shape != (len(a),):
        return np.zeros(len(a), dtype=bool)
    if equal.any():
        same = a[equal]
        # equal blanks can only be None (NaN and NaT are not equal to themselves, pd.NA is refused
        # above): found by address, where pd.isna inspected every object
        texts = same[~none_cells(same)]
        if len(texts) and pd.api.types.infer_dtype(texts, skipna=False) != "string":
            return np.zeros(len(a), dtype=bool)  # other types than text: compare all in full
    return equal


def _sheet_ref(materials: pd.DataFrame, file: str) -> str:
    """``[bid.xlsx]Materialer``: the bid's materials sheet, for findings without a cell."""
    from klimafotavtrykk.messages import t

    refs = materials["source_ref"].dropna().astype(str) if "source_ref" in materials else []
    if len(refs):
        return refs.iloc[0].rsplit("!", 1)[0]
    return f"[{file}]{t('bid.sheet.materials', 'nb')}"


def reconcile(materials: pd.DataFrame, tender: TenderQuantities | None, rule: str = "tender",
              file: str = "", columns: dict[str, str] | None = None) -> Reconciled:
    """Match a bid's material lines to the tender's by line key and list every difference.

    Parameters
    ----------
    materials : DataFrame
        The bid's material lines (:func:`~klimafotavtrykk.tender.reader.bid_frames`),
        with ``line_key`` and ``source_ref`` (the quantity cell).
    tender : TenderQuantities or None
        The tender's lines; None when the competition names none (then only
        negative quantities are refused).
    rule : {"tender", "reject"}
        The competition's ``quantity_rule``.
    file : str
        The bid's file name.
    columns : dict, optional
        Column name -> column letter of the bid's materials sheet, so that a
        changed unit or building part is named at its own cell.

    Returns
    -------
    Reconciled
    """
    if rule not in QUANTITY_RULES:
        raise InputError(f"unknown quantity rule {rule!r}", expected=" | ".join(QUANTITY_RULES),
                         found=rule, code="competition.invalid")
    m = materials.reset_index(drop=True)
    if "line_key" not in m.columns:
        m = m.assign(line_key=None)
    letters = columns or {}
    quantity = pd.to_numeric(m["quantity"], errors="coerce").to_numpy(dtype=float)
    negative = quantity < 0
    found = [_frame(m["source_ref"][negative],
                    "negative_quantity", _shown(m["quantity"][negative], True)
                    + " " + _shown(m["unit"][negative], False))] if negative.any() else []
    if tender is None:
        excluded = m[negative].assign(exclusion="negative_quantity")
        evaluated = m[~negative].assign(origin="bid").reset_index(drop=True)
        return Reconciled(evaluated=evaluated, excluded=excluded.reset_index(drop=True),
                          findings=_joined(found), gate="")

    ref = tender.lines
    pos = _key_positions(m["line_key"], _key_index(tender), _keys_clean(tender))
    seen = pd.Series(np.where(pos >= 0, pos, -1 - np.arange(len(m))))
    matched = (pos >= 0) & ~seen.duplicated().to_numpy()
    duplicate = (pos >= 0) & ~matched
    added = pos < 0
    rows, ref_rows = np.flatnonzero(matched), pos[matched]
    # every bid line matched (the usual bid): the rows are all of them, in order, as they are
    bid_lines = m if len(rows) == len(m) else m.iloc[rows]
    reference = _reference(tender)
    in_order = len(ref_rows) == len(ref) and bool((ref_rows == reference.order).all())
    tender_lines = None  # ref.iloc[ref_rows], made only where a field differs
    named = None
    for name in KEY_FIELDS:
        number = name in _NUMBER_FIELDS
        bid_values = (bid_lines[name] if name in bid_lines.columns
                      else pd.Series(None, index=bid_lines.index, dtype=object))
        # the tender's side as _differs converts it, converted once per tender (_reference)
        tender_values = _taken(reference.compared[name], ref_rows, in_order)
        differs = (_numbers_differ(pd.to_numeric(bid_values, errors="coerce").to_numpy(
            dtype=float), tender_values) if number
            else _texts_differ(np.asarray(bid_values, dtype=object), tender_values))
        if not differs.any():
            continue
        tender_lines = ref.iloc[ref_rows] if tender_lines is None else tender_lines
        named = _tender_line(tender_lines) if named is None else named
        shown = _shown(bid_values[differs], number) + " ≠ " + _shown(
            tender_lines[name][differs], number)
        if name == "quantity":  # say the unit too: 1.4 m3 ≠ 140 m3
            shown = (_shown(bid_values[differs], True) + " " + _shown(bid_lines["unit"][differs], False)
                     + " ≠ " + _shown(tender_lines[name][differs], True) + " "
                     + _shown(tender_lines["unit"][differs], False))
        found.append(_frame(_cells(bid_lines["source_ref"][differs], letters.get(name)),
                            _FIELD_KIND[name], shown + " · " + named[differs]))
    deleted = np.ones(len(ref), dtype=bool)
    deleted[ref_rows] = False
    gone = ref[deleted]
    if deleted.any():
        found.append(_frame(np.full(int(deleted.sum()), _sheet_ref(m, file), dtype=object),
                            "deleted_line",
                            _tender_line(gone) + " · " + _shown(gone["description"], False) + ", "
                            + _shown(gone["quantity"], True) + " " + _shown(gone["unit"], False)))
    for mask, kind in ((added, "added_line"), (duplicate, "duplicate_line")):
        if not mask.any():
            continue
        found.append(_frame(m["source_ref"][mask], kind,
                            _shown(m["description"][mask], False) + ", "
                            + _shown(m["quantity"][mask], True) + " "
                            + _shown(m["unit"][mask], False)
                            + (" · " + _shown(m["line_key"][mask], False) if kind == "duplicate_line"
                               else "")))

    restored = dict(bid_lines.items())  # built once below: no copy, no column-by-column setting
    for name in KEY_FIELDS:  # the tender's quantity, unit, part and text on every matched line
        restored[name] = _restored(reference, ref, name, ref_rows, in_order)
    keys = _taken(reference.keys, ref_rows, in_order)
    restored["line_key"] = (pd.Series(keys, index=bid_lines.index, dtype=object, copy=False)
                            if reference.keys_present and not deleted.any() else keys)
    restored["origin"] = "bid"
    added_rows = _rows_or_empty(
        gone, (ref, m), lambda: gone.reindex(columns=m.columns).assign(
            line_key=gone["line_key"].to_numpy(dtype=object),
            source_ref=gone["source_ref"].to_numpy(dtype=object), origin="tender"))
    evaluated = _stacked(pd.DataFrame(restored, index=bid_lines.index), added_rows)
    left_out = added | duplicate
    exclusion = np.where(added, "added_line", np.where(duplicate, "duplicate_line", None))
    excluded = _rows_or_empty(left_out, (m,), lambda: m[left_out].assign(
        exclusion=exclusion[left_out]).reset_index(drop=True).copy())  # consolidated
    findings = _joined(found)
    gate = GATE_CODE if rule == "reject" and len(findings) else ""
    return Reconciled(evaluated=evaluated, excluded=excluded, findings=findings, gate=gate)


def _rows_or_empty(rows, sources: tuple[pd.DataFrame, ...], build) -> pd.DataFrame:
    """``build()``; where it has no rows, the frame built once per shape of its sources.

    A bid that deletes and adds no line (the usual case) gets frames without rows that depend
    only on the columns and dtypes of the frames they are made from (``sources``): the
    tender's lines gone, the bid's lines left out. Built the first time (0.3 ms each, a
    reindex, a selection and an ``assign``), each later bid gets a copy of its own
    (:func:`klimafotavtrykk._frames.empty_once`).

    Parameters
    ----------
    rows : DataFrame or numpy.ndarray of bool
        The rows ``build`` selects (a frame, or a mask over a source): none when empty or
        all False.
    sources : tuple of DataFrame
        What ``build`` reads.
    build : callable
        Makes the frame.

    Returns
    -------
    DataFrame
    """
    empty = not len(rows) if isinstance(rows, pd.DataFrame) else not rows.any()
    if not empty:
        return build()
    key = shape(*sources)
    return empty_once(None if key is None else (build.__code__, key), build)


def _stacked(first: pd.DataFrame, added: pd.DataFrame) -> pd.DataFrame:
    """``pd.concat([first, added], ignore_index=True)``; with no row added, without the concat.

    A bid that deletes no tender line adds none: the concat then only gives each column the
    dtype pandas settles for the two frames, and pandas settles it from the columns' dtypes
    alone (an ``int64`` column beside an empty ``float64`` one becomes ``float64``), converting
    each part with ``astype``. So the dtypes the concat gives are found once per process and
    combination of dtypes (from ``first``'s first row and ``added``), and each column of
    ``first`` that needs it is converted with ``astype`` (a few: 0.6 ms where the concat of 23
    columns took 1.35 ms): the same values, dtypes and Python types, which
    ``tests/tender/test_reference_arrays.py`` compares with the concat's.
    """
    columns = first.columns
    if (len(added) or not len(first) or not columns.equals(added.columns)
            or columns.has_duplicates or not all(type(c) is str for c in columns)):
        return pd.concat([first, added], ignore_index=True)
    key = (tuple(columns), tuple(first.dtypes), tuple(added.dtypes))
    dtypes = _STACKED_DTYPES.get(key)
    if dtypes is None:
        dtypes = tuple(pd.concat([first.iloc[:1], added], ignore_index=True).dtypes)
        if len(_STACKED_DTYPES) < _STACKED_DTYPES_MAX:
            _STACKED_DTYPES[key] = dtypes
    stacked = first.reset_index(drop=True)  # no copy of the data
    for at, (values, dtype) in enumerate(zip(first.dtypes, dtypes, strict=True)):
        if values != dtype:  # a few columns: each converted as the concat converts it
            stacked.isetitem(at, stacked.iloc[:, at].astype(dtype))
    return stacked


#: (columns, dtypes of the bid lines, dtypes of the added lines) -> dtypes after the concat.
_STACKED_DTYPES: dict[tuple, tuple] = {}
#: Most combinations remembered (a batch has one or two).
_STACKED_DTYPES_MAX = 64


@dataclass(frozen=True, eq=False)
class _Reference:
    """What :func:`reconcile` reads of a tender's lines for every bid, converted once per tender.

    Attributes
    ----------
    order : numpy.ndarray of int64
        ``0 .. n-1``: the tender rows in order (a bid that keeps every line, in order, takes
        no rows).
    compared : dict
        Per field of :data:`KEY_FIELDS`, the column as :func:`_differs` converts it: float
        (``pd.to_numeric``) for the number fields, ``np.asarray(..., dtype=object)`` for text.
    values : dict
        Per field, ``to_numpy()`` of the column (what a matched line is given).
    strings : dict
        The fields held as text (:class:`pandas.StringDtype`, NaN for a blank) with a value
        in some row, and where they have one (bool per row): the text type a frame infers
        from the ``to_numpy()`` of rows with a value is their own (where the storage is the
        same), so their arrays are used as they are.
    keys : numpy.ndarray of object
        ``line_key`` as ``to_numpy(dtype=object)``.
    keys_present : bool
        No key is missing: inferring text from the keys and converting back to object
        gives the same objects.
    """

    order: np.ndarray
    compared: dict[str, np.ndarray]
    values: dict[str, np.ndarray]
    strings: dict[str, np.ndarray]
    keys: np.ndarray
    keys_present: bool


@functools.lru_cache(maxsize=8)
def _reference(tender: TenderQuantities) -> _Reference:
    """The tender's :class:`_Reference`, built once per tender, not per bid (as :func:`_key_index`)."""
    lines = tender.lines
    compared, values, strings = {}, {}, {}
    for name in KEY_FIELDS:
        column = lines[name]
        values[name] = column.to_numpy()
        compared[name] = (pd.to_numeric(column, errors="coerce").to_numpy(dtype=float)
                          if name in _NUMBER_FIELDS else np.asarray(column, dtype=object))
        if isinstance(column.dtype, pd.StringDtype) and column.dtype.na_value is np.nan:
            present = column.notna().to_numpy(dtype=bool)
            if present.any():
                strings[name] = present
    for array in (*compared.values(), *values.values(), *strings.values()):
        array.flags.writeable = False  # shared by every bid: read, never written
    keys = lines["line_key"].to_numpy(dtype=object)
    keys.flags.writeable = False
    return _Reference(order=np.arange(len(lines)), compared=compared, values=values,
                      strings=strings, keys=keys,
                      keys_present=not bool(pd.isna(keys).any()))


def _taken(array: np.ndarray, rows: np.ndarray, in_order: bool) -> np.ndarray:
    """``array[rows]``; the array itself (read-only, shared) when ``rows`` is every row in order."""
    return array if in_order else array[rows]


def _restored(reference: _Reference, lines: pd.DataFrame, name: str, rows: np.ndarray,
              in_order: bool):
    """The tender's column ``name`` at ``rows``, for a frame of the matched lines.

    What ``lines[name].iloc[rows].to_numpy()`` gives, or, for a text column whose type a
    frame would infer from that again (:attr:`_Reference.strings`: a value among those rows,
    and the same string storage), its own array at those rows: the same type and values,
    without inferring the type of every cell once more.
    """
    column = lines[name]
    present = reference.strings.get(name)
    if (present is not None and column.dtype == pd.StringDtype(na_value=np.nan)
            and (in_order or present[rows].any())):
        array = column.array
        return array if in_order else array.take(rows)
    return _taken(reference.values[name], rows, in_order)


@functools.lru_cache(maxsize=8)
def _key_index(tender: TenderQuantities) -> pd.Index:
    """The tender's line keys as an index, built (and hashed) once per tender, not per bid."""
    return pd.Index(tender.lines["line_key"].astype(str))


@functools.lru_cache(maxsize=8)
def _keys_clean(tender: TenderQuantities) -> bool:
    """Every key of :func:`_key_index` is its own :func:`_text` (:func:`_not_clean` finds none), once per tender.

    Keys made by :func:`line_keys` are: a cleaned post number or a row label, ``#`` and hex
    digits. Then a bid key found among them as written is one of them, the same text, and
    clean too: :func:`_key_positions` need not look (0.3 ms of a 5 000-line bid).
    """
    return not _not_clean(_key_index(tender).tolist())


def _key_positions(keys: pd.Series, tender_keys: pd.Series | pd.Index,
                   tender_clean: bool = False) -> np.ndarray:
    """Row of the tender line with each bid key (-1 for none), keys compared as :func:`_text` writes them.

    The keys are looked up as written first: a key found so is a tender key,
    and is its own :func:`_text` when it holds no blank other than single
    inner spaces (checked in one pass over all of them; not at all when every
    tender key is known to be so, ``tender_clean``, :func:`_keys_clean`); only
    the keys not found are cleaned and looked up again.
    """
    index = tender_keys if isinstance(tender_keys, pd.Index) else pd.Index(tender_keys.astype(str))
    raw = np.asarray(keys, dtype=object)
    pos = index.get_indexer(raw)
    hit = pos >= 0
    # _not_clean asks each text alone (no blank at an end, doubled or other than a space), so
    # texts equal to clean tender keys are clean
    if hit.any() and not tender_clean and _not_clean(raw[hit].tolist()):
        hit[:] = False  # a found key that cleaning would change: clean every key
    if not hit.all():
        pos[~hit] = index.get_indexer(_text(raw[~hit]).to_numpy(dtype=object))
    return pos


def _not_clean(texts: list[str]) -> bool:
    """The texts hold a blank that :func:`_text` would remove or change.

    At an end of a text, doubled, or any blank but a plain space. Every blank but the plain
    space is a character ``str.isprintable`` refuses (checked over all of Unicode in
    ``tests/tender/test_reference_arrays.py``), so text that is printable throughout holds
    none: one C pass (0.16 ms over 5 000 keys) where the pattern took 0.37 ms, which then
    runs only on text that is not.
    """
    joined = "\x00" + "\x00".join(texts) + "\x00"
    if "  " in joined or "\x00 " in joined or " \x00" in joined:
        return True
    return not "".join(texts).isprintable() and _OTHER_BLANK.search(joined) is not None


#: A blank other than a plain space (what ``str.split`` splits on; NUL is not one).
_OTHER_BLANK = re.compile(r"[^\S ]")


def _joined(frames) -> pd.DataFrame:
    frames = [f for f in frames if len(f)]
    if not frames:  # the same frame every time: built once, each bid a copy of its own
        return empty_once("reconcile.no_findings", lambda: pd.DataFrame(
            {c: pd.Series(dtype=object) for c in ("source_ref", "kind", "detail")}))
    return pd.concat(frames, ignore_index=True)
