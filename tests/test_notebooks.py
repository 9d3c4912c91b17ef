"""Every notebook in notebooks/ runs top to bottom (documentation that runs)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

ROOT = Path(__file__).parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
SETUP_MARKER = "# Setup (the same in every notebook)"


def test_the_notebooks_are_the_ones_the_readme_lists():
    listed = set(re.findall(r"`notebooks/(\w+\.ipynb)`", (ROOT / "README.md").read_text("utf-8")))
    assert "10_roadmap_report.ipynb" in listed  # the report template that `maturity report` runs
    assert {p.name for p in NOTEBOOKS} == listed


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_notebook_is_committed_clean_and_follows_the_layout(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    assert all(not c.get("outputs") and c.get("execution_count") is None for c in code), (
        f"{path.name} has outputs committed: strip them"
    )
    assert "".join(code[0]["source"]).startswith(SETUP_MARKER), "first code cell is the setup"
    assert "parameters" in code[1].get("metadata", {}).get("tags", []), "second is parameters"


@pytest.mark.notebook
@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_notebook_runs(path, tmp_path):
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb, timeout=300, kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
    )
    client.execute()
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])
              if o.get("output_type") == "error"]
    assert not errors
