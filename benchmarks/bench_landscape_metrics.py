"""Benchmark: landscape_metrics on synthetic landscapes of 1,000 to 1,000,000 systems.

Each landscape has about 4 links per system (degree 4, i.e. 2 links per system in
total between systems), 50 % realtime, 30 % batch, 20 % manual, levels in a pyramid,
sites of 50 systems (value_chain.random_landscape).  Prints, per size:

- ``build CPU``: making the landscape (random_landscape: the networkx graph and its
  columns, built from the generated arrays and kept with the graph, as a reader keeps
  them on first use);
- ``file CPU``: reading the same landscape from a JSON file (read_landscape: every
  record checked), up to 10,000 systems; larger files exceed the reader's limits
  (value_chain.limits: a million values), so those sizes are generated only;
- ``metrics CPU`` and ``wall``: landscape_metrics(G) on that landscape, the common path
  (the kept columns are used; best of a few runs);
- ``walk CPU``: what a changed or plain networkx graph pays on top: walking networkx's
  dicts into columns once (value_chain._link_table._walk);
- ``peak MiB``: peak memory allocated by landscape_metrics(G) (tracemalloc, on its own
  run), and ``RSS MiB``: the process's peak resident memory so far (graph included);
- ``x per 10x``: growth of the metrics CPU time per 10x systems.

On a shared machine the CPU time is the steadier figure.  Goal: 10^6 systems under
5 s, at most 12x per 10x.

Run: python benchmarks/bench_landscape_metrics.py [--degree 8] [--max 1000000] [--min 1000]
"""

from __future__ import annotations

import argparse
import gc
import resource
import tempfile
import time
import tracemalloc
from functools import partial
from pathlib import Path

from value_chain import landscape_metrics, random_landscape, read_landscape, write_landscape
from value_chain._link_table import _walk

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


def measure(n: int, degree: float) -> dict[str, float]:
    start = time.process_time()
    G = random_landscape(n, links_per_system=degree, seed=42)
    build = time.process_time() - start
    read = float("nan")
    if n <= 10_000:
        with tempfile.TemporaryDirectory() as folder:
            path = write_landscape(G, Path(folder) / "landscape.json")
            start = time.process_time()
            read_landscape(path)
            read = time.process_time() - start
    gc.collect()
    gc.freeze()  # the graph lives for the whole run, as in a notebook
    repeats = 5 if n <= 10_000 else 3
    wall, cpu = best_of(repeats, partial(landscape_metrics, G))
    walk = best_of(repeats, partial(_walk, G))[1]
    tracemalloc.start()
    landscape_metrics(G)
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    links = G.number_of_edges()
    del G
    gc.unfreeze()
    gc.collect()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return dict(links=links, build=build, read=read, wall=wall, cpu=cpu, walk=walk, peak=peak,
                rss=rss)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--degree", type=float, default=4.0, help="links touching a system")
    parser.add_argument("--max", type=int, default=SIZES[-1], help="largest size to run")
    parser.add_argument("--min", type=int, default=SIZES[0], help="smallest size to run")
    args = parser.parse_args()
    print(f"{'systems':>9} {'links':>9} {'build CPU':>9} {'file CPU':>8} {'metrics CPU':>11} "
          f"{'wall':>7} "
          f"{'walk CPU':>8} {'peak MiB':>8} {'RSS MiB':>8} {'x per 10x':>9}")
    previous = cpu = None
    for n in (s for s in SIZES if args.min <= s <= args.max):
        r = measure(n, args.degree)
        cpu = r["cpu"]
        growth = f"{cpu / previous:9.1f}" if previous else f"{'':>9}"
        read = f"{r['read']:8.2f}" if r["read"] == r["read"] else f"{'-':>8}"
        print(f"{n:>9,} {r['links']:>9,} {r['build']:9.2f} {read} {cpu:11.3f} {r['wall']:7.3f} "
              f"{r['walk']:8.3f} {r['peak']:8.1f} {r['rss']:8.0f} {growth}", flush=True)
        previous = cpu
    if args.max >= 1_000_000 and cpu is not None and cpu > 5:
        print(f"goal missed: {cpu:.1f} s CPU for 1,000,000 systems (goal < 5 s)")


if __name__ == "__main__":
    main()
