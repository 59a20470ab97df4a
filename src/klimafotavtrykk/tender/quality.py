"""The client's quality points: read and checked before any bid is read.

Quality is the client's own evaluation, handed to the batch as a CSV file
(first column the bid file or bidder, second the points) or as a mapping.
:func:`read_quality` refuses the file at once, naming the CSV rows, when a
value is not a number, lies outside the competition's point scale or a bid
is listed twice; :func:`check_values` does the same for a mapping, so that a
batch never fails after its bids are read.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from pathlib import Path

from klimafotavtrykk.errors import InputError

__all__ = ["read_quality", "check_values", "CSV_FIRST_DATA_LINE"]

#: Line of the first data row in a CSV file with a header line (lines count from 1).
CSV_FIRST_DATA_LINE = 2


def read_quality(path: str | Path, max_points: float) -> dict[str, float]:
    """Quality points per bid from a CSV file, every row checked.

    Parameters
    ----------
    path : str or Path
        CSV with a header line; first column the bid file name (or the
        bidder's name), second the points. Comma, semicolon or tab separated;
        a decimal comma is accepted.
    max_points : float
        Top of the competition's point scale; points must lie in
        ``[0, max_points]``. [points]

    Returns
    -------
    dict
        Bid file or bidder -> points. [points]

    Raises
    ------
    InputError
        When the file cannot be read or lacks a column (``unreadable_file``,
        ``missing_column``), or when rows are bad, naming every bad row's cell
        as Excel shows the CSV (``B3``): ``tender.quality_not_a_number``,
        ``tender.quality_out_of_scale``, ``tender.quality_duplicate``,
        ``tender.quality_no_bid``.
    """
    import pandas as pd

    file = str(path)
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, sep=None, engine="python",
                            encoding="utf-8-sig", skip_blank_lines=False)
    except (OSError, UnicodeDecodeError, pd.errors.ParserError, ValueError) as exc:
        raise InputError(f"cannot read the quality points: {exc}", file=file,
                         code="unreadable_file") from None
    if frame.shape[1] < 2:
        raise InputError("the quality file needs two columns: bid file (or bidder) and points",
                         file=file, expected="file,points", code="missing_column")
    keys = frame.iloc[:, 0].fillna("").astype(str).str.strip()
    texts = frame.iloc[:, 1].fillna("").astype(str).str.strip()
    blank = (keys == "") & (texts == "")
    lines = pd.RangeIndex(CSV_FIRST_DATA_LINE, CSV_FIRST_DATA_LINE + len(frame))[~blank.to_numpy()]
    keys, texts = keys[~blank].to_numpy(), texts[~blank]
    points = pd.to_numeric(texts.str.replace(",", ".", regex=False).str.replace(" ", "", regex=False),
                           errors="coerce").to_numpy(dtype=float)
    scale = f"0 ≤ x ≤ {max_points:g}"
    _refuse(file, "A", lines[keys == ""], [""] * int((keys == "").sum()),
            "a quality row names no bid", "tender.quality_no_bid", None)
    bad = ~pd.Series(points).map(math.isfinite).to_numpy(dtype=bool)
    _refuse(file, "B", lines[bad], texts.to_numpy()[bad], "quality points are not a number",
            "tender.quality_not_a_number", scale)
    outside = ~bad & ((points < 0) | (points > max_points))
    _refuse(file, "B", lines[outside], texts.to_numpy()[outside],
            "quality points outside the competition's scale", "tender.quality_out_of_scale", scale)
    repeated = pd.Series(keys).duplicated(keep=False).to_numpy()
    _refuse(file, "A", lines[repeated], keys[repeated], "a bid has more than one quality row",
            "tender.quality_duplicate", None)
    return dict(zip(keys.tolist(), points.tolist(), strict=True))


def check_values(name: str, values: Mapping | None, low: float, high: float,
                 strict_low: bool = False) -> dict[str, float] | None:
    """Check values given per bid (quality points, prices) before any bid is read.

    Parameters
    ----------
    name : str
        ``"quality"`` or ``"prices"``, for the message.
    values : mapping or None
        Bid file or bidder -> value.
    low, high : float
        Allowed range, inclusive (``low`` exclusive with ``strict_low``).
    strict_low : bool

    Returns
    -------
    dict or None
        Keys as text, values as float.

    Raises
    ------
    InputError
        ``tender.values_out_of_range``, naming every bad key and value.
    """
    if values is None:
        return None
    out, bad = {}, []
    for key, value in dict(values).items():  # one per bid
        try:
            number = float(value)
        except (TypeError, ValueError):
            number = math.nan
        if isinstance(value, bool) or not (math.isfinite(number) and number <= high and (
                number > low if strict_low else number >= low)):
            bad.append(f"{key}: {value!r}")
        out[str(key)] = number
    if bad:
        bound = f"{low:g} {'<' if strict_low else '≤'} x ≤ {high:g}"
        raise InputError(f"{name} must be finite numbers {bound}", expected=bound,
                         found="; ".join(bad), code="tender.values_out_of_range")
    return out


def _refuse(file, column, lines, found, problem, code, expected) -> None:
    if len(lines):
        cells = ", ".join(f"{column}{n}" for n in lines)
        rows = ", ".join(str(n) for n in lines)
        raise InputError(f"{problem} (rows {rows})", file=file, cell=cells, expected=expected,
                         found="; ".join(map(str, found)), code=code)
