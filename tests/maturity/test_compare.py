"""Comparisons between groups: hand-worked statistics, the CLI, and bad input."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from maturity import InputError
from maturity.cli import main
from maturity.compare import (
    epsilon_squared,
    group_tests,
    holm,
    kruskal_test,
    level_distribution,
    pairwise_tests,
    peer_percentile,
)
from maturity.datasets import generate_population


def test_holm_by_hand():
    # sorted p: 0.01 (x3 = 0.03), 0.03 (x2 = 0.06), 0.04 (x1 = 0.04 -> monotone 0.06)
    assert holm([0.04, 0.01, 0.03]).tolist() == pytest.approx([0.06, 0.03, 0.06])
    assert holm([0.5, 0.9]).tolist() == pytest.approx([1.0, 1.0])  # capped at 1


def test_kruskal_and_effect_size_by_hand():
    scored = pd.DataFrame({"g": list("aaabbb"), "score": [1, 2, 3, 4, 5, 6]})
    # ranks a: 1+2+3 = 6, b: 15; H = 12/(6*7) * (36/3 + 225/3) - 3*7 = 3.857
    row = kruskal_test(scored, by="g").iloc[0]
    assert row["statistic"] == pytest.approx(27 / 7)
    assert row["epsilon_squared"] == pytest.approx(epsilon_squared(27 / 7, 6))
    assert row["epsilon_squared"] == pytest.approx((27 / 7) / ((36 - 1) / (6 + 1)))
    assert row["p_value"] == pytest.approx(stats.kruskal([1, 2, 3], [4, 5, 6]).pvalue)


def test_pairwise_mann_whitney_with_holm():
    scored = pd.DataFrame({"g": list("aaabbbccc"), "score": [1, 2, 3, 4, 5, 6, 1, 2, 4]})
    pw = pairwise_tests(scored, by="g").set_index(["group_a", "group_b"])
    raw = [stats.mannwhitneyu(a, b).pvalue for a, b in
           [([1, 2, 3], [4, 5, 6]), ([1, 2, 3], [1, 2, 4]), ([4, 5, 6], [1, 2, 4])]]
    adjusted = holm(raw)
    p_col = next(c for c in pw.columns if "holm" in c)
    assert pw[p_col].tolist() == pytest.approx(adjusted.tolist())
    assert pw.loc[("a", "b"), "rank_biserial"] == -1.0  # every a below every b


def test_level_distribution_shares_sum_to_one_per_group():
    scored = pd.DataFrame({"size": list("sssll"), "level": [0, 1, 1, 2, 2]})
    dist = level_distribution(scored, by="size")
    assert dist.groupby("size")["share"].sum().tolist() == pytest.approx([1.0, 1.0])
    s = dist[dist["size"] == "s"].set_index("level")["share"]
    assert s[1] == pytest.approx(2 / 3)


def test_peer_percentile_by_hand():
    scored = pd.DataFrame({"sector": ["a"] * 4 + ["b"], "size": ["s", "s", "l", "l", "s"],
                           "score": [1.0, 2.0, 3.0, 4.0, 9.0]})
    assert peer_percentile(scored, 3.0, sector="a") == 62.5  # (2 below + 0.5 x 1 equal) / 4
    assert peer_percentile(scored, 10.0) == 100.0
    assert peer_percentile(scored, 3.0, sector="a", size="l") == 25.0  # (0 + 0.5) / 2
    with pytest.raises(InputError):
        peer_percentile(scored, 3.0, sector="z")


def test_group_tests_has_means_with_bootstrap_intervals():
    scored = pd.DataFrame({"g": list("aaaabbbb"), "score": [1, 2, 3, 4, 2, 2, 2, 2]})
    res = group_tests(scored, by="g", n_resamples=500, seed=1)
    means = res[res["test"] == "mean"].set_index("group_a")
    assert means.loc["a", "mean"] == 2.5 and means.loc["b", "mean"] == 2.0
    assert means.loc["a", "ci_low"] <= 2.5 <= means.loc["a", "ci_high"]


def test_missing_group_column_is_a_clear_error():
    with pytest.raises(InputError, match="region"):
        level_distribution(pd.DataFrame({"level": [1, 2]}), by="region")


def test_cli_compare_json(tmp_path, capsys):
    path = tmp_path / "responses.csv"
    generate_population(600, seed=4).to_csv(path, index=False)
    assert main(["compare", str(path), "--by", "size", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["by"] == "size" and out["n"] == 600
    shares = pd.DataFrame(out["distribution"]).groupby("size")["share"].sum()
    assert np.allclose(shares, 1.0)
    assert {"kruskal", "mannwhitney"} <= {t["test"] for t in out["tests"]}


def test_cli_compare_bad_value_names_row_and_item(tmp_path, capsys):
    table = generate_population(20, seed=1).astype(object)
    table.loc[5, "integration.L2.1"] = "excellent"
    path = tmp_path / "bad.csv"
    table.to_csv(path, index=False)
    assert main(["compare", str(path), "--by", "size"]) == 2
    err = capsys.readouterr().err
    assert "integration.L2.1" in err and "'excellent' is not on the scale" in err
