"""Questionnaires: the JSON contract and the Excel workbook round trip."""

from __future__ import annotations

import json
import re

import pytest
from openpyxl import load_workbook

from maturity import InputError, load_model, score
from maturity.answers import read_answers, write_answers
from maturity.cli import main
from maturity.questionnaire import (
    COL_ANSWER,
    COL_COMMENT,
    SHEET_ITEMS,
    questionnaire_dict,
    read_workbook,
    write_workbook,
)


def test_json_contract(capsys):
    assert main(["questionnaire", "cmmm"]) == 0
    q = json.loads(capsys.readouterr().out)
    assert q["model"] == "cmmm" and q["version"] == "GB/T 39116-2020"
    item = q["items"][0]
    assert set(item) == {"id", "dimension", "level", "text", "help", "scale", "other_answers"}
    assert set(item["text"]) == {"en", "zh"}
    assert [o["score"] for o in item["scale"]] == [1.0, 0.8, 0.5, 0.0]
    assert {"value", "score", "label"} <= set(item["scale"][0])
    assert item["level"] in {1, 2, 3, 4, 5}
    dims = {d["id"] for d in q["dimensions"]}
    assert all(i["dimension"] in dims for i in q["items"])


def test_json_level_is_null_without_levelled_items():
    q = questionnaire_dict(load_model("siri"))
    assert all(i["level"] is None for i in q["items"])
    assert len(q["items"]) == 16


@pytest.fixture
def filled(tmp_path):
    """A CMMM workbook in Chinese, filled in as an SME would (labels, values, a comment)."""
    model = load_model("cmmm")
    path = write_workbook(model, tmp_path / "q.xlsx", lang="zh")
    wb = load_workbook(path)
    ws = wb[SHEET_ITEMS]
    ent = wb["enterprise"]
    ent["C2"] = "测试机械厂 <b>&</b>"
    ent["C5"] = "process"
    ent["C7"] = 2025
    expected = {}
    labels = {"fully": "全部满足", "mostly": "大部分满足", "partly": "部分满足", "not": "不满足"}
    for r in range(2, ws.max_row + 1):
        item_id = ws.cell(r, 1).value
        level = ws.cell(r, 3).value
        if level == 5:
            continue  # left blank: unanswered
        value = ["fully", "mostly", "partly", "not"][(r + level) % 4]
        # alternate between the Chinese label, the English label and the raw value
        ws.cell(r, COL_ANSWER).value = [labels[value], value.capitalize() + " met", value][r % 3]
        expected[item_id] = value
    ws.cell(2, COL_COMMENT).value = "见 2024 年审计报告"
    wb.save(path)
    return path, expected


def test_workbook_round_trip_keeps_every_answer(filled):
    path, expected = filled
    answers = read_answers(path)
    assert answers.model == "cmmm"
    assert answers.answers == expected
    assert answers.enterprise.name == "测试机械厂 <b>&</b>"
    assert answers.enterprise.industry_type == "process" and answers.enterprise.year == 2025
    assert list(answers.comments.values()) == ["见 2024 年审计报告"]
    # and the same answers written as JSON score identically
    json_path = write_answers(answers, path.with_suffix(".json"))
    model = load_model("cmmm")
    assert score(model, read_answers(json_path)).score == score(model, answers).score


def test_workbook_bad_answer_names_sheet_row_and_column(filled):
    path, _ = filled
    wb = load_workbook(path)
    wb[SHEET_ITEMS].cell(7, COL_ANSWER).value = "差不多吧"
    item_id = wb[SHEET_ITEMS].cell(7, 1).value
    wb.save(path)
    with pytest.raises(InputError) as err:
        read_workbook(path)
    msg = str(err.value)
    assert f"sheet questionnaire, row 7, column G ({item_id}): '差不多吧' is not one of" in msg
    assert "全部满足" in msg


def test_workbook_structure_locked_with_dropdowns(tmp_path):
    model = load_model("impuls")
    path = write_workbook(model, tmp_path / "q.xlsx", lang="en")
    wb = load_workbook(path)
    ws = wb[SHEET_ITEMS]
    assert ws.protection.sheet
    assert ws.cell(2, 1).protection.locked and not ws.cell(2, COL_ANSWER).protection.locked
    assert len(ws.data_validations.dataValidation) == len(model.items)
    first = ws.data_validations.dataValidation[0]
    assert first.formula1 == "'options'!$B$2:$H$2"  # six IMPULS stages of item 1, don't know
    assert wb["options"].sheet_state == "hidden"
    assert [wb["options"].cell(2, c).value for c in range(2, 9)] == [
        o.label.en for o in model.options(model.items[0])
    ] + ["Don't know"]
    assert ws.cell(1, 4).value == "question" and ws.cell(1, 5).value == "问题（中文）"


def test_workbook_unknown_item_row(filled):
    path, _ = filled
    wb = load_workbook(path)
    wb[SHEET_ITEMS].cell(3, 1).value = "made.up"
    wb.save(path)
    with pytest.raises(InputError, match=r"row 3, column A: unknown item id 'made\.up'"):
        read_workbook(path)


def test_not_a_workbook(tmp_path):
    bad = tmp_path / "x.xlsx"
    bad.write_text("not a zip")
    with pytest.raises(InputError, match=r"not a readable \.xlsx workbook"):
        read_workbook(bad)


def test_cli_writes_workbook_and_scores_it(filled, capsys):
    path, _ = filled
    assert main(["score", str(path), "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    # the 23 level-5 items were left blank (136 items since the split of issue 10 §4)
    assert result["model"] == "cmmm" and result["coverage"] == pytest.approx(113 / 136)
    assert len(result["dimensions"]) == 20


def test_cli_xlsx_needs_output(capsys):
    assert main(["questionnaire", "siri", "--format", "xlsx"]) == 2
    assert "needs -o FILE" in capsys.readouterr().err


# ---- not applicable and don't know in every format (issue 10 section 2) -----------------------


def test_json_offers_the_other_answers_where_the_model_allows_them():
    q = questionnaire_dict(load_model("cmmm"))
    other = {i["id"]: [a["value"] for a in i["other_answers"]] for i in q["items"]}
    # CMMM (applicability data): product design and product service may be not applicable
    assert other["product_service.L1.1"] == ["not_applicable", "dont_know"]
    assert other["product_design.L2.1"] == ["not_applicable", "dont_know"]
    assert other["data.L1.1"] == ["dont_know"]
    assert sum("not_applicable" in v for v in other.values()) == 13  # 7 design + 6 service items
    labels = next(i for i in q["items"] if i["id"] == "product_service.L1.1")["other_answers"]
    assert labels[0]["label"] == {"en": "Not applicable", "zh": "不适用"}
    assert labels[1]["label"] == {"en": "Don't know", "zh": "不清楚"}


def _fill(path, cells):
    """Write answer cells (item id -> (answer, comment)) and enterprise cells into a workbook."""
    wb = load_workbook(path)
    ws = wb[SHEET_ITEMS]
    rows = {ws.cell(r, 1).value: r for r in range(2, ws.max_row + 1)}
    for item_id, (answer, comment) in cells.items():
        ws.cell(rows[item_id], COL_ANSWER).value = answer
        ws.cell(rows[item_id], COL_COMMENT).value = comment
    wb.save(path)
    return rows


def test_not_applicable_and_dont_know_round_trip_through_every_format(tmp_path):
    model = load_model("cmmm")
    path = write_workbook(model, tmp_path / "q.xlsx", lang="zh")
    wb = load_workbook(path)
    # the dropdown of a product-service item lists the two extra answers in the sheet's language
    row = [wb["options"].cell(r, 1).value for r in range(1, 200)].index("product_service.L1.1") + 1
    assert [wb["options"].cell(row, c).value for c in range(2, 8)] == [
        "全部满足", "大部分满足", "部分满足", "不满足", "不适用", "不清楚"]
    _fill(path, {"product_service.L1.1": ("不适用", "产品不需要现场服务"),
                 "product_service.L2.1": ("Not applicable", None),
                 "data.L1.1": ("不清楚", None), "data.L2.1": ("Don't know", None),
                 "org_strategy.L1.1": ("全部满足", None)})
    answers = read_answers(path)
    expected = {"product_service.L1.1": "not_applicable", "product_service.L2.1": "not_applicable",
                "data.L1.1": "dont_know", "data.L2.1": "dont_know", "org_strategy.L1.1": "fully"}
    assert answers.answers == expected
    assert answers.comments == {"product_service.L1.1": "产品不需要现场服务"}
    for suffix in (".json", ".yaml", ".csv"):
        back = read_answers(write_answers(answers, tmp_path / f"a{suffix}"))
        assert back.answers == expected and back.comments == answers.comments, suffix
        a, b = score(model, back), score(model, answers)
        assert (a.score, a.level_range, a.coverage) == (b.score, b.level_range, b.coverage)
    a = score(model, answers)
    # 2 of 136 items not applicable: coverage over the other 134
    assert a.coverage == pytest.approx(1 / 134)
    assert a.dimension_result("product_service").not_applicable == 2


def test_workbook_refuses_not_applicable_where_the_model_does_not_allow_it(tmp_path):
    path = write_workbook(load_model("cmmm"), tmp_path / "q.xlsx", lang="en")
    rows = _fill(path, {"data.L1.1": ("Not applicable", None)})
    with pytest.raises(InputError) as err:
        read_workbook(path)
    assert (f"sheet questionnaire, row {rows['data.L1.1']}, column G (data.L1.1): the model does "
            "not allow 'not applicable'") in str(err.value)


@pytest.mark.parametrize(("typed", "code"), [("离散型", "discrete"), ("流程型", "process"),
                                             ("discrete", "discrete"), ("流程", "process")])
def test_workbook_industry_type_as_its_labels_show_it(tmp_path, typed, code):
    model = load_model("cmmm")
    path = write_workbook(model, tmp_path / "q.xlsx", lang="zh")
    wb = load_workbook(path)
    ent = wb["enterprise"]
    row = next(r for r in range(2, ent.max_row + 1) if ent.cell(r, 1).value == "industry_type")
    assert "discrete" not in ent.cell(row, 2).value.split("/")[0]  # the Chinese label has no code
    ent.cell(row, 3).value = typed
    wb.save(path)
    _fill(path, {it.id: ("全部满足", None) for it in model.items if it.level == 1})
    answers = read_answers(path)
    assert answers.enterprise.industry_type == code
    picked = score(model, {"model": "cmmm", "enterprise": {"industry_type": code},
                           "answers": answers.answers})
    assert score(model, answers).score == picked.score


def test_cli_answers_a_chinese_workbook_in_chinese(tmp_path, capsys):
    model = load_model("cmmm")
    path = write_workbook(model, tmp_path / "q.xlsx", lang="zh")
    _fill(path, {it.id: ("全部满足", None) for it in model.items if it.level <= 2})
    assert main(["score", str(path)]) == 0
    out = capsys.readouterr().out
    assert "得分 2.00" in out and "暂定：2-5" in out and "coverage" not in out
    assert main(["score", str(path), "--lang", "en"]) == 0
    assert "provisional: 2-5" in capsys.readouterr().out


def test_form_offers_the_other_answers_and_speaks_one_language():
    from maturity.form import form_html

    page = form_html(load_model("cmmm"), lang="zh")
    assert page.count('value="not_applicable"') == 13 and page.count('value="dont_know"') == 136
    placeholders = set(re.findall(r'placeholder="([^"]*)"', page))
    assert placeholders == {"备注 / 证据（选填）"}
    options = re.findall(r'<option value="(discrete|process)"[^>]*>([^<]*)</option>', page)
    assert options == [("discrete", "离散型"), ("process", "流程型")]
    assert "discrete 离散型" not in page and "built-in method" not in page
    en = form_html(load_model("cmmm"), lang="en")
    assert set(re.findall(r'placeholder="([^"]*)"', en)) == {"Comment / evidence (optional)"}


def test_a_workbook_of_your_own_model_scores_with_model_file(tmp_path, capsys):
    """`score WORKBOOK --model-file OWN.yaml` reads the workbook against that model."""
    from pathlib import Path

    from maturity import read_model

    own = Path(__file__).parent / "fixtures" / "mini_cmmm.yaml"
    model = read_model(own)
    path = write_workbook(model, tmp_path / "q.xlsx", lang="en")
    wb = load_workbook(path)
    ws = wb[SHEET_ITEMS]
    first = ws.cell(2, 1).value
    ws.cell(2, COL_ANSWER).value = "fully"
    wb.save(path)
    assert main(["score", str(path), "--model-file", str(own), "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["model"] == "mini_cmmm"
    assert sum(d["answered"] for d in result["dimensions"]) == 1
    assert read_answers(path, model).answers == {first: "fully"}
