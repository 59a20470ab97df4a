"""Compute many bids at once: build once, score many.

A batch's workers only read: each opens and checks a bid file, reads and
types its sheets, matches its lines to the tender's and fingerprints its
content (:func:`prepare_bid`), and hands back a :class:`ReadBid`. The parent
then computes the bids together (:func:`evaluate_many`): the material lines
of all of them in one frame, each bid's lines together, so that each distinct
line text is matched once, each distinct EPD claim of a bid becomes one factor
row of one table, one :func:`~klimafotavtrykk.assessment.calculate` computes
every line (and one more the plain generic fallbacks, when the competition
asks for them), and one :func:`~klimafotavtrykk.site.calculate_site` every
bid's site rows. Every step is computed line by line, so each line gets the
very numbers it gets when its bid is computed alone; the arrays are then cut
back into bids, and each bid's findings, gates, totals and lines are drawn
from its own rows exactly as :func:`~klimafotavtrykk.tender.evaluation.evaluate_bid`
draws them.

A bid is computed alone instead, as before, when the shared pass fails (a bid
whose EPD rows the factor checks refuse: the error is its own) or raises a
warning that cannot be traced to the bids it concerns (its text names them),
so that one bad bid never stops or changes the rest.
"""

from __future__ import annotations

import dataclasses
import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd

from klimafotavtrykk._frames import factorized, row_codes
from klimafotavtrykk.tender.claims import claim_factor_tables, epd_claims, generic_match
from klimafotavtrykk.tender.competition import Competition
from klimafotavtrykk.tender.duplicates import content_fingerprint
from klimafotavtrykk.tender.epd_checks import check_claims
from klimafotavtrykk.tender.evaluation import BidSummary, bid_summary
from klimafotavtrykk.tender.materials import (
    MaterialState,
    bid_materials,
    evaluate_materials,
    line_emissions,
    material_findings_many,
    own_scenario_counts,
    own_scenario_given,
    product_limit_findings_many,
    scenario_accepted,
    scored_lines,
    without_own_scenario,
)
from klimafotavtrykk.tender.reader import Bid
from klimafotavtrykk.tender.reference import Reconciled, reconcile
from klimafotavtrykk.tender.site_energy import evaluate_site, site_rows_many
from klimafotavtrykk.tender.uncertainty import contributions_many

__all__ = ["ReadBid", "GenericMatcher", "prepare_bid", "evaluate_many", "rejected_summary"]


@dataclass(frozen=True, eq=False)
class ReadBid:
    """A bid as a batch's worker hands it back: read, checked and matched to the tender.

    Attributes
    ----------
    bid : Bid
        The bid as read, its materials frame left empty (``reconciled`` holds
        the lines that are computed), so that less crosses between processes.
    reconciled : Reconciled
        Its material lines matched to the tender's
        (:func:`~klimafotavtrykk.tender.reference.reconcile`).
    content_sha256 : str
        :func:`~klimafotavtrykk.tender.duplicates.content_fingerprint` of the bid.
    n_lines : int
        Lines to compute. [-]
    """

    bid: Bid
    reconciled: Reconciled
    content_sha256: str
    n_lines: int


def prepare_bid(bid: Bid, competition: Competition) -> ReadBid:
    """Match a bid's lines to the tender's and fingerprint it: what a worker does after reading.

    Parameters
    ----------
    bid : Bid
        As :func:`~klimafotavtrykk.tender.reader.read_bid` returns it.
    competition : Competition

    Returns
    -------
    ReadBid
    """
    rec = reconcile(bid.materials, competition.tender_quantities, competition.quantity_rule,
                    bid.file, getattr(bid, "columns", None))
    # without rows, and consolidated (a copy of nothing): few blocks to pickle, however many
    # the reader's frame has
    return ReadBid(bid=dataclasses.replace(bid, materials=bid.materials.iloc[:0].copy()),
                   reconciled=rec,
                   content_sha256=content_fingerprint(bid), n_lines=len(rec.evaluated))


def rejected_summary(file: str, exc: BaseException) -> BidSummary:
    """A rejected bid's summary: the error's ``code`` (else its class) and the first line of its text."""
    code = getattr(exc, "code", None) or type(exc).__name__
    text = getattr(exc, "problem", None) or (str(exc).splitlines()[0] if str(exc)
                                              else type(exc).__name__)
    return BidSummary(file=file, ok=False, reason=str(code), detail=str(text))


class GenericMatcher:
    """:func:`~klimafotavtrykk.tender.claims.generic_match` that matches each line text once per batch.

    The generic factor of a line depends only on its description and NS 3420
    code (:func:`~klimafotavtrykk.matching.match_factors` reads nothing
    else when no factor id is given), and matching costs about the same for
    eight texts as for fifty thousand lines: the rules run once per pattern.
    So each distinct (description, item code) is matched the first time a
    pass meets it and remembered for the passes after.

    Parameters
    ----------
    generic : FactorTable
    mappings : Mappings or None
    """

    _COLUMNS = ("description", "item_code")

    def __init__(self, generic, mappings=None):
        self.generic, self.mappings = generic, mappings
        self.known: dict[tuple, int] = {}

    def __call__(self, materials: pd.DataFrame):
        """The :class:`~klimafotavtrykk.tender.claims.GenericMatch` of ``materials``."""
        from klimafotavtrykk.tender.claims import GenericMatch

        columns = [c for c in self._COLUMNS if c in materials.columns]
        codes, distinct = _distinct_rows(materials, columns)
        new = [k for k in dict.fromkeys(distinct) if k not in self.known]
        if new:  # texts no pass has met yet: matched once, together
            found = generic_match(pd.DataFrame(new, columns=columns, dtype=object), self.generic,
                                  self.mappings)
            self.known.update(zip(new, found.index.tolist(), strict=True))
        index = np.array([self.known[k] for k in distinct], dtype=np.int64)[codes]
        ids = self.generic.ids.to_numpy(dtype=object)
        return GenericMatch(index=index, factor_id=np.where(index >= 0, ids[np.maximum(index, 0)],
                                                            None))


def _distinct_rows(frame: pd.DataFrame, columns: list[str]) -> tuple[np.ndarray, list[tuple]]:
    """Code of each row's values in ``columns`` and the distinct value tuples, first seen first.

    A blank, however spelled, is None in the tuples; no tuple is made per row
    (:func:`~klimafotavtrykk._frames.row_codes`).
    """
    if not columns:
        return np.zeros(len(frame), dtype=np.int64), [()] * min(len(frame), 1)
    coded = [factorized(frame[name].to_numpy(dtype=object)) for name in columns]
    codes, first = row_codes([c for c, _ in coded])
    parts = [np.append(np.asarray(uniques, dtype=object), None)[c[first]]  # -1: blank, None
             for c, uniques in coded]
    return codes, list(zip(*(p.tolist() for p in parts), strict=True))


def evaluate_many(read: list[ReadBid], competition: Competition, *, detail: bool = False,
                  factors=None, mappings=None, matcher: GenericMatcher | None = None
                  ) -> list[BidSummary]:
    """Compute read bids together; each summary is the one its bid gets when computed alone.

    Parameters
    ----------
    read : list of ReadBid
    competition : Competition
    detail : bool
        Keep every line of every bid.
    factors, mappings : optional
        As for :func:`~klimafotavtrykk.tender.evaluation.evaluate_bid`.
    matcher : GenericMatcher, optional
        Remembers the line texts matched by earlier passes of the same batch
        (made with the same factors and mappings); default a new one.

    Returns
    -------
    list of BidSummary
        In the order of ``read``; a bid that cannot be computed is a rejected summary.
    """
    from klimafotavtrykk.factors import load_factors

    generic = load_factors() if factors is None else factors
    matcher = matcher or GenericMatcher(generic, mappings)
    out: list[BidSummary | None] = [None] * len(read)
    for members in _groups([r.reconciled.evaluated for r in read],
                           [tuple(sorted(getattr(r.bid, "columns", {}).items())) for r in read]):
        part = [read[i] for i in members]
        try:
            done = _together(part, competition, detail, generic, mappings, matcher)
        except Exception:  # noqa: BLE001 - the shared pass failed: each bid alone, errors its own
            done = [None] * len(part)
        for j, i in enumerate(members):
            out[i] = done[j] if done[j] is not None else alone(part[j], competition, detail,
                                                               generic, mappings)
    return out


def alone(read: ReadBid, competition: Competition, detail: bool = False, factors=None,
          mappings=None) -> BidSummary:
    """Compute one read bid by itself, as :func:`~klimafotavtrykk.tender.evaluation.evaluate_bid` does."""
    bid = read.bid
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            materials = evaluate_materials(bid, competition, detail=detail, factors=factors,
                                           mappings=mappings, reconciled=read.reconciled)
            site = evaluate_site(bid, competition, detail=detail)
        return bid_summary(bid, competition, materials, site, detail=detail, caught=caught,
                           content_sha256=read.content_sha256)
    except Exception as exc:  # noqa: BLE001 - the batch boundary: a bad bid is reported, not raised
        return rejected_summary(bid.file, exc)


def _signature(frame: pd.DataFrame) -> tuple:
    """Columns and dtypes (with categories): frames concatenated only when it changes nothing."""
    return tuple((str(c), str(t), tuple(t.categories) if isinstance(t, pd.CategoricalDtype) else ())
                 for c, t in frame.dtypes.items())


def _groups(frames: list[pd.DataFrame], extra: list) -> list[list[int]]:
    """Positions of the frames that share columns, dtypes and ``extra``, in first-seen order."""
    groups: dict[tuple, list[int]] = {}
    for i, (frame, more) in enumerate(zip(frames, extra, strict=True)):
        groups.setdefault((_signature(frame), more), []).append(i)
    return list(groups.values())


def _together(part: list[ReadBid], competition: Competition, detail: bool, generic, mappings,
              matcher: GenericMatcher) -> list[BidSummary | None]:
    """One shared pass over bids whose frames concatenate cleanly; None for a bid to compute alone."""
    ms, deleted = [], []
    for r in part:  # one frame per bid
        m = r.reconciled.evaluated.reset_index(drop=True)
        # as the Series' ==, a blank (as None) False, without its masked-array steps per bid
        deleted.append(m["origin"].to_numpy(dtype=object, na_value=None) == "tender")
        ms.append(m.drop(columns="origin"))
    lengths = np.array([len(m) for m in ms], dtype=np.int64)
    starts = np.concatenate([[0], np.cumsum(lengths)])
    every = pd.concat(ms, ignore_index=True)
    bid = np.repeat(np.arange(len(part)), lengths)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        match = matcher(every)
        claims = epd_claims(every, competition.tender_date)
        checks = check_claims(every, claims, match, generic, competition)
        table, epd_ids, calc_ids = claim_factor_tables(generic, every, claims, match,
                                                       [r.bid.file for r in part], bid)
        accepted = scenario_accepted(np.asarray([r.bid.file for r in part], dtype=object)[bid],
                                     every["source_ref"].to_numpy(dtype=object)
                                     if "source_ref" in every.columns else np.full(len(every), None),
                                     getattr(competition, "accepted_scenarios", ()))
        own_given = own_scenario_given(every)  # for the bids' findings, each its own slice
        emissions = line_emissions(without_own_scenario(every, own_scenario_counts(every, accepted),
                                                        given=own_given),
                                   claims, match, calc_ids, table, competition, mappings)
        scored = scored_lines(every, claims, emissions, checks)
        state = MaterialState(match, claims, checks, epd_ids, emissions, scored)
        found = material_findings_many(every, claims, emissions, scored, checks,
                                       getattr(part[0].bid, "columns", None), bid, len(part))
        gates, over = product_limit_findings_many(every, claims, match, generic, scored,
                                                  competition, bid, len(part))
        shares = contributions_many(every, claims, match, epd_ids, scored, generic, bid, len(part))
    if caught:  # e.g. implausible quantities: the warning names its lines, so each bid alone
        return [None] * len(part)
    sites, warned = _sites(part, competition)
    out: list[BidSummary | None] = []
    for j, r in enumerate(part):  # each bid's findings and totals from its own rows
        if j in warned:
            out.append(None)
            continue
        try:
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                materials = bid_materials(r.bid, r.reconciled, ms[j], deleted[j],
                                          state.rows(starts[j], starts[j + 1]), generic,
                                          competition, detail,
                                          found=None if found is None else found[j],
                                          limits=(gates[j], over[j]),
                                          contributions=shares[j],
                                          own_given=own_given[starts[j]:starts[j + 1]])
                site = evaluate_site(r.bid, competition, detail=detail, rows=sites.get(j))
            out.append(bid_summary(r.bid, competition, materials, site, detail=detail,
                                   caught=caught, content_sha256=r.content_sha256))
        except Exception:  # noqa: BLE001 - this bid alone again: its error becomes its rejection
            out.append(None)
    return out


def _sites(part: list[ReadBid], competition: Competition) -> tuple[dict, set[int]]:
    """Every bid's site rows in one calculation per frame layout: SiteRows by position, and bids to redo.

    A bid whose rows raised a warning (machine hours without a machine
    class) is computed alone, so that the warning counts its rows only.
    """
    acts = {j: r.bid.site.reset_index(drop=True) for j, r in enumerate(part) if len(r.bid.site)}
    keys = list(acts)
    rows: dict[int, object] = {}
    warned: set[int] = set()
    for members in _groups([acts[k] for k in keys], [None] * len(keys)):
        positions = [keys[i] for i in members]
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            computed = site_rows_many([acts[j] for j in positions], competition.site_fallback)
        rows.update(zip(positions, computed, strict=True))
        if caught:
            assumed = [j for j, s in zip(positions, computed, strict=True)
                       if "class_assumed" in s.result.lines
                       and s.result.lines["class_assumed"].astype(bool).any()]
            warned |= set(assumed or positions)
    return rows, warned
