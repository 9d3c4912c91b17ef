"""The report's parameters besides its input files, defined once: every entry point
(:func:`~maturity.report.check_report_inputs`, :func:`~maturity.report.prepare_report`,
:func:`~maturity.report.execute_report`, :func:`~maturity.report.build_report`) takes them as
keyword arguments, with the same names and defaults, and checks them the same way.

>>> ReportOptions(phases=2).phases, ReportOptions().strategy
(2, 'balanced')
>>> [p.location for p in ReportOptions(lang="fr", phases=0, budget=-1).problems(["a.yaml"])]
['lang', 'phases', 'budget']
>>> [p.message for p in ReportOptions().problems([])]
['give at least one answers file']
>>> ReportOptions(colour="red")
Traceback (most recent call last):
...
TypeError: ReportOptions.__init__() got an unexpected keyword argument 'colour'
"""

from __future__ import annotations

import dataclasses
import inspect
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from maturity.answers import Answers
from maturity.messages import LANGS
from maturity.plan_calendar import max_concurrent_problem, phase_months_problem
from maturity.priorities import load_priority_data
from value_chain.errors import Problem

__all__ = ["ReportOptions", "with_report_options"]

F = TypeVar("F", bound=Callable[..., Any])


@dataclass(frozen=True)
class ReportOptions:
    """What to plan and how to say it.

    ``target``: ``"next"`` level everywhere or a target-profile file; ``budget``: CNY per
    phase (None leaves the roadmap out); ``phases``; ``strategy`` (one of the priority
    strategies); ``lang``: ``en`` or ``zh``; ``generated``: the timestamp shown (None = now);
    ``baseline``: an earlier round's answers (same company and model as one of the answers)
    that adds the section "Progress since <date>".  The roadmap's calendar and money, as in
    :func:`maturity.planner.plan_roadmap`: ``total_budget`` (instead of ``budget``),
    ``phase_months``, ``carry_forward``, ``max_concurrent`` (``"by_size"``, a number or
    None for no cap); ``revenue``: the enterprise's yearly revenue for the business case
    (else the answers' ``enterprise.revenue``, else the case is in relative terms).
    """

    target: Any = "next"
    budget: float | None = None
    phases: int = 3
    strategy: str = "balanced"
    lang: str = "en"
    generated: str | None = None
    baseline: str | Path | Answers | None = None
    total_budget: float | None = None
    phase_months: float = 12.0
    carry_forward: bool = False
    max_concurrent: int | str | None = "by_size"
    revenue: float | None = None

    def problems(self, answers: Sequence[Any]) -> list[Problem]:
        """The problems of the values themselves and of an empty list of answers (no file
        is read)."""
        out = []
        if self.lang not in LANGS:
            out.append(Problem("<report>", "lang", f"{self.lang!r} is not en or zh"))
        if not answers:
            out.append(Problem("<report>", "answers", "give at least one answers file"))
        strategies = load_priority_data().strategies
        if self.strategy not in strategies:
            out.append(Problem("<report>", "strategy", f"{self.strategy!r} is not one of "
                               f"{sorted(strategies)}"))
        if isinstance(self.phases, bool) or not isinstance(self.phases, int) or self.phases < 1:
            out.append(Problem("<report>", "phases", "must be a whole number >= 1"))
        if self.budget is not None and not self.budget > 0:
            out.append(Problem("<report>", "budget", "must be a number > 0"))
        if self.budget is not None and self.total_budget is not None:
            out.append(Problem("<report>", "total_budget",
                               "give either a budget per phase or a total budget, not both"))
        if self.total_budget is not None and not self.total_budget > 0:
            out.append(Problem("<report>", "total_budget", "must be a number > 0"))
        if (why := phase_months_problem(self.phase_months)) is not None:
            out.append(Problem("<report>", "phase_months", why))
        if self.max_concurrent != "by_size" and (
                why := max_concurrent_problem(self.max_concurrent)) is not None:
            out.append(Problem("<report>", "max_concurrent", f"{why}, or 'by_size'"))
        if self.revenue is not None and not self.revenue > 0:
            out.append(Problem("<report>", "revenue", "must be a number > 0"))
        return out

    @property
    def plans(self) -> bool:
        """Whether the report plans a roadmap (a budget per phase or a total is given)."""
        return self.budget is not None or self.total_budget is not None

    @property
    def target_file(self) -> str | Path | None:
        """The target-profile file, or None for ``"next"`` (or a target given as data)."""
        if isinstance(self.target, (str, Path)) and str(self.target) != "next":
            return self.target
        return None


def with_report_options(fn: F) -> F:
    """Show the options among ``fn``'s keyword arguments in its signature (``help``,
    ``inspect``): ``fn`` takes them as ``**options`` and builds a :class:`ReportOptions`."""
    sig = inspect.signature(fn)
    own = [p for p in sig.parameters.values() if p.kind is not p.VAR_KEYWORD]
    fields = [inspect.Parameter(f.name, inspect.Parameter.KEYWORD_ONLY, default=f.default,
                                annotation=f.type) for f in dataclasses.fields(ReportOptions)]
    first = [p for p in own if p.kind is not p.KEYWORD_ONLY]
    rest = [p for p in own if p.kind is p.KEYWORD_ONLY]
    fn.__signature__ = sig.replace(parameters=[*first, *fields, *rest])  # type: ignore[attr-defined]
    return fn
