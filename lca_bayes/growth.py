"""Hierarchical growth regression of log10 impacts over time (numpyro, NUTS).

For system i in group g(i), published at decimal year t_i::

    log10 y_i ~ StudentT(ν, a_g + b_g · (t_i − t0), sqrt(σ² + s_i²))
    a_g = a + σ_a · z_a[g],   b_g = b + σ_b · z_b[g],   z ~ Normal(0, 1)   (non-centred)

with s_i an optional known measurement error (log10 scale). ``b_g`` are the group trends; the
population-level trend reported as group "all" is their system-weighted mean Σ n_g b_g / N
(the average trend of a system; it mixes well where the hyper-mean ``b`` of a handful of groups
does not). Growth factor = 10^slope per year, doubling time = log10(2) / slope years,
P(growth > 0) = P(slope > 0).

Uncertainty shared by all systems (a lifetime, a DRAM factor) moves every system together; it is
carried into the slope by multiple imputation ("cut" model): the regression is fitted on several
joint Monte Carlo draws of the impacts, each a plausible complete dataset, and the posteriors
are pooled. The regression never feeds back into the impact priors. Each joint draw already holds
the per-system Monte Carlo uncertainty, so no separate measurement error is added then (it would
count it twice); ``log10_sd`` is for tables of point estimates with known errors.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import partial

import jax
import jax.numpy as jnp
import numpy as np
import numpyro
import numpyro.distributions as dist
import pandas as pd
from numpyro.diagnostics import summary as numpyro_summary
from numpyro.infer import MCMC, NUTS

from .errors import InvalidInputError

LOG10_2 = math.log10(2.0)
GROWTH_COLUMNS = ["criterion", "group", "growth_factor_median", "growth_factor_q05",
                  "growth_factor_q95", "doubling_time_years_median", "doubling_time_years_q05",
                  "doubling_time_years_q95", "p_growth_positive"]
MIN_POINTS_PER_GROUP = 3


def growth_model(year, group, log10_value=None, log10_sd=None, *, num_groups: int,
                 year0: float = 2020.0, center=0.0, scale=1.0):
    """numpyro model of the module docstring for K independent blocks (datasets) at once.

    ``log10_value`` and ``log10_sd`` are (system, block); ``center``/``scale`` (block,) set
    weakly informative priors from each dataset's mean and spread.
    """
    center = jnp.asarray(center, dtype=jnp.float32)
    scale = jnp.asarray(scale, dtype=jnp.float32)
    with numpyro.plate("block", center.shape[0], dim=-1):
        intercept = numpyro.sample("intercept", dist.Normal(center, 3.0 * scale))
        slope = numpyro.sample("slope_per_year", dist.Normal(0.0, 1.0))
        sigma = numpyro.sample("sigma", dist.HalfNormal(scale))
        nu = 1.0 + numpyro.sample("nu_minus_one", dist.Gamma(2.0, 0.1))
        if num_groups == 1:  # no hierarchy to learn: one intercept and slope
            group_intercept = numpyro.deterministic("group_intercept", intercept[None])
            group_slope = numpyro.deterministic("group_slope_per_year", slope[None])
        else:
            sigma_intercept = numpyro.sample("sigma_intercept", dist.HalfNormal(scale))
            sigma_slope = numpyro.sample("sigma_slope", dist.HalfNormal(0.3))
            with numpyro.plate("group", num_groups, dim=-2):
                z_intercept = numpyro.sample("z_intercept", dist.Normal(0.0, 1.0))
                z_slope = numpyro.sample("z_slope", dist.Normal(0.0, 1.0))
            group_intercept = numpyro.deterministic("group_intercept", intercept + sigma_intercept * z_intercept)
            group_slope = numpyro.deterministic("group_slope_per_year", slope + sigma_slope * z_slope)
        mu = group_intercept[group] + group_slope[group] * (year - year0)[:, None]  # (system, block)
        noise = sigma if log10_sd is None else jnp.sqrt(sigma**2 + log10_sd**2)
        with numpyro.plate("system", year.shape[0], dim=-2):
            numpyro.sample("log10_value", dist.StudentT(nu, mu, noise), obs=log10_value)


@dataclass(frozen=True)
class GrowthFit:
    """Pooled posterior of the slopes over the imputations of one dataset, with diagnostics."""

    groups: tuple[str, ...]
    slope: np.ndarray            # (draws,) population slope, log10 per year
    group_slope: np.ndarray      # (draws, groups)
    diagnostics: pd.DataFrame    # parameter, ess_bulk (summed over imputations), r_hat (max)
    divergences: int
    num_imputations: int
    seconds: float = 0.0
    group_intercept: np.ndarray | None = None  # (draws, groups) log10 value at year0
    year0: float = 2020.0
    weights: np.ndarray | None = None  # (groups,) system shares: "all" = weighted mean of groups

    def trend_bands(self, years, probs=(0.05, 0.25, 0.5, 0.75, 0.95)) -> pd.DataFrame:
        """Quantiles of the fitted line 10^(a_g + b_g (t − year0)) on ``years`` for "all" and each
        group: columns group, year, q05, q25, median, q75, q95 (the data's units)."""
        years = np.asarray(years, float)
        lines = self.group_intercept[:, :, None] + self.group_slope[:, :, None] * (years - self.year0)
        curves = {"all": np.einsum("g,dgt->dt", self.weights, lines)}
        curves.update({name: lines[:, g] for g, name in enumerate(self.groups) if name != "all"})
        names = ["q05", "q25", "median", "q75", "q95"]
        rows = []
        for name, c in curves.items():
            q = 10 ** np.quantile(c, probs, axis=0)
            rows.append(pd.DataFrame({"group": name, "year": years, **dict(zip(names, q))}))
        return pd.concat(rows, ignore_index=True)


def fit_growth(rng_key, year, group, datasets: dict, *, groups: tuple[str, ...], log10_sd=None,
               num_warmup: int = 400, num_samples: int = 400, num_chains: int = 2
               ) -> dict[str, GrowthFit]:
    """Fit ``growth_model`` on every dataset, its imputations as independent blocks, and pool.

    ``datasets`` maps a label (a criterion, a scenario) to log10 values of shape
    (imputations, systems); all share ``year`` and ``group`` (indices into ``groups``). The
    imputations of one dataset are independent blocks of one NUTS run (similar geometry, one
    vectorised gradient); one compiled sampler serves every dataset of the same shape. Chains
    run in parallel when JAX sees enough devices (``numpyro.set_host_device_count``). Per label:
    slopes pooled over imputations; r_hat over the chains of each imputation (max reported),
    bulk ESS summed over imputations.
    """
    import time

    year = np.asarray(year, float)
    year0 = float(np.round(np.mean(year)))
    group = np.asarray(group)
    weights = np.bincount(group, minlength=len(groups)) / len(group)  # trend of "all": system-weighted
    method = "parallel" if jax.local_device_count() >= num_chains else "vectorized"
    model = partial(growth_model, num_groups=len(groups), year0=year0)
    mcmc = MCMC(NUTS(model, target_accept_prob=0.95), num_warmup=num_warmup,
                num_samples=num_samples, num_chains=num_chains, chain_method=method,
                progress_bar=False, jit_model_args=True)  # data and prior centres are traced
    sd = None if log10_sd is None else np.asarray(log10_sd, float)
    fits = {}
    for j, (label, values) in enumerate(datasets.items()):
        Y = np.atleast_2d(np.asarray(values, float))  # (M, N)
        M = len(Y)
        start = time.perf_counter()
        mcmc.run(jax.random.fold_in(rng_key, j), jnp.asarray(year), jnp.asarray(group),
                 log10_value=jnp.asarray(Y.T),
                 log10_sd=None if sd is None else jnp.asarray(np.broadcast_to(sd, Y.shape).T),
                 center=jnp.asarray(Y.mean(axis=1)), scale=jnp.asarray(np.maximum(Y.std(axis=1), 0.1)),
                 extra_fields=("diverging",))
        g_draws = np.asarray(mcmc.get_samples(group_by_chain=True)["group_slope_per_year"])  # (c, d, G, M)
        stats = [numpyro_summary({"s": g_draws[..., m] @ weights, "g": g_draws[..., m]},
                                 prob=0.9, group_by_chain=True) for m in range(M)]
        rows = [{"parameter": "slope_per_year[all]", "ess_bulk": float(sum(st["s"]["n_eff"] for st in stats)),
                 "r_hat": float(max(st["s"]["r_hat"] for st in stats))}]
        for g, name in enumerate(groups):
            rows.append({"parameter": f"group_slope_per_year[{name}]",
                         "ess_bulk": float(sum(st["g"]["n_eff"][g] for st in stats)),
                         "r_hat": float(max(st["g"]["r_hat"][g] for st in stats))})
        pooled = np.moveaxis(g_draws, -1, 0).reshape(-1, len(groups))  # (M*c*d, G)
        a_draws = np.asarray(mcmc.get_samples(group_by_chain=True)["group_intercept"])
        intercepts = np.moveaxis(a_draws, -1, 0).reshape(-1, len(groups))
        fits[label] = GrowthFit(tuple(groups), pooled @ weights, pooled, pd.DataFrame(rows),
                                int(np.asarray(mcmc.get_extra_fields()["diverging"]).sum()), M,
                                time.perf_counter() - start, intercepts, year0, weights)
    return fits


def _doubling_time(b: float) -> float:
    return LOG10_2 / b if b != 0 else math.inf


def slope_summary(slope: np.ndarray, ci_prob: float = 0.9) -> dict:
    """Growth factor, doubling time and P(growth > 0) from slope draws (log10 per year).

    Doubling-time bounds are those of the slope bounds: with slope interval [lo, hi] of one sign,
    [log10(2)/hi, log10(2)/lo] (negative: halving time); when it contains 0 the upper bound is
    ``inf`` (no growth is plausible).
    """
    lo, med, hi = np.quantile(slope, [(1 - ci_prob) / 2, 0.5, 1 - (1 - ci_prob) / 2])
    one_sign = lo > 0 or hi < 0
    return {"growth_factor_median": 10**med, "growth_factor_q05": 10**lo, "growth_factor_q95": 10**hi,
            "doubling_time_years_median": _doubling_time(med),
            "doubling_time_years_q05": _doubling_time(hi),
            "doubling_time_years_q95": _doubling_time(lo) if one_sign else math.inf,
            "p_growth_positive": float((slope > 0).mean())}


def growth_rows(criterion: str, fit: GrowthFit, ci_prob: float = 0.9) -> list[dict]:
    """Rows of ``growth.csv``: group "all" (population trend), then each group."""
    rows = [{"criterion": criterion, "group": "all", **slope_summary(fit.slope, ci_prob)}]
    if len(fit.groups) == 1:
        return rows
    for g, name in enumerate(fit.groups):
        rows.append({"criterion": criterion, "group": name, **slope_summary(fit.group_slope[:, g], ci_prob)})
    return rows


def _rows(values: pd.Series, bad) -> str:
    """'row N ('value'), ...' for the first ten offending rows (N: CSV line, header is 1)."""
    listed = ", ".join(f"row {i + 2} ({str(values.iloc[i])!r})" for i in bad[:10])
    return listed + (f" and {len(bad) - 10} more" if len(bad) > 10 else "")


def parse_years(values: pd.Series, column: str) -> np.ndarray:
    """Decimal years from ISO dates or numbers; errors name the rows that do not parse."""
    years = pd.to_numeric(values, errors="coerce").to_numpy(float, copy=True)
    text = values.astype(str).where(np.isnan(years))
    dates = pd.to_datetime(text, errors="coerce", format="ISO8601")
    fraction = (dates.dt.day_of_year - 1) / np.where(dates.dt.is_leap_year, 366.0, 365.0)
    years = np.where(np.isnan(years), (dates.dt.year + fraction).to_numpy(float), years)
    bad = np.flatnonzero(np.isnan(years) | (years < 1900) | (years > 2200))
    if len(bad):
        raise InvalidInputError(f"column '{column}': not a date (ISO date or decimal year): "
                                + _rows(values, bad))
    return years


def check_groups(group: pd.Series, column: str) -> None:
    """Every group needs at least ``MIN_POINTS_PER_GROUP`` points; errors name the rows."""
    counts = group.value_counts()
    small = counts[counts < MIN_POINTS_PER_GROUP]
    if not small.empty:
        parts = [f"{g!r} (rows {', '.join(str(i + 2) for i in np.flatnonzero(group.to_numpy() == g))})"
                 for g in small.index]
        raise InvalidInputError(f"column '{column}': groups with fewer than {MIN_POINTS_PER_GROUP} "
                                f"points: {'; '.join(parts)}")


def growth_from_table(table: pd.DataFrame, *, date_col: str, value_col: str,
                      log10_sd_col: str | None = None, group_col: str | None = None, seed: int = 0,
                      mcmc: dict | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Growth of any positive quantity over time: rows of ``growth.csv`` (criterion "value")
    and the fit's diagnostics. Errors name the offending rows (CSV line numbers)."""
    for col in (date_col, value_col, log10_sd_col, group_col):
        if col is not None and col not in table.columns:
            raise InvalidInputError(f"column {col!r} not in the table (columns: {list(table.columns)})")
    years = parse_years(table[date_col], date_col)
    values = pd.to_numeric(table[value_col], errors="coerce").to_numpy(float)
    bad = np.flatnonzero(~np.isfinite(values) | (values <= 0))
    if len(bad):
        raise InvalidInputError(f"column '{value_col}': values must be positive numbers: "
                                + _rows(table[value_col], bad))
    sd = None
    if log10_sd_col is not None:
        sd = pd.to_numeric(table[log10_sd_col], errors="coerce").to_numpy(float)
        bad = np.flatnonzero(~np.isfinite(sd) | (sd < 0))
        if len(bad):
            raise InvalidInputError(f"column '{log10_sd_col}': log10 standard deviations must be "
                                    "non-negative numbers: " + _rows(table[log10_sd_col], bad))
    if group_col is None:
        labels = pd.Series(["all"] * len(table))
    else:
        labels = table[group_col].astype(str).reset_index(drop=True)
        check_groups(labels, group_col)
    if len(table) < MIN_POINTS_PER_GROUP:
        raise InvalidInputError(f"only {len(table)} rows: at least {MIN_POINTS_PER_GROUP} are needed")
    groups = tuple(sorted(labels.unique()))
    group = np.array([groups.index(x) for x in labels])
    fit = fit_growth(jax.random.key(seed), years, group, {"value": np.log10(values)[None]},
                     groups=groups, log10_sd=sd, **(mcmc or {}))["value"]
    diag = fit.diagnostics.assign(fit="value", divergences=fit.divergences)
    return pd.DataFrame(growth_rows("value", fit), columns=GROWTH_COLUMNS), diag
