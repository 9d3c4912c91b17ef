"""The bundled IMPULS, acatech, SIRI, EU DMA and industrial-internet models.

Checks the published structure facts (ids, counts, hierarchy, weights, bands) and the
well-formedness of every text and answer scale. The CMMM model has its own test module.
"""

from __future__ import annotations

import math
import re
from collections import Counter

import pytest

from maturity.reference_model import Item, ReferenceModel, Text, list_models, load_model

MODEL_IDS = ["impuls", "acatech", "siri", "dma", "iiot"]

CJK = re.compile(r"[\u4e00-\u9fff]")
# An option label may be a bare figure such as "0%" or "2.5%–7.5%" in both languages.
FIGURE = re.compile(r"^[0-9.,%\s\-–~<>≤≥]+$")


@pytest.fixture(scope="module", params=MODEL_IDS)
def model(request) -> ReferenceModel:
    return load_model(request.param)


def _texts(m: ReferenceModel) -> list[tuple[str, Text]]:
    """Every bilingual text of a model except answer-option labels, with a readable place."""
    out: list[tuple[str, Text]] = [("title", m.title), ("level_label", m.level_label)]
    out += [(f"notes[{i}]", n.text) for i, n in enumerate(m.notes)]
    for lv in m.levels:
        out.append((f"level {lv.value} name", lv.name))
        if lv.description is not None:
            out.append((f"level {lv.value} description", lv.description))
    out += [(f"group {g.id}", g.name) for g in m.groups]
    for d in m.dimensions:
        out.append((f"dimension {d.id}", d.name))
        if d.description is not None:
            out.append((f"dimension {d.id} description", d.description))
    for it in m.items:
        out.append((f"item {it.id} text", it.text))
        if it.help is not None:
            out.append((f"item {it.id} help", it.help))
        for opt in m.options(it):
            if opt.description is not None:
                out.append((f"item {it.id} option {opt.value!r}", opt.description))
    return out


def _items_by_dimension(m: ReferenceModel) -> dict[str, list[Item]]:
    out: dict[str, list[Item]] = {d.id: [] for d in m.dimensions}
    for it in m.items:
        out[it.dimension].append(it)
    return out


def _own_scale(it: Item) -> list:
    assert isinstance(it.scale, list), f"{it.id} should carry its own options"
    return it.scale


def _assert_stage_scale(it: Item, n: int = 6) -> None:
    """Options 0..n-1, integer values, score = value."""
    options = _own_scale(it)
    assert [o.value for o in options] == list(range(n)), it.id
    assert all(isinstance(o.value, int) for o in options), it.id
    assert [o.score for o in options] == [float(v) for v in range(n)], it.id
    for o in options:
        assert o.description is not None, f"{it.id} option {o.value} has no description"


# ---- every model ------------------------------------------------------------


def test_all_five_are_bundled():
    assert set(MODEL_IDS) <= set(list_models())


def test_identity_sources_and_notes(model: ReferenceModel):
    assert model.id in MODEL_IDS
    assert model.version.strip()
    assert any(s.url and s.url.startswith("http") for s in model.sources)
    assert all(s.citation.strip() for s in model.sources)
    kinds = Counter(n.kind for n in model.notes)
    assert kinds["published"] >= 1 and kinds["our_reading"] >= 1, kinds


def test_every_text_is_bilingual(model: ReferenceModel):
    bad = []
    for where, t in _texts(model):
        if not t.en.strip() or not t.zh.strip():
            bad.append(f"{where}: empty")
        elif not CJK.search(t.zh):
            bad.append(f"{where}: zh has no Chinese characters: {t.zh!r}")
        elif CJK.search(t.en):
            bad.append(f"{where}: en contains Chinese characters: {t.en!r}")
        elif t.en.strip() == t.zh.strip():
            bad.append(f"{where}: en and zh are identical")
    assert not bad, "\n".join(bad)


def test_every_item_has_text_and_help(model: ReferenceModel):
    for it in model.items:
        assert it.help is not None, f"{it.id} has no help"
        for t in (it.text, it.help):
            assert t.en.strip() and CJK.search(t.zh), it.id


def test_levels_and_dimensions_are_described(model: ReferenceModel):
    values = [lv.value for lv in model.levels]
    assert values == list(range(values[0], values[0] + len(values)))
    assert all(lv.description is not None for lv in model.levels)
    assert all(d.description is not None for d in model.dimensions)


def test_every_item_options_are_well_formed(model: ReferenceModel):
    for it in model.items:
        options = model.options(it)
        assert len(options) >= 2, it.id
        values = [str(o.value) for o in options]
        assert len(set(values)) == len(values), f"{it.id}: duplicate values"
        for lang in ("en", "zh"):
            labels = [o.label(lang).strip() for o in options]
            assert all(labels), f"{it.id}: empty {lang} label"
            assert len(set(labels)) == len(labels), f"{it.id}: duplicate {lang} labels"
        for o in options:
            assert math.isfinite(o.score) and o.score >= 0, f"{it.id}: score {o.score}"
            assert CJK.search(o.label.zh) or FIGURE.match(o.label.zh), (it.id, o.label.zh)
            assert not CJK.search(o.label.en), (it.id, o.label.en)
        scores = [o.score for o in options]
        assert min(scores) == 0 and max(scores) > 0, f"{it.id}: scores {scores}"


def test_item_ids_are_unique_and_dimensions_all_used(model: ReferenceModel):
    ids = [it.id for it in model.items]
    assert len(set(ids)) == len(ids)
    used = {it.dimension for it in model.items}
    assert used == {d.id for d in model.dimensions}


# ---- IMPULS -------------------------------------------------------------------

IMPULS_FIELDS = {
    "strategy_organization": ["strategy", "investments", "innovation_management"],
    "smart_factory": ["digital_modelling", "equipment_infrastructure", "data_usage", "it_systems"],
    "smart_operations": [
        "cloud_usage",
        "it_security",
        "autonomous_processes",
        "information_sharing",
    ],
    "smart_products": ["ict_addons", "data_analytics_usage"],
    "data_driven_services": ["data_driven_services", "revenue_share", "data_use_share"],
    "employees": ["skill_sets", "skill_acquisition"],
}
IMPULS_WEIGHTS = {
    "strategy_organization": 25,
    "smart_factory": 14,
    "smart_operations": 10,
    "smart_products": 19,
    "data_driven_services": 14,
    "employees": 18,
}


def test_impuls_structure():
    m = load_model("impuls")
    assert m.version == "2015"
    assert (m.level_label.en, m.level_label.zh) == ("stage", "阶段")
    assert [(lv.value, lv.name.en, lv.name.zh) for lv in m.levels] == [
        (0, "Outsider", "局外者"),
        (1, "Beginner", "初学者"),
        (2, "Intermediate", "中级者"),
        (3, "Experienced", "有经验者"),
        (4, "Expert", "专家"),
        (5, "Top performer", "卓越者"),
    ]
    assert m.groups == []
    assert [d.id for d in m.dimensions] == list(IMPULS_FIELDS)
    assert all(d.group is None for d in m.dimensions)
    expected = [f"{d}.{f}" for d, fields in IMPULS_FIELDS.items() for f in fields]
    assert len(expected) == 18
    assert [it.id for it in m.items] == expected
    for it in m.items:
        assert it.level is None
        assert it.dimension == it.id.split(".")[0]
        _assert_stage_scale(it)


def test_impuls_rules_weights_and_classes():
    rules = load_model("impuls").rules
    assert rules.method == "minimum"
    assert rules.weights == IMPULS_WEIGHTS
    assert sum(rules.weights.values()) == 100
    assert [(c.id, c.name.en, c.name.zh, c.levels) for c in rules.classes] == [
        ("newcomer", "Newcomer", "新手", [0, 1]),
        ("learner", "Learner", "学习者", [2]),
        ("leader", "Leader", "领先者", [3, 4, 5]),
    ]
    covered = sorted(lv for c in rules.classes for lv in c.levels)
    assert covered == [0, 1, 2, 3, 4, 5]


def test_impuls_notes_state_the_published_rule():
    m = load_model("impuls")
    published = " ".join(n.text.en for n in m.notes if n.kind == "published")
    assert "p. 26" in published and "minimum" in published
    for w in ("25", "14", "10", "19", "18"):
        assert w in published
    reading = " ".join(n.text.en for n in m.notes if n.kind == "our_reading")
    assert "18 fields" in reading and "Outsider" in reading and "newcomer" in reading


# ---- acatech ------------------------------------------------------------------

ACATECH_AREAS = {
    "resources": ["digital_capability", "structured_communication"],
    "information_systems": ["information_processing", "information_system_integration"],
    "organisational_structure": ["organic_organisation", "value_network_collaboration"],
    "culture": ["willingness_to_change", "social_collaboration"],
}
ACATECH_FUNCTIONAL = ["development", "production", "logistics", "services", "marketing_sales"]


def test_acatech_stages():
    m = load_model("acatech")
    assert m.version == "2020 update"
    assert (m.level_label.en, m.level_label.zh) == ("stage", "阶段")
    assert [(lv.value, lv.name.en, lv.name.zh) for lv in m.levels] == [
        (0, "Not yet computerised", "尚未达到计算机化"),
        (1, "Computerisation", "计算机化"),
        (2, "Connectivity", "互联"),
        (3, "Visibility", "可视化"),
        (4, "Transparency", "透明化"),
        (5, "Predictive capacity", "预测能力"),
        (6, "Adaptability", "自适应"),
    ]


def test_acatech_areas_principles_and_functional_areas():
    m = load_model("acatech")
    assert [(g.id, g.kind) for g in m.groups] == [
        *[(a, "structural_area") for a in ACATECH_AREAS],
        ("functional_areas", "functional_area_set"),
    ]
    assert all(g.parent is None for g in m.groups)
    principles = [(d.id, d.group) for d in m.dimensions if d.group in ACATECH_AREAS]
    assert principles == [(p, a) for a, ps in ACATECH_AREAS.items() for p in ps]
    assert len(principles) == 4 * 2
    functional = [d.id for d in m.dimensions if d.group == "functional_areas"]
    assert functional == ACATECH_FUNCTIONAL
    assert len(m.dimensions) == 13


def test_acatech_six_stages_per_dimension():
    m = load_model("acatech")
    assert len(m.items) == 13 * 6
    for dim, items in _items_by_dimension(m).items():
        assert [it.id for it in items] == [f"{dim}.S{s}" for s in range(1, 7)]
        assert [it.level for it in items] == list(range(1, 7))
        assert all(it.scale == "capability" for it in items)
    (scale,) = m.scales
    assert scale.id == "capability"
    assert [(o.value, o.score, o.label.zh) for o in scale.options] == [
        ("yes", 1.0, "已具备"),
        ("partly", 0.5, "部分具备"),
        ("no", 0.0, "不具备"),
    ]
    assert m.rules.method == "staged"
    assert m.rules.pass_threshold == 1.0
    assert m.rules.overall == "mean"


# ---- SIRI -----------------------------------------------------------------------

SIRI_PILLARS = {  # pillar -> building block
    "operations": "process",
    "supply_chain": "process",
    "product_lifecycle": "process",
    "automation": "technology",
    "connectivity": "technology",
    "intelligence": "technology",
    "talent_readiness": "organisation",
    "structure_management": "organisation",
}
SIRI_DIMENSIONS = [  # in order D1..D16, with their pillar
    ("vertical_integration", "operations"),
    ("horizontal_integration", "supply_chain"),
    ("integrated_product_lifecycle", "product_lifecycle"),
    ("automation_shop_floor", "automation"),
    ("automation_enterprise", "automation"),
    ("automation_facility", "automation"),
    ("connectivity_shop_floor", "connectivity"),
    ("connectivity_enterprise", "connectivity"),
    ("connectivity_facility", "connectivity"),
    ("intelligence_shop_floor", "intelligence"),
    ("intelligence_enterprise", "intelligence"),
    ("intelligence_facility", "intelligence"),
    ("workforce_learning", "talent_readiness"),
    ("leadership_competency", "talent_readiness"),
    ("collaboration", "structure_management"),
    ("strategy_governance", "structure_management"),
]


def test_siri_blocks_pillars_dimensions():
    m = load_model("siri")
    blocks = [g.id for g in m.groups if g.kind == "building_block"]
    assert blocks == ["process", "technology", "organisation"]
    assert all(g.parent is None for g in m.groups if g.kind == "building_block")
    pillars = {g.id: g.parent for g in m.groups if g.kind == "pillar"}
    assert pillars == SIRI_PILLARS
    assert len(m.groups) == 3 + 8
    assert [(d.id, d.group) for d in m.dimensions] == SIRI_DIMENSIONS
    for n, d in enumerate(m.dimensions, start=1):
        assert re.search(rf"\bD{n}\b", d.description.en), (d.id, d.description.en)
        assert re.search(rf"D{n}(?![0-9])", d.description.zh), (d.id, d.description.zh)
        others = [k for k in range(1, 17) if k != n and re.search(rf"\bD{k}\b", d.description.en)]
        assert not others, (d.id, others)
    # the technology block is 3 aspects x 3 scopes
    tech = [d.id for d in m.dimensions if SIRI_PILLARS[d.group] == "technology"]
    assert len(tech) == 9


def test_siri_bands_and_items():
    m = load_model("siri")
    assert (m.level_label.en, m.level_label.zh) == ("band", "等级")
    assert [(lv.value, lv.name.en, lv.name.zh) for lv in m.levels] == [
        (k, f"Band {k}", f"第{k}级") for k in range(6)
    ]
    assert [it.id for it in m.items] == [d for d, _ in SIRI_DIMENSIONS]
    for it in m.items:
        assert it.dimension == it.id and it.level is None
        _assert_stage_scale(it)
        assert all(len(o.label.en) <= 30 for o in _own_scale(it)), it.id
    vertical = m.items[0]
    assert [o.label.en for o in _own_scale(vertical)] == [
        "Undefined",
        "Defined",
        "Digital",
        "Integrated",
        "Automated",
        "Intelligent",
    ]
    assert m.rules.method == "band"


# ---- EU DMA -------------------------------------------------------------------

DMA_DIMENSIONS = [
    "digital_business_strategy",
    "digital_readiness",
    "human_centric",
    "data_management",
    "automation_ai",
    "green_digitalisation",
]


def test_dma_structure_and_bands():
    m = load_model("dma")
    assert (m.level_label.en, m.level_label.zh) == ("band", "等级")
    assert [(lv.value, lv.name.en, lv.name.zh) for lv in m.levels] == [
        (1, "Basic", "基础"),
        (2, "Average", "一般"),
        (3, "Moderately advanced", "较先进"),
        (4, "Advanced", "先进"),
    ]
    assert [d.id for d in m.dimensions] == DMA_DIMENSIONS
    per_dim = _items_by_dimension(m)
    assert all(3 <= len(items) <= 4 for items in per_dim.values()), {
        d: len(v) for d, v in per_dim.items()
    }
    assert 18 <= len(m.items) <= 24
    for it in m.items:
        assert it.level is None
        assert it.id.startswith(f"{it.dimension}.") and it.id.count(".") == 1
    assert m.rules.method == "percent"
    assert [(b.min, b.max, b.level) for b in m.rules.score_bands] == [
        (0, 26, 1),
        (26, 51, 2),
        (51, 71, 3),
        (71, 100, 4),
    ]


def test_dma_shared_scales():
    m = load_model("dma")
    scales = {s.id: s for s in m.scales}
    assert [(o.value, o.score) for o in scales["extent4"].options] == [
        (0, 0),
        (1, 1),
        (2, 2),
        (3, 3),
    ]
    assert [(o.value, o.score) for o in scales["yesno"].options] == [("no", 0), ("yes", 1)]


# ---- industrial internet (derived from AII 2.0) ---------------------------------

IIOT_DIMENSIONS = [
    ("network", "functional_systems", "网络"),
    ("identification", "functional_systems", "标识解析"),
    ("platform", "functional_systems", "平台"),
    ("security", "functional_systems", "安全"),
    ("data_sensing_control", "data_loop", "感知控制"),
    ("data_digital_model", "data_loop", "数字模型"),
    ("data_decision_optimisation", "data_loop", "决策优化"),
]
IIOT_ITEM_ID = re.compile(r"^(?P<dim>[a-z_]+)\.L(?P<level>[1-5])\.(?P<n>[12])$")


def test_iiot_levels_groups_dimensions():
    m = load_model("iiot")
    assert (m.level_label.en, m.level_label.zh) == ("level", "等级")
    assert [(lv.value, lv.name.en, lv.name.zh) for lv in m.levels] == [
        (0, "Not yet level 1", "未达一级"),
        (1, "Initial", "起步级"),
        (2, "Connected", "互联级"),
        (3, "Integrated", "集成级"),
        (4, "Optimising", "优化级"),
        (5, "Ecosystem", "生态级"),
    ]
    assert [g.id for g in m.groups] == ["functional_systems", "data_loop"]
    assert [(d.id, d.group, d.name.zh) for d in m.dimensions] == IIOT_DIMENSIONS
    network = m.dimension("network").description.zh
    assert "工厂内网络" in network and "工厂外网络" in network


def test_iiot_requirements_per_level():
    m = load_model("iiot")
    assert len(m.items) >= 35
    for dim, items in _items_by_dimension(m).items():
        per_level = Counter(it.level for it in items)
        assert sorted(per_level) == [1, 2, 3, 4, 5], dim
        assert all(1 <= c <= 2 for c in per_level.values()), (dim, per_level)
        for it in items:
            match = IIOT_ITEM_ID.match(it.id)
            assert match, it.id
            assert match["dim"] == dim and int(match["level"]) == it.level
            assert it.scale == "rating"
        for level, count in per_level.items():
            ns = sorted(IIOT_ITEM_ID.match(it.id)["n"] for it in items if it.level == level)
            assert ns == [str(k) for k in range(1, count + 1)], (dim, level, ns)
    (scale,) = m.scales
    assert [(o.value, o.score, o.label.zh) for o in scale.options] == [
        ("fully", 1.0, "全部满足"),
        ("mostly", 0.8, "大部分满足"),
        ("partly", 0.5, "部分满足"),
        ("not", 0.0, "不满足"),
    ]
    assert (m.rules.method, m.rules.pass_threshold, m.rules.overall) == ("staged", 0.8, "mean")


def test_iiot_says_it_is_derived_not_official():
    m = load_model("iiot")
    assert "derived" in m.title.en.lower()
    reading = [n.text for n in m.notes if n.kind == "our_reading"]
    assert any("not an official maturity model" in t.en.lower() for t in reading)
    assert any("非官方" in t.zh or "并非官方" in t.zh for t in reading)


def test_cli_lists_the_models_with_their_variants(capsys):
    import json

    from maturity.cli import main

    assert main(["models", "--json"]) == 0
    rows = {r["model"]: r for r in json.loads(capsys.readouterr().out)}
    assert set(rows) == {"acatech", "cmmm", "dma", "iiot", "impuls", "siri"}
    assert rows["cmmm"]["variants"] == ["equal_weights"] and rows["impuls"]["variants"] == []
    assert rows["cmmm"]["items"] == 136 and rows["impuls"]["items"] == 18
    assert {"title", "version", "source", "scale", "items", "variants"} <= set(rows["cmmm"])
    assert main(["models", "--lang", "zh"]) == 0
    out = capsys.readouterr().out
    assert "智能制造能力成熟度模型" in out and "cmmm: equal_weights" in out


def test_crosswalk_names_real_levels_and_dimensions():
    from maturity.crosswalk import load_crosswalk, place_band, place_level

    cw = load_crosswalk()
    assert set(cw.models()) == {"cmmm", "acatech", "siri", "iiot", "impuls", "dma"}
    for model_id in cw.models():
        model = load_model(model_id)
        levels = {lv.value for lv in model.levels}
        column = [step.levels[model_id] for step in cw.ladder]
        assert set(column) <= levels, model_id
        assert column == sorted(column), model_id  # the ladder never goes down
        dims = {d.id for d in model.dimensions}
        assert set(cw.dimensions[model_id]) <= dims, model_id
    # SIRI is on the integration ladder through its integration dimensions only
    assert cw.dimensions["siri"] == ["vertical_integration", "horizontal_integration"]
    # its intelligence bands go to acatech directly: visible 3, diagnostic 4, predictive 5,
    # adaptive 6; no data use and recorded are not placed
    band = cw.bands["siri_intelligence"]
    siri = load_model("siri")
    assert set(band.dimensions) <= {d.id for d in siri.dimensions}
    assert [place_band(b, "siri_intelligence") for b in range(6)] == [None, None, 3, 4, 5, 6]
    assert place_level(5, "impuls", "acatech") == (6, 6)
    assert place_level(4, "dma", "cmmm") == (4, 5)


@pytest.mark.parametrize(("item_id", "things"), [
    ("digital_business_strategy.preparedness", 5), ("digital_readiness.basic_technologies", 6),
    ("data_management.security", 5), ("green_digitalisation.green_business", 4)])
def test_dma_double_barrelled_items_are_checklists(item_id, things):
    # issue 10 §4: one thing per tick, the answer counts them; values and points as before
    m = load_model("dma")
    item = next(it for it in m.items if it.id == item_id)
    assert f"({things})" in item.text.en and f"({things + 1})" not in item.text.en
    options = m.options(item)
    assert [(o.value, o.score) for o in options] == [(0, 0), (1, 1), (2, 2), (3, 3)]
    assert options[-1].label.en.startswith("All") and options[0].label.en.startswith("None")
    assert any(item_id.split(".")[1] in n.text.en for n in m.notes if "checklist" in n.text.en)


@pytest.mark.parametrize(("item_id", "one_thing"), [
    ("strategy_organization.investments", "In how many of these eight functions"),
    ("smart_operations.it_security", "How many of these five security measures"),
    ("smart_factory.equipment_infrastructure", "can both be controlled through IT and exchange"),
    ("data_driven_services.data_use_share", "feeds at least one report, model or service")])
def test_impuls_items_ask_one_thing(item_id, one_thing):
    m = load_model("impuls")
    item = next(it for it in m.items if it.id == item_id)
    assert one_thing in item.text.en
    assert [o.value for o in m.options(item)] == [0, 1, 2, 3, 4, 5]  # the stages, as before
    assert any(item_id.split(".")[1] in n.text.en for n in m.notes if "issue 10" in n.text.en)


@pytest.mark.parametrize("dim", ["automation_shop_floor", "connectivity_shop_floor",
                                 "connectivity_enterprise", "leadership_competency",
                                 "collaboration", "strategy_governance"])
def test_siri_items_ask_which_band(dim):
    # issue 10 §4: one question, which band of the dimension's ladder is true in full
    m = load_model("siri")
    (item,) = [it for it in m.items if it.dimension == dim]
    assert item.text.en.startswith("Which band") and " and how " not in item.text.en
    assert item.text.zh.startswith("哪一级") and item.text.zh.count("？") == 1
    assert [o.value for o in m.options(item)] == [0, 1, 2, 3, 4, 5]
    assert any(dim in n.text.en for n in m.notes if "issue 10" in n.text.en)
