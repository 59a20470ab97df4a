"""Dimensions written in a bill-of-quantities description.

Norwegian bills of quantities write the sizes that turn an area or a length
into a volume or a mass in the item text: ``"Gipsplater 13 mm"``,
``"Bindingsverk 48x198 mm c/c 600"``, ``"PE100 SDR11 Ø110"``,
``"Kantstein 12 x 30 cm"``. :func:`parse_dimensions` reads them once per
distinct description and says which text gave which number; the derived
geometry (:func:`thickness_m`, :func:`stud_volume_per_area`,
:func:`framing_volume_per_area`) turns them into the quantities the engine
multiplies by. An explicit column on the line (``thickness``,
``thickness_mm``) always wins over a parsed value: :func:`fill_thickness`.

Reading rules
-------------
Numbers take a decimal comma or point (``2,5 mm``, ``0.15 mm``); ``cm`` is
read as 10 mm; a number without a unit is millimetres where a unit is
optional. The text is read in this order, and each match is taken out of the
text before the next rule looks at it, so that a number is read once:

1. Steel profile and element designations (``HEB 240``, ``IPE 300``,
   ``VKR 100x100x5``, ``HD 265``) are type names, never dimensions.
   Strength and product classes (``B30``, ``C24``, ``GL30c``, ``M60``,
   ``PE100``) carry no length unit and are never read either.
   A piece's length ``L=3,2 m``, ``lengde 3200 mm``, ``spenn 12,4 m``
   (a beam's or truss's span), or ``3 m lengder`` (unit required) (``length_mm``) and a
   second cross size ``h=600 mm``, ``høyde 600``, ``bredde 1,2 m``
   (``height_mm``) are read next; without a unit a value below 10 is metres.
2. Spacing: ``c/c 600``, ``cc600``, ``c-c 600 mm``, ``senteravstand 600``;
   ``c/c 0,6 m``. A spacing written without a unit and below 10 is metres
   (``c/c 0,6``), otherwise millimetres.
3. Diameters: ``DN400``, ``DN 400`` (nominal, ``nominal_diameter_mm``);
   ``Ø110``, ``ø 110``, ``OD 110``, ``d110`` (``diameter_mm``: the outside
   diameter of plastic pipes, the diameter as written for anything else,
   e.g. ``Ø1000 kum`` a manhole); pressure class ``SDR11``, ``SDR 17`` and
   ring stiffness ``SN8``, ``SN 4``.
4. Ranges ``a-b`` and ``a/b`` (``0-150 mm``, ``16-32 mm``, ``Fk 0/32``) are
   grading fractions or tolerances, never a thickness; they are named in
   ``dimension_note``. The first range written with ``mm``/``cm`` is kept in
   ``range_low_mm``/``range_high_mm``: the engine reads it as a thickness
   range on a screed or mortar line only.
5. ``a + b mm`` is one build-up of two layers: the thickness is the sum.
6. ``a x b`` (also ``a*b``, ``a × b``) with a unit or none: a count of
   layers when ``a`` is a whole number from 1 to 4 (``2x13 mm`` gypsum is
   two 13 mm layers, 26 mm), otherwise a section, width × depth
   (``48x198``, ``12 x 30 cm`` kerb: 120 mm × 300 mm).
7. ``tykkelse 500 mm``, ``t = 0,5 m``: a thickness named as one; it wins
   over every other number in mm.
8. Any other ``n mm`` or ``n cm`` is a thickness. ``"2 lag"`` (also
   ``to``/``tre``/``fire lag``) multiplies it (``2 lag 13 mm`` = 26 mm), but
   never a thickness already written as layers (rule 6). ``hver side`` and
   ``begge sider`` are not multiplied: the thickness stays per side and the
   note says so. Several different thicknesses that none of the rules above
   combine (``13 mm ... 15 mm``), or a build-up of rule 5 or 6 beside another
   thickness (``2x13 mm gips ..., 100 mm mineralull``), leave the thickness
   empty, with a note; but a build-up equal to the one stated thickness
   restates it (``Steinull 200 mm (2x100)`` is 200 mm). In a
   pipe line (the text names ``SDR`` or ``SN``, or its first word ends in
   ``rør`` or ``ledning``, as ``Spillvannsrør``, not ``Rørisolasjon``) without an explicit diameter the one ``n mm`` is
   the outside diameter, not a thickness.

Thousands written with a space (``DN 1 200``) are not read.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from klimafotavtrykk._regex_literals import contains, first_match, may_match, texts_index

__all__ = [
    "DIMENSION_COLUMNS",
    "FramingAllowance",
    "parse_dimensions",
    "thickness_m",
    "stud_volume_per_area",
    "plate_volume_per_area",
    "framing_volume_per_area",
    "section_area",
    "pipe_wall_thickness",
    "pipe_material_area",
    "fill_thickness",
    "load_framing_allowance",
]

#: Numeric columns returned by :func:`parse_dimensions`, all [mm] but ``sdr`` and ``sn`` [-].
#: ``length_mm`` is a piece's length (``L=3,2 m``), ``height_mm`` a second cross size
#: (``h=600 mm``, ``bredde 1,2 m``), ``range_*_mm`` the ends of a range written with a unit.
DIMENSION_COLUMNS: tuple[str, ...] = (
    "thickness_mm",
    "section_width_mm",
    "section_depth_mm",
    "spacing_mm",
    "diameter_mm",
    "nominal_diameter_mm",
    "sdr",
    "sn",
    "length_mm",
    "height_mm",
    "range_low_mm",
    "range_high_mm",
)

_NUM = r"\d+(?:[.,]\d+)?"
_FREE = r"(?<![\w.,])"  # a number that does not continue a word or another number
_CUT = " ¤ "            # what a read fragment is replaced by

_PROFILE = (r"\b(?:HEA|HEB|HEM|IPE|INP|UNP|UPE|HUP|VKR|KKR|RHS|SHS|CHS|HD)\s*-?\s*\d+"
            r"(?:\s*[x*]\s*\d+(?:[.,]\d+)?)*(?:\s*mm\b)?")
_SPACING = (r"(?P<text>(?:\bc\s*/\s*c|\bc-c|\bcc|\bsenteravstand|\bsenter\s+avstand)\s*:?\s*"
            rf"(?P<value>{_NUM})\s*(?P<unit>mm|cm|m)?\b)")
_DN = rf"(?P<text>\bDN\s*(?P<value>{_NUM})(?:\s*mm\b)?)"
_DIAMETER = (rf"(?P<text>(?:(?<!\w)[Øø]|\bOD|(?<![\w.,])(?-i:d)(?=\d))\s*(?P<value>{_NUM})"
             r"(?:\s*mm\b)?)")
_SDR = rf"(?P<text>\bSDR\s*-?\s*(?P<value>{_NUM}))"
_SN = rf"(?P<text>\bSN\s*-?\s*(?P<value>{_NUM}))"
_RANGE = rf"(?P<text>{_FREE}{_NUM}\s*[-/]\s*{_NUM}(?:\s*(?:mm|cm)\b)?)"
_SUM = (rf"(?P<text>{_FREE}(?P<a>{_NUM})\s*(?P<ua>mm|cm)?\s*\+\s*(?P<b>{_NUM})\s*"
        r"(?P<unit>mm|cm)\b)")
_CROSS = (rf"(?P<text>{_FREE}(?P<a>{_NUM})\s*[x*]\s*(?P<b>{_NUM})(?:\s*(?P<unit>mm|cm|m)\b)?)"
          r"(?!\s*[x*]\s*\d)(?![\d.,]\d)")
_NAMED = (r"(?P<text>(?:\btykkelse|\btykk|\bt\s*=)\s*:?\s*(?:ca\.?\s*)?"
          rf"(?P<value>{_NUM})\s*(?P<unit>mm|cm|m)\b)")
_LENGTH = (r"(?P<text>(?:\bL\s*=|\blengde\s*=?)\s*:?\s*(?:ca\.?\s*)?"
           rf"(?P<value>{_NUM})\s*(?P<unit>mm|cm|m)?\b)")
# read only where no L= or lengde is written: a span ("spenn 12,4 m"), and the value
# before the word with its unit ("3 m lengder", "i 6 m lengde")
_SPAN = (r"(?P<text>\bspenn(?:vidde)?\s*=?\s*:?\s*(?:ca\.?\s*)?"
         rf"(?P<value>{_NUM})\s*(?P<unit>mm|cm|m)?\b)")
_LENGTH_BEFORE = (rf"(?P<text>{_FREE}(?P<value>{_NUM})\s*(?P<unit>mm|cm|m)\s+lengde(?:r|n)?\b)")
_HEIGHT = (r"(?P<text>(?:\bh\s*=|\bhøyde\s*=?|\bbredde\s*=?)\s*:?\s*(?:ca\.?\s*)?"
           rf"(?P<value>{_NUM})\s*(?P<unit>mm|cm|m)?\b)")
_UNIT_RANGE = (rf"(?P<text>{_FREE}(?P<low>{_NUM})\s*-\s*(?P<high>{_NUM})\s*"
               r"(?P<unit>mm|cm)\b)")
_PLAIN = rf"(?P<text>{_FREE}(?P<value>{_NUM})\s*(?P<unit>mm|cm)\b)"
_LAYERS = r"(?P<text>(?:(?<![\w.,])(?P<digit>[1-4])\s*-?\s*|\b(?P<word>to|tre|fire)\s+)lag\b)"
_SIDES = r"\b(?:hver\s+side|begge\s+sider)\b"
_PIPE = r"\bSDR\s*-?\s*\d|\bSN\s*-?\s*\d|^\W*\w*(?:rør|ledning)(?:er|en|ene)?\b"

_MM_PER = {"mm": 1.0, "cm": 10.0, "m": 1000.0}
_WORD_LAYERS = {"to": 2.0, "tre": 3.0, "fire": 4.0}


def parse_dimensions(descriptions: pd.Series) -> pd.DataFrame:
    """Dimensions written in each description, read once per distinct text.

    Parameters
    ----------
    descriptions : pandas.Series
        Item texts; missing or blank texts give empty rows.

    Returns
    -------
    pandas.DataFrame
        Aligned to ``descriptions.index``, with the float columns of
        :data:`DIMENSION_COLUMNS`: ``thickness_mm``, ``section_width_mm``,
        ``section_depth_mm``, ``spacing_mm``, ``diameter_mm``,
        ``nominal_diameter_mm`` [mm] and ``sdr``, ``sn`` [-], NaN where the
        text gives none; ``dimension_source``, the fragments that gave them
        (``"48x198 mm; c/c 600"``), and ``dimension_note``, what was seen but
        not read (grading ranges, conflicting thicknesses), both None where
        empty. The reading rules are in the module docstring.

    Examples
    --------
    >>> float(parse_dimensions(pd.Series(["Gipsplater 2x13 mm"])).loc[0, "thickness_mm"])
    26.0
    """
    codes, uniques = pd.factorize(descriptions.astype(object).where(descriptions.notna(), None))
    texts = pd.Series(uniques, dtype=object).astype(str)
    with_digit = np.flatnonzero(texts.str.contains(r"\d", regex=True).to_numpy(dtype=bool))
    parsed = _parse_unique(texts.iloc[with_digit]).reindex(texts.index)  # no digit: nothing to read
    out = parsed.reindex(codes)  # code -1 (missing text) -> an empty row
    out.index = descriptions.index
    for column in ("dimension_source", "dimension_note"):
        out[column] = out[column].astype(object).where(out[column].notna(), None)
    return out


def _parse_unique(texts: pd.Series) -> pd.DataFrame:
    """:func:`parse_dimensions` on distinct texts (vectorised string operations)."""
    text = (texts.str.replace("×", "x", regex=False).str.replace("⌀", "Ø", regex=False)
            .str.replace(r"[–—−]", "-", regex=True).str.replace(r"\s+", " ", regex=True))
    n = len(text)
    out = pd.DataFrame({c: np.full(n, np.nan) for c in DIMENSION_COLUMNS}, index=texts.index)
    if n == 0:
        return out.assign(dimension_source=pd.Series(dtype=object),
                          dimension_note=pd.Series(dtype=object))
    sources: dict[str, pd.Series] = {}
    notes: list[pd.Series] = []
    index = texts_index(text)  # which texts each pattern can match at all
    pipe = _contains(text, index, _PIPE)
    sides = _contains(text, index, _SIDES)

    text = _cut(text, index, _PROFILE)

    for column, pattern in (("length_mm", _LENGTH), ("height_mm", _HEIGHT)):
        found = _first(text, index, pattern)
        if column == "length_mm":
            for fallback in (_SPAN, _LENGTH_BEFORE):
                text = _cut(text, index, pattern)
                later = _first(text, index, fallback)
                missing = found["value"].isna()
                found.loc[missing] = later.loc[missing]
                pattern = fallback
        # without a unit: metres below 10 (L=3,2), else millimetres (h=600)
        size = _number(found["value"])
        unit = found["unit"].map(_MM_PER).fillna(pd.Series(np.where(size < 10, 1000.0, 1.0),
                                                           index=text.index))
        out[column] = size * unit
        sources[column] = found["text"]
        text = _cut(text, index, pattern)

    spacing = _first(text, index, _SPACING)
    value = _number(spacing["value"])
    metres = spacing["unit"].eq("m") | (spacing["unit"].isna() & (value < 10))
    factor = np.where(metres, 1000.0, spacing["unit"].map(_MM_PER).fillna(1.0))
    out["spacing_mm"] = value * factor
    sources["spacing_mm"] = spacing["text"]
    text = _cut(text, index, _SPACING)

    for column, pattern in (("nominal_diameter_mm", _DN), ("diameter_mm", _DIAMETER),
                            ("sdr", _SDR), ("sn", _SN)):
        found = _first(text, index, pattern)
        out[column] = _number(found["value"])
        sources[column] = found["text"]
        text = _cut(text, index, pattern)

    unit_range = _first(text, index, _UNIT_RANGE)
    range_unit = unit_range["unit"].map(_MM_PER)
    out["range_low_mm"] = _number(unit_range["low"]) * range_unit
    out["range_high_mm"] = _number(unit_range["high"]) * range_unit
    ranges = _all(text, index, _RANGE)
    notes.append(_join(ranges["text"], "range {} read as a grading, not a thickness"))
    text = _cut(text, index, _RANGE)

    summed = _first(text, index, _SUM)
    unit_b = summed["unit"].map(_MM_PER)
    unit_a = summed["ua"].map(_MM_PER).fillna(unit_b)
    sum_mm = _number(summed["a"]) * unit_a + _number(summed["b"]) * unit_b
    text = _cut(text, index, _SUM)

    cross = _first(text, index, _CROSS)
    a, b = _number(cross["a"]), _number(cross["b"])
    cross_mm = cross["unit"].map(_MM_PER).fillna(1.0)
    is_layers = cross["a"].str.fullmatch(r"[1-4]").fillna(False).astype(bool)
    is_section = cross["text"].notna() & ~is_layers
    out["section_width_mm"] = (a * cross_mm).where(is_section)
    out["section_depth_mm"] = (b * cross_mm).where(is_section)
    layered_mm = (a * b * cross_mm).where(is_layers)
    section_source = cross["text"].where(is_section)
    text = _cut(text, index, _CROSS)

    named = _first(text, index, _NAMED)
    named_mm = _number(named["value"]) * named["unit"].map(_MM_PER)
    text = _cut(text, index, _NAMED)

    plain = _all(text, index, _PLAIN)
    plain_mm = _number(plain["value"]) * plain["unit"].map(_MM_PER)
    by_text = plain_mm.groupby(level=0)
    distinct = by_text.nunique().reindex(text.index, fill_value=0)
    one_mm = by_text.first().reindex(text.index)
    plain_text = _joined(plain["text"], "; ").reindex(text.index)
    # a pipe line without an explicit diameter: its one size in mm is the diameter
    as_diameter = pipe & out["diameter_mm"].isna() & out["nominal_diameter_mm"].isna() & (distinct == 1)
    out["diameter_mm"] = out["diameter_mm"].where(~as_diameter, one_mm)
    plain_diameter = plain_text.where(as_diameter)
    single = (distinct == 1) & ~as_diameter
    several = distinct > 1

    layers = _first(text, index, _LAYERS)
    count = _number(layers["digit"]).fillna(layers["word"].str.lower().map(_WORD_LAYERS))

    thickness = named_mm.copy()
    source = named["text"].copy()
    # a build-up (2x13 mm, 50 + 50 mm) beside another plain thickness names two layers
    # of different materials ("2x13 mm gips ..., 100 mm mineralull"): none is read
    plain_left = (distinct > 0) & ~as_diameter
    built = layered_mm.notna() | sum_mm.notna()
    rest = thickness.isna() & ~plain_left
    thickness = thickness.where(~rest, layered_mm)
    source = source.where(~(rest & layered_mm.notna()), cross["text"] + " (layers)")
    rest = thickness.isna() & ~plain_left
    thickness = thickness.where(~rest, sum_mm)
    source = source.where(~(rest & sum_mm.notna()), summed["text"])
    # a build-up equal to the one stated thickness ("200 mm (2x100)") restates it
    built_mm = layered_mm.fillna(sum_mm)
    restated = thickness.isna() & single & built & np.isclose(built_mm, one_mm)
    thickness = thickness.where(~restated, one_mm)
    build_text = cross["text"].where(layered_mm.notna(), summed["text"]).str.strip()
    source = source.where(~restated, plain_text + " (= " + build_text + ")")
    built = built & ~restated
    rest = thickness.isna() & single & ~built
    times = count.where(rest & count.notna())
    thickness = thickness.where(~rest, one_mm * times.fillna(1.0))
    source = source.where(~rest, plain_text.where(times.isna(),
                                                  plain_text + " x " + layers["text"]))
    out["thickness_mm"] = thickness
    thickness_source = source
    notes.append(plain_text.where(several & ~built & thickness.isna()).map(
        "several thicknesses ({}): none read".format, na_action="ignore"))
    mixed = built & plain_left & thickness.isna()
    build_up = cross["text"].where(layered_mm.notna(), summed["text"])
    notes.append((build_up.str.strip() + "; " + plain_text).where(mixed).map(
        "several thicknesses ({}): none read".format, na_action="ignore"))
    notes.append(pd.Series(np.where(sides & thickness.notna(), "thickness is per side", None),
                           index=text.index, dtype=object))

    order = [thickness_source, section_source, sources["spacing_mm"], sources["length_mm"],
             sources["height_mm"], plain_diameter,
             *(sources[c] for c in ("diameter_mm", "nominal_diameter_mm", "sdr", "sn"))]
    out["dimension_source"] = _join_columns(order, text.index)
    out["dimension_note"] = _join_columns(notes, text.index)
    return out


def _candidates(text: pd.Series, index, pattern: str) -> np.ndarray | None:
    """Positions of the texts ``pattern`` may match; None: all.

    ``index`` is :func:`~klimafotavtrykk._regex_literals.texts_index`'s of the
    texts this parse started from; ``text`` is the same texts, perhaps with
    fragments cut out (``_CUT`` in their place).
    """
    return may_match(index if index is not None and index.n == len(text) else None, pattern,
                     cut=_CUT)


def _contains(text: pd.Series, index, pattern: str) -> pd.Series:
    """Whether ``pattern`` occurs in each text (case-insensitive)."""
    return contains(text, _candidates(text, index, pattern), pattern)


def _cut(text: pd.Series, index, pattern: str) -> pd.Series:
    """Take every match of ``pattern`` out of the texts."""
    at = _candidates(text, index, pattern)
    if at is None:
        return text.str.replace(pattern, _CUT, case=False, regex=True)
    out = text.copy()
    out.iloc[at] = text.iloc[at].str.replace(pattern, _CUT, case=False, regex=True).to_numpy()
    return out


def _first(text: pd.Series, index, pattern: str) -> pd.DataFrame:
    """Named groups of the first match of ``pattern`` in each text (NaN where none)."""
    return first_match(text, _candidates(text, index, pattern), pattern)


def _all(text: pd.Series, index, pattern: str) -> pd.DataFrame:
    """Named groups of every match, indexed by (text, match)."""
    at = _candidates(text, index, pattern)
    found = (text if at is None else text.iloc[at]).str.extractall(pattern, flags=re.IGNORECASE)
    if found.empty:  # extractall then loses the group names
        names = list(re.compile(pattern).groupindex)
        return pd.DataFrame(columns=names, index=pd.MultiIndex.from_arrays([[], []]), dtype=object)
    return found


def _number(column: pd.Series) -> pd.Series:
    """Read numbers written with a decimal comma or point; NaN where missing."""
    return pd.to_numeric(column.str.replace(",", ".", regex=False), errors="coerce").astype(float)


def _join(fragments: pd.Series, template: str) -> pd.Series:
    """Per text, ``template`` filled with its fragments joined by ``", "``."""
    if fragments.empty:
        return pd.Series(dtype=object)
    grouped = _joined(fragments.str.strip(), ", ")
    return grouped.map(template.format)


def _joined(fragments: pd.Series, sep: str) -> pd.Series:
    """Per text (the first index level), its fragments joined by ``sep`` in their order.

    What ``fragments.groupby(level=0).agg(sep.join)`` gives, the same Series,
    without a Python call per text through pandas' group machinery (most of
    the parse on a bill whose texts are all distinct).
    """
    codes, texts = pd.factorize(fragments.index.get_level_values(0), sort=True)
    order = np.argsort(codes, kind="stable")
    values = fragments.to_numpy(dtype=object)[order]
    bounds = np.flatnonzero(np.diff(codes[order])) + 1
    joined = [sep.join(part) for part in np.split(values, bounds)] if len(values) else []
    return pd.Series(joined, index=pd.Index(texts), dtype=fragments.dtype, name=fragments.name)


def _join_columns(parts: list[pd.Series], index: pd.Index) -> pd.Series:
    """Fragments per text joined by ``"; "``, None where there are none."""
    joined = pd.Series("", index=index, dtype=object)
    for part in parts:  # one step per kind of fragment, over all texts at once
        fragment = part.reindex(index).astype(object).str.strip()
        has = fragment.notna() & (fragment != "")
        joined = joined.where(~has, joined.where(joined == "", joined + "; ") + fragment)
    return joined.where(joined != "", None).astype(object)


def thickness_m(thickness_mm):
    """Thickness in metres.

    Parameters
    ----------
    thickness_mm : numeric
        Thickness. [mm]

    Returns
    -------
    numeric
        The same thickness. [m]
    """
    return thickness_mm / 1000.0


def stud_volume_per_area(width_mm, depth_mm, spacing_mm):
    """Volume of studs per square metre of framed wall, top and bottom plates not included.

    One stud stands in every spacing width, so a square metre of wall holds
    ``1 / spacing`` metres of stud whatever its height [1]_; its volume is
    that length times the section.

    Parameters
    ----------
    width_mm, depth_mm : numeric
        Stud section, e.g. 48 and 198. [mm]
    spacing_mm : numeric
        Centre-to-centre spacing (c/c). [mm]

    Returns
    -------
    numeric
        Timber volume per wall area, which is also the equivalent thickness of
        the studs. [m³ m⁻²]

    References
    ----------
    .. [1] klimafotavtrykk reference notes, ``coverage_data.md`` section 6,
       "Timber framing (stud walls)": studs ``1/s`` m per m², a reasoned
       calculation (no published rule found).

    Examples
    --------
    1 050 m² of 48x198 studs at c/c 600: 1050 × 0.048 × 0.198 / 0.6 = 16.632 m³.

    >>> round(1050 * stud_volume_per_area(48, 198, 600), 3)
    16.632
    """
    return (width_mm / 1000.0) * (depth_mm / 1000.0) / (spacing_mm / 1000.0)


def plate_volume_per_area(width_mm, depth_mm, wall_height_m, plates):
    """Volume of horizontal plates (sills and top plates) per square metre of wall.

    Each plate runs the length of the wall, so a wall of height ``h`` holds
    ``plates / h`` metres of plate per square metre [1]_.

    Parameters
    ----------
    width_mm, depth_mm : numeric
        Plate section, taken equal to the stud section. [mm]
    wall_height_m : numeric
        Storey height of the framed wall. [m]
    plates : numeric
        Number of plates in the height: 2 for one sill and one top plate, 3
        with a double top plate. [-]

    Returns
    -------
    numeric
        Timber volume per wall area. [m³ m⁻²]

    References
    ----------
    .. [1] ``coverage_data.md`` section 6: plates ``n / h`` m per m².
    """
    return plates * (width_mm / 1000.0) * (depth_mm / 1000.0) / wall_height_m


def framing_volume_per_area(width_mm, depth_mm, spacing_mm, allowance: FramingAllowance):
    """Timber volume per square metre of stud wall: studs, plates and extras.

    ``(1/s + n/h) × b × d × (1 + extra)`` [1]_.

    Parameters
    ----------
    width_mm, depth_mm : numeric
        Stud section. [mm]
    spacing_mm : numeric
        Centre-to-centre spacing. [mm]
    allowance : FramingAllowance
        Plates, wall height and the extra share for openings, corners and
        noggings (:func:`load_framing_allowance` gives the shipped defaults).

    Returns
    -------
    numeric
        Timber volume per wall area. [m³ m⁻²]

    References
    ----------
    .. [1] ``coverage_data.md`` section 6, table "48×198, s 0.6, h 2.4,
       2 plates": 0.0238 m³/m² without extras, 0.0273 with 15 %.
    """
    studs = stud_volume_per_area(width_mm, depth_mm, spacing_mm)
    plates = plate_volume_per_area(width_mm, depth_mm, allowance.wall_height_m, allowance.plates)
    return (studs + plates) * (1.0 + allowance.extra_share)


def section_area(width_mm, depth_mm):
    """Cross-section area of a solid section, i.e. its volume per metre of length.

    Parameters
    ----------
    width_mm, depth_mm : numeric
        Section read from the description (kerb ``12 x 30 cm``: 120 and 300). [mm]

    Returns
    -------
    numeric
        Area, equal to the volume per running metre. [m² = m³ m⁻¹]

    Examples
    --------
    100 m of 12 x 30 cm kerb: 100 × 0.12 × 0.30 = 3.6 m³.

    >>> round(100 * section_area(120, 300), 6)
    3.6
    """
    return (width_mm / 1000.0) * (depth_mm / 1000.0)


def pipe_wall_thickness(diameter_mm, sdr):
    """Wall thickness of a plastic pipe from its outside diameter and SDR class.

    The standard dimension ratio is the outside diameter over the wall
    thickness, ``SDR = d / e`` [1]_, so ``e = d / SDR``.

    Parameters
    ----------
    diameter_mm : numeric
        Outside diameter. [mm]
    sdr : numeric
        Standard dimension ratio. [-]

    Returns
    -------
    numeric
        Nominal wall thickness. [mm]

    References
    ----------
    .. [1] ISO 4065:2018 Thermoplastics pipes -- Universal wall thickness
       table (definition of SDR as nominal outside diameter over nominal wall
       thickness).
    """
    return diameter_mm / sdr


def pipe_material_area(diameter_mm, wall_mm):
    """Area of a pipe wall's cross-section: its material volume per metre of pipe.

    ``π (d − e) e`` for outside diameter ``d`` and wall ``e``; times the
    material's density this is the pipe's mass per metre.

    Parameters
    ----------
    diameter_mm : numeric
        Outside diameter. [mm]
    wall_mm : numeric
        Wall thickness. [mm]

    Returns
    -------
    numeric
        Wall area, equal to the material volume per running metre. [m² = m³ m⁻¹]

    Examples
    --------
    Ø110 SDR 11: e = 10 mm, π × 0.100 × 0.010 = 0.0031416 m² per metre.

    >>> round(float(pipe_material_area(110, pipe_wall_thickness(110, 11))), 7)
    0.0031416
    """
    return np.pi * ((diameter_mm - wall_mm) / 1000.0) * (wall_mm / 1000.0)


@dataclass(frozen=True)
class FramingAllowance:
    """What a stud wall holds besides its studs.

    Attributes
    ----------
    plates : float
        Horizontal plates in the wall height. [-]
    wall_height_m : float
        Storey height the plates are spread over. [m]
    extra_share : float
        Extra timber for openings, corners, junctions and noggings, as a share
        of studs and plates. [-]
    sources : dict
        ``source_id`` per field.
    default_spacing_mm : float
        Stud spacing taken when a framing line gives a section but no c/c;
        NaN means none is taken. [mm]
    framing_words : str
        Regular expression a line must match to be a stud wall when its
        spacing is taken by default.
    """

    plates: float
    wall_height_m: float
    extra_share: float
    sources: dict
    default_spacing_mm: float = float("nan")
    framing_words: str = ""

    def __post_init__(self):
        """Check that the numbers can describe a wall."""
        from klimafotavtrykk.errors import DataError

        if not (self.plates >= 0 and self.wall_height_m > 0 and 0 <= self.extra_share < 1):
            raise DataError("framing allowance needs plates >= 0, wall height > 0 and "
                            "0 <= extra share < 1", file="geometry/framing.toml")


@functools.cache
def load_framing_allowance() -> FramingAllowance:
    """Load the shipped framing allowance, ``data/geometry/framing.toml``."""
    import tomllib

    from klimafotavtrykk._data import data_path

    with open(data_path("geometry", "framing.toml"), "rb") as fh:
        raw = tomllib.load(fh)
    return FramingAllowance(plates=float(raw["plates"]), wall_height_m=float(raw["wall_height_m"]),
                            extra_share=float(raw["extra_share"]), sources=dict(raw["sources"]),
                            default_spacing_mm=float(raw.get("default_spacing_mm", "nan")),
                            framing_words=str(raw.get("framing_words", "")))


def fill_thickness(thickness, thickness_mm, parsed: pd.DataFrame) -> pd.Series:
    """Layer thickness per line: explicit columns first, then the description.

    Parameters
    ----------
    thickness : pandas.Series
        Thickness column of the lines, NaN where not given. [m]
    thickness_mm : pandas.Series
        Thickness in millimetres, used where ``thickness`` is empty. [mm]
    parsed : pandas.DataFrame
        :func:`parse_dimensions` of the same lines.

    Returns
    -------
    pandas.Series
        Thickness, NaN where neither the columns nor the description give one.
        It came from the description exactly where both columns were empty and
        the result is not. [m]
    """
    explicit = thickness.astype(float).fillna(thickness_m(thickness_mm.astype(float)))
    return explicit.fillna(thickness_m(parsed["thickness_mm"]))
