"""A bounded sample of the mutation audit: any wrong mutant that is PROVED or CHECKED fails the suite."""

from __future__ import annotations

from functools import cache

import sympy as sp

from derivcheck_steps import Context, derivation
from derivcheck_steps.audit import audit, audit_step, auditable, mutants_of, summary
from derivcheck_steps.audit_families import families
from derivcheck_steps.discovery import collect


@cache
def _sample_rows() -> tuple:
    derivations = [f.derivation for f in collect()]
    return tuple(audit(derivations, per_step=5, every=7))


def test_no_wrong_mutant_is_proved_or_checked():
    rows = _sample_rows()
    unsound = [(r.mutant.derivation, r.mutant.step, r.mutant.operator, str(r.mutant.expr), r.verdict)
               for r in rows if r.unsound]
    assert unsound == []


def test_the_sample_is_large_enough_and_nearly_all_refuted():
    table = summary(list(_sample_rows()))
    assert table["truly wrong"] >= 30
    assert table["refuted %"] >= 95.0, table


def test_mutants_are_the_errors_people_make():
    ctx = Context("m")
    (n,) = ctx.dims("n")
    X, w = ctx.matrix("X", n, n), ctx.vector("w", n)
    p = ctx.scalar("p", interval=(0, 1))
    d = derivation("m", ctx)
    d.chain((1 - p) * (X * w).T * X * w).eq((1 - p) * w.T * X.T * X * w, by="x")
    operators = {m.operator for m in mutants_of(d, d.steps[0])}
    assert {"drop a transpose", "swap the factors of a matrix product", "swap p and 1 − p", "multiply by 2",
            "flip the sign"} <= operators
    assert all(auditable(s) for s in d.steps)
    assert sp.srepr(d.steps[0].after) not in {sp.srepr(m.expr) for m in mutants_of(d, d.steps[0])}


@cache
def _family_rows() -> tuple:
    return tuple(row for fam in families().values() for case in fam()
                 for row in audit_step(case.derivation, case.step, mutants=case.mutants))


def test_no_mutant_of_the_families_is_proved_or_checked():
    # branch cuts, decimals, sizes, odd-denominator boundaries, sampled-law assumptions (issue 12)
    unsound = [(r.mutant.derivation, r.mutant.operator, str(r.mutant.expr), r.verdict)
               for r in _family_rows() if r.unsound]
    assert unsound == []


def test_every_family_mutant_is_judged_wrong_by_the_oracle():
    rows = _family_rows()
    assert len(rows) >= 25
    assert [str(r.mutant.expr) for r in rows if not r.truly_wrong] == []
