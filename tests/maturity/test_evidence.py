"""Self-assessment against landscape evidence: metrics, supported levels and flags by hand."""

from __future__ import annotations

import json

import pytest

from maturity import load_model, score
from maturity.cli import main
from maturity.demo import example_answers, example_landscape_path
from maturity.evidence import add_evidence, check_evidence, evidence_metrics, load_evidence_rules
from value_chain import landscape_from_dict


def _plant(erp_mes_mode: str):
    """ERP (L4), MES (L3), SCADA (L2), two PLCs (L1); MES-SCADA-PLC1 realtime; PLC2 alone."""
    return landscape_from_dict({
        "systems": [
            {"id": "erp", "name": "ERP", "type": "ERP", "stage": "management"},
            {"id": "mes", "name": "MES", "type": "MES", "stage": "production"},
            {"id": "scada", "name": "SCADA", "type": "SCADA", "stage": "production"},
            {"id": "plc1", "name": "PLC 1", "type": "PLC", "level": 1, "stage": "production"},
            {"id": "plc2", "name": "PLC 2", "type": "PLC", "level": 1, "stage": "production"},
        ],
        "partners": [{"id": "sup", "name": "Supplier", "role": "supplier"}],
        "links": [
            {"source": "erp", "target": "mes", "mode": erp_mes_mode, "protocol": "paper"},
            {"source": "mes", "target": "scada", "mode": "realtime", "protocol": "OPC UA"},
            {"source": "scada", "target": "plc1", "mode": "realtime", "protocol": "Modbus"},
            {"source": "erp", "target": "sup", "mode": "manual", "protocol": "e-mail"},
        ],
    })


def test_evidence_metrics_worked_by_hand():
    m = evidence_metrics(_plant("manual"))
    # islands: {mes, scada, plc1}, {erp}, {plc2} -> largest 3 of 5
    assert m["island_count"] == 3 and m["largest_island_share"] == pytest.approx(3 / 5)
    # OT systems (levels 0-2): scada, plc1, plc2; none reaches erp automatically
    assert m["vertical_integration"] == 0.0
    assert m["ot_connected_share"] == pytest.approx(2 / 3)  # scada, plc1 are in a group
    assert m["it_connected_share"] == pytest.approx(1 / 2)  # mes yes, erp no
    assert m["manual_link_share"] == pytest.approx(2 / 4)
    assert m["realtime_share"] == 1.0  # both automatic links are realtime
    assert m["partner_automation"] == 0.0 and m["digital_thread"] == 0.0
    # IT/OT crossing links: mes(IT)-scada(OT) realtime -> 1 of 1
    assert m["it_ot_convergence"] == 1.0

    m2 = evidence_metrics(_plant("batch"))
    assert m2["island_count"] == 2 and m2["vertical_integration"] == pytest.approx(2 / 3)


def test_siri_vertical_integration_flag_and_its_removal():
    model = load_model("siri")
    # Band 3 needs vertical_integration >= 0.5 and it_ot_convergence >= 0.5
    manual = add_evidence(score(model, {"vertical_integration": 3}), _plant("manual"))
    rec = next(e for e in manual.evidence if e["dimension"] == "vertical_integration")
    assert (rec["claimed"], rec["supported"], rec["flag"]) == (3, 2, True)
    assert "3 information islands remain" in rec["message"]
    assert "0% of shop-floor systems reach the ERP level" in rec["message"]
    assert "ERP and MES exchange data by hand (paper)" in rec["message"]
    # With a batch ERP-MES link: vertical 2/3 >= 0.5 and IT/OT 1.0 -> band 3 supported;
    # band 4 needs vertical >= 0.8 -> fails, so the landscape supports exactly band 3.
    batch = add_evidence(score(model, {"vertical_integration": 3}), _plant("batch"))
    rec = next(e for e in batch.evidence if e["dimension"] == "vertical_integration")
    assert (rec["claimed"], rec["supported"], rec["flag"]) == (3, 3, False)


def test_item_level_check_for_impuls_information_sharing():
    model = load_model("impuls")
    a = add_evidence(score(model, {"smart_operations.information_sharing": 4}), _plant("manual"))
    rec = a.evidence[0]
    # stage 2 needs it_connected_share >= 0.5 (0.5 holds); stage 3 needs vertical >= 0.5 (0.0)
    assert rec["item"] == "smart_operations.information_sharing"
    assert (rec["claimed"], rec["supported"], rec["flag"]) == (4, 2, True)


def test_unanswered_dimensions_are_not_checked():
    a = add_evidence(score(load_model("siri"), {"automation_shop_floor": 2}), _plant("manual"))
    assert a.evidence == []


def test_chinese_message():
    recs = check_evidence(score(load_model("cmmm"), example_answers("cmmm")),
                          _plant("manual"), lang="zh")
    flagged = [r for r in recs if r["flag"]]
    assert flagged and "信息孤岛" in flagged[0]["message"]


def test_every_check_refers_to_a_real_dimension_or_item():
    rules = load_evidence_rules()
    assert {c.model for c in rules.checks} == {"cmmm", "siri", "acatech", "impuls", "iiot"}


def test_bundled_example_is_flagged_for_overclaimed_integration():
    from value_chain import read_landscape

    G = read_landscape(example_landscape_path())
    a = add_evidence(score(load_model("cmmm"), example_answers("cmmm")), G)
    rec = next(e for e in a.evidence if e["dimension"] == "integration")
    assert rec["flag"] and rec["claimed"] == 3 and rec["supported"] == 2
    assert "13 information islands remain" in rec["message"]


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
