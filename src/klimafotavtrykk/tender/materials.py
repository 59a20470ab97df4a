"""The material lines of one bid: EPD claims, generic fallbacks, product limits.

:func:`evaluate_materials` computes every line of a bid's materials sheet
twice in one calculation: as claimed (the bid's EPD, or the generic factor
the line matches) and as the fallback (that generic factor, with the
profile's markup unless the competition says otherwise). What is scored is
chosen per line (:func:`scored_lines`): an uncommitted claim is never better
than its fallback (KOFA 2024/1940), and a claim that fails the EPD checks
(:mod:`~klimafotavtrykk.tender.epd_checks`: plausible range, registration
number, validity) counts as not made: the line gets the generic value with
the profile's markup, as a line without a claim does. Before that, the lines
are matched to the tender's own bill of quantities
(:mod:`~klimafotavtrykk.tender.reference`), so a bid is always computed on the
tender's job. Each step is a small function that returns a frozen dataclass or
a frame; the EPD claims and their factor rows are
:mod:`~klimafotavtrykk.tender.claims`.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np
import pandas as pd

from klimafotavtrykk._frames import filled
from klimafotavtrykk.tender.claims import (
    EpdClaims,
    GenericMatch,
    claim_factor_table,
    epd_claims,
    generic_match,
)
from klimafotavtrykk.tender.competition import Competition
from klimafotavtrykk.tender.epd_checks import (
    EpdChecks,
    cell_refs,
    check_claims,
    check_findings,
    per_declared_unit,
    template_columns,
)
from klimafotavtrykk.tender.findings import empty_findings
from klimafotavtrykk.tender.reference import reconcile
from klimafotavtrykk.tender.uncertainty import bid_contributions
from klimafotavtrykk.vocabulary import MODULE_INDEX, MODULES, TOTAL_MODULES

__all__ = ["LineEmissions", "ScoredLines", "MaterialEmissions", "MaterialState", "line_emissions",
           "scored_lines", "material_findings", "material_findings_many", "product_limit_findings",
           "product_limit_findings_many", "material_lines",
           "bid_materials", "evaluate_materials"]

_TOTAL = [MODULE_INDEX[m] for m in TOTAL_MODULES]
_NOT_TOTAL = [j for j in range(len(MODULES)) if j not in _TOTAL]
_GATE_KINDS = ("product_limit_exceeded", "product_limit_unit_mismatch")
#: Bid columns that say what the bid claims and commits to: read by the EPD steps here, never
#: by :func:`~klimafotavtrykk.assessment.calculate` (its vocabulary is ``LINE_COLUMNS``).
_BID_ONLY = ("product", "epd_id", "epd_declared_unit", "epd_gwp_a1a3", "dataset_type",
             "epd_valid_until", "mass_per_unit", "committed", "line_key")


@dataclass(frozen=True, eq=False)
class LineEmissions:
    """Module values per material line, as claimed and with the generic fallback.

    Attributes
    ----------
    claimed : numpy.ndarray
        Shape (n, len(MODULES)); NaN where the line was not computed. [kg CO2e]
    reason : numpy.ndarray of object
        Why the claimed line was not computed (``unmatched`` reason); None where it was.
    source : numpy.ndarray of object
        Source of the factor the claimed line used.
    fallback : numpy.ndarray
        Shape (n, len(MODULES)); NaN for lines without a usable EPD (their
        claim is the generic value already). [kg CO2e]
    generic : numpy.ndarray
        Shape (n, len(MODULES)): the generic value with the profile's markup,
        what a claim that fails the EPD checks is scored at; NaN for lines
        without a usable EPD. [kg CO2e]
    """

    claimed: np.ndarray
    reason: np.ndarray
    source: np.ndarray
    fallback: np.ndarray
    generic: np.ndarray


@dataclass(frozen=True, eq=False)
class ScoredLines:
    """What is scored per material line.

    Attributes
    ----------
    total_claimed, total_fallback, scored : numpy.ndarray
        Totals over :data:`~klimafotavtrykk.vocabulary.TOTAL_MODULES`; NaN when
        not computed. [kg CO2e]
    use_fallback : numpy.ndarray of bool
        The fallback is scored instead of the claim.
    computed : numpy.ndarray of bool
        The line has a scored value.
    modules : numpy.ndarray
        Shape (n, len(MODULES)): the module values scored. [kg CO2e]
    status : numpy.ndarray of object
        ``epd``, ``epd_generic`` (expired), ``epd_unverified`` (failed another
        EPD check), ``generic``, ``fallback`` or ``not_computed``.
    downgraded : numpy.ndarray of bool
        The claim failed an EPD check: scored at the generic value with markup.
    committed : numpy.ndarray of bool or None
        The line is marked committed (a blank is not); None when not kept.
    """

    total_claimed: np.ndarray
    total_fallback: np.ndarray
    scored: np.ndarray
    use_fallback: np.ndarray
    computed: np.ndarray
    modules: np.ndarray
    status: np.ndarray
    downgraded: np.ndarray
    committed: np.ndarray | None = None


@dataclass(frozen=True, eq=False)
class MaterialEmissions:
    """The materials sheet of one bid, computed.

    Attributes
    ----------
    total, total_claimed : float
        Scored (after fallbacks) and claimed emissions of the computed lines. [kg CO2e]
    by_module : numpy.ndarray
        Scored emissions per module of :data:`~klimafotavtrykk.vocabulary.MODULES`. [kg CO2e]
    findings : DataFrame
        Downgraded, not computed and over-limit lines (finding columns).
    gate : str
        Product-limit failure codes joined by ``;`` (``""``: passed).
    lines : DataFrame or None
        Every line with its result, when detail was asked for.
    n_lines, n_computed, n_epd, n_downgraded, n_not_computed : int
        Line counts.
    contributions : DataFrame or None
        Scored emissions per factor scored with, for sampling the ranking
        (:func:`~klimafotavtrykk.tender.uncertainty.bid_contributions`).
    """

    total: float
    total_claimed: float
    by_module: np.ndarray
    findings: pd.DataFrame
    gate: str
    lines: pd.DataFrame | None
    n_lines: int
    n_computed: int
    n_epd: int
    n_downgraded: int
    n_not_computed: int
    contributions: pd.DataFrame | None = None


# ============================================================================ steps

#: A bid line's own scenario columns: they override the factor's transport and site waste.
OWN_SCENARIO_COLUMNS: tuple[str, ...] = ("transport_km", "transport_mode", "waste_rate")


def own_scenario_counts(materials: pd.DataFrame, accepted) -> np.ndarray:
    """Lines whose own transport distance, mode and waste rate count: committed, in an accepted bid.

    A bidder who types 0 km and 0 % waste lowers A4 and A5 with nothing to
    show for it, and the contract follows up no transport or waste. So, as an
    EPD value below its range, the bid's own scenario counts only once the
    client has checked it and names the bid in ``accepted_scenarios``, and
    only on lines the bid commits to (KOFA 2024/1940: an uncommitted measure
    earns nothing); every other line is computed with the factor's or the
    material group's default scenario.

    Parameters
    ----------
    materials : DataFrame
        Bid lines with ``committed``.
    accepted : bool or numpy.ndarray of bool
        Per bid (scalar) or per line: the client accepts the own values
        (:func:`scenario_accepted`).

    Returns
    -------
    numpy.ndarray of bool
    """
    committed = (_committed(materials["committed"]) if "committed" in materials.columns
                 else np.zeros(len(materials), dtype=bool))
    return committed & np.asarray(accepted, dtype=bool)


#: An entry of ``accepted_scenarios`` that names a cell (``[c.xlsx]Materialer!O12``), not a bid file.
_CELL_ENTRY = r"^\[.+\].+!\$?[A-Za-z]{1,3}\$?\d+$"


def scenario_accepted(files, refs, accepted) -> np.ndarray:
    """Per line: the client has accepted its own transport and waste values.

    An entry of ``accepted_scenarios`` is a bid file (every line of that bid)
    or a cell reference as the finding ``scenario_not_counted`` gives it
    (``[c.xlsx]Materialer!O12``): the line on that row of that sheet, so that
    the client accepts what it has checked, line by line.

    Parameters
    ----------
    files : array-like of str
        Each line's bid file.
    refs : array-like of str
        Each line's cell reference (any column of its row).
    accepted : iterable of str
        The competition's ``accepted_scenarios``.

    Returns
    -------
    numpy.ndarray of bool
    """
    from klimafotavtrykk.tender.epd_checks import cell_refs

    files = np.asarray(files, dtype=object)
    entries = pd.Series(list(accepted), dtype=object).astype(str).str.strip()
    is_row = entries.str.match(_CELL_ENTRY).to_numpy(dtype=bool)
    out = np.isin(files, entries[~is_row].tolist())
    if is_row.any():  # a row is its cell moved to column A, on both sides
        rows = cell_refs(entries[is_row], "A").tolist()
        named = set(entries[is_row].str.extract(r"^\[(.+)\]", expand=False))
        at = np.flatnonzero(~out & pd.Series(files, dtype=object).isin(named).to_numpy(dtype=bool))
        if len(at):
            out[at] = np.isin(cell_refs(np.asarray(refs, dtype=object)[at], "A"), rows)
    return out


def own_scenario_given(materials: pd.DataFrame) -> np.ndarray:
    """Lines that give any of :data:`OWN_SCENARIO_COLUMNS`."""
    given = np.zeros(len(materials), dtype=bool)
    for name in OWN_SCENARIO_COLUMNS:
        if name in materials.columns:
            given |= materials[name].notna().to_numpy(dtype=bool)
    return given


def without_own_scenario(materials: pd.DataFrame, counts: np.ndarray,
                         given: np.ndarray | None = None) -> pd.DataFrame:
    """``materials`` with the own scenario cleared where it does not count (the same frame when none is).

    ``given`` is :func:`own_scenario_given` of ``materials`` when already taken.
    """
    given = own_scenario_given(materials) if given is None else given
    drop = given & ~np.asarray(counts, dtype=bool)
    if not drop.any():
        return materials
    out = materials.copy()
    for name in OWN_SCENARIO_COLUMNS:
        if name in out.columns:
            out[name] = out[name].mask(drop)
    return out


def scenario_findings(materials: pd.DataFrame, counts: np.ndarray, columns=None) -> pd.DataFrame:
    """At each line's first own scenario cell: ``scenario_not_counted``, or ``scenario_accepted`` where it counts.

    ``detail`` lists the values given (``transport_km=0; waste_rate=0``), so
    the audit trail shows every own value that moved a score.
    """
    from klimafotavtrykk.tender.epd_checks import cell_refs, template_columns

    given = own_scenario_given(materials)
    at = np.flatnonzero(given)  # the few lines concerned
    if not len(at):
        return empty_findings()
    kind = np.where(np.asarray(counts, dtype=bool)[at], "scenario_accepted", "scenario_not_counted")
    m = materials.iloc[at]
    letters = {**template_columns(), **(columns or {})}
    present = [name for name in OWN_SCENARIO_COLUMNS if name in m.columns]
    values = m[present].to_numpy(dtype=object)
    given = ~pd.isna(values)
    first = np.asarray(present, dtype=object)[given.argmax(axis=1)]  # the cell named
    refs = m["source_ref"].to_numpy(dtype=object)
    cells = np.empty(len(at), dtype=object)
    for name in present:
        here = first == name
        if here.any():
            cells[here] = cell_refs(refs[here], letters[name])
    detail = ["; ".join(f"{name}={_shown(v)}" for name, v, g in zip(present, row, flags, strict=True) if g)
              for row, flags in zip(values, given, strict=True)]  # the flagged lines only
    return pd.DataFrame({"source_ref": cells, "kind": kind.astype(object), "reason": "",
                         "detail": np.asarray(detail, dtype=object), "kg_co2e_claimed": np.nan,
                         "kg_co2e": np.nan})


def _accepted(file: str, materials: pd.DataFrame, competition) -> np.ndarray:
    """:func:`scenario_accepted` for the lines of one bid."""
    refs = (materials["source_ref"].to_numpy(dtype=object) if "source_ref" in materials.columns
            else np.full(len(materials), None, dtype=object))
    return scenario_accepted(np.full(len(materials), file, dtype=object), refs,
                             getattr(competition, "accepted_scenarios", ()))


def _shown(value) -> str:
    """A number as ``:g`` writes it (0, 35, 0.05), anything else as text."""
    return f"{value:g}" if isinstance(value, float | int) and not isinstance(value, bool) else str(value)


def line_emissions(materials: pd.DataFrame, claims: EpdClaims, match: GenericMatch, epd_ids,
                   table, competition: Competition, mappings) -> LineEmissions:
    """Compute every line as claimed and, where it has an EPD, with its generic value.

    Claimed rows (EPD row or generic factor) and the generic rows of lines
    with a usable EPD (with the profile's markup) go through one
    :func:`~klimafotavtrykk.assessment.calculate`; when the competition's
    fallback for uncommitted claims is plain ``generic``, those lines are
    computed once more apart, without the markup. The bid's own columns
    that no calculation reads (the EPD claim, commitment, product, line key:
    :data:`_BID_ONLY`) are left out of the frame it gets.

    Returns
    -------
    LineEmissions
    """
    from klimafotavtrykk.assessment import calculate

    m = materials.drop(columns=[c for c in _BID_ONLY if c in materials.columns])
    n = len(m)
    profile = competition.scoring_profile
    claimed = m.assign(row_id=np.arange(n),
                       factor_id=np.where(claims.usable, epd_ids, match.factor_id))
    fb_rows = np.flatnonzero(claims.usable)
    fallback = m.iloc[fb_rows].assign(row_id=n + np.arange(len(fb_rows)),
                                      factor_id=match.factor_id[fb_rows])
    result = calculate(pd.concat([claimed, fallback], ignore_index=True), profile, factors=table,
                       bta_m2=competition.bta_m2, mappings=mappings)
    arrays = _line_arrays(result)  # one result: its arrays taken once for both parts
    k_claim, reason, source = _per_row(result, n, 0, arrays)
    k_generic = np.full((n, len(MODULES)), np.nan)
    sub, _, _ = _per_row(result, len(fb_rows), n, arrays)
    k_generic[fb_rows] = sub
    k_fb = k_generic
    if competition.material_fallback == "generic" and len(fb_rows):
        fb_result = calculate(fallback, dataclasses.replace(profile, generic_markup=0.0),
                              factors=table, bta_m2=competition.bta_m2, mappings=mappings)
        k_fb = np.full((n, len(MODULES)), np.nan)
        sub, _, _ = _per_row(fb_result, len(fb_rows), n)
        k_fb[fb_rows] = sub
    return LineEmissions(claimed=k_claim, reason=reason, source=source, fallback=k_fb,
                         generic=k_generic)


def scored_lines(materials: pd.DataFrame, claims: EpdClaims, emissions: LineEmissions,
                 checks: EpdChecks | None = None) -> ScoredLines:
    """Choose per line what is scored: the claim, its generic value, or the fallback.

    A claim that fails the EPD checks (``checks.downgrade``) counts as not
    made: the line is scored at its generic value with the profile's markup,
    whether committed or not. Otherwise a committed EPD claim is scored as
    claimed; an uncommitted one at
    :func:`~klimafotavtrykk.scoring.committed_emissions` (never below the
    fallback); a line whose EPD row cannot be computed falls back.

    Returns
    -------
    ScoredLines
    """
    from klimafotavtrykk.scoring import committed_emissions

    k_claim, k_fb, k_gen = emissions.claimed, emissions.fallback, emissions.generic
    usable, expired = claims.usable, claims.expired
    down = (np.zeros(len(usable), dtype=bool) if checks is None else checks.downgrade) & usable

    total_claim, total_fb = line_totals(k_claim), line_totals(k_fb)
    total_gen = total_fb if k_gen is k_fb else line_totals(k_gen)  # the same lines: summed once
    committed = _committed(materials["committed"])
    stands = usable & ~down                          # a claim that passed the checks
    claim_ok, fb_ok = np.isfinite(total_claim), np.isfinite(total_fb)
    scored = np.where(claim_ok, committed_emissions(total_claim, total_fb, committed | ~usable),
                      np.where(usable & fb_ok, total_fb, np.nan))
    scored = np.where(down, total_gen, scored)
    use_fb = stands & fb_ok & (~claim_ok | (scored != total_claim))
    computed = np.isfinite(scored)
    status = _STATUS[np.select([~computed, down & expired, down, use_fb, usable],
                               range(5), 5)]  # one text object per status, gathered
    modules = chosen_rows(k_claim, (use_fb, k_fb), (down, k_gen))
    return ScoredLines(total_claimed=total_claim, total_fallback=total_fb, scored=scored,
                       use_fallback=use_fb, computed=computed, modules=modules, status=status,
                       downgraded=down, committed=committed)


def chosen_rows(base: np.ndarray, *others: tuple[np.ndarray, np.ndarray]) -> np.ndarray:
    """A copy of ``base`` with the rows of each ``(rows, values)`` taken from ``values``, in turn.

    The nested ``np.where(rows[:, None], values, ...)`` of the pairs, the
    last pair outermost, without an array of every line per pair: only the
    rows chosen are copied.

    Parameters
    ----------
    base : numpy.ndarray
        Shape ``(n, k)``.
    *others : tuple of (numpy.ndarray of bool, numpy.ndarray)
        Rows to take (shape ``(n,)``) and the array to take them from (as ``base``).

    Returns
    -------
    numpy.ndarray
    """
    out = np.array(base, copy=True, order="C")
    for rows, values in others:
        at = np.flatnonzero(rows)
        out[at] = values[at]
    return out


#: Lines summed at a time by :func:`line_totals`: a block of module values (0.5 MB) stays in cache.
_TOTAL_BLOCK = 4096


def line_totals(k: np.ndarray) -> np.ndarray:
    """Each line's total over :data:`~klimafotavtrykk.vocabulary.TOTAL_MODULES`, NaN counted as 0.

    The very sums of :func:`_plain_line_totals`, bit for bit: that sum adds
    the columns of an F-ordered copy of every line one after the other to a
    zero, and so does this, on a cached block of lines at a time, without the
    copy (nor the masked assignment into it). One line alone is a contiguous
    row, which numpy sums pairwise instead (eight partial sums): it is summed
    by :func:`_plain_line_totals` itself. A line is NaN only where every
    module (those outside the total too) is NaN. When a sum is infinite or
    NaN (an infinite value, an overflow), the plain sums are taken instead,
    so that the warning raised is theirs too.

    Parameters
    ----------
    k : numpy.ndarray
        Module values per line, shape ``(n, len(MODULES))``. [kg CO2e]

    Returns
    -------
    numpy.ndarray
        Shape ``(n,)``. [kg CO2e]
    """
    n = len(k)
    if n == 1:  # a lone line is one contiguous row, which numpy sums pairwise, not in order
        return _plain_line_totals(k)
    out = np.zeros(n)
    none = np.empty(n, dtype=bool)
    with np.errstate(over="ignore", invalid="ignore"):
        for start in range(0, n, _TOTAL_BLOCK):  # blocks of lines, each summed whole
            block = k[start:start + _TOTAL_BLOCK]
            missing = np.isnan(block)
            none[start:start + _TOTAL_BLOCK] = missing.all(axis=1)
            clean = np.where(missing, 0.0, block)
            sums = out[start:start + _TOTAL_BLOCK]
            for j in _TOTAL:  # module by module, in order: the plain sum's own order
                sums += clean[:, j]
    if not np.isfinite(out[~none]).all():
        return _plain_line_totals(k)
    out[none] = np.nan
    return out


def _plain_line_totals(k: np.ndarray) -> np.ndarray:
    """:func:`line_totals` as np.nansum takes it: NaN set to 0 in a copy, then summed."""
    part = k[:, _TOTAL]
    missing = np.isnan(part)
    np.copyto(part, 0.0, where=missing)
    none = missing.all(axis=1)  # NaN in every module: the modules summed, then the rest
    if _NOT_TOTAL:
        none &= np.isnan(k[:, _NOT_TOTAL]).all(axis=1)
    return np.where(none, np.nan, part.sum(axis=1))


def material_findings(materials: pd.DataFrame, claims: EpdClaims, emissions: LineEmissions,
                      scored: ScoredLines, checks: EpdChecks | None = None,
                      columns: dict[str, str] | None = None) -> pd.DataFrame:
    """Downgraded and not computed material lines, one finding each, and what the EPD checks found.

    Parameters
    ----------
    checks : EpdChecks, optional
        What :func:`~klimafotavtrykk.tender.epd_checks.check_claims` found;
        each of its findings names the cell it concerns (the GWP, the EPD
        number, the valid-until date or the mass per unit).
    columns : dict, optional
        Column letter of each bid column in the sheet as read; default the
        template's (:func:`~klimafotavtrykk.tender.epd_checks.template_columns`).

    Returns
    -------
    DataFrame
        ``source_ref``, ``kind``, ``reason``, ``detail``, ``kg_co2e_claimed``
        and ``kg_co2e`` [kg CO2e]; kinds in the order they are checked.
    """
    found = [f for f, _ in _finding_pieces(materials, claims, emissions, scored, checks, columns)
             if len(f)]
    return pd.concat(found, ignore_index=True) if found else empty_findings()


def material_findings_many(materials: pd.DataFrame, claims: EpdClaims, emissions: LineEmissions,
                           scored: ScoredLines, checks: EpdChecks | None, columns,
                           bid: np.ndarray, n_bids: int) -> list[pd.DataFrame] | None:
    """:func:`material_findings` for the lines of many bids, cut into one frame per bid.

    Each kind of finding is made once for all lines; each bid's frame is then
    put together from its own rows, in the order (and with the column types)
    :func:`material_findings` gives for that bid alone.

    Parameters
    ----------
    bid : numpy.ndarray of int64
        Bid of each line, 0 .. n_bids-1, each bid's lines together.
    n_bids : int

    Returns
    -------
    list of DataFrame or None
        None when the lines of the EPD checks' findings cannot be told (then
        each bid's findings are made alone).
    """
    pieces = []
    for frame, line in _finding_pieces(materials, claims, emissions, scored, checks, columns):
        if line is None:  # the EPD checks: one kind after another, each in line order
            line = _check_lines(checks, frame)
            if line is None:
                return None
        owner = bid[line]
        order = np.argsort(owner, kind="stable")
        cuts = np.searchsorted(owner[order], np.arange(n_bids + 1))
        pieces.append((frame.iloc[order] if len(frame) else frame, cuts))
    out, none = [], empty_findings()
    for j in range(n_bids):  # one frame per bid, from slices: no work per line
        found = [frame.iloc[cuts[j]:cuts[j + 1]] for frame, cuts in pieces if cuts[j + 1] > cuts[j]]
        out.append(pd.concat(found, ignore_index=True) if found else none.copy())
    return out


def _check_lines(checks: EpdChecks, frame: pd.DataFrame) -> np.ndarray | None:
    """The line of each finding of :func:`~klimafotavtrykk.tender.epd_checks.check_findings`; None if unsure."""
    flagged = [(kind, np.flatnonzero(mask)) for kind, mask in checks.flags.items() if mask.any()]
    line = np.concatenate([at for _, at in flagged]) if flagged else np.zeros(0, dtype=np.int64)
    kinds = np.repeat(np.array([k for k, _ in flagged], dtype=object), [len(a) for _, a in flagged])
    if len(frame) != len(line) or (len(frame) and not (frame["kind"].to_numpy(dtype=object)
                                                       == kinds).all()):
        return None
    return line


def _finding_pieces(m: pd.DataFrame, claims: EpdClaims, emissions: LineEmissions,
                    scored: ScoredLines, checks: EpdChecks | None, columns):
    """The frames :func:`material_findings` joins, each with its rows' lines (None: the EPD checks')."""
    found = []
    if checks is not None:
        found.append((check_findings(m, claims, checks, scored.total_claimed, scored.scored,
                                     columns), None))
    committed = _committed(m["committed"]) if scored.committed is None else scored.committed
    claim_ok = np.isfinite(scored.total_claimed)
    fb_ok = np.isfinite(scored.total_fallback)
    c = claims
    kinds = {
        "missing_epd_id": c.has_value & ~c.has_id,
        "missing_epd_value": c.has_id & ~(c.has_value & c.has_unit),
        "unknown_epd_unit": c.has_value & c.has_id & c.has_unit & ~c.unit_ok,
        "expired_epd": c.expired,
        "uncommitted": c.usable & ~committed & ~scored.downgraded,
        "epd_not_usable": c.usable & ~claim_ok & fb_ok,
        "not_computed": not_computed(emissions, scored),
    }
    # the text of a finding is made for its own lines only: elementwise, so the same text
    detail_text = {
        "expired_epd": lambda at: m["epd_id"].iloc[at].astype(str) + " "
        + c.valid_until.iloc[at].dt.strftime("%Y-%m-%d").fillna(""),
        "unknown_epd_unit": lambda at: c.unit.iloc[at].astype(str),
    }
    reason = np.where(claim_ok, None, emissions.reason)
    refs = m["source_ref"].to_numpy(dtype=object)
    expired_cell = {**template_columns(), **(columns or {})}["epd_valid_until"]
    for name, mask in kinds.items():
        if not mask.any():
            continue
        at = np.flatnonzero(mask)
        text = detail_text[name](at) if name in detail_text else m["epd_id"].iloc[at]
        found.append((pd.DataFrame({
            "source_ref": (cell_refs(refs[at], expired_cell) if name == "expired_epd"
                           else refs[at]),  # an expired EPD is found at its valid-until date
            "kind": name,
            "reason": pd.Series(reason[at], dtype=object).fillna("").to_numpy(dtype=object),
            "detail": text.astype(object).where(lambda s: s.notna(), "").astype(str)
            .to_numpy(dtype=object),
            "kg_co2e_claimed": scored.total_claimed[at], "kg_co2e": scored.scored[at]}), at))
    return found


def not_computed(emissions: LineEmissions, scored: ScoredLines) -> np.ndarray:
    """Lines without a scored value for a reason other than being out of scope (bool).

    Out of scope are lines outside the profile's building parts and lines that
    are labour, hire or temporary works (``labour_only``): neither is a
    material line missing from the bid.
    """
    out = ~np.asarray(scored.computed, dtype=bool)
    at = np.flatnonzero(out)  # the reason is read only where no value is scored: few lines
    reason = np.asarray(emissions.reason, dtype=object)[at]
    out[at] = (reason != "out_of_scope") & (reason != "labour_only")
    return out


def product_limit_findings(materials: pd.DataFrame, claims: EpdClaims, match: GenericMatch,
                           generic, scored: ScoredLines, competition: Competition, file: str
                           ) -> tuple[str, pd.DataFrame]:
    """Check every usable EPD value against the competition's per-product A1-A3 limits.

    Returns
    -------
    gate : str
        Failure codes of the bid joined by ``;``; ``""`` when it passes or
        the competition sets no limits.
    findings : DataFrame
        One finding per line over its limit or given in another unit.
    """
    per_bidder, found, _ = _limit_check(materials, claims, match, generic, scored, competition,
                                        file)
    gate = str(per_bidder.iloc[0]) if per_bidder is not None and len(per_bidder) else ""
    return gate, found


def product_limit_findings_many(materials: pd.DataFrame, claims: EpdClaims, match: GenericMatch,
                                generic, scored: ScoredLines, competition: Competition,
                                bid: np.ndarray, n_bids: int) -> tuple[list[str], list]:
    """:func:`product_limit_findings` for the lines of many bids, in one check.

    Parameters
    ----------
    bid : numpy.ndarray of int64
        Bid of each line, 0 .. n_bids-1, each bid's lines together.
    n_bids : int

    Returns
    -------
    gates : list of str
        Per bid, as :func:`product_limit_findings` gives it.
    findings : list of DataFrame
        Per bid, as :func:`product_limit_findings` gives it.
    """
    per_bidder, found, rows = _limit_check(materials, claims, match, generic, scored, competition,
                                           bid)
    given = {} if per_bidder is None else {k: str(v) for k, v in per_bidder.items()}
    gates = [given.get(str(j), "") for j in range(n_bids)]
    cuts = np.searchsorted(bid[rows], np.arange(n_bids + 1))
    none = empty_findings()
    parts = [found.iloc[a:b].reset_index(drop=True) if b > a else none.copy()
             for a, b in zip(cuts[:-1], cuts[1:], strict=True)]
    return gates, parts


def _limit_check(materials, claims, match, generic, scored, competition, bidder):
    """The limit check of :func:`product_limit_findings`: per-bidder codes, findings and their lines."""
    from klimafotavtrykk.scoring import product_limit_gate

    usable = claims.usable
    none = np.zeros(0, dtype=np.int64)
    if not (competition.product_limits and usable.any()):
        return None, empty_findings(), none
    g_frame = generic.frame.reset_index(drop=True)
    group = np.append(g_frame["material_group"].to_numpy(dtype=object)
                      if "material_group" in g_frame else np.full(len(g_frame), None),
                      None)[match.index]
    checked = pd.DataFrame({"bidder": bidder, "A1-A3": claims.value, "declared_unit": claims.unit,
                            "factor_id": match.factor_id, "material_group": group})[usable]
    per_line, per_bidder = product_limit_gate(checked, competition.product_limits_frame())
    failed = per_line["gate"].astype(str).isin(_GATE_KINDS).to_numpy()
    if not failed.any():
        return per_bidder, empty_findings(), none
    rows = np.flatnonzero(usable)[failed]
    limits = per_line["limit_kg_co2e"].to_numpy()[failed]
    value, unit = claims.value, claims.unit.to_numpy(dtype=object)
    return per_bidder, pd.DataFrame({
        "source_ref": materials["source_ref"].to_numpy(dtype=object)[rows],
        "kind": per_line["gate"].astype(str).to_numpy(dtype=object)[failed],
        "reason": "", "kg_co2e_claimed": scored.total_claimed[rows], "kg_co2e": scored.scored[rows],
        "detail": [f"{v:g} > {lim:g} kg CO2e/{u}" for v, lim, u in
                   zip(value[rows], limits, unit[rows], strict=True)]}), rows


def material_lines(materials: pd.DataFrame, claims: EpdClaims, match: GenericMatch, generic,
                   epd_ids, emissions: LineEmissions, scored: ScoredLines, modules,
                   checks: EpdChecks | None = None) -> pd.DataFrame:
    """Every material line with its factor, status and result (the per-line detail).

    Besides the line and its result, each line shows what the bid declared
    and what was evaluated: ``epd_gwp_a1a3`` (declared),
    ``gwp_a1a3_evaluated`` (the A1-A3 scored) and ``gwp_a1a3_generic`` (the
    generic value with markup, the reference), all per the EPD's declared
    unit [kg CO2e per declared unit], ``checks`` (why they differ: finding kinds
    joined by ``;``), ``epd_range`` and ``epd_range_source``.

    Parameters
    ----------
    modules : tuple of str
        Modules in the profile's scope; a column each. [kg CO2e]
    checks : EpdChecks, optional

    Returns
    -------
    DataFrame
    """
    m = materials
    use_fb, usable = scored.use_fallback | scored.downgraded, claims.usable
    n = len(m)
    why = filled(n, "") if checks is None else checks.why.copy()
    uncommitted = usable & scored.use_fallback & ~scored.downgraded
    why = np.where(uncommitted, np.where(why == "", "uncommitted", why + ";uncommitted"), why)
    generic_source = np.append(generic.frame.reset_index(drop=True)["source"].to_numpy(dtype=object),
                               None)[match.index]
    return pd.DataFrame({
        "sheet": "materials", "row_id": np.arange(len(m)),
        **{c: m[c].to_numpy(dtype=object) for c in (
            "source_ref", "post_number", "item_code", "building_part", "description", "unit",
            "product", "epd_id")},
        "quantity": m["quantity"].to_numpy(dtype=float),
        "dataset_type": np.where(usable & ~use_fb, claims.dataset_type,
                                 np.where(scored.computed, "generic", None)),
        "committed": m["committed"].to_numpy(),
        "factor_id": np.where(use_fb | ~usable, match.factor_id, epd_ids),
        "factor_source": np.where(use_fb | ~usable, generic_source, emissions.source),
        "line_status": scored.status,
        "reason": np.where(scored.computed, None, emissions.reason),
        "epd_declared_unit": claims.unit.to_numpy(dtype=object),
        "epd_gwp_a1a3": claims.value,
        "gwp_a1a3_evaluated": per_declared_unit(m, claims, scored.modules[:, MODULE_INDEX["A1-A3"]],
                                                scored.computed, checks),
        "gwp_a1a3_generic": per_declared_unit(m, claims, emissions.generic[:, MODULE_INDEX["A1-A3"]],
                                              np.isfinite(emissions.generic).any(axis=1), checks),
        "checks": np.where(why == "", None, why),
        "epd_range": None if checks is None else checks.range_text,
        "epd_range_source": None if checks is None else checks.range_source,
        "kg_co2e_claimed": scored.total_claimed, "kg_co2e": scored.scored,
        **{mod: scored.modules[:, MODULE_INDEX[mod]] for mod in MODULES if mod in modules},
    })


def evaluate_materials(bid, competition: Competition, *, detail: bool = False, factors=None,
                       mappings=None, reconciled=None) -> MaterialEmissions:
    """Claimed and fallback emissions of every material line of a bid, and what is scored.

    The bid's lines are first matched to the competition's tender quantities
    (:func:`~klimafotavtrykk.tender.reference.reconcile`): matched lines are
    computed with the tender's quantity, unit, building part and text, tender
    lines missing from the bid with the generic value at the tender's
    quantity; added, duplicate and negative-quantity lines are not computed
    (listed in the detail as ``not_counted``). Under ``quantity_rule =
    "reject"`` any difference adds the gate code ``quantity_deviation``.
    What the bid claims (``total_claimed``) is then its EPD values at the
    tender's quantities, too.

    Parameters
    ----------
    bid : Bid
        The bid, as read.
    competition : Competition
    detail : bool
        Also return every line with its result.
    factors : FactorTable, optional
        Generic factors; default the shipped ones.
    mappings : Mappings, optional
        Description and NS 3420 mappings; default the shipped ones.
    reconciled : Reconciled, optional
        The bid's lines already matched to the tender's (a batch's workers do
        it while reading); default matched here.

    Returns
    -------
    MaterialEmissions
    """
    from klimafotavtrykk.factors import load_factors

    generic = load_factors() if factors is None else factors
    # the tender's quantities first: matched lines take the tender's values, deleted lines
    # come back without a claim, added and negative lines are not counted
    rec = reconciled if reconciled is not None else reconcile(
        bid.materials, competition.tender_quantities, competition.quantity_rule, bid.file,
        getattr(bid, "columns", None))
    m = rec.evaluated.reset_index(drop=True)
    deleted = (m.pop("origin") == "tender").to_numpy(dtype=bool)
    match = generic_match(m, generic, mappings)
    claims = epd_claims(m, competition.tender_date)
    checks = check_claims(m, claims, match, generic, competition)
    table, epd_ids = claim_factor_table(generic, m, claims, match, bid.file)
    counts = own_scenario_counts(m, _accepted(bid.file, m, competition))
    emissions = line_emissions(without_own_scenario(m, counts), claims, match, epd_ids, table,
                               competition, mappings)
    scored = scored_lines(m, claims, emissions, checks)
    return bid_materials(bid, rec, m, deleted, MaterialState(match, claims, checks, epd_ids, emissions,
                                                            scored), generic, competition, detail)


@dataclass(frozen=True, eq=False)
class MaterialState:
    """What is computed per material line before a bid's findings and totals are drawn from it.

    Every field holds one value per line (row of an array, or of each array
    of a dataclass), so the lines of many bids computed together
    (:mod:`~klimafotavtrykk.tender.many`) are cut into each bid's by :meth:`rows`.
    """

    match: GenericMatch
    claims: EpdClaims
    checks: EpdChecks
    epd_ids: np.ndarray
    emissions: LineEmissions
    scored: ScoredLines

    def rows(self, start: int, stop: int) -> MaterialState:
        """The lines ``start .. stop - 1``, numbered from 0 again."""
        return MaterialState(*(_cut(getattr(self, f.name), start, stop)
                               for f in dataclasses.fields(self)))


def _cut(value, start: int, stop: int):
    """Lines ``start .. stop - 1`` of an array, a Series (index from 0), a dict or a dataclass of them."""
    if isinstance(value, np.ndarray):
        return value[start:stop]
    if isinstance(value, pd.Series):
        return value.iloc[start:stop].reset_index(drop=True)
    if isinstance(value, dict):
        return {k: _cut(v, start, stop) for k, v in value.items()}
    return dataclasses.replace(value, **{f.name: _cut(getattr(value, f.name), start, stop)
                                        for f in dataclasses.fields(value)})


def bid_materials(bid, rec, m: pd.DataFrame, deleted: np.ndarray, state: MaterialState, generic,
                  competition: Competition, detail: bool = False, found: pd.DataFrame | None = None,
                  limits: tuple[str, pd.DataFrame] | None = None,
                  contributions: pd.DataFrame | None = None,
                  own_given: np.ndarray | None = None) -> MaterialEmissions:
    """A bid's findings, product-limit gate, totals and (on request) lines from its computed lines.

    Parameters
    ----------
    bid : Bid
        The bid, as read (its file name and sheet columns name the findings' cells).
    rec : Reconciled
        Its lines matched to the tender's.
    m : DataFrame
        The lines computed (``rec.evaluated`` without ``origin``), indexed from 0.
    deleted : numpy.ndarray of bool
        Lines that are tender lines the bid deleted.
    state : MaterialState
        What was computed per line.
    generic : FactorTable
    competition : Competition
    detail : bool
    found : DataFrame, optional
        The bid's :func:`material_findings`, when made with other bids'
        (:func:`material_findings_many`); default made here.
    limits : tuple of (str, DataFrame), optional
        Its :func:`product_limit_findings`, likewise.
    contributions : DataFrame, optional
        Its :func:`~klimafotavtrykk.tender.uncertainty.bid_contributions`,
        likewise (:func:`~klimafotavtrykk.tender.uncertainty.contributions_many`).
    own_given : numpy.ndarray of bool, optional
        Its :func:`own_scenario_given`, likewise (taken for every bid's lines at once).

    Returns
    -------
    MaterialEmissions
    """
    match, claims, checks = state.match, state.claims, state.checks
    emissions, scored = state.emissions, state.scored
    findings = found if found is not None else material_findings(
        m, claims, emissions, scored, checks, getattr(bid, "columns", None))
    if len(rec.findings):
        findings = pd.concat([rec.findings.assign(reason="", kg_co2e_claimed=np.nan, kg_co2e=np.nan),
                              findings], ignore_index=True)
    gate, over = limits if limits is not None else product_limit_findings(
        m, claims, match, generic, scored, competition, bid.file)
    if len(over):
        findings = pd.concat([findings, over], ignore_index=True)
    if (own_given if own_given is not None else own_scenario_given(m)).any():
        # rare: the bid typed its own transport or waste
        counts = own_scenario_counts(m, _accepted(bid.file, m, competition))
        findings = pd.concat([findings, scenario_findings(m, counts, getattr(bid, "columns", None))],
                             ignore_index=True)
    lines = None
    if detail:
        lines = material_lines(m, claims, match, generic, state.epd_ids, emissions, scored,
                               competition.scoring_profile.modules, checks)
        lines["line_status"] = np.where(deleted, "deleted", lines["line_status"].to_numpy(dtype=object))
        lines = _with_excluded(lines, rec.excluded)
    computed = scored.computed
    return MaterialEmissions(
        total=float(np.nansum(np.where(computed, scored.scored, 0.0))),
        total_claimed=float(np.nansum(np.where(np.isfinite(scored.total_claimed),
                                               scored.total_claimed, 0.0))),
        by_module=np.nansum(np.where(computed[:, None], scored.modules, 0.0), axis=0),
        findings=findings.assign(file=bid.file), gate=";".join(g for g in (gate, rec.gate) if g),
        lines=lines, n_lines=len(m),
        n_computed=int(computed.sum()), n_epd=int(claims.usable.sum()),
        n_downgraded=int((scored.use_fallback | scored.downgraded).sum()),
        n_not_computed=int(not_computed(emissions, scored).sum()),
        contributions=contributions if contributions is not None else bid_contributions(
            m, claims, match, state.epd_ids, scored, generic))


def _with_excluded(lines: pd.DataFrame, excluded: pd.DataFrame) -> pd.DataFrame:
    """Append the bid lines not counted (added, duplicate, negative) to the per-line detail."""
    if not len(excluded):
        return lines
    shown = [c for c in ("source_ref", "post_number", "item_code", "building_part", "description",
                         "unit", "product", "epd_id", "committed") if c in excluded.columns]
    extra = excluded[shown].assign(
        sheet="materials", row_id=len(lines) + np.arange(len(excluded)),
        quantity=pd.to_numeric(excluded["quantity"], errors="coerce").to_numpy(dtype=float),
        line_status="not_counted")
    return pd.concat([lines, extra.reindex(columns=lines.columns)], ignore_index=True)


# ============================================================================ helpers

#: Line statuses in the order :func:`scored_lines` chooses them.
_STATUS = np.array(["not_computed", "epd_generic", "epd_unverified", "fallback", "epd", "generic"],
                   dtype=object)


def _committed(column: pd.Series) -> np.ndarray:
    """``column.astype("boolean").fillna(False)`` as bool, without coding a column of booleans."""
    if column.dtype != object or pd.api.types.infer_dtype(column, skipna=True) != "boolean":
        # not only True, False and blanks (a 1 would factorize as True): converted as it is
        return column.astype("boolean").fillna(False).to_numpy(dtype=bool)
    # only True, False (Python or numpy) and blanks: each is its own truth, a blank False
    values = column.to_numpy(dtype=object)
    out = np.zeros(len(values), dtype=bool)
    given = ~pd.isna(values)
    out[given] = values[given].astype(bool)
    return out


def _per_row(result, n: int, offset: int, arrays=None):
    """Gather module values [kg CO2e], reason and factor source of input rows ``offset .. offset + n``.

    ``arrays`` are the result's :func:`_line_arrays` when already taken.
    """
    row_id, values, factor_source = arrays if arrays is not None else _line_arrays(result)
    rows = row_id - offset
    if len(rows) and (rows[1:] > rows[:-1]).all():  # in input order: the rows asked for are a block
        start, stop = np.searchsorted(rows, [0, n])
        inside = slice(start, stop)
    else:
        inside = (rows >= 0) & (rows < n)
    at = rows[inside]
    source = np.full(n, None, dtype=object)
    if len(at) == n:  # every row computed, in order: copied whole, not scattered
        k = np.array(values[inside], dtype=float, order="C")
        source[:] = factor_source[inside]
    else:
        k = np.full((n, len(MODULES)), np.nan)
        k[at] = values[inside]
        source[at] = factor_source[inside]
    reason = np.full(n, None, dtype=object)
    un = result.unmatched
    urows = un["row_id"].to_numpy(dtype=np.int64) - offset
    uin = (urows >= 0) & (urows < n)
    reason[urows[uin]] = un["reason"].astype(object).to_numpy()[uin]
    return k, reason, source


def _line_arrays(result):
    """``row_id``, module values [kg CO2e] and ``factor_source`` of each computed line.

    Taken from the arrays the calculation keeps for its per-line frame
    (:class:`~klimafotavtrykk.lifecycle.lines.LineResults`), so that the
    frame (about 30 columns per line) is not built for three of them; the
    same numbers, made by the same :func:`~klimafotavtrykk.lifecycle.engine.line_results`.
    Read from ``result.lines`` when the result holds a frame only or a line
    is a build-up of layers (its layers are summed into it there).
    """
    from klimafotavtrykk.assemblies import LAYER_COLUMNS
    from klimafotavtrykk.assessment import Assessment
    from klimafotavtrykk.lifecycle.engine import line_results
    from klimafotavtrykk.lifecycle.lines import LazyFrame, LineResults

    lazy = type(result).__dict__.get("lines") if isinstance(result, Assessment) else None
    kept = lazy.source(result) if isinstance(lazy, LazyFrame) else None
    if isinstance(kept, LineResults) and "row_id" in kept.items.columns:
        ok = kept.ok
        layered = kept.items[LAYER_COLUMNS[0]].to_numpy(dtype=np.int64)[ok] >= 0
        if not layered.any():
            values = line_results(kept.row, kept.quantity, kept.intensities)
            source = kept.table.frame["source"].to_numpy(dtype=object)[kept.factor]
            return kept.items["row_id"].to_numpy(dtype=np.int64)[ok], values, source
    lines = result.lines
    return (lines["row_id"].to_numpy(dtype=np.int64),
            lines[list(MODULES)].to_numpy(dtype=float),
            lines["factor_source"].to_numpy(dtype=object))
