"""Shared plotting helpers: a Chinese-capable font, or a clean fall-back to English.

Figures must never show "tofu" boxes. When Chinese labels are asked for and
no CJK font is installed (``apt-get install fonts-wqy-microhei`` or
``fonts-noto-cjk`` gives one), :func:`plot_lang` answers ``"en"`` so the
figure is drawn with English labels instead.

Examples
--------
>>> plot_lang("en")
'en'
>>> plot_lang("zh") in {"zh", "en"}
True
"""

from __future__ import annotations

import contextlib
import io
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache

import numpy as np
from matplotlib import font_manager
from matplotlib import pyplot as plt
from matplotlib.axes import Axes
from matplotlib.text import Text

__all__ = ["cjk_font", "figure_png", "figure_style", "own_fonts", "plot_gantt_bars", "plot_lang",
           "plot_level_bars", "plot_level_radar", "plot_level_steps"]

_CJK_FAMILIES = (
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "Source Han Sans SC",
    "WenQuanYi Micro Hei",
    "WenQuanYi Zen Hei",
    "Microsoft YaHei",
    "SimHei",
    "PingFang SC",
    "Heiti SC",
    "Noto Sans CJK JP",
)


@cache
def cjk_font() -> str | None:
    """Name of an installed font family that draws Chinese, or None."""
    found = _first_cjk()
    if found is None:
        # matplotlib's font cache may predate a font installed later (e.g. by apt):
        # register the system's CJK font files and look again
        for path in font_manager.findSystemFonts():
            if any(k in path.lower() for k in ("wqy", "cjk", "sourcehan", "simhei", "msyh")):
                with contextlib.suppress(Exception):
                    font_manager.fontManager.addfont(path)
        found = _first_cjk()
    return found


def _first_cjk() -> str | None:
    names = {f.name for f in font_manager.fontManager.ttflist}
    return next((family for family in _CJK_FAMILIES if family in names), None)


def plot_lang(lang: str) -> str:
    """The language a figure can be labelled in: ``lang``, or ``"en"`` without a CJK font."""
    return "zh" if lang == "zh" and cjk_font() else "en"


@contextmanager
def figure_style(lang: str = "en") -> Iterator[None]:
    """Matplotlib settings for our figures; puts the CJK font first when drawing Chinese."""
    rc: dict = {"axes.spines.top": False, "axes.spines.right": False}
    font = cjk_font()
    if font and plot_lang(lang) == "zh":
        # Text is matched to a font when the figure is drawn, which may happen after this
        # context (inline display, savefig), and tick labels are only made then. Matplotlib
        # falls back glyph by glyph only between families named in font.family, so: the CJK
        # font first for our texts, and behind the user's font in the global list for ticks.
        family = plt.rcParams["font.family"]
        if font not in family:
            base = font_manager.get_font(
                font_manager.findfont(font_manager.FontProperties(family=family))
            ).family_name
            plt.rcParams["font.family"] = [base, font]
        rc["font.family"] = [font, plt.rcParams["font.family"][0]]
        rc["axes.unicode_minus"] = False
    with plt.rc_context(rc):
        yield


def own_fonts(ax: Axes) -> None:
    """Give every non-ASCII text of ``ax`` the current font family.

    Texts keep the fonts of the moment they were created; an ``ax`` made
    before :func:`figure_style` (e.g. by ``plt.subplots`` in a notebook) would
    otherwise draw Chinese labels with a Latin-only font. Call it inside
    :func:`figure_style`, after drawing.
    """
    family = plt.rcParams["font.family"]
    ax.tick_params(axis="both", which="both", labelfontfamily=family)
    for text in ax.findobj(Text):
        if not text.get_text().isascii():
            text.set_fontfamily(family)
    legend = ax.get_legend()
    if legend is not None:
        for text in [legend.get_title(), *legend.get_texts()]:
            text.set_fontfamily(family)


# ---- figures of the report ------------------------------------------------------------

_CURRENT, _TARGET, _MEDIAN = "#2f5d8a", "#c44e52", "#55a868"
FOCUS_COLOURS = {"foundation": "#8172B3", "production": "#4C72B0", "product": "#55A868",
                 "business_model": "#DD8452"}


def figure_png(fig, dpi: int = 110) -> bytes:
    """The figure as PNG bytes (white background); closes it."""

    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, bbox_inches="tight", facecolor="white",
                pil_kwargs={"compress_level": 3})  # level 6 (the default) is 3x slower
    plt.close(fig)
    return buf.getvalue()


def plot_level_radar(names: list[str], current: list[float], target: list[float] | None,
                     median: list[float] | None, top: int, *, labels: dict[str, str],
                     lang: str = "en", ax: Axes | None = None) -> Axes:
    """Radar of integer levels per dimension: current (filled), target and a peer median.

    ``labels`` names the series (``current``, ``target``, ``median``) in the figure's
    language; returns the polar axes.

    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> ax = plot_level_radar(["a", "b", "c"], [1, 2, 1], [2, 2, 2], None, 5,
    ...                       labels={"current": "now", "target": "goal", "median": "m"})
    >>> [t.get_text() for t in ax.get_legend().get_texts()]
    ['now', 'goal']
    """

    n = len(names)
    angles = np.linspace(0, 2 * np.pi, n, endpoint=False).tolist()

    def closed(values):
        return [*values, values[0]], [*angles, angles[0]]

    with figure_style(lang):
        if ax is None:
            fig = plt.figure(figsize=(5.2, 4.6))
            ax = fig.add_subplot(projection="polar")
        ax.set_theta_offset(np.pi / 2)
        ax.set_theta_direction(-1)
        values, theta = closed(list(current))
        ax.plot(theta, values, color=_CURRENT, lw=2, label=labels["current"])
        ax.fill(theta, values, color=_CURRENT, alpha=0.25)
        if target is not None:
            values, theta = closed(list(target))
            ax.plot(theta, values, color=_TARGET, lw=1.5, ls="--", label=labels["target"])
        if median is not None:
            values, theta = closed(list(median))
            ax.plot(theta, values, color=_MEDIAN, lw=1.6, ls="-.", label=labels["median"])
        ax.set_ylim(0, top)
        ax.set_yticks(range(1, top + 1), [str(v) for v in range(1, top + 1)], fontsize=7,
                      color="#666666")
        ax.set_xticks(angles, names, fontsize=8)
        ax.legend(loc="upper left", bbox_to_anchor=(-0.35, 1.12), fontsize=8, frameon=False)
        own_fonts(ax)
    return ax


def plot_level_bars(names: list[str], current: list[float | None], target: list[float] | None,
                    median: list[float] | None, top: int, *, title: str,
                    labels: dict[str, str], axis_label: str, lang: str = "en",
                    ax: Axes | None = None) -> Axes:
    """Horizontal bars of integer levels per dimension with target and median ticks.

    Levels are drawn as whole bars on an integer axis (never offset); unanswered
    dimensions are left empty.  Returns the axes.

    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> ax = plot_level_bars(["a", "b"], [1, None], [2, 2], None, 5, title="T",
    ...                      labels={"current": "now", "target": "goal", "median": "m"},
    ...                      axis_label="level")
    >>> [float(p.get_width()) for p in ax.patches]
    [1.0, 0.0]
    """
    with figure_style(lang):
        if ax is None:
            _, ax = plt.subplots(figsize=(6, 0.32 * len(names) + 1.0))
        y = list(range(len(names)))
        ax.barh(y, [float(c or 0) for c in current], color=_CURRENT, height=0.6,
                label=labels["current"])
        if target is not None:
            ax.scatter(target, y, marker="|", s=120, lw=2.2, color=_TARGET, zorder=3,
                       label=labels["target"])
        if median is not None:
            ax.scatter(median, y, marker="D", s=22, color=_MEDIAN, zorder=4,
                       label=labels["median"])
        ax.set_yticks(y, names, fontsize=8)
        ax.invert_yaxis()
        ax.set_xlim(0, top + 0.3)
        ax.set_xticks(range(0, top + 1))
        ax.set_xlabel(axis_label, fontsize=8)
        ax.set_title(title, fontsize=9, loc="left")
        ax.legend(fontsize=7, loc="lower right", frameon=False)
        own_fonts(ax)
    return ax


def plot_gantt_bars(rows: list[tuple[str, float, float, str]], edges: list[float], *,
                    focus_names: dict[str, str], axis_label: str, lang: str = "en",
                    ax: Axes | None = None) -> Axes:
    """Gantt bars ``(label, start, months, focus)`` with phase edges; returns the axes.

    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> ax = plot_gantt_bars([("a", 0, 3, "production")], [3], axis_label="months",
    ...                      focus_names={"production": "production"})
    >>> float(ax.patches[0].get_width())
    3.0
    """
    with figure_style(lang):
        if ax is None:
            _, ax = plt.subplots(figsize=(9, 0.3 * max(len(rows), 1) + 1.3))
        for i, (_, left, width, focus) in enumerate(rows):
            ax.barh(i, width, left=left, color=FOCUS_COLOURS.get(focus, "#999999"), height=0.6)
        ax.set_yticks(range(len(rows)), [r[0] for r in rows], fontsize=8)
        ax.invert_yaxis()
        for edge in edges:
            ax.axvline(edge, color="#bbbbbb", lw=0.8, zorder=0)
        used = [f for f in FOCUS_COLOURS if any(r[3] == f for r in rows)]
        handles = [plt.Rectangle((0, 0), 1, 1, color=FOCUS_COLOURS[f]) for f in used]
        ax.legend(handles, [focus_names.get(f, f) for f in used], fontsize=7,
                  loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False)
        ax.set_xlabel(axis_label, fontsize=8)
        own_fonts(ax)
    return ax


def plot_level_steps(series: dict[str, list[int]], targets: dict[str, int], ticks: list[str],
                     top: int, *, axis_label: str, target_label: str, lang: str = "en",
                     ax: Axes | None = None) -> Axes:
    """Levels after each phase as steps, one small panel row per dimension, so whole
    levels read as whole levels; the target is a dashed line.  Returns the last axes.

    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> ax = plot_level_steps({"a": [1, 2, 2]}, {"a": 3}, ["now", "1", "2"], 5,
    ...                       axis_label="level", target_label="target")
    >>> [float(v) for v in ax.lines[0].get_ydata()]
    [1.0, 2.0, 2.0]
    """
    n = max(len(series), 1)
    with figure_style(lang):
        if ax is None:
            _fig, axes = plt.subplots(n, 1, figsize=(7, 0.55 * n + 0.9), sharex=True,
                                     squeeze=False)
            axes = list(axes.flat)
        else:
            axes = [ax]
        x = list(range(len(ticks)))
        for a, (name, values) in zip(axes, series.items(), strict=False):
            a.step(x, values, where="post", color=_CURRENT, lw=2, marker="o", ms=4)
            if name in targets:
                a.axhline(targets[name], color=_TARGET, ls="--", lw=1)
            a.set_ylim(-0.3, top + 0.3)
            a.set_yticks([0, top], [str(0), str(top)], fontsize=6)
            a.set_ylabel(name, rotation=0, ha="right", va="center", fontsize=8)
            a.spines["top"].set_visible(False)
            a.spines["right"].set_visible(False)
            for i, v in zip(x, values, strict=False):
                a.annotate(str(v), (i, v), xytext=(3, 3), textcoords="offset points",
                           fontsize=7)
            own_fonts(a)
        last = axes[-1]
        last.set_xticks(x, ticks, fontsize=8)
        if len(axes) > 1 or ax is None:
            axes[0].plot([], [], color=_TARGET, ls="--", lw=1, label=target_label)
            axes[0].legend(fontsize=7, loc="lower right", bbox_to_anchor=(1.0, 1.0),
                           frameon=False)
            own_fonts(axes[0])
    return last
