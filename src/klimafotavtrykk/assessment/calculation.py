""":func:`calculate`: a bill of quantities, factors and a profile in, an :class:`Assessment` out.

The steps, each on whole arrays: the lines are prepared (:mod:`.lines_in`) and matched to
factor rows (build-ups expanded layer by layer); units parsed and quantities brought to
each factor's declared unit (:mod:`.declared`); the reasons a line is not computed found
(:mod:`.reasons`); scenario rows made (factor rows, then one per distinct line override of
transport or waste), per-module intensities computed once per row and summed per building
part; the project-level contributions (:mod:`.project_level`) are added, and the per-line
frame is left to be built on first read
(:class:`~klimafotavtrykk.lifecycle.lines.LineResults`).
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from klimafotavtrykk import __version__
from klimafotavtrykk._frames import by_code, text_codes
from klimafotavtrykk._string_storage import python_strings
from klimafotavtrykk.assemblies import (
    LAYER_COLUMNS,
    expand_layers,
    fold_layers,
    line_positions,
)
from klimafotavtrykk.assessment.declared import (
    LineUnits,
    declared_quantities,
    implausible_lines,
    line_units,
)
from klimafotavtrykk.assessment.lines_in import _prepared_lines
from klimafotavtrykk.assessment.project_level import _other_contributions, _site_result
from klimafotavtrykk.assessment.reasons import (
    Computed,
    _coverage,
    _reason_masks,
    computed_lines,
    part_keys,
)
from klimafotavtrykk.assessment.result import Assessment, _none_unmatched
from klimafotavtrykk.errors import InputError
from klimafotavtrykk.factors import FactorTable, TransportModes, load_transport_modes
from klimafotavtrykk.hints import unmatched_hints
from klimafotavtrykk.lifecycle.engine import (
    module_intensities,
    scope_mask,
    totals_by_group,
)
from klimafotavtrykk.lifecycle.lines import Deferred, LineResults
from klimafotavtrykk.lifecycle.transport import a4 as transport_a4
from klimafotavtrykk.lifecycle.use import replacements
from klimafotavtrykk.matching import Mappings, match_factors
from klimafotavtrykk.profiles import Profile, resolve_profile
from klimafotavtrykk.user_factors import apply_group_scenarios, compose_factor_table
from klimafotavtrykk.vocabulary import (
    MODULE_INDEX,
    MODULES,
)


@python_strings
def calculate(
    lines: pd.DataFrame,
    profile: str | Path | Profile = "tek17",
    *,
    factors: FactorTable | pd.DataFrame | str | Path | None = None,
    extend: bool = True,
    bta_m2: float | None = None,
    mappings: Mappings | None = None,
    transport_modes: TransportModes | None = None,
    site: pd.DataFrame | Any | None = None,
    operational_energy: Mapping[str, float] | None = None,
    electricity: str = "electricity_no",
    energy_factors: Mapping[str, float | Sequence[float]] | None = None,
) -> Assessment:
    """Whole-life footprint of a bill of quantities.

    Parameters
    ----------
    lines : pandas.DataFrame
        One row per line, in the vocabulary of
        :data:`~klimafotavtrykk.vocabulary.LINE_COLUMNS`; at least
        ``quantity`` and ``unit``. Lines find their factor through
        ``factor_id``, a material alias on ``description`` or their NS 3420
        ``item_code``. ``transport_km``, ``transport_mode`` and
        ``waste_rate``, where given, override the factor's defaults
        (0 means none).
    profile : str, path or Profile
        ``"tek17"`` (default), ``"ns3720"``, ``"en15978"``, a TOML file, or a
        :class:`~klimafotavtrykk.profiles.Profile`.
    factors : FactorTable, DataFrame, path or None
        None uses the shipped factors. A frame or a path (CSV or .xlsx in the
        schema of :mod:`klimafotavtrykk.factors`) holds the user's own rows,
        which extend the shipped table (see ``extend``). A
        :class:`~klimafotavtrykk.factors.FactorTable` is used as it is: it
        was composed on purpose (``load_factors("mine.csv")`` alone, or
        :func:`~klimafotavtrykk.factors.add_factor_rows`), so it is neither
        extended nor given default scenarios.
    extend : bool
        For a frame or path: True (default) adds its rows to the shipped
        table; a user row wins over the shipped row with its ``factor_id``
        (a row ``concrete_c30_37`` replaces the shipped one, so lines
        matched to it by alias or NS 3420 code get the user's value), new
        ids are added and lines naming them in ``factor_id`` use them; every
        other line still finds the shipped rows. False uses the user's rows
        alone. Either way, a user row that declares no ``A4`` and lacks
        ``transport_km`` or ``transport_mode``, or declares no ``A5`` and
        gives no ``waste_rate``, takes the scenario of its
        ``material_group`` from ``data/emission_factors/scenario_defaults.csv``,
        where the profile counts that module (see Warns).
    bta_m2 : float, optional
        Gross area for intensities. [m²]
    mappings : Mappings, optional
        Alias and NS 3420 mapping tables; default the shipped ones.
    transport_modes : TransportModes, optional
        Transport-mode table; default the shipped one.
    site : pandas.DataFrame or SiteResult, optional
        Site activities (see :mod:`klimafotavtrykk.site`) or their result.
        Counted when the profile has ``site_energy``: A5 site energy and
        machinery, and mass transport to and from the site in A4.
    operational_energy : mapping of str to float, optional
        Energy delivered per year by carrier (``{"electricity": 95_000,
        "district_heating_no": 40_000}``), counted as B6 over the period when
        the profile has B6. [kWh a⁻¹]
    electricity : str
        Carrier that plain ``"electricity"`` means: ``"electricity_no"``
        (Norwegian delivered mix) or ``"electricity_eu"`` (European mix);
        NS 3720 practice reports both.
    energy_factors : mapping of str to float or sequence of float, optional
        Life-cycle factors for B6 that replace or add to the shipped
        carriers: a constant, or one value per year of the study period
        (a grid factor falling over 50 years), for a shipped carrier or one
        of the user's own (``{"electricity": series, "heat_pump_x": 0.02}``).
        [kg CO₂e kWh⁻¹]

    Returns
    -------
    Assessment
        Every input line is either in ``lines`` or in ``unmatched`` with its
        reason; module totals equal the sum over ``lines``. With a user
        frame or path, ``metadata`` also holds ``factor_tables`` (name and
        sha256 of the shipped table, when extended, and of the user's file
        or frame), ``user_factor_ids``, ``replaced_factor_ids`` (shipped ids
        the user's rows replaced), ``defaults_applied`` (per user row whose
        default scenario was used by a computed line: ``factor_id``,
        ``material_group``, ``filled``, ``source``) and
        ``no_default_factor_ids`` (used user rows left without A4 or A5).

    Raises
    ------
    MissingColumnError
        When ``quantity`` or ``unit`` is missing.
    InputError
        When a column cannot hold what it should (e.g. a waste rate of 1.5),
        ``bta_m2`` is not a positive number, or a B6 carrier is unknown.

    Warns
    -----
    DefaultValueWarning
        Once, when user rows took a group's default transport or waste
        scenario, or when some have neither a scenario nor a known
        ``material_group`` (their A4 or A5 is then not computed; give
        ``transport_km`` and ``transport_mode``, ``waste_rate``, or a
        ``material_group``).
    PlausibilityWarning
        When lines have a negative quantity or more than any real line can
        hold (``data/units/plausible_quantities.csv``); they are computed
        and listed in ``metadata["implausible_lines"]``.

    Examples
    --------
    >>> import pandas as pd
    >>> import klimafotavtrykk as kf
    >>> lines = pd.DataFrame({"description": ["Plasstøpt betong B30"], "quantity": [10.0],
    ...                       "unit": ["m3"], "building_part": ["251"]})
    >>> result = kf.calculate(lines, profile="tek17")   # doctest: +SKIP
    """
    if bta_m2 is not None and not (math.isfinite(float(bta_m2)) and float(bta_m2) > 0):
        raise InputError("the gross area must be a positive number", expected="BTA > 0 m²",
                         found=str(bta_m2), code="bad_area")
    # the build-up columns made with the absent ones, where the lines have none of those names
    kept = isinstance(lines, pd.DataFrame) and not lines.columns.isin(LAYER_COLUMNS).any()
    items, deferred = _prepared_lines(lines, defer=True, bookkeeping=kept)
    profile = resolve_profile(profile)
    table, user = compose_factor_table(factors, extend)
    modes = transport_modes or load_transport_modes()
    items, match, original, said, deferred = _layers_as_lines(items, table, mappings, deferred,
                                                              kept)
    fidx = match.factor_idx
    has_factor = fidx >= 0
    f = fidx if has_factor.all() else np.where(has_factor, fidx, 0)  # safe gather; unmatched lines masked below

    units = line_units(items["unit"])  # each distinct spelling parsed once
    quantity = items["quantity"].to_numpy(dtype=float)
    implausible = implausible_lines(items, original, units)
    q_decl, derived = declared_quantities(items, quantity, table, fidx, f, units)
    line_mode, mode_given = _line_modes(items, modes)
    parts = part_keys(items["building_part"], profile)  # coded once: scope and group per key
    # per factor row, gathered per line (f has no -1): one value on every line where all agree
    indicator_ok = by_code(np.isin(table.indicator, [*profile.accepted_indicators, ""]), f, False)
    done = computed_lines((
        (~np.isfinite(quantity), "missing_quantity"),  # an infinity is no quantity either
        (~parts.has_part & bool(profile.building_parts), "missing_building_part"),
        (~parts.in_scope, "out_of_scope"),
        (units.lump, "lump_sum"),
        (said("labour_only"), "labour_only"),
        (said("assembly"), "assembly"),
        (~units.known, "unknown_unit"),
        (said("unknown_factor"), "unknown_factor"),
        (said("no_factor"), "no_factor"),
        (~indicator_ok, "indicator_not_accepted"),
        (~np.isfinite(q_decl), "incompatible_unit"),
        (mode_given & (line_mode < 0), "unknown_transport_mode"),
    ), items[LAYER_COLUMNS[0]].to_numpy(dtype=np.int64))

    used = np.flatnonzero(np.bincount(done.of(fidx), minlength=len(table)))  # factor rows used
    user_meta: dict[str, Any] = {}
    if user is not None:
        table, user_meta = apply_group_scenarios(table, user, used, profile, modes)
    rows = _scenario_rows(items, table, modes, fidx, f, line_mode, mode_given, done.ok)
    n_repl = replacements(profile.reference_study_period, table.service_life[rows.factor])
    intensities = module_intensities(
        table.modules[rows.factor],
        table.is_generic[rows.factor],
        profile.generic_markup,
        rows.a4,
        rows.waste_rate,
        n_repl,
        scope_mask(profile.modules),
        profile.waste_end_of_life,
    )

    row, qty = done.of(rows.line_row), done.of(q_decl)
    group, groups = parts.groups(done)
    by_part = totals_by_group(group, row, qty, intensities, len(groups))
    by_building_part = pd.DataFrame(by_part, index=pd.Index(groups, name="building_part"),
                                    columns=pd.Index(MODULES, name="module"))
    site_result = _site_result(site, electricity)
    other = _other_contributions(profile, site_result, operational_energy, electricity,
                                 energy_factors)
    other_sum = other.sum(axis=0).to_numpy() if len(other) else 0.0  # x + 0.0 is x
    by_module = pd.Series(by_part.sum(axis=0) + other_sum,
                          index=pd.Index(MODULES, name="module"), name="kg_co2e")

    unmatched = _unmatched(items, original, deferred, done, match, derived, units, table, profile)
    # per-line results on request: built when result.lines is first read
    per_line = LineResults(items=items, original=original, ok=done.ok, factor=done.of(fidx),
                           method=done.of(match.read_only("method")), row=row, quantity=qty,
                           intensities=intensities, replacements=n_repl, table=table,
                           audit=derived,  # its three audit columns are read by name
                           deferred=deferred)
    metadata = {
        "version": __version__,
        "factor_table": table.name,
        "factor_table_sha256": table.sha256,
        "indicators": sorted({str(i) or "unspecified" for i in table.indicator[used]}),
        "input_lines": len(original),
        "site_counted": bool(site_result is not None and profile.site_energy),
        "implausible_lines": implausible,
        **user_meta,
    }
    return Assessment(
        lines=per_line,
        unmatched=unmatched,
        by_module=by_module,
        by_building_part=by_building_part,
        profile=profile,
        coverage=_coverage(table, rows, row, profile),
        bta_m2=float(bta_m2) if bta_m2 else None,
        metadata=metadata,
        other=other,
        site=site_result,
    )


def _line_modes(items: pd.DataFrame, modes: TransportModes) -> tuple[np.ndarray, np.ndarray]:
    """Each line's transport mode, as a row of ``modes`` (-1 none or unknown), and whether it names one.

    A column deferred (no line names a mode) is -1 on every line: a read-only view, no array.
    """
    if "transport_mode" not in items.columns:  # deferred: text_codes says so of a column of None
        none = np.broadcast_to(np.int64(-1), (len(items),))
        return none, none >= 0
    mode_codes, mode_names = text_codes(items["transport_mode"])
    mode_given = mode_codes >= 0
    if not len(mode_names):  # no mode named: -1 on every line already
        return mode_codes, mode_given
    return (np.append(modes.ids.get_indexer(pd.Index(mode_names, dtype=object)), -1)[mode_codes],
            mode_given)


def _unmatched(items: pd.DataFrame, original: pd.DataFrame, deferred: Deferred, done: Computed,
               match, derived: pd.DataFrame, units: LineUnits, table: FactorTable,
               profile: Profile) -> pd.DataFrame:
    """The ``unmatched`` frame: each line not computed as given, its reason, detail and hints.

    Where every line computes, the empty frame is made once per column layout.
    """
    def build() -> pd.DataFrame:
        ok = done.ok
        why = done.why()
        unmatched = deferred.complete(items.loc[~ok]).assign(reason=why, detail=match.detail[~ok],
                                                             **_audit(derived, ~ok))
        fidx = match.factor_idx
        hints = unmatched_hints(why, fidx[~ok], units.dim[~ok],
                                ~np.isnan(items["thickness"].to_numpy(dtype=float))[~ok], table,
                                items["factor_id"].to_numpy(dtype=object)[~ok],
                                profile.accepted_indicators,
                                per_metre_given=~np.isnan(derived["linear_mass"].to_numpy())[~ok],
                                per_part_given=~np.isnan(derived["part_mass"].to_numpy())[~ok])
        unmatched = pd.concat([unmatched, hints.set_axis(unmatched.index)], axis=1)
        _, unmatched = fold_layers(items.iloc[0:0], unmatched, original, MODULES)
        return unmatched.reset_index(drop=True)

    return _none_unmatched(items, build, deferred) if done.every else build()


def _layers_as_lines(items: pd.DataFrame, table: FactorTable, mappings: Mappings | None,
                     deferred: Deferred, kept: bool = False):
    """Match the lines; a build-up line (reason ``assembly``) becomes one row per layer.

    ``kept``: ``items`` already ends in the build-up columns of lines that are no build-up
    (``_prepared_lines(..., bookkeeping=True)``); else they are added here.

    Returns the rows to compute, their match, the lines as given (for
    :func:`~klimafotavtrykk.assemblies.fold_layers`), the :func:`_reason_masks` of the
    rows' match and the columns still deferred (none once a build-up is expanded: its
    rows are made from every column).
    """
    match = match_factors(items, table.ids, mappings)
    said = _reason_masks(match.read_only("reason"))
    layered = said("assembly")
    if not layered.any():
        if kept:  # the lines as given are the same lines with the bookkeeping after them
            return items, match, items, said, deferred
        return (items.assign(**dict(zip(LAYER_COLUMNS, (-1, None, 1), strict=True))), match, items,
                said, deferred)
    if kept:
        items = items.iloc[:, :-len(LAYER_COLUMNS)]
    items, deferred = deferred.complete(items), Deferred()
    rows = expand_layers(items, layered)
    line = rows[LAYER_COLUMNS[0]].to_numpy(dtype=np.int64)
    layer = line >= 0
    # ordinary lines keep their match; only the layers' texts are matched again
    of_line = line_positions(rows)
    again = match_factors(rows.loc[layer], table.ids, mappings)
    fields = {}
    for name in ("factor_idx", "method", "reason", "detail", "matched_text", "rule_file", "rule_line"):
        value = getattr(match, name)[of_line].copy()
        value[layer] = getattr(again, name)
        fields[name] = value
    match = dataclasses.replace(match, **fields)
    return rows, match, items, _reason_masks(match.reason), deferred


@dataclass(frozen=True)
class _Rows:
    """Scenario rows: the factor rows, then one row per distinct line override."""

    factor: np.ndarray     # factor index of each row
    a4: np.ndarray         # [kg CO2e per declared unit]; NaN unknown
    waste_rate: np.ndarray  # [-]; NaN none
    line_row: np.ndarray   # row of each line (valid where the line is computed)


def _scenario_rows(items, table: FactorTable, modes: TransportModes, fidx, f, line_mode, mode_given,
                   ok):
    """Rows of the intensity matrix: one per factor, plus one per distinct override scenario.

    ``f`` is ``fidx`` with 0 for an unmatched line (read only: copied before any write).
    """
    n_f = len(table)
    tkm = np.append(modes.kg_co2e_per_tkm, np.nan)  # index -1 -> NaN
    f_mode = modes.ids.get_indexer(pd.Index(table.transport_mode, dtype=object))
    declared_a4 = table.modules[:, MODULE_INDEX["A4"]]
    mass_du = table.mass_per_declared_unit

    def resolve_a4(factor, km, mode, transport_given):
        computed = transport_a4(mass_du[factor], km, tkm[mode])
        use_declared = ~np.isnan(declared_a4[factor]) & ~transport_given
        return np.where(use_declared, declared_a4[factor], computed)

    base = np.arange(n_f)
    a4 = resolve_a4(base, table.transport_km, f_mode, np.zeros(n_f, dtype=bool))
    waste = table.waste_rate.copy()
    line_row = f

    line_km = items["transport_km"].to_numpy(dtype=float)
    line_waste = items["waste_rate"].to_numpy(dtype=float)
    transport_given = ~np.isnan(line_km) | mode_given
    override = ok & (transport_given | ~np.isnan(line_waste))
    if not override.any():
        return _Rows(factor=base, a4=a4, waste_rate=waste, line_row=line_row)

    sub_f = fidx[override]
    km = np.where(np.isnan(line_km), table.transport_km[line_row], line_km)[override]
    mode = np.where(mode_given, line_mode, f_mode[line_row])[override]
    rate = np.where(np.isnan(line_waste), table.waste_rate[line_row], line_waste)[override]
    given = transport_given[override]
    # NaN is no key for factorize: -1 stands for "none" (distances and rates are >= 0)
    keys = pd.MultiIndex.from_arrays([sub_f, np.nan_to_num(km, nan=-1.0), mode,
                                      np.nan_to_num(rate, nan=-1.0), given])
    codes, uniques = keys.factorize()
    u_f = uniques.get_level_values(0).to_numpy(dtype=np.int64)
    u_km = uniques.get_level_values(1).to_numpy(dtype=float, copy=True)
    u_mode = uniques.get_level_values(2).to_numpy(dtype=np.int64)
    u_rate = uniques.get_level_values(3).to_numpy(dtype=float, copy=True)
    u_given = uniques.get_level_values(4).to_numpy(dtype=bool)
    u_km[u_km < 0] = np.nan
    u_rate[u_rate < 0] = np.nan
    line_row = line_row.copy()
    line_row[override] = n_f + codes
    return _Rows(
        factor=np.concatenate([base, u_f]),
        a4=np.concatenate([a4, resolve_a4(u_f, u_km, u_mode, u_given)]),
        waste_rate=np.concatenate([waste, u_rate]),
        line_row=line_row,
    )


def _audit(derived: pd.DataFrame, rows: np.ndarray) -> dict[str, np.ndarray]:
    """Columns that say which dimension a description gave and how it was used."""
    return {c: derived[c].to_numpy(dtype=object)[rows]
            for c in ("dimension_source", "dimension_note", "conversion")}
