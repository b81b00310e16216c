"""Reproduce the reference study's analysis with error bars.

Morand, Ligozat, Névéol (2025), "The Environmental Impacts of Machine Learning Training Keep
Rising Evidencing Rebound Effect": impacts of Epoch AI's notable systems from MLCA's point values,
their growth over time, the GPU-production share and the optimisation scenarios. This script
runs that analysis twice on the paper-era snapshot (Epoch AI, 2024-07-16), on the systems with
hardware, GPU count and training time all given (no imputation, as the paper):

1. preset ``mlca``: every parameter fixed at MLCA's value (point values, as the paper); the growth
   intervals then hold only the regression's own uncertainty;
2. preset ``default``: every uncertain input a distribution (lca-bayes's model); the growth fit
   pools several joint Monte Carlo draws, so the intervals carry the input uncertainty too.

Outputs in ``--out`` (default ``paper/``): ``mlca/`` and ``probabilistic/`` (each a full run folder
with growth outputs and ``report.html``), and ``comparison.csv`` / ``comparison.tex``: growth
factors per criterion and scenario and embodied shares, side by side.

Usage::

    python models/reproduce_paper.py --out paper/            # about 6 minutes on 2 cores
    python models/reproduce_paper.py --out paper/ --fast     # small samples, about 2 minutes
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpyro

numpyro.set_host_device_count(2)  # before JAX starts: growth chains in parallel

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from lca_bayes import CRITERIA, run  # noqa: E402
from lca_bayes.propagate import OUTPUTS  # noqa: E402
from lca_bayes.publish import growth_outputs  # noqa: E402
from lca_bayes.report import write_report  # noqa: E402
from lca_bayes.tables import criterion_label, format_interval, scenario_label, write_table  # noqa: E402
from lca_bayes.trends import growth_study  # noqa: E402

SNAPSHOT = "2024-07"
SETUPS = {"mlca": ("MLCA point values (as the paper)", "mlca"),
          "probabilistic": ("lca-bayes probabilistic", "default")}
ERAS = ((2013, 2019), (2020, 2024))


def study(preset: str, out: Path, *, samples: int, imputations: int, seed: int, mcmc: dict | None,
          with_scenarios: bool = True):
    """One run of the paper-era snapshot and its growth study, written into ``out``."""
    result = run(SNAPSHOT, preset=preset, num_samples=samples, seed=seed, impute=False, out=out)
    growth = growth_study(result, imputations=1 if preset == "mlca" else imputations, seed=seed,
                          mcmc=mcmc, with_scenarios=with_scenarios)
    growth.diagnostics.to_csv(out / "growth_diagnostics.csv", index=False)
    growth_outputs(out, growth.growth, growth.scenarios, growth.trends, result)
    write_report(out, title=f"Reference study, {SETUPS[out.name][0]}")
    return result, growth


def shares_by_era(result) -> pd.DataFrame:
    """GPU production's share of the summed impacts of each era's systems, per criterion: the
    ratio of sums is taken per joint draw, so its interval is a credible interval (fraction)."""
    draws = result.propagation.draws  # (draw, system, output)
    year = pd.to_datetime(result.snapshot.systems["publication_date"]).dt.year.to_numpy()
    rows = []
    for crit in CRITERIA:
        emb = draws[:, :, OUTPUTS.index(f"{crit}_embodied")].astype(np.float64)
        tot = draws[:, :, OUTPUTS.index(f"{crit}_total")].astype(np.float64)
        for lo, hi in ERAS:
            sel = (year >= lo) & (year <= hi)
            share = emb[:, sel].sum(axis=1) / tot[:, sel].sum(axis=1)
            q = np.quantile(share, [0.5, 0.05, 0.95])
            rows.append({"criterion": crit, "era": f"{lo}–{hi}", "systems": int(sel.sum()),
                         "median": q[0], "q05": q[1], "q95": q[2]})
    return pd.DataFrame(rows)


def comparison(folders: dict[str, Path], shares: dict[str, pd.DataFrame], latex: bool = False
               ) -> pd.DataFrame:
    """Side-by-side table: growth factor per year (group "all") per criterion and scenario, and
    GPU production's share per era (``shares_by_era`` of each setup's run), for each setup;
    probabilistic P(growth > 0) last."""
    cells: dict[str, dict[str, str]] = {}
    p_positive: dict[str, str] = {}
    order: list[str] = []
    for setup, folder in folders.items():
        growth = pd.read_csv(folder / "growth.csv")
        scen = pd.read_csv(folder / "scenarios.csv")
        rows = [(f"Growth ×/yr: {criterion_label(r.criterion)}", r)
                for r in growth[growth["group"] == "all"].itertuples()]
        rows += [(f"Growth ×/yr, GWP total: {scenario_label(r.scenario)}", r)
                 for r in scen[(scen["group"] == "all") & (scen["scenario"] != "baseline")].itertuples()]
        for name, r in rows:
            cells.setdefault(name, {})[setup] = format_interval(
                r.growth_factor_median, r.growth_factor_q05, r.growth_factor_q95, latex=latex)
            if setup == "probabilistic":
                p_positive[name] = f"{r.p_growth_positive:.3f}"
            if name not in order:
                order.append(name)
        for r in shares[setup].itertuples():
            name = (f"GPU production share of {criterion_label(r.criterion + '_total')}, "
                    f"{r.era}, {r.systems} systems (%)")
            cells.setdefault(name, {})[setup] = format_interval(100 * r.median, 100 * r.q05, 100 * r.q95,
                                                                latex=latex)
            if name not in order:
                order.append(name)
    table = pd.DataFrame({"Quantity": order})
    for setup, (label, _) in SETUPS.items():
        table[label] = [cells[q].get(setup, "n/a") for q in order]
    table["P(growth > 0), probabilistic"] = [p_positive.get(q, "") for q in order]
    return table


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", default="paper", help="output folder (default paper/)")
    parser.add_argument("--samples", type=int, default=2000, help="Monte Carlo draws (default 2000)")
    parser.add_argument("--imputations", type=int, default=3, help="joint draws pooled by the growth fit")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--fast", action="store_true", help="small samples and short chains (a smoke run)")
    args = parser.parse_args(argv)
    mcmc = dict(num_warmup=200, num_samples=200) if args.fast else None
    samples = 300 if args.fast else args.samples
    imputations = 2 if args.fast else args.imputations
    out = Path(args.out)
    folders, shares = {}, {}
    for setup, (label, preset) in SETUPS.items():
        print(f"{label}: run and growth study -> {out / setup}", file=sys.stderr, flush=True)
        result, _ = study(preset, out / setup, samples=samples, imputations=imputations, seed=args.seed,
                          mcmc=mcmc)
        folders[setup], shares[setup] = out / setup, shares_by_era(result)
    text, tex = comparison(folders, shares), comparison(folders, shares, latex=True)
    write_table(text, tex, out / "comparison",
                caption=f"The reference study's analysis on Epoch AI {SNAPSHOT}: MLCA's point values "
                        "vs lca-bayes's probabilistic model (median [5 %, 95 %]).",
                label="tab:paper-comparison")
    with pd.option_context("display.width", 200, "display.max_colwidth", 60):
        print(text.to_string(index=False))
    print(f"wrote {out / 'comparison.csv'}, comparison.tex, mlca/, probabilistic/")
    return 0


if __name__ == "__main__":
    sys.exit(main())
