"""Publication tables: number formatting, table builders, LaTeX escaping (hand computed)."""

import math

import pandas as pd
import pytest

from lca_bayes.errors import InvalidInputError
from lca_bayes.tables import (
    format_interval,
    format_number,
    growth_table,
    latex_escape,
    scenario_label,
    scenario_table,
    system_table,
    to_latex,
    write_table,
)

INF = math.inf


@pytest.mark.parametrize("x, expected", [
    (2.6481, "2.65"), (0.012345, "0.0123"), (12345.6, "12300"), (1.5, "1.50"), (100.0, "100"),
    (1.5e8, "1.50e+08"), (3.2e-5, "3.20e-05"), (0.0, "0"), (-2.648, "-2.65"),
    (9.996, "10.0"),            # rounding carries into the next decade
    (99999.9, "1.00e+05"),      # plain/scientific decided after rounding
    (0.001, "0.00100"), (0.00099949, "9.99e-04"),
    (float("nan"), "n/a"), (INF, "∞"), (-INF, "-∞"),
])
def test_format_number_text(x, expected):
    assert format_number(x) == expected


@pytest.mark.parametrize("x, expected", [
    (1.5e8, r"$1.50 \times 10^{8}$"), (3.2e-5, r"$3.20 \times 10^{-5}$"),
    (-1.5e8, r"$-1.50 \times 10^{8}$"), (2.648, "2.65"), (-2.648, "$-2.65$"),
    (INF, r"$\infty$"), (float("nan"), "n/a"), (0, "0"),
])
def test_format_number_latex(x, expected):
    assert format_number(x, latex=True) == expected


def test_format_number_digits():
    assert format_number(2.648, digits=2) == "2.6"
    assert format_number(2.648, digits=4) == "2.648"
    assert format_number(1.5e8, digits=2) == "1.5e+08"


def test_format_interval():
    assert format_interval(2.648, 2.42, 2.9) == "2.65 [2.42, 2.90]"
    assert format_interval(0.995, 0.884, INF) == "0.995 [0.884, ∞]"
    assert format_interval(1.57e8, 6.64e7, 4.88e8) == "1.57e+08 [6.64e+07, 4.88e+08]"
    assert format_interval(1.57e8, 6.64e7, 4.88e8, latex=True) == (
        r"$1.57 \times 10^{8}$ [$6.64 \times 10^{7}$, $4.88 \times 10^{8}$]")
    assert format_interval(float("nan"), 1.0, 2.0) == "n/a [1.00, 2.00]"


def _impacts() -> pd.DataFrame:
    """Two systems; total values differ from use/embodied so the total phase is checked."""
    systems = {
        "Small": ("2020-01-01", "NVIDIA V100", "FRA", "hardware_quantity,training_time", 1.0),
        "R&D_model 50%": ("2021-03-04", "NVIDIA A100", "USA", float("nan"), 1e6),
    }
    phases = {"energy_kwh": ["use", "total"], "gwp_kgco2e": ["use", "embodied", "total"],
              "adpe_kgsbeq": ["use", "embodied", "total"], "pe_mj": ["use", "embodied", "total"]}
    base = {"energy_kwh": 10.0, "gwp_kgco2e": 2.648, "adpe_kgsbeq": 1e-4, "pe_mj": 40.0}
    rows = []
    for system, (date, hardware, country, imputed, scale) in systems.items():
        for criterion, crit_phases in phases.items():
            for phase in crit_phases:
                factor = {"use": 0.5, "embodied": 0.25, "total": 1.0}[phase]
                median = base[criterion] * scale * factor
                rows.append({"system": system, "publication_date": date, "hardware": hardware,
                             "country": country, "imputed": imputed, "criterion": criterion,
                             "phase": phase, "unit": "u", "mean": median, "median": median,
                             "q05": median * 0.9, "q95": median * 1.1})
    return pd.DataFrame(rows)


def test_system_table_rows_and_cells():
    table = system_table(_impacts())
    assert list(table.columns) == ["System", "Date", "Hardware", "Country", "Imputed",
                                   "Energy (kWh)", "GWP (kgCO2e)", "ADPe (kgSbeq)", "PE (MJ)"]
    assert list(table["System"]) == ["R&D_model 50%", "Small"]  # by GWP total, descending
    big, small = table.iloc[0], table.iloc[1]
    assert big["Date"] == "2021-03-04" and big["Hardware"] == "NVIDIA A100"
    assert big["Imputed"] == "" and small["Imputed"] == "hardware quantity, training time"
    assert big["GWP (kgCO2e)"] == "2.65e+06 [2.38e+06, 2.91e+06]"
    assert small["GWP (kgCO2e)"] == "2.65 [2.38, 2.91]"
    assert small["Energy (kWh)"] == "10.0 [9.00, 11.0]"  # the total row, not use (5.00)
    assert small["ADPe (kgSbeq)"] == "1.00e-04 [9.00e-05, 1.10e-04]"
    assert big["PE (MJ)"] == "4.00e+07 [3.60e+07, 4.40e+07]"


def test_system_table_top_sort_and_latex():
    impacts = _impacts()
    assert list(system_table(impacts, top=1)["System"]) == ["R&D_model 50%"]
    impacts.loc[(impacts.system == "Small") & (impacts.criterion == "pe_mj"), "median"] = 1e9
    assert list(system_table(impacts, sort_by="pe_mj")["System"]) == ["Small", "R&D_model 50%"]
    latex = system_table(_impacts(), latex=True)
    assert latex.iloc[0]["GWP (kgCO$_2$e)"] == (
        r"$2.65 \times 10^{6}$ [$2.38 \times 10^{6}$, $2.91 \times 10^{6}$]")


def test_system_table_energy_with_use_phase_only():
    impacts = _impacts()
    impacts = impacts[~((impacts.criterion == "energy_kwh") & (impacts.phase == "total"))]
    assert system_table(impacts).iloc[1]["Energy (kWh)"] == "5.00 [4.50, 5.50]"


def test_system_table_rejects_bad_input():
    with pytest.raises(InvalidInputError, match="median"):
        system_table(_impacts().drop(columns=["median"]))
    with pytest.raises(InvalidInputError, match="q05, q95"):
        system_table(_impacts().drop(columns=["q05", "q95"]))
    with pytest.raises(InvalidInputError, match="sort_by"):
        system_table(_impacts(), sort_by="water_l")


def _growth() -> pd.DataFrame:
    return pd.DataFrame({
        "criterion": ["energy_kwh", "energy_kwh", "card_gwp_kgco2e"],
        "group": ["all", "industry", "all"],
        "growth_factor_median": [2.0075, 2.0379, 1.1], "growth_factor_q05": [1.848, 1.77, 0.98],
        "growth_factor_q95": [2.19, 2.326, 1.25],
        "doubling_time_years_median": [0.99466, 0.9736, 7.27],
        "doubling_time_years_q05": [0.8841, 0.821, 3.1],
        "doubling_time_years_q95": [1.1286, 1.214, INF],
        "p_growth_positive": [1.0, 1.0, 0.9124],
    })


def test_growth_table():
    table = growth_table(_growth())
    assert list(table.columns) == ["Criterion", "Group", "Growth factor (×/yr)",
                                   "Doubling time (years)", "P(growth > 0)"]
    assert table.values.tolist() == [
        ["Energy", "All systems", "2.01 [1.85, 2.19]", "0.995 [0.884, 1.13]", "1.000"],
        ["GPU card production, GWP", "All systems", "1.10 [0.980, 1.25]", "7.27 [3.10, ∞]", "0.912"],
    ]
    assert len(growth_table(_growth(), groups=None)) == 3
    assert list(growth_table(_growth(), groups=["industry"])["Group"]) == ["Industry"]
    unknown = _growth().assign(criterion="water_l")
    assert growth_table(unknown)["Criterion"].iloc[0] == "water_l"
    assert growth_table(_growth(), latex=True).iloc[1, 3] == r"7.27 [3.10, $\infty$]"
    with pytest.raises(InvalidInputError, match="p_growth_positive"):
        growth_table(_growth().drop(columns=["p_growth_positive"]))


@pytest.mark.parametrize("code, label", [
    ("baseline", "Baseline"), ("location_shift_FRA", "Location shift (FRA grid)"),
    ("location_shift_SWE", "Location shift (SWE grid)"),
    ("best_hardware", "Best hardware at each date"),
    ("grid_decline_0.95_per_year", "Grid intensity −5 %/yr"),
    ("grid_decline_0.975_per_year", "Grid intensity −2.5 %/yr"),
    ("grid_decline_1.02_per_year", "Grid intensity +2 %/yr"), ("my_scenario", "my_scenario"),
])
def test_scenario_label(code, label):
    assert scenario_label(code) == label


def test_scenario_table():
    growth = _growth()
    scenarios = pd.concat([growth.assign(scenario=s, criterion="gwp_kgco2e_total")
                           for s in ["baseline", "grid_decline_0.9_per_year"]])
    table = scenario_table(scenarios)
    assert list(table.columns) == ["Scenario", "Group", "Growth factor (×/yr)",
                                   "Doubling time (years)", "P(growth > 0)"]
    assert list(table["Scenario"]) == ["Baseline", "Baseline",
                                       "Grid intensity −10 %/yr", "Grid intensity −10 %/yr"]
    assert table.iloc[1, 3] == "7.27 [3.10, ∞]"
    mixed = scenario_table(pd.concat([scenarios, growth.assign(scenario="baseline")]))
    assert list(mixed.columns[:3]) == ["Scenario", "Criterion", "Group"]
    assert "Energy" in set(mixed["Criterion"])


def test_latex_escape():
    assert latex_escape("R&D_model 50%") == r"R\&D\_model 50\%"
    assert latex_escape(r"a#b{c}~^\ $5") == (
        r"a\#b\{c\}\textasciitilde{}\textasciicircum{}\textbackslash{} \$5")
    assert latex_escape(r"$1.50 \times 10^{8}$ [x_y]") == r"$1.50 \times 10^{8}$ [x\_y]"
    assert latex_escape("× ∞ − –") == r"$\times$ $\infty$ $-$ --"
    assert latex_escape("PanGu-Σ, DALL·E 2, ALLaM\xa070B, x†") == (
        r"PanGu-$\Sigma$, DALL$\cdot$E 2, ALLaM~70B, x\dag{}")


def test_to_latex_booktabs():
    table = system_table(_impacts(), latex=True)
    tex = to_latex(table, caption="Impacts 5 % – 95 %", label="tab:impacts")
    lines = tex.splitlines()
    assert lines[:4] == [r"\begin{table}[htbp]", r"\centering",
                         r"\caption{Impacts 5 \% -- 95 \%}", r"\label{tab:impacts}"]
    assert lines[4] == r"\begin{tabular}{" + "l" * len(table.columns) + "}"
    assert lines[5] == r"\toprule" and lines[7] == r"\midrule"
    assert lines[-3:] == [r"\bottomrule", r"\end{tabular}", r"\end{table}"]
    assert lines[6].startswith("System & Date & Hardware") and lines[6].endswith(r"\\")
    assert lines[6].count(" & ") == len(table.columns) - 1
    assert lines[8].startswith(r"R\&D\_model 50\% & 2021-03-04 & NVIDIA A100 & USA &  & ")
    assert r"$2.65 \times 10^{6}$ [$2.38 \times 10^{6}$, $2.91 \times 10^{6}$]" in lines[8]
    assert r"hardware quantity, training time" in lines[9]
    assert r"Growth factor ($\times$/yr)" in to_latex(growth_table(_growth(), latex=True))
    assert r"\caption" not in to_latex(table)


def test_write_table(tmp_path):
    paths = write_table(growth_table(_growth()), growth_table(_growth(), latex=True),
                        tmp_path / "out" / "growth", caption="Growth", label="tab:growth")
    assert [p.name for p in paths] == ["growth.csv", "growth.tex"]
    back = pd.read_csv(paths[0], encoding="utf-8", dtype=str)
    assert back.iloc[1].tolist() == ["GPU card production, GWP", "All systems", "1.10 [0.980, 1.25]",
                                     "7.27 [3.10, ∞]", "0.912"]
    tex = paths[1].read_text(encoding="utf-8")
    assert r"\label{tab:growth}" in tex and r"7.27 [3.10, $\infty$]" in tex
