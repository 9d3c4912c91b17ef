"""The offline HTML report: built from the notebook, self-contained, escaped, reproducible."""

from __future__ import annotations

import re

import pytest

from maturity.cli import main
from maturity.demo import example_answer_paths, example_landscape_path
from maturity.report import _offline, build_report, prepare_report

pytestmark = pytest.mark.slow

def test_report_is_one_offline_file(demo_report):
    page = demo_report.read_text(encoding="utf-8")
    assert _offline(page) == page
    assert not re.search(r"(?:src|href)\s*=\s*[\"']?https?://", page, re.I)
    assert "require.js" not in page and "MathJax.js" not in page
    assert page.count("<iframe") >= 2  # landscape before and after
    size = demo_report.stat().st_size
    assert size < 5 * 1024 * 1024, f"report is {size / 1e6:.1f} MB"


def test_report_content(demo_report):
    page = demo_report.read_text(encoding="utf-8")
    for heading in ("Executive summary", "Maturity profile", "IT/OT landscape",
                    "Self-assessment against the evidence", "Transformation roadmap",
                    "Appendix: every answer"):
        assert heading in page
    assert "13 information islands remain" in page
    assert "江南纺机有限公司" in page
    assert "def " not in page and "prepare_report(" not in page  # code is hidden
    # figures embedded: profiles, Gantt, trajectory
    assert len(re.findall(r'<img[^>]+src="data:image/png;base64', page)) >= 3


def test_same_inputs_same_report_apart_from_timestamp(demo_report, tmp_path):
    again = build_report(example_answer_paths(), tmp_path / "again.html",
                         landscape=example_landscape_path(), budget=1_500_000, phases=3,
                         generated="2027-12-31 23:59")
    a = demo_report.read_text(encoding="utf-8").replace("2026-01-01 00:00", "TIME")
    b = again.read_text(encoding="utf-8").replace("2027-12-31 23:59", "TIME")
    assert a == b


def test_user_text_is_escaped_everywhere(hostile_report):
    page = hostile_report.read_text(encoding="utf-8")
    # outside the iframes: the fragment appears only escaped
    outer = re.sub(r'<iframe srcdoc="[^"]*"', "<iframe", page)
    assert "<script>window.__pwned" not in outer and "<img src=x" not in outer
    assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in outer
    # inside the iframes (srcdoc is itself escaped once): still never raw markup
    for srcdoc in re.findall(r'<iframe srcdoc="([^"]*)"', page):
        import html

        inner = html.unescape(srcdoc)
        assert "<script>window.__pwned" not in inner
        assert "<img src=x" not in inner


def test_chinese_report(tmp_path):
    out = build_report(example_answer_paths()[:2], tmp_path / "zh.html",
                       landscape=example_landscape_path(), lang="zh")
    page = out.read_text(encoding="utf-8")
    assert "摘要" in page and "成熟度画像" in page and "未提供预算" in page
    zh_plan = build_report(example_answer_paths()[1:2], tmp_path / "zh_plan.html",
                           landscape=example_landscape_path(), budget=1_500_000, lang="zh")
    assert "阶段合计" in zh_plan.read_text(encoding="utf-8")  # the roadmap table in Chinese


def test_prepare_report_without_landscape_or_budget():
    ctx = prepare_report(example_answer_paths()[:1])
    assert ctx.G is None and ctx.roadmap is None
    assert "Executive summary" not in str(ctx.summary())  # headings come separately
    summary = ctx.summary().markup
    assert summary.count("<li>") == 1 + 3  # one sentence per model, the three largest gaps
    assert "stage 1 (Computerisation)" in summary


def test_cli_report_bad_input(tmp_path, capsys):
    assert main(["report", "nope.json", "-o", str(tmp_path / "r.html")]) == 2
    assert "nope.json" in capsys.readouterr().err
    assert main(["report", str(example_answer_paths()[0]), "--phases", "2",
                 "-o", str(tmp_path / "r.html")]) == 2
    assert "--phases needs --budget" in capsys.readouterr().err
