"""A Monte Carlo round computes each argument's per-draw values once, and gives batch-by-batch's numbers."""

from __future__ import annotations

import numpy as np
import pytest
import sympy as sp

from derivcheck_steps import Bernoulli, Context, E, Var, mc_batches, montecarlo


def _dropout_loss():  # noqa: ANN202
    ctx = Context("dropout")
    n, big_n = ctx.dims("n N")
    j, i = ctx.index("j", n), ctx.index("i", big_n)
    p = ctx.scalar("p", interval=(0, 1))
    w, x, t = ctx.indexed("w", j), ctx.indexed("x", i, j), ctx.indexed("t", i)
    m = ctx.random("m", i, j, dist=Bernoulli(p))
    y_tilde = sp.Sum(m[i, j] * w[j] * x[i, j], (j, 1, n)) / p
    # the written loss and its decomposition: E and Var of the same ỹ_i on both sides
    lhs = E(sp.Sum((t[i] - y_tilde) ** 2, (i, 1, big_n))) / (2 * big_n)
    rhs = sp.Sum((E(y_tilde) - t[i]) ** 2 + Var(y_tilde), (i, 1, big_n)) / (2 * big_n)
    rng = np.random.default_rng(7)
    env = {n: 3, big_n: 4, p: 0.7, w: rng.normal(size=3), x: rng.normal(size=(4, 3)), t: rng.normal(size=4)}
    return lhs, rhs, ctx, env, y_tilde


def _result(lhs, rhs, ctx, env):  # noqa: ANN001, ANN202
    out = montecarlo.check(lhs, rhs, ctx, env, 5).as_dict()
    out.pop("seconds")
    return out


def test_each_argument_is_evaluated_once_per_round(monkeypatch: pytest.MonkeyPatch) -> None:
    lhs, rhs, ctx, env, y_tilde = _dropout_loss()
    seen: list[tuple] = []
    original = mc_batches._Round._per_draw

    def spy(self, arg, e):  # noqa: ANN001, ANN202
        ints = tuple(sorted((str(k), v) for k, v in e.items() if type(v) is int))
        seen.append((id(self.per_draw), arg, ints))  # the cache is one per round
        return original(self, arg, e)

    monkeypatch.setattr(mc_batches._Round, "_per_draw", spy)
    rounds = []
    original_round = mc_batches.round_values

    def count(*args, **kw):  # noqa: ANN002, ANN003, ANN202
        rounds.append(1)
        return original_round(*args, **kw)

    monkeypatch.setattr(mc_batches, "round_values", count)
    assert _result(lhs, rhs, ctx, env)["status"] == "agree"
    assert rounds and len(seen) == len(set(seen))  # never twice within a round (its two cuts into batches)…
    per_round = len(seen) / len(rounds)
    assert per_round <= 4 + 1  # …ỹ_i once for each of the 4 examples (E and Var, full batches and halves), and lhs's E


def test_the_numbers_are_those_of_batch_by_batch(monkeypatch: pytest.MonkeyPatch) -> None:
    lhs, rhs, ctx, env, _ = _dropout_loss()
    together = _result(lhs, rhs, ctx, env)
    wrong = _result(lhs, 2 * rhs, ctx, env)

    def refuse(*_a, **_k):  # noqa: ANN002, ANN003, ANN202
        raise mc_batches.NotBatched("forced")

    monkeypatch.setattr(mc_batches, "round_values", refuse)
    assert together == _result(lhs, rhs, ctx, env)
    assert wrong == _result(lhs, 2 * rhs, ctx, env) and wrong["status"] == "disagree"
