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
import warnings
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import Bounds, LinearConstraint
from scipy.optimize import milp as scipy_milp
from scipy.sparse import coo_array

__all__ = ["Instance", "evaluate", "greedy", "milp", "prune", "violations"]

_TOL = 1e-9
_DISP = False  # True prints the HiGHS log
# HiGHS options passed through scipy.optimize.milp: one thread and a fixed seed, so that
# with the node limit the same input gives the same plan on any machine
HIGHS_OPTIONS: dict = {"threads": 1, "random_seed": 0}


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

    @property
    def n(self) -> int:
        return len(self.names)

    @property
    def P(self) -> int:
        return len(self.budgets)

    def level_value(self, a: int, k: tuple[str, int], p: int) -> float:
        return self.weight[k[0]] * self.strat[a] * self.disc[p]

    def island_gain(self, a: int, p: int, islands: float | None = None) -> float:
        n = self.islands[a] if islands is None else islands
        return self.island_value * n * self.strat[a] * self.disc[p]


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
    spent = [0.0] * inst.P
    for a, p in assign.items():
        spent[p] += inst.cost[a]
        for b in inst.prereq[a]:
            if b not in assign or assign[b] >= p:
                out.append(f"{inst.names[a]}: prerequisite {inst.names[b]}")
        for d, lv in inst.reqs[a]:
            if not any(assign.get(b, p) < p for b in inst.reach[(d, lv)] if b != a):
                out.append(f"{inst.names[a]}: needs {d} at {lv}")
    for a, q in inst.fixed.items():
        if a not in assign:
            out.append(f"{inst.names[a]}: required")
        elif q is not None and assign[a] != q:
            out.append(f"{inst.names[a]}: must be in phase {q + 1}")
    out += [f"phase {p + 1} over budget" for p in range(inst.P)
            if spent[p] > inst.budgets[p] * (1 + 1e-9) + 1e-6]
    return out


def greedy(inst: Instance) -> dict[int, int]:
    """Per phase, repeatedly take the ready action with the best value per cost.

    The value of an action is what it closes now plus the islands it removes; an enabler
    (an action that closes nothing itself) is valued by the best action it makes ready,
    one phase later, per their joint cost, so the baseline takes the groundwork a plan
    needs instead of stopping where the valuable steps need a prerequisite.
    """
    assign: dict[int, int] = {}
    credit: dict[tuple[str, int], float] = {}
    levels: dict[str, int] = {}
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

    def ready(a: int, before: set[int], start: dict[str, int], extra: int | None = None) -> bool:
        if any(b not in before and b != extra for b in inst.prereq[a]):
            return False
        return all(start.get(d, -1) >= lv or (extra is not None and inst.eff[extra].get(d, -1)
                                               >= lv) for d, lv in inst.reqs[a])

    for p in range(inst.P):
        before = set(assign)
        start = dict(levels)
        left = inst.budgets[p]
        now = [a for a in range(inst.n) if a not in assign and ready(a, before, start)]
        for a in sorted(now, key=lambda a: inst.fixed.get(a) is None):  # required ones first
            q = inst.fixed.get(a, -1)
            if (a in inst.fixed and (q is None or q == p)
                    and inst.cost[a] <= left * (1 + 1e-12) + 1e-9):
                assign[a] = p
                left -= inst.cost[a]
                for k in inst.gains[a]:
                    credit[k] = max(credit.get(k, 0.0), inst.level_value(a, k, p))
        unlocks: dict[int, list[int]] = {}  # what each action would make ready next phase
        while True:
            best, best_ratio = None, 0.0
            for a in now:
                if (a in assign or inst.fixed.get(a, p) != p
                        or inst.cost[a] > left * (1 + 1e-12) + 1e-9):
                    continue
                g = gain(a, p)
                ratio = g / inst.cost[a] if inst.cost[a] > 0 else (math.inf if g > _TOL else 0)
                if g <= _TOL and p + 1 < inst.P:  # an enabler: what it makes ready next
                    if a not in unlocks:
                        unlocks[a] = [b for b in needed_by[a] if b not in assign
                                      and ready(b, before, start, extra=a)]
                    for b in unlocks[a]:
                        if b in assign:
                            continue
                        gb = gain(b, p + 1)
                        if gb > _TOL:
                            ratio = max(ratio, gb / max(inst.cost[a] + inst.cost[b], 1e-9))
                if ratio > best_ratio + 1e-15:
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


def milp(inst: Instance, *, node_limit: int = 200, time_limit: float | None = None,
         gap: float = 1e-6) -> tuple[dict[int, int] | None, str, float | None]:
    """Solve the instance with ``scipy.optimize.milp`` (HiGHS).

    The search stops at ``node_limit`` branch-and-bound nodes (deterministic: the same
    input gives the same plan on any machine load) or, only when given, at
    ``time_limit`` seconds.  Returns the plan, a status code (``optimal``,
    ``work_limit``, ``time_limit``, ``no_solution``) and the proven relative gap
    (0 when optimal, None without a plan).
    """
    n, P = inst.n, inst.P
    if n == 0:
        return {}, "optimal", 0.0
    nx_ = n * P
    keys = sorted({k for r in inst.reqs for k in r})
    # R[k, p] (continuous, 0..1): level k = (dimension, level) held by the end of phase p
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

    for a in range(n):  # each action at most once
        row([(a * P + p, 1.0) for p in range(P)], -np.inf, 1.0)
    for p in range(P):  # phase budgets, scaled to 1
        scale = max(inst.budgets[p], 1.0)
        row([(a * P + p, inst.cost[a] / scale) for a in range(n) if inst.cost[a] > 0],
            -np.inf, inst.budgets[p] / scale)
    for k in keys:  # R[k, p] <= R[k, p-1] + sum of reaching actions in p: level k held by p
        for p in range(P):
            prev = [(rcol[(k, p - 1)], -1.0)] if p else []
            row([(rcol[(k, p)], 1.0)] + prev + [(b * P + p, -1.0) for b in inst.reach[k]],
                -np.inf, 0.0)
    for a in range(n):
        if inst.reqs[a] or inst.prereq[a]:
            ub[a * P] = 0.0
        for p in range(1, P):
            done = [(a * P + q, 1.0) for q in range(p + 1)]
            for k in inst.reqs[a]:  # done by p  =>  level held by p - 1
                row([*done, (rcol[(k, p - 1)], -1.0)], -np.inf, 0.0)
            for b in inst.prereq[a]:  # done by p  =>  prerequisite done by p - 1
                row(done + [(b * P + q, -1.0) for q in range(p)], -np.inf, 0.0)
    for a, q in inst.fixed.items():  # required by the consultant, in any or in one phase
        if q is None:
            row([(a * P + p, 1.0) for p in range(P)], 1.0, 1.0)
        elif ub[a * P + q] == 0.0:  # locked to the first phase, but it needs groundwork
            return None, "no_solution", None
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
    options: dict = {"mip_rel_gap": gap, "node_limit": int(node_limit), "disp": _DISP,
                     **HIGHS_OPTIONS}
    if time_limit is not None:
        options["time_limit"] = float(time_limit)
    with warnings.catch_warnings():  # scipy passes the HiGHS options on verbatim, and says so
        warnings.filterwarnings("ignore", "Unrecognized options", RuntimeWarning)
        res = scipy_milp(c, integrality=integrality, bounds=Bounds(lb, ub),
                         constraints=LinearConstraint(A, lo, hi), options=options)
    if res.x is None:
        return None, "no_solution", None
    xs = res.x[:nx_].reshape(n, P)
    assign = {a: int(np.argmax(xs[a])) for a in range(n) if xs[a].max() > 0.5}
    found_gap = getattr(res, "mip_gap", None)
    found_gap = float(found_gap) if found_gap is not None and math.isfinite(found_gap) else None
    if res.status == 0:
        return assign, "optimal", found_gap or 0.0
    code = "time_limit" if "time" in str(res.message).lower() else "work_limit"
    return assign, code, found_gap


def prune(inst: Instance, assign: dict[int, int]) -> dict[int, int]:
    """Drop actions that add no value and that nothing later needs."""
    value = evaluate(inst, assign)
    for a in sorted(assign, key=lambda a: (-assign[a], -inst.cost[a])):
        trial = {b: q for b, q in assign.items() if b != a}
        if not violations(inst, trial) and evaluate(inst, trial) >= value - 1e-12:
            assign = trial
    return assign
