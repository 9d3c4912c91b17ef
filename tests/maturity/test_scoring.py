"""Scoring rules, checked against values worked out by hand from each model's rules."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from maturity import InputError, load_model, read_model, score, score_frame
from maturity.scoring import _bands

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="module")
def mini_cmmm():
    return read_model(FIXTURES / "mini_cmmm.yaml")


# The mini CMMM fixture: domain A = sub-domains a1, a2; domain B = b1.
# Weights discrete A:B = 3:1, process 1:3; pass threshold 0.8; bands as GB/T 39117.
MIXED = {
    "a1.L1.1": "fully", "a1.L2.1": "mostly", "a1.L3.1": "partly",
    "a2.L1.1": "fully", "a2.L2.1": "fully", "a2.L2.2": "partly", "a2.L3.1": "not",
    "b1.L1.1": "mostly", "b1.L2.1": "partly", "b1.L3.1": "not",
}  # fmt: skip


def test_cmmm_level_scores_worked_by_hand_discrete(mini_cmmm):
    # Level 1: A = mean(a1 1.0, a2 1.0) = 1.0, B = 0.8 -> S1 = (3*1.0 + 1*0.8)/4 = 0.95 (met)
    # Level 2: A = mean(a1 0.8, a2 mean(1, 0.5)=0.75) = 0.775, B = 0.5
    #          -> S2 = (3*0.775 + 0.5)/4 = 0.70625 (not met)
    # Level 3: A = mean(0.5, 0) = 0.25, B = 0 -> S3 = 0.75/4 = 0.1875
    # S = 1 + 0.70625 = 1.70625 -> level 1
    a = score(mini_cmmm, {"model": "mini_cmmm", "answers": MIXED})
    assert a.details["level_scores"] == pytest.approx({"1": 0.95, "2": 0.70625, "3": 0.1875})
    assert a.score == pytest.approx(1.70625)
    assert a.level == 1
    assert a.coverage == 1.0


def test_cmmm_process_weights(mini_cmmm):
    # S1 = (1*1.0 + 3*0.8)/4 = 0.85; S2 = (0.775 + 3*0.5)/4 = 0.56875 -> S = 1.56875
    a = score(mini_cmmm, {"model": "mini_cmmm", "enterprise": {"industry_type": "process"},
                          "answers": MIXED})
    assert a.score == pytest.approx(1.56875)
    assert a.details["industry_type"] == "process"


def test_cmmm_sub_domain_scores(mini_cmmm):
    # a1: L1 1.0 met, L2 0.8 met, L3 0.5 -> 2.5 (level 2)
    # a2: L1 met, L2 0.75 not met -> 1.75 (level 1); b1: L1 0.8 met, L2 0.5 -> 1.5 (level 1)
    a = score(mini_cmmm, {"model": "mini_cmmm", "answers": MIXED})
    got = {d.id: (d.score, d.level) for d in a.dimensions}
    assert got == {"a1": (2.5, 2), "a2": (1.75, 1), "b1": (1.5, 1)}


def test_cmmm_failed_level_one_caps_the_result(mini_cmmm):
    # Every level-1 requirement unmet, every higher one fully met: S1 = 0, so no level is met,
    # and S = 0 + S1 = 0 -> level 0, whatever levels 2 and 3 say.
    answers = {it.id: ("not" if it.level == 1 else "fully") for it in mini_cmmm.items}
    a = score(mini_cmmm, {"model": "mini_cmmm", "answers": answers})
    assert a.details["level_scores"] == {"1": 0.0, "2": 1.0, "3": 1.0}
    assert (a.score, a.level) == (0.0, 0)
    assert all(d.level == 0 for d in a.dimensions)


def test_cmmm_all_mostly_meets_every_level_despite_float_rounding(mini_cmmm):
    # A weighted mean of 0.8s is 0.7999999... in floating point; it must still meet 0.8.
    answers = {it.id: "mostly" for it in mini_cmmm.items}
    a = score(mini_cmmm, {"model": "mini_cmmm", "answers": answers})
    assert (a.score, a.level) == (3.0, 3)


def test_cmmm_band_edges():
    bands = load_model("cmmm").rules.score_bands
    got = _bands(np.array([0.79, 0.8, 1.79, 1.8, 2.79, 2.80, 3.8, 4.79, 4.8, 5.0]), bands)
    assert got.tolist() == [0, 1, 1, 2, 2, 3, 4, 4, 5, 5]


def test_cmmm_unanswered_level_is_not_met(mini_cmmm):
    # Only level-1 items answered (all fully): S1 = 1, S2 has no answer -> S = 1 + 0.
    answers = {it.id: "fully" for it in mini_cmmm.items if it.level == 1}
    a = score(mini_cmmm, {"model": "mini_cmmm", "answers": answers})
    assert (a.score, a.level) == (1.0, 1)
    assert a.coverage == pytest.approx(3 / 10)


def test_impuls_minimum_rule_own_example():
    # The study's example: three topics at stage 5 and one at stage 1 -> dimension stage 1.
    model = load_model("impuls")
    ops = [it.id for it in model.items if it.dimension == "smart_operations"]
    assert len(ops) == 4
    answers = {ops[0]: 5, ops[1]: 5, ops[2]: 5, ops[3]: 1}
    a = score(model, {"model": "impuls", "answers": answers})
    assert a.dimension_result("smart_operations").level == 1
    # only one dimension answered -> the weighted mean renormalises to that dimension
    assert a.score == 1.0


def test_impuls_weighted_overall_and_classes():
    model = load_model("impuls")
    stage = {"strategy_organization": 4, "smart_factory": 2, "smart_operations": 1,
             "smart_products": 0, "data_driven_services": 3, "employees": 2}
    answers = {it.id: stage[it.dimension] for it in model.items}
    a = score(model, {"model": "impuls", "answers": answers})
    # (25*4 + 14*2 + 10*1 + 19*0 + 14*3 + 18*2) / 100 = (100+28+10+0+42+36)/100 = 2.16
    assert a.score == pytest.approx(2.16)
    assert a.level == 2
    assert a.details["class"] == "learner"


@pytest.mark.parametrize(("stages", "cls"), [(0, "newcomer"), (1, "newcomer"), (2, "learner"),
                                             (3, "leader"), (5, "leader")])
def test_impuls_class_mapping(stages, cls):
    model = load_model("impuls")
    a = score(model, {it.id: stages for it in model.items})
    assert a.details["class"] == cls


def test_score_validates_every_problem_at_once(mini_cmmm):
    bad = {"model": "other", "answers": {"a1.L1.1": "perfect", "zz": "fully"}}
    with pytest.raises(InputError) as err:
        score(mini_cmmm, bad)
    text = str(err.value)
    assert "answers are for model 'other', not 'mini_cmmm'" in text
    assert "answers.a1.L1.1: 'perfect' is not on the scale" in text
    assert "answers.zz: unknown item for model mini_cmmm" in text
    assert len(err.value.problems) == 3


def test_numeric_answers_match_as_text():
    model = load_model("impuls")
    a = score(model, {it.id: "3" for it in model.items})
    b = score(model, {it.id: 3.0 for it in model.items})
    assert a.score == b.score == 3.0


def test_score_frame_matches_one_by_one_mini(mini_cmmm):
    rows = [MIXED, {k: "fully" for k in MIXED}, {"a1.L1.1": "partly"}, {}]
    types = ["discrete", "process", None, "process"]
    table = pd.DataFrame(rows)
    table["industry_type"] = types
    frame = score_frame(mini_cmmm, table)
    for i, row in enumerate(rows):
        single = score(mini_cmmm, {"model": "mini_cmmm",
                                   "enterprise": {"industry_type": types[i]},
                                   "answers": row})
        _assert_same(frame.iloc[i], single)
    assert pd.isna(frame.loc[3, "score"]) and frame.loc[3, "coverage"] == 0


def _assert_same(row: pd.Series, single) -> None:
    assert _eq(row["score"], single.score)
    assert _eq(row["level"], single.level)
    assert row["coverage"] == single.coverage
    for d in single.dimensions:
        assert _eq(row[f"{d.id}.score"], d.score), d.id
        assert _eq(row[f"{d.id}.level"], d.level), d.id


def _eq(a, b) -> bool:
    if b is None:
        return bool(pd.isna(a))
    return a == b  # exact, not approximate


def test_score_frame_reports_bad_values_with_row_and_item(mini_cmmm):
    table = pd.DataFrame([{"a1.L1.1": "fully"}, {"a1.L1.1": "great"}], index=["e1", "e2"])
    with pytest.raises(InputError, match=r"row 'e2', column a1.L1.1: 'great' is not on the scale"):
        score_frame(mini_cmmm, table)


def test_score_frame_refuses_misspelt_item_columns(mini_cmmm):
    table = pd.DataFrame([{"a1.L1.1": "fully", "a1.L9.1": "fully"}])
    with pytest.raises(InputError, match=r"column 'a1\.L9\.1': not an item of model mini_cmmm"):
        score_frame(mini_cmmm, table)


def test_score_frame_keeps_respondent_columns(mini_cmmm):
    table = pd.DataFrame([{"respondent": "r1", "sector": "textiles", "a1.L1.1": "fully"}])
    frame = score_frame(mini_cmmm, table)
    assert frame.loc[0, "respondent"] == "r1" and frame.loc[0, "sector"] == "textiles"
    assert "a1.L1.1" not in frame.columns


@pytest.mark.parametrize("model_id", ["cmmm", "impuls", "siri", "acatech", "dma", "iiot"])
@settings(max_examples=25, deadline=None)
@given(data=st.data())
def test_score_frame_equals_score_on_random_answers(model_id, data):
    model = load_model(model_id)
    rows = []
    for _ in range(data.draw(st.integers(1, 4))):
        row = {}
        for it in model.items:
            opts = [o.value for o in model.options(it)] + [None]
            row[it.id] = data.draw(st.sampled_from(opts))
        rows.append(row)
    types = data.draw(st.lists(st.sampled_from(["discrete", "process", None]),
                               min_size=len(rows), max_size=len(rows)))
    table = pd.DataFrame(rows)
    table["industry_type"] = types
    frame = score_frame(model, table)
    for i, row in enumerate(rows):
        answers = {k: v for k, v in row.items() if v is not None}
        ent = {"industry_type": types[i]} if types[i] else {}
        single = score(model, {"model": model_id, "enterprise": ent, "answers": answers})
        _assert_same(frame.iloc[i], single)


def test_score_frame_in_chunks_gives_the_same_values(monkeypatch):
    from maturity import scoring
    from maturity.profiles import answers_for_levels

    model = load_model("cmmm")
    levels = pd.DataFrame({d.id: np.linspace(0.2, 4.9, 23) for d in model.dimensions})
    table = answers_for_levels(model, levels, noise=0.5, seed=1)
    table.loc[3, "integration.L1.1"] = np.nan
    whole = score_frame(model, table)
    monkeypatch.setattr(scoring, "_CHUNK_CELLS", 5 * len(model.items))  # chunks of 5 rows
    chunked = score_frame(model, table)
    pd.testing.assert_frame_equal(whole, chunked)
    bad = table.astype(object)
    bad.loc[2, "data.L1.1"] = "great"
    bad.loc[21, "data.L2.1"] = "awful"
    with pytest.raises(InputError) as err:  # problems in different chunks are all reported
        score_frame(model, bad)
    assert len(err.value.problems) == 2


def test_score_frame_empty_table():
    frame = score_frame(load_model("siri"), pd.DataFrame())
    assert len(frame) == 0 and "score" in frame.columns
