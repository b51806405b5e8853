"""Writeups of .tex input: section titles keep their maths, prose underscores render, Markdown carries the PDF's notes."""

from __future__ import annotations

import pytest

from derivcheck_steps.cli import main

SELECTION = ["derivations/handwritten_solution.tex", "derivations/ridge_regression.py", "-k", "1.2.2", "-k", "3.1", "-k", "ridge"]


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    """The writeups of §1.2.2, §3.1 and the ridge module, in both formats (checked once)."""
    tmp = tmp_path_factory.mktemp("writeups")
    out = {}
    for fmt in ("tex", "md"):
        main(["latex", *SELECTION, "-o", str(tmp / f"handwritten.{fmt}")])
        out[fmt] = (tmp / f"handwritten.{fmt}").read_text(encoding="utf-8")
    return out


def _handwritten(fmt: str, written: dict) -> str:
    return written[fmt]


def test_a_section_title_with_maths_passes_through_as_maths(written):
    tex = _handwritten("tex", written)
    assert r"\section{1.2.2 Closed form Ridge Regression Solution (ignore $\frac{1}{2n}$ for convenience)." in tex
    md = _handwritten("md", written)
    assert r"## 1.2.2 Closed form Ridge Regression Solution (ignore $\frac{1}{2n}$ for convenience)." in md


def test_prose_with_an_underscore_renders_in_both_formats(written):
    assert r"handwritten\_solution.tex" in _handwritten("tex", written)  # LaTeX: escaped, not a subscript
    assert r"handwritten\_solution.tex" in _handwritten("md", written)  # Markdown: not emphasis


def test_markdown_carries_the_monte_carlo_note_the_pdf_has(written):
    tex, md = _handwritten("tex", written), _handwritten("md", written)
    assert "Monte Carlo agrees that it is wrong" in tex
    assert "Monte Carlo agrees that it is wrong" in md


def test_a_numeric_experiment_shows_as_an_experiment_with_its_number(written):
    assert r"\textbf{Experiment (8).}" in _handwritten("tex", written)
    assert "**Experiment (8).**" in _handwritten("md", written)
