"""Pictures of uncertainty (kf.plot.distribution, kf.plot.probabilities), on hand-made samples."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

import klimafotavtrykk as kf  # noqa: E402
from klimafotavtrykk.errors import InputError  # noqa: E402
from klimafotavtrykk.uncertainty import Uncertainty  # noqa: E402


def spread(samples, deterministic=None):
    """An Uncertainty holding only samples of the total (percentile tables are not drawn)."""
    empty = pd.DataFrame()
    return Uncertainty(total=pd.Series(dtype=float), by_module=empty, by_building_part=empty,
                       samples=np.asarray(samples, dtype=float), deterministic=deterministic,
                       factors=empty, n=len(samples))


@pytest.fixture(autouse=True)
def _close():
    yield
    plt.close("all")


def test_distribution_marks_the_percentiles_and_the_calculated_total():
    # samples 1..100: numpy's linear percentiles sit at rank (100 - 1) x p:
    # 2.5 % -> 2.475 -> 1 + 2.475 = 3.475; 50 % -> 49.5 -> 50.5; 97.5 % -> 96.525 -> 97.525
    ax = kf.plot.distribution(spread(np.arange(1, 101), deterministic=50.0))
    xs = sorted(line.get_xdata()[0] for line in ax.lines)
    assert xs == pytest.approx([3.475, 50.0, 50.5, 97.525])
    assert ax.get_title() == "Fordeling av totalt utslipp (100 trekninger)"
    assert ax.get_ylabel() == "Andel av trekningene"
    # the histogram holds every sample once: shares add up to 1
    heights = np.concatenate([p.get_path().vertices[:, 1] for p in ax.patches])
    assert ax.patches and heights.max() <= 1.0
    ax.figure.savefig(__import__("io").BytesIO(), format="png")


def test_distribution_of_alternatives_draws_one_histogram_each_in_english():
    ax = kf.plot.distribution({"A": spread([1.0, 2.0, 3.0]), "B": spread([2.0, 3.0, 4.0])},
                              lang="en")
    labels = ax.get_legend().get_texts()
    assert [t.get_text() for t in labels][:2] == ["A", "B"]
    assert "Percentiles 2.5, 50, 97.5 %" in [t.get_text() for t in labels]
    assert ax.get_title() == "Distribution of total emissions (3 draws)"


def test_probabilities_from_samples_drawn_together():
    # a = 1, 2, 3, 4 and b = 2, 2, 2, 2: a < b in 1 of 4 samples and a tie in 1:
    # P(a < b) = (1 + 0.5) / 4 = 0.375; P(b < a) = (2 + 0.5) / 4 = 0.625
    ax = kf.plot.probabilities({"a": spread([1.0, 2.0, 3.0, 4.0]), "b": spread([2.0] * 4)})
    image = ax.images[0].get_array()
    assert image[0, 1] == 0.375 and image[1, 0] == 0.625 and np.ma.is_masked(image[0, 0])
    assert sorted(t.get_text() for t in ax.texts) == ["38 %", "62 %"]
    assert ax.get_title() == "Sannsynlighet for at raden har lavere utslipp enn kolonnen"


def test_probabilities_from_a_matrix_as_a_tender_gives_it():
    matrix = pd.DataFrame([[np.nan, 0.9], [0.1, np.nan]], index=["x.xlsx", "y.xlsx"],
                          columns=["x.xlsx", "y.xlsx"])
    ax = kf.plot.probabilities(matrix, lang="en")
    assert [t.get_text() for t in ax.get_yticklabels()] == ["x.xlsx", "y.xlsx"]
    assert sorted(t.get_text() for t in ax.texts) == ["10 %", "90 %"]
    assert ax.get_xlabel() == "… than"


def test_a_comparison_without_samples_is_refused():
    table = pd.DataFrame({"alternative": ["a"], "building_part": ["21"], "module": ["A1-A3"],
                          "in_total": [True], "kg_co2e": [1.0]})
    with pytest.raises(InputError, match=r"uncertainty=True"):
        kf.plot.distribution(table)
