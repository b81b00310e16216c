"""Publication outputs of a run and of a growth study: figures (PNG and PDF), tables (CSV and
LaTeX booktabs) and the tables behind the figures, written into an output folder.

Names (``fig*`` stems get ``.png`` and ``.pdf``; ``table_*`` get ``.csv`` and ``.tex``):

- from ``run``: ``fig1_gwp_vs_date`` and ``fig1_energy_vs_date`` (points with 90 % intervals, per
  organisation type), ``fig2_card_production`` (+ ``cards.csv``), ``fig3_embodied_shares``
  (+ ``embodied_shares.csv``), ``fig6_top_systems``, ``table_systems``;
- from ``growth``: ``growth.csv``, ``scenarios.csv``, ``trend_bands.csv``, ``fig1_*`` redrawn with the fitted trend and its 50 % and
  90 % bands, ``fig4_growth_forest``, ``table_growth``, ``table_scenarios``;
- from ``sensitivity --from-run``: ``fig5_sobol_slope``.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from . import figures, tables

TOP_SYSTEMS_LATEX = 25
FIG1 = {"fig1_gwp_vs_date": "gwp_kgco2e", "fig1_energy_vs_date": "energy_kwh"}


def with_groups(impacts: pd.DataFrame, systems: pd.DataFrame, group_by: str = "organization_type"
                ) -> pd.DataFrame:
    """``impacts`` with a ``group`` column: each system's group as the growth model groups it."""
    from .trends import system_groups

    index, names = system_groups(systems.reset_index(drop=True), group_by)
    group = dict(zip(systems["system"], (names[i] for i in index)))
    return impacts.assign(group=impacts["system"].map(group))


def _fig1(impacts: pd.DataFrame, out: Path, trends: pd.DataFrame | None = None) -> list[Path]:
    paths = []
    for stem, crit in FIG1.items():
        paths += figures.impacts_vs_date_figure(impacts, out / stem, criterion=crit, phase="total",
                                                trends=trends)
    return paths


def run_outputs(result, out: Path) -> list[Path]:
    """Figures 1, 2, 3 and 6 and the per-system table of a ``run`` result."""
    from .results import embodied_shares
    from .trends import card_summary

    out.mkdir(parents=True, exist_ok=True)
    systems = result.snapshot.systems
    impacts = with_groups(result.impacts, systems)
    paths = _fig1(impacts, out)
    cards = card_summary(result)
    cards.to_csv(out / "cards.csv", index=False)
    paths.append(out / "cards.csv")
    if not cards.empty:
        paths += figures.card_production_figure(cards, out / "fig2_card_production")
    shares = embodied_shares(result.propagation, systems)
    shares.to_csv(out / "embodied_shares.csv", index=False)
    paths.append(out / "embodied_shares.csv")
    paths += figures.shares_figure(shares, out / "fig3_embodied_shares")
    paths += figures.top_systems_figure(impacts, out / "fig6_top_systems", top=min(20, len(systems)))
    n = min(TOP_SYSTEMS_LATEX, len(systems))
    paths += tables.write_table(
        tables.system_table(impacts), tables.system_table(impacts, top=n, latex=True),
        out / "table_systems",
        caption=f"Training impacts of the {n} systems with the largest GWP (median [5 %, 95 %]; "
                f"total of use and GPU production).", label="tab:systems")
    return paths


def growth_outputs(out: Path, growth: pd.DataFrame, scenarios: pd.DataFrame | None = None,
                   trends: pd.DataFrame | None = None, result=None,
                   group_by: str = "organization_type") -> list[Path]:
    """``growth.csv`` and ``scenarios.csv`` (frames of ``trends.growth_study``), trend bands,
    figure 1 with trends (needs the run ``result``), figure 4 and the growth and scenario tables."""
    out.mkdir(parents=True, exist_ok=True)
    growth.to_csv(out / "growth.csv", index=False)
    paths = [out / "growth.csv"]
    if scenarios is not None:
        scenarios.to_csv(out / "scenarios.csv", index=False)
        paths.append(out / "scenarios.csv")
    if trends is not None:
        trends.to_csv(out / "trend_bands.csv", index=False)
        paths.append(out / "trend_bands.csv")
        if result is not None:
            paths += _fig1(with_groups(result.impacts, result.snapshot.systems, group_by), out, trends)
    paths += figures.growth_forest_figure(growth, out / "fig4_growth_forest", scenarios=scenarios)
    paths += tables.write_table(tables.growth_table(growth, groups=None),
                                tables.growth_table(growth, latex=True), out / "table_growth",
                                caption="Annual growth factor and doubling time of training impacts "
                                        "(median [5 %, 95 %]).", label="tab:growth")
    if scenarios is not None and not scenarios.empty:
        paths += tables.write_table(tables.scenario_table(scenarios, groups=None),
                                    tables.scenario_table(scenarios, latex=True), out / "table_scenarios",
                                    caption="Growth of total GWP under each scenario "
                                            "(median [5 %, 95 %]).", label="tab:scenarios")
    return paths
