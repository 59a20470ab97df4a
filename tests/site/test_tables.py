"""Site data tables: energy carriers and machinery, loaded and validated (``site.tables``).

Expected values are worked by hand from the shipped data rows, whose values are
pinned in ``test_shipped_values_used_below`` so that a data change shows here.
"""

from __future__ import annotations

import pickle
from pathlib import Path

import pandas as pd
import pytest

from klimafotavtrykk.errors import DataError
from klimafotavtrykk.site import (
    ENERGY_CLASSES,
    carrier_table,
    carriers_from_frame,
    load_energy_carriers,
    load_machinery,
    machinery_from_frame,
    machinery_table,
)

DATA = Path(__file__).resolve().parents[2] / "data"
CARRIERS_CSV = DATA / "emission_factors" / "energy_carriers.csv"
MACHINERY_CSV = DATA / "emission_factors" / "machinery.csv"
SOURCE_FILES = [DATA / "sources.csv"]

# Exact unit definitions (NIST): 1 lb = 0.45359237 kg; 1 hp = 745.699872 W, so 1 hp h = 0.745699872 kWh.
LB_PER_HP_H_IN_KG_PER_KWH = 0.45359237 / 0.745699872


# ----------------------------------------------------------------------------- data files

@pytest.mark.parametrize("path", [CARRIERS_CSV, MACHINERY_CSV], ids=lambda p: p.name)
def test_every_row_cites_a_known_source(path):
    rows = pd.read_csv(path, dtype=str, keep_default_na=False)
    known = pd.concat([pd.read_csv(p, dtype=str)["source_id"] for p in SOURCE_FILES])
    assert rows["source_id"].isin(set(known)).all(), set(rows["source_id"]) - set(known)
    assert rows["confidence"].isin(["C", "S", "U", "R"]).all()
    defaults = rows["is_default"].str.lower() == "true"
    assert (rows.loc[defaults, "default_reason"] != "").all()
    assert (rows["source_detail"] != "").all()


def test_carrier_table_is_consistent_across_scopes():
    table = load_energy_carriers()
    # energy content is a property of the fuel: one value per carrier, whatever the scope
    assert (table.groupby("carrier")["kwh_per_unit"].nunique() == 1).all()
    scopes = table.groupby("carrier")["scope"].apply(set)
    assert all(s == {"wtw", "ttw"} for c, s in scopes.items() if c != "hydrogen")
    assert scopes["hydrogen"] == {"ttw"}  # no confirmed life-cycle figure: no wtw row
    assert set(table["energy_class"]) == set(ENERGY_CLASSES)
    assert "diesel_blend_no" not in set(table["carrier"])  # no sourced Norwegian blend figure


def test_shipped_values_used_below():
    c = load_energy_carriers().set_index(["carrier", "scope"])
    # Boverket 6000000011: 0.0951 kg CO2e/MJ × 35.2 MJ/l = 3.34752 kg CO2e/l; MD21 0.84 kg/l
    assert c.loc[("diesel", "wtw"), "kg_co2e_per_unit"] == pytest.approx(0.0951 * 35.2)
    assert c.loc[("diesel", "wtw"), "kg_per_unit"] == pytest.approx(0.84)
    assert c.loc[("diesel", "ttw"), "kg_co2e_per_unit"] == 2.66
    assert c.loc[("diesel", "wtw"), "kwh_per_unit"] == 9.77778
    assert c.loc[("hvo100", "wtw"), "kg_co2e_per_unit"] == pytest.approx(0.0164 * 34.0)
    assert c.loc[("hvo100", "wtw"), "kwh_per_unit"] == 9.44444
    assert c.loc[("electricity_no", "wtw"), "kg_co2e_per_unit"] == 0.015
    assert c.loc[("electricity_eu", "wtw"), "kg_co2e_per_unit"] == 0.130
    assert c.loc[("biogas", "wtw"), "kg_co2e_per_unit"] == pytest.approx(0.0074 * 3.6 * 14)
    assert c.loc[("biogas", "wtw"), "gas_density_kg_m3"] == 0.717
    m = pd.read_csv(MACHINERY_CSV, dtype=str).set_index(["machine_class", "power_min"])
    assert m.loc[("excavator", "100"), ["load_factor", "sfc", "sfc_unit"]].tolist() == [
        "0.59", "0.371", "lb/(hp*h)"]
    assert m.loc[("crane", "0"), "load_factor"] == "0.43"


def test_machinery_units_are_converted_by_the_registry():
    m = load_machinery().set_index(["machine_class", "power_min"])
    # 0.371 lb/hp h × 0.45359237 / 0.745699872 = 0.225671 kg/kWh; 100 hp = 74.5700 kW
    assert m.loc[("excavator", "100"), "sfc_kg_per_kwh"] == pytest.approx(
        0.371 * LB_PER_HP_H_IN_KG_PER_KWH)
    assert m.loc[("excavator", "100"), "power_min_kw"] == pytest.approx(74.5699872)


def test_carrier_schema_errors_name_the_row():
    good = pd.read_csv(CARRIERS_CSV, dtype=str, keep_default_na=False)
    dup = pd.concat([good, good.iloc[[0]]], ignore_index=True)
    with pytest.raises(DataError, match=r"row 23: \['carrier', 'scope'\] \('diesel', 'wtw'\) appears twice"):
        carriers_from_frame(dup, name="x.csv")
    bad_unit = good.assign(unit=good["unit"].where(good.index != 2, "m2"))
    with pytest.raises(DataError, match="row 4: unit 'm2' is not a unit of volume, mass or energy"):
        carriers_from_frame(bad_unit, name="x.csv")
    bad_class = good.assign(energy_class=good["energy_class"].where(good.index != 0, "green"))
    with pytest.raises(DataError, match="energy_class 'green'"):
        carriers_from_frame(bad_class, name="x.csv")
    err = DataError("p", file="x.csv", row=3)
    assert str(pickle.loads(pickle.dumps(err))) == "x.csv row 3: p"


def test_machinery_bands_may_not_overlap():
    table = pd.DataFrame({"machine_class": ["a", "a"], "power_min": ["0", "50"],
                          "power_max": ["100", "200"], "power_unit": ["kW", "kW"],
                          "load_factor": ["0.5", "0.5"], "sfc": ["0.2", "0.2"],
                          "sfc_unit": ["kg/kWh", "kg/kWh"], "source": ["hand"] * 2})
    with pytest.raises(DataError, match="power bands of class 'a' overlap"):
        machinery_from_frame(table, name="m.csv")


def test_carrier_and_machinery_tables_from_any_form(tmp_path):
    shipped = load_machinery()
    raw = pd.read_csv(MACHINERY_CSV, dtype=str, keep_default_na=False)
    copy = tmp_path / "machinery.csv"
    raw.to_csv(copy, index=False)
    for given in (None, shipped, raw, copy, str(copy)):
        table = machinery_table(given)
        assert table["sfc_kg_per_kwh"].tolist() == shipped["sfc_kg_per_kwh"].tolist()
    assert machinery_table(shipped) is shipped                       # a loaded table is used as is
    carriers = load_energy_carriers()
    raw_carriers = pd.read_csv(CARRIERS_CSV, dtype=str, keep_default_na=False)
    for given in (None, carriers, raw_carriers, CARRIERS_CSV):
        assert carrier_table(given)["kg_per_unit"].equals(carriers["kg_per_unit"])
    with pytest.raises(DataError, match="missing columns"):
        machinery_table(pd.DataFrame({"machine_class": ["a"]}))
