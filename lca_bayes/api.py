"""Python API mirroring the CLI: ``estimate`` (one training run) and ``run`` (a whole snapshot).

Example
-------
>>> from lca_bayes import estimate
>>> r = estimate("NVIDIA A100 SXM4 80 GB", count=8, hours=100, country="FRA", num_samples=2000)
>>> sorted(r["results"])
['adpe_kgsbeq', 'energy_kwh', 'gwp_kgco2e', 'pe_mj']
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import jax
import pandas as pd
import xarray as xr

import numpy as np

from .catalog import resolve_country, resolve_hardware
from .data import Snapshot, load_snapshot
from .errors import InvalidInputError
from .impute import Imputation, impute_inputs
from .priors import load_priors
from .propagate import Propagation, make_inputs, propagate
from .results import UNITS, summary_dict, tidy_summary, to_datatree
from .utilisation import MfuData, MfuFit, fit_mfu, mfu_observations, predict_mfu

IMPACT_COLUMNS = ["system", "publication_date", "hardware", "country", "imputed", "criterion",
                  "phase", "unit", "mean", "median", "q05", "q95", "spec_unknown", "notes"]


def _positive(name: str, value) -> float:
    """A positive finite number from a CLI or API value; errors name the field and value."""
    try:
        x = float(value)
    except (TypeError, ValueError):
        raise InvalidInputError(f"{name} = {value!r} is not a number") from None
    if not math.isfinite(x) or x <= 0:
        raise InvalidInputError(f"{name} = {value!r} must be a positive, finite number")
    return x


def count_and_hours(count, hours, gpu_hours) -> tuple[float, float]:
    """(GPU count, hours) from ``count`` and ``hours``, or (1, ``gpu_hours``); validated."""
    if gpu_hours is not None:
        if count is not None or hours is not None:
            raise InvalidInputError("give either gpu_hours or count and hours, not both")
        return 1.0, _positive("gpu_hours", gpu_hours)
    if count is None or hours is None:
        raise InvalidInputError("give count and hours (or gpu_hours)")
    return _positive("count", count), _positive("hours", hours)


def _check_samples_seed(num_samples, seed) -> tuple[int, int]:
    if isinstance(num_samples, bool) or not isinstance(num_samples, int) or num_samples < 2:
        raise InvalidInputError(f"samples = {num_samples!r} must be an integer >= 2")
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise InvalidInputError(f"seed = {seed!r} must be a non-negative integer")
    return num_samples, seed


def estimate(gpu: str, count=None, hours=None, *, gpu_hours=None, country: str = "WOR",
             preset: str = "default", num_samples: int = 20000, seed: int = 0,
             host_server: bool = False) -> dict:
    """Impacts of one training run with 90 % intervals: what ``lca-bayes estimate --json`` prints.

    Parameters
    ----------
    gpu : accelerator name (catalogue, Epoch or MLCA spelling; ``"Any"`` for MLCA's generic GPU).
    count, hours : number of GPUs and wall-clock training hours; or ``gpu_hours`` alone.
    country : ISO 3166-1 alpha-3 code of the grid, or ``"WOR"`` for the world average.
    preset : ``"default"`` (probabilistic), ``"mlca"`` (MLCA's point values) or a priors TOML path.
    num_samples, seed : Monte Carlo draws and the seed of the ``jax.random`` key.
    host_server : add each GPU's share of a host server's production impacts.

    Returns
    -------
    dict with ``inputs``, ``preset``, ``samples``, ``seed``, ``results`` (energy_kwh in kWh;
    gwp_kgco2e, adpe_kgsbeq, pe_mj each with use, embodied, total), ``units`` and ``notes``; every
    leaf is ``{"mean", "median", "q05", "q95"}``.
    """
    num_samples, seed = _check_samples_seed(num_samples, seed)
    n_gpu, run_hours = count_and_hours(count, hours, gpu_hours)
    priors = load_priors(preset)
    spec = resolve_hardware(gpu, priors.hardware_table)
    code = resolve_country(country)
    inputs = make_inputs(["run"], [n_gpu], [run_hours], [[spec]], [[code]])
    prop = propagate(jax.random.key(seed), inputs, priors, num_samples,
                     host_server=host_server, keep_draws=False, seed=seed)
    notes = [f"spec unknown ({f}): drawn from the [unknown_specs] prior of {priors.name}"
             for f in spec.unknown_fields]
    notes += [g.fallback for g in prop.grid_priors if g.fallback]
    return {
        "inputs": {"gpu": gpu, "hardware": spec.name, "hardware_source": spec.source,
                   "tdp_w": _none_if_nan(spec.tdp_w), "die_area_cm2": _none_if_nan(spec.die_area_cm2),
                   "memory_gb": _none_if_nan(spec.memory_gb), "count": None if gpu_hours is not None else n_gpu,
                   "hours": None if gpu_hours is not None else run_hours,
                   "gpu_hours": n_gpu * run_hours, "country": code, "host_server": host_server},
        "preset": priors.name,
        "samples": num_samples,
        "seed": seed,
        "results": summary_dict(prop),
        "units": dict(UNITS),
        "interval": "90 % equal-tailed (q05, q95)",
        "notes": notes,
    }


def _none_if_nan(x: float):
    return None if math.isnan(x) else x


@dataclass(frozen=True)
class RunResult:
    """What ``run`` returns: the snapshot, the propagation, tidy impacts, the DataTree and, when
    inputs were imputed, the utilisation fit with its observations."""

    snapshot: Snapshot
    propagation: Propagation
    impacts: pd.DataFrame
    tree: xr.DataTree
    settings: dict
    mfu_fit: MfuFit | None = None
    mfu_data: MfuData | None = None
    imputed_inputs: pd.DataFrame | None = None
    mfu_draws: np.ndarray | None = None

    @property
    def skipped(self) -> pd.DataFrame:
        return self.snapshot.skipped


def _keep(snap: Snapshot, imp: Imputation) -> tuple[Snapshot, Imputation]:
    """Move the systems imputation cannot handle to ``skipped``."""
    if imp.skipped.empty:
        return snap, imp
    keep = ~snap.systems["system"].isin(imp.skipped["system"]).to_numpy()
    idx = np.flatnonzero(keep)
    pick = lambda seq: [seq[i] for i in idx]  # noqa: E731
    snap = Snapshot(snap.path, snap.systems[keep].reset_index(drop=True), pick(snap.specs),
                    pick(snap.countries), pd.concat([snap.skipped, imp.skipped], ignore_index=True))
    imp = Imputation(pick(imp.specs), pick(imp.spec_weights), pick(imp.countries),
                     pick(imp.country_weights), imp.needs_mfu[keep], imp.use_tensor[keep],
                     imp.generation[keep], imp.org[keep], imp.skipped)
    return snap, imp


def run_keys(seed: int):
    """The keys of a run's stages (MFU fit, MFU prediction, propagation) from its seed."""
    return jax.random.split(jax.random.key(seed), 3)


def run(data=None, *, preset: str = "default", num_samples: int = 4000, seed: int = 0,
        host_server: bool = False, impute: bool = True, since: int | None = 2013,
        out: str | Path | None = None, progress: Callable[[int, int], None] | None = None,
        mfu_settings: dict | None = None) -> RunResult:
    """Propagate uncertainty for every estimable system of an Epoch snapshot.

    ``data``: ``None`` (embedded 2026-07 snapshot), ``"2024-07"`` or a CSV path. ``impute``: also
    estimate systems with a known training compute whose hardware, GPU count or training time is
    missing (imputed from the utilisation model); ``False`` keeps the complete rows only.
    ``since``: first publication year (``None``: all). ``mfu_settings``: keyword arguments of
    ``fit_mfu`` (num_warmup, num_samples, num_chains). With ``out``, writes the files listed in
    the README (``impacts.csv``, ``draws.nc``, ...).
    """
    num_samples, seed = _check_samples_seed(num_samples, seed)
    priors = load_priors(preset)
    snap = load_snapshot(data, priors.hardware_table, impute=impute, since=since)
    if snap.systems.empty:
        raise InvalidInputError(f"{snap.path.name}: no estimable system "
                                f"({len(snap.skipped)} rows skipped, see their reasons)")
    snap, imp = _keep(snap, impute_inputs(snap))
    k_fit, k_pred, k_prop = run_keys(seed)
    s = snap.systems
    fit = mfu_data = mfu = None
    if imp.needs_mfu.any():
        mfu_data = mfu_observations(s, snap.specs)
        fit = fit_mfu(k_fit, mfu_data, **(mfu_settings or {}))
        mfu = predict_mfu(k_pred, fit, s["year"].to_numpy(), imp.generation, imp.org, num_samples)
    inputs = make_inputs(list(s["system"]), s["n_gpu"].to_numpy(), s["hours"].to_numpy(),
                         imp.specs, imp.countries, hardware_weights=imp.spec_weights,
                         country_weights=imp.country_weights, compute_flop=s["compute_flop"].to_numpy(),
                         needs_mfu=imp.needs_mfu, use_tensor=imp.use_tensor)
    prop = propagate(k_prop, inputs, priors, num_samples, mfu=mfu, host_server=host_server,
                     keep_draws=True, progress=progress, seed=seed)
    impacts = tidy_summary(prop, s)
    impacts = impacts[IMPACT_COLUMNS + [c for c in impacts.columns if c not in IMPACT_COLUMNS]]
    settings = {"data": str(snap.path.name), "preset": priors.name, "priors_file": str(priors.path.name),
                "samples": num_samples, "seed": seed, "host_server": host_server, "impute": impute,
                "since": since, "data_arg": None if data is None else str(data), "systems_estimated": int(len(s)),
                "systems_imputed": int((s["imputed"] != "").sum()),
                "rows_skipped": int(len(snap.skipped)), "interval": "90 % equal-tailed (q05, q95)"}
    if mfu_settings:
        settings["mfu_settings"] = dict(mfu_settings)  # a rerun (sensitivity, growth) uses them
    if fit is not None:
        settings["mfu_model"] = {"observations": int(len(mfu_data.logit_mfu)),
                                 "reported_by_epoch": int(mfu_data.reported.sum()),
                                 "rows_excluded": int(len(mfu_data.excluded)),
                                 "max_r_hat": float(fit.diagnostics["r_hat"].max()),
                                 "min_ess_bulk": float(fit.diagnostics["ess_bulk"].min()),
                                 "divergences": fit.divergences, "fit_seconds": round(fit.seconds, 2)}
    tree = to_datatree(prop, s.drop(columns=["notes"]), attrs={"data": settings["data"]})
    result = RunResult(snap, prop, impacts, tree, settings, fit, mfu_data,
                       _imputed_inputs(s, imp, prop, mfu), mfu)
    if out is not None:
        write_run(result, Path(out), k_pred)
    return result


def _imputed_inputs(s: pd.DataFrame, imp: Imputation, prop: Propagation, mfu) -> pd.DataFrame:
    """Per imputed system: MFU and GPU-hours medians and 90 % intervals, hardware candidates."""
    rows = []
    gpu_hours = prop.parameter_draws["gpu_hours"]
    for i in np.flatnonzero((s["imputed"] != "").to_numpy()):
        q = np.quantile(gpu_hours[:, i], [0.5, 0.05, 0.95])
        row = {"system": s["system"].iat[i], "imputed": s["imputed"].iat[i],
               "gpu_hours_median": q[0], "gpu_hours_q05": q[1], "gpu_hours_q95": q[2]}
        if imp.needs_mfu[i]:
            m = np.quantile(mfu[i], [0.5, 0.05, 0.95])
            row.update(mfu_median=m[0], mfu_q05=m[1], mfu_q95=m[2])
        row["hardware_candidates"] = "; ".join(
            f"{h.name} ({w / sum(imp.spec_weights[i]):.2f})" for h, w in zip(imp.specs[i], imp.spec_weights[i]))
        row["country_candidates"] = "; ".join(
            f"{c} ({w / sum(imp.country_weights[i]):.2f})" for c, w in zip(imp.countries[i], imp.country_weights[i]))
        rows.append(row)
    return pd.DataFrame(rows)


def write_run(result: RunResult, out: Path, rng_key=None) -> None:
    """Write the files of a run into ``out`` (created if needed)."""
    out.mkdir(parents=True, exist_ok=True)
    result.impacts.drop(columns=["csv_row"], errors="ignore").to_csv(out / "impacts.csv", index=False)
    result.snapshot.systems.to_csv(out / "systems.csv", index=False)
    result.skipped.to_csv(out / "skipped.csv", index=False)
    pd.DataFrame([g.__dict__ for g in result.propagation.grid_priors]).to_csv(
        out / "grid_priors.csv", index=False)
    if result.imputed_inputs is not None and not result.imputed_inputs.empty:
        result.imputed_inputs.to_csv(out / "imputed_inputs.csv", index=False)
    if result.mfu_fit is not None:
        diag = result.mfu_fit.diagnostics.assign(divergences=result.mfu_fit.divergences)
        diag.to_csv(out / "mfu_diagnostics.csv", index=False)
        data = result.mfu_data
        pd.DataFrame({"system": data.system, "year": data.year, "mfu": data.mfu,
                      "source": np.where(data.reported, "reported by Epoch", "computed")}).to_csv(
            out / "mfu_observations.csv", index=False)
        data.excluded.to_csv(out / "mfu_excluded.csv", index=False)
        from .plots import mfu_ppc_figure

        mfu_ppc_figure(rng_key if rng_key is not None else jax.random.key(0), result.mfu_fit,
                       data, out / "mfu_ppc.png")
    result.tree.to_netcdf(out / "draws.nc", engine="h5netcdf")
    (out / "run.json").write_text(json.dumps(result.settings, indent=2) + "\n")
    from .publish import run_outputs
    from .report import write_report

    run_outputs(result, out)
    write_report(out)
