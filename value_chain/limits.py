"""Every limit on user input, stated once, and the one safe way to show an input value.

The README's *Formats* section lists these limits; readers refuse anything beyond them with
:class:`~value_chain.errors.InputError` naming the file, the place and the limit.

Examples
--------
>>> LIMITS.depth
50
>>> preview("x" * 500)
"'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx…' (500 characters)"
>>> preview([[1, 2], [3]])
'a list of 2 entries'
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

__all__ = ["LIMITS", "Limits", "preview"]


# --------------------------------------------------------------------------- limits


@dataclass(frozen=True)
class Limits:
    """Every limit on user input, stated once (the README's *Formats* section lists them)."""

    file_bytes: int = 50_000_000
    """Size of any input file on disk (YAML, JSON, CSV, GraphML, xlsx)."""
    unpacked_bytes: int = 200_000_000
    """Sum of the unpacked parts of an xlsx workbook (a zip file)."""
    depth: int = 50
    """Nesting depth of YAML and JSON (mappings and lists inside each other)."""
    values: int = 1_000_000
    """Values in one YAML or JSON document, counting every YAML alias as a full copy."""
    text_chars: int = 100_000
    """Characters in one text value, CSV field or workbook cell."""
    number_digits: int = 30
    """Digits of one whole number in YAML or JSON."""
    rows: int = 1_000_000
    """Rows of one CSV table or workbook sheet."""
    records: int = 100_000
    """Systems, partners or links in one landscape."""
    phases: int = 50
    """Phases of one roadmap (``maturity roadmap`` / ``report --phases``)."""
    actions: int = 2_000
    """Actions in one action catalog."""
    preview_chars: int = 50
    """Characters of an input value shown in a message."""


LIMITS = Limits()


# --------------------------------------------------------------------------- messages


def preview(value: Any, limit: int | None = None) -> str:
    """A short, safe rendering of an input value for a message; never expands containers.

    >>> preview("plc1"), preview(True), preview(None), preview({"a": 1})
    ("'plc1'", 'True', 'None', 'a mapping of 1 entry')
    """
    limit = LIMITS.preview_chars if limit is None else limit
    if isinstance(value, str):
        text = value if len(value) <= limit else value[: limit - 1] + "…"
        shown = repr(text).encode("utf-8", "backslashreplace").decode("utf-8")
        return shown if len(value) <= limit else f"{shown} ({len(value)} characters)"
    if isinstance(value, bool) or value is None:
        return str(value)
    if isinstance(value, int):
        digits = len(str(abs(value))) if abs(value) < 10**limit else None
        return str(value) if digits is not None else f"a number of more than {limit} digits"
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, dict):
        n = len(value)
        return f"a mapping of {n} entr{'y' if n == 1 else 'ies'}"
    if isinstance(value, list | tuple | set):
        n = len(value)
        return f"a list of {n} entr{'y' if n == 1 else 'ies'}"
    return f"a {type(value).__name__}"
