"""Rounds of one company: what changed between a baseline and a follow-up assessment.

:func:`progress` compares two assessments of one company against one model
(the EU DMA's T0 and T1, a baseline and a follow-up a year later): the change
of score and level overall and per dimension; with the roadmap planned at the
baseline, which of its actions show their effect now (the dimension reached
the level the action was to bring); with both landscapes, the information
islands before and after.

An action's status is ``done`` when every level it was to raise (above the
baseline) is reached in the follow-up, ``partly`` when some are,
``not_yet`` when none is, and ``no_level_effect`` when it raises no level of
this model (a preparing step: the levels cannot tell).

Examples
--------
>>> from maturity import load_model, score
>>> model = load_model("impuls")
>>> before = score(model, {"model": "impuls", "date": "2024-03-01",
...                        "answers": {it.id: 1 for it in model.items}})
>>> after = score(model, {"model": "impuls", "date": "2025-03-01",
...                       "answers": {it.id: 2 for it in model.items}})
>>> p = progress(before, after)
>>> p.score_change, p.level_before, p.level_after
(1.0, 1, 2)
>>> p.dimensions.loc["employees", ["level_before", "level_after", "level_change"]].tolist()
[1, 2, 1]
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

import maturity
from maturity.answers import read_answers
from maturity.collect import answer_paths, company_key
from maturity.consolidate import read_and_consolidate
from maturity.evidence import add_evidence
from maturity.messages import msg
from maturity.reference_model import load_model
from maturity.scoring import score
from value_chain import landscape_metrics, read_landscape
from value_chain.errors import InputError, Problem

if TYPE_CHECKING:
    import networkx as nx

    from maturity.assessment import Assessment

__all__ = ["Progress", "progress"]

STATUSES = ("done", "partly", "not_yet", "no_level_effect")


def _num(x: Any) -> float | None:
    return None if x is None or pd.isna(x) else round(float(x), 6)


@dataclass
class Progress:
    """Baseline and follow-up of one company: made by :func:`progress`.

    ``dimensions`` has one row per dimension (``score_before``, ``score_after``,
    ``score_change``, ``level_before``, ``level_after``, ``level_change``);
    ``actions`` one row per action of the baseline roadmap (``action``,
    ``name`` (bilingual text), ``phase`` 1-based, ``status``, ``levels_planned``,
    ``levels_reached``);
    ``islands_before`` / ``islands_after`` count the information islands.
    """

    before: Assessment
    after: Assessment
    dimensions: pd.DataFrame
    actions: pd.DataFrame
    islands_before: int | None = None
    islands_after: int | None = None

    @property
    def model(self):
        return self.before.model

    @property
    def company(self) -> str:
        return self.after.enterprise_name

    @property
    def date_before(self) -> str | None:
        d = self.before.answers.date
        return d.isoformat() if d else None

    @property
    def date_after(self) -> str | None:
        d = self.after.answers.date
        return d.isoformat() if d else None

    @property
    def score_change(self) -> float | None:
        if self.before.score is None or self.after.score is None:
            return None
        return round(self.after.score - self.before.score, 10)

    @property
    def level_before(self) -> int | None:
        return self.before.level

    @property
    def level_after(self) -> int | None:
        return self.after.level

    def to_frame(self) -> pd.DataFrame:
        return self.dimensions.copy()

    def to_dict(self, lang: str = "en") -> dict[str, Any]:
        """JSON-ready: ``company``, ``model``, ``date_before``, ``date_after``, ``score`` and
        ``level`` (before, after, change), ``dimensions``, ``actions``, ``islands``."""
        m = self.model
        dims = [
            {"id": d, "name": m.dimension(d).name(lang),
             "score_before": _num(r.score_before), "score_after": _num(r.score_after),
             "score_change": _num(r.score_change),
             "level_before": None if pd.isna(r.level_before) else int(r.level_before),
             "level_after": None if pd.isna(r.level_after) else int(r.level_after),
             "level_change": None if pd.isna(r.level_change) else int(r.level_change)}
            for d, r in self.dimensions.iterrows()
        ]
        actions = [
            {"id": r.action, "name": r.name(lang), "phase": int(r.phase), "status": r.status,
             "levels_planned": r.levels_planned, "levels_reached": r.levels_reached}
            for r in self.actions.itertuples()
        ]
        change = None
        if self.level_before is not None and self.level_after is not None:
            change = self.level_after - self.level_before
        return {
            "company": self.company, "model": m.id, "title": m.title(lang),
            "date_before": self.date_before, "date_after": self.date_after,
            "score": {"before": _num(self.before.score), "after": _num(self.after.score),
                      "change": _num(self.score_change)},
            "level": {"before": self.level_before, "after": self.level_after, "change": change},
            "dimensions": dims,
            "actions": actions,
            "islands": {"before": self.islands_before, "after": self.islands_after},
        }

    def to_json(self, lang: str = "en", **kwargs) -> str:
        return json.dumps(self.to_dict(lang), ensure_ascii=False, **kwargs)

    def to_text(self, lang: str = "en") -> str:
        """Plain text: overall and per-dimension change, planned actions, islands."""
        d = self.to_dict(lang)
        na = msg("portfolio.na", lang)

        def sc(x):
            return na if x is None else f"{x:.2f}"

        def ch(x, fmt="+.2f"):
            return "" if x is None else f" ({x:{fmt}})"

        lines = [msg("portfolio.progress_head", lang, company=d["company"], title=d["title"],
                     before=d["date_before"] or na, after=d["date_after"] or na)]
        lv = d["level"]
        lines.append(msg("portfolio.progress_overall", lang,
                         before=sc(d["score"]["before"]), after=sc(d["score"]["after"]),
                         change=ch(d["score"]["change"]),
                         level_before=na if lv["before"] is None else lv["before"],
                         level_after=na if lv["after"] is None else lv["after"]))
        width = max(len(x["name"]) for x in d["dimensions"])
        for x in d["dimensions"]:
            lvl = ""
            if x["level_before"] is not None and x["level_after"] is not None:
                lvl = f"   {x['level_before']} → {x['level_after']}"
            lines.append(f"  {x['name']:<{width}}  {sc(x['score_before'])} → "
                         f"{sc(x['score_after'])}{ch(x['score_change'])}{lvl}")
        if d["actions"]:
            done = sum(a["status"] == "done" for a in d["actions"])
            lines.append(msg("portfolio.actions_head", lang, done=done, n=len(d["actions"])))
            for a in d["actions"]:
                lines.append(msg("portfolio.action_line", lang, name=a["name"], phase=a["phase"],
                                 status=msg(f"portfolio.status.{a['status']}", lang)))
        isl = d["islands"]
        if isl["before"] is not None and isl["after"] is not None:
            lines.append(msg("portfolio.islands_change", lang, before=isl["before"],
                             after=isl["after"]))
        return "\n".join(lines)

    def __repr__(self) -> str:
        return self.to_text("en")


def _check(before: Assessment, after: Assessment, sources: tuple[str, str]) -> None:
    src_b, src_a = sources
    problems = []
    if before.model.id != after.model.id:
        problems.append(Problem(src_a, "model", f"the follow-up is for model {after.model.id}, "
                                f"the baseline {src_b} for {before.model.id}"))
    nb, na = before.answers.enterprise.name, after.answers.enterprise.name
    if nb and na and company_key(nb) != company_key(na):
        problems.append(Problem(src_a, "enterprise.name", f"the follow-up is for {na!r}, the "
                                f"baseline {src_b} for {nb!r}: not the same company"))
    db, da = before.answers.date, after.answers.date
    if db and da and da < db:
        problems.append(Problem(src_a, "date", f"the follow-up is dated {da.isoformat()}, "
                                f"before the baseline {src_b} ({db.isoformat()}): swap them"))
    if problems:
        raise InputError(problems)


def _dimensions(before: Assessment, after: Assessment) -> pd.DataFrame:
    rows = []
    for b in before.dimensions:
        a = after.dimension_result(b.id)
        rows.append({"dimension": b.id, "score_before": b.score, "score_after": a.score,
                     "level_before": b.level, "level_after": a.level})
    frame = pd.DataFrame(rows).set_index("dimension")
    for c in ("score_before", "score_after"):
        frame[c] = frame[c].astype(float)
    for c in ("level_before", "level_after"):
        frame[c] = pd.array(frame[c], dtype="Int64")
    frame["score_change"] = (frame["score_after"] - frame["score_before"]).round(10)
    frame["level_change"] = frame["level_after"] - frame["level_before"]
    return frame[["score_before", "score_after", "score_change", "level_before", "level_after",
                  "level_change"]]


def _actions(roadmap, before: Assessment, after: Assessment) -> pd.DataFrame:
    cols = ["action", "name", "phase", "status", "levels_planned", "levels_reached"]
    if roadmap is None:
        return pd.DataFrame(columns=cols)
    model_id = before.model.id
    lv_before = {d.id: d.level or 0 for d in before.dimensions}
    lv_after = {d.id: d.level or 0 for d in after.dimensions}
    rows = []
    for phase, steps in enumerate(roadmap.steps, start=1):
        for step in steps:
            action = step.action
            planned = {e.dimension: e.level for e in action.effects.levels
                       if e.model == model_id and e.dimension in lv_before
                       and e.level > lv_before[e.dimension]}
            reached = {d: lv for d, lv in planned.items() if lv_after.get(d, 0) >= lv}
            if not planned:
                status = "no_level_effect"
            elif len(reached) == len(planned):
                status = "done"
            else:
                status = "partly" if reached else "not_yet"
            rows.append({"action": action.id, "name": action.name, "phase": phase,
                         "status": status, "levels_planned": planned, "levels_reached": reached})
    return pd.DataFrame(rows, columns=cols)


def progress(before: Assessment, after: Assessment, *, roadmap=None,
             G_before: nx.MultiDiGraph | None = None, G_after: nx.MultiDiGraph | None = None,
             sources: tuple[str, str] | None = None) -> Progress:
    """Compare a company's baseline assessment with its follow-up.

    ``roadmap`` is the :class:`~maturity.roadmap.Roadmap` planned at the
    baseline (its ``steps`` are read); ``G_before`` and ``G_after`` the
    landscapes of the two rounds. ``sources`` names the two inputs in messages
    (default: the answers' files). Raises one
    :class:`~value_chain.errors.InputError` naming both when the rounds are of
    other models or companies, or the follow-up is dated before the baseline.
    """
    sources = sources or (before.answers.source, after.answers.source)
    _check(before, after, sources)
    islands = [None if G is None else int(landscape_metrics(G)["island_count"])
               for G in (G_before, G_after)]
    return Progress(before, after, _dimensions(before, after),
                    _actions(roadmap, before, after), islands[0], islands[1])


def read_round(path: str, rule: str = "median") -> Assessment:
    """One round from a path: an answers file, or a folder of several respondents' files of
    one company and model (consolidated by ``rule``)."""
    if Path(path).is_dir():
        files = [str(p) for p in answer_paths(path)]
        if not files:
            raise InputError([Problem(str(path), "", "no answers file in this folder")])
        return read_and_consolidate(files, rule).assessment
    answers = read_answers(path)
    return score(load_model(answers.model, source=str(path), where="model"), answers)


def progress_from_files(baseline: str, followup: str, *, landscape_before: str | None = None,
                        landscape_after: str | None = None, budget: float | None = None,
                        phases: int = 3, strategy: str = "balanced",
                        rule: str = "median") -> Progress:
    """:func:`progress` from files (``maturity progress``): each round an answers file or a
    folder of respondents' files; the baseline roadmap is planned when ``landscape_before``
    and ``budget`` are given."""
    before, after = read_round(baseline, rule), read_round(followup, rule)
    G_before = read_landscape(landscape_before) if landscape_before else None
    G_after = read_landscape(landscape_after) if landscape_after else None
    _check(before, after, (str(baseline), str(followup)))
    roadmap = None
    if G_before is not None and budget is not None:
        roadmap = maturity.plan_roadmap(add_evidence(before, G_before), G_before,
                                        budget_per_phase=budget, phases=phases,
                                        strategy=strategy)
    return progress(before, after, roadmap=roadmap, G_before=G_before, G_after=G_after,
                    sources=(str(baseline), str(followup)))
