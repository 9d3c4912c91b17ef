"""The report's sector peers: the enterprise's sector as the bundled synthetic CMMM population
names it, and the scored assessments of its peers there (read and scored once per process).

>>> match_sector("General Machinery", ["general_machinery", "textiles"])
'general_machinery'
>>> match_sector("bakery", ["general_machinery"]) is None
True
"""

from __future__ import annotations

from functools import cache

import pandas as pd

from maturity.catalogue import load_dataset
from maturity.population import population_config
from maturity.reference_model import load_model
from maturity.scoring import score_frame
from value_chain.vocabulary import token

__all__ = ["match_sector", "peers", "population_config"]

POPULATION = "synthetic_cmmm_population_2022"


def match_sector(sector: str | None, known) -> str | None:
    """The population sector an enterprise's sector names: its id (``general_machinery``),
    matched after normalising case, spaces and hyphens; None if it is not one of them."""
    if not sector:
        return None
    key = token(sector)
    return next((s for s in known if token(s) == key), None)


@cache
def _population() -> pd.DataFrame:
    frame = load_dataset(POPULATION)
    # without its metadata: pandas deep-copies ``attrs`` into every column and slice taken
    # (scoring the peers took 0.6 s more with the 30 KB of metadata attached)
    frame.attrs = {}
    return frame


@cache
def _scored(sector: str | None) -> pd.DataFrame:
    population = _population()
    rows = population[population["sector"] == sector] if sector else population
    return score_frame(load_model("cmmm"), rows.reset_index(drop=True))


def peers(sector: str | None) -> tuple[str | None, pd.DataFrame]:
    """The enterprise's sector as the synthetic population names it (None if it is not one
    of them) and the scored CMMM assessments of its peers there (everyone without a sector).
    Only the peers are scored: a tenth of the population for one sector."""
    sector = match_sector(sector, _population()["sector"].unique())
    return sector, _scored(sector)
