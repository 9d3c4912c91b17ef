"""The report's business case: the roadmap's capex, running costs, benefits, NPV and payback
for a low, mid and high case (:mod:`maturity.business_case`), as a table, a few lines on
the KPIs behind it, and the cumulative cash over the months.  With the enterprise's revenue
(``revenue`` in its answers) the case is in money; without it, in relative terms.

Each function takes a :class:`~maturity.report_context.ReportContext`; they are also its
methods (``ctx.business_case()``, ``ctx.business_figure()``), which the report notebook
calls.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from maturity.business_case import (
    CASES,
    BusinessCase,
    business_case,
    case_words,
    horizon_sentence,
    kpi_sentences,
)
from maturity.html import render
from maturity.messages import msg
from maturity.plotting import figure_png
from maturity.report_views import HTML, png_uri

if TYPE_CHECKING:
    from maturity.report_context import ReportContext

__all__ = ["business_case_figure", "business_case_section", "case_of"]


def case_of(ctx: ReportContext) -> BusinessCase | None:
    """The business case of the report's roadmap (computed once; None without a roadmap)."""
    if ctx.roadmap is None:
        return None
    if "_business_case" not in ctx.__dict__:
        a = ctx._plan_assessment()
        revenue = ctx.params.get("revenue") or (
            a.answers.enterprise.revenue if a is not None else None)
        ctx.__dict__["_business_case"] = business_case(ctx.roadmap, revenue=revenue)
    return ctx.__dict__["_business_case"]


def business_case_section(ctx: ReportContext) -> HTML:
    """The case as a table of the three cases and lines on the KPIs behind it."""
    case = case_of(ctx)
    lang = ctx.lang
    relative = case.revenue is None
    rows = []
    for name in CASES:
        words = case_words(case, name, lang)
        rows.append({**words, "last": words["break_even"] if relative else words["npv"],
                     "payback": words.get("payback", "")})
    cur = msg(f"roadmap.currency.{case.currency}", lang)
    lead = msg("business.report.lead_relative" if relative else "business.report.lead", lang,
               years=case.horizon_months // 12, rate=f"{case.discount_rate:.0%}",
               revenue="" if relative else f"{case.revenue:,.0f} {cur}")
    note = " ".join([horizon_sentence(case, lang), msg("business.report.note", lang)])
    return HTML(render("report_business_case.html.j2", lang=lang, lead=lead, rows=rows,
                       title=ctx.m("business_case"), kpis=kpi_sentences(case, lang),
                       relative=relative, note=note,
                       col={k: msg(f"business.col.{k}", lang) for k in
                            ("case", "capex", "opex", "benefit", "npv", "break_even",
                             "payback")}))


def business_case_figure(ctx: ReportContext) -> HTML:
    """The cumulative cash of the three cases over the months (or the NPV against revenue)."""
    case = case_of(ctx)
    ax = case.plot(lang=ctx.lang)
    caption = msg("business.report.figure_relative" if case.revenue is None
                  else "business.report.figure", ctx.lang)
    return HTML(render("report_figure.html.j2", src=png_uri(figure_png(ax.figure)),
                       caption=caption, cls="small"))
