"""The terminal report and the command line: locations, plain maths, folders, ids, exit status, latex options."""

from __future__ import annotations

import json
import textwrap

import pytest

from derivcheck_steps import __version__
from derivcheck_steps.cli import main

SQUARES = textwrap.dedent(
    """
    from derivcheck_steps import Context, derivation
    from derivcheck_steps.location import Location

    ctx = Context("user")
    a = ctx.scalar("a")
    b = ctx.scalar("b")
    slip = derivation("Square with a dropped factor", ctx)
    slip.chain((a + b) ** 2).eq(a**2 + 2*a*b + b**2, by="expand").eq(a**2 + a*b + b**2, by="oops")
    for k, step in enumerate(slip.steps):  # where a reader would put them: lines 21, 22
        step.location = Location(__file__, 21 + k)
    """
)

DOCUMENT = textwrap.dedent(
    r"""
    \section{1.2 Squares}
    % derivcheck: context squares
    % derivcheck: scalar a
    % derivcheck: scalar b
    \begin{align*}
      (a + b)^2 &= a^2 + 2ab + b^2
    \end{align*}

    \section{1.2.3 Cubes}
    % derivcheck: context cubes
    % derivcheck: scalar a
    \begin{equation}
      (a + 1)^3 = a^3 + 3a^2 + 3a + 1
    \end{equation}

    \section{A rather long heading about the expected loss under input dropout}
    % derivcheck: context long
    % derivcheck: scalar p
    \[ p(1 - p) = p - p^2 \]
    """
)


@pytest.fixture
def squares(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "squares.py").write_text(SQUARES)
    return "squares.py"


def test_every_step_line_names_its_file_and_line(squares, capsys):
    assert main(["check", squares, "--no-cache"]) == 1
    rows = [line for line in capsys.readouterr().out.splitlines() if "✓ PROVED" in line or "✗ REFUTED" in line]
    assert len(rows) == 2
    assert rows[0].lstrip().startswith("squares.py:21") and rows[1].lstrip().startswith("squares.py:22")


def test_each_step_shows_its_expression_in_plain_maths(squares, capsys):
    main(["check", squares, "--no-cache"])
    out = capsys.readouterr().out
    assert "= a² + 2ab + b²" in out and "= a² + ab + b²" in out
    assert "**" not in out


def test_no_timing_drops_the_timing_column(squares, capsys):
    main(["check", squares, "--no-cache"])
    assert " ms" in capsys.readouterr().out
    main(["check", squares, "--no-cache", "--no-timing"])
    assert " ms" not in capsys.readouterr().out


def test_a_failing_step_is_listed_in_the_short_summary_with_its_location(squares, capsys):
    main(["check", squares, "--no-cache"])
    assert "FAILED    squares.py:22 squares::slip step 2 REFUTED" in capsys.readouterr().out


def test_a_folder_target_finds_derivations_recursively_and_skips_hidden_folders_and_venvs(tmp_path, capsys):
    notes = tmp_path / "notes"
    for folder in ("sub", ".hidden", ".venv", "__pycache__", "env"):
        (notes / folder).mkdir(parents=True)
    (notes / "env" / "pyvenv.cfg").write_text("home = /usr\n")
    (notes / "sub" / "squares_f.py").write_text(SQUARES)
    (notes / "sub" / "doc_f.tex").write_text(DOCUMENT)
    (notes / "readme.md").write_text("# Notes\nNo derivations here.\n")
    (notes / "helper.py").write_text("print('never imported')\n")
    for skipped in (".hidden", ".venv", "__pycache__", "env"):
        (notes / skipped / "squares_x.py").write_text(SQUARES)
    out = tmp_path / "r.json"
    main(["check", str(notes), "--no-cache", "-q", "--json", str(out)])
    ids = [d["id"] for d in json.loads(out.read_text())["derivations"]]
    assert ids == ["doc_f.tex::1.2", "doc_f.tex::1.2.3", "doc_f.tex::a-rather-long-heading-about-the-expected",
                   "squares_f::slip"]
    assert "never imported" not in capsys.readouterr().out


def test_document_ids_are_section_numbers_or_slugs_of_at_most_40_characters(tmp_path):
    from derivcheck_steps.discovery import documents_in

    (tmp_path / "doc.tex").write_text(DOCUMENT)
    names = [f.name for f in documents_in(str(tmp_path / "doc.tex"))]
    assert names[:2] == ["1.2", "1.2.3"]
    assert len(names[2]) <= 40 and names[2] == "a-rather-long-heading-about-the-expected"


def test_k_with_an_exact_id_selects_only_that_derivation(tmp_path, capsys):
    (tmp_path / "doc.tex").write_text(DOCUMENT)
    out = tmp_path / "r.json"
    main(["check", str(tmp_path / "doc.tex"), "-k", "doc.tex::1.2", "--no-cache", "-q", "--json", str(out)])
    assert [d["id"] for d in json.loads(out.read_text())["derivations"]] == ["doc.tex::1.2"]
    main(["check", str(tmp_path / "doc.tex"), "-k", "1.2", "--no-cache", "-q", "--json", str(out)])
    assert [d["id"] for d in json.loads(out.read_text())["derivations"]] == ["doc.tex::1.2", "doc.tex::1.2.3"]


def test_an_unreadable_file_exits_two_after_the_others_are_checked(tmp_path, capsys):
    (tmp_path / "good_u.py").write_text(SQUARES.replace("a**2 + a*b + b**2", "(a + b)**2"))
    (tmp_path / "broken_u.py").write_text("from derivcheck_steps import derivation\nderivation('x', None).chain(\n")
    assert main(["check", str(tmp_path), "--no-cache"]) == 2
    captured = capsys.readouterr()
    assert "broken_u.py:" in captured.err and "Square with a dropped factor" in captured.out


def test_an_input_problem_step_exits_two_and_is_listed(squares, capsys, monkeypatch):
    import derivcheck_steps.engine

    real = derivcheck_steps.engine.check_derivation

    def with_an_unreadable_row(d, settings, **kw):  # the reader's verdict on a row it cannot read
        result = real(d, settings, **kw)
        result.steps[0].verdict, result.steps[0].cause = result.steps[0].verdict.UNKNOWN, "input"
        result.steps[0].reason = "squares.py:21:3: not declared in the context: c"
        return result

    monkeypatch.setattr(derivcheck_steps.engine, "check_derivation", with_an_unreadable_row)
    assert main(["check", squares, "--no-cache"]) == 2  # 2 outranks the REFUTED step's 1
    out = capsys.readouterr().out
    assert "INPUT     squares.py:21 squares::slip step 1 UNKNOWN: squares.py:21:3: not declared" in out
    assert "input problem: squares.py:21:3: not declared in the context: c" in out


def test_an_internal_error_exits_three_with_the_version_and_no_traceback(squares, capsys, monkeypatch):
    import derivcheck_steps.runner

    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(derivcheck_steps.runner, "check_all", broken)
    assert main(["check", squares, "--no-cache"]) == 3
    err = capsys.readouterr().err
    assert f"internal error in derivcheck {__version__}: RuntimeError: a bug" in err and "please report" in err
    assert "Traceback" not in err


def test_the_json_report_carries_each_steps_location_and_plain_text(squares, tmp_path):
    out = tmp_path / "r.json"
    main(["check", squares, "--no-cache", "-q", "--json", str(out)])
    steps = json.loads(out.read_text())["derivations"][0]["steps"]
    assert steps[1]["location"] == {"file": str(tmp_path / "squares.py"), "line": 22, "column": 0}
    assert steps[1]["text"] == "a² + ab + b²"


def test_latex_takes_json_and_strict_and_reuses_cached_step_results(squares, tmp_path, monkeypatch):
    import derivcheck_steps.engine

    calls = []
    real = derivcheck_steps.engine.check_step
    monkeypatch.setattr(derivcheck_steps.engine, "check_step", lambda *a, **k: calls.append(1) or real(*a, **k))
    out = tmp_path / "w.json"
    args = ["latex", squares, "-o", str(tmp_path / "w.tex"), "--json", str(out), "--strict"]
    assert main(args) == 1
    first = len(calls)
    assert main(args) == 1
    assert first == 2 and len(calls) == first  # the second run checked nothing afresh
    assert json.loads(out.read_text())["summary"]["REFUTED"] == 1
    assert main([*args, "--no-cache"]) == 1 and len(calls) == 2 * first


def test_a_folder_gives_the_same_report_in_two_processes(tmp_path):
    (tmp_path / "squares_j.py").write_text(SQUARES)
    (tmp_path / "doc_j.tex").write_text(DOCUMENT)
    (tmp_path / "helper_j.py").write_text(
        "from derivcheck_steps import derivation\n\ndef make():\n    return derivation('x', None)\n")
    serial, parallel = tmp_path / "s.json", tmp_path / "p.json"
    assert main(["check", str(tmp_path), "--no-cache", "--no-timing", "-q", "--json", str(serial)]) == 1
    assert main(["check", str(tmp_path), "--no-cache", "--no-timing", "-q", "-j", "2", "--json", str(parallel)]) == 1
    assert serial.read_text() == parallel.read_text()
