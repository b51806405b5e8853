"""Issue 13's rules never prove a wrong variant: each family of checks/mutants_sums.py applied to a
correct step that the new rules prove; the variant is wrong by the argument stated per test."""

from __future__ import annotations

import textwrap
from pathlib import Path

from derivcheck_steps import Verdict
from derivcheck_steps.engine import check_step
from derivcheck_steps.latex.documents import read_document
from derivcheck_steps.mutants_prove import FAMILIES

HEAD = "\\documentclass{article}\n\\begin{document}\n\\section{S}\n% derivcheck: context s\n"


def _step(tmp_path: Path, decls: str, body: str):
    path = tmp_path / "m.tex"
    path.write_text(HEAD + textwrap.dedent(decls).strip() + "\n" + textwrap.dedent(body).strip() + "\n\\end{document}\n",
                    encoding="utf-8")
    (d,) = read_document(path)
    step = d.steps[0]
    assert check_step(d, step).verdict == Verdict.PROVED  # the rule proves the correct step
    return d, step


def _mutant_verdicts(d, step, family: str) -> list[Verdict]:
    ms = FAMILIES[family](d, step)
    assert ms, f"no {family} mutant"
    return [check_step(d, m.as_step(step)).verdict for m in ms]


def test_swapped_indices_under_a_double_sum_are_refuted(tmp_path):
    # Σ_i Σ_j A_ji a_i b_j = bᵀ A a, not aᵀ A b, for a general A
    d, step = _step(tmp_path, """
        % derivcheck: dims n
        % derivcheck: index i n
        % derivcheck: index j n
        % derivcheck: matrix A n n
        % derivcheck: vector a n
        % derivcheck: vector b n
    """, r"""
        \begin{align*}
        \sum_{i=1}^{n} \sum_{j=1}^{n} A_{ij} a_i b_j &= \sum_{j=1}^{n} b_j \sum_{i=1}^{n} a_i A_{ij}
        \end{align*}
    """)
    assert set(_mutant_verdicts(d, step, "swapped entry indices")) == {Verdict.REFUTED}


def test_swapped_outer_factors_are_refuted(tmp_path):
    # x xᵀ w is x (xᵀw); w xᵀ x is w (xᵀx): different directions
    d, step = _step(tmp_path, """
        % derivcheck: dims d
        % derivcheck: vector w d
        % derivcheck: vector x d
        % derivcheck: scalar t
    """, r"""
        \begin{align*}
        2\left(w^\top x - t\right) x &= 2 x x^\top w - 2 t x
        \end{align*}
    """)
    assert set(_mutant_verdicts(d, step, "swapped outer factors")) == {Verdict.REFUTED}


def test_shifted_binomials_are_refuted(tmp_path):
    # Σ k C(n, k+1) pᵏ(1−p)ⁿ⁻ᵏ, Σ k C(n+1, k) …, Σ k C(n, k) pᵏ⁺¹ … all differ from np (n = 1 already)
    d, step = _step(tmp_path, """
        % derivcheck: dims n
        % derivcheck: index k n
        % derivcheck: scalar p interval 0 1
    """, r"""
        \begin{align*}
        np &= \sum_{k=0}^{n} k \binom{n}{k} p^k (1-p)^{n-k}
        \end{align*}
    """)
    verdicts = _mutant_verdicts(d, step, "shifted binomials")
    assert len(verdicts) == 4 and set(verdicts) == {Verdict.REFUTED}


def test_shifted_delta_is_refuted(tmp_path):
    # ∂/∂z_l of e^{z_k}/S has δ_kl, not δ_k(l+1)
    d, step = _step(tmp_path, """
        % derivcheck: dims K
        % derivcheck: index j K
        % derivcheck: index k K
        % derivcheck: index l K
        % derivcheck: vector z K
    """, r"""
        \begin{align*}
        \frac{\partial}{\partial z_l} \frac{e^{z_k}}{\sum_{j=1}^{K} e^{z_j}} &= \frac{e^{z_k}}{\sum_{j=1}^{K} e^{z_j}}\,\delta_{kl}
        - \frac{e^{z_k} e^{z_l}}{\left(\sum_{j=1}^{K} e^{z_j}\right)^2}
        \end{align*}
    """)
    assert all(v in (Verdict.REFUTED, Verdict.UNKNOWN) for v in _mutant_verdicts(d, step, "shifted deltas"))


def test_scaled_exponents_in_jensen_are_not_proved(tmp_path):
    # e^{a+b} ≤ (eᵃ + eᵇ)/2 fails at a = b = 1; e^{(a+b)/2} ≤ (e^{2a} + eᵇ)/2 fails at a = −1, b = 1/2…
    d, step = _step(tmp_path, """
        % derivcheck: scalar a
        % derivcheck: scalar b
    """, r"""
        \[ \exp\left(\frac{a+b}{2}\right) \le \frac{e^{a} + e^{b}}{2} . \]
    """)
    verdicts = _mutant_verdicts(d, step, "scaled exponents")
    assert Verdict.PROVED not in verdicts and Verdict.CHECKED not in verdicts


def test_dropping_a_term_that_does_not_vanish_is_refuted(tmp_path):
    # the k = 0 term of k² yᵏ vanishes (the rule drops it); the k = 1 and k = n terms do not (y > 0)
    d, step = _step(tmp_path, """
        % derivcheck: dims n
        % derivcheck: index k n
        % derivcheck: scalar x
        % derivcheck: scalar y positive
    """, r"""
        \begin{align*}
        \sum_{k=0}^{n} k^2 y^k x &= x \sum_{k=1}^{n} k^2 y^k
        \end{align*}
    """)
    assert set(_mutant_verdicts(d, step, "sub-range sums")) == {Verdict.REFUTED}
