"""Turn a solved plan into a :class:`maturity.roadmap.Roadmap`: steps, levels, islands and
the first thing in the way of every target the plan does not reach.

Used by :mod:`maturity.planner`.  Everything a roadmap says is decided here, once, as codes
with numbers and action ids (:class:`maturity.roadmap.Reason`); the roadmap only renders
them.  The reasons for an unmet target, in the order they are looked for:

``no_action`` / ``no_action_to`` / ``catalog_max``
    no action in the catalog raises the dimension (to the next level, or that far);
``not_applicable``
    the actions that would do not apply to this enterprise;
``cycle``
    the action that gives the next level needs a level only its own dependants give;
``phases``
    the chain of steps that leads there (named) needs more phases than there are;
``budget``
    the chain (named, with its cost) does not fit the money left;
``excluded``
    the actions that would do it cannot be planned for another reason (named).

Examples
--------
>>> from maturity.actions import load_catalog
>>> model_effects(load_catalog().action("erp_core"), "cmmm", {"integration": 1})
{'integration': 2}
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import networkx as nx
import pandas as pd

from maturity.actions import Action, ActionCatalog
from maturity.plan_calendar import PlanCalendar
from maturity.planner_solvers import Instance, level_credit
from maturity.priorities import load_priority_data
from maturity.roadmap_record import Reason, Roadmap, Step, UnmetTarget
from value_chain.metrics import landscape_metrics

if TYPE_CHECKING:
    from maturity.planner import Screen

__all__ = ["build_roadmap", "model_effects", "requirements"]


def model_effects(action: Action, model_id: str, dims) -> dict[str, int]:
    """{dimension: level} the action raises in the model (the highest per dimension)."""
    out: dict[str, int] = {}
    for e in action.effects.levels:
        if e.model == model_id and e.dimension in dims:
            out[e.dimension] = max(out.get(e.dimension, e.level), e.level)
    return out


def requirements(action: Action, model_id: str, start: Mapping[str, int]
                 ) -> list[tuple[str, int]]:
    """(dimension, level) that must be reached before the action: its entry conditions and,
    for every level it raises a dimension to, the level below (no level is skipped)."""
    need: dict[str, int] = {}
    for e in action.entry:
        if e.model == model_id and e.dimension in start and start[e.dimension] < e.level:
            need[e.dimension] = max(need.get(e.dimension, 0), e.level)
    for d, lv in model_effects(action, model_id, start).items():
        if start[d] < lv - 1:
            need[d] = max(need.get(d, 0), lv - 1)
    return sorted(need.items())


def build_roadmap(assessment, G, catalog: ActionCatalog, inst: Instance, screen: Screen,
                  chosen: tuple, prio: pd.DataFrame, notes: list[Reason], *, strategy: str,
                  size: str, solver: str, status: str, gap: float | None,
                  greedy_value: float, currency: str = "CNY", region: str = "CN",
                  calendar: PlanCalendar | None = None,
                  industry_type: str | None = None) -> Roadmap:
    """The roadmap record of a solved plan (see the module docstring)."""
    assign, value, removed, after = chosen
    model_id = assessment.model.id
    held = {d: int(v) for d, v in screen.start.items()}  # with what is in place
    levels0 = {d: int(v) for d, v in screen.current.items()}
    P = inst.P
    acts = screen.candidates
    phases = [sorted(a for a, p in assign.items() if p == q) for q in range(P)]
    levels = dict(levels0)
    levels_after = []
    steps = []
    starts = inst.starts()
    for q in range(P):
        row = []
        for a in phases[q]:
            before = levels_after[q - 1] if q else levels0
            raises = tuple((d, before[d], lv) for d, lv in inst.eff[a].items()
                           if lv > before[d])
            isl = removed.get(a, 0.0)
            val = inst.island_gain(a, q, isl) + sum(inst.level_value(a, k, q)
                                                    for k in inst.gains[a])
            row.append(Step(acts[a], q, inst.cost[a], val, isl, raises,
                            _unlocks(inst, assign, a), screen.extends.get(acts[a].id, ()),
                            start_month=starts[q] if inst.calendar else 0.0,
                            end_month=inst.finish(a, q) if inst.calendar else 0.0,
                            paid=tuple(inst.cost[a] * inst.share(a, q).get(r, 0.0)
                                       for r in range(P))))
        for a in [x for x, p in assign.items() if inst.done_phase(x, p) == q]:
            for d, lv in inst.eff[a].items():
                levels[d] = max(levels[d], lv)
                held[d] = max(held[d], lv)
        levels_after.append(dict(levels))
        steps.append(tuple(row))
    before_m = None
    if G is not None:
        m = landscape_metrics(G)
        before_m = {"island_count": m["island_count"],
                    "vertical_integration": m["vertical_integration"]}
    final = levels_after[-1] if levels_after else levels0
    target = dict(inst_target(prio))
    unmet = tuple(_unmet(d, t, final[d], held, catalog, screen, inst, assign, model_id, size)
                  for d, t in target.items() if final[d] < t)
    plan_notes = _plan_notes(assign, catalog, screen, inst, levels0, target, model_id, size,
                             G) + notes
    strat = load_priority_data().strategies[strategy]
    islands_value = sum(inst.island_gain(a, p, removed.get(a, 0.0)) for a, p in assign.items())
    return Roadmap(
        model=assessment.model,
        enterprise=assessment.enterprise_name,
        strategy=strategy,
        size=size,
        solver=solver,
        status=status,
        budgets=tuple(inst.budgets),
        current=levels0,
        target=target,
        priorities=prio,
        steps=tuple(steps),
        levels_after=tuple(levels_after),
        landscape_before=before_m,
        landscape_after=tuple(after),
        objective=value,
        greedy_objective=greedy_value,
        unmet=unmet,
        notes=tuple(plan_notes),
        in_place=tuple(screen.in_place),
        names={a.id: a.name for a in catalog.actions},
        strategy_name=strat.name,
        currency=currency,
        region=region,
        gap=0.0 if status == "optimal" else gap,
        objective_levels=level_credit(inst, assign),
        objective_islands=islands_value,
        next_step=_cheapest_next_step(catalog, screen, levels0, target, model_id, size),
        calendar=calendar,
        spend=tuple(inst.spend(assign)),
        industry_type=industry_type,
    )


def inst_target(prio: pd.DataFrame) -> dict[str, int]:
    return {d: int(prio.loc[d, "target"]) for d in prio.index}


def _unlocks(inst: Instance, assign: Mapping[int, int], a: int) -> tuple[str, ...]:
    """Later planned actions that need ``a`` (as prerequisite or for a level)."""
    p = assign[a]
    out = []
    for b, q in sorted(assign.items(), key=lambda x: (x[1], x[0])):
        if q <= p:
            continue
        if a in inst.prereq[b] or any(inst.eff[a].get(d, -1) >= lv for d, lv in inst.reqs[b]):
            out.append(inst.names[b])
    return tuple(out)


def _effect_levels(actions, model_id: str, d: str) -> set[int]:
    return {e.level for a in actions for e in a.effects.levels
            if e.model == model_id and e.dimension == d}


def _first_missing(levels: set[int], reached: int, target: int) -> int | None:
    """The first level above ``reached`` no action gives (levels are climbed one by one)."""
    for lv in range(reached + 1, target + 1):
        if lv not in levels:
            return lv
    return None


def _unmet(d: str, t: int, reached: int, held: Mapping[str, int], catalog: ActionCatalog,
           screen: Screen, inst: Instance, assign: Mapping[int, int], model_id: str,
           size: str) -> UnmetTarget:
    r = max(reached, held[d])
    every = _effect_levels(catalog.actions, model_id, d)

    def out(code: str, **values: Any) -> UnmetTarget:
        return UnmetTarget(d, t, reached, Reason(f"roadmap.unmet.{code}", {
            "dimension": d, "target": t, **values}), not every)

    if not every:
        return out("no_action")
    if max(every) < t:
        return out("catalog_max", top=max(every))
    gap = _first_missing(every, r, t)
    if gap is not None:
        return out("no_action_to", level=gap)
    if _first_missing(_effect_levels(screen.applicable, model_id, d), r, t) is not None:
        return out("not_applicable", size=size)
    nxt = r + 1
    done_ids = {x.action.id for x in screen.in_place}
    givers = [a for a in screen.applicable if a.id not in done_ids
              and model_effects(a, model_id, {d: 0}).get(d) == nxt]
    in_place = [x for x in screen.in_place
                if model_effects(x.action, model_id, {d: 0}).get(d, -1) >= nxt]
    if in_place and not givers:
        x = in_place[0]
        return out("in_place", reached=reached, action=x.action.id, systems=list(x.systems))
    index = {name: i for i, name in enumerate(inst.names)}
    live = [a for a in givers if a.id in index and a.id not in
            {inst.names[i] for i in assign}]
    if not live:
        blocked = [(a.id, screen.excluded[a.id]) for a in givers if a.id in screen.excluded]
        blocked.sort(key=lambda x: x[0])
        for a, why in blocked:
            if why.code == "roadmap.excluded.cycle":
                return out("cycle", chain=[a, *why.values.get("actions", [])])
            for p in why.values.get("actions", []) if why.code.endswith("needs_actions") else []:
                first = screen.excluded.get(p)
                if first is not None and first.code == "roadmap.excluded.cycle":
                    return out("cycle", chain=[p, *first.values.get("actions", [])])
        for a, why in blocked:
            if why.code == "roadmap.excluded.too_deep":
                chain = _chain(a, catalog, screen, model_id, held, done_ids, set())
                return out("phases", reached=reached,
                           chain=_stages(chain, catalog, screen, model_id, held),
                           depth=why.values["depth"], phases=why.values["phases"])
        dear = [a for a, why in blocked if why.code == "roadmap.excluded.over_budget"]
        if dear and len(dear) == len(blocked):
            cheapest = min(dear, key=lambda a: screen.costs[a])
            return out("budget", reached=reached, chain=[cheapest],
                       cost=screen.costs[cheapest])
        return out("excluded", blocked=blocked[:2])
    planned = {inst.names[i] for i in assign}
    best = None
    for a in live:
        chain = _chain(a.id, catalog, screen, model_id, held, done_ids | planned, set())
        cost = sum(screen.costs[x] for x in chain)
        if best is None or cost < best[1]:
            best = (chain, cost)
    chain, cost = best
    left = sum(inst.budgets) - sum(inst.spend(assign))
    stages = _stages(chain, catalog, screen, model_id, held)
    depth = len(stages)
    if cost > left + 1e-6:
        return out("budget", reached=reached, chain=stages, cost=cost)
    first = index.get(chain[0])
    if depth <= inst.P and inst.cap is not None and first is not None and not any(
            inst.can_start(first, p) and all(inst.running(assign, q) < inst.cap
                                              for q in range(p, inst.P)
                                              if inst.running_at(first, p, q))
            for p in range(inst.P)):
        return out("capacity", reached=reached, chain=stages, cap=inst.cap)
    if depth <= inst.P:
        return out("budget", reached=reached, chain=stages, cost=cost)
    return out("phases", reached=reached, chain=stages, depth=depth, phases=inst.P)


def _chain(action_id: str, catalog: ActionCatalog, screen: Screen, model_id: str,
           held: Mapping[str, int], done: set[str], seen: set[str]) -> list[str]:
    """The steps not yet done that ``action_id`` needs, itself last (cheapest way to each
    required level), in an order that respects their dependencies."""
    if action_id in done or action_id in seen:
        return []
    seen.add(action_id)
    a = catalog.action(action_id)
    out: list[str] = []
    for p in a.prerequisites:
        out += [x for x in _chain(p, catalog, screen, model_id, held, done, seen)
                if x not in out]
    for d, lv in requirements(a, model_id, held):
        givers = sorted((b for b in screen.candidates if b.id != a.id
                         and model_effects(b, model_id, {d: 0}).get(d, -1) >= lv),
                        key=screen.cost)
        if givers:
            out += [x for x in _chain(givers[0].id, catalog, screen, model_id, held, done,
                                      seen) if x not in out]
    return [*out, action_id]


def _stages(chain: list[str], catalog: ActionCatalog, screen: Screen, model_id: str,
            held: Mapping[str, int]) -> list[list[str]]:
    """The steps of ``chain`` by stage: each step comes one stage after the last of the
    steps it needs, so the steps of one stage can run side by side (a cycle: one step per
    stage, in the chain's order)."""
    g = nx.DiGraph()
    g.add_nodes_from(chain)
    members = set(chain)
    for x in chain:
        a = catalog.action(x)
        g.add_edges_from((p, x) for p in a.prerequisites if p in members)
        for d, lv in requirements(a, model_id, held):
            g.add_edges_from((b, x) for b in chain if b != x and model_effects(
                catalog.action(b), model_id, {d: 0}).get(d, -1) >= lv)
    try:
        order = list(nx.topological_sort(g))
    except nx.NetworkXUnfeasible:
        return [[x] for x in chain]
    stage: dict[str, int] = {}
    for x in order:
        stage[x] = max((stage[b] + 1 for b in g.predecessors(x)), default=0)
    out: list[list[str]] = [[] for _ in range(max(stage.values(), default=-1) + 1)]
    for x in chain:
        out[stage[x]].append(x)
    return out


def _plan_notes(assign, catalog: ActionCatalog, screen: Screen, inst: Instance,
                current: Mapping[str, int], target: Mapping[str, int], model_id: str,
                size: str, G) -> list[Reason]:
    if assign:
        return [Reason("roadmap.note.empty_phase", {"phase": p + 1}) for p in range(inst.P)
                if not any(q == p for q in assign.values())]
    budgets = inst.budgets
    cheapest = _cheapest_next_step(catalog, screen, current, target, model_id, size)
    why = screen.excluded.get(cheapest.id) if cheapest is not None else None
    if why is not None and why.code == "roadmap.excluded.over_budget":
        one = len(set(budgets)) == 1
        code = ("roadmap.note.cheapest_too_dear_total" if inst.carry else
                "roadmap.note.cheapest_too_dear" if one else "roadmap.note.cheapest_too_dear_max")
        return [Reason(code, {"action": cheapest.id, "cost": screen.cost(cheapest),
                              "budget": sum(budgets) if inst.carry else max(budgets)})]
    if not any(target[d] > current[d] for d in target):
        return [Reason("roadmap.note.nothing_to_plan")]
    if cheapest is not None:
        return [Reason("roadmap.note.no_plan_within", {"phases": inst.P, "action": cheapest.id,
                                                       "cost": screen.cost(cheapest)})]
    return [Reason("roadmap.note.no_action_now")]


def _cheapest_next_step(catalog: ActionCatalog, screen: Screen, current: Mapping[str, int],
                        target: Mapping[str, int], model_id: str, size: str) -> Action | None:
    """The cheapest applicable action that could start now, whatever the budget, and that
    brings a level within the target (or removes an island) or leads to one that does."""
    done = {x.action.id for x in screen.in_place}
    pool = [a for a in screen.applicable if a.id not in done]
    useful = set()
    for a in pool:
        eff = model_effects(a, model_id, current)
        if any(current[d] < min(lv, target[d]) for d, lv in eff.items()) or (
                screen.islands.get(a.id, 0) > 0):
            useful.add(a.id)
    graph = catalog.prerequisite_graph()
    leads = set(useful)
    for u in useful:
        leads |= nx.ancestors(graph, u)
    ready = [a for a in pool if a.id in leads and all(p in done for p in a.prerequisites)
             and not requirements(a, model_id, screen.start)]
    ready_useful = [a for a in ready if a.id in useful]
    return min(ready_useful or ready, key=screen.cost, default=None)

