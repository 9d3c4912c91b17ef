"""Self-assessment against landscape evidence: required flows, figures over functions,
thresholds as data, flags that name systems and links - each worked out by hand."""

from __future__ import annotations

import copy
import json
import re

import pytest

from maturity import load_model, score
from maturity.cli import main
from maturity.demo import example_answers, example_landscape_path
from maturity.evidence import (
    EvidenceRules,
    _check_rules,
    add_evidence,
    check_evidence,
    evidence_message,
    evidence_metrics,
    load_evidence_rules,
)
from value_chain import landscape_from_dict, read_landscape
from value_chain.errors import InputError, validate_schema


def _plant(erp_mes_mode: str, *, bidirectional: bool = False, plcs: int = 1):
    """ERP (L4), MES (L3), SCADA (L2), PLCs of one cell (L1) wired to the SCADA, one PLC
    alone; MES-SCADA realtime both ways; the supplier by e-mail."""
    systems = [
        {"id": "erp", "name": "ERP", "type": "ERP", "stage": "management"},
        {"id": "mes", "name": "MES", "type": "MES", "stage": "production"},
        {"id": "scada", "name": "SCADA", "type": "SCADA", "stage": "production"},
        {"id": "lone", "name": "PLC lone", "type": "PLC", "stage": "production"},
    ]
    systems += [{"id": f"plc{i}", "name": f"PLC {i}", "type": "PLC", "cell": "line 1"}
                for i in range(plcs)]
    links = [
        {"source": "erp", "target": "mes", "mode": erp_mes_mode, "protocol": "paper",
         "bidirectional": bidirectional},
        {"source": "scada", "target": "mes", "mode": "realtime", "protocol": "OPC UA",
         "bidirectional": True},
        {"source": "erp", "target": "sup", "mode": "manual", "protocol": "e-mail"},
    ]
    links += [{"source": f"plc{i}", "target": "scada", "mode": "realtime",
               "bidirectional": True} for i in range(plcs)]
    return landscape_from_dict({
        "systems": systems,
        "partners": [{"id": "sup", "name": "Supplier", "role": "supplier"}],
        "links": links,
    })


def test_evidence_metrics_worked_by_hand():
    m = evidence_metrics(_plant("manual"))
    assert m["largest_island_share"] == 0.6  # rounded to 6 digits
    # Islands: {mes, scada, plc0}, {erp}, {lone}: functions 5, largest 3 -> 3/5.
    assert m["island_count"] == 3 and m["largest_island_share"] == pytest.approx(3 / 5)
    # Levels 3, 2, 1.  MES: no orders from the ERP and nothing up -> 0.  SCADA: reaches the
    # MES, which does not reach the ERP -> 0; PLCs likewise -> 0.
    assert m["vertical_integration"] == 0.0 and m["vertical_levels_linked"] == 0.0
    # OT functions: scada, the line-1 PLC cell, the lone PLC; the first two are linked.
    assert m["ot_connected_share"] == pytest.approx(2 / 3)
    assert m["it_connected_share"] == pytest.approx(1 / 2)  # mes yes, erp no
    assert m["it_ot_convergence"] == pytest.approx(2 / 3)  # scada and cell reach the MES
    assert m["realtime_share"] == 1.0  # pairs scada-mes and cell-scada, both realtime
    assert m["partner_automation"] == 0.0 and m["digital_thread"] == 0.0

    m2 = evidence_metrics(_plant("batch", bidirectional=True))
    # ERP <-> MES by batch: every level integrated (MES both ways, SCADA and PLCs up).
    assert m2["island_count"] == 2 and m2["vertical_levels_linked"] == 1.0
    assert m2["vertical_integration"] == pytest.approx((1 + 1 + 0.5) / 3)


def test_twelve_plcs_do_not_decide_a_claim():
    model = load_model("siri")
    for plcs in (1, 12):
        a = add_evidence(score(model, {"vertical_integration": 3}), _plant("manual", plcs=plcs))
        rec = next(e for e in a.evidence if e["dimension"] == "vertical_integration")
        assert (rec["claimed"], rec["supported"], rec["flag"]) == (3, 2, True)
    fine, coarse = evidence_metrics(_plant("manual", plcs=12)), evidence_metrics(_plant("manual"))
    assert fine == coarse


def test_siri_vertical_integration_needs_the_erp_mes_flows_both_ways():
    model = load_model("siri")
    manual = add_evidence(score(model, {"vertical_integration": 3}), _plant("manual"))
    rec = next(e for e in manual.evidence if e["dimension"] == "vertical_integration")
    assert (rec["claimed"], rec["supported"], rec["flag"]) == (3, 2, True)
    assert rec["claims"] == ["vertical_integrated"]
    flows = {x["flow"]: x["status"] for x in rec["failures"] if x["kind"] == "flow"}
    # ERP -> MES is on paper (a manual link: named); MES -> ERP has no link at all.
    assert flows == {"erp_to_mes_orders": "manual", "mes_to_erp_completions": "not_linked"}
    assert "3 information islands remain" in rec["message"]
    assert "production orders from ERP to MES go by hand (ERP → MES, paper)" in rec["message"]
    assert "completions from MES to ERP: no automatic path from MES to ERP" in rec["message"]
    # One way by batch: orders flow, completions do not: still band 2.
    one_way = add_evidence(score(model, {"vertical_integration": 3}), _plant("batch"))
    rec = next(e for e in one_way.evidence if e["dimension"] == "vertical_integration")
    assert rec["supported"] == 2
    assert [x["flow"] for x in rec["failures"] if x["kind"] == "flow"] == [
        "mes_to_erp_completions"]
    # Both ways: flows hold, every level passes data up, vertical 0.83 >= 0.5 and IT/OT
    # 2/3 >= 0.5: band 3; band 4 needs vertical >= 0.8 (holds) and IT/OT >= 0.8 (fails).
    both = add_evidence(score(model, {"vertical_integration": 3}),
                        _plant("batch", bidirectional=True))
    rec = next(e for e in both.evidence if e["dimension"] == "vertical_integration")
    assert (rec["supported"], rec["flag"]) == (3, False)


def test_the_same_claim_has_the_same_requirements_in_every_model():
    rules = load_evidence_rules()
    levels = {c.id: c.levels for c in rules.checks}
    # Integration "level 3" means one thing: CMMM integration 3, acatech stage 3, IMPULS 3.
    assert levels["cmmm.integration"][3] == levels["acatech.information_system_integration"][3]
    assert levels["cmmm.integration"][3] == levels["impuls.information_sharing"][3]
    # Every figure condition names a threshold, and every threshold gives its reason.
    assert {t: r.value for t, r in rules.thresholds.items()} == {
        "some": 0.3, "most": 0.5, "largely": 0.8, "all": 1.0}
    assert all(len(t.why) > 20 for t in rules.thresholds.values())
    # acatech's structured communication (between people and roles) is not checked.
    assert "acatech.structured_communication" not in levels


def test_rules_with_unknown_names_are_reported_with_their_place():
    data = json.loads(load_evidence_rules().model_dump_json(by_alias=True))
    broken = copy.deepcopy(data)
    broken["checks"][0]["levels"]["3"] = ["no_such_claim"]
    broken["claims"]["end_to_end"]["metrics"][0]["at_least"] = "plenty"
    broken["flows"]["made_up"] = broken["flows"]["supplier_edi"]
    with pytest.raises(InputError) as err:
        validate_schema(EvidenceRules, broken, "evidence.yaml", None, _check_rules)
    text = str(err.value)
    assert "unknown claim 'no_such_claim'" in text
    assert "unknown threshold 'plenty'" in text
    assert "flow 'made_up' has no evidence.flow_name.made_up message" in text


def test_item_level_check_for_impuls_information_sharing():
    model = load_model("impuls")
    a = add_evidence(score(model, {"smart_operations.information_sharing": 4}), _plant("manual"))
    rec = a.evidence[0]
    # Stage 2 needs it_connected_share >= 0.5 (1/2 holds); stage 3 the enterprise flows.
    assert rec["item"] == "smart_operations.information_sharing"
    assert (rec["claimed"], rec["supported"], rec["flag"]) == (4, 2, True)


def test_unanswered_dimensions_are_not_checked():
    a = add_evidence(score(load_model("siri"), {"automation_shop_floor": 2}), _plant("manual"))
    assert a.evidence == []


def test_one_record_renders_in_either_language():
    a = add_evidence(score(load_model("siri"), {"vertical_integration": 3}), _plant("manual"))
    rec = a.evidence[0]
    zh = evidence_message(rec, a.model, "zh")
    assert "仍有 3 个信息孤岛" in zh and "ERP 向 MES 下达的生产订单仍靠人工传递" in zh
    # Chinese output: no English words but the user's own (names, protocol) and codes.
    leftover = re.sub(r"ERP|MES|SCADA|PLC|ISA-95|paper|lone", "", zh)
    assert not re.search(r"[A-Za-z]{3,}", leftover), leftover
    assert evidence_message(rec, a.model, "en") == rec["message"]
    json.dumps(a.evidence)  # codes, numbers and names only


def test_chinese_message():
    recs = check_evidence(score(load_model("cmmm"), example_answers("cmmm")),
                          _plant("manual"), lang="zh")
    flagged = [r for r in recs if r["flag"]]
    assert flagged and "信息孤岛" in flagged[0]["message"]


def test_every_check_refers_to_a_real_dimension_or_item():
    rules = load_evidence_rules()
    assert {c.model for c in rules.checks} == {"cmmm", "siri", "acatech", "impuls", "iiot"}


def test_bundled_example_is_flagged_for_overclaimed_integration():
    G = read_landscape(example_landscape_path())
    a = add_evidence(score(load_model("cmmm"), example_answers("cmmm")), G)
    rec = next(e for e in a.evidence if e["dimension"] == "integration")
    assert rec["flag"] and rec["claimed"] == 3 and rec["supported"] == 2
    assert "13 information islands remain" in rec["message"]


def test_stamping_plant_integration_claim_is_flagged_with_the_manual_flows_named():
    enterprise = "auto_parts_stamping"
    G = read_landscape(example_landscape_path(enterprise))
    a = add_evidence(score(load_model("cmmm"), example_answers("cmmm", enterprise)), G)
    rec = next(e for e in a.evidence if e["dimension"] == "integration")
    assert (rec["claimed"], rec["supported"], rec["flag"]) == (3, 2, True)
    flows = {x["flow"]: x for x in rec["failures"] if x["kind"] == "flow"}
    # Orders reach the MES by a nightly batch; the three flows back are re-typed.
    assert set(flows) == {"mes_to_erp_completions", "design_bom_to_erp",
                          "shop_floor_quality_to_qms"}
    assert all(x["status"] == "manual" for x in flows.values())
    assert flows["design_bom_to_erp"]["links"] == [
        {"source": "模具与零件设计 CAD", "target": "ERP 系统 (金算盘 ERP)",
         "how": "BOM re-typed from Excel"}]
    assert "9 information islands remain" in rec["message"]
    assert "completions from MES to ERP go by hand (冲压一线 MES → ERP 系统 (金算盘 ERP), " \
           "re-typed from shift reports)" in rec["message"]
    # The same claim in acatech terms is flagged for the same flows.
    b = add_evidence(score(load_model("acatech"), example_answers("acatech", enterprise)), G)
    rec_b = next(e for e in b.evidence if e["dimension"] == "information_system_integration")
    assert rec_b["flag"] and {x["flow"] for x in rec_b["failures"] if x["kind"] == "flow"} == set(
        flows)


def test_cli_score_with_landscape(capsys):
    from maturity.demo import EXAMPLE, _data

    answers = _data() / "answers" / EXAMPLE / "siri.yaml"
    status = main(["score", str(answers), "--landscape", str(example_landscape_path()), "--json"])
    result = json.loads(capsys.readouterr().out)
    assert status == 0
    flags = [e for e in result["evidence"] if e["flag"]]
    assert {e["dimension"] for e in flags} >= {"vertical_integration"}
    assert all(e["message"] for e in result["evidence"])


def test_assessment_html_escapes_user_text():
    a = score(load_model("siri"), {"model": "siri", "enterprise": {"name": "<script>x()</script>"},
                                   "answers": {"vertical_integration": 3}})
    a = add_evidence(a, _plant("manual"))
    html = a._repr_html_()
    assert "<script>x()" not in html and "&lt;script&gt;x()" in html


def _whole_plant(linked: bool):
    """Every stage and level, linked both ways in real time through the ERP (or not at all):
    PLM (design), supplier, ERP, MES, QMS, SCADA, PLC, machine (production), WMS
    (logistics), CRM and customer (sales), service desk (service)."""
    systems = [
        {"id": "erp", "name": "ERP", "type": "ERP"},
        {"id": "plm", "name": "PLM", "type": "PLM"},
        {"id": "crm", "name": "CRM", "type": "CRM"},
        {"id": "svc", "name": "Service desk", "type": "other", "level": 4, "stage": "service"},
        {"id": "wms", "name": "WMS", "type": "WMS"},
        {"id": "mes", "name": "MES", "type": "MES"},
        {"id": "qms", "name": "QMS", "type": "QMS"},
        {"id": "scada", "name": "SCADA", "type": "SCADA"},
        {"id": "plc", "name": "PLC", "type": "PLC"},
        {"id": "press", "name": "Press", "type": "machine"},
    ]
    pairs = [("erp", "plm"), ("erp", "crm"), ("erp", "svc"), ("erp", "wms"), ("erp", "mes"),
             ("mes", "qms"), ("mes", "scada"), ("scada", "plc"), ("plc", "press"),
             ("sup", "erp"), ("erp", "cust")]
    return landscape_from_dict({
        "systems": systems,
        "partners": [{"id": "sup", "name": "Supplier", "role": "supplier"},
                     {"id": "cust", "name": "Customer", "role": "customer"}],
        "links": [{"source": a, "target": b, "mode": "realtime", "bidirectional": True}
                  for a, b in pairs] if linked else [],
    })


def test_every_rule_holds_on_a_whole_plant_and_fails_without_links():
    from maturity.evidence import _Evidence, _supported

    rules = load_evidence_rules()
    full, bare = _Evidence(_whole_plant(True)), _Evidence(_whole_plant(False))
    # Linked: every figure is 1 (every level both ways, every stage pair, the thread
    # PLM -> ERP -> MES -> ERP -> service desk, both partners by EDI), every flow holds.
    assert {k: v for k, v in full.values.items() if k != "island_count"} == dict.fromkeys(
        ["vertical_integration", "vertical_levels_linked", "horizontal_integration",
         "it_ot_convergence", "largest_island_share", "ot_connected_share",
         "it_connected_share", "realtime_share", "partner_automation", "digital_thread"], 1.0)
    for check in rules.checks:
        top = max(lv.value for lv in load_model(check.model).levels)
        assert _supported(check, rules, full, top) == (top, [], []), check.id
        # Without links the lowest listed level already fails, on a flow or a figure.
        supported, claims, failures = _supported(check, rules, bare, top)
        assert supported == min(check.levels) - 1, check.id
        assert claims == check.levels[min(check.levels)] and failures, check.id
