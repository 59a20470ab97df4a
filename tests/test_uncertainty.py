"""Monte Carlo over factor and quantity spreads (klimafotavtrykk.uncertainty).

Expected values are worked out by hand from the lognormal distribution: with
median m and geometric standard deviation g, the p-th percentile is
m × g^z(p), z(2.5 %) = -1.959964, z(97.5 %) = +1.959964.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import klimafotavtrykk as kf
from klimafotavtrykk.errors import DataError, InputError
from klimafotavtrykk.factors import factor_table_from_frame
from klimafotavtrykk.uncertainty import (
    factor_gsd,
    factor_uncertainty_from_frame,
    fenton_wilkinson,
    load_factor_uncertainty,
    load_quantity_uncertainty,
    probability_lower,
    result_cells,
    sample_outputs,
    uncertainty,
)

DATA = Path(__file__).parents[1] / "data" / "uncertainty"
Z975 = 1.959964  # standard normal quantile at 97.5 %


def table(rows):
    """A factor table of per-kg rows: (factor_id, A1-A3 [kg CO2e/kg], dataset_type)."""
    return factor_table_from_frame(pd.DataFrame({
        "factor_id": [r[0] for r in rows], "declared_unit": "kg",
        "A1-A3": [r[1] for r in rows], "dataset_type": [r[2] for r in rows],
        "material_group": "test", "source": "hand example"}))


def lines(factors, quantities, parts):
    return pd.DataFrame({"factor_id": factors, "quantity": quantities, "unit": "kg",
                         "building_part": parts})


def spreads(**gsd_by_factor):
    return pd.DataFrame({"factor_id": list(gsd_by_factor), "dataset_type": "",
                         "gsd": list(gsd_by_factor.values()), "source": "test"})


ONE = table([("x", 2.0, "product_epd")])


def test_one_line_gives_the_analytic_percentiles():
    # 100 kg × 2.0 kg CO2e/kg = 200 kg CO2e, lognormal with median 200 and gsd 1.5:
    # ln 1.5 = 0.405465; × 1.959964 = 0.794697; exp(∓0.794697) = 0.451700 / 2.213851
    # p2.5 = 200 × 0.451700 = 90.34, p97.5 = 200 × 2.213851 = 442.77, p50 = 200
    result = kf.calculate(lines(["x"], [100.0], ["21"]), profile="en15978", factors=ONE)
    assert result.total == pytest.approx(200.0)
    u = uncertainty(result, n=200_000, seed=7, factor_uncertainty=spreads(x=1.5))
    assert u.total[2.5] == pytest.approx(90.34, rel=0.01)
    assert u.total[50.0] == pytest.approx(200.0, rel=0.01)
    assert u.total[97.5] == pytest.approx(442.77, rel=0.01)
    assert u.deterministic == pytest.approx(200.0)
    assert u.by_building_part.loc["21", 97.5] == pytest.approx(442.77, rel=0.01)
    assert u.by_module.loc["A1-A3", 2.5] == pytest.approx(90.34, rel=0.01)
    assert u.by_module.loc["D", 50.0] == 0.0


def test_lines_sharing_a_factor_move_together_and_other_factors_do_not():
    two = table([("x", 2.0, "product_epd"), ("y", 2.0, "product_epd")])
    shared = kf.calculate(lines(["x", "x"], [100.0, 50.0], ["21", "22"]), profile="en15978",
                          factors=two)
    apart = kf.calculate(lines(["x", "y"], [100.0, 50.0], ["21", "22"]), profile="en15978",
                         factors=two)
    for result, expected in ((shared, 1.0), (apart, 0.0)):
        cells = result_cells(result, factor_uncertainty=spreads(x=1.3, y=1.3))
        sigma = np.log(cells.factors["gsd"].to_numpy())
        samples = sample_outputs(cells.per_factor(), sigma, 20_000, np.random.default_rng(3))
        parts = cells.columns.get_level_values("level") == "building_part"
        a, b = samples[:, parts].T
        assert np.corrcoef(a, b)[0, 1] == pytest.approx(expected, abs=0.03)
    # perfectly correlated: part 22 (50 kg) is half of part 21 (100 kg) in every sample,
    # so its percentiles are half of part 21's
    u = uncertainty(shared, n=5_000, seed=1, factor_uncertainty=spreads(x=1.3))
    np.testing.assert_allclose(u.by_building_part.loc["22"], u.by_building_part.loc["21"] / 2)


def test_the_same_seed_gives_the_same_numbers():
    result = kf.calculate(lines(["x"], [100.0], ["21"]), profile="en15978", factors=ONE)
    a = uncertainty(result, n=500, seed=42)
    b = uncertainty(result, n=500, seed=42)
    c = uncertainty(result, n=500, seed=43)
    np.testing.assert_array_equal(a.samples, b.samples)
    pd.testing.assert_series_equal(a.total, b.total)
    assert not np.array_equal(a.samples, c.samples)
    # reading result.lines (which builds the per-line frame) keeps the arrays to sample
    assert len(result.lines) == 1
    np.testing.assert_array_equal(uncertainty(result, n=500, seed=42).samples, a.samples)


def test_dataset_type_and_group_choose_the_spread():
    shipped = load_factor_uncertainty()
    gsd = factor_gsd(["a", "b", "c", "d"], ["product_epd", "industry_epd", "generic", "generic"],
                     ["concrete", "", "steel", "concrete"], shipped)
    # product EPD 1.0289 < industry EPD 1.0915 < generic 1.1972 < generic concrete 1.2607
    assert gsd.tolist() == [1.0289, 1.0915, 1.1972, 1.2607]
    # a row for one factor id wins over its type and group
    own = pd.concat([shipped, factor_uncertainty_from_frame(spreads(d=1.05))], ignore_index=True)
    assert factor_gsd(["d"], ["generic"], ["concrete"], own).tolist() == [1.05]


def test_a_generic_shipped_factor_is_sampled_with_the_generic_spread():
    result = kf.calculate(pd.DataFrame({"factor_id": ["concrete_c30_37", "sawn_timber"],
                                        "quantity": [10.0, 2.0], "unit": "m3",
                                        "building_part": ["251", "231"]}), profile="tek17")
    cells = result_cells(result)
    found = cells.factors.set_index("factor_id")
    assert found.loc["concrete_c30_37", "gsd"] == 1.2607  # generic concrete row
    assert found.loc["sawn_timber", "gsd"] == 1.1972      # generic, any group
    assert found["kg_co2e"].sum() == pytest.approx(result.total)
    assert found.loc["concrete_c30_37", "source"] == "boverket-klimatdatabas-2025"


def test_quantity_spread_per_line_and_by_design_stage():
    # factor exact (gsd 1), quantity gsd 1.2: p97.5 = 200 × 1.2^1.959964
    # ln 1.2 = 0.182322; × 1.959964 = 0.357344; exp = 1.429514 -> 285.90; p2.5 = 200 / 1.429514 = 139.91
    frame = lines(["x"], [100.0], ["21"]).assign(quantity_gsd=1.2)
    result = kf.calculate(frame, profile="en15978", factors=ONE)
    u = uncertainty(result, n=200_000, seed=5, factor_uncertainty=spreads(x=1.0))
    assert u.quantity_spread
    assert u.total[97.5] == pytest.approx(285.90, rel=0.01)
    assert u.total[2.5] == pytest.approx(139.91, rel=0.01)
    # by stage: skisse has gsd 1.3463 (data/uncertainty/quantity_uncertainty.csv)
    # ln 1.3463 = 0.297400; × 1.959964 = 0.582893; exp = 1.791223 -> p97.5 = 358.24
    plain = kf.calculate(lines(["x"], [100.0], ["21"]), profile="en15978", factors=ONE)
    u = uncertainty(plain, n=200_000, seed=5, factor_uncertainty=spreads(x=1.0), design_stage="skisse")
    assert u.total[97.5] == pytest.approx(358.24, rel=0.01)
    # no stage and no column: quantities are exact, the factor alone spreads
    assert not uncertainty(plain, n=10, seed=1).quantity_spread


def test_fenton_wilkinson_matches_mean_and_variance():
    # two lines of weight 1 and 3, sigma 0.3 each, in one cell:
    # line mean exp(0.045) = 1.046028; cell mean (1 + 3) × 1.046028 / 4 = 1.046028
    # line variance exp(0.09) × (exp(0.09) - 1) = 1.094174 × 0.094174 = 0.103043
    # cell variance (1 + 9) × 0.103043 / 16 = 0.064402
    # s² = ln(1 + 0.064402 / 1.046028²) = ln(1.058860) = 0.057194; mu = ln(1.046028) - s²/2 = 0.016403
    mu, s = fenton_wilkinson(np.array([1.0, 3.0]), np.array([0.3, 0.3]), np.array([0, 0]), 1)
    assert s[0] ** 2 == pytest.approx(0.057194, rel=1e-4)
    assert mu[0] == pytest.approx(0.016403, rel=1e-3)


def test_probability_lower_counts_ties_as_half():
    # a < b in 1 of 4 samples, a == b in 1: (1 + 0.5) / 4 = 0.375
    assert probability_lower([1.0, 2.0, 3.0, 4.0], [2.0, 2.0, 2.0, 2.0]) == 0.375


def test_bad_spreads_and_stages_are_refused():
    with pytest.raises(DataError, match="gsd must be"):
        factor_uncertainty_from_frame(spreads(x=0.9))
    result = kf.calculate(lines(["x"], [100.0], ["21"]).assign(design_stage="ferdig"),
                          profile="en15978", factors=ONE)
    with pytest.raises(InputError, match="unknown design stage 'ferdig'"):
        uncertainty(result, n=10)
    with pytest.raises(InputError, match="whole number"):
        uncertainty(result, n=0)
    with pytest.raises(InputError, match="the seed must be a whole number") as info:
        uncertainty(kf.calculate(lines(["x"], [100.0], ["21"]), profile="en15978", factors=ONE),
                    n=10, seed="x")  # numpy's own TypeError before
    assert info.value.found == "'x'"
    built = kf.Assessment(lines=pd.DataFrame(), unmatched=pd.DataFrame(), by_module=result.by_module,
                          by_building_part=result.by_building_part, profile=result.profile,
                          coverage=result.coverage)
    with pytest.raises(InputError, match="no per-line arrays"):
        uncertainty(built, n=10)


def test_kf_uncertainty_is_callable_before_and_after_the_module_is_imported():
    result = kf.calculate(lines(["x"], [100.0], ["21"]), profile="en15978", factors=ONE)
    np.testing.assert_array_equal(kf.uncertainty(result, n=20, seed=2).samples,
                                  uncertainty(result, n=20, seed=2).samples)


# ------------------------------------------------------------------ data files


def read(name):
    return pd.read_csv(DATA / name, dtype=str, keep_default_na=False)


def test_factor_spreads_follow_their_stated_arithmetic():
    rows = read("factor_uncertainty.csv").set_index(["dataset_type", "material_group"])["gsd"]
    basic = (math.log(1.05) / 2) ** 2  # ecoinvent basic uncertainty 1.05, as a variance
    completeness = (math.log(1.03) / 2) ** 2
    technology = (math.log(1.18) / 2) ** 2
    geography = (math.log(1.08) / 2) ** 2
    p90 = 1.281552  # standard normal quantile at 90 %
    expected = {
        ("product_epd", ""): math.exp(math.sqrt(basic + completeness)),
        ("industry_epd", ""): math.exp(math.sqrt(basic + completeness + technology)),
        ("generic", ""): math.exp(math.sqrt((math.log(1.25) / p90) ** 2 + basic + geography)),
        ("generic", "concrete"): math.exp(math.sqrt((math.log(0.116 / 0.0867) / p90) ** 2
                                                    + basic + geography)),
    }
    assert set(rows.index) == set(expected)
    for key, value in expected.items():
        assert float(rows[key]) == pytest.approx(value, abs=6e-5), key


def test_quantity_spreads_follow_the_aace_ranges():
    rows = read("quantity_uncertainty.csv").set_index("design_stage")
    for stage, row in rows.iterrows():
        low, high = float(row["low_pct"]) / 100, float(row["high_pct"]) / 100
        expected = math.exp(math.log((1 + high) / (1 + low)) / (2 * 1.281552))
        assert float(row["gsd"]) == pytest.approx(expected, abs=6e-5), stage
    assert list(load_quantity_uncertainty().index) == ["skisse", "forprosjekt", "detaljprosjekt",
                                                       "bygget"]


# ------------------------------------------------------------------ alternatives


TWO = table([("x", 2.0, "product_epd"), ("y", 1.0, "product_epd"), ("z", 2.0, "product_epd")])


def test_compare_gives_the_probability_of_being_lower_than_the_reference():
    reference = lines(["x"], [100.0], ["21"])
    alternatives = {"ref": reference, "same": reference.copy(),
                    "half": lines(["x"], [50.0], ["21"]),
                    "other_factor": lines(["y"], [100.0], ["21"]),
                    "twin_factor": lines(["z"], [100.0], ["21"])}
    table_ = kf.compare(alternatives, "ref", profile="en15978", factors=TWO, uncertainty=True,
                        n_samples=100_000, seed=11, factor_uncertainty=spreads(x=1.3, y=1.3, z=1.3))
    p = table_.groupby("alternative", sort=False)["probability_lower"].first()
    assert np.isnan(p["ref"])
    # the same lines share every draw: each sample is a tie, counted one half
    assert p["same"] == 0.5
    # half the quantity of the same factor: lower in every sample
    assert p["half"] == 1.0
    # 100 kg of y (1.0, gsd 1.3) against 100 kg of x (2.0, gsd 1.3), drawn apart:
    # ln(Y/X) ~ N(ln 0.5, 2 ln(1.3)^2); sd = 0.262364 x 1.414214 = 0.371042;
    # P(Y < X) = Phi(0.693147 / 0.371042) = Phi(1.868100) = 0.969126
    assert p["other_factor"] == pytest.approx(0.969126, abs=0.005)
    # the same value and spread but another factor row: an even chance
    assert p["twin_factor"] == pytest.approx(0.5, abs=0.005)
    spread = table_.attrs["uncertainty"]
    assert list(spread) == list(alternatives)
    assert spread["half"].total[50.0] == pytest.approx(100.0, rel=0.01)


def test_one_alternative_alone_is_sampled_as_uncertainty_samples_it():
    result = kf.calculate(lines(["x", "y"], [100.0, 30.0], ["21", "22"]), profile="en15978",
                          factors=TWO)
    alone = kf.compare({"a": result}, uncertainty=True, n_samples=300, seed=9).attrs["uncertainty"]
    np.testing.assert_array_equal(alone["a"].samples, uncertainty(result, n=300, seed=9).samples)


# ------------------------------------------------------------------ age of the data


def test_old_data_widens_the_spread_by_the_pedigree_age_bins():
    # data of 2010 assessed in 2026: 16 years, score 5, factor 1.29: ln(1.29)/2 = 0.127321;
    # with gsd 1.5: sigma = sqrt(0.405465^2 + 0.127321^2) = sqrt(0.164402 + 0.016211) = 0.424986;
    # p97.5 = 200 x exp(1.959964 x 0.424986) = 200 x exp(0.832957) = 200 x 2.300120 = 460.02
    old = factor_table_from_frame(pd.DataFrame({
        "factor_id": ["x"], "declared_unit": "kg", "A1-A3": [2.0], "dataset_type": "product_epd",
        "data_year": [2010], "source": "hand example"}))
    result = kf.calculate(lines(["x"], [100.0], ["21"]), profile="en15978", factors=old)
    u = uncertainty(result, n=200_000, seed=7, factor_uncertainty=spreads(x=1.5), year=2026)
    assert u.factors.loc[0, "age_years"] == 16
    assert u.factors.loc[0, "gsd"] == pytest.approx(math.exp(0.424986), rel=1e-5)
    assert u.total[97.5] == pytest.approx(460.02, rel=0.01)
    # no year: no age term; a row of unknown age gets none either
    assert uncertainty(result, n=10, factor_uncertainty=spreads(x=1.5)).factors.loc[0, "gsd"] == 1.5
    young = kf.calculate(lines(["x"], [100.0], ["21"]), profile="en15978", factors=ONE)
    assert uncertainty(young, n=10, year=2026).factors.loc[0, "gsd"] == 1.0289


def test_shipped_rows_take_the_age_of_their_source():
    # Boverket 2025 assessed in 2026: 1 year, score 1, factor 1.00: the spread is unchanged;
    # NB 37 (2015) in 2026: 11 years, score 4, factor 1.19: ln(1.19)/2 = 0.086977;
    # generic concrete: sqrt(ln(1.2607)^2 + 0.086977^2) = sqrt(0.231666^2 + 0.007565) = 0.247455
    result = kf.calculate(pd.DataFrame({"factor_id": ["concrete_c30_37", "concrete_lowcarbon_b_b30"],
                                        "quantity": [10.0, 10.0], "unit": "m3",
                                        "building_part": ["251", "251"]}), profile="tek17")
    found = result_cells(result, year=2026).factors.set_index("factor_id")
    assert found.loc["concrete_c30_37", "age_years"] == 1
    assert found.loc["concrete_c30_37", "gsd"] == pytest.approx(1.2607)
    assert found.loc["concrete_lowcarbon_b_b30", "age_years"] == 11
    assert found.loc["concrete_lowcarbon_b_b30", "gsd"] == pytest.approx(math.exp(0.247455), rel=1e-5)


def test_operational_energy_is_sampled_by_the_performance_gap():
    # data/uncertainty/energy_uncertainty.csv: gsd 1.4838 (ln 1.4838 = 0.394579, worked in the
    # row from the review's +34 % ± 55 %); × 1.959964 = 0.773360; exp(∓0.773360) = 0.461443 /
    # 2.167115. The line (factor x at gsd 1) stays exact; B6 moves by its own multiplier.
    result = kf.calculate(lines(["x"], [100.0], ["21"]), profile="ns3720", factors=ONE,
                          operational_energy={"electricity": 10_000})
    b6 = float(result.by_module["B6"])
    assert b6 > 0
    u = uncertainty(result, n=200_000, seed=11, factor_uncertainty=spreads(x=1.0))
    assert u.by_module.loc["B6", 2.5] == pytest.approx(b6 * 0.461443, rel=0.01)
    assert u.by_module.loc["B6", 50.0] == pytest.approx(b6, rel=0.01)
    assert u.by_module.loc["B6", 97.5] == pytest.approx(b6 * 2.167115, rel=0.01)
    assert u.by_module.loc["A1-A3", 2.5] == pytest.approx(u.by_module.loc["A1-A3", 97.5])
    assert u.by_building_part.loc["operational_energy", 97.5] == pytest.approx(b6 * 2.167115, rel=0.01)
    row = u.factors.set_index("factor_id").loc["operational_energy"]
    assert row["gsd"] == pytest.approx(1.4838) and row["kg_co2e"] == pytest.approx(b6)
    assert row["source"] == "vandronkelaar-2016-performance-gap"
    # a spread of 1 given by the user: B6 is added as calculated again
    exact = uncertainty(result, n=1_000, seed=11, factor_uncertainty=spreads(x=1.0),
                        energy_uncertainty=pd.DataFrame({"contribution": ["operational_energy"],
                                                         "gsd": [1.0], "source": ["test"]}))
    assert exact.by_module.loc["B6", 2.5] == pytest.approx(b6)
    assert exact.by_module.loc["B6", 97.5] == pytest.approx(b6)


def test_alternatives_with_the_same_energy_use_share_its_draw():
    # two alternatives of one building: the same B6, other lines; B6 cancels in every sample
    from klimafotavtrykk.uncertainty import sample_together

    two = table([("x", 2.0, "product_epd"), ("y", 1.0, "product_epd")])
    a = kf.calculate(lines(["x"], [100.0], ["21"]), profile="ns3720", factors=two,
                     operational_energy={"electricity": 10_000})
    b = kf.calculate(lines(["y"], [100.0], ["21"]), profile="ns3720", factors=two,
                     operational_energy={"electricity": 10_000})
    u = sample_together({"a": a, "b": b}, n=2_000, seed=5, factor_uncertainty=spreads(x=1.0, y=1.0))
    # a's line is 200 kg, b's 100 kg, both exact: a - b = 100 in every sample
    assert np.allclose(u["a"].samples - u["b"].samples, 100.0)
    assert u["a"].samples.std() > 0
