"""Publication outputs end to end: a run and its growth study write figures, tables, trend bands
and one report, with numbers checked against the draws and a known doubling."""

import re

import numpy as np
import pandas as pd
import pytest

from lca_bayes import run
from lca_bayes.propagate import OUTPUTS
from lca_bayes.publish import growth_outputs
from lca_bayes.report import rerun_command, write_report
from lca_bayes.trends import growth_study

FAST = dict(num_warmup=300, num_samples=300, num_chains=2)
NUMBER = r"[0-9.]+(?:e[+-][0-9]+)?"


@pytest.fixture(scope="module")
def doubling(tmp_path_factory):
    """8 V100 systems in France, one a year, the GPU count doubling each year (same hours)."""
    folder = tmp_path_factory.mktemp("pub")
    rows = ["Model,Publication date,Training hardware,Hardware quantity,Training time (hours),"
            "Country (of organization),Organization categorization"]
    rows += [f"m{i},{2015 + i}-07-01,NVIDIA V100,{8 * 2 ** i},100,France,Industry" for i in range(8)]
    (folder / "epoch.csv").write_text("\n".join(rows) + "\n")
    out = folder / "res"
    res = run(folder / "epoch.csv", num_samples=400, seed=3, out=out)
    return res, out


def test_run_writes_figures_tables_and_report(doubling):
    res, out = doubling
    for stem in ("fig1_gwp_vs_date", "fig1_energy_vs_date", "fig3_embodied_shares", "fig6_top_systems"):
        assert (out / f"{stem}.png").stat().st_size > 10_000 and (out / f"{stem}.pdf").is_file()
    # table cells read back as the medians and bounds of impacts.csv (3 significant figures)
    table = pd.read_csv(out / "table_systems.csv", keep_default_na=False).set_index("System")
    imp = pd.read_csv(out / "impacts.csv")
    row = imp[(imp.system == "m7") & (imp.criterion == "gwp_kgco2e") & (imp.phase == "total")].iloc[0]
    med, lo, hi = (float(x) for x in re.fullmatch(rf"({NUMBER}) \[({NUMBER}), ({NUMBER})\]",
                                                  table.loc["m7", "GWP (kgCO2e)"]).groups())
    assert med == pytest.approx(row["median"], rel=5e-3) and lo == pytest.approx(row["q05"], rel=5e-3)
    assert hi == pytest.approx(row["q95"], rel=5e-3)
    assert table.index[0] == "m7"  # sorted by GWP: the largest run first
    tex = (out / "table_systems.tex").read_text()
    assert "\\toprule" in tex and "\\bottomrule" in tex and "kgCO$_2$e" in tex
    # embodied shares: median over draws of embodied / total, from the draws themselves
    shares = pd.read_csv(out / "embodied_shares.csv").set_index(["system", "criterion"])
    d = res.propagation.draws[:, 2]
    share = d[:, OUTPUTS.index("gwp_kgco2e_embodied")] / d[:, OUTPUTS.index("gwp_kgco2e_total")]
    assert shares.loc[("m2", "gwp_kgco2e"), "embodied_share_median"] == pytest.approx(np.median(share), rel=1e-4)
    report = (out / "report.html").read_text()
    assert "fig1_gwp_vs_date.png" in report and "table_systems.tex" in report
    assert "lca-bayes run --data" in report and "--seed 3" in report and "data sha256" in report


def test_growth_outputs_recover_the_doubling(doubling):
    res, out = doubling
    study = growth_study(res, imputations=1, seed=0, with_scenarios=False, mcmc=FAST)
    growth_outputs(out, study.growth, None, study.trends, res)
    write_report(out)
    bands = pd.read_csv(out / "trend_bands.csv")
    line = bands[(bands.criterion == "gwp_kgco2e_total") & (bands.group == "all")]
    # the fitted GWP line doubles each year, as the GPU count does
    per_year = (line["median"].iloc[-1] / line["median"].iloc[0]) ** (1 / np.ptp(line["year"]))
    assert per_year == pytest.approx(2.0, rel=0.1)
    assert (line["q05"] <= line["q25"]).all() and (line["q75"] <= line["q95"]).all()
    growth = pd.read_csv(out / "table_growth.csv").set_index(["Criterion", "Group"])
    factor = float(growth.loc[("GWP total", "All systems"), "Growth factor (×/yr)"].split()[0])
    assert factor == pytest.approx(2.0, rel=0.1)
    for stem in ("fig4_growth_forest", "fig1_gwp_vs_date"):
        assert (out / f"{stem}.png").is_file() and (out / f"{stem}.pdf").is_file()
    report = (out / "report.html").read_text()
    assert "fig4_growth_forest.png" in report and "table_growth.csv" in report
    assert "lca-bayes growth --run" not in report  # the hint disappears once growth is there


def test_rerun_command_keeps_every_setting():
    cmd = rerun_command({"data_arg": "2024-07", "preset": "mlca", "samples": 100, "seed": 7,
                         "impute": False, "since": None, "host_server": True})
    assert cmd == ("lca-bayes run --data 2024-07 --preset mlca --samples 100 --seed 7 --no-impute "
                   "--since 0 --host-server --out DIR")
