"""Site machinery, layer 1: shaft energy, fuel and machine parameters (``site.machinery``).

SFC and load factors are the shipped NONROAD values, pinned in
``tests/site/test_tables.py::test_shipped_values_used_below``.
"""

from __future__ import annotations

import numpy as np
import pytest

from klimafotavtrykk.site import (
    load_machinery,
    machine_fuel,
    machine_fuel_mass,
    machine_parameters,
    shaft_energy,
)

# Exact unit definitions (NIST): 1 lb = 0.45359237 kg; 1 hp = 745.699872 W, so 1 hp h = 0.745699872 kWh.
LB_PER_HP_H_IN_KG_PER_KWH = 0.45359237 / 0.745699872


def test_shaft_energy_and_machine_fuel():
    # 100 h × 150 kW × 0.5 = 7 500 kWh; × 0.2 kg/kWh ÷ 0.8 kg/l = 1 875 l
    assert shaft_energy(100.0, 150.0, 0.5) == 7_500.0
    assert machine_fuel(np.array([100.0, 10.0]), 150.0, 0.5, 0.2, 0.8).tolist() == [1_875.0, 187.5]


def test_machine_fuel_mass():
    # 100 h × 150 kW × 0.5 = 7 500 kWh × 0.2 kg/kWh = 1 500 kg; 10 h: 150 kg
    assert machine_fuel_mass(np.array([100.0, 10.0]), 150.0, 0.5, 0.2).tolist() == [1_500.0, 150.0]
    # the volume is that mass over the density: 1 500 kg ÷ 0.8 kg/l = 1 875 l
    assert machine_fuel(100.0, 150.0, 0.5, 0.2, 0.8) == 1_500.0 / 0.8


def test_machine_parameters_pick_the_power_band():
    table = load_machinery()
    # 74 kW < 100 hp (74.57 kW): lower band; 75 kW and 200 kW: upper band; crane 40 kW = 54 hp:
    # lower band; a given load factor wins over the table's
    out = machine_parameters(table, ["excavator", "excavator", None, "crane"],
                             [74.0, 75.0, 200.0, 40.0], [np.nan, np.nan, np.nan, 0.3])
    assert out["sfc_kg_per_kwh"].tolist() == pytest.approx(
        [0.412 * LB_PER_HP_H_IN_KG_PER_KWH, 0.371 * LB_PER_HP_H_IN_KG_PER_KWH,
         0.371 * LB_PER_HP_H_IN_KG_PER_KWH, 0.408 * LB_PER_HP_H_IN_KG_PER_KWH])
    assert out["load_factor"].tolist() == [0.59, 0.59, 0.59, 0.3]
    assert out["machine_class"].tolist() == ["excavator", "excavator", "other_construction", "crane"]
    assert out["class_assumed"].tolist() == [False, False, True, False]
