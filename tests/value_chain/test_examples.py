"""The example enterprises in datasets/landscapes validate and tell their story."""

from __future__ import annotations

from pathlib import Path

import pytest

from value_chain import landscape_metrics, read_landscape

EXAMPLES = Path(__file__).parents[2] / "datasets" / "landscapes"


@pytest.mark.parametrize(
    "name",
    ["textile_machinery_sme", "apparel_c2b", "petrochemical_plant", "electronics_assembler"],
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
    assert (m["vertical_integration"], m["horizontal_integration"]) == (1.0, 1.0)
    assert m["manual_links"] == 0
    assert m["digital_thread_path"] == ["distributor", "srm", "erp", "auto_customer"]


def test_apparel_is_integrated_on_the_sales_side_only():
    m = landscape_metrics(read_landscape(EXAMPLES / "apparel_c2b.yaml"))
    assert m["horizontal_integration"] == 1.0
    assert m["value_chain"]["automatic"] == ["consumers", "tmall", "express"]
    assert m["digital_thread"] is False  # fabric and trims suppliers are manual


def test_petrochemical_plant_is_process_industry_with_batch_links():
    G = read_landscape(EXAMPLES / "petrochemical_plant.yaml")
    m = landscape_metrics(G)
    assert G.graph["enterprise"]["industry_type"] == "process"
    assert sum(1 for *_, md in G.edges(data="mode") if md == "batch") == 8
    assert m["vertical_integration"] == pytest.approx(7 / 9)
