import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from klimafotavtrykk.units import (
    normalise_spelling,
    parse_units,
    unit_codes,
    unit_properties,
    unit_spellings,
)


@pytest.mark.parametrize(
    ("spelling", "dimension", "scale"),
    [
        ("m3", "volume", 1.0),
        ("M3", "volume", 1.0),
        ("m³", "volume", 1.0),
        ("lm", "length", 1.0),      # løpemeter, not lumen
        ("LM", "length", 1.0),
        ("RMT", "length", 1.0),
        ("mm", "length", 0.001),
        ("tonn", "mass", 1000.0),   # metric tonne, not US short ton (907.18 kg)
        ("t", "mass", 1000.0),
        ("kg", "mass", 1.0),
        ("stk", "piece", 1.0),
        ("Stk.", "piece", 1.0),
        ("pcs", "piece", 1.0),      # pieces, not parsec
        ("ITEM", "piece", 1.0),
        ("m2", "area", 1.0),
        ("Sqm", "area", 1.0),
        ("qm", "area", 1.0),
        ("Sq. Mtr.", "area", 1.0),
        ("kvm", "area", 1.0),
        ("l", "volume", 0.001),
        ("time", "time", 1.0),
        ("timer", "time", 1.0),
        ("uke", "time", 168.0),     # 7 × 24 h
        ("dag", "time", 24.0),      # a day, not a decagram
        ("Nm3", "normal_volume", 1.0),   # gas at normal conditions: never a plain volume
        ("Sm³", "normal_volume", 1.0),
        ("tonnkm", "transport_work", 1.0),
        ("T  KM", "transport_work", 1.0),
    ],
)
def test_spellings_of_norwegian_boqs(spelling, dimension, scale):
    row = parse_units([spelling]).loc[spelling]
    assert row["known"]
    assert row["dimension"] == dimension
    assert row["scale"] == pytest.approx(scale)


@pytest.mark.parametrize("spelling", ["RS", "R.S.", "rs", "Rund sum"])
def test_lump_sums_carry_no_physical_quantity(spelling):
    row = parse_units([spelling]).loc[spelling]
    assert row["known"] and row["dimension"] == "lump_sum" and np.isnan(row["scale"])


@pytest.mark.parametrize("spelling", ["furlong", "lumen", "pk", "xyz", ""])
def test_unknown_spellings_are_not_guessed(spelling):
    row = parse_units([spelling]).iloc[0]
    assert not row["known"] and np.isnan(row["scale"])


def test_normalise_spelling():
    assert normalise_spelling("  Sq.\u00a0 Mtr. ") == "sq. mtr."
    assert normalise_spelling(None) == ""
    assert normalise_spelling(float("nan")) == ""


def test_unit_codes_parse_each_spelling_once():
    codes, table = unit_codes(["m3", "kg", "m3", None, "kg"])
    assert codes.tolist() == [0, 1, 0, -1, 1]
    assert list(table.index) == ["m3", "kg"]


# ----------------------------------------------------------------- the listed scales


def _listed_scales():
    import csv

    from klimafotavtrykk._data import data_path

    with open(data_path("units", "scales.csv"), encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.mark.parametrize("row", _listed_scales(), ids=lambda r: f"{r['unit']}->{r['to_unit']}")
def test_every_listed_scale_is_the_one_pint_computes(row):
    """scales.csv saves building the registry; it must say exactly what the registry says."""
    from klimafotavtrykk.units import registry

    ureg = registry()
    computed = float(ureg.Quantity(1.0, row["unit"]).to(row["to_unit"]).magnitude)
    assert float(row["scale"]) == computed  # exact: the same float, not an approximation


def test_every_canonical_unit_is_listed_in_its_dimension():
    """Each canonical unit of the alias table is listed against the base unit of its dimension."""
    from klimafotavtrykk.units import BASE_UNITS, NON_PHYSICAL, _alias_table, registry

    ureg = registry()
    listed = {(r["unit"], r["to_unit"]) for r in _listed_scales()}
    for canonical in set(_alias_table().values()) - NON_PHYSICAL:
        unit = ureg.Unit(canonical)
        dimension = next(d for d, base in BASE_UNITS.items()
                         if unit.dimensionality == ureg.Unit(base).dimensionality)
        assert (canonical, BASE_UNITS[dimension]) in listed, canonical


@pytest.mark.parametrize(("unit", "target", "expected"), [
    ("tonne", "kilogram", 1000.0),            # SI Brochure table 8
    ("megajoule", "kilowatt_hour", 1 / 3.6),  # 1 kWh = 3.6 MJ
    ("week", "hour", 7 * 24.0),
    ("hp", "kW", 0.74569987158227022),        # 550 ft lbf/s = 745.69987158227022 W
    ("inch", "meter", 0.0254),                # not listed: converted by the registry
])
def test_unit_scale(unit, target, expected):
    from klimafotavtrykk.units import unit_scale

    assert unit_scale(unit, target) == pytest.approx(expected, rel=1e-15)


def test_a_process_that_reads_a_bill_of_quantities_builds_no_registry(tmp_path):
    """The listed units are all a bill of quantities and the shipped tables need: pint stays unloaded."""
    import subprocess
    import sys

    code = ("import sys; from klimafotavtrykk.units import parse_units, unit_scale; "
            "parse_units(['m3', 'tonn', 'kWh', 'uke', 'Nm3', 'stk', 'tonnkm']); "
            "unit_scale('lb/(hp*h)', 'kg/kWh'); unit_scale('hp', 'kW'); "
            "print('pint' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"


def test_unit_properties_of_norwegian_spellings():
    # a tonne is 1000 kg, a running metre (lm) 1 m, a cubic metre the base unit of volume,
    # a lump sum (RS) has no scale, and a furlong is not in the alias table
    dimension, scale, known = unit_properties(["tonn", "lm", "m3", "RS", "furlong"])
    assert dimension.tolist() == ["mass", "length", "volume", "lump_sum", None]
    assert scale[:3].tolist() == [1000.0, 1.0, 1.0] and np.isnan(scale[3:]).all()
    assert known.tolist() == [True, True, True, True, False]


def test_unit_spellings_codes_without_parsing():
    codes, spellings = unit_spellings(["m3", "kg", "m3", None, "kg"])
    assert codes.tolist() == [0, 1, 0, -1, 1]
    assert spellings.tolist() == ["m3", "kg"]


_SPELLINGS = st.one_of(
    st.sampled_from(["m3", "M3", " kg ", "tonn", "t", "stk", "lm", "RS", "%", "m²", "kWh",
                     "furlong", "", "pcs"]),
    st.text(max_size=6), st.floats(allow_nan=True), st.integers(-3, 3), st.none())


@given(st.lists(_SPELLINGS, max_size=12))
def test_unit_properties_are_parse_units_as_arrays(spellings):
    distinct = list(dict.fromkeys((type(s), s) for s in spellings if s == s))  # distinct, as coded: no NaN
    values = [s for _, s in distinct]
    table = parse_units(values)
    dimension, scale, known = unit_properties(values)
    expected = [d if isinstance(d, str) else None for d in table["dimension"].to_numpy(dtype=object)]
    assert dimension.tolist() == expected
    np.testing.assert_array_equal(scale, table["scale"].to_numpy(dtype=float))
    assert known.tolist() == table["known"].to_numpy(dtype=bool).tolist()
