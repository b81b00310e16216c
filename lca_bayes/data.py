"""Load and validate an Epoch AI "Notable AI Models" snapshot into estimable training runs.

A row is estimable when it has hardware, a hardware quantity and a training time. Rows without
them are *skipped with a reason*, never dropped silently; a malformed value (text where a number
belongs, an unparsable date) is an error naming the row and field.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .catalog import WORLD, HardwareSpec, country_names, resolve_hardware, split_list
from .errors import DataFormatError, UnknownHardwareError
from .paths import data_path

DEFAULT_SNAPSHOT = "epoch_notable_ai_models_2026-07.csv"
SNAPSHOTS = {"2026-07": DEFAULT_SNAPSHOT, "2024-07": "epoch_notable_ai_models_2024-07-16.csv"}
COLUMNS = {
    "system": ("Model", "System"),
    "publication_date": ("Publication date",),
    "hardware": ("Training hardware",),
    "n_gpu": ("Hardware quantity",),
    "hours": ("Training time (hours)",),
    "country_of_organization": ("Country (of organization)", "Country (from Organization)"),
}
"""Fields read from an Epoch snapshot, each with the column names Epoch used over time."""
OPTIONAL_COLUMNS = {
    "organization": "Organization",
    "organization_type": "Organization categorization",
    "domain": "Domain",
    "numerical_format": "Numerical format",
    "mfu_reported": "Hardware utilization (MFU)",
    "frontier_model": "Frontier model",
}
OPTIONAL_NUMBERS = {"compute_flop": "Training compute (FLOP)"}
FIELD_NAMES = {"hardware": "Training hardware", "n_gpu": "Hardware quantity",
               "hours": "Training time (hours)", "compute_flop": "Training compute (FLOP)"}


@dataclass(frozen=True)
class Snapshot:
    """Estimable systems and the rows skipped, with reasons.

    ``systems`` columns: system, publication_date, year (decimal), hardware, country, n_gpu, hours,
    compute_flop (``nan`` when missing), imputed (fields to impute), spec_unknown, notes, csv_row,
    and the optional Epoch columns; ``specs`` and ``countries`` hold, per system, the list of
    ``HardwareSpec`` and of ISO3 codes (a mixture when several; empty when to be imputed).
    """

    path: Path
    systems: pd.DataFrame
    specs: list[list[HardwareSpec]]
    countries: list[list[str]]
    skipped: pd.DataFrame


def _number(value: str, row: int, field: str, path: Path) -> float:
    try:
        x = float(value)
    except ValueError:
        raise DataFormatError(f"{path.name} row {row}: field '{field}' = {value!r} is not a number") from None
    if not math.isfinite(x):
        raise DataFormatError(f"{path.name} row {row}: field '{field}' = {value!r} is not finite")
    return x


def resolve_snapshot(data: str | Path | None) -> Path:
    """Path of an Epoch CSV: ``None`` (default 2026-07), a snapshot tag, or a file path."""
    if data is None:
        return data_path(DEFAULT_SNAPSHOT)
    if str(data) in SNAPSHOTS:
        return data_path(SNAPSHOTS[str(data)])
    path = Path(data)
    if not path.is_file():
        raise DataFormatError(f"data file {path} not found (snapshots: {sorted(SNAPSHOTS)} or a CSV path)")
    return path


def _decimal_year(date: pd.Timestamp) -> float:
    start = pd.Timestamp(year=date.year, month=1, day=1)
    days = 366 if date.is_leap_year else 365
    return date.year + (date - start).days / days


def load_snapshot(data: str | Path | None = None, hardware_table: str = "catalogue", *,
                  impute: bool = False, since: int | None = 2013) -> Snapshot:
    """Read an Epoch snapshot and keep the estimable rows.

    Without ``impute``: rows with hardware, quantity and training time. With ``impute``: also
    rows with a positive training compute, whose missing hardware, quantity or time are listed
    in ``imputed`` for ``lca_bayes.impute`` to fill. ``since``: first publication year kept
    (``None``: all). A missing country is imputed as a mixture (``imputed`` says so).
    """
    path = resolve_snapshot(data)
    try:
        raw = pd.read_csv(path, dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, UnicodeDecodeError) as exc:
        raise DataFormatError(f"{path.name}: malformed CSV: {exc}") from None
    col = {}
    for key, options in COLUMNS.items():
        found = [c for c in options if c in raw.columns]
        if not found:
            raise DataFormatError(f"{path.name}: missing column {' or '.join(map(repr, options))}; "
                                  "expected an Epoch AI 'Notable AI Models' export")
        col[key] = found[0]
    names = country_names()
    rows, specs, countries, skipped = [], [], [], []
    seen: dict[str, int] = {}
    for i, rec in raw.iterrows():
        line = i + 2  # header is line 1
        name = rec[col["system"]].strip()
        if not name:
            raise DataFormatError(f"{path.name} row {line}: field '{col['system']}' is empty")
        date = rec[col["publication_date"]].strip()
        parsed = pd.NaT
        if date:
            parsed = pd.to_datetime(date, errors="coerce", format="%Y-%m-%d")
            if pd.isna(parsed):
                raise DataFormatError(f"{path.name} row {line}: field 'Publication date' = {date!r} "
                                      "is not a date (YYYY-MM-DD)")
        values, missing, reasons, notes, nonpositive = {}, [], [], [], {}
        for key in ("n_gpu", "hours", "compute_flop"):
            name_in_csv = col.get(key, OPTIONAL_NUMBERS.get(key))
            cell = rec[name_in_csv].strip() if name_in_csv in raw.columns else ""
            x = _number(cell, line, name_in_csv, path) if cell else math.nan
            if cell and x <= 0:
                nonpositive[key] = f"non-positive '{name_in_csv}' = {cell}"
                x = math.nan
            values[key] = x
            if math.isnan(x):
                missing.append(key)
        hw_cell = rec[col["hardware"]].strip()
        hw_specs = []
        for entry in split_list(hw_cell):
            try:
                hw_specs.append(resolve_hardware(entry, hardware_table))
            except UnknownHardwareError:
                reasons.append(f"hardware {entry!r} maps to no catalogue entry")
        if since is not None and (pd.isna(parsed) or parsed.year < since):
            reasons.append(f"published before {since}" if date else "no publication date")
        complete = bool(hw_specs) and "n_gpu" not in missing and "hours" not in missing
        if not reasons and not complete:
            if not impute:
                reasons += [nonpositive.get(k, f"missing '{FIELD_NAMES[k]}'")
                            for k in ("hardware", "n_gpu", "hours")
                            if (k == "hardware" and not hw_specs) or k in missing]
            elif "compute_flop" in missing:
                reasons.append("missing or non-positive 'Training compute (FLOP)': cannot impute "
                               + ", ".join(FIELD_NAMES[k] for k in ("hardware", "n_gpu", "hours")
                                           if (k == "hardware" and not hw_specs) or k in missing))
        if reasons:
            skipped.append({"system": name, "csv_row": line, "reason": "; ".join(reasons)})
            continue
        notes += [f"{text} treated as missing" for text in nonpositive.values()]
        imputed = [] if complete else (["hardware"] if not hw_specs else []) + (
            ["hardware_quantity"] if "n_gpu" in missing else []) + (
            ["training_time"] if "hours" in missing else [])
        c_cell = rec[col["country_of_organization"]].strip()
        codes = []
        for entry in split_list(c_cell):
            if entry in names:
                codes.append(names[entry])
            else:
                notes.append(f"country {entry!r} unknown: world average used")
                codes.append(WORLD)
        if not codes:
            imputed.append("country")
        if len(set(codes)) > 1:
            notes.append("several countries: mixture weighted by organisations listed")
        if len(hw_specs) > 1:
            notes.append("several hardware types: mixture, equal weights")
        unknown = sorted({f for sp in hw_specs for f in sp.unknown_fields})
        if unknown:
            notes.append(f"spec unknown ({', '.join(unknown)}): from the preset's [unknown_specs]")
        if name in seen:
            seen[name] += 1
            notes.append(f"duplicate name in the snapshot: renamed '{name} [row {line}]'")
            name = f"{name} [row {line}]"
        else:
            seen[name] = 1
        row = {"system": name, "publication_date": date,
               "year": _decimal_year(parsed) if not pd.isna(parsed) else math.nan,
               "hardware": hw_cell, "country": ",".join(dict.fromkeys(codes)),
               "n_gpu": values["n_gpu"], "hours": values["hours"],
               "compute_flop": values["compute_flop"], "imputed": ",".join(imputed),
               "spec_unknown": ",".join(unknown), "notes": "; ".join(notes), "csv_row": line}
        for key, name_in_csv in OPTIONAL_COLUMNS.items():
            row[key] = rec[name_in_csv] if name_in_csv in raw.columns else ""
        rows.append(row)
        specs.append(hw_specs)
        countries.append(codes)
    systems = pd.DataFrame(rows, columns=["system", "publication_date", "year", "hardware", "country",
                                          "n_gpu", "hours", "compute_flop", "imputed",
                                          "spec_unknown", "notes", "csv_row", *OPTIONAL_COLUMNS])
    skipped_df = pd.DataFrame(skipped, columns=["system", "csv_row", "reason"])
    return Snapshot(path, systems, specs, countries, skipped_df)
