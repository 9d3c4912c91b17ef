"""Check a self-assessment against the evidence of the enterprise's IT/OT landscape.

An SME may say "our systems are integrated" while ERP and MES still exchange
paper. :func:`add_evidence` measures the landscape
(:func:`value_chain.landscape_metrics`), works out per integration-related
dimension the highest level the landscape supports (rules in
``evidence.yaml``, our reading), and flags every dimension where the
self-assessed level is higher, with a sentence a manager understands.

Examples
--------
>>> from maturity import load_model, score
>>> from value_chain import landscape_from_dict
>>> G = landscape_from_dict({"systems": [
...     {"id": "erp", "name": "ERP", "type": "ERP"},
...     {"id": "mes", "name": "MES", "type": "MES"},
...     {"id": "plc", "name": "PLC", "type": "PLC"}],
...   "links": [{"source": "erp", "target": "mes", "mode": "manual", "protocol": "paper"}]})
>>> model = load_model("siri")
>>> a = add_evidence(score(model, {"vertical_integration": 4}), G)
>>> flag = a.evidence[0]
>>> flag["dimension"], flag["claimed"], flag["supported"], flag["flag"]
('vertical_integration', 4, 2, True)
>>> print(flag["message"])  # doctest: +ELLIPSIS
Vertical integration: claims band 4 (...), but the landscape supports band 2 (...):
3 information islands remain; ...; ERP and MES exchange data by hand (paper).
"""

from __future__ import annotations

import dataclasses
from functools import cache
from importlib import resources
from typing import Any, Literal

import networkx as nx
from pydantic import BaseModel, ConfigDict, model_validator

from maturity.assessment import Assessment
from maturity.reference_model import Text, load_model
from value_chain.errors import Problem, locate, validate_schema
from value_chain.metrics import landscape_metrics
from value_chain.safe_io import read_mapping

__all__ = ["add_evidence", "check_evidence", "evidence_metrics", "load_evidence_rules"]

Metric = Literal[
    "vertical_integration",
    "horizontal_integration",
    "it_ot_convergence",
    "largest_island_share",
    "manual_link_share",
    "ot_connected_share",
    "it_connected_share",
    "realtime_share",
    "partner_automation",
    "digital_thread",
]


class Condition(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    metric: Metric
    min: float | None = None
    max: float | None = None

    def holds(self, value: float | None) -> bool:
        if value is None:  # not measurable: not held against the enterprise
            return True
        if self.min is not None and value < self.min:
            return False
        return not (self.max is not None and value > self.max)


class Check(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str
    model: str
    dimension: str | None = None
    item: str | None = None
    levels: dict[int, list[Condition]]

    @model_validator(mode="after")
    def _one_target(self) -> Check:
        if (self.dimension is None) == (self.item is None):
            raise ValueError("give exactly one of dimension or item")
        return self


class EvidenceRules(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    metrics: dict[Metric, Text]
    checks: list[Check]


@cache
def load_evidence_rules() -> EvidenceRules:
    """The bundled evidence rules, checked against the bundled models."""
    with resources.as_file(resources.files("maturity") / "evidence.yaml") as path:
        data, node = read_mapping(path)
    return validate_schema(EvidenceRules, data, "maturity/evidence.yaml", node, _check_rules)


def _check_rules(rules: EvidenceRules, source: str, node) -> list[Problem]:
    """Every check names a dimension or item of a bundled model."""
    problems = []
    for i, c in enumerate(rules.checks):
        model = load_model(c.model)
        ok = (c.dimension in {d.id for d in model.dimensions}) if c.dimension else (
            c.item in {it.id for it in model.items})
        if not ok:
            problems.append(Problem(source, locate(("checks", i), node),
                                    f"{c.dimension or c.item!r} is not in model {c.model}"))
    return problems


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def evidence_metrics(G: nx.MultiDiGraph, metrics: dict[str, Any] | None = None) -> dict[str, Any]:
    """The landscape measures the evidence rules use (shares in 0-1, None if not measurable)."""
    m = metrics or landscape_metrics(G)
    systems = {n for n, d in G.nodes(data=True) if d.get("kind") == "system"}
    in_group = {s for island in m["islands"] if len(island) > 1 for s in island}
    ot = [s for s in systems if G.nodes[s].get("level", 3) <= 2]
    it = [s for s in systems if G.nodes[s].get("level", 3) >= 3]
    auto = [d.get("mode") for u, v, d in G.edges(data=True)
            if u in systems and v in systems and d.get("mode") in ("realtime", "batch")]
    return {
        "vertical_integration": m["vertical_integration"],
        "horizontal_integration": m["horizontal_integration"],
        "it_ot_convergence": m["it_ot_convergence"],
        "largest_island_share": _share(len(m["islands"][0]), len(systems)) if systems else None,
        "manual_link_share": _share(m["manual_links"], m["links"]),
        "ot_connected_share": _share(sum(s in in_group for s in ot), len(ot)),
        "it_connected_share": _share(sum(s in in_group for s in it), len(it)),
        "realtime_share": _share(auto.count("realtime"), len(auto)),
        "partner_automation": m["value_chain"]["share_automatic"],
        "digital_thread": 1.0 if m["digital_thread"] else 0.0,
        "island_count": m["island_count"],
    }


def _supported(check: Check, values: dict[str, Any], top: int) -> tuple[int, list[Condition]]:
    """Highest level whose listed conditions (and all lower ones) hold; the failed ones."""
    for level in sorted(check.levels):
        failed = [c for c in check.levels[level] if not c.holds(values[c.metric])]
        if failed:
            return level - 1, failed
    return top, []


def _claimed(assessment: Assessment, check: Check) -> int | None:
    if check.dimension:
        return assessment.dimension_result(check.dimension).level
    value = assessment.answers.answers.get(check.item)  # type: ignore[arg-type]
    if value is None:
        return None
    item = next(it for it in assessment.model.items if it.id == check.item)
    option = next(o for o in assessment.model.options(item) if o.value == value)
    return int(option.score)


def _manual_examples(G: nx.MultiDiGraph, lang: str, limit: int = 2) -> list[str]:
    """A few manual links between systems, business-level systems first."""
    rows = []
    for u, v, d in G.edges(data=True):
        nu, nv = G.nodes[u], G.nodes[v]
        if d.get("mode") == "manual" and nu.get("kind") == nv.get("kind") == "system":
            lu, lv = nu.get("level", 0), nv.get("level", 0)
            # links across ISA-95 levels (ERP-MES on paper) say most about integration
            rank = (lu == lv, -(lu + lv))
            rows.append((rank, nu.get("name", u), nv.get("name", v), d.get("protocol")))
    rows.sort(key=lambda r: r[0])
    out = []
    for _, a, b, how in rows[:limit]:
        how_txt = f" ({how})" if how and lang == "en" else (f"（{how}）" if how else "")
        out.append(f"{a} and {b} exchange data by hand{how_txt}" if lang == "en"
                   else f"{a}与{b}之间靠人工传递数据{how_txt}")
    return out


def check_evidence(
    assessment: Assessment, G: nx.MultiDiGraph, *, lang: str = "en"
) -> list[dict[str, Any]]:
    """One record per evidence check of the assessment's model.

    Each record: ``check``, ``model``, ``dimension`` (or ``item``), ``claimed``
    and ``supported`` levels, ``flag`` (claimed above supported),
    ``reasons`` and ``message``.
    """
    rules = load_evidence_rules()
    model = assessment.model
    values = evidence_metrics(G)
    top = max(lv.value for lv in model.levels)
    label = model.level_label(lang)
    out = []
    for check in (c for c in rules.checks if c.model == model.id):
        claimed = _claimed(assessment, check)
        if claimed is None:
            continue
        supported, failed = _supported(check, values, top)
        flag = claimed > supported
        if check.dimension:
            what = model.dimension(check.dimension).name(lang)
        else:
            what = next(it for it in model.items if it.id == check.item).text(lang)
            what = what if len(what) < 60 else what[:57] + "..."
        reasons = [rules.metrics[c.metric](lang).format(value=values[c.metric]) for c in failed]
        record = {
            "check": check.id,
            "model": model.id,
            "dimension": check.dimension,
            "item": check.item,
            "claimed": claimed,
            "supported": supported,
            "flag": flag,
            "reasons": reasons,
        }
        if flag:
            islands = values["island_count"]
            parts = []
            if islands > 1:
                parts.append(f"{islands} information islands remain" if lang == "en"
                             else f"仍有 {islands} 个信息孤岛")
            parts += reasons + _manual_examples(G, lang)
            dim = check.dimension
            c_name = model.dimension_level_name(dim, claimed, lang) if dim else model.level_name(
                claimed, lang)
            s_name = model.dimension_level_name(dim, supported, lang) if dim else model.level_name(
                supported, lang)
            sep = "; " if lang == "en" else "；"
            if lang == "en":
                record["message"] = (f"{what}: claims {label} {claimed} ({c_name}), but the "
                                     f"landscape supports {label} {supported} ({s_name}): "
                                     f"{sep.join(parts)}.")
            else:
                record["message"] = (f"{what}：自评为{label} {claimed}（{c_name}），但现有系统"
                                     f"和数据流只支撑到{label} {supported}（{s_name}）："
                                     f"{sep.join(parts)}。")
        else:
            record["message"] = (f"{what}: {label} {claimed} is consistent with the landscape."
                                 if lang == "en" else f"{what}：自评{label} {claimed} 与现有系统"
                                 "集成情况相符。")
        out.append(record)
    return out


def add_evidence(assessment: Assessment, G: nx.MultiDiGraph, *, lang: str = "en") -> Assessment:
    """A copy of ``assessment`` with the landscape evidence (see :func:`check_evidence`)."""
    return dataclasses.replace(assessment, evidence=check_evidence(assessment, G, lang=lang))
