"""The roadmap planning problem in index form, and its two solvers (MILP and greedy).

Used by :mod:`maturity.planner`; nothing here knows about catalogs, landscapes or words.
An :class:`Instance` holds the candidate actions as numbers: costs, phase budgets, the
levels each action raises, its prerequisites and required levels, the gap levels it can
close, and the islands it is expected to remove.  A plan is a dict {action index: phase}.

Examples
--------
>>> inst = Instance(names=["a", "b"], cost=[1.0, 1.0], budgets=[1.0, 1.0],
...                 weight={"d": 1.0}, strat=[1.0, 1.0], islands=[0.0, 0.0],
...                 island_value=0.5, disc=[1.0, 0.9], eff=[{"d": 1}, {"d": 2}],
...                 prereq=[[], [0]], reqs=[[], [("d", 1)]], reach={("d", 1): [0, 1]},
...                 gains=[[("d", 1)], [("d", 2)]])
>>> plan, status, gap = milp(inst, node_limit=100)
>>> plan, status, round(evaluate(inst, plan), 3)
({0: 0, 1: 1}, 'optimal', 1.9)
"""

from __future__ import annotations

import math
import time
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import Bounds, LinearConstraint
from scipy.optimize import milp as scipy_milp
from scipy.sparse import coo_array

__all__ = [
    "Instance",
    "evaluate",
    "greedy",
    "milp",
    "one_run",
    "over_budget",
    "pay_shares",
    "prune",
    "relax_and_fix",
    "solve",
    "violations",
]

_TOL = 1e-9
_DISP = False  # True prints the HiGHS log
# HiGHS options passed through scipy.optimize.milp:
# threads=1 and a fixed seed: with the node limit the same input gives the same plan on any
# machine; mip_pscost_minreliable=0 branches on pseudo-costs without strong branching first
# (measured on the benchmark instance: nodes 3x cheaper, plans as good)
HIGHS_OPTIONS: dict = {"threads": 1, "random_seed": 0, "mip_pscost_minreliable": 0}


@dataclass
class Instance:
    """The planning problem in index form (candidates only)."""

    names: list[str]
    cost: list[float]
    budgets: list[float]
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
    # actions the consultant requires: {index: phase (0-based) or None for any phase}
    fixed: dict[int, int | None] = field(default_factory=dict)
    # the calendar (optional; without it a phase is a step of the order, an action is paid
    # in its phase and done by its end): phase lengths and action durations in months,
    # unspent budget carried forward, a cap on projects running at once, and the value of
    # a level or an island reached one month later (times ``month_disc`` per month, counted
    # to the month the action is done; ``disc`` is then unused)
    phase_months: list[float] | None = None
    duration: list[float] | None = None
    carry: bool = False
    cap: int | None = None
    month_disc: float = 1.0
    _cal: dict = field(default_factory=dict, init=False, repr=False, compare=False)

    @property
    def n(self) -> int:
        return len(self.names)

    @property
    def P(self) -> int:
        return len(self.budgets)

    @property
    def calendar(self) -> bool:
        return self.phase_months is not None and self.duration is not None

    def starts(self) -> list[float]:
        """Start month of each phase (0 for the first)."""
        if "starts" not in self._cal:
            out, t = [], 0.0
            for m in (self.phase_months if self.calendar else [1.0] * self.P):
                out.append(t)
                t += m
            self._cal["starts"] = out
        return self._cal["starts"]

    def finish(self, a: int, p: int) -> float:
        """Month by which action ``a`` started in phase ``p`` is done."""
        if not self.calendar:
            return p + 1.0
        return self.starts()[p] + self.duration[a]

    def can_start(self, a: int, p: int) -> bool:
        """Whether ``a`` started in ``p`` is done by the end of the plan."""
        if not self.calendar:
            return True
        return self.finish(a, p) <= sum(self.phase_months) + 1e-9

    def done_by(self, b: int, p: int) -> list[int]:
        """Phases in which ``b`` may start so that it is done when phase ``p`` starts."""
        key = ("done_by", b, p)
        if key not in self._cal:
            if not self.calendar:
                self._cal[key] = list(range(p))
            else:
                s = self.starts()
                self._cal[key] = [q for q in range(p) if s[q] + self.duration[b] <= s[p] + 1e-9]
        return self._cal[key]

    def done_phase(self, a: int, p: int) -> int:
        """The phase by whose end ``a`` started in ``p`` is done."""
        if not self.calendar:
            return p
        s = self.starts()
        end = self.finish(a, p)
        return max(q for q in range(self.P) if s[q] < end - 1e-9 or q == p)

    def share(self, a: int, p: int) -> dict[int, float]:
        """Share of the cost of ``a`` started in ``p`` paid in each phase (pro rata over its
        months; without a calendar all of it in ``p``)."""
        key = ("share", a, p)
        if key not in self._cal:
            if not self.calendar:
                self._cal[key] = {p: 1.0}
            else:
                self._cal[key] = pay_shares(self.phase_months, self.duration[a], p)
        return self._cal[key]

    def running_at(self, a: int, q: int, p: int) -> bool:
        """Whether ``a`` started in ``q`` is still running when phase ``p`` starts."""
        if not self.calendar:
            return q == p
        s = self.starts()
        return q <= p and s[q] + self.duration[a] > s[p] + 1e-9

    def discount(self, a: int, p: int) -> float:
        if not self.calendar:
            return self.disc[p]
        return self.month_disc ** self.finish(a, p)

    def level_value(self, a: int, k: tuple[str, int], p: int) -> float:
        return self.weight[k[0]] * self.strat[a] * self.discount(a, p)

    def island_gain(self, a: int, p: int, islands: float | None = None) -> float:
        n = self.islands[a] if islands is None else islands
        return self.island_value * n * self.strat[a] * self.discount(a, p)

    def spend(self, assign: Mapping[int, int]) -> list[float]:
        """Money paid in each phase by a plan."""
        out = [0.0] * self.P
        for a, p in assign.items():
            for q, f in self.share(a, p).items():
                out[q] += self.cost[a] * f
        return out

    def over_budget(self, spent: list[float]) -> list[int]:
        """Phases whose spending breaks the budget (cumulatively with carry-forward)."""
        return over_budget(self.budgets, spent, self.carry)

    def running(self, assign: Mapping[int, int], p: int) -> int:
        """Projects running when phase ``p`` starts."""
        return sum(1 for a, q in assign.items() if self.running_at(a, q, p))


def over_budget(budgets: Sequence[float], spent: Sequence[float], carry: bool) -> list[int]:
    """Phases whose spending breaks their budget; with ``carry`` (unspent money carried
    forward) the spending up to each phase against the budgets up to it.

    >>> over_budget([100, 100], [50, 140], carry=False), over_budget([100, 100], [50, 140], True)
    ([1], [])
    """
    bad, have, used = [], 0.0, 0.0
    for q, (budget, paid) in enumerate(zip(budgets, spent, strict=True)):
        have = have + budget if carry else budget
        used = used + paid if carry else paid
        if used > have * (1 + 1e-9) + 1e-6:
            bad.append(q)
    return bad


def pay_shares(phase_months: list[float], duration: float, p: int) -> dict[int, float]:
    """Share of an action's cost paid in each phase when it starts with phase ``p`` and is
    paid evenly over its ``duration`` months (months past the last phase are not in it).

    >>> pay_shares([12, 12, 12], 18, 0)
    {0: 0.6666666666666666, 1: 0.3333333333333333}
    """
    begin = sum(phase_months[:p])
    end = begin + duration
    out, lo = {}, begin
    for q in range(p, len(phase_months)):
        hi = lo + phase_months[q]
        overlap = min(end, hi) - max(begin, lo)
        if overlap > 1e-12:
            out[q] = overlap / duration
        lo = hi
    return out


def level_credit(inst: Instance, assign: Mapping[int, int]) -> float:
    """The gap levels a plan closes, each counted once at its best value."""
    best: dict[tuple[str, int], float] = {}
    for a, p in assign.items():
        for k in inst.gains[a]:
            v = inst.level_value(a, k, p)
            if v > best.get(k, 0.0):
                best[k] = v
    return sum(best.values())


def evaluate(inst: Instance, assign: Mapping[int, int],
             islands: Mapping[int, float] | None = None) -> float:
    """Objective of a plan: credited gap levels plus islands removed (the instance's
    estimates, or ``islands`` {action: islands it removes} measured for this plan)."""
    total = sum(inst.island_gain(a, p, None if islands is None else islands.get(a, 0.0))
                for a, p in assign.items())
    return total + level_credit(inst, assign)


def violations(inst: Instance, assign: Mapping[int, int]) -> list[str]:
    """Broken rules of a plan (empty when feasible)."""
    out = []
    for a, p in assign.items():
        for b in inst.prereq[a]:
            if b not in assign or assign[b] not in inst.done_by(b, p):
                out.append(f"{inst.names[a]}: prerequisite {inst.names[b]}")
        for d, lv in inst.reqs[a]:
            if not any(b in assign and assign[b] in inst.done_by(b, p)
                       for b in inst.reach[(d, lv)] if b != a):
                out.append(f"{inst.names[a]}: needs {d} at {lv}")
        if not inst.can_start(a, p):
            out.append(f"{inst.names[a]}: not done by the end of the plan")
    for a, q in inst.fixed.items():
        if a not in assign:
            out.append(f"{inst.names[a]}: required")
        elif q is not None and assign[a] != q:
            out.append(f"{inst.names[a]}: must be in phase {q + 1}")
    out += [f"phase {p + 1} over budget" for p in inst.over_budget(inst.spend(assign))]
    if inst.cap is not None:
        out += [f"phase {p + 1}: more than {inst.cap} projects at once" for p in range(inst.P)
                if inst.running(assign, p) > inst.cap]
    return out


def greedy(inst: Instance) -> dict[int, int]:
    """Per phase, repeatedly take the ready action with the best value per cost.

    The value of an action is what it closes now plus the islands it removes; an enabler
    (an action that closes nothing itself) is valued by the best action it makes ready,
    one phase later, per their joint cost, so the baseline takes the groundwork a plan
    needs instead of stopping where the valuable steps need a prerequisite.  An action
    is taken only where the budget (with what it pays in later phases), the cap on
    projects at once and the end of the plan allow it.
    """
    assign: dict[int, int] = {}
    credit: dict[tuple[str, int], float] = {}
    spent = [0.0] * inst.P
    needed_by: dict[int, list[int]] = {a: [] for a in range(inst.n)}
    for a in range(inst.n):
        for b in inst.prereq[a]:
            needed_by[b].append(a)
        for k in inst.reqs[a]:
            for b in inst.reach[k]:
                if b != a:
                    needed_by[b].append(a)

    def gain(a: int, p: int) -> float:
        return inst.island_gain(a, p) + sum(
            max(0.0, inst.level_value(a, k, p) - credit.get(k, 0.0)) for k in inst.gains[a])

    def done(b: int, p: int, extra: tuple[int, int] | None) -> bool:
        q = assign.get(b, extra[1] if extra and extra[0] == b else None)
        return q is not None and q in inst.done_by(b, p)

    def ready(a: int, p: int, extra: tuple[int, int] | None = None) -> bool:
        if not inst.can_start(a, p) or any(not done(b, p, extra) for b in inst.prereq[a]):
            return False
        return all(any(done(b, p, extra) for b in inst.reach[k] if b != a) for k in inst.reqs[a])

    def fits(a: int, p: int) -> bool:
        trial = list(spent)
        for q, f in inst.share(a, p).items():
            trial[q] += inst.cost[a] * f
        if inst.over_budget(trial):
            return False
        return inst.cap is None or all(
            inst.running(assign, q) < inst.cap for q in range(p, inst.P)
            if inst.running_at(a, p, q))

    def take(a: int, p: int) -> None:
        assign[a] = p
        for q, f in inst.share(a, p).items():
            spent[q] += inst.cost[a] * f
        for k in inst.gains[a]:
            credit[k] = max(credit.get(k, 0.0), inst.level_value(a, k, p))

    for p in range(inst.P):
        now = [a for a in range(inst.n) if a not in assign and ready(a, p)]
        for a in sorted(now, key=lambda a: inst.fixed.get(a) is None):  # required ones first
            q = inst.fixed.get(a, -1)
            if a in inst.fixed and (q is None or q == p) and fits(a, p):
                take(a, p)
        unlocks: dict[int, list[int]] = {}  # what each action would make ready next phase
        while True:
            best, best_ratio = None, 0.0
            for a in now:
                if a in assign or inst.fixed.get(a, p) != p or not fits(a, p):
                    continue
                g = gain(a, p)
                ratio = g / inst.cost[a] if inst.cost[a] > 0 else (math.inf if g > _TOL else 0)
                if g <= _TOL and p + 1 < inst.P:  # an enabler: what it makes ready later
                    if a not in unlocks:
                        later = next((q for q in range(p + 1, inst.P)
                                      if p in inst.done_by(a, q)), None)
                        unlocks[a] = [] if later is None else [
                            (b, later) for b in needed_by[a]
                            if b not in assign and ready(b, later, extra=(a, p))]
                    for b, later in unlocks[a]:
                        if b in assign:
                            continue
                        gb = gain(b, later)
                        if gb > _TOL:
                            ratio = max(ratio, gb / max(inst.cost[a] + inst.cost[b], 1e-9))
                if ratio > best_ratio + 1e-15:
                    best, best_ratio = a, ratio
            if best is None:
                break
            take(best, p)
    return assign


@dataclass
class _Model:
    """The MILP of an instance as arrays (see :func:`milp`): objective, integrality,
    bounds and constraint rows; the first ``n * P`` columns are x[a, p] (``a`` starts in
    phase ``p``)."""

    c: np.ndarray
    integrality: np.ndarray
    lb: np.ndarray
    ub: np.ndarray
    constraints: LinearConstraint
    n: int
    P: int


def _model(inst: Instance) -> _Model | None:
    """Build the MILP; None when a consultant's lock cannot hold (the action needs
    groundwork but is locked to the first phase)."""
    n, P = inst.n, inst.P
    nx_ = n * P
    keys = sorted({k for r in inst.reqs for k in r})
    # H[k, p] (continuous, 0..1): level k = (dimension, level) held when phase p starts
    rcol = {(k, p): nx_ + i * P + p for i, k in enumerate(keys) for p in range(P)}
    zbase = nx_ + len(keys) * P
    zvars = [(a, k, p) for a in range(n) for k in inst.gains[a] for p in range(P)]
    nvar = zbase + len(zvars)
    c = np.zeros(nvar)
    for a in range(n):
        for p in range(P):
            c[a * P + p] = -inst.island_gain(a, p)
    for j, (a, k, p) in enumerate(zvars):
        c[zbase + j] = -inst.level_value(a, k, p)
    ub = np.ones(nvar)
    lb = np.zeros(nvar)
    rows: list[int] = []
    cols: list[int] = []
    vals: list[float] = []
    lo: list[float] = []
    hi: list[float] = []

    def row(entries, low: float, high: float) -> None:
        r = len(lo)
        for col, v in entries:
            rows.append(r)
            cols.append(col)
            vals.append(v)
        lo.append(low)
        hi.append(high)

    for a in range(n):  # each action at most once, done by the end of the plan
        row([(a * P + p, 1.0) for p in range(P)], -np.inf, 1.0)
        for p in range(P):
            if not inst.can_start(a, p):
                ub[a * P + p] = 0.0
    paid: list[list[tuple[int, float]]] = [[] for _ in range(P)]  # cost paid in each phase
    for a in range(n):
        if inst.cost[a] > 0:
            for p in range(P):
                for q, f in inst.share(a, p).items():
                    paid[q].append((a * P + p, inst.cost[a] * f))
    scale = max(max(inst.budgets, default=1.0), 1.0)
    for q in range(P):  # budgets (cumulative with carry-forward), scaled
        spend = [e for r in range(q + 1) for e in paid[r]] if inst.carry else paid[q]
        have = sum(inst.budgets[: q + 1]) if inst.carry else inst.budgets[q]
        row([(col, v / scale) for col, v in spend], -np.inf, have / scale)
    if inst.cap is not None:  # projects running when each phase starts
        for p in range(P):
            row([(a * P + q, 1.0) for a in range(n) for q in range(p + 1)
                 if inst.running_at(a, q, p)], -np.inf, float(inst.cap))
    for k in keys:  # H[k, p] <= reaching actions done when p starts
        ub[rcol[(k, 0)]] = 0.0
        for p in range(1, P):
            row([(rcol[(k, p)], 1.0)] + [(b * P + q, -1.0) for b in inst.reach[k]
                                          for q in inst.done_by(b, p)], -np.inf, 0.0)
    for a in range(n):
        if inst.reqs[a] or inst.prereq[a]:
            ub[a * P] = 0.0
        for p in range(1, P):
            started = [(a * P + q, 1.0) for q in range(p + 1)]
            for k in inst.reqs[a]:  # started by p  =>  level held when p starts
                row([*started, (rcol[(k, p)], -1.0)], -np.inf, 0.0)
            for b in inst.prereq[a]:  # started by p  =>  prerequisite done when p starts
                row(started + [(b * P + q, -1.0) for q in inst.done_by(b, p)], -np.inf, 0.0)
    for a, q in inst.fixed.items():  # required by the consultant, in any or in one phase
        if q is None:
            row([(a * P + p, 1.0) for p in range(P)], 1.0, 1.0)
        elif ub[a * P + q] == 0.0:  # locked to the first phase, but it needs groundwork
            return None
        else:
            lb[a * P + q] = 1.0
            ub[[a * P + p for p in range(P) if p != q]] = 0.0
    by_level: dict[tuple[str, int], list[int]] = {}
    for j, (a, k, p) in enumerate(zvars):
        row([(zbase + j, 1.0), (a * P + p, -1.0)], -np.inf, 0.0)  # credit only if done
        by_level.setdefault(k, []).append(zbase + j)
    for cols_k in by_level.values():  # each gap level credited once
        row([(col, 1.0) for col in cols_k], -np.inf, 1.0)
    A = coo_array((vals, (rows, cols)), shape=(len(lo), nvar)).tocsr()
    integrality = np.zeros(nvar)
    integrality[:nx_] = 1
    return _Model(c, integrality, lb, ub, LinearConstraint(A, lo, hi), n, P)


@dataclass
class _Result:
    """What one HiGHS run gave: the plan (None without one), its objective (the value,
    a maximum), the proven upper bound on the value, and whether it stopped on a limit
    (``optimal``, ``work_limit`` or ``time_limit``)."""

    plan: dict[int, int] | None
    value: float | None
    bound: float | None
    stop: str


def _run(m: _Model, *, node_limit: int, time_limit: float | None = None,
         integrality: np.ndarray | None = None, lb: np.ndarray | None = None,
         ub: np.ndarray | None = None, options: Mapping | None = None,
         gap: float = 1e-6) -> _Result:
    """One deterministic HiGHS run on ``m`` (optionally with some phases relaxed or fixed
    through ``integrality``, ``lb`` and ``ub``)."""
    opts: dict = {"mip_rel_gap": gap, "node_limit": int(node_limit), "disp": _DISP,
                  **HIGHS_OPTIONS, **(options or {})}
    if time_limit is not None:
        opts["time_limit"] = max(float(time_limit), 0.01)
    # scipy passes the HiGHS options on verbatim and says so (a RuntimeWarning in scipy
    # 1.17, an OptimizeWarning in 1.16); an older HiGHS that does not know an option
    # (scipy 1.16.1's lacks the RINS switch of BOUND_OPTIONS) ignores it: the run is
    # slower, the plan and its bound as valid
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "Unrecognized options")
        res = scipy_milp(m.c, integrality=m.integrality if integrality is None else integrality,
                         bounds=Bounds(m.lb if lb is None else lb, m.ub if ub is None else ub),
                         constraints=m.constraints, options=opts)
    bound = getattr(res, "mip_dual_bound", None)
    bound = -float(bound) if bound is not None and math.isfinite(bound) else None
    stop = ("optimal" if res.status == 0 else
            "time_limit" if "time" in str(res.message).lower() else "work_limit")
    if res.x is None:
        return _Result(None, None, bound, stop)
    xs = res.x[: m.n * m.P].reshape(m.n, m.P)
    plan = {a: int(np.argmax(xs[a])) for a in range(m.n) if xs[a].max() > 0.5}
    return _Result(plan, -float(res.fun), bound, stop)


def _gap(value: float, bound: float | None) -> float | None:
    """Relative gap between a plan's value and a proven bound (HiGHS's definition)."""
    if bound is None:
        return None
    return max(bound - value, 0.0) / max(abs(value), 1e-9)


def milp(inst: Instance, *, node_limit: int = 600, time_limit: float | None = None,
         gap: float = 1e-6) -> tuple[dict[int, int] | None, str, float | None]:
    """Solve the whole instance with ``scipy.optimize.milp`` (HiGHS) in one run.

    The search stops at ``node_limit`` branch-and-bound nodes (deterministic: the same
    input gives the same plan on any machine load) or, only when given, at
    ``time_limit`` seconds.  Returns the plan, a status code (``optimal``,
    ``work_limit``, ``time_limit``, ``no_solution``) and the proven relative gap
    (0 when optimal, None without a plan).
    """
    if inst.n == 0:
        return {}, "optimal", 0.0
    m = _model(inst)
    if m is None:
        return None, "no_solution", None
    r = _run(m, node_limit=node_limit, time_limit=time_limit, gap=gap)
    if r.plan is None:
        return None, "no_solution", None
    if r.stop == "optimal":
        return r.plan, "optimal", _gap(r.value, r.bound) or 0.0
    return r.plan, r.stop, _gap(r.value, r.bound)


# HiGHS options of the run that proves the bound after relax-and-fix: the expensive
# search for plans (sub-MIPs, feasibility jump) is off, relax-and-fix has done it
BOUND_OPTIONS: dict = {"mip_heuristic_effort": 0.0, "mip_heuristic_run_rins": False,
                       "mip_heuristic_run_rens": False,
                       "mip_heuristic_run_feasibility_jump": False,
                       "mip_heuristic_run_root_reduced_cost": False}
# the largest problem (actions x phases) solved in one run; larger ones by relax-and-fix
ONE_RUN_LIMIT = 400
STEP_NODES = 50  # node limit of each relax-and-fix step


def one_run(candidates: int, phases: int) -> bool:
    """Whether :func:`solve` solves a problem of this size in one run.

    >>> one_run(40, 5), one_run(131, 8), one_run(500, 2)
    (True, False, True)
    """
    return candidates * phases <= ONE_RUN_LIMIT or phases <= 2


def relax_and_fix(inst: Instance, *, step: int = 2, node_limit: int = STEP_NODES,
                  time_limit: float | None = None) -> tuple[dict[int, int] | None,
                                                            float | None, str]:
    """Plan phase by phase: the next ``step`` phases are decided with their variables
    whole (0/1) and all later phases relaxed (fractions allowed, so the future still
    competes for money and prerequisites), then those phases are fixed and the next
    ones decided.  Returns the plan (None when a step finds none), a proven upper
    bound on the value (the first step solves a relaxation of the whole problem) and
    how the steps stopped.

    >>> inst = Instance(names=["a", "b"], cost=[1.0, 1.0], budgets=[1.0, 1.0, 1.0],
    ...                 weight={"d": 1.0}, strat=[1.0, 1.0], islands=[0.0, 0.0],
    ...                 island_value=0.5, disc=[1.0, 0.9, 0.8], eff=[{"d": 1}, {"d": 2}],
    ...                 prereq=[[], [0]], reqs=[[], [("d", 1)]], reach={("d", 1): [0, 1]},
    ...                 gains=[[("d", 1)], [("d", 2)]])
    >>> plan, bound, stop = relax_and_fix(inst, step=1)
    >>> plan, round(bound, 3), stop
    ({0: 0, 1: 1}, 1.9, 'optimal')
    """
    m = _model(inst)
    if m is None:
        return None, None, "no_solution"
    return _relax_and_fix(m, step=step, node_limit=node_limit, time_limit=time_limit)


def _relax_and_fix(m: _Model, *, step: int, node_limit: int, time_limit: float | None
                   ) -> tuple[dict[int, int] | None, float | None, str]:
    n, P = m.n, m.P
    lb, ub = m.lb.copy(), m.ub.copy()
    t0 = time.perf_counter()
    bound, stops, first = None, set(), 0
    while first < P:
        last = min(P, first + step)
        integrality = m.integrality.copy()
        later = np.array([a * P + p for a in range(n) for p in range(last, P)], dtype=int)
        integrality[later] = 0
        left = None if time_limit is None else time_limit - (time.perf_counter() - t0)
        r = _run(m, node_limit=node_limit, time_limit=left, integrality=integrality,
                 lb=lb, ub=ub)
        stops.add(r.stop)
        if r.plan is None:
            return None, bound, "time_limit" if "time_limit" in stops else "work_limit"
        if first == 0:
            bound = r.bound
        for a in range(n):  # fix the decided phases as found
            for p in range(first, last):
                on = float(r.plan.get(a) == p)
                lb[a * P + p] = ub[a * P + p] = on
        first = last
    plan = {a: p for a in range(n) for p in range(P) if lb[a * P + p] > 0.5}
    stop = ("time_limit" if "time_limit" in stops else
            "work_limit" if "work_limit" in stops else "optimal")
    return plan, bound, stop


def solve(inst: Instance, *, node_limit: int = 600, time_limit: float | None = None
          ) -> tuple[dict[int, int] | None, str, float | None]:
    """The planner's exact solver: one MILP run for small problems (up to
    :data:`ONE_RUN_LIMIT` actions x phases), else relax-and-fix followed by one run on
    the whole problem that proves a bound (``node_limit`` nodes, its plan kept when
    better).  Deterministic (node limits, no wall clock unless ``time_limit`` is given).
    Returns the plan, a status code as :func:`milp` and the proven relative gap.

    Measured on the benchmark instance of issue 12 (300 actions, 8 phases; see
    ``benchmarks/bench_roadmap.py``): one run of 600 nodes stops 1.4 % below the optimum
    after 13 s; relax-and-fix is 0.1 % below it after 6 s.
    """
    if one_run(inst.n, inst.P):
        return milp(inst, node_limit=node_limit, time_limit=time_limit)
    t0 = time.perf_counter()

    def left() -> float | None:
        return None if time_limit is None else time_limit - (time.perf_counter() - t0)

    m = _model(inst)
    if m is None:
        return None, "no_solution", None
    plan, bound, stop = _relax_and_fix(m, step=2, node_limit=STEP_NODES,
                                       time_limit=time_limit)
    if plan is None:  # a required action did not fit the relaxed steps: one run instead
        return milp(inst, node_limit=node_limit, time_limit=left())
    value = evaluate(inst, plan)
    r = _run(m, node_limit=node_limit, time_limit=left(), options=BOUND_OPTIONS)
    if r.plan is not None and r.value > value + 1e-9 and not violations(inst, r.plan):
        plan, value = r.plan, r.value
    bounds = [b for b in (bound, r.bound) if b is not None]
    if r.stop == "optimal" and r.plan is not None:
        bounds.append(r.value)
    g = _gap(value, min(bounds)) if bounds else None
    if g is not None and g <= 1e-6:
        return plan, "optimal", g
    return plan, "time_limit" if "time_limit" in (stop, r.stop) else "work_limit", g


def prune(inst: Instance, assign: dict[int, int]) -> dict[int, int]:
    """Drop actions that add no value and that nothing later needs."""
    value = evaluate(inst, assign)
    for a in sorted(assign, key=lambda a: (-assign[a], -inst.cost[a])):
        trial = {b: q for b, q in assign.items() if b != a}
        if not violations(inst, trial) and evaluate(inst, trial) >= value - 1e-12:
            assign = trial
    return assign
