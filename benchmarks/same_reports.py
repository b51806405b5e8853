"""Verdicts and reports unchanged: byte-identical reports of this tree and a previous commit.

For the built-in derivations and for each document of the blind corpus (``tests/corpus/*.tex``
and ``*.md``), both trees run ``derivcheck check --no-cache --no-timing -j 1 --color never
--timeout 300 --json FILE`` (a long budget: a loaded machine must not turn a step into a
timeout); the JSON files and the printed reports must be byte-identical. The previous commit
(``--rev``) is checked out with ``git worktree add`` into a temporary folder and run with this
virtual environment (``PYTHONPATH`` pointing at it); its reports are kept in ``--keep DIR`` (one
folder per commit) so that a second comparison with the same commit only runs this tree.

With ``--parallel`` this tree also checks the built-ins with ``-j 2``, compared with the serial run.

Run: python benchmarks/same_reports.py [--rev REV] [--keep DIR] [--only NAME ...] [--parallel]
Exit status 0 when every report is identical, 1 otherwise (the differing files are listed).
"""

from __future__ import annotations

import argparse
import difflib
import os
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import trees  # noqa: E402 - benchmarks/ is this script's folder

ROOT = Path(__file__).resolve().parents[1]


def cases(tree: Path) -> dict[str, list[str]]:
    """Name -> the targets of one run: the built-ins, then each corpus document."""
    found = {"builtins": []}
    for doc in sorted((tree / "tests" / "corpus").iterdir()):
        if doc.suffix in (".tex", ".md"):
            found[doc.stem] = [str(Path("tests") / "corpus" / doc.name)]
    return found


def run_case(tree: Path, name: str, targets: list[str], out: Path, jobs: str = "1") -> None:
    """One run on ``tree``: ``out/NAME.json`` and ``out/NAME.txt`` (the printed report, exit status last)."""
    env = dict(os.environ, PYTHONPATH=trees.python_path(tree), NO_COLOR="1")
    json_file = out / f"{name}.json"
    proc = subprocess.run([sys.executable, "-m", trees.cli_module(tree), "check", "--no-cache", "--no-timing", "-j", jobs,
                           "--timeout", "300",  # a loaded machine must not turn a step into a timeout
                           "--color", "never", "--json", str(json_file), *targets],
                          cwd=tree, env=env, capture_output=True, text=True)
    (out / f"{name}.txt").write_text(proc.stdout + f"\n[exit {proc.returncode}]\n", encoding="utf-8")
    if not json_file.exists():
        json_file.write_text(f"no JSON written; stderr:\n{proc.stderr}", encoding="utf-8")
    folders = [str(tree), *trees.python_path(tree).split(os.pathsep)]  # the tree's own folder (or its shim) may differ
    for written in (json_file, out / f"{name}.txt"):
        text = written.read_text(encoding="utf-8")
        for folder in sorted(set(folders), key=len, reverse=True):
            text = text.replace(folder, "TREE")
        written.write_text(text, encoding="utf-8")


def run_tree(tree: Path, out: Path, only: list[str], jobs: int) -> None:
    out.mkdir(parents=True, exist_ok=True)
    trees.python_path(tree)  # the tree's shim made once, before the threads (two first calls at once made two)
    todo = {k: v for k, v in cases(tree).items() if not only or any(o in k for o in only)}
    with ThreadPoolExecutor(jobs) as pool:
        list(pool.map(lambda kv: run_case(tree, kv[0], kv[1], out), todo.items()))


def compare(before: Path, now: Path) -> list[str]:
    """The files that differ (or are missing on one side), with a short diff of each."""
    differ = []
    for new in sorted(now.iterdir()):
        old = before / new.name.replace("-j2.", ".")  # the built-ins with -j 2 against the serial run
        if not old.exists():
            differ.append(f"{new.name}: no previous report")
            continue
        a, b = old.read_bytes(), new.read_bytes()
        if a != b:
            diff = difflib.unified_diff(a.decode().splitlines(), b.decode().splitlines(), lineterm="", n=1)
            differ.append(f"{new.name}:\n" + "\n".join(list(diff)[2:40]))
    return differ


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rev", default="HEAD", help="the previous commit (default HEAD: the last commit)")
    parser.add_argument("--keep", default=str(Path(tempfile.gettempdir()) / "derivcheck-same-reports-t300"),
                        help="folder of the previous commits' reports, reused when present")
    parser.add_argument("--only", nargs="*", default=[], help="only the cases whose name contains one of these")
    parser.add_argument("-j", "--jobs", type=int, default=2, help="runs at a time (default 2)")
    parser.add_argument("--parallel", action="store_true",
                        help="also check the built-ins with -j 2 here and compare with the previous serial run")
    args = parser.parse_args()
    rev = subprocess.run(["git", "rev-parse", args.rev], cwd=ROOT, check=True, capture_output=True,
                         text=True).stdout.strip()
    before = Path(args.keep) / rev[:12]
    if not before.exists() or args.only:
        with tempfile.TemporaryDirectory(prefix="same-reports-") as tmp:
            old = Path(tmp) / "previous"
            subprocess.run(["git", "worktree", "add", "--detach", "-q", str(old), rev], cwd=ROOT, check=True)
            try:
                partial = before.with_name(before.name + ".partial")
                run_tree(old, partial if not args.only else before, args.only, args.jobs)
                if not args.only:
                    partial.rename(before)
            finally:
                subprocess.run(["git", "worktree", "remove", "--force", str(old)], cwd=ROOT, check=False)
    with tempfile.TemporaryDirectory(prefix="same-reports-now-") as tmp:
        now = Path(tmp)
        run_tree(ROOT, now, args.only, args.jobs)
        if args.parallel:
            run_case(ROOT, "builtins-j2", [], now, "2")
        differ = compare(before, now)
        count = len(list(now.glob("*.json")))
    for item in differ:
        print(item)
    print(f"{count} runs compared with {rev[:12]}: " + ("all reports byte-identical" if not differ
                                                           else f"{len(differ)} files differ"))
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
