"""Both directions of a ⇔ need numeric evidence; the report says which direction has none."""

from __future__ import annotations

import sympy as sp

from derivcheck_steps import Context, Verdict, check_derivation, derivation


def test_an_equivalence_sampled_in_one_direction_only_is_not_checked():
    # x² = 4 ⇔ x = 2 is false (x = −2); points of x² = 4 cannot be built by solving a linear
    # equation, so only ⇐ can be sampled — that is not evidence for ⇔
    ctx = Context("c")
    x = ctx.scalar("x")
    d = derivation("iff", ctx)
    d.chain(sp.Eq(x**2, 4)).iff(sp.Eq(x, 2), by="take the square root")
    res = check_derivation(d).steps[0]
    assert res.verdict in (Verdict.UNKNOWN, Verdict.REFUTED)
    if res.verdict == Verdict.UNKNOWN:
        assert "no evidence for the direction ⇒" in res.reason


def test_a_checked_equivalence_reports_both_directions():
    ctx = Context("c")
    x = ctx.scalar("x")
    d = derivation("iff", ctx)
    d.chain(sp.Eq(2 * x + 1, 5)).iff(sp.Eq(x, 2), by="solve")
    res = check_derivation(d).steps[0]
    assert res.verdict in (Verdict.PROVED, Verdict.CHECKED)
    assert "⇒ at 6 points, ⇐ at 6" in res.evidence.numeric
