"""Verdicts, the evidence they rest on, and the result of checking a step or derivation."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING

from derivcheck_steps.location import Location

if TYPE_CHECKING:  # for annotations only: the model imports this module
    from derivcheck_steps.figures import Figure
    from derivcheck_steps.model import Derivation


class Verdict(StrEnum):
    """What derivcheck concluded about a step (see DESIGN.md, the soundness contract)."""

    PROVED = "PROVED"  # a symbolic argument holds under the declared assumptions
    CHECKED = "CHECKED"  # no symbolic proof; numeric evidence agrees
    REFUTED = "REFUTED"  # a counterexample, confirmed in exact or high-precision arithmetic
    UNKNOWN = "UNKNOWN"  # timeout, unsupported construct or inconclusive evidence

    @property
    def mark(self) -> str:
        """The one-character mark used in reports: ✓ proved, ~ checked, ✗ refuted, ? unknown."""
        return {"PROVED": "✓", "CHECKED": "~", "REFUTED": "✗", "UNKNOWN": "?"}[self.value]

    @property
    def ascii_mark(self) -> str:
        """The mark for a console that cannot show ✓ and ✗ (e.g. cp1252): + ~ x ?."""
        return {"PROVED": "+", "CHECKED": "~", "REFUTED": "x", "UNKNOWN": "?"}[self.value]


# Exit status of a run, by precedence: an internal error outranks an input problem, which
# outranks an unexpected verdict (README, "Exit status").
EXIT_OK, EXIT_UNEXPECTED, EXIT_INPUT, EXIT_INTERNAL = 0, 1, 2, 3
UNDECIDED_CAUSES = ("timeout", "undecided")  # UNKNOWN that is undecidability: a skip, not a failure


@dataclass
class Evidence:
    """What a verdict rests on: symbolic method, numeric points, Monte Carlo figures."""

    symbolic: str | None = None  # method that proved it, or why it did not
    numeric: str | None = None  # summary of the numeric cross-check
    points: int = 0  # numeric instances evaluated
    worst_error: float | None = None  # worst relative disagreement among agreeing points
    seed: int | None = None
    monte_carlo: list[dict] = field(default_factory=list)  # one dict per estimated node
    notes: list[str] = field(default_factory=list)
    table: list[tuple[str, str, str]] = field(default_factory=list)  # inputs | lhs | rhs
    # a gradient step that is not proved: {"claimed": …, "true": …}, simplified, in plain maths
    gradient: dict[str, str] = field(default_factory=dict)

    def as_dict(self) -> dict:
        """A JSON-ready view."""
        return {
            "symbolic": self.symbolic,
            "numeric": self.numeric,
            "points": self.points,
            "worst_error": self.worst_error,
            "seed": self.seed,
            "monte_carlo": self.monte_carlo,
            "notes": list(self.notes),
            "table": [list(row) for row in self.table],
            "gradient": dict(self.gradient),
        }

    @classmethod
    def from_dict(cls, d: dict) -> Evidence:
        """The inverse of as_dict (for the result cache)."""
        return cls(d.get("symbolic"), d.get("numeric"), d.get("points", 0), d.get("worst_error"), d.get("seed"),
                   list(d.get("monte_carlo", [])), list(d.get("notes", [])), [tuple(r) for r in d.get("table", [])],
                   dict(d.get("gradient") or {}))


@dataclass
class StepResult:
    """The verdict on one step with its evidence, counterexample and timing."""

    index: int
    relation: str
    justification: str
    latex: str
    verdict: Verdict
    expected: Verdict | None
    seconds: float
    reason: str = ""
    evidence: Evidence = field(default_factory=Evidence)
    counterexample: dict[str, str] | None = None
    residual: str | None = None
    residual_latex: str | None = None
    inconsistent: bool = False  # the symbolic and numeric checks disagree: a checker bug
    correction: StepResult | None = None  # for a reviewed wrong step: the check of what it should say
    figure: Figure | None = None  # a derivcheck_steps.figures.Figure from a numeric experiment, drawn in writeups
    location: Location | None = None  # where the step was written (file, line, column)
    # For UNKNOWN: why. "input" (unreadable row, undeclared symbol, shape error: the run exits 2),
    # "internal" (a bug in derivcheck: exit 3), "timeout", "undecided" (no proof and no evidence).
    cause: str = ""

    def is_failure(self, strict: bool = False) -> bool:
        """Whether this step should fail a run: unexpected verdict, or weak verdict under strict.

        An UNKNOWN caused by the input or by derivcheck itself always fails, whatever it expects.
        """
        if self.inconsistent or (self.correction is not None and self.correction.is_failure(strict)):
            return True
        if self.is_problem:
            return True
        if self.expected is not None:
            return self.verdict != self.expected
        if strict:
            return self.verdict != Verdict.PROVED
        return self.verdict == Verdict.REFUTED

    @property
    def is_problem(self) -> bool:
        """An UNKNOWN because the input could not be read or derivcheck failed (exit 2 or 3)."""
        return self.verdict == Verdict.UNKNOWN and self.cause in ("input", "internal")

    @property
    def is_skip(self) -> bool:
        """An UNKNOWN that is undecidability (time-out, no proof and no evidence), not expected: shown like a skip."""
        return (self.verdict == Verdict.UNKNOWN and self.expected is None and not self.inconsistent
                and not self.is_problem)

    @property
    def ok(self) -> bool:
        """Whether this step passes a default (non-strict) run."""
        return not self.is_failure()

    def exit_code(self, strict: bool = False) -> int:
        """This step's share of the run's exit status: 3 internal, 2 input, 1 unexpected, 0 fine."""
        own = EXIT_OK
        if self.verdict == Verdict.UNKNOWN and self.cause == "internal":
            own = EXIT_INTERNAL
        elif self.verdict == Verdict.UNKNOWN and self.cause == "input":
            own = EXIT_INPUT
        elif self.is_failure(strict):
            own = EXIT_UNEXPECTED
        if self.correction is not None:
            own = max(own, self.correction.exit_code(strict))
        return own

    def __repr__(self) -> str:
        where = f", at={str(self.location)!r}" if self.location is not None else ""
        expected = f", expected={self.expected.value}" if self.expected is not None else ""
        cause = f", cause={self.cause!r}" if self.cause else ""
        return f"StepResult({self.index}, {self.verdict.value}{expected}{cause}{where}, by={self.justification!r})"

    def __str__(self) -> str:
        where = f"{self.location}: " if self.location is not None else ""
        why = f": {self.reason}" if self.reason and self.verdict != Verdict.PROVED else ""
        return f"{where}step {self.index} {self.verdict.mark} {self.verdict.value} [{self.justification}]{why}"

    def as_dict(self) -> dict:
        """A JSON-ready view with the keys documented in the README."""
        return {
            "index": self.index,
            "relation": self.relation,
            "justification": self.justification,
            "latex": self.latex,
            "verdict": self.verdict.value,
            "expected": self.expected.value if self.expected else None,
            "seconds": round(self.seconds, 6),
            "counterexample": self.counterexample,
            "residual": self.residual,
            "residual_latex": self.residual_latex,
            "reason": self.reason,
            "inconsistent": self.inconsistent,
            "evidence": self.evidence.as_dict(),
            "correction": self.correction.as_dict() if self.correction is not None else None,
            "figure": _figure_dict(self.figure),
            "location": self.location.as_dict() if self.location is not None else None,
            "cause": self.cause or None,
        }

    @classmethod
    def from_dict(cls, d: dict) -> StepResult:
        """The inverse of as_dict (for the result cache)."""
        return cls(
            d["index"], d["relation"], d["justification"], d["latex"], Verdict(d["verdict"]),
            Verdict(d["expected"]) if d.get("expected") else None, d.get("seconds", 0.0), d.get("reason", ""),
            Evidence.from_dict(d.get("evidence", {})), d.get("counterexample"), d.get("residual"),
            d.get("residual_latex"), d.get("inconsistent", False),
            cls.from_dict(d["correction"]) if d.get("correction") else None, _figure_from(d.get("figure")),
            Location.from_dict(d.get("location")), d.get("cause") or "",
        )


@dataclass
class DerivationResult:
    """The results of every step of one derivation."""

    id: str
    title: str
    section: str | None
    review: bool
    steps: list[StepResult]
    seconds: float
    derivation: Derivation | None = field(default=None, repr=False, compare=False)  # the Derivation checked, for rendering

    def failures(self, strict: bool = False) -> list[StepResult]:
        """The steps that make this derivation fail."""
        return [s for s in self.steps if s.is_failure(strict)]

    def skips(self) -> list[StepResult]:
        """The undecided steps (time-outs, no proof and no evidence): shown like skips, failures under strict."""
        return [s for s in self.steps if s.is_skip]

    @property
    def ok(self) -> bool:
        """Whether every step passes a default (non-strict) run."""
        return not self.failures()

    def exit_code(self, strict: bool = False) -> int:
        """The exit status this derivation alone would give (see :func:`exit_code`)."""
        return max((s.exit_code(strict) for s in self.steps), default=EXIT_OK)

    def __repr__(self) -> str:
        counts = ", ".join(f"{n} {v}" for v, n in _counts(self.steps).items() if n)
        return f"DerivationResult({self.id!r}, {len(self.steps)} steps: {counts or 'none'}; ok={self.ok})"

    def __str__(self) -> str:
        name = self.title if self.id == self.title else f"{self.title} ({self.id})"
        lines = [f"{name}: {'ok' if self.ok else f'{len(self.failures())} failing'}"]
        return "\n".join([*lines, *(f"  {s}" for s in self.steps)])

    def _repr_markdown_(self) -> str | None:
        from derivcheck_steps.latex.writeup import derivation_markdown

        return None if self.derivation is None else derivation_markdown(self.derivation, self)

    def _repr_latex_(self) -> str | None:
        from derivcheck_steps.latex.writeup import derivation_aligned_latex

        return None if self.derivation is None else derivation_aligned_latex(self.derivation, self)

    def as_dict(self) -> dict:
        """A JSON-ready view."""
        return {
            "id": self.id,
            "title": self.title,
            "section": self.section,
            "review": self.review,
            "seconds": round(self.seconds, 6),
            "steps": [s.as_dict() for s in self.steps],
        }


def exit_code(results: list[DerivationResult], strict: bool = False) -> int:
    """The exit status of a run: 3 internal error > 2 input problem > 1 unexpected verdict > 0."""
    return max((r.exit_code(strict) for r in results), default=EXIT_OK)


def _counts(steps: list[StepResult]) -> dict[str, int]:
    counts = {v.value: 0 for v in Verdict}
    for s in steps:
        counts[s.verdict.value] += 1
    return counts


def _figure_dict(figure: Figure | None) -> dict | None:
    if figure is None:
        return None
    from dataclasses import asdict

    return asdict(figure)


def _figure_from(d: dict | None) -> Figure | None:
    if not d:
        return None
    from derivcheck_steps.figures import Figure, Series

    series = tuple(Series(s["label"], tuple(s["x"]), tuple(s["y"]), s.get("style", "line")) for s in d["series"])
    return Figure(d["title"], d["xlabel"], d["ylabel"], series, d.get("logx", False), d.get("logy", False))
