"""Sobol indices for a whole run: every system, the total of each publication year, and the
growth slope, from one Saltelli design over every random quantity of ``propagate``.

The model below is ``propagate``'s, written as a function of uniforms (one column per random
quantity) so that Saltelli's estimators apply:

- shared parameters: one column each, common to all systems;
- per-system parameters (power fraction, host overhead, PUE): one column per system;
- grid factors: one column per country and criterion (shared by the systems trained there);
- unknown specs: one column per hardware entry and field;
- hardware and country choice (systems whose cell lists several candidates, or whose hardware
  was imputed): one column per system, mapped to a candidate through the mixture weights
  (a discrete input: its inverse CDF is a step function);
- utilisation (MFU) of systems whose GPU-hours are imputed: one column per system, mapped
  through the empirical quantile function of the run's own MFU draws.

An *input* of the analysis is a family of columns (e.g. ``pue`` = the PUE of every system): for
one system's result only its own column matters, for a year total all of them act together.
Outputs: per-system energy and totals of GWP, ADPe and PE; log10 of their per-year sums; and the
least-squares slope of log10(result) against publication year over all systems (log10 units per
year: 10**slope is the yearly growth factor of a point-value fit, a cheap proxy of the Bayesian
growth model's slope).
"""

from __future__ import annotations

from dataclasses import dataclass

import jax
import jax.numpy as jnp
import numpy as np
import pandas as pd
from jax.scipy.special import ndtri

from .catalog import SPEC_FIELDS
from .errors import InvalidInputError
from .growth import parse_years
from .impacts import CRITERIA, training_impacts
from .propagate import embodied_base_factors, host_server_factors, pick_entries, scaled_factors
from .sensitivity import (INPUT_GROUPS, OUTPUT_NAMES, SobolResult, group_columns, saltelli_matrices,
                          sobol_from_evaluations)

CHOICE_GROUPS = {"hardware choice": ("hardware_choice",), "country choice": ("country_choice",),
                 "utilisation (MFU)": ("mfu",)}


@dataclass(frozen=True)
class RunModel:
    """Uniforms (n, k) → per-system outputs (n, S, 4), with the columns of each input family."""

    evaluate: object
    columns: dict[str, list[int]]
    num_columns: int
    system: tuple[str, ...]
    year: np.ndarray


def _cols(columns: dict, name: str, count: int, start: int) -> int:
    columns[name] = list(range(start, start + count))
    return start + count


def run_model(result) -> RunModel:
    """The model of a ``run`` result as a function of uniforms (see the module docstring)."""
    prop = result.propagation
    inputs, priors = prop.inputs, prop.priors
    S = inputs.num_systems
    columns: dict[str, list[int]] = {}
    k = 0
    shared = {n: p.dist for n, p in sorted(priors.shared().items())}
    per_system = {n: p.dist for n, p in priors.per_system().items()}
    if not prop.host_server:
        shared.pop("host_server_scale", None)
        per_system.pop("host_server_scale", None)
    for n, d in shared.items():
        if not d.is_fixed:
            k = _cols(columns, n, 1, k)
    for n, d in per_system.items():
        if not d.is_fixed:
            k = _cols(columns, n, S, k)
    grid = [prop.grid_priors[c * len(CRITERIA): (c + 1) * len(CRITERIA)] for c in range(len(inputs.countries))]
    med = np.array([[g.median for g in row] for row in grid], np.float32)  # (C, 3)
    lsd = np.log(np.array([[g.gsd for g in row] for row in grid], np.float32))
    for j, crit in enumerate(CRITERIA):
        if (lsd[:, j] > 0).any():
            k = _cols(columns, f"grid_{crit}", len(inputs.countries), k)
    known = np.array([[getattr(h, f) for f in SPEC_FIELDS] for h in inputs.hardware], np.float32)  # (H, 3)
    for j, f in enumerate(SPEC_FIELDS):
        if np.isnan(known[:, j]).any() and not priors.unknown_specs[f].dist.is_fixed:
            k = _cols(columns, f, len(inputs.hardware), k)
    several_hw = (inputs.hardware_weight > 0).sum(axis=1) > 1
    several_c = (inputs.country_weight > 0).sum(axis=1) > 1
    if several_hw.any():
        k = _cols(columns, "hardware_choice", S, k)
    if several_c.any():
        k = _cols(columns, "country_choice", S, k)
    needs = inputs.needs_mfu
    if needs.any():
        k = _cols(columns, "mfu", S, k)
    if k == 0:
        raise InvalidInputError(f"preset {priors.name!r} fixes every input: nothing to analyse")

    mfu_sorted = jnp.asarray(np.sort(np.asarray(result.mfu_draws, np.float32), axis=1) if needs.any()
                             else np.ones((S, 2), np.float32))
    peak = np.array([[h.peak_flops(t) for h in inputs.hardware] for t in (True, False)], np.float32)
    consts = {n: jnp.asarray(v) for n, v in embodied_base_factors().items()}
    host = (jnp.asarray(host_server_factors(priors.host_server["sources"])) if prop.host_server else None)
    gps = float(priors.host_server["gpus_per_server"])
    spec_fixed = {f: priors.unknown_specs[f].dist.median() for f in SPEC_FIELDS}  # fixed priors only
    gpu_hours_known = (inputs.n_gpu * inputs.hours).astype(np.float32)
    compute = inputs.compute_flop.astype(np.float32)
    rows = np.arange(S)

    def pick(choice, weight, u):  # u (n, S) -> entry index (n, S)
        return pick_entries(jnp.asarray(choice), jnp.asarray(weight), u.T).T

    def evaluate(U):
        n = U.shape[0]
        col = lambda name: U[:, columns[name]]
        p = {}
        for name, d in shared.items():
            p[name] = d.icdf(col(name)) if name in columns else jnp.full((n, 1), d.params["value"], U.dtype)
        for name, d in per_system.items():
            p[name] = d.icdf(col(name)) if name in columns else jnp.full((n, S), d.params["value"], U.dtype)
        if "hardware_choice" in columns:
            hw_i = pick(inputs.hardware_choice, inputs.hardware_weight, col("hardware_choice"))
        else:
            hw_i = jnp.broadcast_to(jnp.asarray(inputs.hardware_choice[:, 0]), (n, S))
        if "country_choice" in columns:
            c_i = pick(inputs.country_choice, inputs.country_weight, col("country_choice"))
        else:
            c_i = jnp.broadcast_to(jnp.asarray(inputs.country_choice[:, 0]), (n, S))
        for j, f in enumerate(SPEC_FIELDS):  # values per hardware entry (n, H), then per system
            if f in columns:
                vals = jnp.where(jnp.isnan(known[:, j]), priors.unknown_specs[f].dist.icdf(col(f)), known[:, j])
            else:
                vals = jnp.broadcast_to(jnp.nan_to_num(known[:, j], nan=spec_fixed[f]), (n, known.shape[0]))
            p[f] = jnp.take_along_axis(vals, hw_i, axis=1)
        z = jnp.stack([ndtri(col(f"grid_{c}")) if f"grid_{c}" in columns else jnp.zeros((n, len(med)), U.dtype)
                       for c in CRITERIA], axis=-1)  # (n, C, 3)
        grid_draw = med[None] * jnp.exp(lsd[None] * z)
        p["grid_factor"] = jnp.take_along_axis(grid_draw, c_i[..., None], axis=1)  # (n, S, 3)
        if "mfu" in columns:
            D = mfu_sorted.shape[1]
            pos = col("mfu") * (D - 1)
            lo = jnp.clip(jnp.floor(pos).astype(jnp.int32), 0, D - 2)
            frac = pos - lo
            a, b = mfu_sorted[rows[None, :], lo], mfu_sorted[rows[None, :], lo + 1]
            mfu = a + (b - a) * frac
            peak_s = jnp.where(inputs.use_tensor[None], jnp.asarray(peak[0])[hw_i], jnp.asarray(peak[1])[hw_i])
            hours = jnp.where(needs[None], compute[None] / (peak_s * mfu * 3600.0), gpu_hours_known[None])
        else:
            hours = jnp.broadcast_to(jnp.asarray(gpu_hours_known), (n, S))
        p["n_gpu"], p["hours"] = hours, 1.0
        p.update(scaled_factors(p, consts, host, gps))
        out = training_impacts(p)
        return jnp.concatenate([out.energy_kwh[..., None], out.use + out.embodied], axis=-1)  # (n, S, 4)

    decimal = parse_years(result.snapshot.systems["publication_date"], "publication_date")
    return RunModel(jax.jit(evaluate), columns, k, inputs.system, decimal)


@dataclass(frozen=True)
class RunSobol:
    """Indices for a run: per system (long table), per year total and for the growth slope."""

    systems: pd.DataFrame
    aggregates: SobolResult


def _aggregate(f, year_index, num_years, x_centred):
    """(n, S, 4) → log10 of year totals (n, Y·4) and least-squares log10 slopes (n, 4)."""
    totals = jax.ops.segment_sum(jnp.moveaxis(f, 1, 0), year_index, num_segments=num_years)  # (Y, n, 4)
    totals = jnp.log10(jnp.moveaxis(totals, 0, 1).reshape(f.shape[0], -1))
    logs = jnp.log10(f)
    slope = jnp.einsum("s,nsm->nm", x_centred, logs - logs.mean(axis=1, keepdims=True)) / (x_centred**2).sum()
    return jnp.concatenate([totals, slope], axis=-1)


def sensitivity_of_run(result, *, num_base: int = 2**11, seed: int = 0, grouped: bool = False,
                       num_resamples: int = 100, conf_level: float = 0.95) -> RunSobol:
    """Sobol indices (S1, ST, bootstrap half-widths) of every system of a ``run`` result, of the
    total of each publication year, and of the log10 growth slope over all systems.

    Inputs are families of columns of the run's model (module docstring), or with ``grouped`` the
    groups of ``sensitivity.INPUT_GROUPS`` plus hardware choice, country choice and utilisation.
    Aggregate outputs are ``"<criterion> log10 total <year>"`` (indices of log10 of the year's sum:
    imputed GPU-hours are heavy-tailed, and the variance of the raw sum rests on a few extreme
    draws) and ``"<criterion> log10 slope"``.
    """
    if isinstance(num_base, bool) or not isinstance(num_base, int) or num_base < 16:
        raise InvalidInputError(f"samples = {num_base!r} must be an integer >= 16 (base samples N)")
    model = run_model(result)
    groups = (group_columns(model.columns, {**INPUT_GROUPS, **CHOICE_GROUPS}) if grouped
              else dict(model.columns))
    years = np.floor(model.year).astype(int)
    uniq = np.unique(years)
    year_index = jnp.asarray(np.searchsorted(uniq, years))
    x_centred = jnp.asarray(model.year - model.year.mean(), jnp.float32)
    k_sample, k_boot = jax.random.split(jax.random.key(seed))
    A, B = saltelli_matrices(k_sample, num_base, model.num_columns)
    masks = np.zeros((len(groups), model.num_columns), bool)
    for g, cols in enumerate(groups.values()):
        masks[g, cols] = True

    @jax.jit
    def both(U):
        f = model.evaluate(U)
        return f, _aggregate(f, year_index, len(uniq), x_centred)

    fA, aA = both(A)
    fB, aB = both(B)
    fAB, aAB = zip(*(both(jnp.where(jnp.asarray(m)[None], B, A)) for m in masks))
    fAB, aAB = jnp.stack(fAB), jnp.stack(aAB)

    def analyse(a, b, ab):
        return sobol_from_evaluations(a, b, ab, k_boot, num_resamples, conf_level)

    names = tuple(groups)
    agg_out = tuple(f"{c} log10 total {y}" for y in uniq for c in OUTPUT_NAMES) + tuple(
        f"{c} log10 slope" for c in OUTPUT_NAMES)
    aggregates = SobolResult(names, agg_out, *analyse(aA, aB, aAB))
    S = len(model.system)
    parts = []
    for start in range(0, S, 64):  # bounded memory for the bootstrap
        sl = slice(start, min(S, start + 64))
        width = (sl.stop - sl.start) * len(OUTPUT_NAMES)
        S1, S1c, ST, STc = analyse(*(x[..., sl, :].reshape(*x.shape[:-2], width) for x in (fA, fB, fAB)))
        out = [(s, o) for s in model.system[sl] for o in OUTPUT_NAMES]
        for i, name in enumerate(names):
            parts.append(pd.DataFrame({"system": [s for s, _ in out], "output": [o for _, o in out],
                                       "input": name, "S1": S1[i], "S1_conf": S1c[i], "ST": ST[i],
                                       "ST_conf": STc[i]}))
    systems = pd.concat(parts, ignore_index=True)
    order = {s: i for i, s in enumerate(model.system)}
    systems = systems.sort_values(["system", "output"], key=lambda c: c.map(order) if c.name == "system"
                                  else c.map({o: i for i, o in enumerate(OUTPUT_NAMES)}), kind="stable")
    return RunSobol(systems.reset_index(drop=True), aggregates)
