"""The report's "progress since <date>" section: a baseline round against this one.

The numbers come from :func:`maturity.progress.progress`; this module only puts them
into rows and words of the report's language.

Examples
--------
>>> from maturity import load_model, score
>>> from maturity.progress import progress
>>> model = load_model("impuls")
>>> before = score(model, {"model": "impuls", "date": "2024-03-01",
...                        "answers": {it.id: 1 for it in model.items}})
>>> after = score(model, {"model": "impuls", "date": "2025-03-01",
...                       "answers": {it.id: 2 for it in model.items}})
>>> rows = progress_rows(progress(before, after), "en")
>>> rows[0]["level_before"], rows[0]["level_after"], rows[0]["level_change"]
('1', '2', '+1')
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from maturity.answers import Answers, read_answers
from maturity.messages import msg
from maturity.progress import progress
from maturity.reference_model import load_model
from maturity.scoring import score
from value_chain.errors import InputError, Problem

if TYPE_CHECKING:
    from pathlib import Path

    from maturity.assessment import Assessment
    from maturity.progress import Progress

__all__ = ["baseline_progress", "progress_heading", "progress_rows"]

_NONE = "–"


def _level(x: int | None) -> str:
    return _NONE if x is None else str(x)


def _change(x: float | None, digits: int) -> str:
    if x is None:
        return _NONE
    text = f"{x:+.{digits}f}"
    return "0" if float(text) == 0 else text


def _score(x: float | None) -> str:
    return _NONE if x is None else f"{x:.2f}"


def baseline_progress(baseline: str | Path | Answers,
                      assessments: list[Assessment]) -> Progress:
    """The progress from ``baseline`` (an earlier round's answers) to the assessment of
    the same model among ``assessments``; an :class:`InputError` naming the baseline
    file when none is of its model, or it is another company or a later date."""
    before_answers = baseline if isinstance(baseline, Answers) else read_answers(baseline)
    after = next((a for a in assessments if a.model.id == before_answers.model), None)
    if after is None:
        raise InputError([Problem(str(before_answers.source or baseline), "model",
                                  f"the baseline is for model {before_answers.model}, and no "
                                  f"answers file of this report is")])
    before = score(load_model(before_answers.model), before_answers)
    return progress(before, after, sources=(str(before_answers.source or baseline),
                                            str(after.answers.source)))


def progress_heading(p: Progress, lang: str) -> str:
    """"Progress since 2024-03-01" (or since the previous assessment when undated)."""
    if p.date_before:
        return msg("report.progress", lang, date=p.date_before)
    return msg("report.progress_undated", lang)


def progress_overall(p: Progress, lang: str, model: str) -> str:
    """One sentence on the overall score and level, before and now."""
    d = p.to_dict(lang)
    return msg("report.progress_overall", lang, model=model,
               score_before=_score(d["score"]["before"]), score_after=_score(d["score"]["after"]),
               score_change=_change(d["score"]["change"], 2),
               level_before=_level(d["level"]["before"]), level_after=_level(d["level"]["after"]))


def progress_rows(p: Progress, lang: str) -> list[dict[str, Any]]:
    """One row per dimension: name, level before/now/change, score before/now/change
    (texts; "–" where a round has no value)."""
    return [{"name": x["name"], "level_before": _level(x["level_before"]),
             "level_after": _level(x["level_after"]),
             "level_change": _change(x["level_change"], 0),
             "score_before": _score(x["score_before"]), "score_after": _score(x["score_after"]),
             "score_change": _change(x["score_change"], 2)}
            for x in p.to_dict(lang)["dimensions"]]
