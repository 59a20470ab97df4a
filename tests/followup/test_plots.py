"""The two follow-up figures: the lines drawn, their data and their labels."""

import matplotlib
import pandas as pd
import pytest

import klimafotavtrykk as kf
from klimafotavtrykk import plotting
from klimafotavtrykk.errors import InputError
from klimafotavtrykk.followup.status import follow_up

matplotlib.use("Agg")


@pytest.fixture
def two_months(fu):
    """January and February of the hand example: 740.264 and 899.488 kg CO2e (conftest.py)."""
    return follow_up(fu.make_contract(), fu.three_months()[:2], as_of="latest")


def test_emissions_against_the_budget_line(two_months):
    ax = plotting.followup_emissions(two_months)
    lines = {line.get_label(): line for line in ax.get_lines()}
    assert set(lines) == {"budget", "reported", "projection"}
    # budget 2220.792 spread over three months
    assert list(lines["budget"].get_ydata()) == pytest.approx([740.264, 1480.528, 2220.792])
    assert list(lines["reported"].get_ydata()) == pytest.approx([740.264, 1639.752])
    # projection from February's 1639.752 to 1639.752 + mean 819.876 = 2459.628 in March
    assert list(lines["projection"].get_ydata()) == pytest.approx([1639.752, 2459.628])
    assert ax.get_title() == "Utslipp på byggeplassen mot klimabudsjettet"
    legend = [text.get_text() for text in ax.get_legend().get_texts()]
    assert legend == ["Klimabudsjett, forholdsmessig", "Rapportert", "Prognose"]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["2025-01", "2025-02", "2025-03"]
    matplotlib.pyplot.close(ax.figure)


def test_share_against_the_promise(two_months):
    ax = plotting.followup_share(two_months, basis="machine_hours", lang="en")
    lines = {line.get_label(): line for line in ax.get_lines()}
    # cumulative hours: January 50 / 150, January and February 110 / 310
    assert list(lines["reported"].get_ydata()) == pytest.approx([100 * 50 / 150, 100 * 110 / 310])
    assert ax.get_ylabel() == "Emission-free share [%]"
    legend = [text.get_text() for text in ax.get_legend().get_texts()]
    assert legend == ["Promised (by machine hours)", "Reported, cumulative (by machine hours)"]
    # promised by energy: 3000 / 11700 on every month
    energy = plotting.followup_share(two_months)
    promised = [line for line in energy.get_lines() if line.get_label() == "promised"][0]
    assert list(promised.get_ydata()) == pytest.approx([100 * 3000 / 11700] * 3, rel=1e-6)
    with pytest.raises(InputError, match="unknown share basis"):
        plotting.followup_share(two_months, basis="tonnes")
    matplotlib.pyplot.close("all")


@pytest.mark.parametrize("draw", [plotting.followup_emissions, plotting.followup_share])
def test_another_result_is_refused_by_what_was_expected(draw):
    # a calculation's result handed to a follow-up figure: the error names both, instead of
    # an AttributeError from inside the figure
    result = kf.calculate(pd.DataFrame({"quantity": [], "unit": []}), "tek17")
    with pytest.raises(InputError, match=r"expected a follow-up status .* got Assessment"):
        draw(result)
