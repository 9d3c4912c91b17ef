"""Countries and NUTS-2 regions of the bundled real data: names (en/zh), EU status, aggregates.

Real tables mix countries with aggregates (EU27_2020, the euro area, EU28)
and EU members with candidates and EFTA countries; Honti et al. rank the
EU28 aggregate among the regions and mix NUTS versions in their indicator
table. These label tables say which code is what, so a comparison of
countries can keep to the EU members and a join of regions keeps every one.

Examples
--------
>>> len(eu_countries())
27
>>> country_labels().set_index("code").loc["EU27_2020", "kind"]
'aggregate'
>>> top = honti_regions().query("country == 'HU'").iloc[0]
>>> top["region"], top["name_en"], int(top["rank_in_country"])
('HU11', 'Budapest', 1)
"""

from __future__ import annotations

from typing import Literal

import pandas as pd

from maturity.catalogue import load_dataset

__all__ = ["country_labels", "eu_countries", "geo_name", "honti_regions", "region_labels"]


def country_labels() -> pd.DataFrame:
    """Countries and aggregates: ``code, kind, eu_status, eu_member, name_en, name_zh, source``.

    Examples
    --------
    >>> c = country_labels().set_index("code")
    >>> c.loc["TR", ["eu_status", "name_zh"]].tolist()
    ['candidate', '土耳其']
    """
    return load_dataset("geo_countries")


def eu_countries() -> list[str]:
    """Codes of the 27 EU member states since February 2020 (Eurostat style: EL = Greece).

    Examples
    --------
    >>> "EL" in eu_countries(), "UK" in eu_countries(), "EU27_2020" in eu_countries()
    (True, False, False)
    """
    c = country_labels()
    return sorted(c.loc[c["eu_member"], "code"])


def region_labels() -> pd.DataFrame:
    """Every NUTS-2 code of the Honti tables with country, kind, NUTS version and 2016 code(s).

    Examples
    --------
    >>> r = region_labels().set_index("code")
    >>> r.loc["HU10", ["kind", "nuts_version", "nuts2016", "change"]].tolist()
    ['region', '2013', 'HU11 HU12', 'split']
    >>> r.loc["EU28", "kind"], r.loc["DEZZ", "kind"]
    ('aggregate', 'extra_regio')
    """
    return load_dataset("geo_nuts2_regions")


def geo_name(code: str, lang: Literal["en", "zh"] = "en") -> str:
    """Name of a country, aggregate or region code in ``lang``; the code itself if none is known.

    Examples
    --------
    >>> geo_name("HU"), geo_name("HU32", "zh"), geo_name("FRB0")
    ('Hungary', '北大平原', 'FRB0')
    """
    col = f"name_{lang}"
    for table in (country_labels(), region_labels()):
        hit = table.loc[table["code"] == code, col]
        if len(hit) and isinstance(hit.iloc[0], str) and hit.iloc[0]:
            return hit.iloc[0]
    return code


def honti_regions() -> pd.DataFrame:
    """Honti et al. (2020) rankings with region and country names, best readiness first.

    Columns: ``region, country, country_en, country_zh, name_en, name_zh,
    aggregate, gdp_rank, promethee_rank, rii, rank_in_country`` (1 = most
    ready region of its country, by ``promethee_rank``; empty for the EU28
    aggregate). The published files hold ranks only, not the readiness
    scores behind them.

    Examples
    --------
    >>> hu = honti_regions().query("country == 'HU'")
    >>> hu[["region", "promethee_rank"]].head(3).values.tolist()
    [['HU11', 161.0], ['HU22', 232.5], ['HU21', 248.5]]
    """
    ranks = load_dataset("honti2020_rankings")
    regions = region_labels()[["code", "name_en", "name_zh"]].rename(columns={"code": "region"})
    countries = country_labels()[["code", "name_en", "name_zh"]].rename(
        columns={"code": "country", "name_en": "country_en", "name_zh": "country_zh"})
    out = ranks.merge(regions, on="region", how="left", validate="one_to_one")
    out = out.merge(countries, on="country", how="left", validate="many_to_one")
    out["country"] = out["country"].fillna("")
    regional = ~out["aggregate"]
    out["rank_in_country"] = (
        out[regional].groupby("country")["promethee_rank"].rank(method="min").astype("Int64")
    )
    cols = ["region", "country", "country_en", "country_zh", "name_en", "name_zh", "aggregate",
            "gdp_rank", "promethee_rank", "rii", "rank_in_country"]
    return out[cols].sort_values(["promethee_rank", "region"], ignore_index=True)
