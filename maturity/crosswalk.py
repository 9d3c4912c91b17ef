"""Place a level of one reference model on the scale of another (our reading, as data).

The ladder in ``crosswalk.yaml`` lines up CMMM levels, acatech stages, IMPULS
stages, SIRI bands (of its integration dimensions), EU DMA levels and the
industrial-internet levels step by step. A level maps to the steps where the
source model has that level; the result is the lowest and highest level the
target model has on those steps. Scales that are not a step of integration
(SIRI's intelligence bands) are placed directly on another scale
(:func:`place_band`).

Examples
--------
>>> place_level(3, "cmmm", "acatech")
(2, 3)
>>> place_level(6, "acatech", "cmmm")
(5, 5)
>>> place_level(2, "siri", "cmmm")
(2, 2)
>>> place_band(3, "siri_intelligence")  # diagnostic -> transparency
4
"""

from __future__ import annotations

from functools import cache
from importlib import resources

import pandas as pd
import yaml
from pydantic import BaseModel, ConfigDict

from maturity.reference_model import Text
from value_chain.errors import InputError, Problem

__all__ = ["crosswalk_frame", "load_crosswalk", "place_band", "place_level"]


class Step(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    step: Text
    levels: dict[str, int]


class BandMap(BaseModel):
    """One model's scale placed directly on another's (level -> level)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: Text
    source: str
    dimensions: list[str]
    target: str
    levels: dict[int, int]


class Crosswalk(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    notes: Text
    dimensions: dict[str, list[str]]
    ladder: list[Step]
    bands: dict[str, BandMap] = {}

    def models(self) -> list[str]:
        return list(self.ladder[0].levels)


@cache
def load_crosswalk() -> Crosswalk:
    """The bundled crosswalk table."""
    text = (resources.files("maturity") / "crosswalk.yaml").read_text(encoding="utf-8")
    return Crosswalk.model_validate(yaml.safe_load(text))


def crosswalk_frame(lang: str = "en") -> pd.DataFrame:
    """The ladder as a table: one row per step, one column per model."""
    cw = load_crosswalk()
    rows = [{"step": r.step(lang), **r.levels} for r in cw.ladder]
    return pd.DataFrame(rows)


def place_level(level: float, source: str, target: str) -> tuple[int, int]:
    """Lowest and highest ``target`` level equivalent to ``level`` of ``source``.

    A fractional level (a score) is placed by its integer part (conservative).
    """
    cw = load_crosswalk()
    for m in (source, target):
        if m not in cw.models():
            raise InputError([Problem("crosswalk", "", f"no crosswalk for model {m!r}; "
                                      f"known: {', '.join(cw.models())}")])
    lv = int(level)
    rows = [r.levels for r in cw.ladder if r.levels[source] == lv]
    if not rows:  # between or beyond the steps: take the nearest lower step
        lower = [r.levels for r in cw.ladder if r.levels[source] <= lv]
        rows = [max(lower, key=lambda r: r[source])] if lower else [cw.ladder[0].levels]
    values = [r[target] for r in rows]
    return min(values), max(values)


def place_band(level: int, mapping: str) -> int | None:
    """The target level of ``level`` in a direct mapping of ``crosswalk.yaml`` ``bands``
    (None where the mapping places no level there)."""
    cw = load_crosswalk()
    if mapping not in cw.bands:
        raise InputError([Problem("crosswalk", "", f"no band mapping {mapping!r}; "
                                  f"known: {', '.join(cw.bands)}")])
    return cw.bands[mapping].levels.get(int(level))
