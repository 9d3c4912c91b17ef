"""Compare scored assessments across sectors, sizes, regions and years.

Every function takes a scored table (the output of
:func:`maturity.score_frame`: one row per enterprise with ``score``,
``level``, ``<dimension>.score``... and the respondent columns) and returns
a tidy DataFrame:

* :func:`level_distribution` - count and share of enterprises per level and group;
* :func:`dimension_profiles` - mean score of each dimension per group;
* :func:`group_means` - mean per group with a seeded bootstrap confidence interval;
* :func:`kruskal_test` - Kruskal-Wallis test across groups, with epsilon-squared;
* :func:`pairwise_tests` - Mann-Whitney U for each pair of groups, Holm-adjusted,
  with the rank-biserial correlation;
* :func:`group_tests` - the three above in one long table;
* :func:`peer_percentile` - where one enterprise stands among its peers.

Examples
--------
>>> scored = pd.DataFrame({"sector": ["a", "a", "b", "b"], "score": [1.0, 2.0, 3.0, 4.0],
...                        "level": [1, 2, 3, 4]})
>>> peer_percentile(scored, 2.5)
50.0
>>> holm([0.01, 0.04, 0.03]).round(2).tolist()
[0.03, 0.06, 0.06]
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from itertools import combinations
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import stats

from maturity.intervals import share_ci
from maturity.reference_model import load_model
from maturity.scoring import score_frame
from value_chain.errors import InputError, Problem
from value_chain.safe_io import LIMITS, check_file, csv_encodings, preview

__all__ = [
    "compare_responses",
    "comparison_to_dict",
    "dimension_profiles",
    "epsilon_squared",
    "format_comparison",
    "group_means",
    "group_tests",
    "holm",
    "kruskal_test",
    "level_distribution",
    "pairwise_tests",
    "peer_percentile",
    "rank_biserial",
    "read_responses",
]

_SOURCE = "<scored table>"
#: groups larger than this get a normal-approximation interval instead of a bootstrap
BOOTSTRAP_MAX_N = 50_000


def _by_list(by: str | Sequence[str]) -> list[str]:
    return [by] if isinstance(by, str) else list(by)


def _require(scored: pd.DataFrame, columns: Sequence[str]) -> None:
    missing = [c for c in columns if c not in scored.columns]
    if missing:
        known = ", ".join(map(str, scored.columns[:30]))
        raise InputError([
            Problem(_SOURCE, f"column {c!r}", f"is missing (columns: {known})") for c in missing
        ])


def _check_groups(scored: pd.DataFrame, by: list[str]) -> None:
    """Rows without a group value would vanish from a groupby: refuse them instead."""
    problems = []
    for c in by:
        blank = scored[c].isna()
        if blank.any():
            rows = scored.index[blank][:5].tolist()
            problems.append(Problem(_SOURCE, f"column {c!r}",
                                    f"{int(blank.sum())} rows have no value (e.g. rows {rows}); "
                                    "fill or drop them before comparing"))
    if problems:
        raise InputError(problems)


def level_distribution(
    scored: pd.DataFrame,
    by: str | Sequence[str] = "sector",
    *,
    level: str = "level",
    weights: str | None = None,
    ci: str | None = None,
    confidence_level: float = 0.95,
) -> pd.DataFrame:
    """Count and share of enterprises at each level, per group.

    Returns columns ``by..., level, count, share`` (share within the group,
    0-1), with a row for every level seen in the table, also where a group
    has none. Enterprises without a level (nothing answered) are counted in
    a row with level ``<NA>``, not dropped.

    ``weights`` names a column of survey weights: ``share`` is then the
    weighted share and ``weighted_count`` the sum of weights (``count``
    stays the number of rows). ``ci="wilson"`` or ``"clopper-pearson"`` adds
    ``ci_low, ci_high`` for each share; with weights they use Kish's
    effective sample size (sum w)^2 / sum w^2 of the group.

    Examples
    --------
    >>> scored = pd.DataFrame({"size": ["s", "s", "s", "l"], "level": [1, 1, 2, 2]})
    >>> level_distribution(scored, by="size")
      size  level  count     share
    0    l      1      0  0.000000
    1    l      2      1  1.000000
    2    s      1      2  0.666667
    3    s      2      1  0.333333
    >>> scored["w"] = [1.0, 1.0, 2.0, 1.0]
    >>> level_distribution(scored, by="size", weights="w")["share"].tolist()
    [0.0, 1.0, 0.5, 0.5]
    """
    by = _by_list(by)
    _require(scored, [*by, level, *([weights] if weights else [])])
    _check_groups(scored, by)
    levels = scored[level].astype("Int64").fillna(-1).astype("int64")  # -1 = no level
    keys = [scored[c] for c in by]
    counts = levels.groupby(keys, observed=True).value_counts()
    groups = counts.index.droplevel(-1).unique()
    full_keys = [(*(g if isinstance(g, tuple) else (g,)), lv)
                 for g in groups for lv in sorted(levels.unique())]
    full = pd.MultiIndex.from_tuples(full_keys, names=[*by, "level"])
    long = counts.rename_axis([*by, "level"]).reindex(full, fill_value=0)
    long = long.rename("count").reset_index()
    long["count"] = long["count"].astype("int64")
    if weights:
        w = pd.to_numeric(scored[weights], errors="coerce")
        if w.isna().any() or (w < 0).any():
            raise InputError([Problem(_SOURCE, f"column {weights!r}",
                                      "weights must be numbers >= 0 on every row")])
        wsum = w.groupby([*keys, levels.rename("level")], observed=True).sum()
        long["weighted_count"] = wsum.reindex(pd.MultiIndex.from_frame(long[[*by, "level"]]),
                                              fill_value=0.0).to_numpy()
        size = long["weighted_count"]
    else:
        size = long["count"]
    total = size.groupby([long[c] for c in by], observed=True).transform("sum")
    long["share"] = size / total
    if ci:
        if weights:
            w2 = (w**2).groupby(keys, observed=True).sum()
            n_eff = (w.groupby(keys, observed=True).sum() ** 2 / w2).rename("n_eff")
            neff = long[by].merge(n_eff.reset_index(), on=by, how="left")["n_eff"].to_numpy()
        else:
            neff = total.to_numpy(dtype=float)
        bounds = [share_ci(sh * ne, ne, method=ci, confidence_level=confidence_level)
                  for sh, ne in zip(long["share"], neff, strict=True)]
        long["ci_low"] = [b[0] for b in bounds]
        long["ci_high"] = [b[1] for b in bounds]
    long["level"] = long["level"].astype("Int64").mask(long["level"] < 0)
    return long.sort_values([*by, "level"], ignore_index=True)


def dimension_profiles(scored: pd.DataFrame, by: str | Sequence[str] = "sector") -> pd.DataFrame:
    """Mean score of every dimension per group: columns ``by..., dimension, mean, n``.

    ``n`` counts the enterprises with a score in that dimension.

    Examples
    --------
    >>> scored = pd.DataFrame({"size": ["s", "s", "l"], "a.score": [1.0, 2.0, 4.0],
    ...                        "b.score": [0.0, np.nan, 1.0]})
    >>> dimension_profiles(scored, by="size")
      size dimension  mean  n
    0    l         a   4.0  1
    1    l         b   1.0  1
    2    s         a   1.5  2
    3    s         b   0.0  1
    """
    by = _by_list(by)
    dims = [c for c in scored.columns if isinstance(c, str) and c.endswith(".score")]
    _require(scored, by)
    if not dims:
        raise InputError([Problem(_SOURCE, "columns", "no '<dimension>.score' columns; "
                                  "score the answers with maturity.score_frame first")])
    _check_groups(scored, by)
    grouped = scored.groupby(by, observed=True)[dims]
    mean = grouped.mean().stack(future_stack=True).rename("mean")
    count = grouped.count().stack(future_stack=True).rename("n")
    out = pd.concat([mean, count], axis=1).reset_index()
    out = out.rename(columns={out.columns[len(by)]: "dimension"})
    out["dimension"] = out["dimension"].str.removesuffix(".score")
    out["n"] = out["n"].astype("int64")
    return out.sort_values([*by, "dimension"], ignore_index=True)


def _samples(scored: pd.DataFrame, by: str, value: str) -> dict[object, np.ndarray]:
    _require(scored, [by, value])
    _check_groups(scored, [by])
    values = pd.to_numeric(scored[value], errors="coerce").astype(float)
    out = {}
    for key, part in values.groupby(scored[by], observed=True, sort=True):
        x = part.dropna().to_numpy()
        if len(x):
            out[key] = x
    if len(out) < 2:
        raise InputError([Problem(_SOURCE, f"column {by!r}",
                                  f"needs at least two groups with a {value!r}, found {len(out)}")])
    return out


def holm(pvalues: Sequence[float] | np.ndarray) -> np.ndarray:
    """Holm-Bonferroni adjusted p-values (step-down, monotone, capped at 1), unrounded.

    Tiny p-values keep their size: never smaller than the raw p-value.

    Examples
    --------
    >>> holm([0.01, 0.04, 0.03]).tolist()   # 3 x 0.01, max(2 x 0.03, .), max(1 x 0.04, 0.06)
    [0.03, 0.06, 0.06]
    >>> holm([4.07e-39, 0.5]).tolist()      # 2 x 4.07e-39, max(1 x 0.5, .)
    [8.14e-39, 0.5]
    """
    p = np.asarray(pvalues, dtype=float)
    m = len(p)
    if m == 0:
        return p
    order = np.argsort(p, kind="stable")
    scaled = (m - np.arange(m)) * p[order]
    adjusted = np.minimum(1.0, np.maximum.accumulate(scaled))
    out = np.empty(m)
    out[order] = adjusted
    return out


def epsilon_squared(h: float, n: int) -> float:
    """Epsilon-squared effect size of a Kruskal-Wallis H over ``n`` observations: H / (n - 1).

    (Tomczak & Tomczak 2014: H / ((n^2 - 1) / (n + 1)).)

    Examples
    --------
    >>> round(epsilon_squared(3.857142857, 6), 4)
    0.7714
    """
    return float(h) / (n - 1) if n > 1 else float("nan")


def rank_biserial(u: float, n1: int, n2: int) -> float:
    """Rank-biserial correlation from the Mann-Whitney U of the first sample: 2U/(n1 n2) - 1.

    +1 when every value of the first group exceeds every value of the second.

    Examples
    --------
    >>> rank_biserial(9, 3, 3), rank_biserial(0, 3, 3), rank_biserial(4.5, 3, 3)
    (1.0, -1.0, 0.0)
    """
    return 2.0 * float(u) / (n1 * n2) - 1.0


def kruskal_test(scored: pd.DataFrame, by: str = "sector", value: str = "score") -> pd.DataFrame:
    """Kruskal-Wallis H test of ``value`` across the groups of ``by`` (one row).

    Columns: ``by, value, groups, n, statistic, p_value, epsilon_squared``.

    Examples
    --------
    >>> scored = pd.DataFrame({"g": list("aaabbb"), "score": [1, 2, 3, 4, 5, 6]})
    >>> kruskal_test(scored, by="g").round(4)
      by  value  groups  n  statistic  p_value  epsilon_squared
    0  g  score       2  6     3.8571   0.0495           0.7714
    """
    samples = _samples(scored, by, value)
    n = sum(len(x) for x in samples.values())
    if np.ptp(np.concatenate(list(samples.values()))) == 0:
        h, p = 0.0, 1.0  # all values equal: no evidence of a difference
    else:
        h, p = stats.kruskal(*samples.values())
    return pd.DataFrame([{
        "by": by, "value": value, "groups": len(samples), "n": n, "statistic": float(h),
        "p_value": float(p), "epsilon_squared": epsilon_squared(h, n),
    }])


def pairwise_tests(scored: pd.DataFrame, by: str = "sector", value: str = "score") -> pd.DataFrame:
    """Two-sided Mann-Whitney U test for every pair of groups, Holm-adjusted.

    Columns: ``group_a, group_b, n_a, n_b, statistic`` (U of group a),
    ``p_value, p_holm, rank_biserial`` (positive when group a is higher).

    Examples
    --------
    >>> scored = pd.DataFrame({"g": list("aaabbbccc"), "score": [1, 2, 3, 4, 5, 6, 1, 2, 4]})
    >>> pairwise_tests(scored, by="g")[["group_a", "group_b", "statistic", "rank_biserial"]]
      group_a group_b  statistic  rank_biserial
    0       a       b        0.0      -1.000000
    1       a       c        4.0      -0.111111
    2       b       c        8.5       0.888889
    """
    samples = _samples(scored, by, value)
    rows = []
    for a, b in combinations(samples, 2):
        x, y = samples[a], samples[b]
        if np.ptp(np.concatenate([x, y])) == 0:
            u, p = len(x) * len(y) / 2.0, 1.0
        else:
            u, p = stats.mannwhitneyu(x, y, alternative="two-sided")
        rows.append({"group_a": a, "group_b": b, "n_a": len(x), "n_b": len(y),
                     "statistic": float(u), "p_value": float(p),
                     "rank_biserial": rank_biserial(u, len(x), len(y))})
    out = pd.DataFrame(rows)
    out.insert(6, "p_holm", holm(out["p_value"].to_numpy()))
    return out


def group_means(
    scored: pd.DataFrame,
    by: str = "sector",
    value: str = "score",
    *,
    confidence_level: float = 0.95,
    n_resamples: int = 2000,
    seed: int = 0,
    weights: str | None = None,
) -> pd.DataFrame:
    """Mean of ``value`` per group with a confidence interval.

    The interval is a percentile bootstrap (:func:`scipy.stats.bootstrap`,
    seeded, so the same call gives the same interval). Groups with more than
    ``BOOTSTRAP_MAX_N`` values get the normal approximation mean +- z sd /
    sqrt(n) instead (the bootstrap would need n_resamples x n numbers and the
    two agree closely at that size); ``ci_method`` says which was used.

    With ``weights`` (a column of survey weights) the mean is the weighted
    mean and the interval the normal approximation with the weighted
    standard deviation and Kish's effective sample size (sum w)^2 / sum w^2
    (``ci_method`` "weighted normal"); ``n`` stays the number of rows.

    Examples
    --------
    >>> scored = pd.DataFrame({"g": list("aaaabbbb"), "score": [1, 2, 3, 4, 2, 2, 2, 2]})
    >>> group_means(scored, by="g")[["group", "n", "mean", "ci_low", "ci_high"]]
      group  n  mean  ci_low  ci_high
    0     a  4   2.5    1.50     3.50
    1     b  4   2.0    2.00     2.00
    >>> scored["w"] = [3, 1, 1, 1, 1, 1, 1, 1]
    >>> group_means(scored, by="g", weights="w")["mean"].tolist()    # (3 + 2 + 3 + 4) / 6
    [2.0, 2.0]
    """
    if weights:
        return _weighted_means(scored, by, value, weights, confidence_level)
    samples = _samples(scored, by, value)
    rng = np.random.default_rng(seed)
    rows = []
    for key, x in samples.items():
        mean = float(x.mean())
        if np.ptp(x) == 0 or len(x) < 2:
            low = high = mean
            method = "constant" if len(x) > 1 else "single value"
        elif len(x) > BOOTSTRAP_MAX_N:
            z = stats.norm.ppf(0.5 + confidence_level / 2)
            half = z * x.std(ddof=1) / np.sqrt(len(x))
            low, high, method = mean - half, mean + half, "normal"
        else:
            res = stats.bootstrap(
                (x,), np.mean, n_resamples=n_resamples, confidence_level=confidence_level,
                method="percentile", rng=rng, batch=max(1, min(n_resamples, 2_000_000 // len(x))),
            )
            low, high = res.confidence_interval
            method = "bootstrap"
        rows.append({"by": by, "group": key, "n": len(x), "mean": mean, "ci_low": float(low),
                     "ci_high": float(high), "ci_method": method})
    return pd.DataFrame(rows)


def _weighted_means(scored: pd.DataFrame, by: str, value: str, weights: str,
                    confidence_level: float) -> pd.DataFrame:
    _require(scored, [by, value, weights])
    _check_groups(scored, [by])
    x = pd.to_numeric(scored[value], errors="coerce").astype(float)
    w = pd.to_numeric(scored[weights], errors="coerce").astype(float)
    if w.isna().any() or (w < 0).any():
        raise InputError([Problem(_SOURCE, f"column {weights!r}",
                                  "weights must be numbers >= 0 on every row")])
    z = stats.norm.ppf(0.5 + confidence_level / 2)
    rows = []
    for key, idx in x.groupby(scored[by], observed=True, sort=True).groups.items():
        xi, wi = x[idx].to_numpy(), w[idx].to_numpy()
        keep = ~np.isnan(xi) & (wi > 0)
        xi, wi = xi[keep], wi[keep]
        if len(xi) == 0:
            continue
        mean = float(np.average(xi, weights=wi))
        n_eff = wi.sum() ** 2 / (wi**2).sum()
        if len(xi) > 1 and n_eff > 1:
            var = np.average((xi - mean) ** 2, weights=wi) * n_eff / (n_eff - 1)
            half = z * np.sqrt(var / n_eff)
        else:
            half = 0.0
        rows.append({"by": by, "group": key, "n": len(xi), "mean": mean,
                     "ci_low": mean - half, "ci_high": mean + half,
                     "ci_method": "weighted normal"})
    return pd.DataFrame(rows)


def group_tests(
    scored: pd.DataFrame,
    by: str = "sector",
    value: str = "score",
    *,
    n_resamples: int = 2000,
    seed: int = 0,
) -> pd.DataFrame:
    """Group means, Kruskal-Wallis and pairwise Mann-Whitney tests in one long table.

    One row per result, ``test`` in ``{"mean", "kruskal", "mannwhitney"}``;
    columns that do not apply to a row are empty. ``effect`` holds
    epsilon-squared (Kruskal-Wallis) or the rank-biserial correlation (pairs).

    Examples
    --------
    >>> scored = pd.DataFrame({"g": list("aaabbb"), "score": [1, 2, 3, 4, 5, 6]})
    >>> group_tests(scored, by="g")["test"].tolist()
    ['mean', 'mean', 'kruskal', 'mannwhitney']
    """
    means = group_means(scored, by, value, n_resamples=n_resamples, seed=seed)
    kw = kruskal_test(scored, by, value)
    pairs = pairwise_tests(scored, by, value)
    blocks = [
        pd.DataFrame({"test": "mean", "group_a": means["group"], "n_a": means["n"],
                      "mean": means["mean"], "ci_low": means["ci_low"],
                      "ci_high": means["ci_high"]}),
        pd.DataFrame({"test": "kruskal", "n_a": kw["n"], "statistic": kw["statistic"],
                      "p_value": kw["p_value"], "p_holm": kw["p_value"],
                      "effect": kw["epsilon_squared"], "effect_name": "epsilon_squared"}),
        pd.DataFrame({"test": "mannwhitney", "group_a": pairs["group_a"],
                      "group_b": pairs["group_b"], "n_a": pairs["n_a"], "n_b": pairs["n_b"],
                      "statistic": pairs["statistic"], "p_value": pairs["p_value"],
                      "p_holm": pairs["p_holm"], "effect": pairs["rank_biserial"],
                      "effect_name": "rank_biserial"}),
    ]
    columns = ["test", "group_a", "group_b", "n_a", "n_b", "mean", "ci_low", "ci_high",
               "statistic", "p_value", "p_holm", "effect", "effect_name"]
    out = pd.concat([b.reindex(columns=columns) for b in blocks], ignore_index=True)
    for c in ("group_a", "group_b", "effect_name"):
        out[c] = out[c].astype(object)
    out.insert(0, "by", by)
    out.insert(1, "value", value)
    return out


def peer_percentile(
    scored: pd.DataFrame,
    enterprise_score: float,
    *,
    sector: str | None = None,
    size: str | None = None,
    value: str = "score",
) -> float:
    """Percentile (0-100) of one enterprise's score among its peers.

    Peers are the rows of ``scored`` with the given ``sector`` and/or
    ``size`` (all rows if neither is given). The percentile counts peers
    below the score plus half of those equal to it (the "mean" definition of
    :func:`scipy.stats.percentileofscore`).

    Examples
    --------
    >>> scored = pd.DataFrame({"sector": ["a", "a", "a", "a", "b"],
    ...                        "score": [1.0, 2.0, 3.0, 4.0, 9.0]})
    >>> peer_percentile(scored, 3.0, sector="a")    # 2 below, 1 equal: (2 + 0.5) / 4
    62.5
    >>> peer_percentile(scored, 3.0, sector="z")
    Traceback (most recent call last):
    ...
    value_chain.errors.InputError: 1 problem in <scored table>: ...
    """
    _require(scored, [value] + [c for c, v in (("sector", sector), ("size", size)) if v])
    mask = pd.Series(True, index=scored.index)
    for col, want in (("sector", sector), ("size", size)):
        if want is not None:
            mask &= scored[col] == want
    peers = pd.to_numeric(scored.loc[mask, value], errors="coerce").dropna().to_numpy(float)
    if len(peers) == 0:
        raise InputError([Problem(_SOURCE, f"sector={sector!r}, size={size!r}",
                                  f"no peers with a {value!r} in this group")])
    if enterprise_score is None or np.isnan(float(enterprise_score)):
        raise InputError([Problem(_SOURCE, "enterprise_score", "is missing")])
    below = np.count_nonzero(peers < enterprise_score)
    equal = np.count_nonzero(peers == enterprise_score)
    return float(100.0 * (below + 0.5 * equal) / len(peers))


# ---- files and the command line ---------------------------------------------------


def _read_parquet(path: Path, kind: str) -> pd.DataFrame:
    """A Parquet file or folder as a frame whose records count from 1 and that names its file."""
    try:
        import pyarrow.parquet as pq
    except ImportError:
        raise InputError([Problem(str(path), "", "reading Parquet needs pyarrow: pip install "
                                  "'manufacturing-maturity[scale]'")]) from None
    try:
        frame = pq.read_table(path).to_pandas()
    except (OSError, ValueError) as exc:
        reason = preview(str(exc), 160).strip("'")
        raise InputError([Problem(str(path), "", f"cannot read the Parquet {kind}: {reason}")]) \
            from None
    frame.index = pd.RangeIndex(1, len(frame) + 1)  # records counted from 1
    frame.attrs["source"] = str(path)  # so that problems name the file
    return frame


def read_responses(path: str | Path) -> pd.DataFrame:
    """Read a responses table: ``.csv``, ``.csv.gz``, ``.parquet`` or a folder of Parquet files
    (one row per respondent).

    Parquet needs pyarrow (the optional extra ``[scale]``); for files larger
    than memory use :func:`maturity.scale.score_parquet`, which streams.

    Examples
    --------
    >>> read_responses("no/such/file.csv")
    Traceback (most recent call last):
    ...
    value_chain.errors.InputError: 1 problem in no/such/file.csv:
      - file not found
    """
    path = Path(path)
    if path.is_dir():  # a folder of Parquet files (a partitioned dataset)
        return _read_parquet(path, "folder")
    if not path.is_file():
        raise InputError([Problem(str(path), "", "file not found")])
    name = path.name.lower()
    if name.endswith((".parquet", ".pq")):
        return _read_parquet(path, "file")
    if not name.endswith((".csv", ".csv.gz")):
        raise InputError([Problem(str(path), "", "expected a .csv, .csv.gz or .parquet file")])
    check_file(path)  # the size limit
    frame = None
    for encoding in csv_encodings(path):  # UTF-8 (BOM or not), UTF-16 with BOM, GB18030
        try:
            frame = pd.read_csv(path, encoding=encoding, nrows=LIMITS.rows + 1)
            break
        except UnicodeDecodeError:
            continue
        except (pd.errors.ParserError, EOFError, OSError) as exc:
            line = re.search(r"line (\d+)", str(exc))
            where = f"row {line.group(1)}" if line else ""
            reason = preview(str(exc), 160).strip("'")
            raise InputError([Problem(str(path), where, f"cannot read the table: {reason}")]) \
                from None
        except pd.errors.EmptyDataError:
            raise InputError([Problem(str(path), "", "the file is empty")]) from None
    if frame is None:
        raise InputError([Problem(str(path), "", "the text is neither UTF-8, UTF-16 with a BOM "
                                  "nor GB18030/GBK; save it as UTF-8")])
    if len(frame) > LIMITS.rows:
        raise InputError([Problem(str(path), f"row {LIMITS.rows + 2:,}",
                                  f"more than {LIMITS.rows:,} rows (the limit)")])
    frame.index = pd.RangeIndex(2, len(frame) + 2)  # rows as in the file: the header is row 1
    frame.attrs["source"] = str(path)  # so that problems name the file
    return frame


def compare_responses(
    responses: pd.DataFrame, by: str = "sector", *, model: str = "cmmm", seed: int = 0
) -> dict[str, pd.DataFrame]:
    """Score a responses table and compare its groups: ``scored``, ``distribution``, ``tests``.

    Examples
    --------
    >>> from maturity.datasets import generate_population
    >>> out = compare_responses(generate_population(300, seed=2), by="size")
    >>> sorted(out)
    ['distribution', 'scored', 'tests']
    """
    _require(responses, [by])
    reference = load_model(model)
    items = {it.id for it in reference.items}
    if not items.intersection(responses.columns):
        raise InputError([Problem(_SOURCE, "columns",
                                  f"no column is an item of model {model!r}; "
                                  "is it the right model (--model)?")])
    try:
        scored = score_frame(reference, responses)
    except InputError as exc:  # name the file the table came from, not <responses>
        source = responses.attrs.get("source")
        if not source:
            raise
        raise InputError([Problem(source, p.location, p.message) if p.source == "<responses>"
                          else p for p in exc.problems]) from None
    return {
        "scored": scored,
        "distribution": level_distribution(scored, by=by),
        "tests": group_tests(scored, by=by, seed=seed),
    }


def format_comparison(result: dict[str, pd.DataFrame], by: str) -> str:
    """Plain-text report of :func:`compare_responses`: level shares (%) and tests."""
    dist = result["distribution"].pivot_table(
        index=by, columns="level", values="share", observed=True, dropna=False
    )
    tests = result["tests"].drop(columns=["by", "value"])
    with pd.option_context("display.width", 160, "display.max_columns", 20,
                           "display.max_rows", 400):
        return "\n".join([
            f"Level shares (%) by {by}, n = {len(result['scored'])}:",
            (100 * dist).round(1).to_string(),
            "",
            "Means with 95 % CI, Kruskal-Wallis and pairwise Mann-Whitney (Holm):",
            tests.round(4).to_string(index=False),
        ])


def comparison_to_dict(result: dict[str, pd.DataFrame], by: str) -> dict:
    """JSON-ready form of :func:`compare_responses` (without the scored rows)."""
    def records(frame: pd.DataFrame) -> list[dict]:
        clean = frame.astype(object).where(frame.notna(), None)
        return [{k: (v.item() if hasattr(v, "item") else v) for k, v in row.items()}
                for row in clean.to_dict(orient="records")]

    return {"by": by, "n": len(result["scored"]),
            "distribution": records(result["distribution"]),
            "tests": records(result["tests"])}
