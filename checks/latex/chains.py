"""Turn the rows of a display into steps: chains, inequality claims, definitions and located UNKNOWNs.

Every relation of every row becomes one step, in document order, with the row's location. A row
that cannot be read is an UNKNOWN step where it stands; the step after it is checked from the last
expression that could be read (when the relations in between combine, e.g. ``=`` then ``=``, or
``≤`` then ``=``) with a note saying which rows it skips, or is an UNKNOWN "not checkable" step
with the reason. An unreadable chain start adds no step: the step after it says why it cannot be
checked.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

import sympy as sp

from derivcheck_steps.errors import DeclarationError, InputError
from derivcheck_steps.latex.formulas import LatexInputError, Notation, parse_formula
from derivcheck_steps.latex.items import Item, problem_relation
from derivcheck_steps.latex.matrix_literals import beside
from derivcheck_steps.latex.rows import INEQUALITIES, Row
from derivcheck_steps.location import Location
from derivcheck_steps.model import Chain, Derivation, Differentiate, Justification, Solve, Step
from derivcheck_steps.verdict import Verdict

_INEQUALITY = {"≤": sp.Le, "≥": sp.Ge, "<": sp.Lt, ">": sp.Gt}
_DERIVATIVE = re.compile(r"deriv|differentiat|gradient|\\nabla|\\partial", re.I)
_PROBLEM = re.compile(r"^\s*\\(?:arg\s*\\?)?(min|max)(?:imi[sz]e)?\s*_\s*(\{[^{}]*\}|\\?[A-Za-z]+)\s*")
_WITH_RESPECT = re.compile(r"w\.\s*r\.\s*t\.?|\bwrt\b|with respect to|\bin\b", re.I)


@dataclass
class Cursor:
    """Where the next step of a chain starts: the chain, the unreadable rows skipped since, or why there is none."""

    chain: Chain | None = None
    gap: list[tuple[str, str]] = field(default_factory=list)  # (relation, "line:col") of skipped unreadable rows
    broken: str = ""  # why there is no expression to continue from (an unreadable start), else ""
    note: str = ""  # said on the next step (how its start was read)
    objective: tuple[sp.Basic, str] | None = None  # after "\min_w F": F, and the note for a following "⇒"
    dangling: Callable[[], None] | None = None  # reports an unreadable start that no step has reported yet

    def flush(self) -> None:
        """Report an unreadable start that nothing after it reported (so it never vanishes)."""
        if self.dangling is not None:
            self.dangling()
        self.dangling = None


def compose(rels: list[str]) -> str | None:
    """One relation for a run of relations (a ⇒ x ⇒ c: a ⇒ c; a ≤ x = c: a ≤ c), or None if they do not combine."""
    kinds = set(rels)
    if kinds <= {"=", "⇒", "⇔"}:
        return "⇒" if "⇒" in kinds else "⇔" if "⇔" in kinds else "="
    for weak, strict in (("≤", "<"), ("≥", ">")):
        if kinds <= {"=", weak, strict}:
            return strict if strict in kinds else weak
    return None


def gradient_variable(just: str, notation: Notation) -> tuple[sp.Basic | None, str]:
    """The variable a justification differentiates by, when it names exactly one declared variable, and a note.

    Only the words after "w.r.t."/"with respect to"/"in" that follow a derivative word count; inline
    math there (``$w$``) is preferred over plain words. None or several declared names: no variable.
    """
    deriv = _DERIVATIVE.search(just or "")
    if deriv is None:
        return None, ""
    wrt = _WITH_RESPECT.search(just, deriv.end())
    if wrt is None:
        return None, "checked as written: the justification names a derivative but no variable after 'w.r.t.'"
    tail = just[wrt.end():]
    math = [a or b for a, b in re.findall(r"\$([^$]*)\$|\\\((.*?)\\\)", tail)]
    found: dict[sp.Basic, str] = {}
    for word in re.findall(r"\\?[A-Za-z]+", " ".join(math) if math else tail):
        obj = notation.names.get(word) or notation.names.get("\\" + word.lstrip("\\"))
        if obj is not None:
            found.setdefault(obj, word)
    if len(found) == 1:
        (var, word), = found.items()
        return var, f"read as the gradient with respect to {word.lstrip(chr(92))}, from the justification"
    named = ", ".join(found.values()) or "none"
    return None, (f"checked as written: the justification does not name exactly one declared variable after "
                  f"'{wrt.group(0)}' (declared names found: {named}), so it was not used")


class ChainBuilder:
    """Builds the steps of one derivation from display items, keeping every step's location."""

    def __init__(self, d: Derivation, notation: Notation, where: Callable[[int], str],
                 location: Callable[[int], Location]) -> None:
        self.d, self.notation, self.where, self.location = d, notation, where, location

    def build(self, items: list[Item], cur: Cursor) -> None:
        """Add the steps of ``items`` to the derivation, continuing from ``cur`` (which is updated)."""
        for k, it in enumerate(items):
            nxt = items[k + 1].rel if k + 1 < len(items) else None
            if it.rel in (None, "premise", "def") or (it.kind == "problem" and not it.rel):
                cur.flush()  # a new start: an earlier unreadable start will not be reported by a step
            started = cur.chain
            try:
                self._item(it, cur, nxt)
                if cur.chain is not None and cur.chain is not started and not cur.chain.steps:
                    cur.chain.source = it.text  # printed as written (derivcheck_steps.latex.layout.shown_lines)
            except (DeclarationError, TypeError, ValueError, AttributeError) as exc:  # SymPy refused to build it
                rel = it.rel if it.rel in (*INEQUALITIES, "=", "⇒", "⇔", "≈") else "="
                self._unknown(rel, f"{self.where(it.row.offset)}: cannot build this step: {exc}", it)
                cur.chain, cur.gap, cur.broken = None, [], f"the step at {self._pos(it)} could not be built"

    def _pos(self, it: Item) -> str:
        _, line, col = self.where(it.row.offset).rsplit(":", 2)
        return f"{line}:{col}"

    def _item(self, it: Item, cur: Cursor, nxt: str | None) -> None:  # noqa: C901 - one case per kind of row
        where = self.where(it.row.offset)
        if it.kind == "define":
            try:
                parse_formula(it.value, self.notation)
            except (LatexInputError, InputError) as exc:
                self._unknown(":=", f"{where}: cannot read the definition of {it.text}: {exc.message}", it)
                return
            self.notation.lets.append((it.text, it.value))
            return
        if it.kind == "problem":
            if it.rel is not None:  # the row has a relation: it is a step that cannot be read
                self._unknown(it.rel or "=", f"{where}: {it.row.problem}", it)
            if it.rel:
                cur.gap.append((it.rel, self._pos(it)))
            else:
                cur.chain, cur.gap, cur.broken = None, [], f"the row at {self._pos(it)} could not be read: {it.row.problem}"
                if it.rel is None:
                    cur.dangling = self._later(f"{where}: this row could not be read: {it.row.problem}", it)
            return
        text, objective = it.text, None
        problem = _PROBLEM.match(text) if it.rel is None and it.lone else None
        if problem is not None:  # "\min_w F" then "⇒ G" reads as "the objective F rewrites to G"
            try:
                objective = (parse_formula(text[problem.end():], self.notation),
                             f"starts from the objective of the problem at {self._pos(it)} (\\{problem.group(1)}_"
                             f"{problem.group(2)} …): '⇒' after it reads as 'the objective rewrites to'")
            except (LatexInputError, InputError):
                objective = None
        try:
            formula = parse_formula(text, self.notation)
        except (LatexInputError, InputError) as exc:
            if it.rel in (None, "premise"):
                cur.chain, cur.gap, cur.broken = None, [], f"the row at {self._pos(it)} could not be read: {exc.message}"
                if it.rel is None and problem_relation(text) is not None:  # "(X = w)": a relation, unreadable
                    self._unknown("=", f"{where}: {exc.message}", it)
                else:
                    cur.dangling = self._later(f"{where}: this row could not be read: {exc.message}", it)
                cur.objective = objective
            else:
                self._unknown(it.rel, f"{where}: {exc.message}", it)
                cur.gap.append((it.rel, self._pos(it)))
            return
        if it.rel in (None, "premise"):
            cur.objective = objective
            if isinstance(formula, sp.Rel) and not isinstance(formula, sp.Equality) and nxt is None:
                self._locate(self.d.claim(formula, by=it.just or "claim", expect=_expect(it.row)), it)
                cur.chain, cur.gap, cur.broken = None, [], ""
                return
            cur.chain, cur.gap, cur.broken = self.d.chain(formula), [], ""
            return
        objective, cur.objective = cur.objective, None
        if objective is not None and it.rel == "⇒" and not cur.gap:
            cur.chain, cur.broken, cur.note = self.d.chain(objective[0]), "", objective[1]
            cur.dangling = None  # the note of this step says how the problem statement was read
        if cur.chain is None:
            if cur.broken or it.rel not in ("⇒", "⇔"):
                why = cur.broken or f"there is no expression before this '{it.rel}' (write the one it starts from)"
                self._unknown(it.rel, f"{where}: not checkable: it starts from what could not be read: {why}", it)
                cur.dangling = None  # this step said why
            cur.chain, cur.gap, cur.broken = self.d.chain(formula), [], ""  # a "therefore" after prose starts a chain
            return
        rel, note, cur.note = it.rel, cur.note, ""
        if cur.gap:
            skipped = ", ".join(p for _, p in cur.gap)
            rel = compose([r for r, _ in cur.gap] + [it.rel])
            cur.gap = []
            if rel is None:
                self._unknown(it.rel, f"{where}: not checkable: the row(s) at {skipped} before it could not be read, "
                              "and the relations around them do not combine into one", it)
                cur.chain = self.d.chain(formula)
                return
            note = f"checked from the last readable expression: it skips the unreadable row(s) at {skipped}"
        self._step(cur, rel, formula, it, note)

    def _step(self, cur: Cursor, rel: str, formula: sp.Basic, it: Item, note: str) -> None:  # noqa: C901
        chain, just, where = cur.chain, it.just, self.where(it.row.offset)
        before = chain.last
        formula = beside(before, formula)  # "= (ad - bc) I" after a 2×2 matrix: I is 2×2, written out
        before_eq, after_eq = isinstance(before, sp.Equality), isinstance(formula, sp.Equality)
        expect = _expect(it.row)
        if rel == "≈":
            self._unchecked(it, note)
            cur.chain = self.d.chain(formula)
            return
        if rel in INEQUALITIES:
            if isinstance(before, sp.Rel) or isinstance(formula, sp.Rel):
                self._unknown(rel, f"{where}: cannot compare an equation with {rel}: write expressions on both sides", it)
            else:
                claim = _INEQUALITY[rel](before, formula, evaluate=False)
                self._locate(self.d.claim(claim, by=just or "as written", expect=expect, note=note), it)
            cur.chain = self.d.chain(formula)  # the chain goes on from the right-hand side
            return
        by: Justification | str = just or "as written"
        if not before_eq and rel in ("=", "⇒"):
            var, gradient_note = gradient_variable(just, self.notation)
            note = "; ".join(n for n in (note, gradient_note) if n)
            if var is not None:
                self._locate(chain.eq(formula, by=Differentiate(just, var), expect=expect, note=note).steps[-1], it)
                return
        if before_eq and after_eq and rel in ("⇒", "⇔", "="):
            solved = _solved_for(formula, self.notation)
            if solved is not None:
                by = Solve(just or f"solve for {solved}", solved)
            (chain.iff if rel == "⇔" else chain.implies)(formula, by=by, expect=expect, note=note)
            self._locate(chain.steps[-1], it)
        elif not before_eq and not after_eq:
            if rel == "⇒" and not just and not it.lone:  # "⇒ B = C …": a new statement, whose steps are checked
                cur.chain = self.d.chain(formula)
                return
            if rel == "⇒":
                note = "; ".join(n for n in (note, "'⇒' between two expressions is read as 'rewrites to' and "
                                             "checked as '='") if n)
            self._locate(chain.eq(formula, by=by, expect=expect, note=note).steps[-1], it)
        else:
            how = (" (say how, e.g. \\text{set the derivative w.r.t. $w$ to zero})"
                   if rel == "⇒" and not before_eq else "")
            self._unknown(rel, f"{where}: not checkable: it joins an {'equation' if before_eq else 'expression'} "
                          f"to an {'equation' if after_eq else 'expression'} with {rel}{how}", it)
            cur.chain = self.d.chain(formula)

    def _locate(self, step: Step, it: Item) -> Step:
        step.location = self.location(it.row.offset)
        if step.before is not None or getattr(step, "unchecked", ""):  # its row as written (a claim joins two: printed)
            step.source = it.text
        return step

    def _unknown(self, rel: str, reason: str, it: Item) -> None:
        """A step that cannot be read or checked: UNKNOWN (an input problem) with the reason, at its row."""
        step = Step(len(self.d.steps) + 1, rel, None, sp.Symbol("unparsed"), Justification(it.just or "as written"),
                    _expect(it.row), problem=reason)
        self.d.steps.append(self._locate(step, it))

    def _later(self, reason: str, it: Item) -> Callable[[], None]:
        """An UNKNOWN for an unreadable start, reported only if no later step reports it."""
        return lambda: self._unknown("⊢", reason, it)

    def _unchecked(self, it: Item, note: str) -> None:
        """A ``≈`` step: reported, never checked (an approximation is not an identity)."""
        reason = "not checked (≈): an approximation is not an identity derivcheck can prove or refute"

        def run(_rng: object) -> tuple[bool, str]:
            return False, reason

        step = self.d.experiment(it.just or "approximation (≈)", run, expect=_expect(it.row), note=note or reason)
        step.unchecked = reason  # the engine reports it as UNKNOWN (undecided) with this reason
        self._locate(step, it)


def _expect(row: Row) -> Verdict | None:
    """The verdict a row expects (rows.check_expect has turned one that names no verdict into a problem)."""
    try:
        return Verdict(row.expect.strip().upper()) if row.expect else None
    except ValueError:
        return None


def _solved_for(formula: sp.Equality, notation: Notation) -> sp.Basic | None:
    lhs = formula.lhs
    declared = set(notation.names.values())
    if lhs in declared and not formula.rhs.has(lhs) and isinstance(lhs, sp.Symbol | sp.MatrixSymbol):
        return lhs
    return None
