"""Growth of impacts over time on the draws of a run: criteria, scenarios, GPU cards.

Multiple imputation ("cut" model): ``imputations`` joint Monte Carlo draws of the run are chosen
with a seeded permutation; each is a complete dataset for ``lca_bayes.growth``; the posteriors are
pooled. Groups with fewer than 3 systems are merged into "other".
"""

from __future__ import annotations

from dataclasses import dataclass

import jax
import numpy as np
import pandas as pd

from . import scenarios as sc
from .growth import GROWTH_COLUMNS, MIN_POINTS_PER_GROUP, GrowthFit, fit_growth, growth_rows
from .impacts import CRITERIA, card_embodied
from .propagate import OUTPUTS, embodied_base_factors, scaled_factors
from .utilisation import org_type

SERIES = ("energy_kwh", "gwp_kgco2e_use", "gwp_kgco2e_embodied", "gwp_kgco2e_total",
          "adpe_kgsbeq_total", "pe_mj_total")
"""Outputs (columns of ``OUTPUTS``) whose growth is fitted."""
GROUPINGS = ("organization_type", "domain", "frontier")


def system_groups(systems: pd.DataFrame, group_by: str) -> tuple[np.ndarray, tuple[str, ...]]:
    """Group index per system and group names; groups under 3 systems merge into "other"."""
    if group_by == "organization_type":
        labels = systems["organization_type"].map(org_type)
    elif group_by == "domain":
        labels = systems["domain"].fillna("").astype(str).str.split(",").str[0].replace("", "unknown")
    elif group_by == "frontier":
        labels = np.where(systems["frontier_model"].astype(str).str.lower() == "true", "frontier", "not frontier")
        labels = pd.Series(labels, index=systems.index)
    else:
        raise ValueError(f"group_by = {group_by!r}; expected one of {GROUPINGS}")
    counts = labels.value_counts()
    labels = labels.where(~labels.isin(counts[counts < MIN_POINTS_PER_GROUP].index), "other")
    names = tuple(sorted(labels.unique()))
    return np.array([names.index(x) for x in labels]), names


@dataclass(frozen=True)
class GrowthStudy:
    """growth.csv (criteria and cards), scenarios.csv, the diagnostics of every fit and the
    fitted lines' credible bands (trend_bands.csv: criterion, group, year, q05 … q95)."""

    growth: pd.DataFrame
    scenarios: pd.DataFrame
    diagnostics: pd.DataFrame
    fits: dict
    trends: pd.DataFrame | None = None


def _diagnostics(label: str, fit: GrowthFit) -> pd.DataFrame:
    return fit.diagnostics.assign(fit=label, divergences=fit.divergences,
                                  imputations=fit.num_imputations, seconds=round(fit.seconds, 2))


def card_impacts(result) -> tuple[pd.DataFrame, np.ndarray]:
    """Production impacts of the run's GPU cards with known die area, memory and release date.

    Returns the cards (name, release year) and draws (draw, card, criterion) in kgCO2e, kgSbeq,
    MJ, from the run's shared draws of the embodied factors and DRAM density.
    """
    p = {name: v[:, None] for name, v in result.propagation.parameter_draws.items()
         if v.ndim == 1}  # shared draws as (draw, 1): broadcast over cards
    f = scaled_factors(p, embodied_base_factors())  # (draw, 1, 3)
    cards = [h for h in result.propagation.inputs.hardware
             if not h.unknown_fields and not np.isnan(h.release_year)]
    die = np.array([h.die_area_cm2 for h in cards])[None, :]
    mem = np.array([h.memory_gb for h in cards])[None, :]
    draws = np.asarray(card_embodied(die, mem, p["dram_density"], f["die_factor"], f["base_factor"],
                                     f["dram_factor"], f["dram_base_factor"]))
    table = pd.DataFrame({"hardware": [h.name for h in cards],
                          "release_year": [h.release_year for h in cards]})
    return table, draws


def card_summary(result) -> pd.DataFrame:
    """Production impacts of one card per catalogue entry used by the run: hardware,
    release_year, criterion, unit, median, q05, q95 (kgCO2e, kgSbeq, MJ per card)."""
    from .results import UNITS

    cards, draws = card_impacts(result)
    q = np.quantile(draws, [0.5, 0.05, 0.95], axis=0)  # (3, card, criterion)
    rows = [{"hardware": h, "release_year": y, "criterion": c, "unit": UNITS[c],
             "median": q[0, i, k], "q05": q[1, i, k], "q95": q[2, i, k]}
            for i, (h, y) in enumerate(zip(cards["hardware"], cards["release_year"]))
            for k, c in enumerate(CRITERIA)]
    return pd.DataFrame(rows)


def growth_study(result, *, group_by: str = "organization_type", imputations: int = 3,
                 seed: int = 0, with_scenarios: bool = True, low_carbon_country: str = "FRA",
                 grid_annual_ratio: float = 0.95, mcmc: dict | None = None,
                 progress=None) -> GrowthStudy:
    """Growth rates of every criterion, scenario and card impact of a ``run`` result."""
    say = progress or (lambda msg: None)
    systems = result.snapshot.systems.reset_index(drop=True)
    group, groups = system_groups(systems, group_by)
    year = systems["year"].to_numpy(float)
    draws = result.propagation.draws
    key = jax.random.key(seed)
    pick = np.asarray(jax.random.permutation(jax.random.fold_in(key, 0), draws.shape[0]))[:imputations]
    data = {name: np.log10(draws[pick, :, OUTPUTS.index(name)]) for name in SERIES}
    scenario_data = {}
    if with_scenarios:
        say(f"scenario location_shift ({low_carbon_country})")
        scenario_data[f"location_shift_{low_carbon_country}"] = sc.location_shift(result, low_carbon_country)[pick]
        say("scenario best_hardware")
        best, moved = sc.best_hardware(result)
        scenario_data["best_hardware"] = best[pick]
        scenario_data[f"grid_decline_{grid_annual_ratio:g}_per_year"] = sc.grid_decline(result, grid_annual_ratio)[pick]
        data.update({f"scenario:{k}": np.log10(v) for k, v in scenario_data.items()})
    say(f"fitting {len(data)} growth models ({imputations} imputations each, {len(groups)} groups)")
    fits = fit_growth(jax.random.fold_in(key, 1), year, group, data, groups=groups, **(mcmc or {}))
    cards, card_draws = card_impacts(result)
    card_fits = {}
    if len(cards) >= MIN_POINTS_PER_GROUP:
        say(f"fitting GPU card production trends ({len(cards)} cards)")
        card_data = {f"card_{c}": np.log10(card_draws[pick, :, k]) for k, c in enumerate(CRITERIA)}
        card_fits = fit_growth(jax.random.fold_in(key, 2), cards["release_year"].to_numpy(),
                               np.zeros(len(cards), int), card_data, groups=("all",), **(mcmc or {}))
    rows, scen_rows = [], []
    for label, fit in fits.items():
        if label.startswith("scenario:"):
            scen_rows += [{"scenario": label.split(":", 1)[1], **r}
                          for r in growth_rows("gwp_kgco2e_total", fit)]
        else:
            rows += growth_rows(label, fit)
    for label, fit in card_fits.items():
        rows += growth_rows(label, fit)
    baseline = [{"scenario": "baseline", **r} for r in rows if r["criterion"] == "gwp_kgco2e_total"]
    diagnostics = pd.concat([_diagnostics(k, f) for k, f in {**fits, **card_fits}.items()], ignore_index=True)
    scen = pd.DataFrame(baseline + scen_rows, columns=["scenario"] + GROWTH_COLUMNS)
    if with_scenarios:
        scen.attrs["best_hardware_systems_moved"] = moved
    grid = np.linspace(year.min(), year.max(), 60)
    card_grid = (np.linspace(cards["release_year"].min(), cards["release_year"].max(), 30)
                 if card_fits else grid)
    trends = pd.concat([fit.trend_bands(card_grid if label.startswith("card_") else grid)
                        .assign(criterion=label) for label, fit in {**fits, **card_fits}.items()
                        if not label.startswith("scenario:")], ignore_index=True)
    trends = trends[["criterion", "group", "year", "q05", "q25", "median", "q75", "q95"]]
    return GrowthStudy(pd.DataFrame(rows, columns=GROWTH_COLUMNS), scen, diagnostics,
                       {**fits, **card_fits}, trends)
