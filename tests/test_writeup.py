"""LaTeX and Markdown writeups: every step with its verdict, counterexamples, determinism, and a real compile."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from functools import cache

import pytest
import sympy as sp

from derivcheck_steps import Context, check_derivation, derivation
from derivcheck_steps.cli import main
from derivcheck_steps.discovery import collect
from derivcheck_steps.errors import InputError
from derivcheck_steps.latex.pdf import LatexError, compile_pdf
from derivcheck_steps.latex.printer import expr_latex, text_latex
from derivcheck_steps.latex.writeup import Checked, FigureSink, render_markdown, render_tex
from derivcheck_steps.verdict import Verdict

REQUIRE_TEX = os.environ.get("DERIVCHECK_REQUIRE_TEX") == "1"  # set by .ci/run, which installs TeX


@cache
def _builtin() -> tuple[Checked, ...]:
    return tuple(Checked(f.derivation, check_derivation(f.derivation)) for f in collect())


def _needs_tex() -> None:
    if shutil.which("pdflatex") is None:
        if REQUIRE_TEX:
            pytest.fail("pdflatex is required here (DERIVCHECK_REQUIRE_TEX=1) but is not installed")
        pytest.skip("pdflatex not installed (.ci/run installs it from Debian's texlive packages)")


def test_every_step_appears_once_with_its_verdict_mark():
    items = _builtin()
    tex = render_tex(items)
    tags = re.findall(r"\\tag\*\{\(([0-9]+'?)\)~\\dcjust\{.*?\}\\quad \\dc([A-Z]+)\{\}", tex)
    claims = re.findall(r"\\textbf\{Experiment \(([0-9]+)\)\.\}.*?\\dc([A-Z]+)\{\}", tex)
    marks = tags + claims
    expected = []
    for c in items:
        for s in c.result.steps:
            expected.append((str(s.index), s.verdict.value))
            if s.correction is not None:
                expected.append((f"{s.index}'", s.correction.verdict.value))
    assert sorted(marks) == sorted(expected)


def test_refuted_review_steps_show_counterexample_residual_and_correction():
    c = next(c for c in _builtin() if c.result.id == "derivations.dropout::review")
    tex = render_tex([c])
    wrong = next(s for s in c.result.steps if s.verdict == Verdict.REFUTED)
    assert wrong.correction is not None and wrong.correction.verdict == Verdict.PROVED
    notes = tex[tex.index("Notes on the steps not proved"):]
    assert "Counterexample:" in notes and "Residual, left minus right" in notes
    assert wrong.residual_latex and wrong.residual_latex in notes
    assert f"({wrong.index}')" in tex  # the corrected line sits right after the wrong one
    assert "Monte Carlo agrees that it is wrong" in notes


def test_markdown_has_display_blocks_and_a_verdict_row_per_step():
    items = _builtin()
    md = render_markdown(items)
    assert md.count("$$") % 2 == 0
    rows = re.findall(r"^\| \(([0-9]+'?)\) \|", md, flags=re.M)
    claims = re.findall(r"^\*\*(?:Claim|Experiment) \(([0-9]+)\)", md, flags=re.M)
    steps = sum(len(c.result.steps) for c in items)
    corrections_in_chains = sum(1 for c in items for s in c.result.steps if s.correction is not None and s.relation != "⊢")
    assert len(rows) + len(claims) == steps + corrections_in_chains


def test_notebook_rendering_of_a_checked_derivation():
    ctx = Context("nb")
    x = ctx.scalar("x")
    d = derivation("Square", ctx)
    d.chain((x + 1) ** 2).eq(x**2 + 2 * x + 1, by="expand")
    result = check_derivation(d)
    assert r"\checkmark" not in d._repr_markdown_()  # unchecked: no verdicts claimed
    md = result._repr_markdown_()
    assert "✓ PROVED" in md and "$$" in md
    assert r"\begin{aligned}" in result._repr_latex_()


def test_printer_writes_notation_the_way_people_do():
    ctx = Context("notation")
    N, n = ctx.dims("N n")
    i, j = ctx.index("i", N), ctx.index("j", n)
    x = ctx.indexed("x", i, j, latex="x_{{{1}}}^{{({0})}}")
    X = ctx.matrix("X", N, n)
    w = ctx.vector("w", n)
    p = ctx.scalar("p", interval=(0, 1))
    assert expr_latex(x[i, j] ** 2, ctx) == r"\left(x_{j}^{(i)}\right)^{2}"  # never x_j^{(i)}^2
    assert expr_latex(sp.Transpose(X * w), ctx) == r"\left(X w\right)^{\top}"
    assert expr_latex((X * w).T, ctx) == r"w^{\top} X^{\top}"
    assert expr_latex(sp.Sum(x[i, j], (i, 1, N)) / (2 * N), ctx) == r"\frac{1}{2 N} \sum_{i=1}^{N} x_{j}^{(i)}"
    assert expr_latex((1 - p) / p * sp.Sum(x[i, j], (j, 1, n)), ctx) == r"\frac{1 - p}{p} \sum_{j=1}^{n} x_{j}^{(i)}"


def test_prose_is_escaped_and_unicode_mathematics_is_spelled_out():
    assert text_latex("50% of {x} & y_1 #2 $") == r"50\% of \{x\} \& y\_1 \#2 \$"
    assert text_latex("ỹ⁽ⁱ⁾ ≠ Σ") == r"\ensuremath{\tilde{y}}\ensuremath{^{(i)}} \ensuremath{\neq} \ensuremath{\Sigma}"
    with pytest.raises(InputError, match="U\\+1F600"):
        text_latex("a smile 😀")


def test_two_runs_in_fresh_processes_give_byte_identical_tex(tmp_path):
    runs = []
    for hashseed in ("1", "2"):  # two fresh processes at once, with different hash seeds
        (tmp_path / hashseed).mkdir()
        out = tmp_path / hashseed / "w.tex"
        env = dict(os.environ, PYTHONHASHSEED=hashseed)
        runs.append((out, subprocess.Popen([sys.executable, "-m", "derivcheck_steps.cli", "latex", "-o", str(out)],
                                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)))
    outputs = []
    for out, proc in runs:
        _, err = proc.communicate()
        assert proc.returncode == 0, err
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1]
    assert b"\\date{}" in outputs[0]  # no timestamp
    figures = sorted(p.name for p in (tmp_path / "1" / "w-figures").iterdir())
    assert figures and all((tmp_path / "1" / "w-figures" / f).read_bytes() == (tmp_path / "2" / "w-figures" / f).read_bytes()
                           for f in figures)


def test_full_writeup_compiles_without_errors_or_undefined_references(tmp_path):
    _needs_tex()
    tex = tmp_path / "writeup.tex"
    sink = FigureSink(tmp_path / "writeup-figures", "writeup-figures")
    text = render_tex(_builtin(), figures=sink)
    tex.write_text(text, encoding="utf-8")
    result = compile_pdf(tex)
    assert result.pdf.exists() and result.pdf.stat().st_size > 10_000
    assert result.warnings == []
    figures = [c for c in _builtin() for s in c.result.steps if s.figure is not None]
    assert len(figures) >= 3 and text.count("\\includegraphics") == len(figures)  # the simulations' plots are in it


def test_latex_errors_are_reported_with_the_source_line(tmp_path):
    _needs_tex()
    tex = tmp_path / "broken.tex"
    tex.write_text("\\documentclass{article}\n\\begin{document}\nfine\n\\undefinedmacro{x}\n\\end{document}\n")
    with pytest.raises(LatexError) as info:
        compile_pdf(tex)
    assert "broken.tex:4:" in str(info.value) and "\\undefinedmacro{x}" in str(info.value)


def test_pdf_without_a_tex_engine_is_a_clear_error(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(shutil, "which", lambda name: None)
    code = main(["latex", "-k", "minibatch", "-o", str(tmp_path / "w.tex"), "--pdf"])
    assert code == 2
    assert "no TeX engine found" in capsys.readouterr().err


def test_latex_command_writes_markdown_by_suffix_and_refuses_pdf_for_md(tmp_path, capsys):
    out = tmp_path / "w.md"
    assert main(["latex", "-k", "minibatch", "-o", str(out)]) == 0
    assert out.read_text().startswith("# Checked derivations")
    assert main(["latex", "-k", "minibatch", "-o", str(out), "--pdf"]) == 2
    assert "--pdf needs -o FILE.tex" in capsys.readouterr().err


def test_every_printed_formula_reads_back_as_an_equal_formula():
    from derivcheck_steps.latex.roundtrip import round_trip

    results = []
    for c in _builtin():
        d = c.derivation
        for s in d.steps:
            if s.experiment is not None or s.problem:
                continue  # an experiment's description is prose, not a formula
            for expr in (s.before, s.after, s.correction):
                if expr is not None:
                    results.append((c.result.id, s.index, round_trip(expr, d.ctx)))
    failed = [(i, k, r.latex, r.reason) for i, k, r in results if not r.ok]
    assert len(results) > 150
    assert failed == [], f"{len(results) - len(failed)}/{len(results)} round trips; failures: {failed[:5]}"


def test_figures_need_an_output_file_and_matplotlib(tmp_path, monkeypatch):
    import derivcheck_steps.latex.layout as layout  # where figures are drawn for both formats

    with_plots = [c for c in _builtin() if any(s.figure is not None for s in c.result.steps)]
    assert "-o FILE" in render_tex(with_plots)  # no file: say how to get the figures
    monkeypatch.setattr(layout, "can_draw", lambda: False)
    text = render_tex(with_plots, figures=FigureSink(tmp_path / "f", "f"))
    assert "\\includegraphics" not in text and "derivcheck{[}plots{]}" in text  # brackets escaped for LaTeX
    assert not (tmp_path / "f").exists()
