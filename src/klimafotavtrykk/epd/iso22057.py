"""EN ISO 22057 JSON, as EPD-Norge's digital EPDs (pilot) are published.

A document holds ``subScenarios`` (groups of named items with a ``value``:
"EPD registration number", "product name", "data set valid until",
"core PCR", and in "Reference unit and RSL" the reference quantity per
dimension and the mass conversion factor) and ``subIndicators`` (groups of
named indicators, each with ``values``: module ``name`` such as ``A1`` or
``D1``, and ``value`` as text, ``INA``/``MND`` when not declared).

The declared unit is the one reference quantity (mass, volume, area, length
or item) the file fills; none or several filled cannot be read as a unit, and
the file is refused.
"""

from __future__ import annotations

import datetime
import math

from klimafotavtrykk.epd._files import Source, parse_json
from klimafotavtrykk.epd._model import Declaration, Result, epd_error, indicator_table, parse_value

__all__ = ["read_iso22057", "is_iso22057"]

#: Reference-quantity items and the base unit each declares.
_QUANTITIES = {"reference quantity (mass)": "kg", "reference quantity (volume)": "m3",
               "reference quantity (area)": "m2", "reference quantity (length)": "m",
               "reference quantity (item)": "stk"}


def is_iso22057(document) -> bool:
    """Whether a parsed JSON document has the ISO 22057 data-template layout."""
    return isinstance(document, dict) and isinstance(document.get("subIndicators"), list)


def _items(document) -> dict[str, str]:
    items: dict[str, str] = {}
    for group in document.get("subScenarios") or []:
        for item in (group or {}).get("subScenarioItems") or []:
            if isinstance(item, dict) and item.get("name"):
                key = str(item["name"]).strip().lower()
                value = item.get("value")
                items.setdefault(key, "" if value is None else str(value).strip())
    return items


def read_iso22057(source: Source, document=None) -> Declaration:
    """Read an ISO 22057 JSON EPD.

    Returns
    -------
    Declaration

    Raises
    ------
    InputError
        Naming the dataset: ``epd_declared_unit`` when not exactly one
        reference quantity is filled, or it is not a positive number.
    """
    file = source.file
    data = parse_json(source.document, file) if document is None else document
    items = _items(data)
    name = items.get("product name", "") or file
    registration = items.get("epd registration number", "")
    label = f"{name} ({registration})" if registration else name
    filled = {unit: items[key] for key, unit in _QUANTITIES.items() if items.get(key, "")}
    if len(filled) != 1:
        raise epd_error(f"{label}: the declared unit cannot be derived: "
                        f"{len(filled)} reference quantities are filled", file,
                        "epd_declared_unit", expected="exactly one reference quantity",
                        found=", ".join(f"{u}={v}" for u, v in filled.items()) or "none")
    unit, text = next(iter(filled.items()))
    try:
        amount = float(text)
    except ValueError:
        amount = math.nan
    if not math.isfinite(amount) or amount <= 0:
        raise epd_error(f"{label}: the reference quantity is {text!r}, not a positive number",
                        file, "epd_declared_unit", found=text)
    try:
        mass = float(items.get("mass conversion factor", "") or "nan")  # [kg per declared unit]
    except ValueError:
        mass = math.nan

    table = indicator_table()
    results: list[Result] = []
    standards: list[str] = []
    for group in data.get("subIndicators") or []:
        for indicator in (group or {}).get("subIndicatorItems") or []:
            known = table.get(("iso22057", str(indicator.get("name", "")).strip().lower()))
            if known is None:
                continue
            token, standard = known
            standards.append(standard)
            for value in indicator.get("values") or []:
                module = str(value.get("name", ""))
                results.append(Result(token, module, None,
                                      parse_value(value.get("value"), label, module, file)))
    pcr = items.get("core pcr", "")
    standard = ("EN 15804+A2" if "A2" in pcr else "EN 15804+A1" if "A1" in pcr else
                "EN 15804+A2" if "EN 15804+A2" in standards else "")
    valid, note = _date(items.get("data set valid until", ""))
    return Declaration(
        name=name, epd_id=registration, uuid="", format="iso22057", file=file,
        sha256=source.sha256, declared_amount=amount, declared_unit=unit, mass=mass,
        valid_until=valid, valid_until_note=note, standard=standard, results=tuple(results))


def _date(text: str) -> tuple[str, str]:
    """``4/19/2026 12:00:00 AM`` (as the pilot writes it) or ISO ``2026-04-19`` -> ISO date."""
    if not text:
        return "", "the file gives no validity date"
    day = text.split()[0]
    for layout in ("%Y-%m-%d", "%m/%d/%Y"):
        try:
            return datetime.datetime.strptime(day[:10], layout).date().isoformat(), ""
        except ValueError:
            continue
    return "", f"validity date {text!r} not read"
