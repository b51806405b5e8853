"""Audit family: steps about variables whose joint law is open (not declared independent).

Linearity proves Cov[aX + b, Y] = a Cov[X, Y] and Var[X + Y] = Var X + Var Y + 2 Cov[X, Y]
without independence; the mutants assume independence or slip a sign or a factor, and must never
be PROVED or CHECKED (most are REFUTED at jointly normal X, Y with correlation ½).
"""

from __future__ import annotations

import sympy as sp

from derivcheck_steps.audit_families import Case, _cases
from derivcheck_steps.context import Context
from derivcheck_steps.model import derivation
from derivcheck_steps.randomness import Cov, E, Moments, Var

# X, Y jointly normal, correlation ½, means 1 and 2, variances 4 and 9: Cov = ½·2·3 = 3 ≠ 0.
WITNESS = "X, Y jointly normal with correlation 1/2 (allowed: only their means and variances are declared): Cov[X, Y] = 3"


def joint_moments() -> list[Case]:
    ctx = Context("joint moments")
    a, b = ctx.scalar("a"), ctx.scalar("b")
    X = ctx.random("X", dist=Moments(1, 4))
    Y = ctx.random("Y", dist=Moments(2, 9))  # not declared independent of X
    d = derivation("joint moments", ctx, id="family:joint moments")
    d.claim(sp.Eq(Cov(a * X + b, Y), a * Cov(X, Y)), by="bilinearity")
    d.claim(sp.Eq(Var(X + Y), Var(X) + Var(Y) + 2 * Cov(X, Y)), by="variance of a sum")
    d.claim(sp.Eq(E((X - 1) * (Y - 2)), Cov(X, Y)), by="definition")
    return _cases(d, {
        1: [("independence not declared", sp.Eq(Cov(a * X + b, Y), 0), WITNESS),
            ("a shift is kept", sp.Eq(Cov(a * X + b, Y), a * Cov(X, Y) + b), "any law with b ≠ 0")],
        2: [("independence not declared", sp.Eq(Var(X + Y), Var(X) + Var(Y)), WITNESS),
            ("the factor 2 dropped", sp.Eq(Var(X + Y), Var(X) + Var(Y) + Cov(X, Y)), WITNESS),
            ("a sign slip", sp.Eq(Var(X - Y), Var(X) + Var(Y) + 2 * Cov(X, Y)), WITNESS)],
        3: [("independence not declared", sp.Eq(E(X * Y), E(X) * E(Y)), WITNESS)],
    })
