"""Unit conversion of lines and the layer rule (lifecycle/conversion.py), on hand-worked values."""

import numpy as np
import pytest

from klimafotavtrykk.lifecycle.conversion import (
    layer_area_mass,
    line_mass_per_base,
    thickness_in_metres,
)
from klimafotavtrykk.vocabulary import DIMENSIONS

MASS, VOLUME, AREA = (DIMENSIONS.index(d) for d in ("mass", "volume", "area"))


def test_thickness_in_metres():
    # 45 mm = 0.045 m; 1 000 mm = 1 m
    assert thickness_in_metres(np.array([45.0, 1_000.0])) == pytest.approx([0.045, 1.0])


def test_layer_area_mass():
    # 4 cm asphalt at 2 400 kg/m3: 1 m2 x 0.04 m = 0.04 m3 x 2 400 = 96 kg per m2
    assert layer_area_mass(0.04, 2_400.0) == pytest.approx(96.0)


def test_line_mass_per_base_takes_the_layer_rule_on_area_lines_only():
    # one factor: 2 400 kg/m3, 50 kg/m2 as given; a mass line is 1 kg per kg
    mass_per_base = np.full((1, len(DIMENSIONS)), np.nan)
    mass_per_base[0, [MASS, VOLUME, AREA]] = [1.0, 2_400.0, 50.0]
    f = np.zeros(4, dtype=np.int64)
    dims = np.array([AREA, AREA, VOLUME, MASS])
    thickness = np.array([0.05, np.nan, 0.05, np.nan])   # [m]
    got = line_mass_per_base(mass_per_base, f, dims, thickness)
    # m2 with 5 cm: 0.05 x 2 400 = 120; m2 without: the factor's 50; m3: 2 400; kg: 1
    assert got == pytest.approx([120.0, 50.0, 2_400.0, 1.0])


def test_a_unit_of_no_material_dimension_has_no_mass():
    # 10 hours of a factor declared per kg: no mass, so no conversion (was read as 10 kg)
    mass_per_base = np.full((1, len(DIMENSIONS)), np.nan)
    mass_per_base[0, MASS] = 1.0
    got = line_mass_per_base(mass_per_base, np.zeros(1, dtype=np.int64), np.array([-1]),
                             np.array([np.nan]))
    assert np.isnan(got).all()
