"""Matrix properties declared in comments (issue 14, item 2): used by the provers and drawn by the samplers.

Each property PROVES a true step that needs it and REFUTES a wrong one; the same step on a matrix
nobody declared with the property stays REFUTED.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import numpy as np
import pytest
import sympy as sp

from derivcheck_steps import Verdict, check_derivation
from derivcheck_steps.context import Context
from derivcheck_steps.errors import DeclarationError
from derivcheck_steps.latex.documents import read_document
from derivcheck_steps.sampling import draw_instances

P, R = Verdict.PROVED, Verdict.REFUTED


def _verdicts(tmp_path: Path, text: str) -> list[Verdict]:
    path = tmp_path / "notes.tex"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return [r.verdict for d in read_document(path) for r in check_derivation(d).steps]


def _doc(declarations: str, body: str) -> str:
    return rf"""
\documentclass{{article}}
\begin{{document}}
\section{{Matrices}}
% derivcheck: context matrices
% derivcheck: dims n
% derivcheck: vector x n
% derivcheck: vector y n
% derivcheck: vector b n
% derivcheck: vector w n
{declarations}
{body}
\end{{document}}
"""


QUADRATIC = r"""Setting the gradient of the quadratic to zero:
\[ \nabla_w \left( \frac{1}{2} w^\top A w - b^\top w \right) = RHS . \]
"""


@pytest.mark.parametrize("declaration", [
    "% derivcheck: matrix A n n symmetric",
    "% derivcheck: matrix A n n\n% derivcheck: symmetric A",
    "% derivcheck: matrix A n n\n% derivcheck: assume A = A^\\top",
    "% derivcheck: matrix A n n positive definite",
    "% derivcheck: matrix A n n psd",
])
def test_a_symmetric_matrix_proves_the_gradient_of_its_quadratic(tmp_path, declaration):
    assert _verdicts(tmp_path, _doc(declaration, QUADRATIC.replace("RHS", "A w - b"))) == [P]


def test_a_symmetric_matrix_still_refutes_a_wrong_gradient(tmp_path):
    assert _verdicts(tmp_path, _doc("% derivcheck: matrix A n n symmetric", QUADRATIC.replace("RHS", "A w + b"))) == [R]


def test_symmetry_of_a_matrix_nobody_declared_symmetric_stays_refuted(tmp_path):
    assert _verdicts(tmp_path, _doc("% derivcheck: matrix A n n", QUADRATIC.replace("RHS", "A w - b"))) == [R]


SWAP = r"""A bilinear form read both ways, for the symmetric $A$ and the general $B$:
\[ x^\top A y = y^\top A x \]
\[ x^\top B y = y^\top B x \]
\[ x^\top (A + B) y = y^\top A x + y^\top B^\top x \]
"""


def test_symmetry_is_used_for_the_declared_matrix_only(tmp_path):
    decl = "% derivcheck: matrix A n n symmetric\n% derivcheck: matrix B n n"
    assert _verdicts(tmp_path, _doc(decl, SWAP)) == [P, R, P]


DIAGONAL = r"""Diagonal scalings commute with each other, not with a general matrix:
\[ D E x = E D x \]
\[ (D x)^\top y = x^\top D y \]
\[ B D x = D B x \]
\[ D^{-1} E D x = E x \]
"""


def test_diagonal_matrices_commute_and_equal_their_transpose(tmp_path):
    decl = "% derivcheck: matrix D n n diagonal invertible\n% derivcheck: matrix E n n diagonal\n" \
           "% derivcheck: matrix B n n"
    assert _verdicts(tmp_path, _doc(decl, DIAGONAL)) == [P, P, R, P]


def test_two_general_matrices_do_not_commute(tmp_path):
    decl = "% derivcheck: matrix D n n\n% derivcheck: matrix E n n\n% derivcheck: matrix B n n"
    assert _verdicts(tmp_path, _doc(decl, DIAGONAL.replace(r"D^{-1} E D x = E x", "D x = D x")))[:3] == [R, R, R]


ORTHOGONAL = r"""A rotation keeps lengths and angles:
\[ (Q x)^\top (Q y) = x^\top y \]
\[ \|Q x\|^2 = \|x\|^2 \]
\[ Q^{-1} x = Q^\top x \]
\[ \|B x\|^2 = \|x\|^2 \]
\[ \|Q x\|^2 = 2 \|x\|^2 \]
"""


@pytest.mark.parametrize("declaration", [
    "% derivcheck: matrix Q n n orthogonal",
    "% derivcheck: identity I n\n% derivcheck: matrix Q n n\n% derivcheck: assume Q^\\top Q = I",
])
def test_an_orthogonal_matrix_keeps_lengths_and_a_general_one_does_not(tmp_path, declaration):
    decl = declaration + "\n% derivcheck: matrix B n n"
    assert _verdicts(tmp_path, _doc(decl, ORTHOGONAL)) == [P, P, P, R, R]


DEFINITE = r"""A quadratic form of a semidefinite matrix is never negative:
\[ x^\top S x \ge 0 \]
\[ S^\top + S = 2 S \]
"""


def test_a_semidefinite_form_is_not_refuted_and_a_general_one_is(tmp_path):
    ok = _verdicts(tmp_path, _doc("% derivcheck: matrix S n n psd", DEFINITE))
    assert ok[0] in (P, Verdict.CHECKED) and ok[1] == P
    assert _verdicts(tmp_path, _doc("% derivcheck: matrix S n n", DEFINITE)) == [R, R]


def test_an_invertible_matrix_cancels_against_its_inverse(tmp_path):
    body = r"\[ M^{-1} M x + M M^{-1} y = x + y \]" + "\n" + r"\[ M^{-1} M x = M x \]"
    assert _verdicts(tmp_path, _doc("% derivcheck: matrix M n n invertible", body)) == [P, R]


# -- the samplers draw exactly what the declaration allows ---------------------------------------------


def _drawn(prop: str, count: int = 12) -> list[np.ndarray]:
    ctx = Context("draws")
    (n,) = ctx.dims("n")
    m = ctx.matrix("M", n, n)
    ctx.matrix_property(m, *prop.split())
    return [np.array(inst.exact[m].tolist(), dtype=object) for inst in draw_instances(ctx, 7, count, 4)]


def _sym(a: np.ndarray) -> sp.Matrix:
    return sp.Matrix(a.tolist())


@pytest.mark.parametrize("prop, holds", [
    ("symmetric", lambda m: m == m.T),
    ("diagonal", lambda m: m.is_diagonal()),
    ("pd", lambda m: m == m.T and m.is_positive_definite),
    ("psd", lambda m: m == m.T and m.is_positive_semidefinite),
    ("orthogonal", lambda m: m.T * m == sp.eye(m.shape[0])),
    ("invertible", lambda m: m.det() != 0),
    ("diagonal pd", lambda m: m.is_diagonal() and all(m[i, i] > 0 for i in range(m.shape[0]))),
])
def test_every_instance_has_the_declared_property(prop, holds):
    draws = [_sym(a) for a in _drawn(prop) if a.shape[0] <= 4]
    assert draws and all(holds(m) for m in draws)


def test_orthogonal_instances_are_not_all_symmetric():
    # a product of two reflections: an orthogonal matrix that is not its own transpose, so QQ = I is refuted
    assert any(_sym(a) != _sym(a).T for a in _drawn("orthogonal") if a.shape[0] > 1)


def test_an_undrawable_combination_is_an_error():
    ctx = Context("clash")
    (n,) = ctx.dims("n")
    with pytest.raises(DeclarationError):
        ctx.matrix_property(ctx.matrix("M", n, n), "orthogonal", "pd")
    with pytest.raises(DeclarationError):
        ctx.matrix_property(ctx.matrix("X", n, 2), "symmetric")  # not square


def test_semidefinite_instances_include_singular_ones():
    # psd allows a zero eigenvalue: the draws meet it, so x^T S x > 0 is never CHECKED for a psd S
    assert any(_sym(a).det() == 0 for a in _drawn("psd", 24) if a.shape[0] > 1)
