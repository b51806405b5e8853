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
import re
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import replace

import numpy as np
import sympy as sp

from derivcheck_steps import stepcache
from derivcheck_steps.context import Context
from derivcheck_steps.errors import DerivcheckError, EvaluationError
from derivcheck_steps.evaluate import FLOAT, Hook, evaluate
from derivcheck_steps.failures import INPUT, INTERNAL, UNDECIDED, classify, screen
from derivcheck_steps.gradients import check_variable, entry_gradient, expand_small_matpows, settle_index_ranges, variable_context
from derivcheck_steps.identities import SIZE
from derivcheck_steps.latex.printer import expr_latex
from derivcheck_steps.model import Derivation, Differentiate, Solve, Step
from derivcheck_steps.numbers import abbreviate_digits, long_int_text, printable, safe_str
from derivcheck_steps.numeric import NumericOutcome, check_gradient, compare
from derivcheck_steps.plain import plain, simplest
from derivcheck_steps.premises import check_claim, check_implication
from derivcheck_steps.random_equations import evaluated_step
from derivcheck_steps.random_steps import check_random
from derivcheck_steps.residuals import readable_residual
from derivcheck_steps.sampling import draw_instances
from derivcheck_steps.settings import Settings
from derivcheck_steps.stepforms import Outcome, is_random, printed, safe_texts, undeclared, unfolded, zero_sides
from derivcheck_steps.steprunner import StepRunner
from derivcheck_steps.symbolic import (
    Proof,
    difference,
    gradient,
    prove_equation_step,
    prove_sign,
    prove_solve,
    prove_zero,
    same_domain,
)
from derivcheck_steps.vacuity import empty_premise
from derivcheck_steps.verdict import DerivationResult, Evidence, StepResult, Verdict


def step_seed(base: int, derivation_id: str, index: int) -> int:
    """A per-step seed derived from the base seed, stable across runs and processes."""
    digest = hashlib.sha256(f"{base}:{derivation_id}:{index}".encode()).digest()
    return int.from_bytes(digest[:4], "big")


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


def _check_gradient(step: Step, ctx: Context, inst: list) -> Outcome:
    var = step.by.var
    before = expand_small_matpows(step.before)
    claimed = difference(step.after) if isinstance(step.after, sp.Equality) else step.after
    if getattr(before, "is_Matrix", False) and before.shape != (1, 1):
        raise DerivcheckError(f"differentiate: {safe_str(before)} is a {before.shape[0]}×{before.shape[1]} matrix, "
                              "not a scalar: only a scalar function has a gradient")
    computed = gradient(before, var, ctx)
    if isinstance(var, sp.MatrixSymbol) and var not in before.free_symbols and computed.has(sp.Derivative):
        computed = sp.Integer(0)  # SymPy leaves ∂(yᵀWy)/∂β unevaluated; a constant's gradient is 0 (checked by FD below)
    # a scalar 0 opposite a vector or matrix is the zero of that shape (a constant's gradient, "∇J = 0")
    if isinstance(var, sp.MatrixSymbol) and not getattr(computed, "is_Matrix", False) and computed == 0:
        computed = sp.ZeroMatrix(*var.shape)
    if getattr(computed, "is_Matrix", False) and not getattr(claimed, "is_Matrix", False) and claimed == 0:
        claimed = sp.ZeroMatrix(*computed.shape)
    if getattr(claimed, "is_Matrix", False) != getattr(computed, "is_Matrix", False):
        raise EvaluationError(f"SymPy's gradient {safe_str(computed)} and the claim {safe_str(claimed)} are not "
                              "both matrices (or both scalars)")
    if isinstance(var, sp.Indexed):  # one entry of indexed data: Kronecker deltas, then the declared ranges

        def fd_check(e: sp.Basic, g: sp.Basic, points: list) -> NumericOutcome:
            return entry_gradient(e, var, g, points)

        computed = settle_index_ranges(computed.doit(), ctx)
    else:

        def fd_check(e: sp.Basic, g: sp.Basic, points: list) -> NumericOutcome:
            return check_gradient(e, var, g, points)

    fd = fd_check(before, computed, inst)
    notes = [f"finite differences vs SymPy's gradient: {fd.status} (worst {fd.worst})"]
    if fd.status == "disagree":
        return Outcome(
            Proof(False, "gradient", None, "SymPy's own gradient fails the finite-difference check"),
            NumericOutcome("none", reason="SymPy's gradient disagrees with finite differences"), tuple(notes),
        )
    proof = prove_zero(ctx.unfold(claimed - computed, keep=frozenset({var, getattr(var, "base", var)})))
    true_text = "" if proof.proved else plain(simplest(computed), ctx)  # simplified cheaply, for reports
    if proof.proved:
        proof = Proof(True, f"gradient by SymPy, equal to the claim ({proof.method}); finite differences agree")
    else:
        proof = Proof(False, "gradient", proof.residual, f"SymPy's gradient is {true_text}")
    claim_fd = fd_check(before, claimed, inst)
    notes.append(f"finite differences vs the claim: {claim_fd.status} (worst {claim_fd.worst})")
    numeric = compare(claimed, computed, inst)
    if numeric.status == "counterexample" and claim_fd.status != "disagree":
        numeric = NumericOutcome("none", reason="exact residual nonzero but finite differences agree with the claim")
    shown = () if proof.proved else (("claimed", plain(simplest(claimed), ctx)), ("true", true_text))  # Evidence.gradient
    return Outcome(proof, numeric, tuple(notes), gradient=shown)


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
    figure, cause = None, ""
    try:
        outcome = step.experiment(rng)
        agrees, detail = outcome[0], outcome[1]
        figure = outcome[2] if len(outcome) > 2 else None
        verdict = Verdict.CHECKED if agrees else Verdict.UNKNOWN
        reason = "" if agrees else f"experiment does not agree: {detail}"
        cause = "" if agrees else UNDECIDED
    except Exception as exc:  # noqa: BLE001 - a user's experiment failing is reported, not raised
        verdict, detail, cause = Verdict.UNKNOWN, "", INPUT  # the experiment is the user's code
        reason = f"the experiment raised {type(exc).__name__}: {abbreviate_digits(str(exc))}"
    ev = Evidence(symbolic="none (numeric experiment)", numeric=detail, seed=seed)
    return StepResult(step.index, step.relation, step.by.label, step.by.label, verdict, step.expect,
                      time.perf_counter() - start, reason, ev, figure=figure, location=step.location, cause=cause)


_FACTS = ("assume", "invertible", "centred", "independent")  # declarations that restrict what a counterexample may be


def _unread_that_may_matter(ctx: Context, step: Step) -> list[int]:
    """The unread declarations that may exclude a counterexample of ``step``: a fact (assume …), or
    one that names a symbol of the step (``scalr a`` cannot matter to a step in z alone)."""
    names = {str(a).lstrip("\\") for e in (step.before, step.after, *step.given) if e is not None
             for a in e.atoms(sp.Symbol, sp.MatrixSymbol, sp.IndexedBase)}
    out = []
    for k, text in enumerate(ctx.unread_text):
        words = re.findall(r"[A-Za-z]+", text)
        if not text or (words and words[0] in _FACTS) or any(w in names for w in words[1:]):
            out.append(k)
    return out


def _check_here(d: Derivation, step: Step, settings: Settings, hooks: Mapping[type, Hook] | None) -> StepResult:
    """Check one step in this process, without a budget; every failure becomes an UNKNOWN with its cause."""
    seed = step_seed(settings.seed, d.id or d.title, step.index)
    if getattr(step, "unchecked", ""):  # a row the reader leaves unchecked on purpose (≈): undecided, not an error
        return StepResult(step.index, step.relation, step.by.label, step.by.label, Verdict.UNKNOWN, step.expect, 0.0,
                          step.unchecked, Evidence(seed=seed), location=step.location, cause=UNDECIDED)
    if step.experiment is not None:
        return _check_experiment(step, seed)
    start = time.perf_counter()
    ev = Evidence(seed=seed)
    latex = printed(step, d.ctx) if STEP_LATEX.on else ""

    def result(verdict: Verdict, reason: str, **kw: object) -> StepResult:
        return StepResult(step.index, step.relation, step.by.label, latex, verdict, step.expect,
                          time.perf_counter() - start, reason, ev, location=step.location, **kw)

    try:
        if step.problem:
            return result(Verdict.UNKNOWN, f"could not read this step: {step.problem}", cause=INPUT)
        missing = undeclared(d, step)
        if SIZE.name in missing:  # an `identity I` without a size, where nothing beside it fixes one (tr I, I·I)
            return result(Verdict.UNKNOWN, "the size of the identity `I` cannot be told from where it stands (it was "
                          "declared without a size): write `I_n` with a declared size, or declare `identity I n`",
                          cause=INPUT)
        if missing:
            return result(Verdict.UNKNOWN, f"not declared in the context: {', '.join(missing)}", cause=INPUT)
        refusal = screen([step.before, step.after, *step.given], step.relation)
        if refusal:
            return result(Verdict.UNKNOWN, refusal, cause=INPUT)
        ctx = d.ctx
        if isinstance(step.by, Differentiate):
            check_variable(ctx, step.by.var)
            ctx = variable_context(ctx, step.by.var)
        with long_int_text():  # exact values of any length may be printed; _safe_texts abbreviates them
            out = _work(zero_sides(unfolded(step, ctx)), ctx, seed, settings, hooks or {})
        verdict, inconsistent, reason = _combine(out)
        ev.symbolic = out.proof.method if out.proof.proved else out.proof.reason
        ev.numeric = out.numeric.summary()
        ev.points = out.numeric.points
        ev.worst_error = out.numeric.worst
        ev.notes.extend(out.notes)
        ev.table = out.numeric.table
        ev.gradient = dict(out.gradient)
        ev.monte_carlo = list(out.monte_carlo)
        if out.monte_carlo and out.proof.proved:
            ev.numeric = out.notes[0]
        unread = _unread_that_may_matter(d.ctx, step) if verdict == Verdict.REFUTED else []
        if unread:  # an unread declaration (assume …) may exclude the counterexample
            where = ", ".join(d.ctx.unread_where[k] for k in unread)
            return result(Verdict.UNKNOWN, f"a counterexample was found, but the declaration at {where} could not be "
                          f"read ({d.ctx.unread[unread[0]]}) and may exclude it; {reason}", cause=INPUT)
        residual = residual_latex = None
        if verdict == Verdict.REFUTED:
            shown = None if out.proof.residual is None else readable_residual(out.proof.residual, (step.before, step.after), ctx)
            if shown is not None:
                readable = printable(shown)
                residual, residual_latex = plain(readable, ctx), expr_latex(readable, ctx)  # plain maths, as reports print
            else:
                residual = out.numeric.residual_value
        cause = (INTERNAL if inconsistent else UNDECIDED) if verdict == Verdict.UNKNOWN else ""
        return safe_texts(result(
            verdict, reason, counterexample=out.numeric.counterexample if verdict == Verdict.REFUTED else None,
            residual=residual, residual_latex=residual_latex, inconsistent=inconsistent, cause=cause,
        ))
    except Exception as exc:  # noqa: BLE001 - the one rule: a failure is this step's UNKNOWN, the rest goes on
        cause, reason = classify(exc)
        return result(Verdict.UNKNOWN, reason, cause=cause)


def _work(step: Step, ctx: Context, seed: int, settings: Settings, hooks: Mapping[type, Hook]) -> Outcome:
    """The proof attempt and numeric cross-check that fit the step's relation and justification."""
    count = settings.instances * (3 if step.given else 1)
    inst = draw_instances(ctx, seed, count, settings.simple_instances)
    empty = empty_premise(ctx, step.given, inst)
    if empty:  # a proof from an empty premise proves nothing: never a plain PROVED
        return Outcome(Proof(False, "premise", None, empty), NumericOutcome("none", reason="not sought: the premise may be empty"))
    if is_random(step, ctx):
        if step.relation == "⊢" and isinstance(step.after, sp.Equality) and not step.given:
            return check_random(step.after.lhs, step.after.rhs, ctx, inst, seed)
        if step.relation == "=" and not isinstance(step.by, Differentiate):
            return check_random(step.before, step.after, ctx, inst, seed)
        if step.relation in ("⇒", "⇔"):  # equations with E, Var, Cov: on their exact values
            return _check_equations(*evaluated_step(step, ctx, inst, seed))
        raise DerivcheckError("random expressions are supported in '=' steps and equation claims only")
    if step.relation == "⊢":
        return _check_claim(step, ctx, inst, hooks)
    if isinstance(step.by, Differentiate):
        return _check_gradient(step, ctx, inst)
    if step.relation in ("⇒", "⇔"):
        return _check_equations(step, ctx, inst)
    return _check_equality(step.before, step.after, inst, hooks, ctx)


def _runner() -> StepRunner:
    return StepRunner(_check_here, lambda d, step, settings: step_seed(settings.seed, d.id or d.title, step.index))


_active = threading.local()  # the runner of the derivation being checked in this thread, if any


class _StepLatex:
    """Whether results carry each step's LaTeX: the JSON report, the caches and writeups read it; a
    console run without them does not (``derivcheck_steps.runner.check_all(step_latex=False)``)."""

    on = True


STEP_LATEX = _StepLatex()


def check_step(d: Derivation, step: Step, settings: Settings = Settings(), hooks: Mapping[type, Hook] | None = None) -> StepResult:
    """Check one step and return its verdict, evidence and timing.

    The check runs under ``settings.budget`` seconds in a worker process that is killed when the
    budget runs out (the step is then UNKNOWN, cause "timeout"); any failure is the step's UNKNOWN.
    """
    runner = getattr(_active, "runner", None)
    if runner is not None:
        return runner.check(d, step, settings, hooks)
    runner = _runner()
    try:
        return runner.check(d, step, settings, hooks)
    finally:
        runner.close()


def check_steps(d: Derivation, steps: list[Step], settings: Settings = Settings(),
                hooks: Mapping[type, Hook] | None = None) -> list[StepResult]:
    """Check several steps of one derivation (e.g. variants of a step), sharing one worker process.

    Like calling :func:`check_step` on each, but the worker is forked once for all of them and
    its caches stay warm from one step to the next (``check_step`` alone forks one per call).
    """
    if getattr(_active, "runner", None) is not None:
        return [check_step(d, s, settings, hooks) for s in steps]
    runner = _runner()
    for step in steps:
        runner.register(d, step, settings, hooks)
    try:
        return [runner.check(d, s, settings, hooks) for s in steps]
    finally:
        runner.close()


def _corrected(step: Step) -> Step:
    return replace(step, after=step.correction, by=replace(step.by, label="corrected"), expect=None, correction=None)


def _cached_check(d: Derivation, step: Step, fixed: Step | None, settings: Settings,
                  hooks: Mapping[type, Hook] | None, use_cache: bool) -> StepResult:
    key = stepcache.step_key(d, step, settings) if use_cache and not hooks else None  # None: not cacheable
    if key is not None:
        stored = stepcache.load_step(key, step)  # integrity checked; the current location put back
        if stored is not None:
            if stored.correction is not None and fixed is not None:
                stored.correction.location = fixed.location
            return stored
    r = check_step(d, step, settings, hooks)
    if fixed is not None:
        r.correction = check_step(d, fixed, settings, hooks)
    if key is not None:
        stepcache.store_step(key, r)  # never a time-out or an internal error (derivcheck_steps.cache.storable)
    return r


def _register(runner: StepRunner, d: Derivation, settings: Settings, hooks: Mapping[type, Hook] | None) -> None:
    """Make every step of ``d`` (and every correction) known to the runner's next worker process."""
    for step in d.steps:
        runner.register(d, step, settings, hooks)
        if step.correction is not None:
            runner.register(d, runner.fixed(step, _corrected), settings, hooks)


def check_derivation(
    d: Derivation,
    settings: Settings = Settings(),
    on_step: Callable[[StepResult], None] | None = None,
    hooks: Mapping[type, Hook] | None = None,
    use_cache: bool = False,
) -> DerivationResult:
    """Check every step of a derivation, in order (reusing cached results when ``use_cache``).

    Each step runs under the budget in one worker process, forked once for the derivation (or
    once for all of :func:`check_derivations`) and again only after a step overran its budget.
    """
    start = time.perf_counter()
    shared = getattr(_active, "runner", None)
    runner = shared or _runner()
    _register(runner, d, settings, hooks)  # a worker forked before this lacks them: the next call forks anew
    _active.runner = runner
    results = []
    try:
        for step in d.steps:
            fixed = runner.fixed(step, _corrected) if step.correction is not None else None
            r = _cached_check(d, step, fixed, settings, hooks, use_cache)
            results.append(r)
            if on_step is not None:
                on_step(r)
    finally:
        _active.runner = shared
        if shared is None:
            runner.close()
    return DerivationResult(d.id or d.title, d.title, d.section, d.review, results, time.perf_counter() - start,
                            derivation=d)


def step_runner() -> StepRunner:
    """A step runner (one budget process) that :func:`sharing` can lend to several derivations."""
    return _runner()


def register_all(runner: StepRunner, ds: list[Derivation], settings: Settings) -> None:
    """Make every step of ``ds`` known to ``runner`` before its budget process is forked."""
    for d in ds:
        _register(runner, d, settings, None)


@contextmanager
def sharing(runner: StepRunner) -> Iterator[None]:
    """Check derivations in this thread with ``runner`` (closed by its owner, not by each derivation)."""
    previous = getattr(_active, "runner", None)
    _active.runner = runner
    try:
        yield
    finally:
        _active.runner = previous


def check_derivations(
    ds: list[Derivation],
    settings: Settings = Settings(),
    use_cache: bool = False,
    on_result: Callable[[DerivationResult], None] | None = None,
) -> list[DerivationResult]:
    """Check several derivations in order with one worker process for all (forked again only after a timeout).

    The same results as :func:`check_derivation` on each; the worker's caches stay warm from one
    derivation to the next. ``on_result`` sees each result as soon as it is known.
    """
    if getattr(_active, "runner", None) is not None:  # already inside a shared runner
        return [check_derivation(d, settings, use_cache=use_cache) for d in ds]
    runner = _runner()
    for d in ds:
        _register(runner, d, settings, None)
    _active.runner = runner
    results = []
    try:
        for d in ds:
            results.append(check_derivation(d, settings, use_cache=use_cache))
            if on_result is not None:
                on_result(results[-1])
    finally:
        _active.runner = None
        runner.close()
    return results
