"""Deliberately wrong steps written by a user are REFUTED, never PROVED; right ones are PROVED."""

from __future__ import annotations

import sympy as sp

from derivcheck_steps import Context, Verdict, check_derivation, derivation, differentiate, solve


def _verdicts(d):
    return [s.verdict for s in check_derivation(d).steps]


def _matrix_ctx():
    ctx = Context("square")
    (n,) = ctx.dims("n")
    A = ctx.matrix("A", n, n)
    w = ctx.vector("w", n)
    return ctx, n, A, w


def test_swapped_transpose_in_a_matrix_product_is_refuted():
    ctx, n, A, w = _matrix_ctx()
    d = derivation("wrong transpose", ctx)
    d.chain(A.T * A * w).eq(A * A.T * w, by="user error: AᵀAw = AAᵀw")
    res = check_derivation(d).steps[0]
    assert res.verdict == Verdict.REFUTED
    assert res.counterexample and "A" in res.counterexample and "w" in res.counterexample
    assert res.residual and "A" in res.residual


def test_dropped_transpose_is_refuted_and_correct_transpose_is_proved():
    ctx, n, A, w = _matrix_ctx()
    d = derivation("transpose", ctx)
    d.chain((A * w).T).eq(w.T * A, by="user error: (Aw)ᵀ = wᵀA")
    d.chain((A * w).T).eq(w.T * A.T, by="transpose of a product")
    assert _verdicts(d) == [Verdict.REFUTED, Verdict.PROVED]


def test_matrix_products_do_not_commute():
    ctx, n, A, w = _matrix_ctx()
    B = ctx.matrix("B", n, n)
    d = derivation("commute", ctx)
    d.chain(A * B * w).eq(B * A * w, by="user error")
    assert _verdicts(d) == [Verdict.REFUTED]


def test_dropped_factor_of_two_in_a_scalar_expansion_is_refuted():
    ctx = Context("scalars")
    a, b = ctx.scalar("a"), ctx.scalar("b")
    d = derivation("square", ctx)
    d.chain((a + b) ** 2).eq(a**2 + a * b + b**2, by="user error: dropped the 2")
    d.chain((a + b) ** 2).eq(a**2 + 2 * a * b + b**2, by="expand")
    assert _verdicts(d) == [Verdict.REFUTED, Verdict.PROVED]


def test_gradient_missing_a_factor_of_two_is_refuted():
    ctx = Context("ridge")
    N, n = ctx.dims("N n")
    X, w, t = ctx.matrix("X", N, n), ctx.vector("w", n), ctx.vector("t", N)
    lam = ctx.scalar("lambda", positive=True)
    loss = (X * w - t).T * (X * w - t) + lam * w.T * w
    d = derivation("gradient", ctx)
    d.chain(loss).eq(X.T * X * w - X.T * t + lam * w, by=differentiate(w, "user error: forgot the 2"))
    d.chain(loss).eq(2 * X.T * X * w - 2 * X.T * t + 2 * lam * w, by=differentiate(w))
    assert _verdicts(d) == [Verdict.REFUTED, Verdict.PROVED]


def test_wrong_solution_of_a_scalar_equation_is_refuted():
    ctx = Context("linear")
    a = ctx.scalar("a", nonzero=True)
    b, x = ctx.scalar("b"), ctx.scalar("x")
    d = derivation("solve", ctx)
    d.chain(sp.Eq(a * x + b, 0)).iff(sp.Eq(x, b / a), by=solve(x, "user error: sign"))
    d.chain(sp.Eq(a * x + b, 0)).iff(sp.Eq(x, -b / a), by=solve(x))
    assert _verdicts(d) == [Verdict.REFUTED, Verdict.PROVED]


def test_equivalence_that_needs_a_nonzero_divisor_is_not_proved():
    ctx = Context("divide")
    a, x = ctx.scalar("a"), ctx.scalar("x")  # a may be zero: dividing by it is not an equivalence
    d = derivation("divide", ctx)
    d.chain(sp.Eq(a * x, 0)).iff(sp.Eq(x, 0), by="user error: divide by a")
    res = check_derivation(d).steps[0]
    assert res.verdict == Verdict.REFUTED  # a = 0, x ≠ 0 satisfies the premise only
    assert res.counterexample["a"] == "0"


def test_wrong_inequality_claim_is_refuted_and_true_one_proved():
    ctx = Context("ineq")
    x = ctx.scalar("x")
    p = ctx.scalar("p", interval=(0, 1))
    d = derivation("ineq", ctx)
    d.claim(x**2 + 1 > 3 * x, by="user error: false for 0.39 < x < 2.6")
    d.claim(sp.Ge(x**2 + 1, 2 * x, evaluate=False), by="(x − 1)² ≥ 0", expect=None)
    d.claim((1 - p) / p > 0, by="0 < p < 1")
    verdicts = _verdicts(d)
    assert verdicts[0] == Verdict.REFUTED
    assert verdicts[2] == Verdict.PROVED
    assert verdicts[1] != Verdict.REFUTED


def test_a_wrong_inequality_true_on_most_small_samples_is_still_refuted():
    # found by the mutation audit: with 6 instances this wrong claim came out CHECKED;
    # an unproved inequality now gets a wide search (magnitudes 2^-8…2^8) before numeric evidence counts
    ctx = Context("fgsm")
    (n,) = ctx.dims("n")
    j = ctx.index("j", n)
    w, x = ctx.indexed("w", j), ctx.indexed("x", j)
    eps = ctx.scalar("epsilon", positive=True)
    clean = sp.Sum(w[j] * x[j], (j, 1, n))
    d = derivation("mutant", ctx)
    d.claim(sp.Le(clean - eps * sp.Sum(sp.Abs(w[j]), (j, 1, n)), clean / 2, evaluate=False), by="halved")
    assert _verdicts(d) == [Verdict.REFUTED]
