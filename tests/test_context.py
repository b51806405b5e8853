"""Declarations are validated early with one clear error type."""

from __future__ import annotations

import pytest
import sympy as sp

from derivcheck_steps import Context, DeclarationError, derivation


def test_duplicate_and_invalid_names_are_rejected():
    ctx = Context("c")
    ctx.scalar("x")
    with pytest.raises(DeclarationError, match="declared twice"):
        ctx.scalar("x")
    with pytest.raises(DeclarationError, match="invalid symbol name"):
        ctx.scalar("__import__('os')")


def test_matrix_shape_must_use_declared_dimensions():
    ctx = Context("c")
    with pytest.raises(DeclarationError, match="not a declared dimension"):
        ctx.matrix("X", sp.Symbol("N"), 2)


def test_invertible_needs_a_square_matrix_and_a_reason():
    ctx = Context("c")
    (n,) = ctx.dims("n")
    A = ctx.matrix("A", n, n)
    with pytest.raises(DeclarationError, match="reason"):
        ctx.invertible(A, because=" ")
    B = ctx.matrix("B", n, 1)
    with pytest.raises(DeclarationError, match="square"):
        ctx.invertible(B, because="x")


def test_steps_need_a_justification_and_claims_a_relation():
    ctx = Context("c")
    x = ctx.scalar("x")
    d = derivation("d", ctx)
    with pytest.raises(DeclarationError, match="justification"):
        d.chain(x).eq(x, by="")
    with pytest.raises(DeclarationError, match="relation"):
        d.claim(x + 1, by="?")
    with pytest.raises(DeclarationError, match="decided this claim"):
        d.claim(sp.Eq(x, x), by="trivial")


def test_expected_verdict_must_be_a_verdict():
    ctx = Context("c")
    x = ctx.scalar("x")
    with pytest.raises(DeclarationError, match="expect"):
        derivation("d", ctx).chain(x).eq(x, by="same", expect="MAYBE")


def test_repr_shows_how_it_was_built():
    ctx = Context("ridge")
    ctx.dims("N n")
    ctx.scalar("lam", positive=True)
    assert "ridge" in repr(ctx) and "lam" in repr(ctx)
    assert "section='1.2.2'" in repr(derivation("t", ctx, section="1.2.2"))
