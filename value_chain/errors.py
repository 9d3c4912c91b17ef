"""Problems found in user input, and the one error that lists them all.

Every reader in this project (landscapes, reference models, answers, action
catalogs) gathers *every* problem it finds before it fails, and reports each
with the file, the place in the file and the reason.  A consultant fixing a
file sees the whole list at once instead of one error per run.

Both packages use this module; ``value_chain`` is the lower layer, so it lives
here and ``maturity`` imports it.  Reading files (with limits, encodings and
duplicate keys) is :mod:`value_chain.safe_io`; this module only describes problems.

Examples
--------
>>> err = InputError([Problem("plant.yaml", "systems[2].level", "must be 0-4, got 7")])
>>> print(err)
1 problem in plant.yaml:
  - systems[2].level: must be 0-4, got 7
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import yaml
from pydantic import ValidationError

__all__ = [
    "InputError",
    "Problem",
    "format_location",
    "locate",
    "problems_from_validation",
    "validate_schema",
]


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input.

    ``source`` names the file (or ``"<data>"`` for in-memory input),
    ``location`` the place inside it (a YAML path such as ``items[3].text.zh``
    with its line, or ``sheet systems, row 5, column level``) and ``message``
    the reason in plain words.
    """

    source: str
    location: str
    message: str

    def __str__(self) -> str:
        where = f"{_short(self.location)}: " if self.location else ""
        return f"{self.source}: {where}{_short(self.message)}"


_LONGEST = 400  # characters of a location or message shown: a safety net under preview()


def _short(text: str) -> str:
    """A location or message cut to a readable length (values in it come from user files).

    >>> _short("x" * 1000)[-30:]
    'xxxxxxxxxxx… (1000 characters)'
    """
    text = str(text)
    return text if len(text) <= _LONGEST else f"{text[:_LONGEST]}… ({len(text)} characters)"


class InputError(ValueError):
    """Raised when an input has one or more problems; lists every one.

    The command-line interface turns it into a message and exit status 2.
    The message shows the first ``max_shown`` problems; ``.problems`` keeps all.
    """

    max_shown = 100

    def __init__(self, problems: Sequence[Problem]):
        if not problems:
            raise ValueError("InputError needs at least one problem")
        self.problems: tuple[Problem, ...] = tuple(problems)
        super().__init__(self._render())

    def _render(self) -> str:
        sources = list(dict.fromkeys(p.source for p in self.problems))
        n = len(self.problems)
        head = f"{n} problem{'s' if n != 1 else ''} in {', '.join(sources)}:"
        lines = []
        shown = self.problems[: self.max_shown]
        for p in shown:
            prefix = "" if len(sources) == 1 else f"{p.source}: "
            where = f"{_short(p.location)}: " if p.location else ""
            lines.append(f"  - {prefix}{where}{_short(p.message)}")
        hidden = n - len(shown)
        if hidden:
            lines.append(f"  ... and {hidden} more (see the error's .problems)")
        return "\n".join([head, *lines])

    def __str__(self) -> str:
        return self._render()


def format_location(loc: Iterable[Any]) -> str:
    """Turn a pydantic/JSON location tuple into a readable path.

    >>> format_location(("items", 3, "text", "zh"))
    'items[3].text.zh'
    >>> format_location(())
    ''
    """
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


def _line_of(node: yaml.Node | None, loc: Sequence[Any]) -> int | None:
    """Line (1-based) of the YAML node at ``loc``, or of the deepest parent found."""
    line = None
    for part in loc:
        if node is None:
            break
        line = node.start_mark.line + 1
        if isinstance(node, yaml.MappingNode):
            node = next((v for k, v in node.value if getattr(k, "value", None) == str(part)), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
            node = node.value[part] if 0 <= part < len(node.value) else None
        else:
            node = None
    if node is not None:
        line = node.start_mark.line + 1
    return line


def locate(loc: Sequence[Any], node: yaml.Node | None = None) -> str:
    """Readable location of ``loc``, with its YAML line when ``node`` is given.

    >>> node = yaml.compose("items:\\n  - id: a\\n  - id: b\\n")
    >>> locate(("items", 1, "id"), node)
    'items[1].id (line 3)'
    """
    where = format_location(loc)
    line = _line_of(node, loc) if node is not None else None
    if line is None:
        return where
    return f"{where} (line {line})" if where else f"line {line}"


def problems_from_validation(
    error: ValidationError,
    source: str,
    *,
    node: yaml.Node | None = None,
    prefix: Sequence[Any] = (),
) -> list[Problem]:
    """Convert a pydantic ``ValidationError`` into problems with locations.

    ``node`` is the composed YAML tree of the file, used to add line numbers;
    ``prefix`` is prepended to every location (for nested validation).
    """
    problems = []
    for e in error.errors(include_url=False):
        where = locate(tuple(prefix) + tuple(e["loc"]), node)
        msg = e["msg"]
        if e["type"] == "extra_forbidden":
            msg = "unknown field (check the spelling)"
        elif e["type"] == "missing":
            msg = "required field is missing"
        problems.append(Problem(source, where, msg))
    return problems


def validate_schema(schema, data: Any, source: str, node: yaml.Node | None = None, check=None):
    """Validate ``data`` with a pydantic ``schema``, then with ``check(obj, source, node)``.

    Raises one :class:`InputError` listing every problem: the schema's, or if the
    data fit the schema, the cross-reference problems ``check`` returns.
    """
    try:
        obj = schema.model_validate(data)
    except ValidationError as exc:
        raise InputError(problems_from_validation(exc, source, node=node)) from None
    problems = check(obj, source, node) if check else []
    if problems:
        raise InputError(problems)
    return obj
