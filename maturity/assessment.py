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

from maturity.html import render
from maturity.plotting import figure_style, own_fonts, plot_lang

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from maturity.answers import Answers
    from maturity.reference_model import ReferenceModel

__all__ = ["Assessment", "DimensionResult", "assessments_frame"]


@dataclass(frozen=True)
class DimensionResult:
    """Score and level of one dimension; ``answered`` of ``items`` were answered."""

    id: str
    score: float | None
    level: int | None
    answered: int
    items: int
    target: int | None = None

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
                }
                for d in self.dimensions
            ],
            "details": self.details,
        }
        if self.evidence:
            out["evidence"] = self.evidence
        return out

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
        sc = f"{self.score:.2f}" if self.score is not None else "n/a"
        return (
            f"<Assessment {self.model.id} of {self.enterprise_name!r}: score {sc}{lvl}, "
            f"coverage {self.coverage:.0%}>"
        )

    def _repr_html_(self) -> str:
        return render("assessment.html.j2", a=self.to_dict("en"), zh=self.to_dict("zh"))


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
    from maturity.crosswalk import load_crosswalk, place_level

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
