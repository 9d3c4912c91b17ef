"""value_chain.landscape and value_chain.pictures were split by concept (issue 9); every
public name they had is still importable from them, and is the one object of its new home."""

from __future__ import annotations

import importlib

import pytest

# The public names of the two modules before the split (their __all__ and constants).
BEFORE = {
    "value_chain.landscape": (
        "DEPLOYMENTS", "DOMAINS", "INDUSTRY_TYPES", "LEVELS", "MODES", "ROLES", "STAGES",
        "SECTIONS", "Enterprise", "Landscape", "Link", "Partner", "System",
        "landscape_from_dict", "landscape_from_frames", "landscape_to_dict",
        "landscape_to_frames", "load_system_types", "read_landscape", "write_landscape"),
    "value_chain.pictures": (
        "LEVEL_NAMES", "PARTNER_LANE", "PALETTE", "SINGLE_COLOUR", "PARTNER_COLOUR",
        "MODE_COLOURS", "PER_ROW", "SLOT_PX", "ROW_PX", "LABEL_PX", "LANE_PX", "text_width",
        "wrap_label", "label_boxes", "LandscapeFigure", "LandscapeView", "landscape_figure",
        "landscape_html", "landscape_iframe", "plot_landscape", "show_landscape"),
}
HOMES = {
    "value_chain.landscape_schema": ("Landscape", "Link", "Partner", "System",
                                     "load_system_types"),
    "value_chain.landscape_checks": ("SECTIONS",),
    "value_chain.picture_layout": ("SLOT_PX", "LABEL_PX", "label_boxes", "wrap_label"),
    "value_chain.graph_page": ("LandscapeView", "landscape_html", "landscape_iframe",
                               "show_landscape"),
}


@pytest.mark.parametrize("module", BEFORE)
def test_every_earlier_name_is_still_importable(module):
    old = importlib.import_module(module)
    assert [name for name in BEFORE[module] if not hasattr(old, name)] == []


@pytest.mark.parametrize("home", HOMES)
def test_the_old_module_gives_the_object_of_its_new_home(home):
    new = importlib.import_module(home)
    old = importlib.import_module("value_chain.landscape" if "landscape_" in home
                                  else "value_chain.pictures")
    assert [n for n in HOMES[home] if getattr(old, n) is not getattr(new, n)] == []
