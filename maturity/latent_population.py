"""A synthetic CMMM population whose level shares EMERGE from drawn answers (not real firms).

Unlike the quota-matched :func:`maturity.population.generate_population`,
no enterprise is given a level. Each one has a latent maturity (in CMMM
level units) and answers are drawn from it; the real scoring rules
(:func:`maturity.score_frame`) then decide its level. The model:

* enterprise maturity ``theta = location + spread * z`` with
  ``z = sector effect + size effect + region effect + N(0, 1)`` (effects in
  ``maturity/population.yaml``, each with its source and status);
* per CMMM capability element (personnel, technology, resources,
  manufacturing) a shift ``N(0, element_sd)`` and per sub-domain a further
  ``N(0, subdomain_sd)``;
* each requirement of level ``L`` is answered from a graded logistic model:
  ``y = discrimination * (theta_subdomain - L + 0.5) + logistic noise``, cut
  at ``thresholds`` into not / partly / mostly / fully.

Only ``location`` and ``spread`` are fitted (:func:`fit_latent_population`),
to the four published national level-group shares of one report year; all
else is stated in ``population.yaml`` as published, borrowed or assumed.
:func:`latent_fit_report` gives the residuals of the fit (not zero) and an
out-of-sample check against the published sector shares that the fit did
not use.

Batches stream (:func:`latent_population_batches`): every enterprise is
drawn independently, from a seed derived from ``(seed, batch number)``, with
ids numbered across batches, so a population of any size is generated in
bounded memory and the same call always gives the same rows.

Examples
--------
>>> from maturity import load_model, score_frame
>>> table = generate_latent_population(1_000, seed=1)
>>> table["respondent"].iloc[[0, -1]].tolist()
['LAT-0000000001', 'LAT-0000001000']
>>> scored = score_frame(load_model("cmmm"), table)
>>> 0.4 < float((scored["level"] <= 1).mean()) < 0.8
True
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from functools import cache

import numpy as np
import pandas as pd
from scipy import optimize

from maturity.catalogue import load_dataset
from maturity.population import PopulationConfig, level_groups, population_config
from maturity.reference_model import ReferenceModel, load_model
from maturity.scoring import score_frame
from value_chain.errors import InputError, Problem
from value_chain.vocabulary import INDUSTRY_TYPES

__all__ = [
    "fit_latent_population",
    "generate_latent_population",
    "latent_fit_report",
    "latent_population_batch",
    "latent_population_batches",
]

_WHERE = "<latent population>"
_ID_WIDTH = 10


@cache
def _structure(model_id: str) -> tuple[ReferenceModel, np.ndarray, np.ndarray, np.ndarray, list]:
    """The model, each item's sub-domain index, level, element index of each sub-domain."""
    m = load_model(model_id)
    dims = [d.id for d in m.dimensions]
    elements: list[str] = []
    element_of = []
    for d in dims:
        top = m.ancestors(d)[-1].id
        if top not in elements:
            elements.append(top)
        element_of.append(elements.index(top))
    item_dim = np.array([dims.index(it.dimension) for it in m.items])
    item_level = np.array([float(it.level) for it in m.items])
    values = [str(o.value) for o in m.options(m.items[0])]
    return m, item_dim, item_level, np.array(element_of), values


def _effects(cfg: PopulationConfig, rng: np.random.Generator, n: int):
    def pick(table) -> tuple[np.ndarray, np.ndarray]:
        ids = list(table)
        w = np.array([table[i].weight for i in ids], dtype=float)
        codes = rng.choice(len(ids), size=n, p=w / w.sum())
        return codes, np.array([table[i].effect for i in ids])[codes]

    sector, e1 = pick(cfg.sectors)
    size, e2 = pick(cfg.sizes)
    region, e3 = pick(cfg.regions)
    return sector, size, region, e1 + e2 + e3


def _params(cfg: PopulationConfig, year: int, location: float | None, spread: float | None):
    lat = cfg.latent
    if lat is None:
        raise InputError([Problem("maturity/population.yaml", "latent", "section is missing")])
    if location is None or spread is None:
        if year not in lat.fitted:
            raise InputError([Problem(
                _WHERE, "year",
                f"no fitted parameters for {year}; fitted years: "
                f"{', '.join(map(str, sorted(lat.fitted)))} (or pass location and spread)",
            )])
        fit = lat.fitted[year]
        location = fit.location if location is None else location
        spread = fit.spread if spread is None else spread
    return float(location), float(spread)


def _batch(n: int, start: int, year: int, location: float, spread: float,
           rng: np.random.Generator, cfg: PopulationConfig) -> pd.DataFrame:
    m, item_dim, item_level, element_of, values = _structure(cfg.model)
    lat = cfg.latent
    assert lat is not None
    sector, size, region, effect = _effects(cfg, rng, n)
    theta = location + spread * (effect + rng.standard_normal(n))
    n_el = int(element_of.max()) + 1
    element = rng.normal(0.0, lat.element_sd, (n, n_el))
    sub = theta[:, None] + element[:, element_of] + rng.normal(
        0.0, lat.subdomain_sd, (n, len(element_of)))
    cuts = np.asarray(lat.thresholds, dtype=float)
    columns: dict[str, object] = {}
    ids = np.arange(start + 1, start + n + 1).astype(str)
    columns["respondent"] = pd.array(np.char.add("LAT-", np.char.zfill(ids, _ID_WIDTH)),
                                     dtype="str")
    sectors, sizes, regions = list(cfg.sectors), list(cfg.sizes), list(cfg.regions)
    columns["sector"] = pd.Categorical.from_codes(sector, categories=sectors)
    columns["size"] = pd.Categorical.from_codes(size, categories=sizes)
    columns["region"] = pd.Categorical.from_codes(region, categories=regions)
    industry = np.array([cfg.sectors[s].industry_type == "process" for s in sectors])[sector]
    columns["industry_type"] = pd.Categorical.from_codes(
        industry.astype(np.int8), categories=list(INDUSTRY_TYPES))
    columns["year"] = np.full(n, year, dtype=np.int64)
    columns["synthetic"] = np.ones(n, dtype=bool)
    # option order in the model is fully, mostly, partly, not: category k (0 = not) -> 3 - k
    dtype = pd.CategoricalDtype(values)
    u = np.clip(rng.random((n, len(item_dim)), dtype=np.float32), 1e-7, 1 - 1e-7)
    noise = np.log(u) - np.log1p(-u)  # standard logistic
    for j, it in enumerate(m.items):
        y = lat.discrimination * (sub[:, item_dim[j]] - item_level[j] + 0.5) + noise[:, j]
        category = np.searchsorted(cuts, y)
        columns[it.id] = pd.Categorical.from_codes((3 - category).astype(np.int8), dtype=dtype)
    return pd.DataFrame(columns, index=pd.RangeIndex(start, start + n))


def _check_sizes(n: int, batch_size: int) -> None:
    if int(n) != n or n < 1 or int(batch_size) != batch_size or batch_size < 1:
        raise InputError([Problem(_WHERE, "n, batch_size",
                                  f"must be positive ints, got {n!r}, {batch_size!r}")])


def latent_population_batch(
    k: int,
    *,
    n: int,
    batch_size: int = 100_000,
    year: int = 2022,
    seed: int = 0,
    location: float | None = None,
    spread: float | None = None,
) -> pd.DataFrame:
    """Batch ``k`` (0-based) of :func:`latent_population_batches`, drawn on its own.

    Any batch can be drawn anywhere (e.g. on a Dask worker) and equals the
    one the iterator yields; its index and ids continue from ``k * batch_size``.

    Examples
    --------
    >>> b = latent_population_batch(2, n=250, batch_size=100, seed=3)
    >>> b.index[0], b["respondent"].iloc[0], len(b)
    (200, 'LAT-0000000201', 50)
    """
    _check_sizes(n, batch_size)
    cfg = population_config()
    location, spread = _params(cfg, year, location, spread)
    start = int(k) * int(batch_size)
    if not 0 <= start < n:
        raise InputError([Problem(_WHERE, "k", f"batch {k} is outside {n} rows")])
    rng = np.random.default_rng(np.random.SeedSequence([seed, int(k)]))
    return _batch(min(int(batch_size), int(n) - start), start, year, location, spread, rng, cfg)


def latent_population_batches(
    n: int,
    *,
    batch_size: int = 100_000,
    year: int = 2022,
    seed: int = 0,
    location: float | None = None,
    spread: float | None = None,
) -> Iterator[pd.DataFrame]:
    """Yield the latent-maturity population in batches of ``batch_size`` rows (bounded memory).

    Batch ``k`` is drawn from ``numpy.random.SeedSequence([seed, k])``: the
    rows depend on ``(seed, batch_size)`` only, never on a quota, and ids run
    on across batches (``LAT-0000000001`` ...), unique up to 10^10 rows.

    Examples
    --------
    >>> parts = list(latent_population_batches(250, batch_size=100, seed=3))
    >>> [len(p) for p in parts], parts[-1]["respondent"].iloc[-1]
    ([100, 100, 50], 'LAT-0000000250')
    """
    _check_sizes(n, batch_size)
    for k in range(0, -(-int(n) // int(batch_size))):
        yield latent_population_batch(k, n=n, batch_size=batch_size, year=year, seed=seed,
                                      location=location, spread=spread)


def generate_latent_population(
    n: int,
    *,
    year: int = 2022,
    seed: int = 0,
    location: float | None = None,
    spread: float | None = None,
    batch_size: int = 100_000,
) -> pd.DataFrame:
    """A **synthetic** CMMM population whose level shares emerge from drawn answers.

    Columns as :func:`maturity.generate_population` (``respondent, sector,
    size, region, industry_type, year, synthetic``, then one answer per
    requirement). ``location`` and ``spread`` default to the values fitted
    for ``year`` (``population.yaml``, ``latent.fitted``).

    Examples
    --------
    >>> t = generate_latent_population(5, seed=2)
    >>> list(t.columns[:7])
    ['respondent', 'sector', 'size', 'region', 'industry_type', 'year', 'synthetic']
    """
    parts = list(latent_population_batches(n, batch_size=batch_size, year=year, seed=seed,
                                           location=location, spread=spread))
    return parts[0] if len(parts) == 1 else pd.concat(parts, ignore_index=True)


def _group_shares(levels: pd.Series) -> np.ndarray:
    counts = level_groups(levels).value_counts(sort=False)
    return 100.0 * counts.to_numpy(float) / max(1, int(levels.notna().sum()))


def _published(cfg: PopulationConfig, year: int) -> np.ndarray:
    if year not in cfg.targets:
        raise InputError([Problem(_WHERE, "year", f"no published shares for {year}")])
    return np.array([cfg.targets[year].shares[g] for g in ("<=1", "2", "3", ">=4")], float)


def fit_latent_population(
    year: int = 2022, *, n: int = 20_000, seed: int = 12345,
    target: Sequence[float] | None = None,
) -> dict[str, float]:
    """Fit ``location`` and ``spread`` to the published national level-group shares of ``year``.

    ``target`` replaces the published shares (percent of levels <=1, 2, 3,
    >=4), e.g. to check that the fit recovers known parameters.

    Least squares over the four published shares (percent), with the same
    random draws for every trial value (common random numbers, ``seed``),
    by Nelder-Mead from a coarse grid's best point. Returns the two
    parameters, the residual sum of squares (pp^2) and ``n``.

    Examples
    --------
    >>> fit_latent_population(2022)   # about a minute  # doctest: +SKIP
    {'location': 2.1709, 'spread': 1.0552, 'rss': 1.0446, 'n': 20000}
    """
    cfg = population_config()
    target = _published(cfg, year) if target is None else np.asarray(target, dtype=float)
    m = load_model(cfg.model)

    def rss(p: Sequence[float]) -> float:
        if p[1] <= 0:
            return 1e9
        table = generate_latent_population(n, year=year, seed=seed, location=p[0], spread=p[1])
        got = _group_shares(score_frame(m, table)["level"])
        return float(((got - target) ** 2).sum())

    grid = [(loc, sp) for loc in (1.0, 1.5, 2.0, 2.5) for sp in (0.5, 0.9, 1.3)]
    start = min(grid, key=rss)
    res = optimize.minimize(rss, start, method="Nelder-Mead",
                            options={"xatol": 0.005, "fatol": 0.01, "maxfev": 80})
    return {"location": round(float(res.x[0]), 4), "spread": round(float(res.x[1]), 4),
            "rss": round(float(res.fun), 4), "n": n}


def latent_fit_report(n: int = 50_000, *, year: int = 2022, seed: int = 7) -> pd.DataFrame:
    """Published shares against the fitted latent population, in- and out-of-sample.

    Rows ``check == "fitted"``: the four national level groups of ``year``
    (the two parameters were fitted to these four numbers, so residuals are
    small but not zero). Rows ``check == "out_of_sample"``: the published
    national sector shares of ``year`` (not used in the fit). A fresh
    ``seed`` (not the fitting seed) is used. Columns: ``check, scope,
    measure, published_pct, synthetic_pct, residual_pp, n, source``.

    Examples
    --------
    >>> r = latent_fit_report(3_000)
    >>> r["check"].tolist()
    ['fitted', 'fitted', 'fitted', 'fitted', 'out_of_sample', 'out_of_sample']
    """
    cfg = population_config()
    m = load_model(cfg.model)
    scored = score_frame(m, generate_latent_population(n, year=year, seed=seed))
    rows = []
    got = _group_shares(scored["level"])
    for g, pub, syn in zip(("<=1", "2", "3", ">=4"), _published(cfg, year), got, strict=True):
        rows.append({"check": "fitted", "scope": "national", "measure": f"level {g}",
                     "published_pct": pub, "synthetic_pct": round(float(syn), 2),
                     "residual_pp": round(float(syn - pub), 2), "n": n,
                     "source": cfg.targets[year].source.strip()})
    sectors = load_dataset("published_cmmm_sector_shares").query(
        "scope == 'national' and report_year == @year")
    code_to_sector = {s.code: k for k, s in cfg.sectors.items()}
    for _, pub in sectors.iterrows():
        key = code_to_sector.get(pub["code"])
        if key is None:
            continue
        part = scored.loc[scored["sector"] == key, "level"]
        threshold = int(pub["measure"].rsplit(">=", 1)[1])
        syn = 100.0 * float((part >= threshold).sum()) / max(1, len(part))
        rows.append({"check": "out_of_sample", "scope": f"sector {pub['code']}",
                     "measure": pub["measure"], "published_pct": float(pub["share_pct"]),
                     "synthetic_pct": round(syn, 2),
                     "residual_pp": round(syn - pub["share_pct"], 2),
                     "n": len(part), "source": pub["source"]})
    return pd.DataFrame(rows)
