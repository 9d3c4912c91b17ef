"""The consultant's control over a roadmap (issue 13): forced, locked and excluded actions,
and a client's cost table merged onto the catalog.  Small instances worked by hand."""

from __future__ import annotations

import json

import networkx as nx
import pytest
from roadmap_builders import DELTA, DONE, action, assessment, catalog

from maturity.cli import main
from maturity.client_catalog import merge_client_table
from maturity.demo import example_answer_paths, example_landscape_path
from maturity.roadmap import plan_roadmap
from value_chain import landscape_from_dict
from value_chain.errors import InputError


@pytest.fixture
def plant() -> nx.MultiDiGraph:
    return landscape_from_dict({"systems": [{"id": "erp", "name": "ERP", "type": "ERP"}]})


def ids(roadmap) -> list[list[str]]:
    return [[x["id"] for x in p["actions"]] for p in roadmap.to_dict()["phases"]]


# A std_data data 1->2 100k; B data_platform data->3 200k (needs A); C mes_erp integration
# 1->2 200k; X org_strategy 1->2 100k (no target there: worth nothing).  Targets data 3,
# integration 2.  Budgets 300k, 250k.  Free plan: [A, C], [B], objective 2 + DELTA.
A = assessment({"data": 1, "integration": 1, "org_strategy": 1})
CAT = catalog(action("std_data", {"data": 2}, 100_000),
              action("data_platform", {"data": 3}, 200_000, prereq=["std_data"]),
              action("mes_erp", {"integration": 2}, 200_000),
              action("x_strategy", {"org_strategy": 2}, 100_000))
KW = {"target": {"data": 3, "integration": 2}, "budget_per_phase": [300_000, 250_000],
      "phases": 2}


def test_free_plan_is_the_baseline(plant):
    r = plan_roadmap(A, plant, CAT, **KW)
    assert ids(r) == [["std_data", "mes_erp"], ["data_platform"]]
    assert r.objective == pytest.approx(DONE * (2 + DELTA))


def test_forced_action_appears(plant):
    # X must be in: [A, C], [X] (B no longer fits next to X: 300k > 250k) = 2, better than
    # [A, X], [B] = 1 + DELTA or [A, X], [C] = 1 + DELTA.
    r = plan_roadmap(A, plant, CAT, force=["x_strategy"], **KW)
    assert ids(r) == [["std_data", "mes_erp"], ["x_strategy"]]
    assert r.objective == pytest.approx(2 * DONE)
    # greedy takes a required action first where it is ready: [X, A], then B or C
    g = plan_roadmap(A, plant, CAT, force=["x_strategy"], solver="greedy", **KW)
    assert "x_strategy" in ids(g)[0]


def test_locked_action_in_its_phase(plant):
    # C locked to phase 2: [A], [C] (B + C = 400k > 250k) = 1 + DELTA.
    r = plan_roadmap(A, plant, CAT, lock={"mes_erp": 2}, **KW)
    assert ids(r) == [["std_data"], ["mes_erp"]]
    assert r.objective == pytest.approx(DONE * (1 + DELTA))
    g = plan_roadmap(A, plant, CAT, lock={"mes_erp": 2}, solver="greedy", **KW)
    assert ids(g)[1] == ["mes_erp"] or "mes_erp" in ids(g)[1]
    assert "mes_erp" not in ids(g)[0]


def test_excluded_action_never_appears_and_the_unmet_target_says_so(plant):
    r = plan_roadmap(A, plant, CAT, exclude=["mes_erp"], **KW)
    assert ids(r) == [["std_data"], ["data_platform"]]
    d = r.to_dict()
    assert all("mes_erp" not in p for p in ids(r))
    assert [u["dimension"] for u in d["unmet_targets"]] == ["integration"]
    text = r.to_text("en")
    assert "excluded by the consultant" in text
    assert "按咨询顾问的要求排除" in r.to_text("zh")


@pytest.mark.parametrize(("kw", "where", "words"), [
    ({"force": ["nope"]}, "force nope", "unknown action"),
    ({"lock": {"mes_erp": 3}}, "lock mes_erp", "outside the plan's phases 1-2"),
    ({"force": ["mes_erp"], "exclude": ["mes_erp"]}, "exclude mes_erp",
     "both required and excluded"),
    ({"lock": {"data_platform": 1}}, "lock data_platform", "cannot be in phase 1"),
])
def test_bad_control_is_an_input_error(plant, kw, where, words):
    with pytest.raises(InputError) as e:
        plan_roadmap(A, plant, CAT, **KW, **kw)
    p = e.value.problems[0]
    assert p.location == where and words in p.message


def test_forced_action_over_budget_or_not_fitting(plant):
    dear = catalog(action("std_data", {"data": 2}, 100_000),
                   action("big", {"integration": 2}, 400_000))
    with pytest.raises(InputError, match="more than the budget can pay"):
        plan_roadmap(A, plant, dear, force=["big"], **KW)
    # A (100k) and C (200k) both locked to phase 2 (250k): they cannot fit together
    with pytest.raises(InputError, match="no plan holds them all"):
        plan_roadmap(A, plant, CAT, lock={"std_data": 2, "mes_erp": 2}, **KW)


# ---- the client's cost table ------------------------------------------------------------


def test_client_costs_change_the_plan(plant, tmp_path):
    # C quoted at 50k: phase 1 holds A + C (150k); B 200k in phase 2; total 350k
    f = tmp_path / "quotes.csv"
    f.write_text("id,cost,duration\nmes_erp,50000,2\n", encoding="utf-8")
    merged = merge_client_table(CAT, f)
    assert merged.action("mes_erp").cost_cny["small"] == (50_000, 50_000)
    r = plan_roadmap(A, plant, merged, **KW)
    d = r.to_dict()
    assert ids(r) == [["std_data", "mes_erp"], ["data_platform"]]
    assert d["total_cost"] == 350_000
    assert {x["id"]: x["cost"] for x in d["phases"][0]["actions"]}["mes_erp"] == 50_000


def test_client_table_one_size_and_a_new_action(tmp_path):
    f = tmp_path / "quotes.csv"
    f.write_text("id,size,cost_low,cost_high,name,category,focus,levels,prerequisites,"
                 "duration\n"
                 "mes_erp,small,10,30,,,,,,\n"
                 "andon,,5000,7000,Andon boards,technology,production,equipment=3,"
                 "std_data,1\n", encoding="utf-8")
    merged = merge_client_table(CAT, f)
    assert merged.action("mes_erp").cost("small") == 20
    assert merged.action("mes_erp").cost("medium") == 200_000  # other sizes unchanged
    new = merged.action("andon")
    assert new.cost("large") == 6000 and new.prerequisites == ["std_data"]
    assert [(e.dimension, e.level) for e in new.effects.levels] == [("equipment", 3)]


def test_bad_client_table_names_file_row_and_column(tmp_path):
    f = tmp_path / "quotes.csv"
    f.write_text("id,cost,duration,colour\n"
                 "mes_erp,abc,2,\n"
                 "std_data,100,99,\n"
                 "nobody,5,,\n", encoding="utf-8")
    with pytest.raises(InputError) as e:
        merge_client_table(CAT, f)
    got = {(p.source, p.location) for p in e.value.problems}
    assert got == {(str(f), "row 1, column D"),  # unknown column
                   (str(f), "row 2, column B (cost)"),  # not a number
                   (str(f), "row 3, column C (duration)"),  # 99 months > 60
                   (str(f), "row 4, column A (id)")}  # unknown id, not a full new action
    assert "not in the catalog" in " ".join(p.message for p in e.value.problems)


def test_client_table_xlsx(tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["ID", "Cost"])
    ws.append(["mes_erp", 70000])
    ws.append(["std_data", -5])
    f = tmp_path / "quotes.xlsx"
    wb.save(f)
    with pytest.raises(InputError) as e:
        merge_client_table(CAT, f)
    assert [(p.source, p.location) for p in e.value.problems] == [
        (str(f), "row 3, column B (cost)")]


# ---- the command line -------------------------------------------------------------------


def test_cli_force_exclude_and_costs(tmp_path, capsys):
    answers = str(example_answer_paths()[0])
    land = str(example_landscape_path())
    base = ["roadmap", answers, "--landscape", land, "--budget", "2000000", "--phases", "3",
            "--json"]
    assert main(base) == 0
    plan = json.loads(capsys.readouterr().out)
    chosen = [x["id"] for p in plan["phases"] for x in p["actions"]]
    assert chosen
    first = chosen[0]
    assert main([*base, "--exclude", first]) == 0
    out = json.loads(capsys.readouterr().out)
    assert first not in [x["id"] for p in out["phases"] for x in p["actions"]]
    f = tmp_path / "quotes.csv"
    f.write_text(f"id,cost\n{first},12345\n", encoding="utf-8")
    code = main([*base, "--costs", str(f), "--lock", f"{first}=2"])
    assert code == 0
    out = json.loads(capsys.readouterr().out)
    got = {x["id"]: x["cost"] for x in out["phases"][1]["actions"]}
    assert got[first] == 12345
    assert main([*base, "--lock", f"{first}=x"]) == 2
    assert main([*base, "--force", "no_such_action"]) == 2


def test_new_action_with_an_unknown_dimension_is_reported_at_its_cell(tmp_path):
    f = tmp_path / "quotes.csv"
    f.write_text("id,cost,duration,name,category,focus,levels\n"
                 "mes_erp,1,1,,,,\n"
                 "andon,5000,2,Andon,technology,production,colour=3\n", encoding="utf-8")
    with pytest.raises(InputError) as e:
        merge_client_table(CAT, f)
    assert [(p.source, p.location) for p in e.value.problems] == [
        (str(f), "row 3, column G (levels)")]
    assert "colour" in e.value.problems[0].message
