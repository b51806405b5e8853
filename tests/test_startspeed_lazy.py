"""Work nobody reads is not done: written forms built on first print, unit systems loaded on first use,
each side of an expectation step brought to normal form once."""

from __future__ import annotations

import subprocess
import sys

import sympy as sp

from derivcheck_steps import Context, derivation
from derivcheck_steps.expectation import _SIDES, prove_equal_in_expectation, side_form
from derivcheck_steps.plain import plain
from derivcheck_steps.randomness import Bernoulli, E, Var

UNITS = """
import sys
import sympy as sp
import derivcheck_steps.model  # defers sympy.physics.units
x = sp.Symbol("x")
sp.simplify(x**2 + 2*x + 1)
assert "sympy.physics.units.systems" not in sys.modules, "simplify built the unit systems"
from sympy.physics.units import Quantity
import sympy.physics.units.quantities as q
from sympy.physics.units import meter, kilometer, convert_to
import sympy.physics.units as u
assert q.Quantity is Quantity is u.Quantity is u.Unit
assert isinstance(meter, Quantity) and (3 * meter).has(Quantity)
assert convert_to(2 * kilometer, meter) == 2000 * meter
print("ok")
"""


def test_simplify_does_not_build_the_unit_systems_and_units_still_work():
    out = subprocess.run([sys.executable, "-c", UNITS], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "ok"


def test_a_submodule_imported_first_still_sees_the_whole_package():
    code = ("import derivcheck_steps.model, sympy.physics.units as u\n"
            "from sympy.physics.units.systems.si import SI\n"
            "assert SI.get_quantity_dimension(u.meter) == u.length\nprint('ok')")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr


def test_the_written_form_is_built_when_first_printed_from_the_names_of_the_moment():
    ctx = Context("w")
    x = ctx.scalar("x")
    d = derivation("distribute", ctx)
    y = x + 1
    chain = d.chain(2 * y)  # SymPy evaluates 2(x + 1) to 2x + 2 at once
    y = x - 1  # rebinding the name afterwards does not change what was written
    chain.eq(2 * x + 2, by="distribute")
    assert not chain.written_form._done  # nothing built yet
    assert plain(chain.written, ctx, written=True) == "2(1 + x)"  # y as it was: x + 1, in SymPy's order
    assert chain.written_form._done and plain(chain.steps[0].written, ctx, written=True) == "2x + 2"
    assert y == x - 1


def _masks():
    ctx = Context("d")
    (n,) = ctx.dims("n")
    j = ctx.index("j", n)
    w, x = ctx.indexed("w", j), ctx.indexed("x", j)
    p = ctx.scalar("p", interval=(0, 1))
    m = ctx.random("m", j, dist=Bernoulli(p))
    return ctx, n, j, w, x, p, m


def test_a_chain_brings_each_side_to_normal_form_once_and_still_refutes_a_slip():
    ctx, n, j, w, x, p, m = _masks()
    y = sp.Sum(m[j] * w[j] * x[j], (j, 1, n))
    middle = E(y**2) - E(y) ** 2
    right = p * (1 - p) * sp.Sum(w[j] ** 2 * x[j] ** 2, (j, 1, n))
    _SIDES.clear()
    assert prove_equal_in_expectation(Var(y), middle, ctx).proved
    kept = side_form(middle, ctx)
    assert prove_equal_in_expectation(middle, right, ctx).proved  # the middle is not computed again
    assert side_form(middle, ctx) is kept
    slip = prove_equal_in_expectation(middle, p * sp.Sum(w[j] ** 2 * x[j] ** 2, (j, 1, n)), ctx)
    assert not slip.proved and slip.residual != 0


def test_a_side_form_is_not_reused_once_the_declarations_change():
    ctx = Context("c")
    (n,) = ctx.dims("n")
    j = ctx.index("j", n)
    x = ctx.indexed("x", j)
    t = ctx.random("t", j, dist=Bernoulli(sp.Rational(1, 2)))
    mean = E(sp.Sum(t[j] * x[j], (j, 1, n)))
    assert not prove_equal_in_expectation(mean, sp.Integer(0), ctx).proved  # Σ x_j / 2 is not 0 in general
    ctx.centred(x, j)  # now Σ_j x_j = 0
    assert prove_equal_in_expectation(mean, sp.Integer(0), ctx).proved
