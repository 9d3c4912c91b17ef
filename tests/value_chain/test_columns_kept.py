"""The columns of a landscape are built once and kept with it (value_chain/_link_table.py,
value_chain/landscape_graph.py), and never used after the graph has changed."""

from __future__ import annotations

import copy
import pickle

import networkx as nx
import numpy as np
import pytest

import value_chain._link_table as columns
from value_chain import landscape_from_dict, landscape_metrics, random_landscape
from value_chain._link_table import link_table
from value_chain.landscape_graph import LandscapeGraph, edits


def line():
    # erp (L4), mes (L3), plc (L1); link 0 mes -> erp manual, link 1 plc -> mes batch.
    # Islands: {mes, plc} and {erp}; one manual link.
    return landscape_from_dict({
        "systems": [{"id": "erp", "name": "ERP", "type": "ERP"},
                    {"id": "mes", "name": "MES", "type": "MES"},
                    {"id": "plc", "name": "PLC", "type": "PLC"}],
        "links": [{"source": "mes", "target": "erp", "mode": "manual"},
                  {"source": "plc", "target": "mes", "mode": "batch"}]})


def plain(G: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """The same landscape as a plain networkx graph, which keeps nothing (walked each time)."""
    H = nx.MultiDiGraph(**G.graph)
    H.add_nodes_from((n, dict(d)) for n, d in G.nodes(data=True))
    H.add_edges_from((u, v, k, dict(d)) for u, v, k, d in G.edges(keys=True, data=True))
    return H


def test_the_columns_are_built_once_while_nothing_changes(monkeypatch):
    G = line()
    t = link_table(G)
    assert isinstance(G, LandscapeGraph) and isinstance(G, nx.MultiDiGraph)
    assert link_table(G) is t

    def no_walk(G):
        raise AssertionError("walked again")

    monkeypatch.setattr(columns, "_walk", no_walk)
    m = landscape_metrics(G)
    assert m.islands == [["mes", "plc"], ["erp"]] and m.manual_links == 1
    with pytest.raises(ValueError):  # a kept table is shared: read-only
        t.mode[0] = 0


def _set_mode(G):
    G.edges["mes", "erp", 0]["mode"] = "batch"


def _update_mode(G):
    G.edges["mes", "erp", 0].update(mode="realtime")


def _networkx_sets_mode(G):
    nx.set_edge_attributes(G, {("mes", "erp", 0): "batch"}, "mode")


def _delete_mode(G):
    del G.edges["mes", "erp", 0]["mode"]


def _isolate_erp(G):
    G.nodes["erp"]["isolated"] = True


def _move_link(G):
    # as many nodes and links as before: plc -> mes removed, mes -> erp batch added
    G.remove_edge("plc", "mes", 1)
    G.add_edge("mes", "erp", key=1, mode="batch", bidirectional=False)


def _remove_link(G):
    G.remove_edge("mes", "erp", 0)


def _swap_system(G):
    G.remove_node("plc")
    G.add_node("plc2", kind="system", name="PLC 2", type="PLC", level=1, domain="OT",
               stage="production")
    G.add_edge("plc2", "mes", key=1, mode="batch", bidirectional=False)


# Expected after each change, by hand: (islands, island_count, manual links)
CHANGES = {
    _set_mode: ([["erp", "mes", "plc"]], 1, 0),
    _update_mode: ([["erp", "mes", "plc"]], 1, 0),
    _networkx_sets_mode: ([["erp", "mes", "plc"]], 1, 0),
    _delete_mode: ([["mes", "plc"], ["erp"]], 2, 0),  # a link of no known mode
    _isolate_erp: ([["mes", "plc"], ["erp"]], 1, 1),  # erp listed apart, not counted
    _move_link: ([["erp", "mes"], ["plc"]], 2, 1),
    _remove_link: ([["mes", "plc"], ["erp"]], 2, 0),
    _swap_system: ([["mes", "plc2"], ["erp"]], 2, 1),
}


@pytest.mark.parametrize("change", CHANGES, ids=lambda f: f.__name__.strip("_"))
def test_a_kept_table_is_not_used_after_the_graph_changes(change):
    G = line()
    before = landscape_metrics(G)
    assert (before.islands, before.island_count, before.manual_links) == (
        [["mes", "plc"], ["erp"]], 2, 1)
    change(G)
    after = landscape_metrics(G)
    assert (after.islands, after.island_count, after.manual_links) == CHANGES[change]
    assert after == landscape_metrics(plain(G))  # the same as a graph walked afresh


def test_copies_views_and_pickles_keep_their_own_count():
    G = line()
    landscape_metrics(G)
    H = G.copy()  # a new graph: changing it leaves G's columns valid, and G's are not H's
    H.edges["mes", "erp", 0]["mode"] = "batch"
    assert landscape_metrics(H).island_count == 1
    assert landscape_metrics(G).island_count == 2
    for K in (pickle.loads(pickle.dumps(G)), copy.deepcopy(G)):
        assert landscape_metrics(K).island_count == 2
        K.edges["mes", "erp", 0]["mode"] = "batch"
        assert landscape_metrics(K).island_count == 1
    assert landscape_metrics(G).island_count == 2
    view = G.subgraph(["mes", "erp"])  # a view has no count of its own: walked each time
    assert edits(view) is None and link_table(view) is not link_table(view)
    assert landscape_metrics(view).island_count == 2
    G.edges["mes", "erp", 0]["mode"] = "batch"
    assert landscape_metrics(view).island_count == 1
    assert edits(plain(G)) is None


@pytest.mark.parametrize(("n", "seed", "degree"), [(2, 0, 4.0), (7, 1, 9.0), (500, 3, 4.0),
                                                   (3000, 5, 30.0)])
def test_the_generator_columns_equal_a_walk_of_its_graph(n, seed, degree):
    G = random_landscape(n, seed=seed, links_per_system=degree)
    assert columns._KEPT in G.__dict__  # built by the generator from its arrays
    kept, walked = link_table(G), columns._walk(G)
    assert kept is G.__dict__[columns._KEPT][1]
    for name in kept.__dataclass_fields__:
        a, b = getattr(kept, name), getattr(walked, name)
        if isinstance(a, np.ndarray):
            assert a.dtype == b.dtype and np.array_equal(a, b), name
        else:
            assert a == b, name
    assert landscape_metrics(G) == landscape_metrics(plain(G))
