"""The wheel carries every data file the package reads at run time, builds without setuptools
warnings, and an installed (non-editable) wheel runs the demo outside the source tree."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
# folders of the source tree that never ship
NOT_SHIPPED = {"__pycache__", ".ipynb_checkpoints"}
# maintainer-only folders inside a shipped folder (provenance: how datasets/ was built)
SOURCE_ONLY = {ROOT / "datasets" / "build"}


def _package_folders() -> dict[str, Path]:
    """Each package the configuration lists, with the source folder it is built from."""
    setuptools = PYPROJECT["tool"]["setuptools"]
    mapping = setuptools.get("package-dir", {})
    out = {}
    for name in setuptools["packages"]:
        parent = next((p for p in sorted(mapping, key=len, reverse=True)
                       if name == p or name.startswith(p + ".")), None)
        if parent is None:
            out[name] = ROOT.joinpath(*name.split("."))
        else:
            out[name] = ROOT / mapping[parent] / Path(*name[len(parent) + 1:].split("."))
    return out


def test_every_folder_of_a_package_is_listed_as_a_package():
    """setuptools only ships (and only stays quiet about) data in folders listed as packages."""
    folders = _package_folders()
    assert all(f.is_dir() for f in folders.values()), [n for n, f in folders.items()
                                                       if not f.is_dir()]
    listed = {f.resolve() for f in folders.values()}
    missing = []
    for top in {folders[name] for name in folders if "." not in name} | {
            ROOT / d for d in PYPROJECT["tool"]["setuptools"].get("package-dir", {}).values()}:
        for folder in [top, *top.rglob("*")]:
            if (folder.is_dir() and not NOT_SHIPPED & set(folder.parts)
                    and not any(folder == s or s in folder.parents for s in SOURCE_ONLY)
                    and any(f.is_file() for f in folder.iterdir())
                    and folder.resolve() not in listed):
                missing.append(str(folder.relative_to(ROOT)))
    assert missing == [], f"add these folders to [tool.setuptools] packages: {missing}"


def _source_copy(dest: Path) -> Path:
    """The project's files (tracked and new, not ignored) copied to ``dest``: building there
    leaves no ``build/`` folder in the work tree and no stale build output in the wheel."""
    files = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
        cwd=ROOT, check=True, capture_output=True, text=True,
    ).stdout.split("\0")
    for name in filter(None, files):
        src = ROOT / name
        if src.is_file():
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest / name)
    return dest


@pytest.fixture(scope="session")
def built_wheel(tmp_path_factory) -> tuple[Path, str]:
    """The wheel built from a copy of the source tree, and the build's output."""
    src = _source_copy(tmp_path_factory.mktemp("src"))
    out = tmp_path_factory.mktemp("wheel")
    run = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-v", "-w",
                          str(out), str(src)], capture_output=True, text=True)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    return next(out.glob("manufacturing_maturity-*.whl")), run.stdout + run.stderr


@pytest.mark.slow
def test_the_wheel_builds_without_warnings(built_wheel):
    _, log = built_wheel
    warnings = [line.strip() for line in log.splitlines() if "Warning:" in line]
    assert warnings == []


@pytest.mark.slow
def test_wheel_ships_models_templates_datasets_and_notebooks(built_wheel):
    wheel, _ = built_wheel
    names = set(zipfile.ZipFile(wheel).namelist())
    expected = [f"maturity/models/{m}.yaml" for m in
                ("cmmm", "acatech", "impuls", "siri", "dma", "iiot")]
    expected += ["maturity/actions.yaml", "maturity/evidence.yaml", "maturity/crosswalk.yaml",
                 "maturity/priorities.yaml", "maturity/population.yaml",
                 "maturity/templates/form.html.j2", "maturity/templates/roadmap.html.j2",
                 "maturity/templates/nbconvert/offline/index.html.j2",
                 "maturity/templates/nbconvert/offline/conf.json",
                 "maturity/notebooks/10_roadmap_report.ipynb",
                 "maturity/data/landscapes/textile_machinery_sme.yaml",
                 "maturity/data/answers/textile_machinery_sme/cmmm.yaml",
                 "maturity/messages/common.yaml", "value_chain/messages/landscape.yaml",
                 "value_chain/system_types.csv"]
    missing = [n for n in expected if n not in names]
    assert not missing
    # every dataset named in datasets/ travels with its metadata
    for meta in (ROOT / "datasets").glob("*.meta.yaml"):
        assert f"maturity/data/{meta.name}" in names
    # nothing of the tests or of earlier builds rides along
    assert not [n for n in names if n.startswith(("tests/", "build/", "test-artifacts/"))]


@pytest.mark.slow
@pytest.mark.report
def test_an_installed_wheel_builds_the_demo_report_outside_the_source_tree(built_wheel,
                                                                           tmp_path):
    """Install the wheel's files (not a link to the source tree) and run ``maturity demo``
    from an empty folder: every file the demo reads must come from the installed package."""
    wheel, _ = built_wheel
    site = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "--no-compile",
                    "--quiet", "--target", str(site), str(wheel)], check=True)
    work = tmp_path / "work"
    work.mkdir()
    # PYTHONPATH puts the installed copy ahead of the development install (whose editable
    # finder comes last on sys.meta_path); the report kernel inherits it.
    env = {**os.environ, "PYTHONPATH": str(site), "PYTHONNOUSERSITE": "1"}
    where = subprocess.run(
        [sys.executable, "-c", "import maturity, maturity.data, value_chain; "
         "print(maturity.__file__, *maturity.data.__path__, value_chain.__file__)"],
        cwd=work, env=env, check=True, capture_output=True, text=True).stdout.split()
    assert all(Path(p).is_relative_to(site) for p in where), where
    run = subprocess.run([sys.executable, "-m", "maturity.cli", "demo", "--out", "out"],
                         cwd=work, env=env, capture_output=True, text=True, timeout=900)
    assert run.returncode == 0, run.stderr[-3000:]
    report = work / "out" / "report_textile_machinery_sme_en.html"
    assert str(report.resolve()) in run.stdout
    page = report.read_text(encoding="utf-8")
    assert "江南纺机" in page and "<iframe" in page
