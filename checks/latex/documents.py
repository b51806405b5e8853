"""Read derivations from a LaTeX (``.tex``) or Markdown (``.md``) document.

The document stays a document: declarations live in comments, so it compiles unchanged.

Declarations (one per line, in ``%`` comments in .tex, or in ``<!-- ... -->`` / ``%`` lines in .md)::

    % derivcheck: context ridge regression      start a new context (names below belong to it)
    % derivcheck: dims N n                      positive integer sizes
    % derivcheck: index i N                     an index running over 1..N
    % derivcheck: scalar lambda positive        also: nonzero, nonnegative, interval 0 1, or nothing
    % derivcheck: matrix x N n                  a real N×n matrix (vector v n: an n×1 matrix)
    % derivcheck: identity I n                  I is the n×n identity (otherwise I is an ordinary name)
    % derivcheck: invertible x^T x + \\lambda I   a declared invertible matrix expression
    % derivcheck: data x i j                    indexed data; written x_j^{(i)} (superscript = first index)
    % derivcheck: data \\sigma j positive        every entry's domain: also nonzero, nonnegative, interval 0 1
    % derivcheck: random m i j bernoulli p      i.i.d. family: bernoulli P | normal MEAN VAR | moments MEAN VAR
    % derivcheck: independent m pi              two families independent of each other
    % derivcheck: centred x i                   Σ_i x_j^{(i)} = 0
    % derivcheck: assume x t > 0                a fact: REL with > 0, < 0 or \\neq 0
    % derivcheck: let \\tilde{y}^{(i)} = \\frac{1}{p}\\sum_j m_j^{(i)} w_j x_j^{(i)}   an abbreviation

The text declares too (see :mod:`derivcheck_steps.latex.textscope`): the prose's inline math ("Let
``$X \\in \\mathbb{R}^{N\\times d}$``", ``$w, x \\in \\mathbb{R}^n$``, ``$\\lambda > 0$``, ``$0 < p < 1$``,
``$i = 1, \\dots, N$``, ``$x_j^{(i)}, t^{(i)} \\in \\mathbb{R}$``, ``$\\sigma_j > 0$``, ``$p_i \\in (0, 1)$``,
``$m_j^{(i)} \\stackrel{\\text{i.i.d.}}{\\sim}
\\mathrm{Ber}(p)$``, "``$A$`` is symmetric", ``$A \\succ 0$``, "``$M$`` is invertible"), a display under
``% derivcheck: skip``, and a display row that only states types. A comment overrides the text; each
declaration from the text is listed in the report with its line; a document without any ``context``
line has one context per section.

Directives for the next display (or row, when written at the end of a row)::

    % derivcheck: then \\Rightarrow      the next display continues the previous chain with this relation
    % derivcheck: expect REFUTED        the step(s) of the next display must get this verdict
    % derivcheck: equation              the next display's first row is an equation (a premise), not a step
    % derivcheck: by TEXT               the justification of the next display's first step
    % derivcheck: skip                  the next display is prose, not a derivation (its statements declare)

Each ``\\section``/``\\subsection`` (or Markdown heading) starts a new derivation titled by it. Displays
are ``align``/``align*``/``equation``/``gather`` (starred or not), ``\\[…\\]`` and ``$$…$$``; rows split at
``\\\\`` (see :mod:`derivcheck_steps.latex.rows`: an unbalanced brace stays in its row), alignment ``&`` is ignored,
whatever follows ``&&`` (``\\text{…}``, or a note such as ``j = t - k``), ``\\tag{…}``, a ``% comment`` after a row,
or a ``\\text{…}`` before a leading relation is the justification; ``A = B, \\qquad C = D`` is two statements.
Relations: ``=``, ``\\le``, ``\\ge``, ``<``, ``>``, ``\\approx`` (reported, not checked),
``\\Rightarrow``, ``\\implies``, ``\\iff``, ``\\Leftrightarrow``; ``\\Rightarrow`` between two expressions
reads as "rewrites to" and is checked as ``=``; ``a \\leftarrow b`` and ``a := b`` define ``a``. A display
that starts with a relation continues the previous chain of its derivation. How rows become steps
(and what happens around a row that cannot be read) is in :mod:`derivcheck_steps.latex.chains`.
"""

from __future__ import annotations

import copy
import re
from pathlib import Path

import sympy as sp

from derivcheck_steps.context import Context
from derivcheck_steps.errors import DeclarationError, InputError
from derivcheck_steps.latex.chains import ChainBuilder, Cursor
from derivcheck_steps.latex.declarations import DeclarationScope, declare
from derivcheck_steps.latex.formulas import LatexInputError, Notation, parse_formula
from derivcheck_steps.latex.items import display_items
from derivcheck_steps.latex.matrix_literals import DETERMINANT_ENVIRONMENTS, MATRIX_ENVIRONMENTS
from derivcheck_steps.latex.prose import ProseFormula
from derivcheck_steps.latex.rows import check_expect, implication_of, read_rows
from derivcheck_steps.latex.textscope import TextStatements, split_at
from derivcheck_steps.location import Location
from derivcheck_steps.model import Derivation, Justification, Step, derivation
from derivcheck_steps.quoting import quoted

__all__ = ["DocumentReader", "read_document"]

_ENV = re.compile(r"\\begin\{(align\*?|equation\*?|gather\*?|aligned|multline\*?)\}(.*?)\\end\{\1\}", re.S)
_DISPLAY = re.compile(r"\$\$(.*?)\$\$|\\\[(.*?)\\\]", re.S)
_OPENER = re.compile(r"\\begin\{(?:align|equation|gather|multline|aligned)\*?\}|\$\$|\\\[")
_HEADING_TEX = re.compile(r"\\(?:sub)*section\*?\{((?:[^{}]|\{(?:[^{}]|\{[^{}]*\})*\})*)\}")
_HEADING_MD = re.compile(r"^#{1,6}\s+(.*)$", re.M)
_DIRECTIVE = re.compile(r"^\s*(?:%|<!--)\s*derivcheck:\s*(.*?)\s*(?:-->)?\s*$")


class DocumentReader(TextStatements):
    """Turns one document into derivations; problems become located UNKNOWN steps or InputErrors."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            self.text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise InputError(f"cannot read {path}: {exc}") from None
        self.markdown = path.suffix.lower() in (".md", ".markdown")
        self.derivations: list[Derivation] = []
        self.state: DeclarationScope | None = None
        self.cursor = Cursor()
        self.title = path.stem
        self.bad_declarations: list[tuple[str, int]] = []  # (message, offset) not yet reported as steps
        self._lines = [m.start() for m in re.finditer(r"^", self.text, re.M)]
        self._init_text_statements()

    # -- the walk over the document
    def read(self) -> list[Derivation]:
        """The derivations of the document, in order (those without a step are left out)."""
        events = self._events()
        self._reserve(events)
        for offset, kind, payload in events:
            if kind == "directive":
                self._directive(payload, offset)
                self._in_scope(offset, kind, payload)
            elif kind == "prose":
                self.prose.append(payload)
                self._in_scope(offset, kind, payload)
            elif kind == "heading":
                self.cursor.flush()
                self.title = payload.strip()
                self.heading_at = offset
                if self.state is not None:
                    self.state.derivation = None
                self.cursor = Cursor()
                if self.implicit:
                    self._section_context(self.levels.get(offset, 1))
            else:
                self._display(payload, offset, unclosed=kind == "unclosed")
        self.cursor.flush()
        if self.bad_declarations:  # no display after it: the document itself is in error
            message, offset = self.bad_declarations[0]
            raise InputError(message, self._where(offset))
        return [d for d in self.derivations if d.steps]

    def _events(self) -> list[tuple[int, str, object]]:
        events: list[tuple[int, str, object]] = []
        masked = self.text
        spans: list[tuple[int, int]] = []
        for m in list(_DISPLAY.finditer(self.text)) + list(_ENV.finditer(self.text)):
            if any(s <= m.start() < e for s, e in spans):
                continue  # an environment inside a $$ display: the display is read once
            if m.re is _DISPLAY:
                group = 1 if m.group(1) is not None else 2
                body, start = m.group(group), m.start(group)
                # "$$\begin{aligned} … \end{aligned}$$" (a misspelt \end still closes it: the rows are read)
                inner = re.fullmatch(r"\s*\\begin\{(\w+\*?)\}(.*)\\end\{\w*\*?\}\s*", body, re.S)
                if inner is not None and inner.group(1) not in MATRIX_ENVIRONMENTS | DETERMINANT_ENVIRONMENTS:
                    body, start = inner.group(2), start + inner.start(2)  # (a pmatrix is mathematics, not rows)
            else:
                body, start = m.group(2), m.start(2)
            spans.append((m.start(), m.end()))
            events.append((start, "display", body))
            masked = masked[:m.start()] + " " * (m.end() - m.start()) + masked[m.end():]
        heading = _HEADING_MD if self.markdown else _HEADING_TEX
        events += self._unclosed(masked, heading)
        events += [(m.start(), "heading", m.group(1)) for m in heading.finditer(masked)]
        inline: list[tuple[int, str, object]] = []
        for m in re.finditer(r"^.*$", masked, re.M):
            d = _DIRECTIVE.search(m.group(0))
            if d is not None:
                events.append((m.start() + d.start(), "directive", d.group(1)))
                if d.group(1).strip() == "inline":
                    inline += self._inline(masked, m.end())
        events += inline + self._prose_events(masked, heading, inline)
        return sorted(events, key=lambda e: e[0])

    def _unclosed(self, masked: str, heading: re.Pattern) -> list[tuple[int, str, str]]:
        """A display that is never closed: its rows run to the next display, heading or the end of the document."""
        out = []
        for m in _OPENER.finditer(masked):
            line_start = masked.rfind("\n", 0, m.start()) + 1
            if re.match(r"\s*(%|<!--)", masked[line_start:m.start() + 1]):
                continue
            ends = [x.start() for x in (_OPENER.search(masked, m.end()), heading.search(masked, m.end()),
                                        re.compile(r"\\end\{document\}").search(masked, m.end())) if x is not None]
            end = min(ends, default=len(masked))
            # the opener's offset travels in the payload: the display's problem is located there
            out.append((m.end(), "unclosed", f"{m.start()}\x00{m.group(0)}\x00{self.text[m.end():end]}"))
        return out

    def _inline(self, masked: str, after: int) -> list[tuple[int, str, str]]:
        """``% derivcheck: inline``: the next paragraph's $…$ formulas are one display, a row each."""
        end = masked.find("\n\n", after + 1)
        end = len(masked) if end < 0 else end
        formulas = list(re.finditer(r"(?<![$\\])\$([^$]+)\$(?!\$)", masked[after:end]))
        if not formulas:
            return []
        first = after + formulas[0].start(1)
        body = [" "] * (after + formulas[-1].end(1) - first)
        for n, f in enumerate(formulas):  # keep every character's offset in the file
            at = after + f.start(1) - first
            body[at:at + len(f.group(1))] = f.group(1)
            if n:
                body[at - 3:at - 1] = "\\\\"
        return [(first, "display", "".join(body))]

    def _where(self, offset: int) -> str:
        line, col = self._line_col(offset)
        return f"{self.path}:{line}:{col}"

    def _line_col(self, offset: int) -> tuple[int, int]:
        import bisect

        line = bisect.bisect_right(self._lines, offset)
        return line, offset - self._lines[line - 1] + 1

    def _location(self, offset: int) -> Location:
        return Location(str(self.path), *self._line_col(offset))

    # -- declarations and directives
    def _need_state(self, offset: int) -> DeclarationScope:
        if self.state is None and self.implicit:
            ctx = Context(self.title)
            self.state = DeclarationScope(ctx, Notation(ctx))
        if self.state is None:
            raise InputError("declare a context first: % derivcheck: context NAME", self._where(offset))
        return self.state

    def _directive(self, text: str, offset: int) -> None:
        word, _, rest = text.partition(" ")
        rest = rest.strip()
        try:
            if word == "context":
                self.cursor.flush()
                self.segment += 1
                self.prose = [f for f in self.prose if f.offset > self.heading_at]  # the section's own statements
                self.stated = []
                ctx = Context(rest or self.title)
                self.state = DeclarationScope(ctx, Notation(ctx))
                self.cursor = Cursor()
                return
            state = self._need_state(offset)
            if word in ("then", "expect", "equation", "by", "skip", "aside", "start", "inline"):
                state.pending[word] = rest or True
                state.pending.setdefault("at", offset)
                return
            self._apply_prose(state)  # the text before this declaration comes first
            declare(state, word, rest, self._where(offset))
        except InputError as exc:
            self._bad_declaration(exc.message, offset, text)
        except DeclarationError as exc:
            self._bad_declaration(str(exc), offset, text)
        except (KeyError, IndexError, ValueError, TypeError) as exc:  # a malformed declaration, never a traceback
            self._bad_declaration(f"cannot read the declaration {quoted(text)} ({exc})", offset, text)

    def _bad_declaration(self, message: str, offset: int, text: str = "") -> None:
        """A declaration that cannot be read is an UNKNOWN step (an input problem) at its own line.

        The rest of the document is still read: rows that use a name it would have declared are
        UNKNOWN steps of their own. With no context yet, the whole document is an input error.
        """
        if self.state is None:
            raise InputError(message, self._where(offset))
        self.state.ctx.unread.append(message)  # it may have excluded a counterexample (no location: cache keys)
        self.state.ctx.unread_text.append(text)
        self.state.ctx.unread_where.append(self._where(offset))  # no counterexample is conclusive without it
        self.bad_declarations.append((message, offset))
        self._unreserve(text)  # what the text states about its names may be read instead
        if self.state.derivation is not None:
            self._report_bad_declarations(self.state.derivation)

    def _report_bad_declarations(self, d: Derivation) -> None:
        for message, offset in self.bad_declarations:
            step = Step(len(d.steps) + 1, "⊢", None, sp.Symbol("unparsed"), Justification("declaration"),
                        problem=f"{self._where(offset)}: this declaration cannot be read: {message}")
            step.location = self._location(offset)
            d.steps.append(step)
        self.bad_declarations.clear()

    # -- displays
    def _display(self, body: str, offset: int, unclosed: bool = False) -> None:
        state = self._need_state(offset)
        pending, state.pending = state.pending, {}
        if pending.get("skip"):  # prose: its statements declare, at the next display
            self.prose.append(ProseFormula(offset, body))
            return
        if state.derivation is None:
            state.derivation = derivation(self.title, state.ctx, section=_section_of(self.title),
                                          doc=f"Read from {self.path.name}.")
            state.derivation.id = f"{self.path.name}::{_slug(self.title)}"
            self.derivations.append(state.derivation)
            self.cursor.flush()
            self.cursor = Cursor()
            self._report_bad_declarations(state.derivation)
        self._stated(state, offset, [])
        self._apply_prose(state)
        builder = ChainBuilder(state.derivation, state.notation, self._where, self._location)
        if unclosed:
            opened, opener, body = body.split("\x00", 2)
            self._problem(state.derivation, int(opened), f"this display ({opener}) is never closed: close it "
                          "before the next display or section; its rows are read up to there")
        if pending.get("start"):
            self.cursor.flush()
            try:
                chain = state.derivation.chain(parse_formula(str(pending["start"]), state.notation))
                self.cursor = Cursor(chain)
            except (LatexInputError, InputError) as exc:
                self.cursor = Cursor(broken=f"{self._where(int(pending['at']))}: the start directive: {exc.message}")
        kept = copy.copy(self.cursor)
        rows = read_rows(body, offset, self._where)
        rows, breaks = self._statement_rows(rows, state)
        if pending.get("expect"):
            for r in rows:
                r.expect = r.expect or str(pending["expect"])
                check_expect(r)
        if pending.get("by") and rows:
            rows[0].justification = rows[0].justification or str(pending["by"])
        then = implication_of(str(pending["then"])) or "=" if pending.get("then") else None
        if pending.get("aside"):
            self.cursor = Cursor()
        for k, part in enumerate(split_at(rows, breaks)):
            if not part:
                continue
            if k:  # a statement row between them: the rows after it start afresh
                self.cursor.flush()
                self.cursor = Cursor()
            builder.build(display_items(part, then if k == 0 else None, bool(pending.get("equation")) and k == 0),
                          self.cursor)
        if pending.get("aside"):
            self.cursor.flush()
            self.cursor = kept  # a side calculation: later displays continue the main chain

    def _problem(self, d: Derivation, offset: int, reason: str) -> None:
        """A located UNKNOWN step for a problem of the document's structure (not of one row)."""
        import sympy as sp

        step = Step(len(d.steps) + 1, "⊢", None, sp.Symbol("unreadable"), Justification("as written"),
                    problem=f"{self._where(offset)}: {reason}")
        step.location = self._location(offset)
        d.steps.append(step)


def _section_of(title: str) -> str | None:
    m = re.match(r"\s*(\d+(?:\.\d+)*)", title)
    return m.group(1) if m else None


def _slug(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", title.lower()).strip("_") or "derivation"


def read_document(path: str | Path) -> list[Derivation]:
    """The derivations of a .tex or .md document (see the module docstring for the syntax)."""
    return DocumentReader(Path(path)).read()
