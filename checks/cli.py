"""The ``derivcheck`` command line: ``derivcheck check [TARGET ...]`` and ``derivcheck latex [TARGET ...]``.

Exit status: 0 when every verdict is as expected, 1 when any is not, 2 for usage or input errors.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from checks import __version__, cache, runcache
from checks.discovery import BUILTIN_DOCUMENTS, BUILTIN_MODULES
from checks.errors import DeclarationError, InputError
from checks.settings import DEFAULT_BUDGET, DEFAULT_SEED, Settings

# Nothing here imports SymPy at module level: a warm `derivcheck check` answers from the cache
# without it. The engine, discovery and writeup are imported when a run needs them.

EPILOG = """\
verdicts: PROVED (symbolic argument), CHECKED (numeric evidence only),
REFUTED (confirmed counterexample), UNKNOWN (undecided, with the reason).
exit status: 0 all verdicts as expected, 1 some unexpected, 2 usage or input error.
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
    check.add_argument("--json", dest="json_file", metavar="FILE", help="also write the report as JSON to FILE")
    check.add_argument("--strict", action="store_true",
                       help="CHECKED and UNKNOWN also count as failures (unless a step expects them)")
    check.add_argument("--no-timing", action="store_true",
                       help="omit timings, so that the same input gives byte-identical reports")
    check.add_argument("-q", "--quiet", action="store_true", help="print only the summary line")
    check.add_argument("--no-cache", action="store_true",
                       help=f"check everything afresh, neither reading nor writing {cache.CACHE_DIR_NAME}/")
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
        help="a module name (derivations.ridge_regression), a .py file, or a .tex/.md document with "
             "'%% derivcheck:' declarations; default: all built-in derivations "
             f"({', '.join(m.split('.')[-1] for m in BUILTIN_MODULES)}, {', '.join(BUILTIN_DOCUMENTS)})",
    )
    cmd.add_argument("-k", dest="keywords", action="append", metavar="EXPR",
                     help="only derivations whose id or title contains EXPR (case-insensitive; repeatable, any)")
    cmd.add_argument("--seed", type=int, default=DEFAULT_SEED, help=f"base seed of the numeric checks (default {DEFAULT_SEED})")
    cmd.add_argument("--timeout", type=float, default=DEFAULT_BUDGET, metavar="SECONDS",
                     help=f"time budget per step; a step over it is UNKNOWN (default {DEFAULT_BUDGET:g})")
    cmd.add_argument("-j", "--jobs", type=int, default=1, metavar="N",
                     help="check derivations in N processes (same results and order as serial)")


def _zero_times(results: list) -> None:
    """Drop every timing (steps, corrections, Monte Carlo runs) so that reports are byte-identical."""

    def zero(step: object) -> None:
        step.seconds = 0.0
        for mc in step.evidence.monte_carlo:
            mc["seconds"] = 0.0
        if step.correction is not None:
            zero(step.correction)

    for r in results:
        r.seconds = 0.0
        for s in r.steps:
            zero(s)


def _check_selected(args: argparse.Namespace, use_cache: bool = False) -> list:
    from checks.discovery import collect
    from checks.latex.writeup import Checked
    from checks.parallel import check_in_processes

    if args.timeout <= 0:
        raise InputError("--timeout must be positive")
    if args.jobs < 1:
        raise InputError("-j needs a positive number of processes")
    found = collect(args.targets or None, args.keywords)
    if not found:
        raise InputError("no derivation matches the given targets and -k filters")
    settings = Settings(seed=args.seed, budget=args.timeout)
    results = check_in_processes(found, settings, args.jobs, args.targets or None, use_cache)
    return [Checked(f.derivation, r) for f, r in zip(found, results, strict=True)]


def run_check(args: argparse.Namespace, argv: list[str]) -> int:
    """The ``check`` command (answered from the run cache when nothing it read has changed)."""
    use_cache = not args.no_cache
    key = runcache.run_key(["check", *argv])
    if use_cache:
        stored = runcache.load_run(key)
        if stored is not None:
            return _replay(stored, args)
    from checks.report import derivation_table, json_report, summary_line

    results = [c.result for c in _check_selected(args, use_cache)]
    if args.no_timing:
        _zero_times(results)
    out = []
    if not args.quiet:
        for r in results:
            out += [derivation_table(r, args.strict), ""]
    out.append(summary_line(results, args.strict))
    text = "\n".join(out) + "\n"
    report = json_report(results, args.strict) + "\n"
    code = 1 if any(r.failures(args.strict) for r in results) else 0
    sys.stdout.write(text)
    _write_json(args, report)
    if use_cache:
        runcache.store_run(key, args.targets or None, results, {"stdout": text, "json": report, "exit": code})
    return code


def _write_json(args: argparse.Namespace, report: str) -> None:
    if args.json_file:
        try:
            Path(args.json_file).write_text(report, encoding="utf-8")
        except OSError as exc:
            raise InputError(f"cannot write the JSON report: {exc}") from None


def _replay(stored: dict, args: argparse.Namespace) -> int:
    sys.stdout.write(stored["stdout"])
    _write_json(args, stored["json"])
    print(f"derivcheck: nothing changed since the last run: results from {cache.CACHE_DIR_NAME}/ "
          "(--no-cache to check afresh)", file=sys.stderr)
    return int(stored["exit"])


def run_latex(args: argparse.Namespace) -> int:
    """The ``latex`` command."""
    from checks.latex.pdf import LatexError, compile_pdf
    from checks.latex.writeup import FigureSink, render_markdown, render_tex
    from checks.report import summary_line

    output = Path(args.output) if args.output else None
    fmt = args.format or ("md" if output is not None and output.suffix.lower() == ".md" else "tex")
    if args.pdf and (output is None or fmt != "tex"):
        raise InputError("--pdf needs -o FILE.tex (a LaTeX file to compile next to the PDF)")
    items = _check_selected(args)
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
    if args.pdf:
        try:
            compiled = compile_pdf(output)
        except LatexError as exc:
            raise InputError(str(exc)) from None
        print(f"wrote {compiled.pdf}", file=sys.stderr)
        for warning in compiled.warnings:
            print(f"derivcheck: LaTeX warning: {warning}", file=sys.stderr)
    results = [c.result for c in items]
    print(summary_line(results), file=sys.stderr)
    return 1 if any(r.failures() for r in results) else 0


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``derivcheck`` console script."""
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


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
