"""Signs of one-variable inequalities by monotonicity from an end of the declared interval
(checks/signs.py: the mean value theorem, derivatives proved the same way)."""

from __future__ import annotations

import sympy as sp

from derivcheck_steps import Context, Verdict, check_derivation, derivation
from derivcheck_steps.engine import check_step
from derivcheck_steps.mutants_prove import tightened_bound


def _claims(*claims, interval=(0, 2)):
    ctx = Context("bounds")
    x = ctx.scalar("x", interval=interval)
    d = derivation("bounds", ctx)
    for c in claims:
        d.claim(c(x), by="bound")
    return d, [r.verdict for r in check_derivation(d).steps]


def test_classic_bounds_on_log_and_exp_are_proved():
    d, verdicts = _claims(
        lambda x: sp.LessThan(x / (1 + x), sp.log(1 + x)),  # d(0) = 0, d′ = x/(1+x)² ≥ 0
        lambda x: sp.LessThan(sp.log(1 + x), x),  # d(0) = 0, d′ = x/(1+x) ≥ 0
        lambda x: sp.LessThan(1 + x, sp.exp(x)),  # d(0) = 0, d′ = eˣ − 1 ≥ 0 (d′(0) = 0, d″ = eˣ > 0)
        lambda x: sp.StrictGreaterThan(sp.exp(x), 1 + x),  # strict: d′ > 0 on the open interval
    )
    assert verdicts == [Verdict.PROVED] * 4
    assert "mean value theorem" in check_derivation(d).steps[0].evidence.symbolic


def test_false_bounds_are_refuted():
    _, verdicts = _claims(
        lambda x: sp.GreaterThan(sp.log(1 + x), x),  # x = 1: log 2 < 1
        lambda x: sp.LessThan(sp.exp(x), 1 + x + x**2),  # x = 1.9: e^1.9 ≈ 6.69 > 6.51
        lambda x: sp.GreaterThan(sp.exp(-x), 1 - x / 2),  # x = 1: 0.37 < 0.5
    )
    assert verdicts == [Verdict.REFUTED] * 3


def test_a_bound_that_holds_only_on_part_of_the_interval_is_not_proved():
    # eˣ ≤ 1 + x + x² holds on (0, 1.79…) but not up to 2: the rule must not prove it on (0, 2)
    _, verdicts = _claims(lambda x: sp.LessThan(sp.exp(x), 1 + x + x**2), interval=(0, 2))
    assert verdicts != [Verdict.PROVED]


def test_tightened_bounds_are_refuted():
    d, _ = _claims(lambda x: sp.LessThan(sp.log(1 + x), x), lambda x: sp.LessThan(1 + x, sp.exp(x)))
    for step in d.steps:
        (m,) = tightened_bound(d, step)  # log(1+x) + x² ≤ x and 1 + x + x² ≤ eˣ both fail at x = 1
        assert check_step(d, m.as_step(step)).verdict == Verdict.REFUTED


def test_am_gm_and_jensen_for_log_by_a_change_of_variables():
    # a = s², b = u² (s, u > 0): (a + b)/2 − √(ab) = (s − u)²/2; log is increasing, so Jensen for log follows
    ctx = Context("am-gm")
    a, b = ctx.scalar("a", positive=True), ctx.scalar("b", positive=True)
    d = derivation("am-gm", ctx)
    d.claim(sp.GreaterThan((a + b) / 2, sp.sqrt(a * b)), by="AM-GM")
    d.claim(sp.GreaterThan(sp.log((a + b) / 2), (sp.log(a) + sp.log(b)) / 2), by="concavity of log")
    d.claim(sp.GreaterThan((a + b) / 3, sp.sqrt(a * b)), by="too strong")  # a = b = 1: 2/3 < 1
    d.claim(sp.LessThan(sp.log((a + b) / 2), (sp.log(a) + sp.log(b)) / 2), by="reversed")  # a = 1, b = 4
    assert [r.verdict for r in check_derivation(d).steps] == [Verdict.PROVED] * 2 + [Verdict.REFUTED] * 2


def test_logarithms_of_a_free_sign_are_not_compared_by_exponentiating():
    # log x ≤ log(x + 1) is true where both are defined, but log x is undefined for x ≤ 0: not PROVED
    ctx = Context("free")
    x = ctx.scalar("x")
    d = derivation("free", ctx)
    d.claim(sp.LessThan(sp.log(x), sp.log(x + 1)), by="log increasing")
    assert [r.verdict for r in check_derivation(d).steps] != [Verdict.PROVED]
