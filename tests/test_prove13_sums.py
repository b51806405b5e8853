"""Equal sums compare equal (checks/sum_canonical.py): index-free factors move in and out of sums,
dummies are renamed canonically, 1×1 products are scalars in matrix identities (entrywise)."""

from __future__ import annotations

import textwrap
from pathlib import Path

import sympy as sp

from derivcheck_steps import Verdict, check_derivation
from derivcheck_steps.canonical import prove_zero
from derivcheck_steps.latex.documents import read_document
from derivcheck_steps.sum_canonical import sums_cancel


def _verdicts(tmp_path: Path, decls: str, rows: str) -> list[Verdict]:
    text = (
        "\\documentclass{article}\n\\begin{document}\n\\section{S}\n% derivcheck: context s\n"
        + textwrap.dedent(decls).strip()
        + "\n\\begin{align*}\n"
        + textwrap.dedent(rows).strip()
        + "\n\\end{align*}\n\\end{document}\n"
    )
    path = tmp_path / "s.tex"
    path.write_text(text, encoding="utf-8")
    return [r.verdict for d in read_document(path) for r in check_derivation(d).steps]


VECTORS = """
% derivcheck: dims d
% derivcheck: vector w d
% derivcheck: vector x d
% derivcheck: scalar t
% derivcheck: scalar \\sigma positive
% derivcheck: identity I d
"""


def test_bishop_gradient_regrouped_is_proved(tmp_path):
    rows = r"""
    2\left(w^\top x - t\right) x + 2\sigma^2 w &= 2\left(x x^\top + \sigma^2 I\right) w - 2 t x
    """
    assert _verdicts(tmp_path, VECTORS, rows) == [Verdict.PROVED]


def test_scalar_product_moves_both_ways(tmp_path):
    rows = r"""
    x x^\top w &= (w^\top x) x \\
    &= x (x^\top w)
    """
    assert _verdicts(tmp_path, VECTORS, rows) == [Verdict.PROVED, Verdict.PROVED]


def test_wrong_regrouping_is_refuted(tmp_path):
    # x xᵀ w ≠ w xᵀ x: the outer product does not commute with w
    rows = r"""
    (w^\top x) x &= w x^\top x
    """
    assert _verdicts(tmp_path, VECTORS, rows) == [Verdict.REFUTED]


def test_sums_with_factors_in_and_out_and_swapped_order():
    n, m = sp.symbols("n m", integer=True, positive=True)
    i, j, k = sp.symbols("i j k", integer=True)
    a, b, A = sp.IndexedBase("a"), sp.IndexedBase("b"), sp.IndexedBase("A")
    c = sp.Symbol("c")
    # a factor free of the index, inside or outside
    assert prove_zero(c * sp.Sum(a[i] * b[i], (i, 1, n)) - sp.Sum(b[k] * c * a[k], (k, 1, n))).proved
    # nested sums in either order, other dummy names
    left = sp.Sum(A[i, j] * a[i] * b[j], (j, 1, m), (i, 1, n))
    right = sp.Sum(sp.Sum(b[k] * A[j, k] * a[j], (j, 1, n)), (k, 1, m))
    assert prove_zero(left - right).proved
    # a product of sums is a double sum
    assert prove_zero(sp.Sum(a[i], (i, 1, n)) * sp.Sum(b[j], (j, 1, m)) - sp.Sum(a[i] * b[j], (i, 1, n), (j, 1, m))).proved
    # triangular bounds: the dependency is kept by the renaming
    tri = sp.Sum(a[i] * b[j], (j, 1, i), (i, 1, n))
    assert sums_cancel(tri - sp.Sum(sp.Sum(b[k] * a[j], (k, 1, j)), (j, 1, n)))


def test_unequal_sums_do_not_cancel():
    n, m = sp.symbols("n m", integer=True, positive=True)
    i, j = sp.symbols("i j", integer=True)
    a, b, A = sp.IndexedBase("a"), sp.IndexedBase("b"), sp.IndexedBase("A")
    # A_ij vs A_ji: a transpose is not a renaming
    lims = ((j, 1, m), (i, 1, n))
    assert not sums_cancel(sp.Sum(A[i, j] * a[i] * b[j], *lims) - sp.Sum(A[j, i] * a[i] * b[j], *lims))
    # a different range
    assert not sums_cancel(sp.Sum(a[i], (i, 1, n)) - sp.Sum(a[i], (i, 1, m)))
    # triangular vs rectangular
    assert not sums_cancel(sp.Sum(a[i] * b[j], (j, 1, i), (i, 1, n)) - sp.Sum(a[i] * b[j], (j, 1, n), (i, 1, n)))
    # (Σ a_i)² is not Σ a_i²
    assert not sums_cancel(sp.Sum(a[i], (i, 1, n)) ** 2 - sp.Sum(a[i] ** 2, (i, 1, n)))


def test_kronecker_delta_sets_an_index_only_within_its_range():
    n, m = sp.symbols("n m", integer=True, positive=True)
    i, j = sp.symbols("i j", integer=True)
    a = sp.IndexedBase("a")
    assert sums_cancel(sp.Sum(sp.KroneckerDelta(i, j) * a[j], (j, 1, n), (i, 1, n)) - sp.Sum(a[i], (i, 1, n)))
    # i runs to n, j only to m: δ_ij picks j = i only when i ≤ m
    assert not sums_cancel(sp.Sum(sp.KroneckerDelta(i, j) * a[j], (j, 1, m), (i, 1, n)) - sp.Sum(a[i], (i, 1, n)))


def test_one_by_one_products_against_sums_both_ways(tmp_path):
    decls = """
    % derivcheck: dims d
    % derivcheck: index j d
    % derivcheck: index k d
    % derivcheck: vector w d
    % derivcheck: vector x d
    % derivcheck: matrix A d d
    """
    rows = r"""
    x^\top w w^\top x &= (w^\top x)^2 \\
    &= \left(\sum_{j=1}^{d} w_j x_j\right)^2 \\
    &= \sum_{j=1}^{d}\sum_{k=1}^{d} w_j x_j w_k x_k \\
    &= (x^\top w)(w^\top x)
    """
    assert _verdicts(tmp_path, decls, rows) == [Verdict.PROVED] * 4
    rows = r"""
    (w^\top x)\, x^\top A w &= \sum_{j=1}^{d} w_j x_j \sum_{k=1}^{d} x_k (A w)_k \\
    &= w^\top x x^\top A w
    """
    assert _verdicts(tmp_path, decls, rows) == [Verdict.PROVED] * 2
    # wᵀx xᵀAw is not (wᵀx)(wᵀAx) for a general A: the transpose matters
    rows = r"""
    (w^\top x)\, x^\top A w &= \sum_{j=1}^{d} w_j x_j \sum_{k=1}^{d} w_k (A x)_k
    """
    assert _verdicts(tmp_path, decls, rows) == [Verdict.REFUTED]


def test_index_shift_and_one_term_sums():
    n = sp.Symbol("n", integer=True, positive=True)
    k, j = sp.symbols("k j", integer=True)
    a = sp.IndexedBase("a")
    assert sums_cancel(sp.Sum(a[k], (k, 1, n)) - sp.Sum(a[j + 1], (j, 0, n - 1)))
    assert sums_cancel(sp.Sum(a[k] * a[j], (k, 1, 1), (j, 1, n)) - a[1] * sp.Sum(a[j], (j, 1, n)))
    # a shift of the index without the summand's: wrong
    assert not sums_cancel(sp.Sum(a[k], (k, 1, n)) - sp.Sum(a[j], (j, 0, n - 1)))


def test_vanishing_end_terms_and_sums_inside_functions():
    n = sp.Symbol("n", integer=True, positive=True)
    k, j = sp.symbols("k j", integer=True)
    a, b = sp.IndexedBase("a"), sp.IndexedBase("b")
    # the k = 0 term vanishes; the k = n term of (k − n) a_k vanishes
    assert sums_cancel(sp.Sum(k * a[k], (k, 0, n)) - sp.Sum(k * a[k], (k, 1, n)))
    assert sums_cancel(sp.Sum((k - n) * a[k], (k, 1, n)) - sp.Sum((j - n) * a[j], (j, 1, n - 1)))
    # a term that does not vanish may not be dropped
    assert not sums_cancel(sp.Sum(k * a[k], (k, 0, n)) - sp.Sum(k * a[k], (k, 2, n)))
    assert not sums_cancel(sp.Sum((k + 1) * a[k], (k, 0, n)) - sp.Sum((k + 1) * a[k], (k, 1, n)))
    # a factor with a sum inside (a softmax denominator) moves into another sum
    s_a = sp.exp(sp.Sum(a[k], (k, 1, n)))
    assert sums_cancel(s_a * sp.Sum(b[j], (j, 1, n)) - sp.Sum(b[k] * sp.exp(sp.Sum(a[j], (j, 1, n))), (k, 1, n)))
    assert not sums_cancel(s_a * sp.Sum(b[j], (j, 1, n)) - sp.Sum(b[k] * sp.exp(sp.Sum(a[j], (j, 1, n - 1))), (k, 1, n)))
