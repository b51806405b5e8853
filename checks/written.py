"""The written form of an expression built in Python: what the author typed, for printing only.

SymPy evaluates an expression as it is built: ``(X*w - t).T*(X*w - t) + lam*w.T*w`` becomes
``λwᵀw + (−tᵀ + wᵀXᵀ)(Xw − t)``, so a step "transpose of a difference" prints exactly like the line
before it. (``with sympy.evaluate(False)`` does not help: matrix transposes are still distributed,
and SymPy 1.14 even drops a sign of ``a - 2*b*c`` under it.)

:func:`written_form` reads the argument's source where the step was written (``ast``, never
``eval``) and builds it twice from the same tree: once with the ordinary operators, which must
give exactly the expression the step checks (otherwise there is no written form), and once with
unevaluated nodes in the author's order and grouping, which is what writeups and reports print.
Names are read from the caller's variables; a name bound once at module level to a compound
expression (``loss = …``) is followed to its definition. Calls are followed only into SymPy and
derivcheck's own expression constructors; anything else gives no written form (the evaluated
form is printed, as before).
"""

from __future__ import annotations

import ast
import linecache
import operator
from collections.abc import Callable, Mapping
from types import FrameType
from typing import Any

import sympy as sp
from sympy.core.parameters import distribute as _distribute
from sympy.core.parameters import global_parameters
from sympy.matrices.expressions import Inverse, MatAdd, MatMul, MatPow, MatrixExpr, Transpose

MAX_DEPTH = 8  # how many module-level names are followed into their definitions


class _NotWritten(Exception):
    """The source cannot be rebuilt here: print the evaluated form."""


def _is_matrix(e: object) -> bool:
    return isinstance(e, MatrixExpr)


def _flat(cls: Any, a: Any, b: Any) -> list[sp.Basic]:
    return [*(a.args if type(a) is cls else (a,)), *(b.args if type(b) is cls else (b,))]


def _w_add(a: sp.Basic, b: sp.Basic) -> sp.Basic:
    if _is_matrix(a) or _is_matrix(b):
        return MatAdd(*_flat(MatAdd, a, b))
    return sp.Add(*_flat(sp.Add, a, b), evaluate=False)


def _w_neg(a: sp.Basic) -> sp.Basic:
    if isinstance(a, sp.Number):
        return -a
    return _w_mul(sp.S.NegativeOne, a)


def _factors(e: sp.Basic) -> tuple[sp.Basic, ...]:
    """The factors a product is written with (a scalar product 2λ beside a matrix is two factors: 2λw)."""
    return e.args if type(e) in (MatMul, sp.Mul) else (e,)


def _w_mul(a: sp.Basic, b: sp.Basic) -> sp.Basic:
    if _is_matrix(a) or _is_matrix(b):
        return MatMul(*_factors(a), *_factors(b))
    return sp.Mul(*_flat(sp.Mul, a, b), evaluate=False)


def _w_div(a: sp.Basic, b: sp.Basic) -> sp.Basic:
    if _is_matrix(b):
        raise _NotWritten("division by a matrix")
    if isinstance(a, sp.Integer) and isinstance(b, sp.Integer):
        return sp.Rational(a, b)
    return _w_mul(a, sp.Pow(b, -1, evaluate=False))


def _w_pow(a: sp.Basic, b: sp.Basic) -> sp.Basic:
    return MatPow(a, b) if _is_matrix(a) else sp.Pow(a, b, evaluate=False)


_EVALUATED: dict[type, Callable[[Any, Any], Any]] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
    ast.Pow: operator.pow,
    ast.MatMult: operator.matmul,
}
_WRITTEN: dict[type, Callable[[Any, Any], Any]] = {
    ast.Add: _w_add,
    ast.Sub: lambda a, b: _w_add(a, _w_neg(b)),
    ast.Mult: _w_mul,
    ast.Div: _w_div,
    ast.Pow: _w_pow,
    ast.MatMult: _w_mul,
}
_UNEVALUATED_CALLS = ("Eq", "Ne", "Le", "Lt", "Ge", "Gt", "Add", "Mul", "Pow", "MatMul", "MatAdd")


_CHEAP_FUNCTIONS = ("sqrt", "root", "cbrt")


def _constructor(f: object) -> bool:
    """SymPy's expression classes (Eq, Rational, exp, Sum, ZeroMatrix …), ``sqrt``, and derivcheck's E, Var, Cov.

    Never a function that computes (``simplify``, ``expand``, ``solve``) nor a method (``.subs``):
    rebuilding must not run the author's computations again.
    """
    module = getattr(f, "__module__", "") or ""
    if module == "derivcheck_steps.randomness":
        return isinstance(f, type)
    if not module.startswith("sympy."):
        return False
    return isinstance(f, type) or (getattr(f, "__name__", "") in _CHEAP_FUNCTIONS and module.startswith("sympy.functions"))


class _Builder:
    def __init__(self, names: Mapping[str, Any], module: ast.Module | None, depth: int = 0) -> None:
        self.names, self.module, self.depth = names, module, depth

    def both(self, node: ast.AST) -> tuple[Any, Any]:  # noqa: C901 - one case per kind of node
        """(evaluated, written) of ``node``."""
        if isinstance(node, ast.Constant) and isinstance(node.value, int) and not isinstance(node.value, bool):
            return node.value, sp.Integer(node.value)
        if isinstance(node, ast.Name):
            return self._name(node.id)
        if isinstance(node, ast.BinOp) and type(node.op) in _EVALUATED:
            (ea, wa), (eb, wb) = self.both(node.left), self.both(node.right)
            return _EVALUATED[type(node.op)](ea, eb), _WRITTEN[type(node.op)](_sym(wa), _sym(wb))
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
            e, w = self.both(node.operand)
            return (-e, _w_neg(_sym(w))) if isinstance(node.op, ast.USub) else (e, w)
        if isinstance(node, ast.Attribute) and node.attr in ("T", "I"):
            e, w = self.both(node.value)
            if not _is_matrix(e):
                raise _NotWritten(".T/.I of a non-matrix")
            return (e.T, Transpose(w)) if node.attr == "T" else (e.I, Inverse(w))
        if isinstance(node, ast.Call):
            return self._call(node)
        if isinstance(node, ast.Subscript):
            base, _ = self.both(node.value)
            index = node.slice.elts if isinstance(node.slice, ast.Tuple) else [node.slice]
            pairs = [self.both(i) for i in index]
            e = base[tuple(p[0] for p in pairs)] if len(pairs) > 1 else base[pairs[0][0]]
            return e, e
        raise _NotWritten(type(node).__name__)

    def _name(self, name: str) -> tuple[Any, Any]:
        if name not in self.names:
            raise _NotWritten(f"unknown name {name}")
        value = self.names[name]
        if isinstance(value, sp.Basic) and value.args and not isinstance(value, (sp.Symbol, sp.MatrixSymbol)):
            definition = self._definition(name)
            if definition is not None and self.depth < MAX_DEPTH:
                try:
                    e, w = _Builder(self.names, self.module, self.depth + 1).both(definition)
                    if e == value:
                        return value, w
                except _NotWritten:
                    pass
        return value, value

    def _definition(self, name: str) -> ast.expr | None:
        """The value of the one module-level ``name = …`` (None if it is bound more than once or otherwise)."""
        if self.module is None:
            return None
        found = []
        for stmt in self.module.body:
            targets = (
                stmt.targets
                if isinstance(stmt, ast.Assign)
                else [stmt.target]
                if isinstance(stmt, (ast.AnnAssign, ast.AugAssign))
                else []
            )
            if any(isinstance(t, ast.Name) and t.id == name for t in targets):
                found.append(stmt)
        if len(found) == 1 and isinstance(found[0], ast.Assign) and len(found[0].targets) == 1:
            return found[0].value
        return None

    def _callee(self, node: ast.expr) -> Any:
        if isinstance(node, ast.Name) and node.id in self.names:
            return self.names[node.id]
        if isinstance(node, ast.Attribute):
            return getattr(self._callee(node.value), node.attr)
        raise _NotWritten("callee")

    def _call(self, node: ast.Call) -> tuple[Any, Any]:
        try:
            f = self._callee(node.func)
        except AttributeError:
            raise _NotWritten("callee") from None
        if not _constructor(f):
            raise _NotWritten(f"call of {getattr(f, '__name__', f)}")
        pairs = [self.both(a) for a in node.args]
        kw = {}
        for k in node.keywords:
            if k.arg is None or not isinstance(k.value, ast.Constant):
                raise _NotWritten("keyword")
            kw[k.arg] = k.value.value
        e = f(*[p[0] for p in pairs], **kw)
        wargs = [_sym(p[1]) for p in pairs]
        if getattr(f, "__name__", "") in _UNEVALUATED_CALLS:
            w = MatMul(*wargs) if f is MatMul else f(*wargs, **{**kw, "evaluate": False})
        else:
            w = f(*wargs, **kw)
        return e, w


def _sym(x: Any) -> Any:
    return sp.Integer(x) if isinstance(x, int) else x


_TREES: dict[tuple[str, int], ast.Module | None] = {}
_CALLS: dict[int, dict[tuple[int, int], ast.Call]] = {}  # per parsed tree: each call by where its source span ends


def _module_tree(filename: str, lines: list[str] | None = None) -> ast.Module | None:
    """The parsed source of ``filename`` (parsed once per content)."""
    text = "".join(linecache.getlines(filename) if lines is None else lines)
    key = (filename, hash(text))
    if key not in _TREES:
        try:
            _TREES[key] = ast.parse(text) if text else None
        except (SyntaxError, ValueError):
            _TREES[key] = None
    return _TREES[key]


def _call_ending_at(tree: ast.Module, end_line: int, end_col: int) -> ast.Call | None:
    """The call whose source span ends at (``end_line``, ``end_col``) (the tree's calls indexed once)."""
    calls = _CALLS.get(id(tree))
    if calls is None:
        calls = {}
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and node.end_lineno is not None and node.end_col_offset is not None:
                calls.setdefault((node.end_lineno, node.end_col_offset), node)
        _CALLS[id(tree)] = calls
    return calls.get((end_line, end_col))


def _call_at(tree: ast.Module, frame: FrameType) -> ast.Call | None:
    """The call the frame is executing: the one whose source span ends where the current instruction's does."""
    end = _instruction_end(frame)
    return None if end is None else _call_ending_at(tree, *end)


def _instruction_end(frame: FrameType) -> tuple[int, int] | None:
    """Where the source span of the frame's current instruction ends (line, column)."""
    positions = list(frame.f_code.co_positions())
    index = frame.f_lasti // 2
    if index >= len(positions):
        return None
    _line, end_line, _col, end_col = positions[index]
    if end_line is None or end_col is None:
        return None
    return end_line, end_col


class Pending:
    """What :func:`written_form` needs, taken when the step is made; the written form is built on first use.

    Only reports and writeups print written forms, so a check that prints nothing never builds
    them (building one evaluates the author's expression again, twice). The caller's names are
    copied when the step is made, and SymPy's evaluation flags are restored when it is built, so
    the form is the one :func:`written_form` would have given then.
    """

    __slots__ = ("filename", "lines", "end", "names", "value", "argument", "flags", "_form", "_done")

    def __init__(self, frame: FrameType, value: sp.Basic, argument: int = 0) -> None:
        self.filename = frame.f_code.co_filename
        self.lines = linecache.getlines(self.filename)
        self.end = _instruction_end(frame)
        self.names = {**frame.f_builtins, **frame.f_globals, **frame.f_locals}
        self.value, self.argument = value, argument
        self.flags = (global_parameters.evaluate, global_parameters.distribute)
        self._form: sp.Basic | None = None
        self._done = False

    def resolve(self) -> sp.Basic | None:
        """The written form (None when there is none), built once."""
        if not self._done:
            self._form, self._done = self._build(), True
            self.names = {}  # the copy of the caller's names is no longer needed
        return self._form

    def _build(self) -> sp.Basic | None:
        if self.end is None:
            return None
        evaluate, distribute = self.flags
        with sp.evaluate(evaluate), _distribute(distribute):
            return _rebuild(_module_tree(self.filename, self.lines), self.end, self.names, self.value, self.argument)


def _rebuild(tree: ast.Module | None, end: tuple[int, int], names: Mapping[str, Any], value: sp.Basic,
             argument: int) -> sp.Basic | None:
    try:
        call = _call_ending_at(tree, *end) if tree is not None else None
        if call is None or len(call.args) <= argument:
            return None
        evaluated, written = _Builder(names, tree).both(call.args[argument])
        if not isinstance(written, sp.Basic) or _sym(evaluated) != value or written == value:
            return None
        return written
    except (_NotWritten, TypeError, ValueError, AttributeError, KeyError, IndexError, RecursionError):
        return None


def pending_form(frame: FrameType | None, value: sp.Basic, argument: int = 0) -> Pending | None:
    """The written form of ``value`` (see :func:`written_form`), to be built when it is first printed."""
    return None if frame is None else Pending(frame, value, argument)


def written_form(frame: FrameType | None, value: sp.Basic, argument: int = 0) -> sp.Basic | None:
    """The written form of ``value``, the ``argument``-th positional argument of the call ``frame`` is making.

    None when there is nothing to gain (it prints as the evaluated form) or the source cannot be
    rebuilt to exactly ``value``.
    """
    pending = pending_form(frame, value, argument)
    return None if pending is None else pending.resolve()
