"""Benchmark: the growth model in numpyro against the same model in PyMC, on the real data.

Fits the hierarchical Student-t growth regression of ``lca_bayes.growth`` to one joint draw of
GWP total of the embedded run (systems grouped by organisation type) with both libraries, same
priors, 2 chains × (1000 warm-up + 1000 draws), target acceptance 0.95, and prints wall time,
the minimum effective sample size of the reported slopes (group slopes and their system-weighted
mean; numpyro's ESS estimator on both sides) and ESS per second, as a ratio. Also times the
whole `lca-bayes growth` on the embedded data. PyMC is a benchmark-only dependency
(``pip install pymc``).

    python benchmarks/bench_growth.py [--skip-cli]
"""

from __future__ import annotations

import numpyro

numpyro.set_host_device_count(2)  # numpyro chains in parallel on 2 virtual CPU devices

import argparse  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402

import jax  # noqa: E402
import numpy as np  # noqa: E402
from numpyro.diagnostics import effective_sample_size  # noqa: E402

from lca_bayes import run  # noqa: E402
from lca_bayes.growth import fit_growth  # noqa: E402
from lca_bayes.propagate import OUTPUTS  # noqa: E402
from lca_bayes.trends import system_groups  # noqa: E402

WARMUP, DRAWS, CHAINS = 1000, 1000, 2


def data():
    res = run(num_samples=200, seed=0)
    s = res.snapshot.systems
    group, groups = system_groups(s, "organization_type")
    y = np.log10(res.propagation.draws[0, :, OUTPUTS.index("gwp_kgco2e_total")].astype(float))
    return s["year"].to_numpy(float), group, groups, y


def min_ess(group_slopes: np.ndarray, weights: np.ndarray) -> float:
    """group_slopes (chain, draw, group): min ESS over the group slopes and their weighted mean."""
    ess = [effective_sample_size(group_slopes[..., g]) for g in range(group_slopes.shape[-1])]
    ess.append(effective_sample_size(group_slopes @ weights))
    return float(np.min(ess))


def pymc_fit(year, group, groups, y):
    import pymc as pm

    year0, center, scale = float(np.round(year.mean())), float(y.mean()), float(max(y.std(), 0.1))
    with pm.Model():
        intercept = pm.Normal("intercept", center, 3 * scale)
        slope = pm.Normal("slope_per_year", 0.0, 1.0)
        sigma = pm.HalfNormal("sigma", scale)
        nu = 1.0 + pm.Gamma("nu_minus_one", 2.0, 0.1)
        sigma_intercept = pm.HalfNormal("sigma_intercept", scale)
        sigma_slope = pm.HalfNormal("sigma_slope", 0.3)
        z_intercept = pm.Normal("z_intercept", 0.0, 1.0, shape=len(groups))
        z_slope = pm.Normal("z_slope", 0.0, 1.0, shape=len(groups))
        group_slope = pm.Deterministic("group_slope_per_year", slope + sigma_slope * z_slope)
        mu = (intercept + sigma_intercept * z_intercept)[group] + group_slope[group] * (year - year0)
        pm.StudentT("log10_value", nu=nu, mu=mu, sigma=sigma, observed=y)
        start = time.perf_counter()
        idata = pm.sample(draws=DRAWS, tune=WARMUP, chains=CHAINS, cores=CHAINS, random_seed=0,
                          target_accept=0.95, progressbar=False, compute_convergence_checks=False)
        seconds = time.perf_counter() - start
    return np.asarray(idata.posterior["group_slope_per_year"]), seconds


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--skip-cli", action="store_true", help="do not time `lca-bayes growth`")
    args = ap.parse_args(argv)
    year, group, groups, y = data()
    weights = np.bincount(group, minlength=len(groups)) / len(group)
    print(f"data: {len(y)} systems, groups {groups}; {CHAINS} chains x ({WARMUP} warm-up + {DRAWS} draws)")
    start = time.perf_counter()
    fit = fit_growth(jax.random.key(0), year, group, {"gwp": y[None]}, groups=groups,
                     num_warmup=WARMUP, num_samples=DRAWS, num_chains=CHAINS)["gwp"]
    t_np = time.perf_counter() - start
    ess_np = min_ess(fit.group_slope.reshape(CHAINS, DRAWS, -1), weights)
    draws_pm, t_pm = pymc_fit(year, group, groups, y)
    ess_pm = min_ess(draws_pm, weights)
    print(f"  numpyro: {t_np:6.1f} s (compilation included), min ESS {ess_np:6.0f}, {ess_np / t_np:6.1f} ESS/s")
    print(f"  PyMC:    {t_pm:6.1f} s (pm.sample, compilation before it), min ESS {ess_pm:6.0f}, {ess_pm / t_pm:6.1f} ESS/s")
    print(f"  ratio numpyro / PyMC in ESS per second: {(ess_np / t_np) / (ess_pm / t_pm):.2f}x")
    if not args.skip_cli:
        with tempfile.TemporaryDirectory() as out:
            start = time.perf_counter()
            subprocess.run([sys.executable, "-m", "lca_bayes.cli", "growth", "--out", out],
                           check=True, capture_output=True)
            print(f"lca-bayes growth on the embedded data: {time.perf_counter() - start:.0f} s")


if __name__ == "__main__":
    main()
