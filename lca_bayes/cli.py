"""Command line ``lca-bayes``: a thin shell over the Python API (parse → call → write)."""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from .errors import InvalidInputError, LcaBayesError

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


GROWTH_EXAMPLE = """examples:
  lca-bayes growth --out growth/                  # run the embedded data, then fit
  lca-bayes growth --run results/ --group-by domain --out growth/
  lca-bayes growth --input table.csv --date-col date --value-col kwh --group-col lab --out g/
writes growth.csv (criterion, group, growth_factor_median, growth_factor_q05, growth_factor_q95,
doubling_time_years_median, _q05, _q95, p_growth_positive; group "all" is the population-level
trend), scenarios.csv (the same per scenario) and growth_diagnostics.csv. Exits 3 when a fit
misses r_hat <= 1.01 or bulk ESS >= 400, unless --allow-poor-convergence.
"""


def _add_run_args(p: argparse.ArgumentParser, required: bool = True) -> None:
    """The description of one training run, shared by estimate and sensitivity."""
    p.add_argument("--gpu", required=required,
                   help="accelerator name as in the catalogue, Epoch AI or MLCA ('Any': MLCA's generic GPU)")
    p.add_argument("--count", help="number of GPUs")
    p.add_argument("--hours", help="wall-clock training hours")
    p.add_argument("--gpu-hours", help="GPU-hours, instead of --count and --hours")
    p.add_argument("--country", default="WOR",
                   help="ISO 3166-1 alpha-3 code of the grid (FRA, USA, ...) or WOR (default)")


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
    _add_run_args(est)
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

    gr = sub.add_parser("growth", help="growth rates over time with credible intervals",
                        formatter_class=argparse.RawDescriptionHelpFormatter, epilog=GROWTH_EXAMPLE,
                        description="Hierarchical Bayesian regression of log10 impacts on publication "
                                    "date: growth factor per year, doubling time, P(growth > 0), "
                                    "per criterion, group and scenario.")
    src = gr.add_mutually_exclusive_group()
    src.add_argument("--run", help="a `lca-bayes run` output folder (its settings are rerun)")
    src.add_argument("--input", help="any CSV table (with --date-col and --value-col)")
    gr.add_argument("--date-col", help="column of dates (ISO) or decimal years (with --input)")
    gr.add_argument("--value-col", help="column of positive values (with --input)")
    gr.add_argument("--log10-sd-col", help="column of known log10 standard deviations (with --input)")
    gr.add_argument("--group-col", help="column of groups (with --input)")
    gr.add_argument("--group-by", default="organization_type",
                    choices=("organization_type", "domain", "frontier"),
                    help="grouping of the systems of a run (default organization_type)")
    gr.add_argument("--imputations", type=int, default=3,
                    help="joint Monte Carlo draws fitted and pooled (default 3)")
    gr.add_argument("--no-scenarios", action="store_true", help="skip the scenarios")
    gr.add_argument("--low-carbon-country", default="FRA", help="grid of the location-shift scenario")
    gr.add_argument("--grid-annual-ratio", type=float, default=0.95,
                    help="yearly factor on grid intensity in the grid-decline scenario (default 0.95)")
    gr.add_argument("--allow-poor-convergence", action="store_true",
                    help="exit 0 even when r_hat > 1.01 or bulk ESS < 400")
    gr.add_argument("--data", default=None, help="Epoch snapshot when neither --run nor --input is given")
    gr.add_argument("--out", required=True, help="output folder")
    _add_common(gr, 4000)

    se = sub.add_parser("sensitivity", help="Sobol indices of one training run",
                        formatter_class=argparse.RawDescriptionHelpFormatter,
                        description="Variance-based global sensitivity analysis (first-order S1 and "
                                    "total ST Sobol indices, bootstrap 95 % half-widths) of one "
                                    "training run's energy and total GWP, ADPe and PE.",
                        epilog="example:\n  lca-bayes sensitivity --gpu \"NVIDIA A100 SXM4 80 GB\" "
                               "--count 384 --hours 2808 --country FRA --json\n")
    _add_run_args(se, required=False)
    se.add_argument("--from-run", help="a `lca-bayes run` output folder: indices for every system "
                                       "(its settings are rerun); with --out, the long table as CSV")
    se.add_argument("--out", help="with --from-run: folder for sobol_systems.csv, sobol_aggregates.csv "
                                  "(year totals, growth slope), fig5_sobol_slope.png/.pdf and report.html (the run's folder: one report)")
    se.add_argument("--grouped", action="store_true",
                    help="indices per group of inputs (power draw, lifetime, embodied factors, grid, specs)")
    se.add_argument("--json", action="store_true", help="print {criterion: {input: {S1, S1_conf, ST, ST_conf}}}")
    se.add_argument("--preset", default="default", help="'default' or a priors TOML path")
    se.add_argument("--samples", type=int, default=2**14, help="base samples N (default 16384)")
    se.add_argument("--seed", type=int, default=0, help="seed of the jax.random key (default 0)")
    se.add_argument("--host-server", action="store_true", help="include the host server's share")
    se.add_argument("--tornado", help="also write a one-at-a-time tornado chart (PNG or PDF path)")

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


def _rerun(folder: str):
    """A run result from a run folder's settings (deterministic: same seed, same numbers)."""
    from .api import run

    path = Path(folder) / "run.json"
    try:
        settings = json.loads(path.read_text())
    except (OSError, json.JSONDecodeError) as exc:
        raise InvalidInputError(f"{folder}: not a `lca-bayes run` output folder (cannot read "
                                f"run.json: {exc})") from None
    print(f"rerunning {folder} (seed {settings['seed']}, {settings['samples']} draws)", file=sys.stderr)
    return run(settings.get("data_arg"), preset=settings["preset"], num_samples=settings["samples"],
               seed=settings["seed"], host_server=settings["host_server"],
               impute=settings.get("impute", True), since=settings.get("since", 2013),
               mfu_settings=settings.get("mfu_settings"))


def _sensitivity_from_run(args) -> int:
    from . import figures
    from .sensitivity import build_sobol_figure
    from .sensitivity_run import sensitivity_of_run
    from .tables import criterion_label

    r = sensitivity_of_run(_rerun(args.from_run), num_base=min(args.samples, 2**12), seed=args.seed,
                           grouped=args.grouped)
    table, agg = r.systems, r.aggregates.to_df()
    if args.out:
        out = Path(args.out)
        out.mkdir(parents=True, exist_ok=True)
        table.to_csv(out / "sobol_systems.csv", index=False)
        agg.to_csv(out / "sobol_aggregates.csv", index=False)
        slope = [i for i, o in enumerate(r.aggregates.outputs) if o.endswith("log10 slope")]
        figures.save(build_sobol_figure(
            r.aggregates.select(slope),
            titles={o: f"{criterion_label(o.split()[0])}: growth slope (log10 per year)"
                    for o in r.aggregates.outputs}), out / "fig5_sobol_slope")
        from .report import write_report

        write_report(out)
    if args.json:
        nested = {}
        for row in table.itertuples(index=False):
            nested.setdefault(row.system, {}).setdefault(row.output, {})[row.input] = {
                "S1": row.S1, "S1_conf": row.S1_conf, "ST": row.ST, "ST_conf": row.ST_conf}
        print(json.dumps({"systems": nested, "aggregates": r.aggregates.to_dict()}))
        return 0
    print(f"{table['system'].nunique()} systems; the input with the largest total index, per criterion:")
    for name, rows in table.groupby("output", sort=False):
        top = rows.loc[rows.groupby("system")["ST"].idxmax(), "input"].value_counts()
        print(f"  {name:<12} " + ", ".join(f"{i} {n}" for i, n in top.items()))
    print("log10 growth slope over all systems (least squares on publication year): S1 / ST")
    for name, rows in agg[agg["output"].str.endswith("log10 slope")].groupby("output", sort=False):
        rows = rows.sort_values("ST", ascending=False).head(4)
        print(f"  {name.split()[0]:<12} " + ", ".join(f"{i} {a:.2f}/{b:.2f}" for i, a, b in
                                                      zip(rows["input"], rows["S1"], rows["ST"])))
    totals = agg[agg["output"].str.contains("log10 total")]
    print("log10 of each year's total GWP: largest total index")
    for name, rows in totals[totals["output"].str.startswith("gwp")].groupby("output", sort=False):
        best = rows.loc[rows["ST"].idxmax()]
        print(f"  {name.split()[-1]}  {best['input']} (ST {best['ST']:.2f} ± {best['ST_conf']:.2f})")
    if args.out:
        print(f"wrote {args.out}: sobol_systems.csv, sobol_aggregates.csv, fig5_sobol_slope.png/.pdf, report.html")
    return 0


def _growth(args) -> int:
    import pandas as pd

    from .growth import growth_from_table

    out = Path(args.out)
    say = (lambda msg: print(msg, file=sys.stderr, flush=True))
    if args.input:
        if not (args.date_col and args.value_col):
            raise InvalidInputError("--input needs --date-col and --value-col")
        try:
            table = pd.read_csv(args.input)
        except (OSError, pd.errors.ParserError, UnicodeDecodeError) as exc:
            raise InvalidInputError(f"{args.input}: cannot read the CSV table: {exc}") from None
        growth, diag = growth_from_table(table, date_col=args.date_col, value_col=args.value_col,
                                         log10_sd_col=args.log10_sd_col, group_col=args.group_col,
                                         seed=args.seed)
        scen = None
    else:
        from .api import run
        from .trends import growth_study

        if args.run:
            result = _rerun(args.run)
        else:
            say("running the embedded data (lca-bayes run)")
            result = run(args.data, preset=args.preset, num_samples=args.samples, seed=args.seed,
                         host_server=args.host_server)
        study = growth_study(result, group_by=args.group_by, imputations=args.imputations,
                             seed=args.seed, with_scenarios=not args.no_scenarios,
                             low_carbon_country=args.low_carbon_country,
                             grid_annual_ratio=args.grid_annual_ratio, progress=say)
        growth, diag, scen = study.growth, study.diagnostics, study.scenarios
    out.mkdir(parents=True, exist_ok=True)
    diag.to_csv(out / "growth_diagnostics.csv", index=False)
    from .publish import growth_outputs
    from .report import write_report

    growth_outputs(out, growth, scen, None if args.input else study.trends,
                   None if args.input else result, group_by=args.group_by)
    write_report(out)
    print(f"{'criterion':<22} {'group':<18} {'growth x/yr [90 %]':<24} {'doubling (years)':<18} P(growth>0)")
    for _, r in growth[growth["group"] == "all"].iterrows():
        print(f"{r['criterion']:<22} {r['group']:<18} {r['growth_factor_median']:5.2f} "
              f"[{r['growth_factor_q05']:.2f}, {r['growth_factor_q95']:.2f}]{'':<7} "
              f"{r['doubling_time_years_median']:6.2f}{'':<12} {r['p_growth_positive']:.3f}")
    if scen is not None:
        print("scenarios (GWP total, all systems):")
        for _, r in scen[scen["group"] == "all"].iterrows():
            print(f"  {r['scenario']:<30} {r['growth_factor_median']:5.2f}/yr "
                  f"[{r['growth_factor_q05']:.2f}, {r['growth_factor_q95']:.2f}]  "
                  f"P(growth>0) = {r['p_growth_positive']:.3f}")
    print(f"wrote {out / 'growth.csv'}, growth_diagnostics.csv" + (", scenarios.csv" if scen is not None else "")
          + ", trend_bands.csv, fig4_growth_forest.png/.pdf, table_growth.csv/.tex, report.html")
    worst_rhat, worst_ess = diag["r_hat"].max(), diag["ess_bulk"].min()
    divergences = int(diag.groupby("fit")["divergences"].first().sum())
    print(f"diagnostics: max r_hat {worst_rhat:.3f}, min bulk ESS {worst_ess:.0f}, {divergences} divergences")
    if worst_rhat > 1.01 or worst_ess < 400:
        bad = diag[(diag["r_hat"] > 1.01) | (diag["ess_bulk"] < 400)]
        print("POOR CONVERGENCE: these quantities miss r_hat <= 1.01 or bulk ESS >= 400:\n"
              + bad[["fit", "parameter", "r_hat", "ess_bulk"]].to_string(index=False), file=sys.stderr)
        if not args.allow_poor_convergence:
            print("lca-bayes: error: growth fit did not converge (rerun with more --imputations, "
                  "or --allow-poor-convergence to accept)", file=sys.stderr)
            return 3
    return 0


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "growth":
        import numpyro

        numpyro.set_host_device_count(2)  # chains in parallel (before JAX starts its backend)
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
        elif args.command == "growth":
            return _growth(args)
        elif args.command == "sensitivity" and args.from_run:
            return _sensitivity_from_run(args)
        elif args.command == "sensitivity":
            from .sensitivity import estimate_sensitivity

            if not args.gpu:
                raise InvalidInputError("give --gpu (with --count and --hours, or --gpu-hours) or --from-run DIR")

            r = estimate_sensitivity(args.gpu, args.count, args.hours, gpu_hours=args.gpu_hours,
                                     country=args.country, preset=args.preset, num_base=args.samples,
                                     seed=args.seed, grouped=args.grouped, host_server=args.host_server)
            if args.tornado:
                from .results import UNITS
                from .sensitivity import run_problem, tornado, tornado_figure

                model, names = run_problem(args.gpu, args.count, args.hours, gpu_hours=args.gpu_hours,
                                           country=args.country, preset=args.preset,
                                           host_server=args.host_server)
                bars, median = tornado(model, names)
                tornado_figure(bars, median, names, r.outputs, args.tornado, UNITS)
                print(f"wrote {args.tornado}", file=sys.stderr)
            if args.json:
                print(json.dumps(r.to_dict(), indent=2))
            else:
                table = r.to_df()
                for out, rows in table.groupby("output", sort=False):
                    print(f"{out}: Sobol indices (95 % bootstrap half-widths), by total index")
                    for _, row in rows.sort_values("ST", ascending=False).iterrows():
                        if row["ST"] < 0.005 and abs(row["S1"]) < 0.005:
                            continue
                        print(f"  {row['input'][:48]:<48} S1 {row['S1']:6.3f} ± {row['S1_conf']:.3f}"
                              f"   ST {row['ST']:6.3f} ± {row['ST_conf']:.3f}")
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
