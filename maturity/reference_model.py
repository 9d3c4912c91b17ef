"""Reference models as data: the schema of ``maturity/models/*.yaml`` and its loaders.

A reference model (GB/T 39116 CMMM, acatech, IMPULS, SIRI, EU DMA, the
industrial-internet readiness model) is one YAML file. Its structure is:

* ``levels``: the maturity levels, stages or bands, each with a bilingual name;
* ``groups``: the hierarchy above the scored dimensions (elements and domains,
  building blocks and pillars, structural areas...), each with an optional
  ``parent``;
* ``dimensions``: what gets a score of its own (CMMM sub-domains, SIRI
  dimensions...), each in a group;
* ``scales``: answer scales shared by several items;
* ``items``: the questions or requirement statements; each scores one dimension,
  at one level where the model has levelled requirements;
* ``rules``: the scoring method and its parameters (thresholds, weights, score
  bands); the algorithms live in :mod:`maturity.scoring`, the numbers here.

Every text is ``{en: ..., zh: ...}``. Loading validates the file with pydantic
and then checks every cross-reference, and raises one
:class:`~value_chain.errors.InputError` listing every problem with its YAML path
and line.

Examples
--------
>>> model = load_model("impuls")
>>> model.id, len(model.dimensions), len(model.items)
('impuls', 6, 18)
>>> model.level_name(2, "en")
'Intermediate'
>>> sorted(list_models())
['acatech', 'cmmm', 'dma', 'iiot', 'impuls', 'siri']
"""

from __future__ import annotations

import math
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Annotated, Literal

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, field_validator

from value_chain.errors import InputError, Problem, locate, validate_schema
from value_chain.safe_io import preview, read_mapping
from value_chain.vocabulary import INDUSTRY_TYPES

__all__ = [
    "Item",
    "ReferenceModel",
    "Text",
    "list_models",
    "load_model",
    "models_frame",
    "read_model",
]

Lang = Literal["en", "zh"]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Text(_Frozen):
    """A text in English and Simplified Chinese."""

    en: str = Field(min_length=1)
    zh: str = Field(min_length=1)

    def __call__(self, lang: Lang = "en") -> str:
        return self.zh if lang == "zh" else self.en


class Source(_Frozen):
    """A publication the model is built on."""

    citation: str
    url: str | None = None


class Note(_Frozen):
    """What is published and what is our reading (``kind``)."""

    kind: Literal["published", "our_reading"]
    text: Text


class Level(_Frozen):
    value: Annotated[int, Field(strict=True)]  # a number: `yes` (a YAML boolean) is not level 1
    name: Text
    description: Text | None = None


class Group(_Frozen):
    id: str
    name: Text
    parent: str | None = None
    kind: str | None = None  # e.g. "element", "domain", "pillar"


class Dimension(_Frozen):
    id: str
    name: Text
    group: str | None = None
    description: Text | None = None


class Option(_Frozen):
    """One allowed answer: the stored ``value`` and the ``score`` it counts for."""

    value: int | str
    score: float
    label: Text
    description: Text | None = None

    @field_validator("value", mode="before")
    @classmethod
    def _not_bool(cls, v: object) -> object:
        if isinstance(v, bool):
            raise ValueError("yes/no/true/false read as a boolean: quote the value, e.g. \"yes\"")
        return v

    @field_validator("score")
    @classmethod
    def _finite(cls, v: float) -> float:
        if not math.isfinite(v):
            raise ValueError("score must be a finite number")
        return v


class Scale(_Frozen):
    id: str
    options: list[Option] = Field(min_length=2)


class Item(_Frozen):
    """A question or requirement. ``scale`` is a scale id or a list of options."""

    id: str
    dimension: str
    level: int | None = None
    text: Text
    help: Text | None = None
    scale: str | list[Option]


class SplitItem(_Frozen):
    """An item of an earlier version of the model file that now is several items.

    Answers files that still use ``id`` are read as if each item of ``into`` had been given
    the old answer (``maturity.answers.migrate_answers``), with a note saying so.
    """

    id: str
    into: list[str] = Field(min_length=2)
    reason: Text


class ScoreBand(_Frozen):
    """A half-open score interval ``[min, max)`` mapped to a level (``max`` inclusive if last)."""

    min: float
    max: float
    level: int


Weight = Annotated[float, Field(ge=0, allow_inf_nan=False)]
"""A weight: a finite number, 0 or more (NaN, infinite and negative weights are refused)."""


class CmmmRules(_Frozen):
    """GB/T 39117-style levelled scoring; see :func:`maturity.scoring.score`.

    The weights belong to groups of dimensions: the groups of kind
    ``weight_group_kind`` (e.g. the domains), or, when ``weight_groups`` is given,
    those named sets of dimensions (e.g. the five weight groups of a draft revision).
    """

    method: Literal["cmmm"]
    pass_threshold: float = Field(gt=0, le=1)
    weight_group_kind: str | None = None  # which groups carry the weights, e.g. "domain"
    weight_groups: dict[str, list[str]] | None = None  # group id -> its dimension ids
    weight_group_names: dict[str, Text] = {}
    weights: dict[Literal[INDUSTRY_TYPES], dict[str, Weight]]
    weights_source: str
    default_industry_type: Literal[INDUSTRY_TYPES] = "discrete"
    score_bands: list[ScoreBand]

    def group_dimensions(self, model: ReferenceModel) -> dict[str, list[str]]:
        """Weight group id -> its dimension ids, both in the model's order."""
        if self.weight_groups is not None:
            return self.weight_groups
        out: dict[str, list[str]] = {}
        for g in model.groups:
            if g.kind == self.weight_group_kind:
                dims = [d.id for d in model.dimensions
                        if any(a.id == g.id for a in _safe_ancestors(model, d.id))]
                if dims:
                    out[g.id] = dims
        return out


class View(_Frozen):
    """A named set of dimensions with a score of its own (acatech: the principles of the four
    structural areas, and the functional areas). A dimension belongs to the view when one of
    its groups (or their parents) is listed."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    name: Text
    groups: list[str] = Field(min_length=1)


class StagedRules(_Frozen):
    """Per dimension, the highest level whose requirements and all lower ones are met.

    With ``views``, each view gets the mean (or min) of its dimensions; ``overall_view`` names
    the view whose score is the overall score (otherwise every dimension counts).
    """

    method: Literal["staged"]
    pass_threshold: float = Field(gt=0, le=1)
    overall: Literal["mean", "min"] = "mean"
    views: list[View] = []
    overall_view: str | None = None

    def view_dimensions(self, model: ReferenceModel) -> dict[str, list[str]]:
        """View id -> the ids of its dimensions, in the model's order."""
        return {
            v.id: [d.id for d in model.dimensions
                   if any(g.id in v.groups for g in _safe_ancestors(model, d.id))]
            for v in self.views
        }


class ScoreClass(_Frozen):
    """A named class of overall levels (e.g. IMPULS newcomer = levels 0-1)."""

    id: str
    name: Text
    levels: list[int]


class MinimumRules(_Frozen):
    """IMPULS: dimension = minimum over its items; overall = weighted mean of dimensions."""

    method: Literal["minimum"]
    weights: dict[str, Weight]
    classes: list[ScoreClass] = []


class BandRules(_Frozen):
    """SIRI: each dimension is rated on a band; the overall score is the mean band."""

    method: Literal["band"]


class PercentRules(_Frozen):
    """EU DMA: dimension = points scored / points possible x 100; overall = mean."""

    method: Literal["percent"]
    score_bands: list[ScoreBand]


class RulesVariant(_Frozen):
    """A named variant of a model's rules (e.g. equal weights), chosen with ``variant=``."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    name: Text
    note: Text
    weights: dict[str, dict[str, Weight]] | dict[str, Weight]
    weight_group_kind: str | None = None  # CMMM: weigh other groups than the default rules
    weight_groups: dict[str, list[str]] | None = None

    def overrides(self) -> dict:
        """The rule fields this variant replaces."""
        out: dict = {"weights": self.weights}
        if self.weight_group_kind is not None or self.weight_groups is not None:
            out |= {"weight_group_kind": self.weight_group_kind,
                    "weight_groups": self.weight_groups}
        return out


class Applicability(_Frozen):
    """Which items may be answered "not applicable", and what an industry type leaves out.

    ``not_applicable`` lists dimension ids whose items may be answered "not
    applicable" (``all``: every item); answering all of a dimension's items so
    takes the dimension out. ``by_industry_type`` lists the dimensions that are
    not assessed at all for an industry type. "Don't know" counts as a blank and
    is offered wherever ``dont_know`` is true. ``note`` gives the source.
    """

    not_applicable: Literal["all"] | list[str] = []
    by_industry_type: dict[Literal[INDUSTRY_TYPES], list[str]] = {}
    dont_know: bool = True
    note: Text


Rules = Annotated[
    CmmmRules | StagedRules | MinimumRules | BandRules | PercentRules,
    Field(discriminator="method"),
]


class ReferenceModel(_Frozen):
    """A reference model loaded from YAML. Use :func:`load_model` or :func:`read_model`."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    version: str
    title: Text
    sources: list[Source] = Field(min_length=1)
    notes: list[Note] = Field(min_length=1)
    level_label: Text  # what the model calls a level: "level", "stage", "band"...
    levels: list[Level] = Field(min_length=1)
    groups: list[Group] = []
    dimensions: list[Dimension] = Field(min_length=1)
    scales: list[Scale] = []
    items: list[Item] = Field(min_length=1)
    rules: Rules
    rules_version: Text | None = None  # where the rule numbers come from, if not ``version``
    variants: list[RulesVariant] = []
    applicability: Applicability | None = None
    split_items: list[SplitItem] = []  # earlier items answered now as several (issue 10)

    # ---- lookups -------------------------------------------------------
    def level_name(self, value: int | None, lang: Lang = "en") -> str | None:
        """Name of level ``value`` (None if the model has no such level)."""
        for lv in self.levels:
            if lv.value == value:
                return lv.name(lang)
        return None

    def dimension_level_name(self, dim_id: str, value: int | None, lang: Lang = "en") -> str | None:
        """Name of a level of one dimension: the band label of the dimension's own scale
        where it has one (SIRI: "Integrated"), else the model's level name."""
        items = [it for it in self.items if it.dimension == dim_id]
        if len(items) == 1 and isinstance(items[0].scale, list):
            for opt in items[0].scale:
                if opt.value == value:
                    return opt.label(lang)
        return self.level_name(value, lang)

    def dimension(self, dim_id: str) -> Dimension:
        for d in self.dimensions:
            if d.id == dim_id:
                return d
        raise KeyError(dim_id)

    def group(self, group_id: str) -> Group:
        for g in self.groups:
            if g.id == group_id:
                return g
        raise KeyError(group_id)

    def options(self, item: Item) -> list[Option]:
        """The answer options of ``item`` (its own, or those of its named scale)."""
        if isinstance(item.scale, list):
            return item.scale
        for s in self.scales:
            if s.id == item.scale:
                return s.options
        raise KeyError(item.scale)

    def ancestors(self, dim_id: str) -> list[Group]:
        """Groups above a dimension, nearest first."""
        out: list[Group] = []
        gid = self.dimension(dim_id).group
        seen: set[str] = set()
        while gid is not None and gid not in seen:
            seen.add(gid)
            g = self.group(gid)
            out.append(g)
            gid = g.parent
        return out

    @property
    def has_levelled_items(self) -> bool:
        return any(it.level is not None for it in self.items)

    # ---- rules and answers the model admits ---------------------------------
    def rules_for(self, variant: str | None = None) -> CmmmRules | StagedRules | MinimumRules \
            | BandRules | PercentRules:
        """The rules, or those of a named variant (its weights replace the default ones)."""
        if variant is None:
            return self.rules
        for v in self.variants:
            if v.id == variant:
                return self.rules.model_copy(update=v.overrides())
        known = ", ".join(v.id for v in self.variants) or "none"
        raise InputError([Problem("<variant>", "", f"model {self.id} has no rules variant "
                                                   f"{variant!r} (variants: {known})")])

    def allows_not_applicable(self, item_id: str) -> bool:
        """True if ``item_id`` may be answered "not applicable" (see ``applicability``)."""
        rules = self.applicability
        if rules is None or not rules.not_applicable:
            return False
        if rules.not_applicable == "all":
            return True
        return any(it.id == item_id and it.dimension in rules.not_applicable for it in self.items)

    @property
    def allows_dont_know(self) -> bool:
        return self.applicability is None or self.applicability.dont_know


def _check_references(model: ReferenceModel, source: str, node) -> list[Problem]:
    """Cross-reference checks that pydantic cannot express; every problem is kept."""
    problems: list[Problem] = []

    def add(loc: tuple, msg: str) -> None:
        problems.append(Problem(source, locate(loc, node), msg))

    def dupes(kind: str, ids: list[str]) -> None:
        seen: set[str] = set()
        for i, x in enumerate(ids):
            if x in seen:
                add((kind, i, "id"), f"duplicate id {x!r}")
            seen.add(x)

    dupes("levels", [str(lv.value) for lv in model.levels])
    dupes("groups", [g.id for g in model.groups])
    dupes("dimensions", [d.id for d in model.dimensions])
    dupes("scales", [s.id for s in model.scales])
    dupes("items", [it.id for it in model.items])

    group_ids = {g.id for g in model.groups}
    dim_ids = {d.id for d in model.dimensions}
    scale_ids = {s.id for s in model.scales}
    level_values = {lv.value for lv in model.levels}

    for i, g in enumerate(model.groups):
        if g.parent is not None and g.parent not in group_ids:
            add(("groups", i, "parent"), f"unknown group {g.parent!r}")
    for i, d in enumerate(model.dimensions):
        if d.group is not None and d.group not in group_ids:
            add(("dimensions", i, "group"), f"unknown group {d.group!r}")
    for i, s in enumerate(model.scales):
        _check_options(s.options, ("scales", i, "options"), add)
    used_dims: set[str] = set()
    for i, it in enumerate(model.items):
        if it.dimension not in dim_ids:
            add(("items", i, "dimension"), f"unknown dimension {it.dimension!r}")
        used_dims.add(it.dimension)
        if it.level is not None and it.level not in level_values:
            add(("items", i, "level"), f"level {it.level} is not one of {sorted(level_values)}")
        if isinstance(it.scale, str):
            if it.scale not in scale_ids:
                add(("items", i, "scale"), f"unknown scale {it.scale!r}")
        else:
            _check_options(it.scale, ("items", i, "scale"), add)
    for i, d in enumerate(model.dimensions):
        if d.id not in used_dims:
            add(("dimensions", i, "id"), f"dimension {d.id!r} has no items")

    rules = model.rules
    if isinstance(rules, CmmmRules):
        _check_cmmm_weights(model, rules, rules.weights, ("rules", "weights"), add)
        for i, v in enumerate(model.variants):
            if not all(isinstance(w, dict) for w in v.weights.values()):
                add(("variants", i, "weights"), "give weights per industry type")
            else:
                vr = rules.model_copy(update=v.overrides())
                _check_cmmm_weights(model, vr, v.weights, ("variants", i, "weights"), add)
        if any(it.level is None for it in model.items):
            add(("items",), "every item of a cmmm model needs a level")
    if isinstance(rules, StagedRules) and any(it.level is None for it in model.items):
        add(("items",), "every item of a staged model needs a level")
    if isinstance(rules, StagedRules):
        for i, v in enumerate(rules.views):
            for gid in v.groups:
                if gid not in group_ids:
                    add(("rules", "views", i, "groups"), f"unknown group {gid!r}")
        if rules.overall_view is not None and rules.overall_view not in {
                v.id for v in rules.views}:
            add(("rules", "overall_view"), f"no view {rules.overall_view!r}")
    dupes("variants", [v.id for v in model.variants])
    if model.variants and not isinstance(rules, CmmmRules | MinimumRules):
        add(("variants",), "only models with weights (cmmm, minimum) have rules variants")
    if model.applicability is not None:
        app = model.applicability
        named = [] if app.not_applicable == "all" else app.not_applicable
        for i, did in enumerate(named):
            if did not in dim_ids:
                add(("applicability", "not_applicable", i), f"unknown dimension {did!r}")
        for itype, dims in app.by_industry_type.items():
            for i, did in enumerate(dims):
                if did not in dim_ids:
                    add(("applicability", "by_industry_type", itype, i),
                        f"unknown dimension {did!r}")
    items_by_id = {it.id: it for it in model.items}
    for i, sp in enumerate(model.split_items):
        if sp.id in items_by_id:
            add(("split_items", i, "id"), f"{sp.id!r} is still an item")
        parts = [items_by_id.get(x) for x in sp.into]
        for j, (x, it) in enumerate(zip(sp.into, parts, strict=True)):
            if it is None:
                add(("split_items", i, "into", j), f"unknown item {x!r}")
        found = {(it.dimension, it.level) for it in parts if it is not None}
        if len(found) > 1:
            add(("split_items", i, "into"), "the parts must share one dimension and level")
    dupes("split_items", [sp.id for sp in model.split_items])
    if isinstance(rules, MinimumRules):
        for did in sorted(dim_ids - set(rules.weights)):
            add(("rules", "weights"), f"no weight for dimension {did!r}")
        for did in sorted(set(rules.weights) - dim_ids):
            add(("rules", "weights", did), "unknown dimension")
        if sum(rules.weights.values()) <= 0:
            add(("rules", "weights"), "weights must add up to more than 0")
    if isinstance(rules, CmmmRules | StagedRules):
        req = sorted({it.level for it in model.items if it.level is not None})
        if req and req != list(range(1, len(req) + 1)):
            add(("items",), f"requirement levels must run 1, 2, ... without a gap; found {req}")
    bands = getattr(rules, "score_bands", None)
    if bands:
        for i, b in enumerate(bands):
            if b.level not in level_values:
                add(("rules", "score_bands", i, "level"), f"level {b.level} is not defined")
            if b.max <= b.min:
                add(("rules", "score_bands", i), "max must be above min")
            if i and abs(bands[i - 1].max - b.min) > 1e-12:
                add(("rules", "score_bands", i, "min"), "bands must be contiguous")
    return problems


def _check_cmmm_weights(model: ReferenceModel, rules: CmmmRules, table, loc: tuple, add) -> None:
    """Weights per industry type for every weight group, and every dimension in one group."""
    if rules.weight_groups is not None:
        groups = set(rules.weight_groups)
        seen: dict[str, str] = {}
        dim_ids = {d.id for d in model.dimensions}
        for gid, dims in rules.weight_groups.items():
            for did in dims:
                if did not in dim_ids:
                    add(("rules", "weight_groups", gid), f"unknown dimension {did!r}")
                elif did in seen:
                    add(("rules", "weight_groups", gid), f"{did!r} is also in {seen[did]!r}")
                seen[did] = gid
        for did in sorted(dim_ids - set(seen)):
            add(("rules", "weight_groups"), f"{did!r} is in no weight group")
        kind = "weight group"
    else:
        groups = {g.id for g in model.groups if g.kind == rules.weight_group_kind}
        kind = str(rules.weight_group_kind)
        if not groups:
            add(("rules", "weight_group_kind"), f"no group has kind {rules.weight_group_kind!r}")
        for dim in model.dimensions:
            if not any(g.kind == rules.weight_group_kind for g in _safe_ancestors(model, dim.id)):
                add(("dimensions",), f"{dim.id!r} is in no {rules.weight_group_kind}")
    for itype, weights in table.items():
        for gid, w in weights.items():
            if gid not in groups:
                add((*loc, itype, gid), f"not a {kind}")
            if w < 0:
                add((*loc, itype, gid), "weight must not be negative")
        for gid in sorted(groups - set(weights)):
            add((*loc, itype), f"no weight for {gid!r}")


def _safe_ancestors(model: ReferenceModel, dim_id: str) -> list[Group]:
    try:
        return model.ancestors(dim_id)
    except KeyError:
        return []


def _check_options(options: list[Option], loc: tuple, add) -> None:
    """Values, and labels in each language, must be unique: answers are read back by either."""
    seen: dict[str, set[str]] = {"value": set(), "en": set(), "zh": set()}
    for j, opt in enumerate(options):
        keys = {"value": str(opt.value), "en": opt.label.en.strip(), "zh": opt.label.zh.strip()}
        for kind, key in keys.items():
            if key in seen[kind]:
                where = (*loc, j, "value") if kind == "value" else (*loc, j, "label", kind)
                add(where, f"duplicate answer {'value' if kind == 'value' else 'label'} {key!r}")
            seen[kind].add(key)


def model_from_mapping(data: object, source: str = "<data>", node=None) -> ReferenceModel:
    """Validate a parsed mapping as a reference model; raise InputError listing every problem."""
    return validate_schema(ReferenceModel, data, source, node, _check_references)


def read_model(path: str | Path) -> ReferenceModel:
    """Read a user's own reference-model YAML (same schema as the bundled ones).

    Raises :class:`~value_chain.errors.InputError` listing every problem.
    """
    data, node = read_mapping(path)
    return model_from_mapping(data, str(path), node)


def _models_dir():
    return resources.files("maturity") / "models"


def list_models() -> list[str]:
    """Ids of the bundled reference models."""
    return sorted(p.name[:-5] for p in _models_dir().iterdir() if p.name.endswith(".yaml"))


@cache
def load_model(model_id: str, *, source: str = "<model>", where: str = "") -> ReferenceModel:
    """Load a bundled reference model by id (``cmmm``, ``acatech``, ``impuls``, ``siri``,
    ``dma``, ``iiot``).

    ``source`` and ``where`` name the file and the field the id came from, for the message
    when it is unknown (``answers.json: model: unknown model 'cmm'``).
    """
    known = list_models()
    if model_id not in known:
        raise InputError([Problem(source, where, f"unknown model {preview(model_id)}; "
                                  f"bundled: {', '.join(known)}")])
    with resources.as_file(_models_dir() / f"{model_id}.yaml") as path:
        return read_model(path)


def models_frame(lang: str = "en") -> pd.DataFrame:
    """The bundled reference models: title, version, level scale, scoring method, dimension
    and item counts, main source and the named variants of the rules."""
    rows = []
    for model_id in list_models():
        m = load_model(model_id)
        values = [lv.value for lv in m.levels]
        rows.append({
            "model": m.id,
            "title": m.title(lang),
            "version": m.version,
            "scale": f"{m.level_label(lang)} {min(values)}-{max(values)}",
            "method": m.rules.method,
            "dimensions": len(m.dimensions),
            "items": len(m.items),
            "source": m.sources[0].citation,
            "variants": [v.id for v in m.variants],
        })
    return pd.DataFrame(rows).set_index("model")
