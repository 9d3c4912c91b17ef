"""The result of scoring one enterprise against one reference model.

:class:`Assessment` holds the overall score and level, one
:class:`DimensionResult` per dimension, the coverage of the answers, and
rule-specific details (the CMMM level scores, the IMPULS class). It shows
itself as a table (``to_frame``), as JSON (``to_dict``), as a bar profile
(``plot_profile``) and in notebooks (``_repr_html_``, escaped).

Examples
--------
>>> from maturity import load_model, score
>>> model = load_model("impuls")
>>> a = score(model, {it.id: 2 for it in model.items})
>>> a.level, a.level_name("en"), a.details["class"]
(2, 'Intermediate', 'learner')
>>> a.to_dict()["dimensions"][0]["id"]
'strategy_organization'
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pandas as pd

from maturity.answers import migration_notes
from maturity.crosswalk import load_crosswalk, place_level
from maturity.html import render
from maturity.messages import columns, msg, pad
from maturity.plotting import figure_style, own_fonts, plot_lang

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from maturity.answers import Answers
    from maturity.reference_model import ReferenceModel

__all__ = ["Assessment", "DimensionResult", "assessments_frame"]


@dataclass(frozen=True)
class DimensionResult:
    """Score and level of one dimension; ``answered`` of ``items`` were answered.

    ``score``/``level`` count every blank at its worst answer; ``level_range`` and
    ``score_range`` give (worst, best) and ``provisional`` says they differ.
    ``not_applicable`` items were answered "not applicable" (or the industry type
    leaves them out) and ``coverage`` is the share of the other items answered.
    ``blocked_at`` is the level whose unmet or blank requirements keep the
    dimension below a higher level that is met (the gating rule).
    """

    id: str
    score: float | None
    level: int | None
    answered: int
    items: int
    target: int | None = None
    coverage: float | None = None
    provisional: bool = False
    level_range: tuple[int | None, int | None] | None = None
    score_range: tuple[float | None, float | None] | None = None
    not_applicable: int = 0
    blocked_at: int | None = None

    @property
    def reason(self) -> str | None:
        """Code of why the level is what it is, where that needs saying: ``gated``,
        ``not_applicable`` (every item left out) or None."""
        if self.blocked_at is not None:
            return "gated"
        if self.items and self.not_applicable == self.items:
            return "not_applicable"
        return None

    @property
    def gap(self) -> int | None:
        """Target level minus current level (None without a target)."""
        if self.target is None:
            return None
        return self.target - (self.level or 0)


@dataclass
class Assessment:
    """One enterprise scored against one model. Made by :func:`maturity.score`."""

    model: ReferenceModel
    answers: Answers
    score: float | None
    level: int | None
    coverage: float
    dimensions: list[DimensionResult]
    details: dict[str, Any] = field(default_factory=dict)
    evidence: list[dict[str, Any]] = field(default_factory=list)
    provisional: bool = False
    level_range: tuple[int | None, int | None] | None = None
    score_range: tuple[float | None, float | None] | None = None
    blocked_at: int | None = None
    variant: str | None = None

    @property
    def reason(self) -> str | None:
        """``gated`` where a lower level's unmet (or blank) requirements hold the level down."""
        return "gated" if self.blocked_at is not None else None

    # ---- lookups ------------------------------------------------------------
    def dimension_result(self, dim_id: str) -> DimensionResult:
        for d in self.dimensions:
            if d.id == dim_id:
                return d
        raise KeyError(dim_id)

    def level_name(self, lang: str = "en") -> str | None:
        return self.model.level_name(self.level, lang) if self.level is not None else None

    @property
    def enterprise_name(self) -> str:
        return self.answers.enterprise.name or "?"

    # ---- views --------------------------------------------------------------
    def to_dict(self, lang: str = "en") -> dict[str, Any]:
        """JSON-ready result: ``model``, ``score``, ``level``, ``dimensions``, ``coverage``...

        ``dimensions`` holds ``{"id", "name", "score", "level"}`` per dimension
        (plus its group, level name, answered/items counts, target and gap).
        ``level`` is None where the model has no overall level (SIRI).
        """
        m = self.model
        out: dict[str, Any] = {
            "model": m.id,
            "version": m.version,
            "title": m.title(lang),
            "enterprise": self.answers.enterprise.model_dump(exclude_none=True),
            "score": _clean(self.score),
            "level": self.level,
            "level_name": self.level_name(lang),
            "coverage": round(self.coverage, 6),
            "provisional": self.provisional,
            "level_range": _pair(self.level_range),
            "score_range": _pair(self.score_range),
            "reason": self.reason,
            "blocked_at": self.blocked_at,
            "variant": self.variant,
            "rules_version": m.rules_version(lang) if m.rules_version else None,
            "views": [
                {"id": v.id, "name": v.name(lang), **self.details["views"][v.id],
                 "level_name": m.level_name(self.details["views"][v.id]["level"], lang)}
                for v in getattr(m.rules, "views", [])
            ] if "views" in self.details else [],
            "weights_source": getattr(m.rules_for(self.variant), "weights_source", None),
            "not_applicable": {
                k: self.answers.comments.get(k) for k, v in self.answers.answers.items()
                if v == "not_applicable"
            },
            "dont_know": sorted(k for k, v in self.answers.answers.items() if v == "dont_know"),
            # old ids of items split since the answers file was written, read as the new items
            "migrated": [{"old": old, "new": new, "note": note} for (old, new), note in zip(
                self.answers.migrated.items(), migration_notes(self.answers, lang), strict=True)],
            "dimensions": [
                {
                    "id": d.id,
                    "name": m.dimension(d.id).name(lang),
                    "group": _group_name(m, d.id, lang),
                    "score": _clean(d.score),
                    "level": d.level,
                    "level_name": m.dimension_level_name(d.id, d.level, lang),
                    "answered": d.answered,
                    "items": d.items,
                    "target": d.target,
                    "gap": d.gap,
                    "coverage": _clean(d.coverage),
                    "provisional": d.provisional,
                    "level_range": _pair(d.level_range),
                    "score_range": _pair(d.score_range),
                    "not_applicable": d.not_applicable,
                    "reason": d.reason,
                    "blocked_at": d.blocked_at,
                    "reason_text": (msg("scoring.gated", lang, blocked=d.blocked_at)
                                    if d.blocked_at is not None else None),
                }
                for d in self.dimensions
            ],
            "details": self.details,
        }
        if self.evidence:
            out["evidence"] = self.evidence
        return out

    def to_text(self, lang: str = "en") -> str:
        """Plain-text summary, one line per dimension, in ``lang`` (``en`` or ``zh``).

        A provisional result says so with its range, a gated dimension says why.
        """
        return _text(self, lang)

    def to_json(self, lang: str = "en", **kwargs) -> str:
        return json.dumps(self.to_dict(lang), ensure_ascii=False, **kwargs)

    def to_frame(self, lang: str = "en") -> pd.DataFrame:
        """One row per dimension: name, group, score, level, level name, answered, target, gap."""
        rows = self.to_dict(lang)["dimensions"]
        frame = pd.DataFrame(rows).set_index("id")
        frame.insert(0, "model", self.model.id)
        return frame

    def plot_profile(self, ax: Axes | None = None, *, lang: str = "en") -> Axes:
        """Horizontal bars of the dimension scores (targets as markers); returns the axes."""
        import seaborn as sns
        from matplotlib import pyplot as plt

        lang = plot_lang(lang)
        frame = self.to_frame(lang).reset_index()
        frame["score"] = frame["score"].astype(float)
        with figure_style(lang):
            if ax is None:
                _, ax = plt.subplots(figsize=(7, 0.35 * len(frame) + 1.2))
            sns.barplot(data=frame, y="name", x="score", color="#4C72B0", ax=ax, orient="h")
            targets = frame.dropna(subset=["target"])
            if not targets.empty:
                ax.scatter(targets["target"].astype(float), targets["name"], marker="|", s=300,
                           color="#C44E52", label="target" if lang == "en" else "目标", zorder=3)
                ax.legend(loc="lower right")
            top = max(lv.value for lv in self.model.levels)
            ax.set_xlim(0, 100 if self.model.rules.method == "percent" else top)
            ax.set_ylabel("")
            ax.set_xlabel(self.model.level_label(lang) if self.model.rules.method != "percent"
                          else "score (0-100)")
            title = self.model.title(lang)
            if self.score is not None:
                title += f" — {self.score:.2f}"
            ax.set_title(title, fontsize=10)
            own_fonts(ax)
        return ax

    def __repr__(self) -> str:
        lvl = f", level {self.level} ({self.level_name()})" if self.level is not None else ""
        if self.provisional and self.level_range is not None:
            lvl += f", provisional {self.level_range[0]}-{self.level_range[1]}"
        sc = f"{self.score:.2f}" if self.score is not None else "n/a"
        return (
            f"<Assessment {self.model.id} of {self.enterprise_name!r}: score {sc}{lvl}, "
            f"coverage {self.coverage:.0%}>"
        )

    def _repr_html_(self) -> str:
        return render("assessment.html.j2", a=self.to_dict("en"), zh=self.to_dict("zh"))


def _text(a: Assessment, lang: str) -> str:
    d = a.to_dict(lang)
    none = msg("scoring.no_score", lang)
    label = a.model.level_label(lang)
    cov = f"{d['coverage']:.0%}"
    score = none if d["score"] is None else f"{d['score']:.2f}"
    level = ""
    if d["level"] is not None:
        name = d["level_name"] or ""
        if a.provisional and a.level_range is not None:
            low, high = a.level_range
            level = msg("scoring.level_provisional", lang, label=label, level=d["level"],
                        name=name, low=low, high=high, coverage=cov)
        else:
            level = msg("scoring.level", lang, label=label, level=d["level"], name=name)
    name = d["enterprise"].get("name")
    lines = [msg("scoring.summary" if name else "scoring.summary_unnamed", lang,
                 title=d["title"], name=name, score=score, level=level, coverage=cov)]
    if a.provisional and a.score_range is not None and None not in a.score_range:
        lines.append(msg("scoring.provisional_note", lang, score_low=f"{a.score_range[0]:.2f}",
                         score_high=f"{a.score_range[1]:.2f}"))
    if a.blocked_at is not None:
        lines.append("  " + msg("scoring.gated", lang, blocked=a.blocked_at))
    if a.variant is not None:
        variant = next(v for v in a.model.variants if v.id == a.variant)
        lines.append(msg("scoring.variant", lang, name=variant.name(lang)))
    elif d["rules_version"]:
        lines.append(msg("scoring.rules_version", lang, text=d["rules_version"]))
    for v in d["views"]:
        sc = none if v["score"] is None else f"{v['score']:.2f}"
        lines.append(msg("scoring.view", lang, name=v["name"], score=sc, label=label,
                         level=_or(v["level"], none), level_name=v["level_name"] or ""))
    lines += [f"  {m['note']}" for m in d["migrated"]]
    na, dk = len(d["not_applicable"]), len(d["dont_know"])
    if na or dk:
        lines.append(msg("scoring.special_counts", lang, na=na, dk=dk))
    width = max(columns(x["name"]) for x in d["dimensions"])
    for x, r in zip(d["dimensions"], a.dimensions, strict=True):
        sc = f"{none:>5}" if x["score"] is None else f"{x['score']:5.2f}"
        lv = "" if x["level"] is None else f"  {x['level']} {x['level_name'] or ''}".rstrip()
        if r.reason == "not_applicable":
            lv = "  " + msg("scoring.not_applicable_dimension", lang)
        elif r.provisional and r.level_range is not None:
            lv += msg("scoring.dimension_provisional", lang, low=_or(r.level_range[0], none),
                      high=_or(r.level_range[1], none), coverage=f"{r.coverage or 0:.0%}")
        lines.append(f"  {pad(x['name'], width)}  {sc}{lv}")
        if r.blocked_at is not None:
            lines.append("      " + msg("scoring.gated", lang, blocked=r.blocked_at))
    for e in d.get("evidence", []):
        if e.get("flag"):
            lines.append(f"  ! {e['message']}")
    return "\n".join(lines)


def _or(value: Any, default: str) -> Any:
    return default if value is None else value


def _pair(pair: tuple | None) -> list | None:
    return None if pair is None else [_clean(v) if isinstance(v, float) else v for v in pair]


def _clean(v: float | None) -> float | None:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return None
    return round(float(v), 6)


def _group_name(model: ReferenceModel, dim_id: str, lang: str) -> str | None:
    anc = model.ancestors(dim_id)
    return anc[0].name(lang) if anc else None


def assessments_frame(assessments, lang: str = "en") -> pd.DataFrame:
    """One row per assessment: model, score, level and its CMMM equivalent (crosswalk).

    ``cmmm_equivalent`` is the range of CMMM levels the overall level maps to
    (our reading, see :mod:`maturity.crosswalk`); empty where the model is not
    on the crosswalk or has no overall level.
    """
    known = load_crosswalk().models()
    rows = []
    for a in assessments:
        m = a.model
        equivalent = None
        if a.level is not None and m.id in known:
            low, high = place_level(a.level, m.id, "cmmm")
            equivalent = f"{low}" if low == high else f"{low}-{high}"
        rows.append({
            "model": m.id,
            "title": m.title(lang),
            "score": a.score,
            "level": a.level,
            "level_name": a.level_name(lang),
            "coverage": a.coverage,
            "cmmm_equivalent": equivalent,
            "flags": sum(1 for e in a.evidence if e.get("flag")),
        })
    return pd.DataFrame(rows).set_index("model")
