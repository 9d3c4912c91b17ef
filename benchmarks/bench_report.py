"""Benchmark: build the demo report (execute + export) and render a 2,000-system landscape.

Run: ``.venv/bin/python benchmarks/bench_report.py``. Prints the build time and size of the
report (goal: under 20 s and under 5 MB) and the time headless Chromium takes to draw a
2,000-system landscape graph offline (goal: under 5 s; positions computed in Python,
physics off). The browser part needs Debian's chromium.
"""

from __future__ import annotations

import shutil
import tempfile
import time
from pathlib import Path

from maturity.demo import example_answer_paths, example_landscape_path
from maturity.report import build_report
from value_chain import landscape_html, random_landscape

CANVAS_INK = """() => {
  const c = document.querySelector('canvas');
  if (!c) return 0;
  const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
  let n = 0;
  for (let i = 3; i < d.length; i += 4) { if (d[i] > 0) n++; }
  return n;
}"""


def bench_report(work: Path) -> None:
    t0 = time.perf_counter()
    out = build_report(example_answer_paths(), work / "report.html",
                       landscape=example_landscape_path(), budget=1_500_000, phases=3)
    elapsed = time.perf_counter() - t0
    size = out.stat().st_size
    print(f"demo report: built in {elapsed:.1f} s (goal < 20 s), {size / 1e6:.2f} MB "
          f"(goal < 5 MB)")


def bench_big_graph(work: Path, n: int = 2000) -> None:
    chromium = shutil.which("chromium")
    G = random_landscape(n, seed=1)
    t0 = time.perf_counter()
    page_html = landscape_html(G)
    t_py = time.perf_counter() - t0
    path = work / "big.html"
    path.write_text(page_html, encoding="utf-8")
    print(f"{n:,}-system landscape page: generated in {t_py:.2f} s, "
          f"{path.stat().st_size / 1e6:.2f} MB")
    if chromium is None:
        print("  (no chromium: browser timing skipped)")
        return
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium,
                                    args=["--no-sandbox", "--disable-gpu",
                                          "--disable-background-networking"])
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        t0 = time.perf_counter()
        page.goto(path.as_uri())
        while page.evaluate(CANVAS_INK) < 1000:
            if time.perf_counter() - t0 > 60:
                break
            page.wait_for_timeout(50)
        t_draw = time.perf_counter() - t0
        browser.close()
    print(f"  drawn in headless Chromium in {t_draw:.2f} s (goal < 5 s)")


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        bench_report(work)
        bench_big_graph(work)


if __name__ == "__main__":
    main()
