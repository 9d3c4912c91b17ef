"""Benchmark: collect and consolidate 10,000 generated answers files.

Run: ``.venv/bin/python benchmarks/bench_collect.py [N]``. Writes N CMMM answers files (JSON,
as the HTML form saves them) of N/4 fictional companies, two rounds each, two respondents per
round, into a temporary folder; then times :func:`maturity.collect.collect` (reading and
validating every file into the tidy table) and :func:`maturity.consolidate.consolidate`
(median of the respondents, scoring, Krippendorff's alpha per company round). Prints the times
and the peak memory of the process.
"""

from __future__ import annotations

import json
import resource
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from maturity import load_model
from maturity.collect import collect
from maturity.consolidate import consolidate
from maturity.profiles import answers_for_levels


def write_files(folder: Path, n: int, seed: int = 0) -> None:
    model = load_model("cmmm")
    rng = np.random.default_rng(seed)
    companies = max(1, n // 4)


    base = rng.uniform(0.5, 4.5, companies)
    k = 0
    for r, when in enumerate(("2024-04-01", "2025-04-01")):
        levels = pd.DataFrame({d.id: base + 0.4 * r + rng.normal(0, 0.4, companies)
                               for d in model.dimensions})
        for who in ("plant manager", "IT lead"):
            table = answers_for_levels(model, levels, noise=0.4, seed=seed + k)
            for c, row in enumerate(table.to_dict("records")):
                if k >= n:
                    return
                data = {"model": "cmmm", "respondent": who, "date": when,
                        "enterprise": {"name": f"Company {c:05d}", "sector": "textiles",
                                       "industry_type": "discrete"},
                        "answers": {i: v for i, v in row.items() if isinstance(v, str)}}
                path = folder / f"company{c:05d}_cmmm_{who.replace(' ', '-')}_{when}.json"
                path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
                k += 1


def main(n: int = 10_000) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        t0 = time.perf_counter()
        write_files(folder, n)
        print(f"wrote {n:,} CMMM answers files in {time.perf_counter() - t0:.1f} s")
        t0 = time.perf_counter()
        result = collect(folder)
        t_collect = time.perf_counter() - t0
        table = result.table
        print(f"collect: {t_collect:.1f} s ({n / t_collect:,.0f} files/s), {len(table):,} rows, "
              f"{len(result.problems)} problems")
        t0 = time.perf_counter()
        scores = consolidate(table)
        t_cons = time.perf_counter() - t0
        print(f"consolidate: {t_cons:.1f} s for {len(scores):,} company rounds "
              f"(median, scoring, ordinal alpha)")
        print(f"total: {t_collect + t_cons:.1f} s; peak memory "
              f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:,.0f} MB")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000)
