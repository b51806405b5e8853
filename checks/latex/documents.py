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
    % derivcheck: random m i j bernoulli p      i.i.d. family: bernoulli P | normal MEAN VAR | moments MEAN VAR
    % derivcheck: independent m pi              two families independent of each other
    % derivcheck: centred x i                   Σ_i x_j^{(i)} = 0
    % derivcheck: assume x t > 0                a fact: REL with > 0, < 0 or \\neq 0
    % derivcheck: let \\tilde{y}^{(i)} = \\frac{1}{p}\\sum_j m_j^{(i)} w_j x_j^{(i)}   an abbreviation

Directives for the next display (or row, when written at the end of a row)::

    % derivcheck: then \\Rightarrow      the next display continues the previous chain with this relation
    % derivcheck: expect REFUTED        the step(s) of the next display must get this verdict
    % derivcheck: equation              the next display's first row is an equation (a premise), not a step
    % derivcheck: by TEXT               the justification of the next display's first step
    % derivcheck: skip                  the next display is prose, not a derivation

Each ``\\section``/``\\subsection`` (or Markdown heading) starts a new derivation titled by it. Displays
are ``align``/``align*``/``equation``/``gather`` (starred or not), ``\\[…\\]`` and ``$$…$$``; rows split at
``\\\\``, alignment ``&`` is ignored, ``&& \\text{…}``, ``\\tag{…}``, a ``% comment`` after a row, or a
``\\text{…}`` before a leading relation is the justification. Relations: ``=``, ``\\Rightarrow``,
``\\implies``, ``\\iff``, ``\\Leftrightarrow``; ``\\Rightarrow`` between two expressions (not equations)
reads as "rewrites to" and is checked as ``=``; ``a \\leftarrow b`` defines ``a``. A display that
starts with a relation continues the previous chain of its derivation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import sympy as sp

from checks.context import Context
from checks.errors import DeclarationError, InputError
from checks.latex.declarations import DeclarationScope, declare
from checks.latex.formulas import LatexInputError, Notation, parse_formula
from checks.model import Derivation, Differentiate, Justification, Solve, Step, derivation
from checks.verdict import Verdict

_ENV = re.compile(r"\\begin\{(align\*?|equation\*?|gather\*?|aligned|multline\*?)\}(.*?)\\end\{\1\}", re.S)
_DISPLAY = re.compile(r"\$\$(.*?)\$\$|\\\[(.*?)\\\]", re.S)
_HEADING_TEX = re.compile(r"\\(?:sub)*section\*?\{((?:[^{}]|\{(?:[^{}]|\{[^{}]*\})*\})*)\}")
_HEADING_MD = re.compile(r"^#{1,6}\s+(.*)$", re.M)
_DIRECTIVE = re.compile(r"^\s*(?:%|<!--)\s*derivcheck:\s*(.*?)\s*(?:-->)?\s*$")
_LEAD_RELATIONS = [(r"\Longleftrightarrow", "⇔"), (r"\Leftrightarrow", "⇔"), (r"\iff", "⇔"), (r"\Longrightarrow", "⇒"),
                   (r"\Rightarrow", "⇒"), (r"\implies", "⇒"), (r"\therefore", "⇒")]
_DIFF = re.compile(r"(?:deriv|differentiat|gradient)\w*.*?(?:w\.?r\.?t\.?|with respect to)\s*\$?\\?([A-Za-z]+)", re.I)


@dataclass
class _Position:
    path: str
    text: str

    def where(self, offset: int) -> str:
        line = self.text.count("\n", 0, offset) + 1
        col = offset - (self.text.rfind("\n", 0, offset) + 1) + 1
        return f"{self.path}:{line}:{col}"


@dataclass
class _Row:
    math: str
    offset: int
    justification: str = ""
    expect: str | None = None


class DocumentReader:
    """Turns one document into derivations; problems become UNKNOWN steps or InputErrors with file:line:col."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            self.text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise InputError(f"cannot read {path}: {exc}") from None
        self.pos = _Position(str(path), self.text)
        self.markdown = path.suffix.lower() in (".md", ".markdown")
        self.derivations: list[Derivation] = []
        self.state: DeclarationScope | None = None
        self.title = path.stem

    # -- the walk over the document
    def read(self) -> list[Derivation]:
        events = self._events()
        for offset, kind, payload in events:
            if kind == "directive":
                self._directive(payload, offset)
            elif kind == "heading":
                self.title = payload.strip()
                if self.state is not None:
                    self.state.derivation = None
                    self.state.chain = None
            else:
                self._display(payload, offset)
        return [d for d in self.derivations if d.steps]

    def _events(self) -> list[tuple[int, str, str]]:
        events: list[tuple[int, str, str]] = []
        masked = self.text
        spans: list[tuple[int, int]] = []
        for m in list(_DISPLAY.finditer(self.text)) + list(_ENV.finditer(self.text)):
            if any(s <= m.start() < e for s, e in spans):
                continue  # an environment inside a $$ display: the display is read once
            if m.re is _DISPLAY:
                group = 1 if m.group(1) is not None else 2
                body, start = m.group(group), m.start(group)
                inner = re.fullmatch(r"\s*\\begin\{(\w+\*?)\}(.*)\\end\{\1\}\s*", body, re.S)
                if inner is not None:
                    body, start = inner.group(2), start + inner.start(2)
            else:
                body, start = m.group(2), m.start(2)
            spans.append((m.start(), m.end()))
            events.append((start, "display", body))
            masked = masked[:m.start()] + " " * (m.end() - m.start()) + masked[m.end():]
        for m in re.finditer(r"\\begin\{(?:align|equation|gather|multline|aligned)\*?\}|\$\$|\\\[", masked):
            line_start = masked.rfind("\n", 0, m.start()) + 1
            if not re.match(r"\s*(%|<!--)", masked[line_start:m.start() + 1]):
                raise InputError(f"this display ({m.group(0)}) is never closed", self._where(m.start()))
        heading = _HEADING_MD if self.markdown else _HEADING_TEX
        events += [(m.start(), "heading", m.group(1)) for m in heading.finditer(masked)]
        for m in re.finditer(r"^.*$", masked, re.M):
            d = _DIRECTIVE.search(m.group(0))
            if d is not None:
                events.append((m.start() + d.start(), "directive", d.group(1)))
                if d.group(1).strip() == "inline":  # the next paragraph's $…$ formulas are one display, a row each
                    end = masked.find("\n\n", m.end() + 1)
                    end = len(masked) if end < 0 else end
                    formulas = list(re.finditer(r"(?<![$\\])\$([^$]+)\$(?!\$)", masked[m.end():end]))
                    if formulas:
                        first = m.end() + formulas[0].start(1)
                        body = [" "] * (m.end() + formulas[-1].end(1) - first)
                        for n, f in enumerate(formulas):  # keep every character's offset in the file
                            at = m.end() + f.start(1) - first
                            body[at:at + len(f.group(1))] = f.group(1)
                            if n:
                                body[at - 3:at - 1] = "\\\\"
                        events.append((first, "display", "".join(body)))
        return sorted(events, key=lambda e: e[0])

    def _where(self, offset: int) -> str:
        return self.pos.where(offset)

    # -- declarations and directives
    def _need_state(self, offset: int) -> DeclarationScope:
        if self.state is None:
            raise InputError("declare a context first: % derivcheck: context NAME", self._where(offset))
        return self.state

    def _directive(self, text: str, offset: int) -> None:
        word, _, rest = text.partition(" ")
        rest = rest.strip()
        try:
            if word == "context":
                ctx = Context(rest or self.title)
                self.state = DeclarationScope(ctx, Notation(ctx))
                return
            state = self._need_state(offset)
            if word in ("then", "expect", "equation", "by", "skip", "aside", "start", "inline"):
                state.pending[word] = rest or True
                return
            declare(state, word, rest, self._where(offset))
        except DeclarationError as exc:
            raise InputError(str(exc), self._where(offset)) from None
        except (KeyError, IndexError, ValueError, TypeError) as exc:  # a malformed declaration, never a traceback
            raise InputError(f"cannot read the declaration {text!r} ({type(exc).__name__}: {exc})",
                             self._where(offset)) from None

    def _formula(self, text: str, state: DeclarationScope, offset: int) -> sp.Basic:
        try:
            return parse_formula(text, state.notation)
        except LatexInputError as exc:
            raise InputError(exc.message, self._where(offset)) from None

    # -- displays
    def _display(self, body: str, offset: int) -> None:
        state = self._need_state(offset)
        pending, state.pending = state.pending, {}
        if pending.get("skip"):
            return
        if state.derivation is None:
            state.derivation = derivation(self.title, state.ctx, section=_section_of(self.title),
                                          doc=f"Read from {self.path.name}.")
            state.derivation.id = f"{self.path.name}::{_slug(self.title)}"
            self.derivations.append(state.derivation)
            state.chain = None
        if pending.get("start"):
            try:
                state.chain = state.derivation.chain(parse_formula(str(pending["start"]), state.notation))
            except LatexInputError as exc:
                raise InputError(exc.message, self._where(offset)) from None
        kept = state.chain
        rows = self._rows(body, offset)
        if pending.get("expect"):
            for r in rows:
                r.expect = r.expect or str(pending["expect"])
        if pending.get("by") and rows:
            rows[0].justification = rows[0].justification or str(pending["by"])
        items = self._items(rows, pending)
        if pending.get("aside"):
            state.chain = None
        self._build(items, state, pending)
        if pending.get("aside"):
            state.chain = kept  # a side calculation: later displays continue the main chain

    def _rows(self, body: str, offset: int) -> list[_Row]:
        rows = []
        start = 0
        for piece_start, piece in _split_rows(body):
            text = piece
            just = ""
            expect = None
            comment = re.search(r"(?<!\\)%(.*)$", text, re.M)
            if comment is not None:
                d = _DIRECTIVE.search(comment.group(0))
                if d is not None and d.group(1).startswith("expect"):
                    expect = d.group(1).split(None, 1)[1] if len(d.group(1).split()) > 1 else None
                elif d is None:
                    just = comment.group(1).strip()
                text = text[:comment.start()]
            tag = re.search(r"\\tag\*?\{([^}]*)\}", text)
            if tag is not None:
                just = just or tag.group(1).strip()
                text = text[:tag.start()] + text[tag.end():]
            text = re.sub(r"\\(label|eqref|ref)\{[^}]*\}|\\(nonumber|notag)\b", "", text)
            cells = _split_top(text, "&")
            if len(cells) >= 3 and re.fullmatch(r"\s*\\(text|textrm|mbox)\{.*\}\s*[.,]?\s*", cells[-1], re.S):
                just = just or re.sub(r"^\s*\\(text|textrm|mbox)\{(.*)\}\s*[.,]?\s*$", r"\2", cells[-1], flags=re.S)
                cells = cells[:-1]
            math = " ".join(c for c in cells).strip().rstrip(".,;")
            label = re.search(r"(\\q?quad\s*)?(\\(text|textrm|mbox)\{[^{}]*\}|[^\x00-\x7f])\s*$", math)
            if label is not None and label.start() > 0:  # "… \quad \text{②}": a label, not mathematics
                math = math[:label.start()].strip().rstrip(".,;")
            if math:
                rows.append(_Row(math, offset + piece_start + (len(piece) - len(piece.lstrip())), just, expect))
            start += len(piece)
        return rows

    def _items(self, rows: list[_Row], pending: dict) -> list[tuple[str | None, str, _Row, str]]:
        """(relation, formula, row, justification) in reading order.

        The relation is None for the start of a chain, "premise" for an equation that starts a chain
        of equations, or one of "=", "⇒", "⇔".
        """
        clauses: list[tuple[str | None, list[str], _Row, str]] = []
        for row in rows:
            text, just = row.math, row.justification
            if re.match(r"\s*\\(text|textrm|mbox)\{", text):  # "\text{expand} ⇒ …": the words justify the step
                pieces = _split_implications(text)
                if len(pieces) > 1 and pieces[0][0] is None:
                    words = re.sub(r"\\(text|textrm|mbox)\{([^}]*)\}", r"\2", pieces[0][1])
                    just = just or " ".join(words.split()).rstrip(":")
                    text = text[len(text) - len(text.lstrip()):]
                    text = text[_first_implication(text):]
            for rel, segment in _split_implications(text):
                parts = [p.strip() for p in _split_top(segment, "=")]
                if r"\leftarrow" in parts[0]:  # x' \leftarrow x - \epsilon w = …: define x', then a new chain
                    name, _, value = parts[0].partition(r"\leftarrow")
                    clauses.append(("define", [name.strip(), value.strip()], row, just))
                    rel, parts = None, [value.strip(), *parts[1:]]
                clauses.append((rel, parts, row, just))
                just = row.justification  # a leading justification belongs to the first relation only
        if clauses and clauses[0][0] is None and pending.get("then"):
            clauses[0] = (_leading_relation(str(pending["then"]))[0] or "=", *clauses[0][1:])
        items: list[tuple[str | None, str, _Row, str]] = []
        for k, (rel, parts, row, just) in enumerate(clauses):
            nxt = clauses[k + 1][0] if k + 1 < len(clauses) else None
            if rel == "define":
                items.append(("define", f"{parts[0]} \\leftarrow {parts[1]}", row, just))
            elif k == 0 and pending.get("equation") and len(parts) >= 2:
                items += [(rel, parts[0], row, just)] if len(parts) > 2 else []
                items += [("=", p, row, just) for p in parts[1:-1]]
                items.append(("premise", f"{parts[-2]} = {parts[-1]}", row, just))
            elif rel in ("⇒", "⇔") and len(parts) == 2:
                items.append((rel, f"{parts[0]} = {parts[1]}", row, just))
            elif rel is None and len(parts) == 2 and nxt in ("⇒", "⇔"):
                items.append(("premise", f"{parts[0]} = {parts[1]}", row, just))
            else:
                items.append((rel, parts[0], row, just))
                items += [("=", p, row, row.justification) for p in parts[1:]]
        return [it for it in items if it[1].strip()]

    def _build(self, items: list, state: DeclarationScope, pending: dict) -> None:  # noqa: C901
        d = state.derivation
        k = 0
        while k < len(items):
            rel, text, row, just = items[k]
            where = self._where(row.offset)
            if rel == "define":  # x' \leftarrow x - \epsilon w: later formulas may use x'
                name, _, value = text.partition(r"\leftarrow")
                state.notation.lets.append((name.strip(), value.strip()))
                k += 1
                continue
            text = re.sub(r"^\s*\\(arg)?\\?(min|max)_\{?[A-Za-z\\]+\}?\s*", "", text)
            try:
                formula = parse_formula(text, state.notation)
            except LatexInputError as exc:
                self._unknown(d, rel or "=", f"{where}: {exc.message}", just, row)
                state.chain = None
                k += 1
                continue
            is_eq = isinstance(formula, sp.Equality)
            if rel == "⇒" and not just and state.chain is not None and not is_eq \
                    and not isinstance(state.chain.last, sp.Equality):
                rel = None  # "⇒ expr" after an expression, with no justification: "so", a new result
            if rel in (None, "premise") or state.chain is None:
                nxt = items[k + 1][0] if k + 1 < len(items) else None
                if isinstance(formula, sp.Rel) and not is_eq and nxt is None:
                    d.claim(formula, by=just or "claim", expect=_expect(row))  # an inequality on its own
                    state.chain = None
                else:
                    state.chain = d.chain(formula)
                k += 1
                continue
            self._step(state, rel, formula, just, row)
            k += 1

    def _step(self, state: DeclarationScope, rel: str, formula: sp.Basic, just: str, row: _Row) -> None:
        chain = state.chain
        before = chain.last
        before_eq = isinstance(before, sp.Equality)
        after_eq = isinstance(formula, sp.Equality)
        by: Justification | str = just or "as written"
        m = _DIFF.search(just or "")
        try:
            if m is not None and not before_eq:
                var = state.notation.names.get(m.group(1)) or state.notation.names.get("\\" + m.group(1))
                if var is not None:
                    chain.eq(formula, by=Differentiate(just, var), expect=_expect(row))
                    return
            if before_eq and after_eq and rel in ("⇒", "⇔", "="):
                solved = _solved_for(formula, state)
                if solved is not None:
                    by = Solve(just or f"solve for {solved}", solved)
                (chain.iff if rel == "⇔" else chain.implies)(formula, by=by, expect=_expect(row))
            elif not before_eq and not after_eq:
                chain.eq(formula, by=by, expect=_expect(row))  # ⇒ between expressions reads as "rewrites to"
            else:
                self._unknown(state.derivation, rel, f"{self._where(row.offset)}: cannot join an "
                              f"{'equation' if before_eq else 'expression'} to an "
                              f"{'equation' if after_eq else 'expression'} with {rel}", just, row)
        except DeclarationError as exc:
            self._unknown(state.derivation, rel, f"{self._where(row.offset)}: {exc}", just, row)

    def _unknown(self, d: Derivation, rel: str, reason: str, just: str, row: _Row) -> None:
        step = Step(len(d.steps) + 1, rel, None, sp.Symbol("unparsed"), Justification(just or "as written"),
                    _expect(row), problem=reason)
        d.steps.append(step)


def _expect(row: _Row) -> Verdict | None:
    if not row.expect:
        return None
    try:
        return Verdict(row.expect.strip().upper())
    except ValueError:
        raise InputError(f"expect {row.expect!r}: use one of PROVED, CHECKED, REFUTED, UNKNOWN") from None


def _solved_for(formula: sp.Equality, state: DeclarationScope) -> sp.Basic | None:
    lhs = formula.lhs
    declared = set(state.notation.names.values())
    if lhs in declared and not formula.rhs.has(lhs) and isinstance(lhs, sp.Symbol | sp.MatrixSymbol):
        return lhs
    return None


def _leading_relation(text: str) -> tuple[str | None, str]:
    stripped = text.lstrip()
    for macro, rel in _LEAD_RELATIONS:
        if stripped.startswith(macro) and not stripped[len(macro):len(macro) + 1].isalpha():
            return rel, stripped[len(macro):]
    if stripped.startswith("=") and not stripped.startswith("=="):
        return "=", stripped[1:]
    return None, text


def _first_implication(text: str) -> int:
    """Offset of the first top-level ⇒/⇔ in ``text`` (len(text) if none)."""
    depth = 0
    for k, c in enumerate(text):
        if c in "{[(":
            depth += 1
        elif c in "}])":
            depth -= 1
        elif depth == 0 and c == "\\" and any(
                text.startswith(m, k) and not text[k + len(m):k + len(m) + 1].isalpha() for m, _ in _LEAD_RELATIONS):
            return k
    return len(text)


def _split_implications(text: str) -> list[tuple[str | None, str]]:
    """Split a row at top-level ⇒/⇔: [(leading relation or None, 'a = b'), ('⇒', 'c = d')]."""
    rel, rest = _leading_relation(text)
    out: list[tuple[str | None, str]] = []
    depth, start, k = 0, 0, 0
    while k < len(rest):
        c = rest[k]
        if c in "{[(":
            depth += 1
        elif c in "}])":
            depth -= 1
        elif depth == 0 and c == "\\":
            found = next(((r, len(m)) for m, r in _LEAD_RELATIONS
                          if rest.startswith(m, k) and not rest[k + len(m):k + len(m) + 1].isalpha()), None)
            if found is not None:
                out.append((rel, rest[start:k]))
                rel, k = found[0], k + found[1]
                start = k
                continue
        k += 1
    out.append((rel, rest[start:]))
    return [(r, seg) for r, seg in out if seg.strip()]


def _split_rows(body: str) -> list[tuple[int, str]]:
    out, depth, start, k = [], 0, 0, 0
    while k < len(body):
        c = body[k]
        if c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
        elif c == "\\" and body.startswith("\\\\", k) and depth == 0:
            out.append((start, body[start:k]))
            k += 2
            start = k
            continue
        k += 1
    out.append((start, body[start:]))
    return out


def _split_top(text: str, sep: str) -> list[str]:
    parts, depth, cur = [], 0, []
    for k, c in enumerate(text):
        if c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
        if c == sep and depth == 0 and (k == 0 or text[k - 1] != "\\"):
            parts.append("".join(cur))
            cur = []
        else:
            cur.append(c)
    parts.append("".join(cur))
    return parts


def _section_of(title: str) -> str | None:
    m = re.match(r"\s*(\d+(?:\.\d+)*)", title)
    return m.group(1) if m else None


def _slug(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", title.lower()).strip("_") or "derivation"


def read_document(path: str | Path) -> list[Derivation]:
    """The derivations of a .tex or .md document (see the module docstring for the syntax)."""
    return DocumentReader(Path(path)).read()
