"""Competition files: reading, defaults with their sources, errors that name the key."""

import datetime as dt
import pickle
from pathlib import Path

import pytest

from klimafotavtrykk.errors import InputError
from klimafotavtrykk.tender.competition import (
    CLIENT_SOURCE,
    competition_parameters,
    load_competition,
)

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "anbud" / "konkurranse.toml"

MINIMAL = """\
name = "Test"
profile = "tek17"
bta_m2 = 1000
tender_date = 2025-04-01

[weights]
price = 0.7
climate = 0.3
"""


def write(tmp_path, text, name="konkurranse.toml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_the_example_competition():
    c = load_competition(EXAMPLE)
    assert c.profile.name == "tek17" and c.bta_m2 == 2400
    assert c.tender_date == dt.date(2025, 4, 1)
    assert c.reference_study_period == 50  # TEK17 profile
    assert c.rule.weights == {"price": 0.6, "quality": 0.1, "climate": 0.3}
    assert c.rule.frame_kg_co2e_per_m2 == 410 and c.rule.frame_period == "study_period"
    assert c.rule.bta_m2 == 2400
    limits = c.product_limits_frame()
    assert limits.to_dict("records") == [{"key_column": "material_group", "key": "concrete",
                                          "declared_unit": "m3", "limit_kg_co2e": 240.0,
                                          "source": "nb37-2015-blcad"}]
    assert pickle.loads(pickle.dumps(c)) == c


def test_defaults_resolve_with_their_sources(tmp_path):
    c = load_competition(write(tmp_path, MINIMAL))
    assert c.rule.climate_model == "dfo_linear" and c.rule.basis == "kg_co2e_per_m2"
    assert c.sources["climate.model"] == "library-default"
    assert c.sources["weights.min_climate"] == "anskaffelsesforskriften-7-9"
    assert c.sources["weights.climate"] == CLIENT_SOURCE
    assert c.sources["reference_study_period"] == "profile:tek17:dibk-tek17-17-1"
    assert c.material_fallback == "generic_with_markup" and c.site_fallback == "diesel"
    assert c.sources["committed.site_fallback"] == "kofa-2024-1940"
    assert "climate.co2_price_nok_per_kg" not in c.sources  # not used by the linear model
    assert c.notes["climate.model"]


def test_co2_price_model_takes_the_svv_price(tmp_path):
    text = MINIMAL.replace("price = 0.7\nclimate = 0.3", "price = 1.0") + '[climate]\nmodel = "co2_price"\n'
    c = load_competition(write(tmp_path, text))
    # Statens vegvesen, from the 2024 contracts: 7.50 NOK/kg
    assert c.rule.co2_price_nok_per_kg == 7.5
    assert c.sources["climate.co2_price_nok_per_kg"] == "svv-co2-price-2024"
    assert c.rule.basis == "kg_co2e"


def test_overrides_and_a_local_profile(tmp_path):
    write(tmp_path, 'name = "mine"\nreference_study_period = 30\nmodules = ["A1-A3"]\n', "mine.toml")
    text = MINIMAL.replace('profile = "tek17"', 'profile = "mine.toml"\nreference_study_period = 60')
    text += '[sources]\n"weights.climate" = "kommunestyrevedtak 2024"\nweights.price = "same"\n'
    c = load_competition(write(tmp_path, text))
    assert c.profile.name == "mine" and c.reference_study_period == 60
    assert c.sources["reference_study_period"] == CLIENT_SOURCE
    assert c.sources["weights.climate"] == "kommunestyrevedtak 2024"
    assert c.sources["weights.price"] == "same"  # a dotted key without quotes is a nested table


def test_scoring_profile_and_parameters_of_a_local_profile(tmp_path):
    # mine.toml says 30 years; the competition says 60 and the parts 22 and 23: bids are
    # computed under 60 years and those parts, with the rest of the profile as it is
    write(tmp_path, 'name = "mine"\nreference_study_period = 30\nmodules = ["A1-A3"]\n', "mine.toml")
    text = MINIMAL.replace(
        'profile = "tek17"', 'profile = "mine.toml"\nreference_study_period = 60\n'
        'building_parts = ["22", "23"]')
    c = load_competition(write(tmp_path, text))
    profile = c.scoring_profile
    assert profile.reference_study_period == 60.0 and profile.building_parts == ("22", "23")
    assert profile.modules == ("A1-A3",) and c.profile.reference_study_period == 30.0
    rows = competition_parameters(c).set_index("parameter")
    assert rows.loc["reference_study_period", "value"] == 60.0
    assert rows.loc["reference_study_period", "source"] == CLIENT_SOURCE
    assert rows.loc["building_parts", "value"] == "22, 23"
    assert rows.loc["weights.climate", "value"] == 0.3


@pytest.mark.parametrize(
    ("change", "key", "match"),
    [
        (("[weights]", "[weights]\nclimat = 0.1"), "weights.climat", "unknown key"),
        (("bta_m2 = 1000", 'bta_m2 = "stor"'), "bta_m2", "must be a number"),
        (("tender_date = 2025-04-01", 'tender_date = "1. april"'), "tender_date", "must be a date"),
        (("tender_date = 2025-04-01\n", ""), "tender_date", "missing"),
        (("climate = 0.3", "climate = 0.2"), "weights", "add up to 1"),
        (("climate = 0.3", "climate = 0.3\n[climate]\nmodel = \"dfo_log\""), "climate.model",
         "unknown choice"),
        (("climate = 0.3", "climate = 0.3\n[climate]\nco2_price_nok_per_kg = 7.5"),
         "climate.co2_price_nok_per_kg", "only used by"),
        (("profile = \"tek17\"", "profile = \"tek18\""), "profile", "unknown profile"),
        (("climate = 0.3", "climate = 0.3\n[gates]\nframe_period = \"month\""), "gates.frame_period",
         "unknown choice"),
        (("climate = 0.3", "climate = 0.3\n[committed]\nmaterial_fallback = \"zero\""),
         "committed.material_fallback", "unknown choice"),
        (("climate = 0.3", "climate = 0.3\n[sources]\n\"weights.klima\" = \"x\""), "sources.weights.klima",
         "names no known parameter"),
        (("climate = 0.3", "climate = 0.3\n[points]\nallow_negative = \"ja\""), "points.allow_negative",
         "true or false"),
    ],
)
def test_errors_name_the_file_and_key(tmp_path, change, key, match):
    path = write(tmp_path, MINIMAL.replace(*change))
    with pytest.raises(InputError, match=match) as info:
        load_competition(path)
    assert info.value.problem.startswith(f"{key}: ")
    assert info.value.file == str(path)
    assert str(path) in str(info.value)
    assert pickle.loads(pickle.dumps(info.value)).problem == info.value.problem


@pytest.mark.parametrize(
    ("limit", "key", "match"),
    [
        ('material_group = "concrete"\ndeclared_unit = "m3"\nlimit_kg_co2e = -1',
         "gates.product_limits[0].limit_kg_co2e", "positive"),
        ('material_group = "concrete"\nfactor_id = "c1"\ndeclared_unit = "m3"\nlimit_kg_co2e = 240',
         "gates.product_limits[0]", "exactly one"),
        ('material_group = "concrete"\nlimit_kg_co2e = 240', "gates.product_limits[0].declared_unit",
         "non-empty text"),
        ('material_group = "concrete"\ndeclared_unit = "m3"\nlimit = 240',
         "gates.product_limits[0].limit", "unknown key"),
    ],
)
def test_product_limit_errors_name_the_entry(tmp_path, limit, key, match):
    path = write(tmp_path, MINIMAL + "\n[[gates.product_limits]]\n" + limit + "\n")
    with pytest.raises(InputError, match=match) as info:
        load_competition(path)
    assert info.value.problem.startswith(f"{key}: ")


def test_a_broken_file_is_an_input_error(tmp_path):
    with pytest.raises(InputError, match="cannot read") as info:
        load_competition(write(tmp_path, MINIMAL + "[weights\n"))
    assert info.value.code == "competition.unreadable"
    with pytest.raises(InputError, match="cannot read"):
        load_competition(tmp_path / "missing.toml")


def _arrow_backed(frame) -> list[str]:
    import pandas as pd

    return [c for c, d in frame.dtypes.items()
            if isinstance(d, pd.StringDtype) and d.storage == "pyarrow"]


def test_tender_lines_built_where_pyarrow_stores_text_are_scored_as_python_stored_ones():
    # A notebook with pyarrow installed builds the tender reference from its own frame; the
    # batch converts those lines once, and scores exactly as with Python-stored lines.
    import dataclasses
    import warnings

    import pandas as pd

    from klimafotavtrykk.errors import WeightWarning
    from klimafotavtrykk.quantities import read_boq
    from klimafotavtrykk.tender import score_bids
    from klimafotavtrykk.tender.competition import python_tender_lines
    from klimafotavtrykk.tender.reference import tender_quantities

    pytest.importorskip("pyarrow")
    comp = load_competition(EXAMPLE)
    items, meta = read_boq(EXAMPLE.parent.parent / "skole.xlsx")
    python = dataclasses.replace(comp, tender_quantities=tender_quantities(
        items, file="skole.xlsx", sha256=meta.sha256))
    with pd.option_context("mode.string_storage", "pyarrow"):
        arrow = dataclasses.replace(comp, tender_quantities=tender_quantities(
            items, file="skole.xlsx", sha256=meta.sha256))
    assert _arrow_backed(arrow.tender_quantities.lines)  # what the notebook holds
    assert not _arrow_backed(python.tender_quantities.lines)
    converted = python_tender_lines(arrow)
    assert not _arrow_backed(converted.tender_quantities.lines)
    pd.testing.assert_frame_equal(converted.tender_quantities.lines,
                                  python.tender_quantities.lines, check_exact=True)
    assert python_tender_lines(python) is python  # nothing to convert: the same object
    assert _arrow_backed(arrow.tender_quantities.lines)  # the caller's lines are not changed
    quality = EXAMPLE.parent / "kvalitet.csv"
    points = dict(pd.read_csv(quality, dtype={"fil": str}).itertuples(index=False, name=None))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", WeightWarning)
        with pd.option_context("mode.string_storage", "pyarrow"):
            got = score_bids(arrow, EXAMPLE.parent / "bud", quality=points)
        expected = score_bids(python, EXAMPLE.parent / "bud", quality=points)
    assert got.competition is arrow  # the evaluation names the competition it was given
    for name in ("ranking", "points", "rejected", "findings", "by_module"):
        pd.testing.assert_frame_equal(getattr(got, name), getattr(expected, name),
                                      check_exact=True)
