"""Several respondents, one result: hand-worked consolidation, disagreement and agreement."""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest

from maturity.answers import answers_from_mapping
from maturity.cli import main
from maturity.consolidate import (
    agreement,
    consolidate,
    consolidate_answers,
    consolidated_answers,
    disagreements,
    ordinal_alpha,
)
from value_chain.errors import InputError

# Three respondents of one company round (IMPULS, stages 0-5, one step per stage). All of
# them answer 3 to every item but these (b leaves the strategy item blank):
#   item                               a  b  c    median  min  mean          spread
#   employees.skill_sets               1  2  4    2       1    7/3 -> 2      3
#   employees.skill_acquisition        3  3  2    3       2    8/3 -> 3      1
#   strategy_organization.strategy     2  -  5    2 (*)   2    3.5 -> 3 (**) 3
# (*) even count: the lower middle answer; (**) tie between 3 and 4: the lower one.
ANSWERS = {
    "a": {"employees.skill_sets": 1, "employees.skill_acquisition": 3,
          "strategy_organization.strategy": 2},
    "b": {"employees.skill_sets": 2, "employees.skill_acquisition": 3},
    "c": {"employees.skill_sets": 4, "employees.skill_acquisition": 2,
          "strategy_organization.strategy": 5},
}
ITEMS = ["employees.skill_sets", "employees.skill_acquisition", "strategy_organization.strategy"]


def _answers(who: str, answers: dict, **extra):
    data = {"model": "impuls", "respondent": who, "date": "2025-03-01",
            "enterprise": {"name": "Acme 机械"}, "answers": answers, **extra}
    return answers_from_mapping(data, f"{who}.json")


def _complete(answers: dict, blank: tuple = ()) -> dict:
    from maturity.reference_model import load_model

    base = {it.id: 3 for it in load_model("impuls").items if it.id not in blank}
    return {**base, **answers}


@pytest.fixture
def three_respondents():
    return [_answers(who, _complete(a, () if who != "b" else ("strategy_organization.strategy",)))
            for who, a in ANSWERS.items()]


def _values(result) -> dict:
    items = result.items.set_index("item")
    return {i: items.loc[i, "value"] for i in ITEMS}


# IMPULS: a dimension's stage is the minimum of its items; the overall score is the weighted
# mean of the dimension stages (strategy 25, factory 14, operations 10, products 19,
# services 14, employees 18); every other item is 3.
@pytest.mark.parametrize(("rule", "expected", "score"), [
    ("median", {"employees.skill_sets": "2", "employees.skill_acquisition": "3",
                "strategy_organization.strategy": "2"},
     (25 * 2 + 14 * 3 + 10 * 3 + 19 * 3 + 14 * 3 + 18 * 2) / 100),  # 2.57
    ("min", {"employees.skill_sets": "1", "employees.skill_acquisition": "2",
             "strategy_organization.strategy": "2"},
     (25 * 2 + 14 * 3 + 10 * 3 + 19 * 3 + 14 * 3 + 18 * 1) / 100),  # 2.39
    ("mean", {"employees.skill_sets": "2", "employees.skill_acquisition": "3",
              "strategy_organization.strategy": "3"},
     (25 * 3 + 14 * 3 + 10 * 3 + 19 * 3 + 14 * 3 + 18 * 2) / 100),  # 2.82
])
def test_rules_hand_worked(three_respondents, rule, expected, score):
    result = consolidate_answers(three_respondents, rule)
    assert _values(result) == expected
    assert result.assessment.score == pytest.approx(score)
    assert result.respondents == ["a", "b", "c"]


def test_consensus_override_wins(three_respondents):
    override = _answers("consultant", {"strategy_organization.strategy": 4,
                                       "strategy_organization.investments": 4,
                                       "strategy_organization.innovation_management": 4})
    result = consolidate_answers(three_respondents, "consensus", override)
    values = _values(result)
    assert values["strategy_organization.strategy"] == "4"  # the override
    assert values["employees.skill_sets"] == "2"  # the median elsewhere
    assert result.assessment.score == pytest.approx(
        (25 * 4 + 14 * 3 + 10 * 3 + 19 * 3 + 14 * 3 + 18 * 2) / 100)  # 3.07
    overridden = result.items.set_index("item")["overridden"]
    assert overridden["strategy_organization.strategy"] and not overridden["employees.skill_sets"]


def test_spread_and_disagreement_list(three_respondents):
    result = consolidate_answers(three_respondents)
    spread = result.items.set_index("item")["spread"]
    assert spread["employees.skill_sets"] == 3
    assert spread["employees.skill_acquisition"] == 1
    assert spread["strategy_organization.strategy"] == 3
    assert spread["smart_factory.data_usage"] == 0  # all answered 3
    dis = result.disagreements.set_index("item")
    assert sorted(dis.index) == ["employees.skill_sets", "strategy_organization.strategy"]
    assert dis.loc["employees.skill_sets", "answers"] == {"a": "1", "b": "2", "c": "4"}
    d = result.to_dict("zh")
    assert [x["item"] for x in d["disagreements"]] == list(result.disagreements["item"])
    text = result.to_text("zh")
    assert "相差两档及以上" in text and "中位数" in text


def test_ordinal_alpha_hand_worked():
    # two respondents, three items: (0,0), (1,1), (0,1). Values: n0 = n1 = 3, n = 6.
    # Ordinal distance d(0,1)^2 = (n0 + n1 - (n0 + n1)/2)^2 = 9. The pair (0,1) of the
    # third item adds 1 to o01 and o10: Do = (9 + 9)/6 = 3; De = 2*3*3*9 / (6*5) = 5.4;
    # alpha = 1 - 3/5.4 = 4/9.
    data = np.array([[0, 1, 0], [0, 1, 1]], dtype=float)
    assert ordinal_alpha(data) == pytest.approx(4 / 9)
    assert ordinal_alpha(np.array([[0, 1, 2], [0, 1, 2]], dtype=float)) == pytest.approx(1.0)


def test_ordinal_alpha_published_example():
    # Krippendorff (2011), "Computing Krippendorff's alpha-reliability", the example with
    # four observers, twelve units and missing values: ordinal alpha = 0.815
    n = np.nan
    data = np.array([[1, 2, 3, 3, 2, 1, 4, 1, 2, n, n, n],
                     [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, n, 3],
                     [n, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, n],
                     [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, n]])
    assert round(ordinal_alpha(data - 1, 5), 3) == 0.815
    # the same data as a collected table: four respondents, twelve items of one company round
    from maturity.reference_model import load_model

    items = load_model("impuls").items[:12]
    rows = [{"company": "X", "model": "impuls", "date": "", "respondent": f"r{r}",
             "source": f"r{r}.json", "item": it.id, "dimension": it.dimension,
             "value": None if np.isnan(v) else str(int(v) - 1),
             "step": v - 1, "score": v - 1}
            for r, row in enumerate(data) for it, v in zip(items, row, strict=True)]
    table = pd.DataFrame(rows)
    overall = agreement(table)
    overall = overall[overall["dimension"].isna()]
    assert round(float(overall["alpha"].iloc[0]), 3) == 0.815
    assert int(overall["respondents"].iloc[0]) == 4


def test_agreement_undefined_is_nan_not_a_number_made_up():
    assert math.isnan(ordinal_alpha(np.array([[1.0, 2.0, 3.0]])))  # one respondent
    assert math.isnan(ordinal_alpha(np.array([[2.0, 2.0], [2.0, 2.0]])))  # no variation


def test_bad_input_each_with_its_message(three_respondents):
    other_model = answers_from_mapping(
        {"model": "siri", "respondent": "d", "enterprise": {"name": "Acme 机械"}}, "d.json")
    with pytest.raises(InputError, match="different models in one company round") as err:
        consolidate_answers([*three_respondents, other_model])
    assert "d.json" in str(err.value) and "a.json" in str(err.value)
    other_company = _answers("d", {}, enterprise={"name": "Beta"})
    with pytest.raises(InputError, match="different companies"):
        consolidate_answers([*three_respondents, other_company])
    twice = _answers("a", {"employees.skill_sets": 5})
    twice = twice.model_copy(update={"source": "a_again.json"})
    with pytest.raises(InputError, match="claim respondent 'a'") as err:
        consolidate_answers([*three_respondents, twice])
    assert "a.json" in str(err.value) and "a_again.json" in str(err.value)
    with pytest.raises(InputError, match="unknown rule"):
        consolidated_answers(pd.DataFrame(), rule="max")


def test_vectorised_consolidate_equals_one_round(three_respondents):
    from maturity.collect import table_from_answers

    table, problems = table_from_answers(three_respondents)
    assert problems == []
    rows = consolidate(table)
    one = consolidate_answers(three_respondents)
    assert len(rows) == 1
    assert rows["score"].iloc[0] == pytest.approx(one.assessment.score)
    assert rows["level"].iloc[0] == one.assessment.level
    assert rows["respondents"].iloc[0] == 3
    assert rows["disagreements"].iloc[0] == 2
    assert len(disagreements(table)) == 2


def test_cli_score_several_files(tmp_path, three_respondents, capsys):
    paths = []
    for a in three_respondents:
        path = tmp_path / a.source
        path.write_text(a.model_dump_json(exclude={"source"}), encoding="utf-8")
        paths.append(str(path))
    assert main(["score", *paths, "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["rule"] == "median"
    assert out["consolidated"]["score"] == pytest.approx(2.57)
    assert {d["item"] for d in out["disagreements"]} == {"employees.skill_sets",
                                                         "strategy_organization.strategy"}
    assert main(["score", *paths, "--rule", "min"]) == 0
    text = capsys.readouterr().out
    assert "2.39" in text and "3 respondents" in text
    # one file: exactly the single-file result, as before
    assert main(["score", paths[0], "--json"]) == 0
    single = json.loads(capsys.readouterr().out)
    assert "consolidated" not in single and single["model"] == "impuls"


def test_vectorised_agreement_equals_the_krippendorff_package():
    # every company round and dimension of the bundled portfolio: the vectorised alphas of
    # agreement() against the krippendorff package on the same respondents x items matrix
    from maturity.collect import read_assessments
    from maturity.portfolio import bundled_portfolio

    table = read_assessments(bundled_portfolio()[0])
    table = table[table["model"] == "cmmm"]
    got = agreement(table)
    checked = 0
    for (company, date), part in table.groupby(["company", "date"], observed=True):
        wide = part.pivot_table(index="source", columns="item", values="step",
                                aggfunc="first", observed=True)
        mine = got[(got["company"] == company) & (got["date"] == date)]
        overall = mine[mine["dimension"].isna()]["alpha"].item()
        mine = mine.dropna(subset=["dimension"]).set_index("dimension")
        dims = part.drop_duplicates("item").set_index("item")["dimension"].reindex(wide.columns)
        expected = ordinal_alpha(wide.to_numpy(dtype=float), 4)
        assert np.isclose(overall, expected, equal_nan=True), company
        for dim in dims.unique():
            cols = (dims == dim).to_numpy()
            expected = ordinal_alpha(wide.to_numpy(dtype=float)[:, cols], 4)
            assert np.isclose(mine.loc[dim, "alpha"], expected, equal_nan=True), (company, dim)
            checked += 1
    assert checked == 24 * 20
