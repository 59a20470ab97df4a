"""Product designations written in a description: steel sections, mesh names, door modules.

:mod:`klimafotavtrykk.dimensions` reads lengths and thicknesses and skips type
names; this module reads the type names that themselves give a size or a mass:

- steel sections ``HEA 260``, ``HEB 240``, ``IPE 300`` (series and nominal
  height, for a lookup in ``data/conversions/steel_sections.csv``) and hollow
  sections ``HUP 150x150x8``, ``KKR 100x100x5``, ``VKR 120x80x6`` (``b x h x t``
  [mm], for :func:`hollow_section_area`); ``RHS``/``SHS`` are read as ``KKR``;
- circular hollow sections and steel tubes ``CHS 219,1x12,5``, ``Ø219x12,5``
  (outside diameter x wall [mm], for :func:`circular_hollow_area`), series
  ``CHS``; a diameter without a wall (``Ø16``, ``Ø110``) is no section;
- hollow-core slab units ``HD 265``, ``HD/F 320``: the number is the slab depth
  [mm];
- reinforcement mesh ``K131``, ``K189``: the Norwegian mesh name is the
  steel area per metre in each direction [mm² m⁻¹] (``K131`` = Ø5 c/c 150:
  π/4 × 5² / 0.150 = 130.9 mm²/m);
- door and window modules ``M10x21``: modules of 100 mm, 1.0 × 2.1 m.

Every reader works on the distinct texts only (:func:`parse_designations`).
"""

from __future__ import annotations

import functools

import numpy as np
import pandas as pd

from klimafotavtrykk._regex_literals import contains, first_match, may_match, texts_index

__all__ = ["DESIGNATION_COLUMNS", "parse_designations", "hollow_section_area",
           "circular_hollow_area", "mesh_area_mass", "steel_density", "light_stud_line_mass",
           "stud_height_words"]

#: Columns of :func:`parse_designations`.
DESIGNATION_COLUMNS: tuple[str, ...] = (
    "steel_series", "steel_size", "hollow_b_mm", "hollow_h_mm", "hollow_t_mm",
    "mesh_area_mm2_m", "module_width_mm", "module_height_mm", "slab_depth_mm",
    "designation_source",
)



@functools.cache
def _steel_geometry() -> dict:
    """The numbers of ``data/geometry/steel.toml``, read once."""
    import tomllib

    from klimafotavtrykk._data import data_path

    with open(data_path("geometry", "steel.toml"), "rb") as fh:
        return tomllib.load(fh)


def steel_density() -> float:
    """Density of steel for calculated section masses, ``data/geometry/steel.toml`` [kg m⁻³]."""
    return float(_steel_geometry()["density_kg_m3"])


def stud_height_words() -> str:
    """Regular expression of a stud's web height in a text, ``data/geometry/steel.toml``.

    A size counts as a web height only right after a stud or profile word
    (``C-profil 150 mm``, ``stålstender 70 mm``), so a board's thickness on a
    line that names its studs (``plater 38 mm på stålstendere``) is not one.
    """
    return str(_steel_geometry()["stud_height_words"])


def light_stud_line_mass(web_mm):
    """Mass per metre of a cold-formed C stud from its web height.

    The strip the stud is rolled from is the web plus two flanges wide; its
    thickness and the flange width are those of ``data/geometry/steel.toml``
    (``stud_flange_mm``, ``stud_sheet_mm``: the nominal drywall stud of
    EN 14195), × :func:`steel_density`. The small return lips are left out.

    Parameters
    ----------
    web_mm : numeric
        Web height of the stud, the size it is named by (``C-profil 150``). [mm]

    Returns
    -------
    numeric
        Linear mass. [kg m⁻¹]

    Examples
    --------
    A 150 mm stud: (150 + 2 × 50) mm × 0.6 mm × 7 850 kg/m³ = 1.1775 kg/m.

    >>> round(float(light_stud_line_mass(150.0)), 4)
    1.1775
    """
    raw = _steel_geometry()
    strip_mm = web_mm + 2.0 * float(raw["stud_flange_mm"])
    return strip_mm * float(raw["stud_sheet_mm"]) * 1e-6 * steel_density()


_NUM = r"\d+(?:[.,]\d+)?"
_ROLLED = r"(?P<text>\b(?P<series>HEA|HEB|HEM|IPE)\s*-?\s*(?P<size>\d{2,4})\b)"
_HOLLOW = (rf"(?P<text>\b(?P<series>HUP|KKR|VKR|RHS|SHS)\s*-?\s*(?P<b>{_NUM})\s*[x*]\s*"
           rf"(?P<h>{_NUM})\s*[x*]\s*(?P<t>{_NUM})(?:\s*mm\b)?)")
_CIRCULAR = (rf"(?P<text>(?:\bCHS\s*-?\s*|(?<!\w)[Øø]\s*)(?P<d>{_NUM})\s*[x*]\s*(?P<t>{_NUM})"
             r"(?![\d.,]*\s*[x*]\s*\d)(?:\s*mm\b)?)")
_SLAB = r"(?P<text>\bHD\s*(?:/\s*F)?\s*-?\s*(?P<depth>\d{3})\b)"
_MESH = r"(?P<text>\bK\s*-?\s*(?P<area>\d{3})\b)"
_MODULE = r"(?P<text>\bM\s*(?P<w>\d{1,2})\s*[x*]\s*(?P<h>\d{1,2})\b)"
_MESH_CONTEXT = r"armering|nett"
_SERIES_ALIAS = {"RHS": "KKR", "SHS": "KKR"}


def parse_designations(descriptions: pd.Series) -> pd.DataFrame:
    """Steel sections, mesh names and door modules written in each description.

    Parameters
    ----------
    descriptions : pandas.Series
        Item texts; missing texts give empty rows.

    Returns
    -------
    pandas.DataFrame
        Aligned to ``descriptions.index`` with :data:`DESIGNATION_COLUMNS`:
        ``steel_series`` (``HEA`` ... ``KKR``, ``VKR``) and ``steel_size``
        (``"260"``) as text, ``hollow_b_mm``, ``hollow_h_mm``, ``hollow_t_mm``
        [mm], ``mesh_area_mm2_m`` [mm² m⁻¹] (only where the text names
        reinforcement or a net), ``module_width_mm``, ``module_height_mm``
        [mm] and ``designation_source``, the fragment read; NaN/None where none.

    Examples
    --------
    >>> row = parse_designations(pd.Series(["Dør M10x21"])).iloc[0]
    >>> float(row["module_width_mm"]), float(row["module_height_mm"])
    (1000.0, 2100.0)
    """
    codes, uniques = pd.factorize(descriptions.astype(object).where(descriptions.notna(), None))
    text = pd.Series(uniques, dtype=object).astype(str).str.replace("×", "x", regex=False)
    out = pd.DataFrame(index=text.index)
    index = texts_index(text)  # a pattern is tried only on the texts that hold its words
    rolled = _first(text, index, _ROLLED)
    hollow = _first(text, index, _HOLLOW)
    circular = _first(text, index, _CIRCULAR)
    is_hollow = hollow["text"].notna()
    is_circular = circular["text"].notna() & ~is_hollow & rolled["text"].isna()
    out["steel_series"] = hollow["series"].str.upper().replace(_SERIES_ALIAS).where(
        is_hollow, rolled["series"].str.upper()).where(~is_circular, "CHS")
    out["steel_size"] = (hollow["b"] + "x" + hollow["h"] + "x" + hollow["t"]).where(
        is_hollow, rolled["size"]).where(~is_circular, circular["d"] + "x" + circular["t"])
    for column, group in (("hollow_b_mm", "b"), ("hollow_h_mm", "h"), ("hollow_t_mm", "t")):
        out[column] = _number(hollow[group])
    for column, group in (("hollow_b_mm", "d"), ("hollow_h_mm", "d"), ("hollow_t_mm", "t")):
        out[column] = out[column].where(~is_circular, _number(circular[group]))
    mesh = _first(text, index, _MESH)
    steel_net = contains(text, may_match(index, _MESH_CONTEXT), _MESH_CONTEXT)
    out["mesh_area_mm2_m"] = _number(mesh["area"]).where(steel_net)
    module = _first(text, index, _MODULE)
    out["module_width_mm"] = _number(module["w"]) * 100.0
    out["module_height_mm"] = _number(module["h"]) * 100.0
    slab = _first(text, index, _SLAB)
    out["slab_depth_mm"] = _number(slab["depth"])
    source = hollow["text"].where(is_hollow, rolled["text"]).where(~is_circular, circular["text"])
    source = (source.fillna(mesh["text"].where(steel_net)).fillna(module["text"])
              .fillna(slab["text"]))
    out["designation_source"] = source.str.strip()
    result = out.reindex(codes)
    result.index = descriptions.index
    for column in ("steel_series", "steel_size", "designation_source"):
        result[column] = result[column].astype(object).where(result[column].notna(), None)
    return result


def hollow_section_area(b_mm, h_mm, t_mm, hot_finished):
    """Cross-section area of a square or rectangular hollow section, rounded corners included.

    ``A = 2t(b + h − 2t) − (4 − π)(ro² − ri²)`` with the corner radii the
    standards use for calculated properties (``data/geometry/steel.toml``):
    cold-formed (EN 10219-2 [1]_) ``ro = 2t`` for ``t ≤ 6 mm``, ``2.5t`` for
    ``6 < t ≤ 10 mm``, ``3t`` above, with ``ri = ro − t``, and hot-finished
    (EN 10210-2 [2]_) ``ro = 1.5t``, ``ri = t``.

    Parameters
    ----------
    b_mm, h_mm : numeric
        Outside width and height. [mm]
    t_mm : numeric
        Wall thickness. [mm]
    hot_finished : numeric of bool
        True for hot-finished sections (``VKR``), False for cold-formed
        (``HUP``, ``KKR``).

    Returns
    -------
    numeric
        Steel area. [mm²]

    References
    ----------
    .. [1] EN 10219-2:2006, Annex B, corner radii for calculation; quoted in
       b2bmetal.eu, "Rectangular structural hollow sections of EN 10219",
       http://www.b2bmetal.eu/en/pages/index/index/id/94/ (r1 = 2.0t, 2.5t, 3.0t).
    .. [2] EN 10210-2:2006, Annex B: ro = 1.5t, ri = 1.0t for calculation.

    Examples
    --------
    Cold-formed 100x100x5: ro = 10, ri = 5 mm,
    2·5·(200 − 10) − (4 − π)(100 − 25) = 1900 − 64.38 = 1835.6 mm²
    (tables: 18.4 cm², 14.4 kg/m).

    >>> round(float(hollow_section_area(100, 100, 5, False)), 1)
    1835.6
    """
    g = _steel_geometry()
    t = np.asarray(t_mm, dtype=float)
    band = np.searchsorted(np.asarray(g["cold_formed_radius_bands_mm"], dtype=float), t, side="left")
    cold = np.asarray(g["cold_formed_outer_radius_t"], dtype=float)[band] * t
    ro = np.where(hot_finished, float(g["hot_finished_outer_radius_t"]) * t, cold)
    ri = np.where(hot_finished, float(g["hot_finished_inner_radius_t"]) * t, ro - t)
    return 2 * t * (b_mm + h_mm - 2 * t) - (4 - np.pi) * (ro ** 2 - ri ** 2)


def circular_hollow_area(d_mm, t_mm):
    """Cross-section area of a circular hollow section or steel tube.

    ``A = π t (D − t)`` for outside diameter ``D`` and wall ``t``, the
    formula EN 10219-2 and EN 10210-2 use for calculated properties [1]_.

    Parameters
    ----------
    d_mm : numeric
        Outside diameter. [mm]
    t_mm : numeric
        Wall thickness. [mm]

    Returns
    -------
    numeric
        Steel area. [mm²]

    References
    ----------
    .. [1] EN 10219-2:2006 and EN 10210-2:2006, sectional properties of
       circular hollow sections.

    Examples
    --------
    Ø219 x 12.5: π × 12.5 × 206.5 = 8109.25 mm², × 7850 kg/m³ = 63.66 kg/m.

    >>> round(float(circular_hollow_area(219, 12.5)), 1)
    8109.2
    """
    return np.pi * t_mm * (d_mm - t_mm)


def mesh_area_mass(area_mm2_m, density=None):
    """Mass per square metre of a mesh with the same steel area in both directions.

    Each direction holds ``A`` mm² of bar per metre width, i.e. ``A × 10⁻⁶`` m³
    of steel per m² of mesh; both directions give ``2 A × 10⁻⁶ × ρ``. Laps are
    not included.

    Parameters
    ----------
    area_mm2_m : numeric
        Steel area per metre in each direction (the K number). [mm² m⁻¹]
    density : numeric, optional
        Steel density; default :func:`steel_density`. [kg m⁻³]

    Returns
    -------
    numeric
        Mass per mesh area. [kg m⁻²]

    Examples
    --------
    K131 (Ø5 c/c 150): 2 × 131 × 10⁻⁶ × 7850 = 2.0567 kg/m².

    >>> round(float(mesh_area_mass(131)), 4)
    2.0567
    """
    return 2.0 * area_mm2_m * 1e-6 * (steel_density() if density is None else density)


def _first(text: pd.Series, index, pattern: str) -> pd.DataFrame:
    """Named groups of the first match in each text (searched where it may match)."""
    return first_match(text, may_match(index, pattern), pattern)


def _number(column: pd.Series) -> pd.Series:
    """Numbers with a decimal comma or point; NaN where missing."""
    return pd.to_numeric(column.str.replace(",", ".", regex=False), errors="coerce").astype(float)
