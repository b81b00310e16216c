"""Impact formulas of MLCA (Morand et al. 2025), as pure ``jax.numpy`` functions.

Every function broadcasts: scalars give one hand-checkable number, ``(draw, system)`` arrays
give Monte Carlo draws. Impact criteria sit on the last axis, in the order of ``CRITERIA``:
GWP (kgCO2e), ADPe (kgSbeq), PE (MJ). No I/O, no randomness, no pandas here.

References
----------
Morand, Ligozat, Névéol (2025), "The Environmental Impacts of Machine Learning Training Keep
Rising Evidencing Rebound Effect" (the MLCA tool, github blubrom/MLCA).
Gröger et al. (2021), "Green Cloud Computing", UBA Texte 94/2021 (die and DRAM factors).
Loubet et al. (2023), GPU card base impacts as used by BoaviztAPI and MLCA (base factors).
"""

from __future__ import annotations

from typing import NamedTuple

import jax.numpy as jnp

CRITERIA = ("gwp_kgco2e", "adpe_kgsbeq", "pe_mj")
"""Impact criteria, in the order of the last axis of every factor and impact array."""

HOURS_PER_YEAR = 8760.0


def card_embodied(die_area_cm2, memory_gb, dram_density_gb_per_cm2, die_factor, base_factor,
                  dram_factor, dram_base_factor):
    """Production impact of one accelerator card, per criterion.

    ``I = die_cm2·a + b + (mem_GB / ρ)·m + n`` (MLCA; a, b, m, n per criterion on the last axis).

    Returns kgCO2e, kgSbeq, MJ on the last axis (shape ``broadcast(...) + (3,)``).
    """
    die = jnp.asarray(die_area_cm2)[..., None]
    dram_area_cm2 = (jnp.asarray(memory_gb) / jnp.asarray(dram_density_gb_per_cm2))[..., None]
    return die * die_factor + base_factor + dram_area_cm2 * dram_factor + dram_base_factor


def gpu_energy_kwh(n_gpu, tdp_w, power_fraction, hours, host_overhead, pue):
    """Electricity drawn from the grid by a training run, kWh.

    ``E = n_gpu · TDP_W · power_fraction · hours · host_overhead · PUE / 1000``.
    MLCA's lumped dynamic ratio r = 200/109 is ``host_overhead · PUE`` with power_fraction 1.
    """
    return n_gpu * tdp_w * power_fraction * hours * host_overhead * pue / 1000.0


def use_impacts(energy_kwh, grid_factors):
    """Use-phase impacts ``E · f_k(country)``; grid factors per kWh on the last axis."""
    return jnp.asarray(energy_kwh)[..., None] * grid_factors


def embodied_allocation(n_units, unit_impact, hours, lifetime_years, busy_share):
    """Share of production impacts allocated to a run by time of use.

    ``I_emb = n · I_unit · hours / (L_years · 8760 · busy_share)``; ``unit_impact`` per criterion
    on the last axis, the rest broadcast against its leading axes.
    """
    share = jnp.asarray(n_units) * hours / (lifetime_years * HOURS_PER_YEAR * busy_share)
    return jnp.asarray(share)[..., None] * unit_impact


class Impacts(NamedTuple):
    """Impacts of training runs: energy ``(...)`` kWh; use and embodied ``(..., 3)``."""

    energy_kwh: jnp.ndarray
    use: jnp.ndarray
    embodied: jnp.ndarray


def training_impacts(p: dict) -> Impacts:
    """Energy, use and embodied impacts of training runs from parameter arrays.

    ``p`` maps names to arrays that broadcast together (``(draw, system)`` or scalars), and
    per-criterion factors with a trailing axis of 3:

    - run: ``n_gpu``, ``hours``;
    - hardware: ``tdp_w``, ``die_area_cm2``, ``memory_gb``;
    - use: ``power_fraction``, ``host_overhead``, ``pue``, ``grid_factor`` (…, 3) per kWh;
    - production: ``dram_density`` (GB/cm²), ``die_factor``, ``base_factor``, ``dram_factor``,
      ``dram_base_factor`` (…, 3), ``lifetime_years``, ``busy_share``;
    - optional host server: ``host_embodied`` (…, 3) per server, ``gpus_per_server``.
    """
    energy = gpu_energy_kwh(p["n_gpu"], p["tdp_w"], p["power_fraction"], p["hours"],
                            p["host_overhead"], p["pue"])
    use = use_impacts(energy, p["grid_factor"])
    card = card_embodied(p["die_area_cm2"], p["memory_gb"], p["dram_density"], p["die_factor"],
                         p["base_factor"], p["dram_factor"], p["dram_base_factor"])
    if "host_embodied" in p:
        card = card + p["host_embodied"] / jnp.asarray(p["gpus_per_server"])[..., None]
    embodied = embodied_allocation(p["n_gpu"], card, p["hours"], p["lifetime_years"],
                                   p["busy_share"])
    return Impacts(energy, use, embodied)
