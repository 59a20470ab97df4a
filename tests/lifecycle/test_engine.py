import numpy as np
import pytest

from klimafotavtrykk.lifecycle.construction import site_waste
from klimafotavtrykk.lifecycle.conversion import declared_quantity
from klimafotavtrykk.lifecycle.engine import (
    line_results,
    module_intensities,
    scope_mask,
    totals_by_group,
)
from klimafotavtrykk.lifecycle.product import a1a3
from klimafotavtrykk.lifecycle.transport import a4
from klimafotavtrykk.vocabulary import MODULES

COL = {m: j for j, m in enumerate(MODULES)}


def test_generic_markup_reproduces_boverket_conservative():
    # Boverket 02.06.000, C30/37 ready-mix (6000000032): typical 0.116, conservative 0.145 kg/kg
    assert float(a1a3(0.116, True, 0.25)) == pytest.approx(0.145)
    assert float(a1a3(0.116, False, 0.25)) == pytest.approx(0.116)


def test_a4_boverket_ready_mix():
    # Boverket scenario for ready-mix: 35 km at 1.5 MJ/tkm × 0.0695 kg CO2e/MJ = 0.10425 kg/tkm;
    # per kg: 0.001 t × 35 km × 0.10425 = 0.00365 kg, Boverket lists A4 = 0.0036 kg/kg
    assert a4(1.0, 35.0, 1.5 * 0.0695) == pytest.approx(0.00365, abs=5e-5)


def test_site_waste_boverket_gypsum():
    # Boverket gypsum standard board (6000000020): waste factor 1.12, A1-A3 conservative 0.284,
    # A4 0.0243 -> A5.1 = 0.12 × 0.3083 = 0.036996 kg/kg
    assert site_waste(0.12, 0.284, 0.0243) == pytest.approx(0.036996)


def test_kg_to_m3_through_density():
    # 47.92 kg of a product declared per m3 with density 1 800 kg/m3: 47.92 / 1 800 = 0.026622 m3
    q = declared_quantity(np.array([47.92]), np.array([1.0]), np.array([1.0]), np.array([1.0]),
                          np.array([1800.0]), np.array([False]))
    assert q[0] == pytest.approx(0.026622, abs=5e-7)


def test_same_dimension_uses_unit_scales_only():
    # 2.5 tonn of a factor declared per kg: 2 500 kg
    q = declared_quantity(np.array([2.5]), np.array([1000.0]), np.array([1.0]), np.array([1.0]),
                          np.array([1.0]), np.array([True]))
    assert q[0] == pytest.approx(2500.0)


def test_no_conversion_without_a_mass():
    q = declared_quantity(np.array([1.0]), np.array([1.0]), np.array([np.nan]), np.array([1.0]),
                          np.array([1.0]), np.array([False]))
    assert np.isnan(q[0])


def _declared(**values):
    row = np.full((1, len(MODULES)), np.nan)
    for module, value in values.items():
        row[0, COL[module.replace("_", "-")]] = value
    return row


def test_module_intensities_by_hand():
    # A1-A3 10 (generic, +20 % -> 12), A4 1, waste 10 %, C3 2, D -1, 2 replacements, all in scope.
    declared = _declared(A1_A3=10.0, C3=2.0, D=-1.0)
    out = module_intensities(declared, np.array([True]), 0.2, np.array([1.0]), np.array([0.1]),
                             np.array([2]), scope_mask(MODULES), waste_end_of_life=True)[0]
    waste = 0.1 * (12.0 + 1.0 + 2.0)                       # 1.5
    assert out[COL["A1-A3"]] == pytest.approx(12.0)
    assert out[COL["A4"]] == pytest.approx(1.0)
    assert out[COL["A5"]] == pytest.approx(waste)
    assert out[COL["C3"]] == pytest.approx(2.0)
    assert out[COL["B4"]] == pytest.approx(2 * (12.0 + 1.0 + waste + 2.0))   # 33.0
    assert out[COL["D"]] == pytest.approx(-1.0 * 3)                           # once per cycle


def test_replacements_carry_only_in_scope_modules():
    # TEK17-like scope: no C modules and no D; waste without end of life.
    declared = _declared(A1_A3=10.0, C3=2.0, D=-1.0)
    scope = scope_mask(("A1-A3", "A4", "A5", "B2", "B4"))
    out = module_intensities(declared, np.array([False]), 0.25, np.array([1.0]), np.array([0.1]),
                             np.array([1]), scope)[0]
    assert out[COL["A5"]] == pytest.approx(0.1 * 11.0)
    assert out[COL["B4"]] == pytest.approx(10.0 + 1.0 + 1.1)
    assert out[COL["C3"]] == 0.0 and out[COL["D"]] == 0.0


def test_a_declared_b4_is_kept_and_not_added_to_replacements():
    # Row 0 declares B4 = 7 (e.g. a product read from an LCAx project) and would have 2
    # replacements of 10 + 1 = 11 each: B4 stays 7, not 7 + 22. Row 1 declares none:
    # 1 replacement of A1-A3 10 + A4 1 = 11.
    declared = np.vstack([_declared(A1_A3=10.0, B4=7.0), _declared(A1_A3=10.0)])
    out = module_intensities(declared, np.array([False, False]), 0.0, np.array([1.0, 1.0]),
                             np.array([np.nan, np.nan]), np.array([2, 1]), scope_mask(MODULES))
    assert out[0, COL["B4"]] == 7.0
    assert out[1, COL["B4"]] == pytest.approx(11.0)


def test_a_declared_b4_out_of_scope_is_zero():
    declared = _declared(A1_A3=10.0, B4=7.0)
    out = module_intensities(declared, np.array([False]), 0.0, np.array([0.0]), np.array([np.nan]),
                             np.array([0]), scope_mask(("A1-A3",)))[0]
    assert out[COL["B4"]] == 0.0


def test_totals_by_group_equal_sum_of_lines():
    rng = np.random.default_rng(3)
    intensities = rng.random((7, len(MODULES)))
    row = rng.integers(0, 7, 500)
    group = rng.integers(0, 4, 500)
    qty = rng.random(500)
    totals = totals_by_group(group, row, qty, intensities, 4)
    per_line = line_results(row, qty, intensities)
    for g in range(4):
        np.testing.assert_allclose(totals[g], per_line[group == g].sum(axis=0))


def test_line_results_refuses_a_row_outside_the_intensities():
    intensities = np.ones((2, len(MODULES)))
    with pytest.raises(IndexError):
        line_results(np.array([0, 2]), np.array([1.0, 1.0]), intensities)
    # -1 counts from the end, as numpy indexing does: row 1 × 3.0
    intensities[1] = 2.0
    assert line_results(np.array([-1]), np.array([3.0]), intensities)[0].tolist() == [6.0] * len(MODULES)
