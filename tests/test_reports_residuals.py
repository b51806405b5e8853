"""The residual a report shows for a refuted step is written in the document's names, or not shown."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import sympy as sp

from derivcheck_steps.context import Context
from derivcheck_steps.residuals import readable_residual

LOGISTIC = r"""\documentclass{article}
\begin{document}
\section{Gradient of the logistic loss}
% derivcheck: dims N d
% derivcheck: index i N
% derivcheck: vector w d
% derivcheck: vector x d per i
% derivcheck: data y i
% derivcheck: function \sigma(z) = \frac{1}{1+e^{-z}}
\begin{align*}
\nabla_w \left(-\sum_{i=1}^{N} \left[ y_i \log \sigma(w^\top x_i) + (1-y_i) \log(1-\sigma(w^\top x_i)) \right]\right)
 &= -\sum_{i=1}^{N} \left[ y_i (1-\sigma(w^\top x_i)) - (1-y_i)\sigma(w^\top x_i) \right] x_i \\
 &= \sum_{i=1}^{N} \left(y_i - \sigma(w^\top x_i)\right) x_i
\end{align*}
\end{document}
"""

SQUARE = r"""\documentclass{article}
\begin{document}
\section{A square}
% derivcheck: scalar a
% derivcheck: scalar b
\[ (a+b)^2 = a^2 + b^2 \]
\end{document}
"""


def _report(tmp_path: Path, name: str, text: str) -> tuple[str, dict]:
    doc = tmp_path / name
    doc.write_text(text)
    out = tmp_path / "report.json"
    run = subprocess.run([sys.executable, "-m", "derivcheck_steps.cli", "check", str(doc), "--no-cache", "-j", "1",
                          "--color", "never", "--json", str(out)], capture_output=True, text=True, cwd=tmp_path)
    assert run.returncode == 1, run.stdout + run.stderr
    return run.stdout, json.loads(out.read_text())


def _refuted(report: dict) -> dict:
    steps = [s for d in report["derivations"] for s in d["steps"] if s["verdict"] == "REFUTED"]
    assert len(steps) == 1
    return steps[0]


def test_a_residual_with_the_provers_own_names_is_not_shown(tmp_path: Path) -> None:
    text, report = _report(tmp_path, "logistic.tex", LOGISTIC)
    assert "_s0" not in text and "_r" not in text and "Product(" not in text
    step = _refuted(report)
    residual = step["evidence"].get("residual") or step.get("residual")
    assert residual is None or ("_" not in residual and "Product" not in residual)


def test_a_readable_symbolic_residual_is_still_shown(tmp_path: Path) -> None:
    text, report = _report(tmp_path, "square.tex", SQUARE)
    assert "residual lhs − rhs: 2ab" in text


def test_internal_summation_indices_are_renamed_after_the_declared_index() -> None:
    ctx = Context()
    n = ctx.dim("n")
    i = ctx.index("i", n)
    x = ctx.indexed("x", i)
    hidden = sp.Symbol("_s0", integer=True, positive=True)
    shown = readable_residual(sp.Sum(x[hidden] ** 2, (hidden, 1, n)), (sp.Sum(x[i], (i, 1, n)),), ctx)
    assert shown == sp.Sum(x[i] ** 2, (i, 1, n))
    free = sp.Symbol("_r", integer=True)
    assert readable_residual(x[free], (x[i],), ctx) is None
    made = sp.Product(sp.exp(x[hidden]), (hidden, 1, n))
    assert readable_residual(made, (sp.log(x[i]),), ctx) is None
