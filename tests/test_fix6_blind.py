"""Blind corpus 60-69: a function of a random variable under E, `&\\quad=` rows, entries under a sum's
index, and a random family whose law names an index."""

from __future__ import annotations

import textwrap
from pathlib import Path

from derivcheck_steps import Verdict, check_derivation
from derivcheck_steps.latex.documents import read_document

SOUND = (Verdict.PROVED, Verdict.CHECKED)


def _steps(tmp_path: Path, text: str) -> list:
    path = tmp_path / "student.tex"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return [r for d in read_document(path) for r in check_derivation(d).steps]


def _verdicts(tmp_path: Path, text: str) -> list[Verdict]:
    return [r.verdict for r in _steps(tmp_path, text)]


# -- E[f(X)] for exp, log, …: evaluated draw by draw, never an internal error -----------------------

LOGNORMAL = r"""
\section{Lognormal mean}
% derivcheck: scalar \mu
% derivcheck: scalar \sigma positive
% derivcheck: random X \sim \mathcal{N}(\mu, \sigma^2)
\begin{align*}
\mathbb{E}\left[\exp(X)\right] &= \exp\left(\mu + \frac{\sigma^2}{2}\right)
\end{align*}
"""


def test_the_mean_of_a_lognormal_is_proved_by_the_moment_generating_function(tmp_path):
    assert _verdicts(tmp_path, LOGNORMAL) == [Verdict.PROVED]
    assert _verdicts(tmp_path, LOGNORMAL.replace(r"\exp(X)", "e^{2X}").replace(
        r"\exp\left(\mu + \frac{\sigma^2}{2}\right)", r"e^{2\mu + 2\sigma^2}")) == [Verdict.PROVED]


def test_a_wrong_lognormal_mean_is_refuted(tmp_path):
    wrong = LOGNORMAL.replace(r"\mu + \frac{\sigma^2}{2}", r"\mu + \sigma^2")
    assert _verdicts(tmp_path, wrong) == [Verdict.REFUTED]


def test_moment_generating_functions_of_bernoulli_and_of_a_family_under_a_sum(tmp_path):
    steps = _verdicts(tmp_path, r"""
        \section{a}
        % derivcheck: dims N
        % derivcheck: index i N
        % derivcheck: scalar \sigma positive
        % derivcheck: scalar p interval 0 1
        % derivcheck: scalar t
        % derivcheck: random B \sim \mathrm{Ber}(p)
        % derivcheck: random \varepsilon i normal 0 \sigma^2
        \[ \mathbb{E}\left[e^{tB}\right] = 1 - p + p e^{t} \]
        \[ \mathbb{E}\left[e^{tB}\right] = 1 + p e^{t} \]
        \[ \mathbb{E}\left[\sum_{i=1}^{N} e^{\varepsilon_i}\right] = N e^{\sigma^2/2} \]
        \[ \mathbb{E}\left[\sum_{i=1}^{N} e^{\varepsilon_i}\right] = N e^{\sigma^2} \]
    """)
    assert steps == [Verdict.PROVED, Verdict.REFUTED, Verdict.PROVED, Verdict.REFUTED]


def test_exp_of_a_variable_known_by_two_moments_is_not_proved(tmp_path):
    steps = _steps(tmp_path, r"""
        \section{a}
        % derivcheck: random M with \mathbb{E}[M] = 0, \operatorname{Var}[M] = 1
        \[ \mathbb{E}\left[e^{M}\right] = e^{1/2} \]
    """)
    assert [s.verdict for s in steps] == [Verdict.UNKNOWN]


def test_log_and_exp_of_a_random_variable_under_e_are_no_internal_error(tmp_path):
    steps = _steps(tmp_path, r"""
        \section{a}
        % derivcheck: random X \sim \mathcal{N}(0, 1)
        \[ \mathbb{E}\left[\log (1 + X^2)\right] = \mathbb{E}\left[\log (1 + X^2)\right] \]
        \[ \mathbb{E}\left[e^{X}\right] = \mathbb{E}\left[\exp(X)\right] \]
        \[ \mathbb{E}\left[\log X\right] = 0 \]
    """)
    assert [s.verdict for s in steps[:2]] == [Verdict.CHECKED, Verdict.PROVED]
    assert steps[2].verdict == Verdict.UNKNOWN and "internal" not in steps[2].reason  # log of a negative draw
    assert all(s.cause != "internal" for s in steps)


# -- `&-\log(…) \\ &\quad= …`: spacing before a row's relation is layout ---------------------------

QUAD_ROWS = r"""
\section{Negative log-likelihood}
% derivcheck: scalar w
% derivcheck: scalar \sigma positive
\begin{align*}
&-\log\left(\frac{1}{\sqrt{2\pi}\,\sigma}\exp\left(-\frac{w^2}{2\sigma^2}\right)\right) \\
&\quad= \frac{w^2}{2\sigma^2} + \log\left(\sqrt{2\pi}\,\sigma\right) \\
&\qquad= \frac{w^2}{2\sigma^2} + \frac{1}{2}\log(2\pi) + \log\sigma
\end{align*}
"""


def test_rows_after_a_lone_start_with_quad_before_the_relation_are_its_steps(tmp_path):
    assert _verdicts(tmp_path, QUAD_ROWS) == [Verdict.PROVED, Verdict.PROVED]


def test_a_wrong_quad_row_is_refuted(tmp_path):
    wrong = QUAD_ROWS.replace(r"\frac{1}{2}\log(2\pi)", r"\log(2\pi)")
    assert _verdicts(tmp_path, wrong) == [Verdict.PROVED, Verdict.REFUTED]


def test_thin_spaces_before_an_inequality_row(tmp_path):
    steps = _verdicts(tmp_path, r"""
        \section{a}
        % derivcheck: scalar x positive
        \begin{align*}
        & (x + 1)^2 \\
        &\;= x^2 + 2x + 1 \\
        &\!\ge 2x + 1
        \end{align*}
    """)
    assert steps == [Verdict.PROVED, Verdict.PROVED]


# -- z_k under Σ_{k=1}^{K}: the sum binds k, so it is the entry of the vector z --------------------

SOFTMAX = r"""
\section{Softmax cross-entropy}
% derivcheck: dims K
% derivcheck: vector z K
% derivcheck: vector y K
% derivcheck: assume \sum_{k=1}^{K} y_k = 1
The target is a probability vector, $y_k \ge 0$.
\begin{align*}
-\sum_{k=1}^{K} y_k \log\frac{\exp(z_k)}{\sum_{j=1}^{K} \exp(z_j)}
  &= -\sum_{k=1}^{K} y_k z_k + \sum_{k=1}^{K} y_k \log\sum_{j=1}^{K}\exp(z_j) \\
  &= -\sum_{k=1}^{K} y_k z_k + \log\sum_{j=1}^{K}\exp(z_j)
\end{align*}
"""


def test_entries_of_a_vector_under_a_sum_over_its_range_are_read(tmp_path):
    assert _verdicts(tmp_path, SOFTMAX) == [Verdict.PROVED, Verdict.PROVED]


def test_a_wrong_step_with_sum_bound_entries_is_refuted(tmp_path):
    wrong = SOFTMAX.replace(r"&= -\sum_{k=1}^{K} y_k z_k + \log", r"&= \sum_{k=1}^{K} y_k z_k + \log")
    assert _verdicts(tmp_path, wrong) == [Verdict.PROVED, Verdict.REFUTED]


def test_a_free_index_of_a_vector_says_which_index_to_declare(tmp_path):
    step, *_ = _steps(tmp_path, r"""
        \section{a}
        % derivcheck: dims K
        % derivcheck: vector z K
        \[ \frac{\partial}{\partial z_m} \log\sum_{j=1}^{K}\exp(z_j) = \operatorname{softmax}(z)_m \]
    """)
    assert step.verdict == Verdict.UNKNOWN
    assert "index m K" in step.reason and "scalar m" not in step.reason


def test_a_sum_outside_the_vector_range_is_not_read_as_entries(tmp_path):
    step, *_ = _steps(tmp_path, r"""
        \section{a}
        % derivcheck: dims K
        % derivcheck: vector z K
        \[ \sum_{k=0}^{K} z_k = \sum_{k=0}^{K} z_k \]
    """)
    assert step.verdict == Verdict.UNKNOWN and "index k K" in step.reason


def test_a_name_read_from_prose_does_not_stand_for_the_entries_under_a_sum(tmp_path):
    # "$\sigma_i > 0$" must not make Σ_i x_i/σ_i a sum over one fixed σ_i: that proved a wrong step
    steps = _verdicts(tmp_path, r"""
        \section{a}
        % derivcheck: dims N
        % derivcheck: index i N
        % derivcheck: data x i
        % derivcheck: data \sigma i
        Here $\sigma_i > 0$ for all $i$.
        \[ \sum_{i=1}^{N} \frac{x_i}{\sigma_i} = \frac{1}{\sigma_1}\sum_{i=1}^{N} x_i \]
    """)
    assert steps == [Verdict.REFUTED]


# -- random ε_i normal 0 σ_i²: a family's entries share one law ------------------------------------

PER_INDEX = r"""
\section{a}
% derivcheck: dims N
% derivcheck: index i N
% derivcheck: data \sigma i
% derivcheck: random \varepsilon i normal 0 \sigma_i^2
\[ \operatorname{Var}\left[\sum_{i=1}^{N} \varepsilon_i\right] = \sum_{i=1}^{N} \sigma_i^2 \]
"""


def test_a_law_that_names_the_family_index_is_a_located_declaration_error(tmp_path):
    for text in (PER_INDEX, PER_INDEX.replace(r"normal 0 \sigma_i^2", r"\sim \mathcal{N}(0, \sigma_i^2)")):
        steps = _steps(tmp_path, text)
        assert all(s.verdict == Verdict.UNKNOWN for s in steps)
        assert "share one law" in steps[0].reason and "random z i normal 0 1" in steps[0].reason


def test_the_suggested_scaled_family_checks_the_variance(tmp_path):
    scaled = PER_INDEX.replace(r"random \varepsilon i normal 0 \sigma_i^2", "random z i normal 0 1")
    right = scaled.replace(r"\varepsilon_i", r"\sigma_i z_i")
    assert _verdicts(tmp_path, right) == [Verdict.PROVED]
    assert _verdicts(tmp_path, right.replace(r"\sigma_i^2 \]", r"\sigma_i \]")) == [Verdict.REFUTED]


def test_plain_equals_rows_after_a_lone_start_are_its_steps(tmp_path):
    plain = QUAD_ROWS.replace(r"&\quad=", "&=").replace(r"&\qquad=", "&=")
    assert _verdicts(tmp_path, plain) == [Verdict.PROVED, Verdict.PROVED]
