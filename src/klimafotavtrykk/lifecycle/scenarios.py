"""Default transport (A4) and site-waste (A5) scenarios for factor rows that declare neither.

A user's EPD often declares A1-A3 only. Where the profile counts A4 or A5, such
a row would add nothing there, although the product is driven to site and some
of it is lost there. :func:`group_scenarios` fills the missing scenario from
the row's material group (``data/emission_factors/scenario_defaults.csv``,
Boverket's product-group scenarios) and says for which rows it did, and which
rows have no group to take one from.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from klimafotavtrykk._string_storage import object_groups, per_group

__all__ = ["group_scenarios"]


def group_scenarios(rows: pd.DataFrame, defaults: pd.DataFrame, *, transport: bool = True,
                    waste: bool = True) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Fill a missing transport or waste scenario from the row's material group.

    A row needs a transport scenario when it declares no ``A4`` and lacks
    ``transport_km`` or ``transport_mode`` (only the missing part is filled);
    it needs a waste rate when it declares no ``A5`` and gives no
    ``waste_rate``.

    Parameters
    ----------
    rows : pandas.DataFrame
        One row per factor: ``material_group`` (None or "" = none), ``A4``
        and ``A5`` as declared (NaN = not declared) [kg CO₂e per declared
        unit], ``transport_km`` [km], ``transport_mode`` (None = none) and
        ``waste_rate`` [-] (NaN = none). The index names the rows (factor id).
    defaults : pandas.DataFrame
        Indexed by ``material_group``: ``transport_km`` [km],
        ``transport_mode``, ``waste_rate`` [-], ``source_id`` and ``row``
        (row number in its file).
    transport, waste : bool
        Whether to fill the transport scenario (the profile counts A4) and
        the waste rate (the profile counts A5).

    Returns
    -------
    filled : pandas.DataFrame
        ``transport_km``, ``transport_mode`` and ``waste_rate`` of ``rows``,
        with the group's values where a row needed them.
    record : pandas.DataFrame
        One row per row of ``rows`` that needed a scenario, indexed like
        ``rows``: ``material_group``, ``filled`` (the columns filled, e.g.
        ``"transport_km, transport_mode"``; "" when the group is unknown),
        ``missing`` (the modules left without a scenario: ``"A4"``,
        ``"A5"``, ``"A4, A5"`` or ""), ``source_id`` and ``source_row``.

    Examples
    --------
    A concrete EPD with A1-A3 only, under Boverket's ready-mix scenario:

    >>> rows = pd.DataFrame({"material_group": ["concrete"], "A4": [np.nan], "A5": [np.nan],
    ...                      "transport_km": [np.nan], "transport_mode": [None],
    ...                      "waste_rate": [np.nan]}, index=["my_concrete"])
    >>> groups = pd.DataFrame({"transport_km": [35.0], "transport_mode": ["truck_concrete"],
    ...                        "waste_rate": [0.03], "source_id": ["boverket"], "row": [2]},
    ...                       index=["concrete"])
    >>> filled, record = group_scenarios(rows, groups)
    >>> filled.to_dict("records")
    [{'transport_km': 35.0, 'transport_mode': 'truck_concrete', 'waste_rate': 0.03}]
    >>> record.at["my_concrete", "filled"]
    'transport_km, transport_mode, waste_rate'
    """
    km = rows["transport_km"].to_numpy(dtype=float)
    mode = rows["transport_mode"].to_numpy(dtype=object)
    rate = rows["waste_rate"].to_numpy(dtype=float)
    no_mode = pd.isna(mode) | (pd.Series(mode, dtype=object).astype(str).str.strip() == "").to_numpy()
    needs_km = transport & rows["A4"].isna().to_numpy() & np.isnan(km)
    needs_mode = transport & rows["A4"].isna().to_numpy() & no_mode
    needs_rate = waste & rows["A5"].isna().to_numpy() & np.isnan(rate)
    needs = needs_km | needs_mode | needs_rate

    group = rows["material_group"].astype(object).where(rows["material_group"].notna(), "")
    at = _group_rows(group.to_numpy(dtype=object), defaults.index)
    known = at >= 0

    def of_group(column: str) -> np.ndarray:
        """Give the group's value of ``column`` per row; None where the group is unknown."""
        return np.append(defaults[column].to_numpy(dtype=object), None)[at]

    def pick(column: str, own: np.ndarray, need: np.ndarray) -> np.ndarray:
        return np.where(need & known, of_group(column), own)

    filled = pd.DataFrame({
        "transport_km": pick("transport_km", km, needs_km).astype(float),
        "transport_mode": pd.Series(_none_for_missing(pick("transport_mode", mode, needs_mode)),
                                    index=rows.index, dtype=object),
        "waste_rate": pick("waste_rate", rate, needs_rate).astype(float),
    }, index=rows.index)

    a4_gap = (needs_km | needs_mode) & ~known
    a5_gap = needs_rate & ~known
    sel = np.flatnonzero(needs)
    # the few combinations of what a row lacks, spelled once each and picked by number
    filled_text = _spelled(("transport_km", "transport_mode", "waste_rate"))
    missing_text = _spelled(("A4", "A5"))
    filled_code = np.where(known, needs_km * 1 + needs_mode * 2 + needs_rate * 4, 0)
    missing_code = a4_gap * 1 + a5_gap * 2
    record = pd.DataFrame({
        "material_group": group.to_numpy(dtype=object)[sel],
        "filled": filled_text[filled_code[sel]].tolist(),  # a list, as the frame always got
        "missing": missing_text[missing_code[sel]].tolist(),
        "source_id": of_group("source_id")[sel],
        "source_row": of_group("row")[sel],
    }, index=rows.index[sel])
    return filled, record


def _spelled(labels: tuple[str, ...]) -> np.ndarray:
    """Per subset of ``labels`` (bit k set: ``labels[k]`` in it), its members joined by ", "."""
    return np.array([", ".join(label for k, label in enumerate(labels) if code >> k & 1)
                     for code in range(2 ** len(labels))], dtype=object)


def _none_for_missing(values: np.ndarray) -> np.ndarray:
    """Return an object array with None, not NaN, where a value is missing."""
    values = np.asarray(values, dtype=object)
    return np.where(pd.isna(values), None, values).astype(object)


def _group_rows(groups: np.ndarray, index: pd.Index) -> np.ndarray:
    """Row of ``index`` of each group name as text, stripped; -1 where none.

    The text is made once per distinct object (:func:`object_groups`: rows holding the same
    object hold the same name), not once per factor row.
    """
    take, back = per_group(object_groups(groups))
    names = pd.Series(groups[take], dtype=object).astype(str).str.strip()
    return back(index.get_indexer(pd.Index(names, dtype=object)))
