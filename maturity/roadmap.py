"""Transformation roadmap: from maturity gaps and information islands to a budgeted plan.

:func:`plan_roadmap` selects actions of the catalog (:mod:`maturity.actions`)
and places them in phases so as to close the most valuable gaps within each
phase's budget, each step resting on what earlier ones built. The result, a
:class:`Roadmap`, shows the phases, their cost and duration, the levels and
the information islands after each phase, a sentence per step, and a plain
explanation of whatever the plan cannot reach.

:func:`apply_actions` applies the landscape effects of actions to an IT/OT
landscape (a copy), so that the islands after each phase can be measured.

Examples
--------
>>> from maturity import load_model, score
>>> from maturity.actions import ActionCatalog
>>> from value_chain import landscape_from_dict
>>> model = load_model("cmmm")
>>> a = score(model, {it.id: "fully" for it in model.items if ".L1." in it.id})
>>> def act(id, dim, level, cost, prereq=()):
...     return {"id": id, "name": {"en": id, "zh": id}, "description": {"en": id, "zh": id},
...             "category": "technology", "focus": "production",
...             "prerequisites": list(prereq),
...             "effects": {"levels": [{"model": "cmmm", "dimension": dim, "level": level}]},
...             "cost_cny": {s: [cost, cost] for s in ("micro", "small", "medium", "large")},
...             "duration_months": 3}
>>> catalog = ActionCatalog.model_validate({"version": "1", "notes": {"en": "x", "zh": "x"},
...     "actions": [act("plan_data", "data", 2, 100_000),
...                 act("link_mes", "integration", 2, 300_000, ["plan_data"])]})
>>> G = landscape_from_dict({"systems": [{"id": "erp", "name": "ERP", "type": "ERP"}]})
>>> r = plan_roadmap(a, G, catalog, budget_per_phase=300_000, phases=2)
>>> [[x["id"] for x in p["actions"]] for p in r.to_dict()["phases"]]
[['plan_data'], ['link_mes']]
>>> r.to_dict()["total_cost"]
400000.0
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import networkx as nx
import numpy as np
import pandas as pd

from maturity.actions import SIZES, Action, ActionCatalog, Selector
from maturity.html import render
from maturity.plotting import figure_style, own_fonts, plot_lang
from maturity.priorities import current_levels, load_priority_data, priorities, resolve_target
from value_chain.errors import InputError, Problem
from value_chain.metrics import landscape_metrics

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from maturity.assessment import Assessment

__all__ = ["Roadmap", "apply_actions", "plan_roadmap", "roadmaps_frame"]

SOLVERS = ("milp", "greedy")
_SIZE_ZH = {"micro": "微型", "small": "小型", "medium": "中型", "large": "大型"}
_TOL = 1e-9


# ---- landscape effects ------------------------------------------------------------


def _token(value: str) -> str:
    return str(value).strip().lower().replace(" ", "_").replace("-", "_")


def _matches(attrs: Mapping[str, Any], sel: Selector) -> bool:
    # a system kept off the network on purpose (e.g. a safety instrumented system) is never
    # connected by a roadmap action
    if attrs.get("kind", "system") != "system" or attrs.get("isolated"):
        return False
    if sel.types and _token(attrs.get("type", "")) not in {_token(t) for t in sel.types}:
        return False
    if sel.levels and attrs.get("level") not in sel.levels:
        return False
    return not (sel.stages and attrs.get("stage") not in sel.stages)


def _type_defaults(type_: str) -> dict[str, Any]:
    from value_chain.landscape import load_system_types

    table = load_system_types()
    row = table[[_token(t) == _token(type_) for t in table["type"]]]
    if row.empty:
        return {"level": 3, "domain": "IT", "stage": "management"}
    r = row.iloc[0]
    return {"level": int(r["default_level"]), "domain": r["default_domain"],
            "stage": r["default_stage"]}


def _apply_one(G: nx.MultiDiGraph, action: Action) -> None:
    land = action.effects.landscape
    for s in land.add_systems:
        if any(d.get("kind", "system") == "system" and _token(d.get("type", "")) == _token(s.type)
               for _, d in G.nodes(data=True)):
            continue
        node, i = s.id, 1
        while node in G:
            i += 1
            node = f"{s.id}_{i}"
        defaults = _type_defaults(s.type)
        G.add_node(node, kind="system", name=s.name.en, type=s.type,
                   level=s.level if s.level is not None else defaults["level"],
                   domain=defaults["domain"], stage=s.stage or defaults["stage"],
                   added_by=action.id)
    for j, c in enumerate(land.connect):
        nodes = list(G.nodes(data=True))
        sources = [n for n, d in nodes if _matches(d, c.source)]
        targets = [n for n, d in nodes if _matches(d, c.target)]
        tset = set(targets)
        for s in sources:
            linked = False
            for u, v, k, d in list(G.edges(keys=True, data=True)):
                if (u == s and v in tset) or (v == s and u in tset):
                    if u == v:
                        continue
                    linked = True
                    if d.get("mode") == "manual":
                        G.edges[u, v, k]["mode"] = c.mode
                        if c.protocol:
                            G.edges[u, v, k]["protocol"] = c.protocol
                        G.edges[u, v, k]["changed_by"] = action.id
            if not linked:
                t = next((t for t in targets if t != s), None)
                if t is not None:
                    attrs = {"mode": c.mode, "bidirectional": False, "added_by": action.id}
                    if c.protocol:
                        attrs["protocol"] = c.protocol
                    G.add_edge(s, t, key=f"{action.id}:{j}:{s}", **attrs)
    for c in land.connect_partners:
        partners = {n for n, d in G.nodes(data=True)
                    if d.get("kind") == "partner" and d.get("role") in c.roles}
        for u, v, k, d in list(G.edges(keys=True, data=True)):
            if (u in partners) != (v in partners) and d.get("mode") == "manual":
                G.edges[u, v, k]["mode"] = c.mode
                if c.protocol:
                    G.edges[u, v, k]["protocol"] = c.protocol
                G.edges[u, v, k]["changed_by"] = action.id


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
        _apply_one(H, a)
    return H


# ---- the planning instance --------------------------------------------------------


@dataclass
class _Instance:
    """The planning problem in index form (candidates only)."""

    actions: list[Action]
    cost: list[float]
    budgets: list[float]
    current: dict[str, int]
    target: dict[str, int]
    weight: dict[str, float]
    strat: list[float]
    islands: list[float]
    island_value: float
    disc: list[float]
    eff: list[dict[str, int]]
    prereq: list[list[int]]
    reqs: list[list[tuple[str, int]]]
    reach: dict[tuple[str, int], list[int]]
    gains: list[list[tuple[str, int]]]

    @property
    def n(self) -> int:
        return len(self.actions)

    @property
    def P(self) -> int:
        return len(self.budgets)

    def level_value(self, a: int, k: tuple[str, int], p: int) -> float:
        return self.weight[k[0]] * self.strat[a] * self.disc[p]

    def island_gain(self, a: int, p: int) -> float:
        return self.island_value * self.islands[a] * self.strat[a] * self.disc[p]


def _evaluate(inst: _Instance, assign: Mapping[int, int]) -> float:
    """Objective of a plan {action index: phase}: credited gap levels plus islands removed."""
    best: dict[tuple[str, int], float] = {}
    total = 0.0
    for a, p in assign.items():
        for k in inst.gains[a]:
            v = inst.level_value(a, k, p)
            if v > best.get(k, 0.0):
                best[k] = v
        total += inst.island_gain(a, p)
    return total + sum(best.values())


def _violations(inst: _Instance, assign: Mapping[int, int]) -> list[str]:
    """Broken rules of a plan (empty when feasible)."""
    out = []
    spent = [0.0] * inst.P
    for a, p in assign.items():
        spent[p] += inst.cost[a]
        for b in inst.prereq[a]:
            if b not in assign or assign[b] >= p:
                out.append(f"{inst.actions[a].id}: prerequisite {inst.actions[b].id}")
        for d, lv in inst.reqs[a]:
            if not any(assign.get(b, p) < p for b in inst.reach[(d, lv)] if b != a):
                out.append(f"{inst.actions[a].id}: needs {d} at {lv}")
    out += [f"phase {p + 1} over budget" for p in range(inst.P)
            if spent[p] > inst.budgets[p] * (1 + 1e-9) + 1e-6]
    return out


def _greedy(inst: _Instance) -> dict[int, int]:
    """Per phase, repeatedly take the feasible action with the best marginal value per cost."""
    assign: dict[int, int] = {}
    credit: dict[tuple[str, int], float] = {}
    levels = dict(inst.current)
    for p in range(inst.P):
        before = set(assign)
        start = dict(levels)
        left = inst.budgets[p]
        while True:
            best, best_ratio = None, -1.0
            for a in range(inst.n):
                if a in assign or inst.cost[a] > left * (1 + 1e-12) + 1e-9:
                    continue
                if any(b not in before for b in inst.prereq[a]):
                    continue
                if any(start.get(d, -1) < lv for d, lv in inst.reqs[a]):
                    continue
                gain = inst.island_gain(a, p) + sum(
                    max(0.0, inst.level_value(a, k, p) - credit.get(k, 0.0))
                    for k in inst.gains[a])
                if gain <= _TOL:
                    continue
                ratio = gain / inst.cost[a] if inst.cost[a] > 0 else math.inf
                if ratio > best_ratio:
                    best, best_ratio = a, ratio
            if best is None:
                break
            assign[best] = p
            left -= inst.cost[best]
            for k in inst.gains[best]:
                credit[k] = max(credit.get(k, 0.0), inst.level_value(best, k, p))
        for a, q in assign.items():
            if q == p:
                for d, lv in inst.eff[a].items():
                    levels[d] = max(levels.get(d, lv), lv)
    return assign


def _milp(inst: _Instance, time_limit: float, gap: float = 1e-6) -> tuple[dict[int, int] | None,
                                                                           str]:
    """Solve the instance exactly with scipy.optimize.milp (HiGHS); see plan_roadmap."""
    from scipy.optimize import Bounds, LinearConstraint, milp
    from scipy.sparse import coo_array

    n, P = inst.n, inst.P
    if n == 0:
        return {}, "optimal"

    def xi(a: int, p: int) -> int:
        return a * P + p

    nx_ = n * P
    zvars: list[tuple[int, tuple[str, int], int]] = []
    for a in range(n):
        for k in inst.gains[a]:
            for p in range(P):
                zvars.append((a, k, p))
    nvar = nx_ + len(zvars)
    c = np.zeros(nvar)
    for a in range(n):
        for p in range(P):
            c[xi(a, p)] = -inst.island_gain(a, p)
    for j, (a, k, p) in enumerate(zvars):
        c[nx_ + j] = -inst.level_value(a, k, p)
    ub = np.ones(nvar)
    rows: list[int] = []
    cols: list[int] = []
    vals: list[float] = []
    lo: list[float] = []
    hi: list[float] = []
    r = 0

    def row(entries: list[tuple[int, float]], low: float, high: float) -> None:
        nonlocal r
        for col, v in entries:
            rows.append(r)
            cols.append(col)
            vals.append(v)
        lo.append(low)
        hi.append(high)
        r += 1

    for a in range(n):  # each action at most once
        row([(xi(a, p), 1.0) for p in range(P)], -np.inf, 1.0)
    for p in range(P):  # phase budgets, scaled to 1
        scale = max(inst.budgets[p], 1.0)
        row([(xi(a, p), inst.cost[a] / scale) for a in range(n) if inst.cost[a] > 0], -np.inf,
            inst.budgets[p] / scale)
    for a in range(n):
        needs = [list(inst.reach[k]) for k in inst.reqs[a]]
        needs = [[b for b in group if b != a] for group in needs]
        needs += [[b] for b in inst.prereq[a]]
        for group in needs:
            ub[xi(a, 0)] = 0.0
            for p in range(1, P):  # done by p  =>  some enabler done before p
                row([(xi(a, q), 1.0) for q in range(p + 1)]
                    + [(xi(b, q), -1.0) for b in group for q in range(p)], -np.inf, 0.0)
    by_level: dict[tuple[str, int], list[int]] = {}
    for j, (a, k, p) in enumerate(zvars):
        row([(nx_ + j, 1.0), (xi(a, p), -1.0)], -np.inf, 0.0)  # credit only if done
        by_level.setdefault(k, []).append(nx_ + j)
    for cols_k in by_level.values():  # y[d,l] = sum of credits <= 1
        row([(col, 1.0) for col in cols_k], -np.inf, 1.0)
    A = coo_array((vals, (rows, cols)), shape=(r, nvar)).tocsr()
    integrality = np.zeros(nvar)
    integrality[:nx_] = 1
    res = milp(c, integrality=integrality, bounds=Bounds(np.zeros(nvar), ub),
               constraints=LinearConstraint(A, lo, hi),
               options={"time_limit": time_limit, "mip_rel_gap": gap})
    if res.x is None:
        return None, f"no MILP solution within {time_limit:g} s ({res.message})"
    x = res.x[:nx_].reshape(n, P)
    assign = {a: int(np.argmax(x[a])) for a in range(n) if x[a].max() > 0.5}
    if res.status == 0:
        return assign, "optimal"
    bound = getattr(res, "mip_gap", None)
    within = f", within {bound:.2%} of the best possible" if bound is not None else ""
    return assign, f"time limit of {time_limit:g} s reached{within}"


def _prune(inst: _Instance, assign: dict[int, int]) -> dict[int, int]:
    """Drop actions that add no value and that nothing later needs."""
    value = _evaluate(inst, assign)
    for a in sorted(assign, key=lambda a: (-assign[a], -inst.cost[a])):
        trial = {b: q for b, q in assign.items() if b != a}
        if not _violations(inst, trial) and _evaluate(inst, trial) >= value - 1e-12:
            assign = trial
    return assign


# ---- building the instance --------------------------------------------------------


def _check_inputs(assessment, G, budget_per_phase, phases, strategy, size, solver
                  ) -> tuple[list[float], str]:
    problems = []

    def bad(where: str, msg: str) -> None:
        problems.append(Problem("<roadmap>", where, msg))

    if isinstance(phases, bool) or not isinstance(phases, (int, np.integer)) or phases < 1:
        bad("phases", f"must be a whole number >= 1, got {phases!r}")
        phases = 1
    if isinstance(budget_per_phase, (int, float, np.number)) and not isinstance(
            budget_per_phase, bool):
        budgets = [float(budget_per_phase)] * int(phases)
    elif isinstance(budget_per_phase, Sequence) and not isinstance(budget_per_phase, str):
        budgets = []
        for b in budget_per_phase:
            if isinstance(b, bool) or not isinstance(b, (int, float, np.number)):
                bad("budget_per_phase", f"{b!r} is not a number")
            else:
                budgets.append(float(b))
        if len(budget_per_phase) != phases:
            bad("budget_per_phase", f"gives {len(budget_per_phase)} budgets for {phases} phases")
    else:
        bad("budget_per_phase", f"must be a number or a list of numbers, got {budget_per_phase!r}")
        budgets = []
    if any(not math.isfinite(b) or b < 0 for b in budgets):
        bad("budget_per_phase", "budgets must be finite and >= 0 CNY")
    strategies = load_priority_data().strategies
    if strategy not in strategies:
        bad("strategy", f"unknown strategy {strategy!r}; use one of {sorted(strategies)}")
    if solver not in SOLVERS:
        bad("solver", f"unknown solver {solver!r}; use 'milp' or 'greedy'")
    if size is not None and size not in SIZES:
        bad("size", f"unknown size {size!r}; use one of {list(SIZES)}")
    if G is not None and not isinstance(G, nx.Graph):
        bad("G", "the landscape must be a networkx graph (see value_chain.read_landscape)")
    if problems:
        raise InputError(problems)
    if size is None:
        given = (assessment.answers.enterprise.size or "").strip().lower()
        size = given if given in SIZES else "medium"
    return budgets, size


def _industry(assessment, G) -> str | None:
    it = assessment.answers.enterprise.industry_type
    if it is None and G is not None:
        it = G.graph.get("enterprise", {}).get("industry_type")
    return it


def _model_effects(action: Action, model_id: str, dims) -> dict[str, int]:
    out: dict[str, int] = {}
    for e in action.effects.levels:
        if e.model == model_id and e.dimension in dims:
            out[e.dimension] = max(out.get(e.dimension, e.level), e.level)
    return out


@dataclass
class _Screen:
    """Which catalog actions can be planned, and why the others cannot."""

    candidates: list[Action]
    in_place: list[Action]
    excluded: dict[str, dict[str, str]] = field(default_factory=dict)
    applicable: list[Action] = field(default_factory=list)


def _screen(catalog: ActionCatalog, assessment, G, size: str, budgets: list[float],
            current: dict[str, int]) -> _Screen:
    model_id = assessment.model.id
    industry = _industry(assessment, G)
    excluded: dict[str, dict[str, str]] = {}
    applicable = []
    for a in catalog.actions:
        app = a.applicability
        if size not in app.sizes or size not in a.cost_cny:
            excluded[a.id] = {"en": f"does not apply to {size} enterprises",
                              "zh": f"不适用于{_SIZE_ZH.get(size, size)}企业"}
        elif industry is not None and industry not in app.industry_types:
            excluded[a.id] = {"en": f"does not apply to {industry} manufacturing",
                              "zh": "不适用于" + ("离散制造" if industry == "discrete"
                                                  else "流程制造")}
        else:
            applicable.append(a)
    in_place = []
    for a in applicable:
        eff = _model_effects(a, model_id, current)
        if not eff or any(current[d] < lv for d, lv in eff.items()):
            continue
        land = a.effects.landscape
        changes = land.add_systems or land.connect or land.connect_partners
        if changes and (G is None or not nx.utils.graphs_equal(apply_actions(G, [a]), G)):
            continue
        in_place.append(a)
    done = {a.id for a in in_place}
    pool = [a for a in applicable if a.id not in done]
    top = max(budgets) if budgets else 0.0
    for a in pool:
        if a.cost(size) > top:
            excluded[a.id] = {"en": f"costs {a.cost(size):,.0f} CNY, more than any phase budget",
                              "zh": f"需 {a.cost(size):,.0f} 元，超过任一阶段的预算"}
    changed = True
    while changed:
        changed = False
        ids = {a.id for a in pool if a.id not in excluded}
        for a in pool:
            if a.id in excluded:
                continue
            missing = [p for p in a.prerequisites if p not in ids and p not in done]
            if missing:
                names = [catalog.action(p).name for p in missing]
                excluded[a.id] = {
                    "en": f"needs {', '.join(n.en for n in names)}, which cannot be planned",
                    "zh": f"需要先完成{'、'.join(n.zh for n in names)}，而后者无法列入计划"}
                changed = True
                continue
            for d, lv in _requirements(a, model_id, current):
                if not any(_model_effects(b, model_id, current).get(d, -1) >= lv
                           for b in pool if b.id in ids and b.id != a.id):
                    dim = assessment.model.dimension(d).name
                    excluded[a.id] = {
                        "en": f"needs {dim.en} at level {lv}, which no plannable action gives",
                        "zh": f"需要{dim.zh}先达到 {lv} 级，而没有可列入计划的行动能做到"}
                    changed = True
                    break
    candidates = [a for a in pool if a.id not in excluded]
    return _Screen(candidates, in_place, excluded, applicable)


def _requirements(action: Action, model_id: str, current: dict[str, int]) -> list[tuple[str, int]]:
    """(dimension, level) that must be reached before the action: entry and no skipped level."""
    need: dict[str, int] = {}
    for e in action.entry:
        if e.model == model_id and e.dimension in current and current[e.dimension] < e.level:
            need[e.dimension] = max(need.get(e.dimension, 0), e.level)
    for d, lv in _model_effects(action, model_id, current).items():
        if current[d] < lv - 1:
            need[d] = max(need.get(d, 0), lv - 1)
    return sorted(need.items())


def _instance(screen: _Screen, assessment, G, size: str, budgets: list[float],
              current: dict[str, int], target: dict[str, int], weight: dict[str, float],
              strategy: str) -> _Instance:
    data = load_priority_data()
    model_id = assessment.model.id
    acts = screen.candidates
    index = {a.id: i for i, a in enumerate(acts)}
    eff = [_model_effects(a, model_id, current) for a in acts]
    reqs = [_requirements(a, model_id, current) for a in acts]
    reach: dict[tuple[str, int], list[int]] = {}
    for r in reqs:
        for k in r:
            if k not in reach:
                reach[k] = [j for j in range(len(acts)) if eff[j].get(k[0], -1) >= k[1]]
    # An action raising d to L > c_d + 1 needs L - 1 reached before it (no level skipped),
    # so the only gap level it can close on d is L itself.
    gains = [[(d, lv) for d, lv in e.items() if current[d] < lv <= target[d]] for e in eff]
    if G is not None:
        base = landscape_metrics(G)["island_count"]
        islands = []
        for a in acts:
            land = a.effects.landscape
            if land.add_systems or land.connect or land.connect_partners:
                after = landscape_metrics(apply_actions(G, [a]))["island_count"]
                islands.append(float(max(0, base - after)))
            else:
                islands.append(0.0)
    else:
        islands = [0.0] * len(acts)
    weights = data.strategies[strategy].focus
    return _Instance(
        actions=acts,
        cost=[a.cost(size) for a in acts],
        budgets=budgets,
        current=current,
        target=target,
        weight=weight,
        strat=[float(weights.get(a.focus, 1.0)) for a in acts],
        islands=islands,
        island_value=data.island_value,
        disc=[(1 - data.phase_discount) ** p for p in range(len(budgets))],
        eff=eff,
        prereq=[[index[p] for p in a.prerequisites if p in index] for a in acts],
        reqs=reqs,
        reach=reach,
        gains=gains,
    )


# ---- the planner ------------------------------------------------------------------


def plan_roadmap(
    assessment: Assessment,
    G: nx.MultiDiGraph | None,
    catalog: ActionCatalog | None = None,
    *,
    target: Any = "next",
    budget_per_phase: float | Sequence[float],
    phases: int,
    strategy: str = "balanced",
    size: str | None = None,
    solver: str = "milp",
    kpi_importance: Mapping[str, float] | None = None,
    cost_profile: Mapping[str, float] | None = None,
    time_limit: float = 7.0,
) -> Roadmap:
    r"""Plan a step-by-step, budgeted transformation roadmap.

    Parameters
    ----------
    assessment
        The scored enterprise; where landscape evidence flags a dimension, the
        supported level counts as the current one.
    G
        Its IT/OT landscape (``value_chain.read_landscape``), or None.
    catalog
        The action catalog (the bundled one by default).
    target
        ``"next"``, a dict ``{dimension: level}`` or a target-profile file
        (see :func:`maturity.priorities.resolve_target`).
    budget_per_phase
        CNY per phase: one number for every phase, or a list with one per phase.
    phases
        Number of phases.
    strategy
        ``balanced``, ``production_first``, ``product_first`` or
        ``business_model_first`` (weights on the actions' focus, in
        ``priorities.yaml``).
    size
        micro, small, medium or large; by default the enterprise size given
        with the answers if it is one of these, else medium. Costs are the
        mid-points of the catalog's ranges for this size.
    solver
        ``"milp"`` (exact, ``scipy.optimize.milp``/HiGHS) or ``"greedy"``
        (per phase, repeatedly the feasible action with the best marginal
        value per cost).
    kpi_importance, cost_profile
        Passed to :func:`maturity.priorities.priorities`.
    time_limit
        Seconds the MILP solver may take; after that the best plan found so
        far is used and the roadmap says so (with the remaining optimality
        gap). Catalogs of a few dozen actions solve to optimality in well
        under a second; see ``benchmarks/bench_roadmap.py`` for 300.

    Returns
    -------
    Roadmap

    Notes
    -----
    Actions not applicable to the enterprise's industry type or size are left
    out, and so are actions already in place (their levels are reached and
    their landscape effect changes nothing) and actions that can never start
    (a prerequisite or a required level no plannable action provides). With
    the candidates :math:`a`, phases :math:`p = 0..P-1`, the dimensions
    :math:`d` of the assessment's model at current level :math:`c_d` and
    target :math:`t_d`, the programme is

    .. math::

        \max \sum_{a,k,p} \delta^p s_a w_{d(k)}\, z_{akp}
             + \sum_{a,p} \delta^p s_a \iota\, I_a\, x_{ap}

    over binary :math:`x_{ap}` (action :math:`a` in phase :math:`p`) and
    credits :math:`z_{akp} \in [0, 1]` for the gap level :math:`k = (d, e_{ad})`
    that :math:`a` closes on each dimension it raises (:math:`c_d < e_{ad} \le t_d`),
    subject to

    - at most once: :math:`\sum_p x_{ap} \le 1`;
    - budget: :math:`\sum_a \text{cost}_a x_{ap} \le B_p`;
    - prerequisites, big-M free with cumulative sums: for each prerequisite
      :math:`b` of :math:`a` and each :math:`p`,
      :math:`\sum_{q \le p} x_{aq} \le \sum_{q < p} x_{bq}` (so none in phase 0);
    - required levels (entry conditions above the current level, and
      :math:`l = L - 1` for an effect raising :math:`d` to :math:`L > c_d + 1`,
      so that no level is skipped), with :math:`R_{dl}` the actions reaching
      at least :math:`l` on :math:`d`:
      :math:`\sum_{q \le p} x_{aq} \le \sum_{b \in R_{dl}, b \ne a} \sum_{q < p} x_{bq}`;
    - credit only for done actions, each level counted once:
      :math:`z_{akp} \le x_{ap}` and
      :math:`y_{dl} = \sum_{a,p} z_{a(d,l)p} \le 1` ("level :math:`l` of
      :math:`d` reached").

    Here :math:`w_d` is the dimension's KPI weight times cost weight (its
    priority per gap level), :math:`s_a` the strategy's weight on the focus of
    :math:`a`, :math:`\delta = 1 -` ``phase_discount``, :math:`I_a` the islands
    that :math:`a` alone removes from ``G`` and :math:`\iota` the
    ``island_value`` (both in ``priorities.yaml``). An action closes at most
    one gap level per dimension, the level :math:`e_{ad}` it raises it to
    (lower ones must have been reached before it). Actions of the solution
    that add nothing and that nothing needs are dropped afterwards; the
    greedy plan is kept if it is better (only possible at the time limit).
    Entry conditions on other models cannot be
    checked against this assessment and are not enforced; effects on other
    models count for nothing in the objective but are shown.

    Examples
    --------
    See the module docstring; :class:`Roadmap` holds the result.
    """
    from maturity.actions import load_catalog

    catalog = catalog or load_catalog()
    budgets, size = _check_inputs(assessment, G, budget_per_phase, phases, strategy, size,
                                  solver)
    current = current_levels(assessment)
    target_levels = resolve_target(assessment, target)
    prio = priorities(assessment, target_levels, kpi_importance=kpi_importance,
                      cost_profile=cost_profile, catalog=catalog)
    weight = {d: float(prio.loc[d, "kpi_weight"] * prio.loc[d, "cost_weight"])
              for d in prio.index}
    screen = _screen(catalog, assessment, G, size, budgets, current)
    inst = _instance(screen, assessment, G, size, budgets, current, target_levels, weight,
                     strategy)
    greedy = _greedy(inst)
    greedy_value = _evaluate(inst, greedy)
    status = "greedy"
    assign = greedy
    if solver == "milp":
        found, status = _milp(inst, time_limit)
        if found is not None and not _violations(inst, found):
            found = _prune(inst, found)
        if found is None or _violations(inst, found) or _evaluate(
                inst, found) < greedy_value - 1e-9:
            status += "; the greedy plan is used"
        else:
            assign = found
    return _build(assessment, G, catalog, inst, screen, assign, prio, strategy=strategy,
                  size=size, solver=solver, status=status, greedy_value=greedy_value)


# ---- the result -------------------------------------------------------------------


def _fmt_cny(v: float) -> str:
    return f"{v:,.0f}"


def _build(assessment, G, catalog, inst: _Instance, screen: _Screen, assign: dict[int, int],
           prio: pd.DataFrame, *, strategy: str, size: str, solver: str, status: str,
           greedy_value: float) -> Roadmap:
    P = inst.P
    phases: list[list[int]] = [sorted((a for a, p in assign.items() if p == q),
                                      key=lambda a: a) for q in range(P)]
    levels = dict(inst.current)
    levels_after = []
    landscape_after = []
    done: list[Action] = []
    for q in range(P):
        for a in phases[q]:
            for d, lv in inst.eff[a].items():
                levels[d] = max(levels[d], lv)
            done.append(inst.actions[a])
        levels_after.append(dict(levels))
        if G is not None:
            m = landscape_metrics(apply_actions(G, done))
            landscape_after.append({"island_count": m["island_count"],
                                    "vertical_integration": m["vertical_integration"]})
        else:
            landscape_after.append({"island_count": None, "vertical_integration": None})
    before = None
    if G is not None:
        m = landscape_metrics(G)
        before = {"island_count": m["island_count"],
                  "vertical_integration": m["vertical_integration"]}
    return Roadmap(
        model=assessment.model,
        enterprise=assessment.enterprise_name,
        strategy=strategy,
        size=size,
        solver=solver,
        status=status,
        budgets=list(inst.budgets),
        current=dict(inst.current),
        target=dict(inst.target),
        priorities=prio,
        steps=[[_step(inst, a, q) for a in phases[q]] for q in range(P)],
        levels_after=levels_after,
        landscape_before=before,
        landscape_after=landscape_after,
        objective=_evaluate(inst, assign),
        greedy_objective=greedy_value,
        _inst=inst,
        _screen=screen,
        _catalog=catalog,
        _assign=dict(assign),
    )


@dataclass(frozen=True)
class Step:
    """One action placed in a phase."""

    action: Action
    phase: int
    cost: float
    value: float
    islands_removed: float


def _step(inst: _Instance, a: int, p: int) -> Step:
    value = inst.island_gain(a, p) + sum(inst.level_value(a, k, p) for k in inst.gains[a])
    return Step(inst.actions[a], p, inst.cost[a], value, inst.islands[a])


@dataclass
class Roadmap:
    """A transformation plan: phases of actions, costs, levels and islands after each phase.

    Made by :func:`plan_roadmap`. ``to_frame()`` gives one row per step,
    ``to_dict()`` the JSON form, ``to_text()`` a plain table;
    ``plot_gantt()`` and ``plot_trajectory()`` draw it; notebooks show it as
    HTML (escaped).
    """

    model: Any
    enterprise: str
    strategy: str
    size: str
    solver: str
    status: str
    budgets: list[float]
    current: dict[str, int]
    target: dict[str, int]
    priorities: pd.DataFrame
    steps: list[list[Step]]
    levels_after: list[dict[str, int]]
    landscape_before: dict[str, Any] | None
    landscape_after: list[dict[str, Any]]
    objective: float
    greedy_objective: float
    _inst: _Instance = field(repr=False)
    _screen: _Screen = field(repr=False)
    _catalog: ActionCatalog = field(repr=False)
    _assign: dict[int, int] = field(repr=False)

    # ---- derived facts -------------------------------------------------------
    @property
    def actions(self) -> list[Action]:
        """The planned actions, phase by phase."""
        return [s.action for phase in self.steps for s in phase]

    @property
    def total_cost(self) -> float:
        return float(sum(s.cost for phase in self.steps for s in phase))

    def phase_duration(self, p: int) -> float:
        """Months of phase ``p`` (0-based): actions of one phase never depend on each other
        (prerequisites lie in earlier phases), so they run side by side: the longest one."""
        return max((s.action.duration_months for s in self.steps[p]), default=0.0)

    def _dim_name(self, d: str, lang: str) -> str:
        return self.model.dimension(d).name(lang)

    def _closes(self, step: Step) -> list[tuple[str, int, int]]:
        """(dimension, from, to) the step raises, at the time it is done."""
        before = self.current if step.phase == 0 else self.levels_after[step.phase - 1]
        out = []
        for e in step.action.effects.levels:
            if e.model == self.model.id and e.dimension in before and e.level > before[
                    e.dimension]:
                out.append((e.dimension, before[e.dimension], e.level))
        return out

    def _unlocks(self, step: Step) -> list[Action]:
        """Later planned actions that need this one (as prerequisite or for a level)."""
        out = []
        mine = step.action
        for later in (s for phase in self.steps[step.phase + 1:] for s in phase):
            a = later.action
            if mine.id in a.prerequisites:
                out.append(a)
                continue
            reqs = _requirements(a, self.model.id, self.current)
            eff = _model_effects(mine, self.model.id, self.current)
            if any(eff.get(d, -1) >= lv for d, lv in reqs):
                out.append(a)
        return out

    def sentence(self, step: Step, lang: str = "en") -> str:
        """What the step closes and what it unlocks, in one sentence."""
        closes = self._closes(step)
        gaps = [(d, lo, hi) for d, lo, hi in closes]
        unlocks = [a.name(lang) for a in self._unlocks(step)]
        parts = []
        if lang == "zh":
            if gaps:
                parts.append("将" + "、".join(
                    f"{self._dim_name(d, lang)}从 {lo} 级提升到 {hi} 级" for d, lo, hi in gaps))
            else:
                parts.append("为后续步骤打基础（本模型的等级不变）")
            if step.islands_removed:
                parts.append(f"消除 {step.islands_removed:.0f} 个信息孤岛")
            if unlocks:
                parts.append("为后续的" + "、".join(unlocks) + "创造条件")
            return "，".join(parts) + "。"
        if gaps:
            parts.append("Raises " + ", ".join(
                f"{self._dim_name(d, lang)} from {lo} to {hi}" for d, lo, hi in gaps))
        else:
            parts.append("Prepares the ground (no level of this model changes)")
        if step.islands_removed:
            n = step.islands_removed
            parts.append(f"removes {n:.0f} information island{'s' if n != 1 else ''}")
        if unlocks:
            parts.append("unlocks " + ", ".join(unlocks))
        return "; ".join(parts) + "."

    def unmet_targets(self, lang: str = "en") -> list[dict[str, Any]]:
        """Dimensions whose target the plan does not reach, each with the reason."""
        final = self.levels_after[-1] if self.levels_after else self.current
        out = []
        for d, t in self.target.items():
            if final[d] >= t:
                continue
            everything = max((_model_effects(a, self.model.id, self.current).get(d, -1)
                              for a in self._catalog.actions), default=-1)
            out.append({"dimension": d, "name": self._dim_name(d, lang), "target": t,
                        "reached": final[d], "reason": self._why(d, t, final[d], lang),
                        "no_action": everything < 0})
        return out

    def _why(self, d: str, t: int, reached: int, lang: str) -> str:
        mid = self.model.id
        name = self._dim_name(d, lang)

        def top(actions) -> int:
            return max((_model_effects(a, mid, self.current).get(d, -1) for a in actions),
                       default=-1)

        everything = top(self._catalog.actions)
        applicable = top(self._screen.applicable)
        plannable = top(self._screen.candidates)
        if everything < t:
            if everything < 0:
                return (f"{name} cannot reach level {t}: no action in the catalog raises it."
                        if lang == "en" else
                        f"{name}无法达到 {t} 级：行动目录中没有提升该项的行动。")
            return (f"{name} cannot reach level {t}: no action in the catalog raises it beyond "
                    f"{everything}." if lang == "en" else
                    f"{name}无法达到 {t} 级：行动目录中的行动最多只能将其提升到 {everything} 级。")
        if applicable < t:
            return (f"{name} cannot reach level {t}: the actions that raise it that far do not "
                    f"apply to a {self.size} enterprise of this industry type." if lang == "en"
                    else f"{name}无法达到 {t} 级：能提升到该等级的行动不适用于本企业的规模或"
                    "行业类型。")
        if plannable < t:
            blocked = [a for a in self._screen.applicable if a.id in self._screen.excluded
                       and _model_effects(a, mid, self.current).get(d, -1) >= t]
            sep = "; " if lang == "en" else "；"
            why = sep.join(f"{a.name(lang)}{' ' if lang == 'en' else ''}"
                           f"{self._screen.excluded[a.id][lang]}" for a in blocked[:2])
            return (f"{name} cannot reach level {t}: {why}." if lang == "en" else
                    f"{name}无法达到 {t} 级：{why}。")
        nxt = [a for a in self._screen.candidates
               if _model_effects(a, mid, self.current).get(d, -1) > reached
               and a not in self.actions]
        nxt.sort(key=lambda a: a.cost(self.size))
        hint = ""
        if nxt:
            a = nxt[0]
            hint = (f"; the next step, {a.name(lang)}, costs {_fmt_cny(a.cost(self.size))} CNY"
                    if lang == "en" else
                    f"；下一步“{a.name(lang)}”需 {_fmt_cny(a.cost(self.size))} 元")
        return (f"{name} stays at level {reached} (target {t}): the budget or the number of "
                f"phases is too small for the steps that lead there{hint}." if lang == "en" else
                f"{name}停留在 {reached} 级（目标 {t} 级）：预算或阶段数不足以完成通往目标的步骤"
                f"{hint}。")

    def cheapest_next_step(self) -> Action | None:
        """The cheapest applicable action that could start now, whatever the budget, and that
        brings a level within the target (or removes an island) or leads to one that does
        (as a prerequisite); None if there is none."""
        done = {a.id for a in self._screen.in_place}
        pool = [a for a in self._screen.applicable if a.id not in done]
        islands = {a.id: n for a, n in zip(self._inst.actions, self._inst.islands, strict=True)}
        useful = set()
        for a in pool:
            eff = _model_effects(a, self.model.id, self.current)
            if any(self.current[d] < min(lv, self.target[d]) for d, lv in eff.items()) or (
                    islands.get(a.id, 0) > 0):
                useful.add(a.id)
        graph = self._catalog.prerequisite_graph()
        leads = set(useful)
        for u in useful:
            leads |= nx.ancestors(graph, u)
        ready = [a for a in pool if a.id in leads
                 and all(p in done for p in a.prerequisites)
                 and not _requirements(a, self.model.id, self.current)]
        ready.sort(key=lambda a: (a.id not in useful, a.cost(self.size)))
        ready_useful = [a for a in ready if a.id in useful]
        best = ready_useful or ready
        return min(best, key=lambda a: a.cost(self.size), default=None)

    def explanations(self, lang: str = "en") -> list[str]:
        """Plain sentences on what the plan cannot do, and why."""
        out = []
        if not self._assign:
            cheapest = self.cheapest_next_step()
            if cheapest is not None and cheapest.cost(self.size) > max(self.budgets):
                b = self.budgets[0] if len(set(self.budgets)) == 1 else max(self.budgets)
                what = "phase budget" if len(set(self.budgets)) == 1 else "largest phase budget"
                out.append(
                    f"The cheapest next step, {cheapest.name(lang)}, costs "
                    f"{_fmt_cny(cheapest.cost(self.size))} CNY; the {what} is "
                    f"{_fmt_cny(b)} CNY." if lang == "en" else
                    f"最便宜的下一步“{cheapest.name(lang)}”需 {_fmt_cny(cheapest.cost(self.size))}"
                    f" 元，而阶段预算为 {_fmt_cny(b)} 元。")
            elif not any(self.target[d] > self.current[d] for d in self.target):
                out.append("Every target is already reached: nothing to plan." if lang == "en"
                           else "所有目标均已达到，无需规划。")
            elif cheapest is not None:
                out.append(
                    f"No plan closes a gap within {len(self.budgets)} phase(s) of this budget; "
                    f"the first step would be {cheapest.name(lang)} "
                    f"({_fmt_cny(cheapest.cost(self.size))} CNY)." if lang == "en" else
                    f"在 {len(self.budgets)} 个阶段和现有预算内无法缩小任何差距；第一步应是"
                    f"“{cheapest.name(lang)}”（{_fmt_cny(cheapest.cost(self.size))} 元）。")
            else:
                out.append("No action of the catalog can close a gap to the target now."
                           if lang == "en" else "行动目录中没有可以立即缩小差距的行动。")
        else:
            for p, steps in enumerate(self.steps):
                if not steps:
                    out.append(f"Phase {p + 1} has no action: no further step both fits its "
                               "budget and brings a level within the target." if lang == "en"
                               else f"阶段 {p + 1} 没有行动：没有既在预算内又能缩小目标差距的"
                               "后续步骤。")
        unmet = self.unmet_targets(lang)
        none = [u for u in unmet if u["no_action"]]
        if len(none) > 1:
            out.append(("No action in the catalog raises " + ", ".join(
                f"{u['name']} (target {u['target']})" for u in none) + ".") if lang == "en" else
                "行动目录中没有提升以下各项的行动：" + "、".join(
                    f"{u['name']}（目标 {u['target']} 级）" for u in none) + "。")
            out += [u["reason"] for u in unmet if not u["no_action"]]
        else:
            out += [u["reason"] for u in unmet]
        if self.status not in ("optimal", "greedy"):
            out.append(f"Solver: {self.status}." if lang == "en" else f"求解器：{self.status}。")
        return out

    # ---- views ----------------------------------------------------------------
    def to_dict(self, lang: str = "en") -> dict[str, Any]:
        """JSON-ready plan.

        Keys: ``phases`` (each ``phase`` number from 1, ``actions`` with ``id``,
        ``name``, ``cost``, ``prerequisites`` and more, ``cost``, ``budget``,
        ``months``, ``levels_after``, ``islands_after``,
        ``vertical_integration_after``), ``total_cost``, ``total_months``,
        ``objective``, ``greedy_objective``, ``unmet_targets``,
        ``explanations``, plus the strategy, budget, solver and the levels.
        """
        phases = []
        for p, steps in enumerate(self.steps):
            phases.append({
                "phase": p + 1,
                "actions": [{
                    "id": s.action.id,
                    "name": s.action.name(lang),
                    "cost": s.cost,
                    "prerequisites": list(s.action.prerequisites),
                    "focus": s.action.focus,
                    "category": s.action.category,
                    "duration_months": s.action.duration_months,
                    "raises": [{"dimension": d, "from": lo, "to": hi}
                               for d, lo, hi in self._closes(s)],
                    "other_effects": [e.model_dump() for e in s.action.effects.levels
                                      if e.model != self.model.id],
                    "islands_removed": s.islands_removed,
                    "value": round(s.value, 6),
                    "explanation": self.sentence(s, lang),
                    "unlocks": [a.id for a in self._unlocks(s)],
                } for s in steps],
                "cost": float(sum(s.cost for s in steps)),
                "budget": self.budgets[p],
                "months": self.phase_duration(p),
                "levels_after": dict(self.levels_after[p]),
                "islands_after": self.landscape_after[p]["island_count"],
                "vertical_integration_after": self.landscape_after[p]["vertical_integration"],
            })
        return {
            "model": self.model.id,
            "enterprise": self.enterprise,
            "strategy": self.strategy,
            "size": self.size,
            "solver": self.solver,
            "solver_status": self.status,
            "budget_per_phase": list(self.budgets),
            "current": dict(self.current),
            "target": dict(self.target),
            "islands_before": (self.landscape_before or {}).get("island_count"),
            "vertical_integration_before": (self.landscape_before or {}).get(
                "vertical_integration"),
            "phases": phases,
            "total_cost": self.total_cost,
            "total_months": float(sum(self.phase_duration(p) for p in range(len(self.steps)))),
            "objective": round(self.objective, 6),
            "greedy_objective": round(self.greedy_objective, 6),
            "unmet_targets": self.unmet_targets(lang),
            "already_in_place": [a.id for a in self._screen.in_place],
            "explanations": self.explanations(lang),
        }

    def landscape_at(self, G: nx.MultiDiGraph, phase: int | None = None) -> nx.MultiDiGraph:
        """The landscape ``G`` after the actions up to ``phase`` (1-based; all by default)."""
        last = len(self.steps) if phase is None else phase
        return apply_actions(G, [s.action for p in self.steps[:last] for s in p])

    def to_json(self, lang: str = "en", **kwargs) -> str:
        return json.dumps(self.to_dict(lang), ensure_ascii=False, **kwargs)

    def to_frame(self, lang: str = "en") -> pd.DataFrame:
        """One row per step: phase, action, focus, cost, months, what it raises, the sentence."""
        cols = ["phase", "id", "name", "focus", "cost", "duration_months", "raises",
                "islands_removed", "explanation"]
        rows = []
        for p in self.to_dict(lang)["phases"]:
            for x in p["actions"]:
                raises = ", ".join(f"{r['dimension']} {r['from']}→{r['to']}" for r in x["raises"])
                rows.append({"phase": p["phase"], **{k: x[k] for k in cols[1:] if k in x},
                             "raises": raises})
        return pd.DataFrame(rows, columns=cols)

    def trajectory(self) -> pd.DataFrame:
        """Levels per dimension (rows) before (``0``) and after each phase, with the target."""
        frame = pd.DataFrame({0: self.current, **{p + 1: lv for p, lv in
                                                 enumerate(self.levels_after)}})
        frame["target"] = pd.Series(self.target)
        frame.index.name = "dimension"
        return frame

    def to_text(self, lang: str = "en") -> str:
        """The plan as a plain-text table, phase by phase."""
        d = self.to_dict(lang)
        zh = lang == "zh"
        lines = [(f"路线图（{self.model.id}，策略 {self.strategy}，{len(d['phases'])} 个阶段）："
                  "总费用 "
                  f"{_fmt_cny(d['total_cost'])} 元，约 {d['total_months']:g} 个月" if zh else
                  f"Roadmap ({self.model.id}, {self.strategy}, {len(d['phases'])} phases): "
                  f"total {_fmt_cny(d['total_cost'])} CNY, about {d['total_months']:g} months")]
        isl = d["islands_before"]
        for p in d["phases"]:
            head = (f"阶段 {p['phase']}：{_fmt_cny(p['cost'])} / {_fmt_cny(p['budget'])} 元，"
                    f"{p['months']:g} 个月" if zh else
                    f"Phase {p['phase']}: {_fmt_cny(p['cost'])} of {_fmt_cny(p['budget'])} CNY, "
                    f"{p['months']:g} months")
            if p["islands_after"] is not None:
                head += (f"，信息孤岛 {isl} → {p['islands_after']}" if zh else
                         f", islands {isl} -> {p['islands_after']}")
                isl = p["islands_after"]
            lines.append(head)
            if not p["actions"]:
                lines.append("  (无)" if zh else "  (nothing)")
            width = max((len(x["name"]) for x in p["actions"]), default=0)
            for x in p["actions"]:
                lines.append(f"  {x['name']:<{width}}  {_fmt_cny(x['cost']):>11}  "
                             f"{x['explanation']}")
        for e in d["explanations"]:
            lines.append(f"  ! {e}")
        return "\n".join(lines)

    def plot_gantt(self, ax: Axes | None = None, *, lang: str = "en") -> Axes:
        """Bars of the steps over the months, coloured by focus; returns the axes."""
        from matplotlib import pyplot as plt

        lang = plot_lang(lang)
        colors = {"foundation": "#8172B3", "production": "#4C72B0", "product": "#55A868",
                  "business_model": "#DD8452"}
        rows = []
        start = 0.0
        for p, steps in enumerate(self.steps):
            for s in steps:
                rows.append((s.action.name(lang), start, s.action.duration_months,
                             s.action.focus, p))
            start += self.phase_duration(p)
        with figure_style(lang):
            if ax is None:
                _, ax = plt.subplots(figsize=(9, 0.35 * max(len(rows), 1) + 1.5))
            for i, (_, left, width, focus, _) in enumerate(rows):
                ax.barh(i, width, left=left, color=colors.get(focus, "#999999"))
            ax.set_yticks(range(len(rows)), [r[0] for r in rows], fontsize=8)
            ax.invert_yaxis()
            edge = 0.0
            for p in range(len(self.steps)):
                edge += self.phase_duration(p)
                ax.axvline(edge, color="#cccccc", lw=0.8, zorder=0)
            handles = [plt.Rectangle((0, 0), 1, 1, color=c) for c in colors.values()]
            ax.legend(handles, list(colors), fontsize=7, loc="lower right")
            ax.set_xlabel("months" if lang == "en" else "月")
            ax.set_title(("Roadmap" if lang == "en" else "转型路线图")
                         + f" — {self.strategy}", fontsize=10)
            own_fonts(ax)
        return ax

    def plot_trajectory(self, ax: Axes | None = None, *, lang: str = "en") -> Axes:
        """Levels of the dimensions the plan raises after each phase (targets as ticks at the
        right); returns the axes."""
        from matplotlib import pyplot as plt

        lang = plot_lang(lang)
        traj = self.trajectory()
        steps = [c for c in traj.columns if c != "target"]
        moving = traj[traj[steps[-1]] > traj[0]]  # the dimensions the plan raises
        if moving.empty:
            moving = traj[traj["target"] > traj[0]]
        with figure_style(lang):
            if ax is None:
                _, ax = plt.subplots(figsize=(7, 4))
            n = len(moving)
            for i, (dim, row) in enumerate(moving.iterrows()):
                off = (i - (n - 1) / 2) * min(0.06, 0.5 / max(n, 1))  # keep lines apart
                line, = ax.plot(steps, [row[s] + off for s in steps], marker="o",
                                label=self._dim_name(str(dim), lang))
                ax.scatter([steps[-1] + 0.15], [row["target"] + off], marker="_", s=120,
                           color=line.get_color())
            top = max(lv.value for lv in self.model.levels)
            ax.set_yticks(range(0, top + 1))
            ax.set_xticks(steps, ["now" if lang == "en" else "现状"] + [
                (f"P{s}" if lang == "en" else f"阶段{s}") for s in steps[1:]])
            ax.set_ylabel(self.model.level_label(lang))
            if len(moving):
                ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.0, 1.0))
            title = "Levels after each phase" if lang == "en" else "各阶段后的等级"
            if self.landscape_before is not None:
                isl = [self.landscape_before["island_count"]] + [
                    x["island_count"] for x in self.landscape_after]
                title += (" (islands: " if lang == "en" else "（信息孤岛：") + " → ".join(
                    map(str, isl)) + (")" if lang == "en" else "）")
            ax.set_title(title, fontsize=10)
            own_fonts(ax)
        return ax

    def __repr__(self) -> str:
        n = len(self.actions)
        return (f"<Roadmap {self.model.id} for {self.enterprise!r}: {n} actions in "
                f"{len(self.steps)} phases, {_fmt_cny(self.total_cost)} CNY, "
                f"objective {self.objective:.3f} ({self.strategy}, {self.solver})>")

    def to_html(self, lang: str = "en") -> str:
        """The roadmap as an HTML table (autoescaped) in English or Chinese."""
        return render("roadmap.html.j2", r=self.to_dict(lang), zh=lang == "zh")

    def _repr_html_(self) -> str:
        return self.to_html("en")


def roadmaps_frame(roadmaps: Sequence[Roadmap] | Mapping[str, Roadmap]) -> pd.DataFrame:
    """One row per roadmap, to compare strategies, budgets or solvers side by side.

    Columns: strategy, solver, actions, total_cost, total_months, objective,
    greedy_objective, islands_after (at the end), levels_gained (sum over the
    dimensions) and unmet_targets (their number). A mapping names the rows.
    """
    items = roadmaps.items() if isinstance(roadmaps, Mapping) else enumerate(roadmaps)
    rows = {}
    for key, r in items:
        d = r.to_dict()
        final = r.levels_after[-1] if r.levels_after else r.current
        rows[key] = {
            "strategy": r.strategy,
            "solver": r.solver,
            "actions": len(r.actions),
            "total_cost": d["total_cost"],
            "total_months": d["total_months"],
            "objective": d["objective"],
            "greedy_objective": d["greedy_objective"],
            "islands_after": d["phases"][-1]["islands_after"] if d["phases"] else None,
            "levels_gained": sum(final[k] - r.current[k] for k in r.current),
            "unmet_targets": len(d["unmet_targets"]),
        }
    return pd.DataFrame.from_dict(rows, orient="index")
