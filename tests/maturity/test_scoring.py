"""Scoring rules, checked against values worked out by hand from each model's rules."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from maturity import InputError, load_model, read_model, score, score_frame
from maturity.scoring_rules import _bands

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
    # only one dimension (weight 10 of 100) answered: the other five count at their worst (0)
    # for the reported score and at their best (5) for the top of the range, never left out.
    assert a.score == pytest.approx(0.1)  # 10 * 1 / 100
    assert a.score_range == pytest.approx((0.1, 4.6))  # (90 * 5 + 10 * 1) / 100
    assert (a.level, a.level_range, a.provisional) == (0, (0, 4), True)
    assert a.dimension_result("smart_operations").provisional is False


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
    assert row["provisional"] == single.provisional
    low, high = single.level_range or (None, None)
    assert _eq(row["level_low"], low) and _eq(row["level_high"], high)
    s_low, s_high = single.score_range or (None, None)
    assert _eq(row["score_low"], s_low) and _eq(row["score_high"], s_high)
    for d in single.dimensions:
        assert _eq(row[f"{d.id}.score"], d.score), d.id
        assert _eq(row[f"{d.id}.level"], d.level), d.id
        assert _eq(row[f"{d.id}.coverage"], d.coverage), d.id
        assert row[f"{d.id}.provisional"] == d.provisional, d.id
        low, high = d.level_range or (None, None)
        assert _eq(row[f"{d.id}.level_low"], low) and _eq(row[f"{d.id}.level_high"], high), d.id
        if f"{d.id}.blocked_at" in row.index:
            assert _eq(row[f"{d.id}.blocked_at"], d.blocked_at), d.id


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


# ---- blanks never raise a level (issue 10 section 1) ------------------------------------------


def _cmmm_levels_1_2_and_one_level_3_item():
    model = load_model("cmmm")
    answers = {it.id: "fully" for it in model.items if it.level <= 2}
    answers["org_strategy.L3.1"] = "fully"  # the other level-3 items (and 4, 5) left blank
    return model, answers


def test_cmmm_blank_level_3_items_do_not_raise_the_level():
    # Levels 1 and 2 fully met: S1 = S2 = 1. At level 3 only org_strategy.L3.1 is answered.
    # Worst case (blanks = not met): org_strategy L3 = mean(1, 0) = 0.5; it is one of the two
    # sub-domains of the organisation & strategy weight group (7 of 100, discrete), every other
    # sub-domain scores 0 -> S3 = 7 * (0.5 + 0) / 2 / 100 = 0.0175,
    # S = 2 + 0.0175 = 2.0175 -> level 2. Best case (blanks = fully): S = 5 -> level 5.
    model, answers = _cmmm_levels_1_2_and_one_level_3_item()
    a = score(model, {"model": "cmmm", "answers": answers})
    assert a.score == pytest.approx(2.0175)
    assert a.level == 2  # before issue 10: level 3, S = 3.0
    assert a.provisional is True
    assert a.level_range == (2, 5)
    assert a.score_range == pytest.approx((2.0175, 5.0))
    assert a.coverage == pytest.approx(50 / 136)  # 128 items before the split of issue 10 §4
    # exactly what answering every blank "not" gives, and then the level is confirmed
    full = {**{it.id: "not" for it in model.items}, **answers}
    b = score(model, {"model": "cmmm", "answers": full})
    assert (b.score, b.level, b.provisional, b.level_range) == (a.score, 2, False, (2, 2))
    org = a.dimension_result("org_strategy")
    assert (org.level, org.level_range, org.provisional) == (2, (2, 5), True)
    # 2 L1 + 2 L2 + 1 L3 of 10 requirements (9 before org_strategy.L4.1 was split in issue 10 §4)
    assert org.coverage == pytest.approx(5 / 10)


def test_impuls_blank_item_does_not_escape_the_minimum_rule():
    # All fields at stage 5, cloud usage blank. Worst case: cloud usage 0 -> smart operations
    # = min(0, 5, 5, 5) = 0 -> overall (90 * 5 + 10 * 0) / 100 = 4.5, stage 4 (as answering 0).
    model = load_model("impuls")
    answers = {it.id: 5 for it in model.items if it.id != "smart_operations.cloud_usage"}
    a = score(model, {"model": "impuls", "answers": answers})
    assert (a.score, a.level) == (4.5, 4)  # before issue 10: 5.0, top performer
    assert (a.provisional, a.level_range, a.score_range) == (True, (4, 5), (4.5, 5.0))
    ops = a.dimension_result("smart_operations")
    assert (ops.score, ops.level, ops.level_range, ops.provisional) == (0.0, 0, (0, 5), True)
    assert a.details["class"] == "leader"
    zero = score(model, {"model": "impuls",
                         "answers": {**answers, "smart_operations.cloud_usage": 0}})
    assert (zero.score, zero.level, zero.provisional) == (4.5, 4, False)


def test_cmmm_gating_reason_for_a_blank_or_unmet_lower_level(mini_cmmm):
    # a1: L1 blank, L2 and L3 fully met. Worst case L1 = 0 < 0.8: nothing is reached, the
    # score is 0 + S(L1) = 0 and level 1 gates although levels 2 and 3 are met.
    # Best case: L1 fully -> 3.0.
    answers = {"a1.L2.1": "fully", "a1.L3.1": "fully"}
    a = score(mini_cmmm, {"model": "mini_cmmm", "answers": answers})
    a1 = a.dimension_result("a1")
    assert (a1.score, a1.level, a1.blocked_at, a1.reason) == (0.0, 0, 1, "gated")
    assert (a1.level_range, a1.score_range) == ((0, 3), (0.0, 3.0))
    d = a.to_dict()["dimensions"][0]
    assert (d["reason"], d["blocked_at"], d["level_range"]) == ("gated", 1, [0, 3])
    assert "level 1 is not met (or not answered)" in a.to_text("en")
    assert "第 1 级要求未满足" in a.to_text("zh")
    # answered "not" at level 1: the same gate, now confirmed
    b = score(mini_cmmm, {"model": "mini_cmmm", "answers": {**answers, "a1.L1.1": "not"}})
    b1 = b.dimension_result("a1")
    assert (b1.level, b1.blocked_at, b1.provisional) == (0, 1, False)
    # no gate where nothing above the failing level is met
    c = score(mini_cmmm, {"model": "mini_cmmm", "answers": MIXED})
    assert all(x.blocked_at is None for x in c.dimensions) and c.blocked_at is None


def test_cmmm_overall_gate(mini_cmmm):
    answers = {it.id: ("not" if it.level == 1 else "fully") for it in mini_cmmm.items}
    a = score(mini_cmmm, {"model": "mini_cmmm", "answers": answers})
    # S1 = 0, S2 = S3 = 1: level 1 gates the overall level too
    assert (a.level, a.blocked_at, a.reason, a.provisional) == (0, 1, "gated", False)


def test_staged_blank_middle_level():
    # iiot network: L1 fully, L2 blank, L3-L5 fully. Worst: L2 = 0 -> reached 1, score 1 + 0,
    # level 2 gates. Best: every level met -> 5. The other six dimensions are blank: worst 0
    # each, so the overall mean is 1 / 7 at worst and 5 at best.
    model = load_model("iiot")
    answers = {it.id: "fully" for it in model.items
               if it.dimension == "network" and it.level != 2}
    a = score(model, {"model": "iiot", "answers": answers})
    net = a.dimension_result("network")
    assert (net.score, net.level, net.blocked_at, net.level_range) == (1.0, 1, 2, (1, 5))
    assert a.score == pytest.approx(1 / 7) and a.level == 0
    assert a.score_range == pytest.approx((1 / 7, 5.0)) and a.level_range == (0, 5)


def test_band_blank_dimensions_count_at_the_lowest_band():
    # SIRI: only vertical integration answered (band 2). Worst: 15 blank dimensions at band 0
    # -> 2 / 16 = 0.125; best: (2 + 15 * 5) / 16 = 4.8125. SIRI has no overall level.
    model = load_model("siri")
    a = score(model, {"model": "siri", "answers": {"vertical_integration": 2}})
    assert a.score == pytest.approx(0.125) and a.score_range == pytest.approx((0.125, 4.8125))
    assert a.provisional is True and a.level is None and a.level_range is None
    assert a.dimension_result("vertical_integration").provisional is False
    other = a.dimension_result("horizontal_integration")
    assert (other.score, other.level, other.level_range) == (None, None, (0, 5))


def test_percent_blank_item_counts_as_no_points():
    # DMA strategy: plan 3 of 3, business areas 2 of 3, preparedness blank (0-3),
    # risk review 1 of 1. Worst: (3 + 2 + 0 + 1) / (3 + 3 + 3 + 1) = 60 %; best: 9 / 10 = 90 %.
    model = load_model("dma")
    answers = {"digital_business_strategy.plan": 3, "digital_business_strategy.business_areas": 2,
               "digital_business_strategy.risk_review": "yes"}
    a = score(model, {"model": "dma", "answers": answers})
    dim = a.dimension_result("digital_business_strategy")
    assert dim.score == pytest.approx(60.0) and dim.score_range == pytest.approx((60.0, 90.0))
    assert dim.coverage == pytest.approx(3 / 4) and dim.provisional is True


# ---- not applicable and don't know (issue 10 section 2) ----------------------------------------


def test_not_applicable_sub_domain_leaves_the_decision(mini_cmmm):
    # b1 answered "not applicable" throughout: domain B drops out and the weights renormalise
    # to A. S1 = A = 1.0; S2 = A = mean(0.8, 0.75) = 0.775 < 0.8 -> S = 1 + 0.775 = 1.775,
    # level 1. Coverage counts only the 7 applicable items (all answered).
    answers = {**MIXED, "b1.L1.1": "not_applicable", "b1.L2.1": "不适用",
               "b1.L3.1": "Not applicable"}
    a = score(mini_cmmm, {"model": "mini_cmmm", "answers": answers,
                          "comments": {"b1.L1.1": "we sell no products with field service"}})
    assert a.score == pytest.approx(1.775) and a.level == 1
    assert a.coverage == 1.0 and a.provisional is False
    b1 = a.dimension_result("b1")
    assert (b1.score, b1.level, b1.not_applicable, b1.reason) == (None, None, 3, "not_applicable")
    d = a.to_dict()
    assert d["not_applicable"] == {"b1.L1.1": "we sell no products with field service",
                                   "b1.L2.1": None, "b1.L3.1": None}
    assert a.answers.answers["b1.L2.1"] == "not_applicable"  # kept as chosen, as a code
    assert "not applicable" in a.to_text("en") and "不适用" in a.to_text("zh")


def test_not_applicable_only_where_the_model_allows_it(mini_cmmm):
    with pytest.raises(InputError, match=r"answers.a1.L1.1: the model does not allow 'not app"):
        score(mini_cmmm, {"model": "mini_cmmm", "answers": {"a1.L1.1": "not_applicable"}})
    table = pd.DataFrame([{"a1.L1.1": "n/a"}])
    with pytest.raises(InputError, match=r"column a1.L1.1: the model does not allow"):
        score_frame(mini_cmmm, table)


def test_dont_know_counts_as_blank(mini_cmmm):
    # a1.L3.1 "don't know" instead of partly: a1 worst L3 = 0 -> 2.0 (L1, L2 met), best 3.0.
    # Overall stays 1.70625 both ways (level 2 is not met, so level 3 does not count).
    answers = {**MIXED, "a1.L3.1": "don't know"}
    a = score(mini_cmmm, {"model": "mini_cmmm", "answers": answers})
    assert a.score == pytest.approx(1.70625) and a.provisional is False
    a1 = a.dimension_result("a1")
    assert (a1.score, a1.level_range, a1.provisional) == (2.0, (2, 3), True)
    assert a.answers.answers["a1.L3.1"] == "dont_know"
    assert a.coverage == pytest.approx(9 / 10)


def test_variant_equal_weights(mini_cmmm):
    # equal weights A:B = 1:1. S1 = (1.0 + 0.8) / 2 = 0.9; S2 = (0.775 + 0.5) / 2 = 0.6375
    a = score(mini_cmmm, {"model": "mini_cmmm", "answers": MIXED}, variant="equal_weights")
    assert a.score == pytest.approx(1.6375) and a.variant == "equal_weights"
    frame = score_frame(mini_cmmm, pd.DataFrame([MIXED]), variant="equal_weights")
    assert frame.loc[0, "score"] == a.score
    with pytest.raises(InputError, match="no rules variant 'heavy'"):
        score(mini_cmmm, {"model": "mini_cmmm", "answers": MIXED}, variant="heavy")


def test_score_takes_no_language():
    model = load_model("impuls")
    with pytest.raises(TypeError):
        score(model, {}, lang="zh")  # results hold codes; views take the language


@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_score_frame_equals_score_with_special_answers(data):
    model = read_model(FIXTURES / "mini_cmmm.yaml")
    rows = []
    for _ in range(data.draw(st.integers(1, 5))):
        row = {}
        for it in model.items:
            extra = ["not_applicable"] if it.dimension == "b1" else []
            opts = [o.value for o in model.options(it)] + [None, "dont_know", *extra]
            row[it.id] = data.draw(st.sampled_from(opts))
        rows.append(row)
    frame = score_frame(model, pd.DataFrame(rows))
    for i, row in enumerate(rows):
        single = score(model, {"model": "mini_cmmm",
                               "answers": {k: v for k, v in row.items() if v is not None}})
        _assert_same(frame.iloc[i], single)


def test_acatech_two_views_are_not_averaged():
    # Principles (8 dimensions of the four structural areas) at stage 3, the 5 functional areas
    # at stage 1: the principles view is 3.0, the functional-areas view 1.0, and the overall
    # score is the principles' 3.0 (a single mean of the 13 would give (8*3 + 5*1)/13 = 2.23).
    model = load_model("acatech")
    functional = {d.id for d in model.dimensions if d.group == "functional_areas"}
    assert len(functional) == 5 and len(model.dimensions) == 13
    answers = {it.id: ("yes" if it.level <= (1 if it.dimension in functional else 3) else "no")
               for it in model.items}
    a = score(model, {"model": "acatech", "answers": answers})
    assert a.details["views"] == {"principles": {"score": 3.0, "level": 3},
                                  "functional_areas": {"score": 1.0, "level": 1}}
    assert (a.score, a.level) == (3.0, 3)
    views = a.to_dict("zh")["views"]
    assert [v["name"] for v in views] == ["四个结构领域的原则", "职能领域"]
    frame = score_frame(model, pd.DataFrame([answers]))
    assert frame.loc[0, "view.functional_areas.score"] == 1.0
    assert frame.loc[0, "view.principles.level"] == 3
