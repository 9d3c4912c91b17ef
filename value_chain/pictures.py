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
from value_chain.messages import msg
from value_chain.metrics import AUTOMATIC_MODES, landscape_metrics
from value_chain.offline import remote_references
from value_chain.safe_io import atomic_write

__all__ = [
    "LandscapeFigure",
    "LandscapeView",
    "label_boxes",
    "landscape_figure",
    "landscape_html",
    "landscape_iframe",
    "plot_landscape",
    "show_landscape",
]

LEVEL_NAMES = {lv: msg(f"picture.lane.{lv}", "en") for lv in range(5)}
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
_HEIGHT = re.compile(r"^\d+(\.\d+)?(px|vh|em|rem|%)$")


# --------------------------------------------------------------------------- layout


PER_ROW = 8  # systems side by side in one row of a lane; more wrap into further rows
SLOT_PX = 140  # width of one place in a row, in CSS pixels of the interactive graph
ROW_PX = 118  # height of one row: the node, up to four label lines and a gap
LABEL_PX = 14  # label font size of the interactive graph
LANE_PX = 170  # the column of lane names at the left
_LINE_PX = 17


def text_width(text: str, size: float = LABEL_PX) -> float:
    """Estimated width of ``text`` in pixels at font ``size`` (CJK glyphs one em wide).

    >>> text_width("MES") < text_width("制造执行")
    True
    """
    return sum(size if ord(c) >= 0x2E80 else 0.6 * size for c in text)


def wrap_label(text: str, width: float = SLOT_PX - 18, size: float = LABEL_PX,
               max_lines: int = 4) -> list[str]:
    """Break a name into lines no wider than ``width`` pixels (words kept whole where they
    fit; Chinese may break between any two characters); at most ``max_lines`` lines, the
    last one shortened with an ellipsis when the name is longer still.

    >>> wrap_label("装配车间 MES (TexMES)")
    ['装配车间 MES', '(TexMES)']
    """
    tokens = re.findall(r"[\u2e80-\u9fff\uf900-\uffef]|[^\s\u2e80-\u9fff\uf900-\uffef]+|\s+",
                        str(text))
    lines: list[str] = []
    line = ""
    for tok in tokens:
        if tok.isspace():
            line += " " if line else ""
            continue
        while text_width(tok, size) > width:  # a word longer than a line: cut it
            room = ""
            for c in tok:
                if text_width(line + room + c, size) > width:
                    break
                room += c
            if not room and line:
                lines.append(line.rstrip())
                line = ""
                continue
            room = room or tok[0]
            lines.append((line + room).rstrip())
            line, tok = "", tok[len(room):]
        if text_width(line + tok, size) > width and line.strip():
            lines.append(line.rstrip())
            line = ""
        line += tok
    if line.strip():
        lines.append(line.rstrip())
    if len(lines) > max_lines:
        last = lines[max_lines - 1]
        while last and text_width(last + "…", size) > width:
            last = last[:-1]
        lines = [*lines[:max_lines - 1], last + "…"]
    return lines or [""]


@dataclass(frozen=True)
class _Layout:
    pos: dict[Hashable, tuple[float, float]]  # x in slots, y in rows (0 = bottom row)
    lanes: list[tuple[float, str]]  # (y of the lane's middle, level key), top first
    island_of: dict[Hashable, int]
    islands: list[list[Hashable]]
    width: float  # slots
    rows: int = 1
    bands: tuple[tuple[float, float], ...] = ()  # (low, high) y of each lane, top first
    labels: dict[Hashable, list[str]] | None = None


def _layout(G: nx.MultiDiGraph, islands: list[list[Hashable]], per_row: int = PER_ROW) -> _Layout:
    """Layered ISA-95 layout: one lane per level present (level 4 on top) and one for the
    partners above; in a lane, the systems of one island side by side, at most ``per_row``
    in a row (more wrap into further rows), each label below its node within its slot."""
    attrs = G.nodes
    island_of: dict[Hashable, int] = {}
    for k, island in enumerate(islands):
        for s in island:
            island_of[s] = k
    partners = [n for n, kind in G.nodes(data="kind") if kind == "partner"]
    order = {role: i for i, role in enumerate(ROLES)}
    partners.sort(key=lambda p: (order.get(attrs[p].get("role"), len(order)), str(p)))
    levels = sorted({attrs[s].get("level", 0) for s in island_of}, reverse=True)
    lanes_members: list[tuple[str, list[Hashable]]] = []
    if partners:
        lanes_members.append(("partners", partners))
    for lv in levels:
        members = [s for s in island_of if attrs[s].get("level", 0) == lv]
        members.sort(key=lambda s: (island_of[s], str(attrs[s].get("name", s))))
        lanes_members.append((str(lv), members))
    widest = max((len(m) for _, m in lanes_members), default=1)
    width = float(max(1, min(per_row, widest)))
    rows_of = [max(1, -(-len(m) // per_row)) for _, m in lanes_members]
    total = sum(rows_of)
    pos: dict[Hashable, tuple[float, float]] = {}
    lanes: list[tuple[float, str]] = []
    bands: list[tuple[float, float]] = []
    top = total - 1
    for (key, members), n_rows in zip(lanes_members, rows_of, strict=True):
        for r in range(n_rows):
            row = members[r * per_row:(r + 1) * per_row]
            offset = (width - len(row)) / 2
            for j, s in enumerate(row):
                pos[s] = (offset + j, float(top - r))
        lanes.append((top - (n_rows - 1) / 2, key))
        bands.append((top - n_rows + 0.5, top + 0.5))
        top -= n_rows
    labels = {n: wrap_label(attrs[n].get("name", n)) for n in G.nodes}
    return _Layout(pos, lanes, island_of, islands, width, total, tuple(bands), labels)


def _lane_name(key: str, lang: str) -> str:
    if key == "partners":
        return msg("picture.lane.partners", lang)
    try:
        return msg(f"picture.lane.{key}", lang)
    except KeyError:
        return f"L{key}"


def label_boxes(G: nx.MultiDiGraph) -> dict[Hashable, tuple[float, float, float, float]]:
    """Pixel boxes ``(x0, y0, x1, y1)`` of every node's label in the interactive graph
    (y grows downwards), to check that no two overlap.

    >>> from value_chain.landscape import landscape_from_dict
    >>> G = landscape_from_dict({"systems": [{"id": "erp", "name": "ERP", "type": "ERP"}]})
    >>> x0, y0, x1, y1 = label_boxes(G)["erp"]
    >>> x1 - x0 < SLOT_PX and y1 > y0
    True
    """
    layout = _layout(G, landscape_metrics(G)["islands"])
    out = {}
    for node, (x, y) in layout.pos.items():
        cx, cy = x * SLOT_PX, (layout.rows - 1 - y) * ROW_PX
        lines = layout.labels[node]
        w = max(text_width(line) for line in lines)
        top = cy + 16
        out[node] = (cx - w / 2, top, cx + w / 2, top + _LINE_PX * len(lines))
    return out


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
_NETWORK = "network = new vis.Network(container, data, options);"
# show the whole drawing at once (positions are fixed, so nothing would fit it otherwise)
# and draw it now: off-screen sandboxed frames get no animation frames until scrolled to, and
# vis-network draws on animation frames (a blank graph in print previews and page captures)
# (again whenever the frame changes size: a report lays its frames out after they load)
_FIT = """
                  function vcFit() {
                    network.fit({animation: false});
                    var r = network.renderer;
                    if (r && r._redraw) { r._redraw(); }
                  }
                  vcFit();
                  network.on("resize", vcFit);  // vis-network resized its canvas to the frame
                  window.addEventListener("load", vcFit);
                  setTimeout(vcFit, 300);
"""
_FONT_FACE = ("Noto Sans CJK SC, Source Han Sans SC, WenQuanYi Micro Hei, Microsoft YaHei, "
              "PingFang SC, sans-serif")


def _drawn(G: nx.MultiDiGraph, spof: set) -> set[str]:
    """What a picture of ``G`` shows: the legend lists these and nothing else."""
    shown = set()
    for _, attrs in G.nodes(data=True):
        if attrs.get("kind") == "partner":
            shown.add("partner")
        else:
            shown.add("ot" if attrs.get("domain") == "OT" else "it")
    for _, _, mode in G.edges(data="mode"):
        shown.add(mode if mode in MODE_COLOURS and mode in AUTOMATIC_MODES else "manual")
    if spof:
        shown.add("spof")
    return shown


def _legend_html(lang: str, shown: set[str] | None = None) -> str:
    """The legend above the interactive graph: what the colours, shapes and lines mean
    (only those the graph shows, when ``shown`` is given)."""

    def t(key: str) -> str:
        return html.escape(msg(f"picture.legend.{key}", lang))

    parts = [
        ("island", t("island")),
        ("it", f"&#9679; {t('it')}"),
        ("ot", f"&#9632; {t('ot')}"),
        ("partner", f"&#9650; {t('partner')}"),
        ("realtime", f'<span style="color:{MODE_COLOURS["realtime"]}">&#9472;&#9472; '
                     f'{t("realtime")}</span>'),
        ("batch", f'<span style="color:{MODE_COLOURS["batch"]}">&#9472;&#9472; '
                  f'{t("batch")}</span>'),
        ("manual", f'<span style="color:{MODE_COLOURS["manual"]}">- - {t("manual")}</span>'),
        ("spof", t("spof")),
    ]
    keep = [markup for key, markup in parts if shown is None or key == "island" or key in shown]
    return ('<div class="vc-legend" style="font:13px sans-serif;margin:4px 8px;color:#333">'
            + " &middot; ".join(keep) + "</div>")


_MAX_AUTO_PX = 2400  # taller plants are fitted into this height (zoom in to read them)


def _auto_height(layout: _Layout) -> str:
    return f"{min(layout.rows * ROW_PX + 30, _MAX_AUTO_PX)}px"


def landscape_html(
    G: nx.MultiDiGraph, *, height: str | None = None, physics: bool | None = None,
    lang: str = "en",
) -> str:
    r"""The landscape as one standalone, offline HTML page (vis-network inlined).

    Nodes sit where the layered ISA-95 layout puts them (level 4 on top, partners in a
    row of their own above, at most eight systems side by side, names wrapped below
    their node), so no two labels overlap and labels stay at least 11 px on a
    1,400 px wide screen.

    Parameters
    ----------
    G
        A landscape graph (see :func:`value_chain.read_landscape`).
    height
        Height of the drawing, a CSS length such as ``"600px"``; by default just
        tall enough for the rows of the layout.
    physics
        Let vis-network spread nodes sideways (levels stay fixed); off by default,
        which keeps the computed positions (and labels apart).
    lang
        Language of the legend, the lane names and the tooltips (``en`` or ``zh``).

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

    metrics = landscape_metrics(G)
    layout = _layout(G, metrics["islands"])
    height = height or _auto_height(layout)
    if not _HEIGHT.match(height):
        raise ValueError(f"height must be a CSS length such as '600px', got {height!r}")
    physics = bool(physics)
    vis_id = {node: f"n{i}" for i, node in enumerate(G.nodes)}
    spof = set(metrics["single_points_of_failure"]["systems"])

    def tip(key: str) -> str:
        return msg(f"picture.tip.{key}", lang)

    nodes: list[dict[str, Any]] = []
    for node, attrs in G.nodes(data=True):
        x, y = layout.pos[node]
        partner = attrs.get("kind") == "partner"
        if partner:
            rows = [(tip("id"), node), (tip("role"), attrs.get("role")),
                    (tip("location"), attrs.get("location"))]
            shape = "triangle"
        else:
            k = layout.island_of[node]
            rows = [
                (tip("id"), node),
                (tip("type"), attrs.get("type")),
                (tip("level"), attrs.get("level")),
                (tip("domain"), attrs.get("domain")),
                (tip("stage"), attrs.get("stage")),
                (tip("deployment"), attrs.get("deployment")),
                (tip("vendor"), attrs.get("vendor")),
                (tip("version"), attrs.get("version")),
                (tip("site"), attrs.get("site")),
                (tip("owner"), attrs.get("owner")),
                (tip("island"), msg("picture.tip.island_value", lang, k=k + 1,
                                    n=len(layout.islands), size=len(layout.islands[k]))),
                (tip("spof"), tip("yes") if node in spof else None),
            ]
            shape = "square" if attrs.get("domain") == "OT" else "dot"
        rows.append((tip("notes"), attrs.get("notes")))
        nodes.append(
            {
                "id": vis_id[node],
                "label": _canvas_text("\n".join(layout.labels[node])),
                "tip": _tip(rows, attrs.get("name", node)),
                "shape": shape,
                "size": 12,
                "color": _colour(layout, node),
                "borderWidth": 4 if node in spof else 1,
                "x": round(x * SLOT_PX, 1),
                "y": round(-y * ROW_PX, 1),
                "fixed": {"x": not physics, "y": True},
            }
        )
    for y, key in layout.lanes:
        nodes.append(
            {
                "id": f"lane{key}",
                "label": _canvas_text("\n".join(wrap_label(_lane_name(key, lang),
                                                            width=LANE_PX - 20))),
                "shape": "text",
                "x": round(-LANE_PX + 10 - SLOT_PX / 2, 1),
                "y": round(-y * ROW_PX, 1),
                "fixed": True,
                "physics": False,
                "font": {"size": LABEL_PX, "color": "#666666", "face": _FONT_FACE},
            }
        )
    edges: list[dict[str, Any]] = []
    for u, v, key, attrs in G.edges(keys=True, data=True):
        mode = attrs.get("mode")
        rows = [
            (tip("mode"), mode),
            (tip("protocol"), attrs.get("protocol")),
            (tip("data"), attrs.get("data")),
            (tip("key"), key),
            (tip("notes"), attrs.get("notes")),
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
        "nodes": {"font": {"size": LABEL_PX, "face": _FONT_FACE, "vadjust": -2}},
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
    if page.count(_NETWORK) != 1:
        raise RuntimeError("unexpected pyvis template: cannot fit the graph to its frame")
    page = page.replace(_NETWORK, _NETWORK + _FIT)
    page = page.replace("<body>", "<body>\n" + _legend_html(lang, _drawn(G, spof)), 1)
    remote = remote_references(page)  # the markup only, never escaped user text
    if remote:
        raise RuntimeError(f"the page still loads a remote resource: {remote[0]}")
    return page


def landscape_iframe(
    G: nx.MultiDiGraph, *, height: str | None = None, physics: bool | None = None,
    lang: str = "en",
) -> str:
    """The landscape page as ``<iframe srcdoc=... sandbox="allow-scripts">`` for reports.

    Examples
    --------
    >>> from value_chain.landscape import landscape_from_dict
    >>> G = landscape_from_dict({"systems": [{"id": "erp", "name": "ERP", "type": "ERP"}]})
    >>> landscape_iframe(G).startswith('<iframe srcdoc="')
    True
    """
    height = height or _auto_height(_layout(G, landscape_metrics(G)["islands"]))
    return _iframe(landscape_html(G, height=height, physics=physics, lang=lang), height)


def _iframe(page: str, height: str, title: str = "Landscape graph") -> str:
    # not loading="lazy": a lazy iframe stays blank until scrolled into view
    return (
        f'<iframe srcdoc="{html.escape(page, quote=True)}" sandbox="allow-scripts" '
        f'style="width:100%;height:calc({height} + 80px);border:none" '
        f'title="{html.escape(title)}"></iframe>'
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
    G: nx.MultiDiGraph, *, height: str | None = None, physics: bool | None = None,
    lang: str = "en",
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
    height = height or _auto_height(_layout(G, landscape_metrics(G)["islands"]))
    return LandscapeView(landscape_html(G, height=height, physics=physics, lang=lang), height,
                         summary)


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
    picture of the same layout for print (SVG, vector) and for Word (PNG)."""

    iframe: str
    svg: bytes
    png: bytes


def landscape_figure(G: nx.MultiDiGraph, *, lang: str = "en") -> LandscapeFigure:
    """The interactive graph and its static picture, in one language.

    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from value_chain.landscape import landscape_from_dict
    >>> G = landscape_from_dict({"systems": [{"id": "erp", "name": "ERP", "type": "ERP"}]})
    >>> fig = landscape_figure(G, lang="zh")
    >>> fig.svg.lstrip().startswith(b"<?xml") and fig.png.startswith(b"\\x89PNG")
    True
    """
    import io

    import matplotlib.pyplot as plt

    layout = _layout(G, landscape_metrics(G)["islands"])
    height = _auto_height(layout)
    page = landscape_html(G, height=height, lang=lang)
    ax = plot_landscape(G, lang=lang)
    out = {}
    for fmt, kw in (("svg", {}), ("png", {"dpi": 130, "pil_kwargs": {"compress_level": 3}})):
        buf = io.BytesIO()
        with plt.rc_context({"svg.fonttype": "path", "svg.hashsalt": "landscape"}):
            ax.figure.savefig(buf, format=fmt, bbox_inches="tight", facecolor="white",
                              metadata={"Date": None} if fmt == "svg" else None, **kw)
        out[fmt] = buf.getvalue()
    plt.close(ax.figure)
    return LandscapeFigure(_iframe(page, height, msg("picture.graph_title", lang)),
                           out["svg"], out["png"])
