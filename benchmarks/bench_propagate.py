"""Benchmark: Monte Carlo propagation in JAX against a plain vectorised numpy version, same run.

Times 1,000 systems × 10,000 draws (energy and all criteria × phases, with the same summaries),
prints the ratio numpy / JAX after compilation, then measures 1,000 systems × 100,000 draws
(chunked) for time and peak memory in a fresh process, and the whole ``lca-bayes run``.

    python benchmarks/bench_propagate.py [--systems 1000] [--draws 10000] [--big-draws 100000]
"""

from __future__ import annotations

import argparse
import math
import resource
import subprocess
import sys
import tempfile
import time

import importlib

import jax
import numpy as np

from lca_bayes.catalog import hardware_catalogue, valid_country_codes
from lca_bayes.priors import load_priors
from lca_bayes.propagate import (OUTPUTS, RunInputs, _grid_priors, embodied_base_factors,
                                 make_inputs, propagate, summarize)


def synthetic_inputs(num_systems: int, seed: int = 0) -> RunInputs:
    """Systems on random catalogue hardware (some with unknown specs) in random countries."""
    rng = np.random.default_rng(seed)
    specs = list(hardware_catalogue().values())
    codes = [c for c in valid_country_codes() if len(c) == 3][:40]
    hw = [[specs[i]] for i in rng.integers(0, len(specs), num_systems)]
    countries = [[codes[i]] for i in rng.integers(0, len(codes), num_systems)]
    return make_inputs([f"s{i}" for i in range(num_systems)], rng.integers(8, 4096, num_systems),
                       rng.uniform(10, 3000, num_systems), hw, countries)


def _np_sample(dist, rng, shape):
    p, f = dist.params, dist.family
    if f == "fixed":
        return np.full(shape, p["value"], np.float32)
    if f == "lognormal":
        return (p["median"] * np.exp(math.log(p["gsd"]) * rng.standard_normal(shape, np.float32))).astype(np.float32)
    u = rng.random(shape, np.float32)
    if f == "uniform":
        return p["low"] + (p["high"] - p["low"]) * u
    if f == "loguniform":
        return p["low"] * np.exp(math.log(p["high"] / p["low"]) * u)
    lo, mode, hi = p["low"], p["mode"], p["high"]
    cut = (mode - lo) / (hi - lo)
    return np.where(u < cut, lo + np.sqrt(u * (hi - lo) * (mode - lo)),
                    hi - np.sqrt((1 - u) * (hi - lo) * (hi - mode))).astype(np.float32)


def numpy_propagate(inputs: RunInputs, priors, num_draws: int, seed: int = 0,
                    summaries: bool = True) -> np.ndarray:
    """The same model in plain vectorised numpy, laid out (system, draw) like the JAX path
    (single hardware / country per system, as ``synthetic_inputs`` makes them)."""
    rng = np.random.default_rng(seed)
    D, S = num_draws, inputs.num_systems
    p = {n: _np_sample(pr.dist, rng, (1, D)) for n, pr in priors.shared().items()}
    p.update({n: _np_sample(pr.dist, rng, (S, D)) for n, pr in priors.per_system().items()})
    hw = inputs.hardware_choice[:, 0]
    spec = {}
    for f in ("tdp_w", "die_area_cm2", "memory_gb"):
        known = np.array([getattr(h, f) for h in inputs.hardware], np.float32)[:, None]
        draws = np.where(np.isfinite(known), known,
                         _np_sample(priors.unknown_specs[f].dist, rng, (len(known), D)))
        spec[f] = draws[hw]  # (S, D)
    gps = _grid_priors(inputs, priors)
    med = np.array([g.median for g in gps], np.float32)[:, None]
    lsd = np.log(np.array([g.gsd for g in gps], np.float32))[:, None]
    grid = (med * np.exp(lsd * rng.standard_normal((len(gps), D), np.float32))).reshape(-1, 3, D)
    grid = grid[inputs.country_choice[:, 0]]  # (S, 3, D)
    f = {k: v[None, :, None] for k, v in embodied_base_factors().items()}  # (1, 3, 1)
    n, h = inputs.n_gpu.astype(np.float32)[:, None], inputs.hours.astype(np.float32)[:, None]
    energy = n * spec["tdp_w"] * p["power_fraction"] * h * p["host_overhead"] * p["pue"] / 1000
    use = energy[:, None] * grid
    card = (spec["die_area_cm2"][:, None] * f["die_factor"] * p["die_factor_scale"][:, None]
            + f["base_factor"] * p["base_factor_scale"][:, None]
            + (spec["memory_gb"] / p["dram_density"])[:, None] * f["dram_factor"] * p["dram_factor_scale"][:, None]
            + f["dram_base_factor"] * p["dram_factor_scale"][:, None])
    emb = (n * h / (p["lifetime_years"] * 8760 * p["busy_share"]))[:, None] * card
    flat = np.concatenate([energy[:, None], np.stack([use, emb, use + emb], axis=2).reshape(S, -1, D)], axis=1)
    assert flat.shape[1] == len(OUTPUTS)
    return summarize(flat, axis=-1) if summaries else flat


def best_of(fn, repeats: int = 3) -> float:
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


BIG = """
import resource, sys, time, jax
sys.path.insert(0, "benchmarks")
from bench_propagate import synthetic_inputs
from lca_bayes.priors import load_priors
from lca_bayes.propagate import propagate
inputs = synthetic_inputs({s}); priors = load_priors("default")
t = time.perf_counter()
propagate(jax.random.key(0), inputs, priors, {d}, keep_draws=False)
print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 ** 2)
"""


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--systems", type=int, default=1000)
    ap.add_argument("--draws", type=int, default=10000)
    ap.add_argument("--big-draws", type=int, default=100000)
    ap.add_argument("--skip-run", action="store_true", help="do not time `lca-bayes run`")
    args = ap.parse_args(argv)
    priors = load_priors("default")
    inputs = synthetic_inputs(args.systems)
    S, D = args.systems, args.draws
    print(f"propagation, {S} systems x {D} draws, {len(OUTPUTS)} outputs, summaries included")
    t = time.perf_counter()
    propagate(jax.random.key(0), inputs, priors, D, keep_draws=False)
    first = time.perf_counter() - t
    t_jax = best_of(lambda: propagate(jax.random.key(1), inputs, priors, D, keep_draws=False))
    t_np = best_of(lambda: numpy_propagate(inputs, priors, D))
    rate = S * D / 1e6
    print(f"  jax   first call (with compilation): {first:7.3f} s")
    print(f"  jax   compiled, best of 3:           {t_jax:7.3f} s  ({rate / t_jax:5.1f} M system-draws/s)")
    print(f"  numpy vectorised, best of 3:         {t_np:7.3f} s  ({rate / t_np:5.1f} M system-draws/s)")
    print(f"  ratio numpy / jax (compiled): {t_np / t_jax:.2f}x")
    # the same, sampling and model only (summaries replaced by a no-op on both sides)
    module = importlib.import_module("lca_bayes.propagate")
    real = module.summarize
    module.summarize = lambda x, axis=-1: np.zeros(x.shape[:-1] + (4,))
    try:
        m_jax = best_of(lambda: propagate(jax.random.key(1), inputs, priors, D, keep_draws=False))
    finally:
        module.summarize = real
    m_np = best_of(lambda: numpy_propagate(inputs, priors, D, summaries=False))
    print(f"  sampling + model only: jax {m_jax:.3f} s ({rate / m_jax:.1f} M/s), "
          f"numpy {m_np:.3f} s ({rate / m_np:.1f} M/s), ratio numpy / jax {m_np / m_jax:.2f}x")
    big = subprocess.run([sys.executable, "-c", BIG.format(s=S, d=args.big_draws)],
                         capture_output=True, text=True, check=True).stdout.split()
    print(f"chunked, {S} systems x {args.big_draws} draws: {float(big[0]):.1f} s, "
          f"peak RSS {float(big[1]):.2f} GB (fresh process)")
    if not args.skip_run:
        with tempfile.TemporaryDirectory() as out:
            t = time.perf_counter()
            subprocess.run([sys.executable, "-m", "lca_bayes.cli", "run", "--out", out, "--quiet"],
                           check=True, capture_output=True)
            print(f"lca-bayes run (embedded data, defaults): {time.perf_counter() - t:.1f} s")
    print(f"peak RSS of this process: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 ** 2:.2f} GB")


if __name__ == "__main__":
    main()
