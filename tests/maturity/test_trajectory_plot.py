"""``Roadmap.plot_trajectory`` draws whole levels as whole levels (issue 14 §6): steps at the
integer levels, no vertical offset; dimensions that share a level differ by marker, style
and a small sideways shift."""

from __future__ import annotations

import matplotlib
import pytest
from roadmap_builders import action, assessment, catalog

from maturity.roadmap import plan_roadmap

matplotlib.use("Agg")


@pytest.fixture(scope="module")
def roadmap():
    # three dimensions at level 2, each raised to 3 by one action of 100,000: with a budget
    # of 200,000 per phase two are raised in phase 1 and the third in phase 2
    a = assessment({"equipment": 2, "network": 2, "data": 2})
    cat = catalog(action("eq", {"equipment": 3}, 100_000),
                  action("net", {"network": 3}, 100_000),
                  action("dat", {"data": 3}, 100_000))
    return plan_roadmap(a, None, cat, budget_per_phase=200_000, phases=2)


def test_levels_are_drawn_at_whole_levels(roadmap):
    traj = roadmap.trajectory()
    # the hand-worked plan: every dimension from 2 to 3 within the two phases
    assert sorted(traj.index[traj[2] == 3]) == ["data", "equipment", "network"]
    assert (traj[0].loc[["data", "equipment", "network"]] == 2).all()
    ax = roadmap.plot_trajectory()
    names = {roadmap.model.dimension(d).name("en"): d for d in traj.index}
    drawn = {line.get_label(): [float(y) for y in line.get_ydata()] for line in ax.lines
             if line.get_label() in names}
    assert len(drawn) == 3
    for label, ys in drawn.items():
        # exactly the integer levels now / after phase 1 / after phase 2, no offset
        assert ys == [float(traj.loc[names[label], s]) for s in (0, 1, 2)]
    # overlapping dimensions stay apart: different markers and sideways-shifted points
    lines = [line for line in ax.lines if line.get_label() in names]
    assert len({line.get_marker() for line in lines}) == 3
    assert len({round(float(line.get_xdata()[0]), 6) for line in lines}) == 3


def test_every_point_is_a_whole_level_in_chinese(roadmap):
    ax = roadmap.plot_trajectory(lang="zh")
    ys = [float(y) for line in ax.lines for y in line.get_ydata()]
    assert ys and all(y.is_integer() for y in ys)
    assert ax.get_title()
