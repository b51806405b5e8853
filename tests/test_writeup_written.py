"""Writeups and reports show expressions as their author wrote them; the check uses the evaluated form."""

from __future__ import annotations

import json
import textwrap

import pytest
import sympy as sp

from derivcheck_steps import check_derivation
from derivcheck_steps.cli import main
from derivcheck_steps.discovery import load_module
from derivcheck_steps.latex.layout import source_tex
from derivcheck_steps.latex.writeup import Checked, render_markdown, render_tex
from derivcheck_steps.plain import plain
from derivcheck_steps.verdict import Verdict

RIDGE_WRITTEN_TEX = r"\left(X w - t\right)^{\top} \left(X w - t\right) + \lambda w^{\top} w"

LEAST_SQUARES = textwrap.dedent(
    """
    import sympy as sp
    from derivcheck_steps import Context, derivation, differentiate

    ctx = Context("least squares")
    N, n = ctx.dims("N n")
    A = ctx.matrix("A", N, n)
    x = ctx.vector("x", n)
    b = ctx.vector("b", N)


    def sq_norm(v):
        return v.T * v


    half = sp.Rational(1, 2) * (A * x - b).T * (A * x - b)
    ls = derivation("Least squares", ctx)
    ls.chain(half).eq(sp.Rational(1, 2) * (x.T * A.T - b.T) * (A * x - b), by="transpose of a difference")
    ls.chain(half).implies(sp.Eq(A.T * A * x - 2 * A.T * b, sp.ZeroMatrix(n, 1)), by=differentiate(x, "gradient"))
    ls.chain(sq_norm(A * x - b)).eq((A * x - b).T * (A * x - b), by="definition")
    """
)


@pytest.fixture(scope="module")
def ridge():
    from derivcheck_steps.derivations.ridge_regression import ridge

    return ridge


@pytest.fixture
def least_squares(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "least_squares.py").write_text(LEAST_SQUARES)
    return load_module(str(tmp_path / "least_squares.py"))


def test_the_first_line_of_the_ridge_writeup_is_the_written_loss(ridge):
    result = check_derivation(ridge)
    tex = render_tex([Checked(ridge, result)])
    chain = tex[tex.index(r"\begin{align*}") :]
    assert chain.splitlines()[1].strip() == rf"&{RIDGE_WRITTEN_TEX} \\"
    md = render_markdown([Checked(ridge, result)])
    assert f"&{RIDGE_WRITTEN_TEX} \\\\" in md.splitlines()


def test_the_transpose_of_a_difference_step_reads_differently_from_the_line_before(ridge):
    start = plain(ridge.chains[0].written, ridge.ctx, written=True)
    first = plain(ridge.steps[0].written, ridge.ctx, written=True)
    assert start == "(Xw − t)ᵀ(Xw − t) + λwᵀw"
    assert first == "(wᵀXᵀ − tᵀ)(Xw − t) + λwᵀw"
    assert plain(ridge.chains[0].start, ridge.ctx) == plain(ridge.steps[0].after, ridge.ctx)  # evaluated: the same


def test_the_written_form_is_the_same_mathematics_as_the_checked_one(ridge):
    for step in ridge.steps:
        if step.written is not None:
            lhs, rhs = (
                (step.written, step.after)
                if not isinstance(step.after, sp.Equality)
                else (step.written.lhs - step.written.rhs, step.after.lhs - step.after.rhs)
            )
            assert sp.expand((lhs - rhs).doit()) in (0, sp.ZeroMatrix(*getattr(rhs, "shape", (1, 1))))


def test_the_terminal_report_prints_written_forms_with_their_lines(least_squares, capsys):
    main(["check", "least_squares.py", "--no-cache", "--no-timing"])
    out = capsys.readouterr().out
    assert "½(Ax − b)ᵀ(Ax − b)" in out
    assert "= ½(xᵀAᵀ − bᵀ)(Ax − b)   [transpose of a difference]" in out
    assert "least_squares.py:19" in out


def test_a_helper_function_gives_no_written_form_and_the_evaluated_one_is_printed(least_squares):
    chain = least_squares.ls.chains[2]
    assert chain.written is None  # sq_norm is the author's function, not a SymPy constructor: never called again
    assert chain.steps[0].written is not None


def test_the_written_form_never_changes_a_verdict(least_squares):
    result = check_derivation(least_squares.ls)
    assert [s.verdict for s in result.steps] == [Verdict.PROVED, Verdict.REFUTED, Verdict.PROVED]


def test_a_wrong_gradient_shows_the_claimed_and_the_true_gradient_simplified(least_squares, capsys):
    main(["check", "least_squares.py", "--no-cache", "--no-timing", "--json", "report.json"])
    out = capsys.readouterr().out
    assert "claimed gradient: AᵀAx − 2Aᵀb" in out
    assert "true gradient:    AᵀAx − Aᵀb" in out
    assert "A.T" not in out and "**" not in out
    step = json.loads(open("report.json", encoding="utf-8").read())["derivations"][0]["steps"][1]
    assert step["evidence"]["gradient"] == {"claimed": "AᵀAx − 2Aᵀb", "true": "AᵀAx − Aᵀb"}


def test_counterexamples_and_tables_use_one_matrix_notation(least_squares, capsys):
    main(["check", "least_squares.py", "--no-cache", "--no-timing"])
    detail = [line for line in capsys.readouterr().out.splitlines() if "counterexample" in line or "inputs |" in line]
    assert detail and all("]ᵀ" not in line for line in detail)
    assert any("x = [" in line and ";" in line for line in detail)


SOURCE_DOC = textwrap.dedent(
    r"""
    \newcommand{\sq}[1]{#1^2}
    \section{Squares}
    % derivcheck: context squares
    % derivcheck: scalar a
    % derivcheck: scalar b
    \begin{align*}
      (a + b)^2 &= (a + b)(a + b) \label{eq:one} \\
      &= a^2 + 2ab + b^2. \\
      &= \sq{a} + 2ab + b^2
    \end{align*}
    """
)


def test_a_tex_rows_source_is_what_the_writeup_prints(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "squares.tex").write_text(SOURCE_DOC)
    main(["latex", "squares.tex", "--no-cache", "-o", "out.tex"])
    tex = (tmp_path / "out.tex").read_text(encoding="utf-8")
    assert "&(a + b)^2 \\\\" in tex  # the start, as written
    assert "= {}&(a + b)(a + b) \\tag*" in tex  # not expanded back by SymPy; the label is dropped
    assert "= {}&a^2 + 2ab + b^2 \\tag*" in tex  # closing full stop dropped
    assert r"\sq" not in tex  # a macro of the document's preamble: the printed form instead


def test_source_tex_keeps_spacing_commands_and_refuses_unknown_ones():
    assert source_tex(r"x \, y,") == r"x \, y"
    assert source_tex(r"\myop{x} + 1") is None
    assert source_tex(r"\frac{1}{2} \|Ax - b\|^2 \nonumber") == r"\frac{1}{2} \|Ax - b\|^2"


@pytest.mark.parametrize("row", [r"\left( a + b", r"a + b \right)", r"\begin{pmatrix} a", r"x^", "{a}}{"])
def test_a_row_that_would_not_compile_on_its_own_is_printed_instead(row):
    assert source_tex(row) is None  # a row split inside \left( … \right) or an environment


COMPUTED = textwrap.dedent(
    """
    import sympy as sp
    from derivcheck_steps import Context, derivation

    ctx = Context("computed")
    a = ctx.scalar("a")
    b = ctx.scalar("b")
    d = derivation("Computed steps", ctx)
    d.chain((a + b) ** 2).eq(sp.expand((a + b) ** 2), by="expand").eq(((a + b) ** 2).subs(b, b), by="same")
    d.chain(sp.Rational(1, 2) * (a - b) ** 2).eq(sp.sqrt(a**2) ** 2 / 2 - a * b + b**2 / 2, by="expand")
    """
)


def test_rebuilding_never_runs_the_authors_computations_again(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "computed.py").write_text(COMPUTED)
    d = load_module(str(tmp_path / "computed.py")).d
    assert [s.written for s in d.chains[0].steps] == [None, None]  # sp.expand and .subs compute: not called again
    step = d.chains[1].steps[0]  # SymPy's constructors (Rational, sqrt) are called: the written form is kept
    assert plain(step.written, d.ctx, written=True) == "|a|²/2 − ab + b²/2"  # evaluated: a²/2 − ab + b²/2


def test_every_written_form_of_the_built_in_derivations_reads_back_as_the_checked_expression():
    from derivcheck_steps.discovery import collect
    from derivcheck_steps.latex.roundtrip import round_trip

    results = []
    for found in collect():
        d = found.derivation
        shown = [(c.start, c.written) for c in d.chains] + [(s.after, s.written) for s in d.steps]
        results += [(d.id, round_trip(expr, d.ctx, written)) for expr, written in shown if written is not None]
    assert len(results) >= 15
    assert [(i, r.latex, r.reason) for i, r in results if not r.ok] == []
