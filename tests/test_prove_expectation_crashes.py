"""Issue 11: inputs that crashed the exact expectation engine now get a verdict.

Expected values by hand: for i.i.d. x with mean b and variance v, E[x_i x_j] = b² + v·δ_ij and
Cov[x_i, x_j] = v·δ_ij; for Bernoulli(p) masks E[m_j m_k] = p² + (p − p²)·δ_jk.
"""

from __future__ import annotations

import sympy as sp

from derivcheck_steps import Bernoulli, Context, Cov, E, Moments, Normal, Var, Verdict, check_derivation, derivation


def _one(d):
    (res,) = check_derivation(d).steps
    return res


def _iid():
    ctx = Context("iid")
    (n,) = ctx.dims("n")
    i, j = ctx.index("i", n), ctx.index("j", n)
    b = ctx.scalar("b")
    v = ctx.scalar("v", positive=True)
    x = ctx.random("x", i, dist=Moments(b, v))
    return ctx, n, i, j, b, v, x


def test_expectation_inside_a_double_sum_over_one_family_is_proved():
    # Σ_i Σ_j (b² + v δ_ij) = n² b² + n v
    ctx, n, i, j, b, v, x = _iid()
    d = derivation("double sum", ctx)
    d.chain(sp.Sum(sp.Sum(E(x[i] * x[j]), (j, 1, n)), (i, 1, n))).eq(n**2 * b**2 + n * v, by="E[x_i x_j]")
    assert _one(d).verdict == Verdict.PROVED


def test_expectation_inside_a_double_sum_with_a_wrong_value_is_refuted():
    # the diagonal is missed: n² b² instead of n² b² + n v
    ctx, n, i, j, b, v, x = _iid()
    d = derivation("double sum", ctx)
    d.chain(sp.Sum(sp.Sum(E(x[i] * x[j]), (j, 1, n)), (i, 1, n))).eq(n**2 * b**2, by="independence")
    assert _one(d).verdict == Verdict.REFUTED


def test_weighted_noise_double_sum_is_proved():
    # Σ_j Σ_k w_j w_k σ² δ_jk = σ² Σ_j w_j²
    ctx = Context("noise")
    (n,) = ctx.dims("n")
    j, k = ctx.index("j", n), ctx.index("k", n)
    w = ctx.indexed("w", j)
    s2 = ctx.scalar("s2", positive=True)
    eps = ctx.random("epsilon", j, dist=Normal(0, s2))
    d = derivation("noise", ctx)
    d.chain(sp.Sum(sp.Sum(w[j] * w[k] * E(eps[j] * eps[k]), (k, 1, n)), (j, 1, n))).eq(
        s2 * sp.Sum(w[j] ** 2, (j, 1, n)), by="E[ε_j ε_k] = σ² δ_jk")
    assert _one(d).verdict == Verdict.PROVED


def test_mean_covariance_with_a_free_index_is_proved():
    # (1/n) Σ_j v δ_ij = v/n
    ctx, n, i, j, b, v, x = _iid()
    d = derivation("cov", ctx)
    d.chain(sp.Sum(Cov(x[i], x[j]), (j, 1, n)) / n).eq(v / n, by="only j = i contributes")
    assert _one(d).verdict == Verdict.PROVED


def test_sum_of_expectations_with_a_free_index_is_proved():
    # j = i gives b² + v, the n − 1 others b² each: v + n b²
    ctx, n, i, j, b, v, x = _iid()
    d = derivation("E", ctx)
    d.chain(sp.Sum(E(x[i] * x[j]), (j, 1, n))).eq(v + n * b**2, by="split j = i")
    assert _one(d).verdict == Verdict.PROVED


def test_family_declared_without_an_index_is_a_single_variable():
    # E[t²] = Var t + (E t)² = v + b²
    ctx = Context("single")
    b = ctx.scalar("b")
    v = ctx.scalar("v", positive=True)
    t = ctx.random("t", dist=Moments(b, v))
    d = derivation("single", ctx)
    d.chain(E(t**2)).eq(v + b**2, by="second moment")
    assert _one(d).verdict == Verdict.PROVED


def _masks():
    ctx = Context("masks")
    (n,) = ctx.dims("n")
    j, k = ctx.index("j", n), ctx.index("k", n)
    p = ctx.scalar("p", interval=(0, 1))
    m = ctx.random("m", j, dist=Bernoulli(p))
    return ctx, j, k, p, m


def test_family_indexed_by_an_expression_is_refuted_where_the_indices_meet():
    # at k = j + 1 the two factors are one mask: E[m²] = p ≠ p²
    ctx, j, k, p, m = _masks()
    d = derivation("shifted", ctx)
    d.chain(E(m[j + 1] * m[k])).eq(p**2, by="independence")
    res = _one(d)
    assert res.verdict == Verdict.REFUTED
    assert int(res.counterexample["k"]) == int(res.counterexample["j"]) + 1


def test_family_indexed_by_an_expression_is_proved_case_by_case():
    ctx, j, k, p, m = _masks()
    d = derivation("shifted", ctx)
    d.chain(E(m[j + 1] * m[k])).eq(p**2 + (p - p**2) * sp.KroneckerDelta(k, j + 1), by="split k = j + 1")
    assert _one(d).verdict == Verdict.PROVED


def test_variance_of_a_sum_from_the_second_index_is_proved():
    # independent masks: Var[Σ_{j=2}^{n} w_j m_j] = p(1 − p) Σ_{j=2}^{n} w_j² (an empty sum when n = 1)
    ctx, j, k, p, m = _masks()
    w = ctx.indexed("w", j)
    d = derivation("from 2", ctx)
    d.chain(Var(sp.Sum(w[j] * m[j], (j, 2, ctx.range_of(j))))).eq(
        p * (1 - p) * sp.Sum(w[j] ** 2, (j, 2, ctx.range_of(j))), by="independent masks")
    assert _one(d).verdict == Verdict.PROVED


def test_variance_of_a_sum_from_the_second_index_with_the_full_range_is_refuted():
    # the j = 1 term is not in the sum: p(1 − p) Σ_{j=1}^{n} w_j² overcounts by p(1 − p) w_1²
    ctx, j, k, p, m = _masks()
    w = ctx.indexed("w", j)
    n = ctx.range_of(j)
    d = derivation("from 2", ctx)
    d.chain(Var(sp.Sum(w[j] * m[j], (j, 2, n)))).eq(p * (1 - p) * sp.Sum(w[j] ** 2, (j, 1, n)), by="slip")
    assert _one(d).verdict == Verdict.REFUTED
