"""A tender competition, read from ``konkurranse.toml``.

One file describes the competition: profile, BTA, tender date, award weights,
the point models and their parameters, gates (emission frame, per-product
A1-A3 limits, minimum emission-free share) and what uncommitted claims fall
back to. Keys the file leaves out take the shipped defaults
(``data/procurement/defaults.toml``) or the profile's value, and
:attr:`Competition.sources` records where every parameter came from.

File layout (every table but ``[weights]`` optional)::

    name = "Eksempelskolen"
    profile = "tek17"              # shipped name, or a path relative to this file
    bta_m2 = 2400                  # [m2]
    tender_date = 2025-04-01       # EPDs expired at this date count as generic
    # reference_study_period = 50  # [a]; default: the profile's
    # building_parts = ["22", "23"]  # default: the profile's
    # tie_break = ["price", "climate"]  # what decides equal totals; default ["manual"]
    # accepted_epds = ["NEPD-1234-567-NO"]  # EPDs whose documentation the client accepted
    # accepted_scenarios = ["b_bygg.xlsx", "[c_bygg.xlsx]Materialer!O12"]  # own transport and waste
    #                              # values the client accepted: a whole bid, or a line by the cell its finding names
    # epd_folder = "epd/"          # EPD files the bidders attached, relative to this file
    # epd_value_tolerance = 0.01   # [-] a bid's A1-A3 may lie this share below its EPD file's

    [weights]      price, quality, climate [-]; min_climate [-]
    [points]       max [points], allow_negative
    [price]        model, max_nok
    [climate]      model, basis, co2_price_nok_per_kg, reference, full_points_reduction,
                   zero_emission_basis, zero_emission_scale
    [gates]        frame_kg_co2e_per_m2, frame_period, min_zero_emission_share,
                   [[gates.product_limits]] factor_id | material_group, declared_unit,
                   limit_kg_co2e, source
    [committed]    material_fallback, site_fallback
    tender_quantities = "skole.xlsx"   # the tender's bill of quantities, relative to this file
    quantity_rule = "tender"           # or "reject"
    [sources]      "dotted.key" = "source_id or citation"
    [notes]        "dotted.key" = "why"
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from klimafotavtrykk._string_storage import python_strings
from klimafotavtrykk.errors import InputError, ProfileError
from klimafotavtrykk.profiles import Profile, load_profile
from klimafotavtrykk.scoring import ScoringRule, load_procurement_defaults
from klimafotavtrykk.tender.attached_epds import AttachedEpds, load_attached_epds
from klimafotavtrykk.tender.reference import QUANTITY_RULES, TenderQuantities
from klimafotavtrykk.toml_guard import nesting_exceeds

__all__ = ["Competition", "ProductLimit", "load_competition", "competition_parameters",
           "python_tender_lines", "CLIENT_SOURCE"]

#: Source recorded for a value the client states in the file without citing one.
CLIENT_SOURCE = "client"

_MATERIAL_FALLBACKS = ("generic_with_markup", "generic")

# dotted key -> (ScoringRule field or None, defaults.toml name or None, kind)
_KEYS: dict[str, tuple[str | None, str | None, str]] = {
    "name": (None, None, "text"),
    "description": (None, None, "text"),
    "profile": (None, None, "text"),
    "bta_m2": ("bta_m2", None, "number"),
    "tender_date": (None, None, "date"),
    "reference_study_period": ("reference_study_period", None, "number"),
    "building_parts": (None, None, "texts"),
    "weights.price": ("price_weight", None, "number"),
    "weights.quality": ("quality_weight", None, "number"),
    "weights.climate": ("climate_weight", None, "number"),
    "weights.min_climate": ("min_climate_weight", "min_climate_weight", "number"),
    "points.max": ("max_points", "max_points", "number"),
    "points.allow_negative": ("allow_negative_points", "allow_negative_points", "bool"),
    "price.model": ("price_model", "price_model", "text"),
    "climate.model": ("climate_model", "climate_model", "text"),
    "climate.basis": ("basis", "basis", "text"),
    "climate.co2_price_nok_per_kg": ("co2_price_nok_per_kg", "co2_price_nok_per_kg", "number"),
    "climate.reference": ("reference", None, "number"),
    "climate.full_points_reduction": ("full_points_reduction", None, "number"),
    "climate.zero_emission_basis": ("zero_emission_basis", "zero_emission_basis", "text"),
    "climate.zero_emission_scale": ("zero_emission_scale", "zero_emission_scale", "text"),
    "gates.frame_kg_co2e_per_m2": ("frame_kg_co2e_per_m2", None, "number"),
    "gates.frame_period": ("frame_period", "frame_period", "text"),
    "gates.min_zero_emission_share": ("min_zero_emission_share", None, "number"),
    "gates.product_limits": (None, None, "limits"),
    "committed.material_fallback": (None, "material_fallback", "text"),
    "committed.site_fallback": (None, "site_fallback", "text"),
    # -- tender quantities (issue 12 item 1): the tender's bill of quantities is the reference
    "tender_quantities": (None, None, "text"),
    "quantity_rule": (None, "quantity_rule", "text"),
    # -- end tender quantities
    # --- tender-batch (issue #12): tie rules and the highest price that can be scored
    "tie_break": ("tie_break", "tie_break", "texts"),
    "price.max_nok": ("max_price_nok", "max_price_nok", "number"),
    # --- EPD checks (tender/epd_checks.py): EPD numbers whose documentation the client has
    # accepted; their values stand below the plausible range, in an unknown number format,
    # without a valid-until date or with one too late (never when expired).
    "accepted_epds": (None, None, "texts"),
    # --- a bid's own transport distance, mode and waste rate (tender/materials.py): they count
    # for the bids named here, on committed lines; other bids get the defaults
    "accepted_scenarios": (None, None, "texts"),
    # --- EPD files in (issue 15 item 3): the EPDs bidders attached; a bid line citing one is
    # checked against the file (tender/attached_epds.py)
    "epd_folder": (None, None, "text"),
    "epd_value_tolerance": (None, "epd_value_tolerance", "number"),
}
_TABLES = {"weights", "points", "price", "climate", "gates", "committed"}
_REQUIRED = ("name", "profile", "bta_m2", "tender_date", "weights")
_RULE_KEY = {rule: key for key, (rule, _, _) in _KEYS.items() if rule}
_LIMIT_KEYS = {"factor_id", "material_group", "declared_unit", "limit_kg_co2e", "source"}


@dataclass(frozen=True)
class ProductLimit:
    """A per-product A1-A3 limit.

    Attributes
    ----------
    key_column : str
        ``"factor_id"`` or ``"material_group"``.
    key : str
        The factor id or material group it applies to.
    declared_unit : str
        Unit the limit is given per (``m3``, ``kg``, ``t`` ...).
    limit_kg_co2e : float
        Highest A1-A3 allowed. [kg CO2e per declared unit]
    source : str
        Where the limit comes from.
    """

    key_column: str
    key: str
    declared_unit: str
    limit_kg_co2e: float
    source: str = CLIENT_SOURCE


@dataclass(frozen=True)
class Competition:
    """One tender competition: scope, dates, scoring rule and gates.

    Attributes
    ----------
    name : str
    profile : Profile
        Calculation profile the bids are computed under.
    bta_m2 : float
        Gross floor area. [m²]
    tender_date : datetime.date
        An EPD expired at this date counts as generic data.
    reference_study_period : float
        [a]; the profile's unless the file states one.
    building_parts : tuple of str
        NS 3451 parts in scope; the profile's unless the file states them.
    rule : ScoringRule
        Models, weights, parameters, frame and minimum-share gates.
    product_limits : tuple of ProductLimit
    material_fallback : str
        What an uncommitted product is scored as (``generic_with_markup`` or ``generic``).
    site_fallback : str
        Energy carrier an uncommitted emission-free machine or activity is
        scored as (a key of the site model, e.g. ``diesel``).
    accepted_epds : tuple of str
        EPD numbers whose documentation the client has accepted
        (:mod:`~klimafotavtrykk.tender.epd_checks`).
    accepted_scenarios : tuple of str
        Bid files, or cell references of single lines (``[c.xlsx]Materialer!O12``,
        as the finding ``scenario_not_counted`` names them), whose own
        transport distances, modes and waste rates the client has accepted; on
        committed lines these replace the defaults
        (:func:`~klimafotavtrykk.tender.materials.scenario_accepted`).
    attached_epds : AttachedEpds or None
        The EPD files of ``epd_folder``, read; bid lines citing one are
        checked against it (:mod:`~klimafotavtrykk.tender.attached_epds`).
    epd_value_tolerance : float or None
        Share by which a bid's A1-A3 may lie below its attached EPD's. [-]
        None: the shipped default.
    description : str
    path : str or None
        File the competition was read from.
    tender_quantities : TenderQuantities or None
        The tender's bill of quantities, keyed by line: every bid line is
        matched to it (:func:`~klimafotavtrykk.tender.reference.reconcile`).
        None: bids are evaluated at their own quantities (negative ones refused).
    quantity_rule : str
        ``"tender"`` (a line that differs is evaluated at the tender's
        quantity and flagged) or ``"reject"`` (the bid is rejected).
    sources : dict
        Dotted parameter key -> ``source_id``, citation, ``"client"`` (the
        client's own choice) or ``"profile:<name>:<source_id>"``.
    notes : dict
        Dotted key -> why, from the file or the shipped defaults.
    """

    name: str
    profile: Profile
    bta_m2: float
    tender_date: dt.date
    reference_study_period: float
    building_parts: tuple[str, ...]
    rule: ScoringRule
    product_limits: tuple[ProductLimit, ...] = ()
    material_fallback: str = "generic_with_markup"
    site_fallback: str = "diesel"
    accepted_epds: tuple[str, ...] = ()
    accepted_scenarios: tuple[str, ...] = ()
    attached_epds: AttachedEpds | None = field(default=None, compare=False, hash=False)
    epd_value_tolerance: float | None = None
    description: str = ""
    path: str | None = None
    tender_quantities: TenderQuantities | None = field(default=None, compare=False, hash=False)
    quantity_rule: str = "tender"
    sources: dict[str, str] = field(default_factory=dict, compare=False, hash=False)
    notes: dict[str, str] = field(default_factory=dict, compare=False, hash=False)

    @property
    def scoring_profile(self) -> Profile:
        """The profile with the competition's study period and building parts: what bids are computed under."""
        return dataclasses.replace(self.profile, reference_study_period=self.reference_study_period,
                                   building_parts=self.building_parts)

    def product_limits_frame(self) -> pd.DataFrame:
        """Product limits as the frame :func:`~klimafotavtrykk.scoring.product_limit_gate` takes."""
        columns = [f.name for f in dataclasses.fields(ProductLimit)]
        return pd.DataFrame([dataclasses.astuple(p) for p in self.product_limits], columns=columns)


@python_strings
def load_competition(path: str | Path) -> Competition:
    """Read and validate a competition file.

    Parameters
    ----------
    path : str or pathlib.Path
        ``konkurranse.toml``.

    Returns
    -------
    Competition
        With every default resolved and its source recorded.

    Raises
    ------
    InputError
        When the file cannot be read or parsed, or a key is missing, unknown or
        has a bad value; the message names the file and the dotted key.
    """
    path = Path(path)
    file = str(path)
    try:
        text = path.read_text(encoding="utf-8")
        _check_nesting(text, file)  # tender-reader: before tomllib, which can take minutes
        raw = tomllib.loads(text)
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise InputError(f"cannot read the competition file: {exc}", file=file,
                         code="competition.unreadable") from None
    except RecursionError:
        raise InputError("the competition file is nested too deeply to read", file=file,
                         code="competition.too_deep") from None
    values, sources, notes = _flatten(raw, file)
    for key in _REQUIRED:
        if key not in values and not (key == "weights" and any(k.startswith("weights.") for k in values)):
            raise _error(file, key, "missing", expected="a value")
    checked = {key: _check(file, key, value) for key, value in values.items()}

    profile = _profile(file, path, checked["profile"])
    period = checked.get("reference_study_period", profile.reference_study_period)
    parts = tuple(checked.get("building_parts", profile.building_parts))
    for key in ("reference_study_period", "building_parts"):
        sources.setdefault(key, CLIENT_SOURCE if key in checked
                           else f"profile:{profile.name}:{profile.sources.get(key, '')}".rstrip(":"))

    kwargs = {rule: checked[key] for key, (rule, _, _) in _KEYS.items() if rule and key in checked}
    kwargs["reference_study_period"] = float(period)
    try:
        rule = ScoringRule(**kwargs)
    except InputError as exc:
        name, _, problem = exc.problem.partition(": ")
        raise _error(file, _RULE_KEY.get(name, name), problem or exc.problem,
                     expected=exc.expected, found=exc.found) from None

    defaults = load_procurement_defaults()
    material = checked.get("committed.material_fallback", defaults["material_fallback"])
    if material not in _MATERIAL_FALLBACKS:
        raise _error(file, "committed.material_fallback", "unknown choice",
                     expected=" | ".join(_MATERIAL_FALLBACKS), found=material)
    site = checked.get("committed.site_fallback", defaults["site_fallback"])
    # -- tender quantities (issue 12 item 1)
    quantity_rule = checked.get("quantity_rule", defaults["quantity_rule"])
    if quantity_rule not in QUANTITY_RULES:
        raise _error(file, "quantity_rule", "unknown choice", expected=" | ".join(QUANTITY_RULES),
                     found=quantity_rule)
    reference = (_tender_quantities(file, path, checked["tender_quantities"])
                 if "tender_quantities" in checked else None)

    tolerance = checked.get("epd_value_tolerance", defaults["epd_value_tolerance"])
    if not 0 <= tolerance < 1:
        raise _error(file, "epd_value_tolerance", "must be a share in [0, 1)",
                     expected="a share, e.g. 0.01", found=tolerance)
    attached = (_attached_epds(file, path, checked["epd_folder"])
                if "epd_folder" in checked else None)

    used = {key for key, (rule_field, _, _) in _KEYS.items()
            if rule_field is None or getattr(rule, rule_field) is not None}
    if attached is None:  # the tolerance matters only with attached EPD files (issue 15 item 3)
        used.discard("epd_value_tolerance")
    for key, (_, default_name, _) in _KEYS.items():
        if key in checked:
            sources.setdefault(key, CLIENT_SOURCE)
        elif default_name and key in used:
            sources.setdefault(key, defaults["sources"][default_name])
            if default_name in defaults.get("notes", {}):
                notes.setdefault(key, defaults["notes"][default_name])
    limits = checked.get("gates.product_limits", ())
    return Competition(
        name=checked["name"], profile=profile, bta_m2=float(checked["bta_m2"]),
        tender_date=checked["tender_date"], reference_study_period=float(period),
        building_parts=tuple(str(p) for p in parts), rule=rule, product_limits=limits,
        material_fallback=material, site_fallback=site,
        accepted_epds=tuple(checked.get("accepted_epds", ())),
        accepted_scenarios=tuple(checked.get("accepted_scenarios", ())),
        attached_epds=attached, epd_value_tolerance=float(tolerance),
        description=checked.get("description", ""), path=file, tender_quantities=reference,
        quantity_rule=quantity_rule, sources=sources, notes=notes)


def python_tender_lines(competition: Competition) -> Competition:
    """The competition with its tender lines' text stored in Python objects, as the library computes.

    A competition built in a notebook where pyarrow is installed (``dataclasses.replace(...,
    tender_quantities=tender_quantities(frame))``) holds its tender lines in Arrow storage. Every
    bid's lines are matched to them, so each bid would convert them again (about 10 ms of a
    worker's time a 5 000-line bid, and 5 ms of the parent's); converted here once a batch.

    Parameters
    ----------
    competition : Competition

    Returns
    -------
    Competition
        ``competition`` itself when nothing is stored in Arrow.
    """
    from klimafotavtrykk._string_storage import python_storage

    reference = competition.tender_quantities
    if reference is None:
        return competition
    lines = python_storage(reference.lines)
    if lines is reference.lines:
        return competition
    return dataclasses.replace(competition,
                               tender_quantities=dataclasses.replace(reference, lines=lines))


def competition_parameters(competition: Competition) -> pd.DataFrame:
    """Every parameter of a competition with its value, source and note, for the audit trail.

    Returns
    -------
    DataFrame
        ``parameter`` (dotted key of ``konkurranse.toml``), ``value``,
        ``source`` (``source_id``, citation or ``client``) and ``note``; then
        one row per product limit.
    """
    comp = competition
    rows = []
    for key in sorted(set(comp.sources) | set(comp.notes)):
        field_name = _KEYS.get(key, (None,))[0]
        if field_name:
            value = getattr(comp.rule, field_name)
        elif key == "profile":
            value = comp.profile.name
        elif key == "tender_date":
            value = comp.tender_date.isoformat()
        elif key == "building_parts":
            value = ", ".join(comp.building_parts)
        elif key == "accepted_epds":
            value = ", ".join(comp.accepted_epds)
        elif key.startswith("committed."):
            value = getattr(comp, key.split(".", 1)[1])
        elif key == "epd_folder":  # EPD files in (issue 15 item 3): what was read and refused
            value = str(comp.attached_epds)
        elif key == "tender_quantities":  # tender quantities (issue 12 item 1): file and hash
            value = str(comp.tender_quantities)
        else:
            value = getattr(comp, key, None)
        if isinstance(value, tuple):  # tie_break
            value = ", ".join(value)
        rows.append((key, str(value).lower() if isinstance(value, bool) else value,
                     comp.sources.get(key), comp.notes.get(key)))
    for limit in comp.product_limits:
        rows.append((f"gates.product_limits[{limit.key_column}={limit.key}]",
                     f"{limit.limit_kg_co2e:g} kg CO2e/{limit.declared_unit}", limit.source, None))
    return pd.DataFrame(rows, columns=["parameter", "value", "source", "note"], dtype=object)


def _error(file: str, key: str, problem: str, expected=None, found=None) -> InputError:
    return InputError(f"{key}: {problem}", file=file, expected=expected,
                      found=None if found is None else str(found), code="competition.invalid")


# ---- tender-reader: a competition file nested 100,000 deep (issue #12, item 5) ----------------
#: Largest competition file read [byte]; a real one is a few kB.
_MAX_FILE_BYTES = 1_000_000
#: Deepest nesting of arrays, inline tables and dotted keys read; the file's own keys need 3.
_MAX_NESTING = 32


def _check_nesting(text: str, file: str) -> None:
    """Refuse a file nested deeper than :data:`_MAX_NESTING` before the TOML parser sees it.

    See :mod:`klimafotavtrykk.toml_guard` for why and how.
    """
    if len(text) > _MAX_FILE_BYTES:
        raise InputError("the competition file is too large", file=file,
                         expected=f"at most {_MAX_FILE_BYTES} bytes", found=f"{len(text)} bytes",
                         code="competition.too_deep")
    if nesting_exceeds(text, _MAX_NESTING):
        raise InputError("the competition file is nested too deeply to read", file=file,
                         expected=f"at most {_MAX_NESTING} levels of arrays, tables and "
                                  "dotted keys", code="competition.too_deep")


def _flatten(raw: dict[str, Any], file: str) -> tuple[dict[str, Any], dict[str, str], dict[str, str]]:
    """Dotted key -> value; refuses unknown keys and tables."""
    values: dict[str, Any] = {}
    for key, value in raw.items():
        if key in ("sources", "notes"):
            continue
        if key in _TABLES:
            if not isinstance(value, dict):
                raise _error(file, key, "must be a table", expected=f"[{key}]", found=value)
            for sub, item in value.items():
                values[f"{key}.{sub}"] = item
        else:
            values[key] = value
    unknown = sorted(k for k in values if k not in _KEYS)
    if unknown:
        raise _error(file, unknown[0], "unknown key", expected=", ".join(_KEYS), found=unknown[0])
    cited = {}
    for table in ("sources", "notes"):
        entries = raw.get(table, {})
        if not isinstance(entries, dict):
            raise _error(file, table, "must be a table", expected=f"[{table}]", found=entries)
        entries = _dotted(entries)
        for key, text in entries.items():
            if key not in _KEYS:
                raise _error(file, f"{table}.{key}", "names no known parameter",
                             expected=", ".join(_KEYS), found=key)
            if not isinstance(text, str) or not text.strip():
                raise _error(file, f"{table}.{key}", "must be a non-empty text", found=text)
        cited[table] = {k: v.strip() for k, v in entries.items()}
    return values, cited["sources"], cited["notes"]


def _dotted(table: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """``{"weights": {"climate": x}}`` and ``{"weights.climate": x}`` both give ``weights.climate``."""
    out: dict[str, Any] = {}
    for key, value in table.items():
        if isinstance(value, dict):
            out.update(_dotted(value, f"{prefix}{key}."))
        else:
            out[f"{prefix}{key}"] = value
    return out


def _check(file: str, key: str, value: Any) -> Any:
    """Type-check one value by its kind; returns it in canonical form."""
    kind = _KEYS[key][2]
    if kind == "text":
        if not isinstance(value, str) or not value.strip():
            raise _error(file, key, "must be a non-empty text", expected="text", found=value)
        return value.strip()
    if kind == "number":
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
            raise _error(file, key, "must be a number", expected="a number", found=value)
        return float(value)
    if kind == "bool":
        if not isinstance(value, bool):
            raise _error(file, key, "must be true or false", expected="true | false", found=value)
        return value
    if kind == "date":
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        try:
            return dt.date.fromisoformat(str(value))
        except ValueError:
            raise _error(file, key, "must be a date", expected="YYYY-MM-DD", found=value) from None
    if kind == "texts":
        if not isinstance(value, list) or not all(isinstance(v, str | int) for v in value):
            raise _error(file, key, "must be a list of codes", expected='["22", "23"]', found=value)
        return tuple(str(v) for v in value)
    return _limits(file, key, value)


def _limits(file: str, key: str, value: Any) -> tuple[ProductLimit, ...]:
    if not isinstance(value, list):
        raise _error(file, key, "must be an array of tables", expected="[[gates.product_limits]]",
                     found=value)
    out, seen = [], set()
    for i, entry in enumerate(value):
        where = f"{key}[{i}]"
        if not isinstance(entry, dict):
            raise _error(file, where, "must be a table", found=entry)
        unknown = sorted(set(entry) - _LIMIT_KEYS)
        if unknown:
            raise _error(file, f"{where}.{unknown[0]}", "unknown key",
                         expected=", ".join(sorted(_LIMIT_KEYS)), found=unknown[0])
        named = [k for k in ("factor_id", "material_group") if k in entry]
        if len(named) != 1:
            raise _error(file, where, "give exactly one of factor_id or material_group",
                         expected="factor_id | material_group", found=", ".join(named) or None)
        column = named[0]
        for field_name in (column, "declared_unit"):
            if not isinstance(entry.get(field_name), str) or not entry[field_name].strip():
                raise _error(file, f"{where}.{field_name}", "must be a non-empty text",
                             found=entry.get(field_name))
        limit = entry.get("limit_kg_co2e")
        if isinstance(limit, bool) or not isinstance(limit, int | float) or not (
                math.isfinite(limit) and limit > 0):
            raise _error(file, f"{where}.limit_kg_co2e", "must be a positive number",
                         expected="> 0", found=limit)
        source = entry.get("source", CLIENT_SOURCE)
        if not isinstance(source, str) or not source.strip():
            raise _error(file, f"{where}.source", "must be a non-empty text", found=source)
        ident = (column, entry[column].strip())
        if ident in seen:
            raise _error(file, f"{where}.{column}", "limit given twice", found=ident[1])
        seen.add(ident)
        out.append(ProductLimit(column, ident[1], entry["declared_unit"].strip(), float(limit),
                                source.strip()))
    return tuple(out)


def _tender_quantities(file: str, path: Path, name: str) -> TenderQuantities:
    """Read the tender's bill of quantities named in the file, relative to the file's folder."""
    from klimafotavtrykk.tender.reference import read_tender_quantities

    target = path.parent / name
    if not target.is_file():
        raise _error(file, "tender_quantities", "file not found", found=str(target))
    try:
        return read_tender_quantities(target)
    except InputError as exc:
        raise _error(file, "tender_quantities", exc.problem, found=str(target)) from None


def _attached_epds(file: str, path: Path, name: str) -> AttachedEpds:
    """The EPD folder named by the competition file, relative to it, read (issue 15 item 3)."""
    folder = Path(name) if Path(name).is_absolute() else path.parent / name
    if not folder.is_dir():
        raise _error(file, "epd_folder", "folder not found", expected="a folder of EPD files "
                     "relative to the competition file", found=name)
    return load_attached_epds(folder)


def _profile(file: str, path: Path, name: str) -> Profile:
    local = path.parent / name
    try:
        return load_profile(local if name.endswith(".toml") and local.is_file() else name)
    except ProfileError as exc:
        raise _error(file, "profile", exc.problem, found=name) from None
