"""Speed benchmark: each figure of this tree beside the same figure of a previous commit, measured in the same run.

The previous commit (``--rev``, default 1c31b8a) is checked out with ``git worktree add`` into a
temporary folder and run with this virtual environment, with ``PYTHONPATH`` and the working
folder pointing at that tree (the runner checks that ``checks`` is really imported from there).
Figures, per tree, each in a fresh process:

- built-in suite cold, serial (``--no-cache -j 1``): CPU time (user + sys of the process and its
  children, from ``os.wait4``), and peak memory (``ru_maxrss``);
- built-in suite cold with ``-j 2``: wall time; warm re-run from the cache: wall and CPU;
- step median and p95, from the cold serial run's JSON report;
- a 30-step user document (``benchmarks/data/homework_30_steps.tex``) cold: wall and CPU;
- the CPU time the pytest plugin adds to ``pytest --co`` in an empty project;
- scaling: documents of 10, 40 and 160 steps (one 10-step section repeated), CPU; sums of 4, 16
  and 64 terms written out, Σ(x_k − a)² = Σx_k² − 2aΣx_k + m a², a wrong 64-term one, and a
  telescoping sum of 16 fractions, right and wrong: the CPU time of a fresh process checking that
  derivation alone, less that of one checking a trivial step.

The previous tree runs with SymPy's pure-Python ground types unless it depends on python-flint
(installed, SymPy would use it for its integers), as it ran when it was current.

The machine is shared and loaded: CPU times are the figures to compare; walls are noisy, and so
is a difference of a few tens of milliseconds (a negative "beyond a trivial step" is such noise;
no ratio is printed for it). The two trees take turns figure by figure so that both see the same load.
Run: python benchmarks/bench_speed.py [--rev REV] [--json benchmarks.json] [--skip-previous]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import trees  # noqa: E402 - benchmarks/ is this script's folder

ROOT = Path(__file__).resolve().parents[1]
HOMEWORK = ROOT / "benchmarks" / "data" / "homework_30_steps.tex"
DEFAULT_REV = "1c31b8a"  # the main branch before the speed work of issue 15


def environment(tree: Path, cache: Path | None = None) -> dict[str, str]:
    """The environment of a run on ``tree``: imports from it, and SymPy's ground types as it would have them.

    SymPy uses python-flint for its integers when it is installed; a tree that does not depend on
    python-flint ran with SymPy's pure-Python ground types, so it is measured that way. Bytecode is
    cached as an installed package has it (``PYTHONDONTWRITEBYTECODE``, set on some machines, would
    make every run compile every module from source: ~0.3 s of CPU that no user pays).
    """
    env = dict(os.environ, PYTHONPATH=trees.python_path(tree))
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    if cache is not None:
        env["DERIVCHECK_CACHE_DIR"] = str(cache)
    if "python-flint" not in (tree / "pyproject.toml").read_text(encoding="utf-8"):
        env["SYMPY_GROUND_TYPES"] = "python"
    return env


def run(tree: Path, args: list[str], cache: Path, module: str | None = None, cwd: Path | None = None,
        codes: tuple[int, ...] = (0, 1)) -> dict:
    """Run ``python -m MODULE ARGS`` in a fresh process on ``tree``: wall, cpu, peak MB."""
    module = module or trees.cli_module(tree)
    start = time.perf_counter()
    with open(os.devnull, "w") as sink:
        proc = subprocess.Popen([sys.executable, "-m", module, *args], cwd=cwd or tree, env=environment(tree, cache),
                                stdout=sink, stderr=subprocess.PIPE, text=True)
        err = proc.stderr.read()
        _pid, status, usage = os.wait4(proc.pid, 0)  # this child's usage, with its own waited children
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode not in codes:
        sys.exit(f"{module} {' '.join(args)} on {tree} exited {proc.returncode}:\n{err}")
    return {"wall": time.perf_counter() - start, "cpu": usage.ru_utime + usage.ru_stime,
            "mb": usage.ru_maxrss / 1024}


def plugin_cost(tree: Path, work: Path) -> float:
    """CPU seconds that the derivcheck pytest plugin adds to ``pytest --co`` in an empty project (median of 3)."""
    empty = work / "empty-project"
    empty.mkdir(exist_ok=True)
    args = ["--co", "-q", "-p", "no:cacheprovider"]

    def cpu(extra: list[str]) -> float:  # exit 5: no tests collected
        return statistics.median(run(tree, [*args, *extra], work, "pytest", empty, (5,))["cpu"] for _ in range(3))

    return cpu([]) - cpu(["-p", "no:derivcheck"])


def check_imports(tree: Path) -> None:
    """Fail unless ``checks`` and ``derivations`` are imported from ``tree`` under the benchmark's settings."""
    engine, builtins = trees.package(tree), trees.builtin_package(tree)
    code = f"import {engine}, {builtins}; print({engine}.__file__); print({builtins}.__file__)"
    out = subprocess.run([sys.executable, "-c", code], cwd=tree, env=environment(tree),
                         capture_output=True, text=True, check=True).stdout.split()
    if not all(Path(p).resolve().is_relative_to(tree.resolve()) for p in out):
        sys.exit(f"imports do not come from {tree}: {out}")
    # bytecode written once, as an installed package has it, so that no cold run pays for compiling
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(tree / "checks"), str(tree / "derivations")],
                   cwd=tree, env=environment(tree), capture_output=True, check=False)


def step_seconds(report: Path) -> list[float]:
    return sorted(s["seconds"] for d in json.loads(report.read_text())["derivations"] for s in d["steps"])


SECTION = r"""
\section{{Part {k}: algebra}}
% derivcheck: context part {k}
% derivcheck: scalar a positive
% derivcheck: scalar b
% derivcheck: scalar c
% derivcheck: scalar x
% derivcheck: scalar u
% derivcheck: scalar v
\begin{{align*}}
  & a x^2 + b x + c \\
  &= a \left( x^2 + \frac{{b}}{{a}} x \right) + c && \text{{factor out the leading coefficient}} \\
  &= a \left( x^2 + \frac{{b}}{{a}} x + \frac{{b^2}}{{4a^2}} \right) - \frac{{b^2}}{{4a}} + c && \text{{add and subtract}} \\
  &= a \left( x + \frac{{b}}{{2a}} \right)^2 - \frac{{b^2}}{{4a}} + c && \text{{a perfect square}} \\
  &= a \left( x + \frac{{b}}{{2a}} \right)^2 + \frac{{4ac - b^2}}{{4a}} && \text{{common denominator}}
\end{{align*}}
\begin{{align*}}
  & (u + v)^3 - (u - v)^3 \\
  &= (u^3 + 3u^2 v + 3u v^2 + v^3) - (u^3 - 3u^2 v + 3u v^2 - v^3) && \text{{binomial theorem}} \\
  &= 6u^2 v + 2v^3 && \text{{cancel}} \\
  &= 2v(3u^2 + v^2) && \text{{factor}}
\end{{align*}}
\begin{{align*}}
  & (u + v)^2 + (u - v)^2 \\
  &= 2u^2 + 2v^2 && \text{{the cross terms cancel}} \\
  &= 2(u^2 + v^2) \\
  &= 2u^2 + 2v^2 && \text{{distribute}}
\end{{align*}}
"""


def document(steps: int) -> str:
    """A document of ``steps`` steps (a multiple of 10): the 10-step section, repeated."""
    body = "".join(SECTION.format(k=k + 1) for k in range(steps // 10))
    return f"\\documentclass{{article}}\n\\usepackage{{amsmath}}\n\\begin{{document}}\n{body}\\end{{document}}\n"


SUMS = '''
import sympy as sp
from derivcheck_steps import Context, derivation

ctx = Context("sums")
a = ctx.scalar("a")
x = [ctx.scalar(f"x{k}") for k in range(1, 65)]


def _chain(m, wrong=False):
    lhs = sp.Add(*[(x[k] - a) ** 2 for k in range(m)])
    rhs = sp.Add(*[x[k] ** 2 for k in range(m)]) - 2 * a * sp.Add(*x[:m]) + m * a**2
    d = derivation(f"sum of {m} squares" + (" (wrong)" if wrong else ""), ctx)
    d.chain(lhs).eq(rhs - a**2 if wrong else rhs, by="expand each square", expect="REFUTED" if wrong else None)
    return d


# ids are chosen so that none contains another: older trees' -k matches substrings
trivial = derivation("one trivial step (the baseline)", ctx)
trivial.chain(a + 1).eq(1 + a, by="commute")
sum_4, sum_16, sum_64_right = _chain(4), _chain(16), _chain(64)
sum_64_wrong = _chain(64, wrong=True)

y = ctx.scalar("y", positive=True)
fractions = sp.Add(*[1 / ((y + k) * (y + k + 1)) for k in range(1, 17)])
telescoping_right = derivation("telescoping sum of 16 fractions", ctx)
telescoping_right.chain(fractions).eq(1 / (y + 1) - 1 / (y + 17), by="1/((y+k)(y+k+1)) = 1/(y+k) - 1/(y+k+1)")
telescoping_wrong = derivation("telescoping sum of 16 fractions (wrong)", ctx)
telescoping_wrong.chain(fractions).eq(1 / (y + 1) - 1 / (y + 16), by="telescope", expect="REFUTED")
'''


def measure(tree: Path, work: Path, fig: dict) -> Iterator[None]:
    """Every figure for one tree, into ``fig``; it pauses after each group, so that two trees can take turns."""
    check_imports(tree)
    cache, report = work / "cache", work / "report.json"
    cold = run(tree, ["check", "-q", "--no-cache", "-j", "1", "--json", str(report)], cache)
    fig["suite cold serial, CPU (s)"] = cold["cpu"]
    fig["suite cold serial, wall (s)"] = cold["wall"]
    fig["suite cold serial, peak memory (MB)"] = cold["mb"]
    steps = step_seconds(report)
    fig["step median (ms)"] = 1000 * statistics.median(steps)
    fig["step p95 (ms)"] = 1000 * steps[round(0.95 * (len(steps) - 1))]
    yield
    fig["suite cold -j 2, wall (s)"] = run(tree, ["check", "-q", "--no-cache", "-j", "2"], cache)["wall"]
    yield
    # the default -j: serial before -j auto existed, one process per core since
    fig["suite cold, default -j, wall (s)"] = run(tree, ["check", "-q", "--no-cache"], cache)["wall"]
    yield
    run(tree, ["check", "-q", "-j", "1"], cache)  # fills the cache
    warm = [run(tree, ["check", "-q", "-j", "1"], cache) for _ in range(3)]
    fig["suite warm re-run, wall (s)"] = statistics.median(w["wall"] for w in warm)
    fig["suite warm re-run, CPU (s)"] = statistics.median(w["cpu"] for w in warm)
    yield
    hw = run(tree, ["check", "-q", "--no-cache", "-j", "1", str(HOMEWORK)], cache)
    fig["30-step document cold, wall (s)"], fig["30-step document cold, CPU (s)"] = hw["wall"], hw["cpu"]
    yield
    for n in (10, 40, 160):
        doc = work / f"doc{n}.tex"
        doc.write_text(document(n), encoding="utf-8")
        fig[f"{n}-step document cold, CPU (s)"] = run(tree, ["check", "-q", "--no-cache", "-j", "1", str(doc)],
                                                      cache)["cpu"]
        yield
    fig["pytest plugin at start-up (empty project), CPU (s)"] = plugin_cost(tree, work)
    yield
    sums = work / "speed_sums.py"
    sums.write_text(SUMS.replace("from derivcheck_steps import", f"from {trees.package(tree)} import"), encoding="utf-8")
    run(tree, ["check", "-q", "--no-cache", "-j", "1", str(sums), "--json", str(report)], cache)
    verdicts = {d["id"].split("::")[1]: (d["title"], d["steps"][0]["verdict"])
                for d in json.loads(report.read_text())["derivations"]}

    def cpu(name: str) -> float:  # a fresh process that checks this derivation alone
        return run(tree, ["check", "-q", "--no-cache", "-j", "1", str(sums), "-k", f"speed_sums::{name}"], cache)["cpu"]

    baseline = statistics.median(cpu("trivial") for _ in range(3))  # start-up, imports, one trivial step
    for name, (title, verdict) in verdicts.items():
        if name != "trivial":
            fig[f"{title}: CPU beyond a trivial step (ms)"] = 1000 * (cpu(name) - baseline)
            fig[f"{title}: verdict"] = verdict
            yield


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rev", default=DEFAULT_REV, help=f"the previous commit to compare with (default {DEFAULT_REV})")
    parser.add_argument("--json", default="benchmarks.json", help="where to write the figures (default benchmarks.json)")
    parser.add_argument("--skip-previous", action="store_true", help="measure this tree only")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-speed-") as tmp:
        work_now, work_before = Path(tmp) / "work-now", Path(tmp) / "work-previous"
        work_now.mkdir()
        work_before.mkdir()
        now: dict = {}
        before: dict = {}
        if args.skip_previous:
            for _ in measure(ROOT, work_now, now):
                pass
        else:
            old = Path(tmp) / "previous"
            subprocess.run(["git", "worktree", "add", "--detach", "-q", str(old), args.rev], cwd=ROOT, check=True)
            try:  # the trees take turns figure by figure, first one then the other, so both see the same load
                turns = [measure(ROOT, work_now, now), measure(old, work_before, before)]
                while all([next(turn, True) is None for turn in turns]):
                    turns.reverse()
                for turn in turns:  # whatever is left, if one tree has more figures
                    for _ in turn:
                        pass
            finally:
                subprocess.run(["git", "worktree", "remove", "--force", str(old)], cwd=ROOT, check=False)
    width = max(len(k) for k in now)
    print(f"{'figure':<{width}}  {args.rev:>10}  {'now':>10}  {'ratio':>6}")
    for key, value in now.items():
        old_value = before.get(key)
        if isinstance(value, str):
            print(f"{key:<{width}}  {old_value or '':>10}  {value:>10}")
            continue
        ratio = f"{value / old_value:6.2f}" if old_value and old_value > 0 and value > 0 else ""
        shown = f"{old_value:10.3f}" if old_value is not None else " " * 10
        print(f"{key:<{width}}  {shown}  {value:10.3f}  {ratio}")
    out = {"previous": args.rev, "figures": {k: {"previous": before.get(k), "now": v} for k, v in now.items()}}
    Path(args.json).write_text(json.dumps(out, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
