"""The text's statements in a document: which context they declare in, when, and where they are listed.

A mixin of :class:`derivcheck_steps.latex.documents.DocumentReader`. The prose's inline formulas (and displays
marked ``% derivcheck: skip``) wait until the next display or comment declaration, then declare what
they state (:mod:`derivcheck_steps.latex.statements`, :mod:`derivcheck_steps.latex.prose`) in the current context; a
display row that only states types (``w, x \\in \\mathbb{R}^n``) declares and is not a step. Names a
``% derivcheck:`` comment of the same context declares are never declared by the text (the comment
overrides it). Each declaration read from the text is listed on the derivation ("line 12: X is a real
N×d matrix"; :attr:`derivcheck_steps.model.Derivation.stated`), which reports print.

A document with no ``% derivcheck: context`` line at all has implicit contexts: each section is a
context of its own, holding the declarations and statements of the text before the first section
and of the sections it is inside (a subsection sees its section's "Let $A$ be symmetric").
"""

from __future__ import annotations

import re

from derivcheck_steps.context import Context
from derivcheck_steps.errors import DeclarationError, InputError
from derivcheck_steps.latex.declarations import DIRECTIVES, DeclarationScope
from derivcheck_steps.latex.formulas import Notation
from derivcheck_steps.latex.prose import ProseFormula, blank_comments, comment_names, matrix_fact, prose_formulas, subjects
from derivcheck_steps.latex.statements import declarations_from_text, only_ranges, statement_row

Event = tuple[int, str, object]


class TextStatements:
    """The part of the document reader that reads declarations from the text."""

    def _init_text_statements(self) -> None:
        self.prose: list[ProseFormula] = []  # statements of the prose not yet applied (at the next display)
        self.reserved: list[set[str]] = [set()]  # per context: the names its comments declare (they override the text)
        self.segment = 0  # which of them is the current context's
        self.implicit = False  # no "% derivcheck: context" anywhere: each section is a context of its own
        self.scopes: list[tuple[int, list[Event]]] = [(0, [])]  # implicit contexts: (level, events) in scope
        self.levels: dict[int, int] = {}  # heading offset -> level (1 for \\section, 2 for \\subsection, …)
        self.heading_at = -1
        self.stated: list[str] = []  # declarations read from the text, waiting for the derivation to list them on

    def _prose_events(self, masked: str, heading: re.Pattern, inline: list[Event]) -> list[Event]:
        """The inline formulas of the prose (``masked``: displays blanked); headings, comments and inline rows are not."""
        prose = blank_comments(masked, self.markdown)
        for m in heading.finditer(masked):
            head = m.group(0)
            self.levels[m.start()] = len(head) - len(head.lstrip("#")) if self.markdown else head.count("sub") + 1
            prose = prose[:m.start()] + " " * (m.end() - m.start()) + prose[m.end():]
        for start, _, body in inline:  # "% derivcheck: inline" formulas are rows, not statements
            prose = prose[:start] + " " * len(str(body)) + prose[start + len(str(body)):]
        return [(f.offset, "prose", f) for f in prose_formulas(prose)]

    def _in_scope(self, offset: int, kind: str, payload: object) -> None:
        """Implicit contexts: remember a declaration or statement for the sections inside this one."""
        if self.implicit and (kind == "prose" or str(payload).partition(" ")[0] not in DIRECTIVES):
            self.scopes[-1][1].append((offset, kind, payload))

    def _reserve(self, events: list[tuple[int, str, object]]) -> None:
        """Decide the kind of contexts, and collect per context the names its comments declare."""
        self.implicit = not any(k == "directive" and str(p).split(" ")[0] == "context" for _, k, p in events)
        for _, kind, payload in events:
            if (kind == "directive" and str(payload).split(" ")[0] == "context") or (kind == "heading" and self.implicit):
                self.reserved.append(set())
            elif kind == "directive":
                try:
                    self.reserved[-1] |= comment_names(str(payload))
                except (IndexError, ValueError):
                    continue

    def _unreserve(self, text: str) -> None:
        """A comment declaration that cannot be read overrides nothing: the text may declare its names."""
        try:
            self.reserved[min(self.segment, len(self.reserved) - 1)] -= comment_names(text)
        except (IndexError, ValueError):
            return

    def _section_context(self, level: int) -> None:
        """Implicit contexts: a new section starts its own, with the declarations and statements of its parents."""
        self.segment += 1
        self.scopes = [s for s in self.scopes if s[0] < level or s[0] == 0]
        ctx = Context(self.title)
        self.state = DeclarationScope(ctx, Notation(ctx))
        self.prose, self.stated = [], []
        for _, events in self.scopes:
            for offset, kind, payload in events:
                if kind == "directive":
                    self._directive(str(payload), offset)
                else:
                    self.prose.append(payload)
        self.scopes.append((level, []))

    def _stated(self, state: DeclarationScope, offset: int, said: list[str]) -> None:
        """List what the text declared on the derivation being read (or the next one of this context)."""
        line = self._line_col(offset)[0]
        self.stated += [f"line {line}: {s}" for s in said]
        if state.derivation is not None:
            state.derivation.stated.extend(self.stated)
            self.stated = []

    def _apply_prose(self, state: DeclarationScope) -> None:
        """Declare what the prose read since the last display states (a comment's declaration wins)."""
        reserved = self.reserved[min(self.segment, len(self.reserved) - 1)]
        # index ranges first ("$x_i \in \mathbb{R}$ for $i = 1, \dots, N$"): an entry x_i stated before its
        # index's range is then an entry of data x over i, not a scalar named x_i
        ranges = [f for f in self.prose if only_ranges(f.math)]
        for f in [*ranges, *(f for f in self.prose if f not in ranges)]:
            where = self._where(f.offset)
            try:
                said = declarations_from_text(f.math, state, where, reserved=reserved, iid=f.iid, some=f.some)
                for prop in f.properties:
                    for subject in subjects(f.math):
                        said += matrix_fact(subject, prop, state, where)
            except (InputError, DeclarationError) as exc:  # a statement that contradicts a declaration
                said = [f"not used ({getattr(exc, 'message', str(exc))})"]
            self._stated(state, f.offset, said)
        self.prose = []

    def _statement_rows(self, rows: list, state: DeclarationScope) -> tuple[list, list[int]]:
        """Rows that only state types (``w, x \\in \\mathbb{R}^n``) declare and are not steps: (other rows, breaks)."""
        reserved = self.reserved[min(self.segment, len(self.reserved) - 1)]
        kept, breaks = [], []
        for row in rows:
            said = None
            if not row.problem and not row.justification:
                try:
                    said = statement_row(row.math, state, self._where(row.offset), reserved=reserved)
                except (InputError, DeclarationError):
                    said = None
            if said:
                self._stated(state, row.offset, said)
                breaks.append(len(kept))
            else:
                kept.append(row)
        return kept, breaks


def split_at(rows: list, breaks: list[int]) -> list[list]:
    """``rows`` cut before each index in ``breaks`` (where a statement row stood)."""
    parts, start = [], 0
    for b in sorted(set(breaks)):
        parts.append(rows[start:b])
        start = b
    return [*parts, rows[start:]] if parts else [rows]
