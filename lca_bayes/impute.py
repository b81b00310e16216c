"""Imputation of missing training inputs, as draws that flow into the Monte Carlo.

- Missing training time or GPU count: impacts depend on GPU-hours only, and
  ``GPU-hours = compute / (peak FLOP/s × MFU × 3600)`` with MFU drawn from the posterior
  predictive of ``lca_bayes.utilisation`` (per system and draw). Whether time, count or both are
  missing, the same GPU-hours follow.
- Missing hardware: a mixture over the hardware of the snapshot's systems published within
  ±``window_years`` (weights = how many systems used it; the same organisation type when at least
  ``min_candidates`` systems qualify), restricted to hardware with a known peak.
- Missing country: a mixture over the countries of all systems of the snapshot, weighted by how
  often each is named.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .catalog import HardwareSpec
from .data import Snapshot
from .utilisation import GENERATIONS, ORG_TYPES, org_type, uses_tensor_peak

MAX_CANDIDATES = 12


@dataclass(frozen=True)
class Imputation:
    """Per-system lists to feed ``make_inputs`` and what must be imputed by MFU draws."""

    specs: list[list[HardwareSpec]]
    spec_weights: list[list[float]]
    countries: list[list[str]]
    country_weights: list[list[float]]
    needs_mfu: np.ndarray
    use_tensor: np.ndarray
    generation: np.ndarray
    org: np.ndarray
    skipped: pd.DataFrame


def _hardware_pool(systems: pd.DataFrame, specs) -> pd.DataFrame:
    rows = []
    for i, hw in enumerate(specs):
        for spec in hw:
            rows.append({"year": systems["year"].iat[i], "org": org_type(systems["organization_type"].iat[i]),
                         "hardware": spec, "weight": 1.0 / len(hw)})
    return pd.DataFrame(rows, columns=["year", "org", "hardware", "weight"])


def hardware_candidates(year: float, org: str, pool: pd.DataFrame, *, window_years: float = 1.5,
                        min_candidates: int = 10) -> tuple[list[HardwareSpec], list[float]]:
    """Hardware mixture for a system with no hardware: period (and organisation type) peers."""
    pool = pool[[not math.isnan(h.peak_flops(True)) for h in pool["hardware"]]]
    for window in (window_years, 2 * window_years, math.inf):
        near = pool[(pool["year"] - year).abs() <= window]
        same = near[near["org"] == org]
        chosen = same if len(same) >= min_candidates else near
        if len(chosen) >= min_candidates or window == math.inf:
            break
    if chosen.empty:
        return [], []
    weights = Counter()
    for spec, w in zip(chosen["hardware"], chosen["weight"]):
        weights[spec] += w
    top = weights.most_common(MAX_CANDIDATES)
    return [s for s, _ in top], [w for _, w in top]


def impute_inputs(snapshot: Snapshot) -> Imputation:
    """Hardware and country mixtures, precision rule and covariates for every system."""
    systems = snapshot.systems.reset_index(drop=True)
    pool = _hardware_pool(systems, snapshot.specs)
    country_counts = Counter(c for cl in snapshot.countries for c in cl)
    all_countries = sorted(country_counts)
    specs, spec_w, countries, country_w, skipped = [], [], [], [], []
    needs_mfu = systems["imputed"].str.contains("hardware_quantity|training_time|hardware").to_numpy()
    use_tensor = np.zeros(len(systems), bool)
    generation = np.full(len(systems), -1, int)
    org = np.array([ORG_TYPES.index(org_type(o)) for o in systems["organization_type"]], int)
    for i, s in systems.iterrows():
        hw, w = list(snapshot.specs[i]), [1.0] * len(snapshot.specs[i])
        if not hw:
            hw, w = hardware_candidates(s["year"], ORG_TYPES[org[i]], pool)
            if not hw:
                skipped.append((s["system"], int(s["csv_row"]), "no hardware in use at that date to impute from"))
        if len(hw) == 1:
            generation[i] = GENERATIONS.index(hw[0].generation)
        use_tensor[i] = uses_tensor_peak(s.get("numerical_format", ""), s["year"], hw[0] if len(hw) == 1 else None)
        missing = [h.name for h in hw if math.isnan(h.peak_flops(use_tensor[i]))]
        if needs_mfu[i] and missing:
            skipped.append((s["system"], int(s["csv_row"]), f"no peak FLOP/s for {', '.join(missing)}: cannot impute GPU-hours"))
        specs.append(hw)
        spec_w.append(w)
        if snapshot.countries[i]:
            countries.append(list(snapshot.countries[i]))
            country_w.append([1.0] * len(snapshot.countries[i]))
        else:
            countries.append(all_countries)
            country_w.append([float(country_counts[c]) for c in all_countries])
    return Imputation(specs, spec_w, countries, country_w, needs_mfu, use_tensor, generation, org,
                      pd.DataFrame(skipped, columns=["system", "csv_row", "reason"]))
