"""Every broken model or answers file fails with its own message naming file, place and reason."""

from __future__ import annotations

from pathlib import Path

import pytest

from maturity import InputError, read_answers, read_model, validate_answers
from maturity.cli import main

HERE = Path(__file__).parent
MODELS = HERE / "broken_models"
ANSWERS = HERE / "broken_answers"
MINI = HERE / "fixtures" / "mini_cmmm.yaml"

BROKEN_MODELS = {
    "bad_syntax.yaml": "line 4, column 6: invalid YAML: expected ',' or ']'",
    "band_gap.yaml": "rules.score_bands[2].min (line 175): bands must be contiguous",
    "duplicate_item.yaml": "items[1].id (line 92): duplicate id 'a1.L1.1'",
    "duplicate_label.yaml": "scales[0].options[1].label.zh (line 73): duplicate answer label",
    "level_gap.yaml": "requirement levels must run 1, 2, ... without a gap; found [1, 2, 4]",
    "missing_chinese.yaml": "items[2].text.zh (line 103): required field is missing",
    "missing_rules.yaml": "rules (line 2): required field is missing",
    "missing_weight.yaml": "rules.weights.process (line 166): no weight for 'dom_b'",
    "unknown_dimension.yaml": "items[0].dimension (line 86): unknown dimension 'nope'",
    "unknown_group.yaml": "dimensions[0].group (line 47): unknown group 'dom_x'",
    "unknown_method.yaml": "Input tag 'average' found using 'method' does not match",
}

BROKEN_ANSWERS = {
    "bad_header.csv": "row 1: the header must be 'key,value'",
    "bad_industry_type.yaml": "enterprise.industry_type (line 4): unknown industry type 'mixed'",
    "bad_syntax.json": "line 1, column 55: invalid JSON",
    "boolean_answer.json": "answers.a1.L1.1: True is not on the scale",
    "duplicate_key.json": "answers.a1.L1.1: duplicate key; the earlier value would be lost",
    "gbk_not_utf8.csv": "answers.a1.L1.1: '极好' is not on the scale",  # read as GBK: the words
    "utf16_without_bom.csv": "line 1, column 2: looks like UTF-16 without a BOM",
    "missing_model.yaml": "model (line 1): required field is missing",
    "misspelt_field.json": "answer: unknown field (check the spelling)",
    "not_a_mapping.yaml": "expected a mapping with model and answers",
    "repeated_item.csv": "row 4: 'a1.L1.1' repeats row 3",
    "unknown_item.json": "answers.a9.L1.1: unknown item for model mini_cmmm",
    "value_not_on_scale.yaml": "answers.a1.L2.1: 'excellent' is not on the scale",
    "wrong_model.json": "model: answers are for model 'cmmm', not 'mini_cmmm'",
}


def test_every_broken_file_is_listed():
    assert sorted(p.name for p in MODELS.iterdir()) == sorted(BROKEN_MODELS)
    assert sorted(p.name for p in ANSWERS.iterdir()) == sorted(BROKEN_ANSWERS)


@pytest.mark.parametrize(("name", "message"), sorted(BROKEN_MODELS.items()))
def test_broken_model(name, message):
    with pytest.raises(InputError) as err:
        read_model(MODELS / name)
    assert message in str(err.value)
    assert all(p.source.endswith(name) for p in err.value.problems)


@pytest.mark.parametrize(("name", "message"), sorted(BROKEN_ANSWERS.items()))
def test_broken_answers(name, message):
    model = read_model(MINI)
    with pytest.raises(InputError) as err:
        validate_answers(model, read_answers(ANSWERS / name))
    assert message in str(err.value)
    assert str(ANSWERS / name) in str(err.value)


@pytest.mark.parametrize(("name", "message"), sorted(BROKEN_ANSWERS.items()))
def test_cli_reports_broken_answers_with_status_2(name, message, capsys):
    status = main(["score", str(ANSWERS / name), "--model-file", str(MINI)])
    out, err = capsys.readouterr()
    assert status == 2
    assert message in err and name in err
    assert "Traceback" not in err and out == ""


def test_cli_reports_broken_model_with_status_2(capsys):
    answers = HERE / "fixtures" / "mini_answers.json"
    status = main(["score", str(answers), "--model-file", str(MODELS / "unknown_dimension.yaml")])
    _, err = capsys.readouterr()
    assert status == 2 and "unknown dimension 'nope'" in err


def test_cli_missing_file(capsys):
    assert main(["score", "no/such/file.json"]) == 2
    err = capsys.readouterr().err
    assert "no/such/file.json" in err and "file not found" in err


def test_every_problem_is_reported_at_once():
    # unknown_group.yaml has two consequences of one mistake; both are listed together
    with pytest.raises(InputError) as err:
        read_model(MODELS / "unknown_group.yaml")
    assert len(err.value.problems) == 2
