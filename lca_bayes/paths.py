"""Where the embedded data (``data/``) and priors (``models/``) live.

The project is installed in place (``pip install -e .``), so both folders sit next to the
package. ``LCA_BAYES_HOME`` points elsewhere (a checkout holding ``data/`` and ``models/``).
"""

from __future__ import annotations

import os
from pathlib import Path


def project_root() -> Path:
    """Folder that holds ``data/`` and ``models/``."""
    env = os.environ.get("LCA_BAYES_HOME")
    root = Path(env) if env else Path(__file__).resolve().parents[1]
    if not (root / "data").is_dir() or not (root / "models").is_dir():
        raise FileNotFoundError(
            f"lca-bayes data not found under {root}: install the project in place "
            "(pip install -e .) or set LCA_BAYES_HOME to a checkout with data/ and models/"
        )
    return root


def data_path(name: str) -> Path:
    """Path of an embedded data file, e.g. ``data_path("hardware.csv")``."""
    return project_root() / "data" / name


def models_path(name: str) -> Path:
    """Path of a file under ``models/``, e.g. ``models_path("priors.toml")``."""
    return project_root() / "models" / name
