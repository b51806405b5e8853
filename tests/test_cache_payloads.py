"""Issue 17: writeups carry no payloads — text from the input is escaped for Markdown/HTML and LaTeX alike."""

from __future__ import annotations

import os
import shutil
import subprocess
import textwrap
from pathlib import Path

import pytest

from derivcheck_steps import Context, check_derivation, derivation
from derivcheck_steps.cli import main
from derivcheck_steps.latex.escaping import math_is_safe, md_prose, tex_prose
from derivcheck_steps.latex.writeup import Checked, render_markdown, render_tex

REQUIRE_TEX = os.environ.get("DERIVCHECK_REQUIRE_TEX") == "1"  # set by .ci/run, which installs TeX

HTML_PAYLOADS = ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "[click](javascript:alert(1))"]
CODE_SPAN = "`rm -rf`"  # Markdown only: to TeX a backtick is an opening quote


def _tex_payloads(secret: Path) -> list[str]:
    return [rf"\input{{{secret}}}", r"\immediate\write18{touch pwned}", r"\catcode`\^^5c=12", r"\def\pwn{x}",
            rf"\include{{{secret.with_suffix('')}}}", r"\usepackage{hyperref}", r"\openout3=owned.tex"]


def _document(secret: Path) -> str:
    """A student's notes with payloads in the section title, a \\text justification, a comment and a directive."""
    return textwrap.dedent(
        rf"""
        \section{{Ridge regression, ignore $\frac{{1}}{{2n}}$ <script>alert(1)</script> \input{{{secret}}}}}
        % derivcheck: context payloads
        % derivcheck: scalar a
        \begin{{align*}}
          &(a+1)^2 \\
          &= a^2 + 2a + 1 && \text{{expand <img src=x onerror=alert(1)> \immediate\write18{{touch pwned}}}} \\
          &= a^2 + 2a + 1 % by [click](javascript:alert(1)) \catcode`\^^5c=12 \def\pwn{{x}} `rm -rf`
        \end{{align*}}
        % derivcheck: by \usepackage{{hyperref}} \include{{{secret.with_suffix('')}}} \openout3=owned.tex snake_case
        \[ = (a+1)^2 \]
        """
    )


@pytest.fixture
def secret(tmp_path: Path) -> Path:
    path = tmp_path / "secret.tex"
    path.write_text("SECRETMARKER\n")
    return path


def _survivors(fmt: str, text: str, secret: Path) -> list[str]:
    payloads = HTML_PAYLOADS + _tex_payloads(secret) + ([CODE_SPAN] if fmt == "md" else [])
    return [p for p in payloads if p in text]


def _writeups(tmp_path: Path, secret: Path) -> dict[str, str]:
    doc = tmp_path / "notes.tex"
    doc.write_text(_document(secret))
    out = {}
    for fmt in ("md", "tex"):
        target = tmp_path / f"writeup.{fmt}"
        assert main(["latex", str(doc), "-o", str(target)]) == 0
        out[fmt] = target.read_text()
    return out


def test_payloads_in_a_tex_document_do_not_survive_into_the_writeups(tmp_path, secret):
    for fmt, text in _writeups(tmp_path, secret).items():
        assert _survivors(fmt, text, secret) == [], fmt


def test_payloads_in_a_python_derivation_do_not_survive_into_the_writeups(secret):
    ctx = Context("payloads")
    x = ctx.scalar("x")
    d = derivation("Square <script>alert(1)</script> " + _tex_payloads(secret)[0], ctx,
                   doc="A docstring with <img src=x onerror=alert(1)> and \\immediate\\write18{touch pwned}.")
    d.chain((x + 1) ** 2).eq(x**2 + 2 * x + 1, by="expand [click](javascript:alert(1)) \\def\\pwn{x}")
    d.experiment("a simulation `rm -rf` \\catcode`\\^^5c=12", lambda rng: (True, "agrees <script>alert(1)</script>"))
    items = [Checked(d, check_derivation(d))]
    for fmt, text in (("md", render_markdown(items)), ("tex", render_tex(items))):
        assert _survivors(fmt, text, secret) == [], fmt


def test_a_symbol_spelled_as_a_tex_command_is_withheld_from_the_writeup(secret):
    ctx = Context("names")
    x = ctx.scalar("x", latex=rf"\input{{{secret}}}")
    d = derivation("Square", ctx)
    d.chain((x + 1) ** 2).eq(x**2 + 2 * x + 1, by="expand")
    items = [Checked(d, check_derivation(d))]
    for text in (render_markdown(items), render_tex(items)):
        assert str(secret) not in text and "formula not shown" in text


def test_safe_maths_in_a_section_title_renders_as_maths_and_underscores_as_underscores(tmp_path, secret):
    out = _writeups(tmp_path, secret)
    assert r"\section{Ridge regression, ignore $\frac{1}{2n}$ " in out["tex"]  # issue 16: the fraction is maths
    assert r"## Ridge regression, ignore $\frac{1}{2n}$ " in out["md"]
    assert r"snake\_case" in out["tex"] and r"snake\_case" in out["md"]  # both render as snake_case


def test_maths_is_passed_through_only_when_every_command_is_whitelisted():
    assert math_is_safe(r"\frac{1}{2n} \sum_{i=1}^{N} \left(x_i - \bar{x}\right)^2 \leq \lambda")
    assert not math_is_safe(r"\input{/etc/hostname}")
    assert not math_is_safe(r"x^^5cinput{/etc/hostname}")  # ^^5c is a backslash to TeX
    assert not math_is_safe(r"\begin{filecontents}{x}")  # an environment that writes files
    assert not math_is_safe(r"x} \def\y{")  # closes the group it sits in
    assert not math_is_safe(r"x % the rest of the line is a comment")


def test_unsafe_maths_in_prose_is_escaped_as_text():
    assert tex_prose(r"see $\input{x}$") == r"see \$\ensuremath{\backslash}input\{x\}\$"
    assert md_prose(r"see $\input{x}$") == r"see \$&#92;input\{x\}\$"


def _needs_tex() -> str:
    engine = shutil.which("pdflatex")
    if engine is None:
        if REQUIRE_TEX:
            pytest.fail("pdflatex is required here (DERIVCHECK_REQUIRE_TEX=1) but is not installed")
        pytest.skip("pdflatex not installed (.ci/run installs it from Debian's texlive packages)")
    return engine


def test_the_compile_command_forbids_shell_escape(tmp_path, monkeypatch):
    _needs_tex()
    import derivcheck_steps.latex.pdf as pdf

    commands = []
    real_run = subprocess.run
    monkeypatch.setattr(pdf.subprocess, "run", lambda cmd, **kw: commands.append(cmd) or real_run(cmd, **kw))
    tex = tmp_path / "w.tex"
    tex.write_text("\\documentclass{article}\n\\begin{document}\n\\immediate\\write18{touch pwned}ok\n\\end{document}\n")
    pdf.compile_pdf(tex)
    assert commands and all("-no-shell-escape" in c for c in commands)
    assert not (tmp_path / "pwned").exists()


def test_pdflatex_reads_no_file_outside_the_writeup_and_tex_itself(tmp_path, secret):
    engine = _needs_tex()
    _writeups(tmp_path, secret)
    build = tmp_path / "build"
    build.mkdir()
    # -recorder lists every file pdflatex opens, in writeup.fls
    proc = subprocess.run([engine, "-no-shell-escape", "-recorder", "-interaction=nonstopmode", "-halt-on-error",
                           f"-output-directory={build}", "writeup.tex"], cwd=tmp_path, capture_output=True, text=True,
                          timeout=300, errors="replace")
    assert proc.returncode == 0, proc.stdout[-2000:]
    inputs = {line.split(" ", 1)[1] for line in (build / "writeup.fls").read_text().splitlines() if line.startswith("INPUT ")}
    outside = sorted(p for p in inputs if Path(p).is_absolute() and tmp_path in Path(p).parents
                     and Path(p).parent != build and Path(p).name != "writeup.tex")
    assert outside == [] and str(secret) not in inputs and not (tmp_path / "pwned").exists()
    assert "SECRETMARKER" not in (build / "writeup.log").read_text(errors="replace")


def test_every_formula_of_the_builtin_derivations_passes_the_whitelist():
    from derivcheck_steps.discovery import collect
    from derivcheck_steps.latex.printer import expr_latex

    printed = [expr_latex(e, f.derivation.ctx) for f in collect() for s in f.derivation.steps if s.experiment is None
               for e in (s.before, s.after, s.correction, *s.given) if e is not None]
    assert len(printed) > 150
    assert [t for t in printed if not math_is_safe(t, formula=True)] == []
