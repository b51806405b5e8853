"""The prose rule for derived properties (checks/latex/prose.py ``_follows``) under mutation: each
mutant of checks/mutants_solve.py ``derived_property_mutants`` weakens D's declaration so that the
property the text states of D⁻¹ or Dᵀ no longer follows. The stated fact must then restrict again:
a step that is wrong without it is not refuted (its counterexample may break the stated fact), and
a step that holds only with it is not proved or checked."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from derivcheck_steps import Verdict, check_derivation
from derivcheck_steps.latex.documents import read_document
from derivcheck_steps.mutants_solve import derived_property_mutants

HEAD = "\\documentclass{article}\n\\begin{document}\n\\section{S}\n% derivcheck: dims d\n% derivcheck: vector x d\n"

DOCS = {  # (document, verdicts of its steps as written)
    "mahalanobis": (
        r"""
        % derivcheck: vector \mu d
        % derivcheck: matrix D d d diagonal pd
        The precision $D^{-1}$ is diagonal and symmetric.
        \begin{align*}
        &(x - \mu)^\top D^{-1} (x - \mu) \\
        &= x^\top D^{-1} x - 2\mu^\top D^{-1} x + \mu^\top D^{-1} \mu \\
        &= x^\top D^{-1} x + \mu^\top D^{-1} \mu
        \end{align*}""",
        [Verdict.PROVED, Verdict.REFUTED],
    ),
    "rotation": (
        r"""
        % derivcheck: matrix Q d d orthogonal
        Since $Q$ is a rotation, $Q^\top$ is orthogonal.
        \begin{align*}
        &Q^{-1} x \\
        &= Q^\top x
        \end{align*}""",
        [Verdict.PROVED],
    ),
    "whitening": (
        r"""
        % derivcheck: matrix S d d symmetric pd
        The matrix $S^{-1}$ is positive definite, so the form below is a squared norm.
        \begin{align*}
        &x^\top S^{-1} x + 2 x^\top S^{-1} x \\
        &= 3 x^\top S^{-1} x \\
        &= 3 x^\top x
        \end{align*}""",
        [Verdict.PROVED, Verdict.REFUTED],
    ),
}


def _verdicts(tmp_path: Path, text: str) -> list[Verdict]:
    path = tmp_path / "p.tex"
    path.write_text(text, encoding="utf-8")
    return [s.verdict for d in read_document(path) for s in check_derivation(d).steps]


def _text(name: str) -> str:
    return HEAD + textwrap.dedent(DOCS[name][0]).strip() + "\n\\end{document}\n"


@pytest.mark.parametrize("name", sorted(DOCS))
def test_a_property_that_follows_restricts_nothing(tmp_path: Path, name: str) -> None:
    assert _verdicts(tmp_path, _text(name)) == DOCS[name][1]


@pytest.mark.parametrize("name", sorted(DOCS))
def test_a_property_made_not_to_follow_restricts_again(tmp_path: Path, name: str) -> None:
    mutants = derived_property_mutants(_text(name))
    assert mutants, name
    for op, text in mutants:
        verdicts = _verdicts(tmp_path, text)
        assert verdicts[-1] == Verdict.UNKNOWN, (op, verdicts)  # neither accepted nor refuted
        assert Verdict.CHECKED not in verdicts, (op, verdicts)
