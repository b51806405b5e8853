"""Matrix steps the context lets the prover settle (checks/noncommutative.py, checks/signs.py,
symmetric matrices in checks/canonical.py), and premise points of vector equations.

Each wrong variant is argued by hand in its comment.
"""

from __future__ import annotations

import sympy as sp

from derivcheck_steps import Context, Verdict, check_derivation, derivation, differentiate, solve
from derivcheck_steps.engine import check_step
from derivcheck_steps.mutants_prove import gram_negated, inverse_perturbed, transpose_dropped


def _verdicts(d):
    return [r.verdict for r in check_derivation(d).steps]


def _ridge():
    ctx = Context("push-through")
    N, n = ctx.dims("N d")
    X = ctx.matrix("X", N, n)
    lam = ctx.scalar("lambda", positive=True)
    P, Q = X.T * X + lam * sp.Identity(n), X * X.T + lam * sp.Identity(N)
    ctx.invertible(P, because="λ > 0")
    ctx.invertible(Q, because="λ > 0")
    return ctx, X, lam, P, Q, N, n


def test_push_through_identity_is_proved_by_clearing_inverses():
    ctx, X, lam, P, Q, N, n = _ridge()
    y, x = ctx.vector("y", N), ctx.vector("x", n)
    d = derivation("push-through", ctx)
    d.chain(P.I * X.T).eq(X.T * Q.I, by="push-through")
    d.chain(x.T * P.I * X.T * y).eq((X * x).T * Q.I * y, by="push-through")
    results = check_derivation(d).steps
    assert [r.verdict for r in results] == [Verdict.PROVED, Verdict.PROVED]
    assert "inverses cleared" in results[0].evidence.symbolic


def test_push_through_on_the_wrong_side_is_refuted():
    # (XᵀX + λI)⁻¹Xᵀ = Xᵀ(XXᵀ + 2λI)⁻¹ is false (N = d = 1: x/(x² + λ) ≠ x/(x² + 2λ))
    ctx, X, lam, P, Q, N, n = _ridge()
    d = derivation("push-through", ctx)
    d.chain(P.I * X.T).eq(X.T * (X * X.T + 2 * lam * sp.Identity(N)).I, by="push-through")
    assert _verdicts(d) == [Verdict.REFUTED]


def test_woodbury_identity_is_proved():
    # (A + UCV)⁻¹ = A⁻¹ − A⁻¹U(C⁻¹ + VA⁻¹U)⁻¹VA⁻¹: two rounds of clearing
    ctx = Context("woodbury")
    n, m = ctx.dims("n m")
    A, C = ctx.matrix("A", n, n), ctx.matrix("C", m, m)
    U, V = ctx.matrix("U", n, m), ctx.matrix("V", m, n)
    for M in (A, C, A + U * C * V, C.I + V * A.I * U):
        ctx.invertible(M, because="assumed")
    d = derivation("woodbury", ctx)
    d.chain((A + U * C * V).I).eq(A.I - A.I * U * (C.I + V * A.I * U).I * V * A.I, by="Woodbury")
    assert _verdicts(d) == [Verdict.PROVED]


def test_general_push_through_and_its_mutants():
    ctx = Context("general")
    n, m = ctx.dims("n m")
    A, B = ctx.matrix("A", n, m), ctx.matrix("B", m, n)
    ctx.invertible(sp.Identity(n) + A * B, because="assumed")
    ctx.invertible(sp.Identity(m) + B * A, because="assumed")
    d = derivation("general", ctx)
    d.chain((sp.Identity(n) + A * B).I * A).eq(A * (sp.Identity(m) + B * A).I, by="push-through")
    (step,) = d.steps
    assert _verdicts(d) == [Verdict.PROVED]
    mutants = inverse_perturbed(d, step)
    assert {m.operator for m in mutants} == {"double a term inside an inverse", "forget an inverse"}
    for m in mutants:  # A(I + 2BA)⁻¹ and A(I + BA) differ from (I + AB)⁻¹A already for 1×1 matrices
        assert check_step(d, m.as_step(step)).verdict != Verdict.PROVED


def _wls(symmetric: bool):
    ctx = Context("weighted least squares")
    N, n = ctx.dims("N d")
    X, W = ctx.matrix("X", N, n), ctx.matrix("W", N, N)
    y, beta = ctx.vector("y", N), ctx.vector("beta", n)
    if symmetric:
        ctx.assume(sp.Eq(W, W.T), because="W = diag(w)")
    return ctx, X, W, y, beta


def test_declared_symmetric_weight_is_used_in_expansion_and_gradient():
    ctx, X, W, y, beta = _wls(symmetric=True)
    J = (y - X * beta).T * W * (y - X * beta)
    d = derivation("wls", ctx)
    d.chain(J).eq(y.T * W * y - 2 * beta.T * X.T * W * y + beta.T * X.T * W * X * beta, by="W = Wᵀ")
    d.chain(J).eq(-2 * X.T * W * y + 2 * X.T * W * X * beta, by=differentiate(beta))
    assert _verdicts(d) == [Verdict.PROVED, Verdict.PROVED]


def test_weight_not_declared_symmetric_is_not_proved():
    # with W = [[0, 1], [0, 0]], X = I, y = 0: ∇_β βᵀWβ = (W + Wᵀ)β ≠ 2Wβ
    ctx, X, W, y, beta = _wls(symmetric=False)
    J = (y - X * beta).T * W * (y - X * beta)
    d = derivation("wls", ctx)
    d.chain(J).eq(-2 * X.T * W * y + 2 * X.T * W * X * beta, by=differentiate(beta))
    d.chain(J).eq(y.T * W * y - 2 * beta.T * X.T * W * y + beta.T * X.T * W * X * beta, by="W = Wᵀ")
    assert _verdicts(d) == [Verdict.REFUTED, Verdict.REFUTED]


def test_dropping_the_transpose_of_a_matrix_not_declared_symmetric_is_refuted():
    ctx, X, W, y, beta = _wls(symmetric=True)
    A = ctx.matrix("A", beta.shape[0], beta.shape[0])
    d = derivation("wls", ctx)
    # (A + Aᵀ)β = Aβ + Aᵀβ; the mutant Aβ + Aβ fails for A = [[0, 1], [0, 0]], β = (0, 1)
    d.chain((A + A.T) * beta + X.T * W.T * y).eq(A * beta + A.T * beta + X.T * W * y, by="distribute, W = Wᵀ")
    (step,) = d.steps
    assert check_step(d, step).verdict == Verdict.PROVED
    (m,) = transpose_dropped(d, step)  # Wᵀ is kept: W is declared symmetric
    assert check_step(d, m.as_step(step)).verdict == Verdict.REFUTED


def test_gram_terms_are_nonnegative_and_negated_ones_are_refuted():
    # (1/N)‖Xv‖² + λ‖v‖² ≥ λ‖v‖² since ‖Xv‖² = vᵀXᵀXv ≥ 0
    ctx = Context("ridge hessian")
    N, n = ctx.dims("N d")
    X, v = ctx.matrix("X", N, n), ctx.vector("v", n)
    lam = ctx.scalar("lambda", positive=True)
    d = derivation("strong convexity", ctx)
    d.claim(sp.GreaterThan(v.T * X.T * X * v / N + lam * v.T * v, lam * v.T * v, evaluate=False), by="‖Xv‖² ≥ 0")
    (step,) = d.steps
    assert _verdicts(d) == [Verdict.PROVED]
    mutants = gram_negated(d, step)
    assert len(mutants) == 2
    for m in mutants:  # −(1/N)‖Xv‖² or −λ‖v‖² on the larger side: fails wherever that term is nonzero
        assert check_step(d, m.as_step(step)).verdict == Verdict.REFUTED


def test_quadratic_form_of_an_undeclared_matrix_is_not_proved_nonnegative():
    # vᵀAv ≥ 0 fails for A = −I
    ctx = Context("indefinite")
    (n,) = ctx.dims("n")
    A, v = ctx.matrix("A", n, n), ctx.vector("v", n)
    d = derivation("indefinite", ctx)
    d.claim(sp.GreaterThan(v.T * A * v, 0, evaluate=False), by="?")
    assert _verdicts(d) == [Verdict.REFUTED]


def test_wrong_vector_solution_is_refuted_at_a_point_on_the_premise():
    # XᵀWXβ = XᵀWy ⇔ β = (XᵀWX)⁻¹Xᵀy drops W: a point on the premise (β solved exactly) refutes it
    ctx, X, W, y, beta = _wls(symmetric=True)
    ctx.invertible(X.T * W * X, because="full column rank, W > 0")
    d = derivation("wls normal equations", ctx)
    d.chain(sp.Eq(X.T * W * X * beta, X.T * W * y)).iff(sp.Eq(beta, (X.T * W * X).I * X.T * y), by=solve(beta))
    assert _verdicts(d) == [Verdict.REFUTED]


def test_forgotten_factor_in_a_vector_equation_is_refuted():
    # (1/N)(XᵀXw − Xᵀy) + λw = 0 ⇔ (XᵀX + λI)w = Xᵀy forgets N on λ
    ctx = Context("ridge")
    N, n = ctx.dims("N d")
    X, y, w = ctx.matrix("X", N, n), ctx.vector("y", N), ctx.vector("w", n)
    lam = ctx.scalar("lambda", positive=True)
    ctx.invertible(X.T * X + lam * sp.Identity(n), because="λ > 0")
    ctx.invertible(X.T * X + N * lam * sp.Identity(n), because="λ > 0")
    d = derivation("ridge", ctx)
    premise = sp.Eq((X.T * X * w - X.T * y) / N + lam * w, sp.ZeroMatrix(n, 1))
    d.chain(premise).iff(sp.Eq((X.T * X + lam * sp.Identity(n)) * w, X.T * y), by="multiply by N")
    assert _verdicts(d) == [Verdict.REFUTED]
