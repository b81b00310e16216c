"""Hardware catalogue, aliases and per-country grid factors: lookup and validation.

Hardware names resolve, case-insensitively, through the catalogue (``data/hardware.csv``), the
explicit alias table (``data/hardware_aliases.csv``) and, for the ``mlca`` preset, MLCA's own GPU
table (``data/mlca_gpus.csv``). A name that matches nothing raises ``UnknownHardwareError`` with
the closest names; ``Any`` asks for MLCA's generic GPU.
"""

from __future__ import annotations

import difflib
import math
from dataclasses import dataclass, replace
from functools import lru_cache
from statistics import NormalDist

import numpy as np
import pandas as pd

from .errors import DataFormatError, UnknownCountryError, UnknownHardwareError
from .paths import data_path

SPEC_FIELDS = ("tdp_w", "die_area_cm2", "memory_gb")
GRID_CRITERIA = {"gwp_kgco2e": "gwp_kgco2e_per_kwh", "adpe_kgsbeq": "adpe_kgsbeq_per_kwh",
                 "pe_mj": "pe_mj_per_kwh"}
WORLD = "WOR"


@dataclass(frozen=True)
class HardwareSpec:
    """Specs of one accelerator; ``nan`` marks a field no source gives (drawn from a wide prior).

    Peaks are dense FLOP/s: ``peak_tensor_flops`` at BF16/FP16 (tensor units), ``peak_fp32_flops``.
    """

    name: str
    tdp_w: float
    die_area_cm2: float
    memory_gb: float
    release_date: str = ""
    source: str = "catalogue"
    manufacturer: str = ""
    peak_tensor_flops: float = math.nan
    peak_fp32_flops: float = math.nan

    @property
    def unknown_fields(self) -> tuple[str, ...]:
        return tuple(f for f in SPEC_FIELDS if math.isnan(getattr(self, f)))

    def peak_flops(self, tensor: bool) -> float:
        """Dense peak FLOP/s: the BF16/FP16 tensor rate if ``tensor``, else FP32; the other rate
        when that one is unknown (``nan`` when both are)."""
        first, second = ((self.peak_tensor_flops, self.peak_fp32_flops) if tensor
                         else (self.peak_fp32_flops, self.peak_tensor_flops))
        return first if not math.isnan(first) else second

    @property
    def release_year(self) -> float:
        return float(self.release_date[:4]) if self.release_date[:4].isdigit() else math.nan

    @property
    def generation(self) -> str:
        """Coarse hardware generation for the utilisation model (manufacturer and era)."""
        name = self.name.casefold()
        if "tpu" in name:
            return "google_tpu"
        if self.manufacturer.casefold() == "nvidia" or name.startswith("nvidia"):
            year = self.release_year
            if math.isnan(year) or year <= 2016:
                return "nvidia_pre_volta"
            return "nvidia_volta_turing" if year <= 2019 else (
                "nvidia_ampere" if year <= 2021 else "nvidia_hopper_plus")
        return "other"


def _read_csv(name: str, required: tuple[str, ...]) -> pd.DataFrame:
    path = data_path(name)
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    missing = [c for c in required if c not in df.columns]
    if missing:
        raise DataFormatError(f"{path}: missing column(s) {missing}")
    return df


def _float(value: str, where: str, field: str) -> float:
    if value == "":
        return math.nan
    try:
        x = float(value)
    except ValueError:
        raise DataFormatError(f"{where}: field '{field}' = {value!r} is not a number") from None
    if not math.isfinite(x) or x <= 0:
        raise DataFormatError(f"{where}: field '{field}' = {value!r} must be a positive number")
    return x


@lru_cache(maxsize=None)
def hardware_catalogue() -> dict[str, HardwareSpec]:
    """Catalogue entries by name (``data/hardware.csv``)."""
    df = _read_csv("hardware.csv", ("hardware", "release_date") + SPEC_FIELDS)
    out = {}
    for i, row in df.iterrows():
        where = f"data/hardware.csv row {i + 2} ({row['hardware']!r})"
        out[row["hardware"]] = HardwareSpec(
            row["hardware"], *(_float(row[f], where, f) for f in SPEC_FIELDS),
            release_date=row["release_date"], source="catalogue",
            manufacturer=row.get("manufacturer", ""),
            peak_tensor_flops=_float(row.get("peak_bf16_flops", ""), where, "peak_bf16_flops"),
            peak_fp32_flops=_float(row.get("peak_fp32_flops", ""), where, "peak_fp32_flops"))
    return out


@lru_cache(maxsize=None)
def mlca_gpus() -> dict[str, HardwareSpec]:
    """MLCA's GPU table (values from TechPowerUp, as MLCA ships them), by model name."""
    df = _read_csv("mlca_gpus.csv", ("model", "tdp_w", "die_area_cm2", "memory_gb"))
    out = {}
    for i, row in df.iterrows():
        where = f"data/mlca_gpus.csv row {i + 2} ({row['model']!r})"
        out[row["model"]] = HardwareSpec(row["model"], *(_float(row[f], where, f) for f in SPEC_FIELDS),
                                         release_date=row.get("manufacture_year", ""), source="mlca")
    return out


@lru_cache(maxsize=None)
def hardware_aliases() -> dict[str, str]:
    """Alias → catalogue name (``data/hardware_aliases.csv``); every target must exist."""
    df = _read_csv("hardware_aliases.csv", ("alias", "hardware"))
    catalogue = hardware_catalogue()
    for i, row in df.iterrows():
        if row["hardware"] not in catalogue:
            raise DataFormatError(f"data/hardware_aliases.csv row {i + 2}: field 'hardware' = "
                                  f"{row['hardware']!r} is not in data/hardware.csv")
    return dict(zip(df["alias"], df["hardware"]))


def _lower_index(names) -> dict[str, str]:
    return {n.casefold().strip(): n for n in names}


def resolve_hardware(name: str, table: str = "catalogue") -> HardwareSpec:
    """Specs for one accelerator name.

    ``table="mlca"`` looks in MLCA's GPU table first (so the preset matches MLCA exactly), then in
    the catalogue. ``"Any"`` gives MLCA's generic GPU under ``mlca`` and a spec with every field
    unknown otherwise (wide priors).
    """
    key = name.casefold().strip()
    mlca = mlca_gpus()
    mlca_index = _lower_index(mlca)
    if key == "any":
        if table == "mlca":
            return mlca[mlca_index["any"]]
        return HardwareSpec("Any", math.nan, math.nan, math.nan, source="unknown")
    catalogue = hardware_catalogue()
    aliases = hardware_aliases()
    cat_index = _lower_index(catalogue)
    if table == "mlca" and key in mlca_index:
        spec = mlca[mlca_index[key]]
        twin = catalogue.get(aliases.get(spec.name, ""))  # same card in the catalogue: its peaks
        if twin is None:
            return spec
        return replace(spec, manufacturer=twin.manufacturer, release_date=twin.release_date,
                       peak_tensor_flops=twin.peak_tensor_flops, peak_fp32_flops=twin.peak_fp32_flops)
    if key in cat_index:
        return catalogue[cat_index[key]]
    alias_index = _lower_index(aliases)
    if key in alias_index:
        return catalogue[aliases[alias_index[key]]]
    if key in mlca_index:  # an MLCA name without a catalogue alias
        return mlca[mlca_index[key]]
    candidates = sorted(set(catalogue) | set(aliases) | set(mlca))
    close = difflib.get_close_matches(name, candidates, n=5, cutoff=0.5)
    close = close or difflib.get_close_matches(
        key, [c.casefold() for c in candidates], n=5, cutoff=0.4)
    hint = f"; closest names: {', '.join(repr(c) for c in close)}" if close else ""
    raise UnknownHardwareError(
        f"unknown GPU/accelerator {name!r}{hint}. `lca-bayes hardware` lists the catalogue; "
        "'Any' asks for MLCA's generic GPU")


def split_list(cell: str) -> list[str]:
    """Entries of an Epoch list cell such as ``"NVIDIA A100,NVIDIA V100"``."""
    return [part.strip() for part in str(cell).split(",") if part.strip()]


@lru_cache(maxsize=None)
def grid_table() -> pd.DataFrame:
    """Long table of grid factors: country, criterion, source, year, value (``data/grid_factors.csv``)."""
    df = _read_csv("grid_factors.csv", ("country", "criterion", "source", "value"))
    values = []
    for i, row in df.iterrows():
        values.append(_float(row["value"], f"data/grid_factors.csv row {i + 2}", "value"))
    df = df.assign(value=values)
    bad = ~df["criterion"].isin(GRID_CRITERIA.values())
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise DataFormatError(f"data/grid_factors.csv row {i + 2}: field 'criterion' = "
                              f"{df['criterion'].iloc[i]!r}; expected one of {sorted(GRID_CRITERIA.values())}")
    return df


@lru_cache(maxsize=None)
def country_names() -> dict[str, str]:
    """Epoch's "Country (of organization)" strings → ISO 3166-1 alpha-3 (``data/countries.csv``)."""
    df = _read_csv("countries.csv", ("iso3", "name", "epoch_name"))
    return dict(zip(df["epoch_name"], df["iso3"]))


def valid_country_codes() -> list[str]:
    """Codes with a GWP grid factor, WOR included."""
    g = grid_table()
    return sorted(g.loc[g["criterion"] == GRID_CRITERIA["gwp_kgco2e"], "country"].unique())


def resolve_country(code: str) -> str:
    """Validate an ISO 3166-1 alpha-3 code (or WOR) against the grid table; returns it uppercased."""
    norm = str(code).strip().upper()
    valid = valid_country_codes()
    if norm not in valid:
        close = difflib.get_close_matches(norm, valid, n=5, cutoff=0.5)
        hint = f" (closest: {', '.join(close)})" if close else ""
        raise UnknownCountryError(
            f"unknown country code {code!r}{hint}: use an ISO 3166-1 alpha-3 code as MLCA and "
            f"Boavizta do (FRA, USA, CHN, ...) or WOR for the world average; "
            f"`lca-bayes countries` lists the {len(valid)} valid codes")
    return norm


@dataclass(frozen=True)
class GridPrior:
    """Lognormal grid factor per country and criterion: median and gsd, with its evidence."""

    country: str
    criterion: str
    median: float
    gsd: float
    n_sources: int
    sources: str
    fallback: str = ""


def grid_prior(country: str, criterion: str, grid_rules: dict) -> GridPrior:
    """Grid-factor prior for one country and criterion under the priors file's ``[grid]`` rules.

    Median = geometric mean over source families (sources that copy one dataset, e.g. two OWID
    extracts, count once, each family the geometric mean of its sources); gsd = max(floor, (max/min)^(1/(2·z))) with z
    the normal quantile of ``interval_covers_sources``, so that the central interval spans the
    disagreement between sources. A country without any value for the criterion falls back to
    the world value with a widened gsd, and says so in ``fallback``.
    """
    g = grid_table()
    col = GRID_CRITERIA[criterion]
    allowed = grid_rules["sources"]
    rows = g[(g["country"] == country) & (g["criterion"] == col)]
    if allowed != "all":
        rows = rows[rows["source"].isin(allowed)]
    floor = float(grid_rules["gsd_floor"][criterion])
    fallback = ""
    if rows.empty:
        if country == WORLD:
            raise DataFormatError(f"data/grid_factors.csv: no {col} value for {WORLD} from {allowed}")
        world = grid_prior(WORLD, criterion, grid_rules)
        extra = float(grid_rules.get("fallback_gsd", 1.0))
        return GridPrior(country, criterion, world.median, max(world.gsd, extra), 0, world.sources,
                         fallback=f"no {criterion} grid factor for {country} in {allowed}: world value used")
    v = rows["value"].to_numpy(float)
    families = grid_rules.get("families", {})
    fam = rows["source"].map(lambda src: families.get(src, src))
    median = float(np.exp(pd.Series(np.log(v), index=fam.to_numpy()).groupby(level=0).mean().mean()))
    z = NormalDist().inv_cdf(0.5 + float(grid_rules["interval_covers_sources"]) / 2.0)
    spread_gsd = float(np.exp(np.log(v.max() / v.min()) / (2.0 * z)))
    return GridPrior(country, criterion, median, max(floor, spread_gsd), len(v),
                     ";".join(f"{s}={x:.4g}" for s, x in zip(rows["source"], v)), fallback)
