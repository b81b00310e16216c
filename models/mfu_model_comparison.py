"""Which utilisation model? PSIS-LOO comparison of MFU model variants (arviz.loo / arviz.compare).

Question: does the hierarchical MFU model of ``lca_bayes.utilisation`` (Student-t residuals,
hardware-generation and organisation-type effects) predict held-out MFU better than simpler
variants: no group effects, or Normal residuals?
Data: the complete rows of the embedded Epoch AI 2026-07 snapshot (published 2013 or later) plus
Epoch's own MFU column, as ``lca-bayes run`` uses them.

    python models/mfu_model_comparison.py [--num-samples 1000] [--out mfu_loo.csv]
"""

from __future__ import annotations

import argparse

import arviz as az
import jax

from lca_bayes.data import load_snapshot
from lca_bayes.utilisation import VARIANTS, fit_mfu, mfu_observations


def run_inference(rng_key, data, num_warmup: int, num_samples: int, num_chains: int) -> dict:
    """Fit every variant; returns name -> ArviZ data with pointwise log-likelihood."""
    fits = {}
    for i, name in enumerate(VARIANTS):
        fit = fit_mfu(jax.random.fold_in(rng_key, i), data, variant=name, num_warmup=num_warmup,
                      num_samples=num_samples, num_chains=num_chains)
        fits[name] = (fit, az.from_numpyro(fit.mcmc))
    return fits


def main(args) -> None:
    snap = load_snapshot(args.data, impute=True)
    data = mfu_observations(snap.systems, snap.specs)
    fits = run_inference(jax.random.key(args.seed), data, args.num_warmup, args.num_samples,
                         args.num_chains)
    for name, (fit, _) in fits.items():
        print(f"{name:10s} max r_hat {fit.diagnostics['r_hat'].max():.3f}  min ESS "
              f"{fit.diagnostics['ess_bulk'].min():.0f}  divergences {fit.divergences}")
    table = az.compare({name: idata for name, (_, idata) in fits.items()}, ic="loo")
    print(table.to_string())
    if args.out:
        table.to_csv(args.out)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=None, help="Epoch snapshot (default: embedded 2026-07)")
    parser.add_argument("--num-warmup", type=int, default=1000)
    parser.add_argument("--num-samples", type=int, default=1000)
    parser.add_argument("--num-chains", type=int, default=4)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", default=None, help="CSV for the comparison table")
    main(parser.parse_args())
