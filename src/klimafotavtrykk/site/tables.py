"""Site data tables: energy carriers and machinery, loaded and validated.

``data/emission_factors/energy_carriers.csv`` holds one row per energy carrier
and factor scope (``wtw`` life-cycle, ``ttw`` combustion) with its unit, factor,
energy content, densities, the drive it powers and its energy class;
``machinery.csv`` holds load factors and diesel specific fuel consumption by
machine class and power band. Units written in the files (``l``, ``kWh``,
``lb/(hp*h)``, ``hp``) are converted by the library's unit registry when a
table is loaded. The site model is :mod:`klimafotavtrykk.site.emissions`.
"""

from __future__ import annotations

import functools
from pathlib import Path

import numpy as np
import pandas as pd

from klimafotavtrykk._data import data_path
from klimafotavtrykk.errors import DataError
from klimafotavtrykk.units import parse_units, unit_scale

__all__ = [
    "ENERGY_CLASSES",
    "FACTOR_SCOPES",
    "carrier_table",
    "carriers_from_frame",
    "load_energy_carriers",
    "load_machinery",
    "machinery_from_frame",
    "machinery_table",
]

#: How tenders classify energy at the machine (DFØ: fossil-free vs emission-free).
ENERGY_CLASSES: tuple[str, ...] = ("fossil", "fossil_free", "emission_free")
#: Factor scopes: life-cycle (well-to-wheel) and combustion only (tank-to-wheel).
FACTOR_SCOPES: tuple[str, ...] = ("wtw", "ttw")
_DRIVES = ("", "diesel_engine", "electric_motor")


def load_energy_carriers(path: str | Path | None = None) -> pd.DataFrame:
    """Load the energy-carrier table, validated, with unit conversions worked out.

    Parameters
    ----------
    path : str or Path, optional
        A CSV in the schema of ``data/emission_factors/energy_carriers.csv``;
        None loads the shipped table.

    Returns
    -------
    pandas.DataFrame
        One row per carrier and scope (``wtw`` life-cycle, ``ttw``
        combustion), columns as in the file plus ``unit_dimension``
        (volume, mass or energy), ``unit_scale`` (m³, kg or kWh per unit),
        ``kg_per_unit`` [kg] and ``m3_per_unit`` [m³] of liquid (NaN when
        unknown).

    Raises
    ------
    DataError
        Naming file and row when the schema is broken.
    """
    if path is None:
        return _shipped_carriers().copy()
    return carriers_from_frame(_read_csv(Path(path)), name=str(path))


def load_machinery(path: str | Path | None = None) -> pd.DataFrame:
    """Load the machinery table: load factor and diesel SFC by machine class and power band.

    Parameters
    ----------
    path : str or Path, optional
        A CSV in the schema of ``data/emission_factors/machinery.csv``; None
        loads the shipped table.

    Returns
    -------
    pandas.DataFrame
        The table plus ``power_min_kw`` and ``power_max_kw`` [kW] (band
        ``min < P <= max``; NaN = open) and ``sfc_kg_per_kwh`` [kg kWh⁻¹],
        converted from the published units by the unit registry.
    """
    if path is None:
        return _shipped_machinery().copy()
    return machinery_from_frame(_read_csv(Path(path)), name=str(path))


def carrier_table(carriers=None) -> pd.DataFrame:
    """Return the energy-carrier table a calculation uses, in whatever form it comes.

    Parameters
    ----------
    carriers : pandas.DataFrame, str or Path, optional
        A table as loaded by :func:`load_energy_carriers`, a raw frame in the
        file's schema (validated by :func:`carriers_from_frame`) or a CSV
        path; None gives the shipped table.

    Returns
    -------
    pandas.DataFrame
        As returned by :func:`load_energy_carriers`.
    """
    if isinstance(carriers, pd.DataFrame):
        return carriers if "unit_dimension" in carriers.columns else carriers_from_frame(carriers)
    return load_energy_carriers(carriers)


def machinery_table(machinery=None) -> pd.DataFrame:
    """Return the machinery table a calculation uses, in whatever form it comes.

    Parameters
    ----------
    machinery : pandas.DataFrame, str or Path, optional
        A table as loaded by :func:`load_machinery`, a raw frame in the
        file's schema (validated by :func:`machinery_from_frame`) or a CSV
        path; None gives the shipped table.

    Returns
    -------
    pandas.DataFrame
        As returned by :func:`load_machinery`.
    """
    if isinstance(machinery, pd.DataFrame):
        return machinery if "sfc_kg_per_kwh" in machinery.columns else machinery_from_frame(machinery)
    return load_machinery(machinery)


@functools.cache
def _shipped_carriers() -> pd.DataFrame:
    path = data_path("emission_factors", "energy_carriers.csv")
    return carriers_from_frame(_read_csv(path), name=str(path))


@functools.cache
def _shipped_machinery() -> pd.DataFrame:
    path = data_path("emission_factors", "machinery.csv")
    return machinery_from_frame(_read_csv(path), name=str(path))


def carriers_from_frame(table: pd.DataFrame, name: str = "<frame>") -> pd.DataFrame:
    """Validate an energy-carrier table given as a frame (see :func:`load_energy_carriers`)."""
    table = _clean(table, ("carrier", "scope", "unit", "kg_co2e_per_unit", "energy_class"), name)
    table["unit"] = table["unit"].fillna("").astype(str).str.strip()
    for column in ("carrier", "scope", "energy_class", "machine_drive"):
        table[column] = _keys(table, column)
    _check_in(table, "scope", FACTOR_SCOPES, name)
    _check_in(table, "energy_class", ENERGY_CLASSES, name)
    _check_in(table, "machine_drive", _DRIVES, name)
    _check_unique(table, ["carrier", "scope"], name)
    factor = _column_numbers(table, "kg_co2e_per_unit", name, minimum=0.0, strict=False)
    if np.isnan(factor).any():
        _fail("kg_co2e_per_unit missing", name, np.isnan(factor))
    table["kg_co2e_per_unit"] = factor
    for column in ("kwh_per_unit", "liquid_density_kg_m3", "gas_density_kg_m3"):
        table[column] = _column_numbers(table, column, name, minimum=0.0, strict=True)
    units = parse_units(pd.unique(table["unit"]))
    per_row = units.loc[table["unit"]]
    dimension = per_row["dimension"].to_numpy(dtype=object)
    bad = ~np.isin(dimension, ["volume", "mass", "energy"])
    if bad.any():
        _fail(f"unit {table['unit'][bad].iloc[0]!r} is not a unit of volume, mass or energy",
              name, bad)
    scale = per_row["scale"].to_numpy(dtype=float)
    energy = dimension == "energy"
    kwh = table["kwh_per_unit"].to_numpy(float)
    clash = energy & ~np.isnan(kwh) & ~np.isclose(kwh, scale)
    if clash.any():
        _fail("kwh_per_unit contradicts the energy unit", name, clash)
    liquid = table["liquid_density_kg_m3"].to_numpy(float)
    table["kwh_per_unit"] = np.where(energy, scale, kwh)
    table["unit_dimension"] = dimension
    table["unit_scale"] = scale
    table["kg_per_unit"] = np.select([dimension == "mass", dimension == "volume"],
                                     [scale, scale * liquid], np.nan)
    table["m3_per_unit"] = np.select([dimension == "volume", dimension == "mass"],
                                     [scale, scale / liquid], np.nan)
    return table


def machinery_from_frame(table: pd.DataFrame, name: str = "<frame>") -> pd.DataFrame:
    """Validate a machinery table given as a frame (see :func:`load_machinery`)."""
    table = _clean(table, ("machine_class", "load_factor"), name)
    table["machine_class"] = _keys(table, "machine_class")
    lf = _column_numbers(table, "load_factor", name, minimum=0.0, strict=True)
    if (np.isnan(lf) | (lf > 1)).any():
        _fail("load_factor must be in (0, 1]", name, np.isnan(lf) | (lf > 1))
    table["load_factor"] = lf
    sfc = _column_numbers(table, "sfc", name, minimum=0.0, strict=True)
    table["sfc_kg_per_kwh"] = sfc * _scales(table, "sfc_unit", "kg/kWh", ~np.isnan(sfc), name)
    for end in ("power_min", "power_max"):
        raw = _column_numbers(table, end, name, minimum=0.0, strict=False)
        table[f"{end}_kw"] = raw * _scales(table, "power_unit", "kW", ~np.isnan(raw), name)
    ordered = table.sort_values(["machine_class", "power_min_kw"], na_position="first")
    previous_max = (ordered["power_max_kw"].fillna(np.inf)
                    .groupby(ordered["machine_class"]).shift())
    overlap = previous_max.notna() & (ordered["power_min_kw"].fillna(-np.inf) < previous_max)
    if overlap.any():
        _fail(f"power bands of class {ordered['machine_class'][overlap].iloc[0]!r} overlap",
              name, table.index.isin(overlap[overlap].index))
    return table


# ---------------------------------------------------------------------------- data helpers

def _read_csv(path: Path) -> pd.DataFrame:
    try:
        return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError, pd.errors.ParserError) as exc:
        raise DataError(f"cannot read CSV: {exc}", file=str(path)) from None


def _clean(table: pd.DataFrame, required, name) -> pd.DataFrame:
    table = table.copy().reset_index(drop=True)
    table.columns = [str(c).strip() for c in table.columns]
    missing = [c for c in required if c not in table.columns]
    if "source_id" not in table.columns and "source" not in table.columns:
        missing.append("source_id or source")
    if missing:
        raise DataError(f"missing columns {missing}", file=str(name))
    source = pd.Series("", index=table.index)
    for column in ("source_id", "source"):
        if column in table.columns:
            source = source.where(source != "", table[column].fillna("").astype(str).str.strip())
    if (source == "").any():
        _fail("row has no source", name, (source == "").to_numpy())
    return table


def _keys(table, column) -> pd.Series:
    if column not in table.columns:
        return pd.Series("", index=table.index, dtype=object)
    return table[column].fillna("").astype(str).str.strip().str.casefold().astype(object)


def _check_in(table, column, allowed, name) -> None:
    bad = ~table[column].isin(allowed)
    if bad.any():
        _fail(f"{column} {table[column][bad].iloc[0]!r}; valid: {list(allowed)}", name, bad)


def _check_unique(table, columns, name) -> None:
    dup = table.duplicated(columns)
    if dup.any():
        _fail(f"{columns} {tuple(table.loc[dup, columns].iloc[0])} appears twice", name, dup)


def _column_numbers(table, column, name, minimum, strict) -> np.ndarray:
    if column not in table.columns:
        return np.full(len(table), np.nan)
    text = table[column].fillna("").astype(str).str.strip()
    values = pd.to_numeric(text.where(text != ""), errors="coerce").to_numpy(dtype=float)
    bad = (np.isnan(values) & (text != "").to_numpy())
    bad |= (values <= minimum) if strict else (values < minimum)
    if bad.any():
        _fail(f"{column} must be a number {'>' if strict else '>='} {minimum:g} or empty, "
              f"found {text[bad].iloc[0]!r}", name, bad)
    return values


def _scales(table, column, target, needed, name) -> np.ndarray:
    """Factor from each row's unit (a pint expression) to ``target``; NaN where not needed."""
    units = (table[column].fillna("").astype(str).str.strip() if column in table.columns
             else pd.Series("", index=table.index))
    missing = needed & (units == "").to_numpy()
    if missing.any():
        _fail(f"{column} missing", name, missing)
    scale = {}
    for spelling in pd.unique(units[needed]):  # distinct unit strings, not rows
        try:
            scale[spelling] = unit_scale(spelling, target)
        except Exception:  # pint raises several unrelated classes
            _fail(f"{column} {spelling!r} cannot be converted to {target}", name,
                  (units == spelling).to_numpy())
    return units.map(scale).to_numpy(dtype=float)


def _fail(problem, name, mask) -> None:
    raise DataError(problem, file=str(name), row=int(np.flatnonzero(np.asarray(mask))[0]) + 2)
