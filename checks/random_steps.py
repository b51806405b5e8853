"""Steps with random variables: exact expectation algebra for the proof, Monte Carlo as a cross-check."""

from __future__ import annotations

from dataclasses import replace

import sympy as sp

from derivcheck_steps import montecarlo
from derivcheck_steps.context import Context
from derivcheck_steps.expectation import ExpectationProof, Undecidable, prove_equal_in_expectation
from derivcheck_steps.laws import moment_problem
from derivcheck_steps.numeric import NumericOutcome, compare
from derivcheck_steps.random_equations import expectations_replaced
from derivcheck_steps.random_vectors import to_indices, uses_random_vectors
from derivcheck_steps.sampling import Instance
from derivcheck_steps.stepforms import Outcome
from derivcheck_steps.symbolic import Proof


def check_random(before: sp.Basic, after: sp.Basic, ctx: Context, inst: list, seed: int) -> Outcome:
    """Exact expectation algebra for the proof and the counterexample; Monte Carlo as a cross-check."""
    if uses_random_vectors(ctx, before, after):  # vectors and matrices as index sums (checks/random_vectors.py)
        before, after, ctx, inst = to_indices(before, after, ctx, inst, seed)
    try:
        exact = _with_constraints(prove_equal_in_expectation(before, after, ctx), ctx)
        if exact.proved:
            cases = f"; {exact.cases} cases of coinciding free indices" if exact.cases > 1 else ""
            proof = Proof(True, "exact expectation algebra for symbolic sizes (index coincidences split, "
                                f"declared moments, inclusion–exclusion{cases})")
            numeric = NumericOutcome("agree", 0, 0.0)
        else:
            case = _case_text(exact)
            proof = Proof(False, "expectation algebra", exact.residual,
                          "the exact values of the two sides differ" + (f" when {case}" if case else ""))
            indices = {s for pair in (*exact.equal, *exact.apart) for x in pair for s in x.free_symbols}
            points = _case_instances(inst, exact, ctx)
            numeric = compare(*exact.sides, points, show=frozenset(indices)) if exact.sides else None
            if numeric is None or numeric.status != "counterexample":  # the residual decides
                numeric = compare(exact.residual, sp.Integer(0), points, show=frozenset(indices))
    except Undecidable as exc:
        proof = Proof(False, "expectation algebra", None, f"outside the exact engine: {exc}")
        numeric = _each_expectation(before, after, ctx, inst) or NumericOutcome("none", reason=str(exc))
    point = next((i for i in inst if not i.simple), inst[-1])
    mc = montecarlo.check(before, after, ctx, point.floats, seed)
    note = f"Monte Carlo: {mc.status}, estimate {mc.estimate:.3g} ± {mc.standard_error:.2g}, t = {mc.t:.1f}, {mc.samples} samples"
    note += f" ({mc.reason})" if mc.reason and mc.status != "agree" else ""  # why there is no MC verdict
    if proof.proved and mc.status == "disagree":
        numeric = NumericOutcome("counterexample", reason="Monte Carlo contradicts the exact engine")
    elif not proof.proved and numeric.status != "counterexample":
        beyond = moment_problem((before, after), ctx)  # agreeing under sampled laws covers only those
        if mc.status == "agree" and beyond is not None:
            numeric = NumericOutcome("none", reason=f"{numeric.reason}; {note}; no evidence: {beyond}")
        elif mc.status == "agree":
            numeric = NumericOutcome("agree", mc.samples, abs(mc.t), reason=note)
        else:
            numeric = NumericOutcome("none", reason=f"{numeric.reason}; {note}")
    numeric.points = numeric.points or mc.samples
    return Outcome(proof, numeric, (note,), (mc.as_dict(),))


def _with_constraints(exact: ExpectationProof, ctx: Context) -> ExpectationProof:
    """``exact``, proved when its residual is zero once the declared equality constraints are applied.

    The sides of a step get the constraints before the engine sees them (μ Σ_i a_i is read as μ when
    Σ_i a_i = 1 is assumed), but a sum the engine produces, E[Σ_i a_i x_i] = μ Σ_i a_i, appears only
    in its value: the same substitution of a declared equality, on the residual. Only for a residual
    that covers every case (no split on coinciding free indices).
    """
    if exact.proved or exact.residual is None or exact.equal or exact.apart or not getattr(ctx, "constraints", None):
        return exact
    from derivcheck_steps.canonical import prove_zero
    from derivcheck_steps.constraints import apply_constraints

    if prove_zero(apply_constraints(exact.residual, ctx), heavy=False).proved:
        return replace(exact, proved=True, residual=sp.Integer(0))
    return exact


def _each_expectation(before: sp.Basic, after: sp.Basic, ctx: Context, inst: list) -> NumericOutcome | None:
    """Each E, Var, Cov replaced by its exact value, the sides compared at the instances; None if one has none."""
    try:
        sides = [expectations_replaced(side, ctx) for side in (before, after)]
    except Undecidable:
        return None
    out = compare(*sides, inst)
    return out if out.status in ("counterexample", "agree") else None


def _case_text(exact: ExpectationProof) -> str:
    equal = [f"{u} = {v}" for u, v in exact.equal]
    apart = [" ≠ ".join(sorted(map(str, pair))) for pair in sorted(exact.apart, key=lambda q: sorted(map(str, q)))]
    return ", ".join(equal + apart + ([exact.law] if exact.law else []))


def _case_instances(inst: list[Instance], exact: ExpectationProof, ctx: Context) -> list[Instance]:
    """The instances moved into the case the residual holds in (free indices equal or apart)."""

    def upper(ix: sp.Basic, values: dict) -> int | None:
        decl = ctx.indices.get(ix)
        return int(values[decl.upper]) if decl is not None else None

    def value(ix: sp.Basic, values: dict) -> int:
        return int(ix) if ix.is_Integer else int(ix.xreplace(values))  # an index may be an expression (j + 1)

    out = []
    for point in inst:
        values = dict(point.exact)
        ok = True
        for pair in sorted(exact.apart, key=lambda q: sorted(map(str, q))):
            a, b = sorted(pair, key=lambda q: (not isinstance(q, sp.Symbol), str(q)))
            if value(a, values) == value(b, values):
                top = upper(a, values) or 0
                if not isinstance(a, sp.Symbol) or top < 2:
                    ok = False
                    break
                values[a] = sp.Integer(value(b, values) % top + 1)
        ok = ok and all(value(a, values) != value(b, values) for a, b in map(tuple, exact.apart))
        for u, v in reversed(exact.equal):  # u was replaced by v: it takes v's value, if in its range
            if isinstance(u, sp.Symbol):
                values[u] = sp.Integer(value(v, values))
                ok = ok and 1 <= value(u, values) <= (upper(u, values) or 0)
        if ok:
            floats = dict(point.floats)
            floats.update({k: int(values[k]) for k in ctx.indices if k in values})
            out.append(Instance(values, floats, point.simple))
    return out
