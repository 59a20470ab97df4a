"""Per-line results on request: the frame of one row per computed line, built when first read.

A calculation needs only totals per module and building part, which the
kernel (:func:`~klimafotavtrykk.lifecycle.engine.totals_by_group`) gets by
binning quantities per factor row. The per-line frame (about 30 columns, one
row per line) costs more than the whole calculation on a large bill of
quantities, so :class:`LineResults` keeps what it needs (arrays the
calculation made anyway) and :class:`LazyFrame` builds it when
``result.lines`` is first read, once.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from klimafotavtrykk._frames import constant_columns, filled, taken, typed
from klimafotavtrykk._string_storage import one_object, python_strings
from klimafotavtrykk.assemblies import LAYER_COLUMNS, fold_layers
from klimafotavtrykk.factors import FactorTable
from klimafotavtrykk.vocabulary import MODULES, TOTAL_MODULES

__all__ = ["LineResults", "LazyFrame", "Deferred", "any_layer"]

_TOTAL = [MODULES.index(m) for m in TOTAL_MODULES]
_AUDIT = ("dimension_source", "dimension_note", "conversion")


@dataclass(frozen=True)
class Deferred:
    """Line columns the input lacked, None on every line, made only when a frame shows them.

    The calculation reads such a column only as "every line missing"; making it is 100k
    references to None per 100k lines, about 3.6 ms per million lines each. The per-line
    frame and the unmatched lines show them, each at the place it would have had.

    Attributes
    ----------
    layout : tuple of str
        Every column of the prepared lines, in order (the deferred ones included).
    names : tuple of str
        The deferred columns, in that order.
    """

    layout: tuple[str, ...] = ()
    names: tuple[str, ...] = ()

    def complete(self, frame: pd.DataFrame, none=None) -> pd.DataFrame:
        """``frame`` with the deferred columns made (None on every row), each at its place.

        ``frame`` holds the other columns of :attr:`layout` first, in order, and may hold
        more after them (the build-up bookkeeping). ``frame`` itself is not changed.
        ``none``, a :func:`~klimafotavtrykk._frames.constant_columns` of the frame's index, gives
        the columns (shared under copy-on-write); without it each is made.
        """
        if not self.names:
            return frame
        frame = frame.copy(deep=False)
        for name in self.names:  # in layout order: the columns before each are in place
            frame.insert(self.layout.index(name), name, None if none is None else none())
        return frame


@dataclass(frozen=True)
class LineResults:
    """What the per-line frame of a calculation is built from.

    Attributes
    ----------
    items : pandas.DataFrame
        The prepared lines, a build-up expanded to one row per layer
        (:func:`~klimafotavtrykk.assemblies.expand_layers`).
    original : pandas.DataFrame
        The prepared lines as given (a build-up is one row).
    ok : numpy.ndarray of bool
        Rows of ``items`` that are computed.
    factor : numpy.ndarray of int64
        Factor row of each computed row.
    method : numpy.ndarray of object
        Match method of each computed row.
    row : numpy.ndarray of int64
        Row of ``intensities`` of each computed row.
    quantity : numpy.ndarray
        Quantity of each computed row in its factor's declared unit. [declared unit]
    intensities : numpy.ndarray
        Module intensities, shape (rows, len(MODULES)). [kg CO2e per declared unit]
    replacements : numpy.ndarray
        Replacements of each intensity row in the study period. [-]
    table : FactorTable
        The factor table the rows index.
    audit : pandas.DataFrame
        ``dimension_source``, ``dimension_note`` and ``conversion`` per row of ``items``
        (read by name: the frame may hold other columns too).
    deferred : Deferred
        Line columns ``items`` and ``original`` lack (None on every line), made in the frame.
    """

    items: pd.DataFrame
    original: pd.DataFrame
    ok: np.ndarray
    factor: np.ndarray
    method: np.ndarray
    row: np.ndarray
    quantity: np.ndarray
    intensities: np.ndarray
    replacements: np.ndarray
    table: FactorTable
    audit: pd.DataFrame
    deferred: Deferred = Deferred()  # noqa: RUF009 (frozen, immutable: one shared default)

    def count(self) -> int:
        """Rows the frame will have: computed lines, a build-up counted once."""
        line = self.items[LAYER_COLUMNS[0]].to_numpy(dtype=np.int64)[self.ok]
        return int((line < 0).sum() + len(np.unique(line[line >= 0])))

    @python_strings
    def frame(self) -> pd.DataFrame:
        """One row per computed line, as :attr:`klimafotavtrykk.Assessment.lines` describes.

        Returns
        -------
        pandas.DataFrame
            The input columns, the factor's id, name, source, indicator and
            declared unit, ``match_method``, ``declared_quantity``, ``mass``
            [kg], ``replacements``, the audit columns, one column per module
            and ``kg_co2e`` [kg CO2e]; a build-up folded into its line.

        Notes
        -----
        Each new column is made once, in the type pandas would give it
        (:func:`~klimafotavtrykk._frames.typed_take`: a factor's text is typed
        per factor row, not per line), and the frame is put together from
        whole columns: no column is scanned, converted or copied again.
        """
        ok = self.ok
        every = bool(ok.all())  # then the lines are taken as they are (shared, copy on write)
        items = self.items if every else self.items.loc[ok]
        per_line = _modules_and_total(self.row, self.quantity, self.intensities)
        detail_names = [*MODULES, "kg_co2e"]
        layered = any_layer(items[LAYER_COLUMNS[0]].to_numpy(dtype=np.int64))
        if (layered or not items.columns.is_unique or not len(items)
                or items.columns.isin([*detail_names, "layers"]).any()):
            return self._frame_by_steps(items, self._added_columns(), per_line, layered)
        index = pd.RangeIndex(len(items))
        none = constant_columns(index)  # the columns of None on every line share one array
        columns = {name: _column(values, index) for name, values in self._added_columns(none).items()}
        given = self.deferred.complete(items.drop(columns=list(LAYER_COLUMNS)).set_axis(index, axis=0),
                                       none)
        replaced = [name for name in columns if name in given.columns]  # e.g. factor_id, in place
        if replaced:
            given = given.assign(**{name: columns.pop(name) for name in replaced})
        layers = none().rename("layers")
        return pd.concat([given, pd.DataFrame(columns, index=index, copy=False),
                          pd.DataFrame(per_line, columns=detail_names, index=index, copy=False),
                          layers], axis=1)

    def _added_columns(self, none=None) -> dict[str, Any]:
        """The factor, match and audit columns of the computed rows, each typed once.

        ``none`` (see :meth:`Deferred.complete`) gives the columns that are None on every
        row as Series of the frame's index; without it they are arrays.
        """
        ok, f, table = self.ok, self.factor, self.table
        if none is None:
            none = lambda: filled(len(f), None)  # noqa: E731
        source = table.frame
        per_factor = _PerFactor(len(table), f)
        return {
            "factor_id": per_factor.take(table.ids.to_numpy(dtype=object)),
            "factor_name": (per_factor.take(source["name_nb"].to_numpy(dtype=object))
                            if "name_nb" in source.columns else none()),
            "factor_source": per_factor.take(source["source"].to_numpy(dtype=object)),
            "match_method": typed(_one_value(self.method)),
            "indicator": per_factor.take(table.indicator),
            "declared_quantity": self.quantity.copy(),
            "declared_unit": per_factor.take(source["declared_unit"].to_numpy(dtype=object)),
            "mass": self.quantity * table.mass_per_declared_unit[f],
            "replacements": self.replacements[self.row],
            **{c: _audit_column(_rows(self.audit[c].to_numpy(dtype=object), ok), none)
               for c in _AUDIT},
        }

    def _frame_by_steps(self, items: pd.DataFrame, added: dict[str, Any], per_line: np.ndarray,
                        layered: bool) -> pd.DataFrame:
        """The frame step by step: for build-ups (folded) and unusual column names.

        Columns the lines already have are replaced where they stand, module
        columns the lines already have are repeated after them, as
        ``assign`` and ``concat`` do. The deferred columns are made first, in their places.
        """
        computed = self.deferred.complete(items).assign(**added)
        detail = pd.DataFrame(per_line, columns=[*MODULES, "kg_co2e"], index=computed.index,
                              copy=False)  # made here, owned by the frame alone
        computed = pd.concat([computed, detail], axis=1)
        if not layered:
            # no build-up: folding only adds the empty ``layers`` column (fold_layers)
            computed = computed.assign(layers=None).drop(columns=list(LAYER_COLUMNS))
        else:
            no_unmatched = self.items.iloc[0:0]  # the unmatched rows are folded by the calculation
            computed, _ = fold_layers(computed, no_unmatched, self.original, MODULES)
        return computed.reset_index(drop=True)


def any_layer(line: np.ndarray) -> bool:
    """Whether any row is a build-up's layer: its build-up line (``LAYER_COLUMNS[0]``) >= 0.

    A column of plain lines is often one value seen on every row (a view of stride 0): its
    one value is asked, not every row.

    Parameters
    ----------
    line : numpy.ndarray of int64
        The build-up line of each row; -1 for a plain line.

    Returns
    -------
    bool

    Examples
    --------
    >>> any_layer(np.broadcast_to(np.int64(-1), (3,))), any_layer(np.array([-1, 0, 0]))
    (False, True)
    """
    if line.ndim == 1 and len(line) and line.strides == (0,):
        return bool(line[0] >= 0)
    return bool((line >= 0).any())


class _PerFactor:
    """:func:`~klimafotavtrykk._frames.typed_take` of several factor-table columns by one factor.

    Which rows are used, and the position of each line's row among them, are found once for
    all the columns, not once per column (each is a pass over the lines).
    """

    def __init__(self, n_factors: int, factor: np.ndarray) -> None:
        self.used = np.zeros(n_factors, dtype=bool)
        self.used[factor] = True
        self.position = (np.cumsum(self.used, dtype=np.intp) - 1)[factor]

    def take(self, values: np.ndarray):
        """``typed_take(values, factor)``: the same dtype and values.

        Where every used row holds one object (a source or indicator shared by all of a
        table's rows), that object is filled in, which is what the take makes.
        """
        return taken(pd.Series(values[self.used]).array, self.position)


def _audit_column(values: np.ndarray, none):
    """An audit column as :func:`~klimafotavtrykk._frames.typed` types it.

    ``none()`` where every row holds None: most bills have no dimension read from any
    description.
    """
    if one_object(values) and values[0] is None:
        return none()
    return typed(values)


def _column(values, index: pd.Index) -> pd.Series:
    """A new column as a Series of ``index``: an array without a scan or copy, a Series as it is."""
    if isinstance(values, pd.Series):
        return values
    return pd.Series(values, index=index, dtype=values.dtype, copy=False)


def _one_value(values: np.ndarray) -> np.ndarray:
    """``values`` as a view of its first element where every element is that object.

    :func:`~klimafotavtrykk._frames.typed` then types the column from that one element, not
    by a scan of every line: the same dtype and values (most often every line has the one
    match method ``factor_id``).
    """
    return np.broadcast_to(values[:1], values.shape) if one_object(values) else values


def _rows(values: np.ndarray, ok: np.ndarray) -> np.ndarray:
    """``values[ok]``, or ``values`` itself (a view of one value stays one) when every row is kept."""
    return values if len(ok) == len(values) and ok.all() else values[ok]


def _modules_and_total(row: np.ndarray, quantity: np.ndarray, intensities: np.ndarray
                       ) -> np.ndarray:
    """Each line's modules and, in a last column, their total without D [kg CO2e].

    One array the frame owns, made module by module: each module's column is
    gathered from that module's intensities (a few hundred values, in cache)
    and multiplied by the quantities, both along contiguous memory. The
    total adds the modules one after another, in :data:`MODULES` order: the
    very sum (and rounding) ``kg_co2e`` has always had.

    Returns
    -------
    numpy.ndarray
        Shape (lines, len(MODULES) + 1), each column contiguous (a
        transposed view): the layout of a frame's float block.
    """
    m = intensities.shape[1]
    out = np.empty((m + 1, len(row)))
    by_module = np.ascontiguousarray(intensities.T)
    rows = intensities.shape[0]
    if len(row) and (row.min() < -rows or row.max() >= rows):
        raise IndexError(f"intensity rows must lie in [-{rows}, {rows})")
    for j in range(m):  # modules, not lines
        np.take(by_module[j], row, out=out[j], mode="wrap")  # in range: "wrap" is unbuffered
        out[j] *= quantity
    total = out[m]
    np.copyto(total, out[_TOTAL[0]])
    for j in _TOTAL[1:]:  # the modules of the total, left to right
        total += out[j]
    return out.T


class LazyFrame:
    """Dataclass field whose value may be given as :class:`LineResults`, built on first read.

    The field stays required in ``__init__``; a frame given is kept as it
    is. Reading the attribute builds the frame once and keeps it.
    """

    def __set_name__(self, owner: type, name: str) -> None:
        self._slot = f"_{name}_value"

    def __get__(self, obj: Any, objtype: type | None = None) -> pd.DataFrame:
        if obj is None:
            raise AttributeError(self._slot)  # no class-level default: the field is required
        value = obj.__dict__[self._slot]
        if isinstance(value, LineResults):
            obj.__dict__[self._slot + "_source"] = value  # kept for sampling (uncertainty)
            value = value.frame()
            obj.__dict__[self._slot] = value
        return value

    def __set__(self, obj: Any, value: Any) -> None:
        obj.__dict__[self._slot] = value
        obj.__dict__.pop(self._slot + "_source", None)

    def source(self, obj: Any) -> LineResults | None:
        """The arrays the frame of ``obj`` is (or was) built from; None for a frame given as is."""
        value = obj.__dict__[self._slot]
        if isinstance(value, LineResults):
            return value
        return obj.__dict__.get(self._slot + "_source")

    def count(self, obj: Any) -> int:
        """Rows of the frame of ``obj``, without building it."""
        value = obj.__dict__[self._slot]
        return value.count() if isinstance(value, LineResults) else len(value)
