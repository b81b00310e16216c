"""Benchmark: the utilisation (MFU) fit inside `lca-bayes run`, and the whole imputing run.

Prints the fit's wall time, its minimum bulk ESS and ESS per second (default settings: 4 chains
× 500 warm-up + 500 draws, vectorised), and the wall time of `lca-bayes run` with and without
imputation, in the same process session.

    python benchmarks/bench_imputation.py
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time

import jax

from lca_bayes.data import load_snapshot
from lca_bayes.utilisation import fit_mfu, mfu_observations


def main() -> None:
    snap = load_snapshot(impute=True)
    data = mfu_observations(snap.systems, snap.specs)
    t = time.perf_counter()
    fit = fit_mfu(jax.random.key(0), data)
    total = time.perf_counter() - t
    ess = fit.diagnostics["ess_bulk"].min()
    print(f"MFU fit, {len(data.logit_mfu)} observations: {total:.1f} s with compilation "
          f"({fit.seconds:.1f} s in MCMC.run); min bulk ESS {ess:.0f}, "
          f"{ess / total:.0f} ESS/s; max r_hat {fit.diagnostics['r_hat'].max():.3f}; "
          f"{fit.divergences} divergences")
    times = {}
    for label, extra in (("with imputation", []), ("complete rows only", ["--no-impute"])):
        with tempfile.TemporaryDirectory() as out:
            t = time.perf_counter()
            subprocess.run([sys.executable, "-m", "lca_bayes.cli", "run", "--out", out, "--quiet", *extra],
                           check=True, capture_output=True)
            times[label] = time.perf_counter() - t
        print(f"lca-bayes run ({label}): {times[label]:.1f} s")
    print(f"ratio imputing run / complete-rows run: {times['with imputation'] / times['complete rows only']:.1f}x")


if __name__ == "__main__":
    main()
