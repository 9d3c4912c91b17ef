"""Time and memory of the CLI on the worst hostile inputs of issue 17 (all refused, status 2).

Each case runs in-process after a warm-up (imports excluded); the peak is what Python
allocated during the command (tracemalloc). Run: ``python benchmarks/bench_hostile.py``.
"""

from __future__ import annotations

import contextlib
import io
import tempfile
import time
import tracemalloc
import zipfile
from pathlib import Path

from maturity.cli import main
from maturity.demo import example_landscape_path
from value_chain.limits import LIMITS

HERE = Path(__file__).parents[1]
MINI_MODEL = HERE / "tests" / "maturity" / "fixtures" / "mini_cmmm.yaml"
MINI_ANSWERS = HERE / "tests" / "maturity" / "fixtures" / "mini_answers.json"


def _bomb(levels: int = 9) -> str:
    lines = ["bombs:", "  b0: &b0 [x, x, x, x, x, x, x, x, x]"]
    lines += [f"  b{i}: &b{i} [" + ", ".join([f"*b{i - 1}"] * 9) + "]" for i in range(1, levels)]
    lines += ["systems:", "  - {id: erp, name: ERP, type: ERP}", "  - {id: m, name: M, type: MES}",
              "links:", f"  - {{source: erp, target: m, mode: *b{levels - 1}}}"]
    return "\n".join(lines) + "\n"


def _zip_bomb(folder: Path) -> Path:
    from openpyxl import Workbook

    plain = folder / "plain.xlsx"
    wb = Workbook()
    wb.active.title = "systems"
    wb.active.append(["id", "name", "type"])
    wb.save(plain)
    bomb = folder / "bomb.xlsx"
    with zipfile.ZipFile(plain) as src, zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info, src.read(info))
        with dst.open("xl/sharedStrings2.xml", "w") as fh:
            chunk = b"a" * (1 << 20)
            for _ in range(1500):  # a 1.5 GB string, as in the issue
                fh.write(chunk)
    return bomb


def cases(folder: Path) -> dict[str, list[str]]:
    def put(name: str, content: str | bytes) -> str:
        path = folder / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        return str(path)

    huge = folder / "huge.yaml"
    with huge.open("wb") as fh:
        fh.truncate(LIMITS.file_bytes + 1)
    return {
        "alias bomb (9^9) in links[].mode": ["landscape", put("bomb.yaml", _bomb())],
        "YAML nested 500 deep": ["landscape", put("deep.yaml", "a: " + "[" * 500 + "]" * 500)],
        "JSON nested 100,000 deep": ["landscape", put("deep.json", "[" * 100_000 + "]" * 100_000)],
        "5,000-digit JSON integer": ["score", put("n.json", '{"model": "mini_cmmm", "answers": '
                                                  '{"a": ' + "9" * 5000 + "}}"),
                                     "--model-file", str(MINI_MODEL)],
        "CSV field of 200,000 characters": ["score", put("a.csv", "key,value\nmodel,x\nname,"
                                                         + "y" * 200_000 + "\n"),
                                            "--model-file", str(MINI_MODEL)],
        "YAML text of 10 MB": ["landscape", put("big.yaml", "systems:\n  - {id: a, name: '"
                                               + "z" * 10_000_000 + "', type: ERP}\n")],
        "file over the size limit (sparse)": ["landscape", str(huge)],
        "xlsx unpacking to 1.5 GB": ["landscape", str(_zip_bomb(folder))],
        "roadmap --phases 1,000,000": ["roadmap", str(MINI_ANSWERS), "--landscape",
                                       str(example_landscape_path()), "--budget", "1",
                                       "--phases", "1000000"],
    }


def run(argv: list[str]) -> tuple[int, float, int]:
    err = io.StringIO()
    tracemalloc.start()
    start = time.perf_counter()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        status = main(argv)
    seconds = time.perf_counter() - start
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return status, seconds, peak


def main_bench() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        all_cases = cases(folder)
        run(["landscape", str(example_landscape_path())])  # warm-up: imports
        print(f"{'case':<40} {'status':>6} {'seconds':>8} {'peak MB':>8}")
        worst = (0.0, 0)
        for name, argv in all_cases.items():
            status, seconds, peak = run(argv)
            worst = (max(worst[0], seconds), max(worst[1], peak))
            print(f"{name:<40} {status:>6} {seconds:>8.3f} {peak / 1e6:>8.1f}")
        print(f"worst: {worst[0]:.3f} s, {worst[1] / 1e6:.1f} MB peak")


if __name__ == "__main__":
    main_bench()
