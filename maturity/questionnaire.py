"""Questionnaires generated from a reference model: JSON and the Excel workbook SMEs fill in.

:func:`questionnaire_dict` gives the JSON form::

    {"model", "version", "items": [{"id", "dimension", "level", "text": {"en", "zh"},
                                    "help", "scale": [{"value", "score", "label": {"en", "zh"}}]}]}

:func:`write_workbook` writes the workbook: an instructions sheet, an
enterprise sheet, and a questionnaire sheet with one row per item in both
languages, a dropdown of the allowed answers on each row, and the structure
locked (only the answer, comment and enterprise cells can be edited).
:func:`read_workbook` reads a filled workbook back into
:class:`~maturity.answers.Answers`; an answer that is not one of the item's
options is reported with its sheet, row and column, never dropped.

Examples
--------
>>> from maturity import load_model
>>> q = questionnaire_dict(load_model("impuls"))
>>> q["model"], len(q["items"]), q["items"][0]["scale"][0]["value"]
('impuls', 18, 0)
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from maturity.answers import DONT_KNOW, NOT_APPLICABLE, read_workbook
from maturity.messages import LANGS, msg
from maturity.reference_model import ReferenceModel
from maturity.workbook import (  # the layout, shared with the reader
    ASSESSMENT_FIELDS,
    COL_ANSWER,
    COL_COMMENT,
    COL_DIM,
    COL_HELP,
    COL_ID,
    COL_LEVEL,
    COL_TEXT,
    COL_TEXT2,
    ENTERPRISE_FIELDS,
    HEADER,
    SHEET_ENTERPRISE,
    SHEET_INFO,
    SHEET_ITEMS,
    SHEET_OPTIONS,
)
from value_chain.safe_io import atomic_write, open_workbook, set_cell
from value_chain.vocabulary import INDUSTRY_TYPES

__all__ = ["other_answers", "questionnaire_dict", "read_workbook", "write_workbook"]


def questionnaire_dict(model: ReferenceModel) -> dict[str, Any]:
    """The questionnaire of ``model`` as plain JSON-ready data (both languages)."""
    items = []
    for it in model.items:
        items.append(
            {
                "id": it.id,
                "dimension": it.dimension,
                "level": it.level,
                "text": it.text.model_dump(),
                "help": it.help.model_dump() if it.help else None,
                "scale": [
                    {
                        "value": o.value,
                        "score": o.score,
                        "label": o.label.model_dump(),
                        **({"description": o.description.model_dump()} if o.description else {}),
                    }
                    for o in model.options(it)
                ],
                "other_answers": other_answers(model, it.id),
            }
        )
    return {
        "model": model.id,
        "version": model.version,
        "title": model.title.model_dump(),
        "dimensions": [
            {"id": d.id, "name": d.name.model_dump(), "group": d.group} for d in model.dimensions
        ],
        "items": items,
    }


def other_answers(model: ReferenceModel, item_id: str) -> list[dict[str, Any]]:
    """The answers an item admits besides its scale: "not applicable" where the model allows
    it (its ``applicability`` data) and "don't know" (counted as blank when scoring).

    >>> from maturity import load_model
    >>> [a["label"]["zh"] for a in other_answers(load_model("cmmm"), "product_service.L1.1")]
    ['不适用', '不清楚']
    >>> [a["value"] for a in other_answers(load_model("cmmm"), "data.L1.1")]
    ['dont_know']
    """
    out = []
    if model.allows_not_applicable(item_id):
        out.append({"value": NOT_APPLICABLE, "label": _texts("answer.not_applicable")})
    if model.allows_dont_know:
        out.append({"value": DONT_KNOW, "label": _texts("answer.dont_know")})
    return out


def _texts(key: str) -> dict[str, str]:
    return {lang: msg(key, lang) for lang in LANGS}


def _instructions(model: ReferenceModel, lang: str) -> list[str]:
    if lang == "zh":
        return [
            f"{model.title.zh}（{model.version}）自评问卷",
            "填写说明：",
            "1. 在“enterprise”工作表填写企业基本信息。",
            "2. 在“questionnaire”工作表逐条阅读问题，在“回答”列的下拉框中选择最符合实际的一项；"
            "可在“备注”列写明依据或证据。",
            "3. 不确定的条目可以选“不清楚”或留空：评分时按最差答案计，结果标为“暂定”，"
            "并给出可能的等级范围；确实不适用的条目（模型允许时）选“不适用”，并在“备注”列写明原因。",
            "4. 请勿修改表格结构（条目编号、问题、隐藏的选项表），否则无法读回。",
            "5. 填完后保存为 .xlsx，交给顾问或用 `maturity score 文件名.xlsx` 计算成熟度。",
            "本问卷的条目由本项目自行编写，依据公开的参考模型结构，不是标准原文。",
        ]
    return [
        f"{model.title.en} ({model.version}) — self-assessment questionnaire",
        "How to fill it in:",
        "1. Enter the enterprise details on the 'enterprise' sheet.",
        "2. On the 'questionnaire' sheet, read each question and pick the answer that fits best "
        "from the dropdown in the 'answer' column; note your evidence in 'comment'.",
        "3. If you are unsure, pick \"Don't know\" or leave the item blank: it counts as the "
        "worst answer and the result is marked provisional, with the range of levels it could "
        "reach. Where the model allows it, pick \"Not applicable\" and give the reason in "
        "'comment'.",
        "4. Do not change the structure (item ids, questions, the hidden options sheet): the "
        "workbook could not be read back.",
        "5. Save as .xlsx and send it to your consultant, or run `maturity score FILE.xlsx`.",
        "The questions are this project's own wording, built on the published structure of the "
        "reference model; they are not the text of the standard.",
    ]


def workbook_lang(path: str | Path) -> str:
    """The language a questionnaire workbook was written in (``en`` if it does not say).

    The workbook records it on its instructions sheet (the ``language`` row).
    """

    try:
        wb = open_workbook(path, read_only=True)
    except Exception:  # an unreadable workbook is reported by its reader, not here
        return "en"
    try:  # a read-only workbook holds its file open until closed
        rows = wb[SHEET_INFO].iter_rows(values_only=True) if SHEET_INFO in wb.sheetnames else []
        found = next((r[1] for r in rows if r and r[0] == "language" and len(r) > 1), None)
    except Exception:
        found = None
    finally:
        wb.close()
    return "zh" if found == "zh" else "en"


def write_workbook(model: ReferenceModel, path: str | Path, *, lang: str = "en") -> Path:
    """Write the Excel questionnaire of ``model`` (primary language ``lang``, both shown)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill, Protection
    from openpyxl.utils import get_column_letter, quote_sheetname
    from openpyxl.worksheet.datavalidation import DataValidation

    other = "en" if lang == "zh" else "zh"
    wb = Workbook()
    info = wb.active
    info.title = SHEET_INFO
    for r, line in enumerate(_instructions(model, lang), start=1):
        set_cell(info, r, 1, line)  # text stays text: never a formula
    info["A1"].font = Font(bold=True, size=13)
    info.column_dimensions["A"].width = 110
    meta_row = len(_instructions(model, lang)) + 2
    info.cell(meta_row, 1, "model")
    set_cell(info, meta_row, 2, model.id)
    info.cell(meta_row + 1, 1, "version")
    set_cell(info, meta_row + 1, 2, model.version)
    info.cell(meta_row + 2, 1, "language")
    info.cell(meta_row + 2, 2, lang)

    ent = wb.create_sheet(SHEET_ENTERPRISE)
    ent.append(["field", "字段" if lang == "zh" else "label", "value"])
    for key, label in {**ENTERPRISE_FIELDS, **ASSESSMENT_FIELDS}.items():
        ent.append([key, f"{label[lang]} / {label[other]}", None])
    for r in range(2, len(ENTERPRISE_FIELDS) + len(ASSESSMENT_FIELDS) + 2):
        ent.cell(r, 3).protection = Protection(locked=False)
    types = ",".join(msg(f"industry_type.{t}", lang) for t in INDUSTRY_TYPES)
    dv_type = DataValidation(type="list", formula1=f'"{types}"', allow_blank=True)
    ent.add_data_validation(dv_type)
    dv_type.add(f"C{2 + list(ENTERPRISE_FIELDS).index('industry_type')}")
    ent.column_dimensions["B"].width = 48
    ent.column_dimensions["C"].width = 40
    ent.protection.sheet = True

    opts = wb.create_sheet(SHEET_OPTIONS)
    ws = wb.create_sheet(SHEET_ITEMS, 1)
    ws.append(HEADER[lang])
    for c in range(1, len(HEADER[lang]) + 1):
        ws.cell(1, c).font = Font(bold=True)
        ws.cell(1, c).fill = PatternFill("solid", fgColor="DDEBF7")
    wrap = Alignment(wrap_text=True, vertical="top")
    for r, it in enumerate(model.items, start=2):
        options = model.options(it)
        dim = model.dimension(it.dimension).name
        set_cell(ws, r, COL_ID, it.id)
        set_cell(ws, r, COL_DIM, f"{dim(lang)} / {dim(other)}")
        ws.cell(r, COL_LEVEL, it.level)
        set_cell(ws, r, COL_TEXT, it.text(lang)).alignment = wrap
        set_cell(ws, r, COL_TEXT2, it.text(other)).alignment = wrap
        help_lines = [it.help(lang)] if it.help else []
        help_lines += [
            f"{o.label(lang)}: {o.description(lang)}" for o in options if o.description
        ]
        set_cell(ws, r, COL_HELP, "\n".join(help_lines)).alignment = wrap
        for c in (COL_ANSWER, COL_COMMENT):
            ws.cell(r, c).protection = Protection(locked=False)
        # options sheet row r: item id, then the dropdown labels
        set_cell(opts, r, 1, it.id)
        labels = [o.label(lang) for o in options]
        labels += [a["label"][lang] for a in other_answers(model, it.id)]
        for j, label in enumerate(labels, start=2):
            set_cell(opts, r, j, label)
        last = get_column_letter(len(labels) + 1)
        dv = DataValidation(
            type="list",
            formula1=f"{quote_sheetname(SHEET_OPTIONS)}!$B${r}:${last}${r}",
            allow_blank=True,
            showErrorMessage=True,
            errorTitle="answer" if lang == "en" else "回答",
            error="Pick one of the listed answers." if lang == "en" else "请从下拉列表中选择。",
        )
        ws.add_data_validation(dv)
        dv.add(f"{get_column_letter(COL_ANSWER)}{r}")
    for col, width in zip("ABCDEFGH", [26, 28, 7, 60, 60, 60, 22, 30], strict=True):
        ws.column_dimensions[col].width = width
    ws.freeze_panes = "D2"
    ws.protection.sheet = True
    ws.protection.formatColumns = False
    ws.protection.formatRows = False
    opts.sheet_state = "hidden"
    opts.protection.sheet = True
    info.protection.sheet = True
    wb.properties.title = f"{model.id} questionnaire"
    wb.properties.keywords = f"maturity-questionnaire model={model.id} version={model.version}"
    return atomic_write(path, wb.save)  # all or nothing: a failure keeps the old file
