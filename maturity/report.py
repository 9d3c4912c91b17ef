"""The roadmap report: one offline HTML file built from a parameterised notebook.

``maturity report ANSWERS... [--landscape FILE] [--budget B --phases K --strategy S]
[--lang en|zh] -o report.html`` executes ``notebooks/10_roadmap_report.ipynb``
(shipped in the wheel as ``maturity.notebooks``) with nbclient, the parameters
injected after its ``parameters`` cell (the papermill convention), and exports
it with nbconvert, code hidden, through a template that drops the CDN scripts
of the stock ``lab`` template. The result is checked: no ``http(s)`` resource
anywhere, including inside the graph iframes.

The notebook holds calls only; the sections are built here
(:class:`ReportContext`) from jinja2 templates with autoescape on, so every
enterprise, system and partner name is escaped.
"""

from __future__ import annotations

import copy
import datetime as _dt
import re
import tempfile
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import pandas as pd

from maturity.answers import Answers, read_answers
from maturity.assessment import Assessment, assessments_frame
from maturity.evidence import add_evidence
from maturity.html import check_offline, render
from maturity.reference_model import load_model
from maturity.scoring import score
from value_chain.errors import InputError, Problem
from value_chain.safe_io import atomic_write

__all__ = ["HTML", "ReportContext", "build_report", "prepare_report", "report_notebook_path"]

REPORT_NOTEBOOK = "10_roadmap_report.ipynb"
_REMOTE = re.compile(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", re.I)

TEXT = {
    "en": {
        "title": "Digital maturity and transformation roadmap",
        "summary": "Executive summary",
        "profile": "Maturity profile",
        "landscape": "IT/OT landscape",
        "evidence": "Self-assessment against the evidence",
        "roadmap": "Transformation roadmap",
        "appendix": "Appendix: every answer",
        "generated": "Generated",
        "no_landscape": "No landscape file was given: the landscape sections are left out.",
        "no_roadmap": "No budget was given: the roadmap is left out.",
        "gaps": "The three most important gaps",
        "plan": "The plan",
        "islands": "Information islands",
        "spof": "Single points of failure",
        "before_after": "Landscape before and after the roadmap",
        "sector": "Sector position",
        "synthetic": "among a synthetic population calibrated to the national CMMM level shares "
        "(CESI 2022); synthetic data, for orientation only",
        "consistent": "All checked dimensions are consistent with the landscape.",
    },
    "zh": {
        "title": "数字化成熟度评估与转型路线图",
        "summary": "摘要",
        "profile": "成熟度画像",
        "landscape": "IT/OT 系统架构",
        "evidence": "自评结果与系统证据对照",
        "roadmap": "转型路线图",
        "appendix": "附录：全部答卷",
        "generated": "生成时间",
        "no_landscape": "未提供系统架构文件，相关章节从略。",
        "no_roadmap": "未提供预算，路线图从略。",
        "gaps": "最主要的三项差距",
        "plan": "实施计划",
        "islands": "信息孤岛",
        "spof": "单点故障",
        "before_after": "路线图实施前后的系统架构",
        "sector": "行业位置",
        "synthetic": "对照按全国智能制造能力成熟度等级分布（2022 年报告）校准的合成样本，"
        "仅供参考",
        "consistent": "所检查的维度与系统现状一致。",
    },
}


class HTML:
    """A fragment of HTML that notebooks display as such (``text/html``)."""

    def __init__(self, markup: str):
        self.markup = markup

    def _repr_html_(self) -> str:
        return self.markup

    def __str__(self) -> str:
        return self.markup


@dataclass
class ReportContext:
    """Everything the report shows, computed once from the report's parameters."""

    lang: str
    assessments: list[Assessment]
    G: Any = None
    metrics: dict[str, Any] | None = None
    roadmap: Any = None
    roadmap_model: str | None = None
    params: dict[str, Any] = field(default_factory=dict)
    generated: str = ""

    @property
    def t(self) -> dict[str, str]:
        return TEXT[self.lang]

    @property
    def enterprise(self) -> dict[str, Any]:
        for a in self.assessments:
            data = a.answers.enterprise.model_dump(exclude_none=True)
            if data:
                return data
        if self.G is not None:
            return dict(self.G.graph.get("enterprise", {}))
        return {}

    # ---- sections ------------------------------------------------------------
    def heading(self, key: str) -> HTML:
        return HTML(render("report_heading.html.j2", text=self.t[key], key=key))

    def title(self) -> HTML:
        return HTML(render("report_title.html.j2", t=self.t, enterprise=self.enterprise,
                           generated=self.generated))

    def summary(self) -> HTML:
        sentences = [self._sentence(a) for a in self.assessments]
        gaps = self.top_gaps()
        plan = None
        if self.roadmap is not None:
            d = self.roadmap.to_dict()
            plan = {"total_cost": d["total_cost"], "phases": len(d["phases"]),
                    "months": d.get("total_months"), "actions": sum(len(p["actions"])
                                                                    for p in d["phases"])}
        flags = [e["message"] for a in self.assessments for e in a.evidence if e["flag"]]
        return HTML(render("report_summary.html.j2", t=self.t, lang=self.lang,
                           sentences=sentences, gaps=gaps, plan=plan, flags=flags[:3]))

    def _sentence(self, a: Assessment) -> str:
        m, lang = a.model, self.lang
        name = m.title(lang)
        if a.score is None:
            return f"{name}: —"
        if a.level is None:
            return (f"{name}: mean {m.level_label(lang)} {a.score:.2f} of "
                    f"{max(lv.value for lv in m.levels)}." if lang == "en" else
                    f"{name}：平均{m.level_label(lang)} {a.score:.2f}（满分 "
                    f"{max(lv.value for lv in m.levels)}）。")
        if lang == "en":
            return (f"{name}: {m.level_label(lang)} {a.level} ({a.level_name(lang)}), "
                    f"score {a.score:.2f}, {a.coverage:.0%} of the questions answered.")
        return (f"{name}：{m.level_label(lang)} {a.level}（{a.level_name(lang)}），得分 "
                f"{a.score:.2f}，答题覆盖率 {a.coverage:.0%}。")

    def top_gaps(self, n: int = 3) -> list[dict[str, Any]]:
        """The largest gaps of the roadmap model (target = next level where none is set)."""
        a = self._plan_assessment()
        if a is None:
            return []
        supported = {e["dimension"]: e["supported"] for e in a.evidence
                     if e["flag"] and e["dimension"]}
        rows = []
        top = max(lv.value for lv in a.model.levels)
        for d in a.dimensions:
            if d.level is None:
                continue
            current = min(d.level, supported.get(d.id, d.level))
            target = d.target if d.target is not None else min(current + 1, top)
            rows.append({"name": a.model.dimension(d.id).name(self.lang),
                         "current": current, "target": target, "gap": target - current,
                         "score": d.score})
        rows.sort(key=lambda r: (-r["gap"], r["score"] if r["score"] is not None else 0))
        return rows[:n]

    def _plan_assessment(self) -> Assessment | None:
        for a in self.assessments:
            if a.model.id == self.roadmap_model:
                return a
        return self.assessments[0] if self.assessments else None

    def profile_table(self) -> HTML:
        frame = assessments_frame(self.assessments, self.lang).reset_index()
        frame = frame.astype(object).where(frame.notna(), None)
        return HTML(render("report_profile.html.j2", rows=frame.to_dict("records"),
                           lang=self.lang))

    def plot_profiles(self):
        """One bar profile per assessment, in a grid; returns the matplotlib figure."""
        from matplotlib import pyplot as plt

        n = len(self.assessments)
        cols = 2 if n > 1 else 1
        rows = (n + cols - 1) // cols
        heights = [0.3 * max(len(a.dimensions) for a in self.assessments) + 1.2] * rows
        fig, axes = plt.subplots(rows, cols, figsize=(12, sum(heights)), squeeze=False)
        for ax, a in zip(axes.flat, self.assessments, strict=False):
            a.plot_profile(ax, lang=self.lang)
        for ax in list(axes.flat)[n:]:
            ax.set_visible(False)
        fig.tight_layout()
        return fig

    def sector_position(self) -> HTML:
        """Percentile of the CMMM score among the shipped synthetic population."""
        a = next((x for x in self.assessments if x.model.id == "cmmm"), None)
        if a is None or a.score is None:
            return HTML("")
        from maturity.compare import peer_percentile

        scored = _synthetic_scored()
        sector = _match_sector(a.answers.enterprise.sector, scored["sector"].unique())
        pct = peer_percentile(scored, a.score, sector=sector)
        from maturity.datasets import population_config

        name = population_config().sectors[sector].name[self.lang] if sector else None
        n = int((scored["sector"] == sector).sum()) if sector else len(scored)
        return HTML(render("report_sector.html.j2", t=self.t, lang=self.lang, pct=pct,
                           sector=name, n=n))

    def landscape_graph(self, G=None) -> Any:
        from value_chain import show_landscape

        return show_landscape(self.G if G is None else G, height="560px")

    def landscape_tables(self) -> HTML:
        G, m = self.G, self.metrics
        islands = [[str(G.nodes[s].get("name", s)) for s in isl] for isl in m["islands"]]
        spof = [str(G.nodes[s].get("name", s)) for s in m["single_points_of_failure"]["systems"]]
        return HTML(render("report_landscape.html.j2", t=self.t, lang=self.lang, m=m,
                           islands=islands, spof=spof))

    def evidence(self) -> HTML:
        rows = [{"model": a.model.title(self.lang), **e} for a in self.assessments
                for e in a.evidence]
        return HTML(render("report_evidence.html.j2", t=self.t, rows=rows))

    def roadmap_table(self) -> HTML:
        return HTML(self.roadmap.to_html(self.lang))

    def landscape_after(self):
        from maturity.actions import load_catalog
        from maturity.roadmap import apply_actions

        catalog = load_catalog()
        ids = [x["id"] for p in self.roadmap.to_dict()["phases"] for x in p["actions"]]
        return apply_actions(self.G, [catalog.action(i) for i in ids])

    def before_after(self) -> HTML:
        from value_chain import landscape_metrics

        after = landscape_metrics(self.landscape_after())
        keys = ["island_count", "vertical_integration", "horizontal_integration",
                "it_ot_convergence", "manual_links", "digital_thread"]
        return HTML(render("report_before_after.html.j2", t=self.t, keys=keys,
                           before=self.metrics, after=after))

    def appendix(self) -> HTML:
        blocks = []
        for a in self.assessments:
            m = a.model
            rows = []
            for it in m.items:
                value = a.answers.answers.get(it.id)
                label = None
                if value is not None:
                    opt = next(o for o in m.options(it) if o.value == value)
                    label = opt.label(self.lang)
                rows.append({"id": it.id, "question": it.text(self.lang), "answer": label,
                             "comment": a.answers.comments.get(it.id)})
            blocks.append({"title": m.title(self.lang), "rows": rows})
        return HTML(render("report_appendix.html.j2", t=self.t, blocks=blocks))


_SCORED: dict[str, pd.DataFrame] = {}


def _synthetic_scored() -> pd.DataFrame:
    if "cmmm" not in _SCORED:
        from maturity.datasets import load_dataset
        from maturity.scoring import score_frame

        population = load_dataset("synthetic_cmmm_population_2022")
        _SCORED["cmmm"] = score_frame(load_model("cmmm"), population)
    return _SCORED["cmmm"]


def _match_sector(sector: str | None, known) -> str | None:
    """The population sector an enterprise's sector names: its id (``general_machinery``),
    matched after normalising case, spaces and hyphens; None if it is not one of them."""
    if not sector:
        return None
    key = sector.strip().lower().replace(" ", "_").replace("-", "_")
    return next((s for s in known if str(s).lower() == key), None)


def _as_answers(item: str | Path | Answers) -> Answers:
    return item if isinstance(item, Answers) else read_answers(item)


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
) -> ReportContext:
    """Score the answers, measure the landscape, plan the roadmap: the report's content."""
    from value_chain import landscape_metrics, read_landscape

    if lang not in TEXT:
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
    if budget is not None and G is not None:
        from maturity.actions import load_catalog
        from maturity.roadmap import plan_roadmap

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
) -> Path:
    """Execute the report notebook with these parameters and export one offline HTML file."""
    import nbformat
    from nbclient import NotebookClient

    for path in [*answers, *([landscape] if landscape else [])]:
        if not Path(path).is_file():
            raise InputError([Problem(str(path), "", "file not found")])
    # read everything once here, so that bad input fails with a clear message, not in a kernel
    prepare_report(list(answers), landscape, target=target, budget=budget, phases=phases,
                   strategy=strategy, lang=lang)
    params = {
        "answers": [str(Path(p).resolve()) for p in answers],
        "landscape": str(Path(landscape).resolve()) if landscape else None,
        "target": target,
        "budget": budget,
        "phases": phases,
        "strategy": strategy,
        "lang": lang,
        "generated": generated or _dt.datetime.now().strftime("%Y-%m-%d %H:%M"),
    }
    nb = _inject(nbformat.read(report_notebook_path(), as_version=4), params)
    with tempfile.TemporaryDirectory() as work:
        NotebookClient(nb, timeout=timeout, kernel_name="python3",
                       resources={"metadata": {"path": work}}).execute()
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])
              if o.get("output_type") == "error"]
    if errors:  # pragma: no cover - a bug in the report, not in the input
        raise RuntimeError(f"the report notebook failed: {errors[0].get('evalue')}")
    body, _ = _exporter().from_notebook_node(nb)
    body = _offline(body)
    output = Path(output)
    atomic_write(output, body)  # all or nothing: a failure keeps the old file
    return output


def _offline(page: str) -> str:
    """Check the exported page loads nothing from the network (iframes included): its
    markup only, never escaped user text (:func:`maturity.html.check_offline`)."""
    return check_offline(page, "report")
