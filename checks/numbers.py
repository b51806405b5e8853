"""Numbers as text that never fails: huge exact values are abbreviated, never printed in full.

CPython refuses ``str(int)`` beyond 4,300 digits (a ValueError), and SymPy's printers call it,
so an exact value with 5,000 digits used to turn a proved identity into UNKNOWN while its report
was built. Printing such a number in full would be slow (quadratic) and unreadable anyway. Here
an integer of more than :data:`MAX_DIGITS` digits is written ``1234…(5001 digits)…6789``; for
SymPy expressions, :func:`printable` swaps such numbers for atoms that print that way in
every printer (str, LaTeX, repr), and :func:`digest_big_numbers` swaps them for a hash so that
a cache key stays exact without printing them. Texts made by other modules while a step is
checked are made under :func:`long_int_text` and abbreviated afterwards.
"""

from __future__ import annotations

import hashlib
import math
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from fractions import Fraction

import sympy as sp

MAX_DIGITS = 60  # shown in full up to this many digits
EXACT_COUNT_DIGITS = 20_000  # up to here the digit count is exact; beyond, derived from log10
_LONG_RUN = re.compile(rf"\d{{{MAX_DIGITS + 1},}}")


def digit_count(n: int) -> int:
    """The number of decimal digits of |n| (exact up to EXACT_COUNT_DIGITS, else from log10)."""
    n = abs(n)
    if n < 10:
        return 1
    estimate = int(math.log10(n)) + 1
    if estimate > EXACT_COUNT_DIGITS + 1:
        return estimate
    return estimate - 1 if n < 10 ** (estimate - 1) else estimate + (1 if n >= 10**estimate else 0)


def int_text(n: int) -> str:
    """``str(n)``, or ``1234…(5001 digits)…6789`` for more than MAX_DIGITS digits (never raises)."""
    n = int(n)
    sign = "-" if n < 0 else ""
    a = abs(n)
    count = digit_count(a)
    if count <= MAX_DIGITS:
        return str(n)
    tail = f"{a % 10**4:04d}"
    if count <= EXACT_COUNT_DIGITS:
        head = str(a // 10 ** (count - 4))  # a quotient of 4 digits: linear in the size of a
    else:  # the leading digits from the logarithm: exact but for numbers within 1e-10 of a boundary
        frac = math.log10(a) - (count - 1)
        head = f"{int(10 ** (frac + 3)):04d}"[:4]
    about = "" if count <= EXACT_COUNT_DIGITS else "about "
    return f"{sign}{head}…({about}{count} digits)…{tail}"


def number_text(v: object) -> str:
    """Any number (int, Fraction, SymPy Rational or Float, or other object) as safe text."""
    if isinstance(v, bool):
        return str(v)
    if isinstance(v, int):
        return int_text(v)
    if isinstance(v, Fraction):
        return int_text(v.numerator) + ("" if v.denominator == 1 else "/" + int_text(v.denominator))
    if isinstance(v, sp.Integer):
        return int_text(int(v))
    if isinstance(v, sp.Rational):
        return int_text(int(v.p)) + "/" + int_text(int(v.q))
    if isinstance(v, sp.Basic):
        return safe_str(v)
    return abbreviate_digits(_lifted(str, v))


def abbreviate_digits(text: str) -> str:
    """``text`` with every run of more than MAX_DIGITS digits abbreviated (for reasons and reports)."""
    if len(text) <= MAX_DIGITS:
        return text
    return _LONG_RUN.sub(lambda m: f"{m.group()[:4]}…({len(m.group())} digits)…{m.group()[-4:]}", text)


class BigNumber(sp.Symbol):
    """Stands in for a huge exact integer when printing: shows its first and last digits and its length."""

    def __new__(cls, value: int) -> BigNumber:
        obj = super().__new__(cls, int_text(value))
        return obj

    def _latex(self, printer: object) -> str:
        return r"\text{" + self.name.replace("…", r"\ldots{}") + "}"

    def _sympystr(self, printer: object) -> str:
        return self.name

    def _sympyrepr(self, printer: object) -> str:
        return f"BigNumber({self.name!r})"


def _too_long(r: sp.Rational) -> bool:
    return max(abs(int(r.p)), int(r.q)).bit_length() > MAX_DIGITS * 3.3


def printable(e: sp.Basic) -> sp.Basic:
    """``e`` with each integer or fraction of more than MAX_DIGITS digits replaced by a BigNumber atom."""
    if not isinstance(e, sp.Basic):
        return e
    big = {r for r in e.atoms(sp.Rational) if _too_long(r)}
    if not big:
        return e
    swap = {}
    for r in big:
        p, q = BigNumber(int(r.p)), BigNumber(int(r.q)) if r.q != 1 else sp.Integer(1)
        swap[r] = p if r.q == 1 else sp.Mul(p, sp.Pow(q, -1, evaluate=False), evaluate=False)
    return e.xreplace(swap)


def digest_big_numbers(e: sp.Basic) -> sp.Basic:
    """``e`` with each huge integer or fraction replaced by a symbol named by its hash (for cache keys)."""
    if not isinstance(e, sp.Basic):
        return e
    swap = {}
    for r in e.atoms(sp.Rational):
        if _too_long(r):
            raw = f"{r.p.bit_length()}:{r.q.bit_length()}".encode()
            h = hashlib.sha256(raw + abs(int(r.p)).to_bytes((int(r.p).bit_length() + 7) // 8 + 1, "big"))
            h.update(int(r.q).to_bytes((int(r.q).bit_length() + 7) // 8 + 1, "big"))
            swap[r] = sp.Symbol(f"number_{'m' if r.p < 0 else 'p'}_{h.hexdigest()[:32]}")
    return e.xreplace(swap) if swap else e


def safe_str(e: object) -> str:
    """``str(e)`` for a SymPy object, with huge numbers abbreviated."""
    return _lifted(str, printable(e)) if isinstance(e, sp.Basic) else number_text(e)


@contextmanager
def long_int_text() -> Iterator[None]:
    """Let ``str(int)`` print any length inside the block (exact values that other modules print).

    The callers bound the sizes (exact powers beyond a million digits are refused before any
    work) and abbreviate the texts afterwards (:func:`abbreviate_digits`).
    """
    old = sys.get_int_max_str_digits()
    sys.set_int_max_str_digits(0)
    try:
        yield
    finally:
        sys.set_int_max_str_digits(old)


def _lifted(fn: object, *args: object) -> str:
    """``fn(*args)`` with CPython's int-to-str limit lifted (callers bound the sizes), then abbreviated."""
    with long_int_text():
        return abbreviate_digits(fn(*args))  # type: ignore[operator]
