"""The ``derivcheck`` command line: ``derivcheck check [TARGET ...]``.

Exit status: 0 when every verdict is as expected, 1 when any is not, 2 for usage or input errors.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from checks import __version__
from checks.discovery import BUILTIN_MODULES, collect
from checks.engine import DEFAULT_BUDGET, DEFAULT_SEED, Settings, check_derivation
from checks.errors import DeclarationError, InputError
from checks.report import derivation_table, json_report, summary_line
from checks.verdict import DerivationResult

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
    check.add_argument(
        "targets", nargs="*", metavar="TARGET",
        help="a module name (derivations.ridge_regression) or a .py file; default: all built-in derivations "
             f"({', '.join(m.split('.')[-1] for m in BUILTIN_MODULES)})",
    )
    check.add_argument("-k", dest="keywords", action="append", metavar="EXPR",
                       help="only derivations whose id or title contains EXPR (case-insensitive; repeatable, any)")
    check.add_argument("--json", dest="json_file", metavar="FILE", help="also write the report as JSON to FILE")
    check.add_argument("--strict", action="store_true",
                       help="CHECKED and UNKNOWN also count as failures (unless a step expects them)")
    check.add_argument("--seed", type=int, default=DEFAULT_SEED, help=f"base seed of the numeric checks (default {DEFAULT_SEED})")
    check.add_argument("--timeout", type=float, default=DEFAULT_BUDGET, metavar="SECONDS",
                       help=f"time budget per step; a step over it is UNKNOWN (default {DEFAULT_BUDGET:g})")
    check.add_argument("--no-timing", action="store_true",
                       help="omit timings, so that the same input gives byte-identical reports")
    check.add_argument("-q", "--quiet", action="store_true", help="print only the summary line")
    return parser


def _zero_times(results: list[DerivationResult]) -> None:
    for r in results:
        r.seconds = 0.0
        for s in r.steps:
            s.seconds = 0.0


def run_check(args: argparse.Namespace) -> int:
    """The ``check`` command."""
    if args.timeout <= 0:
        raise InputError("--timeout must be positive")
    found = collect(args.targets or None, args.keywords)
    if not found:
        raise InputError("no derivation matches the given targets and -k filters")
    settings = Settings(seed=args.seed, budget=args.timeout)
    results = [check_derivation(f.derivation, settings) for f in found]
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


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``derivcheck`` console script."""
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 2
    try:
        return run_check(args)
    except (InputError, DeclarationError) as exc:
        print(f"derivcheck: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("derivcheck: interrupted", file=sys.stderr)
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
