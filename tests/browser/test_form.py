"""The offline SME questionnaire form, filled in by clicking through it in Chromium."""

from __future__ import annotations

import json

import pytest

from maturity import load_model, read_answers, score
from maturity.cli import main
from maturity.form import write_form

from .conftest import remote_requests


@pytest.mark.parametrize("model_id", ["impuls", "dma"])
def test_fill_reload_save_and_score(model_id, offline_page, tmp_path, artifacts, capsys):
    model = load_model(model_id)
    form = write_form(model, tmp_path / "form.html", lang="zh")
    page = offline_page
    page.goto(form.as_uri())
    page.fill('[data-field="name"]', "测试纺机 <b>&</b>")
    page.select_option('[data-field="industry_type"]', "discrete")
    expected = {}
    for k, item in enumerate(model.items):
        if k % 5 == 4:
            continue  # leave some open
        options = model.options(item)
        opt = options[(k * 7) % len(options)]
        page.locator(f'.item[data-item="{item.id}"] input[type=radio]').nth(
            options.index(opt)).check()
        expected[item.id] = opt.value
    page.fill(f'textarea[data-comment="{model.items[0].id}"]', "见设备台账")
    answered = len(expected)
    assert page.text_content("#count").startswith(f"{answered} / {len(model.items)}")

    page.reload()  # answers survive a reload (local storage)
    assert page.text_content("#count").startswith(f"{answered} / {len(model.items)}")
    page.click("#lang-switch")  # English
    assert page.locator(".item .q [data-l=en]").first.is_visible()
    with page.expect_download() as info:
        page.click("#save")
    saved = tmp_path / "answers.json"
    info.value.save_as(saved)
    page.screenshot(path=str(artifacts / f"form_{model_id}.png"))
    assert remote_requests(page) == [] and page.errors == []

    answers = read_answers(saved)
    assert answers.answers == expected
    assert answers.enterprise.name == "测试纺机 <b>&</b>"
    assert answers.comments == {model.items[0].id: "见设备台账"}
    assert main(["score", str(saved), "--json"]) == 0
    from_form = json.loads(capsys.readouterr().out)
    as_json = score(model, {"model": model_id, "answers": expected}).to_dict()
    assert from_form["score"] == as_json["score"] and from_form["level"] == as_json["level"]
    assert from_form["dimensions"] == as_json["dimensions"]
