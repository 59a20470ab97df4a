import numpy as np
import pytest

from klimafotavtrykk.units import normalise_spelling, parse_units, unit_codes


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
