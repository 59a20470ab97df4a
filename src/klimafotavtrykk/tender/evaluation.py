"""Compute one bid that has been read: :func:`evaluate_bid` and the :class:`BidSummary` it returns.

The summary is small and picklable (totals, per module, shares and only the
downgraded lines; per-line frames only when detail is asked for), so that a
worker of :func:`klimafotavtrykk.tender.score_bids` can send it back. The
materials sheet is computed by :mod:`~klimafotavtrykk.tender.materials`, the
site sheet by :mod:`~klimafotavtrykk.tender.site_energy`.

How a bid is computed (:func:`evaluate_bid`)
--------------------------------------------
* Each distinct EPD the bid declares (EPD number, declared unit, GWP A1-A3)
  becomes one row of a per-bid factor table with the dataset type the bid
  states. A claim counts only when it passes the EPD checks
  (:mod:`~klimafotavtrykk.tender.epd_checks`: plausible range, registration
  number, valid-until date; expired at the competition's tender date, it
  fails): otherwise the line is the generic value with the profile's
  markup, as a line without a claim. The EPD gives A1-A3; the other modules,
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

import math
import warnings
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from klimafotavtrykk._string_storage import python_strings
from klimafotavtrykk.tender.competition import Competition
from klimafotavtrykk.tender.duplicates import content_fingerprint
from klimafotavtrykk.tender.findings import DOWNGRADES, FINDING_KINDS, sorted_findings
from klimafotavtrykk.tender.materials import evaluate_materials
from klimafotavtrykk.tender.reader import Bid
from klimafotavtrykk.tender.site_energy import evaluate_site
from klimafotavtrykk.vocabulary import MODULES

__all__ = ["BidSummary", "DOWNGRADES", "FINDING_KINDS", "bid_summary", "evaluate_bid"]

_A5 = MODULES.index("A5")


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
        Failure codes of the bid's own gates joined by ``;`` (``""``: passed):
        product limits, and ``site_energy_missing`` when the profile counts
        site energy and the bid states none that can be computed, or
        ``site_energy_incomplete`` when a site row states an amount that
        cannot be computed (leaving it out would lower the bid's total).
    counts : dict
        ``lines``, ``computed``, ``epd``, ``downgraded``, ``not_computed``, ``site_rows``.
    findings : DataFrame
        Downgraded, not computed and not understood lines (:data:`~klimafotavtrykk.tender.findings.FINDING_COLUMNS`).
    lines : DataFrame or None
        Every line with its result, only when detail was asked for.
    warnings : tuple of str
    content_sha256 : str or None
        Hash of what the bid is evaluated on, without its file name
        (:func:`~klimafotavtrykk.tender.duplicates.content_fingerprint`).
    price_ref : str or None
        Cell of the declared price, as Excel writes it.
    contributions : DataFrame or None
        Scored material emissions per factor scored with, for sampling the
        ranking (:mod:`~klimafotavtrykk.tender.uncertainty`). [kg CO2e]
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
    content_sha256: str | None = None
    price_ref: str | None = None
    contributions: pd.DataFrame | None = None


@python_strings
def evaluate_bid(bid: Bid, competition: Competition, *, detail: bool = False, factors=None,
                 mappings=None) -> BidSummary:
    """Compute one bid that has been read: materials, site, fallbacks and product limits.

    Parameters
    ----------
    bid : Bid
        As :func:`~klimafotavtrykk.tender.reader.read_bid` returns it (or built
        from frames in a notebook).
    competition : Competition
        The competition the bid is computed under.
    detail : bool
        Also return every line with its result.
    factors : FactorTable, optional
        Generic factors the bid falls back to; default the shipped ones.
    mappings : Mappings, optional
        Description and NS 3420 mappings; default the shipped ones.

    Returns
    -------
    BidSummary
        Warnings raised while computing are recorded in ``warnings``, not raised.
    """
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        materials = evaluate_materials(bid, competition, detail=detail, factors=factors,
                                       mappings=mappings)
        site = evaluate_site(bid, competition, detail=detail)
    return bid_summary(bid, competition, materials, site, detail=detail, caught=caught)


def _site_gate(site) -> str:
    """The site gate where site energy counts: none computed, or a row that states an amount not computed."""
    if site.computed == 0:
        return "site_energy_missing"
    return "site_energy_incomplete" if site.unsized else ""


def bid_summary(bid: Bid, competition: Competition, materials, site, *, detail: bool = False,
                caught=(), content_sha256: str | None = None) -> BidSummary:
    """The summary of a bid whose materials and site sheets are computed (the end of :func:`evaluate_bid`).

    Parameters
    ----------
    bid : Bid
    competition : Competition
    materials : MaterialEmissions
    site : SiteEmissions
    detail : bool
        Keep every line.
    caught : sequence of warnings.WarningMessage
        Warnings raised while computing the bid.
    content_sha256 : str, optional
        :func:`~klimafotavtrykk.tender.duplicates.content_fingerprint` of the
        bid when already known (a batch's worker makes it); default made here.

    Returns
    -------
    BidSummary
    """
    with_site = bool(competition.scoring_profile.site_energy)
    by_module = materials.by_module.copy()
    if with_site:
        by_module[_A5] += site.total
    kg = materials.total + (site.total if with_site else 0.0)
    claimed = materials.total_claimed + (site.total_claimed if with_site else 0.0)
    read = ([bid.findings.assign(file=bid.file, reason=bid.findings.get("reason", ""),
                                 kg_co2e_claimed=np.nan, kg_co2e=np.nan)]
            if len(bid.findings) else [])
    findings = sorted_findings([*read, materials.findings, site.findings], bid.file)
    lines = None
    if detail:
        lines = pd.concat([f for f in (materials.lines, site.lines) if f is not None],
                          ignore_index=True).assign(file=bid.file)
    d = bid.declaration
    notes = tuple(dict.fromkeys([*bid.warnings, *(str(w.message) for w in caught)]))
    return BidSummary(
        file=bid.file, ok=True, bidder=d.get("bidder"), org_number=d.get("org_number"),
        date=d.get("date"), price_nok=float(d.get("price_nok") if d.get("price_nok") is not None
                                            else math.nan),
        sha256=bid.sha256, kg_co2e=float(kg), kg_co2e_claimed=float(claimed),
        materials_kg_co2e=float(materials.total), site_kg_co2e=float(site.total),
        site_kg_co2e_claimed=float(site.total_claimed),
        mass_transport_kg_co2e=float(site.mass_transport),
        by_module=tuple(float(v) for v in by_module), zero_emission_shares=site.shares,
        product_gate=";".join(g for g in (materials.gate, _site_gate(site) if with_site else "") if g),
        counts={"lines": materials.n_lines, "computed": materials.n_computed,
                "epd": materials.n_epd, "downgraded": materials.n_downgraded,
                "not_computed": materials.n_not_computed, "site_rows": site.rows},
        findings=findings, lines=lines, warnings=notes,
        content_sha256=content_fingerprint(bid) if content_sha256 is None else content_sha256,
        price_ref=d.get("price_nok_ref"), contributions=materials.contributions)
