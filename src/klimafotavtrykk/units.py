"""The library's one unit registry and the unit spellings of Norwegian bills of quantities.

Every spelling passes through ``data/units/aliases.csv`` before pint sees it;
a spelling not in that table is unknown and is never guessed. The scale of each
canonical unit the table names is read from ``data/units/scales.csv`` (checked
against pint by a test), so pint is imported only for other units. Each distinct
spelling is parsed once: callers factorize their unit column and parse the
distinct values (see :func:`unit_codes`).

Dimensions and the base unit each scale refers to:

==============  ==========  ====================================
dimension       base unit   examples
==============  ==========  ====================================
mass            kg          kg, tonn, t
volume          m³          m3, m³, l
area            m²          m2, kvm, sqm
length          m           m, lm, mm
piece           piece       stk, pcs
time            h           time, timer, uke
energy          kWh         kWh, MJ
normal_volume   Nm³         Nm3, Sm3 (gas at normal conditions)
transport_work  t km        tonnkm, tkm
lump_sum        –           RS, R.S.
percent         –           %
==============  ==========  ====================================
"""

from __future__ import annotations

import functools
import re
from typing import TYPE_CHECKING

from klimafotavtrykk._data import data_path
from klimafotavtrykk._string_storage import (
    factorize_repeated,
    factorize_texts,
    object_groups,
    per_group,
)
from klimafotavtrykk.errors import DataError, UnitError

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd
    import pint

__all__ = [
    "registry",
    "unit_scale",
    "normalise_spelling",
    "parse_units",
    "unit_codes",
    "unit_spellings",
    "unit_properties",
    "BASE_UNITS",
    "NON_PHYSICAL",
]

#: Base unit per dimension; every ``scale`` is "base units per one unit as written".
BASE_UNITS: dict[str, str] = {
    "mass": "kilogram",
    "volume": "meter**3",
    "area": "meter**2",
    "length": "meter",
    "piece": "piece",
    "time": "hour",
    "energy": "kilowatt_hour",
    "normal_volume": "normal_cubic_meter",
    "transport_work": "tonne * kilometer",
}

#: Canonical names that carry no physical quantity.
NON_PHYSICAL: frozenset[str] = frozenset({"lump_sum", "percent"})

_BLANKS = re.compile(r"\s+")


@functools.cache
def registry() -> pint.UnitRegistry:
    """Return the library's pint registry, built on first use and never changed.

    It is pint's default registry plus ``piece`` as a dimension of its own,
    and ``normal_cubic_meter`` (Nm³, an amount of gas at normal conditions,
    which the library never converts to a plain volume) as another.

    Returns
    -------
    pint.UnitRegistry
    """
    import pint

    ureg = pint.UnitRegistry()
    ureg.define("piece = [piece]")
    ureg.define("normal_cubic_meter = [normal_volume]")
    return ureg


def unit_scale(unit: str, target: str) -> float:
    """Factor from one pint unit expression to another, as pint converts them.

    Pairs listed in ``data/units/scales.csv`` (the canonical units of the
    alias table and the units of the shipped tables) are read from it: a test
    checks each row against the registry, and a process that needs no other
    unit never imports pint or builds the registry (about 0.25 s). Any other
    pair is converted by :func:`registry`.

    Parameters
    ----------
    unit, target : str
        Unit expressions in the library's registry (``"hp"``, ``"kW"``).

    Returns
    -------
    float
        ``target`` units per one ``unit``. [-]

    Raises
    ------
    Exception
        Whatever pint raises for an unknown unit or a conversion between
        dimensions (several unrelated classes).
    """
    listed = _scale_table().get((unit, target))
    if listed is not None:
        return listed
    return float(registry().Quantity(1.0, unit).to(target).magnitude)


@functools.cache
def _scale_table() -> dict[tuple[str, str], float]:
    """``(unit, to_unit) -> scale`` from ``data/units/scales.csv``, each number read exactly."""
    import csv

    path = data_path("units", "scales.csv")
    with open(path, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    missing = {"unit", "to_unit", "scale", "source_id"} - set(rows[0] if rows else ())
    if missing:
        raise DataError(f"missing columns {sorted(missing)}", file=str(path))
    table: dict[tuple[str, str], float] = {}
    for line, row in enumerate(rows, start=2):
        key = (row["unit"], row["to_unit"])
        try:
            scale = float(row["scale"])  # the shortest repr of the float pint gives: exact
        except ValueError:
            raise DataError(f"scale {row['scale']!r} is not a number", file=str(path),
                            row=line) from None
        if key in table or not scale > 0:
            raise DataError(f"{key} listed twice or not positive", file=str(path), row=line)
        table[key] = scale
    return table


def normalise_spelling(spelling: object) -> str:
    """Key under which a unit spelling is looked up in the alias table.

    Parameters
    ----------
    spelling : object
        Unit as written in a bill of quantities.

    Returns
    -------
    str
        Lower-cased, stripped, inner blanks collapsed (``" Sq.  Mtr. "`` ->
        ``"sq. mtr."``); empty string for missing values.
    """
    if spelling is None or (isinstance(spelling, float) and spelling != spelling):
        return ""
    return _BLANKS.sub(" ", str(spelling).replace("\u00a0", " ")).strip().casefold()


@functools.cache
def _alias_table() -> dict[str, str]:
    import pandas as pd

    path = data_path("units", "aliases.csv")
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    missing = {"spelling", "canonical", "source_id"} - set(table.columns)
    if missing:
        raise DataError(f"missing columns {sorted(missing)}", file=str(path))
    keys = table["spelling"].map(normalise_spelling)
    duplicated = keys[keys.duplicated()]
    if len(duplicated):
        raise DataError(f"spelling listed twice: {duplicated.iloc[0]!r}", file=str(path))
    return dict(zip(keys, table["canonical"], strict=True))


@functools.cache
def _canonical_info(canonical: str) -> tuple[str, float]:
    """Dimension and scale to the base unit of one canonical unit expression."""
    if canonical in NON_PHYSICAL:
        return canonical, float("nan")
    listed = _scale_table()
    for dimension, base in BASE_UNITS.items():  # a listed unit: no registry to build
        if (canonical, base) in listed:
            return dimension, listed[canonical, base]
    ureg = registry()
    try:
        unit = ureg.Unit(canonical)
    except Exception:  # pint raises several unrelated classes here
        raise UnitError(f"canonical unit {canonical!r} in aliases.csv is not a pint unit",
                        unit=canonical) from None
    for dimension, base in BASE_UNITS.items():
        if unit.dimensionality == ureg.Unit(base).dimensionality:
            return dimension, float(ureg.Quantity(1.0, unit).to(base).magnitude)
    raise UnitError(f"canonical unit {canonical!r} has no supported dimension", unit=canonical)


def parse_units(spellings) -> pd.DataFrame:
    """Parse distinct unit spellings through the alias table.

    Parameters
    ----------
    spellings : array-like of str
        Unit spellings as written; pass distinct values (each is parsed once).

    Returns
    -------
    pandas.DataFrame
        Indexed by spelling as given (index name ``unit``), with columns
        ``canonical`` (str; missing when unknown), ``dimension`` (one of
        :data:`BASE_UNITS`, ``lump_sum``, ``percent``; missing when unknown),
        ``scale`` (base units per unit as written; NaN for non-physical or
        unknown units) and ``known`` (bool). Test for missing values with
        ``isna()``: pandas stores them as None or NaN depending on its version.

    Examples
    --------
    A cubic metre and a running metre are the base units of volume and length,
    a Norwegian tonne is 1000 kg, a lump sum (*rund sum*) has no scale, and
    a furlong is not in the alias table:

    >>> units = parse_units(["m3", "lm", "tonn", "RS", "furlong"])
    >>> units[["scale", "known"]]  # doctest: +NORMALIZE_WHITESPACE
              scale  known
    unit
    m3          1.0   True
    lm          1.0   True
    tonn     1000.0   True
    RS          NaN   True
    furlong     NaN  False
    >>> units["dimension"].tolist()[:4]
    ['volume', 'length', 'mass', 'lump_sum']
    >>> units["dimension"].isna().tolist()
    [False, False, False, False, True]
    """
    import pandas as pd

    aliases = _alias_table()
    rows = []
    for spelling in spellings:  # distinct spellings only, not line items
        canonical = aliases.get(normalise_spelling(spelling))
        if canonical is None:
            rows.append((None, None, float("nan"), False))
        else:
            dimension, scale = _canonical_info(canonical)
            rows.append((canonical, dimension, scale, True))
    index = pd.Index(list(spellings), dtype=object, name="unit")
    return pd.DataFrame(rows, index=index, columns=["canonical", "dimension", "scale", "known"])


def unit_codes(units) -> tuple[np.ndarray, pd.DataFrame]:
    """Integer code per line and the parsed table of distinct spellings.

    Parameters
    ----------
    units : pandas.Series or array-like of str
        One unit spelling per line.

    Returns
    -------
    codes : numpy.ndarray of int64
        Row of ``table`` for each line; ``-1`` where the unit is missing.
    table : pandas.DataFrame
        :func:`parse_units` of the distinct spellings, in code order.
    """
    codes, uniques = unit_spellings(units)
    return codes, parse_units(list(uniques))


def unit_spellings(units, texts: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """Integer code per line and the distinct spellings, not yet parsed (see :func:`unit_codes`).

    Parameters
    ----------
    units : pandas.Series or array-like of str
        One unit spelling per line.
    texts : bool
        Whether every spelling is a ``str`` or missing (the values of a ``str`` column):
        then coded without pandas' scan for that
        (:func:`~klimafotavtrykk._string_storage.factorize_texts`); the same result.

    Returns
    -------
    codes : numpy.ndarray of int64
        Position in ``spellings`` of each line's unit; ``-1`` where the unit is missing.
    spellings : numpy.ndarray of object
        The distinct spellings, first seen first.
    """
    import numpy as np

    # an object array, not a Series: the same codes and spellings without the Series' overhead
    values = np.asarray(units, dtype=object)
    grouped = object_groups(values)
    take, back = per_group(grouped)  # each spelling's object hashed once
    if texts and grouped is None:
        codes, uniques = factorize_texts(values)
    else:
        codes, uniques = factorize_repeated(values[take], use_na_sentinel=True)
    return back(codes).astype("int64", copy=False), uniques


def unit_properties(spellings) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """:func:`parse_units` of distinct spellings as three arrays, without its frame.

    The same dimension, scale and known flag per spelling, for a caller that reads them as
    arrays (:func:`~klimafotavtrykk.calculate`, once per call): building and reading the
    frame is most of the work for the few spellings of a bill.

    Parameters
    ----------
    spellings : sequence
        Unit spellings as written; pass distinct values (each is parsed once).

    Returns
    -------
    dimension : numpy.ndarray of object
        One of :data:`BASE_UNITS`, ``lump_sum`` or ``percent``; None when unknown.
    scale : numpy.ndarray of float64
        Base units per unit as written; NaN for non-physical or unknown units.
    known : numpy.ndarray of bool
        Whether the alias table lists the spelling.

    Examples
    --------
    >>> dimension, scale, known = unit_properties(["tonn", "RS", "furlong"])
    >>> dimension.tolist(), scale.tolist()[:1], known.tolist()
    (['mass', 'lump_sum', None], [1000.0], [True, True, False])
    """
    import numpy as np

    aliases = _alias_table()
    n = len(spellings)
    dimension = np.full(n, None, dtype=object)
    scale = np.full(n, np.nan)
    known = np.zeros(n, dtype=bool)
    for i, spelling in enumerate(spellings):  # distinct spellings only, not line items
        canonical = aliases.get(normalise_spelling(spelling))
        if canonical is not None:
            dimension[i], scale[i] = _canonical_info(canonical)
            known[i] = True
    return dimension, scale, known
