"""Matching lines to factor rows: explicit id, aliases (own text before context), item codes."""

import numpy as np
import pandas as pd
import pytest

from klimafotavtrykk.errors import DataError
from klimafotavtrykk.matching import labour_only, mappings_from_frames, match_factors

IDS = pd.Index(["concrete_c30_37", "concrete_lowcarbon_b_b30", "glulam", "rebar"], dtype=object)


@pytest.fixture
def mappings():
    """Small mapping tables for the order tests."""
    aliases = pd.DataFrame({
        "pattern": [r"\bB30\b", r"\bB30\b.*lavkarbon\s*B", "limtre", "betong"],
        "factor_id": ["concrete_c30_37", "concrete_lowcarbon_b_b30", "glulam", "not_in_table"],
        "priority": ["20", "30", "10", "99"],
    })
    codes = pd.DataFrame({"item_code_prefix": ["LB", "LB2", "QB"],
                          "factor_id": ["concrete_c30_37", "concrete_lowcarbon_b_b30", "glulam"]})
    return mappings_from_frames(aliases, codes)


def test_order_explicit_then_alias_then_code(mappings):
    """Explicit id, then alias, then item code."""
    lines = pd.DataFrame({
        "factor_id": ["rebar", None, None, None, None, "ghost", ""],
        "description": ["Plasstøpt betong B30", "Plasstøpt betong B30, lavkarbon B",
                        "Plasstøpt betong B30", "Søyler i LIMTRE", "Ukjent", None, "Ukjent"],
        "item_code": [None, None, "LB2.1", None, "LB2.11", None, "XY1"],
    })
    r = match_factors(lines, IDS, mappings)
    assert IDS[r.factor_idx[:5]].tolist() == [
        "rebar",                      # the line names its factor
        "concrete_lowcarbon_b_b30",   # higher priority alias wins
        "concrete_c30_37",            # alias beats the item code
        "glulam",                     # case-insensitive
        "concrete_lowcarbon_b_b30",   # no alias: longest code prefix LB2
    ]
    assert r.method.tolist() == ["factor_id", "alias", "alias", "alias", "item_code", "factor_id", None]
    assert r.reason.tolist() == [None] * 5 + ["unknown_factor", "no_factor"]


def test_alias_to_a_factor_missing_from_the_table_is_skipped(mappings):
    """An alias to an absent factor is skipped."""
    r = match_factors(pd.DataFrame({"description": ["betong"]}), IDS, mappings)
    assert r.reason.tolist() == ["no_factor"]


def test_bad_pattern_is_a_data_error():
    """A pattern that does not compile is a DataError."""
    with pytest.raises(DataError, match="does not compile"):
        mappings_from_frames(pd.DataFrame({"pattern": ["(unclosed"], "factor_id": ["x"], "priority": ["1"]}),
                             pd.DataFrame(columns=["item_code_prefix", "factor_id"]))


# ------------------------------------------------- the line's own material before its context

@pytest.fixture(scope="module")
def shipped_ids():
    """Factor ids of the shipped table."""
    from klimafotavtrykk.factors import load_factors

    return pd.Index(load_factors().ids, dtype=object)


# decided by hand: what the line delivers, whatever else it names
OWN_MATERIAL = [
    # a material named in a context clause must lose
    ("Stålbjelke HEB 240 innfestet i limtresøyler", "steel_structural"),       # was glulam
    ("Utstøping av stålrørspeler, betong B35", "concrete_c35_45"),              # was steel
    ("Bakstøp av kantstein, betong B30", "concrete_c30_37"),                    # was concrete kerb
    ("Betongkum DN1200 inkl. lokk og ramme", "civil_concrete_manhole_dn1200"),  # was refused; the lid is context
    ("Stålsøyler HEB 200 for limtrebjelker", "steel_structural"),
    ("Gipsplater 13 mm, festet til stålstendere", "gypsum_board_standard"),
    ("Trekledning 19x148 mm med beslag av aluminium", "planed_timber"),
    ("Plasstøpt betong B30, inkl. armering", "concrete_c30_37"),
    ("Brannbeskyttende innkassing av bærende stålsøyler, gipsplater type F 15 mm",
     "gypsum_board_fire"),
    ("Betongdekke B30 opplagt på limtrebjelker", "concrete_c30_37"),
    # the 0.15 mm PE vapour barrier row (materials_envelope.csv) is the film itself, not the B30 wall
    ("Dampsperre PE-folie 0,15 mm mot betongvegg B30", "vapour_barrier_pe_0_15"),
    ("Vindsperre, montert på stålstendere", "wind_barrier"),
    ("Glassull 200 mm mellom stålstendere", "glass_wool_batts"),
    ("Stålkjernepeler S355, utstøpt med betong B35", "steel_structural"),
    ("Maling av stålbjelker, 2 strøk", "paint_acrylic"),
    ("Fuging rundt vinduer og dører, fugemasse", "sealant_joint_10x10"),   # sealant per metre of joint
    ("Isolering av vannledning, XPS 50 mm", "xps_board"),   # XPS with a density
    # genuine compounds and materials after "av"/"i" still match
    ("Fuging av hulldekke", "filling_mortar_hollow_core"),
    ("Kantstein av betong, 12 x 30 cm", "kerb_concrete_12x30"),   # the kerb by its section
    ("Søyler i limtre", "glulam"),
    ("Rør av betong DN600", "civil_concrete_pipe_proxy"),
    ("Betongkum DN1200 for spillvann, komplett med kjegle", "civil_concrete_manhole_dn1200"),
    ("Vinduer, tre, 3-lags isolerglass", "window_wood"),
    ("Maling av utvendig trekledning, 2 strøk", "paint_acrylic"),
    ("Hulldekker HD 265, lavkarbon", "precast_hollow_core_climate_improved"),
    ("Plasstøpt betong B30 lavkarbon B, såler og fundamenter", "concrete_lowcarbon_b_b30"),
    # only a context clause names a material: the whole text decides, with its exclusions
    ("Graving av jordmasser, til deponi", "civil_soil_in_situ"),
    ("Forsterkningslag av stedlig sprengstein, 300 mm, under fortau", "civil_rock_in_situ"),
    ("Masseutskifting med sprengstein under bygg", "civil_rock_in_situ"),
    # a cover and frame is its own product (cast iron per piece), not the manhole it sits on
    ("Lokk og ramme til betongkum", "civil_manhole_cover_cast_iron_d400"),
    ("Kumlokk og rammer av støpejern", "civil_manhole_cover_cast_iron_d400"),
]


@pytest.mark.parametrize(("description", "expected"), OWN_MATERIAL, ids=[c[0] for c in OWN_MATERIAL])
def test_own_material_outranks_context(description, expected, shipped_ids):
    """The material a line names itself wins over one named in a context clause."""
    r = match_factors(pd.DataFrame({"description": [description]}), shipped_ids)
    got = shipped_ids[r.factor_idx[0]] if r.factor_idx[0] >= 0 else None
    assert got == expected


def test_own_text_takes_out_context_clauses():
    """Context clauses run from their marker to the next comma."""
    from klimafotavtrykk.matching import own_text

    got = own_text(pd.Series(["Utstøping av stålrørspeler, betong B35",
                              "Betongkum DN1200 inkl. lokk og ramme, levert",
                              "Søyler i limtre", "Fuging av hulldekke"])).str.split().str.join(" ")
    assert got.tolist() == ["¦ , betong B35", "Betongkum DN1200 ¦ , levert", "Søyler i limtre",
                            "Fuging av hulldekke"]


def test_detail_states_the_cause_without_patterns(shipped_ids):
    """Detail quotes the text that matched and the mapping row, never a regular expression."""
    lines = pd.DataFrame({
        "description": ["Markisolasjon XPS 300 kPa, 100 mm", "Graving av jordmasser", None, "Ukjent",
                        None],
        "item_code": [None, None, "QB2.111", None, None],
        "factor_id": [None, None, None, None, "ghost"],
    })
    r = match_factors(lines, shipped_ids)
    assert r.detail[0].startswith('description names "XPS" (material_aliases_coverage.csv line ')
    assert r.matched_text[0] == "XPS" and r.rule_file[0] == "material_aliases_coverage.csv"
    assert r.rule_line[0] > 1
    assert r.detail[1].startswith("description matches (material_aliases_civil.csv line ")
    assert r.detail[2].startswith('item code starts with "QB2.1" (ns3420.csv line ')
    assert r.matched_text[2] == "QB2.1"
    assert r.detail[3] is None and r.matched_text[3] is None and r.rule_line[3] == -1
    assert r.reason[4] == "unknown_factor" and r.detail[4] == "ghost"
    for text in r.detail[:3]:
        assert not any(token in text for token in ("\\b", "(?", "|", "\\s", ".*"))


def test_explicit_factor_detail(mappings):
    """A factor id given on the line is quoted as given."""
    r = match_factors(pd.DataFrame({"factor_id": ["glulam"]}), IDS, mappings)
    assert r.detail.tolist() == ['factor id "glulam" given on the line']
    assert r.matched_text.tolist() == ["glulam"]


def test_every_line_naming_its_factor_gets_every_field(mappings):
    """Lines that all name a known factor: each per-line field as a plain array, made when
    read (a calculation reads none of them), equal in a copy, a pickle and a replace."""
    import copy
    import dataclasses
    import pickle

    import numpy as np

    lines = pd.DataFrame({"factor_id": ["glulam", " rebar ", "glulam"] * 400})  # 1 200 lines
    r = match_factors(lines, IDS, mappings)
    # by hand: glulam is row 2, rebar row 3; the id is quoted stripped, as the line names it
    said = {"glulam": 'factor id "glulam" given on the line',
            "rebar": 'factor id "rebar" given on the line'}
    order = ["glulam", "rebar", "glulam"] * 400
    assert r.factor_idx.tolist() == [2, 3, 2] * 400
    for result in (pickle.loads(pickle.dumps(r)), copy.copy(r), r,
                   dataclasses.replace(r, method=r.method)):
        for name, expected in (("detail", [said[i] for i in order]), ("matched_text", order),
                               ("rule_file", [None] * 1200)):
            value = getattr(result, name)
            assert isinstance(value, np.ndarray) and value.dtype == object, name
            assert value.tolist() == expected, name
        assert result.rule_line.tolist() == [-1] * 1200
        assert result.reason.tolist() == [None] * 1200
    assert r.detail is r.detail  # made once, then kept


def test_an_unknown_id_among_named_factors_keeps_its_fields(mappings):
    """Every line names a factor, one of them unknown: its fields say so, the others' stand."""
    r = match_factors(pd.DataFrame({"factor_id": ["glulam", "ghost"]}), IDS, mappings)
    assert r.reason.tolist() == [None, "unknown_factor"]
    assert r.detail.tolist() == ['factor id "glulam" given on the line', "ghost"]
    assert r.matched_text.tolist() == ["glulam", None]
    assert r.rule_file.tolist() == [None, None]
    assert r.rule_line.tolist() == [-1, -1]


# ---------------------------------------------------------------- labour only (issue 11)
# Each line decided by hand: does the line deliver a product (material) or only work,
# hire, temporary works or design? "Levering og montasje" delivers; "Montasje av" alone
# does not.
LABOUR_LINES = [
    "Montasje av stålkonstruksjoner",
    "Montering av vinduer levert av byggherre",
    "Innmontering av dører levert av annen entreprenør",
    "Kun montasje av innredning",
    "Kranleie, mobilkran for montasje av limtre og takstoler",
    "Stillas, leie inkl. montering og demontering",
    "Leie av lift, 4 uker",
    "Byggekran, leie inkl. kranfører",
    "Rigg og drift av byggeplass",
    "Prosjektering, arbeidstegninger og detaljering tømrer",
    "Trafikkavvikling og midlertidig skilting",
    "Midlertidig gangvei, asfaltert, fjernes ved anleggsslutt",
    "Opprydding og bortkjøring av avfall",
    "Vinterdrift, oppvarming og tildekking",
    "Forskaling fundamenter, glatt, inkl. stag",
    "Timearbeid tømrer, regningsarbeid",
    "Trykkprøving og desinfeksjon av vannledning",
    "Erection of steel structure",
    "Detail design RIB steel connections",
]
MATERIAL_LINES = [
    "Levering og montasje av stålkonstruksjoner",
    "Levering og montering av vinduer, tre/aluminium",
    "Montasje av stålbjelker inkl. levering",
    "Heis, 13 pers., inkl. montasje",
    "Limtrebjelke GL30c 140x405, inkl. beslag og montering",
    "Takstoler, prefabrikkerte fagverk C24, inkl. prosjektering",
    "Fasadeplater fibersement, inkl. stillas",
    "Plasstøpt betong B30, inkl. forskaling",
    "Stålsøyle HUP 100x100x5, montert på fundament",
    "Supply and erection of steel beams",
    "Inspeksjonsluke i himling, 600x600",
    "Riggbrakker, nye, til permanent bruk som bod",
    "Kabel for leietakers tavle, 5x16 mm²",
]


@pytest.mark.parametrize("description", LABOUR_LINES)
def test_labour_only_lines_are_recognised(description):
    assert labour_only(pd.Series([description])).tolist() == [True]


@pytest.mark.parametrize("description", MATERIAL_LINES)
def test_material_lines_are_not_labour(description):
    assert labour_only(pd.Series([description])).tolist() == [False]


def test_labour_line_gets_no_factor_and_says_why(mappings):
    lines = pd.DataFrame({
        "description": ["Montasje av stålkonstruksjoner", "Montasje av stålkonstruksjoner",
                        "Levering og montasje av stålkonstruksjoner"],
        "factor_id": [None, "steel", None],
        "item_code": [None, None, None],
    })
    ids = pd.Index(["steel"])
    aliases = pd.DataFrame({"pattern": ["stål"], "factor_id": ["steel"], "priority": ["1"]})
    codes = pd.DataFrame({"item_code_prefix": ["ZZ9"], "factor_id": ["steel"]})
    result = match_factors(lines, ids, mappings_from_frames(aliases, codes))
    # a line that names its factor is taken at its word; the delivering line is steel
    assert result.reason.tolist() == ["labour_only", None, None]
    assert result.factor_idx.tolist() == [-1, 0, 0]
    assert result.detail[0] == 'description reads as labour: "Montasje av" (labour_only.csv line 2)'


def test_labour_table_may_be_replaced_or_emptied():
    aliases = pd.DataFrame({"pattern": ["stål"], "factor_id": ["steel"], "priority": ["1"]})
    codes = pd.DataFrame({"item_code_prefix": ["ZZ9"], "factor_id": ["steel"]})
    none = pd.DataFrame({"pattern": [], "unless": []})
    lines = pd.DataFrame({"description": ["Montasje av stålkonstruksjoner"]})
    result = match_factors(lines, pd.Index(["steel"]), mappings_from_frames(aliases, codes, labour=none))
    assert result.reason.tolist() == [None]
    with pytest.raises(DataError, match="does not compile"):
        mappings_from_frames(aliases, codes, labour=pd.DataFrame({"pattern": ["(x"], "unless": [""]}))


def test_lines_naming_known_factors_read_without_per_line_arrays():
    ids = pd.Index(["a", "b"], dtype=object)
    lines = pd.DataFrame({"factor_id": ["b", "a", "b"]})
    match = match_factors(lines, ids)
    method, reason = match.read_only("method"), match.read_only("reason")
    assert method.tolist() == ["factor_id"] * 3 and reason.tolist() == [None] * 3
    assert not method.flags.writeable and not reason.flags.writeable  # views of one value
    # the attributes are the lines' own arrays, as before: writable, one value per line
    assert match.factor_idx.tolist() == [1, 0, 1]
    assert match.method.tolist() == ["factor_id"] * 3 and match.method.flags.writeable
    assert match.reason.tolist() == [None] * 3 and match.reason.flags.writeable
    assert match.rule_line.tolist() == [-1, -1, -1] and match.rule_line.dtype == np.int64
    assert match.rule_file.tolist() == [None] * 3


def test_a_line_naming_an_unknown_factor_reads_its_reason():
    ids = pd.Index(["a"], dtype=object)
    match = match_factors(pd.DataFrame({"factor_id": ["a", "zz"]}), ids)
    assert match.read_only("reason").tolist() == [None, "unknown_factor"]
    assert match.read_only("method").tolist() == ["factor_id", "factor_id"]
    assert match.rule_line.tolist() == [-1, -1]
