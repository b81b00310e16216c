"""Monte Carlo propagation of the priors through the impact model, for many systems at once.

Draw structure (what moves together):

- ``shared`` parameters (lifetime, DRAM density, embodied-factor scales, ...): one value per draw,
  common to every system, so sums over systems carry the right correlation;
- grid factors: one value per draw and *country*, shared by the systems trained there;
- unknown hardware specs: one value per draw and *hardware entry*;
- ``system`` parameters (power fraction, PUE, host overhead) and the choice among listed
  hardware or countries: independent per system and draw.

Systems are processed in chunks (bounded memory for 1,000 systems × 100,000 draws); every
per-system draw comes from ``fold_in(rng_key, system_index)``, so results do not depend on the
chunk size. The computation for a chunk is one compiled JAX function.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Callable

import jax
import jax.numpy as jnp
import numpy as np

from .catalog import SPEC_FIELDS, GridPrior, HardwareSpec, grid_prior
from .errors import InvalidInputError
from .impacts import CRITERIA, training_impacts
from .paths import data_path
from .priors import Distribution, PriorSet

PHASES = ("use", "embodied", "total")
OUTPUTS = ("energy_kwh",) + tuple(f"{c}_{ph}" for c in CRITERIA for ph in PHASES)
"""Columns of the flat output axis: energy, then criterion × phase."""
SUMMARY_STATS = ("mean", "median", "q05", "q95")
_MAX_CHUNK_ELEMENTS = 2**22  # draws × systems per chunk: ~16 MB per float32 array


@dataclass(frozen=True)
class RunInputs:
    """Validated inputs of S training runs (arrays over systems).

    ``hardware_choice``/``country_choice`` (S, K) index ``hardware``/``countries``; the weights
    (S, K) sum to 1 per row (a list of several entries is a mixture; padding has weight 0).
    Where ``needs_mfu``, GPU-hours are imputed as compute / (peak × MFU × 3600) per draw, with the
    tensor or FP32 peak as ``use_tensor`` says; elsewhere GPU-hours = n_gpu × hours.
    """

    system: tuple[str, ...]
    n_gpu: np.ndarray
    hours: np.ndarray
    hardware: tuple[HardwareSpec, ...]
    hardware_choice: np.ndarray
    hardware_weight: np.ndarray
    countries: tuple[str, ...]
    country_choice: np.ndarray
    country_weight: np.ndarray
    compute_flop: np.ndarray
    needs_mfu: np.ndarray
    use_tensor: np.ndarray

    @property
    def num_systems(self) -> int:
        return len(self.system)


def mixture(choices: list[list[int]], weights: list[list[float]] | None = None
            ) -> tuple[np.ndarray, np.ndarray]:
    """Pad lists of indices into (S, K) index and weight arrays; repeats add weight."""
    width = max(len(c) for c in choices)
    idx = np.zeros((len(choices), width), dtype=np.int32)
    w = np.zeros((len(choices), width), dtype=np.float32)
    for i, c in enumerate(choices):
        c_w = np.ones(len(c)) if weights is None else np.asarray(weights[i], float)
        uniq, inverse = np.unique(np.asarray(c, dtype=np.int32), return_inverse=True)
        total = np.bincount(inverse, weights=c_w)
        idx[i, : len(uniq)] = uniq
        w[i, : len(uniq)] = total / total.sum()
    return idx, w


def make_inputs(system, n_gpu, hours, hardware_lists, country_lists, *, hardware_weights=None,
                country_weights=None, compute_flop=None, needs_mfu=None, use_tensor=None
                ) -> RunInputs:
    """Build ``RunInputs`` from per-system values and lists of specs / ISO3 codes (mixtures)."""
    S = len(system)
    needs = np.zeros(S, bool) if needs_mfu is None else np.asarray(needs_mfu, bool)
    compute = np.full(S, np.nan) if compute_flop is None else np.asarray(compute_flop, np.float64)
    n_gpu = np.where(needs, 1.0, np.asarray(n_gpu, dtype=np.float64))
    hours = np.where(needs, 1.0, np.asarray(hours, dtype=np.float64))
    for name, arr in (("GPU count", n_gpu), ("hours", hours), ("training compute", np.where(needs, compute, 1.0))):
        bad = ~(np.isfinite(arr) & (arr > 0))
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            raise InvalidInputError(f"system {system[i]!r}: {name} = {arr[i]} must be a positive number")
    hw_names: dict[str, int] = {}
    hw_specs: list[HardwareSpec] = []
    hw_idx = []
    for specs in hardware_lists:
        row = []
        for spec in specs:
            if spec.name not in hw_names:
                hw_names[spec.name] = len(hw_specs)
                hw_specs.append(spec)
            row.append(hw_names[spec.name])
        hw_idx.append(row)
    codes = sorted({c for cl in country_lists for c in cl})
    c_pos = {c: i for i, c in enumerate(codes)}
    h_choice, h_weight = mixture(hw_idx, hardware_weights)
    c_choice, c_weight = mixture([[c_pos[c] for c in cl] for cl in country_lists], country_weights)
    tensor = np.ones(S, bool) if use_tensor is None else np.asarray(use_tensor, bool)
    return RunInputs(tuple(system), n_gpu, hours, tuple(hw_specs), h_choice, h_weight,
                     tuple(codes), c_choice, c_weight, np.where(needs, compute, 1.0), needs, tensor)


@dataclass(frozen=True)
class Propagation:
    """Result of ``propagate``: summaries (S, len(OUTPUTS), 4) and optional draws."""

    inputs: RunInputs
    priors: PriorSet
    num_samples: int
    seed: int | None
    summary: np.ndarray
    draws: np.ndarray | None
    parameter_draws: dict[str, np.ndarray] | None
    grid_priors: tuple[GridPrior, ...]
    host_server: bool


def embodied_base_factors() -> dict[str, np.ndarray]:
    """MLCA's card factors a, b, m, n per criterion (``data/embodied_factors.csv``)."""
    import pandas as pd

    df = pd.read_csv(data_path("embodied_factors.csv")).set_index("criterion").loc[list(CRITERIA)]
    return {k: df[k].to_numpy(np.float32) for k in
            ("die_factor", "base_factor", "dram_factor", "dram_base_factor")}


FACTOR_SCALES = {"die_factor": "die_factor_scale", "base_factor": "base_factor_scale",
                 "dram_factor": "dram_factor_scale", "dram_base_factor": "dram_factor_scale"}
"""Card factor → the parameter that scales it (one scale for both DRAM factors)."""


def scaled_factors(p: dict, base: dict, host=None, gpus_per_server=None) -> dict:
    """The card factors of ``training_impacts`` for parameter draws ``p``: MLCA's base factors
    (3,) times each draw's scale, shape ``p[scale].shape + (3,)``; with ``host`` (3,), the host
    server's embodied impacts times ``host_server_scale`` and ``gpus_per_server``."""
    out = {k: base[k] * p[s][..., None] for k, s in FACTOR_SCALES.items()}
    if host is not None:
        out["host_embodied"] = host * p["host_server_scale"][..., None]
        out["gpus_per_server"] = gpus_per_server
    return out


def host_server_factors(sources) -> np.ndarray:
    """Embodied impacts of one host server excluding GPUs, geometric mean over ``sources`` (3,)."""
    import pandas as pd

    df = pd.read_csv(data_path("host_server.csv"))
    df = df[df["source"].isin(sources)]
    if df.empty:
        raise InvalidInputError(f"no host-server data for sources {sources} in data/host_server.csv")
    return np.exp(np.log(df[list(CRITERIA)].to_numpy(float)).mean(axis=0)).astype(np.float32)


def _grid_priors(inputs: RunInputs, priors: PriorSet) -> list[GridPrior]:
    return [grid_prior(c, crit, priors.grid) for c in inputs.countries for crit in CRITERIA]


def pick_entries(choice, weight, u):
    """Entries of ``choice`` (B, K) picked by uniforms ``u`` (B, D) with weights (B, K): the
    inverse CDF of each row's mixture, never a zero-weight padding entry."""
    cum = jnp.cumsum(weight, axis=-1)[:, None, :-1]  # (B, 1, K-1)
    last = jnp.sum(weight > 0, axis=-1, keepdims=True) - 1  # (B, 1)
    k = jnp.minimum(jnp.sum(u[..., None] >= cum, axis=-1), last)  # (B, D)
    return jnp.take_along_axis(choice, k, axis=1)


def _chunk_fn(priors: PriorSet, num_draws: int, with_host: bool):
    """The compiled chunk function, cached by the per-system priors' values (not identity)."""
    key = tuple((n, p.dist.family, tuple(sorted(p.dist.params.items())))
                for n, p in priors.per_system().items())
    return _build_chunk_fn(key, num_draws, with_host)


@lru_cache(maxsize=16)
def _build_chunk_fn(per_system_key: tuple, num_draws: int, with_host: bool):
    """Compiled function: draws of one chunk of B systems, laid out (system, output, draw)."""
    per_system = [(name, Distribution(family, dict(params))) for name, family, params in per_system_key]

    def chunk_fn(sys_keys, n_gpu, hours, h_choice, h_weight, c_choice, c_weight,
                 compute, needs_mfu, use_tensor, mfu, shared, hw, grid, consts):
        def draws_for(key):
            vals = [d.sample(jax.random.fold_in(key, j), (num_draws,))
                    for j, (_, d) in enumerate(per_system)]
            u_hw = jax.random.uniform(jax.random.fold_in(key, 1000), (num_draws,))
            u_c = jax.random.uniform(jax.random.fold_in(key, 1001), (num_draws,))
            return vals, u_hw, u_c

        vals, u_hw, u_c = jax.vmap(draws_for)(sys_keys)  # each (B, D)
        hw_i = pick_entries(h_choice, h_weight, u_hw)
        c_i = pick_entries(c_choice, c_weight, u_c)
        p = {name: v for (name, _), v in zip(per_system, vals)}
        p.update({k: v[None, :] for k, v in shared.items()})  # shared: (D,) -> (1, D)
        for f in SPEC_FIELDS:  # hw[f]: (H, D)
            p[f] = jnp.take_along_axis(hw[f], hw_i, axis=0)
        p["grid_factor"] = jnp.take_along_axis(grid, c_i[..., None], axis=0)  # grid: (C, D, 3)
        peak = jnp.where(use_tensor[:, None], jnp.take(hw["peak_tensor"], hw_i),
                         jnp.take(hw["peak_fp32"], hw_i))
        gpu_hours = jnp.where(needs_mfu[:, None], compute[:, None] / (peak * mfu * 3600.0),
                              (n_gpu * hours)[:, None])
        p["n_gpu"], p["hours"] = gpu_hours, 1.0  # impacts depend on GPU-hours only
        p.update(scaled_factors(p, consts, consts.get("host_embodied") if with_host else None,
                                consts.get("gpus_per_server")))
        out = training_impacts(p)  # energy (B, D); use, embodied (B, D, 3)
        parts = [out.energy_kwh]
        for c in range(len(CRITERIA)):
            use, emb = out.use[..., c], out.embodied[..., c]
            parts += [use, emb, use + emb]
        pdraws = {name: v for (name, _), v in zip(per_system, vals)}
        pdraws["gpu_hours"] = gpu_hours
        return jnp.stack(parts, axis=1), pdraws

    return jax.jit(chunk_fn)


def summarize(draws: np.ndarray, axis: int = -1) -> np.ndarray:
    """Mean, median, 5 % and 95 % quantiles along ``axis`` (last axis of the result).

    Quantiles interpolate linearly between order statistics, as ``numpy.quantile``'s default.
    """
    x = np.moveaxis(draws, axis, -1)
    n = x.shape[-1]
    pos = np.array([0.5, 0.05, 0.95]) * (n - 1)
    lo = np.floor(pos).astype(int)
    hi = np.minimum(lo + 1, n - 1)
    part = np.partition(x, np.unique(np.concatenate([lo, hi])), axis=-1)
    q = part[..., lo] + (part[..., hi] - part[..., lo]) * (pos - lo)
    return np.concatenate([x.mean(axis=-1, dtype=np.float64)[..., None], q], axis=-1)


def propagate(rng_key, inputs: RunInputs, priors: PriorSet, num_samples: int, *,
              mfu: np.ndarray | None = None, host_server: bool = False, keep_draws: bool = True,
              chunk_size: int | None = None,
              progress: Callable[[int, int], None] | None = None, seed: int | None = None
              ) -> Propagation:
    """Monte Carlo draws of energy and impacts for every system of ``inputs``.

    Parameters
    ----------
    rng_key : jax.random key; the only source of randomness.
    num_samples : number of joint draws (``draw`` dimension).
    mfu : (system, draw) utilisation draws for the systems whose GPU-hours are imputed
        (``inputs.needs_mfu``); ignored elsewhere. Required when any system needs it.
    host_server : add each GPU's share of a host server's production impacts.
    keep_draws : keep the (draw, system, output) array (float32); summaries are always computed.
    chunk_size : systems per chunk (default: about 4 M draw×system elements per chunk).
    progress : called as ``progress(systems_done, systems_total)`` after each chunk.

    Returns
    -------
    Propagation with ``summary`` (system, output, stat) in the units of ``OUTPUTS``
    (kWh, kgCO2e, kgSbeq, MJ) and ``draws`` (draw, system, output) when kept.
    """
    if not isinstance(num_samples, (int, np.integer)) or num_samples < 2:
        raise InvalidInputError(f"samples = {num_samples!r} must be an integer >= 2")
    S, D = inputs.num_systems, int(num_samples)
    k_shared, k_hw, k_grid, k_sys = jax.random.split(rng_key, 4)

    shared = {name: prior.dist.sample(jax.random.fold_in(k_shared, j), (D,))
              for j, (name, prior) in enumerate(sorted(priors.shared().items()))}
    hw = {}  # (H, D): known specs constant, unknown ones one draw per hardware entry
    for j, f in enumerate(SPEC_FIELDS):
        known = jnp.array([getattr(h, f) for h in inputs.hardware], dtype=jnp.float32)[:, None]
        drawn = priors.unknown_specs[f].dist.sample(jax.random.fold_in(k_hw, j), (known.shape[0], D))
        hw[f] = jnp.where(jnp.isfinite(known), known, drawn)
    for f, tensor in (("peak_tensor", True), ("peak_fp32", False)):  # (H,) FLOP/s
        hw[f] = jnp.array([h.peak_flops(tensor) for h in inputs.hardware], dtype=jnp.float32)
    if inputs.needs_mfu.any():
        if mfu is None or np.shape(mfu) != (S, D):
            raise InvalidInputError(f"systems need imputed GPU-hours: mfu must have shape {(S, D)}")
        mfu = np.asarray(mfu, np.float32)
    else:
        mfu = np.ones((S, 1), np.float32)
    gps = _grid_priors(inputs, priors)
    z = jax.random.normal(k_grid, (len(gps), D))
    med = jnp.array([g.median for g in gps], dtype=jnp.float32)[:, None]
    lsd = jnp.log(jnp.array([g.gsd for g in gps], dtype=jnp.float32))[:, None]
    grid = (med * jnp.exp(lsd * z)).reshape(len(inputs.countries), len(CRITERIA), D)
    grid = jnp.transpose(grid, (0, 2, 1))  # (C, D, 3)

    consts = {k: jnp.asarray(v) for k, v in embodied_base_factors().items()}
    if host_server:
        consts["host_embodied"] = jnp.asarray(host_server_factors(priors.host_server["sources"]))
        consts["gpus_per_server"] = jnp.float32(priors.host_server["gpus_per_server"])

    B = chunk_size or max(1, min(S, _MAX_CHUNK_ELEMENTS // D))
    fn = _chunk_fn(priors, D, host_server)
    sys_keys = jax.random.split(k_sys, S)
    summary = np.empty((S, len(OUTPUTS), len(SUMMARY_STATS)), dtype=np.float64)
    draws = np.empty((D, S, len(OUTPUTS)), dtype=np.float32) if keep_draws else None
    par = ({n: np.empty((D, S), np.float32) for n in [*priors.per_system(), "gpu_hours"]}
           if keep_draws else None)
    arrays = (inputs.n_gpu.astype(np.float32), inputs.hours.astype(np.float32),
              inputs.hardware_choice, inputs.hardware_weight,
              inputs.country_choice, inputs.country_weight,
              inputs.compute_flop.astype(np.float32), inputs.needs_mfu, inputs.use_tensor, mfu)
    for start in range(0, S, B):
        stop = min(S, start + B)
        sel = np.arange(start, start + B) % S  # pad the last chunk: one compiled shape
        flat, pdraws = fn(sys_keys[sel], *(a[sel] for a in arrays), shared, hw, grid, consts)
        flat = np.asarray(flat)[: stop - start]  # (B, output, D)
        summary[start:stop] = summarize(flat, axis=-1)
        if keep_draws:
            draws[:, start:stop] = flat.transpose(2, 0, 1)
            for n, v in pdraws.items():
                par[n][:, start:stop] = np.asarray(v)[: stop - start].T
        if progress is not None:
            progress(stop, S)
    if keep_draws:
        par.update({n: np.asarray(v) for n, v in shared.items()})
    return Propagation(inputs, priors, D, seed, summary, draws, par, tuple(gps), host_server)
