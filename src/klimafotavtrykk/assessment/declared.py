"""Each line's unit, the plausibility of its quantity, and its quantity in the declared unit.

The first stage after matching in :func:`~klimafotavtrykk.assessment.calculate`. A line's
unit is parsed once per distinct spelling (:func:`line_units`); its quantity is checked
against what any real line can hold (:func:`implausible_lines`) and brought to its factor
row's declared unit (:func:`declared_quantities`), through a mass per unit where the two
units differ in dimension. Every step works on whole arrays.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from klimafotavtrykk._frames import by_code
from klimafotavtrykk._string_storage import one_object
from klimafotavtrykk.assemblies import line_positions
from klimafotavtrykk.assessment.lines_in import _text_column
from klimafotavtrykk.errors import PlausibilityWarning, user_stacklevel
from klimafotavtrykk.factors import FactorTable
from klimafotavtrykk.lifecycle.conversion import (
    declared_quantity,
    line_mass_per_base,
    scaled_quantity,
)
from klimafotavtrykk.lifecycle.geometry import (
    derive_dimensions,
    dimensions_may_be_read,
    nothing_derived,
)
from klimafotavtrykk.plausibility import failed_checks, implausible_masks
from klimafotavtrykk.units import unit_properties, unit_spellings
from klimafotavtrykk.vocabulary import DIMENSION_INDEX


@dataclass(frozen=True)
class LineUnits:
    """What each line's unit says, gathered per line from its distinct spelling.

    Attributes
    ----------
    dim : numpy.ndarray of int64
        Index into :data:`~klimafotavtrykk.vocabulary.DIMENSIONS`; -1 for a unit not known
        or not given.
    scale : numpy.ndarray of float
        Factor to the dimension's base unit (kg, m3, ...); NaN for a unit not known. A
        read-only array of ones where ``base``.
    base : bool
        Every line's unit is its dimension's base unit (scale 1 on every line).
    lump : numpy.ndarray of bool
        The unit is a lump sum or a percentage: no quantity of material.
    known : numpy.ndarray of bool
        The unit was recognised.
    """

    dim: np.ndarray
    scale: np.ndarray
    base: bool
    lump: np.ndarray
    known: np.ndarray


def line_units(units: pd.Series) -> LineUnits:
    """Parse each distinct spelling of ``units`` once and gather what it says per line.

    Parameters
    ----------
    units : pandas.Series
        One unit spelling per line (``str``, or missing).

    Returns
    -------
    LineUnits
    """
    ucodes, spellings = unit_spellings(units.to_numpy(dtype=object),
                                       texts=isinstance(units.dtype, pd.StringDtype))
    u_dimension, u_scale, u_known = unit_properties(spellings)  # a few spellings: plain loops
    u_dim = np.array([DIMENSION_INDEX.get(d, -1) if isinstance(d, str) else -1 for d in u_dimension],
                     dtype=np.int64)
    # every line in its dimension's base unit (kg, m3, ...): scale 1 on every line, no array
    base = (not len(ucodes) or ucodes.min() >= 0) and bool((u_scale == 1.0).all())
    u_lump = np.array([d in ("lump_sum", "percent") for d in u_dimension], dtype=bool)
    return LineUnits(
        dim=np.append(u_dim, -1)[ucodes],
        scale=(np.broadcast_to(np.float64(1.0), ucodes.shape) if base
               else np.append(u_scale, np.nan)[ucodes]),
        base=base,
        lump=by_code(u_lump, ucodes, False),  # most bills: no lump sum, every unit known
        known=by_code(np.asarray(u_known, dtype=bool), ucodes, False),
    )


def implausible_lines(items: pd.DataFrame, original: pd.DataFrame,
                      units: LineUnits) -> list[dict[str, Any]]:
    """Warn once about the lines as given whose quantity is negative or implausibly large.

    Checked on the lines as given, not on a build-up's layers: one warning per user row.

    Parameters
    ----------
    items : pandas.DataFrame
        The rows computed (a build-up expanded into its layers).
    original : pandas.DataFrame
        The lines as given.
    units : LineUnits
        Of ``items``.

    Returns
    -------
    list of dict
        One per implausible line (``row``, ``row_id``, ``source_ref``, ``check``,
        ``quantity``, ``unit``); empty where every line is plausible.

    Warns
    -----
    PlausibilityWarning
        Once, naming the first lines found.
    """
    if len(items) == len(original):  # no build-up expanded: each row is its line
        first_scale, first_dim = units.scale, units.dim
    else:
        positions = line_positions(items)  # non-decreasing: a line's first row is where it changes
        starts = np.ones(len(positions), dtype=bool)
        starts[1:] = positions[1:] != positions[:-1]
        first = np.flatnonzero(starts)
        first_scale, first_dim = units.scale[first], units.dim[first]
    negative, too_large = implausible_masks(original["quantity"].to_numpy(dtype=float),
                                            first_scale, first_dim)
    if not (negative.any() or too_large.any()):  # most bills: every line plausible
        return []
    return _warn_implausible(original, failed_checks(negative, too_large))


def declared_quantities(items: pd.DataFrame, quantity: np.ndarray, table: FactorTable,
                        fidx: np.ndarray, f: np.ndarray,
                        units: LineUnits) -> tuple[np.ndarray, pd.DataFrame]:
    """Each line's quantity in its factor row's declared unit.

    Parameters
    ----------
    items : pandas.DataFrame
        The rows computed.
    quantity : numpy.ndarray of float
        ``items["quantity"]``, in the line's own unit.
    table : FactorTable
    fidx : numpy.ndarray of int64
        Factor row of each line; -1 unmatched.
    f : numpy.ndarray of int64
        ``fidx`` with 0 for an unmatched line (a safe gather; those lines are masked later).
    units : LineUnits
        Of ``items``.

    Returns
    -------
    q_decl : numpy.ndarray of float
        [declared unit of the line's factor row]; NaN where the units cannot be brought
        together (no mass per unit known). Read only where it is ``quantity`` itself.
    derived : pandas.DataFrame
        What the descriptions gave (thickness, section, masses per metre, area or piece,
        and the audit columns ``dimension_source``, ``dimension_note``, ``conversion``).
    """
    decl_dim = table.declared_dimension.astype(np.int8)[f]  # a few dimensions: 1 byte a line
    explicit = items["thickness"].to_numpy(dtype=float)
    if dimensions_may_be_read(units.dim):
        derived = derive_dimensions(_text_column(items, "description"), fidx, units.dim, explicit,
                                    table, read_only=True)  # only read below
    else:  # no line in an area, a length or pieces (per distinct unit): nothing to read
        derived = nothing_derived(items.index)
    same_dimension = units.dim == decl_dim
    if same_dimension.all() and units.base and bool((table.declared_scale == 1.0).all()):
        # quantity * 1 / 1 (scaled_quantity) is the quantity itself: read, never written
        q_decl = quantity.view()
        q_decl.flags.writeable = False
        return q_decl, derived
    if same_dimension.all():  # every line in its factor's dimension: units scale, no mass needed
        if bool((table.declared_scale == 1.0).all()):  # x / 1.0 is x: no declared scale per line
            return quantity * units.scale, derived
        return scaled_quantity(quantity, units.scale, table.declared_scale[f]), derived
    q_decl = declared_quantity(
        quantity,
        units.scale,
        line_mass_per_base(table.mass_per_base, f, units.dim,
                           np.where(np.isnan(explicit), derived["thickness"].to_numpy(), explicit),
                           section=derived["section"].to_numpy(),
                           linear_mass=derived["linear_mass"].to_numpy(),
                           area_mass=derived["area_mass"].to_numpy(),
                           piece_area=derived["piece_area"].to_numpy(),
                           piece_length=derived["piece_length"].to_numpy(),
                           part_count=derived["part_count"].to_numpy(),
                           part_mass=derived["part_mass"].to_numpy()),
        table.declared_scale[f],
        table.mass_per_base[f, decl_dim],
        same_dimension,
    )
    return q_decl, derived


def _warn_implausible(items: pd.DataFrame, check: np.ndarray) -> list[dict[str, Any]]:
    """Warn once about lines whose quantity is implausible; list them for the result."""
    if one_object(check) and check[0] is None:  # every line plausible: no line is read
        return []
    flagged = np.flatnonzero(~pd.isna(check))  # check is None or a name
    if not len(flagged):
        return []
    refs = (items["source_ref"].to_numpy(dtype=object)[flagged] if "source_ref" in items.columns
            else np.full(len(flagged), None, dtype=object))
    refs = [ref if isinstance(ref, str) and ref.strip() else None for ref in refs]  # NaN: none
    ids = (items["row_id"].to_numpy(dtype=np.int64)[flagged] if "row_id" in items.columns
           else flagged)
    found = [{"row": int(i), "row_id": int(k), "source_ref": ref, "check": str(c), "quantity": float(q),
              "unit": u}
             for i, k, ref, c, q, u in zip(flagged, ids, refs, check[flagged],
                                           items["quantity"].to_numpy(dtype=float)[flagged],
                                           items["unit"].to_numpy(dtype=object)[flagged], strict=True)]
    counts = pd.Series(check[flagged]).value_counts().sort_index()
    # the user's row: where it was read (file, sheet, cell), else its line id
    where = ", ".join(str(r["source_ref"] or f"row {r['row_id']}") for r in found[:5])
    warnings.warn(f"{len(found)} line(s) with an implausible quantity "
                  f"({', '.join(f'{k}: {v}' for k, v in counts.items())}), e.g. {where}; "
                  "they are computed: check them (result.metadata['implausible_lines'])",
                  PlausibilityWarning, stacklevel=user_stacklevel())
    return found
