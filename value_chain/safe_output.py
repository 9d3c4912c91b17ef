"""Safe output: atomic writes, output-path checks, spreadsheets and CSVs without formulas.

- :func:`check_output` refuses an output path before any work starts: a folder, a missing or
  read-only folder, a read-only file, or one of the command's inputs.
- :func:`atomic_write` writes to a temporary file in the target folder and renames it into
  place only when complete, so a failure leaves the old file and no partial one.
- :func:`neutralise_formula`, :func:`csv_writer` and :func:`set_cell` keep text that starts
  with ``=``, ``+``, ``-``, ``@``, tab or CR from running as a formula (the usual CSV-injection
  guidance); :func:`clean_text` removes the control characters a workbook cannot hold, and
  says so with a warning.
- :func:`dump_yaml` writes YAML that reads back equal.

Examples
--------
>>> neutralise_formula("=HYPERLINK(1)"), neutralise_formula("ERP")
("'=HYPERLINK(1)", 'ERP')
"""

from __future__ import annotations

import contextlib
import csv
import os
import re
import tempfile
import warnings
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import yaml

from value_chain.errors import InputError, Problem
from value_chain.limits import preview

__all__ = [
    "atomic_write",
    "check_output",
    "clean_text",
    "csv_writer",
    "dump_yaml",
    "neutralise_formula",
    "neutralise_frame",
    "restore_formula",
    "set_cell",
]


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

    >>> import io
    >>> buf = io.StringIO()
    >>> _ = csv_writer(buf).writerow(["name", "=cmd|' /C calc'!A0", -5])
    >>> print(buf.getvalue())
    name,'=cmd|' /C calc'!A0,-5
    """
    return _CsvWriter(fh)


def neutralise_frame(frame: Any) -> Any:
    """A copy of a pandas table whose text cells cannot run as formulas (for CSV output).

    >>> import pandas as pd
    >>> neutralise_frame(pd.DataFrame({"name": ["=1+1", "ACME"], "n": [-1, 2]})).values.tolist()
    [["'=1+1", -1], ['ACME', 2]]
    """
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype.kind not in "biufcmM":  # text (object, str) columns
            out[column] = out[column].map(neutralise_formula)
    return out


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


_COMPRESSED = (".gz", ".bz2", ".xz", ".zst", ".zip")


def _suffix(path: Path) -> str:
    """The temporary file's suffix: the target's own (``.csv.gz``), so that writers that
    choose a format or a compression by the name (pandas, networkx) choose the same."""
    suffixes = [s.lower() for s in path.suffixes[-2:]]
    if len(suffixes) == 2 and suffixes[1] in _COMPRESSED:
        return "".join(path.suffixes[-2:])
    return path.suffix


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
    if path.is_symlink():  # write the file the link points to, and keep the link
        path = Path(os.path.realpath(path))
    check_output(path)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=_suffix(path),
                                    dir=path.parent)
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
