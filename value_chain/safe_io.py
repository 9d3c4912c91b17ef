"""Safe input: bounded reading of user files (with safe output re-exported here).

Every reader of user files in both packages goes through this module, so a hostile or
broken file always ends in one :class:`~value_chain.errors.InputError` naming the file,
the place and the reason, within bounded time and memory:

- :data:`LIMITS` (:mod:`value_chain.limits`) states every limit once (file size, nesting
  depth, values after YAML alias expansion, text length, rows, phases, actions); the
  README's *Formats* section lists them.
- :func:`read_text` detects the encoding of a text file: UTF-8 with or without BOM,
  UTF-16/UTF-32 with BOM, else GB18030 (a superset of GBK, the encoding of Chinese
  Windows); anything else is refused with its line.
- :func:`read_mapping` reads YAML or JSON with the limits above, and reports duplicate
  keys and lone surrogates instead of dropping or passing them on.
- :func:`preview` is the only way a message shows an input value: short, never expanded.
- :func:`atomic_write`, :func:`check_output`, :func:`neutralise_formula`, :func:`set_cell`
  and the other writing helpers live in :mod:`value_chain.safe_output` and are importable
  from here too.
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
import csv
import gzip
import io
import json
import re
import unicodedata
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

import yaml

from value_chain.errors import InputError, Problem
from value_chain.limits import LIMITS, Limits, preview
from value_chain.safe_output import (
    atomic_write,
    check_output,
    clean_text,
    csv_writer,
    dump_yaml,
    neutralise_formula,
    neutralise_frame,
    restore_formula,
    set_cell,
)

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
    "neutralise_frame",
    "open_workbook",
    "preview",
    "read_bytes",
    "read_csv_rows",
    "read_mapping",
    "read_text",
    "restore_formula",
    "set_cell",
]


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
    if b"\x00" in data:  # never in UTF-8 or GB18030 text
        where = _line_of_offset(data, data.index(b"\x00"))
        raise InputError(
            [Problem(source, where, "looks like UTF-16 without a BOM; save it as UTF-8")]
        )
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        first_bad = exc.start
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


def open_workbook(path: str | Path, **options: Any):
    """An openpyxl workbook read from memory, so that no file handle stays open.

    A read-only openpyxl workbook keeps its file open until it is closed, and older openpyxl
    releases leave it open on some paths even then; reading the (size-checked) bytes first
    leaves nothing to close. ``options`` go to :func:`openpyxl.load_workbook`.
    """
    from openpyxl import load_workbook

    return load_workbook(io.BytesIO(read_bytes(path)), **options)


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
