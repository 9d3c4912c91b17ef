"""Questionnaire answers: the schema, the readers (JSON, YAML, CSV, xlsx) and validation.

An answers file holds one enterprise's answers to one reference model::

    {"model": "impuls",
     "enterprise": {"name": "...", "sector": "...", "size": "...", "industry_type": "discrete"},
     "answers": {"strategy_organization.strategy": 2, ...}}

Values are the ``value`` of one of the item's options (``fully``, ``3``...).
Partial answers are allowed; :func:`validate_answers` reports every unknown
item and every value that is not on the item's scale, at once.

The CSV form is two columns ``key,value``: rows ``model``,
``enterprise.name`` (and the other enterprise fields), then one row per item id.

Examples
--------
>>> from maturity.reference_model import load_model
>>> model = load_model("impuls")
>>> a = answers_from_mapping({"model": "impuls", "answers": {"employees.skill_sets": "3"}})
>>> a = validate_answers(model, a)
>>> a.answers
{'employees.skill_sets': 3}
>>> validate_answers(model, answers_from_mapping({"model": "impuls", "answers": {"x": 1}}))
Traceback (most recent call last):
...
value_chain.errors.InputError: 1 problem in <data>:
  - answers.x: unknown item for model impuls
"""

from __future__ import annotations

import datetime
import io
import json
import math
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from maturity.messages import LANGS, msg
from maturity.reference_model import Item, ReferenceModel, load_model
from maturity.workbook import (
    ASSESSMENT_FIELDS,
    COL_ANSWER,
    COL_COMMENT,
    COL_ID,
    ENTERPRISE_FIELDS,
    SHEET_ENTERPRISE,
    SHEET_INFO,
    SHEET_ITEMS,
)
from value_chain.enterprise import Enterprise  # one record, shared with landscapes
from value_chain.errors import InputError, Problem, problems_from_validation
from value_chain.safe_io import (
    LIMITS,
    atomic_write,
    check_workbook,
    csv_writer,
    dump_yaml,
    open_workbook,
    preview,
    read_csv_rows,
    read_mapping,
    restore_formula,
)
from value_chain.vocabulary import INDUSTRY_TYPES

__all__ = [
    "DONT_KNOW",
    "NOT_APPLICABLE",
    "Answers",
    "Enterprise",
    "answers_from_mapping",
    "migrate_answers",
    "migration_notes",
    "option_key",
    "read_answers",
    "read_workbook",
    "special_answer",
    "validate_answers",
    "write_answers",
]

AnswerValue = bool | int | float | str  # bool first: true stays a yes/no, never 1


class Answers(BaseModel):
    """One enterprise's answers to one model. ``source`` names the file they came from."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    model: str = Field(min_length=1)
    version: str | None = None  # the model version the answers were given to (informative)
    enterprise: Enterprise = Enterprise()
    answers: dict[str, AnswerValue] = {}
    comments: dict[str, str] = {}
    targets: dict[str, int] = {}
    respondent: str | None = None  # who answered: a name or a role (several per company)
    date: datetime.date | None = None  # when: the assessment date, ISO 8601 (rounds)
    source: str = Field(default="<data>", exclude=True)
    #: old item id -> the new items that took its answer (items the model has split since the
    #: file was written; :func:`migrate_answers`). Not read from or written to files.
    migrated: dict[str, list[str]] = Field(default_factory=dict, exclude=True)


#: the two answers every questionnaire offers besides the scale (where the model allows them)
NOT_APPLICABLE = "not_applicable"
DONT_KNOW = "dont_know"
_SPECIAL = {
    NOT_APPLICABLE: {"not_applicable", "not applicable", "n/a", "na", "不适用"},
    DONT_KNOW: {"dont_know", "don't know", "dont know", "do not know", "不清楚", "不知道"},
}


def special_answer(value: Any) -> str | None:
    """``NOT_APPLICABLE`` or ``DONT_KNOW`` if ``value`` says so (in English or Chinese).

    >>> special_answer("不适用"), special_answer("Don't know"), special_answer("fully")
    ('not_applicable', 'dont_know', None)
    """
    if not isinstance(value, str):
        return None
    text = value.strip().lower().replace("’", "'")
    return next((code for code, words in _SPECIAL.items() if text in words), None)


def option_key(value: Any) -> str:
    """Canonical text of an answer value, so that ``3``, ``3.0`` and ``"3"`` match.

    >>> option_key(3.0), option_key(" fully "), option_key(2)
    ('3', 'fully', '2')
    """
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or (
        isinstance(value, str) and not value.strip()
    )


def answers_from_mapping(data: Any, source: str = "<data>", node=None) -> Answers:
    """Validate the shape of a parsed answers mapping (not yet against a model)."""
    if not isinstance(data, dict):
        raise InputError([Problem(source, "", "expected a mapping with model and answers")])
    if "migrated" in data:  # a record of the reader, never an input
        raise InputError([Problem(source, "migrated", "unknown field")])
    try:
        return Answers.model_validate({**data, "source": source})
    except ValidationError as exc:
        raise InputError(problems_from_validation(exc, source, node=node)) from None


def validate_answers(model: ReferenceModel, answers: Answers) -> Answers:
    """Check answers against ``model``; return them with values in the scale's own type.

    Every problem is reported at once: wrong model, unknown item, value not on
    the item's scale, unknown dimension in ``targets``. Blank answers are
    dropped (they count as unanswered in the coverage).
    """
    src = answers.source
    problems: list[Problem] = []
    if answers.model == model.id:
        answers = migrate_answers(model, answers)  # old ids of split items (earlier versions)
    if answers.model != model.id:
        problems.append(
            Problem(src, "model", f"answers are for model {answers.model!r}, not {model.id!r}")
        )
    items = {it.id: it for it in model.items}
    clean: dict[str, AnswerValue] = {}
    for item_id, value in answers.answers.items():
        item = items.get(item_id)
        if item is None:
            msg = f"unknown item for model {model.id}"
            problems.append(Problem(src, f"answers.{item_id}", msg))
            continue
        if _is_blank(value):
            continue
        special = special_answer(value)
        if special == NOT_APPLICABLE and not model.allows_not_applicable(item_id):
            problems.append(Problem(src, f"answers.{item_id}",
                                    "the model does not allow 'not applicable' for this item"))
            continue
        if special is not None:  # kept as the code: read back exactly as chosen
            clean[item_id] = special
            continue
        opt = _match_option(model, item, value)
        if opt is None:
            allowed = ", ".join(repr(o.value) for o in model.options(item))
            problems.append(
                Problem(src, f"answers.{item_id}", f"{value!r} is not on the scale ({allowed})")
            )
        else:
            clean[item_id] = opt
    for item_id in answers.comments:
        if item_id not in items:
            problems.append(Problem(src, f"comments.{item_id}", "unknown item"))
    dims = {d.id for d in model.dimensions}
    level_values = {lv.value for lv in model.levels}
    for dim, target in answers.targets.items():
        if dim not in dims:
            problems.append(Problem(src, f"targets.{dim}", "unknown dimension"))
        elif target not in level_values:
            problems.append(Problem(src, f"targets.{dim}", f"level {target} is not defined"))
    if problems:
        raise InputError(problems)
    return answers.model_copy(update={"answers": clean})


def migrate_answers(model: ReferenceModel, answers: Answers) -> Answers:
    """Answers to items the model has split since the file was written, given to the new items.

    The model's ``split_items`` name each old id and the items it became: each new item that
    the file does not answer itself takes the old answer (and comment), in the old item's
    place; ``migrated`` records which (:func:`migration_notes` says it in words). Files of
    earlier versions keep working and nothing is dropped silently.

    >>> model = load_model("cmmm")
    >>> a = migrate_answers(model, answers_from_mapping(
    ...     {"model": "cmmm", "answers": {"org_strategy.L4.1": "mostly"}}))
    >>> a.answers
    {'org_strategy.L4.1a': 'mostly', 'org_strategy.L4.1b': 'mostly'}
    >>> a.migrated
    {'org_strategy.L4.1': ['org_strategy.L4.1a', 'org_strategy.L4.1b']}
    """
    split = {sp.id: sp.into for sp in model.split_items}
    if not split.keys() & (answers.answers.keys() | answers.comments.keys()):
        return answers
    given = {k for k, v in answers.answers.items() if not _is_blank(v)}
    # per old id the new items that take its answer: those the file does not answer itself
    taking = {old: [part for part in split[old] if part not in given]
              for old in split if old in answers.answers}
    fill = {part: answers.answers[old] for old, parts in taking.items() for part in parts}
    out: dict[str, AnswerValue] = {}
    for key, value in answers.answers.items():
        if key in split:
            out.update({part: fill[part] for part in taking[key]})  # in the old item's place
        elif key not in fill:
            out[key] = value
    migrated = {**answers.migrated, **taking}
    comments = dict(answers.comments)
    for old, parts in split.items():
        if old in comments:
            text = comments.pop(old)
            for part in parts:
                comments.setdefault(part, text)
            migrated.setdefault(old, list(parts))
    return answers.model_copy(update={"answers": out, "comments": comments,
                                      "migrated": migrated})


def migration_notes(answers: Answers, lang: str = "en") -> list[str]:
    """One sentence per old item id read as its new items (:func:`migrate_answers`), in ``lang``.

    >>> a = migrate_answers(load_model("cmmm"), answers_from_mapping(
    ...     {"model": "cmmm", "answers": {"personnel_skills.L5.1": "partly"}}))
    >>> note = migration_notes(a, "zh")[0]
    >>> note.startswith("旧条目 personnel_skills.L5.1 已拆分为"), "2 个新条目" in note
    (True, True)
    """
    sep = "、" if lang == "zh" else ", "
    out = []
    for old, parts in answers.migrated.items():
        if parts:
            out.append(msg("answers.migrated", lang, old=old, new=sep.join(parts), n=len(parts)))
        else:
            out.append(msg("answers.migrated_unused", lang, old=old))
    return out


def _match_option(model: ReferenceModel, item: Item, value: Any) -> AnswerValue | None:
    # YAML reads an unquoted yes/no/on/off as a boolean: accept the words it came from
    keys = {"yes", "true", "on"} if value is True else {"no", "false", "off"} if value is False \
        else {option_key(value)}
    for opt in model.options(item):
        if option_key(opt.value) in keys:
            return opt.value
    return None


# ---- readers -------------------------------------------------------------


def read_answers(path: str | Path, model: ReferenceModel | None = None) -> Answers:
    """Read an answers file: ``.json``, ``.yaml``/``.yml``, ``.csv`` or a filled ``.xlsx``.

    The shape is checked here; check the values with :func:`validate_answers`
    (``maturity.score`` does it for you). Raises :class:`InputError` naming the
    file, the place and the reason. ``model`` is needed only for a workbook of a model that
    is not bundled (your own model file); otherwise the workbook names its model.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in {".json", ".yaml", ".yml"}:
        data, node = read_mapping(path)
        return answers_from_mapping(data, str(path), node)
    if suffix == ".csv":
        return _read_csv(path)
    if suffix == ".xlsx":
        _check_workbook_cells(path)  # limits, zip bombs, formulas in the cells to fill
        return read_workbook(path, model)
    raise InputError(
        [Problem(str(path), "", "unsupported file type; use .json, .yaml, .csv or .xlsx")]
    )


_ENTERPRISE_FIELDS = tuple(Enterprise.model_fields)


def _check_workbook_cells(path: Path) -> None:
    """Refuse a workbook beyond the limits, and report every formula in the sheets a person
    fills in: a formula is not an answer (it would be read as blank or as a stale value)."""
    from openpyxl.utils import get_column_letter

    check_workbook(path)
    try:
        wb = open_workbook(path, read_only=True, data_only=False)
    except Exception:  # a damaged workbook: the reader says so
        return
    problems: list[Problem] = []
    try:
        for name in ("enterprise", "questionnaire"):
            if name not in wb.sheetnames:
                continue
            ws = wb[name]
            if (ws.max_row or 0) > LIMITS.rows:
                raise InputError([Problem(str(path), f"sheet {name}", f"{ws.max_row:,} rows; "
                                          f"the limit is {LIMITS.rows:,}")])
            for r, row in enumerate(ws.iter_rows(), start=1):
                for c, cell in enumerate(row, start=1):
                    if getattr(cell, "data_type", None) == "f":
                        where = f"sheet {name}, row {r}, column {get_column_letter(c)}"
                        problems.append(Problem(str(path), where, f"a formula "
                                                f"({preview(str(cell.value))}) is not read; "
                                                "type the value instead"))
    finally:
        wb.close()
    if problems:
        raise InputError(problems)


def _read_csv(path: Path) -> Answers:
    source = str(path)
    rows = list(read_csv_rows(path))  # encodings, field and row limits; (line, fields)
    problems: list[Problem] = []
    if not rows or [c.strip().lower() for c in rows[0][1][:2]] != ["key", "value"]:
        raise InputError([Problem(source, "row 1", "the header must be 'key,value'")])
    data: dict[str, Any] = {"enterprise": {}, "answers": {}, "comments": {}}
    seen: dict[str, int] = {}
    for n, row in rows[1:]:
        row = [restore_formula(c) for c in row]  # undo the guard of write_answers
        if not any(c.strip() for c in row):
            continue
        if len(row) < 2 or len(row) > 3:
            problems.append(Problem(source, f"row {n}", "expected key,value[,comment]"))
            continue
        key, value = row[0].strip(), row[1].strip()
        if key in seen:
            problems.append(Problem(source, f"row {n}", f"{preview(key)} repeats row {seen[key]}"))
            continue
        seen[key] = n
        if key == "model":
            data["model"] = value
        elif key in ("respondent", "date"):
            if value:
                data[key] = value
        elif key.startswith("enterprise."):
            field = key.removeprefix("enterprise.")
            if field not in _ENTERPRISE_FIELDS:
                problems.append(Problem(source, f"row {n}", f"unknown enterprise field {field!r}"))
            elif value:
                is_year = field == "year" and value.isdigit()
                data["enterprise"][field] = int(value) if is_year else value
        elif key.startswith("target."):
            try:
                data.setdefault("targets", {})[key.removeprefix("target.")] = int(value)
            except ValueError:
                problems.append(Problem(source, f"row {n}", f"target {value!r} is not a level"))
        else:
            data["answers"][key] = value
            if len(row) == 3 and row[2].strip():
                data["comments"][key] = row[2].strip()
    if "model" not in data:
        problems.append(Problem(source, "", "no 'model' row"))
    if problems:
        raise InputError(problems)
    return answers_from_mapping(data, source)


def write_answers(answers: Answers, path: str | Path) -> Path:
    """Write answers as JSON, YAML or CSV (by suffix); :func:`read_answers` reads them back."""
    path = Path(path)
    data = answers.model_dump(mode="json", exclude_defaults=False, exclude={"source"})
    for key in ("respondent", "date"):
        if data.get(key) is None:
            data.pop(key, None)
    # who and when first, after the model: easier to read
    head = {k: data.pop(k) for k in ("model", "respondent", "date") if k in data}
    data = {**head, **data}
    data["enterprise"] = {k: v for k, v in data["enterprise"].items() if v is not None}
    if data.get("version") is None:
        data.pop("version", None)
    suffix = path.suffix.lower()
    if suffix == ".json":
        atomic_write(path, json.dumps(data, ensure_ascii=False, indent=2))
    elif suffix in {".yaml", ".yml"}:
        atomic_write(path, dump_yaml(data))
    elif suffix == ".csv":
        buf = io.StringIO()
        w = csv_writer(buf)  # text that a spreadsheet would run as a formula gets a '...
        w.writerow(["key", "value", "comment"])
        w.writerow(["model", answers.model, ""])
        for key in ("respondent", "date"):
            if data.get(key) is not None:
                w.writerow([key, data[key], ""])
        for k, v in data["enterprise"].items():
            w.writerow([f"enterprise.{k}", v, ""])
        for k, v in answers.targets.items():
            w.writerow([f"target.{k}", v, ""])
        for k, v in answers.answers.items():
            w.writerow([k, v, answers.comments.get(k, "")])
        atomic_write(path, buf.getvalue())
    else:
        raise InputError([Problem(str(path), "", "write answers as .json, .yaml or .csv")])
    return path


def read_workbook(path: str | Path, model: ReferenceModel | None = None) -> Answers:
    """Read a filled questionnaire workbook back into answers.

    Answers may be the dropdown label (in either language) or the option's
    value; anything else is reported with sheet, row and column. The model is
    taken from the workbook unless given.
    """
    path = Path(path)
    src = str(path)
    if not path.is_file():
        raise InputError([Problem(src, "", "file not found")])
    try:
        wb = open_workbook(path, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a damaged file
        raise InputError([Problem(src, "", f"not a readable .xlsx workbook ({exc})")]) from None
    missing = [s for s in (SHEET_INFO, SHEET_ENTERPRISE, SHEET_ITEMS) if s not in wb.sheetnames]
    if missing:
        raise InputError(
            [Problem(src, f"sheet {s}", "missing: not a questionnaire workbook") for s in missing]
        )
    meta = {
        str(r[0]).strip(): r[1]
        for r in wb[SHEET_INFO].iter_rows(min_col=1, max_col=2, values_only=True)
        if r[0] in ("model", "version", "language")
    }
    model_id = str(meta.get("model") or "")
    if model is None:
        model = load_model(model_id) if model_id else None
    if model is None:
        raise InputError([Problem(src, f"sheet {SHEET_INFO}", "the 'model' row is missing")])
    problems: list[Problem] = []

    enterprise: dict[str, Any] = {}
    top: dict[str, Any] = {}  # respondent and date
    for r, row in enumerate(wb[SHEET_ENTERPRISE].iter_rows(min_row=2, values_only=True), start=2):
        key, value = row[0], row[2] if len(row) > 2 else None
        if key is None or value is None or (isinstance(value, str) and not value.strip()):
            continue
        if key in ASSESSMENT_FIELDS:  # a date typed into Excel comes back as a datetime
            top[key] = value.date() if hasattr(value, "date") else str(value).strip()
            continue
        if key not in ENTERPRISE_FIELDS:
            problems.append(Problem(src, f"sheet enterprise, row {r}",
                                    f"unknown field {preview(key)}"))
            continue
        if key == "year":
            try:
                value = int(value)
            except (TypeError, ValueError):
                problems.append(Problem(src, f"sheet enterprise, row {r}, column C",
                                        f"year {preview(value)} is not a whole number"))
                continue
        if key == "industry_type":  # what the workbook's labels show: 离散型 / 流程型 too
            value = _industry_type_word(value)
        enterprise[key] = value if key == "year" else str(value).strip()

    items = {it.id: it for it in model.items}
    split = {sp.id: sp.into for sp in model.split_items}
    answers: dict[str, Any] = {}
    comments: dict[str, str] = {}
    seen: dict[str, int] = {}
    for r, row in enumerate(wb[SHEET_ITEMS].iter_rows(min_row=2, values_only=True), start=2):
        if not row or all(v is None for v in row):
            continue
        item_id = row[COL_ID - 1]
        answer = row[COL_ANSWER - 1] if len(row) >= COL_ANSWER else None
        comment = row[COL_COMMENT - 1] if len(row) >= COL_COMMENT else None
        where = f"sheet {SHEET_ITEMS}, row {r}"
        item = items.get(str(item_id)) if item_id is not None else None
        if item is None and str(item_id) in split:  # a workbook of an earlier version
            item = _OldItem(str(item_id), items[split[str(item_id)][0]])
        if item is None:
            problems.append(Problem(src, f"{where}, column A",
                                    f"unknown item id {preview(item_id)}"))
            continue
        if item.id in seen:
            problems.append(Problem(src, f"{where}, column A", f"item repeats row {seen[item.id]}"))
            continue
        seen[item.id] = r
        if comment is not None and str(comment).strip():
            comments[item.id] = str(comment)
        if answer is None or (isinstance(answer, str) and not answer.strip()):
            continue
        special = special_answer(answer)  # 不适用 / 不清楚 (their labels in either language)
        if special == NOT_APPLICABLE and not model.allows_not_applicable(
                getattr(item, "item", item).id):
            problems.append(Problem(src, f"{where}, column G ({item.id})",
                                    "the model does not allow 'not applicable' for this item"))
            continue
        value = special or _option_for(model, getattr(item, "item", item), answer)
        if value is None:
            labels = " | ".join(o.label(meta.get("language") or "en")
                                for o in model.options(getattr(item, "item", item)))
            problems.append(Problem(src, f"{where}, column G ({item.id})",
                                    f"{preview(answer)} is not one of the answers: {labels}"))
        else:
            answers[item.id] = value
    if problems:
        raise InputError(problems)
    data = {"model": model.id, "enterprise": enterprise,  # checked, with the file, below
            "answers": answers, "comments": comments, **top}
    return answers_from_mapping(data, src)


class _OldItem:
    """A workbook row of an item split since (its id, read on the scale of its first part)."""

    def __init__(self, old_id: str, item: Item) -> None:
        self.id, self.item = old_id, item


def _industry_type_word(value: Any) -> Any:
    """``discrete``/``process`` for the names the workbook shows (离散型/流程型, or 离散/流程)."""
    text = str(value).strip()
    for code in INDUSTRY_TYPES:
        names = {msg(f"industry_type.{code}", lang) for lang in LANGS}
        if text in names | {n.removesuffix("型") for n in names}:
            return code
    return value


def _option_for(model: ReferenceModel, item, answer: Any):
    """The option value an answer cell stands for: its label (either language) or value."""
    text = option_key(answer)
    for o in model.options(item):
        if text in (o.label.en.strip(), o.label.zh.strip(), option_key(o.value)):
            return o.value
    return None
