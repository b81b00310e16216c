"""Publication figures: greyscale, units on every axis, PNG (200 dpi) and PDF side by side.

Every public function takes data frames and a path *stem*, writes ``stem.png`` and ``stem.pdf``
and returns both paths. They are pure functions of their inputs (no file is read). Figures are
built on ``matplotlib.figure.Figure`` and rendered by the Agg canvas explicitly, so they work
headless and never touch pyplot's global state (no open figures to close, no backend switch that
would close a notebook user's figures).

Style (``STYLE``): sans-serif 7–8 pt, black and greys only; series differ by marker shape, fill
and line style, never by colour alone. Widths: 3.5 in (one column) or 7 in (two columns).
Log axes wherever the data span decades. Legends sit outside the data (below the panels or in an
empty panel). Each ``build_*`` function returns the Figure without saving (tests inspect it).
"""

from __future__ import annotations

import math
from pathlib import Path

import matplotlib as mpl
import numpy as np
import pandas as pd
from matplotlib import patheffects, ticker
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from .errors import InvalidInputError
from .growth import parse_years
from .tables import CRITERION_NAMES, PHASES, criterion_label, group_label, scenario_label

STYLE: dict = {
    "font.family": "sans-serif",
    "font.sans-serif": ["Arial", "Helvetica", "Liberation Sans", "DejaVu Sans"],
    "mathtext.default": "regular",
    "font.size": 8,
    "axes.titlesize": 8,
    "axes.labelsize": 8,
    "xtick.labelsize": 7,
    "ytick.labelsize": 7,
    "legend.fontsize": 7,
    "legend.title_fontsize": 7,
    "figure.titlesize": 8,
    "axes.linewidth": 0.6,
    "axes.edgecolor": "black",
    "axes.labelcolor": "black",
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.prop_cycle": mpl.cycler(color=["black"]),
    "xtick.major.width": 0.6,
    "ytick.major.width": 0.6,
    "xtick.minor.width": 0.4,
    "ytick.minor.width": 0.4,
    "xtick.major.size": 3,
    "ytick.major.size": 3,
    "xtick.minor.size": 1.5,
    "ytick.minor.size": 1.5,
    "xtick.direction": "out",
    "ytick.direction": "out",
    "lines.linewidth": 1.0,
    "lines.markersize": 3,
    "legend.frameon": False,
    "legend.handlelength": 1.6,
    "legend.borderaxespad": 0.3,
    "legend.columnspacing": 1.2,
    "figure.dpi": 100,
    "savefig.dpi": 200,
    "figure.constrained_layout.h_pad": 0.04,
    "figure.constrained_layout.w_pad": 0.04,
    "pdf.fonttype": 42,   # TrueType in the PDF: text stays editable and searchable
    "ps.fonttype": 42,
}
"""rc parameters of every figure (use with ``matplotlib.rc_context``)."""

SINGLE_COLUMN_IN = 3.5
DOUBLE_COLUMN_IN = 7.0
PNG_DPI = 200

CRITERIA = ("energy_kwh", "gwp_kgco2e", "adpe_kgsbeq", "pe_mj")
UNITS = {"energy_kwh": "kWh", "gwp_kgco2e": "kgCO$_2$e", "adpe_kgsbeq": "kgSbeq", "pe_mj": "MJ"}
CARD_CRITERIA = ("gwp_kgco2e", "adpe_kgsbeq", "pe_mj")

_FIGURE_SUFFIXES = {".png", ".pdf", ".svg", ".eps", ".ps", ".jpg", ".jpeg", ".tif", ".tiff"}
_GREY_BAND_90 = "0.87"
_GREY_BAND_50 = "0.68"
_GREY_INTERVAL = "0.6"
_GROUP_MARKERS = ("^", "s", "D", "v", "P", "X")


# --------------------------------------------------------------------------- saving, checks

def figure_stem(path) -> Path:
    """``path`` without a figure-type suffix (.png, .pdf, .svg, ...): 'a/fig.png' -> 'a/fig';
    other dots stay ('grid_0.95' is kept whole)."""
    path = Path(path)
    return path.with_suffix("") if path.suffix.lower() in _FIGURE_SUFFIXES else path


def save(fig: Figure, stem) -> list[Path]:
    """Write ``stem.png`` (200 dpi) and ``stem.pdf``; a figure-type suffix on ``stem`` is dropped.

    Parent folders are created; the PDF embeds its fonts as TrueType (editable text) and carries
    no creation date, so reruns give identical files. Returns ``[png, pdf]``.
    """
    stem = figure_stem(stem)
    stem.parent.mkdir(parents=True, exist_ok=True)
    paths = [stem.parent / f"{stem.name}.png", stem.parent / f"{stem.name}.pdf"]
    with mpl.rc_context(STYLE):
        fig.savefig(paths[0], dpi=PNG_DPI)
        fig.savefig(paths[1], metadata={"CreationDate": None})  # same input, same bytes
    return paths


def _new_figure(width: float, height: float) -> Figure:
    fig = Figure(figsize=(width, height), layout="constrained")
    FigureCanvasAgg(fig)
    return fig


def _require(table, columns, name: str) -> None:
    if not isinstance(table, pd.DataFrame):
        raise InvalidInputError(f"{name}: expected a pandas DataFrame, got {type(table).__name__}")
    missing = [c for c in columns if c not in table.columns]
    if missing:
        raise InvalidInputError(f"{name}: missing required column(s) {', '.join(map(repr, missing))}; "
                                f"columns present: {', '.join(map(str, table.columns))}")


def _check_choice(value, valid, what: str) -> None:
    if value not in valid:
        raise InvalidInputError(f"unknown {what} {value!r}; valid: {', '.join(valid)}")


def _numeric(table: pd.DataFrame, columns, name: str) -> pd.DataFrame:
    out = table.copy()
    for c in columns:
        values = pd.to_numeric(out[c], errors="coerce")
        bad = values.isna() & out[c].notna()
        if bad.any():
            rows = ", ".join(str(i) for i in list(out.index[bad])[:5])
            raise InvalidInputError(f"{name}: column {c!r} is not numeric (index {rows}: "
                                    f"{out.loc[bad, c].iloc[0]!r})")
        out[c] = values.astype(float)
    return out


def _is_imputed(column: pd.Series) -> np.ndarray:
    text = column.fillna("").astype(str).str.strip()
    return (text != "").to_numpy() & (text.str.lower() != "nan").to_numpy()


def _impacts_rows(impacts: pd.DataFrame, criterion: str, phase: str, extra=()) -> pd.DataFrame:
    """Rows of one criterion and phase, numeric, with decimal year and imputed flag."""
    _require(impacts, ["system", "publication_date", "imputed", "criterion", "phase",
                       "median", "q05", "q95", *extra], "impacts")
    _check_choice(criterion, CRITERIA, "criterion")
    _check_choice(phase, PHASES, "phase")
    rows = impacts[(impacts["criterion"] == criterion) & (impacts["phase"] == phase)]
    if rows.empty:
        have = sorted({f"{c}/{p}" for c, p in zip(impacts["criterion"], impacts["phase"])})
        raise InvalidInputError(f"impacts: no rows with criterion {criterion!r} and phase {phase!r}; "
                                f"present: {', '.join(have) or 'none'}")
    rows = _numeric(rows, ["median", "q05", "q95"], "impacts")
    rows = rows[rows["median"] > 0].copy()  # a log axis cannot show zero or negative impacts
    if rows.empty:
        raise InvalidInputError(f"impacts: no positive median for {criterion!r}/{phase!r}")
    rows["decimal_year"] = parse_years(rows["publication_date"], "publication_date")
    rows["is_imputed"] = _is_imputed(rows["imputed"])
    return rows


# --------------------------------------------------------------------------- labels, axes

def axis_label(criterion: str, phase: str | None = None, per: str | None = None) -> str:
    """'GWP, total (kgCO$_2$e)'; energy has no phase ('Energy (kWh)')."""
    name = CRITERION_NAMES[criterion]
    if phase and criterion != "energy_kwh":
        name = f"{name}, {phase}"
    unit = UNITS[criterion] + (f" {per}" if per else "")
    return f"{name} ({unit})"


def _nice_log_ticks(lo: float, hi: float) -> list[float]:
    """Ticks inside [lo, hi] from 1-2-5 per decade (or 1-1.5-2-3-5-7, ... when that gives
    fewer than 3) for a log axis spanning less than ~2.5 decades."""
    lo_dec, hi_dec = math.floor(math.log10(lo)), math.ceil(math.log10(hi))
    ticks: list[float] = []
    for mantissas in ((1, 2, 5), (1, 1.5, 2, 3, 5, 7), (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8)):
        ticks = [float(f"{m * 10.0 ** d:.6g}") for d in range(lo_dec, hi_dec + 1) for m in mantissas]
        ticks = [t for t in ticks if lo <= t <= hi]
        if len(ticks) >= 3:
            return ticks
    return ticks


def _tick_labels(ticks: list[float]) -> list[str]:
    """Plain numbers (0.5, 20, 5000) when all fit in [1e-3, 1e4], else m×10^k for all."""
    if all(1e-3 <= t <= 1e4 for t in ticks):
        return [f"{t:g}" for t in ticks]
    out = []
    for t in ticks:
        exp = math.floor(math.log10(t) + 1e-9)
        mant = t / 10 ** exp
        out.append(f"$10^{{{exp}}}$" if abs(mant - 1) < 1e-6 else f"${mant:g}\\times10^{{{exp}}}$")
    return out


def _log_axis(ax, axis: str, lo: float, hi: float, max_labels: int = 7) -> None:
    """Log scale on ``axis`` over [lo, hi] (plus a margin).

    Under ~2.5 decades of small numbers (or 1.5 decades of any): labelled 1-2-5 ticks. Otherwise
    decade ticks 10^k (every 2nd/3rd decade when more than ``max_labels``), limits widened to
    whole decades when fewer than three decades would be labelled.
    """
    lo, hi = float(lo), float(hi)
    margin = 10 ** (0.04 * max(math.log10(hi / lo), 0.3))
    lo, hi = lo / margin, hi * margin
    target = ax.xaxis if axis == "x" else ax.yaxis
    set_lim = ax.set_xlim if axis == "x" else ax.set_ylim
    (ax.set_xscale if axis == "x" else ax.set_yscale)("log")
    span = math.log10(hi / lo)
    if span <= 1.5 or (span <= 2.6 and lo >= 1e-3 and hi <= 1e4):
        ticks = _nice_log_ticks(lo, hi)
        target.set_major_locator(ticker.FixedLocator(ticks))
        target.set_major_formatter(ticker.FixedFormatter(_tick_labels(ticks)))
        target.set_minor_locator(ticker.NullLocator())
        target.set_minor_formatter(ticker.NullFormatter())
        set_lim(lo, hi)
        return
    first, last = math.ceil(math.log10(lo)), math.floor(math.log10(hi))
    if last - first + 1 < 3:  # too few decade labels: widen to whole decades
        lo, hi = 10.0 ** math.floor(math.log10(lo)), 10.0 ** math.ceil(math.log10(hi))
        first, last = math.log10(lo), math.log10(hi)
    decades = int(last - first + 1)
    step = max(1, math.ceil(decades / max_labels))
    target.set_major_locator(ticker.LogLocator(base=10.0 ** step, numticks=99))
    target.set_major_formatter(ticker.LogFormatterSciNotation())
    minor = (ticker.LogLocator(base=10.0, subs=(1.0,), numticks=99) if step > 1
             else ticker.LogLocator(base=10.0, subs=np.arange(2, 10), numticks=99))
    target.set_minor_locator(minor)
    target.set_minor_formatter(ticker.NullFormatter())
    set_lim(lo, hi)


def _year_axis(ax, lo: float, hi: float, max_ticks: int = 8) -> None:
    span = hi - lo
    step = next(s for s in (1, 2, 5, 10, 20) if span / s <= max_ticks)
    ax.xaxis.set_major_locator(ticker.MultipleLocator(step))
    ax.xaxis.set_minor_locator(ticker.MultipleLocator(1) if step > 1 else ticker.NullLocator())
    ax.xaxis.set_major_formatter(ticker.FuncFormatter(lambda v, _p: f"{v:.0f}"))
    pad = max(0.3, 0.03 * span)
    ax.set_xlim(lo - pad, hi + pad)


def _interval_lines(ax, x, lo, hi, *, color=_GREY_INTERVAL, lw=0.5, zorder=2, horizontal=False):
    if horizontal:  # x is the position on the value axis' perpendicular: (lo, y) -> (hi, y)
        segs = np.stack([np.column_stack([lo, x]), np.column_stack([hi, x])], axis=1)
    else:
        segs = np.stack([np.column_stack([x, lo]), np.column_stack([x, hi])], axis=1)
    ax.add_collection(LineCollection(segs, colors=color, linewidths=lw, zorder=zorder,
                                     capstyle="butt"), autolim=False)


def _points(ax, x, y, imputed, *, size=9.0, zorder=3, marker="o"):
    ax.scatter(x[~imputed], y[~imputed], s=size, marker=marker, facecolors="black",
               edgecolors="black", linewidths=0.4, zorder=zorder)
    ax.scatter(x[imputed], y[imputed], s=size, marker=marker, facecolors="white",
               edgecolors="black", linewidths=0.5, zorder=zorder)


def _point_handles(any_imputed: bool, any_complete: bool, interval_label="90 % interval") -> list:
    handles = []
    if any_complete:
        handles.append(Line2D([], [], ls="none", marker="o", ms=3.5, mfc="black", mec="black",
                              label="all inputs reported"))
    if any_imputed:
        handles.append(Line2D([], [], ls="none", marker="o", ms=3.5, mfc="white", mec="black",
                              mew=0.6, label="some inputs imputed"))
    handles.append(Line2D([], [], color=_GREY_INTERVAL, lw=0.8, label=interval_label))
    return handles


# --------------------------------------------------------------------------- 1. impacts vs date

TREND_COLUMNS = ["criterion", "group", "year", "q05", "q25", "median", "q75", "q95"]


def _trend_for(trends: pd.DataFrame, keys: list[str], group: str) -> pd.DataFrame | None:
    for key in keys:
        sel = trends[(trends["criterion"] == key)
                     & (trends["group"].astype(str).str.casefold() == str(group).casefold())]
        if not sel.empty:
            return sel.sort_values("year")
    return None


def build_impacts_vs_date(impacts: pd.DataFrame, criterion: str = "gwp_kgco2e",
                           phase: str = "total", trends: pd.DataFrame | None = None) -> Figure:
    rows = _impacts_rows(impacts, criterion, phase)
    if trends is not None:
        _require(trends, TREND_COLUMNS, "trends")
        trends = _numeric(trends, ["year", "q05", "q25", "median", "q75", "q95"], "trends")
    keys = [f"{criterion}_{phase}", criterion]
    if "group" in rows.columns:
        labels = rows["group"].fillna("unknown").astype(str)
        # largest group first; "other" and "unknown" last
        groups = sorted(labels.unique(), key=lambda g: (g.casefold() in ("other", "unknown"),
                                                        -int((labels == g).sum()), g))
        rows = rows.assign(group=labels)
    else:
        groups = [None]

    with mpl.rc_context(STYLE):
        n = len(groups)
        ncols = 1 if n == 1 else 2
        nrows = math.ceil(n / ncols)
        if n == 1:
            fig = _new_figure(SINGLE_COLUMN_IN, 3.3)
        else:
            fig = _new_figure(DOUBLE_COLUMN_IN, 0.75 + min(2.05, 7.6 / nrows) * nrows)  # ≤ 8.4 in
        axes = np.atleast_1d(fig.subplots(nrows, ncols, sharex=True, sharey=True, squeeze=False)).ravel()
        lo = np.nanmin(rows["q05"].where(rows["q05"] > 0, rows["median"]))
        hi = np.nanmax(rows["q95"].where(rows["q95"] > 0, rows["median"]))
        trend_drawn = False
        for ax, group in zip(axes, groups):
            sel = rows if group is None else rows[rows["group"] == group]
            x = sel["decimal_year"].to_numpy()
            if trends is not None:
                tr = _trend_for(trends, keys, "all" if group is None else group)
                if tr is not None:
                    t = tr["year"].to_numpy()
                    ax.fill_between(t, tr["q05"], tr["q95"], color=_GREY_BAND_90, lw=0, zorder=1)
                    ax.fill_between(t, tr["q25"], tr["q75"], color=_GREY_BAND_50, lw=0, zorder=1.1)
                    ax.plot(t, tr["median"], color="black", lw=1.3, zorder=5,
                            path_effects=[patheffects.withStroke(linewidth=2.8, foreground="white")])
                    lo = min(lo, np.nanmin(tr["q05"]))
                    hi = max(hi, np.nanmax(tr["q95"]))
                    trend_drawn = True
            q05 = sel["q05"].where(sel["q05"] > 0, sel["median"]).to_numpy()
            _interval_lines(ax, x, q05, sel["q95"].to_numpy(), lw=0.45)
            _points(ax, x, sel["median"].to_numpy(), sel["is_imputed"].to_numpy(), size=7)
            if group is not None:
                ax.set_title(f"{group_label(group)} (n = {len(sel)})", loc="left")
        if trends is not None and not trend_drawn:
            have = sorted({f"{c}/{g}" for c, g in zip(trends["criterion"], trends["group"])})
            wanted = ", ".join(str(g) for g in (["all"] if groups == [None] else groups))
            raise InvalidInputError(f"trends: no rows for criterion {' or '.join(map(repr, keys))} and "
                                    f"group(s) {wanted}; present: {', '.join(have) or 'none'}")
        for ax in axes[n:]:
            ax.set_axis_off()
        _log_axis(axes[0], "y", lo, hi, max_labels=7)
        _year_axis(axes[0], rows["decimal_year"].min(), rows["decimal_year"].max())
        ylabel = axis_label(criterion, phase)
        for i, ax in enumerate(axes[:n]):
            if i % ncols == 0:
                ax.set_ylabel(ylabel)
            if i + ncols >= n:  # bottom of its column
                ax.set_xlabel("Publication date (year)")
                ax.xaxis.set_tick_params(labelbottom=True)
        handles = _point_handles(bool(rows["is_imputed"].any()), bool((~rows["is_imputed"]).any()),
                                 "90 % interval (system)")
        if trend_drawn:
            handles += [Line2D([], [], color="black", lw=1.3, label="trend (median)"),
                        Patch(color=_GREY_BAND_50, label="50 % credible band"),
                        Patch(color=_GREY_BAND_90, label="90 % credible band")]
        if n < len(axes):  # an empty panel: the legend goes there
            spare = axes[n]
            spare.legend(handles=handles, loc="center", ncol=1, fontsize=7)
        else:
            fig.legend(handles=handles, loc="outside lower center",
                       ncol=2 if n == 1 else min(len(handles), 3))
    return fig


def impacts_vs_date_figure(impacts: pd.DataFrame, stem, criterion: str = "gwp_kgco2e",
                           phase: str = "total", trends: pd.DataFrame | None = None) -> list[Path]:
    """Impact of each system against its publication date (log y), with its 90 % interval.

    ``impacts``: the tidy ``impacts.csv`` of ``lca-bayes run``; an optional ``group`` column
    gives one panel per group (2 columns, shared axes). Systems with imputed inputs are open
    markers. ``trends`` (columns ``criterion, group, year, q05, q25, median, q75, q95``; criterion
    ``f"{criterion}_{phase}"`` or ``criterion``; group "all" for a single panel, else the panel's
    group, any case) adds the fitted trend: 50 % and 90 % credible bands behind the points, the
    median line over them with a thin white halo (hundreds of points would hide it otherwise).
    A panel whose group has no trend row is drawn without one; ``trends`` matching no panel at
    all raises ``InvalidInputError``. Returns [png, pdf].
    """
    return save(build_impacts_vs_date(impacts, criterion, phase, trends), stem)


# --------------------------------------------------------------------------- 2. GPU cards

def _dodge(x: np.ndarray, width: float = 0.32) -> np.ndarray:
    """Spread points that share an x value symmetrically (deterministic, order kept)."""
    out = x.astype(float).copy()
    for value in np.unique(x):
        idx = np.flatnonzero(x == value)
        if len(idx) > 1:
            out[idx] += np.linspace(-width / 2, width / 2, len(idx))
    return out


def _check_criteria(table: pd.DataFrame, valid, name: str) -> list[str]:
    unknown = sorted(set(table["criterion"].astype(str)) - set(valid))
    if unknown:
        raise InvalidInputError(f"{name}: unknown criterion {unknown[0]!r}; valid: {', '.join(valid)}")
    present = [c for c in valid if (table["criterion"] == c).any()]
    if not present:
        raise InvalidInputError(f"{name}: no rows")
    return present


def build_card_production(cards: pd.DataFrame, annotate=()) -> Figure:
    _require(cards, ["hardware", "release_year", "criterion", "median", "q05", "q95"], "cards")
    cards = _numeric(cards, ["release_year", "median", "q05", "q95"], "cards")
    present = _check_criteria(cards, CARD_CRITERIA, "cards")
    with mpl.rc_context(STYLE):
        fig = _new_figure(DOUBLE_COLUMN_IN, 2.4)
        axes = np.atleast_1d(fig.subplots(1, len(present), sharex=True))
        years = cards["release_year"]
        for ax, crit in zip(axes, present):
            sel = cards[(cards["criterion"] == crit) & (cards["median"] > 0)]
            sel = sel.sort_values(["release_year", "median"])
            x = _dodge(sel["release_year"].to_numpy())
            q05 = sel["q05"].where(sel["q05"] > 0, sel["median"]).to_numpy()
            _interval_lines(ax, x, q05, sel["q95"].to_numpy(), color="0.45", lw=0.8)
            ax.scatter(x, sel["median"], s=14, marker="o", facecolors="black", edgecolors="black",
                       linewidths=0.4, zorder=3)
            _log_axis(ax, "y", np.nanmin(q05), np.nanmax(sel["q95"]))
            ax.set_ylabel(axis_label(crit, per="per card"))
            ax.set_xlabel("Release year")
            for name in annotate:
                hit = np.flatnonzero(sel["hardware"].to_numpy() == name)
                if len(hit):
                    i = hit[0]
                    ax.annotate(name, (x[i], sel["median"].iloc[i]), xytext=(4, -3),
                                textcoords="offset points", fontsize=7, color="0.3", va="top")
        _year_axis(axes[0], years.min(), years.max(), max_ticks=4)  # narrow panels
        fig.legend(handles=[Line2D([], [], ls="none", marker="o", ms=4, mfc="black", mec="black",
                                   label="median, one GPU card"),
                            Line2D([], [], color="0.45", lw=0.8, label="90 % interval")],
                   loc="outside lower center", ncol=2)
    return fig


def card_production_figure(cards: pd.DataFrame, stem, annotate=()) -> list[Path]:
    """Production impact of one GPU card against its release year: GWP, ADPe, PE panels (log y).

    ``cards``: ``hardware, release_year, criterion (gwp_kgco2e, adpe_kgsbeq, pe_mj), median, q05,
    q95``. Cards released the same year are spread horizontally. ``annotate``: hardware names to
    label (none by default: names clutter a panel of a dozen cards). Returns [png, pdf].
    """
    return save(build_card_production(cards, annotate), stem)


# --------------------------------------------------------------------------- 3. embodied shares

SHARE_COLUMNS = ["system", "publication_date", "criterion", "embodied_share_median",
                 "embodied_share_q05", "embodied_share_q95"]
SHARE_SCALES = ("auto", "linear", "logit")


def yearly_median(year: np.ndarray, values: np.ndarray, min_count: int = 3):
    """Median of ``values`` per calendar year; years with fewer than ``min_count`` values -> NaN.

    Returns (edges, medians) for ``Axes.stairs``: edges are the year boundaries.
    """
    whole = np.floor(year).astype(int)
    first, last = whole.min(), whole.max()
    edges = np.arange(first, last + 2, dtype=float)
    med = np.full(len(edges) - 1, np.nan)
    for k, y in enumerate(range(first, last + 1)):
        v = values[whole == y]
        if len(v) >= min_count:
            med[k] = np.median(v)
    return edges, med


def _percent_label(v: float, _pos=None) -> str:
    return f"{100 * v:g}"


def _auto_share_scale(shares: pd.DataFrame) -> str:
    """'logit' when, for some criterion, most system medians lie within 5 % of 0 or of 100 %
    (a 0–100 % axis would flatten them onto its edge), else 'linear'."""
    for _, sel in shares.groupby("criterion"):
        m = sel["embodied_share_median"].to_numpy()
        if np.mean((m < 0.05) | (m > 0.95)) > 0.5:
            return "logit"
    return "linear"


def build_shares(shares: pd.DataFrame, min_per_year: int = 3, scale: str = "auto") -> Figure:
    _check_choice(scale, SHARE_SCALES, "scale")
    _require(shares, SHARE_COLUMNS, "shares")
    cols = SHARE_COLUMNS[3:]
    shares = _numeric(shares, cols, "shares").dropna(subset=["embodied_share_median"])
    present = _check_criteria(shares, CARD_CRITERIA, "shares")
    vals = shares[cols].to_numpy()
    if np.nanmin(vals) < 0 or np.nanmax(vals) > 1:
        raise InvalidInputError("shares: embodied shares must be fractions in [0, 1] "
                                f"(found {np.nanmin(vals):g} to {np.nanmax(vals):g})")
    shares = shares.assign(decimal_year=parse_years(shares["publication_date"], "publication_date"))
    if scale == "auto":
        scale = _auto_share_scale(shares)

    def conv(v):  # logit: fractions kept off 0 and 1 (infinite logit); linear: per cent
        v = np.asarray(v, float)
        return np.clip(v, 1e-4, 1 - 1e-4) if scale == "logit" else 100 * v

    with mpl.rc_context(STYLE):
        fig = _new_figure(DOUBLE_COLUMN_IN, 2.4)
        axes = np.atleast_1d(fig.subplots(1, len(present), sharex=True, sharey=True))
        for ax, crit in zip(axes, present):
            sel = shares[shares["criterion"] == crit]
            x = sel["decimal_year"].to_numpy()
            med = conv(sel["embodied_share_median"])
            _interval_lines(ax, x, conv(sel["embodied_share_q05"]), conv(sel["embodied_share_q95"]),
                            color="0.78", lw=0.4, zorder=1)
            ax.scatter(x, med, s=4, marker="o", facecolors="0.45", edgecolors="none", zorder=3)
            edges, ym = yearly_median(x, med, min_per_year)
            ax.stairs(ym, edges, baseline=None, color="white", lw=3.0, zorder=4)
            ax.stairs(ym, edges, baseline=None, color="black", lw=1.4, zorder=5)
            ax.set_title(f"{CRITERION_NAMES[crit]} (n = {len(sel)})", loc="left")
            ax.set_xlabel("Publication date (year)")
        axes[0].set_ylabel("Embodied share of total (%)" if scale == "linear"
                           else "Embodied share (%, logit scale)")
        if scale == "logit":
            axes[0].set_yscale("logit")
            axes[0].set_ylim(1e-3, 1 - 1e-3)
            ticks = [0.001, 0.01, 0.1, 0.5, 0.9, 0.99, 0.999]
            axes[0].yaxis.set_major_locator(ticker.FixedLocator(ticks))
            axes[0].yaxis.set_major_formatter(ticker.FuncFormatter(_percent_label))
            axes[0].yaxis.set_minor_locator(ticker.NullLocator())
            axes[0].yaxis.set_minor_formatter(ticker.NullFormatter())
        else:
            axes[0].set_ylim(0, 100)
            axes[0].yaxis.set_major_locator(ticker.MultipleLocator(20))
        _year_axis(axes[0], shares["decimal_year"].min(), shares["decimal_year"].max())
        fig.legend(handles=[
            Line2D([], [], ls="none", marker="o", ms=2.5, mfc="0.45", mec="none", label="system (median)"),
            Line2D([], [], color="0.78", lw=0.8, label="90 % interval"),
            Line2D([], [], color="black", lw=1.4,
                   label=f"median of systems per year (years with ≥ {min_per_year} systems)")],
            loc="outside lower center", ncol=3)
    return fig


def shares_figure(shares: pd.DataFrame, stem, min_per_year: int = 3, scale: str = "auto") -> list[Path]:
    """Share of each system's impact due to GPU production (embodied), per criterion ("impact
    shifting"): one panel per criterion (GWP, ADPe, PE), each system a small point with its 90 %
    interval, and the median of the system medians per calendar year as steps (years with fewer
    than ``min_per_year`` systems are left blank).

    ``scale="linear"``: y from 0 to 100 %. ``"logit"``: a logit axis (0.1 %, 1 %, 10 %, 50 %,
    90 %, 99 %, 99.9 %) that shows shares near 0 and near 100 % at once. ``"auto"`` (default):
    logit when most systems of some criterion lie within 5 % of either end (typical: GWP and PE
    embodied shares of a few %, ADPe above 90 %), else linear. Returns [png, pdf].
    """
    return save(build_shares(shares, min_per_year, scale), stem)


# --------------------------------------------------------------------------- 4. growth forest

GROWTH_REQUIRED = ["criterion", "group", "growth_factor_median", "growth_factor_q05",
                   "growth_factor_q95", "p_growth_positive"]
_GF = ["growth_factor_median", "growth_factor_q05", "growth_factor_q95", "p_growth_positive"]
_GROUP_STEP = 0.27  # vertical offset between a criterion's row and its group rows


def _growth_blocks(growth: pd.DataFrame, scenarios: pd.DataFrame | None):
    _require(growth, GROWTH_REQUIRED, "growth")
    growth = _numeric(growth, _GF, "growth")
    main = growth[growth["group"].astype(str) == "all"].drop_duplicates("criterion")
    if main.empty:
        raise InvalidInputError("growth: no rows with group 'all' (found groups: "
                                f"{', '.join(sorted(set(growth['group'].astype(str))))})")
    blocks = [("Impact criteria, all systems", main, [criterion_label(c) for c in main["criterion"]],
               growth, "criterion")]
    if scenarios is not None:
        _require(scenarios, ["scenario", *GROWTH_REQUIRED], "scenarios")
        scenarios = _numeric(scenarios, _GF, "scenarios")
        sc = scenarios[scenarios["group"].astype(str) == "all"]
        crits = list(sc["criterion"].unique())
        if len(crits) > 1 and "gwp_kgco2e_total" in crits:
            sc, crits = sc[sc["criterion"] == "gwp_kgco2e_total"], ["gwp_kgco2e_total"]
        sc = sc.drop_duplicates(["scenario", "criterion"])
        full = scenarios[scenarios["criterion"].isin(crits)]
        if not sc.empty:
            if len(crits) == 1:
                title, labels = f"Scenarios, {criterion_label(crits[0])}", [scenario_label(s) for s in sc["scenario"]]
            else:
                title = "Scenarios"
                labels = [f"{scenario_label(s)}, {criterion_label(c)}" for s, c in zip(sc["scenario"], sc["criterion"])]
            blocks.append((title, sc, labels, full, "scenario"))
    return growth, blocks


def _text_width_pt(fig: Figure, texts, **props) -> float:
    """Widest of ``texts`` in points, as rendered in ``fig`` (for left-aligned label columns)."""
    renderer = fig.canvas.get_renderer()
    widest = 0.0
    for s in texts:
        t = fig.text(0, 0, s, **props)
        widest = max(widest, t.get_window_extent(renderer).width * 72.0 / fig.dpi)
        t.remove()
    return widest


def build_growth_forest(growth: pd.DataFrame, scenarios: pd.DataFrame | None = None,
                         show_probability: bool = False, show_groups: bool = False) -> Figure:
    growth, blocks = _growth_blocks(growth, scenarios)
    others = sorted(set(growth["group"].astype(str)) - {"all"}) if show_groups else []
    row_h = 1.0 + _GROUP_STEP * len(others)
    spans = [b[1][["growth_factor_q05", "growth_factor_q95"]].to_numpy().ravel() for b in blocks]
    for b in blocks if others else []:
        spans.append(b[3].loc[b[3]["group"].astype(str).isin(others),
                              ["growth_factor_q05", "growth_factor_q95"]].to_numpy().ravel())
    vals = np.concatenate(spans)
    vals = vals[np.isfinite(vals) & (vals > 0)]
    lo, hi = min(vals.min(), 1.0), max(vals.max(), 1.0)

    with mpl.rc_context(STYLE):
        heights = [len(b[1]) * row_h for b in blocks]
        inch_per_row = 0.19 if not others else 0.15
        width = SINGLE_COLUMN_IN + (0.35 if show_probability else 0.0)
        fig = _new_figure(width, 0.85 + 0.3 * len(blocks) + inch_per_row * sum(heights))
        # labels left-aligned in a column of measured width; the value columns at fixed offsets
        pad = _text_width_pt(fig, [s for b in blocks for s in b[2]], fontsize=STYLE["ytick.labelsize"]) + 6
        col_p = _text_width_pt(fig, ["0.00×", "median"], fontsize=7) + 8  # points
        text_in = (col_p + (_text_width_pt(fig, ["P(growth)", "0.00"], fontsize=7) if show_probability
                            else 0) + 8) / 72
        forest_in = width - pad / 72 - text_in - 0.15
        gs = fig.add_gridspec(len(blocks), 2, height_ratios=heights,
                              width_ratios=[forest_in, text_in], wspace=0.0)
        forest_axes = []
        for k, (title, table, labels, full, key) in enumerate(blocks):
            ax = fig.add_subplot(gs[k, 0], sharex=forest_axes[0] if forest_axes else None)
            tx = fig.add_subplot(gs[k, 1], sharey=ax)
            forest_axes.append(ax)
            y = -row_h * np.arange(len(table))
            med = table["growth_factor_median"].to_numpy()
            ax.axvline(1.0, color="0.35", ls=(0, (4, 2)), lw=0.8, zorder=1)
            _interval_lines(ax, y, table["growth_factor_q05"].to_numpy(),
                            table["growth_factor_q95"].to_numpy(), color="black", lw=1.0,
                            horizontal=True, zorder=3)
            ax.plot(med, y, ls="none", marker="o", ms=4.2, mfc="black", mec="black", zorder=4)
            for j, g in enumerate(others):
                gsel = full[full["group"].astype(str) == g].drop_duplicates(key).set_index(key)
                for yy, crit in zip(y, table[key]):
                    if crit not in gsel.index:
                        continue
                    r = gsel.loc[crit]
                    yg = yy - _GROUP_STEP * (j + 1)
                    ax.plot([r["growth_factor_q05"], r["growth_factor_q95"]], [yg, yg],
                            color="0.5", lw=0.6, zorder=2)
                    ax.plot(r["growth_factor_median"], yg, ls="none",
                            marker=_GROUP_MARKERS[j % len(_GROUP_MARKERS)], ms=2.8,
                            mfc="white", mec="0.25", mew=0.6, zorder=3)
            ax.set_yticks(y, labels, ha="left")
            ax.tick_params(axis="y", length=0, pad=pad)
            ax.spines["left"].set_visible(False)
            ax.set_ylim(y[-1] - row_h + 0.4, 0.6)
            ax.annotate(title, xy=(0, 1), xycoords="axes fraction", xytext=(-pad, 3),
                        textcoords="offset points", ha="left", va="bottom", fontweight="bold",
                        fontsize=8, annotation_clip=False)
            for yy, m, pp in zip(y, med, table["p_growth_positive"].to_numpy()):
                tx.annotate(f"{m:.2f}×", (0, yy), xycoords=("axes fraction", "data"),
                            xytext=(6, 0), textcoords="offset points", va="center", fontsize=7)
                if show_probability:
                    tx.annotate(f"{pp:.2f}", (0, yy), xycoords=("axes fraction", "data"),
                                xytext=(6 + col_p, 0), textcoords="offset points", va="center", fontsize=7)
            tx.set_xlim(0, 1)
            tx.set_axis_off()
            if k == 0:
                tx.annotate("median", (0, 1), xycoords="axes fraction", xytext=(6, 3),
                            textcoords="offset points", va="bottom", fontsize=7, color="0.3")
                if show_probability:
                    tx.annotate("P(growth)", (0, 1), xycoords="axes fraction", xytext=(6 + col_p, 3),
                                textcoords="offset points", va="bottom", fontsize=7, color="0.3")
            if k < len(blocks) - 1:
                ax.tick_params(axis="x", labelbottom=False)
        _log_axis(forest_axes[-1], "x", lo, hi)
        forest_axes[-1].set_xlabel("Growth factor (× per year)")
        handles = [Line2D([], [], ls="none", marker="o", ms=4, mfc="black", mec="black", label="median"),
                   Line2D([], [], color="black", lw=1.0, label="90 % interval"),
                   Line2D([], [], color="0.35", ls=(0, (4, 2)), lw=0.8, label="no growth (×1)")]
        for j, g in enumerate(others):
            handles.append(Line2D([], [], color="0.5", lw=0.6, marker=_GROUP_MARKERS[j % len(_GROUP_MARKERS)],
                                  ms=2.8, mfc="white", mec="0.25", mew=0.6, label=group_label(g)))
        fig.legend(handles=handles, loc="outside lower center", ncol=3, columnspacing=0.9)
    return fig


def growth_forest_figure(growth: pd.DataFrame, stem, scenarios: pd.DataFrame | None = None,
                         show_probability: bool = False, show_groups: bool = False) -> list[Path]:
    """Rebound figure: growth factor per year (log x, 90 % interval) of every criterion (group
    "all", one row each, in file order), then in a second panel of GWP total under each scenario.
    The median factor is printed at the right of each row ("2.01×"); ``show_probability`` adds
    P(growth > 0) as a second column. A dashed line marks ×1 (no growth).

    ``show_groups`` adds every other group as small open markers under its criterion (off by
    default: the groups' intervals overlap and the extra rows double the figure's height for
    little information; use it for a supplementary figure). Returns [png, pdf].
    """
    return save(build_growth_forest(growth, scenarios, show_probability, show_groups), stem)


# --------------------------------------------------------------------------- 5. top systems

def _shorten(text: str, width: int) -> str:
    text = str(text)
    return text if len(text) <= width else text[:width - 1].rstrip() + "…"


def _hardware_text(hardware, imputed) -> str:
    if isinstance(hardware, str) and hardware.strip():
        return _shorten(hardware.strip(), 30)
    return "imputed" if "hardware" in str(imputed) else "not reported"


def build_top_systems(impacts: pd.DataFrame, criterion: str = "gwp_kgco2e", phase: str = "total",
                       top: int = 20) -> Figure:
    if isinstance(top, bool) or not isinstance(top, (int, np.integer)) or top < 1:
        raise InvalidInputError(f"top = {top!r}; expected a positive integer")
    rows = _impacts_rows(impacts, criterion, phase, extra=["hardware"])
    rows = rows.sort_values("median", ascending=False, kind="stable").head(int(top))
    names = [_shorten(s, 32) for s in rows["system"]]
    if len(set(names)) < len(names):  # the same name twice: add the publication year
        names = [f"{n} ({str(d)[:4]})" for n, d in zip(names, rows["publication_date"])]
    hardware = [_hardware_text(h, i) for h, i in zip(rows["hardware"], rows["imputed"])]
    n = len(rows)
    with mpl.rc_context(STYLE):
        fig = _new_figure(5.5, 0.95 + 0.165 * n)
        gs = fig.add_gridspec(1, 2, width_ratios=[1.0, 0.72], wspace=0.0)
        ax = fig.add_subplot(gs[0, 0])
        tx = fig.add_subplot(gs[0, 1], sharey=ax)
        y = -np.arange(n, dtype=float)
        q05 = rows["q05"].where(rows["q05"] > 0, rows["median"]).to_numpy()
        _interval_lines(ax, y, q05, rows["q95"].to_numpy(), color="0.35", lw=0.9, horizontal=True)
        imp = rows["is_imputed"].to_numpy()
        _points(ax, rows["median"].to_numpy(), y, imp, size=14)
        ax.set_yticks(y, names)
        ax.tick_params(axis="y", length=0)
        ax.spines["left"].set_visible(False)
        ax.set_ylim(y[-1] - 0.7, 0.7)
        _log_axis(ax, "x", np.nanmin(q05), np.nanmax(rows["q95"]), max_labels=6)
        ax.set_xlabel(axis_label(criterion, phase))
        ax.xaxis.grid(True, which="major", color="0.88", lw=0.5)
        ax.set_axisbelow(True)
        for yy, h in zip(y, hardware):
            tx.text(0.06, yy, h, va="center", ha="left", fontsize=7,
                    color="0.2", style="italic" if h in ("imputed", "not reported") else "normal")
        tx.text(0.06, 1.0, "Hardware", transform=tx.transAxes, va="bottom", ha="left", fontsize=7,
                fontweight="bold")
        tx.set_xlim(0, 1)
        tx.set_axis_off()
        fig.legend(handles=_point_handles(bool(imp.any()), bool((~imp).any())),
                   loc="outside lower center", ncol=3)
    return fig


def top_systems_figure(impacts: pd.DataFrame, stem, criterion: str = "gwp_kgco2e",
                       phase: str = "total", top: int = 20) -> list[Path]:
    """The ``top`` systems by median impact, largest at the top: median and 90 % interval on a
    log axis, imputed systems as open markers, hardware name in a column at the right ("imputed"
    in italics where the hardware itself was imputed). Returns [png, pdf].
    """
    return save(build_top_systems(impacts, criterion, phase, top), stem)
