"""The vocabularies of the project, stated once (``value_chain/vocabulary.yaml``), and the one
normaliser of the words a person types (system types, modes, roles, industry types...).

``IoT Platform``, ``iot-platform`` and ``iot_platform`` are the same system type everywhere:
in a landscape, an action catalog, a roadmap and a report.

Examples
--------
>>> token(" IoT  Platform "), token("on-premise"), token("first_pass_yield")
('iot_platform', 'on_premise', 'first_pass_yield')
>>> system_type("iot platform"), system_type("Plc"), system_type("fax machine") is None
('iot_platform', 'PLC', True)
>>> choice("Realtime", MODES), choice("wireless", MODES) is None
('realtime', True)
>>> INDUSTRY_TYPES, KPIS[:2]
(('discrete', 'process'), ('oee', 'downtime'))
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from functools import cache
from importlib import resources
from typing import Any

import yaml

__all__ = [
    "DEPLOYMENTS",
    "DOMAINS",
    "FOCUSES",
    "INDUSTRY_TYPES",
    "KPIS",
    "LEVELS",
    "MODES",
    "ROLES",
    "SIZES",
    "STAGES",
    "choice",
    "system_type",
    "system_types",
    "token",
]


def _load() -> dict[str, tuple]:
    text = (resources.files("value_chain") / "vocabulary.yaml").read_text(encoding="utf-8")
    return {key: tuple(values) for key, values in yaml.safe_load(text).items()}


_WORDS = _load()
LEVELS: tuple[int, ...] = _WORDS["levels"]
"""ISA-95 / IEC 62264 functional levels, 0 (the physical process) to 4 (business)."""
MODES: tuple[str, ...] = _WORDS["modes"]
DOMAINS: tuple[str, ...] = _WORDS["domains"]
STAGES: tuple[str, ...] = _WORDS["stages"]
DEPLOYMENTS: tuple[str, ...] = _WORDS["deployments"]
ROLES: tuple[str, ...] = _WORDS["roles"]
INDUSTRY_TYPES: tuple[str, ...] = _WORDS["industry_types"]
SIZES: tuple[str, ...] = _WORDS["sizes"]
KPIS: tuple[str, ...] = _WORDS["kpis"]
FOCUSES: tuple[str, ...] = _WORDS["focuses"]

_RUNS = re.compile(r"[\s\-_]+")


def token(value: Any) -> str:
    """The comparable form of a word: trimmed, lower-case, runs of spaces, hyphens and
    underscores as one underscore."""
    return _RUNS.sub("_", str(value).strip()).lower()


def choice(value: Any, allowed: Iterable[str]) -> str | None:
    """The spelling in ``allowed`` that ``value`` stands for, or None."""
    if not isinstance(value, str):
        return None
    key = token(value)
    return next((a for a in allowed if token(a) == key), None)


@cache
def system_types() -> tuple[str, ...]:
    """The system types of the catalogue ``value_chain/system_types.csv``, as spelt there."""
    text = (resources.files("value_chain") / "system_types.csv").read_text(encoding="utf-8")
    return tuple(row["type"] for row in csv.DictReader(io.StringIO(text)))


@cache
def _system_type_index() -> dict[str, str]:
    return {token(t): t for t in system_types()}


def system_type(value: Any) -> str | None:
    """The catalogue's spelling of a system type (``"iot platform"`` -> ``"iot_platform"``),
    or None when it is not in the catalogue."""
    return _system_type_index().get(token(value)) if isinstance(value, str) else None
