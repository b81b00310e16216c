"""Labelled shell around propagation arrays: an ``xarray.DataTree`` and tidy pandas tables.

The DataTree (ArviZ 1.x's container) has groups ``impacts`` (``impact`` with dims draw, system,
criterion, phase; ``energy_kwh`` with draw, system), ``parameters`` (the parameter draws) and
``systems`` (per-system inputs). Summaries are 90 % equal-tailed intervals.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import xarray as xr

from .impacts import CRITERIA
from .propagate import OUTPUTS, PHASES, SUMMARY_STATS, Propagation

UNITS = {"energy_kwh": "kWh", "gwp_kgco2e": "kgCO2e", "adpe_kgsbeq": "kgSbeq", "pe_mj": "MJ"}


def summary_dict(prop: Propagation, system: int = 0) -> dict:
    """Nested ``{criterion: {phase: {mean, median, q05, q95}}}`` for one system (energy: flat)."""

    def stats(j):
        return {k: float(v) for k, v in zip(SUMMARY_STATS, prop.summary[system, j])}

    out = {"energy_kwh": stats(0)}
    for crit in CRITERIA:
        out[crit] = {ph: stats(OUTPUTS.index(f"{crit}_{ph}")) for ph in PHASES}
    return out


def tidy_summary(prop: Propagation, systems: pd.DataFrame | None = None) -> pd.DataFrame:
    """Long table: one row per system × criterion × phase with mean, median, q05, q95.

    Energy appears with phase ``use`` and ``total`` (equal: the model has no embodied energy).
    ``systems`` (one row per system, in propagation order) adds its columns on the left.
    """
    rows = [("energy_kwh", "use", 0), ("energy_kwh", "total", 0)] + [
        (c, ph, OUTPUTS.index(f"{c}_{ph}")) for c in CRITERIA for ph in PHASES]
    S, R = prop.inputs.num_systems, len(rows)
    stats = prop.summary[:, [j for *_, j in rows], :].reshape(S * R, len(SUMMARY_STATS))
    long = pd.DataFrame(stats, columns=list(SUMMARY_STATS))
    long.insert(0, "unit", [UNITS[c] for c, *_ in rows] * S)
    long.insert(0, "phase", [ph for _, ph, _ in rows] * S)
    long.insert(0, "criterion", [c for c, *_ in rows] * S)
    left = systems.reset_index(drop=True) if systems is not None else pd.DataFrame(
        {"system": list(prop.inputs.system)})
    return left.loc[left.index.repeat(R)].reset_index(drop=True).join(long)


def to_datatree(prop: Propagation, systems: pd.DataFrame | None = None, attrs: dict | None = None
                ) -> xr.DataTree:
    """Draws as an ``xarray.DataTree`` (requires ``keep_draws=True``)."""
    if prop.draws is None:
        raise ValueError("propagation ran with keep_draws=False: no draws to label")
    D, S = prop.draws.shape[:2]
    coords = {"draw": np.arange(D), "system": list(prop.inputs.system)}
    stacked = prop.draws[:, :, 1:].reshape(D, S, len(CRITERIA), len(PHASES))
    impacts = xr.Dataset(
        {"impact": (("draw", "system", "criterion", "phase"), stacked,
                    {"units": "criterion-specific: " + ", ".join(f"{c} {UNITS[c]}" for c in CRITERIA)}),
         "energy_kwh": (("draw", "system"), prop.draws[:, :, 0], {"units": "kWh"})},
        coords={**coords, "criterion": list(CRITERIA), "phase": list(PHASES)})
    params = xr.Dataset({
        name: ((("draw", "system") if v.ndim == 2 else ("draw",)), v,
               {"units": prop.priors.parameters[name].unit if name in prop.priors.parameters
                else "GPU-hour" if name == "gpu_hours" else ""})
        for name, v in (prop.parameter_draws or {}).items()}, coords=coords)
    tree = xr.DataTree.from_dict({"/impacts": impacts, "/parameters": params})
    if systems is not None:
        tab = systems.reset_index(drop=True).copy()
        tab.index = pd.Index(list(prop.inputs.system), name="system")
        tree["systems"] = xr.DataTree(xr.Dataset.from_dataframe(tab.drop(columns="system", errors="ignore")))
    tree.attrs.update({"preset": prop.priors.name, "num_samples": prop.num_samples,
                       "seed": -1 if prop.seed is None else prop.seed,
                       "host_server": int(prop.host_server), "ci_prob": 0.9, "ci_kind": "eti",
                       **(attrs or {})})
    return tree


def embodied_shares(prop: Propagation, systems: pd.DataFrame) -> pd.DataFrame:
    """Per system and criterion (GWP, ADPe, PE): the share of the total that is GPU production,
    embodied / (use + embodied), as a fraction 0–1 — median and 90 % interval over the draws
    (the share is computed per draw, so its interval is not a ratio of intervals)."""
    if prop.draws is None:
        raise ValueError("propagation ran with keep_draws=False: no draws for shares")
    rows = []
    for crit in CRITERIA:
        emb = prop.draws[:, :, OUTPUTS.index(f"{crit}_embodied")].astype(np.float64)
        tot = prop.draws[:, :, OUTPUTS.index(f"{crit}_total")].astype(np.float64)
        q = np.quantile(emb / tot, [0.5, 0.05, 0.95], axis=0)
        rows.append(pd.DataFrame({"system": list(prop.inputs.system),
                                  "publication_date": systems["publication_date"].to_numpy(),
                                  "criterion": crit, "embodied_share_median": q[0],
                                  "embodied_share_q05": q[1], "embodied_share_q95": q[2]}))
    return pd.concat(rows, ignore_index=True)
