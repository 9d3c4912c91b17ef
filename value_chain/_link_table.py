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

import functools
import gc
from collections.abc import Hashable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd
from scipy import sparse

from value_chain.landscape_graph import edits
from value_chain.vocabulary import ROLES, STAGES

__all__ = ["MODE_CODES", "LinkTable", "keep_table", "link_table", "paused_gc",
           "table_from_columns"]

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
    protocols: dict[int, Any]  # link number -> protocol, for manual links that have one

    @functools.cached_property
    def id_array(self) -> np.ndarray:
        """The node ids as an object array, for gathering many at once (read-only)."""
        return _frozen(np.fromiter(self.ids, dtype=object, count=len(self.ids)))

    @functools.cached_property
    def name_array(self) -> np.ndarray:
        """The node names as an object array (read-only)."""
        return _frozen(np.fromiter(self.names, dtype=object, count=len(self.names)))

    @functools.cached_property
    def key_array(self) -> np.ndarray:
        """The link keys as an object array (read-only)."""
        return _frozen(np.fromiter(self.keys, dtype=object, count=len(self.keys)))

    @functools.cached_property
    def name_of(self) -> dict[Hashable, str]:
        """Node id -> name, built once per table (read it, do not change it)."""
        return dict(zip(self.ids, self.names, strict=True))

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


NODE_FIELDS = ("kind", "level", "domain", "stage", "role", "type", "isolated", "name", "site",
                "cell")


def _frozen(a: np.ndarray) -> np.ndarray:
    a.flags.writeable = False  # a kept table is shared: nobody may change it in place
    return a


def table_from_columns(
    ids: list[Hashable],
    nodes: Mapping[str, Sequence[Any]],
    src: np.ndarray,
    dst: np.ndarray,
    keys: list[Any],
    modes: Sequence[Any],
    bidirectional: Sequence[Any],
    protocols: dict[int, Any],
) -> LinkTable:
    """The table from the attribute columns of the nodes and links, as a graph holds them.

    ``nodes[field][i]`` is node ``i``'s attribute (None when it has none) for every
    field of ``NODE_FIELDS``; links are in graph order (``G._succ`` order), ``src``
    and ``dst`` node numbers, ``modes`` and ``bidirectional`` the attribute values
    (None when absent), ``protocols`` link number -> protocol of the manual links that
    have one.  :func:`link_table` walks a graph into these columns;
    :func:`~value_chain.generate.random_landscape` has them already.
    """
    n, m = len(ids), len(keys)
    kind, lv, domain = nodes["kind"], nodes["level"], nodes["domain"]
    is_system = np.fromiter((k in (None, "system") for k in kind), dtype=bool, count=n)
    level = np.fromiter((-1 if x is None else x for x in lv), dtype=np.int8, count=n)
    ot = np.fromiter((x == "OT" for x in domain), dtype=bool, count=n) & is_system
    it = np.fromiter((x == "IT" for x in domain), dtype=bool, count=n) & is_system
    stage = _codes(nodes["stage"], STAGES)
    role = _codes(nodes["role"], ROLES)
    role[is_system] = -1
    isolated = np.fromiter((bool(x) for x in nodes["isolated"]), dtype=bool, count=n) & is_system
    names = [str(i) if x is None else str(x) for i, x in zip(ids, nodes["name"], strict=True)]
    types = list(nodes["type"])
    unit, weight = _units(nodes["site"], nodes["cell"], types, level, is_system,
                          is_system & ~isolated)
    mode = np.fromiter((MODE_CODES.get(x, -1) for x in modes), dtype=np.int8, count=m)
    both = np.fromiter((x is True for x in bidirectional), dtype=bool, count=m)
    arrays = dict(is_system=is_system, level=level, ot=ot, it=it, stage=stage, role=role,
                  isolated=isolated, unit=unit, weight=weight,
                  src=np.asarray(src, dtype=np.int64), dst=np.asarray(dst, dtype=np.int64),
                  mode=mode, both=both)
    return LinkTable(ids=list(ids), names=names, types=types, keys=list(keys),
                     protocols=protocols, **{k: _frozen(v) for k, v in arrays.items()})


def _walk(G: nx.MultiDiGraph) -> LinkTable:
    """Walk the graph's dicts once into columns (no cache)."""
    with paused_gc():
        node_attrs = G._node  # plain dicts: the public views cost a call per access
        ids = list(node_attrs)
        n = len(ids)
        pos = dict(zip(ids, range(n), strict=True))
        # One pass over the node dicts (each visit is a cache miss on a big graph).
        rows = [(d.get("kind"), d.get("level"), d.get("domain"), d.get("stage"), d.get("role"),
                 d.get("type"), d.get("isolated"), d.get("name"), d.get("site"), d.get("cell"))
                for d in node_attrs.values()]  # the order of NODE_FIELDS
        columns = zip(*rows, strict=True) if rows else [()] * len(NODE_FIELDS)
        nodes = dict(zip(NODE_FIELDS, columns, strict=True))
        del rows

        links: list[tuple[int, int, Any, Any, Any]] = []
        append = links.append
        protocols: dict[int, Any] = {}
        for i, nbrs in enumerate(G._succ.values()):
            for v, keydict in nbrs.items():
                j = pos[v]
                for k, d in keydict.items():
                    mode_ = d.get("mode")
                    if mode_ == "manual":  # how a manual link is carried, for the reports
                        protocol = d.get("protocol")
                        if protocol is not None:
                            protocols[len(links)] = protocol
                    append((i, j, k, mode_, d.get("bidirectional")))
        m = len(links)
        cols = list(zip(*links, strict=True)) if links else [(), (), (), (), ()]
        del links
        return table_from_columns(
            ids, nodes, np.fromiter(cols[0], dtype=np.int64, count=m),
            np.fromiter(cols[1], dtype=np.int64, count=m), list(cols[2]), cols[3], cols[4],
            protocols)


_KEPT = "_value_chain_columns"


def keep_table(G: nx.MultiDiGraph, table: LinkTable) -> None:
    """Keep ``table`` with ``G`` (as it is now) for :func:`link_table` to reuse; nothing is
    kept for a graph without an edit count (see :mod:`value_chain.landscape_graph`)."""
    count = edits(G)
    if count is not None:
        G.__dict__[_KEPT] = (count, table)


def link_table(G: nx.MultiDiGraph) -> LinkTable:
    """The columns of ``G`` (see the module notes).

    A landscape read or generated by this package (a
    :class:`~value_chain.landscape_graph.LandscapeGraph`) keeps its columns once
    built, and they are reused until the graph changes in any way (a node or link
    added or removed, an attribute set); any other graph is walked on every call.
    The arrays of a table are read-only, as one table may be shared by many callers.

    >>> from value_chain.landscape import landscape_from_dict
    >>> G = landscape_from_dict({"systems": [{"id": "erp", "name": "ERP", "type": "ERP"}]})
    >>> link_table(G) is link_table(G)
    True
    >>> G.nodes["erp"]["isolated"] = True  # a change: the columns are built again
    >>> t = link_table(G)
    >>> t.isolated.tolist()
    [True]
    """
    count = edits(G)
    if count is not None:
        kept = G.__dict__.get(_KEPT)
        if kept is not None and kept[0] == count:
            return kept[1]
    table = _walk(G)
    keep_table(G, table)
    return table
