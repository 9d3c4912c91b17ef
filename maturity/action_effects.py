"""What catalog actions do to an IT/OT landscape: systems added, links made automatic.

:func:`apply_actions` applies the landscape effects of actions, in order, to a copy of a
landscape; :func:`systems_in_place` says which systems of a landscape already provide what
an action would add (a company that runs an ERP does not buy its core ERP again).  Both are
used by the planner (:mod:`maturity.planner`) and by the plan it returns
(:meth:`maturity.roadmap.Roadmap.landscape_at`).

Examples
--------
>>> from maturity.actions import load_catalog
>>> from value_chain import landscape_from_dict
>>> G = landscape_from_dict({"systems": [{"id": "u8", "name": "用友 U8", "type": "ERP"}]})
>>> systems_in_place(G, load_catalog().action("erp_core"))
['u8']
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import networkx as nx

from maturity.actions import Action, Selector
from value_chain._link_table import link_table
from value_chain.integration import Flows, information_islands
from value_chain.landscape import load_system_types
from value_chain.vocabulary import token as _token

__all__ = ["Changes", "apply_action", "apply_actions", "island_count", "systems_in_place"]


@cache
def _types(types: tuple[str, ...]) -> frozenset[str]:
    return frozenset(_token(t) for t in types)


def _matches(attrs: Mapping[str, Any], sel: Selector) -> bool:
    # a system kept off the network on purpose (e.g. a safety instrumented system) is never
    # connected by a roadmap action
    if attrs.get("kind", "system") != "system" or attrs.get("isolated"):
        return False
    if sel.types and _token(attrs.get("type", "")) not in _types(tuple(sel.types)):
        return False
    if sel.levels and attrs.get("level") not in sel.levels:
        return False
    return not (sel.stages and attrs.get("stage") not in sel.stages)


# types too generic to prove that the system an action adds is there
_GENERIC = {"other", "sensor", "machine"}


@cache
def _type_defaults(type_: str) -> tuple[int, str, str]:
    table = load_system_types()
    row = table[[_token(t) == _token(type_) for t in table["type"]]]
    if row.empty:
        return 3, "IT", "management"
    r = row.iloc[0]
    return int(r["default_level"]), str(r["default_domain"]), str(r["default_stage"])


def systems_in_place(G: nx.MultiDiGraph | None, action: Action) -> list[str]:
    """Systems of ``G`` that already provide every system type ``action`` adds.

    Empty when the action adds no system, or when a type it adds is missing from ``G``.
    """
    adds = action.effects.landscape.add_systems
    if G is None or not adds:
        return []
    found: list[str] = []
    if any(_token(s.type) in _GENERIC for s in adds):
        return []
    for s in adds:
        have = [n for n, d in G.nodes(data=True) if d.get("kind", "system") == "system"
                and _token(d.get("type", "")) == _token(s.type)]
        if not have:
            return []
        found += [n for n in have if n not in found]
    return found


@dataclass
class Changes:
    """What one action changed in a landscape, so that it can be undone."""

    nodes: list[Hashable] = field(default_factory=list)
    edges: list[tuple[Hashable, Hashable, Hashable]] = field(default_factory=list)
    attrs: list[tuple[tuple[Hashable, Hashable, Hashable], dict[str, Any]]] = field(
        default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.nodes or self.edges or self.attrs)

    def undo(self, G: nx.MultiDiGraph) -> None:
        """Put ``G`` back as it was before the action."""
        for (u, v, k), old in reversed(self.attrs):
            d = G.edges[u, v, k]
            d.clear()
            d.update(old)
        for u, v, k in reversed(self.edges):
            G.remove_edge(u, v, k)
        G.remove_nodes_from(self.nodes)


def _set(G: nx.MultiDiGraph, edge, changes: Changes, **values: Any) -> None:
    d = G.edges[edge]
    if all(d.get(k) == v for k, v in values.items()):
        return
    changes.attrs.append((edge, dict(d)))
    d.update(values)


def apply_action(G: nx.MultiDiGraph, action: Action) -> Changes:
    """Apply the landscape effects of one action to ``G`` in place (see apply_actions);
    returns what changed (empty when nothing did), with an ``undo``."""
    changes = Changes()
    land = action.effects.landscape
    for s in land.add_systems:
        if any(d.get("kind", "system") == "system" and _token(d.get("type", "")) == _token(s.type)
               for _, d in G.nodes(data=True)):
            continue
        node, i = s.id, 1
        while node in G:
            i += 1
            node = f"{s.id}_{i}"
        level, domain, stage = _type_defaults(s.type)
        G.add_node(node, kind="system", name=s.name.en, type=s.type,
                   level=s.level if s.level is not None else level,
                   domain=domain, stage=s.stage or stage, added_by=action.id)
        changes.nodes.append(node)
    for j, c in enumerate(land.connect):
        nodes = list(G.nodes(data=True))
        sources = [n for n, d in nodes if _matches(d, c.source)]
        targets = [n for n, d in nodes if _matches(d, c.target)]
        tset = set(targets)
        for s in sources:
            linked = False
            for u, v, k, d in list(G.edges(s, keys=True, data=True)) + list(
                    G.in_edges(s, keys=True, data=True)):
                if u == v or not ((u == s and v in tset) or (v == s and u in tset)):
                    continue
                linked = True
                if d.get("mode") == "manual":
                    extra = {"protocol": c.protocol} if c.protocol else {}
                    _set(G, (u, v, k), changes, mode=c.mode, changed_by=action.id, **extra)
            if not linked:
                t = next((t for t in targets if t != s), None)
                if t is not None:
                    attrs = {"mode": c.mode, "bidirectional": False, "added_by": action.id}
                    if c.protocol:
                        attrs["protocol"] = c.protocol
                    key = G.add_edge(s, t, key=f"{action.id}:{j}:{s}", **attrs)
                    changes.edges.append((s, t, key))
    for c in land.connect_partners:
        partners = {n for n, d in G.nodes(data=True)
                    if d.get("kind") == "partner" and d.get("role") in c.roles}
        for u, v, k, d in list(G.edges(keys=True, data=True)):
            if (u in partners) != (v in partners) and d.get("mode") == "manual":
                extra = {"protocol": c.protocol} if c.protocol else {}
                _set(G, (u, v, k), changes, mode=c.mode, changed_by=action.id, **extra)
    return changes


def island_count(G: nx.MultiDiGraph) -> int:
    """Information islands of ``G``, as ``value_chain.landscape_metrics`` counts them
    (only that figure, so it is cheap enough to measure every step of a plan)."""
    return int(information_islands(Flows.of(link_table(G)))["island_count"])


def apply_actions(G: nx.MultiDiGraph, actions: Sequence[Action]) -> nx.MultiDiGraph:
    """A copy of the landscape ``G`` with the landscape effects of ``actions`` applied.

    In order, for each action: its systems are added where the landscape has
    no system of that type yet; for each ``connect`` effect, manual links
    between a selected source and a selected target system become automatic
    (the given mode), and a source system with no link to any target gets a
    new link to the first target system; links between systems and partners
    of the given roles become automatic. ``G`` itself is left unchanged.

    Examples
    --------
    >>> from maturity.actions import Action
    >>> from value_chain import landscape_from_dict, landscape_metrics
    >>> G = landscape_from_dict({"systems": [{"id": "erp", "name": "ERP", "type": "ERP"},
    ...                                      {"id": "mes", "name": "MES", "type": "MES"}],
    ...     "links": [{"source": "erp", "target": "mes", "mode": "manual"}]})
    >>> act = Action.model_validate({"id": "link", "name": {"en": "x", "zh": "x"},
    ...     "description": {"en": "x", "zh": "x"}, "category": "technology",
    ...     "focus": "production", "cost_cny": {"medium": [1, 2]}, "duration_months": 2,
    ...     "effects": {"levels": [{"model": "cmmm", "dimension": "integration", "level": 2}],
    ...                 "landscape": {"connect": [{"source": {"types": ["MES"]},
    ...                                            "target": {"types": ["ERP"]},
    ...                                            "mode": "batch"}]}}})
    >>> H = apply_actions(G, [act])
    >>> landscape_metrics(G)["island_count"], landscape_metrics(H)["island_count"]
    (2, 1)
    """
    H = G.copy()
    for a in actions:
        apply_action(H, a)
    return H
