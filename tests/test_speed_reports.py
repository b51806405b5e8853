"""A console run without JSON skips the step LaTeX and the JSON report, and prints the very same report."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from derivcheck_steps import engine
from derivcheck_steps.cli import main

DOC = r"""
% derivcheck: context algebra
% derivcheck: scalar a
% derivcheck: scalar b
\begin{align*}
  (a + b)^2 &= a^2 + 2ab + b^2 && \text{expand} \\
  &= a^2 + b^2 && \text{drop the cross term}
\end{align*}
"""


def test_the_console_report_is_the_same_without_json(tmp_path: Path, capsys: pytest.CaptureFixture,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    doc = tmp_path / "hw.tex"
    doc.write_text(DOC, encoding="utf-8")
    printed = []
    original = engine.printed

    def spy(step, ctx):  # noqa: ANN001, ANN202
        printed.append(step)
        return original(step, ctx)

    monkeypatch.setattr(engine, "printed", spy)
    args = ["check", str(doc), "--no-cache", "--no-timing", "--color", "never", "-j", "1", "--timeout", "inf"]
    main(args)
    quiet = capsys.readouterr().out
    assert not printed  # nothing reads the step LaTeX of this run
    out = tmp_path / "r.json"
    main([*args, "--json", str(out)])
    assert capsys.readouterr().out == quiet
    steps = json.loads(out.read_text(encoding="utf-8"))["derivations"][0]["steps"]
    assert printed and all(s["latex"] for s in steps)  # the JSON still has every step's LaTeX
    assert engine.STEP_LATEX.on  # and a later run in this process prints it again
