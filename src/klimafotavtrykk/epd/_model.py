"""What one EPD file declares, and how it becomes one row of a user factor table.

Each format module (:mod:`~klimafotavtrykk.epd.ilcd`,
:mod:`~klimafotavtrykk.epd.soda4lca`, :mod:`~klimafotavtrykk.epd.iso22057`,
:mod:`~klimafotavtrykk.epd.openepd`) reads its file into a
:class:`Declaration`: the declared unit already derived, and every GWP result
as published (per module, per scenario, per indicator). :func:`factor_row`
then applies the rules every format shares: one indicator, one scenario, A1-A3
never counted twice, "not declared" never zero, values per one base unit.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass, field

from klimafotavtrykk._data import data_path
from klimafotavtrykk.errors import InputError
from klimafotavtrykk.vocabulary import MODULES

__all__ = [
    "Declaration",
    "Result",
    "INDICATORS",
    "indicator_key",
    "module_key",
    "parse_value",
    "factor_row",
    "indicator_table",
    "flow_property_table",
    "epd_error",
]

#: Indicators a user may ask for, by the names EPDs and TEK17 use, and the token recorded on rows.
INDICATORS: dict[str, str] = {
    "gwp-total": "gwp-total",
    "gwp-ghg": "gwp-ghg",
    "gwp-iobc": "gwp-ghg",
    "iobc": "gwp-ghg",
    "gwp-iobc/ghg": "gwp-ghg",
    "gwp-fossil": "gwp-fossil",
    "gwp-biogenic": "gwp-biogenic",
    "gwp": "gwp",
}
#: Spellings of "not declared" (EN 15804 ND, MND, MNA module not assessed, INA indicator not
#: assessed, NR not relevant) and an empty cell: a value never read as zero.
_NOT_DECLARED = frozenset({"", "nd", "mnd", "mna", "ina", "nr", "n/a", "na", "-", "–",
                           "not declared"})
#: Module labels as the formats write them, beside the library's own (``MODULES``).
_MODULE_SPELLINGS = {"a1a2a3": "A1-A3", "a1-3": "A1-A3", "a1–a3": "A1-A3", "a1-a3": "A1-A3",
                     "d1": "D"}
_PARTS = ("A1", "A2", "A3")


@dataclass(frozen=True)
class Result:
    """One published value: indicator, module, scenario and the value as written.

    Attributes
    ----------
    indicator : str
        Token of :data:`INDICATORS` values (``gwp-total`` ...).
    module : str
        Module as the file labels it (``A1``, ``A1-A3``, ``D1`` ...).
    scenario : str or None
        Scenario name, None when the value holds for every scenario.
    value : float
        [kg CO2e per declared unit]; NaN when not declared.
    """

    indicator: str
    module: str
    scenario: str | None
    value: float


@dataclass(frozen=True)
class Declaration:
    """One EPD as read from its file, before an indicator and scenario are chosen.

    Attributes
    ----------
    name : str
        Product name.
    epd_id : str
        Registration number (``NEPD-2808-1506``); empty when the file has none.
    uuid : str
        Dataset id (ILCD UUID, openEPD id); may be empty.
    format : str
        ``ilcd``, ``soda4lca``, ``iso22057`` or ``openepd``.
    file : str
        File name, for messages and the row's source.
    sha256 : str
        Hash of the file's bytes.
    declared_amount : float
        Size of the declared unit in ``declared_unit`` (1000 for 1000 kg). [-]
    declared_unit : str
        Base unit: ``kg``, ``m3``, ``m2``, ``m`` or ``stk``.
    mass : float
        Mass of one declared unit (the whole ``declared_amount``); NaN when
        the file does not say. [kg]
    valid_until : str
        Last day of validity, ``YYYY-MM-DD``; empty when the file gives none.
    standard : str
        ``EN 15804+A2`` or ``EN 15804+A1``; empty when unknown.
    results : tuple of Result
        Every GWP value the file publishes.
    scenarios : tuple of str
        Scenario names in file order.
    default_scenarios : tuple of str
        Scenarios the file marks as default.
    scenario_groups : tuple of (str, str)
        Scenario name and its group (``Transport``, ``EoL``), where the file
        says.
    valid_until_note : str
        How ``valid_until`` was read (e.g. a year only, read as 31 December).
    notes : tuple of str
        What the reader noticed (method chosen, labels not read).
    """

    name: str
    epd_id: str
    uuid: str
    format: str
    file: str
    sha256: str
    declared_amount: float
    declared_unit: str
    mass: float
    valid_until: str
    standard: str
    results: tuple[Result, ...]
    scenarios: tuple[str, ...] = ()
    default_scenarios: tuple[str, ...] = ()
    scenario_groups: tuple[tuple[str, str], ...] = ()
    valid_until_note: str = ""
    notes: tuple[str, ...] = field(default=())

    @property
    def label(self) -> str:
        """How messages name the dataset: name and registration number (the file is the error's)."""
        ident = self.epd_id or self.uuid
        return f"{self.name} ({ident})" if ident else self.name


def epd_error(problem: str, file: str | None, code: str, found: str | None = None,
              expected: str | None = None) -> InputError:
    """An :class:`~klimafotavtrykk.errors.InputError` about one EPD file."""
    return InputError(problem, file=file, expected=expected, found=found, code=code)


def indicator_key(indicator: str) -> str:
    """The token recorded on rows for an indicator a user names.

    Parameters
    ----------
    indicator : str
        ``GWP-total`` (default of the readers), ``GWP-GHG`` or ``IOBC``
        (what TEK17 asks for), ``GWP-fossil``, ``GWP-biogenic``, or ``GWP``
        (the single GWP of EN 15804+A1); any case.

    Returns
    -------
    str
        ``gwp-total``, ``gwp-ghg``, ``gwp-fossil``, ``gwp-biogenic`` or ``gwp``.

    Raises
    ------
    InputError
        Code ``epd_indicator`` for any other name.
    """
    key = INDICATORS.get(str(indicator).strip().lower().replace(" ", "").replace("_", "-"))
    if key is None:
        raise InputError(f"unknown indicator {indicator!r}", expected=", ".join(
            ["GWP-total", "GWP-GHG", "IOBC", "GWP-fossil", "GWP-biogenic", "GWP"]),
            found=str(indicator), code="epd_indicator")
    return key


def module_key(label: str) -> str | None:
    """The library's module code for a module label as a file writes it, or None if unknown.

    ``A1``, ``A2`` and ``A3`` are kept as they are (summed into ``A1-A3`` by
    :func:`factor_row` only when no aggregate is given).
    """
    text = str(label).strip()
    if text in MODULES or text in _PARTS:
        return text
    return _MODULE_SPELLINGS.get(text.lower().replace(" ", ""))


def parse_value(text, dataset: str, module: str, file: str | None) -> float:
    """A published value as a number [kg CO2e per declared unit]; NaN for "not declared".

    Raises
    ------
    InputError
        Code ``epd_value`` for text that is neither a number nor a
        not-declared mark (ND, MND, MNA, INA, NR, empty).
    """
    if text is None:
        return math.nan
    if isinstance(text, bool):
        raise epd_error(f"{dataset}: module {module} holds {text!r}, not a number", file,
                        "epd_value", found=f"{module}: {text!r}")
    if isinstance(text, int | float):
        value = float(text)
    else:
        raw = str(text).strip()
        if raw.lower() in _NOT_DECLARED:
            return math.nan
        try:
            value = float(raw.replace(",", ".") if raw.count(",") == 1 and "." not in raw else raw)
        except ValueError:
            raise epd_error(f"{dataset}: module {module} holds {raw[:40]!r}, not a number",
                            file, "epd_value", found=f"{module}: {raw[:40]!r}") from None
    if not math.isfinite(value):
        raise epd_error(f"{dataset}: module {module} is not a finite number", file, "epd_value",
                        found=f"{module}: {text!r}")
    return value


@functools.cache
def indicator_table() -> dict[tuple[str, str], tuple[str, str]]:
    """``data/epd/indicators.csv``: (format, key) -> (indicator token, standard)."""
    import csv

    with open(data_path("epd", "indicators.csv"), encoding="utf-8", newline="") as handle:
        return {(row["format"], row["key"]): (row["indicator"], row["standard"])
                for row in csv.DictReader(handle)}


@functools.cache
def flow_property_table() -> dict[str, tuple[str, str]]:
    """``data/epd/flow_properties.csv``: ILCD flow-property UUID -> (reference unit, declared unit)."""
    import csv

    with open(data_path("epd", "flow_properties.csv"), encoding="utf-8", newline="") as handle:
        return {row["flow_property"]: (row["reference_unit"], row["declared_unit"])
                for row in csv.DictReader(handle)}


def _choose_scenarios(found: list[tuple[str, str]], declaration: Declaration,
                      scenario: str | None) -> tuple[dict[str, str | None], list[str]]:
    """Which scenario each module takes (None: not declared under it), and those left out.

    ``found`` lists (module, scenario) pairs of scenario-split values, in
    file order. Without ``scenario``, each split module takes the scenario the
    file marks as default, else its first one. With ``scenario``, a module
    that has it takes it; a module split only by scenarios of another group
    (the file's ``epd:group``, e.g. transport against end of life) keeps its
    default; any other split module is not declared under that scenario, so
    that two scenarios are never mixed in one row.
    """
    names = list(dict.fromkeys(s for _, s in found))
    if scenario is not None and names and scenario not in names:
        raise epd_error(f"{declaration.label}: no scenario {scenario!r}", declaration.file,
                        "epd_scenario", expected=", ".join(names), found=scenario)
    groups = dict(declaration.scenario_groups)
    group = groups.get(scenario) if scenario is not None else None
    chosen: dict[str, str | None] = {}
    per_module: dict[str, list[str]] = {}
    for module, name in found:
        per_module.setdefault(module, []).append(name)
    for module, options in per_module.items():
        marked = [s for s in options if s in declaration.default_scenarios]
        default = marked[0] if marked else options[0]
        if scenario is None or scenario in options:
            chosen[module] = scenario or default
        elif group is not None and all(groups.get(s) not in (None, group) for s in options):
            chosen[module] = default
        else:
            chosen[module] = None
    used = {s for s in chosen.values() if s is not None}
    return chosen, [s for s in names if s not in used]


def factor_row(declaration: Declaration, indicator: str = "GWP-total",
               scenario: str | None = None) -> tuple[dict, list[str]]:
    """One row of the user factor schema from a declaration.

    Parameters
    ----------
    declaration : Declaration
    indicator : str
        See :func:`indicator_key`.
    scenario : str, optional
        Scenario taken where a module is split by scenario (C3/S1, C3/S2 ...).
        Default: for each split module, the scenario the file marks as
        default, else the first one the file lists.

    Returns
    -------
    row : dict
        ``factor_id``, ``name``, ``declared_unit``, one value per module of
        :data:`~klimafotavtrykk.vocabulary.MODULES` [kg CO2e per one
        ``declared_unit``; NaN not declared], ``indicator``, ``dataset_type``
        (``product_epd``), ``valid_until``, ``epd_id``, ``standard``,
        ``source``, ``scenario`` (module: scenario taken), ``other_scenarios``
        and the mass column of the unit's dimension when the file gives the
        mass [kg per unit].
    notes : list of str
        What the rules did (aggregate preferred to parts, parts summed ...).

    Raises
    ------
    InputError
        Naming the dataset: the indicator is not in the file
        (``epd_no_indicator``), the scenario is not in it (``epd_scenario``),
        or no A1-A3 can be formed (``epd_no_product_stage``).
    """
    token = indicator_key(indicator)
    results = [r for r in declaration.results if r.indicator == token]
    if not results:
        present = sorted({r.indicator for r in declaration.results})
        raise epd_error(f"{declaration.label}: no {token} values", declaration.file,
                        "epd_no_indicator", expected=token,
                        found=", ".join(present) or "no GWP indicator")
    notes: list[str] = []
    unknown = sorted({r.module for r in results if module_key(r.module) is None})
    if unknown:
        notes.append(f"module labels not read: {', '.join(unknown)}")
    split = [(module_key(r.module), r.scenario) for r in results
             if r.scenario is not None and module_key(r.module) is not None]
    chosen, others = _choose_scenarios(split, declaration, scenario)
    values: dict[str, float] = {}
    for r in results:
        module = module_key(r.module)
        if module is None or (r.scenario is not None and chosen.get(module) != r.scenario):
            continue
        if r.scenario is None and module in chosen:
            continue  # the scenario's own value wins over an unsplit one
        if module in values and not math.isnan(values[module]) and not math.isnan(r.value):
            if values[module] != r.value:
                raise epd_error(f"{declaration.label}: module {module} is given twice with "
                                "different values", declaration.file, "epd_value",
                                found=f"{module}: {values[module]!r}, {r.value!r}")
        if module not in values or math.isnan(values[module]):
            values[module] = r.value
    missing = [m for m, s in chosen.items() if s is None]
    if missing:
        notes.append(f"{', '.join(missing)}: no value under scenario {scenario!r}, not declared")
    parts = [values.get(p, math.nan) for p in _PARTS]
    total = values.get("A1-A3", math.nan)
    if math.isnan(total):
        if not any(math.isnan(v) for v in parts):
            total = math.fsum(parts)
            notes.append("A1-A3 is the sum of A1, A2 and A3")
        else:
            given = [p for p, v in zip(_PARTS, parts, strict=True) if not math.isnan(v)]
            raise epd_error(f"{declaration.label}: A1-A3 is not declared, nor all of A1, A2, A3",
                            declaration.file, "epd_no_product_stage",
                            found=", ".join(given) or "none")
    elif any(not math.isnan(v) for v in parts):
        notes.append("A1-A3 given as an aggregate: A1, A2 and A3 not added again")
    values["A1-A3"] = total
    amount = declaration.declared_amount
    row: dict = {
        "factor_id": declaration.epd_id or declaration.uuid or declaration.file,
        "name": declaration.name,
        "declared_unit": declaration.declared_unit,
    }
    for module in MODULES:
        row[module] = values.get(module, math.nan) / amount
    row.update({
        "indicator": token,
        "dataset_type": "product_epd",
        "valid_until": declaration.valid_until,
        "epd_id": declaration.epd_id,
        "standard": declaration.standard,
        "source": (f"EPD {declaration.epd_id or declaration.uuid} '{declaration.name}' "
                   f"({declaration.format}, file {declaration.file}, sha256 "
                   f"{declaration.sha256[:12]}); {token}"
                   + ("" if amount == 1 else f" per {_amount(amount)} {declaration.declared_unit}"
                      f" divided by {_amount(amount)}")),
        "scenario": "; ".join(f"{m}: {s}" for m, s in chosen.items() if s is not None),
        "other_scenarios": "; ".join(others),
    })
    if not math.isnan(declaration.mass) and declaration.mass > 0:
        column = _MASS_COLUMN.get(declaration.declared_unit)
        if column:
            row[column] = declaration.mass / amount
    if declaration.valid_until_note:
        notes.append(declaration.valid_until_note)
    notes.extend(declaration.notes)
    return row, notes


#: Mass column of the factor schema per declared base unit (klimafotavtrykk.factors.MASS_COLUMNS).
_MASS_COLUMN = {"m3": "density_kg_m3", "m2": "area_mass_kg_m2", "m": "linear_mass_kg_m",
                "stk": "piece_mass_kg"}


def _amount(value: float) -> str:
    return f"{value:g}"
