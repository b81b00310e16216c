"""The MFU model: precision rule, recovery of known parameters, held-out calibration."""


import jax
import numpy as np

from lca_bayes.catalog import HardwareSpec, resolve_hardware
from lca_bayes.data import load_snapshot
from lca_bayes.utilisation import (GENERATIONS, ORG_TYPES, MfuData, fit_mfu, heldout_time_coverage,
                                   mfu_observations, org_type, predict_mfu, uses_tensor_peak)

FIT = dict(num_warmup=300, num_samples=300, num_chains=2)


def test_precision_rule():
    tpu = resolve_hardware("Google TPU v3")
    v100 = resolve_hardware("NVIDIA V100")
    assert uses_tensor_peak("FP32", 2023.0) is False and uses_tensor_peak("TF32", 2023.0) is False
    assert uses_tensor_peak("BF16", 2017.5) is True and uses_tensor_peak("FP8", 2024.0) is True
    assert uses_tensor_peak("", 2018.5, v100) is False and uses_tensor_peak("", 2019.2, v100) is True
    assert uses_tensor_peak("", 2018.0, tpu) is True  # TPUs train in bf16
    assert v100.peak_flops(True) == v100.peak_tensor_flops > v100.peak_flops(False) == v100.peak_fp32_flops
    only_fp32 = HardwareSpec("x", 1.0, 1.0, 1.0, peak_fp32_flops=1e13)
    assert only_fp32.peak_flops(True) == 1e13  # the other peak when one is missing
    assert org_type("Industry,Academia") == "industry_academia" and org_type("") == "other"


def _simulate(rng, n, intercept, slope, sigma):
    year = rng.uniform(2014, 2026, n)
    gen = rng.integers(0, len(GENERATIONS), n)
    org = rng.integers(0, len(ORG_TYPES), n)
    logit = intercept + slope * (year - 2020) + sigma * rng.standard_normal(n)
    return MfuData(tuple(f"s{i}" for i in range(n)), logit, year, gen, org, np.zeros(n, bool))


def test_fit_recovers_known_intercept_and_slope():
    truth = dict(intercept=-0.9, slope=0.08, sigma=0.4)
    data = _simulate(np.random.default_rng(1), 200, **truth)
    fit = fit_mfu(jax.random.key(0), data, **FIT)
    assert fit.diagnostics["r_hat"].max() < 1.05
    for site, value in (("intercept", truth["intercept"]), ("slope_per_year", truth["slope"]),
                        ("sigma_computed", truth["sigma"])):
        lo, hi = np.quantile(fit.samples[site], [0.05, 0.95])
        assert lo < value < hi, (site, lo, hi)
    # an unknown generation (-1) predicts a wider MFU distribution than a known one
    known = predict_mfu(jax.random.key(1), fit, [2022.0], [2], [0], 4000)
    unknown = predict_mfu(jax.random.key(1), fit, [2022.0], [-1], [0], 4000)
    assert np.log(unknown / (1 - unknown)).std() >= np.log(known / (1 - known)).std() * 0.99
    assert ((known > 0) & (known < 1)).all()


def test_observations_exclude_inconsistent_rows_with_reasons():
    snap = load_snapshot(impute=True)
    data = mfu_observations(snap.systems, snap.specs)
    assert len(data.logit_mfu) > 120 and data.reported.sum() > 20
    assert ((data.mfu > 0) & (data.mfu < 1)).all()
    assert data.excluded["reason"].str.contains("outside|several hardware|no peak").all()


def test_heldout_training_times_are_calibrated():
    # hide the training time of each complete row (5 folds), refit, and check that the 90 %
    # predictive interval holds the true time for about 90 % of rows (binomial sd ~0.03 here)
    snap = load_snapshot(impute=True)
    data = mfu_observations(snap.systems, snap.specs)
    res = heldout_time_coverage(jax.random.key(0), data, folds=5, **FIT)
    assert len(res) == (~data.reported).sum() > 100
    coverage = res["covered"].mean()
    assert 0.80 <= coverage <= 0.97, coverage
    # the time interval holds the truth exactly when the MFU interval does
    assert ((res["time_ratio_q05"] <= 1) & (1 <= res["time_ratio_q95"])).eq(res["covered"]).all()
