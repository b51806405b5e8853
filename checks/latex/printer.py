"""The one printer that owns LaTeX: expressions, values and prose the way a person writes them.

- Transposes print as ``^{\\top}``, inverses as ``^{-1}``, the identity as ``I``.
- Declared names use their LaTeX spelling; indexed data use the template given at declaration
  (``x_{j}^{(i)}`` for ``x[i, j]``), and a power of such an entry gets parentheses:
  ``\\left(x_{j}^{(i)}\\right)^{2}``.
- ``E[·]``, ``Var[·]`` and ``Cov[·, ·]`` print as ``\\mathbb{E}\\left[…\\right]``,
  ``\\operatorname{Var}\\left[…\\right]`` and ``\\operatorname{Cov}\\left[…, …\\right]``.
- The engine's internal summation indices (``_c0``, ``_b1``) are renamed after the declared
  index with the same range (``i``, ``i'``, ``j``) by :func:`readable_dummies`.
- :func:`text_latex` turns report prose (with Unicode such as ``Σ``, ``ỹ``, ``x⁽ⁱ⁾``, ``≠``) into
  text that pdflatex compiles with stock packages.
"""

from __future__ import annotations

import re
import unicodedata

import sympy as sp
from sympy.printing.latex import LatexPrinter
from sympy.printing.precedence import PRECEDENCE

from derivcheck_steps.context import Context
from derivcheck_steps.errors import InputError
from derivcheck_steps.model import Step
from derivcheck_steps.quoting import quoted
from derivcheck_steps.randomness import Cov, E, Var

_BIG = (sp.Sum, E, Var, Cov)


class DerivcheckLatexPrinter(LatexPrinter):
    """SymPy's LaTeX printer with the notation of a Context."""

    def __init__(self, ctx: Context | None = None, written: bool = False) -> None:
        # a written form (derivcheck_steps.written) keeps the author's order of terms: order "none"
        super().__init__({"mat_symbol_style": "plain", **({"order": "none"} if written else {})})
        self.ctx = ctx or Context()

    def _name(self, obj: sp.Basic) -> str | None:
        return self.ctx.latex_names.get(obj)

    def _print_Symbol(self, expr: sp.Symbol, style: str = "plain") -> str:
        return self._name(expr) or super()._print_Symbol(expr, style=style)

    def _print_MatrixSymbol(self, expr: sp.MatrixSymbol) -> str:
        return self._name(expr) or super()._print_MatrixSymbol(expr)

    def _print_Transpose(self, expr: sp.Transpose) -> str:
        arg = expr.arg
        inner = self._print(arg)
        if not isinstance(arg, sp.MatrixSymbol):
            inner = rf"\left({inner}\right)"
        return rf"{inner}^{{\top}}"

    def _print_Inverse(self, expr: sp.Inverse) -> str:
        inner = self._print(expr.arg)
        if not isinstance(expr.arg, sp.MatrixSymbol):
            inner = rf"\left({inner}\right)"
        return rf"{inner}^{{-1}}"

    def _print_Identity(self, expr: sp.Identity) -> str:
        return "I"

    def _print_Indexed(self, expr: sp.Indexed) -> str:
        template = self.ctx.latex_names.get(expr.base)
        indices = [self._print(i) for i in expr.indices]
        if template and "{0}" in template:
            return template.format(*indices)
        base = template or self._print(expr.base.label)
        return f"{base}_{{{' '.join(indices)}}}"

    def _print_Pow(self, expr: sp.Pow) -> str:
        base = expr.base
        if expr.exp.is_Integer and expr.exp > 0 and (isinstance(base, sp.Indexed) or base.is_Symbol):
            printed = self._print(base)
            if "^" in printed:  # x_{j}^{(i)} squared: parentheses, never a double superscript
                return rf"\left({printed}\right)^{{{self._print(expr.exp)}}}"
        return super()._print_Pow(expr)

    def _print_MatMul(self, expr: sp.MatMul) -> str:
        from derivcheck_steps.plain import matmul_factors

        args = matmul_factors(expr)
        sign = ""
        if args[0].is_Number and args[0].is_negative:
            sign, args[0] = "- ", -args[0]
        if args[0] == 1 and len(args) > 1:
            args = args[1:]
        parts = [self._print(a) if a.is_Number or isinstance(a, (sp.Symbol, sp.MatrixSymbol))
                 else self.parenthesize(a, PRECEDENCE["Mul"], strict=False) for a in args]
        return sign + " ".join(parts)

    def _print_Mul(self, expr: sp.Mul) -> str:
        # (1 − p) Σ_j …/p reads better as \frac{1 − p}{p} Σ_j …: a fraction of the small factors
        # in front of the "big" ones (sums, expectations), the way people write 1/(2N) Σ_i.
        num, den = sp.fraction(expr, exact=True)
        if den == 1 or not num.has(*_BIG) or den.has(*_BIG):
            return super()._print_Mul(expr)
        big = [f for f in sp.Mul.make_args(num) if f.has(*_BIG)]
        small = sp.Mul(*[f for f in sp.Mul.make_args(num) if not f.has(*_BIG)])
        sign = ""
        if small.as_coeff_Mul()[0] < 0:
            sign, small = "- ", -small
        parts = [self.parenthesize(f, PRECEDENCE["Mul"]) if k < len(big) - 1 or not isinstance(f, sp.Sum)
                 else self._print(f) for k, f in enumerate(big)]
        return rf"{sign}\frac{{{self._print(small)}}}{{{self._print(den)}}} {' '.join(parts)}"

    @staticmethod
    def _powered(tex: str, exp: str | None) -> str:
        return rf"{tex}^{{{exp}}}" if exp else tex

    def _print_E(self, expr: E, exp: str | None = None) -> str:
        return self._powered(rf"\mathbb{{E}}\left[{self._print(expr.args[0])}\right]", exp)

    def _print_Var(self, expr: Var, exp: str | None = None) -> str:
        return self._powered(rf"\operatorname{{Var}}\left[{self._print(expr.args[0])}\right]", exp)

    def _print_Cov(self, expr: Cov, exp: str | None = None) -> str:
        a, b = (self._print(x) for x in expr.args)
        return self._powered(rf"\operatorname{{Cov}}\left[{a}, {b}\right]", exp)

    def _print_sign(self, expr: sp.sign, exp: str | None = None) -> str:
        return self._powered(rf"\operatorname{{sign}}\left({self._print(expr.args[0])}\right)", exp)

    def _print_KroneckerDelta(self, expr: sp.KroneckerDelta, exp: str | None = None) -> str:
        a, b = (self._print(x) for x in expr.args[:2])  # a third argument is the range (0, n − 1)
        return self._powered(rf"\delta_{{{a} {b}}}", exp)

    def _print_Sum(self, expr: sp.Sum) -> str:
        limits = "".join(
            rf"\sum_{{{self._print(v)}={self._print(lo)}}}^{{{self._print(hi)}}} " for v, lo, hi in reversed(expr.limits)
        )  # SymPy lists the innermost sum first; a page the outermost
        body = expr.function
        printed = self._print(body)
        if isinstance(body, sp.Add):
            printed = rf"\left({printed}\right)"
        return limits + printed


def expr_latex(expr: sp.Basic, ctx: Context | None = None, written: bool = False) -> str:
    """LaTeX for one expression or relation in the notation of ``ctx`` (``written``: in the order of its terms)."""
    return DerivcheckLatexPrinter(ctx, written).doprint(expr)


def step_latex(step: Step, ctx: Context) -> str:
    """LaTeX of the step's new expression (the claim itself for a standalone claim)."""
    if step.experiment is not None:
        return rf"\text{{{text_latex(step.by.label)}}}"
    return expr_latex(step.after, ctx)


def readable_dummies(expr: sp.Basic, ctx: Context) -> sp.Basic:
    """Rename internal summation indices after the declared index over the same range (i, i′, i″)."""
    internal = sorted(
        {lim for s in expr.atoms(sp.Sum) for lim in s.limits if lim[0].name.startswith("_")},
        key=lambda lim: sp.default_sort_key(lim[0]),
    )
    if not internal:
        return expr
    taken = {s.name for s in expr.free_symbols}
    mapping: dict[sp.Symbol, sp.Symbol] = {}
    for var, _lo, hi in internal:
        if var in mapping:
            continue
        stem = next((ix.name for ix, decl in ctx.indices.items() if decl.upper == hi), "k")
        name = stem
        while name in taken:
            name += "'"
        taken.add(name)
        mapping[var] = sp.Symbol(name, integer=True, positive=True)
    return expr.xreplace(mapping)


# -- values and prose ---------------------------------------------------------------------------

_RATIONAL = re.compile(r"^(-?)(\d+)/(\d+)$")


def value_latex(text: str) -> str:
    """A reported value (``11/6``, ``[1, -1; -1, -2]``, ``0.25``) as LaTeX math."""
    text = text.strip()
    if text.startswith("[") and text.endswith("]"):
        rows = [row.split(",") for row in text[1:-1].split(";")]
        body = r" \\ ".join(" & ".join(value_latex(c) for c in row) for row in rows)
        return rf"\begin{{bmatrix}} {body} \end{{bmatrix}}"
    m = _RATIONAL.match(text)
    if m:
        return rf"{m.group(1)}\tfrac{{{m.group(2)}}}{{{m.group(3)}}}"
    if re.fullmatch(r"-?[\d.eE+-]+", text):
        return text
    return rf"\text{{{text_latex(text)}}}"


_TEXT_SPECIALS = {
    "\\": r"\ensuremath{\backslash}", "{": r"\{", "}": r"\}", "$": r"\$", "&": r"\&", "#": r"\#",
    "^": r"\^{}", "_": r"\_", "%": r"\%", "~": r"\ensuremath{\sim}", "<": r"\ensuremath{<}", ">": r"\ensuremath{>}",
    "|": r"\ensuremath{|}",
    # brackets in braces: a "[" after \\ or \item would be read as an optional argument
    "[": "{[}", "]": "{]}",
}

_GREEK = {
    "ζ": r"\zeta", "ι": r"\iota", "κ": r"\kappa", "ξ": r"\xi", "ς": r"\varsigma", "υ": r"\upsilon",
    "ϵ": r"\epsilon", "ϑ": r"\vartheta", "ϕ": r"\phi", "Γ": r"\Gamma", "Θ": r"\Theta",
    "Ξ": r"\Xi", "Υ": r"\Upsilon", "Ψ": r"\Psi",
    "α": r"\alpha", "β": r"\beta", "γ": r"\gamma", "δ": r"\delta", "ε": r"\varepsilon", "η": r"\eta",
    "θ": r"\theta", "λ": r"\lambda", "μ": r"\mu", "ν": r"\nu", "π": r"\pi", "ρ": r"\rho", "σ": r"\sigma",
    "τ": r"\tau", "φ": r"\phi", "χ": r"\chi", "ψ": r"\psi", "ω": r"\omega", "Σ": r"\Sigma", "Δ": r"\Delta",
    "Λ": r"\Lambda", "Π": r"\Pi", "Φ": r"\Phi", "Ω": r"\Omega", "∇": r"\nabla", "∂": r"\partial",
}

_SYMBOLS = {
    "≠": r"\neq", "≤": r"\leq", "≥": r"\geq", "≈": r"\approx", "≪": r"\ll", "≫": r"\gg", "→": r"\to",
    "⇒": r"\Rightarrow", "⇔": r"\Leftrightarrow", "∈": r"\in", "×": r"\times", "·": r"\cdot", "√": r"\surd",
    "∞": r"\infty", "±": r"\pm", "‖": r"\|", "⊢": r"\vdash", "∑": r"\Sigma", "′": r"'", "″": r"''",
    "✓": r"\checkmark", "✗": r"\times", "⊤": r"\top", "ℝ": r"\mathbb{R}", "ℕ": r"\mathbb{N}", "ℤ": r"\mathbb{Z}",
    "∀": r"\forall", "∃": r"\exists", "∘": r"\circ", "⊙": r"\odot", "⊗": r"\otimes", "∗": r"\ast", "≡": r"\equiv",
    "∝": r"\propto", "∼": r"\sim", "∩": r"\cap", "∪": r"\cup", "⊂": r"\subset", "⊆": r"\subseteq", "∉": r"\notin",
    "⟨": r"\langle", "⟩": r"\rangle", "⌊": r"\lfloor", "⌋": r"\rfloor", "⌈": r"\lceil", "⌉": r"\rceil",
    "½": r"\tfrac{1}{2}", "¼": r"\tfrac{1}{4}", "¾": r"\tfrac{3}{4}", "⅓": r"\tfrac{1}{3}",
    "←": r"\leftarrow", "↦": r"\mapsto", "⟹": r"\Longrightarrow", "⟺": r"\Longleftrightarrow", "∓": r"\mp",
    "∏": r"\prod", "∫": r"\int", "ℓ": r"\ell", "°": r"^{\circ}", "∣": r"\mid", "…": r"\dots", "∅": r"\emptyset",
}

_SUPER = dict(zip("⁰¹²³⁴⁵⁶⁷⁸⁹⁽⁾⁻⁺⁼ᵃᵇᶜᵈᵉᶠᵍʰⁱʲᵏˡᵐⁿᵒᵖʳˢᵗᵘᵛʷˣʸᶻ", "0123456789()-+=abcdefghijklmnoprstuvwxyz", strict=True))
_SUPER["ᵀ"] = r"\top"
_SUB = dict(zip("₀₁₂₃₄₅₆₇₈₉₍₎₋₊₌ₐₑₒₓₕₖₗₘₙₚₛₜᵢⱼᵣᵤᵥ", "0123456789()-+=aeoxhklmnpstijruv", strict=True))

_TEXT = {
    "—": "---", "–": "--", "−": r"\ensuremath{-}", "…": r"\dots{}", "“": "``", "”": "''", "‘": "`", "’": "'",
    "①": r"\textcircled{\scriptsize 1}", "②": r"\textcircled{\scriptsize 2}", "③": r"\textcircled{\scriptsize 3}",
    "④": r"\textcircled{\scriptsize 4}", "\u00a0": "~", "§": r"\S{}", "¶": r"\P{}", "•": r"\textbullet{}",
    "«": r"\ensuremath{\ll}", "»": r"\ensuremath{\gg}",
}

_ACCENTS = {"\u0303": r"\tilde", "\u0302": r"\hat", "\u0304": r"\bar", "\u0307": r"\dot"}


class UnsupportedCharacter(InputError):
    """Prose contains a character the LaTeX writeup has no spelling for."""


def text_latex(text: str) -> str:
    """Prose (with Unicode mathematics) as LaTeX text mode that pdflatex compiles with stock packages."""
    out: list[str] = []
    chars = unicodedata.normalize("NFC", text)
    k = 0
    while k < len(chars):
        c = chars[k]
        nxt = chars[k + 1] if k + 1 < len(chars) else ""
        if nxt in _ACCENTS:  # x̂: a letter followed by a combining accent
            out.append(rf"\ensuremath{{{_ACCENTS[nxt]}{{{c}}}}}")
            k += 2
            continue
        parts = unicodedata.normalize("NFD", c)
        if len(parts) == 2 and parts[1] in _ACCENTS and ord(parts[0]) < 128:  # ỹ: a precomposed accent
            out.append(rf"\ensuremath{{{_ACCENTS[parts[1]]}{{{parts[0]}}}}}")
            k += 1
            continue
        if c in _SUPER or c in _SUB:
            table, mark = (_SUPER, "^") if c in _SUPER else (_SUB, "_")
            run = []
            while k < len(chars) and chars[k] in table:
                run.append(table[chars[k]])
                k += 1
            out.append(rf"\ensuremath{{{mark}{{{''.join(run)}}}}}")
            continue
        if c in _TEXT_SPECIALS:
            out.append(_TEXT_SPECIALS[c])
        elif c in _GREEK or c in _SYMBOLS:
            out.append(rf"\ensuremath{{{_GREEK.get(c) or _SYMBOLS[c]}}}")
        elif c in _TEXT:
            out.append(_TEXT[c])
        elif ord(c) < 128 or (unicodedata.category(c).startswith("L") and ord(c) < 0x250):
            out.append(c)  # ASCII, and Latin letters that pdflatex's utf8 input understands
        else:
            raise UnsupportedCharacter(f"no LaTeX spelling for {c!r} (U+{ord(c):04X}) in {quoted(text)}")
        k += 1
    return "".join(out)
