"""Collecting many answers files (respondents x rounds x companies) into one tidy table.

Real assessments are not one person filling one form once: several people of a
company answer (plant manager, IT lead, quality...), and the company answers
again a year later. :func:`collect` reads every answers file under some
folders (JSON, YAML, CSV, filled workbooks) into one table with one row per
company x model x round x respondent x item, and reports every file it could
not use, with the reason, without stopping at the first:

* a file that cannot be read or does not fit its model (the reader's problems);
* a file without an enterprise name (its company cannot be told);
* two files claiming the same respondent in the same company round with
  different answers (neither is used: the problem names both);
* a company name spelled two ways beyond whitespace and the width of
  Chinese/Latin characters (``ＡＢＣ 机械`` and ``ABC  机械`` are one company;
  ``ABC 机械`` and ``abc机械`` are reported).

The same file collected twice (given twice, or an identical copy) is noted and
counted once. A *round* is the assessment ``date`` of the files; files without
a date form one undated round. A file without ``respondent`` is named by its
file name.

Examples
--------
>>> import tempfile, json, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> for who, value in [("plant manager", 3), ("IT lead", 1)]:
...     data = {"model": "impuls", "respondent": who, "date": "2025-03-01",
...             "enterprise": {"name": "Acme"}, "answers": {"employees.skill_sets": value}}
...     _ = (folder / f"{who}.json").write_text(json.dumps(data))
>>> table = read_assessments([folder])
>>> answered = table[table["value"].notna()].reset_index(drop=True)
>>> answered[["company", "respondent", "date", "value", "step"]]
  company     respondent        date value  step
0    Acme        IT lead  2025-03-01     1     1
1    Acme  plant manager  2025-03-01     3     3
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd

from maturity.answers import (
    Answers,
    migration_notes,
    option_key,
    read_answers,
    validate_answers,
)
from maturity.reference_model import ReferenceModel, load_model
from value_chain.errors import InputError, Problem
from value_chain.safe_io import atomic_write, neutralise_frame

__all__ = [
    "Collection",
    "answer_paths",
    "collect",
    "company_key",
    "read_assessments",
    "read_table",
    "write_assessments",
]

SUFFIXES = (".json", ".yaml", ".yml", ".csv", ".xlsx")
ENTERPRISE_COLUMNS = ("sector", "size", "industry_type", "region", "year")
COLUMNS = ("company", "model", "date", "respondent", "item", "dimension", "value", "score",
           "step", "source", *ENTERPRISE_COLUMNS)
_SPACE = re.compile(r"\s+")


def company_key(name: str) -> str:
    """A company name with whitespace and character width normalised (NFKC).

    >>> company_key("  ＡＢＣ　机械 ") == company_key("ABC 机械")
    True
    """
    return _SPACE.sub(" ", unicodedata.normalize("NFKC", str(name))).strip()


def _loose_key(name: str) -> str:
    """Key that also ignores case, spaces and punctuation: same key, other spelling = suspect."""
    text = unicodedata.normalize("NFKC", str(name)).casefold()
    return "".join(c for c in text if unicodedata.category(c)[0] in "LN")


# ---- the scale of every item --------------------------------------------------------


@dataclass(frozen=True)
class _ItemScale:
    dimension: str
    steps: dict[str, tuple[int, float]]  # option key -> (step, score)


@cache
def _scales(model_id: str) -> tuple[ReferenceModel, dict[str, _ItemScale]]:
    model = load_model(model_id)
    return model, item_scales(model)


def item_scales(model: ReferenceModel) -> dict[str, _ItemScale]:
    """Per item its dimension and, per option, its *step* (0 = lowest score) and score."""
    out = {}
    for it in model.items:
        opts = sorted(model.options(it), key=lambda o: o.score)
        steps = {option_key(o.value): (i, float(o.score)) for i, o in enumerate(opts)}
        out[it.id] = _ItemScale(it.dimension, steps)
    return out


# ---- which files -------------------------------------------------------------------


def answer_paths(paths: str | Path | Iterable[str | Path]) -> list[Path]:
    """The answers files named by ``paths``: files as given, folders searched recursively.

    Hidden files and Excel lock files (``~$...``) are left out; so are files of
    other types inside folders (a README, the script that made them). A path
    that does not exist is kept, so that reading it reports it.
    """
    if isinstance(paths, (str, Path)):
        paths = [paths]
    out: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            found = [f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in SUFFIXES
                     and not any(part.startswith((".", "~$")) for part in f.relative_to(p).parts)]
            out.extend(sorted(found))
        else:
            out.append(p)
    return out


# ---- collecting ------------------------------------------------------------------------


@dataclass(frozen=True)
class Collection:
    """What :func:`collect` found.

    ``table`` holds the usable answers (columns :data:`COLUMNS`, every item of
    the model, ``value`` empty where unanswered); ``files`` one row per file
    with its ``status`` (``used``, ``duplicate``, ``failed``); ``problems`` the
    files that could not be used (or, for names spelled two ways, that need a
    look); ``notes`` the duplicates counted once.
    """

    table: pd.DataFrame
    files: pd.DataFrame
    problems: tuple[Problem, ...] = ()
    notes: tuple[Problem, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass
class _File:
    path: Path
    answers: Answers | None = None
    company: str | None = None
    status: str = "used"
    respondent: str | None = None
    problems: list[Problem] = field(default_factory=list)


def _read_one(path: Path) -> _File:
    f = _File(path)
    try:
        answers = read_answers(path)
        load_model(answers.model, source=str(path), where="model")  # an unknown id names the file
        model, _ = _scales(answers.model)
        answers = validate_answers(model, answers)
    except InputError as exc:
        f.problems.extend(exc.problems)
        f.status = "failed"
        return f
    except (OSError, ValueError) as exc:  # e.g. a folder named like a file, a broken zip
        f.problems.append(Problem(str(path), "", f"cannot be read ({exc})"))
        f.status = "failed"
        return f
    name = answers.enterprise.name
    if not name or not company_key(name):
        f.problems.append(Problem(str(path), "enterprise.name",
                                  "missing: the company this file belongs to cannot be told"))
        f.status = "failed"
        return f
    f.answers = answers
    f.company = company_key(name)
    f.respondent = answers.respondent.strip() if answers.respondent else None
    return f


def _date(a: Answers) -> str | None:
    return a.date.isoformat() if a.date else None


def _same_answers(a: Answers, b: Answers) -> bool:
    return (a.answers == b.answers and a.enterprise == b.enterprise and a.comments == b.comments
            and a.targets == b.targets)


def _check_duplicates(files: list[_File]) -> tuple[list[Problem], list[Problem]]:
    problems: list[Problem] = []
    notes: list[Problem] = []
    # the same file given twice
    seen: dict[Path, _File] = {}
    for f in files:
        if f.status != "used" or not f.path.is_file():  # in-memory answers have no file
            continue
        key = f.path.resolve()
        if key in seen:
            notes.append(Problem(str(f.path), "", "the same file was given twice; counted once"))
            f.status = "duplicate"
        else:
            seen[key] = f
    # one respondent, one round, several files
    groups: dict[tuple, list[_File]] = {}
    for f in files:
        if f.status != "used":
            continue
        a = f.answers
        who = f.respondent if f.respondent else ("", tuple(sorted(a.answers.items(), key=str)))
        groups.setdefault((f.company, a.model, _date(a), who), []).append(f)
    for (company, model, date, who), group in groups.items():
        if len(group) < 2:
            continue
        first = group[0]
        if all(_same_answers(first.answers, g.answers) for g in group[1:]):
            for g in group[1:]:
                notes.append(Problem(str(g.path), "", f"same answers as {first.path}: a copy of "
                                                      "the same file, counted once"))
                g.status = "duplicate"
            continue
        names = ", ".join(str(g.path) for g in group)
        when = date or "undated"
        for g in group:
            problems.append(Problem(
                str(g.path), "respondent",
                f"{len(group)} files claim respondent {who!r} of {company} ({model}, round "
                f"{when}) with different answers: {names}; none of them is used"))
            g.status = "failed"
    return problems, notes


def _check_spellings(files: list[_File]) -> list[Problem]:
    spellings: dict[str, dict[str, list[Path]]] = {}
    for f in files:
        if f.company is not None:
            spellings.setdefault(_loose_key(f.company), {}).setdefault(f.company, []).append(
                f.path)
    problems = []
    for variants in spellings.values():
        if len(variants) < 2:
            continue
        listing = "; ".join(f"{name!r} in {', '.join(map(str, paths))}"
                            for name, paths in variants.items())
        for paths in variants.values():
            for p in paths:
                problems.append(Problem(str(p), "enterprise.name",
                                        f"one company spelled {len(variants)} ways? {listing}; "
                                        "kept apart: write the name the same way in every file"))
    return problems


def _rows(f: _File, scales: dict[str, _ItemScale], cols: dict[str, list]) -> None:
    a = f.answers
    ent = a.enterprise
    n = len(scales)
    respondent = f.respondent or f.path.stem
    for key, value in (("company", f.company), ("model", a.model), ("date", _date(a)),
                       ("respondent", respondent), ("source", str(f.path))):
        cols[key].extend([value] * n)
    for key in ENTERPRISE_COLUMNS:
        cols[key].extend([getattr(ent, key)] * n)
    for item_id, scale in scales.items():
        value = a.answers.get(item_id)
        cols["item"].append(item_id)
        cols["dimension"].append(scale.dimension)
        if value is None:
            cols["value"].append(None)
            cols["step"].append(-1)
            cols["score"].append(np.nan)
        else:  # an answer off the rated scale (e.g. "not applicable") has no step
            step, score = scale.steps.get(option_key(value), (-1, np.nan))
            cols["value"].append(option_key(value))
            cols["step"].append(step)
            cols["score"].append(score)


def _table(cols: dict[str, list]) -> pd.DataFrame:
    table = pd.DataFrame(cols, columns=list(COLUMNS))
    table["step"] = pd.array(table["step"], dtype="Int64")
    table.loc[table["step"] < 0, "step"] = pd.NA
    table["score"] = table["score"].astype(float)
    table["year"] = pd.array(table["year"], dtype="Int64")
    for c in ("company", "model", "dimension", "item", "source", "respondent"):
        table[c] = table[c].astype("category")
    return table


def collect(paths: str | Path | Iterable[str | Path]) -> Collection:
    """Read every answers file under ``paths`` (files or folders) into one tidy table.

    Never raises for bad files: each is reported in ``problems`` (file and
    reason) and the others are collected. See the module docstring for what is
    checked. The rows are in file order, items in model order.
    """
    paths = [paths] if isinstance(paths, (str, Path)) else list(paths)
    files = [_read_one(p) for p in answer_paths(paths)]
    problems = [p for f in files for p in f.problems]
    problems += [Problem(str(p), "", "no answers file (.json, .yaml, .csv, .xlsx) in this folder")
                 for p in map(Path, paths) if p.is_dir() and not answer_paths(p)]
    dup_problems, notes = _check_duplicates(files)
    problems += dup_problems
    used = [f for f in files if f.status == "used"]
    # old ids of items split since a file was written: read as the new items, and said so
    notes += [Problem(str(f.path), f"answers.{old}", text) for f in used
              for old, text in zip(f.answers.migrated, migration_notes(f.answers), strict=True)]
    problems += _check_spellings(used)
    cols: dict[str, list] = {c: [] for c in COLUMNS}
    for f in used:
        _rows(f, _scales(f.answers.model)[1], cols)
    listing = pd.DataFrame({
        "source": [str(f.path) for f in files],
        "company": [f.company for f in files],
        "model": [f.answers.model if f.answers else None for f in files],
        "date": [_date(f.answers) if f.answers else None for f in files],
        "respondent": [f.respondent for f in files],
        "answered": [len(f.answers.answers) if f.answers else 0 for f in files],
        "status": [f.status for f in files],
    })
    return Collection(_table(cols), listing, tuple(problems), tuple(notes))


def read_assessments(paths: str | Path | Sequence[str | Path]) -> pd.DataFrame:
    """The tidy table of every answers file under ``paths``; raises if any file is bad.

    One row per company x model x round (``date``) x respondent x item, with
    the item's ``dimension``, the answer ``value`` (text; empty if unanswered),
    its ``score`` and its ``step`` on the item's scale (0 = lowest), the
    ``source`` file and the enterprise fields. Raises one
    :class:`~value_chain.errors.InputError` listing every file that could not
    be used; use :func:`collect` to get the good files and the problems.
    """
    result = collect(paths)
    if result.problems:
        raise InputError(result.problems)
    return result.table


def write_assessments(table: pd.DataFrame, path: str | Path) -> Path:
    """Write a collected table as ``.csv`` (UTF-8) or ``.parquet``."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".csv":
        safe = neutralise_frame(table)  # text that a spreadsheet would run gets a leading '
        atomic_write(path, lambda tmp: safe.to_csv(tmp, index=False, encoding="utf-8"))
    elif suffix == ".parquet":
        try:
            atomic_write(path, lambda tmp: table.to_parquet(tmp, index=False))
        except ImportError:
            raise InputError([Problem(str(path), "", "writing Parquet needs pyarrow "
                                                     "(pip install pyarrow)")]) from None
    else:
        raise InputError([Problem(str(path), "", "write the table as .csv or .parquet")])
    return path


def read_table(path: str | Path) -> pd.DataFrame:
    """Read a table written by :func:`write_assessments` back (``.csv`` or ``.parquet``)."""
    path = Path(path)
    if not path.is_file():
        raise InputError([Problem(str(path), "", "file not found")])
    table = pd.read_parquet(path) if path.suffix.lower() == ".parquet" else pd.read_csv(
        path, dtype={"value": str, "date": str})
    missing = [c for c in COLUMNS if c not in table.columns]
    if missing:
        raise InputError([Problem(str(path), "columns", f"missing {', '.join(missing)}: not a "
                                                        "table written by maturity collect")])
    table["step"] = pd.array(table["step"], dtype="Int64")
    return table


def table_from_answers(answers: Sequence[Answers]) -> tuple[pd.DataFrame, list[Problem]]:
    """The tidy table of answers already read (and validated), with the duplicate checks.

    Returns the table and the problems (conflicting respondents, names spelled
    two ways); copies of the same answers are counted once.
    """
    files = []
    for a in answers:
        name = a.enterprise.name
        files.append(_File(Path(a.source), a, company_key(name) if name else "",
                           respondent=a.respondent.strip() if a.respondent else None))
    problems, _notes = _check_duplicates(files)
    used = [f for f in files if f.status == "used"]
    problems += _check_spellings(used)
    cols: dict[str, list] = {c: [] for c in COLUMNS}
    for f in used:
        _rows(f, _scales(f.answers.model)[1], cols)
    return _table(cols), problems
