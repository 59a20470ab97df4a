"""The activity table: the site as rows of machines, energy uses and transport jobs.

A site is described as an *activity table*, one row per machine, heater,
generator, site hut or transport job, with these canonical columns (readers
map Norwegian and English headers onto them; every column is optional, and a
row that cannot be computed comes back in ``unmatched`` with a reason):

==================  ========================================================  ==========
column              meaning                                                   unit
==================  ========================================================  ==========
``activity``        what the energy is used for (``graving``, ``byggtørk``)   text
``machine``         machine name or registration; counted for machine shares  text
``carrier``         key of the energy-carrier table (``diesel``, ``hvo100``,  text
                    ``electricity_no`` ...); plain ``electricity`` resolves
                    to the scenario given by ``electricity=``
``litres``          metered liquid fuel                                       [L]
``kwh``             metered energy (electricity, district heat, or a fuel)    [kWh]
``nm3``             metered gas, normal (standard) cubic metres               [m³]
``kg``              metered fuel mass                                         [kg]
``machine_hours``   operating hours, used when no amount is metered           [h]
``rated_power_kw``  rated engine or motor power                               [kW]
``load_factor``     average share of rated power; default by machine class    [-]
``machine_class``   key of the machinery table (``excavator`` ...)            text
``tonne_km``        transport work, used when neither amount nor hours        [t km]
``vehicle_class``   key of the transport-mode table (``truck_long_haul``)     text
``scope``           ``site`` (inside the fence, A5; default) or               text
                    ``mass_transport`` (to and from the site, reported apart)
``source_ref``      where the row came from (``[bud.xlsx]Byggeplass!C7``)     text
``committed``       the bidder commits to the row (tenders)                   bool
``eu_stage``        engine emission stage (``V``, ``IV``), informational      text
==================  ========================================================  ==========

This module reads the columns as clean arrays: :func:`activity_numbers` for the
numeric ones, :func:`activity_text` for keys and labels. The model that turns
the rows into emissions is :mod:`klimafotavtrykk.site.emissions`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = [
    "ACTIVITY_COLUMNS",
    "AMOUNT_COLUMNS",
    "NUMERIC_COLUMNS",
    "activity_numbers",
    "activity_text",
]

#: Columns of an activity table (see the module docstring for units).
ACTIVITY_COLUMNS: tuple[str, ...] = (
    "activity", "machine", "carrier", "litres", "kwh", "nm3", "kg", "machine_hours",
    "rated_power_kw", "load_factor", "machine_class", "tonne_km", "vehicle_class", "scope",
    "source_ref", "committed", "eu_stage",
)
#: Metered-amount columns, in the order they are tried, and the unit each is in.
AMOUNT_COLUMNS: dict[str, str] = {"litres": "l", "nm3": "m3", "kg": "kg", "kwh": "kWh"}
#: Numeric columns, read by :func:`activity_numbers`.
NUMERIC_COLUMNS: tuple[str, ...] = (
    *AMOUNT_COLUMNS, "machine_hours", "rated_power_kw", "load_factor", "tonne_km")


def activity_text(frame: pd.DataFrame, column: str, fold: bool = True) -> np.ndarray:
    """Read one text column per row, stripped, and case-folded for keys.

    Each distinct value is cleaned once and gathered back by its code.

    Parameters
    ----------
    frame : pandas.DataFrame
        Activity table.
    column : str
        Column to read; a missing column gives None on every row.
    fold : bool
        Case-fold the text, as for keys (``carrier``, ``machine_class``);
        False keeps labels (``activity``, ``machine``) as written.

    Returns
    -------
    numpy.ndarray of object
        The text per row; None where missing or blank.
    """
    if column not in frame.columns:
        return np.full(len(frame), None, dtype=object)
    codes, uniques = pd.factorize(frame[column].to_numpy(dtype=object), use_na_sentinel=True)
    values = pd.Series(uniques, dtype=object).astype("string").str.strip()
    if fold:
        values = values.str.casefold()
    cleaned = values.where(values != "").to_numpy(dtype=object, na_value=None)
    return np.append(cleaned, None)[codes]


def activity_numbers(frame: pd.DataFrame) -> tuple[dict[str, np.ndarray], np.ndarray]:
    """Numeric columns of an activity table as float arrays.

    Text cells may use the Norwegian decimal comma and blanks between
    thousands (``"1 000,5"``).

    Parameters
    ----------
    frame : pandas.DataFrame
        Activity table.

    Returns
    -------
    numbers : dict of str to numpy.ndarray
        One float array per name in :data:`NUMERIC_COLUMNS`, in that
        column's unit (see the module docstring); NaN where the cell is
        missing, blank or not a number, and on every row of a missing column.
    not_a_number : numpy.ndarray of object
        Per row, the first column holding text that is not a number; ``""``
        when there is none.
    """
    out, bad_column = {}, np.full(len(frame), "", dtype=object)
    for column in NUMERIC_COLUMNS:
        if column not in frame.columns:
            out[column] = np.full(len(frame), np.nan)
            continue
        raw = frame[column]
        if pd.api.types.is_numeric_dtype(raw):
            values = raw.to_numpy(dtype=float, na_value=np.nan)
            bad = ~np.isfinite(values) & ~np.isnan(values)
        else:  # text: Norwegian decimal comma and thousands blanks allowed
            txt = (raw.astype("string").str.replace("\u00a0", "", regex=False)
                   .str.replace(" ", "", regex=False).str.replace(",", ".", regex=False))
            blank = (txt.isna() | (txt == "")).to_numpy()
            values = pd.to_numeric(txt.astype(object).where(~blank, None), errors="coerce")
            values = np.asarray(values, dtype=float)
            bad = ~blank & ~np.isfinite(values)
        values = np.where(bad, np.nan, values)
        bad_column = np.where((bad_column == "") & bad, column, bad_column)
        out[column] = values
    return out, bad_column
