"""Command line ``lca-bayes``: a thin shell over the Python API (parse → call → write)."""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from .errors import LcaBayesError

ESTIMATE_EXAMPLE = """example:
  lca-bayes estimate --gpu "NVIDIA A100 SXM4 80 GB" --count 384 --hours 2808 --country FRA

  run: NVIDIA A100 SXM4 80 GB x 384 for 2808 h in FRA (preset default, 20000 draws, seed 0)
  criterion     phase          median   90 % interval
  energy_kwh    use          5.83e+05   [4.05e+05, 8.28e+05]
  gwp_kgco2e    use          3.68e+04   [2.14e+04, 6.28e+04]
  gwp_kgco2e    embodied     6.75e+03   [2.7e+03, 1.98e+04]
  gwp_kgco2e    total        4.51e+04   [2.77e+04, 7.34e+04]
  ...
units: energy kWh, GWP kgCO2e, ADPe kgSbeq, PE MJ. --json prints the same as the Python API
lca_bayes.estimate(...).
"""

RUN_EXAMPLE = """example:
  lca-bayes run --out results/            # embedded Epoch AI 2026-07 snapshot, with imputation
  lca-bayes run --data 2024-07 --preset mlca --no-impute --out results-mlca/
writes results/impacts.csv (system, publication_date, hardware, country, imputed, criterion,
phase, unit, mean, median, q05, q95, ...), draws.nc, systems.csv, skipped.csv, grid_priors.csv,
run.json and, with imputation, imputed_inputs.csv, mfu_diagnostics.csv, mfu_observations.csv,
mfu_excluded.csv and mfu_ppc.png.
"""


def _add_common(p: argparse.ArgumentParser, samples: int) -> None:
    p.add_argument("--preset", default="default",
                   help="'default' (probabilistic priors, models/priors.toml), 'mlca' (MLCA's "
                        "point values) or a path to a priors TOML file")
    p.add_argument("--samples", type=int, default=samples, help=f"Monte Carlo draws (default {samples})")
    p.add_argument("--seed", type=int, default=0, help="seed of the jax.random key (default 0)")
    p.add_argument("--host-server", action="store_true",
                   help="add each GPU's share of a host server's production impacts (1 server per 8 GPUs)")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="lca-bayes",
        description="Environmental impacts of ML training (energy, GWP, ADPe, PE; use and GPU "
                    "production) with 90 %% credible intervals.")
    sub = parser.add_subparsers(dest="command", required=True)

    est = sub.add_parser("estimate", help="impacts of one training run",
                         formatter_class=argparse.RawDescriptionHelpFormatter, epilog=ESTIMATE_EXAMPLE,
                         description="Impacts of one training run with 90 % intervals.")
    est.add_argument("--gpu", required=True,
                     help="accelerator name as in the catalogue, Epoch AI or MLCA ('Any': MLCA's generic GPU)")
    est.add_argument("--count", help="number of GPUs")
    est.add_argument("--hours", help="wall-clock training hours")
    est.add_argument("--gpu-hours", help="GPU-hours, instead of --count and --hours")
    est.add_argument("--country", default="WOR",
                     help="ISO 3166-1 alpha-3 code of the grid (FRA, USA, ...) or WOR (default)")
    est.add_argument("--json", action="store_true", help="print the result as JSON")
    _add_common(est, 20000)

    run = sub.add_parser("run", help="the whole study on an Epoch AI snapshot",
                         formatter_class=argparse.RawDescriptionHelpFormatter, epilog=RUN_EXAMPLE,
                         description="Propagate uncertainty for every Epoch AI system with hardware, "
                                     "hardware quantity and training time.")
    run.add_argument("--data", default=None,
                     help="Epoch 'Notable AI Models' CSV, or a snapshot tag: 2026-07 (default), 2024-07")
    run.add_argument("--out", required=True, help="output folder")
    run.add_argument("--no-impute", action="store_true",
                     help="complete rows only (hardware, quantity and time all given): no imputation")
    run.add_argument("--since", type=int, default=2013,
                     help="first publication year kept (default 2013; 0 keeps every year)")
    run.add_argument("--quiet", action="store_true", help="no progress on stderr")
    _add_common(run, 4000)

    sub.add_parser("countries", help="list valid country codes with their grid GWP")
    hw = sub.add_parser("hardware", help="list the hardware catalogue")
    hw.add_argument("--preset", default="default", help="'mlca' lists MLCA's GPU table instead")
    return parser


def _fmt(s: dict) -> str:
    return f"{s['median']:>11.3g}   [{s['q05']:.3g}, {s['q95']:.3g}]"


def _print_estimate(r: dict) -> None:
    i = r["inputs"]
    size = (f"x {i['count']:g} for {i['hours']:g} h" if i["count"] is not None
            else f"{i['gpu_hours']:g} GPU-hours")
    print(f"run: {i['hardware']} {size} in {i['country']} "
          f"(preset {r['preset']}, {r['samples']} draws, seed {r['seed']})")
    print(f"{'criterion':<13} {'phase':<9} {'median':>11}   90 % interval")
    print(f"{'energy_kwh':<13} {'use':<9} {_fmt(r['results']['energy_kwh'])}")
    for crit in ("gwp_kgco2e", "adpe_kgsbeq", "pe_mj"):
        for phase in ("use", "embodied", "total"):
            print(f"{crit:<13} {phase:<9} {_fmt(r['results'][crit][phase])}")
    for note in r["notes"]:
        print(f"note: {note}")


def _progress(quiet: bool):
    if quiet:
        return None
    start = time.perf_counter()

    def report(done: int, total: int) -> None:
        print(f"\rpropagating: {done}/{total} systems ({time.perf_counter() - start:.1f} s since start)",
              end="\n" if done == total else "", file=sys.stderr, flush=True)

    return report


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        if args.command == "estimate":
            from .api import estimate

            r = estimate(args.gpu, args.count, args.hours, gpu_hours=args.gpu_hours,
                         country=args.country, preset=args.preset, num_samples=args.samples,
                         seed=args.seed, host_server=args.host_server)
            if args.json:
                print(json.dumps(r, indent=2))
            else:
                _print_estimate(r)
        elif args.command == "run":
            from .api import run

            if not args.quiet:
                print("loading data and priors...", file=sys.stderr)
            res = run(args.data, preset=args.preset, num_samples=args.samples, seed=args.seed,
                      host_server=args.host_server, impute=not args.no_impute,
                      since=args.since or None, out=args.out, progress=_progress(args.quiet))
            st = res.settings
            out = Path(args.out)
            print(f"{st['systems_estimated']} systems estimated from {st['data']}; "
                  f"{st['rows_skipped']} rows skipped (reasons in {out / 'skipped.csv'}; "
                  "a row may have several)")
            reasons = res.skipped["reason"].str.split("; ").explode()
            reasons = reasons.str.replace(r"hardware '.*' maps", "hardware '...' maps", regex=True)
            for reason, n in reasons.value_counts().items():
                print(f"  skipped {n:>4}: {reason}")
            if "mfu_model" in st:
                m = st["mfu_model"]
                print(f"{st['systems_imputed']} systems with imputed inputs (column 'imputed'; "
                      f"{out / 'imputed_inputs.csv'})")
                print(f"MFU model: {m['observations']} observations ({m['reported_by_epoch']} reported "
                      f"by Epoch, {m['rows_excluded']} rows excluded: mfu_excluded.csv); "
                      f"max r_hat {m['max_r_hat']:.3f}, min bulk ESS {m['min_ess_bulk']:.0f}, "
                      f"{m['divergences']} divergences, {m['fit_seconds']:.1f} s")
                if m["max_r_hat"] > 1.01 or m["min_ess_bulk"] < 400 or m["divergences"] > 0:
                    print("WARNING: MFU fit diagnostics below target (r_hat <= 1.01, ESS >= 400, "
                          f"no divergence): see {out / 'mfu_diagnostics.csv'}", file=sys.stderr)
            unknown = res.snapshot.systems["spec_unknown"].ne("").sum()
            print(f"{unknown} systems use hardware with an unknown spec (drawn from the "
                  f"[unknown_specs] prior of preset {st['preset']}; see spec_unknown in impacts.csv)")
            tot = res.impacts[(res.impacts.criterion == "gwp_kgco2e") & (res.impacts.phase == "total")]
            top = tot.nlargest(5, "median")
            print("largest GWP (total, kgCO2e, median [90 % interval]):")
            for _, row in top.iterrows():
                print(f"  {row['system'][:40]:<40} {row['median']:.3g} [{row['q05']:.3g}, {row['q95']:.3g}]")
            written = sorted(p.name for p in out.iterdir())
            print(f"wrote {out}: {', '.join(written)}")
        elif args.command == "countries":
            from .catalog import GRID_CRITERIA, grid_table

            g = grid_table()
            g = g[g["criterion"] == GRID_CRITERIA["gwp_kgco2e"]]
            for code, rows in g.groupby("country"):
                vals = ", ".join(f"{s} {v:.3g}" for s, v in zip(rows["source"], rows["value"]))
                print(f"{code}  kgCO2e/kWh: {vals}")
        elif args.command == "hardware":
            from .catalog import hardware_catalogue, mlca_gpus

            table = mlca_gpus() if args.preset == "mlca" else hardware_catalogue()
            print(f"{'name':<44} {'TDP W':>7} {'die cm2':>8} {'mem GB':>7}")
            for spec in table.values():
                print(f"{spec.name:<44} {spec.tdp_w:>7.4g} {spec.die_area_cm2:>8.4g} {spec.memory_gb:>7.4g}")
    except LcaBayesError as exc:
        print(f"lca-bayes: error: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
