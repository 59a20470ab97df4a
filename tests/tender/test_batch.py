"""Batch scoring of bids (tender.batch): each case worked by hand.

The factor table and mappings (tests/tender/conftest.py) are made up for hand
calculation: ``concrete``, generic, 300 kg CO2e/m3 A1-A3; ``rebar``, generic,
1.0 kg CO2e/kg. The profile counts A1-A3 only, with the 25 % markup on generic
data that TEK17 uses, so every number below is a product. The competition and
line builders are the same as in tests/tender/test_evaluation.py.
"""


import datetime as dt
import io
import math
import warnings
import zipfile
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pandas as pd
import pytest

from klimafotavtrykk.errors import InputError, WeightWarning
from klimafotavtrykk.profiles import Profile
from klimafotavtrykk.reports import evaluation_frames, write_evaluation_workbook
from klimafotavtrykk.scoring import ScoringRule
from klimafotavtrykk.tender import (
    BidSummary,
    bid_paths,
    evaluate_bid,
    evaluate_summaries,
    score_bids,
)
from klimafotavtrykk.tender.competition import Competition
from klimafotavtrykk.tender.reader import Bid, bid_frames
from klimafotavtrykk.tender.template import write_template

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


def summary(file, kg, price, **extra) -> BidSummary:
    return BidSummary(file=file, ok=True, bidder=file.split(".")[0], price_nok=price,
                      kg_co2e=kg, kg_co2e_claimed=kg, by_module=(0.0,) * 15, **extra)


def test_co2_price_addon_on_two_bids_and_the_weight_it_implies():
    # Statens vegvesen model, 7.50 NOK/kg (data/procurement/defaults.toml).
    # A: 1 000 000 NOK, 10 000 kg; B: 950 000 NOK, 20 000 kg.
    # Add-on B = (20 000 - 10 000) x 7.5 = 75 000 -> evaluated 1 025 000; A stays 1 000 000.
    # Price points (linear): A 10; B 10 - 10 x 25 000 / 1 000 000 = 9.75.
    # Implied climate weight = spread(add-on) / (spread(price) + spread(add-on))
    #                        = 75 000 / (50 000 + 75 000) = 0.6.
    comp = competition(price_weight=1.0, climate_weight=0.0, climate_model="co2_price",
                       basis="kg_co2e")
    evaluation = evaluate_summaries(comp, [summary("a.xlsx", 10_000.0, 1_000_000.0),
                                           summary("b.xlsx", 20_000.0, 950_000.0)])
    ranking = evaluation.ranking
    assert ranking.loc["b.xlsx", "co2_addon_nok"] == pytest.approx(75_000.0)
    assert ranking.loc["b.xlsx", "evaluated_price_nok"] == pytest.approx(1_025_000.0)
    assert ranking.loc["b.xlsx", "points_price"] == pytest.approx(9.75)
    assert list(ranking.index) == ["a.xlsx", "b.xlsx"]
    assert evaluation.effective_climate_weight == pytest.approx(0.6)
    assert evaluation.warnings == ()


def test_weak_co2_price_warns_below_thirty_percent():
    # B: 800 000 NOK, 12 000 kg -> add-on 2 000 x 7.5 = 15 000; price spread 200 000:
    # implied weight 15 000 / 215 000 = 0.0698 < 0.30 (anskaffelsesforskriften § 7-9)
    comp = competition(price_weight=1.0, climate_weight=0.0, climate_model="co2_price",
                       basis="kg_co2e")
    with pytest.warns(WeightWarning):
        evaluation = evaluate_summaries(comp, [summary("a.xlsx", 10_000.0, 1_000_000.0),
                                               summary("b.xlsx", 12_000.0, 800_000.0)])
    assert evaluation.effective_climate_weight == pytest.approx(15_000 / 215_000)
    assert any("below the minimum" in w for w in evaluation.warnings)
    sheets = evaluation_frames(evaluation, "en")
    assert any("Warning: the effective climate weight 7.0%" in str(v)
               for v in sheets["Summary"]["Value"])


def test_quality_and_prices_given_per_file_or_bidder():
    comp = competition(price_weight=0.5, quality_weight=0.2, climate_weight=0.3)
    sums = [summary("a.xlsx", 1_000.0, 100.0), summary("b.xlsx", 2_000.0, 100.0)]
    evaluation = evaluate_summaries(comp, sums, quality={"a.xlsx": 6.0, "b": 8.0},
                                    prices={"a": 100.0, "b.xlsx": 125.0})
    ranking = evaluation.ranking
    assert ranking.loc["a.xlsx", "points_quality"] == 6.0
    assert ranking.loc["b.xlsx", "points_price"] == pytest.approx(7.5)   # 10 - 10 x 25/100
    # a row for no bid of the batch is a notice, not an error after every bid was read;
    # b then has no quality points and is rejected for it
    later = evaluate_summaries(comp, sums, quality={"a.xlsx": 6.0, "nobody": 1.0})
    assert later.notices == (("eval.notice.quality_unknown", {"name": "nobody"}),)
    assert later.ranking.loc["b.xlsx", "explanation"] == "missing_quality"


def test_rejected_file_is_listed_and_the_rest_ranked():
    comp = competition()
    sums = [summary("a.xlsx", 1_000.0, 100.0),
            BidSummary(file="bomb.xlsx", ok=False, reason="xml_entities", detail="DOCTYPE")]
    evaluation = evaluate_summaries(comp, sums)
    assert list(evaluation.ranking.index) == ["a.xlsx"]
    row = evaluation.rejected.iloc[0]
    assert (row["file"], row["stage"], row["reason"]) == ("bomb.xlsx", "read", "xml_entities")
    text = evaluation_frames(evaluation, "nb")["Avvist og nedgradert"]
    assert "XML-entiteter" in text.iloc[0]["Årsak"]


def test_evaluation_workbook_is_deterministic_and_formula_safe(tmp_path, factors, mappings):
    rows = materials(('=HYPERLINK("http://x","y") betong', 1.0, "m3", "NEPD-2001-201-NO", "m3", 100.0, VALID,
                      "ja"))
    comp = competition()
    make = [evaluate_bid(bid(rows, name=n), comp, factors=factors, mappings=mappings, detail=True)
            for n in ("x.xlsx", "y.xlsx")]
    first = write_evaluation_workbook(evaluate_summaries(comp, make), tmp_path / "1.xlsx")
    second = write_evaluation_workbook(evaluate_summaries(comp, make[::-1]), tmp_path / "2.xlsx")
    assert first.read_bytes() == second.read_bytes()
    with zipfile.ZipFile(io.BytesIO(first.read_bytes())) as archive:
        xml = b"".join(archive.read(n) for n in archive.namelist()  # cells and their texts
                       if n.startswith(("xl/worksheets", "xl/sharedStrings")))
    assert b"<f>" not in xml                       # no formula anywhere
    assert b"'=HYPERLINK" in xml                   # the injected text kept inert


# ----------------------------------------------------------------------------- files

def test_bid_paths_sorts_and_skips_lock_files(tmp_path):
    for name in ("b.xlsx", "a.xlsx", "~$a.xlsx", ".hidden"):
        (tmp_path / name).write_bytes(b"")
    assert [p.name for p in bid_paths(tmp_path)] == ["a.xlsx", "b.xlsx"]
    (tmp_path / "empty").mkdir()
    with pytest.raises(InputError, match="no bid files") as info:
        score_bids(competition(), tmp_path / "empty")
    assert info.value.code == "tender.no_bids"


def _write_bid(path, concrete_gwp, committed="ja", price=1_000_000.0):
    rows = materials(("Betong B30", 10.0, "m3", "NEPD-2001-201-NO", "m3", concrete_gwp, VALID, committed))
    rows["building_part"] = "251"
    write_template(path, rows=rows.drop(columns=["source_ref"]),
                   declaration={"bidder": path.stem.upper(), "price_nok": price})
    return path


def _hostile_files(folder):
    (folder / "corrupt.xlsx").write_bytes(b"PK\x03\x04 this is not a workbook")
    (folder / "legacy.xls").write_bytes(bytes.fromhex("D0CF11E0A1B11AE1") + b"\0" * 504)
    bomb = io.BytesIO()
    entities = "".join(f'<!ENTITY e{i} "&e{i - 1};&e{i - 1};">' for i in range(1, 12))
    with zipfile.ZipFile(bomb, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", f'<?xml version="1.0"?><!DOCTYPE w [<!ENTITY e0 "x">'
                                            f'{entities}]><workbook>&e11;</workbook>')
    (folder / "bomb.xlsx").write_bytes(bomb.getvalue())


def test_folder_with_hostile_files_still_scores_the_good_bids(tmp_path, factors, mappings):
    _write_bid(tmp_path / "a.xlsx", 150.0)
    _write_bid(tmp_path / "b.xlsx", 200.0)
    _hostile_files(tmp_path)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", WeightWarning)
        evaluation = score_bids(competition(), tmp_path, factors=factors, mappings=mappings)
    # A: 10 m3 x 150 = 1 500 kg; B: 10 x 200 = 2 000 kg; per m2 BTA (100 m2): 15 and 20
    assert evaluation.ranking["kg_co2e"].to_dict() == pytest.approx({"a.xlsx": 1_500.0,
                                                                     "b.xlsx": 2_000.0})
    assert list(evaluation.ranking["rank"]) == [1, 2]
    rejected = evaluation.rejected.set_index("file")
    assert rejected["reason"].to_dict() == {"bomb.xlsx": "xml_entities",
                                            "corrupt.xlsx": "unreadable_file",
                                            "legacy.xls": "legacy_xls"}
    assert (rejected["stage"] == "read").all()


def test_two_runs_give_identical_frames_and_workbooks(tmp_path, factors, mappings):
    for name, gwp in (("c.xlsx", 180.0), ("a.xlsx", 150.0), ("b.xlsx", 150.0)):
        _write_bid(tmp_path / name, gwp)
    runs = []
    for executor in (None, ThreadPoolExecutor(max_workers=2)):
        runs.append(score_bids(competition(), tmp_path, factors=factors, mappings=mappings,
                               executor=executor, detail=True))
    pd.testing.assert_frame_equal(runs[0].ranking, runs[1].ranking)
    pd.testing.assert_frame_equal(runs[0].lines, runs[1].lines)
    # a and b tie on points and emissions: no tie rule (the default), so they share rank 1
    # and need the client's decision; the file name only orders the rows for display
    assert list(runs[0].ranking.index) == ["a.xlsx", "b.xlsx", "c.xlsx"]
    assert runs[0].ranking["rank"].tolist() == [1, 1, 3]
    assert runs[0].ranking["tie_rule"].tolist() == ["manual", "manual", ""]
    books = [write_evaluation_workbook(r, tmp_path / f"e{i}.xlsx").read_bytes()
             for i, r in enumerate(runs)]
    assert books[0] == books[1]


def test_the_competition_crosses_to_a_worker_once_per_batch(tmp_path, monkeypatch):
    # Two tasks as a worker gets them (pickled): the competition is unpickled for the first
    # and kept for the second; each reads its bid as read_for_batch does with the competition.
    import os
    import pickle

    from klimafotavtrykk.tender import batch

    _write_bid(tmp_path / "a.xlsx", 150.0)
    comp = competition()
    task = batch._ReadTask(comp, os.getpid())
    monkeypatch.setattr(batch, "_WORKER_COMPETITION", {})
    loads = []
    real_loads = pickle.loads
    monkeypatch.setattr(batch.pickle, "loads", lambda b: loads.append(1) or real_loads(b))
    assert task.shipped is None  # nothing pickled until the task is (never, in threads)
    first, second = (real_loads(pickle.dumps(task)) for _ in range(2))
    assert first.competition is None and "competition" not in first.__getstate__()
    assert first.shipped == task.shipped  # pickled once, the same bytes both times
    results = [first(tmp_path / "a.xlsx"), second(tmp_path / "a.xlsx")]
    assert len(loads) == 1 and len(batch._WORKER_COMPETITION) == 1
    expected = batch.read_for_batch(tmp_path / "a.xlsx", comp)
    for result in results:
        pd.testing.assert_frame_equal(result.reconciled.evaluated, expected.reconciled.evaluated)
        assert result.content_sha256 == expected.content_sha256
    assert task(tmp_path / "a.xlsx").content_sha256 == expected.content_sha256  # no pickling here


def test_dask_distributed_executor(tmp_path, factors, mappings):
    distributed = pytest.importorskip("distributed")
    for name, gwp in (("a.xlsx", 150.0), ("b.xlsx", 300.0)):
        _write_bid(tmp_path / name, gwp)
    with distributed.LocalCluster(n_workers=1, threads_per_worker=2, processes=False,
                                  dashboard_address=None) as cluster, \
            distributed.Client(cluster) as client:
        evaluation = score_bids(competition(), tmp_path, executor=client.get_executor(),
                                factors=factors, mappings=mappings)
    # linear on kg/m2: A 15, B 30 -> B gets 10 - 10 x (30 - 15) / 15 = 0
    assert evaluation.ranking.loc["b.xlsx", "points_climate"] == pytest.approx(0.0)
    assert math.isclose(evaluation.ranking.loc["a.xlsx", "points_climate"], 10.0)


# ----------------------------------------------------------------------------- command line

EXAMPLES = __import__("pathlib").Path(__file__).resolve().parents[2] / "examples"


def test_cli_template_prefilled_from_the_school(tmp_path, capsys):
    from klimafotavtrykk.cli import main
    from klimafotavtrykk.quantities import read_boq

    out = tmp_path / "klimaskjema.xlsx"
    assert main(["anbud", "mal", "-o", str(out), "--mengder", str(EXAMPLES / "skole.xlsx")]) == 0
    assert "Klimaskjema skrevet til" in capsys.readouterr().out
    items, _ = read_boq(EXAMPLES / "skole.xlsx")
    sheet = __import__("openpyxl").load_workbook(out)["Materialer"]
    filled = [c.value for c in sheet["D"][1:] if c.value]
    assert filled == list(items["description"])


def test_cli_scores_the_example_bids(tmp_path, capsys):
    from klimafotavtrykk.cli import main

    out = tmp_path / "evaluering.xlsx"
    code = main(["anbud", "score", str(EXAMPLES / "anbud" / "konkurranse.toml"),
                 str(EXAMPLES / "anbud" / "bud"), "--kvalitet",
                 str(EXAMPLES / "anbud" / "kvalitet.csv"), "-o", str(out)])
    captured = capsys.readouterr()
    assert code == 0
    first = "1. Nordlys Totalentreprise AS (d_nordlys.xlsx)"
    assert first in captured.out
    assert "Avvist: Rask og Rimelig Bygg AS (e_rask_og_rimelig.xlsx)" in captured.out
    assert "5/5" in captured.err                          # progress on stderr
    sheets = pd.read_excel(out, sheet_name=None, engine="openpyxl")
    assert list(sheets) == ["Sammendrag", "Rangering", "Poeng", "Linjer", "Avvist og nedgradert",
                            "Parametre og kilder"]


def test_evaluation_text_in_english():
    from klimafotavtrykk.commands import render_evaluation

    comp = competition()
    evaluation = evaluate_summaries(comp, [
        summary("a.xlsx", 1_000.0, 100.0), summary("b.xlsx", 1_500.0, 90.0),
        BidSummary(file="c.xls", ok=False, reason="legacy_xls", detail="old format")])
    text = render_evaluation(evaluation, "en")
    assert "  1. a (a.xlsx): " in text and "Rejected: – (c.xls): The old Excel format" in text
    assert "Effective climate weight: " in text
