"""The catalogue of bundled datasets: metadata, listing and loading.

Every bundled dataset is a tidy CSV (``.csv`` or ``.csv.gz``) beside a metadata
YAML (``<name>.meta.yaml``: title, source, licence and attribution, retrieval
date, each column with its unit and meaning), shipped in the wheel as the
package ``maturity.data``. :func:`list_datasets` lists them and
:func:`load_dataset` reads one, with its metadata in ``df.attrs["metadata"]``.

Examples
--------
>>> table = list_datasets()
>>> "honti2020_rankings" in set(table["name"])
True
"""

from __future__ import annotations

import importlib.resources
from typing import Literal

import pandas as pd
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from value_chain.errors import InputError, Problem, problems_from_validation

__all__ = ["ColumnMeta", "DatasetMeta", "list_datasets", "load_dataset"]

_DATA = "maturity.data"
_META = ".meta.yaml"


# ---- metadata ----------------------------------------------------------------


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ColumnMeta(_Frozen):
    """One column of a dataset: its name, type, unit and meaning."""

    name: str = Field(min_length=1)
    dtype: Literal["str", "int", "float", "bool", "category"]
    unit: str = Field(min_length=1)
    description: str = Field(min_length=1)
    categories: list[str] | None = None


class DatasetMeta(_Frozen):
    """Metadata of a bundled dataset (the ``<name>.meta.yaml`` beside its CSV)."""

    name: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    title: str = Field(min_length=1)
    description: str = Field(min_length=1)
    file: str = Field(pattern=r"^[A-Za-z0-9_.-]+\.csv(\.gz)?$")
    source: str = Field(min_length=1)
    url: str | None = None
    licence: str = Field(min_length=1)
    attribution: str = Field(min_length=1)
    citation: str | None = None
    licence_file: str | None = None
    retrieved: str = Field(pattern=r"^\d{4}-\d{2}-\d{2}$")
    synthetic: bool = False
    rows: int = Field(ge=0)
    columns: list[ColumnMeta] = Field(min_length=1)
    notes: list[str] = []

    @field_validator("columns")
    @classmethod
    def _unique(cls, v: list[ColumnMeta]) -> list[ColumnMeta]:
        names = [c.name for c in v]
        dupes = sorted({n for n in names if names.count(n) > 1})
        if dupes:
            raise ValueError(f"columns described twice: {dupes}")
        return v


def _root():
    return importlib.resources.files(_DATA)


def _names() -> list[str]:
    return sorted(p.name[: -len(_META)] for p in _root().iterdir() if p.name.endswith(_META))


def _meta(name: str) -> DatasetMeta:
    source = f"maturity.data/{name}{_META}"
    text = (_root() / f"{name}{_META}").read_text(encoding="utf-8")
    try:
        data = yaml.safe_load(text)
        node = yaml.compose(text)
    except yaml.YAMLError as exc:
        raise InputError([Problem(source, "", f"invalid YAML: {exc}")]) from None
    try:
        meta = DatasetMeta.model_validate(data)
    except ValidationError as exc:
        raise InputError(problems_from_validation(exc, source, node=node)) from None
    if meta.name != name:
        raise InputError([Problem(source, "name", f"is {meta.name!r}, the file says {name!r}")])
    return meta


def list_datasets() -> pd.DataFrame:
    """The bundled datasets: one row each with name, title, licence, rows and synthetic.

    Examples
    --------
    >>> table = list_datasets()
    >>> list(table.columns)
    ['name', 'title', 'licence', 'rows', 'synthetic']
    >>> bool(table.loc[table["name"] == "synthetic_cmmm_population_2022", "synthetic"].item())
    True
    """
    rows = []
    for name in _names():
        m = _meta(name)
        rows.append(
            {"name": name, "title": m.title, "licence": m.licence, "rows": m.rows,
             "synthetic": m.synthetic}
        )
    return pd.DataFrame(rows, columns=["name", "title", "licence", "rows", "synthetic"])


_DTYPES = {"str": "str", "int": "int64", "float": "float64", "bool": "bool"}


def load_dataset(name: str) -> pd.DataFrame:
    """Read a bundled dataset; its metadata (a dict) is in ``df.attrs["metadata"]``.

    The file's header must list exactly the columns described in the metadata
    and its row count must match; anything else raises :class:`InputError`.
    An unknown name raises :class:`InputError` listing the known names.

    Examples
    --------
    >>> df = load_dataset("published_cmmm_level_shares")
    >>> df.attrs["metadata"]["licence"].startswith("numbers only")
    True
    >>> df.query("report_year == 2022 and scope == 'national'")["share_pct"].tolist()
    [63.0, 21.0, 12.0, 4.0]
    """
    known = _names()
    if name not in known:
        raise InputError(
            [Problem("<datasets>", f"name {name!r}", f"unknown dataset; known: {', '.join(known)}")]
        )
    meta = _meta(name)
    source = f"maturity.data/{meta.file}"
    path = _root() / meta.file
    dtypes = {}
    for c in meta.columns:
        if c.dtype == "category":
            dtypes[c.name] = pd.CategoricalDtype(c.categories) if c.categories else "category"
        else:
            dtypes[c.name] = _DTYPES[c.dtype]
    with path.open("rb") as fh:
        compression = "gzip" if meta.file.endswith(".gz") else None
        header = pd.read_csv(fh, nrows=0, compression=compression).columns.tolist()
        _check_header(header, [c.name for c in meta.columns], source)
        fh.seek(0)
        try:
            frame = pd.read_csv(
                fh, compression=compression, dtype=dtypes, keep_default_na=False, na_values=[""]
            )
        except (ValueError, TypeError) as exc:
            raise InputError(
                [Problem(source, "", f"cannot read with the described types: {exc}")]
            ) from None
    if len(frame) != meta.rows:
        raise InputError(
            [Problem(source, "", f"{len(frame)} rows, the metadata says {meta.rows}")]
        )
    frame.attrs["metadata"] = meta.model_dump()
    return frame


def _check_header(header: list[str], described: list[str], source: str) -> None:
    problems = [
        Problem(source, f"column {c!r}", "not described in the metadata")
        for c in header if c not in described
    ] + [
        Problem(source, f"column {c!r}", "described in the metadata but not in the file")
        for c in described if c not in header
    ]
    if not problems and header != described:
        problems.append(Problem(source, "header", "columns are not in the described order"))
    if problems:
        raise InputError(problems)


