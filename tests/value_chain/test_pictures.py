"""Pictures of landscapes (value_chain/pictures.py)."""

from __future__ import annotations

import re
from pathlib import Path

import matplotlib
import pytest

matplotlib.use("Agg")
import matplotlib.pyplot as plt

from value_chain import landscape_from_dict, read_landscape
from value_chain.pictures import (
    landscape_html,
    landscape_iframe,
    plot_landscape,
    show_landscape,
)

EXAMPLES = Path(__file__).parents[2] / "datasets" / "landscapes"
EVIL = "<script>alert(1)</script>"
REMOTE = re.compile(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", re.IGNORECASE)


@pytest.fixture
def evil_plant():
    return landscape_from_dict(
        {
            "systems": [
                {
                    "id": "erp",
                    "name": EVIL,
                    "type": "ERP",
                    "notes": '<img src=x onerror="alert(2)">',
                },
                {"id": "<b>plc</b>", "name": "PLC", "type": "PLC"},
            ],
            "partners": [{"id": "sup", "name": "Supplier & Co", "role": "supplier"}],
            "links": [
                {"source": "<b>plc</b>", "target": "erp", "mode": "manual", "protocol": EVIL},
                {"source": "sup", "target": "erp", "mode": "batch"},
            ],
        }
    )


def test_page_is_offline(evil_plant):
    page = landscape_html(evil_plant)
    assert not REMOTE.search(page)
    assert "bootstrap" not in page.lower()
    assert "vis.Network" in page  # vis-network is inlined


def test_user_text_appears_only_escaped(evil_plant):
    page = landscape_html(evil_plant)
    assert EVIL not in page
    assert "<img src=x" not in page
    assert "<b>plc</b>" not in page
    # Tooltip: HTML-escaped, then JSON-escaped by the template.
    assert "\\u0026lt;script\\u0026gt;alert(1)\\u0026lt;/script\\u0026gt;" in page
    frame = landscape_iframe(evil_plant)
    assert EVIL not in frame
    assert frame.count("<script") == 0  # the whole page is an attribute value
    assert frame.startswith('<iframe srcdoc="') and 'sandbox="allow-scripts"' in frame


def test_show_landscape_publishes_a_raw_html_bundle(evil_plant):
    view = show_landscape(evil_plant, height="400px")
    bundle = view._repr_mimebundle_()
    assert set(bundle) == {"text/html", "text/plain"}
    assert bundle["text/html"].startswith("<iframe srcdoc=")
    assert "calc(400px + 80px)" in bundle["text/html"]
    assert bundle["text/plain"] == "<LandscapeView: 2 systems, 1 partners, 2 links>"
    assert not REMOTE.search(view.page)


def test_two_graphs_have_distinct_content():
    a = show_landscape(read_landscape(EXAMPLES / "textile_machinery_sme.yaml"))
    b = show_landscape(read_landscape(EXAMPLES / "electronics_assembler.yaml"))
    assert a.iframe() != b.iframe()
    assert "DNC" in a.page and "DNC" not in b.page
    assert "AOI" in b.page and "AOI" not in a.page


def test_height_must_be_a_css_length(evil_plant):
    with pytest.raises(ValueError, match="CSS length"):
        show_landscape(evil_plant, height='1px"><script>')


def test_save_writes_the_standalone_page(evil_plant, tmp_path):
    path = show_landscape(evil_plant).save(tmp_path / "plant.html")
    assert path.read_text(encoding="utf-8").lstrip().lower().startswith("<html")


def test_plot_landscape_has_one_lane_per_level_present():
    G = landscape_from_dict(
        {
            "systems": [
                {"id": "erp", "name": "ERP", "type": "ERP"},
                {"id": "mes", "name": "MES", "type": "MES"},
                {"id": "cnc", "name": "CNC", "type": "machine"},
                {"id": "cnc2", "name": "CNC 2", "type": "machine"},
            ],
            "partners": [{"id": "c", "name": "Customer", "role": "customer"}],
            "links": [
                {"source": "mes", "target": "erp", "mode": "batch"},
                {"source": "cnc", "target": "mes", "mode": "manual"},
            ],
        }
    )
    ax = plot_landscape(G)
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels == [
        "Partners",
        "L4 business planning & logistics",
        "L3 manufacturing operations",
        "L0 physical process",
    ]
    lanes = [p for p in ax.patches if (p.get_gid() or "").startswith("lane:")]
    assert len(lanes) == 4
    # One island of two systems (erp-mes) gets an outline; singletons do not.
    assert len([p for p in ax.patches if (p.get_gid() or "").startswith("island:")]) == 1
    dashed = [c for c in ax.collections if c.get_linestyle()[0][1] is not None]
    assert len(dashed) == 1  # the manual link
    ax.figure.canvas.draw()
    plt.close(ax.figure)


def test_plot_landscape_draws_every_example_on_given_axes():
    for example in sorted(EXAMPLES.glob("*.yaml")):
        fig, ax = plt.subplots()
        assert plot_landscape(read_landscape(example), ax=ax) is ax
        assert len(ax.get_yticklabels()) >= 3
        plt.close(fig)
