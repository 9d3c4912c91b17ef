"""The latent-maturity synthetic population: fit, residuals, out-of-sample check, streaming."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from maturity import latent_population as lp
from maturity import load_model, score_frame
from maturity.population import population_config
from maturity.reliability import reliability_table
from value_chain.errors import InputError


@pytest.fixture(scope="module")
def cmmm():
    return load_model("cmmm")


@pytest.mark.slow
def test_the_fit_recovers_known_parameters(cmmm):
    # shares of a population drawn with known parameters (and other draws than the fit's)
    truth = {"location": 2.1, "spread": 0.9}
    drawn = lp.generate_latent_population(20_000, seed=99, **truth)
    target = lp._group_shares(score_frame(cmmm, drawn)["level"])
    fit = lp.fit_latent_population(2022, n=4_000, seed=1, target=target)
    assert fit["location"] == pytest.approx(truth["location"], abs=0.12)
    assert fit["spread"] == pytest.approx(truth["spread"], abs=0.12)


def test_stored_fit_leaves_real_residuals(cmmm):
    report = lp.latent_fit_report(20_000, year=2022, seed=3)
    fitted = report[report["check"] == "fitted"]
    assert fitted["published_pct"].tolist() == [63.0, 21.0, 12.0, 4.0]
    # two parameters for four shares: close, but the shares are not reproduced exactly
    assert fitted["residual_pp"].abs().max() < 2.0
    assert fitted["residual_pp"].abs().sum() > 0.2
    oos = report[report["check"] == "out_of_sample"]
    assert oos["scope"].tolist() == ["sector C39", "sector C25"]
    assert (oos["published_pct"] == 10.0).all()
    # the shares by hand from the scored rows
    scored = score_frame(cmmm, lp.generate_latent_population(20_000, year=2022, seed=3))
    le1 = 100 * float((scored["level"] <= 1).mean())
    assert fitted["synthetic_pct"].iloc[0] == pytest.approx(le1, abs=0.006)
    c39 = scored.loc[scored["sector"] == "computers_electronics", "level"]
    assert oos["synthetic_pct"].iloc[0] == pytest.approx(100 * float((c39 >= 4).mean()), abs=0.006)


def test_levels_are_not_assigned_but_scored(cmmm):
    # same draws, higher location -> more enterprises reach level 2 or more (nothing is a quota)
    low = score_frame(cmmm, lp.generate_latent_population(3_000, seed=5, location=1.0,
                                                         spread=1.0))
    high = score_frame(cmmm, lp.generate_latent_population(3_000, seed=5, location=2.0,
                                                          spread=1.0))
    assert (high["level"] >= 2).mean() > (low["level"] >= 2).mean() + 0.15


def test_batches_stream_with_unique_ids():
    whole = lp.generate_latent_population(2_500, seed=4, batch_size=1_000)
    parts = list(lp.latent_population_batches(2_500, batch_size=1_000, seed=4))
    assert [len(p) for p in parts] == [1_000, 1_000, 500]
    pd.testing.assert_frame_equal(pd.concat(parts), whole.set_axis(pd.RangeIndex(2_500)))
    assert whole["respondent"].is_unique
    assert whole["respondent"].iloc[-1] == "LAT-0000002500"
    pd.testing.assert_frame_equal(lp.latent_population_batch(1, n=2_500, batch_size=1_000,
                                                             seed=4), parts[1])
    # batches are not copies of each other (no per-chunk quota or reused seed)
    assert not parts[0].iloc[:, 7:].reset_index(drop=True).equals(
        parts[1].iloc[:, 7:].reset_index(drop=True))


def test_reliability_is_not_one_factor(cmmm):
    table = reliability_table(cmmm, lp.generate_latent_population(4_000, seed=8))
    dims, overall = table.iloc[:-1], table.iloc[-1]
    assert len(dims) == 20 and overall["items"] == 136  # 128 before the split of issue 10 §4
    assert dims["alpha"].between(0.7, 0.93).all()
    assert overall["first_eigenvalue_share"] < 0.4


def test_effects_and_their_status_are_stated():
    cfg = population_config()
    statuses = {r.status for table in (cfg.sectors, cfg.sizes, cfg.regions)
                for r in table.values()}
    assert statuses <= {"published_direction", "borrowed_direction", "assumed"}
    assert {r.status for r in cfg.sizes.values()} == {"borrowed_direction"}
    assert sorted(cfg.latent.fitted) == [2020, 2021, 2022]


def test_bad_requests():
    with pytest.raises(InputError, match="no fitted parameters for 2019"):
        lp.generate_latent_population(10, year=2019)
    with pytest.raises(InputError, match="positive ints"):
        lp.generate_latent_population(0)
    with pytest.raises(InputError, match="outside 10 rows"):
        lp.latent_population_batch(3, n=10, batch_size=5)
    assert np.isfinite(lp.generate_latent_population(10, year=2019, location=1, spread=1)
                       .shape[0])
