"""Regressions from the blind corpus: random variables declared without indices, matrix equations with 0."""

from __future__ import annotations

import sympy as sp

from derivcheck_steps import Context, Cov, E, Moments, Var, Verdict, check_derivation, derivation, differentiate, montecarlo


def _two_unindexed(independent: bool = False):
    ctx = Context("c")
    mx, my = ctx.scalar("mu_X"), ctx.scalar("mu_Y")
    sx, sy = ctx.scalar("sigma_X", positive=True), ctx.scalar("sigma_Y", positive=True)
    X = ctx.random("X", dist=Moments(mx, sx**2))
    Y = ctx.random("Y", dist=Moments(my, sy**2))
    if independent:
        ctx.independent("X", "Y")
    return ctx, X, Y


def test_dependent_unindexed_variables_are_not_sampled_independently():
    # Var[X+Y] = Var X + Var Y + Cov[X,Y] (a dropped factor 2) agrees if X and Y are drawn
    # independently (Cov = 0); they are not declared independent, so there is no evidence.
    ctx, X, Y = _two_unindexed()
    d = derivation("dropped 2", ctx)
    d.chain(Var(X + Y)).eq(Var(X) + Var(Y) + Cov(X, Y), by="slip")
    res = check_derivation(d).steps[0]
    # never CHECKED by sampling an independence nobody declared; refuted at a joint law the
    # declarations allow (jointly normal, correlation 1/2: Cov ≠ 0), and said so
    assert res.verdict == Verdict.REFUTED
    assert "not declared independent" in res.reason and "jointly normal" in res.reason
    assert all(mc["status"] == "none" for mc in res.evidence.monte_carlo)


def test_independent_unindexed_variables_still_get_monte_carlo():
    ctx, X, Y = _two_unindexed(independent=True)
    d = derivation("independent sum", ctx)
    d.chain(E(X * Y)).eq(E(X) * E(Y), by="independence")
    res = check_derivation(d).steps[0]
    assert res.verdict in (Verdict.PROVED, Verdict.CHECKED)
    assert res.evidence.monte_carlo[0]["status"] == "agree"


def test_monte_carlo_has_no_plug_in_bias_under_the_two_point_law():
    # The plug-in Var (and E[X]·E[X]) is biased by ∓Var/size; under the two-point law (x − x̄)² is
    # nearly constant, so that bias was several standard errors and contradicted PROVED steps.
    ctx = Context("c")
    mu, s = ctx.scalar("mu"), ctx.scalar("sigma", positive=True)
    X = ctx.random("X", dist=Moments(mu, s**2))
    for lhs, rhs, env in ((Var(X), s**2, {mu: 0.5, s: 1.3}), (E(X) ** 2, mu**2, {mu: 0.0, s: 1.3})):
        results = [montecarlo.check(lhs, rhs, ctx, env, seed) for seed in range(6)]
        assert all(r.status == "agree" for r in results), [(r.status, r.t) for r in results]
        assert abs(sum(r.t for r in results) / len(results)) < 2.0


def test_variance_of_an_average_is_proved_without_inconsistency():
    ctx = Context("avg")
    (n,) = ctx.dims("n")
    i = ctx.index("i", n)
    mu, s = ctx.scalar("mu"), ctx.scalar("sigma", positive=True)
    x = ctx.random("x", i, dist=Moments(mu, s**2))
    d = derivation("average", ctx)
    d.chain(Var(sp.Sum(x[i], (i, 1, n)) / n)).eq(s**2 / n, by="independence")
    res = check_derivation(d).steps[0]
    assert res.verdict == Verdict.PROVED and not res.inconsistent


def _quadratic():
    ctx = Context("q")
    N, d = ctx.dims("N d")
    X, W = ctx.matrix("X", N, d), ctx.matrix("W", N, N)
    y, beta = ctx.vector("y", N), ctx.vector("beta", d)
    return ctx, X, W, y, beta


def test_gradient_of_a_constant_set_to_zero_is_the_zero_vector():
    ctx, X, W, y, beta = _quadratic()
    d = derivation("constant", ctx)
    d.chain(y.T * W * y).implies(sp.Eq(sp.ZeroMatrix(*beta.shape), 0, evaluate=False), by=differentiate(beta))
    d.chain(y.T * W * y).eq(0, by=differentiate(beta))
    res = check_derivation(d).steps
    assert [r.verdict for r in res] == [Verdict.PROVED, Verdict.PROVED], [r.reason for r in res]


def test_gradient_of_a_matrix_is_an_input_problem_not_an_internal_error():
    ctx, X, W, y, beta = _quadratic()
    d = derivation("matrix", ctx)
    d.chain(W.T).implies(sp.Eq(2 * X.T * W * X * beta - 2 * X.T * W * y, 0, evaluate=False), by=differentiate(beta))
    res = check_derivation(d).steps[0]
    assert (res.verdict, res.cause) == (Verdict.UNKNOWN, "input") and "not a scalar" in res.reason


def test_a_one_by_one_matrix_equals_its_trace():
    ctx = Context("t")
    (n,) = ctx.dims("n")
    A, x = ctx.matrix("A", n, n), ctx.vector("x", n)
    d = derivation("trace trick", ctx)
    d.chain(x.T * A * x).eq(sp.Trace(x.T * A * x), by="a scalar is its own trace")
    d.chain(x.T * A * x).eq(sp.Trace(A * x * x.T), by="cyclic")
    d.chain(sp.Trace(A * x * x.T)).eq(x.T * A * x, by="cyclic")
    d.chain(x.T * A * x).eq(sp.Trace(A), by="wrong")
    res = check_derivation(d).steps
    assert res[0].verdict == Verdict.PROVED
    assert res[1].verdict in (Verdict.PROVED, Verdict.CHECKED) and res[2].verdict in (Verdict.PROVED, Verdict.CHECKED)
    assert res[3].verdict == Verdict.REFUTED
    assert not any(r.cause == "internal" for r in res)


def test_mathematics_after_a_double_ampersand_is_an_annotation_not_a_row():
    from derivcheck_steps.latex.rows import read_rows

    body = r"""
(y - X\beta)^T W (y - X\beta) &= y^T W y - 2\beta^T X^T W y && W = W^T \\
&= a^2\sigma_X^2 && \text{independent, so } \operatorname{Cov}[X,Y] = 0 \\
&= c && \text{plain}
"""
    rows = read_rows(body, 0, lambda k: f"f:1:{k}")
    assert [" ".join(r.justification.split()) for r in rows] == ["W = W^T", r"independent, so \operatorname{Cov}[X,Y] = 0", "plain"]
    assert "W = W^T" not in rows[0].math and rows[0].math.rstrip().endswith("X^T W y")
    assert all("Cov" not in r.math and "plain" not in r.math for r in rows)


def test_a_counterexample_is_not_a_refutation_when_an_assumption_could_not_be_read(tmp_path):
    from derivcheck_steps.latex.documents import read_document

    doc = tmp_path / "sym.tex"
    doc.write_text(r"""\documentclass{article}
\begin{document}
\section{Symmetric weights}
% derivcheck: context symmetric
% derivcheck: dims N
% derivcheck: matrix W N N
% derivcheck: vector y N
% derivcheck: assume W \succeq 0
\[ y^T W y \ge 0 \]
\end{document}
""")
    (d,) = read_document(doc)
    res = check_derivation(d).steps
    assert res[-1].verdict == Verdict.UNKNOWN and res[-1].cause == "input"
    assert "could not be read" in res[-1].reason


def test_two_formulas_side_by_side_are_two_rows_not_one_chain():
    from derivcheck_steps.latex.rows import read_rows

    body = r" \frac{d}{dx}(ax^2 + b) = 2ax, \qquad \frac{d^2}{dx^2}(ax^2 + b) = 2a , "
    rows = read_rows(body, 100, lambda k: f"f:1:{k}")
    assert [r.math for r in rows] == [r"\frac{d}{dx}(ax^2 + b) = 2ax", r"\frac{d^2}{dx^2}(ax^2 + b) = 2a"]
    assert rows[0].offset == rows[1].offset == 100 + body.index(r"\frac{d}")  # both where the row starts
    kept = read_rows(r" f(x, \quad y) = 1, \quad x > 0 ", 0, lambda k: f"f:1:{k}")
    assert len(kept) == 1


def test_an_inequality_between_a_one_by_one_matrix_and_a_scalar_is_checked():
    ctx = Context("c")
    (n,) = ctx.dims("n")
    v = ctx.vector("v", n)
    lam = ctx.scalar("lam", positive=True)
    d = derivation("quadratic form", ctx)
    d.claim(sp.GreaterThan(lam * v.T * v, 0, evaluate=False), by="a square is nonnegative")
    d.claim(sp.GreaterThan(lam * v.T * v, lam, evaluate=False), by="wrong for a small v")
    res = check_derivation(d).steps
    assert not any(r.cause == "internal" for r in res), [r.reason for r in res]
    assert res[0].verdict in (Verdict.PROVED, Verdict.CHECKED) and res[1].verdict == Verdict.REFUTED


def test_an_unread_declaration_of_another_name_does_not_stop_a_refutation(tmp_path):
    # "scalr a" (a typo) cannot restrict z: 1 − σ(z) = 1 + σ(z) is still refuted (σ(z) > 0 everywhere)
    from derivcheck_steps.latex.documents import read_document

    doc = tmp_path / "typo.tex"
    doc.write_text(r"""\section{Typo elsewhere}
% derivcheck: context typo
% derivcheck: scalar z
% derivcheck: scalr a
\[ 1 - \frac{1}{1 + e^{-z}} = 1 + \frac{1}{1 + e^{-z}} \]
""")
    (d,) = read_document(doc)
    verdicts = [(s.verdict, s.cause) for s in check_derivation(d).steps]
    assert (Verdict.REFUTED, "") in verdicts and (Verdict.UNKNOWN, "input") in verdicts  # the typo is still reported
