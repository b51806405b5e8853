"""Output streams: colour only on a terminal without NO_COLOR, ASCII where ✓ cannot be encoded."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import textwrap

from derivcheck_steps.cli import main
from derivcheck_steps.console import Style, to_ascii
from derivcheck_steps.verdict import Verdict

GOOD = textwrap.dedent(
    """
    from derivcheck_steps import Context, derivation

    ctx = Context("user")
    lam = ctx.scalar("lambda", positive=True)
    x = ctx.scalar("x")
    square = derivation("A square", ctx)
    square.chain((x + lam) ** 2).eq(x**2 + 2*lam*x + lam**2, by="expand")
    """
)


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_no_colour_when_the_stream_is_not_a_terminal(monkeypatch):
    monkeypatch.delenv("NO_COLOR", raising=False)
    assert not Style.for_stream(io.StringIO()).colour


def test_colour_on_a_terminal_unless_no_color_is_set(monkeypatch):
    monkeypatch.delenv("NO_COLOR", raising=False)
    assert Style.for_stream(_Tty()).colour
    monkeypatch.setenv("NO_COLOR", "1")
    assert not Style.for_stream(_Tty()).colour


def test_a_cp1252_stream_gets_ascii_marks():
    stream = io.TextIOWrapper(io.BytesIO(), encoding="cp1252")
    style = Style.for_stream(stream)
    assert not style.unicode
    assert [style.mark(v) for v in Verdict] == ["+", "~", "x", "?"]


def test_to_ascii_spells_the_report_unicode():
    assert to_ascii("λ > 0, x² ≠ 1, Xᵀ") == "lambda > 0, x^2 != 1, X^T"


def test_check_on_a_cp1252_console_prints_ascii_without_a_traceback(tmp_path):
    f = tmp_path / "square_cp.py"
    f.write_text(GOOD)
    env = {**os.environ, "PYTHONIOENCODING": "cp1252", "DERIVCHECK_CACHE_DIR": str(tmp_path / "cache")}
    run = subprocess.run([sys.executable, "-m", "derivcheck_steps.cli", "check", str(f)], capture_output=True, env=env,
                         cwd=tmp_path)
    out = run.stdout.decode("cp1252")
    assert run.returncode == 0, run.stderr
    assert "+ PROVED" in out and "lambda^2" in out  # the step's expression, spelled in ASCII
    assert b"Traceback" not in run.stderr


def test_color_always_paints_the_marks_and_never_does_not(tmp_path, capsys):
    f = tmp_path / "square_col.py"
    f.write_text(GOOD)
    assert main(["check", str(f), "--color", "always", "--no-cache"]) == 0
    assert "\x1b[32m✓ PROVED" in capsys.readouterr().out
    assert main(["check", str(f), "--color", "never", "--no-cache"]) == 0
    assert "\x1b[" not in capsys.readouterr().out
