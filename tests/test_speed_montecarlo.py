"""All Monte Carlo batches of a round in one evaluation give the very numbers of batch-by-batch evaluation."""

from __future__ import annotations

import numpy as np
import pytest
import sympy as sp

from derivcheck_steps import Bernoulli, Context, Cov, E, Moments, Normal, Var, mc_batches, montecarlo


def _result(lhs, rhs, ctx, env, seed):  # noqa: ANN001, ANN202
    r = montecarlo.check(lhs, rhs, ctx, env, seed).as_dict()
    r.pop("seconds")
    return r


def _batch_by_batch(monkeypatch: pytest.MonkeyPatch):  # noqa: ANN202
    def refuse(*_a, **_k):  # noqa: ANN002, ANN003, ANN202
        raise mc_batches.NotBatched("forced")

    monkeypatch.setattr(mc_batches, "round_values", refuse)


def _dropout():  # noqa: ANN202
    ctx = Context("dropout")
    n, big_n = ctx.dims("n N")
    j, i = ctx.index("j", n), ctx.index("i", big_n)
    p = ctx.scalar("p", interval=(0, 1))
    w, x, t = ctx.indexed("w", j), ctx.indexed("x", i, j), ctx.indexed("t", i)
    m = ctx.random("m", i, j, dist=Bernoulli(p))
    return ctx, (n, big_n, j, i, p, w, x, t, m)


def _cases():  # noqa: ANN202
    out = []
    ctx = Context("moments")
    (n,) = ctx.dims("n")
    j, k = ctx.index("j", n), ctx.index("k", n)
    s, mu = ctx.scalar("s", positive=True), ctx.scalar("mu")
    y = ctx.random("Y", j, dist=Moments(mu, s))
    env = {s: 1.7, mu: 0.3, n: 3, j: 2, k: 1}
    total = sp.Sum(y[j], (j, 1, n))
    out += [
        ("variance of a sum, every law with these moments", Var(total), n * s, ctx, env),
        ("a wrong fourth moment", E(y[j] ** 4), 3 * s**2, ctx, env),
        ("a sum of E's outside", sp.Sum((E(y[j]) - mu) ** 2 + Var(y[j]), (j, 1, n)), n * s, ctx, env),
        ("Cov of two entries", Cov(y[j], y[k]), sp.Integer(0), ctx, env),
        ("a nested E (batch by batch)", E((y[j] - E(y[j])) ** 2), s, ctx, env),
    ]
    ctx2 = Context("unindexed")
    a = ctx2.scalar("a")
    z = ctx2.random("Z", dist=Normal(0, 2))
    out.append(("an unindexed family, E squared", E(z) ** 2 + a, a, ctx2, {a: 0.25}))
    out.append(("a random variable outside E", z + E(z), sp.Integer(0), ctx2, {a: 0.25}))
    dctx, (dn, dbig, dj, di, p, w, x, t, m) = _dropout()
    y_tilde = sp.Sum(m[di, dj] * w[dj] * x[di, dj], (dj, 1, dn)) / p
    loss = sp.Sum((E(y_tilde) - t[di]) ** 2 + Var(y_tilde), (di, 1, dbig)) / (2 * dbig)
    right = sp.Sum((sp.Sum(w[dj] * x[di, dj], (dj, 1, dn)) - t[di]) ** 2, (di, 1, dbig)) / (2 * dbig) \
        + (1 - p) / p * sp.Sum(w[dj] ** 2 * sp.Sum(x[di, dj] ** 2, (di, 1, dbig)), (dj, 1, dn)) / (2 * dbig)
    rng = np.random.default_rng(4)
    denv = {dn: 3, dbig: 4, p: 0.7, w: rng.normal(size=3), x: rng.normal(size=(4, 3)), t: rng.normal(size=4)}
    out.append(("the dropout loss, right", loss, right, dctx, denv))
    out.append(("the dropout loss, wrong", loss, right * 2, dctx, denv))
    return out


CASES = _cases()


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_one_evaluation_gives_the_numbers_of_batch_by_batch(case, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001
    _name, lhs, rhs, ctx, env = case
    together = _result(lhs, rhs, ctx, env, 11)
    monkeypatch.setattr(montecarlo, "GROUP_BYTES", 3 * 8 * 4000 * 12)  # groups of about 3 batches (20 = 3+3+…+2)
    in_groups = _result(lhs, rhs, ctx, env, 11)
    _batch_by_batch(monkeypatch)
    assert together == in_groups == _result(lhs, rhs, ctx, env, 11)


def test_the_batched_round_is_really_used_for_sums_of_expectations(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = []
    original = mc_batches._one_walk

    def spy(*args, **kw):  # noqa: ANN002, ANN003, ANN202
        out = original(*args, **kw)
        calls.append(len(out))
        return out

    monkeypatch.setattr(mc_batches, "_one_walk", spy)
    _name, lhs, rhs, ctx, env = next(c for c in CASES if c[0] == "the dropout loss, right")
    assert _result(lhs, rhs, ctx, env, 3)["status"] == "agree"
    assert calls and calls[0] == montecarlo.BATCHES  # every batch of the round in one walk


def test_a_nested_expectation_falls_back_to_batch_by_batch() -> None:
    _name, lhs, _rhs, ctx, env = next(c for c in CASES if c[0] == "a nested E (batch by batch)")
    stacked = {f.base: np.ones((8, 3)) for f in ctx.families.values()}
    with pytest.raises(mc_batches.NotBatched):
        mc_batches.round_values((lhs, sp.Integer(0)), env, stacked, 2, 4, None)
