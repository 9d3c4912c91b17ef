"""The bundled GB/T 39116-2020 CMMM model: structure, texts, scale, weights and bands."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from maturity.reference_model import ReferenceModel, Text, load_model
from maturity.scoring import score

CJK = re.compile(r"[\u4e00-\u9fff]")
# <sub-domain>.L<level>.<n>, and <n>a, <n>b... for the parts of a requirement split in issue 10
ITEM_ID = re.compile(
    r"^(?P<dim>[a-z][a-z_]*)\.L(?P<level>[1-5])\.(?P<n>[1-9][0-9]*)(?P<part>[a-d]?)$")

ELEMENTS = {"personnel": "人员", "technology": "技术", "resources": "资源", "manufacturing": "制造"}

DOMAINS = {  # id -> (parent element, Chinese name)
    "dom_organisation": ("personnel", "组织战略"),
    "dom_skills": ("personnel", "人员技能"),
    "dom_data": ("technology", "数据"),
    "dom_integration": ("technology", "集成"),
    "dom_security": ("technology", "信息安全"),
    "dom_equipment": ("resources", "装备"),
    "dom_network": ("resources", "网络"),
    "dom_design": ("manufacturing", "设计"),
    "dom_production": ("manufacturing", "生产"),
    "dom_logistics": ("manufacturing", "物流"),
    "dom_sales": ("manufacturing", "销售"),
    "dom_service": ("manufacturing", "服务"),
}

SUB_DOMAINS = {  # id -> (domain, Chinese name)
    "org_strategy": ("dom_organisation", "组织战略"),
    "personnel_skills": ("dom_skills", "人员技能"),
    "data": ("dom_data", "数据"),
    "integration": ("dom_integration", "集成"),
    "info_security": ("dom_security", "信息安全"),
    "equipment": ("dom_equipment", "装备"),
    "network": ("dom_network", "网络"),
    "product_design": ("dom_design", "产品设计"),
    "process_design": ("dom_design", "工艺设计"),
    "procurement": ("dom_production", "采购"),
    "planning_scheduling": ("dom_production", "计划与调度"),
    "production_operations": ("dom_production", "生产作业"),
    "equipment_management": ("dom_production", "设备管理"),
    "warehousing_distribution": ("dom_production", "仓储配送"),
    "safety_environment": ("dom_production", "安全环保"),
    "energy_management": ("dom_production", "能源管理"),
    "logistics": ("dom_logistics", "物流"),
    "sales": ("dom_sales", "销售"),
    "customer_service": ("dom_service", "客户服务"),
    "product_service": ("dom_service", "产品服务"),
}

# Weight groups of the 2024 draft revision (secondary source), discrete / process, per cent.
# The five weight groups of the 2024 draft WD 2024005769 (issue 10 §3): sub-domains and the
# discrete / process shares in per cent. Procurement and planning & scheduling are business
# operations there, not production.
DRAFT_GROUPS = {
    "organisation_strategy": (("org_strategy", "personnel_skills"), 7, 7),
    "factory_build": (("data", "integration", "info_security", "equipment", "network"), 15, 24),
    "rd_design": (("product_design", "process_design"), 11, 4),
    "production": (("production_operations", "equipment_management", "warehousing_distribution",
                    "safety_environment", "energy_management"), 37, 42),
    "business_operations": (("procurement", "planning_scheduling", "logistics", "sales",
                             "customer_service", "product_service"), 30, 23),
}


@pytest.fixture(scope="module")
def model() -> ReferenceModel:
    return load_model("cmmm")


def _all_texts(m: ReferenceModel) -> list[tuple[str, Text]]:
    out: list[tuple[str, Text]] = [("title", m.title), ("level_label", m.level_label)]
    out += [(f"notes[{i}]", n.text) for i, n in enumerate(m.notes)]
    for lv in m.levels:
        out.append((f"level {lv.value} name", lv.name))
        assert lv.description is not None, f"level {lv.value} has no description"
        out.append((f"level {lv.value} description", lv.description))
    out += [(f"group {g.id}", g.name) for g in m.groups]
    for d in m.dimensions:
        out.append((f"dimension {d.id} name", d.name))
        assert d.description is not None, f"dimension {d.id} has no description"
        out.append((f"dimension {d.id} description", d.description))
    for s in m.scales:
        for o in s.options:
            out.append((f"scale {s.id} option {o.value} label", o.label))
            if o.description is not None:
                out.append((f"scale {s.id} option {o.value} description", o.description))
    for it in m.items:
        out.append((f"item {it.id} text", it.text))
        assert it.help is not None, f"item {it.id} has no help"
        out.append((f"item {it.id} help", it.help))
    return out


def test_identity(model: ReferenceModel) -> None:
    assert model.id == "cmmm"
    assert model.version == "GB/T 39116-2020"
    assert model.level_label.en == "level"
    assert model.level_label.zh == "等级"
    citations = " ".join(s.citation for s in model.sources)
    assert "GB/T 39116-2020" in citations
    assert "GB/T 39117-2020" in citations
    assert "mdt-wiki" in citations
    assert {n.kind for n in model.notes} == {"published", "our_reading"}


def test_elements(model: ReferenceModel) -> None:
    elements = {g.id: g for g in model.groups if g.kind == "element"}
    assert set(elements) == set(ELEMENTS)
    for gid, zh in ELEMENTS.items():
        assert elements[gid].parent is None
        assert elements[gid].name.zh == zh


def test_domains(model: ReferenceModel) -> None:
    domains = {g.id: g for g in model.groups if g.kind == "domain"}
    assert set(domains) == set(DOMAINS)
    for gid, (parent, zh) in DOMAINS.items():
        assert domains[gid].parent == parent
        assert domains[gid].name.zh == zh
    assert len(model.groups) == 4 + 12


def test_sub_domains(model: ReferenceModel) -> None:
    assert [d.id for d in model.dimensions] == list(SUB_DOMAINS)
    for d in model.dimensions:
        group, zh = SUB_DOMAINS[d.id]
        assert d.group == group
        assert d.name.zh == zh
    assert len(model.dimensions) == 20


def test_levels(model: ReferenceModel) -> None:
    assert [lv.value for lv in model.levels] == [0, 1, 2, 3, 4, 5]
    names = [model.level_name(v, "zh") for v in range(1, 6)]
    assert names == ["规划级", "规范级", "集成级", "优化级", "引领级"]
    assert model.level_name(0, "zh") == "未达到规划级"
    en = [model.level_name(v, "en") for v in range(1, 6)]
    assert en == ["Planning", "Standardised", "Integrated", "Optimised", "Leading"]


def test_every_cell_has_one_or_two_items(model: ReferenceModel) -> None:
    # one or two requirements per cell, the parts of a split requirement counted as one
    part_of = {part: sp.id for sp in model.split_items for part in sp.into}
    cells = Counter((it.dimension, it.level) for it in model.items if it.id not in part_of)
    items = {it.id: it for it in model.items}
    cells.update([(items[sp.into[0]].dimension, items[sp.into[0]].level)
                  for sp in model.split_items])
    for dim in SUB_DOMAINS:
        for level in range(1, 6):
            assert 1 <= cells[(dim, level)] <= 2, (dim, level, cells[(dim, level)])
    assert set(cells) == {(d, lv) for d in SUB_DOMAINS for lv in range(1, 6)}
    assert 120 <= len(model.items) <= 140


def test_item_ids(model: ReferenceModel) -> None:
    numbers: dict[tuple[str, int], list[int]] = {}
    for it in model.items:
        match = ITEM_ID.match(it.id)
        assert match, f"bad item id {it.id!r}"
        assert match["dim"] == it.dimension, it.id
        assert int(match["level"]) == it.level, it.id
        assert it.scale == "rating", it.id
        if match["part"] in ("", "a"):
            numbers.setdefault((it.dimension, it.level), []).append(int(match["n"]))
    for cell, ns in numbers.items():
        assert ns == list(range(1, len(ns) + 1)), (cell, ns)
    # the parts of a split requirement are its old id with a, b, c... in order
    for sp in model.split_items:
        assert sp.into == [f"{sp.id}{chr(ord('a') + i)}" for i in range(len(sp.into))], sp.id


def test_texts_are_bilingual(model: ReferenceModel) -> None:
    for where, text in _all_texts(model):
        assert text.en.strip(), f"{where}: empty en"
        assert text.zh.strip(), f"{where}: empty zh"
        assert CJK.search(text.zh), f"{where}: zh has no Chinese characters: {text.zh!r}"


def test_rating_scale(model: ReferenceModel) -> None:
    assert [s.id for s in model.scales] == ["rating"]
    options = model.scales[0].options
    assert [(o.value, o.score, o.label.zh) for o in options] == [
        ("fully", 1.0, "全部满足"),
        ("mostly", 0.8, "大部分满足"),
        ("partly", 0.5, "部分满足"),
        ("not", 0.0, "不满足"),
    ]


def test_rules(model: ReferenceModel) -> None:
    rules = model.rules
    assert rules.method == "cmmm"
    assert rules.pass_threshold == pytest.approx(0.8)
    assert rules.default_industry_type == "discrete"
    assert "WD 2024005769" in rules.weights_source and "not the annex" in rules.weights_source
    # the version label says where the numbers come from, in both languages
    assert "WD 2024005769" in model.rules_version.en and "WD 2024005769" in model.rules_version.zh
    assert "草案" in model.rules_version.zh


def test_weight_groups_are_those_of_the_draft(model: ReferenceModel) -> None:
    groups = model.rules.group_dimensions(model)
    assert {g: tuple(d) for g, d in groups.items()} == {g: s[0] for g, s in DRAFT_GROUPS.items()}
    assert model.rules.weight_group_names["business_operations"].zh == "业务运营"


@pytest.mark.parametrize("industry_type", ["discrete", "process"])
def test_weights(model: ReferenceModel, industry_type: str) -> None:
    weights = model.rules.weights[industry_type]
    column = 1 if industry_type == "discrete" else 2
    assert weights == {name: spec[column] for name, spec in DRAFT_GROUPS.items()}
    assert sum(weights.values()) == 100


def test_equal_weights_variant(model: ReferenceModel) -> None:
    rules = model.rules_for("equal_weights")
    assert rules.weight_group_kind == "domain" and rules.weight_groups is None
    for itype in ("discrete", "process"):
        assert rules.weights[itype] == dict.fromkeys(DOMAINS, 1)
    assert model.rules_for(None) is model.rules


def test_levels_weighed_by_hand_with_draft_groups(model: ReferenceModel) -> None:
    # Everything at levels 1-2 fully met; at level 3 only procurement is fully met.
    # Draft groups: procurement is 1 of the 6 business-operations sub-domains (30 % discrete),
    # so S3 = 30 * (1 / 6) / 100 = 0.05 and S = 2.05 (in the old encoding procurement sat in
    # production: 37 * (1 / 7) / 100 = 0.0529). Equal weights over the 12 domains: procurement
    # is 1 of the 7 production sub-domains -> S3 = (1 / 7) / 12 = 0.0119 -> S = 2.0119.
    met = {it.id for it in model.items
           if it.level <= 2 or (it.dimension == "procurement" and it.level == 3)}
    answers = {it.id: "fully" if it.id in met else "not" for it in model.items}
    a = score(model, {"model": "cmmm", "answers": answers})
    assert a.score == pytest.approx(2.05)
    b = score(model, {"model": "cmmm", "answers": answers}, variant="equal_weights")
    assert b.score == pytest.approx(2 + 1 / 7 / 12)


def test_not_applicable_sub_domains(model: ReferenceModel) -> None:
    assert model.allows_not_applicable("product_service.L1.1")
    assert model.allows_not_applicable("product_design.L3.1")
    assert not model.allows_not_applicable("production_operations.L1.1")
    assert "annex" in model.applicability.note.en


def test_score_bands(model: ReferenceModel) -> None:
    bands = [(b.min, b.max, b.level) for b in model.rules.score_bands]
    assert bands == [
        (0.0, 0.8, 0),
        (0.8, 1.8, 1),
        (1.8, 2.8, 2),
        (2.8, 3.8, 3),
        (3.8, 4.8, 4),
        (4.8, 5.0, 5),
    ]
