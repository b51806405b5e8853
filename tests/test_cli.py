"""The command line: exit codes, JSON keys, filters, and clear errors for bad input."""

from __future__ import annotations

import json
import textwrap

import pytest

from derivcheck_steps.cli import main

WRONG = textwrap.dedent(
    """
    import sympy as sp
    from derivcheck_steps import Context, derivation

    ctx = Context("user")
    (n,) = ctx.dims("n")
    A = ctx.matrix("A", n, n)
    w = ctx.vector("w", n)
    mine = derivation("A user's derivation", ctx)
    mine.chain(A.T * A * w).eq(A * A.T * w, by="rearrange")
    """
)


def test_builtin_run_exits_zero_and_writes_json(tmp_path, capsys):
    out = tmp_path / "report.json"
    assert main(["check", "-k", "ridge", "--json", str(out)]) == 0
    doc = json.loads(out.read_text())
    assert set(doc) == {"derivations", "summary"}
    assert {"PROVED", "CHECKED", "REFUTED", "UNKNOWN", "unexpected", "seconds"} <= set(doc["summary"])
    d = doc["derivations"][0]
    assert {"id", "title", "section", "review", "steps"} <= set(d)
    step = d["steps"][0]
    assert {"index", "relation", "justification", "latex", "verdict", "expected", "seconds",
            "counterexample", "residual"} <= set(step)
    assert "Closed-form ridge regression" in capsys.readouterr().out


def test_review_json_carries_counterexample_and_residual(tmp_path):
    out = tmp_path / "r.json"
    assert main(["check", "derivations.attack_weight_decay", "-k", "review", "--json", str(out), "-q"]) == 0
    steps = json.loads(out.read_text())["derivations"][0]["steps"]
    refuted = [s for s in steps if s["verdict"] == "REFUTED"]
    assert refuted and all(s["counterexample"] and s["residual"] and s["expected"] == "REFUTED" for s in refuted)


def test_user_file_with_a_wrong_step_exits_one(tmp_path, capsys):
    f = tmp_path / "mine_wrong.py"
    f.write_text(WRONG)
    assert main(["check", str(f)]) == 1
    out = capsys.readouterr().out
    assert "REFUTED" in out and "counterexample" in out and "UNEXPECTED" in out


def test_strict_fails_on_checked_steps():
    assert main(["check", "-k", "ridge_regression::ridge", "-q"]) == 0
    assert main(["check", "-k", "ridge_regression::ridge", "-q", "--strict"]) == 1  # its experiments are CHECKED


@pytest.mark.parametrize(
    "args, message",
    [
        (["check", "no_such_file.py"], "no such file"),
        (["check", "no_such_module_xyz"], "no module or file"),
        (["check", "-k", "zzz-nothing"], "no derivation matches"),
        (["check", "--timeout", "0"], "--timeout must be positive"),
    ],
)
def test_usage_and_input_errors_exit_two_with_a_message(args, message, capsys):
    assert main(args) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_syntax_error_in_a_user_file_reports_file_line_column(tmp_path, capsys):
    f = tmp_path / "broken_deriv.py"
    f.write_text("from derivcheck_steps import Context\nctx = Context(\n")
    assert main(["check", str(f)]) == 2
    err = capsys.readouterr().err
    assert f"{f}:" in err and "SyntaxError" in err


def test_exception_in_a_user_file_points_at_its_line(tmp_path, capsys):
    f = tmp_path / "raising_deriv.py"
    f.write_text("from derivcheck_steps import Context\nctx = Context()\nctx.scalar('x')\nctx.scalar('x')\n")
    assert main(["check", str(f)]) == 2
    err = capsys.readouterr().err
    assert f"{f}:4:" in err and "declared twice" in err


def test_no_timing_gives_byte_identical_reports(tmp_path):
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    main(["check", "-k", "attack_prediction", "--no-timing", "-q", "--json", str(a)])
    main(["check", "-k", "attack_prediction", "--no-timing", "-q", "--json", str(b)])
    assert a.read_bytes() == b.read_bytes()


def test_help_lists_the_options(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["check", "--help"])
    assert exc.value.code == 0
    out = capsys.readouterr().out
    for opt in ("-k", "--json", "--strict", "--seed", "--timeout", "exit status"):
        assert opt in out
