"""Safe input and output: bounded reading of user files and atomic, checked writing.

Every reader of user files in both packages goes through this module, so a hostile or
broken file always ends in one :class:`~value_chain.errors.InputError` naming the file,
the place and the reason, within bounded time and memory:

- :data:`LIMITS` states every limit once (file size, nesting depth, values after YAML
  alias expansion, text length, rows, phases, actions); the README's *Formats* section
  lists them.
- :func:`read_text` detects the encoding of a text file: UTF-8 with or without BOM,
  UTF-16/UTF-32 with BOM, else GB18030 (a superset of GBK, the encoding of Chinese
  Windows); anything else is refused with its line.
- :func:`read_mapping` reads YAML or JSON with the limits above, and reports duplicate
  keys and lone surrogates instead of dropping or passing them on.
- :func:`preview` is the only way a message shows an input value: short, never expanded.
- :func:`atomic_write` writes to a temporary file in the target folder and renames it into
  place only when complete; :func:`check_output` refuses an output path before any work
  starts (missing folder, a folder, not writable, or one of the command's inputs).
- :func:`neutralise_formula`, :func:`clean_text` and :func:`set_cell` keep formulas from
  user text out of written spreadsheets and CSVs, and control characters out of workbooks.
- :func:`look_alikes` finds ids that differ only by look-alike letters (Cyrillic ``е``).

The offline self-check of generated HTML is :mod:`value_chain.offline`.

Examples
--------
>>> preview("x" * 500)
"'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx…' (500 characters)"
>>> preview([[1, 2], [3]])
'a list of 2 entries'
>>> neutralise_formula("=HYPERLINK(1)"), neutralise_formula("ERP")
("'=HYPERLINK(1)", 'ERP')
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import gzip
import io
import json
import os
import re
import tempfile
import unicodedata
import warnings
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from value_chain.errors import InputError, Problem

__all__ = [
    "LIMITS",
    "Limits",
    "atomic_write",
    "check_file",
    "check_output",
    "check_workbook",
    "clean_text",
    "csv_encodings",
    "csv_writer",
    "decode",
    "dump_yaml",
    "look_alikes",
    "neutralise_formula",
    "preview",
    "read_bytes",
    "read_csv_rows",
    "read_mapping",
    "read_text",
    "restore_formula",
    "set_cell",
]


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


def _line_of_offset(data: bytes | str, offset: int) -> str:
    """``line L, column C`` (1-based) of an offset."""
    nl = b"\n" if isinstance(data, bytes) else "\n"
    start = data.rfind(nl, 0, offset) + 1
    return f"line {data.count(nl, 0, offset) + 1}, column {offset - start + 1}"


# --------------------------------------------------------------------------- reading text


_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_SURROGATE = re.compile("[\ud800-\udfff]")


def decode(data: bytes, source: str) -> str:
    """Text of a file's bytes: UTF-8 (BOM or not), UTF-16/32 with BOM, else GB18030/GBK.

    >>> decode("质量".encode("gbk"), "a.csv"), decode("质量".encode("utf-16"), "a.csv")
    ('质量', '质量')
    >>> decode(b"caf\\xe9 ok", "a.csv")
    Traceback (most recent call last):
    ...
    value_chain.errors.InputError: 1 problem in a.csv:
      - line 1, column 4: the text is neither UTF-8, UTF-16 with a BOM nor GB18030/GBK; ...
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError as exc:
                where = _line_of_offset(data, exc.start)
                raise InputError(
                    [Problem(source, where, f"broken {encoding.upper()} text ({exc.reason})")]
                ) from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        first_bad = exc.start
    if b"\x00" in data:
        where = _line_of_offset(data, data.index(b"\x00"))
        raise InputError(
            [Problem(source, where, "looks like UTF-16 without a BOM; save it as UTF-8")]
        )
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError:
        where = _line_of_offset(data, first_bad)
        raise InputError(
            [
                Problem(
                    source,
                    where,
                    "the text is neither UTF-8, UTF-16 with a BOM nor GB18030/GBK; "
                    "save it as UTF-8",
                )
            ]
        ) from None


def check_file(path: str | Path, limit: int | None = None) -> int:
    """The size of an input file; refused if missing, a folder, or over the size limit."""
    path = Path(path)
    source = str(path)
    limit = LIMITS.file_bytes if limit is None else limit
    try:
        if not path.is_file():
            what = "is a folder, not a file" if path.is_dir() else "file not found"
            raise InputError([Problem(source, "", what)])
        size = path.stat().st_size
    except OSError as exc:
        raise InputError([Problem(source, "", f"cannot read the file ({exc.strerror})")]) from None
    if size > limit:
        raise InputError(
            [Problem(source, "", f"the file has {size:,} bytes; the limit is {limit:,}")]
        )
    return size


def read_bytes(path: str | Path) -> bytes:
    """The bytes of an input file, refused if missing or over :attr:`Limits.file_bytes`."""
    path = Path(path)
    check_file(path)
    try:
        return path.read_bytes()
    except OSError as exc:
        reason = f"cannot read the file ({exc.strerror})"
        raise InputError([Problem(str(path), "", reason)]) from None


def csv_encodings(path: str | Path) -> list[str]:
    """Encodings to try, in order, for a CSV another library reads (pandas): by BOM, else
    UTF-8 then GB18030/GBK."""
    opener = gzip.open if str(path).lower().endswith(".gz") else open
    try:
        with opener(path, "rb") as fh:
            head = fh.read(4)
    except (OSError, EOFError):
        return ["utf-8"]  # the reader reports the broken file
    for bom, encoding in _BOMS:
        if head.startswith(bom):
            return [encoding]
    return ["utf-8", "gb18030"]


def read_text(path: str | Path) -> str:
    """The text of an input file in any accepted encoding (see :func:`decode`)."""
    return decode(read_bytes(path), str(path))


def _check_text(value: str, source: str, where: str) -> None:
    if len(value) > LIMITS.text_chars:
        raise InputError(
            [
                Problem(
                    source,
                    where,
                    f"a text of {len(value):,} characters; the limit is {LIMITS.text_chars:,}",
                )
            ]
        )
    if _SURROGATE.search(value):
        raise InputError(
            [Problem(source, where, "text holds a lone surrogate (\\ud800-\\udfff): not Unicode")]
        )


def read_csv_rows(path: str | Path) -> Iterator[tuple[int, list[str]]]:
    """Rows of a CSV file with their 1-based line numbers, within the limits.

    Encodings as :func:`read_text`; an over-long field, too many rows or a broken quote
    raise :class:`InputError` with the row.
    """
    source = str(path)
    text = read_text(path)
    reader = csv.reader(io.StringIO(text, newline=""))
    n = 0
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            reason = str(exc)
            if "field larger than" in reason:
                reason = f"a field is longer than {LIMITS.text_chars:,} characters (the limit)"
            raise InputError([Problem(source, f"row {reader.line_num}", reason)]) from None
        n += 1
        if n > LIMITS.rows:
            raise InputError([Problem(source, f"row {n}", f"more than {LIMITS.rows:,} rows")])
        for value in row:
            _check_text(value, source, f"row {reader.line_num}")
        yield reader.line_num, row


csv.field_size_limit(max(csv.field_size_limit(), LIMITS.text_chars + 1))


# --------------------------------------------------------------------------- YAML and JSON

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_NUMBER = re.compile(r"[-+]?[0-9_]+")


def _yaml_where(mark: Any) -> str:
    return f"line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""


class _Frame:
    __slots__ = ("anchor", "expect_key", "keys", "mapping", "size")

    def __init__(self, mapping: bool, anchor: str | None):
        self.mapping = mapping
        self.anchor = anchor
        self.keys: dict[str, int] = {}
        self.expect_key = True
        self.size = 1


def _scan_yaml(text: str, source: str) -> list[Problem]:
    """Check YAML events before building anything: depth, alias expansion, text, keys.

    Iterative (no recursion), so any nesting is refused rather than overflowing the stack.
    Returns the duplicate keys found (reported by the caller with every other problem);
    raises at once for a limit.
    """
    stack: list[_Frame] = []
    anchors: dict[str, int] = {}
    total = 0
    duplicates: list[Problem] = []

    def begin_value(event: Any, key: str | None) -> None:
        if not stack:
            return
        top = stack[-1]
        if top.mapping:
            if top.expect_key and key is not None:
                line = event.start_mark.line + 1
                if key in top.keys:
                    duplicates.append(
                        Problem(
                            source,
                            f"line {line}",
                            f"duplicate key {preview(key)} (already on line {top.keys[key]}); "
                            "the earlier value would be lost",
                        )
                    )
                else:
                    top.keys[key] = line
            top.expect_key = not top.expect_key

    def add(size: int, mark: Any) -> None:
        nonlocal total
        if stack:
            stack[-1].size += size
        total += size
        if total > LIMITS.values:
            raise InputError(
                [
                    Problem(
                        source,
                        _yaml_where(mark),
                        f"more than {LIMITS.values:,} values once aliases (*name) are expanded; "
                        "an alias bomb?",
                    )
                ]
            )

    for event in yaml.parse(text, Loader=_LOADER):
        if isinstance(event, yaml.ScalarEvent):
            _check_text(event.value, source, _yaml_where(event.start_mark))
            if (
                event.style is None
                and len(event.value) > LIMITS.number_digits
                and _NUMBER.fullmatch(event.value)
            ):
                raise InputError(
                    [
                        Problem(
                            source,
                            _yaml_where(event.start_mark),
                            f"a number of {len(event.value)} digits; the limit is "
                            f"{LIMITS.number_digits}",
                        )
                    ]
                )
            begin_value(event, event.value)
            if event.anchor:
                anchors[event.anchor] = 1
            add(1, event.start_mark)
        elif isinstance(event, yaml.AliasEvent):
            begin_value(event, None)
            add(anchors.get(event.anchor, 1), event.start_mark)
        elif isinstance(event, yaml.SequenceStartEvent | yaml.MappingStartEvent):
            begin_value(event, None)
            if len(stack) >= LIMITS.depth:
                raise InputError(
                    [
                        Problem(
                            source,
                            _yaml_where(event.start_mark),
                            f"nested more than {LIMITS.depth} levels deep",
                        )
                    ]
                )
            stack.append(_Frame(isinstance(event, yaml.MappingStartEvent), event.anchor))
        elif isinstance(event, yaml.SequenceEndEvent | yaml.MappingEndEvent):
            frame = stack.pop()
            if frame.anchor:
                anchors[frame.anchor] = frame.size
            if stack:
                stack[-1].size += frame.size
            total += 1
    return duplicates


def _yaml_problem(exc: yaml.YAMLError, text: str, source: str) -> Problem:
    if _LOADER is not yaml.SafeLoader:  # libyaml words it differently: ask PyYAML's own parser
        try:
            yaml.compose(text, Loader=yaml.SafeLoader)
        except yaml.YAMLError as again:
            exc = again
        except (RecursionError, ValueError):
            pass
    mark = getattr(exc, "problem_mark", None)
    reason = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    return Problem(source, _yaml_where(mark), f"invalid YAML: {reason}")


def _load_yaml(text: str, source: str) -> tuple[Any, yaml.Node | None]:
    try:
        duplicates = _scan_yaml(text, source)
        loader = _LOADER(text)
        try:
            node = loader.get_single_node()
            data = loader.construct_document(node) if node is not None else None
        finally:
            loader.dispose()
    except InputError:
        raise
    except yaml.YAMLError as exc:
        raise InputError([_yaml_problem(exc, text, source)]) from None
    except (ValueError, RecursionError, MemoryError) as exc:  # e.g. a number Python refuses
        reason = str(exc).splitlines()[0][:120] if str(exc) else type(exc).__name__
        raise InputError([Problem(source, "", f"invalid YAML: {reason}")]) from None
    if duplicates:
        raise InputError(duplicates)
    return data, node


class _Duplicates:
    """``object_pairs_hook`` that notes every repeated key (reported, never silently merged)."""

    def __init__(self) -> None:
        self.found: list[tuple[int, str]] = []

    def __call__(self, pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, value in pairs:
            if key in out:
                self.found.append((id(out), key))
            out[key] = value
        return out


def _json_int(text: str) -> int:
    if len(text.lstrip("-")) > LIMITS.number_digits:
        raise ValueError(f"a number of {len(text)} digits; the limit is {LIMITS.number_digits}")
    return int(text)


def _json_constant(name: str) -> float:
    raise ValueError(f"{name} is not a JSON number")


_JSON_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]', re.S)


def _json_too_deep(text: str) -> int | None:
    """Offset where JSON nesting first exceeds the limit (regex scan, no recursion)."""
    depth = 0
    for m in _JSON_TOKEN.finditer(text):
        c = m.group()[0]
        if c in "[{":
            depth += 1
            if depth > LIMITS.depth:
                return m.start()
        elif c in "]}":
            depth -= 1
    return None


def _walk(data: Any) -> Iterator[tuple[tuple[Any, ...], Any]]:
    """Every value of a JSON document with its path, iteratively."""
    stack: list[tuple[tuple[Any, ...], Any]] = [((), data)]
    while stack:
        path, value = stack.pop()
        yield path, value
        if isinstance(value, dict):
            stack.extend(((*path, k), v) for k, v in reversed(value.items()))
        elif isinstance(value, list):
            stack.extend(((*path, i), v) for i, v in reversed(list(enumerate(value))))


def _json_path(path: Sequence[Any]) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else ("." if out else "") + str(part)[:40]
    return out


def _load_json(text: str, source: str) -> Any:
    deep = _json_too_deep(text)
    if deep is not None:
        raise InputError(
            [
                Problem(
                    source,
                    _line_of_offset(text, deep),
                    f"nested more than {LIMITS.depth} levels deep",
                )
            ]
        )
    hook = _Duplicates()
    try:
        data = json.loads(
            text, object_pairs_hook=hook, parse_int=_json_int, parse_constant=_json_constant
        )
    except json.JSONDecodeError as exc:
        loc = f"line {exc.lineno}, column {exc.colno}"
        raise InputError([Problem(source, loc, f"invalid JSON: {exc.msg}")]) from None
    except (ValueError, RecursionError, MemoryError) as exc:
        reason = str(exc).splitlines()[0][:120] if str(exc) else type(exc).__name__
        long_number = re.search(f"[0-9]{{{LIMITS.number_digits + 1},}}", text)
        where = _line_of_offset(text, long_number.start()) if long_number else ""
        raise InputError([Problem(source, where, f"invalid JSON: {reason}")]) from None
    problems: list[Problem] = []
    owners = {key for key, _ in hook.found}
    paths: dict[int, tuple[Any, ...]] = {}
    for count, (path, value) in enumerate(_walk(data), start=1):
        if count > LIMITS.values:
            raise InputError([Problem(source, "", f"more than {LIMITS.values:,} values")])
        if isinstance(value, str):
            _check_text(value, source, _json_path(path))
        elif isinstance(value, dict):
            for key in value:
                _check_text(key, source, _json_path(path))
            if id(value) in owners:
                paths[id(value)] = path
    for owner, key in hook.found:
        where = _json_path((*paths.get(owner, ()), key))
        problems.append(
            Problem(source, where, "duplicate key; the earlier value would be lost")
        )
    if problems:
        raise InputError(problems)
    return data


def read_mapping(path: str | Path) -> tuple[Any, yaml.Node | None]:
    """Read a YAML or JSON file within :data:`LIMITS`; return its data and (YAML) node tree.

    Raises :class:`InputError` naming the file and the line when the file is missing,
    too large, in an unknown encoding, cannot be parsed, nests too deeply, expands
    aliases beyond the limit, holds an over-long text or repeats a key.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "a.yaml"
    >>> _ = f.write_text("model: cmmm\\nmodel: siri\\n", encoding="utf-8")
    >>> read_mapping(f)
    Traceback (most recent call last):
    ...
    value_chain.errors.InputError: 1 problem in .../a.yaml:
      - line 2: duplicate key 'model' (already on line 1); the earlier value would be lost
    """
    path = Path(path)
    source = str(path)
    text = read_text(path)
    if text.startswith("\ufeff"):
        text = text[1:]
    if path.suffix.lower() == ".json":
        return _load_json(text, source), None
    return _load_yaml(text, source)


def loads_mapping(text: str, source: str, *, json_format: bool = False) -> tuple[Any, Any]:
    """Like :func:`read_mapping` for text already in memory."""
    if json_format:
        return _load_json(text, source), None
    return _load_yaml(text, source)


class _Dumper(yaml.SafeDumper):
    """Safe YAML with line separators (U+0085, U+2028, U+2029) kept, not read back as spaces."""


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = '"' if any(ch in value for ch in "\x85\u2028\u2029") else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _represent_str)


def dump_yaml(data: Any) -> str:
    r"""YAML text of ``data`` that reads back equal (Unicode kept, line separators quoted).

    >>> text = dump_yaml({"name": "a\x85b"})
    >>> text, yaml.safe_load(text) == {"name": "a\x85b"}
    ('name: "a\\Nb"\n', True)
    """
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100)


# --------------------------------------------------------------------------- workbooks


def check_workbook(path: str | Path) -> None:
    """Refuse an xlsx file over the size limits before it is opened (zip bombs included)."""
    path = Path(path)
    source = str(path)
    check_file(path)
    try:
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        raise InputError([Problem(source, "", "not a readable .xlsx workbook")]) from None
    if unpacked > LIMITS.unpacked_bytes:
        raise InputError(
            [
                Problem(
                    source,
                    "",
                    f"the workbook unpacks to {unpacked:,} bytes; "
                    f"the limit is {LIMITS.unpacked_bytes:,}",
                )
            ]
        )


_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def clean_text(value: Any) -> Any:
    """Text without the control characters a workbook cannot hold (others pass unchanged).

    Removing them is said with a ``UserWarning`` naming the text.

    >>> import warnings
    >>> with warnings.catch_warnings(record=True) as said:
    ...     warnings.simplefilter("always")
    ...     clean_text("a\\x01b"), clean_text(3)
    ('ab', 3)
    >>> str(said[0].message)
    "control characters removed from 'a\\\\x01b' before writing"
    """
    if isinstance(value, str) and _CONTROL.search(value):
        warnings.warn(
            f"control characters removed from {preview(value)} before writing",
            UserWarning,
            stacklevel=3,
        )
        return _CONTROL.sub("", value)
    return value


def neutralise_formula(value: Any) -> Any:
    """Text that a spreadsheet would run as a formula, with a leading ``'`` (CSV guidance).

    >>> neutralise_formula("-5 kg"), neutralise_formula("@SUM(A1)"), neutralise_formula(-5)
    ("'-5 kg", "'@SUM(A1)", -5)
    """
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def restore_formula(value: Any) -> Any:
    """Undo :func:`neutralise_formula` when reading a CSV back.

    >>> restore_formula("'=1+1"), restore_formula("'quoted")
    ('=1+1', "'quoted")
    """
    if isinstance(value, str) and value.startswith("'") and value[1:2] and (
        value[1:].startswith(_FORMULA_START)
    ):
        return value[1:]
    return value


class _CsvWriter:
    """``csv.writer`` whose text fields can never run as formulas in a spreadsheet."""

    def __init__(self, fh: Any):
        self._writer = csv.writer(fh, lineterminator="\n")

    def writerow(self, row: Iterable[Any]) -> Any:
        return self._writer.writerow([neutralise_formula(v) for v in row])


def csv_writer(fh: Any) -> _CsvWriter:
    r"""A CSV writer that neutralises formulas in text (:func:`neutralise_formula`).

    >>> buf = io.StringIO()
    >>> _ = csv_writer(buf).writerow(["name", "=cmd|' /C calc'!A0", -5])
    >>> print(buf.getvalue())
    name,'=cmd|' /C calc'!A0,-5
    """
    return _CsvWriter(fh)


def set_cell(ws: Any, row: int, column: int, value: Any) -> Any:
    """Put ``value`` in an openpyxl cell as data: text is never a formula, no control chars.

    Text that starts with ``=`` is stored as text (shown as typed, never run); read back
    it is the same text.
    """
    cell = ws.cell(row, column)
    cell.value = clean_text(value)
    if isinstance(cell.value, str) and cell.data_type == "f":
        cell.data_type = "s"
    return cell


# --------------------------------------------------------------------------- writing


def check_output(
    path: str | Path, *, inputs: Iterable[str | Path] = (), option: str = "-o"
) -> Path:
    """Refuse an output path before any work: a folder, a missing or read-only folder,
    a read-only file, or one of the command's ``inputs``.

    >>> check_output("no/such/folder/out.json")
    Traceback (most recent call last):
    ...
    value_chain.errors.InputError: 1 problem in no/such/folder/out.json:
      - -o: the folder no/such/folder does not exist
    """
    path = Path(path)
    source = str(path)

    def refuse(reason: str) -> InputError:
        return InputError([Problem(source, option, reason)])

    try:
        if not path.name or path.is_dir():
            raise refuse("is a folder; give a file name")
        folder = path.parent
        if not folder.is_dir():
            raise refuse(f"the folder {folder} does not exist")
        if not os.access(folder, os.W_OK | os.X_OK):
            raise refuse(f"the folder {folder} is not writable")
        if path.exists() and not os.access(path, os.W_OK):
            raise refuse("the file exists and is read-only")
    except OSError as exc:
        raise refuse(f"cannot write here ({exc.strerror or exc})") from None
    for other in inputs:
        if other is None:
            continue
        with contextlib.suppress(OSError):
            if path.exists() and os.path.samefile(path, other):
                raise refuse(f"is an input of this command ({other}); write to another file")
        if path.resolve() == Path(other).resolve():
            raise refuse(f"is an input of this command ({other}); write to another file")
    return path


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def atomic_write(
    path: str | Path, content: str | bytes | Callable[[Path], Any], *, encoding: str = "utf-8"
) -> Path:
    """Write ``content`` to ``path`` atomically: a temporary file in the same folder,
    renamed into place only when complete. A failure (full disk, bad text) leaves the
    old file untouched, no partial file, and raises :class:`InputError`.

    ``content`` is text, bytes, or a function that writes a file at the path it is given
    (``wb.save``, ``nx.write_graphml``...).

    >>> import tempfile, pathlib
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "a.txt"
    >>> atomic_write(out, "ok").read_text()
    'ok'
    >>> atomic_write(out, "bad \\ud800")
    Traceback (most recent call last):
    ...
    value_chain.errors.InputError: 1 problem in .../a.txt:
      - cannot write: the text holds a lone surrogate (not Unicode) at character 4
    >>> out.read_text()
    'ok'
    """
    path = Path(path)
    source = str(path)
    if isinstance(content, str):
        try:
            content = content.encode(encoding)
        except UnicodeEncodeError as exc:
            raise InputError(
                [
                    Problem(
                        source,
                        "",
                        "cannot write: the text holds a lone surrogate (not Unicode) "
                        f"at character {exc.start}",
                    )
                ]
            ) from None
    check_output(path)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    tmp = Path(tmp_name)
    try:
        if isinstance(content, bytes):
            with os.fdopen(fd, "wb") as fh:
                fh.write(content)
                fh.flush()
                os.fsync(fh.fileno())
        else:
            os.close(fd)
            content(tmp)
        mode = path.stat().st_mode & 0o777 if path.exists() else 0o666 & ~_umask()
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        reason = exc.strerror or str(exc)
        raise InputError([Problem(source, "", f"cannot write: {reason}")]) from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return path


# --------------------------------------------------------------------------- look-alikes


def _skeleton(text: str) -> str:
    """A rough confusable skeleton: Cyrillic and Greek look-alikes mapped to Latin."""
    return unicodedata.normalize("NFKC", text).casefold().translate(_CONFUSABLE)


_CONFUSABLE = str.maketrans(
    "аеорсухікјѕԁԛԝΑΒΕΖΗΙΚΜΝΟΡΤΥΧαοτυνκιρ",
    "aeopcyxikjsdqwABEZHIKMNOPTYXaotuvkip",
)


def look_alikes(ids: Iterable[str]) -> list[tuple[str, str]]:
    """Pairs of different ids that look the same (e.g. Cyrillic ``еrp`` and Latin ``erp``).

    >>> look_alikes(["erp", "\\u0435rp", "mes"])
    [('erp', 'еrp')]
    """
    seen: dict[str, str] = {}
    pairs = []
    for value in ids:
        key = _skeleton(value)
        if key in seen and seen[key] != value:
            pairs.append((seen[key], value))
        else:
            seen.setdefault(key, value)
    return pairs
