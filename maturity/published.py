"""Published figures reproduced from the bundled real data.

* Eurostat Digital Intensity Index (``isoc_e_dii``, ``isoc_e_diin2``):
  :func:`dii_identities` (bands sum to 100, "at least basic" = 100 - "very
  low", with exact rounding bounds), :func:`dii_table` and
  :func:`dii_sector_table`, which refuse to mix index versions 3 (odd years)
  and 4 (even years);
* Honti et al. (2020): :func:`honti_r2` (r-squared between GDP rank and
  readiness rank);
* IMPULS: :func:`impuls_groups` (newcomer / learner / leader shares from the
  published stage shares).

Examples
--------
>>> round(honti_r2(), 3)
0.459
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from maturity.catalogue import load_dataset
from maturity.reference_model import load_model
from value_chain.errors import InputError, Problem

__all__ = [
    "BASIC_BOUND",
    "DII_BANDS",
    "SUM_BOUND",
    "check_dii_versions",
    "dii_identities",
    "dii_sector_table",
    "dii_table",
    "honti_r2",
    "impuls_groups",
]

#: the four Digital Intensity Index bands, lowest first
DII_BANDS = ("very_low", "low", "high", "very_high")
#: exact bound of the band-sum residual for four values rounded to 2 decimals (4 x 0.005)
SUM_BOUND = 0.02
#: exact bound of at least basic - (100 - very low) for two rounded values (2 x 0.005)
BASIC_BOUND = 0.01

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


def dii_identities(dii: pd.DataFrame | None = None, *, tol: float | None = None) -> pd.DataFrame:
    """Check the DII identities on every (country, year, size class) with all bands.

    Returns one row per checkable group with ``band_sum`` (very low + low +
    high + very high), ``at_least_basic``, ``complement`` (100 - very low),
    the two residuals and ``sum_ok`` / ``basic_ok``. Groups where Eurostat
    publishes only "at least basic" (version 4 years) or where a band is
    missing (withheld values, flag ``u``) are not checkable and not returned.

    The bounds are exact for values rounded to two decimals (each off by at
    most 0.005): the band sum of four values may miss 100 by at most 0.02,
    "at least basic" may miss 100 - very low by at most 0.01. ``tol``
    replaces both bounds if given. With the exact bounds 486 of the 493
    checkable groups pass.

    The 7 misses are not rounding. In each, four of the five published
    series agree with each other and one does not: ``odd_series`` names it,
    found from the three identities that each leave one series out (low +
    high + very high = at least basic, without very low; the band sum,
    without at least basic; at least basic = 100 - very low, without low,
    high and very high): a series is a candidate when the identity without
    it holds. In 5 of the 7 groups one series is singled out (very low four
    times, at least basic once); in 2 the misses are just beyond the bounds
    and two series remain candidates. Such a series was published, or
    revised, separately from the others at the source; the residual is its
    disagreement, not rounding.

    Examples
    --------
    >>> ids = dii_identities()
    >>> len(ids), int((ids["sum_ok"] & ids["basic_ok"]).sum())
    (493, 486)
    >>> failing = ids.loc[~(ids["sum_ok"] & ids["basic_ok"])]
    >>> failing[["geo", "year", "size_class", "odd_series"]].values.tolist()
    ... # doctest: +NORMALIZE_WHITESPACE
    [['EA', 2025, '250+', 'very_low or at_least_basic'], ['EU27_2020', 2025, '250+', 'very_low'],
     ['HU', 2021, '10+', 'very_low'], ['HU', 2021, '10-249', 'very_low or at_least_basic'],
     ['HU', 2021, '250+', 'very_low'], ['HU', 2021, '50-249', 'very_low'],
     ['LT', 2025, '250+', 'at_least_basic']]
    >>> row = ids.query("geo == 'EU27_2020' and year == 2021 and size_class == '10-249'")
    >>> row[["band_sum", "complement", "at_least_basic"]].round(2).values.tolist()
    [[99.99, 54.82, 54.82]]
    """
    dii = load_dataset("eurostat_dii_by_size") if dii is None else dii
    sum_bound, basic_bound, three_bound = (
        (SUM_BOUND, BASIC_BOUND, SUM_BOUND) if tol is None else (tol, tol, tol)
    )
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
    three = (wide[["low", "high", "very_high"]].sum(axis=1) - wide["at_least_basic"]).round(4)
    eps = 1e-9
    out["sum_ok"] = out["sum_residual"].abs() <= sum_bound + eps
    out["basic_ok"] = out["basic_residual"].abs() <= basic_bound + eps
    three_ok = three.abs() <= three_bound + eps
    # a series is a candidate when the one identity that leaves it out still holds
    leave_out = (("very_low", three_ok), ("at_least_basic", out["sum_ok"]),
                 ("low, high or very_high", out["basic_ok"]))
    odd = []
    for i in range(len(out)):
        if out["sum_ok"].iat[i] and out["basic_ok"].iat[i]:
            odd.append("")
            continue
        names = [name for name, ok in leave_out if ok.iat[i]]
        odd.append(" or ".join(names) if names else "more than one")
    out["odd_series"] = odd
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
