"""The pytest plugin's reports: file:line first, plain maths, a reproduce line that reproduces, skips, strict ini."""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
import textwrap
from pathlib import Path

SLIP = textwrap.dedent(
    """
    from derivcheck_steps import Context, derivation
    from derivcheck_steps.location import Location

    ctx = Context("user")
    a = ctx.scalar("a")
    b = ctx.scalar("b")
    slip = derivation("Square with a dropped factor", ctx)
    slip.chain((a + b) ** 2).eq(a**2 + 2*a*b + b**2, by="expand").eq(a**2 + a*b + b**2, by="oops")
    for k, step in enumerate(slip.steps):  # the lines a reader would give them
        step.location = Location(__file__, 8 + k)
    """
)

UNDECIDED = textwrap.dedent(
    """
    import sympy as sp
    from derivcheck_steps import Context, derivation

    ctx = Context("user")
    x = ctx.scalar("x")
    g = sp.Function("g")
    even = derivation("An unknown function", ctx)
    even.chain(g(x) + g(-x)).eq(2 * g(x), by="g is even")
    """
)

EXPERIMENT = textwrap.dedent(
    """
    from derivcheck_steps import Context, derivation

    ctx = Context("user")
    numeric = derivation("Only numeric evidence", ctx)
    numeric.experiment("a numeric experiment that agrees", lambda rng: (True, "agrees"))
    """
)


def _project(pytester, body: str, name: str) -> None:
    pytester.makeini("[pytest]\nderivcheck_paths = derivs\n")
    folder = pytester.mkdir("derivs")
    (folder / f"{name}.py").write_text(body)


def _failure_text(out: str) -> str:
    return out.split("= FAILURES =")[1].split("\n", 2)[2]


def test_a_failure_starts_with_the_failing_steps_file_and_line(pytester):
    _project(pytester, SLIP, "slip_a")
    out = pytester.runpytest_subprocess().stdout.str()
    assert _failure_text(out).startswith("derivs/slip_a.py:9: step 2 REFUTED")


def test_the_failure_shows_the_chain_in_plain_maths(pytester):
    _project(pytester, SLIP, "slip_b")
    text = _failure_text(pytester.runpytest_subprocess().stdout.str())
    assert "(a + b)²" in text and "= a² + 2ab + b²" in text and "= a² + ab + b²" in text
    assert "**" not in text and "\\frac" not in text


def test_the_reproduce_line_reproduces_the_failure(pytester):
    _project(pytester, SLIP, "slip_c")
    out = pytester.runpytest_subprocess("--derivcheck-seed", "7").stdout.str()
    command = shlex.split(re.search(r"^reproduce: (.*)$", out, re.M).group(1))
    assert command[:3] == ["derivcheck", "check", "derivs/slip_c.py"] and "7" in command
    script = Path(sys.executable).parent / "derivcheck"
    run = subprocess.run([str(script), *command[1:], "--no-cache"], cwd=pytester.path, capture_output=True, text=True)
    assert run.returncode == 1
    counterexample = re.search(r"counterexample: .*", out).group(0)
    assert counterexample in run.stdout  # the same step fails at the same point
    assert "REFUTED" in run.stdout and "Square with a dropped factor" in run.stdout


def test_an_undecided_step_skips_the_item_with_its_reason(pytester):
    _project(pytester, UNDECIDED, "undecided_d")
    result = pytester.runpytest_subprocess("-rs")
    result.assert_outcomes(skipped=1)
    result.stdout.fnmatch_lines(["*SKIPPED*step 1 undecided: no symbolic proof*"])


def test_an_undecided_step_fails_under_strict(pytester):
    _project(pytester, UNDECIDED, "undecided_e")
    pytester.runpytest_subprocess("--derivcheck-strict").assert_outcomes(failed=1)


def test_strict_mode_can_be_set_in_the_ini_file(pytester):
    _project(pytester, EXPERIMENT, "numeric_f")
    pytester.runpytest_subprocess().assert_outcomes(passed=1)
    pytester.makeini("[pytest]\nderivcheck_paths = derivs\nderivcheck_strict = true\n")
    pytester.runpytest_subprocess().assert_outcomes(failed=1)


def test_reportinfo_names_the_first_steps_line(pytester):
    _project(pytester, SLIP, "slip_g")
    items, _ = pytester.inline_genitems()
    path, line, _domain = items[0].reportinfo()
    assert Path(path).name == "slip_g.py" and line == 8 - 1  # pytest counts lines from 0


def test_the_reproduce_line_of_a_document_names_its_section_id(pytester):
    pytester.makeini("[pytest]\nderivcheck_paths = derivs\n")
    (pytester.mkdir("derivs") / "slip_h.tex").write_text(
        "\\section{1.2 Squares}\n% derivcheck: context squares\n% derivcheck: scalar a\n% derivcheck: scalar b\n"
        "\\begin{align*}\n  (a + b)^2 &= a^2 + 2ab + b^2 \\\\\n  &= a^2 + ab + b^2\n\\end{align*}\n"
        "\\section{1.2.3 Cubes}\n% derivcheck: context cubes\n% derivcheck: scalar a\n"
        "\\begin{equation}\n  (a + 1)^3 = a^3 + 3a^2 + 3a + 1\n\\end{equation}\n"
    )
    result = pytester.runpytest_subprocess("-v")
    result.assert_outcomes(passed=1, failed=1)
    out = result.stdout.str()
    assert "slip_h.tex::1.2 FAILED" in out and "slip_h.tex::1.2.3 PASSED" in out
    command = shlex.split(re.search(r"^reproduce: (.*)$", out, re.M).group(1))
    assert command[:5] == ["derivcheck", "check", "derivs/slip_h.tex", "-k", "slip_h.tex::1.2"]
    script = Path(sys.executable).parent / "derivcheck"
    run = subprocess.run([str(script), *command[1:], "--no-cache", "-q"], cwd=pytester.path, capture_output=True,
                         text=True)
    assert run.returncode == 1 and "1 derivation, 2 steps" in run.stdout  # §1.2 alone, not §1.2.3
    assert re.search(r"counterexample: .*", out).group(0) in _verbose(script, command, pytester.path)


def _verbose(script: Path, command: list[str], cwd: Path) -> str:
    return subprocess.run([str(script), *command[1:], "--no-cache"], cwd=cwd, capture_output=True, text=True).stdout
