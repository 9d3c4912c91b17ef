"""What a report shows, computed once: :func:`prepare_report` scores the answers, checks them
against the landscape, plans the roadmap and returns a :class:`ReportContext`, which holds
the results and answers the domain questions the sections ask (priorities, sector medians,
the landscape after the plan, the gaps that matter most).

The sections (:mod:`maturity.report_views`) and figures (:mod:`maturity.report_figures`)
are functions of the context; they are also its methods, which the report notebook calls
(``ctx.summary()``, ``ctx.plot_radar()``...).
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import pandas as pd

from maturity import report_business as _business
from maturity import report_figures as _figures
from maturity import report_views as _views
from maturity.actions import load_catalog
from maturity.answers import Answers, read_answers
from maturity.assessment import Assessment
from maturity.evidence import add_evidence
from maturity.messages import catalogue as _catalogue
from maturity.messages import msg
from maturity.priorities import priorities
from maturity.reference_model import load_model
from maturity.report_options import ReportOptions, with_report_options
from maturity.report_peers import peers
from maturity.report_progress import baseline_progress
from maturity.roadmap import plan_roadmap
from maturity.roadmap_record import model_name
from maturity.scoring import score
from value_chain import landscape_metrics, read_landscape
from value_chain.errors import InputError

__all__ = ["ReportContext", "as_answers", "prepare_report"]

_SECTIONS = ("summary", "profile", "landscape", "evidence", "roadmap", "before_after",
             "appendix")


@dataclass
class ReportContext:
    """Everything the report shows, computed once from the report's parameters."""

    lang: str
    assessments: list[Assessment]
    G: Any = None
    metrics: Any = None
    roadmap: Any = None
    roadmap_model: str | None = None
    params: dict[str, Any] = field(default_factory=dict)
    generated: str = ""
    progress: Any = None
    word_pictures: bool = True  # PNG copies of vector pictures, for the Word export

    # ---- words ------------------------------------------------------------------
    def m(self, key: str, **values: Any) -> str:
        """A message of the catalogue in the report's language."""
        return msg(f"report.{key}", self.lang, **values)

    @property
    def t(self) -> dict[str, str]:
        """Section titles and notes by short key (kept for notebooks written against it)."""
        keys = (*_SECTIONS, "title", "no_landscape", "no_roadmap", "gaps", "plan", "islands",
                "spof", "sector", "consistent")
        return {k: self.m(k) for k in keys}

    def model_name(self, model: Any) -> str:
        return model_name(model, self.lang)

    @property
    def enterprise(self) -> dict[str, Any]:
        for a in self.assessments:
            data = a.answers.enterprise.model_dump(exclude_none=True)
            if data:
                return data
        if self.G is not None:
            return dict(self.G.graph.get("enterprise", {}))
        return {}

    # ---- domain facts, asked once -------------------------------------------------
    def _plan_assessment(self) -> Assessment | None:
        for a in self.assessments:
            if a.model.id == self.roadmap_model:
                return a
        return self.assessments[0] if self.assessments else None

    @cached_property
    def priority_table(self) -> pd.DataFrame | None:
        """:func:`maturity.priorities.priorities` of the roadmap model (None without one)."""
        a = self._plan_assessment()
        if a is None:
            return None
        return priorities(a, self.params.get("target", "next"), lang=self.lang)

    @cached_property
    def median_levels(self) -> dict[str, float] | None:
        """Sector median level per CMMM dimension in the synthetic population (or None)."""
        a = self._plan_assessment()
        if a is None or a.model.id != "cmmm":
            return None
        _, scored = peers(a.answers.enterprise.sector)
        out = {}
        for d in a.dimensions:
            col = f"{d.id}.level"
            if col in scored:
                out[d.id] = float(scored[col].median())
        return out or None

    @cached_property
    def after(self) -> Any:
        """The landscape after the whole roadmap (asked of the roadmap itself)."""
        if self.roadmap is None or self.G is None:
            return None
        return self.roadmap.landscape_at(self.G)

    def landscape_after(self):
        """The landscape after the whole roadmap (:meth:`Roadmap.landscape_at`)."""
        return self.after

    def top_gaps(self, n: int = 3) -> list[dict[str, Any]]:
        """The ``n`` gaps of the roadmap model with the highest priority
        (:func:`maturity.priorities.priorities`), each with a plain reason."""
        table = self.priority_table
        a = self._plan_assessment()
        if table is None or a is None:
            return []
        claimed = {d.id: d.level for d in a.dimensions}
        rows = table[table["gap"] > 0].sort_values(["rank", "gap"], ascending=[True, False])
        out = []
        for dim, r in rows.head(n).iterrows():
            why = []
            if claimed.get(dim) is not None and claimed[dim] > r["current"]:
                why.append(self.m("gap_why.flagged", claimed=claimed[dim], current=r["current"]))
            if r["gap"] > 1:
                why.append(self.m("gap_why.size", gap=int(r["gap"])))
            kpis = self._kpis_of(dim)
            if kpis:
                sep = "、" if self.lang == "zh" else " and "
                why.append(self.m("gap_why.kpi", kpis=sep.join(kpis)))
            out.append({"dimension": dim, "name": r["name"], "current": int(r["current"]),
                        "target": int(r["target"]), "gap": int(r["gap"]),
                        "line": self.m("gap_line", name=r["name"], current=int(r["current"]),
                                       target=int(r["target"])),
                        "why": " ".join(why)})
        return out

    def _kpis_of(self, dim: str, n: int = 2) -> list[str]:
        """Names of the KPIs the catalog's actions for ``dim`` move most (largest first)."""
        model_id = self.roadmap_model
        totals: dict[str, float] = {}
        for action in load_catalog().actions:
            if any(e.model == model_id and e.dimension == dim for e in action.effects.levels):
                for k in action.kpis:
                    totals[k.kpi] = totals.get(k.kpi, 0.0) + abs(k.change_pct)
        best = sorted(totals, key=lambda k: -totals[k])[:n]
        return [self.m(f"kpi.{k}") for k in best if f"report.kpi.{k}" in _catalogue()]

    # ---- sections (maturity.report_views) and figures (maturity.report_figures) -----
    title = _views.title
    heading = _views.heading
    note = _views.note
    enterprise_line = _views.enterprise_line
    headline = _views.headline
    summary = _views.summary
    findings = _views.findings
    profile_table = _views.profile_table
    dimension_notes = _views.dimension_notes
    progress_section = _views.progress_section
    sector_position = _views.sector_position
    landscape_graph = _views.landscape_graph
    landscape_tables = _views.landscape_tables
    evidence = _views.evidence
    roadmap_table = _views.roadmap_table
    business_case = _business.business_case_section
    business_figure = _business.business_case_figure
    before_after = _views.before_after
    landscape_after_graph = _views.landscape_after_graph
    appendix = _views.appendix
    plot_radar = _figures.plot_radar
    plot_profiles = _figures.plot_profiles
    profiles_figure = _figures.profiles_figure
    plot_gantt = _figures.plot_gantt
    gantt_figure = _figures.gantt_figure
    plot_trajectory = _figures.plot_trajectory
    trajectory_figure = _figures.trajectory_figure


def as_answers(item: str | Path | Answers) -> Answers:
    """An answers file read (an :class:`~maturity.answers.Answers` is taken as it is)."""
    return item if isinstance(item, Answers) else read_answers(item)


@with_report_options
def prepare_report(
    answers: list[str | Path | Answers],
    landscape: str | Path | None = None,
    *,
    roadmap_model: str | None = None,
    word_pictures: bool = True,
    **options: Any,
) -> ReportContext:
    """Score the answers, measure the landscape, plan the roadmap: the report's content.
    ``options`` are those of :class:`~maturity.report_options.ReportOptions`. With
    ``baseline`` (an earlier round's answers of one of the models, same company) the
    context also holds the :class:`~maturity.progress.Progress` since then.
    ``word_pictures=False`` leaves out the PNG copies of the landscape pictures that only
    the Word export reads."""
    opts = ReportOptions(**options)
    problems = opts.problems(answers)
    if problems:
        raise InputError(problems)
    G = read_landscape(landscape) if landscape else None
    assessments = []
    for item in answers:
        ans = as_answers(item)
        a = score(load_model(ans.model, source=ans.source, where="model"), ans)
        if G is not None:
            a = add_evidence(a, G, lang=opts.lang)
        assessments.append(a)
    ids = [a.model.id for a in assessments]
    plan_model = roadmap_model or ("cmmm" if "cmmm" in ids else ids[0])
    ctx = ReportContext(
        lang=opts.lang,
        assessments=assessments,
        G=G,
        metrics=landscape_metrics(G) if G is not None else None,
        roadmap_model=plan_model,
        params={"budget": opts.budget, "phases": opts.phases, "strategy": opts.strategy,
                "target": opts.target, "revenue": opts.revenue},
        generated=opts.generated or _dt.datetime.now().strftime("%Y-%m-%d %H:%M"),
        word_pictures=word_pictures,
    )
    if opts.baseline:
        ctx.progress = baseline_progress(opts.baseline, assessments)
    if opts.plans and G is not None:
        ctx.roadmap = plan_roadmap(ctx._plan_assessment(), G, load_catalog(), target=opts.target,
                                   budget_per_phase=opts.budget, phases=opts.phases,
                                   strategy=opts.strategy, total_budget=opts.total_budget,
                                   phase_months=opts.phase_months,
                                   carry_forward=opts.carry_forward,
                                   max_concurrent=opts.max_concurrent)
    return ctx
