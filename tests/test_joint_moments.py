"""Expectation steps about variables whose joint law is left open (not declared independent).

Linearity of E holds for every joint law, so bilinearity of Cov and the variance of a sum are
PROVED without independence; a step that silently assumes independence is REFUTED at a joint law
the declarations allow (jointly normal, correlation 1/2), and where no such law can be built
(Bernoulli marginals) it stays UNKNOWN — never CHECKED by sampling an independence nobody declared.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

from derivcheck_steps import Verdict, check_derivation
from derivcheck_steps.latex.documents import read_document

HEAD = r"""
\documentclass{article}
\begin{document}
\section{Two variables}
% derivcheck: context two variables
% derivcheck: scalar a
% derivcheck: scalar b
% derivcheck: scalar \mu_X
% derivcheck: scalar \mu_Y
% derivcheck: scalar \sigma_X positive
% derivcheck: scalar \sigma_Y positive
% derivcheck: random X moments \mu_X \sigma_X^2
% derivcheck: random Y moments \mu_Y \sigma_Y^2
"""


def _steps(tmp_path: Path, body: str, head: str = HEAD) -> list:
    path = tmp_path / "notes.tex"
    path.write_text(textwrap.dedent(head + body + "\\end{document}\n"), encoding="utf-8")
    return [r for d in read_document(path) for r in check_derivation(d).steps]


def test_bilinearity_of_covariance_is_proved_without_independence(tmp_path):
    body = r"""$X$ and $Y$ are not assumed independent.
\begin{align*}
\operatorname{Cov}[aX + b, Y] &= \mathbb{E}[(aX + b)Y] - \mathbb{E}[aX + b]\,\mathbb{E}[Y] \\
&= a\left(\mathbb{E}[XY] - \mu_X\mu_Y\right) \\
&= a\operatorname{Cov}[X, Y]
\end{align*}
"""
    assert [s.verdict for s in _steps(tmp_path, body)] == [Verdict.PROVED] * 3


def test_the_variance_of_a_sum_keeps_its_covariance_term(tmp_path):
    right = r"\[ \operatorname{Var}[X + Y] = \operatorname{Var}[X] + \operatorname{Var}[Y] + 2\operatorname{Cov}[X, Y] \]" "\n"
    assert [s.verdict for s in _steps(tmp_path, right)] == [Verdict.PROVED]


def test_assuming_independence_silently_is_refuted_at_a_correlated_law(tmp_path):
    wrong = r"\[ \operatorname{Var}[X + Y] = \operatorname{Var}[X] + \operatorname{Var}[Y] \]" "\n"
    (step,) = _steps(tmp_path, wrong)
    assert step.verdict == Verdict.REFUTED
    assert "jointly normal" in step.reason and "not declared independent" in step.reason


def test_declared_independence_makes_the_short_form_right(tmp_path):
    head = HEAD + "% derivcheck: independent X Y\n"
    short = r"\[ \operatorname{Var}[X + Y] = \operatorname{Var}[X] + \operatorname{Var}[Y] \]" "\n"
    assert [s.verdict for s in _steps(tmp_path, short, head)] == [Verdict.PROVED]


def test_bernoulli_marginals_admit_no_correlated_normal_law_so_the_step_stays_unknown(tmp_path):
    head = r"""
\documentclass{article}
\begin{document}
\section{Masks}
% derivcheck: context masks
% derivcheck: scalar p interval 0 1
% derivcheck: random m bernoulli p
% derivcheck: random u bernoulli p
"""
    (step,) = _steps(tmp_path, r"\[ \mathbb{E}[m u] = p^2 \]" "\n", head)
    assert step.verdict == Verdict.UNKNOWN and "not declared independent" in step.reason
