import numpy as np
import pytest

from klimafotavtrykk.lifecycle.use import operational_energy, replacements


@pytest.mark.parametrize(
    ("period", "lives", "expected"),
    [
        # n = max(0, ceil(P / L) - 1), worked by hand (method.md § 4.6 table)
        (50, [15, 20, 25, 30, 40, 50, 60, 80], [3, 2, 1, 1, 1, 0, 0, 0]),
        (60, [15, 20, 25, 30, 40, 50, 60, 80], [3, 2, 2, 1, 1, 1, 0, 0]),
    ],
)
def test_replacements(period, lives, expected):
    assert replacements(period, np.array(lives, dtype=float)).tolist() == expected


def test_whole_ratios_are_not_rounded_up_by_float_noise():
    # 0.6 / 0.2 is 2.9999999999999996 in floating point; 60 / 20 = 3 -> 2 replacements
    assert replacements(60, np.array([20.0, 12.5, 7.5])).tolist() == [2, 4, 7]
    assert replacements(0.6, np.array([0.2])).tolist() == [2]


def test_missing_service_life_means_no_replacement():
    assert replacements(50, np.array([np.nan])).tolist() == [0]


def test_operational_energy_constant_and_series():
    # 10 000 kWh/a × 0.015 kg/kWh × 50 a = 7 500 kg
    assert operational_energy(10_000.0, 0.015, 50) == pytest.approx(7_500.0)
    # falling grid factor over 3 years: 1 000 × (0.03 + 0.02 + 0.01) = 60 kg
    assert operational_energy(1_000.0, [0.03, 0.02, 0.01], 3) == pytest.approx(60.0)
    with pytest.raises(ValueError, match="3 values"):
        operational_energy(1_000.0, [0.03, 0.02], 3)
