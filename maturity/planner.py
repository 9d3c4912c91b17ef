r"""The roadmap planner: from maturity gaps and information islands to a budgeted plan.

:func:`plan_roadmap` selects actions of the catalog (:mod:`maturity.actions`) and places
them in phases so as to close the most valuable gaps within each phase's budget, each step
resting on what earlier ones built.  It screens the catalog (what applies, what is already
in place, what can never be scheduled and why), solves a mixed-integer programme (HiGHS
through ``scipy.optimize.milp``, with deterministic work limits; large ones by
relax-and-fix) next to a greedy baseline, measures the plan's islands on the landscape
with its actions applied in order, and returns a frozen :class:`maturity.roadmap.Roadmap`.

Examples
--------
>>> from maturity import load_model, score
>>> from value_chain import landscape_from_dict
>>> a = score(load_model("cmmm"), {})
>>> G = landscape_from_dict({"systems": [{"id": "u8", "name": "用友 U8", "type": "ERP"}]})
>>> r = plan_roadmap(a, G, budget_per_phase=2_000_000, phases=2)
>>> "erp_core" in {x.id for x in r.actions}, "erp_core" in r.to_dict()["already_in_place"]
(False, True)
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

import networkx as nx

from maturity.action_effects import apply_action, apply_actions, island_count, systems_in_place
from maturity.actions import SIZES, Action, ActionCatalog, load_catalog
from maturity.plan_calendar import DEFAULT_PHASE_MONTHS, PlanCalendar, plan_calendar
from maturity.planner_control import check_control, fixed_actions, raise_unschedulable
from maturity.planner_explain import build_roadmap, model_effects, requirements
from maturity.planner_solvers import (
    Instance,
    evaluate,
    greedy,
    one_run,
    over_budget,
    pay_shares,
    prune,
    solve,
    violations,
)
from maturity.priorities import current_levels, load_priority_data, priorities, resolve_target
from maturity.reference_model import load_model
from maturity.roadmap_record import InPlace, Reason, Roadmap
from value_chain.errors import InputError, Problem
from value_chain.metrics import landscape_metrics
from value_chain.vocabulary import choice

if TYPE_CHECKING:
    from maturity.assessment import Assessment

__all__ = ["SOLVERS", "apply_actions", "default_node_limit", "level_cycles", "plan_roadmap"]

SOLVERS = ("milp", "greedy")


# ---- inputs -----------------------------------------------------------------------


def _check_inputs(assessment, G, strategy, size, solver, calendar: dict
                  ) -> tuple[PlanCalendar, str]:
    problems = []

    def bad(where: str, text: str) -> None:
        problems.append(Problem("<roadmap>", where, text))

    try:
        cal = plan_calendar(**calendar)
    except InputError as exc:
        problems += exc.problems
        cal = None
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
        size = choice(assessment.answers.enterprise.size, SIZES) or "medium"
    return cal, size


def _price_level(catalog: ActionCatalog, region: str | None) -> tuple[float, str]:
    """Factor on the catalog's costs and the currency, for a region."""
    if region is None or region == catalog.region:
        return 1.0, catalog.currency
    level = catalog.price_levels.get(region)
    if level is None:
        known = sorted([catalog.region, *catalog.price_levels])
        raise InputError([Problem("<roadmap>", "region",
                                  f"no price level for {region!r}; use one of {known}")])
    return level.factor, level.currency


def _industry(assessment, G) -> str | None:
    it = assessment.answers.enterprise.industry_type
    if it is None and G is not None:
        it = G.graph.get("enterprise", {}).get("industry_type")
    return it


# ---- screening ----------------------------------------------------------------------


@dataclass
class Screen:
    """Which catalog actions can be planned, and why the others cannot."""

    candidates: list[Action]
    in_place: list[InPlace]
    excluded: dict[str, Reason] = field(default_factory=dict)
    applicable: list[Action] = field(default_factory=list)
    start: dict[str, int] = field(default_factory=dict)  # levels held, with what is in place
    depth: dict[str, float] = field(default_factory=dict)
    islands: dict[str, float] = field(default_factory=dict)  # alone, on the landscape
    current: dict[str, int] = field(default_factory=dict)
    size: str = "medium"
    costs: dict[str, float] = field(default_factory=dict)  # what each action costs here
    extends: dict[str, tuple[str, ...]] = field(default_factory=dict)  # systems it extends

    def cost(self, a: Action) -> float:
        return self.costs[a.id]


def _depths(pool: list[Action], model_id: str, start: Mapping[str, int],
            done: set[str], cal: PlanCalendar | None = None) -> dict[str, float]:
    """Earliest phase (1 = it can start now) in which each action can start, inf when it
    never can (a missing prerequisite, or a level only its own dependants give).  With a
    calendar, an action waits until what it needs is done (a long one may take more than
    one phase); past the plan's end the last phase length repeats."""
    ids = [a.id for a in pool]
    eff = {a.id: model_effects(a, model_id, start) for a in pool}
    reqs = {a.id: requirements(a, model_id, start) for a in pool}
    keys = {k for r in reqs.values() for k in r}
    reach = {k: [b for b in ids if eff[b].get(k[0], -1) >= k[1]] for k in keys}
    months = {a.id: a.duration_months for a in pool}
    depth = dict.fromkeys(ids, math.inf)

    def start_month(p: float) -> float:  # p: phase index from 0
        if cal is None:
            return p
        m = cal.phase_months
        return sum(m[: int(p)]) + max(0, int(p) - len(m)) * m[-1]

    def ready_after(b: str) -> float:
        """Earliest phase index (0-based) at which ``b`` is done, when started earliest."""
        e = depth[b]
        if e == math.inf:
            return math.inf
        if cal is None:
            return e
        end = start_month(e - 1) + months[b]
        p = int(e)
        while start_month(p) < end - 1e-9:
            p += 1
        return float(p)

    changed = True
    while changed:
        changed = False
        ready = {b: ready_after(b) for b in ids}
        # the two best providers of each required level (an action never provides its own)
        best: dict[tuple[str, int], tuple[float, str | None, float]] = {}
        for k, providers in reach.items():
            m1, arg, m2 = math.inf, None, math.inf
            for b in providers:
                v = ready[b]
                if v < m1:
                    m1, arg, m2 = v, b, m1
                elif v < m2:
                    m2 = v
            best[k] = (m1, arg, m2)
        for a in pool:
            need = 0.0
            for p in a.prerequisites:
                need = max(need, 0.0 if p in done else ready.get(p, math.inf))
            for k in reqs[a.id]:
                m1, arg, m2 = best[k]
                need = max(need, m2 if arg == a.id else m1)
            if need + 1 < depth[a.id]:
                depth[a.id] = need + 1
                changed = True
    return depth


def _affordable(cost: float, duration: float, cal: PlanCalendar) -> bool:
    """Whether an action alone fits the money of some phase it could start in."""
    P = len(cal.budgets)
    for p in range(P):
        if cal.starts[p] + duration > cal.horizon + 1e-9:
            break
        paid = [0.0] * P
        for q, f in pay_shares(list(cal.phase_months), duration, p).items():
            paid[q] = cost * f
        if not over_budget(cal.budgets, paid, cal.carry_forward):
            return True
    return False


def _screen(catalog: ActionCatalog, assessment, G, size: str, cal: PlanCalendar,
            current: dict[str, int], factor: float = 1.0,
            left_out: Sequence[str] = ()) -> Screen:
    model_id = assessment.model.id
    industry = _industry(assessment, G)
    sector = _sector(assessment, G)
    excluded: dict[str, Reason] = {}
    applicable = []
    for a in catalog.actions:
        app = a.applicability
        if size not in app.sizes or size not in a.cost_cny:
            excluded[a.id] = Reason("roadmap.excluded.size", {"size": size})
        elif industry is not None and industry not in app.industry_types:
            excluded[a.id] = Reason("roadmap.excluded.industry", {"industry": industry})
        elif getattr(app, "sectors", None) and not _sector_matches(app.sectors, sector):
            excluded[a.id] = Reason("roadmap.excluded.sector")
        else:
            applicable.append(a)
            if a.id in left_out:
                excluded[a.id] = Reason("roadmap.excluded.by_consultant")
    # in place: the landscape already has what the action adds (evidence: its systems),
    # or the assessment already holds its levels and it would change nothing
    in_place: list[InPlace] = []
    islands: dict[str, float] = {}
    extends: dict[str, tuple[str, ...]] = {}
    H = G.copy() if G is not None else None  # one copy; each action is applied and undone
    base = island_count(H) if H is not None else 0
    seen: dict[str, tuple[bool, float]] = {}  # the same landscape effect, the same result
    for a in applicable:
        land = a.effects.landscape
        unchanged = not (land.add_systems or land.connect or land.connect_partners)
        if not unchanged and H is not None:
            key = land.model_dump_json()
            if key not in seen:
                changes = apply_action(H, a)
                seen[key] = (not changes, float(base - island_count(H)) if changes else 0.0)
                changes.undo(H)
            unchanged, delta = seen[key]
            if not unchanged:
                islands[a.id] = delta
        have = systems_in_place(G, a)
        names = tuple(str(G.nodes[n].get("name", n)) for n in have)
        if have and unchanged:
            in_place.append(InPlace(a, names))
            continue
        if have and a.extension_cost_share is not None:
            extends[a.id] = names
        eff = model_effects(a, model_id, current)
        if eff and all(current[d] >= lv for d, lv in eff.items()) and unchanged:
            in_place.append(InPlace(a, ()))
    done = {x.action.id for x in in_place}
    start = dict(current)
    for x in in_place:
        for d, lv in model_effects(x.action, model_id, current).items():
            start[d] = max(start[d], lv)
    pool = [a for a in applicable if a.id not in done]
    costs = {a.id: a.cost(size) * factor * (a.extension_cost_share if a.id in extends else 1.0)
             for a in applicable}
    for a in pool:
        if a.id not in excluded and a.duration_months > cal.horizon + 1e-9:
            excluded[a.id] = Reason("roadmap.excluded.too_long", {
                "months": a.duration_months, "horizon": cal.horizon})
        elif a.id not in excluded and not _affordable(costs[a.id], a.duration_months, cal):
            excluded[a.id] = Reason("roadmap.excluded.over_budget", {"cost": costs[a.id]})
    live = [a for a in pool if a.id not in excluded]
    depth = _depths(live, model_id, start, done, cal)
    ids = {a.id for a in live}
    eff = {a.id: model_effects(a, model_id, start) for a in live}
    P = len(cal.budgets)
    for a in live:
        if depth[a.id] < math.inf:
            if depth[a.id] > P:
                excluded[a.id] = Reason("roadmap.excluded.too_deep",
                                        {"depth": int(depth[a.id]), "phases": P})
            elif cal.starts[int(depth[a.id]) - 1] + a.duration_months > cal.horizon + 1e-9:
                excluded[a.id] = Reason("roadmap.excluded.too_late", {
                    "months": a.duration_months, "horizon": cal.horizon,
                    "start": cal.starts[int(depth[a.id]) - 1]})
            continue
        missing = [p for p in a.prerequisites if p not in done
                   and (p not in ids or depth.get(p, math.inf) == math.inf)]
        if missing:
            first = excluded.get(missing[0])  # why the first of them cannot be planned
            excluded[a.id] = Reason("roadmap.excluded.needs_actions", {
                "actions": missing, "because": first})
            continue
        for d, lv in requirements(a, model_id, start):
            providers = [b for b in ids if b != a.id and eff[b].get(d, -1) >= lv]
            if not providers:
                excluded[a.id] = Reason("roadmap.excluded.needs_level",
                                        {"dimension": d, "level": lv})
                break
        else:
            dependants = _dependants(live, a.id, model_id, start)
            excluded[a.id] = Reason("roadmap.excluded.cycle",
                                    {"actions": sorted(dependants)[:3] or [a.id]})
    candidates = [a for a in pool if a.id not in excluded]
    return Screen(candidates, in_place, excluded, applicable, start, depth, islands,
                  dict(current), size, costs, extends)


def _sector(assessment, G) -> str:
    parts = [getattr(assessment.answers.enterprise, "sector", None) or ""]
    if G is not None:
        parts.append(str(G.graph.get("enterprise", {}).get("sector", "") or ""))
    return " ".join(parts).lower()


def _sector_matches(sectors: Sequence[str], sector: str) -> bool:
    return any(s.lower() in sector for s in sectors)


def _dependants(pool: list[Action], action_id: str, model_id: str, start) -> set[str]:
    """Actions that need ``action_id`` first, directly or through others."""
    g = nx.DiGraph()
    g.add_edges_from((p, a.id) for a in pool for p in a.prerequisites)
    return nx.descendants(g, action_id) if action_id in g else set()


def level_cycles(catalog: ActionCatalog, model_id: str = "cmmm") -> list[tuple[str, str, int]]:
    """Level cycles of a catalog: (action, dimension, level) where the action needs
    ``level`` of the dimension first (no level is skipped) and every action that gives
    that level (or more) needs the action first.  Such an action can never be planned
    for an enterprise below ``level``.

    Examples
    --------
    >>> from maturity.reference_model import list_models
    >>> [m for m in list_models() if level_cycles(load_catalog(), m)]
    []
    """
    g = catalog.prerequisite_graph()
    # every enterprise holds at least the model's lowest level (DMA: 1), so it is never needed
    lowest = min(lv.value for lv in load_model(model_id).levels)
    out = []
    for a in catalog.actions:
        after = nx.descendants(g, a.id)
        for e in a.effects.levels:
            if e.model != model_id or e.level - 1 <= lowest:
                continue
            need = e.level - 1
            givers = [b.id for b in catalog.actions if b.id != a.id and any(
                f.model == model_id and f.dimension == e.dimension and f.level >= need
                for f in b.effects.levels)]
            if givers and all(b in after for b in givers):
                out.append((a.id, e.dimension, need))
    return out


# ---- the instance -------------------------------------------------------------------


def _instance(screen: Screen, model_id: str, size: str, cal: PlanCalendar,
              current: dict[str, int], target: dict[str, int], weight: dict[str, float],
              strategy: str) -> Instance:
    data = load_priority_data()
    acts = screen.candidates
    start = screen.start
    index = {a.id: i for i, a in enumerate(acts)}
    eff = [model_effects(a, model_id, current) for a in acts]
    reqs = [requirements(a, model_id, start) for a in acts]
    reach: dict[tuple[str, int], list[int]] = {}
    for r in reqs:
        for k in r:
            if k not in reach:
                reach[k] = [j for j in range(len(acts)) if eff[j].get(k[0], -1) >= k[1]]
    # An action raising d to L > c_d + 1 needs L - 1 reached before it (no level skipped),
    # so the only gap level it can close on d is L itself.
    gains = [[(d, lv) for d, lv in e.items() if current[d] < lv <= target[d]] for e in eff]
    weights = data.strategies[strategy].focus
    return Instance(
        names=[a.id for a in acts],
        cost=[screen.cost(a) for a in acts],
        budgets=list(cal.budgets),
        weight=weight,
        strat=[float(weights.get(a.focus, 1.0)) for a in acts],
        islands=[screen.islands.get(a.id, 0.0) for a in acts],
        island_value=data.island_value,
        disc=[1.0] * len(cal.budgets),  # unused: the calendar discounts per month
        eff=eff,
        prereq=[[index[p] for p in a.prerequisites if p in index] for a in acts],
        reqs=reqs,
        reach=reach,
        gains=gains,
        phase_months=list(cal.phase_months),
        duration=[a.duration_months for a in acts],
        carry=cal.carry_forward,
        cap=cal.max_concurrent,
        month_disc=(1 - data.yearly_discount) ** (1 / 12),
    )


def _measure(G: nx.MultiDiGraph | None, inst: Instance, acts: list[Action],
             assign: Mapping[int, int]) -> tuple[dict[int, float], list[dict[str, Any]]]:
    """Apply the plan's actions in order to one copy of ``G``: the islands each step
    removes (negative when it leaves a new system unconnected) and the metrics after
    each phase."""
    if G is None:
        return {}, [{"island_count": None, "vertical_integration": None}] * inst.P
    H = G.copy()
    isl = island_count(H)
    removed: dict[int, float] = {}
    after = []
    for p in range(inst.P):
        for a in done_in(inst, assign, p):
            now = island_count(H) if apply_action(H, acts[a]) else isl
            removed[a] = float(isl - now)
            isl = now
        m = landscape_metrics(H)
        after.append({"island_count": m["island_count"],
                      "vertical_integration": m["vertical_integration"]})
    return removed, after


def default_node_limit(candidates: int, phases: int | None = None) -> int:
    """Nodes the MILP may explore by default.  A problem solved in one run (up to
    :data:`~maturity.planner_solvers.ONE_RUN_LIMIT` actions x phases, or without
    ``phases``): 600, fewer for many candidate actions (the work of a node grows with
    them).  A larger one is planned by relax-and-fix, and the run on the whole problem
    only proves a bound: 100 nodes, fewer for many candidates (on the benchmark
    instance of issue 12, 600 nodes instead of 100 tighten the proven gap from 1.5 % to
    1.3 % and take 2.6 s more).

    >>> default_node_limit(130), default_node_limit(1500), default_node_limit(100_000)
    (600, 80, 20)
    >>> default_node_limit(130, 8), default_node_limit(1300, 8), default_node_limit(40, 5)
    (92, 20, 600)
    """
    if phases is not None and not one_run(candidates, phases):
        return max(20, min(100, 12_000 // max(candidates, 1)))
    return max(20, min(600, 120_000 // max(candidates, 1)))


def done_in(inst: Instance, assign: Mapping[int, int], p: int) -> list[int]:
    """The planned actions done by the end of phase ``p`` and not before, in the order
    they are done."""
    return sorted((a for a, q in assign.items() if inst.done_phase(a, q) == p),
                  key=lambda a: (inst.finish(a, assign[a]), assign[a], a))


def _changes_landscape(a: Action) -> bool:
    land = a.effects.landscape
    return bool(land.add_systems or land.connect or land.connect_partners)


def _in_context(inst: Instance, G: nx.MultiDiGraph, acts: list[Action],
                assign: Mapping[int, int], removed: Mapping[int, float]) -> Instance:
    """The instance with island estimates taken in the context of a plan: what each planned
    action removed when applied in order, and what each other one would remove on top of
    the whole plan."""
    H = G.copy()
    for p in range(inst.P):
        for a in done_in(inst, assign, p):
            apply_action(H, acts[a])
    base = island_count(H)
    islands = list(inst.islands)
    for a in range(inst.n):
        if a in assign:
            islands[a] = removed[a]
        elif _changes_landscape(acts[a]):
            changes = apply_action(H, acts[a])
            islands[a] = float(base - island_count(H)) if changes else 0.0
            changes.undo(H)
    return replace(inst, islands=islands)


# ---- the planner ----------------------------------------------------------------------


def plan_roadmap(
    assessment: Assessment,
    G: nx.MultiDiGraph | None,
    catalog: ActionCatalog | None = None,
    *,
    target: Any = "next",
    budget_per_phase: float | Sequence[float] | None = None,
    phases: int,
    strategy: str = "balanced",
    size: str | None = None,
    solver: str = "milp",
    kpi_importance: Mapping[str, float] | None = None,
    cost_profile: Mapping[str, float] | None = None,
    node_limit: int | None = None,
    time_limit: float | None = None,
    region: str | None = None,
    force: Sequence[str] = (),
    lock: Mapping[str, int] | None = None,
    exclude: Sequence[str] = (),
    total_budget: float | None = None,
    phase_months: float | Sequence[float] = DEFAULT_PHASE_MONTHS,
    carry_forward: bool = False,
    max_concurrent: int | str | None = "by_size",
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
        Money per phase, in the catalog's currency: one number for every phase, or a
        list with one per phase.  Or give ``total_budget`` instead.
    phases
        Number of phases.
    total_budget, phase_months, carry_forward, max_concurrent
        The calendar (:mod:`maturity.plan_calendar`): one budget for the whole plan
        instead of one per phase; the length of each phase in months (12 by default:
        a budget year); whether money a phase leaves unspent is carried to the next;
        how many projects may run at once (``"by_size"``: the catalog's figure for the
        enterprise's size; None: no cap).  An action starts when a phase starts, runs
        for its months (across phases when longer) and is paid evenly over them; it
        must be done by the end of the plan.
    strategy
        ``balanced``, ``production_first``, ``product_first`` or
        ``business_model_first`` (in ``priorities.yaml``): weights on the actions'
        focus and on the dimensions of the strategy's path; with ``target="next"``
        a directed strategy also aims one level further on its path.
    size
        micro, small, medium or large; by default the enterprise size given
        with the answers if it is one of these, else medium. Costs are the
        mid-points of the catalog's ranges for this size.
    solver
        ``"milp"`` (exact, ``scipy.optimize.milp``/HiGHS) or ``"greedy"``
        (per phase, repeatedly the ready action with the best value per cost).
    kpi_importance, cost_profile
        Passed to :func:`maturity.priorities.priorities`.
    node_limit
        Branch-and-bound nodes the MILP may explore: a deterministic work limit, so the
        same input gives the same plan on any machine load.  When it is reached the
        best plan found is used and the roadmap reports its proven gap
        (``Roadmap.gap``).  By default 600, fewer for large catalogs (each node solves a
        larger programme): 120,000 divided by the number of candidate actions, at least
        20; for a programme planned by relax-and-fix (see below), the limit of the run
        that proves the bound, 100 by default (:func:`default_node_limit`).
    time_limit
        Optional wall-clock limit in seconds on top (off by default: with it, the plan
        may depend on machine load).
    region
        Price level of the costs: the catalog's own region (``CN``, costs in CNY, by
        default) or one of its ``price_levels`` (``EU``: EUR); budgets are in that
        currency, and the roadmap says which (``Roadmap.currency``).
    force, lock, exclude
        The consultant's control (:mod:`maturity.planner_control`): action ids the plan
        must hold, ``{action id: phase}`` (1-based) for actions that must be in that
        phase, and action ids it must leave out (shown as excluded, with the reason).
        An unknown id, an id both required and excluded, a phase outside the plan, or a
        required action that cannot be scheduled is an :class:`InputError`.  A client's
        own costs and extra actions: :func:`maturity.client_catalog.merge_client_table`.

    Returns
    -------
    Roadmap

    Notes
    -----
    Actions not applicable to the enterprise's industry type, sector or size are left
    out, and so are actions already in place (the landscape has the systems they add,
    or their levels are reached and their landscape effect changes nothing) and actions
    that can never be scheduled (a prerequisite or a required level no plannable action
    provides, a chain longer than the phases, or a level only their own dependants
    give).  With the candidates :math:`a`, phases :math:`p = 0..P-1`, the dimensions
    :math:`d` of the assessment's model at current level :math:`c_d` and target
    :math:`t_d`, the programme is

    .. math::

        \max \sum_{a,k,p} \delta^{f_{ap}} s_a w_{d(k)}\, z_{akp}
             + \sum_{a,p} \delta^{f_{ap}} s_a \iota\, I_a\, x_{ap}

    over binary :math:`x_{ap}` (action :math:`a` starts with phase :math:`p`), credits
    :math:`z_{akp} \in [0, 1]` for the gap level :math:`k = (d, e_{ad})` that :math:`a`
    closes on each dimension it raises (:math:`c_d < e_{ad} \le t_d`) and
    :math:`H_{dlp} \in [0, 1]` ("level :math:`l` of :math:`d` held when phase :math:`p`
    starts"), where phase :math:`p` starts at month :math:`S_p`, :math:`a` lasts
    :math:`D_a` months, :math:`f_{ap} = S_p + D_a` is the month it is done, and
    :math:`Q_b(p) = \{q : S_q + D_b \le S_p\}` the phases in which :math:`b` may start
    to be done when :math:`p` starts; subject to

    - at most once, done by the end of the plan: :math:`\sum_p x_{ap} \le 1`, and
      :math:`x_{ap} = 0` when :math:`f_{ap}` is past the last phase;
    - money: :math:`a` pays the share :math:`\pi_{apq}` of its cost in phase :math:`q`
      (its months in :math:`q` over :math:`D_a`), and
      :math:`\sum_{a,p} \text{cost}_a \pi_{apq} x_{ap} \le B_q` for every :math:`q`
      (with carry-forward or a total budget, summed over the phases up to :math:`q`
      against the budgets up to :math:`q`);
    - projects at once: the actions started in :math:`q \le p` and still running at
      :math:`S_p` are at most the cap, for every :math:`p`;
    - prerequisites, with cumulative sums: for each prerequisite :math:`b` of
      :math:`a` and each :math:`p`,
      :math:`\sum_{q \le p} x_{aq} \le \sum_{q \in Q_b(p)} x_{bq}` (so none in phase 0);
    - required levels (entry conditions above the current level, and
      :math:`l = L - 1` for an effect raising :math:`d` to :math:`L > c_d + 1`, so that
      no level is skipped), with :math:`R_{dl}` the actions reaching at least :math:`l`
      on :math:`d`: :math:`H_{dlp} \le \sum_{b \in R_{dl}} \sum_{q \in Q_b(p)} x_{bq}` and
      :math:`\sum_{q \le p} x_{aq} \le H_{dlp}`;
    - credit only for done actions, each level counted once:
      :math:`z_{akp} \le x_{ap}` and :math:`\sum_{a,p} z_{a(d,l)p} \le 1`.

    A small programme (up to 400 actions x phases, or two phases) is solved in one
    HiGHS run.  A larger one is solved by relax-and-fix
    (:func:`maturity.planner_solvers.relax_and_fix`): two phases at a time are decided
    with whole variables while the later phases are relaxed, then fixed; a last run on
    the whole programme proves the bound that ``Roadmap.gap`` reports (and its plan is
    kept if it is better).

    Here :math:`w_d` is the dimension's KPI weight times cost weight (its priority per
    gap level), :math:`s_a` the strategy's weight on the focus of :math:`a`,
    :math:`\delta = (1 -` ``yearly_discount`` :math:`)^{1/12}` per month,
    :math:`I_a` the islands that :math:`a` removes from ``G`` in the context of the greedy
    plan (for its steps, what each removed when applied in order; for the others, what
    each would remove on top of that plan; negative when it adds a system it leaves
    unconnected) and
    :math:`\iota` the ``island_value`` (both in ``priorities.yaml``).  The islands in
    the objective the roadmap reports are not these estimates but measured: the
    actions are applied to ``G`` in plan order and each step is credited with the
    islands it really removes, interactions included; the MILP and greedy plans are
    compared on this measured objective and the better one is kept.  Actions of the
    solution that add nothing and that nothing needs are dropped.  Entry conditions on
    other models cannot be checked against this assessment and are not enforced;
    effects on other models count for nothing in the objective but are shown.

    Examples
    --------
    See the module docstring; :class:`maturity.roadmap.Roadmap` holds the result.
    """
    catalog = catalog or load_catalog()
    by_size = isinstance(max_concurrent, str) and max_concurrent == "by_size"
    cal, size = _check_inputs(assessment, G, strategy, size, solver, {
        "phases": phases, "budget_per_phase": budget_per_phase, "total_budget": total_budget,
        "phase_months": phase_months, "carry_forward": carry_forward,
        "max_concurrent": None if by_size else max_concurrent})
    if by_size:
        cal = replace(cal, max_concurrent=catalog.max_concurrent.get(size))
    required = check_control(catalog, force, lock, exclude, len(cal.budgets))
    model_id = assessment.model.id
    current = current_levels(assessment)
    target_levels = resolve_target(assessment, target)
    strat = load_priority_data().strategies[strategy]
    path = set(strat.path.get(model_id, ()))
    if isinstance(target, str) and target == "next" and strat.ambition:
        top = max(lv.value for lv in assessment.model.levels)
        target_levels = {d: min(t + strat.ambition, top) if d in path else t
                         for d, t in target_levels.items()}
    prio = priorities(assessment, target_levels, kpi_importance=kpi_importance,
                      cost_profile=cost_profile, catalog=catalog)
    weight = {d: float(prio.loc[d, "kpi_weight"] * prio.loc[d, "cost_weight"])
              * (strat.path_weight if d in path else 1.0) for d in prio.index}
    factor, currency = _price_level(catalog, region)
    screen = _screen(catalog, assessment, G, size, cal, current, factor,
                     left_out=tuple(exclude))
    inst = _instance(screen, model_id, size, cal, current, target_levels, weight,
                     strategy)
    inst = replace(inst, fixed=fixed_actions(required, screen, inst, currency))
    acts = screen.candidates

    def measured(assign: dict[int, int]) -> tuple[float, dict[int, float], list]:
        removed, after = _measure(G, inst, acts, assign)
        return evaluate(inst, assign, removed), removed, after

    plan_g = prune(inst, greedy(inst))
    value_g, removed_g, after_g = measured(plan_g)
    status, gap = "greedy", None
    chosen = (plan_g, value_g, removed_g, after_g)
    notes: list[Reason] = []
    greedy_ok = not violations(inst, plan_g)
    if not greedy_ok:  # greedy missed an action the consultant requires: the exact plan
        solver = "milp"
    if solver == "milp":
        # the islands each action removes, estimated in the context of the greedy plan
        # (actions overlap, and connect what another adds): what each of its steps removed
        # when applied in order, and what each other action would remove on top of it
        ctx = inst if G is None else _in_context(inst, G, acts, plan_g, removed_g)
        limit = default_node_limit(inst.n, inst.P) if node_limit is None else node_limit
        found, status, gap = solve(ctx, node_limit=limit, time_limit=time_limit)
        if inst.fixed and (found is None or violations(inst, found)):
            raise_unschedulable(required, status)
        if found is None or violations(inst, found):
            notes.append(Reason("roadmap.note.no_solution"))
            status = "no_solution"
        else:
            found = prune(ctx, found)
            value_m, removed_m, after_m = measured(found)
            if greedy_ok and value_m < value_g - 1e-9:
                notes.append(Reason("roadmap.note.greedy_better"))
                status = "greedy_better"
            else:
                chosen = (found, value_m, removed_m, after_m)
            if gap is not None and gap > 1e-6:
                notes.append(Reason("roadmap.note.gap", {"gap": gap}))
    return build_roadmap(assessment, G, catalog, inst, screen, chosen, prio, notes,
                         strategy=strategy, size=size, solver=solver, status=status,
                         gap=gap, greedy_value=value_g, currency=currency,
                         region=region or catalog.region, calendar=cal,
                         industry_type=_industry(assessment, G))
