"""The README's two commands are the ones CI runs."""

from lca_bayes.paths import project_root


def test_ci_runs_the_readme_commands():
    root = project_root()
    readme = (root / "README.md").read_text()
    ci = (root / ".ci" / "run").read_text()
    for command in ('python3 -m venv .venv && .venv/bin/pip install -e ".[test]" && .venv/bin/lca-bayes run --out results/',
                    ".venv/bin/python -m pytest"):
        assert command in readme and command in ci
