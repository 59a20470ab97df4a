"""Checks on what a bid declares through EPDs: plausible range, registration number, validity.

A declared GWP A1-A3 stands only when it passes every check; otherwise the
line is evaluated as if the claim had not been made (the generic value with
the profile's markup), and the evaluation says why at the cell concerned.

* **Plausible range.** Each value is compared with the range for the generic
  factor the line matches, or else for its material group
  (``data/procurement/epd_ranges.csv``, a source per row), after converting
  it to the range's unit with the line's mass conversions. Below the range
  (or not comparable with it for want of a mass): documentation required,
  the line is evaluated generic until the client accepts the EPD, by naming
  its number in the competition file (``accepted_epds``). Above the range: a
  finding only, since declaring more never raises a bid's points. Where the
  bid's own mass per unit carries a value into the line's unit (per kg on a
  line in m³), the emission per line unit is checked against the range
  carried over with the generic factor's mass, so a light own mass cannot
  make a value in range small; where no generic mass can check it, the same
  documentation is required.
* **Registration number.** It must have the form of a known programme's
  numbers (``data/procurement/epd_number_formats.csv``); the client may
  accept another by naming it in ``accepted_epds``.
* **Validity.** An EPD expired on the tender date, one without a valid-until
  date, and one valid for longer after the tender date than its programme's
  validity period (it cannot have been issued before the tender then) are
  evaluated generic; a bidder never gains by leaving out a date or typing a
  late one. ``accepted_epds`` covers the last two, not expiry.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from klimafotavtrykk._data import data_path
from klimafotavtrykk._frames import factorized, filled
from klimafotavtrykk.errors import DataError
from klimafotavtrykk.tender.attached_epds import ATTACHED_CHECKS, attached_check
from klimafotavtrykk.tender.findings import empty_findings
from klimafotavtrykk.vocabulary import DIMENSION_INDEX

__all__ = ["EpdChecks", "load_epd_ranges", "load_epd_number_formats", "normalise_epd_number",
           "epd_number_operator", "check_claims", "check_findings", "per_declared_unit",
           "template_columns", "cell_refs", "plausible_ranges", "DOWNGRADING_CHECKS"]

#: Check kinds that make a claim count as not made (generic with markup), in the order listed.
DOWNGRADING_CHECKS: tuple[str, ...] = (
    "epd_negative_value", "epd_bad_mass", "epd_number_malformed", "epd_missing_valid_until",
    "epd_validity_too_long", "epd_implausible", "epd_below_range", "epd_range_not_comparable",
    "epd_mass_below_range", "epd_mass_not_comparable")
_DASHES = re.compile("[\u2010\u2011\u2012\u2013\u2014\u2212]")
_RANGE_NUMBERS = ("low", "implausible_below", "high")


@dataclass(frozen=True, eq=False)
class EpdChecks:
    """What the checks found on each material line's EPD claim.

    Attributes
    ----------
    operator : numpy.ndarray of object
        Programme operator whose number format the EPD number has; None when none.
    accepted : numpy.ndarray of bool
        The client accepts the EPD by its number (``accepted_epds``).
    flags : dict of str to numpy.ndarray of bool
        Per check kind (:data:`DOWNGRADING_CHECKS`, ``epd_above_range``,
        ``epd_accepted``, and those against attached EPD files:
        :data:`~klimafotavtrykk.tender.attached_epds.ATTACHED_CHECKS`,
        ``epd_attached_value_higher``): the lines it applies to.
    downgrade : numpy.ndarray of bool
        The claim counts as not made: expired, refused or failing a check the
        client did not accept.
    why : numpy.ndarray of object
        Check kinds of each line joined by ``;`` (``expired_epd`` included); "" when none.
    range_id : numpy.ndarray of object
        Range the line is checked against; None when no range applies.
    range_text, range_source : numpy.ndarray of object
        The range as ``low-high kg CO2e/<unit>`` and its source; None when none.
    value_in_range_unit : numpy.ndarray
        The declared value in the range's unit; NaN when not comparable. [kg CO2e per range unit]
    mass_per_base : numpy.ndarray
        Shape (n, len(DIMENSIONS)): each line's conversions, as its EPD row
        gets them. [kg per base unit]
    attached_detail : numpy.ndarray of object or None
        Per line, what the attached EPD file its number names says
        (:mod:`~klimafotavtrykk.tender.attached_epds`); "" without one.
    """

    operator: np.ndarray
    accepted: np.ndarray
    flags: dict
    downgrade: np.ndarray
    why: np.ndarray
    range_id: np.ndarray
    range_text: np.ndarray
    range_source: np.ndarray
    value_in_range_unit: np.ndarray
    mass_per_base: np.ndarray
    attached_detail: np.ndarray | None = None


# ============================================================================ data

@functools.cache
def load_epd_ranges() -> pd.DataFrame:
    """The plausible ranges of declared GWP A1-A3 (``data/procurement/epd_ranges.csv``).

    Returns
    -------
    DataFrame
        One row per range: ``range_id``, ``factor_id`` or ``material_group``
        (exactly one), ``declared_unit``, ``low``, ``implausible_below``,
        ``high`` [kg CO2e per declared unit], ``source_id``, ``source_detail``,
        and ``source`` (title and year from ``data/sources.csv``).

    Raises
    ------
    DataError
        Naming the file and row when a key is missing or given twice, a bound
        is not a number or out of order, a unit is unknown or a source unknown.
    """
    from klimafotavtrykk.factors import load_sources
    from klimafotavtrykk.units import parse_units

    path = data_path("procurement", "epd_ranges.csv")
    name = str(path)
    table = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    keyed = (table["factor_id"] != "").astype(int) + (table["material_group"] != "").astype(int)
    _refuse(keyed != 1, "give exactly one of factor_id or material_group", name)
    key = np.where(table["factor_id"] != "", "factor_id:" + table["factor_id"],
                   "material_group:" + table["material_group"])
    _refuse(pd.Series(key).duplicated().to_numpy(), "range given twice for its key", name)
    for column in _RANGE_NUMBERS:
        table[column] = pd.to_numeric(table[column], errors="coerce")
        _refuse(table[column].isna().to_numpy(), f"{column} must be a number", name)
    _refuse(~((table["implausible_below"] <= table["low"]) & (table["low"] < table["high"])
              & (table["implausible_below"] >= 0)).to_numpy(),
            "bounds must satisfy 0 <= implausible_below <= low < high", name)
    units = parse_units(pd.unique(table["declared_unit"]))
    _refuse(~table["declared_unit"].map(units["known"]).astype(bool).to_numpy(),
            "declared_unit is not a known unit", name)
    sources = load_sources()
    _refuse(~table["source_id"].isin(sources.index).to_numpy(),
            "source_id is not in data/sources.csv", name)
    cited = sources["title"] + sources["year"].map(lambda y: f" ({y})" if y else "")
    return table.assign(source=table["source_id"].map(cited))


@functools.cache
def load_epd_number_formats() -> pd.DataFrame:
    """EPD registration-number formats by programme operator (``data/procurement/epd_number_formats.csv``).

    Returns
    -------
    DataFrame
        ``operator``, ``name``, ``pattern`` (a Python regular expression,
        matched case-insensitively on the normalised number),
        ``validity_years`` [a] and ``validity_margin_days`` [d] (NaN: not
        checked), with their sources.

    Raises
    ------
    DataError
        When a pattern does not compile, or an example does not match its pattern.
    """
    path = data_path("procurement", "epd_number_formats.csv")
    table = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    for i, (pattern, examples) in enumerate(zip(table["pattern"], table["examples"], strict=True)):
        try:
            compiled = re.compile(pattern, re.IGNORECASE)
        except re.error as exc:
            raise DataError(f"pattern does not compile: {exc}", file=str(path), row=i + 2) from None
        for example in (e.strip() for e in examples.split(";") if e.strip()):
            if not compiled.match(normalise_epd_number(example)):
                raise DataError(f"example {example!r} does not match its pattern", file=str(path),
                                row=i + 2)
    for column in ("validity_years", "validity_margin_days"):
        table[column] = pd.to_numeric(table[column], errors="coerce")
    return table


def _refuse(bad: np.ndarray, problem: str, name: str) -> None:
    if bad.any():
        raise DataError(problem, file=name, row=int(np.flatnonzero(bad)[0]) + 2)


# ============================================================================ steps

def normalise_epd_number(text: str) -> str:
    """Write an EPD number the one way it is compared: dashes as ``-``, blanks collapsed, upper case.

    Examples
    --------
    >>> normalise_epd_number(" nepd\u20131234-567-no ")
    'NEPD-1234-567-NO'
    """
    return " ".join(_DASHES.sub("-", str(text)).split()).upper()


def epd_number_operator(numbers) -> np.ndarray:
    """Programme operator whose number format each EPD number has.

    Each distinct number is normalised (:func:`normalise_epd_number`) and
    matched once against the formats of :func:`load_epd_number_formats`.

    Parameters
    ----------
    numbers : array-like of str or None

    Returns
    -------
    numpy.ndarray of object
        The operator key; None for a blank number or one no format matches.

    Examples
    --------
    >>> epd_number_operator(["NEPD-434-305-EN", "S-P-01730", "EKS-EPD-101", None]).tolist()
    ['epd_norge', 'environdec_sp', None, None]
    """
    formats = load_epd_number_formats()
    compiled = [(op, re.compile(p, re.IGNORECASE)) for op, p in zip(formats["operator"],
                                                                      formats["pattern"], strict=True)]
    codes, distinct = factorized(np.asarray(numbers, dtype=object))
    found = [next((op for op, rx in compiled if rx.match(normalise_epd_number(d))), None)
             for d in distinct]  # distinct numbers only
    return np.array([*found, None], dtype=object)[codes]


def cell_refs(source_refs, column: str) -> np.ndarray:
    """The cell of ``column`` on the row of each ``source_ref`` (``[f]Sheet!E12`` -> ``[f]Sheet!K12``).

    Parameters
    ----------
    source_refs : array-like of str
    column : str
        Column letters.

    Returns
    -------
    numpy.ndarray of object
    """
    refs = pd.Series(source_refs, dtype=object)
    moved = refs.astype(str).str.replace(r"!\$?[A-Za-z]+\$?(\d+)$", rf"!{column}\1", regex=True)
    return np.where(refs.notna().to_numpy(), moved.to_numpy(dtype=object), None)


def check_claims(materials: pd.DataFrame, claims, match, generic, competition) -> EpdChecks:
    """Check every usable EPD claim: number, dates, plausible range, client's acceptance.

    Parameters
    ----------
    materials : DataFrame
        The bid's material lines.
    claims : EpdClaims
    match : GenericMatch
    generic : FactorTable
        Generic factors (their ids and material groups key the ranges).
    competition : Competition
        Tender date and ``accepted_epds``.

    Returns
    -------
    EpdChecks
    """
    from klimafotavtrykk.tender.claims import claim_mass_per_base

    m = materials
    n = len(m)
    usable = claims.usable
    numbers = m["epd_id"].to_numpy(dtype=object)
    operator = epd_number_operator(numbers)
    accepted_set = {normalise_epd_number(x) for x in getattr(competition, "accepted_epds", ())}
    codes, distinct = factorized(np.asarray(numbers, dtype=object))
    hits = np.array([normalise_epd_number(d) in accepted_set for d in distinct] + [False], dtype=bool)
    accepted = usable & hits[codes]
    mass_per_base = claim_mass_per_base(generic, m, np.arange(n), match.index)

    missing_date = usable & claims.valid_until.isna().to_numpy()
    too_long = usable & _validity_too_long(claims.valid_until, operator, competition.tender_date)
    rng = _range_check(claims, match, generic, mass_per_base, m["unit"], m["mass_per_unit"])
    ok_value = usable & ~claims.refused
    flags = {
        "epd_negative_value": claims.negative_value,
        "epd_bad_mass": claims.bad_mass & ~claims.negative_value,
        "epd_number_malformed": usable & (operator == None),  # noqa: E711  (object array)
        "epd_missing_valid_until": missing_date,
        "epd_validity_too_long": too_long,
        "epd_implausible": ok_value & rng["implausible"],
        "epd_below_range": ok_value & rng["below"] & ~rng["implausible"],
        "epd_range_not_comparable": ok_value & rng["not_comparable"],
        "epd_mass_below_range": ok_value & rng["light"] & ~rng["below"] & ~rng["not_comparable"],
        "epd_mass_not_comparable": ok_value & rng["unchecked_mass"] & ~rng["below"] & ~rng["not_comparable"],
    }
    open_issue = np.zeros(n, dtype=bool)
    for kind in DOWNGRADING_CHECKS[2:]:
        open_issue |= flags[kind]
    # the EPD files the bidders attached (competition epd_folder): the file contradicts the
    # bid, so the client's acceptance does not answer these
    attached, attached_detail = attached_check(
        m, claims, getattr(competition, "attached_epds", None),
        _value_tolerance(competition), competition.tender_date)
    contradicted = np.zeros(n, dtype=bool)
    for kind in ATTACHED_CHECKS:
        contradicted |= attached[kind]
    downgrade = usable & (claims.refused | claims.expired | contradicted
                          | (open_issue & ~accepted))
    waived = accepted & open_issue & ~claims.refused & ~claims.expired
    for kind in DOWNGRADING_CHECKS[2:]:  # the client's acceptance answers these findings
        flags[kind] = flags[kind] & ~waived
    flags["epd_above_range"] = ok_value & rng["above"]
    flags["epd_accepted"] = waived
    flags.update(attached)
    why = _joined({"expired_epd": claims.expired, **flags}, n)
    return EpdChecks(operator=operator, accepted=accepted, flags=flags, downgrade=downgrade, why=why,
                     range_id=rng["range_id"], range_text=rng["text"], range_source=rng["source"],
                     value_in_range_unit=rng["value"], mass_per_base=mass_per_base,
                     attached_detail=attached_detail)


def _value_tolerance(competition) -> float:
    """Share by which a bid's value may lie below its attached EPD's: the competition's, else the default."""
    value = getattr(competition, "epd_value_tolerance", None)
    if value is None:
        from klimafotavtrykk.scoring import load_procurement_defaults

        value = load_procurement_defaults()["epd_value_tolerance"]
    return float(value)


def template_columns() -> dict[str, str]:
    """Column letter of each materials column in the bid template (:data:`~klimafotavtrykk.tender.schema.MATERIAL_COLUMNS`)."""
    from klimafotavtrykk.provenance import column_letter
    from klimafotavtrykk.tender.schema import MATERIAL_COLUMNS

    return {c.name: column_letter(j) for j, c in enumerate(MATERIAL_COLUMNS)}


#: Bid column whose cell each EPD check names.
_CHECK_CELL = {
    "epd_negative_value": "epd_gwp_a1a3", "epd_bad_mass": "mass_per_unit",
    "epd_number_malformed": "epd_id", "epd_missing_valid_until": "epd_valid_until",
    "epd_validity_too_long": "epd_valid_until", "epd_implausible": "epd_gwp_a1a3",
    "epd_below_range": "epd_gwp_a1a3", "epd_range_not_comparable": "epd_gwp_a1a3",
    "epd_mass_below_range": "mass_per_unit", "epd_mass_not_comparable": "mass_per_unit",
    "epd_above_range": "epd_gwp_a1a3", "epd_accepted": "epd_id",
    "epd_attached_unit": "epd_declared_unit", "epd_attached_value": "epd_gwp_a1a3",
    "epd_attached_expired": "epd_valid_until", "epd_attached_valid_until": "epd_valid_until",
    "epd_attached_value_higher": "epd_gwp_a1a3",
}


def check_findings(materials: pd.DataFrame, claims, checks: EpdChecks, kg_claimed: np.ndarray,
                   kg_scored: np.ndarray, columns: dict[str, str] | None = None) -> pd.DataFrame:
    """One finding per EPD check that failed (or was accepted), at the cell it concerns.

    Parameters
    ----------
    materials : DataFrame
        The bid's material lines.
    claims : EpdClaims
    checks : EpdChecks
    kg_claimed, kg_scored : numpy.ndarray
        Each line's total as claimed and as scored. [kg CO2e]
    columns : dict, optional
        Column letter of each bid column in the sheet as read; default the
        template's (:func:`template_columns`).

    Returns
    -------
    DataFrame
        Finding columns; ``detail`` gives the value found and, for the range
        checks, the bound it crossed and the range's id.
    """
    any_flag = np.zeros(len(materials), dtype=bool)
    for mask in checks.flags.values():
        any_flag |= mask
    at = np.flatnonzero(any_flag)  # format details for the flagged lines only
    if not len(at):
        return empty_findings()
    m = materials.iloc[at]
    letters = {**template_columns(), **(columns or {})}
    number = m["epd_id"].astype(object).where(m["epd_id"].notna(), "").astype(str)
    value = pd.Series(claims.value[at], index=m.index).map("{:g}".format)
    unit = claims.unit.iloc[at].set_axis(m.index).astype(object)
    unit = unit.where(unit.notna(), "").astype(str)
    in_range = pd.Series(checks.value_in_range_unit[at], index=m.index).map("{:.4g}".format)
    ranges = pd.Series(checks.range_text[at], index=m.index, dtype=object).fillna("").astype(str)
    rid = pd.Series(checks.range_id[at], index=m.index, dtype=object).fillna("").astype(str)
    date = claims.valid_until.iloc[at].set_axis(m.index).dt.strftime("%Y-%m-%d").fillna("")
    range_detail = (value + " kg CO2e/" + unit + " = " + in_range + " (" + ranges + ", " + rid + ")")
    own_mass = (value + " kg CO2e/" + unit + " × " + m["mass_per_unit"].map("{:g}".format) + " kg/"
                + m["unit"].astype(object).fillna("").astype(str) + " (" + ranges + ", " + rid + ")")
    detail = {
        "epd_negative_value": value + " kg CO2e/" + unit,
        "epd_bad_mass": m["mass_per_unit"].map("{:g}".format),
        "epd_number_malformed": number, "epd_missing_valid_until": number,
        "epd_validity_too_long": number + " " + date,
        "epd_implausible": range_detail, "epd_below_range": range_detail,
        "epd_range_not_comparable": value + " kg CO2e/" + unit + " (" + ranges + ", " + rid + ")",
        "epd_mass_below_range": own_mass, "epd_mass_not_comparable": own_mass,
        "epd_above_range": range_detail, "epd_accepted": number,
    }
    attached = (pd.Series(checks.attached_detail[at], index=m.index, dtype=object)
                if checks.attached_detail is not None else pd.Series("", index=m.index))
    detail.update({kind: attached for kind in (*ATTACHED_CHECKS, "epd_attached_value_higher")})
    refs = m["source_ref"].to_numpy(dtype=object)
    claimed, kg = kg_claimed[at], kg_scored[at]
    found = [pd.DataFrame({
        "source_ref": cell_refs(refs[mask[at]], letters[_CHECK_CELL[kind]]), "kind": kind,
        "reason": "", "detail": detail[kind][mask[at]].to_numpy(dtype=object),
        "kg_co2e_claimed": claimed[mask[at]], "kg_co2e": kg[mask[at]]})
        for kind, mask in checks.flags.items() if mask.any()]
    return pd.concat(found, ignore_index=True) if found else empty_findings()


def per_declared_unit(m: pd.DataFrame, claims, a1a3: np.ndarray, computed,
                      checks: EpdChecks | None) -> np.ndarray:
    """A line's A1-A3 per declared unit of its EPD; NaN without an EPD.

    The line's quantity is converted to the declared unit with the line's
    conversions (:attr:`EpdChecks.mass_per_base`).

    Parameters
    ----------
    m : DataFrame
        The bid's material lines.
    claims : EpdClaims
    a1a3 : numpy.ndarray
        A1-A3 of each line. [kg CO2e]
    computed : numpy.ndarray of bool
        Lines with a value.
    checks : EpdChecks or None

    Returns
    -------
    numpy.ndarray
        [kg CO2e per declared unit]
    """
    from klimafotavtrykk.units import parse_units

    n = len(m)
    if checks is None or not claims.usable.any():
        return np.full(n, np.nan)
    dim_index = DIMENSION_INDEX
    line_u = m["unit"].astype(object).where(m["unit"].notna(), None)
    decl_u = claims.unit
    parsed = parse_units(pd.unique(pd.concat([line_u, decl_u]).dropna()))
    dim = parsed["dimension"].map(dim_index)
    l_dim = line_u.map(dim).fillna(-1).to_numpy(dtype=np.int64)
    d_dim = decl_u.map(dim).fillna(-1).to_numpy(dtype=np.int64)
    l_scale = line_u.map(parsed["scale"]).to_numpy(dtype=float)
    d_scale = decl_u.map(parsed["scale"]).to_numpy(dtype=float)
    rows = np.arange(n)
    mpb = checks.mass_per_base
    kg = m["quantity"].to_numpy(dtype=float) * l_scale * mpb[rows, np.maximum(l_dim, 0)]
    with np.errstate(invalid="ignore", divide="ignore"):
        same = (l_dim == d_dim) & (l_dim >= 0)
        declared_qty = np.where(same, m["quantity"].to_numpy(dtype=float) * l_scale / d_scale,
                                kg / (d_scale * mpb[rows, np.maximum(d_dim, 0)]))
        value = a1a3 / declared_qty
    return np.where(claims.usable & (l_dim >= 0) & (d_dim >= 0) & computed, value, np.nan)


# ============================================================================ helpers

def _validity_too_long(valid_until: pd.Series, operator: np.ndarray, tender_date) -> np.ndarray:
    """Valid-until later than the tender date plus the operator's validity period and margin (bool)."""
    formats = load_epd_number_formats().set_index("operator")
    out = np.zeros(len(valid_until), dtype=bool)
    tender = pd.Timestamp(tender_date)
    for op in pd.unique(pd.Series(operator, dtype=object).dropna()):  # a few operators, not lines
        years, margin = formats.at[op, "validity_years"], formats.at[op, "validity_margin_days"]
        if np.isnan(years):
            continue
        latest = tender + pd.DateOffset(years=int(years)) + pd.Timedelta(days=float(margin))
        out |= (operator == op) & (valid_until > latest).to_numpy()
    return out


def plausible_ranges(materials: pd.DataFrame, generic=None, mappings=None) -> pd.DataFrame:
    """The plausible range of each material line's GWP A1-A3, per the line's own declared unit.

    The range is found as :func:`check_claims` finds it (the generic factor the
    line matches, else its material group) and its bounds converted to the
    line's ``epd_declared_unit`` with the line's mass conversions, so a value
    declared per that unit can be compared with them directly. Contract
    follow-up checks a delivered EPD's value against the promised line's range.

    Parameters
    ----------
    materials : DataFrame
        Material lines as a bid's: ``description``, ``unit`` and
        ``epd_declared_unit``; ``mass_per_unit`` [kg per unit] and
        ``thickness_mm`` where given.
    generic : FactorTable, optional
        Generic factors; default the shipped ones.
    mappings : Mappings, optional
        Description and NS 3420 mappings; default the shipped ones.

    Returns
    -------
    DataFrame
        One row per line, on its index: ``range_id`` (None where no range
        applies or the units cannot be compared), ``low``,
        ``implausible_below``, ``high`` [kg CO2e per ``epd_declared_unit``],
        ``range`` (the range as ``low-high kg CO2e/<range unit>``),
        ``source``, and ``mass_per_unit``: the mass of one unit of the line the
        conversions above use (the line's own, thickness × density, else the
        generic factor's; NaN where none is known). [kg per ``unit``]
    """
    from klimafotavtrykk.factors import load_factors
    from klimafotavtrykk.tender.claims import claim_mass_per_base, generic_match, line_units

    generic = load_factors() if generic is None else generic
    m = materials.reset_index(drop=True)
    n = len(m)
    for name in ("mass_per_unit", "thickness_mm"):  # the line's own conversions, when given
        if name not in m.columns:
            m[name] = np.nan
    match = generic_match(m, generic, mappings)
    unit = m["epd_declared_unit"].astype(object).where(m["epd_declared_unit"].notna(), None)
    per_declared = claim_mass_per_base(generic, m, np.arange(n), match.index)
    # a value of 1 per declared unit, in the range's unit: the conversion of the bounds
    rng = _range_rows(np.ones(n), unit, unit.notna().to_numpy(), match.index, match.factor_id,
                      generic, per_declared)
    to_range = rng["value"]
    found = np.isfinite(to_range) & (to_range > 0)
    ranges = load_epd_ranges().set_index("range_id")
    ids = np.where(found, rng["range_id"], None)
    out = {"range_id": ids}
    for name in _RANGE_NUMBERS:
        bound = pd.Series(ids, dtype=object).map(ranges[name]).to_numpy(dtype=float)
        with np.errstate(invalid="ignore", divide="ignore"):
            out[name] = np.where(found, bound / to_range, np.nan)
    out["range"] = np.where(found, rng["text"], None)
    out["source"] = np.where(found, rng["source"], None)
    line_dim, line_scale = line_units(m["unit"].to_numpy(dtype=object))
    known = line_dim >= 0
    out["mass_per_unit"] = np.where(known, per_declared[np.arange(n), np.maximum(line_dim, 0)] * line_scale,
                                    np.nan)
    return pd.DataFrame({k: pd.Series(v, dtype=object if v.dtype == object else float, index=materials.index)
                         for k, v in out.items()}, index=materials.index)


def _range_check(claims, match, generic, mass_per_base: np.ndarray, line_unit=None, own_mass=None) -> dict:
    """Range of each line (by generic factor id, else material group) and the value compared with it.

    Only lines with a usable claim have a range: the others get None, NaN and
    False, and are left out of the work (most lines of a bid claim no EPD).
    With ``line_unit`` and ``own_mass`` (each line's quantity unit and the
    bid's mass per unit [kg per unit]), ``light`` also says where the bid's
    own mass makes the line's emissions fall below the range (see
    :func:`_range_rows`).
    """
    usable = np.asarray(claims.usable, dtype=bool)
    n = len(usable)
    at = np.flatnonzero(usable)
    if len(at) == n:
        return _range_rows(claims.value, claims.unit, usable, match.index, match.factor_id,
                           generic, mass_per_base, line_unit, own_mass)
    found = _range_rows(np.asarray(claims.value)[at], claims.unit.iloc[at], usable[at],
                        np.asarray(match.index)[at], np.asarray(match.factor_id, dtype=object)[at],
                        generic, mass_per_base[at],
                        None if line_unit is None else np.asarray(line_unit, dtype=object)[at],
                        None if own_mass is None else np.asarray(own_mass, dtype=float)[at])
    out = {"range_id": filled(n, None), "text": filled(n, None), "source": filled(n, None),
           "value": np.full(n, np.nan),
           **{k: np.zeros(n, dtype=bool) for k in ("below", "implausible", "above",
                                                   "not_comparable", "light", "unchecked_mass")}}
    for key, values in found.items():
        out[key][at] = values
    return out


def _range_rows(value, unit, usable, index, factor_id, generic, mass_per_base, line_unit=None,
                own_mass=None) -> dict:
    """:func:`_range_check` of the lines given: their claimed values, units and generic matches.

    ``light``: where the bid's own mass per unit (``own_mass``) carries a value declared per
    another dimension into the line's unit (an EPD per kg on a line in m³),
    the line's emission per unit, ``value × own kg per line unit / kg per
    declared unit``, is also compared with the range's low bound carried into
    the line's unit with the generic factor's conversions. A value within its
    range cannot then be made small by a light own mass (0.1 kg CO2e/kg × 10
    kg/m³ of roof insulation that weighs 180). ``unchecked_mass``: such a line
    whose generic factor has no conversion to its unit, so the own mass the
    emission rests on cannot be compared with anything.
    """
    from klimafotavtrykk.units import parse_units

    ranges = load_epd_ranges()
    n = len(value)
    by_factor = {k: i for i, k in enumerate(ranges["factor_id"]) if k}
    by_group = {k: i for i, k in enumerate(ranges["material_group"]) if k}
    frame = generic.frame.reset_index(drop=True)
    groups = (np.append(frame["material_group"].to_numpy(dtype=object), None)[index]
              if "material_group" in frame else np.full(n, None, dtype=object))
    row = _mapped(factor_id, by_factor)
    row = np.where(np.isnan(row), _mapped(groups, by_group), row)
    idx = np.where(np.isnan(row), -1, row).astype(np.int64)
    has = (idx >= 0) & usable
    at = np.maximum(idx, 0)

    dim_index = DIMENSION_INDEX
    range_units = ranges["declared_unit"].to_numpy(dtype=object)
    d_codes, d_distinct = factorized(unit.to_numpy(dtype=object))  # each spelling once
    spellings = pd.unique(pd.Series(np.concatenate([range_units, np.asarray(d_distinct, dtype=object)]),
                                    dtype=object).dropna())
    parsed = parse_units(spellings)
    dim = parsed["dimension"].map(dim_index)
    # per range row and per distinct declared unit, then gathered to the lines
    r_dim = np.nan_to_num(_mapped(range_units, dim), nan=-1).astype(np.int64)[at]
    r_scale = _mapped(range_units, parsed["scale"])[at]
    d_dim = np.nan_to_num(np.append(_mapped(d_distinct, dim), np.nan)[d_codes],
                          nan=-1).astype(np.int64)
    d_scale = np.append(_mapped(d_distinct, parsed["scale"]), np.nan)[d_codes]
    lines = np.arange(n)
    per_kg_r = r_scale * mass_per_base[lines, np.maximum(r_dim, 0)]   # kg per range unit
    per_kg_d = d_scale * mass_per_base[lines, np.maximum(d_dim, 0)]   # kg per declared unit
    same = (r_dim == d_dim) & (r_dim >= 0)
    value_declared = np.asarray(value, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        value = np.where(same, value * r_scale / d_scale, value * per_kg_r / per_kg_d)
    value = np.where(has & (r_dim >= 0) & (d_dim >= 0), value, np.nan)
    comparable = np.isfinite(value)
    low, impl, high = (ranges[c].to_numpy(dtype=float)[at] for c in _RANGE_NUMBERS)
    light = unchecked = np.zeros(n, dtype=bool)
    if line_unit is not None and own_mass is not None and has.any():
        own = has & (np.asarray(own_mass, dtype=float) > 0)  # NaN (not given) compares False
        light, unchecked = _light_own_mass(value_declared, d_dim, per_kg_d, r_dim, r_scale, low, own,
                                           line_unit, index, generic, mass_per_base, dim_index)
    ids = np.where(has, ranges["range_id"].to_numpy(dtype=object)[at], None)
    per_range = np.array([f"{lo:g}\u2013{hi:g} kg CO2e/{u}" for lo, hi, u in zip(
        ranges["low"], ranges["high"], ranges["declared_unit"], strict=True)], dtype=object)
    text = np.where(has, per_range[at], None)  # one text per range row, gathered
    source = np.where(has, (ranges["source"] + ", " + ranges["source_detail"]
                            + " (data/procurement/epd_ranges.csv: " + ranges["range_id"] + ")"
                            ).to_numpy(dtype=object)[at], None)
    return {"range_id": ids, "text": text.astype(object), "source": source.astype(object),
            "value": value, "below": has & comparable & (value < low),
            "implausible": has & comparable & (value < impl),
            "above": has & comparable & (value > high), "not_comparable": has & ~comparable,
            "light": light, "unchecked_mass": unchecked}


def _light_own_mass(value, d_dim, per_kg_d, r_dim, r_scale, low, own, line_unit, index,
                    generic, mass_per_base, dim_index) -> np.ndarray:
    """Lines whose own mass per unit takes their emission per line unit below the range, and those it cannot be checked on.

    Emission per line unit with the line's conversions (the bid's own mass):
    ``value × kg per line unit / kg per declared unit``; the range's low bound
    per line unit with the generic factor's: ``low × kg per line unit / kg per
    range unit``. Only lines with an own mass (``own``) whose unit is of another
    dimension than the declared unit and not a mass (where the own mass enters
    the emission).

    Returns
    -------
    light, unchecked : numpy.ndarray of bool
        Below the range; no generic conversion to compare with.
    """
    from klimafotavtrykk.tender.claims import generic_mass_per_base, line_units

    l_dim, l_scale = line_units(line_unit)
    lines = np.arange(len(l_dim))
    generic_mass = generic_mass_per_base(generic, index)
    own_kg_line = l_scale * mass_per_base[lines, np.maximum(l_dim, 0)]
    generic_kg_line = l_scale * generic_mass[lines, np.maximum(l_dim, 0)]
    generic_kg_range = r_scale * generic_mass[lines, np.maximum(r_dim, 0)]
    carried = own & (l_dim >= 0) & (l_dim != d_dim) & (l_dim != dim_index["mass"]) & (r_dim >= 0)
    with np.errstate(invalid="ignore", divide="ignore"):
        emission = value * own_kg_line / per_kg_d
        floor = low * generic_kg_line / generic_kg_range
    checked = carried & np.isfinite(emission) & np.isfinite(floor)
    return checked & (emission < floor), carried & np.isfinite(emission) & ~np.isfinite(floor)


def _mapped(values, table) -> np.ndarray:
    """Look up ``table``'s number for each of ``values`` (a dict or Series) as ``Series.map`` does (float).

    Each distinct value is looked up once and the numbers gathered back to
    the lines; a blank or a value ``table`` lacks is NaN.
    """
    codes, distinct = factorized(np.asarray(values, dtype=object))
    found = pd.Series(distinct, dtype=object).map(table).to_numpy(dtype=float)
    return np.append(found, np.nan)[codes]


def _joined(flags: dict, n: int) -> np.ndarray:
    """Kinds flagged on each line joined by ``;`` (each distinct set of kinds written once).

    The flags of a line are packed into the bits of one integer (the checks
    of this module are far fewer than its 62 usable bits); each distinct
    integer's text is joined once and gathered back to the lines.
    """
    names = list(flags)
    if len(names) > _MAX_PACKED:
        raise ValueError(f"{len(names)} kinds of EPD finding do not fit one int64 bit set")
    packed = np.zeros(n, dtype=np.int64)
    for bit, mask in enumerate(flags.values()):
        packed |= np.asarray(mask, dtype=bool).astype(np.int64) << bit
    distinct, inverse = np.unique(packed, return_inverse=True)
    texts = np.array([";".join(k for bit, k in enumerate(names) if int(d) >> bit & 1)
                      for d in distinct], dtype=object)
    return texts[inverse.reshape(-1)] if n else np.array([], dtype=object)


#: Kinds that fit the bits of one int64 (the sign bit left alone).
_MAX_PACKED = 62
