"""A user's LaTeX is quoted in messages as written: '\\lamda', never Python's '\\\\lamda'."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from derivcheck_steps import Context, check_derivation
from derivcheck_steps.errors import DeclarationError
from derivcheck_steps.latex.declarations import DeclarationScope, declare
from derivcheck_steps.latex.documents import read_document
from derivcheck_steps.latex.formulas import LatexInputError, Notation, parse_formula
from derivcheck_steps.quoting import quoted


def _notation() -> Notation:
    ctx = Context("quoting")
    state = DeclarationScope(ctx, Notation(ctx))
    declare(state, "scalar", "z", "t:1:1")
    return state.notation


def test_quoted_keeps_backslashes_and_joins_lines() -> None:
    assert quoted(r"\lamda") == "'\\lamda'"
    assert quoted("f'(x)") == '"f\'(x)"'
    assert quoted("a +\n   b") == "'a + b'"


def test_an_unsupported_command_is_printed_as_written() -> None:
    with pytest.raises(LatexInputError) as err:
        parse_formula(r"\lamda z", _notation())
    assert str(err.value) == r"unsupported LaTeX '\lamda': did you mean \lambda? (at column 1: '\lamda z')"


def test_an_unknown_command_without_a_guess_is_printed_as_written() -> None:
    with pytest.raises(LatexInputError) as err:
        parse_formula(r"z + \qwertyuiop", _notation())
    assert str(err.value) == r"unsupported LaTeX '\qwertyuiop' (at column 5: '\qwertyuiop')"


DOC = r"""
\documentclass{article}
\begin{document}
\section{Typos}
% derivcheck: scalar z
% derivcheck: scalar y interval 0 \infty
\[ z_{\alpha} = z \]
\end{document}
"""


def test_document_messages_quote_the_latex_as_written(tmp_path: Path) -> None:
    doc = tmp_path / "typos.tex"
    doc.write_text(textwrap.dedent(DOC))
    reasons = [s.reason for d in read_document(doc) for s in check_derivation(d).steps]
    text = "\n".join(reasons)
    assert "\\\\" not in text
    assert (
        r"scalar y: interval end '\infty' is not a finite number; both ends of an interval must be finite numbers "
        "such as 0, 1/2 or 2.5"
    ) in text
    assert r"z is declared without indices but is written with a subscript '\alpha' (at column 1: 'z_{\alpha}')" in text


def test_a_context_named_in_latex_is_quoted_as_written() -> None:
    ctx = Context(r"Which $\lambda$?")
    ctx.scalar("lam")
    with pytest.raises(DeclarationError) as err:
        ctx.scalar("lam")
    assert str(err.value) == r"symbol 'lam' is declared twice in context 'Which $\lambda$?'"
