"""The graph a landscape is read into: a networkx ``MultiDiGraph`` that knows when it changes.

:class:`LandscapeGraph` is a plain :class:`networkx.MultiDiGraph` (every networkx
function takes it) with one addition: an *edit count* that goes up whenever the
graph changes, so that what was computed from it (the columns of
:mod:`value_chain._link_table`) can be kept and reused while it is unchanged.  The
readers (:func:`~value_chain.landscape.read_landscape` and friends) and
:func:`~value_chain.generate.random_landscape` return one.

What counts as a change
-----------------------
- adding or removing nodes or edges, through any method of the graph
  (``add_node``, ``add_edges_from``, ``remove_node``, ``clear`` ...);
- changing the attributes of a node or an edge through its dict, however it is
  reached: ``G.nodes[n]["level"] = 3``, ``G.edges[u, v, k].update(mode="batch")``,
  ``nx.set_edge_attributes(G, ...)``, ``del``, ``pop``, ``clear``, ``setdefault``.

Limits: writing to networkx's private structures (``G._node``, ``G._succ``) or
calling ``dict.__setitem__(d, ...)`` on an attribute dict directly is not seen;
``G.graph`` (the enterprise) is not watched, as no figure depends on it.  A view
(``G.subgraph(...)``, ``G.reverse(copy=False)``) shares its parent's dicts and has no
count of its own, so nothing is kept for it (:func:`edits` returns None).

Examples
--------
>>> G = LandscapeGraph()
>>> G.add_node("erp", level=4)
>>> before = edits(G)
>>> G.nodes["erp"]["level"] = 3
>>> edits(G) > before
True
>>> edits(G.subgraph(["erp"])) is None  # a view: nothing is kept for it
True
"""

from __future__ import annotations

import contextlib
from typing import Any

import networkx as nx

__all__ = ["LandscapeGraph", "edits"]


class _Edits:
    """The edit count of one graph, shared by its attribute dicts."""

    __slots__ = ("n",)

    def __init__(self) -> None:
        self.n = 0


class _Attrs(dict):
    """A node's or an edge's attribute dict that counts its changes on its graph.

    A dict rebuilt by ``pickle`` or ``copy`` gets its items before its count, so
    every change checks that the count is there."""

    __slots__ = ("_edits",)

    def _bump(self) -> None:
        with contextlib.suppress(AttributeError):  # rebuilt by pickle or copy: not set yet
            self._edits.n += 1

    def __setitem__(self, key: Any, value: Any) -> None:
        dict.__setitem__(self, key, value)
        self._bump()

    def __delitem__(self, key: Any) -> None:
        dict.__delitem__(self, key)
        self._bump()

    def __ior__(self, other: Any) -> _Attrs:
        dict.update(self, other)
        self._bump()
        return self

    def update(self, *args: Any, **kwargs: Any) -> None:  # networkx fills new dicts with it
        dict.update(self, *args, **kwargs)
        self._bump()

    def pop(self, *args: Any) -> Any:
        self._bump()
        return dict.pop(self, *args)

    def popitem(self) -> tuple[Any, Any]:
        self._bump()
        return dict.popitem(self)

    def setdefault(self, key: Any, default: Any = None) -> Any:
        self._bump()
        return dict.setdefault(self, key, default)

    def clear(self) -> None:
        dict.clear(self)
        self._bump()


def _counted(name: str):
    method = getattr(nx.MultiDiGraph, name)

    def changed(self, *args: Any, **kwargs: Any) -> Any:
        out = method(self, *args, **kwargs)
        self._edits.n += 1
        return out

    changed.__name__ = changed.__qualname__ = name
    changed.__doc__ = f"``networkx.MultiDiGraph.{name}``, counted as a change."
    return changed


class LandscapeGraph(nx.MultiDiGraph):
    """A ``MultiDiGraph`` with an edit count (see the module notes)."""

    def __init__(self, incoming_graph_data: Any = None, multigraph_input: bool | None = None,
                 **attr: Any) -> None:
        self._edits = _Edits()
        super().__init__(incoming_graph_data, multigraph_input=multigraph_input, **attr)

    def node_attr_dict_factory(self) -> _Attrs:  # called once per node or edge added
        log = self._edits
        log.n += 1
        d = _Attrs()
        d._edits = log
        return d

    edge_attr_dict_factory = node_attr_dict_factory

    # Removals create no dict: count them here (adds are counted by the factory).
    remove_node = _counted("remove_node")
    remove_nodes_from = _counted("remove_nodes_from")
    remove_edge = _counted("remove_edge")
    remove_edges_from = _counted("remove_edges_from")
    clear = _counted("clear")
    clear_edges = _counted("clear_edges")


def edits(G: nx.MultiDiGraph) -> int | None:
    """The edit count of ``G``; None when ``G`` keeps none (a plain networkx graph or a
    view), so that nothing computed from it may be kept."""
    if not isinstance(G, LandscapeGraph) or "_graph" in G.__dict__ or type(G._node) is not dict:
        return None
    return G._edits.n
