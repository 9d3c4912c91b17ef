"""The action catalog: what an enterprise can do next, as data (``maturity/actions.yaml``).

Each action has bilingual texts, a category (technology / business /
management), prerequisites (other actions), entry conditions (minimum current
levels), effects (dimension levels it raises, and what it changes in the IT/OT
landscape), a cost range in CNY by enterprise size, a duration, expected KPI
effects with the evidence behind each figure, and where it applies.

Loading validates the file with pydantic, then checks every reference (models,
dimensions, levels, prerequisites, system types) and refuses a prerequisite
cycle, naming it. Every problem is listed at once.

Examples
--------
>>> catalog = load_catalog()
>>> len(catalog.actions) >= 50
True
>>> a = catalog.action("connect_mes_erp")
>>> a.category, [e.dimension for e in a.effects.levels if e.model == "cmmm"]
('technology', ['integration'])
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path
from typing import Literal

import networkx as nx
from pydantic import BaseModel, ConfigDict, Field, model_validator

from maturity.reference_model import Text, list_models, load_model
from value_chain.errors import InputError, Problem, locate, validate_schema
from value_chain.safe_io import LIMITS, read_mapping
from value_chain.vocabulary import FOCUSES, INDUSTRY_TYPES, KPIS, ROLES, SIZES, system_type

__all__ = [
    "SIZES",
    "Action",
    "ActionCatalog",
    "load_catalog",
    "read_catalog",
]

# the vocabularies are stated once, in value_chain/vocabulary.yaml
Kpi = Literal[KPIS]
Focus = Literal[FOCUSES]
Size = Literal[SIZES]
IndustryType = Literal[INDUSTRY_TYPES]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class LevelRef(_Frozen):
    """A dimension of a model and a level of it."""

    model: str
    dimension: str
    level: int


class Selector(_Frozen):
    """Which systems of a landscape an effect applies to (all given fields must match)."""

    types: list[str] = []
    levels: list[int] = []
    stages: list[str] = []

    @model_validator(mode="after")
    def _not_empty(self) -> Selector:
        if not (self.types or self.levels or self.stages):
            raise ValueError("a selector needs types, levels or stages")
        return self


class NewSystem(_Frozen):
    """A system the action adds when the landscape has none of its type."""

    id: str
    name: Text
    type: str
    level: int | None = Field(default=None, ge=0, le=4)
    stage: str | None = None


class Connection(_Frozen):
    """Join the systems picked by ``source`` to those picked by ``target``.

    Existing manual links between them become ``mode``; where no link exists,
    each source system is linked to the first target system.
    """

    source: Selector
    target: Selector
    mode: Literal["realtime", "batch"]
    protocol: str | None = None


class PartnerConnection(_Frozen):
    """Make the links between systems and partners of these roles automatic."""

    roles: list[Literal[ROLES]]
    mode: Literal["realtime", "batch"]
    protocol: str | None = None


class LandscapeEffect(_Frozen):
    add_systems: list[NewSystem] = []
    connect: list[Connection] = []
    connect_partners: list[PartnerConnection] = []


class Effects(_Frozen):
    levels: list[LevelRef] = Field(min_length=1)
    landscape: LandscapeEffect = LandscapeEffect()


class KpiEffect(_Frozen):
    """Expected change of a KPI in percent (negative = reduction), with its evidence."""

    kpi: Kpi
    change_pct: float
    evidence: str = Field(min_length=5)


class Applicability(_Frozen):
    """Where an action applies. ``sectors``: words of which one must occur in the
    enterprise's sector (English or Chinese, any case); empty = every sector."""

    industry_types: list[IndustryType] = list(INDUSTRY_TYPES)
    sizes: list[Size] = list(SIZES)
    sectors: list[str] = []


class PriceLevel(_Frozen):
    """Costs of the catalog in another region: ``factor`` times the catalog's figures, in
    ``currency``, with the ``basis`` of that conversion stated."""

    currency: str = Field(pattern=r"^[A-Z]{3}$")
    factor: float = Field(gt=0)
    basis: Text


class Action(_Frozen):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    name: Text
    description: Text
    category: Literal["technology", "business", "management"]
    focus: Focus
    prerequisites: list[str] = []
    entry: list[LevelRef] = []
    effects: Effects
    cost_cny: dict[Size, tuple[float, float]]
    duration_months: float = Field(gt=0, le=60)
    kpis: list[KpiEffect] = []
    applicability: Applicability = Applicability()
    # share of the cost when the landscape already has the systems the action adds and the
    # action extends them (e.g. MRP in the ERP the company runs); None: the full cost
    extension_cost_share: float | None = Field(default=None, gt=0, le=1)
    # yearly running cost (licences, support, upkeep) as a share of the one-off cost; None:
    # the default of its category in maturity/business_case.yaml
    opex_share: float | None = Field(default=None, ge=0, le=1)

    @model_validator(mode="after")
    def _cost_ranges(self) -> Action:
        for size, (low, high) in self.cost_cny.items():
            if low < 0 or high < low:
                raise ValueError(f"cost range for {size} must be 0 <= low <= high")
        return self

    def cost(self, size: str = "medium") -> float:
        """Mid-point of the cost range for an enterprise size, in CNY."""
        low, high = self.cost_cny[size]  # type: ignore[index]
        return (low + high) / 2


class ActionCatalog(_Frozen):
    version: str
    notes: Text
    currency: str = Field(default="CNY", pattern=r"^[A-Z]{3}$")
    region: str = "CN"
    cost_basis: Text | None = None
    price_levels: dict[str, PriceLevel] = {}
    # projects an enterprise of each size can run at once, and why (no cap when absent)
    max_concurrent: dict[Size, int] = {}
    max_concurrent_basis: Text | None = None
    actions: list[Action] = Field(min_length=1)

    def action(self, action_id: str) -> Action:
        for a in self.actions:
            if a.id == action_id:
                return a
        raise KeyError(action_id)

    def prerequisite_graph(self) -> nx.DiGraph:
        """Directed graph prerequisite -> action."""
        g = nx.DiGraph()
        g.add_nodes_from(a.id for a in self.actions)
        g.add_edges_from((p, a.id) for a in self.actions for p in a.prerequisites)
        return g


def _check(catalog: ActionCatalog, source: str, node) -> list[Problem]:
    problems: list[Problem] = []

    def add(loc: tuple, msg: str) -> None:
        problems.append(Problem(source, locate(loc, node), msg))

    ids = [a.id for a in catalog.actions]
    seen: set[str] = set()
    for i, a in enumerate(catalog.actions):
        if a.id in seen:
            add(("actions", i, "id"), f"duplicate action id {a.id!r}")
        seen.add(a.id)
    models = {m: load_model(m) for m in list_models()}

    def check_level(loc: tuple, ref: LevelRef) -> None:
        model = models.get(ref.model)
        if model is None:
            add((*loc, "model"), f"unknown model {ref.model!r}")
            return
        if ref.dimension not in {d.id for d in model.dimensions}:
            add((*loc, "dimension"), f"{ref.dimension!r} is not a dimension of {ref.model}")
        if ref.level not in {lv.value for lv in model.levels}:
            add((*loc, "level"), f"{ref.model} has no level {ref.level}")

    for i, a in enumerate(catalog.actions):
        for j, p in enumerate(a.prerequisites):
            if p not in ids:
                add(("actions", i, "prerequisites", j), f"unknown action {p!r}")
            if p == a.id:
                add(("actions", i, "prerequisites", j), "an action cannot require itself")
        for j, ref in enumerate(a.entry):
            check_level(("actions", i, "entry", j), ref)
        for j, ref in enumerate(a.effects.levels):
            check_level(("actions", i, "effects", "levels", j), ref)
        land = a.effects.landscape
        for j, s in enumerate(land.add_systems):
            if system_type(s.type) is None:
                add(("actions", i, "effects", "landscape", "add_systems", j, "type"),
                    f"unknown system type {s.type!r}")
        for j, c in enumerate(land.connect):
            for end in ("source", "target"):
                for t in getattr(c, end).types:
                    if system_type(t) is None:
                        add(("actions", i, "effects", "landscape", "connect", j, end, "types"),
                            f"unknown system type {t!r}")
        missing = set(SIZES) - set(a.cost_cny)
        if missing & set(a.applicability.sizes):
            add(("actions", i, "cost_cny"), f"no cost for sizes {sorted(missing)}")
    graph = catalog.prerequisite_graph()
    graph.remove_edges_from([(p, a) for p, a in graph.edges if p not in ids or p == a])
    try:
        cycle = nx.find_cycle(graph)
    except nx.NetworkXNoCycle:
        cycle = None
    if cycle:
        chain = " -> ".join([u for u, _ in cycle] + [cycle[0][0]])
        add(("actions",), f"prerequisite cycle: {chain}")
    return problems


def catalog_from_mapping(data: object, source: str = "<data>", node=None) -> ActionCatalog:
    """Validate a parsed catalog; raise InputError listing every problem."""
    return validate_schema(ActionCatalog, data, source, node, _check)


def read_catalog(path: str | Path) -> ActionCatalog:
    """Read a user's own action catalog (same schema as the bundled one)."""
    data, node = read_mapping(path)
    actions = data.get("actions") if isinstance(data, dict) else None
    if isinstance(actions, list) and len(actions) > LIMITS.actions:
        raise InputError([Problem(str(path), locate(("actions",), node),
                                  f"{len(actions):,} actions; the limit is {LIMITS.actions:,}")])
    return catalog_from_mapping(data, str(path), node)


@cache
def load_catalog() -> ActionCatalog:
    """The bundled action catalog."""
    with resources.as_file(resources.files("maturity") / "actions.yaml") as path:
        return read_catalog(path)
