"""The report's figures: the summary's radar, the profiles, the Gantt chart and the levels
after each phase, drawn from a :class:`~maturity.report_context.ReportContext` (matplotlib
figures; the ``*_figure`` functions wrap them as captioned HTML). Each is also a method of
the context (``ctx.plot_radar()``...), which the report notebook calls.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from matplotlib import pyplot as plt

from maturity.html import render
from maturity.plotting import (
    figure_png,
    plot_gantt_bars,
    plot_lang,
    plot_level_bars,
    plot_level_radar,
    plot_level_steps,
)
from maturity.priorities import resolve_target
from maturity.report_views import HTML, focus_name, png_uri
from value_chain.vocabulary import FOCUSES as _FOCUSES

if TYPE_CHECKING:
    from maturity.report_context import ReportContext

__all__ = ["gantt_figure", "plot_gantt", "plot_profiles", "plot_radar", "plot_trajectory",
           "profiles_figure", "trajectory_figure"]


def plot_radar(ctx: ReportContext):
    """The main model's levels per dimension: current, target and sector median (the
    summary's picture); the matplotlib figure, or None without a result."""
    a = ctx._plan_assessment()
    if a is None or a.score is None:
        return None
    table = ctx.priority_table
    dims = [d for d in a.dimensions]
    names = [a.model.dimension(d.id).name(plot_lang(ctx.lang)) for d in dims]
    current = [int(table.loc[d.id, "current"]) for d in dims]
    target = [int(table.loc[d.id, "target"]) for d in dims]
    med = ctx.median_levels
    median = [med.get(d.id, 0.0) for d in dims] if med else None
    ax = plot_level_radar(names, current, target, median,
                          max(lv.value for lv in a.model.levels),
                          labels=_series(ctx), lang=ctx.lang)
    ax.set_title(ctx.model_name(a.model), fontsize=9, pad=18)
    return ax.figure


def _series(ctx: ReportContext) -> dict[str, str]:
    return {k: ctx.m(f"series.{k}") for k in ("current", "target", "median")}


def plot_profiles(ctx: ReportContext):
    """Level bars of every assessment (target and, for CMMM, the sector median), one
    panel per model with its own title; returns the matplotlib figure."""
    lang = plot_lang(ctx.lang)
    n = len(ctx.assessments)
    cols = 2 if n > 1 else 1
    rows = (n + cols - 1) // cols
    tall = max(len(a.dimensions) for a in ctx.assessments)
    height = rows * (0.22 * tall + 1.1)
    fig, axes = plt.subplots(rows, cols, figsize=(11, height), squeeze=False)
    # fixed margins (room for the dimension names left of each panel): a constrained
    # layout would lay every text out several times over
    fig.subplots_adjust(left=0.2, right=0.98, wspace=0.9, top=1 - 0.35 / height,
                        bottom=0.5 / height, hspace=0.9 / (0.22 * tall + 1.1))
    for ax, a in zip(axes.flat, ctx.assessments, strict=False):
        top = max(lv.value for lv in a.model.levels)
        names = [a.model.dimension(d.id).name(lang) for d in a.dimensions]
        current = [d.level for d in a.dimensions]
        goal = resolve_target(a, ctx.params.get("target", "next")
                              if a.model.id == ctx.roadmap_model else "next")
        target = [goal[d.id] for d in a.dimensions]
        med = ctx.median_levels if a.model.id == "cmmm" else None
        median = [med.get(d.id, 0.0) for d in a.dimensions] if med else None
        plot_level_bars(names, current, target, median, top, title=ctx.model_name(a.model),
                        labels=_series(ctx), axis_label=a.model.level_label(lang),
                        lang=ctx.lang, ax=ax)
    for ax in list(axes.flat)[n:]:
        ax.set_visible(False)
    return fig


def profiles_figure(ctx: ReportContext) -> HTML:
    return _figure(figure_png(plot_profiles(ctx)), ctx.m("figure.profiles"), "profiles")


def _figure(png: bytes, caption: str, cls: str = "") -> HTML:
    return HTML(render("report_figure.html.j2", src=png_uri(png), caption=caption, cls=cls))


def gantt_figure(ctx: ReportContext) -> HTML:
    return _figure(figure_png(plot_gantt(ctx)), ctx.m("figure.gantt"), "small")


def plot_gantt(ctx: ReportContext):
    """The roadmap's actions over the months, coloured by focus; the figure."""
    lang = plot_lang(ctx.lang)
    rows, edges, start = [], [], 0.0
    for p, steps in enumerate(ctx.roadmap.steps):
        for s in steps:
            rows.append((s.action.name(lang), start, s.action.duration_months,
                         s.action.focus))
        start += ctx.roadmap.phase_duration(p)
        edges.append(start)
    ax = plot_gantt_bars(rows, edges, axis_label=ctx.m("axis.months"), lang=ctx.lang,
                         focus_names={f: focus_name(ctx, f) for f in _FOCUSES})
    return ax.figure


def trajectory_figure(ctx: ReportContext) -> HTML:
    return _figure(figure_png(plot_trajectory(ctx)), ctx.m("figure.trajectory"), "small")


def plot_trajectory(ctx: ReportContext):
    """Levels of the dimensions the plan raises after each phase, as steps; the figure."""
    lang = plot_lang(ctx.lang)
    traj = ctx.roadmap.trajectory()
    steps = [c for c in traj.columns if c != "target"]
    moving = traj[traj[steps[-1]] > traj[0]]
    if moving.empty:
        moving = traj[traj["target"] > traj[0]]
    model = ctx.roadmap.model
    series = {model.dimension(str(d)).name(lang): [int(row[s]) for s in steps]
              for d, row in moving.iterrows()}
    targets = {model.dimension(str(d)).name(lang): int(row["target"])
               for d, row in moving.iterrows()}
    ticks = [ctx.m("series.now")] + [ctx.m("series.phase", phase=s) for s in steps[1:]]
    ax = plot_level_steps(series, targets, ticks, max(lv.value for lv in model.levels),
                          axis_label=ctx.m("axis.level"),
                          target_label=ctx.m("series.target"), lang=ctx.lang)
    return ax.figure
