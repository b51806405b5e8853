"""Exact zeros of radical sums (derivcheck_steps.radicals) and the premise checks that use them."""

from __future__ import annotations

import sympy as sp

from derivcheck_steps.precision import confirmed_nonzero, sign
from derivcheck_steps.radicals import is_zero_radical_sum

R = sp.Rational


def _add(*terms: sp.Basic) -> sp.Basic:
    return sp.Add(*terms, evaluate=False)


def test_cancelling_radicals_written_differently_are_zero() -> None:
    v = -4 * 2 ** R(1, 3) * 3 ** R(2, 3) / 3 + 4 * 18 ** R(1, 3) / 3
    assert is_zero_radical_sum(v)
    assert not confirmed_nonzero(v)


def test_integer_parts_of_exponents_and_repeated_bases() -> None:
    # 2^(11/24)·2^(13/24) = 2 and 67^(5/16)·67^(11/16) = 67: the sum is 53/32 − 53·2·67/4288 = 0
    powers = [sp.Pow(2, R(11, 24)), sp.Pow(2, R(13, 24)), sp.Pow(67, R(5, 16)), sp.Pow(67, R(11, 16))]
    v = _add(sp.Mul(R(-53, 4288), *powers, evaluate=False), R(53, 32))
    assert is_zero_radical_sum(v)


def test_rational_bases_and_nested_powers() -> None:
    v = _add((R(2, 3) ** R(1, 2)) ** 3, -2 * sp.sqrt(6) / 9)  # (2/3)^(3/2) = 2√6/9
    assert is_zero_radical_sum(v)


def test_a_nonzero_sum_is_not_called_zero() -> None:
    v = 2 ** R(1, 3) + 3 ** R(1, 3) - 5 ** R(1, 3)
    assert not is_zero_radical_sum(v)
    assert confirmed_nonzero(v)
    tiny = _add(sp.sqrt(2) * sp.sqrt(3), -sp.sqrt(6), R(1, 10**60))  # nonzero only at the 60th digit
    assert not is_zero_radical_sum(tiny)
    assert confirmed_nonzero(tiny) == bool(sign(tiny)) is True


def test_negative_bases_symbols_and_functions_are_left_to_evaluation() -> None:
    x = sp.Symbol("x")
    assert not is_zero_radical_sum(_add((-8) ** R(1, 3), -2 * (-1) ** R(1, 3)))
    assert not is_zero_radical_sum(x - x / 2 - x / 2 + 1 - 1 + x)
    assert not is_zero_radical_sum(_add(sp.exp(1) * 2 ** R(1, 2), -sp.exp(1) * sp.sqrt(2)))
