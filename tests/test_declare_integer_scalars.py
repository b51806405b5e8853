"""Integer scalars (`% derivcheck: scalar y nonnegative integer`): counts whose factorial is defined,
drawn from the integers of their domain, so that y! is evaluated exactly."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from derivcheck_steps import Verdict, check_derivation
from derivcheck_steps.context import Context
from derivcheck_steps.errors import DeclarationError
from derivcheck_steps.latex.documents import read_document
from derivcheck_steps.sampling import draw_instances

POISSON = r"""
\documentclass{article}
\begin{document}
\section{The Poisson log-probability}
% derivcheck: scalar \lambda positive
% derivcheck: scalar y nonnegative integer
For a count $y$ with rate $\lambda > 0$,
\begin{align*}
\log\left( \frac{\lambda^{y} e^{-\lambda}}{y!} \right)
&= \log \lambda^{y} + \log e^{-\lambda} - \log y! \\
&= y\log\lambda - \lambda - \log y! \\
&= y\log\lambda - \lambda - \log y
\end{align*}
\[ (y+1)! = (y+1)\, y! \]
\[ (y+1)! = y\, y! \]
\end{document}
"""


def test_a_poisson_log_pmf_is_proved_and_its_slips_refuted(tmp_path: Path) -> None:
    path = tmp_path / "poisson.tex"
    path.write_text(textwrap.dedent(POISSON), encoding="utf-8")
    verdicts = [s.verdict for d in read_document(path) for s in check_derivation(d).steps]
    P, R = Verdict.PROVED, Verdict.REFUTED
    assert verdicts == [P, P, R, P, R]


def test_integer_scalars_are_drawn_from_the_integers_of_their_domain() -> None:
    ctx = Context()
    n = ctx.scalar("n", nonnegative=True, integer=True)
    k = ctx.scalar("k", positive=True, integer=True)
    m = ctx.scalar("m", integer=True, nonzero=True)
    values = [(inst.exact[n], inst.exact[k], inst.exact[m]) for inst in draw_instances(ctx, 7, 40, 8)]
    assert all(v.is_Integer for row in values for v in row)
    assert all(a >= 0 and b >= 1 and c != 0 for a, b, c in values)
    assert len({a for a, _, _ in values}) > 3 and any(c < 0 for _, _, c in values)


def test_an_integer_scalar_in_an_interval_is_refused_with_what_to_write() -> None:
    with pytest.raises(DeclarationError, match="positive, nonnegative or nonzero"):
        Context().scalar("n", interval=(0, 5), integer=True)


PROSE = r"""
\documentclass{article}
\begin{document}
\section{Counts}
Let $y \in \mathbb{N}$ be a count, $k \in \mathbb{Z}_{>0}$ and $m \in \mathbb{Z}$.
\[ (y+1)! = (y+1)\, y! \]
\[ \frac{k!}{(k-1)!} = k \]
\[ (y+1)! = y\, y! \]
\[ |m| = m \]
\end{document}
"""


def test_integer_sets_in_the_prose_declare_integer_scalars(tmp_path: Path) -> None:
    path = tmp_path / "counts.tex"
    path.write_text(textwrap.dedent(PROSE), encoding="utf-8")
    (d,) = read_document(path)
    steps = check_derivation(d).steps
    assert [s.verdict for s in steps] == [Verdict.PROVED, Verdict.PROVED, Verdict.REFUTED, Verdict.REFUTED]
    y = next(s for s in d.ctx.scalars if s.name == "y")
    decl = d.ctx.scalars[y]
    assert decl.integer and decl.nonnegative and decl.low is None  # ℕ is read as {0, 1, 2, …}
    assert steps[2].counterexample and steps[3].counterexample
