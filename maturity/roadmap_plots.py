"""Pictures of a roadmap: a Gantt chart of its steps and the levels after each phase.

Both take a :class:`maturity.roadmap.Roadmap` and return matplotlib axes; labels come
from the message catalogue in the language asked for (``Roadmap.plot_gantt`` and
``Roadmap.plot_trajectory`` call these).

Examples
--------
>>> import matplotlib
>>> matplotlib.use("Agg")
>>> from maturity import load_model, score, plan_roadmap
>>> from maturity.actions import load_catalog
>>> a = score(load_model("cmmm"), {})
>>> ax = plot_gantt(plan_roadmap(a, None, budget_per_phase=500_000, phases=1))
>>> ax.get_xlabel()
'months'
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from maturity.messages import msg
from maturity.plotting import FOCUS_COLOURS, figure_style, own_fonts, plot_lang

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from maturity.roadmap_record import Roadmap

__all__ = ["plot_gantt", "plot_trajectory"]


def plot_gantt(r: Roadmap, ax: Axes | None = None, *, lang: str = "en") -> Axes:
    """Bars of the steps over the months, coloured by focus; returns the axes."""
    from matplotlib import pyplot as plt

    lang = plot_lang(lang)
    rows = []
    start = 0.0
    for p, steps in enumerate(r.steps):
        for s in steps:
            rows.append((s.action.name(lang), start, s.action.duration_months, s.action.focus))
        start += r.phase_duration(p)
    with figure_style(lang):
        if ax is None:
            _, ax = plt.subplots(figsize=(9, 0.35 * max(len(rows), 1) + 1.5))
        for i, (_, left, width, focus) in enumerate(rows):
            ax.barh(i, width, left=left, color=FOCUS_COLOURS.get(focus, "#999999"))
        ax.set_yticks(range(len(rows)), [row[0] for row in rows], fontsize=8)
        ax.invert_yaxis()
        edge = 0.0
        for p in range(len(r.steps)):
            edge += r.phase_duration(p)
            ax.axvline(edge, color="#cccccc", lw=0.8, zorder=0)
        handles = [plt.Rectangle((0, 0), 1, 1, color=c) for c in FOCUS_COLOURS.values()]
        ax.legend(handles, [msg(f"roadmap.focus.{f}", lang) for f in FOCUS_COLOURS],
                  fontsize=7, loc="lower right")
        ax.set_xlabel(msg("roadmap.plot.months", lang))
        name = r.strategy_name(lang) if r.strategy_name else r.strategy
        ax.set_title(msg("roadmap.plot.title", lang, strategy=name), fontsize=10)
        own_fonts(ax)
    return ax


def plot_trajectory(r: Roadmap, ax: Axes | None = None, *, lang: str = "en") -> Axes:
    """Levels of the dimensions the plan raises after each phase (targets as ticks at the
    right); returns the axes."""
    from matplotlib import pyplot as plt

    lang = plot_lang(lang)
    traj = r.trajectory()
    steps = [c for c in traj.columns if c != "target"]
    moving = traj[traj[steps[-1]] > traj[0]]  # the dimensions the plan raises
    if moving.empty:
        moving = traj[traj["target"] > traj[0]]
    with figure_style(lang):
        if ax is None:
            _, ax = plt.subplots(figsize=(7, 4))
        n = len(moving)
        for i, (dim, row) in enumerate(moving.iterrows()):
            off = (i - (n - 1) / 2) * min(0.06, 0.5 / max(n, 1))  # keep lines apart
            line, = ax.plot(steps, [row[s] + off for s in steps], marker="o",
                            label=r.model.dimension(str(dim)).name(lang))
            ax.scatter([steps[-1] + 0.15], [row["target"] + off], marker="_", s=120,
                       color=line.get_color())
        top = max(lv.value for lv in r.model.levels)
        ax.set_yticks(range(0, top + 1))
        ax.set_xticks(steps, [msg("roadmap.plot.now", lang)] + [
            msg("roadmap.plot.phase", lang, phase=s) for s in steps[1:]])
        ax.set_ylabel(r.model.level_label(lang))
        if len(moving):
            ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.0, 1.0))
        title = msg("roadmap.plot.levels", lang)
        if r.landscape_before is not None:
            isl = [r.landscape_before["island_count"]] + [
                x["island_count"] for x in r.landscape_after]
            title += msg("roadmap.plot.islands", lang, path=" → ".join(map(str, isl)))
        ax.set_title(title, fontsize=10)
        own_fonts(ax)
    return ax
