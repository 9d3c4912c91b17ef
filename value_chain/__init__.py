"""The enterprise as a graph: IT/OT systems, partners and the links between them.

This is the lower layer of the project; it knows nothing of maturity models.

Read a landscape with :func:`read_landscape` (YAML, JSON, Excel or GraphML), measure
it with :func:`landscape_metrics`, draw it with :func:`show_landscape` (interactive,
offline HTML) or :func:`plot_landscape` (matplotlib, for print).
"""

from value_chain.errors import InputError, Problem
from value_chain.generate import random_landscape
from value_chain.landscape import (
    landscape_from_dict,
    landscape_from_frames,
    landscape_to_dict,
    landscape_to_frames,
    load_system_types,
    read_landscape,
    write_landscape,
)
from value_chain.metrics import LandscapeMetrics, landscape_metrics
from value_chain.pictures import (
    LandscapeView,
    landscape_html,
    landscape_iframe,
    plot_landscape,
    show_landscape,
)

__all__ = [
    "InputError",
    "LandscapeMetrics",
    "LandscapeView",
    "Problem",
    "landscape_from_dict",
    "landscape_from_frames",
    "landscape_html",
    "landscape_iframe",
    "landscape_metrics",
    "landscape_to_dict",
    "landscape_to_frames",
    "load_system_types",
    "plot_landscape",
    "random_landscape",
    "read_landscape",
    "show_landscape",
    "write_landscape",
]
