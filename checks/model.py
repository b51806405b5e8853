"""Derivation and Chain, the builders: a derivation reads like a calculation on paper.

``chain(...).eq/implies/iff``, ``claim`` and ``experiment`` build the steps, each recording where the
user's code wrote it. The step itself is :mod:`derivcheck_steps.step`; justifications (``differentiate``,
``solve``) are :mod:`derivcheck_steps.justifications`; both are importable from here too.

>>> from derivcheck_steps import Context, derivation, differentiate
>>> ctx = Context()
>>> x = ctx.scalar("x")
>>> d = derivation("Square", ctx)
>>> _ = d.chain((x + 1)**2).eq(x**2 + 2*x + 1, by="expand")
>>> [s.relation for s in d.steps]
['=']
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType
from typing import Any

import sympy as sp

from derivcheck_steps.context import Context
from derivcheck_steps.errors import DeclarationError
from derivcheck_steps.justifications import Differentiate, Justification, Solve, differentiate, solve  # noqa: F401  (re-exported)
from derivcheck_steps.location import Location
from derivcheck_steps.step import Step, WrittenForm  # (Step re-exported)
from derivcheck_steps.sympy_units import defer_units
from derivcheck_steps.verdict import Verdict

defer_units()  # simplify's look for physical units must not build every unit system (0.2 s a process)


_PACKAGE = str(Path(__file__).resolve().parent)


def _caller_frame() -> FrameType | None:
    """The user's frame that called into this module (None when the caller is derivcheck itself)."""
    frame: FrameType | None = sys._getframe(1)
    while frame is not None and frame.f_code.co_filename == __file__:
        frame = frame.f_back
    if frame is None or frame.f_code.co_filename.startswith(_PACKAGE):
        return None
    return frame


def caller_location() -> Location | None:
    """Where the user's code called into this module: the first frame outside it.

    None when that caller is derivcheck itself (the LaTeX reader passes its rows' locations).
    """
    frame = _caller_frame()
    return None if frame is None else Location(_shown(frame.f_code.co_filename), frame.f_lineno)


def _written(value: sp.Basic, location: Location | None) -> Any:
    """The written form of the caller's first argument (Python derivations; see :mod:`derivcheck_steps.written`),
    pending: built when a report or writeup first prints it."""
    if location is not None:  # given by the caller (the LaTeX reader): its rows carry their source instead
        return None
    from derivcheck_steps.written import pending_form

    return pending_form(_caller_frame(), value)


def _shown(path: str) -> str:
    """A path relative to the working directory when it lies inside it (reports read the same everywhere)."""
    try:
        return str(Path(path).resolve().relative_to(Path.cwd()))
    except (ValueError, OSError):
        return path


RELATIONS = {"=": "=", "=>": "⇒", "<=>": "⇔", "claim": "⊢", "experiment": "≈"}

Expectable = Verdict | str | None


def _verdict(expect: Expectable) -> Verdict | None:
    if expect is None or isinstance(expect, Verdict):
        return expect
    try:
        return Verdict(str(expect).upper())
    except ValueError:
        raise DeclarationError(f"expect={expect!r}: use one of {[v.value for v in Verdict]}") from None


def _justification(by: Justification | str) -> Justification:
    if isinstance(by, Justification):
        return by
    if isinstance(by, str) and by.strip():
        return Justification(by.strip())
    raise DeclarationError("every step needs a justification: by='...' or a rule such as differentiate(w)")


@dataclass
class Chain(WrittenForm):
    """A calculation: a start expression (or equation) followed by steps."""

    derivation: Derivation
    start: sp.Basic
    steps: list[Step] = field(default_factory=list)
    location: Location | None = None  # where the chain was started
    written_form: Any = field(default=None, repr=False, compare=False)  # the start as written (see Step.written)
    source: str = ""  # the start's LaTeX source (.tex/.md input)

    @property
    def shown(self) -> sp.Basic:
        """The start as reports print it: written form when there is one."""
        return self.written if self.written is not None else self.start

    @property
    def last(self) -> sp.Basic:
        """The expression the next step starts from."""
        return self.steps[-1].after if self.steps else self.start

    def _add(self, relation: str, after: sp.Basic, by: Justification | str, expect: Expectable, note: str,
             correct: sp.Basic | None, location: Location | None) -> Chain:
        after = self.derivation._checked_expr(after)
        step = Step(
            index=len(self.derivation.steps) + 1,
            relation=relation,
            before=self.last,
            after=after,
            by=_justification(by),
            expect=_verdict(expect),
            note=note,
            correction=None if correct is None else self.derivation._checked_expr(correct),
            location=location or caller_location(),
            written_form=_written(after, location),
        )
        is_eq = isinstance(after, sp.Equality)
        if relation == "=" and is_eq != isinstance(step.before, sp.Equality) and not isinstance(step.by, Differentiate):
            raise DeclarationError(
                f"step {step.index}: '=' joins two expressions; between equations use .implies or .iff"
            )
        self.steps.append(step)
        self.derivation.steps.append(step)
        return self

    def eq(self, after: sp.Basic, *, by: Justification | str, expect: Expectable = None, note: str = "",
           correct: sp.Basic | None = None, location: Location | None = None) -> Chain:
        """``= after``: the new expression equals the previous one (or is its derivative, with differentiate).

        ``correct`` records, for a reviewed step that is wrong, what it should have said; it is
        checked from the same previous expression and shown beside the wrong step. ``location`` is
        where the step was written (default: the line of the caller's code).
        """
        return self._add("=", after, by, expect, note, correct, location)

    def implies(self, after: sp.Basic, *, by: Justification | str, expect: Expectable = None, note: str = "",
                correct: sp.Basic | None = None, location: Location | None = None) -> Chain:
        """``⇒ after``: the new equation follows from the previous one."""
        return self._add("⇒", after, by, expect, note, correct, location)

    def iff(self, after: sp.Basic, *, by: Justification | str, expect: Expectable = None, note: str = "",
            correct: sp.Basic | None = None, location: Location | None = None) -> Chain:
        """``⇔ after``: the new equation is equivalent to the previous one."""
        return self._add("⇔", after, by, expect, note, correct, location)


@dataclass
class Derivation:
    """A titled, documented sequence of chains and claims in a Context."""

    title: str
    ctx: Context
    section: str | None = None
    review: bool = False
    doc: str = ""
    id: str | None = None
    chains: list[Chain] = field(default_factory=list)
    steps: list[Step] = field(default_factory=list)
    stated: list[str] = field(default_factory=list)  # declarations read from the text: "line 12: X is a real N×d matrix"

    def _checked_expr(self, expr: object) -> sp.Basic:
        if isinstance(expr, int):
            expr = sp.Integer(expr)
        elif isinstance(expr, float):
            expr = sp.Float(expr)
        if not isinstance(expr, sp.Basic):
            raise DeclarationError(f"{self.title}: expected a SymPy expression, got {type(expr).__name__}")
        return expr

    def chain(self, start: sp.Basic, *, location: Location | None = None) -> Chain:
        """Start a calculation from ``start`` (an expression or an equation); ``location``: where it was written."""
        start = self._checked_expr(start)
        chain = Chain(self, start, location=location or caller_location(), written_form=_written(start, location))
        self.chains.append(chain)
        return chain

    def claim(
        self,
        statement: sp.Basic,
        *,
        by: Justification | str,
        given: Sequence[sp.Basic] = (),
        expect: Expectable = None,
        note: str = "",
        correct: sp.Basic | None = None,
        location: Location | None = None,
    ) -> Step:
        """A standalone statement (equation or inequality), optionally under hypotheses ``given``.

        ``correct`` records, for a reviewed claim that is wrong, the statement that holds instead;
        ``location`` is where it was written (default: the line of the caller's code).
        """
        if statement is sp.true or statement is sp.false or isinstance(statement, bool):
            raise DeclarationError(
                f"{self.title}: SymPy decided this claim ({statement}) while building it, so there is "
                "nothing left to check; build it unevaluated, e.g. sp.Le(a, b, evaluate=False)"
            )
        statement = self._checked_expr(statement)
        if not isinstance(statement, (sp.Rel, sp.Eq)):
            raise DeclarationError(f"{self.title}: claim needs a relation such as Eq(a, b) or a > b")
        step = Step(len(self.steps) + 1, "⊢", None, statement, _justification(by), _verdict(expect), tuple(given), note=note,
                    correction=None if correct is None else self._checked_expr(correct),
                    location=location or caller_location(), written_form=_written(statement, location))
        self.steps.append(step)
        return step

    def experiment(
        self, description: str, run: Callable, *, expect: Expectable = None, note: str = "",
        location: Location | None = None,
    ) -> Step:
        """A numeric experiment ``run(rng) -> (agrees, detail)`` or ``(agrees, detail, Figure)``; at best CHECKED."""
        step = Step(
            len(self.steps) + 1, "≈", None, sp.Symbol(description), Justification(description),
            _verdict(expect), experiment=run, note=note, location=location or caller_location(),
        )
        self.steps.append(step)
        return step

    def _repr_markdown_(self) -> str:
        from derivcheck_steps.latex.writeup import derivation_markdown

        return derivation_markdown(self)

    def __repr__(self) -> str:
        return f"derivation({self.title!r}, section={self.section!r}, review={self.review}, steps={len(self.steps)})"


def derivation(
    title: str,
    ctx: Context,
    *,
    section: str | None = None,
    review: bool = False,
    doc: str = "",
    id: str | None = None,
) -> Derivation:
    """Create a derivation; ``review=True`` marks a record of a handwritten solution as written."""
    if not title.strip():
        raise DeclarationError("a derivation needs a title")
    return Derivation(title, ctx, section=section, review=review, doc=doc, id=id)
