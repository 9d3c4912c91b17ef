"""Benchmark: landscape_metrics on synthetic landscapes of 1,000 to 1,000,000 systems.

Each landscape has about 4 links per system (degree 4, i.e. 2 links per system in
total between systems), 50 % realtime, 30 % batch, 20 % manual, levels in a pyramid,
sites of 50 systems (value_chain.random_landscape).  Prints, per size, the wall time of
the whole computation and its CPU time (best of a few runs; on a shared machine the CPU
time is the steadier figure), the CPU time spent walking networkx's dicts into columns
(value_chain.integration.link_table), the CPU time of the metrics on columns built
beforehand (landscape_metrics(G, table=...)), peak memory of the computation
(tracemalloc) and the growth factor of the CPU time per 10x.  Goal: 10^6 systems under
5 s, at most 12x per 10x.

Run: python benchmarks/bench_landscape_metrics.py [--degree 8] [--max 1000000]
"""

from __future__ import annotations

import argparse
import gc
import time
import tracemalloc
from functools import partial

from value_chain import landscape_metrics, random_landscape
from value_chain.integration import link_table

SIZES = (1_000, 10_000, 100_000, 1_000_000)


def best_of(repeats: int, fn) -> tuple[float, float]:
    """Best wall time and best CPU time of ``repeats`` runs."""
    wall = cpu = float("inf")
    for _ in range(repeats):
        start, start_cpu = time.perf_counter(), time.process_time()
        fn()
        wall = min(wall, time.perf_counter() - start)
        cpu = min(cpu, time.process_time() - start_cpu)
    return wall, cpu


def measure(n: int, degree: float) -> tuple[int, float, float, float, float, float]:
    gc.disable()  # building the test graph is not what is measured
    G = random_landscape(n, links_per_system=degree, seed=42)
    gc.enable()
    gc.freeze()  # the graph lives for the whole run, as in a notebook
    repeats = 5 if n <= 10_000 else (2 if n <= 100_000 else 1)
    wall, cpu = best_of(repeats, partial(landscape_metrics, G))
    walk = best_of(repeats, partial(link_table, G))[1]
    table = link_table(G)
    on_table = best_of(repeats, partial(landscape_metrics, G, table=table))[1]
    peak = 0.0
    if n <= 100_000:  # tracemalloc slows a million-system run several-fold
        tracemalloc.start()
        landscape_metrics(G)
        peak = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
    links = G.number_of_edges()
    del G
    gc.unfreeze()
    gc.collect()
    return links, wall, cpu, walk, on_table, peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--degree", type=float, default=4.0, help="links touching a system")
    parser.add_argument("--max", type=int, default=SIZES[-1], help="largest size to run")
    args = parser.parse_args()
    print(f"{'systems':>9} {'links':>9} {'wall s':>8} {'CPU s':>8} {'walk CPU':>9} "
          f"{'table CPU':>9} {'peak MiB':>9} {'x per 10x':>9}")
    previous = cpu = None
    for n in (s for s in SIZES if s <= args.max):
        links, wall, cpu, walk, on_table, peak = measure(n, args.degree)
        growth = f"{cpu / previous:9.1f}" if previous else f"{'':>9}"
        mem = f"{peak:9.1f}" if peak else f"{'-':>9}"
        print(f"{n:>9,} {links:>9,} {wall:8.3f} {cpu:8.3f} {walk:9.3f} {on_table:9.3f} {mem} "
              f"{growth}", flush=True)
        previous = cpu
    if args.max >= 1_000_000 and cpu is not None and cpu > 5:
        print(f"goal missed: {cpu:.1f} s CPU for 1,000,000 systems (goal < 5 s)")


if __name__ == "__main__":
    main()
