"""Mutant families for the audit: small seed derivations with the mistakes the built-in steps cannot show.

Each family builds seed steps that hold and, for each, wrong variants made the way people err
where the numeric evidence used to be fooled (issue 12):

- branch cuts: √(ab) → √a√b, log(a²) → 2 log a, (a^b)^c → a^(bc), for reals of any sign;
- decimals: a rational or an irrational constant replaced by a 16-digit decimal;
- sizes: identities in n that hold only for n ≤ 4 (or 5);
- boundaries: inequalities that fail only at a non-dyadic point (1/3, 2/3, 1/6);
- sampled laws: moments of a ``Moments`` family that hold for a normal only, factorising
  expectations of families not declared independent, rare events, heavy tails.

Most mutants are judged wrong by the audit's own oracle (exact evaluation at fresh points); for
the sampled-law ones the oracle cannot sample what is not declared, so each carries a
``witness``: a law allowed by the declarations where it fails, checked by hand in the comment.

A family is a function returning ``Case``s; ``families()`` adds those of an optional module
``derivcheck_steps.mutants_prove`` (its ``FAMILIES``: name -> function, same shape), so other helpers can
plug in their own without editing this file.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import sympy as sp

from derivcheck_steps.audit import Mutant
from derivcheck_steps.context import Context
from derivcheck_steps.model import Derivation, Step, derivation
from derivcheck_steps.randomness import Bernoulli, E, Moments, Normal, Var


@dataclass
class Case:
    """A seed step (true) and its wrong variants."""

    derivation: Derivation
    step: Step
    mutants: list[Mutant]


Family = Callable[[], list[Case]]


def _cases(d: Derivation, mutants: dict[int, list[tuple]]) -> list[Case]:
    """Cases of ``d``: step index -> [(operator, new expression[, witness])]."""
    out = []
    for step in d.steps:
        rows = mutants.get(step.index, [])
        out.append(Case(d, step, [Mutant(d.id or d.title, step.index, op, expr, *rest) for op, expr, *rest in rows]))
    return out


def branch_cuts() -> list[Case]:
    ctx = Context("branch cuts")
    x, y = ctx.scalar("x"), ctx.scalar("y")
    d = derivation("branch cuts", ctx, id="family:branch cuts")
    d.chain(sp.sqrt(x * y) + 1).eq(1 + sp.sqrt(x * y), by="commute")
    d.chain(sp.log(x**2) + y).eq(y + sp.log(x**2), by="commute")
    d.chain(sp.log(x**2 * y**2)).eq(sp.log(x**2) + sp.log(y**2), by="log of a product of positives")
    d.chain(sp.sqrt(x**2) + y).eq(sp.Abs(x) + y, by="√(x²) = |x|")
    d.chain(sp.Pow(x**2, sp.Rational(3, 2))).eq(sp.Abs(x) ** 3, by="(x²)^(3/2) = |x|³")
    d.chain(sp.sqrt(x**2 / (y**2 + 1))).eq(sp.Abs(x) / sp.sqrt(y**2 + 1), by="root of a quotient")
    return _cases(d, {
        1: [("split a root of a product", 1 + sp.sqrt(x) * sp.sqrt(y))],
        2: [("log of a square as twice the log", y + 2 * sp.log(x))],
        3: [("log of a product as a sum of logs", 2 * sp.log(x) + 2 * sp.log(y)),
            ("log of a square as twice the log", 2 * sp.log(x * y))],
        4: [("(a^b)^c as a^(bc)", x + y)],
        5: [("(a^b)^c as a^(bc)", x**3)],
        6: [("split a root of a quotient", sp.sqrt(x**2) / sp.sqrt(y**2 + 1) * sp.sign(x))],
    })


def decimals() -> list[Case]:
    ctx = Context("decimals")
    x, y = ctx.scalar("x"), ctx.scalar("y")
    d = derivation("decimals", ctx, id="family:decimals")
    d.chain(x / 12 + y).eq(y + x / 12, by="commute")
    d.chain(x / 3 - y / 7).eq(-y / 7 + x / 3, by="commute")
    d.chain(sp.sqrt(17) * x).eq(x * sp.sqrt(17), by="commute")
    d.chain(sp.pi * x + y).eq(y + sp.pi * x, by="commute")
    d.chain(sp.exp(1) * x).eq(x * sp.E, by="commute")
    dec = lambda v: sp.Float(sp.N(v, 16), 16)  # noqa: E731 - a 16-digit decimal as a calculator shows it
    return _cases(d, {
        1: [("a rational as a 16-digit decimal", y + dec(sp.Rational(1, 12)) * x)],
        2: [("a rational as a 16-digit decimal", -dec(sp.Rational(1, 7)) * y + x / 3),
            ("a rational as a 16-digit decimal", -y / 7 + dec(sp.Rational(1, 3)) * x)],
        3: [("a root as a 16-digit decimal", dec(sp.sqrt(17)) * x)],
        4: [("π as a 16-digit decimal", y + dec(sp.pi) * x)],
        5: [("e as a 16-digit decimal", dec(sp.E) * x)],
    })


def sizes() -> list[Case]:
    ctx = Context("sizes")
    (n,) = ctx.dims("n")
    k = ctx.index("k", n)
    d = derivation("sizes", ctx, id="family:sizes")
    d.claim(sp.Eq(sp.Sum(k, (k, 1, n)), n * (n + 1) / 2), by="Gauss")
    d.claim(sp.Eq(sp.Sum(k**2, (k, 1, n)), n * (n + 1) * (2 * n + 1) / 6), by="sum of squares")
    d.claim(sp.Eq(sp.Sum(1, (k, 1, n)), n), by="count")
    four = (n - 1) * (n - 2) * (n - 3) * (n - 4)
    return _cases(d, {
        1: [("true for n ≤ 4 only", sp.Eq(sp.Sum(k, (k, 1, n)), n * (n + 1) / 2 + four))],
        2: [("true for n ≤ 5 only", sp.Eq(sp.Sum(k**2, (k, 1, n)), n * (n + 1) * (2 * n + 1) / 6
                                             + four * (n - 5) / 120))],
        3: [("true for n ≤ 4 only", sp.Eq(sp.Sum(1, (k, 1, n)), n + four / 24))],
    })


def boundaries() -> list[Case]:
    ctx = Context("boundaries")
    x = ctx.scalar("x")
    p = ctx.scalar("p", interval=(0, 1))
    d = derivation("boundaries", ctx, id="family:boundaries")
    d.claim(sp.GreaterThan((3 * x - 1) ** 2, 0, evaluate=False), by="a square")
    d.claim(sp.GreaterThan((3 * x - 2) ** 2, 0, evaluate=False), by="a square")
    d.claim(sp.LessThan(x * (1 - 3 * x), sp.Rational(1, 12), evaluate=False), by="vertex at x = 1/6")
    d.claim(sp.GreaterThan((3 * p - 1) ** 2, 0, evaluate=False), by="a square")
    return _cases(d, {
        1: [("strict where equality is reached at 1/3", sp.StrictGreaterThan((3 * x - 1) ** 2, 0, evaluate=False)),
            ("a bound that fails near 1/3", sp.GreaterThan((3 * x - 1) ** 2, sp.Rational(1, 10**8), evaluate=False))],
        2: [("strict where equality is reached at 2/3", sp.StrictGreaterThan((3 * x - 2) ** 2, 0, evaluate=False))],
        3: [("strict where equality is reached at 1/6",
             sp.StrictLessThan(x * (1 - 3 * x), sp.Rational(1, 12), evaluate=False))],
        4: [("strict where equality is reached at 1/3", sp.StrictGreaterThan((3 * p - 1) ** 2, 0, evaluate=False))],
    })


def sampled_laws() -> list[Case]:
    ctx = Context("sampled laws")
    (n,) = ctx.dims("n")
    j = ctx.index("j", n)
    s = ctx.scalar("s", positive=True)
    p = ctx.scalar("p", interval=(0, 1))
    Y = ctx.random("Y", j, dist=Moments(0, s))
    m = ctx.random("m", j, dist=Bernoulli(p))
    pi = ctx.random("pi", j, dist=Moments(1, 2))  # not declared independent of m
    r = ctx.random("r", j, dist=Bernoulli(sp.Rational(1, 10**6)))
    X = ctx.random("X", j, dist=Normal(0, 1))
    d = derivation("sampled laws", ctx, id="family:sampled laws")
    d.claim(sp.Eq(E(Y[j] ** 2), s), by="second moment")
    d.claim(sp.Eq(E(m[j]), p), by="Bernoulli mean")
    d.claim(sp.Eq(E(10**7 * r[j]), 10), by="rare event")
    d.claim(sp.Eq(E(X[j] ** 60), sp.factorial2(59)), by="normal moment")
    # A coupling allowed by the declarations: π = 1 + √2 (m − p)/√(p(1−p)) has mean 1 and variance 2,
    # and then E[mπ] = p + √2 (p − p²)/√(p(1−p)) = p + √(2p(1−p)) ≠ p = E[m]E[π], Cov(m, π) ≠ 0.
    coupling = "π = 1 + √2 (m − p)/√(p(1−p)): E[mπ] = p + √(2p(1−p)) ≠ p"
    return _cases(d, {
        1: [("a normal moment for any law with these moments", sp.Eq(E(Y[j] ** 4), 3 * s**2),
             "Y = ±√s with probability 1/2 each: E[Y⁴] = s² ≠ 3s²"),
            ("a symmetric law assumed", sp.Eq(E(Y[j] ** 3), 0),
             "Y = √s (Exp(1) − 1): E[Y³] = s^(3/2) E[(Z − 1)³] = 2 s^(3/2) ≠ 0")],
        2: [("independence not declared", sp.Eq(E(m[j] * pi[j]), E(m[j]) * E(pi[j])), coupling),
            ("independence not declared", sp.Eq(Var(m[j] + pi[j]), Var(m[j]) + Var(pi[j])), coupling)],
        3: [("a rare event never drawn", sp.Eq(E(10**7 * r[j]), 0), "E[10⁷ r] = 10⁷ · 10⁻⁶ = 10 ≠ 0")],
        4: [("a heavy-tailed moment", sp.Eq(E(X[j] ** 60), sp.factorial2(57)),
             "E[X⁶⁰] = 59!! = 59 · 57!! ≠ 57!!")],
    })


def matrix_properties() -> list[Case]:
    """Declared properties used where they hold, and the same rewrites on matrices that lack them."""
    from derivcheck_steps.constraints import Constraint

    ctx = Context("matrix properties")
    (n,) = ctx.dims("n")
    k = ctx.index("k", n)
    A, B, C = ctx.matrix("A", n, n), ctx.matrix("B", n, n), ctx.matrix("C", n, n)
    D, F = ctx.matrix("D", n, n), ctx.matrix("F", n, n)
    Q, S = ctx.matrix("Q", n, n), ctx.matrix("S", n, n)
    x, y, u = ctx.vector("x", n), ctx.vector("y", n), ctx.vector("u", n)
    w, z = ctx.indexed("w", k), ctx.indexed("z", k)
    ctx.matrix_property(A, "symmetric")
    ctx.matrix_property(D, "diagonal")
    ctx.matrix_property(F, "diagonal")
    ctx.matrix_property(Q, "orthogonal")
    ctx.matrix_property(S, "pd")
    ctx.constrain(Constraint("norm", u))
    ctx.constrain(Constraint("sum", w, sp.Integer(1), k, sp.Integer(1), n, w[k]))
    T, eye, zero = sp.Transpose, sp.Identity(n), sp.ZeroMatrix(n, 1)
    d = derivation("matrix properties", ctx, id="family:matrix properties")
    d.chain(T(x) * (A + B) * y).eq(T(y) * A * x + T(x) * B * y, by="A symmetric")
    d.chain(T(x) * B * y).eq(T(y) * T(B) * x, by="a scalar is its transpose")
    d.chain(D * F * C * x).eq(F * D * C * x, by="diagonal matrices commute")
    d.chain(C * B * x + D * F * x).eq(C * B * x + F * D * x, by="diagonal matrices commute")
    d.chain(T(Q * x) * (Q * y)).eq(T(x) * y, by="Q orthogonal")
    d.chain(T(C * x) * (C * y)).eq(T(x) * T(C) * C * y, by="transpose of a product")
    d.chain(T(B) * x + T(S) * x).eq(T(B) * x + S * x, by="S positive definite, so symmetric")
    d.chain((eye - u * T(u)) * u).eq(zero, by="‖u‖ = 1")
    d.chain((eye - x * T(x)) * x).eq(x - x * T(x) * x, by="expand")
    d.chain(sp.Sum(w[k] * (z[k] + 1), (k, 1, n))).eq(sp.Sum(w[k] * z[k], (k, 1, n)) + 1, by="Σ w = 1")
    d.chain(sp.Sum(z[k] * (w[k] + 1), (k, 1, n))).eq(sp.Sum(w[k] * z[k], (k, 1, n)) + sp.Sum(z[k], (k, 1, n)),
                                                      by="distribute")
    return _cases(d, {
        1: [("Bᵀ = B for a matrix not declared symmetric", T(y) * (A + B) * x)],
        2: [("Bᵀ = B for a matrix not declared symmetric", T(y) * B * x)],
        3: [("a diagonal and a plain matrix commute", D * C * F * x)],
        4: [("two plain matrices commute", B * C * x + F * D * x)],
        5: [("QQ = I", T(x) * Q * Q * y), ("Q = I", T(x) * Q * y)],
        6: [("CᵀC = I for a matrix not declared orthogonal", T(x) * y)],
        7: [("Bᵀ = B beside a definite S", B * x + S * x)],
        8: [("uuᵀ = I", u)],
        9: [("xᵀx = 1 for a vector not declared unit", zero)],
        10: [("Σ z = 1 for a sum that was not constrained", sp.Sum(w[k] * z[k], (k, 1, n)) + sp.Sum(z[k], (k, 1, n)) + 1)],
        11: [("Σ z = 1 for data not constrained", sp.Sum(w[k] * z[k], (k, 1, n)) + 1)],
    })


FAMILIES: dict[str, Family] = {
    "matrix properties": matrix_properties,
    "branch cuts": branch_cuts,
    "decimals": decimals,
    "sizes": sizes,
    "boundaries": boundaries,
    "sampled laws": sampled_laws,
}


def families() -> dict[str, Family]:
    """This module's families (seed derivations with their wrong variants).

    ``derivcheck_steps.mutants_prove.FAMILIES`` are of another shape (per built-in step: cancelled factors,
    periodic solve sets, triangular and reversed bounds, sub-ranges, contradictory hypotheses) and
    are audited by tests/test_prove_mutants.py.
    """
    from derivcheck_steps.audit_joint import joint_moments  # its own module (it builds on this one's Case)
    from derivcheck_steps.audit_random import FAMILIES as RANDOM  # random vectors, variables known by two moments

    return dict(FAMILIES) | RANDOM | {"joint moments": joint_moments}
