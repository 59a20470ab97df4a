"""Deprecated: moved to klimafotavtrykk.site; removed after the tender package lands."""
from klimafotavtrykk.site.power import SitePower, peak_power, site_power

__all__ = ["SitePower", "peak_power", "site_power"]
