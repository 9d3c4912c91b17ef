"""The scoring rules of each method, vectorised over a matrix of item scores.

Rows are respondents, columns the model's items in scoring order; NaN is a blank
in the matrix handed to :func:`score_matrix`, and an item left out ("not
applicable") inside a pass. Each method is one function, picked by the rules'
``method``; level gating is written once (:func:`_gate`) and so is the minimum
rule (:func:`_segment_min`).

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
>>> import numpy as np
>>> from maturity.reference_model import load_model
>>> model = load_model("impuls")
>>> x = np.full((1, len(model.items)), 3.0)
>>> x[0, 0] = np.nan  # one blank: worst 0, best 5
>>> a = score_matrix(model, x)
>>> float(a.score[0]) < float(a.score_high[0]), bool(a.provisional[0])
(True, True)
"""

from __future__ import annotations

import itertools
import weakref
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from maturity.answers import option_key
from maturity.reference_model import (
    BandRules,
    CmmmRules,
    MinimumRules,
    PercentRules,
    ReferenceModel,
    ScoreBand,
    StagedRules,
)
from value_chain.vocabulary import INDUSTRY_TYPES

__all__ = ["ScoreArrays", "score_matrix"]

_DECIMALS = 10


# ---- model layout ---------------------------------------------------------


@dataclass(frozen=True)
class _Layout:
    """A model's items in scoring order (sorted by dimension, then level)."""

    item_ids: tuple[str, ...]
    dims: tuple[str, ...]
    item_dim: np.ndarray  # dimension index of each column
    item_level: np.ndarray  # level of each column (-1 if none)
    item_min: np.ndarray  # lowest option score of each column (a blank at its worst)
    item_max: np.ndarray  # highest option score of each column (a blank at its best)
    option_scores: tuple[dict[str, float], ...]  # option key -> score, per column
    levels: tuple[int, ...]  # requirement levels 1..K (levelled models)
    dim_segments: tuple[np.ndarray, ...]  # columns of each dimension
    n_items: np.ndarray  # items per dimension


# One layout per live model object; the entry goes when the model is garbage-collected.
_LAYOUTS: dict[int, _Layout] = {}


def _layout(model: ReferenceModel) -> _Layout:
    key = id(model)
    hit = _LAYOUTS.get(key)
    if hit is None:
        hit = _LAYOUTS[key] = _build_layout(model)
        weakref.finalize(model, _LAYOUTS.pop, key, None)
    return hit


def _build_layout(model: ReferenceModel) -> _Layout:
    dims = tuple(d.id for d in model.dimensions)
    dim_index = {d: i for i, d in enumerate(dims)}
    items = sorted(
        model.items,
        key=lambda it: (dim_index[it.dimension], it.level if it.level is not None else -1),
    )
    option_scores = tuple(
        {option_key(o.value): float(o.score) for o in model.options(it)} for it in items
    )
    item_dim = np.array([dim_index[it.dimension] for it in items])
    return _Layout(
        item_ids=tuple(it.id for it in items),
        dims=dims,
        item_dim=item_dim,
        item_level=np.array([it.level if it.level is not None else -1 for it in items]),
        item_min=np.array([min(s.values()) for s in option_scores]),
        item_max=np.array([max(s.values()) for s in option_scores]),
        option_scores=option_scores,
        levels=tuple(sorted({it.level for it in items if it.level is not None})),
        dim_segments=tuple(_segments(item_dim)),
        n_items=np.bincount(item_dim, minlength=len(dims)),
    )


# ---- vectorised core ------------------------------------------------------


@dataclass
class ScoreArrays:
    """Scores of ``n`` respondents as arrays (NaN where there is no score).

    ``dim_score`` and ``dim_level`` have one column per model dimension, in
    the model's order. ``score``/``level`` count every blank at its worst
    answer (NaN where nothing is answered); ``*_low`` and ``*_high`` are the
    worst and the best case for every row, so the pair is the range the blanks
    leave open. ``dim_blocked`` holds the
    level whose unmet (or blank) requirements gate a dimension although a
    higher level is met (NaN otherwise; ``blocked`` the same for the overall
    CMMM level). ``extra`` holds rule-specific arrays such as the CMMM level
    scores ``S_k`` (``"level_scores"``, n x K).
    """

    score: np.ndarray
    level: np.ndarray
    dim_score: np.ndarray
    dim_level: np.ndarray
    coverage: np.ndarray
    dim_answered: np.ndarray
    extra: dict[str, np.ndarray] = field(default_factory=dict)
    score_low: np.ndarray | None = None
    level_low: np.ndarray | None = None
    dim_score_low: np.ndarray | None = None
    dim_level_low: np.ndarray | None = None
    score_high: np.ndarray | None = None
    level_high: np.ndarray | None = None
    dim_score_high: np.ndarray | None = None
    dim_level_high: np.ndarray | None = None
    dim_excluded: np.ndarray | None = None
    dim_blocked: np.ndarray | None = None
    blocked: np.ndarray | None = None

    @property
    def provisional(self) -> np.ndarray:
        """True where the blanks leave the overall level or score open."""
        return ~(_same(self.score_low, self.score_high) & _same(self.level_low, self.level_high))

    @property
    def dim_provisional(self) -> np.ndarray:
        return ~(_same(self.dim_score_low, self.dim_score_high)
                 & _same(self.dim_level_low, self.dim_level_high))

    @property
    def dim_coverage(self) -> np.ndarray:
        """Share of each dimension's applicable items that were answered (NaN if none apply)."""
        applicable = self.n_items - self.dim_excluded
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(applicable > 0, self.dim_answered / applicable, np.nan)

    n_items: np.ndarray = field(default_factory=lambda: np.zeros(0))


def _same(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return (a == b) | (np.isnan(a) & np.isnan(b))


@dataclass
class _Pass:
    """One run of a model's rules over a complete matrix (NaN = left out: not applicable)."""

    score: np.ndarray
    level: np.ndarray
    dim_score: np.ndarray
    dim_level: np.ndarray
    dim_blocked: np.ndarray
    blocked: np.ndarray
    extra: dict[str, np.ndarray] = field(default_factory=dict)

    def with_rows(self, rows: np.ndarray, other: _Pass) -> _Pass:
        """A copy with ``rows`` replaced by the rows of ``other`` (scored on those rows only)."""
        def put(a: np.ndarray, b: np.ndarray) -> np.ndarray:
            out = a.copy()
            out[rows] = b
            return out

        return _Pass(
            *(put(getattr(self, f), getattr(other, f)) for f in
              ("score", "level", "dim_score", "dim_level", "dim_blocked", "blocked")),
            extra={k: put(v, other.extra[k]) for k, v in self.extra.items()},
        )


def _segments(keys: np.ndarray) -> list[np.ndarray]:
    """Column indices of each run of equal consecutive keys (columns are sorted by key)."""
    if len(keys) == 0:
        return []
    starts = np.concatenate([[0], np.flatnonzero(np.diff(keys)) + 1, [len(keys)]])
    return [np.arange(a, b) for a, b in itertools.pairwise(starts)]


def _segment_sum(x: np.ndarray, segments) -> np.ndarray:
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


def _segment_min(x: np.ndarray, segments) -> np.ndarray:
    """Minimum over the non-NaN columns of each segment (NaN if none): the minimum rule."""
    out = np.empty((x.shape[0], len(segments)), order="F", dtype=float)
    for s, cols in enumerate(segments):
        acc = out[:, s]
        acc[:] = x[:, cols[0]]
        for c in cols[1:]:
            np.fmin(acc, x[:, c], out=acc)
    return out


def _segment_mean(
    xz: np.ndarray, answered: np.ndarray, segments
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


def _gate(scores: np.ndarray, defined: np.ndarray | None, threshold: float):
    """The level-gating rule, for dimensions and for the CMMM overall level alike.

    ``scores`` is ``(..., K)``: the score of each requirement level 1..K (NaN if
    none); ``defined`` (broadcastable) says where the model has requirements, and a
    level without requirements counts as met. Returns the highest level reached
    with every lower level met, the next level's score (0 if none), and the level
    that gates although a higher level with requirements is met (NaN if none).
    """
    ok = _round(scores) >= threshold
    met = ok if defined is None else np.where(defined, ok, True)
    real = ok if defined is None else ok & defined
    reached = np.logical_and.accumulate(met, axis=-1).sum(axis=-1)
    pad = np.full((*scores.shape[:-1], 1), np.nan)
    nxt = np.take_along_axis(np.concatenate([scores, pad], axis=-1), reached[..., None], -1)
    # any level above the gating one (index reached + 1 onwards) met on its own merits?
    above = np.flip(np.logical_or.accumulate(np.flip(real, -1), axis=-1), -1)
    above = np.concatenate([above, np.zeros((*scores.shape[:-1], 2), dtype=bool)], axis=-1)
    gated = np.take_along_axis(above, (reached + 1)[..., None], -1)[..., 0]
    blocked = np.where(gated, reached + 1.0, np.nan)
    return reached, np.nan_to_num(nxt[..., 0], nan=0.0), blocked


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


def _zeroed(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The matrix with NaN (left out) as 0, and 1.0 where a value is present."""
    present = ~np.isnan(x)
    xz = x.copy(order="F")
    xz[~present] = 0.0
    return xz, present.astype(float, order="F")


class _Matrix:
    """The complete matrix of one pass (NaN = not applicable), its zero-filled copy and the
    presence mask made once, or handed over when they are known (no NaN at all)."""

    def __init__(self, x: np.ndarray, ones: np.ndarray | None = None) -> None:
        self.x = x
        self._zeroed = None if ones is None else (x, ones)

    def zeroed(self) -> tuple[np.ndarray, np.ndarray]:
        if self._zeroed is None:
            self._zeroed = _zeroed(self.x)
        return self._zeroed


def _filled(x: np.ndarray, blank: np.ndarray, values: np.ndarray, excluded: bool,
            ones: np.ndarray | None = None) -> _Matrix:
    """``x`` with every blank set to ``values`` (per column): one pass's matrix."""
    filled = x.copy(order="F")
    np.copyto(filled, values, where=blank)
    if excluded:
        return _Matrix(filled)
    return _Matrix(filled, np.ones(x.shape, order="F") if ones is None else ones)


def _no_block(n: int, D: int) -> tuple[np.ndarray, np.ndarray]:
    return np.full((n, D), np.nan), np.full(n, np.nan)


# ---- the rule types: one function each, picked by the rules' ``method`` ----


def _levelled(model, lay: _Layout, rules: CmmmRules | StagedRules, x, industry_type) -> _Pass:
    """CMMM and staged models: per dimension, levels are met from the bottom up."""
    xz, present = x.zeroed()
    cells, defined = _cells(lay, xz, present)
    reached, nxt, dim_blocked = _gate(cells, defined, rules.pass_threshold)
    dim_score = _round(reached + nxt)
    if isinstance(rules, CmmmRules):
        level_scores = _cmmm_level_scores(model, lay, rules, cells, industry_type)
        top, top_next, blocked = _gate(level_scores, None, rules.pass_threshold)
        score = _round(top + top_next)
        return _Pass(score, _bands(score, rules.score_bands), dim_score,
                     _bands(dim_score, rules.score_bands), dim_blocked, blocked,
                     {"level_scores": level_scores})
    dim_n = _segment_sum(present, lay.dim_segments)
    masked = np.where(dim_n > 0, dim_score, np.nan)

    def overall(cols: np.ndarray) -> np.ndarray:
        return _round(_rowmin(cols) if rules.overall == "min" else _rowmean(cols))

    extra = {}
    score = None
    if rules.views:
        index = {d: i for i, d in enumerate(lay.dims)}
        views = rules.view_dimensions(model)
        extra["view_scores"] = np.column_stack(
            [overall(masked[:, [index[d] for d in dims]]) for dims in views.values()])
        if rules.overall_view is not None:
            score = extra["view_scores"][:, list(views).index(rules.overall_view)].copy()
    if score is None:
        score = overall(masked)
    return _Pass(score, np.floor(score), dim_score, reached.astype(float), dim_blocked,
                 np.full(len(score), np.nan), extra)


def _minimum(model, lay: _Layout, rules: MinimumRules, x, industry_type) -> _Pass:
    """IMPULS: a dimension's stage is its lowest item; overall = weighted mean of dimensions."""
    dim_score = _segment_min(x.x, lay.dim_segments)
    weights = np.array([rules.weights[d] for d in lay.dims], dtype=float)
    score = _weighted_mean(dim_score, np.broadcast_to(weights, dim_score.shape))
    level = np.floor(score)
    extra = {}
    if rules.classes:
        cls = np.full(len(score), -1)
        for i, c in enumerate(rules.classes):
            cls[np.isin(level, c.levels)] = i
        extra["class"] = cls
    return _Pass(score, level, dim_score, np.floor(dim_score), *_no_block(*dim_score.shape), extra)


def _band(model, lay: _Layout, rules: BandRules, x, industry_type) -> _Pass:
    """SIRI: dimension = mean band of its items; overall = mean band; no overall level."""
    xz, present = x.zeroed()
    dim_score, _ = _segment_mean(xz, present, lay.dim_segments)
    dim_score = _round(dim_score)
    score = _round(_rowmean(dim_score))
    return _Pass(score, np.full(len(score), np.nan), dim_score, np.floor(dim_score),
                 *_no_block(*dim_score.shape))


def _percent(model, lay: _Layout, rules: PercentRules, x, industry_type) -> _Pass:
    """EU DMA: dimension = 100 x points scored / points possible; overall = mean."""
    xz, present = x.zeroed()
    got = _segment_sum(xz, lay.dim_segments)
    possible = _segment_sum(present * lay.item_max, lay.dim_segments)
    with np.errstate(invalid="ignore", divide="ignore"):
        dim_score = _round(np.where(possible > 0, 100.0 * got / possible, np.nan))
    score = _round(_rowmean(dim_score))
    return _Pass(score, _bands(score, rules.score_bands), dim_score,
                 _bands(dim_score, rules.score_bands), *_no_block(*dim_score.shape))


_METHODS = {"cmmm": _levelled, "staged": _levelled, "minimum": _minimum, "band": _band,
            "percent": _percent}


def score_matrix(
    model: ReferenceModel,
    x: np.ndarray,
    industry_type: np.ndarray | None = None,
    *,
    excluded: np.ndarray | None = None,
    variant: str | None = None,
) -> ScoreArrays:
    """Score a matrix of item scores (columns in the model's scoring order).

    Most users want :func:`score` or :func:`score_frame`; this is the shared core.
    NaN is a blank (not answered, or "don't know"); ``excluded`` marks the items
    answered "not applicable", which leave the level decision and the coverage.
    ``industry_type`` holds ``"discrete"``/``"process"`` per row (CMMM weights).
    Blanks are scored twice, at the worst and at the best answer, and a row with
    no blank is scored once.
    """
    lay = _layout(model)
    rules = model.rules_for(variant)
    run = _METHODS[rules.method]
    x = np.asfortranarray(x, dtype=float)
    n, m = x.shape
    answered = ~np.isnan(x)
    if excluded is None:
        excluded = np.zeros((n, m), dtype=bool)
    blank = ~answered & ~excluded
    answered_f = answered.astype(float, order="F")
    dim_answered = _segment_sum(answered_f, lay.dim_segments).astype(np.int64)
    any_excluded = bool(excluded.any())
    if any_excluded:
        excluded_f = excluded.astype(float, order="F")
        dim_excluded = _segment_sum(excluded_f, lay.dim_segments).astype(np.int64)
        applicable = m - _rowsum(excluded_f)
    else:
        dim_excluded = np.zeros_like(dim_answered)
        applicable = np.full(n, float(m))
    with np.errstate(invalid="ignore", divide="ignore"):
        coverage = np.where(applicable > 0, (_rowsum(answered_f) if m else 0) / applicable, 0.0)

    rows = np.flatnonzero(blank.any(axis=1)) if m else np.zeros(0, dtype=int)
    if len(rows) == 0:  # nothing to fill: the matrix as it is (NaN only where not applicable)
        low = high = run(model, lay, rules, _Matrix(x, None if any_excluded else answered_f),
                         industry_type)
    else:  # worst case for every row, best case for the rows with a blank
        low = run(model, lay, rules, _filled(x, blank, lay.item_min, any_excluded),
                  industry_type)
        part_excl = any_excluded and bool(excluded[rows].any())
        sub_type = None if industry_type is None else np.asarray(industry_type)[rows]
        best = _filled(x[rows], blank[rows], lay.item_max, part_excl)
        part = run(model, lay, rules, best, sub_type)
        high = part if len(rows) == n else low.with_rows(rows, part)

    none = dim_answered == 0
    nothing = coverage == 0

    def dims(a: np.ndarray) -> np.ndarray:
        return np.where(none, np.nan, a)

    def overall(a: np.ndarray) -> np.ndarray:
        return np.where(nothing, np.nan, a)

    return ScoreArrays(
        score=overall(low.score), level=overall(low.level),
        dim_score=dims(low.dim_score), dim_level=dims(low.dim_level),
        coverage=coverage, dim_answered=dim_answered, extra=low.extra,
        score_low=low.score, level_low=low.level,
        dim_score_low=low.dim_score, dim_level_low=low.dim_level,
        score_high=high.score, level_high=high.level,
        dim_score_high=high.dim_score, dim_level_high=high.dim_level,
        dim_excluded=dim_excluded, dim_blocked=low.dim_blocked, blocked=overall(low.blocked),
        n_items=lay.n_items,
    )


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
    return _segment_min(a, [np.arange(a.shape[1])])[:, 0]


def _weighted_mean(values: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Row-wise weighted mean over the non-NaN values, weights renormalised."""
    present = ~np.isnan(values)
    w = np.where(present, weights, 0.0)
    total = _rowsum(w)
    num = _rowsum(np.where(present, values, 0.0) * w)
    with np.errstate(invalid="ignore", divide="ignore"):
        return _round(np.where(total > 0, num / total, np.nan))


def _cmmm_level_scores(model, lay: _Layout, rules: CmmmRules, cells, industry_type):
    """Level scores S_k: the weighted mean over the weight groups of their sub-domain means."""
    n, _, K = cells.shape
    groups = rules.group_dimensions(model)  # weight group -> dimension ids
    names = list(groups)
    dim_index = {d: i for i, d in enumerate(lay.dims)}
    members = [np.array([dim_index[d] for d in groups[g]]) for g in names]
    types = list(INDUSTRY_TYPES)
    table = np.array(
        [[rules.weights.get(t, rules.weights[rules.default_industry_type]).get(g, 0.0)
          for g in names] for t in types]
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
        # a group's score at level k = mean of its sub-domains' mean ratings (those that apply)
        grp = np.column_stack([_rowmean(cells[:, idx, k]) for idx in members])
        level_scores[:, k] = _weighted_mean(grp, w)
    return level_scores
