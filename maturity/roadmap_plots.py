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
    """Levels of the dimensions the plan raises after each phase, as steps at their whole
    levels (no vertical offset: a level 3 is drawn at 3.0); dimensions that share a level
    are told apart by their marker and line style and by a small sideways shift of their
    points (each target is a hollow marker of its colour at the right). Returns
    the axes.

    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from maturity import load_model, score, plan_roadmap
    >>> r = plan_roadmap(score(load_model("cmmm"), {}), None, budget_per_phase=500_000,
    ...                  phases=2)
    >>> ax = plot_trajectory(r)
    >>> all(float(y).is_integer() for line in ax.lines for y in line.get_ydata())
    True
    """
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
        width = min(0.3, 0.08 * max(n - 1, 0))  # the sideways spread of the points
        for i, (dim, row) in enumerate(moving.iterrows()):
            dodge = (i / (n - 1) - 0.5) * width if n > 1 else 0.0
            levels = [int(row[s]) for s in steps]
            line, = ax.step([s + dodge for s in steps], levels, where="post",
                            marker=_MARKERS[i % len(_MARKERS)], ms=5,
                            ls=_STYLES[(i // len(_MARKERS)) % len(_STYLES)], lw=1.6,
                            alpha=0.9, label=r.model.dimension(str(dim)).name(lang))
            ax.plot([steps[-1] + 0.25 + dodge], [int(row["target"])],
                    marker=_MARKERS[i % len(_MARKERS)], ms=7, mfc="none", ls="none",
                    color=line.get_color())
        top = max(lv.value for lv in r.model.levels)
        ax.set_ylim(-0.3, top + 0.3)
        ax.set_yticks(range(0, top + 1))
        ax.grid(axis="y", color="#e6e6e6", lw=0.6, zorder=0)
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


_MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*")  # one per dimension drawn
_STYLES = ("-", "--", ":")  # then the line style changes
