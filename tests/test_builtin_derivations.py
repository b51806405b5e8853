"""Every built-in derivation gets exactly its expected verdicts (PROVED unless the step says otherwise)."""

from __future__ import annotations

import pytest
import sympy as sp

from derivcheck_steps import Verdict, check_derivation
from derivcheck_steps.discovery import collect

FOUND = collect()


@pytest.mark.parametrize("found", FOUND, ids=[f.id for f in FOUND])
def test_each_step_gets_its_expected_verdict(found):
    result = check_derivation(found.derivation)
    for step, res in zip(found.derivation.steps, result.steps, strict=True):
        if step.experiment is not None:
            wanted = Verdict.CHECKED  # an experiment is numeric evidence, never a proof
        else:
            wanted = step.expect or Verdict.PROVED
        assert res.verdict == wanted, f"step {res.index} ({res.justification}): {res.verdict} — {res.reason}"
        assert not res.inconsistent


def test_reviews_are_marked_and_name_their_section():
    reviews = [f for f in FOUND if f.derivation.review]
    assert {f.derivation.section for f in reviews} >= {"1.1.2", "1.2.3"}
    for f in reviews:
        assert f.derivation.doc, f.id


def _step(module_id: str, index: int):
    found = next(f for f in FOUND if f.id == module_id)
    result = check_derivation(found.derivation)
    return found, result.steps[index - 1]


def test_boxed_epsilon_is_refuted_with_a_counterexample_a_person_can_redo():
    found, res = _step("derivations.attack_weight_decay::review", 3)
    assert res.verdict == Verdict.REFUTED
    values = {k: sp.Rational(v) for k, v in res.counterexample.items()}
    assert all(v.q <= 4 and abs(v.p) <= 20 for v in values.values()), values  # small, by hand
    x, t, lam, eps = (values[k] for k in ("x", "t", "lambda", "epsilon"))
    w = x * t / (x**2 + lam)
    assert w * (x - eps * w) == 0  # the premise holds at the counterexample …
    assert eps != (x**2 + lam) / (x * t)  # … and the boxed answer does not
    assert eps == (x**2 + lam) / t  # the corrected answer does


def test_unconditional_weight_decay_claim_is_refuted_by_a_negative_target():
    _, res = _step("derivations.attack_weight_decay::review", 4)
    assert res.verdict == Verdict.REFUTED
    x, t = sp.Rational(res.counterexample["x"]), sp.Rational(res.counterexample["t"])
    assert x * t < 0
