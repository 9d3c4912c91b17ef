"""Tests of the roadmap planner (maturity.roadmap) and the gap priorities (maturity.priorities).

Small instances are worked by hand; optimality is checked against brute force on
synthetic catalogs of up to 12 actions (the reference below re-implements the rules
independently of the planner); hypothesis checks the rules on random instances.
"""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import networkx as nx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from roadmap_builders import DELTA, DONE, action, assessment, catalog

from maturity import load_model, score
from maturity.actions import ActionCatalog
from maturity.cli import main
from maturity.demo import example_answer_paths, example_answers, example_landscape_path
from maturity.evidence import add_evidence
from maturity.priorities import gap_table, load_priority_data, priorities, resolve_target
from maturity.roadmap import apply_actions, plan_roadmap
from value_chain import landscape_from_dict, landscape_metrics, read_landscape
from value_chain.errors import InputError

DIMS = ["data", "integration", "sales", "equipment", "network"]


# ---- fixtures -------------------------------------------------------------------------


@pytest.fixture
def plant() -> nx.MultiDiGraph:
    return landscape_from_dict({
        "systems": [{"id": "erp", "name": "ERP", "type": "ERP"},
                    {"id": "mes", "name": "MES", "type": "MES"},
                    {"id": "plc", "name": "PLC", "type": "PLC"}],
        "partners": [{"id": "steel", "name": "Steel", "role": "supplier"}],
        "links": [{"source": "erp", "target": "mes", "mode": "manual"},
                  {"source": "erp", "target": "steel", "mode": "manual"}]})


def ids(roadmap) -> list[list[str]]:
    return [[x["id"] for x in p["actions"]] for p in roadmap.to_dict()["phases"]]


# ---- hand-worked instances ------------------------------------------------------------


def test_hand_worked_plan(plant):
    # data 1, integration 1, sales 1; targets data 3, integration 2, sales 2.
    # A std_data data->2 100k; B data_platform data->3 200k (needs A: prerequisite, and
    # data 2 first); C mes_erp integration->2 200k; D eshop sales->2 300k (entry integration 2).
    # Budgets 300k then 250k. Phase 1 can hold A+C (300k) = 2 levels; B and D need earlier
    # phases. Phase 2 (250k): B (200k) fits, D (300k) does not.
    # Plan: [A, C], [B]; objective 1 + 1 + DELTA (every weight is 1: balanced, no KPIs).
    a = assessment({"data": 1, "integration": 1, "sales": 1})
    cat = catalog(action("std_data", {"data": 2}, 100_000),
                  action("data_platform", {"data": 3}, 200_000, prereq=["std_data"]),
                  action("mes_erp", {"integration": 2}, 200_000),
                  action("eshop", {"sales": 2}, 300_000, entry={"integration": 2}))
    target = {"data": 3, "integration": 2, "sales": 2}
    for solver in ("milp", "greedy"):
        r = plan_roadmap(a, plant, cat, target=target, budget_per_phase=[300_000, 250_000],
                         phases=2, solver=solver)
        assert ids(r) == [["std_data", "mes_erp"], ["data_platform"]]
        assert r.objective == pytest.approx(DONE * (2 + DELTA))
        d = r.to_dict()
        assert d["total_cost"] == 500_000
        assert d["phases"][0]["levels_after"]["data"] == 2
        assert d["phases"][1]["levels_after"]["data"] == 3
        assert [u["dimension"] for u in d["unmet_targets"]] == ["sales"]
        assert d["phases"][0]["months"] == 12  # a phase is a budget year by default
        assert [x["start_month"] for p in d["phases"] for x in p["actions"]] == [0, 0, 12]


def test_milp_beats_myopic_greedy(plant):
    # prep raises org_strategy (no target there: worth nothing) but is needed by link
    # (integration 1->2, 200k). shop (sales 1->2, 300k). Budgets 300k, 500k.
    # Greedy, phase 1: only shop has value -> [shop]; phase 2: prep is worthless alone and
    # link needs prep in an earlier phase -> nothing. Objective 1.
    # MILP: [prep], [link, shop] -> DELTA + DELTA = 1.8.
    a = assessment({"org_strategy": 1, "integration": 1, "sales": 1})
    cat = catalog(action("prep", {"org_strategy": 2}, 100_000),
                  action("link", {"integration": 2}, 200_000, prereq=["prep"]),
                  action("shop", {"sales": 2}, 300_000))
    kw = {"target": {"integration": 2, "sales": 2}, "budget_per_phase": [300_000, 500_000],
          "phases": 2}
    greedy = plan_roadmap(a, plant, cat, solver="greedy", **kw)
    exact = plan_roadmap(a, plant, cat, **kw)
    assert ids(greedy) == [["shop"], []]
    assert greedy.objective == pytest.approx(DONE)
    assert ids(exact) == [["prep"], ["link", "shop"]]
    assert exact.objective == pytest.approx(DONE * 2 * DELTA)
    assert exact.to_dict()["greedy_objective"] == pytest.approx(DONE, abs=1e-6)
    step = exact.steps[0][0]
    assert "unlocks link" in exact.sentence(step, "en")
    assert exact.to_dict()["phases"][0]["actions"][0]["unlocks"] == ["link"]


def test_no_level_skipped_and_entry(plant):
    # integration 0 -> 3 needs 2 first; only one phase: the jump cannot be planned.
    a = assessment({"integration": 0})
    cat = catalog(action("step1", {"integration": 1}, 10),
                  action("step2", {"integration": 2}, 10),
                  action("jump", {"integration": 3}, 10))
    r = plan_roadmap(a, plant, cat, target={"integration": 3}, budget_per_phase=100,
                     phases=1)
    assert ids(r) == [["step1"]]
    r = plan_roadmap(a, plant, cat, target={"integration": 3}, budget_per_phase=100,
                     phases=3)
    assert ids(r) == [["step1"], ["step2"], ["jump"]]
    assert r.objective == pytest.approx(DONE * (1 + DELTA + DELTA**2))


def test_strategy_weights_order_the_plan(plant):
    # One slot per phase: the strategy decides which focus comes first.
    a = assessment({"production_operations": 1, "product_service": 1})
    cat = catalog(action("mes", {"production_operations": 2}, 100, focus="production"),
                  action("iot", {"product_service": 2}, 100, focus="product"))
    kw = {"target": {"production_operations": 2, "product_service": 2},
          "budget_per_phase": 100, "phases": 2}
    assert ids(plan_roadmap(a, plant, cat, strategy="production_first", **kw))[0] == ["mes"]
    assert ids(plan_roadmap(a, plant, cat, strategy="product_first", **kw))[0] == ["iot"]


def test_landscape_islands_count_and_after_phase(plant):
    # link turns the manual ERP-MES link into a batch link: 3 islands -> 2.
    a = assessment({"integration": 2})
    conn = {"connect": [{"source": {"types": ["MES"]}, "target": {"types": ["ERP"]},
                         "mode": "batch"}]}
    cat = catalog(action("link", {"integration": 2}, 100, landscape=conn))
    r = plan_roadmap(a, plant, cat, target={"integration": 2}, budget_per_phase=100, phases=1)
    assert ids(r) == [["link"]]  # no level to gain, but an island removed
    d = r.to_dict()
    assert d["islands_before"] == 3 and d["phases"][0]["islands_after"] == 2
    assert r.objective == pytest.approx(DONE * load_priority_data().island_value)


# ---- apply_actions --------------------------------------------------------------------


def test_apply_actions_effects(plant):
    from maturity.actions import Action

    def make(landscape):
        return Action.model_validate(action("x", {"data": 2}, 1, landscape=landscape))

    add = make({"add_systems": [{"id": "wms", "name": {"en": "WMS", "zh": "WMS"},
                                 "type": "WMS"},
                                {"id": "erp2", "name": {"en": "ERP", "zh": "ERP"},
                                 "type": "ERP"}]})
    H = apply_actions(plant, [add])
    assert "wms" in H and "erp2" not in H  # an ERP exists already
    assert H.nodes["wms"]["level"] == 3 and H.nodes["wms"]["kind"] == "system"
    assert "wms" not in plant  # the input is left alone
    new_link = make({"connect": [{"source": {"types": ["PLC"]}, "target": {"types": ["MES"]},
                                  "mode": "realtime"}]})
    H = apply_actions(plant, [new_link])
    assert [d["mode"] for _, _, d in H.edges("plc", data=True)] == ["realtime"]
    partners = make({"connect_partners": [{"roles": ["supplier"], "mode": "batch"}]})
    H = apply_actions(plant, [partners])
    assert H.edges["erp", "steel", 1]["mode"] == "batch"
    assert landscape_metrics(H)["value_chain"]["share_automatic"] == 1.0


# ---- brute force ----------------------------------------------------------------------


def reference_optimum(a, cat: ActionCatalog, target: dict, budgets: list[float],
                      strategy: str = "balanced") -> float:
    """Best objective over every assignment of the actions to phases (or to none)."""
    data = load_priority_data()
    strat = data.strategies[strategy]
    s = strat.focus
    path = set(strat.path.get("cmmm", ()))
    cur = {d.id: d.level for d in a.dimensions}
    acts = list(cat.actions)
    eff = [{e.dimension: e.level for e in x.effects.levels} for x in acts]
    done = {x.id for x, e in zip(acts, eff, strict=True) if all(cur[d] >= lv for d, lv in
                                                                e.items())}
    todo = [i for i, x in enumerate(acts) if x.id not in done]
    P = len(budgets)
    best = 0.0

    def feasible(assign: dict[int, int]) -> bool:
        phase_of = {acts[i].id: p for i, p in assign.items()}
        spent = [0.0] * P
        for i, p in assign.items():
            x = acts[i]
            spent[p] += x.cost("medium")
            if any(q not in done and phase_of.get(q, P) >= p for q in x.prerequisites):
                return False
            needs = [(e.dimension, e.level) for e in x.entry]
            needs += [(d, lv - 1) for d, lv in eff[i].items()]
            for d, lv in needs:
                if cur[d] < lv and not any(eff[j].get(d, -1) >= lv and q < p
                                           for j, q in assign.items()):
                    return False
        return all(sp <= b + 1e-6 for sp, b in zip(spent, budgets, strict=True))

    def value(assign: dict[int, int]) -> float:
        credit: dict[tuple[str, int], float] = {}
        for i, p in assign.items():
            for d, lv in eff[i].items():
                if cur[d] < lv <= max(target.get(d, cur[d]), cur[d]):
                    v = (s[acts[i].focus] * (strat.path_weight if d in path else 1)
                         * DELTA ** ((12 * p + acts[i].duration_months) / 12))
                    credit[(d, lv)] = max(credit.get((d, lv), 0.0), v)
        return sum(credit.values())

    for choice in itertools.product(range(P + 1), repeat=len(todo)):
        assign = {i: p for i, p in zip(todo, choice, strict=True) if p < P}
        if sum(acts[i].cost("medium") for i in assign) > sum(budgets) + 1e-6:
            continue
        v = value(assign)
        if v > best + 1e-12 and feasible(assign):
            best = v
    return best


@st.composite
def instances(draw, max_actions: int = 7, max_phases: int = 2):
    dims = DIMS[: draw(st.integers(2, 4))]
    levels = {d: draw(st.integers(0, 2)) for d in dims}
    target = {d: min(5, lv + draw(st.integers(0, 3))) for d, lv in levels.items()}
    n = draw(st.integers(1, max_actions))
    acts = []
    for i in range(n):
        k = draw(st.integers(1, 2))
        chosen = draw(st.lists(st.sampled_from(dims), min_size=k, max_size=k, unique=True))
        effects = {d: min(5, levels[d] + draw(st.integers(0, 2))) for d in chosen}
        prereq = draw(st.lists(st.sampled_from([f"a{j}" for j in range(i)]), max_size=2,
                               unique=True)) if i else []
        entry = ({draw(st.sampled_from(dims)): draw(st.integers(1, 3))}
                 if draw(st.booleans()) and draw(st.booleans()) else None)
        acts.append(action(f"a{i}", effects, draw(st.sampled_from([50, 100, 150, 200, 300])),
                           prereq=prereq, entry=entry,
                           focus=draw(st.sampled_from(["foundation", "production", "product",
                                                       "business_model"]))))
    P = draw(st.integers(1, max_phases))
    budgets = [float(draw(st.sampled_from([0, 100, 200, 200, 300, 450]))) for _ in range(P)]
    strategy = draw(st.sampled_from(sorted(load_priority_data().strategies)))
    return assessment(levels), catalog(*acts), target, budgets, strategy


SINGLE = landscape_from_dict({"systems": [{"id": "erp", "name": "ERP", "type": "ERP"}]})


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances())
def test_milp_is_optimal_against_brute_force(inst):
    a, cat, target, budgets, strategy = inst
    r = plan_roadmap(a, SINGLE, cat, target=target, budget_per_phase=budgets,
                     phases=len(budgets), strategy=strategy)
    assert r.objective == pytest.approx(reference_optimum(a, cat, target, budgets, strategy),
                                        abs=1e-6)


@pytest.mark.slow  # about 20 s: left out of make test-fast
def test_brute_force_twelve_actions():
    # 12 actions in ladders over three dimensions plus alternatives, 2 phases.
    a = assessment({"data": 0, "integration": 1, "sales": 0})
    cat = catalog(
        action("d1", {"data": 1}, 100), action("d2", {"data": 2}, 150, prereq=["d1"]),
        action("d2b", {"data": 2}, 250), action("d3", {"data": 3}, 200),
        action("i2", {"integration": 2}, 120), action("i3", {"integration": 3}, 180),
        action("i2b", {"integration": 2, "sales": 1}, 260, focus="business_model"),
        action("s1", {"sales": 1}, 90), action("s2", {"sales": 2}, 140, prereq=["s1"]),
        action("s3", {"sales": 3}, 300, entry={"integration": 2}),
        action("mix", {"data": 1, "sales": 1}, 170, focus="foundation"),
        action("big", {"data": 3, "integration": 3}, 400, prereq=["d2"]))
    target = {"data": 3, "integration": 3, "sales": 3}
    for budgets, strategy in [([400, 400], "balanced"), ([250, 500], "production_first"),
                              ([600, 300], "business_model_first")]:
        r = plan_roadmap(a, SINGLE, cat, target=target, budget_per_phase=budgets, phases=2,
                         strategy=strategy)
        assert r.objective == pytest.approx(reference_optimum(a, cat, target, budgets,
                                                              strategy), abs=1e-6)


def seeded_instance(seed: int):
    """A random instance with mostly one-level steps, so that most plans have value."""
    import random

    rng = random.Random(seed)
    dims = DIMS[:3]
    levels = {d: rng.randint(0, 2) for d in dims}
    target = {d: min(5, lv + rng.randint(1, 3)) for d, lv in levels.items()}
    acts = []
    for i in range(rng.randint(6, 9)):
        chosen = rng.sample(dims, rng.choice([1, 1, 2]))
        effects = {d: min(5, levels[d] + rng.choice([1, 1, 2, 3])) for d in chosen}
        prereq = rng.sample([f"a{j}" for j in range(i)], min(i, rng.choice([0, 0, 1, 2])))
        entry = {rng.choice(dims): rng.randint(1, 3)} if rng.random() < 0.2 else None
        acts.append(action(f"a{i}", effects, rng.choice([50, 100, 150, 200]), prereq=prereq,
                           entry=entry, focus=rng.choice(["foundation", "production", "product",
                                                          "business_model"])))
    budgets = [float(rng.choice([150, 200, 300])) for _ in range(rng.choice([2, 2, 3]))]
    strategy = rng.choice(sorted(load_priority_data().strategies))
    return assessment(levels), catalog(*acts), target, budgets, strategy


@pytest.mark.parametrize("seed", range(12))
def test_milp_is_optimal_on_seeded_instances(seed):
    a, cat, target, budgets, strategy = seeded_instance(seed)
    best = reference_optimum(a, cat, target, budgets, strategy)
    r = plan_roadmap(a, SINGLE, cat, target=target, budget_per_phase=budgets,
                     phases=len(budgets), strategy=strategy)
    assert r.objective == pytest.approx(best, abs=1e-6)
    greedy = plan_roadmap(a, SINGLE, cat, target=target, budget_per_phase=budgets,
                          phases=len(budgets), strategy=strategy, solver="greedy")
    assert greedy.objective <= best + 1e-9


# ---- properties -----------------------------------------------------------------------


def check_rules(r, a, cat: ActionCatalog) -> None:
    d = r.to_dict()
    cur = {x.id: x.level for x in a.dimensions}
    phase_of = {x["id"]: p["phase"] for p in d["phases"] for x in p["actions"]}
    in_place = set(d["already_in_place"])
    reached = dict(cur)
    for p in d["phases"]:
        assert p["cost"] <= p["budget"] + 1e-6
        before = dict(reached)
        for x in p["actions"]:
            act = cat.action(x["id"])
            for q in act.prerequisites:
                assert q in in_place or phase_of.get(q, 10**6) < p["phase"]
            for e in act.effects.levels:  # no level skipped
                assert before[e.dimension] >= e.level - 1
            for e in act.entry:
                assert before[e.dimension] >= e.level
            for e in act.effects.levels:
                reached[e.dimension] = max(reached[e.dimension], e.level)
        assert p["levels_after"] == {k: reached[k] for k in p["levels_after"]}


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances(max_actions=8, max_phases=3), st.sampled_from([50.0, 200.0]))
def test_plans_keep_the_rules(inst, extra):
    a, cat, target, budgets, strategy = inst
    kw = {"target": target, "phases": len(budgets), "strategy": strategy}
    exact = plan_roadmap(a, SINGLE, cat, budget_per_phase=budgets, **kw)
    greedy = plan_roadmap(a, SINGLE, cat, budget_per_phase=budgets, solver="greedy", **kw)
    richer = plan_roadmap(a, SINGLE, cat, budget_per_phase=[b + extra for b in budgets], **kw)
    for r in (exact, greedy, richer):
        check_rules(r, a, cat)
    assert exact.objective >= greedy.objective - 1e-9
    assert richer.objective >= exact.objective - 1e-9
    # the JSON rounds to 6 decimal places
    assert exact.to_dict()["greedy_objective"] == pytest.approx(greedy.objective, abs=1e-6)


# ---- explanations ---------------------------------------------------------------------


def test_too_small_budget_explains(plant):
    a = assessment({"integration": 2})
    cat = catalog(action("connect_mes_erp", {"integration": 3}, 550_000))
    r = plan_roadmap(a, plant, cat, budget_per_phase=200_000, phases=2,
                     target={"integration": 3})
    d = r.to_dict()
    assert d["phases"][0]["actions"] == [] and d["total_cost"] == 0
    assert ("The cheapest next step, connect mes erp, costs 550,000 CNY; the phase budget is "
            "200,000 CNY.") in d["explanations"]
    assert r.to_dict("zh")["explanations"][0].startswith("最便宜的下一步")


def test_unreachable_target_explains(plant):
    a = assessment({"integration": 3})
    cat = catalog(action("i4", {"integration": 4}, 100))
    r = plan_roadmap(a, plant, cat, budget_per_phase=1000, phases=2,
                     target={"integration": 5})
    d = r.to_dict()
    assert ids(r) == [["i4"], []]
    assert d["unmet_targets"][0]["dimension"] == "integration"
    assert ("Integration cannot reach level 5: no action in the catalog raises it beyond 4."
            in d["explanations"])


def test_not_applicable_actions_are_left_out(plant):
    a = assessment({"data": 1}, size="small")
    cat = catalog(action("big_only", {"data": 2}, 10, sizes=["large"]))
    r = plan_roadmap(a, plant, cat, budget_per_phase=1000, phases=1, target="next")
    assert r.actions == [] and r.size == "small"
    assert "do not apply to a small enterprise" in " ".join(r.explanations())


@pytest.mark.parametrize("kwargs, field", [
    ({"budget_per_phase": -1, "phases": 2}, "budget_per_phase"),
    ({"budget_per_phase": [1, 2, 3], "phases": 2}, "budget_per_phase"),
    ({"budget_per_phase": 1, "phases": 0}, "phases"),
    ({"budget_per_phase": 1, "phases": 2, "strategy": "fastest"}, "strategy"),
    ({"budget_per_phase": 1, "phases": 2, "solver": "cplex"}, "solver"),
    ({"budget_per_phase": 1, "phases": 2, "size": "huge"}, "size"),
    ({"budget_per_phase": 1, "phases": 2, "target": {"nope": 2}}, "targets.nope"),
    ({"budget_per_phase": 1, "phases": 2, "target": {"data": 9}}, "targets.data"),
])
def test_bad_arguments_raise_input_error(plant, kwargs, field):
    a = assessment({"data": 1})
    cat = catalog(action("x", {"data": 2}, 1))
    with pytest.raises(InputError) as err:
        plan_roadmap(a, plant, cat, **kwargs)
    assert any(p.location == field for p in err.value.problems)


# ---- gaps and priorities --------------------------------------------------------------


@pytest.fixture(scope="module")
def example():
    G = read_landscape(example_landscape_path())
    return add_evidence(score(load_model("cmmm"), example_answers("cmmm")), G), G


def test_gap_table_uses_supported_level(example):
    a, _ = example
    flagged = {e["dimension"]: e["supported"] for e in a.evidence if e["flag"]}
    assert flagged  # the example claims more integration than its landscape shows
    table = gap_table(a, "next")
    for dim, supported in flagged.items():
        assert table.loc[dim, "current"] == supported < table.loc[dim, "claimed"]
        assert table.loc[dim, "target"] == supported + 1


def test_target_profile_file(tmp_path, example):
    a, _ = example
    good = tmp_path / "target.yaml"
    good.write_text("model: cmmm\ntargets: {integration: 4, data: 3}\n", encoding="utf-8")
    assert resolve_target(a, good)["integration"] == 4
    wrong = tmp_path / "wrong.json"
    wrong.write_text(json.dumps({"model": "siri", "targets": {}}), encoding="utf-8")
    with pytest.raises(InputError, match=r"wrong\.json") as err:
        resolve_target(a, wrong)
    assert err.value.problems[0].location == "model"
    bad = tmp_path / "bad.yaml"
    bad.write_text("model: cmmm\ntargets: {integration: high}\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"bad.yaml:\n  - targets.integration \(line 2\)"):
        resolve_target(a, bad)


def test_priorities_follow_kpis_and_costs():
    a = assessment({"energy_management": 1, "warehousing_distribution": 1})
    cat = catalog(
        {**action("ems", {"energy_management": 2}, 1),
         "kpis": [{"kpi": "energy", "change_pct": -10, "evidence": "test figure"}]},
        {**action("wms", {"warehousing_distribution": 2}, 1),
         "kpis": [{"kpi": "inventory", "change_pct": -10, "evidence": "test figure"}]})
    target = {"energy_management": 2, "warehousing_distribution": 2}
    equal = priorities(a, target, catalog=cat)
    assert equal.loc["energy_management", "priority"] == pytest.approx(
        equal.loc["warehousing_distribution", "priority"])
    energy = priorities(a, target, catalog=cat, cost_profile={"energy": 3, "material": 1})
    assert energy.loc["energy_management", "rank"] == 1
    kpi = priorities(a, target, catalog=cat, kpi_importance={"inventory": 1, "energy": 0.1})
    assert kpi.loc["warehousing_distribution", "rank"] == 1
    assert (kpi.loc[kpi["gap"] == 0, "priority"] == 0).all()
    with pytest.raises(InputError, match=r"kpi_importance\.speed"):
        priorities(a, target, catalog=cat, kpi_importance={"speed": 1})


# ---- views, CLI, demo -----------------------------------------------------------------


def test_views(example):
    a, G = example
    r = plan_roadmap(a, G, budget_per_phase=1_500_000, phases=3)
    frame = r.to_frame()
    assert list(frame.columns)[:3] == ["phase", "id", "name"]
    assert len(frame) == len(r.actions)
    assert r.trajectory().shape[1] == 5  # now, 3 phases, target
    html = r._repr_html_()
    assert "<table>" in html and "<script" not in html
    assert "Roadmap cmmm" in repr(r)
    ax = r.plot_gantt()
    assert len(ax.patches) >= len(r.actions)
    assert r.plot_trajectory(lang="zh").get_title()
    from maturity.roadmap import roadmaps_frame

    greedy = plan_roadmap(a, G, budget_per_phase=1_500_000, phases=3, solver="greedy")
    table = roadmaps_frame({"milp": r, "greedy": greedy})
    assert table.loc["milp", "objective"] >= table.loc["greedy", "objective"] - 1e-9
    assert table.loc["milp", "actions"] == len(r.actions)
    after = r.landscape_at(G)
    assert landscape_metrics(after)["island_count"] == r.to_dict()["phases"][-1]["islands_after"]
    import matplotlib.pyplot as plt

    plt.close("all")


def test_html_is_escaped(plant):
    a = assessment({"data": 1})
    evil = action("x", {"data": 2}, 1)
    evil["name"]["en"] = "<script>alert(1)</script>"
    r = plan_roadmap(a, plant, catalog(evil), budget_per_phase=10, phases=1, target="next")
    html = r._repr_html_()
    assert "<script>" not in html and "&lt;script&gt;" in html


def cli(args: list[str], capsys) -> tuple[int, str, str]:
    code = main(args)
    out, err = capsys.readouterr()
    return code, out, err


ANSWERS = str(next(p for p in example_answer_paths() if p.stem == "cmmm"))


def test_cli_json_contract(capsys):
    code, out, _ = cli(["roadmap", ANSWERS, "--landscape", str(example_landscape_path()),
                        "--budget", "1500000", "--phases", "3", "--json"], capsys)
    assert code == 0
    d = json.loads(out)
    assert {"phases", "total_cost", "objective", "unmet_targets"} <= set(d)
    assert len(d["phases"]) == 3
    for p in d["phases"]:
        assert {"phase", "actions", "cost", "levels_after", "islands_after"} <= set(p)
        for x in p["actions"]:
            assert {"id", "name", "cost", "prerequisites"} <= set(x)
    assert d["total_cost"] == pytest.approx(sum(p["cost"] for p in d["phases"]))


def test_cli_text_and_zh(capsys):
    code, out, _ = cli(["roadmap", ANSWERS, "--landscape", str(example_landscape_path()),
                        "--budget", "1500000", "--phases", "2", "--lang", "zh",
                        "--strategy", "production_first"], capsys)
    assert code == 0 and "阶段 1" in out
    # the amounts line up in a terminal, where a Chinese character takes two columns
    from maturity.messages import columns

    ends: dict[str, set[int]] = {}  # per phase: the column where the months begin
    for line in out.splitlines():
        if line.startswith("阶段"):
            phase = line.split("：")[0]
        elif line.startswith("  ") and " 第 " in line and not line.startswith("  !"):
            ends.setdefault(phase, set()).add(columns(line[: line.index(" 第 ")]))
    assert len(ends) == 2 and all(len(e) == 1 for e in ends.values()), ends


def test_a_score_without_a_company_name_names_none(tmp_path, capsys):
    f = tmp_path / "a.yaml"
    f.write_text("model: cmmm\nanswers:\n  org_strategy.L1.1: fully\n", encoding="utf-8")
    for lang in ("en", "zh"):
        assert main(["score", str(f), "--lang", lang]) == 0
        first = capsys.readouterr().out.splitlines()[0]
        assert "?" not in first and "None" not in first and "—" not in first


def test_cli_bad_target_exits_2(tmp_path, capsys):
    bad = tmp_path / "target.yaml"
    bad.write_text("model: cmmm\ntargets: {integration: 9}\n", encoding="utf-8")
    code, out, err = cli(["roadmap", ANSWERS, "--landscape", str(example_landscape_path()),
                          "--budget", "1500000", "--phases", "3", "--target", str(bad)], capsys)
    assert code == 2 and out == ""
    assert "target.yaml" in err and "targets.integration" in err and "Traceback" not in err
    code, _, err = cli(["roadmap", ANSWERS, "--landscape", str(example_landscape_path()),
                        "--budget", "-5", "--phases", "3"], capsys)
    assert code == 2 and "--budget" in err


@pytest.mark.report
def test_demo_prints_the_roadmap(tmp_path, capsys):
    from maturity.demo import run_demo

    assert run_demo(out_dir=tmp_path) == 0
    out = capsys.readouterr().out
    assert "Roadmap (CMMM (GB/T 39116), Balanced, 3 phases)" in out and "Phase 3" in out


def test_isolated_systems_are_never_connected():
    from maturity.actions import load_catalog
    from maturity.demo import example_landscape_path
    from value_chain import read_landscape

    G = read_landscape(example_landscape_path("petrochemical_plant"))
    assert G.nodes["sis"]["isolated"] is True and G.degree("sis") == 0
    catalog = load_catalog()
    everything = [a for a in catalog.actions if a.effects.landscape.connect]
    H = apply_actions(G, everything)
    assert H.degree("sis") == 0  # the safety system stays off the network
    # while the same system, not marked isolated, does get connected by the same actions
    open_plc = G.copy()
    open_plc.nodes["sis"]["isolated"] = False
    assert apply_actions(open_plc, everything).degree("sis") > 0


# ---- issue 12: in place, measured islands, reasons, determinism, strategies ----------------

EXAMPLES = sorted(p.stem for p in (Path(__file__).parents[2] / "datasets" / "landscapes")
                  .glob("*.yaml"))
DIRECTED = ("production_first", "product_first", "business_model_first")


@pytest.fixture(scope="module")
def examples():
    """Every example enterprise of datasets/landscapes with its CMMM answers and evidence."""
    out = {}
    for name in EXAMPLES:
        G = read_landscape(example_landscape_path(name))
        a = add_evidence(score(load_model("cmmm"), example_answers("cmmm", name)), G)
        out[name] = (a, G)
    return out


def size_budget(a) -> float:
    """A mid budget per phase for the enterprise's size (CNY)."""
    return 10_000_000.0 if (a.answers.enterprise.size or "") == "large" else 5_000_000.0


def test_every_example_is_found():
    assert {"textile_machinery_sme", "apparel_c2b", "petrochemical_plant",
            "electronics_assembler"} <= set(EXAMPLES)


@pytest.mark.parametrize("budget", [1_500_000, 5_000_000, 20_000_000])
def test_the_textile_sme_is_never_sold_the_erp_it_runs(examples, budget):
    a, G = examples["textile_machinery_sme"]
    for strategy in ("balanced", *DIRECTED):
        r = plan_roadmap(a, G, budget_per_phase=budget, phases=3, strategy=strategy)
        assert "erp_core" not in {x.id for x in r.actions}
        d = r.to_dict()
        erp = next(x for x in d["in_place"] if x["id"] == "erp_core")
        assert erp["systems"] == ["ERP 系统 (用友 U8)"]  # the evidence: the system it runs
    assert "用友 U8" in r.to_text("zh") and "erp_core" in d["already_in_place"]


def test_in_place_is_decided_by_the_landscape(plant):
    # the same action is planned for a company without an ERP and listed as in place
    # (with the ERP as evidence) for one that has it
    a = assessment({"sales": 1})
    erp = {"add_systems": [{"id": "erp", "name": {"en": "ERP", "zh": "ERP"}, "type": "ERP"}]}
    cat = catalog(action("erp_core", {"sales": 2}, 100, landscape=erp))
    none = landscape_from_dict({"systems": [{"id": "mes", "name": "MES", "type": "MES"}]})
    kw = {"target": {"sales": 2}, "budget_per_phase": 100, "phases": 1}
    assert ids(plan_roadmap(a, none, cat, **kw)) == [["erp_core"]]
    r = plan_roadmap(a, plant, cat, **kw)
    assert ids(r) == [[]]
    assert r.to_dict()["in_place"] == [{"id": "erp_core", "name": "erp core", "systems": ["ERP"]}]


def test_an_extension_is_costed_as_one(plant):
    # the plant has a MES: an action adding a MES and linking it is an extension at 40 %
    a = assessment({"integration": 1})
    land = {"add_systems": [{"id": "mes", "name": {"en": "MES", "zh": "MES"}, "type": "MES"}],
            "connect": [{"source": {"types": ["MES"]}, "target": {"types": ["ERP"]},
                         "mode": "batch"}]}
    cat = catalog({**action("mes_link", {"integration": 2}, 1000, landscape=land),
                   "extension_cost_share": 0.4})
    r = plan_roadmap(a, plant, cat, target={"integration": 2}, budget_per_phase=1000, phases=1)
    step = r.steps[0][0]
    assert step.cost == pytest.approx(400) and step.extends == ("MES",)
    assert "extends MES already in place" in r.sentence(step)


def test_islands_are_measured_in_plan_order():
    # add_mes adds a MES nobody is linked to: one island more (-1); link_mes then links
    # the MES it added to the ERP: one island less (+1). Claimed = measured.
    G = landscape_from_dict({"systems": [{"id": "erp", "name": "ERP", "type": "ERP"}]})
    a = assessment({"production_operations": 1, "integration": 1})
    add = {"add_systems": [{"id": "mes", "name": {"en": "MES", "zh": "MES"}, "type": "MES"}]}
    link = {"connect": [{"source": {"types": ["MES"]}, "target": {"types": ["ERP"]},
                         "mode": "batch"}]}
    cat = catalog(action("add_mes", {"production_operations": 2}, 100, landscape=add),
                  action("link_mes", {"integration": 2}, 100, prereq=["add_mes"],
                         landscape=link))
    r = plan_roadmap(a, G, cat, target={"production_operations": 2, "integration": 2},
                     budget_per_phase=100, phases=2)
    assert ids(r) == [["add_mes"], ["link_mes"]]
    assert [s.islands_removed for p in r.steps for s in p] == [-1.0, 1.0]
    d = r.to_dict()
    assert (d["islands_before"], [p["islands_after"] for p in d["phases"]]) == (1, [2, 1])
    iv = load_priority_data().island_value
    assert r.objective_islands == pytest.approx(DONE * iv * (-1 + DELTA))  # -1 now, +1 later
    assert r.objective == pytest.approx(DONE * (1 + DELTA + iv * (-1 + DELTA)))
    assert "leaves 1 more information island" in r.sentence(r.steps[0][0])


def check_claimed_is_measured(r, G):
    """The islands the roadmap reports and credits are those of the landscape with its
    actions applied in the order they are done (an action longer than its phase counts
    in the phase it ends in), each credited at the month it is done."""
    data = load_priority_data()
    before = landscape_metrics(G)["island_count"]
    credit = 0.0
    months = r.calendar.phase_months
    steps = [s for phase in r.steps for s in phase]
    for p in range(len(r.steps)):
        after = landscape_metrics(r.landscape_at(G, p + 1))["island_count"]
        assert r.landscape_after[p]["island_count"] == after
        done = [s for s in steps if sum(months[:p]) < s.end_month <= sum(months[: p + 1])]
        assert sum(s.islands_removed for s in done) == pytest.approx(before - after)
        credit += sum(data.island_value * s.islands_removed * data.strategies[r.strategy]
                      .focus[s.action.focus] * DELTA ** (s.end_month / 12) for s in done)
        before = after
    assert r.objective_islands == pytest.approx(credit)
    assert r.objective == pytest.approx(r.objective_levels + r.objective_islands)


@pytest.mark.parametrize("name", EXAMPLES)
def test_claimed_islands_are_measured_on_every_example(examples, name):
    a, G = examples[name]
    for strategy in ("balanced", "business_model_first"):
        r = plan_roadmap(a, G, budget_per_phase=size_budget(a), phases=3, strategy=strategy)
        check_claimed_is_measured(r, G)


def test_claimed_islands_are_measured_on_the_benchmark_instance():
    import sys

    sys.path.insert(0, str(Path(__file__).parents[2] / "benchmarks"))
    from bench_roadmap import generated_assessment, generated_catalog

    from value_chain import random_landscape

    cat, a = generated_catalog(300, 0), generated_assessment(0)
    G = random_landscape(300, seed=0)
    target = {d.id: min(5, d.level + 3) for d in a.dimensions}
    r = plan_roadmap(a, G, cat, target=target, budget_per_phase=2_000_000, phases=8,
                     solver="greedy")
    assert len(r.actions) > 20
    check_claimed_is_measured(r, G)


def test_the_same_input_gives_the_same_plan_under_any_time_budget(examples):
    a, G = examples["textile_machinery_sme"]
    kw = {"budget_per_phase": 3_000_000, "phases": 3, "strategy": "production_first"}
    first = plan_roadmap(a, G, **kw)
    again = plan_roadmap(a, G, time_limit=3600, **kw)
    assert ids(first) == ids(again) and first.objective == again.objective
    assert first.gap is not None and first.to_dict()["gap"] == first.gap


def test_the_greedy_baseline_takes_an_enabler(plant):
    # prep has no value of its own but is the only thing phase 1 can afford, and link (worth
    # a level) needs it: the baseline takes prep first, as the MILP does.
    a = assessment({"org_strategy": 1, "integration": 1})
    cat = catalog(action("prep", {"org_strategy": 2}, 100),
                  action("link", {"integration": 2}, 200, prereq=["prep"]))
    kw = {"target": {"integration": 2}, "budget_per_phase": [100, 200], "phases": 2}
    assert ids(plan_roadmap(a, plant, cat, solver="greedy", **kw)) == [["prep"], ["link"]]
    assert ids(plan_roadmap(a, plant, cat, **kw)) == [["prep"], ["link"]]


# reasons for unmet targets, one constructed case each ---------------------------------------


def unmet_code(r, dim: str) -> str:
    return next(u for u in r.unmet_targets() if u["dimension"] == dim)["code"]


def test_reason_no_action_to_that_level(plant):
    a = assessment({"product_service": 0})
    cat = catalog(action("ps2", {"product_service": 2}, 10))
    r = plan_roadmap(a, plant, cat, target={"product_service": 2}, budget_per_phase=100,
                     phases=2)
    assert unmet_code(r, "product_service") == "roadmap.unmet.no_action_to"
    assert ("Product service cannot reach level 2: no action in the catalog raises it to "
            "level 1.") in r.explanations()


def test_reason_level_cycle(plant):
    # desk raises customer service 1 -> 2 and needs it at 1 first; only platform gives 1,
    # and platform needs desk first: a cycle through levels.
    a = assessment({"customer_service": 0, "data": 1})
    cat = catalog(action("desk", {"customer_service": 2}, 10),
                  action("platform", {"customer_service": 1, "data": 2}, 10, prereq=["desk"]))
    r = plan_roadmap(a, plant, cat, target={"customer_service": 2}, budget_per_phase=10**6,
                     phases=3)
    assert unmet_code(r, "customer_service") == "roadmap.unmet.cycle"
    assert "cycle, desk -> platform" in " ".join(r.explanations())
    from maturity.roadmap import level_cycles

    assert level_cycles(cat) == [("desk", "customer_service", 1)]


def test_reason_phases(plant):
    # c needs b needs a: three phases; two are planned
    a = assessment({"data": 1, "integration": 1})
    cat = catalog(action("a", {"integration": 2}, 10), action("b", {"integration": 3}, 10,
                                                               prereq=["a"]),
                  action("c", {"data": 2}, 10, prereq=["b"]))
    r = plan_roadmap(a, plant, cat, target={"data": 2, "integration": 3},
                     budget_per_phase=100, phases=2)
    assert ids(r) == [["a"], ["b"]]
    assert unmet_code(r, "data") == "roadmap.unmet.phases"
    assert "takes 3 phases, more than the 2 planned" in " ".join(r.explanations())


def test_reason_budget_names_the_chain_and_its_cost(plant):
    # data needs std_data (100) then platform (240); phase budgets 250 and 200: std_data
    # fits in phase 1, the platform fits no phase after it
    a = assessment({"data": 1})
    cat = catalog(action("std_data", {"data": 2}, 100),
                  action("platform", {"data": 3}, 240, prereq=["std_data"]))
    r = plan_roadmap(a, plant, cat, target={"data": 3}, budget_per_phase=[250, 200],
                     phases=2)
    assert ids(r) == [["std_data"], []]
    assert unmet_code(r, "data") == "roadmap.unmet.budget"
    assert ("Data stays at level 2 (target 3): the budget is too small for the steps that "
            "lead there; the chain platform costs 240 CNY.") in r.explanations()


def test_reason_budget_shows_steps_that_run_side_by_side(plant):
    # platform (data 2 -> 3, 240) needs codes (100) and link (100), which need nothing:
    # both fit phase 1 only together (200 > 150), so the platform cannot follow; the
    # chain reads codes + link, then platform, 440 in all
    a = assessment({"data": 2, "integration": 1, "org_strategy": 1})
    cat = catalog(action("codes", {"org_strategy": 2}, 100),
                  action("link", {"integration": 2}, 100),
                  action("platform", {"data": 3}, 240, prereq=["codes", "link"]))
    r = plan_roadmap(a, plant, cat, target={"data": 3}, budget_per_phase=[150, 300],
                     phases=2)
    assert unmet_code(r, "data") == "roadmap.unmet.budget"
    assert ("Data stays at level 2 (target 3): the budget is too small for the steps that "
            "lead there; the chain codes + link -> platform costs 440 CNY.") in r.explanations()
    assert any("“codes”、“link” → “platform”" in e for e in r.explanations("zh"))


def test_reasons_render_in_chinese(plant):
    a = assessment({"product_service": 0})
    cat = catalog(action("ps2", {"product_service": 2}, 10))
    r = plan_roadmap(a, plant, cat, target={"product_service": 2}, budget_per_phase=100,
                     phases=1)
    zh = r.explanations("zh")
    assert any("没有将其提升到 1 级的行动" in e for e in zh)
    assert not any("_" in e for e in zh)


# currency and region ------------------------------------------------------------------------


def test_costs_in_euro_for_the_eu(examples):
    a, G = examples["textile_machinery_sme"]
    cny = plan_roadmap(a, G, budget_per_phase=3_000_000, phases=2)
    eur = plan_roadmap(a, G, budget_per_phase=3_000_000 * 0.26, phases=2, region="EU")
    assert (cny.currency, eur.currency, eur.region) == ("CNY", "EUR", "EU")
    assert eur.total_cost == pytest.approx(cny.total_cost * 0.26)
    assert "EUR" in eur.to_text() and "欧元" in eur.to_text("zh")
    with pytest.raises(InputError, match="region"):
        plan_roadmap(a, G, budget_per_phase=1, phases=1, region="Mars")


# strategies ---------------------------------------------------------------------------------


def test_strategies_lead_along_their_paths(examples):
    """At the same budget, the directed strategies open differently on every example
    enterprise, and over the examples each spends more of its first phase on its own path
    (the dimensions of priorities.yaml) than the other strategies do, as the national
    paths do."""
    data = load_priority_data().strategies

    def share(r, path) -> float:
        steps = r.steps[0]
        total = sum(s.cost for s in steps) or 1.0
        return sum(s.cost for s in steps if any(d in path for d, _, _ in s.raises)) / total

    shares = {s: {t: [] for t in DIRECTED} for s in DIRECTED}  # path of s, plan of t
    for name in EXAMPLES:
        a, G = examples[name]
        plans = {s: plan_roadmap(a, G, budget_per_phase=size_budget(a), phases=3, strategy=s)
                 for s in DIRECTED}
        firsts = {tuple(sorted(s.action.id for s in plans[k].steps[0])) for k in DIRECTED}
        assert len(firsts) >= 2, name
        for s in DIRECTED:
            for t in DIRECTED:
                shares[s][t].append(share(plans[t], set(data[s].path["cmmm"])))
    for s in DIRECTED:
        mine = sum(shares[s][s])
        assert all(mine > sum(shares[s][t]) for t in DIRECTED if t != s), (s, shares[s])
