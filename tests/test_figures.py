"""Publication figures: files written (PNG + PDF), sizes and aspect, log axes with units,
legends, no overlapping text, clear errors on bad input. Synthetic data from a seeded Generator."""

import itertools
from pathlib import Path

import matplotlib.image as mpimg
import numpy as np
import pandas as pd
import pytest

from lca_bayes import figures as F
from lca_bayes.errors import InvalidInputError

GROUPS = ("academia", "industry", "industry_academia")


@pytest.fixture(scope="module")
def impacts():
    """Tidy impacts table like ``impacts.csv``: 60 systems, 4 criteria, 3 phases (energy: 2)."""
    rng = np.random.default_rng(11)
    n = 60
    dates = pd.Timestamp("2014-01-01") + pd.to_timedelta(rng.uniform(0, 11 * 365, n), unit="D")
    year = 2014 + np.arange(n) * 11 / n
    log_gwp = 0.3 * (year - 2014) + rng.normal(0, 0.8, n)
    imputed = np.where(rng.uniform(size=n) < 0.5, "hardware_quantity,training_time", None)
    hardware = np.where(rng.uniform(size=n) < 0.2, None, rng.choice(["NVIDIA V100", "NVIDIA A100",
                                                                    "Google TPU v4"], n))
    rows = []
    scale = {"energy_kwh": 3.0, "gwp_kgco2e": 1.0, "adpe_kgsbeq": 1e-4, "pe_mj": 30.0}
    for i in range(n):
        for crit, k in scale.items():
            for phase in ("use", "total") if crit == "energy_kwh" else ("use", "embodied", "total"):
                med = k * 10 ** log_gwp[i] * (0.1 if phase == "embodied" else 1.0)
                rows.append({"system": f"System {i:02d}", "publication_date": dates[i].strftime("%Y-%m-%d"),
                             "hardware": hardware[i], "country": "USA", "imputed": imputed[i],
                             "criterion": crit, "phase": phase, "unit": "x", "mean": med * 1.2,
                             "median": med, "q05": med / 3, "q95": med * 3, "group": GROUPS[i % 3]})
    return pd.DataFrame(rows)


@pytest.fixture(scope="module")
def trends():
    grid = np.linspace(2014, 2025, 12)
    out = []
    for g in ("all", *GROUPS):
        m = 10 ** (0.3 * (grid - 2014))
        out.append(pd.DataFrame({"criterion": "gwp_kgco2e_total", "group": g, "year": grid,
                                 "q05": m / 2, "q25": m / 1.3, "median": m, "q75": m * 1.3,
                                 "q95": m * 2}))
    return pd.concat(out, ignore_index=True)


@pytest.fixture(scope="module")
def cards():
    rng = np.random.default_rng(5)
    years = np.array([2014, 2016, 2017, 2018, 2020, 2020, 2021, 2022, 2023, 2023, 2023, 2024])
    rows = []
    for k, y in enumerate(years):
        base = 100 * 6 ** ((y - 2014) / 10) * rng.uniform(0.8, 1.2)
        for crit, f, w in (("gwp_kgco2e", 1.0, 1.5), ("adpe_kgsbeq", 0.02, 3.0), ("pe_mj", 12.0, 1.6)):
            rows.append({"hardware": f"GPU {k}", "release_year": y, "criterion": crit,
                         "median": base * f, "q05": base * f / w, "q95": base * f * w})
    return pd.DataFrame(rows)


@pytest.fixture(scope="module")
def shares():
    rng = np.random.default_rng(7)
    n = 80
    dates = (pd.Timestamp("2015-01-01") + pd.to_timedelta(rng.uniform(0, 10 * 365, n), unit="D")).strftime("%Y-%m-%d")
    rows = []
    for crit, lo, hi in (("gwp_kgco2e", 0.05, 0.30), ("adpe_kgsbeq", 0.80, 0.99), ("pe_mj", 0.01, 0.10)):
        med = rng.uniform(lo, hi, n)
        rows.append(pd.DataFrame({"system": [f"S{i}" for i in range(n)], "publication_date": dates,
                                  "criterion": crit, "embodied_share_median": med,
                                  "embodied_share_q05": med * 0.7,
                                  "embodied_share_q95": np.minimum(med * 1.3, 1.0)}))
    return pd.concat(rows, ignore_index=True)


def _growth_row(criterion, group, m):
    return {"criterion": criterion, "group": group, "growth_factor_median": m,
            "growth_factor_q05": m * 0.9, "growth_factor_q95": m * 1.1,
            "doubling_time_years_median": 1.0, "doubling_time_years_q05": 0.8,
            "doubling_time_years_q95": 1.2, "p_growth_positive": 1.0 if m > 1.1 else 0.8}


@pytest.fixture(scope="module")
def growth():
    crits = ["energy_kwh", "gwp_kgco2e_use", "gwp_kgco2e_embodied", "gwp_kgco2e_total",
             "adpe_kgsbeq_total", "pe_mj_total", "card_gwp_kgco2e", "card_adpe_kgsbeq", "card_pe_mj"]
    rows = [_growth_row(c, g, 2.0 if not c.startswith("card") else 1.1)
            for c in crits for g in ("all", "academia", "industry")]
    return pd.DataFrame(rows)


@pytest.fixture(scope="module")
def scenarios():
    names = ["baseline", "location_shift_FRA", "best_hardware", "grid_decline_0.95_per_year"]
    rows = [{"scenario": s, **_growth_row("gwp_kgco2e_total", g, 2.0 - 0.05 * k)}
            for k, s in enumerate(names) for g in ("all", "academia", "industry")]
    return pd.DataFrame(rows)


def _check_files(paths, fig, tmp_path, name):
    png, pdf = paths
    assert png == tmp_path / f"{name}.png" and pdf == tmp_path / f"{name}.pdf"
    assert png.stat().st_size > 10_000
    assert pdf.read_bytes()[:5] == b"%PDF-" and pdf.stat().st_size > 5_000
    img = mpimg.imread(png)
    w_in, h_in = fig.get_size_inches()
    assert img.shape[1] == round(F.PNG_DPI * w_in)  # no tight-bbox cropping: size as designed
    assert img.shape[0] / img.shape[1] == pytest.approx(h_in / w_in, rel=0.01)
    assert 3.4 <= w_in <= 7.2  # one or two journal columns


@pytest.fixture
def render(monkeypatch):
    """Call a public figure function; return its paths and the Figure it saved (already drawn)."""
    def call(func, *args, **kwargs):
        seen = []
        real = F.save
        monkeypatch.setattr(F, "save", lambda fig, stem: seen.append(fig) or real(fig, stem))
        paths = func(*args, **kwargs)
        monkeypatch.setattr(F, "save", real)
        return paths, seen[0]
    return call


def _texts(fig):
    """Every visible, non-empty text of the figure, drawn at its own dpi (tick labels, labels,
    titles, legends)."""
    fig.canvas.draw()  # the last draw by save() was the PDF's, at 72 dpi
    out = list(fig.texts)
    for legend in fig.legends:
        out += legend.get_texts()
    for ax in fig.axes:
        if ax.axison:
            out += [ax.xaxis.label, ax.yaxis.label]
            for axis in (ax.xaxis, ax.yaxis):
                lo, hi = sorted(axis.get_view_interval())
                out += [t for t, v in zip(axis.get_ticklabels(), axis.get_ticklocs()) if lo <= v <= hi]
        out += [ax.title, ax._left_title, ax._right_title] + list(ax.texts)
        if ax.get_legend() is not None:
            out += ax.get_legend().get_texts()
    return [t for t in out if t.get_visible() and t.get_text().strip()]


def _layout_problems(fig):
    """Pairs of overlapping texts, texts sticking out of the figure (cut off when saved) and
    texts under 7 pt."""
    texts = _texts(fig)
    renderer = fig.canvas.get_renderer()
    boxes = [(t.get_text(), t.get_window_extent(renderer)) for t in texts]
    overlaps = [(a, b) for (a, ba), (b, bb) in itertools.combinations(boxes, 2)
                if ba.expanded(0.98, 0.9).overlaps(bb.expanded(0.98, 0.9))]
    frame = fig.bbox.expanded(1.002, 1.002)
    outside = [a for a, box in boxes if not (frame.contains(*box.p0) and frame.contains(*box.p1))]
    small = [f"{t.get_text()} ({t.get_fontsize()} pt)" for t in texts if t.get_fontsize() < 7]
    return overlaps + outside + small


# --------------------------------------------------------------------------- figure 1

def test_impacts_vs_date_groups_with_trends(impacts, trends, tmp_path, render):
    paths, fig = render(F.impacts_vs_date_figure, impacts, tmp_path / "fig1.png", trends=trends)
    _check_files(paths, fig, tmp_path, "fig1")  # the suffix .png is dropped
    panels = [ax for ax in fig.axes if ax.axison]
    assert len(panels) == 3
    for ax in panels:
        assert ax.get_yscale() == "log"
        assert len(ax.collections) >= 4  # 2 bands + intervals + point sets
    left = [ax for ax in panels if ax.get_ylabel()]
    assert left and all("kgCO" in ax.get_ylabel() and "GWP" in ax.get_ylabel() for ax in left)
    assert any("(year)" in ax.get_xlabel() for ax in panels)
    assert {ax.get_title(loc="left").split(" (")[0] for ax in panels} == {"Academia", "Industry", "Industry–academia"}
    legend = [t.get_text() for lg in fig.legends + [a.get_legend() for a in fig.axes if a.get_legend()]
              for t in lg.get_texts()]
    for label in ("trend (median)", "50 % credible band", "90 % credible band",
                  "some inputs imputed", "all inputs reported"):
        assert label in legend
    assert not _layout_problems(fig)


def test_impacts_vs_date_single_panel_energy(impacts, tmp_path, render):
    table = impacts.drop(columns="group")
    paths, fig = render(F.impacts_vs_date_figure, table, tmp_path / "e", "energy_kwh", "use")
    _check_files(paths, fig, tmp_path, "e")
    (ax,) = fig.axes
    assert ax.get_yscale() == "log" and ax.get_ylabel() == "Energy (kWh)"
    assert fig.get_size_inches()[0] == pytest.approx(3.5)
    assert not _layout_problems(fig)


def test_impacts_vs_date_rejects_bad_input(impacts, trends):
    with pytest.raises(InvalidInputError, match="'q95'"):
        F.build_impacts_vs_date(impacts.drop(columns="q95"))
    with pytest.raises(InvalidInputError, match="valid: energy_kwh, gwp_kgco2e, adpe_kgsbeq, pe_mj"):
        F.build_impacts_vs_date(impacts, criterion="co2")
    with pytest.raises(InvalidInputError, match="phase 'build'.*use, embodied, total"):
        F.build_impacts_vs_date(impacts, phase="build")
    with pytest.raises(InvalidInputError, match="no rows with criterion 'energy_kwh' and phase 'embodied'"):
        F.build_impacts_vs_date(impacts, criterion="energy_kwh", phase="embodied")
    with pytest.raises(InvalidInputError, match="trends.*'q25'"):
        F.build_impacts_vs_date(impacts, trends=pd.DataFrame({"criterion": [], "group": [], "year": []}))
    with pytest.raises(InvalidInputError, match="trends: no rows for criterion 'gwp_kgco2e_total'.*present: x/academia"):
        F.build_impacts_vs_date(impacts, trends=trends.assign(criterion="x"))
    bad_date = impacts.assign(publication_date="someday")
    with pytest.raises(InvalidInputError, match="publication_date.*not a date"):
        F.build_impacts_vs_date(bad_date)


# --------------------------------------------------------------------------- figures 2 and 3

def test_card_production(cards, tmp_path, render):
    paths, fig = render(F.card_production_figure, cards, tmp_path / "cards")
    _check_files(paths, fig, tmp_path, "cards")
    assert len(fig.axes) == 3
    labels = [ax.get_ylabel() for ax in fig.axes]
    assert labels == ["GWP (kgCO$_2$e per card)", "ADPe (kgSbeq per card)", "PE (MJ per card)"]
    assert all(ax.get_yscale() == "log" and ax.get_xlabel() == "Release year" for ax in fig.axes)
    assert not _layout_problems(fig)
    with pytest.raises(InvalidInputError, match="'release_year'"):
        F.card_production_figure(cards.drop(columns="release_year"), tmp_path / "x")
    with pytest.raises(InvalidInputError, match="valid: gwp_kgco2e, adpe_kgsbeq, pe_mj"):
        F.card_production_figure(cards.assign(criterion="energy_kwh"), tmp_path / "x")


def test_shares(shares, tmp_path, render):
    paths, fig = render(F.shares_figure, shares, tmp_path / "shares")
    _check_files(paths, fig, tmp_path, "shares")  # shares over 1–99 %: "auto" keeps 0–100 %
    assert len(fig.axes) == 3
    assert fig.axes[0].get_ylim() == (0.0, 100.0) and fig.axes[0].get_ylabel() == "Embodied share of total (%)"
    assert "(year)" in fig.axes[0].get_xlabel()
    assert not _layout_problems(fig)
    low = shares.assign(embodied_share_median=shares["embodied_share_median"] / 20,
                        embodied_share_q05=shares["embodied_share_q05"] / 20,
                        embodied_share_q95=shares["embodied_share_q95"] / 20)
    fig = F.build_shares(low)
    assert fig.axes[0].get_yscale() == "logit"  # most shares under 5 %
    assert "logit" in fig.axes[0].get_ylabel() and not _layout_problems(fig)
    with pytest.raises(InvalidInputError, match=r"fractions in \[0, 1\]"):
        F.shares_figure(shares.assign(embodied_share_median=50.0), tmp_path / "x")
    with pytest.raises(InvalidInputError, match="'embodied_share_q05'"):
        F.shares_figure(shares.drop(columns="embodied_share_q05"), tmp_path / "x")


def test_yearly_median_leaves_sparse_years_blank():
    edges, med = F.yearly_median(np.array([2020.1, 2020.5, 2020.9, 2022.3]), np.array([1.0, 2.0, 9.0, 4.0]))
    assert list(edges) == [2020, 2021, 2022, 2023]
    assert med[0] == 2.0 and np.isnan(med[1]) and np.isnan(med[2])


# --------------------------------------------------------------------------- figure 4

def _forest_rows(fig):
    return [t.get_text() for ax in fig.axes if ax.axison for t in ax.get_yticklabels()]


def test_growth_forest_rows(growth, scenarios, tmp_path, render):
    paths, fig = render(F.growth_forest_figure, growth, tmp_path / "growth", scenarios)
    _check_files(paths, fig, tmp_path, "growth")
    rows = _forest_rows(fig)
    n_all = (growth["group"] == "all").sum()
    n_scen = (scenarios["group"] == "all").sum()
    assert len(rows) == n_all + n_scen == 13
    assert rows[:4] == ["Energy", "GWP use", "GWP embodied", "GWP total"]
    assert "GPU card production, ADPe" in rows and "Location shift (FRA grid)" in rows
    assert "Grid intensity −5 %/yr" in rows
    panels = [ax for ax in fig.axes if ax.axison]
    assert all(ax.get_xscale() == "log" for ax in panels)
    assert "per year" in panels[-1].get_xlabel()
    values = [t.get_text() for ax in fig.axes for t in ax.texts]
    assert values.count("2.00×") == 7 and "1.10×" in values  # 6 criteria + baseline
    assert not _layout_problems(fig)


def test_growth_forest_options_and_errors(growth, scenarios, tmp_path):
    fig = F.build_growth_forest(growth, None, show_probability=True, show_groups=True)
    assert len(_forest_rows(fig)) == 9
    assert "P(growth)" in [t.get_text() for ax in fig.axes for t in ax.texts]
    assert not _layout_problems(fig)
    with pytest.raises(InvalidInputError, match="'p_growth_positive'"):
        F.growth_forest_figure(growth.drop(columns="p_growth_positive"), tmp_path / "x")
    with pytest.raises(InvalidInputError, match="'scenario'"):
        F.growth_forest_figure(growth, tmp_path / "x", scenarios.drop(columns="scenario"))
    with pytest.raises(InvalidInputError, match="group 'all'"):
        F.growth_forest_figure(growth[growth["group"] != "all"], tmp_path / "x")


# --------------------------------------------------------------------------- figure 5

def test_top_systems(impacts, tmp_path, render):
    paths, fig = render(F.top_systems_figure, impacts, tmp_path / "top", top=12)
    _check_files(paths, fig, tmp_path, "top")
    ax = fig.axes[0]
    names = [t.get_text() for t in ax.get_yticklabels()]
    sel = impacts[(impacts["criterion"] == "gwp_kgco2e") & (impacts["phase"] == "total")]
    assert names == list(sel.sort_values("median", ascending=False)["system"][:12])  # largest on top
    assert ax.get_xscale() == "log" and "kgCO" in ax.get_xlabel()
    hardware = [t.get_text() for t in fig.axes[1].texts]
    assert "Hardware" in hardware and len(hardware) == 13
    assert not _layout_problems(fig)
    with pytest.raises(InvalidInputError, match="'hardware'"):
        F.top_systems_figure(impacts.drop(columns="hardware"), tmp_path / "x")
    with pytest.raises(InvalidInputError, match="top = 0"):
        F.top_systems_figure(impacts, tmp_path / "x", top=0)


def test_figure_stem_strips_only_figure_suffixes():
    assert F.figure_stem("out/a.pdf") == F.figure_stem("out/a.PNG") == F.figure_stem("out/a") == Path("out/a")
    assert F.figure_stem("grid_0.95") == Path("grid_0.95")


def test_labels():
    assert F.axis_label("gwp_kgco2e", "total") == "GWP, total (kgCO$_2$e)"
    assert F.axis_label("pe_mj", per="per card") == "PE (MJ per card)"
    assert F.criterion_label("adpe_kgsbeq_total") == "ADPe total"
    assert F.criterion_label("card_gwp_kgco2e") == "GPU card production, GWP"
    assert F.group_label("industry_academia") == "Industry–academia"
