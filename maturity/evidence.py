"""Check a self-assessment against the evidence of the enterprise's IT/OT landscape.

An SME may say "our systems are integrated" while ERP and MES still exchange paper.
:func:`add_evidence` works out, per integration-related dimension, the highest level
the landscape supports and flags every dimension where the self-assessed level is
higher.  The rules are data (``evidence.yaml``, our reading): each level makes
*claims*, a claim needs named data *flows* (production orders from ERP to MES, bills
of materials from design to ERP ...) and figures above named *thresholds* that are
the same in every model.  Figures count functions, not drawn nodes
(:mod:`value_chain.integration`), so twelve PLCs wired to a SCADA never decide a claim
about enterprise integration.

Records hold codes, numbers and the names of the systems involved; the sentence is
rendered in a language when shown (:func:`evidence_message`).

Examples
--------
>>> from maturity import load_model, score
>>> from value_chain import landscape_from_dict
>>> G = landscape_from_dict({"systems": [
...     {"id": "erp", "name": "ERP", "type": "ERP"},
...     {"id": "mes", "name": "MES", "type": "MES"},
...     {"id": "plc", "name": "PLC", "type": "PLC"}],
...   "links": [{"source": "erp", "target": "mes", "mode": "manual", "protocol": "paper"}]})
>>> a = add_evidence(score(load_model("siri"), {"vertical_integration": 4}), G)
>>> flag = a.evidence[0]
>>> flag["dimension"], flag["claimed"], flag["supported"], flag["flag"]
('vertical_integration', 4, 2, True)
>>> print(flag["message"])  # doctest: +ELLIPSIS
Vertical integration: claims band 4 (...), but the landscape supports band 2 (...):
3 information islands remain; production orders from ERP to MES go by hand (ERP → MES, paper); ...
"""

from __future__ import annotations

import dataclasses
from functools import cache
from importlib import resources
from typing import Any, Literal

import networkx as nx
import numpy as np
from pydantic import BaseModel, ConfigDict, Field, model_validator
from scipy.sparse import csgraph

from maturity.assessment import Assessment
from maturity.messages import catalogue, msg
from maturity.reference_model import ReferenceModel, load_model
from value_chain._link_table import LinkTable, link_table
from value_chain._reach import reach
from value_chain.errors import Problem, locate, validate_schema
from value_chain.integration import Flows
from value_chain.landscape import ROLES, STAGES
from value_chain.metrics import LandscapeMetrics, landscape_metrics
from value_chain.safe_io import read_mapping

__all__ = [
    "add_evidence",
    "check_evidence",
    "evidence_message",
    "evidence_metrics",
    "load_evidence_rules",
]

Metric = Literal[
    "vertical_integration",
    "vertical_levels_linked",
    "horizontal_integration",
    "it_ot_convergence",
    "largest_island_share",
    "ot_connected_share",
    "it_connected_share",
    "realtime_share",
    "partner_automation",
    "digital_thread",
]


class _Rule(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)


class Threshold(_Rule):
    value: float = Field(ge=0, le=1)
    why: str


class Selector(_Rule):
    """Systems (by type, stage, level) or partners (by role); every given field must match."""

    types: list[str] | None = None
    stages: list[Literal[STAGES]] | None = None  # type: ignore[valid-type]
    levels: list[int] | None = None
    roles: list[Literal[ROLES]] | None = None  # type: ignore[valid-type]

    @model_validator(mode="after")
    def _something(self) -> Selector:
        if not any((self.types, self.stages, self.levels, self.roles)):
            raise ValueError("give at least one of types, stages, levels, roles")
        if self.roles and (self.types or self.stages or self.levels):
            raise ValueError("roles select partners; do not mix them with system fields")
        return self

    def mask(self, t: LinkTable) -> np.ndarray:
        if self.roles:
            return ~t.is_system & np.isin(t.role, [ROLES.index(r) for r in self.roles])
        out = t.counted.copy()
        if self.types:
            out &= np.isin(np.asarray(t.types, dtype=object), self.types)
        if self.stages:
            out &= np.isin(t.stage, [STAGES.index(s) for s in self.stages])
        if self.levels:
            out &= np.isin(t.level, self.levels)
        return out


class Flow(_Rule):
    source: Selector = Field(alias="from")
    target: Selector = Field(alias="to")
    either: bool = False


class Condition(_Rule):
    metric: Metric
    at_least: str


class Claim(_Rule):
    flows: list[str] = []
    metrics: list[Condition] = []


class Check(_Rule):
    id: str
    model: str
    dimension: str | None = None
    item: str | None = None
    levels: dict[int, list[str]]

    @model_validator(mode="after")
    def _one_target(self) -> Check:
        if (self.dimension is None) == (self.item is None):
            raise ValueError("give exactly one of dimension or item")
        return self


class EvidenceRules(_Rule):
    thresholds: dict[str, Threshold]
    flows: dict[str, Flow]
    claims: dict[str, Claim]
    checks: list[Check]


@cache
def load_evidence_rules() -> EvidenceRules:
    """The bundled evidence rules, checked against the bundled models and the catalogue."""
    with resources.as_file(resources.files("maturity") / "evidence.yaml") as path:
        data, node = read_mapping(path)
    return validate_schema(EvidenceRules, data, "maturity/evidence.yaml", node, _check_rules)


def _check_rules(rules: EvidenceRules, source: str, node) -> list[Problem]:
    """Every name refers to something: models, dimensions, claims, flows, thresholds, words."""
    problems = []

    def problem(loc: tuple, text: str) -> None:
        problems.append(Problem(source, locate(loc, node), text))

    words = catalogue()
    for name in rules.flows:
        if f"evidence.flow_name.{name}" not in words:
            problem(("flows", name), f"flow {name!r} has no evidence.flow_name.{name} message")
    for name, claim in rules.claims.items():
        for j, flow in enumerate(claim.flows):
            if flow not in rules.flows:
                problem(("claims", name, "flows", j), f"unknown flow {flow!r}")
        for j, cond in enumerate(claim.metrics):
            if cond.at_least not in rules.thresholds:
                problem(("claims", name, "metrics", j, "at_least"),
                        f"unknown threshold {cond.at_least!r}")
    for i, c in enumerate(rules.checks):
        model = load_model(c.model)
        ok = (c.dimension in {d.id for d in model.dimensions}) if c.dimension else (
            c.item in {it.id for it in model.items})
        if not ok:
            problem(("checks", i), f"{c.dimension or c.item!r} is not in model {c.model}")
        for level, claims in c.levels.items():
            for claim in claims:
                if claim not in rules.claims:
                    problem(("checks", i, "levels", level), f"unknown claim {claim!r}")
    return problems


# --------------------------------------------------------------------------- measuring


def _share(values: np.ndarray, weight: np.ndarray) -> float | None:
    total = float(weight.sum())
    return round(float((values * weight).sum() / total), 6) if total > 0 else None


def _figures(t: LinkTable, f: Flows, m: LandscapeMetrics) -> dict[str, Any]:
    counted = t.counted
    w = t.weight
    auto = t.automatic()
    linked = np.zeros(t.n, dtype=bool)
    linked[t.src[auto]] = linked[t.dst[auto]] = True
    ot, it = counted & t.ot, counted & t.it
    _, label = csgraph.connected_components(f.simple, directed=False)
    per_island = np.bincount(label[counted], weights=w[counted]) if counted.any() else None
    largest = (round(float(per_island.max() / per_island.sum()), 6)
               if per_island is not None else None)
    ua, ub = t.unit[t.src[auto]], t.unit[t.dst[auto]]
    apart = ua != ub
    pair = np.minimum(ua, ub)[apart] * (int(t.unit.max()) + 1) + np.maximum(ua, ub)[apart]
    realtime = (t.mode[auto] == 0)[apart]
    pairs = np.unique(pair)
    rt_pairs = np.unique(pair[realtime])
    rows = m["vertical_by_level"]
    return {
        "vertical_integration": m["vertical_integration"],
        "vertical_levels_linked": (sum(r["integrated"] > 0 for r in rows) / len(rows)
                                   if rows else None),
        "horizontal_integration": m["horizontal_integration"],
        "it_ot_convergence": m["it_ot_convergence"],
        "largest_island_share": largest,
        "ot_connected_share": _share(linked[ot], w[ot]),
        "it_connected_share": _share(linked[it], w[it]),
        "realtime_share": round(rt_pairs.size / pairs.size, 6) if pairs.size else None,
        "partner_automation": m["value_chain"]["share_automatic"],
        "digital_thread": 1.0 if m["digital_thread"] else 0.0,
        "island_count": m["island_count"],
    }


def evidence_metrics(G: nx.MultiDiGraph, metrics: LandscapeMetrics | None = None) -> dict[str, Any]:
    """The landscape figures the evidence rules use (shares in 0-1 over functions, None
    when nothing can be measured), plus ``island_count``."""
    t = link_table(G)
    return _figures(t, Flows.of(t),
                    metrics if metrics is not None else landscape_metrics(G, table=t))


def _ends(f: Flows, mask: np.ndarray, entering: bool) -> np.ndarray:
    """Systems where data of ``mask`` enters the systems (or, not ``entering``, leaves them
    towards it): the systems themselves and those linked automatically with its partners."""
    t = f.table
    out = mask & t.counted
    src, dst = f.partner_in if entering else f.partner_out
    if entering:
        out[dst[mask[src]]] = True
    else:
        out[src[mask[dst]]] = True
    return out


def _flow_failure(name: str, flow: Flow, f: Flows,
                  protocols: dict[int, Any]) -> dict[str, Any] | None:
    """None when the flow holds; otherwise a record saying why, naming the systems."""
    t = f.table
    b = flow.target.mask(t)
    a = flow.source.mask(t) & ~b  # a system does not send a flow to itself
    record: dict[str, Any] = {"kind": "flow", "flow": name,
                              "source": [t.names[i] for i in np.flatnonzero(a)[:3]],
                              "target": [t.names[i] for i in np.flatnonzero(b)[:3]]}
    for _side, mask, sel in (("source", a, flow.source), ("target", b, flow.target)):
        if not mask.any():
            missing = {k: v for k, v in sel.model_dump(exclude_none=True).items() if v}
            return {**record, "status": "no_system", "missing": missing}
    ok = (reach(f.down, _ends(f, a, True)) & _ends(f, b, False)).any()
    if not ok and flow.either:
        ok = (reach(f.down, _ends(f, b, True)) & _ends(f, a, False)).any()
    if ok:
        return None
    manual = (t.mode == 2) & a[t.src] & b[t.dst]
    if flow.either:
        manual |= (t.mode == 2) & b[t.src] & a[t.dst]
    links = [{"source": t.names[t.src[i]], "target": t.names[t.dst[i]],
              "how": protocols.get(int(i))} for i in np.flatnonzero(manual)[:3]]
    return {**record, "status": "manual" if links else "not_linked", "links": links}


def _metric_failure(cond: Condition, rules: EvidenceRules, values: dict[str, Any],
                    m: LandscapeMetrics, unlinked: dict[str, list[str]]) -> dict[str, Any] | None:
    value = values[cond.metric]
    limit = rules.thresholds[cond.at_least].value
    if value is None or value >= limit - 1e-9:
        return None
    record: dict[str, Any] = {"kind": "metric", "metric": cond.metric, "value": value,
                              "limit": limit, "threshold": cond.at_least}
    if cond.metric == "vertical_levels_linked":
        record["levels"] = [r["level"] for r in m["vertical_by_level"] if not r["integrated"]]
    elif cond.metric == "vertical_integration":
        ids = [x for r in m["vertical_by_level"] for x in r["not_integrated"]][:4]
        record["not_integrated"] = [m.name(x) for x in ids]
    elif cond.metric == "horizontal_integration":
        record["pairs"] = [[p["from"], p["to"]] for p in m["stage_pairs"] if not p["linked"]]
    elif cond.metric == "it_ot_convergence":
        record["not_reaching_it"] = [m.name(x) for x in m["ot_not_reaching_it"][:4]]
    elif cond.metric == "digital_thread":
        record["why"] = m["digital_thread_reason"]
    elif cond.metric in ("ot_connected_share", "it_connected_share"):
        record["unlinked"] = unlinked[cond.metric][:4]
    elif cond.metric == "largest_island_share":
        record["unlinked"] = [m.name(i[0]) for i in m["islands"][1:5]
                              if i[0] not in set(m["isolated"])]
    return record


# --------------------------------------------------------------------------- checking


def _claimed(assessment: Assessment, check: Check) -> int | None:
    if check.dimension:
        return assessment.dimension_result(check.dimension).level
    value = assessment.answers.answers.get(check.item)  # type: ignore[arg-type]
    if value is None:
        return None
    item = next(it for it in assessment.model.items if it.id == check.item)
    option = next(o for o in assessment.model.options(item) if o.value == value)
    return int(option.score)


class _Evidence:
    """The landscape measured once for every check of an assessment."""

    def __init__(self, G: nx.MultiDiGraph) -> None:
        self.table = link_table(G)
        self.flows = Flows.of(self.table)
        self.metrics = landscape_metrics(G, table=self.table)  # one walk of the graph
        self.values = _figures(self.table, self.flows, self.metrics)
        self.protocols = self.table.protocols  # how each manual link is carried
        t = self.table
        auto = t.automatic()
        linked = np.zeros(t.n, dtype=bool)
        linked[t.src[auto]] = linked[t.dst[auto]] = True
        self.unlinked = {  # systems with no automatic link, to name in a flag
            "ot_connected_share": [t.names[i] for i in np.flatnonzero(t.counted & t.ot & ~linked)],
            "it_connected_share": [t.names[i] for i in np.flatnonzero(t.counted & t.it & ~linked)],
        }

    def failures(self, rules: EvidenceRules, claim: str) -> list[dict[str, Any]]:
        c = rules.claims[claim]
        out = [_flow_failure(name, rules.flows[name], self.flows, self.protocols)
               for name in c.flows]
        out += [_metric_failure(cond, rules, self.values, self.metrics, self.unlinked)
                for cond in c.metrics]
        return [x for x in out if x is not None]


def _supported(check: Check, rules: EvidenceRules, ev: _Evidence,
               top: int) -> tuple[int, list[str], list[dict[str, Any]]]:
    """Highest level whose claims (and all lower ones) hold; the failing claims and why."""
    for level in sorted(check.levels):
        failed = {claim: ev.failures(rules, claim) for claim in check.levels[level]}
        failed = {k: v for k, v in failed.items() if v}
        if failed:
            return level - 1, list(failed), [x for v in failed.values() for x in v]
    return top, [], []


def check_evidence(
    assessment: Assessment, G: nx.MultiDiGraph, *, lang: str = "en"
) -> list[dict[str, Any]]:
    """One record per evidence check of the assessment's model.

    Each record: ``check``, ``model``, ``dimension`` (or ``item``), ``claimed`` and
    ``supported`` levels, ``flag`` (claimed above supported), ``claims`` (the claims
    that fail), ``failures`` (codes, numbers and system names), ``islands``, and the
    rendered ``reasons`` and ``message`` in ``lang`` (see :func:`evidence_message`).
    """
    rules = load_evidence_rules()
    model = assessment.model
    ev = _Evidence(G)
    top = max(lv.value for lv in model.levels)
    out = []
    for check in (c for c in rules.checks if c.model == model.id):
        claimed = _claimed(assessment, check)
        if claimed is None:
            continue
        supported, claims, failures = _supported(check, rules, ev, top)
        flag = claimed > supported
        record = {
            "check": check.id,
            "model": model.id,
            "dimension": check.dimension,
            "item": check.item,
            "claimed": claimed,
            "supported": supported,
            "flag": flag,
            "claims": claims if flag else [],
            "failures": failures if flag else [],
            "islands": ev.values["island_count"],
        }
        record["reasons"] = _reasons(record, lang)
        record["message"] = evidence_message(record, model, lang)
        out.append(record)
    return out


def add_evidence(assessment: Assessment, G: nx.MultiDiGraph, *, lang: str = "en") -> Assessment:
    """A copy of ``assessment`` with the landscape evidence (see :func:`check_evidence`)."""
    return dataclasses.replace(assessment, evidence=check_evidence(assessment, G, lang=lang))


# --------------------------------------------------------------------------- words


def _join(items: list[str], lang: str) -> str:
    return ("、" if lang == "zh" else ", ").join(items)


def _flow_reason(x: dict[str, Any], lang: str) -> str:
    flow = msg(f"evidence.flow_name.{x['flow']}", lang)
    if x["status"] == "manual":
        links = [msg("evidence.link_how" if e.get("how") else "evidence.link", lang,
                     source=e["source"], target=e["target"], how=e.get("how"))
                 for e in x["links"]]
        return msg("evidence.flow.manual", lang, flow=flow,
                   links=("；" if lang == "zh" else "; ").join(links))
    if x["status"] == "not_linked":
        return msg("evidence.flow.not_linked", lang, flow=flow,
                   source=_join(x["source"], lang), target=_join(x["target"], lang))
    missing = x["missing"]
    if "roles" in missing:
        what = msg("evidence.missing.roles", lang, names=_join(
            [msg(f"evidence.role.{r}", lang) for r in missing["roles"]], lang))
    elif "types" in missing:
        what = msg("evidence.missing.types", lang, names=_join(missing["types"], lang))
    else:
        what = msg("evidence.missing.stage", lang, stage=_join(
            [msg(f"landscape.stage.{s}", lang) for s in missing.get("stages", [])], lang))
    return msg("evidence.flow.no_system", lang, flow=flow, missing=what)


def _metric_reason(x: dict[str, Any], lang: str) -> str:
    detail = ""
    if x.get("not_integrated"):
        detail = msg("evidence.detail.not_integrated", lang, names=_join(x["not_integrated"], lang))
    elif x.get("pairs"):
        pairs = [msg("evidence.detail.pair", lang, a=msg(f"landscape.stage.{a}", lang),
                     b=msg(f"landscape.stage.{b}", lang)) for a, b in x["pairs"]]
        detail = msg("evidence.detail.stages", lang, pairs=_join(pairs, lang))
    elif x.get("not_reaching_it"):
        detail = msg("evidence.detail.not_reaching_it", lang,
                     names=_join(x["not_reaching_it"], lang))
    elif x.get("levels"):
        detail = msg("evidence.detail.levels", lang,
                     levels=_join([f"L{level}" for level in x["levels"]], lang))
    elif x.get("unlinked"):
        detail = msg("evidence.detail.unlinked", lang, names=_join(x["unlinked"], lang))
    elif x.get("why"):
        detail = msg("evidence.detail.thread", lang, why=msg(f"landscape.reason.{x['why']}", lang))
    key = f"evidence.metric.{x['metric']}"
    if x["value"] == 0 and f"{key}.none" in catalogue():  # "no ...", never "only 0 %"
        key += ".none"
    return msg(key, lang, value=x["value"], limit=x["limit"], detail=detail)


def _reasons(record: dict[str, Any], lang: str) -> list[str]:
    return [_flow_reason(x, lang) if x["kind"] == "flow" else _metric_reason(x, lang)
            for x in record["failures"]]


def evidence_message(record: dict[str, Any], model: ReferenceModel, lang: str = "en") -> str:
    """The sentence of one evidence record in ``lang`` (records store codes and names)."""
    if record["dimension"]:
        what = model.dimension(record["dimension"]).name(lang)
    else:
        what = next(it for it in model.items if it.id == record["item"]).text(lang)
        what = what if len(what) < 60 else what[:57] + "..."
    label = model.level_label(lang)
    claimed = record["claimed"]
    if not record["flag"]:
        return msg("evidence.consistent", lang, what=what, label=label, claimed=claimed)
    dim, supported = record["dimension"], record["supported"]

    def name(level: int) -> str:
        return (model.dimension_level_name(dim, level, lang) if dim
                else model.level_name(level, lang))

    parts = []
    if record["islands"] > 1:
        parts.append(msg("evidence.islands", lang, n=record["islands"]))
    parts += _reasons(record, lang)
    return msg("evidence.flagged", lang, what=what, label=label, claimed=claimed,
               claimed_name=name(claimed), supported=supported, supported_name=name(supported),
               reasons=("；" if lang == "zh" else "; ").join(parts))
