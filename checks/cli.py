"""The ``derivcheck`` command line: ``derivcheck check [TARGET ...]`` and ``derivcheck latex [TARGET ...]``.

Exit status: 0 when every verdict is as expected, 1 when any is not, 2 for usage or input errors.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from checks import __version__
from checks.discovery import BUILTIN_DOCUMENTS, BUILTIN_MODULES, collect
from checks.engine import DEFAULT_BUDGET, DEFAULT_SEED, Settings, check_derivation
from checks.errors import DeclarationError, InputError
from checks.pdf import LatexError, compile_pdf
from checks.report import derivation_table, json_report, summary_line
from checks.verdict import DerivationResult
from checks.writeup import Checked, FigureSink, render_markdown, render_tex

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


def _zero_times(results: list[DerivationResult]) -> None:
    for r in results:
        r.seconds = 0.0
        for s in r.steps:
            s.seconds = 0.0


def _check_selected(args: argparse.Namespace) -> list[Checked]:
    if args.timeout <= 0:
        raise InputError("--timeout must be positive")
    found = collect(args.targets or None, args.keywords)
    if not found:
        raise InputError("no derivation matches the given targets and -k filters")
    settings = Settings(seed=args.seed, budget=args.timeout)
    return [Checked(f.derivation, check_derivation(f.derivation, settings)) for f in found]


def run_check(args: argparse.Namespace) -> int:
    """The ``check`` command."""
    results = [c.result for c in _check_selected(args)]
    if args.no_timing:
        _zero_times(results)
    if not args.quiet:
        for r in results:
            print(derivation_table(r, args.strict))
            print()
    print(summary_line(results, args.strict))
    if args.json_file:
        try:
            Path(args.json_file).write_text(json_report(results, args.strict) + "\n", encoding="utf-8")
        except OSError as exc:
            raise InputError(f"cannot write the JSON report: {exc}") from None
    return 1 if any(r.failures(args.strict) for r in results) else 0


def run_latex(args: argparse.Namespace) -> int:
    """The ``latex`` command."""
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
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 2
    try:
        return run_latex(args) if args.command == "latex" else run_check(args)
    except (InputError, DeclarationError) as exc:
        print(f"derivcheck: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("derivcheck: interrupted", file=sys.stderr)
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
