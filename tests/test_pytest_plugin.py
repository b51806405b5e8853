"""The pytest plugin, tested with pytester: one item per derivation, readable failures."""

from __future__ import annotations

import textwrap

GOOD_AND_BAD = textwrap.dedent(
    """
    import sympy as sp
    from derivcheck_steps import Context, derivation

    ctx = Context("user")
    a = ctx.scalar("a")
    b = ctx.scalar("b")
    good = derivation("Square of a sum", ctx)
    good.chain((a + b) ** 2).eq(a**2 + 2*a*b + b**2, by="expand")
    bad = derivation("Square with a dropped factor", ctx)
    bad.chain((a + b) ** 2).eq(a**2 + 2*a*b + b**2, by="expand").eq(a**2 + a*b + b**2, by="oops")
    """
)


def _project(pytester, body: str, name: str) -> None:
    pytester.makeini("[pytest]\nderivcheck_paths = derivs\n")
    folder = pytester.mkdir("derivs")
    (folder / f"{name}.py").write_text(body)


def test_each_derivation_is_an_item_and_the_wrong_one_fails(pytester):
    _project(pytester, GOOD_AND_BAD, "squares_a")
    result = pytester.runpytest_subprocess("-v")
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(["*squares_a.py::good PASSED*", "*squares_a.py::bad FAILED*"])


def test_failure_shows_marks_residual_and_table_without_engine_frames(pytester):
    _project(pytester, GOOD_AND_BAD, "squares_b")
    result = pytester.runpytest_subprocess()
    out = result.stdout.str()
    assert "✓" in out and "✗" in out
    assert "residual lhs − rhs" in out and "inputs | lhs | rhs" in out
    assert "checks/engine.py" not in out and "Traceback" not in out


def test_expected_refutation_passes(pytester):
    body = GOOD_AND_BAD.replace('by="oops")', 'by="oops", expect="REFUTED")')
    _project(pytester, body, "squares_c")
    pytester.runpytest_subprocess().assert_outcomes(passed=2)


def test_broken_module_is_a_collection_error_with_its_location(pytester):
    _project(pytester, "from derivcheck_steps import Context\nctx = Context()\nctx.scalar('x')\nctx.scalar('x')\n", "broken_d")
    result = pytester.runpytest_subprocess()
    result.stdout.fnmatch_lines(["*broken_d.py:4:*declared twice*"])
    assert result.ret != 0


def test_under_xdist_the_items_and_verdicts_are_those_of_a_serial_run(pytester):
    _project(pytester, GOOD_AND_BAD, "squares_e")
    (pytester.path / "derivs" / "more_e.tex").write_text(
        "\\section{Doc}\n% derivcheck: context doc\n% derivcheck: scalar a\n"
        "\\begin{equation}(a+1)^2 = a^2 + 2a + 1\\end{equation}\n"
    )
    serial = pytester.runpytest_subprocess("-v", "-p", "no:randomly")
    parallel = pytester.runpytest_subprocess("-v", "-n", "2")
    serial.assert_outcomes(passed=2, failed=1)
    parallel.assert_outcomes(passed=2, failed=1)
    for result in (serial, parallel):
        out = result.stdout.str()
        assert "FAILED derivs/squares_e.py::bad" in out
        assert "squares_e.py::good" in out and "more_e.tex::doc" in out
