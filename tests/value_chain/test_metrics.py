"""Integration metrics (value_chain/metrics.py), checked against hand computations."""

from __future__ import annotations

import json

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from value_chain import landscape_from_dict, landscape_metrics, random_landscape


def plant(systems, links=(), partners=()):
    """Small landscape from (id, type, level, stage) rows and (source, target, mode) links."""
    return landscape_from_dict(
        {
            "systems": [
                {"id": i, "name": f"{i.upper()} name", "type": t, "level": lv, "stage": st}
                for i, t, lv, st in systems
            ],
            "partners": [{"id": i, "name": i.title(), "role": r} for i, r in partners],
            "links": [{"source": s, "target": t, "mode": m} for s, t, m in links],
        }
    )


@pytest.fixture
def workshop():
    # 5 systems: erp (L4 IT management), mes (L3 IT production), wms (L3 IT logistics),
    # plc (L1 OT production), cnc (L0 OT production); a supplier and a customer.
    # Links: 0 cnc-plc realtime, 1 plc-mes batch, 2 and 3 mes-erp realtime + batch (parallel),
    # 4 wms-erp manual, 5 sup-erp batch, 6 erp-cust manual.
    return plant(
        [
            ("erp", "ERP", 4, "management"),
            ("mes", "MES", 3, "production"),
            ("wms", "WMS", 3, "logistics"),
            ("plc", "PLC", 1, "production"),
            ("cnc", "machine", 0, "production"),
        ],
        [
            ("cnc", "plc", "realtime"),
            ("plc", "mes", "batch"),
            ("mes", "erp", "realtime"),
            ("erp", "mes", "batch"),
            ("wms", "erp", "manual"),
            ("sup", "erp", "batch"),
            ("erp", "cust", "manual"),
        ],
        [("sup", "supplier"), ("cust", "customer")],
    )


def test_workshop_metrics_worked_by_hand(workshop):
    m = landscape_metrics(workshop)
    assert (m["systems"], m["partners"], m["links"]) == (5, 2, 7)
    # Automatic system links: cnc-plc, plc-mes, mes=erp (two). wms has only a manual link.
    assert m["islands"] == [["erp", "mes", "plc", "cnc"], ["wms"]]
    assert m["island_count"] == 2
    # Levels 0-2: plc and cnc, both in the island holding the ERP: 2/2.
    assert m["vertical_integration"] == 1.0
    # Stages in the chain: production (mes, plc, cnc), logistics (wms): one present pair,
    # production-logistics, not linked automatically (wms-erp is manual, erp is management): 0/1.
    assert m["horizontal_integration"] == 0.0
    assert [p for p in m["stage_pairs"] if p["present"]] == [
        {"from": "production", "to": "logistics", "present": True, "linked": False}
    ]
    # Links crossing IT/OT: only plc(OT)-mes(IT), batch: 1/1.
    assert m["it_ot_convergence"] == 1.0
    assert m["manual_links"] == 2
    assert m["manual_link_list"] == [
        {"source": "erp", "target": "cust", "source_name": "ERP name", "target_name": "Cust",
         "key": 6, "protocol": None},
        {"source": "wms", "target": "erp", "source_name": "WMS name", "target_name": "ERP name",
         "key": 4, "protocol": None},
    ]  # fmt: skip
    # Chain cnc - plc - mes = erp: plc and mes are cut vertices; cnc-plc and plc-mes are
    # bridges; mes-erp has two parallel links, so it is not a bridge.
    assert m["single_points_of_failure"] == {
        "systems": ["mes", "plc"],
        "links": [
            {"source": "plc", "target": "mes", "key": 1},
            {"source": "cnc", "target": "plc", "key": 0},
        ],
    }
    assert m["value_chain"] == {
        "automatic": ["sup"],
        "manual": ["cust"],
        "unlinked": [],
        "share_automatic": 0.5,
    }
    # The customer is only linked manually: no digital thread.
    assert m["digital_thread"] is False
    assert m["digital_thread_path"] is None
    json.dumps(m)  # JSON-serialisable


def test_digital_thread_when_the_customer_is_linked_automatically(workshop):
    workshop.add_edge("erp", "cust", key=7, mode="realtime", bidirectional=False)
    m = landscape_metrics(workshop)
    assert m["digital_thread"] is True
    assert m["digital_thread_path"] == ["sup", "erp", "cust"]
    assert m["value_chain"]["automatic"] == ["sup", "cust"]


def test_digital_thread_needs_systems_in_between():
    # Supplier and customer each reach a different island: no thread.
    # Islands: {erp, mes} and {crm}; sup->erp batch, crm->cust realtime.
    G = plant(
        [("erp", "ERP", 4, "management"), ("mes", "MES", 3, "production"),
         ("crm", "CRM", 4, "sales")],
        [("mes", "erp", "batch"), ("sup", "erp", "batch"), ("crm", "cust", "realtime"),
         ("sup", "cust", "realtime")],
        [("sup", "supplier"), ("cust", "customer")],
    )  # fmt: skip
    m = landscape_metrics(G)
    assert m["islands"] == [["erp", "mes"], ["crm"]]
    assert m["digital_thread"] is False
    # Joining crm to mes closes the thread sup-erp-mes-crm-cust.
    G.add_edge("crm", "mes", key=9, mode="batch")
    assert landscape_metrics(G)["digital_thread_path"] == ["sup", "erp", "mes", "crm", "cust"]


def test_nulls_when_nothing_to_measure():
    # One ERP: no level 0-2 system, no chain pair (management only), no IT/OT link, no partner.
    m = landscape_metrics(plant([("erp", "ERP", 4, "management")]))
    assert m["vertical_integration"] is None
    assert m["horizontal_integration"] is None
    assert m["it_ot_convergence"] is None
    assert m["value_chain"]["share_automatic"] is None
    assert m["islands"] == [["erp"]]
    assert m["single_points_of_failure"] == {"systems": [], "links": []}
    assert (m["manual_links"], m["manual_link_list"]) == (0, [])


def test_horizontal_integration_half():
    # design (plm) - procurement (srm): linked by batch; procurement - production (mes):
    # both present, joined only through the ERP (management): 1 of 2 pairs.
    G = plant(
        [("plm", "PLM", 4, "design"), ("srm", "SRM", 4, "procurement"),
         ("mes", "MES", 3, "production"), ("erp", "ERP", 4, "management")],
        [("plm", "srm", "batch"), ("srm", "erp", "realtime"), ("erp", "mes", "realtime")],
    )  # fmt: skip
    m = landscape_metrics(G)
    assert m["horizontal_integration"] == 0.5
    assert [(p["from"], p["to"]) for p in m["stage_pairs"] if p["linked"]] == [
        ("design", "procurement")
    ]


def test_vertical_and_it_ot_shares_with_manual_links():
    # 3 level 0-2 systems: plc1 reaches the ERP by batch, plc2 only manually, hmi not at all.
    # IT/OT crossing links: plc1-erp batch, plc2-erp manual: 1/2.
    G = plant(
        [("erp", "ERP", 4, "management"), ("plc1", "PLC", 1, "production"),
         ("plc2", "PLC", 1, "production"), ("hmi", "HMI", 2, "production")],
        [("plc1", "erp", "batch"), ("plc2", "erp", "manual")],
    )  # fmt: skip
    m = landscape_metrics(G)
    assert m["vertical_integration"] == pytest.approx(1 / 3)
    assert m["it_ot_convergence"] == 0.5
    # Islands: {erp, plc1} first, then single plc2 and hmi in landscape order.
    assert m["islands"] == [["erp", "plc1"], ["plc2"], ["hmi"]]


def test_island_ties_are_broken_by_landscape_order():
    G = plant(
        [("c", "MES", 3, "production"), ("a", "MES", 3, "production"),
         ("d", "MES", 3, "production"), ("b", "MES", 3, "production")],
        [("d", "b", "batch"), ("c", "a", "realtime")],
    )  # fmt: skip
    assert landscape_metrics(G)["islands"] == [["c", "a"], ["d", "b"]]


def test_cycle_has_no_single_point_of_failure():
    # Triangle a-b-c plus a pendant d on c: c is a cut vertex, c-d the only bridge.
    G = plant(
        [(x, "MES", 3, "production") for x in "abcd"],
        [("a", "b", "batch"), ("b", "c", "batch"), ("c", "a", "realtime"), ("c", "d", "realtime")],
    )
    spof = landscape_metrics(G)["single_points_of_failure"]
    assert spof == {"systems": ["c"], "links": [{"source": "c", "target": "d", "key": 3}]}


# --------------------------------------------------------------------------- properties

LEVEL = st.integers(0, 4)
MODE = st.sampled_from(["realtime", "batch", "manual"])


@st.composite
def landscapes(draw):
    n = draw(st.integers(1, 9))
    levels = draw(st.lists(LEVEL, min_size=n, max_size=n))
    pairs = st.tuples(st.integers(0, n - 1), st.integers(0, n - 1), MODE).filter(
        lambda p: p[0] != p[1]
    )
    links = draw(st.lists(pairs, max_size=14)) if n > 1 else []
    return landscape_from_dict(
        {
            "systems": [
                {"id": f"s{i}", "name": f"S{i}", "type": "other", "level": lv}
                for i, lv in enumerate(levels)
            ],
            "links": [{"source": f"s{a}", "target": f"s{b}", "mode": m} for a, b, m in links],
        }
    )


@settings(max_examples=80, deadline=None)
@given(landscapes())
def test_islands_partition_the_systems(G):
    islands = landscape_metrics(G)["islands"]
    flat = [s for island in islands for s in island]
    assert sorted(flat) == sorted(G.nodes)
    assert len(flat) == len(set(flat))
    assert [len(i) for i in islands] == sorted((len(i) for i in islands), reverse=True)


@settings(max_examples=80, deadline=None)
@given(landscapes(), st.data())
def test_adding_an_automatic_link_never_splits_or_disintegrates(G, data):
    if G.number_of_nodes() < 2:
        return
    before = landscape_metrics(G)
    a, b = data.draw(st.lists(st.sampled_from(list(G.nodes)), min_size=2, max_size=2, unique=True))
    G.add_edge(
        a, b, key="new", mode=data.draw(st.sampled_from(["realtime", "batch"])), bidirectional=False
    )
    after = landscape_metrics(G)
    assert after["island_count"] <= before["island_count"]
    if before["vertical_integration"] is not None:
        assert after["vertical_integration"] >= before["vertical_integration"]


@settings(max_examples=50, deadline=None)
@given(landscapes())
def test_without_links_every_system_is_its_own_island(G):
    G.remove_edges_from(list(G.edges(keys=True)))
    m = landscape_metrics(G)
    assert m["islands"] == [[s] for s in G.nodes]
    assert m["single_points_of_failure"] == {"systems": [], "links": []}


@settings(max_examples=80, deadline=None)
@given(landscapes())
def test_single_points_of_failure_agree_with_networkx(G):
    S = nx.MultiGraph()
    S.add_nodes_from(G.nodes)
    S.add_edges_from((u, v) for u, v, m in G.edges(data="mode") if m != "manual")
    simple = nx.Graph(S)
    m = landscape_metrics(G)
    assert set(m["single_points_of_failure"]["systems"]) == set(nx.articulation_points(simple))
    expected = {frozenset(e) for e in nx.bridges(simple) if S.number_of_edges(*e) == 1}
    got = {frozenset((e["source"], e["target"])) for e in m["single_points_of_failure"]["links"]}
    assert got == expected
    assert sorted(map(sorted, m["islands"])) == sorted(map(sorted, nx.connected_components(simple)))


def test_random_landscape_metrics_agree_with_networkx():
    G = random_landscape(2000, seed=5)
    m = landscape_metrics(G)
    S = nx.MultiGraph()
    systems = [n for n, k in G.nodes(data="kind") if k == "system"]
    S.add_nodes_from(systems)
    S.add_edges_from(
        (u, v) for u, v, md in G.edges(data="mode") if md != "manual" and u in S and v in S
    )
    simple = nx.Graph(S)
    assert m["island_count"] == nx.number_connected_components(simple)
    assert set(m["single_points_of_failure"]["systems"]) == set(nx.articulation_points(simple))
    assert len(m["single_points_of_failure"]["links"]) == sum(
        1 for e in nx.bridges(simple) if S.number_of_edges(*e) == 1
    )
