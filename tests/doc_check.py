"""Test helpers: write a small LaTeX document to a test's ``tmp_path``, read it and check every step.

``check_document`` takes a whole document (dedented); ``check_case`` builds one from declarations,
a true step and a planted wrong one (marked ``expect REFUTED``); ``declaration_scope`` and
``declared_notation`` give the scope and notation of a few declarations, for formulas parsed alone.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

from derivcheck_steps import StepResult, Verdict, check_derivation
from derivcheck_steps.context import Context
from derivcheck_steps.latex.declarations import DeclarationScope, declare
from derivcheck_steps.latex.documents import read_document
from derivcheck_steps.latex.formulas import Notation

# a step as a display: an equation environment, or \[ … \] on one line
DISPLAYS = {
    "equation": "\\begin{{equation}}\n{formula}\n\\end{{equation}}",
    "brackets": "\\[ {formula} \\]",
}


def checked_steps(path: Path, text: str) -> list[StepResult]:
    """Write ``text`` to ``path`` as it is, read it as a document and check every step."""
    path.write_text(text, encoding="utf-8")
    return [r for d in read_document(path) for r in check_derivation(d).steps]


def check_document(tmp_path: Path, text: str, name: str = "student.tex") -> list[StepResult]:
    """The checked steps of the document ``text`` (dedented), written to ``tmp_path / name``."""
    return checked_steps(tmp_path / name, textwrap.dedent(text))


def document_verdicts(tmp_path: Path, text: str, name: str = "student.tex") -> list[Verdict]:
    """The verdicts of :func:`check_document`."""
    return [r.verdict for r in check_document(tmp_path, text, name)]


def check_case(tmp_path: Path, declarations: str, true: str, wrong: str,
               display: str = "equation") -> tuple[list[Verdict], list[str]]:
    """The verdicts and reasons of a document: ``declarations`` (``;``-separated), ``true``, then ``wrong``
    marked ``expect REFUTED``, each step in a ``display`` (see DISPLAYS)."""
    shown = DISPLAYS[display]
    lines = ["", r"\section{Case}", "% derivcheck: context case",
             "\n".join(f"% derivcheck: {d.strip()}" for d in declarations.split(";") if d.strip()),
             shown.format(formula=true), "% derivcheck: expect REFUTED", shown.format(formula=wrong)]
    steps = checked_steps(tmp_path / "case.tex", "\n".join(lines) + "\n")
    return [s.verdict for s in steps], [s.reason for s in steps]


def declaration_scope(*declarations: str, context: str = "t", where: str = "here:1:1") -> DeclarationScope:
    """The declaration scope after ``declarations`` (each ``word rest``, as after ``% derivcheck:``), read at ``where``."""
    ctx = Context(context)
    scope = DeclarationScope(ctx, Notation(ctx))
    for d in declarations:
        word, _, rest = d.partition(" ")
        declare(scope, word, rest, where)
    return scope


def declared_notation(*declarations: str) -> Notation:
    """The notation after ``declarations`` (see :func:`declaration_scope`), for formulas parsed alone."""
    return declaration_scope(*declarations).notation
