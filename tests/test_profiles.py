import dataclasses
import pickle
import tomllib

import pandas as pd
import pytest

from klimafotavtrykk._data import data_path
from klimafotavtrykk.errors import ProfileError
from klimafotavtrykk.profiles import Profile, available_profiles, load_profile

PROFILE_FILES = sorted(data_path("profiles").glob("*.toml"))
PARAMETERS = ("reference_study_period", "modules", "building_parts", "exclude_biogenic",
              "accepted_indicators", "generic_markup", "waste_end_of_life", "site_energy")


def test_shipped_profiles():
    assert {"tek17", "ns3720", "en15978"} <= set(available_profiles())


def test_tek17_follows_dibk():
    # DiBK, TEK17 § 17-1 with guidance: 50 years; A1-A4, B2, B4 and site waste in A5;
    # parts 215, 216, 22-26; biogenic carbon excluded.
    p = load_profile("tek17")
    assert p.reference_study_period == 50
    assert set(p.modules) == {"A1-A3", "A4", "A5", "B2", "B4"}
    assert set(p.building_parts) == {"215", "216", "22", "23", "24", "25", "26"}
    assert p.exclude_biogenic


@pytest.mark.parametrize("path", PROFILE_FILES, ids=lambda p: p.name)
def test_every_parameter_cites_a_known_source(path):
    raw = tomllib.loads(path.read_text(encoding="utf-8"))
    known = set(pd.read_csv(data_path("sources.csv"))["source_id"])
    for parameter in PARAMETERS:
        assert parameter in raw["sources"], f"{path.name}: {parameter} has no source"
        assert raw["sources"][parameter] in known
        if raw["sources"][parameter] == "library-default":
            assert raw.get("notes", {}).get(parameter), f"{path.name}: default {parameter} unexplained"


def test_variant_with_replace():
    variant = dataclasses.replace(load_profile("tek17"), reference_study_period=60)
    assert variant.reference_study_period == 60
    assert load_profile("tek17").reference_study_period == 50


@pytest.mark.parametrize(
    ("change", "match"),
    [
        ({"reference_study_period": 0}, "positive"),
        ({"modules": ("A1-A3", "Z9")}, "unknown modules"),
        ({"building_parts": ("2x",)}, "digit codes"),
        ({"generic_markup": 25}, "share"),
        ({"accepted_indicators": ("co2",)}, "unknown indicators"),
    ],
)
def test_invalid_profiles_are_refused(change, match):
    base = {"name": "x", "reference_study_period": 50, "modules": ("A1-A3",)}
    with pytest.raises(ProfileError, match=match):
        Profile(**{**base, **change})


def test_unknown_profile_names_the_valid_ones():
    with pytest.raises(ProfileError, match="tek17") as info:
        load_profile("tek18")
    assert pickle.loads(pickle.dumps(info.value)).problem == info.value.problem


def test_user_profile_from_file(tmp_path):
    path = tmp_path / "mine.toml"
    path.write_text('name = "mine"\nreference_study_period = 30\nmodules = ["A1-A3"]\n', encoding="utf-8")
    assert load_profile(path).reference_study_period == 30
