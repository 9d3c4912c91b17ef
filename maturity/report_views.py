"""The report's sections as HTML: cover, executive summary, profiles, landscape, evidence,
roadmap, before/after and appendix, rendered from a
:class:`~maturity.report_context.ReportContext` through the ``report_*.html.j2`` templates
(autoescape on: every user string is escaped). Each section is also a method of the
context (``ctx.summary()``...), which the report notebook calls.

>>> _num(2.50), _num(3.0, 0), _money(1234567)
('2.5', '3', '1,234,567')
>>> str(HTML("<p>x</p>"))
'<p>x</p>'
"""

from __future__ import annotations

import base64
from typing import TYPE_CHECKING, Any

from maturity.assessment import Assessment, assessments_frame
from maturity.compare import peer_percentile
from maturity.html import render
from maturity.messages import msg
from maturity.plotting import figure_png
from maturity.report_peers import match_sector, peers, population_config
from maturity.report_progress import progress_heading, progress_overall, progress_rows
from value_chain import landscape_metrics
from value_chain.pictures import landscape_figure
from value_chain.vocabulary import FOCUSES as _FOCUSES
from value_chain.vocabulary import INDUSTRY_TYPES, choice

if TYPE_CHECKING:
    from maturity.report_context import ReportContext

__all__ = ["HTML", "appendix", "before_after", "dimension_notes", "enterprise_line", "evidence",
           "findings", "focus_name", "heading", "headline", "landscape_after_graph",
           "landscape_graph", "landscape_tables", "note", "png_uri", "profile_table",
           "progress_section", "roadmap_table", "sector_position", "summary", "title"]

_NEW_PAGE = ("profile", "landscape", "roadmap", "appendix")  # in print, on a new page


class HTML:
    """A fragment of HTML that notebooks display as such (``text/html``)."""

    def __init__(self, markup: str):
        self.markup = markup

    def _repr_html_(self) -> str:
        return self.markup

    def __str__(self) -> str:
        return self.markup


def _money(value: float) -> str:
    return f"{value:,.0f}"


def _num(value: float, digits: int = 1) -> str:
    text = f"{value:.{digits}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def png_uri(data: bytes, mime: str = "image/png") -> str:
    """Image bytes as a ``data:`` URI (the report is one self-contained file)."""
    return f"data:{mime};base64," + base64.b64encode(data).decode("ascii")


def heading(ctx: ReportContext, key: str) -> HTML:
    """A section heading (main sections start a new page in print)."""
    return HTML(render("report_heading.html.j2", text=ctx.m(key), key=key,
                       page=key in _NEW_PAGE))


def note(ctx: ReportContext, key: str) -> HTML:
    """A plain note of the catalogue as a paragraph (e.g. ``no_landscape``)."""
    return HTML(render("report_note.html.j2", text=ctx.m(key)))


def title(ctx: ReportContext) -> HTML:
    """The cover block: title, who, when."""
    return HTML(render("report_title.html.j2", title=ctx.m("title"),
                       who=ctx.enterprise_line(),
                       generated=ctx.m("generated", when=ctx.generated)))


def enterprise_line(ctx: ReportContext) -> list[str]:
    """Name, sector, size and kind of industry, in the report's language."""
    e = ctx.enterprise
    out = [str(e["name"])] if e.get("name") else []
    cfg = population_config()
    sector = match_sector(e.get("sector"), list(cfg.sectors))
    if sector:
        out.append(cfg.sectors[sector].name[ctx.lang])
    elif e.get("sector"):
        out.append(str(e["sector"]))
    size = choice(e.get("size"), list(cfg.sizes))
    if size:
        out.append(cfg.sizes[size].name[ctx.lang])
    elif e.get("size"):
        out.append(str(e["size"]))
    if e.get("industry_type") in INDUSTRY_TYPES:
        out.append(ctx.m(f"industry.{e['industry_type']}"))
    return out


def headline(ctx: ReportContext, a: Assessment) -> str:
    """One sentence for an assessment on its own scale, with what the level means."""
    model = a.model
    top = max(lv.value for lv in model.levels)
    name = ctx.model_name(model)
    label = model.level_label(ctx.lang)
    if a.score is None:
        return ctx.m("headline.none", model=name)
    if a.level is None:
        text = ctx.m("headline.mean", model=name, label=label, score=_num(a.score),
                     top=top)
    else:
        level = next((lv for lv in model.levels if lv.value == a.level), None)
        meaning = level.description(ctx.lang) if level and level.description else ""
        key = "headline.percent" if model.rules.method == "percent" else "headline.level"
        values = {"model": name, "label": label, "level": a.level, "top": top,
                  "level_name": a.level_name(ctx.lang), "meaning": meaning,
                  "score": _num(a.score, 0)}
        low, high = a.level_range or (None, None)
        if a.provisional and low is not None and high is not None:
            return ctx.m(f"{key}_provisional", **values, low=low, high=high,
                         share=f"{a.coverage:.0%}").strip()
        text = ctx.m(key, **values).strip()
    if a.coverage < 0.995:
        text += ("" if ctx.lang == "zh" else " ") + ctx.m("headline.coverage",
                                                         share=f"{a.coverage:.0%}")
    return text


def summary(ctx: ReportContext) -> HTML:
    """The one-page executive summary: headlines, radar, gaps, plan, findings."""
    plan = phases = None
    if ctx.roadmap is not None:
        d = ctx.roadmap.to_dict(ctx.lang)
        plan = [ctx.m("plan_line", actions=sum(len(p["actions"]) for p in d["phases"]),
                      phases=len(d["phases"]), cost=_money(d["total_cost"]),
                      months=_num(d["total_months"], 0))]
        if d.get("islands_before") is not None and d["phases"]:
            plan.append(ctx.m("plan_islands", before=d["islands_before"],
                              after=d["phases"][-1]["islands_after"]))
        if d.get("unmet_targets"):
            plan.append(ctx.m("plan_unmet", n=len(d["unmet_targets"])))
        phases = []
        for p in d["phases"]:
            line = ctx.m("plan_phase", phase=p["phase"], actions=len(p["actions"]),
                         cost=_money(p["cost"]), months=_num(p["months"], 0))
            if p.get("islands_after") is not None:
                line += ctx.m("plan_phase_islands", islands=p["islands_after"])
            phases.append(line)
    return HTML(render("report_summary.html.j2", m=ctx.m, lang=ctx.lang,
                       headlines=[ctx.headline(a) for a in ctx.assessments],
                       radar=_radar_uri(ctx), gaps=ctx.top_gaps(), plan=plan,
                       phases=phases, findings=ctx.findings()))


def findings(ctx: ReportContext, n: int = 3) -> list[str]:
    """The ``n`` evidence findings that matter most, one line each (largest overclaim
    first), or the landscape's islands when nothing is flagged."""
    flagged = [(a, e) for a in ctx.assessments for e in a.evidence
               if e.get("flag") and e.get("claimed") is not None
               and e.get("supported") is not None]
    flagged.sort(key=lambda ae: (-(ae[1]["claimed"] - ae[1]["supported"]),
                                 ae[0].model.id != ctx.roadmap_model))
    out, seen = [], set()
    for a, e in flagged:
        what = (a.model.dimension(e["dimension"]).name(ctx.lang) if e.get("dimension")
                else ctx.model_name(a.model))
        if what in seen:
            continue
        seen.add(what)
        out.append(ctx.m("finding", dimension=what, claimed=e["claimed"],
                          supported=e["supported"]))
        if len(out) == n - (1 if ctx.metrics is not None else 0):
            break
    if ctx.metrics is not None:
        out.append(ctx.m("finding_islands", n=ctx.metrics["island_count"],
                          manual=ctx.metrics["manual_links"]))
    return out


def _radar_uri(ctx: ReportContext) -> str | None:
    fig = ctx.plot_radar()
    return None if fig is None else png_uri(figure_png(fig))


def profile_table(ctx: ReportContext) -> HTML:
    frame = assessments_frame(ctx.assessments, ctx.lang)
    rows = []
    for a in ctx.assessments:
        r = frame.loc[a.model.id]
        rows.append({"model": ctx.model_name(a.model),
                     "score": _num(a.score, 2) if a.score is not None else "–",
                     "level": (f"{a.level} {a.level_name(ctx.lang)}"
                               if a.level is not None else "–"),
                     "coverage": f"{a.coverage:.0%}",
                     "cmmm": r["cmmm_equivalent"] if isinstance(r["cmmm_equivalent"], str)
                     else "–",
                     "flags": int(r["flags"])})
    return HTML(render("report_profile.html.j2", m=ctx.m, rows=rows,
                       notes=ctx.dimension_notes()))


def progress_section(ctx: ReportContext) -> HTML:
    """Heading and table of the change since the baseline round (given ``baseline``)."""
    p = ctx.progress
    heading = render("report_heading.html.j2", text=progress_heading(p, ctx.lang),
                     key="progress", page=False)
    return HTML(heading + render(
        "report_progress.html.j2", m=ctx.m, rows=progress_rows(p, ctx.lang),
        overall=progress_overall(p, ctx.lang, ctx.model_name(p.model))))


def dimension_notes(ctx: ReportContext) -> list[str]:
    """One sentence per dimension whose level needs a word: held down by the
    bottom-up rule (gated) or left out as not applicable."""
    out = []
    for a in ctx.assessments:
        for d in a.to_dict(ctx.lang)["dimensions"]:
            if d["reason"] == "gated":
                out.append(ctx.m("dimension_note.gated", model=ctx.model_name(a.model),
                                 dimension=d["name"], level=d["level"] or 0,
                                 why=d["reason_text"]))
            elif d["reason"] == "not_applicable":
                out.append(ctx.m("dimension_note.not_applicable",
                                 model=ctx.model_name(a.model), dimension=d["name"]))
    return out


def sector_position(ctx: ReportContext) -> HTML:
    """Percentile of the CMMM score among the shipped synthetic population."""
    a = next((x for x in ctx.assessments if x.model.id == "cmmm"), None)
    if a is None or a.score is None:
        return HTML("")
    sector, scored = peers(a.answers.enterprise.sector)
    pct = peer_percentile(scored, a.score, sector=sector)
    group = (ctx.m("sector_group", sector=population_config().sectors[sector].name[ctx.lang])
             if sector else ctx.m("sector_all"))
    text = ctx.m("sector_text", pct=f"{pct:.0f}%", group=group, n=f"{len(scored):,}")
    return HTML(render("report_sector.html.j2", title=ctx.m("sector"), text=text))


def landscape_graph(ctx: ReportContext, G=None, caption: str | None = None) -> HTML:
    """The landscape: interactive on screen, a static vector picture in print."""
    G = ctx.G if G is None else G
    fig = landscape_figure(G, lang=ctx.lang, png=ctx.word_pictures)
    return HTML(render("report_landscape_figure.html.j2", iframe=fig.iframe,
                       svg=png_uri(fig.svg, "image/svg+xml"),
                       png=png_uri(fig.png) if fig.png else "",
                       caption=caption or ctx.m("figure.before")))


def landscape_tables(ctx: ReportContext) -> HTML:
    G, mt = ctx.G, ctx.metrics
    islands = [[str(G.nodes[s].get("name", s)) for s in isl] for isl in mt["islands"]]
    spof = [str(G.nodes[s].get("name", s))
            for s in mt["single_points_of_failure"]["systems"]]
    yes, no = ctx.m("yes"), ctx.m("no")
    return HTML(render("report_landscape.html.j2", m=ctx.m, mt=mt, islands=islands,
                       spof=spof, thread=yes if mt["digital_thread"] else no))


def evidence(ctx: ReportContext) -> HTML:
    rows = [{"model": ctx.model_name(a.model), "flag": bool(e.get("flag")),
             "result": ctx.m("doubt") if e.get("flag") else ctx.m("ok"),
             "message": e.get("message", "")} for a in ctx.assessments
            for e in a.evidence]
    return HTML(render("report_evidence.html.j2", m=ctx.m, rows=rows))


def roadmap_table(ctx: ReportContext) -> HTML:
    d = ctx.roadmap.to_dict(ctx.lang)
    lead = ctx.m("roadmap_lead", model=ctx.model_name(ctx.roadmap.model),
                 strategy=d.get("strategy_name") or ctx.roadmap.strategy,
                 phases=len(d["phases"]), cost=_money(d["total_cost"]),
                 months=_num(d["total_months"], 0))
    if d.get("islands_before") is not None:
        lead += " " + ctx.m("islands_now", n=d["islands_before"])
    phases = []
    for p in d["phases"]:
        actions = [{"name": x["name"], "focus": focus_name(ctx, x.get("focus")),
                    "cost": _money(x["cost"]), "months": _months(x),
                    "what": x.get("explanation", "")} for x in p["actions"]]
        total = (ctx.m("phase_total_islands", n=p["islands_after"])
                 if p.get("islands_after") is not None else ctx.m("phase_total"))
        paid = p.get("paid", p["cost"])  # paid in the phase (long actions spread over theirs)
        phases.append({"phase": p["phase"], "actions": actions, "total": total,
                       "cost": _money(paid) if p["budget"] is None else
                       f"{_money(paid)} / {_money(p['budget'])}",
                       "months": ctx.m("months_n", n=_num(p["months"], 0))})
    return HTML(render("report_roadmap.html.j2", m=ctx.m, lead=lead, phases=phases,
                       notes=d.get("explanations") or []))


def _months(x: dict[str, Any]) -> str:
    """When an action runs: its months from the plan's start (1-based), e.g. ``13–18``."""
    if x.get("end_month"):
        return f"{_num(x['start_month'] + 1, 0)}–{_num(x['end_month'], 0)}"
    return _num(x["duration_months"], 0)


def focus_name(ctx: ReportContext, focus: str | None) -> str:
    """The roadmap's own words for a focus value (one place for each fact)."""
    return msg(f"roadmap.focus.{focus}", ctx.lang) if focus in _FOCUSES else (focus or "")


def before_after(ctx: ReportContext) -> HTML:
    after = landscape_metrics(ctx.after)
    keys = ["island_count", "vertical_integration", "horizontal_integration",
            "it_ot_convergence", "manual_links", "digital_thread"]
    rows = [{"name": ctx.m(f"metric.{k}"), "before": _value(ctx, ctx.metrics[k]),
             "after": _value(ctx, after[k])} for k in keys]
    return HTML(render("report_before_after.html.j2", m=ctx.m, rows=rows))


def _value(ctx: ReportContext, v: Any) -> str:
    if v is None:
        return "–"
    if isinstance(v, bool):
        return ctx.m("yes") if v else ctx.m("no")
    if isinstance(v, float) and 0 <= v <= 1:
        return f"{v:.0%}"
    return str(v)


def landscape_after_graph(ctx: ReportContext) -> HTML:
    n = len(ctx.roadmap.steps)
    return ctx.landscape_graph(ctx.after, caption=ctx.m("figure.after", phase=n))


def appendix(ctx: ReportContext) -> HTML:
    blocks = []
    for a in ctx.assessments:
        m = a.model
        rows = []
        for i, it in enumerate(m.items, 1):
            value = a.answers.answers.get(it.id)
            label = "–"
            if value is not None:
                opt = next((o for o in m.options(it) if o.value == value), None)
                label = opt.label(ctx.lang) if opt else str(value)
            rows.append({"no": i, "question": it.text(ctx.lang), "answer": label,
                         "comment": a.answers.comments.get(it.id) or ""})
        blocks.append({"title": ctx.model_name(m), "rows": rows})
    return HTML(render("report_appendix.html.j2", m=ctx.m, blocks=blocks))
