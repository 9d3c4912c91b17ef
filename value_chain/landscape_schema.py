"""The records of a landscape file and the catalogue of system types.

:class:`Landscape` is a whole landscape document, checked field by field:
:class:`System` (with level, domain and stage filled from the catalogue of system
types when left out), :class:`Partner` and :class:`Link`; the enterprise is the
shared :class:`~value_chain.enterprise.Enterprise`.  Checks that involve several
records (ids, link ends) live in :mod:`value_chain.landscape_checks`.

Examples
--------
>>> s = System(id="plc1", name="PLC line 1", type="plc")
>>> s.type, s.level, s.domain, s.stage
('PLC', 1, 'OT', 'production')
>>> Link(source="plc1", target="erp", mode="Batch").mode
'batch'
"""

from __future__ import annotations

import functools
import importlib.resources
import io
from collections.abc import Callable, Sequence
from typing import Annotated, Any

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator
from pydantic_core import PydanticCustomError

from value_chain.enterprise import Enterprise  # one record, shared with answers
from value_chain.safe_io import preview
from value_chain.vocabulary import DEPLOYMENTS, DOMAINS, LEVELS, MODES, ROLES, STAGES
from value_chain.vocabulary import token as _token

__all__ = ["Enterprise", "Landscape", "Link", "Partner", "System", "load_system_types"]


# --------------------------------------------------------------------------- catalogue


@functools.cache
def _catalogue() -> dict[str, dict[str, Any]]:
    text = (
        importlib.resources.files("value_chain")
        .joinpath("system_types.csv")
        .read_text(encoding="utf-8")
    )
    frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    out: dict[str, dict[str, Any]] = {}
    for row in frame.to_dict("records"):
        row["default_level"] = int(row["default_level"])
        assert row["default_level"] in LEVELS, row
        assert row["default_domain"] in DOMAINS, row
        assert row["default_stage"] in STAGES, row
        out[_token(row["type"])] = row
    return out


def load_system_types() -> pd.DataFrame:
    """The catalogue of system types with their default level, domain and stage.

    The catalogue ships with the package as ``value_chain/system_types.csv``;
    its ``source`` column says where each default comes from.

    Returns
    -------
    pandas.DataFrame
        One row per type, columns ``type, name_en, name_zh, default_level,
        default_domain, default_stage, source``.

    Examples
    --------
    >>> types = load_system_types().set_index("type")
    >>> row = types.loc["MES"]
    >>> int(row["default_level"]), row["default_domain"], row["default_stage"]
    (3, 'IT', 'production')
    >>> types.loc["PLC", "name_zh"]
    '可编程逻辑控制器'
    """
    return pd.DataFrame(list(_catalogue().values())).reset_index(drop=True)


# --------------------------------------------------------------------------- schema


def _pick(value: Any, allowed: Sequence[str], what: str, normalise: Callable[[str], str]) -> str:
    if isinstance(value, str):
        key = normalise(value)
        for choice in allowed:
            if normalise(choice) == key:
                return choice
    raise PydanticCustomError(
        "unknown_choice",
        "unknown {what} {value}; expected one of: {allowed}",
        {"what": what, "value": preview(value), "allowed": ", ".join(allowed)},
    )


def _choice_validator(field: str, allowed: Sequence[str], what: str):
    def check(cls, value: Any) -> Any:
        if value is None:
            return value
        return _pick(value, allowed, what, _token)

    return field_validator(field, mode="before")(check)


class _Spec(BaseModel):
    model_config = ConfigDict(
        frozen=True,
        extra="forbid",
        coerce_numbers_to_str=True,
        str_strip_whitespace=True,
    )


Id = Annotated[str, Field(min_length=1)]
Text = Annotated[str, Field(min_length=1)]


class System(_Spec):
    """One IT or OT system (ERP, MES, SCADA, PLC, machine ...).

    ``level``, ``domain`` and ``stage`` may be left out; they then come from
    the catalogue of system types (:func:`load_system_types`).  When ``level``
    is given but ``domain`` is not, the domain is OT for levels 0-2 and IT for
    levels 3-4.
    """

    id: Id
    name: Text
    type: str
    level: int | None = None
    domain: str | None = None
    stage: str | None = None
    deployment: str | None = None
    vendor: Text | None = None
    version: Text | None = None
    site: Text | None = None
    owner: Text | None = None
    notes: Text | None = None
    isolated: bool | None = None  # kept off the network on purpose (e.g. safety systems)
    cell: Text | None = None  # ISA-95 work centre or area; groups its devices as one function

    _domain = _choice_validator("domain", DOMAINS, "domain")
    _stage = _choice_validator("stage", STAGES, "stage")
    _deployment = _choice_validator("deployment", DEPLOYMENTS, "deployment")

    @model_validator(mode="before")
    @classmethod
    def _defaults(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        kind = data.get("type")
        entry = _catalogue().get(_token(kind)) if isinstance(kind, str) else None
        if entry is None:
            return data  # the type validator reports it
        data = dict(data)
        data["type"] = entry["type"]
        level_given = data.get("level") is not None
        if not level_given:
            data["level"] = entry["default_level"]
        if data.get("stage") is None:
            data["stage"] = entry["default_stage"]
        if data.get("domain") is None:
            if not level_given:
                data["domain"] = entry["default_domain"]
            elif isinstance(data["level"], int) and not isinstance(data["level"], bool):
                data["domain"] = "OT" if data["level"] <= 2 else "IT"
        return data

    @field_validator("type", mode="before")
    @classmethod
    def _known_type(cls, value: Any) -> Any:
        return _pick(value, [e["type"] for e in _catalogue().values()], "system type", _token)

    @field_validator("level", mode="before")
    @classmethod
    def _not_a_boolean(cls, value: Any) -> Any:
        if isinstance(value, bool):
            raise PydanticCustomError(
                "isa95_level_bool", "ISA-95 level must be a number 0-4, got {value}",
                {"value": value},
            )
        return value

    @field_validator("level")
    @classmethod
    def _isa95_level(cls, value: int | None) -> int | None:
        if value is not None and value not in LEVELS:
            raise PydanticCustomError(
                "isa95_level", "ISA-95 level must be 0-4, got {level}", {"level": value}
            )
        return value


class Partner(_Spec):
    """A partner outside the enterprise (supplier, customer, logistics ...)."""

    id: Id
    name: Text
    role: str
    location: Text | None = None
    notes: Text | None = None

    _role = _choice_validator("role", ROLES, "partner role")


class Link(_Spec):
    """A data link from ``source`` to ``target`` (ids of systems or partners)."""

    source: Id
    target: Id
    mode: str
    protocol: Text | None = None
    bidirectional: bool = False
    id: Id | None = None
    data: Text | None = None
    notes: Text | None = None

    _mode = _choice_validator("mode", MODES, "link mode")


class Landscape(_Spec):
    """A whole landscape file (checked field by field; cross-checks run separately)."""

    enterprise: Enterprise | None = None
    systems: tuple[System, ...]
    partners: tuple[Partner, ...] = ()
    links: tuple[Link, ...] = ()

    @field_validator("partners", "links", mode="before")
    @classmethod
    def _none_is_empty(cls, value: Any) -> Any:
        return () if value is None else value

    @field_validator("systems")
    @classmethod
    def _not_empty(cls, value: tuple[System, ...]) -> tuple[System, ...]:
        if not value:
            raise PydanticCustomError(
                "no_systems", "the landscape has no systems; list at least one"
            )
        return value
