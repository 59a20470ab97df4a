"""EPD claims a bidder controls, checked (tender.epd_checks): each cheat tried, the honest bid wins.

The bids are computed on the shipped generic factors and mappings, under a profile that counts
A1-A3 only with the 25 % markup on generic data of TEK17 (data/profiles/tek17.toml), so every
number below is a product worked by hand from data/emission_factors/materials.csv:

- "Plasstøpt betong B30" matches ``concrete_c30_37``: 0.116 kg CO2e/kg x 2 350 kg/m3
  = 272.6 kg CO2e/m3; with markup 272.6 x 1.25 = 340.75 per m3.
- "Limtrebjelker GL30c" matches ``glulam``: 0.106 kg CO2e/kg x 434 kg/m3 = 46.004 kg CO2e/m3;
  with markup 46.004 x 1.25 = 57.505 per m3.

Ranges from data/procurement/epd_ranges.csv: ``concrete_b30`` 110-546 kg CO2e/m3, implausible
below 30; ``glulam`` 25-200 kg CO2e/m3, implausible below 10. The tender date is 2025-04-01.
"""

import datetime as dt
import pickle

import numpy as np
import pandas as pd
import pytest

from klimafotavtrykk.profiles import Profile
from klimafotavtrykk.reports import evaluation_frames
from klimafotavtrykk.scoring import ScoringRule
from klimafotavtrykk.tender import evaluate_bid, evaluate_summaries
from klimafotavtrykk.tender.competition import Competition
from klimafotavtrykk.tender.epd_checks import (
    cell_refs,
    epd_number_operator,
    load_epd_number_formats,
    load_epd_ranges,
)
from klimafotavtrykk.tender.reader import Bid, bid_frames

TENDER_DATE = dt.date(2025, 4, 1)
VALID = dt.datetime(2029, 12, 31)
EXPIRED = dt.datetime(2024, 12, 31)
B30, GLULAM = "Plasstøpt betong B30", "Limtrebjelker GL30c"
B30_GENERIC = 0.116 * 2_350 * 1.25      # 340.75 kg CO2e/m3 with markup
GLULAM_GENERIC = 0.106 * 434 * 1.25     # 57.505 kg CO2e/m3 with markup


def competition(accepted=()) -> Competition:
    profile = Profile(name="a1a3", reference_study_period=50.0, modules=("A1-A3",),
                      generic_markup=0.25)
    return Competition(name="test", profile=profile, bta_m2=100.0, tender_date=TENDER_DATE,
                       reference_study_period=50.0, building_parts=(),
                       rule=ScoringRule(price_weight=0.7, climate_weight=0.3, bta_m2=100.0),
                       accepted_epds=tuple(accepted))


def materials(*rows) -> pd.DataFrame:
    """Rows of (description, quantity m3, EPD number, EPD unit, GWP, valid until); all committed."""
    frame = pd.DataFrame(list(rows), columns=["description", "quantity", "epd_id",
                                              "epd_declared_unit", "epd_gwp_a1a3",
                                              "epd_valid_until"])
    frame["unit"], frame["committed"] = "m3", "ja"
    frame["source_ref"] = [f"[bid.xlsx]Materialer!E{i}" for i in range(2, 2 + len(frame))]
    frame["dataset_type"] = np.where(frame["epd_id"].notna(), "produkt-EPD", None)
    return frame


def evaluate(rows, name="bid.xlsx", accepted=(), price=1e6):
    m, s, found = bid_frames(rows, pd.DataFrame(columns=["quantity", "unit"]))
    bid = Bid(file=name, sha256=None, materials=m, site=s,
              declaration={"bidder": name.split(".")[0], "price_nok": price}, findings=found)
    return evaluate_bid(bid, competition(accepted), detail=True)


def findings(result) -> dict:
    """kind -> source_ref of each finding (one of each kind in these bids)."""
    return dict(zip(result.findings["kind"], result.findings["source_ref"], strict=True))


HONEST = (
    (B30, 10.0, "NEPD-1234-567-NO", "m3", 200.0, VALID),
    (GLULAM, 10.0, "NEPD-2345-678-NO", "m3", 40.0, VALID),
)


def test_fabricated_values_are_evaluated_generic_and_the_honest_bid_wins():
    cheat = evaluate(materials((B30, 10.0, "NEPD-1234-567-NO", "m3", 5.0, VALID),
                               (GLULAM, 10.0, "NEPD-2345-678-NO", "m3", 0.0, VALID)),
                     name="cheat.xlsx")
    honest = evaluate(materials(*HONEST), name="honest.xlsx")
    # cheat: both values below the implausible bounds (5 < 30, 0 < 10): generic with markup,
    # 10 x 340.75 + 10 x 57.505 = 3 407.5 + 575.05 = 3 982.55 (claimed 10 x 5 + 0 = 50)
    assert cheat.kg_co2e == pytest.approx(3_982.55)
    assert cheat.kg_co2e_claimed == pytest.approx(50.0)
    # the findings name the GWP cells (column K of the template)
    assert list(cheat.findings["kind"]) == ["epd_implausible", "epd_implausible"]
    assert list(cheat.findings["source_ref"]) == ["[bid.xlsx]Materialer!K2",
                                                   "[bid.xlsx]Materialer!K3"]
    assert cheat.counts["downgraded"] == 2
    # honest: 200 and 40 lie inside 110-546 and 25-200: 10 x 200 + 10 x 40 = 2 400
    assert honest.kg_co2e == pytest.approx(2_400.0)
    assert len(honest.findings) == 0
    ranking = evaluate_summaries(competition(), [cheat, honest]).ranking
    assert ranking.loc["honest.xlsx", "rank"] == 1
    assert ranking.loc["cheat.xlsx", "rank"] == 2


def test_the_evaluation_shows_declared_and_evaluated_value_why_and_the_range():
    result = evaluate(materials((B30, 10.0, "NEPD-1234-567-NO", "m3", 80.0, VALID),
                                (GLULAM, 10.0, "NEPD-2345-678-NO", "m3", 40.0, VALID)))
    lines = result.lines.set_index("description")
    b30, glulam = lines.loc[B30], lines.loc[GLULAM]
    # 80 is below the floor 110 but above the implausible bound 30: documentation required
    assert b30["epd_gwp_a1a3"] == pytest.approx(80.0)
    assert b30["gwp_a1a3_evaluated"] == pytest.approx(B30_GENERIC)        # 340.75 per m3
    assert b30["checks"] == "epd_below_range"
    assert b30["line_status"] == "epd_unverified"
    assert b30["epd_range"] == "110\u2013546 kg CO2e/m3"
    assert "concrete_b30" in b30["epd_range_source"]
    assert "Klimatdatabas" in b30["epd_range_source"]
    assert b30["kg_co2e"] == pytest.approx(10 * B30_GENERIC)               # 3 407.5
    assert glulam["gwp_a1a3_evaluated"] == pytest.approx(40.0)
    assert glulam["gwp_a1a3_generic"] == pytest.approx(GLULAM_GENERIC)     # 57.505, the reference
    assert b30["gwp_a1a3_generic"] == pytest.approx(B30_GENERIC)
    assert pd.isna(glulam["checks"])
    assert glulam["epd_range"] == "25\u2013200 kg CO2e/m3"
    detail = result.findings.set_index("kind").at["epd_below_range", "detail"]
    assert detail == "80 kg CO2e/m3 = 80 (110\u2013546 kg CO2e/m3, concrete_b30)"
    # the workbook's lines sheet carries the same columns, the reason in words
    evaluation = evaluate_summaries(competition(), [result])
    sheet = evaluation_frames(evaluation, "en")["Lines"]
    row = sheet[sheet["Declared GWP A1-A3 [kg CO2e per declared unit]"] == 80.0].iloc[0]
    assert row["Evaluated GWP A1-A3 [kg CO2e per declared unit]"] == pytest.approx(340.75)
    assert row["Why the evaluated value differs from the declared"].startswith(
        "below the plausible range for the material: documentation required")
    assert row["Plausible range of the EPD value"] == "110\u2013546 kg CO2e/m3"


def test_client_accepts_the_documentation_by_epd_number():
    rows = materials((B30, 10.0, "NEPD-1234-567-NO", "m3", 5.0, VALID))
    # accepted (written with an en dash and in lower case: numbers are compared normalised):
    # the value stands, 10 x 5 = 50, and the evaluation says why
    result = evaluate(rows, accepted=["nepd\u20131234-567-no"])
    assert result.kg_co2e == pytest.approx(50.0)
    assert findings(result) == {"epd_accepted": "[bid.xlsx]Materialer!I2"}
    assert result.lines["checks"].iloc[0] == "epd_accepted"
    # another number accepted: generic with markup, 10 x 340.75 = 3 407.5
    assert evaluate(rows, accepted=["NEPD-9999-999-NO"]).kg_co2e == pytest.approx(3_407.5)


def test_expired_epd_is_generic_with_markup_not_the_bidders_value_with_markup():
    result = evaluate(materials((B30, 10.0, "NEPD-1234-567-NO", "m3", 200.0, EXPIRED)))
    # expired 2024-12-31 < 2025-04-01: 10 x 340.75 = 3 407.5 (the old rule gave 10 x 200 x 1.25)
    assert result.kg_co2e == pytest.approx(3_407.5)
    assert result.lines["line_status"].iloc[0] == "epd_generic"
    # accepting the number does not revive an expired EPD
    assert evaluate(materials((B30, 10.0, "NEPD-1234-567-NO", "m3", 200.0, EXPIRED)),
                    accepted=["NEPD-1234-567-NO"]).kg_co2e == pytest.approx(3_407.5)


def test_missing_or_too_late_valid_until_date_gains_nothing():
    expired = evaluate(materials((B30, 10.0, "NEPD-1234-567-NO", "m3", 200.0, EXPIRED)))
    no_date = evaluate(materials((B30, 10.0, "NEPD-1234-567-NO", "m3", 200.0, None)))
    # the date deleted: generic with markup as when expired, 3 407.5; finding at the date (M)
    assert no_date.kg_co2e == pytest.approx(expired.kg_co2e) == pytest.approx(3_407.5)
    assert findings(no_date) == {"epd_missing_valid_until": "[bid.xlsx]Materialer!M2"}
    # a date beyond the 5 years of validity (EPD-Norge) + 31 days after the tender date:
    # 2025-04-01 + 5 years + 31 days = 2030-05-02; 2030-05-03 is too late, 2030-05-02 is not
    late = evaluate(materials((B30, 10.0, "NEPD-1234-567-NO", "m3", 200.0,
                               dt.datetime(2030, 5, 3))))
    assert late.kg_co2e == pytest.approx(3_407.5)
    assert list(late.findings["kind"]) == ["epd_validity_too_long"]
    last = evaluate(materials((B30, 10.0, "NEPD-1234-567-NO", "m3", 200.0,
                               dt.datetime(2030, 5, 2))))
    assert last.kg_co2e == pytest.approx(2_000.0)


@pytest.mark.parametrize("number", ["EPD 12345", "EKS-EPD-101", "NEPD-1", "S-P-123"])
def test_malformed_epd_number_is_generic_with_markup(number):
    result = evaluate(materials((B30, 10.0, number, "m3", 200.0, VALID)))
    assert result.kg_co2e == pytest.approx(3_407.5)
    assert findings(result) == {"epd_number_malformed": "[bid.xlsx]Materialer!I2"}
    # the same claim under a well-formed number stands: 10 x 200 = 2 000
    good = evaluate(materials((B30, 10.0, "S-P-01730", "m3", 200.0, VALID)))
    assert good.kg_co2e == pytest.approx(2_000.0)


def test_value_above_the_range_is_a_finding_only():
    # 900 > 546 kg CO2e/m3: probably a unit error, but declaring more never earns points,
    # so the value is evaluated as declared: 10 x 900 = 9 000
    result = evaluate(materials((B30, 10.0, "NEPD-1234-567-NO", "m3", 900.0, VALID)))
    assert result.kg_co2e == pytest.approx(9_000.0)
    assert findings(result) == {"epd_above_range": "[bid.xlsx]Materialer!K2"}
    assert result.counts["downgraded"] == 0


def test_values_in_another_unit_are_compared_after_conversion():
    # 5 kg CO2e per tonne of B30 = 5 x 2.35 t/m3 = 11.75 per m3 < 30: implausible
    per_tonne = evaluate(materials((B30, 10.0, "NEPD-1234-567-NO", "tonn", 5.0, VALID)))
    assert list(per_tonne.findings["kind"]) == ["epd_implausible"]
    assert per_tonne.kg_co2e == pytest.approx(3_407.5)
    # 0.09 kg CO2e per kg = 0.09 x 2 350 = 211.5 per m3: inside the range; scored
    # 10 m3 x 2 350 kg/m3 x 0.09 = 2 115
    per_kg = evaluate(materials((B30, 10.0, "NEPD-1234-567-NO", "kg", 0.09, VALID)))
    assert len(per_kg.findings) == 0
    assert per_kg.kg_co2e == pytest.approx(2_115.0)


def test_negative_value_refuses_the_claim_at_its_cell_and_the_rest_is_scored():
    rows = materials((GLULAM, 10.0, "NEPD-2345-678-NO", "m3", 40.0, VALID),
                     (B30, 10.0, "NEPD-1234-567-NO", "m3", -50.0, VALID))
    result = evaluate(rows)
    # row 3 of the sheet refused: generic 3 407.5; row 2 stands: 10 x 40 = 400
    assert result.kg_co2e == pytest.approx(3_807.5)
    assert findings(result) == {"epd_negative_value": "[bid.xlsx]Materialer!K3"}
    assert pickle.loads(pickle.dumps(result)).kg_co2e == pytest.approx(3_807.5)


def test_findings_name_the_cell_of_the_sheet_as_read():
    # a bid read from a workbook whose GWP column was moved to column P
    rows = materials((B30, 10.0, "NEPD-1234-567-NO", "m3", 5.0, VALID))
    m, s, found = bid_frames(rows, pd.DataFrame(columns=["quantity", "unit"]))
    bid = Bid(file="bid.xlsx", sha256=None, materials=m, site=s,
              declaration={"bidder": "b", "price_nok": 1.0}, findings=found,
              columns={"epd_gwp_a1a3": "P"})
    result = evaluate_bid(bid, competition())
    assert list(result.findings["source_ref"]) == ["[bid.xlsx]Materialer!P2"]


def test_cell_refs_keep_file_and_sheet():
    refs = ["[a b.xlsx]'Mat er'!E12", None, "[x.xlsx]Materialer!$E$3"]
    assert list(cell_refs(refs, "K")) == ["[a b.xlsx]'Mat er'!K12", None, "[x.xlsx]Materialer!K3"]


# ----------------------------------------------------------------------------- data

def test_every_format_example_has_its_operator():
    formats = load_epd_number_formats()
    for operator, examples in zip(formats["operator"], formats["examples"], strict=True):
        numbers = [e.strip() for e in examples.split(";")]
        assert list(epd_number_operator(numbers)) == [operator] * len(numbers)


def test_ranges_and_formats_cite_known_sources():
    from klimafotavtrykk.factors import load_sources

    known = set(load_sources().index)
    ranges = load_epd_ranges()
    assert set(ranges["source_id"]) <= known
    assert ranges["range_id"].is_unique
    # every bound ordered: implausible <= floor < high
    assert ((ranges["implausible_below"] <= ranges["low"]) & (ranges["low"] < ranges["high"])).all()
    formats = load_epd_number_formats()
    cited = formats["validity_source_id"][formats["validity_source_id"] != ""]
    assert set(formats["source_id"]) | set(cited) <= known
    # a validity period is checked only with its margin and source
    checked = formats["validity_years"].notna()
    assert formats.loc[checked, "validity_margin_days"].notna().all()
    assert (formats.loc[checked, "validity_source_id"] != "").all()


def test_competition_file_names_the_accepted_epds(tmp_path):
    from klimafotavtrykk.errors import InputError
    from klimafotavtrykk.tender.competition import competition_parameters, load_competition

    text = ('name = "t"\nprofile = "tek17"\nbta_m2 = 100\ntender_date = 2025-04-01\n'
            'accepted_epds = ["NEPD-1234-567-NO", "S-P-01730"]\n'
            '[weights]\nprice = 0.7\nclimate = 0.3\n')
    path = tmp_path / "konkurranse.toml"
    path.write_text(text, encoding="utf-8")
    comp = load_competition(path)
    assert comp.accepted_epds == ("NEPD-1234-567-NO", "S-P-01730")
    listed = competition_parameters(comp).set_index("parameter")
    assert listed.at["accepted_epds", "value"] == "NEPD-1234-567-NO, S-P-01730"
    assert listed.at["accepted_epds", "source"] == "client"
    path.write_text(text.replace('["NEPD-1234-567-NO", "S-P-01730"]', '"NEPD-1234-567-NO"'),
                    encoding="utf-8")
    with pytest.raises(InputError, match="accepted_epds"):
        load_competition(path)


def test_range_check_of_the_lines_with_a_claim_only_is_the_check_of_every_line():
    # the range check now works on the lines with a usable claim only; each of the other
    # lines must get what the check over every line gave it (no range: None, NaN, False)
    from klimafotavtrykk.factors import load_factors
    from klimafotavtrykk.tender.claims import claim_mass_per_base, epd_claims, generic_match
    from klimafotavtrykk.tender.epd_checks import _range_check, _range_rows

    rows = materials(
        (B30, 10.0, "NEPD-1234-567-NO", "tonn", 5.0, VALID),     # implausible after conversion
        (B30, 10.0, None, None, np.nan, None),                    # no claim
        (GLULAM, 10.0, "NEPD-2345-678-NO", "m3", 900.0, VALID),   # above the range
        (B30, 10.0, "NEPD-1234-567-NO", "furlong", 5.0, VALID),   # unit not known
        (GLULAM, 10.0, "NEPD-2345-678-NO", None, 40.0, VALID),    # no unit: not usable
        (B30, 10.0, "NEPD-1234-567-NO", "kg", 0.09, VALID),       # inside the range
    )
    m = bid_frames(rows, pd.DataFrame(columns=["quantity", "unit"]))[0].reset_index(drop=True)
    generic = load_factors()
    match = generic_match(m, generic, None)
    claims = epd_claims(m, TENDER_DATE)
    assert 0 < claims.usable.sum() < len(m)
    mass = claim_mass_per_base(generic, m, np.arange(len(m)), match.index)
    some = _range_check(claims, match, generic, mass)
    every = _range_rows(claims.value, claims.unit, claims.usable, match.index, match.factor_id,
                        generic, mass)
    assert list(some) == list(every)
    for key, values in every.items():
        assert some[key].dtype == values.dtype, key
        assert some[key].tolist() == values.tolist() or np.array_equal(
            some[key], values, equal_nan=True), key
    assert every["implausible"].tolist()[:3] == [True, False, False]
    assert every["above"].tolist()[2] and every["range_id"][1] is None


def test_plausible_ranges_per_each_lines_declared_unit():
    """The range a claim is checked against, in the line's own declared unit.

    B30 per m3: concrete_b30, 110 / 30 / 546 as in the file. Per litre (1 m3 = 1 000 l):
    0.11 / 0.03 / 0.546. Glulam per m3: glulam, 25 / 10 / 200. A line without a declared
    unit has no range.
    """
    from klimafotavtrykk.tender.epd_checks import plausible_ranges

    lines = pd.DataFrame({"description": [B30, B30, GLULAM, GLULAM], "unit": "m3",
                          "epd_declared_unit": ["m3", "l", "m3", None]})
    found = plausible_ranges(lines)
    assert found["range_id"].tolist() == ["concrete_b30", "concrete_b30", "glulam", None]
    expected = [[110.0, 30.0, 546.0], [0.11, 0.03, 0.546], [25.0, 10.0, 200.0]]
    assert found[["low", "implausible_below", "high"]].to_numpy()[:3] == pytest.approx(np.array(expected))
    assert found.loc[3, ["low", "implausible_below", "high"]].isna().all()
    assert found.loc[0, "range"] == "110–546 kg CO2e/m3"


ROOF_WOOL = "Takisolasjon, trykkfast steinull, 300 mm"


def _per_kg(mass_per_unit, unit="m3"):
    """1 000 (unit) of roof stone wool under an EPD per kg at 1.2 kg CO2e/kg, with the bid's own mass."""
    rows = materials((ROOF_WOOL, 1_000.0, "NEPD-3456-789-NO", "kg", 1.2, VALID))
    return rows.assign(unit=unit, mass_per_unit=mass_per_unit)


def test_cheat_a_light_own_mass_cannot_make_an_epd_per_kg_small():
    """Roof stone wool: generic ``stone_wool_roof`` 1.28 kg CO2e/kg at 180 kg/m3
    (data/emission_factors/materials.csv); range ``stone_wool_roof`` 0.6-2.6 kg CO2e/kg
    (data/procurement/epd_ranges.csv), so at least 0.6 x 180 = 108 kg CO2e per m3.

    An EPD per kg at 1.2 is in its range. With the true 180 kg/m3 the line is
    1 000 x 1.2 x 180 = 216 000 kg; typed at 10 kg/m3 it would be 12 000 kg, 12 per m3, under
    108: documentation required, generic with markup 1 000 x 1.28 x 180 x 1.25 = 288 000 kg, at the
    mass cell (column of mass_per_unit). A genuinely lighter board (110 kg/m3: 132 per m3) passes.
    """
    honest = evaluate(_per_kg(180.0), "honest.xlsx")
    cheat = evaluate(_per_kg(10.0), "cheat.xlsx")
    light = evaluate(_per_kg(110.0), "light.xlsx")
    assert honest.kg_co2e == pytest.approx(216_000.0)
    assert light.kg_co2e == pytest.approx(132_000.0)
    assert cheat.kg_co2e == pytest.approx(1_000 * 1.28 * 180 * 1.25)
    assert cheat.kg_co2e > honest.kg_co2e
    found = cheat.findings.set_index("kind")
    assert found.loc["epd_mass_below_range", "detail"] == (
        "1.2 kg CO2e/kg × 10 kg/m3 (0.6–2.6 kg CO2e/kg, stone_wool_roof)")
    from klimafotavtrykk.tender.epd_checks import template_columns
    assert found.loc["epd_mass_below_range", "source_ref"] == cell_refs(
        ["[bid.xlsx]Materialer!E2"], template_columns()["mass_per_unit"])[0]  # materials() names the rows
    assert "epd_mass_below_range" not in honest.findings["kind"].tolist() + light.findings["kind"].tolist()


def test_an_own_mass_with_nothing_to_check_it_against_needs_documentation():
    """Per m2 the generic roof stone wool has no mass (only a density), so 1.2 kg CO2e/kg x 10 kg/m2
    rests on the bid's own number alone: documentation required, generic with markup until the
    client accepts the EPD, as a per-m2 value that cannot be compared with the range is."""
    cheat = evaluate(_per_kg(10.0, unit="m2"), "cheat.xlsx")
    assert "epd_mass_not_comparable" in cheat.findings["kind"].tolist()
    accepted = evaluate(_per_kg(10.0, unit="m2"), "cheat.xlsx", accepted=("NEPD-3456-789-NO",))
    assert accepted.kg_co2e == pytest.approx(1_000 * 1.2 * 10)


def test_a_layer_given_by_thickness_needs_no_own_mass():
    """1 000 m2 of glass wool 200 mm under an EPD per m3 at 30 kg CO2e/m3 (30 / 18.7 kg/m3 = 1.6
    kg CO2e/kg, in the 0.4-2.6 range): the m2 reach m3 through the tender's thickness, not a
    mass the bid gives, so nothing asks for documentation: 1 000 x 0.2 x 30 = 6 000 kg."""
    rows = materials(("Isolasjon glassull, 200 mm", 1_000.0, "NEPD-3456-789-NO", "m3", 30.0, VALID))
    result = evaluate(rows.assign(unit="m2", thickness_mm=200.0))
    assert result.kg_co2e == pytest.approx(6_000.0)
    assert not result.findings["kind"].str.startswith("epd_").any()
