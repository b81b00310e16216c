"""The CLI end to end: JSON shape, bad input, and `run` on a small snapshot."""

import json
import subprocess
import sys

import pandas as pd
import pytest
import xarray as xr

from lca_bayes import estimate
from lca_bayes.cli import main

STAT = {"mean", "median", "q05", "q95"}
A100 = ["--gpu", "NVIDIA A100 SXM4 80 GB", "--count", "384", "--hours", "2808", "--country", "FRA"]


def test_estimate_json_shape_matches_the_api(capsys):
    assert main(["estimate", *A100, "--samples", "3000", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert {"inputs", "preset", "samples", "seed", "results"} <= set(out)
    assert out["preset"] == "default" and out["samples"] == 3000 and out["seed"] == 0
    res = out["results"]
    assert set(res["energy_kwh"]) == STAT
    for crit in ("gwp_kgco2e", "adpe_kgsbeq", "pe_mj"):
        assert set(res[crit]) == {"use", "embodied", "total"}
        for phase in res[crit].values():
            assert set(phase) == STAT and phase["q05"] < phase["median"] < phase["q95"]
    api = estimate("NVIDIA A100 SXM4 80 GB", 384, 2808, country="FRA", num_samples=3000)
    assert json.loads(json.dumps(api)) == out  # same seed, same numbers, same dict


def test_gpu_hours_equals_count_times_hours(capsys):
    main(["estimate", *A100, "--samples", "2000", "--json"])
    a = json.loads(capsys.readouterr().out)
    main(["estimate", "--gpu", "NVIDIA A100 SXM4 80 GB", "--gpu-hours", str(384 * 2808),
          "--country", "FRA", "--samples", "2000", "--json"])
    b = json.loads(capsys.readouterr().out)
    for crit in ("gwp_kgco2e", "pe_mj"):
        assert b["results"][crit]["total"]["median"] == pytest.approx(a["results"][crit]["total"]["median"], rel=1e-5)


@pytest.mark.parametrize("args,message", [
    (["--gpu", "NVIDIA A100 SMX4", "--count", "1", "--hours", "1"], "closest names"),
    (["--gpu", "NVIDIA V100", "--count", "0", "--hours", "1"], "count = '0' must be a positive"),
    (["--gpu", "NVIDIA V100", "--count", "-3", "--hours", "1"], "count = '-3' must be a positive"),
    (["--gpu", "NVIDIA V100", "--count", "8", "--hours", "ten"], "hours = 'ten' is not a number"),
    (["--gpu", "NVIDIA V100", "--count", "8", "--hours", "nan"], "hours = 'nan' must be a positive"),
    (["--gpu", "NVIDIA V100", "--count", "8"], "give count and hours"),
    (["--gpu", "NVIDIA V100", "--count", "8", "--hours", "1", "--gpu-hours", "8"], "not both"),
    (["--gpu", "NVIDIA V100", "--count", "8", "--hours", "1", "--country", "XX"], "lca-bayes countries"),
    (["--gpu", "NVIDIA V100", "--count", "8", "--hours", "1", "--samples", "1"], "samples = 1"),
    (["--gpu", "NVIDIA V100", "--count", "8", "--hours", "1", "--preset", "nope"], "not found"),
])
def test_bad_input_exits_2_with_a_clear_message(args, message, capsys):
    assert main(["estimate", *args]) == 2
    err = capsys.readouterr().err
    assert err.startswith("lca-bayes: error:") and message in err


def test_run_writes_tidy_impacts_and_draws(tmp_path, capsys):
    src = tmp_path / "epoch.csv"
    src.write_text(
        "Model,Publication date,Training hardware,Hardware quantity,Training time (hours),Country (of organization)\n"
        "Alpha,2019-05-01,Google TPU v3,512,100,United States of America\n"
        "Beta,2023-01-02,\"NVIDIA A100,NVIDIA V100\",64,300,France\n"
        "Gamma,2024-03-04,NVIDIA H100 SXM5 80GB,,10,China\n")
    out = tmp_path / "res"
    assert main(["run", "--data", str(src), "--out", str(out), "--samples", "500", "--quiet"]) == 0
    printed = capsys.readouterr().out
    assert "2 systems estimated" in printed and "1 rows skipped" in printed
    assert "MFU model" not in printed  # nothing to impute without training compute
    imp = pd.read_csv(out / "impacts.csv")
    assert list(imp.columns[:12]) == ["system", "publication_date", "hardware", "country", "imputed",
                                      "criterion", "phase", "unit", "mean", "median", "q05", "q95"]
    assert len(imp) == 2 * (2 + 9) and imp[["mean", "median", "q05", "q95"]].notna().all().all()
    assert set(imp["criterion"]) == {"energy_kwh", "gwp_kgco2e", "adpe_kgsbeq", "pe_mj"}
    assert (imp["q05"] <= imp["median"]).all() and (imp["median"] <= imp["q95"]).all()
    alpha = imp[(imp.system == "Alpha")].iloc[0]
    assert "die_area_cm2" in alpha["spec_unknown"]
    skipped = pd.read_csv(out / "skipped.csv")
    assert skipped.to_dict("records") == [{
        "system": "Gamma", "csv_row": 4,
        "reason": "missing or non-positive 'Training compute (FLOP)': cannot impute Hardware quantity"}]
    tree = xr.open_datatree(out / "draws.nc", engine="h5netcdf")
    assert tree["impacts"]["impact"].dims == ("draw", "system", "criterion", "phase")
    assert tree["impacts"]["impact"].shape == (500, 2, 3, 3)
    assert tree["parameters"]["lifetime_years"].dims == ("draw",)
    # the totals of the tidy table are the medians of the stored draws
    med = float(tree["impacts"]["impact"].sel(system="Beta", criterion="gwp_kgco2e", phase="total").median())
    row = imp[(imp.system == "Beta") & (imp.criterion == "gwp_kgco2e") & (imp.phase == "total")]
    assert row["median"].iloc[0] == pytest.approx(med, rel=1e-5)


def test_console_script_help_and_estimate():
    help_text = subprocess.run([sys.executable, "-m", "lca_bayes.cli", "estimate", "--help"],
                               capture_output=True, text=True, check=True).stdout
    assert "--gpu-hours" in help_text and "example:" in help_text
    res = subprocess.run([sys.executable, "-m", "lca_bayes.cli", "estimate", "--gpu", "Any",
                          "--count", "2", "--hours", "10", "--preset", "mlca", "--samples", "10"],
                         capture_output=True, text=True, check=True).stdout
    assert "gwp_kgco2e" in res and "90 % interval" in res
