"""Norms beyond the squared 2-norm: ‖A‖_F, ‖v‖₁, ‖v‖_∞, ‖v‖_p, ‖v‖₂; PROVED when true, REFUTED when wrong.

Each case is a true step, then a planted mistake marked ``expect REFUTED`` (the point where it
fails is noted beside it).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from doc_check import check_case, declared_notation

from derivcheck_steps import Verdict
from derivcheck_steps.latex.formulas import LatexInputError, parse_formula

V = r"\begin{pmatrix} 3 \\ -4 \end{pmatrix}"
A = r"\begin{pmatrix} 1 & -2 \\ 3 & 4 \end{pmatrix}"

CASES = {
    # the squared Frobenius norm is the trace of AᵀA (not tr(A)²: A = [[0, 1], [0, 0]] gives 1 ≠ 0)
    "frobenius": ("dims n; matrix M n n", r"\|M\|_F^2 = \operatorname{tr}(M^\top M)",
                  r"\|M\|_F^2 = \operatorname{tr}(M)^2"),
    # ‖M‖_F² = tr(MMᵀ) too, for a rectangular M (spelt \mathrm{F}); squaring the trace again is wrong (2 ≠ 4)
    "frobenius styled": ("dims n m; matrix M m n", r"\|M\|_{\mathrm{F}}^2 = \operatorname{tr}(M M^\top)",
                         r"\|M\|_{\mathrm{F}}^2 = \operatorname{tr}(M M^\top)^2"),
    # ‖v‖₂ = √(vᵀv); ‖v‖₂ = vᵀv is wrong at v = (2, 0): 2 ≠ 4
    "two-norm": ("dims n; vector v n", r"\|v\|_2 = \sqrt{v^\top v}", r"\|v\|_2 = v^\top v"),
    # ‖v‖₁ = Σ|v_i|; (‖v‖₁)² = vᵀv is wrong at v = (1, 1): 4 ≠ 2
    "one-norm": ("dims n; vector v n; index i n", r"\|v\|_1 = \sum_{i=1}^{n} |v_i|", r"\|v\|_1^2 = v^\top v"),
    # ‖(3, −4)‖₂ = 5, ‖·‖₁ = 7, ‖·‖_∞ = 4
    "explicit two": ("", rf"\left\|{V}\right\|_2 = 5", rf"\left\|{V}\right\|_2 = 7"),
    "explicit one": ("", rf"\left\|{V}\right\|_1 = 7", rf"\left\|{V}\right\|_1 = 5"),
    "explicit infinity": ("", rf"\left\|{V}\right\|_\infty = 4", rf"\left\|{V}\right\|_\infty = 3"),
    # ‖A‖_F² = 1 + 4 + 9 + 16 = 30; induced ‖A‖₁ = max column sum = 6, ‖A‖_∞ = max row sum = 7
    "explicit frobenius": ("", rf"\left\|{A}\right\|_F^2 = 30", rf"\left\|{A}\right\|_F^2 = 25"),
    "induced one": ("", rf"\left\|{A}\right\|_1 = 6", rf"\left\|{A}\right\|_1 = 7"),
    "induced infinity": ("", rf"\left\|{A}\right\|_\infty = 7", rf"\left\|{A}\right\|_\infty = 6"),
    # ‖(x, y)‖_∞ = max(|x|, |y|); it is not |x| (x = 0, y = 1)
    "symbolic infinity": ("scalar x; scalar y", r"\left\|\begin{pmatrix} x \\ y \end{pmatrix}\right\|_\infty = \max(|x|, |y|)",
                          r"\left\|\begin{pmatrix} x \\ y \end{pmatrix}\right\|_\infty = |x|"),
    # the p-norm of a declared p (p = 2 at x = 3, y = 4: 5, not 7)
    "p-norm": ("scalar x; scalar y; scalar p positive",
               r"\left\|\begin{pmatrix} x \\ y \end{pmatrix}\right\|_p = \left(|x|^p + |y|^p\right)^{1/p}",
               r"\left\|\begin{pmatrix} x \\ y \end{pmatrix}\right\|_p = |x| + |y|"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_norm_identity_is_proved_and_the_planted_mistake_refuted(tmp_path: Path, case: str) -> None:
    declarations, true, wrong = CASES[case]
    verdicts, reasons = check_case(tmp_path, declarations, true, wrong, display="brackets")
    assert verdicts == [Verdict.PROVED, Verdict.REFUTED], reasons


@pytest.mark.parametrize(("formula", "message"), [
    (r"\|M\|_2", "the spectral norm"),
    (r"\|M\|", "write the Frobenius norm \\|A\\|_F"),
    (r"\|v\|_\infty", "\\|v\\|_\\infty of a vector of symbolic size is not read"),
    (r"\|v\|_q", "`q` is not declared: add `% derivcheck: scalar q`"),
])
def test_a_norm_that_is_not_read_says_what_to_write(formula: str, message: str) -> None:
    with pytest.raises(LatexInputError) as err:
        parse_formula(formula, declared_notation("dims n", "matrix M n n", "vector v n"))
    assert message in err.value.message
    assert "column" in err.value.message


def test_norms_of_a_scalar_are_its_absolute_value() -> None:
    n = declared_notation("scalar x")
    x = n.names["x"]
    for formula in (r"\|x\|", r"\|x\|_1", r"\|x\|_\infty", r"\|x\|_2"):
        assert parse_formula(formula, n) == abs(x)
