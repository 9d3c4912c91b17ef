"""Research tools: share intervals, tests from level counts, paired tests, reliability, regression.

Expected values are worked by hand or come from an independent implementation
(statsmodels, scipy on the expanded rows).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from maturity import level_counts as lc
from maturity import reliability, research
from maturity.intervals import share_ci
from value_chain.errors import InputError


@pytest.mark.parametrize(("count", "n"), [(0, 20), (8, 10), (1, 3), (57, 412), (999, 1000)])
def test_share_intervals_agree_with_statsmodels(count, n):
    from statsmodels.stats.proportion import proportion_confint

    for ours, theirs in (("wilson", "wilson"), ("clopper-pearson", "beta")):
        low, high = share_ci(count, n, method=ours)
        want = proportion_confint(count, n, alpha=0.05, method=theirs)
        assert (low, high) == pytest.approx(want, abs=1e-9)


def test_share_interval_by_hand():
    # Wilson, 8 of 10, z = 1.959964: centre (8 + z^2/2) / (10 + z^2) = 0.71676,
    # half-width z / (10 + z^2) * sqrt(8 * 2 / 10 + z^2 / 4) = 0.22651
    assert share_ci(8, 10) == pytest.approx((0.71676 - 0.22651, 0.71676 + 0.22651), abs=1e-4)
    with pytest.raises(InputError, match="0 <= count <= n"):
        share_ci(11, 10)


def _expand(counts: pd.DataFrame) -> dict:
    return {g: np.repeat(counts.columns.to_numpy(), row.to_numpy()) for g, row in
            counts.iterrows()}


@pytest.fixture
def counts():
    rng = np.random.default_rng(1)
    return pd.DataFrame(rng.integers(0, 40, size=(4, 6)), index=list("abcd"),
                        columns=range(6))


def test_kruskal_from_counts_equals_scipy_on_the_rows(counts):
    rows = _expand(counts)
    want = stats.kruskal(*rows.values())
    got = lc.kruskal_from_counts(counts).iloc[0]
    assert got["statistic"] == pytest.approx(want.statistic, rel=1e-12)
    assert got["p_value"] == pytest.approx(want.pvalue, rel=1e-9)
    assert got["n"] == counts.to_numpy().sum()


def test_pairwise_from_counts_equals_scipy_on_the_rows(counts):
    rows = _expand(counts)
    got = lc.pairwise_from_counts(counts)
    assert len(got) == 6
    for _, r in got.iterrows():
        want = stats.mannwhitneyu(rows[r["group_a"]], rows[r["group_b"]], method="asymptotic")
        assert r["statistic"] == pytest.approx(want.statistic)
        assert r["p_value"] == pytest.approx(want.pvalue, rel=1e-9)


def test_chi2_from_counts_by_hand():
    counts = pd.DataFrame({1: [10, 20], 2: [20, 10], 3: [0, 0]}, index=["a", "b"])
    got = lc.chi2_from_counts(counts).iloc[0]  # the empty level is dropped
    assert got["statistic"] == pytest.approx(60 * 300**2 / 30**4)
    assert got["dof"] == 1 and got["levels"] == 2
    assert got["cramers_v"] == pytest.approx(np.sqrt(60 * 300**2 / 30**4 / 60))


def test_level_counts_from_a_table():
    scored = pd.DataFrame({"g": ["a", "a", "b", "b", "b"], "level": [1, 2, 2, None, 0],
                           "w": [1.0, 2.0, 0.5, 9.0, 1.5]})
    scored["level"] = scored["level"].astype("Int64")
    assert lc.level_counts(scored, by="g").to_dict(orient="index") == {
        "a": {0: 0, 1: 1, 2: 1}, "b": {0: 1, 1: 0, 2: 1}}
    weighted = lc.level_counts(scored, by="g", weights="w")
    assert weighted.loc["b"].tolist() == [1.5, 0.0, 0.5]


def test_paired_tests_by_hand():
    # differences a - b: 4, 4, 4, -1. |d| ranks: 1 -> 1, the three 4s -> 3 each.
    # R+ = 9, R- = 1, W = 1; matched-pairs rank-biserial (9 - 1) / 10 = 0.8;
    # sign test: 3 of 4 positive, two-sided 2 * P(X >= 3 | B(4, 0.5)) = 2 * 5/16 = 0.625
    table = pd.DataFrame({"geo": ["p", "p", "q", "q", "r", "r", "s", "s", "t"],
                          "size": ["l", "s"] * 4 + ["l"],
                          "pct": [9, 5, 8, 4, 7, 3, 1, 2, 50]})
    r = research.paired_tests(table, subject="geo", condition="size", a="l", b="s",
                              value="pct").iloc[0]
    assert (r["n_pairs"], r["unpaired"], r["positive"], r["negative"]) == (4, 1, 3, 1)
    assert r["wilcoxon_statistic"] == 1.0
    assert r["rank_biserial"] == pytest.approx(0.8)
    assert r["sign_p"] == pytest.approx(0.625)
    assert r["median_difference"] == 4.0
    assert r["wilcoxon_p"] == pytest.approx(stats.wilcoxon([4, 4, 4, -1]).pvalue)


def test_paired_tests_refuse_duplicates():
    table = pd.DataFrame({"geo": ["p", "p", "p"], "size": ["l", "l", "s"], "pct": [1, 2, 3]})
    with pytest.raises(InputError, match="appears twice"):
        research.paired_tests(table, subject="geo", condition="size", a="l", b="s", value="pct")


def test_cronbach_alpha_by_hand():
    # items (1, 2, 3) and (1, 3, 2): variances 1 and 1, sum (2, 5, 5) variance 3
    assert reliability.cronbach_alpha(pd.DataFrame({"a": [1, 2, 3], "b": [1, 3, 2]})) == (
        pytest.approx(2 * (1 - 2 / 3)))


def test_omega_of_an_exact_one_factor_structure():
    lam = np.array([0.8, 0.7, 0.6, 0.5])
    r = np.outer(lam, lam)
    np.fill_diagonal(r, 1.0)
    # data whose sample correlation is exactly r: whitened noise times a Cholesky factor
    z = np.random.default_rng(0).standard_normal((500, 4))
    z = (z - z.mean(0)) @ np.linalg.inv(np.linalg.cholesky(np.cov(z, rowvar=False))).T
    x = z @ np.linalg.cholesky(r).T
    want = lam.sum() ** 2 / (lam.sum() ** 2 + (1 - lam**2).sum())  # 6.76 / 9.02
    assert reliability.mcdonald_omega(x) == pytest.approx(want, abs=1e-6)
    assert reliability.first_eigenvalue_share(x) == pytest.approx(
        np.linalg.eigvalsh(r)[-1] / 4, abs=1e-9)


def test_regression_by_hand():
    # one factor: the coefficient is the difference of the group means
    t = pd.DataFrame({"size": ["s"] * 4 + ["l"] * 4 + ["m"], "region": ["x"] * 9,
                      "score": [1.0, 1.2, 1.1, 1.0, 2.0, 2.4, 2.2, 2.2, 3.0],
                      "w": [1, 3, 1, 1, 1, 1, 1, 1, 1]})
    fit = research.score_regression(t, covariates=("size", "region"), reference={"size": "s"})
    assert fit.params["C(size, Treatment('s'))[T.l]"] == pytest.approx(2.2 - 1.075)
    assert fit.params["Intercept"] == pytest.approx(1.075)
    assert fit.model.dropped == ["region"]  # a single value: nothing to estimate
    weighted = research.score_regression(t, covariates=("size",), weights="w",
                                         reference={"size": "s"})
    assert weighted.params["Intercept"] == pytest.approx((1.0 + 3 * 1.2 + 1.1 + 1.0) / 6)
    assert "OLS Regression Results" in str(fit.summary())
