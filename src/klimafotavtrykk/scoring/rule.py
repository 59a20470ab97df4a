"""The scoring rule: models, weights, parameters and gates, validated; defaults from the data.

:class:`ScoringRule` is a frozen parameter object; fields left as None take
their value from ``data/procurement/defaults.toml``
(:func:`load_procurement_defaults`).
"""

from __future__ import annotations

import copy
import functools
import math
import tomllib
from dataclasses import dataclass, fields
from typing import Any

from klimafotavtrykk._data import data_path
from klimafotavtrykk.errors import DataError, InputError

__all__ = [
    "CLIMATE_MODELS",
    "PRICE_MODELS",
    "BASES",
    "ZERO_EMISSION_BASES",
    "CRITERIA",
    "TIE_RULES",
    "load_procurement_defaults",
    "ScoringRule",
]

#: Point models for the climate criterion.
CLIMATE_MODELS: tuple[str, ...] = (
    "dfo_linear", "dfo_proportional", "reduction", "zero_emission_share", "co2_price")
#: Point models for price.
PRICE_MODELS: tuple[str, ...] = ("dfo_linear", "dfo_proportional")
#: What the emission models are computed on.
BASES: tuple[str, ...] = ("kg_co2e", "kg_co2e_per_m2")
#: What an emission-free share is counted on (the bases of ``site.SHARE_BASES``).
ZERO_EMISSION_BASES: tuple[str, ...] = ("energy", "machine_hours", "machine_count")
#: Award criteria, in report order.
CRITERIA: tuple[str, ...] = ("price", "quality", "climate")
#: What may decide between bids with equal totals, in the order a competition lists them:
#: ``price`` (lower offered price), ``quality`` (more quality points), ``climate`` (better
#: climate value); ``manual`` (only last) leaves the remaining ties to the client.
TIE_RULES: tuple[str, ...] = ("price", "quality", "climate", "manual")

#: Weights must add up to one within this tolerance.
_WEIGHT_TOLERANCE = 1e-9


# ---------------------------------------------------------------- defaults


def load_procurement_defaults() -> dict[str, Any]:
    """Default scoring parameters from ``data/procurement/defaults.toml``.

    Returns
    -------
    dict
        Parameter name -> value, plus ``"sources"`` (name -> ``source_id``) and
        ``"notes"`` (name -> reasoning).

    Raises
    ------
    DataError
        When the file cannot be read or a parameter has no source.
    """
    return copy.deepcopy(_read_defaults())


@functools.cache
def _read_defaults() -> dict[str, Any]:
    path = data_path("procurement", "defaults.toml")
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise DataError(f"cannot read procurement defaults: {exc}", file=str(path)) from None
    sources = raw.get("sources", {})
    missing = sorted(k for k in raw if k not in ("sources", "notes") and k not in sources)
    if missing:
        raise DataError(f"parameters without a source: {missing}", file=str(path))
    return raw


def _default(name: str) -> Any:
    return _read_defaults()[name]


# ---------------------------------------------------------------- the rule


@dataclass(frozen=True)
class ScoringRule:
    """How bids are scored: models, weights, parameters and gates.

    Fields left as None take their value from ``data/procurement/defaults.toml``
    (see :func:`load_procurement_defaults`); model-specific parameters only
    when the model needs them.

    Attributes
    ----------
    price_weight, quality_weight, climate_weight : float
        Nominal weights; non-negative, adding up to 1. With the ``co2_price``
        model climate is priced into the price criterion, so its weight is 0. [-]
    climate_model : str
        One of :data:`CLIMATE_MODELS`.
    price_model : str
        One of :data:`PRICE_MODELS`.
    basis : str
        ``"kg_co2e"`` or ``"kg_co2e_per_m2"``; the ``co2_price`` model works on kg.
    bta_m2 : float, optional
        Gross floor area; needed for the per-m² basis and the frame. [m²]
    max_points : float
        Top of the point scale. [points]
    allow_negative_points : bool
        Keep negative points from the linear models (KOFA 2015/60).
    co2_price_nok_per_kg : float, optional
        For ``co2_price``. [NOK kg⁻¹ CO2e]
    reference : float, optional
        The client's reference, in the basis unit, for ``reduction``.
        [kg CO2e or kg CO2e m⁻²]
    full_points_reduction : float, optional
        Reduction earning full points, for ``reduction``. [-]
    zero_emission_basis : str
        ``"energy"``, ``"machine_hours"`` or ``"machine_count"``: what the shares given to
        :func:`score` are counted on (recorded, not computed here).
    zero_emission_scale : str
        ``"relative"`` or ``"absolute"``, for ``zero_emission_share``.
    frame_kg_co2e_per_m2 : float, optional
        Emission frame as a pass/fail gate. [kg CO2e m⁻²] over the period, or
        [kg CO2e m⁻² a⁻¹] when ``frame_period == "year"``.
    frame_period : str
        ``"study_period"`` or ``"year"``.
    reference_study_period : float, optional
        Needed for a frame per year. [a]
    min_zero_emission_share : float, optional
        Gate on the emission-free share. [-]
    min_climate_weight : float
        Warn below this effective (and nominal) climate weight. [-]
    tie_break : tuple of str
        Rules of :data:`TIE_RULES` that decide between bids with equal totals,
        in order; bids still equal after them share a rank and need the
        client's manual decision. Default ``("manual",)``: no rule, every tie
        is the client's to decide (``data/procurement/defaults.toml``).
    max_price_nok : float
        Highest price a bid can be scored with. [NOK]
    """

    price_weight: float = 0.0
    quality_weight: float = 0.0
    climate_weight: float = 0.0
    climate_model: str | None = None
    price_model: str | None = None
    basis: str | None = None
    bta_m2: float | None = None
    max_points: float | None = None
    allow_negative_points: bool | None = None
    co2_price_nok_per_kg: float | None = None
    reference: float | None = None
    full_points_reduction: float | None = None
    zero_emission_basis: str | None = None
    zero_emission_scale: str | None = None
    frame_kg_co2e_per_m2: float | None = None
    frame_period: str | None = None
    reference_study_period: float | None = None
    min_zero_emission_share: float | None = None
    min_climate_weight: float | None = None
    tie_break: tuple[str, ...] | None = None
    max_price_nok: float | None = None

    def __post_init__(self):
        put = functools.partial(object.__setattr__, self)
        for name in ("climate_model", "price_model", "max_points", "allow_negative_points",
                     "zero_emission_basis", "zero_emission_scale", "frame_period",
                     "min_climate_weight", "tie_break", "max_price_nok"):
            if getattr(self, name) is None:
                put(name, _default(name))
        if self.basis is None:
            put("basis", "kg_co2e" if self.climate_model == "co2_price" else _default("basis"))
        if self.climate_model == "co2_price" and self.co2_price_nok_per_kg is None:
            put("co2_price_nok_per_kg", _default("co2_price_nok_per_kg"))
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, int | float) and not isinstance(value, bool):
                put(f.name, float(value))
        if isinstance(self.tie_break, str) or not isinstance(self.tie_break, list | tuple):
            raise _rule_error("tie_break", "must be a list of rules", '["price", "climate"]',
                              self.tie_break)
        put("tie_break", tuple(self.tie_break))
        self._validate()

    def _validate(self):
        _choice("climate_model", self.climate_model, CLIMATE_MODELS)
        _choice("price_model", self.price_model, PRICE_MODELS)
        _choice("basis", self.basis, BASES)
        _choice("zero_emission_basis", self.zero_emission_basis, ZERO_EMISSION_BASES)
        _choice("zero_emission_scale", self.zero_emission_scale, ("relative", "absolute"))
        _choice("frame_period", self.frame_period, ("study_period", "year"))
        w = self.weights
        for name, value in w.items():
            _number(f"{name}_weight", value, low=0.0)
        if abs(sum(w.values()) - 1.0) > _WEIGHT_TOLERANCE:
            raise _rule_error("weights", "weights must add up to 1", "sum = 1", sum(w.values()))
        _number("max_points", self.max_points, low=0.0, strict=True)
        _number("min_climate_weight", self.min_climate_weight, low=0.0, high=1.0)
        model = self.climate_model
        if model == "co2_price":
            if self.climate_weight != 0 or self.price_weight == 0:
                raise _rule_error("climate_weight", "the co2_price model prices climate into the "
                                  "price criterion: climate_weight must be 0 and price_weight > 0",
                                  "climate_weight = 0", self.climate_weight)
            if self.basis != "kg_co2e":
                raise _rule_error("basis", "the co2_price model works on kg CO2e", "kg_co2e", self.basis)
            _number("co2_price_nok_per_kg", self.co2_price_nok_per_kg, low=0.0, strict=True)
        elif self.co2_price_nok_per_kg is not None:
            raise _rule_error("co2_price_nok_per_kg", "only used by climate_model = 'co2_price'",
                              None, self.co2_price_nok_per_kg)
        if model == "reduction":
            _number("reference", self.reference, low=0.0, strict=True)
            _number("full_points_reduction", self.full_points_reduction, low=0.0, high=1.0, strict=True)
        else:
            for name in ("reference", "full_points_reduction"):
                if getattr(self, name) is not None:
                    raise _rule_error(name, "only used by climate_model = 'reduction'", None,
                                      getattr(self, name))
        if self.bta_m2 is not None:
            _number("bta_m2", self.bta_m2, low=0.0, strict=True)
        needs_bta = (self.basis == "kg_co2e_per_m2" and model not in ("zero_emission_share",)) \
            or self.frame_kg_co2e_per_m2 is not None
        if needs_bta and self.bta_m2 is None:
            raise _rule_error("bta_m2", "a per-m² basis or an emission frame needs the BTA",
                              "a positive area in m2", None)
        if self.frame_kg_co2e_per_m2 is not None:
            _number("frame_kg_co2e_per_m2", self.frame_kg_co2e_per_m2, low=0.0, strict=True)
            if self.frame_period == "year":
                _number("reference_study_period", self.reference_study_period, low=0.0, strict=True)
        if self.min_zero_emission_share is not None:
            _number("min_zero_emission_share", self.min_zero_emission_share, low=0.0, high=1.0)
        _number("max_price_nok", self.max_price_nok, low=0.0, strict=True)
        self._validate_tie_break()

    def _validate_tie_break(self):
        rules = self.tie_break
        for name in rules:
            _choice("tie_break", name, TIE_RULES)
        if len(set(rules)) != len(rules):
            raise _rule_error("tie_break", "a rule is listed twice", " | ".join(TIE_RULES),
                              ", ".join(rules))
        if "manual" in rules[:-1] or not rules:
            raise _rule_error("tie_break", "'manual' can only be the last rule, and the list "
                              "cannot be empty", '["price", "climate"] or ["manual"]', ", ".join(rules))
        unused = [r for r in rules if r in CRITERIA and self.weights[r] == 0
                  and not (r == "climate" and self.climate_model == "co2_price")
                  and not (r == "price" and self.climate_model == "co2_price")]
        if unused:
            raise _rule_error("tie_break", "a tie rule must be an award criterion of the competition",
                              ", ".join(c for c in CRITERIA if self.weights[c] > 0), unused[0])

    @property
    def weights(self) -> dict[str, float]:
        """Nominal weight per criterion [-]."""
        return {"price": self.price_weight, "quality": self.quality_weight,
                "climate": self.climate_weight}

    @property
    def needs_emissions(self) -> bool:
        """Whether emissions take part in points or gates (else only in tie-breaks)."""
        return self.climate_model != "zero_emission_share" or self.frame_kg_co2e_per_m2 is not None

    @property
    def needs_share(self) -> bool:
        """Whether the emission-free share takes part in points or gates."""
        return self.climate_model == "zero_emission_share" or self.min_zero_emission_share is not None

    @property
    def tie_rules(self) -> tuple[str, ...]:
        """The tie rules that decide automatically (``tie_break`` without ``manual``)."""
        return tuple(r for r in self.tie_break if r != "manual")


def _rule_error(name, problem, expected, found) -> InputError:
    return InputError(f"{name}: {problem}", expected=expected,
                      found=None if found is None else str(found), code="scoring.invalid_rule")


def _choice(name, value, valid):
    if value not in valid:
        raise _rule_error(name, "unknown choice", " | ".join(valid), value)


def _number(name, value, low=None, high=None, strict=False):
    ok = isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)
    if ok and low is not None:
        ok = value > low if strict else value >= low
    if ok and high is not None:
        ok = value <= high
    if not ok:
        bound = f"{'>' if strict else '>='} {low:g}" if low is not None else "a number"
        bound += f" and <= {high:g}" if high is not None else ""
        raise _rule_error(name, "must be a finite number", bound, value)
