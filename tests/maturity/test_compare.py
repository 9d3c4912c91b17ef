"""Group comparisons, tests, peer percentiles, pictures and the compare CLI."""

from __future__ import annotations

import json
import warnings

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from maturity import compare, compare_plots, load_model, score_frame
from maturity.cli import main
from maturity.datasets import generate_population, load_dataset
from value_chain.errors import InputError


@pytest.fixture(scope="module")
def scored_population():
    return score_frame(load_model("cmmm"), load_dataset("synthetic_cmmm_population_2022"))


@pytest.fixture
def tiny():
    return pd.DataFrame({"sector": list("aaabbb"), "size": list("sslsll"),
                         "score": [1.0, 2.0, 3.0, 4.0, 5.0, 6.0], "level": [1, 2, 3, 4, 5, 5],
                         "x.score": [1.0, 1.0, 2.0, 3.0, 3.0, 3.0]})


def test_holm_by_hand():
    # sorted 0.01, 0.03, 0.04 -> 3*0.01, 2*0.03, max(1*0.04, 0.06)
    assert compare.holm([0.01, 0.04, 0.03]).tolist() == pytest.approx([0.03, 0.06, 0.06])
    assert compare.holm([0.5, 0.9]).tolist() == pytest.approx([1.0, 1.0])


def test_kruskal_and_epsilon_squared_by_hand(tiny):
    # ranks 1-3 vs 4-6: H = 12/(6*7) * (6^2/3 + 15^2/3) - 3*7 = 3.857; eps2 = H / (n - 1)
    kw = compare.kruskal_test(tiny, by="sector").iloc[0]
    assert kw["statistic"] == pytest.approx(27 / 7)
    assert kw["epsilon_squared"] == pytest.approx(27 / 7 / 5)


def test_pairwise_rank_biserial(tiny):
    pairs = compare.pairwise_tests(tiny, by="sector").iloc[0]
    assert pairs["statistic"] == 0 and pairs["rank_biserial"] == -1.0
    assert pairs["p_holm"] == pytest.approx(pairs["p_value"])  # one pair: no adjustment


def test_group_means_bootstrap_is_seeded(tiny):
    a = compare.group_means(tiny, by="sector", seed=3)
    b = compare.group_means(tiny, by="sector", seed=3)
    pd.testing.assert_frame_equal(a, b)
    assert a["mean"].tolist() == [2.0, 5.0]
    assert (a["ci_low"] <= a["mean"]).all() and (a["mean"] <= a["ci_high"]).all()


def test_peer_percentile_by_hand(tiny):
    assert compare.peer_percentile(tiny, 2.0, sector="a") == pytest.approx(50.0)  # 1 below, 1 tie
    assert compare.peer_percentile(tiny, 10.0) == 100.0
    assert compare.peer_percentile(tiny, 5.0, sector="b", size="l") == pytest.approx(25.0)
    with pytest.raises(InputError, match="no peers"):
        compare.peer_percentile(tiny, 2.0, sector="c")


def test_level_distribution_shares(tiny):
    dist = compare.level_distribution(tiny, by="sector")
    assert dist.groupby("sector")["share"].sum().tolist() == [1.0, 1.0]
    b5 = dist.query("sector == 'b' and level == 5")
    assert b5["count"].item() == 2 and b5["share"].item() == pytest.approx(2 / 3)


def test_dimension_profiles(tiny):
    prof = compare.dimension_profiles(tiny, by="sector")
    assert prof[["sector", "dimension", "mean", "n"]].values.tolist() == [
        ["a", "x", 4 / 3, 3], ["b", "x", 3.0, 3]]


def test_missing_group_values_are_refused(tiny):
    tiny.loc[0, "sector"] = None
    with pytest.raises(InputError, match="1 rows have no value"):
        compare.level_distribution(tiny, by="sector")
    with pytest.raises(InputError, match="column 'region'"):
        compare.group_tests(tiny, by="region")


def test_group_tests_on_the_population(scored_population):
    tests = compare.group_tests(scored_population, by="size", n_resamples=500)
    kw = tests[tests["test"] == "kruskal"].iloc[0]
    assert kw["p_value"] < 1e-10 and 0 < kw["effect"] < 1
    pair = tests.query("test == 'mannwhitney' and group_a == 'small' and group_b == 'large'")
    assert pair["effect"].item() < -0.3  # small firms score lower


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_pictures_draw_without_missing_glyphs(scored_population, lang):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fig, axes = plt.subplots(2, 2, figsize=(14, 10))
        compare_plots.plot_level_shares(scored_population, by="sector", lang=lang, ax=axes[0, 0])
        compare_plots.plot_dimension_heatmap(scored_population, by="size", lang=lang,
                                             ax=axes[0, 1])
        compare_plots.plot_score_by_group(scored_population, by="size", lang=lang, ax=axes[1, 0])
        ax = compare_plots.plot_peer_position(scored_population, 2.3, sector="textiles",
                                              size="small", lang=lang, ax=axes[1, 1])
        fig.canvas.draw()
        assert "94" in ax.get_title()
        plt.close(fig)


def test_cli_compare(tmp_path, capsys):
    path = tmp_path / "responses.csv"
    generate_population(400, seed=5).to_csv(path, index=False)
    assert main(["compare", str(path), "--by", "size", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["n"] == 400 and {r["test"] for r in out["tests"]} == {
        "mean", "kruskal", "mannwhitney"}
    assert main(["compare", str(path), "--by", "size"]) == 0
    assert "Level shares (%) by size" in capsys.readouterr().out


def test_cli_compare_bad_inputs(tmp_path, capsys):
    assert main(["compare", str(tmp_path / "none.csv")]) == 2
    assert "file not found" in capsys.readouterr().err
    bad = tmp_path / "bad.csv"
    pd.DataFrame({"sector": ["a"], "org_strategy.L1.1": ["maybe"]}).to_csv(bad, index=False)
    assert main(["compare", str(bad)]) == 2
    assert "'maybe' is not on the scale" in capsys.readouterr().err
    assert main(["compare", str(bad), "--by", "region"]) == 2
    assert "column 'region'" in capsys.readouterr().err


def test_cli_datasets(capsys):
    assert main(["datasets", "--json"]) == 0
    names = {d["name"] for d in json.loads(capsys.readouterr().out)}
    assert "honti2020_rankings" in names


def test_large_groups_use_the_normal_interval(monkeypatch):
    monkeypatch.setattr(compare, "BOOTSTRAP_MAX_N", 10)
    frame = pd.DataFrame({"g": ["a"] * 20 + ["b"] * 5, "score": np.arange(25, dtype=float)})
    means = compare.group_means(frame, by="g")
    assert means["ci_method"].tolist() == ["normal", "bootstrap"]


def test_holm_keeps_tiny_p_values_like_statsmodels():
    from statsmodels.stats.multitest import multipletests

    p = [4.07e-39, 3.2e-17, 0.02, 0.04, 0.5]
    want = multipletests(p, method="holm")[1]
    got = compare.holm(p)
    np.testing.assert_allclose(got, want, rtol=1e-12, atol=0)
    assert got[0] == pytest.approx(5 * 4.07e-39, rel=1e-12) and got[0] >= p[0]
    assert got[1] == pytest.approx(4 * 3.2e-17, rel=1e-12)


def test_weighted_level_shares_and_means_by_hand():
    scored = pd.DataFrame({"g": ["a", "a", "a", "b"], "level": [1, 1, 2, 2],
                           "score": [1.0, 1.5, 2.5, 2.0], "w": [1.0, 1.0, 2.0, 4.0]})
    dist = compare.level_distribution(scored, by="g", weights="w", ci="wilson")
    a = dist[dist["g"] == "a"]
    assert a["count"].tolist() == [2, 1] and a["weighted_count"].tolist() == [2.0, 2.0]
    assert a["share"].tolist() == [0.5, 0.5]
    # Kish effective n of group a: (1 + 1 + 2)^2 / (1 + 1 + 4) = 8/3; Wilson at p = 0.5,
    # z = 1.959964: centre 0.5, half-width z / (1 + z^2/n) * sqrt(0.25/n + z^2/(4 n^2))
    z, n = 1.959964, 8 / 3
    half = z / (1 + z * z / n) * np.sqrt(0.25 / n + z * z / (4 * n * n))
    assert (a["ci_low"].iloc[0], a["ci_high"].iloc[0]) == pytest.approx(
        (0.5 - half, 0.5 + half), abs=1e-6)
    means = compare.group_means(scored, by="g", weights="w")
    assert means["mean"].tolist() == pytest.approx([(1.0 + 1.5 + 5.0) / 4, 2.0])
    assert means["ci_method"].tolist() == ["weighted normal", "weighted normal"]


def test_cli_compare_reads_parquet(tmp_path, capsys):
    pytest.importorskip("pyarrow")
    path = tmp_path / "responses.parquet"
    generate_population(300, seed=5).to_parquet(path, index=False)
    assert main(["compare", str(path), "--by", "size", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["n"] == 300
    scored = tmp_path / "scored.parquet"
    assert main(["compare", str(path), "--by", "size", "--scored", str(scored)]) == 0
    back = pd.read_parquet(scored)
    want = score_frame(load_model("cmmm"), generate_population(300, seed=5))
    assert len(back) == 300 and back["level"].tolist() == want["level"].tolist()
