"""The example enterprises in datasets/landscapes validate and tell their story."""

from __future__ import annotations

from pathlib import Path

import pytest

from value_chain import landscape_metrics, read_landscape

EXAMPLES = Path(__file__).parents[2] / "datasets" / "landscapes"


@pytest.mark.parametrize(
    "name",
    ["textile_machinery_sme", "apparel_c2b", "petrochemical_plant", "electronics_assembler",
     "auto_parts_stamping"],
)
def test_example_validates(name):
    G = read_landscape(EXAMPLES / f"{name}.yaml")
    assert G.graph["enterprise"]["industry_type"] in {"discrete", "process"}


def test_textile_sme_is_a_set_of_islands():
    m = landscape_metrics(read_landscape(EXAMPLES / "textile_machinery_sme.yaml"))
    assert 15 <= m["systems"] <= 20
    assert m["island_count"] == 13
    assert ["erp"] in m["islands"] and ["mes"] in m["islands"]
    assert m["vertical_integration"] == 0.0
    assert m["manual_links"] == 13
    assert m["digital_thread"] is False
    assert m["value_chain"]["automatic"] == []


def test_electronics_assembler_has_a_digital_thread():
    m = landscape_metrics(read_landscape(EXAMPLES / "electronics_assembler.yaml"))
    assert m["island_count"] == 1
    # Every level up to the MES and ERP; of level 0 only the AGV gets data but sends none.
    assert [r["integrated"] for r in m["vertical_by_level"]] == [1.0, 1.0, 1.0, 0.8]
    assert m["vertical_integration"] == pytest.approx(3.8 / 4)
    assert m["horizontal_integration"] == 1.0
    assert m["manual_links"] == 0
    # PLM releases routings to the MES; the service portal looks serial numbers up in it.
    assert m["digital_thread_path"] == ["plm", "mes", "service_portal"]


def test_apparel_is_integrated_on_the_sales_side_only():
    m = landscape_metrics(read_landscape(EXAMPLES / "apparel_c2b.yaml"))
    assert m["value_chain"]["automatic"] == ["consumers", "tmall", "express"]
    # Design, procurement (suppliers by e-mail and phone), production, logistics, sales,
    # service: procurement is joined to neither neighbour.
    assert [p["linked"] for p in m["stage_pairs"]] == [False, False, True, True, True]
    assert m["digital_thread"] is False  # production data does not reach the service desk


def test_petrochemical_plant_is_process_industry_with_batch_links():
    G = read_landscape(EXAMPLES / "petrochemical_plant.yaml")
    m = landscape_metrics(G)
    assert G.graph["enterprise"]["industry_type"] == "process"
    assert sum(1 for *_, md in G.edges(data="mode") if md == "batch") == 8
    # The safety system is kept apart on purpose: listed, never an island.
    assert m["isolated"] == ["sis"] and m["island_count"] == 3
    # Level 3 reports up but gets no orders down (the schedule travels on paper): 0.
    assert m["vertical_by_level"][0]["level"] == 3
    assert (m["vertical_by_level"][0]["up"], m["vertical_by_level"][0]["integrated"]) == (
        pytest.approx(2 / 3, abs=1e-6), 0.0)


def test_stamping_plant_twelve_plcs_do_not_make_it_integrated():
    m = landscape_metrics(read_landscape(EXAMPLES / "auto_parts_stamping.yaml"))
    # 30 systems, but 13 functions: the PLCs of each press line are one function per line.
    assert (m["systems"], m["functions"]) == (30, 13)
    # Islands: {ERP, MES, SCADA 1, 12 PLCs}, {SCADA 2, 4 PLCs}, the three line-3 PLCs (one
    # function), CAD, QMS, CMM, die log, attendance, energy meters: 9.  The press safety
    # PLC is apart on purpose.
    assert m["island_count"] == 9 and m["isolated"] == ["l1_safety"]
    # Completions are re-typed: the MES passes nothing up, so no level is integrated.
    assert m["vertical_integration"] == 0.0
    assert [r["level"] for r in m["vertical_by_level"]] == [3, 2, 1]
    # OT functions: CMM, energy meters, SCADA 1, SCADA 2, PLC cells of lines 1-3 (7);
    # SCADA 1 and the line-1 PLC cell reach the MES (IT): 2/7.
    assert m["it_ot_convergence"] == pytest.approx(2 / 7, abs=1e-6)
    # EDI with the coil centre and to the Tier-1, the die maker and carrier by hand.
    assert m["value_chain"]["automatic"] == ["coil_supplier", "tier1"]
    manual = {(e["source"], e["target"]) for e in m["manual_link_list"]}
    assert {("mes", "erp"), ("cad", "erp"), ("mes", "qms"), ("tier1", "erp")} <= manual
