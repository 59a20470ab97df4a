"""Power planning for an electric site (``site.power``).

The load factors used are the shipped NONROAD values, pinned in
``tests/site/test_tables.py::test_shipped_values_used_below``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from klimafotavtrykk.errors import InputError
from klimafotavtrykk.site import peak_power, site_power


def frame(**columns):
    return pd.DataFrame(columns)


# ----------------------------------------------------------------------------- site_power

def test_peak_power():
    assert peak_power([100.0, 50.0, np.nan], [0.5, 0.4, 0.9]) == pytest.approx(70.0)
    assert peak_power([100.0, 50.0], [0.5, 0.4], simultaneity=0.8) == pytest.approx(120.0)


def test_site_power_shortfall():
    activities = frame(
        machine=["El-graver", "Tårnkran", "Dieselgraver", "Byggstrøm"],
        carrier=["electricity", "electricity", "diesel", "electricity"],
        machine_hours=[100.0, 200.0, 100.0, np.nan], kwh=[np.nan, np.nan, np.nan, 1_560.0],
        rated_power_kw=[100.0, 40.0, 150.0, np.nan], load_factor=[0.5, np.nan, 0.5, np.nan],
        machine_class=["excavator", "crane", "excavator", None])
    plan = site_power(activities, grid_connection_kw=50.0, working_hours=400.0)
    # peak: 100 kW × 0.5 + 40 kW × 0.43 (NONROAD cranes) = 50 + 17.2 = 67.2 kW; short by 17.2
    assert plan.peak_kw == pytest.approx(67.2)
    assert plan.shortfall_kw == pytest.approx(17.2)
    # energy: 5 000 + 200 h × 17.2 kW = 3 440 + site power 1 560 = 10 000 kWh over 400 h = 25 kW
    assert plan.energy_kwh == pytest.approx(10_000.0)
    assert plan.average_kw == pytest.approx(25.0)
    assert plan.rows_without_power == 1 and len(plan.machines) == 3
    # simultaneity 0.5 of the 140 kW rated: 70 kW, short by 20 kW; a 100 kW connection suffices
    assert site_power(activities, 50.0, simultaneity=0.5).shortfall_kw == pytest.approx(20.0)
    assert site_power(activities, 100.0).shortfall_kw == 0.0


def test_site_power_takes_rated_power_in_full_without_a_load_factor():
    activities = frame(carrier=["electricity"], kwh=[100.0], rated_power_kw=[30.0],
                       machine_class=["tower_crane"])
    assert site_power(activities, 10.0).peak_kw == pytest.approx(30.0)


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"grid_connection_kw": -1.0}, "grid_connection_kw must be non-negative"),
    ({"grid_connection_kw": "x"}, "grid_connection_kw must be a number"),
    ({"grid_connection_kw": 1.0, "working_hours": 0.0}, "working_hours must be positive"),
    ({"grid_connection_kw": 1.0, "simultaneity": 1.5}, "simultaneity above 1"),
])
def test_site_power_checks_its_parameters(kwargs, message):
    with pytest.raises(InputError, match=message):
        site_power(frame(carrier=["electricity"], kwh=[1.0]), **kwargs)


def test_site_power_takes_a_raw_machinery_frame():
    # a machinery table as read from CSV, before validation: crane 40 kW, LF 0.25 given here
    machinery = pd.DataFrame({"machine_class": ["crane"], "load_factor": ["0.25"],
                              "sfc": ["0.2"], "sfc_unit": ["kg/kWh"], "source": ["hand example"]})
    activities = frame(carrier=["electricity"], machine_hours=[10.0], rated_power_kw=[40.0],
                       machine_class=["crane"])
    plan = site_power(activities, 5.0, machinery=machinery)
    # 40 kW × 0.25 = 10 kW peak, 5 kW short; 10 h × 10 kW = 100 kWh
    assert plan.peak_kw == pytest.approx(10.0) and plan.shortfall_kw == pytest.approx(5.0)
    assert plan.energy_kwh == pytest.approx(100.0)
