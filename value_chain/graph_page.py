"""The interactive landscape graph: one offline HTML page, shown in a sandboxed iframe.

The graph is made with pyvis (frozen at 0.3.2, wrapped here only): vis-network is
embedded in the page, the CDN tags pyvis adds are removed, and the page is shown
inside ``<iframe srcdoc=... sandbox="allow-scripts">`` so that several graphs in one
notebook or report never interfere.  Every user-supplied text (ids, names, notes...)
is HTML-escaped wherever it appears.  Where things go is
:mod:`value_chain.picture_layout`.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import networkx as nx

from value_chain.messages import msg
from value_chain.metrics import AUTOMATIC_MODES, landscape_metrics
from value_chain.offline import remote_references
from value_chain.picture_layout import (
    LABEL_PX,
    LANE_PX,
    MODE_COLOURS,
    ROW_PX,
    SLOT_PX,
    _auto_height,
    _colour,
    _drawn,
    _lane_name,
    _layout,
    wrap_label,
)
from value_chain.safe_io import atomic_write

__all__ = ["LandscapeView", "landscape_html", "landscape_iframe", "show_landscape"]

_HEIGHT = re.compile(r"^\d+(\.\d+)?(px|vh|em|rem|%)$")


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
