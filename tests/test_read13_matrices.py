"""Explicit matrices written entry by entry (pmatrix, bmatrix, vmatrix…): read, PROVED when true, REFUTED when wrong.

Each case is a small document as a student writes it: a true step, then a planted mistake marked
``expect REFUTED``. The true identities are checked by hand (noted beside each); each wrong one
differs at a point given.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import numpy as np
import pytest
import sympy as sp
from doc_check import check_case, declared_notation

from derivcheck_steps import Verdict, check_derivation
from derivcheck_steps.evaluate import EXACT, FLOAT, evaluate
from derivcheck_steps.latex.documents import read_document
from derivcheck_steps.latex.formulas import LatexInputError, parse_formula
from derivcheck_steps.plain_latex import source_plain

M = r"\begin{pmatrix} a & b \\ c & d \end{pmatrix}"
ABCD = "scalar a; scalar b; scalar c; scalar d"


def R(angle: str) -> str:
    """The rotation matrix by ``angle``, as LaTeX."""
    return (rf"\begin{{pmatrix}} \cos({angle}) & -\sin({angle}) \\ \sin({angle}) & \cos({angle}) "
            r"\end{pmatrix}")


R_A, R_B, R_SUM, R_DIFF = R(r"\alpha"), R(r"\beta"), R(r"\alpha + \beta"), R(r"\alpha - \beta")


CASES = {
    # det [[a, b], [c, d]] = ad − bc; the wrong sign differs at a = d = 0, b = c = 1
    "det 2x2": (ABCD, rf"\det{M} = ad - bc", rf"\det{M} = ad + bc"),
    # scaling a 2×2 matrix by k scales its determinant by k², not k (k = 2, a = d = 1: 4 ≠ 2)
    "det kA": (ABCD + "; scalar k", r"\det\begin{pmatrix} ka & kb \\ kc & kd \end{pmatrix} = k^2 (ad - bc)",
               r"\det\begin{pmatrix} ka & kb \\ kc & kd \end{pmatrix} = k (ad - bc)"),
    # M adj(M) = det(M) I; the adjugate with the wrong signs gives ad + bc on the diagonal
    "adjugate": (ABCD + "; identity I", rf"{M} \begin{{pmatrix}} d & -b \\ -c & a \end{{pmatrix}} = (ad - bc) I",
                 rf"{M} \begin{{pmatrix}} d & b \\ c & a \end{{pmatrix}} = (ad - bc) I"),
    # the inverse of a 2×2 matrix; with the wrong signs the off-diagonal entries differ whenever b, c ≠ 0
    "inverse": (ABCD, rf"{M}^{{-1}} = \frac{{1}}{{ad - bc}} \begin{{pmatrix}} d & -b \\ -c & a \end{{pmatrix}}",
                rf"{M}^{{-1}} = \frac{{1}}{{ad - bc}} \begin{{pmatrix}} d & b \\ c & a \end{{pmatrix}}"),
    # M M⁻¹ = I (where M⁻¹ is written, det M ≠ 0 is presupposed, as for a declared A); 2I is wrong
    "inverse product": (ABCD + "; identity I", rf"{M} {M}^{{-1}} = I", rf"{M}^{{-1}} {M} = 2 I"),
    # the transpose swaps b and c (wrong: it is not M unless b = c)
    "transpose": (ABCD, rf"{M}^\top = \begin{{pmatrix}} a & c \\ b & d \end{{pmatrix}}", rf"{M}^\top = {M}"),
    # det(AB) = det A det B for explicit 2×2 matrices; det(A + B) = det A + det B is false (A = B = I: 4 ≠ 2)
    "det product": (ABCD + "; scalar x; scalar y",
                    rf"\det\left({M} \begin{{pmatrix}} x & 1 \\ 0 & y \end{{pmatrix}}\right) = (ad - bc) x y",
                    rf"\det\left({M} + \begin{{pmatrix}} x & 1 \\ 0 & y \end{{pmatrix}}\right) = ad - bc + x y"),
    # Cayley–Hamilton: M² − tr(M) M + det(M) I = 0 (the wrong sign of det M: 2 det(M) I ≠ 0)
    "cayley hamilton": (ABCD + "; identity I", rf"{M}^2 - (a + d) {M} + (ad - bc) I = 0",
                        rf"{M}^2 - (a + d) {M} - (ad - bc) I = 0"),
    # tr(MN) = tr(NM); tr(MN) = tr(M) tr(N) is false (M = N = I: 2 ≠ 4)
    "trace": (ABCD + "; scalar x; scalar y",
              rf"\operatorname{{tr}}\left({M} \begin{{bmatrix}} x & 0 \\ 1 & y \end{{bmatrix}}\right) = "
              rf"\operatorname{{tr}}\left(\begin{{bmatrix}} x & 0 \\ 1 & y \end{{bmatrix}} {M}\right)",
              rf"\operatorname{{tr}}\left({M} \begin{{bmatrix}} x & 0 \\ 1 & y \end{{bmatrix}}\right) = "
              rf"\operatorname{{tr}}{M} \operatorname{{tr}}\begin{{bmatrix}} x & 0 \\ 1 & y \end{{bmatrix}}"),
    # a quadratic form with a row vector, a matrix and a column vector is a scalar (x = 1, y = 0: 2 ≠ 1)
    "quadratic form": ("scalar x; scalar y",
                       r"\begin{pmatrix} x & y \end{pmatrix} \begin{pmatrix} 2 & 1 \\ 1 & 2 \end{pmatrix} "
                       r"\begin{pmatrix} x \\ y \end{pmatrix} = 2x^2 + 2xy + 2y^2",
                       r"\begin{pmatrix} x \\ y \end{pmatrix}^\top \begin{pmatrix} 2 & 1 \\ 1 & 2 \end{pmatrix} "
                       r"\begin{pmatrix} x \\ y \end{pmatrix} = x^2 + 2xy + y^2"),
    # a 3×3 determinant by cofactors: 1(0 − 24) − 2(0 − 20) + 3(0 − 5) = 1
    "vmatrix 3x3": ("", r"\begin{vmatrix} 1 & 2 & 3 \\ 0 & 1 & 4 \\ 5 & 6 & 0 \end{vmatrix} = 1",
                    r"\begin{vmatrix} 1 & 2 & 3 \\ 0 & 1 & 4 \\ 5 & 6 & 0 \end{vmatrix} = -1"),
    # |A| around an explicit matrix is its determinant: 1·4 − 2·3 = −2
    "bars": ("", r"\left|\begin{matrix} 1 & 2 \\ 3 & 4 \end{matrix}\right| = -2",
             r"\left|\begin{matrix} 1 & 2 \\ 3 & 4 \end{matrix}\right| = 2"),
    # a scalar multiple minus a declared 2×2 identity, in brackets
    "scalar times": ("identity I 2", r"2 \begin{bmatrix} 1 & 2 \\ 3 & 4 \end{bmatrix} - I = "
                     r"\begin{bmatrix} 1 & 4 \\ 6 & 7 \end{bmatrix}",
                     r"2 \begin{bmatrix} 1 & 2 \\ 3 & 4 \end{bmatrix} - I = \begin{bmatrix} 1 & 4 \\ 6 & 8 \end{bmatrix}"),
    # solving a 2×2 system by the inverse: x = A⁻¹ b, with entries over the determinant 4·1 − 2·3 = −2
    "solve 2x2": ("scalar u; scalar v",
                  r"\begin{pmatrix} 4 & 2 \\ 3 & 1 \end{pmatrix}^{-1} \begin{pmatrix} u \\ v \end{pmatrix} = "
                  r"\begin{pmatrix} -u/2 + v \\ 3u/2 - 2v \end{pmatrix}",
                  r"\begin{pmatrix} 4 & 2 \\ 3 & 1 \end{pmatrix}^{-1} \begin{pmatrix} u \\ v \end{pmatrix} = "
                  r"\begin{pmatrix} u/2 - v \\ 3u/2 - 2v \end{pmatrix}"),
    # the adjugate (transposed cofactors) of [[1, 2], [3, 4]]; the cofactors without the transpose are wrong
    "adjugate operator": ("", r"\operatorname{adj}\begin{pmatrix} 1 & 2 \\ 3 & 4 \end{pmatrix} = "
                          r"\begin{pmatrix} 4 & -2 \\ -3 & 1 \end{pmatrix}",
                          r"\operatorname{adj}\begin{pmatrix} 1 & 2 \\ 3 & 4 \end{pmatrix} = "
                          r"\begin{pmatrix} 4 & -3 \\ -2 & 1 \end{pmatrix}"),
    # rotations compose by adding angles (R(α)R(β) = R(α + β), not R(α − β): α = β = π/4 differ)
    "rotations": (r"scalar \alpha; scalar \beta", f"{R_A} {R_B} = {R_SUM}", f"{R_A} {R_B} = {R_DIFF}"),
    # a rotation's inverse is its transpose (not itself, unless sin α = 0)
    "rotation inverse": (r"scalar \alpha", f"{R_A}^{{-1}} = {R_A}^T", f"{R_A}^{{-1}} = {R_A}"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_explicit_matrix_identity_is_proved_and_the_planted_mistake_refuted(tmp_path: Path, case: str) -> None:
    declarations, true, wrong = CASES[case]
    verdicts, reasons = check_case(tmp_path, declarations, true, wrong, display="brackets")
    assert verdicts == [Verdict.PROVED, Verdict.REFUTED], reasons


def test_a_chain_in_align_keeps_the_ampersands_of_its_matrices(tmp_path: Path) -> None:
    path = tmp_path / "chain.tex"
    path.write_text(textwrap.dedent(r"""
        \section{Chain}
        % derivcheck: scalar x
        % derivcheck: scalar y
        \begin{align*}
        \begin{pmatrix} 1 & 2 \\ 3 & 4 \end{pmatrix} \begin{pmatrix} x \\ y \end{pmatrix}
          &= \begin{pmatrix}
               x + 2y \\
               3x + 4y
             \end{pmatrix} \\
          &= \begin{pmatrix} x + 2y \\ 3x + 5y \end{pmatrix} % derivcheck: expect REFUTED
        \end{align*}
        """), encoding="utf-8")
    steps = [r for d in read_document(path) for r in check_derivation(d).steps]
    assert [s.verdict for s in steps] == [Verdict.PROVED, Verdict.REFUTED]
    assert [s.location.line for s in steps] == [6, 11]


@pytest.mark.parametrize(("formula", "message"), [
    (r"\begin{pmatrix} 1 & 2 \\ 3 \end{pmatrix}", "row 2 of this matrix has 1 entries and row 1 has 2"),
    (r"\begin{pmatrix} 1 & \\ 3 & 4 \end{pmatrix}", "an empty matrix entry: write 0"),
    (r"\begin{pmatrix} 1 & \cdots & 2 \end{pmatrix}", "declare it (matrix A n n)"),
    (r"\begin{pmatrix} 1 & 2 \\ 3 & 4 \end{bmatrix}", "is closed by \\end{bmatrix}"),
    (r"\begin{cases} 1 & x > 0 \\ 0 & x \le 0 \end{cases}", "the environment 'cases' is not read"),
    (r"\begin{pmatrix} 1 & 2 \\ 2 & 4 \end{pmatrix}^{-1}", "no inverse: its determinant is 0"),
    (r"\begin{pmatrix} 1 & 2 \\ 3 & 4 \end{pmatrix} \begin{pmatrix} 1 \\ 2 \\ 3 \end{pmatrix}",
     "the shapes do not match: a 2×2 matrix times a 3×1 matrix"),
    (r"\det\begin{pmatrix} 1 & 2 \end{pmatrix}", "needs a square matrix"),
    (r"\begin{pmatrix} 1 & 2 \end{pmatrix} + 3", "cannot add a 1×2 matrix and a scalar"),
])
def test_what_cannot_be_read_is_a_located_error_that_says_what_to_write(formula: str, message: str) -> None:
    with pytest.raises(LatexInputError) as err:
        parse_formula(formula, declared_notation("scalar x"))
    assert message in err.value.message
    assert "column" in err.value.message


def test_a_block_matrix_is_refused_with_its_reason() -> None:
    with pytest.raises(LatexInputError, match="a block matrix"):
        parse_formula(r"\begin{pmatrix} I & 0 \\ 0 & I \end{pmatrix}", declared_notation("identity I 2"))


def test_a_column_vector_is_a_matrix_and_a_one_by_one_result_its_entry() -> None:
    n = declared_notation("scalar x", "scalar y")
    x, y = n.names["x"], n.names["y"]
    column = parse_formula(r"\begin{pmatrix} x \\ y \end{pmatrix}", n)
    assert column.shape == (2, 1)
    assert parse_formula(r"\begin{pmatrix} x \\ y \end{pmatrix}^T \begin{pmatrix} x \\ y \end{pmatrix}", n) == x**2 + y**2


def test_cancelling_is_kept_to_factors_of_an_inverted_determinant() -> None:
    n = declared_notation("scalar x")
    x = n.names["x"]
    # a removable singularity written in an entry is not cancelled by reading (x = 1 is not in its domain)
    kept = parse_formula(r"2 \begin{pmatrix} \frac{x^2 - 1}{x - 1} & 0 \\ 0 & 1 \end{pmatrix}", n)
    assert sp.denom(sp.together(kept[0, 0])) != 1
    # the determinant x of the inverted matrix may be cancelled: M M^{-1} is the identity
    value = parse_formula(r"\begin{pmatrix} x & 1 \\ 0 & x \end{pmatrix} \begin{pmatrix} x & 1 \\ 0 & x \end{pmatrix}^{-1}", n)
    assert list(value) == [1, 0, 0, 1]
    assert x not in value.free_symbols


@pytest.mark.parametrize("backend", [FLOAT, EXACT])
def test_explicit_matrices_and_determinants_evaluate(backend: object) -> None:
    n = declared_notation("scalar x", "dims n", "matrix A n n")
    value = parse_formula(r"\begin{pmatrix} x & 1 \\ 2 & x^2 \end{pmatrix}", n)
    got = evaluate(value, {n.names["x"]: sp.Integer(3) if backend is EXACT else 3.0}, backend)
    assert np.allclose(np.asarray(got, dtype=float), [[3, 1], [2, 9]])
    det = parse_formula(r"\det(A)", n)
    got = evaluate(det, {n.names["A"]: np.array([[1.0, 2.0], [3.0, 4.0]]), n.names["n"]: 2.0}, FLOAT)
    assert abs(got + 2) < 1e-12


def test_reports_print_the_matrix_as_written_on_one_line() -> None:
    assert source_plain(rf"\det{M} = ad - bc") == "det (a, b; c, d) = ad − bc"
    assert source_plain(r"\begin{bmatrix} 1 & 2 \\ 3 & 4 \end{bmatrix}^{-1} \begin{pmatrix} x \\ y \end{pmatrix}") \
        == "[1, 2; 3, 4]⁻¹(x; y)"


def test_a_matrix_defined_in_the_prose_abbreviates_it(tmp_path: Path) -> None:
    path = tmp_path / "eigen.tex"
    path.write_text(textwrap.dedent(r"""
        \section{Eigenvalues}
        % derivcheck: scalar \lambda
        % derivcheck: identity I
        Let $A = \begin{pmatrix} 1 & 2 \\ 3 & 4 \end{pmatrix}$. Its characteristic polynomial is
        \[ \det(A - \lambda I) = (1 - \lambda)(4 - \lambda) - 6 = \lambda^2 - 5\lambda - 2 \]
        % derivcheck: expect REFUTED
        \[ \det(A - \lambda I) = \lambda^2 - 5\lambda + 2 \]
        """), encoding="utf-8")
    derivations = read_document(path)
    steps = [r for d in derivations for r in check_derivation(d).steps]
    assert [s.verdict for s in steps] == [Verdict.PROVED, Verdict.PROVED, Verdict.REFUTED]
