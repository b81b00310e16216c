"""Priors file validation, distribution quantiles, and the widths the default priors promise."""

import jax
import numpy as np
import pytest
from scipy import stats

from lca_bayes import InvalidPriorError, load_priors
from lca_bayes.impacts import card_embodied
from lca_bayes.priors import Distribution, parse_distribution
from lca_bayes.propagate import embodied_base_factors


@pytest.mark.parametrize("dist,ref", [
    (Distribution("lognormal", {"median": 2.0, "gsd": 1.5}), stats.lognorm(s=np.log(1.5), scale=2.0)),
    (Distribution("uniform", {"low": 1.0, "high": 3.0}), stats.uniform(1.0, 2.0)),
    (Distribution("loguniform", {"low": 0.625, "high": 2.375}), stats.loguniform(0.625, 2.375)),
    (Distribution("triangular", {"low": 1.0, "mode": 1.2, "high": 2.0}), stats.triang(0.2, loc=1.0, scale=1.0)),
])
def test_icdf_matches_scipy_and_samples_follow_it(dist, ref):
    u = np.array([0.01, 0.05, 0.5, 0.95, 0.99])
    assert np.asarray(dist.icdf(u)) == pytest.approx(ref.ppf(u), rel=1e-4)
    x = np.asarray(dist.sample(jax.random.key(0), (20000,)))
    assert stats.kstest(x, ref.cdf).pvalue > 1e-3


@pytest.mark.parametrize("spec,match", [
    ({"family": "gamma"}, "field 'family' = 'gamma'"),
    ({"family": "lognormal", "median": 1.0}, "needs field 'gsd'"),
    ({"family": "lognormal", "median": 1.0, "gsd": 0.5}, "field 'gsd' = 0.5 must be >= 1"),
    ({"family": "uniform", "low": 2.0, "high": 1.0}, "field 'high' = 1.0 must exceed"),
    ({"family": "triangular", "low": 0.0, "mode": 3.0, "high": 1.0}, "field 'mode' = 3.0"),
    ({"family": "uniform", "low": "a", "high": 1.0}, "field 'low' = 'a' is not a finite number"),
])
def test_bad_distribution_names_entry_field_and_value(spec, match):
    with pytest.raises(InvalidPriorError, match=match) as err:
        parse_distribution("pue", spec)
    assert "prior 'pue'" in str(err.value)


def test_priors_file_errors(tmp_path):
    text = (load_priors("default").path.read_text()
            .replace('source = "Hyperscaler regions', 'unsourced = "Hyperscaler regions'))
    bad = tmp_path / "p.toml"
    bad.write_text(text)
    with pytest.raises(InvalidPriorError, match="prior 'pue': field 'source' is missing"):
        load_priors(bad)
    with pytest.raises(InvalidPriorError, match="not found"):
        load_priors(tmp_path / "nope.toml")


def test_every_default_prior_has_a_source_and_a_reason():
    for preset in ("default", "mlca"):
        p = load_priors(preset)
        for prior in list(p.parameters.values()) + list(p.unknown_specs.values()):
            assert prior.source
    for prior in load_priors("default").parameters.values():
        assert prior.why and not prior.dist.is_fixed
    assert all(prior.dist.is_fixed for prior in load_priors("mlca").parameters.values())


def test_h100_card_interval_spans_the_published_estimates():
    # one H100 card (die 8.14 cm2, 80 GB): NVIDIA HGX PCF 164, EcoLogits 273, MLCA 224-330,
    # Boavizta 2.5 575, LLMCarbon 47 kgCO2e (../shared/data/SOURCES.md): the prior's 90 %
    # interval must hold the middle estimates and reach towards both ends
    p = load_priors("default").parameters
    f = embodied_base_factors()
    keys = jax.random.split(jax.random.key(0), 4)
    d = {n: np.asarray(p[n].dist.sample(k, (50000,))) for k, n in
         zip(keys, ("dram_density", "die_factor_scale", "base_factor_scale", "dram_factor_scale"))}
    card = np.asarray(card_embodied(
        8.14, 80.0, d["dram_density"], f["die_factor"] * d["die_factor_scale"][:, None],
        f["base_factor"] * d["base_factor_scale"][:, None], f["dram_factor"] * d["dram_factor_scale"][:, None],
        f["dram_base_factor"] * d["dram_factor_scale"][:, None]))[:, 0]
    q05, q95 = np.percentile(card, [5, 95])
    assert q05 < 164 and 330 < q95
    assert q05 < 100 and q95 > 450  # the 10x disagreement between methods, not a token width
