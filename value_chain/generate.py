"""Synthetic landscapes for benchmarks and tests.

The generated graph has exactly the layout :func:`~value_chain.landscape.read_landscape`
produces (same node and edge attributes), so every function of the package
accepts it; it is built directly, without per-record validation, to stay fast
for a million systems, and its columns (:mod:`value_chain._link_table`) are built
from the generated arrays and kept with it, so its first metrics need no walk over
networkx's dicts.
"""

from __future__ import annotations

import networkx as nx
import numpy as np

from value_chain._link_table import NODE_FIELDS, keep_table, paused_gc, table_from_columns
from value_chain.landscape_graph import LandscapeGraph
from value_chain.landscape_schema import _catalogue
from value_chain.vocabulary import MODES, ROLES

__all__ = ["random_landscape"]

_TYPES_BY_LEVEL: dict[int, tuple[str, ...]] = {
    0: ("machine",),
    1: ("PLC", "sensor"),
    2: ("SCADA", "HMI", "DCS"),
    3: ("MES", "WMS", "QMS", "APS", "EAM", "historian", "iot_platform"),
    4: ("ERP", "PLM", "CRM", "SRM", "data_platform", "CAD"),
}
_LEVEL_SHARE = (0.30, 0.30, 0.20, 0.15, 0.05)
_MODES = MODES  # indexed by position: realtime, batch, manual
_MODE_SHARE = (0.5, 0.3, 0.2)


def random_landscape(
    n_systems: int,
    *,
    links_per_system: float = 4.0,
    site_size: int = 50,
    partners_per_100: float = 2.0,
    seed: int = 0,
) -> nx.MultiDiGraph:
    """A random but plausible landscape of ``n_systems`` systems.

    Systems are grouped into sites of ``site_size`` consecutive systems; links
    stay within a site, so the landscape has many islands and bridges like a
    real multi-site enterprise.  Levels follow a pyramid (30 % machines, 30 %
    level 1, 20 % level 2, 15 % level 3, 5 % level 4); link modes are 50 %
    realtime, 30 % batch and 20 % manual.

    Parameters
    ----------
    n_systems
        Number of systems (at least 2).
    links_per_system
        Average number of links touching a system (its degree); the landscape
        has ``round(n_systems * links_per_system / 2)`` links between systems.
    site_size
        Systems per site.
    partners_per_100
        Partners per 100 systems; each has one or two links to systems at
        levels 3-4.
    seed
        Random seed; the same arguments give the same graph.

    Examples
    --------
    >>> G = random_landscape(200, seed=1)
    >>> G.number_of_nodes(), G.number_of_edges() >= 400
    (204, True)
    >>> sorted({k for _, k in G.nodes(data="kind")})
    ['partner', 'system']
    """
    if n_systems < 2:
        raise ValueError("n_systems must be at least 2")
    with paused_gc():  # millions of small objects: collections would rescan them all
        return _generate(n_systems, links_per_system, site_size, partners_per_100, seed)


def _generate(n_systems: int, links_per_system: float, site_size: int,
              partners_per_100: float, seed: int) -> nx.MultiDiGraph:
    rng = np.random.default_rng(seed)
    catalogue = _catalogue()
    levels = rng.choice(5, size=n_systems, p=_LEVEL_SHARE)
    width = len(str(n_systems))
    ids = [f"S{i:0{width}d}" for i in range(n_systems)]
    G = LandscapeGraph(
        enterprise={
            "name": f"Synthetic enterprise ({n_systems} systems)",
            "industry_type": "discrete",
        }
    )
    picks = rng.random(n_systems)
    nodes = []
    for i, level in enumerate(levels.tolist()):
        options = _TYPES_BY_LEVEL[level]
        entry = catalogue[options[int(picks[i] * len(options))].lower()]
        nodes.append(
            (
                ids[i],
                {
                    "kind": "system",
                    "name": f"{entry['type']} {i}",
                    "type": entry["type"],
                    "level": level,
                    "domain": "OT" if level <= 2 else "IT",
                    "stage": entry["default_stage"],
                },
            )
        )
    G.add_nodes_from(nodes)

    # Links inside sites.
    m = round(n_systems * links_per_system / 2)
    source = rng.integers(0, n_systems, size=m)
    site_start = (source // site_size) * site_size
    site_len = np.minimum(site_size, n_systems - site_start)
    target = site_start + rng.integers(0, np.maximum(site_len - 1, 1), size=m)
    target = np.where(target >= source, target + 1, target)  # skip the source itself
    target = np.where(target >= site_start + site_len, site_start, target)
    modes = rng.choice(3, size=m, p=_MODE_SHARE)
    pairs = zip(source.tolist(), target.tolist(), modes.tolist(), strict=True)
    edges = [
        (ids[s], ids[t], k, {"mode": _MODES[md], "bidirectional": False})
        for k, (s, t, md) in enumerate(p for p in pairs if p[0] != p[1])
    ]

    # Partners, linked to business-level systems.
    n_partners = max(1, round(n_systems * partners_per_100 / 100))
    upper = np.flatnonzero(levels >= 3)
    if upper.size == 0:
        upper = np.arange(n_systems)
    k = len(edges)
    partners: list[tuple[str, dict]] = []
    for j in range(n_partners):
        pid = f"P{j:0{width}d}"
        role = ROLES[j % len(ROLES)]
        partners.append((pid, {"kind": "partner", "name": f"Partner {j}", "role": role}))
        G.add_node(pid, **partners[-1][1])
        for _ in range(1 + j % 2):
            system = ids[int(upper[rng.integers(0, upper.size)])]
            mode = _MODES[int(rng.choice(3, p=_MODE_SHARE))]
            u, v = (pid, system) if role == "supplier" else (system, pid)
            edges.append((u, v, k, {"mode": mode, "bidirectional": False}))
            k += 1
    G.add_edges_from(edges)
    table = _columns(nodes, partners, edges)
    for name in ("id_array", "name_array", "key_array", "name_of"):
        getattr(table, name)  # built with the landscape, not by its first measure
    keep_table(G, table)
    return G


def _columns(nodes: list[tuple[str, dict]], partners: list[tuple[str, dict]],
             edges: list[tuple[str, str, int, dict]]):
    """The graph's columns from the generated records, links in the graph's order:
    by source node, then by target in the order first linked, then by key."""
    records = nodes + partners
    ids = [x for x, _ in records]
    columns = {f: [d.get(f) for _, d in records] for f in NODE_FIELDS}
    pos = dict(zip(ids, range(len(ids)), strict=True))
    m = len(edges)
    src = np.fromiter((pos[e[0]] for e in edges), dtype=np.int64, count=m)
    dst = np.fromiter((pos[e[1]] for e in edges), dtype=np.int64, count=m)
    _, first, pair = np.unique(src * len(ids) + dst, return_index=True, return_inverse=True)
    order = np.lexsort((np.arange(m), first[pair], src))
    chosen = order.tolist()
    return table_from_columns(
        ids, columns, src[order], dst[order], [edges[i][2] for i in chosen],
        [edges[i][3]["mode"] for i in chosen], [edges[i][3]["bidirectional"] for i in chosen],
        {})
