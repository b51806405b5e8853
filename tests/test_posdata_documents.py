"""Indexed data with a declared domain, in documents written as papers write them: per-example
variances σ_i > 0 (a heteroscedastic Gaussian likelihood), weights w_i > 0 or w_i ≥ 0 (weighted
least squares), probabilities p_i ∈ (0, 1) (a Bernoulli mixture). Correct steps that need the
domain are PROVED; planted slips are REFUTED; without the statement the steps that need it are not
proved."""

from __future__ import annotations

import textwrap
from pathlib import Path

from derivcheck_steps import Verdict, check_derivation
from derivcheck_steps.latex.documents import read_document

P, R, C, U = Verdict.PROVED, Verdict.REFUTED, Verdict.CHECKED, Verdict.UNKNOWN


def _verdicts(tmp_path: Path, text: str) -> list[Verdict]:
    path = tmp_path / "doc.tex"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return [s.verdict for d in read_document(path) for s in check_derivation(d).steps]


def _stated(tmp_path: Path, text: str) -> list[str]:
    path = tmp_path / "doc.tex"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return [line for d in read_document(path) for line in d.stated]


NLL = r"""
\documentclass{article}
\begin{document}
\section{Heteroscedastic Gaussian negative log-likelihood}
% derivcheck: dims N
% derivcheck: index i N
Each target $y_i \in \mathbb{R}$ has its own mean $\mu_i \in \mathbb{R}$ and standard deviation
$\sigma_i$, where $\sigma_i > 0$ for all $i$.
\begin{align*}
&\sum_{i=1}^{N} \left( \frac{1}{2}\log(2\pi\sigma_i^2) + \frac{(y_i - \mu_i)^2}{2\sigma_i^2} \right) \\
&= \sum_{i=1}^{N} \left( \frac{1}{2}\log(2\pi) + \log\sigma_i + \frac{(y_i - \mu_i)^2}{2\sigma_i^2} \right) && \text{log} \\
&= \frac{N}{2}\log(2\pi) + \sum_{i=1}^{N} \log\sigma_i + \sum_{i=1}^{N} \frac{(y_i - \mu_i)^2}{2\sigma_i^2} && \text{linearity} \\
&= \frac{N}{2}\log(2\pi) + 2\sum_{i=1}^{N} \log\sigma_i + \sum_{i=1}^{N} \frac{(y_i - \mu_i)^2}{2\sigma_i^2} && \text{slip}
\end{align*}
\[ \sqrt{\sigma_i^2} = \sigma_i \]
\[ \frac{(y_i - \mu_i)^2}{\sigma_i^2} \ge 0 \]
\[ \log \sigma_i > 0 \]
\end{document}
"""


def test_a_heteroscedastic_nll_is_proved_with_sigma_positive_and_its_slips_refuted(tmp_path: Path) -> None:
    assert _verdicts(tmp_path, NLL) == [P, P, R, P, P, R]
    assert any("\\sigma_i is real data over i, > 0 for every i" in s for s in _stated(tmp_path, NLL))


def test_without_the_sign_the_steps_that_need_it_are_refuted(tmp_path: Path) -> None:
    free = NLL.replace(r"$\sigma_i$, where $\sigma_i > 0$ for all $i$.", r"$\sigma_i \in \mathbb{R}$.")
    assert free != NLL
    verdicts = _verdicts(tmp_path, free)
    assert verdicts[0] == R  # log σ² = 2 log σ fails at σ < 0 (the right side is undefined)
    assert verdicts[3] == R  # √(σ²) = σ
    assert P not in (verdicts[0], verdicts[2], verdicts[3])


def test_a_comment_and_the_text_say_the_same(tmp_path: Path) -> None:
    commented = NLL.replace("% derivcheck: index i N\n", "% derivcheck: index i N\n% derivcheck: data \\sigma i positive\n")
    commented = commented.replace(r", where $\sigma_i > 0$ for all $i$.", ".")
    assert _verdicts(tmp_path, commented) == [P, P, R, P, P, R]


WLS = r"""
\documentclass{article}
\begin{document}
\section{Weighted least squares}
% derivcheck: dims N
% derivcheck: index i N
% derivcheck: data x i
% derivcheck: data y i
% derivcheck: data w i
% derivcheck: scalar b
We fit $y_i \approx b x_i$ with weights $w_i > 0$.
\begin{align*}
&\frac{d}{db} \sum_{i=1}^{N} w_i (y_i - b x_i)^2 \\
&= -2 \sum_{i=1}^{N} w_i x_i (y_i - b x_i) && \text{chain rule}
\end{align*}
\[ \sum_{i=1}^{N} w_i (y_i - b x_i)^2 \ge 0 \]
\[ \sum_{i=1}^{N} \left(\sqrt{w_i}\, (y_i - b x_i)\right)^2 = \sum_{i=1}^{N} w_i (y_i - b x_i)^2 \]
\[ \log w_i > 0 \]
\[ \sum_{i=1}^{N} w_i (y_i - b x_i)^2 \ge \sum_{i=1}^{N} (y_i - b x_i)^2 \]
\end{document}
"""


def test_weighted_least_squares_with_positive_weights(tmp_path: Path) -> None:
    assert _verdicts(tmp_path, WLS) == [P, P, P, R, R]
    assert any("w_i > 0 for every i (read as '% derivcheck: data w i positive')" in s for s in _stated(tmp_path, WLS))


def test_weighted_least_squares_with_nonnegative_weights(tmp_path: Path) -> None:
    nonneg = WLS.replace(r"$w_i > 0$", r"$w_i \ge 0$")
    assert _verdicts(tmp_path, nonneg) == [P, P, P, R, R]


def test_weighted_least_squares_with_weights_of_any_sign(tmp_path: Path) -> None:
    free = WLS.replace(r"with weights $w_i > 0$", "with weights $w_i$")
    verdicts = _verdicts(tmp_path, free)
    assert verdicts[0] == P and verdicts[1] == R  # a weighted sum of squares is ≥ 0 only for weights ≥ 0


MIXTURE = r"""
\documentclass{article}
\begin{document}
\section{A two-component Bernoulli mixture}
% derivcheck: dims N
% derivcheck: index i N
% derivcheck: scalar \pi interval 0 1
Each example has its own success probability $p_i \in (0, 1)$, and a second component has
probabilities $q_i$ with $0 < q_i < 1$.
\begin{align*}
&\log\frac{p_i}{1 - p_i} = \log p_i - \log(1 - p_i) && \text{log of a quotient}
\end{align*}
\begin{align*}
&\sum_{i=1}^{N} \log\left(\pi p_i + (1 - \pi) q_i\right) - \sum_{i=1}^{N} \log q_i \\
&= \sum_{i=1}^{N} \log\left(\pi \frac{p_i}{q_i} + 1 - \pi\right) && \text{divide by $q_i > 0$}
\end{align*}
\[ \log p_i + \log(1 - p_i) < 0 \]
\[ p_i (1 - p_i) > 0 \]
\[ \log p_i > 0 \]
\[ \log(1 - p_i) = -\log p_i \]
\[ p_i (1 - p_i) > \frac{1}{4} \]
\end{document}
"""


def test_a_mixture_with_probabilities_in_the_unit_interval(tmp_path: Path) -> None:
    assert _verdicts(tmp_path, MIXTURE) == [P, P, P, P, R, R, R]
    stated = _stated(tmp_path, MIXTURE)
    assert any("p_i is real data over i, in (0, 1) for every i" in s for s in stated)
    assert any("q_i is real data over i, in (0, 1) for every i" in s for s in stated)


def test_a_mixture_with_probabilities_declared_only_real_proves_none_of_the_sign_steps(tmp_path: Path) -> None:
    free = MIXTURE.replace(r"$p_i \in (0, 1)$", r"$p_i \in \mathbb{R}$").replace(r"with $0 < q_i < 1$", r"$q_i \in \mathbb{R}$")
    verdicts = _verdicts(tmp_path, free)
    assert P not in verdicts[:4]
    assert verdicts[3] == R  # p(1 − p) > 0 needs 0 < p < 1
