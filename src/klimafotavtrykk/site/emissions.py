"""Construction-site emissions, module A5: site energy and machinery.

The site is an activity table, one row per machine, heater, generator, site
hut or transport job; its columns and units are listed in
:mod:`klimafotavtrykk.site.activities`. Every column is optional, and a row
that cannot be computed comes back in ``unmatched`` with a reason.

A row is computed from the first of: a metered amount (``litres``, ``nm3``,
``kg``, ``kwh``, the first that converts to the carrier's unit), machine hours,
tonne-km. Machine hours without metered fuel follow

    shaft energy [kWh] = hours [h] × rated power [kW] × load factor [-]

and, for a diesel engine, diesel burned [kg] = shaft energy × SFC [kg kWh⁻¹]
(:func:`~klimafotavtrykk.site.machinery.machine_fuel_mass`; in litres, ÷ diesel
density [kg L⁻¹]: :func:`~klimafotavtrykk.site.machinery.machine_fuel`). Other
fuels burned in diesel engines (HVO, FAME) replace diesel at equal energy; an
electric motor draws the shaft energy from the grid (no drive-train losses
counted). The factors, energy contents,
densities, load factors and SFC are data: ``data/emission_factors/
energy_carriers.csv`` and ``machinery.csv``, each row with its source.
Fossil, fossil-free and emission-free shares are taken over the site rows
(mass transport left out) by delivered energy (a fuel's energy content, the
electricity drawn), by machine hours and by machine count.
The tables load through :mod:`klimafotavtrykk.site.tables`; power planning
for an electric site is in :mod:`klimafotavtrykk.site.power`.

:func:`calculate_site` is built from public layer-1 functions, applied to
whole columns at once: :func:`~klimafotavtrykk.site.machinery.shaft_energy`,
:func:`~klimafotavtrykk.site.machinery.machine_fuel_mass` and
:func:`~klimafotavtrykk.site.machinery.machine_parameters` for machine hours,
:func:`energy_class_totals` and :func:`energy_class_shares` for the shares.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from klimafotavtrykk._frames import refuse_repeated_columns
from klimafotavtrykk._string_storage import python_strings
from klimafotavtrykk.errors import DefaultValueWarning, InputError, user_stacklevel
from klimafotavtrykk.factors import TransportModes, load_transport_modes
from klimafotavtrykk.site.activities import (
    AMOUNT_COLUMNS,
    NUMERIC_COLUMNS,
    activity_numbers,
    activity_text,
)
from klimafotavtrykk.site.machinery import machine_fuel_mass, machine_parameters, shaft_energy
from klimafotavtrykk.site.tables import (
    ENERGY_CLASSES,
    FACTOR_SCOPES,
    carrier_table,
    machinery_table,
)
from klimafotavtrykk.units import parse_units

__all__ = [
    "SHARE_BASES",
    "SITE_REASONS",
    "SiteResult",
    "calculate_site",
    "carrier_unusable",
    "class_share_array",
    "energy_class_shares",
    "energy_class_totals",
]

#: Bases of the energy-class shares.
SHARE_BASES: tuple[str, ...] = ("energy", "machine_hours", "machine_count")
#: Why an activity row was not computed.
SITE_REASONS: dict[str, str] = {
    "not_a_number": "a numeric column holds text that is not a number",
    "negative_amount": "an amount, hours, power or tonne-km value is negative",
    "unknown_scope": "scope is neither 'site' nor 'mass_transport'",
    "invalid_load_factor": "load factor outside (0, 1]",
    "no_amount": "no litres, kWh, Nm3, kg, machine hours or tonne-km",
    "missing_carrier": "an amount or machine hours but no energy carrier",
    "unknown_carrier": "energy carrier is not in the energy-carrier table",
    "no_factor_for_scope": "the carrier has no factor in the chosen scope (wtw or ttw)",
    "incompatible_unit": "the amount cannot be converted to the carrier's unit",
    "missing_power": "machine hours without a positive rated power",
    "unknown_machine_class": "machine class is not in the machinery table",
    "power_out_of_range": "rated power outside every power band of the machine class",
    "no_hours_model": "machine hours cannot be turned into this carrier's amount",
    "missing_vehicle_class": "tonne-km without a vehicle class",
    "unknown_vehicle_class": "vehicle class is not in the transport-mode table",
}

_ROW_SCOPES = ("site", "mass_transport")
_CLASS_INDEX = pd.Index(ENERGY_CLASSES)


# ============================================================================ layer 1

def energy_class_shares(energy_class, energy, machine_hours, machine, basis=None):
    """Fossil, fossil-free and emission-free shares of a site.

    Parameters
    ----------
    energy_class : array-like of str or None
        One of :data:`ENERGY_CLASSES` per row; None rows are left out.
    energy : array-like of float
        Energy delivered to the row's machine or use; NaN counts as 0. [kWh]
    machine_hours : array-like of float
        Operating hours; NaN counts as 0. [h]
    machine : array-like of str or None
        Machine name. Each distinct (name, class) counts once; a row with
        hours but no name counts as one machine.
    basis : {'energy', 'machine_hours', 'machine_count'}, optional
        One basis (a Series over classes) instead of all three.

    Returns
    -------
    pandas.DataFrame or pandas.Series
        Shares per basis (rows, :data:`SHARE_BASES`) and class (columns,
        :data:`ENERGY_CLASSES`); each row sums to 1, or is NaN when its total
        is 0. [-]
    """
    shares = pd.DataFrame(class_share_array(energy_class, energy, machine_hours, machine),
                          index=pd.Index(list(SHARE_BASES), name="basis"),
                          columns=pd.Index(list(ENERGY_CLASSES), name="energy_class"))
    if basis is None:
        return shares
    if basis not in SHARE_BASES:
        raise InputError(f"unknown share basis {basis!r}", expected=str(list(SHARE_BASES)),
                         found=str(basis))
    return shares.loc[basis]


def energy_class_totals(energy_class, energy, machine_hours, machine):
    """Energy, machine hours and machine count of a site per energy class.

    Parameters
    ----------
    energy_class, energy, machine_hours, machine
        As for :func:`energy_class_shares`.

    Returns
    -------
    pandas.DataFrame
        Totals per basis (rows, :data:`SHARE_BASES`) and class (columns,
        :data:`ENERGY_CLASSES`): energy [kWh], machine hours [h] and the
        number of machines [-].

    Examples
    --------
    Two rows of one named machine on diesel and an unnamed electric one:

    >>> totals = energy_class_totals(["fossil", "fossil", "emission_free"],
    ...                              [100.0, 50.0, 20.0], [10.0, 5.0, 2.0], ["A", "A", None])
    >>> totals.loc["machine_count"].tolist()
    [1.0, 0.0, 1.0]
    """
    return pd.DataFrame(_class_sums(energy_class, energy, machine_hours, machine),
                        index=pd.Index(list(SHARE_BASES), name="basis"),
                        columns=pd.Index(list(ENERGY_CLASSES), name="energy_class"))


def class_share_array(energy_class, energy, machine_hours, machine) -> np.ndarray:
    """:func:`energy_class_shares` as an array, with no frame built (a batch computes many sites).

    Parameters
    ----------
    energy_class, energy, machine_hours, machine
        As for :func:`energy_class_shares`.

    Returns
    -------
    numpy.ndarray
        Shape (len(SHARE_BASES), len(ENERGY_CLASSES)): the numbers
        :func:`energy_class_shares` puts in its frame. [-]
    """
    sums = _class_sums(energy_class, energy, machine_hours, machine)
    totals = np.zeros(len(sums))
    for j in range(sums.shape[1]):  # the classes added left to right, as the frame's sum adds them
        totals = totals + sums[:, j]
    with np.errstate(invalid="ignore", divide="ignore"):
        return sums / np.where(totals > 0, totals, np.nan)[:, None]


def _class_sums(energy_class, energy, machine_hours, machine) -> np.ndarray:
    """Energy [kWh], machine hours [h] and machine count [-] (rows, SHARE_BASES) per class (columns)."""
    n = len(ENERGY_CLASSES)
    code = _CLASS_INDEX.get_indexer(np.asarray(energy_class, dtype=object))
    keep = code >= 0
    code = code[keep]
    hours = np.nan_to_num(np.asarray(machine_hours, dtype=float))[keep]
    name = np.asarray(machine, dtype=object)[keep]
    named = pd.notna(name)
    # each distinct (machine name, class) counts once; a row with hours but no name counts as one
    names, _ = pd.factorize(name[named])
    pairs = np.unique(names.astype(np.int64) * n + code[named])
    count = (np.bincount(pairs % n, minlength=n)
             + np.bincount(code[~named & (hours > 0)], minlength=n))
    by_basis = {
        "energy": np.bincount(code, weights=np.nan_to_num(np.asarray(energy, dtype=float))[keep],
                              minlength=n),
        "machine_hours": np.bincount(code, weights=hours, minlength=n),
        "machine_count": count.astype(float),
    }
    return np.vstack([by_basis[b] for b in SHARE_BASES])


# ============================================================================ orchestration

@dataclass(frozen=True, eq=False)
class SiteResult:
    """Site energy and machinery of one site (A5), with mass transport apart.

    Attributes
    ----------
    total : float
        A5 site energy and machinery: rows with scope ``site``. [kg CO₂e]
    mass_transport : float
        Masses to and from the site, outside A5. [kg CO₂e]
    by_carrier : pandas.Series
        Site rows by carrier key (tonne-km rows by vehicle class). [kg CO₂e]
    by_activity : pandas.Series
        Site rows by ``activity`` (NaN label when none given). [kg CO₂e]
    shares : pandas.DataFrame
        Basis (:data:`SHARE_BASES`) × class (:data:`ENERGY_CLASSES`) of the
        site rows. [-]
    share_totals : pandas.Series
        Denominators of the shares: energy [kWh], hours [h], machines [-].
    lines : pandas.DataFrame
        Computed rows: input columns plus ``row_id``, ``scope``,
        ``carrier_key``, ``method`` (metered, machine_hours, tonne_km),
        ``amount`` [amount_unit], ``amount_unit``, ``energy_kwh`` [kWh],
        ``fuel_litres`` [L], ``factor`` [kg CO₂e per amount_unit or t km],
        ``kg_co2e`` [kg CO₂e], ``energy_class``, ``machine_drive``,
        ``factor_source``, ``factor_scope``, ``machine_class_used``,
        ``class_assumed``, ``load_factor_used`` [-], ``sfc_kg_per_kwh``.
    unmatched : pandas.DataFrame
        Rows not computed: input columns plus ``row_id``, ``reason`` (a key of
        :data:`SITE_REASONS`) and ``detail``.
    scope : str
        ``wtw`` or ``ttw``: the factors used.
    metadata : dict
        Parameters and counts, for the audit trail.
    """

    total: float
    mass_transport: float
    by_carrier: pd.Series
    by_activity: pd.Series
    shares: pd.DataFrame
    share_totals: pd.Series
    lines: pd.DataFrame
    unmatched: pd.DataFrame
    scope: str
    metadata: dict[str, Any] = field(default_factory=dict)


@python_strings
def calculate_site(activities: pd.DataFrame, *, scope: str = "wtw", carriers=None,
                   machinery=None, transport_modes: TransportModes | None = None,
                   electricity: str = "electricity_no", energy_classes=None,
                   default_machine_class: str = "other_construction") -> SiteResult:
    """Emissions of site energy and machinery (A5) and of mass transport.

    Parameters
    ----------
    activities : pandas.DataFrame
        Activity table (columns in the module docstring).
    scope : {'wtw', 'ttw'}
        Life-cycle (well-to-wheel, the EN 15978 / NS 3720 default) or
        combustion-only (tank-to-wheel) factors.
    carriers, machinery : pandas.DataFrame, str or Path, optional
        Own energy-carrier or machinery tables (frame as loaded, or CSV path);
        None uses the shipped ones.
    transport_modes : TransportModes, optional
        Vehicle factors for tonne-km rows; None uses the shipped table.
    electricity : str
        Carrier key that a plain ``electricity`` resolves to:
        ``electricity_no`` (Norwegian delivered) or ``electricity_eu``
        (European mix), the two NS 3720 scenarios.
    energy_classes : mapping of str to str, optional
        Override the class of carriers, e.g. ``{"biogas": "emission_free"}``
        for a buyer who counts biogas as emission-free.
    default_machine_class : str
        Machine class whose load factor and SFC serve hour rows without a
        class; such rows are flagged ``class_assumed`` and warned about.

    Returns
    -------
    SiteResult

    Raises
    ------
    InputError
        When ``activities`` is no frame or a parameter is invalid.

    Warns
    -----
    DefaultValueWarning
        When machine hours were converted with the default machine class.
    """
    lines, unmatched, metadata = _site_rows(
        activities, scope=scope, carriers=carriers, machinery=machinery,
        transport_modes=transport_modes, electricity=electricity, energy_classes=energy_classes,
        default_machine_class=default_machine_class)
    return _result(lines, unmatched, scope, metadata)


@python_strings
def site_rows_computed(activities: pd.DataFrame, *, scope: str = "wtw", carriers=None,
                       machinery=None, transport_modes: TransportModes | None = None,
                       electricity: str = "electricity_no", energy_classes=None,
                       default_machine_class: str = "other_construction"
                       ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The rows :func:`calculate_site` computes and those it cannot, without its sums.

    For a caller that cuts the rows of many sites apart (a batch of bids):
    the totals, shares and groupings of the joint result would be of no
    site. The parameters, errors and warnings are those of :func:`calculate_site`.

    Returns
    -------
    lines, unmatched : DataFrame
        ``SiteResult.lines`` and ``SiteResult.unmatched``.
    """
    lines, unmatched, _ = _site_rows(
        activities, scope=scope, carriers=carriers, machinery=machinery,
        transport_modes=transport_modes, electricity=electricity, energy_classes=energy_classes,
        default_machine_class=default_machine_class)
    return lines, unmatched


def _site_rows(activities: pd.DataFrame, *, scope: str = "wtw", carriers=None,
               machinery=None, transport_modes: TransportModes | None = None,
               electricity: str = "electricity_no", energy_classes=None,
               default_machine_class: str = "other_construction"):
    """:func:`calculate_site` up to its result: computed rows, rows not computed and metadata."""
    if not isinstance(activities, pd.DataFrame):
        raise InputError("activities must be a pandas DataFrame", expected="DataFrame",
                         found=type(activities).__name__)
    refuse_repeated_columns(activities)
    if scope not in FACTOR_SCOPES:
        raise InputError("unknown factor scope", expected=str(list(FACTOR_SCOPES)), found=str(scope))
    table = _carrier_table(carriers, energy_classes)
    machines = machinery_table(machinery)
    modes = load_transport_modes() if transport_modes is None else transport_modes
    n = len(activities)

    text = {c: activity_text(activities, c, fold=c not in ("activity", "machine"))
            for c in ("carrier", "machine_class", "vehicle_class", "scope", "activity", "machine")}
    num, bad_column = activity_numbers(activities)
    key, scoped, cidx = _carrier_rows(text["carrier"], table, scope, electricity)
    known_any = pd.Series(key, dtype=object).isin(set(table["carrier"])).to_numpy()
    c = {col: _gather(scoped, col, cidx)
         for col in ("kg_co2e_per_unit", "kwh_per_unit", "kg_per_unit", "m3_per_unit",
                     "unit_dimension", "unit_scale", "liquid_density_kg_m3", "gas_density_kg_m3",
                     "machine_drive", "energy_class", "unit", "source_id")}

    # ---- metered amounts -> carrier units, first convertible column wins
    base = parse_units(list(AMOUNT_COLUMNS.values()))["scale"].to_numpy(float)  # m³, m³, kg, kWh
    with np.errstate(divide="ignore", invalid="ignore"):
        as_kg = np.column_stack([num["litres"] * base[0] * c["liquid_density_kg_m3"],
                                 num["nm3"] * base[1] * c["gas_density_kg_m3"]])
        converted = np.column_stack([
            np.where(c["unit_dimension"] == "volume", num["litres"] * base[0] /
                     c["unit_scale"], as_kg[:, 0] / c["kg_per_unit"]),
            as_kg[:, 1] / c["kg_per_unit"],
            num["kg"] * base[2] / c["kg_per_unit"],
            num["kwh"] * base[3] / c["kwh_per_unit"],
        ])
    present = np.column_stack([~np.isnan(num[a]) for a in AMOUNT_COLUMNS])
    finite = np.isfinite(converted) & present
    metered = present.any(axis=1)
    convertible = finite.any(axis=1)
    first = np.argmax(finite, axis=1)
    metered_amount = np.where(convertible, converted[np.arange(n), first], np.nan)

    # ---- machine hours
    hours = ~metered & ~np.isnan(num["machine_hours"])
    params = machine_parameters(machines, text["machine_class"], num["rated_power_kw"],
                                num["load_factor"], default_machine_class)
    shaft = shaft_energy(num["machine_hours"], num["rated_power_kw"], params["load_factor"].to_numpy())
    drive = c["machine_drive"]
    # a diesel engine burns diesel by its SFC; another fuel replaces that diesel at equal energy
    diesel_kg = machine_fuel_mass(num["machine_hours"], num["rated_power_kw"],
                                  params["load_factor"].to_numpy(),
                                  params["sfc_kg_per_kwh"].to_numpy())
    diesel_lhv = _diesel_kwh_per_kg(scoped)  # [kWh kg⁻¹]; NaN without a diesel row
    with np.errstate(divide="ignore", invalid="ignore"):
        hours_amount = np.select(
            [drive == "electric_motor", drive == "diesel_engine"],
            [shaft / c["kwh_per_unit"], diesel_kg * diesel_lhv / c["kwh_per_unit"]],
            np.nan)

    # ---- tonne-km
    tkm = ~metered & ~hours & ~np.isnan(num["tonne_km"])
    vidx = modes.ids.get_indexer(pd.Index(text["vehicle_class"], dtype=object))
    tkm_factor = np.append(modes.kg_co2e_per_tkm, np.nan)[vidx]

    # ---- reasons, first that applies
    row_scope = np.where(pd.isna(text["scope"]), "site", text["scope"]).astype(object)
    needs_carrier = metered | hours
    negative = np.column_stack([num[k] < 0 for k in NUMERIC_COLUMNS if k != "load_factor"]).any(axis=1)
    lf_given = num["load_factor"]
    conditions = {
        "not_a_number": bad_column != "",
        "negative_amount": negative,
        "unknown_scope": ~np.isin(row_scope, _ROW_SCOPES),
        "invalid_load_factor": (lf_given <= 0) | (lf_given > 1),
        "no_amount": ~metered & ~hours & ~tkm,
        "missing_carrier": needs_carrier & pd.isna(key),
        "unknown_carrier": needs_carrier & (cidx < 0) & ~known_any,
        "no_factor_for_scope": needs_carrier & (cidx < 0),
        "incompatible_unit": metered & ~convertible,
        "missing_power": hours & ~(num["rated_power_kw"] > 0),
        "unknown_machine_class": hours & ~params["class_known"].to_numpy(),
        "power_out_of_range": hours & (params["band"].to_numpy() < 0),
        "no_hours_model": hours & np.isnan(hours_amount),
        "missing_vehicle_class": tkm & pd.isna(text["vehicle_class"]),
        "unknown_vehicle_class": tkm & (vidx < 0),
    }
    reason = np.select(list(conditions.values()), list(conditions), default="")
    ok = reason == ""

    # ---- computed rows
    amount = np.where(metered, metered_amount, np.where(hours, hours_amount, np.nan))
    kg_co2e = np.where(tkm, num["tonne_km"] * tkm_factor, amount * c["kg_co2e_per_unit"])
    litre_m3 = base[0]
    method = np.select([metered, hours, tkm], ["metered", "machine_hours", "tonne_km"], "")
    tkm_source = np.append(modes.frame.get("source_id", pd.Series(index=modes.ids, dtype=object))
                           .to_numpy(dtype=object), None)[vidx]
    tkm_scope = np.append(modes.frame.get("scope", pd.Series(index=modes.ids, dtype=object))
                          .to_numpy(dtype=object), None)[vidx]
    computed = {
        "row_id": (activities["row_id"].to_numpy() if "row_id" in activities.columns
                   else np.arange(n)),
        "scope": row_scope,
        "carrier_key": key,
        "method": method,
        "amount": np.where(tkm, num["tonne_km"], amount),
        "amount_unit": np.where(tkm, "tkm", c["unit"]),
        "energy_kwh": np.where(tkm, np.nan, amount * c["kwh_per_unit"]),
        "fuel_litres": np.where(tkm, np.nan, amount * c["m3_per_unit"] / litre_m3),
        "factor": np.where(tkm, tkm_factor, c["kg_co2e_per_unit"]),
        "kg_co2e": kg_co2e,
        "energy_class": c["energy_class"],
        "machine_drive": drive,
        "factor_source": np.where(tkm, tkm_source, c["source_id"]),
        "factor_scope": np.where(tkm, tkm_scope, scope),
        "machine_class_used": np.where(hours, params["machine_class"], None),
        # the default class counts only where its numbers were used (SFC, or a missing LF)
        "class_assumed": hours & params["class_assumed"].to_numpy()
        & ((drive == "diesel_engine") | np.isnan(lf_given)),
        "load_factor_used": np.where(hours, params["load_factor"], np.nan),
        "sfc_kg_per_kwh": np.where(hours & (drive == "diesel_engine"),
                                   params["sfc_kg_per_kwh"], np.nan),
    }
    lines = activities.iloc[np.flatnonzero(ok)].assign(**{k: v[ok] for k, v in computed.items()})
    unmatched = activities.iloc[np.flatnonzero(~ok)].assign(
        row_id=computed["row_id"][~ok], reason=reason[~ok],
        detail=_details(reason[~ok], {k: v[~ok] for k, v in text.items()}, key[~ok],
                        bad_column[~ok], scope))

    assumed = int(lines["class_assumed"].sum())
    if assumed:
        warnings.warn(f"{assumed} activity rows have machine hours but no machine_class: the "
                      f"load factor and fuel use of {default_machine_class!r} were used",
                      DefaultValueWarning, stacklevel=user_stacklevel())
    return lines, unmatched, {
        "scope": scope, "electricity": electricity, "n_activities": n,
        "n_unmatched": int((~ok).sum()), "class_assumed_rows": assumed,
        "default_machine_class": default_machine_class}


def _result(lines, unmatched, scope, metadata) -> SiteResult:
    site = lines[lines["scope"] == "site"]
    factor_key = site["carrier_key"].where(site["method"] != "tonne_km",
                                           activity_text(site, "vehicle_class", fold=True))
    by_carrier = site["kg_co2e"].groupby(factor_key.rename("carrier")).sum()
    activity = activity_text(site, "activity", fold=False)
    by_activity = site["kg_co2e"].groupby(pd.Series(activity, index=site.index, name="activity"),
                                          dropna=False).sum()
    hours = activity_numbers(site)[0]["machine_hours"]
    args = (site["energy_class"].to_numpy(dtype=object), site["energy_kwh"].to_numpy(float),
            hours, activity_text(site, "machine", fold=False))
    sums = energy_class_totals(*args)
    return SiteResult(
        total=float(site["kg_co2e"].sum()),
        mass_transport=float(lines.loc[lines["scope"] == "mass_transport", "kg_co2e"].sum()),
        by_carrier=by_carrier, by_activity=by_activity,
        shares=energy_class_shares(*args), share_totals=sums.sum(axis=1).rename("total"),
        lines=lines, unmatched=unmatched, scope=scope, metadata=metadata)


def carrier_unusable(activities: pd.DataFrame, *, scope: str = "wtw", carriers=None,
                     electricity: str = "electricity_no") -> np.ndarray:
    """Rows that state fuel, energy or machine hours but no carrier with a factor in ``scope``.

    The test :func:`calculate_site` makes for its reasons ``missing_carrier``,
    ``unknown_carrier`` and ``no_factor_for_scope`` (before any other reason
    is weighed): such a row can be computed on no carrier it names. Rows in
    tonne-km, or with no amount, need no carrier and are False.

    Parameters
    ----------
    activities : pandas.DataFrame
        Activity table (columns in the module docstring).
    scope : {'wtw', 'ttw'}
        Factor scope, as for :func:`calculate_site`.
    carriers : pandas.DataFrame, str or Path, optional
        Own energy-carrier table; None uses the shipped one.
    electricity : str
        Carrier key a plain ``electricity`` resolves to.

    Returns
    -------
    numpy.ndarray of bool
        One value per row.
    """
    num, _ = activity_numbers(activities)
    needs_carrier = ~np.isnan(num["machine_hours"])
    for column in AMOUNT_COLUMNS:
        needs_carrier |= ~np.isnan(num[column])
    _, _, cidx = _carrier_rows(activity_text(activities, "carrier"), carrier_table(carriers),
                               scope, electricity)
    return needs_carrier & (cidx < 0)


def _carrier_rows(carrier: np.ndarray, table: pd.DataFrame, scope: str, electricity: str):
    """Carrier key per row, the table's rows of ``scope`` and each row's index in them (-1: none)."""
    key = np.where(carrier == "electricity", electricity.casefold(), carrier)
    scoped = table[table["scope"] == scope].set_index("carrier")
    return key, scoped, scoped.index.get_indexer(pd.Index(key, dtype=object))


def _carrier_table(carriers, energy_classes) -> pd.DataFrame:
    """Load the carrier table and apply the buyer's energy classes."""
    table = carrier_table(carriers)
    if energy_classes:
        bad = {k: v for k, v in energy_classes.items() if v not in ENERGY_CLASSES}
        if bad:
            raise InputError("unknown energy class", expected=str(list(ENERGY_CLASSES)),
                             found=str(bad))
        wanted = {str(k).strip().casefold(): v for k, v in energy_classes.items()}
        table = table.assign(energy_class=table["energy_class"].where(
            ~table["carrier"].isin(list(wanted)), table["carrier"].map(wanted)))
    return table


def _diesel_kwh_per_kg(scoped: pd.DataFrame) -> float:
    """Return the energy content of the diesel the SFC is measured on [kWh kg⁻¹]."""
    if "diesel" not in scoped.index:
        return float("nan")
    row = scoped.loc["diesel"]
    return float(row["kwh_per_unit"]) / float(row["kg_per_unit"])


def _details(reason, text, key, bad_column, scope) -> np.ndarray:
    """Short English detail per unmatched row (one vectorised step per reason)."""
    def quoted(values):
        return "'" + pd.Series(values, dtype=object).fillna("").astype(str).to_numpy(object) + "'"

    parts = {
        "not_a_number": "column " + bad_column.astype(object),
        "unknown_carrier": "carrier " + quoted(key),
        "no_factor_for_scope": "carrier " + quoted(key) + f" has no {scope} factor",
        "unknown_machine_class": "machine_class " + quoted(text["machine_class"]),
        "unknown_vehicle_class": "vehicle_class " + quoted(text["vehicle_class"]),
        "unknown_scope": "scope " + quoted(text["scope"]),
    }
    detail = pd.Series(reason, dtype=object).map(SITE_REASONS).fillna("").to_numpy(object)
    for name, values in parts.items():
        detail = np.where(reason == name, values, detail)
    return detail


def _gather(table: pd.DataFrame, column: str, index: np.ndarray) -> np.ndarray:
    """``table[column]`` at integer rows; -1 gives NaN (numbers) or None (text)."""
    values = table[column]
    if pd.api.types.is_numeric_dtype(values):
        return np.append(values.to_numpy(dtype=float), np.nan)[index]
    return np.append(values.to_numpy(dtype=object), None)[index]
