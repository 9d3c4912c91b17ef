"""The SME questionnaire as one offline HTML file that works in any browser.

``maturity questionnaire MODEL --format html [--lang en|zh] -o form.html``
writes a single page generated from the model: items grouped by dimension with
their help texts, a language switch, a progress bar, answers kept in the
browser's local storage if the page is reloaded, and a button that saves an
answers JSON file that ``maturity score`` reads as it is. Nothing is sent
anywhere: the page has no network code and no external resource.

Examples
--------
>>> from maturity import load_model
>>> page = form_html(load_model("impuls"), lang="zh")
>>> "http://" in page or "https://" in page
False
>>> page.count('class="item"')
18
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from maturity.html import render
from maturity.messages import LANGS, msg
from maturity.questionnaire import ASSESSMENT_FIELDS, ENTERPRISE_FIELDS, questionnaire_dict
from maturity.reference_model import ReferenceModel
from value_chain.safe_io import atomic_write
from value_chain.vocabulary import INDUSTRY_TYPES

__all__ = ["form_html", "write_form"]

UI = {
    "en": {
        "title": "Self-assessment questionnaire",
        "intro": "Answer each question with the option that fits your company best. If you are "
        "unsure, pick \"Don't know\" or leave it open: it counts as the worst answer and the "
        "result is marked provisional until it is answered. Where a question does not apply, "
        "pick \"Not applicable\" (if offered) and say why in the comment. Your answers stay in "
        "this browser; nothing is sent anywhere. When you are done, save the answers file and "
        "send it to your consultant.",
        "enterprise": "Your company",
        "progress": "answered",
        "save": "Save answers file",
        "clear": "Clear all answers",
        "clear_confirm": "Clear every answer in this form?",
        "help": "Help",
        "comment": "Comment / evidence (optional)",
        "unanswered": "not answered",
        "saved": "Saved as",
        "level": "level",
    },
    "zh": {
        "title": "自评问卷",
        "intro": "请为每个问题选择最符合贵公司实际情况的选项。不确定的可以选“不清楚”或先不答："
        "评分时按最差答案计，结果标为“暂定”，补答后再确定。确实不适用的问题（如提供该选项）选“不适用”，"
        "并在备注中写明原因。所有答案只保存在本浏览器中，不会上传到任何地方。填完后点击“保存答卷文件”，"
        "把文件发给顾问即可。",
        "enterprise": "企业信息",
        "progress": "已答",
        "save": "保存答卷文件",
        "clear": "清空全部答案",
        "clear_confirm": "确定清空本问卷的全部答案吗？",
        "help": "说明",
        "comment": "备注 / 证据（选填）",
        "unanswered": "未回答",
        "saved": "已保存为",
        "level": "等级",
    },
}


def _form_data(model: ReferenceModel) -> dict[str, Any]:
    q = questionnaire_dict(model)
    groups = []
    for dim in q["dimensions"]:
        items = [it for it in q["items"] if it["dimension"] == dim["id"]]
        groups.append({"id": dim["id"], "name": dim["name"], "items": items})
    return {
        "model": model.id,
        "version": model.version,
        "title": q["title"],
        "level_label": model.level_label.model_dump(),
        "groups": groups,
        "enterprise_fields": ENTERPRISE_FIELDS,
        "assessment_fields": ASSESSMENT_FIELDS,  # respondent and date (top-level fields)
        "industry_types": [
            {"value": t, "label": {lang: msg(f"industry_type.{t}", lang) for lang in LANGS}}
            for t in INDUSTRY_TYPES
        ],
    }


def form_html(model: ReferenceModel, *, lang: str = "en") -> str:
    """The questionnaire of ``model`` as one self-contained HTML page (start language ``lang``)."""
    data = _form_data(model)
    return render("form.html.j2", data=data, ui=UI, lang=lang if lang in UI else "en")


def write_form(model: ReferenceModel, path: str | Path, *, lang: str = "en") -> Path:
    """Write the offline questionnaire form of ``model`` to ``path``."""
    path = Path(path)
    atomic_write(path, form_html(model, lang=lang))  # all or nothing
    return path
