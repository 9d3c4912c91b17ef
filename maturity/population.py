"""The QUOTA-MATCHED synthetic CMMM population (not real enterprises).

:func:`generate_population` first gives every synthetic enterprise a target
level by cutting a latent score at the published national level shares of a
report year (a quota), then draws answers until the scored level equals the
target. Its scored level shares therefore equal the published ones *by
construction*: they show nothing about the published figures and must not be
read as a fit. For a population whose level shares emerge from answers drawn
from latent maturity, see :mod:`maturity.latent_population`.

:func:`synthetic_vs_published` puts the two side by side (the difference is
the rounding of the quotas, nothing more). Every parameter is in
``maturity/population.yaml``.

Examples
--------
>>> level_groups(pd.Series([0, 3, 5])).tolist()
['<=1', '3', '>=4']
"""

from __future__ import annotations

import importlib.resources
import itertools
from collections.abc import Iterable, Sequence
from functools import cache
from typing import Any, Literal

import numpy as np
import pandas as pd
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from maturity.profiles import answers_for_levels
from maturity.reference_model import load_model
from maturity.scoring import score_frame
from value_chain.errors import InputError, Problem, problems_from_validation
from value_chain.vocabulary import INDUSTRY_TYPES

__all__ = [
    "PopulationConfig",
    "generate_population",
    "level_groups",
    "population_config",
    "synthetic_vs_published",
]


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class _Named(_Frozen):
    name: dict[Literal["en", "zh"], str]
    weight: float = Field(gt=0)
    effect: float
    source: str = Field(min_length=1)
    status: Literal["published_direction", "borrowed_direction", "assumed"]


class _Sector(_Named):
    code: str
    industry_type: Literal[INDUSTRY_TYPES]


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


class _Fitted(_Frozen):
    location: float
    spread: float = Field(gt=0)
    rss: float = Field(ge=0)
    n: int = Field(gt=0)


class _Latent(_Frozen):
    element_sd: float = Field(ge=0)
    subdomain_sd: float = Field(ge=0)
    discrimination: float = Field(gt=0)
    thresholds: list[float] = Field(min_length=3, max_length=3)
    fitted: dict[int, _Fitted] = {}
    source: str = Field(min_length=1)

    @field_validator("thresholds")
    @classmethod
    def _increasing(cls, v: list[float]) -> list[float]:
        if any(b <= a for a, b in itertools.pairwise(v)):
            raise ValueError(f"thresholds must increase, got {v}")
        return v


class PopulationConfig(_Frozen):
    """Settings of the synthetic populations (``maturity/population.yaml``)."""

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
    latent: _Latent | None = None

    def level_shares(self, year: int) -> np.ndarray:
        """Target share of each level 0-5 (sums to 1) for a report year."""
        s = self.targets[year].shares
        le1, ge4 = s["<=1"] / 100, s[">=4"] / 100
        p0 = le1 * self.split.level0_within_le1
        p5 = ge4 * self.split.level5_within_ge4
        return np.array([p0, le1 - p0, s["2"] / 100, s["3"] / 100, ge4 - p5, p5])


@cache
def population_config() -> PopulationConfig:
    """The settings of :func:`generate_population`, read from ``maturity/population.yaml``.

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
    """A **synthetic, quota-matched** population of CMMM self-assessments (not real enterprises).

    One row per enterprise: ``respondent, sector, size, region,
    industry_type, year, synthetic`` (always True), then one Categorical
    column per CMMM requirement with the answer (fully / mostly / partly /
    not). Each enterprise's level is fixed first by a quota (its rank on a
    latent score cut at the published national shares of report ``year``:
    2020, 2021 or 2022) and answers are drawn until they score at that
    level, so the scored level shares equal the published ones by
    construction; the match is not evidence of anything. Sectors, sizes and
    regions shift the latent score in the direction the reports describe.
    For shares that emerge from the answers instead, use
    :func:`maturity.latent_population.generate_latent_population`. Every
    parameter (targets, mixes, effects, noise, and their sources) is in
    ``maturity/population.yaml``; see there how it works.
    The same ``n`` and ``seed`` always give the same table.

    Examples
    --------
    >>> table = generate_population(2_000, seed=1)
    >>> table.iloc[:2, :7]
      respondent          sector   size region industry_type  year  synthetic
    0  SYN-0000001  ...
    >>> bool(table["synthetic"].all()), table["respondent"].is_unique
    (True, True)
    """
    cfg = population_config()
    if model != cfg.model:
        raise InputError([Problem(
            "<generate_population>", "model",
            f"only {cfg.model!r} populations can be generated, not {model!r}")])
    if year not in cfg.targets:
        raise InputError([Problem("<generate_population>", "year",
                                  f"no published shares for {year}; years with published shares: "
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
        "industry_type": pd.Categorical(industry, categories=list(INDUSTRY_TYPES)),
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
    """Scored level shares of QUOTA-MATCHED populations beside the published quotas.

    One row per (year, level group) with ``published_pct``, ``synthetic_pct``
    and ``difference_pp`` (synthetic - published, percentage points) and the
    source of the published figure. The difference is only the rounding of
    the quotas: the generator assigns the levels from these very shares, so
    this table shows the generator at work, not agreement with the reports.
    For a fit with real residuals see
    :func:`maturity.latent_population.latent_fit_report`.

    Examples
    --------
    >>> table = synthetic_vs_published(2_000, years=[2020])
    >>> table[["level_group", "published_pct"]].values.tolist()
    [['<=1', 75.0], ['2', 14.0], ['3', 6.0], ['>=4', 5.0]]
    """
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
