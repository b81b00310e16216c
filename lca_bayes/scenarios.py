"""The reference study's optimisation strategies as scenarios, on the draws of a run.

- ``location_shift``: every system trained on one low-carbon grid (default FRA);
- ``best_hardware``: every system with a known training compute trained on the most
  energy-efficient accelerator released by its publication date (highest peak FLOP/s per W in
  the catalogue), at its own utilisation (observed MFU for complete rows, the imputation draws
  otherwise); systems without compute keep their hardware;
- ``grid_decline``: grid carbon intensity falling by ``grid_annual_ratio`` each year from 2013
  (use-phase GWP × ratio^(year − 2013)).

Each returns GWP total draws (draw, system) in kgCO2e with the same random numbers as the run.
"""

from __future__ import annotations

import math

import numpy as np

from .catalog import hardware_catalogue
from .propagate import OUTPUTS, RunInputs, make_inputs, propagate

GWP_TOTAL = OUTPUTS.index("gwp_kgco2e_total")
GWP_USE = OUTPUTS.index("gwp_kgco2e_use")


def _rerun(result, inputs: RunInputs, mfu) -> np.ndarray:
    from .api import run_keys

    prop = propagate(run_keys(result.settings["seed"])[2], inputs, result.propagation.priors,
                     result.settings["samples"], mfu=mfu, host_server=result.settings["host_server"])
    return prop.draws[:, :, GWP_TOTAL]


def _lists(choice, weight, entries) -> tuple[list, list]:
    """Per-system lists of entries and their weights, back from padded (S, K) arrays."""
    lists = [[entries[k] for k, w in zip(c, ws) if w > 0] for c, ws in zip(choice, weight)]
    return lists, [[w for w in ws if w > 0] for ws in weight]


def _with(inputs: RunInputs, **changes) -> RunInputs:
    hardware, hardware_w = _lists(inputs.hardware_choice, inputs.hardware_weight, inputs.hardware)
    countries, countries_w = _lists(inputs.country_choice, inputs.country_weight, inputs.countries)
    base = dict(hardware_lists=hardware, hardware_weights=hardware_w, country_lists=countries,
                country_weights=countries_w, compute_flop=inputs.compute_flop,
                needs_mfu=inputs.needs_mfu, use_tensor=inputs.use_tensor)
    base.update(changes)
    return make_inputs(list(inputs.system), inputs.n_gpu, inputs.hours, base.pop("hardware_lists"),
                       base.pop("country_lists"), **base)


def location_shift(result, country: str = "FRA") -> np.ndarray:
    """GWP total (draw, system) with every system on ``country``'s grid."""
    inputs = result.propagation.inputs
    S = inputs.num_systems
    shifted = _with(inputs, country_lists=[[country]] * S, country_weights=None)
    return _rerun(result, shifted, result.mfu_draws)


def best_hardware_by_date():
    """Catalogue entries by release date, each with the most efficient one released so far."""
    specs = [h for h in hardware_catalogue().values()
             if h.release_date and not math.isnan(h.tdp_w) and not math.isnan(h.peak_flops(True))]
    specs.sort(key=lambda h: h.release_date)
    best, out = None, []
    for h in specs:
        if best is None or h.peak_flops(True) / h.tdp_w > best.peak_flops(True) / best.tdp_w:
            best = h
        out.append((h.release_date, best))
    return out


def best_hardware(result) -> tuple[np.ndarray, int]:
    """GWP total (draw, system) on the best hardware at each date; and how many systems moved."""
    inputs = result.propagation.inputs
    systems = result.snapshot.systems.reset_index(drop=True)
    compute = systems["compute_flop"].to_numpy(float)
    frontier = best_hardware_by_date()
    S, D = inputs.num_systems, result.settings["samples"]
    mfu = np.ones((S, D), np.float32) if result.mfu_draws is None else result.mfu_draws.copy()
    lists, weights = _lists(inputs.hardware_choice, inputs.hardware_weight, inputs.hardware)
    needs, moved = inputs.needs_mfu.copy(), 0
    for i in range(S):
        best = [b for d, b in frontier if d <= systems["publication_date"].iat[i]]
        if math.isnan(compute[i]) or not best:
            continue  # no compute or no hardware yet: unchanged
        if not inputs.needs_mfu[i]:  # complete row: keep its observed utilisation
            if len(lists[i]) > 1:
                continue
            peak = lists[i][0].peak_flops(bool(inputs.use_tensor[i]))
            observed = compute[i] / (inputs.n_gpu[i] * inputs.hours[i] * peak * 3600.0)
            if not 0 < observed < 1:
                continue
            mfu[i] = observed
        lists[i], weights[i], needs[i] = [best[-1]], [1.0], True
        moved += 1
    shifted = _with(inputs, hardware_lists=lists, hardware_weights=weights,
                    compute_flop=np.where(needs, compute, 1.0), needs_mfu=needs)
    return _rerun(result, shifted, mfu), moved


def grid_decline(result, annual_ratio: float = 0.95, start_year: float = 2013.0) -> np.ndarray:
    """GWP total (draw, system) with grid intensity × annual_ratio^(year − start_year)."""
    draws = result.propagation.draws
    years = result.snapshot.systems["year"].to_numpy(float)
    factor = annual_ratio ** np.clip(years - start_year, 0, None)
    return draws[:, :, GWP_TOTAL] + draws[:, :, GWP_USE] * (factor[None, :] - 1.0)
