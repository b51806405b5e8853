"""Read one LaTeX formula into SymPy, in the notation of a Context: a precedence (Pratt) parser.

Tokens come from :mod:`derivcheck_steps.latex.tokens`; what each construct means comes from the notation
table in :mod:`derivcheck_steps.latex.notation` (one entry per construct: trigger, precedence, builder).
This module holds the parser loop, names and their subscripts, and :func:`parse_formula`.

Rules that do not change: every name is declared (an undeclared one is a located error that says
what to write); declared matrices keep their transposes and products are shape-checked as they are
built; a decimal is the exact rational its digits say; ``2\\frac12`` is 2·½; no lower-casing; ``I``,
``e``, ``\\gamma`` are only what is declared (``e^{x}`` and ``\\mathrm{e}`` are Euler's number);
nothing from the input is evaluated as code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import sympy as sp

from derivcheck_steps.context import Context
from derivcheck_steps.errors import InputError
from derivcheck_steps.latex.names import GREEK as _GREEK
from derivcheck_steps.latex.names import LETTERS, canonical_name, declare_hint, is_name, latex_key
from derivcheck_steps.latex.tokens import Tok, TokenError, tokenize
from derivcheck_steps.quoting import quoted


class LatexInputError(InputError):
    """A formula could not be read; the message says where in the formula and what to write instead."""


class Approx(sp.Basic):
    """``a \\approx b``: read, but an approximation is not a claim derivcheck checks."""

    @property
    def lhs(self) -> sp.Basic:
        """The left side."""
        return self.args[0]

    @property
    def rhs(self) -> sp.Basic:
        """The right side."""
        return self.args[1]


@dataclass
class FunctionDecl:
    """A declared function: by its definition (``params``, ``body``) or opaque (``body`` None)."""

    key: str
    params: tuple[sp.Symbol, ...] = ()
    body: sp.Basic | None = None
    elementwise: bool = False

    def opaque(self) -> sp.FunctionClass:
        """The undefined SymPy function standing for an opaque declared function."""
        return sp.Function(re.sub(r"\W", "", self.key) or "f", real=True)


@dataclass
class Notation:
    """What the formula's names mean: the Context plus abbreviations (``let``) and declared functions."""

    ctx: Context
    lets: list[tuple[str, str]] = field(default_factory=list)  # (LaTeX pattern, LaTeX replacement)
    identity: dict[str, sp.Basic] = field(default_factory=dict)  # name -> Identity(n)
    names: dict[str, sp.Basic] = field(default_factory=dict)  # canonical LaTeX name -> declared object
    spellings: dict[str, sp.Basic] = field(default_factory=dict)  # multi-token LaTeX spelling -> object
    functions: dict[str, FunctionDecl] = field(default_factory=dict)  # canonical name -> function

    def __post_init__(self) -> None:
        ctx = self.ctx
        for obj in (*ctx.scalars, *ctx.dims_, *ctx.indices, *ctx.matrices, *ctx.definitions):
            self.names.setdefault(latex_key(obj.name, ctx.latex_names.get(obj)), obj)
        for base in (*ctx.data, *(f.base for f in ctx.families.values())):
            self.names.setdefault(latex_key(str(base.label), ctx.latex_names.get(base)), base)

    def spell(self, src: str) -> str:
        """Replace declared multi-token spellings (``\\nabla\\mathcal{L}``) by references."""
        if not self.spellings:
            return src
        alternatives = "|".join(re.escape(x) for x in sorted(self.spellings, key=lambda x: (-len(x), x)))
        return re.sub(alternatives, lambda m: rf" \dcref{{{m.group(0)}}} ", src)  # one pass: no overlaps

    def let_for(self, key: str) -> str | None:
        """The replacement of a 'let' whose pattern is the name ``key`` however it is spelled, or None."""
        for pattern, replacement in reversed(self.lets):
            if is_name(pattern) and canonical_name(pattern) == key:
                return replacement
        return None

    def expand_lets(self, src: str) -> str:
        """Replace every abbreviation (in declaration order, repeatedly: one may use another)."""
        for _ in range(10):
            before = src
            for pattern, replacement in self.lets:
                # a whole name only: x_j does not match the start of x_j^{(i)} or x_{jk}
                if re.search(r"\w$", pattern):
                    regex = re.escape(pattern) + r"(?![\^_'A-Za-z0-9{])"
                elif re.search(r"[})\]]$", pattern):
                    regex = re.escape(pattern) + r"(?![\^_'])"
                else:
                    regex = re.escape(pattern)
                if re.match(r"[A-Za-z]", pattern):  # m_j is not the end of \sum_j
                    regex = r"(?<![A-Za-z\\])" + regex
                src = re.sub(regex, lambda _m, r=replacement: r"\left(" + r + r"\right)", src)
            if src == before:
                return src
        raise LatexInputError("the 'let' abbreviations expand without end (one refers to itself)")


#: binding powers of the parser: relations < sums < products (and juxtaposition) < unary minus < postfix
SUM, PRODUCT, UNARY, POSTFIX = 20, 30, 35, 50
_STARTS_NOTHING = {")", "]", r"\}", "}", ",", "=", "<", ">", r"\le", r"\ge", r"\neq", r"\approx", ":", "+", "-",
                   "^", "_", "'", "!", "/", r"\cdot", r"\times", "*", ";", r"\mid", r"\in", r"\to", r"\sim"}


_ATOMS = LETTERS | {r"\top", r"\star", r"\ast", r"\prime", r"\infty", r"\intercal"}


def _is_number(tok: Tok) -> bool:
    return tok.text[0].isdigit() or (tok.text[0] == "." and len(tok.text) > 1)


def bound_range_key(index: sp.Symbol) -> str:
    """The key under which a parser's ``local`` keeps the range ``(lo, hi)`` of a summation index
    (never a LaTeX name, so no written name finds it)."""
    return f"\x00range {index.name}"


class Parser:
    """Tokens -> SymPy, one formula; the notation table supplies what each trigger builds."""

    def __init__(self, notation: Notation, src: str, toks: list[Tok], local: dict | None = None) -> None:
        self.n, self.src, self.toks, self.k = notation, src, toks, 0
        self.local: dict[str, sp.Basic] = dict(local or {})  # bound names: summation indices, parameters
        self.closers: list[str] = []  # delimiters that close an enclosing group ("|", "\\|")

    # -- the token stream
    def peek(self, ahead: int = 0) -> Tok | None:
        """The token ``ahead`` positions on, or None at the end."""
        k = self.k + ahead
        return self.toks[k] if k < len(self.toks) else None

    def at(self, *texts: str) -> bool:
        """Whether the next token is one of ``texts``."""
        tok = self.peek()
        return tok is not None and tok.text in texts

    def next(self, what: str = "more of the formula") -> Tok:
        """Consume and return the next token; at the end, an error saying what was expected."""
        tok = self.peek()
        if tok is None:
            last = self.toks[-1] if self.toks else None
            raise self.fail(f"the formula ends where {what} was expected", last)
        self.k += 1
        return tok

    def expect(self, text: str, opener: Tok | None = None) -> Tok:
        """Consume ``text`` or fail, naming the opener it would close."""
        tok = self.peek()
        if tok is None or tok.text != text:
            if opener is not None:
                raise self.fail(f"'{opener.text}' opened at column {opener.column} is never closed by '{text}'", opener)
            raise self.fail(f"expected '{text}'", tok or (self.toks[-1] if self.toks else None))
        self.k += 1
        return tok

    def fail(self, message: str, tok: Tok | None = None) -> LatexInputError:
        """A located input error (column in the formula)."""
        if tok is None:
            return LatexInputError(message)
        return LatexInputError(f"{message} (at column {tok.column}: {quoted(self.src[tok.pos:tok.pos + 16])})")

    # -- the Pratt loop
    def expression(self, rbp: int = 0) -> sp.Basic:
        """An expression whose operators all bind tighter than ``rbp``."""
        from derivcheck_steps.latex.notation import infix_entry, prefix_entry

        tok = self.next("an expression")
        left = prefix_entry(self, tok)(self, tok)
        while True:
            tok = self.peek()
            if tok is None:
                return left
            entry = infix_entry(self, tok)
            if entry is not None:
                if entry.precedence <= rbp:
                    return left
                self.k += 1
                left = entry.build(self, left, tok)
            elif self.starts_factor(tok) and PRODUCT > rbp:  # juxtaposition is a product
                if _is_number(tok) and self.k and _is_number(self.toks[self.k - 1]):
                    raise self.fail("two numbers side by side read as one in TeX: write 2 \\cdot 3, or 23", tok)
                left = self.binary("*", left, self.expression(PRODUCT), tok)
            else:
                return left

    def starts_factor(self, tok: Tok) -> bool:
        """Whether ``tok`` can begin a factor of an implicit product here."""
        if tok.text in _STARTS_NOTHING or tok.sized == "right":
            return False
        if tok.text in ("|", r"\|") and self.closers and self.closers[-1] == tok.text and tok.sized != "left":
            return False
        from derivcheck_steps.latex.notation import is_relation

        return not is_relation(tok.text)

    def sub(self, toks: list[Tok], local: dict | None = None) -> sp.Basic:
        """Parse a separate token list (an argument read raw) as one whole expression."""
        if not toks:
            raise self.fail("an empty expression", self.peek())
        inner = Parser(self.n, self.src, toks, {**self.local, **(local or {})})
        value = inner.expression()
        if inner.peek() is not None:
            raise inner.fail(f"unexpected '{inner.peek().text}'", inner.peek())
        return value

    def raw_argument(self) -> list[Tok]:
        """A macro argument's tokens: a ``{…}`` group's inside, or a single token (``\\frac12``: the digit 1)."""
        tok = self.next("an argument")
        if tok.text == "{":
            depth, start = 1, self.k
            while depth:
                t = self.next("'}'")
                depth += {"{": 1, "}": -1}.get(t.text, 0)
            return self.toks[start:self.k - 1]
        if len(tok.text) > 1 and tok.text[0].isdigit():  # one digit is one argument, as in TeX
            self.toks[self.k - 1:self.k] = [Tok(tok.text[0], tok.pos), Tok(tok.text[1:], tok.pos + 1)]
            return [self.toks[self.k - 1]]
        if tok.text.startswith("\\") and tok.text[1:].isalpha() and tok.text not in _ATOMS:
            # x^\frac12, \sqrt\frac12: a command and its arguments
            start = self.k - 1
            self.k = start
            Parser.primary(self)
            return self.toks[start:self.k]
        return [tok]

    def argument(self) -> sp.Basic:
        """A macro argument read as an expression."""
        return self.sub(self.raw_argument())

    def primary(self) -> sp.Basic:
        """One prefix construct without any operator after it."""
        from derivcheck_steps.latex.notation import prefix_entry

        tok = self.next("an expression")
        return prefix_entry(self, tok)(self, tok)

    def group(self, opener: Tok, closer: str) -> sp.Basic:
        """The expression up to ``closer`` (consumed)."""
        self.closers.append(closer)
        try:
            value = self.expression()
        finally:
            self.closers.pop()
        if not self.at(closer):
            tok = self.peek()
            raise self.fail(f"'{opener.text}' opened at column {opener.column} is never closed by '{closer}'"
                            + (f"; found '{tok.text}'" if tok is not None else ""), tok or opener)
        self.k += 1
        return value

    def binary(self, op: str, a: sp.Basic, b: sp.Basic, at: Tok) -> sp.Basic:
        """``a op b`` built by SymPy, with shapes checked: a mismatch is a located error."""
        from derivcheck_steps.latex.notation import combine

        return combine(self, op, a, b, at)

    # -- names
    def name(self, first: Tok) -> sp.Basic:
        """A name with its primes, subscript and superscript: a declared object or an error saying what to add."""
        from derivcheck_steps.latex.notation import resolve_name

        return resolve_name(self, first)


def parse_formula(src: str, notation: Notation, *, local: dict[str, sp.Basic] | None = None) -> sp.Basic:
    """One formula (expression, relation, or ``a \\approx b``) in the notation; raises LatexInputError.

    ``local`` names bound variables (a declared function's parameters) by their canonical LaTeX key.
    """
    try:
        value = _parse(src, notation, local)
    except TokenError as exc:
        raise LatexInputError(exc.message) from None
    except LatexInputError:
        raise
    except RecursionError:
        raise LatexInputError("the formula nests too deeply to read") from None
    except (TypeError, ValueError, AttributeError, IndexError, KeyError, ArithmeticError, NotImplementedError,
            sp.ShapeError) as exc:  # SymPy refused to build what was read; no internals in the message
        raise LatexInputError(f"cannot read {quoted(src.strip())}: its parts do not combine "
                              f"({type(exc).__name__.replace('Error', '').lower() or 'error'})") from None
    if not isinstance(value, sp.Expr | sp.MatrixExpr | sp.Rel | Approx):
        raise LatexInputError(f"cannot read {quoted(src.strip())}: it is not a formula")
    if isinstance(value, sp.MatrixExpr) and value.shape == (1, 1) and value.has(sp.Identity(1)):
        from derivcheck_steps.latex.families import entry

        return entry(value, 0, 0)  # (w^T x - t)^2 + c: a 1×1 product met a scalar, so the formula is a scalar
    return value


def _parse(src: str, notation: Notation, local: dict | None) -> sp.Basic:
    from derivcheck_steps.latex import matrix_literals
    from derivcheck_steps.latex.notation import relation

    text = notation.spell(notation.expand_lets(src))
    toks = tokenize(text)
    if not toks:
        raise LatexInputError("an empty formula")
    parser = Parser(notation, text, toks, local)
    matrix_literals.reset()
    value = relation(parser)
    if parser.peek() is not None:
        tok = parser.peek()
        raise parser.fail(f"unexpected '{tok.text}'", tok)
    if matrix_literals.is_fixed(value) and not value.atoms(sp.MatrixSymbol):  # (ad - bc) I with I of size 2
        return matrix_literals.settled(matrix_literals.explicit(value))
    return value


def notation_for(ctx: Context, expr: sp.Basic | None = None) -> Notation:
    """The notation in which derivcheck's printer writes ``ctx``: for reading printed output back."""
    from derivcheck_steps.latex.printer import expr_latex

    notation = Notation(ctx)
    for obj in (*ctx.scalars, *ctx.matrices):
        spelling = expr_latex(obj, ctx)
        if not is_name(spelling) or canonical_name(spelling) != latex_key(obj.name, ctx.latex_names.get(obj)):
            notation.spellings[spelling] = obj
    if expr is not None:
        for ident in expr.atoms(sp.Identity):
            notation.identity["I"] = ident
    return notation


__all__ = ["Approx", "FunctionDecl", "LatexInputError", "Notation", "Parser", "_GREEK", "declare_hint",
           "notation_for", "parse_formula"]
