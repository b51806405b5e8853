"""Signs of one-variable inequalities by monotonicity from an end of the declared interval
(checks/signs.py: the mean value theorem, derivatives proved the same way)."""

from __future__ import annotations

import sympy as sp

from checks import Context, Verdict, check_derivation, derivation
from checks.engine import check_step
from checks.mutants_prove import tightened_bound


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
