"""Words written after a row's mathematics (``\\quad\\text{(shift } k \\to k+1\\text{)}``) are its note.

Authors end rows with a reason whose words and maths interleave; the note is the justification,
never more of the row's mathematics. A note that states a *condition* (``for x \\ge 0``) is not
read as a hypothesis, so the row is not checked as an identity (it could be refuted where the
condition fails): it is UNKNOWN with a message saying how to state the condition.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

from derivcheck_steps import Verdict, check_derivation
from derivcheck_steps.latex.documents import read_document
from derivcheck_steps.latex.rows import split_trailing_note


def _steps(tmp_path: Path, body: str, declarations: str) -> list:
    path = tmp_path / "student.tex"
    text = "\\documentclass{article}\n\\begin{document}\n\\section{Steps}\n" + declarations + body + "\\end{document}\n"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return [r for d in read_document(path) for r in check_derivation(d).steps]


GEOMETRIC = r"""% derivcheck: context geometric
% derivcheck: dims n
% derivcheck: index k n
% derivcheck: scalar r
"""


def test_a_note_with_maths_inside_is_the_justification(tmp_path):
    body = r"""\begin{align*}
(1 - r)\sum_{k=0}^{n-1} r^k &= \sum_{k=0}^{n-1} r^k - \sum_{k=1}^{n} r^k \quad\text{(shift } k \to k+1\text{)} \\
&= 1 - r^{n} \qquad \text{(telescoping)}
\end{align*}
"""
    steps = _steps(tmp_path, body, GEOMETRIC)
    assert [s.verdict for s in steps] != [] and all(s.verdict in (Verdict.PROVED, Verdict.CHECKED) for s in steps)


def test_a_wrong_row_with_a_note_is_still_refuted(tmp_path):
    body = r"""\begin{align*}
(1 - r)\sum_{k=0}^{n-1} r^k &= \sum_{k=0}^{n-1} r^k - \sum_{k=1}^{n} r^k \quad\text{(shift } k \to k+1\text{)} \\
&= 1 - r^{n+1} \qquad \text{(telescoping)}
\end{align*}
"""
    assert [s.verdict for s in _steps(tmp_path, body, GEOMETRIC)][-1] == Verdict.REFUTED


def test_a_condition_after_the_row_is_not_dropped_silently(tmp_path):
    body = r"""\[ \sqrt{x^2} = x \quad \text{for } x \ge 0 \]
"""
    (step,) = _steps(tmp_path, body, "% derivcheck: context root\n% derivcheck: scalar x\n")
    assert step.verdict == Verdict.UNKNOWN and step.cause == "input"
    assert "for x \\ge 0" in step.reason and "assume" in step.reason


def test_the_words_and_the_mathematics_are_split_where_the_note_starts():
    assert split_trailing_note(r"a = b \quad\text{(multiply by } p(1-p) > 0\text{)}") == ("a = b", "(multiply by p(1-p) > 0)")
    assert split_trailing_note(r"a = b \text{ (since } x>0)") == ("a = b", "(since x>0)")
    assert split_trailing_note(r"y = 2,\; \text{so } z = 3") == ("y = 2", "so z = 3")


def test_operator_names_and_connectors_are_not_notes():
    for math in (r"\text{Var}[X] = E[X^2] - E[X]^2", r"x = \frac{a}{\text{b}}", r"a = b, \quad \text{and} \quad c = d",
                 r"a = b \text{ and } c = d"):
        assert split_trailing_note(math) == (math, "")
