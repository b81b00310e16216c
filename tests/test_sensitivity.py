"""Sobol indices: analytic Ishigami values, agreement with SALib on the same samples, invariants."""

import json

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from lca_bayes import InvalidInputError
from lca_bayes.cli import main
from lca_bayes.sensitivity import (estimate_sensitivity, ishigami, ishigami_indices, sobol_from_evaluations,
                                   sobol_indices)


def test_ishigami_matches_the_analytic_indices():
    # S1 = (0.314, 0.442, 0), ST = (0.558, 0.442, 0.244) for a = 7, b = 0.1
    r = sobol_indices(jax.random.key(0), ishigami, 3, num_base=2**15, input_names=("x1", "x2", "x3"))
    s1, st = ishigami_indices()
    assert np.abs(r.S1[:, 0] - s1).max() < 0.04
    assert np.abs(r.ST[:, 0] - st).max() < 0.04
    # the reported 95 % half-widths hold the truth (allowing 1.5x for the estimator's own noise)
    assert (np.abs(r.S1[:, 0] - s1) <= 1.5 * r.S1_conf[:, 0] + 1e-3).all()
    assert (np.abs(r.ST[:, 0] - st) <= 1.5 * r.ST_conf[:, 0] + 1e-3).all()


def test_same_estimates_as_salib_on_the_same_samples():
    from SALib.analyze import sobol as salib_sobol

    problem = {"num_vars": 3, "names": ["x1", "x2", "x3"], "bounds": [[0, 1]] * 3}
    N = 4096
    rng = np.random.default_rng(0)
    A, B = rng.random((N, 3)), rng.random((N, 3))
    # SALib's layout without second order: per base row, A, AB_1..AB_k, B
    AB = np.stack([np.where(np.arange(3) == i, B, A) for i in range(3)])  # (k, N, k)
    X = np.concatenate([A[:, None], AB.transpose(1, 0, 2), B[:, None]], axis=1).reshape(-1, 3)
    Y = np.asarray(ishigami(jnp.asarray(X)))[:, 0]
    ref = salib_sobol.analyze(problem, Y, calc_second_order=False, num_resamples=200, seed=1)
    fA, fB = ishigami(jnp.asarray(A)), ishigami(jnp.asarray(B))
    fAB = jnp.stack([ishigami(jnp.asarray(m)) for m in AB])
    S1, S1c, ST, STc = sobol_from_evaluations(fA, fB, fAB, jax.random.key(1), num_resamples=200)
    np.testing.assert_allclose(S1[:, 0], ref["S1"], atol=1e-5)
    np.testing.assert_allclose(ST[:, 0], ref["ST"], atol=1e-5)
    # bootstrap half-widths from other resamples: same size within 30 %
    np.testing.assert_allclose(S1c[:, 0], ref["S1_conf"], rtol=0.3)
    np.testing.assert_allclose(STc[:, 0], ref["ST_conf"], rtol=0.3)


def test_constant_output_gives_zero_not_nan():
    r = sobol_indices(jax.random.key(0), lambda u: jnp.ones((u.shape[0], 1)), 2, num_base=256)
    assert (r.S1 == 0).all() and (r.ST == 0).all() and np.isfinite(r.S1_conf).all()


def test_training_run_indices_make_sense():
    r = estimate_sensitivity("NVIDIA A100 SXM4 80 GB", 384, 2808, country="FRA", num_base=2**13)
    d = r.to_dict()
    energy = d["energy_kwh"]
    # energy depends on power draw only: grid and embodied inputs have no effect on it
    assert energy["grid_gwp_kgco2e"]["ST"] == pytest.approx(0, abs=1e-6)
    assert energy["lifetime_years"]["ST"] == pytest.approx(0, abs=1e-6)
    assert sum(energy[k]["ST"] for k in ("power_fraction", "host_overhead", "pue")) > 0.95
    # an additive-ish model: totals near 1, S1 <= ST within noise
    gwp = d["gwp_kgco2e"]
    assert 0.9 < sum(v["ST"] for v in gwp.values()) < 1.2
    assert all(v["S1"] <= v["ST"] + 2 * v["S1_conf"] + 0.01 for v in gwp.values())


def test_cli_json_shape_and_bad_input(capsys):
    assert main(["sensitivity", "--gpu", "NVIDIA V100", "--count", "8", "--hours", "100",
                 "--country", "USA", "--samples", "1024", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert set(out) == {"energy_kwh", "gwp_kgco2e", "adpe_kgsbeq", "pe_mj"}
    assert set(out["gwp_kgco2e"]["pue"]) == {"S1", "S1_conf", "ST", "ST_conf"}
    assert "memory_gb" in out["gwp_kgco2e"]  # the generic V100 has no memory size: an input
    assert main(["sensitivity", "--gpu", "NVIDIA V100", "--count", "0", "--hours", "1"]) == 2
    with pytest.raises(InvalidInputError, match="nothing to analyse"):
        estimate_sensitivity("Any", 1, 1, preset="mlca")


def test_tornado_bars_by_hand(tmp_path):
    from lca_bayes.sensitivity import run_problem, tornado

    model, names = run_problem("NVIDIA A100 SXM4 80 GB", 384, 2808, country="FRA")
    bars, median = tornado(model, names)
    i = names.index("pue")
    # energy is proportional to PUE: the bar ends are the median energy x PUE quantile / median
    pue = __import__("lca_bayes").load_priors("default").parameters["pue"].dist
    q05, q50, q95 = (float(pue.icdf(np.float32(q))) for q in (0.05, 0.5, 0.95))
    assert bars[i, 0, 0] == pytest.approx(median[0, 0] * q05 / q50, rel=1e-4)
    assert bars[i, 1, 0] == pytest.approx(median[0, 0] * q95 / q50, rel=1e-4)
    assert bars[names.index("lifetime_years"), 0, 0] == pytest.approx(median[0, 0])  # no effect on energy
    assert main(["sensitivity", "--gpu", "NVIDIA A100 SXM4 80 GB", "--count", "8", "--hours", "10",
                 "--samples", "256", "--tornado", str(tmp_path / "t.png")]) == 0
    assert (tmp_path / "t.png").stat().st_size > 10000
