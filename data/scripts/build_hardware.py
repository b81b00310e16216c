#!/usr/bin/env python3
"""Build the accelerator catalogue, its alias table and the MLCA GPU table.

Outputs (in --out, default: the ``data`` folder that holds this script):

* ``hardware.csv``          one row per accelerator:
  ``hardware,manufacturer,type,release_date,tdp_w,die_area_cm2,memory_gb,memory_type,
  peak_bf16_flops,peak_fp32_flops,tdp_source,die_source,memory_source,notes``
* ``hardware_aliases.csv``  ``alias,hardware,note``: every distinct entry of the
  "Training hardware" column of the three Epoch "Notable AI Models" files, every MLCA
  GPU model name and every catalogue name, each mapped to one ``hardware`` row.
* ``mlca_gpus.csv``         ``model,tdp_w,die_area_cm2,memory_gb,manufacture_year,source_url``:
  MLCA's GPU table (values from TechPowerUp) carried as published numbers.

Rules
-----
* The catalogue starts from every row of Epoch ``ml_hardware_2026-07.csv`` (name verbatim).
  tdp_w, die_area_cm2 (= mm^2 / 100) and memory_gb (= bytes / 1e9) come from Epoch when
  Epoch has them; otherwise from, in this order: MLCA gpu_infos (TechPowerUp),
  Boavizta gpu_specs, Epoch chip dataset, Green Algorithms TDP_gpu, ML CO2 Impact gpus,
  then hand-filled datasheet facts (``manual:...``).  Every other source is matched to a
  catalogue row through an explicit name table below (no fuzzy matching).
* Boavizta's ``die_surface`` is NOT a die area: it is the yield-adjusted wafer area per
  good die (e.g. GTX 1080 Ti 1208 mm^2 vs a 471 mm^2 GP102 die; boaviztapi reports it as
  ``gpu_effective_die_area_mm2``), so Boavizta is only used for memory.
* ML CO2 Impact TPU rows are per 4-chip board / average power, so they are not used.
* Values known to be wrong are rejected (see ``REJECT``) and the rejection is written
  into the row's notes.
* Where no source gives a value the field is left empty.
* peak_bf16_flops = Epoch "Tensor-FP16/BF16"; if missing, "FP16 (half precision)" and the
  notes say so.  peak_fp32_flops = "FP32 (single precision)".
* Extra rows are added for accelerators named in the notable-models files but absent from
  ml_hardware (specs from the Epoch chip dataset and the other sources) and for MLCA GPUs
  that have no catalogue entry (so MLCA's names resolve).

The script stops (non-zero exit) when an Epoch "Training hardware" entry is neither mapped
nor on the documented ``UNMAPPABLE`` list, when an alias target is missing, when names
collide (also case-insensitively), or when a number is non-positive.

Usage:  python data/scripts/build_hardware.py [--shared DIR] [--out DIR] [--notes FILE]
"""
from __future__ import annotations

import argparse
import hashlib
import math
import sys
from pathlib import Path

import pandas as pd

EPOCH_HW = "epoch/ml_hardware_2026-07.csv"
EPOCH_CHIP = "epoch/chip_dataset_trimmed_2025-06-20.csv"
NOTABLE = (
    "epoch/notable_ai_models_2024-07-16.csv",
    "epoch/notable_ai_models_2025-02-24.csv",
    "epoch/notable_ai_models_2026-07.csv",
)
MLCA = "mlca/gpu_infos.csv"
BOAVIZTA = "boavizta/gpu_specs.csv"
GREEN_ALG = "green_algorithms/TDP_gpu.csv"
MLCO2 = "mlco2_impact/gpus.csv"

T_EPOCH = "epoch_ml_hardware_2026-07"
T_MLCA = "mlca_gpu_infos(TechPowerUp)"
T_BOAV = "boavizta_gpu_specs"
T_CHIP = "epoch_chip_dataset"
T_GA = "green_algorithms_tdp"
T_MLCO2 = "mlco2_impact_gpus"

COLUMNS = ["hardware", "manufacturer", "type", "release_date", "tdp_w", "die_area_cm2",
           "memory_gb", "memory_type", "peak_bf16_flops", "peak_fp32_flops",
           "tdp_source", "die_source", "memory_source", "notes"]
FIELDS = ("tdp", "die", "mem")
FIELD_COL = {"tdp": "tdp_w", "die": "die_area_cm2", "mem": "memory_gb"}
FIELD_SRC = {"tdp": "tdp_source", "die": "die_source", "mem": "memory_source"}

# ----------------------------------------------------------------------------------------
# Name tables: catalogue name -> name of the same product in each secondary source.
# ----------------------------------------------------------------------------------------
# MLCA model -> catalogue name (also used for the alias table).  MLCA GPUs without an Epoch
# row get their own catalogue row under MLCA's name (NEW_FROM_MLCA).
MLCA_TO_CAT = {
    "NVIDIA Jetson AGX Xavier 16 GB": "NVIDIA Jetson AGX Xavier 16 GB",
    "NVIDIA Jetson AGX Xavier 32 GB": "NVIDIA Jetson AGX Xavier 32 GB",
    "NVIDIA Tesla T4": "NVIDIA Tesla T4",
    "AMD Radeon RX 580": "AMD Radeon RX 580",
    "NVIDIA GeForce RTX 2080": "NVIDIA GeForce RTX 2080",
    "NVIDIA GeForce RTX 2080 Ti 11GB": "NVIDIA GeForce RTX 2080 Ti 11GB",
    "NVIDIA GeForce GTX 1080": "NVIDIA GeForce GTX 1080",
    "NVIDIA GeForce GTX 1080 Ti": "NVIDIA GeForce GTX 1080 Ti",
    "NVIDIA Titan V": "NVIDIA Titan V",
    "NVIDIA GTX TITAN X": "NVIDIA GeForce GTX TITAN X",
    "NVIDIA TITAN X Pascal": "NVIDIA TITAN X Pascal",
    "NVIDIA Tesla P100 PCIe 12 GB": "NVIDIA Tesla P100 PCIe 12GB",
    "NVIDIA Tesla P100 PCIe 16 GB": "NVIDIA Tesla P100 PCIe 16GB",
    "NVIDIA A100 PCIe 40 GB": "NVIDIA A100 PCIe",
    "NVIDIA A100 PCIe 80 GB": "NVIDIA A100 PCIe 80 GB",
    "NVIDIA A100 SXM4 40 GB": "NVIDIA A100 SXM4 40 GB",
    "NVIDIA A100 SXM4 80 GB": "NVIDIA A100 SXM4 80 GB",
    "NVIDIA Tesla P4": "NVIDIA Tesla P4",
    "NVIDIA Tesla K80": "NVIDIA Tesla K80",
    "NVIDIA Tesla V100 PCIe 32 GB": "NVIDIA Tesla V100 PCIe 32 GB",
    "NVIDIA Quadro RTX 6000": "NVIDIA Quadro RTX 6000",
    "NVIDIA Tesla V100 SXM2 32 GB": "NVIDIA Tesla V100 SXM2 32 GB",
    "NVIDIA Tesla V100 SXM2 16 GB": "NVIDIA Tesla V100 SXM2 16 GB",
    "NVIDIA H100 PCIe": "NVIDIA H100 PCIe",
}
MLCA_ALIAS_NOTE = {
    "NVIDIA A100 PCIe 40 GB": "Epoch's 'NVIDIA A100 PCIe' is the 40 GB card",
    "NVIDIA GTX TITAN X": "same card (Maxwell GM200 GTX TITAN X)",
    "NVIDIA Tesla P100 PCIe 12 GB": "spacing of capacity differs only",
    "NVIDIA Tesla P100 PCIe 16 GB": "spacing of capacity differs only; Epoch also has "
                                    "'NVIDIA P100 PCIe 16GB' for the same card",
}

# Boavizta gpu_specs name -> catalogue name (memory only, see module docstring).
CAT_TO_BOAV = {
    "NVIDIA GeForce GTX 1080 Ti": "NVIDIA GTX 1080 Ti",
    "NVIDIA TITAN RTX": "NVIDIA Titan RTX",
    "NVIDIA P100": "NVIDIA P100",
    "NVIDIA L4": "NVIDIA L4",
    "NVIDIA A100 PCIe": "NVIDIA A100 PCIe 40GB",
    "NVIDIA A100 SXM4 40 GB": "NVIDIA A100 SXM4 40GB",
    "NVIDIA A100 SXM4 80 GB": "NVIDIA A100 SXM4 80GB",
    "NVIDIA A100 PCIe 80 GB": "NVIDIA A100 PCIe 80GB",
    "NVIDIA H100 SXM5 80GB": "NVIDIA H100 SXM 80GB",
    "NVIDIA H100 PCIe": "NVIDIA H100 PCIe 80GB",
    "NVIDIA H100 NVL": "NVIDIA H100 NVL 94GB",
    "NVIDIA H200 SXM": "NVIDIA H200 SXM 141GB",
    "NVIDIA Tesla V100 SXM2 16 GB": "NVIDIA Tesla V100 SXM2 16GB",
    "NVIDIA Tesla V100 SXM2 32 GB": "NVIDIA Tesla V100 SXM2 32GB",
    "NVIDIA Tesla V100 PCIe 16 GB": "NVIDIA Tesla V100 PCIe 16GB",
    "NVIDIA Tesla V100 PCIe 32 GB": "NVIDIA Tesla V100 PCIe 32GB",
    "NVIDIA Tesla V100S PCIe 32 GB": "NVIDIA Tesla V100S PCIe 32GB",
    "NVIDIA Tesla T4": "NVIDIA T4",
    "NVIDIA A10 PCIe": "NVIDIA A10",
    "NVIDIA B200": "NVIDIA B200 180GB",
    "AMD Instinct MI300X": "AMD Instinct MI300X 192GB",
    "NVIDIA Quadro RTX 5000": "NVIDIA Quadro RTX 5000",
    "NVIDIA Tesla P4": "NVIDIA Tesla P4",
    "NVIDIA TESLA M60": "NVIDIA Tesla M60",
}

# Epoch chip dataset: same name as the catalogue, plus these explicit matches.
# value: (chip dataset name, fields it may supply, token suffix)
CHIP_EXTRA = {
    # The CS-2 system holds exactly one WSE-2 wafer-scale chip; the chip dataset gives the
    # wafer's area and on-chip SRAM only under the chip name.
    "Cerebras CS-2": ("Cerebras WSE-2", ("die", "mem"), "(Cerebras WSE-2)"),
    "NVIDIA Jetson AGX Xavier 16 GB": ("NVIDIA Jetson AGX Xavier GPU", ("tdp", "die"), ""),
    "NVIDIA Jetson AGX Xavier 32 GB": ("NVIDIA Jetson AGX Xavier GPU", ("tdp", "die"), ""),
}

# Green Algorithms TDP_gpu (TDP only).  TPU rows are Google figures (v3 220 W, v4 170 W).
CAT_TO_GA = {
    "NVIDIA A100 PCIe": "NVIDIA A100 40GB PCIe",
    "NVIDIA A100 PCIe 80 GB": "NVIDIA A100 80GB PCIe",
    "NVIDIA GeForce GTX 1080": "NVIDIA GTX 1080",
    "NVIDIA GeForce GTX 1080 Ti": "NVIDIA GTX 1080 Ti",
    "NVIDIA GeForce GTX TITAN X": "NVIDIA GTX TITAN X",
    "NVIDIA Jetson AGX Xavier 16 GB": "NVIDIA Jetson AGX Xavier",
    "NVIDIA Jetson AGX Xavier 32 GB": "NVIDIA Jetson AGX Xavier",
    "NVIDIA GeForce RTX 2080": "NVIDIA RTX 2080",
    "NVIDIA GeForce RTX 2080 Ti 11GB": "NVIDIA RTX 2080 Ti",
    "NVIDIA Tesla K80": "NVIDIA Tesla K80",
    "NVIDIA P100": "NVIDIA Tesla P100",
    "NVIDIA Tesla P4": "NVIDIA Tesla P4",
    "NVIDIA Tesla T4": "NVIDIA Tesla T4",
    "NVIDIA V100": "NVIDIA Tesla V100",
    "NVIDIA Tesla V100S PCIe 32 GB": "NVIDIA Tesla V100S",
    "NVIDIA Titan V": "NVIDIA Titan V",
    "NVIDIA TITAN X Pascal": "NVIDIA TITAN X Pascal",
    "Google TPU v2": "TPU v2",
    "Google TPU v3": "TPU v3",
    "Google TPU v4": "TPU v4",
}

# ML CO2 Impact gpus.csv (TDP and memory).  Left out on purpose: "GTX 750" (24 GB, 1111
# TFLOPS: wrong), "Tesla M40 24GB" (memory says 12), TPU rows (4-chip board memory,
# average power), "A100 PCIe 40/80GB" (two cards in one row).
CAT_TO_MLCO2 = {
    "NVIDIA H100 SXM5 80GB": "H100 SXM",
    "NVIDIA H100 NVL": "H100 NVL",
    "NVIDIA A100 SXM4 80 GB": "A100 SXM4 80 GB",
    "NVIDIA A10G": "A10G",
    "NVIDIA GeForce GTX 1080 Ti": "GTX 1080 Ti",
    "NVIDIA GeForce GTX 1080": "GTX 1080",
    "NVIDIA GeForce GTX TITAN X": "GTX TITAN X",
    "NVIDIA Quadro K6000": "Quadro K6000",
    "NVIDIA Quadro P6000": "Quadro P6000",
    "NVIDIA GeForce RTX 2080 Ti 11GB": "RTX 2080 Ti",
    "NVIDIA GeForce RTX 2080": "RTX 2080",
    "NVIDIA Quadro RTX 8000": "RTX 8000",
    "NVIDIA Tesla T4": "T4",
    "NVIDIA Tesla K40c": "Tesla K40c",
    "NVIDIA Tesla K80": "Tesla K80",
    "NVIDIA P100": "Tesla P100",
    "NVIDIA P40": "Tesla P40",
    "NVIDIA Tesla V100 PCIe 16 GB": "Tesla V100-PCIE-16GB",
    "NVIDIA Tesla V100 SXM2 16 GB": "Tesla V100-SXM2-16GB",
    "NVIDIA Tesla V100 SXM2 32 GB": "Tesla V100-SXM2-32GB",
    "NVIDIA TITAN RTX": "Titan RTX",
    "NVIDIA Titan V": "Titan V",
    "NVIDIA TITAN X Pascal": "TITAN X Pascal",
    "NVIDIA TITAN Xp": "Titan Xp",
    "NVIDIA GeForce RTX 3080": "RTX 3080",
    "NVIDIA GeForce RTX 3090": "RTX 3090",
    "NVIDIA GeForce RTX 4090": "RTX 4090",
    "NVIDIA RTX A5000": "RTX A5000",
    "NVIDIA RTX A6000": "RTX A6000",
    "NVIDIA L4": "L4",
}

# (source token, catalogue name, field) -> reason.  Such values are never used.
REJECT = {
    (T_BOAV, "NVIDIA TITAN RTX", "mem"):
        "boavizta_gpu_specs vram 20 GB rejected: the TITAN RTX has 24 GB GDDR6 "
        "(Boavizta's own row lists 12 memory modules)",
}

# Hand-filled datasheet facts, used only where no source above gives the value.
# (catalogue name, field) -> (value, token)
MANUAL = {
    ("NVIDIA Tesla V100 SXM3 32 GB", "mem"): (32, "manual:capacity in product name"),
    ("NVIDIA A800 PCIe 40 GB", "mem"): (40, "manual:capacity in product name"),
    ("NVIDIA A800 PCIe 80 GB", "mem"): (80, "manual:capacity in product name"),
    ("NVIDIA Tesla K20X", "mem"): (6, "manual:NVIDIA Tesla K20X datasheet 6 GB GDDR5"),
    ("NVIDIA Tesla K20m", "mem"): (5, "manual:NVIDIA Tesla K20 datasheet 5 GB GDDR5"),
    ("NVIDIA Tesla K40m", "mem"): (12, "manual:NVIDIA Tesla K40 datasheet 12 GB GDDR5"),
    ("NVIDIA Tesla C2075", "mem"): (6, "manual:NVIDIA Tesla C2075 datasheet 6 GB GDDR5"),
    ("NVIDIA GeForce GTX 480", "mem"): (1.536, "manual:NVIDIA GTX 480 spec 1536 MB GDDR5"),
    ("NVIDIA GeForce GTX 590", "mem"): (3.072, "manual:NVIDIA GTX 590 spec 2x1536 MB GDDR5"),
    ("NVIDIA GeForce GTX 285", "mem"): (1.024, "manual:NVIDIA GTX 285 reference spec 1024 MB GDDR3"),
    ("NVIDIA Quadro GP100", "mem"): (16, "manual:NVIDIA Quadro GP100 datasheet 16 GB HBM2"),
    ("NVIDIA Tesla S1070", "mem"): (16, "manual:NVIDIA Tesla S1070 spec 4x4 GB"),
    ("NVIDIA Tesla P100 SXM2", "mem"): (16, "manual:NVIDIA Tesla P100 SXM2 datasheet 16 GB HBM2"),
    ("Huawei Ascend 910", "mem"): (32, "manual:Ascend 910 32 GB HBM2 (as Epoch Ascend 910A row)"),
    ("Cerebras CS-2", "tdp"): (23000, "manual:Cerebras CS-2 datasheet 23 kW max system power"),
    # same die as other Epoch rows of the same chip
    ("NVIDIA H200 SXM", "die"): (814, "manual:GH100 die 814 mm2 as Epoch H100 rows"),
    ("NVIDIA H100 NVL", "die"): (814, "manual:GH100 die 814 mm2 as Epoch H100 rows"),
    ("NVIDIA GH100", "die"): (814, "manual:GH100 die 814 mm2 as Epoch H100 rows"),
    ("NVIDIA P100", "die"): (610, "manual:GP100 die 610 mm2 as Epoch P100 rows"),
}
MANUAL_UNITS = {"die": "mm2"}  # manual die values are given in mm^2

# Rows added for notable-models hardware absent from ml_hardware (specs from chip dataset).
NEW_FROM_CHIP = [
    "Cerebras CS-2", "NVIDIA GeForce GTX 285", "NVIDIA GeForce GTX 480",
    "NVIDIA GeForce GTX 590", "NVIDIA Quadro GP100", "NVIDIA TITAN RTX",
    "NVIDIA Tesla C2075", "NVIDIA Tesla K20m", "NVIDIA Tesla K40c", "NVIDIA Tesla K40m",
    "NVIDIA Tesla S1070",
]
# Rows added for MLCA GPUs without an Epoch row: catalogue name -> chip dataset name used
# for manufacturer/type/release date/FLOP/s (None: not in the chip dataset).
NEW_FROM_MLCA = {
    "NVIDIA Jetson AGX Xavier 16 GB": "NVIDIA Jetson AGX Xavier GPU",
    "NVIDIA Jetson AGX Xavier 32 GB": "NVIDIA Jetson AGX Xavier GPU",
    "AMD Radeon RX 580": "AMD Radeon RX 580",
    "NVIDIA GeForce RTX 2080": "NVIDIA GeForce RTX 2080",
    "NVIDIA TITAN X Pascal": "NVIDIA TITAN X Pascal",
    "NVIDIA A100 PCIe 80 GB": None,
}

# Epoch "Training hardware" strings that are not catalogue names -> (target, note).
ALIASES = {
    "AMD Instinct MI250X": ("AMD Radeon Instinct MI250X",
                            "same product; later Epoch files use the catalogue name"),
    "NVIDIA A800": ("NVIDIA A800 PCIe 40 GB",
                    "generic A800; its only user (Skywork-13B) is listed with "
                    "'NVIDIA A800 PCIe 40 GB' in the 2026-07 Epoch file"),
    "NVIDIA B200 GPUs": ("NVIDIA B200", "plural of the catalogue name"),
    "NVIDIA GTX Titan Black": ("NVIDIA GeForce GTX Titan Black",
                               "same card; later Epoch files use the catalogue name"),
    "NVIDIA GTX Titan X": ("NVIDIA GeForce GTX TITAN X",
                           "later Epoch files resolve the same models to this (Maxwell) "
                           "entry; papers from late 2016 on may have used the Pascal "
                           "TITAN X (see 'NVIDIA TITAN X Pascal')"),
    "NVIDIA GeForce RTX 2080 Ti": ("NVIDIA GeForce RTX 2080 Ti 11GB",
                                   "only RTX 2080 Ti entry; 2026-07 file uses it"),
    "NVIDIA Geforce GTX 1080 Ti": ("NVIDIA GeForce GTX 1080 Ti", "capitalisation only"),
    "NVIDIA H100 SXM5": ("NVIDIA H100 SXM5 80GB",
                         "only H100 SXM5 entry; later Epoch files use it for the same models"),
    "NVIDIA H200": ("NVIDIA H200 SXM",
                    "only H200 entry in Epoch (the 600 W H200 NVL is not catalogued)"),
    "Nvidia H100 80G": ("NVIDIA H100 SXM5 80GB",
                        "80 GB H100 in a 1016-GPU training cluster: SXM5 assumed "
                        "(the 80 GB PCIe card is 'NVIDIA H100 PCIe'); ambiguous"),
}
# Epoch strings deliberately left unmapped (reported, not catalogued).
UNMAPPABLE = {
    "Intel Core 2 Quad Q9450": "desktop CPU, not an accelerator (used together with a "
                               "GTX 280 for '6-layer MLP (MNIST)', 2025-02-24 file only)",
}

# Memory technology: unambiguous, well-known facts of the product (datasheets).
MEMORY_TYPE = {
    "Google TPU v1": "DDR3", "Google TPU v2": "HBM", "Google TPU v3": "HBM2",
    "Google TPU v4": "HBM2", "Google TPU v4i": "HBM2", "Google TPU v5e": "HBM",
    "Google TPU v5p": "HBM2e", "Google TPU v6e Trillium": "HBM", "Google TPU v7 Ironwood": "HBM",
    "Cerebras CS-2": "SRAM",
    "NVIDIA A100": "HBM2", "NVIDIA A100 PCIe": "HBM2", "NVIDIA A100 SXM4 40 GB": "HBM2",
    "NVIDIA A100 SXM4 80 GB": "HBM2e", "NVIDIA A100 PCIe 80 GB": "HBM2e",
    "NVIDIA A800 SXM": "HBM2e", "NVIDIA A800 PCIe 40 GB": "HBM2", "NVIDIA A800 PCIe 80 GB": "HBM2e",
    "NVIDIA H100 SXM5 80GB": "HBM3", "NVIDIA H100 PCIe": "HBM2e", "NVIDIA H100 NVL": "HBM3",
    "NVIDIA H800 SXM5": "HBM3", "NVIDIA H200 SXM": "HBM3e", "NVIDIA B200": "HBM3e",
    "NVIDIA B300 (Blackwell Ultra)": "HBM3e", "NVIDIA GB200": "HBM3e",
    "NVIDIA GB300 (Blackwell Ultra)": "HBM3e",
    "AMD Radeon Instinct MI250X": "HBM2e", "AMD Instinct MI300X": "HBM3",
    "AMD Instinct MI325X": "HBM3e", "AMD Instinct MI355X": "HBM3e", "AMD Instinct MI350X": "HBM3e",
    "Huawei Ascend 910": "HBM2",
    "NVIDIA V100": "HBM2", "NVIDIA Tesla V100 SXM2": "HBM2", "NVIDIA Tesla V100 SXM2 16 GB": "HBM2",
    "NVIDIA Tesla V100 SXM2 32 GB": "HBM2", "NVIDIA Tesla V100 SXM3 32 GB": "HBM2",
    "NVIDIA Tesla V100 PCIe 16 GB": "HBM2", "NVIDIA Tesla V100 PCIe 32 GB": "HBM2",
    "NVIDIA Tesla V100 DGXS 16 GB": "HBM2", "NVIDIA Tesla V100 DGXS 32 GB": "HBM2",
    "NVIDIA Tesla V100S PCIe 32 GB": "HBM2", "NVIDIA Titan V": "HBM2",
    "NVIDIA P100": "HBM2", "NVIDIA P100 PCIe 16GB": "HBM2", "NVIDIA Tesla P100 PCIe 16GB": "HBM2",
    "NVIDIA Tesla P100 PCIe 12GB": "HBM2", "NVIDIA Tesla P100 SXM2": "HBM2",
    "NVIDIA Tesla P100 DGXS": "HBM2", "NVIDIA Quadro GP100": "HBM2",
    "NVIDIA GeForce GTX 1080 Ti": "GDDR5X", "NVIDIA GeForce GTX 1080": "GDDR5X",
    "NVIDIA TITAN Xp": "GDDR5X", "NVIDIA TITAN X Pascal": "GDDR5X",
    "NVIDIA GeForce GTX TITAN X": "GDDR5", "NVIDIA GeForce GTX 980": "GDDR5",
    "NVIDIA GeForce GTX 780": "GDDR5", "NVIDIA GeForce GTX TITAN": "GDDR5",
    "NVIDIA GeForce GTX Titan Black": "GDDR5", "NVIDIA GeForce GTX 580": "GDDR5",
    "NVIDIA GeForce GTX 480": "GDDR5", "NVIDIA GeForce GTX 590": "GDDR5",
    "NVIDIA GeForce GTX 285": "GDDR3", "NVIDIA GeForce GTX 280": "GDDR3",
    "NVIDIA Tesla S1070": "GDDR3",
    "NVIDIA GeForce RTX 2080 Ti 11GB": "GDDR6", "NVIDIA GeForce RTX 2080": "GDDR6",
    "NVIDIA TITAN RTX": "GDDR6", "NVIDIA GeForce RTX 3090": "GDDR6X",
    "NVIDIA GeForce RTX 4090": "GDDR6X", "NVIDIA RTX A6000": "GDDR6",
    "NVIDIA Quadro RTX 4000": "GDDR6", "NVIDIA Quadro RTX 5000": "GDDR6",
    "NVIDIA Quadro RTX 6000": "GDDR6", "NVIDIA Quadro RTX 8000": "GDDR6",
    "NVIDIA Tesla T4": "GDDR6", "NVIDIA A10 PCIe": "GDDR6", "NVIDIA A10G": "GDDR6",
    "NVIDIA L4": "GDDR6",
    "NVIDIA Quadro P600": "GDDR5", "NVIDIA Quadro K6000": "GDDR5", "NVIDIA M40": "GDDR5",
    "NVIDIA Tesla P4": "GDDR5", "NVIDIA Tesla K80": "GDDR5", "NVIDIA Tesla K40c": "GDDR5",
    "NVIDIA Tesla K40m": "GDDR5", "NVIDIA Tesla K40s": "GDDR5", "NVIDIA Tesla K40t": "GDDR5",
    "NVIDIA Tesla K20X": "GDDR5", "NVIDIA Tesla K20m": "GDDR5", "NVIDIA Tesla C2075": "GDDR5",
    "AMD Radeon RX 580": "GDDR5",
    "NVIDIA Jetson AGX Xavier 16 GB": "LPDDR4X", "NVIDIA Jetson AGX Xavier 32 GB": "LPDDR4X",
}

# Extra notes for particular rows (facts of the product that affect how values are read).
ROW_NOTES = {
    "Cerebras CS-2": "whole wafer-scale system holding one WSE-2; die_area is the WSE-2 "
                     "wafer-scale chip (46225 mm2) and memory its on-chip SRAM (chip "
                     "dataset WSE-2 row); no source gives system power (tdp empty); "
                     "Epoch counts CS-2 systems in Hardware quantity",
    "NVIDIA GeForce GTX 590": "dual-GPU card: two GF110 dies; die_area is ONE die as "
                              "given by the source; tdp and memory are for the card",
    "NVIDIA Tesla K80": "dual-GPU card: two GK210 dies; die_area is ONE die as given by "
                        "the sources; tdp and memory are for the board",
    "NVIDIA Tesla S1070": "1U server with four Tesla T10 GPUs; tdp is the system figure "
                          "(chip dataset) while die_area is ONE GPU die; memory 4 x 4 GB",
    "AMD Radeon Instinct MI250X": "two graphics compute dies in one package; "
                                  "die_area as given by Epoch",
    "NVIDIA B200": "two reticle-sized dies in one package; die area not published",
    "NVIDIA B300 (Blackwell Ultra)": "two dies in one package; die area not published",
    "NVIDIA V100": "generic V100 (16 GB and 32 GB variants exist): memory left empty",
    "Google TPU v3": "Epoch's 450 W is the TDP Google disclosed; the 220 W of Green "
                     "Algorithms and the chip dataset is Google's measured mean power",
    "Google TPU v4": "Epoch's 340 W is derived from Google's efficiency claims (Google "
                     "gives no TDP); 170 W is Google's measured mean power (max 192 W)",
}


# ----------------------------------------------------------------------------------------
def fnum(v) -> float | None:
    """Float or None for empty / NaN / non-numeric."""
    if v is None:
        return None
    try:
        x = float(str(v).strip())
    except ValueError:
        return None
    return None if math.isnan(x) else x


def fmt(v) -> str:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return ""
    v = float(v)
    if v == int(v) and abs(v) < 1e6:
        return str(int(v))
    return f"{v:.10g}"


def iso_date(v) -> str:
    if v is None or (isinstance(v, float) and math.isnan(v)) or str(v).strip() == "":
        return ""
    return pd.Timestamp(str(v).strip()).strftime("%Y-%m-%d")


def num(s: pd.Series) -> pd.Series:
    """Numeric view of a string column ('' -> NaN); raises on anything else."""
    return pd.to_numeric(s.where(s != ""), errors="raise")


def sha16(p: Path) -> str:
    return hashlib.sha256(p.read_bytes()).hexdigest()[:16]


def split_hardware(cell: str, comma_names: list[str]) -> list[str]:
    """Split a "Training hardware" cell on commas, keeping names that contain commas."""
    s = str(cell)
    keep = {}
    for i, name in enumerate(sorted(comma_names, key=len, reverse=True)):
        if name in s:
            tok = f"\x00{i}\x00"
            keep[tok] = name
            s = s.replace(name, tok)
    out = []
    for part in s.split(","):
        part = part.strip()
        for tok, name in keep.items():
            part = part.replace(tok, name)
        if part:
            out.append(part)
    return out


# ----------------------------------------------------------------------------------------
def load_mlca(shared: Path) -> pd.DataFrame:
    # two header lines: the first holds units, the second the column names
    df = pd.read_csv(shared / MLCA, skiprows=1, dtype=str, keep_default_na=False)
    df = df[df["model"].str.strip() != ""].copy()
    for c in df.columns:
        df[c] = df[c].str.strip()
    return df


def source_tables(shared: Path, mlca: pd.DataFrame) -> list[tuple[str, dict]]:
    """[(token, {catalogue name: {field: value}})] in priority order (after Epoch)."""
    # MLCA
    t_mlca = {}
    for _, r in mlca.iterrows():
        if r["model"] == "Any":
            continue
        cat = MLCA_TO_CAT[r["model"]]
        t_mlca[cat] = {"tdp": fnum(r["TDP"]), "die": fnum(r["die_size"]),
                       "mem": fnum(r["memory"])}
    # Boavizta (memory only)
    boav = pd.read_csv(shared / BOAVIZTA).set_index("name")
    t_boav = {cat: {"mem": fnum(boav.loc[b, "vram"])} for cat, b in CAT_TO_BOAV.items()}
    # Epoch chip dataset
    chip = load_chip(shared)
    t_chip = {}
    for name, r in chip.iterrows():
        t_chip[name] = {"tdp": fnum(r["TDP (W)"]),
                        "die": None if fnum(r["Die Size (mm^2)"]) is None
                        else fnum(r["Die Size (mm^2)"]) / 100,
                        "mem": None if fnum(r["Memory size per board (Byte)"]) is None
                        else fnum(r["Memory size per board (Byte)"]) / 1e9}
    for cat, (cname, fields, _suffix) in CHIP_EXTRA.items():
        t_chip[cat] = {f: t_chip[cname][f] for f in fields}
    # Green Algorithms (TDP only)
    ga = pd.read_csv(shared / GREEN_ALG, skiprows=1).set_index("model")
    t_ga = {cat: {"tdp": fnum(ga.loc[g, "TDP"])} for cat, g in CAT_TO_GA.items()}
    # ML CO2 Impact
    t_mlco2 = {}
    p = shared / MLCO2
    if p.exists():
        m = pd.read_csv(p).set_index("name")
        for cat, n in CAT_TO_MLCO2.items():
            t_mlco2[cat] = {"tdp": fnum(m.loc[n, "tdp_watts"]), "mem": fnum(m.loc[n, "memory"])}
    return [(T_MLCA, t_mlca), (T_BOAV, t_boav), (T_CHIP, t_chip), (T_GA, t_ga),
            (T_MLCO2, t_mlco2)]


def load_chip(shared: Path) -> pd.DataFrame:
    chip = pd.read_csv(shared / EPOCH_CHIP)
    chip["Hardware name"] = chip["Hardware name"].str.strip()
    # a few names appear twice (one row with values, one nearly empty): first non-null
    return chip.groupby("Hardware name", sort=False).first()


def chip_token(cat: str) -> str:
    return T_CHIP + (CHIP_EXTRA[cat][2] if cat in CHIP_EXTRA else "")


def peaks(tensor, fp16, fp32) -> tuple[float | None, float | None, list[str]]:
    notes = []
    bf16 = fnum(tensor)
    fp16, fp32 = fnum(fp16), fnum(fp32)
    if bf16 is None and fp16 is not None:
        bf16 = fp16
        notes.append("peak_bf16 is the non-tensor FP16 rate (no Tensor-FP16/BF16 figure)")
        if fp32 is not None and fp16 < fp32:
            notes.append("this FP16 rate is below FP32 (no fast FP16 on this chip)")
    return bf16, fp32, notes


def build_catalogue(shared: Path, mlca: pd.DataFrame) -> tuple[pd.DataFrame, dict]:
    ep = pd.read_csv(shared / EPOCH_HW)
    chip = load_chip(shared)
    rows: list[dict] = []
    for _, r in ep.iterrows():
        bf16, fp32, notes = peaks(r["Tensor-FP16/BF16 performance (FLOP/s)"],
                                  r["FP16 (half precision) performance (FLOP/s)"],
                                  r["FP32 (single precision) performance (FLOP/s)"])
        die = fnum(r["Die Size (mm^2)"])
        mem = fnum(r["Memory (bytes)"])
        rows.append({
            "hardware": r["Hardware name"],
            "manufacturer": "" if pd.isna(r["Manufacturer"]) else r["Manufacturer"],
            "type": "" if pd.isna(r["Type"]) else r["Type"],
            "release_date": iso_date(r["Release date"]),
            "tdp": fnum(r["TDP (W)"]), "die": None if die is None else die / 100,
            "mem": None if mem is None else mem / 1e9,
            "bf16": bf16, "fp32": fp32, "notes": notes, "origin": T_EPOCH,
        })
    epoch_names = {x["hardware"] for x in rows}

    def chip_row(cat: str, cname: str | None, origin: str, default_manu: str) -> dict:
        if cname is not None and cname in chip.index:
            c = chip.loc[cname]
            bf16, fp32, notes = peaks(c["Tensor-FP16/BF16 performance (FLOP/s)"],
                                      c["FP16 (half precision) performance (FLOP/s)"],
                                      c["FP32 (single precision) performance (FLOP/s)"])
            notes.insert(0, f"row added ({origin}); manufacturer/type/release date/FLOP/s "
                            f"from epoch_chip_dataset '{cname}'")
            return {"hardware": cat,
                    "manufacturer": "" if pd.isna(c["Manufacturer"]) else c["Manufacturer"],
                    "type": "" if pd.isna(c["Type"]) else c["Type"],
                    "release_date": iso_date(c["Release date"]),
                    "tdp": None, "die": None, "mem": None, "bf16": bf16, "fp32": fp32,
                    "notes": notes, "origin": origin}
        return {"hardware": cat, "manufacturer": default_manu, "type": "GPU",
                "release_date": "", "tdp": None, "die": None, "mem": None,
                "bf16": None, "fp32": None, "notes": [f"row added ({origin})"],
                "origin": origin}

    for cat in NEW_FROM_CHIP:
        assert cat not in epoch_names, cat
        assert cat in chip.index, f"{cat} missing from chip dataset"
        rows.append(chip_row(cat, cat, "in Epoch notable models, not in ml_hardware",
                             cat.split()[0]))
    year = dict(zip(mlca["model"], mlca["manufacture_date"]))
    for cat, cname in NEW_FROM_MLCA.items():
        assert cat not in epoch_names, cat
        r = chip_row(cat, cname, "MLCA GPU without an Epoch row", cat.split()[0])
        mlca_name = [m for m, c in MLCA_TO_CAT.items() if c == cat][0]
        if not r["release_date"]:
            r["notes"].append(f"release date unknown; MLCA manufacture year {year[mlca_name]}")
        if cat.startswith("NVIDIA Jetson"):
            r["notes"].append("FLOP/s are the integrated GPU only (chip dataset row)")
        rows.append(r)

    # --- fill tdp / die / memory -------------------------------------------------------
    tables = source_tables(shared, mlca)
    stats = {"rejected": [], "filled": {}}
    for row in rows:
        cat = row["hardware"]
        srcs = {}
        alt = []
        for f in FIELDS:
            if row[f] is not None:
                srcs[f] = T_EPOCH if row["origin"] == T_EPOCH else None
        for token, table in tables:
            vals = table.get(cat, {})
            tok = chip_token(cat) if token == T_CHIP else token
            for f in FIELDS:
                v = vals.get(f)
                if v is None:
                    continue
                if (token, cat, f) in REJECT:
                    row["notes"].append(REJECT[(token, cat, f)])
                    stats["rejected"].append((token, cat, f, v))
                    continue
                if row[f] is None:
                    row[f] = v
                    srcs[f] = tok
                    stats["filled"][(cat, f)] = tok
                elif abs(v - row[f]) > 0.1 * row[f]:
                    alt.append(f"{FIELD_COL[f]} {fmt(round(v, 4))} in {tok}")
        for f in FIELDS:
            if row[f] is None and (cat, f) in MANUAL:
                v, tok = MANUAL[(cat, f)]
                row[f] = v / 100 if MANUAL_UNITS.get(f) == "mm2" else v
                srcs[f] = tok
                stats["filled"][(cat, f)] = tok
        if alt:
            row["notes"].append("other sources differ: " + "; ".join(alt))
        for f in FIELDS:
            row[FIELD_SRC[f]] = srcs.get(f, "") if row[f] is not None else ""
            assert row[f] is None or srcs.get(f), (cat, f)
        if cat in ROW_NOTES:
            row["notes"].append(ROW_NOTES[cat])

    out = []
    for row in rows:
        out.append({
            "hardware": row["hardware"], "manufacturer": row["manufacturer"],
            "type": row["type"], "release_date": row["release_date"],
            "tdp_w": fmt(row["tdp"]),
            "die_area_cm2": "" if row["die"] is None else fmt(round(row["die"], 4)),
            "memory_gb": "" if row["mem"] is None else fmt(round(row["mem"], 3)),
            "memory_type": MEMORY_TYPE.get(row["hardware"], ""),
            "peak_bf16_flops": fmt(row["bf16"]), "peak_fp32_flops": fmt(row["fp32"]),
            "tdp_source": row["tdp_source"], "die_source": row["die_source"],
            "memory_source": row["memory_source"],
            "notes": "; ".join(row["notes"]),
        })
    df = pd.DataFrame(out, columns=COLUMNS)
    df["_nodate"] = df["release_date"] == ""
    df = df.sort_values(["_nodate", "release_date", "hardware"], kind="stable")
    df = df.drop(columns="_nodate").reset_index(drop=True)
    unknown_mt = set(MEMORY_TYPE) - set(df["hardware"])
    assert not unknown_mt, f"MEMORY_TYPE names not in catalogue: {unknown_mt}"
    for d in (MANUAL, REJECT):
        for k in d:
            nm = k[0] if d is MANUAL else k[1]
            assert nm in set(df["hardware"]), f"unknown name {nm}"
    return df, stats


# ----------------------------------------------------------------------------------------
def epoch_strings(shared: Path, comma_names: list[str]):
    """{string: set(file tags)} and the list of 'complete' rows' hardware strings."""
    seen: dict[str, set] = {}
    complete: dict[str, int] = {}
    for f in NOTABLE:
        tag = f.split("_")[-1].removesuffix(".csv")
        d = pd.read_csv(shared / f)
        qty = pd.to_numeric(d["Hardware quantity"], errors="coerce")
        hrs = pd.to_numeric(d["Training time (hours)"], errors="coerce")
        for cell, q, h in zip(d["Training hardware"], qty, hrs):
            if pd.isna(cell):
                continue
            for e in split_hardware(cell, comma_names):
                seen.setdefault(e, set()).add(tag)
                if q > 0 and h > 0:
                    complete[e] = complete.get(e, 0) + 1
    return seen, complete


def build_aliases(cat: pd.DataFrame, seen: dict, mlca: pd.DataFrame) -> pd.DataFrame:
    names = set(cat["hardware"])
    rows: dict[str, dict] = {}

    def add(alias, target, note):
        if alias in rows:
            assert rows[alias]["hardware"] == target, (alias, target, rows[alias])
            if note not in rows[alias]["note"]:
                rows[alias]["note"] += "; " + note
        else:
            rows[alias] = {"alias": alias, "hardware": target, "note": note}

    for s in sorted(seen):
        files = ", ".join(sorted(seen[s]))
        if s in names:
            add(s, s, f"Epoch notable models ({files}); catalogue name")
        elif s in ALIASES:
            t, why = ALIASES[s]
            add(s, t, f"Epoch notable models ({files}); {why}")
        elif s in UNMAPPABLE:
            continue
        else:
            raise SystemExit(f"unmapped Epoch training-hardware string: {s!r}")
    for m in mlca["model"]:
        if m == "Any":
            continue
        t = MLCA_TO_CAT[m]
        note = "MLCA gpu_infos model name" + (
            "; " + MLCA_ALIAS_NOTE[m] if m in MLCA_ALIAS_NOTE else "")
        add(m, t, note)
    for n in sorted(names):
        add(n, n, "catalogue name")
    return pd.DataFrame(list(rows.values()), columns=["alias", "hardware", "note"]) \
        .sort_values(["hardware", "alias"], key=lambda s: s.str.lower(), kind="stable") \
        .reset_index(drop=True)


def build_mlca(mlca: pd.DataFrame) -> pd.DataFrame:
    out = []
    for _, r in mlca.iterrows():
        url = r["source"]
        if url and not url.startswith("http"):
            url = "https://" + url
        out.append({"model": r["model"], "tdp_w": r["TDP"], "die_area_cm2": r["die_size"],
                    "memory_gb": r["memory"], "manufacture_year": r["manufacture_date"],
                    "source_url": url})
    return pd.DataFrame(out, columns=["model", "tdp_w", "die_area_cm2", "memory_gb",
                                      "manufacture_year", "source_url"])


# ----------------------------------------------------------------------------------------
def check(cat: pd.DataFrame, ali: pd.DataFrame, mg: pd.DataFrame, seen: dict,
          mlca: pd.DataFrame) -> None:
    names = list(cat["hardware"])
    assert len(names) == len(set(names)), "duplicate hardware names"
    low = [n.lower() for n in names]
    assert len(low) == len(set(low)), "hardware names collide case-insensitively"
    assert not any("," in n for n in names), "a catalogue name contains a comma"
    assert list(cat.columns) == COLUMNS
    # every alias target exists; each alias once; case-insensitive aliases agree
    assert set(ali["hardware"]) <= set(names), set(ali["hardware"]) - set(names)
    assert ali["alias"].is_unique
    lowmap: dict[str, str] = {}
    for a, h in zip(ali["alias"], ali["hardware"]):
        assert lowmap.setdefault(a.lower(), h) == h, f"case-insensitive clash on {a}"
    # every Epoch string covered (or documented as unmappable)
    covered = set(ali["alias"])
    missing = [s for s in seen if s not in covered and s not in UNMAPPABLE]
    assert not missing, missing
    assert all(s in seen for s in UNMAPPABLE)
    assert all(m in covered for m in mlca["model"] if m != "Any")
    # numbers positive and finite; sources present exactly when a value is present
    for col in ("tdp_w", "die_area_cm2", "memory_gb", "peak_bf16_flops", "peak_fp32_flops"):
        v = num(cat[col]).dropna()
        assert (v > 0).all() and v.map(math.isfinite).all(), col
    for f in FIELDS:
        has_v = cat[FIELD_COL[f]] != ""
        has_s = cat[FIELD_SRC[f]] != ""
        assert (has_v == has_s).all(), f
    # plausibility: die <= a 300 mm wafer, memory < 1 TB, tdp <= 25 kW
    assert num(cat["die_area_cm2"]).max() <= 707
    assert num(cat["memory_gb"]).max() < 1000
    assert num(cat["tdp_w"]).max() <= 25000
    d = cat["release_date"][cat["release_date"] != ""]
    assert d.str.fullmatch(r"\d{4}-\d{2}-\d{2}").all()
    # MLCA table: all rows, Any included, values as published
    assert len(mg) == len(mlca) and "Any" in set(mg["model"])
    anyr = mg[mg["model"] == "Any"].iloc[0]
    assert (anyr["tdp_w"], anyr["die_area_cm2"], anyr["memory_gb"]) == ("220.7", "5.83", "23.3")
    for c in ("tdp_w", "die_area_cm2", "memory_gb"):
        assert (pd.to_numeric(mg[c]) > 0).all()


# ----------------------------------------------------------------------------------------
SOURCE_ROWS = """\
| epoch/ml_hardware_2026-07.csv | github spragada4/ai-energy-explorer @ 7d5393aa · data/raw/ml_hardware.csv | CC BY 4.0 (Epoch AI) | a72edaf105f6eb17 |
| epoch/chip_dataset_trimmed_2025-06-20.csv | *derived*: 20 of 53 columns of github epoch-research/training-cost-trends @ 263c40a1 · data/Chip dataset-Grid view.csv | CC BY 4.0 (Epoch AI) | 016894c05c27aae9 |
| epoch/notable_ai_models_2024-07-16.csv | github IyngkarranKumar/compute_thresholds_public @ f243d04f · data/notable_ai_models.csv | CC BY 4.0 (Epoch AI) | 8a253efe5f463e91 |
| epoch/notable_ai_models_2025-02-24.csv | same repository @ 7141f9bc · data/notable_ai_models_24_02_2025.csv | CC BY 4.0 (Epoch AI) | c94a4e13082f8f42 |
| epoch/notable_ai_models_2026-07.csv | github spragada4/ai-energy-explorer @ 7d5393aa · data/raw/notable_ai_models.csv | CC BY 4.0 (Epoch AI) | c5a262f52d614d11 |
| mlca/gpu_infos.csv | github blubrom/MLCA @ d2d8a42a · boaviztapi/data/components/gpu_infos.csv | AGPL-3.0 (values cited to TechPowerUp) | 604ff43d9d46a9fa |
| boavizta/gpu_specs.csv | PyPI boaviztapi 2.5.0 data/crowdsourcing/gpu_specs.csv | AGPL-3.0 | fb1dde235128203e |
| green_algorithms/TDP_gpu.csv | github GreenAlgorithms/green-algorithms-tool @ 30df2fee · data/latest/TDP_gpu.csv | CC BY 4.0 | |
| mlco2_impact/gpus.csv | github mlco2/impact @ d0d3ee5a · data/gpus.csv | MIT | 1311d5b4c2e32595 |
"""


def write_notes(path: Path, out: Path, cat: pd.DataFrame, ali: pd.DataFrame,
                mg: pd.DataFrame, seen: dict, complete: dict, stats: dict) -> None:
    target = dict(zip(ali["alias"], ali["hardware"]))
    cidx = cat.set_index("hardware")
    comp_hw = sorted({target[s] for s in complete if s in target})
    lack = []
    for h in comp_hw:
        miss = [w for w, c in (("die area", "die_area_cm2"), ("memory", "memory_gb"),
                               ("TDP", "tdp_w")) if cidx.loc[h, c] == ""]
        if miss:
            n = sum(v for s, v in complete.items() if target.get(s) == h)
            lack.append(f"  - {h} ({n} complete rows): no {', no '.join(miss)}")
    n_empty = {c: int((cat[c] == "").sum()) for c in ("die_area_cm2", "memory_gb", "tdp_w")}
    def origins(col):
        tok = cat[col].where(~cat[col].str.startswith("manual:"), "manual:*")
        vc = tok.replace("", "(empty)").value_counts()
        return ", ".join(f"{k} {v}" for k, v in vc.items())
    used = sorted({target[s] for s in seen if s in target})
    lack_any = []
    for h in used:
        miss = [w for w, c in (("die area", "die_area_cm2"), ("memory", "memory_gb"),
                               ("TDP", "tdp_w")) if cidx.loc[h, c] == ""]
        if miss:
            lack_any.append(f"{h} (no {', no '.join(miss)})")
    n_epoch_strings = len(seen)
    fallback = int(cat["notes"].str.contains("non-tensor FP16").sum())
    slow = int(cat["notes"].str.contains("FP16 rate is below FP32").sum())
    lines = [
        "## Hardware catalogue (`data/hardware.csv`, `data/hardware_aliases.csv`, `data/mlca_gpus.csv`)",
        "",
        "Built by `data/scripts/build_hardware.py` (`python data/scripts/build_hardware.py "
        "[--shared /work/shared/data]`) from these reference files:",
        "",
        "| file | origin (repository @ commit, or PyPI package) | licence | sha256[:16] |",
        "|---|---|---|---|",
        SOURCE_ROWS.rstrip(),
        "",
        "| output | rows | sha256[:16] | licence / attribution |",
        "|---|---|---|---|",
        f"| data/hardware.csv | {len(cat)} | {sha16(out / 'hardware.csv')} | Epoch AI data "
        "(CC BY 4.0) plus values carried as facts from MLCA/TechPowerUp, Epoch chip dataset, "
        "Green Algorithms (CC BY 4.0), ML CO2 Impact (MIT) and datasheets (`manual:`) |",
        f"| data/hardware_aliases.csv | {len(ali)} | {sha16(out / 'hardware_aliases.csv')} | "
        "names from Epoch AI (CC BY 4.0) and MLCA |",
        f"| data/mlca_gpus.csv | {len(mg)} | {sha16(out / 'mlca_gpus.csv')} | numbers of "
        "MLCA gpu_infos.csv (AGPL-3.0 file, not copied) transcribed as published facts; cite "
        "TechPowerUp (per-row `source_url`) and the MLCA tool (github blubrom/MLCA @ d2d8a42a) |",
        "",
        "Rules:",
        "- `hardware.csv` starts from every row of Epoch `ml_hardware_2026-07.csv` (name verbatim); "
        "`die_area_cm2` = mm² / 100, `memory_gb` = bytes / 1e9 (decimal GB, 3 decimals), "
        "`release_date` ISO. `peak_bf16_flops` = Tensor-FP16/BF16, else the non-tensor FP16 "
        f"rate (said in `notes`; {fallback} rows, of which {slow} have an FP16 rate below FP32 "
        "— Pascal cards other than GP100 — so use FP32 for them); `peak_fp32_flops` = FP32.",
        "- Missing TDP / die area / memory are filled, in priority order, from MLCA gpu_infos "
        "(TechPowerUp), Boavizta gpu_specs (memory only), Epoch chip dataset, Green Algorithms "
        "TDP_gpu (TDP only), ML CO2 Impact gpus, then datasheet facts (`manual:<citation>`). "
        "Each secondary source is matched through an explicit name table in the script; "
        "`tdp_source` / `die_source` / `memory_source` name the origin of each value; a field "
        "no source gives stays empty. Where a lower-priority source disagrees by >10 %, "
        "`notes` lists its value.",
        "- Boavizta's `die_surface` is a yield-adjusted wafer area per good die (GTX 1080 Ti: "
        "1208 mm² vs a 471 mm² die), not a die area, so it is never used. ML CO2 Impact TPU "
        "rows (per-board memory, average power) and its GTX 750 row are not used. Boavizta's "
        "TITAN RTX memory (20 GB, really 24 GB) is rejected.",
        "- `memory_type` is a well-known product fact (datasheets), empty where unsure.",
        "- Rows were added for hardware named in the Epoch notable-models files but missing "
        "from ml_hardware (specs from the chip dataset etc.) and for MLCA GPUs with no Epoch "
        "row (so MLCA names resolve). Cerebras CS-2 is a whole system: die area = its one "
        "WSE-2 (46 225 mm²), memory = on-chip SRAM, TDP empty.",
        "- Multi-die boards (Tesla K80, GTX 590, Tesla S1070 with 4 GPUs, MI250X) carry the "
        "sources' ONE-die area; their TDP and memory are per board. See `notes`.",
        f"- `hardware_aliases.csv`: all {n_epoch_strings} distinct entries of \"Training hardware\" "
        "in the three notable-models files (cells split on \",\"; no catalogue name contains a "
        "comma), every MLCA model name except \"Any\", and every catalogue name (self). "
        "Each alias maps to one catalogue row; non-identical mappings explain the choice in "
        "`note`. Not mapped: "
        + "; ".join(f"\"{k}\" ({v})" for k, v in UNMAPPABLE.items()) + ".",
        "- `mlca_gpus.csv`: all rows of MLCA gpu_infos including \"Any\" (220.7 W, 5.83 cm², "
        "23.3 GB), numbers exactly as published; `source_url` = MLCA's `source` with "
        "`https://` added where MLCA omitted the scheme.",
        "",
        "Counts:",
        f"- hardware.csv: {len(cat)} rows ({(cat['notes'].str.contains('row added')).sum()} added "
        f"to Epoch's {len(cat) - (cat['notes'].str.contains('row added')).sum()}); "
        f"lacking die area {n_empty['die_area_cm2']}, memory {n_empty['memory_gb']}, "
        f"TDP {n_empty['tdp_w']}.",
        f"- origin of tdp_w: {origins('tdp_source')}.",
        f"- origin of die_area_cm2: {origins('die_source')}.",
        f"- origin of memory_gb: {origins('memory_source')}.",
        f"- hardware_aliases.csv: {len(ali)} aliases ({n_epoch_strings} Epoch strings, "
        f"{len(UNMAPPABLE)} unmapped) -> {ali['hardware'].nunique()} catalogue rows.",
        f"- mlca_gpus.csv: {len(mg)} rows.",
        f"- Of the {len(used)} catalogue rows referenced by the notable-models files, these "
        f"lack a value: {'; '.join(lack_any) or 'none'}.",
        "- Hardware of Epoch \"complete\" rows (Training hardware, Hardware quantity > 0 and "
        "Training time > 0; counts are row entries summed over the three files, so a model "
        "present in several files counts several times) lacking a value:",
        *(lack or ["  - none"]),
        "",
    ]
    path.write_text("\n".join(lines))


def main(argv=None) -> int:
    here = Path(__file__).resolve().parent.parent
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--shared", type=Path, default=Path("/work/shared/data"))
    ap.add_argument("--out", type=Path, default=here)
    ap.add_argument("--notes", type=Path, default=None,
                    help="also write a markdown section for data/SOURCES.md here")
    a = ap.parse_args(argv)

    mlca = load_mlca(a.shared)
    cat, stats = build_catalogue(a.shared, mlca)
    comma_names = [n for n in cat["hardware"] if "," in n]
    if comma_names:
        print(f"catalogue names containing a comma (kept whole when splitting): {comma_names}")
    seen, complete = epoch_strings(a.shared, comma_names)
    ali = build_aliases(cat, seen, mlca)
    mg = build_mlca(mlca)
    check(cat, ali, mg, seen, mlca)

    a.out.mkdir(parents=True, exist_ok=True)
    cat.to_csv(a.out / "hardware.csv", index=False, lineterminator="\n")
    ali.to_csv(a.out / "hardware_aliases.csv", index=False, lineterminator="\n")
    mg.to_csv(a.out / "mlca_gpus.csv", index=False, lineterminator="\n")
    # re-read what was written and check again
    rd = lambda n: pd.read_csv(a.out / n, dtype=str, keep_default_na=False)
    check(rd("hardware.csv"), rd("hardware_aliases.csv"), rd("mlca_gpus.csv"), seen, mlca)

    for s, why in UNMAPPABLE.items():
        print(f"unmapped Epoch string: {s!r}: {why}")
    for tok, c, f, v in stats["rejected"]:
        print(f"rejected {tok} {f}={v} for {c}")
    print(f"hardware.csv {len(cat)} rows; hardware_aliases.csv {len(ali)} rows; "
          f"mlca_gpus.csv {len(mg)} rows")
    for n in ("hardware.csv", "hardware_aliases.csv", "mlca_gpus.csv"):
        print(f"  {n} sha256[:16] {sha16(a.out / n)}")
    if a.notes:
        write_notes(a.notes, a.out, cat, ali, mg, seen, complete, stats)
        print(f"notes written to {a.notes}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
