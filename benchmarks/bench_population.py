"""Benchmark: generate, score and compare 10,000, 100,000 and 1,000,000 synthetic assessments.

Run: ``.venv/bin/python benchmarks/bench_population.py [N ...]``. Each size runs in a fresh
subprocess, so its peak memory (``ru_maxrss``) is its own. Prints the time of each step,
the peak memory and the growth factor per 10x. Goal (issue 6): 1,000,000 in under 60 s and
under 4 GB, close to linear growth.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time


def run_one(n: int) -> dict:
    import resource

    from maturity import load_model, score_frame
    from maturity.compare import group_tests, level_distribution
    from maturity.datasets import generate_population

    model = load_model("cmmm")
    t0 = time.perf_counter()
    population = generate_population(n, seed=0)
    t1 = time.perf_counter()
    scored = score_frame(model, population)
    t2 = time.perf_counter()
    level_distribution(scored, by="sector")
    group_tests(scored, by="sector")
    t3 = time.perf_counter()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # KiB on Linux
    return {"n": n, "generate": t1 - t0, "score": t2 - t1, "compare": t3 - t2,
            "total": t3 - t0, "peak_gb": peak / 1e9}


def main(sizes: list[int]) -> None:
    rows = []
    for n in sizes:
        out = subprocess.run([sys.executable, __file__, "--one", str(n)], check=True,
                             capture_output=True, text=True).stdout
        rows.append(json.loads(out.strip().splitlines()[-1]))
    print(f"{'n':>10} {'generate s':>11} {'score s':>8} {'compare s':>10} {'total s':>8} "
          f"{'peak GB':>8} {'x per 10x':>9}")
    for i, r in enumerate(rows):
        growth = ""
        if i and r["n"] == 10 * rows[i - 1]["n"]:
            growth = f"{r['total'] / rows[i - 1]['total']:.1f}"
        print(f"{r['n']:>10,} {r['generate']:>11.2f} {r['score']:>8.2f} {r['compare']:>10.2f} "
              f"{r['total']:>8.2f} {r['peak_gb']:>8.2f} {growth:>9}")
    last = rows[-1]
    if last["n"] >= 1_000_000:
        ok = last["total"] < 60 and last["peak_gb"] < 4
        print(f"goal for 1,000,000 (< 60 s, < 4 GB): {'met' if ok else 'NOT met'}")


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--one":
        print(json.dumps(run_one(int(sys.argv[2]))))
    else:
        main([int(a) for a in sys.argv[1:]] or [10_000, 100_000, 1_000_000])
