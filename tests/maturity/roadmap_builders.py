"""Builders of small roadmap instances shared by the roadmap tests: a CMMM assessment with
given dimension levels, catalog actions and catalogs."""

from __future__ import annotations

import dataclasses

from maturity import load_model, score
from maturity.actions import SIZES, ActionCatalog
from maturity.assessment import DimensionResult
from maturity.priorities import load_priority_data

# value factor of a year's delay; a phase is a year by default, so a level reached one
# phase later is worth DELTA times as much.  Values are counted to the month an action is
# done: a 3-month action (the builders' default) done in its first phase is worth DONE.
DELTA = 1 - load_priority_data().yearly_discount
DONE = DELTA ** (3 / 12)


def assessment(levels: dict[str, int], size: str = "medium"):
    """A CMMM assessment with the given dimension levels (others at 5: no gap)."""
    model = load_model("cmmm")
    base = score(model, {})
    dims = [DimensionResult(d.id, None, levels.get(d.id, 5), 1, 1) for d in model.dimensions]
    answers = base.answers.model_copy(update={"enterprise": base.answers.enterprise.model_copy(
        update={"size": size, "industry_type": "discrete"})})
    return dataclasses.replace(base, dimensions=dims, evidence=[], answers=answers)


def action(id: str, effects: dict[str, int], cost: float, *, prereq=(), entry=None,
           focus="production", landscape=None, sizes=SIZES, months=3) -> dict:
    return {
        "id": id, "name": {"en": id.replace("_", " "), "zh": id},
        "description": {"en": id, "zh": id}, "category": "technology", "focus": focus,
        "prerequisites": list(prereq),
        "entry": [{"model": "cmmm", "dimension": d, "level": lv}
                  for d, lv in (entry or {}).items()],
        "effects": {"levels": [{"model": "cmmm", "dimension": d, "level": lv}
                               for d, lv in effects.items()],
                    "landscape": landscape or {}},
        "cost_cny": {s: [cost, cost] for s in SIZES},
        "duration_months": months,
        "applicability": {"sizes": list(sizes)},
    }


def catalog(*actions: dict) -> ActionCatalog:
    return ActionCatalog.model_validate({"version": "t", "notes": {"en": "t", "zh": "t"},
                                         "actions": list(actions)})
