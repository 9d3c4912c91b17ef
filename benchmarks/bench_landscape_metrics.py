"""Benchmark: landscape_metrics on synthetic landscapes of 1,000 to 100,000 systems.

Each landscape has about 4 links per system (degree 4, i.e. 2 links per system in
total between systems), 50 % realtime, 30 % batch, 20 % manual, levels in a pyramid,
sites of 50 systems.  Prints time (best of a few runs), peak memory of the metric
computation (tracemalloc) and the growth factor per 10x.  Goal: close to linear
growth and 100,000 systems in under 10 s.

Run: python benchmarks/bench_landscape_metrics.py [--degree 8]
"""

from __future__ import annotations

import argparse
import time
import tracemalloc

from value_chain import landscape_metrics, random_landscape

SIZES = (1_000, 10_000, 100_000)


def measure(n: int, degree: float) -> tuple[int, float, float]:
    G = random_landscape(n, links_per_system=degree, seed=42)
    repeats = 5 if n <= 10_000 else 2
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        landscape_metrics(G)
        best = min(best, time.perf_counter() - start)
    tracemalloc.start()
    landscape_metrics(G)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return G.number_of_edges(), best, peak / 2**20


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--degree", type=float, default=4.0, help="links touching a system")
    args = parser.parse_args()
    print(f"{'systems':>9} {'links':>9} {'time s':>8} {'peak MiB':>9} {'x per 10x':>9}")
    previous = None
    for n in SIZES:
        links, seconds, peak = measure(n, args.degree)
        growth = f"{seconds / previous:9.1f}" if previous else f"{'':>9}"
        print(f"{n:>9,} {links:>9,} {seconds:8.3f} {peak:9.1f} {growth}")
        previous = seconds
    if seconds > 10:
        raise SystemExit(f"too slow: {seconds:.1f} s for {SIZES[-1]:,} systems (goal < 10 s)")


if __name__ == "__main__":
    main()
