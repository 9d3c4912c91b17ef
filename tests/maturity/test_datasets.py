"""Bundled datasets: metadata, loaders, and the published numbers they must reproduce."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from maturity import InputError, load_model, score_frame
from maturity.cli import main
from maturity.datasets import (
    check_dii_versions,
    dii_identities,
    dii_table,
    generate_population,
    honti_r2,
    impuls_groups,
    list_datasets,
    load_dataset,
    synthetic_vs_published,
)

NAMES = list(list_datasets()["name"])


def test_the_datasets_the_issue_asks_for_are_bundled():
    assert {"eurostat_dii_by_size", "eurostat_dii_manufacturing", "honti2020_rankings",
            "honti2020_indicators", "published_cmmm_level_shares",
            "published_impuls_stage_shares", "published_acatech_stages",
            "published_siri_sector_rankings", "synthetic_cmmm_population_2022"} <= set(NAMES)


@pytest.mark.parametrize("name", NAMES)
def test_every_dataset_loads_with_complete_metadata(name):
    df = load_dataset(name)
    meta = df.attrs["metadata"]
    for key in ("title", "source", "licence", "attribution", "retrieved"):
        assert meta[key], f"{name}: metadata {key} is empty"
    described = [c["name"] for c in meta["columns"]]
    assert described == list(df.columns), f"{name}: every column described, in order"
    assert all(c["description"] and c["unit"] for c in meta["columns"])
    assert len(df) == meta["rows"]
    if name.startswith("published_"):
        assert df["source"].notna().all() and (df["source"].str.len() > 10).all()
    if name.startswith("synthetic_"):
        assert meta["synthetic"] is True and df["synthetic"].all()


def test_unknown_dataset_lists_the_known_ones():
    with pytest.raises(InputError) as err:
        load_dataset("eurostat")
    assert "unknown dataset" in str(err.value) and "honti2020_rankings" in str(err.value)


def test_cli_lists_datasets(capsys):
    assert main(["datasets"]) == 0
    out = capsys.readouterr().out
    assert all(name in out for name in NAMES)


# ---- reproduce published numbers -------------------------------------------------

def test_honti_2020_r_squared_gdp_rank_vs_readiness_rank():
    assert honti_r2() == pytest.approx(0.4589, abs=0.001)


def test_eurostat_identities_hold_except_the_reported_rows():
    ids = dii_identities()
    # bands sum to 100 and "at least basic" = 100 - "very low", within 0.05 (rounding)
    assert len(ids) == 493
    failing = ids[~(ids["sum_ok"] & ids["basic_ok"])]
    assert sorted(map(tuple, failing[["geo", "year", "size_class"]].values.tolist())) == [
        ("EU27_2020", 2025, "250+"), ("HU", 2021, "250+"), ("HU", 2021, "50-249"),
        ("LT", 2025, "250+")]
    # the worked example of the facts sheet: EU27 SMEs 2021
    row = ids.query("geo == 'EU27_2020' and year == 2021 and size_class == '10-249'").iloc[0]
    assert row["band_sum"] == pytest.approx(99.99) and row["complement"] == pytest.approx(54.82)


def test_dii_versions_are_not_mixed_unless_asked():
    dii = load_dataset("eurostat_dii_by_size")
    assert set(dii.loc[dii["year"] % 2 == 1, "dii_version"]) == {3}
    assert set(dii.loc[dii["year"] % 2 == 0, "dii_version"]) == {4}
    with pytest.raises(InputError, match="mix DII versions"):
        check_dii_versions(dii)
    assert check_dii_versions(dii, allow_mixed_versions=True) == [3, 4]
    with pytest.raises(InputError):
        dii_table(years=[2023, 2024])
    # EU27 2021, at least basic: 10-49 employees 51.79, SMEs (10-249) 54.82 (facts sheet)
    table = dii_table(years=[2021, 2023, 2025])
    assert table.loc[2021, "10-49"] == pytest.approx(51.79)
    assert table.loc[2021, "10-249"] == pytest.approx(54.82)


def test_impuls_groups_follow_from_the_stage_shares():
    g = impuls_groups().query("dimension == 'overall'").set_index("group")["share_pct"]
    # newcomer = 38.9 + 37.6, learner = 17.9, leader = 4.6 + 1.0 + 0.0
    assert g.to_dict() == pytest.approx({"newcomer": 76.5, "learner": 17.9, "leader": 5.6})
    classes = {c.id: c.levels for c in load_model("impuls").rules.classes}
    assert classes == {"newcomer": [0, 1], "learner": [2], "leader": [3, 4, 5]}


@pytest.mark.parametrize("year", [2020, 2021, 2022])
def test_synthetic_population_matches_published_cmmm_shares_within_1pp(year):
    table = synthetic_vs_published(years=[year]) if _takes_years() else (
        synthetic_vs_published().query("year == @year"))
    assert len(table) == 4
    assert (table["difference_pp"].abs() <= 1.0).all()
    assert table["published_pct"].sum() == pytest.approx(100)


def _takes_years() -> bool:
    import inspect

    return "years" in inspect.signature(synthetic_vs_published).parameters


# ---- the synthetic population ------------------------------------------------------

def test_population_is_labelled_and_scorable():
    pop = generate_population(2000, seed=5)
    assert pop["synthetic"].all()
    assert {"respondent", "sector", "size", "industry_type", "year"} <= set(pop.columns)
    scored = score_frame(load_model("cmmm"), pop)
    assert scored["coverage"].eq(1.0).all()
    assert len(scored) == 2000


def test_sector_and_size_effects_point_the_way_the_reports_say():
    scored = score_frame(load_model("cmmm"), generate_population(20_000, seed=7))
    by_sector = scored.groupby("sector", observed=True)["score"].mean()
    ahead = by_sector[["computers_electronics", "automotive", "petroleum"]].min()
    behind = by_sector[["textiles", "metal_products"]].max()
    assert ahead > behind
    by_size = scored.groupby("size", observed=True)["score"].mean()
    assert by_size["large"] > by_size["medium"] > by_size["small"]


def test_generation_is_reproducible_and_the_shipped_sample_matches():
    a = generate_population(500, seed=3)
    b = generate_population(500, seed=3)
    pd.testing.assert_frame_equal(a, b)
    shipped = load_dataset("synthetic_cmmm_population_2022")
    again = generate_population(10_000, year=2022, seed=0)
    assert list(shipped.columns) == list(again.columns)
    for col in shipped.columns:
        assert (shipped[col].astype(str).to_numpy() == again[col].astype(str).to_numpy()).all(), col


def test_population_bad_arguments():
    with pytest.raises(InputError):
        generate_population(100, sectors=["shipbuilding"])
    with pytest.raises(InputError):
        generate_population(100, year=1999)


def test_figures_draw_in_both_languages_without_missing_glyphs():
    from matplotlib import pyplot as plt

    from maturity.compare_plots import (
        plot_dimension_heatmap,
        plot_level_shares,
        plot_peer_position,
        plot_score_by_group,
    )

    scored = score_frame(load_model("cmmm"), generate_population(1500, seed=2))
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a "Glyph missing" warning would fail here
        for lang in ("en", "zh"):
            for ax in (plot_level_shares(scored, by="sector", lang=lang),
                       plot_dimension_heatmap(scored, by="size", lang=lang),
                       plot_score_by_group(scored, by="size", lang=lang),
                       plot_peer_position(scored, 2.1, sector="textiles", lang=lang)):
                ax.figure.canvas.draw()
                assert ax.get_title() or ax.get_xlabel()
            plt.close("all")
    assert np.isfinite(scored["score"]).all()
