"""Where a landscape picture puts things: lanes, places, label lines and colours.

Both pictures (:mod:`value_chain.graph_page`, interactive, and
:mod:`value_chain.pictures`, static) draw the ISA-95 levels as horizontal lanes
(level 4 on top, partners in a lane of their own above), the systems of one island
side by side, colour each island of two or more systems and grey the lone ones.
Sizes are CSS pixels of the interactive graph; the static picture scales them.

Examples
--------
>>> from value_chain.landscape import landscape_from_dict
>>> G = landscape_from_dict({"systems": [{"id": "erp", "name": "ERP", "type": "ERP"},
...                                      {"id": "plc", "name": "PLC", "type": "PLC"}]})
>>> layout = _layout(G, [["erp"], ["plc"]])
>>> [key for _, key in layout.lanes], layout.pos["erp"][1] > layout.pos["plc"][1]
(['4', '1'], True)
"""

from __future__ import annotations

import re
from collections.abc import Hashable
from dataclasses import dataclass

import networkx as nx

from value_chain.messages import msg
from value_chain.metrics import AUTOMATIC_MODES, landscape_metrics
from value_chain.vocabulary import ROLES

__all__ = ["LABEL_PX", "LANE_PX", "PER_ROW", "ROW_PX", "SLOT_PX", "label_boxes", "text_width",
           "wrap_label"]

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


_MAX_AUTO_PX = 2400  # taller plants are fitted into this height (zoom in to read them)


def _auto_height(layout: _Layout) -> str:
    return f"{min(layout.rows * ROW_PX + 30, _MAX_AUTO_PX)}px"
