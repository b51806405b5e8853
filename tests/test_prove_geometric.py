"""Geometric sums with a symbolic number of terms, proved in closed form (checks/geometric.py).

Σ_{k=a}^{b} r^k = (r^{b+1} − r^a)/(r − 1) needs r ≠ 1: from the declarations (0 < β < 1), or by
checking the step exactly where r = 1; otherwise the step is not proved and the gap is named.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import sympy as sp

from derivcheck_steps import Context, Verdict, check_derivation, derivation
from derivcheck_steps.engine import check_step
from derivcheck_steps.latex.documents import read_document
from derivcheck_steps.mutants_prove import geometric_shift


def _ctx(**kw):
    ctx = Context("geometric")
    (t,) = ctx.dims("t")
    k = ctx.index("k", t)
    return ctx, t, k


def _one(ctx, before, after):
    d = derivation("geometric", ctx)
    d.chain(before).eq(after, by="geometric series")
    (res,) = check_derivation(d).steps
    return res


def test_adam_bias_correction_closed_form_is_proved():
    # (1−β)/(1−β^t) Σ_{k=1}^{t} β^{t−k} g² = g²: the sum is (1 − β^t)/(1 − β), 0 < β < 1 gives β ≠ 1 and β^t ≠ 1
    ctx, t, k = _ctx()
    b = ctx.scalar("beta", interval=(0, 1))
    g = ctx.scalar("g")
    res = _one(ctx, (1 - b) / (1 - b**t) * sp.Sum(b ** (t - k) * g**2, (k, 1, t)), g**2)
    assert res.verdict == Verdict.PROVED
    assert "geometric" in res.evidence.symbolic


def test_reversed_and_shifted_index_is_proved():
    # Σ_{k=1}^{t} β^{t−k} = Σ_{j=0}^{t−1} β^j (j = t − k): both sides close to (1 − β^t)/(1 − β)
    ctx, t, k = _ctx()
    j = ctx.index("j", t)
    b = ctx.scalar("beta", interval=(0, 1))
    res = _one(ctx, sp.Sum(b ** (t - k), (k, 1, t)), sp.Sum(b**j, (j, 0, t - 1)))
    assert res.verdict == Verdict.PROVED


def test_off_by_one_closed_form_is_refuted():
    # Σ_{j=0}^{t−1} β^j has t terms: (1 − β^{t+1})/(1 − β) is one term too many
    ctx, t, k = _ctx()
    b = ctx.scalar("beta", interval=(0, 1))
    res = _one(ctx, sp.Sum(b**k, (k, 0, t - 1)), (1 - b ** (t + 1)) / (1 - b))
    assert res.verdict == Verdict.REFUTED


def test_r_equal_one_is_checked_separately_when_r_is_free():
    # (1 − r) Σ_{k=0}^{t−1} r^k = 1 − r^t for every real r: at r = 1 both sides are 0 (checked exactly)
    ctx, t, k = _ctx()
    r = ctx.scalar("r")
    res = _one(ctx, (1 - r) * sp.Sum(r**k, (k, 0, t - 1)), 1 - r**t)
    assert res.verdict == Verdict.PROVED
    assert "r = 1" in res.evidence.symbolic


def test_closed_form_needs_r_not_one_when_r_is_free():
    # Σ_{k=0}^{t−1} r^k = (1 − r^t)/(1 − r) is undefined at r = 1 (the sum is t there): not proved
    ctx, t, k = _ctx()
    r = ctx.scalar("r")
    res = _one(ctx, sp.Sum(r**k, (k, 0, t - 1)), (1 - r**t) / (1 - r))
    assert res.verdict not in (Verdict.PROVED, Verdict.CHECKED)  # REFUTED when a sampled point hits r = 1
    assert "r ≠ 1" in res.evidence.symbolic


def test_even_stride_needs_r_squared_not_one():
    # (1 − r) Σ_{k=0}^{t−1} r^{2k} = (1 − r^{2t})/(1 + r) fails at r = −1 (the right side is 0/0)
    ctx, t, k = _ctx()
    r = ctx.scalar("r")
    res = _one(ctx, (1 - r) * sp.Sum(r ** (2 * k), (k, 0, t - 1)), (1 - r ** (2 * t)) / (1 + r))
    assert res.verdict != Verdict.PROVED


def test_constant_factor_and_stride_are_proved():
    # Σ_{k=0}^{t−1} c β^{2k+1} = cβ(1 − β^{2t})/(1 − β²)
    ctx, t, k = _ctx()
    b = ctx.scalar("beta", interval=(0, 1))
    c = ctx.scalar("c")
    res = _one(ctx, sp.Sum(c * b ** (2 * k + 1), (k, 0, t - 1)), c * b * (1 - b ** (2 * t)) / (1 - b**2))
    assert res.verdict == Verdict.PROVED


def test_geometric_shift_mutants_are_refuted():
    ctx, t, k = _ctx()
    b = ctx.scalar("beta", interval=(0, 1))
    d = derivation("geometric", ctx)
    d.chain((1 - b) * sp.Sum(b ** (t - k), (k, 1, t))).eq(1 - b**t, by="geometric series")
    d.chain(1 - b**t).eq((1 - b) * sp.Sum(b ** (t - k), (k, 1, t)), by="geometric series")
    ops = set()
    for step in d.steps:
        for m in geometric_shift(d, step):
            ops.add(m.operator)
            assert check_step(d, m.as_step(step)).verdict == Verdict.REFUTED, m
    assert ops == {"multiply a geometric summand by its ratio", "move a symbolic exponent by one"}


EMA = r"""
\documentclass{article}
\begin{document}
\section{EMA}
% derivcheck: context EMA weights
% derivcheck: dims t
% derivcheck: index k t
% derivcheck: scalar \beta interval 0 1
% derivcheck: scalar \mu
\[ (1-\beta)\sum_{k=1}^{t} \beta^{t-k} = (1-\beta)\,\frac{1-\beta^{t}}{1-\beta} = 1 - \beta^{t} \]
\[ \frac{1}{1-\beta^{t}}\,(1-\beta)\sum_{k=1}^{t} \beta^{t-k} \mu = WRONG \]
\end{document}
"""


def test_ema_weights_in_latex(tmp_path: Path):
    path = tmp_path / "ema.tex"
    path.write_text(textwrap.dedent(EMA.replace("WRONG", r"\mu")), encoding="utf-8")
    assert [r.verdict for d in read_document(path) for r in check_derivation(d).steps] == [Verdict.PROVED] * 3
    path.write_text(textwrap.dedent(EMA.replace("WRONG", r"\frac{\mu}{1-\beta}")), encoding="utf-8")
    assert [r.verdict for d in read_document(path) for r in check_derivation(d).steps][-1] == Verdict.REFUTED
