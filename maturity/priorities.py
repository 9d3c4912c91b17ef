"""Maturity gaps and their priorities: where to go, and what matters most on the way.

The *current* level of a dimension is the assessed one, except where the
landscape evidence flags it (:func:`maturity.add_evidence`): then the level the
landscape supports counts. A *target* is given per dimension (a dict), as
``"next"`` (the next level everywhere) or as a target-profile file
(YAML/JSON ``{model: id, targets: {dimension: level}}``).

Priorities follow the idea of the SIRI Prioritisation Matrix: the size of the
gap times the importance of the KPIs the company chooses times the weight of
its cost categories. A dimension's KPI impact comes from the action catalog
(the mean ``|change_pct|`` of the KPI effects of the actions that raise it);
KPIs are mapped to cost categories (labour, material, energy, maintenance,
quality, logistics) by a small matrix kept as data in ``priorities.yaml``
(our reading).

Examples
--------
>>> from maturity import load_model, score
>>> model = load_model("cmmm")
>>> a = score(model, {it.id: "fully" for it in model.items if ".L1." in it.id})
>>> table = gap_table(a, {"integration": 3})
>>> table.loc["integration", ["current", "target", "gap"]].tolist()
[1, 3, 2]
>>> int(table["gap"].sum())
2
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import pandas as pd
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from maturity.actions import ActionCatalog, load_catalog
from maturity.reference_model import Text
from value_chain.errors import InputError, Problem, problems_from_validation
from value_chain.safe_io import read_mapping
from value_chain.vocabulary import FOCUSES, KPIS  # stated once, re-exported here

if TYPE_CHECKING:
    from maturity.assessment import Assessment

__all__ = [
    "FOCUSES",
    "KPIS",
    "PriorityData",
    "current_levels",
    "gap_table",
    "load_priority_data",
    "priorities",
    "read_target",
    "resolve_target",
]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Strategy(_Frozen):
    """A transformation strategy: weights on the focus of the actions, and the path it
    leads with (dimensions per model, weighted by ``path_weight`` and, with the target
    ``"next"``, aimed ``ambition`` levels further)."""

    name: Text
    description: Text
    focus: dict[Literal[FOCUSES], float]
    path: dict[str, list[str]] = {}
    path_weight: float = Field(default=1.0, gt=0)
    ambition: int = Field(default=0, ge=0, le=2)


class PriorityData(_Frozen):
    """The contents of ``priorities.yaml``."""

    version: str
    notes: Text
    cost_categories: list[str] = Field(min_length=1)
    kpi_cost: dict[Literal[KPIS], dict[str, float]]
    island_value: float = Field(ge=0)
    yearly_discount: float = Field(ge=0, lt=1)
    strategies: dict[str, Strategy]


class TargetProfile(_Frozen):
    """A target-profile file: the model and a target level per dimension."""

    model: str
    targets: dict[str, int]


@cache
def load_priority_data() -> PriorityData:
    """The bundled KPI-to-cost matrix, strategies and planner weights (``priorities.yaml``).

    >>> sorted(load_priority_data().strategies)
    ['balanced', 'business_model_first', 'product_first', 'production_first']
    """
    text = (resources.files("maturity") / "priorities.yaml").read_text(encoding="utf-8")
    try:
        data = PriorityData.model_validate(yaml.safe_load(text))
    except ValidationError as exc:
        raise InputError(problems_from_validation(exc, "maturity/priorities.yaml")) from None
    return data


# ---- current levels and targets ---------------------------------------------------


def current_levels(assessment: Assessment) -> dict[str, int]:
    """Current level per dimension: the assessed one, or the supported one where flagged.

    Unanswered dimensions count at the model's lowest level.
    """
    low = min(lv.value for lv in assessment.model.levels)
    supported = {e["dimension"]: e["supported"] for e in assessment.evidence
                 if e.get("flag") and e.get("dimension")}
    out = {}
    for d in assessment.dimensions:
        level = d.level if d.level is not None else low
        if d.id in supported:
            level = min(level, int(supported[d.id]))
        out[d.id] = int(level)
    return out


def read_target(path: str | Path) -> TargetProfile:
    """Read a target-profile file (YAML or JSON: ``{model: id, targets: {dim: level}}``)."""
    data, node = read_mapping(path)
    try:
        return TargetProfile.model_validate(data)
    except ValidationError as exc:
        raise InputError(problems_from_validation(exc, str(path), node=node)) from None


def resolve_target(assessment: Assessment, target: Any = "next") -> dict[str, int]:
    """Target level per dimension of the assessment's model.

    ``target`` is ``"next"`` (one level up everywhere, capped at the top
    level), a dict ``{dimension: level}`` (dimensions left out keep their
    current level), a path to a target-profile file, or None (the targets
    given with the answers; ``"next"`` where there are none). A bad target
    raises :class:`~value_chain.errors.InputError` naming the source and field.

    >>> from maturity import load_model, score
    >>> a = score(load_model("siri"), {"vertical_integration": 2})
    >>> resolve_target(a, "next")["vertical_integration"]
    3
    """
    model = assessment.model
    current = current_levels(assessment)
    levels = sorted(lv.value for lv in model.levels)
    top = levels[-1]
    source = "<target>"
    if target is None:
        given = {d.id: d.target for d in assessment.dimensions if d.target is not None}
        if not given:
            return {d: min(c + 1, top) for d, c in current.items()}
        target = given
    if isinstance(target, str) and target == "next":
        return {d: min(c + 1, top) for d, c in current.items()}
    if isinstance(target, (str, Path)):
        source = str(target)
        profile = read_target(target)
        if profile.model != model.id:
            raise InputError([Problem(source, "model", f"the profile is for {profile.model!r}, "
                                      f"the assessment for {model.id!r}")])
        target = profile.targets
    if not isinstance(target, Mapping):
        raise InputError([Problem(source, "", 'give "next", a dict {dimension: level} or a '
                                  "target-profile file")])
    problems = []
    for dim, level in target.items():
        if dim not in current:
            problems.append(Problem(source, f"targets.{dim}",
                                    f"{dim!r} is not a dimension of {model.id}"))
        elif isinstance(level, bool) or not isinstance(level, int) or level not in levels:
            problems.append(Problem(source, f"targets.{dim}",
                                    f"level must be one of {levels}, got {level!r}"))
    if problems:
        raise InputError(problems)
    return {d: max(c, int(target.get(d, c))) for d, c in current.items()}


def gap_table(assessment: Assessment, target: Any = "next", lang: str = "en") -> pd.DataFrame:
    """One row per dimension: name, claimed and current level, target and gap.

    ``current`` is the level the landscape supports where the evidence flags
    the claim (see :func:`current_levels`); ``gap = target - current`` (>= 0).
    """
    current = current_levels(assessment)
    goal = resolve_target(assessment, target)
    m = assessment.model
    rows = [{
        "dimension": d.id,
        "name": m.dimension(d.id).name(lang),
        "claimed": d.level,
        "current": current[d.id],
        "target": goal[d.id],
        "gap": goal[d.id] - current[d.id],
    } for d in assessment.dimensions]
    return pd.DataFrame(rows).set_index("dimension")


# ---- priorities -------------------------------------------------------------------


def _check_weights(given: Mapping[str, float] | None, known: tuple[str, ...] | list[str],
                   field: str) -> dict[str, float]:
    if given is None:
        return {k: 1.0 for k in known}
    problems = [Problem("<priorities>", f"{field}.{k}", f"unknown key; use {list(known)}")
                for k in given if k not in known]
    problems += [Problem("<priorities>", f"{field}.{k}", "must be a number >= 0")
                 for k, v in given.items() if k in known and (
                     isinstance(v, bool) or not isinstance(v, (int, float)) or not v >= 0)]
    if not problems and not any(v > 0 for v in given.values()):
        problems.append(Problem("<priorities>", field, "at least one weight must be > 0"))
    if problems:
        raise InputError(problems)
    return {k: float(given.get(k, 0.0)) for k in known}


def kpi_cost_weights(cost_profile: Mapping[str, float] | None = None) -> dict[str, float]:
    """Weight of each KPI from the company's cost shares (1.0 for every KPI by default).

    ``cost_profile`` gives the share (any scale) of each cost category; a
    KPI's weight is the cost-share-weighted sum of its row of the KPI-to-cost
    matrix, times the number of categories (so equal shares give 1).

    >>> kpi_cost_weights()["energy"]
    1.0
    >>> kpi_cost_weights({"energy": 1})["energy"] > kpi_cost_weights({"energy": 1})["oee"]
    True
    """
    data = load_priority_data()
    cats = data.cost_categories
    shares = _check_weights(cost_profile, cats, "cost_profile")
    total = sum(shares.values())
    shares = {k: v / total for k, v in shares.items()}
    return {kpi: sum(row.get(c, 0.0) * shares[c] for c in cats) * len(cats)
            for kpi, row in data.kpi_cost.items()}


def priorities(
    assessment: Assessment,
    target: Any = "next",
    *,
    kpi_importance: Mapping[str, float] | None = None,
    cost_profile: Mapping[str, float] | None = None,
    catalog: ActionCatalog | None = None,
    lang: str = "en",
) -> pd.DataFrame:
    """Priority of closing each dimension's gap: gap x KPI weight x cost weight.

    Parameters
    ----------
    assessment
        The scored enterprise (with landscape evidence if available).
    target
        ``"next"``, a dict ``{dimension: level}`` or a target-profile file.
    kpi_importance
        Importance of each KPI (oee, downtime, lead_time, inventory,
        first_pass_yield, energy), any scale; equal by default.
    cost_profile
        Shares of the cost categories (labour, material, energy, maintenance,
        quality, logistics), any scale; equal by default.
    catalog
        The action catalog the KPI impacts come from (the bundled one by default).

    Returns
    -------
    pandas.DataFrame
        One row per dimension: ``name``, ``current``, ``target``, ``gap``,
        ``kpi_weight`` (the importance-weighted mean ``|change_pct|`` of the KPI
        effects of the actions raising the dimension, divided by its mean over
        the dimensions that have one; 1.0 where no action gives a KPI figure),
        ``cost_weight`` (the same mean of the KPIs' cost weights, see
        :func:`kpi_cost_weights`), ``priority`` (their product; 0 without a
        gap) and ``rank`` (1 = highest priority; ties share a rank).

    Examples
    --------
    >>> from maturity import load_model, score
    >>> model = load_model("cmmm")
    >>> a = score(model, {it.id: "fully" for it in model.items if ".L1." in it.id})
    >>> table = priorities(a, {"integration": 3, "data": 2})
    >>> list(table.columns)
    ['name', 'current', 'target', 'gap', 'kpi_weight', 'cost_weight', 'priority', 'rank']
    >>> sorted(table.index[table["priority"] > 0])
    ['data', 'integration']
    """
    catalog = catalog or load_catalog()
    importance = _check_weights(kpi_importance, KPIS, "kpi_importance")
    cost_w = kpi_cost_weights(cost_profile)
    table = gap_table(assessment, target, lang).drop(columns="claimed")
    model_id = assessment.model.id
    raw_kpi: dict[str, float] = {}
    raw_cost: dict[str, float] = {}
    for dim in table.index:
        effects = [k for a in catalog.actions for k in a.kpis
                   if any(e.model == model_id and e.dimension == dim for e in a.effects.levels)]
        if effects:
            raw_kpi[dim] = sum(importance[k.kpi] * abs(k.change_pct) for k in effects) / len(
                effects)
            raw_cost[dim] = sum(cost_w.get(k.kpi, 1.0) for k in effects) / len(effects)
    positive = [v for v in raw_kpi.values() if v > 0]
    scale = sum(positive) / len(positive) if positive else 1.0
    table["kpi_weight"] = [raw_kpi[d] / scale if d in raw_kpi else 1.0 for d in table.index]
    table["cost_weight"] = [raw_cost.get(d, 1.0) for d in table.index]
    table["priority"] = table["gap"] * table["kpi_weight"] * table["cost_weight"]
    table["rank"] = table["priority"].rank(ascending=False, method="min").astype(int)
    return table
