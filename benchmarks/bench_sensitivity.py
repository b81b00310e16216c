"""Benchmark: Sobol indices of one training run, lca-bayes (JAX) vs SALib's pipeline, same model.

lca-bayes: sampling, evaluation and analysis with bootstrap intervals in `estimate_sensitivity`
(N = 2^14 base samples, the 12 uncertain inputs of an A100 run in France). SALib: `sample.sobol`
→ the same jitted JAX model on its matrix → `analyze.sobol` (no second order, 100 resamples).
Prints both wall times (best of 3 after a first, compiling call) and their ratio.

    python benchmarks/bench_sensitivity.py
"""

from __future__ import annotations

import time

import jax
import jax.numpy as jnp
import numpy as np
from SALib.analyze import sobol as salib_analyze
from SALib.sample import sobol as salib_sample

from bench_propagate import best_of  # noqa: E402  (benchmarks/ is on sys.path when run as a script)
from lca_bayes.catalog import resolve_hardware
from lca_bayes.priors import load_priors
from lca_bayes.sensitivity import estimate_sensitivity, run_inputs, run_model

N = 2**14
RUN = dict(gpu="NVIDIA A100 SXM4 80 GB", count=384, hours=2808, country="FRA")


def ours():
    return estimate_sensitivity(RUN["gpu"], RUN["count"], RUN["hours"], country=RUN["country"], num_base=N)


def salib(model, names):
    problem = {"num_vars": len(names), "names": names, "bounds": [[1e-6, 1 - 1e-6]] * len(names)}
    X = salib_sample.sample(problem, N, calc_second_order=False, seed=0)
    Y = np.asarray(model(jnp.asarray(X, jnp.float32)))
    return [salib_analyze.analyze(problem, Y[:, j], calc_second_order=False, num_resamples=100, seed=1)
            for j in range(Y.shape[1])]


def main() -> None:
    priors = load_priors("default")
    uncertain, fixed = run_inputs(resolve_hardware(RUN["gpu"]), RUN["country"], priors)
    model = jax.jit(run_model(uncertain, fixed, RUN["count"] * RUN["hours"]))
    names = list(uncertain)
    t = time.perf_counter()
    ours()
    first = time.perf_counter() - t
    t_ours = best_of(ours)
    salib(model, names)  # compile the model for SALib's matrix shape
    t_salib = best_of(lambda: salib(model, names))
    print(f"Sobol indices, {len(names)} inputs, N = {N} base samples, 4 outputs, bootstrap intervals")
    print(f"  lca-bayes: {t_ours:.2f} s (first call with compilation {first:.2f} s)")
    print(f"  SALib sample -> evaluate -> analyze: {t_salib:.2f} s")
    print(f"  ratio SALib / lca-bayes: {t_salib / t_ours:.1f}x")


if __name__ == "__main__":
    main()
