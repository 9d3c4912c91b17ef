"""Baseline and follow-up rounds: hand-worked progress, planned actions, islands, bad input."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import pytest

from maturity import load_model, score
from maturity.cli import main
from maturity.progress import progress
from value_chain import landscape_from_dict
from value_chain.errors import InputError

PORTFOLIO = Path(__file__).parents[2] / "datasets" / "portfolio"


def _impuls(when: str, stages: dict[str, int], name: str = "Acme 机械", source: str = "x.yaml"):
    from maturity.answers import answers_from_mapping

    model = load_model("impuls")
    answers = {it.id: stages.get(it.dimension, 1) for it in model.items}
    data = {"model": "impuls", "date": when, "enterprise": {"name": name}, "answers": answers}
    return score(model, answers_from_mapping(data, source))


def _action(id_: str, *effects: tuple[str, str, int]):
    name = SimpleNamespace(en=id_, zh=id_)
    return SimpleNamespace(
        id=id_, name=lambda lang="en", n=name: getattr(n, lang),
        effects=SimpleNamespace(levels=[SimpleNamespace(model=m, dimension=d, level=lv)
                                        for m, d, lv in effects]))


@pytest.fixture
def rounds():
    # baseline: every IMPULS dimension at stage 1; follow-up: employees 3, smart factory 2
    before = _impuls("2024-03-01", {}, source="t0.yaml")
    after = _impuls("2025-03-01", {"employees": 3, "smart_factory": 2}, source="t1.yaml")
    return before, after


def test_score_and_level_change_hand_worked(rounds):
    p = progress(*rounds)
    # overall: weighted mean of stages, weights 25/14/10/19/14/18 (of 100)
    after = (25 * 1 + 14 * 2 + 10 * 1 + 19 * 1 + 14 * 1 + 18 * 3) / 100  # 1.50
    assert p.score_change == pytest.approx(after - 1.0)
    assert (p.level_before, p.level_after) == (1, 1)
    dims = p.dimensions
    assert dims.loc["employees", "level_change"] == 2
    assert dims.loc["smart_factory", "score_change"] == pytest.approx(1.0)
    assert dims.loc["smart_products", "level_change"] == 0
    assert (p.date_before, p.date_after) == ("2024-03-01", "2025-03-01")


def test_planned_actions_whose_effects_now_appear(rounds):
    roadmap = SimpleNamespace(steps=[
        [SimpleNamespace(action=_action("train", ("impuls", "employees", 3))),
         SimpleNamespace(action=_action("cloud", ("impuls", "smart_operations", 2)))],
        [SimpleNamespace(action=_action("mes", ("impuls", "smart_factory", 2),
                                        ("impuls", "smart_products", 2))),
         SimpleNamespace(action=_action("cmmm_only", ("cmmm", "data", 3)))],
    ])
    p = progress(*rounds, roadmap=roadmap)
    status = dict(zip(p.actions["action"], p.actions["status"], strict=True))
    assert status == {"train": "done", "cloud": "not_yet", "mes": "partly",
                      "cmmm_only": "no_level_effect"}
    assert p.actions["phase"].tolist() == [1, 1, 2, 2]
    mes = p.actions.set_index("action").loc["mes"]
    assert mes["levels_planned"] == {"smart_factory": 2, "smart_products": 2}
    assert mes["levels_reached"] == {"smart_factory": 2}
    text = p.to_text("zh")
    assert "1 项见效" in text or "已有 1 项见效" in text


def test_islands_before_and_after(rounds):
    systems = [{"id": s, "name": s.upper(), "type": t} for s, t in
               (("erp", "ERP"), ("mes", "MES"), ("plc", "PLC"))]
    G0 = landscape_from_dict({"systems": systems})
    G1 = landscape_from_dict({"systems": systems, "links": [
        {"source": "erp", "target": "mes", "mode": "batch"}]})
    p = progress(*rounds, G_before=G0, G_after=G1)
    assert (p.islands_before, p.islands_after) == (3, 2)
    assert p.to_dict()["islands"] == {"before": 3, "after": 2}
    assert "3 → 2" in p.to_text("en")


def test_bad_input_named(rounds):
    before, after = rounds
    with pytest.raises(InputError, match="before the baseline") as err:
        progress(after, before)
    assert "t0.yaml" in str(err.value) and "t1.yaml" in str(err.value)
    other = _impuls("2025-03-01", {}, name="Beta", source="beta.yaml")
    with pytest.raises(InputError, match="not the same company"):
        progress(before, other)
    same = _impuls("2025-03-01", {}, name="  Ａｃｍｅ 机械", source="acme.yaml")
    progress(before, same)  # width and whitespace are not another company
    siri = load_model("siri")
    from maturity.answers import answers_from_mapping

    s = score(siri, answers_from_mapping({"model": "siri", "date": "2025-03-01",
                                          "enterprise": {"name": "Acme 机械"}}, "siri.yaml"))
    with pytest.raises(InputError, match="model siri"):
        progress(before, s)


def test_cli_progress_on_the_bundled_portfolio(tmp_path, capsys):
    base = PORTFOLIO / "answers"
    t0 = base / "taihu_pump_cmmm_2024-05-08_general_manager.yaml"
    t1 = base / "taihu_pump_cmmm_2025-05-13_general_manager.yaml"
    out = tmp_path / "progress.json"
    lands = PORTFOLIO / "landscapes"
    assert main(["progress", str(t0), str(t1), "--landscape-before",
                 str(lands / "taihu_pump_2024-05-08.yaml"), "--landscape-after",
                 str(lands / "taihu_pump_2025-05-13.yaml"), "--budget", "800000",
                 "-o", str(out)]) == 0
    text = capsys.readouterr().out
    assert "Progress of 太湖泵业" in text and "2024-05-08 → 2025-05-13" in text
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["actions"] and {a["status"] for a in data["actions"]} <= {
        "done", "partly", "not_yet", "no_level_effect"}
    assert data["islands"]["before"] >= data["islands"]["after"]
    # several respondents: a folder per round, consolidated
    team0, team1 = tmp_path / "t0", tmp_path / "t1"
    for folder, when in ((team0, "2024-04-16"), (team1, "2025-04-22")):
        folder.mkdir()
        for p in base.glob(f"jiangnan_gear_cmmm_{when}_*"):
            (folder / p.name).write_bytes(p.read_bytes())
    assert main(["progress", str(team0), str(team1), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["company"] == "江南齿轮有限公司" and data["score"]["change"] > 0
    # swapped: a clear message naming both, status 2
    assert main(["progress", str(t1), str(t0)]) == 2
    err = capsys.readouterr().err
    assert "before the baseline" in err and t0.name in err and t1.name in err


def test_portfolio_views_of_the_bundled_portfolio():
    from maturity import portfolio
    from maturity.collect import read_assessments
    from maturity.consolidate import consolidate

    answers, lands = portfolio.bundled_portfolio()
    table = read_assessments(answers)
    scores = consolidate(table)
    levels = portfolio.levels_table(scores)
    assert levels.shape == (12, 2) and levels["cmmm"].notna().all()
    assert levels["siri"].notna().sum() == 4  # SIRI: the band score, four companies
    moved = portfolio.movers(scores).set_index(["company", "model"])
    cmmm = scores[scores["model"] == "cmmm"].sort_values("date")
    for company, part in cmmm.groupby("company"):
        first, last = part.iloc[0], part.iloc[-1]
        assert moved.loc[(company, "cmmm"), "score_change"] == pytest.approx(
            last["score"] - first["score"])
    peers = portfolio.peer_positions(scores)
    assert sorted(peers.groupby("sector")["percentile"].apply(list).iloc[0]) == [
        12.5, 37.5, 62.5, 87.5]  # four peers, no ties: (below + 0.5) / 4
    found = portfolio.landscapes_by_round(lands)
    assert len(found) == 24 and ("运河阀门有限公司", "2025-03-18") in found
