"""The wheel carries every data file the package reads at run time."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]


@pytest.mark.slow
def test_wheel_ships_models_templates_datasets_and_notebooks(tmp_path):
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w",
                    str(tmp_path), str(ROOT)], check=True, capture_output=True)
    wheel = next(tmp_path.glob("manufacturing_maturity-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    expected = [f"maturity/models/{m}.yaml" for m in
                ("cmmm", "acatech", "impuls", "siri", "dma", "iiot")]
    expected += ["maturity/actions.yaml", "maturity/evidence.yaml", "maturity/crosswalk.yaml",
                 "maturity/priorities.yaml", "maturity/population.yaml",
                 "maturity/templates/form.html.j2", "maturity/templates/roadmap.html.j2",
                 "maturity/templates/nbconvert/offline/index.html.j2",
                 "maturity/notebooks/10_roadmap_report.ipynb",
                 "maturity/data/landscapes/textile_machinery_sme.yaml",
                 "maturity/data/answers/textile_machinery_sme/cmmm.yaml",
                 "value_chain/system_types.csv"]
    missing = [n for n in expected if n not in names]
    assert not missing
    # every dataset named in datasets/ travels with its metadata
    for meta in (ROOT / "datasets").glob("*.meta.yaml"):
        assert f"maturity/data/{meta.name}" in names
