"""Binomial sums in closed form (checks/binomial_sums.py) and Jensen's inequality for exp (checks/signs.py)."""

from __future__ import annotations

import textwrap
from pathlib import Path

import sympy as sp

from derivcheck_steps import Verdict, check_derivation
from derivcheck_steps.binomial_sums import closed_form
from derivcheck_steps.latex.documents import read_document

N = sp.Symbol("N", integer=True, nonnegative=True)
K = sp.Symbol("k", integer=True)
A, B = sp.symbols("A B", real=True)


def test_closed_form_matches_the_sum_term_by_term_for_small_sizes():
    for poly in (sp.Integer(1), K, K**2, K**3 - 2 * K + 5):
        a, b = sp.symbols("a b", positive=True)  # so that a + b ≠ 0 is known for the m > 0 terms
        closed = closed_form(sp.Sum(poly * sp.binomial(N, K) * a**K * b ** (N - K), (K, 0, N)))
        assert closed is not None
        for n in range(6):  # the identity holds wherever a + b ≠ 0
            for av, bv in ((sp.Rational(1, 3), sp.Rational(2, 3)), (2, -1), (3, 5)):
                direct = sum(poly.subs(K, k) * sp.binomial(n, k) * av**k * bv ** (n - k) for k in range(n + 1))
                assert sp.simplify(closed.subs({N: n, a: av, b: bv}) - direct) == 0


def test_shifted_index_and_weight():
    n = sp.Symbol("n", integer=True, positive=True)
    p = sp.Symbol("p", positive=True)
    s = sp.Sum(n * sp.binomial(n - 1, K - 1) * p**K * (1 - p) ** (n - K), (K, 1, n))
    assert sp.simplify(closed_form(s) - n * p) == 0


def test_not_a_full_binomial_sum_is_left_alone():
    # a partial range, a weight that is not a polynomial, a moment that needs A + B ≠ 0 at N < 2
    assert closed_form(sp.Sum(sp.binomial(N, K) * A**K, (K, 1, N))) is None
    assert closed_form(sp.Sum(sp.binomial(N, K) / (K + 1), (K, 0, N))) is None
    assert closed_form(sp.Sum(K * (K - 1) * sp.binomial(N, K) * A**K * B ** (N - K), (K, 0, N))) is None


def _verdicts(tmp_path: Path, text: str) -> list[Verdict]:
    path = tmp_path / "b.tex"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return [r.verdict for d in read_document(path) for r in check_derivation(d).steps]


def test_binomial_moments_in_a_document(tmp_path):
    text = r"""
    \documentclass{article}
    \begin{document}
    \section{Moments}
    % derivcheck: context moments
    % derivcheck: dims n
    % derivcheck: index k n
    % derivcheck: scalar p interval 0 1
    \begin{align*}
    \sum_{k=0}^{n} k^2 \binom{n}{k} p^k (1-p)^{n-k} &= np(1-p) + n^2p^2 \\
    &= np + n(n-1)p^2
    \end{align*}
    \begin{align*}
    \sum_{k=0}^{n} k^2 \binom{n}{k} p^k (1-p)^{n-k} &= np + n^2p^2
    \end{align*}
    \end{document}
    """
    assert _verdicts(tmp_path, text) == [Verdict.PROVED, Verdict.PROVED, Verdict.REFUTED]


JENSEN = r"""
\documentclass{article}
\begin{document}
\section{Jensen}
% derivcheck: context Jensen
% derivcheck: scalar a
% derivcheck: scalar b
% derivcheck: scalar x
\[ \exp\left(\frac{a+b}{2}\right) \le \frac{e^{a} + e^{b}}{2} \]
\[ e^{(a + 2b)/3} \le \frac{e^{a} + 2e^{b}}{3} \]
\[ e^{a} + e^{-a} \ge 2 \]
\[ \exp\left(\frac{a+b}{2}\right) \ge \frac{e^{a} + e^{b}}{2} \]
\[ e^{a} + e^{-a} > 2 \]
\end{document}
"""


def test_jensen_for_exp_is_proved_and_its_reversals_are_not(tmp_path):
    # the last two: the reversed inequality fails at a ≠ b; equality at a = 0 breaks the strict one
    v = _verdicts(tmp_path, JENSEN)
    assert v[:3] == [Verdict.PROVED] * 3
    assert v[3] == Verdict.REFUTED and v[4] in (Verdict.REFUTED, Verdict.UNKNOWN)
