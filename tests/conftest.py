"""Fixtures shared by the report tests and the browser tests: reports are slow to build."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from maturity.demo import example_answer_paths, example_landscape_path
from maturity.report import build_report, execute_report, report_html

REPORT_FIXTURES = {"demo_report", "hostile_report", "demo_notebook", "demo_report_zh",
                   "demo_docx", "demo_docx_zh"}


def pytest_collection_modifyitems(items):
    """A test that uses a built report is a ``report`` test (``make test-fast`` leaves it out)."""
    for item in items:
        if REPORT_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.report)


HOSTILE = "<script>window.__pwned=1</script><img src=x onerror=\"window.__pwned=1\">"


_NOTEBOOKS: dict[str, object] = {}


@pytest.fixture(scope="session")
def demo_notebook():
    """The demo report notebook executed once per language for the whole session:
    ``demo_notebook("en")``. Every report test shares these two kernel runs."""

    def executed(lang: str = "en"):
        if lang not in _NOTEBOOKS:
            _NOTEBOOKS[lang] = execute_report(
                example_answer_paths(), landscape=example_landscape_path(), budget=1_500_000,
                phases=3, lang=lang, generated="2026-01-01 00:00")
        return _NOTEBOOKS[lang]

    return executed


@pytest.fixture(scope="session")
def demo_report(tmp_path_factory, demo_notebook) -> Path:
    out = tmp_path_factory.mktemp("report") / "report.html"
    out.write_text(report_html(demo_notebook("en")), encoding="utf-8")
    return out


@pytest.fixture(scope="session")
def demo_report_zh(tmp_path_factory, demo_notebook) -> Path:
    out = tmp_path_factory.mktemp("report") / "report_zh.html"
    out.write_text(report_html(demo_notebook("zh")), encoding="utf-8")
    return out


@pytest.fixture(scope="session")
def demo_docx(tmp_path_factory, demo_notebook) -> Path:
    from maturity.report_docx import notebook_to_docx

    return notebook_to_docx(demo_notebook("en"), tmp_path_factory.mktemp("docx") / "r.docx")


@pytest.fixture(scope="session")
def demo_docx_zh(tmp_path_factory, demo_notebook) -> Path:
    from maturity.report_docx import notebook_to_docx

    return notebook_to_docx(demo_notebook("zh"), tmp_path_factory.mktemp("docx") / "r_zh.docx",
                            lang="zh")


@pytest.fixture(scope="session")
def hostile_landscape(tmp_path_factory) -> Path:
    data = yaml.safe_load(example_landscape_path().read_text(encoding="utf-8"))
    data["enterprise"]["name"] = "ACME " + HOSTILE
    data["systems"][0]["name"] = "ERP " + HOSTILE
    data["systems"][0]["notes"] = HOSTILE
    data["partners"][0]["name"] = "Supplier " + HOSTILE
    path = tmp_path_factory.mktemp("hostile") / "landscape.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def hostile_report(tmp_path_factory, hostile_landscape) -> Path:
    out = tmp_path_factory.mktemp("report") / "hostile.html"
    return build_report(example_answer_paths()[:2], out, landscape=hostile_landscape,
                        budget=1_500_000, phases=2, generated="2026-01-01 00:00")


