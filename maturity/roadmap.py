"""Transformation roadmap: from maturity gaps and information islands to a budgeted plan.

The roadmap in one import: :func:`plan_roadmap` (the planner, :mod:`maturity.planner`)
selects actions of the catalog (:mod:`maturity.actions`) and places them in phases so as
to close the most valuable gaps within each phase's budget, each step resting on what
earlier ones built.  The result, a frozen :class:`Roadmap` (:mod:`maturity.roadmap_record`),
shows the phases, their cost and duration, the levels and the information islands after
each phase, a sentence per step, the actions already in place, and a plain explanation of
whatever the plan cannot reach.  :func:`apply_actions` (:mod:`maturity.action_effects`)
applies the landscape effects of actions to a copy of an IT/OT landscape.

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

from maturity.action_effects import apply_actions
from maturity.planner import SOLVERS, level_cycles, plan_roadmap
from maturity.roadmap_record import (
    InPlace,
    Reason,
    Roadmap,
    Step,
    UnmetTarget,
    money,
    render_reason,
    roadmaps_frame,
)

__all__ = ["SOLVERS", "InPlace", "Reason", "Roadmap", "Step", "UnmetTarget", "apply_actions",
           "level_cycles", "money", "plan_roadmap", "render_reason", "roadmaps_frame"]
