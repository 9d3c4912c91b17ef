"""Benchmark: build the demo report (HTML, PDF, Word) and render a 2,000-system landscape.

Run: ``.venv/bin/python benchmarks/bench_report.py``. Prints, for the bundled example
enterprise (six models, landscape, three-phase roadmap):

- the time to check the inputs in the calling process (nothing is computed there),
- the time of the single kernel run (scoring, evidence, MILP, figures) and of the export,
- the whole HTML build (goal: under 10 s on the 2-core machine) and its size (goal < 5 MB),
- the PDF (goal: under 20 s, at most 15 A4 pages) and the Word file,
- the command a user runs, ``maturity report ... -o report.html`` (and ``.pdf``), in a fresh
  process: wall time and the CPU time of the command and its kernel,

then the time headless Chromium takes to draw a 2,000-system landscape graph offline
(positions computed in Python, physics off). The PDF and browser parts need Debian's
chromium. The machine's load average is printed too: on a shared machine, times grow with it.
"""

from __future__ import annotations

import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from maturity.demo import example_answer_paths, example_landscape_path
from maturity.report import build_report, check_report_inputs, execute_report, report_html
from value_chain import landscape_html, random_landscape

CANVAS_INK = """() => {
  const c = document.querySelector('canvas');
  if (!c) return 0;
  const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
  let n = 0;
  for (let i = 3; i < d.length; i += 4) { if (d[i] > 0) n++; }
  return n;
}"""
DEMO = {"landscape": example_landscape_path(), "budget": 1_500_000, "phases": 3}


def _cpu() -> float:
    """CPU seconds of this process and its finished children (the kernel): on a busy
    machine closer to what the build costs than the wall-clock time."""
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(
        resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def _load() -> str:
    return "load average " + " ".join(f"{x:.1f}" for x in os.getloadavg())


def bench_report(work: Path) -> None:
    answers = example_answer_paths()
    t0 = time.perf_counter()
    check_report_inputs(answers, **DEMO)
    t_check = time.perf_counter() - t0
    t0, cpu0 = time.perf_counter(), _cpu()
    nb = execute_report(answers, **DEMO)
    t_kernel, cpu = time.perf_counter() - t0, _cpu() - cpu0
    t0 = time.perf_counter()
    page = report_html(nb)
    t_export = time.perf_counter() - t0
    print(f"demo report: inputs checked in {t_check:.1f} s, kernel run (incl. the check) "
          f"{t_kernel:.1f} s ({cpu:.1f} s of CPU in this process and the kernel), export "
          f"{t_export:.1f} s ({_load()})")
    for lang in ("en", "zh"):
        t0 = time.perf_counter()
        out = build_report(answers, work / f"report_{lang}.html", lang=lang, **DEMO)
        elapsed = time.perf_counter() - t0
        print(f"  HTML {lang}: {elapsed:.1f} s (goal < 10 s), {out.stat().st_size / 1e6:.2f} MB "
              f"(goal < 5 MB)")
    t0 = time.perf_counter()
    out = build_report(answers, work / "report.docx", **DEMO)
    print(f"  Word: {time.perf_counter() - t0:.1f} s, {out.stat().st_size / 1e6:.2f} MB")
    if shutil.which("chromium") is None:
        print("  (no chromium: PDF skipped)")
        return
    t0 = time.perf_counter()
    out = build_report(answers, work / "report.pdf", **DEMO)
    elapsed = time.perf_counter() - t0
    pages = _pages(out)
    print(f"  PDF: {elapsed:.1f} s (goal < 20 s), {pages} A4 pages (goal <= 15), "
          f"{out.stat().st_size / 1e6:.2f} MB")
    from maturity.report_pdf import html_to_pdf

    t0 = time.perf_counter()
    html_to_pdf(page, work / "again.pdf")
    print(f"  printing alone (Chromium): {time.perf_counter() - t0:.1f} s")


def bench_cli(work: Path) -> None:
    """The command as a user runs it: a fresh process imports the package, checks the inputs,
    runs the kernel and writes the file."""
    answers = [str(p) for p in example_answer_paths()]
    cmd = [sys.executable, "-m", "maturity.cli", "report", *answers, "--landscape",
           str(DEMO["landscape"]), "--budget", str(DEMO["budget"]), "--phases",
           str(DEMO["phases"]), "--generated-at", "2025-06-30 09:00"]
    outs = [work / "cli.html"] + ([work / "cli.pdf"] if shutil.which("chromium") else [])
    for out in outs:
        kids = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        subprocess.run([*cmd, "-o", str(out)], check=True, capture_output=True)
        elapsed = time.perf_counter() - t0
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime + after.ru_stime) - (kids.ru_utime + kids.ru_stime)
        goal = "20" if out.suffix == ".pdf" else "10"
        print(f"  maturity report -o {out.name}: {elapsed:.1f} s (goal < {goal} s), "
              f"{cpu:.1f} s of CPU in the command, its kernel and browser ({_load()})")


def _pages(path: Path) -> int | str:
    try:
        from pypdf import PdfReader
    except ImportError:
        return "?"
    return len(PdfReader(str(path)).pages)


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
        bench_cli(work)
        bench_big_graph(work)


if __name__ == "__main__":
    main()
