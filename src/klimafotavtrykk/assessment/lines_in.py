"""Lines as :func:`~klimafotavtrykk.calculate` reads them: canonical columns, checked.

:func:`prepare_lines` brings a user's frame to :data:`~klimafotavtrykk.vocabulary.LINE_COLUMNS`
(numbers as float64, absent columns made or deferred) and refuses what no calculation can
use, naming the line and its cell.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from klimafotavtrykk._frames import (
    COPY_ON_WRITE,
    constant_columns,
    refuse_repeated_columns,
)
from klimafotavtrykk.assemblies import (
    LAYER_COLUMNS,
)
from klimafotavtrykk.errors import (
    InputError,
    MissingColumnError,
)
from klimafotavtrykk.lifecycle.conversion import (
    thickness_in_metres,
)
from klimafotavtrykk.lifecycle.lines import Deferred
from klimafotavtrykk.vocabulary import (
    LINE_COLUMNS,
    OPTIONAL_LINE_COLUMNS,
)

_NUMERIC_LINE_COLUMNS = ("quantity", "transport_km", "waste_rate", "thickness", "thickness_mm")


def prepare_lines(lines: pd.DataFrame) -> pd.DataFrame:
    """Check a line frame and bring it to the canonical columns.

    Parameters
    ----------
    lines : pandas.DataFrame
        At least ``quantity`` and ``unit``.

    Returns
    -------
    pandas.DataFrame
        Every column of :data:`LINE_COLUMNS` (absent ones empty), numeric
        columns as float64 (text that is not a number becomes NaN and the
        line is reported, never dropped), extra columns kept, and a default
        ``row_id`` (0 .. n-1) where none was given.
    """
    return _prepared_lines(lines, defer=False)[0]


#: Line columns that, when absent, :func:`calculate` makes only where a frame shows them: it
#: reads them only as codes (all missing). Others read them as columns (``building_part``,
#: ``factor_id``: uncertainty, tender scoring), so they are made at once.
_DEFERRABLE = frozenset({"source_ref", "post_number", "item_code", "description", "transport_mode"})


def _prepared_lines(lines: pd.DataFrame, defer: bool, bookkeeping: bool = False
                    ) -> tuple[pd.DataFrame, Deferred]:
    """:func:`prepare_lines`, and with ``defer`` the absent text columns left to be made.

    Returns the lines and the :class:`~klimafotavtrykk.lifecycle.lines.Deferred` columns
    (none without ``defer``): ``deferred.complete(items)`` is ``prepare_lines(lines)``.
    With ``bookkeeping`` (for lines that have none of those names) the lines also end in
    the build-up columns (:data:`~klimafotavtrykk.assemblies.LAYER_COLUMNS`) of lines that
    are no build-up, as :func:`_layers_as_lines` gives them: made with the absent columns,
    in the same step, instead of in a frame operation of their own.
    """
    if not isinstance(lines, pd.DataFrame):
        raise InputError(f"lines must be a pandas DataFrame, got {type(lines).__name__}",
                         code="not_a_frame")
    refuse_repeated_columns(lines)
    missing = [c for c in ("quantity", "unit") if c not in lines.columns]
    if missing:
        raise MissingColumnError(f"missing columns {missing}", expected=", ".join(missing),
                                 code="missing_column")
    # with copy-on-write the caller's columns are shared, not copied: nothing here writes into them
    items = lines.copy(deep=not COPY_ON_WRITE)
    added = [c for c in (*LINE_COLUMNS, *OPTIONAL_LINE_COLUMNS) if c not in items.columns]
    layout = (*items.columns, *added)
    later = tuple(c for c in added if defer and c in _DEFERRABLE)
    items = _with_absent_columns(items, [c for c in added if c not in later], bookkeeping)
    for column in _NUMERIC_LINE_COLUMNS:
        # an added one is float64 NaN already; a float64 one given is its own number
        if column not in added and items[column].dtype != np.float64:
            items[column] = pd.to_numeric(items[column], errors="coerce").astype(float)
    # an added column is NaN on every line: no check fails on it
    waste = items["waste_rate"].to_numpy() if "waste_rate" not in added else np.empty(0)
    bad = (waste < 0) | (waste >= 1)
    if bad.any():
        at = items.index[np.flatnonzero(bad)[0]]
        raise InputError(f"waste rate must be a share in [0, 1), line {at}",
                         cell=_ref(items, at), expected="0 <= waste_rate < 1",
                         found=str(waste[np.flatnonzero(bad)[0]]), code="bad_waste_rate")
    if "thickness_mm" not in added:  # else nothing to fill from
        items["thickness"] = items["thickness"].fillna(thickness_in_metres(items["thickness_mm"]))
    thickness = (items["thickness"].to_numpy()
                 if "thickness" not in added or "thickness_mm" not in added else np.empty(0))
    if (thickness <= 0).any():
        at = items.index[np.flatnonzero(thickness <= 0)[0]]
        raise InputError(f"thickness must be positive, line {at}", cell=_ref(items, at),
                         expected="thickness > 0 [m]", code="bad_thickness")
    km = items["transport_km"].to_numpy() if "transport_km" not in added else np.empty(0)
    if (km < 0).any():
        at = items.index[np.flatnonzero(km < 0)[0]]
        raise InputError(f"transport distance cannot be negative, line {at}", cell=_ref(items, at),
                         expected="km >= 0", code="bad_transport_km")
    return items, (Deferred(layout=layout, names=later) if later else Deferred())


def _with_absent_columns(items: pd.DataFrame, names: list[str], bookkeeping: bool = False
                         ) -> pd.DataFrame:
    """``items`` with the line columns ``names`` added after its own, in that order.

    ``row_id`` numbers the lines 0 .. n-1 (int64), a numeric column is NaN (float64) and a
    text column None (object) on every line: the columns ``items[name] = value`` makes, put
    together in one step instead of one frame operation each (the NaN columns, and the None
    columns, share one array under copy-on-write: see
    :func:`~klimafotavtrykk._frames.constant_columns`). With ``bookkeeping`` the
    :data:`~klimafotavtrykk.assemblies.LAYER_COLUMNS` of lines that are no build-up follow
    (-1 and 1 as int64, None as object: what ``assign`` makes of those values), each a
    read-only view of one value, for they are only read (a build-up's lines are made anew
    by :func:`~klimafotavtrykk.assemblies.expand_layers`).
    """
    if not names and not bookkeeping:
        return items
    nan, none = constant_columns(items.index, np.nan), constant_columns(items.index)

    def absent(column: str) -> pd.Series:
        if column == "row_id":
            return pd.Series(np.arange(len(items), dtype=np.int64), index=items.index, copy=False)
        return nan() if column in _NUMERIC_LINE_COLUMNS else none()

    columns = {c: absent(c) for c in names}
    if bookkeeping:
        line, layer, sides = LAYER_COLUMNS
        shape = (len(items),)
        columns[line] = pd.Series(np.broadcast_to(np.int64(-1), shape), index=items.index,
                                  copy=False)
        columns[layer] = pd.Series(np.broadcast_to(np.array(None, dtype=object), shape),
                                   index=items.index, dtype=object, copy=False)
        columns[sides] = pd.Series(np.broadcast_to(np.int64(1), shape), index=items.index,
                                   copy=False)
    added = pd.DataFrame(columns, index=items.index, copy=False)
    return pd.concat([items, added], axis=1)


def _text_column(items: pd.DataFrame, name: str) -> pd.Series:
    """A text column of the prepared lines; a deferred one as None on every line (read only)."""
    if name in items.columns:
        return items[name]
    none = np.broadcast_to(np.array(None, dtype=object), (len(items),))  # one None, not n
    return pd.Series(none, index=items.index, dtype=object, copy=False)


def _ref(items: pd.DataFrame, at) -> str | None:
    ref = items.at[at, "source_ref"] if "source_ref" in items.columns else None
    return None if ref is None or (isinstance(ref, float) and np.isnan(ref)) else str(ref)
