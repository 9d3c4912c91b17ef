"""Integration metrics of a landscape: information islands, vertical and horizontal
integration, IT/OT convergence, manual links, single points of failure, the digital thread.

Every metric looks at the *automatic* links, those with mode ``realtime`` or
``batch``; ``manual`` links (paper, e-mail, USB stick, re-typing) carry data
but integrate nothing.  Direction is ignored throughout: a link lets data flow
one way, but it joins the two systems either way.

The computation is linear in the size of the landscape (one pass over the
links, one depth-first search), so 100,000 systems take seconds.
"""

from __future__ import annotations

import itertools
from collections.abc import Hashable
from typing import Any

import networkx as nx
import numpy as np

from value_chain.landscape import STAGES

__all__ = ["AUTOMATIC_MODES", "VALUE_CHAIN", "landscape_metrics"]

AUTOMATIC_MODES: frozenset[str] = frozenset({"realtime", "batch"})
"""Link modes that exchange data without people in between."""

VALUE_CHAIN: tuple[str, ...] = tuple(s for s in STAGES if s != "management")
"""Value-chain stages in order; horizontal integration looks at neighbours in it."""


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def _dfs(
    n: int, indptr: list[int], nbrs: list[int]
) -> tuple[list[int], set[int], list[tuple[int, int]]]:
    """Components, articulation points and bridges of a simple undirected graph.

    One iterative depth-first search (Hopcroft-Tarjan low points); ``indptr``
    and ``nbrs`` hold the adjacency in compressed-row form.  Returns the
    component label of each vertex, the articulation points and the bridges
    (as ``(parent, child)`` pairs of the search tree).
    """
    disc = [-1] * n
    low = [0] * n
    parent = [-1] * n
    comp = [-1] * n
    ptr = indptr[:-1]
    cuts: set[int] = set()
    bridges: list[tuple[int, int]] = []
    t = 0
    label = 0
    for root in range(n):
        if disc[root] != -1:
            continue
        disc[root] = low[root] = t
        t += 1
        comp[root] = label
        root_children = 0
        stack = [root]
        while stack:
            v = stack[-1]
            i = ptr[v]
            if i < indptr[v + 1]:
                ptr[v] = i + 1
                w = nbrs[i]
                if disc[w] == -1:
                    parent[w] = v
                    disc[w] = low[w] = t
                    t += 1
                    comp[w] = label
                    stack.append(w)
                elif w != parent[v] and disc[w] < low[v]:
                    low[v] = disc[w]
            else:
                stack.pop()
                p = parent[v]
                if p == -1:
                    continue
                if low[v] < low[p]:
                    low[p] = low[v]
                if p == root:
                    root_children += 1
                elif low[v] >= disc[p]:
                    cuts.add(p)
                if low[v] > disc[p]:
                    bridges.append((p, v))
        if root_children >= 2:
            cuts.add(root)
        label += 1
    return comp, cuts, bridges


def _adjacency(n: int, a: np.ndarray, b: np.ndarray) -> tuple[list[int], list[int]]:
    """Compressed-row adjacency of the undirected simple graph with edges a[i]-b[i]."""
    src = np.concatenate([a, b])
    dst = np.concatenate([b, a])
    order = np.argsort(src, kind="stable")
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(src, minlength=n), out=indptr[1:])
    return indptr.tolist(), dst[order].tolist()


def landscape_metrics(G: nx.MultiDiGraph) -> dict[str, Any]:
    """Integration metrics of a landscape, as a JSON-serialisable dict.

    Only systems (nodes with ``kind == "system"``) count as the enterprise;
    partners (``kind == "partner"``) appear in ``manual_links``, ``value_chain``
    and ``digital_thread``.  *Automatic* links are those with mode realtime or
    batch; direction is ignored.

    Returns
    -------
    dict
        ``systems``, ``partners``, ``links``
            Counts of systems, partners and links (all modes, all ends).
        ``islands``
            Information islands (信息孤岛): the connected components of the
            systems joined by automatic links, partners left out.  A list of
            lists of system ids, each in landscape order; largest island first,
            ties in landscape order of their first system.  Every system is in
            exactly one island; a system without automatic links to other
            systems is an island of its own.  ``island_count`` is their number.
        ``vertical_integration``
            Share of the systems at ISA-95 levels 0-2 that reach a level-4
            system through automatic links between systems (that is, whose
            island holds a level-4 system); ``None`` when no system is at
            levels 0-2.
        ``horizontal_integration``
            Share of the *present* pairs of neighbouring value-chain stages
            (design-procurement, procurement-production, production-logistics,
            logistics-sales, sales-service; present when both stages have at
            least one system) that are joined by at least one direct automatic
            link between a system of one stage and a system of the other;
            ``None`` when no pair is present.  ``stage_pairs`` gives the detail.
        ``it_ot_convergence``
            Among the links between two systems that cross the IT/OT boundary
            (one end IT, the other OT), the share that are automatic; ``None``
            when no link crosses.
        ``manual_links``, ``manual_link_list``
            Number of manual links (between systems or with partners) and the
            list of them (``source``, ``target``, ``source_name``,
            ``target_name``, ``key``, ``protocol``), in graph order.
        ``single_points_of_failure``
            ``{"systems": [...], "links": [...]}``: the systems and the links
            whose loss splits an island.  These are the articulation points and
            bridges of the undirected simple graph of automatic links between
            systems; two parallel links (either direction) between the same
            pair are never a bridge.  Links are given as ``source``, ``target``
            and ``key``.
        ``value_chain``
            Partners by how they exchange data with the enterprise's systems:
            ``automatic`` (at least one automatic link to a system), ``manual``
            (linked to systems, but only manually) and ``unlinked``; lists of
            partner ids in landscape order; ``share_automatic`` is the share
            of partners that are automatic (``None`` without partners).
        ``digital_thread``
            ``True`` when an automatic path (direction ignored) runs from a
            supplier through one or more systems to a customer, i.e. some
            supplier and some customer both have automatic links into the same
            island.  ``digital_thread_path`` is a shortest such path (ids,
            supplier first) or ``None``.

    Examples
    --------
    Four systems: a machine and a PLC joined in real time, the PLC to the ERP
    by a nightly batch, and an isolated sensor.

    >>> from value_chain.landscape import landscape_from_dict
    >>> G = landscape_from_dict({
    ...     "systems": [{"id": "erp", "name": "ERP", "type": "ERP"},
    ...                 {"id": "plc", "name": "PLC", "type": "PLC"},
    ...                 {"id": "cnc", "name": "CNC", "type": "machine"},
    ...                 {"id": "temp", "name": "Sensor", "type": "sensor"}],
    ...     "links": [{"source": "cnc", "target": "plc", "mode": "realtime"},
    ...               {"source": "plc", "target": "erp", "mode": "batch"}]})
    >>> m = landscape_metrics(G)
    >>> m["islands"]
    [['erp', 'plc', 'cnc'], ['temp']]
    >>> m["vertical_integration"]  # cnc and plc reach the ERP, the sensor does not
    0.666...
    >>> m["single_points_of_failure"]["systems"]
    ['plc']
    >>> m["it_ot_convergence"], m["horizontal_integration"], m["digital_thread"]
    (1.0, None, False)
    """
    nodes = list(G.nodes(data=True))
    systems = [n for n, d in nodes if d.get("kind", "system") == "system"]
    partners = [n for n, d in nodes if d.get("kind", "system") != "system"]
    pos: dict[Hashable, int] = {n: i for i, n in enumerate(systems)}
    attrs = dict(nodes)  # plain dict lookups: NodeView.__getitem__ is slow
    n = len(systems)

    domain = [attrs[s].get("domain") for s in systems]
    stage = [attrs[s].get("stage") for s in systems]

    # One pass over the links.
    pair_count: dict[int, int] = {}
    pair_link: dict[int, tuple[Any, Any, Any]] = {}
    partner_auto: dict[Hashable, list[int]] = {}
    partner_linked: set[Hashable] = set()
    stage_links: set[tuple[str, str]] = set()
    manual_list: list[dict[str, Any]] = []
    crossing = crossing_auto = 0
    n_links = 0
    for u, v, key, mode in G.edges(keys=True, data="mode"):
        n_links += 1
        automatic = mode in AUTOMATIC_MODES
        if mode == "manual":
            manual_list.append(
                {
                    "source": u,
                    "target": v,
                    "source_name": attrs[u].get("name", str(u)),
                    "target_name": attrs[v].get("name", str(v)),
                    "key": key,
                    "protocol": G.edges[u, v, key].get("protocol"),
                }
            )
        iu, iv = pos.get(u), pos.get(v)
        if iu is not None and iv is not None:
            du, dv = domain[iu], domain[iv]
            if du != dv:
                crossing += 1
                crossing_auto += automatic
            if automatic and iu != iv:
                code = iu * n + iv if iu < iv else iv * n + iu
                if code in pair_count:
                    pair_count[code] += 1
                else:
                    pair_count[code] = 1
                    pair_link[code] = (u, v, key)
                su, sv = stage[iu], stage[iv]
                if su is not None and sv is not None and su != sv:
                    stage_links.add((su, sv) if su < sv else (sv, su))
        elif iu is not None or iv is not None:
            partner, system = (v, iu) if iu is not None else (u, iv)
            partner_linked.add(partner)
            if automatic:
                partner_auto.setdefault(partner, []).append(system)

    # Components, articulation points and bridges of the automatic system graph.
    codes = np.fromiter(pair_count.keys(), dtype=np.int64, count=len(pair_count))
    a, b = (codes // n, codes % n) if n else (codes, codes)
    indptr, nbrs = _adjacency(n, a, b)
    comp, cuts, bridge_pairs = _dfs(n, indptr, nbrs)

    members: dict[int, list[Hashable]] = {}
    for i, c in enumerate(comp):
        members.setdefault(c, []).append(systems[i])
    islands = sorted(members.values(), key=lambda m: (-len(m), pos[m[0]]))

    # Vertical integration: levels 0-2 whose island holds a level-4 system.
    levels = [attrs[s].get("level") for s in systems]
    top = {comp[i] for i, level in enumerate(levels) if level == 4}
    low = [i for i, level in enumerate(levels) if level is not None and level <= 2]
    vertical = _share(sum(comp[i] in top for i in low), len(low))

    # Horizontal integration along the value chain.
    stages_present = {attrs[s].get("stage") for s in systems}
    pairs = []
    for first, second in itertools.pairwise(VALUE_CHAIN):
        present = first in stages_present and second in stages_present
        key = (first, second) if first < second else (second, first)
        pairs.append(
            {
                "from": first,
                "to": second,
                "present": present,
                "linked": present and key in stage_links,
            }
        )
    present_pairs = [p for p in pairs if p["present"]]
    horizontal = _share(sum(p["linked"] for p in present_pairs), len(present_pairs))

    # Single points of failure.
    spof_links = []
    for p, c in bridge_pairs:
        code = p * n + c if p < c else c * n + p
        if pair_count[code] == 1:
            u, v, key = pair_link[code]
            spof_links.append({"source": u, "target": v, "key": key})
    spof_links.sort(key=lambda e: (pos[e["source"]], pos[e["target"]]))

    # Partners and the digital thread.
    automatic_partners = [p for p in partners if p in partner_auto]
    manual_partners = [p for p in partners if p in partner_linked and p not in partner_auto]
    unlinked = [p for p in partners if p not in partner_linked]
    path = _digital_thread(G, systems, partner_auto, indptr, nbrs)

    return {
        "systems": n,
        "partners": len(partners),
        "links": n_links,
        "islands": islands,
        "island_count": len(islands),
        "vertical_integration": vertical,
        "horizontal_integration": horizontal,
        "stage_pairs": pairs,
        "it_ot_convergence": _share(crossing_auto, crossing),
        "manual_links": len(manual_list),
        "manual_link_list": manual_list,
        "single_points_of_failure": {
            "systems": [s for i, s in enumerate(systems) if i in cuts],
            "links": spof_links,
        },
        "value_chain": {
            "automatic": automatic_partners,
            "manual": manual_partners,
            "unlinked": unlinked,
            "share_automatic": _share(len(automatic_partners), len(partners)),
        },
        "digital_thread": path is not None,
        "digital_thread_path": path,
    }


def _digital_thread(
    G: nx.MultiDiGraph,
    systems: list[Hashable],
    partner_auto: dict[Hashable, list[int]],
    indptr: list[int],
    nbrs: list[int],
) -> list[Hashable] | None:
    """A shortest supplier - systems - customer path of automatic links, or None.

    Multi-source breadth-first search from every system a supplier feeds
    automatically, stopping at the first system that feeds a customer.
    """
    role = G.nodes

    def entries(wanted: str) -> dict[int, Hashable]:
        out: dict[int, Hashable] = {}
        for partner, linked in partner_auto.items():
            if role[partner].get("role") == wanted:
                for i in linked:
                    out.setdefault(i, partner)
        return out

    starts, ends = entries("supplier"), entries("customer")
    if not starts or not ends:
        return None
    previous = dict.fromkeys(starts, -1)
    frontier = sorted(starts)
    while frontier:
        following = []
        for v in frontier:
            if v in ends:
                chain = [v]
                while previous[chain[-1]] != -1:
                    chain.append(previous[chain[-1]])
                chain.reverse()
                return [starts[chain[0]], *(systems[i] for i in chain), ends[v]]
            for w in nbrs[indptr[v] : indptr[v + 1]]:
                if w not in previous:
                    previous[w] = v
                    following.append(w)
        frontier = following
    return None
