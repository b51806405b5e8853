"""Single random variables declared by a law or by two moments, and equations with E or Var (issue 14, item 5)."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
import sympy as sp

from derivcheck_steps import Context, E, Moments, Verdict, check_derivation, derivation


def _steps(tmp_path: Path, text: str) -> list:
    from derivcheck_steps.latex.documents import read_document

    path = tmp_path / "estimator.tex"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return [r for d in read_document(path) for r in check_derivation(d).steps]


def _doc(declaration: str, body: str) -> str:
    return rf"""
\documentclass{{article}}
\begin{{document}}
\section{{Estimator}}
% derivcheck: context estimator
% derivcheck: scalar \theta
% derivcheck: scalar b
% derivcheck: scalar \mu
% derivcheck: scalar v positive
% derivcheck: scalar \sigma positive
% derivcheck: {declaration}
{body}
\end{{document}}
"""


MSE = r"""
\begin{align*}
\mathbb{E}[(\hat\theta - \theta)^2] &= \operatorname{Var}[\hat\theta] + (\mathbb{E}[\hat\theta] - \theta)^2 \\
&= v + b^2 \\
&= v + b
\end{align*}
"""

MOMENTS = [
    r"random \hat\theta with \mathbb{E}[\hat\theta] = \theta + b, \operatorname{Var}[\hat\theta] = v",
    r"random \hat\theta \sim moments(\theta + b, v)",
    r"random \hat\theta moments \theta+b v",
]


@pytest.mark.parametrize("declaration", MOMENTS)
def test_an_estimator_known_by_its_mean_and_variance_has_a_bias_variance_decomposition(tmp_path: Path, declaration: str) -> None:
    res = _steps(tmp_path, _doc(declaration, MSE))
    assert [r.verdict for r in res] == [Verdict.PROVED, Verdict.PROVED, Verdict.REFUTED], [r.reason for r in res]


def test_a_third_moment_of_an_estimator_known_by_two_is_neither_proved_nor_checked(tmp_path: Path) -> None:
    body = r"\[ \mathbb{E}[(\hat\theta - \theta - b)^3] = 0 \]"
    (res,) = _steps(tmp_path, _doc(MOMENTS[0], body))
    assert res.verdict not in (Verdict.PROVED, Verdict.CHECKED), res.reason


def test_a_claim_true_under_each_sampled_law_is_still_no_evidence_for_a_third_moment() -> None:
    # E[Z³]·E[Z³ − 2v^{3/2}] = 0 holds under the normal, the two-point and the skewed law the Monte
    # Carlo samples (E[Z³] = 0, 0, 2v^{3/2}), but not for every law with these two moments
    ctx = Context("c")
    v = ctx.scalar("v", positive=True)
    z = ctx.random("Z", dist=Moments(0, v))
    d = derivation("contrived", ctx)
    d.claim(sp.Eq(E(z**3) * E(z**3 - 2 * v ** sp.Rational(3, 2)), 0), by="third moments")
    (res,) = check_derivation(d).steps
    assert res.verdict not in (Verdict.PROVED, Verdict.CHECKED), res.reason
    assert "only its mean and variance are declared" in res.reason


NORMAL = r"""
\[ \mathbb{E}[x^2] = \mu^2 + \sigma^2 \]
\[ \mathbb{E}[(x - \mu)^4] = 3\sigma^4 \]
\[ \mathbb{E}[(x - \mu)^4] = \sigma^4 \]
"""


@pytest.mark.parametrize("declaration", [r"random x \sim \mathcal{N}(\mu, \sigma^2)", r"random x normal \mu \sigma^2"])
def test_a_normal_variable_has_its_fourth_moment(tmp_path: Path, declaration: str) -> None:
    res = _steps(tmp_path, _doc(declaration, NORMAL))
    assert [r.verdict for r in res] == [Verdict.PROVED, Verdict.PROVED, Verdict.REFUTED], [r.reason for r in res]


def test_a_declaration_with_an_unknown_law_says_which_laws_are_read(tmp_path: Path) -> None:
    res = _steps(tmp_path, _doc(r"random x \sim \mathrm{Gamma}(2, 1)", r"\[ \mathbb{E}[x] = 2 \]"))
    assert res[0].verdict == Verdict.UNKNOWN and "unknown law" in res[0].reason


SOLVE = r"""
% derivcheck: dims d
% derivcheck: index j d
% derivcheck: data w j
% derivcheck: scalar y
% derivcheck: scalar \lambda positive
% derivcheck: scalar s positive
% derivcheck: random \epsilon j \sim \mathcal{N}(0, 1)
% derivcheck: equation
\begin{align*}
\mathbb{E}\left[\left(y + s\sum_{j=1}^{d} w_j \epsilon_j\right)^2\right] - y^2 &= \lambda \sum_{j=1}^{d} w_j^2 \\
\iff s^2 \sum_{j=1}^{d} w_j^2 &= \lambda \sum_{j=1}^{d} w_j^2 \\
\iff s^2 \sum_{j=1}^{d} w_j^2 &= 2\lambda \sum_{j=1}^{d} w_j^2
\end{align*}
"""


def test_matching_input_noise_to_weight_decay_is_an_equivalence_on_exact_expectations(tmp_path: Path) -> None:
    text = "\\documentclass{article}\n\\begin{document}\n\\section{Match}\n% derivcheck: context match\n"
    text += SOLVE + "\\end{document}\n"
    res = _steps(tmp_path, text)
    assert [r.verdict for r in res] == [Verdict.PROVED, Verdict.REFUTED], [r.reason for r in res]


def test_solving_a_noise_penalty_for_the_noise_level_is_proved_and_a_wrong_solution_refuted() -> None:
    from derivcheck_steps import Normal, solve

    ctx = Context("solve")
    (d,) = ctx.dims("d")
    j = ctx.index("j", d)
    w = ctx.indexed("w", j)
    lam, s = ctx.scalar("lambda", positive=True), ctx.scalar("s", positive=True)
    eps = ctx.random("eps", j, dist=Normal(0, 1))
    ctx.assume(sp.Sum(w[j] ** 2, (j, 1, d)) > 0, because="w is not zero")
    penalty = sp.Eq(E(sp.Sum(s * w[j] * eps[j], (j, 1, d)) ** 2), lam * sp.Sum(w[j] ** 2, (j, 1, d)))
    dv = derivation("solve for s", ctx)
    dv.chain(penalty).iff(sp.Eq(s, sp.sqrt(lam)), by=solve(s))
    dv.chain(penalty).iff(sp.Eq(s, lam), by=solve(s))
    res = check_derivation(dv).steps
    assert [r.verdict for r in res] == [Verdict.PROVED, Verdict.REFUTED], [r.reason for r in res]


def test_an_equivalence_that_needs_a_third_moment_of_a_variable_known_by_two_is_unknown() -> None:
    from derivcheck_steps import solve

    ctx = Context("third")
    lam, s = ctx.scalar("lambda", positive=True), ctx.scalar("s", positive=True)
    z = ctx.random("Z", dist=Moments(0, s**2))
    dv = derivation("third", ctx)
    dv.chain(sp.Eq(E(z**3), lam)).iff(sp.Eq(s, lam), by=solve(s))
    (res,) = check_derivation(dv).steps
    assert res.verdict == Verdict.UNKNOWN, res.reason


SPELLINGS = r"""
\documentclass{article}
\begin{document}
\section{Names}
% derivcheck: context names
% derivcheck: dims d
% derivcheck: vector w d
% derivcheck: scalar \sigma positive
% derivcheck: scalar \theta
% derivcheck: random vector \varepsilon d \sim \mathcal{N}(\mathbf{0}, \sigma^2 \mathbf{I})
% derivcheck: random \hat{\theta} \sim \mathcal{N}(\theta, \sigma^2)
% derivcheck: random \xi \sim \mathrm{Ber}(1/2)
\[ \mathbb{E}[(w^\top \varepsilon)^2] = \sigma^2 \|w\|^2 \]
\[ \mathbb{E}[(\hat\theta - \theta)^2] = \sigma^2 \]
\[ \operatorname{Var}[\xi] = \frac{1}{4} \]
\[ \operatorname{Var}[\xi] = \frac{1}{2} \]
\end{document}
"""


def test_laws_and_names_are_read_however_they_are_spelled(tmp_path: Path) -> None:
    res = _steps(tmp_path, SPELLINGS)
    assert [r.verdict for r in res] == [Verdict.PROVED] * 3 + [Verdict.REFUTED], [r.reason for r in res]
