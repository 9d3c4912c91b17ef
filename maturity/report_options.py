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
    that adds the section "Progress since <date>".
    """

    target: Any = "next"
    budget: float | None = None
    phases: int = 3
    strategy: str = "balanced"
    lang: str = "en"
    generated: str | None = None
    baseline: str | Path | Answers | None = None

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
        return out

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
