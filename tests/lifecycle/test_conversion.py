"""Unit conversion of lines and the layer rule (lifecycle/conversion.py), on hand-worked values."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from klimafotavtrykk.lifecycle.conversion import (
    declared_quantity,
    layer_area_mass,
    line_mass_per_base,
    scaled_quantity,
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


def test_scaled_quantity_by_hand():
    # 2.5 tonn declared per kg: 2 500 kg; 400 kg declared per tonne: 0.4 t; 3 m3 per m3: 3
    got = scaled_quantity(np.array([2.5, 400.0, 3.0]), np.array([1_000.0, 1.0, 1.0]),
                          np.array([1.0, 1_000.0, 1.0]))
    assert got.tolist() == pytest.approx([2_500.0, 0.4, 3.0])


_NUMBERS = st.floats(min_value=-1e9, max_value=1e9) | st.just(np.nan)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(_NUMBERS, st.sampled_from([1.0, 0.001, 1_000.0, np.nan]),
                          st.sampled_from([1.0, 1_000.0, 0.01])), min_size=1, max_size=30))
def test_scaled_quantity_is_declared_quantity_of_lines_in_one_dimension(rows):
    quantity, scale, declared = (np.array(c, dtype=float) for c in zip(*rows, strict=True))
    same = np.ones(len(rows), dtype=bool)
    expected = declared_quantity(quantity, scale, 1.0, declared, 1.0, same)
    np.testing.assert_array_equal(scaled_quantity(quantity, scale, declared), expected)
