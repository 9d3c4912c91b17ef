"""Bundled datasets, their metadata, published-figure reproductions and the synthetic population."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from maturity import datasets as ds
from maturity import load_model, score_frame
from value_chain.errors import InputError

SHARED = Path(__file__).resolve().parents[3] / "shared" / "data"


@pytest.mark.parametrize("name", ds.list_datasets()["name"].tolist())
def test_every_dataset_loads_with_complete_metadata(name):
    frame = ds.load_dataset(name)
    meta = frame.attrs["metadata"]
    assert len(frame) == meta["rows"] > 0
    assert [c["name"] for c in meta["columns"]] == list(frame.columns)
    for c in meta["columns"]:
        assert c["unit"].strip() and c["description"].strip()
    for key in ("title", "source", "licence", "attribution", "retrieved"):
        assert meta[key].strip()
    if "source" in frame.columns:  # published figures: a source on every row
        assert frame["source"].notna().all() and (frame["source"].str.len() > 0).all()


def test_list_datasets_and_unknown_name():
    table = ds.list_datasets()
    assert {"eurostat_dii_by_size", "honti2020_rankings", "synthetic_cmmm_population_2022"} <= set(
        table["name"]
    )
    with pytest.raises(InputError, match="unknown dataset; known: eurostat_dii_by_size"):
        ds.load_dataset("eurostat")


def test_attributions_are_kept():
    assert ds.load_dataset("eurostat_dii_by_size").attrs["metadata"]["attribution"] == (
        "Source: Eurostat, isoc_e_dii"
    )
    assert ds.load_dataset("eurostat_dii_manufacturing").attrs["metadata"]["attribution"] == (
        "Source: Eurostat, isoc_e_diin2"
    )
    meta = ds.load_dataset("honti2020_rankings").attrs["metadata"]
    assert meta["licence"] == "CC BY 4.0" and "10.1016/j.dib.2020.106464" in meta["citation"]
    licence = Path(ds.__file__).resolve().parents[1] / "datasets" / meta["licence_file"]
    assert "creativecommons.org/licenses/by/4.0" in licence.read_text(encoding="utf-8")


def test_honti_r2_reproduces_the_article():
    assert ds.honti_r2() == pytest.approx(0.4589, abs=0.001)
    assert ds.honti_r2(x="rii") == pytest.approx(0.7470, abs=0.0005)  # article: 0.7502


def test_honti_indicators_keep_every_observed_cell():
    long = ds.load_dataset("honti2020_indicators")
    assert long["indicator"].nunique() == 101
    assert long.groupby(["region", "year"]).ngroups <= 4454
    assert not long["value"].isna().any()


def test_eurostat_identities_and_the_failing_rows():
    ids = ds.dii_identities()
    assert len(ids) == 493
    bad = ids[~(ids["sum_ok"] & ids["basic_ok"])]
    assert bad[["geo", "year", "size_class"]].values.tolist() == [
        ["EU27_2020", 2025, "250+"], ["HU", 2021, "250+"], ["HU", 2021, "50-249"],
        ["LT", 2025, "250+"],
    ]
    eu = ids.query("geo == 'EU27_2020' and year == 2021 and size_class == '10-249'").iloc[0]
    assert eu["band_sum"] == pytest.approx(99.99) and eu["complement"] == pytest.approx(54.82)


def test_dii_versions_are_never_mixed():
    dii = ds.load_dataset("eurostat_dii_by_size")
    assert set(dii.loc[dii["year"] % 2 == 1, "dii_version"]) == {3}
    assert set(dii.loc[dii["year"] % 2 == 0, "dii_version"]) == {4}
    with pytest.raises(InputError, match="not comparable"):
        ds.dii_table(years=[2021, 2022])
    with pytest.raises(InputError, match=r"v3: \[2021, 2023, 2025\]; v4: \[2022, 2024\]"):
        ds.check_dii_versions(dii)
    mixed = ds.dii_table(years=[2021, 2022], allow_mixed_versions=True)
    assert mixed.loc[2022, "10-49"] == pytest.approx(65.79)
    assert ds.dii_table(band="very_low", years=2023).loc[2023, "10-249"] == pytest.approx(42.10)
    with pytest.raises(InputError, match="mix DII versions"):
        ds.dii_sector_table(year=[2023, 2024])
    sector = ds.dii_sector_table(year=2024)
    assert sector.loc["SE", "C20"] == pytest.approx(81.42)
    assert np.isnan(sector.loc["AT", "C20"])  # not published: left empty


def test_impuls_groups_follow_from_the_stage_shares():
    g = ds.impuls_groups()
    overall = g[g["dimension"] == "overall"].set_index("group")["share_pct"]
    assert overall.to_dict() == {"newcomer": 76.5, "learner": 17.9, "leader": 5.6}


@pytest.mark.skipif(not SHARED.is_dir(), reason="needs the shared raw data")
def test_shipped_eurostat_table_equals_the_raw_download():
    raw = pd.read_csv(SHARED / "eurostat_isoc_e_dii_by_size_country.csv", keep_default_na=False,
                      dtype=str)
    raw["time_period"] = raw["time_period"].astype(int)
    tidy = ds._tidy_dii_by_size(raw)
    shipped = ds.load_dataset("eurostat_dii_by_size")
    assert len(tidy) == len(shipped) == 2860
    np.testing.assert_allclose(tidy["percent"], shipped["percent"], equal_nan=True)


def test_published_shares_sum_to_100():
    cmmm = ds.load_dataset("published_cmmm_level_shares").query("scope == 'national'")
    assert cmmm.groupby("report_year")["share_pct"].sum().tolist() == [100.0, 100.0, 100.0]
    acatech = ds.load_dataset("published_acatech_stages")
    assert acatech["share_pct"].sum() == 100 and set(acatech["n"]) == {70}


# ---- synthetic population -------------------------------------------------------------


def test_population_matches_published_shares_within_1pp():
    table = ds.synthetic_vs_published(10_000)
    assert len(table) == 12
    assert table["difference_pp"].abs().max() <= 1.0
    assert set(table["year"]) == {2020, 2021, 2022}


def test_population_effects_point_the_published_way():
    scored = score_frame(load_model("cmmm"), ds.load_dataset("synthetic_cmmm_population_2022"))
    by_sector = scored.groupby("sector", observed=True)["score"].mean()
    for ahead in ("computers_electronics", "automotive", "petroleum"):
        for behind in ("textiles", "metal_products"):
            assert by_sector[ahead] > by_sector[behind] + 0.5
    by_size = scored.groupby("size", observed=True)["score"].mean()
    assert by_size["small"] < by_size["medium"] < by_size["large"]


def test_population_is_labelled_and_scoreable():
    table = ds.generate_population(500, seed=4, sectors=["textiles", "automotive"],
                                   sizes=["large"], year=2021)
    assert table["synthetic"].all() and (table["year"] == 2021).all()
    assert set(table["sector"]) <= {"textiles", "automotive"}
    assert isinstance(table["org_strategy.L1.1"].dtype, pd.CategoricalDtype)
    scored = score_frame(load_model("cmmm"), table)
    assert scored["level"].notna().all()


def test_shipped_sample_regenerates_identically():
    shipped = ds.load_dataset("synthetic_cmmm_population_2022")
    assert shipped.attrs["metadata"]["synthetic"] is True
    pd.testing.assert_frame_equal(shipped, ds.generate_population(10_000, year=2022, seed=0))


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"year": 2019}, "no published shares for 2019; calibrated years: 2020, 2021, 2022"),
        ({"sectors": ["toys"]}, "unknown sector"),
        ({"sizes": []}, "unknown size"),
        ({"model": "siri"}, "only 'cmmm' populations are calibrated"),
    ],
)
def test_bad_population_requests(kwargs, message):
    with pytest.raises(InputError, match=message):
        ds.generate_population(10, **kwargs)


def test_level_groups():
    assert ds.level_groups(pd.Series([0, 1, 2, 3, 4, 5])).tolist() == [
        "<=1", "<=1", "2", "3", ">=4", ">=4"]


def test_metadata_validation_names_the_problem(monkeypatch):
    with pytest.raises(Exception, match="unit"):
        ds.ColumnMeta.model_validate({"name": "x", "dtype": "str", "description": "d"})
