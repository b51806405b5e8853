"""The ``derivcheck`` command line: ``derivcheck check [TARGET ...]`` and ``derivcheck latex [TARGET ...]``.

Exit status (the highest that applies): 3 internal error, 2 usage or input problem, 1 unexpected
verdict, 0 every verdict as expected.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from derivcheck_steps import __version__, cache, runcache
from derivcheck_steps.discovery import BUILTIN_DOCUMENTS, BUILTIN_MODULES
from derivcheck_steps.errors import DeclarationError, InputError
from derivcheck_steps.jobs import AUTO, parse_jobs, resolve_jobs
from derivcheck_steps.settings import DEFAULT_BUDGET, DEFAULT_SEED, Settings

if TYPE_CHECKING:
    from derivcheck_steps.verdict import DerivationResult

# Nothing here imports SymPy at module level: a warm `derivcheck check` answers from the cache
# without it. The engine, discovery and writeup are imported when a run needs them.

EPILOG = """\
verdicts: PROVED (symbolic argument), CHECKED (numeric evidence only),
REFUTED (confirmed counterexample), UNKNOWN (undecided, with the reason).
exit status, the highest that applies (3 > 2 > 1 > 0):
  3  internal error (a bug in derivcheck: please report it)
  2  usage error, or an input problem (unreadable row or file, undeclared
     symbol, shape error), reported after everything else was checked
  1  some verdict unexpected (REFUTED without expect, a mismatch with
     expect, a checker inconsistency; under --strict also CHECKED/UNKNOWN)
  0  every verdict as expected (undecided UNKNOWN steps are listed, like skips)
"""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="derivcheck",
        description="Check each step of a derivation: proved with SymPy, cross-checked with numpy.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"derivcheck {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    check = sub.add_parser(
        "check",
        help="check derivations and print a report",
        description="Check derivations step by step and print a table per derivation.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _selection_options(check)
    check.add_argument("--no-timing", action="store_true",
                       help="drop the timing column (and zero the JSON's), so that the same input gives byte-identical reports")
    check.add_argument("-q", "--quiet", action="store_true", help="print only the short summary and the summary line")
    check.add_argument("--color", choices=("auto", "always", "never"), default="auto",
                       help="colour the verdict marks: auto (default) on a terminal unless NO_COLOR is set")
    clear = sub.add_parser("cache", help=f"manage the result cache ({cache.CACHE_DIR_NAME}/)",
                           description="Results are cached per step (keyed by the built step, its declarations, the settings "
                                       "and derivcheck's version; experiments never) and per run (documents and built-ins only).")
    clear.add_argument("--clear", action="store_true",
                       help="delete the cache folder (only one marked by its CACHEDIR.TAG; otherwise exit 2)")
    latex = sub.add_parser(
        "latex",
        help="check derivations and write a LaTeX (or Markdown) writeup",
        description="Check derivations, then write a standalone LaTeX document (or Markdown with $$ blocks): "
                    "each step with its justification and verdict, counterexamples for refuted steps.",
        epilog=EPILOG + "The writeup is deterministic: the same input gives a byte-identical file.\n",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _selection_options(latex)
    latex.add_argument("-o", "--output", metavar="FILE",
                       help="write to FILE (default: standard output); the format follows a .md suffix")
    latex.add_argument("--format", choices=("tex", "md"), help="tex (default) or md (Markdown for GitHub/Jupyter)")
    latex.add_argument("--pdf", action="store_true",
                       help="also compile FILE.tex to FILE.pdf with pdflatex (needs -o FILE.tex)")
    latex.add_argument("--title", default="Checked derivations", help="document title")
    return parser


def _selection_options(cmd: argparse.ArgumentParser) -> None:
    cmd.add_argument(
        "targets", nargs="*", metavar="TARGET",
        help="a module name (derivations.ridge_regression), a .py file, a .tex/.md document with "
             "'%% derivcheck:' declarations, or a folder (searched recursively for all three); default: all built-in derivations "
             f"({', '.join(m.split('.')[-1] for m in BUILTIN_MODULES)}, {', '.join(BUILTIN_DOCUMENTS)})",
    )
    cmd.add_argument("-k", dest="keywords", action="append", metavar="EXPR",
                     help="only derivations whose id is EXPR, or whose id or title contains EXPR "
                          "(case-insensitive; repeatable, any)")
    cmd.add_argument("--seed", type=int, default=DEFAULT_SEED, help=f"base seed of the numeric checks (default {DEFAULT_SEED})")
    cmd.add_argument("--timeout", type=float, default=DEFAULT_BUDGET, metavar="SECONDS",
                     help=f"CPU-time budget per step in seconds; a step over it is UNKNOWN (default {DEFAULT_BUDGET:g})")
    cmd.add_argument("-j", "--jobs", type=parse_jobs, default=AUTO, metavar="N",
                     help="check derivations in N processes (same results and order as serial); default auto: "
                          "one per core when several derivations are selected; -j 1 runs serially")
    cmd.add_argument("--json", dest="json_file", metavar="FILE", help="also write the report as JSON to FILE")
    cmd.add_argument("--strict", action="store_true",
                     help="CHECKED and undecided UNKNOWN also count as failures (unless a step expects them)")
    cmd.add_argument("--no-cache", action="store_true",
                     help=f"check everything afresh, neither reading nor writing {cache.CACHE_DIR_NAME}/")


def _checked(args: argparse.Namespace, use_cache: bool,
             on_result: Callable[[Any], None] | None = None, step_latex: bool = True) -> tuple[list, list]:
    """(Checked items, input problems) of the selected derivations."""
    from derivcheck_steps.latex.writeup import Checked
    from derivcheck_steps.runner import check_all, select

    if args.timeout <= 0:
        raise InputError("--timeout must be positive")
    sel = select(args.targets or None, args.keywords)
    jobs = resolve_jobs(args.jobs, len(sel.found))
    for _target, exc in sel.problems:
        print(f"derivcheck: error: {exc}", file=sys.stderr)
    settings = Settings(seed=args.seed, budget=args.timeout)
    results = check_all(sel, settings, jobs, use_cache, on_result, step_latex)
    return [Checked(f.derivation, r) for f, r in zip(sel.found, results, strict=True)], sel.problems


def _exit(results: list, problems: list, strict: bool) -> int:
    from derivcheck_steps.verdict import EXIT_INPUT, exit_code

    return max(exit_code(results, strict), EXIT_INPUT if problems else 0)


def run_check(args: argparse.Namespace, argv: list[str]) -> int:
    """The ``check`` command (answered from the run cache when nothing it read has changed)."""
    from derivcheck_steps.console import Style
    from derivcheck_steps.discovery import expand_targets

    style = Style.for_stream(sys.stdout, args.color)
    use_cache = not args.no_cache
    expanded = expand_targets(args.targets or None)
    # The key holds the files a folder stands for (a new file changes it) and the output style.
    key = runcache.run_key(["check", *argv, "--files", *(expanded or []), f"--style={style}"])
    if use_cache:
        stored = runcache.load_run(key)
        if stored is not None:
            return _replay(stored, args)
    from derivcheck_steps.report import derivation_table, json_report, short_summary, summary_line
    from derivcheck_steps.runner import zero_times

    out: list[str] = []

    def emit(result: DerivationResult) -> None:  # each derivation's table as soon as it is known
        if args.no_timing:
            zero_times([result])
        if not args.quiet:
            block = derivation_table(result, args.strict, style, timing=not args.no_timing) + "\n\n"
            out.append(block)
            sys.stdout.write(block)
            sys.stdout.flush()

    items, problems = _checked(args, use_cache, emit, step_latex=bool(args.json_file))
    results = [c.result for c in items]
    tail = [*short_summary(results, args.strict, style), summary_line(results, args.strict)]
    out.append("\n".join(tail) + "\n")
    sys.stdout.write(out[-1])
    # the JSON report (each step printed again) only when a file or the run cache will hold it
    report = json_report(results, args.strict) + "\n" if args.json_file or use_cache else ""
    code = _exit(results, problems, args.strict)
    _write_json(args, report)
    if use_cache:
        errors = "".join(f"derivcheck: error: {exc}\n" for _t, exc in problems)
        runcache.store_run(key, expanded or None, results,
                           {"stdout": "".join(out), "stderr": errors, "json": report, "exit": code})
    return code


def _write_json(args: argparse.Namespace, report: str) -> None:
    if args.json_file:
        try:
            Path(args.json_file).write_text(report, encoding="utf-8")
        except OSError as exc:
            raise InputError(f"cannot write the JSON report: {exc}") from None


def _replay(stored: dict, args: argparse.Namespace) -> int:
    sys.stdout.write(stored["stdout"])
    sys.stderr.write(stored.get("stderr", ""))
    _write_json(args, stored["json"])
    print(f"derivcheck: nothing changed since the last run: results from {cache.CACHE_DIR_NAME}/ "
          "(--no-cache to check afresh)", file=sys.stderr)
    return int(stored["exit"])


def run_latex(args: argparse.Namespace) -> int:
    """The ``latex`` command (step results come from the cache unless --no-cache)."""
    from derivcheck_steps.latex.pdf import LatexError, compile_pdf
    from derivcheck_steps.latex.writeup import FigureSink, render_markdown, render_tex
    from derivcheck_steps.report import json_report, summary_line

    output = Path(args.output) if args.output else None
    fmt = args.format or ("md" if output is not None and output.suffix.lower() == ".md" else "tex")
    if args.pdf and (output is None or fmt != "tex"):
        raise InputError("--pdf needs -o FILE.tex (a LaTeX file to compile next to the PDF)")
    items, problems = _checked(args, not args.no_cache)
    sink = FigureSink(suffix=".png" if fmt == "md" else ".pdf")
    if output is not None:  # figures of numeric experiments go next to the document
        sink.folder, sink.relative = output.parent / f"{output.stem}-figures", f"{output.stem}-figures"
    text = render_markdown(items, args.title, sink) if fmt == "md" else render_tex(items, args.title, sink)
    if output is None:
        sys.stdout.write(text)
    else:
        try:
            output.write_text(text, encoding="utf-8")
        except OSError as exc:
            raise InputError(f"cannot write {output}: {exc}") from None
        print(f"wrote {output}", file=sys.stderr)
    if args.pdf and output is not None:  # (--pdf without -o was refused above)
        try:
            compiled = compile_pdf(output)
        except LatexError as exc:
            raise InputError(str(exc)) from None
        print(f"wrote {compiled.pdf}", file=sys.stderr)
        for warning in compiled.warnings:
            print(f"derivcheck: LaTeX warning: {warning}", file=sys.stderr)
    results = [c.result for c in items]
    _write_json(args, json_report(results, args.strict) + "\n")
    print(summary_line(results, args.strict), file=sys.stderr)
    return _exit(results, problems, args.strict)


def _internal_error(exc: BaseException) -> int:
    """Report a bug in derivcheck itself: one paragraph on stderr, the traceback in a file; exit 3."""
    detail = "".join(traceback.format_exception(exc))
    where = ""
    try:
        fd, path = tempfile.mkstemp(prefix="derivcheck-crash-", suffix=".txt")
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(f"derivcheck {__version__}, Python {sys.version.split()[0]}\n{' '.join(sys.argv)}\n\n{detail}")
        where = f"; the details are in {path}"
    except OSError:
        pass
    print(f"derivcheck: internal error in derivcheck {__version__}: {type(exc).__name__}: {exc}\n"
          f"derivcheck: this is a bug in derivcheck, not in your input: please report it with the command "
          f"line{where}", file=sys.stderr)
    return 3


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``derivcheck`` console script."""
    for stream in (sys.stdout, sys.stderr):  # a console that cannot show a character gets '?', not a crash
        try:
            stream.reconfigure(errors="replace")  # type: ignore[union-attr]
        except (AttributeError, ValueError):
            pass
    parser = _parser()
    argv = list(sys.argv[1:] if argv is None else argv)
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 2
    try:
        if args.command == "cache":
            return cache.cache_command(args.clear)
        return run_latex(args) if args.command == "latex" else run_check(args, argv)
    except (InputError, DeclarationError) as exc:
        print(f"derivcheck: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("derivcheck: interrupted", file=sys.stderr)
        return 2
    except Exception as exc:  # noqa: BLE001 - a bug in derivcheck: exit 3 with what to report, never a bare traceback
        return _internal_error(exc)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
