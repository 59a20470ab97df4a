"""Construction-site emissions: module A5 site energy and machinery, and mass transport.

A site is an activity table, one row per machine, heater, generator, site hut
or transport job. The concept is cut in three modules:

:mod:`~klimafotavtrykk.site.emissions`
    The A5 model: :func:`calculate_site` and its layer-1 functions
    (:func:`shaft_energy`, :func:`machine_fuel`, :func:`machine_parameters`,
    :func:`energy_class_shares`).
:mod:`~klimafotavtrykk.site.tables`
    The energy-carrier and machinery data tables, loaded and validated.
:mod:`~klimafotavtrykk.site.power`
    Power planning for an electric site against its grid connection.

Every public name of the three modules is importable from here, e.g.
``from klimafotavtrykk.site import calculate_site, site_power``.
"""

from klimafotavtrykk.site.emissions import (
    ACTIVITY_COLUMNS,
    SHARE_BASES,
    SITE_REASONS,
    SiteResult,
    calculate_site,
    energy_class_shares,
    machine_fuel,
    machine_parameters,
    shaft_energy,
)
from klimafotavtrykk.site.power import SitePower, peak_power, site_power
from klimafotavtrykk.site.tables import (
    ENERGY_CLASSES,
    FACTOR_SCOPES,
    carriers_from_frame,
    load_energy_carriers,
    load_machinery,
    machinery_from_frame,
)

__all__ = [
    "ACTIVITY_COLUMNS",
    "ENERGY_CLASSES",
    "FACTOR_SCOPES",
    "SHARE_BASES",
    "SITE_REASONS",
    "SitePower",
    "SiteResult",
    "calculate_site",
    "carriers_from_frame",
    "energy_class_shares",
    "load_energy_carriers",
    "load_machinery",
    "machine_fuel",
    "machine_parameters",
    "machinery_from_frame",
    "peak_power",
    "shaft_energy",
    "site_power",
]
