"""Benchmark: plan_roadmap on generated actions x phases (MILP against greedy).

Run: ``.venv/bin/python benchmarks/bench_roadmap.py [N_ACTIONS] [PHASES] [SEED] [NODE_LIMIT]``
(default 300 8 0 and the planner's default node limit; ``3000 8`` for the large case).
Prints the time of each whole planning call (screening, islands, greedy, MILP, measuring
the plan on the landscape), the objectives (levels + islands measured on the landscape
with the plan applied in order), the proven gap of the MILP (deterministic node limit, no
wall clock), the islands left, the ratio to the greedy baseline and the peak memory.
The instance of seed 0 is the one of issue 12.  Goals (issue 12): 300 x 8 within 1 % of
the best known plan in under 10 s; 3,000 x 8 returns a plan with a proven gap in under
60 s and under 2 GB.

Best known plan of the 300 x 8 instance with the calendar formulation (12-month phases,
value counted to the month an action is done): objective 35.375, proven optimal by one
HiGHS run of up to 30,000 nodes (195 s; ``planner_solvers.milp(inst, node_limit=30000)``
on the instance the planner builds); the printed ratio compares with it.

Measured on the 2-core machine (load about 1), relax-and-fix and a 92-node proof:
300 x 8 in 8.8 s, objective 35.331 (0.9987 of the optimum), proven gap 1.53 %, 276 MB;
3,000 x 8 in 40 s, proven gap 0.51 %, 769 MB.  Before relax-and-fix, one run of 600
nodes: 300 x 8 in 14-17 s, 0.986 of the optimum, gap 2.6 %.
"""

from __future__ import annotations

import dataclasses
import resource
import sys
import time

import numpy as np

from maturity import load_model, score
from maturity.actions import SIZES, ActionCatalog
from maturity.assessment import DimensionResult
from maturity.roadmap import plan_roadmap
from value_chain import landscape_metrics, random_landscape

BEST_KNOWN_300 = 35.375  # proven optimal, see the module docstring
TYPES = ["ERP", "MES", "SCADA", "PLC", "WMS", "QMS", "APS", "PLM", "historian", "machine"]
FOCUS = ["foundation", "production", "product", "business_model"]


def generated_catalog(n: int, seed: int = 0) -> ActionCatalog:
    """``n`` plausible actions on the CMMM dimensions: a ladder of levels per dimension,
    prerequisites among earlier actions, a few entry conditions and landscape effects."""
    model = load_model("cmmm")
    dims = [d.id for d in model.dimensions]
    rng = np.random.default_rng(seed)
    actions = []
    for i in range(n):
        k = 1 + int(rng.random() < 0.4)
        effects = [{"model": "cmmm", "dimension": str(d), "level": int(rng.integers(1, 6))}
                   for d in rng.choice(dims, k, replace=False)]
        prereq = sorted({f"a{int(j)}" for j in rng.integers(0, i, int(rng.integers(0, 3)))}
                        ) if i else []
        entry = ([{"model": "cmmm", "dimension": str(rng.choice(dims)),
                   "level": int(rng.integers(1, 4))}] if rng.random() < 0.15 else [])
        land = {}
        if rng.random() < 0.3:
            s, t = rng.choice(TYPES, 2, replace=False)
            land = {"connect": [{"source": {"types": [str(s)]}, "target": {"types": [str(t)]},
                                 "mode": "batch"}]}
        mid = float(rng.lognormal(np.log(400_000), 0.7))
        actions.append({
            "id": f"a{i}",
            "name": {"en": f"Action {i}", "zh": f"行动 {i}"},
            "description": {"en": "generated", "zh": "生成"},
            "category": "technology",
            "focus": FOCUS[int(rng.integers(0, 4))],
            "prerequisites": prereq,
            "entry": entry,
            "effects": {"levels": effects, "landscape": land},
            "cost_cny": {s: [mid * 0.8, mid * 1.2] for s in SIZES},
            "duration_months": float(rng.integers(1, 12)),
            "kpis": [{"kpi": "oee", "change_pct": float(rng.uniform(1, 15)),
                      "evidence": "generated for the benchmark"}],
        })
    return ActionCatalog.model_validate({"version": "bench", "notes": {"en": "x", "zh": "x"},
                                         "actions": actions})


def generated_assessment(seed: int = 0):
    model = load_model("cmmm")
    rng = np.random.default_rng(seed)
    base = score(model, {})
    dims = [DimensionResult(d.id, None, int(rng.integers(0, 3)), 1, 1) for d in model.dimensions]
    return dataclasses.replace(base, dimensions=dims, evidence=[])


def run(n: int, phases: int, seed: int = 0, node_limit: int | None = None) -> dict:
    """Plan the generated instance with both solvers; times, objectives, gap, peak memory."""
    catalog = generated_catalog(n, seed)
    assessment = generated_assessment(seed)
    target = {d.id: min(5, d.level + 3) for d in assessment.dimensions}
    G = random_landscape(300, seed=seed)
    budget = 2_000_000
    kw = {"target": target, "budget_per_phase": budget, "phases": phases}
    t0 = time.perf_counter()
    greedy = plan_roadmap(assessment, G, catalog, solver="greedy", **kw)
    t_greedy = time.perf_counter() - t0
    t0 = time.perf_counter()
    exact = plan_roadmap(assessment, G, catalog, solver="milp", node_limit=node_limit, **kw)
    t_milp = time.perf_counter() - t0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # MB (Linux: KiB)
    return {"n": n, "phases": phases, "islands": landscape_metrics(G)["island_count"],
            "greedy": greedy, "exact": exact, "t_greedy": t_greedy, "t_milp": t_milp,
            "peak_mb": peak}


def main(n: int = 300, phases: int = 8, seed: int = 0, node_limit: int | None = None) -> None:
    r = run(n, phases, seed, node_limit)
    g, m = r["greedy"], r["exact"]
    print(f"{n} actions, {phases} phases, 2,000,000 CNY per phase; landscape of 300 systems, "
          f"{r['islands']} islands; MILP node limit {node_limit or 'default'} (deterministic)")
    print(f"greedy: {r['t_greedy']:.2f} s, objective {g.objective:.3f} "
          f"(levels {g.objective_levels:.3f} + islands {g.objective_islands:.3f}), "
          f"{len(g.actions)} actions")
    gap = "n/a" if m.gap is None else f"{m.gap:.2%}"
    print(f"milp:   {r['t_milp']:.2f} s, objective {m.objective:.3f} "
          f"(levels {m.objective_levels:.3f} + islands {m.objective_islands:.3f}), "
          f"{len(m.actions)} actions, status {m.status}, proven gap {gap}")
    print(f"islands after the plan (measured): greedy {g.landscape_after[-1]['island_count']}, "
          f"milp {m.landscape_after[-1]['island_count']} (from {r['islands']})")
    ratio = m.objective / g.objective if g.objective else float("nan")
    print(f"milp / greedy objective: {ratio:.3f}")
    if (n, phases, seed) == (300, 8, 0):
        print(f"milp / best known ({BEST_KNOWN_300}): {m.objective / BEST_KNOWN_300:.4f}")
    print(f"peak memory of the process: {r['peak_mb']:.0f} MB")


if __name__ == "__main__":
    args = [int(a) for a in sys.argv[1:]]
    main(*args)
