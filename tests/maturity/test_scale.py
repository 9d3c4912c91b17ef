"""Parquet streaming and Dask scoring (the optional extra ``[scale]``).

The results of every scaled path are compared with plain :func:`score_frame`
on the same rows, an independent route through pandas.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from maturity import latent_population as lp
from maturity import level_counts as lc
from maturity import load_model, score_frame
from value_chain.errors import InputError

pytest.importorskip("pyarrow")
scale = pytest.importorskip("maturity.scale")


def _by_name(counts: pd.DataFrame) -> pd.DataFrame:
    """Counts with plain string group names in sorted order (Parquet and Dask keep other dtypes)."""
    out = counts.astype("int64").set_axis(counts.index.astype(str).rename("group"))
    return out.sort_index()


@pytest.fixture(scope="module")
def cmmm():
    return load_model("cmmm")


def test_parquet_stream_equals_scoring_in_memory(cmmm, tmp_path):
    path = scale.write_latent_population(tmp_path / "panel.parquet", 2_300, batch_size=1_000,
                                         seed=6)
    out = tmp_path / "scored.parquet"
    counts = scale.score_parquet(cmmm, path, by="size", batch_size=700, out=out)
    whole = score_frame(cmmm, lp.generate_latent_population(2_300, batch_size=1_000, seed=6))
    pd.testing.assert_frame_equal(_by_name(counts), _by_name(lc.level_counts(whole, by="size")))
    written = scale.read_table(out)
    assert len(written) == 2_300 and written["respondent"].is_unique
    np.testing.assert_allclose(written["score"], whole["score"])
    assert "org_strategy.L1.1" not in written.columns  # answers are not copied


def test_a_folder_of_parquet_files_is_one_panel(cmmm, tmp_path):
    folder = tmp_path / "panel"
    folder.mkdir()
    parts = list(lp.latent_population_batches(1_500, batch_size=500, seed=1))
    for k, part in enumerate(parts):
        part.to_parquet(folder / f"part{k}.parquet", index=False)
    counts = scale.score_parquet(cmmm, folder, batch_size=200)
    want = lc.level_counts(score_frame(cmmm, pd.concat(parts)).assign(all="all"), by="all")
    assert counts.to_numpy().tolist() == want.to_numpy().tolist()
    assert int(counts.to_numpy().sum()) == 1_500
    (tmp_path / "empty").mkdir()
    with pytest.raises(InputError, match=r"no \.parquet file"):
        scale.score_parquet(cmmm, tmp_path / "empty")
    table = scale.read_table(folder)  # the folder read as one table, like a file
    assert len(table) == 1_500 and table.index[0] == 1 and table.attrs["source"] == str(folder)


def test_parquet_errors_name_the_file(cmmm, tmp_path):
    with pytest.raises(InputError, match="file not found"):
        scale.read_table(tmp_path / "none.parquet")
    bad = tmp_path / "bad.parquet"
    pd.DataFrame({"size": ["s"], "org_strategy.L1.1": ["maybe"]}).to_parquet(bad)
    with pytest.raises(InputError, match="'maybe' is not on the scale"):
        scale.score_parquet(cmmm, bad)
    with pytest.raises(InputError, match="column 'region'"):
        scale.score_parquet(cmmm, bad, by="region")


def test_score_dask_on_a_frame_with_categories(cmmm):
    dd = pytest.importorskip("dask.dataframe")
    table = lp.generate_latent_population(900, seed=2)
    frame = dd.from_pandas(table, npartitions=3)
    got = scale.score_dask(cmmm, frame).compute()
    want = score_frame(cmmm, table)
    pd.testing.assert_series_equal(got["level"], want["level"])
    np.testing.assert_allclose(got["score"], want["score"])


@pytest.mark.slow
def test_local_cluster_two_workers(cmmm):
    pytest.importorskip("dask.dataframe")
    distributed = pytest.importorskip("distributed")
    n, batch = 200_000, 40_000
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None, memory_limit="2GiB") as cluster, \
            distributed.Client(cluster) as client:
        assert len(client.scheduler_info()["workers"]) == 2
        population = scale.latent_population_dask(n, batch_size=batch, seed=9)
        assert population.npartitions == 5
        scored = scale.score_dask(cmmm, population)
        counts = lc.level_counts(scored, by="sector")
    # the same rows in pandas, batch by batch
    total = None
    for part in lp.latent_population_batches(n, batch_size=batch, seed=9):
        c = lc.level_counts(score_frame(cmmm, part), by="sector")
        total = c if total is None else total.add(c, fill_value=0)
    pd.testing.assert_frame_equal(_by_name(counts), _by_name(total))
    kw = lc.kruskal_from_counts(counts).iloc[0]
    assert kw["n"] == n and kw["p_value"] < 1e-10  # sector effects are in the model
