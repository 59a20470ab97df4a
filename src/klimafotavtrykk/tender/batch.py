"""Score many bid files: read, compute, check, score and rank, with an audit trail.

:func:`score_bids` builds once and scores many. Reading runs on any
:mod:`concurrent.futures` executor, one task per file
(:func:`read_for_batch`: open, check and read the workbook with
:func:`klimafotavtrykk.tender.reader.read_bid`, match its lines to the
tender's, fingerprint it). The parent computes the read bids together, a
pass of :data:`LINES_PER_PASS` lines at a time while the pool reads on
(:func:`klimafotavtrykk.tender.many.evaluate_many`: each distinct line text
matched once, one calculation for every line), keeps only each bid's small
:class:`BidSummary` (totals, per module, shares, and only the downgraded
lines; whole frames only when per-line detail is asked for), and scores the
batch (:func:`klimafotavtrykk.scoring.score`). Each bid gets exactly what
:func:`evaluate_bid` gives it alone. A file that cannot be read, or is
hostile, becomes a rejected bid and the batch goes on.

The batch never breaks half-way: the competition, the quality points and
every other value the client gives are checked before the first bid is read
(:mod:`~klimafotavtrykk.tender.quality`); a file that is not a regular file
(a FIFO, a device) is refused without being opened; a worker process that
dies costs only the bid it was reading
(:func:`~klimafotavtrykk.tender.workers.run_tasks`: the bids it held are
retried one by one, the rest go to a fresh pool). Bids with the same
content are flagged (:mod:`~klimafotavtrykk.tender.duplicates`), and equal
totals are decided only by the competition's tie rules, never by file name.

How one bid is computed is described in :mod:`klimafotavtrykk.tender.evaluation`.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import math
import os
import pickle
import warnings
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from klimafotavtrykk import __version__
from klimafotavtrykk._string_storage import python_strings
from klimafotavtrykk.errors import InputError, user_stacklevel
from klimafotavtrykk.gc_pause import collector_paused
from klimafotavtrykk.tender.competition import (
    Competition,
    competition_parameters,
    load_competition,
    python_tender_lines,
)
from klimafotavtrykk.tender.duplicates import duplicate_groups, names_text
from klimafotavtrykk.tender.evaluation import BidSummary, evaluate_bid
from klimafotavtrykk.tender.findings import DOWNGRADES, empty_findings
from klimafotavtrykk.tender.many import (
    GenericMatcher,
    ReadBid,
    evaluate_many,
    prepare_bid,
    rejected_summary,
)
from klimafotavtrykk.tender.quality import check_values
from klimafotavtrykk.tender.reader import read_bid
from klimafotavtrykk.tender.workers import not_regular, run_tasks
from klimafotavtrykk.vocabulary import MODULES

__all__ = ["Evaluation", "bid_paths", "skipped_entries", "check_inputs", "evaluate_summaries", "score_bid",
           "score_bids", "read_for_batch", "LINES_PER_PASS"]

_BLAS_LIMITED = False


@dataclass(frozen=True, eq=False)
class Evaluation:
    """The scored competition, as frames for notebooks and the evaluation workbook.

    Attributes
    ----------
    competition : Competition
    ranking : DataFrame
        One row per readable bid, indexed by file, best first: ``bidder``,
        ``org_number``, the columns of :func:`~klimafotavtrykk.scoring.score`
        (points, total, rank, status, explanation codes ...),
        ``kg_co2e_claimed`` [kg CO2e], ``site_kg_co2e``,
        ``mass_transport_kg_co2e`` [kg CO2e], ``n_downgraded``,
        ``n_not_computed``, ``sha256`` and ``duplicate_group`` (the first file
        name of the bid's group of duplicates, ``""`` for none). Bids with
        equal totals that no tie rule separates share a rank (``tie_rule``
        ``manual``); the row order among them is by file name only for display.
    points : DataFrame
        Points per criterion and their weighted contributions per bid. [points]
    rejected : DataFrame
        ``file``, ``bidder``, ``stage`` (``read`` or ``gate``), ``reason``
        (code) and ``detail``: unreadable files and bids failing a gate.
    findings : DataFrame
        Every downgraded, not computed or not understood line of every bid:
        ``file``, ``source_ref``, ``kind``, ``reason``, ``detail``,
        ``kg_co2e_claimed`` and ``kg_co2e`` [kg CO2e].
    lines : DataFrame or None
        Every line of every bid with its result and source (``detail=True``).
    by_module : DataFrame
        Scored emissions per bid and module. [kg CO2e]
    effective_climate_weight, nominal_climate_weight : float
        [-]; see :func:`~klimafotavtrykk.scoring.effective_weights`.
    effective_weights : dict
        Criterion -> effective weight. [-]
    parameters : DataFrame
        Every competition parameter: ``parameter`` (dotted key), ``value``,
        ``source`` and ``note``.
    metadata : dict
        ``version`` of the library and the number of ``downgraded`` lines.
    warnings : tuple of str
        Weight warnings (§ 7-9) and notes from reading and computing.
    notices : tuple of (str, dict)
        Notes for the client as message keys (``data/messages``) and their
        fields, e.g. a quality row for a bid that could not be read.
    uncertainty : RankingUncertainty or None
        How sure the ranking is given each bid's data quality
        (:func:`~klimafotavtrykk.tender.uncertainty.ranking_uncertainty`),
        when asked for; the points are unchanged by it.
    """

    competition: Competition
    ranking: pd.DataFrame
    points: pd.DataFrame
    rejected: pd.DataFrame
    findings: pd.DataFrame
    lines: pd.DataFrame | None
    by_module: pd.DataFrame
    effective_climate_weight: float
    nominal_climate_weight: float
    effective_weights: dict[str, float]
    parameters: pd.DataFrame = field(default_factory=pd.DataFrame)
    metadata: dict[str, Any] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()
    notices: tuple[tuple[str, dict[str, str]], ...] = ()
    uncertainty: Any = None


# ============================================================================ many bids

def bid_paths(paths) -> list[Path]:
    """Bid files to score, sorted by file name.

    Parameters
    ----------
    paths : str, Path or iterable of them
        A folder (every entry in it except subfolders, hidden files and Excel
        lock files ``~$…``; whatever else is there, FIFOs and devices too, is
        listed and, if it is no bid, rejected), one file, or several files
        and folders.

    Returns
    -------
    list of pathlib.Path
    """
    items = [paths] if isinstance(paths, str | os.PathLike) else list(paths)
    out: list[Path] = []
    for item in items:
        path = Path(item)
        if path.is_dir():
            out += [p for p in path.iterdir()
                    if not p.is_dir() and not p.name.startswith((".", "~$"))]
        else:
            out.append(path)
    return sorted(dict.fromkeys(out), key=lambda p: (p.name, str(p)))


@python_strings
def score_bids(competition: Competition | str | Path, paths, *, executor=None,
               detail: bool = False, prices: Mapping[str, float] | None = None,
               quality: Mapping[str, float] | None = None,
               progress: Callable[[int, int, str], None] | None = None,
               factors=None, mappings=None, uncertainty: bool = False) -> Evaluation:
    """Score every bid of a competition.

    Parameters
    ----------
    competition : Competition, str or Path
        The competition, or its ``konkurranse.toml``.
    paths : str, Path or iterable
        A folder of bids, or bid files (:func:`bid_paths`).
    executor : concurrent.futures.Executor, optional
        Where to read the bids (this process computes them): a ``ProcessPoolExecutor``, a
        ``ThreadPoolExecutor``, or a ``dask.distributed`` client's
        ``client.get_executor()``. None runs them one by one here. BLAS is
        limited to one thread in this process while the batch runs, and in
        each worker process; this process's cyclic garbage collector is paused
        meanwhile (:func:`~klimafotavtrykk.gc_pause.collector_paused`). When a worker process dies, the bids it may have
        held are retried one at a time and the rest go to a fresh
        ``ProcessPoolExecutor`` (:func:`~klimafotavtrykk.tender.workers.run_tasks`);
        ``executor`` itself is
        the caller's to shut down.
    detail : bool
        Keep every line of every bid (``Evaluation.lines``).
    prices : mapping, optional
        Price per bid file name or bidder name [NOK]; default the price each
        bid declares.
    quality : mapping, optional
        Quality points per bid file name or bidder name [points], when the
        competition weighs quality.
    progress : callable, optional
        Called as ``progress(done, total, file_name)`` after each bid is read.
    factors, mappings : optional
        Generic factors and mappings (:func:`evaluate_bid`); default the shipped ones.
    uncertainty : bool
        Also say how sure the ranking is (``Evaluation.uncertainty``).

    Returns
    -------
    Evaluation
        The same inputs give the same frames, in any order of reading: bids
        are keyed and sorted by file name, and equal totals are decided by the
        competition's tie rules or left to the client (never by file name).

    Raises
    ------
    InputError
        Before any bid is read: when the competition file is invalid, no bid
        file is found, the rule needs quality points and none are given
        (``tender.quality_missing``), or a quality point or price is not a
        number in its range (``tender.values_out_of_range``).

    Warns
    -----
    WeightWarning
        Also recorded in ``Evaluation.warnings``, when the climate weight is
        below the § 7-9 minimum.
    """
    from threadpoolctl import threadpool_limits

    comp = competition if isinstance(competition, Competition) else load_competition(competition)
    quality, prices = check_inputs(comp, quality=quality, prices=prices)
    files = bid_paths(paths)
    if not files:
        raise InputError("no bid files found", found=str(paths), code="tender.no_bids")
    computed = python_tender_lines(comp)  # matched against every bid's lines: converted once
    task = _ReadTask(computed, os.getpid()) if executor is not None else functools.partial(
        read_for_batch, competition=computed, parent_pid=os.getpid())
    passes = _Passes(computed, detail=detail, factors=factors, mappings=mappings)
    # the collector paused for the whole batch, not only the passes: the read bids the pool
    # hands back are unpickled here (frames and arrays, no cycles to find), and each
    # collection while they are pending scanned them all again (about 0.8 ms a bid)
    with threadpool_limits(limits=1), collector_paused():
        run_tasks(task, files, executor=executor, progress=progress, collect=passes.add)
        summaries = passes.finish(len(files))
    evaluation = evaluate_summaries(comp, summaries, prices=prices, quality=quality,
                                    uncertainty=uncertainty)
    skipped = skipped_entries(paths)
    if skipped:  # nothing in a bid folder is passed over without a word
        notice = ("eval.notice.skipped_entries", {"n": str(len(skipped)), "files": names_text(skipped)})
        evaluation = dataclasses.replace(evaluation, notices=(*evaluation.notices, notice))
    return evaluation


def skipped_entries(paths) -> list[str]:
    """Entries of the bid folders that :func:`bid_paths` leaves out.

    Subfolders (their files are not read), hidden files and Excel lock files
    ``~$…``: listed so that the evaluation can say what it did not read.

    Parameters
    ----------
    paths : str, Path or iterable of them
        As for :func:`bid_paths`.

    Returns
    -------
    list of str
        Entry names (a subfolder ends in ``/``), sorted.
    """
    items = [paths] if isinstance(paths, str | os.PathLike) else list(paths)
    out = []
    for item in map(Path, items):
        if item.is_dir():
            out += [p.name + "/" if p.is_dir() else p.name for p in item.iterdir()
                    if p.is_dir() or p.name.startswith((".", "~$"))]
    return sorted(out)


def check_inputs(competition: Competition, *, quality=None, prices=None):
    """Check the client's values against the competition before any bid is read.

    Parameters
    ----------
    competition : Competition
    quality : mapping, optional
        Quality points per bid file or bidder; needed when quality weighs,
        each in ``[0, rule.max_points]``. [points]
    prices : mapping, optional
        Prices per bid file or bidder, each finite, positive and at most
        ``rule.max_price_nok``. [NOK]

    Returns
    -------
    quality, prices : dict or None
        The values as float.

    Raises
    ------
    InputError
        ``tender.quality_missing`` or ``tender.values_out_of_range``.
    """
    rule = competition.rule
    if rule.quality_weight > 0 and quality is None:
        raise InputError(f"the competition weighs quality ({rule.quality_weight:g}): "
                         "give the quality points", code="tender.quality_missing")
    quality = check_values("quality", quality, 0.0, rule.max_points)
    prices = check_values("prices", prices, 0.0, rule.max_price_nok, strict_low=True)
    return quality, prices


@python_strings
def evaluate_summaries(competition: Competition, summaries: Iterable[BidSummary], *,
                       prices=None, quality=None, uncertainty: bool = False) -> Evaluation:
    """Score and rank bid summaries (the second half of :func:`score_bids`).

    With ``uncertainty``, ``Evaluation.uncertainty`` says how sure the
    ranking is (:func:`~klimafotavtrykk.tender.uncertainty.ranking_uncertainty`).

    Besides scoring (:func:`klimafotavtrykk.scoring.score`), this flags
    duplicates (a finding on each bid naming the others), puts a finding on
    the price cell of a bid refused for its price, and turns quality points
    or prices given for a bid that could not be read, or for no bid at all,
    into notices (never an error after the bids are read).
    """
    from klimafotavtrykk.scoring import score

    quality, prices = check_inputs(competition, quality=quality, prices=prices)
    summaries = sorted(summaries, key=lambda s: s.file)
    ok = [s for s in summaries if s.ok]
    unreadable = {s.file for s in summaries if not s.ok}
    rule = competition.rule
    index = pd.Index([s.file for s in ok], name="file", dtype=object)
    bidder = pd.Series([_name(s) for s in ok], index=index, dtype=object)
    emissions = pd.Series([s.kg_co2e for s in ok], index=index, dtype=float)
    notices: list[tuple[str, dict[str, str]]] = []
    if prices is not None:
        price = _per_bid("prices", prices, index, bidder, unreadable, notices)
    else:
        price = pd.Series([s.price_nok for s in ok], index=index, dtype=float)
    qual = None
    if quality is not None:
        qual = _per_bid("quality", quality, index, bidder, unreadable, notices)
        if rule.quality_weight == 0:
            notices.append(("eval.notice.quality_unused", {}))
    share = pd.Series([s.zero_emission_shares.get(rule.zero_emission_basis, math.nan) for s in ok],
                      index=index, dtype=float)
    gates = pd.Series([s.product_gate for s in ok], index=index, dtype=object)
    notes: list[str] = []
    if len(ok):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            scored = score(rule, emissions, price if rule.price_weight > 0 else None, quality=qual,
                           zero_emission_share=share if rule.needs_share else None, rejected=gates)
        notes += [str(w.message) for w in caught]
        for w in caught:  # let callers see them too
            warnings.warn(w.message, w.category, stacklevel=user_stacklevel())
        attrs = scored.attrs
        notices += _share_basis_notices(rule, scored, ok, index, emissions,
                                        price if rule.price_weight > 0 else None, qual, gates)
    else:
        scored = pd.DataFrame(index=index, columns=["rank", "tie_rule", "status", "total",
                                                    "explanation"])
        attrs = {"effective_weights": {}, "effective_climate_weight": math.nan,
                 "nominal_climate_weight": rule.climate_weight}
    duplicates = duplicate_groups(list(index), [s.sha256 for s in ok],
                                  [getattr(s, "content_sha256", None) for s in ok])
    info = pd.DataFrame({
        "bidder": bidder,
        "org_number": pd.Series([s.org_number for s in ok], index=index, dtype=object),
        "kg_co2e_claimed": [s.kg_co2e_claimed for s in ok],
        "site_kg_co2e": [s.site_kg_co2e for s in ok],
        "mass_transport_kg_co2e": [s.mass_transport_kg_co2e for s in ok],
        "n_downgraded": [s.counts.get("downgraded", 0) for s in ok],
        "n_not_computed": [s.counts.get("not_computed", 0) for s in ok],
        "sha256": [s.sha256 for s in ok],
        "duplicate_group": duplicates["group"].to_numpy(dtype=object),
    }, index=index)
    ranking = pd.concat([info[["bidder", "org_number"]], scored, info.drop(columns=["bidder",
                                                                                   "org_number"])],
                        axis=1)
    if len(ok):  # shown for every bid, also when the rule does not score it
        ranking["zero_emission_share"] = ranking["zero_emission_share"].fillna(share)
    order = ranking["rank"].astype("Float64").fillna(np.inf).to_numpy(dtype=float)
    ranking = ranking.iloc[np.lexsort((ranking.index.to_numpy(dtype=str), order))]
    points = _points(ranking, rule)
    rejected = _rejected(summaries, ranking)
    own = [s.findings for s in ok if s.findings is not None and len(s.findings)]
    batch = _batch_findings(ok, ranking, duplicates, prices is None)
    findings = pd.concat([f for f in (batch, *own) if len(f)], ignore_index=True) if (
        len(batch) or own) else empty_findings()
    findings = findings.sort_values("file", kind="mergesort")  # each bid's rows together
    lines = None
    if any(s.lines is not None for s in ok):
        lines = pd.concat([s.lines for s in ok if s.lines is not None], ignore_index=True)
        lines.insert(0, "file", lines.pop("file"))
    by_module = pd.DataFrame([list(s.by_module) for s in ok], index=index, columns=list(MODULES),
                             dtype=float)
    notes += [w for s in ok for w in s.warnings]
    notices += _ranking_notices(ranking, duplicates, len(summaries))
    sure = None
    if uncertainty:
        sure, told = _ranking_uncertainty(competition, ranking, ok)
        notices += told
    return Evaluation(
        competition=competition, ranking=ranking, points=points, rejected=rejected,
        findings=findings.reset_index(drop=True), lines=lines, by_module=by_module,
        effective_climate_weight=float(attrs.get("effective_climate_weight", math.nan)),
        nominal_climate_weight=float(attrs.get("nominal_climate_weight", math.nan)),
        effective_weights=dict(attrs.get("effective_weights", {})),
        parameters=competition_parameters(competition),
        metadata={"version": __version__,
                  "downgraded": int(findings["kind"].isin(DOWNGRADES).sum())},
        warnings=tuple(dict.fromkeys(notes)), notices=tuple(notices),
        uncertainty=sure)


def _ranking_uncertainty(competition: Competition, ranking: pd.DataFrame, ok):
    """How sure the ranking is, and the notices that say so (tender.uncertainty)."""
    from klimafotavtrykk.tender.uncertainty import ranking_notices, ranking_uncertainty

    sure = ranking_uncertainty(competition.rule, ranking, ok)
    return sure, ranking_notices(sure, ranking)


def _batch_findings(ok, ranking: pd.DataFrame, duplicates: pd.DataFrame,
                    declared_prices: bool) -> pd.DataFrame:
    """Findings only the batch sees: duplicates of other bids, and a price that cannot be scored."""
    rows = []
    for file, same_file, same_content in zip(duplicates.index, duplicates["same_file"],
                                             duplicates["same_content"], strict=True):
        for kind, others in (("duplicate_file", same_file), ("duplicate_content", same_content)):
            if others:
                rows.append({"file": file, "source_ref": None, "kind": kind, "reason": "",
                             "detail": names_text(others)})
    if declared_prices and len(ranking):
        codes = ranking["explanation"].astype(str).str.split(";")
        refused = codes.map(lambda c: "invalid_price" in c or "missing_price" in c)  # per bid
        for s in ok:
            if refused.get(s.file, False):
                rows.append({"file": s.file, "source_ref": getattr(s, "price_ref", None),
                             "kind": "invalid_price", "reason": "",
                             "detail": "" if s.price_nok is None or math.isnan(s.price_nok)
                             else repr(s.price_nok)})
    frame = pd.DataFrame(rows).reindex(columns=list(empty_findings().columns))
    return frame.astype({c: float for c in frame.columns if c.startswith("kg")})


#: The bases of the emission-free share that weigh a small machine as much as a large one, and
#: the notices that say so (the first always, the second where energy ranks another bid first).
_SIZE_BLIND_BASES = {"machine_count": ("eval.notice.count_basis", "eval.notice.count_basis_winner"),
                     "machine_hours": ("eval.notice.hours_basis", "eval.notice.hours_basis_winner")}


def _share_basis_notices(rule, scored: pd.DataFrame, ok, index: pd.Index, emissions, price,
                         quality, gates) -> list[tuple[str, dict[str, str]]]:
    """Where emission-free machines are counted or their hours summed, say so, and who would win on energy.

    A share by machine count, or by machine hours, weighs a hand tool as much as an excavator:
    a bid can raise it with small electric machines (or many hours on them) and win on the
    share while burning more. The competition's published basis decides the points, so they
    stand; the notices tell the client, and name the bid that would rank first were the share
    taken on energy (the shipped default), where that differs, with both bids' shares.
    """
    basis = rule.zero_emission_basis
    if not (rule.needs_share and basis in _SIZE_BLIND_BASES):
        return []
    from klimafotavtrykk.scoring import score

    named, winner = _SIZE_BLIND_BASES[basis]
    out = [(named, {})]
    on_energy = pd.Series([s.zero_emission_shares.get("energy", math.nan) for s in ok],
                          index=index, dtype=float)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the rule's own warnings were given with its scores
        other = score(dataclasses.replace(rule, zero_emission_basis="energy"), emissions, price,
                      quality=quality, zero_emission_share=on_energy, rejected=gates)

    def first(frame: pd.DataFrame) -> list[str]:
        ranked = (frame["status"].astype(str) == "ranked") & (frame["rank"] == 1)
        return sorted(map(str, frame.index[ranked.to_numpy(dtype=bool)]))

    now, then = first(scored), first(other)
    if then and now != then:
        shares = {s.file: s.zero_emission_shares for s in ok}

        def percent(value: float) -> str:
            return f"{round(100 * value)} %" if math.isfinite(value) else "–"

        told = "; ".join(f"{file} {percent(shares[file].get(basis, math.nan))} / "
                         f"{percent(shares[file].get('energy', math.nan))}"
                         for file in dict.fromkeys([*now, *then]))
        out.append((winner, {"now": names_text(now), "energy": names_text(then), "shares": told}))
    return out


def _ranking_notices(ranking: pd.DataFrame, duplicates: pd.DataFrame, n_files: int):
    """Notices on the whole ranking: groups of duplicates, ties left to the client, nothing ranked."""
    out = []
    groups = duplicates[duplicates["group"] != ""].groupby("group").size()
    for first, size in groups.items():  # one per group of duplicates
        members = duplicates.index[duplicates["group"] == first]
        out.append(("eval.notice.duplicates", {"n": str(size), "files": names_text(members)}))
    if "tie_rule" in ranking and len(ranking):
        manual = ranking[ranking["tie_rule"].astype(str) == "manual"]
        for rank, files in manual.groupby("rank").groups.items():
            out.append(("eval.notice.tie_manual", {"rank": str(rank), "n": str(len(files)),
                                                   "files": names_text(files)}))
    ranked = int((ranking["status"].astype(str) == "ranked").sum()) if "status" in ranking else 0
    if n_files and not ranked:
        out.append(("eval.notice.all_rejected", {"n": str(n_files)}))
    return out


#: Lines computed in one shared pass: enough that the fixed costs of a pass (the factor table
#: with the pass's EPD rows, one calculate, one calculate_site: about 80 ms) are shared by twenty
#: bids of 5 000 lines, few enough that the parent stays small (a pass of ten bids added 82 MB
#: to the parent's peak, twenty 158 MB; the parent's CPU time per bid fell from 42-46 ms to
#: 30-35 ms, forty bids 31-32 ms).
LINES_PER_PASS = 100_000


class _Passes:
    """Collect read bids as the workers hand them back; compute them together, a pass at a time."""

    def __init__(self, competition: Competition, **options):
        self.competition, self.options = competition, options
        self.pending: dict[int, ReadBid] = {}
        self.lines = 0
        self.summaries: dict[int, BidSummary] = {}
        self.matcher: GenericMatcher | None = None

    def add(self, i: int, result) -> None:
        if not isinstance(result, ReadBid):  # refused or unreadable: already a summary
            self.summaries[i] = result
            return
        self.pending[i] = result
        self.lines += result.n_lines
        if self.lines >= LINES_PER_PASS:
            self.flush()

    def flush(self) -> None:
        if self.matcher is None:  # one for the batch: each line text matched once, not per pass
            from klimafotavtrykk.factors import load_factors

            factors = self.options.get("factors")
            self.matcher = GenericMatcher(load_factors() if factors is None else factors,
                                          self.options.get("mappings"))
        order = sorted(self.pending)
        with collector_paused():  # frames and arrays, no cycles to find: see gc_pause
            done = evaluate_many([self.pending[i] for i in order], self.competition,
                                 matcher=self.matcher, **self.options)
        self.summaries.update(zip(order, done, strict=True))
        self.pending.clear()
        self.lines = 0

    def finish(self, n: int) -> list[BidSummary]:
        if self.pending:
            self.flush()
        return [self.summaries[i] for i in range(n)]


@python_strings
def read_for_batch(path: str | Path, competition: Competition, parent_pid: int | None = None):
    """Read one bid file for a batch: the task each worker runs.

    Opens and checks the file (a FIFO or device is refused unopened), reads
    and types its sheets, matches its lines to the tender's and fingerprints
    it (:func:`~klimafotavtrykk.tender.many.prepare_bid`); the parent computes
    the bids together (:func:`~klimafotavtrykk.tender.many.evaluate_many`). In
    a worker process BLAS is limited to one thread first.

    Returns
    -------
    ReadBid or BidSummary
        A rejected summary when the file cannot be read.
    """
    return _at_the_boundary(path, parent_pid, lambda bid: prepare_bid(bid, competition))


class _ReadTask:
    """:func:`read_for_batch` with the competition pickled once a batch and unpickled once a process.

    A task crosses to a worker once per bid. Pickled with it each time, the
    competition (its tender bill of quantities: 430 kB for 5 000 lines) cost
    the parent about 1.3 ms a bid and the worker about 3 ms (unpickling, and
    the tender's key index built again for the new object). Here it travels
    as bytes pickled the first time the task is (never, in threads); a worker
    unpickles them the first time and keeps the competition while the same
    bytes come again.
    """

    def __init__(self, competition: Competition, parent_pid: int):
        self.parent_pid = parent_pid
        self.competition: Competition | None = competition  # this process: no unpickling
        self.shipped: tuple[str, bytes] | None = None  # (SHA-256, bytes), made when first pickled

    def __getstate__(self) -> dict:
        if self.shipped is None:
            payload = pickle.dumps(self.competition, protocol=pickle.HIGHEST_PROTOCOL)
            self.shipped = (hashlib.sha256(payload).hexdigest(), payload)
        return {"parent_pid": self.parent_pid, "shipped": self.shipped}

    def __setstate__(self, state: dict) -> None:
        self.parent_pid, self.shipped = state["parent_pid"], state["shipped"]
        self.competition = None

    def __call__(self, path: str | Path):
        competition = self.competition
        if competition is None:
            competition = _worker_competition(*self.shipped)
        read = read_for_batch(path, competition, self.parent_pid)
        _freeze_once(self.parent_pid)
        return read


#: The competition a worker process last unpickled, by the SHA-256 of its bytes (one kept).
_WORKER_COMPETITION: dict[str, Competition] = {}


def _worker_competition(key: str, payload: bytes) -> Competition:
    """The competition of ``payload``, unpickled once while the same batch's bytes come."""
    competition = _WORKER_COMPETITION.get(key)
    if competition is None:
        competition = pickle.loads(payload)  # the parent's own bytes (as the executor's are)
        _WORKER_COMPETITION.clear()
        _WORKER_COMPETITION[key] = competition
    return competition


@python_strings
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
    return _at_the_boundary(path, parent_pid, lambda bid: evaluate_bid(
        bid, competition, detail=detail, factors=factors, mappings=mappings))


def _at_the_boundary(path: str | Path, parent_pid: int | None, work):
    """Read one bid file and do ``work`` with it; any failure becomes a rejected summary.

    In a worker process (``parent_pid`` differs from the worker's) BLAS is
    limited to one thread first; a FIFO or device is refused unopened.
    """
    if parent_pid is not None and parent_pid != os.getpid():
        _limit_blas()
    path = Path(path)
    refused = not_regular(path)  # a FIFO or device is never opened
    if refused is not None:
        return refused
    try:
        return work(read_bid(path))
    except Exception as exc:  # noqa: BLE001 - the batch boundary: a bad bid is reported, not raised
        return rejected_summary(path.name, exc)


def _freeze_once(parent_pid: int) -> None:
    """In a worker process of this batch, after its first bid: the heap so far out of the collector's scans.

    What a worker holds after its first bid (modules, the competition, the lookup tables)
    stays for every later bid, and each full collection scanned all of it again: about 2 ms
    of every 5 000-line bid's 100-130 ms. Collected once, then frozen (:func:`gc.freeze`);
    objects made later are collected as before. Only in a child of the process that runs
    the batch (a pool's worker), never in that process itself (a thread pool) nor elsewhere.
    """
    global _FROZEN
    if _FROZEN or os.getppid() != parent_pid or os.getpid() == parent_pid:
        return
    import gc

    gc.collect()
    gc.freeze()
    _FROZEN = True


#: Whether this worker process has frozen its heap (:func:`_freeze_once`).
_FROZEN = False


def _limit_blas() -> None:
    """Limit BLAS and OpenMP pools to one thread in this worker process, once."""
    global _BLAS_LIMITED
    if not _BLAS_LIMITED:
        from threadpoolctl import threadpool_limits

        threadpool_limits(limits=1)
        _BLAS_LIMITED = True


def _name(summary: BidSummary) -> str:
    return str(summary.bidder) if summary.bidder not in (None, "") else Path(summary.file).stem


def _per_bid(name: str, values, index: pd.Index, bidder: pd.Series, unreadable: set[str],
             notices: list) -> pd.Series:
    """Values given per file name or per bidder name, aligned to the bids.

    A value for a file that could not be read, or for no bid of the batch,
    becomes a notice (``eval.notice.<name>_unreadable`` or ``_unknown``).
    """
    given = {str(k): v for k, v in dict(values).items()}
    by_file = pd.Series(index.map(given), index=index, dtype=object)
    by_bidder = pd.Series(bidder.map(given).to_numpy(), index=index, dtype=object)
    chosen = by_file.where(by_file.notna(), by_bidder)  # per file first, else per bidder
    out = pd.to_numeric(chosen, errors="coerce").astype(float)
    for key in sorted(set(given) - set(index) - set(bidder)):  # a few rows at most
        kind = "unreadable" if key in unreadable else "unknown"
        notices.append((f"eval.notice.{name}_{kind}", {"name": key}))
    return out


def _points(ranking: pd.DataFrame, rule) -> pd.DataFrame:
    out = ranking[["bidder"]].copy()
    for criterion, weight in rule.weights.items():
        column = f"points_{criterion}"
        values = ranking[column] if column in ranking else pd.Series(np.nan, index=ranking.index)
        out[column] = values.astype(float)
        out[f"weighted_{criterion}"] = values.astype(float) * weight
    out["total"] = ranking["total"].astype(float) if "total" in ranking else np.nan
    out["rank"] = ranking["rank"]
    return out


def _rejected(summaries, ranking: pd.DataFrame) -> pd.DataFrame:
    read = [{"file": s.file, "bidder": None, "stage": "read", "reason": s.reason, "detail": s.detail}
            for s in summaries if not s.ok]
    gate_rows = ranking[ranking["status"].astype(str) == "rejected"] if "status" in ranking else \
        ranking.iloc[:0]
    gate = pd.DataFrame({"file": gate_rows.index.to_numpy(dtype=object),
                         "bidder": gate_rows["bidder"].to_numpy(dtype=object), "stage": "gate",
                         "reason": gate_rows["explanation"].astype(str).to_numpy(dtype=object),
                         "detail": ""})
    frame = pd.concat([pd.DataFrame(read, columns=list(gate.columns)), gate], ignore_index=True)
    return frame.sort_values(["file", "stage"], kind="mergesort").reset_index(drop=True)
