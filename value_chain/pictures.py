"""Pictures of a landscape: an interactive offline HTML graph and a static diagram.

Both draw the ISA-95 levels as horizontal layers (level 4 on top, partners in a
layer of their own above), colour systems by information island, give IT and
OT systems different shapes and dash the manual links.

The interactive graph is made with pyvis (frozen at 0.3.2, wrapped here only):
vis-network is embedded in the page, the CDN tags pyvis adds are removed, and
the page is shown inside ``<iframe srcdoc=... sandbox="allow-scripts">`` so that
several graphs in one notebook or report never interfere.  Every user-supplied
text (ids, names, notes...) is HTML-escaped wherever it appears.
"""

from __future__ import annotations

import html
import re
from collections.abc import Hashable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import networkx as nx

from value_chain.landscape import ROLES
from value_chain.metrics import AUTOMATIC_MODES, landscape_metrics
from value_chain.offline import remote_references
from value_chain.safe_io import atomic_write

__all__ = [
    "LandscapeView",
    "landscape_html",
    "landscape_iframe",
    "plot_landscape",
    "show_landscape",
]

LEVEL_NAMES = {
    4: "L4 business planning & logistics",
    3: "L3 manufacturing operations",
    2: "L2 supervisory control",
    1: "L1 sensing & basic control",
    0: "L0 physical process",
}
PARTNER_LANE = "Partners"
PALETTE = (
    "#4e79a7",
    "#f28e2b",
    "#59a14f",
    "#e15759",
    "#76b7b2",
    "#edc948",
    "#b07aa1",
    "#ff9da7",
    "#9c755f",
    "#86bcb6",
)
SINGLE_COLOUR = "#c7c7c7"
PARTNER_COLOUR = "#fdd9a0"
MODE_COLOURS = {"realtime": "#2f7d32", "batch": "#3465a4", "manual": "#b3261e"}
_PHYSICS_LIMIT = 200
_HEIGHT = re.compile(r"^\d+(\.\d+)?(px|vh|em|rem|%)$")


# --------------------------------------------------------------------------- layout


@dataclass(frozen=True)
class _Layout:
    pos: dict[Hashable, tuple[float, float]]  # x in slots, y = lane number (0 = bottom)
    lanes: list[tuple[float, str]]  # (y, label), top first
    island_of: dict[Hashable, int]
    islands: list[list[Hashable]]
    width: float


def _layout(G: nx.MultiDiGraph, islands: list[list[Hashable]]) -> _Layout:
    attrs = G.nodes
    partners = [n for n, k in G.nodes(data="kind") if k == "partner"]
    levels = sorted({attrs[s].get("level", 0) for island in islands for s in island}, reverse=True)
    names = ([PARTNER_LANE] if partners else []) + [LEVEL_NAMES.get(lv, f"L{lv}") for lv in levels]
    lane_y = {lv: len(levels) - 1 - i for i, lv in enumerate(levels)}
    pos: dict[Hashable, tuple[float, float]] = {}
    island_of: dict[Hashable, int] = {}
    x0 = 0.0
    for k, island in enumerate(islands):
        by_level: dict[int, list[Hashable]] = {}
        for s in island:
            island_of[s] = k
            by_level.setdefault(attrs[s].get("level", 0), []).append(s)
        width = max(len(group) for group in by_level.values())
        for level, group in by_level.items():
            offset = (width - len(group)) / 2
            for j, s in enumerate(group):
                pos[s] = (x0 + offset + j, float(lane_y[level]))
        x0 += width + 0.6
    total = max(x0 - 0.6, 1.0)
    order = {role: i for i, role in enumerate(ROLES)}
    partners.sort(key=lambda p: order.get(attrs[p].get("role"), len(order)))
    for j, p in enumerate(partners):
        pos[p] = ((j + 0.5) * total / len(partners) - 0.5, float(len(levels)))
    lanes = [(float(len(names) - 1 - i), name) for i, name in enumerate(names)]
    return _Layout(pos, lanes, island_of, islands, total)


def _colour(layout: _Layout, node: Hashable) -> str:
    k = layout.island_of.get(node)
    if k is None:
        return PARTNER_COLOUR
    if len(layout.islands[k]) == 1:
        return SINGLE_COLOUR
    multi = sum(1 for island in layout.islands[:k] if len(island) > 1)
    return PALETTE[multi % len(PALETTE)]


# --------------------------------------------------------------------------- interactive


def _canvas_text(text: Any) -> str:
    """A label for the canvas: plain text, drawn as it is (never parsed as HTML).

    The page embeds node data with jinja's ``tojson``, which writes ``<``, ``>``,
    ``&`` and ``'`` as ``\\u003c``-style escapes, so no label can close the script.
    """
    return str(text)


def _tip(rows: list[tuple[str, Any]], head: Any) -> str:
    """HTML tooltip: an escaped bold head and escaped ``field: value`` lines."""
    lines = [f"<b>{html.escape(str(head))}</b>"]
    lines += [
        f"{html.escape(k)}: {html.escape(str(v))}".replace("\n", "<br>")
        for k, v in rows
        if v is not None
    ]
    return "<br>".join(lines)


_TITLES_AS_HTML = """
                  // value_chain: tooltips are escaped HTML strings; show them as HTML.
                  function vcTip(markup) {
                    var box = document.createElement("div");
                    box.innerHTML = markup;
                    return box;
                  }
                  nodes.forEach(function (n) {
                    if (n.tip) { nodes.update({id: n.id, title: vcTip(n.tip)}); }
                  });
                  edges.forEach(function (e) {
                    if (e.tip) { edges.update({id: e.id, title: vcTip(e.tip)}); }
                  });

"""
_ANCHOR = "                  nodeColors = {};"
_LEGEND = (
    '<div style="font:12px sans-serif;margin:4px 8px;color:#333">'
    "colour = information island (grey: isolated system) &middot; "
    "&#9679; IT &middot; &#9632; OT &middot; &#9650; partner &middot; "
    '<span style="color:#2f7d32">realtime</span> &middot; '
    '<span style="color:#3465a4">batch</span> &middot; '
    '<span style="color:#b3261e">- - manual</span></div>'
)


def landscape_html(
    G: nx.MultiDiGraph, *, height: str = "600px", physics: bool | None = None
) -> str:
    r"""The landscape as one standalone, offline HTML page (vis-network inlined).

    Parameters
    ----------
    G
        A landscape graph (see :func:`value_chain.read_landscape`).
    height
        Height of the drawing, a CSS length such as ``"600px"``.
    physics
        Let vis-network spread nodes sideways (levels stay fixed).  By default
        on for graphs up to 200 nodes and off above, where the computed
        positions are used as they are.

    Examples
    --------
    >>> from value_chain.landscape import landscape_from_dict
    >>> G = landscape_from_dict({"systems": [{"id": "erp", "name": "ERP & <co>", "type": "ERP"}]})
    >>> page = landscape_html(G)
    >>> "<co>" in page
    False
    >>> "ERP \\u0026 \\u003cco\\u003e" in page  # plain canvas text, escaped inside the JSON
    True
    """
    from pyvis.network import Network  # pyvis imports IPython: only when drawing

    if not _HEIGHT.match(height):
        raise ValueError(f"height must be a CSS length such as '600px', got {height!r}")
    metrics = landscape_metrics(G)
    layout = _layout(G, metrics["islands"])
    if physics is None:
        physics = G.number_of_nodes() <= _PHYSICS_LIMIT
    vis_id = {node: f"n{i}" for i, node in enumerate(G.nodes)}
    spof = set(metrics["single_points_of_failure"]["systems"])

    nodes: list[dict[str, Any]] = []
    for node, attrs in G.nodes(data=True):
        x, y = layout.pos[node]
        partner = attrs.get("kind") == "partner"
        if partner:
            rows = [("id", node), ("role", attrs.get("role")), ("location", attrs.get("location"))]
            shape = "triangle"
        else:
            k = layout.island_of[node]
            rows = [
                ("id", node),
                ("type", attrs.get("type")),
                ("ISA-95 level", attrs.get("level")),
                ("domain", attrs.get("domain")),
                ("stage", attrs.get("stage")),
                ("deployment", attrs.get("deployment")),
                ("vendor", attrs.get("vendor")),
                ("version", attrs.get("version")),
                ("site", attrs.get("site")),
                ("owner", attrs.get("owner")),
                ("island", f"{k + 1} of {len(layout.islands)} ({len(layout.islands[k])} systems)"),
                ("single point of failure", "yes" if node in spof else None),
            ]
            shape = "square" if attrs.get("domain") == "OT" else "dot"
        rows.append(("notes", attrs.get("notes")))
        nodes.append(
            {
                "id": vis_id[node],
                "label": _canvas_text(attrs.get("name", node)),
                "tip": _tip(rows, attrs.get("name", node)),
                "shape": shape,
                "size": 14,
                "color": _colour(layout, node),
                "borderWidth": 3 if node in spof else 1,
                "x": round(x * 130, 1),
                "y": round(-y * 170, 1),
                "fixed": {"x": not physics, "y": True},
            }
        )
    for y, name in layout.lanes:
        nodes.append(
            {
                "id": f"lane{int(y)}",
                "label": _canvas_text(name),
                "shape": "text",
                "x": -260,
                "y": round(-y * 170, 1),
                "fixed": True,
                "physics": False,
                "font": {"size": 16, "color": "#777777"},
            }
        )
    edges: list[dict[str, Any]] = []
    for u, v, key, attrs in G.edges(keys=True, data=True):
        mode = attrs.get("mode")
        rows = [
            ("mode", mode),
            ("protocol", attrs.get("protocol")),
            ("data", attrs.get("data")),
            ("key", key),
            ("notes", attrs.get("notes")),
        ]
        head = f"{G.nodes[u].get('name', u)} → {G.nodes[v].get('name', v)}"
        edges.append(
            {
                "from": vis_id[u],
                "to": vis_id[v],
                "arrows": "to, from" if attrs.get("bidirectional") else "to",
                "dashes": mode not in AUTOMATIC_MODES,
                "color": MODE_COLOURS.get(mode, "#888888"),
                "width": 2 if mode == "realtime" else 1,
                "tip": _tip(rows, head),
            }
        )

    net = Network(height=height, width="100%", directed=True, cdn_resources="in_line")
    net.nodes, net.edges = nodes, edges  # direct: add_node/add_edge are quadratic
    net.options = {
        "physics": {
            "enabled": physics,
            "solver": "repulsion",
            "repulsion": {"nodeDistance": 120},
            "stabilization": {"iterations": 150},
        },
        "layout": {"randomSeed": 7, "improvedLayout": False},
        "interaction": {"hover": True, "tooltipDelay": 120},
        "nodes": {"font": {"size": 13}},
        "edges": {"smooth": False},
    }
    page = net.generate_html()
    # pyvis always adds Bootstrap from a CDN: remove every remote <link> and <script>.
    page = re.sub(r"<link\b[^>]*\bhref\s*=\s*[\"']?(?:https?:)?//[^>]*>", "", page, flags=re.I)
    page = re.sub(
        r"<script\b[^>]*\bsrc\s*=\s*[\"']?(?:https?:)?//[^>]*>\s*</script>", "", page, flags=re.I
    )
    page = re.sub(r"<!--\s*<link[^>]*node_modules.*?-->", "", page, flags=re.S)
    if page.count(_ANCHOR) != 1:
        raise RuntimeError("unexpected pyvis template: cannot install the tooltip script")
    page = page.replace(_ANCHOR, _TITLES_AS_HTML + _ANCHOR)
    page = page.replace("<body>", "<body>\n" + _LEGEND, 1)
    remote = remote_references(page)  # the markup only, never escaped user text
    if remote:
        raise RuntimeError(f"the page still loads a remote resource: {remote[0]}")
    return page


def landscape_iframe(
    G: nx.MultiDiGraph, *, height: str = "600px", physics: bool | None = None
) -> str:
    """The landscape page as ``<iframe srcdoc=... sandbox="allow-scripts">`` for reports.

    Examples
    --------
    >>> from value_chain.landscape import landscape_from_dict
    >>> G = landscape_from_dict({"systems": [{"id": "erp", "name": "ERP", "type": "ERP"}]})
    >>> landscape_iframe(G).startswith('<iframe srcdoc="')
    True
    """
    return _iframe(landscape_html(G, height=height, physics=physics), height)


def _iframe(page: str, height: str) -> str:
    return (
        f'<iframe srcdoc="{html.escape(page, quote=True)}" sandbox="allow-scripts" '
        f'style="width:100%;height:calc({height} + 80px);border:none" '
        'title="Landscape graph" loading="lazy"></iframe>'
    )


@dataclass(frozen=True)
class LandscapeView:
    """An interactive landscape graph; displays itself in Jupyter as a sandboxed iframe.

    ``page`` is the standalone HTML page; :meth:`save` writes it to a file.
    """

    page: str
    height: str
    summary: str

    def iframe(self) -> str:
        """The page wrapped in ``<iframe srcdoc=... sandbox="allow-scripts">``."""
        return _iframe(self.page, self.height)

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, str]:
        return {"text/html": self.iframe(), "text/plain": repr(self)}

    def _repr_html_(self) -> str:
        return self.iframe()

    def save(self, path: str | Path) -> Path:
        """Write the standalone page (works offline) and return its path."""
        return atomic_write(path, self.page)

    def __repr__(self) -> str:
        return f"<LandscapeView: {self.summary}>"


def show_landscape(
    G: nx.MultiDiGraph, *, height: str = "600px", physics: bool | None = None
) -> LandscapeView:
    """Interactive graph of the landscape, for notebooks (offline, escaped, isolated).

    Systems are coloured by information island (grey when isolated), drawn as
    circles (IT) or squares (OT), partners as triangles; ISA-95 levels are
    layers with level 4 on top; manual links are dashed; a thick border marks a
    single point of failure.  Hovering shows the details.

    Examples
    --------
    >>> from value_chain.landscape import landscape_from_dict
    >>> G = landscape_from_dict({"systems": [{"id": "erp", "name": "ERP", "type": "ERP"}]})
    >>> view = show_landscape(G)
    >>> view
    <LandscapeView: 1 systems, 0 partners, 0 links>
    >>> sorted(view._repr_mimebundle_())
    ['text/html', 'text/plain']
    """
    kinds = [k for _, k in G.nodes(data="kind")]
    summary = (
        f"{kinds.count('system')} systems, {kinds.count('partner')} partners, "
        f"{G.number_of_edges()} links"
    )
    return LandscapeView(landscape_html(G, height=height, physics=physics), height, summary)


# --------------------------------------------------------------------------- static


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


def _drawable(text: str, covered: set[int]) -> bool:
    return all(ord(c) in covered or c.isspace() for c in text)


def _mpl_text(text: str) -> str:
    return text.replace("$", r"\$")


def plot_landscape(G: nx.MultiDiGraph, ax: Any = None, *, labels: bool | None = None) -> Any:
    """Static diagram of the landscape for print (matplotlib only).

    ISA-95 levels are horizontal swimlanes (level 4 on top; partners in a lane
    of their own above); systems are circles (IT) or squares (OT), partners
    triangles; colour and a rounded outline mark each information island of
    two or more systems; manual links are dashed.

    Names are used as labels when the installed fonts can draw them (install
    a CJK font such as Noto Sans CJK for Chinese names); otherwise the id.

    Parameters
    ----------
    G
        A landscape graph.
    ax
        Axes to draw on; a new figure is made when omitted.
    labels
        Write names next to the nodes; by default for up to 150 nodes.

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
    from matplotlib.patches import FancyBboxPatch

    metrics = landscape_metrics(G)
    layout = _layout(G, metrics["islands"])
    families, covered = _font_families()
    if labels is None:
        labels = G.number_of_nodes() <= 150
    if ax is None:
        width = min(4 + layout.width * 0.9, 30)
        _, ax = plt.subplots(figsize=(width, 1.4 + 1.3 * len(layout.lanes)))
    pos = layout.pos

    for i, (y, name) in enumerate(layout.lanes):
        ax.axhspan(
            y - 0.5,
            y + 0.5,
            color="#f4f4f4" if i % 2 == 0 else "#ffffff",
            zorder=0,
            gid=f"lane:{name}",
        )
    for k, island in enumerate(layout.islands):
        if len(island) < 2:
            continue
        xs = [pos[s][0] for s in island]
        ys = [pos[s][1] for s in island]
        box = FancyBboxPatch(
            (min(xs) - 0.35, min(ys) - 0.3),
            max(xs) - min(xs) + 0.7,
            max(ys) - min(ys) + 0.6,
            boxstyle="round,pad=0.02,rounding_size=0.2",
            fill=False,
            edgecolor=_colour(layout, island[0]),
            linewidth=1.5,
            zorder=1,
            gid=f"island:{k}",
        )
        ax.add_patch(box)

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
        ax.add_collection(LineCollection(solid, colors=solid_colours, linewidths=1.2, zorder=2))
    if dashed:
        ax.add_collection(
            LineCollection(
                dashed, colors=MODE_COLOURS["manual"], linestyles="dashed", linewidths=1.2, zorder=2
            )
        )

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
                s=160,
                edgecolors="#333333",
                linewidths=0.8,
                zorder=3,
            )
    if labels:
        for node, name in G.nodes(data="name"):
            text = str(name) if name is not None and _drawable(str(name), covered) else str(node)
            x, y = pos[node]
            ax.annotate(
                _mpl_text(text),
                (x, y),
                xytext=(0, -14),
                textcoords="offset points",
                ha="center",
                va="top",
                fontsize=7,
                family=families,
                zorder=4,
            )

    ax.set_yticks([y for y, _ in layout.lanes], [name for _, name in layout.lanes])
    ax.set_ylim(-0.5, len(layout.lanes) - 0.5)
    ax.set_xlim(-1, layout.width)
    ax.set_xticks([])
    for side in ("top", "right", "bottom"):
        ax.spines[side].set_visible(False)
    title = str(G.graph.get("enterprise", {}).get("name", "Landscape"))
    if not _drawable(title, covered):
        title = (
            " ".join("".join(c if ord(c) in covered else " " for c in title).split()) or "Landscape"
        )
    ax.set_title(
        _mpl_text(
            f"{title}: {metrics['island_count']} islands, {metrics['manual_links']} manual links"
        ),
        family=families,
    )
    return ax
