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

from .catalog import resolve_country, resolve_hardware
from .data import Snapshot, load_snapshot
from .errors import InvalidInputError
from .priors import load_priors
from .propagate import Propagation, make_inputs, propagate
from .results import UNITS, summary_dict, tidy_summary, to_datatree

IMPACT_COLUMNS = ["system", "publication_date", "hardware", "country", "criterion", "phase",
                  "unit", "mean", "median", "q05", "q95", "spec_unknown", "notes"]


def _positive(name: str, value) -> float:
    """A positive finite number from a CLI or API value; errors name the field and value."""
    try:
        x = float(value)
    except (TypeError, ValueError):
        raise InvalidInputError(f"{name} = {value!r} is not a number") from None
    if not math.isfinite(x) or x <= 0:
        raise InvalidInputError(f"{name} = {value!r} must be a positive, finite number")
    return x


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
    if gpu_hours is not None:
        if count is not None or hours is not None:
            raise InvalidInputError("give either gpu_hours or count and hours, not both")
        n_gpu, run_hours = 1.0, _positive("gpu_hours", gpu_hours)
    else:
        if count is None or hours is None:
            raise InvalidInputError("give count and hours (or gpu_hours)")
        n_gpu, run_hours = _positive("count", count), _positive("hours", hours)
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
    """What ``run`` returns: the snapshot, the propagation, tidy impacts and the DataTree."""

    snapshot: Snapshot
    propagation: Propagation
    impacts: pd.DataFrame
    tree: xr.DataTree
    settings: dict

    @property
    def skipped(self) -> pd.DataFrame:
        return self.snapshot.skipped


def run(data=None, *, preset: str = "default", num_samples: int = 4000, seed: int = 0,
        host_server: bool = False, out: str | Path | None = None,
        progress: Callable[[int, int], None] | None = None) -> RunResult:
    """Propagate uncertainty for every estimable system of an Epoch snapshot.

    ``data``: ``None`` (embedded 2026-07 snapshot), ``"2024-07"`` or a CSV path. With ``out``,
    writes ``impacts.csv`` (tidy, 90 % intervals), ``draws.nc`` (the DataTree), ``systems.csv``,
    ``skipped.csv``, ``grid_priors.csv`` and ``run.json`` (settings and counts).
    """
    num_samples, seed = _check_samples_seed(num_samples, seed)
    priors = load_priors(preset)
    snap = load_snapshot(data, priors.hardware_table)
    if snap.systems.empty:
        raise InvalidInputError(f"{snap.path.name}: no estimable system "
                                f"({len(snap.skipped)} rows skipped, see their reasons)")
    s = snap.systems
    inputs = make_inputs(list(s["system"]), s["n_gpu"].to_numpy(), s["hours"].to_numpy(),
                         snap.specs, snap.countries)
    prop = propagate(jax.random.key(seed), inputs, priors, num_samples,
                     host_server=host_server, keep_draws=True, progress=progress, seed=seed)
    impacts = tidy_summary(prop, s)
    impacts = impacts[IMPACT_COLUMNS + [c for c in impacts.columns if c not in IMPACT_COLUMNS]]
    settings = {"data": str(snap.path.name), "preset": priors.name, "priors_file": str(priors.path.name),
                "samples": num_samples, "seed": seed, "host_server": host_server,
                "systems_estimated": int(len(s)), "rows_skipped": int(len(snap.skipped)),
                "interval": "90 % equal-tailed (q05, q95)"}
    tree = to_datatree(prop, s.drop(columns=["notes"]), attrs={"data": settings["data"]})
    result = RunResult(snap, prop, impacts, tree, settings)
    if out is not None:
        write_run(result, Path(out))
    return result


def write_run(result: RunResult, out: Path) -> None:
    """Write the files of a run into ``out`` (created if needed)."""
    out.mkdir(parents=True, exist_ok=True)
    result.impacts.drop(columns=["csv_row"], errors="ignore").to_csv(
        out / "impacts.csv", index=False)
    result.snapshot.systems.to_csv(out / "systems.csv", index=False)
    result.skipped.to_csv(out / "skipped.csv", index=False)
    pd.DataFrame([g.__dict__ for g in result.propagation.grid_priors]).to_csv(
        out / "grid_priors.csv", index=False)
    result.tree.to_netcdf(out / "draws.nc", engine="h5netcdf")
    (out / "run.json").write_text(json.dumps(result.settings, indent=2) + "\n")
