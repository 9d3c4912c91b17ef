"""The roadmap report: one offline HTML file built from a parameterised notebook.

``maturity report ANSWERS... [--landscape FILE] [--budget B --phases K --strategy S]
[--lang en|zh] -o report.html|report.pdf|report.docx`` checks the inputs cheaply
(:func:`check_report_inputs`: reading and validating the files, nothing computed),
then executes ``notebooks/10_roadmap_report.ipynb`` (shipped in the wheel as
``maturity.notebooks``) once with nbclient, the parameters injected after its
``parameters`` cell (the papermill convention); the kernel computes everything,
once. The notebook is exported with nbconvert, code hidden, through a template
that drops the CDN scripts of the stock ``lab`` template and adds an A4 print
stylesheet. The result is checked: no ``http(s)`` resource anywhere, including
inside the graph iframes. The same executed notebook gives the PDF (headless
Chromium, :mod:`maturity.report_pdf`) and the Word file (:mod:`maturity.report_docx`).

The notebook holds calls only; the sections are built here
(:class:`ReportContext`) from jinja2 templates with autoescape on, so every
enterprise, system and partner name is escaped. Every word comes from the
message catalogue (``maturity/messages/report.yaml``) in the report's language.
"""

from __future__ import annotations

import base64
import copy
import datetime as _dt
import re
import tempfile
from dataclasses import dataclass, field
from functools import cached_property
from importlib import resources
from pathlib import Path
from typing import Any

import pandas as pd

from maturity.actions import load_catalog
from maturity.answers import Answers, read_answers
from maturity.assessment import Assessment, assessments_frame
from maturity.compare import peer_percentile
from maturity.evidence import add_evidence
from maturity.html import check_offline, render
from maturity.messages import LANGS, msg
from maturity.messages import catalogue as _catalogue
from maturity.plotting import (
    figure_png,
    plot_gantt_bars,
    plot_lang,
    plot_level_bars,
    plot_level_radar,
    plot_level_steps,
)
from maturity.priorities import load_priority_data, priorities, read_target, resolve_target
from maturity.reference_model import load_model
from maturity.report_progress import (
    baseline_progress,
    progress_heading,
    progress_overall,
    progress_rows,
)
from maturity.roadmap import plan_roadmap
from maturity.scoring import score, score_frame
from value_chain import landscape_metrics, read_landscape
from value_chain.errors import InputError, Problem
from value_chain.pictures import landscape_figure
from value_chain.safe_io import atomic_write
from value_chain.vocabulary import FOCUSES as _FOCUSES
from value_chain.vocabulary import INDUSTRY_TYPES, choice, token

__all__ = ["HTML", "ReportContext", "build_report", "check_report_inputs", "prepare_report",
           "report_notebook_path"]

REPORT_NOTEBOOK = "10_roadmap_report.ipynb"
_SECTIONS = ("summary", "profile", "landscape", "evidence", "roadmap", "before_after",
             "appendix")


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


def _png_uri(data: bytes, mime: str = "image/png") -> str:
    return f"data:{mime};base64," + base64.b64encode(data).decode("ascii")


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
        key = f"report.model.{model.id}"
        try:
            return msg(key, self.lang)
        except KeyError:
            return model.title(self.lang)

    @property
    def enterprise(self) -> dict[str, Any]:
        for a in self.assessments:
            data = a.answers.enterprise.model_dump(exclude_none=True)
            if data:
                return data
        if self.G is not None:
            return dict(self.G.graph.get("enterprise", {}))
        return {}

    def enterprise_line(self) -> list[str]:
        """Name, sector, size and kind of industry, in the report's language."""
        e = self.enterprise
        out = [str(e["name"])] if e.get("name") else []
        cfg = _population_config()
        sector = _match_sector(e.get("sector"), list(cfg.sectors)) if cfg else None
        if sector:
            out.append(cfg.sectors[sector].name[self.lang])
        elif e.get("sector"):
            out.append(str(e["sector"]))
        size = choice(e.get("size"), list(cfg.sizes)) if cfg else None
        if size:
            out.append(cfg.sizes[size].name[self.lang])
        elif e.get("size"):
            out.append(str(e["size"]))
        if e.get("industry_type") in INDUSTRY_TYPES:
            out.append(self.m(f"industry.{e['industry_type']}"))
        return out

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
        _, peers = _peers(a.answers.enterprise.sector)
        out = {}
        for d in a.dimensions:
            col = f"{d.id}.level"
            if col in peers:
                out[d.id] = float(peers[col].median())
        return out or None

    @cached_property
    def after(self) -> Any:
        """The landscape after the whole roadmap (asked of the roadmap itself)."""
        if self.roadmap is None or self.G is None:
            return None
        return self.roadmap.landscape_at(self.G)

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

    # ---- sections ------------------------------------------------------------
    def heading(self, key: str) -> HTML:
        return HTML(render("report_heading.html.j2", text=self.m(key), key=key,
                           page=key in _NEW_PAGE))

    def note(self, key: str) -> HTML:
        """A plain note of the catalogue as a paragraph (e.g. ``no_landscape``)."""
        return HTML(render("report_note.html.j2", text=self.m(key)))

    def title(self) -> HTML:
        """The cover block: title, who, when."""
        return HTML(render("report_title.html.j2", title=self.m("title"),
                           who=self.enterprise_line(),
                           generated=self.m("generated", when=self.generated)))

    def headline(self, a: Assessment) -> str:
        """One sentence for an assessment on its own scale, with what the level means."""
        model = a.model
        top = max(lv.value for lv in model.levels)
        name = self.model_name(model)
        label = model.level_label(self.lang)
        if a.score is None:
            return self.m("headline.none", model=name)
        if a.level is None:
            text = self.m("headline.mean", model=name, label=label, score=_num(a.score),
                          top=top)
        else:
            level = next((lv for lv in model.levels if lv.value == a.level), None)
            meaning = level.description(self.lang) if level and level.description else ""
            key = "headline.percent" if model.rules.method == "percent" else "headline.level"
            values = {"model": name, "label": label, "level": a.level, "top": top,
                      "level_name": a.level_name(self.lang), "meaning": meaning,
                      "score": _num(a.score, 0)}
            low, high = a.level_range or (None, None)
            if a.provisional and low is not None and high is not None:
                return self.m(f"{key}_provisional", **values, low=low, high=high,
                              share=f"{a.coverage:.0%}").strip()
            text = self.m(key, **values).strip()
        if a.coverage < 0.995:
            text += ("" if self.lang == "zh" else " ") + self.m("headline.coverage",
                                                               share=f"{a.coverage:.0%}")
        return text

    def summary(self) -> HTML:
        """The one-page executive summary: headlines, radar, gaps, plan, findings."""
        plan = phases = None
        if self.roadmap is not None:
            d = self.roadmap.to_dict(self.lang)
            plan = [self.m("plan_line", actions=sum(len(p["actions"]) for p in d["phases"]),
                           phases=len(d["phases"]), cost=_money(d["total_cost"]),
                           months=_num(d["total_months"], 0))]
            if d.get("islands_before") is not None and d["phases"]:
                plan.append(self.m("plan_islands", before=d["islands_before"],
                                   after=d["phases"][-1]["islands_after"]))
            if d.get("unmet_targets"):
                plan.append(self.m("plan_unmet", n=len(d["unmet_targets"])))
            phases = []
            for p in d["phases"]:
                line = self.m("plan_phase", phase=p["phase"], actions=len(p["actions"]),
                              cost=_money(p["cost"]), months=_num(p["months"], 0))
                if p.get("islands_after") is not None:
                    line += self.m("plan_phase_islands", islands=p["islands_after"])
                phases.append(line)
        return HTML(render("report_summary.html.j2", m=self.m, lang=self.lang,
                           headlines=[self.headline(a) for a in self.assessments],
                           radar=self._radar_uri(), gaps=self.top_gaps(), plan=plan,
                           phases=phases, findings=self.findings()))

    def findings(self, n: int = 3) -> list[str]:
        """The ``n`` evidence findings that matter most, one line each (largest overclaim
        first), or the landscape's islands when nothing is flagged."""
        flagged = [(a, e) for a in self.assessments for e in a.evidence
                   if e.get("flag") and e.get("claimed") is not None
                   and e.get("supported") is not None]
        flagged.sort(key=lambda ae: (-(ae[1]["claimed"] - ae[1]["supported"]),
                                     ae[0].model.id != self.roadmap_model))
        out, seen = [], set()
        for a, e in flagged:
            what = (a.model.dimension(e["dimension"]).name(self.lang) if e.get("dimension")
                    else self.model_name(a.model))
            if what in seen:
                continue
            seen.add(what)
            out.append(self.m("finding", dimension=what, claimed=e["claimed"],
                              supported=e["supported"]))
            if len(out) == n - (1 if self.metrics is not None else 0):
                break
        if self.metrics is not None:
            out.append(self.m("finding_islands", n=self.metrics["island_count"],
                              manual=self.metrics["manual_links"]))
        return out

    def _radar_uri(self) -> str | None:
        fig = self.plot_radar()
        return None if fig is None else _png_uri(figure_png(fig))

    def plot_radar(self):
        """The main model's levels per dimension: current, target and sector median (the
        summary's picture); the matplotlib figure, or None without a result."""
        a = self._plan_assessment()
        if a is None or a.score is None:
            return None
        table = self.priority_table
        dims = [d for d in a.dimensions]
        names = [a.model.dimension(d.id).name(plot_lang(self.lang)) for d in dims]
        current = [int(table.loc[d.id, "current"]) for d in dims]
        target = [int(table.loc[d.id, "target"]) for d in dims]
        med = self.median_levels
        median = [med.get(d.id, 0.0) for d in dims] if med else None
        ax = plot_level_radar(names, current, target, median,
                              max(lv.value for lv in a.model.levels),
                              labels=self._series(), lang=self.lang)
        ax.set_title(self.model_name(a.model), fontsize=9, pad=18)
        return ax.figure

    def _series(self) -> dict[str, str]:
        return {k: self.m(f"series.{k}") for k in ("current", "target", "median")}

    def profile_table(self) -> HTML:
        frame = assessments_frame(self.assessments, self.lang)
        rows = []
        for a in self.assessments:
            r = frame.loc[a.model.id]
            rows.append({"model": self.model_name(a.model),
                         "score": _num(a.score, 2) if a.score is not None else "–",
                         "level": (f"{a.level} {a.level_name(self.lang)}"
                                   if a.level is not None else "–"),
                         "coverage": f"{a.coverage:.0%}",
                         "cmmm": r["cmmm_equivalent"] if isinstance(r["cmmm_equivalent"], str)
                         else "–",
                         "flags": int(r["flags"])})
        return HTML(render("report_profile.html.j2", m=self.m, rows=rows,
                           notes=self.dimension_notes()))

    def progress_section(self) -> HTML:
        """Heading and table of the change since the baseline round (given ``baseline``)."""
        p = self.progress
        heading = render("report_heading.html.j2", text=progress_heading(p, self.lang),
                         key="progress", page=False)
        return HTML(heading + render(
            "report_progress.html.j2", m=self.m, rows=progress_rows(p, self.lang),
            overall=progress_overall(p, self.lang, self.model_name(p.model))))

    def dimension_notes(self) -> list[str]:
        """One sentence per dimension whose level needs a word: held down by the
        bottom-up rule (gated) or left out as not applicable."""
        out = []
        for a in self.assessments:
            for d in a.to_dict(self.lang)["dimensions"]:
                if d["reason"] == "gated":
                    out.append(self.m("dimension_note.gated", model=self.model_name(a.model),
                                      dimension=d["name"], level=d["level"] or 0,
                                      why=d["reason_text"]))
                elif d["reason"] == "not_applicable":
                    out.append(self.m("dimension_note.not_applicable",
                                      model=self.model_name(a.model), dimension=d["name"]))
        return out

    def plot_profiles(self):
        """Level bars of every assessment (target and, for CMMM, the sector median), one
        panel per model with its own title; returns the matplotlib figure."""
        from matplotlib import pyplot as plt

        lang = plot_lang(self.lang)
        n = len(self.assessments)
        cols = 2 if n > 1 else 1
        rows = (n + cols - 1) // cols
        tall = max(len(a.dimensions) for a in self.assessments)
        height = rows * (0.22 * tall + 1.1)
        fig, axes = plt.subplots(rows, cols, figsize=(11, height), squeeze=False)
        # fixed margins (room for the dimension names left of each panel): a constrained
        # layout would lay every text out several times over
        fig.subplots_adjust(left=0.2, right=0.98, wspace=0.9, top=1 - 0.35 / height,
                            bottom=0.5 / height, hspace=0.9 / (0.22 * tall + 1.1))
        for ax, a in zip(axes.flat, self.assessments, strict=False):
            top = max(lv.value for lv in a.model.levels)
            names = [a.model.dimension(d.id).name(lang) for d in a.dimensions]
            current = [d.level for d in a.dimensions]
            goal = resolve_target(a, self.params.get("target", "next")
                                  if a.model.id == self.roadmap_model else "next")
            target = [goal[d.id] for d in a.dimensions]
            med = self.median_levels if a.model.id == "cmmm" else None
            median = [med.get(d.id, 0.0) for d in a.dimensions] if med else None
            plot_level_bars(names, current, target, median, top, title=self.model_name(a.model),
                            labels=self._series(), axis_label=a.model.level_label(lang),
                            lang=self.lang, ax=ax)
        for ax in list(axes.flat)[n:]:
            ax.set_visible(False)
        return fig

    def profiles_figure(self) -> HTML:
        return self._figure(figure_png(self.plot_profiles()), self.m("figure.profiles"),
                            "profiles")

    def _figure(self, png: bytes, caption: str, cls: str = "") -> HTML:
        return HTML(render("report_figure.html.j2", src=_png_uri(png), caption=caption, cls=cls))

    def sector_position(self) -> HTML:
        """Percentile of the CMMM score among the shipped synthetic population."""
        a = next((x for x in self.assessments if x.model.id == "cmmm"), None)
        if a is None or a.score is None:
            return HTML("")

        sector, peers = _peers(a.answers.enterprise.sector)
        pct = peer_percentile(peers, a.score, sector=sector)
        cfg = _population_config()
        group = (self.m("sector_group", sector=cfg.sectors[sector].name[self.lang])
                 if sector and cfg else self.m("sector_all"))
        n = len(peers)
        text = self.m("sector_text", pct=f"{pct:.0f}%", group=group, n=f"{n:,}")
        return HTML(render("report_sector.html.j2", title=self.m("sector"), text=text))

    def landscape_graph(self, G=None, caption: str | None = None) -> HTML:
        """The landscape: interactive on screen, a static vector picture in print."""
        G = self.G if G is None else G
        fig = landscape_figure(G, lang=self.lang)
        return HTML(render("report_landscape_figure.html.j2", iframe=fig.iframe,
                           svg=_png_uri(fig.svg, "image/svg+xml"), png=_png_uri(fig.png),
                           caption=caption or self.m("figure.before")))

    def landscape_tables(self) -> HTML:
        G, mt = self.G, self.metrics
        islands = [[str(G.nodes[s].get("name", s)) for s in isl] for isl in mt["islands"]]
        spof = [str(G.nodes[s].get("name", s))
                for s in mt["single_points_of_failure"]["systems"]]
        yes, no = self.m("yes"), self.m("no")
        return HTML(render("report_landscape.html.j2", m=self.m, mt=mt, islands=islands,
                           spof=spof, thread=yes if mt["digital_thread"] else no))

    def evidence(self) -> HTML:
        rows = [{"model": self.model_name(a.model), "flag": bool(e.get("flag")),
                 "result": self.m("doubt") if e.get("flag") else self.m("ok"),
                 "message": e.get("message", "")} for a in self.assessments
                for e in a.evidence]
        return HTML(render("report_evidence.html.j2", m=self.m, rows=rows))

    def roadmap_table(self) -> HTML:
        d = self.roadmap.to_dict(self.lang)
        lead = self.m("roadmap_lead", model=self.model_name(self.roadmap.model),
                      strategy=d.get("strategy_name") or self.roadmap.strategy,
                      phases=len(d["phases"]), cost=_money(d["total_cost"]),
                      months=_num(d["total_months"], 0))
        if d.get("islands_before") is not None:
            lead += " " + self.m("islands_now", n=d["islands_before"])
        phases = []
        for p in d["phases"]:
            actions = [{"name": x["name"], "focus": self._focus(x.get("focus")),
                        "cost": _money(x["cost"]), "months": _num(x["duration_months"], 0),
                        "what": x.get("explanation", "")} for x in p["actions"]]
            total = (self.m("phase_total_islands", n=p["islands_after"])
                     if p.get("islands_after") is not None else self.m("phase_total"))
            phases.append({"phase": p["phase"], "actions": actions, "total": total,
                           "cost": f"{_money(p['cost'])} / {_money(p['budget'])}",
                           "months": _num(p["months"], 0)})
        return HTML(render("report_roadmap.html.j2", m=self.m, lead=lead, phases=phases,
                           notes=d.get("explanations") or []))

    def _focus(self, focus: str | None) -> str:
        # the roadmap's own words for its focus values (one place for each fact)
        return msg(f"roadmap.focus.{focus}", self.lang) if focus in _FOCUSES else (focus or "")

    def gantt_figure(self) -> HTML:
        return self._figure(figure_png(self.plot_gantt()), self.m("figure.gantt"), "small")

    def plot_gantt(self):
        """The roadmap's actions over the months, coloured by focus; the figure."""
        lang = plot_lang(self.lang)
        rows, edges, start = [], [], 0.0
        for p, steps in enumerate(self.roadmap.steps):
            for s in steps:
                rows.append((s.action.name(lang), start, s.action.duration_months,
                             s.action.focus))
            start += self.roadmap.phase_duration(p)
            edges.append(start)
        ax = plot_gantt_bars(rows, edges, axis_label=self.m("axis.months"), lang=self.lang,
                             focus_names={f: self._focus(f) for f in _FOCUSES})
        return ax.figure

    def trajectory_figure(self) -> HTML:
        return self._figure(figure_png(self.plot_trajectory()), self.m("figure.trajectory"),
                            "small")

    def plot_trajectory(self):
        """Levels of the dimensions the plan raises after each phase, as steps; the figure."""
        lang = plot_lang(self.lang)
        traj = self.roadmap.trajectory()
        steps = [c for c in traj.columns if c != "target"]
        moving = traj[traj[steps[-1]] > traj[0]]
        if moving.empty:
            moving = traj[traj["target"] > traj[0]]
        model = self.roadmap.model
        series = {model.dimension(str(d)).name(lang): [int(row[s]) for s in steps]
                  for d, row in moving.iterrows()}
        targets = {model.dimension(str(d)).name(lang): int(row["target"])
                   for d, row in moving.iterrows()}
        ticks = [self.m("series.now")] + [self.m("series.phase", phase=s) for s in steps[1:]]
        ax = plot_level_steps(series, targets, ticks, max(lv.value for lv in model.levels),
                              axis_label=self.m("axis.level"),
                              target_label=self.m("series.target"), lang=self.lang)
        return ax.figure

    def landscape_after(self):
        """The landscape after the whole roadmap (:meth:`Roadmap.landscape_at`)."""
        return self.after

    def before_after(self) -> HTML:
        after = landscape_metrics(self.after)
        keys = ["island_count", "vertical_integration", "horizontal_integration",
                "it_ot_convergence", "manual_links", "digital_thread"]
        rows = [{"name": self.m(f"metric.{k}"), "before": self._value(self.metrics[k]),
                 "after": self._value(after[k])} for k in keys]
        return HTML(render("report_before_after.html.j2", m=self.m, rows=rows))

    def _value(self, v: Any) -> str:
        if v is None:
            return "–"
        if isinstance(v, bool):
            return self.m("yes") if v else self.m("no")
        if isinstance(v, float) and 0 <= v <= 1:
            return f"{v:.0%}"
        return str(v)

    def landscape_after_graph(self) -> HTML:
        n = len(self.roadmap.steps)
        return self.landscape_graph(self.after, caption=self.m("figure.after", phase=n))

    def appendix(self) -> HTML:
        blocks = []
        for a in self.assessments:
            m = a.model
            rows = []
            for i, it in enumerate(m.items, 1):
                value = a.answers.answers.get(it.id)
                label = "–"
                if value is not None:
                    opt = next((o for o in m.options(it) if o.value == value), None)
                    label = opt.label(self.lang) if opt else str(value)
                rows.append({"no": i, "question": it.text(self.lang), "answer": label,
                             "comment": a.answers.comments.get(it.id) or ""})
            blocks.append({"title": self.model_name(m), "rows": rows})
        return HTML(render("report_appendix.html.j2", m=self.m, blocks=blocks))


_NEW_PAGE = ("profile", "landscape", "roadmap", "appendix")  # in print, on a new page
_SCORED: dict[str, pd.DataFrame] = {}


def _population_config():
    try:
        from maturity.datasets import population_config
    except ImportError:  # pragma: no cover - moved by a refactoring
        return None
    return population_config()


def _peers(sector: str | None) -> tuple[str | None, pd.DataFrame]:
    """The enterprise's sector as the synthetic population names it (None if it is not one
    of them) and the scored CMMM assessments of its peers there (everyone without a sector).
    Only the peers are scored: a tenth of the population for one sector."""
    from maturity.datasets import load_dataset

    population = load_dataset("synthetic_cmmm_population_2022")
    sector = _match_sector(sector, population["sector"].unique())
    key = sector or ""
    if key not in _SCORED:
        rows = population[population["sector"] == sector] if sector else population
        _SCORED[key] = score_frame(load_model("cmmm"), rows.reset_index(drop=True))
    return sector, _SCORED[key]


def _match_sector(sector: str | None, known) -> str | None:
    """The population sector an enterprise's sector names: its id (``general_machinery``),
    matched after normalising case, spaces and hyphens; None if it is not one of them."""
    if not sector:
        return None
    key = token(sector)
    return next((s for s in known if token(s) == key), None)


def _as_answers(item: str | Path | Answers) -> Answers:
    return item if isinstance(item, Answers) else read_answers(item)


def check_report_inputs(
    answers: list[str | Path | Answers],
    landscape: str | Path | None = None,
    *,
    target: Any = "next",
    budget: float | None = None,
    phases: int = 3,
    strategy: str = "balanced",
    lang: str = "en",
    baseline: str | Path | None = None,
) -> None:
    """Read and validate every input of a report without computing anything (but the
    baseline round's match with its model's answers: same company, earlier date).

    Raises :class:`~value_chain.errors.InputError` listing every problem (file, place,
    reason), so bad input fails here with a clear message, never inside the kernel.

    >>> check_report_inputs([], lang="fr")
    Traceback (most recent call last):
    ...
    value_chain.errors.InputError: ...
    """
    problems = []
    if lang not in LANGS:
        problems.append(Problem("<report>", "lang", f"{lang!r} is not en or zh"))
    if not answers:
        problems.append(Problem("<report>", "answers", "give at least one answers file"))
    if strategy not in load_priority_data().strategies:
        problems.append(Problem("<report>", "strategy", f"{strategy!r} is not one of "
                                f"{sorted(load_priority_data().strategies)}"))
    if isinstance(phases, bool) or not isinstance(phases, int) or phases < 1:
        problems.append(Problem("<report>", "phases", "must be a whole number >= 1"))
    if budget is not None and not budget > 0:
        problems.append(Problem("<report>", "budget", "must be a number > 0"))
    paths = [p for p in [*answers, *([landscape] if landscape else []),
                         *([baseline] if baseline else [])] if not isinstance(p, Answers)]
    if isinstance(target, (str, Path)) and str(target) != "next":
        paths.append(target)
    problems += [Problem(str(p), "", "file not found") for p in paths if not Path(p).is_file()]
    if problems:
        raise InputError(problems)
    for item in answers:
        a = _as_answers(item)
        load_model(a.model, source=a.source or "<answers>", where="model")
    if landscape:
        read_landscape(landscape)
    if isinstance(target, (str, Path)) and str(target) != "next":
        read_target(target)
    if baseline:
        base = read_answers(baseline)
        same = [_as_answers(a) for a in answers if _as_answers(a).model == base.model]
        baseline_progress(base, [score(load_model(a.model), a) for a in same[:1]])


def prepare_report(
    answers: list[str | Path | Answers],
    landscape: str | Path | None = None,
    *,
    target: Any = "next",
    budget: float | None = None,
    phases: int = 3,
    strategy: str = "balanced",
    lang: str = "en",
    roadmap_model: str | None = None,
    generated: str | None = None,
    baseline: str | Path | Answers | None = None,
) -> ReportContext:
    """Score the answers, measure the landscape, plan the roadmap: the report's content.
    With ``baseline`` (an earlier round's answers of one of the models, same company) the
    context also holds the :class:`~maturity.progress.Progress` since then."""
    if lang not in LANGS:
        raise InputError([Problem("<report>", "lang", f"{lang!r} is not en or zh")])
    if not answers:
        raise InputError([Problem("<report>", "answers", "give at least one answers file")])
    G = read_landscape(landscape) if landscape else None
    assessments = []
    for item in answers:
        ans = _as_answers(item)
        a = score(load_model(ans.model, source=ans.source, where="model"), ans)
        if G is not None:
            a = add_evidence(a, G, lang=lang)
        assessments.append(a)
    ids = [a.model.id for a in assessments]
    plan_model = roadmap_model or ("cmmm" if "cmmm" in ids else ids[0])
    ctx = ReportContext(
        lang=lang,
        assessments=assessments,
        G=G,
        metrics=landscape_metrics(G) if G is not None else None,
        roadmap_model=plan_model,
        params={"budget": budget, "phases": phases, "strategy": strategy, "target": target},
        generated=generated or _dt.datetime.now().strftime("%Y-%m-%d %H:%M"),
    )
    if baseline:
        ctx.progress = baseline_progress(baseline, assessments)
    if budget is not None and G is not None:
        ctx.roadmap = plan_roadmap(ctx._plan_assessment(), G, load_catalog(), target=target,
                                   budget_per_phase=budget, phases=phases, strategy=strategy)
    return ctx


# ---- notebook execution and export ---------------------------------------------


def report_notebook_path() -> Path:
    """Path of the report template notebook shipped with the package."""
    with resources.as_file(resources.files("maturity.notebooks") / REPORT_NOTEBOOK) as p:
        return Path(p)


def _inject(nb, params: dict[str, Any]):
    """Insert a cell with the parameters after the ``parameters`` cell (papermill style)."""
    import nbformat

    nb = copy.deepcopy(nb)
    index = next((i for i, c in enumerate(nb.cells)
                  if "parameters" in c.get("metadata", {}).get("tags", [])), None)
    if index is None:
        raise InputError([Problem(REPORT_NOTEBOOK, "", "no cell tagged 'parameters'")])
    source = "# Parameters injected by maturity report\n" + "\n".join(
        f"{k} = {v!r}" for k, v in params.items())
    cell = nbformat.v4.new_code_cell(source)
    cell.id = "injected-parameters"
    cell.metadata["tags"] = ["injected-parameters"]
    nb.cells.insert(index + 1, cell)
    return nb


def _exporter():
    from nbconvert import HTMLExporter

    base = resources.files("maturity") / "templates" / "nbconvert"
    exporter = HTMLExporter(
        extra_template_basedirs=[str(base)],
        template_name="offline",
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        embed_images=True,
    )
    return exporter


def execute_report(
    answers: list[str | Path],
    *,
    landscape: str | Path | None = None,
    target: str = "next",
    budget: float | None = None,
    phases: int = 3,
    strategy: str = "balanced",
    lang: str = "en",
    generated: str | None = None,
    timeout: int = 600,
    baseline: str | Path | None = None,
):
    """Check the inputs, then execute the report notebook once; returns the notebook."""
    import nbformat
    from nbclient import NotebookClient
    from traitlets.config import Config

    check_report_inputs(list(answers), landscape, target=target, budget=budget, phases=phases,
                        strategy=strategy, lang=lang, baseline=baseline)
    params = {
        "answers": [str(Path(p).resolve()) for p in answers],
        "landscape": str(Path(landscape).resolve()) if landscape else None,
        "target": str(Path(target).resolve()) if target != "next" else "next",
        "budget": budget,
        "phases": phases,
        "strategy": strategy,
        "lang": lang,
        "generated": generated or _dt.datetime.now().strftime("%Y-%m-%d %H:%M"),
        "baseline": str(Path(baseline).resolve()) if baseline else None,
    }
    nb = _inject(nbformat.read(report_notebook_path(), as_version=4), params)
    with tempfile.TemporaryDirectory(prefix="mmr") as work:
        # local IPC sockets instead of TCP: nothing listens on the network, and the kernel
        # has no reason to warn about unencrypted TCP on every run
        config = Config()
        config.KernelManager.transport = "ipc"
        config.KernelManager.ip = str(Path(work) / "kernel")
        NotebookClient(nb, timeout=timeout, kernel_name="python3", config=config,
                       resources={"metadata": {"path": work}}).execute()
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])
              if o.get("output_type") == "error"]
    if errors:  # pragma: no cover - a bug in the report, not in the input
        raise RuntimeError(f"the report notebook failed: {errors[0].get('evalue')}")
    for c in nb.cells:  # library warnings and log lines are for developers, not readers
        if c.cell_type == "code":
            c.outputs = [o for o in c.get("outputs", []) if o.get("output_type") != "stream"]
    return nb


def report_html(nb) -> str:
    """The executed report notebook as one offline HTML page."""
    title, name = _cover(nb)
    nb.metadata["title"] = f"{title} — {name}" if name else title  # the page's <title>
    body, _ = _exporter().from_notebook_node(nb)
    return _offline(body)


def build_report(
    answers: list[str | Path],
    output: str | Path,
    *,
    landscape: str | Path | None = None,
    target: str = "next",
    budget: float | None = None,
    phases: int = 3,
    strategy: str = "balanced",
    lang: str = "en",
    generated: str | None = None,
    timeout: int = 600,
    baseline: str | Path | None = None,
) -> Path:
    """Execute the report notebook once with these parameters and write the report.

    The format follows the output's suffix: ``.html`` (one offline file), ``.pdf`` (A4,
    through headless Chromium) or ``.docx`` (Word, headings as heading styles).
    ``baseline`` (an earlier round's answers file, same company and model as one of
    ``answers``) adds the section "Progress since <date>".
    """
    output = Path(output)
    suffix = output.suffix.lower()
    if suffix == ".pdf":
        from maturity.report_pdf import find_chromium

        find_chromium()  # fail before the slow part when there is no browser
    nb = execute_report(answers, landscape=landscape, target=target, budget=budget,
                        phases=phases, strategy=strategy, lang=lang, generated=generated,
                        timeout=timeout, baseline=baseline)
    if suffix == ".docx":
        from maturity.report_docx import notebook_to_docx

        return notebook_to_docx(nb, output, lang=lang)
    page = report_html(nb)
    if suffix == ".pdf":
        from maturity.report_pdf import html_to_pdf

        return html_to_pdf(page, output, header=_enterprise_name(nb))
    atomic_write(output, page)  # all or nothing: a failure keeps the old file
    return output


def _cover(nb) -> tuple[str, str]:
    """The report's title and enterprise name, read from the cover block it displays."""
    import html as _html

    for c in nb.cells:
        for o in c.get("outputs", []):
            markup = o.get("data", {}).get("text/html", "")
            found = re.search(r'data-enterprise="([^"]*)">\s*<h1>([^<]*)</h1>', markup)
            if found:
                return _html.unescape(found.group(2)), _html.unescape(found.group(1))
    return "", ""


def _enterprise_name(nb) -> str:
    return _cover(nb)[1]


def _offline(page: str) -> str:
    """Check the exported page loads nothing from the network (iframes included): its
    markup only, never escaped user text (:func:`maturity.html.check_offline`)."""
    return check_offline(page, "report")
