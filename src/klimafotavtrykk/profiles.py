"""Calculation profiles: the rule set a calculation follows, read from data files.

A profile is data (``data/profiles/*.toml``), not code: reference study
period, modules in scope, building parts that count, GWP indicators accepted,
the markup on generic data. Each parameter cites a source in the file.
"""

from __future__ import annotations

import functools
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from klimafotavtrykk._data import data_path
from klimafotavtrykk._string_storage import python_strings
from klimafotavtrykk.errors import ProfileError
from klimafotavtrykk.vocabulary import MODULES

__all__ = ["Profile", "load_profile", "available_profiles", "resolve_profile"]

_PART = re.compile(r"^\d{1,4}$")
_INDICATORS = ("gwp-total", "gwp-ghg", "gwp-iobc", "gwp-fossil")


@dataclass(frozen=True)
class Profile:
    """Rules of one calculation.

    Attributes
    ----------
    name : str
        Short key, e.g. ``"tek17"``.
    reference_study_period : float
        Period the building is assessed over. [a]
    modules : tuple of str
        Life-cycle modules in scope (codes of :data:`~klimafotavtrykk.vocabulary.MODULES`).
    building_parts : tuple of str
        NS 3451 codes that count; a line counts when its part starts with one
        of them. Empty: every part counts.
    exclude_biogenic : bool
        Whether biogenic carbon is left out of the account.
    accepted_indicators : tuple of str
        GWP indicators a factor may be declared in.
    generic_markup : float
        Markup on generic data (dataset type ``generic``) in A1-A3. [-]
    waste_end_of_life : bool
        Whether site waste (A5) also carries C1-C4 of the wasted material.
    site_energy : bool
        Whether site energy and machinery (A5) and mass transport to and from
        the site (A4) count; TEK17 § 17-1 leaves them out.
    title_nb, title_en : str
        Titles for reports.
    sources : dict
        Parameter name -> ``source_id`` in ``data/sources.csv``.
    notes : dict
        Parameter name -> why the value was chosen.
    """

    name: str
    reference_study_period: float
    modules: tuple[str, ...]
    building_parts: tuple[str, ...] = ()
    exclude_biogenic: bool = True
    accepted_indicators: tuple[str, ...] = _INDICATORS
    generic_markup: float = 0.0
    waste_end_of_life: bool = False
    site_energy: bool = False
    title_nb: str = ""
    title_en: str = ""
    sources: dict[str, str] = field(default_factory=dict, compare=False, hash=False)
    notes: dict[str, str] = field(default_factory=dict, compare=False, hash=False)

    def __post_init__(self):
        period = self.reference_study_period
        if not isinstance(period, int | float) or not period > 0:
            raise ProfileError(f"reference_study_period must be a positive number of years, got {period!r}",
                               file=self.name)
        unknown = [m for m in self.modules if m not in MODULES]
        if unknown:
            raise ProfileError(f"unknown modules {unknown}; valid: {list(MODULES)}", file=self.name)
        bad_parts = [p for p in self.building_parts if not _PART.match(str(p))]
        if bad_parts:
            raise ProfileError(f"building parts must be NS 3451 digit codes, got {bad_parts}",
                               file=self.name)
        bad_ind = [i for i in self.accepted_indicators if i not in _INDICATORS]
        if bad_ind:
            raise ProfileError(f"unknown indicators {bad_ind}; valid: {list(_INDICATORS)}",
                               file=self.name)
        if not 0.0 <= self.generic_markup <= 1.0:
            raise ProfileError(f"generic_markup must be a share between 0 and 1, got {self.generic_markup}",
                               file=self.name)
        # tuples, so that the frozen object is hashable and cannot change under a caller
        object.__setattr__(self, "modules", tuple(self.modules))
        object.__setattr__(self, "building_parts", tuple(str(p) for p in self.building_parts))
        object.__setattr__(self, "accepted_indicators", tuple(self.accepted_indicators))

    def title(self, lang: str = "nb") -> str:
        """Report title in bokmål (``"nb"``) or English (``"en"``)."""
        return (self.title_en if lang == "en" else self.title_nb) or self.name


_FIELDS = (
    "name", "reference_study_period", "modules", "building_parts", "exclude_biogenic",
    "accepted_indicators", "generic_markup", "waste_end_of_life", "site_energy", "title_nb",
    "title_en",
)


def available_profiles() -> tuple[str, ...]:
    """Names of the shipped profiles."""
    return tuple(sorted(p.stem for p in data_path("profiles").glob("*.toml")))


@functools.cache
def _load_shipped(name: str) -> Profile:
    return _from_file(data_path("profiles", f"{name}.toml"))


@python_strings
def load_profile(name_or_path: str | Path) -> Profile:
    """Load a shipped profile by name, or a user's profile from a TOML file.

    Parameters
    ----------
    name_or_path : str or pathlib.Path
        ``"tek17"``, ``"ns3720"``, ``"en15978"`` ..., or a path to a ``.toml``
        file with the same keys.

    Returns
    -------
    Profile

    Raises
    ------
    ProfileError
        When the name is unknown or the file breaks the schema.
    """
    text = str(name_or_path)
    if text in available_profiles():
        return _load_shipped(text)
    path = Path(text)
    if path.suffix == ".toml" and path.is_file():
        return _from_file(path)
    raise ProfileError(f"unknown profile {text!r}; shipped profiles: {', '.join(available_profiles())}",
                       file=text)


def resolve_profile(profile: str | Path | Profile) -> Profile:
    """A :class:`Profile` from a name, a path, or a profile object."""
    return profile if isinstance(profile, Profile) else load_profile(profile)


def _from_file(path: Path) -> Profile:
    try:
        raw: dict[str, Any] = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ProfileError(f"cannot read profile: {exc}", file=str(path)) from None
    missing = [k for k in ("name", "reference_study_period", "modules") if k not in raw]
    if missing:
        raise ProfileError(f"missing keys {missing}", file=str(path))
    unknown = set(raw) - set(_FIELDS) - {"sources", "notes"}
    if unknown:
        raise ProfileError(f"unknown keys {sorted(unknown)}", file=str(path))
    kwargs = {k: raw[k] for k in _FIELDS if k in raw}
    for key in ("modules", "building_parts", "accepted_indicators"):
        if key in kwargs:
            kwargs[key] = tuple(kwargs[key])
    return Profile(**kwargs, sources=dict(raw.get("sources", {})), notes=dict(raw.get("notes", {})))
