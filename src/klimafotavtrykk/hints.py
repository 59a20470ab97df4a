"""What a user can do about a line that was not computed.

Every unmatched line has a ``reason`` (:data:`~klimafotavtrykk.vocabulary.REASONS`);
this module adds a ``hint``: a key of :data:`HINTS` naming the fix for this
particular case, and the fields its text needs. The text itself is
presentation and lives in ``data/messages/hints.csv``
(:func:`klimafotavtrykk.messages.hint_text` renders it); the engine records
only keys and fields, so it never imports the messages.

For ``incompatible_unit`` the hint says which conversion is missing, worked out
from the line's unit dimension, the factor's declared unit and the conversion
masses the factor row has (density, area mass, linear mass, piece mass):

============================  ======================================================
case                          hint
============================  ======================================================
line unit of no material      ``unit_not_material`` (hours, days, kWh: give the
dimension                     quantity in the declared unit)
line in m², no thickness,     ``add_thickness``
factor has a density
line in m², no thickness,     ``add_density_and_thickness``
factor has no density
line in m³, or m² with a      ``add_density``
thickness; no density
line in m, no linear mass     ``add_linear_mass``
line in pieces, no piece mass ``add_piece_mass``; ``add_piece_length`` when
                              the description gives the mass per metre (a
                              steel section) but not the length of a piece;
                              ``add_part_count`` when the factor row has a
                              mass per step or place but the text no count
the line's mass is known but  ``add_density``, ``add_area_mass``,
the factor lacks the mass of  ``add_linear_mass`` or ``add_piece_mass`` by the
its own declared unit         declared unit's dimension
anything else                 ``convert_unit``
============================  ======================================================

The cases are worked out once per distinct (factor, line dimension, thickness
given) triple, never per line.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from klimafotavtrykk.factors import FactorTable
from klimafotavtrykk.vocabulary import DIMENSIONS

__all__ = ["HINTS", "HINT_COLUMNS", "unmatched_hints"]

#: Hint keys the engine emits, with what each asks the user to do (English, for analysts).
HINTS: dict[str, str] = {
    "missing_quantity": "write the quantity as a number",
    "missing_building_part": "give the line its NS 3451 building part",
    "out_of_scope": "correct the building part, or accept that the line is left out",
    "lump_sum": "give a physical quantity if the line is material",
    "labour_only": "write that the line delivers material, or give factor_id",
    "assembly": "name the material and size of the layer that failed, or split the line",
    "unknown_unit": "write a known unit, or add the spelling to data/units/aliases.csv",
    "unknown_factor": "check the factor id, or add the factor to a factor table",
    "no_factor": "give factor_id, an alias row or a factor table of one's own",
    "indicator_not_accepted": "use a factor declared in an indicator the profile accepts",
    "unknown_transport_mode": "use a mode of the transport-mode table",
    "unit_not_material": "give the quantity in an amount of material",
    "add_thickness": "give the layer thickness on the line",
    "add_density_and_thickness": "add a density to the factor and a thickness to the line",
    "add_density": "add density_kg_m3 to the factor",
    "add_area_mass": "add area_mass_kg_m2 to the factor",
    "add_linear_mass": "add linear_mass_kg_m to the factor",
    "add_piece_mass": "add piece_mass_kg to the factor",
    "add_piece_length": "write the length of one piece in the description (L=3,2 m)",
    "add_part_count": "write how many steps or places one piece has (4 trinn, 25 plasser)",
    "convert_unit": "give the quantity in the factor's declared unit",
}

#: Columns :func:`unmatched_hints` returns: the key and the fields its text may use.
HINT_COLUMNS: tuple[str, ...] = ("hint", "hint_factor", "hint_declared_unit", "hint_indicator",
                                 "hint_accepted")

_MASS, _VOLUME, _AREA, _LENGTH, _PIECE = (DIMENSIONS.index(d) for d in
                                          ("mass", "volume", "area", "length", "piece"))
#: The hint that asks for the mass of one base unit of each dimension.
_ADD_MASS = {_VOLUME: "add_density", _AREA: "add_area_mass", _LENGTH: "add_linear_mass",
             _PIECE: "add_piece_mass"}
#: Reasons whose hint key is the reason itself.
_SAME = ("missing_quantity", "missing_building_part", "out_of_scope", "lump_sum", "labour_only", "assembly",
         "unknown_unit", "unknown_factor", "no_factor", "indicator_not_accepted",
         "unknown_transport_mode")


def unmatched_hints(reason: np.ndarray, factor_idx: np.ndarray, line_dimension: np.ndarray,
                    thickness_given: np.ndarray, table: FactorTable, given_factor_id,
                    accepted_indicators: Sequence[str] = (),
                    per_metre_given: np.ndarray | None = None,
                    per_part_given: np.ndarray | None = None) -> pd.DataFrame:
    """Hint key and text fields for each line not computed.

    Parameters
    ----------
    reason : numpy.ndarray of object
        Reason of each unmatched line (a key of ``REASONS``).
    factor_idx : numpy.ndarray of int64
        Factor row each line found; -1 where none.
    line_dimension : numpy.ndarray of int64
        Index into :data:`~klimafotavtrykk.vocabulary.DIMENSIONS` of each
        line's unit; -1 for a unit of no material dimension or an unknown one.
    thickness_given : numpy.ndarray of bool
        Whether the line carries a layer thickness.
    table : FactorTable
        The factor table matched against.
    given_factor_id : array-like of object
        ``factor_id`` as written on each line (None where none).
    accepted_indicators : sequence of str
        Indicators the profile accepts.
    per_metre_given : numpy.ndarray of bool, optional
        Whether the description gives the line's mass per metre (a steel
        section such as ``HUP 100x100x5``); a line in pieces with it lacks
        only the length of one piece (``add_piece_length``).
    per_part_given : numpy.ndarray of bool, optional
        Whether the line's factor row gives a mass per step or place; a line
        in pieces with it lacks only the count (``add_part_count``).

    Returns
    -------
    pandas.DataFrame
        One row per line, the columns of :data:`HINT_COLUMNS`: ``hint`` (a
        key of :data:`HINTS`; None for a reason without one),
        ``hint_factor`` (the factor found, or the id asked for),
        ``hint_declared_unit`` and ``hint_indicator`` of that factor, and
        ``hint_accepted`` (the accepted indicators, for
        ``indicator_not_accepted`` only).
    """
    reason = np.asarray(reason, dtype=object)
    factor_idx = np.asarray(factor_idx, dtype=np.int64)
    n = len(reason)
    found = factor_idx >= 0
    f = np.where(found, factor_idx, 0)
    hint = np.full(n, None, dtype=object)
    for name in _SAME:  # a dozen reasons
        hint[reason == name] = name
    bad_unit = np.flatnonzero(reason == "incompatible_unit")
    if len(bad_unit):
        hint[bad_unit] = _conversion_hints(f[bad_unit], np.asarray(line_dimension)[bad_unit],
                                           np.asarray(thickness_given, dtype=bool)[bad_unit], table)

    if per_metre_given is not None:
        lacks_length = ((hint == "add_piece_mass") & np.asarray(per_metre_given, dtype=bool)
                        & (np.asarray(line_dimension) == _PIECE))
        hint[lacks_length] = "add_piece_length"
    if per_part_given is not None:
        lacks_count = ((hint == "add_piece_mass") & np.asarray(per_part_given, dtype=bool)
                       & (np.asarray(line_dimension) == _PIECE))
        hint[lacks_count] = "add_part_count"

    given = pd.Series(np.asarray(given_factor_id, dtype=object), dtype=object)
    ids = table.ids.to_numpy(dtype=object)[f]
    units = table.frame["declared_unit"].to_numpy(dtype=object)[f]
    factor = np.where(found, ids, given.where(given.notna(), None).to_numpy(dtype=object))
    indicator = np.where(found, table.indicator[f], None)
    accepted = np.where(reason == "indicator_not_accepted", ", ".join(accepted_indicators), None)
    return pd.DataFrame({"hint": hint, "hint_factor": factor,
                         "hint_declared_unit": np.where(found, units, None),
                         "hint_indicator": indicator, "hint_accepted": accepted})


def _conversion_hints(factor: np.ndarray, line_dim: np.ndarray, thick: np.ndarray,
                      table: FactorTable) -> np.ndarray:
    """Which conversion is missing, once per distinct (factor, line dimension, thickness given)."""
    keys = np.stack([factor, line_dim, thick.astype(np.int64)], axis=1)
    distinct, inverse = np.unique(keys, axis=0, return_inverse=True)
    f, dim, has_thickness = distinct[:, 0], distinct[:, 1], distinct[:, 2].astype(bool)
    masses = table.mass_per_base[f]  # (k, len(DIMENSIONS)); NaN = no such mass
    declared = table.declared_dimension[f]
    rows = np.arange(len(f))
    density = ~np.isnan(masses[:, _VOLUME])
    line_mass = (~np.isnan(masses[rows, np.where(dim >= 0, dim, _MASS)])
                 | ((dim == _AREA) & has_thickness & density))  # the layer rule
    declared_mass = ~np.isnan(masses[rows, declared])

    out = np.full(len(f), "convert_unit", dtype=object)
    need_declared = (dim >= 0) & line_mass & ~declared_mass
    for d, key in _ADD_MASS.items():  # four dimensions
        out[need_declared & (declared == d)] = key
        out[(dim == d) & ~line_mass] = key
    area = (dim == _AREA) & ~line_mass
    out[area & has_thickness & ~density] = "add_density"
    out[area & ~has_thickness & density] = "add_thickness"
    out[area & ~has_thickness & ~density] = "add_density_and_thickness"
    out[dim < 0] = "unit_not_material"
    return out[inverse.reshape(-1)]
