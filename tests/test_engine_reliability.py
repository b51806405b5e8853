"""The engine's reliability (issue 11): one rule for failures, located steps, budgets that bind, no crashes."""

from __future__ import annotations

import inspect
import os
import signal
import time
from pathlib import Path

import pytest
import sympy as sp

from derivcheck_steps import Context, DeclarationError, Settings, Verdict, check_derivation, check_step, derivation, differentiate
from derivcheck_steps import engine as engine_module
from derivcheck_steps.location import Location
from derivcheck_steps.model import Justification, Step


def _line_below() -> int:
    """The line after the caller's current line (where the step under test is written)."""
    return inspect.currentframe().f_back.f_lineno + 1


def _scalar_ctx(**kw):
    ctx = Context("c")
    return ctx, ctx.scalar("x", **kw)


# -- one rule for failures --------------------------------------------------------------------------

def test_a_bug_in_the_checker_is_an_internal_unknown_and_the_next_step_is_still_checked(monkeypatch):
    ctx, x = _scalar_ctx()
    d = derivation("d", ctx)
    d.chain((x + 1) ** 2).eq(x**2 + 2 * x + 1, by="expand").eq(x**2 + 2 * x + 1 + 0 * x, by="tidy")
    d.claim(sp.Eq(x * (x + 1), x**2 + x), by="expand")
    real = engine_module._check_equality

    def broken(before, after, *rest):
        if before == (x + 1) ** 2:
            raise ZeroDivisionError("boom")
        return real(before, after, *rest)

    monkeypatch.setattr(engine_module, "_check_equality", broken)
    first, second, third = check_derivation(d).steps
    assert (first.verdict, first.cause) == (Verdict.UNKNOWN, "internal")
    assert first.reason == "internal error in derivcheck: ZeroDivisionError: boom; please report it with the step"
    assert second.verdict == Verdict.PROVED and third.verdict == Verdict.PROVED


def test_a_worker_that_dies_is_an_internal_unknown_and_a_new_worker_checks_the_rest(monkeypatch):
    ctx, x = _scalar_ctx()
    d = derivation("d", ctx)
    d.chain(x + 1).eq(1 + x, by="commute")
    d.chain(2 * x).eq(x + x, by="double")
    real = engine_module._check_equality

    def crash(before, after, *rest):
        if before == x + 1:
            os.kill(os.getpid(), signal.SIGKILL)  # as a crash in C code or the kernel's OOM killer would
        return real(before, after, *rest)

    monkeypatch.setattr(engine_module, "_check_equality", crash)
    first, second = check_derivation(d, Settings(budget=30)).steps
    assert (first.verdict, first.cause) == (Verdict.UNKNOWN, "internal")
    assert "SIGKILL" in first.reason and "please report" in first.reason
    assert second.verdict == Verdict.PROVED


def test_an_unreadable_step_is_an_input_unknown_at_its_location():
    ctx, x = _scalar_ctx()
    d = derivation("d", ctx)
    where = Location("notes.tex", 12, 7)
    d.steps.append(Step(1, "=", x, x, Justification("as written"), problem="unclosed '{' opened at 12:7",
                        location=where))
    res = check_derivation(d).steps[0]
    assert (res.verdict, res.cause, res.location) == (Verdict.UNKNOWN, "input", where)
    assert "unclosed '{'" in res.reason


def test_an_undeclared_symbol_is_an_input_problem():
    ctx, x = _scalar_ctx()
    d = derivation("d", ctx)
    d.chain(x + sp.Symbol("y")).eq(sp.Symbol("y") + x, by="commute")
    res = check_derivation(d).steps[0]
    assert (res.verdict, res.cause) == (Verdict.UNKNOWN, "input")
    assert "not declared" in res.reason and "y" in res.reason


def test_no_proof_and_no_evidence_is_undecided():
    ctx, x = _scalar_ctx()
    g = sp.Function("g")
    d = derivation("d", ctx)
    d.chain(g(x)).eq(g(x) + 0 * sp.gamma(x) + sp.Function("h")(x), by="as written")
    res = check_derivation(d).steps[0]
    assert (res.verdict, res.cause) == (Verdict.UNKNOWN, "undecided")


def test_a_relation_inside_a_step_is_an_input_problem_in_words():
    ctx, x = _scalar_ctx()
    d = derivation("d", ctx)
    d.chain(x + 1).eq(sp.Lt(x, 2), by="as written")
    d.claim(sp.Eq(x, sp.Lt(x, 1), evaluate=False), by="nested")
    for res in check_derivation(d).steps:
        assert (res.verdict, res.cause) == (Verdict.UNKNOWN, "input")
        assert res.reason.startswith("a step's side contains a relation (x < ")
        assert "Error" not in res.reason


# -- locations ---------------------------------------------------------------------------------------

def test_python_steps_are_located_at_the_line_of_the_users_code():
    ctx, x = _scalar_ctx()
    d = derivation("d", ctx)
    chain_line = _line_below()
    (d.chain((x + 1) ** 2)
      .eq(x**2 + 2 * x + 1, by="expand")
      .eq(x**2 + x + x + 1, by="split"))
    claim_line = _line_below()
    d.claim(sp.Eq(x * x, x**2, evaluate=False), by="square")
    experiment_line = _line_below()
    d.experiment("always", lambda rng: (True, "fine"))
    here = str(Path(__file__).resolve().relative_to(Path.cwd())) if Path.cwd() in Path(__file__).resolve().parents \
        else __file__
    lines = [s.location.line for s in d.steps]
    assert lines == [chain_line + 1, chain_line + 2, claim_line, experiment_line]
    assert {s.location.file for s in d.steps} == {here}
    results = check_derivation(d).steps
    assert [r.location for r in results] == [s.location for s in d.steps]


def test_a_location_keyword_overrides_the_callers_line():
    ctx, x = _scalar_ctx()
    d = derivation("d", ctx)
    where = Location("slip.tex", 9, 3)
    d.chain(x).eq(x + 0, by="nothing", location=where)
    d.claim(sp.Eq(x, x + 0, evaluate=False), by="nothing", location=Location("slip.tex", 10, 3))
    assert [s.location for s in d.steps] == [where, Location("slip.tex", 10, 3)]


def test_a_correction_is_located_at_its_step():
    ctx, x = _scalar_ctx()
    d = derivation("d", ctx, review=True)
    d.chain((x + 1) ** 2).eq(x**2 + 1, by="as written", expect="REFUTED", correct=x**2 + 2 * x + 1)
    res = check_derivation(d).steps[0]
    assert res.verdict == Verdict.REFUTED and res.correction.verdict == Verdict.PROVED
    assert res.correction.location == res.location == d.steps[0].location


def test_a_cached_result_follows_its_step_to_a_new_line():
    def build(line: int):
        ctx, x = _scalar_ctx()
        d = derivation("d", ctx, id="moved")
        d.chain((x + 1) ** 2).eq(x**2 + 2 * x + 1, by="expand", location=Location("a.tex", line))
        return d

    check_derivation(build(3), use_cache=True)
    again = check_derivation(build(30), use_cache=True).steps[0]
    assert again.verdict == Verdict.PROVED and again.location == Location("a.tex", 30)


# -- budgets that bind -------------------------------------------------------------------------------

def _children() -> set[int]:
    me = str(os.getpid())
    kids = set()
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            if stat.rsplit(")", 1)[1].split()[1] == me:
                kids.add(int(entry))
    return kids


def _huge_power_derivation():
    # x in (0, 1): the simple point x = 1/2 underflows in floats, so the exact value 2^-50000000 is computed
    ctx, x = _scalar_ctx(interval=(0, 1))
    d = derivation("huge power", ctx)
    big = sp.Pow(x, 50000000)
    d.chain(sp.Mul(big, x + 1, evaluate=False)).eq(sp.Add(sp.Pow(x, 50000001), big, evaluate=False), by="expand")
    d.chain((x + 1) ** 2).eq(x**2 + 2 * x + 1, by="expand")
    return d


@pytest.mark.skipif(not hasattr(os, "fork") or not Path("/proc").is_dir(), reason="needs fork and /proc")
def test_a_step_over_its_budget_is_stopped_and_the_next_step_is_checked():
    before = _children()
    start = time.monotonic()
    slow, fast = check_derivation(_huge_power_derivation(), Settings(budget=2)).steps
    elapsed = time.monotonic() - start
    assert (slow.verdict, slow.cause, slow.reason) == (Verdict.UNKNOWN, "timeout", "timed out after 2 s")
    assert fast.verdict == Verdict.PROVED
    assert elapsed < 15  # generous: the budget binds (the old thread ran on for as long as the power took)
    assert _children() <= before  # the killed worker is gone, not computing in the background


def test_check_step_alone_is_budgeted_too():
    d = _huge_power_derivation()
    res = check_step(d, d.steps[0], Settings(budget=1))
    assert (res.verdict, res.cause) == (Verdict.UNKNOWN, "timeout")


def test_worker_processes_give_the_in_process_results():
    ctx, x = _scalar_ctx()
    d = derivation("d", ctx, id="same")
    d.chain((x + 1) ** 3).eq(x**3 + 3 * x**2 + 3 * x + 1, by="expand").eq(x**3 + 3 * x**2 + 3 * x + 2, by="slip")

    def report(settings):
        out = [s.as_dict() for s in check_derivation(d, settings).steps]
        for s in out:
            s.pop("seconds")
        return out

    in_process = report(Settings(budget=float("inf")))
    assert report(Settings()) == in_process == report(Settings())
    assert in_process[1]["verdict"] == "REFUTED"


@pytest.mark.parametrize("power", [sp.Pow(10, 10**7, evaluate=False),
                                   sp.Pow(10, sp.Pow(10, 10, evaluate=False), evaluate=False)])
def test_astronomical_exact_powers_are_refused_before_evaluation(power):
    ctx, x = _scalar_ctx()
    d = derivation("d", ctx)
    d.chain(sp.Mul(x, power, evaluate=False)).eq(sp.Mul(power, x, 2, evaluate=False), by="as written")
    start = time.monotonic()
    res = check_derivation(d).steps[0]
    assert (res.verdict, res.cause) == (Verdict.UNKNOWN, "input")
    assert "refuses exact values of more than 1,000,000 digits" in res.reason
    assert time.monotonic() - start < 15  # refused, not computed


# -- numbers too long for str() ------------------------------------------------------------------------

def test_an_identity_with_5001_digit_numbers_is_proved_and_cached():
    ctx, x = _scalar_ctx()
    q = sp.Rational(10**5000 + 1, 10**5000)  # 10^5000 + 1 has 5001 digits, past str()'s 4,300
    d = derivation("d", ctx, id="long numbers")
    d.chain(q * (x + 1)).eq(q * x + q, by="expand")
    assert check_derivation(d, use_cache=True).steps[0].verdict == Verdict.PROVED
    assert check_derivation(d, use_cache=True).steps[0].verdict == Verdict.PROVED


def test_a_refuted_step_shows_a_5001_digit_residual_abbreviated():
    ctx, x = _scalar_ctx()
    q = sp.Rational(10**5000 + 1, 10**5000)  # "1" 4999 zeros "1" over "1" 5000 zeros: 5001 digits each
    d = derivation("d", ctx)
    d.chain(q * (x + 1)).eq(q * x, by="slip")  # the residual is q itself
    res = check_derivation(d).steps[0]
    assert res.verdict == Verdict.REFUTED
    assert res.residual == "1000…(5001 digits)…0001/1000…(5001 digits)…0000"
    assert all(len(v) < 200 for v in res.counterexample.values())


# -- crashes of the Python API ---------------------------------------------------------------------------

def test_the_gradient_of_a_squared_inner_product_is_proved():
    ctx = Context("c")
    (n,) = ctx.dims("n")
    a, x = ctx.vector("a", n), ctx.vector("x", n)
    d = derivation("d", ctx)
    d.chain((a.T * x) ** 2).eq(2 * a * a.T * x, by=differentiate(x))  # ∇(aᵀx)² = 2(aᵀx)a = 2aaᵀx
    assert check_derivation(d).steps[0].verdict == Verdict.PROVED


def test_a_zero_gradient_written_as_0_means_the_zero_vector():
    ctx = Context("c")
    n, N = ctx.dims("n N")
    X, w, t = ctx.matrix("X", N, n), ctx.vector("w", n), ctx.vector("t", N)
    d = derivation("d", ctx)
    # ∇_w (Xw − t)ᵀ(Xw − t) = 2Xᵀ(Xw − t), set to zero
    d.chain((X * w - t).T * (X * w - t)).implies(sp.Eq(2 * X.T * X * w - 2 * X.T * t, 0, evaluate=False),
                                                 by=differentiate(w))
    d.chain(X * w - X * w).eq(0, by="cancel")
    first, second = check_derivation(d).steps
    assert first.verdict == Verdict.PROVED and second.verdict == Verdict.PROVED


def test_an_equation_sympy_decided_while_building_is_an_input_problem():
    ctx = Context("c")
    (n,) = ctx.dims("n")
    w = ctx.vector("w", n)
    d = derivation("d", ctx)
    d.chain(sp.Eq(w, w, evaluate=False)).implies(sp.Eq(2 * w, 0), by="zero vector")  # SymPy makes this False
    res = check_derivation(d).steps[0]
    assert (res.verdict, res.cause) == (Verdict.UNKNOWN, "input") and "evaluate=False" in res.reason


def test_differentiating_by_a_defined_name_treats_it_as_a_variable():
    ctx, z = _scalar_ctx()
    u = ctx.define("u", 3 * z + 1)
    d = derivation("d", ctx)
    d.chain(u**2 + z).eq(2 * u, by=differentiate(u))  # ∂/∂u (u² + z) = 2u
    d.chain(u**2 + z).eq(3 * u, by=differentiate(u))
    right, wrong = check_derivation(d).steps
    assert right.verdict == Verdict.PROVED and wrong.verdict == Verdict.REFUTED


def test_differentiating_by_one_entry_of_indexed_data():
    ctx = Context("c")
    N, n = ctx.dims("N n")
    i, j, k = ctx.index("i", N), ctx.index("j", n), ctx.index("k", n)
    x = ctx.indexed("x", i, j)
    d = derivation("d", ctx)
    d.chain(sp.Sum(x[i, j] ** 2, (j, 1, n))).eq(2 * x[i, k], by=differentiate(x[i, k]))  # only j = k counts
    d.chain(sp.Sum(x[i, j] ** 2, (j, 1, n))).eq(3 * x[i, k], by=differentiate(x[i, k]))
    right, wrong = check_derivation(d).steps
    assert right.verdict == Verdict.PROVED and wrong.verdict == Verdict.REFUTED


def test_differentiating_by_an_undeclared_name_says_so():
    ctx, x = _scalar_ctx()
    d = derivation("d", ctx)
    d.chain(x**2).eq(2 * x, by=differentiate(sp.Symbol("v")))
    res = check_derivation(d).steps[0]
    assert (res.verdict, res.cause) == (Verdict.UNKNOWN, "input") and "v is not a declared" in res.reason


@pytest.mark.parametrize("interval", [(1, 0), ("1/0", 1), (0, sp.oo), (0, float("inf")), (0, sp.zoo), (0, "one")])
def test_intervals_are_validated(interval):
    with pytest.raises(DeclarationError, match="scalar a: "):
        Context("c").scalar("a", interval=interval)


def test_an_interval_with_a_zero_denominator_in_a_document_is_a_located_input_error(tmp_path, capsys):
    from derivcheck_steps.cli import main

    doc = tmp_path / "iv.tex"
    doc.write_text("\\section{S}\n% derivcheck: context s\n% derivcheck: scalar a interval 1/0 1\n"
                   "\\begin{equation}(a+1)^2 = a^2 + 2a + 1\\end{equation}\n")
    assert main(["check", "--no-cache", str(doc)]) == 2
    out, err = capsys.readouterr()  # the declaration is an UNKNOWN step at its line; the rest is still read
    assert f"{doc}:3" in out + err and "not a finite number" in out + err and "Traceback" not in out + err


def test_check_steps_shares_one_worker_and_gives_check_steps_results():
    from derivcheck_steps.engine import check_steps

    ctx, x = _scalar_ctx()
    d = derivation("d", ctx, id="variants")
    d.chain((x + 1) ** 2).eq(x**2 + 2 * x + 1, by="expand")
    variants = [Step(1, "=", (x + 1) ** 2, after, Justification("variant")) for after in
                (x**2 + 2 * x + 1, x**2 + 1, x**2 + 2 * x + 2)]
    together = [r.as_dict() for r in check_steps(d, variants)]
    alone = [check_step(d, s).as_dict() for s in variants]
    for r in together + alone:
        r.pop("seconds")
    assert together == alone
    assert [r["verdict"] for r in together] == ["PROVED", "REFUTED", "REFUTED"]


def test_steps_the_latex_reader_builds_never_point_into_derivcheck(tmp_path):
    from derivcheck_steps.latex.documents import read_document

    doc = tmp_path / "notes.tex"
    doc.write_text("\\section{S}\n% derivcheck: context s\n% derivcheck: scalar a\n"
                   "\\begin{align*}\n  &(a+1)^2 \\\\\n  &= a^2 + 2a + 1 && \\text{expand}\n\\end{align*}\n")
    steps = read_document(doc)[0].steps
    assert steps and all(s.location is None or s.location.file.endswith("notes.tex") for s in steps)


def test_check_derivations_with_one_worker_gives_the_results_of_one_worker_each():
    from derivcheck_steps.engine import check_derivations

    def build():
        out = []
        for k in range(1, 4):
            ctx, x = _scalar_ctx()
            d = derivation(f"d{k}", ctx, id=f"d{k}", review=True)
            d.chain((x + k) ** 2).eq(x**2 + 2 * k * x + k**2, by="expand").eq(x**2 + k, by="slip", expect="REFUTED",
                                                                                correct=x**2 + 2 * k * x + k**2)
            out.append(d)
        return out

    def plain(results):
        rows = [s.as_dict() for r in results for s in r.steps]
        for row in rows:
            row.pop("seconds")
            if row["correction"]:
                row["correction"].pop("seconds")
        return rows

    shared = plain(check_derivations(build()))
    assert shared == plain([check_derivation(d) for d in build()])
    assert [row["verdict"] for row in shared] == ["PROVED", "REFUTED"] * 3
