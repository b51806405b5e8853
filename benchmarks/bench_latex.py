"""Benchmark: render all built-in derivations to .tex (checks excluded) and compile with pdflatex.

Run: python benchmarks/bench_latex.py [--repeats K]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

from derivcheck_steps import check_derivation
from derivcheck_steps.discovery import collect
from derivcheck_steps.latex.pdf import compile_pdf, find_engine
from derivcheck_steps.latex.writeup import Checked, render_markdown, render_tex


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeats", type=int, default=5, help="timed repeats (median reported)")
    args = parser.parse_args()
    start = time.perf_counter()
    items = [Checked(f.derivation, check_derivation(f.derivation)) for f in collect()]
    check_s = time.perf_counter() - start
    steps = sum(len(c.result.steps) for c in items)
    tex_times, md_times, tex = [], [], ""
    for _ in range(args.repeats):
        t0 = time.perf_counter()
        tex = render_tex(items)
        tex_times.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        render_markdown(items)
        md_times.append(time.perf_counter() - t0)
    print(f"{len(items)} derivations, {steps} steps (checking them first took {check_s:.2f} s, not counted below)")
    print(f"render .tex: median {1000 * statistics.median(tex_times):.0f} ms ({len(tex)} bytes)")
    print(f"render .md:  median {1000 * statistics.median(md_times):.0f} ms")
    try:
        find_engine()
    except Exception as exc:  # noqa: BLE001 - report, don't fail, on a machine without TeX
        print(f"pdflatex compile: skipped ({exc})")
        return
    compile_times, pages = [], 0
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "writeup.tex"
        path.write_text(tex, encoding="utf-8")
        for _ in range(max(1, args.repeats // 2)):
            t0 = time.perf_counter()
            result = compile_pdf(path)
            compile_times.append(time.perf_counter() - t0)
        pages = _pages(result.pdf)
    print(f"pdflatex compile (2 passes): median {statistics.median(compile_times):.2f} s, {pages} pages, "
          f"{len(result.warnings)} undefined warnings")


def _pages(pdf: Path) -> str:
    if shutil.which("pdfinfo") is None:
        return "?"
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
    return next((line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")), "?")


if __name__ == "__main__":
    main()
