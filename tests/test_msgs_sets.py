"""Sets in reasons are written the way a student writes them: (0, ∞), [0, ∞), ℝ, ℝ \\ {0}, {−√b, √b}."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest
import sympy as sp

from derivcheck_steps import Verdict, check_derivation
from derivcheck_steps.console import to_ascii
from derivcheck_steps.latex.documents import read_document
from derivcheck_steps.latex.printer import text_latex
from derivcheck_steps.set_text import set_text

a = sp.Symbol("a", positive=True)
x = sp.Symbol("x", real=True)


@pytest.mark.parametrize(
    ("s", "text"),
    [
        (sp.Interval.open(0, sp.oo), "(0, ∞)"),
        (sp.Interval(0, sp.oo), "[0, ∞)"),
        (sp.Interval(-sp.oo, 0), "(−∞, 0]"),
        (sp.Interval.Lopen(-1, sp.Rational(1, 2)), "(−1, 1/2]"),
        (sp.Interval(0, 1), "[0, 1]"),
        (sp.Interval.open(-a, a), "(−a, a)"),
        (sp.S.Reals, "ℝ"),
        (sp.S.Reals - sp.FiniteSet(0), "ℝ \\ {0}"),
        (sp.Interval.open(0, 1) - sp.FiniteSet(sp.Rational(1, 2)), "(0, 1) \\ {1/2}"),
        (sp.Interval(0, 1) | sp.Interval(2, 3), "[0, 1] ∪ [2, 3]"),
        (sp.FiniteSet(sp.sqrt(a), -sp.sqrt(a)), "{−√a, √a}"),
        (sp.FiniteSet(3, -2), "{−2, 3}"),
        (sp.S.EmptySet, "∅"),
        (sp.S.Integers, "ℤ"),
        (sp.ConditionSet(x, sp.Eq(x + sp.log(x), 1), sp.Interval.open(0, sp.oo)), "{x ∈ (0, ∞) : x + log(x) = 1}"),
    ],
)
def test_a_set_is_printed_as_on_paper(s: sp.Set, text: str) -> None:
    assert set_text(s) == text


def test_the_set_symbols_have_an_ascii_and_a_latex_spelling() -> None:
    assert to_ascii("over ℝ \\ {0}, (−∞, 0] ∪ ∅") == "over R \\ {0}, (-inf, 0] U {}"
    assert text_latex("∅ ∪ (0, ∞)") == r"\ensuremath{\emptyset} \ensuremath{\cup} (0, \ensuremath{\infty})"


SOLVES = r"""
\documentclass{article}
\begin{document}
\section{Positive}
% derivcheck: scalar x positive
% derivcheck: scalar a positive
% derivcheck: equation
\begin{align*}
x^2 &= a \\
\iff x &= \sqrt{a}
\end{align*}

\section{Nonnegative}
% derivcheck: scalar z nonnegative
% derivcheck: equation
\begin{align*}
z^2 &= 4 \\
\iff z &= 2
\end{align*}

\section{Nonzero}
% derivcheck: scalar u nonzero
% derivcheck: equation
\begin{align*}
u^3 &= 8 \\
\iff u &= 2
\end{align*}

\section{Interval}
% derivcheck: scalar \theta interval -1 1
% derivcheck: equation
\begin{align*}
\cos \theta &= 1 \\
\iff \theta &= 0
\end{align*}

\section{Real}
% derivcheck: scalar y
% derivcheck: scalar b positive
% derivcheck: equation
\begin{align*}
y^2 &= b \\
\iff y &= \sqrt{b}
\end{align*}

\section{Linear}
% derivcheck: scalar x nonzero
% derivcheck: scalar \epsilon
% derivcheck: scalar \lambda
% derivcheck: equation
\begin{align*}
\epsilon x &= x^2 + \lambda \\
\iff \lambda &= \epsilon x - x^2
\end{align*}

\section{Transcendental}
% derivcheck: scalar t positive
% derivcheck: equation
\begin{align*}
t + \log t &= 1 \\
\iff t &= 1
\end{align*}
\end{document}
"""


def _steps(tmp_path: Path) -> dict[str, object]:
    doc = tmp_path / "solves.tex"
    doc.write_text(textwrap.dedent(SOLVES))
    return {d.title: check_derivation(d).steps[0] for d in read_document(doc)}


def test_solve_reasons_print_the_domain_and_solution_set_as_on_paper(tmp_path: Path) -> None:
    steps = _steps(tmp_path)
    proved = {
        "Positive": "solveset over (0, ∞): the complete solution set is {√a}",
        "Nonnegative": "solveset over [0, ∞): the complete solution set is {2}",
        "Nonzero": "solveset over ℝ \\ {0}: the complete solution set is {2}",
        "Interval": "solveset over (−1, 1): the complete solution set is {0}",
    }
    for title, text in proved.items():
        assert steps[title].verdict == Verdict.PROVED
        assert steps[title].evidence.symbolic == text
    assert steps["Linear"].evidence.symbolic == "linear in λ with nonzero coefficient −1; unique solution"
    real = steps["Real"]
    assert real.verdict == Verdict.REFUTED
    assert real.evidence.symbolic == "the complete solution set over ℝ is {−√b, √b}"
    hard = steps["Transcendental"]
    assert hard.verdict == Verdict.UNKNOWN
    assert hard.reason.startswith(
        "no symbolic proof (the solution set over (0, ∞) is not known to be a finite set: {t ∈ (0, ∞) : t + log(t) − 1 = 0})"
    )
    for step in steps.values():
        shown = f"{step.evidence.symbolic} {step.reason}"
        assert not re.search(r"Interval|Union|Reals|\boo\b|_", shown), shown
