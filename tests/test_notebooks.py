"""Notebooks run top to bottom (small sample sizes), in a scratch folder."""

import shutil

import nbformat
import pytest
from nbclient import NotebookClient

from lca_bayes.paths import project_root


@pytest.mark.parametrize("name", ["sensitivity.ipynb"])
def test_notebook_runs(name, tmp_path, monkeypatch):
    src = project_root() / "notebooks" / name
    nb = nbformat.read(src, as_version=4)
    assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code")  # stripped in git
    monkeypatch.setenv("LCA_BAYES_NB_SAMPLES", "512")
    monkeypatch.setenv("JAX_PLATFORMS", "cpu")
    shutil.copy(src, tmp_path / name)
    NotebookClient(nb, timeout=600, kernel_name="python3",
                   resources={"metadata": {"path": str(tmp_path)}}).execute()
    assert (tmp_path / "sobol_frontier.png").exists() and (tmp_path / "tornado_academic.png").exists()
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
    assert not errors
