"""Construction-site emissions, module A5: site energy and machinery.

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

A row is computed from the first of: a metered amount (``litres``, ``nm3``,
``kg``, ``kwh``, the first that converts to the carrier's unit), machine hours,
tonne-km. Machine hours without metered fuel follow

    shaft energy [kWh] = hours [h] × rated power [kW] × load factor [-]

and, for a diesel engine, diesel burned [L] = shaft energy × SFC [kg kWh⁻¹] ÷
diesel density [kg L⁻¹]. Other fuels burned in diesel engines (HVO, FAME)
replace diesel at equal energy; an electric motor draws the shaft energy from
the grid (no drive-train losses counted). The factors, energy contents,
densities, load factors and SFC are data: ``data/emission_factors/
energy_carriers.csv`` and ``machinery.csv``, each row with its source.
Fossil, fossil-free and emission-free shares are taken over the site rows
(mass transport left out) by delivered energy (a fuel's energy content, the
electricity drawn), by machine hours and by machine count.
The tables load through :mod:`klimafotavtrykk.site.tables`; power planning
for an electric site is in :mod:`klimafotavtrykk.site.power`.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from klimafotavtrykk.errors import DefaultValueWarning, InputError
from klimafotavtrykk.factors import TransportModes, load_transport_modes
from klimafotavtrykk.site.tables import (
    ENERGY_CLASSES,
    FACTOR_SCOPES,
    carriers_from_frame,
    load_energy_carriers,
    load_machinery,
    machinery_from_frame,
)
from klimafotavtrykk.units import parse_units

__all__ = [
    "ACTIVITY_COLUMNS",
    "ENERGY_CLASSES",
    "SHARE_BASES",
    "SITE_REASONS",
    "SiteResult",
    "calculate_site",
    "energy_class_shares",
    "load_energy_carriers",
    "load_machinery",
    "machine_fuel",
    "machine_parameters",
    "shaft_energy",
]

#: Columns of an activity table (see the module docstring for units).
ACTIVITY_COLUMNS: tuple[str, ...] = (
    "activity", "machine", "carrier", "litres", "kwh", "nm3", "kg", "machine_hours",
    "rated_power_kw", "load_factor", "machine_class", "tonne_km", "vehicle_class", "scope",
    "source_ref", "committed", "eu_stage",
)
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
#: Metered-amount columns, in the order they are tried, and their units.
_AMOUNTS: dict[str, str] = {"litres": "l", "nm3": "m3", "kg": "kg", "kwh": "kWh"}
_NUMERIC = (*_AMOUNTS, "machine_hours", "rated_power_kw", "load_factor", "tonne_km")


# ============================================================================ layer 1

def shaft_energy(machine_hours, rated_power, load_factor):
    """Mechanical energy a machine delivers over its operating hours.

    Parameters
    ----------
    machine_hours : numeric
        Operating hours. [h]
    rated_power : numeric
        Rated engine or motor power. [kW]
    load_factor : numeric
        Average share of rated power over the hours. [-]

    Returns
    -------
    numeric
        Shaft energy; for an electric machine, the energy drawn. [kWh]
    """
    return machine_hours * rated_power * load_factor


def machine_fuel(machine_hours, rated_power, load_factor, sfc, fuel_density):
    """Fuel a diesel engine burns over its operating hours.

    Parameters
    ----------
    machine_hours : numeric
        Operating hours. [h]
    rated_power : numeric
        Rated engine power. [kW]
    load_factor : numeric
        Average share of rated power. [-]
    sfc : numeric
        Brake-specific fuel consumption. [kg kWh⁻¹]
    fuel_density : numeric
        Fuel density. [kg L⁻¹]

    Returns
    -------
    numeric
        Fuel burned. [L]

    References
    ----------
    .. [1] US EPA (2010), NONROAD2008a data: load factors (ACTIVITY.DAT, report
       NR-005) and BSFC (EMSFAC/BSFC.EMF, report NR-009d, EPA-420-R-10-018).

    Examples
    --------
    100 h × 150 kW × 0.5 × 0.2 kg/kWh ÷ 0.8 kg/L = 1 875 L.

    >>> machine_fuel(100.0, 150.0, 0.5, 0.2, 0.8)
    1875.0
    """
    return shaft_energy(machine_hours, rated_power, load_factor) * sfc / fuel_density


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
    shares = _shares(_class_sums(energy_class, energy, machine_hours, machine))
    if basis is None:
        return shares
    if basis not in SHARE_BASES:
        raise InputError(f"unknown share basis {basis!r}", expected=str(list(SHARE_BASES)),
                         found=str(basis))
    return shares.loc[basis]


def _class_sums(energy_class, energy, machine_hours, machine) -> pd.DataFrame:
    """Energy [kWh], machine hours [h] and machine count per energy class (basis × class)."""
    n = len(ENERGY_CLASSES)
    code = pd.Index(ENERGY_CLASSES).get_indexer(np.asarray(energy_class, dtype=object))
    keep = code >= 0
    code = code[keep]
    hours = np.nan_to_num(np.asarray(machine_hours, dtype=float))[keep]
    name = np.asarray(machine, dtype=object)[keep]
    named = pd.notna(name)
    # each distinct (machine name, class) counts once; a row with hours but no name counts as one
    distinct = pd.MultiIndex.from_arrays([name[named], code[named]]).unique()
    count = (np.bincount(distinct.get_level_values(1).to_numpy(dtype=np.int64), minlength=n)
             + np.bincount(code[~named & (hours > 0)], minlength=n))
    sums = np.vstack([
        np.bincount(code, weights=np.nan_to_num(np.asarray(energy, dtype=float))[keep], minlength=n),
        np.bincount(code, weights=hours, minlength=n),
        count.astype(float),
    ])
    return pd.DataFrame(sums, index=pd.Index(["energy", "machine_hours", "machine_count"], name="basis"),
                        columns=pd.Index(list(ENERGY_CLASSES), name="energy_class")
                        ).reindex(list(SHARE_BASES))


def _shares(sums: pd.DataFrame) -> pd.DataFrame:
    totals = sums.sum(axis=1)
    return sums.div(totals.where(totals > 0), axis=0)


def machine_parameters(machinery, machine_class, rated_power, load_factor=None,
                       default_class="other_construction"):
    """Load factor and SFC of each machine from the machinery table.

    Parameters
    ----------
    machinery : pandas.DataFrame
        As returned by :func:`load_machinery`.
    machine_class : array-like of str or None
        Machine-class key per row; None uses ``default_class``.
    rated_power : array-like of float
        Rated power, to pick the power band. [kW]
    load_factor : array-like of float, optional
        Load factor given per row; NaN takes the table's. [-]
    default_class : str
        Class for rows without one.

    Returns
    -------
    pandas.DataFrame
        Columns ``band`` (row of ``machinery``; -1 when none), ``load_factor``
        [-], ``sfc_kg_per_kwh`` [kg kWh⁻¹], ``machine_class`` (used),
        ``class_assumed`` (bool) and ``class_known`` (bool).
    """
    cls = pd.Series(np.asarray(machine_class, dtype=object), dtype=object)
    assumed = cls.isna().to_numpy()
    used = cls.where(~assumed, default_class)
    power = np.asarray(rated_power, dtype=float)
    left = pd.DataFrame({"machine_class": used, "power": power, "row": np.arange(len(power))})
    right = machinery.reset_index(drop=True).assign(band=lambda f: np.arange(len(f)))
    pairs = left.merge(right[["machine_class", "power_min_kw", "power_max_kw", "band"]],
                       on="machine_class", how="inner")
    inside = ((pairs["power"] > pairs["power_min_kw"].fillna(-np.inf))
              & (pairs["power"] <= pairs["power_max_kw"].fillna(np.inf)))
    hit = pairs[inside].drop_duplicates("row")
    band = np.full(len(power), -1, dtype=np.int64)
    band[hit["row"].to_numpy()] = hit["band"].to_numpy()
    table_lf = np.append(right["load_factor"].to_numpy(float), np.nan)[band]
    table_sfc = np.append(right["sfc_kg_per_kwh"].to_numpy(float), np.nan)[band]
    given = (np.full(len(power), np.nan) if load_factor is None
             else np.asarray(load_factor, dtype=float))
    return pd.DataFrame({
        "band": band,
        "load_factor": np.where(np.isnan(given), table_lf, given),
        "sfc_kg_per_kwh": table_sfc,
        "machine_class": used.to_numpy(dtype=object),
        "class_assumed": assumed,
        "class_known": used.isin(set(machinery["machine_class"])).to_numpy(),
    })


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
    if not isinstance(activities, pd.DataFrame):
        raise InputError("activities must be a pandas DataFrame", expected="DataFrame",
                         found=type(activities).__name__)
    if scope not in FACTOR_SCOPES:
        raise InputError("unknown factor scope", expected=str(list(FACTOR_SCOPES)), found=str(scope))
    table = _carrier_table(carriers, energy_classes)
    machines = _machinery_table(machinery)
    modes = load_transport_modes() if transport_modes is None else transport_modes
    n = len(activities)

    text = {c: _text(activities, c, fold=c not in ("activity", "machine"))
            for c in ("carrier", "machine_class", "vehicle_class", "scope", "activity", "machine")}
    num, bad_column = _numbers(activities)
    key = np.where(text["carrier"] == "electricity", electricity.casefold(), text["carrier"])
    scoped = table[table["scope"] == scope].set_index("carrier")
    cidx = scoped.index.get_indexer(pd.Index(key, dtype=object))
    known_any = pd.Series(key, dtype=object).isin(set(table["carrier"])).to_numpy()
    c = {col: _gather(scoped, col, cidx)
         for col in ("kg_co2e_per_unit", "kwh_per_unit", "kg_per_unit", "m3_per_unit",
                     "unit_dimension", "unit_scale", "liquid_density_kg_m3", "gas_density_kg_m3",
                     "machine_drive", "energy_class", "unit", "source_id")}

    # ---- metered amounts -> carrier units, first convertible column wins
    base = parse_units(list(_AMOUNTS.values()))["scale"].to_numpy(float)  # m³, m³, kg, kWh
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
    present = np.column_stack([~np.isnan(num[a]) for a in _AMOUNTS])
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
    diesel_lhv = _diesel_kwh_per_kg(scoped)  # [kWh kg⁻¹]; NaN without a diesel row
    with np.errstate(divide="ignore", invalid="ignore"):
        hours_amount = np.select(
            [drive == "electric_motor", drive == "diesel_engine"],
            [shaft / c["kwh_per_unit"],
             shaft * params["sfc_kg_per_kwh"].to_numpy() * diesel_lhv / c["kwh_per_unit"]],
            np.nan)

    # ---- tonne-km
    tkm = ~metered & ~hours & ~np.isnan(num["tonne_km"])
    vidx = modes.ids.get_indexer(pd.Index(text["vehicle_class"], dtype=object))
    tkm_factor = np.append(modes.kg_co2e_per_tkm, np.nan)[vidx]

    # ---- reasons, first that applies
    row_scope = np.where(pd.isna(text["scope"]), "site", text["scope"]).astype(object)
    needs_carrier = metered | hours
    negative = np.column_stack([num[k] < 0 for k in _NUMERIC if k != "load_factor"]).any(axis=1)
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
                      DefaultValueWarning, stacklevel=2)
    return _result(lines, unmatched, scope, {
        "scope": scope, "electricity": electricity, "n_activities": n,
        "n_unmatched": int((~ok).sum()), "class_assumed_rows": assumed,
        "default_machine_class": default_machine_class})


def _result(lines, unmatched, scope, metadata) -> SiteResult:
    site = lines[lines["scope"] == "site"]
    factor_key = site["carrier_key"].where(site["method"] != "tonne_km",
                                           _text(site, "vehicle_class", fold=True))
    by_carrier = site["kg_co2e"].groupby(factor_key.rename("carrier")).sum()
    activity = _text(site, "activity", fold=False)
    by_activity = site["kg_co2e"].groupby(pd.Series(activity, index=site.index, name="activity"),
                                          dropna=False).sum()
    hours = _numbers(site)[0]["machine_hours"]
    args = (site["energy_class"].to_numpy(dtype=object), site["energy_kwh"].to_numpy(float),
            hours, _text(site, "machine", fold=False))
    sums = _class_sums(*args)
    return SiteResult(
        total=float(site["kg_co2e"].sum()),
        mass_transport=float(lines.loc[lines["scope"] == "mass_transport", "kg_co2e"].sum()),
        by_carrier=by_carrier, by_activity=by_activity,
        shares=_shares(sums), share_totals=sums.sum(axis=1).rename("total"),
        lines=lines, unmatched=unmatched, scope=scope, metadata=metadata)


def _carrier_table(carriers, energy_classes) -> pd.DataFrame:
    if carriers is None:
        table = load_energy_carriers()
    elif isinstance(carriers, pd.DataFrame):
        table = carriers if "unit_dimension" in carriers.columns else carriers_from_frame(carriers)
    else:
        table = load_energy_carriers(carriers)
    if energy_classes:
        bad = {k: v for k, v in energy_classes.items() if v not in ENERGY_CLASSES}
        if bad:
            raise InputError("unknown energy class", expected=str(list(ENERGY_CLASSES)),
                             found=str(bad))
        wanted = {str(k).strip().casefold(): v for k, v in energy_classes.items()}
        table = table.assign(energy_class=table["energy_class"].where(
            ~table["carrier"].isin(list(wanted)), table["carrier"].map(wanted)))
    return table


def _machinery_table(machinery) -> pd.DataFrame:
    if machinery is None:
        return load_machinery()
    if isinstance(machinery, pd.DataFrame):
        return machinery if "sfc_kg_per_kwh" in machinery.columns else machinery_from_frame(machinery)
    return load_machinery(machinery)


def _diesel_kwh_per_kg(scoped: pd.DataFrame) -> float:
    """Energy content of the diesel the SFC is measured on. [kWh kg⁻¹]"""
    if "diesel" not in scoped.index:
        return float("nan")
    row = scoped.loc["diesel"]
    return float(row["kwh_per_unit"]) / float(row["kg_per_unit"])


def _text(frame: pd.DataFrame, column: str, fold: bool) -> np.ndarray:
    """Stripped (and case-folded) text per row; None where missing or blank.

    Each distinct value is cleaned once and gathered back by its code.
    """
    if column not in frame.columns:
        return np.full(len(frame), None, dtype=object)
    codes, uniques = pd.factorize(frame[column].to_numpy(dtype=object), use_na_sentinel=True)
    values = pd.Series(uniques, dtype=object).astype("string").str.strip()
    if fold:
        values = values.str.casefold()
    cleaned = values.where(values != "").to_numpy(dtype=object, na_value=None)
    return np.append(cleaned, None)[codes]


def _numbers(frame: pd.DataFrame) -> tuple[dict[str, np.ndarray], np.ndarray]:
    """Numeric activity columns as float arrays, and per row the first column holding non-numbers."""
    out, bad_column = {}, np.full(len(frame), "", dtype=object)
    for column in _NUMERIC:
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
