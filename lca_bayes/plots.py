"""Figures (matplotlib, Agg backend): units on every axis, readable in greyscale."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from .utilisation import MfuData, MfuFit, predict_mfu  # noqa: E402


def mfu_ppc_figure(rng_key, fit: MfuFit, data: MfuData, path: Path, num_replicates: int = 100) -> Path:
    """Posterior predictive check of the MFU model: observed vs replicated MFU (PNG)."""
    rep = predict_mfu(rng_key, fit, data.year, data.generation, data.org, num_replicates)  # (N, R)
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(10, 4), constrained_layout=True)
    bins = np.linspace(0, 1, 26)
    for r in range(min(num_replicates, 50)):
        ax1.hist(rep[:, r], bins=bins, histtype="step", color="0.75", linewidth=0.6,
                 label="replicated data (posterior predictive)" if r == 0 else None)
    ax1.hist(data.mfu, bins=bins, histtype="step", color="black", linewidth=2.0, label="observed")
    ax1.set_xlabel("model FLOP utilisation (MFU, fraction of peak)")
    ax1.set_ylabel("number of observations")
    ax1.set_title("Distribution of MFU")
    ax1.legend(frameon=False, fontsize=8)
    grid = np.linspace(np.nanmin(data.year) - 0.5, np.nanmax(data.year) + 0.5, 40)
    pop = predict_mfu(rng_key, fit, grid, np.full(grid.shape, -1), np.zeros(grid.shape, int), 2000)
    lo5, lo25, med, hi75, hi95 = np.percentile(pop, [5, 25, 50, 75, 95], axis=1)
    ax2.fill_between(grid, lo5, hi95, color="0.85", label="90 % predictive interval")
    ax2.fill_between(grid, lo25, hi75, color="0.65", label="50 % predictive interval")
    ax2.plot(grid, med, color="black", linewidth=1.2, label="predictive median")
    ax2.scatter(data.year[~data.reported], data.mfu[~data.reported], s=14, marker="o",
                facecolors="none", edgecolors="black", label="computed from Epoch rows")
    ax2.scatter(data.year[data.reported], data.mfu[data.reported], s=16, marker="^", color="0.3",
                label="reported by Epoch")
    ax2.set_xlabel("publication year")
    ax2.set_ylabel("MFU (fraction of peak)")
    ax2.set_ylim(0, 1)
    ax2.set_title("MFU over time (industry, any hardware generation)")
    ax2.legend(frameon=False, fontsize=7, loc="upper right", ncol=2)
    fig.savefig(path, dpi=150)
    plt.close(fig)
    return path
