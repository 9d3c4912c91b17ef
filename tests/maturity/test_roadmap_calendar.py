"""The roadmap's calendar, worked by hand: phases of so many months, an action longer than
its phase paid over its months, carry-forward on and off, a total budget, and the cap on
projects at once (issue 13).

Every instance is small enough to check by hand; values are counted to the month an
action is done: a level reached at month m is worth DELTA ** (m / 12).
"""

from __future__ import annotations

import pytest
from roadmap_builders import DELTA, DONE, action, assessment, catalog

from maturity.actions import load_catalog
from maturity.plan_calendar import plan_calendar
from maturity.roadmap import plan_roadmap
from value_chain.errors import InputError


def ids(r):
    return [[s.action.id for s in p] for p in r.steps]


A = assessment({"integration": 1, "data": 1, "sales": 1})


def test_an_action_longer_than_its_phase_is_paid_over_its_months():
    # ERP: 1.3M over 12 months; three phases of 6 months with 1M each.  Paid evenly, it
    # costs 650k in each of its two phases: it fits, though 1.3M > 1M.  Done at month 12,
    # so its level counts after phase 2, not phase 1.
    cat = catalog(action("erp", {"integration": 2}, 1_300_000, months=12))
    for solver in ("milp", "greedy"):
        r = plan_roadmap(A, None, cat, target={"integration": 2}, budget_per_phase=1_000_000,
                         phases=3, phase_months=6, solver=solver)
        assert ids(r) == [["erp"], [], []]
        step = r.steps[0][0]
        assert (step.start_month, step.end_month) == (0, 12)
        assert step.paid == pytest.approx((650_000, 650_000, 0))
        assert r.spend == pytest.approx((650_000, 650_000, 0))
        assert [lv["integration"] for lv in r.levels_after] == [1, 2, 2]
        assert r.objective == pytest.approx(DELTA ** (12 / 12))
        d = r.to_dict()
        assert [p["paid"] for p in d["phases"]] == [650_000, 650_000, 0]
        assert [p["start_month"] for p in d["phases"]] == [0, 6, 12]
        assert d["total_months"] == 18


def test_an_action_must_be_done_by_the_end_of_the_plan():
    # 18 months do not fit in 12; the reason names both figures
    cat = catalog(action("erp", {"integration": 2}, 100, months=18))
    r = plan_roadmap(A, None, cat, target={"integration": 2}, budget_per_phase=1000,
                     phases=2, phase_months=6)
    assert ids(r) == [[], []]
    assert "takes 18 months, longer than the whole plan (12 months)" in " ".join(
        r.explanations())


@pytest.mark.parametrize("carry", [False, True])
def test_carry_forward(carry):
    # 100k per phase, an action of 150k (3 months).  Without carry-forward it never fits;
    # with it, phase 2 has 100k + the 100k phase 1 left = 200k, so it is planned there.
    cat = catalog(action("mes", {"integration": 2}, 150_000))
    r = plan_roadmap(A, None, cat, target={"integration": 2}, budget_per_phase=100_000,
                     phases=2, carry_forward=carry)
    if carry:
        assert ids(r) == [[], ["mes"]]
        assert r.objective == pytest.approx(DONE * DELTA)
        assert r.to_dict()["carry_forward"] is True
    else:
        assert ids(r) == [[], []]
        why = " ".join(r.explanations())
        assert "mes, costs 150,000 CNY; the phase budget is 100,000 CNY" in why


def test_a_total_budget_is_spent_where_it_is_worth_most():
    # 300k for the whole plan; two 3-month actions of 200k and 100k.  Per phase (150k each)
    # the 200k one never fits; with the total both go in phase 1, where they are worth most.
    cat = catalog(action("mes", {"integration": 2}, 200_000),
                  action("shop", {"sales": 2}, 100_000))
    target = {"integration": 2, "sales": 2}
    for solver in ("milp", "greedy"):
        r = plan_roadmap(A, None, cat, target=target, total_budget=300_000, phases=2,
                         solver=solver)
        assert ids(r) == [["mes", "shop"], []]
        assert r.objective == pytest.approx(2 * DONE)
        d = r.to_dict()
        assert d["total_budget"] == 300_000 and d["budget_per_phase"] is None
        assert [p["budget"] for p in d["phases"]] == [None, None]
    split = plan_roadmap(A, None, cat, target=target, budget_per_phase=150_000, phases=2)
    assert ids(split) == [["shop"], []]


def test_the_cap_on_projects_at_once_binds():
    # three independent 3-month actions of 100 each, money for all; at most two at once:
    # two in phase 1 and the third in phase 2 = DONE * (2 + DELTA).
    cat = catalog(action("a", {"integration": 2}, 100), action("b", {"data": 2}, 100),
                  action("c", {"sales": 2}, 100))
    target = {"integration": 2, "data": 2, "sales": 2}
    for solver in ("milp", "greedy"):
        r = plan_roadmap(A, None, cat, target=target, budget_per_phase=1000, phases=2,
                         max_concurrent=2, solver=solver)
        assert [len(p) for p in r.steps] == [2, 1]
        assert r.objective == pytest.approx(DONE * (2 + DELTA))
    free = plan_roadmap(A, None, cat, target=target, budget_per_phase=1000, phases=2,
                        max_concurrent=None)
    assert [len(p) for p in free.steps] == [3, 0]


def test_a_long_project_still_running_counts_against_the_cap():
    # cap 1, two 12-month phases.  long (18 months) must start at month 0 to be done by
    # month 24, and then it still runs at month 12; short (3 months) and long cannot both
    # start at month 0.  So one of them: short, done at month 3 (DELTA ** 0.25) beats long,
    # done at month 18 (DELTA ** 1.5).  The unmet target names the cap.
    cat = catalog(action("long", {"integration": 2}, 100, months=18),
                  action("short", {"data": 2}, 100))
    r = plan_roadmap(A, None, cat, target={"integration": 2, "data": 2}, budget_per_phase=1000,
                     phases=2, max_concurrent=1)
    assert ids(r) == [["short"], []]
    assert r.objective == pytest.approx(DONE)
    (unmet,) = r.unmet_targets()
    assert unmet["code"] == "roadmap.unmet.capacity"
    assert "1 projects at once" in unmet["reason"] or "1 project" in unmet["reason"]
    zh = r.unmet_targets("zh")[0]["reason"]
    assert "同时推进 1 个项目" in zh


def test_the_default_cap_comes_from_the_catalog_by_size():
    cat = load_catalog()
    assert cat.max_concurrent == {"micro": 2, "small": 3, "medium": 4, "large": 6}
    assert cat.max_concurrent_basis is not None
    small = assessment({"integration": 1}, size="small")
    r = plan_roadmap(small, None, target={"integration": 2}, budget_per_phase=5_000_000,
                     phases=3)
    assert r.calendar.max_concurrent == 3
    running = [sum(1 for p in r.steps for s in p
                   if s.start_month <= m < s.end_month) for m in range(36)]
    assert max(running) <= 3


def test_calendar_inputs_are_checked_all_at_once():
    with pytest.raises(InputError) as exc:
        plan_calendar(phases=0, budget_per_phase=[1, -2], phase_months=0, max_concurrent=0)
    text = str(exc.value)
    for part in ("phases: must be a whole number", "budgets must be finite and >= 0",
                 "phase_months: a phase lasts from 1 to 120 months",
                 "max_concurrent: must be a whole number >= 1"):
        assert part in text
    with pytest.raises(InputError, match="either a budget per phase or a total budget"):
        plan_roadmap(A, None, budget_per_phase=1, total_budget=2, phases=1)
    with pytest.raises(InputError, match="give a budget per phase or a total budget"):
        plan_roadmap(A, None, phases=1)


def test_the_text_shows_continuing_payments_and_carried_money():
    # erp: 1.2M over 6 months in 3-month phases of 700k: 600k in each of phases 1 and 2;
    # phase 2 starts nothing but pays 600k for the erp (continuing); with carry-forward
    # phase 2 has 700k + the 100k phase 1 left
    cat = catalog(action("erp", {"integration": 2}, 1_200_000, months=6))
    r = plan_roadmap(A, None, cat, target={"integration": 2}, budget_per_phase=700_000,
                     phases=2, phase_months=3, carry_forward=True)
    text = r.to_text()
    assert "Phase 2: 600,000 of 800,000 CNY paid (700,000 + 100,000 carried" in text
    assert "(continuing) erp: 600,000 CNY paid in this phase" in text
    assert "the last step is done in month 6" in text
    assert r.to_dict()["last_month"] == 6
    assert "（续）erp：本阶段支付 600,000 元" in r.to_text("zh")


def test_a_blocked_prerequisite_says_why_it_is_blocked():
    # platform costs 900k, more than any phase can pay (500k); monitor needs it, so the
    # reason for monitor names the platform and the platform's own reason
    cat = catalog(action("platform", {"data": 2}, 900_000),
                  action("monitor", {"integration": 2}, 100_000, prereq=["platform"]))
    r = plan_roadmap(A, None, cat, target={"data": 1, "integration": 2},
                     budget_per_phase=500_000, phases=2)
    why = " ".join(r.explanations())
    assert ("needs platform, which cannot be planned (it costs 900,000 CNY, more than the "
            "budget can pay in any phase it could start in)") in why
    assert "（原因：需 900,000 元" in " ".join(r.explanations("zh"))
    with pytest.raises(InputError, match="more than the budget can pay"):
        plan_roadmap(A, None, cat, target={"integration": 2}, budget_per_phase=500_000,
                     phases=2, force=["platform"])
