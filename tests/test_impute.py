"""Imputation end to end on a snapshot simulated with known utilisation."""

import math

import numpy as np
import pandas as pd
import pytest

from lca_bayes import run
from lca_bayes.catalog import resolve_hardware
from lca_bayes.impute import hardware_candidates
from lca_bayes.cli import main

MFU = dict(num_warmup=300, num_samples=300, num_chains=2)
HEADER = ["Model", "Publication date", "Training hardware", "Hardware quantity", "Training time (hours)",
          "Country (of organization)", "Training compute (FLOP)", "Organization categorization",
          "Numerical format"]


@pytest.fixture(scope="module")
def simulated(tmp_path_factory):
    """40 complete rows with MFU ~ logit-normal(-1, 0.3), 5 without count/time, 2 without hardware."""
    rng = np.random.default_rng(7)
    a100 = resolve_hardware("NVIDIA A100 SXM4 80 GB")
    rows, truth = [], {}
    for i in range(47):
        year = 2021 + (i % 3)
        n, hours = int(rng.integers(8, 2048)), float(rng.uniform(24, 2000))
        mfu = 1 / (1 + math.exp(-(-1.0 + 0.3 * rng.standard_normal())))
        compute = n * a100.peak_tensor_flops * hours * 3600 * mfu
        hw, n_cell, h_cell = "NVIDIA A100 SXM4 80 GB", str(n), f"{hours:.3f}"
        if 40 <= i < 45:
            n_cell = h_cell = ""
        elif i >= 45:
            hw = n_cell = ""
        truth[f"m{i}"] = n * hours
        rows.append([f"m{i}", f"{year}-06-01", hw, n_cell, h_cell, "France", f"{compute:.6e}",
                     "Industry", "BF16"])
    rows.append(["nocompute", "2022-01-01", "NVIDIA A100 SXM4 80 GB", "", "100", "France", "", "Industry", ""])
    path = tmp_path_factory.mktemp("sim") / "epoch.csv"
    pd.DataFrame(rows, columns=HEADER).to_csv(path, index=False)
    res = run(path, num_samples=2000, seed=0, mfu_settings=MFU)
    return res, truth


def test_imputed_fields_are_listed_and_the_rest_skipped_with_reasons(simulated):
    res, _ = simulated
    s = res.snapshot.systems.set_index("system")
    assert len(s) == 47
    assert s.loc["m0", "imputed"] == ""
    assert s.loc["m41", "imputed"] == "hardware_quantity,training_time"
    assert s.loc["m46", "imputed"] == "hardware,hardware_quantity"
    assert res.skipped.set_index("system").loc["nocompute", "reason"].startswith(
        "missing or non-positive 'Training compute (FLOP)'")
    imp = res.impacts.set_index("system")
    assert imp.loc["m41", "imputed"].iloc[0] == "hardware_quantity,training_time"
    assert res.settings["systems_imputed"] == 7


def test_imputed_gpu_hours_follow_compute_over_peak_times_mfu(simulated):
    res, truth = simulated
    a100 = resolve_hardware("NVIDIA A100 SXM4 80 GB")
    ii = res.imputed_inputs.set_index("system")
    for name in ("m40", "m41", "m42", "m43", "m44"):
        compute = res.snapshot.systems.set_index("system").loc[name, "compute_flop"]
        expected = compute / (a100.peak_tensor_flops * ii.loc[name, "mfu_median"] * 3600)
        assert ii.loc[name, "gpu_hours_median"] == pytest.approx(expected, rel=0.02)
    # the 90 % intervals hold the true GPU-hours for most of the 7 imputed systems
    covered = [(ii.loc[n, "gpu_hours_q05"] <= truth[n] <= ii.loc[n, "gpu_hours_q95"]) for n in ii.index]
    assert sum(covered) >= 5
    # wider than a complete row's GPU-hours (a constant)
    gh = res.propagation.parameter_draws["gpu_hours"]
    assert np.ptp(gh[:, 0]) == 0 and np.ptp(gh[:, 41]) > 0


def test_missing_hardware_is_a_mixture_of_period_peers():
    pool = pd.DataFrame({"year": [2015.0, 2022.0, 2022.5, 2023.0], "org": ["industry"] * 4,
                         "hardware": [resolve_hardware(h) for h in ("NVIDIA Tesla K80", "NVIDIA A100",
                                                                     "NVIDIA A100", "NVIDIA H100 SXM5 80GB")],
                         "weight": [1.0, 1.0, 1.0, 1.0]})
    specs, weights = hardware_candidates(2022.4, "industry", pool, min_candidates=2)
    assert [s.name for s in specs] == ["NVIDIA A100", "NVIDIA H100 SXM5 80GB"] and weights == [2.0, 1.0]


def test_no_impute_keeps_complete_rows(tmp_path, capsys, simulated):
    src = simulated[0].snapshot.path
    assert main(["run", "--data", str(src), "--no-impute", "--samples", "200", "--quiet",
                 "--out", str(tmp_path)]) == 0
    assert "40 systems estimated" in capsys.readouterr().out
    assert not (tmp_path / "mfu_ppc.png").exists()


def _moments(dist, log10=False):
    """Mean and variance of a prior (or of its log10) by the midpoint rule on its quantile function."""
    u = (np.arange(200_000) + 0.5) / 200_000
    x = np.asarray(dist.icdf(u), np.float64)
    x = np.log10(x) if log10 else x
    return x.mean(), x.var()


def test_run_sobol_matches_closed_forms(simulated):
    from lca_bayes.sensitivity_run import sensitivity_of_run

    res, _ = simulated
    r = sensitivity_of_run(res, num_base=2**12)
    table = r.systems.set_index(["system", "output", "input"])
    par = res.propagation.priors.parameters
    # one complete row: energy = c * pf * ho * pue with independent factors, so
    # S1_pf = Var(pf) E[ho]^2 E[pue]^2 / Var(Y) and ST_pf = Var(pf) E[ho^2] E[pue^2] / Var(Y)
    m = {n: _moments(par[n].dist) for n in ("power_fraction", "host_overhead", "pue")}
    second = {n: v + mu**2 for n, (mu, v) in m.items()}
    var_y = np.prod(list(second.values())) - np.prod([mu for mu, _ in m.values()]) ** 2
    for n in m:
        others = [k for k in m if k != n]
        s1 = m[n][1] * np.prod([m[k][0] ** 2 for k in others]) / var_y
        st = m[n][1] * np.prod([second[k] for k in others]) / var_y
        row = table.loc[("m0", "energy_kwh", n)]
        assert row["S1"] == pytest.approx(s1, abs=max(0.03, 2 * row["S1_conf"]))
        assert row["ST"] == pytest.approx(st, abs=max(0.03, 2 * row["ST_conf"]))
    # a complete row's GPU-hours are known: no variance from utilisation; an imputed row's are not
    assert table.loc[("m0", "energy_kwh", "mfu"), "ST"] == pytest.approx(0, abs=1e-6)
    assert table.loc[("m41", "energy_kwh", "mfu"), "ST"] > 0.3
    assert table.loc[("m41", "energy_kwh", "grid_gwp_kgco2e"), "ST"] == pytest.approx(0, abs=1e-6)
    # the log10 energy slope is a weighted sum of independent log10 terms (additive: S1 = ST), and
    # every system has the same weight vector, so the power-draw indices are in the ratio of the
    # priors' log10 variances
    agg = r.aggregates.to_df().set_index(["output", "input"])
    slope = agg.loc["energy_kwh log10 slope"]
    lv = {n: _moments(par[n].dist, log10=True)[1] for n in m}
    ratio = slope.loc["power_fraction", "S1"] / slope.loc["pue", "S1"]
    assert ratio == pytest.approx(lv["power_fraction"] / lv["pue"], rel=0.25)
    assert (np.abs(slope["S1"] - slope["ST"]) < 0.05).all()
    assert slope.loc["lifetime_years", "ST"] == pytest.approx(0, abs=1e-6)
    # year totals of energy do not move with the grid either; names carry the year
    assert agg.loc[("energy_kwh log10 total 2022", "grid_gwp_kgco2e"), "ST"] == pytest.approx(0, abs=1e-6)


def test_run_sobol_cli(tmp_path, capsys, simulated):
    from lca_bayes.api import write_run

    run_dir = tmp_path / "run"
    write_run(simulated[0], run_dir)  # run.json keeps the small MFU settings for the rerun
    out = tmp_path / "sobol"
    assert main(["sensitivity", "--from-run", str(run_dir), "--samples", "256", "--grouped",
                 "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "log10 growth slope" in printed and "utilisation (MFU)" in printed
    agg = pd.read_csv(out / "sobol_aggregates.csv")
    assert {"gwp_kgco2e log10 slope", "gwp_kgco2e log10 total 2021"} <= set(agg["output"])
    assert (out / "fig5_sobol_slope.png").stat().st_size > 10000 and (out / "fig5_sobol_slope.pdf").is_file()
    assert "fig5_sobol_slope.png" in (out / "report.html").read_text()
    # a folder that is not a run is refused clearly (exit 2), not with a traceback
    assert main(["sensitivity", "--from-run", str(tmp_path / "nowhere")]) == 2
    assert "not a `lca-bayes run` output folder" in capsys.readouterr().err
