"""Benchmark: generate, score and compare 10,000 / 100,000 / 1,000,000 synthetic assessments.

Each size runs in a fresh subprocess so that its peak memory (``ru_maxrss``)
is its own. Goal: 1,000,000 in under 60 s and under 4 GB, growing about
linearly.

Run: ``.venv/bin/python benchmarks/bench_population.py [--sizes 10000 100000 1000000]``
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time


def run_one(n: int) -> dict:
    """Time the three steps for ``n`` assessments in this process."""
    import maturity
    from maturity import compare

    t0 = time.perf_counter()
    population = maturity.generate_population(n, seed=0)
    t1 = time.perf_counter()
    scored = maturity.score_frame(maturity.load_model("cmmm"), population)
    t2 = time.perf_counter()
    compare.level_distribution(scored, by="sector")
    compare.dimension_profiles(scored, by="size")
    compare.group_tests(scored, by="size", n_resamples=1000)
    compare.group_tests(scored, by="sector", n_resamples=1000)
    t3 = time.perf_counter()
    return {
        "n": n,
        "generate_s": round(t1 - t0, 2),
        "score_s": round(t2 - t1, 2),
        "compare_s": round(t3 - t2, 2),
        "total_s": round(t3 - t0, 2),
        "peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 0),
        "population_mb": round(population.memory_usage(deep=True).sum() / 2**20, 0),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.one:
        print(json.dumps(run_one(args.one)))
        return 0
    rows = []
    for n in args.sizes:
        out = subprocess.run([sys.executable, __file__, "--one", str(n)], check=True,
                             capture_output=True, text=True)
        rows.append(json.loads(out.stdout.strip().splitlines()[-1]))
        r = rows[-1]
        grow = ""
        if len(rows) > 1:
            p = rows[-2]
            grow = (f"  x{r['n'] / p['n']:.0f} rows -> time x{r['total_s'] / p['total_s']:.1f}, "
                    f"memory x{r['peak_mb'] / p['peak_mb']:.1f}")
        print(f"{r['n']:>9,}: generate {r['generate_s']:6.2f} s, score {r['score_s']:6.2f} s, "
              f"compare {r['compare_s']:6.2f} s, total {r['total_s']:6.2f} s, "
              f"peak {r['peak_mb']:7.0f} MB (table {r['population_mb']:.0f} MB){grow}",
              flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
