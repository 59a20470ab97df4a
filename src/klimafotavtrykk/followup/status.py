"""Status of a contract at any month: the monthly reports against the winning bid's promise.

:func:`follow_up` computes every counted site row of every monthly report in
one :func:`~klimafotavtrykk.site.calculate_site` call (rows keyed by month),
and the winning bid's site sheet the same way, so that what was reported and
what was promised use the same factors (``data/emission_factors/
energy_carriers.csv``, well-to-wheel, as in the bid evaluation) and the same
emission-free definitions (:func:`~klimafotavtrykk.site.energy_class_shares`:
the carrier's energy class decides, never the contractor's yes/no).

The promise
    The climate budget is the contract's ``climate_budget_kg`` when it states
    one, else the A5 site energy the winning bid claimed for the whole
    contract. It is spread evenly over the contract's months: the promise to
    date after *k* of *n* months is ``budget × k / n``.
The projection to completion
    ``cumulative A5 so far + mean A5 of the months reported × (n − months
    reported)``: a month not reported counts as an average month, not as zero.
The climate result the rules judge
    ``projection + material difference`` [kg CO2e], the material difference
    being what the deliveries' EPDs add against the bid's EPDs for the same
    quantities (:func:`~klimafotavtrykk.followup.checks.compare_materials`).
A bonus while the status is incomplete
    is held back (0, note ``held_back`` naming what is missing): a month
    without a report counts as an average month, and a site row not computed
    or a delivery not compared counts as nothing, so leaving out the worst
    would pay. At the contract's end, a promised material line reported at
    less than its promised quantity (beyond the contract's
    ``quantity_tolerance``) holds it back too: a delivery left out of the
    reports would cost nothing. A deduction stands.

:func:`status_text` writes the status for the command line (bokmål or
English), :meth:`FollowUp.to_json` for machines.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from klimafotavtrykk._string_storage import python_strings
from klimafotavtrykk.followup.checks import (
    compare_materials,
    findings_frame,
    month_findings,
    promised_power,
    site_findings,
)
from klimafotavtrykk.followup.rules import (
    RULE_PARAMETERS,
    advantage_multiple,
    budget_share,
    per_tonne_below_threshold,
)
from klimafotavtrykk.site import ENERGY_CLASSES, SHARE_BASES

__all__ = ["FollowUp", "follow_up", "status_text", "monthly_class_totals", "DUPLICATE_RULES", "LATEST"]

#: What counts when a month is reported in more than one file: ``last`` (the
#: last report given for the month, as a correction replaces what it corrects)
#: or ``sum`` (every report, as when sub-contractors report apart).
DUPLICATE_RULES: tuple[str, ...] = ("last", "sum")
_SITE_SCOPE = "wtw"  # the factors the bid evaluation uses (tender.schema.SITE_SCOPE)


@dataclass(frozen=True, eq=False)
class FollowUp:
    """The status of one contract against its promise.

    Attributes
    ----------
    contract : str
        The contract's name.
    status_month : pandas.Period or None
        The last month counted; None before any report.
    months : pandas.PeriodIndex
        The contract's months, start to end.
    summary : dict
        Cumulative figures: ``months_in_contract``, ``months_elapsed``,
        ``months_reported``, ``budget_kg_co2e``, ``budget_source``
        (``contract`` or ``bid``), ``kg_co2e`` (A5 so far),
        ``promised_to_date_kg_co2e``, ``deviation_kg_co2e``,
        ``projection_kg_co2e``, ``projected_deviation_kg_co2e``,
        ``mass_transport_kg_co2e``, ``materials_difference_kg_co2e``,
        ``result_kg_co2e`` [kg CO2e]; ``share_<basis>`` and
        ``promised_share_<basis>`` (emission-free, cumulative) [-];
        ``bonus_nok`` [NOK]; ``n_findings``.
    by_month : DataFrame
        One row per contract month: ``month``, ``reported``, ``files``,
        ``kg_co2e``, ``cumulative_kg_co2e``, ``budget_kg_co2e``,
        ``cumulative_budget_kg_co2e``, ``deviation_kg_co2e`` (cumulative
        against the cumulative budget), ``mass_transport_kg_co2e`` [kg CO2e];
        ``share_<basis>``, ``cumulative_share_<basis>``,
        ``promised_share_<basis>`` [-]; ``rows_not_computed``.
    by_carrier : DataFrame
        One row per carrier promised or reported: ``carrier``,
        ``energy_class``, ``amount_unit``, ``promised_amount``, ``amount``
        [amount_unit], ``promised_kg_co2e`` (whole contract),
        ``promised_to_date_kg_co2e``, ``kg_co2e`` (so far),
        ``deviation_kg_co2e`` [kg CO2e], ``in_promise``, then one column per
        month counted (``YYYY-MM``) with that month's kg CO2e.
    by_machine : DataFrame
        One row per machine (``machine_id``, else its name) and carrier.
    materials : DataFrame
        Deliveries against the promise
        (:func:`~klimafotavtrykk.followup.checks.compare_materials`).
    findings : DataFrame
        :data:`~klimafotavtrykk.followup.checks.FOLLOWUP_FINDING_COLUMNS`.
    bonus : DataFrame
        One row per rule of the contract, with its inputs and ``amount_nok``
        (bonus positive, deduction negative) [NOK], ``parameters`` and
        ``sources``; ``note`` says why a rule could not be applied.
    parameters : DataFrame
        ``parameter``, ``value``, ``source``: the contract's parameters, each
        rule's, and the method's, for the audit trail.
    site, promise : SiteResult
        The calculation of the reported rows and of the bid's site sheet.
    """

    contract: str
    status_month: pd.Period | None
    months: pd.PeriodIndex
    summary: dict
    by_month: pd.DataFrame
    by_carrier: pd.DataFrame
    by_machine: pd.DataFrame
    materials: pd.DataFrame
    findings: pd.DataFrame
    bonus: pd.DataFrame
    parameters: pd.DataFrame
    site: object = field(repr=False, default=None)
    promise: object = field(repr=False, default=None)

    def as_dict(self) -> dict:
        """The status as plain Python: summary and frames as lists of records (NaN as None)."""
        frames = {name: _records(getattr(self, name)) for name in (
            "by_month", "by_carrier", "by_machine", "materials", "findings", "bonus", "parameters")}
        return {"contract": self.contract,
                "status_month": None if self.status_month is None else str(self.status_month),
                "summary": {k: _plain(v) for k, v in self.summary.items()}, **frames}

    def to_json(self, indent: int | None = 2) -> str:
        """The status as JSON text (:meth:`as_dict`), UTF-8 characters kept."""
        return json.dumps(self.as_dict(), ensure_ascii=False, indent=indent)


@python_strings
def follow_up(contract, reports, *, as_of=None, duplicates: str = "last", refused=None) -> FollowUp:
    """Status of a contract: site A5 by month and carrier, shares, materials, findings, bonus.

    Parameters
    ----------
    contract : Contract, str or path-like
        The contract (:class:`~klimafotavtrykk.followup.model.Contract`), or
        its ``kontrakt.toml``, read with
        :func:`~klimafotavtrykk.followup.contract.load_contract`.
    reports : iterable of MonthlyReport, or str / path-like / iterable of them
        The monthly reports so far, in the order read (for a month reported
        twice, the order decides which is last); or report files and folders,
        read with :func:`~klimafotavtrykk.followup.reader.read_reports`, whose
        refused files become findings.
    as_of : str or pandas.Period, optional
        Status month (``"2025-11"``): the status as it stood when that month's
        report was due, at the end of the month after it. Reports for later
        months, and reports signed after that month (``report_date``), are
        listed, not counted. Default: the status today, with every report
        counted: the last month whose report was due by today (the month
        before last), or a later month already reported, and never after the
        contract's last month. A month due and not reported is then missing,
        also at the end of the contract. ``"latest"`` (or ``"siste"``): the
        last month reported inside the contract period.
    duplicates : {"last", "sum"}
        See :data:`DUPLICATE_RULES`.
    refused : DataFrame, optional
        Report files that could not be read (the second value of
        :func:`~klimafotavtrykk.followup.reader.read_reports`): each becomes a
        finding ``report_refused`` with its reason and cell, so one bad file
        is listed, never lost.

    Returns
    -------
    FollowUp

    Raises
    ------
    InputError
        When ``duplicates`` or ``as_of`` is not understood.

    Notes
    -----
    The methods (budget, pro rata promise, projection, climate result) are
    in the module docstring. Rows not computed (a negative amount, an unknown
    carrier) are findings and add nothing; reports for a month outside the
    contract period are findings and add nothing.
    """
    from klimafotavtrykk.errors import InputError
    from klimafotavtrykk.site import calculate_site

    if duplicates not in DUPLICATE_RULES:
        raise InputError("unknown rule for months reported twice", expected=" | ".join(DUPLICATE_RULES),
                         found=str(duplicates))
    contract, reports, refused = _read_inputs(contract, reports, refused)
    months = pd.period_range(_period(contract.start), _period(contract.end), freq="M")
    meta = pd.DataFrame({"file": [r.file for r in reports],
                         "month": pd.PeriodIndex([_period(r.month) for r in reports], freq="M"),
                         "report_date": [getattr(r, "report_date", None) for r in reports]})
    inside = meta["month"][meta["month"].isin(months)]
    latest = isinstance(as_of, str) and as_of.strip().casefold() in LATEST
    status = (_period(as_of) if as_of is not None and not latest
              else _default_status(months, inside, None if latest else _today()))
    signed_by = status + 1 if as_of is not None else None
    month_found, counted = month_findings(meta, months, status, duplicates, signed_by)
    use = [r for r, c in zip(reports, counted, strict=True) if c]

    rows = _stack([r.site for r in use], use).reset_index(drop=True)
    rows["row_id"] = np.arange(len(rows))
    rows, power_found = promised_power(rows, contract.machines)
    result = calculate_site(rows, scope=_SITE_SCOPE)
    promise = calculate_site(contract.bid.site.reset_index(drop=True), scope=_SITE_SCOPE)
    elapsed = months[months <= status] if status is not None else months[:0]
    budget = (float(contract.climate_budget_kg) if contract.climate_budget_kg is not None
              else float(promise.total))

    site = _site_lines(result)
    promised_shares = _emission_free(_site_lines(promise))
    by_month = _by_month(site, result, months, elapsed, budget, promised_shares, meta[counted])
    final = status is not None and status >= months[-1]  # every delivery is due: compare the totals
    materials, material_found = compare_materials(_stack([r.materials for r in use], use),
                                                  contract.materials,
                                                  getattr(contract, "accepted_epds", ()),
                                                  getattr(contract, "quantity_tolerance", None), final,
                                                  lines=_bid_lines(contract.bid))
    reader_found = [r.findings.assign(month=str(_period(r.month)), file=r.file)
                    for r in reports if r.findings is not None and len(r.findings)]
    findings = findings_frame([month_found, site_findings(rows, result, promise, contract.machines,
                                                          _diesel_kwh_per_kg()),
                               power_found, material_found, *reader_found,
                               _refused_findings(refused)])

    n = len(months)
    so_far = float(site["kg_co2e"].sum())
    reported = int(by_month["reported"].sum())
    mean = so_far / reported if reported else math.nan
    projection = so_far + mean * (n - reported) if reported else math.nan
    material_diff = float(np.nansum(materials["difference_kg_co2e"].to_numpy(dtype=float)))
    result_kg = projection + material_diff
    cumulative = _emission_free(site)
    summary = {
        "months_in_contract": n, "months_elapsed": len(elapsed), "months_reported": reported,
        "budget_kg_co2e": budget,
        "budget_source": "contract" if contract.climate_budget_kg is not None else "bid",
        "kg_co2e": so_far, "promised_to_date_kg_co2e": budget * len(elapsed) / n,
        "deviation_kg_co2e": so_far - budget * len(elapsed) / n,
        "projection_kg_co2e": projection, "projected_deviation_kg_co2e": projection - budget,
        "mass_transport_kg_co2e": float(result.mass_transport),
        "materials_difference_kg_co2e": material_diff, "result_kg_co2e": result_kg,
        **{f"share_{b}": float(cumulative[b]) for b in SHARE_BASES},
        **{f"promised_share_{b}": float(promised_shares[b]) for b in SHARE_BASES},
    }
    unreported = by_month["month"][months.isin(elapsed) & ~by_month["reported"].to_numpy(dtype=bool)]
    left_out = findings["source_ref"][findings["kind"].isin(("row_not_computed", "material_not_compared"))]
    short_lines = findings["detail"][findings["kind"] == "material_short"]  # "<line key>: reported / promised"
    bonus, rule_parameters = _apply_rules(contract, budget, result_kg, materials,
                                          [*unreported, *left_out.dropna().astype(str),
                                           *short_lines.astype(str)])
    amounts = bonus["amount_nok"].to_numpy(dtype=float) if len(bonus) else np.array([])
    summary["bonus_nok"] = float(np.nansum(amounts)) if np.isfinite(amounts).any() else math.nan
    summary["n_findings"] = len(findings)
    return FollowUp(
        contract=contract.name, status_month=status, months=months, summary=summary,
        by_month=by_month, by_carrier=_by_carrier(site, _site_lines(promise), elapsed, n),
        by_machine=_by_machine(site, contract.machines), materials=materials,
        findings=findings, bonus=bonus,
        parameters=_parameters(contract, rule_parameters, summary),
        site=result, promise=promise)


# ----------------------------------------------------------------------------- frames


def _by_month(site, result, months, elapsed, budget, promised_shares, counted_meta) -> pd.DataFrame:
    labels = months.astype(str)
    n = len(months)
    kg = site.groupby("month")["kg_co2e"].sum().reindex(labels)
    lines = result.lines
    mass = lines.loc[lines["scope"] == "mass_transport"].groupby("month")["kg_co2e"].sum()
    files = counted_meta.assign(month=counted_meta["month"].astype(str)).groupby("month")["file"] \
        .agg(", ".join)
    unmatched = result.unmatched.groupby("month").size() if len(result.unmatched) else pd.Series()
    is_elapsed = months.isin(elapsed)
    reported = labels.isin(files.index)
    frame = pd.DataFrame({
        "month": labels, "reported": reported, "files": files.reindex(labels).to_numpy(dtype=object),
        "kg_co2e": kg.to_numpy(dtype=float),
        "cumulative_kg_co2e": np.where(is_elapsed, kg.fillna(0.0).cumsum().to_numpy(), np.nan),
        "budget_kg_co2e": np.full(n, budget / n),
        "cumulative_budget_kg_co2e": budget * np.arange(1, n + 1) / n,
    })
    frame["deviation_kg_co2e"] = frame["cumulative_kg_co2e"] - frame["cumulative_budget_kg_co2e"]
    frame["mass_transport_kg_co2e"] = np.where(reported, mass.reindex(labels).fillna(0.0), np.nan)
    month_code = pd.Index(labels).get_indexer(site["month"].astype(str))
    monthly, running = monthly_class_totals(
        month_code, n, site["energy_class"].to_numpy(dtype=object),
        site["energy_kwh"].to_numpy(dtype=float), _hours(site), _machines(site))
    free = list(ENERGY_CLASSES).index("emission_free")
    for b, basis in enumerate(SHARE_BASES):
        frame[f"share_{basis}"] = np.where(reported, _share(monthly[b], free), np.nan)
        frame[f"cumulative_share_{basis}"] = np.where(is_elapsed, _share(running[b], free), np.nan)
        frame[f"promised_share_{basis}"] = float(promised_shares[basis])
    frame["rows_not_computed"] = np.where(reported, unmatched.reindex(labels).fillna(0), np.nan)
    return frame


def _by_carrier(site, promise, elapsed, n) -> pd.DataFrame:
    def totals(lines):
        key = _carrier_key(lines)
        return lines.assign(carrier=key).groupby("carrier").agg(
            energy_class=("energy_class", "first"), amount_unit=("amount_unit", "first"),
            amount=("amount", "sum"), kg_co2e=("kg_co2e", "sum"))

    done, said = totals(site), totals(promise)
    index = said.index.union(done.index, sort=False)
    frame = pd.DataFrame({
        "carrier": index,
        "energy_class": said["energy_class"].reindex(index).fillna(done["energy_class"].reindex(index)),
        "amount_unit": said["amount_unit"].reindex(index).fillna(done["amount_unit"].reindex(index)),
        "promised_amount": said["amount"].reindex(index).to_numpy(dtype=float),
        "amount": done["amount"].reindex(index).fillna(0.0).to_numpy(dtype=float),
        "promised_kg_co2e": said["kg_co2e"].reindex(index).fillna(0.0).to_numpy(dtype=float),
    }).reset_index(drop=True)
    frame["promised_to_date_kg_co2e"] = frame["promised_kg_co2e"] * len(elapsed) / n
    frame["kg_co2e"] = done["kg_co2e"].reindex(index).fillna(0.0).to_numpy(dtype=float)
    frame["deviation_kg_co2e"] = frame["kg_co2e"] - frame["promised_to_date_kg_co2e"]
    frame["in_promise"] = index.isin(said.index)
    per_month = (site.assign(carrier=_carrier_key(site))
                 .pivot_table(index="carrier", columns="month", values="kg_co2e", aggfunc="sum")
                 if len(site) else pd.DataFrame(index=index))
    per_month = per_month.reindex(index=index, columns=list(elapsed.astype(str)))
    return pd.concat([frame, per_month.reset_index(drop=True)], axis=1)


def _by_machine(site, machines) -> pd.DataFrame:
    key = pd.Series(_coalesce(site, "machine_id", "machine", "activity"), index=site.index,
                    dtype=object).fillna("")
    flag = site.get("emission_free", pd.Series(False, index=site.index)).astype("boolean") \
        .fillna(False).astype(bool)
    grouped = site.assign(key=key, carrier=_carrier_key(site), hours=_hours(site), said_free=flag,
                          none=None) \
        .groupby(["key", "carrier"], dropna=False, sort=False)
    firsts = {c: (c if c in site.columns else "none", "first") for c in ("machine_id", "machine", "activity")}
    frame = grouped.agg(**firsts, energy_class=("energy_class", "first"), months=("month", "nunique"),
                        amount=("amount", "sum"), amount_unit=("amount_unit", "first"),
                        energy_kwh=("energy_kwh", "sum"), machine_hours=("hours", "sum"),
                        kg_co2e=("kg_co2e", "sum"), reported_emission_free=("said_free", "any"),
                        ).reset_index().drop(columns="key")
    frame = frame[["machine_id", "machine", "activity", "carrier",
                   *[c for c in frame.columns if c not in ("machine_id", "machine", "activity", "carrier")]]]
    promised = machines.drop_duplicates("machine_id").set_index("machine_id") if len(machines) \
        else pd.DataFrame(columns=["carrier", "emission_free", "machine"])
    mid = frame["machine_id"]
    frame["in_promise"] = mid.isin(promised.index).to_numpy(dtype=bool)
    frame["promised_carrier"] = mid.map(promised["carrier"]).to_numpy(dtype=object)
    frame["promised_emission_free"] = mid.map(promised["emission_free"]).to_numpy(dtype=object)
    unseen = promised.loc[~promised.index.isin(set(mid.dropna()))].reset_index()
    if len(unseen):
        frame = pd.concat([frame, pd.DataFrame({
            "machine_id": unseen["machine_id"], "machine": unseen.get("machine"),
            "activity": unseen.get("activity"), "months": 0, "in_promise": True,
            "promised_carrier": unseen["carrier"], "promised_emission_free": unseen["emission_free"],
        })], ignore_index=True)
    return frame


def _apply_rules(contract, budget, result_kg, materials, incomplete=()) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Each rule's amount [NOK] and the parameters with their sources.

    A bonus (a positive amount) is held back while the status is incomplete
    (``incomplete``: months up to the status without a report, ``YYYY-MM``,
    the cells of site rows not computed and of deliveries not compared, and at
    the contract's end the promised material lines reported short).
    A month left out counts as an average month, and a row or delivery left
    out counts as nothing, so leaving out the worst would otherwise pay. The
    amount is then 0 with the note ``held_back`` naming them; ``uncapped_nok``
    keeps what the rule gave. A deduction stands.
    """
    from klimafotavtrykk.errors import InputError

    rows, params = [], []
    for number, rule in enumerate(contract.rules, start=1):  # a contract names a few rules
        values = dict(rule.parameters)
        sources = dict(rule.sources)
        params += [(f"rules[{number}].{k}", v, sources.get(k)) for k, v in values.items()]
        row = {"rule": number, "kind": rule.kind, "emissions_kg_co2e": result_kg,
               "budget_kg_co2e": budget, "amount_nok": math.nan, "note": "", "detail": "",
               "parameters": "; ".join(f"{k}={v}" for k, v in values.items()),
               "sources": "; ".join(f"{k}: {sources.get(k, '')}" for k in values)}
        needed = RULE_PARAMETERS.get(rule.kind)
        missing = [] if needed is None else [k for k in needed["required"] if k not in values]
        if needed is None:
            row |= {"note": "unknown_kind"}
        elif missing:
            row |= {"note": "missing_parameter", "detail": ", ".join(missing)}
        elif not math.isfinite(result_kg):
            row |= {"note": "no_result"}
        else:
            try:
                row |= _one_rule(rule.kind, values, contract, budget, result_kg, materials)
            except (InputError, TypeError, ValueError) as exc:
                row |= {"note": "bad_parameter", "detail": str(exc)}
            if len(incomplete) and row["amount_nok"] > 0:  # NaN compares False
                row |= {"amount_nok": 0.0, "note": "held_back", "detail": ", ".join(incomplete)}
        rows.append(row)
    columns = ["rule", "kind", "amount_nok", "uncapped_nok", "capped", "emissions_kg_co2e",
               "budget_kg_co2e", "improvement_percent", "advantage_nok", "points_lost",
               "tonnes_below", "parameters", "sources", "note", "detail"]
    return (pd.DataFrame(rows).reindex(columns=columns),
            pd.DataFrame(params, columns=["parameter", "value", "source"]))


def _one_rule(kind, values, contract, budget, result_kg, materials) -> dict:
    number = {k: v for k, v in values.items() if k not in ("match", "declared_unit", "points_model")}
    p = {k: float(v) for k, v in number.items()}
    if kind == "budget_share":
        return budget_share(result_kg, budget, float(contract.contract_sum_nok),
                            p["bonus_share_per_percent"], p["deduction_share_per_percent"],
                            p.get("bonus_cap_share"), p.get("deduction_cap_share"))
    if kind == "per_tonne_below_threshold":
        tonnes, gwp = _rule_tonnes(materials, str(values["match"]), str(values["declared_unit"]),
                                   p.get("tonnes_per_declared_unit"))
        out = per_tonne_below_threshold(tonnes, gwp, p["threshold_kg_co2e"], p["nok_per_tonne"],
                                        p.get("cap_nok"))
        return {k: v for k, v in out.items() if k != "tonnes"}
    promised = p.get("promised_kg", budget)
    return advantage_multiple(promised + (result_kg - budget), promised, p["multiple"],
                              co2_price_nok_per_kg=p.get("co2_price_nok_per_kg"),
                              points_model=values.get("points_model"), best_kg=p.get("best_kg"),
                              max_points=p.get("max_points"), nok_per_point=p.get("nok_per_point"))


def _bid_lines(bid) -> pd.DataFrame | None:
    """The bid's material lines with their keys and quantities (None when it has no keys)."""
    materials = getattr(bid, "materials", None)
    if materials is None or "line_key" not in materials.columns:
        return None
    return materials.reindex(columns=["line_key", "quantity", "unit", "source_ref"])


def _rule_tonnes(materials, match, declared_unit, tonnes_per_unit) -> tuple[np.ndarray, np.ndarray]:
    """Tonnes delivered and GWP per the rule's declared unit, of the deliveries the rule is about."""
    from klimafotavtrykk.units import parse_units

    reason = materials["reason"].astype(object).fillna("")
    # compared deliveries (up to their promise) and those against no promised line (as reported)
    m = materials[materials["month"].notna() & reason.isin(["", "not_promised"]).to_numpy(dtype=bool)]
    text = (m["description"].fillna("").astype(str) + " " + m["product"].fillna("").astype(str))
    m = m[text.str.casefold().str.contains(match.casefold(), regex=False).to_numpy(dtype=bool)]
    units = parse_units([declared_unit, "tonn"])
    rule_unit, tonne = units.iloc[0], units.iloc[1]
    spellings = pd.unique(m["epd_declared_unit"].astype(object).dropna())
    table = parse_units(list(spellings)) if len(spellings) else None
    dim = m["epd_declared_unit"].map(table["dimension"]) if table is not None else m["epd_declared_unit"]
    scale = m["epd_declared_unit"].map(table["scale"]).to_numpy(dtype=float) if table is not None \
        else np.full(len(m), np.nan)
    same = (dim == rule_unit["dimension"]).to_numpy(dtype=bool)
    ratio = np.where(same, scale / rule_unit["scale"], np.nan)  # rule units per declared unit
    gwp = m["counted_epd_gwp_a1a3"].to_numpy(dtype=float) / ratio  # the value credited
    # up to the promise, or to the bid line's quantity where nothing was promised
    quantity = m["credited_quantity"].to_numpy(dtype=float) * ratio  # in the rule's unit
    if rule_unit["dimension"] == "mass":
        tonnes = quantity * rule_unit["scale"] / tonne["scale"]  # kg per rule unit / kg per tonne
    else:
        tonnes = quantity * (math.nan if tonnes_per_unit is None else tonnes_per_unit)
    return tonnes, gwp


def _parameters(contract, rule_parameters, summary) -> pd.DataFrame:
    given = contract.parameters if contract.parameters is not None and len(contract.parameters) \
        else pd.DataFrame(columns=["key", "value", "source"])
    bid_file = getattr(contract.bid, "file", "")
    method = pd.DataFrame([
        ("budget_kg_co2e", summary["budget_kg_co2e"],
         "followup.status.source.budget_" + summary["budget_source"]),
        ("bid", bid_file, "followup.status.source.bid"),
        ("factor_scope", _SITE_SCOPE, "followup.status.source.factors"),
        ("projection", "followup.status.method.projection", "followup.status.source.method"),
        ("promise_to_date", "followup.status.method.pro_rata", "followup.status.source.method"),
    ], columns=["parameter", "value", "source"])
    return pd.concat([given.rename(columns={"key": "parameter"}).reindex(
        columns=["parameter", "value", "source"]), rule_parameters, method], ignore_index=True)


# ----------------------------------------------------------------------------- helpers


def monthly_class_totals(month, n_months, energy_class, energy, machine_hours, machine):
    """Energy, machine hours and machine count per month and energy class, and cumulatively.

    The definitions of :func:`~klimafotavtrykk.site.energy_class_totals`, for
    every month at once: energy and hours are summed; each distinct (machine,
    class) counts once per month, and cumulatively once from the first month
    it appears; a row with hours but no machine counts as one machine.

    Parameters
    ----------
    month : array-like of int
        Month of each row, 0 .. ``n_months`` − 1; negative rows are left out.
    n_months : int
    energy_class, energy, machine_hours, machine
        As for :func:`~klimafotavtrykk.site.energy_class_totals`. [-], [kWh], [h], [-]

    Returns
    -------
    monthly, cumulative : numpy.ndarray
        Shape (basis, month, class): bases in the order of
        :data:`~klimafotavtrykk.site.SHARE_BASES`, classes of
        :data:`~klimafotavtrykk.site.ENERGY_CLASSES`. [kWh], [h], [-]
    """
    k = len(ENERGY_CLASSES)
    code = pd.Index(ENERGY_CLASSES).get_indexer(np.asarray(energy_class, dtype=object))
    month = np.asarray(month, dtype=np.int64)
    keep = (code >= 0) & (month >= 0)
    code, month = code[keep], month[keep]
    hours = np.nan_to_num(np.asarray(machine_hours, dtype=float))[keep]
    name = np.asarray(machine, dtype=object)[keep]
    size = n_months * k
    key = month * k + code

    named = pd.notna(name)
    pairs = pd.DataFrame({"month": month[named], "name": name[named], "code": code[named]})
    seen = pairs.drop_duplicates()
    count = np.bincount(seen["month"] * k + seen["code"], minlength=size).reshape(n_months, k)
    first = seen.groupby(["name", "code"], sort=False)["month"].min().reset_index()
    new = np.bincount(first["month"] * k + first["code"], minlength=size).reshape(n_months, k)
    unnamed = np.bincount(key[~named & (hours > 0)], minlength=size).reshape(n_months, k)
    e = np.bincount(key, weights=np.nan_to_num(np.asarray(energy, dtype=float))[keep],
                    minlength=size).reshape(n_months, k)
    h = np.bincount(key, weights=hours, minlength=size).reshape(n_months, k)
    monthly = np.stack([e, h, (count + unnamed).astype(float)])
    cumulative = np.stack([e.cumsum(axis=0), h.cumsum(axis=0),
                           (new + unnamed).cumsum(axis=0).astype(float)])
    return monthly, cumulative


def _share(totals: np.ndarray, column: int) -> np.ndarray:
    """Share of one class per row of a (month, class) array; NaN where the month's total is 0."""
    total = totals.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(total > 0, totals[:, column] / total, np.nan)


def _site_lines(result) -> pd.DataFrame:
    lines = result.lines
    return lines[lines["scope"].to_numpy(dtype=object) == "site"]


def _emission_free(lines: pd.DataFrame) -> pd.Series:
    """Emission-free share per basis of computed site rows (the site package's definitions)."""
    from klimafotavtrykk.site import energy_class_shares

    shares = energy_class_shares(lines["energy_class"].to_numpy(dtype=object),
                                 lines["energy_kwh"].to_numpy(dtype=float), _hours(lines),
                                 _machines(lines))
    return shares["emission_free"]


def _machines(lines: pd.DataFrame) -> np.ndarray:
    """Who counts as a machine: the contract's machine id on machine rows, else the name written.

    A heating or drying row counts by its name only, as on the bid's site sheet, so that the
    promise and the reports count machines alike.
    """
    name = _coalesce(lines, "machine")
    if "machine_id" not in lines.columns:
        return name
    on_machine = lines.get("category", pd.Series("machine", index=lines.index)).astype(object) \
        .fillna("machine").to_numpy() == "machine"
    ids = _coalesce(lines, "machine_id")
    return np.where(on_machine & pd.notna(ids), ids, name)


def _hours(lines: pd.DataFrame) -> np.ndarray:
    """Machine hours per row: those reported beside the energy, else the hours computed from [h]."""
    reported = pd.to_numeric(lines.get("reported_hours", pd.Series(np.nan, index=lines.index)),
                             errors="coerce")
    computed = pd.to_numeric(lines.get("machine_hours", pd.Series(np.nan, index=lines.index)),
                             errors="coerce")
    return reported.fillna(computed).to_numpy(dtype=float)


def _coalesce(frame: pd.DataFrame, *columns: str) -> np.ndarray:
    out = pd.Series(None, index=frame.index, dtype=object)
    for column in columns:
        if column in frame.columns:
            values = frame[column].astype(object)
            values = values.where(values.notna() & (values.astype(str).str.strip() != ""), None)
            out = out.where(out.notna(), values)
    return out.to_numpy(dtype=object)


def _carrier_key(lines: pd.DataFrame) -> np.ndarray:
    key = lines["carrier_key"].astype(object)
    if "vehicle_class" in lines.columns:
        key = key.where(key.notna(), lines["vehicle_class"].astype(object))
    return key.to_numpy(dtype=object)


def _stack(frames, reports) -> pd.DataFrame:
    """The reports' frames one under the other, each row with its report's ``month`` and ``file``."""
    kept = [(f, r) for f, r in zip(frames, reports, strict=True) if f is not None and len(f)]
    if not kept:
        return pd.DataFrame({"month": pd.Series(dtype=object), "file": pd.Series(dtype=object)})
    sizes = [len(f) for f, _ in kept]
    stacked = pd.concat([f for f, _ in kept], ignore_index=True)
    return stacked.assign(month=np.repeat([str(_period(r.month)) for _, r in kept], sizes).astype(object),
                          file=np.repeat([r.file for _, r in kept], sizes).astype(object))


def _diesel_kwh_per_kg() -> float:
    from klimafotavtrykk.site import carrier_table

    table = carrier_table()
    row = table[(table["carrier"] == "diesel") & (table["scope"] == _SITE_SCOPE)].iloc[0]
    return float(row["kwh_per_unit"]) / float(row["kg_per_unit"])


#: Words for the status as of the last month reported (``as_of``), in either language.
LATEST: tuple[str, ...] = ("latest", "siste")


def _today():
    """Today's date: the default status is the status today."""
    import datetime as dt

    return dt.date.today()


def _default_status(months: pd.PeriodIndex, reported: pd.Series, today) -> pd.Period | None:
    """The status month when none is given: today's, or the last month reported (``today`` None).

    A month's report is due at the end of the month after it, so on ``today``
    the reports up to the month before last are due. A later month already
    reported moves the status on; the contract's last month ends it. None
    before the first month is due or reported.
    """
    latest = reported.max() if len(reported) else None
    if today is None:
        return latest
    due = pd.Period(today, freq="M") - 2
    status = due if latest is None else max(due, latest)
    if status < months[0]:
        return None
    return min(status, months[-1])


def _period(value) -> pd.Period:
    from klimafotavtrykk.errors import InputError

    try:
        return pd.Period(value, freq="M")
    except (TypeError, ValueError):
        raise InputError("not a month", expected="YYYY-MM", found=str(value)) from None


def _plain(value):
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, pd.Period):
        return str(value)
    return value


def _records(frame: pd.DataFrame) -> list[dict]:
    return [{str(k): _plain(v) if not pd.isna(v) else None for k, v in row.items()}
            for row in frame.astype(object).to_dict(orient="records")]


def status_text(result: FollowUp, lang: str = "nb") -> str:
    """The status for the command line: figures, shares, materials, findings and bonus.

    Parameters
    ----------
    result : FollowUp
    lang : {"nb", "en"}

    Returns
    -------
    str
        Lines of text, every word from ``data/messages/followup_status.csv``.
    """
    from klimafotavtrykk.followup._text import render

    return render(result, lang)


def _read_inputs(contract, reports, refused):
    """The contract and reports as objects: files and folders are read, their refusals kept."""
    import os

    from klimafotavtrykk.followup.contract import load_contract
    from klimafotavtrykk.followup.model import MonthlyReport
    from klimafotavtrykk.followup.reader import read_reports

    if isinstance(contract, str | os.PathLike):
        contract = load_contract(contract)
    if isinstance(reports, str | os.PathLike):
        reports = [reports]
    reports = list(reports)
    paths = [r for r in reports if not isinstance(r, MonthlyReport)]
    if paths:
        read, more = read_reports(paths, contract)
        reports = [r for r in reports if isinstance(r, MonthlyReport)] + list(read)
        refused = more if refused is None else pd.concat([refused, more], ignore_index=True)
    return contract, reports, refused


def _refused_findings(refused) -> pd.DataFrame:
    """Findings ``report_refused`` for report files that could not be read (file, reason, cell)."""
    if refused is None or not len(refused):
        return pd.DataFrame()
    sheet = refused["sheet"].astype(object) if "sheet" in refused else pd.Series(None, index=refused.index)
    cell = refused["cell"].astype(object) if "cell" in refused else pd.Series(None, index=refused.index)
    file = refused["file"].astype(str)
    where = ("[" + file + "]" + sheet.fillna("").astype(str) + "!" + cell.fillna("").astype(str))
    where = where.where(sheet.notna(), "[" + file + "]")
    return pd.DataFrame({"file": file.to_numpy(object), "source_ref": where.to_numpy(object),
                         "kind": "report_refused", "reason": refused["reason"].astype(object).to_numpy(),
                         "detail": refused["detail"].astype(object).to_numpy()})
