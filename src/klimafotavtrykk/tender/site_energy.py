"""The site sheet of one bid: A5 site energy, mass transport and emission-free shares.

:func:`evaluate_site` computes every site row twice in one call of
:func:`~klimafotavtrykk.site.calculate_site`: as claimed, and, for rows the
bidder did not commit to, on the competition's fallback carrier (fossil
diesel by default). What is scored is chosen per row
(:func:`~klimafotavtrykk.scoring.committed_emissions`).

A row whose carrier has no factor the evaluation can use (none given, a name
no table knows) is scored on the fallback carrier too: a carrier that cannot
be read earns nothing, as one not committed to. A row that states an amount
the model cannot size even then (a unit it does not know, machine hours
without a rated power, a negative amount) is counted as ``unsized``; the
evaluation rejects such a bid where site energy counts
(``site_energy_incomplete``), since leaving the row out would lower its
total.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from klimafotavtrykk.site import SHARE_BASES, carrier_unusable
from klimafotavtrykk.tender.findings import FINDING_COLUMNS, empty_findings
from klimafotavtrykk.tender.schema import SITE_SCOPE

__all__ = ["SiteRows", "SiteSlice", "SiteEmissions", "site_rows", "site_rows_many", "site_findings",
           "site_lines", "evaluate_site"]


@dataclass(frozen=True, eq=False)
class SiteRows:
    """Site rows computed as claimed and with fallbacks.

    Attributes
    ----------
    result : SiteResult
        The one site calculation: claimed rows (``row_id`` 0 .. n-1), then
        fallback rows of the uncommitted ones.
    committed : numpy.ndarray of bool
        The bidder commits to the row.
    claimed, scored : numpy.ndarray
        Per row as claimed, and as scored after the fallback; NaN when not
        computed. [kg CO2e]
    use_fallback : numpy.ndarray of bool
        The fallback row is scored instead of the claim.
    chosen : numpy.ndarray of int64
        Row of ``result.lines`` scored for each site row; -1 when none.
    computed : numpy.ndarray of bool
        The claimed row was computed.
    no_carrier : numpy.ndarray of bool
        The row states fuel, energy or machine hours but names no carrier
        with a factor the evaluation uses
        (:func:`~klimafotavtrykk.site.carrier_unusable`); it is scored on the
        fallback carrier.
    counted : numpy.ndarray of bool
        The row has a scored value (claimed or fallback).
    reason : numpy.ndarray of object
        Why the claimed row was not computed (a key of ``SITE_REASONS``); ""
        where it was.
    """

    result: object
    committed: np.ndarray
    claimed: np.ndarray
    scored: np.ndarray
    use_fallback: np.ndarray
    chosen: np.ndarray
    computed: np.ndarray
    no_carrier: np.ndarray
    counted: np.ndarray
    reason: np.ndarray


@dataclass(frozen=True, eq=False)
class SiteEmissions:
    """The site sheet of one bid, computed.

    Attributes
    ----------
    total, total_claimed : float
        Site energy A5, scored and claimed. [kg CO2e]
    mass_transport : float
        Mass transport, scored; outside A5. [kg CO2e]
    rows : int
        Number of site rows.
    shares : dict
        Emission-free share of site energy by basis
        (:data:`~klimafotavtrykk.site.SHARE_BASES`), after fallbacks; NaN
        without site rows. [-]
    findings : DataFrame
        Site rows not computed or not committed (finding columns).
    lines : DataFrame or None
        Every site row with its result, when detail was asked for.
    computed : int
        Site rows (inside the fence, A5) computed: 0 when the bid states no
        site energy that can be counted.
    unsized : int
        Site rows (not mass transport) that state an amount the model cannot
        compute, even on the fallback carrier.
    """

    total: float
    total_claimed: float
    mass_transport: float
    rows: int
    shares: dict[str, float]
    findings: pd.DataFrame
    lines: pd.DataFrame | None
    computed: int = 0
    unsized: int = 0


def site_rows(activities: pd.DataFrame, fallback_carrier: str) -> SiteRows:
    """Compute site rows as claimed and, where not committed, on the fallback carrier.

    Parameters
    ----------
    activities : DataFrame
        The bid's site rows (:func:`~klimafotavtrykk.tender.reader.bid_frames`), 0-indexed.
    fallback_carrier : str
        Carrier an uncommitted row is scored on (e.g. ``diesel``).

    Returns
    -------
    SiteRows
    """
    from klimafotavtrykk.scoring import committed_emissions
    from klimafotavtrykk.site import calculate_site

    acts = activities
    n = len(acts)
    committed = acts["committed"].astype("boolean").fillna(False).to_numpy(dtype=bool)
    no_carrier = carrier_unusable(acts, scope=SITE_SCOPE)
    fb_rows = np.flatnonzero(~committed | no_carrier)
    fallback = acts.iloc[fb_rows].assign(row_id=n + np.arange(len(fb_rows)),
                                         carrier=fallback_carrier)
    frame = pd.concat([acts.assign(row_id=np.arange(n)), fallback], ignore_index=True)
    result = calculate_site(frame.drop(columns=["committed", "category"]), scope=SITE_SCOPE)
    lines = result.lines
    kg_all = np.full(n + len(fb_rows), np.nan)
    kg_all[lines["row_id"].to_numpy(dtype=np.int64)] = lines["kg_co2e"].to_numpy(dtype=float)
    claim = kg_all[:n]
    fb = np.full(n, np.nan)
    fb[fb_rows] = kg_all[n:]
    return _chosen(result, n, fb_rows, committed, claim, fb,
                   committed_emissions(claim, fb, committed), no_carrier)


@dataclass(frozen=True, eq=False)
class SiteSlice:
    """One bid's part of a site calculation made for many bids: its ``lines`` and ``unmatched``.

    ``row_id`` is the bid's own, as :func:`site_rows` numbers them (claimed rows
    0 .. n-1, then the fallback rows).
    """

    lines: pd.DataFrame
    unmatched: pd.DataFrame


def site_rows_many(activities: list[pd.DataFrame], fallback_carrier: str) -> list[SiteRows]:
    """:func:`site_rows` for many bids in one site calculation.

    One :func:`~klimafotavtrykk.site.emissions.site_rows_computed` computes
    every bid's rows (the joint result's sums would be of no bid). Each bid's rows and fallback rows are numbered on from the previous
    bid's; the result is cut back into one :class:`SiteRows` per bid, as
    :func:`site_rows` gives it for that bid alone (its ``result`` a
    :class:`SiteSlice`).

    Parameters
    ----------
    activities : list of DataFrame
        Each bid's site rows, 0-indexed, none empty, all with the same columns.
    fallback_carrier : str

    Returns
    -------
    list of SiteRows
    """
    from klimafotavtrykk.scoring import committed_emissions
    from klimafotavtrykk.site.emissions import site_rows_computed

    every = pd.concat(activities, ignore_index=True)  # one frame for the bids, then one take
    committed_all = every["committed"].astype("boolean").fillna(False).to_numpy(dtype=bool)
    no_carrier_all = carrier_unusable(every, scope=SITE_SCOPE)
    sizes = np.array([len(acts) for acts in activities], dtype=np.int64)
    begins = np.concatenate([[0], np.cumsum(sizes)[:-1]]).astype(np.int64)
    take, is_fb, spans, first = [], [], [], 0
    for b, n in zip(begins.tolist(), sizes.tolist(), strict=True):  # bids, not rows
        committed = committed_all[b:b + n]
        fb_rows = np.flatnonzero(~committed | no_carrier_all[b:b + n])
        take += [np.arange(b, b + n), b + fb_rows]  # the bid's rows, then its fallback rows
        is_fb += [np.zeros(n, dtype=bool), np.ones(len(fb_rows), dtype=bool)]
        spans.append((first, n, fb_rows, committed))
        first += n + len(fb_rows)
    fb_row = np.concatenate(is_fb)
    frame = every.iloc[np.concatenate(take)].reset_index(drop=True)
    frame["row_id"] = np.arange(first)
    frame["carrier"] = pd.Series(np.where(fb_row, fallback_carrier,
                                          frame["carrier"].to_numpy(dtype=object)),
                                 index=frame.index, dtype=object)
    # the rows only: the joint result's sums and shares would be of no bid
    lines, unmatched = site_rows_computed(frame.drop(columns=["committed", "category"]),
                                          scope=SITE_SCOPE)
    rid = lines["row_id"].to_numpy(dtype=np.int64)
    kg_all = np.full(first, np.nan)
    kg_all[rid] = lines["kg_co2e"].to_numpy(dtype=float)
    urid = unmatched["row_id"].to_numpy(dtype=np.int64)
    claim = np.concatenate([kg_all[a:a + n] for a, n, _, _ in spans])
    fb = np.full(len(claim), np.nan)
    at, pos = 0, []
    for a, n, fb_rows, _ in spans:
        fb[at + fb_rows] = kg_all[a + n:a + n + len(fb_rows)]
        pos.append(at)
        at += n
    committed = np.concatenate([c for *_, c in spans])
    scored_all = committed_emissions(claim, fb, committed)  # every bid's rows at once
    # each row's own number within its bid, for all rows at once; a bid's rows are then a slice
    span_first = np.array([a for a, *_ in spans], dtype=np.int64)
    own_lines = lines.assign(row_id=rid - span_first[np.searchsorted(span_first, rid, "right") - 1])
    own_unmatched = unmatched.assign(
        row_id=urid - span_first[np.searchsorted(span_first, urid, "right") - 1])
    ends = span_first + np.array([n + len(f) for _, n, f, _ in spans], dtype=np.int64)
    lo, hi = np.searchsorted(rid, span_first), np.searchsorted(rid, ends)  # rows keep their order
    ulo, uhi = np.searchsorted(urid, span_first), np.searchsorted(urid, ends)
    out = []
    for j, ((_, n, fb_rows, committed_b), at) in enumerate(zip(spans, pos, strict=True)):
        part = SiteSlice(lines=own_lines.iloc[lo[j]:hi[j]],
                         unmatched=own_unmatched.iloc[ulo[j]:uhi[j]])
        out.append(_chosen(part, n, fb_rows, committed_b, claim[at:at + n], fb[at:at + n],
                           scored_all[at:at + n], no_carrier_all[begins[j]:begins[j] + n]))
    return out


def _chosen(result, n: int, fb_rows: np.ndarray, committed: np.ndarray, claim: np.ndarray,
            fb: np.ndarray, scored: np.ndarray, no_carrier: np.ndarray) -> SiteRows:
    """The :class:`SiteRows` of one bid from its computed rows and fallback rows.

    A row without a usable carrier is scored on its fallback row, committed or not.
    """
    rid = result.lines["row_id"].to_numpy(dtype=np.int64)
    pos = np.full(n + len(fb_rows), -1)
    pos[rid] = np.arange(len(rid))
    scored = np.where(no_carrier, fb, scored)
    use_fb = ((~committed & np.isfinite(fb) & (scored != claim) & np.isfinite(claim))
              | (no_carrier & np.isfinite(fb)))
    pos_fb = np.full(n, -1)
    pos_fb[fb_rows] = pos[n:]
    unmatched = result.unmatched
    urow = unmatched["row_id"].to_numpy(dtype=np.int64)
    claimed = urow < n
    reason = np.full(n, "", dtype=object)
    reason[urow[claimed]] = unmatched["reason"].astype(str).to_numpy()[claimed]
    return SiteRows(result=result, committed=committed, claimed=claim, scored=scored,
                    use_fallback=use_fb, chosen=np.where(use_fb, pos_fb, pos[:n]),
                    computed=np.isfinite(claim), no_carrier=no_carrier,
                    counted=np.isfinite(scored), reason=reason)


def site_findings(activities: pd.DataFrame, rows: SiteRows) -> pd.DataFrame:
    """Site rows the site model could not compute, and computed rows not committed.

    Returns
    -------
    DataFrame
        Finding columns; kinds ``site_not_computed``, ``site_carrier_fallback``
        (scored on the fallback carrier, ``kg_co2e`` as scored) and
        ``uncommitted_site``.
    """
    acts = activities
    reason = rows.reason
    refs = _refs(acts)
    found = []
    for kind, at in (("site_not_computed", (reason != "") & ~rows.counted),
                     ("site_carrier_fallback", rows.no_carrier & rows.counted)):
        if at.any():
            found.append(pd.DataFrame({
                "source_ref": refs[at], "kind": kind,
                "reason": reason[at],  # messages: site_reason.<reason>
                "detail": _written(acts.iloc[np.flatnonzero(at)], reason[at]),
                "kg_co2e_claimed": np.nan, "kg_co2e": rows.scored[at]}))
    uncommitted = ~rows.committed & rows.computed
    if uncommitted.any():
        found.append(pd.DataFrame({
            "source_ref": refs[uncommitted], "kind": "uncommitted_site", "reason": "",
            "detail": _carrier_names(acts["carrier"].to_numpy(dtype=object)[uncommitted]),
            "kg_co2e_claimed": rows.claimed[uncommitted], "kg_co2e": rows.scored[uncommitted]}))
    if not found:
        return empty_findings()
    return pd.concat(found, ignore_index=True).reindex(columns=list(FINDING_COLUMNS))


def site_lines(activities: pd.DataFrame, rows: SiteRows, site_mask: np.ndarray) -> pd.DataFrame:
    """Every site row with its amount, carrier, status and result (the per-line detail).

    Returns
    -------
    DataFrame
        ``quantity`` and ``unit`` as the bid wrote them, ``reason`` (a key of
        :data:`~klimafotavtrykk.site.SITE_REASONS`) on every row not computed,
        ``A5`` [kg CO2e] only on site-energy rows (not mass transport).
    """
    acts = activities
    lines = rows.result.lines
    ok = rows.counted
    reason = np.where(rows.reason == "", None, rows.reason)
    carrier = np.append(lines["carrier_key"].to_numpy(dtype=object), None)[rows.chosen]
    source = np.append(lines["factor_source"].to_numpy(dtype=object), None)[rows.chosen]
    return pd.DataFrame({
        "sheet": "site", "row_id": np.arange(len(acts)), "source_ref": _refs(acts),
        "description": acts["activity"].to_numpy(dtype=object),
        "quantity": _column(acts, "quantity", np.nan), "unit": _column(acts, "unit", None),
        "product": acts["machine"].to_numpy(dtype=object),
        "committed": acts["committed"].to_numpy(),
        "factor_id": carrier, "factor_source": source,
        "line_status": np.select([~ok, rows.use_fallback], ["not_computed", "fallback"], "site"),
        "reason": reason,
        "kg_co2e_claimed": rows.claimed, "kg_co2e": np.where(ok, rows.scored, np.nan),
        "A5": np.where(site_mask, rows.scored, np.nan),
    })


def evaluate_site(bid, competition, *, detail: bool = False, rows: SiteRows | None = None
                  ) -> SiteEmissions:
    """Site energy (A5) and mass transport, claimed and with fallbacks, and emission-free shares.

    Parameters
    ----------
    bid : Bid
        The bid, as read.
    competition : Competition
        Gives the fallback carrier (``site_fallback``).
    detail : bool
        Also return every site row with its result.
    rows : SiteRows, optional
        The bid's site rows already computed (:func:`site_rows_many`); default computed here.

    Returns
    -------
    SiteEmissions
    """
    from klimafotavtrykk.site.emissions import ENERGY_CLASSES, class_share_array

    acts = bid.site.reset_index(drop=True)
    n = len(acts)
    if n == 0:
        return SiteEmissions(total=0.0, total_claimed=0.0, mass_transport=0.0, rows=0,
                             shares=dict.fromkeys(SHARE_BASES, math.nan),
                             findings=empty_findings(), lines=None)
    rows = rows if rows is not None else site_rows(acts, competition.site_fallback)
    scope = acts["scope"].to_numpy(dtype=object)
    site_mask = rows.counted & (scope == "site")
    mass_mask = rows.counted & (scope == "mass_transport")
    unsized = ~rows.counted & _stated(acts, rows, bid.findings) & (scope != "mass_transport")
    pick = rows.result.lines.iloc[rows.chosen[site_mask]]
    shares = class_share_array(pick["energy_class"].to_numpy(dtype=object),
                               pick["energy_kwh"].to_numpy(dtype=float),
                               acts["machine_hours"].to_numpy(dtype=float)[site_mask],
                               acts["machine"].to_numpy(dtype=object)[site_mask]
                               )[:, ENERGY_CLASSES.index("emission_free")]
    return SiteEmissions(
        total=float(np.nansum(np.where(site_mask, rows.scored, 0.0))),
        total_claimed=float(np.nansum(np.where(site_mask, rows.claimed, 0.0))),
        mass_transport=float(np.nansum(np.where(mass_mask, rows.scored, 0.0))),
        rows=n, shares={b: float(v) for b, v in zip(SHARE_BASES, shares, strict=True)},
        findings=site_findings(acts, rows),
        lines=site_lines(acts, rows, site_mask) if detail else None, computed=int(site_mask.sum()),
        unsized=int(unsized.sum()))


def _stated(activities: pd.DataFrame, rows: SiteRows, read_findings: pd.DataFrame) -> np.ndarray:
    """Per site row: it states an amount, readable or not.

    A row states one when the model found an amount in it, when its quantity
    is a number other than 0 (in a unit the reader did not know), or when a
    number cell holds text that is no number (``bad_site_number`` among the
    reader's findings, at the row's cell reference).
    """
    quantity = _column(activities, "quantity", np.nan)
    stated = (rows.reason != "no_amount") | (
        np.isfinite(quantity) & (quantity != 0))
    if len(read_findings) and "kind" in read_findings.columns:
        bad = read_findings.loc[read_findings["kind"] == "bad_site_number", "source_ref"]
        stated |= np.isin(_refs(activities), bad.to_numpy(dtype=object))
    return stated


def _column(activities: pd.DataFrame, name: str, empty) -> np.ndarray:
    if name in activities.columns:
        return activities[name].to_numpy(dtype=object if empty is None else float)
    return np.full(len(activities), empty, dtype=object if empty is None else float)


def _carrier_names(keys: np.ndarray, lang: str = "nb") -> np.ndarray:
    """Carrier names as the template lists them (``Diesel (fossil)``); unknown keys as written."""
    from klimafotavtrykk.site import load_energy_carriers

    table = load_energy_carriers().drop_duplicates("carrier")
    names = dict(zip(table["carrier"], table[f"name_{lang}"], strict=True))
    names |= {"electricity": names.get("electricity_no", "electricity")}
    keys = pd.Series(keys, dtype=object)
    return keys.map(names).fillna(keys).fillna("").astype(str).to_numpy(dtype=object)


#: Which written value a site reason is about (the rest need none: the reason says it).
_REASON_COLUMN = {"unknown_carrier": "carrier", "no_factor_for_scope": "carrier",
                  "incompatible_unit": "unit", "unknown_machine_class": "machine_class",
                  "power_out_of_range": "rated_power_kw", "unknown_vehicle_class": "vehicle_class",
                  "missing_power": "machine"}


def _written(activities: pd.DataFrame, reason: np.ndarray) -> np.ndarray:
    """The value a site row's reason is about, as written in the bid; "" when none."""
    detail = np.full(len(activities), "", dtype=object)
    for name, column in _REASON_COLUMN.items():  # one vectorised step per reason, not per row
        rows = reason == name
        if rows.any() and column in activities.columns:
            values = activities[column].to_numpy(dtype=object)[rows]
            detail[rows] = (_carrier_names(values) if column == "carrier" else
                            pd.Series(values, dtype=object).fillna("").astype(str).to_numpy())
    return detail


def _refs(activities: pd.DataFrame) -> np.ndarray:
    if "source_ref" in activities:
        return activities["source_ref"].to_numpy(dtype=object)
    return np.full(len(activities), None)
