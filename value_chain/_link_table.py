"""The landscape as columns: one array per system attribute and per link attribute.

Every metric of :mod:`value_chain.metrics` works on these arrays (numpy and
``scipy.sparse``), never on networkx's dicts of dicts: the graph is walked once,
with the garbage collector paused (a landscape of a million systems is tens of
millions of small Python objects, and every collection would scan them all).

Functions (units)
-----------------
Counting is over *functions*, not drawn nodes, so that how finely a plant is
drawn does not decide its figures.  A system's function is

- its type within its ``cell`` (ISA-95 work centre or area) when it has one:
  twelve PLCs of one press line are one function;
- otherwise, for business systems (levels 3-4), its type within its ``site``:
  ERP modules drawn as several systems are one ERP;
- otherwise (shop-floor systems without a cell, systems of type ``other``) the
  system itself.

Each system that counts (not ``isolated``) weighs ``1 / (such systems of its function)``, so every
function weighs 1 however many nodes draw it.

Examples
--------
>>> from value_chain.landscape import landscape_from_dict
>>> G = landscape_from_dict({"systems": [
...     {"id": "fi", "name": "ERP FI", "type": "ERP"},
...     {"id": "mm", "name": "ERP MM", "type": "ERP"},
...     {"id": "p1", "name": "PLC 1", "type": "PLC", "cell": "press 1"},
...     {"id": "p2", "name": "PLC 2", "type": "PLC", "cell": "press 1"},
...     {"id": "s1", "name": "Sensor", "type": "sensor"}],
...   "links": [{"source": "p1", "target": "fi", "mode": "batch"}]})
>>> t = link_table(G)
>>> t.unit.tolist(), t.weight.tolist()
([0, 0, 1, 1, 2], [0.5, 0.5, 0.5, 0.5, 1.0])
>>> t.src.tolist(), t.dst.tolist(), t.mode.tolist()
([2], [0], [1])
"""

from __future__ import annotations

import gc
from collections.abc import Hashable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd
from scipy import sparse

from value_chain.landscape import ROLES, STAGES

__all__ = ["MODE_CODES", "LinkTable", "link_table", "paused_gc"]

MODE_CODES: dict[str, int] = {"realtime": 0, "batch": 1, "manual": 2}
"""Link modes as codes; realtime (0) and batch (1) are automatic."""


@contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector (nothing here makes reference cycles)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _codes(values: list[Any], vocabulary: tuple[str, ...]) -> np.ndarray:
    lookup = {v: i for i, v in enumerate(vocabulary)}
    return np.fromiter((lookup.get(v, -1) for v in values), dtype=np.int8, count=len(values))


@dataclass(frozen=True, eq=False)
class LinkTable:
    """Columns of a landscape.

    Nodes (systems and partners) are numbered in graph order; ``is_system`` tells
    them apart.  Link ``i`` runs from node ``src[i]`` to node ``dst[i]``; its mode
    code is ``mode[i]`` (-1 when unknown), in graph order of the links.
    """

    ids: list[Hashable]
    names: list[str]
    is_system: np.ndarray  # bool per node
    level: np.ndarray  # int8 per node, -1 when unknown (partners)
    ot: np.ndarray  # bool per node: domain OT
    it: np.ndarray  # bool per node: domain IT
    stage: np.ndarray  # int8 index into STAGES, -1 when unknown
    role: np.ndarray  # int8 index into ROLES, -1 for systems
    types: list[Any]
    isolated: np.ndarray  # bool per node
    unit: np.ndarray  # int64 function id per node (-1 for partners)
    weight: np.ndarray  # float per node: 1 / systems of its function (0 for partners)
    src: np.ndarray  # int64 per link
    dst: np.ndarray  # int64 per link
    mode: np.ndarray  # int8 per link
    both: np.ndarray  # bool per link: bidirectional
    keys: list[Any]
    protocols: dict[int, Any]  # link number -> protocol, for manual links

    @property
    def n(self) -> int:
        """Number of nodes (systems and partners)."""
        return len(self.ids)

    @property
    def counted(self) -> np.ndarray:
        """Systems that count: every system not marked ``isolated``."""
        return self.is_system & ~self.isolated

    def automatic(self, *, systems_only: bool = True) -> np.ndarray:
        """Mask of the automatic links (between counted systems unless told otherwise)."""
        mask = (self.mode == 0) | (self.mode == 1)
        if systems_only:
            counted = self.counted
            mask &= counted[self.src] & counted[self.dst]
        return mask

    def flow_matrix(self, mask: np.ndarray) -> sparse.csr_matrix:
        """Directed adjacency of the links in ``mask`` (bidirectional links both ways)."""
        src, dst, both = self.src[mask], self.dst[mask], self.both[mask]
        rows = np.concatenate([src, dst[both]])
        cols = np.concatenate([dst, src[both]])
        data = np.ones(rows.size, dtype=np.int8)
        return sparse.csr_matrix((data, (rows, cols)), shape=(self.n, self.n))


def _units(
    sites: list[Any], cells: list[Any], types: list[Any], level: np.ndarray,
    is_system: np.ndarray, counted: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    n = len(types)
    site_code = pd.factorize(pd.Series(sites, dtype=object), use_na_sentinel=True)[0] + 1
    cell_code = pd.factorize(pd.Series(cells, dtype=object), use_na_sentinel=True)[0] + 1
    type_code = pd.factorize(pd.Series(types, dtype=object), use_na_sentinel=True)[0] + 1
    has_cell = cell_code > 0
    grouped = is_system & (has_cell | ((level >= 3) & (np.asarray(types, dtype=object) != "other")))
    key = (site_code.astype(np.int64) * (cell_code.max() + 1) + cell_code) * (
        type_code.max() + 1
    ) + type_code
    # Systems not grouped are their own function: a key no group can have.
    key = np.where(grouped, key, -1 - np.arange(n, dtype=np.int64))
    unit = pd.factorize(key)[0].astype(np.int64)
    unit[~is_system] = -1
    # Weights over the systems that count: an isolated safety PLC of a cell takes no share.
    counts = np.bincount(unit[counted], minlength=unit.max() + 1 if n else 0)
    weight = np.zeros(n)
    weight[counted] = 1.0 / counts[unit[counted]]
    return unit, weight


_NODE_FIELDS = ("kind", "level", "domain", "stage", "role", "type", "isolated", "name", "site",
                "cell")


def link_table(G: nx.MultiDiGraph) -> LinkTable:
    """Walk the graph once and return its columns (see the module notes)."""
    with paused_gc():
        node_attrs = G._node  # plain dicts: the public views cost a call per access
        ids = list(node_attrs)
        n = len(ids)
        pos = dict(zip(ids, range(n), strict=True))
        # One pass over the node dicts (each visit is a cache miss on a big graph).
        rows = [(d.get("kind"), d.get("level"), d.get("domain"), d.get("stage"), d.get("role"),
                 d.get("type"), d.get("isolated"), d.get("name"), d.get("site"), d.get("cell"))
                for d in node_attrs.values()]  # the order of _NODE_FIELDS
        kind, lv, domain, stage_, role_, types, iso, name, site, cell = (
            list(c) for c in (zip(*rows, strict=True) if rows else [()] * len(_NODE_FIELDS)))
        del rows
        is_system = np.fromiter((k in (None, "system") for k in kind), dtype=bool, count=n)
        level = np.fromiter((-1 if x is None else x for x in lv), dtype=np.int8, count=n)
        ot = np.fromiter((x == "OT" for x in domain), dtype=bool, count=n) & is_system
        it = np.fromiter((x == "IT" for x in domain), dtype=bool, count=n) & is_system
        stage = _codes(stage_, STAGES)
        role = _codes(role_, ROLES)
        role[is_system] = -1
        isolated = np.fromiter((bool(x) for x in iso), dtype=bool, count=n) & is_system
        names = [str(i) if x is None else str(x) for i, x in zip(ids, name, strict=True)]
        unit, weight = _units(site, cell, types, level, is_system, is_system & ~isolated)

        links: list[tuple[int, int, Any, Any, Any]] = []
        append = links.append
        protocols: dict[int, Any] = {}
        for i, nbrs in enumerate(G._succ.values()):
            for v, keydict in nbrs.items():
                j = pos[v]
                for k, d in keydict.items():
                    mode_ = d.get("mode")
                    if mode_ == "manual":  # how a manual link is carried, for the reports
                        protocols[len(links)] = d.get("protocol")
                    append((i, j, k, mode_, d.get("bidirectional")))
        m = len(links)
        columns = list(zip(*links, strict=True)) if links else [(), (), (), (), ()]
        del links
        mode = np.fromiter(
            (MODE_CODES.get(x, -1) for x in columns[3]), dtype=np.int8, count=m
        )
        both = np.fromiter((x is True for x in columns[4]), dtype=bool, count=m)
        return LinkTable(
            ids=ids,
            names=names,
            is_system=is_system,
            level=level,
            ot=ot,
            it=it,
            stage=stage,
            role=role,
            types=types,
            isolated=isolated,
            unit=unit,
            weight=weight,
            src=np.fromiter(columns[0], dtype=np.int64, count=m),
            dst=np.fromiter(columns[1], dtype=np.int64, count=m),
            mode=mode,
            both=both,
            keys=list(columns[2]),
            protocols=protocols,
        )
