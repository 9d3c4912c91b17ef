"""Benchmark: synthetic CMMM populations generated, scored and compared, in memory and at scale.

Three parts, each run in a fresh subprocess so that its peak memory
(``ru_maxrss``) is its own. Every line states wall time, CPU time (user +
system of the process and its children) and the 1-minute load average when
it finished, because wall times on a shared machine mean little alone.

* ``--sizes``: in memory, 10,000 / 100,000 / 1,000,000 rows: generate (the
  quota-matched generator and the latent-maturity one), score, compare.
  Goal: 1,000,000 under 60 s and 4 GB.
* ``--stream N`` (default 10,000,000): the latent population written to one
  Parquet file batch by batch, then scored from it batch by batch
  (``maturity.scale``), with the level counts by sector compared from the
  counts. Goal: peak under 4 GB whatever N.
* ``--dask N`` (default 1,000,000): the latent population drawn and scored on
  a ``distributed.LocalCluster`` with two worker processes; time, and the
  peak memory of each worker.

Run: ``.venv/bin/python benchmarks/bench_population.py [--sizes ...] [--stream N] [--dask N]``
(``--skip-stream`` / ``--skip-dask`` leave those parts out; the scale parts need
``pip install manufacturing-maturity[scale]``).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def _cpu() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def in_memory(n: int) -> dict:
    """Generate (both generators), score and compare ``n`` assessments in this process."""
    import maturity
    from maturity import compare
    from maturity.latent_population import generate_latent_population

    model = maturity.load_model("cmmm")
    t0, c0 = time.perf_counter(), _cpu()
    quota = maturity.generate_population(n, seed=0)
    t1 = time.perf_counter()
    del quota
    latent = generate_latent_population(n, seed=0)
    t2 = time.perf_counter()
    scored = maturity.score_frame(model, latent)
    t3 = time.perf_counter()
    compare.level_distribution(scored, by="sector")
    compare.dimension_profiles(scored, by="size")
    compare.group_tests(scored, by="size", n_resamples=1000)
    compare.group_tests(scored, by="sector", n_resamples=1000)
    t4 = time.perf_counter()
    return {"part": "memory", "n": n, "quota_generate_s": t1 - t0, "latent_generate_s": t2 - t1,
            "score_s": t3 - t2, "compare_s": t4 - t3, "wall_s": t4 - t0, "cpu_s": _cpu() - c0,
            "peak_mb": _peak_mb(), "load1": os.getloadavg()[0]}


def streamed(n: int, batch: int) -> dict:
    """Write ``n`` latent assessments to Parquet and score them back, batch by batch."""
    import maturity
    from maturity import level_counts
    from maturity.scale import score_parquet, write_latent_population

    model = maturity.load_model("cmmm")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "panel.parquet"
        t0, c0 = time.perf_counter(), _cpu()
        write_latent_population(path, n, batch_size=batch, seed=0)
        t1 = time.perf_counter()
        peak_write = _peak_mb()
        counts = score_parquet(model, path, by="sector", batch_size=batch)
        kw = level_counts.kruskal_from_counts(counts)
        chi2 = level_counts.chi2_from_counts(counts)
        t2 = time.perf_counter()
        size_mb = path.stat().st_size / 2**20
    return {"part": "stream", "n": n, "batch": batch, "write_s": t1 - t0, "score_s": t2 - t1,
            "wall_s": t2 - t0, "cpu_s": _cpu() - c0, "peak_mb": _peak_mb(),
            "peak_write_mb": peak_write, "file_mb": size_mb, "rows_counted": int(kw["n"].iloc[0]),
            "kruskal_h": float(kw["statistic"].iloc[0]), "chi2": float(chi2["statistic"].iloc[0]),
            "load1": os.getloadavg()[0]}


def on_dask(n: int, batch: int) -> dict:
    """Draw and score ``n`` latent assessments on a LocalCluster with two worker processes."""
    import distributed

    import maturity
    from maturity import level_counts
    from maturity.scale import latent_population_dask, score_dask

    def worker_peak() -> float:
        import resource as r

        return r.getrusage(r.RUSAGE_SELF).ru_maxrss / 1024

    model = maturity.load_model("cmmm")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None, memory_limit="4GiB") as cluster, \
            distributed.Client(cluster) as client:
        t0, c0 = time.perf_counter(), _cpu()
        scored = score_dask(model, latent_population_dask(n, batch_size=batch, seed=0))
        counts = level_counts.level_counts(scored, by="sector")
        kw = level_counts.kruskal_from_counts(counts)
        t1 = time.perf_counter()
        peaks = client.run(worker_peak)
        cpu_workers = sum(client.run(_cpu).values())
    return {"part": "dask", "n": n, "batch": batch, "wall_s": t1 - t0,
            "cpu_client_s": _cpu() - c0, "cpu_workers_s": cpu_workers,
            "worker_peak_mb": sorted(peaks.values()), "rows_counted": int(kw["n"].iloc[0]),
            "load1": os.getloadavg()[0]}


def _run(args: list[str]) -> dict:
    out = subprocess.run([sys.executable, __file__, *args], check=True, capture_output=True,
                         text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="*", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--stream", type=int, default=10_000_000)
    parser.add_argument("--dask", type=int, default=1_000_000)
    parser.add_argument("--batch", type=int, default=100_000)
    parser.add_argument("--skip-stream", action="store_true")
    parser.add_argument("--skip-dask", action="store_true")
    parser.add_argument("--one", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.one:
        part, n = args.one[0], int(args.one[1])
        result = {"memory": lambda: in_memory(n), "stream": lambda: streamed(n, args.batch),
                  "dask": lambda: on_dask(n, args.batch)}[part]()
        print(json.dumps(result))
        return 0
    print(f"{os.cpu_count()} CPUs; load average at start {os.getloadavg()[0]:.1f}", flush=True)
    for n in args.sizes:
        r = _run(["--one", "memory", str(n)])
        print(f"memory {n:>11,}: generate quota-matched {r['quota_generate_s']:6.2f} s, latent "
              f"{r['latent_generate_s']:6.2f} s; score {r['score_s']:6.2f} s; compare "
              f"{r['compare_s']:6.2f} s; wall {r['wall_s']:6.1f} s, CPU {r['cpu_s']:6.1f} s, "
              f"peak {r['peak_mb']:6.0f} MB, load {r['load1']:.1f}", flush=True)
    if not args.skip_stream:
        r = _run(["--one", "stream", str(args.stream), "--batch", str(args.batch)])
        print(f"stream {r['n']:>11,} via Parquet ({r['file_mb']:.0f} MB, batches of "
              f"{r['batch']:,}): write {r['write_s']:.0f} s, score + counts {r['score_s']:.0f} s; "
              f"wall {r['wall_s']:.0f} s, CPU {r['cpu_s']:.0f} s, peak {r['peak_mb']:.0f} MB "
              f"(writing {r['peak_write_mb']:.0f} MB); {r['rows_counted']:,} rows counted, "
              f"Kruskal-Wallis H {r['kruskal_h']:.0f}; load {r['load1']:.1f}", flush=True)
    if not args.skip_dask:
        r = _run(["--one", "dask", str(args.dask), "--batch", str(args.batch)])
        print(f"dask   {r['n']:>11,} on a LocalCluster (2 workers): wall {r['wall_s']:.1f} s, "
              f"CPU workers {r['cpu_workers_s']:.0f} s + client {r['cpu_client_s']:.1f} s, "
              f"peak per worker {', '.join(f'{p:.0f}' for p in r['worker_peak_mb'])} MB; "
              f"{r['rows_counted']:,} rows counted; load {r['load1']:.1f}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
