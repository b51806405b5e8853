"""The adapter that reads one LaTeX formula into SymPy, in the notation of a Context.

latex2sympy2_extended parses the arithmetic (fractions, powers, products, roots, relations);
this module owns the notation around it, so that nothing is guessed:

- Constructs that parser gets wrong or cannot read are parsed here first and replaced by
  placeholder symbols: ``\\mathbb{E}[…]``/``E_m[…]``/``\\operatorname{E}[…]``, ``\\operatorname{Var}[…]``
  (``\\text{Var}``, ``\\mathrm{Var}``), ``\\operatorname{Cov}[a, b]``, sums with or without bounds
  (``\\sum_{j=1}^{n}``, ``\\sum_j``: bounds from the declared index range), indexed data and random
  entries (``x_j^{(i)}``, ``t^{(i)}``, ``w_j``), transposes (``^T``, ``^{T}``, ``^\\top``, ``^{\\top}``;
  of a declared matrix, vector or parenthesised group), norms ``\\|v\\|_2^2``/``\\|v\\|^2``,
  ``\\left|…\\right|``, ``\\operatorname{sign}``, ``\\boxed{}``, ``\\underbrace{…}_{…}``, gradients
  ``\\nabla_v …`` and ``\\frac{\\partial …}{\\partial v}``.
- Its grading defaults are off: no lower-casing of symbols; a number before ``\\frac`` is a product
  (``2\\frac{1}{2}`` is 1, never 5/2); ``I`` is the identity only when declared so; ``\\gamma`` and
  friends are the declared symbols, never Euler's constant.
- Every symbol must be declared; an undeclared one is an error (``LatexInputError``), as is a
  transpose on a name that is not declared, or anything the parser cannot read. Text is never
  evaluated as code: the parser builds SymPy objects from its grammar only.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

import sympy as sp
from sympy.core.function import AppliedUndef

from checks.context import Context
from checks.errors import InputError
from checks.randomness import Cov, E, Var


class LatexInputError(InputError):
    """A formula could not be read; ``where`` is file:line:column of the formula when known."""


# -- tokens ---------------------------------------------------------------------------------------

_TOKEN = re.compile(
    r"\\[a-zA-Z]+\*?|\\\\|\\[|{}!,;:>\s]|\\\||[A-Za-z]|\d+(?:\.\d+)?|\s+|[{}\[\]()^_+\-*/=<>|,.;'!&]|."
)
_SPACING = {r"\,", r"\;", r"\!", r"\:", r"\quad", r"\qquad", r"\ ", r"\left", r"\right", r"\big", r"\Big",
            r"\bigg", r"\Bigg", r"\bigl", r"\bigr", r"\Bigl", r"\Bigr", r"\displaystyle", r"\limits", r"\nolimits"}


@dataclass
class Tok:
    text: str
    pos: int


def tokenize(src: str) -> list[Tok]:
    """Tokens of a formula (spacing commands and ``\\left``/``\\right`` dropped)."""
    out = []
    for m in _TOKEN.finditer(src):
        text = m.group(0)
        if text.isspace() or text in _SPACING:
            continue
        if text in (r"\lVert", r"\rVert", r"\Vert"):
            text = r"\|"
        if text in (r"\lvert", r"\rvert", r"\vert"):
            text = "|"
        out.append(Tok(text, m.start()))
    return out


_CLOSE = {"{": "}", "[": "]", "(": ")"}
_RELATIONS = {"=": sp.Eq, "<": sp.Lt, ">": sp.Gt, r"\leq": sp.Le, r"\le": sp.Le, r"\geq": sp.Ge, r"\ge": sp.Ge,
              r"\neq": sp.Ne, r"\ne": sp.Ne}
_E_NAMES = {r"\mathbb": "E", r"\operatorname": None, r"\mathrm": None, r"\text": None, r"\textrm": None}
_T_MARKS = {"T", r"\top", r"\intercal", "\\mathsf"}


@dataclass
class Notation:
    """What the formula's names mean: the Context plus textual abbreviations (``let``)."""

    ctx: Context
    lets: list[tuple[str, str]] = field(default_factory=list)  # (LaTeX pattern, LaTeX replacement)
    identity: dict[str, sp.Basic] = field(default_factory=dict)  # name -> Identity(n)
    names: dict[str, sp.Basic] = field(default_factory=dict)  # LaTeX name -> declared object
    spellings: dict[str, sp.Basic] = field(default_factory=dict)  # multi-token LaTeX spelling -> object

    def __post_init__(self) -> None:
        for sym in (*self.ctx.scalars, *self.ctx.dims_, *self.ctx.indices):
            self.names.setdefault(_latex_name(sym.name), sym)
        for mat in self.ctx.matrices:
            self.names.setdefault(_latex_name(mat.name), mat)
        for defined in self.ctx.definitions:
            self.names.setdefault(_latex_name(defined.name), defined)
        for base in (*self.ctx.data, *(f.base for f in self.ctx.families.values())):
            self.names.setdefault(_latex_name(str(base.label)), base)

    def spell(self, src: str) -> str:
        """Replace declared multi-token spellings (``\\nabla\\mathcal{L}``, ``x_{0}``) by references."""
        if not self.spellings:
            return src
        alternatives = "|".join(re.escape(x) for x in sorted(self.spellings, key=lambda x: (-len(x), x)))
        return re.sub(alternatives, lambda m: rf" \dcref{{{m.group(0)}}} ", src)  # one pass: no overlaps

    def expand_lets(self, src: str) -> str:
        """Replace every abbreviation (in declaration order, repeatedly: one may use another)."""
        for _ in range(10):
            before = src
            for pattern, replacement in self.lets:
                # a whole name only: x_j does not match the start of x_j^{(i)} or x_{jk}
                if re.search(r"\w$", pattern):
                    regex = re.escape(pattern) + r"(?![\^_'A-Za-z0-9{])"
                elif re.search(r"[})\]]$", pattern):
                    regex = re.escape(pattern) + r"(?![\^_'])"
                else:
                    regex = re.escape(pattern)
                if re.match(r"[A-Za-z]", pattern):  # m_j is not the end of \sum_j
                    regex = r"(?<![A-Za-z\\])" + regex
                src = re.sub(regex, lambda _m, r=replacement: r"\left(" + r + r"\right)", src)
            if src == before:
                return src
        raise LatexInputError("the 'let' abbreviations expand without end (one refers to itself)")


_GREEK = {"alpha", "beta", "gamma", "delta", "epsilon", "varepsilon", "zeta", "eta", "theta", "vartheta", "iota",
          "kappa", "lambda", "mu", "nu", "xi", "pi", "rho", "sigma", "tau", "upsilon", "phi", "varphi", "chi", "psi",
          "omega", "Gamma", "Delta", "Theta", "Lambda", "Xi", "Pi", "Sigma", "Phi", "Psi", "Omega"}


def _latex_name(name: str) -> str:
    return "\\" + name if name in _GREEK else name


class _Parser:
    """Recursive rewriting of the special constructs into placeholders, then latex2sympy."""

    def __init__(self, notation: Notation, src: str) -> None:
        self.n = notation
        self.src = src
        self.values: dict[str, sp.Basic] = {}

    # -- helpers
    def fail(self, message: str, tok: Tok | None = None) -> LatexInputError:
        col = f" (at character {tok.pos + 1}: {self.src[tok.pos:tok.pos + 20]!r})" if tok is not None else ""
        return LatexInputError(f"{message}{col}")

    def placeholder(self, value: sp.Basic) -> str:
        name = f"Z_{{{len(self.values) + 1}}}"
        self.values[f"Z_{len(self.values) + 1}"] = value
        return name

    @staticmethod
    def group(toks: list[Tok], k: int) -> tuple[list[Tok], int]:
        """The tokens inside the bracket group opening at k, and the index after it."""
        open_ = toks[k].text
        close = _CLOSE[open_]
        depth = 0
        for m in range(k, len(toks)):
            if toks[m].text == open_:
                depth += 1
            elif toks[m].text == close:
                depth -= 1
                if depth == 0:
                    return toks[k + 1:m], m + 1
        raise LatexInputError(f"unbalanced '{open_}' (no matching '{close}')")

    def arg(self, toks: list[Tok], k: int) -> tuple[list[Tok], int]:
        """A macro argument: a {group} or a single token."""
        if k >= len(toks):
            raise self.fail("a command is missing its argument", toks[-1] if toks else None)
        if toks[k].text == "{":
            return self.group(toks, k)
        return [toks[k]], k + 1

    # -- the rewriting pass
    def rewrite(self, toks: list[Tok]) -> str:
        out: list[str] = []
        k = 0
        while k < len(toks):
            t = toks[k]
            text = t.text
            if text in (r"\boxed", r"\underbrace", r"\overbrace"):
                inner, k = self.arg(toks, k + 1)
                if text != r"\boxed" and k < len(toks) and toks[k].text in ("_", "^"):
                    _, k = self.arg(toks, k + 1)  # the label under the brace is prose
                out.append("(" + self.rewrite(inner) + ")")
                continue
            if text in (r"\text", r"\textrm", r"\mathrm", r"\operatorname", r"\mathbb", r"\mathit", r"\mathcal"):
                word_toks, k2 = self.arg(toks, k + 1)
                word = "".join(w.text for w in word_toks).strip()
                if text == r"\mathbb" and word == "0":
                    out.append(" 0 ")  # \mathbb{0}: the zero matrix, sized by the other side of its equation
                    k = k2
                    continue
                op = self._operator(text, word)
                if op is not None:
                    k = self._apply_operator(op, toks, k2, out, t)
                    continue
                if text in (r"\text", r"\textrm") and not word.strip():
                    k = k2
                    continue
                raise self.fail(f"unknown notation {text}{{{word}}}", t)
            if text == "E" and self._is_expectation(toks, k):
                k = self._apply_operator("E", toks, k + 1, out, t)
                continue
            if text == r"\sum":
                k = self._sum(toks, k, out)
                continue
            if text == r"\dcref":
                name_toks, k = self.group(toks, k + 1)
                spelling = self.src[name_toks[0].pos:name_toks[-1].pos + len(name_toks[-1].text)] if name_toks else ""
                if spelling not in self.n.spellings:
                    raise self.fail("internal: unknown spelling reference", t)
                k = self._after_power(toks, k, self.n.spellings[spelling], out)
                continue

            if text == r"\nabla":
                k = self._nabla(toks, k, out)
                continue
            if text == r"\frac" and self._is_partial(toks, k):
                k = self._partial(toks, k, out)
                continue
            if text == r"\|":
                k = self._norm(toks, k, out)
                continue
            if text == "|":
                inner, k = self._until(toks, k + 1, "|")
                out.append(self.placeholder(sp.Abs(self.parse_tokens(self._unbrace(inner)))))
                continue
            if text in ("(", "[") and self._transposed_group(toks, k):
                inner, k = self.group(toks, k)
                value = self.parse_tokens(inner)
                k = self._after_power(toks, k, value, out)
                continue
            if text in ("[", "]"):
                out.append("(" if text == "[" else ")")
                k += 1
                continue
            if text.startswith("\\") and text.lstrip("\\") in ("sign", "sgn"):
                inner, k = self._paren_arg(toks, k + 1)
                out.append(self.placeholder(sp.sign(self.parse_tokens(inner))))
                continue
            if t.text.isalpha() or (text.startswith("\\") and text[1:] in _GREEK):
                k = self._name(toks, k, out)
                continue
            if text.isdigit() and k + 1 < len(toks) and toks[k + 1].text == r"\frac":
                out.append(text + r" \cdot ")  # 2\frac{1}{2} is a product, never a mixed number
                k += 1
                continue
            if text in (r"\cdot", r"\times"):
                out.append(r" \cdot ")
                k += 1
                continue
            if text in ("{", "}", "(", ")", "^", "_", "+", "-", "/", "=", "<", ">", ",", ".") or text.isdigit() or \
                    re.fullmatch(r"\d+\.\d+", text) or text in (r"\frac", r"\dfrac", r"\tfrac", r"\sqrt", r"\leq",
                                                                 r"\geq", r"\le", r"\ge", r"\neq", r"\ne", r"\cdot"):
                out.append(" " + (r"\frac" if text in (r"\dfrac", r"\tfrac") else text) + " ")
                k += 1
                continue
            if text in ("'",):
                raise self.fail("a primed name must be declared (e.g. scalar x')", t)
            raise self.fail(f"unsupported LaTeX {text!r}", t)
        return "".join(out)

    def _operator(self, command: str, word: str) -> str | None:
        if command == r"\mathbb" and word == "E":
            return "E"
        if word in ("E", "Var", "Cov", "sign", "sgn") and command != r"\mathcal":
            return {"sgn": "sign"}.get(word, word)
        return None

    def _is_expectation(self, toks: list[Tok], k: int) -> bool:
        if "E" in self.n.names:
            return False  # a declared E is a name, not the expectation
        m = k + 1
        if m < len(toks) and toks[m].text == "_":  # E_m[...], E_{\pi}[...]
            _, m = self.arg(toks, m + 1)
        return m < len(toks) and toks[m].text in ("[", "(")

    def _apply_operator(self, op: str, toks: list[Tok], k: int, out: list[str], at: Tok) -> int:
        if k < len(toks) and toks[k].text == "_":  # E_m[...]: the subscript names the randomness
            _, k = self.arg(toks, k + 1)
        if op == "sign":
            inner, k = self._paren_arg(toks, k)
            out.append(self.placeholder(sp.sign(self.parse_tokens(inner))))
            return k
        if k >= len(toks) or toks[k].text not in ("[", "("):
            raise self.fail(f"{op} needs its argument in brackets, e.g. {op}[X]", at)
        inner, k = self.group(toks, k)
        if op == "Cov":
            parts = self._split_top(inner, ",")
            if len(parts) != 2:
                raise self.fail("Cov takes two arguments: Cov[X, Y]", at)
            value: sp.Basic = Cov(*(self.parse_tokens(p) for p in parts))
        else:
            value = {"E": E, "Var": Var}[op](self.parse_tokens(inner))
        return self._after_power(toks, k, value, out)

    def _after_power(self, toks: list[Tok], k: int, value: sp.Basic, out: list[str]) -> int:
        """A value that may carry a transpose (^T) before an ordinary power."""
        if k < len(toks) and toks[k].text == "^":
            sup, k2 = self.arg(toks, k + 1)
            if self._is_transpose(sup):
                value = self._transpose(value, toks[k])
                return self._after_power(toks, k2, value, out)  # (Aᵀ)⁻¹ written A^T^{-1} is rare; allow it
            if isinstance(value, sp.MatrixExpr):  # a power of a matrix: latex2sympy would read it as a scalar
                exponent = self.parse_tokens(sup)
                if exponent == -1:
                    value = sp.Inverse(value)
                elif exponent.is_Integer and exponent > 0:
                    value = sp.MatPow(value, exponent)
                else:
                    raise self.fail("a matrix power must be an integer (or -1 for the inverse)", toks[k])
                out.append(self.placeholder(value))
                return k2
        out.append(self.placeholder(value))
        return k

    @staticmethod
    def _is_transpose(sup: list[Tok]) -> bool:
        return len(sup) == 1 and sup[0].text in _T_MARKS

    def _transpose(self, value: sp.Basic, at: Tok) -> sp.Basic:
        if isinstance(value, sp.MatrixExpr):
            return sp.Transpose(value)
        if value.is_commutative and not value.atoms(sp.MatrixSymbol):
            return value  # the transpose of a scalar is itself
        raise self.fail("transpose of something that is not a declared matrix or vector", at)

    def _transposed_group(self, toks: list[Tok], k: int) -> bool:
        try:
            _, after = self.group(toks, k)
        except LatexInputError:
            return False
        if after < len(toks) and toks[after].text == "^":
            sup, _ = self.arg(toks, after + 1)
            return self._is_transpose(sup) or (len(sup) == 2 and sup[0].text == "-" and sup[1].text == "1")
        return False

    def _paren_arg(self, toks: list[Tok], k: int) -> tuple[list[Tok], int]:
        if k < len(toks) and toks[k].text in ("(", "{", "["):
            return self.group(toks, k)
        raise self.fail("expected an argument in parentheses", toks[k - 1] if k else None)

    def _unbrace(self, toks: list[Tok]) -> list[Tok]:
        """``{a}`` as a whole operand is a group, not a set."""
        if toks and toks[0].text == "{":
            try:
                inner, after = self.group(toks, 0)
            except LatexInputError:
                return toks
            if after == len(toks):
                return inner
        return toks

    @staticmethod
    def _split_top(toks: list[Tok], sep: str) -> list[list[Tok]]:
        parts, depth, cur = [], 0, []
        for t in toks:
            if t.text in _CLOSE:
                depth += 1
            elif t.text in _CLOSE.values():
                depth -= 1
            if t.text == sep and depth == 0:
                parts.append(cur)
                cur = []
            else:
                cur.append(t)
        parts.append(cur)
        return parts

    def _until(self, toks: list[Tok], k: int, close: str) -> tuple[list[Tok], int]:
        for m in range(k, len(toks)):
            if toks[m].text == close:
                return toks[k:m], m + 1
        raise self.fail(f"no closing '{close}'", toks[k - 1])

    def _norm(self, toks: list[Tok], k: int, out: list[str]) -> int:
        inner, k = self._until(toks, k + 1, r"\|")
        v = self.parse_tokens(inner)
        p = "2"
        if k < len(toks) and toks[k].text == "_":
            sub, k = self.arg(toks, k + 1)
            p = "".join(s.text for s in sub)
        if p != "2":
            raise self.fail(f"only the 2-norm is supported (got _{p})", toks[min(k, len(toks) - 1)])
        if k < len(toks) and toks[k].text == "^":
            sup, k2 = self.arg(toks, k + 1)
            if "".join(s.text for s in sup) == "2":
                sq = (v.T * v) if isinstance(v, sp.MatrixExpr) else v**2
                out.append(self.placeholder(sq))
                return k2
        raise self.fail("a norm is supported squared: \\|v\\|_2^2", toks[min(k, len(toks) - 1)])

    def _sum(self, toks: list[Tok], k: int, out: list[str]) -> int:
        at = toks[k]
        k += 1
        var = lo = hi = None
        while k < len(toks) and toks[k].text in ("_", "^"):
            mark = toks[k].text
            part, k = self.arg(toks, k + 1)
            if mark == "_":
                pieces = self._split_top(part, "=")
                var = self._index_symbol(pieces[0], at)
                if len(pieces) == 2:
                    lo = self.parse_tokens(pieces[1])
            else:
                hi = self.parse_tokens(part)
        if var is None:
            raise self.fail("a sum needs its index: \\sum_{j=1}^{n} or \\sum_j", at)
        decl = self.n.ctx.indices.get(var)
        if lo is None:
            lo = sp.Integer(1)
        if hi is None:
            if decl is None:
                raise self.fail(f"\\sum_{var} without bounds needs {var} declared as an index", at)
            hi = decl.upper
        # the body runs to the next + or − (or relation, or comma) at this depth
        end = self._term_end(toks, k, stops=("+", "-", "=", "<", ">", ",", *_RELATIONS))
        body = self.parse_tokens(toks[k:end])
        out.append(self.placeholder(sp.Sum(body, (var, lo, hi))))
        return end

    def _index_symbol(self, toks: list[Tok], at: Tok) -> sp.Symbol:
        name = "".join(t.text for t in toks).strip()
        for ix in self.n.ctx.indices:
            if ix.name == name:
                return ix
        raise self.fail(f"summation index {name!r} is not declared (index {name} N)", at)

    def _nabla(self, toks: list[Tok], k: int, out: list[str]) -> int:
        at = toks[k]
        if k + 1 >= len(toks) or toks[k + 1].text != "_":
            raise self.fail("\\nabla needs its variable: \\nabla_w", at)
        sub, k = self.arg(toks, k + 2)
        var = self.parse_tokens(sub)
        end = self._term_end(toks, k)
        out.append(self.placeholder(self._trusted_gradient(self.parse_tokens(toks[k:end]), var, at)))
        return end

    def _is_partial(self, toks: list[Tok], k: int) -> bool:
        return k + 2 < len(toks) and toks[k + 1].text == "{" and toks[k + 2].text == r"\partial"

    def _partial(self, toks: list[Tok], k: int, out: list[str]) -> int:
        num, k = self.arg(toks, k + 1)
        den, k = self.arg(toks, k)
        if not den or den[0].text != r"\partial":
            raise self.fail("expected \\partial in the denominator", num[0])
        var = self.parse_tokens(den[1:])
        expr = self.parse_tokens(num[1:]) if len(num) > 1 else None
        if expr is None:  # \frac{\partial}{\partial w} f: the operand follows
            end = self._term_end(toks, k)
            expr, k = self.parse_tokens(toks[k:end]), end
        out.append(self.placeholder(self._trusted_gradient(expr, var, num[0])))
        return k

    def _trusted_gradient(self, expr: sp.Basic, var: sp.Basic, at: Tok) -> sp.Basic:
        """SymPy's gradient, used only after finite differences agree with it (as for Python steps)."""
        from checks.numeric import check_gradient
        from checks.sampling import draw_instances
        from checks.symbolic import gradient

        computed = gradient(expr, var)
        outcome = check_gradient(expr, var, computed, draw_instances(self.n.ctx, 1234, 3, 0))
        if outcome.status == "disagree":
            raise self.fail("SymPy's gradient fails the finite-difference check here; write the derivative out", at)
        return computed

    @staticmethod
    def _term_end(toks: list[Tok], k: int, stops: tuple[str, ...] = ("+", "-", "=", "<", ">")) -> int:
        """Where the term starting at k ends: before a top-level token in ``stops`` or a closing bracket."""
        end, depth = k, 0
        while end < len(toks):
            text = toks[end].text
            if text in _CLOSE:
                depth += 1
            elif text in _CLOSE.values():
                if depth == 0:
                    break
                depth -= 1
            elif depth == 0 and text in stops and end > k:
                break
            end += 1
        return end

    def _name(self, toks: list[Tok], k: int, out: list[str]) -> int:
        """A declared name, with its subscript/superscript read as indices, primes, hats or a transpose."""
        at = toks[k]
        name = toks[k].text
        k += 1
        while k < len(toks) and toks[k].text == "'":
            name += "'"
            k += 1
        sub = sup = None
        while k < len(toks) and toks[k].text in ("_", "^"):
            mark = toks[k].text
            part, k2 = self.arg(toks, k + 1)
            if mark == "_" and sub is None:
                sub, k = part, k2
            elif mark == "^" and sup is None:
                if self._is_transpose(part) or not (part and part[0].text == "(") or name not in self._indexed_names():
                    break  # an ordinary power or a transpose: handled after the name
                sup, k = part, k2
            else:
                break
        power = None
        if sup is not None and sup[0].text == "(":  # t^{(i)2}: the index group, then an exponent
            group, after = self.group(sup, 0)
            if after < len(sup):
                power, sup = sup[after:], sup[:after]
        value = self._resolve(name, sub, sup, at)
        if power is not None:
            value = value ** self.parse_tokens(power)
        return self._after_power(toks, k, value, out)

    def _indexed_names(self) -> set[str]:
        return {n for n, v in self.n.names.items() if isinstance(v, sp.IndexedBase)}

    def _resolve(self, name: str, sub: list[Tok] | None, sup: list[Tok] | None, at: Tok) -> sp.Basic:
        sub_text = "".join(t.text for t in sub) if sub is not None else None
        full = f"{name}_{{{sub_text}}}" if sub_text is not None else name
        for key in (full, f"{name}_{sub_text}" if sub_text is not None else None):
            if key is not None and key in self.n.names and not isinstance(self.n.names[key], sp.IndexedBase):
                if sup is not None:
                    raise self.fail(f"{key} is not indexed data", at)
                return self.n.names[key]
        if name in self.n.identity and sub is None:
            return self.n.identity[name]
        base = self.n.names.get(name)
        if isinstance(base, sp.IndexedBase):
            indices = []
            if sup is not None:
                inner = sup[1:-1] if sup[0].text == "(" and sup[-1].text == ")" else sup
                indices.append(self.parse_tokens(inner))
            if sub is not None:
                indices.extend(self.parse_tokens(p) for p in self._split_top(sub, ","))
            rank = self._rank(base)
            if len(indices) != rank:
                raise self.fail(f"{name} takes {rank} index(es): write e.g. "
                                f"{name}_j^{{(i)}}" if rank == 2 else f"{name}_j", at)
            return base[tuple(indices)]
        if base is not None:
            if sub is not None:
                raise self.fail(f"{name} is declared without indices but is written with a subscript {sub_text!r}", at)
            return base
        raise self.fail(f"undeclared symbol {full!r} (declare it in a '% derivcheck:' comment)", at)

    def _rank(self, base: sp.IndexedBase) -> int:
        decl = self.n.ctx.data.get(base)
        if decl is not None:
            return len(decl.indices)
        fam = self.n.ctx.family_of(base)
        return len(fam.indices) if fam is not None else 1

    # -- the arithmetic, through latex2sympy2_extended
    def parse_tokens(self, toks: list[Tok]) -> sp.Basic:
        if not toks:
            raise LatexInputError("an empty expression")
        text = self.rewrite(toks)
        # a name before a parenthesis is a product here, never a function application
        text = re.sub(r"([})0-9])\s*(?=\()", r"\1 \\cdot ", text)
        return _latex2sympy(text, self.values, self.src)


_PLACEHOLDER = re.compile(r"Z_\{(\d+)\}")
_LETTERS = "ABCDFGHJKLMNOPQRSTUVWXYZ"


@functools.lru_cache(maxsize=4096)
def _antlr_parse(text: str, matrix_shapes: tuple[tuple[str, sp.Basic, sp.Basic], ...]) -> sp.Basic | str:
    """latex2sympy2_extended on placeholder text (cached: formulas repeat the same shapes)."""
    from latex2sympy2_extended import latex2sympy
    from latex2sympy2_extended.latex2sympy2 import ConversionConfig
    from latex2sympy2_extended.math_normalization import NormalizationConfig

    conversion = ConversionConfig(interpret_as_mixed_fractions=False, interpret_simple_eq_as_assignment=False,
                                  interpret_contains_as_eq=False, lowercase_symbols=False)
    normalization = NormalizationConfig(basic_latex=False, units=False, malformed_operators=False, nits=False,
                                        boxed="none", equations=False)
    matrices = {name: sp.MatrixSymbol(name, rows, cols) for name, rows, cols in matrix_shapes}
    try:
        return latex2sympy(text, variable_values=matrices, normalization_config=normalization,
                           conversion_config=conversion)
    except Exception as exc:  # noqa: BLE001 - the parser raises bare Exceptions; reported as text, never raised
        return str(exc).splitlines()[0] if str(exc) else type(exc).__name__


def _latex2sympy(text: str, values: dict[str, sp.Basic], src: str) -> sp.Basic:
    stripped = text.strip()
    m = _PLACEHOLDER.fullmatch(stripped)
    if m is not None:
        return values[f"Z_{m.group(1)}"]
    if re.fullmatch(r"\d+", stripped):
        return sp.Integer(int(stripped))
    # placeholders renumbered by first appearance, so that the same shape of formula parses once
    order: dict[str, str] = {}
    for ph in _PLACEHOLDER.findall(stripped):
        order.setdefault(ph, str(len(order) + 1))
    # single capital letters parse twice as fast as subscripted names (E and I are never used: the
    # parser reads them as Euler's number and the imaginary unit)
    short = len(order) <= len(_LETTERS)
    names = {k: (_LETTERS[int(v) - 1] if short else f"Z_{{{v}}}") for k, v in order.items()}
    canonical = _PLACEHOLDER.sub(lambda mm: f" {names[mm.group(1)]} ", stripped)
    values = {names[k].replace("{", "").replace("}", ""): values[f"Z_{k}"] for k in order}
    # matrix-valued placeholders go in as MatrixSymbols of their shape, so products keep their order
    matrices = {_l2s_name(k) if k.startswith("Z_") else k: v for k, v in values.items() if isinstance(v, sp.MatrixExpr)}
    result = _antlr_parse(canonical, tuple((k, *v.shape) for k, v in sorted(matrices.items())))
    if isinstance(result, str):
        raise LatexInputError(f"cannot parse {src.strip()!r}: {result}")
    if not isinstance(result, sp.Expr | sp.MatrixExpr | sp.Rel):
        raise LatexInputError(f"cannot parse {src.strip()!r}: not a formula ({type(result).__name__})")
    if result.atoms(AppliedUndef) or result.atoms(sp.Derivative, sp.Integral, sp.Limit):
        raise LatexInputError(f"cannot parse {src.strip()!r}: read as a function application or calculus "
                              "that derivcheck does not model")
    mapping: dict[sp.Basic, sp.Basic] = {}
    shapes = {d for v in matrices.values() for d in v.shape if isinstance(d, sp.Symbol)}
    for atom in result.atoms(sp.Symbol, sp.MatrixSymbol):
        name = (atom.name if isinstance(atom, sp.Symbol) else str(atom.args[0])).replace("{", "").replace("}", "")
        if atom in shapes:
            continue  # a dimension of a matrix placeholder
        if name in values:
            if isinstance(values[name], sp.MatrixExpr) != isinstance(atom, sp.MatrixSymbol):
                raise LatexInputError(f"cannot parse {src.strip()!r}: a matrix was read as a scalar")
            mapping[atom] = values[name]
        else:  # every name became a placeholder, so anything else was invented by the parser
            raise LatexInputError(f"cannot parse {src.strip()!r}: the parser read {name!r} on its own")
    try:
        return _evaluated(result.xreplace(mapping))
    except (TypeError, ValueError, sp.ShapeError) as exc:
        raise LatexInputError(f"cannot combine the parts of {src.strip()!r}: {exc}") from None


def _evaluated(e: sp.Basic) -> sp.Basic:
    """Rebuild with evaluation on: the parser builds 2·(1/2) unevaluated; derivcheck wants 1."""
    if e.is_Atom or isinstance(e, sp.Indexed | sp.MatrixSymbol | sp.IndexedBase):
        return e
    return e.func(*(_evaluated(a) for a in e.args))


def _zero_as_matrix(value: sp.Basic, other: sp.Basic | None = None) -> sp.Basic:
    """``A w = 0``: the 0 beside a matrix side is the zero matrix of its shape."""
    if other is not None and value == 0 and isinstance(other, sp.MatrixExpr):
        return sp.ZeroMatrix(*other.shape)
    return value


def _l2s_name(key: str) -> str:
    """latex2sympy's name for the placeholder ``Z_{k}``: braces kept for subscripts longer than one character."""
    sub = key.split("_", 1)[1]
    return f"Z_{{{sub}}}" if len(sub) > 1 else key


def parse_formula(src: str, notation: Notation) -> sp.Basic:
    """One formula (expression or relation) in the notation; raises LatexInputError."""
    try:
        value = _parse_formula(src, notation)
    except LatexInputError:
        raise
    except (TypeError, ValueError, AttributeError, IndexError, KeyError, ArithmeticError, NotImplementedError,
            RecursionError, sp.ShapeError) as exc:  # SymPy refused to build what was read
        raise LatexInputError(f"cannot read {src.strip()!r}: {type(exc).__name__}: {exc}") from None
    if not isinstance(value, sp.Expr | sp.MatrixExpr | sp.Rel):
        raise LatexInputError(f"cannot read {src.strip()!r}: it is not a formula ({type(value).__name__})")
    _check_declared(value, notation, src)
    return value


def _parse_formula(src: str, notation: Notation) -> sp.Basic:
    src = notation.spell(notation.expand_lets(src))
    toks = tokenize(src)
    parser = _Parser(notation, src)
    parts = parser._split_top(toks, "=")
    if len(parts) > 2:
        raise LatexInputError(f"more than one '=' in {src.strip()!r}: split it into steps")
    if len(parts) == 2:
        lhs, rhs = (_zero_as_matrix(parser.parse_tokens(p)) for p in parts)
        lhs, rhs = _zero_as_matrix(lhs, rhs), _zero_as_matrix(rhs, lhs)
        return sp.Eq(lhs, rhs, evaluate=False)
    for rel_text, rel in _RELATIONS.items():
        if rel_text == "=":
            continue
        pieces = parser._split_top(toks, rel_text)
        if len(pieces) == 2:
            return rel(parser.parse_tokens(pieces[0]), parser.parse_tokens(pieces[1]), evaluate=False)
    return parser.parse_tokens(toks)


def _check_declared(value: sp.Basic, notation: Notation, src: str) -> None:
    known = set(notation.names.values()) | set(notation.ctx.indices)
    known |= {v.label for v in notation.names.values() if isinstance(v, sp.IndexedBase)}
    known |= {d for m in notation.ctx.matrices for d in m.shape}
    for s in value.free_symbols:
        if isinstance(s, sp.Symbol) and s not in known and not s.name.startswith("_"):
            raise LatexInputError(f"undeclared symbol {s.name!r} in {src.strip()!r}")


def notation_for(ctx: Context, expr: sp.Basic | None = None) -> Notation:
    """The notation in which derivcheck's printer writes ``ctx``: for reading printed output back."""
    from checks.latex.printer import expr_latex

    notation = Notation(ctx)
    declared = [*ctx.scalars, *ctx.matrices]
    for obj in declared:
        spelling = expr_latex(obj, ctx)
        if spelling != _latex_name(obj.name):
            notation.spellings[spelling] = obj
    if expr is not None:
        for ident in expr.atoms(sp.Identity):
            notation.identity["I"] = ident
    return notation
