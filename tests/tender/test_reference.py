"""The tender's bill of quantities as the reference (tender.reference): each case worked by hand.

Factors and mappings are the hand ones of tests/tender/conftest.py: ``concrete``,
generic, 300 kg CO2e/m3 A1-A3 (any line whose text holds "betong"). The profile
counts A1-A3 only, with the 25 % markup on generic data that TEK17 uses, so a
generic concrete line costs 300 x 1.25 = 375 kg CO2e/m3 and a committed EPD line
what it declares.

The tender: 50 lines "Betong B30, felt i", 100 m3 each (5 000 m3). Every bid is
written with the template writer (tender.template.write_template) and read back
(tender.reader.read_bid), as a bidder's file would be.
"""

import dataclasses
import datetime as dt
import re

import numpy as np
import pandas as pd
import pytest

from klimafotavtrykk.errors import InputError
from klimafotavtrykk.profiles import Profile
from klimafotavtrykk.scoring import ScoringRule
from klimafotavtrykk.tender import read_bid, score_bids, write_template
from klimafotavtrykk.tender.competition import Competition, load_competition
from klimafotavtrykk.tender.reference import (
    line_keys,
    reconcile,
    tender_quantities,
    with_line_keys,
)

TENDER_DATE = dt.date(2025, 4, 1)
VALID = dt.datetime(2030, 1, 1)
N_LINES = 50


def tender_frame() -> pd.DataFrame:
    """The client's bill: 50 concrete lines of 100 m3, as read_boq returns it."""
    i = np.arange(1, N_LINES + 1)
    return pd.DataFrame({
        "source_ref": [f"[anbud.xlsx]Mengder!E{6 + k}" for k in i],
        "post_number": [f"23.{k:02d}" for k in i], "item_code": "LD1.1", "building_part": "23",
        "description": [f"Betong B30, felt {k}" for k in i], "quantity": 100.0, "unit": "m3",
        "thickness_mm": np.nan})


TENDER = tender_quantities(tender_frame(), file="anbud.xlsx")


def competition(rule: str = "tender", fallback: str = "generic_with_markup") -> Competition:
    profile = Profile(name="a1a3", reference_study_period=50.0, modules=("A1-A3",),
                      generic_markup=0.25)
    return Competition(name="test", profile=profile, bta_m2=100.0, tender_date=TENDER_DATE,
                       reference_study_period=50.0, building_parts=(),
                       rule=ScoringRule(price_weight=0.7, climate_weight=0.3, bta_m2=100.0),
                       material_fallback=fallback, tender_quantities=TENDER, quantity_rule=rule)


def bid_rows(gwp: float | None) -> pd.DataFrame:
    """The tender's lines with their keys, and one committed EPD value on every line (None: none)."""
    rows = with_line_keys(tender_frame().drop(columns="source_ref"))
    if gwp is not None:
        rows = rows.assign(product="B30", epd_id="NEPD-1234-567-NO", epd_declared_unit="m3",
                           epd_gwp_a1a3=gwp, dataset_type="product_epd", epd_valid_until=VALID,
                           committed=True)
    return rows


def write(folder, name: str, rows: pd.DataFrame, price: float = 1_000_000.0):
    return write_template(folder / name, rows=rows, declaration={
        "bidder": name.split(".")[0], "price_nok": price})


# ============================================================================ keys

def test_keys_name_the_post_and_change_when_the_line_changes():
    frame = tender_frame()
    keys = line_keys(frame)
    assert keys.is_unique and keys.str.fullmatch(r"23\.\d\d#[0-9a-f]{8}").all()
    assert keys.iloc[0].startswith("23.01#")
    edited = frame.assign(quantity=np.where(np.arange(N_LINES) == 3, 1.0, 100.0))
    again = line_keys(edited)
    # only line 4's hash changes; its post part stays
    assert (again != keys).tolist() == [i == 3 for i in range(N_LINES)]
    assert again.iloc[3].split("#")[0] == keys.iloc[3].split("#")[0] == "23.04"
    assert line_keys(frame).equals(keys)                   # the same bill, the same keys


def test_blank_or_repeated_post_numbers_key_by_sheet_row():
    frame = tender_frame().head(3).assign(post_number=["7.1", "7.1", None])
    keys = line_keys(frame)
    # rows 7, 8 and 9 of the sheet (source_ref E7, E8, E9)
    assert [k.split("#")[0] for k in keys] == ["r7", "r8", "r9"]


def test_template_prefilled_from_the_tender_reads_back_with_the_tender_keys(tmp_path):
    path = write_template(tmp_path / "mal.xlsx", quantities=tender_frame())
    bid = read_bid(path)
    assert bid.materials["line_key"].tolist() == TENDER.lines["line_key"].tolist()
    assert bid.columns["line_key"] == "S" and bid.columns["unit"] == "F"
    result = reconcile(bid.materials, TENDER, "tender", bid.file, bid.columns)
    assert len(result.findings) == 0 and len(result.evaluated) == N_LINES


def test_template_key_column_is_locked_on_prefilled_rows(tmp_path):
    import openpyxl

    path = write_template(tmp_path / "mal.xlsx", quantities=tender_frame())
    sheet = openpyxl.load_workbook(path)["Materialer"]
    assert sheet["S1"].value == "Linjenøkkel (ikke endre)"
    assert sheet["S2"].value == TENDER.lines["line_key"].iloc[0]
    assert sheet["S2"].protection.locked and sheet.protection.sheet


# ============================================================================ findings

def test_every_change_is_a_finding_at_its_cell_naming_the_tender_line(tmp_path):
    rows = bid_rows(None)
    rows.loc[0, "quantity"] = 1.0                      # 23.01: 100 -> 1 m3
    rows.loc[1, "unit"] = "m2"                         # 23.02: m3 -> m2
    rows.loc[2, "building_part"] = "99"                # 23.03
    rows.loc[3, "description"] = "Limtre"              # 23.04
    rows.loc[4, "quantity"] = -5.0                     # 23.05: negative
    extra = rows.iloc[[5]].assign(description="Ekstra betong", quantity=-1000.0, line_key=None)
    copy = rows.iloc[[6]]                              # 23.07 twice
    rows = pd.concat([rows.drop(index=[7]), extra, copy], ignore_index=True)  # 23.08 deleted
    bid = read_bid(write(tmp_path, "b.xlsx", rows))
    result = reconcile(bid.materials, TENDER, "tender", bid.file, bid.columns)
    found = {(r.kind, r.source_ref): r.detail for r in result.findings.itertuples()}
    # sheet rows: header on row 1, line i of the bid on row i + 1
    assert found[("changed_quantity", "[b.xlsx]Materialer!E2")] == (
        "1 m3 ≠ 100 m3 · 23.01 [anbud.xlsx]Mengder!E7")
    assert found[("changed_unit", "[b.xlsx]Materialer!F3")].startswith("m2 ≠ m3 · 23.02 ")
    assert found[("changed_building_part", "[b.xlsx]Materialer!C4")].startswith("99 ≠ 23 · 23.03")
    assert found[("changed_line", "[b.xlsx]Materialer!D5")].startswith("Limtre ≠ Betong B30, felt 4")
    assert found[("changed_quantity", "[b.xlsx]Materialer!E6")].startswith("\u22125 m3 ≠ 100 m3")
    assert ("negative_quantity", "[b.xlsx]Materialer!E6") in found
    # 49 kept lines on rows 2-50, the added one on row 51, the copy on row 52
    assert found[("added_line", "[b.xlsx]Materialer!E51")] == "Ekstra betong, \u22121000 m3"
    assert ("negative_quantity", "[b.xlsx]Materialer!E51") in found
    assert ("duplicate_line", "[b.xlsx]Materialer!E52") in found
    assert found[("deleted_line", "[b.xlsx]Materialer")].startswith(
        "23.08 [anbud.xlsx]Mengder!E14 · Betong B30, felt 8, 100 m3")
    assert result.gate == ""
    # evaluated: 49 matched lines with the tender's values + the deleted one = 50 lines of 100 m3
    assert len(result.evaluated) == N_LINES
    assert (result.evaluated["quantity"] == 100.0).all() and (result.evaluated["unit"] == "m3").all()
    assert set(result.excluded["exclusion"]) == {"added_line", "duplicate_line"}
    rejected = reconcile(bid.materials, TENDER, "reject", bid.file, bid.columns)
    assert rejected.gate == "quantity_deviation"


def test_without_a_tender_bill_a_negative_line_is_refused_not_credited(factors, mappings):
    from klimafotavtrykk.tender import evaluate_bid

    rows = bid_rows(200.0).head(2)
    rows.loc[1, "quantity"] = -1000.0
    bid = _bid(rows)
    comp = dataclasses.replace(competition(), tender_quantities=None)
    result = evaluate_bid(bid, comp, factors=factors, mappings=mappings, detail=True)
    # only line 1 counts: 100 m3 x 200 = 20 000 (line 2 would be -1 000 x 200 = -200 000)
    assert result.kg_co2e == pytest.approx(20_000.0)
    assert "negative_quantity" in set(result.findings["kind"])
    assert result.lines["line_status"].tolist() == ["epd", "not_counted"]


def _bid(rows):
    from klimafotavtrykk.tender.reader import Bid, bid_frames

    rows = rows.assign(source_ref=[f"[bid.xlsx]Materialer!E{i}" for i in range(2, 2 + len(rows))])
    m, s, found = bid_frames(rows, pd.DataFrame(columns=["quantity", "unit"]))
    return Bid(file="bid.xlsx", sha256=None, materials=m, site=s,
               declaration={"bidder": "bid", "price_nok": 1e6}, findings=found)


def test_changed_and_deleted_lines_are_evaluated_at_the_tender_quantity(factors, mappings):
    from klimafotavtrykk.tender import evaluate_bid

    rows = bid_rows(200.0)
    rows.loc[0, "quantity"] = 1.0           # claims 1 m3 x 200 = 200 on 23.01
    rows = rows.drop(index=[1])             # 23.02 deleted
    result = evaluate_bid(_bid(rows), competition(), factors=factors, mappings=mappings,
                          detail=True)
    lines = result.lines.set_index("post_number")
    # 23.01 at the tender's 100 m3: 100 x 200 = 20 000
    assert lines.at["23.01", "kg_co2e"] == pytest.approx(20_000.0)
    # 23.02 missing: 100 m3 generic concrete with markup, 100 x 300 x 1.25 = 37 500
    assert lines.at["23.02", "kg_co2e"] == pytest.approx(37_500.0)
    assert lines.at["23.02", "line_status"] == "deleted"
    assert lines.at["23.02", "source_ref"] == "[anbud.xlsx]Mengder!E8"
    # total: 49 lines x 20 000 + 37 500 = 1 017 500
    assert result.kg_co2e == pytest.approx(1_017_500.0)


def test_deleting_a_line_never_pays_under_a_plain_generic_fallback(factors, mappings):
    from klimafotavtrykk.tender import evaluate_bid

    comp = competition(fallback="generic")
    kept = evaluate_bid(_bid(bid_rows(None)), comp, factors=factors, mappings=mappings)
    gone = evaluate_bid(_bid(bid_rows(None).drop(index=range(40))), comp, factors=factors,
                        mappings=mappings)
    # both: 50 lines x 100 m3 x 300 x 1.25 = 1 875 000 (the deleted lines keep the markup
    # of generic data, as the kept lines without an EPD do)
    assert kept.kg_co2e == pytest.approx(1_875_000.0)
    assert gone.kg_co2e == pytest.approx(1_875_000.0)


# ============================================================================ cheating bids

def tampered(tmp_path):
    """The honest bid and three that cheat on quantities, written as bidders' files."""
    folder = tmp_path / "bud"
    folder.mkdir()
    honest = bid_rows(200.0)
    write(folder, "a_honest.xlsx", honest)
    shrunk = bid_rows(None)
    shrunk["quantity"] = shrunk["quantity"] / 100                 # every quantity / 100
    write(folder, "b_shrunk.xlsx", shrunk)
    write(folder, "c_deleted.xlsx", bid_rows(200.0).iloc[40:])    # 40 of 50 lines deleted
    credit = bid_rows(220.0)
    extra = pd.DataFrame({"description": ["Betong B30, fradrag"], "quantity": [-1000.0],
                          "unit": ["m3"], "building_part": ["23"]})
    write(folder, "d_credit.xlsx", pd.concat([credit, extra], ignore_index=True))
    return folder


def test_honest_bid_wins_against_shrunk_deleted_and_credit_bids(tmp_path, factors, mappings):
    evaluation = score_bids(competition(), tampered(tmp_path), factors=factors,
                            mappings=mappings)
    r = evaluation.ranking
    # Evaluated emissions (5 000 m3 in the tender; generic 375 kg/m3, EPDs as declared):
    #   a honest   50 x 100 m3 x 200                                   = 1 000 000
    #   b /100     evaluated at the tender's 100 m3, generic: 5 000 x 375 = 1 875 000
    #              (as written: 50 x 1 m3 x 375 = 18 750, would have won)
    #   c deleted  10 x 100 x 200 + 40 deleted x 100 x 375 = 200 000 + 1 500 000 = 1 700 000
    #              (as written: 200 000, would have won)
    #   d credit   50 x 100 x 220 = 1 100 000; the added -1 000 m3 line is not counted
    #              (as written: 1 100 000 - 1 000 x 375 = 725 000, would have won)
    expected = {"a_honest.xlsx": 1_000_000.0, "b_shrunk.xlsx": 1_875_000.0,
                "c_deleted.xlsx": 1_700_000.0, "d_credit.xlsx": 1_100_000.0}
    for file, kg in expected.items():
        assert r.at[file, "kg_co2e"] == pytest.approx(kg)
    # DFØ linear climate points, 10 - 10 x (E - 1 000 000) / 1 000 000; equal prices: 10 each.
    # total = 0.7 x 10 + 0.3 x climate:
    #   a 10; d 0.7 x 10 + 0.3 x 9 = 9.7; c 7 + 0.3 x 3 = 7.9; b 7 + 0.3 x 1.25 = 7.375
    assert r.index.tolist() == ["a_honest.xlsx", "d_credit.xlsx", "c_deleted.xlsx",
                                "b_shrunk.xlsx"]
    assert r["total"].tolist() == pytest.approx([10.0, 9.7, 7.9, 7.375])
    kinds = evaluation.findings.groupby("file")["kind"].agg(set)
    assert "a_honest.xlsx" not in kinds.index
    assert {"changed_quantity"} <= kinds["b_shrunk.xlsx"]
    assert (evaluation.findings.query("file == 'b_shrunk.xlsx'")["kind"]
            == "changed_quantity").sum() == 50
    assert (evaluation.findings.query("file == 'c_deleted.xlsx'")["kind"]
            == "deleted_line").sum() == 40
    assert {"added_line", "negative_quantity"} <= kinds["d_credit.xlsx"]


def test_reject_rule_rejects_every_cheating_bid(tmp_path, factors, mappings):
    evaluation = score_bids(competition("reject"), tampered(tmp_path), factors=factors,
                            mappings=mappings)
    r = evaluation.ranking
    assert r.loc["a_honest.xlsx", "rank"] == 1 and r.loc["a_honest.xlsx", "total"] == 10.0
    rejected = evaluation.rejected.set_index("file")
    assert sorted(rejected.index) == ["b_shrunk.xlsx", "c_deleted.xlsx", "d_credit.xlsx"]
    assert all("quantity_deviation" in reason for reason in rejected["reason"])


# ============================================================================ competition file

def test_competition_names_the_tender_bill_relative_to_its_file(tmp_path):
    text = (EXAMPLE / "konkurranse.toml").read_text(encoding="utf-8")
    assert re.search(r'^tender_quantities = "\.\./skole\.xlsx"', text, re.MULTILINE)
    comp = load_competition(EXAMPLE / "konkurranse.toml")
    assert comp.tender_quantities.file == "skole.xlsx"
    assert len(comp.tender_quantities.lines) == 110
    assert comp.quantity_rule == "tender"            # default, data/procurement/defaults.toml
    assert comp.sources["quantity_rule"] == "library-default"
    params = __import__("klimafotavtrykk.tender", fromlist=["x"]).competition_parameters(comp)
    shown = params.set_index("parameter")["value"]
    assert shown["tender_quantities"].startswith("skole.xlsx (sha256 ")
    assert shown["quantity_rule"] == "tender"


@pytest.mark.parametrize("line, message", [
    ('quantity_rule = "shrink"', "quantity_rule: unknown choice"),
    ('tender_quantities = "missing.xlsx"', "tender_quantities: file not found"),
])
def test_bad_quantity_keys_name_the_key(tmp_path, line, message):
    text = (EXAMPLE / "konkurranse.toml").read_text(encoding="utf-8")
    text = re.sub(r"^tender_quantities = .*$", "", text, flags=re.MULTILINE)
    path = tmp_path / "konkurranse.toml"
    path.write_text(line + "\n" + text, encoding="utf-8")
    with pytest.raises(InputError, match=message):
        load_competition(path)


EXAMPLE = __import__("pathlib").Path(__file__).resolve().parents[2] / "examples" / "anbud"


def test_shipped_bid_b_is_evaluated_as_if_it_had_not_edited_the_tender_lines(tmp_path):
    """Bid B of examples/anbud changed a quantity, deleted a line and added a credit line.

    Evaluated against the tender's bill, it must come to exactly what the same bid with the
    tender's lines untouched comes to (its claims are on other lines, and the deleted slabs
    had no EPD in either), and every edit must be listed.
    """
    import sys

    sys.path.insert(0, str(EXAMPLE))
    import build_bids

    bidder, org, price, _, claims, site = build_bids.BIDS["b_tradisjonsbygg.xlsx"]
    untouched = write_template(tmp_path / "b_untouched.xlsx", rows=build_bids._filled(claims),
                               site=site, declaration={"bidder": bidder, "price_nok": price})
    comp = load_competition(EXAMPLE / "konkurranse.toml")
    evaluation = score_bids(comp, [EXAMPLE / "bud" / "b_tradisjonsbygg.xlsx", untouched],
                            quality={"b_tradisjonsbygg.xlsx": 7.0, "b_untouched.xlsx": 7.0})
    kg = evaluation.ranking["kg_co2e"]
    assert kg["b_tradisjonsbygg.xlsx"] == pytest.approx(kg["b_untouched.xlsx"], rel=1e-12)
    found = evaluation.findings.query("file == 'b_tradisjonsbygg.xlsx'")
    kinds = found.groupby("kind")["source_ref"].agg(list)
    assert kinds["changed_quantity"] == ["[b_tradisjonsbygg.xlsx]Materialer!E6"]
    assert kinds["deleted_line"] == ["[b_tradisjonsbygg.xlsx]Materialer"]
    assert kinds["added_line"] == kinds["negative_quantity"] == [
        "[b_tradisjonsbygg.xlsx]Materialer!E111"]
    assert "b_untouched.xlsx" not in set(evaluation.findings.query(
        "kind in ['changed_quantity', 'deleted_line', 'added_line']")["file"])


def test_ns3459_tender_keys_the_template_and_reads_back_clean(tmp_path):
    """An NS 3459 price request is a tender bill too (fixture: tests/fixtures/ns3459)."""
    import importlib.util
    import sys
    import warnings
    from pathlib import Path

    from klimafotavtrykk.errors import DataQualityWarning
    from klimafotavtrykk.quantities import read_boq
    from klimafotavtrykk.tender.reference import read_tender_quantities

    maker = Path(__file__).parents[1] / "fixtures" / "ns3459" / "make_ns3459.py"
    spec = importlib.util.spec_from_file_location("make_ns3459", maker)
    mk = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("make_ns3459", mk)
    spec.loader.exec_module(mk)
    xml = mk.write_ns3459(tmp_path / "foresporsel.xml", mk.nested_request())
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataQualityWarning)
        reference = read_tender_quantities(xml)
        items, _ = read_boq(xml)
    # the eight posts, keyed by their post numbers
    assert [k.split("#")[0] for k in reference.lines["line_key"]] == [
        "01.1", "01.2", "01.2.1", "01.2.2", "01.2.2.1", "01.1.1", "01.1.1.1", "02.1"]
    bid = read_bid(write_template(tmp_path / "mal.xlsx", quantities=items))
    result = reconcile(bid.materials, reference, "tender", bid.file, bid.columns)
    assert len(result.findings) == 0 and len(result.evaluated) == 8
