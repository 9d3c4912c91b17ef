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
    load_assumptions,
    unvalued_sentence,
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


def _money(x: float | None, cur: str) -> str:
    return "–" if x is None else f"{x:,.0f} {cur}"


def business_case_section(ctx: ReportContext) -> HTML:
    """The case as a table of the three cases and lines on the KPIs behind it."""
    case = case_of(ctx)
    lang = ctx.lang
    cur = msg(f"roadmap.currency.{case.currency}", lang)
    relative = case.revenue is None
    rows = []
    for name in CASES:
        c = case.cases[name]
        if relative:
            worth = f"{c.benefit_per_year:.2%}"
            last = (_money(float(f"{c.break_even_revenue:.3g}"), cur)
                    if c.break_even_revenue is not None else msg("business.no_benefit", lang))
            payback = ""
        else:
            worth = _money(c.benefit_per_year, cur)
            last = _money(c.npv, cur)
            payback = (msg("business.payback.month", lang, month=c.payback_month)
                       if c.payback_month is not None else
                       msg("business.payback.none", lang, years=case.horizon_months // 12))
        rows.append({"case": msg(f"business.case.{name}", lang),
                     "capex": _money(c.capex, cur), "opex": _money(c.opex_per_year, cur),
                     "benefit": worth, "last": last, "payback": payback})
    kpis = []
    data = load_assumptions()
    for k, row in case.kpis.iterrows():
        change = f"{row['change_pct']:+.1f}%"
        name = msg(f"business.kpi.{k}", lang)
        if row["elasticity"] == 0:
            kpis.append(msg("business.kpi.unvalued", lang, kpi=name, change=change))
        else:
            worth = (msg("business.of_revenue", lang, share=f"{row['benefit_per_year']:.2%}")
                     if relative
                     else _money(row["benefit_per_year"], cur))
            kpis.append(msg("business.kpi.valued", lang, kpi=name, change=change,
                            base=data.kpis[k].base(lang), worth=worth))
    if case.unvalued:
        kpis.append(unvalued_sentence(case, lang))
    note = " ".join([msg("business.horizon_note", lang, month=f"{case.last_month:g}",
                         left=f"{case.horizon_months - case.last_month:g}"),
                     msg("business.report.note", lang)])
    lead = msg("business.report.lead_relative" if relative else "business.report.lead", lang,
               years=case.horizon_months // 12, rate=f"{case.discount_rate:.0%}",
               revenue=_money(case.revenue, cur))
    return HTML(render("report_business_case.html.j2", lang=lang, lead=lead, rows=rows,
                       title=ctx.m("business_case"),
                       kpis=kpis, relative=relative, note=note,
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
