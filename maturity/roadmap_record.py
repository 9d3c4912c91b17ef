"""The roadmap as a result: a frozen record of the plan and its views.

A :class:`Roadmap` is made once by :func:`maturity.planner.plan_roadmap`: the steps of
each phase (with the gap levels each closes, the later steps it unlocks and the
information islands it removes, measured on the landscape), the levels and islands after
each phase, the actions already in place with their evidence, and the reasons for every
target the plan does not reach, as codes with numbers (:class:`Reason`).  Words are added
only when the record is shown (``to_text``, ``to_dict``, ``to_html``, the plots), from the
message catalogue (``maturity/messages/roadmap.yaml``), in the language asked for.
Most code imports these names from :mod:`maturity.roadmap`.

Examples
--------
>>> from maturity.messages import msg
>>> r = Reason("roadmap.note.empty_phase", {"phase": 2})
>>> msg(r.code, "zh", **r.values)
'阶段 2 没有行动：没有既在预算内又能缩小目标差距的后续步骤。'
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import networkx as nx
import pandas as pd

from maturity.action_effects import apply_actions
from maturity.actions import Action
from maturity.html import render
from maturity.messages import columns, msg, pad
from maturity.reference_model import Text
from maturity.roadmap_plots import plot_gantt, plot_trajectory
from value_chain.messages import catalogue, placeholders

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from maturity.plan_calendar import PlanCalendar

__all__ = ["InPlace", "Reason", "Roadmap", "Step", "UnmetTarget", "model_name", "money",
           "render_reason", "roadmaps_frame"]


# ---- the record ---------------------------------------------------------------------


@dataclass(frozen=True)
class Reason:
    """Why something is so, as a message code and the numbers and ids that go into it."""

    code: str
    values: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Step:
    """One action placed in a phase, with what it does there.

    ``islands_removed`` is measured on the landscape: the islands before the step minus
    the islands after it, with every earlier step of the plan applied (negative when the
    step adds a system that stays unconnected).
    """

    action: Action
    phase: int
    cost: float
    value: float
    islands_removed: float
    raises: tuple[tuple[str, int, int], ...] = ()
    unlocks: tuple[str, ...] = ()
    extends: tuple[str, ...] = ()
    start_month: float = 0.0  # months from the start of the plan
    end_month: float = 0.0
    paid: tuple[float, ...] = ()  # money paid in each phase


@dataclass(frozen=True)
class UnmetTarget:
    """A dimension whose target the plan does not reach, and the first thing in the way."""

    dimension: str
    target: int
    reached: int
    reason: Reason
    no_action: bool


@dataclass(frozen=True)
class InPlace:
    """An action the enterprise has already done, with the evidence: the systems of its
    landscape that provide it, or (empty) the levels of its assessment."""

    action: Action
    systems: tuple[str, ...] = ()


@dataclass(frozen=True)
class Roadmap:
    """A transformation plan: phases of actions, costs, levels and islands after each phase.

    Made by :func:`maturity.planner.plan_roadmap`. ``to_frame()`` gives one row per
    step, ``to_dict()`` the JSON form, ``to_text()`` a plain table; ``plot_gantt()`` and
    ``plot_trajectory()`` draw it; notebooks show it as HTML (escaped).
    """

    model: Any
    enterprise: str
    strategy: str
    size: str
    solver: str
    status: str
    budgets: tuple[float, ...]
    current: Mapping[str, int]
    target: Mapping[str, int]
    priorities: pd.DataFrame
    steps: tuple[tuple[Step, ...], ...]
    levels_after: tuple[Mapping[str, int], ...]
    landscape_before: Mapping[str, Any] | None
    landscape_after: tuple[Mapping[str, Any], ...]
    objective: float
    greedy_objective: float
    unmet: tuple[UnmetTarget, ...] = ()
    notes: tuple[Reason, ...] = ()
    in_place: tuple[InPlace, ...] = ()
    names: Mapping[str, Text] = field(default_factory=dict, repr=False)
    strategy_name: Text | None = None
    currency: str = "CNY"
    region: str = "CN"
    gap: float | None = None
    objective_levels: float = 0.0
    objective_islands: float = 0.0
    next_step: Action | None = None
    calendar: PlanCalendar | None = None
    spend: tuple[float, ...] = ()  # money paid in each phase
    industry_type: str | None = None

    # ---- facts --------------------------------------------------------------
    @property
    def actions(self) -> list[Action]:
        """The planned actions, phase by phase."""
        return [s.action for phase in self.steps for s in phase]

    @property
    def total_cost(self) -> float:
        return float(sum(s.cost for phase in self.steps for s in phase))

    def phase_duration(self, p: int) -> float:
        """Months of phase ``p`` (0-based): its length in the calendar (without one, the
        longest action of the phase, as they run side by side)."""
        if self.calendar is not None:
            return self.calendar.phase_months[p]
        return max((s.action.duration_months for s in self.steps[p]), default=0.0)

    def cheapest_next_step(self) -> Action | None:
        """The cheapest applicable action that could start now, whatever the budget, and
        that brings a level within the target (or removes an island) or leads to one that
        does; None if there is none (decided by the planner)."""
        return self.next_step

    def landscape_at(self, G: nx.MultiDiGraph, phase: int | None = None) -> nx.MultiDiGraph:
        """The landscape ``G`` after the actions up to ``phase`` (1-based; all by default)."""
        last = len(self.steps) if phase is None else phase
        if self.calendar is not None:  # the actions done by the end of that phase
            end = sum(self.calendar.phase_months[:last]) + 1e-9
            done = sorted((s for p in self.steps for s in p if s.end_month <= end),
                          key=lambda s: s.end_month)  # stable: plan order within a month
            return apply_actions(G, [s.action for s in done])
        return apply_actions(G, [s.action for p in self.steps[:last] for s in p])

    def trajectory(self) -> pd.DataFrame:
        """Levels per dimension (rows) before (``0``) and after each phase, with the target."""
        frame = pd.DataFrame({0: dict(self.current), **{p + 1: dict(lv) for p, lv in
                                                       enumerate(self.levels_after)}})
        frame["target"] = pd.Series(dict(self.target))
        frame.index.name = "dimension"
        return frame

    # ---- words, rendered on demand --------------------------------------------
    def sentence(self, step: Step, lang: str = "en") -> str:
        """What the step closes and what it unlocks, in one sentence."""
        return _step_sentence(self, step, lang)

    def unmet_targets(self, lang: str = "en") -> list[dict[str, Any]]:
        """Dimensions whose target the plan does not reach, each with the reason (its
        ``code`` and the sentence)."""
        return [{"dimension": u.dimension, "name": self.model.dimension(u.dimension).name(lang),
                 "target": u.target, "reached": u.reached, "code": u.reason.code,
                 "reason": render_reason(self, u.reason, lang), "no_action": u.no_action}
                for u in self.unmet]

    def explanations(self, lang: str = "en") -> list[str]:
        """Plain sentences on what the plan cannot do, and why."""
        return _explanations(self, lang)

    def to_dict(self, lang: str = "en") -> dict[str, Any]:
        """JSON-ready plan.

        Keys: ``phases`` (each ``phase`` number from 1, ``actions`` with ``id``,
        ``name``, ``cost``, ``prerequisites`` and more, ``cost``, ``budget``,
        ``months``, ``levels_after``, ``islands_after``,
        ``vertical_integration_after``), ``total_cost``, ``total_months``,
        ``objective``, ``greedy_objective``, ``gap``, ``currency``,
        ``unmet_targets``, ``already_in_place``, ``in_place`` (with evidence),
        ``explanations``, plus the strategy, budget, solver and the levels.
        """
        return _to_dict(self, lang)

    def to_json(self, lang: str = "en", **kwargs) -> str:
        return json.dumps(self.to_dict(lang), ensure_ascii=False, **kwargs)

    def to_frame(self, lang: str = "en") -> pd.DataFrame:
        """One row per step: phase, action, focus, cost, months (its duration, and the
        months from the plan's start at which it starts and ends), what it raises, the
        sentence."""
        cols = ["phase", "id", "name", "focus", "cost", "duration_months", "start_month",
                "end_month", "raises", "islands_removed", "explanation"]
        rows = []
        for p in self.to_dict(lang)["phases"]:
            for x in p["actions"]:
                raises = ", ".join(f"{r['dimension']} {r['from']}→{r['to']}" for r in x["raises"])
                rows.append({"phase": p["phase"], **{k: x[k] for k in cols[1:] if k in x},
                             "raises": raises})
        return pd.DataFrame(rows, columns=cols)

    def to_text(self, lang: str = "en") -> str:
        """The plan as a plain-text table, phase by phase."""
        return _to_text(self, lang)

    def to_html(self, lang: str = "en") -> str:
        """The roadmap as an HTML table (autoescaped) in English or Chinese."""
        return render("roadmap.html.j2", r=self.to_dict(lang), zh=lang == "zh")

    def _repr_html_(self) -> str:
        return self.to_html("en")

    def plot_gantt(self, ax: Axes | None = None, *, lang: str = "en") -> Axes:
        """Bars of the steps over the months, coloured by focus; returns the axes."""
        return plot_gantt(self, ax, lang=lang)

    def plot_trajectory(self, ax: Axes | None = None, *, lang: str = "en") -> Axes:
        """Levels of the dimensions the plan raises after each phase; returns the axes."""
        return plot_trajectory(self, ax, lang=lang)

    def __repr__(self) -> str:
        n = len(self.actions)
        return (f"<Roadmap {self.model.id} for {self.enterprise!r}: {n} actions in "
                f"{len(self.steps)} phases, {money(self.total_cost)} {self.currency}, "
                f"value {self.objective:.3f} ({self.strategy})>")


# ---- rendering ----------------------------------------------------------------------


def money(v: float) -> str:
    """A sum of money with thousands separators and no decimals.

    >>> money(1300000.0)
    '1,300,000'
    """
    return f"{v:,.0f}"


def _name(r: Roadmap, action_id: str, lang: str) -> str:
    text = r.names.get(action_id)
    return text(lang) if text is not None else action_id


def _dim(r: Roadmap, d: str, lang: str) -> str:
    return r.model.dimension(d).name(lang)


def _chain(r: Roadmap, ids: Sequence[str | Sequence[str]], lang: str) -> str:
    """Steps in order; a stage of steps that run side by side is a list of them."""
    side = msg("roadmap.chain_with", lang)
    return msg("roadmap.chain_sep", lang).join(
        side.join(msg("roadmap.chain_item", lang, name=_name(r, a, lang))
                  for a in ([x] if isinstance(x, str) else x)) for x in ids)


def render_reason(r: Roadmap, reason: Reason, lang: str = "en") -> str:
    """The sentence of a reason code in ``lang``."""
    v = dict(reason.values)
    sep = msg("roadmap.sep.list", lang)
    out: dict[str, Any] = {}
    for k, x in v.items():
        if k == "dimension":
            out[k] = _dim(r, x, lang)
        elif k == "action":
            out["name"] = _name(r, x, lang)
        elif k == "actions":
            out["names"] = sep.join(_name(r, a, lang) for a in x)
        elif k == "chain":
            out[k] = _chain(r, x, lang)
        elif k in ("cost", "budget"):
            out[k] = money(x)
        elif k == "size":
            out[k] = msg(f"roadmap.size.{x}", lang)
        elif k == "industry":
            out[k] = msg(f"roadmap.industry.{x}", lang)
        elif k == "blocked":
            out["why"] = msg("roadmap.sep.reason", lang).join(
                msg("roadmap.unmet.excluded_item", lang, name=_name(r, a, lang),
                    why=render_reason(r, why, lang)) for a, why in x)
        elif k == "hint":
            out[k] = "" if x is None else render_reason(r, x, lang)
        elif k == "because":  # a nested reason, e.g. why a prerequisite cannot be planned
            out[k] = "" if x is None else msg("roadmap.because", lang,
                                                why=render_reason(r, x, lang))
        elif k == "systems":
            out[k] = sep.join(x)
        elif k == "gap":
            out[k] = f"{x:.2%}"
        elif k in ("months", "horizon", "start"):
            out[k] = f"{x:g}"
        else:
            out[k] = x
    if "currency" in msg_placeholders(reason.code):
        out["currency"] = msg(f"roadmap.currency.{r.currency}", lang)
    return msg(reason.code, lang, **out)


def msg_placeholders(key: str) -> set[str]:
    return placeholders(catalogue()[key]["en"])


def _step_sentence(r: Roadmap, step: Step, lang: str) -> str:
    parts = []
    if step.raises:
        parts.append(msg("roadmap.step.raises", lang, items=msg("roadmap.sep.list", lang).join(
            msg("roadmap.step.raise", lang, dimension=_dim(r, d, lang), low=lo, high=hi)
            for d, lo, hi in step.raises)))
    else:
        parts.append(msg("roadmap.step.prepares", lang))
    if step.extends:
        parts.append(msg("roadmap.step.extends", lang,
                         systems=msg("roadmap.sep.list", lang).join(step.extends)))
    n = step.islands_removed
    if n > 0:
        parts.append(msg("roadmap.step.removes_one" if n == 1 else "roadmap.step.removes", lang,
                         n=f"{n:.0f}"))
    elif n < 0:
        parts.append(msg("roadmap.step.adds_one" if n == -1 else "roadmap.step.adds", lang,
                         n=f"{-n:.0f}"))
    if step.unlocks:
        parts.append(msg("roadmap.step.unlocks", lang, names=msg("roadmap.sep.list", lang).join(
            _name(r, a, lang) for a in step.unlocks)))
    return msg("roadmap.sep.clause", lang).join(parts) + msg("roadmap.sep.end", lang)


def _explanations(r: Roadmap, lang: str) -> list[str]:
    out = [render_reason(r, n, lang) for n in r.notes if n.code != "roadmap.note.gap"]
    none = [u for u in r.unmet if u.no_action]
    if len(none) > 1:
        items = msg("roadmap.sep.list", lang).join(
            msg("roadmap.note.no_action_item", lang, dimension=_dim(r, u.dimension, lang),
                target=u.target) for u in none)
        out.append(msg("roadmap.note.no_action_many", lang, items=items))
        out += [render_reason(r, u.reason, lang) for u in r.unmet if not u.no_action]
    else:
        out += [render_reason(r, u.reason, lang) for u in r.unmet]
    out += [render_reason(r, n, lang) for n in r.notes if n.code == "roadmap.note.gap"]
    return out


def _to_dict(r: Roadmap, lang: str) -> dict[str, Any]:
    cal = r.calendar
    total = cal.total_budget if cal is not None else None
    phases = []
    for p, steps in enumerate(r.steps):
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
                "start_month": s.start_month,
                "end_month": s.end_month,
                "paid_per_phase": [round(x, 2) for x in s.paid],
                "raises": [{"dimension": d, "from": lo, "to": hi} for d, lo, hi in s.raises],
                "other_effects": [e.model_dump() for e in s.action.effects.levels
                                  if e.model != r.model.id],
                "islands_removed": s.islands_removed,
                "extends": list(s.extends),
                "value": round(s.value, 6),
                "explanation": _step_sentence(r, s, lang),
                "unlocks": list(s.unlocks),
            } for s in steps],
            "cost": float(sum(s.cost for s in steps)),
            "budget": None if total else r.budgets[p],
            "paid": round(r.spend[p], 2) if r.spend else float(sum(s.cost for s in steps)),
            "months": r.phase_duration(p),
            "start_month": float(sum(r.phase_duration(q) for q in range(p))),
            "levels_after": dict(r.levels_after[p]),
            "islands_after": r.landscape_after[p]["island_count"],
            "vertical_integration_after": r.landscape_after[p]["vertical_integration"],
        })
    before = r.landscape_before or {}
    return {
        "model": r.model.id,
        "enterprise": r.enterprise,
        "strategy": r.strategy,
        "strategy_name": r.strategy_name(lang) if r.strategy_name else r.strategy,
        "size": r.size,
        "solver": r.solver,
        "solver_status": r.status,
        "gap": r.gap,
        "currency": r.currency,
        "region": r.region,
        "budget_per_phase": None if total is not None else list(r.budgets),
        "total_budget": total,
        "carry_forward": bool(cal and cal.carry_forward),
        "max_concurrent": cal.max_concurrent if cal is not None else None,
        "current": dict(r.current),
        "target": dict(r.target),
        "islands_before": before.get("island_count"),
        "vertical_integration_before": before.get("vertical_integration"),
        "phases": phases,
        "total_cost": r.total_cost,
        "total_months": float(sum(r.phase_duration(p) for p in range(len(r.steps)))),
        "last_month": max((s.end_month for p in r.steps for s in p), default=0.0),
        "objective": round(r.objective, 6),
        "objective_levels": round(r.objective_levels, 6),
        "objective_islands": round(r.objective_islands, 6),
        "greedy_objective": round(r.greedy_objective, 6),
        "unmet_targets": r.unmet_targets(lang),
        "already_in_place": [x.action.id for x in r.in_place],
        "in_place": [{"id": x.action.id, "name": x.action.name(lang), "systems": list(x.systems)}
                     for x in r.in_place],
        "explanations": _explanations(r, lang),
    }


def model_name(model: Any, lang: str = "en") -> str:
    """A model's short name (``report.model.<id>`` in the message catalogue), or its title
    for a user's own model.

    >>> from maturity import load_model
    >>> model_name(load_model("cmmm"))
    'CMMM (GB/T 39116)'
    """
    key = f"report.model.{model.id}"
    return msg(key, lang) if key in catalogue() else model.title(lang)


def _to_text(r: Roadmap, lang: str) -> str:
    d = r.to_dict(lang)
    cur = msg(f"roadmap.currency.{r.currency}", lang)
    lines = [msg("roadmap.text.header", lang, model=model_name(r.model, lang),
                 strategy=d["strategy_name"], phases=len(d["phases"]),
                 total=money(d["total_cost"]), currency=cur,
                 months=f"{d['total_months']:g}")]
    if r.calendar is not None and d["last_month"]:
        lines[0] += msg("roadmap.text.last_month", lang, month=f"{d['last_month']:g}")
    if d.get("total_budget") is not None:
        lines.append(msg("roadmap.text.total_budget", lang, budget=money(d["total_budget"]),
                         currency=cur))
    if r.in_place and any(x.systems for x in r.in_place):
        items = msg("roadmap.sep.list", lang).join(
            msg("roadmap.text.in_place_item", lang, name=x.action.name(lang),
                systems=msg("roadmap.sep.list", lang).join(x.systems))
            for x in r.in_place if x.systems)
        lines.append(msg("roadmap.text.in_place", lang, items=items))
    isl = d["islands_before"]
    carried = 0.0  # money earlier phases left, with carry-forward
    for p in d["phases"]:
        if p["budget"] is None:
            head = msg("roadmap.text.phase_total", lang, phase=p["phase"],
                       cost=money(p["paid"]), currency=cur, months=f"{p['months']:g}")
        elif d["carry_forward"] and carried > 0.5:
            head = msg("roadmap.text.phase_carry", lang, phase=p["phase"], cost=money(p["paid"]),
                       available=money(p["budget"] + carried), budget=money(p["budget"]),
                       carried=money(carried), currency=cur, months=f"{p['months']:g}")
        else:
            head = msg("roadmap.text.phase", lang, phase=p["phase"], cost=money(p["paid"]),
                       budget=money(p["budget"]), currency=cur, months=f"{p['months']:g}")
        if p["budget"] is not None and d["carry_forward"]:
            carried += p["budget"] - p["paid"]
        if p["islands_after"] is not None:
            head += msg("roadmap.text.islands", lang, before=isl, after=p["islands_after"])
            isl = p["islands_after"]
        lines.append(head)
        q = p["phase"] - 1
        going = [(x, x["paid_per_phase"][q]) for e in d["phases"][:q] for x in e["actions"]
                 if len(x.get("paid_per_phase", ())) > q and x["paid_per_phase"][q] > 0.5]
        if not p["actions"] and not going:
            lines.append(msg("roadmap.text.nothing", lang))
        for x, paid in going:
            lines.append(msg("roadmap.text.continuing", lang, name=x["name"],
                             paid=money(paid), currency=cur))
        width = max((columns(x["name"]) for x in p["actions"]), default=0)
        for x in p["actions"]:
            when = ""
            if r.calendar is not None:
                when = msg("roadmap.text.months_range", lang, first=f"{x['start_month'] + 1:g}",
                           last=f"{x['end_month']:g}")
            lines.append(f"  {pad(x['name'], width)}  {money(x['cost']):>11}  {pad(when, 13)} "
                         f"{x['explanation']}")
    for e in d["explanations"]:
        lines.append(f"  ! {e}")
    return "\n".join(lines)


def roadmaps_frame(roadmaps: Sequence[Roadmap] | Mapping[str, Roadmap]) -> pd.DataFrame:
    """One row per roadmap, to compare strategies, budgets or solvers side by side.

    Columns: strategy, solver, actions, total_cost, total_months, objective,
    greedy_objective, islands_after (at the end), levels_gained (sum over the
    dimensions) and unmet_targets (their number). A mapping names the rows.
    """
    items = roadmaps.items() if isinstance(roadmaps, Mapping) else enumerate(roadmaps)
    rows = {}
    for key, r in items:
        final = r.levels_after[-1] if r.levels_after else r.current
        rows[key] = {
            "strategy": r.strategy,
            "solver": r.solver,
            "actions": len(r.actions),
            "total_cost": r.total_cost,
            "total_months": float(sum(r.phase_duration(p) for p in range(len(r.steps)))),
            "objective": round(r.objective, 6),
            "greedy_objective": round(r.greedy_objective, 6),
            "islands_after": (r.landscape_after[-1]["island_count"] if r.landscape_after
                              else None),
            "levels_gained": sum(final[k] - r.current[k] for k in r.current),
            "unmet_targets": len(r.unmet),
        }
    return pd.DataFrame.from_dict(rows, orient="index")
