"""LCAx exchange: write a calculation as an LCAx project, read an LCAx project into lines and factors.

LCAx (DTU, Apache-2.0) is an open JSON format for building LCA projects: a
project holds assemblies, an assembly holds products, and each product
embeds the impact data it is computed from (an EPD: impacts per declared
unit and life-cycle module). LCAx's own calculation multiplies each
product's EPD values by its quantity, and an assembly's sum by the
assembly's quantity.

:func:`to_lcax` writes an :class:`~klimafotavtrykk.Assessment` so that this
rule gives back our numbers: one assembly per NS 3451 two-digit building
part, one product per computed line (quantity in the declared unit of its
factor), and as its EPD the values our calculation used per declared unit:
the factor row after the profile's scenarios (transport, site waste,
replacements over the study period, the markup on generic data, the scope).
Lines that share a factor and a scenario share one EPD id. Per-module
results are written on every product, assembly and the project.

:func:`read_lcax` reads any LCAx project (ours, or one another tool wrote)
into a line frame and a factor table in the user schema of
:mod:`klimafotavtrykk.factors`, so that ``calculate(lines, factors=factors,
extend=False)`` recomputes it: a round trip gives the same per-module
totals. LCAx files are untrusted input: size and nesting are capped, nothing
is evaluated, and an error names the file and the JSON path.

Module and unit tokens follow LCAx 3.x (``a1a3``, ``a4`` … ``d``; ``m3``,
``kg``, ``pcs`` …).
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from klimafotavtrykk import __version__
from klimafotavtrykk._frames import filled
from klimafotavtrykk._string_storage import python_strings
from klimafotavtrykk.errors import InputError
from klimafotavtrykk.factors import declarable_units
from klimafotavtrykk.gc_pause import collector_paused
from klimafotavtrykk.units import parse_units
from klimafotavtrykk.vocabulary import MODULES

__all__ = ["to_lcax", "read_lcax", "LcaxLimits", "LcaxMetadata", "LCAX_FORMAT_VERSION",
           "LCAX_MODULES"]

#: LCAx format version written: that of the lcax package 3.8 (schema of its Rust models).
LCAX_FORMAT_VERSION = "3.8.0"
#: LCAx life-cycle module token of each of our modules (``A1-A3`` -> ``a1a3``).
LCAX_MODULES: dict[str, str] = {m: m.lower().replace("-", "") for m in MODULES}
_OUR_MODULE = {token: m for m, token in LCAX_MODULES.items()}
#: Our unit spelling -> LCAx unit token; other spellings are written ``unknown`` and kept in metaData.
_TO_LCAX_UNIT = {"kg": "kg", "tonn": "tones", "tonne": "tones", "t": "tones", "m3": "m3",
                 "m³": "m3", "m2": "m2", "m²": "m2", "m": "m", "lm": "m", "stk": "pcs",
                 "pcs": "pcs", "kwh": "kwh", "l": "l", "km": "km"}
#: LCAx unit token -> our spelling; ``m2r1``, ``kgm3`` and ``unknown`` have none.
_FROM_LCAX_UNIT = {"kg": "kg", "tones": "tonn", "m3": "m3", "m2": "m2", "m": "m", "pcs": "stk",
                   "kwh": "kwh", "l": "l", "km": "km", "tones_km": "tonnkm"}
#: Mass column of the user factor schema for an EPD's conversion to kg, by its declared unit.
_MASS_COLUMN = {"m3": "density_kg_m3", "m2": "area_mass_kg_m2", "m": "linear_mass_kg_m",
                "stk": "piece_mass_kg"}
#: LCAx impact category -> our indicator token, for EPDs that do not name ours.
_INDICATOR = {"gwp": "gwp-total", "gwp_fos": "gwp-fossil", "gwp_bio": "gwp-biogenic",
              "gwp_lul": "gwp-luluc"}
#: LCAx EPD subtype -> our dataset_type.
_DATASET_TYPE = {"generic": "generic", "specific": "product_epd", "industry": "industry_epd",
                 "representative": "industry_epd"}
_OURS = "klimafotavtrykk"  # key of our entries in LCAx metaData, and our lcaSoftware name
_CLASSIFICATION = "NS 3451"


@dataclass(frozen=True)
class LcaxLimits:
    """Caps that keep a hostile or broken LCAx file from exhausting time or memory.

    The defaults admit a project of a million products as :func:`to_lcax`
    writes it (about 1 kB each) with room to spare, and refuse nesting no
    LCAx project needs (a project nests about 10 levels deep, free-form
    ``metaData`` a few more). Make variants with :func:`dataclasses.replace`.

    Parameters
    ----------
    max_file_bytes : int
        Largest file read. [byte]
    max_depth : int
        Deepest nesting of objects and arrays. [-]
    """

    max_file_bytes: int = 2_000_000_000
    max_depth: int = 64

    def __post_init__(self):
        for name in ("max_file_bytes", "max_depth"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
                raise InputError(f"limit {name} must be a positive whole number",
                                 expected="positive int", found=repr(value), code="bad_limits")


@dataclass(frozen=True)
class LcaxMetadata:
    """What :func:`read_lcax` read besides lines and factors.

    Attributes
    ----------
    file : str
        File name as given.
    sha256 : str
        Of the file's bytes.
    project : dict
        ``id``, ``name``, ``description``, ``format_version``, ``software``,
        ``lcia_method`` and ``country`` as the file gives them.
    reference_study_period : int or None
        [a]
    modules : list of str
        The project's life-cycle modules, as our module names.
    indicator : str
        The LCAx impact category read (``gwp`` …).
    results : pandas.Series or None
        The project's results as written in the file, per module. [kg CO2e]
    profile : str or None
        The profile named by a file :func:`to_lcax` wrote, else None.
    skipped : pandas.DataFrame
        Products and assemblies not read: ``json_path``, ``reason`` and
        ``detail``: ``reference`` (given only as a link), ``no_impact_data``,
        ``unknown_unit`` (an LCAx unit without a counterpart, such as
        ``m2r1``), ``unit_not_declarable`` (an EPD per kWh, litre of fuel or
        tonne-kilometre: energy and transport, not a material).
    other : pandas.DataFrame
        Contributions that are not lines in a file :func:`to_lcax` wrote
        (``site``, ``mass_transport``, ``operational_energy``) × module, as
        :attr:`klimafotavtrykk.Assessment.other` holds them; empty for other
        tools' files. [kg CO2e]
    """

    file: str
    sha256: str
    project: dict[str, Any]
    reference_study_period: int | None
    modules: list[str]
    indicator: str
    results: pd.Series | None
    profile: str | None
    skipped: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(
        columns=["json_path", "reason", "detail"]))
    other: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(
        columns=pd.Index(MODULES, name="module"), dtype=float))


# ============================================================================ writing


@python_strings
def to_lcax(result, path: str | os.PathLike | None = None, *,
            project: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Write a calculation as an LCAx project.

    Parameters
    ----------
    result : Assessment
        The calculation (:func:`klimafotavtrykk.calculate`).
    path : path, optional
        Where to write the project as JSON (UTF-8). None writes nothing.
    project : mapping, optional
        Project metadata: ``id``, ``name``, ``description``, ``owner``,
        ``country`` (ISO 3166 alpha-3, lower case; default ``nor``), ``city``,
        ``address``, ``phase`` (an LCAx project phase, default ``other``).
        Without an id, the id is derived from the results (the same
        calculation gets the same id).

    Returns
    -------
    dict
        The project as JSON-ready objects (camelCase keys, as LCAx writes them).

    Notes
    -----
    Each product's EPD holds the values this calculation used per declared
    unit, so LCAx's rule (EPD × quantity) reproduces every product's
    results; ``metaData`` of the EPD names our factor, its source, the
    scenario (transport, waste rate, replacements) and that the values are
    the calculated ones (``"values": "as_calculated"``). The EPD's
    ``conversions`` give its mass per declared unit where known. Results
    are in kg CO2e under impact category ``gwp``; the indicators of the
    factors used are listed in the project's ``metaData``. Contributions
    that are not lines (site, mass transport, operational energy) form an
    assembly ``other`` of one product each (:func:`read_lcax` returns them
    in ``meta.other``). Build-ups computed layer by
    layer are one product per line, per unit of the line's own quantity.
    LCAx requires an EPD's dates, standard and location; the calculation does
    not know them, so they are written as unknown (``standard`` and
    ``location`` ``unknown``, dates 1970-01-01 and 9999-12-31) and the EPD's
    ``subtype`` is ``generic``: read its factor's row for the facts.
    """
    with collector_paused():
        return _write(result, path, dict(project or {}))


def _write(result, path, info: dict[str, Any]) -> dict[str, Any]:
    profile = result.profile
    scope = [m for m in MODULES if m in set(profile.modules)]
    tokens = [LCAX_MODULES[m] for m in scope]
    lines = result.lines
    n = len(lines)
    values = lines[scope].to_numpy(dtype=float) if n else np.zeros((0, len(scope)))
    layered = lines["layers"].notna().to_numpy() if "layers" in lines.columns else np.zeros(n, bool)
    quantity = np.where(layered, lines["quantity"].to_numpy(dtype=float),
                        lines["declared_quantity"].to_numpy(dtype=float))
    unit = np.where(layered, lines["unit"].to_numpy(dtype=object),
                    lines["declared_unit"].to_numpy(dtype=object))
    code, epd_rows = _epd_groups(lines, layered)
    intensity = _intensities(values, quantity, code, len(epd_rows))
    epds = _epd_objects(lines, epd_rows, intensity, tokens, profile, quantity)
    products = _product_objects(lines, values, quantity, unit, code, epds, tokens,
                                profile.reference_study_period)
    assemblies = _assemblies(lines, products, values, tokens)
    assemblies += _other_assembly(result.other, scope, tokens, profile.reference_study_period)
    doc = {
        "id": str(info.get("id") or _project_id(result)),
        "name": str(info.get("name") or result.metadata.get("input_file") or _OURS),
        "description": info.get("description"),
        "comment": None,
        "location": {"country": str(info.get("country", "nor")), "city": info.get("city"),
                     "address": info.get("address")},
        "owner": info.get("owner"),
        "formatVersion": LCAX_FORMAT_VERSION,
        "lciaMethod": info.get("lcia_method"),
        "classificationSystems": [_CLASSIFICATION],
        "referenceStudyPeriod": int(profile.reference_study_period),
        "lifeCycleModules": tokens,
        "impactCategories": ["gwp"],
        "assemblies": assemblies,
        "results": {"gwp": _module_values(result.by_module.reindex(scope).to_numpy(dtype=float),
                                          tokens)},
        "projectInfo": None,
        "projectPhase": str(info.get("phase", "other")),
        "softwareInfo": {"lcaSoftware": _OURS, "lcaSoftwareVersion": __version__,
                         "goalAndScopeDefinition": profile.name, "calculationType": None},
        "metaData": {_OURS: _present({
            "profile": profile.name,
            "bta_m2": result.bta_m2,
            "total_kg_co2e": _finite(result.total),
            "d_kg_co2e": _finite(result.d),
            "indicators": result.metadata.get("indicators"),
            "factor_table_sha256": result.metadata.get("factor_table_sha256"),
            "unmatched_lines": len(result.unmatched),
        })},
    }
    if path is not None:
        Path(path).write_text(json.dumps(doc, ensure_ascii=False, allow_nan=False),
                              encoding="utf-8")
    return doc


def _epd_groups(lines: pd.DataFrame, layered: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """EPD of each line: one per factor and scenario (transport, waste), one per build-up line.

    Returns the code of each line and, per EPD, the position of its first line.
    """
    n = len(lines)
    factor = lines["factor_id"].astype(str).to_numpy(dtype=object)
    km = lines["transport_km"].to_numpy(dtype=float) if "transport_km" in lines else np.full(n, np.nan)
    mode = (lines["transport_mode"].fillna("").astype(str).to_numpy(dtype=object)
            if "transport_mode" in lines else filled(n, ""))
    waste = lines["waste_rate"].to_numpy(dtype=float) if "waste_rate" in lines else np.full(n, np.nan)
    own = np.where(layered, np.arange(n), -1)  # a build-up is its own EPD
    keys = pd.MultiIndex.from_arrays([factor, np.nan_to_num(km, nan=-1.0), mode,
                                      np.nan_to_num(waste, nan=-1.0), own])
    code, uniques = keys.factorize()
    first = np.full(len(uniques), n, dtype=np.int64)
    np.minimum.at(first, code, np.arange(n))
    return code.astype(np.int64), first


def _intensities(values: np.ndarray, quantity: np.ndarray, code: np.ndarray, n_epd: int) -> np.ndarray:
    """Values per unit of each EPD, from the first of its lines with a quantity (0 if none has)."""
    usable = np.isfinite(quantity) & (quantity != 0)
    out = np.zeros((n_epd, values.shape[1]))
    at = np.flatnonzero(usable)
    chosen = np.full(n_epd, -1, dtype=np.int64)
    chosen[code[at[::-1]]] = at[::-1]  # the last write wins: the first usable line of each EPD
    has = chosen >= 0
    out[has] = values[chosen[has]] / quantity[chosen[has], None]
    return out


def _lcax_unit(spelling) -> str:
    return _TO_LCAX_UNIT.get(str(spelling).strip().lower(), "unknown")


def _epd_objects(lines, epd_rows, intensity, tokens, profile, quantity) -> list[dict[str, Any]]:
    """One LCAx EPD object per EPD (a loop over distinct factor scenarios, not over lines)."""
    pick = lines.iloc[epd_rows]
    factor = pick["factor_id"].astype(str).to_numpy(dtype=object)
    # the EPD id is the factor id, numbered when one factor has several scenarios
    nth = pd.Series(factor).groupby(factor).cumcount().to_numpy()
    many = pd.Series(factor).map(pd.Series(factor).value_counts()).to_numpy() > 1
    ids = np.where(many, [f"{f}~{k + 1}" for f, k in zip(factor, nth, strict=True)], factor)
    layered = pick["layers"].notna().to_numpy() if "layers" in pick.columns else np.zeros(len(pick), bool)
    unit = np.where(layered, pick["unit"].to_numpy(dtype=object),
                    pick["declared_unit"].to_numpy(dtype=object))
    q = quantity[epd_rows]
    mass = pick["mass"].to_numpy(dtype=float)
    kg_per_unit = np.where(np.isfinite(q) & (q != 0), mass / np.where(q == 0, 1.0, q), np.nan)
    names = pick["factor_name"].where(pick["factor_name"].notna(), pick["factor_id"]).astype(str)
    out = []
    columns = zip(ids, names, unit, pick["factor_source"].to_numpy(dtype=object),
                  pick["indicator"].to_numpy(dtype=object), factor, kg_per_unit,
                  _none(pick["transport_km"].to_numpy(dtype=float)),
                  pick["transport_mode"].to_numpy(dtype=object),
                  _none(pick["waste_rate"].to_numpy(dtype=float)),
                  _none(pick["replacements"].to_numpy(dtype=float)), intensity, strict=True)
    for epd_id, name, spelling, source, indicator, factor_id, kg, km, mode, waste, repl, row in columns:
        lcax_unit = _lcax_unit(spelling)
        ours = {"factor_id": factor_id, "values": "as_calculated",
                "indicator": indicator if isinstance(indicator, str) else "",
                "declared_unit": str(spelling) if lcax_unit == "unknown" else None,
                "transport_km": km,
                "transport_mode": mode if isinstance(mode, str) else None,
                "waste_rate": waste, "replacements": repl}
        out.append({
            "type": "EPD", "id": epd_id, "name": name, "declaredUnit": lcax_unit,
            "version": __version__, "publishedDate": "1970-01-01", "validUntil": "9999-12-31",
            "source": {"name": str(source), "url": None} if isinstance(source, str) else None,
            "referenceServiceLife": None, "standard": "unknown", "comment": None,
            "location": "unknown", "subtype": "generic",
            "conversions": ([{"value": float(kg), "to": "kg", "metaData": None}]
                            if math.isfinite(kg) and lcax_unit != "kg" else None),
            "impacts": {"gwp": _module_values(row, tokens)},
            "metaData": {_OURS: _present(ours)},
        })
    return out


def _product_objects(lines, values, quantity, unit, code, epds, tokens, period) -> list[dict]:
    """One LCAx product per computed line.

    Every column is converted once (numbers and text to JSON values, NaN to
    None); the loop only assembles each product's objects, and our metaData
    is filled column by column with the entries that have a value (LCAx
    takes no null inside metaData's objects).
    """
    n = len(lines)
    text = {c: _texts(lines[c]) if c in lines.columns else [None] * n
            for c in ("source_ref", "item_code", "description", "building_part", "unit",
                      "factor_id", "match_method")}
    row_id = lines["row_id"].to_numpy().tolist()
    codes, spellings = pd.factorize(pd.Series(unit, dtype=object).astype(str))
    lcax_unit = np.array([_lcax_unit(u) for u in spellings] + ["unknown"],
                         dtype=object)[codes].tolist()  # each distinct spelling once
    name = [d if d is not None else f for d, f in zip(text["description"], text["factor_id"],
                                                       strict=True)]
    metas: list[dict[str, Any]] = [{"row_id": r} for r in row_id]
    own_unit = [str(u) if lu == "unknown" else None for u, lu in zip(unit, lcax_unit, strict=True)]
    for key, column in (("source_ref", text["source_ref"]), ("item_code", text["item_code"]),
                        ("building_part", text["building_part"]),
                        ("quantity", _none(lines["quantity"].to_numpy(dtype=float))),
                        ("unit", text["unit"]), ("declared_unit", own_unit),
                        ("match_method", text["match_method"])):  # per column, not per line
        for meta, value in zip(metas, column, strict=True):
            if value is not None:
                meta[key] = value
    life = int(period)
    epd_of = [epds[c] for c in code.tolist()]
    return [
        {"type": "product", "id": f"line-{r}", "name": nm, "description": item,
         "referenceServiceLife": life, "impactData": [epd], "quantity": q, "unit": u,
         "transport": None, "results": {"gwp": dict(zip(tokens, row, strict=True))},
         "metaData": {_OURS: meta}}
        for r, nm, item, epd, q, u, row, meta in zip(
            row_id, name, text["item_code"], epd_of, _none(quantity), lcax_unit,
            values.tolist(), metas, strict=True)
    ]


def _texts(column: pd.Series) -> list:
    """A column as text, missing values as None."""
    values = column.astype(object)
    return np.where(values.notna().to_numpy(), values.astype(str).to_numpy(dtype=object),
                    None).tolist()


def _assemblies(lines, products, values, tokens) -> list[dict[str, Any]]:
    """One assembly per NS 3451 two-digit building part, as the calculation groups lines."""
    part = lines["building_part"].astype(object).where(lines["building_part"].notna(), "")
    two = part.astype(str).str.slice(0, 2).to_numpy(dtype=object)
    labels, group = np.unique(two.astype(str), return_inverse=True)
    sums = np.zeros((len(labels), values.shape[1]))
    np.add.at(sums, group, values)
    order = np.argsort(group, kind="stable")
    bounds = np.searchsorted(group[order], np.arange(len(labels) + 1))
    out = []
    for g, label in enumerate(labels):  # per building part
        members = order[bounds[g]:bounds[g + 1]]
        code = label or "unclassified"
        out.append({
            "type": "assembly", "id": f"ns3451-{code}", "name": code, "description": None,
            "comment": None, "quantity": 1.0, "unit": "pcs",
            "classification": ([{"system": _CLASSIFICATION, "code": label, "name": label}]
                               if label else None),
            "products": [products[i] for i in members.tolist()],
            "results": {"gwp": _module_values(sums[g], tokens)},
            "metaData": None,
        })
    return out


def _other_assembly(other: pd.DataFrame, scope, tokens, period) -> list[dict[str, Any]]:
    """Contributions that are not lines (site, mass transport, B6), one product each."""
    if other is None or other.empty:
        return []
    values = other.reindex(columns=scope).fillna(0.0).to_numpy(dtype=float)
    products = []
    for name, row in zip(other.index.astype(str), values, strict=True):  # a handful of rows
        impacts = {"gwp": _module_values(row, tokens)}
        epd = {"type": "EPD", "id": f"other-{name}", "name": name, "declaredUnit": "pcs",
               "version": __version__, "publishedDate": "1970-01-01", "validUntil": "9999-12-31",
               "source": None, "referenceServiceLife": None, "standard": "unknown",
               "comment": None, "location": "unknown", "subtype": "generic", "conversions": None,
               "impacts": impacts,
               "metaData": {_OURS: {"factor_id": f"other-{name}", "values": "as_calculated",
                                    "declared_unit": "stk"}}}
        products.append({"type": "product", "id": f"other-{name}", "name": name,
                         "description": None, "referenceServiceLife": int(period),
                         "impactData": [epd], "quantity": 1.0, "unit": "pcs", "transport": None,
                         "results": impacts, "metaData": {_OURS: {"kind": "other"}}})
    return [{"type": "assembly", "id": "other", "name": "other", "description": None,
             "comment": None, "quantity": 1.0, "unit": "pcs", "classification": None,
             "products": products,
             "results": {"gwp": _module_values(values.sum(axis=0), tokens)}, "metaData": None}]


def _project_id(result) -> str:
    digest = hashlib.sha256(result.by_module.to_numpy(dtype=float).tobytes())
    digest.update(str(result.metadata.get("factor_table_sha256")).encode())
    return f"{_OURS}-{digest.hexdigest()[:32]}"


def _present(entries: dict[str, Any]) -> dict[str, Any]:
    """Entries that have a value: LCAx metaData takes no null inside an object."""
    return {k: v for k, v in entries.items() if v is not None}


def _module_values(row, tokens) -> dict[str, float | None]:
    return dict(zip(tokens, _none(np.asarray(row, dtype=float)), strict=True))


def _none(values: np.ndarray) -> list:
    """Floats, NaN as None (JSON has no NaN)."""
    values = np.asarray(values, dtype=float)
    return np.where(np.isfinite(values), values, None).tolist()


def _finite(value: float) -> float | None:
    value = float(value)
    return value if math.isfinite(value) else None


def _text(value) -> str | None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return str(value)


# ============================================================================ reading


@python_strings
def read_lcax(path: str | os.PathLike, *, indicator: str = "gwp",
              limits: LcaxLimits | None = None) -> tuple[pd.DataFrame, pd.DataFrame, LcaxMetadata]:
    """Read an LCAx project into lines and a factor table that :func:`~klimafotavtrykk.calculate` recomputes.

    Parameters
    ----------
    path : path
        An LCAx project (JSON), as :func:`to_lcax` or another tool wrote it.
    indicator : str
        LCAx impact category to read: ``gwp`` (default), ``gwp_fos``,
        ``gwp_bio`` or ``gwp_lul``.
    limits : LcaxLimits, optional
        Size and nesting caps; default :class:`LcaxLimits`.

    Returns
    -------
    lines : pandas.DataFrame
        One row per product: ``row_id``, ``source_ref`` (file and JSON path),
        ``item_code``, ``description``, ``building_part`` (the product's
        NS 3451 code, else its assembly's), ``quantity`` (product × assembly
        quantity, as LCAx multiplies them), ``unit``, ``factor_id`` (its EPD)
        and ``service_life`` [a] (the product's reference service life, for
        information: the calculation does not use a line's service life).
    factors : pandas.DataFrame
        One row per EPD in the user factor schema: ``factor_id``,
        ``name_nb``, ``declared_unit``, one column per module [kg CO2e per
        declared unit] (NaN = not declared), ``indicator``, ``dataset_type``,
        a mass column from the EPD's conversion to kg, ``source``.
    meta : LcaxMetadata
        Project data, the results as written, what was skipped, and (for a
        file :func:`to_lcax` wrote) the contributions that are not lines.

    Raises
    ------
    InputError
        When the file is missing, too large, nested too deep, not JSON, or
        a field has the wrong type; the message names the file and the
        JSON path (``$.assemblies[2].products[0].quantity``).

    Notes
    -----
    ``calculate(lines, profile, factors=factors, extend=False)`` applies
    LCAx's rule, EPD values × quantity, for every module the profile
    counts: EPD values are taken as they are (a declared B4 included), no
    service life adds replacements, and the generic markup applies only to
    EPDs of subtype ``generic`` that another tool wrote (a file written by
    :func:`to_lcax` holds values with the markup already in them). An EPD
    whose declared unit has no counterpart (``m2r1``, ``unknown``) and
    products whose impact data is only a link are listed in
    ``meta.skipped``, not read. When a product names several impact data,
    the last counts, as in LCAx's calculation. Site, mass transport and B6
    of a file :func:`to_lcax` wrote come back in ``meta.other``, not as
    lines (they have no building part and no factor): the project's module
    totals are ``calculate(...).by_module + meta.other.sum()``.

    Examples
    --------
    >>> import klimafotavtrykk as kf
    >>> lines, factors, meta = kf.read_lcax("project.json")          # doctest: +SKIP
    >>> result = kf.calculate(lines, meta.profile or "en15978",
    ...                       factors=factors, extend=False)          # doctest: +SKIP
    """
    limits = limits or LcaxLimits()
    name = Path(path).name
    data = _read_bytes(Path(path), name, limits)
    _check_depth(data, name, limits.max_depth)
    with collector_paused():
        return _read(data, name, indicator, limits)


def _read(data: bytes, name: str, indicator: str, limits: LcaxLimits):
    try:
        doc = json.loads(data)
    except RecursionError:
        raise InputError("the JSON is nested too deeply", file=name,
                         expected=f"at most {limits.max_depth} levels", code="lcax_too_deep") from None
    except (UnicodeDecodeError, ValueError) as exc:
        raise InputError(f"not a JSON file: {exc}", file=name, code="lcax_not_json") from None
    reader = _Reader(name, indicator)
    _expect(doc, dict, name, "$")
    assemblies = _get(doc, "assemblies", list, name, "$")
    for a, assembly in enumerate(assemblies):
        reader.assembly(assembly, f"$.assemblies[{a}]")
    lines, factors, other = reader.frames()
    results = doc.get("results")
    by_module = None
    if isinstance(results, dict) and isinstance(results.get(indicator), dict):
        by_module = _module_series(results[indicator], name, f"$.results.{indicator}")
    ours = (doc.get("metaData") or {}).get(_OURS) if isinstance(doc.get("metaData"), dict) else None
    software = doc.get("softwareInfo") if isinstance(doc.get("softwareInfo"), dict) else {}
    location = doc.get("location") if isinstance(doc.get("location"), dict) else {}
    period = doc.get("referenceStudyPeriod")
    meta = LcaxMetadata(
        file=name,
        sha256=hashlib.sha256(data).hexdigest(),
        project={"id": doc.get("id"), "name": doc.get("name"),
                 "description": doc.get("description"),
                 "format_version": doc.get("formatVersion"),
                 "software": software.get("lcaSoftware"),
                 "lcia_method": doc.get("lciaMethod"), "country": location.get("country")},
        reference_study_period=int(period) if isinstance(period, int | float) else None,
        modules=[_OUR_MODULE[t] for t in doc.get("lifeCycleModules") or [] if t in _OUR_MODULE],
        indicator=indicator,
        results=by_module,
        profile=(ours.get("profile") if isinstance(ours, dict) else None),
        skipped=pd.DataFrame(reader.skipped, columns=["json_path", "reason", "detail"]),
        other=other,
    )
    return lines, factors, meta


def _read_bytes(path: Path, name: str, limits: LcaxLimits) -> bytes:
    try:
        size = path.stat().st_size
    except OSError:
        raise InputError("file not found", file=name, code="file_not_found") from None
    if size > limits.max_file_bytes:
        raise InputError("the LCAx file is larger than the limit", file=name,
                         expected=f"at most {limits.max_file_bytes} bytes", found=str(size),
                         code="lcax_too_large")
    with path.open("rb") as handle:
        data = handle.read(limits.max_file_bytes + 1)
    if len(data) > limits.max_file_bytes:  # grew while read
        raise InputError("the LCAx file is larger than the limit", file=name,
                         expected=f"at most {limits.max_file_bytes} bytes", code="lcax_too_large")
    return data


_ESCAPE = re.compile(rb"\\.", re.S)  # a JSON escape: a backslash and the byte after it
_STRING = re.compile(rb'"[^"]*"')  # a string, once its escapes are gone
_NOT_STRUCTURE = bytes(b for b in range(256) if b not in b'{}[]"')


def _check_depth(data: bytes, name: str, max_depth: int) -> None:
    """Refuse nesting deeper than ``max_depth`` before the parser sees it.

    Escapes are removed, then every byte but brackets and quotes, then the
    strings: what is left is the nesting alone (C-speed passes, then one
    vectorised count). Brackets inside strings do not count. Two quotes
    side by side are dropped first (an empty string, or the end of one string
    and the start of the next with no bracket between: either way no bracket
    changes sides), which leaves the regular expression little to do.
    """
    if b"\\" in data:
        data = _ESCAPE.sub(b"", data)
    structure = _STRING.sub(b"", data.translate(None, _NOT_STRUCTURE).replace(b'""', b""))
    codes = np.frombuffer(structure, dtype=np.uint8)
    step = np.isin(codes, (ord("{"), ord("["))).astype(np.int64) - np.isin(codes, (ord("}"), ord("]")))
    if len(step) and int(np.cumsum(step).max()) > max_depth:
        raise InputError("the JSON is nested too deeply", file=name,
                         expected=f"at most {max_depth} levels", code="lcax_too_deep")


def _expect(value, kind, name: str, where: str):
    if not isinstance(value, kind) or isinstance(value, bool) and kind is not bool:
        expected = {dict: "an object", list: "an array", str: "text",
                    (int, float): "a number"}.get(kind, str(kind))
        raise InputError(f"{where}: expected {expected}", file=name, sheet=where,
                         expected=expected, found=type(value).__name__, code="lcax_bad_field")
    return value


def _get(obj: dict, key: str, kind, name: str, where: str):
    if key not in obj:
        raise InputError(f"{where}: missing {key!r}", file=name, sheet=f"{where}.{key}",
                         expected=key, code="lcax_bad_field")
    return _expect(obj[key], kind, name, f"{where}.{key}")


def _number(value, name: str, where: str) -> float:
    if value is None:
        return math.nan
    return float(_expect(value, (int, float), name, where))


def _module_values_read(values: dict, name: str, where: str) -> dict[str, float]:
    """Our module name -> value (NaN = not declared) from an LCAx impact category."""
    _expect(values, dict, name, where)
    out = dict.fromkeys(MODULES, math.nan)
    for token, value in values.items():  # at most 17 modules
        if token in _OUR_MODULE:
            out[_OUR_MODULE[token]] = _number(value, name, f"{where}.{token}")
    return out


def _module_series(values: dict, name: str, where: str) -> pd.Series:
    return pd.Series(_module_values_read(values, name, where),
                     index=pd.Index(MODULES, name="module"), name="kg_co2e")


class _Reader:
    """Collects products and EPDs while walking the project (a parse, once per object)."""

    def __init__(self, name: str, indicator: str):
        self.name, self.indicator = name, indicator
        self.rows: dict[str, list] = {c: [] for c in (
            "row_id", "source_ref", "item_code", "description", "building_part", "quantity",
            "unit", "factor_id", "service_life")}
        self.epds: dict[str, dict[str, Any]] = {}
        self.raw: dict[str, tuple[dict, str | None]] = {}  # EPD id -> (object read, factor id)
        self.skipped: list[tuple[str, str, str]] = []
        self.contributions: dict[str, dict[str, float]] = {}
        self.where: list[str] = []  # JSON path of each line, for what frames() drops

    def assembly(self, assembly, where: str) -> None:
        _expect(assembly, dict, self.name, where)
        if assembly.get("type") == "reference":
            self.skipped.append((where, "reference", str(assembly.get("uri"))))
            return
        a_qty = _number(assembly.get("quantity", 1.0), self.name, f"{where}.quantity")
        part = None
        for c, item in enumerate(assembly.get("classification") or []):
            _expect(item, dict, self.name, f"{where}.classification[{c}]")
            if "3451" in str(item.get("system", "")):
                part = _text(item.get("code"))
        for p, product in enumerate(_get(assembly, "products", list, self.name, where)):
            self.product(product, f"{where}.products[{p}]", a_qty, part)

    def product(self, product, where: str, a_qty: float, part: str | None) -> None:
        _expect(product, dict, self.name, where)
        if product.get("type") == "reference":
            self.skipped.append((where, "reference", str(product.get("uri"))))
            return
        data = _get(product, "impactData", list, self.name, where)
        if not data:
            self.skipped.append((where, "no_impact_data", ""))
            return
        epd = _expect(data[-1], dict, self.name, f"{where}.impactData[{len(data) - 1}]")
        if epd.get("type") == "reference":
            self.skipped.append((where, "reference", str(epd.get("uri"))))
            return
        ours = _ours(product)
        if ours.get("kind") == "other":  # a contribution to_lcax wrote, not a line
            self.other(product, epd, where)
            return
        factor_id = self.epd(epd, f"{where}.impactData[{len(data) - 1}]")
        if factor_id is None:
            self.skipped.append((where, "unknown_unit", str(epd.get("declaredUnit"))))
            return
        lcax_unit = _get(product, "unit", str, self.name, where)
        unit = _FROM_LCAX_UNIT.get(lcax_unit) or ours.get("declared_unit")
        rows = self.rows
        self.where.append(where)
        rows["row_id"].append(ours.get("row_id", len(rows["row_id"])))
        rows["source_ref"].append(ours.get("source_ref") or f"[{self.name}]{where}")
        rows["item_code"].append(ours.get("item_code"))
        rows["description"].append(_text(product.get("name")))
        rows["building_part"].append(ours.get("building_part") or part)
        rows["quantity"].append(_number(product.get("quantity"), self.name, f"{where}.quantity")
                                * a_qty)
        rows["unit"].append(unit)
        rows["factor_id"].append(factor_id)
        rows["service_life"].append(
            _number(product.get("referenceServiceLife"), self.name, f"{where}.referenceServiceLife"))

    def other(self, product: dict, epd: dict, where: str) -> None:
        """Keep a contribution that is not a line: its EPD values × quantity, per module."""
        impacts = _get(epd, "impacts", dict, self.name, where).get(self.indicator)
        values = (_module_values_read(impacts, self.name, f"{where}.impacts.{self.indicator}")
                  if impacts is not None else dict.fromkeys(MODULES, math.nan))
        quantity = _number(product.get("quantity"), self.name, f"{where}.quantity")
        self.contributions[str(product.get("name"))] = {m: v * quantity for m, v in values.items()}

    def epd(self, epd: dict, where: str) -> str | None:
        """The factor id of an EPD, reading it the first time it is seen."""
        epd_id = str(_get(epd, "id", str, self.name, where))
        known_raw = self.raw.get(epd_id)
        if known_raw is not None and known_raw[0] == epd:  # the same EPD again (compared in C)
            return known_raw[1]
        ours = _ours(epd)
        lcax_unit = _get(epd, "declaredUnit", str, self.name, where)
        unit = _FROM_LCAX_UNIT.get(lcax_unit) or ours.get("declared_unit")
        if unit is None:
            self.raw.setdefault(epd_id, (epd, None))
            return None
        impacts = _get(epd, "impacts", dict, self.name, where)
        values = impacts.get(self.indicator)
        modules = (_module_values_read(values, self.name, f"{where}.impacts.{self.indicator}")
                   if values is not None else dict.fromkeys(MODULES, math.nan))
        as_calculated = ours.get("values") == "as_calculated"
        subtype = str(epd.get("subtype", "generic"))
        row = {"factor_id": epd_id, "name_nb": _text(epd.get("name")), "declared_unit": unit,
               **modules,
               "indicator": (ours["indicator"] if isinstance(ours.get("indicator"), str)
                             else _INDICATOR.get(self.indicator, self.indicator)),
               "dataset_type": ("product_epd" if as_calculated
                                else _DATASET_TYPE.get(subtype, "industry_epd")),
               "source": _source(epd, self.name)}
        for c, conversion in enumerate(epd.get("conversions") or []):
            _expect(conversion, dict, self.name, f"{where}.conversions[{c}]")
            if conversion.get("to") == "kg" and unit in _MASS_COLUMN:
                row[_MASS_COLUMN[unit]] = _number(conversion.get("value"), self.name,
                                                  f"{where}.conversions[{c}].value")
        known = self.epds.get(epd_id)
        if known is not None and not _same(known, row):
            # another EPD under the same id: keep both, the later one numbered
            epd_id = f"{epd_id}~{sum(k.split('~')[0] == epd_id for k in self.epds) + 1}"
            row["factor_id"] = epd_id
        self.epds.setdefault(epd_id, row)
        self.raw.setdefault(str(epd["id"]), (epd, epd_id))
        return epd_id

    def frames(self) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
        """Lines, factors (EPDs of a unit no factor can be declared per left out) and contributions."""
        lines = pd.DataFrame(self.rows)
        lines["quantity"] = lines["quantity"].astype(float)
        lines["service_life"] = lines["service_life"].astype(float)
        factors = pd.DataFrame(list(self.epds.values()))
        if factors.empty:
            factors = pd.DataFrame(columns=["factor_id", "declared_unit", *MODULES, "source"])
        units = parse_units(pd.unique(factors["declared_unit"].astype(str)))
        refused = units.index[~declarable_units(units)]
        if len(refused):  # per distinct unit, then one isin per frame
            bad = factors["declared_unit"].astype(str).isin(refused).to_numpy()
            unit_of = dict(zip(factors["factor_id"], factors["declared_unit"], strict=True))
            drop = lines["factor_id"].isin(factors["factor_id"][bad]).to_numpy()
            where = np.asarray(self.where, dtype=object)[drop]
            self.skipped += [(w, "unit_not_declarable", str(unit_of[f]))
                             for w, f in zip(where, lines["factor_id"][drop], strict=True)]
            factors = factors.loc[~bad].reset_index(drop=True)
            lines = lines.loc[~drop].reset_index(drop=True)
        other = pd.DataFrame.from_dict(self.contributions, orient="index",
                                       columns=list(MODULES)).astype(float)
        other.columns.name, other.index.name = "module", "contribution"
        return lines, factors, other


def _ours(obj: dict) -> dict:
    meta = obj.get("metaData")
    ours = meta.get(_OURS) if isinstance(meta, dict) else None
    return ours if isinstance(ours, dict) else {}


def _source(epd: dict, name: str) -> str:
    source = epd.get("source")
    if isinstance(source, dict) and source.get("name"):
        return str(source["name"])
    return f"LCAx EPD {epd.get('id')} in {name}"


def _same(a: dict, b: dict) -> bool:
    return all((x == y) or (isinstance(x, float) and isinstance(y, float) and math.isnan(x)
                            and math.isnan(y)) for x, y in ((a.get(k), b.get(k)) for k in a | b))
