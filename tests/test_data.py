"""Epoch snapshots: every row estimated or skipped with a reason; malformed rows are errors."""

import pandas as pd
import pytest

from lca_bayes import DataFormatError, UnknownCountryError, UnknownHardwareError
from lca_bayes.catalog import (hardware_aliases, hardware_catalogue, resolve_country,
                               resolve_hardware, split_list)
from lca_bayes.data import load_snapshot
from lca_bayes.paths import data_path

HEADER = "Model,Publication date,Training hardware,Hardware quantity,Training time (hours),Country (of organization)\n"


def test_default_snapshot_accounts_for_every_row():
    raw = pd.read_csv(data_path("epoch_notable_ai_models_2026-07.csv"), dtype=str, keep_default_na=False)
    since_2013 = raw["Publication date"].str[:4].replace("", "0").astype(int) >= 2013
    has = {c: raw[c] != "" for c in ("Training hardware", "Hardware quantity", "Training time (hours)",
                                      "Training compute (FLOP)")}
    complete = has["Training hardware"] & has["Hardware quantity"] & has["Training time (hours)"]
    snap = load_snapshot(since=None)
    assert len(snap.systems) == complete.sum() == 157  # no hardware string of a complete row unmapped
    snap = load_snapshot()  # since 2013
    assert len(snap.systems) == (complete & since_2013).sum() == 152
    assert len(snap.systems) + len(snap.skipped) == len(raw) == 1036
    assert snap.systems["system"].is_unique
    tpu = snap.systems["hardware"].str.contains("TPU")
    assert tpu.sum() >= 35  # TPU systems are modelled, not dropped
    assert snap.systems.loc[tpu, "spec_unknown"].str.contains("die_area_cm2").all()
    imp = load_snapshot(impute=True)  # every system with known compute since 2013, too
    assert len(imp.systems) == ((complete | has["Training compute (FLOP)"]) & since_2013).sum() == 455
    assert len(imp.systems) + len(imp.skipped) == 1036
    no_compute = imp.skipped["reason"].str.startswith("missing or non-positive 'Training compute")
    assert no_compute.sum() > 300


def test_paper_era_snapshot_loads():
    snap = load_snapshot("2024-07")
    assert len(snap.systems) > 100
    assert len(snap.systems) + len(snap.skipped) == 825
    assert len(load_snapshot("2024-07", impute=True).systems) > 2 * len(snap.systems)


def test_every_epoch_hardware_string_is_in_the_alias_table():
    aliases = hardware_aliases()
    for name in ("epoch_notable_ai_models_2026-07.csv", "epoch_notable_ai_models_2024-07-16.csv"):
        raw = pd.read_csv(data_path(name), dtype=str, keep_default_na=False)
        for cell in raw["Training hardware"]:
            for entry in split_list(cell):
                assert entry in aliases, entry
    assert set(aliases.values()) <= set(hardware_catalogue())


def test_malformed_rows_name_row_and_field(tmp_path):
    f = tmp_path / "bad.csv"
    f.write_text(HEADER + "A,2020-01-01,NVIDIA V100,8,100,France\nB,2021-02-03,NVIDIA V100,eight,100,France\n")
    with pytest.raises(DataFormatError, match="row 3: field 'Hardware quantity' = 'eight' is not a number"):
        load_snapshot(f)
    f.write_text(HEADER + "A,01/02/2020,NVIDIA V100,8,100,France\n")
    with pytest.raises(DataFormatError, match="row 2: field 'Publication date' = '01/02/2020'"):
        load_snapshot(f)
    f.write_text("Model,Training hardware\nA,NVIDIA V100\n")
    with pytest.raises(DataFormatError, match="missing column 'Publication date'"):
        load_snapshot(f)


def test_skips_are_reported_with_reasons(tmp_path):
    f = tmp_path / "mixed.csv"
    f.write_text(HEADER
                 + "ok,2020-01-01,\"NVIDIA A100,NVIDIA V100\",8,100,\"United States of America,France\"\n"
                 + "zero,2020-01-01,NVIDIA V100,0,100,France\n"
                 + "mystery,2020-01-01,Quantum Abacus 9000,8,100,France\n"
                 + "nohours,2020-01-01,NVIDIA V100,8,,France\n"
                 + "nocountry,2020-01-01,NVIDIA V100,8,10,\n")
    snap = load_snapshot(f)
    assert snap.systems["system"].tolist() == ["ok", "nocountry"]
    reasons = dict(zip(snap.skipped["system"], snap.skipped["reason"]))
    assert reasons == {"zero": "non-positive 'Hardware quantity' = 0",
                       "mystery": "hardware 'Quantum Abacus 9000' maps to no catalogue entry",
                       "nohours": "missing 'Training time (hours)'"}
    ok = snap.systems.iloc[0]
    assert ok["country"] == "USA,FRA" and "mixture" in ok["notes"]
    assert [s.name for s in snap.specs[0]] == ["NVIDIA A100", "NVIDIA V100"]
    assert snap.countries[1] == [] and snap.systems.iloc[1]["imputed"] == "country"


def test_hardware_and_country_lookup():
    assert resolve_hardware("nvidia a100 sxm4 80 gb").name == "NVIDIA A100 SXM4 80 GB"
    assert resolve_hardware("Any").unknown_fields == ("tdp_w", "die_area_cm2", "memory_gb")
    with pytest.raises(UnknownHardwareError, match="H100"):
        resolve_hardware("NVIDIA H1000 SXM")
    assert resolve_country("fra") == "FRA" and resolve_country("WOR") == "WOR"
    with pytest.raises(UnknownCountryError, match="ISO 3166-1 alpha-3.*lca-bayes countries"):
        resolve_country("France")
