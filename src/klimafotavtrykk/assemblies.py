"""Build-ups written on one line, computed layer by layer.

A bill of quantities often prices a wall or a floor as one line per m² that
lists its layers, each with its own size:
``"Innervegg type IV1: 48x98 stender, 2x13 mm gips hver side, 100 mm
mineralull"``. No single factor is that wall.
:func:`klimafotavtrykk.matching.match_factors` recognises such a line (reason
``assembly``); this module splits it into its layers, so that each layer is
computed through the ordinary factor rows and conversions, and sums the
layers back into the line.

The layers
----------
The line's own text (:func:`klimafotavtrykk.matching.own_text`: context
clauses such as ``"inkl. ..."`` taken out) is split at commas (not the decimal
comma of ``12,5 mm``) and semicolons;
a heading before a colon (``"Innervegg type IV1:"``) is dropped. Each part
that carries a size (a number with ``mm``, or a section such as ``48x98``) is
one layer; a part without a size names no layer and is not counted. A layer
said to be on each side (``hver side``, ``begge sider``, ``pr side``, ``per
side``, ``på hver side``, ``2 sider``) counts twice per m² of wall. Each layer
keeps the line's quantity (× 2 for both sides), unit and building part, and
its own text as description: ``"48x98 stender"`` is then a stud wall at the
default c/c of ``data/geometry/framing.toml``, ``"2x13 mm gips hver side"``
two 13 mm boards on each of two sides, ``"100 mm mineralull"`` 0.1 m³ per m².

The line
--------
A build-up is computed only when every layer is: the line's modules are the
sums of its layers' (its ``mass`` too), its ``factor_id`` lists the layers'
factors joined by ``" + "``, and ``layers`` says, per layer, its text, the
factor it took and its kg CO₂e. When a layer cannot be computed, no layer is
counted and the line is reported with reason ``assembly``, its ``detail``
naming each layer and what stopped it. A reason that belongs to the line
itself (no quantity, a lump sum, out of scope) is reported as such.

Each distinct description is split once; expanding and folding back are
array operations over the layers, never a loop over lines.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from klimafotavtrykk._frames import filled
from klimafotavtrykk.matching import own_text

__all__ = ["SIDES", "LINE_REASONS", "split_layers", "expand_layers", "refuse_incomplete",
           "fold_layers", "line_positions", "LAYER_COLUMNS"]

#: Words that put a layer on both faces of a wall (case-insensitive regular expression).
SIDES = (r"\b(?:hver|begge|pr\.?|per|på\s+hver)\s+sider?\b|\b(?:2|to)\s+sider\b"
         r"|\bboth\s+sides\b|\beach\s+side\b")

#: Reasons that belong to the whole line, not to one layer: a folded line keeps them.
LINE_REASONS = ("missing_quantity", "missing_building_part", "out_of_scope", "lump_sum",
                "unknown_unit")

#: A size in a part of the text: a number with mm, or a section such as 48x98.
_SIZE = r"\d\s*mm\b|\d\s*[x×]\s*\d"
#: Columns that carry the layer bookkeeping through the engine (dropped from the result).
_LINE, _LAYER, _SIDES = "_assembly_line", "_assembly_layer", "_assembly_sides"
#: The bookkeeping columns :func:`expand_layers` adds: input line, layer text, sides.
LAYER_COLUMNS = (_LINE, _LAYER, _SIDES)


def split_layers(descriptions: pd.Series) -> pd.DataFrame:
    """Layers of each description (see the module docstring).

    Parameters
    ----------
    descriptions : pandas.Series of str
        Description texts (distinct ones, for speed).

    Returns
    -------
    pandas.DataFrame
        One row per layer, in the order written: ``text`` (position of the
        description in ``descriptions``), ``layer`` (the layer's text, on one
        line) and ``sides`` (2 for a layer on each side, else 1) [-].

    Examples
    --------
    >>> split_layers(pd.Series(["Innervegg: 48x98 stender, 2x13 mm gips hver side"]))
       text                   layer  sides
    0     0           48x98 stender      1
    1     0  2x13 mm gips hver side      2
    """
    flat = descriptions.fillna("").astype(str).str.replace(r"\s+", " ", regex=True)
    # "på hver side" is no context clause: keep it in the layer's own text
    flat = flat.str.replace(r"\bpå\s+(hver|begge)\s+(sider?)\b", r"\1 \2", case=False, regex=True)
    own = own_text(flat).str.replace(r"\s*¦\s*", " ", regex=True)
    parts = own.str.split(r";|(?<!\d),|,(?!\d)").explode()  # not the decimal comma of 12,5
    parts = parts.str.replace(r"^.*:", "", regex=True).str.strip()
    parts = parts[parts.str.contains(_SIZE, case=False, regex=True)]
    sides = np.where(parts.str.contains(SIDES, case=False, regex=True).to_numpy(dtype=bool), 2, 1)
    return pd.DataFrame({"text": parts.index.to_numpy(dtype=np.int64),
                         "layer": parts.to_numpy(dtype=object), "sides": sides.astype(np.int64)})


def expand_layers(items: pd.DataFrame, layered: np.ndarray) -> pd.DataFrame:
    """Replace each build-up line by one row per layer.

    Parameters
    ----------
    items : pandas.DataFrame
        Prepared lines (``description``, ``quantity`` and the other line columns).
    layered : numpy.ndarray of bool
        Which lines are build-ups (reason ``assembly`` from the matcher).

    Returns
    -------
    pandas.DataFrame
        The lines in their order, each build-up line replaced by its layers:
        ``description`` is the layer's text, ``quantity`` the line's × its
        sides; three bookkeeping columns give the line's position in
        ``items`` (-1 for an ordinary line), the layer's text and its sides,
        for :func:`fold_layers`. A build-up with no layer of its own keeps its
        one row. The index is a new range.
    """
    layered = np.asarray(layered, dtype=bool)
    n = len(items)
    layers = pd.DataFrame({"text": np.empty(0, np.int64), "layer": np.empty(0, object),
                           "sides": np.empty(0, np.int64)})
    codes = np.full(n, -1, dtype=np.int64)
    if layered.any():
        texts = items["description"].to_numpy(dtype=object)[layered]
        layered_codes, uniques = pd.factorize(pd.Series(texts, dtype=object))
        layers = split_layers(pd.Series(uniques, dtype=object))
        codes[np.flatnonzero(layered)] = layered_codes
    per_text = np.bincount(layers["text"].to_numpy(), minlength=max(int(codes.max()) + 1, 0))
    count = np.where(codes >= 0, per_text[np.maximum(codes, 0)] if len(per_text) else 0, 0)
    split = count > 0
    repeat = np.where(split, count, 1)
    position = np.repeat(np.arange(n), repeat)
    out = items.iloc[position].reset_index(drop=True)
    out[_LINE] = np.where(split[position], position, -1)
    out[_LAYER] = None
    out[_SIDES] = 1
    rows = np.flatnonzero(split[position])
    if len(rows):
        # layers come grouped by text, in the order written: text t starts at start[t]
        start = np.concatenate([[0], np.cumsum(per_text)[:-1]])
        first_out = np.cumsum(repeat) - repeat  # first output row of each line
        k = start[codes[position[rows]]] + (rows - first_out[position[rows]])
        text = layers["layer"].to_numpy(dtype=object)[k]
        sides = layers["sides"].to_numpy()[k]
        out.loc[rows, "description"] = text
        out.loc[rows, _LAYER] = text
        out.loc[rows, _SIDES] = sides
        out.loc[rows, "quantity"] = out["quantity"].to_numpy(dtype=float)[rows] * sides
    return out


def line_positions(rows: pd.DataFrame) -> np.ndarray:
    """Position in the input lines of each row of :func:`expand_layers`.

    Parameters
    ----------
    rows : pandas.DataFrame
        The expanded frame, in its order.

    Returns
    -------
    numpy.ndarray of int64
        For every row, the input line it comes from (a layer's build-up line).
    """
    line = rows[_LINE].to_numpy(dtype=np.int64)
    starts = (line < 0) | np.r_[True, line[1:] != line[:-1]]
    return np.cumsum(starts) - 1


def fold_layers(computed: pd.DataFrame, unmatched: pd.DataFrame, items: pd.DataFrame,
                modules: tuple[str, ...]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Sum the computed layers of each build-up back into its line; fold unmatched layers too.

    Parameters
    ----------
    computed : pandas.DataFrame
        Computed rows of the expanded frame (:func:`expand_layers`) with
        their results: ``factor_id``, ``factor_name``, ``factor_source``,
        ``indicator``, ``declared_unit``, ``mass`` [kg], the module columns
        and ``kg_co2e`` [kg CO2e], and the audit columns.
    unmatched : pandas.DataFrame
        Rows not computed, with ``reason``, ``detail`` and the hint columns.
        A build-up has either all its layers in ``computed`` or all in
        ``unmatched`` (:func:`refuse_incomplete`).
    items : pandas.DataFrame
        The prepared lines before expansion; the folded rows take their
        input columns from here.
    modules : tuple of str
        Module columns to sum. [kg CO2e]

    Returns
    -------
    computed, unmatched : pandas.DataFrame
        One row per input line, in input order within each frame, without
        the bookkeeping columns; computed lines gain ``layers``.
    """
    computed = _fold_computed(computed, items, modules)
    unmatched = _fold_unmatched(unmatched, items)
    return computed, unmatched


def refuse_incomplete(reason: np.ndarray, line: np.ndarray, layer_reason: str = "assembly"
                      ) -> np.ndarray:
    """Give every layer of a build-up a reason when any of its layers has one.

    Parameters
    ----------
    reason : numpy.ndarray of object
        Reason per row of the expanded frame; None where the row computes.
    line : numpy.ndarray of int64
        Input line of each row (-1 for an ordinary line).
    layer_reason : str
        Reason given to the layers that would compute alone.

    Returns
    -------
    numpy.ndarray of object
        ``reason`` with the computable layers of incomplete build-ups set to
        ``layer_reason``.
    """
    reason = np.asarray(reason, dtype=object).copy()
    line = np.asarray(line, dtype=np.int64)
    layer = line >= 0
    if not layer.any():
        return reason
    failed = np.zeros(line.max() + 1, dtype=bool)
    failed[line[layer & (reason != None)]] = True  # noqa: E711 (object array)
    reason[layer & (reason == None) & failed[np.maximum(line, 0)]] = layer_reason  # noqa: E711
    return reason


# ---------------------------------------------------------------------------- helpers

def _fold_computed(computed: pd.DataFrame, items: pd.DataFrame, modules) -> pd.DataFrame:
    line = computed[_LINE].to_numpy(dtype=np.int64)
    layer = line >= 0
    plain = computed.loc[~layer].assign(layers=None)
    if not layer.any():
        return plain.drop(columns=list(LAYER_COLUMNS))
    part = computed.loc[layer]
    keys, first = np.unique(line[layer], return_index=True)
    group = np.searchsorted(keys, line[layer])
    n = len(keys)
    sums = {c: np.bincount(group, weights=part[c].to_numpy(dtype=float), minlength=n)
            for c in (*modules, "kg_co2e", "mass")}
    two = part[_SIDES].to_numpy(dtype=np.int64) > 1
    said = (part[_LAYER].astype(str) + np.where(two, " (× 2)", "") + " → "
            + part["factor_id"].astype(str) + ": "
            + pd.Series(np.round(part["kg_co2e"].to_numpy(dtype=float), 3), index=part.index).astype(str)
            + " kg CO2e")
    conversion = part[_LAYER].astype(str) + ": " + part["conversion"].fillna("no conversion").astype(str)
    folded = items.iloc[keys].copy()
    folded = folded.assign(
        factor_id=_join(part["factor_id"], group, n, " + "),
        factor_name=_join(part["factor_name"], group, n, " + "),
        factor_source=_join(part["factor_source"], group, n, "; ", unique=True),
        match_method="assembly",
        indicator=_join(part["indicator"], group, n, ", ", unique=True),
        declared_quantity=np.nan,
        declared_unit=_join(part["declared_unit"], group, n, ", ", unique=True),
        replacements=np.nan,
        dimension_source=_join(part["dimension_source"], group, n, "; "),
        dimension_note=_join(part["dimension_note"], group, n, "; "),
        conversion=_join(conversion, group, n, "; "),
        layers=_join(said, group, n, "; "),
        **sums)
    out = pd.concat([plain.drop(columns=list(LAYER_COLUMNS)), folded], axis=0)
    order = np.concatenate([plain.index.to_numpy(), computed.index.to_numpy()[layer][first]])
    return out.iloc[np.argsort(order, kind="stable")]


def _fold_unmatched(unmatched: pd.DataFrame, items: pd.DataFrame) -> pd.DataFrame:
    line = unmatched[_LINE].to_numpy(dtype=np.int64)
    layer = line >= 0
    plain = unmatched.loc[~layer]
    if not layer.any():
        return plain.drop(columns=list(LAYER_COLUMNS))
    part = unmatched.loc[layer]
    keys, first = np.unique(line[layer], return_index=True)
    group = np.searchsorted(keys, line[layer])
    first_reason = part["reason"].to_numpy(dtype=object)[first]
    own = np.isin(first_reason, LINE_REASONS)
    note = part["dimension_note"].fillna("").astype(str)
    factor = part["hint_factor"].fillna("").astype(str)
    why = (part[_LAYER].astype(str) + ": "
           + part["reason"].astype(str).where(part["reason"] != "assembly", "computable")
           + factor.where(factor == "", " (" + factor + ")")
           + note.where(note == "", " - " + note))
    detail = "layers: " + _join(why, group, len(keys), "; ")
    folded = items.iloc[keys].copy()
    folded = folded.assign(
        reason=np.where(own, first_reason, "assembly"),
        detail=np.where(own, part["detail"].to_numpy(dtype=object)[first], detail),
        dimension_source=None, dimension_note=None, conversion=None,
        hint=np.where(own, part["hint"].to_numpy(dtype=object)[first], "assembly"),
        hint_factor=None, hint_declared_unit=None, hint_indicator=None, hint_accepted=None)
    out = pd.concat([plain.drop(columns=list(LAYER_COLUMNS)), folded], axis=0)
    order = np.concatenate([plain.index.to_numpy(), unmatched.index.to_numpy()[layer][first]])
    return out.iloc[np.argsort(order, kind="stable")]


def _join(values: pd.Series, group: np.ndarray, n: int, sep: str, unique: bool = False) -> np.ndarray:
    """Join the texts of each group (rows of one group contiguous, in order) with ``sep``.

    Works by layer position, not by line: one vectorised step per position in the
    longest build-up. Empty texts are left out; ``unique`` keeps each text once per group.
    """
    text = values.fillna("").astype(str).to_numpy(dtype=object)
    keep = text != ""
    if unique:
        keep &= ~pd.DataFrame({"g": group, "t": text}).duplicated().to_numpy()
    g, t = group[keep], text[keep]
    out = filled(n, "")
    if not len(g):
        return out
    start = np.r_[0, np.flatnonzero(np.diff(g)) + 1]
    rank = np.arange(len(g)) - np.repeat(start, np.diff(np.r_[start, len(g)]))
    for j in range(int(rank.max()) + 1):  # a build-up has a handful of layers
        at = rank == j
        out[g[at]] = out[g[at]] + (sep if j else "") + t[at]
    return out
