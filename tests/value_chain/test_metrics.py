"""Integration metrics (value_chain/metrics.py, value_chain/integration.py) on hand-drawn
graphs, each expected value worked out by hand in the comments."""

from __future__ import annotations

import json

import networkx as nx
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from value_chain import landscape_from_dict, landscape_metrics, random_landscape
from value_chain.metrics import LandscapeMetrics


def plant(systems, links=(), partners=()):
    """Landscape from (id, type, level, stage[, extra]) rows and (source, target, mode[, both])."""
    rows = []
    for row in systems:
        i, t, lv, st_ = row[:4]
        extra = row[4] if len(row) > 4 else {}
        rows.append({"id": i, "name": f"{i.upper()} name", "type": t, "level": lv,
                     "stage": st_, **extra})
    return landscape_from_dict({
        "systems": rows,
        "partners": [{"id": i, "name": i.title(), "role": r} for i, r in partners],
        "links": [{"source": s, "target": t, "mode": m, "bidirectional": bool(rest)}
                  for s, t, m, *rest in links],
    })


@pytest.fixture
def workshop():
    # erp (L4), mes (L3 production), wms (L3 logistics), plc (L1), cnc (L0); supplier, customer.
    # Links: 0 cnc->plc realtime, 1 plc->mes batch, 2 mes->erp realtime, 3 erp->mes batch,
    # 4 wms->erp manual, 5 sup->erp batch, 6 erp->cust manual.
    return plant(
        [("erp", "ERP", 4, "management"), ("mes", "MES", 3, "production"),
         ("wms", "WMS", 3, "logistics"), ("plc", "PLC", 1, "production"),
         ("cnc", "machine", 0, "production")],
        [("cnc", "plc", "realtime"), ("plc", "mes", "batch"), ("mes", "erp", "realtime"),
         ("erp", "mes", "batch"), ("wms", "erp", "manual"), ("sup", "erp", "batch"),
         ("erp", "cust", "manual")],
        [("sup", "supplier"), ("cust", "customer")],
    )


def test_workshop_metrics_worked_by_hand(workshop):
    m = landscape_metrics(workshop)
    assert isinstance(m, LandscapeMetrics)
    assert (m["systems"], m["partners"], m["links"], m["functions"]) == (5, 2, 7, 5)
    assert m["islands"] == [["erp", "mes", "plc", "cnc"], ["wms"]] and m["island_count"] == 2
    # Levels 3, 1, 0 exist below the ERP.  MES: up (mes->erp) and down (erp->mes): 1.
    # WMS: no automatic link: 0 -> level 3 is 1/2.  PLC up through MES (plc->mes): 1.
    # CNC up through the PLC (cnc->plc): 1.  Mean of (0.5, 1, 1) = 0.8333.
    assert [(r["level"], r["integrated"]) for r in m["vertical_by_level"]] == [
        (3, 0.5), (1, 1.0), (0, 1.0)]
    assert m["vertical_integration"] == pytest.approx(2.5 / 3, abs=1e-6)
    # Stages present: procurement (supplier), production, logistics (WMS), sales (customer).
    # procurement-production: sup->erp->mes automatic; production-logistics: WMS manual only;
    # logistics-sales: nothing automatic.  1 of 3.
    assert [(p["from"], p["to"], p["linked"]) for p in m["stage_pairs"]] == [
        ("procurement", "production", True), ("production", "logistics", False),
        ("logistics", "sales", False)]
    assert m["horizontal_integration"] == pytest.approx(1 / 3, abs=1e-6)
    assert m["stages_missing"] == ["design", "service"]
    # OT: plc and cnc, both reach the MES (IT): 1.
    assert m["it_ot_convergence"] == 1.0
    assert m["manual_links"] == 2
    assert m["manual_link_list"][0] == {"source": "erp", "target": "cust",
                                        "source_name": "ERP name", "target_name": "Cust",
                                        "key": 6, "protocol": None}
    # Chain cnc - plc - mes = erp.  plc->mes cuts off plc and cnc (2 systems): listed.
    # cnc-plc cuts off one device: not listed; plc cuts off one device: not listed.
    # mes cuts off plc and cnc: listed.  mes=erp is two links: never a bridge.
    assert m["single_points_of_failure"] == {
        "systems": ["mes"], "links": [{"source": "plc", "target": "mes", "key": 1}]}
    assert [(p["system"], p["cuts_off"]) for p in m["points_of_failure"]] == [
        ("mes", 2), (None, 2)]
    assert m["points_of_failure"][0]["examples"] == ["plc", "cnc"]
    assert m["value_chain"] == {"automatic": ["sup"], "manual": ["cust"], "unlinked": [],
                                "share_automatic": 0.5}
    # No design system: no digital thread, and the reason says so.
    assert (m["digital_thread"], m["digital_thread_reason"]) == (False, "no_design")
    json.dumps(m.to_dict())
    assert dict(m) == m.to_dict() and m.get("systems") == 5


def test_direction_counts_machine_plc_erp():
    # machine -> PLC <- ERP: orders reach the PLC, but nothing flows up: 0 at levels 1 and 0.
    G = plant([("erp", "ERP", 4, "management"), ("plc", "PLC", 1, "production"),
               ("m", "machine", 0, "production")],
              [("m", "plc", "realtime"), ("erp", "plc", "batch")])
    m = landscape_metrics(G)
    assert [(r["level"], r["up"], r["down"]) for r in m["vertical_by_level"]] == [
        (1, 0.0, 1.0), (0, 0.0, 0.0)]
    assert m["vertical_integration"] == 0.0
    # Marked bidirectional, the PLC-ERP link carries confirmations up too.
    G2 = plant([("erp", "ERP", 4, "management"), ("plc", "PLC", 1, "production"),
                ("m", "machine", 0, "production")],
               [("m", "plc", "realtime"), ("erp", "plc", "batch", True)])
    assert landscape_metrics(G2)["vertical_integration"] == 1.0


def test_cutter_fed_by_cad_is_not_integrated_and_levels_cannot_be_skipped():
    # CAD (L4) -> cutter (L0); the ERP and the MES are unlinked.  Levels 3 and 0 exist.
    G = plant([("erp", "ERP", 4, "management"), ("cad", "CAD", 4, "design"),
               ("mes", "MES", 3, "production"), ("cut", "machine", 0, "production")],
              [("cad", "cut", "batch")])
    m = landscape_metrics(G)
    assert [(r["level"], r["integrated"]) for r in m["vertical_by_level"]] == [(3, 0.0), (0, 0.0)]
    # A PLC straight to the ERP skips the MES level that exists: not integrated; once the
    # MES is linked both ways and the PLC reports to it, the PLC is.
    H = plant([("erp", "ERP", 4, "management"), ("mes", "MES", 3, "production"),
               ("plc", "PLC", 1, "production")],
              [("plc", "erp", "batch"), ("mes", "erp", "batch", True)])
    assert [r["integrated"] for r in landscape_metrics(H)["vertical_by_level"]] == [1.0, 0.0]
    H.add_edge("plc", "mes", key="x", mode="realtime", bidirectional=False)
    assert [r["integrated"] for r in landscape_metrics(H)["vertical_by_level"]] == [1.0, 1.0]


def test_horizontal_integration_through_the_erp_hub_and_partners():
    # MES -> ERP -> WMS: production and logistics exchange data through the ERP hub.
    G = plant([("erp", "ERP", 4, "management"), ("mes", "MES", 3, "production"),
               ("wms", "WMS", 3, "logistics")],
              [("mes", "erp", "batch"), ("erp", "wms", "realtime")])
    m = landscape_metrics(G)
    assert m["stage_pairs"] == [{"from": "production", "to": "logistics", "present": True,
                                 "linked": True}]
    assert m["horizontal_integration"] == 1.0
    # EDI from the supplier into the ERP, the customer by e-mail.  Pairs: proc-prod no
    # (supplier data stops in the ERP: MES -> ERP runs the other way), prod-log yes,
    # log-sales no (e-mail).
    G.add_node("sup", kind="partner", name="Sup", role="supplier")
    G.add_node("cust", kind="partner", name="Cust", role="customer")
    G.add_edge("sup", "erp", key="edi", mode="batch", protocol="EDI")
    G.add_edge("erp", "cust", key="mail", mode="manual", protocol="e-mail")
    assert [p["linked"] for p in landscape_metrics(G)["stage_pairs"]] == [False, True, False]
    # Once the ERP sends orders to the MES, supplier data reaches production: 2/3.
    G.add_edge("erp", "mes", key="orders", mode="batch")
    m = landscape_metrics(G)
    assert [p["linked"] for p in m["stage_pairs"]] == [True, True, False]
    assert m["horizontal_integration"] == pytest.approx(2 / 3, abs=1e-6)


def test_removing_an_unlinked_srm_does_not_raise_horizontal_integration():
    # Procurement is present through the supplier whether or not the SRM is drawn.
    base = [("erp", "ERP", 4, "management"), ("mes", "MES", 3, "production"),
            ("wms", "WMS", 3, "logistics")]
    links = [("mes", "erp", "batch"), ("erp", "wms", "batch"), ("sup", "erp", "manual")]
    with_srm = plant([*base, ("srm", "SRM", 4, "procurement")], links, [("sup", "supplier")])
    without = plant(base, links, [("sup", "supplier")])
    a, b = landscape_metrics(with_srm), landscape_metrics(without)
    # proc-prod no (supplier by hand, SRM unlinked), prod-log yes: 1/2 both ways.
    assert a["horizontal_integration"] == b["horizontal_integration"] == 0.5


def test_it_ot_convergence_is_a_share_of_ot_functions():
    # Three OT systems: plc1 reaches the ERP by batch, plc2 only by paper, hmi nothing: 1/3.
    G = plant([("erp", "ERP", 4, "management"), ("plc1", "PLC", 1, "production"),
               ("plc2", "PLC", 1, "production"), ("hmi", "HMI", 2, "production")],
              [("plc1", "erp", "batch"), ("plc2", "erp", "manual")])
    m = landscape_metrics(G)
    assert m["it_ot_convergence"] == pytest.approx(1 / 3, abs=1e-6)
    assert m["ot_not_reaching_it"] == ["plc2", "hmi"]
    # With no OT system there is nothing to measure, and a paper link does not change that.
    H = plant([("erp", "ERP", 4, "management"), ("mes", "MES", 3, "production")])
    H.add_edge("mes", "erp", key=0, mode="manual")
    m = landscape_metrics(H)
    assert (m["it_ot_convergence"], m["it_ot_reason"]) == (None, "no_ot")


def test_digital_thread_runs_design_production_service():
    # supplier -> ERP -> customer over EDI is not a thread (no design, no service).
    G = plant([("erp", "ERP", 4, "management"), ("mes", "MES", 3, "production")],
              [("sup", "erp", "batch"), ("erp", "cust", "batch"), ("erp", "mes", "batch")],
              [("sup", "supplier"), ("cust", "customer")])
    assert landscape_metrics(G)["digital_thread"] is False
    # PLM -> ERP -> MES -> service system: a thread, path through the ERP hub.
    H = plant([("plm", "PLM", 4, "design"), ("erp", "ERP", 4, "management"),
               ("mes", "MES", 3, "production"), ("svc", "CRM", 4, "service")],
              [("plm", "erp", "batch"), ("erp", "mes", "batch"), ("mes", "svc", "batch")])
    m = landscape_metrics(H)
    assert m["digital_thread"] is True
    assert m["digital_thread_path"] == ["plm", "erp", "mes", "svc"]
    # Production data stops at the MES: the reason names the missing step.
    H.remove_edge("mes", "svc")
    m = landscape_metrics(H)
    assert (m["digital_thread"], m["digital_thread_reason"]) == (False, "production_to_service")


def test_isolated_systems_are_reported_apart():
    # The safety PLC is kept apart on purpose: not an island, not in any share.
    G = plant([("erp", "ERP", 4, "management"), ("plc", "PLC", 1, "production"),
               ("sis", "PLC", 1, "production", {"isolated": True})],
              [("plc", "erp", "batch", True)])
    m = landscape_metrics(G)
    assert m["isolated"] == ["sis"]
    assert m["islands"] == [["erp", "plc"], ["sis"]] and m["island_count"] == 1
    assert m["vertical_integration"] == 1.0 and m["it_ot_convergence"] == 1.0


def test_star_of_plcs_lists_the_hub_not_the_leaf_links():
    # SCADA with 5 PLCs, SCADA <-> MES <-> ERP.  The five PLC links cut off one device each:
    # not listed.  SCADA cuts off 5 PLCs; MES cuts off SCADA + 5; links likewise.
    systems = [("erp", "ERP", 4, "management"), ("mes", "MES", 3, "production"),
               ("scada", "SCADA", 2, "production")]
    systems += [(f"p{i}", "PLC", 1, "production") for i in range(5)]
    links = [("scada", "mes", "realtime", True), ("mes", "erp", "batch", True)]
    links += [(f"p{i}", "scada", "realtime", True) for i in range(5)]
    m = landscape_metrics(plant(systems, links))
    ranked = [(p["system"] or p["link"]["source"] + "-" + p["link"]["target"], p["cuts_off"])
              for p in m["points_of_failure"]]
    # mes-erp cuts off MES, SCADA and the PLCs (7), MES itself SCADA and the PLCs (6).
    assert ranked == [("mes-erp", 7), ("mes", 6), ("scada-mes", 6), ("scada", 5)]
    assert m["single_points_of_failure"]["systems"] == ["mes", "scada"]
    assert len(m["single_points_of_failure"]["links"]) == 2


# --------------------------------------------------------------------------- granularity

def _line(plcs: int, erp_modules: int, analysers: int, cell: bool = True):
    """One press line: ERP (or ERP modules), MES, SCADA, PLCs in one cell, analysers of a lab
    cell (unlinked), a CAD, a service CRM; supplier EDI into the ERP."""
    c = {"cell": "press line 1"} if cell else {}
    lab = {"cell": "lab"} if cell else {}
    erps = [f"erp{j}" for j in range(erp_modules)]
    systems = [(e, "ERP", 4, "management") for e in erps]
    systems += [("mes", "MES", 3, "production"), ("scada", "SCADA", 2, "production", c),
                ("cad", "CAD", 4, "design"), ("crm", "CRM", 4, "service")]
    systems += [(f"plc{i}", "PLC", 1, "production", c) for i in range(plcs)]
    systems += [(f"an{i}", "sensor", 1, "production", lab) for i in range(analysers)]
    links = [(erps[j], erps[j + 1], "realtime", True) for j in range(erp_modules - 1)]
    links += [("mes", erps[0], "batch", True), ("scada", "mes", "realtime", True),
              ("cad", erps[-1], "manual"), (erps[0], "crm", "batch"),
              ("sup", erps[-1], "batch")]
    links += [(f"plc{i}", "scada", "realtime", True) for i in range(plcs)]
    return plant(systems, links, [("sup", "supplier")])


FIGURES = ("island_count", "vertical_integration", "horizontal_integration",
           "it_ot_convergence", "digital_thread", "functions")


def test_the_same_plant_at_two_granularities_has_the_same_figures():
    coarse = landscape_metrics(_line(plcs=1, erp_modules=1, analysers=1))
    fine = landscape_metrics(_line(plcs=12, erp_modules=3, analysers=10))
    assert {k: fine[k] for k in FIGURES} == {k: coarse[k] for k in FIGURES}
    assert [f"an{i}" for i in range(10)] in fine["islands"]  # listed as one island
    # Worked by hand (coarse): islands {erp, mes, scada, plc, crm}, {cad}, {an}: 3.
    # Levels 3, 2, 1: MES 1; SCADA 1; level 1 = PLC cell (1) and analyser cell (0): 0.5.
    # Mean (1 + 1 + 0.5) / 3.  OT functions: SCADA, PLC cell reach IT; analysers not: 2/3.
    assert coarse["island_count"] == 3
    assert coarse["vertical_integration"] == pytest.approx(2.5 / 3, abs=1e-6)
    assert coarse["it_ot_convergence"] == pytest.approx(2 / 3, abs=1e-6)
    # Stages: design (CAD), procurement (supplier), production, service (CRM).
    # design-proc: CAD is manual: no.  proc-prod: sup -> erp -> mes: yes.  prod-service:
    # mes -> erp -> crm: yes.  2/3.
    assert coarse["horizontal_integration"] == pytest.approx(2 / 3, abs=1e-6)
    # Without cells the twelve PLCs are twelve functions and the ten unlinked analysers
    # ten islands (no cell groups them): the figures move.
    loose = landscape_metrics(_line(plcs=12, erp_modules=3, analysers=10, cell=False))
    assert loose["vertical_integration"] != fine["vertical_integration"]
    assert loose["island_count"] == 12


def test_result_reads_like_a_dict_in_pandas_and_templates(workshop):
    m = landscape_metrics(workshop)
    frame = pd.DataFrame({"before": m, "after": m}).loc[["island_count", "manual_links"]]
    assert frame["before"].tolist() == [2, 2]
    with pytest.raises(KeyError):
        m["no_such_metric"]
    assert "island_count" in m and len(m) == len(m.to_dict())
    with pytest.raises(AttributeError):
        m.island_count = 3  # read-only
    with pytest.raises(TypeError):
        m["island_count"] = 3
    assert json.loads(json.dumps(m))["island_count"] == 2


def test_text_view_in_both_languages(workshop):
    en = landscape_metrics(workshop).to_text("en")
    zh = landscape_metrics(workshop).to_text("zh")
    assert "Information islands: 2" in en
    assert "MES name: its failure cuts off PLC name, CNC name" in en
    assert "no design system" in en
    assert "信息孤岛：2 个" in zh and "没有设计类系统" in zh
    for text in (en, zh):
        assert "None" not in text and "nan" not in text and "_" not in text.replace(
            "ERP name", "")


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
    return landscape_from_dict({
        "systems": [{"id": f"s{i}", "name": f"S{i}", "type": "other", "level": lv}
                    for i, lv in enumerate(levels)],
        "links": [{"source": f"s{a}", "target": f"s{b}", "mode": m} for a, b, m in links],
    })


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
def test_adding_an_automatic_link_never_adds_an_island(G, data):
    if G.number_of_nodes() < 2:
        return
    before = landscape_metrics(G)
    a, b = data.draw(st.lists(st.sampled_from(list(G.nodes)), min_size=2, max_size=2, unique=True))
    G.add_edge(a, b, key="new", mode=data.draw(st.sampled_from(["realtime", "batch"])),
               bidirectional=True)
    after = landscape_metrics(G)
    assert after["island_count"] <= before["island_count"]
    if before["vertical_integration"] is not None:
        assert after["vertical_integration"] >= before["vertical_integration"]


def _cut_off_by_hand(simple: nx.Graph, top: set, removed, link=None, levels=None) -> int:
    """What a failure cuts off, with networkx: parts without a top system (or, when no
    part or every part keeps one, every part but the heaviest - most systems, then the
    highest sum of levels; all parts when the failed system is the island's only top
    system)."""
    H = simple.copy()
    if link:
        H.remove_edge(*link)
        island = nx.node_connected_component(simple, link[0])
    else:
        island = nx.node_connected_component(simple, removed)
        H.remove_node(removed)
    parts = [c for c in nx.connected_components(H.subgraph(island - {removed}))]
    with_top = [p for p in parts if p & top]
    if with_top and len(with_top) < len(parts):
        return sum(len(p) for p in parts if not p & top)
    if removed in top and not with_top:
        return sum(len(p) for p in parts)
    heaviest = max(parts, key=lambda p: (len(p), sum(levels[x] for x in p)))
    return sum(len(p) for p in parts) - len(heaviest)


@settings(max_examples=100, deadline=None)
@given(landscapes())
def test_points_of_failure_agree_with_networkx(G):
    S = nx.MultiGraph()
    S.add_nodes_from(G.nodes)
    S.add_edges_from((u, v) for u, v, m in G.edges(data="mode") if m != "manual")
    simple = nx.Graph(S)
    m = landscape_metrics(G)
    assert sorted(map(sorted, m["islands"])) == sorted(map(sorted, nx.connected_components(simple)))
    levels = dict(G.nodes(data="level"))
    top = {s for s in G if levels[s] == max(levels.values())}
    expected = {}
    for v in nx.articulation_points(simple):
        expected[v] = _cut_off_by_hand(simple, top, v, levels=levels)
    for a, b in nx.bridges(simple):
        if S.number_of_edges(a, b) == 1:
            expected[frozenset((a, b))] = _cut_off_by_hand(simple, top, None, (a, b), levels)
    got = {(p["system"] if p["system"] is not None
            else frozenset((p["link"]["source"], p["link"]["target"]))): p["cuts_off"]
           for p in m["points_of_failure"]}
    # Every listed point is a real one with the same cut; the unlisted ones cut off at most
    # one device (levels 0-1) or nothing.
    assert all(expected[k] == n for k, n in got.items())
    for k, n in expected.items():
        if k not in got:
            assert n == 0 or n == 1


def test_random_landscape_agrees_with_networkx():
    G = random_landscape(2000, seed=5)
    m = landscape_metrics(G)
    systems = [n for n, k in G.nodes(data="kind") if k == "system"]
    S = nx.Graph()
    S.add_nodes_from(systems)
    S.add_edges_from((u, v) for u, v, md in G.edges(data="mode")
                     if md != "manual" and u in S and v in S)
    # Each listed island is a connected group, or the unlinked groups of one function
    # (business systems of one type) listed together.
    groups = {frozenset(c) for c in nx.connected_components(S)}
    for island in m["islands"]:
        if frozenset(island) not in groups:
            assert len({G.nodes[x]["type"] for x in island}) == 1
            assert all(nx.node_connected_component(S, x) <= set(island) for x in island)
    assert sorted(x for i in m["islands"] for x in i) == sorted(systems)
    assert m["island_count"] <= nx.number_connected_components(S)
    assert set(m["single_points_of_failure"]["systems"]) <= set(nx.articulation_points(S))


def test_columns_built_once_give_the_same_metrics(workshop):
    from value_chain.integration import link_table

    table = link_table(workshop)
    assert landscape_metrics(workshop, table=table) == landscape_metrics(workshop)


def test_a_platform_with_thousands_of_sensors():
    # 3,000 sensors on one IoT platform, the platform to the ERP: the platform cuts off
    # the sensors, its ERP link cuts off the platform and the sensors; no sensor link is
    # listed (each cuts off one device).
    k = 3000
    G = plant([("erp", "ERP", 4, "management"), ("iot", "iot_platform", 3, "production")]
              + [(f"s{i}", "sensor", 1, "production") for i in range(k)],
              [("iot", "erp", "batch", True)] + [(f"s{i}", "iot", "realtime") for i in range(k)])
    m = landscape_metrics(G)
    assert [(p["system"], p["cuts_off"]) for p in m["points_of_failure"]] == [
        (None, k + 1), ("iot", k)]
    assert m["failure_point_count"] == 2
