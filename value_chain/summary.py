"""The landscape as plain text: its integration metrics, islands and single points of failure.

The text view of :func:`~value_chain.metrics.landscape_metrics`, in English or Chinese (the
words come from the message catalogue), used by ``maturity landscape`` and ``maturity demo``.

Examples
--------
>>> from value_chain.landscape import landscape_from_dict
>>> G = landscape_from_dict({
...     "systems": [{"id": "erp", "name": "ERP", "type": "ERP"},
...                 {"id": "mes", "name": "MES", "type": "MES"}],
...     "links": [{"source": "mes", "target": "erp", "mode": "manual"}]})
>>> print(landscape_summary(G))  # doctest: +ELLIPSIS
  systems                    2
  partners                   0
  data links                 1
  information islands        2
...
  information islands:
    - ERP
    - MES
  single points of failure: none; 0 bridge links
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from typing import Any

import networkx as nx

from value_chain.messages import msg
from value_chain.metrics import landscape_metrics

__all__ = ["landscape_summary"]

SHOWN = ("systems", "partners", "links", "island_count", "vertical_integration",
         "horizontal_integration", "it_ot_convergence", "manual_links", "digital_thread")


def _width(text: str) -> int:
    """Columns the text takes in a terminal (a Chinese character takes two)."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _value(value: Any, lang: str) -> str:
    if value is None:
        return msg("summary.not_available", lang)
    if isinstance(value, bool):
        return msg("summary.yes" if value else "summary.no", lang)
    if isinstance(value, float):
        return f"{value:.0%}"
    return str(value)


def landscape_summary(G: nx.MultiDiGraph, metrics: Mapping[str, Any] | None = None,
                      lang: str = "en") -> str:
    """Plain-text summary of a landscape: metrics, information islands, single points of
    failure. ``metrics`` are those of :func:`landscape_metrics` (computed when not given)."""
    if metrics is None:
        metrics = landscape_metrics(G)
    if hasattr(metrics, "to_dict"):
        metrics = metrics.to_dict()
    labels = {key: msg(f"summary.{key}", lang) for key in SHOWN}
    width = max(_width(label) for label in labels.values()) + 2
    lines = [f"  {labels[key]}{' ' * (width - _width(labels[key]))} {_value(metrics[key], lang)}"
             for key in SHOWN]
    sep = "、" if lang == "zh" else ", "
    lines.append("  " + msg("summary.islands_heading", lang))
    for island in metrics["islands"]:
        lines.append("    - " + sep.join(str(G.nodes[s].get("name", s)) for s in island))
    spof = metrics["single_points_of_failure"]
    names = (sep.join(str(G.nodes[s].get("name", s)) for s in spof["systems"])
             or msg("summary.none", lang))
    lines.append("  " + msg("summary.single_points", lang, names=names,
                            bridges=len(spof["links"])))
    return "\n".join(lines)
