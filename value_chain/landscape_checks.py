"""Checking a landscape document: every problem found at once, each with its place.

:func:`check_landscape` validates a document (as read from YAML, JSON, a workbook or
GraphML) against :class:`~value_chain.landscape_schema.Landscape`, adds the problems
that involve several records (repeated ids, unknown link ends, self-loops) and raises
one :class:`~value_chain.errors.InputError` listing them in file order.  A *locator*
turns a place in the document (``("links", 2, "mode")``) into words for the reader:
``links[2].mode (line 9)`` for YAML, ``sheet links, row 4, column mode`` for tables.

Examples
--------
>>> check_landscape({"systems": [{"id": "a", "name": "A", "type": "ERP"}],
...                  "links": [{"source": "a", "target": "b", "mode": "batch"}]},
...                 "<data>", yaml_locator(None))
Traceback (most recent call last):
...
value_chain.errors.InputError: 1 problem in <data>:
  - links[0].target: unknown id 'b': no system or partner has this id
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Mapping, Sequence, Sized
from typing import Any

import yaml
from pydantic import ValidationError

from value_chain.errors import InputError, Problem, format_location, locate
from value_chain.landscape_schema import Landscape
from value_chain.safe_io import LIMITS, look_alikes, preview

__all__ = ["SECTIONS", "Loc", "Locate", "check_landscape", "table_locator", "yaml_locator"]

SECTIONS: tuple[str, ...] = ("enterprise", "systems", "partners", "links")

Loc = tuple[Any, ...]
Locate = Callable[[Loc], str]


def _message(error: Mapping[str, Any]) -> str:
    if error["type"] == "extra_forbidden":
        return "unknown field (check the spelling)"
    if error["type"] == "missing":
        return "required field is missing"
    return str(error["msg"])


def _key(value: Any) -> str | None:
    """An id as text, or None when it is not a text or number (the schema reports it)."""
    if isinstance(value, str | int | float) and not isinstance(value, bool):
        return str(value).strip()
    return None


def _cross_problems(data: Mapping[str, Any], locate: Locate) -> list[tuple[Loc, str]]:
    """Problems that involve more than one record: ids, link ends, self-loops."""
    out: list[tuple[Loc, str]] = []
    seen: dict[str, Loc] = {}
    for section in ("systems", "partners"):
        items = data.get(section)
        if not isinstance(items, list):
            continue
        for i, rec in enumerate(items):
            if not isinstance(rec, Mapping) or _key(rec.get("id")) is None:
                continue
            rid = _key(rec["id"])
            loc = (section, i, "id")
            if rid in seen:
                out.append(
                    (loc, f"duplicate id {preview(rid)} (already used at {locate(seen[rid])})")
                )
            else:
                seen[rid] = loc
    links = data.get("links")
    link_ids: dict[str, Loc] = {}
    for i, rec in enumerate(links if isinstance(links, list) else []):
        if not isinstance(rec, Mapping):
            continue
        ends = {}
        for end in ("source", "target"):
            value = _key(rec.get(end))
            if value is None:
                continue
            ends[end] = value
            if ends[end] not in seen:
                out.append(
                    (
                        ("links", i, end),
                        f"unknown id {preview(value)}: no system or partner has this id",
                    )
                )
        if len(ends) == 2 and ends["source"] == ends["target"]:
            out.append(
                (("links", i, "target"),
                 f"self-loop: link from {preview(ends['source'])} to itself")
            )
        lid = _key(rec.get("id"))
        if lid is not None:
            if lid in link_ids:
                out.append(
                    (
                        ("links", i, "id"),
                        f"duplicate link id {preview(lid)} "
                        f"(already used at {locate(link_ids[lid])})",
                    )
                )
            else:
                link_ids[lid] = ("links", i, "id")
    return out


def _order(loc: Loc) -> tuple[int, int]:
    section = SECTIONS.index(loc[0]) if loc and loc[0] in SECTIONS else -1
    row = loc[1] if len(loc) > 1 and isinstance(loc[1], int) else -1
    return section, row


def check_landscape(data: Any, source: str, locate: Locate) -> Landscape:
    """Validate a landscape document; raise one InputError listing every problem."""
    if not isinstance(data, Mapping):
        what = "empty file" if data is None else f"a {type(data).__name__}"
        raise InputError(
            [
                Problem(
                    source,
                    "",
                    "expected a mapping with keys enterprise, systems, partners, links; "
                    f"got {what}",
                )
            ]
        )
    for section in ("systems", "partners", "links"):
        items = data.get(section)
        if isinstance(items, Sized) and len(items) > LIMITS.records:
            raise InputError(
                [
                    Problem(
                        source,
                        locate((section,)),
                        f"{len(items):,} {section}; the limit is {LIMITS.records:,}",
                    )
                ]
            )
    found: list[tuple[Loc, str]] = []
    spec = None
    try:
        spec = Landscape.model_validate(dict(data))
    except ValidationError as exc:
        found += [(tuple(e["loc"]), _message(e)) for e in exc.errors(include_url=False)]
    found += _cross_problems(data, locate)
    if found:
        found.sort(key=lambda item: _order(item[0]))
        raise InputError([Problem(source, locate(loc), msg) for loc, msg in found])
    assert spec is not None
    _warn_look_alikes(spec, source)
    return spec


def _warn_look_alikes(spec: Landscape, source: str) -> None:
    """Warn (naming both) about ids that differ only by look-alike letters: ``еrp``/``erp``."""
    ids = [s.id for s in spec.systems] + [p.id for p in spec.partners]
    for first, second in look_alikes(ids):
        warnings.warn(
            f"{source}: ids {preview(first)} and {preview(second)} look alike but differ "
            f"({first!a} vs {second!a}); two systems, or one typed twice?",
            UserWarning,
            stacklevel=4,
        )


def yaml_locator(node: yaml.Node | None) -> Locate:
    def _locate(loc: Loc) -> str:
        return locate(loc, node)

    return _locate


def table_locator(kind: str, rows: Mapping[str, Sequence[Any]]) -> Locate:
    """Locations in tables: ``sheet links, row 4, column mode``.

    ``rows[section][i]`` is the row label (xlsx: the 1-based spreadsheet row)
    of the i-th record of the section.
    """

    def locate(loc: Loc) -> str:
        if not loc:
            return ""
        section = loc[0]
        if section == "enterprise":
            parts = [f"{kind} enterprise"]
            if len(loc) > 1:
                field = loc[1]
                row = rows.get("enterprise_fields", {}).get(field)  # type: ignore[union-attr]
                if row is not None:
                    parts.append(f"row {row}")
                parts.append(f"field {field}")
            return ", ".join(parts)
        parts = [f"{kind} {section}"]
        if len(loc) > 1 and isinstance(loc[1], int):
            labels = rows.get(section, ())
            label = labels[loc[1]] if loc[1] < len(labels) else loc[1]
            parts.append(f"row {label}")
        if len(loc) > 2:
            parts.append(f"column {format_location(loc[2:])}")
        return ", ".join(parts)

    return locate
