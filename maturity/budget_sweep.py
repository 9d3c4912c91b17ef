"""The budget sweep: plan the same roadmap at a range of budgets and read the curve of
budget against gain, to find where more money stops buying progress.

Each point is a full :func:`maturity.planner.plan_roadmap` run; the gain is counted in gap
levels closed (each dimension's levels between its current level and its target that the
plan reaches), next to the plan's cost, its actions and the information islands left.

Examples
--------
>>> from maturity import load_model, score
>>> a = score(load_model("cmmm"), {})
>>> curve = budget_sweep(a, None, budgets=[200_000, 2_000_000], phases=2)
>>> list(curve.columns)[:4]
['budget', 'planned_cost', 'unspent', 'actions']
>>> bool(curve["levels_closed"].is_monotonic_increasing)
True
>>> parse_money("1.5M"), parse_money("150万"), parse_money("500k")
(1500000.0, 1500000.0, 500000.0)
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from maturity.messages import msg
from maturity.planner import plan_roadmap
from maturity.plotting import figure_style, own_fonts, plot_lang
from maturity.roadmap_record import Roadmap, money
from value_chain.errors import InputError, Problem

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["budget_sweep", "levels_closed", "parse_money", "parse_sweep", "plot_sweep",
           "sweep_text"]

_UNITS = {"": 1.0, "k": 1e3, "K": 1e3, "m": 1e6, "M": 1e6, "万": 1e4, "亿": 1e8}
# digits with optional thousands separators (1,500,000) and a decimal point; a comma that
# does not separate thousands (1,5M) is refused, not read as 15M
_MONEY = re.compile(r"^\s*((?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]+)?)\s*([kKmM万亿]?)\s*$")


def parse_money(text: str) -> float:
    """A sum of money as people write it: ``2000000``, ``2,000,000``, ``500k``, ``1.5M``,
    ``150万``, ``1.2亿``; ValueError with the reason otherwise (a decimal comma, ``1,5M``,
    is refused rather than read as 15M).

    >>> parse_money("1,5M")
    Traceback (most recent call last):
    ...
    ValueError: '1,5M' is not a sum of money (e.g. 500k, 1.5M, 150万; a decimal point, not a comma)
    """
    m = _MONEY.match(str(text))
    if not m:
        raise ValueError(f"{text!r} is not a sum of money (e.g. 500k, 1.5M, 150万; a decimal "
                         "point, not a comma)")
    return float(m.group(1).replace(",", "")) * _UNITS[m.group(2)]


def parse_sweep(text: str, points: int = 10) -> list[float]:
    """``LOW:HIGH`` or ``LOW:HIGH:N`` -> N budgets evenly spaced from LOW to HIGH.

    >>> parse_sweep("0.5M:2M:4")
    [500000.0, 1000000.0, 1500000.0, 2000000.0]
    >>> parse_sweep("0.5M:10M")[:3]  # rounded to three significant digits
    [500000.0, 1560000.0, 2610000.0]
    """
    parts = str(text).split(":")
    if len(parts) not in (2, 3):
        raise ValueError(f"{text!r} is not LOW:HIGH or LOW:HIGH:N (e.g. 0.5M:10M)")
    low, high = parse_money(parts[0]), parse_money(parts[1])
    if len(parts) == 3:
        if not parts[2].strip().isdigit() or not 2 <= int(parts[2]) <= 100:
            raise ValueError(f"{parts[2]!r}: the number of points is a whole number, 2 to 100")
        points = int(parts[2])
    if not 0 <= low < high:
        raise ValueError(f"{text!r}: LOW must be below HIGH")
    return [float(f"{x:.3g}") for x in np.linspace(low, high, points)]


def levels_closed(r: Roadmap) -> int:
    """Gap levels the plan closes: per dimension, the levels between current and target
    that the last phase reaches."""
    final = r.levels_after[-1] if r.levels_after else r.current
    return int(sum(max(0, min(final[d], t) - r.current[d]) for d, t in r.target.items()))


def budget_sweep(assessment, G, catalog=None, *, budgets: Sequence[float],
                 total: bool = False, **plan: Any) -> pd.DataFrame:
    """Plan the roadmap once per budget (per phase, or with ``total=True`` for the whole
    plan) with the other :func:`plan_roadmap` arguments in ``plan``; one row per budget:
    ``budget``, ``planned_cost``, ``unspent`` (money the plan leaves), ``actions``,
    ``levels_closed``, ``gap_levels`` (all gap
    levels to the target), ``islands_after`` (None without a landscape),
    ``unmet_targets``, ``value`` (the planner's weighted value)."""
    budgets = list(budgets)
    if not budgets:
        raise InputError([Problem("<sweep>", "budgets", "give at least one budget")])
    if "budget_per_phase" in plan or "total_budget" in plan:
        raise InputError([Problem("<sweep>", "budgets", "the sweep sets the budget itself; "
                                  "leave out budget_per_phase and total_budget")])
    rows = []
    for b in budgets:
        money_kw = {"total_budget": b} if total else {"budget_per_phase": b}
        r = plan_roadmap(assessment, G, catalog, **money_kw, **plan)
        after = r.landscape_after[-1]["island_count"] if r.landscape_after else None
        available = b if total else b * len(r.steps)
        rows.append({"budget": float(b), "planned_cost": r.total_cost,
                     "unspent": round(available - r.total_cost, 2),
                     "actions": len(r.actions), "levels_closed": levels_closed(r),
                     "gap_levels": int(sum(max(0, t - r.current[d])
                                           for d, t in r.target.items())),
                     "islands_after": after, "unmet_targets": len(r.unmet),
                     "value": round(r.objective, 6)})
    frame = pd.DataFrame(rows)
    frame.attrs["currency"] = r.currency
    frame.attrs["total"] = total
    frame.attrs["cap"] = r.calendar.max_concurrent if r.calendar is not None else None
    frame.attrs["phases"] = len(r.steps)
    return frame


def sweep_text(curve: pd.DataFrame, lang: str = "en") -> str:
    """The sweep as a plain table, with the budget beyond which nothing more is gained."""
    cur = msg(f"roadmap.currency.{curve.attrs.get('currency', 'CNY')}", lang)
    head = "sweep.head.total" if curve.attrs.get("total") else "sweep.head.phase"
    lines = [msg(head, lang, currency=cur)]
    for _, row in curve.iterrows():
        islands = "" if row["islands_after"] is None or pd.isna(row["islands_after"]) else (
            msg("sweep.islands", lang, n=int(row["islands_after"])))
        lines.append(msg("sweep.row", lang, budget=money(row["budget"]),
                         cost=money(row["planned_cost"]), actions=int(row["actions"]),
                         closed=int(row["levels_closed"]), gap=int(row["gap_levels"]),
                         islands=islands))
    best = int(curve["levels_closed"].max())
    at = curve.index[curve["levels_closed"] == best][0]
    gap = int(curve["gap_levels"].max())
    if best == gap:
        key = "sweep.all_closed"
    elif at == curve.index[-1]:
        key = "sweep.still_rising"  # the best is only reached at the top: no saturation shown
    elif curve["unspent"].iloc[-1] > 0.1 * curve["budget"].iloc[-1]:  # the most money: left
        key = "sweep.saturates_not_money" if curve.attrs.get("cap") else "sweep.saturates_time"
    else:
        key = "sweep.saturates"
    lines.append(msg(key, lang, budget=money(curve.loc[at, "budget"]), currency=cur,
                     closed=best, gap=gap, cap=curve.attrs.get("cap") or 0,
                     phases=curve.attrs.get("phases", 0)))
    return "\n".join(lines)


def plot_sweep(curve: pd.DataFrame, ax: Axes | None = None, *, lang: str = "en") -> Axes:
    """Gap levels closed (and planned cost) against the budget; returns the axes."""
    from matplotlib import pyplot as plt
    from matplotlib.ticker import MaxNLocator


    lang = plot_lang(lang)
    cur = msg(f"roadmap.currency.{curve.attrs.get('currency', 'CNY')}", lang)
    with figure_style(lang):
        if ax is None:
            _, ax = plt.subplots(figsize=(7, 3.6))
        x = curve["budget"] / 1e6
        ax.step(x, curve["levels_closed"], where="post", marker="o",
                label=msg("sweep.axis.closed", lang))
        ax.axhline(int(curve["gap_levels"].max()), color="0.6", ls="--", lw=0.8,
                   label=msg("sweep.axis.gap", lang))
        key = "sweep.axis.budget_total" if curve.attrs.get("total") else "sweep.axis.budget"
        ax.set_xlabel(msg(key, lang, currency=cur))
        ax.set_ylabel(msg("sweep.axis.closed", lang))
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))  # levels are whole numbers
        ax.set_title(msg("sweep.title", lang))
        ax.legend(frameon=False, loc="lower right")
        own_fonts(ax)
    return ax
