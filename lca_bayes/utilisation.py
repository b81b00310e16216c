"""Hierarchical model of hardware utilisation (MFU) in numpyro, fitted on Epoch's complete rows.

MFU = compute / (count × peak FLOP/s × seconds). For system i::

    logit(MFU_i) = intercept + slope_per_year · (year_i − 2020)
                   + generation_effect[g_i] + org_effect[o_i] + ε_i,
    ε_i ~ StudentT(ν, 0, σ_computed)   (σ_reported for Epoch's own MFU column), ν − 1 ~ Gamma(2, 0.1),
    generation_effect ~ Normal(0, σ_generation), org_effect ~ Normal(0, σ_org)   (non-centred).

Epoch's "Hardware utilization (MFU)" values enter as extra observations of the same linear
predictor with their own scale. The posterior predictive of a new system's MFU imputes missing
training times or GPU counts (``lca_bayes.impute``).

Precision rule (which peak a MFU refers to): Epoch's "Numerical format" when given (FP32/TF32 →
FP32 peak; FP16, BF16, FP8, … → the BF16/FP16 tensor peak); otherwise the tensor peak from
publication year 2019 on (mixed precision became the default with Volta-era frameworks) and for
TPUs always, the FP32 peak before. A missing peak falls back to the other one.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field

import jax
import jax.numpy as jnp
import numpy as np
import numpyro
import numpyro.distributions as dist
import pandas as pd
from numpyro.diagnostics import summary as numpyro_summary
from numpyro.infer import MCMC, NUTS

from .catalog import HardwareSpec

GENERATIONS = ("nvidia_pre_volta", "nvidia_volta_turing", "nvidia_ampere", "nvidia_hopper_plus",
               "google_tpu", "other")
ORG_TYPES = ("industry", "academia", "industry_academia", "other")
YEAR0 = 2020.0
MFU_BOUNDS = (1e-4, 0.99)
FP32_FORMATS = {"FP32", "TF32", "FP64"}


def org_type(cell: str) -> str:
    """Epoch's "Organization categorization" (possibly a list) as one of ``ORG_TYPES``."""
    parts = {p.strip().casefold() for p in str(cell).split(",") if p.strip()}
    if parts == {"industry"}:
        return "industry"
    if parts == {"academia"}:
        return "academia"
    if {"industry", "academia"} <= parts:
        return "industry_academia"
    return "other"


def uses_tensor_peak(numerical_format: str, year: float, spec: HardwareSpec | None = None) -> bool:
    """The precision rule of the module docstring: True for the BF16/FP16 tensor peak."""
    fmt = str(numerical_format).strip().upper()
    if fmt and fmt != "UNKNOWN":
        return fmt not in FP32_FORMATS
    if spec is not None and spec.generation == "google_tpu":
        return True
    return not math.isnan(year) and year >= 2019


@dataclass(frozen=True)
class MfuData:
    """Observations of logit(MFU) with their covariates; ``excluded`` lists rows left out, why."""

    system: tuple[str, ...]
    logit_mfu: np.ndarray
    year: np.ndarray
    generation: np.ndarray
    org: np.ndarray
    reported: np.ndarray
    excluded: pd.DataFrame = field(repr=False, default=None)

    @property
    def mfu(self) -> np.ndarray:
        return 1.0 / (1.0 + np.exp(-self.logit_mfu))

    def subset(self, mask) -> "MfuData":
        mask = np.asarray(mask)
        return MfuData(tuple(np.asarray(self.system)[mask]), self.logit_mfu[mask], self.year[mask],
                       self.generation[mask], self.org[mask], self.reported[mask], self.excluded)


def mfu_observations(systems: pd.DataFrame, specs: list[list[HardwareSpec]]) -> MfuData:
    """MFU computed from rows with compute, one hardware type, count and time; plus Epoch's MFU."""
    rows, excluded = [], []
    for i, s in systems.reset_index(drop=True).iterrows():
        hw = specs[i]
        single = hw[0] if len(hw) == 1 else None
        gen = GENERATIONS.index(single.generation) if single else -1
        org = ORG_TYPES.index(org_type(s.get("organization_type", "")))
        if not (math.isnan(s["compute_flop"]) or math.isnan(s["n_gpu"]) or math.isnan(s["hours"])):
            if single is None:
                excluded.append((s["system"], "several hardware types: MFU ambiguous"))
            else:
                peak = single.peak_flops(uses_tensor_peak(s.get("numerical_format", ""), s["year"], single))
                if math.isnan(peak):
                    excluded.append((s["system"], f"no peak FLOP/s for {single.name}"))
                else:
                    mfu = s["compute_flop"] / (s["n_gpu"] * peak * s["hours"] * 3600.0)
                    if MFU_BOUNDS[0] < mfu < MFU_BOUNDS[1]:
                        rows.append((s["system"], math.log(mfu / (1 - mfu)), s["year"], gen, org, False))
                    else:
                        excluded.append((s["system"], f"computed MFU {mfu:.3g} outside {MFU_BOUNDS}"))
        reported = pd.to_numeric(s.get("mfu_reported", ""), errors="coerce")
        if not pd.isna(reported) and MFU_BOUNDS[0] < reported < MFU_BOUNDS[1] and single is not None:
            rows.append((s["system"], math.log(reported / (1 - reported)), s["year"], gen, org, True))
    arr = list(zip(*rows)) if rows else [()] * 6
    return MfuData(tuple(arr[0]), np.asarray(arr[1], float), np.asarray(arr[2], float),
                   np.asarray(arr[3], int), np.asarray(arr[4], int), np.asarray(arr[5], bool),
                   pd.DataFrame(excluded, columns=["system", "reason"]))


def mfu_model(year, generation, org, reported, logit_mfu=None, *, robust: bool = True,
              group_effects: bool = True):
    """numpyro model of logit(MFU) (see module docstring); sites named after quantities."""
    intercept = numpyro.sample("intercept", dist.Normal(-0.7, 1.0))  # logit(0.33): Epoch's median MFU
    slope = numpyro.sample("slope_per_year", dist.Normal(0.0, 0.2))
    mu = intercept + slope * (year - YEAR0)
    if group_effects:
        sigma_gen = numpyro.sample("sigma_generation", dist.HalfNormal(0.5))
        sigma_org = numpyro.sample("sigma_org", dist.HalfNormal(0.5))
        with numpyro.plate("generation", len(GENERATIONS)):
            z_gen = numpyro.sample("z_generation", dist.Normal(0.0, 1.0))
        with numpyro.plate("org_type", len(ORG_TYPES)):
            z_org = numpyro.sample("z_org", dist.Normal(0.0, 1.0))
        numpyro.deterministic("generation_effect", sigma_gen * z_gen)
        numpyro.deterministic("org_effect", sigma_org * z_org)
        mu = mu + sigma_gen * z_gen[generation] + sigma_org * z_org[org]
    sigma_computed = numpyro.sample("sigma_computed", dist.HalfNormal(1.0))
    sigma_reported = numpyro.sample("sigma_reported", dist.HalfNormal(0.5))
    sigma = jnp.where(reported, sigma_reported, sigma_computed)
    nu = 1.0 + numpyro.sample("nu_minus_one", dist.Gamma(2.0, 0.1)) if robust else None
    with numpyro.plate("system", len(year)):
        likelihood = dist.StudentT(nu, mu, sigma) if robust else dist.Normal(mu, sigma)
        numpyro.sample("logit_mfu", likelihood, obs=logit_mfu)


VARIANTS = {"full": {"robust": True, "group_effects": True},
            "no_groups": {"robust": True, "group_effects": False},
            "normal": {"robust": False, "group_effects": True}}


@dataclass(frozen=True)
class MfuFit:
    """Posterior draws (chains flattened) with convergence diagnostics."""

    variant: str
    samples: dict
    diagnostics: pd.DataFrame
    divergences: int
    seconds: float
    mcmc: MCMC = field(repr=False)

    @property
    def num_draws(self) -> int:
        return len(self.samples["intercept"])

    def min_ess_per_second(self) -> float:
        return float(self.diagnostics["ess_bulk"].min() / self.seconds)


def fit_mfu(rng_key, data: MfuData, *, variant: str = "full", num_warmup: int = 500,
            num_samples: int = 500, num_chains: int = 4) -> MfuFit:
    """NUTS fit of ``mfu_model`` (chains vectorised on one device); diagnostics per parameter."""
    if len(data.logit_mfu) < 10:
        raise ValueError(f"only {len(data.logit_mfu)} MFU observations: too few to fit the model")
    kernel = NUTS(mfu_model, target_accept_prob=0.95)
    mcmc = MCMC(kernel, num_warmup=num_warmup, num_samples=num_samples, num_chains=num_chains,
                chain_method="vectorized", progress_bar=False)
    start = time.perf_counter()
    mcmc.run(rng_key, jnp.asarray(data.year), jnp.asarray(data.generation), jnp.asarray(data.org),
             jnp.asarray(data.reported), jnp.asarray(data.logit_mfu), extra_fields=("diverging",),
             **VARIANTS[variant])
    grouped = mcmc.get_samples(group_by_chain=True)
    jax.block_until_ready(grouped)
    seconds = time.perf_counter() - start
    stats = numpyro_summary({k: np.asarray(v) for k, v in grouped.items() if not k.startswith("z_")},
                            prob=0.9, group_by_chain=True)
    rows = []
    for name, st in stats.items():
        for idx in np.ndindex(np.shape(st["mean"])):
            label = name if not idx else f"{name}[{_label(name, idx[0])}]"
            rows.append({"parameter": label, "mean": float(np.asarray(st["mean"])[idx]),
                         "sd": float(np.asarray(st["std"])[idx]),
                         "ess_bulk": float(np.asarray(st["n_eff"])[idx]),
                         "r_hat": float(np.asarray(st["r_hat"])[idx])})
    diverging = int(np.asarray(mcmc.get_extra_fields()["diverging"]).sum())
    samples = {k: np.asarray(v) for k, v in mcmc.get_samples().items()}
    return MfuFit(variant, samples, pd.DataFrame(rows), diverging, seconds, mcmc)


def _label(name: str, i: int) -> str:
    if name.startswith("generation"):
        return GENERATIONS[i]
    if name.startswith("org"):
        return ORG_TYPES[i]
    return str(i)


def predict_mfu(rng_key, fit: MfuFit, year, generation, org, num_draws: int) -> np.ndarray:
    """Posterior-predictive MFU of new systems, shape (system, draw).

    ``generation`` −1 marks an unknown or mixed generation: its effect is drawn from the
    population (Normal(0, σ_generation)). Each Monte Carlo draw uses one posterior draw (cycled
    after a seeded permutation) and a new residual at the scale of computed MFU. Draws are
    clipped to ``MFU_BOUNDS``, the range of the data (the Student-t tails reach further).
    """
    s = fit.samples
    k_perm, k_gen, k_eps = jax.random.split(rng_key, 3)
    idx = np.asarray(jax.random.permutation(k_perm, fit.num_draws))[np.arange(num_draws) % fit.num_draws]
    year = np.asarray(year, float)[:, None]
    generation = np.asarray(generation, int)[:, None]
    org = np.asarray(org, int)[:, None]
    mu = s["intercept"][idx][None] + s["slope_per_year"][idx][None] * (year - YEAR0)
    if "generation_effect" in s:
        gen_eff = s["generation_effect"][idx]  # (D, G)
        known = np.take_along_axis(gen_eff.T, np.clip(generation, 0, None).repeat(num_draws, 1), axis=0)
        new = s["sigma_generation"][idx][None] * np.asarray(jax.random.normal(k_gen, (len(year), num_draws)))
        mu = mu + np.where(generation >= 0, known, new)
        mu = mu + np.take_along_axis(s["org_effect"][idx].T, org.repeat(num_draws, 1), axis=0)
    sigma = s["sigma_computed"][idx][None]
    if "nu_minus_one" in s:
        nu = 1.0 + jnp.asarray(s["nu_minus_one"][idx])[None]
        eps = np.asarray(jax.random.t(k_eps, nu, (len(year), num_draws)))
    else:
        eps = np.asarray(jax.random.normal(k_eps, (len(year), num_draws)))
    mfu = 0.5 * (1.0 + np.tanh(0.5 * (mu + sigma * eps)))  # logistic, no overflow
    return np.clip(mfu, *MFU_BOUNDS).astype(np.float32)  # the range the model was fitted on


def heldout_time_coverage(rng_key, data: MfuData, *, folds: int = 5, ci_prob: float = 0.9,
                          num_draws: int = 2000, **fit_kwargs) -> pd.DataFrame:
    """K-fold check of imputed training times: hide each computed row's time, refit, predict.

    For a held-out row the predicted time is ``t · MFU_obs / MFU_pred`` (compute, count and peak
    known), so its interval covers the true time exactly when the predictive MFU interval covers
    the observed MFU. Epoch-reported MFU of held-out systems is removed from the training fold.
    Returns one row per held-out system: fold, observed MFU, predictive MFU interval, ``covered``.
    """
    computed = np.flatnonzero(~data.reported)
    k_perm, k_fit, k_pred = jax.random.split(rng_key, 3)
    order = computed[np.asarray(jax.random.permutation(k_perm, len(computed)))]
    lo_q, hi_q = (1 - ci_prob) / 2, 1 - (1 - ci_prob) / 2
    rows = []
    names = np.asarray(data.system)
    for f in range(folds):
        held = order[f::folds]
        train = ~np.isin(names, names[held])
        fit = fit_mfu(jax.random.fold_in(k_fit, f), data.subset(train), **fit_kwargs)
        pred = predict_mfu(jax.random.fold_in(k_pred, f), fit, data.year[held],
                           data.generation[held], data.org[held], num_draws)
        q = np.quantile(pred, [lo_q, 0.5, hi_q], axis=1)
        obs = data.mfu[held]
        for j, i in enumerate(held):
            rows.append({"system": names[i], "fold": f, "mfu": obs[j], "mfu_q05": q[0, j],
                         "mfu_median": q[1, j], "mfu_q95": q[2, j],
                         "time_ratio_q05": obs[j] / q[2, j], "time_ratio_q95": obs[j] / q[0, j],
                         "covered": bool(q[0, j] <= obs[j] <= q[2, j])})
    return pd.DataFrame(rows)
