""":func:`calculate`: a bill of quantities, factors and a profile in, an :class:`Assessment` out.

The steps, each on whole arrays: the lines are prepared (:mod:`.lines_in`) and matched to
factor rows (build-ups expanded layer by layer), units and quantities brought to each
factor's declared unit, the reasons a line is not computed found (:mod:`.reasons`),
scenario rows made (factor rows, then one per distinct line override of transport or
waste), per-module intensities computed once per row and summed per building part; the
project-level contributions (:mod:`.project_level`) are added, and the per-line frame is
left to be built on first read (:class:`~klimafotavtrykk.lifecycle.lines.LineResults`).
"""

from __future__ import annotations

import dataclasses
import math
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from klimafotavtrykk import __version__
from klimafotavtrykk._frames import (
    text_code_parts,
    text_codes,
)
from klimafotavtrykk._string_storage import one_object, python_strings
from klimafotavtrykk.assemblies import (
    LAYER_COLUMNS,
    expand_layers,
    fold_layers,
    line_positions,
    refuse_incomplete,
)
from klimafotavtrykk.assessment.lines_in import _prepared_lines, _text_column
from klimafotavtrykk.assessment.project_level import _other_contributions, _site_result
from klimafotavtrykk.assessment.reasons import (
    _coverage,
    _part_scope,
    _reason_masks,
    _reasons,
    _two_digit_groups,
)
from klimafotavtrykk.assessment.result import Assessment, _none_unmatched
from klimafotavtrykk.errors import (
    InputError,
    PlausibilityWarning,
    user_stacklevel,
)
from klimafotavtrykk.factors import FactorTable, TransportModes, load_transport_modes
from klimafotavtrykk.hints import unmatched_hints
from klimafotavtrykk.lifecycle.conversion import (
    declared_quantity,
    line_mass_per_base,
    scaled_quantity,
)
from klimafotavtrykk.lifecycle.engine import (
    module_intensities,
    scope_mask,
    totals_by_group,
)
from klimafotavtrykk.lifecycle.geometry import (
    derive_dimensions,
    dimensions_may_be_read,
    nothing_derived,
)
from klimafotavtrykk.lifecycle.lines import Deferred, LineResults, any_layer
from klimafotavtrykk.lifecycle.transport import a4 as transport_a4
from klimafotavtrykk.lifecycle.use import replacements
from klimafotavtrykk.matching import Mappings, match_factors
from klimafotavtrykk.plausibility import failed_checks, implausible_masks
from klimafotavtrykk.profiles import Profile, resolve_profile
from klimafotavtrykk.units import unit_properties, unit_spellings
from klimafotavtrykk.user_factors import apply_group_scenarios, compose_factor_table
from klimafotavtrykk.vocabulary import (
    DIMENSIONS,
    MODULE_INDEX,
    MODULES,
)

_DIM = {d: i for i, d in enumerate(DIMENSIONS)}


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

    # units: each distinct spelling parsed once
    ucodes, spellings = unit_spellings(items["unit"].to_numpy(dtype=object),
                                       texts=isinstance(items["unit"].dtype, pd.StringDtype))
    u_dimension, u_scale, u_known = unit_properties(spellings)  # a few spellings: plain loops
    u_dim = np.array([_DIM.get(d, -1) if isinstance(d, str) else -1 for d in u_dimension],
                     dtype=np.int64)
    line_dim = np.append(u_dim, -1)[ucodes]
    # every line in its dimension's base unit (kg, m3, ...): scale 1 on every line, no array
    base_units = (not len(ucodes) or ucodes.min() >= 0) and bool((u_scale == 1.0).all())
    line_scale = (np.broadcast_to(np.float64(1.0), ucodes.shape) if base_units
                  else np.append(u_scale, np.nan)[ucodes])
    u_lump = np.array([d in ("lump_sum", "percent") for d in u_dimension], dtype=bool)
    line_lump = np.append(u_lump, False)[ucodes]
    line_known = np.append(u_known, False)[ucodes]

    quantity = items["quantity"].to_numpy(dtype=float)
    # checked on the lines as given, not on a build-up's layers (one warning per user row)
    if len(items) == len(original):  # no build-up expanded: each row is its line
        first_scale, first_dim = line_scale, line_dim
    else:
        positions = line_positions(items)  # non-decreasing: a line's first row is where it changes
        starts = np.ones(len(positions), dtype=bool)
        starts[1:] = positions[1:] != positions[:-1]
        first = np.flatnonzero(starts)
        first_scale, first_dim = line_scale[first], line_dim[first]
    negative, too_large = implausible_masks(original["quantity"].to_numpy(dtype=float),
                                            first_scale, first_dim)
    implausible = (_warn_implausible(original, failed_checks(negative, too_large))
                   if negative.any() or too_large.any() else [])  # most bills: every line plausible
    decl_dim = table.declared_dimension.astype(np.int8)[f]  # a few dimensions: 1 byte a line
    explicit = items["thickness"].to_numpy(dtype=float)
    if dimensions_may_be_read(u_dim):
        derived = derive_dimensions(_text_column(items, "description"), fidx, line_dim, explicit,
                                    table, read_only=True)  # only read below
    else:  # no line in an area, a length or pieces (per distinct unit): nothing to read
        derived = nothing_derived(items.index)
    same_dimension = line_dim == decl_dim
    if same_dimension.all() and base_units and bool((table.declared_scale == 1.0).all()):
        # quantity * 1 / 1 (scaled_quantity) is the quantity itself: read, never written
        q_decl = quantity.view()
        q_decl.flags.writeable = False
    elif same_dimension.all():  # every line in its factor's dimension: units scale, no mass needed
        q_decl = scaled_quantity(quantity, line_scale, table.declared_scale[f])
    else:
        q_decl = declared_quantity(
            quantity,
            line_scale,
            line_mass_per_base(table.mass_per_base, f, line_dim,
                               np.where(np.isnan(explicit), derived["thickness"].to_numpy(),
                                        explicit),
                               section=derived["section"].to_numpy(),
                               linear_mass=derived["linear_mass"].to_numpy(),
                               area_mass=derived["area_mass"].to_numpy(),
                               piece_area=derived["piece_area"].to_numpy(),
                               piece_length=derived["piece_length"].to_numpy(),
                               part_count=derived["part_count"].to_numpy(),
                               part_mass=derived["part_mass"].to_numpy()),
            table.declared_scale[f],
            table.mass_per_base[f, decl_dim],
            same_dimension,
        )

    # transport modes named on lines
    if "transport_mode" in items.columns:
        mode_codes, mode_names = text_codes(items["transport_mode"])
    else:  # deferred: none given on any line, as text_codes says of a column of None
        mode_codes = np.broadcast_to(np.int64(-1), (len(items),))  # read only: no array per line
        mode_names = np.array([], dtype=object)
    mode_given = mode_codes >= 0
    line_mode = (np.append(modes.ids.get_indexer(pd.Index(mode_names, dtype=object)), -1)[mode_codes]
                 if len(mode_names) else mode_codes)  # no mode named: -1 on every line already

    # coded once (scope, two-digit part), as a key per line and a code per key: worked per key
    part_keys, part_key_codes, parts = text_code_parts(items["building_part"])
    in_part_scope, has_part = _part_scope(part_key_codes, parts, profile)  # per key
    has_part = np.append(has_part, False)[part_keys]  # a key -1 is a line without a part
    in_part_scope = (np.append(in_part_scope, False)[part_keys] if profile.building_parts
                     else np.ones(len(part_keys), dtype=bool))
    indicator_ok = np.isin(table.indicator, [*profile.accepted_indicators, ""])[f]  # per factor

    names, first_rule = _reasons(
        (~np.isfinite(quantity), "missing_quantity"),  # an infinity is no quantity either
        (~has_part & bool(profile.building_parts), "missing_building_part"),
        (~in_part_scope, "out_of_scope"),
        (line_lump, "lump_sum"),
        (said("labour_only"), "labour_only"),
        (said("assembly"), "assembly"),
        (~line_known, "unknown_unit"),
        (said("unknown_factor"), "unknown_factor"),
        (said("no_factor"), "no_factor"),
        (~indicator_ok, "indicator_not_accepted"),
        (~np.isfinite(q_decl), "incompatible_unit"),
        (mode_given & (line_mode < 0), "unknown_transport_mode"),
    )
    ok = first_rule == 0
    reason = None  # the reason per line, made where needed (one object per line costs a pass)
    layer_line = items[LAYER_COLUMNS[0]].to_numpy(dtype=np.int64)
    if any_layer(layer_line):  # a build-up: all its layers compute, or none does
        reason = refuse_incomplete(names[first_rule], layer_line)
        ok = pd.isna(reason)  # reason is None or a name

    every = bool(ok.all())

    def computed(values: np.ndarray) -> np.ndarray:
        """``values`` of the computed lines; the array itself (only read from here on) when all are."""
        return values if every else values[ok]

    used = np.flatnonzero(np.bincount(computed(fidx), minlength=len(table)))  # factor rows used
    user_meta: dict[str, Any] = {}
    if user is not None:
        table, user_meta = apply_group_scenarios(table, user, used, profile, modes)
    rows = _scenario_rows(items, table, modes, fidx, f, line_mode, mode_given, ok)
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

    row = computed(rows.line_row)
    qty = computed(q_decl)
    if every:  # each distinct part is some line's; "" is used where one has none
        key_group, groups = _two_digit_groups(np.append(part_key_codes, -1), parts,
                                              some_without=not bool(has_part.all()))
        group = key_group[part_keys]  # a key -1 reads the last: the group of no part
    else:
        group, groups = _two_digit_groups(np.append(part_key_codes, -1)[part_keys][ok], parts)
    by_part = totals_by_group(group, row, qty, intensities, len(groups))
    by_building_part = pd.DataFrame(by_part, index=pd.Index(groups, name="building_part"),
                                    columns=pd.Index(MODULES, name="module"))
    site_result = _site_result(site, electricity)
    other = _other_contributions(profile, site_result, operational_energy, electricity,
                                 energy_factors)
    other_sum = other.sum(axis=0).to_numpy() if len(other) else 0.0  # x + 0.0 is x
    by_module = pd.Series(by_part.sum(axis=0) + other_sum,
                          index=pd.Index(MODULES, name="module"), name="kg_co2e")

    matched_f = computed(fidx)
    def not_computed() -> pd.DataFrame:
        why = names[first_rule[~ok]] if reason is None else reason[~ok]
        unmatched = deferred.complete(items.loc[~ok]).assign(reason=why, detail=match.detail[~ok],
                                          **_audit(derived, ~ok))
        hints = unmatched_hints(why, fidx[~ok], line_dim[~ok],
                                ~np.isnan(items["thickness"].to_numpy(dtype=float))[~ok], table,
                                items["factor_id"].to_numpy(dtype=object)[~ok],
                                profile.accepted_indicators,
                                per_metre_given=~np.isnan(derived["linear_mass"].to_numpy())[~ok],
                                per_part_given=~np.isnan(derived["part_mass"].to_numpy())[~ok])
        unmatched = pd.concat([unmatched, hints.set_axis(unmatched.index)], axis=1)
        _, unmatched = fold_layers(items.iloc[0:0], unmatched, original, MODULES)
        return unmatched.reset_index(drop=True)

    unmatched = _none_unmatched(items, not_computed, deferred) if every else not_computed()
    # per-line results on request: built when result.lines is first read
    per_line = LineResults(items=items, original=original, ok=ok, factor=matched_f,
                           method=computed(match.read_only("method")), row=row, quantity=qty,
                           intensities=intensities, replacements=n_repl, table=table,
                           audit=derived,  # its three audit columns are read by name
                           deferred=deferred)
    coverage = _coverage(table, rows, row, profile)
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
        coverage=coverage,
        bta_m2=float(bta_m2) if bta_m2 else None,
        metadata=metadata,
        other=other,
        site=site_result,
    )


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


def _warn_implausible(items: pd.DataFrame, check: np.ndarray) -> list[dict[str, Any]]:
    """Warn once about lines whose quantity is implausible; list them for the result."""
    if one_object(check) and check[0] is None:  # every line plausible: no line is read
        return []
    flagged = np.flatnonzero(~pd.isna(check))  # check is None or a name
    if not len(flagged):
        return []
    refs = (items["source_ref"].to_numpy(dtype=object)[flagged] if "source_ref" in items.columns
            else np.full(len(flagged), None, dtype=object))
    refs = [ref if isinstance(ref, str) and ref.strip() else None for ref in refs]  # NaN: none
    ids = (items["row_id"].to_numpy(dtype=np.int64)[flagged] if "row_id" in items.columns
           else flagged)
    found = [{"row": int(i), "row_id": int(k), "source_ref": ref, "check": str(c), "quantity": float(q),
              "unit": u}
             for i, k, ref, c, q, u in zip(flagged, ids, refs, check[flagged],
                                           items["quantity"].to_numpy(dtype=float)[flagged],
                                           items["unit"].to_numpy(dtype=object)[flagged], strict=True)]
    counts = pd.Series(check[flagged]).value_counts().sort_index()
    # the user's row: where it was read (file, sheet, cell), else its line id
    where = ", ".join(str(r["source_ref"] or f"row {r['row_id']}") for r in found[:5])
    warnings.warn(f"{len(found)} line(s) with an implausible quantity "
                  f"({', '.join(f'{k}: {v}' for k, v in counts.items())}), e.g. {where}; "
                  "they are computed: check them (result.metadata['implausible_lines'])",
                  PlausibilityWarning, stacklevel=user_stacklevel())
    return found


def _audit(derived: pd.DataFrame, rows: np.ndarray) -> dict[str, np.ndarray]:
    """Columns that say which dimension a description gave and how it was used."""
    return {c: derived[c].to_numpy(dtype=object)[rows]
            for c in ("dimension_source", "dimension_note", "conversion")}
