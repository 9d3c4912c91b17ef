"""Answers that express a given maturity profile (a level per dimension).

Used to draft the example enterprises' answers and to generate synthetic
populations: give each respondent a (possibly fractional) level per
dimension and get the questionnaire answers an enterprise at that level
would give.

The rule per kind of item:

* an item with a ``level`` (CMMM, acatech, industrial internet): fully met
  at and below the integer part of the profile level, the option nearest to
  the fractional part at the next level, not met above;
* an item without a level whose option values are the stages (IMPULS,
  SIRI): the option nearest to the profile level;
* a points item (EU DMA, profile in percent): the option nearest to that
  share of the item's points.

With ``noise > 0`` each item's level is jittered by a normal draw of that
standard deviation before the rule is applied (reproducible with ``seed``).

Examples
--------
>>> from maturity import load_model, score
>>> model = load_model("impuls")
>>> table = answers_for_levels(model, {"smart_factory": 3, "employees": 1.4})
>>> int(table.loc[0, "smart_factory.data_usage"]), int(table.loc[0, "employees.skill_sets"])
(3, 1)
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from maturity.reference_model import PercentRules, ReferenceModel

__all__ = ["answers_for_levels"]


def answers_for_levels(
    model: ReferenceModel,
    levels: Mapping[str, float] | pd.DataFrame,
    *,
    noise: float = 0.0,
    seed: int | None = None,
) -> pd.DataFrame:
    """Answer values (one row per respondent, one column per item) for a profile.

    Columns are categoricals of the item's option values (compact for large
    populations); unanswered cells are missing.

    ``levels`` maps dimension ids to levels (one respondent) or is a DataFrame
    with one column per dimension (many). Dimensions left out stay unanswered.
    """
    frame = pd.DataFrame([dict(levels)]) if isinstance(levels, Mapping) else levels
    unknown = set(frame.columns) - {d.id for d in model.dimensions}
    if unknown:
        raise KeyError(f"not dimensions of {model.id}: {sorted(unknown)}")
    rng = np.random.default_rng(seed)
    n = len(frame)
    percent = isinstance(model.rules, PercentRules)
    columns: dict[str, np.ndarray] = {}
    for item in model.items:
        if item.dimension not in frame.columns:
            continue
        lv = frame[item.dimension].to_numpy(dtype=float)
        if noise > 0:
            lv = lv + rng.normal(0.0, noise, n)
        options = model.options(item)
        values = np.array([o.value for o in options], dtype=object)
        scores = np.array([o.score for o in options], dtype=float)
        if item.level is not None:
            top, bottom = scores.max(), scores.min()
            frac = np.clip(lv - (item.level - 1), 0.0, 1.0)  # 1 at or below, partial next, 0 above
            wanted = np.where(lv >= item.level, top, bottom + frac * (top - bottom))
        elif percent:
            wanted = np.clip(lv, 0, 100) / 100.0 * scores.max()
        else:
            wanted = lv
        pick = np.abs(wanted[:, None] - scores[None, :]).argmin(axis=1)
        codes = np.where(np.isnan(lv), -1, pick)
        columns[item.id] = pd.Categorical.from_codes(codes, categories=list(values))
    return pd.DataFrame(columns, index=frame.index)
