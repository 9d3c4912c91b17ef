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
