"""Collecting answers files: respondent and date in every format, the tidy table, bad input,
the bundled portfolio."""

from __future__ import annotations

import importlib.util
import json
import shutil
from datetime import date
from importlib import resources
from pathlib import Path

import pandas as pd
import pytest

from maturity import read_assessments
from maturity.answers import answers_from_mapping, read_answers, write_answers
from maturity.cli import main
from maturity.collect import collect, company_key, read_table
from maturity.consolidate import consolidate
from value_chain.errors import InputError

PORTFOLIO = Path(__file__).parents[2] / "datasets" / "portfolio"


def _write(folder: Path, name: str, *, respondent="plant manager", when="2025-03-01",
           company="Acme 机械", answers=None, model="impuls") -> Path:
    enterprise = {"sector": "textiles", **({"name": company} if company is not None else {})}
    data = {"model": model, "enterprise": enterprise,
            "answers": answers if answers is not None else {"employees.skill_sets": 2}}
    if respondent:
        data["respondent"] = respondent
    if when:
        data["date"] = when
    path = folder / name
    if path.suffix == ".json":
        path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    else:
        write_answers(answers_from_mapping(data), path)
    return path


@pytest.mark.parametrize("suffix", [".json", ".yaml", ".csv"])
def test_respondent_and_date_in_every_text_format(tmp_path, suffix):
    path = _write(tmp_path, f"a{suffix}", respondent="信息化负责人")
    a = read_answers(path)
    assert a.respondent == "信息化负责人" and a.date == date(2025, 3, 1)
    plain = _write(tmp_path, f"b{suffix}", respondent=None, when=None)
    b = read_answers(plain)  # files without them keep working
    assert b.respondent is None and b.date is None


def test_respondent_and_date_in_the_workbook(tmp_path):
    from openpyxl import load_workbook

    from maturity.questionnaire import write_workbook
    from maturity.reference_model import load_model

    path = write_workbook(load_model("impuls"), tmp_path / "q.xlsx", lang="zh")
    wb = load_workbook(path)
    ent = wb["enterprise"]
    rows = {ent.cell(r, 1).value: r for r in range(1, ent.max_row + 1)}
    ent.cell(rows["name"], 3, "Acme 机械")
    ent.cell(rows["respondent"], 3, "质量经理")
    ent.cell(rows["date"], 3, "2025-03-01")
    wb.save(path)
    a = read_answers(path)
    assert (a.respondent, a.date, a.enterprise.name) == ("质量经理", date(2025, 3, 1), "Acme 机械")


def test_a_bad_date_is_reported_with_file_and_place(tmp_path):
    path = tmp_path / "a.yaml"
    path.write_text("model: impuls\nrespondent: a\ndate: 2025-02-30\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        read_answers(path)
    assert "a.yaml" in str(err.value) and "date" in str(err.value)


def test_tidy_table_one_row_per_respondent_round_item(tmp_path):
    _write(tmp_path, "a.json", respondent="a", answers={"employees.skill_sets": 1})
    _write(tmp_path, "b.yaml", respondent="b", answers={"employees.skill_sets": 4})
    _write(tmp_path, "c.csv", respondent="a", when="2026-03-01",
           answers={"employees.skill_sets": 5})
    (tmp_path / "README.md").write_text("not an answers file")  # other file types: ignored
    table = read_assessments([tmp_path])
    assert len(table) == 3 * 18  # three files x the 18 IMPULS items
    got = table[table["item"] == "employees.skill_sets"].sort_values(["date", "respondent"])
    assert got[["respondent", "date", "value", "step"]].astype(str).values.tolist() == [
        ["a", "2025-03-01", "1", "1"], ["b", "2025-03-01", "4", "4"],
        ["a", "2026-03-01", "5", "5"]]
    assert set(table["sector"]) == {"textiles"} and set(table["company"]) == {"Acme 机械"}


def test_bad_files_reported_at_once_good_ones_kept(tmp_path):
    _write(tmp_path, "good.json")
    (tmp_path / "broken.json").write_text("{not json", encoding="utf-8")
    _write(tmp_path, "unknown_item.yaml", respondent="b", answers={"nope": 1})
    _write(tmp_path, "nameless.json", respondent="c", company=None)
    result = collect(tmp_path)
    failed = set(result.files.loc[result.files["status"] == "failed", "source"].map(
        lambda s: Path(s).name))
    assert failed == {"broken.json", "unknown_item.yaml", "nameless.json"}
    text = str(InputError(result.problems))
    assert "broken.json" in text and "invalid JSON" in text
    assert "unknown item" in text and "company this file belongs to" in text
    assert set(result.table["source"].map(lambda s: Path(s).name)) == {"good.json"}
    with pytest.raises(InputError):
        read_assessments(tmp_path)


def test_an_empty_folder_is_reported(tmp_path):
    (tmp_path / "empty").mkdir()
    _write(tmp_path, "a.json")
    result = collect([tmp_path / "empty", tmp_path / "a.json"])
    assert [Path(p.source).name for p in result.problems] == ["empty"]
    assert "no answers file" in result.problems[0].message and len(result.table) == 18


def test_same_file_twice_counted_once(tmp_path):
    path = _write(tmp_path, "a.json")
    shutil.copy(path, tmp_path / "copy_of_a.json")
    result = collect([tmp_path, path])  # the folder, and the file again
    assert result.ok
    assert len(result.table) == 18  # counted once
    notes = " ".join(str(n) for n in result.notes)
    assert "given twice" in notes and "copy of the same file" in notes
    assert sorted(result.files["status"]) == ["duplicate", "duplicate", "used"]


def test_one_respondent_two_different_files_is_reported(tmp_path):
    _write(tmp_path, "a.json", answers={"employees.skill_sets": 1})
    _write(tmp_path, "a_later.yaml", answers={"employees.skill_sets": 3})
    _write(tmp_path, "b.json", respondent="b")
    result = collect(tmp_path)
    assert len(result.problems) == 2
    text = str(InputError(result.problems))
    assert "a.json" in text and "a_later.yaml" in text and "'plant manager'" in text
    assert set(result.table["respondent"]) == {"b"}  # neither conflicting file is used


def test_company_names_width_and_whitespace_normalised_other_spellings_reported(tmp_path):
    assert company_key("ＡＣＭＥ　 机械 ") == "ACME 机械"
    _write(tmp_path, "a.json", respondent="a", company="ACME 机械")
    _write(tmp_path, "b.json", respondent="b", company="ＡＣＭＥ  机械")  # full width, 2 spaces
    result = collect(tmp_path)
    assert result.ok and set(result.table["company"]) == {"ACME 机械"}
    _write(tmp_path, "c.json", respondent="c", company="Acme机械")
    result = collect(tmp_path)
    text = str(InputError(result.problems))
    assert "spelled 2 ways" in text and "c.json" in text and "a.json" in text
    assert set(result.table["company"]) == {"ACME 机械", "Acme机械"}  # kept apart, not merged


def test_cli_collect_writes_good_files_and_exits_2(tmp_path, capsys):
    folder = tmp_path / "in"
    folder.mkdir()
    _write(folder, "a.json", respondent="a")
    _write(folder, "b.json", respondent="b")
    (folder / "broken.yaml").write_text("model: [", encoding="utf-8")
    out = tmp_path / "assessments.csv"
    assert main(["collect", str(folder), "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert "broken.yaml" in err and "collected 2 files" in err
    table = read_table(out)
    assert len(table) == 2 * 18
    (folder / "broken.yaml").unlink()
    parquet = tmp_path / "assessments.parquet"
    scores = tmp_path / "scores.csv"
    assert main(["collect", str(folder), "-o", str(parquet), "--scores", str(scores)]) == 0
    assert len(pd.read_parquet(parquet)) == 2 * 18
    assert pd.read_csv(scores)["respondents"].tolist() == [2]


# ---- the bundled portfolio -------------------------------------------------------------


def test_bundled_portfolio_collects_12_companies_2_rounds():
    folder = resources.files("maturity.data") / "portfolio" / "answers"
    with resources.as_file(folder) as path:
        table = read_assessments([path])
    rounds = table[["company", "date"]].drop_duplicates()
    assert table["company"].nunique() == 12
    assert rounds.groupby("company", observed=True).size().eq(2).all()
    assert set(table["sector"]) == {"general_machinery", "textiles", "computers_electronics"}
    per_round = table.groupby(["company", "model", "date"], observed=True)["source"].nunique()
    assert per_round.max() == 3 and per_round.min() == 1
    scored = consolidate(table)
    assert len(scored) == 12 * 2 + 4 * 2  # CMMM for all, SIRI for four
    assert scored["level"].notna().sum() == 24  # SIRI has no overall level
    # the optimistic IT lead of 滨江电子 makes it the least agreed company round
    cmmm = scored[scored["model"] == "cmmm"].dropna(subset=["agreement"])
    worst = cmmm.sort_values("agreement").iloc[0]
    assert worst["company"] == "滨江电子科技有限公司"


def test_bundled_portfolio_is_what_the_script_makes(tmp_path):
    spec = importlib.util.spec_from_file_location("make_portfolio",
                                                  PORTFOLIO / "make_portfolio.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    written = module.make(tmp_path)
    answers = sorted(p.relative_to(tmp_path) for p in written if p.parent.name == "answers")
    assert answers == sorted(p.relative_to(PORTFOLIO)
                             for p in (PORTFOLIO / "answers").iterdir())
    for rel in answers:
        assert (tmp_path / rel).read_bytes() == (PORTFOLIO / rel).read_bytes(), rel
    from value_chain import landscape_to_dict, read_landscape

    for p in (tmp_path / "landscapes").iterdir():
        bundled = PORTFOLIO / "landscapes" / p.name
        assert landscape_to_dict(read_landscape(p)) == landscape_to_dict(read_landscape(bundled))


def test_form_saves_respondent_and_date():
    from maturity.form import form_html
    from maturity.reference_model import load_model

    page = form_html(load_model("impuls"), lang="zh")
    assert 'data-top="respondent"' in page and 'data-top="date"' in page
    assert "填写人" in page and "out.respondent" in page
    # the file name: company, model, respondent, date; letters (Chinese too), digits, '-'
    assert r"[^\p{L}\p{N}\-]+" in page


def test_cli_collect_nothing_usable(tmp_path, capsys):
    (tmp_path / "x.json").write_text("{bad", encoding="utf-8")
    out, scores = tmp_path / "t.csv", tmp_path / "s.csv"
    assert main(["collect", str(tmp_path / "x.json"), "-o", str(out), "--scores",
                 str(scores)]) == 2
    assert "x.json" in capsys.readouterr().err
    assert len(pd.read_csv(out)) == 0 and list(pd.read_csv(scores).columns)[:4] == [
        "company", "model", "date", "rule"]


def test_an_unknown_model_names_the_file_in_collect_score_and_progress(tmp_path, capsys):
    """Issue 17 section 9: an unknown model id names the file and its model field."""
    import json as _json

    from maturity.cli import main as cli_main

    bad = tmp_path / "bad.json"
    bad.write_text(_json.dumps({"model": "cmm", "enterprise": {"name": "A"}, "answers": {}}),
                   encoding="utf-8")
    result = collect(tmp_path)
    assert [(p.source, p.location) for p in result.problems] == [(str(bad), "model")]
    assert result.problems[0].message.startswith("unknown model 'cmm'")
    for argv in (["score", str(bad), str(bad)], ["progress", str(bad), str(bad)]):
        assert cli_main(argv) == 2
        err = capsys.readouterr().err
        assert f"in {bad}:" in err and "model: unknown model 'cmm'" in err, argv
