"""Variance-based global sensitivity analysis (Sobol indices) on the JAX impact model.

SALib's data flow (problem → sample → evaluate → analyze), vectorised in JAX:

- sampling: two independent uniform matrices A, B (N × k) and, for each input or group g, AB_g
  = A with the columns of g taken from B (Saltelli et al. 2010);
- first-order index S1_g = mean(f(B) · (f(AB_g) − f(A))) / V (Saltelli et al. 2010), with f
  centred on the mean of all evaluations (as SALib),
  total index ST_g = mean((f(A) − f(AB_g))²) / (2V) (Jansen 1999), V = Var([f(A); f(B)]);
- confidence half-widths: ``z · sd`` over bootstrap resamples of the N rows (multinomial weights,
  one matrix product), z the normal quantile of ``conf_level``, as SALib reports them.

A constant output gives indices 0, not NaN.

References
----------
Saltelli et al. (2010), Comput. Phys. Commun. 181, 259–270, doi:10.1016/j.cpc.2009.09.018.
Jansen (1999), Comput. Phys. Commun. 117, 35–43, doi:10.1016/S0010-4655(98)00154-4.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache, partial
from statistics import NormalDist

import jax
import jax.numpy as jnp
import numpy as np
import pandas as pd


@dataclass(frozen=True)
class SobolResult:
    """Indices per group (rows) and output (columns of each array)."""

    names: tuple[str, ...]
    outputs: tuple[str, ...]
    S1: np.ndarray
    S1_conf: np.ndarray
    ST: np.ndarray
    ST_conf: np.ndarray

    def to_df(self) -> pd.DataFrame:
        """Long table: output, input, S1, S1_conf, ST, ST_conf."""
        rows = []
        for j, out in enumerate(self.outputs):
            for i, name in enumerate(self.names):
                rows.append({"output": out, "input": name, "S1": self.S1[i, j],
                             "S1_conf": self.S1_conf[i, j], "ST": self.ST[i, j],
                             "ST_conf": self.ST_conf[i, j]})
        return pd.DataFrame(rows)

    def select(self, outputs) -> SobolResult:
        """The indices of some outputs (positions)."""
        idx = list(outputs)
        return SobolResult(self.names, tuple(self.outputs[i] for i in idx), self.S1[:, idx],
                           self.S1_conf[:, idx], self.ST[:, idx], self.ST_conf[:, idx])

    def to_dict(self) -> dict:
        """``{output: {input: {"S1", "S1_conf", "ST", "ST_conf"}}}`` (what ``--json`` prints)."""
        return {out: {name: {"S1": float(self.S1[i, j]), "S1_conf": float(self.S1_conf[i, j]),
                             "ST": float(self.ST[i, j]), "ST_conf": float(self.ST_conf[i, j])}
                      for i, name in enumerate(self.names)}
                for j, out in enumerate(self.outputs)}


def saltelli_matrices(rng_key, num_base: int, num_inputs: int) -> tuple[jnp.ndarray, jnp.ndarray]:
    """Independent uniform matrices A and B, each (num_base, num_inputs), in (0, 1)."""
    k_a, k_b = jax.random.split(rng_key)
    lo, hi = 1e-6, 1.0 - 1e-6
    return (jax.random.uniform(k_a, (num_base, num_inputs), minval=lo, maxval=hi),
            jax.random.uniform(k_b, (num_base, num_inputs), minval=lo, maxval=hi))


def _mix(A, B, groups):
    """AB_g for every group: (G, N, k)."""
    k = A.shape[1]
    masks = np.zeros((len(groups), k), bool)
    for g, cols in enumerate(groups):
        masks[g, cols] = True
    return jnp.where(jnp.asarray(masks)[:, None, :], B[None], A[None])


@partial(jax.jit, static_argnames=("num_resamples",))
def _indices(fA, fB, fAB, rng_key, num_resamples: int):
    """Point estimates (row 0) and bootstrap replicates (rows 1..R) of S1 and ST: (R+1, G, m)."""
    N = fA.shape[0]
    # centre on the grand mean of all evaluations, as SALib does: the first-order estimator is not
    # shift-invariant in finite samples, and centring lowers its variance
    centre = (fA.sum(0) + fB.sum(0) + fAB.sum((0, 1))) / (N * (2 + fAB.shape[0]))
    fA, fB, fAB = fA - centre, fB - centre, fAB - centre
    rows = jax.random.randint(rng_key, (num_resamples, N), 0, N)
    counts = jnp.zeros((num_resamples, N), fA.dtype).at[jnp.arange(num_resamples)[:, None], rows].add(1.0)
    weights = jnp.concatenate([jnp.ones((1, N), fA.dtype), counts], axis=0) / N  # (R+1, N)

    def wmean(x):  # x (N, ...) -> (R+1, ...)
        return jnp.tensordot(weights, x, axes=(1, 0))

    mean = (wmean(fA) + wmean(fB)) / 2.0
    var = (wmean(fA**2) + wmean(fB**2)) / 2.0 - mean**2  # (R+1, m)
    d = fAB - fA[None]  # (G, N, m)
    first = wmean(jnp.moveaxis(fB[None] * d, 1, 0))  # (R+1, G, m)
    total = wmean(jnp.moveaxis(d**2, 1, 0)) / 2.0
    positive = var[:, None, :] > 0
    safe = jnp.where(positive, var[:, None, :], 1.0)
    return jnp.where(positive, first / safe, 0.0), jnp.where(positive, total / safe, 0.0)


def sobol_from_evaluations(fA, fB, fAB, rng_key, num_resamples: int = 100, conf_level: float = 0.95):
    """S1, ST and their confidence half-widths from f(A), f(B) (N, m) and f(AB) (G, N, m)."""
    S1, ST = _indices(jnp.asarray(fA), jnp.asarray(fB), jnp.asarray(fAB), rng_key, num_resamples)
    z = NormalDist().inv_cdf(0.5 + conf_level / 2.0)
    S1, ST = np.asarray(S1, np.float64), np.asarray(ST, np.float64)
    return S1[0], z * S1[1:].std(axis=0, ddof=1), ST[0], z * ST[1:].std(axis=0, ddof=1)


def sobol_indices(rng_key, model: Callable, num_inputs: int, *, num_base: int = 2**14,
                  groups: dict[str, list[int]] | None = None, outputs: tuple[str, ...] = ("y",),
                  input_names: tuple[str, ...] | None = None, num_resamples: int = 100,
                  conf_level: float = 0.95) -> SobolResult:
    """Sobol indices of ``model`` (uniforms (n, k) → outputs (n, m)) for each input or group."""
    if groups is None:
        names = input_names or tuple(f"x{i}" for i in range(num_inputs))
        groups = {name: [i] for i, name in enumerate(names)}
    k_sample, k_boot = jax.random.split(rng_key)
    A, B = saltelli_matrices(k_sample, num_base, num_inputs)
    AB = _mix(A, B, list(groups.values()))
    f = model if hasattr(model, "lower") else jax.jit(model)  # already compiled: keep its cache
    out = f(jnp.concatenate([A, B, AB.reshape(-1, num_inputs)], axis=0))  # one evaluation
    fA, fB = out[:num_base], out[num_base:2 * num_base]
    fAB = out[2 * num_base:].reshape(len(groups), num_base, -1)
    S1, S1c, ST, STc = sobol_from_evaluations(fA, fB, fAB, k_boot, num_resamples, conf_level)
    return SobolResult(tuple(groups), tuple(outputs), S1, S1c, ST, STc)


def ishigami(u, a: float = 7.0, b: float = 0.1):
    """Ishigami function on uniforms mapped to [−π, π]³: (n, 3) → (n, 1)."""
    x = -jnp.pi + 2 * jnp.pi * u
    return (jnp.sin(x[:, 0]) + a * jnp.sin(x[:, 1]) ** 2 + b * x[:, 2] ** 4 * jnp.sin(x[:, 0]))[:, None]


def ishigami_indices(a: float = 7.0, b: float = 0.1) -> tuple[np.ndarray, np.ndarray]:
    """Analytic first-order and total indices of the Ishigami function (Ishigami & Homma 1990)."""
    v1 = 0.5 * (1 + b * np.pi**4 / 5) ** 2
    v2 = a**2 / 8
    v13 = b**2 * np.pi**8 * (1 / 18 - 1 / 50)
    v = v1 + v2 + v13
    return np.array([v1, v2, 0.0]) / v, np.array([v1 + v13, v2, v13]) / v


OUTPUT_NAMES = ("energy_kwh", "gwp_kgco2e", "adpe_kgsbeq", "pe_mj")
INPUT_GROUPS = {
    "power draw (power_fraction, host_overhead, pue)": ("power_fraction", "host_overhead", "pue"),
    "lifetime and busy share": ("lifetime_years", "busy_share"),
    "embodied factors (die, base, DRAM, density)": ("die_factor_scale", "base_factor_scale",
                                                     "dram_factor_scale", "dram_density"),
    "grid factors": ("grid_gwp_kgco2e", "grid_adpe_kgsbeq", "grid_pe_mj"),
    "unknown hardware specs": ("tdp_w", "die_area_cm2", "memory_gb"),
}


def group_columns(columns: dict[str, list[int]], labels: dict[str, tuple]) -> dict[str, list[int]]:
    """Inputs of a grouped analysis: one per label of ``labels`` holding the columns of its
    members that are present, then each family of ``columns`` in no label on its own."""
    groups = {label: [i for m in members if m in columns for i in columns[m]]
              for label, members in labels.items()}
    groups = {g: c for g, c in groups.items() if c}
    used = {i for c in groups.values() for i in c}
    groups.update({n: c for n, c in columns.items() if not set(c) & used})
    return groups


def run_inputs(spec, country: str, priors, host_server: bool = False):
    """Uncertain inputs of one training run: name → Distribution (fixed ones left out), and
    the fixed values of the rest."""
    from .catalog import SPEC_FIELDS, grid_prior
    from .impacts import CRITERIA
    from .priors import Distribution

    uncertain, fixed = {}, {}
    for name, prior in priors.parameters.items():
        if name == "host_server_scale" and not host_server:
            continue
        (fixed if prior.dist.is_fixed else uncertain)[name] = (
            prior.dist.params["value"] if prior.dist.is_fixed else prior.dist)
    for crit in CRITERIA:
        g = grid_prior(country, crit, priors.grid)
        dist = Distribution("lognormal", {"median": g.median, "gsd": g.gsd})
        (fixed if g.gsd == 1.0 else uncertain)[f"grid_{crit}"] = g.median if g.gsd == 1.0 else dist
    for f in SPEC_FIELDS:
        value = getattr(spec, f)
        prior = priors.unknown_specs[f].dist
        if np.isnan(value):
            (fixed if prior.is_fixed else uncertain)[f] = prior.params["value"] if prior.is_fixed else prior
        else:
            fixed[f] = value
    return uncertain, fixed


def run_model(uncertain: dict, fixed: dict, gpu_hours: float, host_server: bool = False,
              gpus_per_server: float = 8.0, host_factors=None):
    """Model for ``sobol_indices``: uniforms (n, k) → energy and totals of GWP, ADPe, PE (n, 4)."""
    from .impacts import CRITERIA, training_impacts
    from .propagate import embodied_base_factors, scaled_factors

    names = list(uncertain)
    base = embodied_base_factors()

    def model(U):
        p = {name: uncertain[name].icdf(U[:, j]) for j, name in enumerate(names)}
        p.update({k: jnp.full(U.shape[:1], v, U.dtype) for k, v in fixed.items()})
        p["grid_factor"] = jnp.stack([p.pop(f"grid_{c}") for c in CRITERIA], axis=-1)
        p.update(scaled_factors(p, base, host_factors if host_server else None, gpus_per_server))
        p["n_gpu"], p["hours"] = gpu_hours, 1.0
        out = training_impacts(p)
        return jnp.concatenate([out.energy_kwh[:, None], out.use + out.embodied], axis=-1)

    return model


@lru_cache(maxsize=32)
def _compiled_model(uncertain_key, fixed_key, gpu_hours, host_server, gpus_per_server, host):
    """``run_model`` compiled once per distinct set of inputs (cached by value)."""
    from .priors import Distribution

    uncertain = {n: Distribution(f, dict(p)) for n, f, p in uncertain_key}
    return jax.jit(run_model(uncertain, dict(fixed_key), gpu_hours, host_server, gpus_per_server,
                             None if host is None else np.asarray(host, np.float32)))


def run_problem(gpu: str, count=None, hours=None, *, gpu_hours=None, country: str = "WOR",
                preset: str = "default", host_server: bool = False):
    """The compiled model and input names of one training run (validated inputs)."""
    from .api import count_and_hours
    from .catalog import resolve_country, resolve_hardware
    from .errors import InvalidInputError
    from .priors import load_priors
    from .propagate import host_server_factors

    n_gpu, run_hours = count_and_hours(count, hours, gpu_hours)
    total = n_gpu * run_hours
    priors = load_priors(preset)
    spec = resolve_hardware(gpu, priors.hardware_table)
    uncertain, fixed = run_inputs(spec, resolve_country(country), priors, host_server)
    if not uncertain:
        raise InvalidInputError(f"preset {priors.name!r} fixes every input: nothing to analyse")
    host = host_server_factors(priors.host_server["sources"]) if host_server else None
    model = _compiled_model(
        tuple((n, d.family, tuple(sorted(d.params.items()))) for n, d in uncertain.items()),
        tuple(sorted(fixed.items())), total, host_server, float(priors.host_server["gpus_per_server"]),
        None if host is None else tuple(host))
    return model, list(uncertain)


def estimate_sensitivity(gpu: str, count=None, hours=None, *, gpu_hours=None, country: str = "WOR",
                         preset: str = "default", num_base: int = 2**14, seed: int = 0,
                         grouped: bool = False, host_server: bool = False,
                         num_resamples: int = 100) -> SobolResult:
    """Sobol indices of one training run's energy and total impacts (what ``sensitivity``
    prints), per uncertain input or, with ``grouped``, per group of ``INPUT_GROUPS``."""
    from .errors import InvalidInputError

    if isinstance(num_base, bool) or not isinstance(num_base, int) or num_base < 16:
        raise InvalidInputError(f"samples = {num_base!r} must be an integer >= 16 (base samples N)")
    model, names = run_problem(gpu, count, hours, gpu_hours=gpu_hours, country=country,
                               preset=preset, host_server=host_server)
    groups = group_columns({n: [i] for i, n in enumerate(names)}, INPUT_GROUPS) if grouped else None
    return sobol_indices(jax.random.key(seed), model, len(names), num_base=num_base, groups=groups,
                         outputs=OUTPUT_NAMES, input_names=tuple(names), num_resamples=num_resamples)


def tornado(model, names, low: float = 0.05, high: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
    """One-at-a-time view: each input at its ``low`` and ``high`` quantile, the others at their
    median. Returns (input, 2, output) results and the all-median result as (1, output)."""
    k = len(names)
    U = np.full((2 * k + 1, k), 0.5, np.float32)
    for i in range(k):
        U[2 * i, i], U[2 * i + 1, i] = low, high
    out = np.asarray(model(jnp.asarray(U)))
    return out[:-1].reshape(k, 2, -1), out[-1:]


def tornado_figure(bars: np.ndarray, median: np.ndarray, names, outputs, path, units=None):
    """Tornado chart per output (PNG/PDF by suffix): bars from the 5th to the 95th percentile of
    each input, sorted by width, around the all-median result."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, len(outputs), figsize=(4.2 * len(outputs), 0.35 * len(names) + 1.6),
                             constrained_layout=True)
    for j, (ax, out) in enumerate(zip(np.atleast_1d(axes), outputs)):
        lo, hi = bars[:, 0, j], bars[:, 1, j]
        order = np.argsort(np.abs(hi - lo))
        y = np.arange(len(names))
        ax.barh(y, (hi - lo)[order], left=lo[order], color="0.55", edgecolor="black", linewidth=0.5)
        ax.axvline(median[0, j], color="black", linewidth=1)
        ax.set_yticks(y, [names[i] for i in order], fontsize=8)
        ax.set_xlabel(f"{out}" + (f" ({units[out]})" if units else ""))
        ax.set_title(f"{out}: 5th-95th percentile of one input", fontsize=9)
        ax.ticklabel_format(axis="x", style="sci", scilimits=(-3, 4))
    fig.savefig(path, dpi=150)
    plt.close(fig)
    return path


def build_sobol_figure(result: SobolResult, top: int = 8, titles: dict | None = None):
    """Sobol indices per output, one panel each (two columns): S1 (grey) and ST (white) with
    their bootstrap half-widths; inputs sorted by ST, the ``top`` largest shown. Returns the
    matplotlib Figure in the style of ``figures.STYLE`` (save it with ``figures.save``)."""
    import textwrap

    import matplotlib as mpl

    from .figures import STYLE, _new_figure

    outputs, titles = result.outputs, titles or {}
    ncols = 1 if len(outputs) == 1 else 2
    nrows = -(-len(outputs) // ncols)
    shown = min(top, len(result.names))
    with mpl.rc_context(STYLE):
        fig = _new_figure(3.5 * ncols, (0.32 * shown + 0.9) * nrows)
        axes = fig.subplots(nrows, ncols, squeeze=False)
        for j, ax in enumerate(axes.flat):
            if j >= len(outputs):
                ax.set_visible(False)
                continue
            order = np.argsort(result.ST[:, j])[::-1][:shown][::-1]
            y = np.arange(len(order))
            ax.barh(y - 0.18, result.S1[order, j], height=0.36, xerr=result.S1_conf[order, j],
                    color="0.6", edgecolor="black", linewidth=0.5, label="first order $S_1$",
                    error_kw={"linewidth": 0.8})
            ax.barh(y + 0.18, result.ST[order, j], height=0.36, xerr=result.ST_conf[order, j],
                    color="white", edgecolor="black", linewidth=0.8, label="total $S_T$",
                    error_kw={"linewidth": 0.8})
            ax.set_yticks(y, [textwrap.fill(result.names[i], 26) for i in order])
            ax.set_xlim(0, 1.05)
            ax.set_xlabel("Sobol index (share of variance, 1)")
            ax.set_title(titles.get(outputs[j], outputs[j]), loc="left")
        axes.flat[0].legend(loc="lower right")
    return fig


def sobol_figure(result: SobolResult, path, top: int = 8, titles: dict | None = None):
    """``build_sobol_figure`` written to ``path`` (PNG or PDF by suffix, 200 dpi); returns it."""
    import matplotlib as mpl

    from .figures import STYLE

    with mpl.rc_context(STYLE):
        build_sobol_figure(result, top, titles).savefig(path, dpi=200)
    return path