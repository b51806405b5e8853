"""Powers with symbolic exponents decided by adding exponents (checks/power_products.py).

The rule proves an identity only where every rewrite holds: bases taken apart only when positive,
(x^b)^a = x^(ab) only for x > 0. Wrong variants (a perturbed exponent, a base of unknown sign,
(x²)^(1/2) = x) must never cancel; a randomized check compares every "cancels" with exact values.
"""

from __future__ import annotations

import random
import textwrap
from pathlib import Path

import pytest
import sympy as sp

from derivcheck_steps import Verdict, check_derivation
from derivcheck_steps.canonical import prove_zero
from derivcheck_steps.latex.documents import read_document
from derivcheck_steps.power_products import METHOD, cancels

a, b, N, C, A, B = sp.symbols("alpha beta N C A B", positive=True)
x = sp.Symbol("x", real=True)
G = (a * A / (b * B)) ** (1 / (a + b))
N_OPT = G * (C / 6) ** (b / (a + b))
LOSS = A / N**a + B / (C / (6 * N)) ** b


def test_the_chinchilla_optimum_is_proved_by_adding_exponents() -> None:
    proof = prove_zero(sp.diff(LOSS, N).subs(N, N_OPT))
    assert proof.proved and proof.method == METHOD
    assert cancels(C / (6 * N_OPT) - (C / 6) ** (a / (a + b)) / G)


@pytest.mark.parametrize("wrong", [
    sp.diff(LOSS, N).subs(N, 2 * N_OPT),                      # a factor 2 too many
    C / (6 * N_OPT) - (C / 6) ** (b / (a + b)) / G,          # the exponent's numerator swapped
    C / (6 * N_OPT) - 6 * (C / 6) ** (a / (a + b)) / G,       # a stray 6
    (x**2) ** sp.Rational(1, 2) - x,                          # |x|, not x, for a real x
    (A * x) ** a - A**a * x**a,                               # x of unknown sign: not taken apart
    6**a - 2**a * 3**b,
    4**a - 2**a,
])
def test_wrong_variants_never_cancel(wrong: sp.Expr) -> None:
    assert not cancels(wrong)


def test_related_numbers_and_exponents_combine() -> None:
    assert cancels(4**a - 2 ** (2 * a))
    assert cancels(2 ** (a + 1) - 2 * 2**a)
    assert cancels(N ** (a + b) * N ** (-b) - N**a)
    assert cancels(sp.exp(a) * sp.exp(b) - sp.exp(a + b) + (C / 6) ** a - C**a / 6**a)


def _random_power_sum(rng: random.Random) -> sp.Expr:
    """A small sum of products of powers of positive symbols, numbers and a real x, with exponents
    built from α, β and small rationals; half the time minus a rewritten copy of itself."""
    bases = [N, C, A, sp.Integer(2), sp.Integer(6), sp.Rational(3, 4), x, N * C, C / 6]
    exps = [a, b, a + b, 1 / (a + b), b / (a + b), sp.Integer(2), sp.Rational(1, 2), -a]
    terms = []
    for _ in range(rng.randint(1, 3)):
        term = sp.Rational(rng.randint(-3, 3) or 1, rng.randint(1, 3))
        for _ in range(rng.randint(1, 3)):
            term *= rng.choice(bases) ** rng.choice(exps)
        terms.append(term)
    e = sp.Add(*terms)
    if rng.random() < 0.5:  # a true identity: the same sum rewritten (expanded powers)
        return e - sp.expand_power_base(sp.powsimp(e), force=False)
    return e - sp.Add(*terms[:-1]) - terms[-1] * rng.choice([2, sp.Rational(1, 2), N ** sp.Rational(1, 3)])


def test_cancels_agrees_with_exact_values_on_random_sums() -> None:
    rng = random.Random(4)
    point = {a: sp.Rational(1, 3), b: sp.Rational(2, 5), N: sp.Rational(7, 2), C: 5, A: sp.Rational(3, 7),
             x: sp.Rational(-3, 2)}
    decided = 0
    for _ in range(120):
        e = _random_power_sum(rng)
        if cancels(e):
            decided += 1
            assert abs(sp.N(e.xreplace(point), 30)) < 1e-25, e
    assert decided >= 10  # the rule does decide identities here, not only refuse


DOC = r"""
\documentclass{article}
\begin{document}
\section{Compute-optimal model size}
% derivcheck: scalar N positive
% derivcheck: scalar C positive
% derivcheck: scalar A positive
% derivcheck: scalar B positive
% derivcheck: scalar \alpha positive
% derivcheck: scalar \beta positive
With $D = C/(6N)$ the loss is $L(N) = A N^{-\alpha} + B (C/(6N))^{-\beta}$. At the optimum
$N^\star = G\,(C/6)^{\beta/(\alpha+\beta)}$ with $G = \left(\frac{\alpha A}{\beta B}\right)^{1/(\alpha+\beta)}$,
\begin{align*}
\frac{C}{6 \left(\frac{\alpha A}{\beta B}\right)^{1/(\alpha+\beta)} (C/6)^{\beta/(\alpha+\beta)}} \\
&= \left(\frac{\alpha A}{\beta B}\right)^{-1/(\alpha+\beta)} \left(\frac{C}{6}\right)^{\alpha/(\alpha+\beta)} \\
&= \left(\frac{\alpha A}{\beta B}\right)^{-1/(\alpha+\beta)} \left(\frac{C}{6}\right)^{\beta/(\alpha+\beta)}
\end{align*}
\end{document}
"""


def test_a_document_with_the_optimum_is_proved_and_a_swapped_exponent_refuted(tmp_path: Path) -> None:
    path = tmp_path / "chinchilla.tex"
    path.write_text(textwrap.dedent(DOC), encoding="utf-8")
    steps = [s for d in read_document(path) for s in check_derivation(d).steps]
    assert [s.verdict for s in steps] == [Verdict.PROVED, Verdict.REFUTED]


@pytest.mark.parametrize("family", ["shifted symbolic exponents", "powers of one factor"])
def test_mutants_of_the_built_in_optimum_are_never_proved(family: str) -> None:
    from derivations import compute_optimal
    from derivcheck_steps.engine import check_step
    from derivcheck_steps.mutants_prove import FAMILIES

    d = compute_optimal.model_size
    mutants = [(step, m) for step in d.steps if step.experiment is None for m in FAMILIES[family](d, step)]
    assert len(mutants) >= 3, f"no {family} mutant of the built-in optimum"
    verdicts = {check_step(d, m.as_step(step)).verdict for step, m in mutants}
    assert verdicts <= {Verdict.REFUTED, Verdict.UNKNOWN}, verdicts
