"""Plain one-line mathematics for terminal reports and pytest failures: ``x²``, ``Xᵀ``, ``λ``, ``√``, ``Σ``.

The notation is that of a person writing on one line, not SymPy's ``x**2`` or ``A.T``:

>>> import sympy as sp
>>> lam, x = sp.symbols("lambda x")
>>> plain(lam * x**2 - 1)
'λx² − 1'
>>> plain(lam * x**2 - 1, unicode=False)
'lambda*x^2 - 1'

Names take the declared LaTeX spelling of a Context where one exists (``x_{j}^{(i)}`` prints as
``xⱼ⁽ⁱ⁾``); without Unicode (a cp1252 console) everything is ASCII (``X^T``, ``sqrt(x)``).
"""

from __future__ import annotations

import re

import sympy as sp
from sympy.printing.precedence import PRECEDENCE
from sympy.printing.str import StrPrinter

from derivcheck_steps.randomness import Cov, E, Var

_SUP = dict(zip("0123456789+-=()nijkNTabcdeghlmoprstuvwxyzABDEGHIJKLMOPRUVW",
                "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ⁿⁱʲᵏᴺᵀᵃᵇᶜᵈᵉᵍʰˡᵐᵒᵖʳˢᵗᵘᵛʷˣʸᶻᴬᴮᴰᴱᴳᴴᴵᴶᴷᴸᴹᴼᴾᴿᵁⱽᵂ", strict=True))
_SUB = dict(zip("0123456789+-=()aehijklmnoprstuvx", "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎ₐₑₕᵢⱼₖₗₘₙₒₚᵣₛₜᵤᵥₓ", strict=True))
GREEK = {
    "alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "epsilon": "ε", "varepsilon": "ε", "zeta": "ζ",
    "eta": "η", "theta": "θ", "iota": "ι", "kappa": "κ", "lambda": "λ", "mu": "μ", "nu": "ν", "xi": "ξ",
    "pi": "π", "rho": "ρ", "sigma": "σ", "tau": "τ", "upsilon": "υ", "phi": "φ", "varphi": "φ", "chi": "χ",
    "psi": "ψ", "omega": "ω", "Gamma": "Γ", "Delta": "Δ", "Theta": "Θ", "Lambda": "Λ", "Xi": "Ξ", "Pi": "Π",
    "Sigma": "Σ", "Phi": "Φ", "Psi": "Ψ", "Omega": "Ω", "nabla": "∇", "top": "ᵀ", "prime": "′",
}
_ACCENTS = {"tilde": "\u0303", "bar": "\u0304", "overline": "\u0304", "hat": "\u0302", "widehat": "\u0302", "dot": "\u0307"}
SIMPLEST_OPS = 40  # larger expressions are not expanded for display
VULGAR = {(1, 2): "½", (1, 3): "⅓", (2, 3): "⅔", (1, 4): "¼", (3, 4): "¾", (1, 5): "⅕", (1, 6): "⅙", (1, 8): "⅛"}
_STAR, _DASH = "\x01", "\x02"  # stand-ins for '*' and '-' inside names, so joins can be told apart
_NAME_CHAR = re.compile(r"[A-Za-z0-9_\u0370-\u03ff]")


def script(text: str, table: dict[str, str], mark: str) -> str:
    """``text`` in superscript (or subscript) characters when each has one, else ``^(text)``/``_(text)``."""
    if text and all(c in table for c in text):
        return "".join(table[c] for c in text)
    return f"{mark}{text}" if len(text) == 1 else f"{mark}({text})"


def latex_name(tex: str) -> str | None:
    """A declared LaTeX name (``\\lambda``, ``x_{j}^{(i)}``, ``B_{\\mathrm{noise}}``) in Unicode, or None."""
    out = re.sub(r"\\(?:mathrm|mathit|mathbf|mathcal|operatorname|text|boldsymbol)\{([^{}]*)\}", r"\1", tex)
    out = re.sub(r"\\(tilde|bar|overline|hat|widehat|dot)\{(\w)\}", lambda m: m.group(2) + _ACCENTS[m.group(1)], out)
    out = re.sub(r"\\(min|max|log|exp|tr)\b", r"\1", out)
    out = re.sub(r"\\([A-Za-z]+)", lambda m: GREEK.get(m.group(1), m.group(0)), out)
    out = out.replace("{}", "")

    def scripted(m: re.Match[str]) -> str:
        body = m.group(2) if m.group(2) is not None else m.group(3)
        body = body.replace("ᵀ", "T") if m.group(1) == "^" else body
        return script(body.replace(" ", ""), _SUP if m.group(1) == "^" else _SUB, m.group(1))

    out = re.sub(r"([_^])(?:\{([^{}]*)\}|(\w|ᵀ))", scripted, out)
    out = out.replace("^T", "ᵀ")
    if "\\" in out or "{" in out or "}" in out:
        return None  # something this small converter does not know: use the SymPy name instead
    return out


def symbol_name(name: str, unicode: bool = True) -> str:
    """A SymPy symbol name as a person writes it: ``lambda`` → λ, ``x0`` → x₀, ``S_min`` → Sₘᵢₙ."""
    if not unicode:
        return name
    if name in GREEK:
        return GREEK[name]
    m = re.fullmatch(r"([A-Za-z]+)(\d+)", name) or re.fullmatch(r"([A-Za-z]+)_(\w+)", name)
    if m and m.group(1) in GREEK or (m and len(m.group(1)) == 1):
        return GREEK.get(m.group(1), m.group(1)) + script(m.group(2), _SUB, "_")
    return name


class PlainPrinter(StrPrinter):
    """SymPy's str printer with one-line Unicode mathematics (or ASCII) and a Context's names."""

    printmethod = "_derivcheck_plain"  # not "_sympystr": Indexed would print itself as x[i, j]

    def __init__(self, ctx: object = None, unicode: bool = True, written: bool = False) -> None:
        super().__init__({"order": "none" if written else None})  # a written form keeps its order of terms
        self.ctx = ctx
        self.unicode = unicode

    # -- names
    def _declared(self, obj: sp.Basic) -> str | None:
        names = getattr(self.ctx, "latex_names", None) or {}
        tex = names.get(obj)
        return latex_name(tex) if tex is not None and self.unicode and "{0}" not in tex else None

    def _escape(self, text: str) -> str:
        return text.replace("*", _STAR).replace("-", _DASH)

    def _print_Symbol(self, expr: sp.Symbol) -> str:
        return self._escape(self._declared(expr) or symbol_name(expr.name, self.unicode))

    _print_Dummy = _print_Symbol

    def _print_MatrixSymbol(self, expr: sp.MatrixSymbol) -> str:
        return self._escape(self._declared(expr) or symbol_name(str(expr.name), self.unicode))

    def _print_Integer(self, expr: sp.Integer) -> str:
        return _huge(expr.p) or super()._print_Integer(expr)

    def _print_Rational(self, expr: sp.Rational) -> str:
        big = _huge(expr.p) or _huge(expr.q)
        return f"({big} ratio)" if big else super()._print_Rational(expr)

    def _print_Identity(self, expr: sp.Basic) -> str:
        return "I"

    def _print_ZeroMatrix(self, expr: sp.Basic) -> str:
        return "0"

    def _print_Indexed(self, expr: sp.Indexed) -> str:
        indices = [self._print(i) for i in expr.indices]
        names = getattr(self.ctx, "latex_names", None) or {}
        template = names.get(expr.base)
        if self.unicode and template and "{0}" in template:
            text = latex_name(template.format(*indices))
            if text is not None:
                return text
        base = self._print(expr.base.label)
        if self.unicode and len(indices) == 1 and all(c in _SUB for c in indices[0]):
            return base + script(indices[0], _SUB, "_")
        if self.unicode and all(len(i) == 1 and i in _SUB for i in indices):  # Wₖⱼ: one character each
            return base + "".join(_SUB[i] for i in indices)
        return f"{base}[{', '.join(indices)}]"

    # -- operators
    def _sup(self, text: str) -> str:
        if not self.unicode:
            return f"^{text}" if re.fullmatch(r"-?\w+", text) else f"^({text})"
        return script(text.replace(_DASH, "-"), _SUP, "^")

    def _print_Pow(self, expr: sp.Pow, rational: bool = False) -> str:
        base, exp = expr.base, expr.exp
        if exp is sp.S.Half:
            inner = self.parenthesize(base, PRECEDENCE["Atom"], strict=True)
            return f"√{inner}" if self.unicode else f"sqrt({self._print(base)})"
        if exp.is_commutative and (-exp) is sp.S.Half:
            return f"1/{self._print_Pow(sp.sqrt(base))}"
        if exp is sp.S.NegativeOne:
            return f"1/{self.parenthesize(base, PRECEDENCE['Pow'], strict=False)}"
        printed = self.parenthesize(base, PRECEDENCE["Pow"], strict=True)
        if isinstance(base, (sp.Sum, sp.Product)):  # (Σᵢ xᵢ)², never Σᵢ xᵢ² (the sum of the squares)
            printed = f"({printed})"
        if printed[-1:] in _SUP.values():  # xⱼ⁽ⁱ⁾ squared: (xⱼ⁽ⁱ⁾)², never a double superscript
            printed = f"({printed})"
        return printed + self._sup(self._print(exp))

    def _print_MatPow(self, expr: sp.MatPow) -> str:
        return self.parenthesize(expr.base, PRECEDENCE["Pow"], strict=True) + self._sup(self._print(expr.exp))

    def _postfix(self, arg: sp.Basic, mark: str) -> str:
        inner = self._print(arg)
        if not isinstance(arg, (sp.MatrixSymbol, sp.Symbol, sp.Indexed)):
            inner = f"({inner})"
        return inner + mark

    def _print_Transpose(self, expr: sp.Transpose) -> str:
        return self._postfix(expr.arg, "ᵀ" if self.unicode else "^T")

    def _print_Inverse(self, expr: sp.Inverse) -> str:
        return self._postfix(expr.arg, "⁻¹" if self.unicode else "^-1")

    def _join(self, text: str) -> str:
        """Replace this level's '*' joins: juxtaposition where it reads unambiguously (2x, λw), else '·'."""
        if not self.unicode:
            return text
        pieces = text.split("*")
        out = pieces[0]
        for left, right in zip(pieces, pieces[1:], strict=False):
            out += ("" if _juxtaposes(left, right) else "·") + right
        return out

    def _print_Mul(self, expr: sp.Mul) -> str:
        return self._join(super()._print_Mul(expr))

    def _print_MatMul(self, expr: sp.MatMul) -> str:
        args = matmul_factors(expr)
        sign = ""
        if args[0].is_Number and args[0].is_negative:
            sign, args[0] = "-", -args[0]
        if args[0] == 1 and len(args) > 1:
            args = args[1:]
        parts = [self._coefficient(a) if k == 0 and a.is_Rational and not a.is_Integer
                 else self.parenthesize(a, PRECEDENCE["Mul"], strict=False) for k, a in enumerate(args)]
        return sign + self._join("*".join(parts))

    def _coefficient(self, c: sp.Rational) -> str:
        """A fraction in front of a product: ½, ⅓ … where Unicode has one, else (p/q)."""
        return VULGAR.get((int(c.p), int(c.q)), f"({c.p}/{c.q})") if self.unicode else f"({c.p}/{c.q})"

    def _print_HadamardProduct(self, expr: sp.Basic) -> str:
        return (" ⊙ " if self.unicode else " .* ").join(self.parenthesize(a, PRECEDENCE["Mul"]) for a in expr.args)

    def _print_Sum(self, expr: sp.Sum) -> str:
        heads = []
        for v, lo, hi in reversed(expr.limits):  # SymPy lists the innermost sum first; a page the outermost
            v_, lo_, hi_ = (self._print(x) for x in (v, lo, hi))
            sub, sup = f"{v_}={lo_}", hi_
            if self.unicode and all(c in _SUB for c in sub) and all(c in _SUP for c in sup):
                heads.append("Σ" + script(sub, _SUB, "_") + script(sup, _SUP, "^"))
            else:
                heads.append(f"{'Σ' if self.unicode else 'sum'}({sub}..{sup})")
        body = self._print(expr.function)
        if isinstance(expr.function, sp.Add):
            body = f"({body})"
        return " ".join(heads) + " " + body

    def _print_E(self, expr: E) -> str:
        return f"E[{self._print(expr.args[0])}]"

    def _print_Var(self, expr: Var) -> str:
        return f"Var[{self._print(expr.args[0])}]"

    def _print_Cov(self, expr: Cov) -> str:
        return f"Cov[{self._print(expr.args[0])}, {self._print(expr.args[1])}]"

    def _print_Abs(self, expr: sp.Abs) -> str:
        return f"|{self._print(expr.args[0])}|"

    def _print_factorial(self, expr: sp.factorial) -> str:
        arg = expr.args[0]
        inner = self._print(arg)
        return f"{inner}!" if arg.is_Symbol or arg.is_Integer else f"({inner})!"

    def _print_KroneckerDelta(self, expr: sp.KroneckerDelta) -> str:
        a, b = (self._print(x) for x in expr.args[:2])  # a third argument is the range (0, n − 1)
        return f"δ({a}, {b})" if self.unicode else f"delta({a}, {b})"

    def _print_Derivative(self, expr: sp.Derivative) -> str:
        wrt = "".join(("∂" if self.unicode else "d/d") + self._print(v) for v, _n in expr.variable_count)
        return f"{'∂/' if self.unicode else ''}{wrt} ({self._print(expr.expr)})"

    def _print_Relational(self, expr: sp.Rel) -> str:
        ops = {"==": "=", "!=": "≠", "<=": "≤", ">=": "≥"} if self.unicode else {"==": "="}
        op = ops.get(expr.rel_op, expr.rel_op)
        return f"{self._print(expr.lhs)} {op} {self._print(expr.rhs)}"

    def _print_Equality(self, expr: sp.Equality) -> str:
        return self._print_Relational(expr)

    def _print_Unequality(self, expr: sp.Basic) -> str:
        return self._print_Relational(expr)

    def doprint(self, expr: object) -> str:
        text = super().doprint(expr)
        if self.unicode:
            text = text.replace("-", "−")
        return text.replace(_STAR, "*").replace(_DASH, "-")


def matmul_factors(expr: sp.MatMul) -> list[sp.Basic]:
    """The factors of a matrix product, a scalar product among them split: 2λw, not (2λ)w."""
    out: list[sp.Basic] = []
    for a in expr.args:
        out.extend(a.args if isinstance(a, sp.Mul) else [a])
    return out


def _huge(n: int) -> str | None:
    """A name for an integer too long to print in a line (Python refuses str() beyond 4,300 digits)."""
    bits = abs(n).bit_length()
    return f"an integer of about {int(bits * 0.30103)} digits" if bits > 3000 else None


def _juxtaposes(left: str, right: str) -> bool:
    """Whether ``left*right`` may be written ``left right`` without a sign (``2x``, ``λw``, ``Xᵀ(Xw − t)``)."""
    if not left or not right:
        return False
    head = right[0]
    if head.isdigit() or head in "−-":
        return False
    right_single = head in "(√Σ" or (_NAME_CHAR.match(head) is not None and head != "_"
                                     and (len(right) == 1 or _NAME_CHAR.match(right[1]) is None))
    if right.startswith(("E[", "Var[", "Cov[")):
        right_single = True
    stem = left.rstrip("ᵀ⁻¹⁰²³⁴⁵⁶⁷⁸⁹′'\u0303\u0304\u0302\u0307₀₁₂₃₄₅₆₇₈₉ᵢⱼₖₗₘₙₒₚᵣₛₜᵤᵥₓₐₑₕ⁽⁾ⁱʲᵏⁿᴺ")
    if not stem:
        return False
    tail = stem[-1]
    if tail in ")]|" or tail in VULGAR.values():
        return right_single
    if tail.isdigit():
        return right_single and re.search(r"(^|[^\w.])\d+$", stem) is not None
    left_single = _NAME_CHAR.match(tail) is not None and (len(stem) == 1 or _NAME_CHAR.match(stem[-2]) is None)
    return left_single and right_single


def simplest(expr: sp.Basic) -> sp.Basic:
    """The shorter (printed) of ``expr`` and its expanded form: a gradient ``½Aᵀ(Ax − b) + Aᵀ(½Ax − ½b)`` reads ``AᵀAx − Aᵀb``."""
    if sp.count_ops(expr) > SIMPLEST_OPS or expr.has(sp.Sum, sp.Integral, E, Var, Cov):
        return expr  # a reading aid must stay cheap: large or summed expressions print as they are
    try:
        expanded = sp.expand(expr.doit()) if isinstance(expr, sp.MatrixExpr) else sp.expand(expr)
    except Exception:  # noqa: BLE001 - reading aid only
        return expr
    return expanded if len(sp.sstr(expanded)) < len(sp.sstr(expr)) else expr


def plain(expr: object, ctx: object = None, unicode: bool = True, written: bool = False) -> str:
    """``expr`` (an expression or relation) as one line of plain mathematics (``written``: terms in their order)."""
    try:
        return PlainPrinter(ctx, unicode, written).doprint(expr)
    except Exception:  # noqa: BLE001 - a report must never fail on printing: fall back to SymPy's own text
        try:
            return sp.sstr(expr)
        except Exception:  # noqa: BLE001
            return "(an expression that cannot be printed)"


