"""Assessment views: the profile figure in both languages, on a given or a new axes."""

from __future__ import annotations

import warnings

import pytest
from matplotlib import pyplot as plt

from maturity import load_model, score
from maturity.demo import example_answers


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_plot_profile_on_an_axes_made_beforehand_has_no_missing_glyphs(lang):
    a = score(load_model("cmmm"), example_answers("cmmm"))
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a "Glyph missing" warning fails the test
        fig, ax = plt.subplots()  # made before the figure's font settings
        out = a.plot_profile(ax, lang=lang)
        fig.canvas.draw()
    assert out is ax and len(ax.patches) == 20  # one bar per sub-domain
    assert ax.get_xlim() == (0, 5)
    plt.close(fig)


def test_to_frame_rows_and_targets():
    model = load_model("siri")
    a = score(model, {"model": "siri", "targets": {"vertical_integration": 4},
                      "answers": {"vertical_integration": 2}})
    frame = a.to_frame()
    assert len(frame) == 16
    assert frame.loc["vertical_integration", "gap"] == 2
    assert frame.loc["vertical_integration", "level_name"] == "Digital"


def test_repr_html_shows_counts_not_methods():
    # Jinja reads d.items as the dict's items() method: the answered/items cell must show numbers
    model = load_model("impuls")
    a = score(model, {it.id: 2 for it in model.items if it.id != "employees.skill_sets"})
    page = a._repr_html_()
    assert "built-in method" not in page and "object at 0x" not in page
    assert "<td>3/3</td>" in page  # strategy and organisation: 3 of 3 answered
    assert "provisional" in page and "暂定" in page  # skill sets blank: stage range 0-2


def test_to_text_in_both_languages_without_codes():
    model = load_model("cmmm")
    a = score(model, {it.id: "fully" for it in model.items if it.level <= 2})
    en, zh = a.to_text("en"), a.to_text("zh")
    # 49 of 136 items answered (49 of 128 = 38 % before the split of issue 10 §4)
    assert "level 2 (Standardised; provisional: 2-5; 36% answered)" in en
    assert "等级 2（规范级；暂定：2-5；已答 36%）" in zh
    for text in (en, zh):
        assert "None" not in text and "nan" not in text and "org_strategy" not in text


def test_cli_score_with_landscape_speaks_the_chosen_language(capsys):
    from maturity.cli import main
    from maturity.demo import example_answer_paths, example_landscape_path

    path = next(p for p in example_answer_paths() if p.name == "cmmm.yaml")
    assert main(["score", str(path), "--lang", "zh", "--landscape",
                 str(example_landscape_path())]) == 0
    flags = [line for line in capsys.readouterr().out.splitlines() if line.startswith("  ! ")]
    assert flags and all("自评为" in f for f in flags) and not any("claims" in f for f in flags)
