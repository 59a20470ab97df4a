"""One bid computed (tender.evaluation, tender.materials, tender.site_energy): each case worked by hand.

The factor table and mappings here are made up for hand calculation:

- ``concrete``: generic, 300 kg CO2e/m3 A1-A3, 2 400 kg/m3, material group ``concrete``;
- ``rebar``: generic, 1.0 kg CO2e/kg A1-A3, material group ``steel``.

The profile counts A1-A3 only, with the 25 % markup on generic data that TEK17 uses
(data/profiles/tek17.toml, ``generic_markup``), so every number below is a product.
"""


import dataclasses
import datetime as dt
import pickle

import numpy as np
import pandas as pd
import pytest

from klimafotavtrykk.messages import t
from klimafotavtrykk.profiles import Profile
from klimafotavtrykk.scoring import ScoringRule
from klimafotavtrykk.tender import (
    evaluate_bid,
    evaluate_summaries,
)
from klimafotavtrykk.tender.competition import Competition, ProductLimit
from klimafotavtrykk.tender.reader import Bid, bid_frames

TENDER_DATE = dt.date(2025, 4, 1)
VALID = dt.datetime(2030, 1, 1)
EXPIRED = dt.datetime(2024, 12, 31)   # before the tender date


def competition(**rule) -> Competition:
    profile = Profile(name="a1a3", reference_study_period=50.0, modules=("A1-A3",),
                      generic_markup=0.25)
    settings = {"price_weight": 0.7, "climate_weight": 0.3, "bta_m2": 100.0, **rule}
    limits = settings.pop("product_limits", ())
    return Competition(name="test", profile=profile, bta_m2=100.0, tender_date=TENDER_DATE,
                       reference_study_period=50.0, building_parts=(),
                       rule=ScoringRule(**settings), product_limits=limits)


def materials(*rows) -> pd.DataFrame:
    """Rows of (description, quantity, unit, epd_id, epd unit, GWP, valid until, committed)."""
    columns = ["description", "quantity", "unit", "epd_id", "epd_declared_unit", "epd_gwp_a1a3",
               "epd_valid_until", "committed"]
    frame = pd.DataFrame(list(rows), columns=columns)
    frame["source_ref"] = [f"[bid.xlsx]Materialer!E{i}" for i in range(2, 2 + len(frame))]
    frame["dataset_type"] = np.where(frame["epd_id"].notna(), "produkt-EPD", None)
    return frame


def bid(rows: pd.DataFrame, site: pd.DataFrame | None = None, name="bid.xlsx", price=1e6) -> Bid:
    site = pd.DataFrame(columns=["quantity", "unit"]) if site is None else site
    m, s, found = bid_frames(rows, site)
    return Bid(file=name, sha256=None, materials=m, site=s,
               declaration={"bidder": name.split(".")[0], "price_nok": price}, findings=found)


def test_expired_epd_counts_as_generic_with_markup_and_uncommitted_line_falls_back(
        factors, mappings):
    rows = materials(
        ("Betong B30", 10.0, "m3", "NEPD-1001-101-NO", "m3", 200.0, VALID, "ja"),
        ("Betong B35", 10.0, "m3", "NEPD-1002-102-NO", "m3", 200.0, EXPIRED, "ja"),
        ("Armering", 1.0, "tonn", "NEPD-1003-103-NO", "tonn", 500.0, VALID, "nei"),
        ("Betong uten EPD", 5.0, "m3", None, None, None, None, None),
    )
    result = evaluate_bid(bid(rows), competition(), factors=factors, mappings=mappings,
                          detail=True)
    lines = result.lines.set_index("source_ref")
    # NEPD-1001-101-NO, committed and valid: 10 m3 x 200 = 2 000
    assert lines.at["[bid.xlsx]Materialer!E2", "kg_co2e"] == pytest.approx(2_000.0)
    # NEPD-1002-102-NO expired on 2024-12-31, before the tender date 2025-04-01: the claim
    # counts as not made, so the line is the generic concrete with the 25 % markup:
    # 10 x 300 x 1.25 = 3 750 (not the bidder's own 200 x 1.25)
    assert lines.at["[bid.xlsx]Materialer!E3", "kg_co2e"] == pytest.approx(3_750.0)
    assert lines.at["[bid.xlsx]Materialer!E3", "kg_co2e_claimed"] == pytest.approx(2_000.0)
    assert lines.at["[bid.xlsx]Materialer!E3", "line_status"] == "epd_generic"
    assert lines.at["[bid.xlsx]Materialer!E3", "factor_id"] == "concrete"
    # NEPD-3 not committed: claimed 1 t x 500 = 500; fallback generic rebar
    # 1 000 kg x 1.0 x 1.25 = 1 250; scored at max(500, 1 250) = 1 250 (KOFA 2024/1940)
    assert lines.at["[bid.xlsx]Materialer!E4", "kg_co2e_claimed"] == pytest.approx(500.0)
    assert lines.at["[bid.xlsx]Materialer!E4", "kg_co2e"] == pytest.approx(1_250.0)
    assert lines.at["[bid.xlsx]Materialer!E4", "line_status"] == "fallback"
    assert lines.at["[bid.xlsx]Materialer!E4", "factor_id"] == "rebar"
    # no EPD: generic concrete 5 x 300 x 1.25 = 1 875
    assert lines.at["[bid.xlsx]Materialer!E5", "kg_co2e"] == pytest.approx(1_875.0)
    # totals: 2 000 + 3 750 + 1 250 + 1 875 = 8 875 scored; 2 000 + 2 000 + 500 + 1 875 claimed
    assert result.kg_co2e == pytest.approx(8_875.0)
    assert result.kg_co2e_claimed == pytest.approx(6_375.0)
    kinds = result.findings.set_index("source_ref")["kind"]
    assert kinds["[bid.xlsx]Materialer!M3"] == "expired_epd"     # the valid-until cell
    assert kinds["[bid.xlsx]Materialer!E4"] == "uncommitted"
    assert result.counts["downgraded"] == 2


def test_epd_row_takes_mass_conversion_from_the_generic_match(factors, mappings):
    # EPD per tonne on a line in m3: 2 m3 x 2 400 kg/m3 (generic concrete) = 4.8 t x 100 = 480
    rows = materials(("Betong", 2.0, "m3", "NEPD-1009-109-NO", "tonn", 100.0, VALID, "ja"))
    result = evaluate_bid(bid(rows), competition(), factors=factors, mappings=mappings)
    assert result.kg_co2e == pytest.approx(480.0)
    # the bid's own mass per m3 wins: 2 m3 x 2 000 kg/m3 = 4 t x 100 = 400
    rows["mass_per_unit"] = 2_000.0
    result = evaluate_bid(bid(rows), competition(), factors=factors, mappings=mappings)
    assert result.kg_co2e == pytest.approx(400.0)


def test_gwp_without_epd_number_is_not_used(factors, mappings):
    rows = materials(("Betong", 1.0, "m3", None, "m3", 10.0, VALID, "ja"))
    result = evaluate_bid(bid(rows), competition(), factors=factors, mappings=mappings)
    assert result.kg_co2e == pytest.approx(375.0)        # generic 300 x 1.25
    assert list(result.findings["kind"]) == ["missing_epd_id"]


def test_epd_rows_pass_the_factor_table_checks(factors, mappings):
    # An unknown declared unit is a finding and the line is scored generic: 1 x 300 x 1.25 = 375.
    rows = materials(("Betong", 1.0, "m3", "NEPD-2001-201-NO", "furlong", 100.0, VALID, "ja"))
    result = evaluate_bid(bid(rows), competition(), factors=factors, mappings=mappings)
    assert list(result.findings["kind"]) == ["unknown_epd_unit"]
    assert result.kg_co2e == pytest.approx(375.0)
    # A mass of 0 kg per m3 would be refused in a factor file (density must be positive): the
    # claim is refused at its mass cell (column N of the template), not the bid, and the line is
    # the generic concrete with markup: 1 x 300 x 1.25 = 375.
    rows["epd_declared_unit"], rows["mass_per_unit"] = "m3", 0.0
    result = evaluate_bid(bid(rows), competition(), factors=factors, mappings=mappings)
    assert result.kg_co2e == pytest.approx(375.0)
    found = result.findings.set_index("kind")["source_ref"]
    assert found["epd_bad_mass"] == "[bid.xlsx]Materialer!N2"


def test_product_limit_gate_rejects_a_bid(factors, mappings):
    limit = ProductLimit("material_group", "concrete", "m3", 250.0, "client")
    comp = competition(product_limits=(limit,))
    over = evaluate_bid(bid(materials(("Betong", 1.0, "m3", "NEPD-2001-201-NO", "m3", 290.0, VALID, "ja")),
                            name="over.xlsx"), comp, factors=factors, mappings=mappings)
    under = evaluate_bid(bid(materials(("Betong", 1.0, "m3", "NEPD-2002-202-NO", "m3", 240.0, VALID, "ja")),
                             name="under.xlsx"), comp, factors=factors, mappings=mappings)
    assert over.product_gate == "product_limit_exceeded"
    assert under.product_gate == ""
    evaluation = evaluate_summaries(comp, [over, under])
    assert evaluation.ranking.loc["over.xlsx", "status"] == "rejected"
    assert evaluation.ranking.loc["under.xlsx", "rank"] == 1
    rejected = evaluation.rejected.set_index("file")
    assert rejected.loc["over.xlsx", "stage"] == "gate"
    assert "product_limit_exceeded" in rejected.loc["over.xlsx", "reason"]


def test_uncommitted_claim_earns_no_climate_points(factors, mappings):
    # Three bids of 10 m3 concrete. "claims" commits to an EPD of 150 kg/m3 (1 500 kg);
    # "uncommitted" declares the same EPD without committing: scored as generic
    # 10 x 300 x 1.25 = 3 750, exactly as "generic", which declares nothing.
    comp = competition(price_weight=0.7, climate_weight=0.3, basis="kg_co2e")
    bids = [
        bid(materials(("Betong", 10.0, "m3", "NEPD-2001-201-NO", "m3", 150.0, VALID, "ja")), name="claims.xlsx"),
        bid(materials(("Betong", 10.0, "m3", "NEPD-2001-201-NO", "m3", 150.0, VALID, "nei")),
            name="uncommitted.xlsx"),
        bid(materials(("Betong", 10.0, "m3", None, None, None, None, None)), name="generic.xlsx"),
    ]
    summaries = [evaluate_bid(b, comp, factors=factors, mappings=mappings) for b in bids]
    evaluation = evaluate_summaries(comp, summaries)
    points = evaluation.ranking["points_climate"]
    # linear: best 1 500; 3 750 gives 10 - 10 x (3 750 - 1 500) / 1 500 = -5
    assert points["claims.xlsx"] == pytest.approx(10.0)
    assert points["uncommitted.xlsx"] == pytest.approx(-5.0)
    assert points["generic.xlsx"] == pytest.approx(-5.0)
    listed = evaluation.findings
    assert list(listed.loc[listed["kind"] == "uncommitted", "file"]) == ["uncommitted.xlsx"]


def test_site_rows_uncommitted_electric_machine_scored_as_diesel(factors, mappings):
    # 100 L of diesel (3.34752 kg CO2e/L, data/emission_factors/energy_carriers.csv, wtw)
    # and 1 000 kWh of Norwegian electricity (0.015 kg CO2e/kWh, same file). The electric
    # row is not committed: its fallback is diesel at equal delivered energy,
    # 1 000 kWh / 9.77778 kWh/L = 102.27 L x 3.34752 = 342.36 kg.
    site = pd.DataFrame({
        "category": ["maskin", "maskin"], "machine": ["D", "E"], "carrier": ["diesel", "electricity"],
        "quantity": [100.0, 1_000.0], "unit": ["l", "kWh"], "committed": ["ja", "nei"],
        "source_ref": ["[bid.xlsx]Byggeplass!F2", "[bid.xlsx]Byggeplass!F3"]})
    rows = materials(("Betong", 1.0, "m3", None, None, None, None, None))
    result = evaluate_bid(bid(rows, site), competition(), factors=factors, mappings=mappings)
    assert result.site_kg_co2e_claimed == pytest.approx(100 * 3.34752 + 1_000 * 0.015)
    assert result.site_kg_co2e == pytest.approx(100 * 3.34752 + 1_000 / 9.77778 * 3.34752,
                                                 rel=1e-5)
    # no emission-free energy left once the uncommitted electric row is diesel
    assert result.zero_emission_shares["energy"] == pytest.approx(0.0)
    assert list(result.findings["kind"]) == ["uncommitted_site"]



def test_cheat_a_diesel_machine_labelled_mass_transport_still_counts_on_site(factors, mappings):
    """Mass transport (tonne-km, outside A5) is not scored; an excavator's 100 L of diesel
    labelled "massetransport" would leave the site total at the electric row's 1 000 kWh x 0.015
    = 15 kg and its emission-free share at 100 %. Given as fuel, the row is site energy:
    100 x 3.34752 + 15 = 349.752 kg, share 1 000 / (1 000 + 100 x 9.77778) = 50.56 %, as the
    honest bid, and a finding at the row's cell. A real mass-transport row in tonne-km
    (10 000 t km, a lorry) stays outside A5."""
    site = pd.DataFrame({
        "category": ["massetransport", "maskin", "massetransport"], "machine": ["D", "E", None],
        "carrier": ["diesel", "electricity", None], "quantity": [100.0, 1_000.0, 10_000.0],
        "unit": ["l", "kWh", "tonnkm"], "vehicle_class": [None, None, "truck_long_haul"],
        "committed": ["ja", "ja", "ja"],
        "source_ref": ["[bid.xlsx]Byggeplass!F2", "[bid.xlsx]Byggeplass!F3", "[bid.xlsx]Byggeplass!F4"]})
    rows = materials(("Betong", 1.0, "m3", None, None, None, None, None))
    result = evaluate_bid(bid(rows, site), competition(), factors=factors, mappings=mappings)
    honest = evaluate_bid(bid(rows, site.assign(category=["maskin", "maskin", "massetransport"])),
                          competition(), factors=factors, mappings=mappings)
    assert result.site_kg_co2e == pytest.approx(100 * 3.34752 + 1_000 * 0.015)
    assert result.site_kg_co2e == honest.site_kg_co2e
    assert result.zero_emission_shares["energy"] == pytest.approx(1_000 / (1_000 + 100 * 9.77778), rel=1e-5)
    assert result.mass_transport_kg_co2e == honest.mass_transport_kg_co2e > 0
    found = result.findings[result.findings["kind"] == "mass_transport_metered"]
    assert found["source_ref"].tolist() == ["[bid.xlsx]Byggeplass!F2"]
    assert "mass_transport_metered" not in honest.findings["kind"].tolist()


def test_cheat_leaving_out_the_site_sheet_is_rejected_where_site_energy_counts(factors, mappings):
    """Where the profile counts site energy (A5), a bid that states none would score 0 kg on
    it: 100 L of diesel (3.34752 kg CO2e/L wtw, data/emission_factors/energy_carriers.csv)
    makes the honest bid 3 750 + 334.752 = 4 084.752 kg against the empty one's 3 750. The
    empty bid is rejected at the gate (``site_energy_missing``), and so is one whose only row
    cannot be computed (a unit no table knows); where site energy does not count, an empty
    site sheet is no gate."""
    import dataclasses

    profile = dataclasses.replace(competition().profile, site_energy=True)
    comp = dataclasses.replace(competition(basis="kg_co2e"), profile=profile)
    diesel = pd.DataFrame({"category": ["maskin"], "machine": ["D"], "carrier": ["diesel"],
                           "quantity": [100.0], "unit": ["l"], "committed": ["ja"],
                           "source_ref": ["[bid.xlsx]Byggeplass!F2"]})
    rows = materials(("Betong", 10.0, "m3", None, None, None, None, None))
    honest = evaluate_bid(bid(rows, diesel, name="honest.xlsx"), comp, factors=factors, mappings=mappings)
    empty = evaluate_bid(bid(rows, name="empty.xlsx"), comp, factors=factors, mappings=mappings)
    garbage = evaluate_bid(bid(rows, diesel.assign(unit=["tryllestøv"]), name="garbage.xlsx"), comp,
                           factors=factors, mappings=mappings)
    assert honest.kg_co2e == pytest.approx(3_750 + 100 * 3.34752)
    assert (honest.product_gate, empty.product_gate, garbage.product_gate) == (
        "", "site_energy_missing", "site_energy_missing")
    evaluation = evaluate_summaries(comp, [honest, empty, garbage])
    assert evaluation.ranking.loc["honest.xlsx", "rank"] == 1
    assert set(evaluation.rejected["file"]) == {"empty.xlsx", "garbage.xlsx"}
    no_site = evaluate_bid(bid(rows, name="empty.xlsx"), competition(), factors=factors, mappings=mappings)
    assert no_site.product_gate == ""


def _site_energy_counts():
    import dataclasses

    profile = dataclasses.replace(competition().profile, site_energy=True)
    return dataclasses.replace(competition(basis="kg_co2e"), profile=profile)


def _two_diesel_rows(**changed) -> pd.DataFrame:
    """100 L and 9 000 L of diesel, committed; ``changed`` replaces columns (a list per column)."""
    return pd.DataFrame({"category": ["maskin", "maskin"], "machine": ["D", "E"],
                         "carrier": ["diesel", "diesel"], "quantity": [100.0, 9_000.0],
                         "unit": ["l", "l"], "committed": ["ja", "ja"],
                         "source_ref": ["[bid.xlsx]Byggeplass!F2", "[bid.xlsx]Byggeplass!F3"]}
                        ).assign(**changed)


def _honest_and_cheat(comp, cheat, factors, mappings):
    """The two-row diesel bid as given, and with ``cheat``'s columns, on 10 m3 of concrete."""
    rows = materials(("Betong", 10.0, "m3", None, None, None, None, None))
    return [evaluate_bid(bid(rows, _two_diesel_rows(**changed), name=name), comp,
                         factors=factors, mappings=mappings)
            for name, changed in (("honest.xlsx", {}), ("cheat.xlsx", cheat))]


@pytest.mark.parametrize("cheat", [
    {"carrier": ["diesel", "tryllestøv"]},                          # a carrier no table knows
    {"carrier": ["diesel", None], "committed": ["ja", "nei"]},     # no carrier, not committed
])
def test_cheat_a_site_row_with_a_carrier_nobody_knows_is_scored_on_the_fallback(
        factors, mappings, cheat):
    """9 000 L on a carrier the evaluation cannot read had counted 0 kg: the bid scored
    3 750 + 100 x 3.34752 = 4 084.752 kg against the honest 3 750 + 9 100 x 3.34752 =
    34 212.432 kg (diesel 3.34752 kg CO2e/L wtw, data/emission_factors/energy_carriers.csv).
    Now the row is scored on the competition's fallback carrier (fossil diesel), as a row not
    committed to is: 9 000 x 3.34752 = 30 127.68 kg, at its cell."""
    comp = _site_energy_counts()
    honest, cheater = _honest_and_cheat(comp, cheat, factors, mappings)
    assert honest.kg_co2e == pytest.approx(34_212.432)
    assert cheater.kg_co2e == pytest.approx(34_212.432) and cheater.product_gate == ""
    found = cheater.findings.set_index("kind")
    assert found.loc["site_carrier_fallback", "source_ref"] == "[bid.xlsx]Byggeplass!F3"
    assert found.loc["site_carrier_fallback", "kg_co2e"] == pytest.approx(30_127.68)
    assert "site_not_computed" not in found.index


@pytest.mark.parametrize("cheat, finding", [
    ({"unit": ["l", "liter?"]}, "unknown_site_unit"),                  # a unit nobody knows
    ({"unit": ["l", None]}, None),                                       # no unit at all
    ({"quantity": [100.0, "9000 liter"]}, "bad_site_number"),           # text for the number
    ({"quantity": [100.0, -9_000.0]}, None),                            # a negative amount
    ({"unit": ["l", "h"], "machine_class": [None, "excavator"]}, None),  # hours, no power
])
def test_cheat_a_site_row_the_model_cannot_size_rejects_the_bid(factors, mappings, cheat, finding):
    """A row that states an amount the model cannot size, even on the fallback carrier, had
    counted 0 kg: 4 084.752 kg against the honest 34 212.432 (the test above). Leaving it out
    would reward the unreadable row, so where site energy counts the bid is rejected at the
    gate (``site_energy_incomplete``); the row's reason stays among the findings."""
    comp = _site_energy_counts()
    honest, cheater = _honest_and_cheat(comp, cheat, factors, mappings)
    assert cheater.product_gate == "site_energy_incomplete"
    kinds = cheater.findings["kind"].tolist()
    assert "site_not_computed" in kinds and (finding is None or finding in kinds)
    evaluation = evaluate_summaries(comp, [honest, cheater])
    assert evaluation.ranking.loc["honest.xlsx", "rank"] == 1
    assert evaluation.rejected["file"].tolist() == ["cheat.xlsx"]


def test_a_site_row_stating_no_amount_is_no_gate(factors, mappings):
    """A row that only names a job (no quantity, no hours) states nothing to leave out: it is
    listed as not computed, and the bid is scored on its other rows, 3 750 + 100 x 3.34752."""
    comp = _site_energy_counts()
    rows = materials(("Betong", 10.0, "m3", None, None, None, None, None))
    note = _two_diesel_rows(carrier=["diesel", None], quantity=[100.0, None], unit=["l", None])
    result = evaluate_bid(bid(rows, note), comp, factors=factors, mappings=mappings)
    assert result.product_gate == "" and result.kg_co2e == pytest.approx(4_084.752)
    assert result.findings.set_index("kind").loc["site_not_computed", "reason"] == "no_amount"


def test_summaries_pickle_for_worker_pools(factors, mappings):
    result = evaluate_bid(bid(materials(("Betong", 1.0, "m3", None, None, None, None, None))),
                          competition(), factors=factors, mappings=mappings)
    again = pickle.loads(pickle.dumps(result))
    assert again.kg_co2e == result.kg_co2e == pytest.approx(375.0)


def test_negative_epd_claim_cannot_win(factors, mappings):
    # A bidder claims A1-A3 = -5 kg CO2e per m3 for concrete on the second of two lines: no
    # GWP-GHG value is negative, so that claim alone is refused at its GWP cell (column K, row 3
    # of the sheet), and the line is the generic concrete with markup: 10 x 300 x 1.25 = 3 750.
    # The first line's EPD stands: 10 x 200 = 2 000. Total 5 750.
    rows = materials(("Betong B35", 10.0, "m3", "NEPD-1002-102-NO", "m3", 200.0, VALID, "ja"),
                     ("Betong B30", 10.0, "m3", "NEPD-1001-101-NO", "m3", -5.0, VALID, "ja"))
    cheat = evaluate_bid(bid(rows, name="cheat.xlsx"), competition(), factors=factors,
                         mappings=mappings)
    assert cheat.kg_co2e == pytest.approx(5_750.0)
    found = cheat.findings.set_index("kind")["source_ref"]
    assert found["epd_negative_value"] == "[bid.xlsx]Materialer!K3"
    # the honest bid declares 200 on both lines: 2 x 2 000 = 4 000 < 5 750
    rows.loc[1, "epd_gwp_a1a3"] = 200.0
    honest = evaluate_bid(bid(rows, name="honest.xlsx"), competition(), factors=factors,
                          mappings=mappings)
    assert honest.kg_co2e == pytest.approx(4_000.0)
    ranking = evaluate_summaries(competition(price_weight=0.7, climate_weight=0.3),
                                 [cheat, honest]).ranking
    assert ranking.loc["honest.xlsx", "rank"] == 1


# ---------------------------------------------------------------- the count of machines
# The share of emission-free machines by count, padded with small electric machines.
#
# Hand figures: diesel holds 9.77778 kWh per litre (data/emission_factors/energy_carriers.csv,
# ``kwh_per_unit``), so 100 L are 977.778 kWh. Each distinct machine name counts once
# (site.emissions, ``machine_count``).
#
# - Honest: an electric excavator (2 000 kWh) and two diesel machines (100 L each).
#   By count 1 of 3 = 33 %; by energy 2 000 / (2 000 + 2 x 977.778) = 50.56 %.
# - Padded: the excavator on 500 kWh, the diesel machines on 400 L each, and ten electric
#   drills of 1 kWh each. By count 11 of 13 = 84.6 %; by energy
#   510 / (510 + 800 x 9.77778) = 6.12 %.
#
# A competition that announced the count basis scores the padded bid first: the points follow
# the published criterion. The evaluation says so, and names the bid that would rank first on
# energy, with both bids' shares by count and by energy.


DIESEL_KWH_PER_L = 9.77778


def _site(machines):
    """Site rows of (machine, carrier, quantity, unit[, rated power kW]), every row committed."""
    frame = pd.DataFrame([(*m, None)[:5] for m in machines],
                         columns=["machine", "carrier", "quantity", "unit", "rated_power_kw"])
    return frame.assign(category="maskin", committed="ja", machine_class="excavator",
                        source_ref=[f"[bid.xlsx]Byggeplass!F{i}" for i in range(2, 2 + len(frame))])


HONEST = [("Gravemaskin E", "electricity", 2_000.0, "kWh"),
          ("Hjullaster D", "diesel", 100.0, "l"), ("Dumper D", "diesel", 100.0, "l")]
PADDED = [("Gravemaskin E", "electricity", 500.0, "kWh"),
          ("Hjullaster D", "diesel", 400.0, "l"), ("Dumper D", "diesel", 400.0, "l"),
          *((f"Drill {k}", "electricity", 1.0, "kWh") for k in range(1, 11))]


def _evaluate(basis, factors, mappings, sites=(("honest.xlsx", HONEST), ("padded.xlsx", PADDED))):
    """Bids of 10 m3 of concrete and the given site rows, scored on the share by ``basis``."""
    comp = competition(climate_model="zero_emission_share", zero_emission_basis=basis,
                       price_weight=0.5, climate_weight=0.5)
    comp = dataclasses.replace(comp, profile=dataclasses.replace(comp.profile, site_energy=True))
    rows = materials(("Betong", 10.0, "m3", None, None, None, None, None))
    bids = [evaluate_bid(bid(rows, _site(site), name=name), comp, factors=factors,
                         mappings=mappings)
            for name, site in sites]
    return bids, evaluate_summaries(comp, bids)


def test_the_shares_by_count_and_by_energy_as_worked_by_hand(factors, mappings):
    (honest, padded), _ = _evaluate("machine_count", factors, mappings)
    assert honest.zero_emission_shares["machine_count"] == pytest.approx(1 / 3)
    assert padded.zero_emission_shares["machine_count"] == pytest.approx(11 / 13)
    assert honest.zero_emission_shares["energy"] == pytest.approx(
        2_000 / (2_000 + 200 * DIESEL_KWH_PER_L), rel=1e-6)
    assert padded.zero_emission_shares["energy"] == pytest.approx(
        510 / (510 + 800 * DIESEL_KWH_PER_L), rel=1e-6)


def test_cheat_padding_the_count_wins_the_count_basis_and_the_client_is_told(factors, mappings):
    _, evaluation = _evaluate("machine_count", factors, mappings)
    # the announced criterion decides the points: the padded bid is first on it
    assert evaluation.ranking.loc["padded.xlsx", "rank"] == 1
    notices = dict(evaluation.notices)
    assert "eval.notice.count_basis" in notices
    told = notices["eval.notice.count_basis_winner"]
    assert (told["energy"], told["now"]) == ("honest.xlsx", "padded.xlsx")
    # by machine / by energy, rounded to whole percent: 85 % / 6 % and 33 % / 51 %
    assert told["shares"] == "padded.xlsx 85 % / 6 %; honest.xlsx 33 % / 51 %"
    text = t("eval.notice.count_basis_winner", "nb", **told)
    assert text.startswith("Med andelen regnet på energi ville honest.xlsx stått først")


def test_on_the_energy_basis_the_honest_bid_wins_and_nothing_is_said(factors, mappings):
    _, evaluation = _evaluate("energy", factors, mappings)
    assert evaluation.ranking.loc["honest.xlsx", "rank"] == 1
    keys = [key for key, _ in evaluation.notices]
    assert not any(key.startswith("eval.notice.count_basis") for key in keys)


def test_the_count_basis_notice_alone_where_energy_ranks_the_same(factors, mappings):
    """Where the order on energy is the same, the basis is named and no other winner."""
    # b: two electric machines (2 000 and 1 000 kWh) and one on 100 L of diesel: by count
    # 2 of 3 = 67 %, by energy 3 000 / (3 000 + 977.778) = 75 %; first either way
    more = [*HONEST[:2], ("Dumper E", "electricity", 1_000.0, "kWh")]
    _, evaluation = _evaluate("machine_count", factors, mappings,
                              sites=(("a.xlsx", HONEST), ("b.xlsx", more)))
    assert evaluation.ranking.loc["b.xlsx", "rank"] == 1
    keys = [key for key, _ in evaluation.notices]
    assert "eval.notice.count_basis" in keys
    assert "eval.notice.count_basis_winner" not in keys


def test_cheat_padding_machine_hours_wins_the_hours_basis_and_the_client_is_told(factors,
                                                                                  mappings):
    """The same padding by hours: every machine 100 h. Honest: a 200 kW electric excavator and
    two 200 kW diesel machines, 100 of 300 h emission-free = 33 %. Padded: the excavator a
    20 kW one, and ten 1 kW electric drills, 1 100 of 1 300 h = 85 %. By energy the padded
    bid's electric share is far the smaller (20 + 10 kW against 400 kW of diesel), so the
    honest bid is first on energy."""
    honest = [("Gravemaskin E", "electricity", 100.0, "h", 200.0),
              ("Hjullaster D", "diesel", 100.0, "h", 200.0),
              ("Dumper D", "diesel", 100.0, "h", 200.0)]
    padded = [("Gravemaskin E", "electricity", 100.0, "h", 20.0), *honest[1:],
              *((f"Drill {k}", "electricity", 100.0, "h", 1.0) for k in range(1, 11))]
    (h, p), evaluation = _evaluate("machine_hours", factors, mappings,
                                   sites=(("honest.xlsx", honest), ("padded.xlsx", padded)))
    assert h.zero_emission_shares["machine_hours"] == pytest.approx(1 / 3)
    assert p.zero_emission_shares["machine_hours"] == pytest.approx(11 / 13)
    assert p.zero_emission_shares["energy"] < h.zero_emission_shares["energy"]
    assert evaluation.ranking.loc["padded.xlsx", "rank"] == 1
    notices = dict(evaluation.notices)
    assert "eval.notice.hours_basis" in notices and "eval.notice.count_basis" not in notices
    told = notices["eval.notice.hours_basis_winner"]
    assert (told["energy"], told["now"]) == ("honest.xlsx", "padded.xlsx")
    assert told["shares"].startswith("padded.xlsx 85 % / ")
    assert "honest.xlsx 33 % / " in told["shares"]
    text = t("eval.notice.hours_basis_winner", "en", **told)
    assert "by machine hour / by energy" in text
