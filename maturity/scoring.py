"""Scoring: from answers to levels, for one enterprise or for a table of thousands.

Both :func:`score` (one enterprise) and :func:`score_frame` (many) turn the
answers into a matrix of item scores (rows = respondents, columns = items,
NaN = unanswered) and run the same vectorised rules on it, so a table scored
at once gives exactly the results of scoring its rows one by one.

The rules of each scoring method live in :mod:`maturity.scoring_rules`; this
module turns answers (one set, or a table) into the matrix, and the arrays back
into an :class:`~maturity.assessment.Assessment` or a table.

A blank (or "don't know") never raises a level: each respondent is scored with
every blank at its worst and at its best answer; the worst case is reported,
and the result is ``provisional`` where the two differ. "Not applicable"
(where the model allows it) takes the item out of the decision and the
coverage.

Examples
--------
>>> from maturity import load_model
>>> model = load_model("impuls")
>>> stages = {it.id: 3 for it in model.items}
>>> stages["smart_operations.cloud_usage"] = 1
>>> result = score(model, {"model": "impuls", "answers": stages})
>>> result.dimension_result("smart_operations").level
1
>>> round(result.score, 2)   # (25*3 + 14*3 + 10*1 + 19*3 + 14*3 + 18*3) / 100
2.8
>>> result.level
2
"""

from __future__ import annotations

import contextlib
import math
from typing import Any

import numpy as np
import pandas as pd

from maturity.answers import (
    DONT_KNOW,
    NOT_APPLICABLE,
    Answers,
    answers_from_mapping,
    option_key,
    special_answer,
    validate_answers,
)
from maturity.assessment import Assessment, DimensionResult
from maturity.reference_model import ReferenceModel
from maturity.scoring_rules import ScoreArrays, _Layout, _layout, score_matrix
from value_chain.errors import InputError, Problem
from value_chain.vocabulary import INDUSTRY_TYPES

__all__ = ["ScoreArrays", "score", "score_frame", "score_matrix"]

#: columns of a responses table that describe the respondent rather than answer an item
META_COLUMNS = (
    "respondent",
    "name",
    "sector",
    "size",
    "industry_type",
    "region",
    "year",
    "synthetic",
)


# ---- answers to matrices ----------------------------------------------------


def _excluded_dims(model: ReferenceModel, lay: _Layout, industry_type) -> np.ndarray:
    """Columns left out for each row's industry type (the model's applicability data), n x m."""
    types = np.asarray(industry_type, dtype=object)
    out = np.zeros((len(types), len(lay.item_ids)), dtype=bool)
    rules = model.applicability
    if rules is None or not rules.by_industry_type:
        return out
    for itype, dims in rules.by_industry_type.items():
        cols = np.isin(np.array(lay.dims)[lay.item_dim], dims)
        out |= (types == itype)[:, None] & cols[None, :]
    return out


def _answers_row(model: ReferenceModel, answers: Answers) -> tuple[np.ndarray, np.ndarray]:
    """Scores (NaN = blank or don't know) and the not-applicable mask of one answers set."""
    lay = _layout(model)
    row = np.full((1, len(lay.item_ids)), np.nan)
    excluded = _excluded_dims(model, lay, [answers.enterprise.industry_type])
    for j, item_id in enumerate(lay.item_ids):
        value = answers.answers.get(item_id)
        if value is None or value == DONT_KNOW:
            continue
        if value == NOT_APPLICABLE:
            excluded[0, j] = True
        else:
            row[0, j] = lay.option_scores[j][option_key(value)]
    row[excluded] = np.nan
    return row, excluded


def _coerce_answers(model: ReferenceModel, answers: Answers | dict | Any) -> Answers:
    if isinstance(answers, Answers):
        return validate_answers(model, answers)
    if isinstance(answers, dict):
        data = answers if "answers" in answers else {"model": model.id, "answers": answers}
        return validate_answers(model, answers_from_mapping(data))
    raise TypeError("answers must be an Answers object or a mapping")


def score(model: ReferenceModel, answers: Answers | dict, *, variant: str | None = None
          ) -> Assessment:
    """Score one enterprise's answers against ``model``.

    ``answers`` is an :class:`~maturity.answers.Answers` (from
    :func:`~maturity.answers.read_answers`) or a mapping in the same shape;
    it is validated first and every problem is reported at once. ``variant``
    names a variant of the model's rules (``maturity models`` lists them, e.g.
    CMMM ``equal_weights``). The result holds codes and numbers only; show it in
    a language with its views (``to_text(lang)``, ``to_dict(lang)``...).

    A blank (or "don't know") never raises a level: the result is scored with
    every blank at its worst and at its best answer, reports the worst, and is
    ``provisional`` when the two differ (``level_range``, ``score_range``).
    """
    answers = _coerce_answers(model, answers)
    model.rules_for(variant)  # an unknown variant is an input error, reported here
    x, excluded = _answers_row(model, answers)
    arrays = score_matrix(model, x, np.array([answers.enterprise.industry_type], dtype=object),
                          excluded=excluded, variant=variant)
    return _assessment(model, answers, arrays, variant)


def _num(v: float) -> float | None:
    return None if math.isnan(v) else float(v)


def _int(v: float) -> int | None:
    return None if math.isnan(v) else int(v)


def _range(low: float, high: float, conv) -> tuple | None:
    lo, hi = conv(low), conv(high)
    return None if lo is None and hi is None else (lo, hi)


def _assessment(model: ReferenceModel, answers: Answers, a: ScoreArrays,
                variant: str | None = None) -> Assessment:
    lay = _layout(model)
    dim_cov = a.dim_coverage[0]
    dim_prov = a.dim_provisional[0]
    dims = [
        DimensionResult(
            id=d,
            score=_num(a.dim_score[0, i]),
            level=_int(a.dim_level[0, i]),
            answered=int(a.dim_answered[0, i]),
            items=int(lay.n_items[i]),
            target=answers.targets.get(d),
            coverage=_num(dim_cov[i]),
            provisional=bool(dim_prov[i]),
            level_range=_range(a.dim_level_low[0, i], a.dim_level_high[0, i], _int),
            score_range=_range(a.dim_score_low[0, i], a.dim_score_high[0, i], _num),
            not_applicable=int(a.dim_excluded[0, i]),
            blocked_at=_int(a.dim_blocked[0, i]),
        )
        for i, d in enumerate(lay.dims)
    ]
    details: dict[str, Any] = {}
    if "level_scores" in a.extra:
        details["level_scores"] = {
            str(k): _num(v) for k, v in zip(lay.levels, a.extra["level_scores"][0], strict=True)
        }
        details["industry_type"] = answers.enterprise.industry_type or (
            model.rules.default_industry_type  # type: ignore[union-attr]
        )
    if "class" in a.extra and a.extra["class"][0] >= 0:
        details["class"] = model.rules.classes[int(a.extra["class"][0])].id  # type: ignore[union-attr]
    if "view_scores" in a.extra:  # acatech: the principles and the functional areas apart
        views = model.rules.views  # type: ignore[union-attr]
        details["views"] = {
            v.id: {"score": _num(a.extra["view_scores"][0, i]),
                   "level": _int(np.floor(a.extra["view_scores"][0, i]))}
            for i, v in enumerate(views)
        }
    return Assessment(
        model=model,
        answers=answers,
        score=_num(a.score[0]),
        level=_int(a.level[0]),
        coverage=float(a.coverage[0]),
        dimensions=dims,
        details=details,
        provisional=bool(a.provisional[0]),
        level_range=_range(a.level_low[0], a.level_high[0], _int),
        score_range=_range(a.score_low[0], a.score_high[0], _num),
        blocked_at=_int(a.blocked[0]),
        variant=variant,
    )


def score_frame(model: ReferenceModel, responses: pd.DataFrame, *,
                variant: str | None = None) -> pd.DataFrame:
    """Score a table of many respondents at once (one row each, one column per item).

    Columns named after item ids hold answer values (an option, ``not_applicable``,
    ``dont_know`` or blank); the respondent columns (``respondent``, ``sector``,
    ``size``, ``industry_type``, ``region``, ``year``...) and any other column are
    carried over unchanged. Every value that is not on its item's scale is
    reported (row and item); nothing is dropped silently. The result has, per
    row, ``score``, ``level``, ``coverage``, ``provisional``, ``score_low``/
    ``score_high``, ``level_low``/``level_high`` and per dimension
    ``<dimension>.score`` / ``.level`` / ``.coverage`` / ``.provisional`` /
    ``.level_low`` / ``.level_high`` (and ``.blocked_at`` for levelled models),
    with exactly the values :func:`score` gives for that row. A column named after an item
    the model has split since (``split_items``) answers each new item where the new item's
    own column is missing or blank, as :func:`~maturity.answers.migrate_answers` does for one
    file; ``attrs["migrated"]`` records which (old id -> new ids).

    >>> from maturity import load_model
    >>> model = load_model("impuls")
    >>> table = pd.DataFrame([{it.id: 2 for it in model.items}, {it.id: 5 for it in model.items}])
    >>> score_frame(model, table)[["score", "level", "provisional"]]
       score  level  provisional
    0    2.0      2        False
    1    5.0      5        False
    """
    lay = _layout(model)
    model.rules_for(variant)
    _check_columns(model, responses)
    industry = _industry_types(responses)
    n, m = len(responses), len(lay.item_ids)
    # Rows are scored in chunks so that memory stays bounded for a million respondents;
    # every row's result is independent of the others, so chunking changes no value.
    chunk = max(1, _CHUNK_CELLS // max(m, 1))
    problems: list[Problem] = []
    parts: list[ScoreArrays] = []
    allowed = _not_applicable_columns(model, lay)
    # a column of an item split since (old id) answers each new item where that is blank
    old_for = {part: sp.id for sp in model.split_items if sp.id in responses.columns
               for part in sp.into}
    for start in range(0, max(n, 1), chunk):
        rows = responses.iloc[start : start + chunk]
        x = np.full((len(rows), m), np.nan, order="F")
        ind = None if industry is None else industry[start : start + chunk]
        excluded = (_excluded_dims(model, lay, ind) if ind is not None
                    else np.zeros((len(rows), m), dtype=bool))
        for j, item_id in enumerate(lay.item_ids):
            if item_id in rows.columns or item_id in old_for:
                x[:, j], na = _column_scores(_item_column(rows, item_id, old_for.get(item_id)),
                                             lay.option_scores[j], item_id, allowed[j], problems)
                if na is not None:
                    excluded[:, j] |= na
        if not problems:  # after a problem, keep reading only to report every one
            x[excluded] = np.nan
            parts.append(score_matrix(model, x, ind, excluded=excluded, variant=variant))
    if problems:
        raise InputError(problems)
    out = _frame(model, responses, _concat(parts))
    migrated: dict[str, list[str]] = {}
    for part, old in old_for.items():
        migrated.setdefault(old, []).append(part)
    out.attrs["migrated"] = migrated  # old item id -> new items read from its column
    return out


_CHUNK_CELLS = 12_500_000  # about 100 MB of float64 scores per chunk


def _item_column(rows: pd.DataFrame, item_id: str, old: str | None) -> pd.Series:
    """The answers to ``item_id``; where blank, those of the ``old`` item it was split from."""
    if old is None:
        return rows[item_id]
    if item_id not in rows.columns:
        return rows[old]
    new = rows[item_id].astype(object)
    return new.where(new.notna() & ~new.map(_blank), rows[old].astype(object))


def _not_applicable_columns(model: ReferenceModel, lay: _Layout) -> list[bool]:
    return [model.allows_not_applicable(item_id) for item_id in lay.item_ids]


def _industry_types(responses: pd.DataFrame) -> np.ndarray | None:
    if "industry_type" not in responses.columns:
        return None
    industry = responses["industry_type"].to_numpy(dtype=object)
    bad = ~pd.isna(industry) & ~np.isin(industry, list(INDUSTRY_TYPES))
    if bad.any():
        raise InputError(
            [Problem("<responses>", f"row {responses.index[i]!r}, column industry_type",
                     f"{industry[i]!r} is not discrete or process")
             for i in np.flatnonzero(bad)]
        )
    return industry


_FIELDS = ("score", "level", "dim_score", "dim_level", "coverage", "dim_answered", "score_low",
           "level_low", "dim_score_low", "dim_level_low", "score_high", "level_high",
           "dim_score_high", "dim_level_high", "dim_excluded", "dim_blocked", "blocked")


def _concat(parts: list[ScoreArrays]) -> ScoreArrays:
    if len(parts) == 1:
        return parts[0]
    joined = {f: np.concatenate([getattr(p, f) for p in parts]) for f in _FIELDS}
    extra = {k: np.concatenate([p.extra[k] for p in parts]) for k in parts[0].extra}
    return ScoreArrays(**joined, extra=extra, n_items=parts[0].n_items)


def _check_columns(model: ReferenceModel, responses: pd.DataFrame) -> None:
    items = {it.id for it in model.items} | {sp.id for sp in model.split_items}
    prefixes = tuple(f"{d.id}." for d in model.dimensions)
    odd = [c for c in responses.columns if isinstance(c, str) and c not in items
           and c.startswith(prefixes)]
    if odd:
        raise InputError(
            [Problem("<responses>", f"column {c!r}", f"not an item of model {model.id}")
             for c in odd]
        )




def _column_scores(col: pd.Series, scores: dict[str, float], item_id: str, may_be_na: bool,
                   problems) -> tuple[np.ndarray, np.ndarray | None]:
    """Scores of one item's column (NaN = blank) and where it says "not applicable"."""
    if isinstance(col.dtype, pd.CategoricalDtype):  # fast path: one lookup per category
        codes, uniques = col.cat.codes.to_numpy(), list(col.cat.categories)
    else:
        codes, uniques = pd.factorize(col, use_na_sentinel=True)
    kinds = [special_answer(u) for u in uniques]
    lookup = np.array(
        [np.nan if k is not None else _blank_or_score(u, scores) for u, k in zip(uniques, kinds,
                                                                                strict=True)]
        + [np.nan], dtype=float
    )  # the sentinel -1 picks the trailing NaN
    out = lookup[codes]
    special = [i for i, u in enumerate(uniques) if _blank(u) or kinds[i] is not None]
    blank = (codes == -1) | np.isin(codes, special)
    unknown = ~blank & np.isnan(out)
    values = col.to_numpy(dtype=object)
    for i in np.flatnonzero(unknown):
        allowed = ", ".join(scores)
        problems.append(Problem("<responses>", f"row {col.index[i]!r}, column {item_id}",
                                f"{values[i]!r} is not on the scale ({allowed})"))
    na_codes = [i for i, k in enumerate(kinds) if k == NOT_APPLICABLE]
    if not na_codes:
        return out, None
    na = np.isin(codes, na_codes)
    if not may_be_na:
        for i in np.flatnonzero(na):
            problems.append(Problem("<responses>", f"row {col.index[i]!r}, column {item_id}",
                                    "the model does not allow 'not applicable' for this item"))
    return out, na


def _blank(value: Any) -> bool:
    return isinstance(value, str) and not value.strip()


def _blank_or_score(value: Any, scores: dict[str, float]) -> float:
    if _blank(value):
        return np.nan
    key = option_key(value)
    if key not in scores and isinstance(value, str):
        with contextlib.suppress(ValueError):  # "3.0" from a spreadsheet export
            key = option_key(float(value))
    return scores.get(key, np.nan)


def _int_columns(a: np.ndarray) -> list[pd.arrays.IntegerArray]:
    """Float matrix with NaN -> one nullable Int64 array per column, converted at once."""
    mask = np.asfortranarray(np.isnan(a))
    values = np.where(mask, 0, a).astype(np.int64, order="F")
    return [pd.arrays.IntegerArray(values[:, i], mask[:, i]) for i in range(a.shape[1])]


def _int_array(a: np.ndarray) -> pd.arrays.IntegerArray:
    """Float array with NaN -> nullable Int64 array."""
    mask = np.isnan(a)
    return pd.arrays.IntegerArray(np.where(mask, 0, a).astype(np.int64), mask)


def _frame(model: ReferenceModel, responses: pd.DataFrame, a: ScoreArrays) -> pd.DataFrame:
    lay = _layout(model)
    item_ids = set(lay.item_ids) | {sp.id for sp in model.split_items}
    keep = [c for c in responses.columns if c not in item_ids]
    out = responses[keep].copy()
    out["score"] = a.score
    out["level"] = _int_array(a.level)
    out["coverage"] = a.coverage
    if "class" in a.extra:
        names = np.array([c.id for c in model.rules.classes] + [None], dtype=object)  # type: ignore[union-attr]
        out["class"] = names[a.extra["class"]]
    if "view_scores" in a.extra:
        for i, v in enumerate(model.rules.views):  # type: ignore[union-attr]
            out[f"view.{v.id}.score"] = a.extra["view_scores"][:, i]
            out[f"view.{v.id}.level"] = _int_array(np.floor(a.extra["view_scores"][:, i]))
    out["provisional"] = a.provisional
    out["score_low"] = a.score_low
    out["score_high"] = a.score_high
    out["level_low"] = _int_array(a.level_low)
    out["level_high"] = _int_array(a.level_high)
    levelled = bool(lay.levels) and model.rules.method in ("cmmm", "staged")
    if levelled and model.rules.method == "cmmm":
        out["blocked_at"] = _int_array(a.blocked)
    cols = {}
    dim_cov, dim_prov = a.dim_coverage, a.dim_provisional
    level, low, high = (_int_columns(x) for x in (a.dim_level, a.dim_level_low, a.dim_level_high))
    blocked = _int_columns(a.dim_blocked) if levelled else []
    for i, d in enumerate(lay.dims):
        cols[f"{d}.score"] = a.dim_score[:, i]
        cols[f"{d}.level"] = level[i]
        cols[f"{d}.coverage"] = dim_cov[:, i]
        cols[f"{d}.provisional"] = dim_prov[:, i]
        cols[f"{d}.level_low"] = low[i]
        cols[f"{d}.level_high"] = high[i]
        if levelled:
            cols[f"{d}.blocked_at"] = blocked[i]
    # the arrays are fresh: no need for pandas to copy them once more
    return pd.concat([out, pd.DataFrame(cols, index=responses.index, copy=False)], axis=1)
