"""The engine: check each step symbolically and numerically, and combine the two into a verdict.

Verdict rules (DESIGN.md, the soundness contract):

=================  ======================  ==========================================
symbolic proof      numeric cross-check     verdict
=================  ======================  ==========================================
proved              agrees / none possible  PROVED
proved              counterexample          UNKNOWN, flagged as a checker inconsistency
not proved          counterexample          REFUTED (confirmed in exact arithmetic)
not proved          agrees                  CHECKED
not proved          none possible           UNKNOWN, with the reason
=================  ======================  ==========================================
"""

from __future__ import annotations

import hashlib
import sys
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace

import numpy as np
import sympy as sp

from checks import cache, montecarlo
from checks.budget import TimedOut, run_with_budget
from checks.context import Context
from checks.errors import DerivcheckError, EvaluationError
from checks.evaluate import FLOAT, Hook, evaluate
from checks.expectation import ExpectationProof, Undecidable, prove_equal_in_expectation
from checks.latex.printer import expr_latex, readable_dummies, step_latex
from checks.model import Derivation, Differentiate, Solve, Step
from checks.numeric import NumericOutcome, check_gradient, compare, symbols_of
from checks.premises import check_claim, check_implication
from checks.randomness import Cov, E, Var
from checks.sampling import Instance, draw_instances
from checks.settings import Settings
from checks.symbolic import (
    Proof,
    difference,
    gradient,
    prove_equation_step,
    prove_sign,
    prove_solve,
    prove_zero,
    same_domain,
)
from checks.vacuity import empty_premise
from checks.verdict import DerivationResult, Evidence, StepResult, Verdict


@dataclass
class Outcome:
    """A symbolic proof attempt and a numeric outcome, before they are combined."""

    proof: Proof
    numeric: NumericOutcome
    notes: tuple[str, ...] = ()
    monte_carlo: tuple[dict, ...] = ()


def _is_random(step: Step, ctx: Context) -> bool:
    exprs = [e for e in (step.before, step.after, *step.given) if e is not None]
    return any(e.has(E, Var, Cov) for e in exprs) or any(
        ctx.family_of(a.base) is not None for e in exprs for a in e.atoms(sp.Indexed)
    )


def _check_random(before: sp.Basic, after: sp.Basic, ctx: Context, inst: list, seed: int) -> Outcome:
    """Exact expectation algebra for the proof and the counterexample; Monte Carlo as a cross-check."""
    try:
        exact = prove_equal_in_expectation(before, after, ctx)
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
        numeric = NumericOutcome("none", reason=str(exc))
    point = next((i for i in inst if not i.simple), inst[-1])
    mc = montecarlo.check(before, after, ctx, point.floats, seed)
    note = f"Monte Carlo: {mc.status}, estimate {mc.estimate:.3g} ± {mc.standard_error:.2g}, t = {mc.t:.1f}, {mc.samples} samples"
    if proof.proved and mc.status == "disagree":
        numeric = NumericOutcome("counterexample", reason="Monte Carlo contradicts the exact engine")
    elif not proof.proved and numeric.status != "counterexample":
        if mc.status == "agree":
            numeric = NumericOutcome("agree", mc.samples, abs(mc.t), reason=note)
        else:
            numeric = NumericOutcome("none", reason=f"{numeric.reason}; {note}")
    numeric.points = numeric.points or mc.samples
    return Outcome(proof, numeric, (note,), (mc.as_dict(),))


def _case_text(exact: ExpectationProof) -> str:
    equal = [f"{u} = {v}" for u, v in exact.equal]
    apart = [" ≠ ".join(sorted(map(str, pair))) for pair in sorted(exact.apart, key=lambda q: sorted(map(str, q)))]
    return ", ".join(equal + apart)


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


def step_seed(base: int, derivation_id: str, index: int) -> int:
    """A per-step seed derived from the base seed, stable across runs and processes."""
    digest = hashlib.sha256(f"{base}:{derivation_id}:{index}".encode()).digest()
    return int.from_bytes(digest[:4], "big")


def _undeclared(d: Derivation, step: Step) -> list[str]:
    exprs = [e for e in (step.before, step.after, *step.given) if e is not None]
    if step.experiment is not None:
        return []
    dummies = {lim[0] for e in exprs for s in e.atoms(sp.Sum) for lim in s.limits}
    missing = []
    for s in symbols_of(*exprs):
        if s in dummies or d.ctx.is_declared(s) or s.name in d.ctx.families:
            continue
        missing.append(str(s))
    return sorted(missing)


def _combine(out: Outcome) -> tuple[Verdict, bool, str]:
    proof, num = out.proof, out.numeric
    if proof.proved:
        if num.status == "counterexample":
            return Verdict.UNKNOWN, True, (
                "CHECKER INCONSISTENCY: the symbolic proof and an exact numeric evaluation disagree; "
                "please report this as a bug in derivcheck"
            )
        return Verdict.PROVED, False, ""
    if num.status == "counterexample":
        return Verdict.REFUTED, False, num.reason or proof.reason
    if num.status == "agree":
        return Verdict.CHECKED, False, f"no symbolic proof ({proof.reason}); numeric evidence only"
    return Verdict.UNKNOWN, False, f"no symbolic proof ({proof.reason}); {num.summary()}"


def _check_equality(before: sp.Basic, after: sp.Basic, inst: list, hooks: Mapping[type, Hook], ctx: Context) -> Outcome:
    proof = same_domain(prove_zero(before - after), before, after, ctx)
    return _unless_gaps(Outcome(proof, compare(before, after, inst, hooks)))


def _unless_gaps(out: Outcome) -> Outcome:
    """Sampled points miss the sets where a needed condition fails (x = 1): agreement there is no evidence."""
    if out.proof.gaps and out.numeric.status == "agree":
        out.numeric = NumericOutcome("none", out.numeric.points, reason="the sampled points miss where "
                                     f"{', '.join(out.proof.gaps)} fails, the only place the step can fail")
    return out


def _check_gradient(step: Step, inst: list) -> Outcome:
    var = step.by.var
    claimed = difference(step.after) if isinstance(step.after, sp.Equality) else step.after
    computed = gradient(step.before, var)
    fd = check_gradient(step.before, var, computed, inst)
    notes = [f"finite differences vs SymPy's gradient: {fd.status} (worst {fd.worst})"]
    if fd.status == "disagree":
        return Outcome(
            Proof(False, "gradient", None, "SymPy's own gradient fails the finite-difference check"),
            NumericOutcome("none", reason="SymPy's gradient disagrees with finite differences"), tuple(notes),
        )
    proof = prove_zero(claimed - computed)
    if proof.proved:
        proof = Proof(True, f"gradient by SymPy, equal to the claim ({proof.method}); finite differences agree")
    else:
        proof = Proof(False, "gradient", proof.residual, f"SymPy's gradient is {computed}")
    claim_fd = check_gradient(step.before, var, claimed, inst)
    notes.append(f"finite differences vs the claim: {claim_fd.status} (worst {claim_fd.worst})")
    numeric = compare(claimed, computed, inst)
    if numeric.status == "counterexample" and claim_fd.status != "disagree":
        numeric = NumericOutcome("none", reason="exact residual nonzero but finite differences agree with the claim")
    return Outcome(proof, numeric, tuple(notes))


def _check_equations(step: Step, ctx: Context, inst: list) -> Outcome:
    before, after = step.before, step.after
    if not isinstance(before, sp.Equality) or not isinstance(after, sp.Equality):
        raise DerivcheckError(f"'{step.relation}' joins two equations (use Eq(lhs, rhs))")
    preferred = step.by.var if isinstance(step.by, Solve) else None
    if preferred is not None:
        proof = prove_solve(before, after, preferred, ctx)
    else:
        proof = prove_equation_step(before, after, step.relation, ctx, lambda: _ratio(before, after, inst))
    return _unless_gaps(Outcome(proof, check_implication(before, after, step.relation, preferred, inst,
                                                         set(ctx.dims_), ctx)))


def _ratio(before: sp.Eq, after: sp.Eq, inst: list) -> sp.Basic | None:
    """Guess c with (after.lhs - after.rhs) = c (before.lhs - before.rhs) from one float point."""
    for point in inst:
        try:
            a = np.asarray(evaluate(difference(before), point.floats, FLOAT), dtype=float)
            b = np.asarray(evaluate(difference(after), point.floats, FLOAT), dtype=float)
        except EvaluationError:
            continue
        k = int(np.argmax(np.abs(a)))
        if abs(a.flat[k]) < 1e-9:
            continue
        return sp.nsimplify(b.flat[k] / a.flat[k], rational=True, tolerance=1e-9)
    return None


WIDE_SEARCH = 60  # extra instances, magnitudes 2^-8…2^8, for an inequality that no proof settles


def _check_claim(step: Step, ctx: Context, inst: list, hooks: Mapping[type, Hook]) -> Outcome:
    st = step.after
    if isinstance(st, sp.Equality):
        proof = prove_zero(st.lhs - st.rhs)
        return Outcome(proof, check_claim(st, step.given, inst) if step.given else compare(st.lhs, st.rhs, inst, hooks))
    if isinstance(st, (sp.StrictGreaterThan, sp.GreaterThan)):
        d = st.lhs - st.rhs
    elif isinstance(st, (sp.StrictLessThan, sp.LessThan)):
        d = st.rhs - st.lhs
    else:
        raise DerivcheckError(f"unsupported claim {st}")
    strict = isinstance(st, (sp.StrictGreaterThan, sp.StrictLessThan))
    proof = prove_sign(d, strict, step.given, ctx)
    if not proof.proved:  # before settling for numeric evidence, search widely for a counterexample
        inst = [*inst, *draw_instances(ctx, step_seed(len(inst), str(st), 1), WIDE_SEARCH, 0, spread=True)]
    return Outcome(proof, check_claim(st, step.given, inst))


def _check_experiment(step: Step, seed: int) -> StepResult:
    start = time.perf_counter()
    rng = np.random.default_rng(seed)
    figure = None
    try:
        outcome = step.experiment(rng)
        agrees, detail = outcome[0], outcome[1]
        figure = outcome[2] if len(outcome) > 2 else None
        verdict = Verdict.CHECKED if agrees else Verdict.UNKNOWN
        reason = "" if agrees else f"experiment does not agree: {detail}"
    except Exception as exc:  # noqa: BLE001 - a user's experiment failing is reported, not raised
        verdict, detail, reason = Verdict.UNKNOWN, "", f"experiment raised {type(exc).__name__}: {exc}"
    ev = Evidence(symbolic="none (numeric experiment)", numeric=detail, seed=seed)
    return StepResult(step.index, step.relation, step.by.label, step.by.label, verdict, step.expect,
                      time.perf_counter() - start, reason, ev, figure=figure)


def _unfolded(step: Step, ctx: Context) -> Step:
    if not ctx.definitions:
        return step
    return replace(
        step,
        before=None if step.before is None else ctx.unfold(step.before),
        after=ctx.unfold(step.after),
        given=tuple(ctx.unfold(g) for g in step.given),
    )


def check_step(d: Derivation, step: Step, settings: Settings = Settings(), hooks: Mapping[type, Hook] | None = None) -> StepResult:
    """Check one step and return its verdict, evidence and timing."""
    seed = step_seed(settings.seed, d.id or d.title, step.index)
    if step.experiment is not None:
        return _check_experiment(step, seed)
    start = time.perf_counter()
    try:
        latex = step_latex(step, d.ctx)
    except Exception as exc:  # noqa: BLE001 - printing must never stop a check
        latex = rf"\text{{(not printable: {type(exc).__name__})}}"
    ev = Evidence(seed=seed)

    def result(verdict: Verdict, reason: str, **kw: object) -> StepResult:
        return StepResult(step.index, step.relation, step.by.label, latex, verdict, step.expect,
                          time.perf_counter() - start, reason, ev, **kw)

    if step.problem:
        return result(Verdict.UNKNOWN, f"could not read this step: {step.problem}")
    missing = _undeclared(d, step)
    if missing:
        return result(Verdict.UNKNOWN, f"not declared in the context: {', '.join(missing)}")
    step = _unfolded(step, d.ctx)
    count = settings.instances * (3 if step.given else 1)
    hooks = hooks or {}

    def work() -> Outcome:
        inst = draw_instances(d.ctx, seed, count, settings.simple_instances)
        empty = empty_premise(d.ctx, step.given, inst)
        if empty:  # a proof from an empty premise proves nothing: never a plain PROVED
            return Outcome(Proof(False, "premise", None, empty),
                           NumericOutcome("none", reason="not sought: the premise may be empty"))
        if _is_random(step, d.ctx):
            if step.relation == "⊢" and isinstance(step.after, sp.Equality) and not step.given:
                return _check_random(step.after.lhs, step.after.rhs, d.ctx, inst, seed)
            if step.relation == "=" and not isinstance(step.by, Differentiate):
                return _check_random(step.before, step.after, d.ctx, inst, seed)
            raise DerivcheckError("random expressions are supported in '=' steps and equation claims only")
        if step.relation == "⊢":
            return _check_claim(step, d.ctx, inst, hooks)
        if isinstance(step.by, Differentiate):
            return _check_gradient(step, inst)
        if step.relation in ("⇒", "⇔"):
            return _check_equations(step, d.ctx, inst)
        return _check_equality(step.before, step.after, inst, hooks, d.ctx)

    try:
        out = run_with_budget(work, settings.budget)
    except TimedOut as exc:
        return result(Verdict.UNKNOWN, str(exc))
    except (DerivcheckError, EvaluationError, TypeError, ValueError, NotImplementedError, AttributeError) as exc:
        return result(Verdict.UNKNOWN, f"could not check this step: {type(exc).__name__}: {exc}")
    verdict, inconsistent, reason = _combine(out)
    ev.symbolic = out.proof.method if out.proof.proved else out.proof.reason
    ev.numeric = out.numeric.summary()
    ev.points = out.numeric.points
    ev.worst_error = out.numeric.worst
    ev.notes.extend(out.notes)
    ev.table = out.numeric.table
    ev.monte_carlo = list(out.monte_carlo)
    if out.monte_carlo and out.proof.proved:
        ev.numeric = out.notes[0]
    residual = residual_latex = None
    if verdict == Verdict.REFUTED:
        if out.proof.residual is not None:
            readable = readable_dummies(out.proof.residual, d.ctx)
            residual, residual_latex = sp.sstr(readable), expr_latex(readable, d.ctx)
        else:
            residual = out.numeric.residual_value
    return result(
        verdict, reason,
        counterexample=out.numeric.counterexample if verdict == Verdict.REFUTED else None,
        residual=residual, residual_latex=residual_latex, inconsistent=inconsistent,
    )


def _canon(obj: object) -> str:
    """A text that determines ``obj`` completely (SymPy objects with their assumptions, via srepr)."""
    if isinstance(obj, sp.Basic):
        return sp.srepr(obj)
    if isinstance(obj, dict):
        return "{" + ",".join(sorted(f"{_canon(k)}:{_canon(v)}" for k, v in obj.items())) + "}"
    if isinstance(obj, list | tuple):
        return "[" + ",".join(_canon(x) for x in obj) + "]"
    if isinstance(obj, set | frozenset):
        return "{" + ",".join(sorted(_canon(x) for x in obj)) + "}"
    if callable(obj) and hasattr(obj, "__qualname__"):  # a function: its name (the key also holds its source)
        return f"{getattr(obj, '__module__', '')}.{obj.__qualname__}"
    if hasattr(obj, "__dataclass_fields__"):
        return type(obj).__name__ + "(" + ",".join(f"{k}={_canon(getattr(obj, k))}" for k in obj.__dataclass_fields__) + ")"
    return repr(obj)


def step_fingerprint(d: Derivation, step: Step, settings: Settings) -> list[str]:
    """Everything a step's result depends on, as text (the cache key is its hash with the engine version)."""
    parts = [d.id or d.title, _canon(settings), _canon(d.ctx), _canon(step)]
    if step.experiment is not None:  # code: the key holds its module's source
        module = sys.modules.get(getattr(step.experiment, "__module__", ""), None)
        path = getattr(module, "__file__", None)
        parts.append(cache.file_digest(path) or "unknown source" if path else "unknown source")
        parts.append(_canon(getattr(step.experiment, "__code__", None) and step.experiment.__code__.co_code))
    return parts


def _cached_check(d: Derivation, step: Step, settings: Settings, hooks: Mapping[type, Hook] | None,
                  use_cache: bool) -> StepResult:
    key = cache.step_key(step_fingerprint(d, step, settings)) if use_cache and not hooks else None
    if key is not None:
        stored = cache.load_step(key)
        if stored is not None:
            return StepResult.from_dict(stored)
    r = check_step(d, step, settings, hooks)
    if step.correction is not None:
        fixed = replace(step, after=step.correction, by=replace(step.by, label="corrected"), expect=None,
                        correction=None)
        r.correction = check_step(d, fixed, settings, hooks)
    if key is not None and "budget" not in r.reason:  # a timeout depends on the machine: never stored
        cache.store_step(key, r.as_dict())
    return r


def check_derivation(
    d: Derivation,
    settings: Settings = Settings(),
    on_step: Callable[[StepResult], None] | None = None,
    hooks: Mapping[type, Hook] | None = None,
    use_cache: bool = False,
) -> DerivationResult:
    """Check every step of a derivation, in order (reusing cached results when ``use_cache``)."""
    start = time.perf_counter()
    results = []
    for step in d.steps:
        r = _cached_check(d, step, settings, hooks, use_cache)
        results.append(r)
        if on_step is not None:
            on_step(r)
    return DerivationResult(d.id or d.title, d.title, d.section, d.review, results, time.perf_counter() - start,
                            derivation=d)

