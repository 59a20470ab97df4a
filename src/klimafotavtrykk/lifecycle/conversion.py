"""Quantities in a line's unit -> the factor's declared unit, through mass where needed.

The layer rule lives here too: a line in m² with a thickness is a volume
(m² × thickness -> m³, thickness in mm -> m), and its mass is that volume ×
the density (:func:`line_mass_per_base`). So does the section rule: a line in
m with a cross-section is a volume (m × m² -> m³) × the density.
"""

from __future__ import annotations

import functools

import numpy as np

from klimafotavtrykk.vocabulary import DIMENSIONS

__all__ = ["declared_quantity", "scaled_quantity", "thickness_in_metres", "layer_area_mass", "section_line_mass",
           "piece_mass_from_area", "piece_mass_from_length", "piece_mass_from_parts",
           "line_mass_per_base"]

_AREA = DIMENSIONS.index("area")
_VOLUME = DIMENSIONS.index("volume")
_LENGTH = DIMENSIONS.index("length")
_PIECE = DIMENSIONS.index("piece")


def declared_quantity(quantity, scale, mass_per_line_base, declared_scale, mass_per_declared_base,
                      same_dimension):
    """Convert quantities to the declared unit of their factor.

    Within one dimension the unit scales convert; across dimensions the
    quantity goes through its mass (kg ÷ kg/m³ -> m³, never the reverse).

    Parameters
    ----------
    quantity : numpy.ndarray
        Quantity in the unit as written. [unit as written]
    scale : numpy.ndarray
        Base units per unit as written (1000 for tonn -> kg). [base unit]
    mass_per_line_base : numpy.ndarray
        Mass per base unit of the line's dimension (density for m³, area mass
        for m², 1 for kg); NaN when the factor gives none. [kg per base unit]
    declared_scale : numpy.ndarray
        Base units per declared unit. [base unit]
    mass_per_declared_base : numpy.ndarray
        Mass per base unit of the declared unit's dimension. [kg per base unit]
    same_dimension : numpy.ndarray of bool
        Whether line unit and declared unit share a dimension.

    Returns
    -------
    numpy.ndarray
        Quantity in declared units; NaN where no conversion exists. [declared unit]

    Examples
    --------
    47.92 kg of a product declared per m³ with density 1 800 kg/m³ is
    47.92 / 1 800 = 0.026622 m³:

    >>> round(float(declared_quantity(np.array([47.92]), np.array([1.0]), np.array([1.0]),
    ...       np.array([1.0]), np.array([1800.0]), np.array([False]))[0]), 6)
    0.026622
    """
    base = quantity * scale
    with np.errstate(invalid="ignore", divide="ignore"):
        across = base * mass_per_line_base / mass_per_declared_base
    return np.where(same_dimension, base, across) / declared_scale


def scaled_quantity(quantity, scale, declared_scale):
    """:func:`declared_quantity` of lines whose unit has the dimension of their declared unit.

    The unit scales alone convert: the same values as :func:`declared_quantity` gives such
    lines (``quantity * scale / declared_scale``), without the conversion through a mass
    that none of them takes.

    Parameters
    ----------
    quantity : numpy.ndarray
        Quantity in the unit as written. [unit as written]
    scale : numpy.ndarray
        Base units per unit as written. [base unit]
    declared_scale : numpy.ndarray
        Base units per declared unit. [base unit]

    Returns
    -------
    numpy.ndarray
        Quantity in declared units. [declared unit]

    Examples
    --------
    2.5 tonnes of a product declared per kg are 2 500 kg:

    >>> scaled_quantity(np.array([2.5]), np.array([1000.0]), np.array([1.0])).tolist()
    [2500.0]
    """
    return quantity * scale / declared_scale


def thickness_in_metres(thickness_mm):
    """Convert a layer thickness from millimetres to metres, through the unit registry.

    Parameters
    ----------
    thickness_mm : numeric
        Layer thickness. [mm]

    Returns
    -------
    numeric
        The same thickness. [m]

    Examples
    --------
    >>> float(thickness_in_metres(45.0))
    0.045
    """
    return thickness_mm * _metres_per_mm()


def layer_area_mass(thickness, density):
    """Mass per square metre of a layer: 1 m² × thickness -> m³, × density -> kg.

    Parameters
    ----------
    thickness : numeric
        Layer thickness. [m]
    density : numeric
        Density of the layer's material. [kg m⁻³]

    Returns
    -------
    numeric
        Area mass. [kg m⁻²]

    Examples
    --------
    4 cm of asphalt at 2 400 kg/m³ weighs 0.04 × 2 400 = 96 kg per m²:

    >>> float(layer_area_mass(0.04, 2400.0))
    96.0
    """
    return thickness * density


def section_line_mass(section, density):
    """Mass per metre of a bar, kerb or pipe wall: 1 m × section -> m³, × density -> kg.

    Parameters
    ----------
    section : numeric
        Cross-section area of the material. [m²]
    density : numeric
        Density of the material. [kg m⁻³]

    Returns
    -------
    numeric
        Linear mass. [kg m⁻¹]

    Examples
    --------
    A 12 x 30 cm concrete kerb at 2 400 kg/m³: 0.12 × 0.30 × 2 400 = 86.4 kg per metre:

    >>> round(float(section_line_mass(0.036, 2400.0)), 6)
    86.4
    """
    return section * density


def piece_mass_from_area(piece_area, area_mass):
    """Mass of one piece from its area: a window 1.2 × 1.4 m at 39.2 kg/m².

    Parameters
    ----------
    piece_area : numeric
        Area of one piece (width × height). [m²]
    area_mass : numeric
        Mass per square metre of the product. [kg m⁻²]

    Returns
    -------
    numeric
        Mass per piece. [kg]

    Examples
    --------
    1.2 × 1.4 = 1.68 m² at 39.2 kg/m²: 65.856 kg per window.

    >>> round(float(piece_mass_from_area(1.68, 39.2)), 3)
    65.856
    """
    return piece_area * area_mass


def piece_mass_from_length(piece_length, linear_mass):
    """Mass of one bar or column from its length: 3.2 m of a 14.41 kg/m section.

    Parameters
    ----------
    piece_length : numeric
        Length of one piece. [m]
    linear_mass : numeric
        Mass per metre. [kg m⁻¹]

    Returns
    -------
    numeric
        Mass per piece. [kg]

    Examples
    --------
    >>> round(float(piece_mass_from_length(3.2, 14.41)), 3)
    46.112
    """
    return piece_length * linear_mass


def piece_mass_from_parts(part_count, part_mass):
    """Mass of one piece counted in parts: a stair of 4 steps at 8.091 kg per step.

    Parameters
    ----------
    part_count : numeric
        Number of parts of one piece (steps, places). [-]
    part_mass : numeric
        Mass of one part. [kg]

    Returns
    -------
    numeric
        Mass per piece. [kg]

    Examples
    --------
    >>> round(float(piece_mass_from_parts(4, 8.091)), 3)
    32.364
    """
    return part_count * part_mass


def line_mass_per_base(mass_per_base, factor, line_dimension, thickness, section=None,
                       linear_mass=None, area_mass=None, piece_area=None, piece_length=None,
                       part_count=None, part_mass=None):
    """Mass per base unit of each line's own unit, with the layer and section rules.

    An area line (m²) with a thickness, of a factor with a density, gets
    :func:`layer_area_mass` as its mass per m² (asphalt: m² × m × kg/m³).
    A length line (m) with a section gets :func:`section_line_mass`, and one
    with its own linear mass (a pipe's tabulated kg/m) that mass.
    A line whose unit is of no material dimension (hours, kWh ...) has none,
    so it never converts to the factor's unit through mass.

    Parameters
    ----------
    mass_per_base : numpy.ndarray
        Shape (n_factors, len(DIMENSIONS)): mass per base unit of each
        dimension of each factor. [kg per kg, m³, m², m, piece]
    factor : numpy.ndarray of int64
        Factor row of each line (any valid row for unmatched lines).
    line_dimension : numpy.ndarray of int64
        Index into :data:`~klimafotavtrykk.vocabulary.DIMENSIONS` of each
        line's unit; -1 for a unit of another dimension.
    thickness : numpy.ndarray
        Layer thickness; NaN when not given. [m]
    section : numpy.ndarray, optional
        Material cross-section of length lines; NaN when not given. [m²]
    linear_mass : numpy.ndarray, optional
        Mass per metre of length lines, used as given; NaN when not given. [kg m⁻¹]
    area_mass : numpy.ndarray, optional
        Mass per m² of area lines, used as given (a reinforcement mesh); NaN
        when not given. [kg m⁻²]
    piece_area : numpy.ndarray, optional
        Area of one piece of piece lines (a window's w × h), times the
        factor's area mass (:func:`piece_mass_from_area`). [m²]
    piece_length : numpy.ndarray, optional
        Length of one piece of piece lines, times its mass per metre:
        ``linear_mass`` where given, else ``section`` × density
        (:func:`piece_mass_from_length`). [m]
    part_count, part_mass : numpy.ndarray, optional
        Parts of one piece of piece lines (steps, places) [-] and the mass of
        one part [kg]; where both are given they win
        (:func:`piece_mass_from_parts`).

    Returns
    -------
    numpy.ndarray
        Mass per base unit of the line's unit; NaN where unknown. [kg per base unit]
    """
    material = line_dimension >= 0
    mass = np.where(material, mass_per_base[factor, np.where(material, line_dimension, 0)], np.nan)
    layered = (line_dimension == _AREA) & ~np.isnan(thickness)
    if layered.any():
        mass = np.where(layered, layer_area_mass(thickness, mass_per_base[factor, _VOLUME]), mass)
    if section is not None:
        sectioned = (line_dimension == _LENGTH) & ~np.isnan(section)
        if sectioned.any():
            mass = np.where(sectioned, section_line_mass(section, mass_per_base[factor, _VOLUME]),
                            mass)
    # each rule below touches the lines only when some line has what it reads
    if linear_mass is not None:
        given = (line_dimension == _LENGTH) & ~np.isnan(linear_mass)
        if given.any():
            mass = np.where(given, linear_mass, mass)
    if area_mass is not None:
        given = (line_dimension == _AREA) & ~np.isnan(area_mass)
        if given.any():
            mass = np.where(given, area_mass, mass)
    piece = line_dimension == _PIECE
    if piece_area is not None:
        by_area = piece & ~np.isnan(piece_area)
        if by_area.any():
            mass = np.where(by_area, piece_mass_from_area(piece_area, mass_per_base[factor, _AREA]),
                            mass)
    if piece_length is not None and (piece & ~np.isnan(piece_length)).any():
        per_metre = np.full(len(piece_length), np.nan)
        if section is not None:
            per_metre = section_line_mass(section, mass_per_base[factor, _VOLUME])
        if linear_mass is not None:
            per_metre = np.where(np.isnan(linear_mass), per_metre, linear_mass)
        by_length = piece & ~np.isnan(piece_length) & ~np.isnan(per_metre)
        if by_length.any():
            mass = np.where(by_length, piece_mass_from_length(piece_length, per_metre), mass)
    if part_count is not None and part_mass is not None:
        by_parts = piece & ~np.isnan(part_count) & ~np.isnan(part_mass)
        if by_parts.any():
            mass = np.where(by_parts, piece_mass_from_parts(part_count, part_mass), mass)
    return mass


@functools.cache
def _metres_per_mm() -> float:
    from klimafotavtrykk.units import parse_units

    return parse_units(["mm"])["scale"].iloc[0]
