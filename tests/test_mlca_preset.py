"""Preset ``mlca`` reproduces MLCA's numbers, computed here by hand from its published values."""

import pytest

from lca_bayes import UnknownHardwareError, estimate

# MLCA values used below (data/mlca_gpus.csv, data/grid_factors.csv source "mlca"):
# A100 SXM4 80 GB: 400 W, die 8.26 cm2, 80 GB; FRA: 0.098 kgCO2e, 4.86e-8 kgSbeq, 11.289 MJ per kWh
R = 200 / 109  # MLCA dynamic ratio
CARD = {"gwp_kgco2e": 330.0632, "adpe_kgsbeq": 0.0268274908, "pe_mj": 3943.29}  # test_impacts
FRA = {"gwp_kgco2e": 0.098, "adpe_kgsbeq": 4.86e-8, "pe_mj": 11.289}


def test_a100_run_in_france_matches_hand_computation():
    r = estimate("NVIDIA A100 SXM4 80 GB", count=384, hours=2808, country="FRA", preset="mlca",
                 num_samples=10)
    energy = 384 * 400 * 2808 * R / 1000  # 791,392.29 kWh
    share = 384 * 2808 / (6 * 8760 * 0.85)  # GPU-hours / busy hours of a 6-year life = 24.1355 cards
    res = r["results"]
    assert res["energy_kwh"]["median"] == pytest.approx(energy, rel=1e-6)
    for crit in CARD:
        use, emb = energy * FRA[crit], share * CARD[crit]
        assert res[crit]["use"]["median"] == pytest.approx(use, rel=1e-6)
        assert res[crit]["embodied"]["median"] == pytest.approx(emb, rel=1e-6)
        assert res[crit]["total"]["median"] == pytest.approx(use + emb, rel=1e-6)
        # point values: no spread
        assert res[crit]["total"]["q05"] == pytest.approx(res[crit]["total"]["q95"], rel=1e-6)
    # 77,556 kgCO2e of use and 7,966 kgCO2e of production
    assert res["gwp_kgco2e"]["use"]["median"] == pytest.approx(77556.4, rel=1e-5)
    assert res["gwp_kgco2e"]["embodied"]["median"] == pytest.approx(7966.2, rel=1e-4)


def test_one_card_over_its_life_costs_330_kgco2e():
    hours = 6 * 8760 * 0.85  # the whole busy life of one card
    r = estimate("NVIDIA A100 SXM4 80 GB", count=1, hours=hours, country="FRA", preset="mlca",
                 num_samples=4)
    assert r["results"]["gwp_kgco2e"]["embodied"]["mean"] == pytest.approx(330.06, abs=0.01)


def test_mlca_table_values_win_over_the_catalogue():
    # MLCA lists the V100 SXM2 32 GB at 250 W; Epoch's catalogue at 300 W
    mlca = estimate("NVIDIA Tesla V100 SXM2 32 GB", count=1, hours=1000, country="USA",
                    preset="mlca", num_samples=4)
    assert mlca["inputs"]["tdp_w"] == 250
    assert mlca["results"]["energy_kwh"]["median"] == pytest.approx(250 * 1000 * R / 1000, rel=1e-6)
    default = estimate("NVIDIA Tesla V100 SXM2 32 GB", count=1, hours=1000, country="USA",
                       num_samples=100)
    assert default["inputs"]["hardware_source"] == "catalogue"


def test_any_row_and_epoch_names():
    r = estimate("Any", count=2, hours=10, country="WOR", preset="mlca", num_samples=4)
    # Any: 220.7 W; world 0.39 kgCO2e/kWh -> 2 * 220.7 * 10 * R / 1000 * 0.39
    assert r["results"]["gwp_kgco2e"]["use"]["median"] == pytest.approx(2 * 220.7 * 10 * R / 1000 * 0.39, rel=1e-6)
    # an Epoch-only spelling resolves through the alias table
    r = estimate("NVIDIA A100", count=1, hours=1, country="USA", preset="mlca", num_samples=4)
    assert r["inputs"]["hardware"] == "NVIDIA A100"


def test_misspelt_name_is_an_error_with_suggestions():
    with pytest.raises(UnknownHardwareError, match="closest names.*A100 SXM4 80 GB"):
        estimate("NVIDIA A100 SMX4 80GB", count=1, hours=1, preset="mlca", num_samples=4)
