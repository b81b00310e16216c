"""``report.html``: one page tying together what an output folder holds — settings, data version
and seed, the figures (PNG shown, PDF linked) and the tables (CSV shown, LaTeX linked).

Built from the files alone, so ``run``, ``growth`` and ``sensitivity --from-run`` writing into
the same folder each refresh one report that lists everything present.
"""

from __future__ import annotations

import hashlib
import html
import json
from datetime import datetime, timezone
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import pandas as pd

SECTIONS = [
    ("Impacts over time", [
        ("fig1_gwp_vs_date", "GWP of each system (total of use and GPU production) against its "
                             "publication date, with 90 % intervals; filled markers: complete "
                             "inputs, open: imputed. With a growth fit, the fitted trend with its "
                             "50 % and 90 % credible bands."),
        ("fig1_energy_vs_date", "Energy of each system against its publication date (as above)."),
    ]),
    ("Growth rates and scenarios", [
        ("fig4_growth_forest", "Annual growth factor per criterion and, for total GWP, per "
                               "scenario: median and 90 % credible interval. A factor above 1 "
                               "under every scenario is the rebound effect."),
    ]),
    ("GPU production", [
        ("fig2_card_production", "Production impacts of one GPU card against its release year, "
                                 "with 90 % intervals."),
        ("fig3_embodied_shares", "Share of GPU production in each system's total impact, per "
                                 "criterion (impact shifting)."),
    ]),
    ("Largest systems", [
        ("fig6_top_systems", "Systems with the largest GWP: median and 90 % interval."),
    ]),
    ("Missing inputs", [
        ("mfu_ppc", "Utilisation (MFU) model behind the imputed training times: posterior "
                    "predictive check against the observed MFU."),
    ]),
    ("Sensitivity", [
        ("fig5_sobol_slope", "Sobol indices of the log10 growth slope: which uncertain input "
                             "drives the uncertainty of the growth rate."),
    ]),
]
TABLES = [
    ("table_growth", "Growth rates (median [5 %, 95 %])", None),
    ("table_scenarios", "Growth of total GWP per scenario", None),
    ("table_systems", "Per-system impacts (median [5 %, 95 %]); the 25 largest by GWP shown, "
                      "every system in the CSV", 25),
]
STYLE = """body{font-family:sans-serif;max-width:1100px;margin:2em auto;color:#111;line-height:1.4}
table{border-collapse:collapse;font-size:0.85em;margin:0.5em 0 1.5em}
th,td{border-top:1px solid #bbb;border-bottom:1px solid #bbb;padding:3px 8px;text-align:left}
th{border-top:2px solid #000;border-bottom:1.5px solid #000}
img{max-width:100%;border:1px solid #ddd}figure{margin:1em 0 2em}figcaption{font-size:0.9em}
code{background:#f4f4f4;padding:0 3px}"""


def _sha256(path: Path) -> str | None:
    if not path.is_file():
        return None
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _versions() -> str:
    parts = []
    for pkg in ("lca-bayes", "jax", "numpyro", "arviz", "pandas", "matplotlib"):
        try:
            parts.append(f"{pkg} {version(pkg)}")
        except PackageNotFoundError:
            continue
    return ", ".join(parts)


def _settings_rows(settings: dict) -> list[tuple[str, str]]:
    from .data import resolve_snapshot
    from .errors import LcaBayesError

    rows = [(k, json.dumps(v) if isinstance(v, (dict, list)) else str(v)) for k, v in settings.items()]
    try:
        digest = _sha256(resolve_snapshot(settings.get("data_arg")))
    except LcaBayesError:  # a CSV moved since the run: say so rather than fail the report
        digest = None
    rows.append(("data sha256", digest or "(data file not found)"))
    rows.append(("software", _versions()))
    return rows


def rerun_command(settings: dict) -> str:
    """The ``lca-bayes run`` command line that reproduces a run from its ``run.json``."""
    words = ["lca-bayes", "run"]
    if settings.get("data_arg"):
        words += ["--data", str(settings["data_arg"])]
    words += ["--preset", str(settings.get("preset", "default")), "--samples", str(settings.get("samples")),
              "--seed", str(settings.get("seed"))]
    if not settings.get("impute", True):
        words.append("--no-impute")
    if settings.get("since", 2013) != 2013:
        words += ["--since", str(settings["since"] if settings["since"] is not None else 0)]
    if settings.get("host_server"):
        words.append("--host-server")
    return " ".join(words + ["--out", "DIR"])


def write_report(folder: str | Path, title: str = "lca-bayes report") -> Path:
    """Write ``folder/report.html`` from the files present in ``folder``; returns its path."""
    folder = Path(folder)
    parts = [f"<h1>{html.escape(title)}</h1>",
             f"<p>Written {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC. Intervals are 90 % "
             "equal-tailed (5th to 95th percentile) unless stated.</p>"]
    run_json = folder / "run.json"
    if run_json.is_file():
        settings = json.loads(run_json.read_text())
        parts.append("<h2>Settings, data and seed</h2><table>")
        parts += [f"<tr><th>{html.escape(k)}</th><td>{html.escape(v)}</td></tr>"
                  for k, v in _settings_rows(settings)]
        parts.append(f"</table><p>Rerun: <code>{html.escape(rerun_command(settings))}</code> gives the "
                     "same numbers.</p>")
        if not (folder / "growth.csv").is_file():
            parts.append(f"<p>Growth rates, trend bands and scenarios: <code>lca-bayes growth --run "
                         f"{html.escape(folder.name)} --out {html.escape(folder.name)}</code> adds them to "
                         "this report.</p>")
    for heading, figs in SECTIONS:
        present = [(stem, text) for stem, text in figs if (folder / f"{stem}.png").is_file()]
        if not present:
            continue
        parts.append(f"<h2>{html.escape(heading)}</h2>")
        for stem, text in present:
            pdf = f' (<a href="{stem}.pdf">PDF</a>)' if (folder / f"{stem}.pdf").is_file() else ""
            parts.append(f'<figure><img src="{stem}.png" alt="{stem}"><figcaption><b>{stem}</b>{pdf}: '
                         f"{html.escape(text)}</figcaption></figure>")
    for stem, caption, head in TABLES:
        csv = folder / f"{stem}.csv"
        if not csv.is_file():
            continue
        table = pd.read_csv(csv, keep_default_na=False)
        shown = table.head(head) if head else table
        links = f'<a href="{stem}.csv">CSV</a>' + (
            f', <a href="{stem}.tex">LaTeX</a>' if (folder / f"{stem}.tex").is_file() else "")
        parts.append(f"<h2>{html.escape(caption)}</h2><p>{links}</p>"
                     + shown.to_html(index=False, border=0, escape=True))
    others = sorted(p.name for p in folder.iterdir() if p.is_file() and p.suffix in (".csv", ".nc", ".json")
                    and not p.name.startswith("table_"))
    if others:
        parts.append("<h2>Other files</h2><p>" + ", ".join(
            f'<a href="{html.escape(n)}">{html.escape(n)}</a>' for n in others) + "</p>")
    page = (f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>{html.escape(title)}"
            f"</title><style>{STYLE}</style></head><body>" + "\n".join(parts) + "</body></html>\n")
    path = folder / "report.html"
    path.write_text(page, encoding="utf-8")
    return path
