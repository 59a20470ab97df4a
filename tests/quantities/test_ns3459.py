"""NS 3459 XML reader: every case runs on a file generated in the test.

Expected values are worked out by hand from the generated posts (see the
comments); the post data are made up (tests/fixtures/ns3459/make_ns3459.py).
"""

from __future__ import annotations

import hashlib
import importlib.util
import pickle
import sys
import warnings
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from klimafotavtrykk.errors import (
    DataQualityWarning,
    InputError,
    KlimafotavtrykkError,
    UnsafeWorkbookError,
)
from klimafotavtrykk.quantities.ns3459 import Ns3459Limits, read_ns3459
from klimafotavtrykk.vocabulary import LINE_COLUMNS

_FIXTURE = Path(__file__).parents[1] / "fixtures" / "ns3459" / "make_ns3459.py"
_spec = importlib.util.spec_from_file_location("make_ns3459", _FIXTURE)
mk = importlib.util.module_from_spec(_spec)
sys.modules["make_ns3459"] = mk
_spec.loader.exec_module(mk)
Post, Part = mk.Post, mk.Part


def _read(path, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataQualityWarning)
        return read_ns3459(path, **kwargs)


def _cells(meta, kind):
    return meta.cells[meta.cells["kind"] == kind]


# ---------------------------------------------------------------- structure
def test_nested_request_columns_codes_and_text(tmp_path):
    path = mk.write_ns3459(tmp_path / "foresporsel.xml", mk.nested_request())
    items, meta = _read(path)

    assert list(items.columns) == list(LINE_COLUMNS)
    assert items["row_id"].dtype == np.int64
    assert items["row_id"].tolist() == list(range(8))
    assert items["quantity"].dtype == np.float64
    # document (pre-)order: nested posts follow their parent
    assert items["post_number"].tolist() == [
        "01.1", "01.2", "01.2.1", "01.2.2", "01.2.2.1", "01.1.1", "01.1.1.1", "02.1",
    ]  # fmt: skip
    # 01.2.1 has no Kode -> enclosing Post 01.2; 01.2.2.1 -> enclosing 01.2.2;
    # 01.1.1 is not nested -> post-number prefix 01.1; 01.1.1.1 -> 01.1.1 (no code) -> 01.1;
    # 02.1 has neither code nor parent post.
    assert items["item_code"].tolist() == [
        "LB2.1121", "QB2.111181", "QB2.111181", "QB2.111182", "QB2.111182",
        "LB2.1121", "LB2.1121", None,
    ]  # fmt: skip
    assert items["quantity"].tolist() == [12.5, 40.0, 25.0, 15.0, 4.0, 3.25, 0.75, 2.0]
    assert items["unit"].tolist() == ["m3", "m2", "m2", "m2", "m2", "m3", "m3", "stk"]
    assert items.loc[4, "description"] == "Herav våtrom"  # Uformatert, not the RTF copy
    assert not items["description"].str.contains("rtf").any()
    assert items.loc[2, "source_ref"] == "[foresporsel.xml]Post 01.2.1"
    assert items["building_part"].isna().all()
    assert items["factor_id"].isna().all() and items["transport_km"].isna().all()

    inherited = _cells(meta, "code_inherited")
    assert inherited["source_ref"].tolist() == [
        "[foresporsel.xml]Post 01.2.1", "[foresporsel.xml]Post 01.2.2.1",
        "[foresporsel.xml]Post 01.1.1", "[foresporsel.xml]Post 01.1.1.1",
    ]  # fmt: skip
    assert inherited["detail"].tolist()[3] == "Kode from Post 01.1"
    assert meta.root == "Prisforesporsel"
    assert meta.version == "2012"
    assert meta.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert meta.file == "foresporsel.xml" and meta.sheet is None
    assert meta.header_map == {} and meta.header_row is None and meta.hidden_sheets == ()
    assert meta.skipped.empty and list(meta.skipped.columns) == ["source_ref", "reason", "detail"]
    assert meta.options.empty and meta.warnings == []


def test_document_type_as_root_element_reads_the_same(tmp_path):
    wrapped = mk.write_ns3459(tmp_path / "a.xml", mk.nested_request())
    bare = mk.write_ns3459(tmp_path / "b.xml", mk.nested_request(), wrapper=False)
    a, _ = _read(wrapped)
    b, meta = _read(bare)
    assert a.drop(columns="source_ref").equals(b.drop(columns="source_ref"))
    assert meta.version == "2012"


# ------------------------------------------------------------------ options
# The structure follows ISY exports (docs/ns3459.md): every Delmengde has ID,
# Mengde and Tekst; the base contract is the part named "Hovedprosjekt" (ID 1);
# option n has ID n + 1; Mengde is the sum of all parts.
# Post 30.36.362.3.4: Mengde 62; Hovedprosjekt (ID 1) 76, Opsjon 1 (ID 2) -5,
# Opsjon 2 (ID 3) -9, Opsjon 3 (ID 4) -3, Opsjon 5 (ID 6) +3.
# Check: 76 - 5 - 9 - 3 + 3 = 62 = Mengde. Option parts sum to -5 - 9 - 3 + 3 = -14.
def _options_file(tmp_path, posts=None, **kwargs):
    posts = [mk.option_post(), Post("30.36.362.9", "X1", "", "m", "5")] if posts is None else posts
    return mk.write_ns3459(tmp_path / "o.xml", posts, plan=mk.PLAN_WITH_SUB_LEVELS, **kwargs)


@pytest.mark.parametrize(
    ("options", "expected", "rule"),
    [
        ("main", 76.0, "main"),  # the Hovedprosjekt part; = 62 - (-14)
        ("all", 62.0, "all"),  # Mengde as written
        (["3"], 67.0, "main+3"),  # 76 + (-9) (Opsjon 2)
        (["6"], 79.0, "main+6"),  # 76 + 3 (Opsjon 5)
        ([2, "4"], 68.0, "main+2,4"),  # 76 - 5 - 3; ints are taken as ids
        (["2", "3", "4", "6"], 62.0, "main+2,3,4,6"),  # every option = all
        (["1"], 76.0, "main+1"),  # choosing the base contract changes nothing
        ([], 76.0, "main"),
    ],
)
def test_option_rule_62_to_76(tmp_path, options, expected, rule):
    items, meta = _read(_options_file(tmp_path), options=options)
    assert items["quantity"].tolist() == [expected, 5.0]
    assert meta.option_rule == rule
    assert meta.base_contract == "named" and meta.base_part_ids == ("1",)
    assert meta.prices["quantity_written"].tolist() == [62.0, 5.0]
    opts = meta.options
    assert opts["quantity"].tolist() == [76.0, -5.0, -9.0, -3.0, 3.0]
    assert opts["part_id"].tolist() == ["1", "2", "3", "4", "6"]
    assert opts["option_id"].tolist() == [None, "2", "3", "4", "6"]
    assert opts["option_name"].tolist()[0] == "Hovedprosjekt"
    assert opts["option_name"].tolist()[1] == "Opsjon 1 - etasje 4"
    assert opts["is_option"].tolist() == [False, True, True, True, True]
    assert (opts["row_id"] == 0).all() and (opts["post_number"] == "30.36.362.3.4").all()
    # the included parts add up to the quantity used
    assert opts.loc[opts["included"], "quantity"].sum() == expected
    assert _cells(meta, "parts_mismatch").empty
    assert meta.warnings == []


def test_isy_shaped_request_base_contract_and_building_parts(tmp_path):
    items, meta = _read(_options_file(tmp_path, mk.option_request()))
    assert items["post_number"].tolist() == [
        "30.10.31.110.1", "30.36.360.1", "30.36.362.3.4", "30.36.364.4", "30.36.362.7.2",
        "30.39.391.36.1",
    ]  # fmt: skip
    # 30.36.364.4 exists only in Opsjon 1 (ID 2): the base contract has none of it
    assert items["quantity"].tolist() == [1.0, 1.0, 76.0, 0.0, 40.0, 1.0]
    # building part from the levels named Bygningsdel / Under bygningsdel (Type2..Type4):
    # 10 is no NS 3451 code (first digit 1) -> none; 360 ends in 0 -> 36; 36 + 362 -> 362;
    # 36 + 364 -> 364; 39 + 391 -> 391, and 36 on Type4 does not extend 391.
    assert items["building_part"].tolist() == [None, "36", "362", "364", "362", "391"]
    assert meta.building_part_levels == ("Type2", "Type3", "Type4")
    refused = _cells(meta, "not_a_building_part")
    assert refused["source_ref"].tolist() == ["[o.xml]Post 30.10.31.110.1"]
    assert refused["found"].tolist() == ["10"]
    assert refused["detail"].tolist() == ["Postnrdel Type2 (Bygningsdel): not an NS 3451 code"]
    assert meta.warnings == []
    all_items, _ = _read(_options_file(tmp_path, mk.option_request()), options="all")
    assert all_items["quantity"].tolist() == [1.0, 1.0, 62.0, 2.0, 40.0, 1.0]


def test_building_part_two_level_plan_and_general_chapters(tmp_path):
    levels = ("Type1", "Type2", "Hovedlopenr")
    posts = [
        Post("36.362.3", "VV1.1", "Kanal", "m", "10", levels=levels),  # -> 362
        Post("30.300.18", None, "Generelt VVS", "RS", "1", levels=levels),  # 300 -> 30
        Post("01.20.1", None, "Merking", "RS", "1", levels=levels),  # chapter 01: none
        Post("00.X2.1", None, "Kontosum", "RS", "1", levels=levels),  # chapter 00: none
        Post("36.5", None, "Kapittel only", "stk", "1", levels=("Type1", "Hovedlopenr")),
    ]
    items, meta = _read(mk.write_ns3459(tmp_path / "t.xml", posts))
    assert items["building_part"].tolist() == ["362", "30", None, None, None]
    assert meta.building_part_levels == ("Type2",)
    refused = _cells(meta, "not_a_building_part")
    assert refused["found"].tolist() == ["20", "X2"]
    assert refused["detail"].str.endswith("under a general chapter (0x or 1x), not a building part").all()


def test_plan_without_building_part_level_leaves_it_empty_and_says_why(tmp_path):
    posts = [Post("36.362.3", "VV1.1", "Kanal", "m", "10", levels=("Type1", "Type2", "Hovedlopenr"))]
    plan = (("Type1", "Kapittel"), ("Type2", "Avsnitt"), ("Hovedlopenr", "Hovedløpenr"))
    for kwargs in ({"plan": plan}, {"plan": None}):
        with pytest.warns(DataQualityWarning, match="no_building_part_level"):
            items, meta = read_ns3459(mk.write_ns3459(tmp_path / "p.xml", posts, **kwargs))
        assert items["building_part"].tolist() == [None]
        assert meta.building_part_levels == ()
        assert [w.split(":")[0] for w in meta.warnings] == ["no_building_part_level"]


def test_file_without_parts(tmp_path):
    items, meta = _read(mk.write_ns3459(tmp_path / "n.xml", mk.nested_request()))
    assert meta.base_contract == "no_parts" and meta.base_part_ids == ()
    assert meta.option_rule == "main" and meta.options.empty


def test_parts_naming_no_base_contract_count_every_part_and_say_so(tmp_path):
    post = mk.option_post()
    post.parts[0].name = "Grunnkontrakt"  # not a name the reader knows as the base
    path = _options_file(tmp_path, [post])
    with pytest.warns(DataQualityWarning, match="no_base_contract"):
        items, meta = read_ns3459(path)
    assert items["quantity"].tolist() == [62.0]  # Mengde as written: every part counted
    assert meta.option_rule == "all" and meta.base_contract == "not_named"
    assert meta.base_part_ids == ()
    assert meta.options["is_option"].all() and meta.options["included"].all()
    assert meta.warnings[0].startswith("no_base_contract: no Delmengde is named 'Hovedprosjekt'")
    # an explicit list counts exactly the parts listed: 76 (ID 1) + 3 (ID 6) = 79
    items, meta = _read(path, options=["1", "6"])
    assert items["quantity"].tolist() == [79.0]
    assert meta.option_rule == "main+1,6"


def test_base_contract_name_is_matched_without_case_or_extra_space(tmp_path):
    post = mk.option_post()
    post.parts[0].name = "  HOVEDPROSJEKT "
    items, meta = _read(_options_file(tmp_path, [post]))
    assert items["quantity"].tolist() == [76.0]
    assert meta.base_part_ids == ("1",)


def test_parts_that_do_not_add_up_are_reported(tmp_path):
    post = mk.option_post()
    post.quantity = "60"  # parts still sum to 62
    with pytest.warns(DataQualityWarning, match="parts_mismatch"):
        items, meta = read_ns3459(_options_file(tmp_path, [post]))
    assert items["quantity"].tolist() == [74.0]  # 60 - (-14): the documented rule
    cell = _cells(meta, "parts_mismatch")
    assert cell["found"].tolist() == ["62"]
    assert any(w.startswith("parts_mismatch:") for w in meta.warnings)


def test_option_only_post_that_does_not_add_up_is_reported(tmp_path):
    post = Post("30.36.364.4", "VV1.1", "x", "stk", "3", parts=[mk.Part("2", "2", "Opsjon 1")])
    posts = [mk.option_post(), post]
    with pytest.warns(DataQualityWarning, match="parts_mismatch"):
        items, meta = read_ns3459(_options_file(tmp_path, posts))
    assert items["quantity"].tolist() == [76.0, 1.0]  # 3 - 2, as the rule says; reported
    assert _cells(meta, "parts_mismatch")["source_ref"].tolist() == ["[o.xml]Post 30.36.364.4"]


def test_unknown_option_is_an_error(tmp_path):
    with pytest.raises(InputError, match=r"option 7 is not in the file") as info:
        _read(_options_file(tmp_path), options=["2", "7"])
    assert info.value.code == "unknown_option"
    assert info.value.expected == (
        "1 (Hovedprosjekt), 2 (Opsjon 1 - etasje 4), 3 (Opsjon 2 - etasje 3), "
        "4 (Opsjon 3 - kjeller), 6 (Opsjon 5 - tilbygg)"
    )
    assert pickle.loads(pickle.dumps(info.value)).code == "unknown_option"


@pytest.mark.parametrize("options", ["hoved", 5, b"1", {"1": True}, [None]])
def test_bad_option_rule_is_refused_before_reading(options):
    with pytest.raises(InputError) as info:
        read_ns3459("does-not-matter.xml", options=options)
    assert info.value.code == "bad_options"


# -------------------------------------------------- quantities and prices
def test_lump_sum_posts_are_kept_as_written(tmp_path):
    posts = [
        Post("01.1", "AV1.1", "Rigg og drift", "RS", "1", "250000", "250000"),
        Post("01.2", "AU2.1", "Sluttdokumentasjon", "R.S.", "1", "10000", "10000"),
    ]
    items, meta = _read(mk.write_ns3459(tmp_path / "t.xml", posts, root="Pristilbud"))
    assert items["unit"].tolist() == ["RS", "R.S."]
    assert items["quantity"].tolist() == [1.0, 1.0]
    assert items["item_code"].tolist() == ["AV1.1", "AU2.1"]
    assert meta.warnings == []


def test_prices_are_read_into_meta(tmp_path):
    posts = [Post("1", "LB2.1121", "Betong", "m3", "2", "1500.50", "3001.00")]  # 2 x 1500.50
    items, meta = _read(mk.write_ns3459(tmp_path / "t.xml", posts, root="Pristilbud"))
    row = meta.prices.iloc[0]
    assert (row["unit_price"], row["sum"], row["quantity_rule"]) == (1500.5, 3001.0, "A")
    assert meta.root == "Pristilbud" and meta.warnings == []


def test_offer_with_all_prices_zero_or_missing_is_flagged(tmp_path):
    posts = [
        Post("1", "LB2.1121", "Betong", "m3", "2", "0", "0.00"),
        Post("2", "LB2.1122", "Forskaling", "m2", "8"),  # no price at all
    ]
    path = mk.write_ns3459(tmp_path / "t.xml", posts, root="Pristilbud")
    with pytest.warns(DataQualityWarning, match="zero_prices"):
        items, meta = read_ns3459(path)
    assert meta.warnings == ["zero_prices: the priced offer has no non-zero unit price or sum"]
    assert len(items) == 2  # lines kept


def test_request_without_prices_is_not_flagged(tmp_path):
    with warnings.catch_warnings():
        warnings.simplefilter("error", DataQualityWarning)
        _, meta = read_ns3459(mk.write_ns3459(tmp_path / "f.xml", mk.nested_request()))
    assert meta.warnings == []


def test_non_numbers_are_reported_never_coerced(tmp_path):
    posts = [
        Post("1", "A1", "tekst", "m3", "ca. 40"),
        Post("2", "A1", "komma", "m3", "1,5"),
        Post("3", "A1", "tom", "m3", ""),
        Post("4", "A1", "mangler", "m3", None),
        Post("5", "A1", "negativ", "m3", "-3"),
        Post("6", "A1", "uten enhet", None, "2", "nan"),
        Post("7", "A1", "ok", "m3", " 1.250 "),  # "." is the decimal separator in NS 3459
    ]
    items, meta = _read(mk.write_ns3459(tmp_path / "q.xml", posts))
    q = items["quantity"].tolist()
    assert np.isnan(q[:4]).all()
    assert q[4:] == [-3.0, 2.0, 1.25]
    bad = _cells(meta, "not_a_number")
    assert bad["found"].tolist() == ["ca. 40", "1,5", "nan"]
    assert bad["detail"].tolist() == ["Prisinfo/Mengde", "Prisinfo/Mengde", "Prisinfo/Enhetspris"]
    assert _cells(meta, "missing_quantity")["source_ref"].tolist() == [
        "[q.xml]Post 3", "[q.xml]Post 4",
    ]  # fmt: skip
    assert _cells(meta, "negative_quantity")["found"].tolist() == ["-3"]
    assert _cells(meta, "missing_unit")["source_ref"].tolist() == ["[q.xml]Post 6"]
    assert np.isnan(meta.prices["unit_price"].iloc[5])


def test_duplicate_post_numbers_and_missing_post_number(tmp_path):
    posts = [Post("1", "A1", "a", "m", "1"), Post("1", "A1", "b", "m", "2"), Post(None, "A1")]
    with pytest.warns(DataQualityWarning, match="duplicate_post_number"):
        items, meta = read_ns3459(mk.write_ns3459(tmp_path / "d.xml", posts))
    assert items["source_ref"].tolist() == ["[d.xml]Post 1", "[d.xml]Post 1", "[d.xml]Post #3"]
    assert len(_cells(meta, "duplicate_post_number")) == 2


def test_untested_version_is_flagged(tmp_path):
    with pytest.warns(DataQualityWarning, match="untested_version"):
        _, meta = read_ns3459(
            mk.write_ns3459(tmp_path / "v.xml", mk.nested_request(), version="2023")
        )
    assert meta.version == "2023"


# ----------------------------------------------------------------- refusals
_BILLION_LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE lolz [\n <!ENTITY lol "lol">\n'
    + "".join(
        f' <!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">\n'
        for i in range(1, 10)
    )
    + "]>\n"
)
_QUADRATIC = '<?xml version="1.0"?>\n<!DOCTYPE q [<!ENTITY a "' + "x" * 50_000 + '">]>\n'
_EXTERNAL = '<?xml version="1.0"?>\n<!DOCTYPE e [<!ENTITY ext SYSTEM "file:///etc/passwd">]>\n'
_DOCTYPE_ONLY = '<?xml version="1.0"?>\n<!DOCTYPE NS3459 SYSTEM "ns3459.dtd">\n'


@pytest.mark.parametrize(
    ("prolog", "text_ref"),
    [(_BILLION_LAUGHS, "&lol9;"), (_QUADRATIC, "&a;" * 1000), (_EXTERNAL, "&ext;"),
     (_DOCTYPE_ONLY, "")],
    ids=["billion_laughs", "quadratic_blowup", "external_entity", "doctype"],
)  # fmt: skip
def test_entities_and_doctype_are_refused(tmp_path, prolog, text_ref):
    post = Post("1", "A1", "PLACEHOLDER", "m", "1")
    data = mk.make_ns3459([post], prolog=prolog).replace(b"PLACEHOLDER", text_ref.encode())
    path = tmp_path / "evil.xml"
    path.write_bytes(data)
    with pytest.raises(
        UnsafeWorkbookError, match=r"^\[evil\.xml\]: XML declares a DOCTYPE"
    ) as info:
        read_ns3459(path)
    assert info.value.code == "xml_entities"
    assert info.value.__cause__ is None and info.value.__suppress_context__
    again = pickle.loads(pickle.dumps(info.value))
    assert (type(again), again.code, again.file) == (
        UnsafeWorkbookError,
        "xml_entities",
        "evil.xml",
    )


def test_truncated_file(tmp_path):
    data = mk.make_ns3459(mk.nested_request())
    path = tmp_path / "cut.xml"
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(InputError, match=r"^\[cut\.xml\]: the file ends before") as info:
        read_ns3459(path)
    assert info.value.code == "truncated"
    assert "line" in info.value.found


@pytest.mark.parametrize(
    ("data", "code", "message"),
    [
        (b"", "empty_file", "the file is empty"),
        (b"PK\x03\x04\x14\x00\x00\x00\x08\x00 not xml at all", "not_xml", "the file is not XML"),
        (b'<Avregning xmlns="http://www.standard.no/ns3459"/>', "wrong_root",
         "not an NS 3459 price request"),
        (b'<Pristilbud xmlns="http://example.com/other"/>', "wrong_namespace",
         "root element is not in the NS 3459 namespace"),
        (b"<NS3459><Pristilbud/></NS3459>", "wrong_namespace", "not in the NS 3459 namespace"),
        (b'<NS3459 xmlns="http://www.standard.no/ns3459"><Prosjektdata/></NS3459>', "wrong_root",
         "no price request or priced offer"),
        (b'<NS3459 xmlns="http://www.standard.no/ns3459"><Pristilbud/><Pristilbud/></NS3459>',
         "multiple_documents", "more than one"),
        (b'<Pristilbud xmlns="http://www.standard.no/ns3459"><Post></Pris></Pristilbud>',
         "malformed_xml", "not well-formed"),
    ],
    ids=["empty", "zip", "avregning", "other_ns", "no_ns", "no_document", "two_documents",
         "mismatched_tag"],
)  # fmt: skip
def test_unusable_files_raise_input_error(tmp_path, data, code, message):
    path = tmp_path / "bad.xml"
    path.write_bytes(data)
    with pytest.raises(InputError, match=message) as info:
        read_ns3459(path)
    assert info.value.code == code
    assert info.value.file == "bad.xml"


def test_missing_file(tmp_path):
    with pytest.raises(InputError, match="file not found") as info:
        read_ns3459(tmp_path / "nope.xml")
    assert info.value.code == "file_not_found"


@pytest.mark.parametrize(
    ("limits", "code"),
    [
        (Ns3459Limits(max_bytes=100), "file_too_large"),
        ({"max_posts": 3}, "too_many_posts"),
        ({"max_elements": 20}, "too_many_elements"),
        ({"max_depth": 6}, "xml_too_deep"),
    ],
)
def test_limits_are_enforced(tmp_path, limits, code):
    path = mk.write_ns3459(tmp_path / "big.xml", mk.nested_request())
    with pytest.raises(UnsafeWorkbookError) as info:
        read_ns3459(path, limits=limits)
    assert info.value.code == code


def test_limits_from_another_readers_object(tmp_path):
    class ReadLimits:  # shaped like a limits object of another reader
        max_file_bytes = 100
        max_cells = 10

    path = mk.write_ns3459(tmp_path / "big.xml", mk.nested_request())
    with pytest.raises(UnsafeWorkbookError, match="file too large"):
        read_ns3459(path, limits=ReadLimits())


@pytest.mark.parametrize("limits", [{"max_bytes": 0}, {"max_bytes": "1"}, {"max_rows": 5}])
def test_bad_limits(limits):
    with pytest.raises(InputError) as info:
        read_ns3459("x.xml", limits=limits)
    assert info.value.code == "bad_limits"


def test_every_error_is_ours(tmp_path):
    """A directory, a non-path and a non-UTF-8 byte: still the library's errors."""
    with pytest.raises(KlimafotavtrykkError):
        read_ns3459(tmp_path)
    with pytest.raises(KlimafotavtrykkError):
        read_ns3459(12.5)
    path = tmp_path / "latin.xml"
    path.write_bytes(
        mk.make_ns3459([Post("1", "A1", "PLACEHOLDER")]).replace(b"PLACEHOLDER", b"\xf8")
    )
    with pytest.raises(InputError) as info:
        read_ns3459(path)
    assert info.value.code == "malformed_xml"


def test_text_longer_than_the_cap_is_refused(tmp_path):
    path = mk.write_ns3459(tmp_path / "t.xml", [Post("1", "A1", "x" * 50, "m", "1")])
    with pytest.raises(UnsafeWorkbookError) as info:
        read_ns3459(path, limits={"max_text": 49})
    assert info.value.code == "text_too_long"
    items, _ = _read(path, limits={"max_text": 50})
    assert items["description"].tolist() == ["x" * 50]


# ------------------------------------------------------- tolerated variants
_VARIANTS = (
    '<NS3459 Versjon="2012" xmlns="http://www.standard.no/ns3459"><Prisforesporsel>'
    "<Post><Postnr>1</Postnr><Kode>QB2.1</Kode><Bygningsdel><ID>231</ID></Bygningsdel>"
    "<Prisinfo><Enhet>m</Enhet><Mengde>2</Mengde><Mengde>3</Mengde><Mengde>4</Mengde></Prisinfo>"
    '<x:Mengde xmlns:x="urn:other">99</x:Mengde></Post>'
    "<Post><Postnr>2</Postnr><Kode><ID>QB2.2</ID></Kode><Bygningsdel>24</Bygningsdel>"
    "<Enhet>stk</Enhet><Mengde>5</Mengde></Post>"
    "</Prisforesporsel></NS3459>"
)


@pytest.mark.parametrize("direct", [True, False], ids=["expat_handlers", "target_protocol"])
def test_tolerated_variants(tmp_path, monkeypatch, direct):
    """Code as text, building part, repeated fields, fields directly under Post,
    foreign-namespace elements; both parser bindings give the same result."""
    from klimafotavtrykk.quantities import _ns3459_xml

    monkeypatch.setattr(_ns3459_xml, "_DIRECT_HANDLERS", direct)
    path = tmp_path / "v.xml"
    path.write_text(_VARIANTS, encoding="utf-8")
    items, meta = _read(path)
    assert items["item_code"].tolist() == ["QB2.1", "QB2.2"]
    assert items["building_part"].tolist() == ["231", "24"]
    assert items["quantity"].tolist() == [2.0, 5.0]  # first Mengde kept; urn:other ignored
    assert items["unit"].tolist() == ["m", "stk"]
    dup = _cells(meta, "duplicate_element")
    assert dup[["found", "detail"]].values.tolist() == [["3", "Prisinfo/Mengde"]]  # once
    assert meta.version == "2012"


def test_full_example_through_both_bindings_is_identical(tmp_path, monkeypatch):
    from klimafotavtrykk.quantities import _ns3459_xml

    path = mk.write_ns3459(tmp_path / "f.xml", [*mk.nested_request(), mk.option_post()])
    first, meta1 = _read(path)
    monkeypatch.setattr(_ns3459_xml, "_DIRECT_HANDLERS", False)
    second, meta2 = _read(path)
    assert first.equals(second)
    assert meta1.options.equals(meta2.options) and meta1.cells.equals(meta2.cells)


def test_the_hash_on_a_thread_is_the_files_and_a_refused_file_still_refuses(tmp_path, monkeypatch):
    """Large files are hashed on a thread beside the parse (here every file, the size limit set
    to 0): the digest is the file's SHA-256, and a file the parser refuses raises as before."""
    from klimafotavtrykk.quantities import _ns3459_xml

    monkeypatch.setattr(_ns3459_xml, "_THREADED_HASH_BYTES", 0)
    path = mk.write_ns3459(tmp_path / "foresporsel.xml", mk.nested_request())
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        _, meta = read_ns3459(path)
    assert meta.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    bad = tmp_path / "bad.xml"
    bad.write_bytes(b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><x>&a;</x>')
    with pytest.raises(UnsafeWorkbookError):
        read_ns3459(bad)


def _inherit_one_by_one(numbers, codes, parent):
    """Each uncoded post climbs to its parent (the enclosing post, else the first post numbered
    as its longest proper prefix) until a coded post; a climb longer than the posts is a loop."""
    first = {}
    for i, number in enumerate(numbers):
        if number:
            first.setdefault(number, i)

    def up(i):
        if parent[i] >= 0:
            return parent[i]
        number = numbers[i] or ""
        while "." in number:
            number = number.rpartition(".")[0]
            if number in first:
                return first[number]
        return -1

    resolved, source = list(codes), [-1] * len(codes)
    for i, code in enumerate(codes):
        at, steps = i, 0
        while code is None and steps <= len(codes):
            at, steps = up(at), steps + 1
            if at < 0:
                break
            code = codes[at]
        if codes[i] is None and code is not None:
            resolved[i], source[i] = code, at
    return resolved, source


@settings(max_examples=300, deadline=None)
@given(data=st.data(), n=st.integers(0, 12))
def test_inherited_codes_are_those_found_post_by_post(data, n):
    """Codes inherited through enclosing posts and number prefixes, as one climbs post by post:
    numbers with empty and repeated levels, repeated numbers, loops of enclosing posts."""
    from klimafotavtrykk.quantities.ns3459 import _inherit_codes

    level = st.sampled_from(["1", "2", ""])
    number = st.one_of(
        st.none(),
        st.sampled_from(["1", "1.2", "1.2.1", "1.2.1.2", "2.1", "1..2", ".1", ""]),  # nested
        st.lists(level, min_size=1, max_size=4).map(".".join),
    )
    numbers = data.draw(st.lists(number, min_size=n, max_size=n))
    codes = data.draw(st.lists(st.sampled_from([None, None, "A", "B"]), min_size=n, max_size=n))
    parent = data.draw(st.lists(st.integers(-1, n - 1), min_size=n, max_size=n))
    parent = [-1 if p == i else p for i, p in enumerate(parent)]
    resolved, source = _inherit_codes(numbers, codes, parent)
    expected, expected_source = _inherit_one_by_one(numbers, codes, parent)
    assert resolved.tolist() == expected and source.tolist() == expected_source
