"""Priors as data: distributions read from a TOML file under ``models/``.

Each entry names a unit, a family with its named parameters, a scope and a source. The same
object feeds Monte Carlo (``.sample(rng_key, shape)``) and Sobol analysis (``.icdf(u)``).

Families: ``fixed`` (value), ``lognormal`` (median, gsd), ``uniform`` (low, high),
``loguniform`` (low, high), ``triangular`` (low, mode, high).
Scopes: ``shared`` (one value per draw, common to all systems: moves every system together) or
``system`` (an independent value per system and draw).
"""

from __future__ import annotations

import math
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import jax
import jax.numpy as jnp
from jax.scipy.special import ndtri

from .errors import InvalidPriorError
from .paths import models_path

FAMILY_PARAMS = {
    "fixed": ("value",),
    "lognormal": ("median", "gsd"),
    "uniform": ("low", "high"),
    "loguniform": ("low", "high"),
    "triangular": ("low", "mode", "high"),
}
SCOPES = ("shared", "system")
PRESETS = {"default": "priors.toml", "mlca": "mlca.toml"}


@dataclass(frozen=True)
class Distribution:
    """A univariate distribution with named parameters (see module docstring)."""

    family: str
    params: dict

    def icdf(self, u):
        """Quantile function at probabilities ``u`` in (0, 1); same shape as ``u``."""
        u = jnp.asarray(u)
        p = self.params
        if self.family == "fixed":
            return jnp.full(u.shape, p["value"], dtype=u.dtype)
        if self.family == "lognormal":
            return p["median"] * jnp.exp(math.log(p["gsd"]) * ndtri(u))
        if self.family == "uniform":
            return p["low"] + (p["high"] - p["low"]) * u
        if self.family == "loguniform":
            return p["low"] * jnp.exp(math.log(p["high"] / p["low"]) * u)
        lo, mode, hi = p["low"], p["mode"], p["high"]
        cut = (mode - lo) / (hi - lo)
        left = lo + jnp.sqrt(u * (hi - lo) * (mode - lo))
        right = hi - jnp.sqrt((1.0 - u) * (hi - lo) * (hi - mode))
        return jnp.where(u < cut, left, right)

    def sample(self, rng_key, shape=()):
        """Draws of the given shape (float32)."""
        if self.family == "fixed":
            return jnp.full(shape, self.params["value"], dtype=jnp.float32)
        if self.family == "lognormal":
            z = jax.random.normal(rng_key, shape)
            return self.params["median"] * jnp.exp(math.log(self.params["gsd"]) * z)
        return self.icdf(jax.random.uniform(rng_key, shape, minval=1e-7, maxval=1.0 - 1e-7))

    def median(self) -> float:
        """Median of the distribution (used by one-at-a-time views)."""
        return float(self.icdf(jnp.float32(0.5)))

    @property
    def is_fixed(self) -> bool:
        return self.family == "fixed"


@dataclass(frozen=True)
class Prior:
    """One uncertain input: its distribution, unit, scope and the evidence behind it."""

    name: str
    dist: Distribution
    unit: str
    scope: str
    source: str
    why: str = ""


@dataclass(frozen=True)
class PriorSet:
    """Everything a priors file says: parameters plus grid, spec and host-server rules."""

    name: str
    path: Path
    parameters: dict[str, Prior]
    grid: dict
    unknown_specs: dict[str, Prior]
    hardware_table: str
    host_server: dict
    description: str = ""
    raw: dict = field(default_factory=dict, repr=False)

    def shared(self) -> dict[str, Prior]:
        return {k: v for k, v in self.parameters.items() if v.scope == "shared"}

    def per_system(self) -> dict[str, Prior]:
        return {k: v for k, v in self.parameters.items() if v.scope == "system"}


def _number(entry: str, key: str, value) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise InvalidPriorError(f"prior '{entry}': field '{key}' = {value!r} is not a finite number")
    return float(value)


def parse_distribution(entry: str, spec: dict) -> Distribution:
    """Validate one ``{family = ..., <params>}`` table; errors name entry, field and value."""
    family = spec.get("family")
    if family not in FAMILY_PARAMS:
        raise InvalidPriorError(
            f"prior '{entry}': field 'family' = {family!r}; expected one of {sorted(FAMILY_PARAMS)}")
    params = {}
    for key in FAMILY_PARAMS[family]:
        if key not in spec:
            raise InvalidPriorError(f"prior '{entry}': family '{family}' needs field '{key}'")
        params[key] = _number(entry, key, spec[key])
    if family == "lognormal":
        if params["median"] <= 0:
            raise InvalidPriorError(f"prior '{entry}': field 'median' = {params['median']} must be > 0")
        if params["gsd"] < 1:
            raise InvalidPriorError(f"prior '{entry}': field 'gsd' = {params['gsd']} must be >= 1")
    if family in ("uniform", "loguniform", "triangular") and not params["low"] < params["high"]:
        raise InvalidPriorError(
            f"prior '{entry}': field 'high' = {params['high']} must exceed 'low' = {params['low']}")
    if family == "loguniform" and params["low"] <= 0:
        raise InvalidPriorError(f"prior '{entry}': field 'low' = {params['low']} must be > 0")
    if family == "triangular" and not params["low"] <= params["mode"] <= params["high"]:
        raise InvalidPriorError(
            f"prior '{entry}': field 'mode' = {params['mode']} must lie in [low, high]")
    return Distribution(family, params)


def _prior(entry: str, spec: dict, default_scope: str = "shared") -> Prior:
    if not isinstance(spec, dict):
        raise InvalidPriorError(f"prior '{entry}': expected a table, got {spec!r}")
    scope = spec.get("scope", default_scope)
    if scope not in SCOPES:
        raise InvalidPriorError(f"prior '{entry}': field 'scope' = {scope!r}; expected one of {SCOPES}")
    source = spec.get("source")
    if not source:
        raise InvalidPriorError(f"prior '{entry}': field 'source' is missing: every prior cites its evidence")
    return Prior(entry, parse_distribution(entry, spec), str(spec.get("unit", "")), scope,
                 str(source), str(spec.get("why", "")))


REQUIRED_PARAMETERS = ("power_fraction", "host_overhead", "pue", "lifetime_years", "busy_share",
                       "dram_density", "die_factor_scale", "base_factor_scale",
                       "dram_factor_scale", "host_server_scale")


def load_priors(preset_or_path: str | Path = "default") -> PriorSet:
    """Read and validate a priors file: a preset name (``default``, ``mlca``) or a TOML path."""
    path = (models_path(PRESETS[preset_or_path]) if str(preset_or_path) in PRESETS
            else Path(preset_or_path))
    try:
        raw = tomllib.loads(path.read_text())
    except FileNotFoundError:
        raise InvalidPriorError(
            f"priors file {path} not found; presets are {sorted(PRESETS)} or give a TOML path") from None
    except tomllib.TOMLDecodeError as exc:
        raise InvalidPriorError(f"priors file {path}: invalid TOML: {exc}") from None
    params_raw = raw.get("parameters", {})
    missing = [k for k in REQUIRED_PARAMETERS if k not in params_raw]
    if missing:
        raise InvalidPriorError(f"priors file {path}: missing parameter entries {missing}")
    parameters = {k: _prior(k, v) for k, v in params_raw.items()}
    specs_raw = raw.get("unknown_specs", {})
    for k in ("tdp_w", "die_area_cm2", "memory_gb"):
        if k not in specs_raw:
            raise InvalidPriorError(f"priors file {path}: [unknown_specs] needs entry '{k}'")
    unknown_specs = {k: _prior(f"unknown_specs.{k}", v) for k, v in specs_raw.items()}
    grid = raw.get("grid", {})
    for key in ("sources", "gsd_floor", "interval_covers_sources"):
        if key not in grid:
            raise InvalidPriorError(f"priors file {path}: [grid] needs field '{key}'")
    for crit, value in grid["gsd_floor"].items():
        if _number(f"grid.gsd_floor.{crit}", "value", value) < 1:
            raise InvalidPriorError(f"prior 'grid.gsd_floor.{crit}': value {value} must be >= 1")
    hardware_table = raw.get("hardware", {}).get("table", "catalogue")
    if hardware_table not in ("catalogue", "mlca"):
        raise InvalidPriorError(
            f"priors file {path}: [hardware] field 'table' = {hardware_table!r}; expected 'catalogue' or 'mlca'")
    host = raw.get("host_server", {})
    for key in ("gpus_per_server", "sources"):
        if key not in host:
            raise InvalidPriorError(f"priors file {path}: [host_server] needs field '{key}'")
    meta = raw.get("meta", {})
    return PriorSet(meta.get("name", path.stem), path, parameters, grid, unknown_specs,
                    hardware_table, host, meta.get("description", ""), raw)
