"""Comparisons of level distributions from group-by-level counts (any number of respondents).

A level is one of a few integers, so a groups x levels table of counts holds
everything the rank tests need: Kruskal-Wallis (with the tie correction),
pairwise Mann-Whitney U and the chi-square test computed from the counts
equal those computed from the rows (exactly, for the statistics). The work
grows with the number of groups, not respondents, and the counts can come
from a pandas table, a Dask DataFrame or per-file partial counts added up.

Confidence intervals for the shares: :func:`level_shares_ci` (Wilson or Clopper-Pearson,
through :func:`maturity.intervals.share_ci`).

Examples
--------
>>> counts = pd.DataFrame({1: [3, 0], 2: [0, 3]}, index=pd.Index(["a", "b"], name="g"))
>>> kruskal_from_counts(counts)[["statistic", "p_value"]].round(4).values.tolist()
[[5.0, 0.0253]]
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import combinations
from typing import Any, Literal

import numpy as np
import pandas as pd
from scipy import stats

from maturity.compare import holm
from maturity.intervals import share_ci
from value_chain.errors import InputError, Problem

__all__ = [
    "chi2_from_counts",
    "kruskal_from_counts",
    "level_counts",
    "level_shares_ci",
    "pairwise_from_counts",
]

_WHERE = "<level counts>"


def level_counts(
    scored: Any, by: str | Sequence[str] = "sector", *, level: str = "level",
    weights: str | None = None,
) -> pd.DataFrame:
    """Groups x levels table of counts (or sums of ``weights``) from a pandas or Dask frame.

    Rows without a level are left out of the table (they carry no rank);
    rows without a group value are refused. A Dask DataFrame is reduced on
    the cluster and only the small table is brought back.

    Examples
    --------
    >>> scored = pd.DataFrame({"g": ["a", "a", "b"], "level": [1, 2, 2]})
    >>> level_counts(scored, by="g")
    level  1  2
    g
    a      1  1
    b      0  1
    """
    by = [by] if isinstance(by, str) else list(by)
    missing = [c for c in [*by, level, *([weights] if weights else [])] if c not in scored.columns]
    if missing:
        raise InputError([Problem(_WHERE, f"column {c!r}", "is missing") for c in missing])
    rows = scored.dropna(subset=[level])
    if weights:
        long = rows.groupby([*by, level], observed=True)[weights].sum()
    else:
        long = rows.groupby([*by, level], observed=True).size()
    if hasattr(long, "compute"):  # Dask: reduce on the workers, bring back the small table
        long = long.compute()
    blank = [c for c in by if long.index.get_level_values(c).isna().any()]
    if blank:
        raise InputError([Problem(_WHERE, f"column {c!r}", "some rows have no group value")
                          for c in blank])
    wide = long.unstack(level, fill_value=0).sort_index()
    wide.columns = wide.columns.astype(int)
    wide = wide.reindex(columns=sorted(wide.columns), fill_value=0)
    wide.columns.name = "level"
    return wide if weights else wide.astype("int64")


def _table(counts: pd.DataFrame) -> np.ndarray:
    t = np.asarray(counts, dtype=float)
    if t.ndim != 2 or t.shape[0] < 2 or (t < 0).any():
        raise InputError([Problem(_WHERE, "table",
                                  "needs at least two groups and no negative counts")])
    return t


def _midranks(column_totals: np.ndarray) -> np.ndarray:
    before = np.concatenate([[0.0], np.cumsum(column_totals)[:-1]])
    return before + (column_totals + 1) / 2


def kruskal_from_counts(counts: pd.DataFrame) -> pd.DataFrame:
    """Kruskal-Wallis H (tie-corrected) of the level across groups, from a counts table.

    Equal to :func:`scipy.stats.kruskal` on the rows the table counts. One
    row: ``groups, n, statistic, p_value, epsilon_squared``.

    Examples
    --------
    >>> rows = {"a": [1, 1, 2], "b": [2, 3, 3]}
    >>> counts = pd.DataFrame({1: [2, 0], 2: [1, 1], 3: [0, 2]}, index=["a", "b"])
    >>> h = kruskal_from_counts(counts)["statistic"].item()
    >>> bool(np.isclose(h, stats.kruskal(rows["a"], rows["b"]).statistic))
    True
    """
    t = _table(counts)
    t = t[t.sum(axis=1) > 0]
    n_g, t_k = t.sum(axis=1), t.sum(axis=0)
    n = t_k.sum()
    r = _midranks(t_k)
    rank_sums = t @ r
    h = 12.0 / (n * (n + 1)) * np.sum(rank_sums**2 / n_g) - 3 * (n + 1)
    ties = 1 - np.sum(t_k**3 - t_k) / (n**3 - n)
    h = h / ties if ties > 0 else 0.0
    p = float(stats.chi2.sf(h, len(n_g) - 1)) if ties > 0 else 1.0
    return pd.DataFrame([{"groups": len(n_g), "n": int(n), "statistic": float(h), "p_value": p,
                          "epsilon_squared": float(h) / (n - 1) if n > 1 else np.nan}])


def pairwise_from_counts(counts: pd.DataFrame) -> pd.DataFrame:
    """Mann-Whitney U for every pair of groups from counts (normal approximation), Holm-adjusted.

    U of the first group, the tie-corrected normal approximation with
    continuity correction (as :func:`scipy.stats.mannwhitneyu` with
    ``method="asymptotic"``) and the rank-biserial correlation.

    Examples
    --------
    >>> counts = pd.DataFrame({1: [2, 0], 2: [1, 1], 3: [0, 2]}, index=["a", "b"])
    >>> # a = 1, 1, 2 and b = 2, 3, 3: only the tie 2 = 2 counts, as one half
    >>> pairwise_from_counts(counts)[["group_a", "group_b", "statistic"]].values.tolist()
    [['a', 'b', 0.5]]
    """
    t = _table(counts)
    names = list(counts.index)
    rows = []
    for i, j in combinations(range(len(names)), 2):
        a, b = t[i], t[j]
        n1, n2 = a.sum(), b.sum()
        if n1 == 0 or n2 == 0:
            continue
        below_b = np.concatenate([[0.0], np.cumsum(b)[:-1]])
        u = float(np.sum(a * (below_b + 0.5 * b)))
        tk = a + b
        n = n1 + n2
        mu = n1 * n2 / 2
        sigma = np.sqrt(n1 * n2 / 12 * ((n + 1) - np.sum(tk**3 - tk) / (n * (n - 1))))
        if sigma == 0:
            p = 1.0
        else:
            z = (abs(u - mu) - 0.5) / sigma
            p = float(min(1.0, 2 * stats.norm.sf(max(z, 0.0))))
        rows.append({"group_a": names[i], "group_b": names[j], "n_a": int(n1), "n_b": int(n2),
                     "statistic": u, "p_value": p, "rank_biserial": 2 * u / (n1 * n2) - 1})
    out = pd.DataFrame(rows)
    if len(out):
        out.insert(6, "p_holm", holm(out["p_value"].to_numpy()))
    return out


def chi2_from_counts(counts: pd.DataFrame) -> pd.DataFrame:
    """Chi-square test of independence of group and level, with Cramér's V.

    Levels no group reaches are dropped first (they have expected count 0).

    Examples
    --------
    >>> counts = pd.DataFrame({1: [10, 20], 2: [20, 10]}, index=["a", "b"])
    >>> chi2_from_counts(counts)[["statistic", "dof"]].round(4).values.tolist()  # 60 * 300^2 / 30^4
    [[6.6667, 1.0]]
    """
    t = _table(counts)
    t = t[:, t.sum(axis=0) > 0][t.sum(axis=1) > 0]
    res = stats.chi2_contingency(t, correction=False)
    n = t.sum()
    k = min(t.shape) - 1
    return pd.DataFrame([{"groups": t.shape[0], "levels": t.shape[1], "n": int(n),
                          "statistic": float(res.statistic), "dof": int(res.dof),
                          "p_value": float(res.pvalue),
                          "cramers_v": float(np.sqrt(res.statistic / (n * k))) if k else np.nan}])


def level_shares_ci(
    counts: pd.DataFrame, *, method: Literal["wilson", "clopper-pearson"] = "wilson",
    confidence_level: float = 0.95, effective_n: pd.Series | None = None,
) -> pd.DataFrame:
    """Long table ``group, level, count, n, share, ci_low, ci_high`` from a counts table.

    With survey weights pass weighted counts and ``effective_n`` (Kish's
    (sum w)^2 / sum w^2 per group): the interval then uses the share and the
    effective sample size.

    Examples
    --------
    >>> counts = pd.DataFrame({1: [8], 2: [2]}, index=pd.Index(["a"], name="g"))
    >>> level_shares_ci(counts).round(4).values.tolist()[0]
    ['a', 1, 8.0, 10.0, 0.8, 0.4902, 0.9433]
    """
    rows = []
    for g, row in counts.iterrows():
        total = float(row.sum())
        n_eff = float(effective_n[g]) if effective_n is not None else total
        for lv, c in row.items():
            share = float(c) / total if total else np.nan
            low, high = share_ci(share * n_eff, n_eff, method=method,
                                 confidence_level=confidence_level) if total else (np.nan,
                                                                                   np.nan)
            rows.append({"group": g, "level": int(lv), "count": float(c), "n": total,
                         "share": share, "ci_low": low, "ci_high": high})
    return pd.DataFrame(rows)
