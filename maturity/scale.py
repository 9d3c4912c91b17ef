"""Scoring at national-panel scale: Parquet files streamed in batches, and Dask DataFrames.

Needs the optional extra ``pip install manufacturing-maturity[scale]``
(pyarrow, dask, distributed); nothing here is imported by ``import maturity``.

* :func:`read_table` / :func:`write_table` - CSV or Parquet by file name;
* :func:`score_parquet` - score Parquet files of any size batch by batch
  (pyarrow record batches), in memory bounded by ``batch_size``, optionally
  writing the scored rows to a Parquet file, and return the
  groups x levels counts that :mod:`maturity.level_counts` compares;
* :func:`write_latent_population` - stream the latent-maturity synthetic
  population into a Parquet file;
* :func:`score_dask` - :func:`maturity.score_frame` on every partition of a
  Dask DataFrame, with the ``meta`` Dask needs computed from the model (Dask
  cannot infer it: its placeholder rows hold no valid answers);
* :func:`latent_population_dask` - the latent population as a Dask
  DataFrame, one batch per partition, drawn on the workers.

The same rules score every row: results equal :func:`maturity.score_frame`
on the whole table.

Examples
--------
>>> import tempfile, pathlib
>>> from maturity import load_model
>>> folder = tempfile.TemporaryDirectory()
>>> path = write_latent_population(pathlib.Path(folder.name) / "panel.parquet", 2_500,
...                                batch_size=1_000)
>>> counts = score_parquet(load_model("cmmm"), path, by="size", batch_size=1_000)
>>> int(counts.to_numpy().sum())
2500
>>> folder.cleanup()
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial
from pathlib import Path
from typing import Any

import pandas as pd

from maturity.compare import read_responses
from maturity.latent_population import latent_population_batch, latent_population_batches
from maturity.reference_model import ReferenceModel
from maturity.scoring import score_frame
from value_chain.errors import InputError, Problem
from value_chain.safe_io import atomic_write, neutralise_frame

__all__ = [
    "latent_population_dask",
    "read_table",
    "score_dask",
    "score_parquet",
    "scored_meta",
    "write_latent_population",
    "write_table",
]

_HINT = "install the optional extra: pip install 'manufacturing-maturity[scale]'"


def _need(module: str):
    try:
        return __import__(module, fromlist=["_"])
    except ImportError:
        raise InputError([Problem(f"<{module}>", "", f"{module} is not installed; {_HINT}")]) \
            from None


def read_table(path: str | Path) -> pd.DataFrame:
    """Read a table from ``.csv``, ``.csv.gz`` or ``.parquet`` (a file or a folder of them).

    Examples
    --------
    >>> read_table("no/such/file.parquet")
    Traceback (most recent call last):
    ...
    value_chain.errors.InputError: 1 problem in no/such/file.parquet:
      - file not found
    """
    return read_responses(path)


def write_table(frame: pd.DataFrame, path: str | Path) -> Path:
    """Write ``frame`` as Parquet (``.parquet``) or CSV (``.csv``, ``.csv.gz``); returns the path.

    Examples
    --------
    >>> write_table(pd.DataFrame({"a": [1]}), "out.xlsx")
    Traceback (most recent call last):
    ...
    value_chain.errors.InputError: 1 problem in out.xlsx:
      - expected a .parquet, .csv or .csv.gz file name
    """
    path = Path(path)
    name = path.name.lower()
    if name.endswith((".parquet", ".pq")):
        _need("pyarrow")
        atomic_write(path, lambda tmp: frame.to_parquet(tmp, index=False))
    elif name.endswith((".csv", ".csv.gz")):
        safe = neutralise_frame(frame)  # text that a spreadsheet would run gets a leading '
        atomic_write(path, lambda tmp: safe.to_csv(tmp, index=False))
    else:
        raise InputError([Problem(str(path), "", "expected a .parquet, .csv or .csv.gz file name")])
    return path


def _add_counts(total: pd.Series | None, scored: pd.DataFrame, by: Sequence[str]) -> pd.Series:
    if by:
        keys = [scored[c].astype(object) for c in by]
    else:
        keys = [pd.Series("all", index=scored.index, name="all")]
    part = scored["level"].groupby(keys, observed=True).value_counts().rename("count")
    if total is None:
        return part
    return total.add(part, fill_value=0)


def _parquet_files(source: str | Path | Sequence[str | Path]) -> list[Path]:
    if isinstance(source, str | Path):
        path = Path(source)
        if path.is_dir():
            files = sorted(p for p in path.iterdir() if p.suffix.lower() in (".parquet", ".pq"))
            if not files:
                raise InputError([Problem(str(path), "", "no .parquet file in this folder")])
            return files
        paths = [path]
    else:
        paths = [Path(p) for p in source]
    missing = [p for p in paths if not p.is_file()]
    if missing:
        raise InputError([Problem(str(p), "", "file not found") for p in missing])
    return paths


def score_parquet(
    model: ReferenceModel,
    source: str | Path | Sequence[str | Path],
    *,
    out: str | Path | None = None,
    by: str | Sequence[str] | None = None,
    batch_size: int = 100_000,
    columns: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Score Parquet file(s) batch by batch; return groups x levels counts, optionally write rows.

    ``source`` is a Parquet file, a folder of them, or a list of files.
    Files are read one row group at a time, so memory holds one batch of
    ``batch_size`` rows (and its scored copy) and one decoded row group,
    whatever the total (:func:`write_latent_population` writes row groups
    of one batch). With ``out`` the scored rows (without the
    answers) are appended to one Parquet file. The result is the table of
    :func:`maturity.level_counts.level_counts` (rows: groups of ``by``, or
    one row ``all``; columns: levels; rows without a level are left out),
    ready for :func:`~maturity.level_counts.kruskal_from_counts` and
    :func:`~maturity.level_counts.chi2_from_counts`.
    """
    pa = _need("pyarrow")
    pq = _need("pyarrow.parquet")
    by = [] if by is None else ([by] if isinstance(by, str) else list(by))
    files = _parquet_files(source)
    try:
        opened = [pq.ParquetFile(str(f)) for f in files]
    except (OSError, ValueError) as exc:
        raise InputError([Problem(str(source), "", f"cannot open as Parquet: {exc}")]) from None
    for f, handle in zip(files, opened, strict=True):
        missing = [c for c in by if c not in handle.schema_arrow.names]
        if missing:
            raise InputError([Problem(str(f), f"column {c!r}", "is missing") for c in missing])
    writer = None
    total = None
    offset = 0
    try:
        # one row group at a time (a dataset scan would decode a whole file): memory is
        # bounded by the batch and the row-group size, whatever the number of rows
        batches = (b for handle in opened
                   for b in handle.iter_batches(batch_size=batch_size, columns=columns))
        for batch in batches:
            frame = batch.to_pandas()
            frame.index = pd.RangeIndex(offset, offset + len(frame))  # rows named as in the file
            offset += len(frame)
            scored = score_frame(model, frame)
            total = _add_counts(total, scored, by)
            if out is not None:
                table = pa.Table.from_pandas(scored, preserve_index=False)
                if writer is None:
                    writer = pq.ParquetWriter(str(out), table.schema)
                writer.write_table(table.cast(writer.schema))
    finally:
        if writer is not None:
            writer.close()
    if total is None:
        return pd.DataFrame()
    wide = total.astype("int64").unstack("level", fill_value=0).sort_index()
    wide.columns = wide.columns.astype(int)
    wide.columns.name = "level"
    return wide


def write_latent_population(
    path: str | Path, n: int, *, batch_size: int = 100_000, year: int = 2022, seed: int = 0,
) -> Path:
    """Stream :func:`~maturity.latent_population.latent_population_batches` into one Parquet file.

    Memory holds one batch; the rows equal ``generate_latent_population(n, ...)``
    with the same ``batch_size`` and ``seed``.
    """
    pa = _need("pyarrow")
    pq = _need("pyarrow.parquet")
    writer = None
    try:
        for part in latent_population_batches(n, batch_size=batch_size, year=year, seed=seed):
            table = pa.Table.from_pandas(part, preserve_index=False)
            if writer is None:
                writer = pq.ParquetWriter(str(path), table.schema)
            writer.write_table(table)
    finally:
        if writer is not None:
            writer.close()
    return Path(path)


def scored_meta(model: ReferenceModel, responses: Any) -> pd.DataFrame:
    """The empty frame :func:`score_frame` returns for ``responses`` (pandas or Dask): Dask's meta.

    Examples
    --------
    >>> from maturity import load_model
    >>> empty = pd.DataFrame({"sector": pd.Series([], dtype=str)})
    >>> meta = scored_meta(load_model("impuls"), empty)
    >>> list(meta.columns[:4]), len(meta)
    (['sector', 'score', 'level', 'coverage'], 0)
    """
    empty = getattr(responses, "_meta", responses).iloc[:0]
    return score_frame(model, empty)


def score_dask(model: ReferenceModel, responses: Any):
    """Score every partition of a Dask DataFrame with :func:`maturity.score_frame`.

    Returns a lazy Dask DataFrame with the columns of ``score_frame``; the
    meta is computed from the model, so Dask never calls ``score_frame`` on
    its placeholder rows. Bad answers raise
    :class:`~value_chain.errors.InputError` when the partition is computed.
    """
    return responses.map_partitions(_score_partition, model, meta=scored_meta(model, responses))


def _score_partition(partition: pd.DataFrame, model: ReferenceModel) -> pd.DataFrame:
    return score_frame(model, partition)


def latent_population_dask(
    n: int, *, batch_size: int = 100_000, year: int = 2022, seed: int = 0,
):
    """The latent-maturity population as a lazy Dask DataFrame, one batch per partition.

    Partition ``k`` holds exactly batch ``k`` of
    :func:`~maturity.latent_population.latent_population_batches`, drawn where
    it is computed (on a worker), so no row passes through the client.
    """
    dd = _need("dask.dataframe")
    starts = list(range(0, int(n), int(batch_size)))
    meta = latent_population_batch(0, n=1, batch_size=1, year=year, seed=seed).iloc[:0]
    make = partial(latent_population_batch, n=int(n), batch_size=int(batch_size), year=year,
                   seed=seed)
    divisions = [*starts, int(n) - 1]
    return dd.from_map(make, range(len(starts)), meta=meta, divisions=divisions,
                       enforce_metadata=False)
