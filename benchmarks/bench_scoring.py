"""Benchmark: score_frame on 100,000 generated CMMM respondents against a loop of score calls.

Run: ``.venv/bin/python benchmarks/bench_scoring.py [N]``. Prints both times and their ratio.
Goal (issue 2): score_frame at least 50x faster than the loop, and under 2 s for 100,000.
"""

from __future__ import annotations

import sys
import time

import numpy as np
import pandas as pd

from maturity import load_model, score, score_frame
from maturity.profiles import answers_for_levels


def respondents(n: int, seed: int = 0) -> pd.DataFrame:
    model = load_model("cmmm")
    rng = np.random.default_rng(seed)
    base = rng.uniform(0.3, 4.8, n)
    levels = pd.DataFrame({d.id: base + rng.normal(0, 0.5, n) for d in model.dimensions})
    table = answers_for_levels(model, levels, noise=0.4, seed=seed)
    table.insert(0, "industry_type", rng.choice(["discrete", "process"], n))
    return table


def main(n: int = 100_000, loop_n: int | None = None) -> None:
    model = load_model("cmmm")
    table = respondents(n)
    print(f"CMMM: {len(model.items)} items, {n:,} respondents")
    t0 = time.perf_counter()
    frame = score_frame(model, table)
    t_frame = time.perf_counter() - t0
    print(f"score_frame: {t_frame:.2f} s ({n / t_frame:,.0f} respondents/s)")

    # Blanks are scored at the worst and at the best answer (issue 10): rows with a blank take a
    # second pass. One answer in ten left blank puts a blank in almost every row.
    rng = np.random.default_rng(1)
    holes = table.copy()
    for item in model.items:
        holes[item.id] = holes[item.id].mask(rng.random(n) < 0.1)
    t0 = time.perf_counter()
    with_holes = score_frame(model, holes)
    t_holes = time.perf_counter() - t0
    print(f"score_frame, 10 % of answers blank: {t_holes:.2f} s "
          f"({with_holes['provisional'].mean():.0%} of rows provisional)")

    loop_n = n if loop_n is None else loop_n
    rows = table.head(loop_n).to_dict("records")
    t0 = time.perf_counter()
    for row in rows:
        answers = {k: v for k, v in row.items() if k != "industry_type"}
        score(model, {"model": "cmmm", "enterprise": {"industry_type": row["industry_type"]},
                      "answers": answers})
    t_loop = (time.perf_counter() - t0) * n / loop_n
    note = "" if loop_n == n else f" (measured on {loop_n:,}, scaled to {n:,})"
    print(f"loop of score(): {t_loop:.2f} s{note}")
    print(f"ratio loop / score_frame: {t_loop / t_frame:.0f}x")
    shares = frame["level"].value_counts(normalize=True).sort_index().round(3)
    print(f"level shares: {shares.to_dict()}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000,
         int(sys.argv[2]) if len(sys.argv) > 2 else None)
