"""What a bid claims through EPDs, and the factor rows those claims become.

:func:`epd_claims` says which material lines carry a usable EPD value;
:func:`generic_match` finds the generic factor each line stands on; and
:func:`claim_factor_table` turns each distinct claim into a row in the
user-factor schema (:func:`epd_factor_rows`), added to the generic table
through :func:`~klimafotavtrykk.factors.add_factor_rows`, so the rows pass
the checks a user's factor file passes. A claim whose factor row those
checks would refuse (a negative A1-A3, a mass per unit of zero or less) is
marked ``refused`` and gets no row: it is refused at its cell, not the bid
(:mod:`~klimafotavtrykk.tender.epd_checks` says what else a claim must pass).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from klimafotavtrykk._frames import factorized
from klimafotavtrykk.lifecycle.conversion import layer_area_mass, thickness_in_metres
from klimafotavtrykk.vocabulary import DIMENSION_INDEX, DIMENSIONS, MODULE_INDEX, MODULES

__all__ = ["EpdClaims", "GenericMatch", "epd_claims", "generic_match", "claim_factor_table",
           "claim_factor_tables", "epd_factor_rows", "claim_mass_per_base", "generic_mass_per_base",
           "line_units"]


@dataclass(frozen=True, eq=False)
class EpdClaims:
    """What each material line claims through an EPD, and whether the claim is usable.

    Attributes
    ----------
    value : numpy.ndarray
        GWP A1-A3 as declared; NaN when blank. [kg CO2e per declared unit]
    unit : pandas.Series
        Declared unit as written; None when blank.
    has_value, has_id, has_unit : numpy.ndarray of bool
        The line gives a GWP value, an EPD number, a declared unit.
    unit_ok : numpy.ndarray of bool
        The declared unit is one a factor may be declared per
        (:func:`~klimafotavtrykk.factors.declarable_units`), the rule a factor file follows.
    usable : numpy.ndarray of bool
        Value, number and a usable unit: the line has an EPD row.
    valid_until : pandas.Series of datetime64
        Last day the EPD is valid; NaT when blank.
    expired : numpy.ndarray of bool
        A usable EPD that expired before the tender date.
    dataset_type : numpy.ndarray of object
        Dataset type of the EPD row as declared (default ``product_epd``).
    negative_value : numpy.ndarray of bool
        A usable claim with A1-A3 below zero: no indicator the bid workbook
        asks for (GWP-GHG/IOBC, biogenic uptake excluded) can be negative.
    bad_mass : numpy.ndarray of bool
        A usable claim whose own mass per quantity unit is zero or less.
    refused : numpy.ndarray of bool
        ``negative_value | bad_mass``: the claim gets no factor row.
    """

    value: np.ndarray
    unit: pd.Series
    has_value: np.ndarray
    has_id: np.ndarray
    has_unit: np.ndarray
    unit_ok: np.ndarray
    usable: np.ndarray
    valid_until: pd.Series
    expired: np.ndarray
    dataset_type: np.ndarray
    negative_value: np.ndarray
    bad_mass: np.ndarray
    refused: np.ndarray


@dataclass(frozen=True, eq=False)
class GenericMatch:
    """The shipped (generic) factor each material line matches.

    Attributes
    ----------
    index : numpy.ndarray of int64
        Row in the generic table; -1 where the line matches none.
    factor_id : numpy.ndarray of object
        Its factor id; None where the line matches none.
    """

    index: np.ndarray
    factor_id: np.ndarray


# ============================================================================ steps

def epd_claims(materials: pd.DataFrame, tender_date) -> EpdClaims:
    """Which lines carry a usable EPD value, which of those expired, and which are refused.

    Parameters
    ----------
    materials : DataFrame
        The bid's material lines (:func:`~klimafotavtrykk.tender.reader.bid_frames`).
    tender_date : datetime.date
        An EPD valid until before this day counts as generic.

    Returns
    -------
    EpdClaims
    """
    from klimafotavtrykk.factors import declarable_units
    from klimafotavtrykk.units import parse_units

    m = materials
    value = m["epd_gwp_a1a3"].to_numpy(dtype=float)
    has_value, has_id = np.isfinite(value), m["epd_id"].notna().to_numpy()
    unit = m["epd_declared_unit"].astype(object).where(m["epd_declared_unit"].notna(), None)
    has_unit = unit.notna().to_numpy()
    codes, spellings = factorized(unit.to_numpy(dtype=object))
    unit_ok_u = declarable_units(parse_units(list(spellings))) if len(spellings) else []
    unit_ok = np.append(np.asarray(unit_ok_u, dtype=bool), False)[codes]
    usable = has_value & has_id & unit_ok
    valid_until = _dates(m["epd_valid_until"])
    expired = usable & (valid_until < pd.Timestamp(tender_date)).to_numpy()
    declared_type = m["dataset_type"].astype(object).where(m["dataset_type"].notna(), "product_epd")
    negative = usable & (value < 0)
    own_mass = m["mass_per_unit"].to_numpy(dtype=float)
    bad_mass = usable & (own_mass <= 0)  # NaN (not given) compares False
    return EpdClaims(value=value, unit=unit, has_value=has_value, has_id=has_id, has_unit=has_unit,
                     unit_ok=unit_ok, usable=usable, valid_until=valid_until, expired=expired,
                     dataset_type=declared_type.to_numpy(dtype=object), negative_value=negative,
                     bad_mass=bad_mass, refused=negative | bad_mass)


def generic_match(materials: pd.DataFrame, generic, mappings) -> GenericMatch:
    """Find the generic factor each line matches, by description or NS 3420 code (never by id).

    Parameters
    ----------
    materials : DataFrame
        The bid's material lines.
    generic : FactorTable
        Generic factors.
    mappings : Mappings or None
        Description and NS 3420 mappings; None for the shipped ones.

    Returns
    -------
    GenericMatch
    """
    from klimafotavtrykk.matching import match_factors

    match = match_factors(materials.assign(factor_id=None), generic.ids, mappings)
    index = match.factor_idx
    ids = np.where(index >= 0, generic.ids.to_numpy(dtype=object)[np.maximum(index, 0)], None)
    return GenericMatch(index=index, factor_id=ids)


def claim_factor_table(generic, materials: pd.DataFrame, claims: EpdClaims, match: GenericMatch,
                       file: str):
    """Add one factor row per distinct EPD claim (number, unit, value, type) to the generic ones.

    Parameters
    ----------
    generic : FactorTable
        Generic factors.
    materials : DataFrame
        The bid's material lines.
    claims : EpdClaims
    match : GenericMatch
    file : str
        The bid's file name, cited in each EPD row's source.

    Returns
    -------
    table : FactorTable
        ``generic`` with the EPD rows appended (``generic`` itself when no line has one).
    epd_ids : numpy.ndarray of object
        Factor id of each line's EPD row; None for lines without one and for
        refused claims (:attr:`EpdClaims.refused`).
    """
    m = materials
    epd_ids = np.full(len(m), None, dtype=object)
    rows = claims.usable & ~claims.refused
    if not rows.any():
        return generic, epd_ids
    at = np.flatnonzero(rows)
    key = pd.MultiIndex.from_arrays([m["epd_id"].to_numpy(dtype=object)[at],
                                     claims.unit.to_numpy(dtype=object)[at], claims.value[at],
                                     claims.dataset_type[at]])
    kcodes, kuniques = key.factorize()
    first = at[pd.Series(np.arange(len(at))).groupby(kcodes).first().to_numpy()]
    names = kuniques.get_level_values(0).to_numpy(dtype=object)
    suffix = pd.Series(names).groupby(names).cumcount().to_numpy()
    label = np.array([f"{x} #{k + 1}" if k else str(x) for x, k in zip(names, suffix, strict=True)],
                     dtype=object)
    table, ids = _bid_factors(generic, m, first, label, kuniques, match.index, file)
    epd_ids[at] = ids[kcodes]
    return table, epd_ids


def claim_factor_tables(generic, materials: pd.DataFrame, claims: EpdClaims, match: GenericMatch,
                        files, bid: np.ndarray):
    """:func:`claim_factor_table` for the lines of many bids at once: one table for all of them.

    Each bid's distinct claims get the rows, ids and sources
    :func:`claim_factor_table` gives them for that bid alone; the ids the
    calculation uses carry the bid's position too (``EPD <number> @<bid>``),
    since two bids may claim the same EPD number with other values.

    Parameters
    ----------
    generic : FactorTable
    materials : DataFrame
        The lines of all bids, each bid's lines together and in its order.
    claims : EpdClaims
    match : GenericMatch
    files : sequence of str
        File name of each bid.
    bid : numpy.ndarray of int64
        Position in ``files`` of each line's bid.

    Returns
    -------
    table : FactorTable
        ``generic`` with every bid's EPD rows appended.
    epd_ids : numpy.ndarray of object
        Factor id of each line's EPD row as its bid names it (as :func:`claim_factor_table`).
    calc_ids : numpy.ndarray of object
        Factor id of each line's EPD row in ``table``; None as in ``epd_ids``.
    """
    m = materials
    epd_ids = np.full(len(m), None, dtype=object)
    calc_ids = np.full(len(m), None, dtype=object)
    rows = claims.usable & ~claims.refused
    if not rows.any():
        return generic, epd_ids, calc_ids
    from klimafotavtrykk.factors import add_factor_rows

    at = np.flatnonzero(rows)
    key = pd.MultiIndex.from_arrays([bid[at], m["epd_id"].to_numpy(dtype=object)[at],
                                     claims.unit.to_numpy(dtype=object)[at], claims.value[at],
                                     claims.dataset_type[at]])
    kcodes, kuniques = key.factorize()  # a bid's claims in the order of its lines
    first = at[pd.Series(np.arange(len(at))).groupby(kcodes).first().to_numpy()]
    owner = kuniques.get_level_values(0).to_numpy(dtype=np.int64)
    names = kuniques.get_level_values(1).to_numpy(dtype=object)
    suffix = pd.Series(names).groupby([owner, names]).cumcount().to_numpy()  # within each bid
    label = np.array([f"{x} #{k + 1}" if k else str(x) for x, k in zip(names, suffix, strict=True)],
                     dtype=object)
    shown = np.array([f"EPD {x}" for x in label], dtype=object)
    ids = np.array([f"EPD {x} @{b}" for x, b in zip(label, owner, strict=True)], dtype=object)
    claim_files = np.asarray(files, dtype=object)[owner]
    table = add_factor_rows(generic, epd_factor_rows(generic, m, first, ids, kuniques.droplevel(0),
                                                     match.index, claim_files),
                            name=f"EPDs of {len(files)} bids")
    epd_ids[at] = shown[kcodes]
    calc_ids[at] = ids[kcodes]
    return table, epd_ids, calc_ids


def _bid_factors(generic, m: pd.DataFrame, first: np.ndarray, label: np.ndarray, kuniques,
                 gidx: np.ndarray, file: str):
    """Build the shipped factors plus one row per distinct EPD claim of the bid.

    The rows go through :func:`~klimafotavtrykk.factors.add_factor_rows`, so
    they pass the checks a user's factor file passes.
    """
    from klimafotavtrykk.factors import add_factor_rows

    ids = np.array([f"EPD {x}" for x in label], dtype=object)
    rows = epd_factor_rows(generic, m, first, ids, kuniques, gidx, file)
    return add_factor_rows(generic, rows, name=f"EPDs of {file}"), ids


def epd_factor_rows(generic, materials: pd.DataFrame, first: np.ndarray, ids: np.ndarray, kuniques,
                    gidx: np.ndarray, file: str) -> pd.DataFrame:
    """Write one factor row per distinct EPD claim, in the user-factor schema of :mod:`~klimafotavtrykk.factors`.

    An EPD row takes A1-A3 from the bid; mass conversions, the other modules
    (converted by mass), service life, waste and transport defaults from the
    generic factor its first line matches; the bid's own mass per quantity
    unit, where given, replaces the generic conversion for that dimension,
    and a layer given per m² with its thickness gets thickness × density as
    its area mass (:func:`~klimafotavtrykk.lifecycle.conversion.layer_area_mass`).

    Parameters
    ----------
    generic : FactorTable
        Generic factors.
    materials : DataFrame
        The bid's material lines.
    first : numpy.ndarray of int64
        Line of each claim's first occurrence.
    ids : numpy.ndarray of object
        Factor id of each claim's row.
    kuniques : pandas.MultiIndex
        The distinct claims: EPD number, declared unit, GWP A1-A3 [kg CO2e
        per declared unit], dataset type.
    gidx : numpy.ndarray of int64
        Generic factor row each line matches; -1 none.
    file : str or numpy.ndarray of object
        The bid's file name, cited in each row's source; or one per claim.

    Returns
    -------
    DataFrame
        ``factor_id``, ``declared_unit``, ``name_nb``, ``material_group``
        (when the generic table has it), ``dataset_type``, ``source``, a
        column per module [kg CO2e per declared unit], the mass columns of
        :data:`~klimafotavtrykk.factors.MASS_COLUMNS`, ``service_life_years``
        [a], ``waste_rate`` [-], ``transport_km`` [km] and ``transport_mode``.
    """
    from klimafotavtrykk.factors import MASS_COLUMNS
    from klimafotavtrykk.units import parse_units

    m = materials
    g = np.asarray(gidx)[first]
    has_g = g >= 0
    at = np.maximum(g, 0)
    n_e = len(first)
    units = kuniques.get_level_values(1).to_numpy(dtype=object)
    value = kuniques.get_level_values(2).to_numpy(dtype=float)
    kind = kuniques.get_level_values(3).to_numpy(dtype=object)
    parsed = parse_units(pd.unique(pd.Series(units, dtype=object)))
    dim_index = DIMENSION_INDEX
    declared_dim = pd.Series(units).map(parsed["dimension"]).map(dim_index).to_numpy(dtype=np.int64)
    declared_scale = pd.Series(units).map(parsed["scale"]).to_numpy(dtype=float)

    mass_per_base = claim_mass_per_base(generic, m, first, gidx)
    mass_per_declared = declared_scale * mass_per_base[np.arange(n_e), declared_dim]
    ratio = np.where(has_g, mass_per_declared / generic.mass_per_declared_unit[at], np.nan)
    modules = np.where(has_g[:, None], generic.modules[at] * ratio[:, None], np.nan)
    modules[:, MODULE_INDEX["A1-A3"]] = value

    def inherit(array, missing):
        return np.where(has_g, array[at], missing)

    products = m["product"].to_numpy(dtype=object)[first]
    group = ({"material_group": inherit(generic.frame["material_group"].to_numpy(dtype=object), None)}
             if "material_group" in generic.frame else {})
    return pd.DataFrame({
        "factor_id": ids, "declared_unit": units, "name_nb": products, **group,
        "dataset_type": kind,
        "source": [f"EPD {i}" + (f" ({p})" if isinstance(p, str) else "") + f", {f}"
                   for i, p, f in zip(kuniques.get_level_values(0), products,
                                      np.broadcast_to(np.asarray(file, dtype=object), (n_e,)),
                                      strict=True)],
        **{module: modules[:, j] for j, module in enumerate(MODULES)},
        **{MASS_COLUMNS[d]: mass_per_base[:, j] for j, d in enumerate(DIMENSIONS) if MASS_COLUMNS[d]},
        "service_life_years": inherit(generic.service_life, np.nan),
        "waste_rate": inherit(generic.waste_rate, np.nan),
        "transport_km": inherit(generic.transport_km, np.nan),
        "transport_mode": inherit(generic.transport_mode, None),
    })


def claim_mass_per_base(generic, materials: pd.DataFrame, rows: np.ndarray, gidx: np.ndarray
                        ) -> np.ndarray:
    """Mass per base unit of each dimension for the claims on ``rows``, as their factor rows get it.

    The generic factor the line matches gives the conversions; the bid's own
    mass per quantity unit, where given and above zero, replaces the one for
    the line's dimension; a layer given per m² with a thickness above zero
    gets thickness × density as its area mass
    (:func:`~klimafotavtrykk.lifecycle.conversion.layer_area_mass`).

    Parameters
    ----------
    generic : FactorTable
        Generic factors.
    materials : DataFrame
        The bid's material lines.
    rows : numpy.ndarray of int64
        Lines to convert.
    gidx : numpy.ndarray of int64
        Generic factor row each line matches; -1 none.

    Returns
    -------
    numpy.ndarray
        Shape (len(rows), len(DIMENSIONS)); NaN where no conversion is known,
        1 for mass. [kg per kg, m³, m², m, piece]
    """
    m = materials
    dim_index = DIMENSION_INDEX
    mass_per_base = generic_mass_per_base(generic, np.asarray(gidx)[rows])
    line_dim, line_scale = line_units(m["unit"].to_numpy(dtype=object)[rows])
    own = m["mass_per_unit"].to_numpy(dtype=float)[rows] / line_scale  # [kg per base unit]
    use_own = np.isfinite(own) & (own > 0) & (line_dim > 0)  # mass lines need no conversion
    mass_per_base[np.flatnonzero(use_own), line_dim[use_own]] = own[use_own]
    thickness = thickness_in_metres(
        pd.to_numeric(m["thickness_mm"], errors="coerce").to_numpy(dtype=float)[rows])
    area, volume = dim_index["area"], dim_index["volume"]
    layered = np.isnan(mass_per_base[:, area]) & np.isfinite(thickness) & (thickness > 0)
    mass_per_base[layered, area] = layer_area_mass(thickness[layered], mass_per_base[layered, volume])
    return mass_per_base


def generic_mass_per_base(generic, gidx: np.ndarray) -> np.ndarray:
    """The generic factor's conversions for each line: its row of ``generic.mass_per_base``.

    Parameters
    ----------
    generic : FactorTable
    gidx : numpy.ndarray of int64
        Generic factor row of each line; -1 none (a row of NaN).

    Returns
    -------
    numpy.ndarray
        Shape (len(gidx), len(DIMENSIONS)), 1 for mass. [kg per base unit]
    """
    g = np.asarray(gidx, dtype=np.int64)
    nan_row = np.full(generic.mass_per_base.shape[1], np.nan)
    out = np.where((g >= 0)[:, None], generic.mass_per_base[np.maximum(g, 0)], nan_row)
    out[:, DIMENSIONS.index("mass")] = 1.0
    return out


def line_units(units: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Dimension and scale of each line's unit, each spelling parsed once.

    Returns
    -------
    dimension : numpy.ndarray of int64
        Position in :data:`~klimafotavtrykk.vocabulary.DIMENSIONS`; -1 unknown.
    scale : numpy.ndarray
        Base units per unit; NaN unknown.
    """
    from klimafotavtrykk.units import parse_units

    dim_index = DIMENSION_INDEX
    codes, spellings = _distinct_texts(np.asarray(units, dtype=object))
    info = parse_units(pd.unique(spellings))
    dimension = np.append(spellings.map(info["dimension"]).map(dim_index).fillna(-1)
                          .to_numpy(dtype=np.int64), -1)[codes]
    return dimension, np.append(spellings.map(info["scale"]).to_numpy(dtype=float), np.nan)[codes]


def _distinct_texts(values: np.ndarray) -> tuple[np.ndarray, pd.Series]:
    """Code of each value into texts that ``Series.astype(str)`` makes of the values.

    Each distinct value is made text once; a blank row keeps its own text,
    made by the same ``astype(str)`` (whatever it gives a blank), after them.
    """
    codes, distinct = factorized(values)
    texts = pd.Series(distinct, dtype=object).astype(str)
    blank = codes < 0
    if blank.any():  # rare: each blank row's text, made as before
        codes = codes.copy()
        codes[blank] = len(texts) + np.arange(int(blank.sum()))
        texts = pd.concat([texts, pd.Series(values[blank], dtype=object).astype(str)],
                          ignore_index=True)
    return codes, texts


def _dates(column: pd.Series) -> pd.Series:
    """``pd.to_datetime(column, errors="coerce")``, each distinct value converted once.

    A column of objects (dates as read, text, blanks) is factorized and only
    its distinct values converted (the same values in the same first-seen
    order, so a format inferred from the first is the same), then gathered
    back; any other column is converted as it is.
    """
    if column.dtype != object:
        return pd.to_datetime(column, errors="coerce")
    codes, distinct = factorized(column.to_numpy(dtype=object))
    if not len(distinct):
        return pd.to_datetime(column, errors="coerce")
    converted = pd.to_datetime(pd.Series(distinct, dtype=object), errors="coerce")
    return pd.Series(converted.array.take(codes, allow_fill=True), index=column.index,
                     name=column.name)
