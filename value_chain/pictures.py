"""Pictures of a landscape: an interactive offline HTML graph and a static diagram.

Both draw the ISA-95 levels as horizontal layers (level 4 on top, partners in a
layer of their own above), colour systems by information island, give IT and
OT systems different shapes and dash the manual links.

This module draws the static diagram (matplotlib, for print and Word) and the
report's figure; the interactive graph (pyvis, offline, in a sandboxed iframe) is
:mod:`value_chain.graph_page` and where things go is :mod:`value_chain.picture_layout`.
Every earlier name stays importable from here.
"""


from __future__ import annotations

import io
from collections.abc import Hashable
from dataclasses import dataclass
from typing import Any

import networkx as nx

from value_chain.graph_page import (  # the interactive graph, re-exported here
    LandscapeView,
    _iframe,
    landscape_html,
    landscape_iframe,
    show_landscape,
)
from value_chain.messages import msg
from value_chain.metrics import AUTOMATIC_MODES, landscape_metrics
from value_chain.picture_layout import (  # where things go, re-exported here
    LABEL_PX,
    LANE_PX,
    LEVEL_NAMES,
    MODE_COLOURS,
    PALETTE,
    PARTNER_COLOUR,
    PARTNER_LANE,
    PER_ROW,
    ROW_PX,
    SINGLE_COLOUR,
    SLOT_PX,
    _auto_height,
    _colour,
    _drawn,
    _lane_name,
    _layout,
    label_boxes,
    text_width,
    wrap_label,
)

__all__ = [
    "LABEL_PX",
    "LANE_PX",
    "LEVEL_NAMES",
    "MODE_COLOURS",
    "PALETTE",
    "PARTNER_COLOUR",
    "PARTNER_LANE",
    "PER_ROW",
    "ROW_PX",
    "SINGLE_COLOUR",
    "SLOT_PX",
    "LandscapeFigure",
    "LandscapeView",
    "label_boxes",
    "landscape_figure",
    "landscape_html",
    "landscape_iframe",
    "plot_landscape",
    "show_landscape",
    "text_width",
    "wrap_label",
]


def _font_families() -> tuple[list[str], set[int]]:
    """Fonts to draw with (installed CJK fonts first) and the characters they cover."""
    from matplotlib import font_manager
    from matplotlib.ft2font import FT2Font

    wanted = (
        "Noto Sans CJK SC",
        "Noto Sans SC",
        "Source Han Sans SC",
        "WenQuanYi Zen Hei",
        "WenQuanYi Micro Hei",
        "SimHei",
        "Microsoft YaHei",
        "PingFang SC",
        "Droid Sans Fallback",
        "AR PL UMing CN",
    )
    files = {f.name: f.fname for f in font_manager.fontManager.ttflist}
    families = [name for name in wanted if name in files] + ["DejaVu Sans"]
    covered: set[int] = set()
    for name in families:
        path = files.get(name) or font_manager.findfont(name)
        try:
            covered.update(FT2Font(path).get_charmap())
        except (OSError, RuntimeError):  # pragma: no cover - unreadable font file
            continue
    return families, covered


def _mpl_text(text: str) -> str:
    return text.replace("$", r"\$")


def plot_landscape(G: nx.MultiDiGraph, ax: Any = None, *, labels: bool | None = None,
                   lang: str = "en") -> Any:
    """Static diagram of the landscape for print (matplotlib only), in the same layered
    layout as the interactive graph.

    ISA-95 levels are horizontal swimlanes (level 4 on top; partners in a lane
    of their own above); systems are circles (IT) or squares (OT), partners
    triangles; colour and a rounded outline mark each information island of
    two or more systems; manual links are dashed; a legend says so.

    Names are drawn as the user wrote them, in any language (an installed CJK
    font such as Noto Sans CJK draws Chinese), wrapped below their node; the
    title names the company.

    Parameters
    ----------
    G
        A landscape graph.
    ax
        Axes to draw on; a new figure is made when omitted.
    labels
        Write names next to the nodes; by default for up to 150 nodes.
    lang
        Language of the lanes, legend and title (``en`` or ``zh``).

    Returns
    -------
    matplotlib.axes.Axes
        Its y tick labels name the lanes, top first.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from value_chain.landscape import landscape_from_dict
    >>> G = landscape_from_dict({"systems": [{"id": "erp", "name": "ERP", "type": "ERP"},
    ...                                      {"id": "plc", "name": "PLC", "type": "PLC"}],
    ...                          "links": [{"source": "plc", "target": "erp", "mode": "manual"}]})
    >>> ax = plot_landscape(G)
    >>> [t.get_text() for t in ax.get_yticklabels()]
    ['L4 business planning & logistics', 'L1 sensing & basic control']
    """
    import matplotlib.pyplot as plt
    from matplotlib.collections import LineCollection
    from matplotlib.lines import Line2D
    from matplotlib.patches import FancyBboxPatch

    metrics = landscape_metrics(G)
    layout = _layout(G, metrics["islands"])
    families, _ = _font_families()
    if labels is None:
        labels = G.number_of_nodes() <= 150
    if ax is None:
        _, ax = plt.subplots(figsize=(2.0 + layout.width * SLOT_PX / 110,
                                      1.6 + layout.rows * ROW_PX / 110))
    pos = layout.pos

    for i, ((low, high), (_, key)) in enumerate(zip(layout.bands, layout.lanes, strict=True)):
        ax.axhspan(low, high, color="#f4f4f4" if i % 2 == 0 else "#ffffff", zorder=0,
                   gid=f"lane:{_lane_name(key, lang)}")
    for k, island in enumerate(layout.islands):
        if len(island) < 2:
            continue
        # one outline per lane the island reaches (its members there sit side by side)
        by_row: dict[float, list[float]] = {}
        for s in island:
            by_row.setdefault(pos[s][1], []).append(pos[s][0])
        for j, (y, xs) in enumerate(sorted(by_row.items(), reverse=True)):
            ax.add_patch(FancyBboxPatch(
                (min(xs) - 0.42, y - 0.42), max(xs) - min(xs) + 0.84, 0.84,
                boxstyle="round,pad=0.02,rounding_size=0.15", fill=False,
                edgecolor=_colour(layout, island[0]), linewidth=1.3, zorder=1,
                gid=f"island:{k}" if j == 0 else f"island-part:{k}:{j}"))

    solid, dashed = [], []
    solid_colours = []
    for u, v, mode in G.edges(data="mode"):
        segment = [pos[u], pos[v]]
        if mode in AUTOMATIC_MODES:
            solid.append(segment)
            solid_colours.append(MODE_COLOURS[mode])
        else:
            dashed.append(segment)
    if solid:
        ax.add_collection(LineCollection(solid, colors=solid_colours, linewidths=1.0, zorder=2,
                                         alpha=0.8))
    if dashed:
        ax.add_collection(
            LineCollection(
                dashed, colors=MODE_COLOURS["manual"], linestyles="dashed", linewidths=1.0,
                zorder=2, alpha=0.8
            )
        )

    spof = set(metrics["single_points_of_failure"]["systems"])
    groups: dict[str, list[Hashable]] = {"o": [], "s": [], "^": []}
    for node, attrs in G.nodes(data=True):
        marker = (
            "^" if attrs.get("kind") == "partner" else ("s" if attrs.get("domain") == "OT" else "o")
        )
        groups[marker].append(node)
    for marker, members in groups.items():
        if members:
            ax.scatter(
                [pos[n][0] for n in members],
                [pos[n][1] for n in members],
                c=[_colour(layout, n) for n in members],
                marker=marker,
                s=110,
                edgecolors="#333333",
                linewidths=[2.2 if n in spof else 0.7 for n in members],
                zorder=3,
            )
    if labels:
        for node in G.nodes:
            x, y = pos[node]
            ax.annotate(
                _mpl_text("\n".join(layout.labels[node])),
                (x, y),
                xytext=(0, -8),
                textcoords="offset points",
                ha="center",
                va="top",
                fontsize=7.5,
                linespacing=1.05,
                family=families,
                zorder=4,
            )

    ax.set_yticks([y for y, _ in layout.lanes],
                  [_lane_name(k, lang) for _, k in layout.lanes], family=families, fontsize=8)
    ax.set_ylim(-0.5, layout.rows - 0.5)
    ax.set_xlim(-0.6, layout.width - 0.4)
    ax.set_xticks([])
    for side in ("top", "right", "bottom"):
        ax.spines[side].set_visible(False)
    shown = _drawn(G, spof)
    entries = [
        ("it", Line2D([], [], ls="", marker="o", color="#bbbbbb", mec="#333333",
                      label=msg("picture.legend.it", lang))),
        ("ot", Line2D([], [], ls="", marker="s", color="#bbbbbb", mec="#333333",
                      label=msg("picture.legend.ot", lang))),
        ("partner", Line2D([], [], ls="", marker="^", color=PARTNER_COLOUR, mec="#333333",
                           label=msg("picture.legend.partner", lang))),
        ("realtime", Line2D([], [], color=MODE_COLOURS["realtime"],
                            label=msg("picture.legend.realtime", lang))),
        ("batch", Line2D([], [], color=MODE_COLOURS["batch"],
                         label=msg("picture.legend.batch", lang))),
        ("manual", Line2D([], [], color=MODE_COLOURS["manual"], ls="--",
                          label=msg("picture.legend.manual", lang))),
    ]
    handles = [h for key, h in entries if key in shown]
    title = msg("picture.legend.island", lang)
    if "spof" in shown:
        title += " · " + msg("picture.legend.spof", lang)
    ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, 0.0),
              ncols=max(len(handles), 1), fontsize=7, frameon=False,
              prop={"family": families, "size": 7}, title=title,
              title_fontproperties={"family": families, "size": 7})
    name = G.graph.get("enterprise", {}).get("name") or msg("picture.landscape", lang)
    ax.set_title(
        _mpl_text(msg("picture.title", lang, name=name, islands=metrics["island_count"],
                      manual=metrics["manual_links"])),
        family=families, fontsize=10,
    )
    return ax


@dataclass(frozen=True)
class LandscapeFigure:
    """The landscape for a report: the interactive iframe for the screen and the static
    picture of the same layout for print (SVG, vector) and for Word (PNG; empty when not
    asked for)."""

    iframe: str
    svg: bytes
    png: bytes


def landscape_figure(G: nx.MultiDiGraph, *, lang: str = "en", png: bool = True
                     ) -> LandscapeFigure:
    """The interactive graph and its static picture, in one language; ``png=False`` leaves
    out the PNG copy (only a Word export needs it; it takes as long to draw as the SVG).

    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from value_chain.landscape import landscape_from_dict
    >>> G = landscape_from_dict({"systems": [{"id": "erp", "name": "ERP", "type": "ERP"}]})
    >>> fig = landscape_figure(G, lang="zh")
    >>> fig.svg.lstrip().startswith(b"<?xml") and fig.png.startswith(b"\\x89PNG")
    True
    """
    import matplotlib.pyplot as plt

    layout = _layout(G, landscape_metrics(G)["islands"])
    height = _auto_height(layout)
    page = landscape_html(G, height=height, lang=lang)
    ax = plot_landscape(G, lang=lang)
    out = {"png": b""}
    for fmt, kw in (("svg", {}), ("png", {"dpi": 130, "pil_kwargs": {"compress_level": 3}})):
        if fmt == "png" and not png:
            continue
        buf = io.BytesIO()
        with plt.rc_context({"svg.fonttype": "path", "svg.hashsalt": "landscape"}):
            ax.figure.savefig(buf, format=fmt, bbox_inches="tight", facecolor="white",
                              metadata={"Date": None} if fmt == "svg" else None, **kw)
        out[fmt] = buf.getvalue()
    plt.close(ax.figure)
    return LandscapeFigure(_iframe(page, height, msg("picture.graph_title", lang)),
                           out["svg"], out["png"])
