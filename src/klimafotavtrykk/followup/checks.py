"""What the follow-up finds in the monthly reports: checks against the promise, and materials.

Every check works on whole columns of the month's rows (after the one
:func:`~klimafotavtrykk.site.calculate_site` call) and returns finding rows
with the columns of :data:`FOLLOWUP_FINDING_COLUMNS`; user-facing texts are
``messages`` keys ``followup.finding.<kind>``. :func:`compare_materials`
puts each delivery beside the line the bid promised it for.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from klimafotavtrykk.tender.findings import FINDING_COLUMNS

__all__ = ["FOLLOWUP_FINDING_KINDS", "FOLLOWUP_FINDING_COLUMNS", "MATERIAL_REASONS", "findings_frame", "month_findings",
           "site_findings", "implausible_fuel", "promised_power", "compare_materials"]

#: Finding kinds of the follow-up, in the order the status lists them
#: (messages: ``followup.finding.<kind>``). Findings the report reader made keep their own kind.
FOLLOWUP_FINDING_KINDS: tuple[str, ...] = (
    "month_missing", "month_duplicate", "month_duplicate_summed", "month_outside_period",
    "month_after_status", "report_after_status", "report_late", "row_not_computed", "fuel_hours_implausible",
    "emission_free_flag_wrong", "fossil_instead_of_emission_free", "carrier_changed",
    "machine_not_promised", "carrier_not_promised", "power_lowered", "epd_differs", "epd_value_lowered",
    "epd_value_not_positive", "epd_value_below_range", "material_over", "material_short",
    "material_unit_not_line", "material_not_promised", "material_over_line", "material_unknown_line",
    "material_not_compared", "report_refused")
#: Columns of a follow-up finding frame: the month (``YYYY-MM``) and the bid finding columns;
#: ``kg_co2e_claimed`` and ``kg_co2e`` in [kg CO2e].
FOLLOWUP_FINDING_COLUMNS: tuple[str, ...] = ("month", *FINDING_COLUMNS)
#: Energy class that counts as emission-free (the site package's classes).
_EMISSION_FREE = "emission_free"
#: Why a delivery was not compared with the promise (messages: ``followup.status.material_reason.*``).
MATERIAL_REASONS: tuple[str, ...] = ("not_promised", "negative_quantity", "no_epd_value",
                                     "unit_not_convertible")


def findings_frame(frames) -> pd.DataFrame:
    """One finding frame in the order of :data:`FOLLOWUP_FINDING_KINDS`, then other kinds.

    Parameters
    ----------
    frames : list of DataFrame
        Any subset of :data:`FOLLOWUP_FINDING_COLUMNS`; empty ones are skipped.

    Returns
    -------
    DataFrame
        Columns :data:`FOLLOWUP_FINDING_COLUMNS`.
    """
    frames = [f for f in frames if len(f)]
    if not frames:
        return pd.DataFrame({c: pd.Series(dtype=float if c.startswith("kg") else object)
                             for c in FOLLOWUP_FINDING_COLUMNS})
    out = pd.concat(frames, ignore_index=True).reindex(columns=list(FOLLOWUP_FINDING_COLUMNS))
    order = pd.Index(FOLLOWUP_FINDING_KINDS).get_indexer(out["kind"].astype(object))
    order = np.where(order < 0, len(FOLLOWUP_FINDING_KINDS), order)
    month = out["month"].astype(object).fillna("").astype(str).to_numpy()
    return out.iloc[np.lexsort((month, order))].reset_index(drop=True)


def month_findings(reports: pd.DataFrame, months: pd.PeriodIndex, status: pd.Period | None,
                   duplicates: str, signed_by: pd.Period | None = None) -> tuple[pd.DataFrame, np.ndarray]:
    """Months missing, reported twice, outside the contract, after the status, or reported late.

    Parameters
    ----------
    reports : DataFrame
        One row per report, in the order given: ``file``, ``month`` (Period) and
        ``report_date`` (the date the contractor signed it, or None). A report
        signed after the month that follows the month it reports is late (a
        finding; it counts like any other).
    months : PeriodIndex
        The contract's months, start to end.
    status : Period or None
        The last month counted.
    duplicates : {"last", "sum"}
        Count only the last report of a month, or all of them.
    signed_by : Period, optional
        Reports signed after this month were not delivered yet at the status
        date: listed, not counted, and their month is missing.

    Returns
    -------
    findings : DataFrame
    counted : numpy.ndarray of bool
        Per report, whether its rows are counted.
    """
    month = reports["month"]
    files = reports["file"]
    signed = pd.to_datetime(reports.get("report_date", pd.Series(None, index=reports.index)),
                            errors="coerce")
    signed_month = signed.dt.to_period("M")
    inside = month.isin(months).to_numpy(dtype=bool)
    due = inside & (month <= status).to_numpy(dtype=bool) if status is not None else inside.copy()
    later = inside & ~due
    unknown = due & (signed.notna() & (signed_month > signed_by)).to_numpy(dtype=bool) \
        if signed_by is not None else np.zeros(len(reports), dtype=bool)
    due &= ~unknown
    late = (signed.notna() & (signed_month > month + 1)).to_numpy(dtype=bool) & due
    counted = due.copy()

    def rows(mask, kind, detail=None):
        return pd.DataFrame({"month": month[mask].astype(str), "file": files[mask], "kind": kind,
                             "detail": None if detail is None else detail[mask]})

    dates = signed.dt.strftime("%Y-%m-%d")
    found = [rows(~inside, "month_outside_period"), rows(later, "month_after_status"),
             rows(unknown, "report_after_status", dates), rows(late, "report_late", dates)]
    twice = np.zeros(len(reports), dtype=bool)
    twice[np.flatnonzero(due)] = month[due].duplicated(keep=False).to_numpy(dtype=bool)
    if twice.any():
        names = files[twice].astype(str).groupby(month[twice].astype(str)).agg(", ".join)
        found.append(pd.DataFrame({"month": names.index, "detail": names.to_numpy(),
                                   "kind": "month_duplicate" if duplicates == "last"
                                   else "month_duplicate_summed"}))
        if duplicates == "last":
            kept = month[due]
            counted[np.flatnonzero(due)[kept.duplicated(keep="last").to_numpy(dtype=bool)]] = False
    if status is not None:
        seen = set(month[due])
        missing = [m for m in months[months <= status] if m not in seen]
        found.append(pd.DataFrame({"month": [str(m) for m in missing], "kind": "month_missing"}))
    return findings_frame(found), counted


def site_findings(rows: pd.DataFrame, result, promise, machines: pd.DataFrame,
                  diesel_kwh_per_kg: float) -> pd.DataFrame:
    """Site rows not computed, and computed rows that break the promise.

    Parameters
    ----------
    rows : DataFrame
        The counted reports' site rows as given to ``calculate_site``
        (``row_id`` 0 .. n-1, ``month``, ``file``).
    result : SiteResult
        Their calculation.
    promise : SiteResult
        The winning bid's site sheet, calculated.
    machines : DataFrame
        The machines promised (:data:`~klimafotavtrykk.followup.model.PROMISE_MACHINE_COLUMNS`).
    diesel_kwh_per_kg : float
        Energy content of the diesel the machinery SFC is measured on. [kWh kg⁻¹]

    Returns
    -------
    DataFrame
        Finding rows (kinds ``row_not_computed``, ``fuel_hours_implausible``,
        ``emission_free_flag_wrong``, ``fossil_instead_of_emission_free``,
        ``machine_not_promised``, ``carrier_not_promised``).
    """
    un = result.unmatched
    found = [pd.DataFrame({"month": un.get("month"), "file": un.get("file"),
                           "source_ref": un.get("source_ref"), "kind": "row_not_computed",
                           "reason": un["reason"].astype(str), "detail": un.get("detail")})]
    lines = result.lines
    site = lines[lines["scope"].to_numpy(dtype=object) == "site"]

    def rows_where(mask, kind, detail, **extra):
        part = site[mask]
        return pd.DataFrame({"month": part["month"], "file": part["file"],
                             "source_ref": part.get("source_ref"), "kind": kind,
                             "detail": np.asarray(detail, dtype=object)[mask],
                             "kg_co2e": part["kg_co2e"], **{k: v[mask] for k, v in extra.items()}})

    carrier = site["carrier_key"].to_numpy(dtype=object)
    fossil = site["energy_class"].to_numpy(dtype=object) != _EMISSION_FREE
    flag = _column(site, "emission_free").astype("boolean").fillna(False).to_numpy(dtype=bool)
    found.append(rows_where(flag & fossil, "emission_free_flag_wrong", carrier))
    found.append(rows_where(implausible_fuel(site, diesel_kwh_per_kg), "fuel_hours_implausible",
                            _text(site, "machine")))

    promised = machines.drop_duplicates("machine_id").set_index("machine_id") if len(machines) \
        else pd.DataFrame(columns=["carrier", "emission_free"])
    mid = _column(site, "machine_id")
    known = mid.isin(promised.index).to_numpy(dtype=bool)
    is_machine = _column(site, "category").astype(object).to_numpy() == "machine"
    named = _text(site, "machine")
    label = np.where(pd.isna(mid.to_numpy(dtype=object)), named, mid.astype(str).to_numpy(dtype=object))
    found.append(rows_where(is_machine & ~known, "machine_not_promised", label))
    promised_free = (mid.map(promised["emission_free"].astype("boolean")).astype("boolean")
                     .fillna(False).to_numpy(dtype=bool))
    promised_carrier = mid.map(promised["carrier"]).astype(object).to_numpy()
    change = (label + ": " + pd.Series(promised_carrier, dtype=object).fillna("").astype(str)
              .to_numpy(dtype=object) + " → " + pd.Series(carrier, dtype=object).fillna("")
              .astype(str).to_numpy(dtype=object))
    worse = known & promised_free & fossil
    found.append(rows_where(worse, "fossil_instead_of_emission_free", change))
    # any other change of a promised machine's carrier: a diesel machine reported on
    # electricity or HVO counts as reported, and the client checks the machine
    said, now = _carrier_family(promised_carrier), _carrier_family(carrier)
    changed = known & ~worse & ~pd.isna(said) & ~pd.isna(now) & (said != now)
    found.append(rows_where(changed, "carrier_changed", change))
    promise_lines = promise.lines
    offered = set(promise_lines.loc[promise_lines["scope"] == "site", "carrier_key"].dropna())
    has_carrier = ~pd.isna(carrier)
    found.append(rows_where(has_carrier & ~pd.Series(carrier).isin(offered).to_numpy(),
                            "carrier_not_promised", carrier))
    return findings_frame(found)


def promised_power(rows: pd.DataFrame, machines: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Rows given in hours alone get at least the rated power the bid gave their machine.

    Such a row is computed from its rated power, which the contractor types
    (the template is pre-filled with the bid's): 900 h of a diesel excavator
    are 42 979 kg at 90 kW and 5 kg at 0.01 kW. A promised machine reported
    with less power than the bid gave it counts at the bid's power, with the
    finding ``power_lowered`` at the row (``M2: 90 → 1 kW``); a row left
    without a power gets the bid's. Rows with metered fuel or energy, and
    machines not promised, are left as reported.

    Parameters
    ----------
    rows : DataFrame
        The counted site rows of the reports (``machine_id``, ``rated_power_kw``,
        the amount columns, ``month``, ``file``, ``source_ref``).
    machines : DataFrame
        :data:`~klimafotavtrykk.followup.model.PROMISE_MACHINE_COLUMNS`.

    Returns
    -------
    rows : DataFrame
        The same rows (a copy where a power was raised).
    findings : DataFrame
    """
    if not len(rows) or "rated_power_kw" not in machines.columns:
        return rows, findings_frame([])
    amounts = [_numbers(rows, c) for c in ("litres", "kwh", "nm3", "kg")]
    hours_only = np.isfinite(_numbers(rows, "machine_hours"))
    for values in amounts:
        hours_only &= np.isnan(values)
    promised = machines.drop_duplicates("machine_id").set_index("machine_id")["rated_power_kw"]
    bid_power = _column(rows, "machine_id").map(promised).to_numpy(dtype=float)
    reported = _numbers(rows, "rated_power_kw")
    lowered = hours_only & np.isfinite(bid_power) & (reported < bid_power)
    raise_to_bid = hours_only & np.isfinite(bid_power) & ~(reported >= bid_power)  # NaN: not given
    if not raise_to_bid.any():
        return rows, findings_frame([])
    out = rows.copy()
    out["rated_power_kw"] = np.where(raise_to_bid, bid_power, reported)
    detail = (_text(rows, "machine_id") + ": " + pd.Series(bid_power).map("{:g}".format).to_numpy(dtype=object)
              + " → " + pd.Series(reported).map("{:g}".format).to_numpy(dtype=object) + " kW")
    found = pd.DataFrame({"month": _column(rows, "month").to_numpy(dtype=object),
                          "file": _column(rows, "file").to_numpy(dtype=object),
                          "source_ref": _column(rows, "source_ref").to_numpy(dtype=object),
                          "kind": "power_lowered", "detail": detail})[lowered]
    return out, findings_frame([found])


def _carrier_family(carriers) -> np.ndarray:
    """Carrier texts stripped and case-folded, every electricity carrier as ``electricity``.

    A plain ``electricity`` in a bid or report resolves to the calculation's
    electricity carrier; comparing families keeps that from reading as a change.
    """
    from klimafotavtrykk.site.activities import activity_text

    key = activity_text(pd.DataFrame({"carrier": np.asarray(carriers, dtype=object)}), "carrier")
    plain = pd.Series(key, dtype=object).fillna("").str.startswith("electricity").to_numpy(dtype=bool)
    return np.where(plain, "electricity", key).astype(object)


def implausible_fuel(lines: pd.DataFrame, diesel_kwh_per_kg: float) -> np.ndarray:
    """Rows whose metered fuel and machine hours cannot both be right.

    A diesel engine at full rated power for every hour reported burns at most
    ``hours × rated power × SFC`` of diesel [kg] (:func:`~klimafotavtrykk.site.machine_fuel_mass`
    at load factor 1, SFC from the machinery table); a row reporting more fuel
    energy than that diesel holds, or no fuel at all beside its hours, is
    flagged. Rows without hours, rated power or a machine class the table knows
    are not judged; electric machines neither (drive-train losses are not modelled).

    Parameters
    ----------
    lines : DataFrame
        Computed site rows (``SiteResult.lines``) with ``reported_hours`` [h].
    diesel_kwh_per_kg : float
        [kWh kg⁻¹]

    Returns
    -------
    numpy.ndarray of bool
    """
    from klimafotavtrykk.site import machine_fuel_mass, machine_parameters, machinery_table

    hours = _numbers(lines, "reported_hours")
    power = _numbers(lines, "rated_power_kw")
    judged = ((lines["method"].to_numpy(dtype=object) == "metered")
              & (lines["machine_drive"].to_numpy(dtype=object) == "diesel_engine")
              & (hours > 0) & (power > 0))
    if not judged.any():
        return judged
    classes = _column(lines, "machine_class").astype(object).where(judged, None).to_numpy()
    params = machine_parameters(machinery_table(), classes, power)
    ok_class = params["class_known"].to_numpy() & (params["band"].to_numpy() >= 0) & judged \
        & ~params["class_assumed"].to_numpy()
    most_kg = machine_fuel_mass(hours, power, 1.0, params["sfc_kg_per_kwh"].to_numpy(float))
    energy = lines["energy_kwh"].to_numpy(dtype=float)
    with np.errstate(invalid="ignore"):
        too_much = energy / diesel_kwh_per_kg > most_kg
    return judged & ((ok_class & too_much) | (energy == 0))


def compare_materials(delivered: pd.DataFrame, promised: pd.DataFrame, accepted_epds=(),
                      tolerance: float | None = None, final: bool = False,
                      lines: pd.DataFrame | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Each delivery beside the line it was promised for, and the kg CO2e difference.

    ``difference = (delivered GWP − promised GWP) × delivered quantity``, both
    GWPs per the delivered EPD's declared unit and the quantity converted to
    it through the library's units (:func:`~klimafotavtrykk.units.unit_codes`);
    a promised GWP per another unit of the same dimension (per kg against per
    tonne) is converted too. A delivery is matched to the promise by
    ``line_key``. Promised lines nothing was delivered against yet are listed
    with quantity 0.

    The contractor types the delivered GWP, so a value below the promise is
    credited only where it can be a better product: under another EPD number
    (listed as ``epd_differs`` for the client to check against the EPD
    itself) and above zero. The bid's value counts instead (``counted_epd_gwp_a1a3``)
    where the same EPD is reported with a lower value (``epd_value_lowered``:
    an EPD says one value) and where a value of zero or less replaces a
    positive promise (``epd_value_not_positive``). Under another EPD number, a
    value below the plausible range of the promised product (``plausible_low``,
    as the tender checks a claim) is not credited either until the client has
    checked that EPD and names it in ``accepted_epds`` (``epd_value_below_range``).
    A better product is credited up to the promised quantity of its line
    (plus the share ``tolerance``): reporting more of it than the bid promised
    would add credit nobody can check, so the credits of a line reported over
    it are scaled down to the promise (``material_over``, the line's
    deliveries in the bid's unit against its promise); a worse product counts
    in full. Each finding's ``kg_co2e`` is the credit refused. A negative
    delivered quantity is not compared (``negative_quantity``): it would turn a
    worse product into a credit.

    With ``final`` (the status is the contract's last month, every delivery is
    due), a promised line reported short of its quantity by more than
    ``tolerance`` is a finding too (``material_short``): only what is reported
    is compared, so a delivery left out of the reports (a worse product, say)
    would cost nothing. Its reported quantity counts every delivery against it
    but negative ones, in the bid's unit; its ``kg_co2e`` is empty (what the
    missing quantity was built with is not known).

    A delivery against a line the bid made no EPD claim for is not compared
    (``material_not_promised``), but a rule per tonne of product counts it.
    Given the bid's ``lines``, it counts up to its line's quantity (plus
    ``tolerance``): the deliveries against a line reported over it are scaled
    down (``material_over_line``), and one whose unit cannot be converted to the
    line's, or against a key that is no line of the bid
    (``material_unknown_line``), counts nothing; otherwise as reported.

    Parameters
    ----------
    delivered : DataFrame
        :data:`~klimafotavtrykk.followup.model.REPORT_MATERIAL_COLUMNS` plus
        ``month`` and ``file``.
    promised : DataFrame
        :data:`~klimafotavtrykk.followup.model.PROMISE_MATERIAL_COLUMNS`; without
        ``plausible_low`` no value is checked against a range.
    accepted_epds : iterable of str
        EPD numbers the client accepts below the range (blanks and case ignored).
    tolerance : float, optional
        Share by which a line's reported quantity may exceed its promise and
        still be credited in full, or fall short of it at the end (the
        contract's ``quantity_tolerance``). [-]
    final : bool
        Also find the promised lines reported short.
    lines : DataFrame, optional
        The bid's material lines (``line_key``, ``quantity``, ``unit``,
        ``source_ref``): the quantities deliveries against lines without a
        promise are counted up to.

    Returns
    -------
    materials : DataFrame
        ``month``, ``file``, ``source_ref``, ``line_key``, ``post_number``,
        ``description``, ``product``, ``epd_id``, ``promised_epd_id``,
        ``epd_declared_unit``, ``epd_gwp_a1a3`` (as reported),
        ``promised_epd_gwp_a1a3`` (per the delivered declared unit),
        ``counted_epd_gwp_a1a3`` [kg CO2e per declared unit],
        ``quantity``, ``unit``, ``declared_quantity`` [declared unit],
        ``promised_quantity``, ``promised_unit``, ``kg_co2e``,
        ``promised_kg_co2e``, ``difference_kg_co2e`` [kg CO2e] (a credit
        scaled down where the line is reported over its promise),
        ``reason`` (:data:`MATERIAL_REASONS`; empty when compared) and
        ``credited_quantity`` [declared unit] (the share of the delivery
        counted towards the promise or, not promised, towards its line).
    findings : DataFrame
        ``epd_differs``, ``epd_value_lowered``, ``epd_value_not_positive``,
        ``epd_value_below_range``, ``material_over``, ``material_short`` (with ``final``),
        ``material_not_promised``, ``material_over_line``, ``material_unknown_line``
        (with ``lines``), ``material_not_compared``; a line's findings at the
        bid's cell with ``"<line key>: <reported> / <promised> <unit>"``.
    """
    from klimafotavtrykk.units import unit_codes

    d = delivered.reset_index(drop=True)
    p = promised.drop_duplicates("line_key").set_index("line_key") if len(promised) \
        else pd.DataFrame(columns=["epd_id", "epd_declared_unit", "epd_gwp_a1a3", "quantity", "unit"])
    key = _column(d, "line_key")
    known = key.isin(p.index).to_numpy(dtype=bool)

    def promised_col(name):
        if name not in p.columns:
            return np.full(len(key), np.nan if name in _PROMISED_NUMBERS else None)
        return key.map(p[name]).to_numpy(dtype=object if name not in _PROMISED_NUMBERS else float)

    bid_lines = (lines.dropna(subset=["line_key"]).drop_duplicates("line_key").set_index("line_key")
                 if lines is not None else None)
    line_unit = (key.map(bid_lines["unit"]) if bid_lines is not None and "unit" in bid_lines.columns
                 else pd.Series(None, index=key.index, dtype=object))
    codes, table = unit_codes(pd.concat([_column(d, "unit"), _column(d, "epd_declared_unit"),
                                         pd.Series(promised_col("epd_declared_unit"), dtype=object),
                                         pd.Series(promised_col("unit"), dtype=object),
                                         line_unit.astype(object)],
                                        ignore_index=True))
    dim = np.append(table["dimension"].to_numpy(dtype=object), None)[codes]
    scale = np.append(table["scale"].to_numpy(dtype=float), np.nan)[codes]
    n = len(d)
    (dim_q, dim_d, dim_p, dim_u, dim_l), (sc_q, sc_d, sc_p, sc_u, sc_l) = (np.split(dim, 5),
                                                                          np.split(scale, 5))
    quantity = _numbers(d, "quantity")
    negative = quantity < 0  # NaN compares False
    reported = _numbers(d, "epd_gwp_a1a3")
    promised_raw = promised_col("epd_gwp_a1a3")
    in_line_unit, declared = _through_mass(quantity, (dim_q, sc_q), (dim_u, sc_u), (dim_d, sc_d),
                                           promised_col("mass_per_unit"))
    with np.errstate(invalid="ignore", divide="ignore"):
        declared_quantity = np.where(~negative, declared, np.nan)
        promised_gwp = np.where(dim_p == dim_d, promised_raw * sc_d / sc_p, np.nan)
    below = known & (reported < promised_gwp)
    number = _epd(_column(d, "epd_id"))
    lowered = below & (number != "") & (number == _epd(pd.Series(promised_col("epd_id"), dtype=object)))
    not_positive = below & ~lowered & (reported <= 0) & (promised_gwp > 0)
    with np.errstate(invalid="ignore"):
        low = np.where(dim_p == dim_d, promised_col("plausible_low") * sc_d / sc_p, np.nan)
    accepted = np.isin(number, _epd(pd.Series(list(accepted_epds), dtype=object)))
    below_range = below & ~lowered & ~not_positive & (reported < low) & ~accepted
    gwp = np.where(lowered | not_positive | below_range, promised_gwp, reported)  # the value credited
    kg = gwp * declared_quantity
    promised_kg = promised_gwp * declared_quantity
    reason = np.select([~known, negative, np.isnan(reported) | np.isnan(promised_raw),
                        np.isnan(declared_quantity) | np.isnan(promised_gwp)],
                       list(MATERIAL_REASONS), "")
    compared = reason == ""
    difference = np.where(compared, kg - promised_kg, np.nan)
    lines = _PromisedLines(p, key, quantity, in_line_unit)
    share, over, reported_over = lines.credited_share(compared, tolerance)
    credit = compared & (difference < 0)  # a better product: credited up to the promise
    # a delivery that cannot be set against its line's quantity cannot be capped: no credit
    off_line = credit & np.isnan(in_line_unit) & pd.notna(dim_u)
    refused_unit = np.where(off_line, -difference, 0.0)
    share = np.where(off_line, 0.0, share)
    unpromised = reason == "not_promised"
    with np.errstate(invalid="ignore"):
        in_bid_line_unit = np.where(dim_q == dim_l, quantity * sc_q / sc_l, np.nan)
    line_share, on_line, line_found = _unpromised_share(bid_lines, key, quantity, unpromised,
                                                        in_bid_line_unit, tolerance)
    refused_over = np.where(credit & ~off_line, difference * (share - 1.0), 0.0)
    difference = np.where(off_line, 0.0, np.where(credit, difference * share, difference))
    frame = pd.DataFrame({
        "month": _column(d, "month").to_numpy(dtype=object), "file": _column(d, "file").to_numpy(dtype=object),
        "source_ref": _column(d, "source_ref").to_numpy(dtype=object), "line_key": key.to_numpy(dtype=object),
        "post_number": _column(d, "post_number").to_numpy(dtype=object),
        "description": _column(d, "description").to_numpy(dtype=object),
        "product": _column(d, "product").to_numpy(dtype=object),
        "epd_id": _column(d, "epd_id").to_numpy(dtype=object), "promised_epd_id": promised_col("epd_id"),
        "epd_declared_unit": _column(d, "epd_declared_unit").to_numpy(dtype=object),
        "epd_gwp_a1a3": reported, "promised_epd_gwp_a1a3": promised_gwp, "counted_epd_gwp_a1a3": gwp,
        "quantity": quantity, "unit": _column(d, "unit").to_numpy(dtype=object),
        "declared_quantity": declared_quantity, "promised_quantity": promised_col("quantity"),
        "promised_unit": promised_col("unit"), "kg_co2e": kg, "promised_kg_co2e": promised_kg,
        "difference_kg_co2e": difference, "reason": reason,
        "credited_quantity": np.where(compared, declared_quantity * share,
                                      np.where(unpromised, declared_quantity * line_share, np.nan)),
    }, index=pd.RangeIndex(n))
    pending = p.loc[~p.index.isin(set(key.dropna()))].reset_index()
    if len(pending):
        frame = pd.concat([frame, pd.DataFrame({
            "line_key": pending["line_key"], "post_number": _column(pending, "post_number"),
            "description": _column(pending, "description"), "product": _column(pending, "product"),
            "promised_epd_id": _column(pending, "epd_id"),
            "promised_epd_gwp_a1a3": _numbers(pending, "epd_gwp_a1a3"),
            "epd_declared_unit": _column(pending, "epd_declared_unit"), "quantity": 0.0,
            "promised_quantity": _numbers(pending, "quantity"), "promised_unit": _column(pending, "unit"),
        })], ignore_index=True)
    refused = pd.Series(np.append((gwp - reported) * declared_quantity, np.full(len(frame) - n, np.nan)))
    range_detail = np.full(len(frame), None, dtype=object)
    at = np.flatnonzero(below_range)  # the flagged deliveries only
    range_detail[at] = [f"{epd}: {value:g} kg CO2e/{unit} < {plausible}" for epd, value, unit, plausible in zip(
        frame["epd_id"].to_numpy(dtype=object)[at], reported[at],
        frame["epd_declared_unit"].to_numpy(dtype=object)[at], promised_col("plausible_range")[at],
        strict=True)]
    said, bid = _epd(frame["epd_id"]), _epd(frame["promised_epd_id"])
    delivery = np.arange(len(frame)) < n
    differs = delivery & (frame["reason"].to_numpy(dtype=object) != "not_promised") & (said != bid)
    base = {c: frame[c] for c in ("month", "file", "source_ref")}
    every = np.ones(n, dtype=bool)
    over_found = lines.findings("material_over", over, reported_over, every, lines.total(every, refused_over))
    if final:  # the contract's last month: every delivery is due
        counted = (reason != "not_promised") & (reason != "negative_quantity")
        short, reported_short = lines.short(counted, tolerance)
        short_found = lines.findings("material_short", short, reported_short, counted, np.full(lines.k, np.nan))
    findings = findings_frame([
        pd.DataFrame(base | {"kind": "epd_differs",
                             "detail": frame["promised_epd_id"].fillna("–").astype(str) + " → "
                             + frame["epd_id"].fillna("–").astype(str),
                             "kg_co2e": frame["difference_kg_co2e"]})[differs],
        *(pd.DataFrame(base | {"kind": kind, "detail": detail,
                               "kg_co2e": refused})[np.append(mask & compared, np.zeros(len(frame) - n, bool))]
          for kind, mask, detail in (
              ("epd_value_lowered", lowered, frame["epd_id"].fillna("–").astype(str)),
              ("epd_value_not_positive", not_positive, frame["epd_id"].fillna("–").astype(str)),
              ("epd_value_below_range", below_range, range_detail))),
        over_found, *([short_found] if final else []),
        pd.DataFrame(base | {"kind": "material_unit_not_line",
                             "detail": frame["unit"].fillna("–").astype(str) + " → "
                             + frame["promised_unit"].fillna("–").astype(str),
                             "kg_co2e": pd.Series(np.append(refused_unit, np.full(len(frame) - n, np.nan)))})[
            np.append(off_line, np.zeros(len(frame) - n, bool))],
        pd.DataFrame(base | {"kind": "material_not_promised",
                             "detail": frame["line_key"].astype(str)})[
            delivery & (_reasons(frame) == "not_promised") & np.append(on_line, np.zeros(len(frame) - n, bool))],
        pd.DataFrame(base | {"kind": "material_unknown_line",
                             "detail": frame["line_key"].astype(str)})[
            delivery & (_reasons(frame) == "not_promised") & ~np.append(on_line, np.ones(len(frame) - n, bool))],
        line_found,
        pd.DataFrame(base | {"kind": "material_not_compared", "reason": frame["reason"],
                             "detail": frame["description"]})[
            delivery & np.isin(_reasons(frame), ["negative_quantity", "no_epd_value",
                                                 "unit_not_convertible"])],
    ])
    return frame, findings


def _unpromised_share(bid_lines, key, quantity, unpromised, in_line_unit, tolerance):
    """Per delivery against no promise, the share a rule per tonne counts; and where it has a line.

    Without ``bid_lines`` every such delivery counts in full (and "has a
    line"). With them, the deliveries against each line are summed in the
    line's unit and scaled down to its quantity plus ``tolerance``; a delivery
    whose unit cannot be converted, against a line without a quantity or
    against no line of the bid counts nothing.

    Returns
    -------
    share : numpy.ndarray of float
    on_line : numpy.ndarray of bool
        The delivery names a line of the bid (all True without ``bid_lines``).
    findings : DataFrame
        ``material_over_line`` per line reported over its quantity.
    """
    n = len(key)
    if bid_lines is None:
        return np.ones(n), np.ones(n, dtype=bool), pd.DataFrame()
    lines = _PromisedLines(bid_lines, key, quantity, in_line_unit)
    on_line = lines.line >= 0
    usable = unpromised & on_line & np.isfinite(lines.in_bid_unit) & (lines.in_bid_unit >= 0)
    reported = lines.total(usable, lines.in_bid_unit)
    allowed = lines.promised * (1.0 + (tolerance or 0.0))
    with np.errstate(invalid="ignore", divide="ignore"):
        over = np.isfinite(allowed) & (reported > allowed) & ~np.isclose(reported, allowed)
        per_line = np.where(np.isfinite(allowed), np.where(over, allowed / reported, 1.0), 0.0)
    share = np.where(usable, np.append(per_line, 0.0)[lines.line], 0.0)
    return share, on_line, lines.findings("material_over_line", over, reported, usable,
                                          np.full(lines.k, np.nan))


def _through_mass(quantity, delivered, line, declared, mass_per_unit):
    """A delivered quantity in its line's unit and in the EPD's declared unit, through mass if need be.

    Units of one dimension convert by their scales. Where the delivery, the
    line and the EPD are not all of one dimension, the bid's own mass per unit
    of the line (``mass_per_unit``, the one the tender scored the line with)
    carries the quantity across: a line in m3 with an EPD per tonne reported
    in m3 (as the report template is pre-filled) or in tonnes.

    Parameters
    ----------
    quantity : numpy.ndarray of float
        As delivered, in the delivery's unit.
    delivered, line, declared : tuple of (numpy.ndarray, numpy.ndarray)
        Dimension (e.g. ``"mass"``, ``"volume"``; None: unknown) and scale
        (SI base units per unit) of the delivery's unit, the bid line's unit and
        the EPD's declared unit, per delivery.
    mass_per_unit : numpy.ndarray of float
        Mass of one unit of the line, as the bid gives it; NaN where none. [kg]

    Returns
    -------
    in_line_unit, in_declared_unit : numpy.ndarray of float
        NaN where no conversion applies.
    """
    (dim_q, sc_q), (dim_u, sc_u), (dim_d, sc_d) = delivered, line, declared
    base = quantity * sc_q  # in SI base units of the delivery's dimension (kg, m3, m2, ...)
    via_mass = (dim_u != "mass") & np.isfinite(mass_per_unit) & (mass_per_unit > 0)
    with np.errstate(invalid="ignore", divide="ignore"):
        in_line = np.where(dim_q == dim_u, base / sc_u,
                           np.where(via_mass & (dim_q == "mass"), base / mass_per_unit, np.nan))
        kg = np.where(dim_q == "mass", base,
                      np.where(via_mass & (dim_q == dim_u), in_line * mass_per_unit, np.nan))
        in_declared = np.where(dim_q == dim_d, base / sc_d,
                               np.where(dim_d == "mass", kg / sc_d,
                                        np.where(dim_d == dim_u, in_line * sc_u / sc_d, np.nan)))
    return in_line, in_declared


class _PromisedLines:
    """The deliveries against each promised line, summed in the bid's unit.

    ``promised`` is the promise indexed by ``line_key`` (one row a line), and
    each delivery is coded to its line (-1: none). ``in_bid_unit`` is each
    delivery's quantity in the unit of the bid's line (NaN where it cannot be
    converted).
    """

    def __init__(self, promised: pd.DataFrame, key: pd.Series, quantity, in_bid_unit):
        keys = key.to_numpy(dtype=object)
        self.k = len(promised)
        line = promised.index.get_indexer(keys) if self.k else np.full(len(keys), -1)
        self.line = np.where(pd.isna(keys), -1, line)
        self.quantity = quantity
        self.in_bid_unit = in_bid_unit
        table = promised.reset_index()
        self.keys = promised.index.to_numpy(dtype=object)
        self.promised = _numbers(table, "quantity")
        self.unit, self.cell = (_or_none(_column(table, name)) for name in ("unit", "source_ref"))

    def total(self, rows: np.ndarray, values: np.ndarray) -> np.ndarray:
        """Sum of ``values`` over the deliveries ``rows``, per promised line (NaN counted as 0)."""
        at = rows & (self.line >= 0)
        return np.bincount(self.line[at], weights=np.nan_to_num(values[at]), minlength=self.k)

    def _complete(self, rows: np.ndarray, values: np.ndarray) -> np.ndarray:
        """Per line: none of ``values`` over ``rows`` is NaN (every one converted)."""
        return self.total(rows, np.isnan(values).astype(float)) == 0

    def credited_share(self, compared: np.ndarray, tolerance) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Per delivery, the share credited: 1, or promise / reported where its line is reported over.

        Over the compared deliveries; a line whose deliveries cannot all be
        converted to the bid's unit is left at 1. Also returns, per line,
        whether it is over and what was reported.
        """
        reported = self.total(compared, self.in_bid_unit)
        allowed = self.promised * (1.0 + (tolerance or 0.0))
        with np.errstate(invalid="ignore", divide="ignore"):
            over = (self._complete(compared, self.in_bid_unit) & np.isfinite(allowed) & (reported > allowed)
                    & ~np.isclose(reported, allowed))
            per_line = np.where(over, allowed / reported, 1.0)
        return np.where(compared, np.append(per_line, 1.0)[self.line], 1.0), over, reported  # -1: no line

    def short(self, counted: np.ndarray, tolerance) -> tuple[np.ndarray, np.ndarray]:
        """Per line: reported short of its promise by more than ``tolerance``, and what was reported.

        Over the ``counted`` deliveries; a blank or zero quantity counts as 0 in
        any unit. A line only uncounted deliveries were reported against is
        left to their own findings.
        """
        every = np.ones(len(counted), dtype=bool)
        values = np.where(np.nan_to_num(self.quantity) == 0, 0.0, self.in_bid_unit)
        reported = self.total(counted, values)
        considered = (self.total(counted, every.astype(float)) > 0) | (self.total(every, every.astype(float)) == 0)
        allowed = self.promised * (1.0 - (tolerance or 0.0))
        with np.errstate(invalid="ignore"):
            short = (considered & self._complete(counted, values) & (reported < allowed)
                     & ~np.isclose(reported, self.promised))
        return short, reported

    def findings(self, kind: str, mask, reported, seen: np.ndarray, kg: np.ndarray) -> pd.DataFrame:
        """A ``kind`` finding per line of ``mask``, at the bid's cell.

        Lines in the order the deliveries ``seen`` first name them, then the
        lines none names, in the promise's order.
        """
        first = len(self.line) + np.arange(self.k, dtype=np.int64)
        at = np.flatnonzero(seen & (self.line >= 0))
        np.minimum.at(first, self.line[at], at)
        order = np.argsort(first, kind="stable")
        chosen = order[mask[order]]
        return pd.DataFrame({
            "source_ref": self.cell[chosen], "kind": kind,
            "detail": [f"{k}: {r:g} / {p:g} {u}" for k, r, p, u in zip(
                self.keys[chosen], reported[chosen], self.promised[chosen], self.unit[chosen], strict=True)],
            "kg_co2e": kg[chosen]}, index=pd.RangeIndex(len(chosen)))


#: Promise columns read as numbers.
_PROMISED_NUMBERS = ("epd_gwp_a1a3", "quantity", "plausible_low", "mass_per_unit")


def _or_none(column: pd.Series) -> np.ndarray:
    """A column as an object array, None where missing (as a promised text is written)."""
    values = column.to_numpy(dtype=object)
    return np.where(pd.isna(values), None, values)


def _reasons(frame: pd.DataFrame) -> np.ndarray:
    """Return the ``reason`` column as an object array, ``""`` where missing."""
    return frame["reason"].astype(object).fillna("").to_numpy(dtype=object)


def _epd(values: pd.Series) -> np.ndarray:
    """EPD numbers compared as keys: blanks removed, case folded; missing as ``""``."""
    codes, uniques = pd.factorize(values.astype(object), use_na_sentinel=True)
    keys = pd.Series(uniques, dtype=object).astype(str).str.replace(r"\s+", "", regex=True).str.casefold()
    return np.append(keys.to_numpy(dtype=object), "")[codes]


def _column(frame: pd.DataFrame, name: str) -> pd.Series:
    if name in frame.columns:
        return frame[name]
    return pd.Series([None] * len(frame), index=frame.index, dtype=object)


def _numbers(frame: pd.DataFrame, name: str) -> np.ndarray:
    if name not in frame.columns:
        return np.full(len(frame), np.nan)
    return pd.to_numeric(frame[name], errors="coerce").to_numpy(dtype=float, na_value=np.nan)


def _text(frame: pd.DataFrame, name: str) -> np.ndarray:
    return _column(frame, name).astype(object).where(_column(frame, name).notna(), "").astype(str) \
        .to_numpy(dtype=object)
