"""The pure impact formulas against values computed by hand from MLCA's published factors."""

import numpy as np
import pytest

from lca_bayes.impacts import (CRITERIA, card_embodied, embodied_allocation, gpu_energy_kwh,
                               training_impacts, use_impacts)

# MLCA card factors (Gröger et al. 2021; Loubet et al. 2023), order GWP, ADPe, PE
A = np.array([1.97, 5.80e-7, 26.5])
B = np.array([26.971, 0.0170687, 156.0])
M = np.array([2.20, 6.30e-5, 27.3])
N = np.array([5.22, 1.69e-3, 74.0])


def test_a100_sxm4_80gb_card_production_by_hand():
    # die 8.26 cm2, 80 GB at 0.625 GB/cm2 = 128 cm2 of DRAM die
    # GWP: 8.26*1.97 = 16.2722; + 26.971 = 43.2432; 128*2.20 = 281.6; + 5.22 -> 330.0632 kgCO2e
    # ADPe: 8.26*5.8e-7 = 4.7908e-6; + 0.0170687; 128*6.3e-5 = 8.064e-3; + 1.69e-3 -> 0.0268275 kgSbeq
    # PE: 8.26*26.5 = 218.89; + 156; 128*27.3 = 3494.4; + 74 -> 3943.29 MJ
    card = np.asarray(card_embodied(8.26, 80.0, 0.625, A, B, M, N))
    assert card == pytest.approx([330.0632, 0.0268274908, 3943.29], rel=1e-6)


def test_energy_and_use_by_hand():
    # 384 GPUs x 400 W x 2808 h = 431,308.8 kWh; x 200/109 = 791,392.29 kWh (MLCA: PUE inside r)
    e = float(gpu_energy_kwh(384, 400.0, 1.0, 2808.0, 200 / 109, 1.0))
    assert e == pytest.approx(384 * 400 * 2808 * (200 / 109) / 1000, rel=1e-6)
    assert e == pytest.approx(791392.29, rel=1e-6)
    use = np.asarray(use_impacts(e, np.array([0.098, 1e-8, 11.0])))
    assert use == pytest.approx([e * 0.098, e * 1e-8, e * 11.0], rel=1e-6)


def test_embodied_allocation_full_lifetime_is_one_card():
    # using one card for its whole busy life (6 y x 8760 h x 0.85) allocates exactly one card
    card = np.array([330.0632, 0.0268, 3943.29])
    out = np.asarray(embodied_allocation(1, card, 6 * 8760 * 0.85, 6.0, 0.85))
    assert out == pytest.approx(card, rel=1e-6)


def test_training_impacts_linear_in_hours_and_count_and_broadcasts():
    p = dict(n_gpu=np.array([1.0, 2.0, 4.0]), hours=np.array([[10.0], [20.0]]), tdp_w=300.0,
             die_area_cm2=6.0, memory_gb=32.0, power_fraction=0.8, host_overhead=1.3, pue=1.2,
             grid_factor=np.array([0.4, 1e-8, 10.0]), dram_density=1.0, die_factor=A,
             base_factor=B, dram_factor=M, dram_base_factor=N, lifetime_years=5.0, busy_share=0.8)
    out = training_impacts(p)
    assert out.energy_kwh.shape == (2, 3) and out.use.shape == (2, 3, 3)
    e = np.asarray(out.energy_kwh)
    assert e[1] == pytest.approx(2 * e[0], rel=1e-6)  # twice the hours
    assert e[0, 2] == pytest.approx(4 * e[0, 0], rel=1e-6)  # four times the GPUs
    emb = np.asarray(out.embodied)
    assert emb[1] == pytest.approx(2 * emb[0], rel=1e-6)
    assert len(CRITERIA) == emb.shape[-1]


def test_host_server_share_adds_per_gpu():
    base = dict(n_gpu=8.0, hours=100.0, tdp_w=300.0, die_area_cm2=6.0, memory_gb=32.0,
                power_fraction=1.0, host_overhead=1.0, pue=1.0, grid_factor=np.array([0.4, 1e-8, 10.0]),
                dram_density=1.0, die_factor=A, base_factor=B, dram_factor=M, dram_base_factor=N,
                lifetime_years=5.0, busy_share=1.0)
    without = np.asarray(training_impacts(base).embodied)
    server = np.array([2000.0, 0.2, 25000.0])
    with_host = np.asarray(training_impacts({**base, "host_embodied": server, "gpus_per_server": 8.0}).embodied)
    # 8 GPUs = one server; 100 h of a 5-year life: 2000 * 100 / 43800 = 4.566 kgCO2e
    assert with_host - without == pytest.approx(server * 100 / (5 * 8760), rel=1e-5)
