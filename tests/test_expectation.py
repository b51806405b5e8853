"""The exact expectation engine and the Monte Carlo cross-check."""

from __future__ import annotations

import sympy as sp

from derivcheck_steps import Context, Verdict, check_derivation, derivation
from derivcheck_steps.expectation import prove_equal_in_expectation
from derivcheck_steps.randomness import Bernoulli, Cov, E, Normal, Var


def _dropout():
    ctx = Context("d")
    (n,) = ctx.dims("n")
    j = ctx.index("j", n)
    w, x = ctx.indexed("w", j), ctx.indexed("x", j)
    p = ctx.scalar("p", interval=(0, 1))
    m = ctx.random("m", j, dist=Bernoulli(p))
    y = sp.Sum(m[j] * w[j] * x[j], (j, 1, n)) / p
    return ctx, n, j, w, x, p, m, y


def test_dropout_variance_holds_for_symbolic_n():
    ctx, n, j, w, x, p, m, y = _dropout()
    assert prove_equal_in_expectation(Var(y), (1 - p) / p * sp.Sum(w[j] ** 2 * x[j] ** 2, (j, 1, n)), ctx).proved


def test_wrong_variance_is_refuted_exactly_and_by_monte_carlo():
    ctx, n, j, w, x, p, m, y = _dropout()
    d = derivation("slip", ctx)
    d.chain(Var(y)).eq(p / (1 - p) * sp.Sum(w[j] ** 2 * x[j] ** 2, (j, 1, n)), by="slip")
    res = check_derivation(d).steps[0]
    assert res.verdict == Verdict.REFUTED
    mc = res.evidence.monte_carlo[0]
    assert mc["status"] == "disagree" and abs(mc["z"]) >= 6 and mc["seed"] is not None


def test_same_mask_at_two_free_indices_is_not_silently_independent():
    # sympy.stats answers p² for E[m_j m_k]; that is wrong when j = k. derivcheck splits the cases.
    ctx, n, j, w, x, p, m, y = _dropout()
    k = ctx.index("k", n)
    d = derivation("coincidence", ctx)
    d.chain(E(m[j] * m[k])).eq(p**2, by="independence?")
    res = check_derivation(d).steps[0]
    assert res.verdict == Verdict.REFUTED
    assert "when k = j" in res.reason
    assert res.counterexample["j"] == res.counterexample["k"]  # the counterexample puts j = k


def test_free_index_cases_are_proved_separately():
    ctx, n, j, w, x, p, m, y = _dropout()
    k = ctx.index("k", n)
    delta = sp.KroneckerDelta(j, k)
    d = derivation("cases", ctx)
    d.chain(E(m[j] * m[k])).eq(p**2 + delta * p * (1 - p), by="split j = k and j ≠ k")
    d.chain(Cov(m[j], m[k])).eq(delta * p * (1 - p), by="covariance of masks")
    d.chain(Cov(m[j], m[k])).eq(delta * p**2, by="wrong covariance")
    d.chain(E(m[j] * m[k])).eq(p**2 + delta * p * (1 - p) + (1 - delta) * p, by="wrong when apart")
    res = check_derivation(d).steps
    assert [r.verdict for r in res] == [Verdict.PROVED, Verdict.PROVED, Verdict.REFUTED, Verdict.REFUTED]
    assert "2 cases" in res[0].evidence.symbolic
    assert res[3].counterexample["j"] != res[3].counterexample["k"]  # refuted where j ≠ k


def test_covariance_of_dropout_outputs_across_examples_is_zero_and_within_one_is_not():
    ctx = Context("cov")
    N, n = ctx.dims("N n")
    i, j = ctx.index("i", N), ctx.index("j", n)
    h = ctx.index("h", N)
    x, w = ctx.indexed("x", i, j), ctx.indexed("w", j)
    p = ctx.scalar("p", interval=(0, 1))
    m = ctx.random("m", i, j, dist=Bernoulli(p))

    def y(r):
        return sp.Sum(m[r, j] * w[j] * x[r, j], (j, 1, n)) / p

    d = derivation("cov", ctx)
    d.chain(Cov(y(i), y(h))).eq(sp.KroneckerDelta(i, h) * (1 - p) / p * sp.Sum(w[j] ** 2 * x[i, j] ** 2, (j, 1, n)),
                                by="masks independent across examples")
    d.chain(Cov(y(i), y(h))).eq(0, by="wrong: forgets i = h")
    d.chain(Cov(y(i), y(i))).eq(Var(y(i)), by="Cov[Y, Y] = Var[Y]")
    assert [r.verdict for r in check_derivation(d).steps] == [Verdict.PROVED, Verdict.REFUTED, Verdict.PROVED]


def test_families_are_independent_only_where_declared():
    ctx = Context("two")
    (n,) = ctx.dims("n")
    j = ctx.index("j", n)
    a = ctx.random("a", j, dist=Normal(0, 1))
    b = ctx.random("b", j, dist=Normal(0, 1))
    d = derivation("indep", ctx)
    d.chain(E(a[j] * b[j])).eq(0, by="independence (not declared)")
    assert check_derivation(d).steps[0].verdict != Verdict.PROVED
    ctx.independent("a", "b")
    d2 = derivation("indep declared", ctx)
    d2.chain(E(a[j] * b[j])).eq(0, by="independence (declared)")
    assert check_derivation(d2).steps[0].verdict == Verdict.PROVED


def test_gaussian_fourth_moment():
    ctx = Context("g")
    (n,) = ctx.dims("n")
    j = ctx.index("j", n)
    s = ctx.scalar("s", positive=True)
    z = ctx.random("z", j, dist=Normal(0, s**2))
    assert prove_equal_in_expectation(E(z[j] ** 4), 3 * s**4, ctx).proved
    assert not prove_equal_in_expectation(E(z[j] ** 4), s**4, ctx).proved


def _matrix(text: str) -> list[list[sp.Rational]]:
    if text.endswith("ᵀ"):  # a column vector written as a transposed row: [a, b]ᵀ
        return [[sp.Rational(v)] for v in text[:-1].strip("[]").split(",")]
    return [[sp.Rational(v) for v in row.split(",")] for row in text.strip("[]").split(";")]


def test_noise_review_penalty_misses_exactly_the_squared_feature_means():
    from derivcheck_steps.derivations import gaussian_noise

    res = check_derivation(gaussian_noise.review).steps[-1]
    assert res.verdict == Verdict.REFUTED
    assert res.correction is not None and res.correction.verdict == Verdict.PROVED
    ce = res.counterexample
    x, w = _matrix(ce["x"]), [row[0] for row in _matrix(ce["w"])]
    sigma, N = sp.Rational(ce["sigma"]), len(x)
    means = [sum(row[j] for row in x) / N for j in range(len(w))]
    assert any(m != 0 for m in means)  # the counterexample data are not centred …
    _, lhs, rhs = res.evidence.table[0]
    # … and the written penalty is short by exactly σ²/2 Σ_j w_j² (mean_j)²
    assert sp.Rational(lhs) - sp.Rational(rhs) == sigma**2 / 2 * sum(wj**2 * m**2 for wj, m in zip(w, means, strict=True))
    centred = check_derivation(gaussian_noise.review_centred).steps[-1]
    assert centred.verdict == Verdict.PROVED
