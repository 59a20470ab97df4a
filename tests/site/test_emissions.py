"""Site energy and machinery (A5): layer-1 functions and calculate_site (``site.emissions``).

Expected values are worked by hand from the shipped data rows, whose values are
pinned in ``tests/site/test_tables.py::test_shipped_values_used_below`` so that
a data change shows there.
"""

from __future__ import annotations

import pickle
import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from klimafotavtrykk.errors import DefaultValueWarning, InputError
from klimafotavtrykk.site import (
    ENERGY_CLASSES,
    SHARE_BASES,
    SITE_REASONS,
    calculate_site,
    energy_class_shares,
    energy_class_totals,
    machine_fuel,
    machine_fuel_mass,
)
from klimafotavtrykk.site import emissions as site_emissions

# Exact unit definitions (NIST): 1 lb = 0.45359237 kg; 1 hp = 745.699872 W, so 1 hp h = 0.745699872 kWh.
LB_PER_HP_H_IN_KG_PER_KWH = 0.45359237 / 0.745699872


def frame(**columns):
    return pd.DataFrame(columns)


def quiet(activities, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DefaultValueWarning)
        return calculate_site(activities, **kwargs)


# ----------------------------------------------------------------------------- layer 1

def test_energy_class_shares_by_each_basis():
    shares = energy_class_shares(
        ["fossil", "fossil_free", "emission_free", "emission_free", None],
        [300.0, 100.0, 50.0, 50.0, 1e9],         # the None row is left out
        [10.0, 20.0, 30.0, 40.0, 1e9],
        ["A", "B", "C", "C", "Z"])                 # C twice: one machine
    assert list(shares.index) == list(SHARE_BASES) and list(shares.columns) == list(ENERGY_CLASSES)
    # energy 300/500, 100/500, 100/500; hours 10/100, 20/100, 70/100; count 1/3 each
    assert shares.loc["energy"].tolist() == pytest.approx([0.6, 0.2, 0.2])
    assert shares.loc["machine_hours"].tolist() == pytest.approx([0.1, 0.2, 0.7])
    assert shares.loc["machine_count"].tolist() == pytest.approx([1 / 3] * 3)
    one = energy_class_shares(["fossil"], [1.0], [0.0], [None], basis="energy")
    assert one.tolist() == [1.0, 0.0, 0.0]
    with pytest.raises(InputError, match="unknown share basis 'kwh'"):
        energy_class_shares(["fossil"], [1.0], [0.0], [None], basis="kwh")


def test_energy_class_totals_are_the_share_denominators():
    totals = energy_class_totals(
        ["fossil", "fossil", "emission_free", "fossil_free", None],
        [100.0, 50.0, 20.0, np.nan, 1e9],          # NaN energy counts as 0
        [10.0, 5.0, 2.0, 0.0, 1e9],
        ["A", "A", None, None, "Z"])               # A once; unnamed with hours counts, without not
    assert list(totals.index) == list(SHARE_BASES) and list(totals.columns) == list(ENERGY_CLASSES)
    assert totals.loc["energy"].tolist() == [150.0, 0.0, 20.0]
    assert totals.loc["machine_hours"].tolist() == [15.0, 0.0, 2.0]
    assert totals.loc["machine_count"].tolist() == [1.0, 0.0, 1.0]


# ----------------------------------------------------------------------------- calculate_site

# A machinery table with round numbers, to work machine hours out by hand.
HAND_MACHINERY = pd.DataFrame({
    "machine_class": ["hand_excavator"], "load_factor": ["0.5"], "sfc": ["0.2"],
    "sfc_unit": ["kg/kWh"], "source": ["hand example"]})


def test_machine_hours_fuel_is_the_hand_formula():
    activities = frame(machine=["EX1"], carrier=["diesel"], machine_hours=[100.0],
                       rated_power_kw=[150.0], machine_class=["hand_excavator"])
    line = calculate_site(activities, machinery=HAND_MACHINERY).lines.iloc[0]
    # hours × rated kW × load factor × SFC ÷ density = 100 × 150 × 0.5 × 0.2 ÷ 0.84
    # = 1 500 kg ÷ 0.84 kg/l (MD21 diesel) = 1 785.714 l
    assert line["fuel_litres"] == pytest.approx(1_500 / 0.84, rel=1e-12)
    assert line["fuel_litres"] == pytest.approx(1_785.714, abs=1e-3)
    assert line["fuel_litres"] == pytest.approx(machine_fuel(100.0, 150.0, 0.5, 0.2, 0.84),
                                                rel=1e-12)
    # 1 785.714 l × 3.34752 kg CO2e/l = 5 977.71 kg
    assert line["kg_co2e"] == pytest.approx(1_500 / 0.84 * 3.34752, rel=1e-12)
    assert line["load_factor_used"] == 0.5 and line["sfc_kg_per_kwh"] == 0.2


def test_calculate_site_runs_the_public_fuel_function(monkeypatch):
    calls = []

    def spy(*args):
        calls.append(args)
        return machine_fuel_mass(*args)

    monkeypatch.setattr(site_emissions, "machine_fuel_mass", spy)
    activities = frame(carrier=["diesel", "diesel"], machine_hours=[100.0, 10.0],
                       rated_power_kw=[150.0, 150.0], machine_class=["hand_excavator"] * 2)
    lines = calculate_site(activities, machinery=HAND_MACHINERY).lines
    assert len(calls) == 1                         # once, on whole columns: no per-row calls
    hours, power, load_factor, sfc = calls[0]
    assert hours.tolist() == [100.0, 10.0] and sfc.tolist() == [0.2, 0.2]
    # 100 h: 1 500 kg, 10 h: 150 kg of diesel, at 0.84 kg/l
    assert lines["fuel_litres"].tolist() == pytest.approx([1_500 / 0.84, 150 / 0.84], rel=1e-12)



def test_1000_litres_of_diesel():
    result = calculate_site(frame(activity=["graving"], carrier=["diesel"], litres=[1_000.0]))
    # 1 000 l × 3.34752 kg CO2e/l (Boverket fossil diesel, WTW) = 3 347.52 kg
    assert result.total == pytest.approx(3_347.52)
    assert result.lines["energy_kwh"].iloc[0] == pytest.approx(9_777.78)  # 1 000 × 9.77778
    assert result.lines["factor_source"].iloc[0] == "boverket-klimatdatabas-2025"
    ttw = calculate_site(frame(carrier=["Diesel "], litres=[1_000.0]), scope="ttw")
    assert ttw.total == pytest.approx(2_660.0)  # 1 000 × 2.66 kg CO2/l (Miljødirektoratet)


def test_machine_hours_to_litres_to_kg_co2e():
    activities = frame(machine=["EX1"], carrier=["diesel"], machine_hours=[100.0],
                       rated_power_kw=[150.0], load_factor=[0.5], machine_class=["excavator"])
    line = calculate_site(activities).lines.iloc[0]
    # 150 kW = 201 hp: band 100-9999 hp, SFC 0.371 lb/hp h = 0.2256709 kg/kWh
    sfc = 0.371 * LB_PER_HP_H_IN_KG_PER_KWH
    litres = 100 * 150 * 0.5 * sfc / 0.84          # 7 500 kWh × 0.2256709 ÷ 0.84 = 2 014.92 l
    assert litres == pytest.approx(2_014.92, abs=0.01)
    assert line["fuel_litres"] == pytest.approx(litres)
    assert line["kg_co2e"] == pytest.approx(litres * 3.34752)   # = 6 744.98 kg
    assert line["kg_co2e"] == pytest.approx(6_744.98, abs=0.01)
    assert line["method"] == "machine_hours" and line["load_factor_used"] == 0.5


def test_hvo_in_a_diesel_engine_replaces_diesel_at_equal_energy():
    activities = frame(carrier=["hvo100"], machine_hours=[100.0], rated_power_kw=[150.0],
                       load_factor=[0.5], machine_class=["excavator"])
    line = calculate_site(activities).lines.iloc[0]
    diesel_litres = 100 * 150 * 0.5 * 0.371 * LB_PER_HP_H_IN_KG_PER_KWH / 0.84
    # diesel energy 2 014.92 l × 9.77778 kWh/l = 19 701.4 kWh = HVO 19 701.4 / 9.44444 = 2 086.0 l
    assert line["energy_kwh"] == pytest.approx(diesel_litres * 9.77778)
    assert line["fuel_litres"] == pytest.approx(diesel_litres * 9.77778 / 9.44444)
    assert line["kg_co2e"] == pytest.approx(diesel_litres * 9.77778 / 9.44444 * 0.5576)


def test_three_machine_site_shares():
    activities = frame(
        machine=["El-graver", "Hjullaster", "Dumper"],
        carrier=["electricity", "hvo100", "diesel"],
        kwh=[np.nan, np.nan, np.nan], litres=[np.nan, 500.0, 1_000.0],
        machine_hours=[100.0, 200.0, 300.0], rated_power_kw=[100.0, np.nan, np.nan],
        load_factor=[0.5, np.nan, np.nan])
    result = calculate_site(activities)
    # energy: electric 100 h × 100 kW × 0.5 = 5 000 kWh; HVO 500 × 9.44444 = 4 722.22 kWh;
    # diesel 1 000 × 9.77778 = 9 777.78 kWh; total 19 500 kWh
    assert result.share_totals["energy"] == pytest.approx(19_500.0)
    assert result.shares.loc["energy"].tolist() == pytest.approx(
        [9_777.78 / 19_500, 4_722.22 / 19_500, 5_000 / 19_500])
    # hours 300, 200, 100 of 600; one machine each
    assert result.shares.loc["machine_hours"].tolist() == pytest.approx([0.5, 1 / 3, 1 / 6])
    assert result.shares.loc["machine_count"].tolist() == pytest.approx([1 / 3] * 3)
    # 5 000 × 0.015 + 500 × 0.5576 + 1 000 × 3.34752 = 75 + 278.8 + 3 347.52
    assert result.total == pytest.approx(3_701.32)
    assert result.by_carrier.to_dict() == pytest.approx(
        {"diesel": 3_347.52, "electricity_no": 75.0, "hvo100": 278.8})


def test_electricity_scenarios():
    activities = frame(carrier=["electricity"], kwh=[1_000.0])
    assert calculate_site(activities).total == pytest.approx(15.0)        # 1 000 × 0.015
    eu = calculate_site(activities, electricity="electricity_eu")
    assert eu.total == pytest.approx(130.0)                                # 1 000 × 0.130
    assert eu.lines["carrier_key"].iloc[0] == "electricity_eu"


def test_tonne_km_is_mass_transport_outside_a5():
    activities = frame(activity=["graving", "bortkjøring masser"], carrier=["diesel", None],
                       litres=[100.0, np.nan], tonne_km=[np.nan, 10_000.0],
                       vehicle_class=[None, "truck_long_haul"], scope=[None, "mass_transport"])
    result = calculate_site(activities)
    # 10 000 tkm (500 t × 20 km) × 0.0695 kg CO2e/tkm (Boverket long-haul truck) = 695 kg
    assert result.mass_transport == pytest.approx(695.0)
    assert result.total == pytest.approx(334.752)                          # 100 l diesel only
    assert result.lines["method"].tolist() == ["metered", "tonne_km"]


def test_other_amount_units_convert_through_density_and_energy():
    activities = frame(carrier=["diesel", "diesel", "biogas", "propane"],
                       kg=[840.0, np.nan, np.nan, np.nan], kwh=[np.nan, 9_777.78, np.nan, np.nan],
                       nm3=[np.nan, np.nan, 100.0, np.nan], litres=[np.nan, np.nan, np.nan, 54.0])
    lines = calculate_site(activities).lines
    # 840 kg ÷ 0.84 kg/l = 1 000 l; 9 777.78 kWh ÷ 9.77778 kWh/l = 1 000 l
    assert lines["fuel_litres"].tolist()[:2] == pytest.approx([1_000.0, 1_000.0])
    # biogas 100 Nm³ × 0.717 kg/Nm³ = 71.7 kg × 0.37296 = 26.741 kg CO2e
    assert lines["kg_co2e"].iloc[2] == pytest.approx(71.7 * 0.37296)
    # propane 54 l × 0.54 kg/l = 29.16 kg × 3.31776 = 96.746 kg CO2e
    assert lines["kg_co2e"].iloc[3] == pytest.approx(29.16 * 3.31776)


def test_rows_that_cannot_be_computed_are_reported_at_their_row():
    activities = frame(
        activity=["a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k"],
        carrier=["kerosene", "diesel", "diesel", "electricity", "district_heating_no", "diesel",
                 "hydrogen", "diesel", None, "diesel", "diesel"],
        litres=[10.0, np.nan, np.nan, 5.0, np.nan, -1.0, np.nan, np.nan, np.nan, np.nan, np.nan],
        kwh=[np.nan, np.nan, np.nan, np.nan, np.nan, np.nan, 50.0, np.nan, np.nan, np.nan, np.nan],
        machine_hours=[np.nan, np.nan, 10.0, np.nan, 10.0, np.nan, np.nan, 10.0, np.nan, np.nan,
                       10.0],
        rated_power_kw=[np.nan, np.nan, np.nan, np.nan, 5.0, np.nan, np.nan, 100.0, np.nan,
                        np.nan, 100.0],
        machine_class=[None, None, None, None, None, None, None, "tower_crane", None, None, None],
        tonne_km=[np.nan] * 8 + [100.0, np.nan, np.nan],
        vehicle_class=[None] * 8 + ["horse", None, None],
        scope=[None] * 9 + ["offsite", None],
        load_factor=[np.nan] * 10 + [1.5],
    ).set_index(pd.Index([f"r{i}" for i in range(11)]))
    result = calculate_site(activities)
    assert len(result.lines) == 0
    assert len(result.lines) + len(result.unmatched) == len(activities)
    got = result.unmatched[["row_id", "reason"]]
    assert got.index.tolist() == activities.index.tolist()   # input index kept
    assert got["reason"].tolist() == [
        "unknown_carrier", "no_amount", "missing_power", "incompatible_unit", "no_hours_model",
        "negative_amount", "no_factor_for_scope", "unknown_machine_class",
        "unknown_vehicle_class", "unknown_scope", "invalid_load_factor"]
    assert set(got["reason"]) <= set(SITE_REASONS)
    assert result.unmatched.loc["r0", "detail"] == "carrier 'kerosene'"
    assert result.unmatched.loc["r6", "detail"] == "carrier 'hydrogen' has no wtw factor"
    assert result.total == 0.0 and result.shares.isna().all().all()


def test_scope_is_checked_before_amounts():
    result = calculate_site(frame(carrier=["diesel"], litres=[1.0], scope=["offsite"]))
    assert result.unmatched["reason"].tolist() == ["unknown_scope"]
    assert result.unmatched["detail"].tolist() == ["scope 'offsite'"]


def test_hydrogen_counts_under_ttw():
    result = calculate_site(frame(machine=["H2-graver"], carrier=["hydrogen"], kwh=[100.0],
                                  machine_hours=[10.0]), scope="ttw")
    assert result.total == 0.0
    assert result.shares.loc["machine_count", "emission_free"] == 1.0


def test_text_numbers_with_decimal_comma_and_bad_text():
    activities = frame(carrier=["diesel", "diesel"], litres=["1 000,5", "ca. 200"])
    result = calculate_site(activities)
    assert result.lines["fuel_litres"].tolist() == pytest.approx([1_000.5])
    assert result.unmatched["reason"].tolist() == ["not_a_number"]
    assert result.unmatched["detail"].tolist() == ["column litres"]


def test_energy_class_override_for_biogas():
    activities = frame(machine=["G1"], carrier=["biogas"], kg=[10.0])
    assert calculate_site(activities).shares.loc["energy", "fossil_free"] == 1.0
    custom = calculate_site(activities, energy_classes={"Biogas": "emission_free"})
    assert custom.shares.loc["energy", "emission_free"] == 1.0
    with pytest.raises(InputError, match="unknown energy class"):
        calculate_site(activities, energy_classes={"biogas": "green"})


def test_hours_without_machine_class_use_the_default_class_and_warn():
    activities = frame(carrier=["diesel"], machine_hours=[10.0], rated_power_kw=[100.0])
    with pytest.warns(DefaultValueWarning, match="1 activity rows .* 'other_construction'"):
        result = calculate_site(activities)
    line = result.lines.iloc[0]
    # other construction equipment: LF 0.59, 0.371 lb/hp h (100 kW = 134 hp)
    assert line["class_assumed"] and line["load_factor_used"] == 0.59
    assert line["fuel_litres"] == pytest.approx(
        10 * 100 * 0.59 * 0.371 * LB_PER_HP_H_IN_KG_PER_KWH / 0.84)
    # an electric machine with its own load factor needs no class: no warning
    with warnings.catch_warnings():
        warnings.simplefilter("error", DefaultValueWarning)
        calculate_site(frame(carrier=["electricity"], machine_hours=[10.0],
                             rated_power_kw=[100.0], load_factor=[0.5]))


def test_totals_reconcile_by_carrier_and_activity():
    activities = frame(activity=["a", "a", "b", None], carrier=["diesel", "hvo100", "diesel", "diesel"],
                       litres=[10.0, 20.0, 30.0, 40.0])
    result = calculate_site(activities)
    assert result.by_carrier.sum() == pytest.approx(result.total)
    assert result.by_activity.sum() == pytest.approx(result.total)
    assert result.by_activity["b"] == pytest.approx(30 * 3.34752)


def test_public_errors():
    with pytest.raises(InputError, match="activities must be a pandas DataFrame") as info:
        calculate_site([{"carrier": "diesel"}])
    assert pickle.loads(pickle.dumps(info.value)).found == "list"
    with pytest.raises(InputError, match=r"unknown factor scope \(expected \['wtw', 'ttw'\], found 'lca'\)"):
        calculate_site(frame(carrier=["diesel"]), scope="lca")


def test_empty_site():
    result = calculate_site(pd.DataFrame())
    assert result.total == 0.0 and result.mass_transport == 0.0
    assert len(result.lines) == 0 and len(result.unmatched) == 0


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    rows=st.lists(st.tuples(
        st.sampled_from(["diesel", "hvo100", "electricity", "biogas", "kerosene", None]),
        st.one_of(st.none(), st.floats(0, 1e5)),
        st.one_of(st.none(), st.floats(0, 1e4)),
        st.one_of(st.none(), st.floats(1, 500))), max_size=30),
    k=st.floats(0.1, 100))
def test_rows_are_kept_and_metered_results_scale(rows, k):
    activities = pd.DataFrame(rows, columns=["carrier", "litres", "machine_hours", "rated_power_kw"],
                              dtype=object).assign(machine_class="excavator")
    base = quiet(activities)
    assert len(base.lines) + len(base.unmatched) == len(activities)
    assert base.total == pytest.approx(base.lines["kg_co2e"].sum())
    scaled = quiet(activities.assign(litres=activities["litres"] * k,
                                     machine_hours=activities["machine_hours"] * k))
    assert scaled.total == pytest.approx(k * base.total, rel=1e-9, abs=1e-6)


def test_a_repeated_column_name_is_refused_by_name():
    # two "carrier" columns: which one names the fuel would be a guess, so the frame is refused
    activities = frame(carrier=["diesel"])
    with pytest.raises(InputError, match=r"more than once: \['carrier'\]"):
        calculate_site(pd.concat([activities, activities[["carrier"]]], axis=1))


def test_carrier_unusable_is_the_test_behind_the_carrier_reasons():
    # Rows that state fuel, energy or hours on no carrier with a wtw factor are the rows
    # calculate_site gives a carrier reason; tonne-km and rows without an amount need none.
    from klimafotavtrykk.site import carrier_unusable

    acts = pd.DataFrame({
        "carrier": ["diesel", "tryllestøv", None, "hydrogen", None, None, " Electricity"],
        "litres": [100.0, 100.0, np.nan, np.nan, np.nan, np.nan, np.nan],
        "kwh": [np.nan, np.nan, np.nan, 1_000.0, np.nan, np.nan, 500.0],
        "machine_hours": [np.nan, np.nan, 10.0, np.nan, np.nan, np.nan, np.nan],
        "rated_power_kw": [np.nan, np.nan, 50.0, np.nan, np.nan, np.nan, np.nan],
        "tonne_km": [np.nan, np.nan, np.nan, np.nan, 1_000.0, np.nan, np.nan],
        "vehicle_class": [None, None, None, None, "truck_long_haul", None, None],
    })
    expected = [False, True, True, True, False, False, False]
    assert carrier_unusable(acts).tolist() == expected
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DefaultValueWarning)
        unmatched = calculate_site(acts).unmatched.set_index("row_id")["reason"]
    carrier_reasons = {"missing_carrier", "unknown_carrier", "no_factor_for_scope"}
    assert [unmatched.get(i) in carrier_reasons for i in range(len(acts))] == expected


def test_site_rows_computed_are_calculate_sites_rows_and_warn_alike():
    # computed rows (metered diesel, hours with the default class: warned), and rows not
    # computed (an unknown carrier, no amount): the same two frames, the same warning
    activities = frame(activity=["a", "b", "c", "d"],
                       carrier=["diesel", "diesel", "kerosene", "diesel"],
                       litres=[100.0, np.nan, 10.0, np.nan],
                       machine_hours=[np.nan, 10.0, np.nan, np.nan],
                       rated_power_kw=[np.nan, 100.0, np.nan, np.nan])
    with warnings.catch_warnings(record=True) as full_caught:
        warnings.simplefilter("always")
        full = calculate_site(activities)
    with warnings.catch_warnings(record=True) as rows_caught:
        warnings.simplefilter("always")
        lines, unmatched = site_emissions.site_rows_computed(activities)
    pd.testing.assert_frame_equal(lines, full.lines, check_exact=True)
    pd.testing.assert_frame_equal(unmatched, full.unmatched, check_exact=True)
    assert len(lines) == 2 and unmatched["reason"].tolist() == ["unknown_carrier", "no_amount"]
    assert [str(w.message) for w in rows_caught] == [str(w.message) for w in full_caught]
    assert len(rows_caught) == 1
