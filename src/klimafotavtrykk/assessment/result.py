"""The result of a calculation: :class:`Assessment` and its summary."""

from __future__ import annotations

import copy
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from klimafotavtrykk._frames import (
    COPY_ON_WRITE,
)
from klimafotavtrykk.lifecycle.lines import Deferred, LazyFrame
from klimafotavtrykk.profiles import Profile
from klimafotavtrykk.vocabulary import (
    MODULES,
    TOTAL_MODULES,
)


@dataclass(frozen=True)
class Assessment:
    """Whole-life footprint of one bill of quantities under one profile.

    Attributes
    ----------
    lines : pandas.DataFrame
        One row per computed input line: the input columns, ``factor_id``,
        ``factor_name``, ``factor_source``, ``match_method``,
        ``declared_quantity`` [declared unit], ``declared_unit``, ``mass`` [kg],
        ``replacements`` [-], one column per module in :data:`MODULES`
        [kg CO2e], ``kg_co2e`` (sum of the modules but D) [kg CO2e], and the
        audit of dimensions read from the description
        (:func:`~klimafotavtrykk.lifecycle.geometry.derive_dimensions`):
        ``dimension_source`` (the text read), ``dimension_note`` and
        ``conversion`` (the rule and numbers used), None where unused; and
        ``layers``: for a build-up computed layer by layer
        (:mod:`klimafotavtrykk.assemblies`), each layer with its factor and
        kg CO2e (its ``factor_id`` lists the layers' factors joined by
        ``" + "``), None for other lines.
        Built when first read, then kept: totals, ``unmatched`` and
        :meth:`to_dict` do not need it
        (:mod:`klimafotavtrykk.lifecycle.lines`).
    unmatched : pandas.DataFrame
        Input lines not computed: the input columns plus ``reason`` (a key of
        :data:`klimafotavtrykk.vocabulary.REASONS`), ``detail``, the same
        three dimension columns (``dimension_note`` says why a line that
        needed a dimension got none), and what the user can do: ``hint``
        (a key of :data:`klimafotavtrykk.hints.HINTS`) with ``hint_factor``,
        ``hint_declared_unit``, ``hint_indicator`` and ``hint_accepted`` (see
        :func:`klimafotavtrykk.hints.unmatched_hints`;
        :func:`klimafotavtrykk.messages.hint_text` writes the text).
    by_module : pandas.Series
        Emissions per module, indexed by :data:`MODULES`. [kg CO2e]
    by_building_part : pandas.DataFrame
        NS 3451 two-digit part × module. [kg CO2e]
    profile : Profile
        The profile used.
    coverage : pandas.Series
        Per in-scope module, the share of computed lines whose factor declares
        that module. [-] ``coverage.attrs["undeclared_factors"]`` maps each module
        some lines leave undeclared to the factor ids concerned, most lines first.
    bta_m2 : float or None
        Gross area (BTA) used for intensities. [m²]
    metadata : dict
        Data version, factor table hash, input file and the like.
    other : pandas.DataFrame
        Contributions that are not bill-of-quantities lines, × module:
        ``site`` (A5 site energy and machinery), ``mass_transport`` (A4,
        masses to and from the site) and ``operational_energy`` (B6); only
        rows the profile counts. [kg CO2e]
    site : klimafotavtrykk.site.SiteResult or None
        The site calculation, when a site was given (also when the profile
        leaves it out of the total).

    Notes
    -----
    ``by_module`` equals ``lines[MODULES].sum() + other.sum()``, and
    ``by_building_part`` holds the lines only.
    """

    lines: pd.DataFrame = LazyFrame()  # noqa: RUF009 (a descriptor: built on first read)
    unmatched: pd.DataFrame
    by_module: pd.Series
    by_building_part: pd.DataFrame
    profile: Profile
    coverage: pd.Series
    bta_m2: float | None = None
    metadata: dict[str, Any] = field(default_factory=dict)
    other: pd.DataFrame = field(default_factory=lambda: _empty_other())
    site: Any = None

    @property
    def total(self) -> float:
        """Total over every module but D [kg CO2e]."""
        return float(self.by_module.reindex(list(TOTAL_MODULES)).fillna(0.0).sum())

    @property
    def d(self) -> float:
        """Module D, reported beside the total, never in it [kg CO2e]."""
        return float(self.by_module.get("D", 0.0))

    @property
    def per_m2_year(self) -> float | None:
        """Total per m² BTA per year of the reference study period [kg CO2e m⁻² a⁻¹]."""
        if not self.bta_m2:
            return None
        return self.total / self.bta_m2 / self.profile.reference_study_period

    def with_metadata(self, extra: Mapping[str, Any]) -> Assessment:
        """A copy whose ``metadata`` also holds ``extra``; the per-line frame is not built.

        ``dataclasses.replace`` reads every field, and so builds ``lines``;
        this keeps it on request.

        Parameters
        ----------
        extra : mapping
            Entries added to (or replacing those in) ``metadata``.

        Returns
        -------
        Assessment
        """
        out = copy.copy(self)
        object.__setattr__(out, "metadata", {**self.metadata, **extra})
        return out

    def to_dict(self) -> dict[str, Any]:
        """Machine-readable summary, as ``klimafotavtrykk beregn --json`` prints it.

        Returns
        -------
        dict
            ``total_kg_co2e``, ``d_kg_co2e``, ``by_module`` (module -> kg CO2e),
            ``unmatched`` and ``lines`` (counts), ``profile``, and, when a BTA
            was given, ``bta_m2`` and ``kg_co2e_per_m2_year``.
        """
        out: dict[str, Any] = {
            "total_kg_co2e": _finite(self.total),
            "d_kg_co2e": _finite(self.d),
            "by_module": {m: _finite(self.by_module.get(m, 0.0)) for m in MODULES},
            "unmatched": len(self.unmatched),
            "lines": type(self).__dict__["lines"].count(self),
            "profile": self.profile.name,
            "reference_study_period": self.profile.reference_study_period,
        }
        if self.bta_m2:
            out["bta_m2"] = self.bta_m2
            out["kg_co2e_per_m2_year"] = _finite(self.per_m2_year)
        return out


#: The empty ``unmatched`` frame per layout of the lines (column names and dtypes): a bill
#: whose lines all compute gets a copy, not the same pandas work on no rows every call.
_NONE_UNMATCHED: dict[tuple, pd.DataFrame] = {}


def _none_unmatched(items: pd.DataFrame, build, deferred: Deferred = Deferred()) -> pd.DataFrame:  # noqa: B008
    """The ``unmatched`` frame of lines that all compute: ``build()`` once per column layout."""
    key = (tuple(items.columns), tuple(items.dtypes), items.columns.dtype, items.columns.name,
           deferred.layout, deferred.names)
    if key not in _NONE_UNMATCHED:
        if len(_NONE_UNMATCHED) >= 64:  # layouts are few; never grow without bound
            _NONE_UNMATCHED.clear()
        _NONE_UNMATCHED[key] = build()
    # with copy-on-write a shallow copy is the caller's own: a write into it copies first
    return _NONE_UNMATCHED[key].copy(deep=not COPY_ON_WRITE)


#: The empty ``other`` frame per pandas text option (its column labels are text): a copy of
#: it costs a few microseconds, building it anew some hundreds.
_EMPTY_OTHER: dict[tuple, pd.DataFrame] = {}


def _empty_other() -> pd.DataFrame:
    key = (pd.get_option("mode.string_storage"),)
    if key not in _EMPTY_OTHER:
        _EMPTY_OTHER[key] = pd.DataFrame(columns=pd.Index(MODULES, name="module"), dtype=float)
    return _EMPTY_OTHER[key].copy()


def _finite(value: float) -> float:
    value = float(value)
    return value if math.isfinite(value) else 0.0
