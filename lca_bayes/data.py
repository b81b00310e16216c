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
    "training_compute_flop": "Training compute (FLOP)",
    "frontier_model": "Frontier model",
}


@dataclass(frozen=True)
class Snapshot:
    """Estimable systems and the rows skipped, with reasons.

    ``systems`` columns: system, publication_date, hardware, country, n_gpu, hours, notes,
    spec_unknown, csv_row, and the optional Epoch columns; ``specs`` and ``countries`` hold, per
    system, the list of ``HardwareSpec`` and of ISO3 codes (a mixture when several).
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


def load_snapshot(data: str | Path | None = None, hardware_table: str = "catalogue") -> Snapshot:
    """Read an Epoch snapshot and keep the rows with hardware, quantity and training time."""
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
        if date:
            parsed = pd.to_datetime(date, errors="coerce", format="%Y-%m-%d")
            if pd.isna(parsed):
                raise DataFormatError(f"{path.name} row {line}: field 'Publication date' = {date!r} "
                                      "is not a date (YYYY-MM-DD)")
        values, reasons = {}, []
        for key in ("n_gpu", "hours"):
            cell = rec[col[key]].strip()
            if not cell:
                reasons.append(f"missing '{col[key]}'")
                continue
            x = _number(cell, line, col[key], path)
            if x <= 0:
                reasons.append(f"non-positive '{col[key]}' = {cell}")
            values[key] = x
        hw_cell = rec[col["hardware"]].strip()
        hw_specs = []
        if not hw_cell:
            reasons.append(f"missing '{col['hardware']}'")
        else:
            for entry in split_list(hw_cell):
                try:
                    hw_specs.append(resolve_hardware(entry, hardware_table))
                except UnknownHardwareError:
                    reasons.append(f"hardware {entry!r} maps to no catalogue entry")
        if reasons:
            skipped.append({"system": name, "csv_row": line, "reason": "; ".join(reasons)})
            continue
        notes = []
        c_cell = rec[col["country_of_organization"]].strip()
        codes = []
        for entry in split_list(c_cell):
            if entry in names:
                codes.append(names[entry])
            else:
                notes.append(f"country {entry!r} unknown: world average used")
                codes.append(WORLD)
        if not codes:
            notes.append("no country: world average used")
            codes = [WORLD]
        if len(set(codes)) > 1:
            notes.append("several countries: mixture weighted by organisations listed")
        if len(hw_specs) > 1:
            notes.append("several hardware types: mixture, equal weights")
        unknown = sorted({f for s in hw_specs for f in s.unknown_fields})
        if unknown:
            notes.append(f"spec unknown ({', '.join(unknown)}): from the preset's [unknown_specs]")
        if name in seen:
            seen[name] += 1
            notes.append(f"duplicate name in the snapshot: renamed '{name} [row {line}]'")
            name = f"{name} [row {line}]"
        else:
            seen[name] = 1
        row = {"system": name, "publication_date": date, "hardware": hw_cell,
               "country": ",".join(dict.fromkeys(codes)), "n_gpu": values["n_gpu"],
               "hours": values["hours"], "spec_unknown": ",".join(unknown),
               "notes": "; ".join(notes), "csv_row": line}
        for key, name_in_csv in OPTIONAL_COLUMNS.items():
            row[key] = rec[name_in_csv] if name_in_csv in raw.columns else ""
        rows.append(row)
        specs.append(hw_specs)
        countries.append(codes)
    systems = pd.DataFrame(rows, columns=["system", "publication_date", "hardware", "country",
                                          "n_gpu", "hours", "spec_unknown", "notes", "csv_row",
                                          *OPTIONAL_COLUMNS])
    skipped_df = pd.DataFrame(skipped, columns=["system", "csv_row", "reason"])
    return Snapshot(path, systems, specs, countries, skipped_df)
