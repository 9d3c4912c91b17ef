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


def test_phone_width_not_applicable_and_dont_know_round_trip(browser, tmp_path, artifacts):
    """At 390 px (a phone held upright): no sideways scrolling, answers tappable, and the two
    extra answers come back from the saved file exactly as chosen."""
    model = load_model("cmmm")
    form = write_form(model, tmp_path / "form.html", lang="zh")
    context = browser.new_context(offline=True, accept_downloads=True,
                                  viewport={"width": 390, "height": 844}, is_mobile=True,
                                  has_touch=True)
    page = context.new_page()
    page.goto(form.as_uri())
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    sticking_out = page.evaluate(
        "Array.from(document.querySelectorAll('body *'))"
        ".filter(e => e.getBoundingClientRect().right > 390.5).length")
    assert sticking_out == 0
    heights = page.evaluate(
        "Array.from(document.querySelectorAll('.opts label'))"
        ".map(l => l.getBoundingClientRect().height)")
    assert min(heights) >= 44  # thumb-sized targets
    placeholder = page.get_attribute('textarea[data-comment="data.L1.1"]', "placeholder")
    assert placeholder == "备注 / 证据（选填）"
    chosen = {"product_service.L1.1": "not_applicable", "data.L1.1": "dont_know",
              "org_strategy.L1.1": "fully"}
    for item_id, value in chosen.items():
        page.locator(f'.item[data-item="{item_id}"] label:has(input[value="{value}"])').tap()
    page.fill('textarea[data-comment="product_service.L1.1"]', "产品不需要现场服务")
    page.select_option('[data-field="industry_type"]', "process")
    assert page.text_content("#count").startswith("3 / 136")  # 128 before issue 10 §4
    page.screenshot(path=str(artifacts / "form_cmmm_390px.png"))
    with page.expect_download() as info:
        page.click("#save")
    saved = tmp_path / "answers.json"
    info.value.save_as(saved)
    context.close()
    answers = read_answers(saved)
    assert answers.answers == chosen
    assert answers.comments == {"product_service.L1.1": "产品不需要现场服务"}
    assert answers.enterprise.industry_type == "process"
    a = score(model, answers)
    assert a.dimension_result("product_service").not_applicable == 1 and a.provisional


def test_option_values_with_markup_characters_survive_a_reload(offline_page, tmp_path):
    """A custom model's option value holding <, >, & and ' is kept in local storage and restored."""
    from pathlib import Path

    from maturity import read_model

    text = (Path(__file__).parents[1] / "maturity/fixtures/mini_cmmm.yaml").read_text("utf-8")
    odd = "fu<l>&'ly"
    custom = tmp_path / "custom.yaml"
    custom.write_text(text.replace("  - value: fully", f'  - value: "{odd}"'), encoding="utf-8")
    model = read_model(custom)
    form = write_form(model, tmp_path / "form.html", lang="en")
    page = offline_page
    page.goto(form.as_uri())
    item = model.items[0]
    values = [o.value for o in model.options(item)]
    assert odd in values
    page.locator(f'.item[data-item="{item.id}"] input[type=radio]').nth(values.index(odd)).check()
    page.reload()
    checked = page.locator(f'.item[data-item="{item.id}"] input[type=radio]:checked')
    assert checked.count() == 1
    assert json.loads(checked.get_attribute("data-value")) == odd
