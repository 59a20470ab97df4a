"""Pieces counted in parts: a stair by its steps, a wardrobe by its places.

A bill of quantities counts some items per piece and writes in the text how
many parts one piece has: ``"Utvendig trapp, impregnert tre, 4 trinn"`` (steps),
``"Garderobeskap barn, 25 plasser"`` (places). A factor row that
``data/conversions/part_masses.csv`` gives a mass per part turns such a piece
into kg: count × mass per part (:func:`counted_pieces`). The count is read once
per distinct text, and the line records the text that gave it. A factor row
with its own ``piece_mass_kg`` keeps it (the line is never asked), and a row
without a part mass never reads a count.

Counts read (a whole number of 1 to 3 digits, before the word):

- ``step``: ``4 trinn``, ``4-trinns``, ``12 inntrinn``, ``antall trinn: 4``; a
  riser or going written as a size (``opptrinn 180 mm``, ``inntrinn 280``) is no count;
- ``place``: ``25 plasser``, ``25-plassers``, ``12 garderobeplasser``,
  ``for 25 barn``; ``plasstøpt`` is no place.
"""

from __future__ import annotations

import functools
import re

import numpy as np
import pandas as pd

from klimafotavtrykk._frames import short_numbers

__all__ = ["PART_WORDS", "load_part_masses", "parse_part_counts", "counted_pieces"]

_COUNT = r"(?<![\w.,])(?P<value>\d{1,3})"
#: Regular expressions that read the count of each part kind, in the order tried.
PART_WORDS: dict[str, tuple[str, ...]] = {
    "step": (rf"(?P<text>{_COUNT}\s*-?\s*(?:inn)?trinn(?:s|et|ene)?)\b",
             rf"(?P<text>\bantall\s+trinn\s*[:=]?\s*{_COUNT})\b"),
    "place": (rf"(?P<text>{_COUNT}\s*-?\s*(?:garderobe|skap|sitte)?plass(?:er|ers|ene|en)?)\b",
              rf"(?P<text>\bfor\s+{_COUNT}\s+(?:barn|elever|brukere|personer|ansatte))\b"),
}
#: The part's name in the audit text of a line.
_PART_TEXT = {"step": ("step", "steps"), "place": ("place", "places")}


@functools.cache
def load_part_masses() -> pd.DataFrame:
    """Mass per counted part of factor rows, ``data/conversions/part_masses.csv``.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``factor_id``, with ``part`` (a key of :data:`PART_WORDS`),
        ``mass_per_part_kg`` [kg] and ``source_id``.
    """
    from klimafotavtrykk._data import data_path
    from klimafotavtrykk.errors import DataError

    raw = pd.read_csv(data_path("conversions", "part_masses.csv"))
    unknown = ~raw["part"].isin(list(PART_WORDS))
    if unknown.any():
        raise DataError(f"part {raw['part'][unknown].iloc[0]!r}; known: {list(PART_WORDS)}",
                        file="conversions/part_masses.csv", row=int(np.flatnonzero(unknown)[0]) + 2)
    mass = raw["mass_per_part_kg"].astype(float)
    if not (mass > 0).all():
        raise DataError("mass_per_part_kg must be a positive number",
                        file="conversions/part_masses.csv")
    return pd.DataFrame({"part": raw["part"].to_numpy(dtype=object), "mass_per_part_kg": mass.to_numpy(),
                         "source_id": raw["source_id"].to_numpy(dtype=object)},
                        index=pd.Index(raw["factor_id"], name="factor_id"))


def parse_part_counts(texts: pd.Series, part: str) -> pd.DataFrame:
    """Number of parts of one kind each text writes, read once per distinct text.

    Parameters
    ----------
    texts : pandas.Series
        Item texts.
    part : str
        A key of :data:`PART_WORDS` (``"step"``, ``"place"``).

    Returns
    -------
    pandas.DataFrame
        Aligned to ``texts``: ``count`` [-] (NaN where none is written) and
        ``count_source``, the fragment read (None where none).

    Examples
    --------
    >>> parse_part_counts(pd.Series(["Utvendig trapp, 4 trinn"]), "step").loc[0, "count"]
    np.float64(4.0)
    """
    codes, uniques = pd.factorize(texts.astype(object).fillna("").to_numpy())
    distinct = pd.Series(np.asarray(uniques, dtype=object), dtype=object).astype(str)
    found = pd.DataFrame({"value": pd.Series(np.nan, index=distinct.index, dtype=object),
                          "text": pd.Series(None, index=distinct.index, dtype=object)})
    for pattern in PART_WORDS[part]:  # two phrasings per part kind
        later = distinct.str.extract(pattern, flags=re.IGNORECASE)[["value", "text"]]
        missing = found["value"].isna()
        found.loc[missing] = later.loc[missing]
    count = pd.to_numeric(found["value"], errors="coerce").astype(float)
    count = count.where(count > 0)
    source = found["text"].str.strip().where(count.notna(), None)
    return pd.DataFrame({"count": count.to_numpy()[codes],
                         "count_source": source.to_numpy(dtype=object)[codes]}, index=texts.index)


def counted_pieces(texts: pd.Series, part: np.ndarray, mass_per_part: np.ndarray) -> pd.DataFrame:
    """Count and mass per part of piece lines whose factor row is counted in parts.

    Parameters
    ----------
    texts : pandas.Series
        Distinct item texts of piece lines.
    part : numpy.ndarray of object
        Part kind of each line's factor row (a key of :data:`PART_WORDS`; None
        where the row has no part mass).
    mass_per_part : numpy.ndarray
        The row's mass per part; NaN where none. [kg]

    Returns
    -------
    pandas.DataFrame
        Aligned to ``texts``: ``part_count`` [-] and ``part_mass`` [kg] (the
        row's, where the row has one; NaN otherwise), ``count_source`` (the
        fragment read), ``conversion`` (count × mass = kg per piece) and
        ``note`` (a row with a part mass whose text gives no count), None where empty.

    Examples
    --------
    A stair of 4 steps at 8.091 kg per step is 32.364 kg per piece:

    >>> out = counted_pieces(pd.Series(["Trapp, 4 trinn"]), np.array(["step"], dtype=object),
    ...                      np.array([8.091]))
    >>> round(float(out.loc[0, "part_count"] * out.loc[0, "part_mass"]), 3)
    32.364
    """
    n = len(texts)
    out = pd.DataFrame({"part_count": np.full(n, np.nan), "part_mass": np.asarray(mass_per_part, dtype=float),
                        "count_source": np.full(n, None, dtype=object),
                        "conversion": np.full(n, None, dtype=object),
                        "note": np.full(n, None, dtype=object)}, index=texts.index)
    part = pd.Series(np.asarray(part, dtype=object), index=texts.index)
    for kind, (one, many) in _PART_TEXT.items():  # two part kinds
        rows = (part == kind).to_numpy()
        if not rows.any():
            continue
        read = parse_part_counts(texts[rows], kind)
        count = read["count"].to_numpy()
        mass = out["part_mass"].to_numpy()[rows]
        out.loc[rows, "part_count"] = count
        out.loc[rows, "count_source"] = read["count_source"].to_numpy(dtype=object)
        conversion = (short_numbers(read["count"]) + f" {many} (" + read["count_source"].fillna("")
                      + ") from text × " + short_numbers(pd.Series(mass, index=read.index)) + f" kg per {one} "
                      "(data/conversions/part_masses.csv) = "
                      + short_numbers(pd.Series(count * mass, index=read.index)) + " kg per piece")
        note = ("the factor row gives " + short_numbers(pd.Series(mass, index=read.index)) + f" kg per {one}, "
                f"but the text does not say how many {many} one piece has: write it ("
                + ("4 trinn" if kind == "step" else "25 plasser") + ") or give the quantity in kg")
        has = ~np.isnan(count)
        out.loc[rows, "conversion"] = conversion.where(has, None).to_numpy(dtype=object)
        out.loc[rows, "note"] = note.where(~has, None).to_numpy(dtype=object)
    return out
