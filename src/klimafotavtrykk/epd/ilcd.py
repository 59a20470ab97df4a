"""ILCD+EPD XML: a process dataset, alone or zipped with its flows (ÖKOBAUDAT, soda4LCA exports).

The declared unit comes from the reference flow: the process names an
exchange (``quantitativeReference/referenceToReferenceFlow``), the exchange
names a flow dataset and an amount (``meanAmount``), and the flow dataset
names its reference flow property (``referenceToReferenceFlowProperty``) with
a value (``meanValue``). Declared unit = amount x value x the property's unit
(``data/epd/flow_properties.csv``), so a reference of 1000 kg is per tonne
whether the 1000 sits in the exchange or in the flow property. The flow
dataset is in the zip (``flows/<uuid>*.xml``); a process file alone does not
say its unit, and is refused.

GWP values sit in ``LCIAResults/LCIAResult``: the LCIA method's UUID says the
indicator (``data/epd/indicators.csv``), ``epd:amount`` elements carry
``epd:module`` and, when split, ``epd:scenario``; ``epd:scenarios`` lists
scenario names and which is the default.
"""

from __future__ import annotations

import math
import re
from xml.etree.ElementTree import Element

from klimafotavtrykk.epd._files import Source, local, parse_xml
from klimafotavtrykk.epd._model import (
    Declaration,
    Result,
    epd_error,
    flow_property_table,
    indicator_table,
    parse_value,
)

__all__ = ["read_ilcd"]

_YEAR = re.compile(r"^\d{4}$")


def _find(element: Element | None, *path: str) -> Element | None:
    """First descendant following ``path`` by local names (namespaces ignored)."""
    for name in path:
        if element is None:
            return None
        element = next((c for c in element if local(c.tag) == name), None)
    return element


def _all(element: Element | None, name: str) -> list[Element]:
    return [] if element is None else [c for c in element.iter() if local(c.tag) == name]


def _text(element: Element | None) -> str:
    return "" if element is None or element.text is None else element.text.strip()


def _attr(element: Element, name: str) -> str | None:
    for key, value in element.attrib.items():
        if local(key) == name:
            return value
    return None


def _name(names: list[Element]) -> str:
    by_lang = {_attr(n, "lang"): _text(n) for n in names if _text(n)}
    return by_lang.get("en") or by_lang.get("no") or by_lang.get("nb") or next(
        iter(by_lang.values()), "")


def _number(text: str, what: str, label: str, file: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise epd_error(f"{label}: {what} is {text!r}, not a number", file,
                        "epd_reference_flow", found=f"{what}: {text!r}") from None
    if not math.isfinite(value) or value <= 0:
        raise epd_error(f"{label}: {what} is {text!r}, not a positive number", file,
                        "epd_reference_flow", found=f"{what}: {text!r}")
    return value


def read_ilcd(source: Source) -> Declaration:
    """Read an ILCD+EPD process dataset (XML, or the one process of a zip).

    Parameters
    ----------
    source : Source
        From :func:`klimafotavtrykk.epd._files.open_source`.

    Returns
    -------
    Declaration

    Raises
    ------
    InputError
        Naming the dataset: not a process dataset (``epd_format``), the
        reference flow missing or broken (``epd_reference_flow``), the
        declared unit not derivable (``epd_declared_unit``).
    """
    file = source.file
    root = parse_xml(source.document, file)
    if local(root.tag) != "processDataSet":
        raise epd_error(f"the XML is a {local(root.tag)}, not an ILCD process dataset", file,
                        "epd_format", expected="processDataSet", found=local(root.tag))
    info = _find(root, "processInformation", "dataSetInformation")
    uuid = _text(_find(info, "UUID"))
    name = _name(_all(_find(info, "name"), "baseName")) or uuid or file
    registration = next((_text(e) for e in _all(root, "registrationNumber") if _text(e)), "")
    label = f"{name} ({registration or uuid})" if registration or uuid else name

    reference = _text(_find(root, "processInformation", "quantitativeReference",
                            "referenceToReferenceFlow"))
    exchange = next((e for e in _all(_find(root, "exchanges"), "exchange")
                     if reference and e.get("dataSetInternalID") == reference), None)
    if exchange is None:
        raise epd_error(f"{label}: the reference flow {reference or '(none)'} names no exchange",
                        file, "epd_reference_flow", found=reference or "none")
    flow_ref = _find(exchange, "referenceToFlowDataSet")
    flow_id = "" if flow_ref is None else (flow_ref.get("refObjectId") or "")
    amount = _number(_text(_find(exchange, "meanAmount")) or "1", "meanAmount of the reference "
                     "exchange", label, file)
    unit, per_unit, mass_per_unit, notes = _reference_unit(source, flow_id, label)
    declared_amount = amount * per_unit
    mass = declared_amount * mass_per_unit if mass_per_unit == mass_per_unit else math.nan

    table = indicator_table()
    results: list[Result] = []
    standards: list[str] = []
    for lcia in _all(_find(root, "LCIAResults"), "LCIAResult"):
        method = _find(lcia, "referenceToLCIAMethodDataSet")
        known = table.get(("ilcd", "" if method is None else method.get("refObjectId") or ""))
        if known is None:
            continue
        token, standard = known
        standards.append(standard)
        for amount_element in _all(lcia, "amount"):
            module = _attr(amount_element, "module")
            if module is None:
                continue
            results.append(Result(token, module, _attr(amount_element, "scenario"),
                                  parse_value(amount_element.text, label, module, file)))
    scenarios, defaults, groups = [], [], []
    for element in _all(_find(root, "processInformation"), "scenario"):
        scenario = _attr(element, "name")
        if scenario:
            scenarios.append(scenario)
            if _attr(element, "group"):
                groups.append((scenario, _attr(element, "group")))
            if (_attr(element, "default") or "").lower() == "true":
                defaults.append(scenario)
    valid, valid_note = _valid_until(root)
    return Declaration(
        name=name, epd_id=registration, uuid=uuid, format="ilcd", file=file,
        sha256=source.sha256, declared_amount=declared_amount, declared_unit=unit, mass=mass,
        valid_until=valid, valid_until_note=valid_note,
        standard="EN 15804+A2" if "EN 15804+A2" in standards else (standards[0] if standards
                                                                  else ""),
        results=tuple(results), scenarios=tuple(scenarios), default_scenarios=tuple(defaults),
        scenario_groups=tuple(groups),
        notes=tuple(notes))


def _reference_unit(source: Source, flow_id: str, label: str) -> tuple[str, float, float, list]:
    """Declared base unit, reference-property value, kg per unit of it, notes."""
    file = source.file
    if not flow_id:
        raise epd_error(f"{label}: the reference exchange names no flow dataset", file,
                        "epd_reference_flow", found="referenceToFlowDataSet missing")
    member = next((m for m in source.members
                   if re.search(r"(?:^|/)flows/" + re.escape(flow_id) + r"[^/]*\.xml$",
                                m.replace("\\", "/"), re.IGNORECASE)), None)
    if member is None or source.read_member is None:
        raise epd_error(
            f"{label}: the declared unit cannot be derived: the reference flow dataset "
            f"{flow_id} is not in the file (read the zip export with its flows)", file,
            "epd_declared_unit", expected=f"flows/{flow_id}.xml", found="process dataset only")
    flow = parse_xml(source.read_member(member), file)
    wanted = _text(_find(flow, "flowInformation", "quantitativeReference",
                         "referenceToReferenceFlowProperty"))
    properties = _all(_find(flow, "flowProperties"), "flowProperty")
    chosen = next((p for p in properties if p.get("dataSetInternalID") == wanted), None)
    if chosen is None:
        raise epd_error(f"{label}: the reference flow {flow_id} names no reference flow property",
                        file, "epd_reference_flow", found=wanted or "none")
    units = flow_property_table()
    property_id = (_find(chosen, "referenceToFlowPropertyDataSet").get("refObjectId", "")
                   if _find(chosen, "referenceToFlowPropertyDataSet") is not None else "")
    known = units.get(property_id)
    if known is None:
        raise epd_error(f"{label}: the declared unit cannot be derived: flow property "
                        f"{property_id or '(none)'} is not mass, volume, area, length or items",
                        file, "epd_declared_unit", expected="a flow property of "
                        "data/epd/flow_properties.csv", found=property_id or "none")
    value = _number(_text(_find(chosen, "meanValue")) or "1", "meanValue of the reference flow "
                    "property", label, file)
    mass_id = next(k for k, (_, unit) in units.items() if unit == "kg")
    mass = math.nan
    for prop in properties:
        ref = _find(prop, "referenceToFlowPropertyDataSet")
        if ref is not None and ref.get("refObjectId") == mass_id and prop is not chosen:
            text = _text(_find(prop, "meanValue"))
            try:
                mass = float(text) / value
            except ValueError:
                mass = math.nan
    return known[1], value, mass, []


def _valid_until(root: Element) -> tuple[str, str]:
    """The EPD's last valid day: ``expirationDateOfEPD`` if given, else the year's last day."""
    time = _find(root, "processInformation", "time")
    expiry = next((_text(e) for e in _all(time, "expirationDateOfEPD") if _text(e)), "")
    if expiry:
        return expiry[:10], ""
    year = _text(_find(time, "dataSetValidUntil"))
    if _YEAR.match(year):
        return f"{year}-12-31", (f"valid until: the file gives the year {year} only "
                                 "(dataSetValidUntil), read as 31 December")
    return "", "the file gives no validity date"
