"""The business case of a roadmap: capex and yearly opex, benefits from the catalog's KPI
effects ramping up after each action is done, net present value, payback, and a low/high
range.

The assumptions are data (``maturity/business_case.yaml``, our estimates, each with its
basis): what a KPI change is worth (a money base and an elasticity), running costs by
category, the ramp-up, the discount rate, the horizon and the three cases (low: costs at
the top of the catalog's ranges and half the KPI effects; mid: mid-points and the full
effects; high: costs at the bottom, full effects).  With the enterprise's revenue (and,
better, its own money bases: ``bases={"energy": 3_200_000}``) the case is in money;
without it, it is stated in relative terms: benefits as a share of revenue and the
revenue at which the plan pays for itself within the horizon.

Examples
--------
>>> from maturity import load_model, score, plan_roadmap
>>> a = score(load_model("cmmm"), {})
>>> r = plan_roadmap(a, None, budget_per_phase=1_500_000, phases=3)
>>> case = business_case(r, revenue=80_000_000)
>>> case.cases["low"].npv <= case.cases["mid"].npv <= case.cases["high"].npv
True
>>> business_case(r).revenue is None  # relative terms: the break-even revenue
True
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any, Literal

import pandas as pd
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from maturity.messages import msg
from maturity.plotting import figure_style, own_fonts, plot_lang
from maturity.reference_model import Text
from maturity.roadmap_record import Roadmap, money
from value_chain.errors import InputError, Problem, problems_from_validation
from value_chain.vocabulary import INDUSTRY_TYPES, KPIS

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["CASES", "BusinessCase", "CaseFigures", "business_case", "case_words",
           "horizon_sentence", "kpi_sentences", "load_assumptions", "unvalued_sentence"]

CASES = ("low", "mid", "high")


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class KpiValue(_Frozen):
    """What a KPI's change is worth: a money base and how much of it a 1 % change moves."""

    base: Text
    share_of_revenue: dict[Literal[INDUSTRY_TYPES], float]
    elasticity: float = Field(ge=0)
    basis: Text


class CaseSpec(_Frozen):
    cost: Literal["low", "mid", "high"]
    benefit: float = Field(ge=0, le=2)


class Assumptions(_Frozen):
    """The contents of ``business_case.yaml``."""

    version: str
    notes: Text
    discount_rate: float = Field(ge=0, lt=1)
    horizon_years: int = Field(ge=1, le=30)
    ramp_months: float = Field(ge=0, le=36)
    opex_share: dict[Literal["technology", "business", "management"], float]
    opex_basis: Text
    cases: dict[Literal[CASES], CaseSpec]
    kpis: dict[Literal[KPIS], KpiValue]


@cache
def load_assumptions() -> Assumptions:
    """The bundled assumptions of the business case.

    >>> load_assumptions().kpis["energy"].share_of_revenue["process"]
    0.06
    """
    text = (resources.files("maturity") / "business_case.yaml").read_text(encoding="utf-8")
    try:
        return Assumptions.model_validate(yaml.safe_load(text))
    except ValidationError as exc:
        raise InputError(problems_from_validation(exc, "maturity/business_case.yaml")) from None


@dataclass(frozen=True)
class CaseFigures:
    """One case of the range.  In relative terms (no revenue), ``benefit_per_year`` is a
    share of revenue, ``npv`` and ``payback_month`` are None and ``break_even_revenue`` is
    the revenue at which the NPV is zero (None when the plan has no valued benefit)."""

    capex: float
    opex_per_year: float
    benefit_per_year: float
    npv: float | None
    payback_month: int | None
    break_even_revenue: float | None
    pv_costs: float = 0.0  # present value of capex and opex
    pv_benefits: float = 0.0  # present value of benefits (per unit of revenue if relative)


@dataclass(frozen=True)
class BusinessCase:
    """The business case of a roadmap (see the module docstring)."""

    currency: str
    revenue: float | None
    industry_type: str
    horizon_months: int
    discount_rate: float
    cases: Mapping[str, CaseFigures]
    kpis: pd.DataFrame  # one row per KPI: change_pct, elasticity, base, base_value, benefit
    cashflow: pd.DataFrame  # one row per month of the mid case: capex, opex, benefit, net
    net: pd.DataFrame  # net cash per month (rows) of each case (columns low, mid, high)
    unvalued: tuple[str, ...] = ()  # planned actions with no benefit valued in money
    unvalued_share: float = 0.0  # their share of the (mid) investment
    last_month: float = 0.0  # the month the plan's last step is done
    names: Mapping[str, Text] = field(default_factory=dict)  # of the unvalued actions

    def to_dict(self, lang: str = "en") -> dict[str, Any]:
        """JSON-ready: ``currency``, ``revenue``, ``relative``, ``horizon_months``,
        ``discount_rate``, ``cases`` {low, mid, high: capex, opex_per_year,
        benefit_per_year, npv, payback_month, break_even_revenue, pv_costs, pv_benefits},
        ``unvalued_actions`` (planned actions no benefit in money is counted for) with
        their ``unvalued_share`` of the investment, ``last_month`` and ``kpis``."""
        kpis = self.kpis.assign(base=[load_assumptions().kpis[k].base(lang)
                                      for k in self.kpis.index])
        return {"currency": self.currency, "revenue": self.revenue,
                "relative": self.revenue is None, "industry_type": self.industry_type,
                "horizon_months": self.horizon_months, "discount_rate": self.discount_rate,
                "cases": {k: {f: _plain(getattr(c, f)) for f in c.__dataclass_fields__}
                          for k, c in self.cases.items()},
                "unvalued_actions": list(self.unvalued),
                "unvalued_share": round(self.unvalued_share, 6),
                "last_month": self.last_month,
                "kpis": [{"kpi": k, **{c: _plain(v) for c, v in row.items()}}
                         for k, row in kpis.iterrows()]}

    def to_text(self, lang: str = "en") -> str:
        """The case in plain words, with the low/high range."""
        return _to_text(self, lang)

    def plot(self, ax: Axes | None = None, *, lang: str = "en") -> Axes:
        """Cumulative net cash per month for the three cases (with revenue), or the NPV
        against revenue (in relative terms); returns the axes."""
        return _plot(self, ax, lang)


def _plain(v):
    if v is None or isinstance(v, str):
        return v
    v = float(v)
    return None if math.isnan(v) else round(v, 6)


def business_case(roadmap: Roadmap, *, revenue: float | None = None,
                  bases: Mapping[str, float] | None = None,
                  industry_type: str | None = None, **assumptions: Any) -> BusinessCase:
    """The business case of ``roadmap``.

    ``revenue``: the enterprise's yearly revenue in the roadmap's currency; ``bases``:
    its own yearly money base per KPI (e.g. ``{"energy": 3_200_000}`` for the energy
    bill), used instead of the share of revenue.  ``industry_type`` (discrete or process)
    picks the shares; by default the roadmap's.  Keyword ``assumptions`` override
    ``discount_rate``, ``horizon_years`` and ``ramp_months`` of the bundled file.
    """
    data = load_assumptions()
    problems = []
    unknown = set(assumptions) - {"discount_rate", "horizon_years", "ramp_months"}
    if unknown:
        problems.append(Problem("<business case>", ", ".join(sorted(unknown)),
                                "unknown assumption; use discount_rate, horizon_years or "
                                "ramp_months"))
    try:
        data = Assumptions.model_validate({**data.model_dump(), **{
            k: v for k, v in assumptions.items() if k not in unknown}})
    except ValidationError as exc:
        problems += problems_from_validation(exc, "<business case>")
    industry = industry_type or roadmap.industry_type or "discrete"
    if industry not in INDUSTRY_TYPES:
        problems.append(Problem("<business case>", "industry_type",
                                f"{industry!r} is not one of {list(INDUSTRY_TYPES)}"))
    if revenue is not None and (not isinstance(revenue, (int, float)) or isinstance(
            revenue, bool) or not math.isfinite(revenue) or revenue <= 0):
        problems.append(Problem("<business case>", "revenue",
                                f"must be a positive number, got {revenue!r}"))
    for k, v in (bases or {}).items():
        if k not in KPIS:
            problems.append(Problem("<business case>", f"bases.{k}",
                                    f"unknown KPI; use one of {list(KPIS)}"))
        elif isinstance(v, bool) or not isinstance(v, (int, float)) or v < 0:
            problems.append(Problem("<business case>", f"bases.{k}",
                                    f"must be a number >= 0, got {v!r}"))
    if problems:
        raise InputError(problems)
    steps = [s for phase in roadmap.steps for s in phase]
    horizon = max(data.horizon_years * 12,
                  math.ceil(max((s.end_month for s in steps), default=0.0)))
    relative = revenue is None
    per_revenue = 1.0 if relative else float(revenue)
    base_value = {k: float(bases[k]) if bases and k in bases else
                  v.share_of_revenue.get(industry, 0.0) * per_revenue
                  for k, v in data.kpis.items()}
    figures, flows, nets = {}, {}, {}
    for name, spec in data.cases.items():
        flow = _cashflow(steps, roadmap.size, data, spec, base_value, horizon)
        flows[name] = flow
        costs = _pv(flow["capex"] + flow["opex"], data.discount_rate)
        gains = _pv(flow["benefit"], data.discount_rate)
        full = _full_benefit(steps, spec, base_value, data)
        capex = float(flow["capex"].sum())
        opex = float(sum(s.cost * _cost_ratio(s, roadmap.size, spec.cost) * _opex(s, data)
                         for s in steps))
        net = flow["benefit"] - flow["capex"] - flow["opex"]
        nets[name] = net
        if relative:
            figures[name] = CaseFigures(capex, opex, full, None, None,
                                        costs / gains if gains > 0 else None, costs, gains)
        else:
            figures[name] = CaseFigures(capex, opex, full, gains - costs, _payback(net), None,
                                        costs, gains)
    kpis = _kpi_table(steps, data, base_value)
    mid = flows["mid"].assign(net=lambda f: f["benefit"] - f["capex"] - f["opex"])
    mid["cumulative"] = mid["net"].cumsum()
    unvalued = [s for s in steps if not any(
        data.kpis[e.kpi].elasticity > 0 for e in s.action.kpis)]
    total = sum(s.cost for s in steps)
    return BusinessCase(roadmap.currency, None if relative else float(revenue), industry,
                        horizon, data.discount_rate, figures, kpis, mid, pd.DataFrame(nets),
                        tuple(s.action.id for s in unvalued),
                        sum(s.cost for s in unvalued) / total if total else 0.0,
                        max((s.end_month for s in steps), default=0.0),
                        {s.action.id: s.action.name for s in unvalued})


# ---- the arithmetic -----------------------------------------------------------------


def _cost_ratio(step, size: str, end: str) -> float:
    """The cost of ``step`` at one end of its catalog range, relative to the mid-point."""
    low, high = step.action.cost_cny[size]
    mid = (low + high) / 2
    if mid <= 0:
        return 1.0
    return {"low": low, "mid": mid, "high": high}[end] / mid


def _opex(step, data: Assumptions) -> float:
    share = step.action.opex_share
    return data.opex_share.get(step.action.category, 0.0) if share is None else share


def _months(step) -> tuple[int, int]:
    start = round(step.start_month)
    return start, max(start + 1, round(step.end_month))


def _cashflow(steps, size: str, data: Assumptions, spec: CaseSpec,
              base_value: Mapping[str, float], horizon: int) -> pd.DataFrame:
    """Money per month (1 = the first month of the plan): capex paid evenly over each
    action's months, opex from the month after it is done, benefits ramping up."""
    months = range(1, horizon + 1)
    capex = dict.fromkeys(months, 0.0)
    opex = dict.fromkeys(months, 0.0)
    for s in steps:
        cost = s.cost * _cost_ratio(s, size, spec.cost)
        start, end = _months(s)
        for m in range(start + 1, min(end, horizon) + 1):
            capex[m] += cost / (end - start)
        for m in range(end + 1, horizon + 1):
            opex[m] += cost * _opex(s, data) / 12
    benefit = {}
    for m in months:
        def achieved(s, m=m) -> float:  # share of the effect reached in month m
            _, end = _months(s)
            if m <= end:
                return 0.0
            ramp = 1.0 if data.ramp_months == 0 else min(1.0, (m - end) / data.ramp_months)
            return ramp * spec.benefit

        benefit[m] = _benefit(steps, data, base_value, achieved) / 12
    return pd.DataFrame({"capex": capex, "opex": opex, "benefit": benefit}).rename_axis("month")


def _kpi_change(steps, kpi: str, achieved) -> float:
    """The compounded change of a KPI (a share, 0..1) from the effects of the steps, each
    reached to ``achieved(step)``: 1 - (1 - a)(1 - b)..., never over 100 %."""
    left = 1.0
    for s in steps:
        for e in s.action.kpis:
            if e.kpi == kpi:
                left *= 1 - achieved(s) * min(abs(e.change_pct), 100) / 100
    return 1 - left


def _benefit(steps, data: Assumptions, base_value, achieved) -> float:
    """Benefit per year of the KPI changes, each valued by its base and elasticity."""
    return sum(_kpi_change(steps, k, achieved) * v.elasticity * base_value[k]
               for k, v in data.kpis.items())


def _full_benefit(steps, spec: CaseSpec, base_value, data: Assumptions) -> float:
    """Benefit per year once every action has its full effect."""
    return _benefit(steps, data, base_value, lambda s: spec.benefit)


def _pv(series: pd.Series, rate: float) -> float:
    """Present value of money at the end of each month at a yearly ``rate``."""
    return float(sum(x / (1 + rate) ** (m / 12) for m, x in series.items()))


def _payback(net: pd.Series) -> int | None:
    """The month in which the cumulative net cash turns non-negative after the money
    spent (None when it does not within the horizon)."""
    total, spent = 0.0, False
    for m, x in net.items():
        total += x
        spent = spent or total < -1e-9
        if spent and total >= -1e-9:
            return int(m)
    return None if spent else 0


def _kpi_table(steps, data: Assumptions, base_value) -> pd.DataFrame:
    rows = {}
    for k, v in data.kpis.items():
        effects = [e.change_pct for s in steps for e in s.action.kpis if e.kpi == k]
        if not effects:
            continue
        change = _kpi_change(steps, k, lambda s: 1.0)
        sign = -1 if sum(effects) < 0 else 1
        rows[k] = {"change_pct": sign * change * 100, "elasticity": v.elasticity,
                   "base_value": None if v.elasticity == 0 else base_value[k],
                   "benefit_per_year": change * v.elasticity * base_value[k]}
    return pd.DataFrame.from_dict(rows, orient="index",
                                  columns=["change_pct", "elasticity", "base_value",
                                           "benefit_per_year"])


# ---- words and pictures -------------------------------------------------------------


def _money(x: float, currency: str, lang: str) -> str:
    return f"{money(x)} {msg(f'roadmap.currency.{currency}', lang)}"


def _round3(x: float) -> float:
    """Three significant digits: a break-even revenue is an order of size, not a quote."""
    return float(f"{x:.3g}") if x else 0.0


def _share(x: float) -> str:
    return f"{x:.2%}"


def case_words(case: BusinessCase, name: str, lang: str) -> dict[str, str]:
    """The figures of one case as words: ``case``, ``capex``, ``opex``, ``benefit`` (money,
    or a share of revenue in relative terms), and ``npv`` and ``payback`` (with revenue) or
    ``break_even`` (the revenue from which the NPV is positive, three significant digits)."""
    c = case.cases[name]
    cur = case.currency
    out = {"case": msg(f"business.case.{name}", lang), "capex": _money(c.capex, cur, lang),
           "opex": _money(c.opex_per_year, cur, lang)}
    if case.revenue is None:
        out["benefit"] = _share(c.benefit_per_year)
        out["break_even"] = (_money(_round3(c.break_even_revenue), cur, lang)
                             if c.break_even_revenue is not None
                             else msg("business.no_benefit", lang))
    else:
        out["benefit"] = _money(c.benefit_per_year, cur, lang)
        out["npv"] = _money(c.npv, cur, lang)
        out["payback"] = (msg("business.payback.month", lang, month=c.payback_month)
                          if c.payback_month is not None else
                          msg("business.payback.none", lang, years=case.horizon_months // 12))
    return out


def kpi_sentences(case: BusinessCase, lang: str) -> list[str]:
    """One sentence per KPI the plan changes (what it is worth a year, or that it is not
    valued in money), then the planned actions valued at nothing."""
    out = []
    for k, row in case.kpis.iterrows():
        change = f"{row['change_pct']:+.1f}%"
        name = msg(f"business.kpi.{k}", lang)
        if row["elasticity"] == 0:
            out.append(msg("business.kpi.unvalued", lang, kpi=name, change=change))
            continue
        worth = (msg("business.of_revenue", lang, share=_share(row["benefit_per_year"]))
                 if case.revenue is None else
                 _money(row["benefit_per_year"], case.currency, lang))
        out.append(msg("business.kpi.valued", lang, kpi=name, change=change,
                       base=load_assumptions().kpis[k].base(lang), worth=worth))
    if case.unvalued:
        out.append(unvalued_sentence(case, lang))
    return out


def horizon_sentence(case: BusinessCase, lang: str) -> str:
    """When the horizon is counted from, how much benefit it leaves the last step, and
    which figures are discounted."""
    return msg("business.horizon_note", lang, month=f"{case.last_month:g}",
               left=f"{case.horizon_months - case.last_month:g}")


def _to_text(case: BusinessCase, lang: str) -> str:
    lines = [msg("business.title", lang, years=case.horizon_months // 12,
                 rate=f"{case.discount_rate:.0%}"),
             msg("business.cases_note", lang), horizon_sentence(case, lang)]
    for name in CASES:
        words = case_words(case, name, lang)
        if case.revenue is None:
            lines.append(msg("business.line.relative", lang, **words,
                             revenue=words["break_even"]))
        else:
            lines.append(msg("business.line.money", lang, **words))
    lines += ["- " + line for line in kpi_sentences(case, lang)]
    lines.append(msg("business.assumptions", lang))
    return "\n".join(lines)


def unvalued_sentence(case: BusinessCase, lang: str) -> str:
    """Which planned actions no benefit in money is counted for, and their share of the
    investment (the NPV counts only what is valued)."""
    sep = msg("roadmap.sep.list", lang)
    return msg("business.unvalued", lang, names=sep.join(case.names[a](lang)
                                                         for a in case.unvalued),
               share=f"{case.unvalued_share:.0%}")


def _plot(case: BusinessCase, ax, lang: str):
    from matplotlib import pyplot as plt


    lang = plot_lang(lang)
    with figure_style(lang):
        if ax is None:
            _, ax = plt.subplots(figsize=(7, 3.6))
        cur = msg(f"roadmap.currency.{case.currency}", lang)
        styles = {"low": ":", "mid": "-", "high": "--"}
        if case.revenue is None:  # NPV(revenue) = revenue x PV of benefits - PV of costs
            top = 2 * max((c.break_even_revenue or 0.0) for c in case.cases.values()) or 1e6
            for name in CASES:
                c = case.cases[name]
                ax.plot([0, top / 1e6], [-c.pv_costs / 1e6, (top * c.pv_benefits - c.pv_costs)
                                         / 1e6], styles[name],
                        label=msg(f"business.case.{name}", lang))
            ax.set_xlabel(msg("business.axis.revenue", lang, currency=cur))
            ax.set_ylabel(msg("business.axis.npv", lang, currency=cur))
        else:
            for name in CASES:
                ax.plot(case.net.index, case.net[name].cumsum() / 1e6, styles[name],
                        label=msg(f"business.case.{name}", lang))
            ax.set_xlabel(msg("business.axis.month", lang))
            ax.set_ylabel(msg("business.axis.cash", lang, currency=cur))
        ax.axhline(0, color="0.5", lw=0.8)
        ax.set_title(msg("business.plot_title", lang))
        ax.legend(frameon=False)
        own_fonts(ax)
    return ax
