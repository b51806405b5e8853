"""A sign stated of *some* entries of indexed data ("at least one $w_i > 0$", "$w_i > 0$ for some $i$")
restricts none of them; the same sign "for all $i$" is the data's domain."""

from __future__ import annotations

from pathlib import Path

import pytest

from derivcheck_steps import Verdict, check_derivation
from derivcheck_steps.latex.documents import read_document

DOC = r"""
\documentclass{article}
\begin{document}
\section{Weights}
% derivcheck: dims N
% derivcheck: index i N
% derivcheck: data w i
SENTENCE
\[ \sqrt{w_i^2} = w_i \]
\end{document}
"""


def _verdict(tmp_path: Path, sentence: str) -> tuple[Verdict, list[str]]:
    path = tmp_path / "w.tex"
    path.write_text(DOC.replace("SENTENCE", sentence), encoding="utf-8")
    (d,) = read_document(path)
    return check_derivation(d).steps[0].verdict, list(d.ctx.prose_declarations) if hasattr(d.ctx, "prose_declarations") else []


def test_a_sign_for_every_entry_is_the_domain(tmp_path: Path) -> None:
    assert _verdict(tmp_path, r"The weights satisfy $w_i > 0$ for all $i$.")[0] == Verdict.PROVED


@pytest.mark.parametrize("sentence", [
    r"At least one weight is positive, $w_i > 0$.",
    r"The weights are not all zero: at least one $w_i > 0$.",
    r"We have $w_i > 0$ for some $i$.",
    r"There is an index with $w_i > 0$.",
])
def test_a_sign_of_some_entries_restricts_none(tmp_path: Path, sentence: str) -> None:
    assert _verdict(tmp_path, sentence)[0] == Verdict.REFUTED
