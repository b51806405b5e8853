"""LaTeX and Markdown input: the notation adapter, the document reader, bad input, injection, fuzzing."""

from __future__ import annotations

import os
import textwrap
from functools import cache
from pathlib import Path

import pytest
import sympy as sp
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from derivcheck_steps import Context, Verdict, check_derivation
from derivcheck_steps.cli import main
from derivcheck_steps.errors import InputError
from derivcheck_steps.latex.documents import read_document
from derivcheck_steps.latex.formulas import LatexInputError, Notation, parse_formula
from derivcheck_steps.randomness import Bernoulli, E, Var

SOLUTION = Path(__file__).resolve().parents[1] / "derivations" / "handwritten_solution.tex"

HEADER = r"""
\documentclass{article}
\begin{document}
\section{Mine}
% derivcheck: context mine
% derivcheck: dims N n
% derivcheck: matrix X N n
% derivcheck: vector w n
% derivcheck: vector t N
% derivcheck: scalar lambda positive
"""


def _doc(tmp_path: Path, body: str, name: str = "mine.tex") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(HEADER) + textwrap.dedent(body) + "\n\\end{document}\n", encoding="utf-8")
    return path


def _verdicts(path: Path) -> list[Verdict]:
    return [r.verdict for d in read_document(path) for r in check_derivation(d).steps]


@cache
def _solution() -> dict[str, list]:
    return {d.title: check_derivation(d).steps for d in read_document(SOLUTION)}


# -- the handwritten solution as real input ------------------------------------------------------

def test_every_chain_of_the_handwritten_solution_is_read_and_decided():
    steps = [s for results in _solution().values() for s in results]
    assert len(steps) >= 30
    assert all(s.verdict != Verdict.UNKNOWN for s in steps), [s.reason for s in steps if s.verdict == Verdict.UNKNOWN]
    sections = {title.split()[0] for title in _solution()}
    assert sections == {"1.1.2", "1.2.2", "1.2.3", "3.1", "3.2"}


@pytest.mark.parametrize(("section", "refuted_justifications"), [
    ("1.1.2", 0), ("1.2.2", 0), ("1.2.3", 1), ("3.1", 1), ("3.2", 1),
])
def test_solution_verdicts_match_the_python_reviews(section, refuted_justifications):
    results = next(r for t, r in _solution().items() if t.startswith(section))
    refuted = [s for s in results if s.verdict == Verdict.REFUTED]
    assert len(refuted) == refuted_justifications
    assert all(s.verdict == Verdict.PROVED for s in results if s not in refuted)
    assert all(s.expected == Verdict.REFUTED for s in refuted)  # declared in the document, so CI notices a change


def test_the_boxed_epsilon_is_refuted_with_the_same_counterexample_shape_as_the_python_review():
    box = next(s for s in _solution()[next(t for t in _solution() if t.startswith("1.2.3"))]
               if s.verdict == Verdict.REFUTED)
    x, t, lam, eps = (sp.Rational(box.counterexample[k]) for k in ("x", "t", "lambda", "epsilon"))
    assert eps == (x**2 + lam) / t  # the premise holds: the correct ε …
    assert eps != (x**2 + lam) / (x * t)  # … and the boxed answer differs


def test_solution_steps_point_at_their_source_lines(capsys):
    assert main(["check", str(SOLUTION), "-q"]) == 0
    text = SOLUTION.read_text().splitlines()
    doc = read_document(SOLUTION)
    assert all(d.id.startswith("handwritten_solution.tex::") for d in doc)
    assert any("\\boxed{\\epsilon" in line for line in text)


# -- the notation adapter ------------------------------------------------------------------------

def _matrix_notation() -> tuple[Notation, sp.MatrixSymbol, sp.MatrixSymbol]:
    ctx = Context("m")
    N, n = ctx.dims("N n")
    X, w = ctx.matrix("X", N, n), ctx.vector("w", n)
    return Notation(ctx), X, w


@pytest.mark.parametrize("spelling", ["X^T", "X^{T}", r"X^\top", r"X^{\top}", r"X^{\intercal}"])
def test_every_transpose_spelling_keeps_the_transpose(spelling):
    notation, X, w = _matrix_notation()
    assert parse_formula(f"{spelling} X w", notation) == X.T * X * w


def test_transposition_mistake_in_a_users_document_is_refuted(tmp_path):
    path = _doc(tmp_path, r"""
        % derivcheck: matrix S n n
        \begin{equation}
        S^T S w = S S^T w
        \end{equation}
        """)  # a square S: with X (N×n) the right side X X^T w is ill-typed, a shape error when read
    assert _verdicts(path) == [Verdict.REFUTED]


def test_grading_defaults_are_off():
    ctx = Context("g")
    a, b = ctx.scalar("a"), ctx.scalar("gamma")
    A = ctx.scalar("A")
    notation = Notation(ctx)
    assert parse_formula(r"2\frac{1}{2}", Notation(Context("empty"))) == 1  # a product, never 5/2
    assert parse_formula("A + a", notation) == A + a  # no lower-casing
    assert parse_formula(r"\gamma", notation) == b  # the declared symbol, not Euler's constant
    with pytest.raises(LatexInputError, match="not declared"):
        parse_formula("I + a", notation)  # I is not the imaginary unit, nor the identity unless declared


def test_sums_without_bounds_indexed_entries_and_expectations():
    ctx = Context("d")
    N, n = ctx.dims("N n")
    i, j = ctx.index("i", N), ctx.index("j", n)
    x, w = ctx.indexed("x", i, j), ctx.indexed("w", j)
    p = ctx.scalar("p", interval=(0, 1))
    m = ctx.random("m", i, j, dist=Bernoulli(p))
    notation = Notation(ctx)
    y = sp.Sum(m[i, j] * w[j] * x[i, j], (j, 1, n)) / p
    assert parse_formula(r"\mathbb{E}\left[\frac{1}{p}\sum_j m_j^{(i)} w_j x_j^{(i)}\right]", notation) == E(y)
    assert parse_formula(r"E_m[\frac{1}{p}\sum_{j=1}^{n} m_{j}^{(i)} w_{j} x_{j}^{(i)}]", notation) == E(y)
    assert parse_formula(r"\operatorname{Var}[m_j^{(i)}]", notation) == Var(m[i, j])
    assert parse_formula(r"\text{Var}[m_j^{(i)}]", notation) == Var(m[i, j])
    assert parse_formula(r"(x_j^{(i)})^2", notation) == x[i, j] ** 2  # an entry squared, not x_j to the i


def test_a_lossy_parse_is_an_error_not_a_silent_pass():
    notation, X, w = _matrix_notation()
    with pytest.raises(LatexInputError):
        parse_formula("X_1 w", notation)  # a subscript on a name declared without indices
    with pytest.raises(LatexInputError):
        parse_formula(r"\|w\|_\infty", notation)  # a norm derivcheck does not model (a max over symbolic n entries)
    with pytest.raises(LatexInputError):
        parse_formula(r"\frac{\partial^2 f}{\partial w^2}", notation)


# -- bad input ------------------------------------------------------------------------------------

def test_bad_steps_are_unknown_with_file_line_column_and_the_rest_is_checked(tmp_path):
    path = _doc(tmp_path, r"""
        \begin{align*}
          &(Xw)^T (Xw) \\
          &= w^T X^T X w && \text{transpose of a product} \\
          &= q + w^T X^T X w && \text{an undeclared q} \\
          &= \frac{1}{2}{ w && \text{unbalanced}
        \end{align*}
        \begin{equation}
        \lambda w^T w = w^T (\lambda w)
        \end{equation}
        """)
    results = [r for d in read_document(path) for r in check_derivation(d).steps]
    assert [r.verdict for r in results][:1] == [Verdict.PROVED]
    unknown = [r for r in results if r.verdict == Verdict.UNKNOWN]
    assert len(unknown) == 2
    assert "mine.tex:15:" in unknown[0].reason and "`q` is not declared: add `% derivcheck: scalar q`" in unknown[0].reason
    assert "mine.tex:16:" in unknown[1].reason
    assert results[-1].verdict == Verdict.PROVED  # the next display is still checked


@pytest.mark.parametrize(("declaration", "message"), [
    ("% derivcheck: matrix Y K n", "not a declared dimension"),
    ("% derivcheck: frobnicate x", "unknown declaration"),
    ("% derivcheck: random m i bernoulli", "wrong number of parameters"),
    ("% derivcheck: random m q bernoulli \\lambda", "index 'q' of m is not declared"),
    ("% derivcheck: scalar a interval 0", "needs both bounds"),
    ("% derivcheck: scalar a interval x y", "interval end 'x' is not a finite number"),
])  # an unclosed display is a located UNKNOWN step now: tests/test_documents_rows.py
def test_bad_declarations_exit_two_with_their_location(tmp_path, capsys, declaration, message):
    path = _doc(tmp_path, declaration + "\n\\[ w^T w \\]\n")
    assert main(["check", str(path)]) == 2
    out, err = capsys.readouterr()
    # the bad declaration is an UNKNOWN step at its own line (the rest of the document is still read)
    assert message in out + err and "mine.tex:11:1" in out + err


def test_markdown_documents_with_html_comment_declarations(tmp_path):
    path = tmp_path / "notes.md"
    path.write_text(textwrap.dedent(r"""
        # Ridge, by hand
        <!-- derivcheck: context ridge -->
        <!-- derivcheck: dims n -->
        <!-- derivcheck: vector w n -->
        <!-- derivcheck: scalar lambda positive -->

        $$
        \nabla_w \left(\lambda w^T w\right) = 2 \lambda w
        $$

        <!-- derivcheck: expect REFUTED -->
        $$
        \lambda w^T w = \lambda^2 w^T w
        $$
        """), encoding="utf-8")
    assert _verdicts(path) == [Verdict.PROVED, Verdict.REFUTED]


# -- nothing from the input runs as code ---------------------------------------------------------

@pytest.mark.parametrize("attack", [
    r"\text{__import__('os').system('touch {marker}')}",
    r"__import__('os').system('touch {marker}')",
    r"\operatorname{eval}(\text{open('{marker}', 'w')})",
    r"\mathrm{exec}('import os; os.system(\"touch {marker}\")')",
    r"x_{__import__('os').system('touch {marker}')}",
])
def test_injection_attempts_are_errors_and_nothing_runs(tmp_path, attack):
    marker = tmp_path / "pwned"
    notation = Notation(Context("x"))
    with pytest.raises(InputError):
        parse_formula(attack.replace("{marker}", str(marker)), notation)
    assert not marker.exists()
    path = _doc(tmp_path, "\\[ " + attack.replace("{marker}", str(marker)) + " = 0 \\]\n")
    results = [r for d in read_document(path) for r in check_derivation(d).steps]
    assert all(r.verdict == Verdict.UNKNOWN for r in results)
    assert not marker.exists()


LATEX_PIECES = ["x", "w", "X", "^T", "^{-1}", "_j", "^{(i)}", "+", "-", "=", r"\frac{", "}{", "}", "{", "(", ")", "[",
                "]", r"\sum_{j=1}^{n}", r"\sum_j", r"\mathbb{E}[", r"\operatorname{Var}[", r"\lambda", "2", r"\|", "|",
                r"\sqrt{", r"\left(", r"\right)", r"\cdot", "&", r"\\", r"\text{", "'", "^", "_", r"\unknown", "é", "$"]


@settings(max_examples=int(os.environ.get("DERIVCHECK_FUZZ_EXAMPLES", "150")), deadline=5000,
          suppress_health_check=[HealthCheck.too_slow], derandomize=True)
@given(st.lists(st.sampled_from(LATEX_PIECES), min_size=1, max_size=14) | st.text(max_size=40).map(lambda s: [s]))
def test_fuzz_only_the_documented_error_escapes(pieces):
    ctx = Context("fuzz")
    N, n = ctx.dims("N n")
    i, j = ctx.index("i", N), ctx.index("j", n)
    ctx.matrix("X", N, n)
    ctx.vector("w", n)
    ctx.indexed("x", i, j)
    ctx.scalar("lambda", positive=True)
    try:
        value = parse_formula(" ".join(pieces), Notation(ctx))
    except LatexInputError:
        return
    assert isinstance(value, sp.Basic)


def test_a_gradient_in_latex_is_trusted_only_after_finite_differences_agree(monkeypatch):
    import derivcheck_steps.symbolic as symbolic

    notation, X, w = _matrix_notation()
    parse_formula(r"\nabla_w (w^T w)", notation)  # the true gradient passes the check
    monkeypatch.setattr(symbolic, "gradient", lambda expr, var: 3 * var)  # a wrong gradient
    with pytest.raises(LatexInputError, match="finite-difference"):
        parse_formula(r"\nabla_w (w^T w)", notation)
