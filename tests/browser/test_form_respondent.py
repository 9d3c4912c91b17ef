"""The form asks who answered and when, and names the saved file after company, model,
respondent and date (issue 15), in Chromium."""

from __future__ import annotations

from datetime import date

from maturity import load_model, read_answers
from maturity.form import write_form

from .conftest import remote_requests


def test_respondent_date_and_file_name(offline_page, tmp_path):
    model = load_model("impuls")
    form = write_form(model, tmp_path / "form.html", lang="zh")
    page = offline_page
    page.goto(form.as_uri())
    page.fill('[data-field="name"]', "江南 齿轮/厂 <b>")
    page.fill('[data-top="respondent"]', "厂长 A")
    page.fill('[data-top="date"]', "2025-03-01")
    page.locator(f'.item[data-item="{model.items[0].id}"] input[type=radio]').nth(2).check()
    page.reload()  # kept in local storage like the rest
    assert page.input_value('[data-top="respondent"]') == "厂长 A"
    with page.expect_download() as info:
        page.click("#save")
    # letters (Chinese kept), digits and '-' only: every other run of characters becomes '_'
    assert info.value.suggested_filename == "江南_齿轮_厂_b_impuls_厂长_A_2025-03-01.json"
    saved = tmp_path / info.value.suggested_filename
    info.value.save_as(saved)
    answers = read_answers(saved)
    assert (answers.respondent, answers.date) == ("厂长 A", date(2025, 3, 1))
    assert answers.answers == {model.items[0].id: model.options(model.items[0])[2].value}
    assert remote_requests(page) == [] and page.errors == []
