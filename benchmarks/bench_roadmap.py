"""Benchmark: plan_roadmap on 300 generated actions x 8 phases (MILP against greedy).

Run: ``.venv/bin/python benchmarks/bench_roadmap.py [N_ACTIONS] [PHASES] [SEED]``.
Prints the time of the whole planning call (screening, islands, greedy and MILP),
the objectives and their ratio. Goal (issue 4): under 10 s for 300 actions x 8 phases.
"""

from __future__ import annotations

import dataclasses
import sys
import time

import numpy as np

from maturity import load_model, score
from maturity.actions import SIZES, ActionCatalog
from maturity.assessment import DimensionResult
from maturity.roadmap import plan_roadmap
from value_chain import landscape_metrics, random_landscape

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


def main(n: int = 300, phases: int = 8, seed: int = 0) -> None:
    catalog = generated_catalog(n, seed)
    assessment = generated_assessment(seed)
    target = {d.id: min(5, d.level + 3) for d in assessment.dimensions}
    G = random_landscape(300, seed=seed)
    budget = 2_000_000
    print(f"{n} actions, {phases} phases, {budget:,} CNY per phase; landscape of "
          f"{landscape_metrics(G)['systems']} systems")
    t0 = time.perf_counter()
    greedy = plan_roadmap(assessment, G, catalog, target=target, budget_per_phase=budget,
                          phases=phases, solver="greedy")
    t_greedy = time.perf_counter() - t0
    t0 = time.perf_counter()
    exact = plan_roadmap(assessment, G, catalog, target=target, budget_per_phase=budget,
                         phases=phases, solver="milp")
    t_milp = time.perf_counter() - t0
    print(f"greedy: {t_greedy:.2f} s, objective {greedy.objective:.3f}, "
          f"{len(greedy.actions)} actions")
    print(f"milp:   {t_milp:.2f} s, objective {exact.objective:.3f}, "
          f"{len(exact.actions)} actions ({exact.status})")
    ratio = exact.objective / greedy.objective if greedy.objective else float("nan")
    print(f"optimal / greedy objective: {ratio:.3f}")
    print(f"goal: MILP plan under 10 s -> {'met' if t_milp < 10 else 'NOT met'}")


if __name__ == "__main__":
    args = [int(a) for a in sys.argv[1:]]
    main(*args)
