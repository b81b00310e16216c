"""Every data file carries its source: listed in data/SOURCES.md with its current checksum."""

import hashlib

from lca_bayes.paths import project_root


def test_every_data_file_is_listed_with_its_checksum():
    data = project_root() / "data"
    sources = (data / "SOURCES.md").read_text()
    for path in sorted(data.glob("*.csv")):
        digest = hashlib.sha256(path.read_bytes()).hexdigest()[:16]
        row = next((line for line in sources.splitlines() if line.startswith(f"| {path.name} |")), None)
        assert row is not None, f"{path.name} is not listed in data/SOURCES.md"
        assert digest in row, f"{path.name}: checksum {digest} not in its SOURCES.md row"
