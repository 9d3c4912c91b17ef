"""The consultant's control over a roadmap: actions forced in, locked to a phase, or left out.

:func:`maturity.planner.plan_roadmap` takes ``force=[ids]``, ``lock={id: phase}``
(1-based phases) and ``exclude=[ids]``.  This module checks them against the catalog and
the plan's phases, and, once the catalog is screened, turns them into the solvers'
``Instance.fixed`` ({candidate index: 0-based phase or None}).  Every problem is an
:class:`~value_chain.errors.InputError` that names the action and the reason.

Examples
--------
>>> from maturity.actions import load_catalog
>>> check_control(load_catalog(), ["erp_core"], {"connect_mes_erp": 2}, [], 3)
{'erp_core': None, 'connect_mes_erp': 1}
>>> try:
...     check_control(load_catalog(), ["erp_core"], {}, ["erp_core"], 3)
... except InputError as e:
...     print(e.problems[0].message)
'erp_core' is both required and excluded
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from maturity.actions import ActionCatalog
from value_chain.errors import InputError, Problem

if TYPE_CHECKING:
    from maturity.planner import Screen
    from maturity.planner_solvers import Instance

__all__ = ["check_control", "fixed_actions", "raise_unschedulable"]

_SOURCE = "<roadmap>"

# why a screened-out action cannot be forced, in the plain words of an input error
_WHY = {
    "roadmap.excluded.by_consultant": "it is excluded",
    "roadmap.excluded.size": "it does not apply to {size} enterprises",
    "roadmap.excluded.industry": "it does not apply to {industry} manufacturing",
    "roadmap.excluded.sector": "it does not apply to this sector",
    "roadmap.excluded.over_budget": "it costs {cost:,.0f} {currency}, more than the budget "
                                    "can pay in any phase it could start in",
    "roadmap.excluded.too_long": "it takes {months:g} months, longer than the whole plan "
                                 "({horizon:g} months)",
    "roadmap.excluded.too_late": "it cannot start before month {start:g} and takes "
                                 "{months:g} months, past the plan's {horizon:g} months",
    "roadmap.excluded.needs_actions": "it needs {actions}, which cannot be planned",
    "roadmap.excluded.needs_level": "it needs {dimension} at level {level}, which no "
                                    "plannable action gives",
    "roadmap.excluded.too_deep": "it needs a chain of {depth} steps, more than the {phases} "
                                 "phases",
    "roadmap.excluded.cycle": "it needs a level only its own dependants give ({actions})",
}


def _ids(value: object, name: str, problems: list[Problem]) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str) or not isinstance(value, Sequence):
        problems.append(Problem(_SOURCE, name, f"must be a list of action ids, got {value!r}"))
        return []
    return [str(x) for x in value]


def check_control(catalog: ActionCatalog, force: Sequence[str] | None,
                  lock: Mapping[str, int] | None, exclude: Sequence[str] | None,
                  phases: int) -> dict[str, int | None]:
    """The required actions, {id: 0-based phase, or None for any phase}; raise
    :class:`InputError` listing unknown ids, ids both required and excluded, and phases
    outside ``1..phases``."""
    problems: list[Problem] = []
    known = {a.id for a in catalog.actions}
    forced = _ids(force, "force", problems)
    left_out = _ids(exclude, "exclude", problems)
    lock = dict(lock or {})
    for where, group in (("force", forced), ("exclude", left_out), ("lock", list(lock))):
        for x in group:
            if x not in known:
                problems.append(Problem(_SOURCE, f"{where} {x}",
                                        f"unknown action {x!r} (not in the catalog)"))
    required: dict[str, int | None] = dict.fromkeys(forced)
    for x, p in lock.items():
        if isinstance(p, bool) or not isinstance(p, int) or not 1 <= p <= phases:
            problems.append(Problem(_SOURCE, f"lock {x}",
                                    f"phase {p!r} is outside the plan's phases 1-{phases}"))
        else:
            required[x] = p - 1
    for x in required:
        if x in left_out:
            problems.append(Problem(_SOURCE, f"exclude {x}",
                                    f"{x!r} is both required and excluded"))
    if problems:
        raise InputError(problems)
    return required


def fixed_actions(required: Mapping[str, int | None], screen: Screen, inst: Instance,
                  currency: str) -> dict[int, int | None]:
    """``Instance.fixed`` for the required actions; raise :class:`InputError` for one that
    is already in place, screened out, or locked to a phase before its groundwork is done."""
    problems: list[Problem] = []
    index = {name: i for i, name in enumerate(inst.names)}
    in_place = {x.action.id for x in screen.in_place}
    fixed: dict[int, int | None] = {}
    for x, q in required.items():
        where = f"lock {x}" if q is not None else f"force {x}"
        if x in in_place:
            problems.append(Problem(_SOURCE, where, f"{x!r} is already in place"))
        elif x in screen.excluded:
            why = screen.excluded[x]
            values = {k: (", ".join(v) if isinstance(v, list) else v)
                      for k, v in why.values.items()}
            text = _WHY.get(why.code, "it cannot be scheduled").format(currency=currency,
                                                                        **values)
            problems.append(Problem(_SOURCE, where, f"{x!r} cannot be scheduled: {text}"))
        elif x not in index:
            problems.append(Problem(_SOURCE, where, f"{x!r} does not apply to this enterprise"))
        else:
            depth = screen.depth.get(x, math.inf)
            if q is not None and depth > q + 1:
                problems.append(Problem(
                    _SOURCE, where, f"{x!r} needs {int(depth)} phases (its prerequisites "
                    f"first), so it cannot be in phase {q + 1}"))
            fixed[index[x]] = q
    if problems:
        raise InputError(problems)
    return fixed


def raise_unschedulable(required: Mapping[str, int | None], status: str) -> None:
    """The required actions do not fit together in the phase budgets."""
    names = ", ".join(f"{x} (phase {q + 1})" if q is not None else x
                      for x, q in required.items())
    why = ("no plan holds them all within the phase budgets, with the prerequisites and "
           "levels they need" if status != "work_limit" else
           "no plan holding them all was found within the search limit")
    raise InputError([Problem(_SOURCE, "force", f"{names}: {why}")])
