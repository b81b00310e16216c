"""Monte Carlo propagation against closed forms, shared-draw correlation and reproducibility."""

import math
import textwrap

import jax
import numpy as np
import pytest

from lca_bayes.catalog import HardwareSpec
from lca_bayes.priors import load_priors
from lca_bayes.propagate import OUTPUTS, make_inputs, propagate

Z95 = 1.6448536269514722

FIXED = {k: 1.0 for k in ("power_fraction", "host_overhead", "pue", "die_factor_scale",
                          "base_factor_scale", "dram_factor_scale", "host_server_scale")}
FIXED.update(lifetime_years=5.0, busy_share=1.0, dram_density=1.0)


def write_priors(tmp_path, overrides: dict, grid_floor=1.0) -> str:
    """A priors file with every parameter fixed except ``overrides`` (name -> TOML inline table)."""
    lines = ["[meta]", 'name = "test"', "[parameters]"]
    for name, value in FIXED.items():
        spec = overrides.get(name, f'{{ family = "fixed", value = {value} }}')
        lines.append(f'{name} = {spec[:-1]}, source = "test" }}')
    lines += textwrap.dedent(f"""
        [unknown_specs]
        tdp_w = {{ family = "fixed", value = 300.0, source = "test" }}
        die_area_cm2 = {{ family = "fixed", value = 6.0, source = "test" }}
        memory_gb = {{ family = "lognormal", median = 32.0, gsd = 2.0, source = "test" }}
        [grid]
        sources = ["mlca"]
        interval_covers_sources = 0.9
        [grid.gsd_floor]
        gwp_kgco2e = {grid_floor}
        adpe_kgsbeq = {grid_floor}
        pe_mj = {grid_floor}
        [host_server]
        gpus_per_server = 8
        sources = ["boavizta_default_server"]
        """).splitlines()
    path = tmp_path / "priors.toml"
    path.write_text("\n".join(lines) + "\n")
    return str(path)


KNOWN = HardwareSpec("test GPU", 400.0, 8.0, 40.0)


def test_use_gwp_is_a_product_of_lognormals(tmp_path):
    # use GWP = n*TDP*h/1000 * pf * ho * pue * grid: with pf, ho, pue, grid lognormal the product
    # is lognormal with median = product of medians and log-sd = sqrt(sum of log(gsd)^2)
    gsd = {"power_fraction": 1.2, "host_overhead": 1.3, "pue": 1.1}
    over = {k: f'{{ family = "lognormal", median = {m}, gsd = {gsd[k]}, scope = "system" }}'
            for k, m in (("power_fraction", 0.8), ("host_overhead", 1.25), ("pue", 1.15))}
    priors = load_priors(write_priors(tmp_path, over, grid_floor=1.5))
    inputs = make_inputs(["a"], [10.0], [100.0], [[KNOWN]], [["FRA"]])
    n = 40000
    prop = propagate(jax.random.key(3), inputs, priors, n)
    median = 10 * 400 * 100 / 1000 * 0.8 * 1.25 * 1.15 * 0.098  # FRA mlca grid factor 0.098
    s = math.sqrt(sum(math.log(g) ** 2 for g in gsd.values()) + math.log(1.5) ** 2)
    draws = prop.draws[:, 0, OUTPUTS.index("gwp_kgco2e_use")].astype(float)
    logs = np.log(draws)
    # Monte Carlo standard errors: mean of logs s/sqrt(n); sd of logs s/sqrt(2n)
    assert logs.mean() == pytest.approx(math.log(median), abs=4 * s / math.sqrt(n))
    assert logs.std() == pytest.approx(s, abs=4 * s / math.sqrt(2 * n))
    q95 = prop.summary[0, OUTPUTS.index("gwp_kgco2e_use"), 3]
    assert q95 == pytest.approx(median * math.exp(Z95 * s), rel=0.03)
    mean = prop.summary[0, OUTPUTS.index("gwp_kgco2e_use"), 0]
    assert mean == pytest.approx(median * math.exp(s * s / 2), rel=0.02)


def test_shared_parameters_move_all_systems_together(tmp_path):
    # lifetime shared: embodied of two identical systems is perfectly correlated, so the
    # sum's sd is twice one system's; PUE per system: use of the two is independent
    over = {"lifetime_years": '{ family = "uniform", low = 3.0, high = 7.0, scope = "shared" }',
            "pue": '{ family = "uniform", low = 1.1, high = 1.6, scope = "system" }'}
    priors = load_priors(write_priors(tmp_path, over))
    inputs = make_inputs(["a", "b"], [8.0, 8.0], [100.0, 100.0], [[KNOWN], [KNOWN]], [["USA"], ["USA"]])
    prop = propagate(jax.random.key(0), inputs, priors, 20000)
    emb = prop.draws[:, :, OUTPUTS.index("gwp_kgco2e_embodied")].astype(float)
    use = prop.draws[:, :, OUTPUTS.index("energy_kwh")].astype(float)
    assert np.corrcoef(emb.T)[0, 1] == pytest.approx(1.0, abs=1e-6)
    assert abs(np.corrcoef(use.T)[0, 1]) < 0.05
    assert emb.sum(axis=1).std() == pytest.approx(2 * emb[:, 0].std(), rel=1e-4)


def test_grid_factor_is_shared_by_systems_in_one_country(tmp_path):
    priors = load_priors(write_priors(tmp_path, {}, grid_floor=1.5))
    inputs = make_inputs(["a", "b", "c"], [1.0] * 3, [1.0] * 3, [[KNOWN]] * 3,
                         [["FRA"], ["FRA"], ["USA"]])
    prop = propagate(jax.random.key(0), inputs, priors, 5000)
    g = prop.draws[:, :, OUTPUTS.index("gwp_kgco2e_use")].astype(float)
    c = np.corrcoef(g.T)
    assert c[0, 1] == pytest.approx(1.0, abs=1e-6) and abs(c[0, 2]) < 0.06


def test_unknown_spec_is_drawn_once_per_hardware(tmp_path):
    priors = load_priors(write_priors(tmp_path, {}))
    unknown = HardwareSpec("no memory", 400.0, 8.0, math.nan)
    inputs = make_inputs(["a", "b"], [1.0, 1.0], [1.0, 1.0], [[unknown], [unknown]], [["USA"], ["USA"]])
    prop = propagate(jax.random.key(0), inputs, priors, 4000)
    emb = prop.draws[:, :, OUTPUTS.index("gwp_kgco2e_embodied")]
    assert np.ptp(emb[:, 0]) > 0 and np.array_equal(emb[:, 0], emb[:, 1])


def test_hardware_list_is_an_equal_weight_mixture(tmp_path):
    priors = load_priors(write_priors(tmp_path, {}))
    small = HardwareSpec("small", 100.0, 5.0, 10.0)
    big = HardwareSpec("big", 300.0, 5.0, 10.0)
    inputs = make_inputs(["mix"], [1.0], [1000.0], [[small, big]], [["USA"]])
    prop = propagate(jax.random.key(0), inputs, priors, 20000)
    e = prop.draws[:, 0, OUTPUTS.index("energy_kwh")]
    values, counts = np.unique(np.round(e, 3), return_counts=True)
    assert values.tolist() == [100.0, 300.0]  # 100 W or 300 W x 1000 h, nothing else
    assert counts[0] / counts.sum() == pytest.approx(0.5, abs=0.02)


def test_same_seed_same_numbers_and_chunking_does_not_matter():
    priors = load_priors("default")
    specs = [HardwareSpec(f"gpu{i}", 100.0 + i, 5.0, math.nan) for i in range(7)]
    inputs = make_inputs([f"s{i}" for i in range(7)], np.arange(1, 8), np.full(7, 10.0),
                         [[s] for s in specs], [["USA"], ["FRA"], ["CHN"], ["USA"], ["WOR"], ["DEU"], ["USA"]])
    a = propagate(jax.random.key(42), inputs, priors, 3000)
    b = propagate(jax.random.key(42), inputs, priors, 3000, chunk_size=3)
    c = propagate(jax.random.key(43), inputs, priors, 3000)
    np.testing.assert_array_equal(a.draws, b.draws)
    np.testing.assert_allclose(a.summary, b.summary)
    assert not np.allclose(a.draws, c.draws)
    assert np.isfinite(a.summary).all() and (a.summary > 0).all()
