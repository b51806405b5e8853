"""Sums compared up to the names of their indices (checks/sums.py): Σ_i r_i = Σ_j r_j, and a double
sum whose summand separates equals the product of the single sums, whatever the indices are called."""

from __future__ import annotations

import sympy as sp

from derivcheck_steps import Context, Verdict, check_derivation, derivation


def _data():
    ctx = Context("sums")
    (N,) = ctx.dims("N")
    i, j = ctx.index("i", N), ctx.index("j", N)
    return ctx, N, i, j, ctx.indexed("r", i)


def _verdicts(d):
    return [r.verdict for r in check_derivation(d).steps]


def test_renamed_index_is_proved():
    ctx, N, i, j, r = _data()
    d = derivation("rename", ctx)
    d.chain(sp.Sum(r[i], (i, 1, N))).eq(sp.Sum(r[j], (j, 1, N)), by="rename i to j")
    assert _verdicts(d) == [Verdict.PROVED]


def test_square_of_a_sum_is_the_double_sum():
    # (Σ_i r_i)² = Σ_i Σ_j r_i r_j
    ctx, N, i, j, r = _data()
    d = derivation("square", ctx)
    d.chain(sp.Sum(r[i], (i, 1, N)) ** 2).eq(sp.Sum(r[i] * r[j], (j, 1, N), (i, 1, N)), by="expand the square")
    assert _verdicts(d) == [Verdict.PROVED]


def test_separable_double_sum_is_the_product_and_wrong_ones_are_refuted():
    ctx, N, i, j, r = _data()
    d = derivation("separable", ctx)
    double = sp.Sum(r[i] * r[j] ** 2, (j, 1, N), (i, 1, N))
    d.chain(double).eq(sp.Sum(r[i], (i, 1, N)) * sp.Sum(r[j] ** 2, (j, 1, N)), by="separate")
    # the square lost: Σ_i Σ_j r_i r_j² ≠ (Σ r)² (N = 1, r = 2: 8 vs 4)
    d.chain(double).eq(sp.Sum(r[i], (i, 1, N)) * sp.Sum(r[j], (j, 1, N)), by="separate")
    # a triangular sum is not the full product (N = 2, r = (1, 1): 3 vs 4)
    tri = sp.Sum(r[i] * r[j], (j, 1, i), (i, 1, N))
    d.chain(tri).eq(sp.Sum(r[i], (i, 1, N)) * sp.Sum(r[j], (j, 1, N)), by="separate")
    assert _verdicts(d) == [Verdict.PROVED, Verdict.REFUTED, Verdict.REFUTED]
