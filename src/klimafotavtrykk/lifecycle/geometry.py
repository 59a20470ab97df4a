"""What a line's description adds to its quantity: a thickness, a section or a pipe mass.

An area or length line whose factor gives a density but no mass per m² or per
metre cannot reach the factor's unit by itself. Its description often can:
``"Isolasjon 200 mm"`` is 0.2 m³ per m², ``"Lekter 36x48 mm"`` 0.001728 m³
per metre, ``"PVC SN8 Ø110"`` 1.71 kg per metre. :func:`derive_dimensions`
reads those descriptions (:func:`klimafotavtrykk.dimensions.parse_dimensions`,
once per distinct text and factor) and returns, per line, the equivalent
thickness [m], the section [m²] or the mass per metre [kg m⁻¹] that
:func:`klimafotavtrykk.lifecycle.conversion.line_mass_per_base` multiplies by
the density. The rules, in order:

- area line: an explicit ``thickness``/``thickness_mm`` column wins and this
  module is not asked; a factor with its own area mass keeps it. A timber
  factor (``material_group`` ``timber``) with a section and a c/c spacing in
  the text is a framed wall: :func:`~klimafotavtrykk.dimensions.framing_volume_per_area`
  with the plates and extras of ``data/geometry/framing.toml``. A timber
  factor with a section but no stud wall (``"Kledning 19x148"``: cladding,
  decking, panelling) is a layer of boards as thick as the section's smaller
  side (overlaps not counted). Otherwise the
  thickness read from the text, but not for a metal factor (groups ``steel``,
  ``metal``) above 10 mm: that is a profile height, not a solid layer.
- length line of a pipe factor (its group ``pipe`` or its English name says
  pipe): the mass per metre of ``data/conversions/pipe_masses.csv`` for the
  material, size and class (the manufacturer's published mass where there is
  one); else, for a plastic pipe with an outside diameter and an SDR class
  (or a ring-stiffness class that ``pipe_ring_stiffness.csv`` maps to one),
  the wall area :func:`~klimafotavtrykk.dimensions.pipe_material_area`. A plastic pipe
  whose text names no class takes its material's usual class from
  ``data/conversions/pipe_default_class.csv`` (PVC-U ground pipe: SN 8; PE cable duct: SN 8 =
  SDR 21), said in ``conversion``.
- length line of a cable factor (group ``electrical``): the metal of its conductors, count ×
  cross-section read from the text (``4x16 mm²``: 64 mm²) × the factor's density; insulation
  and sheath are not counted, and the conversion says so.
- length line of any other factor: the section read from the text
  (``12x30 cm``, ``36x48 mm``, ``140x405``); a kerb section written without a
  unit and under 100 on its larger side is in centimetres (``Kantstein 15x25``).

- area line of a steel factor (group ``steel``, declared per kg) naming a mesh
  (``Armeringsnett K131``): 2 × the K number [mm²/m] × 7850 kg/m³ per m²
  (:func:`~klimafotavtrykk.designations.mesh_area_mass`), laps not included.
- area line of a light-gauge steel factor (its id or English name says light
  gauge) naming a stud wall (the framing words of ``framing.toml``, or a c/c)
  and a profile height over 10 mm right after a stud or profile word
  (``Bindingsverk i stål, C-profil 150 mm c/c 600``; ``steel.toml``
  ``stud_height_words``): studs and tracks per m² as the timber wall (c/c, plates, extras; the
  default c/c where none is written) ×
  :func:`~klimafotavtrykk.designations.light_stud_line_mass`.
- area line of a mortar factor (group ``mortar``: screed, plaster) with no
  thickness but a range in mm (``Avretting 10-30 mm``): the mean, 20 mm, a
  reasoned default said in ``conversion``; on any other factor a range stays a
  grading.
- area line of a hollow-core factor (its id or English name says hollow core)
  naming its unit type (``Hulldekker HD 265``) and no thickness: the depth,
  265 mm, × the factor's effective density.
- length line of a steel factor naming a section: ``HEA``/``HEB``/``IPE`` by
  ``data/conversions/steel_sections.csv``, hollow ``HUP``/``KKR``/``VKR`` by
  :func:`~klimafotavtrykk.designations.hollow_section_area` and tubes
  (``CHS 219x12,5``, ``Ø219x12,5``) by
  :func:`~klimafotavtrykk.designations.circular_hollow_area`, × 7850 kg/m³.
- length line with a thickness and a height or width but no section
  (``XPS 100 mm, h=600 mm``): thickness × height.
- piece line of a factor with an area mass (windows, doors, glazing) and a
  size of two numbers ≥ 300 mm (``1200x1400``) or door modules (``M10x21``):
  w × h per piece. Piece line with a length (``L=3,2 m``) of a steel section,
  or of a section and a density (``Limtresøyle 140x140``): kg/m × length. A
  steel section without a length per piece is not computed; its note gives the
  kg/m and asks for the length (none is guessed).
- piece line of a factor with a mass per step or place
  (``data/conversions/part_masses.csv``): the count the text writes (``4 trinn``,
  ``25 plasser``) × that mass (:mod:`klimafotavtrykk.lifecycle.parts`); it wins over
  any size or length in the text; without a count the note asks for it.

A line that needed a dimension and got none says why in ``dimension_note``.
"""

from __future__ import annotations

import functools

import numpy as np
import pandas as pd

from klimafotavtrykk._frames import short_numbers
from klimafotavtrykk.designations import (
    circular_hollow_area,
    hollow_section_area,
    light_stud_line_mass,
    mesh_area_mass,
    parse_designations,
    steel_density,
    stud_height_words,
)
from klimafotavtrykk.dimensions import (
    framing_volume_per_area,
    load_framing_allowance,
    parse_dimensions,
    pipe_material_area,
    pipe_wall_thickness,
    section_area,
    thickness_m,
)
from klimafotavtrykk.lifecycle.parts import counted_pieces, load_part_masses
from klimafotavtrykk.vocabulary import DESCRIPTION_CHARS_READ, DIMENSIONS

__all__ = ["DERIVED_COLUMNS", "derive_dimensions", "dimensions_may_be_read", "nothing_derived",
           "pipe_materials", "load_pipe_masses",
           "load_ring_stiffness", "load_default_pipe_class", "load_steel_sections"]

#: Numeric columns of :func:`derive_dimensions`: ``thickness`` [m], ``section`` [m²],
#: ``linear_mass`` [kg m⁻¹], ``area_mass`` [kg m⁻²], ``piece_area`` [m²], ``piece_length`` [m],
#: ``part_count`` [-] and ``part_mass`` [kg] (a piece counted in steps or places).
_NUMERIC = ("thickness", "section", "linear_mass", "area_mass", "piece_area", "piece_length",
            "part_count", "part_mass")
#: Columns of :func:`derive_dimensions`: the numbers, then the audit texts.
DERIVED_COLUMNS: tuple[str, ...] = (*_NUMERIC, "dimension_source", "dimension_note", "conversion")

_AREA = DIMENSIONS.index("area")
_VOLUME = DIMENSIONS.index("volume")
_LENGTH = DIMENSIONS.index("length")
_PIECE = DIMENSIONS.index("piece")
_MASS = DIMENSIONS.index("mass")
#: A window or door is at least 300 mm on each side; smaller pairs are sections.
_PIECE_SIDE_MIN_MM = 300.0

#: Pipe material of a factor, read from its id and English name (first that matches).
_PIPE_MATERIALS = (
    ("pe_cable_duct", r"\bpe\b.*cable duct"),
    ("pvc_u", r"\bpvc"),
    ("pe100", r"\bpe(?:100|80)?\b|\bpe\d|polyethylene|polyolefin"),
    ("pp", r"\bpp\b|polypropylene"),
    ("concrete", r"concrete"),
    ("ductile_iron", r"ductile"),
)
_PLASTIC = ("pvc_u", "pe100", "pp", "pe_cable_duct")
#: Metal sheet and plate in a bill of quantities measured in m² is 0.4-3 mm (cladding,
#: roofing, flashing) and seldom over 10 mm; a larger "thickness" next to a metal factor
#: is a profile height (``stålstender 70 mm``, ``C-profil 150 mm``), never a solid layer.
_METAL_GROUPS = ("steel", "metal")
_SHEET_MAX_MM = 10.0
#: A cable's conductors written as count × cross-section: ``4x16 mm²``, ``3 x 240``, ``5x2,5``.
_CONDUCTORS = (r"(?P<text>(?<![\w.,])(?P<n>[1-9]\d?)\s*[xX×*]\s*(?P<a>\d+(?:[.,]\d+)?)"
               r"\s*(?:mm²|mm2|mm\^2|kvmm)?)(?![\d.,]*\s*[xX×*]\s*\d)")


@functools.cache
def load_pipe_masses() -> pd.DataFrame:
    """Mass per metre of pipe by material, size and class, ``data/conversions/pipe_masses.csv``.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``"material|size_basis|size|class"`` (``"pvc_u|outside_diameter|110|SN8"``),
        with ``linear_mass`` [kg m⁻¹], the manufacturer's published mass where
        the row gives one, else the derived one, ``mass_basis``
        (``published``/``derived``) and ``source_id``.
    """
    from klimafotavtrykk._data import data_path

    raw = pd.read_csv(data_path("conversions", "pipe_masses.csv"), dtype={"pipe_class": str})
    published = raw["published_linear_mass_kg_m"].astype(float)
    key = (raw["material"] + "|" + raw["size_basis"] + "|"
           + raw["nominal_size_mm"].astype(float).map("{:g}".format) + "|"
           + raw["pipe_class"].fillna("").str.replace(" ", "", regex=False).str.upper())
    return pd.DataFrame({
        "linear_mass": published.fillna(raw["linear_mass_kg_m"].astype(float)).to_numpy(),
        "mass_basis": np.where(published.notna(), "published", "derived"),
        "source_id": raw["source_id"].to_numpy(dtype=object),
    }, index=pd.Index(key, name="key"))


@functools.cache
def load_steel_sections() -> pd.DataFrame:
    """Mass per metre of rolled steel sections, ``data/conversions/steel_sections.csv``.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``"series|size"`` (``"HEA|260"``), with ``linear_mass``
        [kg m⁻¹] and ``source_id``.
    """
    from klimafotavtrykk._data import data_path

    raw = pd.read_csv(data_path("conversions", "steel_sections.csv"))
    key = raw["series"].str.upper() + "|" + raw["size"].astype(int).astype(str)
    return pd.DataFrame({"linear_mass": raw["linear_mass_kg_m"].astype(float).to_numpy(),
                         "source_id": raw["source_id"].to_numpy(dtype=object)},
                        index=pd.Index(key, name="key"))


@functools.cache
def load_ring_stiffness() -> pd.DataFrame:
    """SDR series of each ring-stiffness class, ``data/conversions/pipe_ring_stiffness.csv``.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``"material|SN"`` (``"pvc_u|8"``), with ``sdr`` [-] and ``source_id``.
    """
    from klimafotavtrykk._data import data_path

    raw = pd.read_csv(data_path("conversions", "pipe_ring_stiffness.csv"))
    key = raw["material"] + "|" + raw["ring_stiffness_sn"].astype(float).map("{:g}".format)
    return pd.DataFrame({"sdr": raw["sdr"].astype(float).to_numpy(),
                         "source_id": raw["source_id"].to_numpy(dtype=object)},
                        index=pd.Index(key, name="key"))


@functools.cache
def load_default_pipe_class() -> pd.DataFrame:
    """Class taken for a pipe whose text names none, ``data/conversions/pipe_default_class.csv``.

    Returns
    -------
    pandas.DataFrame
        Indexed by pipe ``material`` (``"pvc_u"``), with ``sn``, the ring-stiffness class
        assumed [kN m⁻²], and ``source_id``.
    """
    from klimafotavtrykk._data import data_path

    raw = pd.read_csv(data_path("conversions", "pipe_default_class.csv"))
    return pd.DataFrame({"sn": raw["ring_stiffness_sn"].astype(float).to_numpy(),
                         "source_id": raw["source_id"].to_numpy(dtype=object)},
                        index=pd.Index(raw["material"], name="material"))


def pipe_materials(frame: pd.DataFrame) -> np.ndarray:
    """Pipe material of each factor row; None where the row is not a pipe.

    Parameters
    ----------
    frame : pandas.DataFrame
        Factor table rows with ``material_group`` and, where present,
        ``name_en``; the index is the factor id.

    Returns
    -------
    numpy.ndarray of object
        ``pvc_u``, ``pe100``, ``pp``, ``concrete``, ``ductile_iron`` (the
        materials of ``pipe_masses.csv``), ``pe_cable_duct`` (a PE cable duct:
        its own usual class in ``pipe_default_class.csv``), ``other`` for a pipe
        of another material, None for a factor that is not a pipe.
    """
    name = frame["name_en"] if "name_en" in frame.columns else pd.Series("", index=frame.index)
    text = (pd.Series(frame.index.astype(str), index=frame.index).str.replace("_", " ")
            + " " + name.fillna("").astype(str)).str.lower()
    group = frame["material_group"] if "material_group" in frame.columns else pd.Series("", index=frame.index)
    is_pipe = (group.astype(str) == "pipe") | text.str.contains(r"\bpipes?\b", regex=True)
    out = np.full(len(frame), None, dtype=object)
    found = np.zeros(len(frame), dtype=bool)
    for material, pattern in _PIPE_MATERIALS:  # a handful of materials over the factor rows
        hit = is_pipe.to_numpy() & ~found & text.str.contains(pattern, regex=True).to_numpy()
        out[hit] = material
        found |= hit
    out[is_pipe.to_numpy() & ~found] = "other"
    return out


def derive_dimensions(descriptions: pd.Series, factor: np.ndarray, line_dimension: np.ndarray,
                      explicit_thickness: np.ndarray, table, *, read_only: bool = False
                      ) -> pd.DataFrame:
    """Thickness, section or mass per metre that each line's description gives.

    Only lines that need one are read: area lines without an explicit
    thickness and length lines, whose matched factor has a density but no
    mass per base unit of the line's dimension, or is a pipe. The
    description is parsed once per distinct (text, factor) pair.

    Parameters
    ----------
    descriptions : pandas.Series
        Item texts of the lines.
    factor : numpy.ndarray of int64
        Matched factor row of each line, -1 where unmatched.
    line_dimension : numpy.ndarray of int64
        Index into :data:`~klimafotavtrykk.vocabulary.DIMENSIONS` of each line's unit.
    explicit_thickness : numpy.ndarray
        Thickness from the line's own columns, NaN where none. [m]
    table : klimafotavtrykk.factors.FactorTable
        The factor table the lines matched.
    read_only : bool
        For a caller that only reads the frame: when no line needs a
        dimension, its columns are read-only views of one NaN and one None
        instead of arrays allocated per line (about 100 MB for 1M lines).

    Returns
    -------
    pandas.DataFrame
        Aligned to ``descriptions``: ``thickness`` [m] (area lines),
        ``section`` [m²] (length lines: material volume per metre),
        ``linear_mass`` [kg m⁻¹] (pipes with a tabulated mass), NaN where
        none; ``dimension_source`` (the text read), ``dimension_note`` (why a
        line needing a dimension got none, or what was seen and not read) and
        ``conversion`` (the rule and numbers used), None where empty.
    """
    n = len(descriptions)
    area = (line_dimension == _AREA) & np.isnan(explicit_thickness)
    length = (line_dimension == _LENGTH) | (line_dimension == _PIECE)
    if not ((factor >= 0) & (area | length)).any():  # e.g. a bill in kg and m³ only
        return _nothing_derived(n, descriptions.index, read_only)
    f = np.where(factor >= 0, factor, 0)
    density = table.mass_per_base[f, _VOLUME]
    own = table.mass_per_base[f, np.where(line_dimension >= 0, line_dimension, 0)]
    pipes = pipe_materials(table.frame)  # per factor row, a few hundred rows
    pipe = pipes[f]
    area_mass = table.mass_per_base[f, _AREA]
    piece_sized = (line_dimension == _PIECE) & ~np.isnan(area_mass)
    # a piece of a row with a mass per metre (a truss per metre of span): its length is read
    piece_long = (line_dimension == _PIECE) & ~np.isnan(table.mass_per_base[f, _LENGTH])
    # a piece of a row with a mass per step or place (parts.py): its count is read
    parts = load_part_masses().reindex(table.ids)
    part_mass = parts["mass_per_part_kg"].to_numpy(dtype=float)
    piece_parts = (line_dimension == _PIECE) & ~np.isnan(part_mass[f])
    needs = ((factor >= 0) & np.isnan(own) & (area | length)
             & (~np.isnan(density) | (pipe != None) | piece_sized | piece_long  # noqa: E711
                | piece_parts))
    if not needs.any():
        return _nothing_derived(n, descriptions.index, read_only)
    numbers = np.full((len(_NUMERIC), n), np.nan)
    texts = np.full((len(DERIVED_COLUMNS) - len(_NUMERIC), n), None, dtype=object)
    columns = dict(zip(DERIVED_COLUMNS, [*numbers, *texts], strict=True))  # views: filled in place
    at = np.flatnonzero(needs)
    # one integer key per (text, factor, dimension): cheaper than factorizing tuples
    t_codes, t_uniques = pd.factorize(descriptions.iloc[at].astype(object).fillna("").to_numpy())
    n_dim = len(DIMENSIONS) + 1
    key = (t_codes.astype(np.int64) * len(table) + f[at]) * n_dim + (line_dimension[at] + 1)
    codes, u_key = pd.factorize(key)
    u_text = pd.Series(np.asarray(t_uniques, dtype=object)[u_key // n_dim // len(table)],
                       dtype=object).str.slice(0, DESCRIPTION_CHARS_READ)  # bounded work per text
    u_f = (u_key // n_dim) % len(table)
    u_dim = u_key % n_dim - 1
    group = table.frame["material_group"] if "material_group" in table.frame.columns else None
    u_group = (np.full(len(u_f), "", dtype=object) if group is None
               else group.to_numpy(dtype=object)[u_f])
    kerb = _kerbs(table.frame)[u_f]
    steel = (u_group == "steel") & (table.declared_dimension[u_f] == _MASS)
    parsed = pd.concat([parse_dimensions(u_text), parse_designations(u_text)], axis=1)
    allowance = load_framing_allowance()
    parsed["framing_words"] = (u_text.str.contains(allowance.framing_words, case=False, regex=True)
                               .to_numpy(dtype=bool) if allowance.framing_words
                               else np.zeros(len(u_text), dtype=bool))
    conductors = u_text.str.extract(_CONDUCTORS)
    count, area = (pd.to_numeric(conductors[c].str.replace(",", ".", regex=False), errors="coerce")
                   for c in ("n", "a"))
    parsed["conductor_mm2"] = (count * area).to_numpy(dtype=float)
    parsed["conductor_text"] = conductors["text"].str.strip().to_numpy(dtype=object)
    parsed["stud_height_words"] = u_text.str.contains(stud_height_words(), case=False,
                                                      regex=True).to_numpy(dtype=bool)
    derived = _rules(parsed, u_dim, u_group, density[at][_first(codes)], pipes[u_f], kerb,
                     table.mass_per_base[u_f, _AREA], steel, _hollow_core(table.frame)[u_f],
                     steel & _light_gauge(table.frame)[u_f], table.mass_per_base[u_f, _LENGTH])
    derived = _counted(derived, u_text, np.where(u_dim == _PIECE, parts["part"].to_numpy(dtype=object)[u_f],
                                                 None), part_mass[u_f])
    for column in DERIVED_COLUMNS:
        dtype = float if column in _NUMERIC else object
        columns[column][at] = derived[column].to_numpy(dtype=dtype)[codes]
    return _derived_frame(numbers, texts, descriptions.index)


def dimensions_may_be_read(unit_dimensions) -> bool:
    """Whether lines in units of these dimensions may need a dimension read from their text.

    :func:`derive_dimensions` reads texts only for lines in an area, a length or pieces;
    asked of a bill's distinct units (a handful), not of its lines.

    Parameters
    ----------
    unit_dimensions : array-like of int
        Index into :data:`~klimafotavtrykk.vocabulary.DIMENSIONS` of each unit; -1 where unknown.

    Returns
    -------
    bool
        False when no unit is an area, a length or a piece: :func:`derive_dimensions` then
        gives :func:`nothing_derived` whatever the texts and factors.

    Examples
    --------
    >>> dimensions_may_be_read([DIMENSIONS.index("mass"), DIMENSIONS.index("volume"), -1])
    False
    >>> dimensions_may_be_read([DIMENSIONS.index("area")])
    True
    """
    return bool(np.isin(np.asarray(unit_dimensions, dtype=np.int64), (_AREA, _LENGTH, _PIECE)).any())


#: :func:`nothing_derived` per number of lines (of a default index): read-only frames of
#: two one-value blocks, the same for every call.
_NOTHING: dict[int, pd.DataFrame] = {}


def nothing_derived(index: pd.Index) -> pd.DataFrame:
    """What ``derive_dimensions(..., read_only=True)`` gives lines none of which needs a dimension.

    NaN and None on every line, in read-only columns. For an index 0 .. n-1 the frame is
    made once per ``n`` and given again: a calculation only reads it.

    Parameters
    ----------
    index : pandas.Index
        The lines' index.

    Returns
    -------
    pandas.DataFrame
        The columns :data:`DERIVED_COLUMNS`, aligned to ``index``; not to be written into.
    """
    default = (isinstance(index, pd.RangeIndex) and index.start == 0 and index.step == 1
               and index.name is None)
    if not default:
        return _nothing_derived(len(index), index, read_only=True)
    n = len(index)
    if n not in _NOTHING:
        if len(_NOTHING) >= 8:  # a few sizes at a time; never grow without bound
            _NOTHING.clear()
        _NOTHING[n] = _nothing_derived(n, pd.RangeIndex(n), read_only=True)
    return _NOTHING[n]


def _nothing_derived(n: int, index: pd.Index, read_only: bool) -> pd.DataFrame:
    """The frame of :func:`derive_dimensions` when no line needs a dimension: NaN and None.

    ``read_only``: both blocks are one value seen ``n`` times (views of
    stride 0), not ``n`` × 11 cells allocated and filled.
    """
    shape = (len(_NUMERIC), n), (len(DERIVED_COLUMNS) - len(_NUMERIC), n)
    if read_only:
        numbers = np.broadcast_to(np.float64(np.nan), shape[0])
        texts = np.broadcast_to(np.array(None, dtype=object), shape[1])
    else:
        numbers, texts = np.full(shape[0], np.nan), np.full(shape[1], None, dtype=object)
    return _derived_frame(numbers, texts, index, empty=True)


def _derived_frame(numbers: np.ndarray, texts: np.ndarray, index: pd.Index,
                   empty: bool = False) -> pd.DataFrame:
    """The columns of :func:`derive_dimensions` from its two blocks, without copying them.

    ``empty``: no text was set, so the text columns are object columns of None
    as they are (pandas need not scan them for strings).
    """
    return pd.concat([pd.DataFrame(numbers.T, index=index, columns=list(_NUMERIC), copy=False),
                      pd.DataFrame(texts.T, index=index, columns=list(DERIVED_COLUMNS[len(_NUMERIC):]),
                                   dtype=object if empty else None, copy=False)], axis=1)


def _counted(derived: pd.DataFrame, texts: pd.Series, part: np.ndarray,
             mass_per_part: np.ndarray) -> pd.DataFrame:
    """Pieces whose row has a mass per part: count × mass wins over any size the text gives."""
    derived = derived.assign(part_count=np.nan, part_mass=np.nan)
    rows = pd.notna(part)
    if not rows.any():
        return derived
    got = counted_pieces(texts[rows], part[rows], mass_per_part[rows])
    at = np.flatnonzero(rows)
    counted = at[got["part_count"].notna().to_numpy()]
    derived.iloc[at, derived.columns.get_loc("part_mass")] = got["part_mass"].to_numpy()
    derived.iloc[at, derived.columns.get_loc("part_count")] = got["part_count"].to_numpy()
    derived.iloc[counted, [derived.columns.get_loc(c) for c in ("piece_area", "piece_length")]] = np.nan
    for column, value in (("conversion", got["conversion"]), ("dimension_source", got["count_source"])):
        derived.iloc[counted, derived.columns.get_loc(column)] = value.dropna().to_numpy(dtype=object)
    uncounted = at[got["part_count"].isna().to_numpy()]
    derived.iloc[uncounted, derived.columns.get_loc("dimension_note")] = got["note"].dropna().to_numpy(
        dtype=object)
    derived.iloc[counted, derived.columns.get_loc("dimension_note")] = None
    return derived


def _first(codes: np.ndarray) -> np.ndarray:
    """Position of the first occurrence of each code 0 .. k-1."""
    _, first = np.unique(codes, return_index=True)
    return first


def _hollow_core(frame: pd.DataFrame) -> np.ndarray:
    """Whether each factor row is a hollow-core slab unit (its id or English name says so)."""
    name = frame["name_en"].fillna("") if "name_en" in frame.columns else ""
    text = pd.Series(frame.index.astype(str), index=frame.index).str.replace("_", " ") + " " + name
    return text.str.contains(r"hollow[\s-]?core", case=False, regex=True).to_numpy(dtype=bool)


def _light_gauge(frame: pd.DataFrame) -> np.ndarray:
    """Whether each factor row is light-gauge steel (its id or English name says so)."""
    name = frame["name_en"].fillna("") if "name_en" in frame.columns else ""
    text = pd.Series(frame.index.astype(str), index=frame.index).str.replace("_", " ") + " " + name
    return text.str.contains(r"light[\s-]?gauge", case=False, regex=True).to_numpy(dtype=bool)


def _kerbs(frame: pd.DataFrame) -> np.ndarray:
    """Whether each factor row is a kerb (its group, id or English name says so)."""
    name = frame["name_en"].fillna("") if "name_en" in frame.columns else ""
    text = pd.Series(frame.index.astype(str), index=frame.index) + " " + name
    group = frame["material_group"] if "material_group" in frame.columns else ""
    return ((group == "kerb") | text.str.contains("kerb", case=False)).to_numpy(dtype=bool)


def _rules(parsed: pd.DataFrame, dim: np.ndarray, group: np.ndarray, density: np.ndarray,
           pipe: np.ndarray, kerb: np.ndarray, factor_area_mass: np.ndarray,
           steel: np.ndarray, hollow_core: np.ndarray, light_gauge: np.ndarray,
           factor_linear_mass: np.ndarray) -> pd.DataFrame:
    """Apply the rules of the module docstring to distinct (text, factor, dimension) rows."""
    area = dim == _AREA
    length = dim == _LENGTH
    piece = dim == _PIECE
    timber = group == "timber"
    m = len(parsed)
    idx = parsed.index
    thickness = np.full(m, np.nan)
    section = np.full(m, np.nan)
    linear = np.full(m, np.nan)
    area_mass = np.full(m, np.nan)
    piece_area = np.full(m, np.nan)
    piece_length = np.full(m, np.nan)
    conversion = pd.Series(None, index=idx, dtype=object)
    note = pd.Series(None, index=idx, dtype=object)
    rho = short_numbers(pd.Series(density, index=idx))
    per_rho = " × density " + rho + " kg/m³"
    # kerbs are sized in cm (12x30, 15x25; data/conversions/kerb_sections.csv: 100-150 by
    # 250-300 mm): a kerb section under 10 on its larger side was written in cm
    in_cm = length & kerb & (np.fmax(parsed["section_width_mm"], parsed["section_depth_mm"]) < 100)
    parsed = parsed.assign(section_width_mm=parsed["section_width_mm"].where(~in_cm, parsed["section_width_mm"] * 10),
                           section_depth_mm=parsed["section_depth_mm"].where(~in_cm, parsed["section_depth_mm"] * 10))
    width, depth = parsed["section_width_mm"].to_numpy(), parsed["section_depth_mm"].to_numpy()
    has_section = ~np.isnan(width) & ~np.isnan(depth)
    allowance = load_framing_allowance()
    # a stud wall that names its section but no spacing takes the default c/c (framing.toml)
    default_spacing = (area & timber & has_section & np.isnan(parsed["spacing_mm"].to_numpy())
                       & parsed["framing_words"].to_numpy(dtype=bool)
                       & np.isfinite(allowance.default_spacing_mm))
    spacing = np.where(default_spacing, allowance.default_spacing_mm, parsed["spacing_mm"].to_numpy())
    spacing_text = pd.Series(np.where(default_spacing,
                                      f"{allowance.default_spacing_mm:g} mm (no c/c in the text: "
                                      "reasoned default of data/geometry/framing.toml)",
                                      (short_numbers(parsed["spacing_mm"]).fillna("").astype(str) + " mm from text").to_numpy(dtype=object)),
                             index=idx)
    section_text = short_numbers(parsed["section_width_mm"]) + "x" + short_numbers(parsed["section_depth_mm"]) + " mm"
    is_pipe = pipe != None  # noqa: E711 (object array)

    # area lines: a framed timber wall, else a thickness
    framed = area & timber & has_section & ~np.isnan(spacing)
    if framed.any():
        thickness[framed] = framing_volume_per_area(width[framed], depth[framed], spacing[framed],
                                                    allowance)
        conversion[framed] = (
            "framed wall " + section_text[framed] + " c/c " + spacing_text[framed]
            + ": (1/c/c + " + f"{allowance.plates:g} plates / {allowance.wall_height_m:g} m)"
            + f" × section × (1 + {allowance.extra_share:g}) = "
            + short_numbers(pd.Series(thickness, index=idx))[framed]
            + " m³/m² (plates and extras per data/geometry/framing.toml)" + per_rho[framed])
    mesh_area = parsed["mesh_area_mm2_m"].to_numpy()
    mesh = area & steel & ~np.isnan(mesh_area)
    area_mass[mesh] = mesh_area_mass(mesh_area[mesh])
    if mesh.any():
        conversion[mesh] = ("mesh " + parsed["designation_source"].astype(object) + " from text: "
                            + short_numbers(parsed["mesh_area_mm2_m"]) + " mm²/m each way, 2 × A × "
                            + f"{steel_density():g} kg/m³ = " + short_numbers(pd.Series(area_mass, index=idx))
                            + " kg/m² (laps not included)")[mesh]
    mm = parsed["thickness_mm"].to_numpy()
    # a hollow-core unit names its depth in its type (HD 265): the slab's gross volume per
    # m² is that depth, and the factor's density is the effective one of the hollow slab
    slab = area & hollow_core & np.isnan(mm) & ~np.isnan(parsed["slab_depth_mm"].to_numpy())
    mm = np.where(slab, parsed["slab_depth_mm"].to_numpy(), mm)
    # a screed or mortar layer written as a range (10-30 mm) is laid between those
    # thicknesses: the mean is a reasoned default, said in the audit column
    low, high = parsed["range_low_mm"].to_numpy(), parsed["range_high_mm"].to_numpy()
    screed = area & (group == "mortar") & np.isnan(mm) & ~np.isnan(high) & ~mesh
    mm = np.where(screed, (low + high) / 2.0, mm)
    # timber boards named by their section on an area line (cladding, decking, panelling:
    # "Kledning 19x148"), not a stud wall: the board's smaller side is the layer thickness
    board = area & timber & has_section & ~framed & np.isnan(mm)
    mm = np.where(board, np.fmin(width, depth), mm)
    profile = area & np.isin(group, _METAL_GROUPS) & (mm > _SHEET_MAX_MM)
    # a light steel stud wall: the profile height is the web of its studs, laid out as the
    # timber wall's (c/c, plates, extras of framing.toml; the default c/c where none is written)
    own_spacing = parsed["spacing_mm"].to_numpy()
    studs = (profile & light_gauge & ~mesh & parsed["stud_height_words"].to_numpy(dtype=bool)
             & (parsed["framing_words"].to_numpy(dtype=bool) | ~np.isnan(own_spacing)))
    studs &= ~np.isnan(own_spacing) | np.isfinite(allowance.default_spacing_mm)
    if studs.any():
        stud_cc = np.where(np.isnan(own_spacing), allowance.default_spacing_mm, own_spacing)
        # a 1000 x 1000 mm "section" turns the framing volume into metres of stud per m²
        metres = framing_volume_per_area(1000.0, 1000.0, stud_cc, allowance)
        per_metre = light_stud_line_mass(mm)
        area_mass[studs] = (metres * per_metre)[studs]
        cc_text = pd.Series(np.where(np.isnan(own_spacing),
                                     f"{allowance.default_spacing_mm:g} mm (no c/c in the text: "
                                     "reasoned default of data/geometry/framing.toml)",
                                     (short_numbers(parsed["spacing_mm"]).fillna("") + " mm from text").to_numpy(dtype=object)),
                            index=idx)
        conversion[studs] = ("light steel studs " + short_numbers(parsed["thickness_mm"]) + " mm c/c "
                             + cc_text + ": (1/c/c + " + f"{allowance.plates:g} tracks / "
                             + f"{allowance.wall_height_m:g} m) × (1 + {allowance.extra_share:g}) = "
                             + short_numbers(pd.Series(metres, index=idx)) + " m/m² × "
                             + short_numbers(pd.Series(per_metre, index=idx)) + " kg/m ((web + 2 flanges) × "
                             "sheet × density, data/geometry/steel.toml) = "
                             + short_numbers(pd.Series(area_mass, index=idx)) + " kg/m²")[studs]
    profile &= ~studs
    note[profile] = ("a metal " + short_numbers(parsed["thickness_mm"]) + " mm thick on an area line is a "
                     "profile size, not a solid layer: give the mass or a thickness column")[profile]
    layer = area & ~framed & ~np.isnan(mm) & ~profile & ~mesh & ~studs
    thickness[layer] = thickness_m(mm[layer])
    conversion[layer] = ("thickness " + short_numbers(parsed["thickness_mm"])[layer] + " mm from text"
                         + per_rho[layer])
    if slab.any():
        conversion[slab] = (parsed["designation_source"].astype(object) + " from text: slab depth "
                            + short_numbers(parsed["slab_depth_mm"]) + " mm" + per_rho
                            + " (effective density of hollow-core slab)")[slab]
    if screed.any():
        conversion[screed] = ("thickness range " + short_numbers(parsed["range_low_mm"]) + "-"
                              + short_numbers(parsed["range_high_mm"]) + " mm from text: mean "
                              + short_numbers(pd.Series(mm, index=idx)) + " mm (reasoned default)"
                              + per_rho)[screed]
    if board.any():
        conversion[board] = ("board " + section_text + " from text: its smaller side, "
                             + short_numbers(pd.Series(mm, index=idx)) + " mm, is the layer thickness "
                             "(overlaps not counted)" + per_rho)[board]
    note[area & ~framed & ~layer & ~profile & ~mesh] = "no thickness in the text"
    note[studs] = None  # the profile height was read as the studs' web

    # length lines: pipes by size and class, anything else by its section
    sections = load_steel_sections()
    series = parsed["steel_series"].astype(object)
    has_steel = (length | piece) & steel & series.notna().to_numpy()
    hollow = has_steel & ~np.isnan(parsed["hollow_t_mm"].to_numpy())
    steel_row = sections.index.get_indexer((series + "|" + parsed["steel_size"].astype(object)).fillna(""))
    rolled = has_steel & ~hollow & (steel_row >= 0)
    linear[rolled] = sections["linear_mass"].to_numpy()[steel_row[rolled]]
    if rolled.any():
        conversion[rolled] = (parsed["designation_source"].astype(object) + " from text: "
                              + short_numbers(pd.Series(linear, index=idx))
                              + " kg/m (data/conversions/steel_sections.csv)")[rolled]
    circular = (series == "CHS").to_numpy()
    hollow_area = np.where(circular,
                           circular_hollow_area(parsed["hollow_b_mm"].to_numpy(), parsed["hollow_t_mm"].to_numpy()),
                           hollow_section_area(parsed["hollow_b_mm"].to_numpy(), parsed["hollow_h_mm"].to_numpy(),
                                               parsed["hollow_t_mm"].to_numpy(), (series == "VKR").to_numpy()))
    linear[hollow] = hollow_area[hollow] * 1e-6 * steel_density()
    standard = pd.Series(np.where((series == "VKR").to_numpy(), "EN 10210-2 corner radii",
                                  np.where(circular, "π t (D − t)", "EN 10219-2 corner radii")), index=idx)
    if hollow.any():
        conversion[hollow] = (parsed["designation_source"].astype(object) + " from text: hollow section "
                              "area " + short_numbers(pd.Series(hollow_area, index=idx)) + " mm² (" + standard
                              + ") × " + f"{steel_density():g}" + " kg/m³ = "
                              + short_numbers(pd.Series(linear, index=idx)) + " kg/m")[hollow]
    steel_done = rolled | hollow
    if (has_steel & ~steel_done).any():
        note[has_steel & ~steel_done] = ("steel section " + parsed["designation_source"].astype(object)
                                         + ": not in data/conversions/steel_sections.csv")[has_steel & ~steel_done]

    pipes = length & is_pipe & ~steel_done
    if pipes.any():
        p_lin, p_sec, p_conv, p_note = _pipe_rule(parsed[pipes], pipe[pipes], density[pipes])
        linear[pipes], section[pipes] = p_lin, p_sec
        conversion[pipes], note[pipes] = p_conv, p_note
    # a cable (group electrical): the metal of its conductors, count × cross-section (4x16 mm²)
    conductor = parsed["conductor_mm2"].to_numpy(dtype=float)
    cable = length & (group == "electrical") & ~np.isnan(conductor) & ~steel_done
    section[cable] = conductor[cable] * 1e-6
    if cable.any():
        conversion[cable] = ("conductors " + parsed["conductor_text"].astype(object) + " from text = "
                             + short_numbers(pd.Series(section, index=idx)) + " m²" + per_rho
                             + " (insulation and sheath not counted)")[cable]
    solid = length & ~is_pipe & has_section & ~steel_done & ~cable
    section[solid] = section_area(width[solid], depth[solid])
    conversion[solid] = ("section " + section_text[solid] + " from text = "
                         + short_numbers(pd.Series(section, index=idx))[solid] + " m²" + per_rho[solid])
    # a layer on a length line: its thickness × its height or width (edge insulation
    # "100 mm, h=600 mm") is the section
    tall = parsed["height_mm"].to_numpy()
    strip = (length & ~is_pipe & ~has_section & ~steel_done & ~cable & ~np.isnan(mm)
             & ~np.isnan(tall))
    section[strip] = section_area(mm[strip], tall[strip])
    if strip.any():
        conversion[strip] = ("thickness " + short_numbers(parsed["thickness_mm"]) + " mm × height/width "
                             + short_numbers(parsed["height_mm"]) + " mm from text = "
                             + short_numbers(pd.Series(section, index=idx)) + " m²" + per_rho)[strip]
    note[length & ~is_pipe & ~has_section & ~steel_done & ~strip & ~cable] = "no section in the text"

    # piece lines: a window or door by its size, a bar or column by its length
    side_w = parsed["section_width_mm"].fillna(parsed["module_width_mm"]).to_numpy()
    side_h = parsed["section_depth_mm"].fillna(parsed["module_height_mm"]).to_numpy()
    sized = (piece & ~np.isnan(factor_area_mass) & (np.fmin(side_w, side_h) >= _PIECE_SIDE_MIN_MM))
    piece_area[sized] = section_area(side_w[sized], side_h[sized])
    size_text = parsed["section_width_mm"].notna().map({True: "", False: " (modules of 100 mm)"})
    if sized.any():
        conversion[sized] = (short_numbers(pd.Series(side_w, index=idx)) + "x" + short_numbers(pd.Series(side_h, index=idx))
                             + " mm" + size_text + " from text = " + short_numbers(pd.Series(piece_area, index=idx))
                             + " m² per piece × area mass " + short_numbers(pd.Series(factor_area_mass, index=idx))
                             + " kg/m²")[sized]
    long = parsed["length_mm"].to_numpy()
    bar = piece & ~sized & ~np.isnan(long) & (steel_done | (has_section & ~np.isnan(density)))
    # no section in the text, but the row gives a mass per metre (of a truss's span, a snow
    # guard's length): that mass × the piece's length
    per_metre_row = piece & ~sized & ~bar & ~np.isnan(factor_linear_mass)
    linear[per_metre_row] = factor_linear_mass[per_metre_row]
    row_metre = per_metre_row & ~np.isnan(long)
    piece_length[row_metre] = long[row_metre] / 1000.0
    if row_metre.any():
        conversion[row_metre] = ("length " + short_numbers(parsed["length_mm"]) + " mm from text × "
                                 + short_numbers(pd.Series(linear, index=idx)) + " kg/m of the factor row = "
                                 + short_numbers(pd.Series(linear * long / 1000.0, index=idx))
                                 + " kg per piece")[row_metre]
    solid_bar = bar & ~steel_done
    section[solid_bar] = section_area(width[solid_bar], depth[solid_bar])
    piece_length[bar] = long[bar] / 1000.0
    per_metre = pd.Series(np.where(steel_done, linear, section * density), index=idx)
    if bar.any():
        conversion[bar] = (conversion.fillna("section " + section_text + " from text = "
                                             + short_numbers(pd.Series(section, index=idx)) + " m²" + per_rho)
                           + "; × length " + short_numbers(parsed["length_mm"]) + " mm = "
                           + short_numbers(per_metre * long / 1000.0) + " kg per piece")[bar]
    note[piece & ~sized & ~bar & ~row_metre] = "no size or length in the text"
    unmeasured_row = per_metre_row & ~row_metre
    if unmeasured_row.any():
        note[unmeasured_row] = ("the factor row gives " + short_numbers(pd.Series(linear, index=idx))
                                + " kg/m, but no length of one piece in the text: write it"
                                " (L=3,2 m, spenn 12,4 m, 3 m lengder) or give the quantity in m"
                                " or kg")[unmeasured_row]
    # a section's mass per metre is known, but not how long one piece is: never guessed
    unmeasured = piece & ~sized & ~bar & steel_done
    if unmeasured.any():
        note[unmeasured] = (parsed["designation_source"].astype(object) + " from text = "
                            + short_numbers(pd.Series(linear, index=idx)) + " kg/m, but no length of one "
                            "piece in the text: write it (L=3,2 m) or give the quantity in m or kg"
                            )[unmeasured]

    joined = note.fillna("").str.cat(parsed["dimension_note"].fillna(""), sep="; ").str.strip("; ")
    note = joined.where(joined != "", None)
    used = np.where(piece, ~np.isnan(piece_area) | ~np.isnan(piece_length),
                    ~np.isnan(thickness) | ~np.isnan(section) | ~np.isnan(linear)
                    | ~np.isnan(area_mass))
    conversion[~used] = None
    source = parsed["dimension_source"].fillna(parsed["designation_source"])
    both = parsed["dimension_source"].notna() & parsed["designation_source"].notna()
    source[both] = (parsed["designation_source"] + "; " + parsed["dimension_source"])[both]
    return pd.DataFrame({"thickness": thickness, "section": section, "linear_mass": linear,
                         "area_mass": area_mass, "piece_area": piece_area,
                         "piece_length": piece_length,
                         "dimension_source": source.where(used, None),
                         "dimension_note": note, "conversion": conversion}, index=idx)


def _pipe_rule(parsed: pd.DataFrame, material: np.ndarray, density: np.ndarray):
    """Mass per metre or wall section of pipe lines: the table first, then geometry."""
    idx = parsed.index
    masses = load_pipe_masses()
    ring = load_ring_stiffness()
    mat = pd.Series(material, index=idx, dtype=object)
    od = parsed["diameter_mm"]
    dn = parsed["nominal_diameter_mm"]
    # a plastic pipe whose text names no class takes its material's usual class, where
    # data/conversions/pipe_default_class.csv gives one (PVC-U ground pipe: SN 8)
    usual = load_default_pipe_class()
    assumed = parsed["sdr"].isna() & parsed["sn"].isna() & mat.isin(usual.index)
    sn = parsed["sn"].where(~assumed, mat.map(usual["sn"]))
    sdr_class = "SDR" + short_numbers(parsed["sdr"])
    sn_class = "SN" + short_numbers(sn)
    klass = sdr_class.where(parsed["sdr"].notna(), sn_class)
    # a concrete pipe has no SDR or SN class: its rows carry an empty class
    klass = klass.where(klass.notna() | (mat != "concrete"), "")
    od_key = mat + "|outside_diameter|" + short_numbers(od) + "|" + klass
    dn_key = mat + "|DN|" + short_numbers(dn) + "|" + klass
    row = masses.index.get_indexer(od_key.fillna(""))
    row = np.where(row >= 0, row, masses.index.get_indexer(dn_key.fillna("")))
    listed = row >= 0
    linear = np.where(listed, masses["linear_mass"].to_numpy()[row], np.nan)
    basis = pd.Series(masses["mass_basis"].to_numpy()[row], index=idx).where(listed)
    size = ("Ø" + short_numbers(od)).where(od.notna(), "DN" + short_numbers(dn))
    conversion = pd.Series(None, index=idx, dtype=object)
    conversion[listed] = (size + (" " + klass).where(klass != "", "") + " " + mat + ": " + basis + " "
                          + short_numbers(pd.Series(linear, index=idx)) + " kg/m from "
                          "data/conversions/pipe_masses.csv")[listed]
    said = assumed.to_numpy() & listed
    conversion[said] = (conversion + " (no class in the text: " + klass
                        + " assumed, data/conversions/pipe_default_class.csv)")[said]

    # geometry: outside diameter and an SDR (given, or the ring-stiffness class's series)
    sdr = parsed["sdr"].to_numpy()
    ring_row = ring.index.get_indexer((mat + "|" + short_numbers(sn)).fillna(""))
    from_ring = np.isnan(sdr) & (ring_row >= 0)
    sdr = np.where(from_ring, ring["sdr"].to_numpy()[ring_row], sdr)
    plastic = mat.isin(_PLASTIC).to_numpy()
    geometric = ~listed & plastic & od.notna().to_numpy() & ~np.isnan(sdr) & ~np.isnan(density)
    section = np.full(len(idx), np.nan)
    wall = pipe_wall_thickness(od.to_numpy(), sdr)
    section[geometric] = pipe_material_area(od.to_numpy()[geometric], wall[geometric])
    sdr_text = "SDR " + short_numbers(pd.Series(sdr, index=idx))
    ring_text = pd.Series(np.where(from_ring, " (" + sn_class + " = " + sdr_text
                                   + ", data/conversions/pipe_ring_stiffness.csv)", ""), index=idx)
    conversion[geometric] = (
        "Ø" + short_numbers(od) + " " + sdr_text + ring_text + " from text: wall " + short_numbers(pd.Series(wall, index=idx))
        + " mm, π × (d − e) × e = " + short_numbers(pd.Series(section, index=idx)) + " m² × density "
        + short_numbers(pd.Series(density, index=idx)) + " kg/m³")[geometric]

    guessed = assumed.to_numpy() & geometric
    conversion[guessed] = (conversion + " (no class in the text: " + klass
                           + " assumed, data/conversions/pipe_default_class.csv)")[guessed]

    note = pd.Series(None, index=idx, dtype=object)
    rest = ~listed & ~geometric
    no_size = od.isna() & dn.isna()
    note[rest & no_size.to_numpy()] = "pipe: no diameter in the text"
    no_class = ~no_size & parsed["sdr"].isna() & sn.isna()
    note[rest & no_class.to_numpy()] = "pipe: no SDR or SN class in the text"
    unlisted = rest & ~no_size.to_numpy() & ~no_class.to_numpy()
    note[unlisted] = (mat + " pipe " + size + " " + klass
                      + ": not in data/conversions/pipe_masses.csv, and no wall from "
                        "an outside diameter and SDR")[unlisted]
    concrete = rest & (mat == "concrete").to_numpy() & ~no_size.to_numpy()
    note[concrete] = ("concrete pipe " + size + ": data/conversions/pipe_masses.csv has no kg/m "
                      "for concrete pipes (give linear_mass_kg_m in a factor table, or the "
                      "quantity in kg)")[concrete]
    return linear, section, conversion, note
