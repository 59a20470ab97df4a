"""How sure is a bid ranking: the bids' evaluated emissions sampled over their data quality.

Scoring stays deterministic (:func:`klimafotavtrykk.scoring.score`); this is
information beside it. Each bid's scored material emissions are split by the
factor each line was scored with (:func:`bid_contributions`: its EPD when
the claim stands, else the generic factor): a product EPD is sampled with
the narrow spread of a verified product EPD, generic data with markup with
the wide spread of a group average (``data/uncertainty/``). All bids are
sampled with the same draws (common random numbers): a generic factor two
bids share moves both alike, so a difference between bids reflects what
they document differently. Site energy is taken as given.

:func:`ranking_uncertainty` then gives, for each pair of valid bids, the
probability that the better-ranked bid really has the lower evaluated
emissions, and the probability that the winner stays the winner when the
climate points (and, under the CO2-price model, the evaluated price) are
recomputed on each sample with the rule's point formula, vectorised over
samples.
"""

from __future__ import annotations

import functools
import tomllib
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from klimafotavtrykk._data import data_path
from klimafotavtrykk._frames import filled, row_codes
from klimafotavtrykk.scoring import co2_price_addon, dfo_linear, dfo_proportional, reduction_points
from klimafotavtrykk.uncertainty import (
    PERCENTILES,
    factor_gsd,
    load_factor_uncertainty,
    probability_lower,
    sample_shared,
)

__all__ = ["RankingUncertainty", "bid_contributions", "contributions_many", "load_ranking_defaults", "ranking_notices",
           "ranking_uncertainty", "sampled_points"]


@functools.cache
def load_ranking_defaults() -> dict[str, Any]:
    """Samples, seed and the probability called sure (``data/uncertainty/defaults.toml``)."""
    raw = tomllib.loads(data_path("uncertainty", "defaults.toml").read_text(encoding="utf-8"))
    return {k: v for k, v in raw.items() if not isinstance(v, dict)}


def bid_contributions(materials: pd.DataFrame, claims, match, epd_ids, scored, generic) -> pd.DataFrame:
    """Scored material emissions of one bid, summed per factor it was scored with.

    Parameters
    ----------
    materials : DataFrame
        The bid's material lines, as evaluated.
    claims : EpdClaims
    match : GenericMatch
    epd_ids : numpy.ndarray of object
        Factor id of each line's EPD row (None: none).
    scored : ScoredLines
    generic : FactorTable
        The generic factors the lines were matched to.

    Returns
    -------
    DataFrame
        ``key`` (``epd|<EPD id>`` for a claim that stands, ``generic|<factor id>``
        otherwise: the draws bids share), ``factor_id``, ``dataset_type``
        (the claim's ``product_epd`` or ``industry_epd``; ``generic`` otherwise),
        ``material_group`` and ``kg_co2e`` [kg CO2e], one row per key.
    """
    n = len(np.asarray(scored.computed))
    out = contributions_many(materials, claims, match, epd_ids, scored, generic,
                             np.zeros(n, dtype=np.int64), 1)[0]
    if out is None:  # no line scored: the empty frame a groupby of nothing gives
        out = pd.DataFrame({"key": np.empty(0, object), "factor_id": np.empty(0, object),
                            "dataset_type": np.empty(0, object),
                            "material_group": np.empty(0, object),
                            "kg_co2e": np.empty(0, float)})
    return out


def contributions_many(materials: pd.DataFrame, claims, match, epd_ids: np.ndarray, scored,
                       generic, bid: np.ndarray, n_bids: int) -> list[pd.DataFrame | None]:
    """:func:`bid_contributions` of many bids in one pass.

    The lines are coded once by (bid, claim stands, factor, dataset type,
    material group), summed per code by one groupby (each code's rows in the
    order they have in their bid, so each sum is the one the bid gets alone)
    and sorted once with the bid first; each bid's frame is a slice of that.

    Parameters
    ----------
    materials, claims, match, epd_ids, scored, generic
        As for :func:`bid_contributions`, for the lines of all bids.
    bid : numpy.ndarray of int64
        Bid of each line, 0 .. n_bids-1, each bid's lines together.
    n_bids : int

    Returns
    -------
    list of DataFrame or None
        Per bid; None for a bid without a scored line.
    """
    epd = (scored.status == "epd") & scored.computed
    factor_id = np.where(epd, epd_ids, match.factor_id).astype(object)
    kind = contribution_kinds(epd, claims.dataset_type)
    frame = generic.frame
    groups = (frame["material_group"].fillna("").astype(str).to_numpy(dtype=object)
              if "material_group" in frame.columns else filled(len(frame), ""))
    group = np.append(groups, "")[match.index]
    keep = np.asarray(scored.computed, dtype=bool) & pd.notna(factor_id)
    owner = np.asarray(bid, dtype=np.int64)[keep]
    columns = [owner, epd[keep].astype(np.int8), factor_id[keep], kind[keep],
               group[keep].astype(object)]
    code, first = row_codes(columns)  # first seen first: within a bid, its own order
    key = (np.where(columns[1][first] == 1, "epd|", "generic|").astype(object)
           + columns[2][first].astype(str))
    sums = (pd.DataFrame({"code": code, "kg_co2e": np.asarray(scored.scored)[keep]})
            .groupby("code", sort=True)["kg_co2e"].sum().to_numpy())
    out = pd.DataFrame({"bid": columns[0][first], "key": key, "factor_id": columns[2][first],
                        "dataset_type": columns[3][first], "material_group": columns[4][first],
                        "kg_co2e": sums})
    out = out.sort_values(["bid", "key", "factor_id", "dataset_type", "material_group"],
                          kind="stable")
    cuts = np.searchsorted(out["bid"].to_numpy(), np.arange(n_bids + 1))
    out = out.drop(columns="bid")
    return [out.iloc[a:b].reset_index(drop=True) if b > a else None
            for a, b in zip(cuts[:-1], cuts[1:], strict=True)]


def contribution_kinds(epd: np.ndarray, dataset_type: np.ndarray) -> np.ndarray:
    """Each line's dataset type as a contribution counts it: its EPD's, else ``"generic"``.

    A line whose EPD claim stands (``epd``) keeps its ``product_epd`` or
    ``industry_epd``; every other line, and any other type, is ``"generic"``
    (one text object on every such line). The types are read on the EPD
    lines only.

    Parameters
    ----------
    epd : numpy.ndarray of bool
    dataset_type : numpy.ndarray of object
        Per line, as :class:`~klimafotavtrykk.tender.claims.EpdClaims` gives it.

    Returns
    -------
    numpy.ndarray of object
    """
    kind = filled(len(epd), "generic")
    at = np.flatnonzero(epd)
    types = np.asarray(dataset_type, dtype=object)[at]
    known = (types == "product_epd") | (types == "industry_epd")  # np.isin's test on a short list
    kind[at[known]] = types[known]
    return kind


def sampled_points(rule, emissions: np.ndarray, price: np.ndarray, fixed: pd.DataFrame) -> np.ndarray:
    """Weighted total points of every bid in every sample, with the rule's point formulas.

    Parameters
    ----------
    rule : ScoringRule
    emissions : numpy.ndarray
        Shape (samples, bids): evaluated emissions of the valid bids. [kg CO2e]
    price : numpy.ndarray
        Offered price per bid; NaN when price does not weigh. [NOK]
    fixed : DataFrame
        ``points_price``, ``points_quality`` and ``points_climate`` per bid as
        scored (used where emissions do not change them). [points]

    Returns
    -------
    numpy.ndarray
        Shape (samples, bids). [points]

    Notes
    -----
    The relative models depend on a bid's value over the best value of its
    sample, so each sample is scaled by its own best and scored with best 1:
    the same formula as :func:`~klimafotavtrykk.scoring.dfo_linear` and
    :func:`~klimafotavtrykk.scoring.dfo_proportional`, one call for all samples.
    """
    value = emissions / rule.bta_m2 if rule.basis == "kg_co2e_per_m2" and rule.bta_m2 else emissions
    best = value.min(axis=1, keepdims=True)
    top, model = rule.max_points, rule.climate_model
    shape = emissions.shape
    climate = np.broadcast_to(fixed["points_climate"].to_numpy(dtype=float), shape)
    price_points = np.broadcast_to(fixed["points_price"].to_numpy(dtype=float), shape)
    if model == "dfo_linear":
        climate = dfo_linear(value / best, best=1.0, max_points=top,
                             allow_negative=rule.allow_negative_points)
    elif model == "dfo_proportional":
        climate = dfo_proportional(value / best, best=1.0, max_points=top)
    elif model == "reduction":
        climate = reduction_points(value, rule.reference, rule.full_points_reduction, top)
    elif model == "co2_price" and rule.price_weight > 0:
        evaluated = price + co2_price_addon(value, rule.co2_price_nok_per_kg, best=best)
        low = evaluated.min(axis=1, keepdims=True)
        price_points = (dfo_linear(evaluated / low, best=1.0, max_points=top,
                                   allow_negative=rule.allow_negative_points)
                        if rule.price_model == "dfo_linear"
                        else dfo_proportional(evaluated / low, best=1.0, max_points=top))
    quality = np.broadcast_to(fixed["points_quality"].to_numpy(dtype=float), shape)
    weights = rule.weights
    return (weights["price"] * np.nan_to_num(price_points) + weights["quality"] * np.nan_to_num(quality)
            + weights["climate"] * np.nan_to_num(climate))


@dataclass(frozen=True, eq=False)
class RankingUncertainty:
    """How sure the ranking of a competition is, given the data quality of each bid.

    Attributes
    ----------
    pairs : DataFrame
        One row per pair of valid bids, better-ranked first: ``better``,
        ``worse`` (file names), ``rank_better``, ``rank_worse``,
        ``kg_co2e_better``, ``kg_co2e_worse`` [kg CO2e], ``probability_lower``
        (that the better-ranked bid has the lower evaluated emissions) [-]
        and ``within_uncertainty`` (the probability lies between
        ``1 - sure_probability`` and ``sure_probability``: neither bid is
        surely lower).
    matrix : DataFrame
        Valid bids × valid bids in rank order: the probability that the row's
        bid has lower evaluated emissions than the column's (NaN on the diagonal). [-]
    percentiles : DataFrame
        Valid bids × percentiles of the evaluated emissions. [kg CO2e]
    samples : DataFrame
        Samples × valid bids: evaluated emissions. [kg CO2e]
    winner : str or None
        File name of the bid ranked first (None when no bid or a tie decides it).
    winner_probability : float
        Share of samples in which the winner still has the most points. [-]
    within_uncertainty : bool
        The winner is not sure, or two bids of neighbouring ranks are within the
        uncertainty of each other.
    n, seed : int
        Samples drawn and the seed.
    sure_probability : float
        The probability called sure. [-]
    """

    pairs: pd.DataFrame
    matrix: pd.DataFrame
    percentiles: pd.DataFrame
    samples: pd.DataFrame
    winner: str | None
    winner_probability: float
    within_uncertainty: bool
    n: int
    seed: Any
    sure_probability: float


def ranking_uncertainty(rule, ranking: pd.DataFrame, summaries, *, n: int | None = None, seed=None,
                        sure_probability: float | None = None,
                        factor_uncertainty: pd.DataFrame | None = None) -> RankingUncertainty:
    """Sample the valid bids of a scored competition and say how sure its ranking is.

    Parameters
    ----------
    rule : ScoringRule
    ranking : DataFrame
        :attr:`~klimafotavtrykk.tender.batch.Evaluation.ranking`: ``status``,
        ``rank``, ``kg_co2e``, ``price_nok`` and the points columns, by file.
    summaries : iterable of BidSummary
        With ``contributions`` (:func:`bid_contributions`) and ``kg_co2e``.
    n, seed, sure_probability : optional
        Default from ``data/uncertainty/defaults.toml``.
    factor_uncertainty : DataFrame, optional
        Spreads (:func:`klimafotavtrykk.uncertainty.factor_uncertainty_from_frame`);
        default the shipped ones.

    Returns
    -------
    RankingUncertainty
    """
    defaults = load_ranking_defaults()
    n = int(defaults["n_samples"] if n is None else n)
    seed = defaults["seed"] if seed is None else seed
    sure = float(defaults["sure_probability"] if sure_probability is None else sure_probability)
    spreads = load_factor_uncertainty() if factor_uncertainty is None else factor_uncertainty
    valid = ranking[ranking["status"].astype(str) == "ranked"]
    valid = valid.iloc[np.argsort(valid["rank"].astype(float).to_numpy(), kind="stable")]
    files = list(valid.index)
    by_file = {s.file: s for s in summaries if s.ok}
    groups = {}
    for file in files:  # a handful of bids
        s = by_file[file]
        c = s.contributions if s.contributions is not None else _no_contributions()
        gsd = factor_gsd(c["factor_id"], c["dataset_type"], c["material_group"], spreads)
        values = c["kg_co2e"].to_numpy(dtype=float)
        groups[file] = ((c["key"].astype(str) + "|" + pd.Series(gsd).map(repr).to_numpy())
                        .to_numpy(dtype=object), np.log(gsd), values[:, None],
                        np.array([float(s.kg_co2e) - values.sum()]))
    draws = sample_shared(groups, n, np.random.default_rng(seed))
    samples = pd.DataFrame(np.column_stack([draws[f][:, 0] for f in files]) if files
                           else np.empty((n, 0)), columns=pd.Index(files, name="file"))
    e = samples.to_numpy()
    matrix = pd.DataFrame(np.full((len(files), len(files)), np.nan), index=samples.columns,
                          columns=samples.columns)
    rows = []
    for i, better in enumerate(files):  # pairs of a handful of bids
        for j, worse in enumerate(files):
            if i != j:
                matrix.iloc[i, j] = probability_lower(e[:, i], e[:, j])
            if j > i:
                p = float(matrix.iloc[i, j])
                rows.append({"better": better, "worse": worse,
                             "rank_better": valid.at[better, "rank"], "rank_worse": valid.at[worse, "rank"],
                             "kg_co2e_better": float(valid.at[better, "kg_co2e"]),
                             "kg_co2e_worse": float(valid.at[worse, "kg_co2e"]),
                             "probability_lower": p, "within_uncertainty": 1.0 - sure < p < sure})
    pairs = pd.DataFrame(rows, columns=["better", "worse", "rank_better", "rank_worse", "kg_co2e_better",
                                        "kg_co2e_worse", "probability_lower", "within_uncertainty"])
    winner, p_win = _winner(rule, valid, e)
    percentiles = pd.DataFrame(np.percentile(e, list(PERCENTILES), axis=0).T if files
                               else np.empty((0, len(PERCENTILES))),
                               index=samples.columns, columns=pd.Index(list(PERCENTILES), name="percentile"))
    adjacent = pairs["rank_worse"].astype(float) == pairs["rank_better"].astype(float) + 1
    unsure = (winner is not None and p_win < sure) or bool(pairs.loc[adjacent, "within_uncertainty"].any())
    return RankingUncertainty(pairs=pairs, matrix=matrix, percentiles=percentiles, samples=samples,
                              winner=winner, winner_probability=p_win, within_uncertainty=unsure,
                              n=n, seed=seed, sure_probability=sure)


def ranking_notices(u: RankingUncertainty, ranking: pd.DataFrame) -> list[tuple[str, dict[str, str]]]:
    """What the client reads about the ranking's certainty, as message keys and fields.

    One notice on the winner (``eval.notice.uncertainty_sure`` or
    ``..._within``), and one per pair of neighbouring ranks whose climate
    difference is within the uncertainty (``eval.notice.uncertainty_pair``).
    Shares are whole percentages, written the same in both languages.

    Parameters
    ----------
    u : RankingUncertainty
    ranking : DataFrame
        ``bidder`` per file.

    Returns
    -------
    list of (str, dict)
    """
    def name(file: str) -> str:
        bidder = ranking["bidder"].get(file) if "bidder" in ranking else None
        return f"{bidder} ({file})" if bidder not in (None, "") else str(file)

    def share(p: float) -> str:
        return f"{round(100 * p)} %"

    out = []
    if u.winner is not None and len(u.pairs):
        key = "eval.notice.uncertainty_within" if u.within_uncertainty else "eval.notice.uncertainty_sure"
        out.append((key, {"winner": name(u.winner), "share": share(u.winner_probability), "n": str(u.n)}))
    adjacent = u.pairs[(u.pairs["rank_worse"].astype(float) == u.pairs["rank_better"].astype(float) + 1)
                       & u.pairs["within_uncertainty"].astype(bool)]
    for row in adjacent.itertuples(index=False):  # neighbouring ranks: fewer than the bids
        out.append(("eval.notice.uncertainty_pair", {
            "better": name(row.better), "worse": name(row.worse), "rank_better": str(int(row.rank_better)),
            "rank_worse": str(int(row.rank_worse)), "share": share(row.probability_lower)}))
    return out


def _winner(rule, valid: pd.DataFrame, e: np.ndarray) -> tuple[str | None, float]:
    """The bid ranked first alone, and the share of samples in which it keeps the most points."""
    if not len(valid) or (valid["rank"].astype(float) == 1).sum() != 1:
        return None, float("nan")
    if len(valid) == 1:
        return str(valid.index[0]), 1.0
    price = valid["price_nok"].to_numpy(dtype=float) if "price_nok" in valid else np.full(len(valid), np.nan)
    total = sampled_points(rule, e, price, valid.reindex(
        columns=["points_price", "points_quality", "points_climate"]))
    first = int(np.flatnonzero(valid["rank"].astype(float).to_numpy() == 1)[0])
    return str(valid.index[first]), float((total.argmax(axis=1) == first).mean())


def _no_contributions() -> pd.DataFrame:
    return pd.DataFrame({"key": pd.Series(dtype=object), "factor_id": pd.Series(dtype=object),
                         "dataset_type": pd.Series(dtype=object),
                         "material_group": pd.Series(dtype=object), "kg_co2e": pd.Series(dtype=float)})
