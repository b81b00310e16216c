"""Growth regression: calibrated coverage on simulated data, closed forms, bad input, scenarios."""

import math

import jax
import numpy as np
import pandas as pd
import pytest

from lca_bayes import InvalidInputError, run
from lca_bayes import scenarios as sc
from lca_bayes.cli import main
from lca_bayes.growth import fit_growth, growth_from_table, slope_summary
from lca_bayes.propagate import OUTPUTS

FAST = dict(num_warmup=300, num_samples=300, num_chains=2)


def test_slope_summary_closed_forms():
    slope = np.full(1000, 0.30103)  # log10(2): doubling every year
    s = slope_summary(slope)
    assert s["growth_factor_median"] == pytest.approx(2.0, rel=1e-4)
    assert s["doubling_time_years_median"] == pytest.approx(1.0, rel=1e-4)
    assert s["p_growth_positive"] == 1.0
    mixed = slope_summary(np.linspace(-0.1, 0.3, 1001))
    assert mixed["doubling_time_years_q95"] == math.inf and 0.2 < mixed["p_growth_positive"] < 0.8
    shrinking = slope_summary(np.full(10, -math.log10(2) / 2))
    assert shrinking["doubling_time_years_median"] == pytest.approx(-2.0)  # halving every 2 years


def test_intervals_cover_known_slopes_at_the_nominal_rate():
    # 10 simulated datasets of 3 groups x 20 systems, Student-t noise, known group slopes; each
    # fitted on its own: the 90 % intervals must hold the truth for about 90 % of the 40 slopes
    rng = np.random.default_rng(3)
    truths, datasets = {}, {}
    group = np.repeat(np.arange(3), 20)
    year = rng.uniform(2013, 2026, 60)
    for k in range(10):
        slopes = rng.normal(0.35, 0.1, 3)
        y = 2.0 + slopes[group] * (year - 2020) + 0.4 * rng.standard_t(5, 60)
        datasets[f"sim{k}"] = y[None]
        truths[f"sim{k}"] = np.append(slopes, np.bincount(group) @ slopes / 60)
    fits = fit_growth(jax.random.key(0), year, group, datasets, groups=("a", "b", "c"), **FAST)
    covered, band_covered = [], []
    for name, fit in fits.items():
        draws = np.column_stack([fit.group_slope, fit.slope])
        lo, hi = np.quantile(draws, [0.05, 0.95], axis=0)
        covered += list((lo <= truths[name]) & (truths[name] <= hi))
        # the 90 % band of each group's fitted line holds the true line 10^(2 + b_g (t - 2020))
        bands = fit.trend_bands([2015.0, 2020.0, 2025.0]).set_index(["group", "year"])
        for g, gname in enumerate("abc"):
            for t in (2015.0, 2020.0, 2025.0):
                line = 10 ** (2.0 + truths[name][g] * (t - 2020))
                band_covered.append(bands.loc[(gname, t), "q05"] <= line <= bands.loc[(gname, t), "q95"])
        assert (bands["q25"] <= bands["median"]).all() and (bands["median"] <= bands["q75"]).all()
    assert 0.75 <= np.mean(covered) <= 1.0, np.mean(covered)
    assert 0.75 <= np.mean(band_covered) <= 1.0, np.mean(band_covered)


@pytest.mark.parametrize("rows,message", [
    ([("2015-01-01", 10, "a"), ("2016-01-01", 20, "a"), ("2017-01-01", 40, "a"), ("2018-01-01", 80, "b")],
     "groups with fewer than 3 points: 'b' (rows 5)"),
    ([("2015-01-01", 10, "a"), ("2016-01-01", -2, "a"), ("2017-01-01", 0, "a")],
     "values must be positive numbers: row 3 ('-2'), row 4 ('0')"),
    ([("2015-01-01", 10, "a"), ("last spring", 20, "a"), ("2017-01-01", 40, "a")],
     "not a date (ISO date or decimal year): row 3 ('last spring')"),
])
def test_bad_tables_name_the_rows(rows, message):
    table = pd.DataFrame(rows, columns=["date", "value", "group"])
    with pytest.raises(InvalidInputError) as err:
        growth_from_table(table, date_col="date", value_col="value", group_col="group")
    assert message in str(err.value)


def test_table_cli_writes_growth_csv(tmp_path, capsys):
    years = np.arange(2013, 2025)
    table = pd.DataFrame({"date": [f"{y}-07-01" for y in years], "kwh": 3.0 ** (years - 2013),
                          "lab": ["x", "y"] * 6})
    table.to_csv(tmp_path / "t.csv", index=False)
    code = main(["growth", "--input", str(tmp_path / "t.csv"), "--date-col", "date", "--value-col", "kwh",
                 "--group-col", "lab", "--out", str(tmp_path / "g"), "--allow-poor-convergence"])
    assert code == 0
    g = pd.read_csv(tmp_path / "g" / "growth.csv")
    assert list(g.columns) == ["criterion", "group", "growth_factor_median", "growth_factor_q05",
                               "growth_factor_q95", "doubling_time_years_median", "doubling_time_years_q05",
                               "doubling_time_years_q95", "p_growth_positive"]
    assert set(g["group"]) == {"all", "x", "y"} and (g["criterion"] == "value").all()
    all_row = g[g.group == "all"].iloc[0]
    assert all_row["growth_factor_q05"] < 3.0 < all_row["growth_factor_q95"]  # tripling each year
    assert "P(growth>0)" in capsys.readouterr().out


def test_scenarios_reproduce_the_baseline_when_nothing_changes(tmp_path):
    src = tmp_path / "epoch.csv"
    rows = ["Model,Publication date,Training hardware,Hardware quantity,Training time (hours),"
            "Country (of organization),Organization categorization"]
    for i in range(6):
        rows.append(f"m{i},{2016 + i}-03-01,NVIDIA V100,{8 * 2 ** i},100,France,Industry")
    src.write_text("\n".join(rows) + "\n")
    res = run(src, num_samples=300, seed=1)
    base = res.propagation.draws[:, :, OUTPUTS.index("gwp_kgco2e_total")]
    np.testing.assert_allclose(sc.location_shift(res, "FRA"), base, rtol=1e-6)  # already in France
    np.testing.assert_allclose(sc.grid_decline(res, 1.0), base, rtol=1e-6)
    declined = sc.grid_decline(res, 0.5)
    assert (declined < base).all()
    moved, count = sc.best_hardware(res)
    assert count == 0 and np.allclose(moved, base)  # no compute: hardware cannot be moved
