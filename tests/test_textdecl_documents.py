"""Declarations read from a document's own text (issue 14, item 1): prose and statement rows declare.

A student's document with no ``% derivcheck:`` line at all is checked from what its prose states;
each declaration taken from the text is listed with its line; a comment declaration overrides the
text; nothing is guessed (a name no statement types, a conditional or negated statement, a random
family without "i.i.d." stay undeclared), and a step that needs a property nobody stated is refuted.
"""

from __future__ import annotations

import textwrap
from functools import cache
from pathlib import Path

from derivcheck_steps import Verdict, check_derivation
from derivcheck_steps.cli import main
from derivcheck_steps.latex.documents import read_document

HERE = Path(__file__).resolve().parent
STUDENT = HERE / "documents_examples" / "textdecl_student.tex"
SOLUTION = HERE.parent / "derivations" / "handwritten_solution.tex"


@cache
def _student() -> dict[str, tuple[object, list]]:
    return {d.title: (d, check_derivation(d).steps) for d in read_document(STUDENT)}


def _doc(tmp_path: Path, body: str, name: str = "doc.tex") -> Path:
    path = tmp_path / name
    path.write_text("\\documentclass{article}\n\\begin{document}\n" + textwrap.dedent(body) + "\n\\end{document}\n",
                    encoding="utf-8")
    return path


def _results(path: Path) -> list:
    return [r for d in read_document(path) for r in check_derivation(d).steps]


def test_the_student_document_has_no_declaration_comment():
    assert "derivcheck" not in STUDENT.read_text(encoding="utf-8")


def test_a_matrix_in_r_n_by_d_from_the_prose_makes_every_ridge_step_proved():
    d, steps = _student()["Ridge regression"]
    assert [s.verdict for s in steps] == [Verdict.PROVED, Verdict.PROVED]
    assert "line 6: X is a real N×d matrix" in d.stated
    assert "line 7: \\lambda is a real scalar > 0" in d.stated


def test_iid_bernoulli_masks_from_the_prose_make_the_dropout_moments_proved():
    d, steps = _student()["Dropout on the inputs"]
    assert [s.verdict for s in steps] == [Verdict.PROVED] * 4
    assert any("m_j^{(i)} are i.i.d. Bernoulli(p) over i, j" in s for s in d.stated)
    assert any("x_j^{(i)} is real data over i, j" in s for s in d.stated)


def test_symmetry_is_used_only_for_the_matrix_the_text_calls_symmetric():
    d, steps = _student()["A symmetric quadratic form"]
    assert "line 14: A is symmetric (read as '% derivcheck: assume A = A^T')" in d.stated
    assert not any("B is symmetric" in s for s in d.stated)  # "nothing says $B$ is symmetric" is no statement
    uses_a, uses_b = steps[1], steps[2]
    assert uses_a.verdict == Verdict.PROVED  # the provers use Aᵀ = A symbolically
    assert uses_b.verdict == Verdict.REFUTED  # xᵀBᵀy = xᵀBy: nobody declared B symmetric


def test_the_report_lists_each_declaration_from_the_text_with_its_line(capsys, tmp_path):
    main(["check", str(STUDENT), "--no-timing", "--no-cache", "--json", str(tmp_path / "out.json")])
    out = capsys.readouterr().out
    assert "declared by the text: line 6: X is a real N×d matrix" in out
    assert '"line 26: p is a real scalar in (0, 1)"' in (tmp_path / "out.json").read_text(encoding="utf-8")


def test_the_handwritten_solution_states_its_types_in_its_text():
    text = SOLUTION.read_text(encoding="utf-8")
    assert sum("derivcheck:" in line for line in text.splitlines()) <= 38  # 76 before its text declared
    assert "derivcheck: context" not in text and "derivcheck: scalar" not in text


def test_a_comment_declaration_overrides_the_text(tmp_path):
    body = r"""
        \section{Override}
        COMMENT
        Take $\lambda > 0$ and $a \in \mathbb{R}$.
        \[ \sqrt{\lambda^2} = \lambda \]
        """
    stated = _doc(tmp_path, body.replace("COMMENT", ""), "a.tex")
    overridden = _doc(tmp_path, body.replace("COMMENT", "% derivcheck: scalar lambda"), "b.tex")
    assert [r.verdict for r in _results(stated)] == [Verdict.PROVED]
    (d,) = read_document(overridden)
    assert d.stated == ["line 6: a is a real scalar"]  # λ is the comment's: no sign from the text
    assert [r.verdict for r in check_derivation(d).steps] == [Verdict.REFUTED]  # λ = −1


def test_a_name_no_statement_types_is_an_error_that_says_where_and_what_to_write(tmp_path):
    path = _doc(tmp_path, r"""
        \section{Unknown}
        Let $a \in \mathbb{R}$.
        \[ a + b = b + a \]
        """)
    step = _results(path)[0]
    assert step.verdict == Verdict.UNKNOWN and step.cause == "input"
    assert "doc.tex:6" in step.reason and "`b` is not declared" in step.reason and "% derivcheck: scalar b" in step.reason


def test_conditional_and_negated_statements_declare_nothing(tmp_path):
    path = _doc(tmp_path, r"""
        \section{Conditional}
        Let $a \in \mathbb{R}$; if $c > 0$ the bound below is strict.
        \[ a c = c a \]
        """)
    step = _results(path)[0]
    assert step.verdict == Verdict.UNKNOWN and "`c` is not declared" in step.reason


def test_a_random_family_needs_iid_stated(tmp_path):
    body = r"""
        \section{Noise}
        For $i = 1, \dots, N$ let $\sigma > 0$ and NOISE.
        \[ \mathbb{E}[\epsilon_i^2] = \sigma^2 \]
        """
    guessed = _doc(tmp_path, body.replace("NOISE", r"$\epsilon_i \sim \mathcal{N}(0, \sigma^2)$"), "a.tex")
    stated = _doc(tmp_path, body.replace("NOISE", r"i.i.d. noise $\epsilon_i \sim \mathcal{N}(0, \sigma^2)$"), "b.tex")
    assert _results(guessed)[0].verdict == Verdict.UNKNOWN  # one law each, but nothing says independent
    assert [r.verdict for r in _results(stated)] == [Verdict.PROVED]
    wrong = _doc(tmp_path, body.replace("NOISE", r"i.i.d. noise $\epsilon_i \sim \mathcal{N}(0, \sigma^2)$")
                 .replace("= \\sigma^2", "= \\sigma"), "c.tex")
    assert [r.verdict for r in _results(wrong)] == [Verdict.REFUTED]


def test_a_statement_row_declares_and_is_not_a_step(tmp_path):
    path = _doc(tmp_path, r"""
        \section{Rows}
        $$w \in \mathbb{R}^n, x \in \mathbb{R}^n$$
        \[ w^T x = x^T w \]
        """)
    (d,) = read_document(path)
    assert [s.location.line for s in d.steps] == [6]
    assert [r.verdict for r in check_derivation(d).steps] == [Verdict.PROVED]
    assert d.stated[0] == "line 5: n is a dimension (a positive integer)"


def test_declaring_a_name_twice_differently_in_comments_is_an_error(tmp_path):
    path = _doc(tmp_path, r"""
        \section{Twice}
        % derivcheck: scalar x
        % derivcheck: dims n
        % derivcheck: vector x n
        \[ x + x = 2x \]
        """)
    steps = _results(path)
    assert any(s.verdict == Verdict.UNKNOWN and "declared twice" in (s.reason or "") for s in steps)


def test_a_stated_property_that_cannot_be_read_yet_never_lets_a_counterexample_through(tmp_path):
    path = _doc(tmp_path, r"""
        \section{Diagonal}
        Let $W \in \mathbb{R}^{n\times n}$, $x, y \in \mathbb{R}^n$ and $W = \operatorname{diag}(w_1, \dots, w_n)$.
        \[ (W x)^T y = x^T W y \]
        """)
    (d,) = read_document(path)
    (step,) = check_derivation(d).steps
    assert step.verdict != Verdict.REFUTED  # true for a diagonal W
    assert any("W is diagonal" in s for s in d.stated)


def test_sections_of_a_document_without_contexts_are_contexts_of_their_own(tmp_path):
    path = _doc(tmp_path, r"""
        Throughout, $n$ is fixed: let $u \in \mathbb{R}^n$.
        \section{First}
        Let $A \in \mathbb{R}^{n\times n}$ be symmetric.
        \subsection{Inside the first}
        \[ u^T A u = u^T A^T u \]
        \section{Second}
        Let $A \in \mathbb{R}^{n\times n}$.
        \[ u^T A u = u^T A^T u \]
        """)
    inside, second = (check_derivation(d).steps[0] for d in read_document(path))
    assert inside.verdict == Verdict.PROVED  # the preamble's u and the section's symmetric A
    assert second.verdict == Verdict.PROVED  # a 1×1 matrix equals its transpose: true for any A


def test_a_comment_that_cannot_be_read_leaves_the_name_to_the_text(tmp_path):
    path = _doc(tmp_path, r"""
        \section{Typo}
        % derivcheck: random m j bernouli p
        For $j = 1, \dots, n$ and $0 < p < 1$, the masks are $m_j \stackrel{\text{i.i.d.}}{\sim} \mathrm{Ber}(p)$.
        \[ \mathbb{E}[m_j^2] = p \]
        """)
    (d,) = read_document(path)
    assert any("m_j are i.i.d. Bernoulli(p) over j" in s for s in d.stated)
    first, step = check_derivation(d).steps
    assert (first.verdict, first.cause) == (Verdict.UNKNOWN, "input")  # the typo is still reported
    assert step.verdict == Verdict.PROVED
