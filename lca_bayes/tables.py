"""Publication tables from result CSVs: "median [5 %, 95 %]" cells, as CSV text and LaTeX booktabs.

Builders (``system_table``, ``growth_table``, ``scenario_table``) return all-string DataFrames;
``latex=True`` gives LaTeX numbers (``$1.50 \\times 10^{8}$``) for ``to_latex``, ``latex=False``
gives plain text (``1.50e+08``) for CSV. ``write_table`` writes both.
"""

from __future__ import annotations

import math
import re
from pathlib import Path

import pandas as pd

from .errors import InvalidInputError

NA = "n/a"
PLAIN_MIN_EXPONENT, PLAIN_MAX_EXPONENT = -3, 4  # plain notation for 1e-3 <= |x| < 1e5

CRITERION_NAMES = {"energy_kwh": "Energy", "gwp_kgco2e": "GWP", "adpe_kgsbeq": "ADPe", "pe_mj": "PE"}
PHASES = ("use", "embodied", "total")


def group_label(name) -> str:
    """'industry_academia' -> 'Industry–academia'; 'all' -> 'All systems'."""
    text = str(name).strip()
    if text.lower() == "all":
        return "All systems"
    text = text.replace("_", "–") if text.count("_") == 1 else text.replace("_", " ")
    return text[:1].upper() + text[1:]


def criterion_label(key: str) -> str:
    """Readable name of a criterion or growth series: 'gwp_kgco2e_total' -> 'GWP total',
    'energy_kwh' -> 'Energy', 'card_adpe_kgsbeq' -> 'GPU card production, ADPe'; unknown keys
    pass through unchanged."""
    if key.startswith("card_") and key[5:] in CRITERION_NAMES:
        return f"GPU card production, {CRITERION_NAMES[key[5:]]}"
    if key in CRITERION_NAMES:
        return CRITERION_NAMES[key]
    for crit, name in CRITERION_NAMES.items():
        if key.startswith(crit + "_") and key[len(crit) + 1:] in PHASES:
            return name if crit == "energy_kwh" else f"{name} {key[len(crit) + 1:]}"
    return key


# impacts.csv criterion -> (text header, LaTeX header)
IMPACT_COLUMNS = {
    "energy_kwh": ("Energy (kWh)", "Energy (kWh)"),
    "gwp_kgco2e": ("GWP (kgCO2e)", "GWP (kgCO$_2$e)"),
    "adpe_kgsbeq": ("ADPe (kgSbeq)", "ADPe (kgSb eq)"),
    "pe_mj": ("PE (MJ)", "PE (MJ)"),
}
GROWTH_VALUE_COLUMNS = ["Growth factor (×/yr)", "Doubling time (years)", "P(growth > 0)"]
_GROWTH_INPUT = ["criterion", "group", "growth_factor_median", "growth_factor_q05",
                 "growth_factor_q95", "doubling_time_years_median", "doubling_time_years_q05",
                 "doubling_time_years_q95", "p_growth_positive"]
_IMPACTS_INPUT = ["system", "publication_date", "hardware", "country", "criterion", "phase",
                  "median", "q05", "q95"]
_LATEX_SPECIAL = {"&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_", "{": r"\{",
                  "}": r"\}", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}",
                  "\\": r"\textbackslash{}", "×": r"$\times$", "∞": r"$\infty$", "−": r"$-$",
                  "–": "--", "\xa0": "~", "Σ": r"$\Sigma$", "·": r"$\cdot$", "†": r"\dag{}"}


def format_number(x: float, digits: int = 3, latex: bool = False) -> str:
    """``x`` to ``digits`` significant figures, significant trailing zeros kept (1.5 -> "1.50").

    Plain for 1e-3 <= |x| < 1e5 after rounding (12345.6 -> "12300"), else scientific:
    "1.50e+08" / "$1.50 \\times 10^{8}$". 0 -> "0", NaN -> "n/a", inf -> "∞" / "$\\infty$".
    Negative LaTeX numbers are set in math mode ("$-2.65$") for a proper minus sign.
    """
    x = float(x)
    if math.isnan(x):
        return NA
    if math.isinf(x):
        sign = "-" if x < 0 else ""
        return f"${sign}\\infty$" if latex else f"{sign}∞"
    if x == 0:
        return "0"
    mantissa, exponent = f"{x:.{digits - 1}e}".split("e")  # rounding may carry: 9.996 -> 1.00e+01
    exponent = int(exponent)
    if PLAIN_MIN_EXPONENT <= exponent <= PLAIN_MAX_EXPONENT:
        decimals = max(digits - 1 - exponent, 0)
        text = f"{round(x, digits - 1 - exponent):.{decimals}f}"
        return f"${text}$" if latex and x < 0 else text
    if latex:
        return f"${mantissa} \\times 10^{{{exponent}}}$"
    return f"{mantissa}e{exponent:+03d}"


def format_interval(median, q05, q95, digits: int = 3, latex: bool = False) -> str:
    """"median [q05, q95]", each number by ``format_number`` (same unit as the inputs)."""
    low, mid, high = (format_number(v, digits, latex) for v in (q05, median, q95))
    return f"{mid} [{low}, {high}]"


def _require(df: pd.DataFrame, columns: list[str], what: str) -> None:
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise InvalidInputError(f"{what} table lacks column(s) {', '.join(missing)}; "
                                f"expected {', '.join(columns)}")


def _text(value) -> str:
    return "" if pd.isna(value) else str(value)


def system_table(impacts: pd.DataFrame, top: int | None = None, sort_by: str = "gwp_kgco2e",
                 latex: bool = False) -> pd.DataFrame:
    """One row per system from ``impacts.csv``: metadata and total-phase "median [q05, q95]".

    Units are those of the headers (kWh, kgCO2e, kgSbeq, MJ); energy uses its only/total phase.
    Rows are sorted by the median total of ``sort_by`` (descending, missing last), then name.
    "Imputed" lists the imputed inputs readably ("hardware quantity, training time") or is "".
    """
    _require(impacts, _IMPACTS_INPUT, "impacts")
    if sort_by not in IMPACT_COLUMNS:
        raise InvalidInputError(f"sort_by={sort_by!r}; expected one of {', '.join(IMPACT_COLUMNS)}")
    # total phase where present (energy may only have "use"): "total" sorts after "embodied"/"use"
    rows = impacts[impacts["criterion"].isin(list(IMPACT_COLUMNS))]
    rows = rows.sort_values("phase", key=lambda p: p.eq("total"), kind="stable")
    rows = rows[rows["phase"].isin(["total", "use"])].drop_duplicates(["system", "criterion"],
                                                                      keep="last")
    values = rows.set_index(["system", "criterion"])[["median", "q05", "q95"]]
    meta = impacts.drop_duplicates("system").set_index("system")
    key = values["median"].unstack("criterion").reindex(index=meta.index, columns=[sort_by])
    order = key.set_axis(["key"], axis=1).assign(name=meta.index)
    order = order.sort_values(["key", "name"], ascending=[False, True], na_position="last")
    systems = order.index[:top] if top is not None else order.index
    table = []
    for system in systems:
        m = meta.loc[system]
        date = pd.to_datetime(m["publication_date"], errors="coerce")
        imputed = _text(m.get("imputed", float("nan")))
        row = {"System": str(system), "Date": "" if pd.isna(date) else date.strftime("%Y-%m-%d"),
               "Hardware": _text(m["hardware"]), "Country": _text(m["country"]),
               "Imputed": ", ".join(s.strip().replace("_", " ") for s in imputed.split(",")
                                    if s.strip())}
        for criterion, headers in IMPACT_COLUMNS.items():
            v = values.loc[(system, criterion)] if (system, criterion) in values.index else None
            row[headers[latex]] = NA if v is None else format_interval(
                v["median"], v["q05"], v["q95"], latex=latex)
        table.append(row)
    columns = ["System", "Date", "Hardware", "Country", "Imputed",
               *(headers[latex] for headers in IMPACT_COLUMNS.values())]
    return pd.DataFrame(table, columns=columns)


def _select_groups(df: pd.DataFrame, groups) -> pd.DataFrame:
    if groups is None:
        return df
    wanted = [groups] if isinstance(groups, str) else list(groups)
    return df[df["group"].isin(wanted)]


def _growth_values(row, latex: bool) -> list[str]:
    """Growth factor (×/yr), doubling time (years), P(growth > 0) with 3 decimals."""
    p = row["p_growth_positive"]
    return [format_interval(row["growth_factor_median"], row["growth_factor_q05"],
                            row["growth_factor_q95"], latex=latex),
            format_interval(row["doubling_time_years_median"], row["doubling_time_years_q05"],
                            row["doubling_time_years_q95"], latex=latex),
            NA if pd.isna(p) else f"{float(p):.3f}"]


def growth_table(growth: pd.DataFrame, groups: str | list | None = "all",
                 latex: bool = False) -> pd.DataFrame:
    """``growth.csv`` as a table: readable criterion, group, growth factor, doubling time, P.

    ``groups``: "all" (default) keeps the population trend only, None every group, a list those.
    """
    _require(growth, _GROWTH_INPUT, "growth")
    rows = [[criterion_label(r["criterion"]), group_label(_text(r["group"])),
             *_growth_values(r, latex)] for _, r in _select_groups(growth, groups).iterrows()]
    return pd.DataFrame(rows, columns=["Criterion", "Group", *GROWTH_VALUE_COLUMNS])


def scenario_label(code: str) -> str:
    """Readable scenario name: "location_shift_FRA" -> "Location shift (FRA grid)", etc."""
    if code == "baseline":
        return "Baseline"
    if code == "best_hardware":
        return "Best hardware at each date"
    if match := re.fullmatch(r"location_shift_(\w+)", code):
        return f"Location shift ({match[1]} grid)"
    if match := re.fullmatch(r"grid_decline_([0-9.]+)_per_year", code):
        percent = round((float(match[1]) - 1.0) * 100.0, 6)
        return f"Grid intensity {'−' if percent < 0 else '+'}{abs(percent):g} %/yr"
    return code


def scenario_table(scenarios: pd.DataFrame, groups: str | list | None = "all",
                   latex: bool = False) -> pd.DataFrame:
    """``scenarios.csv`` as a table: scenario label, group and the growth value columns.

    A "Criterion" column is added after "Scenario" only when several criteria are present.
    """
    _require(scenarios, ["scenario"] + [c for c in _GROWTH_INPUT if c != "criterion"], "scenarios")
    with_criterion = "criterion" in scenarios and scenarios["criterion"].nunique() > 1
    rows = []
    for _, r in _select_groups(scenarios, groups).iterrows():
        criterion = [criterion_label(r["criterion"])] if with_criterion else []
        rows.append([scenario_label(r["scenario"]), *criterion, group_label(_text(r["group"])),
                     *_growth_values(r, latex)])
    columns = ["Scenario", *(["Criterion"] if with_criterion else []), "Group"]
    return pd.DataFrame(rows, columns=columns + GROWTH_VALUE_COLUMNS)


def latex_escape(text: str) -> str:
    """Escape LaTeX specials outside ``$...$`` math; ×, ∞, −, –, Σ, ·, †, NBSP become LaTeX."""
    parts = re.split(r"(\$[^$]+\$)", text)
    return "".join(part if i % 2 else "".join(_LATEX_SPECIAL.get(ch, ch) for ch in part)
                   for i, part in enumerate(parts))


def to_latex(df: pd.DataFrame, caption: str | None = None, label: str | None = None) -> str:
    """A booktabs ``table`` of ``df`` (all columns left-aligned), cells and headers escaped."""
    def row(cells) -> str:
        return " & ".join(latex_escape(_text(c)) for c in cells) + r" \\"

    lines = [r"\begin{table}[htbp]", r"\centering"]
    if caption is not None:
        lines.append(rf"\caption{{{latex_escape(caption)}}}")
    if label is not None:
        lines.append(rf"\label{{{label}}}")
    lines += [rf"\begin{{tabular}}{{{'l' * len(df.columns)}}}", r"\toprule", row(df.columns),
              r"\midrule", *(row(r) for r in df.itertuples(index=False)), r"\bottomrule",
              r"\end{tabular}", r"\end{table}"]
    return "\n".join(lines) + "\n"


def write_table(df_text: pd.DataFrame, df_latex: pd.DataFrame, stem: Path,
                caption: str | None = None, label: str | None = None) -> list[Path]:
    """Write ``stem``.csv (text version, UTF-8) and ``stem``.tex (booktabs); return both paths."""
    stem = Path(stem)
    stem.parent.mkdir(parents=True, exist_ok=True)
    csv_path, tex_path = stem.with_suffix(".csv"), stem.with_suffix(".tex")
    df_text.to_csv(csv_path, index=False, encoding="utf-8")
    tex_path.write_text(to_latex(df_latex, caption=caption, label=label), encoding="utf-8")
    return [csv_path, tex_path]
