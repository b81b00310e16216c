"""Notebooks run top to bottom (small sample sizes), in a scratch folder."""

import shutil

import nbformat
import pytest
from nbclient import NotebookClient

from lca_bayes.paths import project_root

PRODUCES = {
    "sensitivity.ipynb": ["sobol_frontier.png", "tornado_academic.png"],
    "uncertainty_bands.ipynb": ["fig1_gwp.png", "fig1_gwp.pdf", "fig1_energy_since_2020.png",
                                "fig6_top12_annotated.pdf", "fig2_cards.png", "fig3_shares.png",
                                "fig4_growth.png"],
    "reproduce_paper.ipynb": ["paper/mlca/report.html", "paper/probabilistic/fig4_growth_forest.png",
                              "paper/probabilistic/table_growth.tex"],
}


@pytest.mark.parametrize("name", sorted(PRODUCES))
def test_notebook_runs(name, tmp_path, monkeypatch):
    src = project_root() / "notebooks" / name
    nb = nbformat.read(src, as_version=4)
    assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code")  # stripped in git
    monkeypatch.setenv("LCA_BAYES_NB_SAMPLES", "512")
    monkeypatch.setenv("JAX_PLATFORMS", "cpu")
    shutil.copy(src, tmp_path / name)
    NotebookClient(nb, timeout=900, kernel_name="python3",
                   resources={"metadata": {"path": str(tmp_path)}}).execute()
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
    assert not errors
    for produced in PRODUCES[name]:
        assert (tmp_path / produced).stat().st_size > 500, produced
