"""soda4LCA JSON: the ILCD+EPD process dataset as soda4LCA nodes serve it (``?format=JSON``).

The structure follows the XML (``processInformation``, ``exchanges``,
``LCIAResults``), with two differences that matter here: the reference
exchange carries its flow properties inline (``flowProperties``, one marked
``referenceFlowProperty`` with ``meanValue`` and ``referenceUnit``), so the
declared unit is derived without the flow dataset; and the module values sit
in ``LCIAResult/other/anies`` as objects with ``module``, ``value`` and, when
split, ``scenario``.
"""

from __future__ import annotations

import datetime
import math

from klimafotavtrykk.epd._files import Source, parse_json
from klimafotavtrykk.epd._model import (
    Declaration,
    Result,
    epd_error,
    flow_property_table,
    indicator_table,
    parse_value,
)

__all__ = ["read_soda4lca", "is_soda4lca"]


def is_soda4lca(document) -> bool:
    """Whether a parsed JSON document is a soda4LCA process dataset."""
    return isinstance(document, dict) and isinstance(document.get("processInformation"), dict)


def _get(node, *path):
    for key in path:
        if not isinstance(node, dict):
            return None
        node = node.get(key)
    return node


def _name(values) -> str:
    if not isinstance(values, list):
        return ""
    by_lang = {v.get("lang"): str(v.get("value", "")).strip() for v in values
               if isinstance(v, dict) and v.get("value")}
    return by_lang.get("en") or by_lang.get("no") or next(iter(by_lang.values()), "")


def _positive(value, what: str, label: str, file: str) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        number = math.nan
    if not math.isfinite(number) or number <= 0:
        raise epd_error(f"{label}: {what} is {value!r}, not a positive number", file,
                        "epd_reference_flow", found=f"{what}: {value!r}")
    return number


def read_soda4lca(source: Source, document=None) -> Declaration:
    """Read a soda4LCA JSON process dataset.

    Parameters
    ----------
    source : Source
    document : dict, optional
        The parsed JSON, when already parsed.

    Returns
    -------
    Declaration

    Raises
    ------
    InputError
        Naming the dataset: reference flow missing or broken
        (``epd_reference_flow``), declared unit not derivable
        (``epd_declared_unit``).
    """
    file = source.file
    data = parse_json(source.document, file) if document is None else document
    info = _get(data, "processInformation", "dataSetInformation") or {}
    uuid = str(info.get("UUID", "") or "")
    name = _name(_get(info, "name", "baseName")) or uuid or file
    registration = str(_get(data, "administrativeInformation", "publicationAndOwnership",
                            "registrationNumber") or "")
    label = f"{name} ({registration or uuid})" if registration or uuid else name

    references = _get(data, "processInformation", "quantitativeReference",
                      "referenceToReferenceFlow")
    reference = references[0] if isinstance(references, list) and references else references
    exchanges = _get(data, "exchanges", "exchange") or []
    exchange = next((e for e in exchanges if isinstance(e, dict) and reference is not None
                     and str(e.get("dataSetInternalID")) == str(reference)), None)
    if exchange is None:
        raise epd_error(f"{label}: the reference flow {reference!r} names no exchange", file,
                        "epd_reference_flow", found=str(reference))
    properties = [p for p in exchange.get("flowProperties") or [] if isinstance(p, dict)]
    chosen = next((p for p in properties if p.get("referenceFlowProperty") is True), None)
    if chosen is None:
        raise epd_error(f"{label}: the declared unit cannot be derived: the reference exchange "
                        "marks no reference flow property", file, "epd_declared_unit",
                        expected="flowProperties with referenceFlowProperty", found="none")
    units = flow_property_table()
    known = units.get(str(chosen.get("uuid", "")))
    if known is None:
        raise epd_error(f"{label}: the declared unit cannot be derived: flow property "
                        f"{chosen.get('uuid')!r} ({chosen.get('referenceUnit')!r}) is not mass, "
                        "volume, area, length or items", file, "epd_declared_unit",
                        found=str(chosen.get("referenceUnit")))
    amount = _positive(exchange.get("meanAmount", 1), "meanAmount of the reference exchange",
                       label, file)
    value = _positive(chosen.get("meanValue", 1), "meanValue of the reference flow property",
                      label, file)
    declared_amount = amount * value
    mass_id = next(k for k, (_, unit) in units.items() if unit == "kg")
    mass = math.nan
    for prop in properties:
        if prop is not chosen and str(prop.get("uuid")) == mass_id:
            try:
                mass = declared_amount * float(prop.get("meanValue")) / value
            except (TypeError, ValueError):
                mass = math.nan

    table = indicator_table()
    results: list[Result] = []
    standards: list[str] = []
    scenarios: list[str] = []
    for lcia in _get(data, "LCIAResults", "LCIAResult") or []:
        method = str(_get(lcia, "referenceToLCIAMethodDataSet", "refObjectId") or "")
        known_indicator = table.get(("ilcd", method))
        if known_indicator is None:
            continue
        token, standard = known_indicator
        standards.append(standard)
        for entry in _get(lcia, "other", "anies") or []:
            if not isinstance(entry, dict) or "module" not in entry:
                continue
            module = str(entry["module"])
            scenario = entry.get("scenario")
            if scenario is not None:
                scenario = str(scenario)
                scenarios.append(scenario)
            results.append(Result(token, module, scenario,
                                  parse_value(entry.get("value"), label, module, file)))
    valid, note = _valid_until(data)
    return Declaration(
        name=name, epd_id=registration, uuid=uuid, format="soda4lca", file=file,
        sha256=source.sha256, declared_amount=declared_amount, declared_unit=known[1], mass=mass,
        valid_until=valid, valid_until_note=note,
        standard="EN 15804+A2" if "EN 15804+A2" in standards else (standards[0] if standards
                                                                  else ""),
        results=tuple(results), scenarios=tuple(dict.fromkeys(scenarios)))


def _valid_until(data) -> tuple[str, str]:
    time = _get(data, "processInformation", "time") or {}
    for entry in _get(time, "other", "anies") or []:
        if isinstance(entry, dict) and entry.get("name") == "expirationDateOfEPD":
            value = entry.get("value")
            if isinstance(value, int | float) and not isinstance(value, bool):  # epoch [ms]
                day = datetime.datetime.fromtimestamp(value / 1000, tz=datetime.UTC).date()
                return day.isoformat(), ""
            if isinstance(value, str) and value:
                return value[:10], ""
    year = str(time.get("dataSetValidUntil", "") or "")
    if year.isdigit() and len(year) == 4:
        return f"{year}-12-31", (f"valid until: the file gives the year {year} only "
                                 "(dataSetValidUntil), read as 31 December")
    return "", "the file gives no validity date"
