"""The report's business case section (issue 13): the figures of
:func:`maturity.business_case.business_case` for the report's roadmap, in money when the
answers give the enterprise's revenue and in relative terms otherwise, in both languages."""

from __future__ import annotations

import re

import pytest

from maturity.business_case import business_case
from maturity.demo import example_answers, example_landscape_path
from maturity.report_context import prepare_report

pytestmark = pytest.mark.report


def cells(html: str) -> list[list[str]]:
    body = html.split("<tbody>")[1].split("</tbody>")[0]
    return [re.findall(r"<td[^>]*>(.*?)</td>", row) for row in body.split("</tr>") if "<td" in row]


def answers(revenue=None):
    a = example_answers("cmmm")
    if revenue is None:
        return a
    return a.model_copy(update={"enterprise": a.enterprise.model_copy(
        update={"revenue": revenue})})


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_relative_case_without_revenue(lang):
    ctx = prepare_report([answers()], example_landscape_path(), budget=1_500_000, phases=3,
                         lang=lang)
    case = business_case(ctx.roadmap)
    rows = cells(str(ctx.business_case()))
    assert len(rows) == 3
    for row, name in zip(rows, ("low", "mid", "high"), strict=True):
        c = case.cases[name]
        assert row[1].startswith(f"{c.capex:,.0f} ")
        assert row[3] == f"{c.benefit_per_year:.2%}"
        assert row[4].startswith(f"{float(f'{c.break_even_revenue:.3g}'):,.0f} ")
    html = str(ctx.business_case())
    assert ("年营业收入" in html) if lang == "zh" else ("Pays for itself" in html)
    assert 'alt="' in str(ctx.business_figure())


def test_case_in_money_with_the_revenue_of_the_answers():
    ctx = prepare_report([answers(revenue=80_000_000)], example_landscape_path(),
                         budget=1_500_000, phases=3)
    case = business_case(ctx.roadmap, revenue=80_000_000)
    rows = cells(str(ctx.business_case()))
    mid = case.cases["mid"]
    assert rows[1][4] == f"{mid.npv:,.0f} CNY"
    expected = ("does not pay back within 5 years" if mid.payback_month is None
                else f"pays back in month {mid.payback_month}")
    assert rows[1][5] == expected
    assert "for a yearly revenue of 80,000,000 CNY" in str(ctx.business_case())


def test_cli_report_takes_the_revenue_and_the_calendar(tmp_path, capsys):
    from maturity.cli import main
    from maturity.demo import example_answer_paths

    answers = str(next(p for p in example_answer_paths() if p.stem == "cmmm"))
    out = tmp_path / "r.html"
    assert main(["report", answers, "--landscape", str(example_landscape_path()),
                 "--total-budget", "4.5M", "--phases", "3", "--phase-months", "6",
                 "--revenue", "80M", "-o", str(out)]) == 0, capsys.readouterr().err
    page = out.read_text(encoding="utf-8")
    assert "for a yearly revenue of 80,000,000 CNY" in page
    assert "Net present value" in page
    assert main(["report", answers, "--landscape", str(example_landscape_path()),
                 "--budget", "1M", "--max-concurrent", "0", "-o", str(out)]) == 2
    assert "--max-concurrent" in capsys.readouterr().err
