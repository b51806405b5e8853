"""Explicit matrices written entry by entry, and the operations on them, carried out as they are read.

``\\begin{pmatrix} a & b \\\\ c & d \\end{pmatrix}`` (also ``bmatrix``, ``Bmatrix``, ``matrix``,
``smallmatrix``, ``array``) is a concrete SymPy matrix: rows at ``\\\\``, entries at ``&``, each entry
any scalar expression; ``vmatrix`` (and ``|…|`` around an explicit square matrix) is its determinant.
A column vector is one entry a row. A 1×1 result (``x^T M x`` with explicit ``x``) is its entry.

Operations whose operands have a fixed size are computed entry by entry as the formula is built:
products, sums, scalar multiples, ``^T``, ``^{-1}`` (adjugate over determinant), integer powers,
``\\det``, ``\\operatorname{tr}``; an identity ``I`` or a declared matrix of a fixed size beside an
explicit matrix is written out (``A`` as its entries). So a step between explicit
matrices compares entries, and the provers' entrywise forms decide it.

Entries that an operation computes are brought to one canonical form (``cancel``; sines and cosines
by ``trigsimp``, so a rotation's RᵀR is I), so equal entries are written alike — except that a factor
is cancelled only if it divides the determinant of a matrix the formula inverts (writing ``M^{-1}``
presupposes ``\\det M \\neq 0``): no other condition is ever dropped by reading.
"""

from __future__ import annotations

from contextvars import ContextVar

import sympy as sp

from derivcheck_steps.explicit_matrices import explicit_matrix
from derivcheck_steps.latex.formulas import Parser
from derivcheck_steps.latex.names import join
from derivcheck_steps.latex.tokens import Tok
from derivcheck_steps.quoting import quoted

#: the environments read as a matrix, and what each means
MATRIX_ENVIRONMENTS = {"pmatrix", "bmatrix", "Bmatrix", "matrix", "smallmatrix", "array", "pmatrix*", "bmatrix*"}
DETERMINANT_ENVIRONMENTS = {"vmatrix", "vmatrix*"}
_ELLIPSES = {r"\ldots", r"\vdots", r"\ddots", r"\dots"}
_IGNORED = {r"\hline", r"\hdashline"}

#: determinants of the matrices the formula being read inverts (their factors may be cancelled)
_INVERTED: ContextVar[tuple[sp.Expr, ...]] = ContextVar("inverted", default=())


def is_explicit(v: object) -> bool:
    """Whether ``v`` is a matrix given by its entries (a concrete SymPy matrix)."""
    return isinstance(v, sp.MatrixBase)


def is_fixed(v: object) -> bool:
    """Whether ``v`` is a matrix expression whose shape is two integers."""
    return isinstance(v, sp.MatrixExpr) and all(sp.sympify(d, strict=True).is_Integer for d in v.shape)


def reset() -> None:
    """Forget the inverted determinants: a new formula starts (``parse_formula``)."""
    _INVERTED.set(())


def environment(p: Parser, tok: Tok) -> sp.Basic:
    """``\\begin{pmatrix} … \\end{pmatrix}``: the explicit matrix (``vmatrix``: its determinant)."""
    if not p.at("{"):
        raise p.fail("\\begin needs the environment's name in braces: \\begin{pmatrix}", tok)
    name = join(p.raw_argument()).replace(" ", "")
    if name not in MATRIX_ENVIRONMENTS | DETERMINANT_ENVIRONMENTS:
        hint = ("cases: write each case as a row of its own, with its condition declared" if name == "cases"
                else "write each line as a row of the display" if name in ("aligned", "split", "gathered")
                else "matrices are read from pmatrix, bmatrix, Bmatrix, matrix, smallmatrix, array and vmatrix")
        raise p.fail(f"the environment {quoted(name)} is not read inside a formula: {hint}", tok)
    if name == "array" or (name.endswith("*") and p.at("[")):
        _column_spec(p, name)
    rows = _body(p, tok, name)
    values = [[_entry(p, cell, tok) for cell in row] for row in rows]
    width = len(values[0])
    for k, row in enumerate(values[1:], start=2):
        if len(row) != width:
            raise p.fail(f"row {k} of this matrix has {len(row)} entries and row 1 has {width}: every row needs "
                         "the same number (write 0 for an empty entry)", tok)
    m = explicit_matrix(values)
    if name in DETERMINANT_ENVIRONMENTS:
        return determinant(p, m, tok)
    return settled(m)


def _column_spec(p: Parser, name: str) -> None:
    if p.at("["):
        opener = p.next()
        while not p.at("]"):
            p.next("']'")
        p.expect("]", opener)
    elif name == "array":
        if not p.at("{"):
            raise p.fail("\\begin{array} needs its column specification: \\begin{array}{cc}", p.peek())
        p.raw_argument()


def _body(p: Parser, opener: Tok, name: str) -> list[list[list[Tok]]]:
    """The cells of the environment's body (rows at ``\\\\``, cells at ``&``, nested groups kept whole)."""
    rows: list[list[list[Tok]]] = [[[]]]
    depth = 0
    while True:
        t = p.next(f"\\end{{{name}}}")
        if t.text == r"\end" and depth == 0:
            end = join(p.raw_argument()).replace(" ", "") if p.at("{") else ""
            if end != name:
                raise p.fail(f"\\begin{{{name}}} at column {opener.column} is closed by \\end{{{end}}}", t)
            break
        if t.text in ("{", r"\begin"):
            depth += 1
        elif t.text in ("}", r"\end"):
            depth -= 1
        if depth == 0 and t.text == "\\\\":
            if p.at("["):  # \\[2pt]: spacing
                while not p.at("]"):
                    p.next("']'")
                p.next()
            rows.append([[]])
        elif depth == 0 and t.text == "&":
            rows[-1].append([])
        elif t.text not in _IGNORED:
            rows[-1][-1].append(t)
    if rows[-1] == [[]] and len(rows) > 1:  # a \\ before \end
        rows.pop()
    if rows == [[[]]]:
        raise p.fail(f"an empty {name}: write its entries", opener)
    return rows


def _entry(p: Parser, cell: list[Tok], at: Tok) -> sp.Expr:
    from derivcheck_steps.latex.notation import scalar

    if not cell:
        raise p.fail("an empty matrix entry: write 0 for a zero", at)
    dots = next((t for t in cell if t.text in _ELLIPSES), None)
    if dots is not None:
        raise p.fail("a matrix written with dots has no fixed entries: declare it (matrix A n n) and write its name",
                     dots)
    value = p.sub(cell)
    if isinstance(value, sp.MatrixExpr) and value.shape != (1, 1):
        raise p.fail("a matrix inside a matrix (a block matrix) is not read: write its entries", cell[0])
    return scalar(p, value, cell[0])


def settled(m: sp.Basic) -> sp.Basic:
    """An explicit result as the reader keeps it: a 1×1 matrix is its entry."""
    if is_explicit(m) and m.shape == (1, 1):
        return m[0, 0]
    return m


def explicit(v: sp.Basic) -> sp.Basic:
    """``v`` written out entry by entry when it is a matrix of a fixed size; otherwise ``v`` unchanged."""
    if is_explicit(v) or not is_fixed(v):
        return v
    return explicit_matrix(v.as_explicit())


def canonical_entries(m: sp.MatrixBase) -> sp.MatrixBase:
    """``m`` with each rational entry in canonical form, cancelling only factors of inverted determinants."""
    return explicit_matrix(m.shape[0], m.shape[1], [_canonical(x) for x in m])


def _canonical(x: sp.Expr) -> sp.Expr:
    if x.has(sp.sin, sp.cos) and not x.has(sp.tan, sp.cot, sp.sec, sp.csc):  # RᵀR of a rotation: cos² + sin² is 1
        den = sp.denom(sp.together(x))
        if not den.free_symbols or any(sp.expand(den - d) == 0 or sp.expand(den + d) == 0 for d in _INVERTED.get()):
            return sp.trigsimp(x)  # no denominator but an inverted determinant: nothing else can be cancelled
        return x
    if x.is_polynomial() or not x.is_rational_function():
        return x
    together = sp.together(x)
    den = sp.denom(together)
    form = sp.cancel(together)
    removed = sp.cancel(den / sp.denom(form))
    if removed.free_symbols and not _divides_inverted(removed):
        return together  # cancelling would drop a condition the formula does not give
    return form


def _divides_inverted(factor: sp.Expr) -> bool:
    """Whether every non-constant factor of ``factor`` divides the determinant of an inverted matrix."""
    _, factors = sp.factor_list(factor)
    return all(any(_divides(f, d) for d in _INVERTED.get()) for f, _ in factors)


def _divides(f: sp.Expr, d: sp.Expr) -> bool:
    """Whether the polynomial ``f`` divides ``d`` (one division: a zero remainder means d = q·f)."""
    gens = sorted(f.free_symbols | d.free_symbols, key=str)
    try:
        return sp.div(sp.expand(d), f, *gens)[1] == 0
    except (sp.PolynomialError, ValueError, TypeError):
        return False


def combine(p: Parser, op: str, a: sp.Basic, b: sp.Basic, at: Tok) -> sp.Basic:
    """``a op b`` where one side is an explicit matrix: the other written out if it has a fixed size."""
    a, b = explicit(a), explicit(b)
    am, bm = isinstance(a, sp.MatrixExpr), isinstance(b, sp.MatrixExpr)
    if am and bm and not (is_explicit(a) and is_explicit(b)):
        return None  # an explicit matrix beside one of symbolic size: SymPy's matrix algebra, shapes checked
    if op == "*":
        if am and bm and a.shape[1] != b.shape[0]:
            raise sp.ShapeError
        value = a * b
    elif op == "/":
        value = a * (1 / b)
    elif am != bm:
        return None  # a matrix plus a scalar: the caller says why not
    else:
        if a.shape != b.shape:
            raise sp.ShapeError
        value = a + b if op == "+" else a - b
    return settled(canonical_entries(value))


def determinant(p: Parser, m: sp.MatrixBase, at: Tok) -> sp.Expr:
    """The determinant of an explicit square matrix."""
    if m.shape[0] != m.shape[1]:
        raise p.fail(f"the determinant of a {m.shape[0]}×{m.shape[1]} matrix: it needs a square matrix", at)
    return m.det(method="berkowitz")


def trace(p: Parser, m: sp.MatrixBase, at: Tok) -> sp.Expr:
    """The trace of an explicit square matrix."""
    if m.shape[0] != m.shape[1]:
        raise p.fail(f"the trace of a {m.shape[0]}×{m.shape[1]} matrix: it needs a square matrix", at)
    return m.trace()


def power(p: Parser, m: sp.MatrixBase, exponent: sp.Expr, at: Tok) -> sp.Basic:
    """``m^{-1}`` (the adjugate over the determinant, remembered for cancelling) or ``m^k`` for k ≥ 1."""
    if m.shape[0] != m.shape[1]:
        raise p.fail(f"a power of a {m.shape[0]}×{m.shape[1]} matrix: it needs a square matrix", at)
    if exponent == -1:
        det = determinant(p, m, at)
        if sp.expand(det) == 0:
            raise p.fail("this matrix has no inverse: its determinant is 0", at)
        _INVERTED.set((*_INVERTED.get(), det))
        return settled(canonical_entries(m.adjugate(method="berkowitz") / det))
    if exponent.is_Integer and exponent > 0:
        return settled(canonical_entries(m ** int(exponent)))
    raise p.fail("a matrix power must be a positive integer (or -1 for the inverse)", at)


def beside(before: sp.Basic, after: sp.Basic) -> sp.Basic:
    """``after`` as the next expression of a chain after ``before``: a flexible identity ``I`` takes the size
    of ``before`` (an equation demands the same shape), and beside an explicit matrix a matrix of a fixed
    size is written out, so the step compares entries."""
    from derivcheck_steps.identities import fit_identities

    if not isinstance(before, sp.MatrixExpr) or not isinstance(after, sp.MatrixExpr):
        return after
    try:
        _, after = fit_identities("=", before, after)
    except sp.ShapeError:
        return after
    if is_explicit(before) and not is_explicit(after):
        after = explicit(after)
    return after


def adjugate(p: Parser, tok: Tok) -> sp.Basic:
    """``\\operatorname{adj}`` of an explicit square matrix: its adjugate (the transposed cofactors)."""
    from derivcheck_steps.latex.calculus import function_argument

    m = function_argument(p, tok)[0]
    if not is_explicit(m) or m.shape[0] != m.shape[1]:
        raise p.fail("\\operatorname{adj} is read for a square matrix written entry by entry; for a declared A "
                     "write \\det(A) A^{-1}", tok)
    return settled(canonical_entries(m.adjugate(method="berkowitz")))
