"""The business case of a roadmap and the budget sweep, worked by hand (issue 13)."""

from __future__ import annotations

import json

import pytest
from roadmap_builders import action, assessment, catalog

from maturity.budget_sweep import budget_sweep, parse_money, parse_sweep, sweep_text
from maturity.business_case import business_case, load_assumptions
from maturity.cli import main
from maturity.demo import example_answer_paths, example_landscape_path
from maturity.roadmap import plan_roadmap
from value_chain.errors import InputError

A = assessment({"energy_management": 1, "warehousing_distribution": 1})
TARGET = {"energy_management": 2, "warehousing_distribution": 2}


def two_actions(fpy: bool = False):
    """A: 1.2M over 12 months, management (no running cost), energy -10 %.
    B: 600k over 6 months, technology (15 % a year running cost), inventory -10 %."""
    a = action("meter", {"energy_management": 2}, 1_200_000, months=12)
    a.update(category="management", kpis=[{"kpi": "energy", "change_pct": -10,
                                            "evidence": "hand-worked test"}])
    b = action("wms", {"warehousing_distribution": 2}, 600_000, months=6)
    b.update(category="technology", kpis=[{"kpi": "inventory", "change_pct": -10,
                                           "evidence": "hand-worked test"}])
    if fpy:
        b["kpis"].append({"kpi": "energy", "change_pct": -10, "evidence": "hand-worked test"})
    return catalog(a, b)


def plan(cat=None):
    r = plan_roadmap(A, None, cat or two_actions(), target=TARGET,
                     budget_per_phase=2_000_000, phases=1, phase_months=60)
    assert [[s.action.id for s in p] for p in r.steps] == [["meter", "wms"]]
    return r


def hand_flows(benefit: float = 1.0) -> list[float]:
    """Net cash per month, revenue 200M, discrete (energy bill 2 % = 4M, inventory holding
    cost 2.4 % = 4.8M), no ramp-up: months 1-6 both actions are paid (-200k); months 7-12
    meter is paid (-100k), wms saves 10 % of 4.8M a year (40k a month) and costs 15 % of
    600k a year (7.5k a month); from month 13 meter saves 10 % of 4M a year (33,333.33)."""
    energy, stock, opex = 400_000 / 12 * benefit, 480_000 / 12 * benefit, 7_500
    return ([-200_000.0] * 6 + [-100_000 + stock - opex] * 6
            + [energy + stock - opex] * 48)


def test_npv_and_payback_of_a_two_action_plan_by_hand():
    r = plan()
    case = business_case(r, revenue=200_000_000, ramp_months=0, discount_rate=0.0)
    mid = case.cases["mid"]
    # at 0 %: -1.2M - 405k + 48 x 65,833.33 = 1,555,000; the cumulative cash turns
    # non-negative in month 12 + ceil(1,605,000 / 65,833.33) = 12 + 25 = 37
    assert mid.npv == pytest.approx(1_555_000, abs=0.01)
    assert mid.payback_month == 37
    assert mid.capex == pytest.approx(1_800_000)
    assert mid.opex_per_year == pytest.approx(90_000)
    assert mid.benefit_per_year == pytest.approx(880_000)
    assert list(case.net["mid"]) == pytest.approx(hand_flows())
    # low case: half the benefits (costs have no range here): -1.2M - 6 x 87.5k
    # + 48 x 29,166.67 = -325,000, never paid back
    low = case.cases["low"]
    assert low.npv == pytest.approx(-325_000, abs=0.01)
    assert low.payback_month is None
    # at 8 % a year, month m discounted by 1.08 ** (m / 12)
    at8 = business_case(r, revenue=200_000_000, ramp_months=0).cases["mid"]
    pv = sum(x / 1.08 ** (m / 12) for m, x in enumerate(hand_flows(), start=1))
    assert at8.npv == pytest.approx(pv, abs=0.01)
    assert 0 < at8.npv < mid.npv


def test_benefits_ramp_up_after_completion():
    r = plan()
    case = business_case(r, revenue=200_000_000, ramp_months=6, discount_rate=0.0)
    flow = case.cashflow
    # wms is done in month 6: month 7 gets 1/6 of its 40k, month 12 the full 40k
    assert flow.loc[7, "benefit"] == pytest.approx(40_000 / 6)
    assert flow.loc[12, "benefit"] == pytest.approx(40_000)
    assert flow.loc[6, "benefit"] == 0


def test_relative_terms_without_revenue_give_the_break_even_revenue():
    r = plan()
    case = business_case(r, ramp_months=0, discount_rate=0.0)
    assert case.revenue is None
    # benefits per unit of revenue: energy 2 % x 10 % over 48 months + inventory 2.4 % x
    # 10 % over 54 months = 0.008 + 0.0108; costs 1.8M + 54 x 7.5k = 2.205M
    assert case.cases["mid"].break_even_revenue == pytest.approx(2_205_000 / 0.0188)
    assert case.cases["mid"].npv is None
    assert case.cases["mid"].benefit_per_year == pytest.approx(0.0044)
    text = case.to_text()
    assert "117,000,000 CNY" in text and "0.44% of revenue" in text
    zh = case.to_text("zh")
    assert "营业收入达到 117,000,000 元及以上时" in zh


def test_effects_on_one_kpi_compound():
    r = plan(two_actions(fpy=True))
    case = business_case(r, revenue=200_000_000)
    # energy -10 % twice: 1 - 0.9 x 0.9 = 19 %, not 20 %
    assert case.kpis.loc["energy", "change_pct"] == pytest.approx(-19.0)
    assert case.to_dict()["kpis"][0]["kpi"] == "energy"


def test_own_money_bases_replace_the_revenue_shares():
    r = plan()
    case = business_case(r, revenue=200_000_000, bases={"energy": 1_000_000})
    assert case.kpis.loc["energy", "benefit_per_year"] == pytest.approx(100_000)
    with pytest.raises(InputError) as exc:
        business_case(r, revenue=-1, bases={"power": 1}, horizon_years=0, colour=1)
    text = str(exc.value)
    for part in ("revenue: must be a positive number", "bases.power: unknown KPI",
                 "horizon_years", "colour: unknown assumption"):
        assert part in text


def test_every_assumption_states_its_basis_in_both_languages():
    data = load_assumptions()
    for k, v in data.kpis.items():
        assert v.basis.en and v.basis.zh, k
    assert data.opex_basis.zh


# ---- the sweep ----------------------------------------------------------------------


def test_money_and_sweep_arguments():
    assert parse_money("2,000,000") == 2_000_000
    assert parse_money("1.2亿") == 120_000_000
    assert parse_sweep("0.5M:10M")[:2] == [500_000, 1_560_000]  # three significant digits
    assert len(parse_sweep("0.5M:10M")) == 10
    with pytest.raises(ValueError, match="a decimal point, not a comma"):
        parse_money("1,5M")  # never read as 15M
    for bad in ("10M:1M", "1M", "1M:2M:1", "x:2M"):
        with pytest.raises(ValueError):
            parse_sweep(bad)


def test_sweep_by_hand():
    # 3-month actions of 100k, 200k and 400k on three dimensions, one phase: a budget of
    # 150k buys the first (1 level), 350k the first two (2), 700k all three (3).
    a = assessment({"data": 1, "sales": 1, "logistics": 1})
    cat = catalog(action("a", {"data": 2}, 100_000), action("b", {"sales": 2}, 200_000),
                  action("c", {"logistics": 2}, 400_000))
    curve = budget_sweep(a, None, cat, budgets=[50_000, 150_000, 350_000, 700_000, 1e6],
                         phases=1, target={"data": 2, "sales": 2, "logistics": 2},
                         max_concurrent=None)
    assert list(curve["levels_closed"]) == [0, 1, 2, 3, 3]
    assert list(curve["planned_cost"]) == [0, 100_000, 300_000, 700_000, 700_000]
    assert set(curve["gap_levels"]) == {3}
    assert list(curve["unspent"]) == [50_000, 50_000, 50_000, 0, 300_000]
    assert "From 700,000 CNY on, the plan closes every gap to the target (3 levels)." in (
        sweep_text(curve))
    # one project at a time in one phase: 100k buys a level, more money buys nothing more,
    # and the money left over says that the cap stops the plan, not the budget
    capped = budget_sweep(a, None, cat, budgets=[100_000, 400_000, 700_000], phases=1,
                          target={"data": 2, "sales": 2, "logistics": 2}, max_concurrent=1)
    assert list(capped["levels_closed"]) == [1, 1, 1]
    text = sweep_text(capped)
    assert "From 100,000 CNY on, more money closes no more levels (1 of 3)" in text
    assert "the cap of 1 projects at once" in text
    rising = budget_sweep(a, None, cat, budgets=[150_000, 350_000], phases=1,
                          target={"data": 2, "sales": 2, "logistics": 2}, max_concurrent=None)
    assert "more money still closes more levels (2 of 3 at the top" in sweep_text(rising)


def test_cli_sweep_and_business_case(tmp_path, capsys):
    answers = str(next(p for p in example_answer_paths() if p.stem == "cmmm"))
    base = ["roadmap", answers, "--landscape", str(example_landscape_path()), "--phases", "3"]
    assert main([*base, "--sweep", "0.5M:3M:3", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["per"] == "phase" and [row["budget"] for row in data["sweep"]] == [
        500_000, 1_750_000, 3_000_000]
    closed = [row["levels_closed"] for row in data["sweep"]]
    assert closed == sorted(closed) and closed[0] < closed[-1]
    png = tmp_path / "sweep.png"
    assert main([*base, "--sweep", "0.5M:3M:3", "--plot", str(png)]) == 0
    assert "more money closes no more levels" in capsys.readouterr().out or png.exists()
    assert png.stat().st_size > 10_000
    assert main([*base, "--budget", "1.5M", "--revenue", "80M", "--json"]) == 0
    case = json.loads(capsys.readouterr().out)["business_case"]
    assert case["revenue"] == 80_000_000 and set(case["cases"]) == {"low", "mid", "high"}
    assert case["cases"]["low"]["npv"] <= case["cases"]["mid"]["npv"] <= case["cases"][
        "high"]["npv"]
    assert main([*base, "--budget", "1.5M", "--business-case", "--lang", "zh"]) == 0
    assert "投资效益测算" in capsys.readouterr().out
    assert main([*base, "--budget", "1M", "--total-budget", "3M"]) == 2
    assert "give exactly one of --budget, --total-budget and --sweep" in capsys.readouterr().err


def test_cli_flags_name_themselves_in_errors(capsys):
    answers = str(next(p for p in example_answer_paths() if p.stem == "cmmm"))
    base = ["roadmap", answers, "--landscape", str(example_landscape_path()), "--phases", "3"]
    for flags, says in ((["--budget", "1M", "--plot", "x.png"], "--plot: draws the sweep"),
                        (["--budget", "1M", "--revenue", "0"], "--revenue: the yearly revenue"),
                        (["--budget", "1M", "--phase-months", "0"], "--phase-months: a phase"),
                        (["--budget", "1,5M"], "--budget: '1,5M' is not a sum of money")):
        assert main([*base, *flags]) == 2
        assert says in capsys.readouterr().err


def test_the_business_case_names_what_it_does_not_value():
    r = plan()
    case = business_case(r, revenue=200_000_000)
    assert case.unvalued == ()  # both actions carry a valued KPI
    cat = two_actions()
    plain = cat.model_dump()
    plain["actions"][0]["kpis"] = [{"kpi": "lead_time", "change_pct": -10,
                                    "evidence": "hand-worked test"}]
    from maturity.actions import ActionCatalog

    r = plan(ActionCatalog.model_validate(plain))
    case = business_case(r, revenue=200_000_000)
    assert case.unvalued == ("meter",) and case.unvalued_share == pytest.approx(2 / 3)
    assert "Not valued in money: meter (67% of the investment)" in case.to_text()
