"""Step: one written step of a derivation (``before  relation  after``), as the checker and reports read it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import sympy as sp

from derivcheck_steps.justifications import Justification
from derivcheck_steps.location import Location
from derivcheck_steps.verdict import Verdict


def _resolved(form: Any) -> sp.Basic | None:
    """A written form, built now if it was pending (:class:`derivcheck_steps.written.Pending`)."""
    return form if form is None or isinstance(form, sp.Basic) else form.resolve()


class WrittenForm:
    """``written``: the expression as the author wrote it, kept in ``written_form`` (perhaps pending)."""

    written_form: Any

    @property
    def written(self) -> sp.Basic | None:
        """The expression as the author wrote it (None: print the checked expression)."""
        return _resolved(self.written_form)

    @written.setter
    def written(self, form: sp.Basic | None) -> None:
        self.written_form = form


@dataclass
class Step(WrittenForm):
    """One step: ``before  relation  after``, with its justification and expected verdict."""

    index: int
    relation: str
    before: sp.Basic | None
    after: sp.Basic
    by: Justification
    expect: Verdict | None = None
    given: tuple[sp.Basic, ...] = ()
    experiment: Callable | None = None
    note: str = ""
    correction: sp.Basic | None = None  # for a reviewed wrong step: what it should have said
    problem: str = ""  # why the step could not be read (LaTeX input): it is UNKNOWN with this reason
    location: Location | None = None  # where the step was written (file, line, column)
    # For printing only (the check uses ``after``): the expression as the author wrote it, unevaluated
    # (Python: :mod:`derivcheck_steps.written`; ``written_form`` may hold it pending, built on first use by
    # ``written``), and the LaTeX source of the row (.tex/.md input: set by the reader).
    written_form: Any = field(default=None, repr=False, compare=False)
    source: str = ""
    unchecked: str = ""  # a row the reader leaves unchecked on purpose (≈): why (the step is UNKNOWN, undecided)

    @property
    def shown(self) -> sp.Basic:
        """What reports print: the written form when there is one, else the checked expression."""
        return self.written if self.written is not None else self.after

    def __repr__(self) -> str:
        return f"Step({self.index}, {self.relation!r}, {self.after}, by={self.by.label!r})"
