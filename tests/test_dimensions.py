"""Dimensions read from bill-of-quantities descriptions.

Every expected value below was read off the description by hand, following the
rules in the module docstring of :mod:`klimafotavtrykk.dimensions`.
"""

import math
import pickle

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from klimafotavtrykk.dimensions import (
    DIMENSION_COLUMNS,
    FramingAllowance,
    fill_thickness,
    framing_volume_per_area,
    load_framing_allowance,
    parse_dimensions,
    pipe_material_area,
    pipe_wall_thickness,
    plate_volume_per_area,
    section_area,
    stud_volume_per_area,
    thickness_m,
)
from klimafotavtrykk.errors import DataError

# description -> the columns it should fill (every other numeric column stays NaN)
CASES = [
    ("Bindingsverk av heltre C24, 48x198 mm c/c 600",
     {"section_width_mm": 48, "section_depth_mm": 198, "spacing_mm": 600}),
    ("Bindingsverk av heltre C24, 48x198 mm, yttervegger",
     {"section_width_mm": 48, "section_depth_mm": 198}),
    ("Stendere 48 x 98 mm, cc600", {"section_width_mm": 48, "section_depth_mm": 98, "spacing_mm": 600}),
    ("Bjelkelag 48*198, c/c 0,6 m", {"section_width_mm": 48, "section_depth_mm": 198, "spacing_mm": 600}),
    ("Takstoler c/c 1200 mm", {"spacing_mm": 1200}),
    ("Lekter 36x48 mm, senteravstand 400 mm", {"section_width_mm": 36, "section_depth_mm": 48,
                                               "spacing_mm": 400}),
    ("LVL-bjelker 45x300 mm", {"section_width_mm": 45, "section_depth_mm": 300}),
    ("Utvendig kledning, trekledning 19x148 mm, royalbehandlet",
     {"section_width_mm": 19, "section_depth_mm": 148}),
    ("Betongsøyler 400 x 400 mm, B45", {"section_width_mm": 400, "section_depth_mm": 400}),
    ("Kantstein granitt 12x30 cm", {"section_width_mm": 120, "section_depth_mm": 300}),
    ("Kantstein av betong, 12 x 30 cm, satt i betong", {"section_width_mm": 120, "section_depth_mm": 300}),
    ("Gipsplater 13 mm", {"thickness_mm": 13}),
    ("2 lag gips 2x13 mm", {"thickness_mm": 26}),           # written as layers: 2 × 13, not 4 × 13
    ("Gipsplater 2 x 12,5 mm", {"thickness_mm": 25}),
    ("To lag gipsplater 13 mm", {"thickness_mm": 26}),       # one thickness times "to lag"
    ("Gipsplater standard 12,5 mm, lettvegger, 2 lag hver side", {"thickness_mm": 25}),  # per side
    ("Brannplater, gips type F 15 mm, brannvegger", {"thickness_mm": 15}),
    ("Plasstøpt betong dekke 250 mm", {"thickness_mm": 250}),
    ("Plasstøpt betong B30 M60, gulv på grunn 150 mm", {"thickness_mm": 150}),
    ("Påstøp 8 cm, plasstøpt betong B30", {"thickness_mm": 80}),
    ("Linoleum 2,5 mm", {"thickness_mm": 2.5}),
    ("Dampsperre 0,15 mm PE-folie", {"thickness_mm": 0.15}),
    ("Takfolie PVC 1.5 mm", {"thickness_mm": 1.5}),
    ("Isolasjon 200 mm mineralull", {"thickness_mm": 200}),
    ("XPS 100 mm under gulv", {"thickness_mm": 100}),
    ("Markisolasjon XPS 300 kPa, 100 mm, under såler", {"thickness_mm": 100}),
    ("Isolasjon steinull 150 + 50 mm", {"thickness_mm": 200}),
    ("Forsterkningslag 0-150 mm knust fjell, tykkelse 500 mm", {"thickness_mm": 500, "range_low_mm": 0, "range_high_mm": 150}),
    ("Bærelag, knust fjell 0-32 mm", {"range_low_mm": 0, "range_high_mm": 32}),                     # grading only
    ("Pukk 16-32 mm under gulv på grunn", {"range_low_mm": 16, "range_high_mm": 32}),
    ("Bærelag av knust fjell Fk 0/32, 100 mm, levert", {"thickness_mm": 100}),
    ("Forsterkningslag Fk 22/120, t = 0,5 m", {"thickness_mm": 500}),
    ("Asfaltdekke Agb 16, bærelag 50 mm, kjørebane", {"thickness_mm": 50}),
    ("Stålbjelke HEB 240", {}),
    ("Stålsøyler VKR 150x150x8 mm, S355", {}),
    ("Hulldekker HD 265, lavkarbon", {}),
    ("Betong B35 M60", {}),
    ("Limtrebjelker GL30c", {}),
    ("Konstruksjonsvirke C24, stendere og sviller", {}),
    ("PE100 SDR11 Ø40", {"diameter_mm": 40, "sdr": 11}),
    ("Trykkledning PE100 SDR 17 ø 160", {"diameter_mm": 160, "sdr": 17}),
    ("PVC SN8 Ø110 spillvann", {"diameter_mm": 110, "sn": 8}),
    ("Overvannsledning PVC SN 4, OD 200", {"diameter_mm": 200, "sn": 4}),
    ("Vannledning PE d110 SDR11", {"diameter_mm": 110, "sdr": 11}),
    ("Spillvannsrør PVC 110 mm, SN8", {"diameter_mm": 110, "sn": 8}),   # pipe: mm is the diameter
    ("Betongrør DN400", {"nominal_diameter_mm": 400}),
    ("Betongrør DN 600, armert, overvann", {"nominal_diameter_mm": 600}),
    ("Betongkum Ø1000 kum, med kjegle", {"diameter_mm": 1000}),
    ("Betongkum DN1200 for spillvann", {"nominal_diameter_mm": 1200}),
    ("Plasstøpt dekke 250 mm, armert Ø12 c/c 200", {"thickness_mm": 250, "diameter_mm": 12,
                                                    "spacing_mm": 200}),
    ("Isolering av vannledning, XPS 50 mm", {"thickness_mm": 50}),  # not a pipe line: first word
    ("Rørisolasjon 30 mm, mineralull", {"thickness_mm": 30}),      # insulation, not a pipe
    ("Gips 13 mm og 15 mm", {}),                                  # two thicknesses: none read
    ("Innerdører, tre, lyd- og brannklassifisert, EI30 35 dB", {}),
    ("Vinduer, tre/aluminium, 3-lags isolerglass, U-verdi 0,8", {}),
    ("Kobberrør 15-28 mm, tappevann", {"range_low_mm": 15, "range_high_mm": 28}),
    ("Rigg og drift av byggeplass", {}),
]

NUMERIC = list(DIMENSION_COLUMNS)


@pytest.mark.parametrize(("description", "expected"), CASES, ids=[c[0] for c in CASES])
def test_parse_table(description, expected):
    """Each description fills exactly the columns worked out by hand."""
    got = parse_dimensions(pd.Series([description])).iloc[0]
    for column in NUMERIC:
        want = expected.get(column, math.nan)
        if math.isnan(want):
            assert math.isnan(got[column]), f"{column}: {got[column]} from {got['dimension_source']!r}"
        else:
            assert got[column] == pytest.approx(want), column


def test_the_table_is_large_enough():
    """Keep at least 40 hand-worked descriptions."""
    assert len(CASES) >= 40


@pytest.mark.parametrize(("description", "source"), [
    ("Bindingsverk av heltre C24, 48x198 mm c/c 600", "48x198 mm; c/c 600"),
    ("Gipsplater 13 mm", "13 mm"),
    ("2 lag gips 2x13 mm", "2x13 mm (layers)"),
    ("To lag gipsplater 13 mm", "13 mm x To lag"),
    ("Forsterkningslag 0-150 mm knust fjell, tykkelse 500 mm", "tykkelse 500 mm"),
    ("PVC SN8 Ø110 spillvann", "Ø110; SN8"),
    ("Stålbjelke HEB 240", None),
])
def test_source_names_the_text_read(description, source):
    """The source column quotes the fragments that gave the numbers."""
    assert parse_dimensions(pd.Series([description])).loc[0, "dimension_source"] == source


@pytest.mark.parametrize(("description", "note"), [
    ("Forsterkningslag 0-150 mm knust fjell, tykkelse 500 mm",
     "range 0-150 mm read as a grading, not a thickness"),
    ("Gips 13 mm og 15 mm", "several thicknesses (13 mm; 15 mm): none read"),
    ("Gipsplater standard 12,5 mm, lettvegger, 2 lag hver side", "thickness is per side"),
    ("Gipsplater 13 mm", None),
])
def test_note_says_what_was_not_read(description, note):
    """Grading ranges, conflicts and per-side thicknesses are noted."""
    assert parse_dimensions(pd.Series([description])).loc[0, "dimension_note"] == note


def test_frame_is_aligned_to_the_input_and_missing_texts_are_empty():
    """Rows follow the input index; missing texts give empty rows."""
    s = pd.Series(["Gipsplater 13 mm", None, "  ", "Betongrør DN400", "Gipsplater 13 mm"],
                  index=[10, 11, 12, 13, 14])
    out = parse_dimensions(s)
    assert out.index.tolist() == [10, 11, 12, 13, 14]
    assert list(out.columns) == [*DIMENSION_COLUMNS, "dimension_source", "dimension_note"]
    assert out["thickness_mm"].tolist()[::4] == [13.0, 13.0]
    assert out.loc[11, NUMERIC].isna().all() and out.loc[11, "dimension_source"] is None
    assert out.loc[12, NUMERIC].isna().all()
    assert out.loc[13, "nominal_diameter_mm"] == 400
    assert all(out[c].dtype == np.float64 for c in NUMERIC)


def test_empty_input():
    """An empty series gives an empty frame with the columns."""
    out = parse_dimensions(pd.Series([], dtype=object))
    assert out.empty and list(out.columns)[:len(NUMERIC)] == NUMERIC


descriptions = st.lists(st.sampled_from([c[0] for c in CASES] + [None]), min_size=1, max_size=30)


@settings(max_examples=40, deadline=None)
@given(texts=descriptions, seed=st.integers(0, 2**32 - 1), repeat=st.integers(1, 3))
def test_parsing_does_not_depend_on_repetition_or_order(texts, seed, repeat):
    """Repeating or shuffling descriptions changes no row's result."""
    once = parse_dimensions(pd.Series(texts))
    many = pd.Series(texts * repeat)
    order = np.random.default_rng(seed).permutation(len(many))
    shuffled = parse_dimensions(many.iloc[order])  # index follows the rows
    expected = pd.concat([once] * repeat, ignore_index=True).iloc[order]
    pd.testing.assert_frame_equal(shuffled, expected)


# ------------------------------------------------------------------------ geometry


def test_studs_hand_worked():
    """Stud volume of a 1 050 m2 wall, worked by hand."""
    # 1 050 m2 of 48x198 studs at c/c 600, plates excluded: 1050 × 0.048 × 0.198 / 0.6 = 16.632 m3
    assert 1050 * stud_volume_per_area(48, 198, 600) == pytest.approx(16.632)


def test_gypsum_volume_hand_worked():
    """Gypsum volume of 300 m2 of 13 mm boards, worked by hand."""
    # 300 m2 of 13 mm gypsum: 300 × 0.013 = 3.9 m3
    parsed = parse_dimensions(pd.Series(["Gipsplater 13 mm"]))
    assert 300 * thickness_m(parsed.loc[0, "thickness_mm"]) == pytest.approx(3.9)


def test_framing_matches_the_reference_table():
    """Studs and plates match coverage_data.md section 6."""
    # coverage_data.md section 6: 48x198, s 0.6, h 2.4, 2 plates -> 2.50 m/m2, 0.0238 m3/m2,
    # 0.0273 m3/m2 with 15 % extra. By hand: (1/0.6 + 2/2.4) × 0.048 × 0.198 = 0.02376
    a = FramingAllowance(plates=2, wall_height_m=2.4, extra_share=0.0, sources={})
    assert framing_volume_per_area(48, 198, 600, a) == pytest.approx(0.02376)
    assert plate_volume_per_area(48, 198, 2.4, 2) == pytest.approx(2 / 2.4 * 0.009504)
    shipped = load_framing_allowance()
    assert (shipped.plates, shipped.wall_height_m, shipped.extra_share) == (2, 2.4, 0.15)
    assert framing_volume_per_area(48, 198, 600, shipped) == pytest.approx(0.027324)
    assert set(shipped.sources.values()) == {"library-default"}


def test_geometry_is_vectorised():
    """Geometry functions take arrays."""
    w = np.array([48.0, 48.0])
    got = stud_volume_per_area(w, np.array([198.0, 98.0]), np.array([600.0, 600.0]))
    np.testing.assert_allclose(got, [0.015840, 0.007840])


def test_bad_allowance_is_a_data_error():
    """An impossible allowance raises a picklable DataError."""
    with pytest.raises(DataError, match="wall height") as info:
        FramingAllowance(plates=2, wall_height_m=0.0, extra_share=0.1, sources={})
    assert pickle.loads(pickle.dumps(info.value)).file == "geometry/framing.toml"


def test_explicit_columns_win():
    """Explicit thickness columns win over the description."""
    parsed = parse_dimensions(pd.Series(["Gipsplater 13 mm"] * 3 + ["Stålbjelke HEB 240"]))
    thickness = pd.Series([0.05, np.nan, np.nan, np.nan])
    thickness_mm = pd.Series([np.nan, 15.0, np.nan, np.nan])
    got = fill_thickness(thickness, thickness_mm, parsed)
    np.testing.assert_allclose(got.to_numpy(), [0.05, 0.015, 0.013, np.nan])


def test_kerb_volume_hand_worked():
    """100 m of 12 x 30 cm kerb is 100 × 0.12 × 0.30 = 3.6 m3."""
    parsed = parse_dimensions(pd.Series(["Kantstein granitt 12x30 cm"])).iloc[0]
    assert 100 * section_area(parsed["section_width_mm"], parsed["section_depth_mm"]) == (
        pytest.approx(3.6))


def test_pipe_wall_hand_worked():
    """PE100 SDR11 Ø110: wall 110/11 = 10 mm, wall area π × 100 × 10 mm2 = 3 141.59 mm2."""
    parsed = parse_dimensions(pd.Series(["Trykkledning PE100 SDR11 Ø110"])).iloc[0]
    wall = pipe_wall_thickness(parsed["diameter_mm"], parsed["sdr"])
    assert wall == pytest.approx(10.0)
    assert pipe_material_area(parsed["diameter_mm"], wall) == pytest.approx(3141.5927e-6)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.lists(st.sampled_from(["12 mm", "2x13 mm", "0-8 mm", "tre", "50+50 mm", ","]),
                         max_size=5).map(" ".join), max_size=12),
       st.randoms(use_true_random=False))
def test_fragments_are_joined_per_text_as_pandas_groups_them(texts, rnd):
    """``_joined``: the Series ``groupby(level=0).agg(sep.join)`` gives, for any order of texts."""
    from klimafotavtrykk.dimensions import _PLAIN, _RANGE, _all, _joined

    index = list(range(0, 3 * len(texts), 3))
    rnd.shuffle(index)
    column = pd.Series(texts, index=index, dtype="str")
    for pattern, sep in ((_PLAIN, "; "), (_RANGE, ", ")):
        fragments = _all(column, None, pattern)["text"]
        expected = fragments.groupby(level=0).agg(sep.join).reindex(column.index)
        pd.testing.assert_series_equal(_joined(fragments, sep).reindex(column.index), expected,
                                       check_exact=True)


_FRAGMENTS = ["12 mm", "2x13 mm", "2×13 mm", "0-8 mm", "50+50 mm", "48x198", "c/c 600", "cc 0,6 m",
              "L=3,2", "lengde 2400", "h=600", "høyde 2,4 m", "DN 110", "Ø 32", "SDR 11", "SN8",
              "HEA 200", "IPE 300", "to lag", "2 lag", "spenn 6 m", "begge sider", "hver side",
              "rør", "ledning", "t=100", "tykkelse 150 mm", "100 MM", "10 CM", "-", ",", "¤",
              "Gips", "betong", "MINERALULL", "ı", "ſ", "İ"]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(st.sampled_from(_FRAGMENTS), min_size=1, max_size=6).map(" ".join),
                min_size=1, max_size=15))
def test_texts_skipped_by_their_words_parse_as_when_every_text_is_tried(texts):
    """The parse with each pattern tried only on texts holding its words equals the plain parse."""
    import klimafotavtrykk.dimensions as dimensions

    column = pd.Series(texts)
    fast = dimensions.parse_dimensions(column)
    plain_index = dimensions.texts_index
    try:
        dimensions.texts_index = lambda text: None  # every pattern tried on every text
        plain = dimensions.parse_dimensions(column)
    finally:
        dimensions.texts_index = plain_index
    pd.testing.assert_frame_equal(fast, plain, check_exact=True)
