"""What a contract promised and what a month on site reported: the follow-up's shared model.

The contract follow-up has two halves that meet here. The input side reads the
contract file (:class:`Contract`, naming the winning bid workbook) and the
contractor's monthly report workbooks (:class:`MonthlyReport`); the status
side compares them month by month and applies the contract's bonus or
deduction rules (:class:`Rule`). Both halves use only the frames and columns
declared in this module, so each can be tested on its own.

A month's site rows have the columns of a bid's site sheet
(:attr:`klimafotavtrykk.tender.reader.Bid.site`), so the same
:func:`~klimafotavtrykk.site.calculate_site` call computes what was promised
and what was reported; :data:`REPORT_SITE_COLUMNS` adds what a monthly report
says beyond a bid.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

__all__ = ["RULE_KINDS", "REPORT_SITE_COLUMNS", "REPORT_MATERIAL_COLUMNS", "PROMISE_MACHINE_COLUMNS",
           "PROMISE_MATERIAL_COLUMNS", "Rule", "Contract", "MonthlyReport"]

#: Kinds of bonus or deduction rule a contract may name:
#: ``budget_share``: a share of the contract sum per % below (bonus) or above
#: (deduction) the climate budget, each side with its own rate and cap;
#: ``per_tonne_below_threshold``: an amount per tonne of EPD-documented
#: product (concrete, asphalt) whose declared A1-A3 is below a threshold;
#: ``advantage_multiple``: a multiple of the advantage the promise earned at
#: award (points or CO2-price discount), recomputed with the emissions as built.
RULE_KINDS: tuple[str, ...] = ("budget_share", "per_tonne_below_threshold", "advantage_multiple")

#: Site columns of a monthly report beyond a bid's site sheet: ``machine_id``
#: (the contract's id of the machine, NaN for one not promised),
#: ``emission_free`` (bool, as the contractor reports it), ``eu_stage`` (EU
#: engine stage as written, e.g. "V"), and ``reported_hours`` (machine hours
#: reported beside the energy amount) [h].
REPORT_SITE_COLUMNS: tuple[str, ...] = ("machine_id", "emission_free", "eu_stage", "reported_hours")

#: Columns of a month's materials delivered: the tender line it delivers
#: against (``line_key``, ``post_number``, ``description``), the product and its
#: EPD (``epd_gwp_a1a3`` in kg CO2e per ``epd_declared_unit``), the quantity
#: delivered as built in ``unit``, and ``source_ref`` / ``row_id``.
REPORT_MATERIAL_COLUMNS: tuple[str, ...] = (
    "row_id", "source_ref", "line_key", "post_number", "description", "product", "epd_id",
    "epd_declared_unit", "epd_gwp_a1a3", "quantity", "unit")

#: Columns of the machines a contract promised (from the winning bid's site
#: sheet): the id the monthly reports use, what the bid said, and whether the
#: machine was promised emission-free (its carrier is of an emission-free class).
PROMISE_MACHINE_COLUMNS: tuple[str, ...] = (
    "machine_id", "source_ref", "category", "activity", "machine", "machine_class", "carrier",
    "quantity", "unit", "emission_free", "rated_power_kw")

#: Columns of the materials a contract promised (from the winning bid's
#: materials sheet, lines with an EPD claim), as in :data:`REPORT_MATERIAL_COLUMNS`,
#: and the lowest plausible GWP A1-A3 of the line's product
#: (:func:`~klimafotavtrykk.tender.epd_checks.plausible_ranges`, kg CO2e per
#: ``epd_declared_unit``; NaN where no range applies) with the range and its source.
PROMISE_MATERIAL_COLUMNS: tuple[str, ...] = (*REPORT_MATERIAL_COLUMNS, "plausible_low",
                                             "plausible_range", "mass_per_unit")


@dataclass(frozen=True, eq=False)
class Rule:
    """A bonus or deduction rule of the contract, with a source per parameter.

    Attributes
    ----------
    kind : str
        One of :data:`RULE_KINDS`.
    parameters : Mapping
        Parameter name -> value, as the contract file gives them (rates as
        shares [-], amounts [NOK], thresholds in kg CO2e per declared unit).
    sources : Mapping
        Parameter name -> where its value comes from (document, clause, year);
        every parameter has one.
    """

    kind: str
    parameters: Mapping[str, float | str]
    sources: Mapping[str, str]


@dataclass(frozen=True, eq=False)
class Contract:
    """A signed contract, as the follow-up needs it.

    Attributes
    ----------
    file : str
        The contract file (TOML) as given.
    name : str
        The contract's name.
    bid : Bid
        The winning bid workbook, read with
        :func:`klimafotavtrykk.tender.reader.read_bid`.
    contract_sum_nok : float
        The contract sum. [NOK]
    start, end : pandas.Period
        First and last month of the works (monthly periods).
    machines : DataFrame
        :data:`PROMISE_MACHINE_COLUMNS`: the machines and site energy promised.
    materials : DataFrame
        :data:`PROMISE_MATERIAL_COLUMNS`: the materials promised with their EPDs.
    rules : tuple of Rule
        Bonus and deduction rules; empty when the contract names none (no
        penalty is a default).
    climate_budget_kg : float or None
        The contract's climate budget when it states one; None to use what
        the bid promised. [kg CO2e]
    competition : Path or None
        The competition file the bid was scored under, for rules that
        recompute the award (``advantage_multiple``).
    parameters : DataFrame
        ``key``, ``value``, ``source``: every parameter of the contract file,
        for the audit trail.
    accepted_epds : tuple of str
        EPD numbers the client has checked and accepts although their GWP lies
        below the plausible range of the product they replace (``accepted_epds``).
    quantity_tolerance : float or None
        Share of a promised material quantity that may be left unreported at
        the contract's end before the line is a finding that holds a bonus
        back (``quantity_tolerance``); None: rounding only. [-]
    """

    file: str
    name: str
    bid: object
    contract_sum_nok: float
    start: pd.Period
    end: pd.Period
    machines: pd.DataFrame
    materials: pd.DataFrame
    rules: tuple[Rule, ...] = ()
    climate_budget_kg: float | None = None
    competition: Path | None = None
    parameters: pd.DataFrame = field(default_factory=pd.DataFrame)
    accepted_epds: tuple[str, ...] = ()
    quantity_tolerance: float | None = None


@dataclass(frozen=True, eq=False)
class MonthlyReport:
    """One monthly report workbook from the contractor, read.

    Attributes
    ----------
    file : str
        File name.
    sha256 : str or None
        Hash of the file as read, for the audit trail.
    month : pandas.Period
        The month reported (monthly period).
    contractor : str or None
        Who reported, as written.
    site : DataFrame
        The columns of :attr:`Bid.site <klimafotavtrykk.tender.reader.Bid>`
        plus :data:`REPORT_SITE_COLUMNS`: machines, heating and drying, and
        mass transport of the month.
    materials : DataFrame
        :data:`REPORT_MATERIAL_COLUMNS`: materials delivered in the month.
    findings : DataFrame
        Cells read but not understood, with the columns of
        :data:`klimafotavtrykk.tender.findings.FINDING_COLUMNS`.
    report_date : datetime.date or None
        The date the declaration gives (when the contractor signed the
        report): a month reported late shows here. None when blank.
    """

    file: str
    sha256: str | None
    month: pd.Period
    contractor: str | None
    site: pd.DataFrame
    materials: pd.DataFrame
    findings: pd.DataFrame
    report_date: dt.date | None = None
