"""Scoring: from answers to levels, for one enterprise or for a table of thousands.

Both :func:`score` (one enterprise) and :func:`score_frame` (many) turn the
answers into a matrix of item scores (rows = respondents, columns = items,
NaN = unanswered) and run the same vectorised rules on it, so a table scored
at once gives exactly the results of scoring its rows one by one.

The rules, with their parameters read from the model's ``rules`` block:

``cmmm`` (GB/T 39117 reading)
    Each requirement is rated (fully 1 / mostly 0.8 / partly 0.5 / not 0).
    A sub-domain's score at level *k* is the mean of its ratings at *k*; a
    domain's is the mean of its sub-domains; the level score ``S_k`` is the
    weighted mean of the domains (weights by industry type, renormalised over
    the domains answered). Level *k* is met when ``S_k >= pass_threshold``
    and every lower level is met. Overall ``S`` = highest met level + score
    of the next level, and the level comes from the score bands
    (``[0.8, 1.8) -> 1`` ... ``[4.8, 5] -> 5``; below 0.8 is level 0,
    "not yet level 1"). Each sub-domain gets its own ``S`` the same way.
``staged`` (acatech, industrial internet)
    A dimension reaches the highest level whose requirements, and those of
    every lower level, are met (mean rating >= ``pass_threshold``); its score
    is that level plus the mean rating of the next level. Overall score =
    mean (or min) of the dimension scores; overall level = its integer part.
``minimum`` (IMPULS)
    A dimension's stage is the minimum over its items; the overall score is
    the weighted mean of the dimension stages (weights renormalised over the
    dimensions answered); the overall stage is its integer part; ``classes``
    name groups of stages (newcomer, learner, leader).
``band`` (SIRI)
    Each dimension is rated on a band; dimension score = mean of its items;
    overall score = mean band; no overall level.
``percent`` (EU DMA)
    Dimension score = 100 x points scored / points possible over the items
    answered; overall = mean of the dimensions; levels from the score bands.

Unanswered items are left out of every mean; a dimension with no answer has
no score, and ``coverage`` is the share of items answered. Scores are
rounded to 10 decimals before they are compared with thresholds, so that a
weighted mean of ratings all equal to 0.8 meets a 0.8 threshold.

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
import itertools
import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from maturity.answers import Answers, answers_from_mapping, option_key, validate_answers
from maturity.assessment import Assessment, DimensionResult
from maturity.reference_model import (
    BandRules,
    CmmmRules,
    MinimumRules,
    PercentRules,
    ReferenceModel,
    ScoreBand,
    StagedRules,
)
from value_chain.errors import InputError, Problem

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
_DECIMALS = 10


# ---- model layout ---------------------------------------------------------


@dataclass(frozen=True)
class _Layout:
    """A model's items in scoring order (sorted by dimension, then level)."""

    item_ids: tuple[str, ...]
    dims: tuple[str, ...]
    item_dim: np.ndarray  # dimension index of each column
    item_level: np.ndarray  # level of each column (-1 if none)
    item_max: np.ndarray  # highest option score of each column
    option_scores: tuple[dict[str, float], ...]  # option key -> score, per column
    levels: tuple[int, ...]  # requirement levels 1..K (levelled models)


_LAYOUTS: dict[int, tuple[ReferenceModel, _Layout]] = {}


def _layout(model: ReferenceModel) -> _Layout:
    hit = _LAYOUTS.get(id(model))
    if hit is not None and hit[0] is model:
        return hit[1]
    dims = tuple(d.id for d in model.dimensions)
    dim_index = {d: i for i, d in enumerate(dims)}
    items = sorted(
        model.items,
        key=lambda it: (dim_index[it.dimension], it.level if it.level is not None else -1),
    )
    option_scores = tuple(
        {option_key(o.value): float(o.score) for o in model.options(it)} for it in items
    )
    layout = _Layout(
        item_ids=tuple(it.id for it in items),
        dims=dims,
        item_dim=np.array([dim_index[it.dimension] for it in items]),
        item_level=np.array([it.level if it.level is not None else -1 for it in items]),
        item_max=np.array([max(s.values()) for s in option_scores]),
        option_scores=option_scores,
        levels=tuple(sorted({it.level for it in items if it.level is not None})),
    )
    _LAYOUTS[id(model)] = (model, layout)
    return layout


# ---- vectorised core ------------------------------------------------------


@dataclass
class ScoreArrays:
    """Scores of ``n`` respondents as arrays (NaN where there is no score).

    ``dim_score`` and ``dim_level`` have one column per model dimension, in
    the model's order; ``extra`` holds rule-specific arrays such as the CMMM
    level scores ``S_k`` (``"level_scores"``, n x K).
    """

    score: np.ndarray
    level: np.ndarray
    dim_score: np.ndarray
    dim_level: np.ndarray
    coverage: np.ndarray
    dim_answered: np.ndarray
    extra: dict[str, np.ndarray] = field(default_factory=dict)


def _segments(keys: np.ndarray) -> list[np.ndarray]:
    """Column indices of each run of equal consecutive keys (columns are sorted by key)."""
    if len(keys) == 0:
        return []
    starts = np.concatenate([[0], np.flatnonzero(np.diff(keys)) + 1, [len(keys)]])
    return [np.arange(a, b) for a, b in itertools.pairwise(starts)]


def _segment_sum(x: np.ndarray, segments: list[np.ndarray]) -> np.ndarray:
    """Sum of the columns of each segment, added left to right.

    Columns are added one by one in a fixed order, so a row gets bit-for-bit
    the same result whether it is scored alone or in a table of a million
    (and column-major input keeps every step a contiguous vector operation).
    """
    out = np.empty((x.shape[0], len(segments)), order="F", dtype=float)
    for s, cols in enumerate(segments):
        acc = out[:, s]  # a contiguous view: add in place, no temporaries
        acc[:] = x[:, cols[0]]
        for c in cols[1:]:
            acc += x[:, c]
    return out


def _segment_mean(
    xz: np.ndarray, answered: np.ndarray, segments: list[np.ndarray]
) -> tuple[np.ndarray, np.ndarray]:
    """Mean over each segment's answered columns (NaN if none) and the number answered.

    ``xz`` is the score matrix with NaN replaced by 0; ``answered`` is 1.0 where
    an item was answered, else 0.0.
    """
    sums = _segment_sum(xz, segments)
    counts = _segment_sum(answered, segments)
    with np.errstate(invalid="ignore", divide="ignore"):
        sums /= counts  # 0/0 gives NaN: a segment with no answer has no mean
    return sums, counts


def _round(x: np.ndarray) -> np.ndarray:
    return np.round(x, _DECIMALS)


def _bands(scores: np.ndarray, bands: list[ScoreBand]) -> np.ndarray:
    """Level of each score from half-open bands ``[min, max)`` (the last includes max)."""
    mins = np.array([b.min for b in bands])
    maxs = np.array([b.max for b in bands])
    lv = np.array([b.level for b in bands], dtype=float)
    s = np.where(np.isnan(scores), -np.inf, scores)
    idx = np.searchsorted(mins, s, side="right") - 1
    safe = np.clip(idx, 0, len(bands) - 1)
    inside = (idx >= 0) & ((s < maxs[safe]) | ((safe == len(bands) - 1) & (s <= maxs[safe])))
    return np.where(inside & ~np.isnan(scores), lv[safe], np.nan)


def _gate(cells: np.ndarray, defined: np.ndarray, threshold: float):
    """Highest consecutive met level per (row, dimension) and the next level's score.

    ``cells`` is n x D x K (mean rating per dimension and level, NaN if
    unanswered); ``defined`` (D x K) says where the model has requirements. A
    level without requirements counts as met.
    """
    met = np.where(defined, _round(cells) >= threshold, True)
    reached = np.logical_and.accumulate(met, axis=-1).sum(axis=-1)
    padded = np.concatenate([cells, np.full((*cells.shape[:-1], 1), np.nan)], axis=-1)
    nxt = np.take_along_axis(padded, reached[..., None], axis=-1)[..., 0]
    return reached, np.nan_to_num(nxt, nan=0.0)


def _cells(lay: _Layout, xz: np.ndarray, answered: np.ndarray):
    """Mean rating per (dimension, level): n x D x K, and where requirements exist."""
    n, D, K = xz.shape[0], len(lay.dims), len(lay.levels)
    key = lay.item_dim * (K + 1) + np.searchsorted(lay.levels, lay.item_level)
    segments = _segments(key)
    mean, _ = _segment_mean(xz, answered, segments)
    firsts = np.array([seg[0] for seg in segments])
    d_idx = lay.item_dim[firsts]
    k_idx = np.searchsorted(lay.levels, lay.item_level[firsts])
    cells = np.full((n, D, K), np.nan)
    defined = np.zeros((D, K), dtype=bool)
    cells[:, d_idx, k_idx] = mean
    defined[d_idx, k_idx] = True
    return cells, defined


def score_matrix(
    model: ReferenceModel, x: np.ndarray, industry_type: np.ndarray | None = None
) -> ScoreArrays:
    """Score a matrix of item scores (columns in the model's scoring order).

    Most users want :func:`score` or :func:`score_frame`; this is the shared core.
    ``industry_type`` holds ``"discrete"``/``"process"`` per row (CMMM weights).
    """
    lay = _layout(model)
    x = np.asfortranarray(x, dtype=float)
    n = x.shape[0]
    D = len(lay.dims)
    present = ~np.isnan(x)
    xz = x.copy(order="F")
    xz[~present] = 0.0
    answered = present.astype(float, order="F")
    coverage = _rowsum(answered) / x.shape[1] if x.shape[1] else np.zeros(n)
    dim_segments = _segments(lay.item_dim)
    dim_answered = _segment_sum(answered, dim_segments).astype(np.int64)
    rules = model.rules
    extra: dict[str, np.ndarray] = {}

    if isinstance(rules, CmmmRules | StagedRules):
        cells, defined = _cells(lay, xz, answered)
        reached, nxt = _gate(cells, defined, rules.pass_threshold)
        dim_score = _round(reached + nxt)
        if isinstance(rules, CmmmRules):
            dim_level = _bands(dim_score, rules.score_bands)
            score, level, level_scores = _cmmm_overall(model, lay, rules, cells, industry_type)
            extra["level_scores"] = level_scores
        else:
            dim_level = reached.astype(float)
            masked = np.where(dim_answered > 0, dim_score, np.nan)
            score = _round(_rowmin(masked) if rules.overall == "min" else _rowmean(masked))
            level = np.floor(score)
    elif isinstance(rules, MinimumRules):
        dim_score = np.empty((n, D))
        for d, cols in enumerate(dim_segments):
            acc = x[:, cols[0]].copy()
            for c in cols[1:]:
                acc = np.fmin(acc, x[:, c])
            dim_score[:, d] = acc
        dim_level = np.floor(dim_score)
        weights = np.array([rules.weights[d] for d in lay.dims], dtype=float)
        score = _weighted_mean(dim_score, np.broadcast_to(weights, dim_score.shape))
        level = np.floor(score)
        if rules.classes:
            cls = np.full(n, -1)
            for i, c in enumerate(rules.classes):
                cls[np.isin(level, c.levels)] = i
            extra["class"] = cls
    elif isinstance(rules, BandRules):
        dim_score, _ = _segment_mean(xz, answered, dim_segments)
        dim_score = _round(dim_score)
        dim_level = np.floor(dim_score)
        score = _round(_rowmean(dim_score))
        level = np.full(n, np.nan)
    elif isinstance(rules, PercentRules):
        got = _segment_sum(xz, dim_segments)
        possible = _segment_sum(answered * lay.item_max, dim_segments)
        with np.errstate(invalid="ignore", divide="ignore"):
            dim_score = _round(np.where(possible > 0, 100.0 * got / possible, np.nan))
        dim_level = _bands(dim_score, rules.score_bands)
        score = _round(_rowmean(dim_score))
        level = _bands(score, rules.score_bands)
    else:  # pragma: no cover - the schema admits no other method
        raise TypeError(f"unknown scoring method {rules!r}")

    none = dim_answered == 0
    dim_score = np.where(none, np.nan, dim_score)
    dim_level = np.where(none, np.nan, dim_level)
    nothing = coverage == 0
    score = np.where(nothing, np.nan, score)
    level = np.where(nothing, np.nan, level)
    return ScoreArrays(score, level, dim_score, dim_level, coverage, dim_answered, extra)


def _rowsum(a: np.ndarray) -> np.ndarray:
    """Row sums added column by column (the same bits for one row or a million)."""
    acc = a[:, 0].copy()
    for c in range(1, a.shape[1]):
        acc += a[:, c]
    return acc


def _rowmean(a: np.ndarray) -> np.ndarray:
    """Row means over the non-NaN values (NaN where a row has none)."""
    ok = ~np.isnan(a)
    total = _rowsum(np.where(ok, a, 0.0))
    count = _rowsum(ok.astype(float))
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(count > 0, total / np.maximum(count, 1), np.nan)


def _rowmin(a: np.ndarray) -> np.ndarray:
    acc = a[:, 0].copy()
    for c in range(1, a.shape[1]):
        acc = np.fmin(acc, a[:, c])
    return acc


def _weighted_mean(values: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Row-wise weighted mean over the non-NaN values, weights renormalised."""
    present = ~np.isnan(values)
    w = np.where(present, weights, 0.0)
    total = _rowsum(w)
    num = _rowsum(np.where(present, values, 0.0) * w)
    with np.errstate(invalid="ignore", divide="ignore"):
        return _round(np.where(total > 0, num / total, np.nan))


def _cmmm_overall(model, lay: _Layout, rules: CmmmRules, cells, industry_type):
    """Level scores S_k (weighted over domains), highest met level and overall S."""
    n, _, K = cells.shape
    domains = [g.id for g in model.groups if g.kind == rules.weight_group_kind]
    dom_of_dim = np.array([
        domains.index(next(g.id for g in model.ancestors(d) if g.kind == rules.weight_group_kind))
        for d in lay.dims
    ])
    used = sorted(set(dom_of_dim.tolist()))
    types = ["discrete", "process"]
    table = np.array(
        [[rules.weights.get(t, rules.weights[rules.default_industry_type]).get(domains[g], 0.0)
          for g in used] for t in types]
    )
    if industry_type is None:
        row_type = np.full(n, types.index(rules.default_industry_type))
    else:
        it = np.asarray(industry_type, dtype=object)
        row_type = np.where(it == "process", 1, 0)
        row_type = np.where(pd.isna(it), types.index(rules.default_industry_type), row_type)
    w = table[row_type]  # n x G
    level_scores = np.empty((n, K))
    for k in range(K):
        # domain score at level k = mean of its sub-domains' mean ratings (answered ones)
        dom = np.column_stack([_rowmean(cells[:, dom_of_dim == g, k]) for g in used])
        level_scores[:, k] = _weighted_mean(dom, w)
    met = _round(level_scores) >= rules.pass_threshold
    reached = np.logical_and.accumulate(met, axis=1).sum(axis=1)
    padded = np.concatenate([level_scores, np.full((n, 1), np.nan)], axis=1)
    nxt = np.nan_to_num(padded[np.arange(n), reached], nan=0.0)
    total = _round(reached + nxt)
    return total, _bands(total, rules.score_bands), level_scores


# ---- answers to matrices ----------------------------------------------------


def _answers_row(model: ReferenceModel, answers: Answers) -> np.ndarray:
    lay = _layout(model)
    row = np.full((1, len(lay.item_ids)), np.nan)
    for j, item_id in enumerate(lay.item_ids):
        value = answers.answers.get(item_id)
        if value is not None:
            row[0, j] = lay.option_scores[j][option_key(value)]
    return row


def _coerce_answers(model: ReferenceModel, answers: Answers | dict | Any) -> Answers:
    if isinstance(answers, Answers):
        return validate_answers(model, answers)
    if isinstance(answers, dict):
        data = answers if "answers" in answers else {"model": model.id, "answers": answers}
        return validate_answers(model, answers_from_mapping(data))
    raise TypeError("answers must be an Answers object or a mapping")


def score(model: ReferenceModel, answers: Answers | dict, *, lang: str = "en") -> Assessment:
    """Score one enterprise's answers against ``model``.

    ``answers`` is an :class:`~maturity.answers.Answers` (from
    :func:`~maturity.answers.read_answers`) or a mapping in the same shape;
    it is validated first and every problem is reported at once.
    """
    answers = _coerce_answers(model, answers)
    x = _answers_row(model, answers)
    arrays = score_matrix(model, x, np.array([answers.enterprise.industry_type], dtype=object))
    return _assessment(model, answers, arrays)


def _num(v: float) -> float | None:
    return None if math.isnan(v) else float(v)


def _int(v: float) -> int | None:
    return None if math.isnan(v) else int(v)


def _assessment(model: ReferenceModel, answers: Answers, a: ScoreArrays) -> Assessment:
    lay = _layout(model)
    n_items = np.bincount(lay.item_dim, minlength=len(lay.dims))
    dims = [
        DimensionResult(
            id=d,
            score=_num(a.dim_score[0, i]),
            level=_int(a.dim_level[0, i]),
            answered=int(a.dim_answered[0, i]),
            items=int(n_items[i]),
            target=answers.targets.get(d),
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
    return Assessment(
        model=model,
        answers=answers,
        score=_num(a.score[0]),
        level=_int(a.level[0]),
        coverage=float(a.coverage[0]),
        dimensions=dims,
        details=details,
    )


def score_frame(model: ReferenceModel, responses: pd.DataFrame) -> pd.DataFrame:
    """Score a table of many respondents at once (one row each, one column per item).

    Columns named after item ids hold answer values; the respondent columns
    (``respondent``, ``sector``, ``size``, ``industry_type``, ``region``,
    ``year``...) and any other column are carried over unchanged. Every value
    that is not on its item's scale is reported (row and item); nothing is
    dropped silently. The result has, per row, ``score``, ``level``,
    ``coverage`` and ``<dimension>.score`` / ``<dimension>.level``, with
    exactly the values :func:`score` gives for that row.

    >>> from maturity import load_model
    >>> model = load_model("impuls")
    >>> table = pd.DataFrame([{it.id: 2 for it in model.items}, {it.id: 5 for it in model.items}])
    >>> score_frame(model, table)[["score", "level"]]
       score  level
    0    2.0      2
    1    5.0      5
    """
    lay = _layout(model)
    _check_columns(model, responses)
    industry = _industry_types(responses)
    n, m = len(responses), len(lay.item_ids)
    # Rows are scored in chunks so that memory stays bounded for a million respondents;
    # every row's result is independent of the others, so chunking changes no value.
    chunk = max(1, _CHUNK_CELLS // max(m, 1))
    problems: list[Problem] = []
    parts: list[ScoreArrays] = []
    for start in range(0, max(n, 1), chunk):
        rows = responses.iloc[start : start + chunk]
        x = np.full((len(rows), m), np.nan, order="F")
        for j, item_id in enumerate(lay.item_ids):
            if item_id in rows.columns:
                x[:, j] = _column_scores(rows[item_id], lay.option_scores[j], item_id, problems)
        if not problems:  # after a problem, keep reading only to report every one
            ind = None if industry is None else industry[start : start + chunk]
            parts.append(score_matrix(model, x, ind))
    if problems:
        raise InputError(problems)
    return _frame(model, responses, _concat(parts))


_CHUNK_CELLS = 12_500_000  # about 100 MB of float64 scores per chunk


def _industry_types(responses: pd.DataFrame) -> np.ndarray | None:
    if "industry_type" not in responses.columns:
        return None
    industry = responses["industry_type"].to_numpy(dtype=object)
    bad = ~pd.isna(industry) & ~np.isin(industry, ["discrete", "process"])
    if bad.any():
        raise InputError(
            [Problem("<responses>", f"row {responses.index[i]!r}, column industry_type",
                     f"{industry[i]!r} is not discrete or process")
             for i in np.flatnonzero(bad)]
        )
    return industry


def _concat(parts: list[ScoreArrays]) -> ScoreArrays:
    if len(parts) == 1:
        return parts[0]
    fields = ("score", "level", "dim_score", "dim_level", "coverage", "dim_answered")
    joined = {f: np.concatenate([getattr(p, f) for p in parts]) for f in fields}
    extra = {k: np.concatenate([p.extra[k] for p in parts]) for k in parts[0].extra}
    return ScoreArrays(**joined, extra=extra)


def _check_columns(model: ReferenceModel, responses: pd.DataFrame) -> None:
    items = {it.id for it in model.items}
    prefixes = tuple(f"{d.id}." for d in model.dimensions)
    odd = [c for c in responses.columns if isinstance(c, str) and c not in items
           and c.startswith(prefixes)]
    if odd:
        raise InputError(
            [Problem("<responses>", f"column {c!r}", f"not an item of model {model.id}")
             for c in odd]
        )


def _column_scores(col: pd.Series, scores: dict[str, float], item_id: str, problems) -> np.ndarray:
    if isinstance(col.dtype, pd.CategoricalDtype):  # fast path: one lookup per category
        codes, uniques = col.cat.codes.to_numpy(), list(col.cat.categories)
    else:
        codes, uniques = pd.factorize(col, use_na_sentinel=True)
    lookup = np.array(
        [_blank_or_score(u, scores) for u in uniques] + [np.nan], dtype=float
    )  # the sentinel -1 picks the trailing NaN
    out = lookup[codes]
    blank = (codes == -1) | np.isin(codes, [i for i, u in enumerate(uniques) if _blank(u)])
    unknown = ~blank & np.isnan(out)
    values = col.to_numpy(dtype=object)
    for i in np.flatnonzero(unknown):
        allowed = ", ".join(scores)
        problems.append(Problem("<responses>", f"row {col.index[i]!r}, column {item_id}",
                                f"{values[i]!r} is not on the scale ({allowed})"))
    return out


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


def _int_array(a: np.ndarray) -> pd.arrays.IntegerArray:
    """Float array with NaN -> nullable Int64 array."""
    mask = np.isnan(a)
    return pd.arrays.IntegerArray(np.where(mask, 0, a).astype(np.int64), mask)


def _frame(model: ReferenceModel, responses: pd.DataFrame, a: ScoreArrays) -> pd.DataFrame:
    lay = _layout(model)
    item_ids = set(lay.item_ids)
    keep = [c for c in responses.columns if c not in item_ids]
    out = responses[keep].copy()
    out["score"] = a.score
    out["level"] = _int_array(a.level)
    out["coverage"] = a.coverage
    if "class" in a.extra:
        names = np.array([c.id for c in model.rules.classes] + [None], dtype=object)  # type: ignore[union-attr]
        out["class"] = names[a.extra["class"]]
    cols = {}
    for i, d in enumerate(lay.dims):
        cols[f"{d}.score"] = a.dim_score[:, i]
        cols[f"{d}.level"] = _int_array(a.dim_level[:, i])
    return pd.concat([out, pd.DataFrame(cols, index=responses.index)], axis=1)
