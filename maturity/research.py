"""Research tools for real aggregates and questionnaire data: paired tests and a regression.

* :func:`paired_tests` - matched aggregates (e.g. the same countries' share
  in two size classes): Wilcoxon signed-rank and the exact sign test, with
  the median difference and the matched-pairs rank-biserial correlation;
* :func:`score_regression` - ordinary (or survey-weighted) least squares of
  the score on sector, size, region and year in one call (statsmodels; its
  ``summary()`` is the usual table).

Examples
--------
>>> table = pd.DataFrame({"geo": list("aabbcc"), "size": ["s", "l"] * 3,
...                       "pct": [1.0, 3.0, 2.0, 5.0, 4.0, 4.5]})
>>> paired_tests(table, subject="geo", condition="size", a="l", b="s", value="pct")[
...     ["n_pairs", "positive", "negative", "median_difference"]].values.tolist()
[[3.0, 3.0, 0.0, 2.0]]
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from value_chain.errors import InputError, Problem

__all__ = ["paired_tests", "score_regression"]

_WHERE = "<paired table>"


def paired_tests(
    table: pd.DataFrame,
    *,
    subject: str,
    condition: str,
    a: Any,
    b: Any,
    value: str,
) -> pd.DataFrame:
    """Wilcoxon signed-rank and sign test of ``value`` under condition ``a`` against ``b``.

    ``table`` is long: one row per subject and condition. Subjects with
    both values are paired; those missing either are counted in
    ``unpaired`` and left out (listed, never silently). Zero differences
    are dropped from both tests (Wilcoxon's ``zero_method="wilcox"``; the
    sign test counts only non-zero signs). Two-sided p-values.

    Returns one row: ``n_pairs, unpaired, positive, negative, zero,
    median_difference`` (a - b), ``wilcoxon_statistic, wilcoxon_p,
    sign_p, rank_biserial`` (matched pairs: (R+ - R-) / (R+ + R-)).

    Examples
    --------
    >>> t = pd.DataFrame({"id": [1, 1, 2, 2, 3, 3, 4, 4], "c": ["x", "y"] * 4,
    ...                   "v": [5, 1, 6, 2, 7, 3, 1, 2]})
    >>> r = paired_tests(t, subject="id", condition="c", a="x", b="y", value="v").iloc[0]
    >>> int(r["positive"]), int(r["negative"]), float(r["sign_p"])   # 2 * P(X >= 3), X~B(4, .5)
    (3, 1, 0.625)
    """
    missing = [c for c in (subject, condition, value) if c not in table.columns]
    if missing:
        raise InputError([Problem(_WHERE, f"column {c!r}", "is missing") for c in missing])
    dupes = table[table[condition].isin([a, b])].duplicated([subject, condition])
    if dupes.any():
        rows = table.index[table[condition].isin([a, b])][dupes.to_numpy()][:5].tolist()
        raise InputError([Problem(_WHERE, f"rows {rows}",
                                  f"a {subject!r} appears twice under one {condition!r}")])
    wide = table[table[condition].isin([a, b])].pivot(index=subject, columns=condition,
                                                        values=value)
    for c in (a, b):
        if c not in wide.columns:
            raise InputError([Problem(_WHERE, f"column {condition!r}", f"no rows with {c!r}")])
    both = wide[[a, b]].astype(float).dropna()
    d = (both[a] - both[b]).to_numpy()
    nonzero = d[d != 0]
    pos, neg = int((nonzero > 0).sum()), int((nonzero < 0).sum())
    if len(nonzero) == 0:
        w, pw, rbc = 0.0, 1.0, 0.0
    else:
        res = stats.wilcoxon(nonzero, zero_method="wilcox", alternative="two-sided")
        w, pw = float(res.statistic), float(res.pvalue)
        ranks = stats.rankdata(np.abs(nonzero))
        rbc = float((ranks[nonzero > 0].sum() - ranks[nonzero < 0].sum()) / ranks.sum())
    sign_p = float(stats.binomtest(pos, pos + neg, 0.5).pvalue) if pos + neg else 1.0
    return pd.DataFrame([{
        "a": a, "b": b, "value": value, "n_pairs": len(d), "unpaired": int(len(wide) - len(d)),
        "positive": pos, "negative": neg, "zero": int((d == 0).sum()),
        "median_difference": float(np.median(d)) if len(d) else np.nan,
        "wilcoxon_statistic": w, "wilcoxon_p": pw, "sign_p": sign_p, "rank_biserial": rbc,
    }])


def score_regression(
    scored: pd.DataFrame,
    covariates: Sequence[str] = ("sector", "size", "region", "year"),
    *,
    value: str = "score",
    weights: str | None = None,
    reference: dict[str, Any] | None = None,
):
    """Least squares of ``value`` on categorical ``covariates`` (statsmodels), in one call.

    Each covariate enters as a set of dummies against its first level (or
    the level named in ``reference``); columns missing from the table or
    with a single value are left out and named in ``result.model.dropped``.
    With ``weights`` (a column of survey weights) the fit is weighted least
    squares. Returns the statsmodels result: ``.params``, ``.conf_int()``,
    ``.pvalues``, ``.summary()``. Rows without ``value`` are left out.

    Examples
    --------
    >>> t = pd.DataFrame({"size": ["s", "s", "l", "l"], "score": [1.0, 1.2, 2.0, 2.2]})
    >>> fit = score_regression(t)
    >>> float(round(fit.params["C(size, Treatment('l'))[T.s]"], 3))   # 1.1 - 2.1
    -1.0
    """
    import statsmodels.formula.api as smf

    reference = reference or {}
    if value not in scored.columns:
        raise InputError([Problem("<scored table>", f"column {value!r}", "is missing")])
    used, dropped = [], []
    for c in covariates:
        if c in scored.columns and scored[c].nunique(dropna=True) > 1:
            used.append(c)
        else:
            dropped.append(c)
    if not used:
        raise InputError([Problem("<scored table>", "covariates",
                                  f"none of {list(covariates)} varies in the table")])
    data = scored[[value, *used, *([weights] if weights else [])]].dropna()
    terms = []
    for c in used:
        data[c] = data[c].astype(str)
        ref = reference.get(c, sorted(data[c].unique())[0])
        terms.append(f"C({c}, Treatment({str(ref)!r}))")
    formula = f"{value} ~ " + " + ".join(terms)
    if weights:
        fit = smf.wls(formula, data=data, weights=data[weights]).fit()
    else:
        fit = smf.ols(formula, data=data).fit()
    fit.model.dropped = dropped
    return fit
