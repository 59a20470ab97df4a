"""Figures: bar heights equal hand-worked values, labels in bokmål and English, files saved.

All results here are made by hand (round numbers, two alternatives):

- "Betong": part 22 A1-A3 100 000, A4 10 000, D -20 000; part 23 A1-A3 50 000,
  B4 40 000. By module: A1-A3 150 000, A4 10 000, B4 40 000; total 200 000; D -20 000.
- "Massivtre": part 22 A1-A3 60 000, A4 30 000, A5 -10 000 (a negative module, to
  see it stacked below zero). Total 80 000; D 0.

BTA 1 000 m², reference study period 50 a. [kg CO2e]
"""

import subprocess
import sys

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from matplotlib.colors import to_hex  # noqa: E402

import klimafotavtrykk as kf  # noqa: E402
from klimafotavtrykk import plotting  # noqa: E402
from klimafotavtrykk.alternatives import compare  # noqa: E402
from klimafotavtrykk.assessment import Assessment  # noqa: E402
from klimafotavtrykk.errors import InputError, MissingColumnError  # noqa: E402
from klimafotavtrykk.profiles import Profile  # noqa: E402
from klimafotavtrykk.vocabulary import MODULES  # noqa: E402

PROFILE = Profile(name="hand", reference_study_period=50.0, modules=tuple(m for m in MODULES if m != "D"))


def _result(parts: dict, bta_m2=1000.0, lines=None) -> Assessment:
    """An Assessment built by hand from part -> {module: kg CO2e}."""
    by_part = pd.DataFrame(parts).T.reindex(columns=list(MODULES)).fillna(0.0)
    by_part.index.name, by_part.columns.name = "building_part", "module"
    if lines is None:
        lines = pd.DataFrame(columns=[*MODULES, "kg_co2e"])
    return Assessment(lines=lines, unmatched=pd.DataFrame(), by_module=by_part.sum(),
                      by_building_part=by_part, profile=PROFILE,
                      coverage=pd.Series(dtype=float), bta_m2=bta_m2)


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


@pytest.fixture
def concrete():
    return _result({"22": {"A1-A3": 100_000.0, "A4": 10_000.0, "D": -20_000.0},
                    "23": {"A1-A3": 50_000.0, "B4": 40_000.0}})


@pytest.fixture
def timber():
    return _result({"22": {"A1-A3": 60_000.0, "A4": 30_000.0, "A5": -10_000.0}})


@pytest.fixture
def both(concrete, timber):
    return {"Betong": concrete, "Massivtre": timber}


def _bars(ax) -> dict:
    """Container label -> list of (position, height, base) per bar."""
    out = {}
    for container in ax.containers:
        horizontal = container.orientation == "horizontal"
        out[container.get_label()] = [
            (p.get_y() + p.get_height() / 2, p.get_width(), p.get_x()) if horizontal
            else (p.get_x() + p.get_width() / 2, p.get_height(), p.get_y())
            for p in container.patches]
    return out


def _heights(ax, label):
    return [h for _, h, _ in _bars(ax)[label]]


def _bases(ax, label):
    return [b for _, _, b in _bars(ax)[label]]


def _texts(ax):
    return [t.get_text() for t in ax.texts]


def _legend(ax):
    return [t.get_text() for t in ax.get_legend().get_texts()]


def _ticks(ax, axis="x"):
    ax.figure.canvas.draw()
    return [t.get_text() for t in getattr(ax, f"get_{axis}ticklabels")()]


# ---------------------------------------------------------------------------- import

def test_importing_the_module_does_not_load_matplotlib():
    code = "import sys, klimafotavtrykk.plotting; print('matplotlib' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_package_exposes_plot():
    assert kf.plot.waterfall is plotting.waterfall


# ---------------------------------------------------------------------------- modules by alternative

def test_modules_by_alternative_stacks_to_hand_totals(both):
    ax = plotting.modules_by_alternative(both)
    bars = _bars(ax)
    # modules present somewhere; B1-B3, B5-B7, C1-C4 are zero everywhere and get no bars
    assert set(bars) == {"A1-A3", "A4", "A5", "B4", "D"}
    assert _heights(ax, "A1-A3") == [150_000.0, 60_000.0]
    assert _heights(ax, "A4") == [10_000.0, 30_000.0]
    assert _heights(ax, "A5") == [0.0, -10_000.0]
    assert _heights(ax, "B4") == [40_000.0, 0.0]
    # positives stack upward in module order: A4 on 150 000 / 60 000, B4 on 150 000 + 10 000
    assert _bases(ax, "A4") == [150_000.0, 60_000.0]
    assert _bases(ax, "B4") == [160_000.0, 90_000.0]
    assert _bases(ax, "A5")[1] == 0.0  # the negative A5 hangs below zero
    # stack top = positive modules: 150 000 + 10 000 + 40 000 = 200 000; 60 000 + 30 000 = 90 000
    tops = {}
    for label in ("A1-A3", "A4", "A5", "B4"):
        for x, h, b in bars[label]:
            tops[round(x)] = max(tops.get(round(x), 0.0), b + h)
    assert tops == {0: 200_000.0, 1: 90_000.0}
    # D stands beside, never added: -20 000 for Betong, 0 for Massivtre, off the bar's centre
    assert _heights(ax, "D") == [-20_000.0, 0.0]
    assert all(x % 1 != 0 for x, _, _ in bars["D"])
    # net totals written on the bars: 200 000 and 60 000 + 30 000 - 10 000 = 80 000
    assert _texts(ax) == ["200 000", "80 000"]


def test_modules_by_alternative_labels_nb_and_en(both):
    ax = plotting.modules_by_alternative(both)
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("Alternativ", "kg CO₂e")
    assert [t.get_text() for t in ax.get_xticklabels()] == ["Betong", "Massivtre"]
    assert _legend(ax)[-1] == "D (utenfor totalen)"
    assert "50 000" in _ticks(ax, "y")           # space as thousands separator in bokmål
    ax = plotting.modules_by_alternative(both, lang="en")
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("Alternative", "kg CO₂e")
    assert _legend(ax)[-1] == "D (beside the total)"
    assert "50,000" in _ticks(ax, "y")
    assert _texts(ax) == ["200,000", "80,000"]


def test_modules_by_alternative_per_m2_year_from_compare_frame(both):
    ax = plotting.modules_by_alternative(compare(both), per_m2_year=True)
    # Betong A1-A3: 150 000 kg / (1 000 m² × 50 a) = 3.0; B4: 40 000 / 50 000 = 0.8; total 4.0
    assert _heights(ax, "A1-A3") == pytest.approx([3.0, 1.2])
    assert _heights(ax, "B4") == pytest.approx([0.8, 0.0])
    assert _texts(ax) == ["4,00", "1,60"]        # 80 000 / 50 000 = 1.6, decimal comma
    assert ax.get_ylabel() == "kg CO₂e/m² BTA per år"


def test_modules_by_alternative_needs_an_area_for_intensities(concrete):
    no_area = _result({"22": {"A1-A3": 1.0}}, bta_m2=None)
    with pytest.raises(InputError, match="need an area"):
        plotting.modules_by_alternative({"a": no_area}, per_m2_year=True)
    with pytest.raises(InputError, match=r"calculate \['b'\] with bta_m2"):
        plotting.modules_by_alternative({"a": concrete, "b": no_area}, per_m2_year=True)
    with pytest.raises(InputError, match="unknown language"):
        plotting.modules_by_alternative({"a": concrete}, lang="de")
    with pytest.raises(MissingColumnError, match="not a comparison frame"):
        plotting.modules_by_alternative(pd.DataFrame({"kg_co2e": [1.0]}))


# ---------------------------------------------------------------------------- parts by module

def test_parts_by_module_bars_per_part(concrete):
    ax = plotting.parts_by_module(concrete)
    assert _heights(ax, "A1-A3") == [100_000.0, 50_000.0]
    assert _heights(ax, "A4") == [10_000.0, 0.0]
    assert _heights(ax, "B4") == [0.0, 40_000.0]
    assert _bases(ax, "B4") == [110_000.0, 50_000.0]   # after A1-A3 and A4 of its part
    assert _heights(ax, "D") == [-20_000.0, 0.0]
    # part totals: 100 000 + 10 000 = 110 000; 50 000 + 40 000 = 90 000
    assert _texts(ax) == ["110 000", "90 000"]
    # parts as NS 3451 names them (bSDD labels of codes 22 and 23)
    assert [t.get_text() for t in ax.get_yticklabels()] == ["22 Bæresystemer", "23 Yttervegger"]
    assert (ax.get_ylabel(), ax.get_xlabel()) == ("Bygningsdel", "kg CO₂e")
    ax = plotting.parts_by_module(concrete, lang="en")
    assert ax.get_ylabel() == "Building part"


def test_parts_by_module_keeps_lines_without_a_part():
    table = pd.DataFrame({"A1-A3": [5.0, 7.0]}, index=pd.Index(["", "21"], name="building_part"))
    ax = plotting.parts_by_module(table)
    assert [t.get_text() for t in ax.get_yticklabels()] == ["(ingen)", "21 Grunn og fundamenter"]
    assert _heights(ax, "A1-A3") == [5.0, 7.0]


def test_module_colours_are_the_same_in_every_figure(both, concrete):
    expected = plotting.MODULE_COLOURS["A1-A3"]
    for ax in (plotting.modules_by_alternative(both), plotting.parts_by_module(concrete),
               plotting.waterfall(both, "Betong", "Massivtre")):
        containers = {c.get_label(): c for c in ax.containers}
        patch = (containers["A1-A3"].patches[0] if "A1-A3" in containers
                 else containers["steps"].patches[0])      # waterfall: first step is A1-A3
        assert to_hex(patch.get_facecolor()) == expected
    assert set(plotting.MODULE_COLOURS) == set(MODULES)
    assert len(set(plotting.MODULE_COLOURS.values())) == len(MODULES)


# ---------------------------------------------------------------------------- waterfall

def test_waterfall_by_module_from_reference_to_alternative(both):
    ax = plotting.waterfall(both, "Betong", "Massivtre")
    assert _heights(ax, "reference") == [200_000.0]
    # Massivtre − Betong per module: A1-A3 60 000 − 150 000 = −90 000; A4 30 000 − 10 000
    # = +20 000; A5 −10 000 − 0; B4 0 − 40 000
    assert _heights(ax, "steps") == [-90_000.0, 20_000.0, -10_000.0, -40_000.0]
    # running total before each step: 200 000, 110 000, 130 000, 120 000
    assert _bases(ax, "steps") == [200_000.0, 110_000.0, 130_000.0, 120_000.0]
    assert _heights(ax, "alternative") == [80_000.0]      # 120 000 − 40 000
    assert _ticks(ax) == ["Betong", "A1-A3", "A4", "A5", "B4", "Massivtre"]
    assert "-90 000" in _texts(ax) and "+20 000" in _texts(ax)
    assert "Modul D, utenfor totalen: -20 000 → 0 kg CO₂e" in _texts(ax)
    assert ax.get_title() == "Fra Betong til Massivtre"
    ax = plotting.waterfall(both, "Betong", "Massivtre", lang="en")
    assert (ax.get_title(), ax.get_xlabel()) == ("From Betong to Massivtre", "Module")
    assert "+20,000" in _texts(ax)


def test_waterfall_by_part_counts_a_part_only_the_reference_has(both):
    ax = plotting.waterfall(compare(both), "Betong", "Massivtre", by="building_part")
    # part 22: 60 000 + 30 000 − 10 000 − (100 000 + 10 000) = −30 000;
    # part 23 only in Betong: 0 − 90 000 = −90 000; −30 000 − 90 000 = 200 000 − 80 000
    assert _heights(ax, "steps") == [-30_000.0, -90_000.0]
    assert _ticks(ax) == ["Betong", "22\nBæresystemer", "23\nYttervegger", "Massivtre"]
    assert ax.get_xlabel() == "Bygningsdel"


def test_waterfall_of_an_alternative_against_itself(both):
    ax = plotting.waterfall(both, "Betong", "Betong")
    assert _heights(ax, "reference") == _heights(ax, "alternative") == [200_000.0]
    assert _heights(ax, "steps") == [0.0, 0.0, 0.0]     # A1-A3, A4, B4 unchanged
    empty = _result({"22": {"A1-A3": 0.0}})
    ax = plotting.waterfall({"a": empty, "b": empty}, "a", "b")
    assert _heights(ax, "steps") == [] and _heights(ax, "alternative") == [0.0]


def test_waterfall_rejects_unknown_names_and_options(both):
    with pytest.raises(InputError, match="'Stål' is not among"):
        plotting.waterfall(both, "Betong", "Stål")
    with pytest.raises(InputError, match="by must be"):
        plotting.waterfall(both, "Betong", "Massivtre", by="material")


def test_waterfall_on_calculated_results(hand_factors, truck, no_mappings):
    kw = dict(factors=hand_factors, transport_modes=truck, mappings=no_mappings, profile="tek17",
              bta_m2=100)
    lines = pd.DataFrame({"factor_id": ["concrete", "paint"], "quantity": [10.0, 5.0],
                          "unit": ["m3", "kg"], "building_part": ["251", "232"]})
    base = kf.calculate(lines, **kw)
    less = kf.calculate(lines.assign(quantity=[8.0, 5.0]), **kw)
    ax = plotting.waterfall({"10 m3": base, "8 m3": less}, "10 m3", "8 m3")
    steps = dict(zip(_ticks(ax)[1:-1], _heights(ax, "steps"), strict=True))
    # A1-A3: 2 m3 less × 200 kg/m3 × 1.25 (TEK17 markup on generic data) = −500 kg
    assert steps["A1-A3"] == pytest.approx(-500.0)
    # A4: 2 m3 × 2 400 kg/m3 × 50 km × 0.1 kg/tkm / 1 000 kg/t = 24 kg less
    assert steps["A4"] == pytest.approx(-24.0)
    # A5 site waste (TEK17 profile: waste share × (A1-A3 + A4)): 2 m3 × 0.03 × (250 + 12) = 15.72
    assert steps["A5"] == pytest.approx(-15.72)
    assert steps["B4"] == 0.0     # the paint is unchanged: a step of 0, still shown
    # the bar's top is the total, whether the axis starts at 0 or near the data
    top = _bases(ax, "alternative")[0] + _heights(ax, "alternative")[0]
    assert top == pytest.approx(less.total)
    assert sum(steps.values()) == pytest.approx(less.total - base.total)


# ---------------------------------------------------------------------------- pareto

@pytest.fixture
def lines():
    # kg_co2e is the sum of the modules but D
    return pd.DataFrame({
        "description": ["Maling", "Betong B35", "Stål", "Gips", "Isolasjon"],
        "building_part": ["232", "251", "222", "", "231"],
        "A1-A3": [10.0, 45.0, 30.0, 5.0, 4.0],
        "A4": [0.0, 5.0, 0.0, 0.0, 1.0],
        "D": [0.0, 0.0, -6.0, 0.0, 0.0],
        "kg_co2e": [10.0, 50.0, 30.0, 5.0, 5.0],
    })


def test_pareto_top_lines_and_the_rest(lines):
    ax = plotting.pareto(lines, top=2)
    # ranked 50, 30, then the other three lines summed: 10 + 5 + 5 = 20
    assert [t.get_text() for t in ax.get_yticklabels()] == [
        "Betong B35 (251)", "Stål (222)", "3 andre linjer"]
    assert _heights(ax, "A1-A3") == [45.0, 30.0, 19.0]     # 10 + 5 + 4
    assert _heights(ax, "A4") == [5.0, 0.0, 1.0]
    assert _heights(ax, "D") == [0.0, -6.0, 0.0]
    # cumulative share of the total 100: 50 %, 80 %, 100 %
    twin = next(a for a in ax.figure.axes if a is not ax)
    line = next(ln for ln in twin.get_lines() if ln.get_label() == "cumulative")
    assert line.get_xdata() == pytest.approx([50.0, 80.0, 100.0])
    assert twin.get_xlabel() == "Kumulativ andel av totalen [%]"
    ax = plotting.pareto(lines, top=2, lang="en")
    assert ax.get_yticklabels()[-1].get_text() == "3 other lines"


def test_pareto_draws_every_line_when_top_covers_them(lines):
    ax = plotting.pareto(_result({}, lines=lines), top=15)
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert len(labels) == 5 and not any("andre" in label for label in labels)
    assert labels[3:] == ["Gips", "Isolasjon (231)"]         # equal 5 and 5 keep input order
    assert sum(_heights(ax, "A1-A3")) + sum(_heights(ax, "A4")) == pytest.approx(100.0)


def test_pareto_label_column_truncation_and_errors(lines):
    long = lines.assign(description=["x" * 60, *lines["description"][1:]], building_part="")
    ax = plotting.pareto(long, top=5)
    assert [t.get_text() for t in ax.get_yticklabels()][-3] == "x" * 39 + "…"
    ax = plotting.pareto(lines.assign(post="P" + lines.index.astype(str)), top=1, label="post")
    assert ax.get_yticklabels()[0].get_text() == "P1"
    with pytest.raises(InputError, match="positive whole number"):
        plotting.pareto(lines, top=0)
    with pytest.raises(MissingColumnError, match="kg_co2e"):
        plotting.pareto(lines.drop(columns="kg_co2e"))
    with pytest.raises(InputError, match="no computed lines"):
        plotting.pareto(lines.iloc[:0])


# ---------------------------------------------------------------------------- emission frame

def test_emission_frame_per_year_and_over_the_period(both):
    ax = plotting.emission_frame({**both, "Tilbud C": 3.0}, 3.5)
    # 200 000 kg / 1 000 m² / 50 a = 4.0; 80 000 / 1 000 / 50 = 1.6; a number is taken as given
    assert [p.get_height() for p in ax.containers[0].patches] == pytest.approx([4.0, 1.6, 3.0])
    frame = next(ln for ln in ax.get_lines() if ln.get_label() == "frame")
    assert list(frame.get_ydata()) == [3.5, 3.5]
    colours = [to_hex(p.get_facecolor()) for p in ax.containers[0].patches]
    assert colours[0] != colours[1] == colours[2]          # only Betong is above 3.5
    assert ax.get_ylabel() == "kg CO₂e/m² BTA per år"
    # the frame's value is in the legend, never written over the bars' labels
    assert _legend(ax) == ["Utslippsramme: 3,50", "Innenfor rammen", "Over rammen"]
    assert not any(text.startswith("Utslippsramme") for text in _texts(ax))
    ax = plotting.emission_frame(both, 150.0, per_year=False, lang="en")
    # over the period: 200 000 / 1 000 = 200; 80 000 / 1 000 = 80
    assert [p.get_height() for p in ax.containers[0].patches] == pytest.approx([200.0, 80.0])
    assert ax.get_ylabel() == "kg CO₂e/m² BTA over the reference study period"
    assert _legend(ax)[0] == "Emission frame: 150"


def test_emission_frame_from_compare_frame_and_errors(both):
    ax = plotting.emission_frame(compare(both), 5.0)
    assert [p.get_height() for p in ax.containers[0].patches] == pytest.approx([4.0, 1.6])
    assert [t.get_text() for t in ax.get_xticklabels()] == ["Betong", "Massivtre"]
    with pytest.raises(InputError, match="per year only"):
        plotting.emission_frame(compare(both), 5.0, per_year=False)
    with pytest.raises(InputError, match="no area"):
        plotting.emission_frame({"a": _result({"22": {"A1-A3": 1.0}}, bta_m2=None)}, 5.0)
    with pytest.raises(InputError, match="finite number"):
        plotting.emission_frame(both, float("nan"))


# ---------------------------------------------------------------------------- output

@pytest.mark.parametrize("suffix, magic", [("png", b"\x89PNG"), ("svg", b"<?xml")])
def test_figures_save_headless(both, concrete, tmp_path, suffix, magic):
    _, axes = plt.subplots(2, 3, figsize=(15, 8))
    given = axes.ravel()
    drawn = [
        plotting.modules_by_alternative(both, ax=given[0]),
        plotting.parts_by_module(concrete, ax=given[1]),
        plotting.waterfall(both, "Betong", "Massivtre", ax=given[2]),
        plotting.pareto(_result({}, lines=pd.DataFrame({"A1-A3": [1.0], "kg_co2e": [1.0]})),
                        ax=given[3]),
        plotting.emission_frame(both, 3.5, ax=given[4]),
    ]
    assert all(a is g for a, g in zip(drawn, given, strict=False))   # drawn where asked
    path = tmp_path / f"figur.{suffix}"
    drawn[0].figure.savefig(path)
    assert path.read_bytes().startswith(magic)


def test_new_figure_saves_png(both, tmp_path):
    ax = plotting.modules_by_alternative(both)
    ax.figure.savefig(tmp_path / "a.png", dpi=50)
    assert (tmp_path / "a.png").read_bytes()[:4] == b"\x89PNG"
    assert np.isfinite(ax.get_ylim()).all()


# ---------------------------------------------------------------------------- legibility (issue 16)

def test_waterfall_axis_starts_near_the_data_when_the_change_is_small():
    # 934 000 kg -> 927 000 kg: a 7 t change on 934 t, as the project team saw it
    before = _result({"22": {"A1-A3": 934_000.0}})
    after = _result({"22": {"A1-A3": 927_000.0}})
    ax = plotting.waterfall({"Før": before, "Etter": after}, "Før", "Etter")
    # levels 934 000 and 927 000: span 7 000, lowest 927 000; one span below is 920 000,
    # rounded down to whole thousands (the span's order of magnitude): the axis starts at 920 000
    assert ax.get_ylim()[0] == 920_000.0
    assert ax.get_ylabel() == "kg CO₂e (aksen starter ved 920 000, ikke ved 0)"
    # the totals are drawn from the axis' foot: heights 934 000 − 920 000 and 927 000 − 920 000
    assert _heights(ax, "reference") == [14_000.0]
    assert _bases(ax, "reference") == [920_000.0]
    assert _heights(ax, "alternative") == [7_000.0]
    ax = plotting.waterfall({"Før": before, "Etter": after}, "Før", "Etter", lang="en")
    assert ax.get_ylabel() == "kg CO₂e (axis starts at 920,000, not at 0)"


def test_waterfall_keeps_zero_when_the_change_is_large(both):
    ax = plotting.waterfall(both, "Betong", "Massivtre")
    # 200 000 -> 80 000 spans more than half the largest level: a zero-based axis shows it
    assert ax.get_ylim()[0] == 0.0
    assert ax.get_ylabel() == "kg CO₂e"


def test_value_labels_stay_inside_the_axes_below_the_title(both):
    ax = plotting.waterfall(both, "Betong", "Massivtre")
    # highest level 200 000: the axis reaches 15 % of its range higher, 200 000 + 30 000
    assert ax.get_ylim()[1] == pytest.approx(230_000.0)


def test_long_tick_labels_are_wrapped_not_run_together(both):
    long = {"Vinduer og isolasjon (23)": both["Betong"], "Lavkarbonbetong (25)": both["Massivtre"]}
    ax = plotting.modules_by_alternative(long)
    assert _ticks(ax) == ["Vinduer og\nisolasjon (23)", "Lavkarbonbetong\n(25)"]
    ax = plotting.emission_frame(long, 5.0)
    assert all(max(len(part) for part in label.split("\n")) <= 15 for label in _ticks(ax))


def test_building_parts_carry_their_ns3451_names(both):
    ax = plotting.waterfall(compare(both), "Betong", "Massivtre", by="building_part", lang="en")
    assert "22\nLoad-bearing\nsystems" in _ticks(ax)
