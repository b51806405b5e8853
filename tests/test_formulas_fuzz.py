"""Fuzzing the reader with the new notation: any input gives a formula or a LatexInputError, never a traceback."""

from __future__ import annotations

import os

import sympy as sp
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from derivcheck_steps import Context
from derivcheck_steps.latex.formulas import FunctionDecl, LatexInputError, Notation, parse_formula

PIECES = ["x", "z", "w", "A", "^T", "^{-1}", "^2", "_j", "_{ij}", "^{(i)}", "+", "-", "=", r"\le", r"\approx", ":",
          r"\frac{", "}{", "}", "{", "(", ")", "[", "]", ",", r"\sum_{j=1}^{n}", r"\sum_{i \neq j}", r"\prod_{k=1}^{3}",
          r"\frac{d}{dz}", r"\frac{\partial}{\partial x}", r"\nabla_w", r"\nabla^2_w", r"\max", r"\max_x", r"\min",
          r"\exp", r"\log_2", r"\sqrt[3]", r"\sigma", r"\sigma'", r"\sigma_w", r"\hat", r"\bar", r"\mathbf",
          r"\operatorname{softmax}", r"\operatorname{tr}", r"\mathbb{1}", r"\mathbb{E}", r"\delta_{ij}", "|", r"\|",
          r"\left(", r"\right)", r"\cdot", "!", "'", ".5", "10", r"\binom", r"\pi", "e^", r"\mathrm{e}", r"\infty",
          r"\boxed{", r"\underbrace{", r"\text{", "^{10^{9}}", r"\unknown", "é", "&", "$"]


def _notation() -> Notation:
    ctx = Context("fuzz")
    n, = ctx.dims("n")
    i = ctx.index("i", n)
    ctx.index("j", n)
    ctx.indexed("a", i)
    ctx.vector("w", n)
    ctx.matrix("A", n, n)
    for name in ("x", "z", "sigma_w"):
        ctx.scalar(name)
    notation = Notation(ctx)
    s = sp.Symbol("_s", real=True)
    notation.functions[r"\sigma"] = FunctionDecl(r"\sigma", (s,), 1 / (1 + sp.exp(-s)))
    return notation


NOTATION = _notation()


@settings(max_examples=int(os.environ.get("DERIVCHECK_FUZZ_EXAMPLES", "300")), deadline=None,
          suppress_health_check=[HealthCheck.too_slow], derandomize=True)
@given(st.lists(st.sampled_from(PIECES), min_size=1, max_size=12))
def test_any_input_reads_or_is_a_located_input_error(pieces):
    try:
        value = parse_formula(" ".join(pieces), NOTATION)
    except LatexInputError as exc:
        assert exc.message and "Traceback" not in exc.message
        return
    assert isinstance(value, sp.Basic)
