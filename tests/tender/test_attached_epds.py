"""Bid lines checked against the EPD files the bidders attached (competition ``epd_folder``).

Computed as in test_epd_checks.py: a profile counting A1-A3 with the 25 % markup on generic
data; "Plasstøpt betong B30" matches ``concrete_c30_37``, generic with markup
0.116 kg CO2e/kg x 2 350 kg/m3 x 1.25 = 340.75 kg CO2e/m3. Tender date 2025-04-01.

The folder holds openEPD files the test writes, with GWP-GHG (the bid workbook's indicator):

- NEPD-4945-3957-DK, Danish ready-mix concrete per m3: A1-A3 GWP-IOBC 250.445928870866 +
  8.485650043387 + 4.532739627165 = 263.464318541418 (ILCD 0aa8b645…, ocni-dtu/lcax);
- EPD-IES-0006676, hot-rolled coil: GWP-GHG A1-A3 1864.64 per 1000 kg (ILCD 459392b1…);
- NEPD-1234-567-NO, a concrete EPD per m3 the test makes expire on 2024-12-31.
"""

import datetime as dt
import json

import numpy as np
import pandas as pd
import pytest

from klimafotavtrykk.profiles import Profile
from klimafotavtrykk.scoring import ScoringRule
from klimafotavtrykk.tender import evaluate_bid, evaluate_summaries
from klimafotavtrykk.tender.attached_epds import load_attached_epds
from klimafotavtrykk.tender.competition import (
    Competition,
    competition_parameters,
    load_competition,
)
from klimafotavtrykk.tender.reader import Bid, bid_frames

TENDER_DATE = dt.date(2025, 4, 1)
B30 = "Plasstøpt betong B30"
B30_GENERIC = 0.116 * 2_350 * 1.25  # 340.75 kg CO2e/m3 with markup
CONCRETE = 250.445928870866 + 8.485650043387 + 4.532739627165  # 263.464318541418 per m3
DK_VALID = dt.datetime(2028, 12, 31)


def _openepd(number, unit, ghg, valid_until):
    return json.dumps({
        "id": number.lower(), "product_name": f"EPD {number}", "program_operator_doc_id": number,
        "declared_unit": unit, "valid_until": valid_until,
        "impacts": {"EF 3.1": {"GWP_GHG": {"A1A2A3": {"mean": ghg, "unit": "kgCO2e"}}}}})


@pytest.fixture
def folder(tmp_path):
    epd = tmp_path / "epd"
    epd.mkdir()
    (epd / "concrete_dk.json").write_text(_openepd(
        "NEPD-4945-3957-DK", {"qty": 1, "unit": "m3"}, CONCRETE, "2028-12-31"))
    (epd / "coil.json").write_text(_openepd(
        "EPD-IES-0006676", {"qty": 1000, "unit": "kg"}, 1864.64, "2028-12-31"))
    (epd / "old.json").write_text(_openepd(
        "NEPD-1234-567-NO", {"qty": 1, "unit": "m3"}, 200.0, "2024-12-31"))
    (epd / "total_only.json").write_text(json.dumps({
        "id": "x", "program_operator_doc_id": "NEPD-9-9", "declared_unit": {"qty": 1, "unit": "kg"},
        "impacts": {"EF 3.1": {"gwp": {"A1A2A3": {"mean": 1.0}}}}}))
    return epd


def competition(attached) -> Competition:
    profile = Profile(name="a1a3", reference_study_period=50.0, modules=("A1-A3",),
                      generic_markup=0.25)
    return Competition(name="test", profile=profile, bta_m2=100.0, tender_date=TENDER_DATE,
                       reference_study_period=50.0, building_parts=(),
                       rule=ScoringRule(price_weight=0.7, climate_weight=0.3, bta_m2=100.0),
                       attached_epds=attached)


def evaluate(comp, number, unit, value, valid, name):
    rows = pd.DataFrame([(B30, 10.0, number, unit, value, valid)],
                        columns=["description", "quantity", "epd_id", "epd_declared_unit",
                                 "epd_gwp_a1a3", "epd_valid_until"])
    rows["unit"], rows["committed"] = "m3", "ja"
    rows["source_ref"] = ["[bid.xlsx]Materialer!E2"]
    rows["dataset_type"] = np.where(rows["epd_id"].notna(), "produkt-EPD", None)
    m, s, found = bid_frames(rows, pd.DataFrame(columns=["quantity", "unit"]))
    bid = Bid(file=name, sha256=None, materials=m, site=s,
              declaration={"bidder": name.split(".")[0], "price_nok": 1e6}, findings=found)
    return evaluate_bid(bid, comp, detail=True)


def test_the_folder_is_read_under_the_bid_indicator(folder):
    attached = load_attached_epds(folder)
    assert sorted(attached.frame["epd_id"]) == ["EPD-IES-0006676", "NEPD-1234-567-NO",
                                                "NEPD-4945-3957-DK"]
    # 1864.64 kg CO2e per 1000 kg = 1.86464 per kg
    assert attached.frame.set_index("epd_id").at["EPD-IES-0006676", "A1-A3"] == pytest.approx(
        1.86464)
    # the file with GWP-total only cannot be compared with a GWP-GHG bid value
    assert [f for f, _ in attached.refused] == ["total_only.json"]
    assert attached.refused[0][1].startswith("epd_no_indicator")


def test_cheats_against_their_attached_epd_lose_and_the_honest_bid_wins(folder):
    comp = competition(load_attached_epds(folder))
    honest = evaluate(comp, "NEPD-4945-3957-DK", "m3", 263.46, DK_VALID, "honest.xlsx")
    # typed a lower value than the file: 200 < 263.4643 x (1 - 0.01) = 260.83
    lower = evaluate(comp, "NEPD-4945-3957-DK", "m3", 200.0, DK_VALID, "lower.xlsx")
    # cites a per-kg EPD for a value per m3
    unit = evaluate(comp, "EPD-IES-0006676", "m3", 250.0, DK_VALID, "unit.xlsx")
    # cites an EPD whose file expired before the tender date, typing a later date
    expired = evaluate(comp, "NEPD-1234-567-NO", "m3", 200.0, dt.datetime(2029, 12, 31),
                       "expired.xlsx")
    # types a later valid-until date than the file says
    later = evaluate(comp, "NEPD-4945-3957-DK", "m3", 263.46, dt.datetime(2030, 6, 30),
                     "later.xlsx")
    # honest: 10 m3 x 263.46 = 2 634.6 kg CO2e, no finding
    assert honest.kg_co2e == pytest.approx(2_634.6)
    assert len(honest.findings) == 0
    # each cheat: generic with markup, 10 x 340.75 = 3 407.5, a finding at the cell concerned
    for result, kind, column in ((lower, "epd_attached_value", "K"),
                                 (unit, "epd_attached_unit", "J"),
                                 (expired, "epd_attached_expired", "M"),
                                 (later, "epd_attached_valid_until", "M")):
        assert result.kg_co2e == pytest.approx(3_407.5), kind
        found = result.findings.set_index("kind")
        assert kind in found.index, (kind, list(found.index))
        assert found.at[kind, "source_ref"] == f"[bid.xlsx]Materialer!{column}2"
    detail = lower.findings.set_index("kind").at["epd_attached_value", "detail"]
    assert detail == ("concrete_dk.json: 263.464 kg CO2e/m3, valid until 2028-12-31; "
                      "bid 200 kg CO2e/m3")
    assert "bid ? kg CO2e/kg" in unit.findings.set_index("kind").at["epd_attached_unit", "detail"]
    ranking = evaluate_summaries(comp, [lower, unit, expired, later, honest]).ranking
    assert ranking.loc["honest.xlsx", "rank"] == 1
    assert (ranking.drop("honest.xlsx")["rank"] > 1).all()


def test_within_the_tolerance_and_above_the_file(folder):
    comp = competition(load_attached_epds(folder))
    # 261 >= 263.4643 - 2.6346 = 260.83: a rounding, evaluated as declared: 10 x 261 = 2 610
    rounded = evaluate(comp, "NEPD-4945-3957-DK", "m3", 261.0, DK_VALID, "rounded.xlsx")
    assert rounded.kg_co2e == pytest.approx(2_610.0) and len(rounded.findings) == 0
    # 260 < 260.83: below the file beyond the tolerance
    below = evaluate(comp, "NEPD-4945-3957-DK", "m3", 260.0, DK_VALID, "below.xlsx")
    assert below.kg_co2e == pytest.approx(3_407.5)
    # higher than the file: a finding, evaluated as declared (10 x 300 = 3 000)
    higher = evaluate(comp, "NEPD-4945-3957-DK", "m3", 300.0, DK_VALID, "higher.xlsx")
    assert higher.kg_co2e == pytest.approx(3_000.0)
    assert list(higher.findings["kind"]) == ["epd_attached_value_higher"]
    # per tonne against a per-kg file: 1864.64 per t = 1.86464 per kg, same dimension, no finding
    steel = evaluate(comp, "EPD-IES-0006676", "tonn", 1864.6, DK_VALID, "steel.xlsx")
    assert not steel.findings["kind"].str.startswith("epd_attached").any()


def test_competition_file_names_the_folder_relative_to_itself(folder, tmp_path):
    from klimafotavtrykk.errors import InputError

    text = ('name = "t"\nprofile = "tek17"\nbta_m2 = 100\ntender_date = 2025-04-01\n'
            'epd_folder = "epd/"\n[weights]\nprice = 0.7\nclimate = 0.3\n')
    path = tmp_path / "konkurranse.toml"
    path.write_text(text, encoding="utf-8")
    comp = load_competition(path)
    assert len(comp.attached_epds.frame) == 3
    assert comp.epd_value_tolerance == 0.01
    listed = competition_parameters(comp).set_index("parameter")
    assert listed.at["epd_folder", "value"].endswith("(3 EPD read; refused: total_only.json "
                                                     "(epd_no_indicator: x (NEPD-9-9): no "
                                                     "gwp-ghg values))")
    assert listed.at["epd_value_tolerance", "source"] == "library-default"
    path.write_text(text.replace('epd_folder = "epd/"\n',
                                 'epd_folder = "epd/"\nepd_value_tolerance = 0.005\n'),
                    encoding="utf-8")
    assert load_competition(path).epd_value_tolerance == 0.005
    path.write_text(text.replace('"epd/"', '"elsewhere/"'), encoding="utf-8")
    with pytest.raises(InputError, match="epd_folder"):
        load_competition(path)
    path.write_text(text.replace('epd_folder = "epd/"\n', 'epd_value_tolerance = 1.5\n'),
                    encoding="utf-8")
    with pytest.raises(InputError, match="epd_value_tolerance"):
        load_competition(path)
