"""Ties, duplicates and a batch that never breaks (issue #12, items 3 and 4).

Bids are built with the template writer, or as summaries where only the
batch arithmetic is under test. The factors (tests/tender/conftest.py) are
made up for hand calculation: ``concrete`` generic 300 kg CO2e/m3 A1-A3. The
profile counts A1-A3 only. Declared EPD values (200 and 220 kg CO2e/m3 for a
B30) lie inside published ranges, so every line is evaluated at its declared
value: 10 m3 x 200 = 2 000 kg, 10 m3 x 220 = 2 200 kg.
"""

import datetime as dt
import multiprocessing
import os
import pickle
import shutil
import warnings
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from klimafotavtrykk.errors import InputError, WeightWarning
from klimafotavtrykk.profiles import Profile
from klimafotavtrykk.reports import evaluation_frames
from klimafotavtrykk.scoring import ScoringRule
from klimafotavtrykk.tender import BidSummary, bid_paths, evaluate_summaries, score_bids
from klimafotavtrykk.tender import batch as batch_module
from klimafotavtrykk.tender.competition import Competition, load_competition
from klimafotavtrykk.tender.quality import read_quality
from klimafotavtrykk.tender.template import write_template

TENDER_DATE = dt.date(2025, 4, 1)
VALID = dt.datetime(2030, 1, 1)
EPD = "NEPD-3442-2053-EN"


def competition(**rule) -> Competition:
    profile = Profile(name="a1a3", reference_study_period=50.0, modules=("A1-A3",),
                      generic_markup=0.25)
    settings = {"price_weight": 0.7, "climate_weight": 0.3, "bta_m2": 100.0, **rule}
    return Competition(name="test", profile=profile, bta_m2=100.0, tender_date=TENDER_DATE,
                       reference_study_period=50.0, building_parts=(),
                       rule=ScoringRule(**settings))


def write_bid(path, gwp=200.0, price=1_000_000.0, bidder=None):
    rows = pd.DataFrame({
        "description": ["Betong B30"], "quantity": [10.0], "unit": ["m3"], "epd_id": [EPD],
        "epd_declared_unit": ["m3"], "epd_gwp_a1a3": [gwp], "epd_valid_until": [VALID],
        "committed": ["ja"], "dataset_type": ["produkt-EPD"], "building_part": ["251"]})
    write_template(path, rows=rows,
                   declaration={"bidder": bidder or path.stem.upper(), "price_nok": price})
    return path


def summary(file, kg, price, **extra) -> BidSummary:
    return BidSummary(file=file, ok=True, bidder=file.split(".")[0], price_nok=price,
                      kg_co2e=kg, kg_co2e_claimed=kg, by_module=(0.0,) * 15, **extra)


def quiet(function, *args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", WeightWarning)
        return function(*args, **kwargs)


# ============================================================================ duplicates and ties

def test_392_copies_of_one_bid_are_one_group_all_tied_for_a_manual_decision():
    # 392 summaries of the same file (same SHA-256): same emissions and price, so the same total;
    # the default rule decides no tie: all share rank 1, each names the others.
    copies = [summary(f"copy{i:03d}.xlsx", 1_000.0, 100.0, sha256="f" * 64,
                      content_sha256="c" * 64) for i in range(392)]
    evaluation = evaluate_summaries(competition(), copies)
    ranking = evaluation.ranking
    assert ranking["rank"].tolist() == [1] * 392
    assert set(ranking["tie_rule"]) == {"manual"}
    assert set(ranking["duplicate_group"]) == {"copy000.xlsx"}
    found = evaluation.findings
    assert (found["kind"] == "duplicate_file").sum() == 392
    first = found[found["file"] == "copy000.xlsx"].iloc[0]
    # 391 others: ten named, then (+381)
    assert first["detail"] == ", ".join(f"copy{i:03d}.xlsx" for i in range(1, 11)) + " (+381)"
    keys = [key for key, _ in evaluation.notices]
    assert keys == ["eval.notice.duplicates", "eval.notice.tie_manual"]
    assert evaluation.notices[1][1]["n"] == "392"
    text = evaluation_frames(evaluation, "nb")["Rangering"]
    assert set(text["Lik totalscore avgjort av"]) == {"ingen regel: krever manuell avgjørelse"}


def test_copies_on_disk_are_flagged_and_the_honest_bid_wins(tmp_path, factors, mappings):
    # honest.xlsx: 200 kg/m3 -> 2 000 kg. copy_a.xlsx: 220 -> 2 200 kg; copy_b.xlsx its bytes;
    # copy_c.xlsx the same sheets and price under another bidder's name (other bytes).
    # Price all 1 000 000 -> 10 points. Climate per m2 (BTA 100): 20 and 22;
    # copies 10 - 10 x (22 - 20)/20 = 9. Totals: honest 0.7 x 10 + 0.3 x 10 = 10;
    # copies 7 + 0.3 x 9 = 9.7, tied: rank 2 shared, the client decides.
    write_bid(tmp_path / "honest.xlsx", gwp=200.0)
    write_bid(tmp_path / "copy_a.xlsx", gwp=220.0)
    shutil.copyfile(tmp_path / "copy_a.xlsx", tmp_path / "copy_b.xlsx")
    write_bid(tmp_path / "copy_c.xlsx", gwp=220.0, bidder="Stråmann AS")
    evaluation = quiet(score_bids, competition(), tmp_path, factors=factors, mappings=mappings)
    ranking = evaluation.ranking
    assert ranking["total"].to_dict() == pytest.approx(
        {"honest.xlsx": 10.0, "copy_a.xlsx": 9.7, "copy_b.xlsx": 9.7, "copy_c.xlsx": 9.7})
    assert ranking["rank"].to_dict() == {"honest.xlsx": 1, "copy_a.xlsx": 2, "copy_b.xlsx": 2,
                                         "copy_c.xlsx": 2}
    assert ranking["duplicate_group"].to_dict() == {
        "honest.xlsx": "", "copy_a.xlsx": "copy_a.xlsx", "copy_b.xlsx": "copy_a.xlsx",
        "copy_c.xlsx": "copy_a.xlsx"}
    found = evaluation.findings.set_index(["file", "kind"])["detail"].to_dict()
    assert found[("copy_a.xlsx", "duplicate_file")] == "copy_b.xlsx"
    assert found[("copy_a.xlsx", "duplicate_content")] == "copy_c.xlsx"
    assert found[("copy_c.xlsx", "duplicate_content")] == "copy_a.xlsx, copy_b.xlsx"
    assert ("honest.xlsx", "duplicate_file") not in found


def test_bids_equal_on_every_tie_rule_share_a_rank():
    # Price 0.7 / climate 0.3, linear on kg; tie_break = price, climate.
    # A: 100 NOK, 1 200 kg; B: 110 NOK, 1 000 kg; D: 100 NOK, 1 200 kg.
    # Price (best 100): A 10, B 10 - 10 x 10/100 = 9, D 10.
    # Climate (best 1 000): A 10 - 10 x 200/1 000 = 8, B 10, D 8.
    # Totals: A 7 + 2.4 = 9.4; B 6.3 + 3 = 9.3; D 9.4. A and D are equal on price and on
    # climate: rank 1 shared, manual; B rank 3.
    bids = [summary("a.xlsx", 1_200.0, 100.0), summary("b.xlsx", 1_000.0, 110.0),
            summary("d.xlsx", 1_200.0, 100.0)]
    comp = competition(basis="kg_co2e", tie_break=("price", "climate"))
    ranking = quiet(evaluate_summaries, comp, bids).ranking
    assert ranking["total"].to_dict() == pytest.approx({"a.xlsx": 9.4, "b.xlsx": 9.3,
                                                        "d.xlsx": 9.4})
    assert ranking["rank"].to_dict() == {"a.xlsx": 1, "d.xlsx": 1, "b.xlsx": 3}
    assert ranking["tie_rule"].to_dict() == {"a.xlsx": "manual", "d.xlsx": "manual", "b.xlsx": ""}
    assert list(ranking.index) == ["a.xlsx", "d.xlsx", "b.xlsx"]   # display order only


def test_tie_decided_by_price_is_shown_in_the_cli_text():
    # Price 0.5 / climate 0.5, linear on kg.
    # P: 100 NOK, 1 100 kg -> price 10, climate 10 - 10 x 100/1 000 = 9 -> 9.5
    # Q: 105 NOK, 1 000 kg -> price 10 - 10 x 5/100 = 9.5, climate 10 -> 9.75
    # R: 110 NOK, 1 000 kg... -> price 9, climate 10 -> 9.5: ties with P on 9.5.
    # tie_break = price: P (100 NOK) before R (110 NOK). Ranks: Q 1, P 2, R 3.
    from klimafotavtrykk.commands import render_evaluation

    comp = competition(price_weight=0.5, climate_weight=0.5, basis="kg_co2e",
                       tie_break=("price",))
    evaluation = quiet(evaluate_summaries, comp, [
        summary("p.xlsx", 1_100.0, 100.0), summary("q.xlsx", 1_000.0, 105.0),
        summary("r.xlsx", 1_000.0, 110.0)])
    ranking = evaluation.ranking
    assert ranking["total"].to_dict() == pytest.approx({"p.xlsx": 9.5, "q.xlsx": 9.75,
                                                        "r.xlsx": 9.5})
    assert ranking["rank"].to_dict() == {"q.xlsx": 1, "p.xlsx": 2, "r.xlsx": 3}
    assert ranking["tie_rule"].to_dict() == {"q.xlsx": "", "p.xlsx": "price", "r.xlsx": "price"}
    text = render_evaluation(evaluation, "nb")
    assert "2. p (p.xlsx): 9,50 poeng, 1 100 kg CO2e – lik totalscore avgjort av: laveste " \
           "tilbudte pris" in text
    english = render_evaluation(evaluation, "en")
    assert "equal total decided by: lowest offered price" in english
    sheet = evaluation_frames(evaluation, "en")["Ranking"].set_index("File")
    assert sheet.loc["r.xlsx", "Equal total decided by"] == "lowest offered price"
    assert "the lower offered price decided" in sheet.loc["r.xlsx", "Explanation"]


def test_tie_break_in_the_competition_file(tmp_path):
    base = ('name = "T"\nprofile = "tek17"\nbta_m2 = 100\ntender_date = 2025-04-01\n'
            '[weights]\nprice = 0.7\nclimate = 0.3\n')
    path = tmp_path / "k.toml"
    path.write_text('tie_break = ["price", "climate"]\n' + base, encoding="utf-8")
    comp = load_competition(path)
    assert comp.rule.tie_break == ("price", "climate")
    params = comp.sources
    assert params["tie_break"] == "client"
    path.write_text(base, encoding="utf-8")
    default = load_competition(path)
    assert default.rule.tie_break == ("manual",)
    assert default.sources["tie_break"] == "library-default"
    assert "manual decision" in default.notes["tie_break"]
    path.write_text('tie_break = ["bidder"]\n' + base, encoding="utf-8")
    with pytest.raises(InputError, match="tie_break: unknown choice") as info:
        load_competition(path)
    assert info.value.code == "competition.invalid"


# ============================================================================ prices

@pytest.mark.parametrize("price", [1e308, "inf", 0.0, -5.0])   # "inf": a text cell reads as inf
def test_a_price_that_cannot_be_scored_rejects_its_bid_with_a_finding_at_its_cell(
        tmp_path, factors, mappings, price):
    # honest.xlsx 1 000 000 NOK, 2 200 kg; cheat.xlsx the price above, 2 000 kg.
    # The cheat is refused; the honest bid is the only one ranked: rank 1.
    write_bid(tmp_path / "honest.xlsx", gwp=220.0)
    write_bid(tmp_path / "cheat.xlsx", gwp=200.0, price=price)
    evaluation = quiet(score_bids, competition(), tmp_path, factors=factors, mappings=mappings)
    ranking = evaluation.ranking
    assert ranking.loc["honest.xlsx", "rank"] == 1
    assert ranking.loc["cheat.xlsx", "status"] == "rejected"
    assert ranking.loc["cheat.xlsx", "explanation"] == "invalid_price"
    found = evaluation.findings.query("kind == 'invalid_price'")
    assert found[["file", "source_ref"]].values.tolist() == [["cheat.xlsx",
                                                              "[cheat.xlsx]Erklæring!B6"]]
    assert found.iloc[0]["detail"] == repr(float(price))
    assert np.isfinite(ranking.loc["honest.xlsx", "total"])


def test_prices_and_quality_given_by_the_client_are_checked_before_reading(tmp_path):
    comp = competition(price_weight=0.5, quality_weight=0.2, climate_weight=0.3)
    (tmp_path / "never_read.xlsx").write_bytes(b"")
    with pytest.raises(InputError) as info:
        score_bids(comp, tmp_path, quality={"never_read.xlsx": 11.0})   # scale 0-10
    assert info.value.code == "tender.values_out_of_range"
    assert "never_read.xlsx: 11.0" in info.value.found
    with pytest.raises(InputError) as info:
        score_bids(comp, tmp_path, quality={"never_read.xlsx": 5.0},
                   prices={"never_read.xlsx": float("inf")})
    assert info.value.code == "tender.values_out_of_range"
    with pytest.raises(InputError) as info:
        score_bids(comp, tmp_path)                     # quality weighs, none given
    assert info.value.code == "tender.quality_missing"
    assert pickle.loads(pickle.dumps(info.value)).code == "tender.quality_missing"


# ============================================================================ quality file

def _csv(tmp_path, text):
    path = tmp_path / "kvalitet.csv"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(("text", "code", "cell", "found"), [
    ("fil,poeng\na.xlsx,-5\nb.xlsx,80\nc.xlsx,7\n", "tender.quality_out_of_scale", "B2, B3",
     "-5; 80"),
    ("fil,poeng\na.xlsx,8\nb.xlsx,høy\n", "tender.quality_not_a_number", "B3", "høy"),
    ("fil,poeng\na.xlsx,8\nb.xlsx,7\na.xlsx,6\n", "tender.quality_duplicate", "A2, A4",
     "a.xlsx; a.xlsx"),
    ("fil,poeng\na.xlsx,8\n,7\n", "tender.quality_no_bid", "A3", ""),
])
def test_bad_quality_rows_are_errors_naming_the_row(tmp_path, text, code, cell, found):
    with pytest.raises(InputError) as info:
        read_quality(_csv(tmp_path, text), max_points=10.0)
    assert (info.value.code, info.value.cell, info.value.found) == (code, cell, found)
    assert info.value.file.endswith("kvalitet.csv")


def test_quality_file_with_decimal_comma_and_semicolons(tmp_path):
    path = _csv(tmp_path, "fil;poeng\na.xlsx;7,5\nb.xlsx;10\n")
    assert read_quality(path, max_points=10.0) == {"a.xlsx": 7.5, "b.xlsx": 10.0}


def test_quality_row_for_an_unreadable_bid_is_a_notice(tmp_path, factors, mappings):
    # good.xlsx: 2 000 kg, 1 000 000 NOK, quality 8; broken.xlsx cannot be read.
    write_bid(tmp_path / "good.xlsx", gwp=200.0)
    (tmp_path / "broken.xlsx").write_bytes(b"PK\x03\x04 not a workbook")
    comp = competition(price_weight=0.6, quality_weight=0.1, climate_weight=0.3)
    evaluation = quiet(score_bids, comp, tmp_path, quality={"good.xlsx": 8.0, "broken.xlsx": 9.0},
                       factors=factors, mappings=mappings)
    # the only bid: price 10, climate 10, quality 8 -> 6 + 0.8 + 3 = 9.8
    assert evaluation.ranking.loc["good.xlsx", "total"] == pytest.approx(9.8)
    assert ("eval.notice.quality_unreadable", {"name": "broken.xlsx"}) in evaluation.notices
    summary_sheet = evaluation_frames(evaluation, "nb")["Sammendrag"]
    assert any("Kvalitetspoengene for broken.xlsx er ikke brukt" in str(v)
               for v in summary_sheet.iloc[:, 1])


# ============================================================================ files and workers

def test_a_fifo_is_refused_without_being_opened(tmp_path, factors, mappings):
    write_bid(tmp_path / "good.xlsx")
    os.mkfifo(tmp_path / "pipe.xlsx")          # opening it for reading would block forever
    assert [p.name for p in bid_paths(tmp_path)] == ["good.xlsx", "pipe.xlsx"]
    evaluation = quiet(score_bids, competition(), tmp_path, factors=factors, mappings=mappings)
    rejected = evaluation.rejected.set_index("file")
    assert rejected.loc["pipe.xlsx", "reason"] == "not_regular_file"
    assert rejected.loc["pipe.xlsx", "detail"] == "fifo"
    assert evaluation.ranking.loc["good.xlsx", "rank"] == 1
    # named explicitly, and read by a worker pool: refused the same way
    with ProcessPoolExecutor(max_workers=1) as pool:
        again = quiet(score_bids, competition(), [tmp_path / "pipe.xlsx", tmp_path / "good.xlsx"],
                      executor=pool, factors=factors, mappings=mappings)
    assert again.rejected["reason"].tolist() == ["not_regular_file"]


def test_a_device_is_refused(tmp_path):
    if not os.path.exists("/dev/null"):
        pytest.skip("no /dev/null")
    summary_ = batch_module.score_bid("/dev/null", competition())
    assert (summary_.ok, summary_.reason, summary_.detail) == (False, "not_regular_file", "device")


def _killer(real):
    def read(path):
        if path.name.startswith("kill"):
            os._exit(3)                      # the worker process dies, as on a crash or OOM kill
        return real(path)
    return read


def test_a_worker_that_dies_costs_only_its_own_bid(tmp_path, factors, mappings, monkeypatch):
    # 40 valid bids (copies of one: they tie, which is beside the point here) and one that
    # kills the process reading it. Before: 34 of the 40 were rejected as BrokenProcessPool.
    write_bid(tmp_path / "valid_00.xlsx")
    for i in range(1, 40):
        shutil.copyfile(tmp_path / "valid_00.xlsx", tmp_path / f"valid_{i:02d}.xlsx")
    shutil.copyfile(tmp_path / "valid_00.xlsx", tmp_path / "kill.xlsx")
    monkeypatch.setattr(batch_module, "read_bid", _killer(batch_module.read_bid))
    done = []
    with ProcessPoolExecutor(max_workers=2, mp_context=multiprocessing.get_context("fork")) as pool:
        evaluation = quiet(score_bids, competition(), tmp_path, executor=pool, factors=factors,
                           mappings=mappings, progress=lambda d, n, f: done.append((d, n)))
    ranking = evaluation.ranking
    assert len(ranking) == 40 and set(ranking["status"]) == {"ranked"}
    assert evaluation.rejected[["file", "reason"]].values.tolist() == [["kill.xlsx",
                                                                      "worker_died"]]
    assert done[-1] == (41, 41) and len(done) == 41      # every bid reported once
    # 10 m3 x 200 = 2 000 kg for every valid bid
    assert ranking["kg_co2e"].to_numpy() == pytest.approx(np.full(40, 2_000.0))


def test_cli_exits_non_zero_when_every_bid_is_rejected(tmp_path, capsys):
    from klimafotavtrykk.cli import main

    folder = tmp_path / "bud"
    folder.mkdir()
    (folder / "a.xlsx").write_bytes(b"PK\x03\x04 not a workbook")
    (folder / "b.xls").write_bytes(bytes.fromhex("D0CF11E0A1B11AE1") + b"\0" * 504)
    competition_file = tmp_path / "k.toml"
    competition_file.write_text('name = "T"\nprofile = "tek17"\nbta_m2 = 100\n'
                                'tender_date = 2025-04-01\n[weights]\nprice = 0.7\n'
                                'climate = 0.3\n', encoding="utf-8")
    code = main(["anbud", "score", str(competition_file), str(folder)])
    out = capsys.readouterr().out
    assert code == 1
    assert "Avvist: – (a.xlsx): Filen kan ikke leses." in out
    assert "Ingen av de 2 tilbudsfilene kunne rangeres" in out


def test_cli_fails_at_once_when_quality_is_needed_and_missing(tmp_path, capsys):
    from klimafotavtrykk.cli import main

    folder = tmp_path / "bud"
    folder.mkdir()
    write_bid(folder / "a.xlsx")
    competition_file = tmp_path / "k.toml"
    competition_file.write_text('name = "T"\nprofile = "tek17"\nbta_m2 = 100\n'
                                'tender_date = 2025-04-01\n[weights]\nprice = 0.6\n'
                                'quality = 0.1\nclimate = 0.3\n', encoding="utf-8")
    code = main(["anbud", "score", str(competition_file), str(folder)])
    captured = capsys.readouterr()
    assert code == 1
    assert "Leser tilbud" not in captured.err               # no bid was read
    assert "Konkurransen vekter kvalitet" in captured.err
    bad = _csv(tmp_path, "fil,poeng\na.xlsx,80\n")
    code = main(["anbud", "score", str(competition_file), str(folder), "--kvalitet", str(bad)])
    captured = capsys.readouterr()
    assert code == 1 and "Leser tilbud" not in captured.err
    assert "Celle:" in captured.err and "B2" in captured.err and "0 ≤ x ≤ 10" in captured.err


def test_a_subfolder_hidden_file_or_lock_file_in_the_bid_folder_is_named_not_passed_over(
        tmp_path, factors, mappings):
    # one bid; a subfolder holding a second bid, a hidden file and an Excel lock file beside it
    write_bid(tmp_path / "a.xlsx", gwp=200.0)
    (tmp_path / "sent_late").mkdir()
    write_bid(tmp_path / "sent_late" / "b.xlsx", gwp=100.0)
    (tmp_path / ".DS_Store").write_bytes(b"")
    (tmp_path / "~$a.xlsx").write_bytes(b"")
    evaluation = quiet(score_bids, competition(), tmp_path, factors=factors, mappings=mappings)
    assert list(evaluation.ranking.index) == ["a.xlsx"]          # the subfolder's bid is not read
    assert ("eval.notice.skipped_entries",
            {"n": "3", "files": ".DS_Store, sent_late/, ~$a.xlsx"}) in evaluation.notices
    summary_sheet = evaluation_frames(evaluation, "nb")["Sammendrag"]
    assert any("3 oppføringer i tilbudsmappen er ikke lest" in str(v)
               for v in summary_sheet.iloc[:, 1])


class _Read:
    """A read bid as a worker hands it back: weakly referenceable, so its release can be seen."""

    def __init__(self, name):
        self.name = name


def _read(path):
    return _Read(path.name)


def test_each_read_bid_is_let_go_once_settled_not_held_until_the_batch_ends(tmp_path):
    # The pool's futures held every bid's result until the last bid was read: 200 read
    # bids of 5 000 lines kept 230-580 MB in the parent. A settled bid is now held only by
    # whoever collected it; here nobody keeps one, so each is gone before the next is settled.
    import gc
    import weakref
    from concurrent.futures import ThreadPoolExecutor

    from klimafotavtrykk.tender.workers import run_tasks

    files = []
    for i in range(6):
        (tmp_path / f"b{i}.xlsx").write_bytes(b"x")
        files.append(tmp_path / f"b{i}.xlsx")
    seen, alive = [], []

    def collect(i, result):
        gc.collect()
        alive.append(sum(ref() is not None for ref in seen))  # earlier bids still held
        seen.append(weakref.ref(result))

    with ThreadPoolExecutor(max_workers=2) as pool:
        out = run_tasks(_read, files, executor=pool, collect=collect)
    assert out == [None] * 6
    assert len(seen) == 6 and alive == [0] * 6


def test_a_pool_worker_freezes_its_heap_after_its_first_bid_and_this_process_never(
        tmp_path):
    # A worker's modules, competition and tables stay for every bid; frozen after the first
    # bid, full collections no longer scan them. Not so where the bids are read by threads
    # of the caller's own process: its objects are the caller's.
    import gc
    from concurrent.futures import ThreadPoolExecutor

    from klimafotavtrykk.tender import batch

    examples = Path(__file__).resolve().parents[2] / "examples" / "anbud"
    example = load_competition(examples / "konkurranse.toml")
    bids = examples / "bud"
    points = read_quality(examples / "kvalitet.csv", example.rule.max_points)
    before = gc.get_freeze_count()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", WeightWarning)
        with ThreadPoolExecutor(max_workers=2) as threads:
            score_bids(example, bids, executor=threads, quality=points)
        assert gc.get_freeze_count() == before and not batch._FROZEN
        with ProcessPoolExecutor(max_workers=1,
                                 mp_context=multiprocessing.get_context("spawn")) as pool:
            assert pool.submit(gc.get_freeze_count).result() == 0  # a fresh worker
            score_bids(example, bids, executor=pool, quality=points)
            assert pool.submit(gc.get_freeze_count).result() > 0


def test_the_collector_is_paused_while_the_batch_runs_and_restored_after(tmp_path, factors,
                                                                          mappings):
    import gc

    write_bid(tmp_path / "a.xlsx")
    shutil.copyfile(tmp_path / "a.xlsx", tmp_path / "b.xlsx")
    seen = []
    assert gc.isenabled()
    try:
        quiet(score_bids, competition(), tmp_path, factors=factors, mappings=mappings,
              progress=lambda d, n, f: seen.append(gc.isenabled()))
        assert seen == [False, False] and gc.isenabled()
        gc.disable()  # left off when the caller had it off
        quiet(score_bids, competition(), tmp_path, factors=factors, mappings=mappings)
        assert not gc.isenabled()
    finally:
        gc.enable()
