"""Construction-site emissions: module A5 site energy and machinery, and mass transport.

A site is an activity table, one row per machine, heater, generator, site hut
or transport job. The concept is cut in these modules:

:mod:`~klimafotavtrykk.site.activities`
    The activity table: its columns and units, read as clean arrays.
:mod:`~klimafotavtrykk.site.machinery`
    Layer 1 for machines: :func:`shaft_energy`, :func:`machine_fuel_mass`,
    :func:`machine_fuel`, :func:`machine_parameters` (load factor and SFC).
:mod:`~klimafotavtrykk.site.emissions`
    The A5 model: :func:`calculate_site`, :class:`SiteResult` and the
    energy-class shares (:func:`energy_class_totals`,
    :func:`energy_class_shares`).
:mod:`~klimafotavtrykk.site.tables`
    The energy-carrier and machinery data tables, loaded and validated.
:mod:`~klimafotavtrykk.site.power`
    Power planning for an electric site against its grid connection.

Every public name of these modules is importable from here, e.g.
``from klimafotavtrykk.site import calculate_site, site_power``.
"""

from klimafotavtrykk.site.activities import (
    ACTIVITY_COLUMNS,
    AMOUNT_COLUMNS,
    NUMERIC_COLUMNS,
    activity_numbers,
    activity_text,
)
from klimafotavtrykk.site.emissions import (
    SHARE_BASES,
    SITE_REASONS,
    SiteResult,
    calculate_site,
    carrier_unusable,
    energy_class_shares,
    energy_class_totals,
)
from klimafotavtrykk.site.machinery import (
    machine_fuel,
    machine_fuel_mass,
    machine_parameters,
    shaft_energy,
)
from klimafotavtrykk.site.power import SitePower, peak_power, site_power
from klimafotavtrykk.site.tables import (
    ENERGY_CLASSES,
    FACTOR_SCOPES,
    carrier_table,
    carriers_from_frame,
    load_energy_carriers,
    load_machinery,
    machinery_from_frame,
    machinery_table,
)

__all__ = [
    "ACTIVITY_COLUMNS",
    "AMOUNT_COLUMNS",
    "ENERGY_CLASSES",
    "FACTOR_SCOPES",
    "NUMERIC_COLUMNS",
    "SHARE_BASES",
    "SITE_REASONS",
    "SitePower",
    "SiteResult",
    "activity_numbers",
    "activity_text",
    "calculate_site",
    "carrier_unusable",
    "carrier_table",
    "carriers_from_frame",
    "energy_class_shares",
    "energy_class_totals",
    "load_energy_carriers",
    "load_machinery",
    "machine_fuel",
    "machine_fuel_mass",
    "machine_parameters",
    "machinery_from_frame",
    "machinery_table",
    "peak_power",
    "shaft_energy",
    "site_power",
]
