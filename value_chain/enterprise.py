"""The enterprise: one record for who is described, in a landscape file and in an answers file.

Examples
--------
>>> e = Enterprise(name=" 江南纺机 ", industry_type="Discrete", size=120)
>>> e.name, e.industry_type, e.size
('江南纺机', 'discrete', '120')
>>> Enterprise(revenue="80000000").revenue
80000000.0
>>> Enterprise(industry_type="hybrid")
Traceback (most recent call last):
...
pydantic_core._pydantic_core.ValidationError: 1 validation error for Enterprise
industry_type
  unknown industry type 'hybrid'; expected one of: discrete, process ...
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, field_validator
from pydantic_core import PydanticCustomError

from value_chain.vocabulary import INDUSTRY_TYPES, choice

__all__ = ["Enterprise"]

Text = Annotated[str, Field(min_length=1)]


class Enterprise(BaseModel):
    """Who the enterprise is. ``industry_type`` (discrete or process) selects the CMMM weights;
    it is matched whatever its case and spacing. Numbers given for text fields become text."""

    model_config = ConfigDict(frozen=True, extra="forbid", coerce_numbers_to_str=True,
                              str_strip_whitespace=True)

    name: Text | None = None
    sector: Text | None = None
    size: Text | None = None
    industry_type: str | None = None
    region: Text | None = None
    site: Text | None = None
    year: int | None = None
    notes: Text | None = None
    # yearly revenue in the currency of the plan, for a roadmap's business case in money
    revenue: float | None = Field(default=None, gt=0, allow_inf_nan=False)

    @field_validator("industry_type", mode="before")
    @classmethod
    def _known_industry_type(cls, value: Any) -> Any:
        if value is None:
            return value
        found = choice(value, INDUSTRY_TYPES)
        if found is None:
            raise PydanticCustomError(
                "unknown_choice", "unknown {what} {value}; expected one of: {allowed}",
                {"what": "industry type", "value": repr(value),
                 "allowed": ", ".join(INDUSTRY_TYPES)})
        return found
