"""The notation of issue 13, item by item: each construct is read, PROVES a true identity and REFUTES a wrong one.

Every case is a small document written as a student would write it: its declarations, then a
true step and a wrong one (the wrong one marked ``expect REFUTED``). The true identities are
textbook facts, checked by hand (noted beside each); the wrong ones differ at a point given.
"""

from __future__ import annotations

import pytest
from doc_check import check_case

from derivcheck_steps import Verdict

CASES = {
    # elementary functions and constants
    "exp": ("scalar x", r"\exp(2x) = \exp(x)^2", r"\exp(2x) = 2\exp(x)"),  # e^{2x} = (e^x)^2; at x=0: 1 ≠ 2
    "e^x": ("scalar x", r"e^{x} e^{-x} = 1", r"e^{x} e^{x} = e^{x^2}"),  # at x=2: e^4 = e^4 … false at x=1: e^2 ≠ e
    "mathrm e": ("scalar x", r"\mathrm{e}^{\ln 2} = 2", r"\mathrm{e}^{\ln 2} = 3"),
    "log": ("scalar x positive; scalar y positive", r"\log(xy) = \log x + \log y", r"\log(x + y) = \log x + \log y"),
    "ln": ("scalar x positive", r"\ln x^2 = 2 \ln x", r"\ln x^2 = (\ln x)^2"),  # false at x = e
    "log_2": ("scalar x positive", r"\log_2 (8x) = 3 + \log_2 x", r"\log_2 (8x) = 8 \log_2 x"),
    "sqrt": ("scalar x positive", r"\sqrt{x^2} = x", r"\sqrt{x^2 + 1} = x + 1"),
    "sqrt[n]": ("scalar x positive", r"\sqrt[3]{x^6} = x^2", r"\sqrt[3]{x^6} = x^3"),
    "tanh": ("scalar x", r"\frac{d}{dx} \tanh x = 1 - \tanh^2 x", r"\frac{d}{dx} \tanh x = 1 + \tanh^2 x"),
    "sin cos": ("scalar x", r"\sin^2 x + \cos^2 x = 1", r"\sin^2 x - \cos^2 x = 1"),  # at x=0: -1 ≠ 1
    "relu": ("scalar z", r"\max(0, z) = \frac{z + |z|}{2}", r"\max(0, z) = |z|"),  # at z=-1: 0 ≠ 1
    "min": ("scalar a; scalar b", r"\min(a, b) + \max(a, b) = a + b", r"\min(a, b) = a"),
    "abs": ("scalar x", r"|x|^2 = x^2", r"|x| = x"),
    "sign": ("scalar x", r"\operatorname{sign}(x) |x| = x", r"\operatorname{sign}(x) x = x"),
    "pi": ("scalar r positive", r"\pi r^2 + \pi r^2 = 2 \pi r^2", r"\pi r^2 = 2 \pi r"),
    # syntax
    "frac12": ("scalar x", r"\frac12 x + \frac12 x = x", r"\frac12 x = 2x"),
    "frac1N": ("dims N; scalar x", r"N \cdot \frac1N x = x", r"\frac1N x = N x"),
    "sqrt2": ("scalar x", r"\sqrt2 \sqrt2 x = 2x", r"\sqrt2 x = 2x"),
    "x^frac12": ("scalar x positive", r"x^\frac12 x^\frac12 = x", r"x^\frac12 = \frac{x}{2}"),
    "times star": ("scalar a; scalar b", r"a * b = b \times a", r"a \times b = a + b"),
    "spacing": ("scalar a; scalar b", r"a\,b \; + \! a \quad b = 2 a b", r"a \, b = a + b"),
    "left right big": ("scalar a", r"\left( a + 1 \right)^2 = \big(a + 1\big)\Big(a + 1\Big)", r"\left(a + 1\right)^2 = a^2 + 1"),
    "displaystyle": ("scalar a", r"\displaystyle \frac{a}{2} + \textstyle\frac{a}{2} = a", r"\displaystyle \frac{a}{2} = a"),
    "decimal": ("scalar a", r".5 a + 0.25 a = \frac34 a", r"0.0833333333333333 a = \frac{a}{12}"),
    "cfrac": ("scalar a positive", r"\cfrac{1}{1 + \cfrac{1}{a}} = \frac{a}{a + 1}",
              r"\cfrac{1}{1 + \cfrac{1}{a}} = \frac{1}{a + 1}"),
    "binom": ("", r"\binom{5}{2} = 10", r"\binom{5}{2} = 20"),
    "factorial": ("", r"4! = 24", r"4! = 10"),
    "mixed number": ("", r"2\frac12 = 1", r"2\frac12 = \frac52"),
    # names
    "greek subscript": (r"scalar \sigma_w positive; scalar \mu_1; scalar \theta_0",
                        r"\sigma_w^2 + \mu_1 \theta_0 = \theta_0 \mu_1 + \sigma_{w}^2", r"\sigma_w^2 = \sigma_w"),
    "accents": (r"scalar \hat\theta; scalar \bar x; scalar \tilde y",
                r"\bar x^2 - \tilde{y}^2 = (\bar x - \tilde y)(\bar{x} + \tilde y) + 0 \hat\theta",
                r"\bar x^2 = \bar x + \hat{\theta}"),
    "primes": ("scalar x; scalar x'; scalar x''", r"x' + x'' - x = x'' + x' - x", r"x' = x''"),
    "ell, mathcal": (r"scalar \ell; scalar \mathcal{L}", r"\ell + \mathcal{L} = \mathcal{L} + \ell", r"\ell = \mathcal{L}"),
    "stars": (r"scalar w^*; scalar x^\star", r"(w^*)^2 - x^\star = w^{*} w^* - x^{\star}", r"w^* = x^\star"),
    "styles": ("dims n; vector x n", r"\mathbf{x}^T \boldsymbol{x} = x^T x", r"\mathbf{x}^T \mathbf{x} = 2 x^T x"),
    "trace det": ("dims n; matrix A n n; matrix B n n", r"\operatorname{tr}(A + B) = \operatorname{tr}(A) + \operatorname{tr}(B)",
                  r"\operatorname{tr}(A B) = \operatorname{tr}(A)\operatorname{tr}(B)"),
    # the evaluator values determinants (checks/explicit_matrices.py): the wrong step has a counterexample
    "det": ("dims n; matrix A n n; matrix B n n", r"\det(A B) = \det A \det(B)", r"\det(A + B) = \det A + \det B"),
    "identity with size": ("dims n; vector v n", r"I_n v = v", r"I_n v = 2 v"),
    "kronecker": ("dims n; index i n; index j n", r"\delta_{ij} = \delta_{ji}", r"\delta_{ij} = 1"),  # false at i≠j
    "indicator": ("scalar z", r"\mathbb{1}[z > 0] + \mathbb{1}[z \le 0] = 1", r"\mathbb{1}[z > 0] = \operatorname{sign}(z)"),
    # functions
    "declared sigma": (r"function \sigma(z) = \frac{1}{1+e^{-z}}; scalar z",
                       r"\sigma(-z) = 1 - \sigma(z)", r"\sigma(-z) = \sigma(z)"),
    "sigma prime": (r"function \sigma(z) = \frac{1}{1+e^{-z}}; scalar z",
                    r"\sigma'(z) = \sigma(z)(1 - \sigma(z))", r"\sigma'(z) = \sigma(z)^2"),
    # an unknown f has no value to refute with: the wrong chain rule is UNKNOWN, never PROVED
    "opaque chain rule": ("function f; scalar x", r"\frac{d}{dx} f(x^2) = 2x f'(x^2)", r"\frac{d}{dx} f(x^2) = f'(x^2)",
                          [Verdict.PROVED, Verdict.UNKNOWN]),
    "operatorname function": (r"function \operatorname{softplus}(z) = \log(1 + e^{z}); scalar z",
                              r"\operatorname{softplus}(z) - \operatorname{softplus}(-z) = z",
                              r"\operatorname{softplus}(z) = z"),
    "softmax": ("dims K; index k K; index j K; data z k",
                r"\operatorname{softmax}(z)_k = \frac{e^{z_k}}{\sum_j e^{z_j}}",
                r"\operatorname{softmax}(z)_k = \frac{z_k}{\sum_j z_j}"),
    # derivatives
    "d/dz": ("scalar z", r"\frac{d}{dz} z^3 = 3 z^2", r"\frac{d}{dz} z^3 = 3 z^3"),
    "mathrm d": ("scalar z", r"\frac{\mathrm{d}}{\mathrm{d}z} \sin z = \cos z", r"\frac{\mathrm{d}}{\mathrm{d}z} \sin z = -\cos z"),
    "partial": ("scalar z; scalar y", r"\frac{\partial}{\partial z} (z y^2) = y^2", r"\frac{\partial}{\partial z}(z y^2) = 2 z y"),
    "partial f": ("scalar z; scalar y", r"\frac{\partial z^2 y}{\partial z} = 2 z y", r"\frac{\partial z^2 y}{\partial z} = z^2"),
    "second derivative": ("scalar z", r"\frac{d^2}{dz^2} z^4 = 12 z^2", r"\frac{\partial^2 z^4}{\partial z^2} = 4 z^3"),
    "nabla norm": ("dims N n; matrix A N n; vector x n; vector b N",
                   r"\nabla_x \|Ax - b\|^2 = 2 A^T (A x - b)", r"\nabla_x \|Ax - b\|^2 = 2 A^T (A x + b)"),
    "hessian": ("dims n; matrix A n n; vector x n",
                r"\nabla^2_x x^T A x = A + A^T", r"\nabla^2_x x^T A x = 2 A"),
    "gaussian loglik": (r"scalar x; scalar \mu; scalar s positive",
                        r"\frac{\partial}{\partial \mu} \left(-\frac{(x - \mu)^2}{2 s} - \frac12 \log(2 \pi s)\right)"
                        r" = \frac{x - \mu}{s}",
                        r"\frac{\partial}{\partial s} \left(-\frac{(x - \mu)^2}{2 s} - \frac12 \log(2\pi s)\right)"
                        r" = \frac{(x - \mu)^2}{2 s^2}"),  # the true one has - 1/(2s) more
    "d/d sigma^2": (r"scalar x; scalar \mu; scalar \sigma positive",
                    r"\frac{\partial}{\partial \sigma^2} \left(-\frac{(x - \mu)^2}{2 \sigma^2}"
                    r" - \frac12 \log(2 \pi \sigma^2)\right)"
                    r" = \frac{(x - \mu)^2 - \sigma^2}{2 \sigma^4}",
                    r"\frac{\partial}{\partial \sigma^2} \left(-\frac{(x - \mu)^2}{2 \sigma^2}\right)"
                    r" = \frac{(x - \mu)^2}{\sigma^3}"),  # the true value is (x - μ)²/(2σ⁴)
    # sums and products
    "sum i,j": ("dims n; index i n; index j n; data a i; data b j",
                r"\sum_{i,j} 2 a_i b_j = 2 \sum_{i,j} b_j a_i", r"\sum_{i,j} a_i b_j = \sum_i a_i b_i"),
    "sum i neq j": ("dims n; index i n; index j n; data a i",
                    r"\sum_{i \neq j} a_i a_j = \sum_{i \neq j} a_j a_i",
                    r"\sum_{i \neq j} a_i a_j = \left(\sum_i a_i\right)^2"),
    "geometric": (r"scalar \beta interval 0 1; dims t",
                  r"\sum_{k=1}^{t} \beta^{t-k} = \frac{1 - \beta^t}{1 - \beta}",
                  r"\sum_{k=1}^{t} \beta^{t-k} = \frac{1 - \beta^{t+1}}{1 - \beta}"),  # closed form: checks/geometric.py
    "prod": ("", r"\prod_{k=1}^{4} k = 4!", r"\prod_{k=1}^{4} k = 10"),
    # relations
    "le": ("scalar x", r"x^2 + 1 \ge 2x", r"x^2 \ge 2x"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_notation_proves_the_true_identity_and_refutes_the_wrong_one(tmp_path, case):
    declarations, true, wrong, *expected = CASES[case]
    verdicts, reasons = check_case(tmp_path, declarations, true, wrong)
    assert verdicts == (expected[0] if expected else [Verdict.PROVED, Verdict.REFUTED]), reasons
