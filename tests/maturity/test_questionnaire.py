"""Questionnaires: the JSON contract and the Excel workbook round trip."""

from __future__ import annotations

import json

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
    assert set(item) == {"id", "dimension", "level", "text", "help", "scale"}
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
    assert first.formula1 == "'options'!$B$2:$G$2"  # six IMPULS stages of item 1
    assert wb["options"].sheet_state == "hidden"
    assert [wb["options"].cell(2, c).value for c in range(2, 8)] == [
        o.label.en for o in model.options(model.items[0])
    ]
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
    # the 22 level-5 items were left blank
    assert result["model"] == "cmmm" and result["coverage"] == pytest.approx(106 / 128)
    assert len(result["dimensions"]) == 20


def test_cli_xlsx_needs_output(capsys):
    assert main(["questionnaire", "siri", "--format", "xlsx"]) == 2
    assert "needs -o FILE" in capsys.readouterr().err
