"""The calendar of a roadmap: phases of so many months, the money each phase may spend,
whether unspent money carries forward, and how many projects may run at once.

A phase is the period in which projects start and are funded: an action starts when a
phase starts, runs for its ``duration_months`` (across later phases when it is longer) and
is paid evenly over those months; it must be done by the end of the last phase.  Money is
given per phase, or as one total for the whole plan (then any phase may spend what
earlier phases left).  The cap on projects running at once is the catalog's figure for
the enterprise's size (``max_concurrent`` in ``maturity/actions.yaml``, with its basis)
unless the consultant gives one.

Examples
--------
>>> cal = plan_calendar(budget_per_phase=1_000_000, phases=3, phase_months=6)
>>> cal.starts, cal.horizon, cal.budgets
((0.0, 6.0, 12.0), 18.0, (1000000.0, 1000000.0, 1000000.0))
>>> total = plan_calendar(total_budget=3_000_000, phases=3)
>>> total.budgets, total.carry_forward, total.phase_months
((3000000.0, 0.0, 0.0), True, (12.0, 12.0, 12.0))
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from value_chain.errors import InputError, Problem

__all__ = ["DEFAULT_PHASE_MONTHS", "PlanCalendar", "max_concurrent_problem", "phase_months_problem",
           "plan_calendar"]

# a phase is a budget year unless the consultant says otherwise
DEFAULT_PHASE_MONTHS = 12.0


@dataclass(frozen=True)
class PlanCalendar:
    """Phase lengths and money of a plan (see the module docstring)."""

    phase_months: tuple[float, ...]
    budgets: tuple[float, ...]
    carry_forward: bool = False
    total_budget: float | None = None
    max_concurrent: int | None = None

    @property
    def starts(self) -> tuple[float, ...]:
        """Month at which each phase starts (0 for the first)."""
        return tuple(float(sum(self.phase_months[:p])) for p in range(len(self.phase_months)))

    @property
    def horizon(self) -> float:
        """Months of the whole plan."""
        return float(sum(self.phase_months))


def phase_months_problem(months: Any) -> str | None:
    """Why a phase length is not one (None when it is): 1 to 120 months.

    >>> phase_months_problem(6), phase_months_problem(0)
    (None, 'a phase lasts from 1 to 120 months')
    """
    if not _number(months) or not math.isfinite(months) or not 1 <= months <= 120:
        return "a phase lasts from 1 to 120 months"
    return None


def max_concurrent_problem(cap: Any) -> str | None:
    """Why a cap on projects at once is not one (None when it is): None (no cap) or a
    whole number >= 1."""
    if cap is None or (isinstance(cap, (int, np.integer)) and not isinstance(cap, bool)
                       and cap >= 1):
        return None
    return f"must be a whole number >= 1 or None (no cap), got {cap!r}"


def _number(x) -> bool:
    return not isinstance(x, bool) and isinstance(x, (int, float, np.number))


def plan_calendar(*, phases: int, budget_per_phase: float | Sequence[float] | None = None,
                  total_budget: float | None = None,
                  phase_months: float | Sequence[float] = DEFAULT_PHASE_MONTHS,
                  carry_forward: bool = False, max_concurrent: int | None = None,
                  where: str = "<roadmap>") -> PlanCalendar:
    """Check the calendar inputs of a plan, listing every problem at once.

    Exactly one of ``budget_per_phase`` (one number for every phase, or one per phase)
    and ``total_budget`` is given; a total budget is spent in any phase (it carries
    forward).  ``phase_months``: one length for every phase or one per phase.
    ``max_concurrent``: None for no cap, else a whole number >= 1.

    >>> plan_calendar(phases=2, budget_per_phase=[1, 2], total_budget=3)
    Traceback (most recent call last):
    ...
    value_chain.errors.InputError: 1 problem in <roadmap>:
      - budget: give either a budget per phase or a total budget, not both
    """
    problems: list[Problem] = []

    def bad(field: str, text: str) -> None:
        problems.append(Problem(where, field, text))

    if isinstance(phases, bool) or not isinstance(phases, (int, np.integer)) or phases < 1:
        bad("phases", f"must be a whole number >= 1, got {phases!r}")
        phases = 1
    P = int(phases)

    def per_phase(value, field: str) -> list[float]:
        if _number(value):
            return [float(value)] * P
        if isinstance(value, Sequence) and not isinstance(value, str):
            out = []
            for b in value:
                if not _number(b):
                    bad(field, f"{b!r} is not a number")
                else:
                    out.append(float(b))
            if len(value) != P:
                bad(field, f"gives {len(value)} values for {P} phases")
            return out
        bad(field, f"must be a number or a list of numbers, got {value!r}")
        return []

    total = None
    if budget_per_phase is not None and total_budget is not None:
        bad("budget", "give either a budget per phase or a total budget, not both")
        budgets: list[float] = []
    elif total_budget is not None:
        if not _number(total_budget) or not math.isfinite(total_budget) or total_budget < 0:
            bad("total_budget", f"must be a finite number >= 0, got {total_budget!r}")
            budgets = []
        else:
            total = float(total_budget)
            budgets = [total] + [0.0] * (P - 1)
    elif budget_per_phase is not None:
        budgets = per_phase(budget_per_phase, "budget_per_phase")
        if any(not math.isfinite(b) or b < 0 for b in budgets):
            bad("budget_per_phase", "budgets must be finite and >= 0")
    else:
        bad("budget", "give a budget per phase or a total budget")
        budgets = []
    months = per_phase(phase_months, "phase_months")
    for why in dict.fromkeys(filter(None, map(phase_months_problem, months))):
        bad("phase_months", why)
    if (why := max_concurrent_problem(max_concurrent)) is not None:
        bad("max_concurrent", why)
    if not isinstance(carry_forward, bool):
        bad("carry_forward", f"must be True or False, got {carry_forward!r}")
    if problems:
        raise InputError(problems)
    return PlanCalendar(tuple(months), tuple(budgets), bool(carry_forward or total is not None),
                        total, None if max_concurrent is None else int(max_concurrent))
