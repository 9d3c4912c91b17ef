"""Build the bundled data files in datasets/ from the raw downloads (maintainers only).

Kept beside the data it builds and not shipped in the wheel. Reads the raw
files from a folder (by default ``../shared/data`` next to the repository)
and writes the tidy CSVs into ``datasets/``; the metadata YAML beside each
file is written by hand.

Run: ``python datasets/build/build_datasets.py [--raw DIR] [--check]``
(``--check`` rebuilds in memory and compares with the shipped files).
"""

from __future__ import annotations

import argparse
import io
import re
import sys
from pathlib import Path

import numpy as np
import pandas as pd

from value_chain.errors import InputError, Problem

HERE = Path(__file__).resolve().parent
DATASETS = HERE.parent
RAW = DATASETS.parent.parent / "shared" / "data"



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


# ---- Honti et al. 2020: region codes, NUTS versions, aggregates ------------------------

#: codes of the indicator table that were replaced in a later NUTS version, with the
#: NUTS 2016 codes covering the same area (Eurostat NUTS history: 2006->2010 recoded
#: Italy, 2010->2013 Greece, London and Croatia, 2013->2016 France, Hungary, Ireland,
#: Lithuania, Poland, Slovenia and Scotland)
NUTS_CHANGES = {
    # code: (last NUTS version it is valid in, NUTS 2016 codes, kind of change)
    "ITD3": ("2006", "ITH3", "recoded"), "ITE1": ("2006", "ITI1", "recoded"),
    "ITE4": ("2006", "ITI4", "recoded"),
    "EL11": ("2010", "EL51", "recoded"), "EL12": ("2010", "EL52", "recoded"),
    "EL13": ("2010", "EL53", "recoded"), "EL14": ("2010", "EL61", "recoded"),
    "EL21": ("2010", "EL54", "recoded"), "EL22": ("2010", "EL62", "recoded"),
    "EL23": ("2010", "EL63", "recoded"), "EL24": ("2010", "EL64", "recoded"),
    "EL25": ("2010", "EL65", "recoded"),
    "UKI1": ("2010", "UKI3 UKI4", "split"), "UKI2": ("2010", "UKI5 UKI6 UKI7", "split"),
    "HR01": ("2010", "HR04", "merged"),
    "FR21": ("2013", "FRF2", "recoded"), "FR22": ("2013", "FRE2", "recoded"),
    "FR23": ("2013", "FRD2", "recoded"), "FR24": ("2013", "FRB0", "recoded"),
    "FR25": ("2013", "FRD1", "recoded"), "FR26": ("2013", "FRC1", "recoded"),
    "FR30": ("2013", "FRE1", "recoded"), "FR41": ("2013", "FRF3", "recoded"),
    "FR42": ("2013", "FRF1", "recoded"), "FR43": ("2013", "FRC2", "recoded"),
    "FR51": ("2013", "FRG0", "recoded"), "FR52": ("2013", "FRH0", "recoded"),
    "FR53": ("2013", "FRI3", "recoded"), "FR61": ("2013", "FRI1", "recoded"),
    "FR62": ("2013", "FRJ2", "recoded"), "FR63": ("2013", "FRI2", "recoded"),
    "FR71": ("2013", "FRK2", "recoded"), "FR72": ("2013", "FRK1", "recoded"),
    "FR81": ("2013", "FRJ1", "recoded"), "FR82": ("2013", "FRL0", "recoded"),
    "FR83": ("2013", "FRM0", "recoded"), "FRA1": ("2013", "FRY1", "recoded"),
    "FRA2": ("2013", "FRY2", "recoded"), "FRA3": ("2013", "FRY3", "recoded"),
    "FRA4": ("2013", "FRY4", "recoded"), "FRA5": ("2013", "FRY5", "recoded"),
    "HU10": ("2013", "HU11 HU12", "split"),
    "IE01": ("2013", "IE04 IE06", "boundary change"),
    "IE02": ("2013", "IE05 IE06", "boundary change"),
    "LT00": ("2013", "LT01 LT02", "split"),
    "PL11": ("2013", "PL71", "recoded"), "PL12": ("2013", "PL91 PL92", "split"),
    "PL31": ("2013", "PL81", "recoded"), "PL32": ("2013", "PL82", "recoded"),
    "PL33": ("2013", "PL72", "recoded"), "PL34": ("2013", "PL84", "recoded"),
    "SI01": ("2013", "SI03", "recoded"), "SI02": ("2013", "SI04", "recoded"),
    "UKM2": ("2013", "UKM7 UKM9", "boundary change"),
    "UKM3": ("2013", "UKM8 UKM9", "boundary change"),
}
#: NUTS 2016 region codes in the indicator table that are not ranked (small or non-EU)
NUTS2016_UNRANKED = {"FI20", "ES63", "FRY5", "FRM0", "AL01", "AL02", "AL03", "CH01", "CH02", "CH03",
                     "CH04", "CH05", "CH06", "CH07", "IS00", "LI00", "ME00", "NO01", "NO02",
                     "NO03", "NO04", "NO05", "NO06", "NO07"}
AGGREGATES = {"EU15", "EU27", "EU28", "EA19", "EFTA"}
#: region names given where this package needs them (Hungary for notebook 04, Saarland,
#: and the countries that are one NUTS-2 region); other regions show their code
REGION_NAMES = {
    "HU10": ("Central Hungary (Közép-Magyarország)", "中匈牙利"),
    "HU11": ("Budapest", "布达佩斯"),
    "HU12": ("Pest", "佩斯"),
    "HU21": ("Central Transdanubia (Közép-Dunántúl)", "中外多瑙"),
    "HU22": ("Western Transdanubia (Nyugat-Dunántúl)", "西外多瑙"),
    "HU23": ("Southern Transdanubia (Dél-Dunántúl)", "南外多瑙"),
    "HU31": ("Northern Hungary (Észak-Magyarország)", "北匈牙利"),
    "HU32": ("Northern Great Plain (Észak-Alföld)", "北大平原"),
    "HU33": ("Southern Great Plain (Dél-Alföld)", "南大平原"),
    "DEC0": ("Saarland", "萨尔州"),
}


def repair_region_code(code: str) -> str:
    """Undo a spreadsheet's date conversion of a NUTS code (``Dec-00`` -> ``DEC0``)."""
    months = {"Jan": "JAN", "Feb": "FEB", "Mar": "MAR", "Apr": "APR", "May": "MAY",
              "Jun": "JUN", "Jul": "JUL", "Aug": "AUG", "Sep": "SEP", "Oct": "OCT",
              "Nov": "NOV", "Dec": "DEC"}
    m = re.fullmatch(r"([A-Z][a-z]{2})-0(\d)", code)
    if m and m.group(1) in months:
        return months[m.group(1)][:3] + m.group(2)
    return code


def region_kind(code: str, ranked: set[str]) -> str:
    if code in AGGREGATES:
        return "aggregate"
    if code.endswith("ZZ"):
        return "extra_regio"
    if code.endswith("XX"):
        return "not_regionalised"
    if code in ranked or code in NUTS2016_UNRANKED or code in NUTS_CHANGES:
        return "region"
    return "unknown"


def build_nuts2_regions(codes: list[str], ranked: set[str], countries: set[str]) -> pd.DataFrame:
    """One row per code of the Honti tables: country, kind, NUTS version, 2016 codes, names."""
    rows = []
    for code in sorted(set(codes)):
        kind = region_kind(code, ranked)
        version, new, change = NUTS_CHANGES.get(code, ("2016" if kind == "region" else "", "", ""))
        if kind == "region" and not new:
            new = code
        name_en, name_zh = REGION_NAMES.get(code, ("", ""))
        country = "" if kind == "aggregate" else code[:2]
        if kind == "unknown" or (country and country not in countries):
            country = country if country in countries else ""
        rows.append({"code": code, "country": country, "kind": kind, "nuts_version": version,
                     "nuts2016": new, "change": change, "name_en": name_en, "name_zh": name_zh})
    return pd.DataFrame(rows)


def build_honti_rankings(raw: pd.DataFrame) -> pd.DataFrame:
    """Honti's rankings with the code repaired and country / aggregate columns added."""
    region = raw["Regio"].astype(str).map(repair_region_code)
    return pd.DataFrame({
        "region": region,
        "country": np.where(region.isin(AGGREGATES), "", region.str[:2]),
        "aggregate": region.isin(AGGREGATES),
        "gdp_rank": raw["GDPrank"].astype(float),
        "promethee_rank": raw["PrometheeRank"].astype(float),
        "rii": pd.to_numeric(raw["RII"], errors="coerce"),
    })


def build_all(raw_dir: Path) -> dict[str, pd.DataFrame]:
    """Every file built from the raw downloads, by file name in datasets/."""
    honti = raw_dir / "honti2020_regional_i40_readiness"
    rankings = build_honti_rankings(pd.read_csv(honti / "rankings.csv", dtype=str))
    indicators = pd.read_csv(honti / "I40_indicator_db.csv", sep="\t", usecols=["NUTS2"])
    countries = set(pd.read_csv(DATASETS / "geo_countries.csv")["code"])
    ranked = set(rankings["region"])
    codes = list(ranked | set(indicators["NUTS2"].astype(str)))
    raw_size = pd.read_csv(raw_dir / "eurostat_isoc_e_dii_by_size_country.csv",
                           keep_default_na=False, dtype=str)
    return {
        "honti2020_rankings.csv": rankings,
        "geo_nuts2_regions.csv": build_nuts2_regions(codes, ranked, countries),
        "eurostat_dii_by_size.csv": _tidy_dii_by_size(raw_size),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--raw", type=Path, default=RAW)
    parser.add_argument("--check", action="store_true",
                        help="compare with the shipped files instead of writing them")
    args = parser.parse_args(argv)
    built = build_all(args.raw)
    differ = 0
    for name, frame in built.items():
        path = DATASETS / name
        if args.check:
            shipped = pd.read_csv(path, keep_default_na=False, dtype=str)
            rebuilt = pd.read_csv(io.StringIO(frame.to_csv(index=False)),
                                  keep_default_na=False, dtype=str)
            same = shipped.equals(rebuilt)
            differ += not same
            print(f"{name}: {'same' if same else 'DIFFERS'}")
        elif name != "eurostat_dii_by_size.csv":  # its column labels are kept as shipped
            frame.to_csv(path, index=False)
            print(f"wrote {path} ({len(frame)} rows)")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
