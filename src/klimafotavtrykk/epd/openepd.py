"""openEPD JSON (EC3, Building Transparency).

An EPD document gives ``declared_unit`` (``qty`` and ``unit``),
``kg_per_declared_unit``, ``valid_until``, ``program_operator_doc_id`` (the
registration number) and ``impacts``: per LCIA method (``EF 3.1``,
``EF 3.0``, ``IPCC AR5`` ...) an impact set whose keys name the indicator
(``gwp``, ``gwp-fossil``, ``gwp-biogenic``, ``GWP_GHG``), each a scope set:
``A1A2A3``, ``A1`` ... ``D`` as measurements (``mean``, ``unit``), and
``C_scenarios`` with named end-of-life scenarios carrying ``C1`` ... ``D``.
A scope left out is "not declared".
"""

from __future__ import annotations

import math

from klimafotavtrykk.epd._files import Source, parse_json
from klimafotavtrykk.epd._model import Declaration, Result, epd_error, indicator_table, parse_value

__all__ = ["read_openepd", "is_openepd"]

#: LCIA methods preferred when a document gives several (EN 15804+A2 uses EF 3.x).
_METHODS = ("EF 3.1", "EF 3.0", "EF 2.0")
_SCOPES = ("A1A2A3", "A1", "A2", "A3", "A4", "A5", "B1", "B2", "B3", "B4", "B5", "B6", "B7",
           "C1", "C2", "C3", "C4", "D")


def is_openepd(document) -> bool:
    """Whether a parsed JSON document looks like an openEPD declaration."""
    return isinstance(document, dict) and ("impacts" in document or "declared_unit" in document)


def _mean(measurement):
    return measurement.get("mean") if isinstance(measurement, dict) else measurement


def read_openepd(source: Source, document=None) -> Declaration:
    """Read an openEPD JSON document.

    Returns
    -------
    Declaration

    Raises
    ------
    InputError
        Naming the dataset: ``epd_declared_unit`` when ``declared_unit`` is
        missing or not a unit of mass, volume, area, length or pieces.
    """
    from klimafotavtrykk.units import parse_units

    file = source.file
    data = parse_json(source.document, file) if document is None else document
    name = str(data.get("product_name") or data.get("name") or data.get("id") or file)
    registration = str(data.get("program_operator_doc_id") or "")
    uuid = str(data.get("id") or "")
    label = f"{name} ({registration or uuid})" if registration or uuid else name
    unit = data.get("declared_unit") or {}
    qty, spelling = unit.get("qty"), str(unit.get("unit") or "").strip()
    parsed = parse_units([spelling]).iloc[0] if spelling else None
    base = {"mass": "kg", "volume": "m3", "area": "m2", "length": "m", "piece": "stk"}
    try:
        qty = float(qty)
    except (TypeError, ValueError):
        qty = math.nan
    if parsed is None or not parsed["known"] or parsed["dimension"] not in base or not (
            math.isfinite(qty) and qty > 0):
        raise epd_error(f"{label}: the declared unit cannot be derived from declared_unit "
                        f"{unit!r}", file, "epd_declared_unit",
                        expected="declared_unit with qty > 0 and a unit of mass, volume, area, "
                        "length or pieces", found=repr(unit)[:80])
    amount = qty * float(parsed["scale"])
    mass_node = data.get("kg_per_declared_unit") or {}
    try:
        mass = float(mass_node.get("qty")) if isinstance(mass_node, dict) else math.nan
    except (TypeError, ValueError):
        mass = math.nan
    if isinstance(mass_node, dict) and str(mass_node.get("unit") or "kg").strip() not in ("kg",):
        mass = math.nan

    impacts = data.get("impacts") or {}
    methods = [m for m in _METHODS if m in impacts] + [m for m in impacts if m not in _METHODS]
    table = indicator_table()
    results: list[Result] = []
    standards: list[str] = []
    notes: list[str] = []
    taken: set[str] = set()
    scenarios: list[str] = []
    for method in methods:
        impact_set = impacts.get(method) or {}
        if not isinstance(impact_set, dict):
            continue
        for key, scopes in impact_set.items():
            known = table.get(("openepd", key))
            if known is None or not isinstance(scopes, dict) or known[0] in taken:
                continue
            token, standard = known
            taken.add(token)
            standards.append(standard)
            notes.append(f"{token} from LCIA method {method}")
            for scope in _SCOPES:
                if scope in scopes:
                    results.append(Result(token, scope, None,
                                          parse_value(_mean(scopes[scope]), label, scope, file)))
            for scenario in scopes.get("C_scenarios") or []:
                if not isinstance(scenario, dict):
                    continue
                title = str(scenario.get("name") or "")
                scenarios.append(title)
                for scope in ("C1", "C2", "C3", "C4", "D"):
                    if scope in scenario:
                        results.append(Result(token, scope, title, parse_value(
                            _mean(scenario[scope]), label, scope, file)))
    compliance = " ".join(str(c.get("short_name") or c.get("name") or "")
                          for c in data.get("compliance") or [] if isinstance(c, dict))
    standard = ("EN 15804+A2" if "A2" in compliance else "EN 15804+A1" if "A1" in compliance
                else "EN 15804+A2" if "EN 15804+A2" in standards else "")
    valid = str(data.get("valid_until") or "")[:10]
    return Declaration(
        name=name, epd_id=registration, uuid=uuid, format="openepd", file=file,
        sha256=source.sha256, declared_amount=amount, declared_unit=base[parsed["dimension"]],
        mass=mass, valid_until=valid,
        valid_until_note="" if valid else "the file gives no validity date",
        standard=standard, results=tuple(results), scenarios=tuple(dict.fromkeys(scenarios)),
        notes=tuple(notes))
