"""Site energy and machinery (A5) on a synthetic site table.

Run ``pytest benchmarks/test_site.py --benchmark-only``; CI runs it once with
``--benchmark-disable`` as a smoke test.
"""

import warnings

import numpy as np
import pandas as pd
import pytest

from klimafotavtrykk.errors import DefaultValueWarning
from klimafotavtrykk.site import calculate_site, load_energy_carriers, load_machinery, site_power


def synthetic_site(n_rows, seed=7):
    """Build a site table mixing metered fuel, machine hours, tonne-km and a few bad rows."""
    rng = np.random.default_rng(seed)
    carriers = np.array(["diesel", "hvo100", "electricity", "biodiesel", "biogas",
                         "district_heating_no", "kerosene"])
    classes = np.array(["excavator", "wheel_loader", "articulated_dump_truck", "crane", None],
                       dtype=object)
    kind = rng.integers(0, 3, n_rows)               # 0 metered, 1 hours, 2 tonne-km
    carrier = carriers[rng.integers(0, len(carriers), n_rows)].astype(object)
    metered = np.where(kind == 0, rng.random(n_rows) * 1_000, np.nan)
    return pd.DataFrame({
        "activity": np.array(["graving", "fylling", "heis", "tørk"])[rng.integers(0, 4, n_rows)],
        "machine": np.char.add("M", rng.integers(0, n_rows // 4 + 1, n_rows).astype(str)),
        "carrier": np.where(kind == 2, None, carrier),
        "litres": np.where(np.isin(carrier, ["diesel", "hvo100", "biodiesel"]), metered, np.nan),
        "kwh": np.where(np.isin(carrier, ["electricity", "district_heating_no"]), metered, np.nan),
        "kg": np.where(carrier == "biogas", metered, np.nan),
        "machine_hours": np.where(kind == 1, rng.random(n_rows) * 500, np.nan),
        "rated_power_kw": rng.random(n_rows) * 300 + 20,
        "machine_class": classes[rng.integers(0, len(classes), n_rows)],
        "tonne_km": np.where(kind == 2, rng.random(n_rows) * 10_000, np.nan),
        "vehicle_class": np.where(kind == 2, "truck_long_haul", None),
        "scope": np.where(kind == 2, "mass_transport", "site"),
    })


@pytest.mark.parametrize("n_rows", [10_000])
def test_calculate_site(benchmark, n_rows):
    activities = synthetic_site(n_rows)
    load_energy_carriers(), load_machinery()   # warm the data caches, as a session would
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DefaultValueWarning)
        result = benchmark(calculate_site, activities)
    assert len(result.lines) + len(result.unmatched) == n_rows
    assert result.total + result.mass_transport == pytest.approx(result.lines["kg_co2e"].sum())


@pytest.mark.parametrize("n_rows", [10_000])
def test_site_power(benchmark, n_rows):
    activities = synthetic_site(n_rows)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DefaultValueWarning)
        plan = benchmark(site_power, activities, 500.0, working_hours=2_000.0)
    assert plan.peak_kw > 0
