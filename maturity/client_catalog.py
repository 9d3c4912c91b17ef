"""A client's own costs, durations and extra actions, from a simple table merged onto the catalog.

A consultant keeps the quotes of one client in a CSV or xlsx table (first sheet), one row
per action, with a header row.  Columns (names read without case; only ``id`` is needed):

``id``
    An action of the catalog, or a new one.
``size``
    micro, small, medium or large: the size the cost applies to; empty: every size.
``cost``
    One figure (the range is that figure), or ``cost_low`` and ``cost_high``, in the
    catalog's currency (CNY for the bundled one; a ``region`` price level applies on top).
``duration``
    Months.
``name``, ``name_zh``, ``category``, ``focus``, ``prerequisites``, ``levels``
    For a new action: its name (and Chinese name, by default the same), category
    (technology / business / management), focus (foundation / production / product /
    business_model), prerequisites (action ids separated by ``;``) and the levels it
    gives, ``dimension=level`` separated by ``;`` (``model:dimension=level`` for a model
    other than CMMM).  A new action needs a name, a category, a focus, levels, a cost
    and a duration.

Every problem is reported at once, with the file, the row and the column (1-based; the
header is row 1), as an :class:`~value_chain.errors.InputError`.

Examples
--------
>>> import tempfile, pathlib
>>> from maturity.actions import load_catalog
>>> f = pathlib.Path(tempfile.mkdtemp()) / "quotes.csv"
>>> _ = f.write_text("id,cost,duration\\nerp_core,500000,4\\n")
>>> merged = merge_client_table(load_catalog(), f)
>>> merged.action("erp_core").cost("small"), merged.action("erp_core").duration_months
(500000.0, 4.0)
"""

from __future__ import annotations

import math
import re
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from maturity.actions import SIZES, Action, ActionCatalog, catalog_from_mapping
from value_chain.errors import InputError, Problem
from value_chain.safe_io import check_workbook, open_workbook, read_csv_rows

__all__ = ["COLUMNS", "merge_client_table"]

COLUMNS = ("id", "size", "cost", "cost_low", "cost_high", "duration", "name", "name_zh",
           "category", "focus", "prerequisites", "levels")


def _letter(c: int) -> str:
    out = ""
    while c:
        c, r = divmod(c - 1, 26)
        out = chr(65 + r) + out
    return out


def _read_rows(path: Path) -> list[tuple[int, list[Any]]]:
    """Rows of the table (header included) with their 1-based row numbers."""
    if path.suffix.lower() in (".xlsx", ".xlsm"):

        check_workbook(path)
        wb = open_workbook(path, read_only=True, data_only=False)
        try:
            ws = wb.worksheets[0]
            return [(r, list(row)) for r, row in enumerate(ws.iter_rows(values_only=True),
                                                           start=1)]
        finally:
            wb.close()
    return [(r, row) for r, (_, row) in enumerate(read_csv_rows(path), start=1)]


def _text(v: Any) -> str:
    return "" if v is None else str(v).strip()


def merge_client_table(catalog: ActionCatalog, path: str | Path) -> ActionCatalog:
    """The catalog with the client's costs, durations and extra actions from ``path``.

    Rows naming a catalog action replace its cost (for one size or every size) and its
    duration; rows with a new id add an action.  Raises :class:`InputError` listing every
    problem with the file, row and column.
    """
    path = Path(path)
    source = str(path)
    problems: list[Problem] = []
    rows = [(r, row) for r, row in _read_rows(path) if any(_text(v) for v in row)]
    if not rows:
        raise InputError([Problem(source, "", "the table is empty (a header row is needed)")])
    head_row, header = rows[0]
    col: dict[str, int] = {}
    for c, v in enumerate(header, start=1):
        name = _text(v).lower()
        where = f"row {head_row}, column {_letter(c)}"
        if not name:
            continue
        if name not in COLUMNS:
            problems.append(Problem(source, where, f"unknown column {name!r}; use "
                                    f"{', '.join(COLUMNS)}"))
        elif name in col:
            problems.append(Problem(source, where, f"column {name!r} appears twice"))
        else:
            col[name] = c
    if "id" not in col:
        problems.append(Problem(source, f"row {head_row}", "no column 'id'"))
        raise InputError(problems)
    actions = {a.id: a.model_dump() for a in catalog.actions}
    order = [a.id for a in catalog.actions]
    row_of: dict[str, int] = {}  # the row of each action the table changes or adds
    for r, row in rows[1:]:
        def cell(name: str, row=row) -> str:
            c = col.get(name)
            return _text(row[c - 1]) if c is not None and c <= len(row) else ""

        def bad(name: str, text: str, r=r) -> None:
            c = col.get(name)
            where = f"row {r}, column {_letter(c)} ({name})" if c else f"row {r}"
            problems.append(Problem(source, where, text))

        def number(name: str, low: float, high: float = math.inf) -> float | None:
            text = cell(name)
            if not text:
                return None
            try:
                x = float(text.replace(",", "").replace("_", ""))
            except ValueError:
                bad(name, f"{text!r} is not a number")
                return None
            if not (math.isfinite(x) and low <= x <= high):
                bad(name, f"{text} is outside {low:g}..{high:g}")
                return None
            return x

        n_before = len(problems)
        aid = cell("id")
        size = cell("size").lower()
        cost, low, high = number("cost", 0), number("cost_low", 0), number("cost_high", 0)
        months = number("duration", 0.1, 60)
        if size and size not in SIZES:
            bad("size", f"unknown size {size!r}; use one of {', '.join(SIZES)} or leave empty")
        if cost is not None and (low is not None or high is not None):
            bad("cost", "give either cost or cost_low and cost_high, not both")
        elif (low is None) != (high is None):
            bad("cost_low" if low is None else "cost_high",
                "cost_low and cost_high go together")
        elif low is not None and high is not None and high < low:
            bad("cost_high", f"{high:g} is less than cost_low {low:g}")
        rng = (cost, cost) if cost is not None else (low, high) if low is not None else None
        if not aid:
            bad("id", "no action id")
            continue
        row_of.setdefault(aid, r)
        if aid not in actions:
            new = _new_action(aid, cell, bad, rng, months, set(actions))
            if new is not None:
                actions[aid] = new
                order.append(aid)
            continue
        if len(problems) > n_before:
            continue
        a = actions[aid]
        if rng is not None:
            costs = dict(a["cost_cny"])
            for s in [size] if size else list(costs) or list(SIZES):
                costs[s] = rng
            a["cost_cny"] = costs
        if months is not None:
            a["duration_months"] = months
    if problems:
        raise InputError(problems)
    data = catalog.model_dump()
    data["actions"] = [actions[i] for i in order]
    try:
        return catalog_from_mapping(data, source)
    except InputError as exc:  # the catalog's own checks, said in rows and columns
        raise InputError([_in_table(p, order, row_of, col) for p in exc.problems]) from None


_FIELD_COLUMN = {"effects": "levels", "entry": "levels", "cost_cny": "cost",
                 "duration_months": "duration", "prerequisites": "prerequisites",
                 "name": "name", "category": "category", "focus": "focus"}


def _in_table(p: Problem, order: list[str], row_of: dict[str, int],
              col: dict[str, int]) -> Problem:
    """A problem of the merged catalog (``actions[7].effects...``) at its row and column."""
    m = re.match(r"actions\[(\d+)\]\.?(\w*)", p.location)
    if not m or int(m.group(1)) >= len(order) or order[int(m.group(1))] not in row_of:
        return p
    aid = order[int(m.group(1))]
    name = _FIELD_COLUMN.get(m.group(2), "id")
    c = col.get(name) or col["id"]
    name = name if name in col else "id"
    return Problem(p.source, f"row {row_of[aid]}, column {_letter(c)} ({name})",
                   f"{aid}: {p.message}")


def _new_action(aid: str, cell, bad, rng, months, known: set[str]) -> dict | None:
    """A new action from a row, or None after reporting what is missing or wrong."""
    missing = [c for c in ("name", "category", "focus", "levels") if not cell(c)]
    if rng is None:
        missing.append("cost")
    if months is None:
        missing.append("duration")
    if missing:
        bad("id", f"{aid!r} is not in the catalog; a new action needs "
                  f"{', '.join(missing)}")
        return None
    levels, ok = [], True
    for part in filter(None, (p.strip() for p in cell("levels").split(";"))):
        ref, _, lv = part.partition("=")
        model, _, dim = ref.strip().rpartition(":")
        try:
            levels.append({"model": model.strip() or "cmmm", "dimension": dim.strip(),
                           "level": int(lv)})
        except ValueError:
            bad("levels", f"{part!r} is not dimension=level")
            ok = False
    prereq = [p.strip() for p in cell("prerequisites").replace(",", ";").split(";")
              if p.strip()]
    for p in prereq:
        if p not in known:
            bad("prerequisites", f"unknown action {p!r}")
            ok = False
    name = cell("name")
    data = {"id": aid, "name": {"en": name, "zh": cell("name_zh") or name},
            "description": {"en": name, "zh": cell("name_zh") or name},
            "category": cell("category"), "focus": cell("focus"), "prerequisites": prereq,
            "effects": {"levels": levels}, "cost_cny": dict.fromkeys(SIZES, rng),
            "duration_months": months}
    try:
        Action.model_validate(data)
    except ValidationError as exc:
        for e in exc.errors():
            field = str(e["loc"][0]) if e["loc"] else "id"
            column = {"effects": "levels", "cost_cny": "cost",
                      "duration_months": "duration", "description": "name"}.get(field, field)
            bad(column, e["msg"])
        return None
    return data if ok else None
