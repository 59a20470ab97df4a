"""follow_up on the hand example of conftest.py: A5, shares, deviation, materials, findings, bonus.

Factors (data/emission_factors/energy_carriers.csv, scope wtw), read by hand:
electricity_no 0.015 kg CO2e/kWh; hvo100 0.5576 kg CO2e/L, 9.44444 kWh/L;
diesel 3.34752 kg CO2e/L, 9.77778 kWh/L.
"""

import dataclasses
import datetime as dt
import json
import math

import pandas as pd
import pytest

import klimafotavtrykk as kf
from klimafotavtrykk.errors import InputError
from klimafotavtrykk.followup import Rule
from klimafotavtrykk.followup import status as status_module
from klimafotavtrykk.followup.status import follow_up, status_text

# A5 per month [kg CO2e]:
#   Jan: M1 1000 kWh × 0.015 = 15; M2 100 L × 0.5576 = 55.76; M3 200 L × 3.34752 = 669.504 → 740.264
#   Feb: 1200 × 0.015 = 18; 80 × 0.5576 = 44.608; 250 × 3.34752 = 836.88 → 899.488
#   Mar: 800 × 0.015 = 12; 120 × 0.5576 = 66.912; 180 × 3.34752 = 602.5536 → 681.4656
JAN, FEB, MAR = 740.264, 899.488, 681.4656
# the bid promised 3000 kWh, 300 L HVO and 600 L diesel over the contract:
#   3000 × 0.015 + 300 × 0.5576 + 600 × 3.34752 = 45 + 167.28 + 2008.512 = 2220.792
BUDGET = 2220.792


def test_a5_per_month_and_cumulative(fu, contract, reports):
    result = follow_up(contract, reports)
    by_month = result.by_month
    assert by_month["month"].tolist() == ["2025-01", "2025-02", "2025-03"]
    assert by_month["kg_co2e"].tolist() == pytest.approx([JAN, FEB, MAR])
    assert by_month["cumulative_kg_co2e"].tolist() == pytest.approx(
        [JAN, JAN + FEB, JAN + FEB + MAR])            # 740.264, 1639.752, 2321.2176
    assert by_month["cumulative_budget_kg_co2e"].tolist() == pytest.approx(
        [BUDGET / 3, 2 * BUDGET / 3, BUDGET])
    assert result.summary["kg_co2e"] == pytest.approx(2321.2176)
    assert result.summary["budget_source"] == "bid"
    assert kf.follow_up is follow_up


def test_a5_by_carrier(fu, contract, reports):
    """Diesel so far 630 L × 3.34752 = 2108.9376 against 600 L × 3.34752 = 2008.512 promised."""
    carrier = follow_up(contract, reports).by_carrier.set_index("carrier")
    assert carrier.loc["diesel", "kg_co2e"] == pytest.approx(2108.9376)
    assert carrier.loc["diesel", "promised_kg_co2e"] == pytest.approx(2008.512)
    assert carrier.loc["diesel", "deviation_kg_co2e"] == pytest.approx(100.4256)
    assert carrier.loc["hvo100", "2025-02"] == pytest.approx(44.608)
    assert carrier.loc["electricity_no", "energy_class"] == "emission_free"
    assert carrier["in_promise"].all()


def test_three_shares_per_month_and_cumulative(fu, contract, reports):
    """Emission-free share by energy, machine hours and machine count.

    Energy [kWh]: Jan el 1000, HVO 100 × 9.44444 = 944.444, diesel 200 × 9.77778 = 1955.556
    → 1000 / 3900 = 0.25641. Feb 1200 / (1200 + 755.5552 + 2444.445) = 0.272727.
    Mar 800 / (800 + 1133.3328 + 1760.0004) = 0.216607.
    Cumulative 3000 / (3000 + 2833.332 + 6160.0014) = 0.250139.
    Hours: Jan 50 / 150, Feb 60 / 160, Mar 40 / 150; cumulative 150 / 460.
    Machines: one of three every month and cumulatively.
    """
    result = follow_up(contract, reports)
    m = result.by_month
    assert m["share_energy"].tolist() == pytest.approx(
        [1000 / 3900, 1200 / (1200 + 80 * 9.44444 + 250 * 9.77778),
         800 / (800 + 120 * 9.44444 + 180 * 9.77778)], rel=1e-9)
    assert m["cumulative_share_energy"].iloc[-1] == pytest.approx(
        3000 / (3000 + 300 * 9.44444 + 630 * 9.77778), rel=1e-9)
    assert m["share_machine_hours"].tolist() == pytest.approx([50 / 150, 60 / 160, 40 / 150])
    assert m["cumulative_share_machine_hours"].tolist() == pytest.approx([50 / 150, 110 / 310, 150 / 460])
    assert m["share_machine_count"].tolist() == pytest.approx([1 / 3] * 3)
    assert result.summary["share_machine_count"] == pytest.approx(1 / 3)
    # the promise, the same way: 3000 / (3000 + 300 × 9.44444 + 600 × 9.77778) = 3000 / 11700
    assert result.summary["promised_share_energy"] == pytest.approx(3000 / 11700, rel=1e-6)
    assert math.isnan(result.summary["promised_share_machine_hours"])  # the bid gave no hours


def test_deviation_and_bonus_under_a_capped_rule(fu):
    """Budget 3000 kg; 2321.2176 as built (all months in, so the projection is the total).

    Improvement (3000 − 2321.2176) / 3000 = 22.62608 %; 100e6 × 0.001 × 22.62608 = 2 262 608
    before the cap; cap 2 % of 100e6 = 2 000 000.
    """
    rule = fu.budget_rule(bonus_share_per_percent=0.001, deduction_share_per_percent=0.0005,
                       bonus_cap_share=0.02)
    result = follow_up(fu.make_contract(rules=[rule], climate_budget_kg=3000.0), fu.three_months())
    assert result.summary["deviation_kg_co2e"] == pytest.approx(2321.2176 - 3000.0)
    bonus = result.bonus.iloc[0]
    assert bonus["improvement_percent"] == pytest.approx(100 * (3000 - 2321.2176) / 3000)
    assert bonus["uncapped_nok"] == pytest.approx(1e5 * 100 * (3000 - 2321.2176) / 3000)
    assert bonus["amount_nok"] == pytest.approx(2e6)
    assert bool(bonus["capped"])
    assert result.summary["bonus_nok"] == pytest.approx(2e6)
    assert "bonus_cap_share: hand example" in bonus["sources"]
    params = result.parameters.set_index("parameter")
    assert params.loc["rules[1].bonus_cap_share", "source"] == "hand example"


def test_deduction_under_an_asymmetric_rule(fu, contract, reports):
    """Against the bid's 2220.792: 100.4256 kg over, −4.52206 %; deduction 100e6 × 0.0005 × 4.52206.

    The bonus rate (0.001) would give twice as much: the deduction uses its own rate.
    """
    rule = fu.budget_rule(bonus_share_per_percent=0.001, deduction_share_per_percent=0.0005)
    result = follow_up(fu.make_contract(rules=[rule]), reports)
    pct = 100 * 100.4256 / BUDGET
    assert result.bonus.loc[0, "improvement_percent"] == pytest.approx(-pct)
    assert result.bonus.loc[0, "amount_nok"] == pytest.approx(-100e6 * 0.0005 * pct)


def test_pro_rata_promise_and_projection_mid_contract(fu, contract, reports):
    """After two of three months: promised 2/3 × 2220.792 = 1480.528; so far 1639.752.

    Projection: 1639.752 + mean(740.264, 899.488) × 1 = 1639.752 + 819.876 = 2459.628.
    """
    s = follow_up(contract, reports[:2], as_of="latest").summary
    assert s["months_elapsed"] == 2
    assert s["promised_to_date_kg_co2e"] == pytest.approx(1480.528)
    assert s["deviation_kg_co2e"] == pytest.approx(1639.752 - 1480.528)
    assert s["projection_kg_co2e"] == pytest.approx(2459.628)


def test_a_missing_month_is_a_finding_and_projected_as_an_average_month(fu, contract):
    """The cheat who leaves February out: found, and not counted as zero in the projection.

    Jan + Mar = 740.264 + 681.4656 = 1421.7296; projection + mean 710.8648 × 1 = 2132.5944.
    """
    jan, _, mar = fu.three_months()
    result = follow_up(contract, [jan, mar])
    missing = result.findings[result.findings["kind"] == "month_missing"]
    assert missing["month"].tolist() == ["2025-02"]
    assert result.summary["months_reported"] == 2
    assert result.summary["projection_kg_co2e"] == pytest.approx(1421.7296 + 710.8648)
    assert not result.by_month.loc[1, "reported"]
    assert result.by_month.loc[1, "cumulative_kg_co2e"] == pytest.approx(740.264)


def test_a_machine_not_in_the_promise(fu, contract):
    """A hired diesel excavator, 50 L: found, and counted (50 × 3.34752 = 167.376 kg)."""
    jan = fu.make_report("2025-01", [fu.machine_row("M1", 1000.0, 50),
                                  {"machine": "Leid gravemaskin", "carrier": "diesel", "litres": 50.0,
                                   "machine_class": "excavator", "reported_hours": 10}])
    result = follow_up(contract, [jan])
    found = result.findings[result.findings["kind"] == "machine_not_promised"]
    assert found["detail"].tolist() == ["Leid gravemaskin"]
    assert found["source_ref"].tolist() == ["[rapport_2025-01.xlsx]Byggeplass!F3"]
    assert result.summary["kg_co2e"] == pytest.approx(15.0 + 167.376)
    machine = result.by_machine.set_index("machine")
    assert not machine.loc["Leid gravemaskin", "in_promise"]
    assert machine.loc["Hjullaster HVO", "months"] == 0      # promised, not seen yet


def test_delivered_concrete_with_a_higher_epd_value(fu):
    """Promised B30 at 175 kg CO2e/m3 (NEPD-1); delivered 40 m3 at 210 (NEPD-2): (210 − 175) × 40 = 1400.

    Steel promised at 1.2 kg CO2e per kg; delivered 2 tonn with an EPD of 1500 per tonne:
    1.2 × 1000 = 1200 per tonne promised, (1500 − 1200) × 2 = 600.
    """
    promised = fu.material_rows([
        {"line_key": "216.01#a", "description": "Betong B30", "product": "B30 lavkarbon",
         "epd_id": "NEPD-1", "epd_declared_unit": "m3", "epd_gwp_a1a3": 175.0, "quantity": 140.0,
         "unit": "m3"},
        {"line_key": "223.01#b", "description": "Armeringsstål", "epd_id": "NEPD-S",
         "epd_declared_unit": "kg", "epd_gwp_a1a3": 1.2, "quantity": 10.0, "unit": "tonn"},
        {"line_key": "230.01#c", "description": "Asfalt", "epd_id": "NEPD-A",
         "epd_declared_unit": "tonn", "epd_gwp_a1a3": 50.0, "quantity": 100.0, "unit": "tonn"}])
    delivered = fu.material_rows([
        {"line_key": "216.01#a", "description": "Betong B30", "epd_id": "NEPD-2",
         "epd_declared_unit": "m3", "epd_gwp_a1a3": 210.0, "quantity": 40.0, "unit": "m3",
         "source_ref": "[rapport_2025-01.xlsx]Materialer!E2"},
        {"line_key": "223.01#b", "description": "Armeringsstål", "epd_id": "NEPD-S",
         "epd_declared_unit": "tonn", "epd_gwp_a1a3": 1500.0, "quantity": 2.0, "unit": "tonn"}])
    result = follow_up(fu.make_contract(materials=promised),
                       [fu.make_report("2025-01", [fu.machine_row("M1", 1000.0, 50)], materials=delivered)])
    m = result.materials
    assert m["difference_kg_co2e"].tolist()[:2] == pytest.approx([1400.0, 600.0])
    assert m["promised_epd_gwp_a1a3"].tolist()[:2] == pytest.approx([175.0, 1200.0])
    assert result.summary["materials_difference_kg_co2e"] == pytest.approx(2000.0)
    assert m.loc[2, "line_key"] == "230.01#c" and m.loc[2, "quantity"] == 0.0   # not delivered yet
    differs = result.findings[result.findings["kind"] == "epd_differs"]
    assert differs["detail"].tolist() == ["NEPD-1 → NEPD-2"]
    assert differs["kg_co2e"].tolist() == pytest.approx([1400.0])
    # the climate result the rules judge: projection + material difference
    s = result.summary
    assert s["result_kg_co2e"] == pytest.approx(s["projection_kg_co2e"] + 2000.0)


def _concrete_promise(fu):
    """The bid promised 140 m3 of B30 under NEPD-1 at 175 kg CO2e/m3."""
    return fu.material_rows([{"line_key": "216.01#a", "description": "Betong B30",
                              "product": "B30 lavkarbon", "epd_id": "NEPD-1", "epd_declared_unit": "m3",
                              "epd_gwp_a1a3": 175.0, "quantity": 140.0, "unit": "m3"}])


def _deliver(fu, promise=None, accepted_epds=(), **delivery):
    """One delivery against the concrete promise (or ``promise``), in January's report."""
    contract = dataclasses.replace(fu.make_contract(
        materials=promise if promise is not None else _concrete_promise(fu)), accepted_epds=accepted_epds)
    return follow_up(contract, [fu.make_report(
        "2025-01", [fu.machine_row("M1", 1000.0, 50)], materials=fu.material_rows([
            {"line_key": "216.01#a", "description": "Betong B30", "epd_declared_unit": "m3",
             "unit": "m3", "source_ref": "[rapport_2025-01.xlsx]Materialer!G2", **delivery}]))],
        as_of="latest")


def test_a_better_product_under_another_epd_is_credited(fu):
    """NEPD-2 at 150 kg CO2e/m3, 40 m3 delivered: (150 − 175) × 40 = −1000, and the new EPD is listed."""
    result = _deliver(fu, epd_id="NEPD-2", epd_gwp_a1a3=150.0, quantity=40.0)
    assert result.summary["materials_difference_kg_co2e"] == pytest.approx(-1000.0)
    assert result.findings["kind"].tolist() == ["epd_differs"]


@pytest.mark.parametrize("epd_id", ["NEPD-1", " nepd-1 "])
def test_cheat_the_same_epd_reported_with_a_lower_value_is_not_credited(fu, epd_id):
    """The bid's own EPD typed at 100 instead of 175 would be a credit of (100 − 175) × 40 = −3000.

    An EPD says one value: the bid's 175 counts, the difference is 0, and the finding names the
    cell and the credit refused, 3000 kg.
    """
    result = _deliver(fu, epd_id=epd_id, epd_gwp_a1a3=100.0, quantity=40.0)
    assert result.summary["materials_difference_kg_co2e"] == 0.0
    row = result.materials.iloc[0]
    assert (row["epd_gwp_a1a3"], row["counted_epd_gwp_a1a3"], row["kg_co2e"]) == (100.0, 175.0, 7000.0)
    found = result.findings[result.findings["kind"] == "epd_value_lowered"]
    assert found["source_ref"].tolist() == ["[rapport_2025-01.xlsx]Materialer!G2"]
    assert found["kg_co2e"].tolist() == pytest.approx([3000.0])


@pytest.mark.parametrize("value", [0.0, -50.0])
def test_cheat_a_zero_or_negative_value_is_not_credited(fu, value):
    """Another EPD number at 0 or −50 kg CO2e/m3 for concrete promised at 175: the promise counts.

    Credited, it would be (0 − 175) × 40 = −7000 or (−50 − 175) × 40 = −9000; refused, the
    difference is 0 and the finding's kg is 175 × 40 = 7000 or 225 × 40 = 9000.
    """
    result = _deliver(fu, epd_id="NEPD-3", epd_gwp_a1a3=value, quantity=40.0)
    assert result.summary["materials_difference_kg_co2e"] == 0.0
    found = result.findings.set_index("kind")
    assert found.loc["epd_value_not_positive", "kg_co2e"] == pytest.approx((175.0 - value) * 40)
    assert found.loc["epd_differs", "detail"] == "NEPD-1 → NEPD-3"


def _ranged_promise(fu):
    """The concrete promise with the range a B30 claim is checked against in the tender.

    data/procurement/epd_ranges.csv, row concrete_b30: low 110 kg CO2e/m3.
    """
    return _concrete_promise(fu).assign(plausible_low=110.0, plausible_range="110–546 kg CO2e/m3 (B30)")


def _deliver_ranged(fu, accepted_epds=(), **delivery):
    return _deliver(fu, _ranged_promise(fu), accepted_epds, **delivery)


def test_cheat_a_value_below_the_plausible_range_under_another_epd_is_not_credited(fu):
    """Concrete promised at 175 kg CO2e/m3, reported under NEPD-9 at 5 (the tender's cheat).

    Credited, it would be (5 − 175) × 40 = −6800 kg; 5 is below the range's 110, so the
    promise's 175 counts, the difference is 0, and the finding's kg is the credit refused, 6800.
    """
    result = _deliver_ranged(fu, epd_id="NEPD-9", epd_gwp_a1a3=5.0, quantity=40.0)
    assert result.summary["materials_difference_kg_co2e"] == 0.0
    assert result.materials.loc[0, "counted_epd_gwp_a1a3"] == 175.0
    found = result.findings.set_index("kind")
    assert found.loc["epd_value_below_range", "kg_co2e"] == pytest.approx(6800.0)
    assert found.loc["epd_value_below_range", "source_ref"] == "[rapport_2025-01.xlsx]Materialer!G2"
    assert found.loc["epd_value_below_range", "detail"] == "NEPD-9: 5 kg CO2e/m3 < 110–546 kg CO2e/m3 (B30)"


def test_a_value_in_the_range_or_accepted_by_the_client_is_credited(fu):
    """120 (above 110) is credited: (120 − 175) × 40 = −2200; 5 once the contract accepts
    NEPD-9 (written with other blanks and case): (5 − 175) × 40 = −6800."""
    in_range = _deliver_ranged(fu, epd_id="NEPD-9", epd_gwp_a1a3=120.0, quantity=40.0)
    assert in_range.summary["materials_difference_kg_co2e"] == pytest.approx(-2200.0)
    accepted = _deliver_ranged(fu, accepted_epds=(" nepd-9",), epd_id="NEPD-9", epd_gwp_a1a3=5.0,
                               quantity=40.0)
    assert accepted.summary["materials_difference_kg_co2e"] == pytest.approx(-6800.0)
    for result in (in_range, accepted):
        assert result.findings["kind"].tolist() == ["epd_differs"]


def test_the_range_is_converted_to_the_delivered_unit(fu):
    """A delivery declared per litre (1 m3 = 1000 l): the range's 110 per m3 is 0.11 per l.

    0.1 per l (100 per m3) is below it and refused; 0.15 per l (150 per m3) is credited:
    (0.15 − 0.175) × 40 000 l = −1000 kg.
    """
    low = _deliver_ranged(fu, epd_id="NEPD-9", epd_gwp_a1a3=0.1, quantity=40.0, epd_declared_unit="l")
    assert low.summary["materials_difference_kg_co2e"] == 0.0
    assert "epd_value_below_range" in low.findings["kind"].tolist()
    ok = _deliver_ranged(fu, epd_id="NEPD-9", epd_gwp_a1a3=0.15, quantity=40.0, epd_declared_unit="l")
    assert ok.summary["materials_difference_kg_co2e"] == pytest.approx(-1000.0)


def test_cheat_a_negative_delivery_is_not_compared(fu):
    """−40 m3 under a worse EPD (210) would be a credit of (210 − 175) × (−40) = −1400: not compared."""
    result = _deliver(fu, epd_id="NEPD-2", epd_gwp_a1a3=210.0, quantity=-40.0)
    assert result.summary["materials_difference_kg_co2e"] == 0.0
    assert result.materials.loc[0, "reason"] == "negative_quantity"
    found = result.findings[result.findings["kind"] == "material_not_compared"]
    assert found["reason"].tolist() == ["negative_quantity"]
    assert found["source_ref"].tolist() == ["[rapport_2025-01.xlsx]Materialer!G2"]


def test_cheat_a_per_tonne_bonus_earned_by_a_lowered_value(fu):
    """Asphalt under E1 promised at 62 kg CO2e/tonn, reported under E1 at 55 to pass a 60 threshold.

    100 t at 55 would earn NOK 20 × 100 = 2000; the EPD's value in the bid, 62, is not below 60: 0.
    """
    promised = fu.material_rows([{"line_key": "a", "description": "Asfalt Ab11", "epd_id": "E1",
                                  "epd_declared_unit": "tonn", "epd_gwp_a1a3": 62.0,
                                  "quantity": 150.0, "unit": "tonn"}])
    delivered = fu.material_rows([{"line_key": "a", "description": "Asfalt Ab11", "epd_id": "E1",
                                   "epd_declared_unit": "tonn", "epd_gwp_a1a3": 55.0,
                                   "quantity": 100.0, "unit": "tonn"}])
    params = {"match": "asfalt", "threshold_kg_co2e": 60.0, "declared_unit": "tonn", "nok_per_tonne": 20.0}
    rule = Rule(kind="per_tonne_below_threshold", parameters=params, sources=dict.fromkeys(params, "x"))
    result = follow_up(fu.make_contract(rules=[rule], materials=promised),
                       [fu.make_report("2025-01", [fu.machine_row("M1", 1.0, 1)], materials=delivered)],
                       as_of="latest")
    assert result.bonus.loc[0, "amount_nok"] == 0.0
    assert result.findings["kind"].tolist() == ["epd_value_lowered"]


def test_cheat_diesel_reported_as_emission_free(fu, contract, reports):
    """The carrier decides: a diesel dumper flagged emission-free changes no share, and is found."""
    reports[0] = fu.make_report("2025-01", [fu.machine_row("M1", 1000.0, 50), fu.machine_row("M2", 100.0, 40),
                                         fu.machine_row("M3", 200.0, 60, emission_free=True)])
    result = follow_up(contract, reports)
    assert result.by_month.loc[0, "share_energy"] == pytest.approx(1000 / 3900)
    assert result.by_month.loc[0, "share_machine_count"] == pytest.approx(1 / 3)
    flagged = result.findings[result.findings["kind"] == "emission_free_flag_wrong"]
    assert flagged["month"].tolist() == ["2025-01"] and flagged["detail"].tolist() == ["diesel"]


def test_fossil_machine_where_an_electric_one_was_promised(fu, contract):
    """M1 was promised electric; in January it ran 100 L of diesel."""
    jan = fu.make_report("2025-01", [fu.machine_row("M1", None, 50, carrier="diesel", litres=100.0, kwh=None)])
    result = follow_up(contract, [jan])
    found = result.findings[result.findings["kind"] == "fossil_instead_of_emission_free"]
    assert found["detail"].tolist() == ["M1: electricity_no → diesel"]
    assert result.summary["share_energy"] == 0.0


def test_a_carrier_changed_on_a_promised_machine_is_found(fu, contract):
    """M3 was promised on diesel and M2 on HVO; in January M3 reports 1 955 kWh of electricity and
    M2 100 L of diesel. Both count as reported (1955 × 0.015 = 29.325; 100 × 3.34752 = 334.752) and
    both changes are found. M1, promised on ``electricity_no``, reported as plain "Electricity",
    is the same carrier.
    """
    jan = fu.make_report("2025-01", [
        fu.machine_row("M1", 1000.0, 50, carrier="Electricity"),
        fu.machine_row("M2", 100.0, 40, carrier="diesel"),
        fu.machine_row("M3", None, 60, carrier="electricity_no", kwh=1955.0, litres=None)])
    result = follow_up(contract, [jan])
    found = result.findings[result.findings["kind"] == "carrier_changed"]
    assert found["detail"].tolist() == ["M2: hvo100 → diesel", "M3: diesel → electricity_no"]
    assert found["source_ref"].tolist() == ["[rapport_2025-01.xlsx]Byggeplass!F3",
                                            "[rapport_2025-01.xlsx]Byggeplass!F4"]
    assert result.summary["kg_co2e"] == pytest.approx(15.0 + 334.752 + 29.325)


def test_cheat_leaving_out_the_worst_month_earns_no_bonus(fu):
    """Honestly reported, the three months total 2321.2176 kg against the bid's 2220.792: a deduction.

    Without February (899.488 kg), the projection counts it as the mean of January (740.264) and
    March (681.4656): 1421.7296 × 3 / 2 = 2132.5944, 3.9714 % under the budget, a bonus of
    100e6 × 0.001 × 100 × (2220.792 − 2132.5944) / 2220.792. It is held back (0) while February
    has no report, and the finding says the month is missing.
    """
    rule = fu.budget_rule(bonus_share_per_percent=0.001, deduction_share_per_percent=0.001)
    honest = fu.three_months()
    assert follow_up(fu.make_contract(rules=[rule]), honest).bonus.loc[0, "amount_nok"] < 0
    result = follow_up(fu.make_contract(rules=[rule]), [honest[0], honest[2]])
    bonus = result.bonus.iloc[0]
    assert result.summary["projection_kg_co2e"] == pytest.approx(2132.5944)
    assert bonus["uncapped_nok"] == pytest.approx(1e5 * 100 * (BUDGET - 2132.5944) / BUDGET)
    assert (bonus["amount_nok"], bonus["note"], bonus["detail"]) == (0.0, "held_back", "2025-02")
    assert result.summary["bonus_nok"] == 0.0
    assert "2025-02" in status_text(result)


def test_cheat_a_row_left_uncomputed_earns_no_bonus(fu):
    """March's 180 L of diesel typed as −180: the row is not computed, and 180 × 3.34752 = 602.5536
    kg drop out. Against a budget of 3000 the result 2321.2176 − 602.5536 = 1718.664 would earn
    100e6 × 0.001 × 100 × (3000 − 1718.664) / 3000; it is held back, naming the cell.
    """
    rule = fu.budget_rule(bonus_share_per_percent=0.001, deduction_share_per_percent=0.001)
    reports = fu.three_months(m3_march=-180.0)
    result = follow_up(fu.make_contract(rules=[rule], climate_budget_kg=3000.0), reports)
    bonus = result.bonus.iloc[0]
    assert bonus["uncapped_nok"] == pytest.approx(1e5 * 100 * (3000 - 1718.664) / 3000)
    assert (bonus["amount_nok"], bonus["note"]) == (0.0, "held_back")
    assert bonus["detail"] == "[rapport_2025-03.xlsx]Byggeplass!F4"


def test_cheat_a_delivery_without_its_value_earns_no_bonus(fu):
    """A worse concrete delivered with its GWP left blank (the whole 140 m3 promised) is not
    compared (its difference counts as nothing), so the bonus the site result earns is held back
    until it is."""
    rule = fu.budget_rule(bonus_share_per_percent=0.001, deduction_share_per_percent=0.001)
    delivered = fu.material_rows([{"line_key": "216.01#a", "description": "Betong B30",
                                   "epd_id": "NEPD-9", "epd_declared_unit": "m3", "quantity": 140.0,
                                   "unit": "m3", "source_ref": "[rapport_2025-03.xlsx]Materialer!G2"}])
    reports = fu.three_months()
    reports[2] = dataclasses.replace(reports[2], materials=delivered)
    contract = fu.make_contract(rules=[rule], climate_budget_kg=3000.0, materials=_concrete_promise(fu))
    bonus = follow_up(contract, reports).bonus.iloc[0]
    assert bonus["uncapped_nok"] > 0
    assert (bonus["amount_nok"], bonus["note"], bonus["detail"]) == (
        0.0, "held_back", "[rapport_2025-03.xlsx]Materialer!G2")


@pytest.mark.parametrize(("today", "status", "missing"), [
    (dt.date(2025, 3, 10), "2025-01", []),                    # February's report is not due yet
    (dt.date(2025, 4, 1), "2025-02", ["2025-02"]),            # due at the end of March
    (dt.date(2026, 12, 7), "2025-03", ["2025-02", "2025-03"]),  # long after the end
])
def test_the_default_status_is_today_s(fu, contract, monkeypatch, today, status, missing):
    """A contractor who stops reporting after January is not judged on January alone.

    A month's report is due at the end of the month after it; by default the status is the
    last month due on the day it is run, never after the contract's last month (2025-03).
    """
    monkeypatch.setattr(status_module, "_today", lambda: today)
    result = follow_up(contract, fu.three_months()[:1])
    assert str(result.status_month) == status
    found = result.findings[result.findings["kind"] == "month_missing"]
    assert found["month"].tolist() == missing


@pytest.mark.parametrize("word", ["latest", "siste", " Siste "])
def test_the_status_as_of_the_last_report_on_request(fu, contract, word):
    """The status of the last month reported, as before the default was today's: January."""
    result = follow_up(contract, fu.three_months()[:1], as_of=word)
    assert str(result.status_month) == "2025-01"
    assert not (result.findings["kind"] == "month_missing").any()


def test_a_report_ahead_of_its_due_date_moves_the_status_on(fu, contract, monkeypatch):
    """On 10 March only January is due, but February is already in: the status is February."""
    monkeypatch.setattr(status_module, "_today", lambda: dt.date(2025, 3, 10))
    assert str(follow_up(contract, fu.three_months()[:2]).status_month) == "2025-02"


def test_a_deduction_stands_while_a_month_is_missing(fu):
    """January and February in, March missing at the status of March: the projection
    (740.264 + 899.488) × 3 / 2 = 2459.628 is over the budget 2220.792, and the deduction
    100e6 × 0.001 × 100 × (2459.628 − 2220.792) / 2220.792 stands.
    """
    rule = fu.budget_rule(bonus_share_per_percent=0.001, deduction_share_per_percent=0.001)
    result = follow_up(fu.make_contract(rules=[rule]), fu.three_months()[:2], as_of="2025-03")
    assert result.bonus.loc[0, "amount_nok"] == pytest.approx(-1e5 * 100 * (2459.628 - BUDGET) / BUDGET)
    assert result.bonus.loc[0, "note"] == ""


def test_cheat_negative_litres_are_not_counted(fu, contract):
    """−200 L of diesel is refused (negative_amount) and adds nothing: January is M1 + M2 = 70.76."""
    jan = fu.make_report("2025-01", [fu.machine_row("M1", 1000.0, 50), fu.machine_row("M2", 100.0, 40),
                                  fu.machine_row("M3", -200.0, 60)])
    result = follow_up(contract, [jan])
    refused = result.findings[result.findings["kind"] == "row_not_computed"]
    assert refused["reason"].tolist() == ["negative_amount"]
    assert refused["source_ref"].tolist() == ["[rapport_2025-01.xlsx]Byggeplass!F4"]
    assert result.summary["kg_co2e"] == pytest.approx(15.0 + 55.76)
    assert result.by_month.loc[0, "rows_not_computed"] == 1


def test_fuel_and_hours_that_cannot_both_be_right(fu, contract):
    """1000 L of diesel in 10 h on a 100 kW dumper: 840 kg of diesel, where full power for 10 h at
    the table's SFC (≈ 0.2-0.25 kg/kWh) burns at most about 250 kg. 100 L (84 kg) passes, and so
    does a row without hours.
    """
    rows = [fu.machine_row("M3", 1000.0, 10, rated_power_kw=100.0),
            fu.machine_row("M3", 100.0, 10, rated_power_kw=100.0),
            fu.machine_row("M3", 100.0, None, rated_power_kw=100.0)]
    result = follow_up(contract, [fu.make_report("2025-01", rows)])
    found = result.findings[result.findings["kind"] == "fuel_hours_implausible"]
    assert found["source_ref"].tolist() == ["[rapport_2025-01.xlsx]Byggeplass!F2"]


def test_months_outside_the_period_after_the_status_and_twice(fu, contract):
    """December 2024 is outside; a corrected January counts instead of the first; March after as_of."""
    jan, feb, mar = fu.three_months()
    dec = fu.make_report("2024-12", [fu.machine_row("M1", 1.0, 1)])
    jan_fixed = fu.make_report("2025-01", [fu.machine_row("M1", 2000.0, 50)], file="rapport_2025-01_v2.xlsx")
    result = follow_up(contract, [dec, jan, jan_fixed, feb, mar], as_of="2025-02")
    kinds = dict(zip(result.findings["kind"], result.findings["month"], strict=True))
    assert kinds == {"month_duplicate": "2025-01", "month_outside_period": "2024-12",
                     "month_after_status": "2025-03"}
    assert result.by_month.loc[0, "kg_co2e"] == pytest.approx(2000 * 0.015)
    assert result.by_month.loc[0, "files"] == "rapport_2025-01_v2.xlsx"
    summed = follow_up(contract, [jan, jan_fixed], duplicates="sum")
    assert summed.by_month.loc[0, "kg_co2e"] == pytest.approx(JAN + 30.0)
    with pytest.raises(InputError, match="months reported twice"):
        follow_up(contract, [jan], duplicates="first")


def test_a_rule_that_cannot_be_applied_says_why(fu, contract, reports):
    rules = [Rule(kind="budget_share", parameters={"bonus_share_per_percent": 0.001},
                  sources={"bonus_share_per_percent": "x"}),
             Rule(kind="advantage_multiple", parameters={"multiple": 1.5, "co2_price_nok_per_kg": 2.0},
                  sources={"multiple": "Rijkswaterstaat DuboCalc FAQ", "co2_price_nok_per_kg": "x"})]
    result = follow_up(fu.make_contract(rules=rules), reports)
    assert result.bonus["note"].tolist() == ["missing_parameter", ""]
    assert result.bonus.loc[0, "detail"] == "deduction_share_per_percent"
    # 100.4256 kg over the promise at NOK 2/kg, × 1.5: −301.2768
    assert result.bonus.loc[1, "amount_nok"] == pytest.approx(-1.5 * 2.0 * 100.4256)


def test_per_tonne_rule_on_deliveries(fu, contract):
    """Asphalt below 60 kg CO2e/tonn earns NOK 20/t: 100 t at 55 counts, 50 t at 70 does not → 2000."""
    promised = fu.material_rows([{"line_key": "a", "description": "Asfalt Ab11", "epd_id": "E1",
                               "epd_declared_unit": "tonn", "epd_gwp_a1a3": 58.0, "quantity": 150.0,
                               "unit": "tonn"}])
    delivered = fu.material_rows([
        {"line_key": "a", "description": "Asfalt Ab11", "epd_id": "E1", "epd_declared_unit": "tonn",
         "epd_gwp_a1a3": 55.0, "quantity": 100.0, "unit": "tonn"},
        {"line_key": "a", "description": "Asfalt Ab11", "epd_id": "E1", "epd_declared_unit": "kg",
         "epd_gwp_a1a3": 0.070, "quantity": 50_000.0, "unit": "kg"}])
    params = {"match": "asfalt", "threshold_kg_co2e": 60.0, "declared_unit": "tonn", "nok_per_tonne": 20.0}
    rule = Rule(kind="per_tonne_below_threshold", parameters=params, sources=dict.fromkeys(params, "x"))
    result = follow_up(fu.make_contract(rules=[rule], materials=promised),
                       [fu.make_report("2025-01", [fu.machine_row("M1", 1.0, 1)], materials=delivered)],
                       as_of="latest")
    assert result.bonus.loc[0, "tonnes_below"] == pytest.approx(100.0)
    assert result.bonus.loc[0, "amount_nok"] == pytest.approx(2000.0)


def test_status_text_and_json(fu, contract, reports):
    rule = fu.budget_rule(bonus_share_per_percent=0.001, deduction_share_per_percent=0.0005)
    result = follow_up(fu.make_contract(rules=[rule]), reports)
    nb, en = status_text(result), status_text(result, "en")
    assert "status 2025-03 (3 av 3 måneder, 3 rapportert)" in nb
    assert "Site (A5) so far: 2,321 kg CO2e" in en
    assert "Regel 1" in nb and "kr" in nb
    data = json.loads(result.to_json())
    assert data["status_month"] == "2025-03"
    assert data["summary"]["kg_co2e"] == pytest.approx(2321.2176)
    assert data["summary"]["promised_share_machine_hours"] is None      # NaN → null
    assert [row["month"] for row in data["by_month"]] == ["2025-01", "2025-02", "2025-03"]


def test_before_any_report(fu, contract, monkeypatch):
    """On 15 January 2025 no report of the contract (2025-01 .. 2025-03) is due yet."""
    monkeypatch.setattr(status_module, "_today", lambda: dt.date(2025, 1, 15))
    result = follow_up(contract, [])
    assert result.status_month is None
    assert result.summary["kg_co2e"] == 0.0 and math.isnan(result.summary["projection_kg_co2e"])
    assert "Ingen månedsrapport" in status_text(result)
    assert isinstance(result.by_month, pd.DataFrame) and len(result.by_month) == 3


def test_heating_counts_in_energy_not_as_a_machine(fu, contract):
    """District-heat drying 500 kWh: energy share (1000 + 500) / (3900 + 500); still one machine of three."""
    rows = [fu.machine_row("M1", 1000.0, 50), fu.machine_row("M2", 100.0, 40),
            fu.machine_row("M3", 200.0, 60),
            {"machine_id": "H1", "activity": "Byggtørk", "carrier": "district_heating_no", "kwh": 500.0,
             "category": "heating"}]
    result = follow_up(contract, [fu.make_report("2025-01", rows)])
    assert result.by_month.loc[0, "share_energy"] == pytest.approx(1500 / 4400, rel=1e-6)
    assert result.by_month.loc[0, "share_machine_count"] == pytest.approx(1 / 3)
    # 500 kWh × 0.075 kg CO2e/kWh (district_heating_no, wtw) = 37.5 on top of January's 740.264
    assert result.summary["kg_co2e"] == pytest.approx(740.264 + 37.5)
    assert "machine_not_promised" not in set(result.findings["kind"])


def test_monthly_class_totals_follow_the_site_package_definitions():
    """Per month and cumulatively, the same totals as site.energy_class_totals on those rows."""
    import numpy as np

    from klimafotavtrykk.followup.status import monthly_class_totals
    from klimafotavtrykk.site import energy_class_totals

    rng = np.random.default_rng(11)
    n = 300
    month = rng.integers(0, 5, n)
    cls = rng.choice(np.array(["fossil", "fossil_free", "emission_free", None], dtype=object), n)
    energy = rng.random(n) * 100
    hours = np.where(rng.random(n) < 0.2, np.nan, rng.random(n) * 10)
    machine = rng.choice(np.array(["A", "B", "C", "D", None], dtype=object), n)
    monthly, cumulative = monthly_class_totals(month, 5, cls, energy, hours, machine)
    for m in range(5):
        this, upto = month == m, month <= m
        assert monthly[:, m, :] == pytest.approx(
            energy_class_totals(cls[this], energy[this], hours[this], machine[this]).to_numpy())
        assert cumulative[:, m, :] == pytest.approx(
            energy_class_totals(cls[upto], energy[upto], hours[upto], machine[upto]).to_numpy())


def test_a_report_signed_late_is_a_finding_and_still_counts(fu, contract):
    """January signed 2025-03-05 is late (after February); February signed 2025-03-01 is not."""
    import datetime as dt

    jan, feb, _ = fu.three_months()
    reports = _signed((jan, feb), (dt.date(2025, 3, 5), dt.date(2025, 3, 1)))
    result = follow_up(contract, reports)
    late = result.findings[result.findings["kind"] == "report_late"]
    assert late[["month", "detail"]].values.tolist() == [["2025-01", "2025-03-05"]]
    assert result.summary["kg_co2e"] == pytest.approx(JAN + FEB)


def test_a_report_signed_after_the_status_date_is_not_counted(fu, contract):
    """Status 2025-02 stands at the end of March: January signed 2025-04-02 was not there yet."""
    import datetime as dt

    jan, feb, _ = fu.three_months()
    reports = _signed((jan, feb), (dt.date(2025, 4, 2), dt.date(2025, 3, 5)))
    result = follow_up(contract, reports, as_of="2025-02")
    kinds = result.findings.set_index("kind")["month"].to_dict()
    assert kinds == {"report_after_status": "2025-01", "month_missing": "2025-01"}
    assert result.summary["kg_co2e"] == pytest.approx(FEB)
    everything = follow_up(contract, reports)          # no status date: every report counts
    assert everything.summary["kg_co2e"] == pytest.approx(JAN + FEB)


def test_a_correction_signed_after_the_status_date_is_no_duplicate_yet(fu, contract):
    """January and its correction (signed 2025-05-02): at status 2025-01 only the first exists."""
    import datetime as dt

    jan = fu.three_months()[0]
    fixed = fu.make_report("2025-01", [fu.machine_row("M1", 2000.0, 50)], file="rapport_2025-01_v2.xlsx")
    reports = _signed((jan, fixed), (dt.date(2025, 2, 3), dt.date(2025, 5, 2)))
    result = follow_up(contract, reports, as_of="2025-01")
    assert result.findings["kind"].tolist() == ["report_after_status"]
    assert result.summary["kg_co2e"] == pytest.approx(JAN)


def _signed(reports, dates):
    """The reports as signed on ``dates`` (``MonthlyReport.report_date``)."""
    import dataclasses

    return [dataclasses.replace(r, report_date=d) for r, d in zip(reports, dates, strict=True)]


def _deliveries_at_the_end(fu, quantities, unit="m3", tolerance=None, rules=()):
    """The concrete promise (140 m3, bid cell Materialer!E5), delivered in March, the last month."""
    promise = _concrete_promise(fu).assign(source_ref="[bud.xlsx]Materialer!E5")
    delivered = fu.material_rows([
        {"line_key": "216.01#a", "description": "Betong B30", "epd_id": "NEPD-1", "epd_declared_unit": "m3",
         "epd_gwp_a1a3": 175.0, "quantity": q, "unit": unit,
         "source_ref": f"[rapport_2025-03.xlsx]Materialer!G{2 + i}"} for i, q in enumerate(quantities)])
    reports = fu.three_months()
    reports[2] = dataclasses.replace(reports[2], materials=delivered)
    contract = dataclasses.replace(
        fu.make_contract(rules=rules, climate_budget_kg=3000.0, materials=promise),
        quantity_tolerance=tolerance)
    return follow_up(contract, reports)


def test_cheat_reporting_part_of_a_promised_material_earns_no_bonus(fu):
    """140 m3 promised; 40 m3 reported at the contract's end: the other 100 m3 could be a worse
    product left out. The line is a finding at the bid's cell, and the bonus the site result
    earns against a budget of 3000 is held back, naming the line."""
    rule = fu.budget_rule(bonus_share_per_percent=0.001, deduction_share_per_percent=0.001)
    result = _deliveries_at_the_end(fu, [40.0], rules=[rule])
    found = result.findings[result.findings["kind"] == "material_short"]
    assert found["source_ref"].tolist() == ["[bud.xlsx]Materialer!E5"]
    assert found["detail"].tolist() == ["216.01#a: 40 / 140 m3"]
    bonus = result.bonus.iloc[0]
    assert bonus["uncapped_nok"] > 0
    assert (bonus["amount_nok"], bonus["note"], bonus["detail"]) == (0.0, "held_back", "216.01#a: 40 / 140 m3")


def test_the_whole_promised_quantity_reported_is_no_finding(fu):
    """60 + 80 = 140 m3; and 140 000 l, converted to the bid's unit (1 m3 = 1 000 l)."""
    for quantities, unit in (([60.0, 80.0], "m3"), ([140_000.0], "l")):
        result = _deliveries_at_the_end(fu, quantities, unit=unit)
        assert "material_short" not in result.findings["kind"].tolist()


def test_the_contracts_quantity_tolerance(fu):
    """quantity_tolerance 0.05 allows 5 % of 140 = 7 m3 unreported: 135 passes, 130 does not."""
    assert "material_short" not in _deliveries_at_the_end(fu, [135.0], tolerance=0.05).findings["kind"].tolist()
    assert "material_short" in _deliveries_at_the_end(fu, [130.0], tolerance=0.05).findings["kind"].tolist()


def test_before_the_last_month_a_short_material_is_no_finding(fu):
    """Deliveries go on until the end: with February the status, 40 of 140 m3 is no finding."""
    promise = _concrete_promise(fu)
    contract = fu.make_contract(materials=promise)
    result = follow_up(contract, fu.three_months()[:2], as_of="2025-02")
    assert "material_short" not in result.findings["kind"].tolist()


def _over(fu, deliveries, tolerance=None, rules=(), promise=None):
    promise = promise if promise is not None else _ranged_promise(fu).assign(source_ref="[bud.xlsx]Materialer!E5")
    contract = dataclasses.replace(fu.make_contract(rules=rules, materials=promise), quantity_tolerance=tolerance)
    return follow_up(contract, [fu.make_report("2025-01", [fu.machine_row("M1", 1000.0, 50)], materials=fu.material_rows([
        {"line_key": promise["line_key"].iloc[0], "description": promise["description"].iloc[0],
         "epd_declared_unit": promise["epd_declared_unit"].iloc[0], "unit": promise["unit"].iloc[0],
         "source_ref": f"[rapport_2025-01.xlsx]Materialer!G{2 + i}", **d} for i, d in enumerate(deliveries)]))],
        as_of="latest")


def test_cheat_reporting_more_of_a_better_product_than_promised_earns_the_promise_only(fu):
    """140 m3 promised at 175; 400 m3 reported under NEPD-2 at 150 would be a credit of
    (150 − 175) × 400 = −10 000 kg. Credited up to the promise: (150 − 175) × 140 = −3 500; the
    finding at the bid's cell refuses 6 500."""
    result = _over(fu, [{"epd_id": "NEPD-2", "epd_gwp_a1a3": 150.0, "quantity": 400.0}])
    assert result.summary["materials_difference_kg_co2e"] == pytest.approx(-3_500.0)
    found = result.findings.set_index("kind").loc["material_over"]
    assert (found["source_ref"], found["detail"]) == ("[bud.xlsx]Materialer!E5", "216.01#a: 400 / 140 m3")
    assert found["kg_co2e"] == pytest.approx(6_500.0)


def test_over_the_promise_a_worse_product_counts_in_full_and_the_tolerance_credits_more(fu):
    """400 m3 at 210: (210 − 175) × 400 = +14 000, no cap on a worse product. With
    quantity_tolerance 0.1, 154 m3 are credited: (150 − 175) × 154 = −3 850."""
    worse = _over(fu, [{"epd_id": "NEPD-2", "epd_gwp_a1a3": 210.0, "quantity": 400.0}])
    assert worse.summary["materials_difference_kg_co2e"] == pytest.approx(14_000.0)
    tolerant = _over(fu, [{"epd_id": "NEPD-2", "epd_gwp_a1a3": 150.0, "quantity": 400.0}], tolerance=0.1)
    assert tolerant.summary["materials_difference_kg_co2e"] == pytest.approx(-3_850.0)
    within = _over(fu, [{"epd_id": "NEPD-2", "epd_gwp_a1a3": 150.0, "quantity": 60.0},
                        {"epd_id": "NEPD-2", "epd_gwp_a1a3": 150.0, "quantity": 80.0}])
    assert within.summary["materials_difference_kg_co2e"] == pytest.approx(-3_500.0)
    assert "material_over" not in within.findings["kind"].tolist()


def test_cheat_a_per_tonne_bonus_on_more_tonnes_than_promised(fu):
    """Asphalt promised 150 t at 58; 300 t reported at 55 would earn NOK 20 × 300 = 6 000; the
    tonnes counted stop at the promise: 20 × 150 = 3 000."""
    promise = fu.material_rows([{"line_key": "a", "description": "Asfalt Ab11", "epd_id": "E1",
                                 "epd_declared_unit": "tonn", "epd_gwp_a1a3": 58.0, "quantity": 150.0,
                                 "unit": "tonn"}])
    params = {"match": "asfalt", "threshold_kg_co2e": 60.0, "declared_unit": "tonn", "nok_per_tonne": 20.0}
    rule = Rule(kind="per_tonne_below_threshold", parameters=params, sources=dict.fromkeys(params, "x"))
    result = _over(fu, [{"epd_id": "E1", "epd_gwp_a1a3": 55.0, "quantity": 300.0}], rules=[rule],
                   promise=promise)
    assert result.bonus.loc[0, "tonnes_below"] == pytest.approx(150.0)
    assert result.bonus.loc[0, "amount_nok"] == pytest.approx(3_000.0)


def test_cheat_machine_hours_with_a_lowered_rated_power(fu):
    """M3 (diesel dumper) promised with 90 kW; a month of 900 h given in hours alone is computed
    from the rated power typed. At 1 kW it would be 1/90 of the honest row; the bid's 90 kW
    counts, so the result equals the honest report's, and the finding names the row. A row left
    without a power gets the bid's; a row with more power is taken as reported."""
    machines = fu.promised_machines().assign(rated_power_kw=[None, None, 90.0])

    def month(power):
        row = {"machine_id": "M3", "machine": "Dumper diesel", "machine_class": "site_dumper",
               "carrier": "diesel", "machine_hours": 900.0, "rated_power_kw": power}
        return follow_up(fu.make_contract(machines=machines), [fu.make_report("2025-01", [row])],
                         as_of="latest")

    honest, cheat, blank, more = month(90.0), month(1.0), month(None), month(120.0)
    assert honest.summary["kg_co2e"] > 0
    assert cheat.summary["kg_co2e"] == pytest.approx(honest.summary["kg_co2e"])
    assert blank.summary["kg_co2e"] == pytest.approx(honest.summary["kg_co2e"])
    assert more.summary["kg_co2e"] == pytest.approx(honest.summary["kg_co2e"] * 120 / 90)
    found = cheat.findings[cheat.findings["kind"] == "power_lowered"]
    assert found["detail"].tolist() == ["M3: 90 → 1 kW"]
    assert found["source_ref"].tolist() == ["[rapport_2025-01.xlsx]Byggeplass!F2"]
    assert "power_lowered" not in honest.findings["kind"].tolist() + blank.findings["kind"].tolist()


def test_a_report_whose_deliveries_name_no_line_key_is_not_promised(fu):
    """A contractor's own material rows, none with a line key: each is found as not promised, and
    the status is drawn (it had raised an IndexError when no delivery named a line)."""
    result = follow_up(fu.make_contract(materials=_concrete_promise(fu)), [fu.make_report(
        "2025-01", [fu.machine_row("M1", 1000.0, 50)], materials=fu.material_rows([
            {"line_key": None, "description": "Betong B30", "epd_id": "NEPD-2", "epd_declared_unit": "m3",
             "epd_gwp_a1a3": 150.0, "quantity": 40.0, "unit": "m3",
             "source_ref": "[rapport_2025-01.xlsx]Materialer!G2"}]))], as_of="latest")
    assert result.summary["materials_difference_kg_co2e"] == 0.0
    found = result.findings[result.findings["kind"] == "material_not_promised"]
    assert found["source_ref"].tolist() == ["[rapport_2025-01.xlsx]Materialer!G2"]


def test_cheat_a_per_tonne_bonus_on_a_line_nothing_was_promised_for(fu):
    """The bid has two asphalt lines: "a" (150 t, EPD E1 at 58 promised) and "b" (200 t, no EPD
    claim). Asphalt below 60 kg CO2e/t earns NOK 20/t. A contractor reporting 2 000 t at 55
    against "b" and 500 t against a key no line of the bid has would earn 20 x 2 500 = 50 000 on
    top of line "a"'s 150 t (3 000). Now a line without a promise counts up to its quantity, 200 t
    (finding material_over_line at the bid's cell), and a key that is no line of the bid counts
    nothing (material_unknown_line): 20 x (150 + 200) = 7 000."""
    lines = fu.material_rows([
        {"line_key": "a", "description": "Asfalt Ab11", "epd_id": "E1", "epd_declared_unit": "tonn",
         "epd_gwp_a1a3": 58.0, "quantity": 150.0, "unit": "tonn", "source_ref": "[bud.xlsx]Materialer!E2"},
        {"line_key": "b", "description": "Asfalt Agb11", "quantity": 200.0, "unit": "tonn",
         "source_ref": "[bud.xlsx]Materialer!E3"}])
    promise = lines.iloc[:1]
    params = {"match": "asfalt", "threshold_kg_co2e": 60.0, "declared_unit": "tonn", "nok_per_tonne": 20.0}
    rule = Rule(kind="per_tonne_below_threshold", parameters=params, sources=dict.fromkeys(params, "x"))
    contract = dataclasses.replace(fu.make_contract(rules=[rule], materials=promise),
                                   bid=fu.make_bid(fu.promise_site(), materials=lines))

    def delivery(key, tonnes, row):
        return {"line_key": key, "description": "Asfalt", "epd_id": "E9", "epd_declared_unit": "tonn",
                "epd_gwp_a1a3": 55.0, "quantity": tonnes, "unit": "tonn",
                "source_ref": f"[rapport_2025-01.xlsx]Materialer!G{row}"}

    honest = [delivery("a", 150.0, 2), delivery("b", 200.0, 3)]
    cheat = [delivery("a", 150.0, 2), delivery("b", 2_000.0, 3), delivery("x", 500.0, 4)]
    results = [follow_up(contract, [fu.make_report("2025-01", [fu.machine_row("M1", 1.0, 1)],
                                                   materials=fu.material_rows(rows))], as_of="latest")
               for rows in (honest, cheat)]
    assert [r.bonus.loc[0, "tonnes_below"] for r in results] == pytest.approx([350.0, 350.0])
    assert [r.bonus.loc[0, "amount_nok"] for r in results] == pytest.approx([7_000.0, 7_000.0])
    found = results[1].findings.set_index("kind")
    assert (found.loc["material_over_line", "source_ref"], found.loc["material_over_line", "detail"]) == (
        "[bud.xlsx]Materialer!E3", "b: 2000 / 200 tonn")
    assert found.loc["material_unknown_line", "source_ref"] == "[rapport_2025-01.xlsx]Materialer!G4"
    assert found.loc["material_not_promised", "source_ref"] == "[rapport_2025-01.xlsx]Materialer!G3"
    assert "material_over_line" not in results[0].findings["kind"].tolist()


def _steel_promise(fu, mass_per_unit):
    """10 m3 of steel beams promised under NEPD-1 at 1.2 kg CO2e/kg; the bid's own mass per m3."""
    return fu.material_rows([{"line_key": "223.01#s", "description": "Stålbjelker", "epd_id": "NEPD-1",
                              "epd_declared_unit": "kg", "epd_gwp_a1a3": 1.2, "quantity": 10.0, "unit": "m3",
                              "mass_per_unit": mass_per_unit, "source_ref": "[bud.xlsx]Materialer!E7"}])


def _steel(fu, mass_per_unit, quantity, unit):
    contract = fu.make_contract(materials=_steel_promise(fu, mass_per_unit))
    return follow_up(contract, [fu.make_report("2025-01", [fu.machine_row("M1", 1000.0, 50)], materials=fu.material_rows([
        {"line_key": "223.01#s", "description": "Stålbjelker", "epd_id": "NEPD-2", "epd_declared_unit": "kg",
         "epd_gwp_a1a3": 1.0, "quantity": quantity, "unit": unit,
         "source_ref": "[rapport_2025-01.xlsx]Materialer!G2"}]))], as_of="latest")


def test_a_line_in_m3_with_an_epd_per_kg_is_compared_through_the_bids_mass(fu):
    """The report template is pre-filled with the line's unit (m3) and the EPD's (kg): 10 m3 at the
    bid's 7 850 kg/m3 are 78 500 kg, (1.0 − 1.2) × 78 500 = −15 700. It had not been compared at
    all (the units differ in dimension). 78.5 tonn reported instead is the same."""
    for quantity, unit in ((10.0, "m3"), (78.5, "tonn")):
        result = _steel(fu, 7_850.0, quantity, unit)
        assert result.materials.loc[0, "declared_quantity"] == pytest.approx(78_500.0)
        assert result.summary["materials_difference_kg_co2e"] == pytest.approx(-15_700.0)
        assert "material_not_compared" not in result.findings["kind"].tolist()


def test_cheat_a_better_product_in_a_unit_the_line_is_not_in_is_not_credited_past_the_promise(fu):
    """Reported in tonnes against a line in m3, the deliveries could not be summed against the
    promise, so 785 t (ten times the line) had been credited in full: (1.0 − 1.2) × 785 000 =
    −157 000. Through the bid's 7 850 kg/m3 the line is 100 m3 against 10 promised, and the
    credit stops at the promise: −15 700 (finding material_over). Where the bid gives no mass
    per unit, a better product reported in a unit the line is not in is not credited at all
    (material_unit_not_line, the 157 000 refused)."""
    capped = _steel(fu, 7_850.0, 785.0, "tonn")
    assert capped.summary["materials_difference_kg_co2e"] == pytest.approx(-15_700.0)
    assert capped.findings.set_index("kind").loc["material_over", "detail"] == "223.01#s: 100 / 10 m3"
    refused = _steel(fu, None, 785.0, "tonn")
    assert refused.summary["materials_difference_kg_co2e"] == pytest.approx(0.0)
    found = refused.findings.set_index("kind").loc["material_unit_not_line"]
    assert (found["source_ref"], found["detail"]) == ("[rapport_2025-01.xlsx]Materialer!G2", "tonn → m3")
    assert found["kg_co2e"] == pytest.approx(157_000.0)
