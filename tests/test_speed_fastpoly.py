"""derivcheck_steps.fastpoly decides rational-function identities exactly, and declines what it cannot read."""

from __future__ import annotations

import random

import pytest
import sympy as sp

from derivcheck_steps import fastpoly
from derivcheck_steps.symbolic import prove_zero

pytestmark = pytest.mark.skipif(not fastpoly.available(), reason="python-flint is not installed")

x, y, z = sp.symbols("x y z")


def _random_polynomial(rng: random.Random) -> sp.Expr:
    """A small random polynomial, written as a sum of products of powers of binomials."""
    terms = []
    for _ in range(rng.randint(1, 4)):
        factors = [sp.Rational(rng.randint(-5, 5), rng.randint(1, 4))]
        for _ in range(rng.randint(1, 3)):
            factors.append((rng.choice((x, y, z)) + rng.randint(-3, 3) * rng.choice((x, y, z, 1))) ** rng.randint(1, 3))
        terms.append(sp.Mul(*factors))
    return sp.Add(*terms)


def test_random_polynomial_identities_agree_with_sympy_expand() -> None:
    rng = random.Random(20261128)
    for _ in range(60):
        p = _random_polynomial(rng)
        expanded = sp.expand(p)  # the other side, written expanded: a true identity
        assert fastpoly.decide_zero(p - expanded) is True
        perturbed = expanded + rng.choice((1, -1)) * rng.choice((x, y * z, x**2, sp.Rational(1, 3)))
        # SymPy's expand is canonical for polynomials: it says whether the perturbed one is zero
        assert fastpoly.decide_zero(p - perturbed) is (sp.expand(p - perturbed) == 0)


def test_a_true_rational_identity_is_zero() -> None:
    # partial fractions, checked by hand: 1/(x(x+1)) = 1/x - 1/(x+1)
    assert fastpoly.decide_zero(1 / (x * (x + 1)) - (1 / x - 1 / (x + 1))) is True


def test_a_wrong_rational_identity_is_nonzero_with_the_reduced_residual() -> None:
    zero, residual = fastpoly.decide(1 / (x * (x + 1)) - (1 / x + 1 / (x + 1)))
    assert zero is False
    # by hand: 1/(x(x+1)) - (2x+1)/(x(x+1)) = -2x/(x(x+1)) = -2/(x+1)
    assert sp.simplify(residual - (-2 / (x + 1))) == 0


def test_a_telescoping_sum_of_64_terms() -> None:
    # sum_{k=1}^{m} 1/((x+k)(x+k+1)) = 1/(x+1) - 1/(x+m+1), each term being 1/(x+k) - 1/(x+k+1)
    lhs = sp.Add(*[1 / ((x + k) * (x + k + 1)) for k in range(1, 65)])
    assert fastpoly.decide_zero(lhs - (1 / (x + 1) - 1 / (x + 65))) is True
    assert fastpoly.decide_zero(lhs - (1 / (x + 1) - 1 / (x + 64))) is False


@pytest.mark.parametrize("expr", [
    sp.sqrt(x) - x,  # a non-integer power
    x**y - 1,  # a symbolic exponent
    sp.sin(x) - x,  # a function
    sp.Float(0.5) * x - x / 3,  # an inexact number
    sp.pi - 3,  # a constant that is not rational
    sp.I * x,  # the imaginary unit
    sp.IndexedBase("a")[1] - sp.IndexedBase("a")[2],  # an indexed entry
    sp.Sum(x, (y, 1, 3)),  # a sum with an index
    sp.Function("f")(x) - x,  # an undefined function
])
def test_out_of_scope_gives_none(expr: sp.Expr) -> None:
    assert fastpoly.decide(expr) is None


def test_a_matrix_gives_none() -> None:
    A = sp.MatrixSymbol("A", 2, 2)
    assert fastpoly.decide(A - A.T) is None


def test_division_by_an_identically_zero_polynomial_gives_none() -> None:
    zero = sp.Add(x, -x, evaluate=False)  # written unevaluated: (x - x)**-1 is 1/0
    assert fastpoly.decide(sp.Pow(zero, -1, evaluate=False)) is None


def test_prove_zero_names_the_exact_method() -> None:
    proof = prove_zero((x + y) ** 2 - (x**2 + 2 * x * y + y**2))
    assert proof.proved and proof.method == fastpoly.METHOD


def test_prove_zero_refusal_carries_the_reduced_residual() -> None:
    proof = prove_zero((x + y) ** 2 - (x**2 + x * y + y**2))
    assert not proof.proved
    assert sp.expand(proof.residual - x * y) == 0
    assert "nonzero rational function" in proof.reason


def test_prove_zero_falls_back_to_sympy_out_of_scope() -> None:
    proof = prove_zero(sp.sin(x) ** 2 + sp.cos(x) ** 2 - 1)
    assert proof.proved and proof.method != fastpoly.METHOD


def test_a_power_too_large_to_expand_is_left_to_sympy() -> None:
    many = sp.Add(*sp.symbols("s1:11"))  # (s1 + … + s10)^64 would have C(73, 9) > 10^10 terms
    assert fastpoly.decide(many**64 - x) is None
