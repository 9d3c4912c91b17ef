"""Integration metrics of a landscape, as one small frozen result.

:func:`landscape_metrics` reads the graph's columns (:mod:`value_chain._link_table`:
walked once, and kept with a landscape this package read or generated), builds the
flow matrices once and asks each measure of :mod:`value_chain.integration` (where the
definitions are written out).
The result, :class:`LandscapeMetrics`, holds codes, ids and numbers; ``to_dict()``
gives the JSON document (the keys of earlier versions stay), ``m["key"]`` reads it
like a dict, and ``to_text(lang)`` renders it in English or Chinese.

Everything is linear in the size of the landscape: a million systems take seconds.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

import networkx as nx
import numpy as np

from value_chain._link_table import LinkTable, link_table, paused_gc
from value_chain.integration import (
    VALUE_CHAIN,
    Flows,
    digital_thread,
    horizontal_integration,
    information_islands,
    it_ot_convergence,
    points_of_failure,
    vertical_integration,
)
from value_chain.messages import msg

__all__ = ["AUTOMATIC_MODES", "VALUE_CHAIN", "LandscapeMetrics", "landscape_metrics"]

AUTOMATIC_MODES: frozenset[str] = frozenset({"realtime", "batch"})
"""Link modes that exchange data without people in between."""


_KEYS: tuple[str, ...] = (
    "systems", "partners", "links", "functions", "islands", "island_count", "isolated",
    "vertical_integration", "vertical_by_level", "vertical_reason",
    "horizontal_integration", "stage_pairs", "stages_missing", "horizontal_reason",
    "it_ot_convergence", "it_ot_reason", "ot_not_reaching_it",
    "manual_links", "manual_link_list",
    "single_points_of_failure", "points_of_failure", "failure_point_count",
    "value_chain", "digital_thread", "digital_thread_path", "digital_thread_reason",
)


def _read_only(self, *args, **kwargs):
    raise TypeError("LandscapeMetrics is read-only; use to_dict() for a copy to change")


class LandscapeMetrics(dict):
    """The integration metrics of one landscape (see :mod:`value_chain.integration`).

    A read-only dict of the JSON keys (so ``json.dumps``, pandas and templates take it
    as it is), also read as attributes: ``m.island_count`` or ``m["island_count"]``.
    Shares are in 0-1, or None with a ``*_reason`` code saying why nothing could be
    measured.  Lists hold system and partner ids in landscape order unless ranked.
    """

    __slots__ = ("_names",)

    def __init__(self, values: Mapping[str, Any], names: Mapping[Any, str] | None = None):
        missing = [k for k in _KEYS if k not in values]
        if missing:
            raise ValueError(f"LandscapeMetrics needs {', '.join(missing)}")
        super().__init__((k, values[k]) for k in _KEYS)
        # shared, not copied: a table's names (a million entries) are built once
        object.__setattr__(self, "_names", names if isinstance(names, dict) else dict(names or {}))

    def __getattr__(self, key: str) -> Any:
        if key in _KEYS:
            return self[key]
        raise AttributeError(key)

    def __setattr__(self, key: str, value: Any) -> None:
        raise AttributeError("LandscapeMetrics is read-only")

    __setitem__ = __delitem__ = _read_only  # type: ignore[assignment]
    clear = pop = popitem = setdefault = update = __ior__ = _read_only  # type: ignore[assignment]

    def __reduce__(self):
        return (type(self), (dict(self), self._names))

    def __copy__(self) -> LandscapeMetrics:
        return self

    def __deepcopy__(self, memo: dict) -> LandscapeMetrics:
        return type(self)(copy.deepcopy(dict(self), memo), self._names)

    def to_dict(self) -> dict[str, Any]:
        """The metrics as a plain JSON-serialisable dict."""
        return dict(self)

    def __repr__(self) -> str:
        share = _percent
        return (f"LandscapeMetrics({self.systems} systems, {self.island_count} islands, "
                f"vertical {share(self.vertical_integration)}, "
                f"horizontal {share(self.horizontal_integration)}, "
                f"IT/OT {share(self.it_ot_convergence)}, "
                f"digital thread {'yes' if self.digital_thread else 'no'})")

    # -- text view ------------------------------------------------------------------------

    def name(self, node: Any) -> str:
        """The name of a system or partner, its id when it has none."""
        return str(self._names.get(node, node))

    def _list(self, nodes: list[Any], lang: str, limit: int = 6, total: int | None = None) -> str:
        sep = "、" if lang == "zh" else ", "
        shown = sep.join(self.name(x) for x in nodes[:limit])
        more = (len(nodes) if total is None else total) - min(limit, len(nodes))
        return shown + (msg("landscape.and_more", lang, n=more) if more > 0 else "")

    def to_text(self, lang: str = "en") -> str:
        """Plain-text view: the figures, why any is missing, islands and points of failure.

        >>> from value_chain.landscape import landscape_from_dict
        >>> G = landscape_from_dict({"systems": [
        ...     {"id": "erp", "name": "ERP", "type": "ERP"},
        ...     {"id": "mes", "name": "MES", "type": "MES"}],
        ...   "links": [{"source": "mes", "target": "erp", "mode": "manual"}]})
        >>> print(landscape_metrics(G).to_text())  # doctest: +ELLIPSIS
        Systems 2 (2 functions), partners 0, data links 1 (1 manual)
        Information islands: 2
        Vertical integration: 0% (level 3: 0%)
        ...
        """
        m, t = self, lambda key, **v: msg(key, lang, **v)
        lines = [t("landscape.text.counts", systems=m.systems, functions=m.functions,
                   partners=m.partners, links=m.links, manual=m.manual_links),
                 t("landscape.text.islands", n=m.island_count)]
        if m.vertical_integration is None:
            lines.append(t("landscape.text.vertical_none",
                           why=t(f"landscape.reason.{m.vertical_reason}")))
        else:
            sep = "；" if lang == "zh" else ", "
            per = sep.join(t("landscape.text.level_share", level=r["level"],
                             share=_percent(r["integrated"])) for r in m.vertical_by_level)
            lines.append(t("landscape.text.vertical", share=_percent(m.vertical_integration),
                           levels=per))
        if m.horizontal_integration is None:
            lines.append(t("landscape.text.horizontal_none",
                           why=t(f"landscape.reason.{m.horizontal_reason}")))
        else:
            linked = sum(p["linked"] for p in m.stage_pairs)
            lines.append(t("landscape.text.horizontal", share=_percent(m.horizontal_integration),
                           linked=linked, pairs=len(m.stage_pairs)))
        if m.stages_missing:
            sep = "、" if lang == "zh" else ", "
            lines.append(t("landscape.text.stages_missing", stages=sep.join(
                t(f"landscape.stage.{s}") for s in m.stages_missing)))
        if m.it_ot_convergence is None:
            why = t(f"landscape.reason.{m.it_ot_reason}")
            lines.append(t("landscape.text.it_ot_none", why=why))
        else:
            lines.append(t("landscape.text.it_ot", share=_percent(m.it_ot_convergence)))
        if m.digital_thread:
            arrow = " → "
            lines.append(t("landscape.text.thread_yes",
                           path=arrow.join(self.name(x) for x in m.digital_thread_path or [])))
        else:
            lines.append(t("landscape.text.thread_no",
                           why=t(f"landscape.reason.{m.digital_thread_reason}")))
        if m.isolated:
            lines.append(t("landscape.text.isolated", names=self._list(m.isolated, lang)))
        lines.append(t("landscape.text.islands_heading"))
        isolated = set(m.isolated)
        real = [i for i in m.islands if not (len(i) == 1 and i[0] in isolated)]
        for island in real[:30]:
            lines.append("  - " + self._list(island, lang, limit=8))
        if len(real) > 30:
            lines.append("  - " + t("landscape.and_more", n=len(real) - 30).strip())
        if m.points_of_failure:
            lines.append(t("landscape.text.failure_heading", n=m.failure_point_count))
            for p in m.points_of_failure[:10]:
                what = (self.name(p["system"]) if p["system"] is not None else
                        f"{self.name(p['link']['source'])} → {self.name(p['link']['target'])}")
                lines.append("  - " + t("landscape.text.failure_point", what=what,
                                        names=self._list(p["examples"], lang, 3, p["cuts_off"])))
        else:
            lines.append(t("landscape.text.no_failure_points"))
        if m.manual_link_list:
            lines.append(t("landscape.text.manual_heading", n=m.manual_links))
            for e in m.manual_link_list[:10]:
                key = "landscape.text.manual_link_how" if e.get("protocol") else \
                    "landscape.text.manual_link"
                lines.append("  - " + t(key, source=e["source_name"], target=e["target_name"],
                                        how=e.get("protocol")))
            if m.manual_links > 10:
                lines.append("  - " + t("landscape.and_more", n=m.manual_links - 10).strip())
        return "\n".join(lines)


def _percent(x: float | None) -> str:
    return "–" if x is None else f"{x:.0%}"


def _manual(t: LinkTable) -> list[dict[str, Any]]:
    rows = np.flatnonzero(t.mode == 2)
    src, dst = t.src[rows], t.dst[rows]
    protocols = t.protocols
    how = [protocols.get(i) for i in rows.tolist()] if protocols else [None] * rows.size
    return [{"source": u, "target": v, "source_name": a, "target_name": b, "key": k,
             "protocol": p}
            for u, v, a, b, k, p in zip(t.id_array[src].tolist(), t.id_array[dst].tolist(),
                                        t.name_array[src].tolist(), t.name_array[dst].tolist(),
                                        t.key_array[rows].tolist(), how, strict=True)]


def _partners(t: LinkTable) -> dict[str, Any]:
    partner = ~t.is_system
    touches = t.is_system[t.src] ^ t.is_system[t.dst]  # one end a system, one a partner
    ends = np.where(partner[t.src], t.src, t.dst)[touches]
    auto = ((t.mode == 0) | (t.mode == 1))[touches]
    linked = np.zeros(t.n, dtype=bool)
    linked[ends] = True
    automatic = np.zeros(t.n, dtype=bool)
    automatic[ends[auto]] = True
    idx = np.flatnonzero(partner)
    groups = {
        "automatic": [t.ids[i] for i in idx if automatic[i]],
        "manual": [t.ids[i] for i in idx if linked[i] and not automatic[i]],
        "unlinked": [t.ids[i] for i in idx if not linked[i]],
    }
    share = len(groups["automatic"]) / idx.size if idx.size else None
    return {**groups, "share_automatic": share}


def landscape_metrics(G: nx.MultiDiGraph, *, table: LinkTable | None = None) -> LandscapeMetrics:
    """Integration metrics of a landscape (definitions in :mod:`value_chain.integration`).

    ``table`` is the landscape's columns (``value_chain.integration.link_table(G)``) when
    the caller has them already; it must be of ``G`` as it is now (a table goes stale
    when the graph changes).  A landscape read or generated by this package keeps its
    columns itself until it changes (:func:`~value_chain._link_table.link_table`), so
    measuring it again needs no ``table``.

    Returns
    -------
    LandscapeMetrics
        ``systems``, ``partners``, ``links``, ``functions`` (counts); ``islands``
        (lists of ids, largest first) and ``island_count`` (counted over functions);
        ``isolated`` (systems kept apart on purpose, never islands);
        ``vertical_integration`` with ``vertical_by_level``; ``horizontal_integration``
        with ``stage_pairs`` and ``stages_missing``; ``it_ot_convergence`` with
        ``ot_not_reaching_it``; ``manual_links`` and ``manual_link_list``;
        ``single_points_of_failure`` (``systems``, ``links``), ``points_of_failure``
        (ranked, with what each cuts off) and ``failure_point_count``;
        ``value_chain`` (partners automatic / manual / unlinked, ``share_automatic``);
        ``digital_thread`` and ``digital_thread_path``.  A share that cannot be
        measured is None, and its ``*_reason`` says why.

    Examples
    --------
    Machine -> PLC -> ERP by batch, and a lone sensor: the PLC-ERP link is a point
    of failure (it cuts PLC and machine off); the PLC itself cuts off just one device,
    so it is not listed.  The sensor is an island.

    >>> from value_chain.landscape import landscape_from_dict
    >>> G = landscape_from_dict({
    ...     "systems": [{"id": "erp", "name": "ERP", "type": "ERP"},
    ...                 {"id": "plc", "name": "PLC", "type": "PLC"},
    ...                 {"id": "cnc", "name": "CNC", "type": "machine"},
    ...                 {"id": "temp", "name": "Sensor", "type": "sensor"}],
    ...     "links": [{"source": "cnc", "target": "plc", "mode": "realtime"},
    ...               {"source": "plc", "target": "erp", "mode": "batch"}]})
    >>> m = landscape_metrics(G)
    >>> m["islands"], m.island_count
    ([['erp', 'plc', 'cnc'], ['temp']], 2)
    >>> [(r["level"], r["integrated"]) for r in m.vertical_by_level]  # PLC up, sensor not
    [(1, 0.5), (0, 1.0)]
    >>> m["single_points_of_failure"], m.it_ot_convergence
    ({'systems': [], 'links': [{'source': 'plc', 'target': 'erp', 'key': 1}]}, 0.666667)
    """
    with paused_gc():
        t = link_table(G) if table is None else table
        f = Flows.of(t)
        parts: dict[str, Any] = {}
        for measure in (information_islands, vertical_integration, horizontal_integration,
                        it_ot_convergence, digital_thread, points_of_failure):
            parts.update(measure(f))
        manual = _manual(t)
        values = dict(
            systems=int(t.is_system.sum()),
            partners=int((~t.is_system).sum()),
            links=int(t.src.size),
            isolated=t.id_array[t.isolated].tolist(),
            manual_links=len(manual),
            manual_link_list=manual,
            value_chain=_partners(t),
            **parts,
        )
        return LandscapeMetrics(values, t.name_of)
