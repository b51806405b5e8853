"""The vector solve rule never proves a wrong variant: each family of checks/mutants_solve.py applied
to correct solve steps the rule proves (normal equations, ridge, a Newton step, whitening). Each
variant is wrong: the solution with its inverse dropped, transposed, negated, inverted the wrong way,
with two factors swapped (matrices that do not commute), or a singular (rank-one) coefficient."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from derivcheck_steps import Verdict
from derivcheck_steps.engine import check_step
from derivcheck_steps.latex.documents import read_document
from derivcheck_steps.mutants_prove import FAMILIES
from derivcheck_steps.mutants_solve import FAMILIES as SOLVE

HEAD = "\\documentclass{article}\n\\begin{document}\n\\section{S}\n"

DOCS = {
    "normal equations": (
        r"""
        % derivcheck: dims N d
        % derivcheck: matrix X N d
        % derivcheck: vector y N
        % derivcheck: vector w d
        % derivcheck: matrix A d d invertible
        % derivcheck: matrix B d d
        We write $A = X^\top X$, assumed invertible.
        \begin{align*}
        A w &= B X^\top y \\
        \iff w &= A^{-1} B X^\top y
        \end{align*}"""
    ),
    "ridge": (
        r"""
        % derivcheck: dims N d
        % derivcheck: matrix X N d
        % derivcheck: vector y N
        % derivcheck: vector w d
        % derivcheck: vector u d
        % derivcheck: matrix P d d pd
        \begin{align*}
        P w - X^\top y &= u \\
        \iff w &= P^{-1}\left(X^\top y + u\right)
        \end{align*}"""
    ),
    "newton": (
        r"""
        % derivcheck: dims d
        % derivcheck: vector g d
        % derivcheck: vector \delta d
        % derivcheck: matrix H d d invertible
        % derivcheck: matrix K d d
        \begin{align*}
        H^{-1} \delta &= - K g \\
        \iff \delta &= - H K g
        \end{align*}"""
    ),
    "whitening": (
        r"""
        % derivcheck: dims d
        % derivcheck: vector z d
        % derivcheck: vector x d
        % derivcheck: vector \mu d
        % derivcheck: matrix L d d invertible
        \begin{align*}
        L^\top z &= x - \mu \\
        \iff z &= (L^\top)^{-1}(x - \mu)
        \end{align*}"""
    ),
}


def _step(tmp_path: Path, name: str):
    path = tmp_path / "s.tex"
    path.write_text(HEAD + textwrap.dedent(DOCS[name]).strip() + "\n\\end{document}\n", encoding="utf-8")
    (d,) = read_document(path)
    step = d.steps[0]
    assert check_step(d, step).verdict == Verdict.PROVED  # the rule proves the correct step
    return d, step


def test_the_solve_families_are_registered() -> None:
    assert set(SOLVE) <= set(FAMILIES)


@pytest.mark.parametrize("name", sorted(DOCS))
def test_no_solve_mutant_is_accepted(tmp_path: Path, name: str) -> None:
    d, step = _step(tmp_path, name)
    for family, make in SOLVE.items():
        for m in make(d, step):
            verdict = check_step(d, m.as_step(step)).verdict
            assert verdict in (Verdict.REFUTED, Verdict.UNKNOWN), (name, family, m.operator, m.expr, verdict)


def test_every_solve_family_makes_a_mutant_somewhere(tmp_path: Path) -> None:
    made = {family: 0 for family in SOLVE}
    for name in DOCS:
        d, step = _step(tmp_path, name)
        for family, make in SOLVE.items():
            made[family] += len(make(d, step))
    assert all(made.values()), made


def test_a_coefficient_declared_with_no_property_is_no_numeric_evidence(tmp_path: Path) -> None:
    # the hole the family found: K w = K Xᵀy ⇔ w = Xᵀy was CHECKED, though K may be singular (then
    # every w with K(w − Xᵀy) = 0 solves it); sampled K are invertible, so agreement is no evidence
    d, step = _step(tmp_path, "normal equations")
    ms = [m for m in SOLVE["solve: singular coefficients"](d, step) if "no property" in m.operator]
    assert ms
    for m in ms:
        result = check_step(d, m.as_step(step))
        assert result.verdict == Verdict.UNKNOWN and "det(B) ≠ 0" in result.reason


def test_the_built_in_solve_steps_give_mutants_none_accepted() -> None:
    # ridge (Python and the handwritten LaTeX): (λI + XᵀX) w = Xᵀt; its transpose is no error (symmetric
    # by its form), so only the dropped inverse and the flipped sign are made
    from derivcheck_steps.discovery import collect

    made = 0
    for found in collect():
        d = found.derivation
        for step in d.steps:
            for make in SOLVE.values():
                for m in make(d, step):
                    made += 1
                    assert check_step(d, m.as_step(step)).verdict in (Verdict.REFUTED, Verdict.UNKNOWN), m
    assert made >= 4
