"""Compute one bid: the task each worker of :func:`klimafotavtrykk.tender.score_bids` runs.

:func:`score_bid` reads a bid file (:func:`klimafotavtrykk.tender.reader.read_bid`)
and computes it (:func:`evaluate_bid`) into a small, picklable
:class:`BidSummary`: totals, per module, shares and only the downgraded
lines; per-line frames only when detail is asked for. Any failure becomes a
rejected summary, so the batch goes on.

How a bid is computed (:func:`evaluate_bid`)
--------------------------------------------
* Each distinct EPD the bid declares (EPD number, declared unit, GWP A1-A3)
  becomes one row of a per-bid factor table with the dataset type the bid
  states; an EPD expired at the competition's tender date counts as generic
  (the profile's markup applies). The EPD gives A1-A3; the other modules,
  mass conversions, service life, waste and transport defaults come from the
  shipped generic factor the line matches (by description or NS 3420 code),
  converted by mass, so that bids differ only by what they document.
* Lines without a usable EPD value use the shipped generic factor (markup).
* A line the bidder did not mark as committed is scored at
  :func:`~klimafotavtrykk.scoring.committed_emissions` with the competition's
  fallback (KOFA 2024/1940): never better than the generic value with markup.
  Site rows likewise, with uncommitted machines run on the fallback carrier
  (fossil diesel). Every such line is listed as downgraded.
* The site sheet goes through :func:`~klimafotavtrykk.site.calculate_site`:
  A5 site energy (added to the total only when the profile counts site
  energy) and the emission-free shares the competition may score.
* Per-product A1-A3 limits are checked on every declared EPD value
  (:func:`~klimafotavtrykk.scoring.product_limit_gate`).
"""

from __future__ import annotations

import dataclasses
import math
import os
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from klimafotavtrykk.tender.competition import Competition
from klimafotavtrykk.tender.reader import Bid, read_bid
from klimafotavtrykk.vocabulary import MODULES, TOTAL_MODULES

__all__ = ["BidSummary", "DOWNGRADES", "FINDING_KINDS", "evaluate_bid", "score_bid"]

DOWNGRADES: tuple[str, ...] = (
    "expired_epd", "uncommitted", "uncommitted_site", "missing_epd_id", "missing_epd_value",
    "unknown_epd_unit", "epd_not_usable")
#: Every finding kind, in the order the evaluation lists them (messages: ``finding.<kind>``).
FINDING_KINDS: tuple[str, ...] = (
    "product_limit_exceeded", "product_limit_unit_mismatch", *DOWNGRADES, "bad_dataset_type",
    "bad_date", "bad_committed", "unknown_site_unit", "site_not_computed", "not_computed", "reader")

_COL = {m: j for j, m in enumerate(MODULES)}
_TOTAL = [_COL[m] for m in TOTAL_MODULES]
_FINDING_COLUMNS = ["file", "source_ref", "kind", "reason", "detail", "kg_co2e_claimed", "kg_co2e"]
_SHARE_BASES = ("energy", "machine_hours", "machine_count")
_BLAS_LIMITED = False


@dataclass(frozen=True, eq=False)
class BidSummary:
    """What one worker returns for one bid file: small, picklable.

    Attributes
    ----------
    file : str
        File name (the bid's key in every frame).
    ok : bool
        False when the file could not be read or computed.
    reason, detail : str or None
        Rejection code (the error's ``code`` or class name) and its English text.
    bidder, org_number, date : object
        From the declaration sheet.
    price_nok : float
        Offered price from the declaration sheet; NaN when absent. [NOK]
    sha256 : str or None
        Hash of the file as read.
    kg_co2e, kg_co2e_claimed : float
        Emissions scored (after fallbacks) and as the bid claims them. [kg CO2e]
    materials_kg_co2e : float
        Materials part of ``kg_co2e``. [kg CO2e]
    site_kg_co2e, site_kg_co2e_claimed, mass_transport_kg_co2e : float
        Site energy A5 (scored, claimed) and mass transport, outside A5. [kg CO2e]
    by_module : tuple of float
        Scored emissions per module of :data:`MODULES`. [kg CO2e]
    zero_emission_shares : dict
        Emission-free share of site energy by basis (energy, machine_hours,
        machine_count), after fallbacks; NaN without site rows. [-]
    product_gate : str
        Product-limit failure codes joined by ``;`` (``""``: passed).
    counts : dict
        ``lines``, ``computed``, ``epd``, ``downgraded``, ``not_computed``, ``site_rows``.
    findings : DataFrame
        Downgraded, not computed and not understood lines (:data:`_FINDING_COLUMNS`).
    lines : DataFrame or None
        Every line with its result, only when detail was asked for.
    warnings : tuple of str
    """

    file: str
    ok: bool
    reason: str | None = None
    detail: str | None = None
    bidder: Any = None
    org_number: Any = None
    date: Any = None
    price_nok: float = math.nan
    sha256: str | None = None
    kg_co2e: float = math.nan
    kg_co2e_claimed: float = math.nan
    materials_kg_co2e: float = math.nan
    site_kg_co2e: float = math.nan
    site_kg_co2e_claimed: float = math.nan
    mass_transport_kg_co2e: float = math.nan
    by_module: tuple[float, ...] = ()
    zero_emission_shares: dict[str, float] = field(default_factory=dict)
    product_gate: str = ""
    counts: dict[str, int] = field(default_factory=dict)
    findings: pd.DataFrame | None = None
    lines: pd.DataFrame | None = None
    warnings: tuple[str, ...] = ()


# ============================================================================ one bid

def _profile(competition: Competition):
    return dataclasses.replace(competition.profile,
                               reference_study_period=competition.reference_study_period,
                               building_parts=competition.building_parts)


def evaluate_bid(bid: Bid, competition: Competition, *, detail: bool = False, factors=None,
                 mappings=None) -> BidSummary:
    """Compute one bid that has been read: materials, site, fallbacks and product limits.

    Parameters
    ----------
    bid : Bid
        As :func:`~klimafotavtrykk.tender.template.read_bid` returns it (or built
        from frames in a notebook).
    competition : Competition
    detail : bool
        Also return every line with its result.
    factors : FactorTable, optional
        Generic factors the bid falls back to; default the shipped ones.
    mappings : Mappings, optional
        Description and NS 3420 mappings; default the shipped ones.

    Returns
    -------
    BidSummary
    """
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        materials = _materials(bid, competition, detail, factors, mappings)
        site = _site(bid, competition, detail)
    profile = _profile(competition)
    with_site = bool(profile.site_energy)
    by_module = materials["by_module"].copy()
    if with_site:
        by_module[_COL["A5"]] += site["total"]
    kg = materials["total"] + (site["total"] if with_site else 0.0)
    claimed = materials["total_claimed"] + (site["total_claimed"] if with_site else 0.0)
    findings = [bid.findings.assign(file=bid.file, reason="", kg_co2e_claimed=np.nan,
                                    kg_co2e=np.nan)] if len(bid.findings) else []
    findings += [f for f in (materials["findings"], site["findings"]) if len(f)]
    findings = (pd.concat(findings, ignore_index=True).reindex(columns=_FINDING_COLUMNS)
                if findings else _empty_findings())
    findings["file"] = bid.file
    order = pd.Categorical(findings["kind"], categories=list(FINDING_KINDS)).codes
    findings = findings.iloc[np.argsort(order, kind="stable")].reset_index(drop=True)
    lines = None
    if detail:
        lines = pd.concat([f for f in (materials["lines"], site["lines"]) if f is not None],
                          ignore_index=True).assign(file=bid.file)
    d = bid.declaration
    notes = tuple(dict.fromkeys([*bid.warnings, *(str(w.message) for w in caught)]))
    return BidSummary(
        file=bid.file, ok=True, bidder=d.get("bidder"), org_number=d.get("org_number"),
        date=d.get("date"), price_nok=float(d.get("price_nok") if d.get("price_nok") is not None
                                            else math.nan),
        sha256=bid.sha256, kg_co2e=float(kg), kg_co2e_claimed=float(claimed),
        materials_kg_co2e=float(materials["total"]), site_kg_co2e=float(site["total"]),
        site_kg_co2e_claimed=float(site["total_claimed"]),
        mass_transport_kg_co2e=float(site["mass_transport"]),
        by_module=tuple(float(v) for v in by_module), zero_emission_shares=site["shares"],
        product_gate=materials["gate"], counts={**materials["counts"], "site_rows": site["rows"]},
        findings=findings, lines=lines, warnings=notes)


def _empty_findings() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=float if c.startswith("kg") else object)
                         for c in _FINDING_COLUMNS})


def _materials(bid: Bid, competition: Competition, detail: bool, factors, mappings
               ) -> dict[str, Any]:
    """Claimed and fallback emissions of every material line, and what to score."""
    from klimafotavtrykk.assessment import calculate
    from klimafotavtrykk.factors import load_factors
    from klimafotavtrykk.matching import match_factors
    from klimafotavtrykk.scoring import committed_emissions, product_limit_gate
    from klimafotavtrykk.units import parse_units

    profile = _profile(competition)
    generic = load_factors() if factors is None else factors
    m = bid.materials.reset_index(drop=True)
    n = len(m)
    match = match_factors(m.assign(factor_id=None), generic.ids, mappings)
    gidx = match.factor_idx
    g_ok = gidx >= 0
    g_id = np.where(g_ok, generic.ids.to_numpy(dtype=object)[np.maximum(gidx, 0)], None)
    g_frame = generic.frame.reset_index(drop=True)

    # ---- which lines carry a usable EPD value
    value = m["epd_gwp_a1a3"].to_numpy(dtype=float)
    has_value, has_id = np.isfinite(value), m["epd_id"].notna().to_numpy()
    unit = m["epd_declared_unit"].astype(object).where(m["epd_declared_unit"].notna(), None)
    has_unit = unit.notna().to_numpy()
    codes, spellings = pd.factorize(unit)
    units = parse_units(list(spellings)) if len(spellings) else None
    unit_ok_u = (units["known"].astype(bool) & units["dimension"].isin(
        ["mass", "volume", "area", "length", "piece"])).to_numpy() if units is not None else []
    unit_ok = np.append(np.asarray(unit_ok_u, dtype=bool), False)[codes]
    usable = has_value & has_id & unit_ok
    valid_until = pd.to_datetime(m["epd_valid_until"], errors="coerce")
    tender = pd.Timestamp(competition.tender_date)
    expired = usable & (valid_until < tender).to_numpy()
    declared_type = m["dataset_type"].astype(object).where(m["dataset_type"].notna(), "product_epd")
    dataset_type = np.where(expired, "generic", declared_type.to_numpy(dtype=object))

    # ---- one factor row per distinct EPD claim
    epd_ids = np.full(n, None, dtype=object)
    table = generic
    if usable.any():
        at = np.flatnonzero(usable)
        key = pd.MultiIndex.from_arrays([m["epd_id"].to_numpy(dtype=object)[at],
                                         unit.to_numpy(dtype=object)[at], value[at],
                                         dataset_type[at]])
        kcodes, kuniques = key.factorize()
        first = at[pd.Series(np.arange(len(at))).groupby(kcodes).first().to_numpy()]
        names = kuniques.get_level_values(0).to_numpy(dtype=object)
        suffix = pd.Series(names).groupby(names).cumcount().to_numpy()
        label = np.array([f"{x} #{k + 1}" if k else str(x) for x, k in zip(names, suffix, strict=True)],
                         dtype=object)
        table, ids = _bid_factors(generic, m, first, label, kuniques, gidx, bid.file)
        epd_ids[at] = ids[kcodes]

    # ---- claimed rows (EPD or generic) and fallback rows (generic) in one calculation
    claimed = m.assign(row_id=np.arange(n), factor_id=np.where(usable, epd_ids, g_id))
    fb_rows = np.flatnonzero(usable)
    fallback = m.iloc[fb_rows].assign(row_id=n + np.arange(len(fb_rows)), factor_id=g_id[fb_rows])
    no_markup = competition.material_fallback == "generic"
    frames = [claimed] if no_markup else [claimed, fallback]
    result = calculate(pd.concat(frames, ignore_index=True), profile, factors=table,
                       bta_m2=competition.bta_m2, mappings=mappings)
    k_claim, reason_claim, src_claim = _per_row(result, n, 0)
    k_fb = np.full((n, len(MODULES)), np.nan)
    if no_markup and len(fb_rows):
        fb_result = calculate(fallback, dataclasses.replace(profile, generic_markup=0.0),
                              factors=table, bta_m2=competition.bta_m2, mappings=mappings)
    else:
        fb_result = result
    sub, _, _ = _per_row(fb_result, len(fb_rows), n)
    k_fb[fb_rows] = sub

    # ---- what is scored
    total_claim = np.where(np.isnan(k_claim).all(axis=1), np.nan, np.nansum(k_claim[:, _TOTAL], axis=1))
    total_fb = np.where(np.isnan(k_fb).all(axis=1), np.nan, np.nansum(k_fb[:, _TOTAL], axis=1))
    committed = m["committed"].astype("boolean").fillna(False).to_numpy(dtype=bool)
    claim_ok, fb_ok = np.isfinite(total_claim), np.isfinite(total_fb)
    scored = np.where(claim_ok, committed_emissions(total_claim, total_fb, committed | ~usable),
                      np.where(usable & fb_ok, total_fb, np.nan))
    use_fb = usable & fb_ok & (~claim_ok | (scored != total_claim))
    k = np.where(use_fb[:, None], k_fb, k_claim)
    computed = np.isfinite(scored)

    status = np.select([~computed, use_fb, usable & ~expired, usable & expired],
                       ["not_computed", "fallback", "epd", "epd_generic"], "generic").astype(object)
    kinds = {
        "missing_epd_id": has_value & ~has_id,
        "missing_epd_value": has_id & ~(has_value & has_unit),
        "unknown_epd_unit": has_value & has_id & has_unit & ~unit_ok,
        "expired_epd": expired,
        "uncommitted": usable & ~committed,
        "epd_not_usable": usable & ~claim_ok & fb_ok,
        "not_computed": ~computed & (reason_claim != "out_of_scope"),
    }
    detail_text = {
        "expired_epd": m["epd_id"].astype(str) + " " + valid_until.dt.strftime("%Y-%m-%d").fillna(""),
        "unknown_epd_unit": unit.astype(str),
    }
    reason = np.where(claim_ok, None, reason_claim)
    found = [pd.DataFrame({
        "source_ref": m["source_ref"][mask].to_numpy(dtype=object), "kind": name,
        "reason": pd.Series(reason, dtype=object)[mask].fillna("").to_numpy(dtype=object),
        "detail": (detail_text[name][mask] if name in detail_text else m["epd_id"][mask]).astype(object)
        .where(lambda s: s.notna(), "").astype(str).to_numpy(dtype=object),
        "kg_co2e_claimed": total_claim[mask], "kg_co2e": scored[mask]})
        for name, mask in kinds.items() if mask.any()]
    findings = pd.concat(found, ignore_index=True) if found else _empty_findings()

    gate = ""
    if competition.product_limits and usable.any():
        group = np.append(g_frame["material_group"].to_numpy(dtype=object)
                          if "material_group" in g_frame else np.full(len(g_frame), None), None)[gidx]
        checked = pd.DataFrame({"bidder": bid.file, "A1-A3": value, "declared_unit": unit,
                                "factor_id": g_id, "material_group": group})[usable]
        per_line, per_bidder = product_limit_gate(checked, competition.product_limits_frame())
        gate = str(per_bidder.iloc[0]) if len(per_bidder) else ""
        failed = per_line["gate"].astype(str).isin(["product_limit_exceeded",
                                                    "product_limit_unit_mismatch"]).to_numpy()
        if failed.any():
            rows = np.flatnonzero(usable)[failed]
            limits = per_line["limit_kg_co2e"].to_numpy()[failed]
            gate_found = pd.DataFrame({
                "source_ref": m["source_ref"].to_numpy(dtype=object)[rows],
                "kind": per_line["gate"].astype(str).to_numpy(dtype=object)[failed],
                "reason": "", "kg_co2e_claimed": total_claim[rows], "kg_co2e": scored[rows],
                "detail": [f"{v:g} > {lim:g} kg CO2e/{u}" for v, lim, u in
                           zip(value[rows], limits, unit.to_numpy(dtype=object)[rows], strict=True)]})
            findings = pd.concat([findings, gate_found], ignore_index=True)

    lines = None
    if detail:
        lines = pd.DataFrame({
            "sheet": "materials", "row_id": np.arange(n),
            **{c: m[c].to_numpy(dtype=object) for c in (
                "source_ref", "post_number", "item_code", "building_part", "description", "unit",
                "product", "epd_id")},
            "quantity": m["quantity"].to_numpy(dtype=float),
            "dataset_type": np.where(usable & ~use_fb, dataset_type,
                                     np.where(computed, "generic", None)),
            "committed": m["committed"].to_numpy(),
            "factor_id": np.where(use_fb | ~usable, g_id, epd_ids),
            "factor_source": np.where(use_fb | ~usable, _gather(g_frame["source"], gidx),
                                      src_claim),
            "line_status": status, "reason": np.where(computed, None, reason_claim),
            "kg_co2e_claimed": total_claim, "kg_co2e": scored,
            **{mod: k[:, _COL[mod]] for mod in MODULES if mod in profile.modules},
        })
    counts = {"lines": n, "computed": int(computed.sum()), "epd": int(usable.sum()),
              "downgraded": int((use_fb | (expired & ~use_fb)).sum()),
              "not_computed": int(kinds["not_computed"].sum())}
    by_module = np.nansum(np.where(computed[:, None], k, 0.0), axis=0)
    return {"total": float(np.nansum(np.where(computed, scored, 0.0))),
            "total_claimed": float(np.nansum(np.where(claim_ok, total_claim, 0.0))),
            "by_module": by_module, "findings": findings.assign(file=bid.file), "gate": gate,
            "lines": lines, "counts": counts}


def _gather(column: pd.Series, idx: np.ndarray) -> np.ndarray:
    return np.append(column.to_numpy(dtype=object), None)[idx]


def _per_row(result, n: int, offset: int):
    """Module values [kg CO2e], reason and factor source per input row ``offset .. offset + n``."""
    k = np.full((n, len(MODULES)), np.nan)
    lines = result.lines
    rows = lines["row_id"].to_numpy(dtype=np.int64) - offset
    inside = (rows >= 0) & (rows < n)
    k[rows[inside]] = lines[list(MODULES)].to_numpy(dtype=float)[inside]
    source = np.full(n, None, dtype=object)
    source[rows[inside]] = lines["factor_source"].to_numpy(dtype=object)[inside]
    reason = np.full(n, None, dtype=object)
    un = result.unmatched
    urows = un["row_id"].to_numpy(dtype=np.int64) - offset
    uin = (urows >= 0) & (urows < n)
    reason[urows[uin]] = un["reason"].astype(object).to_numpy()[uin]
    return k, reason, source


def _bid_factors(generic, m: pd.DataFrame, first: np.ndarray, label: np.ndarray, kuniques,
                 gidx: np.ndarray, file: str):
    """The shipped factors plus one row per distinct EPD claim of the bid.

    An EPD row takes A1-A3 from the bid; mass conversions, the other modules
    (converted by mass), service life, waste and transport defaults from the
    generic factor its first line matches; the bid's own mass per quantity
    unit, where given, replaces the generic conversion for that dimension.
    """
    from klimafotavtrykk.factors import FactorTable
    from klimafotavtrykk.units import parse_units
    from klimafotavtrykk.vocabulary import DIMENSIONS

    g = np.asarray(gidx)[first]
    has_g = g >= 0
    at = np.maximum(g, 0)
    n_e = len(first)
    units = kuniques.get_level_values(1).to_numpy(dtype=object)
    value = kuniques.get_level_values(2).to_numpy(dtype=float)
    kind = kuniques.get_level_values(3).to_numpy(dtype=object)
    parsed = parse_units(pd.unique(pd.Series(units, dtype=object)))
    dim_index = {d: i for i, d in enumerate(DIMENSIONS)}
    declared_dim = pd.Series(units).map(parsed["dimension"]).map(dim_index).to_numpy(dtype=np.int64)
    declared_scale = pd.Series(units).map(parsed["scale"]).to_numpy(dtype=float)

    nan_row = np.full(generic.mass_per_base.shape[1], np.nan)
    mass_per_base = np.where(has_g[:, None], generic.mass_per_base[at], nan_row)
    line_units = pd.Series(m["unit"].to_numpy(dtype=object)[first], dtype=object).astype(str)
    line_info = parse_units(pd.unique(line_units))
    line_dim = line_units.map(line_info["dimension"]).map(dim_index).fillna(-1).to_numpy(dtype=np.int64)
    line_scale = line_units.map(line_info["scale"]).to_numpy(dtype=float)
    own = m["mass_per_unit"].to_numpy(dtype=float)[first] / line_scale  # [kg per base unit]
    use_own = np.isfinite(own) & (line_dim > 0)  # mass lines need no conversion
    mass_per_base[np.flatnonzero(use_own), line_dim[use_own]] = own[use_own]
    # a layer given per m2 with its thickness: area mass = thickness x density, as the engine does
    metres = parse_units(["mm"])["scale"].iloc[0]
    thickness = pd.to_numeric(m["thickness_mm"], errors="coerce").to_numpy(dtype=float)[first] * metres
    area, volume = dim_index["area"], dim_index["volume"]
    layered = np.isnan(mass_per_base[:, area]) & np.isfinite(thickness)
    mass_per_base[layered, area] = thickness[layered] * mass_per_base[layered, volume]
    mass_per_declared = declared_scale * mass_per_base[np.arange(n_e), declared_dim]
    ratio = np.where(has_g, mass_per_declared / generic.mass_per_declared_unit[at], np.nan)
    modules = np.where(has_g[:, None], generic.modules[at] * ratio[:, None], np.nan)
    modules[:, _COL["A1-A3"]] = value

    def inherit(array, missing):
        return np.where(has_g, array[at], missing)

    products = m["product"].to_numpy(dtype=object)[first]
    ids = np.array([f"EPD {x}" for x in label], dtype=object)
    frame = pd.DataFrame({
        "factor_id": ids, "declared_unit": units, "name_nb": products,
        "material_group": inherit(generic.frame["material_group"].to_numpy(dtype=object), None)
        if "material_group" in generic.frame else None,
        "dataset_type": kind,
        "source": [f"EPD {i}" + (f" ({p})" if isinstance(p, str) else "") + f", {file}"
                   for i, p in zip(kuniques.get_level_values(0), products, strict=True)],
    }).set_index("factor_id", drop=False)
    keep = [c for c in frame.columns if c in generic.frame.columns]
    combined = pd.concat([generic.frame[keep], frame[keep]])
    import hashlib

    digest = hashlib.sha256((generic.sha256 + frame.to_csv()).encode()).hexdigest()
    return FactorTable(
        frame=combined, ids=pd.Index(np.concatenate([generic.ids.to_numpy(dtype=object), ids])),
        modules=np.vstack([generic.modules, modules]),
        declared_dimension=np.concatenate([generic.declared_dimension, declared_dim]),
        declared_scale=np.concatenate([generic.declared_scale, declared_scale]),
        mass_per_base=np.vstack([generic.mass_per_base, mass_per_base]),
        service_life=np.concatenate([generic.service_life, inherit(generic.service_life, np.nan)]),
        waste_rate=np.concatenate([generic.waste_rate, inherit(generic.waste_rate, np.nan)]),
        transport_km=np.concatenate([generic.transport_km, inherit(generic.transport_km, np.nan)]),
        transport_mode=np.concatenate([generic.transport_mode,
                                       inherit(generic.transport_mode, None)]),
        is_generic=np.concatenate([generic.is_generic, kind == "generic"]),
        indicator=np.concatenate([generic.indicator, np.full(n_e, "", dtype=object)]),
        sha256=digest, name=f"{generic.name} + EPDs of {file}"), ids


def _site(bid: Bid, competition: Competition, detail: bool) -> dict[str, Any]:
    """Site energy (A5) and mass transport, claimed and with fallbacks, and emission-free shares."""
    from klimafotavtrykk.scoring import committed_emissions
    from klimafotavtrykk.site import calculate_site, energy_class_shares

    acts = bid.site.reset_index(drop=True)
    n = len(acts)
    empty = {"total": 0.0, "total_claimed": 0.0, "mass_transport": 0.0, "rows": n,
             "shares": dict.fromkeys(_SHARE_BASES, math.nan), "findings": _empty_findings(),
             "lines": None}
    if n == 0:
        return empty
    committed = acts["committed"].astype("boolean").fillna(False).to_numpy(dtype=bool)
    fb_rows = np.flatnonzero(~committed)
    fallback = acts.iloc[fb_rows].assign(row_id=n + np.arange(len(fb_rows)),
                                         carrier=competition.site_fallback)
    frame = pd.concat([acts.assign(row_id=np.arange(n)), fallback], ignore_index=True)
    result = calculate_site(frame.drop(columns=["committed", "category"]))
    lines = result.lines
    rid = lines["row_id"].to_numpy(dtype=np.int64)
    kg_all = np.full(n + len(fb_rows), np.nan)
    kg_all[rid] = lines["kg_co2e"].to_numpy(dtype=float)
    pos = np.full(n + len(fb_rows), -1)
    pos[rid] = np.arange(len(lines))
    claim = kg_all[:n]
    fb = np.full(n, np.nan)
    fb[fb_rows] = kg_all[n:]
    scored = committed_emissions(claim, fb, committed)
    use_fb = ~committed & np.isfinite(fb) & (scored != claim) & np.isfinite(claim)
    pos_fb = np.full(n, -1)
    pos_fb[fb_rows] = pos[n:]
    chosen = np.where(use_fb, pos_fb, pos[:n])
    ok = np.isfinite(claim)
    scope = acts["scope"].to_numpy(dtype=object)
    site_mask, mass_mask = ok & (scope == "site"), ok & (scope == "mass_transport")
    pick = lines.iloc[chosen[site_mask]]
    shares = energy_class_shares(pick["energy_class"].to_numpy(dtype=object),
                                 pick["energy_kwh"].to_numpy(dtype=float),
                                 acts["machine_hours"].to_numpy(dtype=float)[site_mask],
                                 acts["machine"].to_numpy(dtype=object)[site_mask])
    unmatched = result.unmatched
    urow = unmatched["row_id"].to_numpy(dtype=np.int64)
    claimed_un = urow < n
    refs = acts["source_ref"].to_numpy(dtype=object) if "source_ref" in acts else np.full(n, None)
    found = []
    if claimed_un.any():
        found.append(pd.DataFrame({"source_ref": refs[urow[claimed_un]], "kind": "site_not_computed",
                                   "reason": unmatched["reason"].astype(str).to_numpy()[claimed_un],
                                   "detail": unmatched["detail"].astype(str).to_numpy()[claimed_un]}))
    uncommitted = ~committed & ok
    if uncommitted.any():
        found.append(pd.DataFrame({
            "source_ref": refs[uncommitted], "kind": "uncommitted_site", "reason": "",
            "detail": acts["carrier"].astype(object).fillna("").astype(str).to_numpy()[uncommitted],
            "kg_co2e_claimed": claim[uncommitted], "kg_co2e": scored[uncommitted]}))
    site_lines = None
    if detail:
        carrier = np.append(lines["carrier_key"].to_numpy(dtype=object), None)[chosen]
        source = np.append(lines["factor_source"].to_numpy(dtype=object), None)[chosen]
        site_lines = pd.DataFrame({
            "sheet": "site", "row_id": np.arange(n), "source_ref": refs,
            "description": acts["activity"].to_numpy(dtype=object),
            "product": acts["machine"].to_numpy(dtype=object),
            "committed": acts["committed"].to_numpy(),
            "factor_id": carrier, "factor_source": source,
            "line_status": np.select([~ok, use_fb], ["not_computed", "fallback"], "site"),
            "kg_co2e_claimed": claim, "kg_co2e": np.where(ok, scored, np.nan),
            "A5": np.where(site_mask, scored, np.nan),
        })
    return {"total": float(np.nansum(np.where(site_mask, scored, 0.0))),
            "total_claimed": float(np.nansum(np.where(site_mask, claim, 0.0))),
            "mass_transport": float(np.nansum(np.where(mass_mask, scored, 0.0))),
            "rows": n,
            "shares": {b: float(shares.loc[b, "emission_free"]) for b in _SHARE_BASES},
            "findings": pd.concat(found, ignore_index=True).reindex(columns=_FINDING_COLUMNS)
            if found else _empty_findings(),
            "lines": site_lines}


def score_bid(path: str | Path, competition: Competition, detail: bool = False,
              parent_pid: int | None = None, factors=None, mappings=None) -> BidSummary:
    """Read and compute one bid file; any failure becomes a rejected summary.

    This is the task each worker runs. In a worker process (``parent_pid``
    differs from the worker's), BLAS is limited to one thread first.

    Parameters
    ----------
    path : str or Path
    competition : Competition
    detail : bool
        Also return every line.
    parent_pid : int, optional
        Process id of the caller of :func:`score_bids`.
    factors, mappings : optional
        As for :func:`evaluate_bid`.

    Returns
    -------
    BidSummary
    """
    if parent_pid is not None and parent_pid != os.getpid():
        _limit_blas()
    path = Path(path)
    try:
        return evaluate_bid(read_bid(path), competition, detail=detail, factors=factors,
                            mappings=mappings)
    except Exception as exc:  # noqa: BLE001 - the batch boundary: a bad bid is reported, not raised
        code = getattr(exc, "code", None) or type(exc).__name__
        text = getattr(exc, "problem", None) or (str(exc).splitlines()[0] if str(exc)
                                                  else type(exc).__name__)
        return BidSummary(file=path.name, ok=False, reason=str(code), detail=str(text))


def _limit_blas() -> None:
    """Limit BLAS and OpenMP pools to one thread in this worker process, once."""
    global _BLAS_LIMITED
    if not _BLAS_LIMITED:
        from threadpoolctl import threadpool_limits

        threadpool_limits(limits=1)
        _BLAS_LIMITED = True
