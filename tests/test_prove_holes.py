"""Soundness holes of issue 12 on the prover side: cancelled factors, periodic solve sets,
triangular and reversed sum bounds, centring over a sub-range, contradictory hypotheses.

Every expected value is worked out by hand in the test's comment.
"""

from __future__ import annotations

import sympy as sp

from derivcheck_steps import Context, Verdict, check_derivation, derivation, solve


def _one(d):
    (res,) = check_derivation(d).steps
    return res


def _x(**kw):
    ctx = Context("x")
    return ctx, ctx.scalar("x", **kw)


# -- 1. cancelled factors in ⇔ / ⇒ ------------------------------------------------------------------

def test_cancelled_factor_equivalence_is_refuted_at_the_removed_point():
    # (x²−1)/(x−1) = 2 has no solution (for x ≠ 1 it is x + 1 = 2, i.e. x = 1, excluded); x = 1 has one
    ctx, x = _x()
    d = derivation("removable", ctx)
    d.chain(sp.Eq((x**2 - 1) / (x - 1), 2)).iff(sp.Eq(x, 1), by="cancel x − 1")
    res = _one(d)
    assert res.verdict == Verdict.REFUTED
    assert res.counterexample["x"] == "1"


def test_cancelled_factor_is_not_proved_without_the_condition():
    # x + 1 = 2 holds at x = 1, where (x²−1)/(x−1) is 0/0: the converse fails there
    ctx, x = _x()
    d = derivation("cancel", ctx)
    d.chain(sp.Eq((x**2 - 1) / (x - 1), 2)).iff(sp.Eq(x + 1, 2), by="cancel x − 1")
    assert _one(d).verdict == Verdict.REFUTED


def test_cancelled_factor_is_proved_when_the_context_gives_the_condition():
    ctx, x = _x()
    ctx.assume(sp.Ne(x - 1, 0), because="x = 1 is excluded by the problem")
    d = derivation("cancel", ctx)
    d.chain(sp.Eq((x**2 - 1) / (x - 1), 2)).iff(sp.Eq(x + 1, 2), by="cancel x − 1")
    res = _one(d)
    assert res.verdict == Verdict.PROVED


def test_implication_into_an_undefined_equation_is_refuted():
    # x = 1 holds at x = 1, where the conclusion's left side is 0/0
    ctx, x = _x()
    d = derivation("into a pole", ctx)
    d.chain(sp.Eq(x, 1)).implies(sp.Eq((x**2 - 1) / (x - 1), 2), by="multiply by (x + 1)/(x + 1)")
    assert _one(d).verdict == Verdict.REFUTED


def test_a_denominator_that_cannot_matter_still_proves():
    # 1/x = 2 ⇔ x = 1/2: at x = 0 (the only point the identity misses) x = 1/2 is false too
    ctx, x = _x()
    d = derivation("reciprocal", ctx)
    d.chain(sp.Eq(1 / x, 2)).iff(sp.Eq(2 * x, 1), by="multiply by x")
    assert _one(d).verdict == Verdict.PROVED


def test_dividing_by_a_variable_that_may_vanish_is_refuted_where_it_does():
    # x/y = 1 ⇔ x = y fails at x = y = 0: the right holds, the left is 0/0
    ctx = Context("xy")
    x, y = ctx.scalar("x"), ctx.scalar("y")
    d = derivation("divide", ctx)
    d.chain(sp.Eq(x / y, 1)).iff(sp.Eq(x, y), by="multiply by y")
    res = _one(d)
    assert res.verdict == Verdict.REFUTED
    assert res.counterexample["y"] == "0"


def test_dropping_a_factor_that_may_vanish_is_refuted_at_its_root():
    # x(x − 1) = 0 holds at x = 1, where x = 0 fails
    ctx, x = _x()
    d = derivation("drop a factor", ctx)
    d.chain(sp.Eq(x * (x - 1), 0)).iff(sp.Eq(x, 0), by="divide by x − 1")
    res = _one(d)
    assert res.verdict == Verdict.REFUTED and res.counterexample["x"] == "1"


def test_cancelling_a_factor_in_an_equality_needs_the_condition():
    # (x² − 1)/(x − 1) is undefined at x = 1, where x + 1 = 2: equal only where x ≠ 1
    ctx, x = _x()
    d = derivation("cancel in =", ctx)
    d.chain((x**2 - 1) / (x - 1)).eq(x + 1, by="cancel x − 1")
    res = _one(d)
    assert res.verdict == Verdict.UNKNOWN
    assert "x - 1 ≠ 0" in res.reason


def test_cancelling_a_factor_in_an_equality_is_proved_under_the_condition():
    ctx, x = _x()
    ctx.assume(sp.Ne(x - 1, 0), because="x = 1 is excluded")
    d = derivation("cancel in =", ctx)
    d.chain((x**2 - 1) / (x - 1)).eq(x + 1, by="cancel x − 1")
    assert _one(d).verdict == Verdict.PROVED


# -- 2. solve: complete solution sets -----------------------------------------------------------------

def test_periodic_equation_solved_by_its_principal_solution_is_refuted():
    # sin x = 1 also at x = 5π/2, where x = π/2 fails
    ctx, x = _x()
    d = derivation("sin", ctx)
    d.chain(sp.Eq(sp.sin(x), 1)).iff(sp.Eq(x, sp.pi / 2), by=solve(x))
    res = _one(d)
    assert res.verdict == Verdict.REFUTED
    # the counterexample is another member of the family 2πn + π/2, n ≠ 0
    assert res.counterexample["x"] in {str(2 * sp.pi * k + sp.pi / 2) for k in (1, -1, 2)}


def test_tangent_equation_solved_by_its_principal_solution_is_not_proved():
    # tan x = 1 also at x = 5π/4
    ctx, x = _x()
    d = derivation("tan", ctx)
    d.chain(sp.Eq(sp.tan(x), 1)).iff(sp.Eq(x, sp.pi / 4), by=solve(x))
    assert _one(d).verdict == Verdict.REFUTED


def test_injective_equation_with_a_complete_solution_set_is_proved():
    # exp is injective on ℝ: exp x = 2 exactly when x = log 2
    ctx, x = _x()
    d = derivation("exp", ctx)
    d.chain(sp.Eq(sp.exp(x), 2)).iff(sp.Eq(x, sp.log(2)), by=solve(x))
    assert _one(d).verdict == Verdict.PROVED


def test_square_root_is_the_only_solution_for_a_positive_unknown():
    # x² = 4 with x > 0: the solution set is {2}
    ctx, x = _x(positive=True)
    d = derivation("positive root", ctx)
    d.chain(sp.Eq(x**2, 4)).iff(sp.Eq(x, 2), by=solve(x))
    assert _one(d).verdict == Verdict.PROVED


def test_square_root_misses_the_negative_solution_for_a_real_unknown():
    # x² = 4 with x real: the solution set is {−2, 2}
    ctx, x = _x()
    d = derivation("real root", ctx)
    d.chain(sp.Eq(x**2, 4)).iff(sp.Eq(x, 2), by=solve(x))
    res = _one(d)
    assert res.verdict == Verdict.REFUTED and res.counterexample["x"] == "-2"


# -- 3. triangular sums ---------------------------------------------------------------------------------

def _triangle():
    ctx = Context("triangle")
    (n,) = ctx.dims("n")
    j, k = ctx.index("j", n), ctx.index("k", n)
    return ctx, n, j, k


def test_triangular_count_does_not_leak_the_outer_index():
    # Σ_{j=1}^{n} Σ_{k=1}^{j} 1 = Σ_j j = n(n+1)/2, not n·j (n = 2, j = 1: 3 ≠ 2)
    ctx, n, j, k = _triangle()
    d = derivation("leak", ctx)
    d.chain(sp.Sum(sp.Sum(1, (k, 1, j)), (j, 1, n))).eq(n * j, by="count")
    assert _one(d).verdict == Verdict.REFUTED


def test_triangular_count_is_proved():
    ctx, n, j, k = _triangle()
    d = derivation("count", ctx)
    d.chain(sp.Sum(sp.Sum(1, (k, 1, j)), (j, 1, n))).eq(n * (n + 1) / 2, by="Σ_j j")
    assert _one(d).verdict == Verdict.PROVED


def test_triangular_sum_of_data_swapped_wrongly_is_refuted():
    # Σ_j Σ_{k≤j} x_k = Σ_k (n − k + 1) x_k; at n = 2 that is 2x₁ + x₂, not Σ_k k x_k = x₁ + 2x₂
    ctx, n, j, k = _triangle()
    x = ctx.indexed("x", k)
    d = derivation("swap", ctx)
    d.chain(sp.Sum(sp.Sum(x[k], (k, 1, j)), (j, 1, n))).eq(sp.Sum(k * x[k], (k, 1, n)), by="swap the sums")
    assert _one(d).verdict == Verdict.REFUTED


def test_triangular_sum_of_data_swapped_rightly_is_not_refuted():
    ctx, n, j, k = _triangle()
    x = ctx.indexed("x", k)
    d = derivation("swap", ctx)
    d.chain(sp.Sum(sp.Sum(x[k], (k, 1, j)), (j, 1, n))).eq(sp.Sum((n - k + 1) * x[k], (k, 1, n)), by="swap the sums")
    assert _one(d).verdict in (Verdict.PROVED, Verdict.CHECKED)


# -- 6. reversed bounds: the empty-sum convention ------------------------------------------------------

def test_reversed_bounds_sum_is_empty():
    # no integer k with n + 2 ≤ k ≤ n: the sum has no terms
    ctx, n, j, k = _triangle()
    d = derivation("empty", ctx)
    d.chain(sp.Sum(1, (k, n + 2, n))).eq(0, by="empty sum")
    assert _one(d).verdict == Verdict.PROVED


def test_karr_value_of_a_reversed_sum_is_refuted():
    # SymPy's Karr convention says Σ_{k=n+2}^{n} 1 = −1; the empty sum is 0
    ctx, n, j, k = _triangle()
    d = derivation("karr", ctx)
    d.chain(sp.Sum(1, (k, n + 2, n))).eq(-1, by="Karr")
    assert _one(d).verdict == Verdict.REFUTED


def test_count_of_a_possibly_empty_range_is_refuted_at_the_small_size():
    # Σ_{k=1}^{n−3} 1 = n − 3 only for n ≥ 3; at n = 1, 2 the sum is empty (0) while n − 3 is −2, −1
    ctx, n, j, k = _triangle()
    d = derivation("maybe empty", ctx)
    d.chain(sp.Sum(1, (k, 1, n - 3))).eq(n - 3, by="count")
    res = _one(d)
    assert res.verdict == Verdict.REFUTED and res.counterexample["n"] in ("1", "2")


# -- 4. centring only over the whole range ----------------------------------------------------------------

def _centred():
    from derivcheck_steps import Bernoulli

    ctx = Context("centred")
    N, n = ctx.dims("N n")
    i, j, k = ctx.index("i", N), ctx.index("j", n), ctx.index("k", N)
    x = ctx.indexed("x", i, j)
    ctx.centred(x, i)
    p = ctx.scalar("p", interval=(0, 1))
    m = ctx.random("m", j, dist=Bernoulli(p))
    return ctx, N, j, k, x, m


def test_centred_data_over_a_sub_range_does_not_vanish():
    # E[Σ_{k=1}^{N−1} m_j x_j^{(k)}] = p Σ_{k<N} x_j^{(k)} = −p x_j^{(N)} by centring: not 0
    from derivcheck_steps import E

    ctx, N, j, k, x, m = _centred()
    d = derivation("sub-range", ctx)
    d.chain(E(sp.Sum(m[j] * x[k, j], (k, 1, N - 1)))).eq(0, by="centred")
    assert _one(d).verdict == Verdict.REFUTED


def test_centred_data_over_the_whole_range_vanishes():
    from derivcheck_steps import E

    ctx, N, j, k, x, m = _centred()
    d = derivation("whole range", ctx)
    d.chain(E(sp.Sum(m[j] * x[k, j], (k, 1, N)))).eq(0, by="centred")
    assert _one(d).verdict == Verdict.PROVED


# -- 5. contradictory hypotheses ----------------------------------------------------------------------------

def test_hypothesis_contradicting_a_declaration_is_reported_as_vacuous():
    ctx = Context("q")
    q = ctx.scalar("q", positive=True)
    d = derivation("vacuous", ctx)
    d.claim(sp.Gt(-q, 0, evaluate=False), by="from q < 0", given=[sp.Lt(q, 0, evaluate=False)])
    res = _one(d)
    assert res.verdict == Verdict.UNKNOWN
    assert "vacuously" in res.reason


def test_contradictory_assumed_facts_are_reported_as_vacuous():
    ctx, y = _x()
    ctx.assume(y > 0, because="one author")
    ctx.assume(-y > 0, because="another author")
    d = derivation("vacuous", ctx)
    d.claim(sp.Gt(y, 0, evaluate=False), by="assumed")
    res = _one(d)
    assert res.verdict == Verdict.UNKNOWN
    assert "vacuously" in res.reason


def test_two_hypotheses_that_exclude_each_other_are_reported_as_vacuous():
    # x > 1 and x < 0 cannot both hold
    ctx, x = _x()
    d = derivation("vacuous", ctx)
    d.claim(sp.Gt(x**2, 1, evaluate=False), by="x > 1", given=[sp.Gt(x, 1, evaluate=False), sp.Lt(x, 0, evaluate=False)])
    res = _one(d)
    assert res.verdict == Verdict.UNKNOWN and "vacuously" in res.reason


def test_satisfiable_hypothesis_still_proves():
    ctx, x = _x()
    d = derivation("fine", ctx)
    d.claim(sp.Gt(2 * x, 0, evaluate=False), by="twice a positive number", given=[sp.Gt(x, 0, evaluate=False)])
    assert _one(d).verdict == Verdict.PROVED


def _triangle_masks():
    from derivcheck_steps import Bernoulli

    ctx, n, j, k = _triangle()
    p = ctx.scalar("p", interval=(0, 1))
    m = ctx.random("m", k, dist=Bernoulli(p))
    return ctx, n, j, k, p, m


def test_expectation_of_a_triangular_sum_is_proved():
    # E[Σ_{j=1}^{n} Σ_{k=1}^{j} m_k] = p · (number of pairs k ≤ j) = p n(n+1)/2
    from derivcheck_steps import E

    ctx, n, j, k, p, m = _triangle_masks()
    d = derivation("E triangle", ctx)
    d.chain(E(sp.Sum(sp.Sum(m[k], (k, 1, j)), (j, 1, n)))).eq(p * n * (n + 1) / 2, by="linearity")
    assert _one(d).verdict == Verdict.PROVED


def test_expectation_of_a_triangular_sum_does_not_leak_the_outer_index():
    # p n j is not p n(n+1)/2 (n = 2, j = 1: 2p vs 3p)
    from derivcheck_steps import E

    ctx, n, j, k, p, m = _triangle_masks()
    d = derivation("E leak", ctx)
    d.chain(E(sp.Sum(sp.Sum(m[k], (k, 1, j)), (j, 1, n)))).eq(p * n * j, by="linearity")
    assert _one(d).verdict == Verdict.REFUTED


def test_expectation_of_a_triangular_sum_with_coinciding_masks_is_proved():
    # pairs k = j: n of them, E[m_j²] = p; pairs k < j: n(n−1)/2 of them, E[m_k m_j] = p²
    from derivcheck_steps import E

    ctx, n, j, k, p, m = _triangle_masks()
    d = derivation("E pairs", ctx)
    d.chain(E(sp.Sum(sp.Sum(m[k] * m[j], (k, 1, j)), (j, 1, n)))).eq(n * p + p**2 * n * (n - 1) / 2, by="split k = j")
    assert _one(d).verdict == Verdict.PROVED


def test_expectation_of_a_three_level_triangular_sum_is_proved():
    # triples k ≤ j ≤ i ≤ n: k = j for n(n+1)/2 of them (E = p), k < j for Σ_i i(i−1)/2 = (n³ − n)/6
    # (E = p²); n = 2: (1,1,1), (2,1,1), (2,2,2) and (2,2,1) — 3 and 1, as the formulas say
    from derivcheck_steps import E

    ctx, n, j, k, p, m = _triangle_masks()
    i = ctx.index("i", n)
    d = derivation("E triple", ctx)
    d.chain(E(sp.Sum(m[j] * m[k], (k, 1, j), (j, 1, i), (i, 1, n)))).eq(
        p * n * (n + 1) / 2 + p**2 * (n**3 - n) / 6, by="split k = j")
    assert _one(d).verdict == Verdict.PROVED
