"""A signed contract, read from ``kontrakt.toml``: what the winning bid promised.

One file names the contract, the winning bid workbook (read with
:func:`klimafotavtrykk.tender.reader.read_bid`), the contract sum, the first
and last month of the works, optionally the contract's climate budget and
the competition the bid was scored under, and the bonus or deduction rules
(``[[rules]]``), each parameter with its source.

File layout::

    name = "Eksempelskolen, totalentreprise"
    bid = "../anbud/bud/d_nordlys.xlsx"      # relative to this file
    contract_sum_nok = 94000000              # [NOK]
    start = "2025-06"                        # first month of the works
    end = "2026-01"                          # last month of the works
    # climate_budget_kg = 880000             # [kg CO2e]; default: what the bid promised
    # competition = "../anbud/konkurranse.toml"
    # accepted_epds = ["NEPD-1234-567-NO"]   # EPDs below the plausible range the client accepted
    # quantity_tolerance = 0.05              # share of a promised material quantity that may go
    #                                        # unreported at the end; default 0 (rounding only)

    [sources]                                # optional: where a top-level value comes from
    contract_sum_nok = "Kontrakt 2025-03, pkt. 4"

    [[rules]]
    kind = "budget_share"                    # one of RULE_KINDS
    [rules.parameters]
    bonus_rate = 0.10
    [rules.sources]                          # one per parameter, never left out
    bonus_rate = "Statens vegvesen klimabonus, reported as 10 % of the climate result"

A rule parameter without a source is refused, naming the file and the key
(``rules[0].sources.bonus_rate``); "client" is a source only when the file
says so. No rule is a default: a contract without ``[[rules]]`` has none.

Machines promised (:func:`promised_machines`): every row of the bid's site
sheet, in sheet order, gets the id ``M1``, ``M2`` …; the monthly report
template is pre-filled with these ids, so a month's row names the promise it
reports against.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import tomllib
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from klimafotavtrykk.errors import InputError
from klimafotavtrykk.followup.model import (
    PROMISE_MACHINE_COLUMNS,
    PROMISE_MATERIAL_COLUMNS,
    RULE_KINDS,
    Contract,
    Rule,
)
from klimafotavtrykk.toml_guard import nesting_exceeds

__all__ = ["load_contract", "promised_machines", "promised_materials", "emission_free_carriers",
           "CONTRACT_SOURCE", "MACHINE_ID_PREFIX"]

#: Source recorded for a top-level value the file states without a ``[sources]`` entry:
#: the contract itself.
CONTRACT_SOURCE = "contract"
#: Prefix of the machine ids given to the bid's site rows, numbered from 1 in sheet order.
MACHINE_ID_PREFIX = "M"

#: Top-level keys: kind of value, required.
_KEYS: dict[str, tuple[str, bool]] = {
    "name": ("text", True),
    "bid": ("text", True),
    "contract_sum_nok": ("positive", True),
    "start": ("month", True),
    "end": ("month", True),
    "climate_budget_kg": ("positive", False),
    "competition": ("text", False),
    "description": ("text", False),
    "accepted_epds": ("texts", False),
    "quantity_tolerance": ("share", False),
}
_RULE_KEYS = {"kind", "parameters", "sources", "description"}
#: Largest contract file read [byte]; a real one is a few kB.
_MAX_FILE_BYTES = 1_000_000
#: Deepest nesting of arrays, tables and dotted keys read; the file's own layout needs 3.
_MAX_NESTING = 16


def load_contract(path: str | Path) -> Contract:
    """Read and validate a contract file and the winning bid it names.

    Parameters
    ----------
    path : str or pathlib.Path
        ``kontrakt.toml``.

    Returns
    -------
    Contract
        With the bid read, the machines and materials promised, the rules and
        every parameter with its source (:attr:`Contract.parameters`).

    Raises
    ------
    InputError
        When the file cannot be read or parsed, is nested too deeply, a key is
        missing, unknown or has a bad value, a rule parameter has no source,
        or the bid cannot be read; the message names the file and the key
        (code ``followup.contract_invalid``, ``followup.contract_unreadable``
        or ``followup.contract_too_deep``).
    """
    path = Path(path)
    file = str(path)
    try:
        text = path.read_text(encoding="utf-8")
        _check_nesting(text, file)  # before tomllib, which recurses per level
        raw = tomllib.loads(text)
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise InputError(str(exc), file=file,
                         code="followup.contract_unreadable") from None
    except RecursionError:
        raise _too_deep(file) from None
    values = _top_level(raw, file)
    sources = _sources(raw, file, values)
    rules, rule_rows = _rules(raw.get("rules", []), file)
    start, end = values["start"], values["end"]
    if end < start:
        raise _error(file, "end", "ends before it starts", expected=f">= {start}", found=str(end))

    from klimafotavtrykk.tender.reader import read_bid

    bid_path = path.parent / values["bid"]
    if not bid_path.is_file():
        raise _error(file, "bid", "file not found", expected="the winning bid workbook (.xlsx)",
                     found=str(bid_path))
    try:
        bid = read_bid(bid_path)
    except InputError as exc:
        where = f"[{exc.file}]{exc.sheet}!{exc.cell}: " if exc.cell else ""
        raise _error(file, "bid", f"the bid cannot be read: {where}{exc.problem}",
                     found=str(bid_path)) from None
    competition = None
    if "competition" in values:
        competition = path.parent / values["competition"]
        if not competition.is_file():
            raise _error(file, "competition", "file not found", found=str(competition))

    rows = [(key, _shown(values[key]), sources[key]) for key in _KEYS if key in values]
    parameters = pd.DataFrame(rows + rule_rows, columns=["key", "value", "source"], dtype=object)
    return Contract(
        file=file, name=values["name"], bid=bid, contract_sum_nok=values["contract_sum_nok"],
        start=start, end=end, machines=promised_machines(bid.site),
        materials=promised_materials(bid.materials), rules=rules,
        climate_budget_kg=values.get("climate_budget_kg"), competition=competition,
        parameters=parameters, accepted_epds=values.get("accepted_epds", ()),
        quantity_tolerance=values.get("quantity_tolerance"))


def emission_free_carriers(carriers: pd.DataFrame | None = None) -> frozenset[str]:
    """Carrier keys of the ``emission_free`` energy class, plus ``electricity``.

    The class is the one the site model counts in its emission-free share
    (:func:`klimafotavtrykk.site.energy_class_shares`), from
    ``data/emission_factors/energy_carriers.csv``; a plain ``electricity``
    resolves to a Norwegian or European electricity carrier, both of that class.

    Parameters
    ----------
    carriers : DataFrame, optional
        An energy-carrier table as :func:`klimafotavtrykk.site.load_energy_carriers`
        returns it; None loads the shipped one.

    Returns
    -------
    frozenset of str
    """
    from klimafotavtrykk.site import load_energy_carriers

    table = load_energy_carriers() if carriers is None else carriers
    free = set(table.loc[table["energy_class"] == "emission_free", "carrier"].astype(str))
    if {"electricity_no", "electricity_eu"} & free:
        free.add("electricity")
    return frozenset(free)


def promised_machines(site: pd.DataFrame, carriers: pd.DataFrame | None = None) -> pd.DataFrame:
    """The machines and site energy a bid promised, with the id monthly reports use.

    Parameters
    ----------
    site : DataFrame
        A bid's site rows (:attr:`Bid.site <klimafotavtrykk.tender.reader.Bid>`),
        in sheet order.
    carriers : DataFrame, optional
        Energy-carrier table (default the shipped one).

    Returns
    -------
    DataFrame
        :data:`~klimafotavtrykk.followup.model.PROMISE_MACHINE_COLUMNS`, one row
        per site row: ``machine_id`` ``M1``, ``M2`` … in sheet order;
        ``emission_free`` True where the row's carrier is of the
        ``emission_free`` class (:func:`emission_free_carriers`), False
        otherwise, also for a row without a carrier (mass transport given by
        vehicle class).

    Examples
    --------
    >>> site = pd.DataFrame({"source_ref": ["F2", "F3"], "category": ["machine", "machine"],
    ...                      "activity": ["Graving", "Graving"], "machine": ["G1", "G2"],
    ...                      "machine_class": ["excavator", "excavator"],
    ...                      "carrier": ["electricity", "diesel"], "quantity": [100.0, 20.0],
    ...                      "unit": ["kWh", "l"]})
    >>> promised_machines(site)[["machine_id", "emission_free"]].values.tolist()
    [['M1', True], ['M2', False]]
    """
    frame = site.reset_index(drop=True)
    n = len(frame)
    free = emission_free_carriers(carriers)
    carrier = frame["carrier"] if "carrier" in frame.columns else pd.Series(None, index=frame.index)
    codes, distinct = pd.factorize(carrier.astype(object))
    flags = np.array([str(d).strip().casefold() in free for d in distinct] + [False], dtype=bool)
    out = {c: (frame[c].to_numpy(dtype=object) if c in frame.columns else np.full(n, None, object))
           for c in PROMISE_MACHINE_COLUMNS}
    out["machine_id"] = np.array([f"{MACHINE_ID_PREFIX}{i}" for i in range(1, n + 1)], dtype=object)
    out["quantity"] = pd.to_numeric(pd.Series(out["quantity"]), errors="coerce").to_numpy(float)
    out["rated_power_kw"] = pd.to_numeric(pd.Series(out["rated_power_kw"]), errors="coerce").to_numpy(float)
    out["emission_free"] = flags[codes]
    return pd.DataFrame(out, columns=list(PROMISE_MACHINE_COLUMNS))


def promised_materials(materials: pd.DataFrame) -> pd.DataFrame:
    """The bid's material lines with an EPD claim (an EPD number or an A1-A3 value).

    Each line also gets the plausible range of its product, as the tender
    checks a claim against it (:func:`~klimafotavtrykk.tender.epd_checks.plausible_ranges`):
    a delivery under another EPD number with a value below it is not credited
    until the client accepts that EPD.

    Parameters
    ----------
    materials : DataFrame
        A bid's materials (:attr:`Bid.materials <klimafotavtrykk.tender.reader.Bid>`).

    Returns
    -------
    DataFrame
        :data:`~klimafotavtrykk.followup.model.PROMISE_MATERIAL_COLUMNS`,
        ``epd_gwp_a1a3`` in kg CO2e per ``epd_declared_unit``, ``quantity`` in
        ``unit`` as the bid states it; ``row_id`` the bid's line;
        ``plausible_low`` in kg CO2e per ``epd_declared_unit`` (NaN where no
        range applies) and ``plausible_range``, the range and its source;
        ``mass_per_unit``, the mass of one ``unit`` of the line the tender
        converted it with: the bid's own, else thickness × density or the
        generic factor's (NaN where none is known). [kg]
    """
    from klimafotavtrykk.tender.epd_checks import plausible_ranges

    frame = materials.reset_index(drop=True)
    claimed = np.zeros(len(frame), dtype=bool)
    for name in ("epd_id", "epd_gwp_a1a3"):
        if name in frame.columns:
            claimed |= frame[name].notna().to_numpy()
    chosen = frame[claimed]
    out = {c: (chosen[c].to_numpy(dtype=object) if c in chosen.columns
               else np.full(len(chosen), None, dtype=object)) for c in PROMISE_MATERIAL_COLUMNS}
    for name in ("epd_gwp_a1a3", "quantity", "mass_per_unit"):
        out[name] = pd.to_numeric(pd.Series(out[name]), errors="coerce").to_numpy(dtype=float)
    out["plausible_low"] = np.full(len(chosen), np.nan)
    out["plausible_range"] = np.full(len(chosen), None, dtype=object)
    if len(chosen) and "epd_declared_unit" in chosen.columns:
        ranges = plausible_ranges(chosen)
        found = ranges["range_id"].notna().to_numpy()
        out["plausible_low"] = ranges["low"].to_numpy(dtype=float)
        out["plausible_range"][found] = (ranges["range"] + " (" + ranges["source"] + ")")[found]
        out["mass_per_unit"] = ranges["mass_per_unit"].to_numpy(dtype=float)  # as the tender converted
    return pd.DataFrame(out, columns=list(PROMISE_MATERIAL_COLUMNS))


# ----------------------------------------------------------------------------- checks

def _error(file: str, key: str, problem: str, expected=None, found=None) -> InputError:
    return InputError(f"{key}: {problem}", file=file, expected=expected,
                      found=None if found is None else str(found), code="followup.contract_invalid")


def _too_deep(file: str) -> InputError:
    return InputError("the contract file is too large or nested too deeply to read", file=file,
                      expected=f"at most {_MAX_FILE_BYTES} bytes and {_MAX_NESTING} levels",
                      code="followup.contract_too_deep")


def _check_nesting(text: str, file: str) -> None:
    """Refuse a huge or deeply nested file before the TOML parser sees it.

    A contract file needs three levels; see :mod:`klimafotavtrykk.toml_guard`
    for why the parser must not see more, and how they are counted.
    """
    if len(text) > _MAX_FILE_BYTES:
        raise _too_deep(file)
    if nesting_exceeds(text, _MAX_NESTING):
        raise _too_deep(file)


def _top_level(raw: dict[str, Any], file: str) -> dict[str, Any]:
    """Top-level values, checked by kind; unknown keys refused."""
    unknown = sorted(k for k in raw if k not in _KEYS and k not in ("sources", "rules"))
    if unknown:
        raise _error(file, unknown[0], "unknown key", expected=", ".join([*_KEYS, "sources", "rules"]),
                     found=unknown[0])
    values = {}
    for key, (kind, required) in _KEYS.items():
        if key not in raw:
            if required:
                raise _error(file, key, "missing", expected="a value")
            continue
        values[key] = _checked(file, key, raw[key], kind)
    return values


def _checked(file: str, key: str, value: Any, kind: str) -> Any:
    if kind == "text":
        if not isinstance(value, str) or not value.strip():
            raise _error(file, key, "must be a non-empty text", expected="text", found=value)
        return value.strip()
    if kind == "texts":
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            raise _error(file, key, "must be a list of non-empty texts", expected='["NEPD-1234-567-NO"]',
                         found=value)
        return tuple(v.strip() for v in value)
    if kind == "share":
        if isinstance(value, bool) or not isinstance(value, int | float) or not (0 <= value < 1):
            raise _error(file, key, "must be a share from 0 up to 1", expected="0 <= share < 1", found=value)
        return float(value)
    if kind == "positive":
        if isinstance(value, bool) or not isinstance(value, int | float) or not (
                math.isfinite(value) and value > 0):
            raise _error(file, key, "must be a positive number", expected="> 0", found=value)
        return float(value)
    return _month(file, key, value)


def _month(file: str, key: str, value: Any) -> pd.Period:
    """``"2025-09"`` (or a TOML date, whose month is taken) as a monthly period."""
    if isinstance(value, dt.date):
        return pd.Period(year=value.year, month=value.month, freq="M")
    if isinstance(value, str) and re.fullmatch(r"\s*\d{4}-\d{2}\s*", value):
        year, month = (int(p) for p in value.strip().split("-"))
        if 1 <= month <= 12:
            return pd.Period(year=year, month=month, freq="M")
    raise _error(file, key, "must be a month", expected='"YYYY-MM", e.g. "2025-09"', found=value)


def _sources(raw: dict[str, Any], file: str, values: dict[str, Any]) -> dict[str, str]:
    """Source of each top-level value: the ``[sources]`` entry, else the contract itself."""
    given = raw.get("sources", {})
    if not isinstance(given, dict):
        raise _error(file, "sources", "must be a table", expected="[sources]", found=given)
    out = {}
    for key, text in given.items():
        if key not in values:
            raise _error(file, f"sources.{key}", "names no value of the file",
                         expected=", ".join(values), found=key)
        if not isinstance(text, str) or not text.strip():
            raise _error(file, f"sources.{key}", "must be a non-empty text", found=text)
        out[key] = text.strip()
    return {key: out.get(key, CONTRACT_SOURCE) for key in values}


def _rules(entries: Any, file: str) -> tuple[tuple[Rule, ...], list[tuple[str, Any, str]]]:
    """The ``[[rules]]`` tables as rules, and their parameters as audit rows."""
    if not isinstance(entries, list):
        raise _error(file, "rules", "must be an array of tables", expected="[[rules]]",
                     found=entries)
    rules, rows = [], []
    for i, entry in enumerate(entries):
        where = f"rules[{i}]"
        if not isinstance(entry, dict):
            raise _error(file, where, "must be a table", expected="[[rules]]", found=entry)
        unknown = sorted(set(entry) - _RULE_KEYS)
        if unknown:
            raise _error(file, f"{where}.{unknown[0]}", "unknown key",
                         expected=", ".join(sorted(_RULE_KEYS)), found=unknown[0])
        kind = entry.get("kind")
        if kind not in RULE_KINDS:
            raise _error(file, f"{where}.kind", "unknown rule kind", expected=" | ".join(RULE_KINDS),
                         found=kind)
        parameters = _table(entry, "parameters", where, file)
        sources = _table(entry, "sources", where, file)
        for name, value in parameters.items():
            if isinstance(value, bool) or not (
                    (isinstance(value, int | float) and math.isfinite(value))
                    or (isinstance(value, str) and value.strip())):
                raise _error(file, f"{where}.parameters.{name}", "must be a number or a text",
                             found=value)
            source = sources.get(name)
            if not isinstance(source, str) or not source.strip():
                raise _error(file, f"{where}.sources.{name}",
                             "every rule parameter needs its source",
                             expected=f'{name} = "document, clause, year"', found=source)
        strays = sorted(set(sources) - set(parameters))
        if strays:
            raise _error(file, f"{where}.sources.{strays[0]}", "names no parameter of the rule",
                         expected=", ".join(parameters), found=strays[0])
        values = {k: float(v) if isinstance(v, int | float) else v.strip()
                  for k, v in parameters.items()}
        cited = {k: sources[k].strip() for k in parameters}
        rules.append(Rule(kind=kind, parameters=values, sources=cited))
        rows.append((f"{where}.kind", kind, CONTRACT_SOURCE))
        rows += [(f"{where}.parameters.{k}", v, cited[k]) for k, v in values.items()]
    return tuple(rules), rows


def _table(entry: dict[str, Any], name: str, where: str, file: str) -> dict[str, Any]:
    table = entry.get(name, {})
    if not isinstance(table, dict):
        raise _error(file, f"{where}.{name}", "must be a table", expected=f"[rules.{name}]",
                     found=table)
    nested = [k for k, v in table.items() if isinstance(v, dict | list)]
    if nested:
        raise _error(file, f"{where}.{name}.{nested[0]}", "must be a single value",
                     found=table[nested[0]])
    return table


def _shown(value: Any) -> Any:
    if isinstance(value, tuple):
        return ", ".join(value)
    return str(value) if isinstance(value, pd.Period) else value
