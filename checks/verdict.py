"""Verdicts, the evidence they rest on, and the result of checking a step or derivation."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from checks.location import Location


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
        }

    @classmethod
    def from_dict(cls, d: dict) -> Evidence:
        """The inverse of as_dict (for the result cache)."""
        return cls(d.get("symbolic"), d.get("numeric"), d.get("points", 0), d.get("worst_error"), d.get("seed"),
                   list(d.get("monte_carlo", [])), list(d.get("notes", [])), [tuple(r) for r in d.get("table", [])])


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
    figure: object = None  # a checks.figures.Figure from a numeric experiment, drawn in writeups
    location: Location | None = None  # where the step was written (file, line, column)
    # For UNKNOWN: why. "input" (unreadable row, undeclared symbol, shape error: the run exits 2),
    # "internal" (a bug in derivcheck: exit 3), "timeout", "undecided" (no proof and no evidence).
    cause: str = ""

    def is_failure(self, strict: bool = False) -> bool:
        """Whether this step should fail a run: unexpected verdict, or weak verdict under strict."""
        if self.inconsistent or (self.correction is not None and self.correction.is_failure(strict)):
            return True
        if self.expected is not None:
            return self.verdict != self.expected
        if strict:
            return self.verdict != Verdict.PROVED
        return self.verdict == Verdict.REFUTED

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
    derivation: object = field(default=None, repr=False, compare=False)  # the Derivation checked, for rendering

    def failures(self, strict: bool = False) -> list[StepResult]:
        """The steps that make this derivation fail."""
        return [s for s in self.steps if s.is_failure(strict)]

    def _repr_markdown_(self) -> str:
        from checks.latex.writeup import derivation_markdown

        return derivation_markdown(self.derivation, self)

    def _repr_latex_(self) -> str:
        from checks.latex.writeup import derivation_aligned_latex

        return derivation_aligned_latex(self.derivation, self)

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


def _figure_dict(figure: object) -> dict | None:
    if figure is None:
        return None
    from dataclasses import asdict

    return asdict(figure)


def _figure_from(d: dict | None) -> object:
    if not d:
        return None
    from checks.figures import Figure, Series

    series = tuple(Series(s["label"], tuple(s["x"]), tuple(s["y"]), s.get("style", "line")) for s in d["series"])
    return Figure(d["title"], d["xlabel"], d["ylabel"], series, d.get("logx", False), d.get("logy", False))
