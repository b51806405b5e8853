"""Identity and zero with sizes (issue 14, item 3): I_n, I_N, an I sized by its position, \\mathbf{0}."""

from __future__ import annotations

import pytest
import sympy as sp
from doc_check import check_document, document_verdicts

from derivcheck_steps import Verdict
from derivcheck_steps.context import Context
from derivcheck_steps.latex.formulas import LatexInputError, Notation, parse_formula

P, R, U = Verdict.PROVED, Verdict.REFUTED, Verdict.UNKNOWN


PUSH_THROUGH = r"""
\documentclass{article}
\begin{document}
\section{Two forms of the ridge solution}
% derivcheck: context ridge
% derivcheck: dims N n
% derivcheck: matrix X N n
% derivcheck: vector t N
% derivcheck: scalar lambda positive
IDENTITY
The push-through identity, with $I$ the identity of whichever size fits:
\[ X^\top (X X^\top + \lambda I) = (X^\top X + \lambda I) X^\top \]
\[ X^\top (X X^\top + \lambda I) = (X^\top X + 2 \lambda I) X^\top \]
\[ X^\top X + \lambda I_n - \lambda I = X^\top X \]
\[ (X X^\top + \lambda I_N) t - X X^\top t = \lambda t \]
\[ (X X^\top + \lambda I_N) t - X X^\top t = 2 \lambda t \]
\end{document}
"""


def test_an_identity_without_a_size_takes_the_size_of_its_position(tmp_path):
    assert document_verdicts(tmp_path, PUSH_THROUGH.replace("IDENTITY", "% derivcheck: identity I"), "ridge.tex") == [P, R, P, P, R]


def test_a_sized_identity_in_the_wrong_place_is_a_shape_error_not_a_verdict(tmp_path):
    steps = check_document(tmp_path, PUSH_THROUGH.replace("IDENTITY", "% derivcheck: identity I n"), "ridge.tex")
    # I is n×n: X Xᵀ + λI (N×N) cannot be read, the rows that use I_n and I_N still are
    assert steps[0].verdict == U and "shape" in steps[0].reason.lower()
    assert [s.verdict for s in steps[2:]] == [P, P, R]


def test_declaring_an_identity_twice_is_an_error_not_a_replacement(tmp_path):
    text = PUSH_THROUGH.replace("IDENTITY", "% derivcheck: identity I n\n% derivcheck: identity I N")
    steps = check_document(tmp_path, text, "ridge.tex")
    assert steps[0].verdict == U and "declared twice" in steps[0].reason


def test_a_flexible_identity_fits_sums_products_and_relations():
    ctx = Context("fit")
    N, n = ctx.dims("N n")
    X = ctx.matrix("X", N, n)
    notation = Notation(ctx)
    from derivcheck_steps.identities import flexible_identity

    notation.identity["I"] = flexible_identity()
    assert parse_formula(r"X^\top X + I", notation).shape == (n, n)
    assert parse_formula(r"X X^\top + I", notation).shape == (N, N)
    assert sp.Identity(N) in parse_formula(r"I X", notation).atoms(sp.Identity) or \
        parse_formula(r"I X", notation) == X  # SymPy drops I·X once sized
    with pytest.raises(LatexInputError):
        parse_formula(r"X + I", notation)  # an identity beside a non-square matrix


ZERO = r"""
\documentclass{article}
\begin{document}
\section{Normal equations}
% derivcheck: context normal equations
% derivcheck: dims N n
% derivcheck: matrix X N n
% derivcheck: vector t N
% derivcheck: vector w n
At a minimum the gradient vanishes:
\[ X^\top t - X^\top t = \mathbf{0} \]
\[ X^\top (X w - t) - X^\top X w + X^\top t = \boldsymbol{0} \]
\[ X^\top X w - X^\top t = \mathbf{0} \]
\[ X^\top t - X^\top t = 0 \]
\end{document}
"""


def test_a_bold_zero_is_the_zero_vector_of_its_equation(tmp_path):
    verdicts = document_verdicts(tmp_path, ZERO, "ridge.tex")
    assert verdicts[0] == P and verdicts[1] == P and verdicts[3] == P
    assert verdicts[2] in (R, U)  # an equation of w, false at most w; never proved


def test_an_identity_whose_size_nothing_fixes_asks_for_one_in_the_documents_words(tmp_path):
    steps = check_document(tmp_path, r"""
        \documentclass{article}
        \begin{document}
        \section{Traces}
        % derivcheck: dims n
        % derivcheck: matrix A n n
        % derivcheck: identity I
        \[ \operatorname{tr}(I) = n \]
        \[ \operatorname{tr}(A + I) = \operatorname{tr}(A) + n \]
        \end{document}
        """, "ridge.tex")
    alone, beside = steps
    assert alone.verdict == U and alone.cause == "input"
    assert "write `I_n`" in alone.reason and "_identity_size" not in alone.reason
    assert beside.verdict == P  # beside A, I is n×n
