"""Deprecated: moved to klimafotavtrykk.site; removed after the tender package lands."""
from klimafotavtrykk.site.tables import (
    ENERGY_CLASSES,
    FACTOR_SCOPES,
    carriers_from_frame,
    load_energy_carriers,
    load_machinery,
    machinery_from_frame,
)

__all__ = ["ENERGY_CLASSES", "FACTOR_SCOPES", "carriers_from_frame", "load_energy_carriers", "load_machinery", "machinery_from_frame"]
