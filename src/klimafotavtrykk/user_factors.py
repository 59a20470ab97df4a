"""The user's own factor table on top of the shipped one.

:func:`compose_factor_table` decides which table a calculation uses: a user's
frame or file extends the shipped table (a user row wins by ``factor_id``),
or stands alone on request; a :class:`~klimafotavtrykk.factors.FactorTable`
passed in is used as it is. :func:`apply_group_scenarios` gives the user's
rows that declare no A4 or A5 and give no transport or waste scenario the
scenario of their material group
(``data/emission_factors/scenario_defaults.csv``), and states what it did.
"""

from __future__ import annotations

import dataclasses
import hashlib
import io
import pickle
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from klimafotavtrykk.errors import DefaultValueWarning, user_stacklevel
from klimafotavtrykk.factors import (
    FactorTable,
    TransportModes,
    add_factor_rows,
    factor_table_from_frame,
    load_factors,
    load_scenario_defaults,
)
from klimafotavtrykk.lifecycle.scenarios import group_scenarios
from klimafotavtrykk.profiles import Profile
from klimafotavtrykk.provenance import file_sha256
from klimafotavtrykk.vocabulary import MODULES

__all__ = ["UserFactors", "compose_factor_table", "apply_group_scenarios"]


@dataclass(frozen=True)
class UserFactors:
    """Which rows of a factor table are the user's, and what they replaced.

    Attributes
    ----------
    ids : pandas.Index
        The user's factor ids.
    replaced : list of str
        Shipped factor ids the user's rows replaced.
    tables : list of dict
        ``name`` and ``sha256`` of each table, the shipped one first (when
        extended); a user file's hash is that of its bytes.
    """

    ids: pd.Index
    replaced: list[str]
    tables: list[dict[str, str]]


def compose_factor_table(factors, extend: bool = True) -> tuple[FactorTable, UserFactors | None]:
    """Choose the factor table of a calculation, and say which part of it is the user's.

    Parameters
    ----------
    factors : FactorTable, pandas.DataFrame, path, list of paths or None
        None: the shipped table. A FactorTable: used as it is. A frame or
        path(s): the user's rows (validated by
        :func:`~klimafotavtrykk.factors.factor_table_from_frame`).
    extend : bool
        For a frame or path: add the user's rows to the shipped table, a
        user row winning by ``factor_id`` (True), or use them alone (False).

    Returns
    -------
    table : FactorTable
    user : UserFactors or None
        None when the table holds no user rows (None or a FactorTable given).
    """
    if factors is None:
        return load_factors(), None
    if isinstance(factors, FactorTable):
        return factors, None
    if isinstance(factors, pd.DataFrame):
        key = _content_key(factors, extend)
        composed = _COMPOSED.get(key) if key is not None else None
        if composed is None:
            composed = _compose_frame(factors, extend)
            if key is not None:
                _COMPOSED[key] = composed
                while len(_COMPOSED) > _COMPOSED_KEPT:
                    del _COMPOSED[next(iter(_COMPOSED))]  # the oldest
        table, user = composed  # the same rows as a recent call: validated and joined then
        # the lists go into the result's metadata: each result gets its own
        return table, dataclasses.replace(user, replaced=list(user.replaced),
                                          tables=[dict(t) for t in user.tables])
    own = load_factors(factors)
    paths = [factors] if isinstance(factors, str | Path) else list(factors)
    digest = (file_sha256(paths[0]) if len(paths) == 1
              else ", ".join(file_sha256(p) for p in paths))
    return _extended(own, digest, extend)


#: Tables composed from the user's frames, by content: a project re-run with the same EPD
#: frame (or many small calculations with one frame) validates and joins its rows once.
_COMPOSED: dict[tuple[bytes, bool], tuple[FactorTable, UserFactors]] = {}
_COMPOSED_KEPT = 4


def _content_key(frame: pd.DataFrame, extend: bool) -> tuple[bytes, bool] | None:
    """A key equal only for frames of the same content (values, their types, columns, index).

    The column names, dtypes, index and each column's values are pickled without
    the memo (so a text shared by many cells and the same text read anew pickle
    alike) and hashed. None when a value cannot be pickled (the frame is then
    validated on every call).
    """
    out = io.BytesIO()
    pickler = pickle.Pickler(out, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.fast = True  # no memo: content only, never which cells share an object
    try:
        pickler.dump([list(frame.columns), [str(t) for t in frame.dtypes], frame.index.to_numpy(),
                      *(column.to_numpy() for _, column in frame.items())])  # by position
    except Exception:  # noqa: BLE001 (any object a user put in a cell)
        return None
    return hashlib.sha256(out.getbuffer()).digest(), bool(extend)


def _compose_frame(factors: pd.DataFrame, extend: bool) -> tuple[FactorTable, UserFactors]:
    own = factor_table_from_frame(factors)
    return _extended(own, own.sha256, extend)


def _extended(own: FactorTable, digest: str, extend: bool) -> tuple[FactorTable, UserFactors]:
    """The user's table alone, or on top of the shipped one (``extend``)."""
    tables = [{"name": own.name, "sha256": digest}]
    if not extend:
        return own, UserFactors(ids=own.ids, replaced=[], tables=tables)
    shipped = load_factors()
    replaced = own.ids[own.ids.isin(shipped.ids)]
    table = add_factor_rows(shipped, own, replace=True)
    return table, UserFactors(ids=own.ids, replaced=[str(i) for i in replaced],
                               tables=[{"name": shipped.name, "sha256": shipped.sha256}, *tables])


def apply_group_scenarios(table: FactorTable, user: UserFactors, used: np.ndarray,
                          profile: Profile, modes: TransportModes
                          ) -> tuple[FactorTable, dict[str, Any]]:
    """Give the user's rows used by computed lines their group's A4/A5 scenario where they lack one.

    Parameters
    ----------
    table : FactorTable
        The table of the calculation (:func:`compose_factor_table`).
    user : UserFactors
        Its user rows.
    used : numpy.ndarray of int64
        Rows of ``table`` that computed lines use.
    profile : Profile
        Transport is filled only when it counts A4, waste only when it counts A5.
    modes : TransportModes
        A group default naming a mode this table lacks is no default.

    Returns
    -------
    table : FactorTable
        ``table`` with ``transport_km``, ``transport_mode`` and
        ``waste_rate`` filled (see
        :func:`~klimafotavtrykk.lifecycle.scenarios.group_scenarios`).
    metadata : dict
        ``factor_tables``, ``user_factor_ids``, ``replaced_factor_ids``,
        ``defaults_applied`` (``factor_id``, ``material_group``, ``filled``,
        ``source``: file, row and citation) and ``no_default_factor_ids``.

    Warns
    -----
    DefaultValueWarning
        Once, when a row was filled or left without a scenario.
    """
    meta: dict[str, Any] = {
        "factor_tables": user.tables,
        "user_factor_ids": [str(i) for i in user.ids.tolist()],  # a list: no boxing per id
        "replaced_factor_ids": user.replaced,
        "defaults_applied": [],
        "no_default_factor_ids": [],
    }
    at = used[table.ids[used].isin(user.ids)]
    transport, waste = "A4" in profile.modules, "A5" in profile.modules
    a4, a5 = table.modules[at, MODULES.index("A4")], table.modules[at, MODULES.index("A5")]
    # a row needs a scenario only where it declares no A4 (transport) or no A5 (waste)
    if not ((transport and np.isnan(a4).any()) or (waste and np.isnan(a5).any())):
        return table, meta  # every used row declares what the profile counts: nothing to fill
    defaults = load_scenario_defaults()
    groups = defaults.frame[defaults.frame["transport_mode"].isin(modes.ids)]
    frame = table.frame
    rows = pd.DataFrame({
        "material_group": (frame["material_group"].to_numpy(dtype=object)[at] if "material_group" in frame
                           else np.full(len(at), None, dtype=object)),
        "A4": a4,
        "A5": a5,
        "transport_km": table.transport_km[at], "transport_mode": table.transport_mode[at],
        "waste_rate": table.waste_rate[at],
    }, index=pd.Index(table.ids[at], dtype=object))
    filled, record = group_scenarios(rows, groups, transport=transport, waste=waste)
    if not len(record):
        return table, meta

    def put(array: np.ndarray, column: str) -> np.ndarray:
        out = array.copy()
        out[at] = filled[column].to_numpy(dtype=out.dtype)
        return out

    table = dataclasses.replace(table, transport_km=put(table.transport_km, "transport_km"),
                                transport_mode=put(table.transport_mode, "transport_mode"),
                                waste_rate=put(table.waste_rate, "waste_rate"))
    applied = record[record["filled"] != ""]
    # the citation of each row's group, looked up once for all rows
    sources = defaults.frame["source"].reindex(applied["material_group"]).to_numpy(dtype=object)
    meta["defaults_applied"] = [
        {"factor_id": str(fid), "material_group": str(group), "filled": filled,
         "source": f"{defaults.name} row {row}: {source}"}
        for fid, group, filled, row, source in zip(
            applied.index.tolist(), applied["material_group"].to_numpy(dtype=object),
            applied["filled"].to_numpy(dtype=object), applied["source_row"].to_numpy(dtype=object),
            sources, strict=True)
    ]  # user rows, not lines
    meta["no_default_factor_ids"] = [str(i) for i in record.index[record["missing"] != ""].tolist()]
    _warn_defaults(record)
    return table, meta


def _warn_defaults(record: pd.DataFrame) -> None:
    """One DefaultValueWarning for the run: rows given a group scenario, rows left without one."""
    applied = record.index[record["filled"] != ""]
    missing = record[record["missing"] != ""]
    parts = []
    if len(applied):
        parts.append(f"{len(applied)} own factor row(s) without transport or waste scenario took "
                     "their material group's default from scenario_defaults.csv (e.g. "
                     f"{', '.join(map(str, applied[:3]))}; result.metadata['defaults_applied'])")
    if len(missing):
        modules = "/".join(sorted(set(", ".join(missing["missing"]).split(", "))))
        parts.append(f"{len(missing)} own factor row(s) have no transport or waste scenario and "
                     "no material_group with a default "
                     f"(e.g. {', '.join(map(str, missing.index[:3]))}): their {modules} "
                     f"{'are' if '/' in modules else 'is'} not computed; give transport_km and "
                     "transport_mode, waste_rate, or a material_group of scenario_defaults.csv "
                     "in the factor table")
    warnings.warn("; ".join(parts), DefaultValueWarning, stacklevel=user_stacklevel())
