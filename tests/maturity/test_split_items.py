"""CMMM requirements split into one requirement per item (issue 10 §4), and answers files that
still use the old ids (earlier versions of the package): read as the new items, never dropped,
never an error, and said so in English and Chinese.

Hand-worked numbers use the discrete weights of the 2024 draft (maturity/models/cmmm.yaml): the
factory-build group weighs 15 % over its 5 sub-domains (data, integration, information security,
equipment, network), so the equipment sub-domain weighs 3 % of a level score.
"""

from __future__ import annotations

import json

import pandas as pd
import pytest
from openpyxl import load_workbook

from maturity import load_model, score, score_frame
from maturity.answers import (
    answers_from_mapping,
    migrate_answers,
    read_answers,
    validate_answers,
    write_answers,
)
from maturity.collect import collect
from maturity.evidence import _metric_reason
from maturity.questionnaire import write_workbook
from maturity.workbook import COL_ANSWER, COL_ID, SHEET_ITEMS
from value_chain.errors import InputError

OLD = "equipment.L3.1"
NEW = ["equipment.L3.1a", "equipment.L3.1b", "equipment.L3.1c"]


@pytest.fixture(scope="module")
def model():
    return load_model("cmmm")


def _levels_1_2_met(model, new_l3: dict[str, str]) -> dict[str, str]:
    """Levels 1-2 fully met, every other item 'not', then ``new_l3`` on top."""
    answers = {it.id: ("fully" if it.level <= 2 else "not") for it in model.items}
    return {**answers, **new_l3}


def _old_file(answers: dict[str, str]) -> dict[str, str]:
    """The same answers as an earlier version wrote them: the old id instead of its parts."""
    value = answers[NEW[0]]
    assert all(answers[p] == value for p in NEW)
    out = {k: v for k, v in answers.items() if k not in NEW}
    return {**out, OLD: value}


def test_the_five_items_are_split_at_their_level(model):
    split = {sp.id: sp.into for sp in model.split_items}
    assert split == {
        "equipment.L3.1": NEW,
        "production_operations.L4.2": ["production_operations.L4.2a",
                                       "production_operations.L4.2b"],
        "org_strategy.L4.1": ["org_strategy.L4.1a", "org_strategy.L4.1b"],
        "info_security.L3.1": [f"info_security.L3.1{c}" for c in "abcd"],
        "personnel_skills.L5.1": ["personnel_skills.L5.1a", "personnel_skills.L5.1b"],
    }
    items = {it.id: it for it in model.items}
    for old, parts in split.items():
        assert old not in items
        dim, level = old.split(".")[0], int(old.split(".L")[1][0])
        assert {(items[p].dimension, items[p].level) for p in parts} == {(dim, level)}
    # "a high connection rate" is a stated share now, in both languages
    assert "80 %" in items["equipment.L3.1a"].text.en
    assert "设备联网率不低于 80%" in items["equipment.L3.1a"].text.zh
    assert any("split_items" in n.text.en and "split_items" in n.text.zh for n in model.notes)


def test_old_id_scores_as_the_parts_answered_alike(model):
    # Levels 1-2 met (S1 = S2 = 1). At level 3 only the equipment sub-domain scores: its three
    # new parts "fully", equipment.L3.2 "not" -> cell mean (1 + 1 + 1 + 0) / 4 = 0.75;
    # S3 = 3 % x 0.75 = 0.0225 -> S = 2 + 0.0225 = 2.0225, level 2.
    new = _levels_1_2_met(model, dict.fromkeys(NEW, "fully"))
    old = _old_file(new)
    a_new = score(model, {"model": "cmmm", "answers": new})
    a_old = score(model, {"model": "cmmm", "answers": old})
    assert a_new.score == pytest.approx(2.0225) and a_new.level == 2
    assert (a_old.score, a_old.level, a_old.level_range, a_old.coverage) == (
        a_new.score, a_new.level, a_new.level_range, a_new.coverage)
    assert a_old.provisional is False
    assert a_old.answers.migrated == {OLD: NEW} and a_new.answers.migrated == {}


def test_one_part_answered_is_provisional(model):
    # Only equipment.L3.1a answered ("fully"), its two siblings blank, L3.2 "not":
    # worst cell (1 + 0 + 0 + 0) / 4 = 0.25 -> S = 2 + 0.03 x 0.25 = 2.0075;
    # best cell  (1 + 1 + 1 + 0) / 4 = 0.75 -> S = 2.0225. Level 2 either way, score open.
    answers = _levels_1_2_met(model, {"equipment.L3.1a": "fully"})
    for part in NEW[1:]:
        del answers[part]
    a = score(model, {"model": "cmmm", "answers": answers})
    assert a.provisional is True
    assert a.score_range == pytest.approx((2.0075, 2.0225))
    assert a.level_range == (2, 2)
    assert a.dimension_result("equipment").answered == a.dimension_result("equipment").items - 2


def test_the_note_says_so_in_english_and_chinese(model):
    a = score(model, {"model": "cmmm", "answers": _old_file(
        _levels_1_2_met(model, dict.fromkeys(NEW, "partly")))})
    en, zh = a.to_text("en"), a.to_text("zh")
    assert ("Old item equipment.L3.1 has been split into equipment.L3.1a, equipment.L3.1b, "
            "equipment.L3.1c; its answer (and comment) was given to these 3 new items") in en
    assert ("旧条目 equipment.L3.1 已拆分为 equipment.L3.1a、equipment.L3.1b、equipment.L3.1c，"
            "其答案（及备注）已沿用到这 3 个新条目") in zh
    d = a.to_dict("zh")["migrated"]
    assert [(m["old"], m["new"]) for m in d] == [(OLD, NEW)] and "旧条目" in d[0]["note"]
    # a file with the new ids says nothing of the kind
    plain = score(model, {"model": "cmmm", "answers": {"equipment.L3.1a": "fully"}})
    assert plain.to_dict("en")["migrated"] == [] and "Old item" not in plain.to_text("en")


def test_new_answers_in_the_same_file_win(model):
    a = migrate_answers(model, answers_from_mapping({"model": "cmmm", "answers": {
        OLD: "partly", "equipment.L3.1b": "fully"}, "comments": {OLD: "line 2 only"}}))
    assert a.answers == {"equipment.L3.1a": "partly", "equipment.L3.1c": "partly",
                         "equipment.L3.1b": "fully"}
    assert a.migrated == {OLD: ["equipment.L3.1a", "equipment.L3.1c"]}
    assert a.comments == dict.fromkeys(NEW, "line 2 only")
    every = migrate_answers(model, answers_from_mapping({"model": "cmmm", "answers": {
        OLD: "partly", **dict.fromkeys(NEW, "fully")}}))
    assert every.answers == dict.fromkeys(NEW, "fully") and every.migrated == {OLD: []}
    a = score(model, every)
    assert "its old answer was not used" in a.to_text("en")
    assert "旧条目的答案未被采用" in a.to_text("zh")


def test_a_file_cannot_claim_a_migration(model):
    with pytest.raises(InputError, match="migrated: unknown field"):
        answers_from_mapping({"model": "cmmm", "answers": {}, "migrated": {OLD: NEW}})


@pytest.mark.parametrize("suffix", [".json", ".yaml", ".csv"])
def test_old_files_of_every_text_format(model, tmp_path, suffix):
    old = _old_file(_levels_1_2_met(model, dict.fromkeys(NEW, "fully")))
    path = tmp_path / f"old{suffix}"
    write_answers(answers_from_mapping({"model": "cmmm", "answers": old}), path)
    a = score(model, read_answers(path))
    assert a.score == pytest.approx(2.0225) and a.answers.migrated == {OLD: NEW}


def test_old_form_json(model, tmp_path):
    # the offline form saves {"model", "enterprise", "answers", "comments"} as JSON
    path = tmp_path / "form.json"
    path.write_text(json.dumps({"model": "cmmm", "enterprise": {"name": "A"},
                                "answers": {OLD: "mostly"}, "comments": {OLD: "SCADA only"}},
                               ensure_ascii=False), encoding="utf-8")
    a = validate_answers(model, read_answers(path))
    assert a.answers == dict.fromkeys(NEW, "mostly")
    assert a.comments == dict.fromkeys(NEW, "SCADA only")


def test_old_workbook(model, tmp_path):
    path = write_workbook(model, tmp_path / "q.xlsx", lang="zh")
    wb = load_workbook(path)
    ws = wb[SHEET_ITEMS]
    rows = {ws.cell(r, COL_ID).value: r for r in range(2, ws.max_row + 1)}
    ws.cell(rows[NEW[0]], COL_ID).value = OLD  # the workbook of an earlier version
    ws.cell(rows[NEW[0]], COL_ANSWER).value = "大部分满足"
    for part in sorted((rows[p] for p in NEW[1:]), reverse=True):
        ws.delete_rows(part)
    wb.save(path)
    a = validate_answers(model, read_answers(path))
    assert a.answers == dict.fromkeys(NEW, "mostly") and a.migrated == {OLD: NEW}


def test_collect_reads_old_files_and_notes_them(model, tmp_path):
    old = _old_file(_levels_1_2_met(model, dict.fromkeys(NEW, "fully")))
    write_answers(answers_from_mapping({"model": "cmmm", "enterprise": {"name": "A"},
                                        "answers": old}), tmp_path / "a.yaml")
    result = collect(tmp_path)
    assert result.ok
    t = result.table
    got = dict(zip(t["item"].astype(str), t["value"], strict=True))
    assert OLD not in got and all(got[p] == "fully" for p in NEW)
    assert [n.location for n in result.notes] == [f"answers.{OLD}"]
    assert "has been split into" in result.notes[0].message


def test_score_frame_reads_an_old_column(model):
    new = _levels_1_2_met(model, dict.fromkeys(NEW, "fully"))
    rows = pd.DataFrame([_old_file(new), new])
    scored = score_frame(model, rows)
    assert scored["score"].tolist() == pytest.approx([2.0225, 2.0225])
    assert scored.attrs["migrated"] == {OLD: NEW}
    assert OLD not in scored.columns


def test_zero_reads_no_never_only_zero():
    x = {"metric": "ot_connected_share", "value": 0.0, "limit": 0.3}
    assert _metric_reason(x, "zh") == "没有任何车间功能单元与其他系统有自动数据连接（需达到 30%）"
    assert _metric_reason(x, "en").startswith("no shop-floor function has an automatic link")
    some = _metric_reason({**x, "value": 0.25}, "zh")
    assert some == "只有 25% 的车间功能单元与其他系统有自动数据连接（需达到 30%）"
    assert "联网率" not in some  # it counts functions, not machines


def test_several_respondents_with_old_ids(model, tmp_path):
    from maturity.consolidate import read_and_consolidate

    new = _levels_1_2_met(model, dict.fromkeys(NEW, "fully"))
    paths = []
    for who, answers in (("plant manager", _old_file(new)), ("IT lead", new)):
        path = tmp_path / f"{who}.json"
        write_answers(answers_from_mapping({"model": "cmmm", "respondent": who,
                                            "enterprise": {"name": "A"}, "answers": answers}),
                      path)
        paths.append(str(path))
    result = read_and_consolidate(paths)
    assert result.assessment.score == pytest.approx(2.0225)  # both said the same
    assert "旧条目 equipment.L3.1 已拆分为" in result.assessment.to_text("zh")
