"""Open datasets of digital maturity, published aggregate figures and a synthetic population.

Every bundled dataset is a tidy CSV (``.csv`` or ``.csv.gz``) beside a metadata
YAML (``<name>.meta.yaml``: title, source, licence and attribution, retrieval
date, each column with its unit and meaning), shipped in the wheel as the
package ``maturity.data``. :func:`list_datasets` lists them and
:func:`load_dataset` reads one, with its metadata in ``df.attrs["metadata"]``.

Helpers reproduce published numbers from the shipped data:

* Eurostat Digital Intensity Index (``isoc_e_dii``, ``isoc_e_diin2``):
  :func:`dii_identities` (bands sum to 100, "at least basic" = 100 - "very
  low"), :func:`dii_table` and :func:`dii_sector_table`, which refuse to mix
  index versions 3 (odd years) and 4 (even years);
* Honti et al. (2020): :func:`honti_r2` (r-squared between GDP rank and
  readiness rank);
* IMPULS: :func:`impuls_groups` (newcomer / learner / leader shares from the
  published stage shares);
* CMMM: :func:`generate_population` draws a **synthetic** population whose
  scored level shares match the published national shares of a report year,
  and :func:`synthetic_vs_published` puts the two side by side.

Examples
--------
>>> table = list_datasets()
>>> "honti2020_rankings" in set(table["name"])
True
>>> round(honti_r2(), 3)
0.459
"""

from __future__ import annotations

import importlib.resources
import re
from collections.abc import Iterable, Sequence
from functools import cache
from typing import Any, Literal

import numpy as np
import pandas as pd
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from value_chain.errors import InputError, Problem, problems_from_validation

__all__ = [
    "DII_BANDS",
    "ColumnMeta",
    "DatasetMeta",
    "PopulationConfig",
    "check_dii_versions",
    "dii_identities",
    "dii_sector_table",
    "dii_table",
    "generate_population",
    "honti_r2",
    "impuls_groups",
    "level_groups",
    "list_datasets",
    "load_dataset",
    "population_config",
    "synthetic_vs_published",
]

_DATA = "maturity.data"
_META = ".meta.yaml"

#: the four Digital Intensity Index bands, lowest first
DII_BANDS = ("very_low", "low", "high", "very_high")


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


# ---- Eurostat Digital Intensity Index ------------------------------------------


def check_dii_versions(dii: pd.DataFrame, *, allow_mixed_versions: bool = False) -> list[int]:
    """The DII versions in ``dii``; raises :class:`InputError` if more than one.

    Eurostat changes the 12 items of the Digital Intensity Index between
    survey years: version 3 is used in odd years (2021, 2023, 2025) and
    version 4 in even years (2022, 2024). Shares from different versions
    measure different things and must not be compared or put on one trend.

    Examples
    --------
    >>> dii = load_dataset("eurostat_dii_by_size")
    >>> check_dii_versions(dii[dii["year"] == 2023])
    [3]
    >>> check_dii_versions(dii)
    Traceback (most recent call last):
    ...
    value_chain.errors.InputError: 1 problem in <Eurostat DII>:
      - dii_version: the rows mix DII versions [3, 4] ...
    """
    if "dii_version" not in dii.columns:
        raise InputError([Problem("<Eurostat DII>", "dii_version", "column is missing")])
    versions = sorted(int(v) for v in pd.unique(dii["dii_version"].dropna()))
    if len(versions) > 1 and not allow_mixed_versions:
        years = {
            v: sorted(int(y) for y in pd.unique(dii.loc[dii["dii_version"] == v, "year"]))
            for v in versions
        }
        detail = "; ".join(f"v{v}: {years[v]}" for v in versions)
        raise InputError([Problem(
            "<Eurostat DII>", "dii_version",
            f"the rows mix DII versions {versions} ({detail}). The index is built from a "
            "different list of 12 items in each version (v3 in odd years, v4 in even years), "
            "so its shares are not comparable across versions. Select years of one version, "
            "or pass allow_mixed_versions=True if you really mean it",
        )])
    return versions


def _select(frame: pd.DataFrame, **equal: Any) -> pd.DataFrame:
    mask = pd.Series(True, index=frame.index)
    for col, value in equal.items():
        if value is None:
            continue
        values = [value] if isinstance(value, str | int) else list(value)
        mask &= frame[col].isin(values)
    return frame[mask]


def dii_table(
    dii: pd.DataFrame | None = None,
    *,
    band: str = "at_least_basic",
    geo: str | Sequence[str] | None = "EU27_2020",
    years: int | Sequence[int] | None = None,
    allow_mixed_versions: bool = False,
) -> pd.DataFrame:
    """Percent of enterprises in one DII ``band``, years x size classes (one version only).

    Examples
    --------
    >>> dii_table(band="very_low", years=[2021, 2023]).loc[2023, "10-249"]
    np.float64(42.1)
    >>> dii_table(years=[2023, 2024])
    Traceback (most recent call last):
    ...
    value_chain.errors.InputError: 1 problem in <Eurostat DII>: ...
    """
    dii = load_dataset("eurostat_dii_by_size") if dii is None else dii
    rows = _select(dii, band=band, geo=geo, year=years)
    check_dii_versions(rows, allow_mixed_versions=allow_mixed_versions)
    index = ["geo", "year"] if not isinstance(geo, str) else "year"
    return rows.pivot_table(
        index=index, columns="size_class", values="percent", aggfunc="first", observed=True,
        sort=True,
    )


def dii_sector_table(
    dii_sector: pd.DataFrame | None = None,
    *,
    year: int | Sequence[int] = 2024,
    allow_mixed_versions: bool = False,
) -> pd.DataFrame:
    """Percent of enterprises with high or very high DII: countries x NACE sectors.

    The two bands are added where both are published; where one is missing
    the sum is left empty (NaN), never filled.

    Examples
    --------
    >>> float(dii_sector_table(year=2024).loc["DE", "C20"])
    68.16
    """
    dii_sector = load_dataset("eurostat_dii_manufacturing") if dii_sector is None else dii_sector
    rows = _select(dii_sector, year=year)
    check_dii_versions(rows, allow_mixed_versions=allow_mixed_versions)
    wide = rows.pivot_table(
        index=["geo", "year", "nace_r2"], columns="band", values="percent", aggfunc="first",
        observed=True,
    )
    total = wide.reindex(columns=["high", "very_high"]).sum(axis=1, min_count=2).round(2)
    out = total.unstack("nace_r2")
    if isinstance(year, int):
        out = out.droplevel("year")
    out.columns.name = "nace_r2"
    return out


def dii_identities(dii: pd.DataFrame | None = None, *, tol: float = 0.05) -> pd.DataFrame:
    """Check the DII identities on every (country, year, size class) with all bands.

    Returns one row per checkable group with ``band_sum`` (very low + low +
    high + very high), ``at_least_basic``, ``complement`` (100 - very low),
    the two residuals and ``sum_ok`` / ``basic_ok`` (residual within
    ``tol``). Groups where Eurostat publishes only "at least basic" (version
    4 years) or where a band is missing (withheld values, flag ``u``) are not
    checkable and not returned. The tolerance is not loosened to make rows
    pass: with the default 0.05 (rounding of four values to 2 decimals), 4 of
    the 493 checkable groups of the shipped table fail and are reported.

    Examples
    --------
    >>> ids = dii_identities()
    >>> len(ids), int((ids["sum_ok"] & ids["basic_ok"]).sum())
    (493, 489)
    >>> failing = ids.loc[~(ids["sum_ok"] & ids["basic_ok"]), ["geo", "year", "size_class"]]
    >>> failing.values.tolist()  # doctest: +NORMALIZE_WHITESPACE
    [['EU27_2020', 2025, '250+'], ['HU', 2021, '250+'], ['HU', 2021, '50-249'],
     ['LT', 2025, '250+']]
    >>> row = ids.query("geo == 'EU27_2020' and year == 2021 and size_class == '10-249'")
    >>> row[["band_sum", "complement", "at_least_basic"]].round(2).values.tolist()
    [[99.99, 54.82, 54.82]]
    """
    dii = load_dataset("eurostat_dii_by_size") if dii is None else dii
    keys = ["geo", "year", "dii_version", "size_class"]
    wide = dii.pivot_table(
        index=keys, columns="band", values="percent", aggfunc="first", observed=True
    ).reindex(columns=[*DII_BANDS, "at_least_basic"])
    wide = wide.dropna(how="any").reset_index()
    wide.columns.name = None
    out = wide[keys].copy()
    out["band_sum"] = wide[list(DII_BANDS)].sum(axis=1).round(4)
    out["at_least_basic"] = wide["at_least_basic"]
    out["complement"] = (100 - wide["very_low"]).round(4)
    out["sum_residual"] = (out["band_sum"] - 100).round(4)
    out["basic_residual"] = (out["at_least_basic"] - out["complement"]).round(4)
    out["sum_ok"] = out["sum_residual"].abs() <= tol + 1e-9
    out["basic_ok"] = out["basic_residual"].abs() <= tol + 1e-9
    return out


# ---- Honti et al. 2020 and IMPULS ------------------------------------------------


def honti_r2(
    rankings: pd.DataFrame | None = None, *, x: str = "gdp_rank", y: str = "promethee_rank"
) -> float:
    """r-squared (squared Pearson correlation) between two rankings of Honti et al. (2020).

    The article (Fig. 3) reports r^2 = 0.4589 between the GDP rank and the
    Industry 4.0+ readiness (PROMETHEE II) rank of 309 NUTS-2 regions. Rows
    where either value is missing (``rii`` is given for 181 regions only) are
    left out of the pair.

    Examples
    --------
    >>> round(honti_r2(), 4)
    0.459
    >>> round(honti_r2(x="rii"), 3)   # the article prints 0.7502
    0.747
    """
    rankings = load_dataset("honti2020_rankings") if rankings is None else rankings
    missing = [c for c in (x, y) if c not in rankings.columns]
    if missing:
        raise InputError([Problem("<rankings>", f"column {c!r}", "is missing") for c in missing])
    pair = rankings[[x, y]].astype(float).dropna()
    r = np.corrcoef(pair[x], pair[y])[0, 1]
    return float(r**2)


def impuls_groups(stage_shares: pd.DataFrame | None = None) -> pd.DataFrame:
    """Shares of IMPULS newcomers / learners / leaders from published stage shares.

    The stage-to-group mapping comes from the ``classes`` of the IMPULS
    reference model (newcomer = stages 0-1, learner = 2, leader = 3-5).

    Examples
    --------
    >>> g = impuls_groups()
    >>> g[g["dimension"] == "overall"][["group", "share_pct"]].values.tolist()
    [['newcomer', 76.5], ['learner', 17.9], ['leader', 5.6]]
    """
    from maturity.reference_model import load_model

    stage_shares = (
        load_dataset("published_impuls_stage_shares") if stage_shares is None else stage_shares
    )
    classes = load_model("impuls").rules.classes  # type: ignore[union-attr]
    rows = []
    for (population, dimension), part in stage_shares.groupby(
        ["population", "dimension"], sort=False, observed=True
    ):
        by_stage = part.set_index("stage")["share_pct"]
        for c in classes:
            rows.append({
                "population": population,
                "dimension": dimension,
                "group": c.id,
                "stages": "-".join(str(s) for s in (c.levels[0], c.levels[-1]))
                if len(c.levels) > 1 else str(c.levels[0]),
                "share_pct": round(float(by_stage.reindex(c.levels).sum(min_count=1)), 2),
            })
    return pd.DataFrame(rows)


# ---- synthetic CMMM population --------------------------------------------------------


class _Named(_Frozen):
    name: dict[Literal["en", "zh"], str]
    weight: float = Field(gt=0)
    effect: float
    source: str = Field(min_length=1)


class _Sector(_Named):
    code: str
    industry_type: Literal["discrete", "process"]


class _Target(_Frozen):
    shares: dict[Literal["<=1", "2", "3", ">=4"], float]
    source: str = Field(min_length=1)

    @field_validator("shares")
    @classmethod
    def _sum100(cls, v: dict[str, float]) -> dict[str, float]:
        if len(v) != 4 or abs(sum(v.values()) - 100) > 1e-6:
            raise ValueError(f"the four shares must be given and sum to 100, got {v}")
        return v


class _Split(_Frozen):
    level0_within_le1: float = Field(ge=0, le=1)
    level5_within_ge4: float = Field(ge=0, le=1)
    source: str


class _Range(_Frozen):
    low: float
    high: float


class PopulationConfig(_Frozen):
    """Calibration of the synthetic population (``maturity/population.yaml``)."""

    model: str
    targets: dict[int, _Target]
    split: _Split
    sectors: dict[str, _Sector]
    sizes: dict[str, _Named]
    regions: dict[str, _Named]
    within_level: _Range
    dimension_noise: float = Field(ge=0)
    item_noise: float = Field(ge=0)
    max_redraws: int = Field(ge=0)

    def level_shares(self, year: int) -> np.ndarray:
        """Target share of each level 0-5 (sums to 1) for a report year."""
        s = self.targets[year].shares
        le1, ge4 = s["<=1"] / 100, s[">=4"] / 100
        p0 = le1 * self.split.level0_within_le1
        p5 = ge4 * self.split.level5_within_ge4
        return np.array([p0, le1 - p0, s["2"] / 100, s["3"] / 100, ge4 - p5, p5])


@cache
def population_config() -> PopulationConfig:
    """The calibration of :func:`generate_population`, read from ``maturity/population.yaml``.

    Examples
    --------
    >>> cfg = population_config()
    >>> sorted(cfg.targets)
    [2020, 2021, 2022]
    >>> cfg.sectors["textiles"].effect < 0 < cfg.sectors["automotive"].effect
    True
    """
    source = "maturity/population.yaml"
    text = (importlib.resources.files("maturity") / "population.yaml").read_text(encoding="utf-8")
    try:
        return PopulationConfig.model_validate(yaml.safe_load(text))
    except ValidationError as exc:
        raise InputError(problems_from_validation(exc, source, node=yaml.compose(text))) from None


#: published CMMM level groups and the levels each holds
_GROUPS = {"<=1": (0, 1), "2": (2,), "3": (3,), ">=4": (4, 5)}


def level_groups(levels: pd.Series | np.ndarray) -> pd.Series:
    """Map CMMM levels 0-5 to the groups of the published reports (<=1, 2, 3, >=4).

    Examples
    --------
    >>> level_groups(pd.Series([0, 1, 2, 5])).tolist()
    ['<=1', '<=1', '2', '>=4']
    """
    lookup = {lv: g for g, lvs in _GROUPS.items() for lv in lvs}
    values = pd.Series(levels).astype("Int64")
    out = values.map(lookup)
    return pd.Series(
        pd.Categorical(out, categories=list(_GROUPS)), index=values.index, name="level_group"
    )


def _pick(rng: np.random.Generator, options: dict[str, _Named], chosen: Iterable[str] | None,
          n: int, what: str) -> np.ndarray:
    ids = list(options) if chosen is None else list(chosen)
    unknown = [c for c in ids if c not in options]
    if unknown or not ids:
        raise InputError([Problem(
            "maturity/population.yaml", what,
            f"unknown {what} {unknown or ids}; known: {', '.join(options)}",
        )])
    w = np.array([options[i].weight for i in ids], dtype=float)
    return np.asarray(ids, dtype=object)[rng.choice(len(ids), size=n, p=w / w.sum())]


def _quantile_levels(z: np.ndarray, shares: np.ndarray) -> np.ndarray:
    """Level of each value of ``z`` so that the level counts follow ``shares`` (lowest first)."""
    n = len(z)
    bounds = np.rint(np.cumsum(shares) * n).astype(int)
    bounds[-1] = n
    by_rank = np.repeat(np.arange(len(shares)), np.diff(np.concatenate([[0], bounds])))
    out = np.empty(n, dtype=np.int8)
    out[np.argsort(z, kind="stable")] = by_rank
    return out


_CHUNK = 100_000


def generate_population(
    n: int,
    *,
    model: str = "cmmm",
    sectors: Sequence[str] | None = None,
    sizes: Sequence[str] | None = None,
    year: int = 2022,
    seed: int = 0,
) -> pd.DataFrame:
    """A **synthetic** population of CMMM self-assessments (not real enterprises).

    One row per enterprise: ``respondent, sector, size, region,
    industry_type, year, synthetic`` (always True), then one Categorical
    column per CMMM requirement with the answer (fully / mostly / partly /
    not). Scored with :func:`maturity.score_frame`, its level shares match
    the published national shares of report ``year`` (2020, 2021 or 2022),
    and sectors, sizes and regions differ in the direction the reports
    describe. Every parameter (targets, mixes, effects, noise, and their
    sources) is in ``maturity/population.yaml``; see there how it works.
    The same ``n`` and ``seed`` always give the same table.

    Examples
    --------
    >>> from maturity import load_model, score_frame
    >>> table = generate_population(2_000, seed=1)
    >>> table.iloc[:2, :7]
      respondent          sector   size region industry_type  year  synthetic
    0  SYN-0000001  ...
    >>> scored = score_frame(load_model("cmmm"), table)
    >>> level_groups(scored["level"]).value_counts(normalize=True).round(2).tolist()
    [0.63, 0.21, 0.12, 0.04]
    """
    from maturity.reference_model import load_model

    cfg = population_config()
    if model != cfg.model:
        raise InputError([Problem("<generate_population>", "model",
                                  f"only {cfg.model!r} populations are calibrated, not {model!r}")])
    if year not in cfg.targets:
        raise InputError([Problem("<generate_population>", "year",
                                  f"no published shares for {year}; calibrated years: "
                                  f"{', '.join(map(str, sorted(cfg.targets)))}")])
    if int(n) != n or n < 1:
        raise InputError(
            [Problem("<generate_population>", "n", f"must be a positive int, got {n!r}")]
        )
    n = int(n)
    m = load_model(model)
    rng = np.random.default_rng(seed)
    sector = _pick(rng, cfg.sectors, sectors, n, "sector")
    size = _pick(rng, cfg.sizes, sizes, n, "size")
    region = _pick(rng, cfg.regions, None, n, "region")

    def effect(values: np.ndarray, table: dict[str, _Named]) -> np.ndarray:
        ids = list(table)
        return np.array([table[i].effect for i in ids])[pd.Categorical(values, ids).codes]

    z = (effect(sector, cfg.sectors) + effect(size, cfg.sizes) + effect(region, cfg.regions)
         + rng.standard_normal(n))
    target = _quantile_levels(z, cfg.level_shares(year))
    industry = np.array([cfg.sectors[s].industry_type for s in cfg.sectors], dtype=object)[
        pd.Categorical(sector, list(cfg.sectors)).codes
    ]
    codes = np.empty((n, len(m.items)), dtype=np.int8, order="F")
    seeds = rng.integers(0, 2**63 - 1, size=(n + _CHUNK - 1) // _CHUNK)
    for k, start in enumerate(range(0, n, _CHUNK)):
        rows = slice(start, min(n, start + _CHUNK))
        codes[rows] = _answer_codes(m, cfg, target[rows], industry[rows], int(seeds[k]))

    answer_dtype = _answer_dtype(m)
    ids = np.char.add("SYN-", np.char.zfill(np.arange(1, n + 1).astype(str), 7))
    columns: dict[str, Any] = {
        "respondent": pd.array(ids, dtype="str"),
        "sector": pd.Categorical(sector, categories=list(cfg.sectors)),
        "size": pd.Categorical(size, categories=list(cfg.sizes)),
        "region": pd.Categorical(region, categories=list(cfg.regions)),
        "industry_type": pd.Categorical(industry, categories=["discrete", "process"]),
        "year": np.full(n, year, dtype=np.int64),
        "synthetic": np.ones(n, dtype=bool),
    }
    for j, item in enumerate(m.items):
        columns[item.id] = pd.Categorical.from_codes(codes[:, j], dtype=answer_dtype)
    return pd.DataFrame(columns)


def _answer_dtype(m) -> pd.CategoricalDtype:
    values = [str(o.value) for o in m.options(m.items[0])]
    return pd.CategoricalDtype(values)


def _answer_codes(m, cfg: PopulationConfig, target: np.ndarray, industry: np.ndarray,
                  seed: int) -> np.ndarray:
    """Answer codes (rows x items) whose CMMM score reaches exactly ``target`` levels."""
    from maturity.profiles import answers_for_levels
    from maturity.scoring import score_frame

    rng = np.random.default_rng(seed)
    dtype = _answer_dtype(m)
    dims = [d.id for d in m.dimensions]
    n = len(target)
    out = np.empty((n, len(m.items)), dtype=np.int8)
    todo = np.arange(n)
    for attempt in range(cfg.max_redraws + 2):
        last = attempt == cfg.max_redraws + 1
        t = target[todo].astype(float)
        if last:  # no noise, centre of the level: always scores at the target level
            base = np.repeat((t + 0.1)[:, None], len(dims), axis=1)
            item_noise = 0.0
        else:
            offset = rng.uniform(cfg.within_level.low, cfg.within_level.high, len(todo))
            spread = rng.normal(0, cfg.dimension_noise, (len(todo), len(dims)))
            base = (t + offset)[:, None] + spread
            item_noise = cfg.item_noise
        frame = pd.DataFrame(np.clip(base, 0.0, 5.0), columns=dims)
        answers = answers_for_levels(m, frame, noise=item_noise, seed=int(rng.integers(2**32)))
        block = np.column_stack(
            [pd.Categorical(answers[it.id], dtype=dtype).codes for it in m.items]
        ).astype(np.int8)
        out[todo] = block
        if last:
            break
        check = pd.DataFrame(
            {it.id: pd.Categorical.from_codes(block[:, j], dtype=dtype)
             for j, it in enumerate(m.items)}
        )
        check["industry_type"] = industry[todo]
        scored = score_frame(m, check)["level"].to_numpy(dtype=float, na_value=np.nan)
        todo = todo[scored != t]
        if len(todo) == 0:
            break
    return out


def synthetic_vs_published(
    n: int = 10_000, *, years: Sequence[int] = (2020, 2021, 2022), seed: int = 0
) -> pd.DataFrame:
    """Scored CMMM level shares of synthetic populations beside the published ones.

    One row per (year, level group) with ``published_pct``, ``synthetic_pct``
    and ``difference_pp`` (synthetic - published, percentage points) and the
    source of the published figure.

    Examples
    --------
    >>> table = synthetic_vs_published(2_000, years=[2020])
    >>> table[["level_group", "published_pct"]].values.tolist()
    [['<=1', 75.0], ['2', 14.0], ['3', 6.0], ['>=4', 5.0]]
    >>> bool(table["difference_pp"].abs().max() <= 1)
    True
    """
    from maturity.reference_model import load_model
    from maturity.scoring import score_frame

    cfg = population_config()
    m = load_model(cfg.model)
    rows = []
    for year in years:
        scored = score_frame(m, generate_population(n, year=year, seed=seed))
        got = level_groups(scored["level"]).value_counts(normalize=True, sort=False) * 100
        for group, published in cfg.targets[year].shares.items():
            rows.append({
                "year": year,
                "level_group": group,
                "published_pct": float(published),
                "synthetic_pct": round(float(got[group]), 2),
                "difference_pp": round(float(got[group]) - published, 2),
                "n": n,
                "source": cfg.targets[year].source.strip(),
            })
    return pd.DataFrame(rows)


# ---- building the bundled files from the raw downloads (maintainers only) ---------------

_SIZE_CLASS = {"10-49": "10-49", "50-249": "50-249", "GE250": "250+", "10-249": "10-249",
               "GE10": "10+"}
_BAND = {"VLO": "very_low", "LO": "low", "HI": "high", "VHI": "very_high",
         "GELO": "at_least_basic"}
_NACE = {"C": "Manufacturing", "C16-C18": "Wood, paper, printing",
         "C20": "Chemicals", "C22_C23": "Rubber, plastics, non-metallic minerals"}


def _indicator_parts(code: pd.Series) -> tuple[pd.Series, pd.Series]:
    """``E_DI3_HI`` -> (3, "high")."""
    parts = code.str.extract(r"^E_DI(\d)_([A-Z]+)$")
    if parts.isna().any().any():
        bad = code[parts.isna().any(axis=1)].unique().tolist()
        raise InputError([Problem("<Eurostat>", "indic_is", f"unknown indicator codes {bad}")])
    return parts[0].astype(int), parts[1].map(_BAND)


def _tidy_dii_by_size(raw: pd.DataFrame) -> pd.DataFrame:
    """Tidy the raw ``isoc_e_dii`` export (one row per country, year, size, band)."""
    version, band = _indicator_parts(raw["indic_is"])
    out = pd.DataFrame({
        "geo": raw["geo"],
        "geo_label": raw["geo_label"],
        "year": raw["time_period"].astype(int),
        "dii_version": version,
        "size_class": raw["size_emp"].map(_SIZE_CLASS),
        "band": band,
        "percent": pd.to_numeric(raw["obs_value"].replace("", np.nan)),
        "flag": raw["obs_flag"].fillna(""),
    })
    if out["size_class"].isna().any():
        raise InputError([Problem("<Eurostat>", "size_emp", "unknown size class")])
    return out.sort_values(["geo", "year", "size_class", "band"], ignore_index=True)


def _tidy_dii_manufacturing(raw: pd.DataFrame) -> pd.DataFrame:
    """Tidy the hand-transcribed ``isoc_e_diin2`` subset."""
    version, band = _indicator_parts(raw["indic_is"])
    out = pd.DataFrame({
        "geo": raw["geo"],
        "year": raw["time_period"].astype(int),
        "dii_version": version,
        "nace_r2": raw["nace_r2"],
        "sector": raw["nace_r2"].map(_NACE),
        "size_class": raw["size_emp"].map(_SIZE_CLASS),
        "band": band,
        "percent": raw["obs_value"].astype(float),
    })
    return out.sort_values(["nace_r2", "geo", "year", "band"], ignore_index=True)


def _read_honti_descriptions(path) -> pd.DataFrame:
    """The tab-separated column description of Honti et al. (stray trailing tabs allowed)."""
    rows = []
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    for i, line in enumerate(lines[1:], start=2):
        parts = [p.strip() for p in line.split("\t")]
        if len(parts) < 3:
            raise InputError([Problem(str(path), f"line {i}", "fewer than 3 tab-separated fields")])
        rows.append({"indicator": parts[0], "dtype": parts[1],
                     "description": re.sub(r"\s+", " ", " ".join(parts[2:])).strip()})
    return pd.DataFrame(rows)


def _tidy_honti_indicators(raw: pd.DataFrame) -> pd.DataFrame:
    """Wide region-year table -> long (region, year, indicator, value), observed values only."""
    long = raw.melt(id_vars=["NUTS2", "YEAR"], var_name="indicator", value_name="value")
    long = long.dropna(subset=["value"]).rename(columns={"NUTS2": "region", "YEAR": "year"})
    long["indicator"] = long["indicator"].str.strip()
    return long.sort_values(["indicator", "region", "year"], ignore_index=True)
