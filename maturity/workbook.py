"""The questionnaire workbook's layout: its sheets, its columns and the fields it asks.

Shared by the writer (:func:`maturity.questionnaire.write_workbook`) and the reader
(:func:`maturity.answers.read_workbook`), so neither imports the other.

>>> SHEET_ITEMS, COL_ANSWER
('questionnaire', 7)
"""

from __future__ import annotations

SHEET_INFO = "instructions"
SHEET_ENTERPRISE = "enterprise"
SHEET_ITEMS = "questionnaire"
SHEET_OPTIONS = "options"
# questionnaire sheet columns (1-based)
COL_ID, COL_DIM, COL_LEVEL, COL_TEXT, COL_TEXT2, COL_HELP, COL_ANSWER, COL_COMMENT = range(1, 9)
HEADER = {
    "en": ["item id", "dimension", "level", "question", "问题（中文）", "help", "answer",
           "comment"],
    "zh": ["条目编号", "维度", "等级", "问题", "question (English)", "说明", "回答", "备注"],
}
ENTERPRISE_FIELDS = {
    "name": {"en": "Enterprise name", "zh": "企业名称"},
    "sector": {"en": "Sector", "zh": "所属行业"},
    "size": {"en": "Size (micro/small/medium/large)", "zh": "企业规模（微型/小型/中型/大型）"},
    "industry_type": {
        "en": "Industry type (discrete/process)",
        "zh": "行业类型（离散型 / 流程型）",
    },
    "region": {"en": "Region", "zh": "所在地区"},
    "year": {"en": "Year of assessment", "zh": "评估年份"},
}
# who answered and when: top-level fields of the answers, asked on the enterprise sheet too
ASSESSMENT_FIELDS = {
    "respondent": {"en": "Respondent (name or role)", "zh": "填写人（姓名或岗位）"},
    "date": {"en": "Assessment date (YYYY-MM-DD)", "zh": "评估日期（年-月-日）"},
}
