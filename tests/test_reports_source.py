"""Terminal reports of .tex/.md input print each row as its author wrote it (plain maths from the source)."""

from __future__ import annotations

import textwrap

import pytest

from derivcheck_steps.cli import main
from derivcheck_steps.plain_latex import source_plain


@pytest.mark.parametrize(
    ("tex", "shown"),
    [
        (r"(xw - t)^T (xw - t) + \lambda w^T w", "(xw − t)ᵀ(xw − t) + λwᵀw"),
        (r"\frac{1}{2} \|Ax - b\|_2^2", "½ ‖Ax − b‖₂²"),
        (r"2x^\top x w - 2x^T t + 2\lambda w = 0.", "2xᵀxw − 2xᵀt + 2λw = 0"),
        (r"\epsilon = \frac{x^2 + \lambda}{t x}", "ε = (x² + λ)/(tx)"),
        (r"\frac{1}{2N}\sum_{i=1}^{N} \mathbb{E}\left[(y_i - t_i)^2\right]", "1/(2N) Σᵢ₌₁ᴺ E[(yᵢ − tᵢ)²]"),
        (r"(x^T x + \lambda I)^{-1} x^T t", "(xᵀx + λI)⁻¹xᵀt"),
        (r"\operatorname{Var}[x] = -\sigma^2", "Var[x] = −σ²"),
    ],
)
def test_a_rows_source_reads_as_plain_maths(tex, shown):
    assert source_plain(tex) == shown


def test_a_macro_of_the_documents_preamble_gives_no_source_form():
    assert source_plain(r"\norm{x}^2") is None


DOCUMENT = textwrap.dedent(
    r"""
    \section{Ridge}
    % derivcheck: context ridge
    % derivcheck: dims N n
    % derivcheck: matrix X N n
    % derivcheck: vector w n
    % derivcheck: vector t N
    % derivcheck: scalar lambda positive
    \begin{align*}
      (Xw - t)^T (Xw - t) + \lambda w^T w &= (w^T X^T - t^T)(Xw - t) + \lambda w^T w \\
        &= w^T X^T X w - 2 t^T X w + t^T t + \lambda w^T w \\
        &= w^T X^T X w - t^T X w + t^T t + \lambda w^T w
    \end{align*}
    """
)


def test_the_terminal_report_of_a_tex_file_shows_each_row_as_written_with_its_line(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "ridge.tex").write_text(DOCUMENT)
    main(["check", "ridge.tex", "--no-cache", "--no-timing"])
    out = capsys.readouterr().out
    assert "(Xw − t)ᵀ(Xw − t) + λwᵀw" in out.splitlines()[2]  # the start, as written
    rows = [line for line in out.splitlines() if line.lstrip().startswith("ridge.tex:")]
    assert [r.split()[0] for r in rows] == ["ridge.tex:10", "ridge.tex:11", "ridge.tex:12"]
    assert "= (wᵀXᵀ − tᵀ)(Xw − t) + λwᵀw" in rows[0]  # reads differently from the line before it
    assert "REFUTED" in rows[2] and "= wᵀXᵀXw − tᵀXw + tᵀt + λwᵀw" in rows[2]


def test_ascii_reports_print_the_checked_expression(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "ridge.tex").write_text(DOCUMENT)
    monkeypatch.setattr("derivcheck_steps.console.Style.for_stream", classmethod(lambda cls, stream, colour="auto": _ascii_style()))
    main(["check", "ridge.tex", "--no-cache", "--no-timing"])
    out = capsys.readouterr().out
    assert "ᵀ" not in out and "X^T" in out


def _ascii_style():
    from derivcheck_steps.console import Style

    return Style(unicode=False, colour=False)


APPROX = textwrap.dedent(
    r"""
    \section{Approx}
    % derivcheck: context approx
    % derivcheck: scalar x positive
    \begin{align*}
      e^x &\approx 1 + x \\
          &= x + 1
    \end{align*}
    """
)


def test_an_approximation_row_shows_its_maths_not_an_experiment(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "approx.tex").write_text(APPROX)
    main(["check", "approx.tex", "--no-cache", "--no-timing"])
    assert "≈ 1 + x   [approximation (≈)]  (undecided)" in capsys.readouterr().out
    main(["latex", "approx.tex", "-o", "approx.md"])
    md = (tmp_path / "approx.md").read_text(encoding="utf-8")
    assert r"**Approximation (1).** ${}\approx 1 + x$" in md and "Experiment (1)" not in md
